//! Default roles: the vendor's templates keyed by `defaultRoleId`, restoring them (all, with
//! or without force, or the ones named), `needsUpdate`, and the comparison of a saved or
//! unsaved role with a default role.

use crate::rbac::RbacMut;
use crate::rbac::RbacRef;
use std::collections::{BTreeMap, BTreeSet};

use hashbrown::HashMap;

use crate::error::InputErrorKind;
use crate::rbac::RbacStore;
use crate::rbac::error::{RbacError, RbacErrorKind};
use crate::rbac::ids::RoleId;
use crate::rbac::role::RoleSpec;

/// A default role template, as the vendor ships it.
///
/// `role` is the body a restore gives the role; its `id` is the id the role gets when a
/// restore creates it. A `base` template is the employee-like base role: the role restored
/// from it is held by every user and cannot be removed from anyone.
///
/// # Examples
///
/// ```
/// use orgperm::{DefaultRoleTemplate, Model, RoleSpec};
/// let mut model = Model::new();
/// model.rbac_mut().set_default_role_template(DefaultRoleTemplate::new("employee", RoleSpec::new("r-emp", "Employee")).base())?;
/// model.rbac_mut().restore_default_roles(false)?;
/// assert_eq!(model.rbac().base_role(), Some("r-emp"));
/// assert_eq!(model.rbac().role("r-emp").unwrap().default_role_id.as_deref(), Some("employee"));
/// # Ok::<(), orgperm::ModelError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DefaultRoleTemplate {
    /// The key (`defaultRoleId`).
    pub default_role_id: String,
    /// Whether this is the base role.
    pub base: bool,
    /// The role body.
    pub role: RoleSpec,
}

impl DefaultRoleTemplate {
    /// A template; the role's `default_role_id` is set to the key.
    pub fn new(default_role_id: impl Into<String>, mut role: RoleSpec) -> Self {
        let key = default_role_id.into();
        role.default_role_id = Some(key.clone());
        Self {
            default_role_id: key,
            base: false,
            role,
        }
    }

    /// The same template, as the base role.
    pub fn base(mut self) -> Self {
        self.base = true;
        self
    }
}

/// A role compared with a default role, atom by atom after wildcard expansion
/// (`DomainOrgRoleDifference`). Each list is sorted.
///
/// # Examples
///
/// ```
/// use orgperm::{DefaultRoleTemplate, Model, PermissionSpec, PolicySpec, RoleSpec};
/// let mut model = Model::new();
/// for p in ["routing:queue:view", "routing:queue:edit", "routing:skill:view"] {
///     model.rbac_mut().add_permission(PermissionSpec::new(p, p))?;
/// }
/// let template = RoleSpec::new("sup", "Supervisor").with_policy(PolicySpec::new("routing", "queue", ["*"]));
/// model.rbac_mut().set_default_role_template(DefaultRoleTemplate::new("supervisor", template))?;
/// let mine = RoleSpec::new("x", "Mine").with_policy(PolicySpec::new("routing", "*", ["view"]));
/// let diff = model.rbac().compare_unsaved_with_default(&mine, "supervisor")?;
/// assert_eq!(diff.added, ["routing:skill:view"]);
/// assert_eq!(diff.removed, ["routing:queue:edit"]);
/// assert_eq!(diff.same, ["routing:queue:view"]);
/// assert!(model.rbac().role("x").is_none()); // nothing saved
/// # Ok::<(), orgperm::ModelError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct RoleComparison {
    /// In the role, not in the default role.
    pub added: Vec<String>,
    /// In the default role, not in the role.
    pub removed: Vec<String>,
    /// In both.
    pub same: Vec<String>,
}

impl RbacStore {
    /// The role restored from the base template, if any.
    pub(crate) fn base_role(&self) -> Option<RoleId> {
        let t = self.templates.values().find(|t| t.base)?;
        self.roles.by_default.get(&t.default_role_id).copied()
    }

