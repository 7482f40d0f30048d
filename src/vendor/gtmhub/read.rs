//! Reading Quantive (Gtmhub) bodies into a model and a change set (see the module docs of
//! [`gtmhub`](super) for the shapes, the field mapping and the ignored fields).

use std::collections::BTreeSet;

use crate::change::{
    AccessEntryDocument, ActionDocument, ChangeSet, DefaultAccessDocument,
    GlobalPermissionDocument, Op, PrincipalDocument, RoleDocument,
};
use crate::document::reader::Node;
use crate::error::{InputError, InputErrorKind};
use crate::items::access::{AccessEntry, PrincipalKind};
use crate::items::doc::{DefaultDoc, entry_doc};
use crate::items::error::ItemErrorKind;
use crate::items::verbs::{ItemType, ItemVerbs};
use crate::model::Model;
use crate::model_error::ModelError;
use crate::rbac::actions::{ActionSpec, GlobalPermissionSpec, Principal};
use crate::rbac::document::{ActionDoc, GlobalPermissionDoc, PrincipalDoc, RoleDoc};
use crate::rbac::error::RbacErrorKind;
use crate::rbac::grants::Subject;
use crate::rbac::role::RoleSpec;
use crate::vendor::reading::{Draft, Imported, Obj, Reader, Strictness, as_str, index_path, parse};

const ITEMS: &[&str] = &["items"];
const ITEMS_INFO: &[&str] = &["totalCount"];
const ACTION: &[&str] = &["name", "title", "description"];
const ROLE: &[&str] = &["id", "name", "description"];
const ROLE_INFO: &[&str] = &["accountId", "dateCreated"];
const USER: &[&str] = &["id", "roles"];
const USER_INFO: &[&str] = &[
    "accountId",
    "email",
    "firstName",
    "lastName",
    "picture",
    "dateCreated",
    "lastLogin",
];
const REF: &[&str] = &["id"];
const REF_INFO: &[&str] = &["name"];
const PERMISSION: &[&str] = &["id", "action", "principals"];
const PERMISSION_INFO: &[&str] = &["accountId"];
const ACCESS: &[&str] = &["inherits", "permissions"];
const ENTRY: &[&str] = &["grant", "principalId", "principalKind"];
const GRANT: &[&str] = &["Subtype"];

/// The verbs of a `grant` object's `Subtype` (see the module docs): 1 read, 2 read and
/// update, 3 read, update, create and delete, 4 all five verbs.
///
/// # Examples
///
/// ```
/// use orgperm::ItemVerbs;
/// use orgperm::vendor::gtmhub::{subtype_of, verbs_of_subtype};
/// assert_eq!(verbs_of_subtype(2), Some(ItemVerbs::READ | ItemVerbs::UPDATE));
/// assert_eq!(verbs_of_subtype(4), Some(ItemVerbs::ALL));
/// assert_eq!(verbs_of_subtype(0), None);
/// assert_eq!(subtype_of(ItemVerbs::READ), Some(1));
/// assert_eq!(subtype_of(ItemVerbs::UPDATE), None); // not a level
/// ```
pub fn verbs_of_subtype(subtype: u64) -> Option<ItemVerbs> {
    let manage = ItemVerbs::READ | ItemVerbs::UPDATE | ItemVerbs::CREATE | ItemVerbs::DELETE;
    match subtype {
        1 => Some(ItemVerbs::READ),
        2 => Some(ItemVerbs::READ | ItemVerbs::UPDATE),
        3 => Some(manage),
        4 => Some(ItemVerbs::ALL),
        _ => None,
    }
}

/// The `Subtype` of a set of verbs, when it is one of the four levels.
pub fn subtype_of(verbs: ItemVerbs) -> Option<u64> {
    (1..=4).find(|&n| verbs_of_subtype(n) == Some(verbs))
}

