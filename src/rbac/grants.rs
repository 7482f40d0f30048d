//! Grants `(subject, role, division)` and the membership edits of the vendor API.
//!
//! A subject is a user, a group (whose members inherit the grant) or an OAuth client (an
//! API client of the organisation, known by the grants it holds: it holds no base role,
//! belongs to no group and is answered by the `client_*` checks of
//! [`Rbac`](crate::Rbac)). The division is one
//! division, `*` (every division, present and future) or, when absent, the home division at
//! the time of the grant. Every active user also holds the base role in the home division
//! (or, without any division, in no division: it then counts only where divisions do not
//! matter). A view-only role cannot be held together with another role (the base role
//! aside); every edit that could combine them is refused.

use crate::rbac::RbacMut;
use crate::rbac::RbacRef;
use smallvec::SmallVec;

use crate::id::{DenseId, UserId};
use crate::rbac::RbacStore;
use crate::rbac::error::{RbacError, RbacErrorKind};
use crate::rbac::ids::{GroupId, RoleId, SCOPE_ALL, SCOPE_NONE, ix};

/// Who a grant is for.
///
/// # Examples
///
/// ```
/// use orgperm::{Model, RoleSpec, Subject};
/// let mut model = Model::new();
/// model.rbac_mut().add_division("home", "Home")?;
/// model.add_user("ada", None)?;
/// model.rbac_mut().add_group("g", "Support")?;
/// model.rbac_mut().create_role(RoleSpec::new("r", "Agents"))?;
/// model.rbac_mut().grant_role(Subject::User("ada"), "r", None)?;
/// model.rbac_mut().grant_role(Subject::Group("g"), "r", Some("*"))?;
/// # Ok::<(), orgperm::ModelError>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Subject<'a> {
    /// A user, by external id.
    User(&'a str),
    /// A group, by external id.
    Group(&'a str),
    /// An OAuth client, by external id (its own kind: a client and a user may share an id).
    /// A client exists while it holds a grant.
    Client(&'a str),
}

/// Where a user's grant comes from.
///
/// # Examples
///
/// ```
/// use orgperm::GrantSource;
/// assert!(GrantSource::Direct < GrantSource::Group("g".into()));
/// ```
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum GrantSource {
    /// Granted to the user.
    Direct,
    /// Inherited from a group.
    Group(String),
    /// The base role every user holds.
    Base,
}

/// One grant as listed.
///
/// # Examples
///
/// ```
/// use orgperm::{GrantSource, GrantView};
/// let g = GrantView { role_id: "r".into(), division_id: "*".into(), source: GrantSource::Direct };
/// assert_eq!(g.division_id, "*");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct GrantView {
    /// The role.
    pub role_id: String,
    /// The division, `*` for all, empty for the base role in a model without divisions.
    pub division_id: String,
    /// Where it comes from.
    pub source: GrantSource,
}

/// A user's roles and grants (`UserAuthorization`), the answer of every membership edit.
///
/// # Examples
///
/// ```
/// use orgperm::{Model, RoleSpec};
/// let mut model = Model::new();
/// model.rbac_mut().add_division("home", "Home")?;
/// model.add_user("ada", None)?;
/// model.rbac_mut().create_role(RoleSpec::new("r", "Agents"))?;
/// let auth = model.rbac_mut().set_user_roles("ada", &["r"])?;
/// assert_eq!(auth.roles, ["r"]);
/// assert_eq!(auth.grants[0].division_id, "home");
/// # Ok::<(), orgperm::ModelError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UserAuthorization {
    /// The user.
    pub user_id: String,
    /// Every role held, directly, through a group or as the base role; sorted.
    pub roles: Vec<String>,
    /// Every grant, sorted by role, division and source.
    pub grants: Vec<GrantView>,
}

/// A stored grant: a role and a compiled scope (division index or [`SCOPE_ALL`]).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub(crate) struct Grant {
    pub(crate) role: RoleId,
    pub(crate) scope: u32,
}

