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

use roaring::{MultiOps, RoaringBitmap};
use smallvec::SmallVec;

use crate::id::{DenseId, NONE, UserId};
use crate::rbac::actions::{BoundPrincipal, Principal, requires_chain};
use crate::rbac::catalog::{ADMIN, Parsed, parse};
use crate::rbac::compiled::RbacMemoryReport;
use crate::rbac::compiled::{AVAILABLE, AWARE, CONDITIONAL, Combo, CompiledRole, test_bit};
use crate::rbac::grants::{Grant, GrantSource, covers};
use crate::rbac::ids::{
    ActionId, DivisionId, GroupId, PermissionId, ResourceId, RoleId, SCOPE_ALL, SCOPE_NONE, ix,
};
use crate::snapshot::{Decision, Key, Reason, Snapshot, UserSet};

/// The divisions in which a user holds a permission ([`Snapshot::divisions_permitted`]).
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

impl Snapshot {
    // ---- names ------------------------------------------------------------------------------

    /// The dense id of a catalog permission.
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{Model, PermissionSpec};
    /// let mut model = Model::new();
    /// let p = model.add_permission(PermissionSpec::new("admin", "Admin")).unwrap();
    /// let snap = model.compile();
    /// assert_eq!(snap.permission("admin"), Some(p));
    /// assert_eq!(snap.permission_name(p), Some("admin"));
    /// ```
    #[inline]
    pub fn permission(&self, name: &str) -> Option<PermissionId> {
        self.rbac.permissions.get(name)
    }

    /// The name of a catalog permission.
    pub fn permission_name(&self, permission: PermissionId) -> Option<&str> {
        self.rbac.permissions.name(permission)
    }

    /// The dense id of a live role.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut model = orgperm::Model::new();
    /// let r = model.create_role(orgperm::RoleSpec::new("r", "R")).unwrap();
    /// let snap = model.compile();
    /// assert_eq!(snap.role("r"), Some(r));
    /// assert_eq!(snap.role_name(r), Some("r"));
    /// ```
    #[inline]
    pub fn role(&self, id: &str) -> Option<RoleId> {
        self.rbac
            .role_ids
            .get(id)
            .filter(|&r| self.rbac.role(r).is_some())
    }

    /// The external id of a live role.
    pub fn role_name(&self, role: RoleId) -> Option<&str> {
        self.rbac.role(role)?;
        self.rbac.role_ids.name(role)
    }

    /// The dense id of a live division.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut model = orgperm::Model::new();
    /// let d = model.add_division("home", "Home").unwrap();
    /// let snap = model.compile();
    /// assert_eq!(snap.division("home"), Some(d));
    /// assert_eq!(snap.division_name(d), Some("home"));
    /// ```
    #[inline]
    pub fn division(&self, id: &str) -> Option<DivisionId> {
        self.rbac
            .division_ids
            .get(id)
            .filter(|&d| self.division_live(d.as_u32()))
    }

