//! Quantive actions: effective actions of users and roles, and their explanations.

use roaring::{MultiOps, RoaringBitmap};

use crate::decision::Decision;
use crate::id::id_set::IdSet;
use crate::id::key::Key;
use crate::id::{DenseId, UserId};
use crate::org::user_set::UserSet;
use crate::rbac::actions::{BoundPrincipal, Principal, requires_chain};
use crate::rbac::compiled::RbacMemoryReport;
use crate::rbac::compiled::test_bit;
use crate::rbac::ids::{ActionId, RoleId};
use crate::rbac::query::Rbac;
use crate::rbac::reason::RbacReason;

/// The effective actions of a user, answering [`Rbac::actions_of`]; see [`IdSet`] for its
/// methods.
///
/// # Examples
///
/// ```
/// let snap = orgperm::Model::new().compile();
/// let none: orgperm::ActionSet<'_> = snap.rbac().actions_of("ada");
/// assert!(none.is_empty());
/// ```
pub type ActionSet<'s> = IdSet<'s, ActionId>;

impl<'s> Rbac<'s> {
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
    /// model.rbac_mut().add_division("home", "Home")?;
    /// model.add_user("ada", None)?;
    /// model.rbac_mut().create_role(RoleSpec::new("editors", "Editors"))?;
    /// model.rbac_mut().grant_role(Subject::User("ada"), "editors", None)?;
    /// model.rbac_mut().add_action(ActionSpec::new("access_goals", "Access goals"))?;
    /// model.rbac_mut().add_action(ActionSpec::new("manage_goals", "Manage goals").requiring("access_goals"))?;
    /// model.rbac_mut().create_global_permission(GlobalPermissionSpec::new("p1", "manage_goals", ["editors"]))?;
    /// let snap = model.compile();
    /// assert!(snap.rbac().has_action("ada", "manage_goals"));
    /// assert!(snap.rbac().has_action("ada", "access_goals")); // manage implies access
    /// assert_eq!(snap.rbac().effective_actions("editors"), ["access_goals", "manage_goals"]);
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    #[inline]
    pub fn has_action(&self, user: impl Key<UserId>, action: impl Key<ActionId>) -> bool {
        let (Some(u), Some(x)) = (
            user.resolve(&self.org.users),
            action.resolve(&self.rbac.action_ids),
        ) else {
            return false;
        };
        let rbac = &self.rbac;
        (x.as_u32() as usize) < rbac.action_requires.len()
            && rbac.has_combo(u)
            && rbac
                .user_actions
                .get(u.index() as usize)
                .is_some_and(|&s| rbac.action_set_has(s, x.as_u32()))
    }