/// The grants of users and groups, each list sorted and without duplicates.
#[derive(Clone, Debug, Default)]
pub(crate) struct Grants {
    /// By dense user id.
    users: Vec<Vec<Grant>>,
    /// By dense group id.
    groups: Vec<Vec<Grant>>,
    /// By OAuth client id; a client without grants has no entry.
    clients: std::collections::BTreeMap<String, Vec<Grant>>,
    /// How many grants (of users and groups) name each role, by role index, so that deleting
    /// a role asks one counter instead of scanning every grant.
    by_role: Vec<u32>,
    /// How many grants name each scope (division index, `*`, none).
    by_scope: hashbrown::HashMap<u32, u32>,
}

fn slot<T: Default>(v: &mut Vec<T>, i: usize) -> Option<&mut T> {
    if v.len() <= i {
        v.resize_with(i + 1, T::default);
    }
    v.get_mut(i)
}

/// Inserts `g` into the sorted list; whether it was new.
fn insert(list: &mut Vec<Grant>, g: Grant) -> bool {
    match list.binary_search(&g) {
        Ok(_) => false,
        Err(at) => {
            list.insert(at, g);
            true
        }
    }
}

impl Grants {
    fn counted(&mut self, g: Grant, added: bool) {
        let role = slot(&mut self.by_role, ix(g.role));
        let scope = self.by_scope.entry(g.scope).or_insert(0);
        if added {
            if let Some(n) = role {
                *n += 1;
            }
            *scope += 1;
        } else {
            if let Some(n) = role {
                *n = n.saturating_sub(1);
            }
            *scope = scope.saturating_sub(1);
        }
    }

    fn list_mut(&mut self, subject: SubjectId<'_>) -> Option<&mut Vec<Grant>> {
        match subject {
            SubjectId::User(u) => self.users.get_mut(u.index() as usize),
            SubjectId::Group(g) => self.groups.get_mut(ix(g)),
            SubjectId::Client(c) => self.clients.get_mut(c),
        }
    }

    /// Removes one grant of a subject; whether it was there.
    fn remove(&mut self, subject: SubjectId<'_>, target: Grant) -> bool {
        let removed = self.list_mut(subject).is_some_and(|list| {
            list.binary_search(&target)
                .map(|at| {
                    list.remove(at);
                })
                .is_ok()
        });
        if removed {
            self.counted(target, false);
        }
        if let SubjectId::Client(c) = subject {
            if self.clients.get(c).is_some_and(Vec::is_empty) {
                self.clients.remove(c);
            }
        }
        removed
    }

    /// Adds a client grant; whether it was new.
    fn add_client(&mut self, client: &str, g: Grant) -> bool {
        let added = insert(self.clients.entry(client.to_owned()).or_default(), g);
        if added {
            self.counted(g, true);
        }
        added
    }

    /// Drops every grant of a client; whether it held any.
    fn clear_client(&mut self, client: &str) -> bool {
        let Some(list) = self.clients.remove(client) else {
            return false;
        };
        for g in list {
            self.counted(g, false);
        }
        true
    }

    /// The grants of a client (empty for an unknown one).
    pub(crate) fn client(&self, client: &str) -> &[Grant] {
        self.clients.get(client).map(Vec::as_slice).unwrap_or(&[])
    }