    /// The external id of a live division.
    pub fn division_name(&self, division: DivisionId) -> Option<&str> {
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
    /// let g = model.add_group("g", "G").unwrap();
    /// assert_eq!(model.compile().group("g"), Some(g));
    /// ```
    pub fn group(&self, id: &str) -> Option<GroupId> {
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
    /// let a = model.add_action(orgperm::ActionSpec::new("access_goals", "A")).unwrap();
    /// assert_eq!(model.compile().action("access_goals"), Some(a));
    /// ```
    #[inline]
    pub fn action(&self, name: &str) -> Option<ActionId> {
        self.rbac.action_ids.get(name)
    }

    /// The dense id of a resource assigned to a division.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut model = orgperm::Model::new();
    /// let home = model.add_division("home", "Home").unwrap();
    /// model.assign_resource("queue-1", None).unwrap();
    /// let snap = model.compile();
    /// assert_eq!(snap.resource_division("queue-1"), Some(home));
    /// ```
    #[inline]
    pub fn resource(&self, id: &str) -> Option<ResourceId> {
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
    /// model.add_division("home", "Home").unwrap();
    /// let emea = model.add_division("emea", "EMEA").unwrap();
    /// model.assign_resource("queue-1", Some("emea")).unwrap();
    /// let snap = model.compile();
    /// assert_eq!(snap.resource_division("queue-1"), Some(emea));
    /// assert_eq!(snap.resource_division("queue-2"), None);
    /// ```
    #[inline]
    pub fn resource_division(&self, resource: impl Key<ResourceId>) -> Option<DivisionId> {
        let r = resource.resolve(self)?;
        let d = *self.rbac.resource_division.get(ix(r))?;
        (d != NONE && self.division_live(d)).then(|| DivisionId::new(d))
    }

    // ---- checks -----------------------------------------------------------------------------

    /// Whether `user` holds `permission` somewhere: some grant of a role naming it without
    /// condition, in any division. A permission of a disabled product is never held.
    ///
    /// O(1): a combination load and a bit test.
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{Model, PermissionSpec, PolicySpec, RoleSpec, Subject};
    /// let mut model = Model::new();
    /// model.add_division("home", "Home")?;
    /// model.add_user("ada", None)?;
    /// model.add_permission(PermissionSpec::new("routing:queue:view", "View queues"))?;
    /// model.create_role(RoleSpec::new("r", "Agents").with_policy(PolicySpec::new("routing", "queue", ["*"])))?;
    /// model.grant_role(Subject::User("ada"), "r", None)?;
    /// let snap = model.compile();
    /// assert!(snap.has_permission("ada", "routing:queue:view"));
    /// assert!(!snap.has_permission("ada", "routing:queue:delete")); // not in the catalog
    /// assert!(!snap.has_permission("bob", "routing:queue:view"));   // unknown user
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    #[inline]
    pub fn has_permission(
        &self,
        user: impl Key<UserId>,
        permission: impl Key<PermissionId>,
    ) -> bool {
        let (Some(u), Some(a)) = (user.resolve(self), permission.resolve(self)) else {
            return false;
        };
        let a = a.as_u32();
        // One load for the user's role set (the empty set 0 for an inactive user), one bit test.
        (a as usize) < self.rbac.flags.len()
            && self
                .rbac
                .user_any
                .get(u.index() as usize)
                .is_some_and(|&set| self.rbac.set_has(set, a))
    }

    /// Whether `user` holds `permission` on an object in `division` with `attributes`: a
    /// division-aware permission needs a grant in that division or `*`; a conditional policy
    /// counts when its condition holds on the attributes.
    ///
    /// O(1) without conditions: a combination load, a flag load and one or two bit tests
    /// (plus a scan of the few divisions the user holds grants in).
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{Condition, Model, PermissionSpec, PolicySpec, RoleSpec, Subject};
    /// let mut model = Model::new();
    /// model.add_division("home", "Home")?;
    /// model.add_division("emea", "EMEA")?;
    /// model.add_user("ada", None)?;
    /// model.add_permission(PermissionSpec::new("routing:queue:edit", "Edit queues").division_aware().allowing_conditions())?;
    /// model.create_role(RoleSpec::new("r", "Leads").with_policy(PolicySpec::new("routing", "queue", ["edit"])))?;
    /// model.create_role(RoleSpec::new("c", "Q1 only").with_policy(
    ///     PolicySpec::new("routing", "queue", ["edit"]).with_condition(Condition::eq("queue.id", "q1"))))?;
    /// model.grant_role(Subject::User("ada"), "r", None)?;          // home
    /// model.grant_role(Subject::User("ada"), "c", Some("emea"))?;
    /// let snap = model.compile();
    /// assert!(snap.has_permission_on("ada", "routing:queue:edit", "home", &[]));
    /// assert!(!snap.has_permission_on("ada", "routing:queue:edit", "emea", &[("queue.id", "q2")]));
    /// assert!(snap.has_permission_on("ada", "routing:queue:edit", "emea", &[("queue.id", "q1")]));
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    #[inline]
    pub fn has_permission_on(
        &self,
        user: impl Key<UserId>,
        permission: impl Key<PermissionId>,
        division: impl Key<DivisionId>,
        attributes: &[(&str, &str)],
    ) -> bool {
        let (Some(u), Some(a), Some(d)) = (
            user.resolve(self),
            permission.resolve(self),
            division.resolve(self),
        ) else {
            return false;
        };
        let (a, d) = (a.as_u32(), d.as_u32());
        let (Some(c), Some(&flags)) = (self.rbac.combo_of(u), self.rbac.flags.get(a as usize))
        else {
            return false;
        };
        if !self.division_live(d) {
            return false;
        }
        let unconditional = if flags & AWARE == 0 {
            self.rbac.set_has(c.any, a)
        } else {
            self.rbac.set_has(c.star, a)
                || c.divs
                    .iter()
                    .find(|&&(x, _)| x == d)
                    .is_some_and(|&(_, set)| self.rbac.set_has(set, a))
        };
        unconditional
            || (flags & CONDITIONAL != 0
                && c.conditional
                && !attributes.is_empty()
                && self.conditional_holds(c, a, d, flags & AWARE != 0, attributes))
    }

    /// The slow path: a conditional policy of a grant covering the division holds.
    #[cold]
    fn conditional_holds(
        &self,
        c: &Combo,
        a: u32,
        d: u32,
        aware: bool,
        attributes: &[(&str, &str)],
    ) -> bool {
        self.rbac.grants_of(c).iter().any(|g| {
            (!aware || covers(g.scope, d))
                && self.rbac.role(g.role).is_some_and(|role| {
                    let from = role.conditional.partition_point(|&(x, _)| x < a);
                    role.conditional
                        .get(from..)
                        .unwrap_or(&[])
                        .iter()
                        .take_while(|&&(x, _)| x == a)
                        .any(|&(_, cond)| self.rbac.conditions.eval(cond, attributes))
                })
        })
    }

    /// [`has_permission_on`](Snapshot::has_permission_on) for a resource, in the division it
    /// is assigned to. A resource in no division is a Deny.
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{Model, PermissionSpec, PolicySpec, RoleSpec, Subject};
    /// let mut model = Model::new();
    /// model.add_division("home", "Home")?;
    /// model.add_division("emea", "EMEA")?;
    /// model.assign_resource("queue-emea", Some("emea"))?;
    /// model.add_user("ada", None)?;
    /// model.add_permission(PermissionSpec::new("routing:queue:view", "View").division_aware())?;
    /// model.create_role(RoleSpec::new("r", "R").with_policy(PolicySpec::new("routing", "queue", ["view"])))?;
    /// model.grant_role(Subject::User("ada"), "r", None)?;
    /// let snap = model.compile();
    /// assert!(!snap.has_permission_on_resource("ada", "routing:queue:view", "queue-emea", &[]));
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    pub fn has_permission_on_resource(
        &self,
        user: impl Key<UserId>,
        permission: impl Key<PermissionId>,
        resource: impl Key<ResourceId>,
        attributes: &[(&str, &str)],
    ) -> bool {
        match self.resource_division(resource) {
            Some(d) => self.has_permission_on(user, permission, d, attributes),
            None => false,
        }
    }

    /// Whether `user` holds at least one of `permissions` (somewhere). An empty list is
    /// `false`.
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{Model, PermissionSpec, RoleSpec, Subject};
    /// let mut model = Model::new();
    /// model.add_division("home", "Home")?;
    /// model.add_user("ada", None)?;
    /// model.add_permission(PermissionSpec::new("a", "A"))?;
    /// model.add_permission(PermissionSpec::new("b", "B"))?;
    /// model.create_role(RoleSpec::new("r", "R").with_permission("a"))?;
    /// model.grant_role(Subject::User("ada"), "r", None)?;
    /// let snap = model.compile();
    /// assert!(snap.has_any("ada", ["b", "a"]));
    /// assert!(!snap.has_all("ada", ["b", "a"]));
    /// assert!(!snap.has_any("ada", Vec::<&str>::new()));
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    pub fn has_any<K: Key<PermissionId>>(
        &self,
        user: impl Key<UserId>,
        permissions: impl IntoIterator<Item = K>,
    ) -> bool {
        let Some(u) = user.resolve(self) else {
            return false;
        };
        permissions.into_iter().any(|p| self.has_permission(u, p))
    }

    /// Whether `user` holds every one of `permissions` (somewhere). Fail-closed: an empty
    /// list is `false`.
    ///
    /// # Examples
    ///
    /// ```
    /// let snap = orgperm::Model::new().compile();
    /// assert!(!snap.has_all("ada", Vec::<&str>::new()));
    /// ```
    pub fn has_all<K: Key<PermissionId>>(
        &self,
        user: impl Key<UserId>,
        permissions: impl IntoIterator<Item = K>,
    ) -> bool {
        let Some(u) = user.resolve(self) else {
            return false;
        };
        let mut any = false;
        for p in permissions {
            if !self.has_permission(u, p) {
                return false;
            }
            any = true;
        }
        any
    }

    /// The divisions in which `user` holds `permission` without condition: `All` for a `*`
    /// grant or a held permission that is not division-aware, else the divisions of the
    /// grants (`GET /authorization/divisionspermitted`).
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{Model, PermissionSpec, PermittedDivisions, PolicySpec, RoleSpec, Subject};
    /// let mut model = Model::new();
    /// let home = model.add_division("home", "Home")?;
    /// model.add_division("emea", "EMEA")?;
    /// model.add_user("ada", None)?;
    /// model.add_permission(PermissionSpec::new("routing:queue:view", "View").division_aware())?;
    /// model.create_role(RoleSpec::new("r", "R").with_policy(PolicySpec::new("routing", "queue", ["view"])))?;
    /// model.grant_role(Subject::User("ada"), "r", None)?;
    /// let snap = model.compile();
    /// assert_eq!(snap.divisions_permitted("ada", "routing:queue:view"), PermittedDivisions::Only(vec![home]));
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    pub fn divisions_permitted(
        &self,
        user: impl Key<UserId>,
        permission: impl Key<PermissionId>,
    ) -> PermittedDivisions {
        let none = PermittedDivisions::Only(Vec::new());
        let (Some(u), Some(a)) = (user.resolve(self), permission.resolve(self)) else {
            return none;
        };
        let a = a.as_u32();
        let (Some(c), Some(&flags)) = (self.rbac.combo_of(u), self.rbac.flags.get(a as usize))
        else {
            return none;
        };
        if flags & AWARE == 0 {
            return if self.rbac.set_has(c.any, a) {
                PermittedDivisions::All
            } else {
                none
            };
        }
        if self.rbac.set_has(c.star, a) {
            return PermittedDivisions::All;
        }
        PermittedDivisions::Only(
            c.divs
                .iter()
                .filter(|&&(d, set)| self.division_live(d) && self.rbac.set_has(set, a))
                .map(|&(d, _)| DivisionId::new(d))
                .collect(),
        )
    }

    /// Every permission `user` holds somewhere without condition, flattened from all roles
    /// and sorted by name.
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{Model, PermissionSpec, PolicySpec, RoleSpec, Subject};
    /// let mut model = Model::new();
    /// model.add_division("home", "Home")?;
    /// model.add_user("ada", None)?;
    /// for p in ["routing:queue:view", "routing:queue:add", "routing:skill:view"] {
    ///     model.add_permission(PermissionSpec::new(p, p))?;
    /// }
    /// model.create_role(RoleSpec::new("r", "R").with_policy(PolicySpec::new("routing", "queue", ["*"])))?;
    /// model.grant_role(Subject::User("ada"), "r", None)?;
    /// assert_eq!(model.compile().user_permissions("ada"), ["routing:queue:add", "routing:queue:view"]);
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    pub fn user_permissions(&self, user: impl Key<UserId>) -> Vec<&str> {
        let Some(c) = user.resolve(self).and_then(|u| self.rbac.combo_of(u)) else {
            return Vec::new();
        };
        let mut out: Vec<&str> = (0..self.rbac.flags.len() as u32)
            .filter(|&a| self.rbac.set_has(c.any, a))
            .filter_map(|a| self.rbac.permissions.name(PermissionId::new(a)))
            .collect();
        out.sort_unstable();
        out
    }

    /// The roles `user` holds (directly, through groups, or as the base role), sorted.
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{Model, RoleSpec, Subject};
    /// let mut model = Model::new();
    /// model.add_division("home", "Home")?;
    /// model.add_user("ada", None)?;
    /// model.add_group("g", "G")?;
    /// model.add_group_members("g", &["ada"])?;
    /// model.create_role(RoleSpec::new("b", "B"))?;
    /// model.create_role(RoleSpec::new("a", "A"))?;
    /// model.grant_role(Subject::Group("g"), "b", None)?;
    /// model.grant_role(Subject::User("ada"), "a", Some("*"))?;
    /// assert_eq!(model.compile().user_roles("ada"), ["a", "b"]);
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    pub fn user_roles(&self, user: impl Key<UserId>) -> Vec<&str> {
        let Some(c) = user.resolve(self).and_then(|u| self.rbac.combo_of(u)) else {
            return Vec::new();
        };
        let mut out: Vec<&str> = self
            .rbac
            .grants_of(c)
            .iter()
            .filter_map(|g| self.role_name(g.role))
            .collect();
        out.sort_unstable();
        out.dedup();
        out
    }

    /// The users who hold `permission` without condition on an object in `division`: the
    /// reverse of [`has_permission_on`](Snapshot::has_permission_on) with no attributes.
    ///
    /// Cost: one bit test per role, then a union of the roaring bitmaps of the holders of the
    /// roles granting it (in `division` and in `*`, or anywhere when the permission is not
    /// division-aware).
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{Model, PermissionSpec, PolicySpec, RoleSpec, Subject};
    /// let mut model = Model::new();
    /// model.add_division("home", "Home")?;
    /// model.add_division("emea", "EMEA")?;
    /// for u in ["a", "b", "c"] { model.add_user(u, None)?; }
    /// model.add_permission(PermissionSpec::new("routing:queue:view", "View").division_aware())?;
    /// model.create_role(RoleSpec::new("r", "R").with_policy(PolicySpec::new("routing", "queue", ["view"])))?;
    /// model.grant_role(Subject::User("a"), "r", Some("emea"))?;
    /// model.grant_role(Subject::User("b"), "r", Some("*"))?;
    /// model.grant_role(Subject::User("c"), "r", None)?;
    /// let snap = model.compile();
    /// let who = snap.users_with_permission("routing:queue:view", "emea");
    /// assert_eq!(who.external_ids().collect::<Vec<_>>(), ["a", "b"]);
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    pub fn users_with_permission(
        &self,
        permission: impl Key<PermissionId>,
        division: impl Key<DivisionId>,
    ) -> UserSet<'_> {
        let empty = || UserSet::from_positions(RoaringBitmap::new(), self);
        let (Some(a), Some(d)) = (permission.resolve(self), division.resolve(self)) else {
            return empty();
        };
        if !self.division_live(d.as_u32()) {
            return empty();
        }
        self.holders_of(a.as_u32(), Some(d.as_u32()))
    }

    /// The users who hold `permission` somewhere without condition: the reverse of
    /// [`has_permission`](Snapshot::has_permission).
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{Model, PermissionSpec, RoleSpec, Subject};
    /// let mut model = Model::new();
    /// model.add_division("home", "Home")?;
    /// model.add_user("a", None)?;
    /// model.add_permission(PermissionSpec::new("admin", "Admin"))?;
    /// model.create_role(RoleSpec::new("r", "R").with_permission("admin"))?;
    /// model.grant_role(Subject::User("a"), "r", None)?;
    /// assert_eq!(model.compile().users_holding_permission("admin").len(), 1);
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    pub fn users_holding_permission(&self, permission: impl Key<PermissionId>) -> UserSet<'_> {
        match permission.resolve(self) {
            Some(a) => self.holders_of(a.as_u32(), None),
            None => UserSet::from_positions(RoaringBitmap::new(), self),
        }
    }

    fn holders_of(&self, a: u32, division: Option<u32>) -> UserSet<'_> {
        let rbac = &self.rbac;
        let Some(&flags) = rbac.flags.get(a as usize) else {
            return UserSet::from_positions(RoaringBitmap::new(), self);
        };
        let mut parts: SmallVec<[&RoaringBitmap; 32]> = SmallVec::new();
        if flags & AVAILABLE != 0 {
            for r in 0..rbac.roles.len() as u32 {
                let r = RoleId::new(r);
                if !rbac.role_has(r, a) {
                    continue;
                }
                match division {
                    Some(d) if flags & AWARE != 0 => {
                        parts.extend(rbac.holders_star.get(ix(r)));
                        parts.extend(rbac.holders_in(r, d));
                    }
                    _ => parts.extend(rbac.holders_any.get(ix(r))),
                }
            }
        }
        UserSet::from_positions(parts.into_iter().union(), self)
    }

