//! Reading Genesys Cloud bodies into a model and a change set (see the module docs of
//! [`genesys`](super) for the shapes, the field mapping and the ignored fields).

use std::collections::BTreeSet;

use crate::change::{Op, PermissionDocument, RoleDocument};
use crate::document::reader::Node;
use crate::error::{InputError, InputErrorKind};
use crate::model::Model;
use crate::model_error::ModelError;
use crate::rbac::catalog::PermissionSpec;
use crate::rbac::condition::{Condition, Conjunction, Operand, Operator};
use crate::rbac::document::{PermissionDoc, RoleDoc};
use crate::rbac::error::RbacErrorKind;
use crate::rbac::grants::{GrantSource, Subject};
use crate::rbac::role::{PolicySpec, RoleSpec};
use crate::vendor::reading::{
    Draft, Imported, Reader, Strictness, as_str, field_path, index_path, parse,
};

// ---- the fields of each object: read, and documented as informational ----------------------

const LISTING: &[&str] = &[
    "entities",
    "pageSize",
    "pageNumber",
    "total",
    "pageCount",
    "nextUri",
    "previousUri",
];
const LISTING_INFO: &[&str] = &["firstUri", "selfUri", "lastUri"];

const ROLE: &[&str] = &[
    "id",
    "name",
    "description",
    "defaultRoleId",
    "permissions",
    "permissionPolicies",
    "roleNeedsUpdate",
    "base",
];
const ROLE_INFO: &[&str] = &["userCount", "default", "selfUri"];
const ROLE_PATCH: &[&str] = &["id", "roleNeedsUpdate"];

const POLICY: &[&str] = &[
    "domain",
    "entityName",
    "actionSet",
    "resourceConditionNode",
    "namedResources",
];
const POLICY_INFO: &[&str] = &[
    "id",
    "policyName",
    "policyDescription",
    "actionSetKey",
    "allowConditions",
    "resourceCondition",
];

const CONDITION: &[&str] = &[
    "variableName",
    "operator",
    "operands",
    "conjunction",
    "terms",
];
const OPERAND: &[&str] = &["type", "value", "queue", "user"];
const REF: &[&str] = &["id"];
const REF_INFO: &[&str] = &["name", "selfUri"];

const COLLECTION: &[&str] = &["domain", "permissionMap"];
const COLLECTION_INFO: &[&str] = &["id", "selfUri"];
const PERMISSION: &[&str] = &[
    "domain",
    "entityType",
    "action",
    "label",
    "allowsConditions",
    "divisionAware",
];

const PRODUCT: &[&str] = &["id"];
const PRODUCT_INFO: &[&str] = &["selfUri"];

const DIVISION: &[&str] = &["id", "name", "homeDivision"];
const DIVISION_INFO: &[&str] = &["description", "objectCounts", "selfUri"];
const DIVISION_REF_INFO: &[&str] = &[
    "name",
    "description",
    "homeDivision",
    "objectCounts",
    "selfUri",
];

const SUBJECT: &[&str] = &["id", "name", "grants"];
const SUBJECT_INFO: &[&str] = &["version", "selfUri"];
const GRANT: &[&str] = &["subjectId", "role", "division"];
const GRANT_INFO: &[&str] = &["grantMadeAt"];

const USER_AUTHORIZATION: &[&str] = &["roles"];
const USER_AUTHORIZATION_INFO: &[&str] = &["unusedRoles", "permissions", "permissionPolicies"];

/// The paging figures of a listing body, to ask for the next page (all as sent; absent ones
/// are `None`).
///
/// # Examples
///
/// ```
/// use orgperm::vendor::genesys::GenesysImport;
/// let mut import = GenesysImport::new();
/// let page = import.read_divisions_page(r#"{"entities": [{"id": "home", "name": "Home", "homeDivision": true}],
///     "pageSize": 25, "pageNumber": 1, "total": 1, "pageCount": 1}"#)?;
/// assert_eq!((page.entities, page.page_count, page.is_last()), (1, Some(1), true));
/// # Ok::<(), orgperm::ModelError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct PageInfo {
    /// How many entities the page held.
    pub entities: usize,
    /// `pageSize`.
    pub page_size: Option<u64>,
    /// `pageNumber` (from 1).
    pub page_number: Option<u64>,
    /// `total`.
    pub total: Option<u64>,
    /// `pageCount`.
    pub page_count: Option<u64>,
    /// `nextUri` (with a cursor or a page number).
    pub next_uri: Option<String>,
    /// `previousUri`.
    pub previous_uri: Option<String>,
}

impl PageInfo {
    /// The `nextPage` cursor token of `nextUri`, for a listing paged by cursor
    /// ([`RoleQuery::after`](crate::RoleQuery::after)).
    pub fn next_page_token(&self) -> Option<&str> {
        let uri = self.next_uri.as_deref()?;
        let query = uri.split_once('?')?.1;
        query.split('&').find_map(|kv| kv.strip_prefix("nextPage="))
    }

    /// Whether no page follows: no `nextUri`, and the page number is the page count (or
    /// either is unknown).
    pub fn is_last(&self) -> bool {
        self.next_uri.is_none()
            && match (self.page_number, self.page_count) {
                (Some(n), Some(c)) => n >= c,
                _ => true,
            }
    }
}

/// Which kind of subject an `AuthzSubject` body is about (the body does not say).
///
/// # Examples
///
/// ```
/// use orgperm::vendor::genesys::SubjectKind;
/// assert_ne!(SubjectKind::User, SubjectKind::Group);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SubjectKind {
    /// A user (`/api/v2/authorization/subjects/{userId}`).
    User,
    /// A group.
    Group,
    /// An OAuth client (`/api/v2/authorization/subjects/{clientId}`): holds its roles itself,
    /// and is answered by the `client_*` checks of [`Rbac`](crate::Rbac).
    Client,
}

