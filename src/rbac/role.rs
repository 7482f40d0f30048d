//! Roles (Genesys `DomainOrganizationRole`): flat permissions and permission policies
//! `{domain, entityName, actionSet, resourceConditionNode}`, with create, get, update, delete
//! and a paged, sorted, filtered listing with user counts.

use std::collections::BTreeSet;
use std::fmt;

use hashbrown::HashMap;

use crate::error::{ErrorKind, ModelError};
use crate::id::Interner;
use crate::model::Model;
use crate::rbac::catalog::{Catalog, Parsed, parse};
use crate::rbac::condition::Condition;
use crate::rbac::ids::{PermissionId, RoleId, ix};
use crate::rbac::listing::{DEFAULT_PAGE_SIZE, Page, paginate};

/// The wildcard of `entityName` and `actionSet`.
///
/// # Examples
///
/// ```
/// use orgperm::{PolicySpec, WILDCARD};
/// assert!(PolicySpec::new("routing", WILDCARD, ["view"]).is_wildcard());
/// ```
pub const WILDCARD: &str = "*";

/// A permission policy: the atoms `domain:entity:action` for the entity and every action
/// listed, optionally under a condition.
///
/// `entity_name` `*` matches every entity of the domain and an action `*` every action, now
/// and for atoms added to the catalog later. The domain cannot be `*`. A condition is allowed
/// only on a policy without wildcards whose atoms all allow conditions.
///
/// # Examples
///
/// ```
/// use orgperm::{Condition, PolicySpec};
/// let p = PolicySpec::new("routing", "queue", ["view", "edit"]);
/// assert_eq!(p.to_string(), "routing:queue:view,edit");
/// let all = PolicySpec::new("routing", "*", ["*"]);
/// assert!(all.is_wildcard());
/// let conditional = PolicySpec::new("routing", "queue", ["view"]).with_condition(Condition::eq("queue.id", "q1"));
/// assert!(conditional.condition.is_some());
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PolicySpec {
    /// The domain (never `*`).
    pub domain: String,
    /// The entity, or `*`.
    pub entity_name: String,
    /// The actions; `*` among them means every action.
    pub action_set: Vec<String>,
    /// The condition (`resourceConditionNode`), if any.
    pub condition: Option<Condition>,
}

impl PolicySpec {
    /// A policy without condition.
    pub fn new<S: Into<String>>(
        domain: impl Into<String>,
        entity_name: impl Into<String>,
        actions: impl IntoIterator<Item = S>,
    ) -> Self {
        Self {
            domain: domain.into(),
            entity_name: entity_name.into(),
            action_set: actions.into_iter().map(Into::into).collect(),
            condition: None,
        }
    }

    /// The same policy under a condition.
    pub fn with_condition(mut self, condition: Condition) -> Self {
        self.condition = Some(condition);
        self
    }

    /// Whether the entity or an action is `*`.
    pub fn is_wildcard(&self) -> bool {
        self.entity_name == WILDCARD || self.action_set.iter().any(|a| a == WILDCARD)
    }

    /// Whether the policy names the atom `domain:entity:action`.
    pub(crate) fn matches(&self, domain: &str, entity: &str, action: &str) -> bool {
        self.domain == domain
            && (self.entity_name == WILDCARD || self.entity_name == entity)
            && self.action_set.iter().any(|a| a == WILDCARD || a == action)
    }

    /// The catalog atoms the policy names, in catalog order, each once. Looked up through the
    /// catalog's indexes by domain, entity and action, so the cost is the size of the policy
    /// and of its answer, not of the domain.
    pub(crate) fn atoms(&self, catalog: &Catalog) -> Vec<PermissionId> {
        let domain = self.domain.as_str();
        let entity = self.entity_name.as_str();
        let any_action = self.action_set.iter().any(|a| a == WILDCARD);
        let mut out: Vec<PermissionId> = match (entity == WILDCARD, any_action) {
            (true, true) => return catalog.domain_atoms(domain).to_vec(),
            (false, true) => return catalog.entity_atoms(domain, entity).to_vec(),
            (true, false) => self
                .action_set
                .iter()
                .flat_map(|a| catalog.action_atoms(domain, a).iter().copied())
                .collect(),
            (false, false) => self
                .action_set
                .iter()
                .filter_map(|a| {
                    let (id, _) = catalog.get(&format!("{domain}:{entity}:{a}"))?;
                    // The name must split back into the same parts.
                    match parse(catalog.name(id)) {
                        Ok(Parsed::Atom(d, e, x)) if d == domain && e == entity && x == a => {
                            Some(id)
                        }
                        _ => None,
                    }
                })
                .collect(),
        };
        out.sort_unstable();
        out.dedup();
        out
    }