    // ---- explanations -----------------------------------------------------------------------

    /// Why `user` does or does not hold `permission` somewhere. Always agrees with
    /// [`has_permission`](Snapshot::has_permission).
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{GrantSource, Model, PermissionSpec, PolicySpec, Reason, RoleSpec, Subject};
    /// let mut model = Model::new();
    /// model.add_division("home", "Home")?;
    /// model.add_user("ada", None)?;
    /// model.add_group("g", "Support")?;
    /// model.add_group_members("g", &["ada"])?;
    /// model.add_permission(PermissionSpec::new("routing:queue:view", "View"))?;
    /// model.create_role(RoleSpec::new("r", "R").with_policy(PolicySpec::new("routing", "*", ["view"])))?;
    /// model.grant_role(Subject::Group("g"), "r", Some("*"))?;
    /// let d = model.compile().explain_permission("ada", "routing:queue:view");
    /// assert!(d.allowed);
    /// assert_eq!(d.reason, Reason::RoleGrant {
    ///     role: "r".into(), policy: "routing:*:view".into(), source: GrantSource::Group("g".into()),
    ///     division: "*".into(), conditional: false,
    /// });
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    pub fn explain_permission(
        &self,
        user: impl Key<UserId>,
        permission: impl Key<PermissionId>,
    ) -> Decision {
        self.explain_grants(&user, &permission, None, &[])
    }

