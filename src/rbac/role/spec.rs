//! Role and policy specs, wildcard matching and validation against the catalog.

use std::collections::BTreeSet;
use std::fmt;

use crate::error::InputErrorKind;
use crate::rbac::catalog::{Catalog, Parsed, parse};
use crate::rbac::condition::Condition;
use crate::rbac::error::{RbacError, RbacErrorKind};
use crate::rbac::ids::PermissionId;

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
/// model.rbac_mut().add_permission(PermissionSpec::new("routing:queue:view", "View queues"))?;
/// model.rbac_mut().create_role(
///     RoleSpec::new("agent", "Agent")
///         .with_description("Takes calls")
///         .with_policy(PolicySpec::new("routing", "queue", ["view"])),
/// )?;
/// assert_eq!(model.rbac().role("agent").unwrap().name, "Agent");
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

    /// The first field of the role that needs catalog permission `p` to stay valid: a flat
    /// permission naming it, an explicit atom of a policy, or a policy whose domain, entity
    /// or `domain:*:action` group has `p` as its only atom. Relative to the role; `None` when
    /// the role validates as well without `p`.
    pub(crate) fn needs_permission(&self, catalog: &Catalog, p: PermissionId) -> Option<String> {
        let name = catalog.name(p);
        let only = |atoms: &[PermissionId]| atoms == [p];
        match parse(name) {
            Ok(Parsed::Flat(_)) => self
                .permissions
                .iter()
                .position(|q| q == name)
                .map(|i| format!("permissions[{i}]")),
            Ok(Parsed::Atom(d, e, a)) => {
                for (i, policy) in self.permission_policies.iter().enumerate() {
                    if policy.domain != d {
                        continue;
                    }
                    let at = format!("permissionPolicies[{i}]");
                    if only(catalog.domain_atoms(d)) {
                        return Some(format!("{at}.domain"));
                    }
                    let explicit = policy.entity_name == e;
                    if explicit && only(catalog.entity_atoms(d, e)) {
                        return Some(format!("{at}.entityName"));
                    }
                    let wildcard = policy.entity_name == WILDCARD;
                    for (j, action) in policy.action_set.iter().enumerate() {
                        if action == a
                            && (explicit || (wildcard && only(catalog.action_atoms(d, a))))
                        {
                            return Some(format!("{at}.actionSet[{j}]"));
                        }
                    }
                }
                None
            }
            Err(_) => None,
        }
    }

    /// Validates the role's fields against the catalog. Paths are relative to the role.
    ///
    /// `gate`: when `Some(allowed)`, a permission of a disabled product is rejected unless it
    /// is in `allowed` (the role or its template already held it).
    pub(crate) fn validate(
        &self,
        catalog: &Catalog,
        gate: Option<&BTreeSet<PermissionId>>,
    ) -> Result<(), RbacError> {
        if self.id.is_empty() {
            return Err(RbacError::at("id", InputErrorKind::EmptyId));
        }
        if self.name.trim().is_empty() {
            return Err(RbacError::at("name", InputErrorKind::Required));
        }
        let gated = |id: PermissionId, path: String| -> Result<(), RbacError> {
            let Some(spec) = catalog.entry(id) else {
                return Ok(());
            };
            match (gate, &spec.product) {
                (Some(allowed), Some(product))
                    if !catalog.available(spec) && !allowed.contains(&id) =>
                {
                    Err(RbacError::at(
                        path,
                        RbacErrorKind::ProductNotEnabled {
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
                RbacError::at(&path, RbacErrorKind::UnknownPermission { id: p.clone() })
            })?;
            if !spec.is_flat() {
                return Err(RbacError::at(
                    path,
                    RbacErrorKind::InvalidPermission {
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
    gated: &dyn Fn(PermissionId, String) -> Result<(), RbacError>,
) -> Result<(), RbacError> {
    let domain = policy.domain.as_str();
    if domain.is_empty() {
        return Err(RbacError::at("domain", InputErrorKind::Required));
    }
    if domain == WILDCARD {
        return Err(RbacError::at("domain", RbacErrorKind::WildcardDomain));
    }
    let atoms = catalog.domain_atoms(domain);
    if atoms.is_empty() {
        return Err(RbacError::at(
            "domain",
            RbacErrorKind::UnknownDomain {
                domain: domain.to_owned(),
            },
        ));
    }
    let entity = policy.entity_name.as_str();
    if entity.is_empty() {
        return Err(RbacError::at("entityName", InputErrorKind::Required));
    }
    if entity != WILDCARD && catalog.entity_atoms(domain, entity).is_empty() {
        return Err(RbacError::at(
            "entityName",
            RbacErrorKind::UnknownPermission {
                id: format!("{domain}:{entity}:*"),
            },
        ));
    }
    if policy.action_set.is_empty() {
        return Err(RbacError::at("actionSet", RbacErrorKind::EmptyActionSet));
    }
    for (j, action) in policy.action_set.iter().enumerate() {
        let path = format!("actionSet[{j}]");
        if action.is_empty() {
            return Err(RbacError::at(path, InputErrorKind::Required));
        }
        if action == WILDCARD {
            continue;
        }
        let name = format!("{domain}:{entity}:{action}");
        if entity == WILDCARD {
            if catalog.action_atoms(domain, action).is_empty() {
                return Err(RbacError::at(
                    path,
                    RbacErrorKind::UnknownPermission { id: name },
                ));
            }
        } else {
            let (id, _) = catalog.get(&name).ok_or_else(|| {
                RbacError::at(&path, RbacErrorKind::UnknownPermission { id: name })
            })?;
            gated(id, path)?;
        }
    }
    if let Some(condition) = &policy.condition {
        let at = "resourceConditionNode";
        if policy.is_wildcard() {
            return Err(RbacError::at(
                at,
                RbacErrorKind::ConditionNotAllowed {
                    permission: policy.to_string(),
                },
            ));
        }
        for action in &policy.action_set {
            let name = format!("{domain}:{entity}:{action}");
            if !catalog.get(&name).is_some_and(|(_, s)| s.allows_conditions) {
                return Err(RbacError::at(
                    at,
                    RbacErrorKind::ConditionNotAllowed { permission: name },
                ));
            }
        }
        condition.validate().map_err(|e| e.within(at))?;
    }
    Ok(())
}