    /// The atoms a policy without wildcards names explicitly (existing or not).
    fn explicit(&self) -> impl Iterator<Item = String> + '_ {
        let explicit = !self.is_wildcard();
        self.action_set
            .iter()
            .filter(move |_| explicit)
            .map(|a| format!("{}:{}:{a}", self.domain, self.entity_name))
    }
}

impl fmt::Display for PolicySpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}",
            self.domain,
            self.entity_name,
            self.action_set.join(",")
        )
    }
}

/// A role: flat permissions (such as `admin`) and permission policies.
///
/// `default_role_id` ties a role to a default role template ([`crate::DefaultRoleTemplate`]);
/// such a role keeps its name. `view_only` marks a Quantive-style view-only role, which a user
/// cannot hold together with any other role (the base role aside).
///
/// # Examples
///
/// ```
/// use orgperm::{Model, PermissionSpec, PolicySpec, RoleSpec};
/// let mut model = Model::new();
/// model.add_permission(PermissionSpec::new("routing:queue:view", "View queues"))?;
/// model.create_role(
///     RoleSpec::new("agent", "Agent")
///         .with_description("Takes calls")
///         .with_policy(PolicySpec::new("routing", "queue", ["view"])),
/// )?;
/// assert_eq!(model.role("agent").unwrap().name, "Agent");
/// # Ok::<(), orgperm::ModelError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct RoleSpec {
    /// External id.
    pub id: String,
    /// Name, unique among roles (without case).
    pub name: String,
    /// Description.
    pub description: String,
    /// The default role template this role is based on.
    pub default_role_id: Option<String>,
    /// Whether this is a view-only role.
    pub view_only: bool,
    /// Flat permissions (`admin`, …).
    pub permissions: Vec<String>,
    /// Permission policies.
    pub permission_policies: Vec<PolicySpec>,
}

impl RoleSpec {
    /// An empty role.
    pub fn new(id: impl Into<String>, name: impl Into<String>) -> Self {
        Self {
            id: id.into(),
            name: name.into(),
            ..Self::default()
        }
    }

    /// The same role with a description.
    pub fn with_description(mut self, description: impl Into<String>) -> Self {
        self.description = description.into();
        self
    }

    /// The same role with one more flat permission.
    pub fn with_permission(mut self, permission: impl Into<String>) -> Self {
        self.permissions.push(permission.into());
        self
    }

    /// The same role with one more policy.
    pub fn with_policy(mut self, policy: PolicySpec) -> Self {
        self.permission_policies.push(policy);
        self
    }

    /// The same role, marked view-only.
    pub fn view_only(mut self) -> Self {
        self.view_only = true;
        self
    }

    /// Every atom and flat permission the role names, wildcards expanded over the catalog,
    /// conditions and products ignored: the set compared with default roles.
    pub(crate) fn atom_set(&self, catalog: &Catalog) -> BTreeSet<PermissionId> {
        let mut out: BTreeSet<PermissionId> = self
            .permissions
            .iter()
            .filter_map(|p| catalog.get(p).map(|(id, _)| id))
            .collect();
        for policy in &self.permission_policies {
            out.extend(policy.atoms(catalog));
        }
        out
    }

    /// The permissions the role names explicitly (flat ones and atoms of policies without
    /// wildcards), as catalog ids.
    pub(crate) fn explicit_set(&self, catalog: &Catalog) -> BTreeSet<PermissionId> {
        let flat = self.permissions.iter().cloned();
        let atoms = self.permission_policies.iter().flat_map(|p| p.explicit());
        flat.chain(atoms)
            .filter_map(|p| catalog.get(&p).map(|(id, _)| id))
            .collect()
    }