    /// The clients and their grants, sorted by id.
    pub(crate) fn clients(&self) -> impl Iterator<Item = (&str, &[Grant])> + '_ {
        self.clients.iter().map(|(c, l)| (c.as_str(), l.as_slice()))
    }

    /// Removes every grant of a subject that `drop` selects.
    fn remove_where(&mut self, subject: SubjectId<'_>, drop: impl Fn(&Grant) -> bool) {
        let mut gone = Vec::new();
        if let Some(list) = self.list_mut(subject) {
            list.retain(|g| {
                let d = drop(g);
                if d {
                    gone.push(*g);
                }
                !d
            });
        }
        for g in gone {
            self.counted(g, false);
        }
    }

    pub(crate) fn user(&self, u: UserId) -> &[Grant] {
        self.users
            .get(u.index() as usize)
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }

    pub(crate) fn group(&self, g: GroupId) -> &[Grant] {
        self.groups.get(ix(g)).map(Vec::as_slice).unwrap_or(&[])
    }

    pub(crate) fn add_user(&mut self, u: UserId, g: Grant) {
        let added = slot(&mut self.users, u.index() as usize).is_some_and(|list| insert(list, g));
        if added {
            self.counted(g, true);
        }
    }

    /// Adds a group grant; whether it was new.
    pub(crate) fn add_group(&mut self, group: GroupId, g: Grant) -> bool {
        let added = slot(&mut self.groups, ix(group)).is_some_and(|list| insert(list, g));
        if added {
            self.counted(g, true);
        }
        added
    }

    pub(crate) fn clear_user(&mut self, u: UserId) {
        self.remove_where(SubjectId::User(u), |_| true);
    }

    pub(crate) fn clear_group(&mut self, g: GroupId) {
        self.remove_where(SubjectId::Group(g), |_| true);
    }

    /// Number of grants naming a role: O(1).
    pub(crate) fn count_role(&self, r: RoleId) -> usize {
        self.by_role.get(ix(r)).map_or(0, |&n| n as usize)
    }

    /// Whether a grant names this scope: O(1).
    pub(crate) fn names_scope(&self, scope: u32) -> bool {
        self.by_scope.get(&scope).is_some_and(|&n| n > 0)
    }

    /// Users with a grant list, by dense id.
    pub(crate) fn users(&self) -> impl Iterator<Item = (UserId, &[Grant])> + '_ {
        self.users
            .iter()
            .enumerate()
            .map(|(u, l)| (UserId::from_index(u as u32), l.as_slice()))
    }

    /// Groups with a grant list, by dense id.
    pub(crate) fn groups(&self) -> impl Iterator<Item = (GroupId, &[Grant])> + '_ {
        self.groups
            .iter()
            .enumerate()
            .map(|(g, l)| (GroupId::new(g as u32), l.as_slice()))
    }
}

impl RbacStore {
    /// Drops everything that names a removed user: grants, memberships, principals.
    pub(crate) fn forget_user(&mut self, u: UserId) {
        self.grants.clear_user(u);
        self.groups.forget_user(u);
        self.actions.forget_user(u);
    }

    /// The scope of the base role's implicit grant.
    pub(crate) fn base_scope(&self) -> u32 {
        self.divisions.home.map_or(SCOPE_NONE, |h| h.as_u32())
    }
}

/// A resolved subject.
#[derive(Clone, Copy)]
enum SubjectId<'s> {
    User(UserId),
    Group(GroupId),
    Client(&'s str),
}

impl<'m> RbacMut<'m> {
    /// Grants a role to a user or a group in a division (`None`: the home division, `"*"`:
    /// all divisions, present and future). Granting what is already granted changes nothing.
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{ErrorKind, Model, RbacErrorKind, RoleSpec, Subject};
    /// let mut model = Model::new();
    /// model.add_user("ada", None)?;
    /// model.rbac_mut().create_role(RoleSpec::new("r", "Agents"))?;
    /// let err = model.rbac_mut().grant_role(Subject::User("ada"), "r", None).unwrap_err();
    /// assert_eq!(err.kind(), &RbacErrorKind::NoHomeDivision);
    /// model.rbac_mut().add_division("home", "Home")?;
    /// model.rbac_mut().grant_role(Subject::User("ada"), "r", None)?;
    /// assert_eq!(model.rbac().user_authorization("ada")?.roles, ["r"]);
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    pub fn grant_role(
        &mut self,
        subject: Subject<'_>,
        role: &str,
        division: Option<&str>,
    ) -> Result<(), RbacError> {
        let scope = self.rbac.divisions.scope(division, "divisionId")?;
        self.grant_in(subject, role, scope)
    }