/// Reads Quantive (Gtmhub) permission bodies into a model and the change set that builds it.
///
/// As [`GenesysImport`](crate::vendor::genesys::GenesysImport): one body at a time, all or
/// nothing, errors naming their path in the body, an import [`onto`](GtmhubImport::onto) an
/// existing model holding only the differences. Read the actions and the roles before the
/// users holding them, and those before the permission objects naming them.
///
/// # Examples
///
/// ```
/// use orgperm::vendor::gtmhub::GtmhubImport;
/// let mut import = GtmhubImport::new();
/// import.read_actions(r#"{"items": [
///     {"name": "access-goals", "title": "Access goals", "description": "See goals"},
///     {"name": "manage-goals", "title": "Manage goals", "description": "Edit goals"}]}"#)?;
/// import.read_roles(r#"{"items": [{"id": "5be2a1", "name": "Editors"}], "totalCount": 1}"#)?;
/// import.read_users(r#"{"items": [{"id": "5be2b7", "email": "ada@example.com", "roles": [{"id": "5be2a1"}]}]}"#)?;
/// import.read_permission(r#"{"accountId": "5be26318e5274a0007f17f61", "action": "manage-goals",
///     "principals": ["5be2a1"]}"#)?;
/// let done = import.finish();
/// let snap = done.model.compile();
/// assert_eq!(snap.rbac().user_actions("5be2b7"), ["access-goals", "manage-goals"]);
/// assert!(done.model.rbac().division_ids().next().is_none()); // no division needed
/// # Ok::<(), orgperm::ModelError>(())
/// ```
#[derive(Clone, Debug)]
pub struct GtmhubImport {
    strictness: Strictness,
    draft: Draft,
    warnings: Vec<InputError>,
}

impl Default for GtmhubImport {
    fn default() -> Self {
        Self::new()
    }
}

impl GtmhubImport {
    /// A strict import into an empty model.
    pub fn new() -> Self {
        Self::onto(Model::new())
    }

    /// A strict import onto `model` (clone it to keep the original): the change set holds
    /// the differences only.
    pub fn onto(model: Model) -> Self {
        GtmhubImport {
            strictness: Strictness::Strict,
            draft: Draft::new(model),
            warnings: Vec::new(),
        }
    }

    /// The same import in the given mode.
    pub fn with_strictness(mut self, strictness: Strictness) -> Self {
        self.strictness = strictness;
        self
    }

    /// The model read so far.
    pub fn model(&self) -> &Model {
        &self.draft.model
    }

    /// The warnings so far.
    pub fn warnings(&self) -> &[InputError] {
        &self.warnings
    }

    /// The model, its change set and the warnings.
    pub fn finish(self) -> Imported {
        let mut changes = ChangeSet::new();
        changes.ops = self.draft.ops;
        Imported {
            model: self.draft.model,
            changes,
            warnings: self.warnings,
        }
    }

    fn body<T>(
        &mut self,
        json: &str,
        read: impl FnOnce(
            &mut Reader,
            &Node<'_>,
            &mut Draft,
            &mut Vec<InputError>,
        ) -> Result<T, ModelError>,
    ) -> Result<T, ModelError> {
        let node = parse(json)?;
        let mut reader = Reader::new(self.strictness);
        let mut notes = Vec::new();
        let out = self
            .draft
            .body(|d| read(&mut reader, &node, d, &mut notes))?;
        self.warnings.append(&mut reader.warnings);
        self.warnings.append(&mut notes);
        Ok(out)
    }

    /// Reads an `actionsResponse` (`GET /permissions/actions`): `{items: [{name, title,
    /// description}]}`. New actions are added in one batch; `manage-X` (or `manage_X`)
    /// requires `access-X` (`access_X`) when that action is in the catalog or the batch (the
    /// body carries no dependencies; the names do). A known action with another title or
    /// description keeps its own (a warning): actions cannot change.
    pub fn read_actions(&mut self, json: &str) -> Result<usize, ModelError> {
        self.body(json, |r, node, d, notes| {
            let mut batch: Vec<ActionSpec> = Vec::new();
            let n = items(r, node, |r, e, at| {
                let obj = r.object(e, at, ACTION, &[])?;
                let spec = ActionSpec::new(obj.req_str("name")?, obj.str("title")?.unwrap_or(""))
                    .with_description(obj.str("description")?.unwrap_or(""));
                match d.model.rbac().action(&spec.name) {
                    Some(known) => {
                        if known.title != spec.title || known.description != spec.description {
                            notes.push(InputError::at(
                                at,
                                InputErrorKind::ValueKept {
                                    kept: known.title.clone(),
                                },
                            ));
                        }
                    }
                    None if batch.iter().any(|b| b.name == spec.name) => {
                        return Err(ModelError::at(
                            obj.at("name"),
                            InputErrorKind::DuplicateId { id: spec.name },
                        ));
                    }
                    None => batch.push(spec),
                }
                Ok(())
            })?;
            let names: BTreeSet<String> = batch.iter().map(|a| a.name.clone()).collect();
            for a in &mut batch {
                let access = ["manage-", "manage_"].iter().find_map(|p| {
                    let rest = a.name.strip_prefix(p)?;
                    Some(format!("{}{rest}", p.replacen("manage", "access", 1)))
                });
                if let Some(access) = access {
                    if names.contains(&access) || d.model.rbac().action(&access).is_some() {
                        a.requires = Some(access);
                    }
                }
            }
            if !batch.is_empty() {
                let op = Op::AddActions {
                    actions: batch
                        .iter()
                        .map(|a| ActionDocument(ActionDoc::from_spec(a)))
                        .collect(),
                };
                d.apply(op, "items", &[])?;
            }
            Ok(n)
        })
    }