    /// Validates the role's fields against the catalog. Paths are relative to the role.
    ///
    /// `gate`: when `Some(allowed)`, a permission of a disabled product is rejected unless it
    /// is in `allowed` (the role or its template already held it).
    pub(crate) fn validate(
        &self,
        catalog: &Catalog,
        gate: Option<&BTreeSet<PermissionId>>,
    ) -> Result<(), ModelError> {
        if self.id.is_empty() {
            return Err(ModelError::at("id", ErrorKind::EmptyId));
        }
        if self.name.trim().is_empty() {
            return Err(ModelError::at("name", ErrorKind::Required));
        }
        let gated = |id: PermissionId, path: String| -> Result<(), ModelError> {
            let Some(spec) = catalog.entry(id) else {
                return Ok(());
            };
            match (gate, &spec.product) {
                (Some(allowed), Some(product))
                    if !catalog.available(spec) && !allowed.contains(&id) =>
                {
                    Err(ModelError::at(
                        path,
                        ErrorKind::ProductNotEnabled {
                            permission: spec.permission.clone(),
                            product: product.clone(),
                        },
                    ))
                }
                _ => Ok(()),
            }
        };
        for (i, p) in self.permissions.iter().enumerate() {
            let path = format!("permissions[{i}]");
            let (id, spec) = catalog.get(p).ok_or_else(|| {
                ModelError::at(&path, ErrorKind::UnknownPermission { id: p.clone() })
            })?;
            if !spec.is_flat() {
                return Err(ModelError::at(
                    path,
                    ErrorKind::InvalidPermission {
                        value: p.clone(),
                        reason: "expected a flat permission; atoms go in permissionPolicies",
                    },
                ));
            }
            gated(id, path)?;
        }
        for (i, policy) in self.permission_policies.iter().enumerate() {
            validate_policy(policy, catalog, &gated)
                .map_err(|e| e.within(&format!("permissionPolicies[{i}]")))?;
        }
        Ok(())
    }
}

/// Validates one policy; paths relative to it.
fn validate_policy(
    policy: &PolicySpec,
    catalog: &Catalog,
    gated: &dyn Fn(PermissionId, String) -> Result<(), ModelError>,
) -> Result<(), ModelError> {
    let domain = policy.domain.as_str();
    if domain.is_empty() {
        return Err(ModelError::at("domain", ErrorKind::Required));
    }
    if domain == WILDCARD {
        return Err(ModelError::at("domain", ErrorKind::WildcardDomain));
    }
    let atoms = catalog.domain_atoms(domain);
    if atoms.is_empty() {
        return Err(ModelError::at(
            "domain",
            ErrorKind::UnknownDomain {
                domain: domain.to_owned(),
            },
        ));
    }
    let entity = policy.entity_name.as_str();
    if entity.is_empty() {
        return Err(ModelError::at("entityName", ErrorKind::Required));
    }
    if entity != WILDCARD && catalog.entity_atoms(domain, entity).is_empty() {
        return Err(ModelError::at(
            "entityName",
            ErrorKind::UnknownPermission {
                id: format!("{domain}:{entity}:*"),
            },
        ));
    }
    if policy.action_set.is_empty() {
        return Err(ModelError::at("actionSet", ErrorKind::EmptyActionSet));
    }
    for (j, action) in policy.action_set.iter().enumerate() {
        let path = format!("actionSet[{j}]");
        if action.is_empty() {
            return Err(ModelError::at(path, ErrorKind::Required));
        }
        if action == WILDCARD {
            continue;
        }
        let name = format!("{domain}:{entity}:{action}");
        if entity == WILDCARD {
            if catalog.action_atoms(domain, action).is_empty() {
                return Err(ModelError::at(
                    path,
                    ErrorKind::UnknownPermission { id: name },
                ));
            }
        } else {
            let (id, _) = catalog
                .get(&name)
                .ok_or_else(|| ModelError::at(&path, ErrorKind::UnknownPermission { id: name }))?;
            gated(id, path)?;
        }
    }
    if let Some(condition) = &policy.condition {
        let at = "resourceConditionNode";
        if policy.is_wildcard() {
            return Err(ModelError::at(
                at,
                ErrorKind::ConditionNotAllowed {
                    permission: policy.to_string(),
                },
            ));
        }
        for action in &policy.action_set {
            let name = format!("{domain}:{entity}:{action}");
            if !catalog.get(&name).is_some_and(|(_, s)| s.allows_conditions) {
                return Err(ModelError::at(
                    at,
                    ErrorKind::ConditionNotAllowed { permission: name },
                ));
            }
        }
        condition.validate().map_err(|e| e.within(at))?;
    }
    Ok(())
}

