//! Answers in Genesys Cloud's shapes (see the module docs of [`genesys`](super)).

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::error::ErrorClass;
use crate::model::Model;
use crate::model_error::ModelError;
use crate::rbac::condition::{Condition, Operand};
use crate::rbac::error::RbacErrorKind;
use crate::rbac::grants::Subject;
use crate::rbac::listing::Page;
use crate::rbac::query::PermittedDivisions;
use crate::rbac::role::{PolicySpec, RoleQuery, RoleSpec};
use crate::snapshot::Snapshot;
use crate::vendor::reading::{Reader, Strictness, parse};

use super::SubjectKind;

const API: &str = "/api/v2";

/// A paged listing (`*EntityListing`): the entities and the figures to page on. URIs are
/// absent where there is no such page.
///
/// # Examples
///
/// ```
/// use orgperm::{Model, RoleQuery, RoleSpec};
/// let mut model = Model::new();
/// for i in 0..3 {
///     model.rbac_mut().create_role(RoleSpec::new(format!("r{i}"), format!("Role {i}")))?;
/// }
/// let page = orgperm::vendor::genesys::roles_page(&model, &RoleQuery::new().page(2, 1))?;
/// assert_eq!((page.total, page.page_count, page.entities.len()), (3, 2, 2));
/// assert_eq!(page.next_uri.as_deref(), Some("/api/v2/authorization/roles?pageSize=2&pageNumber=2"));
/// assert_eq!(page.previous_uri, None);
/// # Ok::<(), orgperm::ModelError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EntityListing<T> {
    /// The entities of the page.
    pub entities: Vec<T>,
    /// `pageSize`.
    pub page_size: usize,
    /// `pageNumber`, from 1.
    pub page_number: usize,
    /// `total`: entities on every page.
    pub total: usize,
    /// `firstUri`.
    pub first_uri: String,
    /// `selfUri`.
    pub self_uri: String,
    /// `nextUri`, absent on the last page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_uri: Option<String>,
    /// `previousUri`, absent on the first page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub previous_uri: Option<String>,
    /// `lastUri`.
    pub last_uri: String,
    /// `pageCount`.
    pub page_count: usize,
}

impl<T> EntityListing<T> {
    /// The listing of a page at `path` (`/authorization/roles`), entities mapped.
    fn of<S>(page: Page<S>, path: &str, entity: impl FnMut(S) -> T) -> Self {
        let uri = |n: usize| format!("{API}{path}?pageSize={}&pageNumber={n}", page.page_size);
        let last = page.page_count.max(1);
        EntityListing {
            first_uri: uri(1),
            self_uri: uri(page.page_number),
            next_uri: (page.page_number < page.page_count).then(|| uri(page.page_number + 1)),
            previous_uri: (page.page_number > 1).then(|| uri(page.page_number - 1)),
            last_uri: uri(last),
            page_size: page.page_size,
            page_number: page.page_number,
            total: page.total,
            page_count: page.page_count,
            entities: page.entities.into_iter().map(entity).collect(),
        }
    }
}

/// A `DomainOrganizationRole`.
///
/// # Examples
///
/// ```
/// let mut model = orgperm::Model::new();
/// model.rbac_mut().create_role(orgperm::RoleSpec::new("r1", "Agents"))?;
/// let role = orgperm::vendor::genesys::role_entity(&model, "r1")?;
/// assert_eq!(serde_json::to_string(&role).unwrap(),
///     r#"{"id":"r1","name":"Agents","permissions":[],"permissionPolicies":[],"userCount":0,"roleNeedsUpdate":false,"base":false,"default":false,"selfUri":"/api/v2/authorization/roles/r1"}"#);
/// # Ok::<(), orgperm::ModelError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RoleEntity {
    /// `id`.
    pub id: String,
    /// `name`.
    pub name: String,
    /// `description`, absent when empty.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// `defaultRoleId`, for a role based on a default role.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default_role_id: Option<String>,
    /// `permissions`: the flat permissions.
    pub permissions: Vec<String>,
    /// `permissionPolicies`.
    pub permission_policies: Vec<PolicyEntity>,
    /// `userCount`: active users holding the role.
    pub user_count: usize,
    /// `roleNeedsUpdate`.
    pub role_needs_update: bool,
    /// `base`: the base role every user holds.
    pub base: bool,
    /// `default`: based on a default role.
    pub default: bool,
    /// `selfUri`.
    pub self_uri: String,
}

