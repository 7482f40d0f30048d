//! Actions bound to principals (Gtmhub/Quantive `GET /permissions/actions`, `/permissions`):
//! an action catalog `{name, title, description}` where an action may require another
//! (granting `manage_goals` implies `access_goals`), and global permission objects
//! `{id, action, principals}` binding an action to users and roles.
//!
//! Effective actions of a role are the actions bound to it; of a user, those bound to the
//! user or to any role the user holds (directly, through a group, or the base role); both
//! closed under `requires`. Revoking a principal's explicit binding to an action also
//! removes its bindings to every action that requires it ("revoking access removes manage").

use crate::rbac::RbacMut;
use crate::rbac::RbacRef;
use std::collections::{BTreeMap, BTreeSet};

use crate::error::InputErrorKind;
use crate::id::registry::Registry;
use crate::id::{NONE, UserId};
use crate::org::error::OrgErrorKind;
use crate::rbac::error::{RbacError, RbacErrorKind};
use crate::rbac::ids::{ActionId, RoleId, ix};

/// An action of the catalog.
///
/// # Examples
///
/// ```
/// use orgperm::{ActionSpec, Model};
/// let mut model = Model::new();
/// model.rbac_mut().add_action(ActionSpec::new("access_goals", "Access goals"))?;
/// model.rbac_mut().add_action(ActionSpec::new("manage_goals", "Manage goals").requiring("access_goals"))?;
/// assert_eq!(model.rbac().action("manage_goals").unwrap().requires.as_deref(), Some("access_goals"));
/// # Ok::<(), orgperm::ModelError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct ActionSpec {
    /// Name (the id).
    pub name: String,
    /// Title.
    pub title: String,
    /// Description.
    pub description: String,
    /// The action this one implies (a "manage" action requires its "access" action).
    pub requires: Option<String>,
}

impl ActionSpec {
    /// An action without description or requirement.
    pub fn new(name: impl Into<String>, title: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            title: title.into(),
            ..Self::default()
        }
    }

    /// The same action with a description.
    pub fn with_description(mut self, description: impl Into<String>) -> Self {
        self.description = description.into();
        self
    }

    /// The same action, implying `action`.
    pub fn requiring(mut self, action: impl Into<String>) -> Self {
        self.requires = Some(action.into());
        self
    }
}

/// A global permission object: an action bound to principals (users and roles, each with
/// its kind; see [`Principal`]).
///
/// # Examples
///
/// ```
/// use orgperm::{ActionSpec, GlobalPermissionSpec, Model, Principal, RoleSpec};
/// let mut model = Model::new();
/// model.add_user("ada", None)?;
/// model.rbac_mut().create_role(RoleSpec::new("editors", "Editors"))?;
/// model.rbac_mut().add_action(ActionSpec::new("access_goals", "Access goals"))?;
/// model.rbac_mut().create_global_permission(GlobalPermissionSpec::new("p1", "access_goals", ["ada", "editors"]))?;
/// assert_eq!(
///     model.rbac().global_permission("p1").unwrap().principals,
///     [Principal::user("ada"), Principal::role("editors")]
/// );
/// # Ok::<(), orgperm::ModelError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct GlobalPermissionSpec {
    /// Id.
    pub id: String,
    /// The action.
    pub action: String,
    /// Users and roles. As returned by the model: resolved (`User` or `Role`), users first,
    /// each kind sorted by id.
    pub principals: Vec<Principal>,
}

impl GlobalPermissionSpec {
    /// A permission object; bare strings become [`Principal::Id`].
    pub fn new<S: Into<Principal>>(
        id: impl Into<String>,
        action: impl Into<String>,
        principals: impl IntoIterator<Item = S>,
    ) -> Self {
        Self {
            id: id.into(),
            action: action.into(),
            principals: principals.into_iter().map(Into::into).collect(),
        }
    }
}