/// Reads Genesys Cloud bodies, page by page, into a model and the change set that builds it.
///
/// Each `read_*` call reads one body as a whole or not at all: an error (an unknown field,
/// a wrong type, a role naming a permission the catalog lacks, …) names its path in the
/// body and leaves the import as it was. Bodies are read in dependency order: products and
/// the permission catalog before the roles naming them, divisions before the grants in them.
///
/// Started with [`new`](GenesysImport::new), the change set builds the model from nothing;
/// started [`onto`](GenesysImport::onto) an existing model, it holds only the differences
/// (new catalog entries and divisions, created or changed roles, the grants a subject gained
/// or lost), which a sync job applies to its engine.
///
/// # Examples
///
/// ```
/// use orgperm::vendor::genesys::GenesysImport;
/// let mut import = GenesysImport::new();
/// import.read_permissions_page(r#"{"entities": [{"id": "routing", "domain": "routing",
///     "permissionMap": {"queue": [{"domain": "routing", "entityType": "queue", "action": "view",
///     "label": "View queues", "allowsConditions": false, "divisionAware": true}]}}], "pageSize": 25,
///     "pageNumber": 1, "total": 1, "pageCount": 1}"#)?;
/// import.read_divisions_page(r#"{"entities": [{"id": "d-home", "name": "Home", "homeDivision": true}]}"#)?;
/// import.read_roles_page(r#"{"entities": [{"id": "r1", "name": "Queue viewers",
///     "permissionPolicies": [{"domain": "routing", "entityName": "queue", "actionSet": ["view"]}],
///     "userCount": 0, "selfUri": "/api/v2/authorization/roles/r1"}]}"#)?;
/// import.read_subject(orgperm::vendor::genesys::SubjectKind::User, r#"{"id": "ada", "name": "Ada",
///     "grants": [{"subjectId": "ada", "role": {"id": "r1"}, "division": {"id": "d-home"}}]}"#)?;
/// let done = import.finish();
/// assert!(done.model.compile().rbac().has_permission_on("ada", "routing:queue:view", "d-home", &[]));
/// assert_eq!(done.changes.ops.len(), 5); // addPermission, addDivision, createRole, addUser, grantRole
///
/// let err = GenesysImport::new()
///     .read_roles_page(r#"{"entities": [{"id": "r1", "name": "R", "permissionPolicies": [{"actionSett": []}]}]}"#)
///     .unwrap_err();
/// assert_eq!(err.path(), "entities[0].permissionPolicies[0].actionSett");
/// # Ok::<(), orgperm::ModelError>(())
/// ```
#[derive(Clone, Debug)]
pub struct GenesysImport {
    strictness: Strictness,
    draft: Draft,
    warnings: Vec<InputError>,
}

impl Default for GenesysImport {
    fn default() -> Self {
        Self::new()
    }
}

impl GenesysImport {
    /// A strict import into an empty model.
    pub fn new() -> Self {
        Self::onto(Model::new())
    }

    /// A strict import onto `model` (clone it to keep the original): the change set holds
    /// the differences only.
    pub fn onto(model: Model) -> Self {
        GenesysImport {
            strictness: Strictness::Strict,
            draft: Draft::new(model),
            warnings: Vec::new(),
        }
    }

    /// The same import in the given mode ([`Strictness::Lenient`]: unknown fields are
    /// warnings).
    pub fn with_strictness(mut self, strictness: Strictness) -> Self {
        self.strictness = strictness;
        self
    }

    /// The model read so far.
    pub fn model(&self) -> &Model {
        &self.draft.model
    }

    /// The warnings so far (lenient mode).
    pub fn warnings(&self) -> &[InputError] {
        &self.warnings
    }

    /// The model, its change set and the warnings.
    pub fn finish(self) -> Imported {
        let mut changes = crate::change::ChangeSet::new();
        changes.ops = self.draft.ops;
        Imported {
            model: self.draft.model,
            changes,
            warnings: self.warnings,
        }
    }