    /// Reads a roles listing (`GET /roles`): `{items: [{id, name, description}],
    /// totalCount}`. A role is created, or its name and description updated (what else it
    /// holds stays).
    pub fn read_roles(&mut self, json: &str) -> Result<usize, ModelError> {
        self.body(json, |r, node, d, _| {
            let mut seen = BTreeSet::new();
            items(r, node, |r, e, at| {
                let obj = r.object(e, at, ROLE, ROLE_INFO)?;
                let id = obj.req_str("id")?;
                if !seen.insert(id.to_owned()) {
                    return Err(ModelError::at(
                        obj.at("id"),
                        InputErrorKind::DuplicateId { id: id.to_owned() },
                    ));
                }
                let name = obj.str("name")?.unwrap_or("");
                let description = obj.str("description")?.unwrap_or("");
                let op = match d.model.rbac().role(id) {
                    Some(known) if known.name == name && known.description == description => None,
                    Some(known) => {
                        let mut spec = known.clone();
                        spec.name = name.to_owned();
                        spec.description = description.to_owned();
                        Some(Op::UpdateRole {
                            role: Box::new(RoleDocument(RoleDoc::from_spec(&spec))),
                        })
                    }
                    None => {
                        let spec = RoleSpec::new(id, name).with_description(description);
                        Some(Op::CreateRole {
                            role: Box::new(RoleDocument(RoleDoc::from_spec(&spec))),
                        })
                    }
                };
                match op {
                    Some(op) => d.apply(op, at, &[]),
                    None => Ok(()),
                }
            })
        })
    }

    /// Reads a users listing (`GET /users`): `{items: [{id, roles: [{id}], email, …}],
    /// totalCount}`. A user the model lacks is added (a root of the org tree); the user's
    /// roles become exactly their undivided grants ([`RbacMut::grant_role_undivided`](crate::RbacMut::grant_role_undivided)):
    /// Quantive has no divisions.
    pub fn read_users(&mut self, json: &str) -> Result<usize, ModelError> {
        self.body(json, |r, node, d, _| {
            let mut seen = BTreeSet::new();
            items(r, node, |r, e, at| {
                let obj = r.object(e, at, USER, USER_INFO)?;
                let id = obj.req_str("id")?;
                if !seen.insert(id.to_owned()) {
                    return Err(ModelError::at(
                        obj.at("id"),
                        InputErrorKind::DuplicateId { id: id.to_owned() },
                    ));
                }
                let mut want: Vec<String> = Vec::new();
                for (i, role) in obj.array("roles")?.unwrap_or(&[]).iter().enumerate() {
                    let role = r.object(role, &index_path(&obj.at("roles"), i), REF, REF_INFO)?;
                    let rid = role.req_str("id")?;
                    if d.model.rbac().role(rid).is_none() {
                        return Err(ModelError::at(
                            role.at("id"),
                            RbacErrorKind::UnknownRole { id: rid.to_owned() },
                        ));
                    }
                    if !want.iter().any(|w| w == rid) {
                        want.push(rid.to_owned());
                    }
                }
                if d.model.user_id(id).is_none() {
                    let op = Op::AddUser {
                        id: id.to_owned(),
                        manager_id: None,
                    };
                    d.apply(op, at, &[])?;
                }
                let have: Vec<String> = d
                    .model
                    .rbac()
                    .subject_grants(Subject::User(id))
                    .map_err(ModelError::from)?
                    .into_iter()
                    .filter(|g| g.division_id.is_empty())
                    .map(|g| g.role_id)
                    .collect();
                for role in have.iter().filter(|h| !want.contains(h)) {
                    let op = Op::RevokeUndividedRole {
                        user_id: Some(id.to_owned()),
                        group_id: None,
                        role_id: role.clone(),
                    };
                    d.apply(op, &obj.at("roles"), &[])?;
                }
                for (i, role) in want.iter().enumerate() {
                    if !have.contains(role) {
                        let op = Op::GrantUndividedRole {
                            user_id: Some(id.to_owned()),
                            group_id: None,
                            role_id: role.clone(),
                        };
                        let at = index_path(&obj.at("roles"), i);
                        d.apply(op, &at, &[("roleId", "id")])?;
                    }
                }
                Ok(())
            })
        })
    }