/// A principal of a global permission: a user or a role, always with its kind, so that a
/// user and a role sharing an external id never collide.
///
/// [`Principal::Id`] is the convenience for Gtmhub's API, which sends bare id strings: it
/// resolves to the user or the role with that id when exactly one exists, and is refused
/// with [`RbacErrorKind::AmbiguousPrincipal`] when both do ([`RbacErrorKind::UnknownPrincipal`] when
/// neither). What the model stores and returns is always `User` or `Role`. A `&str` or a
/// `String` converts into `Id`.
///
/// In the model document a principal is `{"kind": "user", "id": "u5"}` or
/// `{"kind": "role", "id": "u5"}`.
///
/// # Examples
///
/// ```
/// use orgperm::{ActionSpec, ErrorKind, GlobalPermissionSpec, Model, Principal, RbacErrorKind, RoleSpec};
/// let mut model = Model::new();
/// model.add_user("u5", None)?;
/// model.rbac_mut().create_role(RoleSpec::new("u5", "Same id as the user"))?;
/// model.rbac_mut().add_action(ActionSpec::new("access_goals", "Access goals"))?;
/// let both = [Principal::user("u5"), Principal::role("u5")];
/// model.rbac_mut().create_global_permission(GlobalPermissionSpec::new("p1", "access_goals", both.clone()))?;
/// assert_eq!(model.rbac().global_permission("p1").unwrap().principals, both);
/// let bare = GlobalPermissionSpec::new("p2", "access_goals", ["u5"]);
/// let err = model.rbac_mut().create_global_permission(bare).unwrap_err();
/// assert_eq!(err.kind(), &RbacErrorKind::AmbiguousPrincipal { id: "u5".into() });
/// # Ok::<(), orgperm::ModelError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Principal {
    /// A directory user, by external id.
    User(String),
    /// A role, by external id.
    Role(String),
    /// A bare id, resolved when unambiguous (see the type docs).
    Id(String),
}

impl Principal {
    /// A user principal.
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::Principal;
    /// assert_eq!(Principal::user("u5"), Principal::User("u5".into()));
    /// assert_ne!(Principal::user("u5"), Principal::role("u5"));
    /// ```
    pub fn user(id: impl Into<String>) -> Self {
        Principal::User(id.into())
    }

    /// A role principal.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(orgperm::Principal::role("r1").id(), "r1");
    /// ```
    pub fn role(id: impl Into<String>) -> Self {
        Principal::Role(id.into())
    }

    /// The external id, whatever the kind.
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::Principal;
    /// assert_eq!(Principal::from("u5"), Principal::Id("u5".into()));
    /// assert_eq!(Principal::from("u5").id(), Principal::user("u5").id());
    /// ```
    pub fn id(&self) -> &str {
        match self {
            Principal::User(id) | Principal::Role(id) | Principal::Id(id) => id,
        }
    }
}

impl From<&str> for Principal {
    fn from(id: &str) -> Self {
        Principal::Id(id.to_owned())
    }
}

impl From<String> for Principal {
    fn from(id: String) -> Self {
        Principal::Id(id)
    }
}

impl From<&String> for Principal {
    fn from(id: &String) -> Self {
        Principal::Id(id.clone())
    }
}

/// A resolved principal, in dense ids with its kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum BoundPrincipal {
    User(UserId),
    Role(RoleId),
}

/// A stored global permission.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct StoredGlobal {
    pub(crate) action: ActionId,
    /// Sorted, without duplicates.
    pub(crate) principals: Vec<BoundPrincipal>,
}

/// The action catalog and the global permissions.
#[derive(Clone, Debug, Default)]
pub(crate) struct Actions {
    /// By dense id (append-only: an action is never removed).
    pub(crate) entries: Registry<ActionId, ActionSpec>,
    /// The action each one requires, `NONE` for none.
    pub(crate) requires: Vec<u32>,
    pub(crate) globals: BTreeMap<String, StoredGlobal>,
    /// `(u, id)` exactly when global permission `id` names user `u`: rebuilt after every
    /// edit of the globals (which already costs a pass over them), so that forgetting a user
    /// costs their bindings.
    by_user: BTreeSet<(UserId, String)>,
}

impl Actions {
    pub(crate) fn name(&self, a: ActionId) -> &str {
        self.entries.name(a)
    }