    /// Runs one body's reading with its own reader; warnings are kept only on success.
    fn body<T>(
        &mut self,
        json: &str,
        read: impl FnOnce(&mut Reader, &Node<'_>, &mut Draft) -> Result<T, ModelError>,
    ) -> Result<T, ModelError> {
        let node = parse(json)?;
        let mut reader = Reader::new(self.strictness);
        let out = self.draft.body(|d| read(&mut reader, &node, d))?;
        self.warnings.append(&mut reader.warnings);
        Ok(out)
    }

    /// Reads an `OrganizationProductEntityListing` (`GET /api/v2/authorization/products`):
    /// every product listed is enabled.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut import = orgperm::vendor::genesys::GenesysImport::new();
    /// import.read_products(r#"{"entities": [{"id": "engage"}, {"id": "communicate"}]}"#)?;
    /// assert_eq!(import.model().rbac().enabled_products().collect::<Vec<_>>(), ["communicate", "engage"]);
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    pub fn read_products(&mut self, json: &str) -> Result<PageInfo, ModelError> {
        self.body(json, |r, node, d| {
            listing(r, node, |r, e, at| {
                let obj = r.object(e, at, PRODUCT, PRODUCT_INFO)?;
                let id = obj.req_str("id")?;
                if !d.model.rbac().enabled_products().any(|p| p == id) {
                    let op = Op::EnableProduct {
                        product: id.to_owned(),
                    };
                    d.apply(op, &obj.at("id"), &[("product", "")])?;
                }
                Ok(())
            })
        })
    }

    /// Reads a `PermissionCollectionEntityListing` page (`GET
    /// /api/v2/authorization/permissions`): each entity is a domain whose `permissionMap`
    /// lists, by entity name, the permissions `{domain, entityType, action, label,
    /// allowsConditions, divisionAware}`. A permission already in the model with the same
    /// flags is skipped (its label stays; a different label is a warning); with other flags
    /// it is an error (catalog entries cannot change).
    ///
    /// # Examples
    ///
    /// ```
    /// let mut import = orgperm::vendor::genesys::GenesysImport::new();
    /// let err = import.read_permissions_page(r#"{"entities": [{"domain": "routing", "permissionMap":
    ///     {"queue": [{"domain": "routing", "entityType": "skill", "action": "view"}]}}]}"#).unwrap_err();
    /// assert_eq!(err.path(), "entities[0].permissionMap.queue[0].entityType");
    /// ```
    pub fn read_permissions_page(&mut self, json: &str) -> Result<PageInfo, ModelError> {
        let mut warnings = Vec::new();
        let page = self.body(json, |r, node, d| {
            listing(r, node, |r, e, at| {
                read_collection(r, e, at, d, &mut warnings)
            })
        })?;
        self.warnings.append(&mut warnings);
        Ok(page)
    }

    /// Reads an `AuthzDivisionEntityListing` page (`GET /api/v2/authorization/divisions`):
    /// each division `{id, name, homeDivision}` is added when new; the one with
    /// `homeDivision: true` becomes the home division. A known division with another name
    /// keeps its name (a warning).
    ///
    /// # Examples
    ///
    /// ```
    /// let mut import = orgperm::vendor::genesys::GenesysImport::new();
    /// import.read_divisions_page(r#"{"entities": [{"id": "a", "name": "A"}, {"id": "b", "name": "B", "homeDivision": true}]}"#)?;
    /// assert_eq!(import.model().rbac().home_division(), Some("b"));
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    pub fn read_divisions_page(&mut self, json: &str) -> Result<PageInfo, ModelError> {
        let mut warnings = Vec::new();
        let page = self.body(json, |r, node, d| {
            let mut home: Option<String> = None;
            let page = listing(r, node, |r, e, at| {
                let obj = r.object(e, at, DIVISION, DIVISION_INFO)?;
                let id = obj.req_str("id")?;
                let name = obj.str("name")?.unwrap_or("");
                match d.model.rbac().division_name(id) {
                    Some(known) if known != name => warnings.push(InputError::at(
                        obj.at("name"),
                        InputErrorKind::ValueKept {
                            kept: known.to_owned(),
                        },
                    )),
                    Some(_) => {}
                    None => {
                        let op = Op::AddDivision {
                            id: id.to_owned(),
                            name: Some(name.to_owned()),
                        };
                        d.apply(op, at, &[])?;
                    }
                }
                if obj.bool("homeDivision")? == Some(true) {
                    if home.is_some() {
                        return Err(ModelError::at(
                            obj.at("homeDivision"),
                            InputErrorKind::Conflict {
                                reason: "only one division can be the home division",
                            },
                        ));
                    }
                    home = Some(id.to_owned());
                }
                Ok(())
            })?;
            if let Some(h) = home {
                if d.model.rbac().home_division() != Some(h.as_str()) {
                    d.apply(Op::SetHomeDivision { id: h }, "", &[])?;
                }
            }
            Ok(page)
        })?;
        self.warnings.append(&mut warnings);
        Ok(page)
    }

    /// Reads an `OrganizationRoleEntityListing` page (`GET /api/v2/authorization/roles`, and
    /// the answers of the restore endpoints): every `DomainOrganizationRole` is created, or
    /// updated when the model holds it with other fields (see [`read_role`](Self::read_role)).
    pub fn read_roles_page(&mut self, json: &str) -> Result<PageInfo, ModelError> {
        self.body(json, |r, node, d| {
            let mut seen = BTreeSet::new();
            listing(r, node, |r, e, at| {
                let body = read_role_body(r, e, at)?;
                if !seen.insert(body.spec.id.clone()) {
                    return Err(ModelError::at(
                        field_path(at, "id"),
                        InputErrorKind::DuplicateId { id: body.spec.id },
                    ));
                }
                upsert_role(d, body, at)
            })
        })
    }

    /// Reads one `DomainOrganizationRole` (`GET /api/v2/authorization/roles/{roleId}`, the
    /// body of `POST` and `PUT`), creating or updating the role. Returns its id.
    ///
    /// A role with a `defaultRoleId` the model has no template for gets one made from the
    /// body (Genesys does not list its templates), flagged `base` when the body is; flat
    /// `permissions` (such as `admin`) that no catalog page lists are added to the catalog
    /// with their name as label.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut import = orgperm::vendor::genesys::GenesysImport::new();
    /// let id = import.read_role(r#"{"id": "r-admin", "name": "Admin", "permissions": ["admin"]}"#)?;
    /// assert_eq!(id, "r-admin");
    /// assert_eq!(import.model().rbac().permission("admin").unwrap().label, "admin");
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    pub fn read_role(&mut self, json: &str) -> Result<String, ModelError> {
        self.body(json, |r, node, d| {
            let body = read_role_body(r, node, "")?;
            let id = body.spec.id.clone();
            upsert_role(d, body, "")?;
            Ok(id)
        })
    }

    /// Reads the body of `PATCH /api/v2/authorization/roles/{roleId}` ("Patch Organization
    /// Role for needsUpdate Field"): `{roleNeedsUpdate}` (and optionally the role's `id`,
    /// which must be `role_id`). Any other field of a role is refused: the PATCH changes
    /// nothing else. Only a role based on a default role has a `needsUpdate` to set.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut import = orgperm::vendor::genesys::GenesysImport::new();
    /// import.read_role(r#"{"id": "r-sup", "name": "Supervisor", "defaultRoleId": "supervisor"}"#)?;
    /// import.read_role_patch("r-sup", r#"{"roleNeedsUpdate": true}"#)?;
    /// assert!(import.model().rbac().needs_update("r-sup")?);
    /// let err = import.read_role_patch("r-sup", r#"{"roleNeedsUpdate": false, "name": "X"}"#).unwrap_err();
    /// assert_eq!(err.path(), "name");
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    pub fn read_role_patch(&mut self, role_id: &str, json: &str) -> Result<(), ModelError> {
        self.body(json, |r, node, d| {
            let obj = r.object(node, "", ROLE_PATCH, ROLE_INFO)?;
            if let Some(id) = obj.str("id")? {
                if id != role_id {
                    return Err(ModelError::at(
                        obj.at("id"),
                        InputErrorKind::Conflict {
                            reason: "the body's id must be the role patched",
                        },
                    ));
                }
            }
            let Some(flag) = obj.bool("roleNeedsUpdate")? else {
                return Err(ModelError::at(
                    obj.at("roleNeedsUpdate"),
                    InputErrorKind::Required,
                ));
            };
            if d.model.rbac().role(role_id).is_none() {
                return Err(ModelError::at(
                    "roleId",
                    RbacErrorKind::UnknownRole {
                        id: role_id.to_owned(),
                    },
                ));
            }
            set_needs_update(d, role_id, flag, "roleNeedsUpdate")
        })
    }

    /// Reads an `AuthzSubject` (`GET /api/v2/authorization/subjects/{subjectId}`): `{id,
    /// name, grants: [{subjectId, role: {id}, division: {id}}]}`, every grant the subject
    /// holds itself. The subject's own grants become exactly these (grants it no longer
    /// holds are revoked). A user or group the model lacks is added (a group with the
    /// subject's `name`). A grant's `subjectId` must be the subject's `id`.
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::vendor::genesys::{GenesysImport, SubjectKind};
    /// let mut import = GenesysImport::new();
    /// import.read_divisions_page(r#"{"entities": [{"id": "home", "name": "Home", "homeDivision": true}]}"#)?;
    /// import.read_role(r#"{"id": "r1", "name": "R1"}"#)?;
    /// let err = import.read_subject(SubjectKind::Group, r#"{"id": "g1", "name": "Support",
    ///     "grants": [{"subjectId": "g1", "role": {"id": "r9"}, "division": {"id": "*"}}]}"#).unwrap_err();
    /// assert_eq!(err.to_string(), "grants[0].role.id: unknown role \"r9\"");
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    pub fn read_subject(&mut self, kind: SubjectKind, json: &str) -> Result<(), ModelError> {
        self.body(json, |r, node, d| read_subject(r, node, d, kind))
    }

    /// Reads a `UserAuthorization` (`GET /api/v2/users/{userId}/roles`), which lists the
    /// roles the user holds (`roles: [{id, name}]`) without their divisions or sources. The
    /// roles the model already explains through a group or as the base role stay so; the
    /// others become the user's own grants in the home division (`PUT /users/{id}/roles`).
    /// `permissions`, `permissionPolicies` and `unusedRoles` are derived and ignored.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut import = orgperm::vendor::genesys::GenesysImport::new();
    /// import.read_divisions_page(r#"{"entities": [{"id": "home", "name": "Home", "homeDivision": true}]}"#)?;
    /// import.read_role(r#"{"id": "r1", "name": "R1"}"#)?;
    /// import.read_user_roles("ada", r#"{"roles": [{"id": "r1", "name": "R1"}], "permissions": []}"#)?;
    /// assert_eq!(import.model().rbac().user_authorization("ada")?.roles, ["r1"]);
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    pub fn read_user_roles(&mut self, user_id: &str, json: &str) -> Result<(), ModelError> {
        self.body(json, |r, node, d| {
            let obj = r.object(node, "", USER_AUTHORIZATION, USER_AUTHORIZATION_INFO)?;
            let mut roles = Vec::new();
            for (i, e) in obj.array("roles")?.unwrap_or(&[]).iter().enumerate() {
                let at = index_path(&obj.at("roles"), i);
                let role = r.object(e, &at, REF, REF_INFO)?;
                let id = role.req_str("id")?;
                if d.model.rbac().role(id).is_none() {
                    return Err(ModelError::at(
                        role.at("id"),
                        RbacErrorKind::UnknownRole { id: id.to_owned() },
                    ));
                }
                roles.push(id.to_owned());
            }
            ensure_user(d, user_id)?;
            let held_elsewhere: BTreeSet<String> = d
                .model
                .rbac()
                .user_authorization(user_id)
                .map_err(ModelError::from)?
                .grants
                .into_iter()
                .filter(|g| g.source != GrantSource::Direct)
                .map(|g| g.role_id)
                .collect();
            let mut own: Vec<String> = roles
                .into_iter()
                .filter(|r| !held_elsewhere.contains(r))
                .collect();
            own.sort();
            own.dedup();
            let current: Vec<String> = direct_grants(&d.model, Subject::User(user_id))?
                .into_iter()
                .map(|(role, _)| role)
                .collect();
            let home = d.model.rbac().home_division().map(str::to_owned);
            let unchanged = {
                let mut have: Vec<(String, String)> =
                    direct_grants(&d.model, Subject::User(user_id))?;
                have.sort();
                let want: Vec<(String, String)> = own
                    .iter()
                    .map(|r| (r.clone(), home.clone().unwrap_or_default()))
                    .collect();
                have == want && current.len() == own.len()
            };
            if !unchanged {
                let op = Op::SetUserRoles {
                    user_id: user_id.to_owned(),
                    role_ids: own,
                };
                d.apply(op, "roles", &[])?;
            }
            Ok(())
        })
    }
}

/// The entities of a listing body, each read by `entity` at `entities[i]`; the paging
/// figures.
fn listing(
    r: &mut Reader,
    node: &Node<'_>,
    mut entity: impl FnMut(&mut Reader, &Node<'_>, &str) -> Result<(), ModelError>,
) -> Result<PageInfo, ModelError> {
    let obj = r.object(node, "", LISTING, LISTING_INFO)?;
    let entities = obj.array("entities")?.unwrap_or(&[]);
    for (i, e) in entities.iter().enumerate() {
        entity(r, e, &index_path("entities", i))?;
    }
    Ok(PageInfo {
        entities: entities.len(),
        page_size: obj.u64("pageSize")?,
        page_number: obj.u64("pageNumber")?,
        total: obj.u64("total")?,
        page_count: obj.u64("pageCount")?,
        next_uri: obj.str("nextUri")?.map(str::to_owned),
        previous_uri: obj.str("previousUri")?.map(str::to_owned),
    })
}

/// One `DomainPermissionCollection`: a domain and its `permissionMap`.
fn read_collection(
    r: &mut Reader,
    node: &Node<'_>,
    at: &str,
    d: &mut Draft,
    warnings: &mut Vec<InputError>,
) -> Result<(), ModelError> {
    let obj = r.object(node, at, COLLECTION, COLLECTION_INFO)?;
    let domain = obj.req_str("domain")?;
    let Some(map) = obj.get("permissionMap") else {
        return Ok(());
    };
    let map_at = obj.at("permissionMap");
    let Node::Object(entries) = map else {
        return Err(crate::vendor::reading::wrong(&map_at, "an object", map));
    };
    for (k, (entity, list)) in entries.iter().enumerate() {
        let entity: &str = entity;
        let list_at = field_path(&map_at, entity);
        if entries.iter().take(k).any(|(e, _)| e == entity) {
            return Err(ModelError::at(list_at, InputErrorKind::DuplicateField));
        }
        let items = crate::vendor::reading::as_array(list, &list_at)?;
        for (i, p) in items.iter().enumerate() {
            let p_at = index_path(&list_at, i);
            let perm = r.object(p, &p_at, PERMISSION, &[])?;
            if let Some(x) = perm.str("domain")? {
                if x != domain {
                    return Err(ModelError::at(
                        perm.at("domain"),
                        InputErrorKind::Conflict {
                            reason: "a permission's domain must be its collection's domain",
                        },
                    ));
                }
            }
            if let Some(x) = perm.str("entityType")? {
                if x != entity {
                    return Err(ModelError::at(
                        perm.at("entityType"),
                        InputErrorKind::Conflict {
                            reason: "a permission's entityType must be its permissionMap key",
                        },
                    ));
                }
            }
            let action = perm.req_str("action")?;
            let mut spec = PermissionSpec::new(
                format!("{domain}:{entity}:{action}"),
                perm.str("label")?.unwrap_or(""),
            );
            spec.allows_conditions = perm.bool("allowsConditions")?.unwrap_or(false);
            spec.division_aware = perm.bool("divisionAware")?.unwrap_or(false);
            add_permission(d, spec, &p_at, warnings)?;
        }
    }
    Ok(())
}

/// Adds a catalog permission, or checks it against the one the model holds.
fn add_permission(
    d: &mut Draft,
    spec: PermissionSpec,
    at: &str,
    warnings: &mut Vec<InputError>,
) -> Result<(), ModelError> {
    match d.model.rbac().permission(&spec.permission) {
        Some(known)
            if known.division_aware == spec.division_aware
                && known.allows_conditions == spec.allows_conditions =>
        {
            if known.label != spec.label {
                warnings.push(InputError::at(
                    field_path(at, "label"),
                    InputErrorKind::ValueKept {
                        kept: known.label.clone(),
                    },
                ));
            }
            Ok(())
        }
        Some(_) => Err(ModelError::at(
            at,
            InputErrorKind::Conflict {
                reason: "the catalog holds this permission with other flags, and catalog entries cannot change",
            },
        )),
        None => {
            let op = Op::AddPermission {
                permission: Box::new(PermissionDocument(PermissionDoc::from_spec(&spec))),
            };
            d.apply(op, at, &[("permission", "action")])
        }
    }
}

/// A role body as read: the spec and the fields that are not part of it.
struct RoleBody {
    spec: RoleSpec,
    base: bool,
    /// `roleNeedsUpdate`, when sent.
    needs_update: Option<bool>,
}

/// Reads a `DomainOrganizationRole` at `at`.
fn read_role_body(r: &mut Reader, node: &Node<'_>, at: &str) -> Result<RoleBody, ModelError> {
    let obj = r.object(node, at, ROLE, ROLE_INFO)?;
    let mut spec = RoleSpec::new(obj.req_str("id")?, obj.str("name")?.unwrap_or(""));
    spec.description = obj.str("description")?.unwrap_or("").to_owned();
    spec.default_role_id = obj.str("defaultRoleId")?.map(str::to_owned);
    spec.permissions = obj
        .strings("permissions")?
        .into_iter()
        .map(str::to_owned)
        .collect();
    for (i, p) in obj
        .array("permissionPolicies")?
        .unwrap_or(&[])
        .iter()
        .enumerate()
    {
        let p_at = index_path(&obj.at("permissionPolicies"), i);
        spec.permission_policies.push(read_policy(r, p, &p_at)?);
    }
    let needs_update = obj.bool("roleNeedsUpdate")?;
    let base = obj.bool("base")?.unwrap_or(false);
    if base && spec.default_role_id.is_none() {
        return Err(ModelError::at(
            obj.at("base"),
            InputErrorKind::Conflict {
                reason: "the base role is a default role: it needs a defaultRoleId",
            },
        ));
    }
    Ok(RoleBody {
        spec,
        base,
        needs_update,
    })
}

/// The spec of a `DomainOrganizationRole` body, read at the root (for the unsaved
/// comparison, which saves nothing).
pub(super) fn role_spec(r: &mut Reader, node: &Node<'_>) -> Result<RoleSpec, ModelError> {
    Ok(read_role_body(r, node, "")?.spec)
}

/// Reads a `DomainPermissionPolicy`.
fn read_policy(r: &mut Reader, node: &Node<'_>, at: &str) -> Result<PolicySpec, ModelError> {
    let obj = r.object(node, at, POLICY, POLICY_INFO)?;
    let mut policy = PolicySpec::new(
        obj.str("domain")?.unwrap_or(""),
        obj.str("entityName")?.unwrap_or(""),
        obj.strings("actionSet")?,
    );
    if obj.array("namedResources")?.is_some_and(|n| !n.is_empty()) {
        return Err(ModelError::at(
            obj.at("namedResources"),
            InputErrorKind::Conflict {
                reason: "named resources are not supported: express them as a resourceConditionNode",
            },
        ));
    }
    if let Some(c) = obj.get("resourceConditionNode") {
        policy.condition = Some(read_condition(r, c, &obj.at("resourceConditionNode"))?);
    }
    Ok(policy)
}

/// A condition node: a leaf, or a group whose terms are still to read.
enum NodeRead<'a, 'j> {
    Leaf(Condition),
    Group {
        conjunction: Conjunction,
        terms: &'a [Node<'j>],
        terms_at: String,
    },
}

/// A group being filled while a condition is read.
struct Frame<'a, 'j> {
    conjunction: Conjunction,
    items: &'a [Node<'j>],
    at: String,
    next: usize,
    terms: Vec<Condition>,
}

