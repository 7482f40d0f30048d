//! Role edits on the model: create, get, update, delete.

use crate::rbac::RbacMut;
use crate::rbac::RbacRef;
use std::collections::BTreeSet;

use crate::error::InputErrorKind;
use crate::rbac::error::{RbacError, RbacErrorKind};
use crate::rbac::ids::{RoleId, ix};

use super::{RoleSpec, RoleSummary};

impl<'m> RbacMut<'m> {
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
    /// model.rbac_mut().add_permission(PermissionSpec::new("routing:queue:view", "View queues"))?;
    /// let bad = RoleSpec::new("r", "R").with_policy(PolicySpec::new("*", "*", ["*"]));
    /// let err = model.rbac_mut().create_role(bad).unwrap_err();
    /// assert_eq!(err.to_string(), "permissionPolicies[0].domain: a policy domain cannot be \"*\"");
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    pub fn create_role(&mut self, spec: RoleSpec) -> Result<RoleId, RbacError> {
        self.insert_role(spec, false)
    }

    /// Creates a role from a model document, which records a state rather than an edit: as
    /// [`create_role`](crate::RbacMut::create_role), but a permission of a disabled product is
    /// accepted (the product may have been disabled after the role was saved; it never
    /// evaluates true), and a default role may carry a name its template no longer has (the
    /// vendor renamed the template after the role was restored).
    pub(crate) fn import_role(&mut self, spec: RoleSpec) -> Result<RoleId, RbacError> {
        self.insert_role(spec, true)
    }