    /// Grants a role to a user, group or client in no division: for families without
    /// divisions (Quantive), where a Genesys grant would need a home division to exist. The
    /// grant counts wherever divisions do not matter — [`has_permission`](crate::Rbac::has_permission),
    /// permissions that are not division-aware, the role's actions and item entries naming
    /// the role — and for no division-aware check on an object. Granting it again changes
    /// nothing.
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{ActionSpec, GlobalPermissionSpec, Model, Principal, RoleSpec, Subject};
    /// let mut model = Model::new(); // no divisions at all
    /// model.add_user("ada", None)?;
    /// model.rbac_mut().create_role(RoleSpec::new("editors", "Editors"))?;
    /// model.rbac_mut().add_action(ActionSpec::new("manage-goals", "Manage goals"))?;
    /// model.rbac_mut().create_global_permission(GlobalPermissionSpec::new("p1", "manage-goals", [Principal::role("editors")]))?;
    /// model.rbac_mut().grant_role_undivided(Subject::User("ada"), "editors")?;
    /// let snap = model.compile();
    /// assert!(snap.rbac().has_action("ada", "manage-goals"));
    /// assert_eq!(model.rbac().subject_grants(Subject::User("ada"))?[0].division_id, "");
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    pub fn grant_role_undivided(
        &mut self,
        subject: Subject<'_>,
        role: &str,
    ) -> Result<(), RbacError> {
        self.grant_in(subject, role, SCOPE_NONE)
    }

    /// Revokes an undivided grant ([`grant_role_undivided`](Self::grant_role_undivided)).
    /// Returns whether it existed.
    pub fn revoke_role_undivided(
        &mut self,
        subject: Subject<'_>,
        role: &str,
    ) -> Result<bool, RbacError> {
        self.revoke_in(subject, role, SCOPE_NONE)
    }

    fn grant_in(&mut self, subject: Subject<'_>, role: &str, scope: u32) -> Result<(), RbacError> {
        let s = self.read().subject(subject)?;
        let (r, _) = self.rbac.roles.live_or_err(role, "roleId")?;
        match s {
            SubjectId::User(u) => {
                self.read().check_view_only_with(u, None, &[r])?;
                self.rbac.grants.add_user(u, Grant { role: r, scope });
            }
            SubjectId::Group(g) => {
                let members: Vec<UserId> = self
                    .rbac
                    .groups
                    .group(g)
                    .map(|x| x.members.iter().copied().collect())
                    .unwrap_or_default();
                for u in members.into_iter().filter(|&u| self.dir.is_active(u)) {
                    self.read().check_view_only_with(u, None, &[r])?;
                }
                if self.rbac.grants.add_group(g, Grant { role: r, scope }) {
                    self.rbac.groups.group_grant_changed(g, r, true);
                }
            }
            SubjectId::Client(c) => {
                self.rbac.grants.add_client(c, Grant { role: r, scope });
            }
        }
        Ok(())
    }

    /// Removes every grant of an OAuth client (the client then no longer exists). Returns
    /// whether it held any.
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{Model, RoleSpec, Subject};
    /// let mut model = Model::new();
    /// model.rbac_mut().create_role(RoleSpec::new("r", "Integrations"))?;
    /// model.rbac_mut().grant_role(Subject::Client("crm-sync"), "r", Some("*"))?;
    /// assert_eq!(model.rbac().client_ids().collect::<Vec<_>>(), ["crm-sync"]);
    /// assert!(model.rbac_mut().remove_client("crm-sync"));
    /// assert!(model.rbac().client_ids().next().is_none());
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    pub fn remove_client(&mut self, client: &str) -> bool {
        self.rbac.grants.clear_client(client)
    }

    /// Revokes one grant. Returns whether it existed. The base role's implicit grant cannot
    /// be revoked (revoking an explicit grant of it leaves the implicit one).
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{Model, RoleSpec, Subject};
    /// let mut model = Model::new();
    /// model.rbac_mut().add_division("home", "Home")?;
    /// model.add_user("ada", None)?;
    /// model.rbac_mut().create_role(RoleSpec::new("r", "Agents"))?;
    /// model.rbac_mut().grant_role(Subject::User("ada"), "r", Some("*"))?;
    /// assert!(!model.rbac_mut().revoke_role(Subject::User("ada"), "r", None)?); // not in home
    /// assert!(model.rbac_mut().revoke_role(Subject::User("ada"), "r", Some("*"))?);
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    pub fn revoke_role(
        &mut self,
        subject: Subject<'_>,
        role: &str,
        division: Option<&str>,
    ) -> Result<bool, RbacError> {
        let scope = self.rbac.divisions.scope(division, "divisionId")?;
        self.revoke_in(subject, role, scope)
    }