    /// Why `user` does or does not hold `permission` on an object in `division` with
    /// `attributes`. Always agrees with [`has_permission_on`](Snapshot::has_permission_on).
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{Model, PermissionSpec, PolicySpec, Reason, RoleSpec, Subject};
    /// let mut model = Model::new();
    /// model.add_division("home", "Home")?;
    /// model.add_division("emea", "EMEA")?;
    /// model.add_user("ada", None)?;
    /// model.add_permission(PermissionSpec::new("routing:queue:view", "View").division_aware())?;
    /// model.create_role(RoleSpec::new("r", "R").with_policy(PolicySpec::new("routing", "queue", ["view"])))?;
    /// model.grant_role(Subject::User("ada"), "r", None)?;
    /// let d = model.compile().explain_permission_on("ada", "routing:queue:view", "emea", &[]);
    /// assert_eq!(d.to_string(), "deny: permission \"routing:queue:view\" is not granted in division \"emea\" or \"*\"");
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    pub fn explain_permission_on(
        &self,
        user: impl Key<UserId>,
        permission: impl Key<PermissionId>,
        division: impl Key<DivisionId>,
        attributes: &[(&str, &str)],
    ) -> Decision {
        let d = division
            .resolve(self)
            .filter(|d| self.division_live(d.as_u32()));
        match d {
            Some(d) => self.explain_grants(&user, &permission, Some(d), attributes),
            None => match self.explain_grants(&user, &permission, None, &[]) {
                // Unknown user or permission first, as the check resolves them first.
                deny @ Decision {
                    reason: Reason::UnknownUser { .. } | Reason::UnknownPermission { .. },
                    ..
                } => Decision {
                    allowed: false,
                    ..deny
                },
                _ => Decision::deny(Reason::UnknownDivision {
                    division: division.describe(),
                }),
            },
        }
    }

