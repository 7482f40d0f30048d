//! Answers in Quantive's (Gtmhub's) shapes (see the module docs of [`gtmhub`](super)).

use serde::Serialize;

use crate::error::InputErrorKind;
use crate::items::verbs::ItemType;
use crate::model::Model;
use crate::model_error::ModelError;
use crate::rbac::grants::Subject;
use crate::snapshot::Snapshot;

use super::subtype_of;

/// An `{items: [...]}` wrapper, with `totalCount` where the listing has one.
///
/// # Examples
///
/// ```
/// use orgperm::{ActionSpec, Model};
/// let mut model = Model::new();
/// model.rbac_mut().add_action(ActionSpec::new("access-goals", "Access goals").with_description("See goals"))?;
/// let body = orgperm::vendor::gtmhub::actions(&model);
/// assert_eq!(serde_json::to_string(&body).unwrap(),
///     r#"{"items":[{"description":"See goals","name":"access-goals","title":"Access goals"}]}"#);
/// # Ok::<(), orgperm::ModelError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Items<T> {
    /// `items`.
    pub items: Vec<T>,
    /// `totalCount`, for the users and roles listings.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub total_count: Option<usize>,
}

/// An action of `actionsResponse`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ActionEntity {
    /// `description`.
    pub description: String,
    /// `name`.
    pub name: String,
    /// `title`.
    pub title: String,
}

/// The action catalog (`GET /permissions/actions`), sorted by name.
pub fn actions(model: &Model) -> Items<ActionEntity> {
    Items {
        items: model
            .rbac()
            .actions()
            .into_iter()
            .map(|a| ActionEntity {
                description: a.description.clone(),
                name: a.name.clone(),
                title: a.title.clone(),
            })
            .collect(),
        total_count: None,
    }
}

/// A `GlobalPermissionDto`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PermissionObject {
    /// `accountId`, as the caller gives it.
    pub account_id: String,
    /// `action`.
    pub action: String,
    /// `id`.
    pub id: String,
    /// `principals`: bare ids, users first, each kind sorted (a user and a role sharing an
    /// id cannot be told apart in this shape).
    pub principals: Vec<String>,
}

fn object_of(spec: crate::rbac::actions::GlobalPermissionSpec, account: &str) -> PermissionObject {
    PermissionObject {
        account_id: account.to_owned(),
        action: spec.action,
        id: spec.id,
        principals: spec.principals.iter().map(|p| p.id().to_owned()).collect(),
    }
}

/// One permission object (`GET /permissions/{id}`).
///
/// # Examples
///
/// ```
/// use orgperm::{ActionSpec, GlobalPermissionSpec, Model};
/// let mut model = Model::new();
/// model.add_user("u1", None)?;
/// model.rbac_mut().add_action(ActionSpec::new("access-goals", "Access goals"))?;
/// model.rbac_mut().create_global_permission(GlobalPermissionSpec::new("p1", "access-goals", ["u1"]))?;
/// let body = orgperm::vendor::gtmhub::permission_object(&model, "p1", "acct")?;
/// assert_eq!(serde_json::to_string(&body).unwrap(),
///     r#"{"accountId":"acct","action":"access-goals","id":"p1","principals":["u1"]}"#);
/// # Ok::<(), orgperm::ModelError>(())
/// ```
pub fn permission_object(
    model: &Model,
    id: &str,
    account_id: &str,
) -> Result<PermissionObject, ModelError> {
    let spec = model.rbac().global_permission(id).ok_or_else(|| {
        ModelError::at(
            "id",
            crate::rbac::error::RbacErrorKind::UnknownGlobalPermission { id: id.to_owned() },
        )
    })?;
    Ok(object_of(spec, account_id))
}

/// Every permission object, sorted by id, in an `items` wrapper.
pub fn permission_objects(model: &Model, account_id: &str) -> Items<PermissionObject> {
    Items {
        items: model
            .rbac()
            .global_permissions()
            .into_iter()
            .map(|g| object_of(g, account_id))
            .collect(),
        total_count: None,
    }
}

