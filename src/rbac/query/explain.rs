//! Explanations: the decision of a permission check with the grant, role and policy that decided.

use crate::decision::Decision;
use crate::id::key::Key;
use crate::id::{DenseId, NONE, UserId};
use crate::rbac::catalog::{ADMIN, Parsed, parse};
use crate::rbac::compiled::{AVAILABLE, AWARE, CONDITIONAL, CompiledRole, LIVE};
use crate::rbac::condition::ConditionContext;
use crate::rbac::grants::{Grant, GrantSource, covers};
use crate::rbac::ids::{DivisionId, PermissionId, ResourceId, RoleId, SCOPE_ALL, SCOPE_NONE, ix};
use crate::rbac::query::Rbac;
use crate::rbac::reason::RbacReason;

impl<'s> Rbac<'s> {
    /// Why `user` does or does not hold `permission` somewhere. Always agrees with
    /// [`has_permission`](Rbac::has_permission).
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{GrantSource, Model, PermissionSpec, PolicySpec, RbacReason, RoleSpec, Subject};
    /// let mut model = Model::new();
    /// model.rbac_mut().add_division("home", "Home")?;
    /// model.add_user("ada", None)?;
    /// model.rbac_mut().add_group("g", "Support")?;
    /// model.rbac_mut().add_group_members("g", &["ada"])?;
    /// model.rbac_mut().add_permission(PermissionSpec::new("routing:queue:view", "View"))?;
    /// model.rbac_mut().create_role(RoleSpec::new("r", "R").with_policy(PolicySpec::new("routing", "*", ["view"])))?;
    /// model.rbac_mut().grant_role(Subject::Group("g"), "r", Some("*"))?;
    /// let d = model.compile().rbac().explain_permission("ada", "routing:queue:view");
    /// assert!(d.allowed);
    /// assert_eq!(d.reason, RbacReason::RoleGrant {
    ///     role: "r".into(), policy: "routing:*:view".into(), source: GrantSource::Group("g".into()),
    ///     division: "*".into(), conditional: false,
    /// });
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    pub fn explain_permission(
        &self,
        user: impl Key<UserId>,
        permission: impl Key<PermissionId>,
    ) -> Decision<RbacReason> {
        self.explain_grants(&user, &permission, None, &[], None)
    }

    /// [`explain_permission_on`](Rbac::explain_permission_on) with the check's variables:
    /// always agrees with [`has_permission_on_with`](Rbac::has_permission_on_with).
    pub fn explain_permission_on_with(
        &self,
        user: impl Key<UserId>,
        permission: impl Key<PermissionId>,
        division: impl Key<DivisionId>,
        attributes: &[(&str, &str)],
        variables: &[(&str, &str)],
    ) -> Decision<RbacReason> {
        self.explain_on(user, permission, division, attributes, Some(variables))
    }

    /// Why `user` does or does not hold `permission` on an object in `division` with
    /// `attributes`. Always agrees with [`has_permission_on`](Rbac::has_permission_on).
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{Model, PermissionSpec, PolicySpec, RbacReason, RoleSpec, Subject};
    /// let mut model = Model::new();
    /// model.rbac_mut().add_division("home", "Home")?;
    /// model.rbac_mut().add_division("emea", "EMEA")?;
    /// model.add_user("ada", None)?;
    /// model.rbac_mut().add_permission(PermissionSpec::new("routing:queue:view", "View").division_aware())?;
    /// model.rbac_mut().create_role(RoleSpec::new("r", "R").with_policy(PolicySpec::new("routing", "queue", ["view"])))?;
    /// model.rbac_mut().grant_role(Subject::User("ada"), "r", None)?;
    /// let d = model.compile().rbac().explain_permission_on("ada", "routing:queue:view", "emea", &[]);
    /// assert_eq!(d.to_string(), "deny: permission \"routing:queue:view\" is not granted in division \"emea\" or \"*\"");
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    pub fn explain_permission_on(
        &self,
        user: impl Key<UserId>,
        permission: impl Key<PermissionId>,
        division: impl Key<DivisionId>,
        attributes: &[(&str, &str)],
    ) -> Decision<RbacReason> {
        self.explain_on(user, permission, division, attributes, None)
    }