    /// Why `user` does or does not hold `permission` on a resource, in the division it is
    /// assigned to. Always agrees with
    /// [`has_permission_on_resource`](Snapshot::has_permission_on_resource).
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{Model, PermissionSpec, Reason};
    /// let mut model = Model::new();
    /// model.add_division("home", "Home")?;
    /// model.add_user("ada", None)?;
    /// model.add_permission(PermissionSpec::new("routing:queue:view", "View"))?;
    /// let d = model.compile().explain_permission_on_resource("ada", "routing:queue:view", "queue-9", &[]);
    /// assert_eq!(d.reason, Reason::UnknownResource { resource: "\"queue-9\"".into() });
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    pub fn explain_permission_on_resource(
        &self,
        user: impl Key<UserId>,
        permission: impl Key<PermissionId>,
        resource: impl Key<ResourceId>,
        attributes: &[(&str, &str)],
    ) -> Decision {
        match resource
            .resolve(self)
            .and_then(|r| self.resource_division(r))
        {
            Some(d) => self.explain_permission_on(user, permission, d, attributes),
            None => match self.explain_grants(&user, &permission, None, &[]) {
                d @ Decision {
                    reason: Reason::UnknownUser { .. } | Reason::UnknownPermission { .. },
                    ..
                } => d,
                _ => Decision::deny(Reason::UnknownResource {
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
    ) -> Decision {
        let rbac = &self.rbac;
        let Some(u) = user.resolve(self).filter(|&u| rbac.combo_of(u).is_some()) else {
            return Decision::deny(Reason::UnknownUser {
                user: user.describe(),
            });
        };
        let Some((a, &flags)) = permission
            .resolve(self)
            .and_then(|a| Some((a, rbac.flags.get(ix(a))?)))
        else {
            return Decision::deny(Reason::UnknownPermission {
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
            return Decision::deny(Reason::ProductDisabled {
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
        let grant_reason =
            |g: &Grant, source: &GrantSource, policy: String, conditional| Reason::RoleGrant {
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
                if division.is_some() && rbac.conditions.eval(cond, attributes) {
                    return Decision::allow(grant_reason(g, source, policy.to_string(), true));
                }
                unmet.get_or_insert_with(|| (g.role, policy.to_string()));
            }
        }
        if let Some((r, policy)) = unmet {
            return Decision::deny(Reason::ConditionNotMet {
                permission: name,
                role: rbac.role_ids.name(r).unwrap_or("").to_owned(),
                policy,
            });
        }
        match division {
            Some(d) if out_of_division => Decision::deny(Reason::NotInDivision {
                permission: name,
                division: rbac.division_ids.name(d).unwrap_or("").to_owned(),
            }),
            _ => Decision::deny(Reason::NoGrant { permission: name }),
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

    // ---- actions (Quantive) -----------------------------------------------------------------

    /// Whether `user` may perform a global action: bound to the user or to a role they hold,
    /// directly or through an action requiring it.
    ///
    /// O(1): an action-set load and a bit test.
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{ActionSpec, GlobalPermissionSpec, Model, RoleSpec, Subject};
    /// let mut model = Model::new();
    /// model.add_division("home", "Home")?;
    /// model.add_user("ada", None)?;
    /// model.create_role(RoleSpec::new("editors", "Editors"))?;
    /// model.grant_role(Subject::User("ada"), "editors", None)?;
    /// model.add_action(ActionSpec::new("access_goals", "Access goals"))?;
    /// model.add_action(ActionSpec::new("manage_goals", "Manage goals").requiring("access_goals"))?;
    /// model.create_global_permission(GlobalPermissionSpec::new("p1", "manage_goals", ["editors"]))?;
    /// let snap = model.compile();
    /// assert!(snap.has_action("ada", "manage_goals"));
    /// assert!(snap.has_action("ada", "access_goals")); // manage implies access
    /// assert_eq!(snap.effective_actions("editors"), ["access_goals", "manage_goals"]);
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    #[inline]
    pub fn has_action(&self, user: impl Key<UserId>, action: impl Key<ActionId>) -> bool {
        let (Some(u), Some(x)) = (user.resolve(self), action.resolve(self)) else {
            return false;
        };
        let rbac = &self.rbac;
        (x.as_u32() as usize) < rbac.action_requires.len()
            && rbac.combo_of(u).is_some()
            && rbac
                .user_actions
                .get(u.index() as usize)
                .is_some_and(|&s| test_bit(&rbac.action_sets, rbac.action_words, s, x.as_u32()))
    }

    fn action_names(&self, words: &[u64], row: u32) -> Vec<&str> {
        let rbac = &self.rbac;
        let mut out: Vec<&str> = (0..rbac.action_requires.len() as u32)
            .filter(|&x| test_bit(words, rbac.action_words, row, x))
            .filter_map(|x| rbac.action_ids.name(ActionId::new(x)))
            .collect();
        out.sort_unstable();
        out
    }

    /// The effective actions of a user, sorted.
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(orgperm::Model::new().compile().user_actions("ada").is_empty());
    /// ```
    pub fn user_actions(&self, user: impl Key<UserId>) -> Vec<&str> {
        let rbac = &self.rbac;
        match user.resolve(self).filter(|&u| rbac.combo_of(u).is_some()) {
            Some(u) => {
                let s = rbac
                    .user_actions
                    .get(u.index() as usize)
                    .copied()
                    .unwrap_or(0);
                self.action_names(&rbac.action_sets, s)
            }
            None => Vec::new(),
        }
    }

    /// The effective actions of a role (bound to it, closed under `requires`), sorted.
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(orgperm::Model::new().compile().role_actions("r").is_empty());
    /// ```
    pub fn role_actions(&self, role: impl Key<RoleId>) -> Vec<&str> {
        match role.resolve(self).filter(|&r| self.rbac.role(r).is_some()) {
            Some(r) => self.action_names(&self.rbac.role_actions, r.as_u32()),
            None => Vec::new(),
        }
    }

    /// The effective actions of a principal (`GET /permissions/principal/{id}`): of a user
    /// as [`user_actions`](Snapshot::user_actions), of a role as
    /// [`role_actions`](Snapshot::role_actions). A bare id ([`Principal::Id`], what a `&str`
    /// converts to) counts only when it names exactly one of a user and a role: an id naming
    /// both, or neither, has none; name the kind to ask about either.
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{ActionSpec, GlobalPermissionSpec, Model, Principal, RoleSpec};
    /// let mut model = Model::new();
    /// model.add_user("u5", None)?;
    /// model.create_role(RoleSpec::new("u5", "Same id"))?;
    /// model.add_action(ActionSpec::new("export", "Export"))?;
    /// model.create_global_permission(GlobalPermissionSpec::new("p", "export", [Principal::user("u5")]))?;
    /// let snap = model.compile();
    /// assert_eq!(snap.effective_actions(Principal::user("u5")), ["export"]);
    /// assert!(snap.effective_actions(Principal::role("u5")).is_empty());
    /// assert!(snap.effective_actions("u5").is_empty()); // ambiguous bare id
    /// assert!(snap.effective_actions("nobody").is_empty());
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    pub fn effective_actions(&self, principal: impl Into<Principal>) -> Vec<&str> {
        match principal.into() {
            Principal::User(id) => self.user_actions(id.as_str()),
            Principal::Role(id) => self.role_actions(id.as_str()),
            Principal::Id(id) => match (self.user(&id), self.role(&id)) {
                (Some(u), None) => self.user_actions(u),
                (None, Some(r)) => self.role_actions(r),
                _ => Vec::new(),
            },
        }
    }

    /// Whether `user` holds a view-only role (the item layer caps such users at read).
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{Model, RoleSpec, Subject};
    /// let mut model = Model::new();
    /// model.add_division("home", "Home")?;
    /// model.add_user("ada", None)?;
    /// model.create_role(RoleSpec::new("viewer", "Viewer").view_only())?;
    /// model.grant_role(Subject::User("ada"), "viewer", None)?;
    /// assert!(model.compile().is_view_only("ada"));
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    pub fn is_view_only(&self, user: impl Key<UserId>) -> bool {
        user.resolve(self)
            .and_then(|u| self.rbac.combo_of(u))
            .is_some_and(|c| c.view_only)
    }

    /// Why `user` may or may not perform a global action. Always agrees with
    /// [`has_action`](Snapshot::has_action).
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{ActionSpec, GlobalPermissionSpec, Model, Principal, Reason};
    /// let mut model = Model::new();
    /// model.add_user("ada", None)?;
    /// model.add_action(ActionSpec::new("access_goals", "A"))?;
    /// model.add_action(ActionSpec::new("manage_goals", "M").requiring("access_goals"))?;
    /// model.create_global_permission(GlobalPermissionSpec::new("p1", "manage_goals", ["ada"]))?;
    /// let d = model.compile().explain_action("ada", "access_goals");
    /// assert_eq!(d.reason, Reason::ActionBound {
    ///     action: "access_goals".into(), permission: "p1".into(), principal: Principal::user("ada"),
    ///     via: Some("manage_goals".into()),
    /// });
    /// assert_eq!(
    ///     d.reason.to_string(),
    ///     "global permission \"p1\" binds \"manage_goals\", which implies \"access_goals\", to user \"ada\""
    /// );
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    pub fn explain_action(&self, user: impl Key<UserId>, action: impl Key<ActionId>) -> Decision {
        let rbac = &self.rbac;
        let Some((u, c)) = user
            .resolve(self)
            .and_then(|u| Some((u, rbac.combo_of(u)?)))
        else {
            return Decision::deny(Reason::UnknownUser {
                user: user.describe(),
            });
        };
        let Some(x) = action
            .resolve(self)
            .filter(|x| (x.as_u32() as usize) < rbac.action_requires.len())
        else {
            return Decision::deny(Reason::UnknownAction {
                action: action.describe(),
            });
        };
        let roles = rbac.grants_of(c);
        let name = |a: ActionId| rbac.action_ids.name(a).unwrap_or("").to_owned();
        for (id, bound, principals) in &rbac.globals {
            if !requires_chain(&rbac.action_requires, *bound).any(|y| y == x) {
                continue;
            }
            let who = principals.iter().find(|p| match p {
                BoundPrincipal::User(v) => *v == u,
                BoundPrincipal::Role(r) => roles.iter().any(|g| g.role == *r),
            });
            if let Some(&p) = who {
                let principal = match p {
                    BoundPrincipal::User(v) => Principal::user(self.users.name(v).unwrap_or("")),
                    BoundPrincipal::Role(r) => Principal::role(rbac.role_ids.name(r).unwrap_or("")),
                };
                return Decision::allow(Reason::ActionBound {
                    action: name(x),
                    permission: id.clone(),
                    principal,
                    via: (*bound != x).then(|| name(*bound)),
                });
            }
        }
        Decision::deny(Reason::NoActionBinding { action: name(x) })
    }

    /// Memory of the compiled roles and permissions, per user and per distinct grant
    /// combination.
    ///
    /// # Examples
    ///
    /// ```
    /// let mem = orgperm::Model::new().compile().rbac_memory();
    /// assert_eq!((mem.users, mem.combos), (0, 0));
    /// ```
    pub fn rbac_memory(&self) -> RbacMemoryReport {
        self.rbac.memory(self.user_count())
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