/// A `DomainPermissionPolicy`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PolicyEntity {
    /// `domain`.
    pub domain: String,
    /// `entityName` (`*` for every entity).
    pub entity_name: String,
    /// `actionSet` (`*` for every action).
    pub action_set: Vec<String>,
    /// `allowConditions`: whether every permission the policy names allows conditions.
    pub allow_conditions: bool,
    /// `resourceConditionNode`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resource_condition_node: Option<ConditionNode>,
}

/// A `DomainResourceConditionNode`: a leaf (`variableName`, `operator`, `operands`) or a
/// group (`conjunction`, `terms`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct ConditionNode {
    /// `variableName` of a leaf.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub variable_name: Option<String>,
    /// `operator` of a leaf.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub operator: Option<String>,
    /// `operands` of a leaf.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub operands: Option<Vec<OperandEntity>>,
    /// `conjunction` of a group.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub conjunction: Option<String>,
    /// `terms` of a group.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub terms: Option<Vec<ConditionNode>>,
}

/// A `DomainResourceConditionValue`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OperandEntity {
    /// `type`.
    #[serde(rename = "type")]
    pub kind: String,
    /// `value`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// `queue` (`{id}`) of a QUEUE operand.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub queue: Option<RoleRef>,
    /// `user` (`{id}`): never written, since a USER operand stands for the checking user.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user: Option<RoleRef>,
}

/// A reference `{id, name}` (a `DomainRole`, or a queue or user of an operand without name).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RoleRef {
    /// `id`.
    pub id: String,
    /// `name`, absent when unknown.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

impl ConditionNode {
    /// The node of a condition (validated roles nest at most [`MAX_DEPTH`](crate::MAX_DEPTH)
    /// deep, which bounds the recursion).
    fn of(c: &Condition) -> Self {
        match c {
            Condition::Leaf {
                variable_name,
                operator,
                operands,
            } => ConditionNode {
                variable_name: Some(variable_name.clone()),
                operator: Some(operator.as_str().to_owned()),
                operands: Some(
                    operands
                        .iter()
                        .map(|o| OperandEntity {
                            kind: o.kind().to_owned(),
                            value: match o {
                                Operand::Scalar(v) | Operand::Variable(v) => Some(v.clone()),
                                Operand::Queue(_) | Operand::User => None,
                            },
                            queue: match o {
                                Operand::Queue(id) => Some(RoleRef {
                                    id: id.clone(),
                                    name: None,
                                }),
                                _ => None,
                            },
                            user: None,
                        })
                        .collect(),
                ),
                ..ConditionNode::default()
            },
            Condition::Group { conjunction, terms } => ConditionNode {
                conjunction: Some(conjunction.as_str().to_owned()),
                terms: Some(terms.iter().map(ConditionNode::of).collect()),
                ..ConditionNode::default()
            },
        }
    }
}

fn policy_entity(model: &Model, p: &PolicySpec) -> PolicyEntity {
    let rbac = model.rbac();
    let names: Vec<String> = if p.is_wildcard() {
        Vec::new()
    } else {
        p.action_set
            .iter()
            .map(|a| format!("{}:{}:{a}", p.domain, p.entity_name))
            .collect()
    };
    let allow_conditions = !names.is_empty()
        && names
            .iter()
            .all(|n| rbac.permission(n).is_some_and(|s| s.allows_conditions));
    PolicyEntity {
        domain: p.domain.clone(),
        entity_name: p.entity_name.clone(),
        action_set: p.action_set.clone(),
        allow_conditions,
        resource_condition_node: p.condition.as_ref().map(ConditionNode::of),
    }
}

fn role_body(
    model: &Model,
    spec: &RoleSpec,
    user_count: usize,
    needs_update: bool,
    base: bool,
) -> RoleEntity {
    RoleEntity {
        id: spec.id.clone(),
        name: spec.name.clone(),
        description: spec.description.clone(),
        default_role_id: spec.default_role_id.clone(),
        permissions: spec.permissions.clone(),
        permission_policies: spec
            .permission_policies
            .iter()
            .map(|p| policy_entity(model, p))
            .collect(),
        user_count,
        role_needs_update: needs_update,
        base,
        default: spec.default_role_id.is_some(),
        self_uri: format!("{API}/authorization/roles/{}", spec.id),
    }
}

fn unknown_role(id: &str, path: &str) -> ModelError {
    ModelError::at(path, RbacErrorKind::UnknownRole { id: id.to_owned() })
}

