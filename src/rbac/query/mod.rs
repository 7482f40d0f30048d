//! The roles-and-permissions queries of [`Snapshot`]: checks, reverse sets, listings and
//! explanations.
//!
//! Semantics, in one place:
//!
//! - A grant counts where its scope covers the question. Without an object (`has_permission`,
//!   `user_permissions`), every grant counts: the user holds the permission somewhere. On an
//!   object in division `D`, a division-aware permission needs a grant in `D` or `*`; a
//!   permission that is not division-aware ignores divisions (but `D` must still exist).
//! - A conditional policy counts only on an object, when its condition holds on the given
//!   attributes. Without an object, or without attributes, it counts for nothing; so
//!   `has_permission`, `divisions_permitted`, `user_permissions` and the reverse sets report
//!   unconditional grants only.
//! - A permission of a disabled product never evaluates true; `admin` grants every available
//!   permission, in the divisions of its grant.
//! - Anything unknown (user, permission, division, resource, action) is a Deny with a reason.

//!
//! The queries are split by concern: names here, [`checks`] (forward checks, reverse sets and
//! listings), [`explain`] (the decisions with the rule that decided) and [`actions`]
//! (Quantive's actions).

mod actions;
pub use actions::ActionSet;
mod checks;
mod explain;

use crate::id::NONE;
use crate::id::key::Key;
use crate::org::compiled::CompiledOrg;
use crate::rbac::compiled::CompiledRbac;
use crate::rbac::ids::{ActionId, DivisionId, GroupId, PermissionId, ResourceId, RoleId, ix};

/// The divisions in which a user holds a permission ([`Rbac::divisions_permitted`]).
///
/// # Examples
///
/// ```
/// use orgperm::PermittedDivisions;
/// let all = PermittedDivisions::All;
/// assert!(all.is_all() && !all.is_empty());
/// assert!(PermittedDivisions::Only(Vec::new()).is_empty());
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PermittedDivisions {
    /// Every division, present and future: a `*` grant, or a permission that is not
    /// division-aware.
    All,
    /// These divisions, in dense-id order (empty: none).
    Only(Vec<DivisionId>),
}

impl PermittedDivisions {
    /// Whether every division is permitted.
    pub fn is_all(&self) -> bool {
        matches!(self, PermittedDivisions::All)
    }

    /// Whether no division is permitted.
    pub fn is_empty(&self) -> bool {
        matches!(self, PermittedDivisions::Only(v) if v.is_empty())
    }

    /// Whether `division` is permitted.
    pub fn contains(&self, division: DivisionId) -> bool {
        match self {
            PermittedDivisions::All => true,
            PermittedDivisions::Only(v) => v.binary_search(&division).is_ok(),
        }
    }
}

/// The roles family's read view, from [`Snapshot::rbac`](crate::Snapshot::rbac):
/// permissions (with divisions and resources), roles, actions, their explanations and the
/// reverse queries.
///
/// # Examples
///
/// ```
/// use orgperm::{Model, PermissionSpec, PolicySpec, RoleSpec, Subject};
/// let mut model = Model::new();
/// model.add_user("ada", None)?;
/// let mut rbac = model.rbac_mut();
/// rbac.add_permission(PermissionSpec::new("routing:queue:view", "View queues"))?;
/// rbac.create_role(RoleSpec::new("r", "Agents").with_policy(PolicySpec::new("routing", "queue", ["view"])))?;
/// rbac.grant_role(Subject::User("ada"), "r", Some("*"))?;
/// let snap = model.compile();
/// assert!(snap.rbac().has_permission("ada", "routing:queue:view"));
/// # Ok::<(), orgperm::ModelError>(())
/// ```
#[derive(Clone, Copy, Debug)]
pub struct Rbac<'s> {
    pub(crate) org: &'s CompiledOrg,
    pub(crate) rbac: &'s CompiledRbac,
}

impl<'s> Rbac<'s> {
    pub(crate) fn new(org: &'s CompiledOrg, rbac: &'s CompiledRbac) -> Self {
        Rbac { org, rbac }
    }

    /// The dense id of a catalog permission.
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{Model, PermissionSpec};
    /// let mut model = Model::new();
    /// let p = model.rbac_mut().add_permission(PermissionSpec::new("admin", "Admin")).unwrap();
    /// let snap = model.compile();
    /// assert_eq!(snap.rbac().permission_id("admin"), Some(p));
    /// assert_eq!(snap.rbac().permission_name(p), Some("admin"));
    /// ```
    #[inline]
    pub fn permission_id(&self, name: &str) -> Option<PermissionId> {
        self.rbac.permissions.get(name).filter(|&p| {
            self.rbac
                .flags
                .get(p.as_u32() as usize)
                .is_some_and(|f| f & crate::rbac::compiled::LIVE != 0)
        })
    }