/// The effective permissions of a principal (`GET /permissions/principal/{id}`): `{items:
/// [action]}`, the actions bound to it — for a user also those of the roles they hold —
/// closed under `requires`, sorted. The same shape is the body of `PUT
/// /permissions/principal/{id}` ([`GtmhubImport::read_principal_actions`](super::GtmhubImport::read_principal_actions)).
/// `principal_id` is a bare id: naming neither a user nor a role, or both, is an error.
///
/// # Examples
///
/// ```
/// use orgperm::{ActionSpec, GlobalPermissionSpec, Model, Principal, RoleSpec, Subject};
/// let mut model = Model::new();
/// model.add_user("u1", None)?;
/// model.rbac_mut().create_role(RoleSpec::new("editors", "Editors"))?;
/// model.rbac_mut().grant_role_undivided(Subject::User("u1"), "editors")?;
/// model.rbac_mut().add_actions(vec![ActionSpec::new("access-goals", "A"), ActionSpec::new("manage-goals", "M").requiring("access-goals")])?;
/// model.rbac_mut().create_global_permission(GlobalPermissionSpec::new("p1", "manage-goals", [Principal::role("editors")]))?;
/// let snap = model.compile();
/// let body = orgperm::vendor::gtmhub::effective_permissions(&model, &snap, "u1")?;
/// assert_eq!(serde_json::to_string(&body).unwrap(), r#"{"items":["access-goals","manage-goals"]}"#);
/// # Ok::<(), orgperm::ModelError>(())
/// ```
pub fn effective_permissions(
    model: &Model,
    snap: &Snapshot,
    principal_id: &str,
) -> Result<Items<String>, ModelError> {
    let p = model
        .rbac()
        .resolve_principal(principal_id)
        .map_err(|e| ModelError::at("id", e.kind().clone()))?;
    Ok(Items {
        items: snap
            .rbac()
            .effective_actions(p)
            .into_iter()
            .map(str::to_owned)
            .collect(),
        total_count: None,
    })
}

/// The answer of `GET /permissions/currentUser-allowedActions/{targetId}?targetType=`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CurrentUserActions {
    /// `currentUserActions`: the verbs, in the order read, update, create, delete,
    /// modifyPermissions.
    pub current_user_actions: Vec<String>,
}

/// The verbs `user` may perform on a target (`metric`, `goal`, `session` or
/// `insightBoard`; another type is an error at `targetType`), as
/// [`Items::allowed_actions`](crate::Items::allowed_actions) decides.
///
/// # Examples
///
/// ```
/// use orgperm::{ActionSpec, ItemSpec, Model, Principal};
/// let mut model = Model::new();
/// model.add_user("u1", None)?;
/// model.rbac_mut().add_actions(vec![
///     ActionSpec::new("access-sessions", "Access sessions"),
///     ActionSpec::new("manage-sessions", "Manage sessions").requiring("access-sessions"),
/// ])?;
/// model.rbac_mut().set_principal_actions(Principal::user("u1"), &["manage-sessions"])?;
/// model.items_mut().add_item(ItemSpec::session("q1").created_by("u1"))?;
/// let snap = model.compile();
/// let body = orgperm::vendor::gtmhub::current_user_actions(&snap, "u1", "session", "q1")?;
/// assert_eq!(body.current_user_actions, ["read", "update", "create", "delete", "modifyPermissions"]);
/// # Ok::<(), orgperm::ModelError>(())
/// ```
pub fn current_user_actions(
    snap: &Snapshot,
    user: &str,
    target_type: &str,
    target_id: &str,
) -> Result<CurrentUserActions, ModelError> {
    let verbs = snap
        .items()
        .allowed_actions(user, target_type, target_id)
        .map_err(ModelError::from)?;
    Ok(CurrentUserActions {
        current_user_actions: verbs.names().map(str::to_owned).collect(),
    })
}

/// A role of the roles listing.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RoleEntity {
    /// `id`.
    pub id: String,
    /// `name`.
    pub name: String,
    /// `description`.
    pub description: String,
}

/// The roles listing (`GET /roles`), sorted by id.
pub fn roles(model: &Model) -> Items<RoleEntity> {
    let rbac = model.rbac();
    let mut items: Vec<RoleEntity> = rbac
        .role_ids()
        .filter_map(|id| rbac.role(id))
        .map(|r| RoleEntity {
            id: r.id.clone(),
            name: r.name.clone(),
            description: r.description.clone(),
        })
        .collect();
    items.sort_by(|a, b| a.id.cmp(&b.id));
    let n = items.len();
    Items {
        items,
        total_count: Some(n),
    }
}