/// The roles of a model.
#[derive(Clone, Debug, Default)]
pub(crate) struct Roles {
    pub(crate) ids: Interner<RoleId>,
    /// By dense id; `None` once deleted (the id is kept for a later re-create).
    pub(crate) slots: Vec<Option<RoleSpec>>,
    /// Lower-cased names of the live roles.
    names: HashMap<String, RoleId>,
    /// The live role of each default role template.
    pub(crate) by_default: HashMap<String, RoleId>,
    /// Number of live view-only roles.
    view_only: usize,
}

impl Roles {
    pub(crate) fn live(&self, id: &str) -> Option<(RoleId, &RoleSpec)> {
        let r = self.ids.get(id)?;
        Some((r, self.spec(r)?))
    }

    pub(crate) fn spec(&self, r: RoleId) -> Option<&RoleSpec> {
        self.slots.get(ix(r))?.as_ref()
    }

    pub(crate) fn live_or_err(
        &self,
        id: &str,
        path: &str,
    ) -> Result<(RoleId, &RoleSpec), ModelError> {
        self.live(id)
            .ok_or_else(|| ModelError::at(path, ErrorKind::UnknownRole { id: id.to_owned() }))
    }

    pub(crate) fn name(&self, r: RoleId) -> &str {
        self.ids.name(r).unwrap_or("")
    }

    /// Whether some live role is view-only (else the view-only rule cannot fail).
    pub(crate) fn any_view_only(&self) -> bool {
        self.view_only > 0
    }

    pub(crate) fn is_view_only(&self, r: RoleId) -> bool {
        self.spec(r).is_some_and(|s| s.view_only)
    }

    /// The live role holding `name` (without case), if any.
    pub(crate) fn by_name(&self, name: &str) -> Option<RoleId> {
        self.names.get(&name.to_lowercase()).copied()
    }

    pub(crate) fn iter(&self) -> impl Iterator<Item = (RoleId, &RoleSpec)> + '_ {
        self.slots
            .iter()
            .enumerate()
            .filter_map(|(i, s)| Some((RoleId::new(i as u32), s.as_ref()?)))
    }

    /// Stores a validated role under its id (new or replacing).
    pub(crate) fn put(&mut self, spec: RoleSpec) -> Result<RoleId, ModelError> {
        let (r, new) = self.ids.intern(&spec.id)?;
        if new {
            self.slots.push(None);
        }
        if let Some(old) = self.slots.get(ix(r)).and_then(Option::as_ref) {
            self.names.remove(&old.name.to_lowercase());
            self.view_only = self.view_only.saturating_sub(usize::from(old.view_only));
        }
        self.view_only += usize::from(spec.view_only);
        self.names.insert(spec.name.to_lowercase(), r);
        if let Some(d) = &spec.default_role_id {
            self.by_default.insert(d.clone(), r);
        }
        if let Some(slot) = self.slots.get_mut(ix(r)) {
            *slot = Some(spec);
        }
        Ok(r)
    }

    fn remove(&mut self, r: RoleId) {
        if let Some(old) = self.slots.get_mut(ix(r)).and_then(Option::take) {
            self.names.remove(&old.name.to_lowercase());
            self.view_only = self.view_only.saturating_sub(usize::from(old.view_only));
            if let Some(d) = &old.default_role_id {
                self.by_default.remove(d);
            }
        }
    }
}

/// How [`Model::list_roles`] sorts.
///
/// # Examples
///
/// ```
/// assert_eq!(orgperm::RoleSort::default(), orgperm::RoleSort::Name);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum RoleSort {
    /// By name without case (then exact name, then id).
    #[default]
    Name,
    /// By id.
    Id,
    /// By user count (then name).
    UserCount,
}

/// Paging, sorting and filtering of [`Model::list_roles`], as `GET /authorization/roles`.
///
/// # Examples
///
/// ```
/// use orgperm::{RoleQuery, RoleSort};
/// let q = RoleQuery::new().page(10, 3).sort(RoleSort::UserCount, true).with_permission("routing:queue:view");
/// assert_eq!((q.page_size, q.page_number, q.descending), (10, 3, true));
/// assert_eq!(q.permissions, ["routing:queue:view"]);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RoleQuery {
    /// Page size (default 25).
    pub page_size: usize,
    /// Page number from 1 (default 1).
    pub page_number: usize,
    /// Sort key.
    pub sort_by: RoleSort,
    /// Descending order.
    pub descending: bool,
    /// Only roles naming every one of these permissions (after wildcard expansion).
    pub permissions: Vec<String>,
}