    /// Reads a `GlobalPermissionDto` (`GET`, `POST`, `PUT /permissions/{id}`): `{accountId,
    /// action, id, principals: [id]}`. A bare principal id names the user or the role with
    /// that id (both: an ambiguity error). Without an `id` (a `POST` body) the model assigns
    /// one ([`RbacMut::add_global_permission`](crate::RbacMut::add_global_permission)); the
    /// change set records it. A known id is updated when it differs. Returns the id.
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::vendor::gtmhub::GtmhubImport;
    /// let mut import = GtmhubImport::new();
    /// import.read_actions(r#"{"items": [{"name": "access-goals", "title": "Access goals"}]}"#)?;
    /// import.read_users(r#"{"items": [{"id": "u1"}]}"#)?;
    /// let id = import.read_permission(r#"{"action": "access-goals", "principals": ["u1"]}"#)?;
    /// assert_eq!(id, "000000000000000000000001");
    /// let err = import.read_permission(r#"{"action": "access-goals", "principals": ["u1", "ghost"]}"#).unwrap_err();
    /// assert_eq!(err.to_string(), "principals[1]: principal \"ghost\" is neither a user nor a role");
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    pub fn read_permission(&mut self, json: &str) -> Result<String, ModelError> {
        self.body(json, |r, node, d, _| read_permission(r, node, "", d))
    }

    /// Reads a list of permission objects, `{items: [GlobalPermissionDto]}`. Returns their
    /// ids, in order.
    pub fn read_permissions(&mut self, json: &str) -> Result<Vec<String>, ModelError> {
        self.body(json, |r, node, d, _| {
            let mut ids: Vec<String> = Vec::new();
            items(r, node, |r, e, at| {
                let id = read_permission(r, e, at, d)?;
                if ids.contains(&id) {
                    return Err(ModelError::at(
                        format!("{at}.id"),
                        InputErrorKind::DuplicateId { id },
                    ));
                }
                ids.push(id);
                Ok(())
            })?;
            Ok(ids)
        })
    }