/// The `DomainOrganizationRole` of a role (`GET /authorization/roles/{roleId}`).
pub fn role_entity(model: &Model, role_id: &str) -> Result<RoleEntity, ModelError> {
    let s = model
        .rbac()
        .role_summary(role_id)
        .ok_or_else(|| unknown_role(role_id, "roleId"))?;
    Ok(role_body(
        model,
        s.role,
        s.user_count,
        s.needs_update,
        s.base,
    ))
}

/// A page of roles, sorted and filtered as `query` says (`GET /authorization/roles`).
pub fn roles_page(
    model: &Model,
    query: &RoleQuery,
) -> Result<EntityListing<RoleEntity>, ModelError> {
    let page = model.rbac().list_roles(query).map_err(ModelError::from)?;
    Ok(EntityListing::of(page, "/authorization/roles", |s| {
        role_body(model, s.role, s.user_count, s.needs_update, s.base)
    }))
}

/// A listing read by cursor: the entities, the page size and total, and the URIs of the
/// pages around it with their `nextPage` / `previousPage` tokens.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CursorListing<T> {
    /// The entities of the page.
    pub entities: Vec<T>,
    /// `pageSize`.
    pub page_size: usize,
    /// `total`.
    pub total: usize,
    /// `selfUri`.
    pub self_uri: String,
    /// `nextUri` (with `nextPage=`), absent on the last page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_uri: Option<String>,
    /// `previousUri` (with `previousPage=`), absent on the first page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub previous_uri: Option<String>,
}

/// A page of roles by cursor (`GET /authorization/roles?nextPage=…` or `previousPage=…`):
/// the query's sort, filter and [`RoleCursor`](crate::RoleCursor).
///
/// # Examples
///
/// ```
/// use orgperm::{Model, RoleQuery, RoleSpec};
/// use orgperm::vendor::genesys::{roles_cursor_page, GenesysImport};
/// let mut model = Model::new();
/// for i in 0..3 {
///     model.rbac_mut().create_role(RoleSpec::new(format!("r{i}"), format!("Role {i}")))?;
/// }
/// let first = roles_cursor_page(&model, &RoleQuery::new().page(2, 1))?;
/// let info = GenesysImport::new().read_roles_page(&serde_json::to_string(&first).unwrap())?;
/// let token = info.next_page_token().unwrap();
/// let second = roles_cursor_page(&model, &RoleQuery::new().page(2, 1).after(token))?;
/// assert_eq!(second.entities.iter().map(|r| r.id.as_str()).collect::<Vec<_>>(), ["r2"]);
/// assert!(second.next_uri.is_none() && second.previous_uri.is_some());
/// # Ok::<(), orgperm::ModelError>(())
/// ```
pub fn roles_cursor_page(
    model: &Model,
    query: &RoleQuery,
) -> Result<CursorListing<RoleEntity>, ModelError> {
    let page = model
        .rbac()
        .list_roles_by_cursor(query)
        .map_err(ModelError::from)?;
    let base = format!("{API}/authorization/roles?pageSize={}", page.page_size);
    let self_uri = match &query.cursor {
        None => base.clone(),
        Some(crate::rbac::role::RoleCursor::After(t)) => format!("{base}&nextPage={t}"),
        Some(crate::rbac::role::RoleCursor::Before(t)) => format!("{base}&previousPage={t}"),
    };
    Ok(CursorListing {
        next_uri: page.next.as_ref().map(|t| format!("{base}&nextPage={t}")),
        previous_uri: page
            .previous
            .as_ref()
            .map(|t| format!("{base}&previousPage={t}")),
        self_uri,
        page_size: page.page_size,
        total: page.total,
        entities: page
            .entities
            .into_iter()
            .map(|s| role_body(model, s.role, s.user_count, s.needs_update, s.base))
            .collect(),
    })
}