    fn revoke_in(
        &mut self,
        subject: Subject<'_>,
        role: &str,
        scope: u32,
    ) -> Result<bool, RbacError> {
        let s = self.read().subject(subject)?;
        let (r, _) = self.rbac.roles.live_or_err(role, "roleId")?;
        let target = Grant { role: r, scope };
        let removed = self.rbac.grants.remove(s, target);
        if let (true, SubjectId::Group(g)) = (removed, s) {
            self.rbac.groups.group_grant_changed(g, r, false);
        }
        Ok(removed)
    }

    /// Replaces a user's own grants with the given roles in the home division
    /// (`PUT /users/{id}/roles`). Group grants and the base role stay.
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{Model, RoleSpec};
    /// let mut model = Model::new();
    /// model.rbac_mut().add_division("home", "Home")?;
    /// model.add_user("ada", None)?;
    /// model.rbac_mut().create_role(RoleSpec::new("a", "A"))?;
    /// model.rbac_mut().create_role(RoleSpec::new("b", "B"))?;
    /// model.rbac_mut().set_user_roles("ada", &["a"])?;
    /// assert_eq!(model.rbac_mut().set_user_roles("ada", &["b"])?.roles, ["b"]);
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    pub fn set_user_roles(
        &mut self,
        user: &str,
        roles: &[&str],
    ) -> Result<UserAuthorization, RbacError> {
        let u = self.read().user_or_err(user, "userId")?;
        let mut ids = Vec::with_capacity(roles.len());
        for (i, role) in roles.iter().enumerate() {
            let (r, _) = self.rbac.roles.live_or_err(role, &format!("[{i}]"))?;
            ids.push(r);
        }
        let scope = if ids.is_empty() {
            SCOPE_NONE
        } else {
            self.rbac.divisions.scope(None, "divisionId")?
        };
        self.read().check_view_only_with(u, Some(&ids), &[])?;
        self.rbac.grants.clear_user(u);
        for r in ids {
            self.rbac.grants.add_user(u, Grant { role: r, scope });
        }
        self.read().user_authorization(user)
    }

    /// Removes every grant made to the user directly (`DELETE /users/{id}/roles`). Group
    /// grants and the base role stay.
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{DefaultRoleTemplate, Model, RoleSpec};
    /// let mut model = Model::new();
    /// model.rbac_mut().add_division("home", "Home")?;
    /// model.add_user("ada", None)?;
    /// model.rbac_mut().set_default_role_template(DefaultRoleTemplate::new("employee", RoleSpec::new("emp", "Employee")).base())?;
    /// model.rbac_mut().restore_default_roles(false)?;
    /// model.rbac_mut().create_role(RoleSpec::new("a", "A"))?;
    /// model.rbac_mut().set_user_roles("ada", &["a"])?;
    /// assert_eq!(model.rbac_mut().remove_user_roles("ada")?.roles, ["emp"]);
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    pub fn remove_user_roles(&mut self, user: &str) -> Result<UserAuthorization, RbacError> {
        let u = self.read().user_or_err(user, "userId")?;
        self.rbac.grants.clear_user(u);
        self.read().user_authorization(user)
    }

    /// Grants a role to users in the home division (`PUT /authorization/roles/{id}/users/add`).
    /// Returns the users holding the role directly, sorted.
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{Model, RoleSpec};
    /// let mut model = Model::new();
    /// model.rbac_mut().add_division("home", "Home")?;
    /// model.add_user("b", None)?;
    /// model.add_user("a", None)?;
    /// model.rbac_mut().create_role(RoleSpec::new("r", "Agents"))?;
    /// assert_eq!(model.rbac_mut().add_role_users("r", &["b", "a"])?, ["a", "b"]);
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    pub fn add_role_users(&mut self, role: &str, users: &[&str]) -> Result<Vec<&str>, RbacError> {
        let (r, _) = self.rbac.roles.live_or_err(role, "roleId")?;
        let ids = self.read().resolve_users(users)?;
        let scope = self.rbac.divisions.scope(None, "divisionId")?;
        for &u in &ids {
            self.read().check_view_only_with(u, None, &[r])?;
        }
        for u in ids {
            self.rbac.grants.add_user(u, Grant { role: r, scope });
        }
        Ok(self.read().direct_holders(r))
    }