    /// Whether a role needs an update: the mark the vendor's PATCH set, else whether its
    /// template holds atoms the role lacks.
    pub(crate) fn needs_update(&self, spec: &RoleSpec) -> bool {
        if let Some(mark) = self
            .roles
            .live(&spec.id)
            .and_then(|(r, _)| self.roles.mark(r))
        {
            return mark;
        }
        let Some(t) = spec
            .default_role_id
            .as_ref()
            .and_then(|d| self.templates.get(d))
        else {
            return false;
        };
        let mine = spec.atom_set(&self.catalog);
        t.role
            .atom_set(&self.catalog)
            .iter()
            .any(|a| !mine.contains(a))
    }

    fn compare(&self, role: &RoleSpec, template: &RoleSpec) -> RoleComparison {
        let left = role.atom_set(&self.catalog);
        let right = template.atom_set(&self.catalog);
        let names = |set: &mut dyn Iterator<Item = &crate::rbac::ids::PermissionId>| {
            let mut v: Vec<String> = set.map(|&p| self.catalog.name(p).to_owned()).collect();
            v.sort();
            v
        };
        RoleComparison {
            added: names(&mut left.difference(&right)),
            removed: names(&mut right.difference(&left)),
            same: names(&mut left.intersection(&right)),
        }
    }
}

impl<'m> RbacMut<'m> {
    /// Adds or replaces a default role template (the vendor shipping a new version). The
    /// body is checked against the catalog; permissions of disabled products are accepted
    /// (they never evaluate true). At most one template is the base role, and a template
    /// keeps its base flag.
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{DefaultRoleTemplate, ErrorKind, InputErrorKind, Model, RbacErrorKind, RoleSpec};
    /// let mut model = Model::new();
    /// model.rbac_mut().set_default_role_template(DefaultRoleTemplate::new("a", RoleSpec::new("ra", "A")).base())?;
    /// let err = model.rbac_mut().set_default_role_template(DefaultRoleTemplate::new("b", RoleSpec::new("rb", "B")).base()).unwrap_err();
    /// assert!(matches!(err.kind(), RbacErrorKind::Input(InputErrorKind::Conflict { .. })));
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    pub fn set_default_role_template(
        &mut self,
        template: DefaultRoleTemplate,
    ) -> Result<(), RbacError> {
        let key = &template.default_role_id;
        if key.is_empty() {
            return Err(RbacError::at("defaultRoleId", InputErrorKind::Required));
        }
        if template.role.default_role_id.as_ref() != Some(key) {
            return Err(RbacError::at(
                "defaultRoleId",
                InputErrorKind::Conflict {
                    reason: "the role body's defaultRoleId must be the template's key",
                },
            ));
        }
        template.role.validate(&self.rbac.catalog, None)?;
        let other_base = self
            .rbac
            .templates
            .values()
            .any(|t| t.base && &t.default_role_id != key);
        if template.base && other_base {
            return Err(RbacError::at(
                "base",
                InputErrorKind::Conflict {
                    reason: "only one default role can be the base role",
                },
            ));
        }
        if self
            .rbac
            .templates
            .get(key)
            .is_some_and(|old| old.base != template.base)
        {
            return Err(RbacError::at(
                "base",
                InputErrorKind::Conflict {
                    reason: "a default role template keeps its base flag",
                },
            ));
        }
        if let Some(&r) = self.rbac.roles.by_default.get(key) {
            self.rbac.roles.set_mark(r, None);
        }
        self.rbac.templates.insert(key.clone(), template);
        Ok(())
    }