/// The answer of a restore (`POST` or `PUT /authorization/roles/default`): the roles it
/// created or reset, in the order given, on one page.
///
/// # Examples
///
/// ```
/// use orgperm::{DefaultRoleTemplate, Model, RoleSpec};
/// let mut model = Model::new();
/// model.rbac_mut().set_default_role_template(DefaultRoleTemplate::new("sup", RoleSpec::new("r-sup", "Supervisor")))?;
/// let ids = model.rbac_mut().restore_default_roles(false)?;
/// let body = orgperm::vendor::genesys::restore_result(&model, &ids)?;
/// assert_eq!(body.entities[0].default_role_id.as_deref(), Some("sup"));
/// assert_eq!((body.total, body.page_count), (1, 1));
/// # Ok::<(), orgperm::ModelError>(())
/// ```
pub fn restore_result(
    model: &Model,
    role_ids: &[String],
) -> Result<EntityListing<RoleEntity>, ModelError> {
    let mut entities = Vec::with_capacity(role_ids.len());
    for (i, id) in role_ids.iter().enumerate() {
        entities.push(
            role_entity(model, id)
                .map_err(|e| ModelError::at(format!("[{i}]"), e.kind().clone()))?,
        );
    }
    let n = entities.len();
    let page = Page {
        entities,
        page_number: 1,
        page_size: n.max(1),
        total: n,
        page_count: usize::from(n > 0),
    };
    Ok(EntityListing::of(
        page,
        "/authorization/roles/default",
        |e| e,
    ))
}

/// A `DomainPermissionCollection`: one domain and its permissions by entity.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PermissionCollection {
    /// `id`: the domain.
    pub id: String,
    /// `domain`.
    pub domain: String,
    /// `permissionMap`: entity name → its permissions, by action.
    pub permission_map: BTreeMap<String, Vec<PermissionEntity>>,
    /// `selfUri`.
    pub self_uri: String,
}

/// A `DomainPermission`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PermissionEntity {
    /// `domain`.
    pub domain: String,
    /// `entityType`.
    pub entity_type: String,
    /// `action`.
    pub action: String,
    /// `label`.
    pub label: String,
    /// `allowsConditions`.
    pub allows_conditions: bool,
    /// `divisionAware`.
    pub division_aware: bool,
}

/// A page of the catalog by domain (`GET /authorization/permissions`): each entity is a
/// domain with its atoms by entity, sorted. Flat permissions (`admin`) are not listed, as
/// in the API; a role's `permissions` names them.
///
/// # Examples
///
/// ```
/// use orgperm::{Model, PermissionSpec};
/// let mut model = Model::new();
/// model.rbac_mut().add_permission(PermissionSpec::new("routing:queue:view", "View queues").division_aware())?;
/// let page = orgperm::vendor::genesys::permissions_page(&model, 25, 1)?;
/// let json = serde_json::to_string(&page.entities[0]).unwrap();
/// assert_eq!(json, r#"{"id":"routing","domain":"routing","permissionMap":{"queue":[{"domain":"routing","entityType":"queue","action":"view","label":"View queues","allowsConditions":false,"divisionAware":true}]},"selfUri":"/api/v2/authorization/permissions/routing"}"#);
/// # Ok::<(), orgperm::ModelError>(())
/// ```
pub fn permissions_page(
    model: &Model,
    page_size: usize,
    page_number: usize,
) -> Result<EntityListing<PermissionCollection>, ModelError> {
    let rbac = model.rbac();
    let all = rbac
        .list_permissions(&crate::rbac::catalog::PermissionQuery::new().page(usize::MAX, 1))
        .map_err(ModelError::from)?;
    let mut domains: BTreeMap<String, PermissionCollection> = BTreeMap::new();
    for p in all.entities {
        let Some((d, e, a)) = p.parts() else { continue };
        let c = domains
            .entry(d.to_owned())
            .or_insert_with(|| PermissionCollection {
                id: d.to_owned(),
                domain: d.to_owned(),
                permission_map: BTreeMap::new(),
                self_uri: format!("{API}/authorization/permissions/{d}"),
            });
        c.permission_map
            .entry(e.to_owned())
            .or_default()
            .push(PermissionEntity {
                domain: d.to_owned(),
                entity_type: e.to_owned(),
                action: a.to_owned(),
                label: p.label.clone(),
                allows_conditions: p.allows_conditions,
                division_aware: p.division_aware,
            });
    }
    let page =
        crate::rbac::listing::paginate(domains.into_values().collect(), page_size, page_number)
            .map_err(ModelError::from)?;
    Ok(EntityListing::of(page, "/authorization/permissions", |c| c))
}

/// A `DomainOrganizationProduct`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ProductEntity {
    /// `id`: the product.
    pub id: String,
}