    /// The name of a catalog permission.
    pub fn permission_name(&self, permission: PermissionId) -> Option<&'s str> {
        self.rbac.permissions.name(permission)
    }

    /// The dense id of a live role.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut model = orgperm::Model::new();
    /// let r = model.rbac_mut().create_role(orgperm::RoleSpec::new("r", "R")).unwrap();
    /// let snap = model.compile();
    /// assert_eq!(snap.rbac().role_id("r"), Some(r));
    /// assert_eq!(snap.rbac().role_name(r), Some("r"));
    /// ```
    #[inline]
    pub fn role_id(&self, id: &str) -> Option<RoleId> {
        self.rbac
            .role_ids
            .get(id)
            .filter(|&r| self.rbac.role(r).is_some())
    }

    /// The external id of a live role.
    pub fn role_name(&self, role: RoleId) -> Option<&'s str> {
        self.rbac.role(role)?;
        self.rbac.role_ids.name(role)
    }

    /// The dense id of a live division.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut model = orgperm::Model::new();
    /// let d = model.rbac_mut().add_division("home", "Home").unwrap();
    /// let snap = model.compile();
    /// assert_eq!(snap.rbac().division_id("home"), Some(d));
    /// assert_eq!(snap.rbac().division_name(d), Some("home"));
    /// ```
    #[inline]
    pub fn division_id(&self, id: &str) -> Option<DivisionId> {
        self.rbac
            .division_ids
            .get(id)
            .filter(|&d| self.division_live(d.as_u32()))
    }

    /// The external id of a live division.
    pub fn division_name(&self, division: DivisionId) -> Option<&'s str> {
        self.division_live(division.as_u32())
            .then(|| self.rbac.division_ids.name(division))
            .flatten()
    }

    #[inline(always)]
    fn division_live(&self, d: u32) -> bool {
        self.rbac.division_live.get(d as usize) == Some(&true)
    }

    /// The dense id of a live group.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut model = orgperm::Model::new();
    /// let g = model.rbac_mut().add_group("g", "G").unwrap();
    /// assert_eq!(model.compile().rbac().group_id("g"), Some(g));
    /// ```
    pub fn group_id(&self, id: &str) -> Option<GroupId> {
        self.rbac
            .group_ids
            .get(id)
            .filter(|&g| self.rbac.group_live.get(ix(g)) == Some(&true))
    }

    /// The dense id of an action.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut model = orgperm::Model::new();
    /// let a = model.rbac_mut().add_action(orgperm::ActionSpec::new("access_goals", "A")).unwrap();
    /// assert_eq!(model.compile().rbac().action_id("access_goals"), Some(a));
    /// ```
    #[inline]
    pub fn action_id(&self, name: &str) -> Option<ActionId> {
        self.rbac.action_ids.get(name)
    }

    /// The dense id of a resource assigned to a division.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut model = orgperm::Model::new();
    /// let home = model.rbac_mut().add_division("home", "Home").unwrap();
    /// model.rbac_mut().assign_resource("queue-1", None).unwrap();
    /// let snap = model.compile();
    /// assert_eq!(snap.rbac().resource_division("queue-1"), Some(home));
    /// ```
    #[inline]
    pub fn resource_id(&self, id: &str) -> Option<ResourceId> {
        self.rbac
            .resource_ids
            .get(id)
            .filter(|&r| self.resource_division(r).is_some())
    }

    /// The division of a resource.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut model = orgperm::Model::new();
    /// model.rbac_mut().add_division("home", "Home").unwrap();
    /// let emea = model.rbac_mut().add_division("emea", "EMEA").unwrap();
    /// model.rbac_mut().assign_resource("queue-1", Some("emea")).unwrap();
    /// let snap = model.compile();
    /// assert_eq!(snap.rbac().resource_division("queue-1"), Some(emea));
    /// assert_eq!(snap.rbac().resource_division("queue-2"), None);
    /// ```
    #[inline]
    pub fn resource_division(&self, resource: impl Key<ResourceId>) -> Option<DivisionId> {
        let r = resource.resolve(&self.rbac.resource_ids)?;
        let d = *self.rbac.resource_division.get(ix(r))?;
        (d != NONE && self.division_live(d)).then(|| DivisionId::new(d))
    }
}