/// A leaf as it is (`Err`), or the frame of a group.
fn frame<'a, 'j>(read: NodeRead<'a, 'j>) -> Result<Frame<'a, 'j>, Condition> {
    match read {
        NodeRead::Leaf(c) => Err(c),
        NodeRead::Group {
            conjunction,
            terms,
            terms_at,
        } => Ok(Frame {
            conjunction,
            items: terms,
            at: terms_at,
            next: 0,
            terms: Vec::with_capacity(terms.len()),
        }),
    }
}

/// Reads a `DomainResourceConditionNode` tree without recursion: an explicit stack of the
/// groups being filled.
fn read_condition(r: &mut Reader, node: &Node<'_>, at: &str) -> Result<Condition, ModelError> {
    let mut stack = match frame(read_condition_node(r, node, at)?) {
        Err(leaf) => return Ok(leaf),
        Ok(f) => vec![f],
    };
    while let Some(top) = stack.last_mut() {
        match top.items.get(top.next) {
            Some(child) => {
                let child_at = index_path(&top.at, top.next);
                top.next += 1;
                match frame(read_condition_node(r, child, &child_at)?) {
                    Err(leaf) => top.terms.push(leaf),
                    Ok(f) => stack.push(f),
                }
            }
            None => {
                let Some(done) = stack.pop() else { break };
                let group = Condition::Group {
                    conjunction: done.conjunction,
                    terms: done.terms,
                };
                match stack.last_mut() {
                    Some(parent) => parent.terms.push(group),
                    None => return Ok(group),
                }
            }
        }
    }
    Err(ModelError::at(
        at,
        RbacErrorKind::InvalidCondition {
            reason: "an empty condition node",
        },
    ))
}