/// The enabled products (`GET /authorization/products`), one page.
///
/// # Examples
///
/// ```
/// let mut model = orgperm::Model::new();
/// model.rbac_mut().enable_product("engage")?;
/// assert_eq!(orgperm::vendor::genesys::products(&model).entities[0].id, "engage");
/// # Ok::<(), orgperm::ModelError>(())
/// ```
pub fn products(model: &Model) -> EntityListing<ProductEntity> {
    let entities: Vec<ProductEntity> = model
        .rbac()
        .enabled_products()
        .map(|p| ProductEntity { id: p.to_owned() })
        .collect();
    let n = entities.len();
    let page = Page {
        entities,
        page_number: 1,
        page_size: n.max(1),
        total: n,
        page_count: usize::from(n > 0),
    };
    EntityListing::of(page, "/authorization/products", |e| e)
}

/// An `AuthzDivision`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DivisionEntity {
    /// `id`.
    pub id: String,
    /// `name`.
    pub name: String,
    /// `homeDivision`.
    pub home_division: bool,
    /// `selfUri`.
    pub self_uri: String,
}

fn division_entity(model: &Model, id: &str) -> DivisionEntity {
    let rbac = model.rbac();
    DivisionEntity {
        id: id.to_owned(),
        name: rbac.division_name(id).unwrap_or("").to_owned(),
        home_division: rbac.home_division() == Some(id),
        self_uri: format!("{API}/authorization/divisions/{id}"),
    }
}

/// A page of divisions sorted by id (`GET /authorization/divisions`).
///
/// # Examples
///
/// ```
/// let mut model = orgperm::Model::new();
/// model.rbac_mut().add_division("home", "Home")?;
/// let page = orgperm::vendor::genesys::divisions_page(&model, 25, 1)?;
/// assert!(page.entities[0].home_division);
/// # Ok::<(), orgperm::ModelError>(())
/// ```
pub fn divisions_page(
    model: &Model,
    page_size: usize,
    page_number: usize,
) -> Result<EntityListing<DivisionEntity>, ModelError> {
    let mut ids: Vec<&str> = model.rbac().division_ids().collect();
    ids.sort_unstable();
    let page =
        crate::rbac::listing::paginate(ids, page_size, page_number).map_err(ModelError::from)?;
    Ok(EntityListing::of(page, "/authorization/divisions", |id| {
        division_entity(model, id)
    }))
}

/// The divisions in which `user` holds `permission` without condition (`GET
/// /authorization/divisionspermitted/{subjectId}?permission=`), sorted by id: every division
/// for a `*` grant or a permission that is not division-aware; none for an unknown user or
/// permission.
///
/// # Examples
///
/// ```
/// use orgperm::{Model, PermissionSpec, PolicySpec, RoleSpec, Subject};
/// let mut model = Model::new();
/// model.rbac_mut().add_division("home", "Home")?;
/// model.rbac_mut().add_division("emea", "EMEA")?;
/// model.add_user("ada", None)?;
/// model.rbac_mut().add_permission(PermissionSpec::new("routing:queue:view", "View").division_aware())?;
/// model.rbac_mut().create_role(RoleSpec::new("r", "R").with_policy(PolicySpec::new("routing", "queue", ["view"])))?;
/// model.rbac_mut().grant_role(Subject::User("ada"), "r", Some("emea"))?;
/// let snap = model.compile();
/// let list = orgperm::vendor::genesys::divisions_permitted(&model, &snap, "ada", "routing:queue:view");
/// assert_eq!(list.iter().map(|d| d.id.as_str()).collect::<Vec<_>>(), ["emea"]);
/// # Ok::<(), orgperm::ModelError>(())
/// ```
pub fn divisions_permitted(
    model: &Model,
    snap: &Snapshot,
    user: &str,
    permission: &str,
) -> Vec<DivisionEntity> {
    let rbac = snap.rbac();
    let mut ids: Vec<&str> = match rbac.divisions_permitted(user, permission) {
        PermittedDivisions::All => model.rbac().division_ids().collect(),
        PermittedDivisions::Only(v) => v
            .into_iter()
            .filter_map(|d| rbac.division_name(d))
            .collect(),
    };
    ids.sort_unstable();
    ids.into_iter()
        .map(|id| division_entity(model, id))
        .collect()
}

/// An `AuthzSubject`: a user's or group's own grants.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SubjectBody {
    /// `id`.
    pub id: String,
    /// `name` (a group's; absent for a user).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// `grants`, sorted by role and division.
    pub grants: Vec<GrantEntity>,
    /// `selfUri`.
    pub self_uri: String,
}

/// An `AuthzGrant`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct GrantEntity {
    /// `subjectId`.
    pub subject_id: String,
    /// `division` (`{id: "*"}` for every division).
    pub division: RoleRef,
    /// `role`.
    pub role: RoleRef,
}