    /// Reads the body of `PUT /permissions/principal/{id}`, the principal's actions from now
    /// on: `{items: [action name]}` (the shape
    /// [`effective_permissions`](super::effective_permissions) answers). Applied with
    /// [`RbacMut::set_principal_actions`](crate::RbacMut::set_principal_actions); nothing
    /// is recorded when the principal is already bound to exactly these. `principal_id` is
    /// a bare id (a user or a role).
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::vendor::gtmhub::GtmhubImport;
    /// let mut import = GtmhubImport::new();
    /// import.read_actions(r#"{"items": [{"name": "access-goals"}, {"name": "manage-goals"}]}"#)?;
    /// import.read_users(r#"{"items": [{"id": "u1"}]}"#)?;
    /// import.read_principal_actions("u1", r#"{"items": ["manage-goals"]}"#)?;
    /// assert_eq!(import.model().compile().rbac().user_actions("u1"), ["access-goals", "manage-goals"]);
    /// let err = import.read_principal_actions("u1", r#"{"items": ["manage-kpis"]}"#).unwrap_err();
    /// assert_eq!(err.to_string(), "items[0]: unknown action \"manage-kpis\"");
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    pub fn read_principal_actions(
        &mut self,
        principal_id: &str,
        json: &str,
    ) -> Result<(), ModelError> {
        self.body(json, |r, node, d, _| {
            let obj = r.object(node, "", ITEMS, ITEMS_INFO)?;
            let names = obj.strings("items")?;
            for (i, n) in names.iter().enumerate() {
                if d.model.rbac().action(n).is_none() {
                    return Err(ModelError::at(
                        index_path("items", i),
                        RbacErrorKind::UnknownAction {
                            id: (*n).to_owned(),
                        },
                    ));
                }
            }
            let principal = d
                .model
                .rbac()
                .resolve_principal(principal_id)
                .map_err(|e| ModelError::at("principalId", e.kind().clone()))?;
            let have: BTreeSet<String> = d
                .model
                .rbac()
                .global_permissions()
                .into_iter()
                .filter(|g| g.principals.contains(&principal))
                .map(|g| g.action)
                .collect();
            let want: BTreeSet<String> = names.iter().map(|n| (*n).to_owned()).collect();
            if have == want {
                return Ok(());
            }
            let Some(doc) = PrincipalDoc::from_principal(principal) else {
                return Ok(());
            };
            let op = Op::SetPrincipalActions {
                principal: PrincipalDocument(doc),
                actions: want.into_iter().collect(),
            };
            d.apply(op, "", &[])
        })
    }

    /// Reads a `defaultAccess` body (`GET /permissions/default-access/{itemType}`):
    /// `{inherits: false, permissions: [{grant: {Subtype}, principalId, principalKind}]}`,
    /// the default list of an item type. `Subtype` maps to verbs as
    /// [`verbs_of_subtype`] says; a default list cannot inherit.
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::ItemType;
    /// use orgperm::vendor::gtmhub::GtmhubImport;
    /// let mut import = GtmhubImport::new();
    /// import.read_default_access(ItemType::Dashboard, r#"{"inherits": false, "permissions": [
    ///     {"grant": {"Subtype": 1}, "principalId": "5be26318e5274a0007f17f61", "principalKind": "account"}]}"#)?;
    /// let list = import.model().items().default_access(ItemType::Dashboard).unwrap();
    /// assert_eq!(list[0].grant, orgperm::ItemVerbs::READ);
    /// let err = import.read_default_access(ItemType::Dashboard, r#"{"permissions": [
    ///     {"grant": {"Subtype": 7}, "principalKind": "account"}]}"#).unwrap_err();
    /// assert_eq!(err.path(), "permissions[0].grant.Subtype");
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    pub fn read_default_access(
        &mut self,
        item_type: ItemType,
        json: &str,
    ) -> Result<(), ModelError> {
        self.body(json, |r, node, d, _| {
            let entries = read_access(r, node)?;
            if d.model.items().default_access(item_type).as_deref() == Some(entries.as_slice()) {
                return Ok(());
            }
            let op = Op::SetDefaultAccess {
                item_type: item_type.as_str().to_owned(),
                permissions: Some(
                    entries
                        .iter()
                        .map(|e| AccessEntryDocument(entry_doc(e)))
                        .collect(),
                ),
            };
            d.apply(op, "", &[])
        })
    }

    /// Reads a `defaultAccess` body for one item (`GET
    /// /permissions/default-access/{itemType}/{itemId}`): the default list of the item's
    /// children (a session or a dashboard, already in the model).
    pub fn read_item_default_access(
        &mut self,
        item_id: &str,
        json: &str,
    ) -> Result<(), ModelError> {
        self.body(json, |r, node, d, _| {
            let entries = read_access(r, node)?;
            let op = Op::SetItemDefaultAccess {
                id: item_id.to_owned(),
                default_access: Some(Box::new(DefaultAccessDocument(DefaultDoc::from_entries(
                    &entries,
                )))),
            };
            d.apply(op, "", &[("id", "itemId")])
        })
    }
}

