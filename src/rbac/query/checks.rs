//! Forward checks, reverse sets and listings of roles and permissions.

use super::PermittedDivisions;
use roaring::{MultiOps, RoaringBitmap};
use smallvec::SmallVec;

use crate::id::key::Key;
use crate::id::{DenseId, UserId};
use crate::org::user_set::UserSet;
use crate::rbac::compiled::{AVAILABLE, AWARE, CONDITIONAL, Combo};
use crate::rbac::condition::ConditionContext;
use crate::rbac::grants::covers;
use crate::rbac::ids::{DivisionId, PermissionId, ResourceId, RoleId, ix};
use crate::rbac::query::Rbac;

impl<'s> Rbac<'s> {
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
    /// model.rbac_mut().add_division("home", "Home")?;
    /// model.add_user("ada", None)?;
    /// model.rbac_mut().add_permission(PermissionSpec::new("routing:queue:view", "View queues"))?;
    /// model.rbac_mut().create_role(RoleSpec::new("r", "Agents").with_policy(PolicySpec::new("routing", "queue", ["*"])))?;
    /// model.rbac_mut().grant_role(Subject::User("ada"), "r", None)?;
    /// let snap = model.compile();
    /// assert!(snap.rbac().has_permission("ada", "routing:queue:view"));
    /// assert!(!snap.rbac().has_permission("ada", "routing:queue:delete")); // not in the catalog
    /// assert!(!snap.rbac().has_permission("bob", "routing:queue:view"));   // unknown user
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    #[inline]
    pub fn has_permission(
        &self,
        user: impl Key<UserId>,
        permission: impl Key<PermissionId>,
    ) -> bool {
        let (Some(u), Some(a)) = (
            user.resolve(&self.org.users),
            permission.resolve(&self.rbac.permissions),
        ) else {
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
    /// model.rbac_mut().add_division("home", "Home")?;
    /// model.rbac_mut().add_division("emea", "EMEA")?;
    /// model.add_user("ada", None)?;
    /// model.rbac_mut().add_permission(PermissionSpec::new("routing:queue:edit", "Edit queues").division_aware().allowing_conditions())?;
    /// model.rbac_mut().create_role(RoleSpec::new("r", "Leads").with_policy(PolicySpec::new("routing", "queue", ["edit"])))?;
    /// model.rbac_mut().create_role(RoleSpec::new("c", "Q1 only").with_policy(
    ///     PolicySpec::new("routing", "queue", ["edit"]).with_condition(Condition::eq("queue.id", "q1"))))?;
    /// model.rbac_mut().grant_role(Subject::User("ada"), "r", None)?;          // home
    /// model.rbac_mut().grant_role(Subject::User("ada"), "c", Some("emea"))?;
    /// let snap = model.compile();
    /// assert!(snap.rbac().has_permission_on("ada", "routing:queue:edit", "home", &[]));
    /// assert!(!snap.rbac().has_permission_on("ada", "routing:queue:edit", "emea", &[("queue.id", "q2")]));
    /// assert!(snap.rbac().has_permission_on("ada", "routing:queue:edit", "emea", &[("queue.id", "q1")]));
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
        self.permission_on(user, permission, division, attributes, None)
    }

    /// [`has_permission_on`](Rbac::has_permission_on) with the check's variables, which
    /// `VARIABLE` operands of conditions read (see [`Operand`](crate::Operand)); without
    /// them (as in `has_permission_on`) such an operand matches nothing. `USER` operands
    /// compare with `user`'s external id in both.
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{Condition, Model, Operand, Operator, PermissionSpec, PolicySpec, RoleSpec, Subject};
    /// let mut model = Model::new();
    /// model.rbac_mut().add_division("home", "Home")?;
    /// model.add_user("ada", None)?;
    /// model.rbac_mut().add_permission(PermissionSpec::new("routing:queue:edit", "Edit").allowing_conditions())?;
    /// let team = Condition::leaf("queue.team", Operator::Eq, [Operand::Variable("team".into())]);
    /// let own = Condition::leaf("queue.ownerId", Operator::Eq, [Operand::User]);
    /// model.rbac_mut().create_role(RoleSpec::new("r", "R").with_policy(
    ///     PolicySpec::new("routing", "queue", ["edit"]).with_condition(Condition::any([team, own]))))?;
    /// model.rbac_mut().grant_role(Subject::User("ada"), "r", None)?;
    /// let snap = model.compile();
    /// let rbac = snap.rbac();
    /// let q = [("queue.team", "billing"), ("queue.ownerId", "bob")];
    /// assert!(rbac.has_permission_on_with("ada", "routing:queue:edit", "home", &q, &[("team", "billing")]));
    /// assert!(!rbac.has_permission_on_with("ada", "routing:queue:edit", "home", &q, &[("team", "sales")]));
    /// assert!(!rbac.has_permission_on("ada", "routing:queue:edit", "home", &q)); // no variables
    /// assert!(rbac.has_permission_on("ada", "routing:queue:edit", "home", &[("queue.ownerId", "ada")]));
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    #[inline]
    pub fn has_permission_on_with(
        &self,
        user: impl Key<UserId>,
        permission: impl Key<PermissionId>,
        division: impl Key<DivisionId>,
        attributes: &[(&str, &str)],
        variables: &[(&str, &str)],
    ) -> bool {
        self.permission_on(user, permission, division, attributes, Some(variables))
    }

    #[inline]
    fn permission_on(
        &self,
        user: impl Key<UserId>,
        permission: impl Key<PermissionId>,
        division: impl Key<DivisionId>,
        attributes: &[(&str, &str)],
        variables: Option<&[(&str, &str)]>,
    ) -> bool {
        let (Some(u), Some(a), Some(d)) = (
            user.resolve(&self.org.users),
            permission.resolve(&self.rbac.permissions),
            division.resolve(&self.rbac.division_ids),
        ) else {
            return false;
        };
        let Some(c) = self.rbac.combo_of(u) else {
            return false;
        };
        // The context (the user's external id) only for a condition to evaluate.
        let ctx = || ConditionContext {
            user: self.org.users.name(u),
            variables,
        };
        self.combo_permission_on(c, a.as_u32(), d.as_u32(), attributes, ctx)
    }

    /// The check of a combination of grants (a user's or a client's).
    #[inline]
    pub(crate) fn combo_permission_on<'c>(
        &self,
        c: &Combo,
        a: u32,
        d: u32,
        attributes: &[(&str, &str)],
        ctx: impl FnOnce() -> ConditionContext<'c>,
    ) -> bool {
        let Some(&flags) = self.rbac.flags.get(a as usize) else {
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
                && self.conditional_holds(c, a, d, flags & AWARE != 0, attributes, &ctx()))
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
        ctx: &ConditionContext<'_>,
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
                        .any(|&(_, cond)| self.rbac.conditions.eval(cond, attributes, ctx))
                })
        })
    }

    /// [`has_permission_on`](Rbac::has_permission_on) for a resource, in the division it
    /// is assigned to. A resource in no division is a Deny.
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{Model, PermissionSpec, PolicySpec, RoleSpec, Subject};
    /// let mut model = Model::new();
    /// model.rbac_mut().add_division("home", "Home")?;
    /// model.rbac_mut().add_division("emea", "EMEA")?;
    /// model.rbac_mut().assign_resource("queue-emea", Some("emea"))?;
    /// model.add_user("ada", None)?;
    /// model.rbac_mut().add_permission(PermissionSpec::new("routing:queue:view", "View").division_aware())?;
    /// model.rbac_mut().create_role(RoleSpec::new("r", "R").with_policy(PolicySpec::new("routing", "queue", ["view"])))?;
    /// model.rbac_mut().grant_role(Subject::User("ada"), "r", None)?;
    /// let snap = model.compile();
    /// assert!(!snap.rbac().has_permission_on_resource("ada", "routing:queue:view", "queue-emea", &[]));
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
    /// model.rbac_mut().add_division("home", "Home")?;
    /// model.add_user("ada", None)?;
    /// model.rbac_mut().add_permission(PermissionSpec::new("a", "A"))?;
    /// model.rbac_mut().add_permission(PermissionSpec::new("b", "B"))?;
    /// model.rbac_mut().create_role(RoleSpec::new("r", "R").with_permission("a"))?;
    /// model.rbac_mut().grant_role(Subject::User("ada"), "r", None)?;
    /// let snap = model.compile();
    /// assert!(snap.rbac().has_any("ada", ["b", "a"]));
    /// assert!(!snap.rbac().has_all("ada", ["b", "a"]));
    /// assert!(!snap.rbac().has_any("ada", Vec::<&str>::new()));
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    pub fn has_any<K: Key<PermissionId>>(
        &self,
        user: impl Key<UserId>,
        permissions: impl IntoIterator<Item = K>,
    ) -> bool {
        let Some(u) = user.resolve(&self.org.users) else {
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
    /// assert!(!snap.rbac().has_all("ada", Vec::<&str>::new()));
    /// ```
    pub fn has_all<K: Key<PermissionId>>(
        &self,
        user: impl Key<UserId>,
        permissions: impl IntoIterator<Item = K>,
    ) -> bool {
        let Some(u) = user.resolve(&self.org.users) else {
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
    /// let home = model.rbac_mut().add_division("home", "Home")?;
    /// model.rbac_mut().add_division("emea", "EMEA")?;
    /// model.add_user("ada", None)?;
    /// model.rbac_mut().add_permission(PermissionSpec::new("routing:queue:view", "View").division_aware())?;
    /// model.rbac_mut().create_role(RoleSpec::new("r", "R").with_policy(PolicySpec::new("routing", "queue", ["view"])))?;
    /// model.rbac_mut().grant_role(Subject::User("ada"), "r", None)?;
    /// let snap = model.compile();
    /// assert_eq!(snap.rbac().divisions_permitted("ada", "routing:queue:view"), PermittedDivisions::Only(vec![home]));
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    pub fn divisions_permitted(
        &self,
        user: impl Key<UserId>,
        permission: impl Key<PermissionId>,
    ) -> PermittedDivisions {
        let none = PermittedDivisions::Only(Vec::new());
        let (Some(u), Some(a)) = (
            user.resolve(&self.org.users),
            permission.resolve(&self.rbac.permissions),
        ) else {
            return none;
        };
        match self.rbac.combo_of(u) {
            Some(c) => self.combo_divisions(c, a.as_u32()),
            None => none,
        }
    }

    /// The divisions in which a combination holds permission `a` without condition.
    fn combo_divisions(&self, c: &Combo, a: u32) -> PermittedDivisions {
        let none = PermittedDivisions::Only(Vec::new());
        let Some(&flags) = self.rbac.flags.get(a as usize) else {
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

    /// Whether OAuth client `client` holds `permission` somewhere: as
    /// [`has_permission`](Rbac::has_permission), over the client's own grants (a client
    /// holds no base role and is in no group). An unknown client holds nothing.
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{Model, PermissionSpec, PolicySpec, RoleSpec, Subject};
    /// let mut model = Model::new();
    /// model.rbac_mut().add_division("home", "Home")?;
    /// model.rbac_mut().add_division("emea", "EMEA")?;
    /// model.rbac_mut().add_permission(PermissionSpec::new("routing:queue:view", "View").division_aware())?;
    /// model.rbac_mut().create_role(RoleSpec::new("r", "R").with_policy(PolicySpec::new("routing", "queue", ["view"])))?;
    /// model.rbac_mut().grant_role(Subject::Client("crm-sync"), "r", Some("emea"))?;
    /// let snap = model.compile();
    /// let rbac = snap.rbac();
    /// assert!(rbac.client_has_permission("crm-sync", "routing:queue:view"));
    /// assert!(rbac.client_has_permission_on("crm-sync", "routing:queue:view", "emea", &[]));
    /// assert!(!rbac.client_has_permission_on("crm-sync", "routing:queue:view", "home", &[]));
    /// assert!(!rbac.client_has_permission("other", "routing:queue:view"));
    /// assert_eq!(rbac.client_roles("crm-sync"), ["r"]);
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    pub fn client_has_permission(&self, client: &str, permission: impl Key<PermissionId>) -> bool {
        let (Some(c), Some(a)) = (
            self.rbac.client_combo_of(client),
            permission.resolve(&self.rbac.permissions),
        ) else {
            return false;
        };
        (ix(a)) < self.rbac.flags.len() && self.rbac.set_has(c.any, a.as_u32())
    }

    /// Whether OAuth client `client` holds `permission` on an object in `division` with
    /// `attributes`: as [`has_permission_on`](Rbac::has_permission_on), except that a
    /// `USER` operand matches nothing (a client is not a directory user).
    pub fn client_has_permission_on(
        &self,
        client: &str,
        permission: impl Key<PermissionId>,
        division: impl Key<DivisionId>,
        attributes: &[(&str, &str)],
    ) -> bool {
        self.client_permission_on(client, permission, division, attributes, None)
    }

    /// [`client_has_permission_on`](Rbac::client_has_permission_on) with the check's
    /// variables (`VARIABLE` operands).
    pub fn client_has_permission_on_with(
        &self,
        client: &str,
        permission: impl Key<PermissionId>,
        division: impl Key<DivisionId>,
        attributes: &[(&str, &str)],
        variables: &[(&str, &str)],
    ) -> bool {
        self.client_permission_on(client, permission, division, attributes, Some(variables))
    }

    fn client_permission_on(
        &self,
        client: &str,
        permission: impl Key<PermissionId>,
        division: impl Key<DivisionId>,
        attributes: &[(&str, &str)],
        variables: Option<&[(&str, &str)]>,
    ) -> bool {
        let (Some(c), Some(a), Some(d)) = (
            self.rbac.client_combo_of(client),
            permission.resolve(&self.rbac.permissions),
            division.resolve(&self.rbac.division_ids),
        ) else {
            return false;
        };
        let ctx = || ConditionContext {
            user: None,
            variables,
        };
        self.combo_permission_on(c, a.as_u32(), d.as_u32(), attributes, ctx)
    }

    /// The divisions in which OAuth client `client` holds `permission` without condition
    /// (as [`divisions_permitted`](Rbac::divisions_permitted)).
    pub fn client_divisions_permitted(
        &self,
        client: &str,
        permission: impl Key<PermissionId>,
    ) -> PermittedDivisions {
        match (
            self.rbac.client_combo_of(client),
            permission.resolve(&self.rbac.permissions),
        ) {
            (Some(c), Some(a)) => self.combo_divisions(c, a.as_u32()),
            _ => PermittedDivisions::Only(Vec::new()),
        }
    }

    /// The roles OAuth client `client` holds, sorted.
    pub fn client_roles(&self, client: &str) -> Vec<&'s str> {
        let Some(c) = self.rbac.client_combo_of(client) else {
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

    /// Every permission OAuth client `client` holds somewhere without condition, sorted.
    pub fn client_permissions(&self, client: &str) -> Vec<&'s str> {
        let Some(c) = self.rbac.client_combo_of(client) else {
            return Vec::new();
        };
        let mut out: Vec<&str> = (0..self.rbac.flags.len() as u32)
            .filter(|&a| self.rbac.set_has(c.any, a))
            .filter_map(|a| self.rbac.permissions.name(PermissionId::new(a)))
            .collect();
        out.sort_unstable();
        out
    }

    /// Every permission `user` holds somewhere without condition, flattened from all roles
    /// and sorted by name.
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{Model, PermissionSpec, PolicySpec, RoleSpec, Subject};
    /// let mut model = Model::new();
    /// model.rbac_mut().add_division("home", "Home")?;
    /// model.add_user("ada", None)?;
    /// for p in ["routing:queue:view", "routing:queue:add", "routing:skill:view"] {
    ///     model.rbac_mut().add_permission(PermissionSpec::new(p, p))?;
    /// }
    /// model.rbac_mut().create_role(RoleSpec::new("r", "R").with_policy(PolicySpec::new("routing", "queue", ["*"])))?;
    /// model.rbac_mut().grant_role(Subject::User("ada"), "r", None)?;
    /// assert_eq!(model.compile().rbac().user_permissions("ada"), ["routing:queue:add", "routing:queue:view"]);
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    pub fn user_permissions(&self, user: impl Key<UserId>) -> Vec<&'s str> {
        let Some(c) = user
            .resolve(&self.org.users)
            .and_then(|u| self.rbac.combo_of(u))
        else {
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
    /// model.rbac_mut().add_division("home", "Home")?;
    /// model.add_user("ada", None)?;
    /// model.rbac_mut().add_group("g", "G")?;
    /// model.rbac_mut().add_group_members("g", &["ada"])?;
    /// model.rbac_mut().create_role(RoleSpec::new("b", "B"))?;
    /// model.rbac_mut().create_role(RoleSpec::new("a", "A"))?;
    /// model.rbac_mut().grant_role(Subject::Group("g"), "b", None)?;
    /// model.rbac_mut().grant_role(Subject::User("ada"), "a", Some("*"))?;
    /// assert_eq!(model.compile().rbac().user_roles("ada"), ["a", "b"]);
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    pub fn user_roles(&self, user: impl Key<UserId>) -> Vec<&'s str> {
        let Some(c) = user
            .resolve(&self.org.users)
            .and_then(|u| self.rbac.combo_of(u))
        else {
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
    /// reverse of [`has_permission_on`](Rbac::has_permission_on) with no attributes. Why a
    /// member is in the set: [`explain_permission_on`](Rbac::explain_permission_on) for them.
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
    /// model.rbac_mut().add_division("home", "Home")?;
    /// model.rbac_mut().add_division("emea", "EMEA")?;
    /// for u in ["a", "b", "c"] { model.add_user(u, None)?; }
    /// model.rbac_mut().add_permission(PermissionSpec::new("routing:queue:view", "View").division_aware())?;
    /// model.rbac_mut().create_role(RoleSpec::new("r", "R").with_policy(PolicySpec::new("routing", "queue", ["view"])))?;
    /// model.rbac_mut().grant_role(Subject::User("a"), "r", Some("emea"))?;
    /// model.rbac_mut().grant_role(Subject::User("b"), "r", Some("*"))?;
    /// model.rbac_mut().grant_role(Subject::User("c"), "r", None)?;
    /// let snap = model.compile();
    /// let who = snap.rbac().users_with_permission("routing:queue:view", "emea");
    /// assert_eq!(who.external_ids().collect::<Vec<_>>(), ["a", "b"]);
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    pub fn users_with_permission(
        &self,
        permission: impl Key<PermissionId>,
        division: impl Key<DivisionId>,
    ) -> UserSet<'s> {
        let empty = || UserSet::from_positions(RoaringBitmap::new(), self.org);
        let (Some(a), Some(d)) = (
            permission.resolve(&self.rbac.permissions),
            division.resolve(&self.rbac.division_ids),
        ) else {
            return empty();
        };
        if !self.division_live(d.as_u32()) {
            return empty();
        }
        self.holders_of(a.as_u32(), Some(d.as_u32()))
    }

    /// The users who hold `permission` somewhere without condition: the reverse of
    /// [`has_permission`](Rbac::has_permission).
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{Model, PermissionSpec, RoleSpec, Subject};
    /// let mut model = Model::new();
    /// model.rbac_mut().add_division("home", "Home")?;
    /// model.add_user("a", None)?;
    /// model.rbac_mut().add_permission(PermissionSpec::new("admin", "Admin"))?;
    /// model.rbac_mut().create_role(RoleSpec::new("r", "R").with_permission("admin"))?;
    /// model.rbac_mut().grant_role(Subject::User("a"), "r", None)?;
    /// assert_eq!(model.compile().rbac().users_holding_permission("admin").len(), 1);
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    pub fn users_holding_permission(&self, permission: impl Key<PermissionId>) -> UserSet<'s> {
        match permission.resolve(&self.rbac.permissions) {
            Some(a) => self.holders_of(a.as_u32(), None),
            None => UserSet::from_positions(RoaringBitmap::new(), self.org),
        }
    }

    fn holders_of(&self, a: u32, division: Option<u32>) -> UserSet<'s> {
        let rbac = &self.rbac;
        let Some(&flags) = rbac.flags.get(a as usize) else {
            return UserSet::from_positions(RoaringBitmap::new(), self.org);
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
                        parts.extend(rbac.holders_star_of(r));
                        parts.extend(rbac.holders_in(r, d));
                    }
                    _ => parts.extend(rbac.holders_any_of(r)),
                }
            }
        }
        UserSet::from_positions(parts.into_iter().union(), self.org)
    }
}