/// The `AuthzSubject` of a user or group (`GET /authorization/subjects/{id}`).
///
/// # Examples
///
/// ```
/// use orgperm::{Model, RoleSpec, Subject};
/// use orgperm::vendor::genesys::{subject, SubjectKind};
/// let mut model = Model::new();
/// model.rbac_mut().add_division("home", "Home")?;
/// model.add_user("ada", None)?;
/// model.rbac_mut().create_role(RoleSpec::new("r", "Agents"))?;
/// model.rbac_mut().grant_role(Subject::User("ada"), "r", Some("*"))?;
/// let body = subject(&model, SubjectKind::User, "ada")?;
/// assert_eq!(serde_json::to_string(&body.grants[0]).unwrap(),
///     r#"{"subjectId":"ada","division":{"id":"*"},"role":{"id":"r","name":"Agents"}}"#);
/// # Ok::<(), orgperm::ModelError>(())
/// ```
pub fn subject(model: &Model, kind: SubjectKind, id: &str) -> Result<SubjectBody, ModelError> {
    let rbac = model.rbac();
    let (s, name) = match kind {
        SubjectKind::User => (Subject::User(id), None),
        SubjectKind::Group => (Subject::Group(id), rbac.group_name(id).map(str::to_owned)),
        SubjectKind::Client => (Subject::Client(id), None),
    };
    let mut grants: Vec<GrantEntity> = rbac
        .subject_grants(s)
        .map_err(ModelError::from)?
        .into_iter()
        .map(|g| GrantEntity {
            subject_id: id.to_owned(),
            division: RoleRef {
                name: rbac.division_name(&g.division_id).map(str::to_owned),
                id: g.division_id,
            },
            role: RoleRef {
                name: rbac.role(&g.role_id).map(|r| r.name.clone()),
                id: g.role_id,
            },
        })
        .collect();
    grants.sort_by(|a, b| (&a.role.id, &a.division.id).cmp(&(&b.role.id, &b.division.id)));
    Ok(SubjectBody {
        id: id.to_owned(),
        name,
        grants,
        self_uri: format!("{API}/authorization/subjects/{id}"),
    })
}

/// A `UserAuthorization`: the roles a user holds, the permissions they hold without
/// condition, and the policies of their roles.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UserAuthorizationBody {
    /// `roles` `{id, name}`, sorted by id: held directly, through a group or as the base role.
    pub roles: Vec<RoleRef>,
    /// `permissions`: every permission held somewhere without condition, sorted.
    pub permissions: Vec<String>,
    /// `permissionPolicies`: the policies of the roles held, each once, sorted by domain,
    /// entity and actions.
    pub permission_policies: Vec<PolicyEntity>,
}

/// The `UserAuthorization` of a user (`GET /users/{userId}/roles`, and the answer of `PUT`
/// and `DELETE`): roles from the model, permissions from `snap` (compiled from it).
///
/// # Examples
///
/// ```
/// use orgperm::{Model, PermissionSpec, PolicySpec, RoleSpec};
/// let mut model = Model::new();
/// model.rbac_mut().add_division("home", "Home")?;
/// model.add_user("ada", None)?;
/// model.rbac_mut().add_permission(PermissionSpec::new("routing:queue:view", "View"))?;
/// model.rbac_mut().create_role(RoleSpec::new("r", "Agents").with_policy(PolicySpec::new("routing", "queue", ["view"])))?;
/// model.rbac_mut().set_user_roles("ada", &["r"])?;
/// let body = orgperm::vendor::genesys::user_authorization(&model, &model.compile(), "ada")?;
/// assert_eq!(serde_json::to_string(&body).unwrap(),
///     r#"{"roles":[{"id":"r","name":"Agents"}],"permissions":["routing:queue:view"],"permissionPolicies":[{"domain":"routing","entityName":"queue","actionSet":["view"],"allowConditions":false}]}"#);
/// # Ok::<(), orgperm::ModelError>(())
/// ```
pub fn user_authorization(
    model: &Model,
    snap: &Snapshot,
    user: &str,
) -> Result<UserAuthorizationBody, ModelError> {
    let rbac = model.rbac();
    let auth = rbac.user_authorization(user).map_err(ModelError::from)?;
    let mut policies: Vec<PolicyEntity> = Vec::new();
    let mut seen: BTreeSet<String> = BTreeSet::new();
    let mut roles = Vec::with_capacity(auth.roles.len());
    for id in &auth.roles {
        let Some(spec) = rbac.role(id) else { continue };
        roles.push(RoleRef {
            id: id.clone(),
            name: Some(spec.name.clone()),
        });
        for p in &spec.permission_policies {
            let e = policy_entity(model, p);
            let key = serde_json::to_string(&e).unwrap_or_default();
            if seen.insert(key) {
                policies.push(e);
            }
        }
    }
    policies.sort_by(|a, b| {
        (&a.domain, &a.entity_name, &a.action_set).cmp(&(&b.domain, &b.entity_name, &b.action_set))
    });
    Ok(UserAuthorizationBody {
        roles,
        permissions: snap
            .rbac()
            .user_permissions(user)
            .into_iter()
            .map(str::to_owned)
            .collect(),
        permission_policies: policies,
    })
}