    /// `a` and every action it requires, directly or not.
    pub(crate) fn closure(&self, a: ActionId) -> impl Iterator<Item = ActionId> + '_ {
        requires_chain(&self.requires, a)
    }

    /// The actions that require `a`, directly or not (without `a`).
    fn dependents(&self, a: ActionId) -> BTreeSet<ActionId> {
        self.dependents_of([a])
    }

    /// The actions that require one of `roots`, directly or not (a root is included only
    /// when it requires another root): the subtrees of the roots in the forest of `requires`
    /// links, found in one breadth-first walk over a child index built in one pass
    /// (O(actions · log actions) however many roots).
    fn dependents_of(&self, roots: impl IntoIterator<Item = ActionId>) -> BTreeSet<ActionId> {
        let n = self.requires.len();
        // Children of each action as one sorted run: (parent, child) pairs sorted by parent.
        let mut edges: Vec<(u32, u32)> = self
            .requires
            .iter()
            .enumerate()
            .filter(|&(_, &r)| r != NONE)
            .map(|(x, &r)| (r, x as u32))
            .collect();
        edges.sort_unstable();
        let mut out = BTreeSet::new();
        let mut seen = vec![false; n];
        let mut queue: Vec<u32> = roots.into_iter().map(|a| a.as_u32()).collect();
        while let Some(p) = queue.pop() {
            let from = edges.partition_point(|&(q, _)| q < p);
            let children = edges.get(from..).unwrap_or(&[]);
            for &(_, x) in children.iter().take_while(|&&(q, _)| q == p) {
                if let Some(s) = seen.get_mut(x as usize).filter(|s| !**s) {
                    *s = true;
                    out.insert(ActionId::new(x));
                    queue.push(x);
                }
            }
        }
        out
    }

    /// A global permission naming the role, if any.
    pub(crate) fn global_naming_role(&self, r: RoleId) -> Option<&str> {
        self.globals
            .iter()
            .find(|(_, g)| g.principals.contains(&BoundPrincipal::Role(r)))
            .map(|(id, _)| id.as_str())
    }

    /// Drops a removed user from every global permission: O(k log n) for their k bindings.
    /// No cascade is needed: every binding of theirs goes.
    pub(crate) fn forget_user(&mut self, u: UserId) {
        let ids: Vec<String> = self
            .by_user
            .range((u, String::new())..)
            .take_while(|(v, _)| *v == u)
            .map(|(_, id)| id.clone())
            .collect();
        for id in ids {
            if let Some(g) = self.globals.get_mut(&id) {
                g.principals.retain(|p| *p != BoundPrincipal::User(u));
            }
            self.by_user.remove(&(u, id));
        }
    }

    /// Rebuilds `by_user` from the globals.
    fn reindex(&mut self) {
        self.by_user = self
            .globals
            .iter()
            .flat_map(|(id, g)| {
                g.principals.iter().filter_map(move |p| match p {
                    BoundPrincipal::User(u) => Some((*u, id.clone())),
                    BoundPrincipal::Role(_) => None,
                })
            })
            .collect();
    }

    /// The actions explicitly bound to a principal.
    fn explicit(globals: &BTreeMap<String, StoredGlobal>, p: BoundPrincipal) -> BTreeSet<ActionId> {
        globals
            .values()
            .filter(|g| g.principals.binary_search(&p).is_ok())
            .map(|g| g.action)
            .collect()
    }

    /// Applies `edit` to the global permissions, then the "revoking access removes manage"
    /// rule to the principals of `touched`: an action a principal was explicitly bound to
    /// before the edit and is not after takes every action requiring it along.
    fn edit_with_cascade(
        &mut self,
        touched: &BTreeSet<BoundPrincipal>,
        edit: impl FnOnce(&mut BTreeMap<String, StoredGlobal>),
    ) {
        let before: Vec<(BoundPrincipal, BTreeSet<ActionId>)> = touched
            .iter()
            .map(|&p| (p, Self::explicit(&self.globals, p)))
            .collect();
        edit(&mut self.globals);
        for (p, before) in before {
            let after = Self::explicit(&self.globals, p);
            let drop = self.dependents_of(before.difference(&after).copied());
            for g in self.globals.values_mut() {
                if drop.contains(&g.action) {
                    g.principals.retain(|x| *x != p);
                }
            }
        }
        self.reindex();
    }
}

impl<'m> RbacMut<'m> {
    /// Adds an action to the catalog; `requires` must name an action already there.
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{ActionSpec, ErrorKind, Model};
    /// let mut model = Model::new();
    /// let err = model.rbac_mut().add_action(ActionSpec::new("manage_goals", "M").requiring("access_goals")).unwrap_err();
    /// assert_eq!(err.to_string(), "requires: unknown action \"access_goals\"");
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    pub fn add_action(&mut self, spec: ActionSpec) -> Result<ActionId, RbacError> {
        let mut ids = self.add_actions(vec![spec]).map_err(|e| {
            // One action: report paths relative to it.
            let path = e.path().strip_prefix("[0]").unwrap_or(e.path());
            let path = path.strip_prefix('.').unwrap_or(path).to_owned();
            RbacError::at(path, e.kind().clone())
        })?;
        ids.pop()
            .ok_or_else(|| RbacError::at("name", InputErrorKind::Required))
    }