fn read_condition_node<'a, 'j>(
    r: &mut Reader,
    node: &'a Node<'j>,
    at: &str,
) -> Result<NodeRead<'a, 'j>, ModelError> {
    let obj = r.object(node, at, CONDITION, &[])?;
    let leaf = obj.has("variableName") || obj.has("operator") || obj.has("operands");
    let group = obj.has("conjunction") || obj.has("terms");
    match (leaf, group) {
        (true, true) => Err(ModelError::at(
            at,
            InputErrorKind::Conflict {
                reason: "a condition node is either a leaf (variableName, operator, operands) or a group (conjunction, terms)",
            },
        )),
        (false, false) => Err(ModelError::at(
            at,
            RbacErrorKind::InvalidCondition {
                reason: "an empty condition node",
            },
        )),
        (true, false) => {
            let variable_name = obj.req_str("variableName")?.to_owned();
            let op = obj.req_str("operator")?;
            let operator = Operator::parse(op).ok_or_else(|| {
                ModelError::at(
                    obj.at("operator"),
                    RbacErrorKind::InvalidOperator {
                        value: op.to_owned(),
                    },
                )
            })?;
            let mut operands = Vec::new();
            for (i, o) in obj.array("operands")?.unwrap_or(&[]).iter().enumerate() {
                operands.push(read_operand(r, o, &index_path(&obj.at("operands"), i))?);
            }
            Ok(NodeRead::Leaf(Condition::Leaf {
                variable_name,
                operator,
                operands,
            }))
        }
        (false, true) => {
            let c = obj.req_str("conjunction")?;
            let conjunction = Conjunction::parse(c).ok_or_else(|| {
                ModelError::at(
                    obj.at("conjunction"),
                    RbacErrorKind::InvalidConjunction {
                        value: c.to_owned(),
                    },
                )
            })?;
            Ok(NodeRead::Group {
                conjunction,
                terms: obj.array("terms")?.unwrap_or(&[]),
                terms_at: obj.at("terms"),
            })
        }
    }
}