impl Default for RoleQuery {
    fn default() -> Self {
        Self::new()
    }
}

impl RoleQuery {
    /// The first page of 25 by name, unfiltered.
    pub fn new() -> Self {
        Self {
            page_size: DEFAULT_PAGE_SIZE,
            page_number: 1,
            sort_by: RoleSort::Name,
            descending: false,
            permissions: Vec::new(),
        }
    }

    /// Page `number` (from 1) of `size`.
    pub fn page(mut self, size: usize, number: usize) -> Self {
        self.page_size = size;
        self.page_number = number;
        self
    }

    /// Sort key and direction.
    pub fn sort(mut self, by: RoleSort, descending: bool) -> Self {
        self.sort_by = by;
        self.descending = descending;
        self
    }

    /// Keeps only the roles that name `permission`.
    pub fn with_permission(mut self, permission: impl Into<String>) -> Self {
        self.permissions.push(permission.into());
        self
    }
}

/// A role as listed: its fields and the figures computed from the model.
///
/// # Examples
///
/// ```
/// use orgperm::{Model, RoleSpec, Subject};
/// let mut model = Model::new();
/// model.add_division("home", "Home")?;
/// model.add_user("ada", None)?;
/// model.create_role(RoleSpec::new("r", "Agents"))?;
/// model.grant_role(Subject::User("ada"), "r", None)?;
/// let summary = model.role_summary("r").unwrap();
/// assert_eq!(summary.user_count, 1);
/// assert!(!summary.base && !summary.needs_update);
/// # Ok::<(), orgperm::ModelError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RoleSummary<'a> {
    /// The role.
    pub role: &'a RoleSpec,
    /// Active users holding it, directly, through a group or as the base role.
    pub user_count: usize,
    /// Whether its default role template holds atoms it lacks (`roleNeedsUpdate`).
    pub needs_update: bool,
    /// Whether it is the base role every user holds.
    pub base: bool,
}

impl Model {
    /// Creates a role.
    ///
    /// A role with a `default_role_id` must match an existing template, not yet restored, and
    /// carry the template's name. Granting a permission of a disabled product is refused
    /// (unless the template holds it).
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{ErrorKind, Model, PermissionSpec, PolicySpec, RoleSpec};
    /// let mut model = Model::new();
    /// model.add_permission(PermissionSpec::new("routing:queue:view", "View queues"))?;
    /// let bad = RoleSpec::new("r", "R").with_policy(PolicySpec::new("*", "*", ["*"]));
    /// let err = model.create_role(bad).unwrap_err();
    /// assert_eq!(err.to_string(), "permissionPolicies[0].domain: a policy domain cannot be \"*\"");
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    pub fn create_role(&mut self, spec: RoleSpec) -> Result<RoleId, ModelError> {
        self.insert_role(spec, false)
    }

    /// Creates a role from a model document, which records a state rather than an edit: as
    /// [`create_role`](Model::create_role), but a permission of a disabled product is
    /// accepted (the product may have been disabled after the role was saved; it never
    /// evaluates true), and a default role may carry a name its template no longer has (the
    /// vendor renamed the template after the role was restored).
    pub(crate) fn import_role(&mut self, spec: RoleSpec) -> Result<RoleId, ModelError> {
        self.insert_role(spec, true)
    }

    fn insert_role(&mut self, spec: RoleSpec, import: bool) -> Result<RoleId, ModelError> {
        let rbac = &self.rbac;
        if rbac.roles.live(&spec.id).is_some() {
            return Err(ModelError::at("id", ErrorKind::DuplicateId { id: spec.id }));
        }
        let mut allowed = BTreeSet::new();
        if let Some(d) = &spec.default_role_id {
            let template = rbac.templates.get(d).ok_or_else(|| {
                ModelError::at(
                    "defaultRoleId",
                    ErrorKind::UnknownDefaultRole { id: d.clone() },
                )
            })?;
            if rbac.roles.by_default.contains_key(d) {
                return Err(ModelError::at(
                    "defaultRoleId",
                    ErrorKind::DuplicateId { id: d.clone() },
                ));
            }
            if !import && template.role.name != spec.name {
                return Err(ModelError::at(
                    "name",
                    ErrorKind::DefaultRoleRenamed { id: spec.id },
                ));
            }
            allowed = template.role.explicit_set(&rbac.catalog);
        }
        if rbac.roles.by_name(&spec.name).is_some() {
            return Err(ModelError::at(
                "name",
                ErrorKind::DuplicateName { name: spec.name },
            ));
        }
        spec.validate(&rbac.catalog, (!import).then_some(&allowed))?;
        self.rbac.roles.put(spec)
    }