    /// Adds several actions at once; `requires` may name an action of the batch, and the
    /// links must not form a cycle. Paths are indexes into `specs`.
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{ActionSpec, ErrorKind, Model, RbacErrorKind};
    /// let mut model = Model::new();
    /// let err = model.rbac_mut().add_actions(vec![
    ///     ActionSpec::new("a", "A").requiring("b"),
    ///     ActionSpec::new("b", "B").requiring("a"),
    /// ]).unwrap_err();
    /// assert!(matches!(err.kind(), RbacErrorKind::ActionCycle { .. }));
    /// model.rbac_mut().add_actions(vec![ActionSpec::new("manage", "M").requiring("access"), ActionSpec::new("access", "A")])?;
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    pub fn add_actions(&mut self, specs: Vec<ActionSpec>) -> Result<Vec<ActionId>, RbacError> {
        let actions = &self.rbac.actions;
        let mut batch: BTreeMap<&str, usize> = BTreeMap::new();
        for (i, s) in specs.iter().enumerate() {
            let at = format!("[{i}].name");
            if s.name.is_empty() {
                return Err(RbacError::at(at, InputErrorKind::EmptyId));
            }
            if actions.entries.live_id(&s.name).is_some() || batch.insert(&s.name, i).is_some() {
                return Err(RbacError::at(
                    at,
                    InputErrorKind::DuplicateId { id: s.name.clone() },
                ));
            }
        }
        for (i, s) in specs.iter().enumerate() {
            if let Some(r) = &s.requires {
                if actions.entries.live_id(r).is_none() && !batch.contains_key(r.as_str()) {
                    return Err(RbacError::at(
                        format!("[{i}].requires"),
                        RbacErrorKind::UnknownAction { id: r.clone() },
                    ));
                }
            }
        }
        // Existing actions cannot require new ones, so a cycle lies within the batch.
        if let Some(cycle) = first_cycle(&specs, &batch) {
            return Err(RbacError::new(RbacErrorKind::ActionCycle {
                actions: cycle,
            }));
        }
        let actions = &mut self.rbac.actions;
        let mut out = Vec::with_capacity(specs.len());
        for s in specs {
            let name = s.name.clone();
            let (a, _) = actions.entries.insert(&name, s)?;
            out.push(a);
        }
        actions.requires.resize(actions.entries.len(), NONE);
        // Existing actions keep their links (they cannot require a new one).
        for &a in &out {
            let req = actions
                .entries
                .get(a)
                .and_then(|s| s.requires.as_deref())
                .and_then(|r| actions.entries.live_id(r))
                .map_or(NONE, |r| r.as_u32());
            if let Some(slot) = actions.requires.get_mut(ix(a)) {
                *slot = req;
            }
        }
        Ok(out)
    }

    /// Creates a global permission object (`POST /permissions`).
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{ActionSpec, ErrorKind, GlobalPermissionSpec, Model};
    /// let mut model = Model::new();
    /// model.rbac_mut().add_action(ActionSpec::new("access_goals", "A"))?;
    /// let err = model.rbac_mut().create_global_permission(GlobalPermissionSpec::new("p", "access_goals", ["ghost"])).unwrap_err();
    /// assert_eq!(err.to_string(), "principals[0]: principal \"ghost\" is neither a user nor a role");
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    pub fn create_global_permission(
        &mut self,
        spec: GlobalPermissionSpec,
    ) -> Result<(), RbacError> {
        if self.rbac.actions.globals.contains_key(&spec.id) {
            return Err(RbacError::at(
                "id",
                InputErrorKind::DuplicateId { id: spec.id },
            ));
        }
        let stored = self.read().stored_global(&spec)?;
        let actions = &mut self.rbac.actions;
        for p in &stored.principals {
            if let BoundPrincipal::User(u) = p {
                actions.by_user.insert((*u, spec.id.clone()));
            }
        }
        actions.globals.insert(spec.id, stored);
        Ok(())
    }