/// Reads a `DomainResourceConditionValue`: `{type: SCALAR, value}`, `{type: QUEUE, queue:
/// {id}}` (a `value`, if sent too, must be that id), `{type: USER}` (the checking user; a
/// `user` naming someone is refused) or `{type: VARIABLE, value: name}`.
fn read_operand(r: &mut Reader, node: &Node<'_>, at: &str) -> Result<Operand, ModelError> {
    let obj = r.object(node, at, OPERAND, &[])?;
    let kind = obj.str("type")?.unwrap_or("SCALAR");
    let only = |allowed: &[&str], reason: &'static str| -> Result<(), ModelError> {
        for f in ["value", "queue", "user"] {
            if obj.has(f) && !allowed.contains(&f) {
                return Err(ModelError::at(
                    obj.at(f),
                    InputErrorKind::Conflict { reason },
                ));
            }
        }
        Ok(())
    };
    let value = || -> Result<String, ModelError> {
        match obj.get("value") {
            Some(v) => Ok(as_str(v, &obj.at("value"))?.to_owned()),
            None => Err(ModelError::at(obj.at("value"), InputErrorKind::Required)),
        }
    };
    match kind {
        "SCALAR" => {
            only(&["value"], "a SCALAR operand has a value only")?;
            Ok(Operand::Scalar(value()?))
        }
        "VARIABLE" => {
            only(
                &["value"],
                "a VARIABLE operand names its variable in value only",
            )?;
            Ok(Operand::Variable(value()?))
        }
        "USER" => {
            only(
                &[],
                "a USER operand stands for the checking user: it names no user and has no value",
            )?;
            Ok(Operand::User)
        }
        "QUEUE" => {
            only(&["queue", "value"], "a QUEUE operand names its queue only")?;
            let queue = match obj.get("queue") {
                Some(q) => r.object(q, &obj.at("queue"), REF, REF_INFO)?,
                None => return Err(ModelError::at(obj.at("queue"), InputErrorKind::Required)),
            };
            let id = queue.req_str("id")?.to_owned();
            if obj.has("value") && value()? != id {
                return Err(ModelError::at(
                    obj.at("value"),
                    InputErrorKind::Conflict {
                        reason: "a QUEUE operand's value must be its queue's id",
                    },
                ));
            }
            Ok(Operand::Queue(id))
        }
        _ => Err(ModelError::at(
            obj.at("type"),
            RbacErrorKind::InvalidCondition {
                reason: "the operand types are SCALAR, QUEUE, USER and VARIABLE",
            },
        )),
    }
}