    fn explain_on(
        &self,
        user: impl Key<UserId>,
        permission: impl Key<PermissionId>,
        division: impl Key<DivisionId>,
        attributes: &[(&str, &str)],
        variables: Option<&[(&str, &str)]>,
    ) -> Decision<RbacReason> {
        let d = division
            .resolve(&self.rbac.division_ids)
            .filter(|d| self.division_live(d.as_u32()));
        match d {
            Some(d) => self.explain_grants(&user, &permission, Some(d), attributes, variables),
            None => match self.explain_grants(&user, &permission, None, &[], None) {
                // Unknown user or permission first, as the check resolves them first.
                deny @ Decision {
                    reason: RbacReason::UnknownUser { .. } | RbacReason::UnknownPermission { .. },
                    ..
                } => Decision {
                    allowed: false,
                    ..deny
                },
                _ => Decision::deny(RbacReason::UnknownDivision {
                    division: division.describe(),
                }),
            },
        }
    }

    /// Why `user` does or does not hold `permission` on a resource, in the division it is
    /// assigned to. Always agrees with
    /// [`has_permission_on_resource`](Rbac::has_permission_on_resource).
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{Model, PermissionSpec, RbacReason};
    /// let mut model = Model::new();
    /// model.rbac_mut().add_division("home", "Home")?;
    /// model.add_user("ada", None)?;
    /// model.rbac_mut().add_permission(PermissionSpec::new("routing:queue:view", "View"))?;
    /// let d = model.compile().rbac().explain_permission_on_resource("ada", "routing:queue:view", "queue-9", &[]);
    /// assert_eq!(d.reason, RbacReason::UnknownResource { resource: "\"queue-9\"".into() });
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    pub fn explain_permission_on_resource(
        &self,
        user: impl Key<UserId>,
        permission: impl Key<PermissionId>,
        resource: impl Key<ResourceId>,
        attributes: &[(&str, &str)],
    ) -> Decision<RbacReason> {
        match resource
            .resolve(&self.rbac.resource_ids)
            .and_then(|r| self.resource_division(r))
        {
            Some(d) => self.explain_permission_on(user, permission, d, attributes),
            None => match self.explain_grants(&user, &permission, None, &[], None) {
                d @ Decision {
                    reason: RbacReason::UnknownUser { .. } | RbacReason::UnknownPermission { .. },
                    ..
                } => d,
                _ => Decision::deny(RbacReason::UnknownResource {
                    resource: resource.describe(),
                }),
            },
        }
    }

    fn explain_grants(
        &self,
        user: &impl Key<UserId>,
        permission: &impl Key<PermissionId>,
        division: Option<DivisionId>,
        attributes: &[(&str, &str)],
        variables: Option<&[(&str, &str)]>,
    ) -> Decision<RbacReason> {
        let rbac = &self.rbac;
        let Some(u) = user
            .resolve(&self.org.users)
            .filter(|&u| rbac.combo_of(u).is_some())
        else {
            return Decision::deny(RbacReason::UnknownUser {
                user: user.describe(),
            });
        };
        let Some((a, &flags)) = permission
            .resolve(&self.rbac.permissions)
            .and_then(|a| Some((a, rbac.flags.get(ix(a))?)))
            .filter(|&(_, &flags)| flags & LIVE != 0)
        else {
            return Decision::deny(RbacReason::UnknownPermission {
                permission: permission.describe(),
            });
        };
        let name = rbac.permissions.name(a).unwrap_or("").to_owned();
        if flags & AVAILABLE == 0 {
            let product = rbac
                .catalog
                .get(ix(a))
                .and_then(|p| p.product.clone())
                .unwrap_or_default();
            return Decision::deny(RbacReason::ProductDisabled {
                permission: name,
                product,
            });
        }
        let aware = flags & AWARE != 0;
        let in_scope = |scope: u32| match division {
            Some(d) if aware => covers(scope, d.as_u32()),
            _ => true,
        };
        let grants = self.user_grant_sources(u);
        let ctx = ConditionContext {
            user: self.org.users.name(u),
            variables,
        };
        let grant_reason =
            |g: &Grant, source: &GrantSource, policy: String, conditional| RbacReason::RoleGrant {
                role: rbac.role_ids.name(g.role).unwrap_or("").to_owned(),
                policy,
                source: source.clone(),
                division: self.scope_name(g.scope),
                conditional,
            };
        // Unconditional grants first, in source order: own, groups, base.
        let mut out_of_division = false;
        for (g, source) in &grants {
            let Some(role) = rbac.role(g.role) else {
                continue;
            };
            if !rbac.role_has(g.role, a.as_u32()) {
                continue;
            }
            if !in_scope(g.scope) {
                out_of_division = true;
                continue;
            }
            let policy = unconditional_policy(role, &name);
            return Decision::allow(grant_reason(g, source, policy, false));
        }
        // Then conditional policies, on an object with attributes.
        let mut unmet = None;
        for (g, source) in &grants {
            let Some(role) = rbac.role(g.role) else {
                continue;
            };
            for (i, policy) in role.spec.permission_policies.iter().enumerate() {
                let Some(cond) = role.conditions.get(i).copied().flatten() else {
                    continue;
                };
                let named =
                    matches!(parse(&name), Ok(Parsed::Atom(d, e, x)) if policy.matches(d, e, x));
                if !named || flags & CONDITIONAL == 0 {
                    continue;
                }
                if !in_scope(g.scope) {
                    out_of_division = true;
                    continue;
                }
                if division.is_some() && rbac.conditions.eval(cond, attributes, &ctx) {
                    return Decision::allow(grant_reason(g, source, policy.to_string(), true));
                }
                unmet.get_or_insert_with(|| (g.role, policy.to_string()));
            }
        }
        if let Some((r, policy)) = unmet {
            return Decision::deny(RbacReason::ConditionNotMet {
                permission: name,
                role: rbac.role_ids.name(r).unwrap_or("").to_owned(),
                policy,
            });
        }
        match division {
            Some(d) if out_of_division => Decision::deny(RbacReason::NotInDivision {
                permission: name,
                division: rbac.division_ids.name(d).unwrap_or("").to_owned(),
            }),
            _ => Decision::deny(RbacReason::NoGrant { permission: name }),
        }
    }