    /// Creates a global permission object whose id the server assigns when `spec.id` is empty
    /// (`POST /permissions` without an id): the first of `000…001`, `000…002`, … (24 hex
    /// digits, as the vendor's object ids) not held by a live permission object. The id
    /// depends only on the objects present, so replaying the same edits assigns the same
    /// ids; the id of a deleted object may be given again. Returns the id.
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{ActionSpec, GlobalPermissionSpec, Model};
    /// let mut model = Model::new();
    /// model.add_user("ada", None)?;
    /// model.rbac_mut().add_action(ActionSpec::new("access-goals", "Access goals"))?;
    /// let id = model.rbac_mut().add_global_permission(GlobalPermissionSpec::new("", "access-goals", ["ada"]))?;
    /// assert_eq!(id, "000000000000000000000001");
    /// let mine = model.rbac_mut().add_global_permission(GlobalPermissionSpec::new("p-7", "access-goals", ["ada"]))?;
    /// assert_eq!(mine, "p-7");
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    pub fn add_global_permission(
        &mut self,
        mut spec: GlobalPermissionSpec,
    ) -> Result<String, RbacError> {
        if spec.id.is_empty() {
            spec.id = self.read().next_global_permission_id();
        }
        let id = spec.id.clone();
        self.create_global_permission(spec)?;
        Ok(id)
    }

    /// Sets the actions bound to a principal (`PUT /permissions/principal/{id}`): afterwards
    /// the principal is bound explicitly to exactly `actions`. An action it gains is added
    /// to the permission object of that action with the smallest id, or to a new object
    /// with a server-assigned id ([`add_global_permission`](Self::add_global_permission));
    /// an action it loses is taken from every object binding it. The set given is taken as
    /// it is, with no cascade: a "manage" action listed without its "access" action still
    /// implies it. Returns the principal's effective actions (closed under `requires`),
    /// sorted. Every action must exist (`[i]` names the first unknown one); a bare id
    /// resolves as in [`Principal`].
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{ActionSpec, GlobalPermissionSpec, Model, Principal};
    /// let mut model = Model::new();
    /// model.add_user("ada", None)?;
    /// model.rbac_mut().add_actions(vec![
    ///     ActionSpec::new("access-goals", "Access goals"),
    ///     ActionSpec::new("manage-goals", "Manage goals").requiring("access-goals"),
    ///     ActionSpec::new("access-kpis", "Access KPIs"),
    /// ])?;
    /// model.rbac_mut().create_global_permission(GlobalPermissionSpec::new("p1", "access-kpis", ["ada"]))?;
    /// let effective = model.rbac_mut().set_principal_actions(Principal::user("ada"), &["manage-goals"])?;
    /// assert_eq!(effective, ["access-goals", "manage-goals"]);
    /// assert!(model.rbac().global_permission("p1").unwrap().principals.is_empty());
    /// assert_eq!(model.rbac().global_permission("000000000000000000000001").unwrap().action, "manage-goals");
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    pub fn set_principal_actions(
        &mut self,
        principal: impl Into<Principal>,
        actions: &[&str],
    ) -> Result<Vec<String>, RbacError> {
        let p = self
            .read()
            .bound_principal(&principal.into(), "principal")?;
        let mut want = BTreeSet::new();
        for (i, a) in actions.iter().enumerate() {
            let id = self.rbac.actions.entries.live_id(a).ok_or_else(|| {
                RbacError::at(
                    format!("[{i}]"),
                    RbacErrorKind::UnknownAction {
                        id: (*a).to_owned(),
                    },
                )
            })?;
            want.insert(id);
        }
        let have = Actions::explicit(&self.rbac.actions.globals, p);
        // Losses: out of every object binding them.
        for g in self.rbac.actions.globals.values_mut() {
            if !want.contains(&g.action) {
                g.principals.retain(|x| *x != p);
            }
        }
        // Gains: into the object of the action with the smallest id, or a new one.
        for &a in want.difference(&have) {
            let existing = self
                .rbac
                .actions
                .globals
                .iter()
                .find(|(_, g)| g.action == a)
                .map(|(id, _)| id.clone());
            let id = match existing {
                Some(id) => id,
                None => {
                    let id = self.read().next_global_permission_id();
                    self.rbac.actions.globals.insert(
                        id.clone(),
                        StoredGlobal {
                            action: a,
                            principals: Vec::new(),
                        },
                    );
                    id
                }
            };
            if let Some(g) = self.rbac.actions.globals.get_mut(&id) {
                if let Err(at) = g.principals.binary_search(&p) {
                    g.principals.insert(at, p);
                }
            }
        }
        self.rbac.actions.reindex();
        let mut out: BTreeSet<String> = BTreeSet::new();
        for &a in &want {
            for x in self.rbac.actions.closure(a) {
                out.insert(self.rbac.actions.name(x).to_owned());
            }
        }
        Ok(out.into_iter().collect())
    }