    /// Sets a default role's `needsUpdate` (`PATCH /authorization/roles/{roleId}`): `false`
    /// acknowledges the template's changes, `true` flags the role for review. The mark holds
    /// until the role is updated or restored or its template is replaced; then the flag is
    /// computed again (the template holds atoms the role lacks). A custom role has no
    /// template to be behind, and is refused.
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{DefaultRoleTemplate, Model, PermissionSpec, PolicySpec, RoleSpec};
    /// let mut model = Model::new();
    /// model.rbac_mut().add_permission(PermissionSpec::new("routing:queue:view", "View"))?;
    /// model.rbac_mut().set_default_role_template(DefaultRoleTemplate::new("sup", RoleSpec::new("r", "Sup")))?;
    /// model.rbac_mut().restore_default_roles(false)?;
    /// let newer = RoleSpec::new("r", "Sup").with_policy(PolicySpec::new("routing", "queue", ["view"]));
    /// model.rbac_mut().set_default_role_template(DefaultRoleTemplate::new("sup", newer))?;
    /// assert!(model.rbac().needs_update("r")?);
    /// model.rbac_mut().set_needs_update("r", false)?; // reviewed
    /// assert!(!model.rbac().needs_update("r")?);
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    pub fn set_needs_update(&mut self, role_id: &str, needs_update: bool) -> Result<(), RbacError> {
        let (r, spec) = self.rbac.roles.live_or_err(role_id, "roleId")?;
        if spec.default_role_id.is_none() {
            return Err(RbacError::at(
                "roleId",
                RbacErrorKind::NotADefaultRole {
                    id: role_id.to_owned(),
                },
            ));
        }
        self.rbac.roles.set_mark(r, Some(needs_update));
        Ok(())
    }

    /// Restores all default roles (`POST /authorization/roles/default`). Without `force`
    /// only the missing ones are created; with `force` every default role is also reset to
    /// its template. Custom roles are never touched. Returns the ids of the roles created or
    /// reset, sorted.
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{DefaultRoleTemplate, Model, RoleSpec};
    /// let mut model = Model::new();
    /// model.rbac_mut().set_default_role_template(DefaultRoleTemplate::new("sup", RoleSpec::new("r-sup", "Supervisor").with_description("v1")))?;
    /// assert_eq!(model.rbac_mut().restore_default_roles(false)?, ["r-sup"]);
    /// let mine = RoleSpec { description: "mine".into(), ..model.rbac().role("r-sup").unwrap().clone() };
    /// model.rbac_mut().update_role(mine)?;
    /// assert!(model.rbac_mut().restore_default_roles(false)?.is_empty());
    /// assert_eq!(model.rbac().role("r-sup").unwrap().description, "mine");
    /// assert_eq!(model.rbac_mut().restore_default_roles(true)?, ["r-sup"]);
    /// assert_eq!(model.rbac().role("r-sup").unwrap().description, "v1");
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    pub fn restore_default_roles(&mut self, force: bool) -> Result<Vec<String>, RbacError> {
        let mut plan = BTreeMap::new();
        for (key, t) in &self.rbac.templates {
            let existing = self.rbac.roles.by_default.get(key).copied();
            if existing.is_none() || force {
                plan.insert(key.clone(), (existing, t.role.clone()));
            }
        }
        self.apply_restore(plan, |key| format!("defaultRoles[{key}]"))
    }