/// A user of the users listing: the id and the roles held without division.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct UserEntity {
    /// `id`.
    pub id: String,
    /// `roles` `{id, name}`: the user's undivided grants, sorted by id.
    pub roles: Vec<RoleRef>,
}

/// A role reference `{id, name}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RoleRef {
    /// `id`.
    pub id: String,
    /// `name`.
    pub name: String,
}

/// The users listing (`GET /users`), the active users sorted by id.
pub fn users(model: &Model) -> Items<UserEntity> {
    let rbac = model.rbac();
    let mut ids: Vec<&str> = model.user_ids().collect();
    ids.sort_unstable();
    let items: Vec<UserEntity> = ids
        .into_iter()
        .map(|u| UserEntity {
            id: u.to_owned(),
            roles: rbac
                .subject_grants(Subject::User(u))
                .unwrap_or_default()
                .into_iter()
                .filter(|g| g.division_id.is_empty())
                .map(|g| RoleRef {
                    name: rbac
                        .role(&g.role_id)
                        .map(|r| r.name.clone())
                        .unwrap_or_default(),
                    id: g.role_id,
                })
                .collect(),
        })
        .collect();
    let n = items.len();
    Items {
        items,
        total_count: Some(n),
    }
}

/// A `defaultAccess` body.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DefaultAccessBody {
    /// `inherits`: always false for a default list.
    pub inherits: bool,
    /// `permissions`.
    pub permissions: Vec<DefaultAccessEntry>,
}

/// One entry of a `defaultAccess` body.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DefaultAccessEntry {
    /// `grant`: `{"Subtype": N}`.
    pub grant: Grant,
    /// `principalId`.
    pub principal_id: String,
    /// `principalKind`.
    pub principal_kind: String,
}

/// A `grant` object.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Grant {
    /// `Subtype` (see [`verbs_of_subtype`](super::verbs_of_subtype)).
    #[serde(rename = "Subtype")]
    pub subtype: u64,
}

/// The default list of an item type (`GET /permissions/default-access/{itemType}`), `None`
/// when the type has none. An entry whose verbs are not one of the four `Subtype` levels,
/// or that includes sub-teams (the shape has no field for it), cannot be written: an error
/// at `permissions[i]`.
///
/// # Examples
///
/// ```
/// use orgperm::{AccessEntry, ItemType, ItemVerbs, Model};
/// let mut model = Model::new();
/// model.items_mut().set_default_access(ItemType::Dashboard, Some(vec![AccessEntry::account(ItemVerbs::READ)]))?;
/// let body = orgperm::vendor::gtmhub::default_access(&model, ItemType::Dashboard)?.unwrap();
/// assert_eq!(serde_json::to_string(&body).unwrap(),
///     r#"{"inherits":false,"permissions":[{"grant":{"Subtype":1},"principalId":"","principalKind":"account"}]}"#);
/// # Ok::<(), orgperm::ModelError>(())
/// ```
pub fn default_access(
    model: &Model,
    item_type: ItemType,
) -> Result<Option<DefaultAccessBody>, ModelError> {
    let Some(list) = model.items().default_access(item_type) else {
        return Ok(None);
    };
    let mut permissions = Vec::with_capacity(list.len());
    for (i, e) in list.iter().enumerate() {
        let subtype = subtype_of(e.grant)
            .filter(|_| !e.include_subteams)
            .ok_or_else(|| {
                ModelError::at(
                    format!("permissions[{i}]"),
                    InputErrorKind::Conflict {
                        reason: "a grant object holds one Subtype level (1 to 4) and no sub-teams",
                    },
                )
            })?;
        permissions.push(DefaultAccessEntry {
            grant: Grant { subtype },
            principal_id: e.principal_id.clone(),
            principal_kind: e.kind.as_str().to_owned(),
        });
    }
    Ok(Some(DefaultAccessBody {
        inherits: false,
        permissions,
    }))
}