    /// Replaces a global permission object (`PUT /permissions/{id}`). A principal that loses
    /// its last binding to an action also loses the actions requiring it.
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{ActionSpec, GlobalPermissionSpec, Model};
    /// let mut model = Model::new();
    /// model.add_user("ada", None)?;
    /// model.rbac_mut().add_action(ActionSpec::new("access", "A"))?;
    /// model.rbac_mut().add_action(ActionSpec::new("manage", "M").requiring("access"))?;
    /// model.rbac_mut().create_global_permission(GlobalPermissionSpec::new("a", "access", ["ada"]))?;
    /// model.rbac_mut().create_global_permission(GlobalPermissionSpec::new("m", "manage", ["ada"]))?;
    /// model.rbac_mut().update_global_permission(GlobalPermissionSpec::new("a", "access", Vec::<String>::new()))?;
    /// assert!(model.rbac().global_permission("m").unwrap().principals.is_empty());
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    pub fn update_global_permission(
        &mut self,
        spec: GlobalPermissionSpec,
    ) -> Result<(), RbacError> {
        let old = self.rbac.actions.globals.get(&spec.id).ok_or_else(|| {
            RbacError::at(
                "id",
                RbacErrorKind::UnknownGlobalPermission {
                    id: spec.id.clone(),
                },
            )
        })?;
        let stored = self.read().stored_global(&spec)?;
        let touched: BTreeSet<BoundPrincipal> = old.principals.iter().copied().collect();
        self.rbac.actions.edit_with_cascade(&touched, |globals| {
            globals.insert(spec.id, stored);
        });
        Ok(())
    }

    /// Deletes a global permission object (`DELETE /permissions/{id}`), with the same
    /// cascade as [`update_global_permission`](crate::RbacMut::update_global_permission).
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{ActionSpec, GlobalPermissionSpec, Model};
    /// let mut model = Model::new();
    /// model.rbac_mut().add_action(ActionSpec::new("access", "A"))?;
    /// model.rbac_mut().create_global_permission(GlobalPermissionSpec::new("a", "access", Vec::<String>::new()))?;
    /// model.rbac_mut().delete_global_permission("a")?;
    /// assert!(model.rbac_mut().delete_global_permission("a").is_err());
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    pub fn delete_global_permission(&mut self, id: &str) -> Result<(), RbacError> {
        let old = self.rbac.actions.globals.get(id).ok_or_else(|| {
            RbacError::at(
                "id",
                RbacErrorKind::UnknownGlobalPermission { id: id.to_owned() },
            )
        })?;
        let touched: BTreeSet<BoundPrincipal> = old.principals.iter().copied().collect();
        self.rbac.actions.edit_with_cascade(&touched, |globals| {
            globals.remove(id);
        });
        Ok(())
    }

    /// Revokes an action from a principal (a user or a role; a bare id resolves only when
    /// unambiguous, see [`Principal`]): removes it from every global permission of that
    /// action and of every action requiring it. Returns the actions it lost, sorted.
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{ActionSpec, GlobalPermissionSpec, Model};
    /// let mut model = Model::new();
    /// model.add_user("ada", None)?;
    /// model.rbac_mut().add_action(ActionSpec::new("access_goals", "A"))?;
    /// model.rbac_mut().add_action(ActionSpec::new("manage_goals", "M").requiring("access_goals"))?;
    /// model.rbac_mut().create_global_permission(GlobalPermissionSpec::new("a", "access_goals", ["ada"]))?;
    /// model.rbac_mut().create_global_permission(GlobalPermissionSpec::new("m", "manage_goals", ["ada"]))?;
    /// assert_eq!(model.rbac_mut().revoke_action("ada", "access_goals")?, ["access_goals", "manage_goals"]);
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    pub fn revoke_action(
        &mut self,
        principal: impl Into<Principal>,
        action: &str,
    ) -> Result<Vec<String>, RbacError> {
        let p = self
            .read()
            .bound_principal(&principal.into(), "principal")?;
        let a = self.rbac.actions.entries.live_id(action).ok_or_else(|| {
            RbacError::at(
                "action",
                RbacErrorKind::UnknownAction {
                    id: action.to_owned(),
                },
            )
        })?;
        let mut drop = self.rbac.actions.dependents(a);
        drop.insert(a);
        let before = Actions::explicit(&self.rbac.actions.globals, p);
        self.rbac
            .actions
            .edit_with_cascade(&BTreeSet::from([p]), |globals| {
                for g in globals.values_mut() {
                    if drop.contains(&g.action) {
                        g.principals.retain(|x| *x != p);
                    }
                }
            });
        let after = Actions::explicit(&self.rbac.actions.globals, p);
        let mut out: Vec<String> = before
            .difference(&after)
            .map(|&a| self.rbac.actions.name(a).to_owned())
            .collect();
        out.sort();
        Ok(out)
    }
}