    fn action_names(&self, words: &[u64], row: u32) -> Vec<&'s str> {
        let rbac = self.rbac;
        let mut out: Vec<&'s str> = (0..rbac.action_requires.len() as u32)
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
    /// assert!(orgperm::Model::new().compile().rbac().user_actions("ada").is_empty());
    /// ```
    pub fn user_actions(&self, user: impl Key<UserId>) -> Vec<&'s str> {
        let rbac = &self.rbac;
        match user
            .resolve(&self.org.users)
            .filter(|&u| rbac.combo_of(u).is_some())
        {
            Some(u) => {
                let s = rbac
                    .user_actions
                    .get(u.index() as usize)
                    .copied()
                    .unwrap_or(0);
                self.action_names(rbac.action_set(s), 0)
            }
            None => Vec::new(),
        }
    }

    /// The effective actions of a role (bound to it, closed under `requires`), sorted.
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(orgperm::Model::new().compile().rbac().role_actions("r").is_empty());
    /// ```
    pub fn role_actions(&self, role: impl Key<RoleId>) -> Vec<&'s str> {
        match role
            .resolve(&self.rbac.role_ids)
            .filter(|&r| self.rbac.role(r).is_some())
        {
            Some(r) => self.action_names(&self.rbac.role_actions, r.as_u32()),
            None => Vec::new(),
        }
    }

    /// The effective actions of a principal (`GET /permissions/principal/{id}`): of a user
    /// as [`user_actions`](Rbac::user_actions), of a role as
    /// [`role_actions`](Rbac::role_actions). A bare id ([`Principal::Id`], what a `&str`
    /// converts to) counts only when it names exactly one of a user and a role: an id naming
    /// both, or neither, has none; name the kind to ask about either.
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{ActionSpec, GlobalPermissionSpec, Model, Principal, RoleSpec};
    /// let mut model = Model::new();
    /// model.add_user("u5", None)?;
    /// model.rbac_mut().create_role(RoleSpec::new("u5", "Same id"))?;
    /// model.rbac_mut().add_action(ActionSpec::new("export", "Export"))?;
    /// model.rbac_mut().create_global_permission(GlobalPermissionSpec::new("p", "export", [Principal::user("u5")]))?;
    /// let snap = model.compile();
    /// assert_eq!(snap.rbac().effective_actions(Principal::user("u5")), ["export"]);
    /// assert!(snap.rbac().effective_actions(Principal::role("u5")).is_empty());
    /// assert!(snap.rbac().effective_actions("u5").is_empty()); // ambiguous bare id
    /// assert!(snap.rbac().effective_actions("nobody").is_empty());
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    pub fn effective_actions(&self, principal: impl Into<Principal>) -> Vec<&'s str> {
        match principal.into() {
            Principal::User(id) => self.user_actions(id.as_str()),
            Principal::Role(id) => self.role_actions(id.as_str()),
            Principal::Id(id) => match (self.org.user(&id.as_str()), self.role_id(&id)) {
                (Some(u), None) => self.user_actions(u),
                (None, Some(r)) => self.role_actions(r),
                _ => Vec::new(),
            },
        }
    }

    /// The active users who may perform global action `action`: the reverse of
    /// [`has_action`](Rbac::has_action). Why a member is in the set:
    /// [`explain_action`](Rbac::explain_action) for that member.
    ///
    /// O(roles + users with actions bound directly + output): the holders of every role whose
    /// actions (closed under `requires`) include it, and the users it or an action requiring
    /// it is bound to. Unknown action: the empty set.
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{ActionSpec, GlobalPermissionSpec, Model, Principal, RoleSpec, Subject};
    /// let mut model = Model::new();
    /// model.rbac_mut().add_division("home", "Home")?;
    /// model.add_user("ada", None)?;
    /// model.add_user("bob", None)?;
    /// model.add_user("cy", None)?;
    /// model.rbac_mut().create_role(RoleSpec::new("editors", "Editors"))?;
    /// model.rbac_mut().grant_role(Subject::User("ada"), "editors", None)?;
    /// model.rbac_mut().add_action(ActionSpec::new("access_goals", "Access goals"))?;
    /// model.rbac_mut().add_action(ActionSpec::new("manage_goals", "Manage goals").requiring("access_goals"))?;
    /// model.rbac_mut().create_global_permission(GlobalPermissionSpec::new("p1", "manage_goals", ["editors"]))?;
    /// model.rbac_mut().create_global_permission(GlobalPermissionSpec::new("p2", "access_goals", [Principal::user("bob")]))?;
    /// let snap = model.compile();
    /// let who = snap.rbac().users_with_action("access_goals");
    /// assert_eq!(who.external_ids().collect::<Vec<_>>(), ["ada", "bob"]);
    /// assert_eq!(snap.rbac().users_with_action("manage_goals").len(), 1);
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    pub fn users_with_action(&self, action: impl Key<ActionId>) -> UserSet<'s> {
        let rbac = &self.rbac;
        let mut set = RoaringBitmap::new();
        let Some(x) = action
            .resolve(&rbac.action_ids)
            .filter(|x| (x.as_u32() as usize) < rbac.action_requires.len())
        else {
            return UserSet::from_positions(set, self.org);
        };
        let x = x.as_u32();
        set = rbac
            .holders_any
            .iter()
            .enumerate()
            .filter(|&(r, _)| test_bit(&rbac.role_actions, rbac.action_words, r as u32, x))
            .map(|(_, holders)| &**holders)
            .union();
        for (u, row) in rbac.bound_users.iter() {
            let u = UserId::from_index(*u);
            if test_bit(row, rbac.action_words, 0, x) && rbac.combo_of(u).is_some() {
                if let Some(node) = self.org.tree.node(u) {
                    set.insert(node.pos);
                }
            }
        }
        UserSet::from_positions(set, self.org)
    }

    /// The effective actions of a user as a set: the same actions as
    /// [`user_actions`](Rbac::user_actions), without building strings.
    ///
    /// O(actions / 64): one row of the user's interned action set.
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{ActionSpec, GlobalPermissionSpec, Model, Principal};
    /// let mut model = Model::new();
    /// model.add_user("ada", None)?;
    /// model.rbac_mut().add_action(ActionSpec::new("export", "Export"))?;
    /// model.rbac_mut().add_action(ActionSpec::new("import", "Import"))?;
    /// model.rbac_mut().create_global_permission(GlobalPermissionSpec::new("p", "export", [Principal::user("ada")]))?;
    /// let snap = model.compile();
    /// let actions: orgperm::ActionSet<'_> = snap.rbac().actions_of("ada");
    /// assert_eq!(actions.external_ids().collect::<Vec<_>>(), ["export"]);
    /// assert!(snap.rbac().actions_of("nobody").is_empty());
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    pub fn actions_of(&self, user: impl Key<UserId>) -> ActionSet<'s> {
        let rbac = &self.rbac;
        let mut set = RoaringBitmap::new();
        let row = user
            .resolve(&self.org.users)
            .filter(|&u| rbac.combo_of(u).is_some())
            .and_then(|u| rbac.user_actions.get(u.index() as usize).copied());
        if let Some(row) = row {
            set.extend(
                (0..rbac.action_requires.len() as u32).filter(|&x| rbac.action_set_has(row, x)),
            );
        }
        IdSet::new(set, &rbac.action_ids)
    }

    /// Whether `user` holds a view-only role (the item layer caps such users at read).
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{Model, RoleSpec, Subject};
    /// let mut model = Model::new();
    /// model.rbac_mut().add_division("home", "Home")?;
    /// model.add_user("ada", None)?;
    /// model.rbac_mut().create_role(RoleSpec::new("viewer", "Viewer").view_only())?;
    /// model.rbac_mut().grant_role(Subject::User("ada"), "viewer", None)?;
    /// assert!(model.compile().rbac().is_view_only("ada"));
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    pub fn is_view_only(&self, user: impl Key<UserId>) -> bool {
        user.resolve(&self.org.users)
            .and_then(|u| self.rbac.combo_of(u))
            .is_some_and(|c| c.view_only)
    }

    /// Why `user` may or may not perform a global action. Always agrees with
    /// [`has_action`](Rbac::has_action).
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{ActionSpec, GlobalPermissionSpec, Model, Principal, RbacReason};
    /// let mut model = Model::new();
    /// model.add_user("ada", None)?;
    /// model.rbac_mut().add_action(ActionSpec::new("access_goals", "A"))?;
    /// model.rbac_mut().add_action(ActionSpec::new("manage_goals", "M").requiring("access_goals"))?;
    /// model.rbac_mut().create_global_permission(GlobalPermissionSpec::new("p1", "manage_goals", ["ada"]))?;
    /// let d = model.compile().rbac().explain_action("ada", "access_goals");
    /// assert_eq!(d.reason, RbacReason::ActionBound {
    ///     action: "access_goals".into(), permission: "p1".into(), principal: Principal::user("ada"),
    ///     via: Some("manage_goals".into()),
    /// });
    /// assert_eq!(
    ///     d.reason.to_string(),
    ///     "global permission \"p1\" binds \"manage_goals\", which implies \"access_goals\", to user \"ada\""
    /// );
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    pub fn explain_action(
        &self,
        user: impl Key<UserId>,
        action: impl Key<ActionId>,
    ) -> Decision<RbacReason> {
        let rbac = &self.rbac;
        let Some((u, c)) = user
            .resolve(&self.org.users)
            .and_then(|u| Some((u, rbac.combo_of(u)?)))
        else {
            return Decision::deny(RbacReason::UnknownUser {
                user: user.describe(),
            });
        };
        let Some(x) = action
            .resolve(&self.rbac.action_ids)
            .filter(|x| (x.as_u32() as usize) < rbac.action_requires.len())
        else {
            return Decision::deny(RbacReason::UnknownAction {
                action: action.describe(),
            });
        };
        let roles = rbac.grants_of(c);
        let name = |a: ActionId| rbac.action_ids.name(a).unwrap_or("").to_owned();
        for (id, bound, principals) in rbac.globals.iter() {
            if !requires_chain(&rbac.action_requires, *bound).any(|y| y == x) {
                continue;
            }
            let who = principals.iter().find(|p| match p {
                BoundPrincipal::User(v) => *v == u,
                BoundPrincipal::Role(r) => roles.iter().any(|g| g.role == *r),
            });
            if let Some(&p) = who {
                let principal = match p {
                    BoundPrincipal::User(v) => {
                        Principal::user(self.org.users.name(v).unwrap_or(""))
                    }
                    BoundPrincipal::Role(r) => Principal::role(rbac.role_ids.name(r).unwrap_or("")),
                };
                return Decision::allow(RbacReason::ActionBound {
                    action: name(x),
                    permission: id.clone(),
                    principal,
                    via: (*bound != x).then(|| name(*bound)),
                });
            }
        }
        Decision::deny(RbacReason::NoActionBinding { action: name(x) })
    }

    /// Memory of the compiled roles and permissions, per user and per distinct grant
    /// combination.
    ///
    /// # Examples
    ///
    /// ```
    /// let mem = orgperm::Model::new().compile().rbac().memory();
    /// assert_eq!((mem.users, mem.combos), (0, 0));
    /// ```
    pub fn memory(&self) -> RbacMemoryReport {
        self.rbac.memory(self.org.tree.len() as usize)
    }
}