    /// A user's grants with where they come from: own, then groups, then the base role.
    fn user_grant_sources(&self, u: UserId) -> Vec<(Grant, GrantSource)> {
        let rbac = &self.rbac;
        let mut out: Vec<(Grant, GrantSource)> = rbac
            .user_direct
            .row(u.index() as usize)
            .iter()
            .map(|&g| (g, GrantSource::Direct))
            .collect();
        for &g in rbac.user_groups.row(u.index() as usize) {
            let name = rbac.group_ids.name(g).unwrap_or("").to_owned();
            out.extend(
                rbac.group_grants
                    .row(ix(g))
                    .iter()
                    .map(|&x| (x, GrantSource::Group(name.clone()))),
            );
        }
        if rbac.base != NONE {
            let base = Grant {
                role: RoleId::new(rbac.base),
                scope: rbac.base_scope,
            };
            out.push((base, GrantSource::Base));
        }
        // Grants naming a deleted division or role count for nothing, as in the compiled sets.
        out.retain(|(g, _)| {
            rbac.role(g.role).is_some()
                && (g.scope == SCOPE_ALL || g.scope == SCOPE_NONE || self.division_live(g.scope))
        });
        // Within each source, by external ids (group, role, division): the grant an
        // explanation cites must not depend on the order grants were made in, which a
        // document round trip does not keep.
        out.sort_by_cached_key(|(g, source)| {
            let (rank, group) = match source {
                GrantSource::Direct => (0, ""),
                GrantSource::Group(name) => (1, name.as_str()),
                GrantSource::Base => (2, ""),
            };
            (
                rank,
                group.to_owned(),
                rbac.role_ids.name(g.role).unwrap_or("").to_owned(),
                self.scope_name(g.scope),
            )
        });
        out
    }

    fn scope_name(&self, scope: u32) -> String {
        match scope {
            SCOPE_ALL => "*".to_owned(),
            SCOPE_NONE => String::new(),
            d => self
                .rbac
                .division_ids
                .name(DivisionId::new(d))
                .unwrap_or("")
                .to_owned(),
        }
    }
}

/// The text of the unconditional source that grants `name` in `role`.
fn unconditional_policy(role: &CompiledRole, name: &str) -> String {
    if role.spec.permissions.iter().any(|p| p == name) {
        return name.to_owned();
    }
    let atom = parse(name);
    let policy = role
        .spec
        .permission_policies
        .iter()
        .zip(&role.conditions)
        .find(|(p, c)| {
            c.is_none() && matches!(atom, Ok(Parsed::Atom(d, e, a)) if p.matches(d, e, a))
        });
    match policy {
        Some((p, _)) => p.to_string(),
        None if role.admin => ADMIN.to_owned(),
        None => String::new(),
    }
}