impl<'m> RbacRef<'m> {
    /// An action of the catalog.
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(orgperm::Model::new().rbac().action("access_goals").is_none());
    /// ```
    pub fn action(&self, name: &str) -> Option<&'m ActionSpec> {
        self.rbac.actions.entries.live(name).map(|(_, s)| s)
    }

    /// The action catalog, sorted by name (`GET /permissions/actions`).
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{ActionSpec, Model};
    /// let mut model = Model::new();
    /// model.rbac_mut().add_action(ActionSpec::new("b", "B")).unwrap();
    /// model.rbac_mut().add_action(ActionSpec::new("a", "A")).unwrap();
    /// assert_eq!(model.rbac().actions().iter().map(|a| a.name.as_str()).collect::<Vec<_>>(), ["a", "b"]);
    /// ```
    pub fn actions(&self) -> Vec<&'m ActionSpec> {
        let mut out: Vec<&ActionSpec> = self.rbac.actions.entries.iter().map(|(_, s)| s).collect();
        out.sort_by(|a, b| a.name.cmp(&b.name));
        out
    }

    /// Resolves a principal; a bare id only when it names exactly one of a user and a role.
    pub(crate) fn bound_principal(
        &self,
        p: &Principal,
        path: &str,
    ) -> Result<BoundPrincipal, RbacError> {
        let user = |id: &str| self.dir.active_id(id);
        let role = |id: &str| self.rbac.roles.live(id).map(|(r, _)| r);
        let unknown = |kind: RbacErrorKind| Err(RbacError::at(path, kind));
        match p {
            Principal::User(id) => match user(id) {
                Some(u) => Ok(BoundPrincipal::User(u)),
                None => unknown(OrgErrorKind::UnknownUser { id: id.clone() }.into()),
            },
            Principal::Role(id) => match role(id) {
                Some(r) => Ok(BoundPrincipal::Role(r)),
                None => unknown(RbacErrorKind::UnknownRole { id: id.clone() }),
            },
            Principal::Id(id) => match (user(id), role(id)) {
                (Some(u), None) => Ok(BoundPrincipal::User(u)),
                (None, Some(r)) => Ok(BoundPrincipal::Role(r)),
                (Some(_), Some(_)) => unknown(RbacErrorKind::AmbiguousPrincipal { id: id.clone() }),
                (None, None) => unknown(RbacErrorKind::UnknownPrincipal { id: id.clone() }),
            },
        }
    }

    /// The principal a bare id names, when it names exactly one of a user and a role (the
    /// convenience behind [`Principal::Id`]).
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{ErrorKind, Model, Principal, RbacErrorKind, RoleSpec};
    /// let mut model = Model::new();
    /// model.add_user("ada", None)?;
    /// assert_eq!(model.rbac().resolve_principal("ada")?, Principal::user("ada"));
    /// model.rbac_mut().create_role(RoleSpec::new("ada", "Ada's role"))?;
    /// let err = model.rbac().resolve_principal("ada").unwrap_err();
    /// assert_eq!(err.kind(), &RbacErrorKind::AmbiguousPrincipal { id: "ada".into() });
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    pub fn resolve_principal(&self, id: &str) -> Result<Principal, RbacError> {
        let p = self.bound_principal(&Principal::Id(id.to_owned()), "principal")?;
        Ok(self.principal_of(p))
    }

    /// A bound principal in external ids, with its kind.
    pub(crate) fn principal_of(&self, p: BoundPrincipal) -> Principal {
        match p {
            BoundPrincipal::User(u) => Principal::User(self.dir.name(u).to_owned()),
            BoundPrincipal::Role(r) => Principal::Role(self.rbac.roles.name(r).to_owned()),
        }
    }

    fn stored_global(&self, spec: &GlobalPermissionSpec) -> Result<StoredGlobal, RbacError> {
        if spec.id.is_empty() {
            return Err(RbacError::at("id", InputErrorKind::EmptyId));
        }
        let action = self
            .rbac
            .actions
            .entries
            .live_id(&spec.action)
            .ok_or_else(|| {
                RbacError::at(
                    "action",
                    RbacErrorKind::UnknownAction {
                        id: spec.action.clone(),
                    },
                )
            })?;
        let mut principals = Vec::with_capacity(spec.principals.len());
        for (i, p) in spec.principals.iter().enumerate() {
            principals.push(self.bound_principal(p, &format!("principals[{i}]"))?);
        }
        principals.sort_unstable();
        principals.dedup();
        Ok(StoredGlobal { action, principals })
    }

    /// The id the next server-assigned permission object gets (see
    /// [`RbacMut::add_global_permission`](crate::RbacMut::add_global_permission)).
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(orgperm::Model::new().rbac().next_global_permission_id(), "000000000000000000000001");
    /// ```
    pub fn next_global_permission_id(&self) -> String {
        let globals = &self.rbac.actions.globals;
        (1u64..)
            .map(|n| format!("{n:024x}"))
            .find(|id| !globals.contains_key(id))
            .unwrap_or_default()
    }

    /// A global permission object.
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(orgperm::Model::new().rbac().global_permission("p").is_none());
    /// ```
    pub fn global_permission(&self, id: &str) -> Option<GlobalPermissionSpec> {
        let g = self.rbac.actions.globals.get(id)?;
        Some(self.global_spec(id, g))
    }

    fn global_spec(&self, id: &str, g: &StoredGlobal) -> GlobalPermissionSpec {
        let mut principals: Vec<Principal> =
            g.principals.iter().map(|&p| self.principal_of(p)).collect();
        principals.sort();
        GlobalPermissionSpec {
            id: id.to_owned(),
            action: self.rbac.actions.name(g.action).to_owned(),
            principals,
        }
    }

    /// Every global permission object, sorted by id.
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(orgperm::Model::new().rbac().global_permissions().is_empty());
    /// ```
    pub fn global_permissions(&self) -> Vec<GlobalPermissionSpec> {
        self.rbac
            .actions
            .globals
            .iter()
            .map(|(id, g)| self.global_spec(id, g))
            .collect()
    }
}