/// A `DomainOrgRoleDifference`: a role against a default role, atom by atom after wildcard
/// expansion, each atom written as a one-action policy `{domain, entityName, actionSet:
/// [action]}` (a flat permission as its name with empty entity and actions) and grouped by
/// `domain:entity`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RoleDifference {
    /// `removedPermissionPolicies`: in the default role, not in the role.
    pub removed_permission_policies: Vec<PolicyEntity>,
    /// `addedPermissionPolicies`: in the role, not in the default role.
    pub added_permission_policies: Vec<PolicyEntity>,
    /// `samePermissionPolicies`: in both.
    pub same_permission_policies: Vec<PolicyEntity>,
    /// `userOrgRole`: the role compared.
    pub user_org_role: RoleEntity,
    /// `roleFromDefault`: the default role's template.
    pub role_from_default: RoleEntity,
}

/// Atoms grouped into policies by `domain:entity`, in atom order.
fn grouped(model: &Model, atoms: &[String]) -> Vec<PolicyEntity> {
    let mut by: BTreeMap<(String, String), Vec<String>> = BTreeMap::new();
    for a in atoms {
        let mut parts = a.splitn(3, ':');
        match (parts.next(), parts.next(), parts.next()) {
            (Some(d), Some(e), Some(x)) => {
                by.entry((d.to_owned(), e.to_owned()))
                    .or_default()
                    .push(x.to_owned());
            }
            _ => {
                by.entry((a.clone(), String::new())).or_default();
            }
        }
    }
    by.into_iter()
        .map(|((domain, entity_name), action_set)| {
            let p = PolicySpec {
                domain,
                entity_name,
                action_set,
                condition: None,
            };
            policy_entity(model, &p)
        })
        .collect()
}

fn difference(
    model: &Model,
    cmp: crate::rbac::defaults::RoleComparison,
    role: RoleEntity,
    default_role_id: &str,
) -> Result<RoleDifference, ModelError> {
    let t = model
        .rbac()
        .default_role_template(default_role_id)
        .ok_or_else(|| {
            ModelError::at(
                "rightRoleId",
                RbacErrorKind::UnknownDefaultRole {
                    id: default_role_id.to_owned(),
                },
            )
        })?;
    Ok(RoleDifference {
        removed_permission_policies: grouped(model, &cmp.removed),
        added_permission_policies: grouped(model, &cmp.added),
        same_permission_policies: grouped(model, &cmp.same),
        user_org_role: role,
        role_from_default: role_body(model, &t.role, 0, false, t.base),
    })
}

/// Compares a saved role with a default role (`GET
/// /authorization/roles/{leftRoleId}/comparedefault/{rightRoleId}`). Changes nothing.
///
/// # Examples
///
/// ```
/// use orgperm::{DefaultRoleTemplate, Model, PermissionSpec, PolicySpec, RoleSpec};
/// let mut model = Model::new();
/// for p in ["routing:queue:view", "routing:queue:edit"] {
///     model.rbac_mut().add_permission(PermissionSpec::new(p, p))?;
/// }
/// model.rbac_mut().set_default_role_template(DefaultRoleTemplate::new("sup",
///     RoleSpec::new("r-sup", "Supervisor").with_policy(PolicySpec::new("routing", "queue", ["*"]))))?;
/// model.rbac_mut().create_role(RoleSpec::new("mine", "Mine").with_policy(PolicySpec::new("routing", "queue", ["view"])))?;
/// let diff = orgperm::vendor::genesys::role_difference(&model, "mine", "sup")?;
/// assert_eq!(diff.removed_permission_policies[0].action_set, ["edit"]);
/// assert_eq!(diff.same_permission_policies[0].action_set, ["view"]);
/// assert!(diff.added_permission_policies.is_empty());
/// # Ok::<(), orgperm::ModelError>(())
/// ```
pub fn role_difference(
    model: &Model,
    left_role_id: &str,
    right_default_role_id: &str,
) -> Result<RoleDifference, ModelError> {
    let cmp = model
        .rbac()
        .compare_with_default(left_role_id, right_default_role_id)
        .map_err(ModelError::from)?;
    let role = role_entity(model, left_role_id)
        .map_err(|e| ModelError::at("leftRoleId", e.kind().clone()))?;
    difference(model, cmp, role, right_default_role_id)
}