    /// A live role.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut model = orgperm::Model::new();
    /// model.create_role(orgperm::RoleSpec::new("r", "Agents")).unwrap();
    /// assert_eq!(model.role("r").unwrap().name, "Agents");
    /// assert!(model.role("x").is_none());
    /// ```
    pub fn role(&self, id: &str) -> Option<&RoleSpec> {
        self.rbac.roles.live(id).map(|(_, s)| s)
    }

    /// The external ids of the live roles, in dense-id order.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut model = orgperm::Model::new();
    /// model.create_role(orgperm::RoleSpec::new("r", "Agents")).unwrap();
    /// assert_eq!(model.role_ids().collect::<Vec<_>>(), ["r"]);
    /// ```
    pub fn role_ids(&self) -> impl Iterator<Item = &str> + '_ {
        self.rbac.roles.iter().map(|(_, s)| s.id.as_str())
    }

    /// A role with its user count, `needsUpdate` and base flag.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut model = orgperm::Model::new();
    /// model.create_role(orgperm::RoleSpec::new("r", "Agents")).unwrap();
    /// assert_eq!(model.role_summary("r").unwrap().user_count, 0);
    /// ```
    pub fn role_summary(&self, id: &str) -> Option<RoleSummary<'_>> {
        let (r, spec) = self.rbac.roles.live(id)?;
        let counts = self.role_user_counts();
        Some(self.summary(r, spec, &counts))
    }

    fn summary<'a>(&'a self, r: RoleId, spec: &'a RoleSpec, counts: &[usize]) -> RoleSummary<'a> {
        RoleSummary {
            role: spec,
            user_count: counts.get(ix(r)).copied().unwrap_or(0),
            needs_update: self.rbac.needs_update(spec),
            base: self.rbac.base_role() == Some(r),
        }
    }

    /// Replaces the role with `spec.id`.
    ///
    /// A default role keeps its name and `defaultRoleId`; granting a permission of a disabled
    /// product the role did not hold is refused; making a role view-only is refused while a
    /// holder has another role.
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{ErrorKind, Model, PermissionSpec, PolicySpec, RoleSpec};
    /// let mut model = Model::new();
    /// model.add_permission(PermissionSpec::new("routing:queue:view", "View"))?;
    /// model.create_role(RoleSpec::new("r", "Agents"))?;
    /// model.update_role(RoleSpec::new("r", "Agents").with_policy(PolicySpec::new("routing", "queue", ["view"])))?;
    /// assert_eq!(model.role("r").unwrap().permission_policies.len(), 1);
    /// let err = model.update_role(RoleSpec::new("x", "X")).unwrap_err();
    /// assert_eq!(err.kind(), &ErrorKind::UnknownRole { id: "x".into() });
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    pub fn update_role(&mut self, spec: RoleSpec) -> Result<(), ModelError> {
        let rbac = &self.rbac;
        let (r, old) = rbac.roles.live_or_err(&spec.id, "id")?;
        if old.default_role_id != spec.default_role_id {
            return Err(ModelError::at(
                "defaultRoleId",
                ErrorKind::DefaultRoleIdChanged { id: spec.id },
            ));
        }
        if old.default_role_id.is_some() && old.name != spec.name {
            return Err(ModelError::at(
                "name",
                ErrorKind::DefaultRoleRenamed { id: spec.id },
            ));
        }
        if rbac
            .roles
            .by_name(&spec.name)
            .is_some_and(|other| other != r)
        {
            return Err(ModelError::at(
                "name",
                ErrorKind::DuplicateName { name: spec.name },
            ));
        }
        let mut allowed = old.explicit_set(&rbac.catalog);
        if let Some(t) = old
            .default_role_id
            .as_ref()
            .and_then(|d| rbac.templates.get(d))
        {
            allowed.extend(t.role.explicit_set(&rbac.catalog));
        }
        spec.validate(&rbac.catalog, Some(&allowed))?;
        if spec.view_only && !old.view_only {
            self.check_becomes_view_only(r)?;
        }
        self.rbac.roles.put(spec).map(|_| ())
    }

    /// Deletes a role that no grant and no global permission names. The base role cannot be
    /// deleted.
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{ErrorKind, Model, RoleSpec, Subject};
    /// let mut model = Model::new();
    /// model.add_division("home", "Home")?;
    /// model.add_user("ada", None)?;
    /// model.create_role(RoleSpec::new("r", "Agents"))?;
    /// model.grant_role(Subject::User("ada"), "r", None)?;
    /// let err = model.delete_role("r").unwrap_err();
    /// assert_eq!(err.kind(), &ErrorKind::RoleAssigned { id: "r".into(), grants: 1 });
    /// model.revoke_role(Subject::User("ada"), "r", None)?;
    /// model.delete_role("r")?;
    /// assert!(model.role("r").is_none());
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    pub fn delete_role(&mut self, id: &str) -> Result<(), ModelError> {
        let (r, _) = self.rbac.roles.live_or_err(id, "id")?;
        if self.rbac.base_role() == Some(r) {
            return Err(ModelError::at(
                "id",
                ErrorKind::BaseRoleNotRemovable { id: id.to_owned() },
            ));
        }
        let grants = self.rbac.grants.count_role(r);
        if grants > 0 {
            return Err(ModelError::at(
                "id",
                ErrorKind::RoleAssigned {
                    id: id.to_owned(),
                    grants,
                },
            ));
        }
        if let Some(permission) = self.rbac.actions.global_naming_role(r) {
            return Err(ModelError::at(
                "id",
                ErrorKind::RoleReferenced {
                    id: id.to_owned(),
                    permission: permission.to_owned(),
                },
            ));
        }
        self.rbac.roles.remove(r);
        Ok(())
    }

    /// A page of roles, sorted and filtered, with user counts (`GET /authorization/roles`).
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{Model, PermissionSpec, PolicySpec, RoleQuery, RoleSort, RoleSpec};
    /// let mut model = Model::new();
    /// model.add_permission(PermissionSpec::new("routing:queue:view", "View"))?;
    /// model.create_role(RoleSpec::new("1", "b-role").with_policy(PolicySpec::new("routing", "*", ["*"])))?;
    /// model.create_role(RoleSpec::new("2", "A-role"))?;
    /// let names = |q: &RoleQuery| -> Vec<String> {
    ///     model.list_roles(q).unwrap().entities.iter().map(|s| s.role.name.clone()).collect()
    /// };
    /// assert_eq!(names(&RoleQuery::new()), ["A-role", "b-role"]);
    /// assert_eq!(names(&RoleQuery::new().sort(RoleSort::Name, true)), ["b-role", "A-role"]);
    /// assert_eq!(names(&RoleQuery::new().with_permission("routing:queue:view")), ["b-role"]);
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    pub fn list_roles(&self, query: &RoleQuery) -> Result<Page<RoleSummary<'_>>, ModelError> {
        let catalog = &self.rbac.catalog;
        let mut wanted = Vec::with_capacity(query.permissions.len());
        for (i, p) in query.permissions.iter().enumerate() {
            let (id, _) = catalog.get(p).ok_or_else(|| {
                ModelError::at(
                    format!("permission[{i}]"),
                    ErrorKind::UnknownPermission { id: p.clone() },
                )
            })?;
            wanted.push(id);
        }
        let counts = self.role_user_counts();
        let mut items: Vec<RoleSummary<'_>> = self
            .rbac
            .roles
            .iter()
            .filter(|(_, spec)| {
                wanted.is_empty() || {
                    let atoms = spec.atom_set(catalog);
                    wanted.iter().all(|w| atoms.contains(w))
                }
            })
            .map(|(r, spec)| self.summary(r, spec, &counts))
            .collect();
        let by_name = |a: &RoleSummary<'_>, b: &RoleSummary<'_>| {
            a.role
                .name
                .to_lowercase()
                .cmp(&b.role.name.to_lowercase())
                .then_with(|| a.role.name.cmp(&b.role.name))
                .then_with(|| a.role.id.cmp(&b.role.id))
        };
        match query.sort_by {
            RoleSort::Name => items.sort_by(by_name),
            RoleSort::Id => items.sort_by(|a, b| a.role.id.cmp(&b.role.id)),
            RoleSort::UserCount => {
                items.sort_by(|a, b| a.user_count.cmp(&b.user_count).then_with(|| by_name(a, b)))
            }
        }
        if query.descending {
            items.reverse();
        }
        paginate(items, query.page_size, query.page_number)
    }
}