    /// Resets the named default roles to their templates (`PUT /authorization/roles/default`).
    /// Every id must name a live role based on a template. Returns the ids, sorted.
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{DefaultRoleTemplate, ErrorKind, Model, RoleSpec};
    /// let mut model = Model::new();
    /// model.rbac_mut().set_default_role_template(DefaultRoleTemplate::new("sup", RoleSpec::new("r-sup", "Supervisor")))?;
    /// model.rbac_mut().restore_default_roles(false)?;
    /// model.rbac_mut().create_role(RoleSpec::new("custom", "Custom"))?;
    /// assert_eq!(model.rbac_mut().restore_specified_default_roles(&["r-sup"])?, ["r-sup"]);
    /// let err = model.rbac_mut().restore_specified_default_roles(&["custom"]).unwrap_err();
    /// assert_eq!(err.to_string(), "[0]: role \"custom\" is not a default role");
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    pub fn restore_specified_default_roles(
        &mut self,
        role_ids: &[&str],
    ) -> Result<Vec<String>, RbacError> {
        let mut plan = BTreeMap::new();
        let mut index = HashMap::new();
        for (i, id) in role_ids.iter().enumerate() {
            let at = format!("[{i}]");
            let (r, spec) = self.rbac.roles.live_or_err(id, &at)?;
            let key = spec.default_role_id.clone().ok_or_else(|| {
                RbacError::at(
                    &at,
                    RbacErrorKind::NotADefaultRole {
                        id: (*id).to_owned(),
                    },
                )
            })?;
            let t = self.rbac.templates.get(&key).ok_or_else(|| {
                RbacError::at(&at, RbacErrorKind::UnknownDefaultRole { id: key.clone() })
            })?;
            index.insert(key.clone(), i);
            plan.insert(key, (Some(r), t.role.clone()));
        }
        self.apply_restore(plan, |key| {
            index
                .get(key)
                .map_or_else(String::new, |i| format!("[{i}]"))
        })
    }

    /// Validates a whole restore plan (`defaultRoleId` → existing role, template body), then
    /// applies it.
    fn apply_restore(
        &mut self,
        plan: BTreeMap<String, (Option<RoleId>, RoleSpec)>,
        path: impl Fn(&str) -> String,
    ) -> Result<Vec<String>, RbacError> {
        let mut specs = Vec::with_capacity(plan.len());
        // Names of the roles the plan leaves alone, then the plan's own.
        let touched: BTreeSet<RoleId> = plan.values().filter_map(|(r, _)| *r).collect();
        let mut names: HashMap<String, ()> = self
            .rbac
            .roles
            .iter()
            .filter(|(r, _)| !touched.contains(r))
            .map(|(_, s)| (s.name.to_lowercase(), ()))
            .collect();
        for (key, (existing, body)) in plan {
            let at = path(&key);
            let mut spec = body;
            spec.default_role_id = Some(key.clone());
            match existing {
                Some(r) => spec.id = self.rbac.roles.name(r).to_owned(),
                None if self.rbac.roles.live(&spec.id).is_some() => {
                    return Err(RbacError::at(
                        format!("{at}.id"),
                        InputErrorKind::DuplicateId { id: spec.id },
                    ));
                }
                None => {}
            }
            if names.insert(spec.name.to_lowercase(), ()).is_some() {
                return Err(RbacError::at(
                    format!("{at}.name"),
                    RbacErrorKind::DuplicateName { name: spec.name },
                ));
            }
            if let Some(r) = existing {
                if spec.view_only && !self.rbac.roles.is_view_only(r) {
                    self.read()
                        .check_becomes_view_only(r)
                        .map_err(|e| e.within(&at))?;
                }
            }
            specs.push(spec);
        }
        let mut out = Vec::with_capacity(specs.len());
        for spec in specs {
            out.push(spec.id.clone());
            self.rbac.roles.put(spec)?;
        }
        out.sort();
        Ok(out)
    }
}