/// Creates or updates a role read at `at` (with its template and flat permissions first).
fn upsert_role(d: &mut Draft, body: RoleBody, at: &str) -> Result<(), ModelError> {
    let RoleBody {
        spec,
        base,
        needs_update,
    } = body;
    for (i, p) in spec.permissions.iter().enumerate() {
        let flat = !p.is_empty() && !p.contains(':');
        if flat && d.model.rbac().permission(p).is_none() {
            let op = Op::AddPermission {
                permission: Box::new(PermissionDocument(PermissionDoc::from_spec(
                    &PermissionSpec::new(p.clone(), p.clone()),
                ))),
            };
            d.apply(
                op,
                &field_path(at, &format!("permissions[{i}]")),
                &[("permission", "")],
            )?;
        }
    }
    if let Some(key) = &spec.default_role_id {
        if d.model.rbac().default_role_template(key).is_none() {
            let op = Op::SetDefaultRoleTemplate {
                default_role: Box::new(RoleDocument(RoleDoc::template(&spec, base))),
            };
            d.apply(op, at, &[])?;
        }
    }
    let op = match d.model.rbac().role(&spec.id) {
        Some(known) if *known == spec => None,
        Some(_) => Some(Op::UpdateRole {
            role: Box::new(RoleDocument(RoleDoc::from_spec(&spec))),
        }),
        None => Some(Op::CreateRole {
            role: Box::new(RoleDocument(RoleDoc::from_spec(&spec))),
        }),
    };
    if let Some(op) = op {
        d.apply(op, at, &[])?;
    }
    if let Some(flag) = needs_update {
        set_needs_update(d, &spec.id, flag, &field_path(at, "roleNeedsUpdate"))?;
    }
    Ok(())
}

/// Marks a role's `needsUpdate` when the model's flag differs from the body's.
fn set_needs_update(d: &mut Draft, id: &str, flag: bool, at: &str) -> Result<(), ModelError> {
    if d.model.rbac().needs_update(id).map_err(ModelError::from)? == flag {
        return Ok(());
    }
    let op = Op::SetRoleNeedsUpdate {
        role_id: id.to_owned(),
        needs_update: flag,
    };
    d.apply(op, at, &[("roleId", "")])
}

/// Adds a directory user the model lacks (a root, no manager).
fn ensure_user(d: &mut Draft, user: &str) -> Result<(), ModelError> {
    if d.model.user_id(user).is_some() {
        return Ok(());
    }
    let op = Op::AddUser {
        id: user.to_owned(),
        manager_id: None,
    };
    d.apply(op, "id", &[("id", "")])
}