/// The first cycle of `requires` links within a batch, in the order of its first member in
/// `specs`, as the names along it; found in one pass over the batch (each action has at most
/// one link, so the links form paths that end outside the batch, at a leaf, or in a cycle).
fn first_cycle(specs: &[ActionSpec], batch: &BTreeMap<&str, usize>) -> Option<Vec<String>> {
    const NEW: u8 = 0;
    const ON_PATH: u8 = 1;
    const DONE: u8 = 2;
    let next = |i: usize| -> Option<usize> {
        let r = specs.get(i)?.requires.as_deref()?;
        batch.get(r).copied()
    };
    let mut state = vec![NEW; specs.len()];
    let mut on_cycle = vec![false; specs.len()];
    let mut path: Vec<usize> = Vec::new();
    for start in 0..specs.len() {
        if state.get(start) != Some(&NEW) {
            continue;
        }
        path.clear();
        let mut cur = Some(start);
        while let Some(i) = cur {
            match state.get(i).copied() {
                Some(NEW) => {
                    if let Some(s) = state.get_mut(i) {
                        *s = ON_PATH;
                    }
                    path.push(i);
                    cur = next(i);
                }
                Some(ON_PATH) => {
                    // The path from `i` on is a cycle.
                    let from = path.iter().position(|&j| j == i).unwrap_or(path.len());
                    for &j in path.get(from..).unwrap_or(&[]) {
                        if let Some(c) = on_cycle.get_mut(j) {
                            *c = true;
                        }
                    }
                    cur = None;
                }
                _ => cur = None,
            }
        }
        for &j in &path {
            if let Some(s) = state.get_mut(j) {
                *s = DONE;
            }
        }
    }
    let first = on_cycle.iter().position(|&c| c)?;
    let mut chain = Vec::new();
    let mut cur = first;
    loop {
        chain.push(specs.get(cur)?.name.clone());
        cur = next(cur)?;
        if cur == first || chain.len() > specs.len() {
            return Some(chain);
        }
    }
}

/// `a` and every action it requires, following `requires` (by dense id, `NONE` for none); at
/// most one step per action, so a cycle (which validation refuses) cannot loop.
pub(crate) fn requires_chain(requires: &[u32], a: ActionId) -> impl Iterator<Item = ActionId> + '_ {
    let mut cur = a.as_u32();
    let mut steps = 0;
    core::iter::from_fn(move || {
        if cur == NONE || steps > requires.len() {
            return None;
        }
        steps += 1;
        let out = cur;
        cur = requires.get(out as usize).copied().unwrap_or(NONE);
        Some(ActionId::new(out))
    })
}