/// Compares an unsaved `DomainOrganizationRole` body with a default role (`POST
/// /authorization/roles/{leftRoleId}/comparedefault/{rightRoleId}`): the body is read as
/// [`GenesysImport::read_role`](super::GenesysImport::read_role) reads it, checked against
/// the catalog, and nothing is saved.
///
/// # Examples
///
/// ```
/// use orgperm::{DefaultRoleTemplate, Model, RoleSpec};
/// let mut model = Model::new();
/// model.rbac_mut().set_default_role_template(DefaultRoleTemplate::new("sup", RoleSpec::new("r-sup", "Supervisor")))?;
/// let err = orgperm::vendor::genesys::unsaved_role_difference(&model,
///     r#"{"id": "x", "name": "X", "permissionPolicies": [{"domain": "nope", "entityName": "*", "actionSet": ["*"]}]}"#, "sup").unwrap_err();
/// assert_eq!(err.path(), "permissionPolicies[0].domain");
/// # Ok::<(), orgperm::ModelError>(())
/// ```
pub fn unsaved_role_difference(
    model: &Model,
    body: &str,
    right_default_role_id: &str,
) -> Result<RoleDifference, ModelError> {
    let node = parse(body)?;
    let mut reader = Reader::new(Strictness::Strict);
    let spec = super::read::role_spec(&mut reader, &node)?;
    let cmp = model
        .rbac()
        .compare_unsaved_with_default(&spec, right_default_role_id)
        .map_err(ModelError::from)?;
    let needs_update = false;
    let role = role_body(model, &spec, 0, needs_update, false);
    difference(model, cmp, role, right_default_role_id)
}

/// A Genesys error body `{message, code, status, messageWithParams, details}`.
///
/// # Examples
///
/// ```
/// let mut model = orgperm::Model::new();
/// let err = model.rbac_mut().delete_role("ghost").unwrap_err();
/// let body = orgperm::vendor::genesys::error_body(&err.into());
/// assert_eq!(serde_json::to_string(&body).unwrap(),
///     r#"{"message":"id: unknown role \"ghost\"","code":"not.found","status":404,"messageWithParams":"unknown role \"ghost\"","details":[{"errorCode":"unknown_role","fieldName":"id"}]}"#);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ErrorBody {
    /// `message`: the error with its path.
    pub message: String,
    /// `code`: `bad.request`, `not.found`, `conflict` or `internal.server.error`.
    pub code: String,
    /// `status`: the HTTP status (400, 404, 409, 500).
    pub status: u16,
    /// `messageWithParams`: the message without the path.
    pub message_with_params: String,
    /// `details`: one entry, the machine-readable kind and the field.
    pub details: Vec<ErrorDetail>,
}

/// One entry of an error body's `details`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ErrorDetail {
    /// `errorCode`: the kind's stable code (`unknown_role`).
    pub error_code: String,
    /// `fieldName`: the path of the offending field, absent at the root.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field_name: Option<String>,
    /// `entityId`: the record the path is in, when it has an id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub entity_id: Option<String>,
}

/// The error body of an error, with the status its class maps to.
pub fn error_body(err: &ModelError) -> ErrorBody {
    let (code, status) = match err.kind().class() {
        ErrorClass::NotFound => ("not.found", 404),
        ErrorClass::Conflict => ("conflict", 409),
        ErrorClass::Invalid => ("bad.request", 400),
        ErrorClass::Storage => ("internal.server.error", 500),
    };
    ErrorBody {
        message: err.to_string(),
        code: code.to_owned(),
        status,
        message_with_params: err.kind().to_string(),
        details: vec![ErrorDetail {
            error_code: err.kind().code().to_owned(),
            field_name: (!err.path().is_empty()).then(|| err.path().to_owned()),
            entity_id: err.record_id().map(str::to_owned),
        }],
    }
}