    /// Takes a role (in every division) from users (`PUT /authorization/roles/{id}/users/remove`).
    /// The base role cannot be removed. Returns the users still holding it directly, sorted.
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{Model, RoleSpec};
    /// let mut model = Model::new();
    /// model.rbac_mut().add_division("home", "Home")?;
    /// model.add_user("a", None)?;
    /// model.add_user("b", None)?;
    /// model.rbac_mut().create_role(RoleSpec::new("r", "Agents"))?;
    /// model.rbac_mut().add_role_users("r", &["a", "b"])?;
    /// assert_eq!(model.rbac_mut().remove_role_users("r", &["a"])?, ["b"]);
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    pub fn remove_role_users(
        &mut self,
        role: &str,
        users: &[&str],
    ) -> Result<Vec<&str>, RbacError> {
        let (r, _) = self.rbac.roles.live_or_err(role, "roleId")?;
        if self.rbac.base_role() == Some(r) {
            return Err(RbacError::at(
                "roleId",
                RbacErrorKind::BaseRoleNotRemovable {
                    id: role.to_owned(),
                },
            ));
        }
        let ids = self.read().resolve_users(users)?;
        for u in ids {
            self.rbac
                .grants
                .remove_where(SubjectId::User(u), |g| g.role == r);
        }
        Ok(self.read().direct_holders(r))
    }
}