impl<'m> RbacRef<'m> {
    /// A default role template.
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{DefaultRoleTemplate, Model, RoleSpec};
    /// let mut model = Model::new();
    /// model.rbac_mut().set_default_role_template(DefaultRoleTemplate::new("a", RoleSpec::new("ra", "A"))).unwrap();
    /// assert_eq!(model.rbac().default_role_template("a").unwrap().role.name, "A");
    /// ```
    pub fn default_role_template(&self, default_role_id: &str) -> Option<&'m DefaultRoleTemplate> {
        self.rbac.templates.get(default_role_id)
    }

    /// The templates, sorted by `defaultRoleId`.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(orgperm::Model::new().rbac().default_role_templates().count(), 0);
    /// ```
    pub fn default_role_templates(&self) -> impl Iterator<Item = &'m DefaultRoleTemplate> + 'm {
        self.rbac.templates.values()
    }

    /// The external id of the base role, once restored.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(orgperm::Model::new().rbac().base_role(), None);
    /// ```
    pub fn base_role(&self) -> Option<&'m str> {
        self.rbac.base_role().map(|r| self.rbac.roles.name(r))
    }

    /// Whether a role's template holds atoms the role lacks (`roleNeedsUpdate`); `false`
    /// for a custom role.
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{DefaultRoleTemplate, Model, PermissionSpec, PolicySpec, RoleSpec};
    /// let mut model = Model::new();
    /// model.rbac_mut().add_permission(PermissionSpec::new("routing:queue:view", "View"))?;
    /// model.rbac_mut().set_default_role_template(DefaultRoleTemplate::new("sup", RoleSpec::new("r", "Sup")))?;
    /// model.rbac_mut().restore_default_roles(false)?;
    /// assert!(!model.rbac().needs_update("r")?);
    /// let newer = RoleSpec::new("r", "Sup").with_policy(PolicySpec::new("routing", "queue", ["view"]));
    /// model.rbac_mut().set_default_role_template(DefaultRoleTemplate::new("sup", newer))?;
    /// assert!(model.rbac().needs_update("r")?);
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    pub fn needs_update(&self, role_id: &str) -> Result<bool, RbacError> {
        let (_, spec) = self.rbac.roles.live_or_err(role_id, "id")?;
        Ok(self.rbac.needs_update(spec))
    }

    /// Compares a saved role with a default role
    /// (`GET /authorization/roles/{left}/comparedefault/{right}`). Changes nothing.
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{DefaultRoleTemplate, Model, RoleSpec};
    /// let mut model = Model::new();
    /// model.rbac_mut().set_default_role_template(DefaultRoleTemplate::new("sup", RoleSpec::new("r", "Sup")))?;
    /// model.rbac_mut().create_role(RoleSpec::new("mine", "Mine"))?;
    /// assert_eq!(model.rbac().compare_with_default("mine", "sup")?, Default::default());
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    pub fn compare_with_default(
        &self,
        role_id: &str,
        default_role_id: &str,
    ) -> Result<RoleComparison, RbacError> {
        let (_, spec) = self.rbac.roles.live_or_err(role_id, "leftRoleId")?;
        let t = self.template_or_err(default_role_id)?;
        Ok(self.rbac.compare(spec, &t.role))
    }

    /// Compares an unsaved role body with a default role
    /// (`POST /authorization/roles/{left}/comparedefault/{right}`). The body is checked
    /// against the catalog; nothing is saved.
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{DefaultRoleTemplate, ErrorKind, Model, PolicySpec, RoleSpec};
    /// let mut model = Model::new();
    /// model.rbac_mut().set_default_role_template(DefaultRoleTemplate::new("sup", RoleSpec::new("r", "Sup")))?;
    /// let body = RoleSpec::new("x", "X").with_policy(PolicySpec::new("nope", "*", ["*"]));
    /// let err = model.rbac().compare_unsaved_with_default(&body, "sup").unwrap_err();
    /// assert_eq!(err.path(), "permissionPolicies[0].domain");
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    pub fn compare_unsaved_with_default(
        &self,
        role: &RoleSpec,
        default_role_id: &str,
    ) -> Result<RoleComparison, RbacError> {
        let t = self.template_or_err(default_role_id)?;
        role.validate(&self.rbac.catalog, None)?;
        Ok(self.rbac.compare(role, &t.role))
    }

    fn template_or_err(&self, default_role_id: &str) -> Result<&'m DefaultRoleTemplate, RbacError> {
        self.rbac.templates.get(default_role_id).ok_or_else(|| {
            RbacError::at(
                "rightRoleId",
                RbacErrorKind::UnknownDefaultRole {
                    id: default_role_id.to_owned(),
                },
            )
        })
    }
}