/// The entries of an `{items: [...]}` body, each read by `entry` at `items[i]`; their count.
fn items(
    r: &mut Reader,
    node: &Node<'_>,
    mut entry: impl FnMut(&mut Reader, &Node<'_>, &str) -> Result<(), ModelError>,
) -> Result<usize, ModelError> {
    let obj = r.object(node, "", ITEMS, ITEMS_INFO)?;
    let list = obj.array("items")?.unwrap_or(&[]);
    for (i, e) in list.iter().enumerate() {
        entry(r, e, &index_path("items", i))?;
    }
    Ok(list.len())
}

/// One `GlobalPermissionDto` at `at`, created or updated; its id.
fn read_permission(
    r: &mut Reader,
    node: &Node<'_>,
    at: &str,
    d: &mut Draft,
) -> Result<String, ModelError> {
    let obj: Obj<'_, '_> = r.object(node, at, PERMISSION, PERMISSION_INFO)?;
    let action = obj.req_str("action")?;
    if d.model.rbac().action(action).is_none() {
        return Err(ModelError::at(
            obj.at("action"),
            RbacErrorKind::UnknownAction {
                id: action.to_owned(),
            },
        ));
    }
    let mut principals: Vec<Principal> = Vec::new();
    for (i, p) in obj.array("principals")?.unwrap_or(&[]).iter().enumerate() {
        let p_at = index_path(&obj.at("principals"), i);
        let id = as_str(p, &p_at)?;
        let resolved = d
            .model
            .rbac()
            .resolve_principal(id)
            .map_err(|e| ModelError::at(&p_at, e.kind().clone()))?;
        principals.push(resolved);
    }
    let id = match obj.str("id")? {
        Some(id) if !id.is_empty() => id.to_owned(),
        _ => d.model.rbac().next_global_permission_id(),
    };
    let spec = GlobalPermissionSpec {
        id: id.clone(),
        action: action.to_owned(),
        principals,
    };
    let op = match d.model.rbac().global_permission(&id) {
        Some(mut known) => {
            let mut mine = spec.principals.clone();
            mine.sort();
            mine.dedup();
            known.principals.sort();
            if known.action == spec.action && known.principals == mine {
                return Ok(id);
            }
            Op::UpdateGlobalPermission {
                global_permission: Box::new(GlobalPermissionDocument(
                    GlobalPermissionDoc::from_spec(&spec),
                )),
            }
        }
        None => Op::CreateGlobalPermission {
            global_permission: Box::new(GlobalPermissionDocument(GlobalPermissionDoc::from_spec(
                &spec,
            ))),
        },
    };
    d.apply(op, at, &[])?;
    Ok(id)
}

/// A `defaultAccess` body: its entries (`inherits` must be false or absent).
fn read_access(r: &mut Reader, node: &Node<'_>) -> Result<Vec<AccessEntry>, ModelError> {
    let obj = r.object(node, "", ACCESS, &[])?;
    if obj.bool("inherits")? == Some(true) {
        return Err(ModelError::at(
            obj.at("inherits"),
            InputErrorKind::Conflict {
                reason: "a default access list does not inherit",
            },
        ));
    }
    let mut out = Vec::new();
    for (i, e) in obj.array("permissions")?.unwrap_or(&[]).iter().enumerate() {
        let at = index_path(&obj.at("permissions"), i);
        let entry = r.object(e, &at, ENTRY, &[])?;
        let kind_name = entry.req_str("principalKind")?;
        let kind = PrincipalKind::parse(kind_name).ok_or_else(|| {
            ModelError::at(
                entry.at("principalKind"),
                ItemErrorKind::UnknownPrincipalKind {
                    value: kind_name.to_owned(),
                },
            )
        })?;
        let grant = match entry.get("grant") {
            Some(g) => r.object(g, &entry.at("grant"), GRANT, &[])?,
            None => return Err(ModelError::at(entry.at("grant"), InputErrorKind::Required)),
        };
        let verbs = match grant.get("Subtype") {
            None => {
                return Err(ModelError::at(
                    grant.at("Subtype"),
                    InputErrorKind::Required,
                ));
            }
            Some(n) => match n {
                Node::Unsigned(v) => verbs_of_subtype(*v),
                _ => None,
            }
            .ok_or_else(|| {
                crate::vendor::reading::wrong(&grant.at("Subtype"), "a Subtype of 1, 2, 3 or 4", n)
            })?,
        };
        let id = entry.str("principalId")?.unwrap_or("");
        out.push(AccessEntry::new(kind, id, verbs));
    }
    Ok(out)
}