/// A subject's own grants, `(role, division)` in external ids.
fn direct_grants(model: &Model, subject: Subject<'_>) -> Result<Vec<(String, String)>, ModelError> {
    Ok(model
        .rbac()
        .subject_grants(subject)
        .map_err(ModelError::from)?
        .into_iter()
        .map(|g| (g.role_id, g.division_id))
        .collect())
}

fn read_subject(
    r: &mut Reader,
    node: &Node<'_>,
    d: &mut Draft,
    kind: SubjectKind,
) -> Result<(), ModelError> {
    let obj = r.object(node, "", SUBJECT, SUBJECT_INFO)?;
    let id = obj.req_str("id")?;
    let mut want: Vec<(String, String)> = Vec::new();
    let grants_at = obj.at("grants");
    for (i, g) in obj.array("grants")?.unwrap_or(&[]).iter().enumerate() {
        let at = index_path(&grants_at, i);
        let grant = r.object(g, &at, GRANT, GRANT_INFO)?;
        if let Some(s) = grant.str("subjectId")? {
            if s != id {
                return Err(ModelError::at(
                    grant.at("subjectId"),
                    InputErrorKind::Conflict {
                        reason: "a grant's subjectId must be the subject's id",
                    },
                ));
            }
        }
        let role = match grant.get("role") {
            Some(n) => r.object(n, &grant.at("role"), REF, REF_INFO)?,
            None => return Err(ModelError::at(grant.at("role"), InputErrorKind::Required)),
        };
        let role_id = role.req_str("id")?;
        if d.model.rbac().role(role_id).is_none() {
            return Err(ModelError::at(
                role.at("id"),
                RbacErrorKind::UnknownRole {
                    id: role_id.to_owned(),
                },
            ));
        }
        let division = match grant.get("division") {
            Some(n) => r.object(n, &grant.at("division"), REF, DIVISION_REF_INFO)?,
            None => {
                return Err(ModelError::at(
                    grant.at("division"),
                    InputErrorKind::Required,
                ));
            }
        };
        let division_id = division.req_str("id")?;
        if division_id != "*" && d.model.rbac().division_name(division_id).is_none() {
            return Err(ModelError::at(
                division.at("id"),
                RbacErrorKind::UnknownDivision {
                    id: division_id.to_owned(),
                },
            ));
        }
        want.push((role_id.to_owned(), division_id.to_owned()));
    }
    match kind {
        SubjectKind::User => ensure_user(d, id)?,
        SubjectKind::Group => {
            if d.model.rbac().group_name(id).is_none() {
                let name = obj.str("name")?.unwrap_or(id);
                let op = Op::AddGroup {
                    id: id.to_owned(),
                    name: Some(name.to_owned()),
                };
                d.apply(op, "", &[])?;
            }
        }
        SubjectKind::Client => {}
    }
    let subject = match kind {
        SubjectKind::User => Subject::User(id),
        SubjectKind::Group => Subject::Group(id),
        SubjectKind::Client => Subject::Client(id),
    };
    let have = direct_grants(&d.model, subject)?;
    let held = |list: &[(String, String)], role: &str, division: &str| {
        list.iter().any(|(r, v)| r == role && v == division)
    };
    for (role, division) in &have {
        if !held(&want, role, division) {
            let op = grant_op(kind, id, role, division, false);
            d.apply(op, "grants", &[])?;
        }
    }
    for (i, (role, division)) in want.iter().enumerate() {
        if !held(&have, role, division) {
            let op = grant_op(kind, id, role, division, true);
            d.apply_at(
                op,
                || index_path("grants", i),
                &[("roleId", "role.id"), ("divisionId", "division.id")],
            )?;
        }
    }
    Ok(())
}

/// The operation granting (or revoking) `role` in `division` to a subject of `kind`.
fn grant_op(kind: SubjectKind, id: &str, role: &str, division: &str, grant: bool) -> Op {
    let (role_id, division_id) = (role.to_owned(), Some(division.to_owned()));
    let (user_id, group_id) = match kind {
        SubjectKind::User => (Some(id.to_owned()), None),
        SubjectKind::Group => (None, Some(id.to_owned())),
        SubjectKind::Client => {
            let client_id = id.to_owned();
            return if grant {
                Op::GrantClientRole {
                    client_id,
                    role_id,
                    division_id,
                }
            } else {
                Op::RevokeClientRole {
                    client_id,
                    role_id,
                    division_id,
                }
            };
        }
    };
    if grant {
        Op::GrantRole {
            user_id,
            group_id,
            role_id,
            division_id,
        }
    } else {
        Op::RevokeRole {
            user_id,
            group_id,
            role_id,
            division_id,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vendor::reading::Obj;

    #[test]
    fn a_deep_condition_reads_without_recursion() {
        let mut json = String::from(
            r#"{"variableName": "x", "operator": "EQ", "operands": [{"type": "SCALAR", "value": "1"}]}"#,
        );
        for _ in 0..40 {
            json = format!(r#"{{"conjunction": "AND", "terms": [{json}]}}"#);
        }
        let node = parse(&json).unwrap();
        let mut r = Reader::new(Strictness::Strict);
        let c = read_condition(&mut r, &node, "").unwrap();
        assert!(!c.evaluate(&[("x", "1")])); // deeper than MAX_DEPTH: false
    }

    #[test]
    fn obj_helpers_name_paths() {
        let node = parse(r#"{"id": 3}"#).unwrap();
        let mut r = Reader::new(Strictness::Strict);
        let obj: Obj<'_, '_> = r.object(&node, "x", &["id"], &[]).unwrap();
        assert_eq!(obj.req_str("id").unwrap_err().path(), "x.id");
    }
}