    fn insert_role(&mut self, spec: RoleSpec, import: bool) -> Result<RoleId, RbacError> {
        let rbac = &self.rbac;
        if rbac.roles.live(&spec.id).is_some() {
            return Err(RbacError::at(
                "id",
                InputErrorKind::DuplicateId { id: spec.id },
            ));
        }
        let mut allowed = BTreeSet::new();
        if let Some(d) = &spec.default_role_id {
            let template = rbac.templates.get(d).ok_or_else(|| {
                RbacError::at(
                    "defaultRoleId",
                    RbacErrorKind::UnknownDefaultRole { id: d.clone() },
                )
            })?;
            if rbac.roles.by_default.contains_key(d) {
                return Err(RbacError::at(
                    "defaultRoleId",
                    InputErrorKind::DuplicateId { id: d.clone() },
                ));
            }
            if !import && template.role.name != spec.name {
                return Err(RbacError::at(
                    "name",
                    RbacErrorKind::DefaultRoleRenamed { id: spec.id },
                ));
            }
            allowed = template.role.explicit_set(&rbac.catalog);
        }
        if rbac.roles.by_name(&spec.name).is_some() {
            return Err(RbacError::at(
                "name",
                RbacErrorKind::DuplicateName { name: spec.name },
            ));
        }
        spec.validate(&rbac.catalog, (!import).then_some(&allowed))?;
        self.rbac.roles.put(spec)
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
    /// use orgperm::{ErrorKind, Model, PermissionSpec, PolicySpec, RbacErrorKind, RoleSpec};
    /// let mut model = Model::new();
    /// model.rbac_mut().add_permission(PermissionSpec::new("routing:queue:view", "View"))?;
    /// model.rbac_mut().create_role(RoleSpec::new("r", "Agents"))?;
    /// model.rbac_mut().update_role(RoleSpec::new("r", "Agents").with_policy(PolicySpec::new("routing", "queue", ["view"])))?;
    /// assert_eq!(model.rbac().role("r").unwrap().permission_policies.len(), 1);
    /// let err = model.rbac_mut().update_role(RoleSpec::new("x", "X")).unwrap_err();
    /// assert_eq!(err.kind(), &RbacErrorKind::UnknownRole { id: "x".into() });
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    pub fn update_role(&mut self, spec: RoleSpec) -> Result<(), RbacError> {
        let rbac = &self.rbac;
        let (r, old) = rbac.roles.live_or_err(&spec.id, "id")?;
        if old.default_role_id != spec.default_role_id {
            return Err(RbacError::at(
                "defaultRoleId",
                RbacErrorKind::DefaultRoleIdChanged { id: spec.id },
            ));
        }
        if old.default_role_id.is_some() && old.name != spec.name {
            return Err(RbacError::at(
                "name",
                RbacErrorKind::DefaultRoleRenamed { id: spec.id },
            ));
        }
        if rbac
            .roles
            .by_name(&spec.name)
            .is_some_and(|other| other != r)
        {
            return Err(RbacError::at(
                "name",
                RbacErrorKind::DuplicateName { name: spec.name },
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
            self.read().check_becomes_view_only(r)?;
        }
        self.rbac.roles.put(spec).map(|_| ())
    }

    /// Deletes a role that no grant, no global permission and no item access list names
    /// (refused with the first referrer; nothing cascades, so a new role of the same id never
    /// inherits a stale entry). The base role cannot be deleted.
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{ErrorKind, Model, RbacErrorKind, RoleSpec, Subject};
    /// let mut model = Model::new();
    /// model.rbac_mut().add_division("home", "Home")?;
    /// model.add_user("ada", None)?;
    /// model.rbac_mut().create_role(RoleSpec::new("r", "Agents"))?;
    /// model.rbac_mut().grant_role(Subject::User("ada"), "r", None)?;
    /// let err = model.rbac_mut().delete_role("r").unwrap_err();
    /// assert_eq!(err.kind(), &RbacErrorKind::RoleAssigned { id: "r".into(), grants: 1 });
    /// model.rbac_mut().revoke_role(Subject::User("ada"), "r", None)?;
    /// model.rbac_mut().delete_role("r")?;
    /// assert!(model.rbac().role("r").is_none());
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    pub fn delete_role(&mut self, id: &str) -> Result<(), RbacError> {
        let (r, _) = self.rbac.roles.live_or_err(id, "id")?;
        if self.rbac.base_role() == Some(r) {
            return Err(RbacError::at(
                "id",
                RbacErrorKind::BaseRoleNotRemovable { id: id.to_owned() },
            ));
        }
        let grants = self.rbac.grants.count_role(r);
        if grants > 0 {
            return Err(RbacError::at(
                "id",
                RbacErrorKind::RoleAssigned {
                    id: id.to_owned(),
                    grants,
                },
            ));
        }
        if let Some(permission) = self.rbac.actions.global_naming_role(r) {
            return Err(RbacError::at(
                "id",
                RbacErrorKind::RoleReferenced {
                    id: id.to_owned(),
                    permission: permission.to_owned(),
                },
            ));
        }
        if let Some(referrer) = self.referrers.role_referrer(r) {
            return Err(RbacError::at(
                "id",
                RbacErrorKind::RoleInUse {
                    id: id.to_owned(),
                    referrer,
                },
            ));
        }
        self.rbac.roles.remove(r);
        Ok(())
    }
}

impl<'m> RbacRef<'m> {
    /// A live role.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut model = orgperm::Model::new();
    /// model.rbac_mut().create_role(orgperm::RoleSpec::new("r", "Agents")).unwrap();
    /// assert_eq!(model.rbac().role("r").unwrap().name, "Agents");
    /// assert!(model.rbac().role("x").is_none());
    /// ```
    pub fn role(&self, id: &str) -> Option<&'m RoleSpec> {
        self.rbac.roles.live(id).map(|(_, s)| s)
    }

    /// The external ids of the live roles, in dense-id order.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut model = orgperm::Model::new();
    /// model.rbac_mut().create_role(orgperm::RoleSpec::new("r", "Agents")).unwrap();
    /// assert_eq!(model.rbac().role_ids().collect::<Vec<_>>(), ["r"]);
    /// ```
    pub fn role_ids(&self) -> impl Iterator<Item = &'m str> + 'm {
        self.rbac.roles.iter().map(|(_, s)| s.id.as_str())
    }

    /// A role with its user count, `needsUpdate` and base flag.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut model = orgperm::Model::new();
    /// model.rbac_mut().create_role(orgperm::RoleSpec::new("r", "Agents")).unwrap();
    /// assert_eq!(model.rbac().role_summary("r").unwrap().user_count, 0);
    /// ```
    pub fn role_summary(&self, id: &str) -> Option<RoleSummary<'m>> {
        let (r, spec) = self.rbac.roles.live(id)?;
        let counts = self.role_user_counts();
        Some(self.summary(r, spec, &counts))
    }

    pub(super) fn summary(
        &self,
        r: RoleId,
        spec: &'m RoleSpec,
        counts: &[usize],
    ) -> RoleSummary<'m> {
        RoleSummary {
            role: spec,
            user_count: counts.get(ix(r)).copied().unwrap_or(0),
            needs_update: self.rbac.needs_update(spec),
            base: self.rbac.base_role() == Some(r),
        }
    }
}