impl<'m> RbacRef<'m> {
    fn subject<'s>(&self, subject: Subject<'s>) -> Result<SubjectId<'s>, RbacError> {
        match subject {
            Subject::Client("") => Err(RbacError::at(
                "clientId",
                crate::error::InputErrorKind::EmptyId,
            )),
            Subject::Client(c) => Ok(SubjectId::Client(c)),
            Subject::User(u) => self.user_or_err(u, "userId").map(SubjectId::User),
            Subject::Group(g) => self
                .rbac
                .groups
                .live_or_err(g, "groupId")
                .map(|(g, _)| SubjectId::Group(g)),
        }
    }

    /// The roles `u` holds directly and through groups, the base role left out; `direct`
    /// replaces the user's own grants when given.
    pub(crate) fn held_roles(&self, u: UserId, direct: Option<&[RoleId]>) -> SmallVec<[RoleId; 8]> {
        let mut roles: SmallVec<[RoleId; 8]> = match direct {
            Some(d) => d.iter().copied().collect(),
            None => self.rbac.grants.user(u).iter().map(|g| g.role).collect(),
        };
        // The distinct roles held through groups, counted as groups gain and lose members
        // and grants: O(roles), not O(groups).
        roles.extend(self.rbac.groups.roles_via_groups(u));
        roles
    }

    /// Refuses a role set that combines a view-only role with another (base role aside).
    /// The view-only rule for `u` holding what `held_roles(u, direct)` lists plus `extra`.
    /// Without any live view-only role the rule cannot fail, and nothing is scanned: a user
    /// in n groups then costs O(1) per edit instead of O(n).
    pub(crate) fn check_view_only_with(
        &self,
        u: UserId,
        direct: Option<&[RoleId]>,
        extra: &[RoleId],
    ) -> Result<(), RbacError> {
        if !self.rbac.roles.any_view_only() {
            return Ok(());
        }
        let mut roles = self.held_roles(u, direct);
        roles.extend(extra.iter().copied());
        self.check_view_only(u, roles)
    }

    pub(crate) fn check_view_only(
        &self,
        u: UserId,
        mut roles: SmallVec<[RoleId; 8]>,
    ) -> Result<(), RbacError> {
        let base = self.rbac.base_role();
        roles.retain(|r| Some(*r) != base);
        roles.sort_unstable();
        roles.dedup();
        if roles.len() < 2 {
            return Ok(());
        }
        let Some(&v) = roles.iter().find(|&&r| self.rbac.roles.is_view_only(r)) else {
            return Ok(());
        };
        let other = roles.iter().copied().find(|&r| r != v).unwrap_or(v);
        Err(RbacError::at(
            "roleId",
            RbacErrorKind::ViewOnlyConflict {
                user: self.dir.name(u).to_owned(),
                view_only: self.rbac.roles.name(v).to_owned(),
                other: self.rbac.roles.name(other).to_owned(),
            },
        ))
    }

    /// Refuses to make role `r` view-only while a holder has another role.
    pub(crate) fn check_becomes_view_only(&self, r: RoleId) -> Result<(), RbacError> {
        for u in self.role_holders(r) {
            let mut roles = self.held_roles(u, None);
            roles.retain(|x| *x != r);
            roles.sort_unstable();
            roles.dedup();
            let base = self.rbac.base_role();
            if let Some(&other) = roles.iter().find(|&&x| Some(x) != base) {
                return Err(RbacError::at(
                    "viewOnly",
                    RbacErrorKind::ViewOnlyConflict {
                        user: self.dir.name(u).to_owned(),
                        view_only: self.rbac.roles.name(r).to_owned(),
                        other: self.rbac.roles.name(other).to_owned(),
                    },
                ));
            }
        }
        Ok(())
    }

    /// Active users holding `r` directly or through a group, in dense-id order.
    fn role_holders(&self, r: RoleId) -> Vec<UserId> {
        let mut out: Vec<UserId> = self
            .rbac
            .grants
            .users()
            .filter(|(u, l)| self.dir.is_active(*u) && l.iter().any(|g| g.role == r))
            .map(|(u, _)| u)
            .collect();
        for (g, l) in self.rbac.grants.groups() {
            if l.iter().any(|x| x.role == r) {
                if let Some(group) = self.rbac.groups.group(g) {
                    out.extend(group.members.iter().filter(|&&u| self.dir.is_active(u)));
                }
            }
        }
        out.sort_unstable();
        out.dedup();
        out
    }

    /// Number of active users holding each role (by dense role id), the base role held by
    /// all.
    pub(crate) fn role_user_counts(&self) -> Vec<usize> {
        let mut counts = vec![0usize; self.rbac.roles.slots.len()];
        let mut roles: SmallVec<[RoleId; 8]> = SmallVec::new();
        let mut active = 0;
        for (i, &on) in self.dir.active_table().iter().enumerate() {
            if !on {
                continue;
            }
            active += 1;
            roles.clear();
            roles.extend(self.held_roles(UserId::from_index(i as u32), None));
            roles.sort_unstable();
            roles.dedup();
            for r in &roles {
                if let Some(c) = counts.get_mut(ix(*r)) {
                    *c += 1;
                }
            }
        }
        if let Some(c) = self.rbac.base_role().and_then(|b| counts.get_mut(ix(b))) {
            *c = active;
        }
        counts
    }

    /// The grants made to a user or a group directly, sorted.
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{Model, RoleSpec, Subject};
    /// let mut model = Model::new();
    /// model.rbac_mut().add_division("home", "Home")?;
    /// model.rbac_mut().add_group("g", "Support")?;
    /// model.rbac_mut().create_role(RoleSpec::new("r", "Agents"))?;
    /// model.rbac_mut().grant_role(Subject::Group("g"), "r", Some("*"))?;
    /// let grants = model.rbac().subject_grants(Subject::Group("g"))?;
    /// assert_eq!((grants[0].role_id.as_str(), grants[0].division_id.as_str()), ("r", "*"));
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    pub fn subject_grants(&self, subject: Subject<'_>) -> Result<Vec<GrantView>, RbacError> {
        let list = match self.subject(subject)? {
            SubjectId::User(u) => self.rbac.grants.user(u),
            SubjectId::Group(g) => self.rbac.grants.group(g),
            SubjectId::Client(c) => self.rbac.grants.client(c),
        };
        let mut out: Vec<GrantView> = list
            .iter()
            .map(|g| self.grant_view(g, GrantSource::Direct))
            .collect();
        out.sort();
        Ok(out)
    }

    fn grant_view(&self, g: &Grant, source: GrantSource) -> GrantView {
        let division_id = if g.scope == SCOPE_NONE {
            String::new()
        } else {
            self.rbac.divisions.scope_name(g.scope).to_owned()
        };
        GrantView {
            role_id: self.rbac.roles.name(g.role).to_owned(),
            division_id,
            source,
        }
    }

    /// The OAuth clients holding grants, sorted.
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(orgperm::Model::new().rbac().client_ids().next().is_none());
    /// ```
    pub fn client_ids(&self) -> impl Iterator<Item = &'m str> + 'm {
        self.rbac.grants.clients().map(|(c, _)| c)
    }

    /// A user's roles and grants, direct, inherited and base (`GET /users/{id}/roles`).
    ///
    /// # Examples
    ///
    /// ```
    /// let mut model = orgperm::Model::new();
    /// model.add_user("ada", None).unwrap();
    /// assert!(model.rbac().user_authorization("ada").unwrap().roles.is_empty());
    /// assert!(model.rbac().user_authorization("bob").is_err());
    /// ```
    pub fn user_authorization(&self, user: &str) -> Result<UserAuthorization, RbacError> {
        let u = self.user_or_err(user, "userId")?;
        let mut grants: Vec<GrantView> = self
            .rbac
            .grants
            .user(u)
            .iter()
            .map(|g| self.grant_view(g, GrantSource::Direct))
            .collect();
        for &g in self.rbac.groups.of(u) {
            let source = GrantSource::Group(self.rbac.groups.name(g).to_owned());
            grants.extend(
                self.rbac
                    .grants
                    .group(g)
                    .iter()
                    .map(|x| self.grant_view(x, source.clone())),
            );
        }
        if let Some(base) = self.rbac.base_role() {
            let g = Grant {
                role: base,
                scope: self.rbac.base_scope(),
            };
            grants.push(self.grant_view(&g, GrantSource::Base));
        }
        grants.sort();
        let mut roles: Vec<String> = grants.iter().map(|g| g.role_id.clone()).collect();
        roles.sort();
        roles.dedup();
        Ok(UserAuthorization {
            user_id: user.to_owned(),
            roles,
            grants,
        })
    }

    fn direct_holders(&self, r: RoleId) -> Vec<&'m str> {
        let mut out: Vec<&str> = self
            .rbac
            .grants
            .users()
            .filter(|(u, l)| self.dir.is_active(*u) && l.iter().any(|g| g.role == r))
            .map(|(u, _)| self.dir.name(u))
            .collect();
        out.sort_unstable();
        out
    }

    /// Every active user holding a role, directly, through a group or as the base role;
    /// sorted.
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{Model, RoleSpec, Subject};
    /// let mut model = Model::new();
    /// model.rbac_mut().add_division("home", "Home")?;
    /// model.add_user("a", None)?;
    /// model.rbac_mut().add_group("g", "Support")?;
    /// model.rbac_mut().add_group_members("g", &["a"])?;
    /// model.rbac_mut().create_role(RoleSpec::new("r", "Agents"))?;
    /// model.rbac_mut().grant_role(Subject::Group("g"), "r", None)?;
    /// assert_eq!(model.rbac().role_users("r")?, ["a"]);
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    pub fn role_users(&self, role: &str) -> Result<Vec<&'m str>, RbacError> {
        let (r, _) = self.rbac.roles.live_or_err(role, "roleId")?;
        let mut out: Vec<&str> = if self.rbac.base_role() == Some(r) {
            let dir = self.dir;
            dir.ids
                .iter()
                .filter(|&(u, _)| dir.is_active(u))
                .map(|(_, name)| name)
                .collect()
        } else {
            self.role_holders(r)
                .into_iter()
                .map(|u| self.dir.name(u))
                .collect()
        };
        out.sort_unstable();
        Ok(out)
    }
}

/// Whether `scope` covers division index `d` (a division grant or `*`).
#[inline]
pub(crate) fn covers(scope: u32, d: u32) -> bool {
    scope == SCOPE_ALL || scope == d
}
