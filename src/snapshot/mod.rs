//! The compiled, immutable evaluator and its forward queries (check and explain).
//!
//! Reverse and batch queries live in [`reverse`]; how a model becomes a snapshot in
//! [`compile`].

mod compile;
mod explain;
mod id_set;
mod keys;
pub(crate) mod objects;
mod reverse;
mod scope;
mod user_set;

pub use explain::{Decision, Reason};
pub use id_set::{IdSet, Named};
pub use keys::Key;
pub use reverse::OwnerFilter;
pub use user_set::UserSet;

use roaring::RoaringBitmap;

use crate::Capability;
use crate::id::{DenseId, FolderId, Interner, NONE, ProfileId, UserId, WorkspaceId};
use crate::org::assignment::WsTable;
use crate::org::tree::TreeIndex;
use crate::profile::{Domain, LibraryFlag, LibraryLevel};
use compile::{CapTable, CompiledProfile, DomainIndex};
use scope::{IntervalSet, Reach, Rule};

/// The compiled evaluator: immutable, `Send + Sync`, cheap to share behind an `Arc`.
///
/// Deny by default: every query answers `false` (or an empty set) for anything it does not
/// know — an unknown or removed user, an unknown workspace, folder or capability, a user
/// without a profile — and never panics. `explain*` says which rule decided.
///
/// Queries without a workspace use the default one ([`WorkspaceId::DEFAULT`]); the `*_in`
/// forms take one. Ids are passed as dense ids (fastest) or external ids, see [`Key`].
///
/// # Examples
///
/// ```
/// use orgperm::{Capability, Domain, Level, Model, ProfileSpec};
///
/// let mut model = Model::new();
/// model.add_user("ceo", None)?;
/// model.add_user("rep", Some("ceo"))?;
/// model.create_profile(
///     ProfileSpec::new("rep", "Reps")
///         .with_level(Domain::Calls, Level::ManagersTeam)
///         .with_capability("scoreCalls", true),
/// )?;
/// model.assign_profile("rep", "rep")?;
/// let snap = model.compile();
///
/// // managers-team without leads: the subtree of the viewer's manager.
/// assert!(snap.can_access("rep", Domain::Calls, "ceo"));
/// assert!(snap.has_capability("rep", Capability::SCORE_CALLS));
/// assert!(!snap.has_capability("rep", "callsAndSearch"));
/// println!("{}", snap.explain("rep", Domain::Calls, "ceo"));
/// # Ok::<(), orgperm::ModelError>(())
/// ```
#[derive(Clone, Debug)]
pub struct Snapshot {
    pub(crate) users: Interner<UserId>,
    workspaces: Interner<WorkspaceId>,
    folders: Interner<FolderId>,
    folder_workspace: Vec<WorkspaceId>,
    profile_ids: Interner<ProfileId>,
    capabilities: Interner<Capability>,
    pub(crate) tree: TreeIndex,
    /// Number of dense user ids (active or not): the row length of `assignment`.
    n_users: usize,
    /// Each (workspace, user)'s dense profile id or `NONE`: the default workspace a dense
    /// array, the others dense or sparse by fill.
    assignment: WsTable<u32>,
    /// By dense profile id.
    profiles: Vec<CompiledProfile>,
    lead_sets: Vec<IntervalSet>,
    /// Capabilities of each profile: dense bits for the common names, sorted lists beyond.
    caps: CapTable,
    /// Holders of each profile, as preorder positions.
    holders: Vec<RoaringBitmap>,
    /// `reverse[workspace * Domain::COUNT + domain]`.
    reverse: Vec<DomainIndex>,
    /// Teams, compiled (see `crate::teams`).
    pub(crate) teams: crate::teams::compiled::CompiledTeams,
    /// Calls, compiled (see `crate::calls`).
    pub(crate) calls: crate::calls::compiled::CompiledCalls,
    /// Networks and advisors, compiled (see `crate::network`).
    pub(crate) networks: crate::network::compiled::CompiledNetworks,
    /// Roles and permissions, compiled.
    pub(crate) rbac: crate::rbac::compiled::CompiledRbac,
    /// Quantive items, compiled (see `crate::items`).
    pub(crate) items: crate::items::compiled::CompiledItems,
}

/// Heap memory of a snapshot, from [`Snapshot::memory`], by part.
///
/// # Examples
///
/// ```
/// let mut model = orgperm::Model::new();
/// model.add_user("ada", None).unwrap();
/// let mem = model.compile().memory();
/// assert_eq!(mem.users, 1);
/// assert!(mem.core_per_user() > 0.0);
/// assert_eq!(mem.index_bytes(), mem.org_bytes + mem.profile_bytes + mem.rbac_bytes + mem.object_bytes);
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct MemoryReport {
    /// Users indexed (dense ids, active or not).
    pub users: usize,
    /// Bytes of external id text of every kind (users, profiles, roles, calls, …).
    pub id_text_bytes: usize,
    /// The org tree index and the user-id hash index.
    pub org_bytes: usize,
    /// Profiles: assignments, compiled rules, lead intervals, capability words, holders and
    /// reverse indexes, and the workspace, folder, profile and capability id indexes.
    pub profile_bytes: usize,
    /// Roles, permissions, grants and actions.
    pub rbac_bytes: usize,
    /// Teams, calls, networks and items.
    pub object_bytes: usize,
}

impl MemoryReport {
    /// Every heap byte but id text.
    pub fn index_bytes(&self) -> usize {
        self.org_bytes + self.profile_bytes + self.rbac_bytes + self.object_bytes
    }

    /// All index bytes per user.
    pub fn per_user(&self) -> f64 {
        self.index_bytes() as f64 / self.users.max(1) as f64
    }

    /// Org tree, user ids and profiles per user: the cost of the profile model alone.
    pub fn core_per_user(&self) -> f64 {
        (self.org_bytes + self.profile_bytes) as f64 / self.users.max(1) as f64
    }
}

impl Snapshot {
    // ---- names ------------------------------------------------------------------------------

    /// The dense id of an active user.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut model = orgperm::Model::new();
    /// let ada = model.add_user("ada", None).unwrap();
    /// let snap = model.compile();
    /// assert_eq!(snap.user("ada"), Some(ada));
    /// assert_eq!(snap.user_name(ada), Some("ada"));
    /// assert_eq!(snap.user("bob"), None);
    /// ```
    #[inline]
    pub fn user(&self, id: &str) -> Option<UserId> {
        self.users.get(id).filter(|&u| self.tree.node(u).is_some())
    }

    /// The external id of an active user.
    pub fn user_name(&self, user: UserId) -> Option<&str> {
        self.tree.node(user)?;
        self.users.name(user)
    }

    /// Number of active users.
    pub fn user_count(&self) -> usize {
        self.tree.len() as usize
    }

    /// The dense id of a workspace.
    pub fn workspace(&self, id: &str) -> Option<WorkspaceId> {
        self.workspaces.get(id)
    }

    /// The dense id of a live profile.
    pub fn profile(&self, id: &str) -> Option<ProfileId> {
        self.profile_ids.get(id).filter(|p| {
            self.profiles
                .get(p.index() as usize)
                .is_some_and(|c| c.live)
        })
    }

    /// The dense id of a library folder.
    pub fn folder(&self, id: &str) -> Option<FolderId> {
        self.folders.get(id)
    }

    /// A capability by name: documented ones and any other name a profile of the model
    /// carried.
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{Capability, Model, ProfileSpec};
    /// let mut model = Model::new();
    /// model.create_profile(ProfileSpec::new("p", "P").with_capability("tenantFlag", true)).unwrap();
    /// let snap = model.compile();
    /// assert_eq!(snap.capability("deals"), Some(Capability::DEALS));
    /// assert!(snap.capability("tenantFlag").is_some());
    /// assert_eq!(snap.capability("never-seen"), None);
    /// ```
    pub fn capability(&self, name: &str) -> Option<Capability> {
        self.capabilities.get(name)
    }

    /// The profile a user holds in a workspace.
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{Model, ProfileSpec, WorkspaceId};
    /// let mut model = Model::new();
    /// model.add_user("ada", None).unwrap();
    /// let p = model.create_profile(ProfileSpec::new("p", "P")).unwrap();
    /// model.assign_profile("ada", "p").unwrap();
    /// let snap = model.compile();
    /// assert_eq!(snap.profile_of_in("ada", WorkspaceId::DEFAULT), Some(p));
    /// ```
    pub fn profile_of_in(
        &self,
        user: impl Key<UserId>,
        workspace: impl Key<WorkspaceId>,
    ) -> Option<ProfileId> {
        let u = user.resolve(self)?;
        let w = workspace.resolve(self)?;
        self.tree.node(u)?;
        let p = self.profile_index(u, w);
        (p != NONE).then(|| ProfileId::from_index(p))
    }

    // ---- the fast path ----------------------------------------------------------------------

    /// Dense profile id of `u` in `w`, `NONE` when there is none or either id is out of range.
    #[inline(always)]
    fn profile_index(&self, u: UserId, w: WorkspaceId) -> u32 {
        self.assignment
            .raw(w.index() as usize, u.index() as usize)
            .unwrap_or(NONE)
    }

    #[inline(always)]
    fn compiled_profile(&self, u: UserId, w: WorkspaceId) -> Option<(u32, &CompiledProfile)> {
        let p = self.profile_index(u, w);
        self.profiles.get(p as usize).map(|c| (p, c))
    }

    /// The compiled rule of `u`'s profile in `domain` of `w`; `Nobody` without a profile.
    #[inline]
    fn rule(&self, u: UserId, w: WorkspaceId, domain: Domain) -> Rule {
        self.compiled_profile(u, w)
            .map_or(Rule::Nobody, |(_, p)| p.rule(domain))
    }

    /// What viewer `v` reaches in `domain` of workspace `w`.
    #[inline(always)]
    fn reach(&self, v: UserId, w: WorkspaceId, domain: Domain) -> Reach<'_> {
        let Some(node) = self.tree.node(v) else {
            return Reach::Nobody;
        };
        match self.compiled_profile(v, w) {
            Some((_, profile)) => {
                Reach::resolve(profile.rule(domain), v, node, &self.tree, &self.lead_sets)
            }
            None => Reach::Nobody,
        }
    }

    /// Whether `viewer` may access data of `owner` in `domain` of the default workspace.
    ///
    /// O(1): two position loads, a profile load and one or two comparisons (a binary search
    /// over the lead intervals for `managers-team` with leads).
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{Domain, Level, Model, ProfileSpec};
    /// let mut model = Model::new();
    /// model.add_user("ada", None).unwrap();
    /// model.add_user("bob", None).unwrap();
    /// model.create_profile(ProfileSpec::new("own", "Own").with_level(Domain::Deals, Level::Own)).unwrap();
    /// model.assign_profile("ada", "own").unwrap();
    /// let snap = model.compile();
    /// assert!(snap.can_access("ada", Domain::Deals, "ada"));
    /// assert!(!snap.can_access("ada", Domain::Deals, "bob"));
    /// assert!(!snap.can_access("ada", Domain::Calls, "ada")); // level none
    /// assert!(!snap.can_access("nobody", Domain::Deals, "ada")); // unknown: deny
    /// ```
    #[inline]
    pub fn can_access(
        &self,
        viewer: impl Key<UserId>,
        domain: Domain,
        owner: impl Key<UserId>,
    ) -> bool {
        self.can_access_in(viewer, WorkspaceId::DEFAULT, domain, owner)
    }

    /// [`can_access`](Snapshot::can_access) in a given workspace.
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{Domain, Level, Model, ProfileSpec};
    /// let mut model = Model::new();
    /// model.add_workspace("emea").unwrap();
    /// model.add_user("ada", None).unwrap();
    /// model.create_profile(ProfileSpec::new("p", "All").in_workspace("emea").with_all_levels(Level::All)).unwrap();
    /// model.assign_profile("ada", "p").unwrap();
    /// let snap = model.compile();
    /// assert!(snap.can_access_in("ada", "emea", Domain::Calls, "ada"));
    /// assert!(!snap.can_access("ada", Domain::Calls, "ada")); // no profile in the default one
    /// ```
    #[inline]
    pub fn can_access_in(
        &self,
        viewer: impl Key<UserId>,
        workspace: impl Key<WorkspaceId>,
        domain: Domain,
        owner: impl Key<UserId>,
    ) -> bool {
        let (Some(v), Some(w), Some(o)) = (
            viewer.resolve(self),
            workspace.resolve(self),
            owner.resolve(self),
        ) else {
            return false;
        };
        self.reach(v, w, domain).covers(self.tree.pos(o))
    }

    /// Whether `user`'s profile in the default workspace sets `capability`.
    ///
    /// O(1): a profile load and a bit test.
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{Capability, Model, ProfileSpec};
    /// let mut model = Model::new();
    /// model.add_user("ada", None).unwrap();
    /// model.create_profile(ProfileSpec::new("p", "P").with_capability("deals", true).with_capability("usage", false)).unwrap();
    /// model.assign_profile("ada", "p").unwrap();
    /// let snap = model.compile();
    /// assert!(snap.has_capability("ada", Capability::DEALS));
    /// assert!(!snap.has_capability("ada", Capability::USAGE));
    /// ```
    #[inline]
    pub fn has_capability(&self, user: impl Key<UserId>, capability: impl Key<Capability>) -> bool {
        self.has_capability_in(user, WorkspaceId::DEFAULT, capability)
    }

    /// [`has_capability`](Snapshot::has_capability) in a given workspace.
    #[inline]
    pub fn has_capability_in(
        &self,
        user: impl Key<UserId>,
        workspace: impl Key<WorkspaceId>,
        capability: impl Key<Capability>,
    ) -> bool {
        let (Some(u), Some(w), Some(c)) = (
            user.resolve(self),
            workspace.resolve(self),
            capability.resolve(self),
        ) else {
            return false;
        };
        // Users outside the tree hold no assignment (see `compile`): one load decides.
        let p = self.profile_index(u, w);
        p != NONE && self.caps.has(p, c)
    }

    /// Whether `user` may open library folder `folder` of the default workspace: the
    /// profile's library level is `all`, or `specific-folders` listing the folder.
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{LibraryAccess, Model, ProfileSpec};
    /// let mut model = Model::new();
    /// model.add_user("ada", None).unwrap();
    /// model.add_folder("wins", None).unwrap();
    /// model.add_folder("losses", None).unwrap();
    /// model.create_profile(ProfileSpec::new("p", "P").with_library(LibraryAccess::specific(["wins"]))).unwrap();
    /// model.assign_profile("ada", "p").unwrap();
    /// let snap = model.compile();
    /// assert!(snap.can_access_folder("ada", "wins"));
    /// assert!(!snap.can_access_folder("ada", "losses"));
    /// ```
    pub fn can_access_folder(&self, user: impl Key<UserId>, folder: impl Key<FolderId>) -> bool {
        self.can_access_folder_in(user, WorkspaceId::DEFAULT, folder)
    }

    /// [`can_access_folder`](Snapshot::can_access_folder) in a given workspace.
    pub fn can_access_folder_in(
        &self,
        user: impl Key<UserId>,
        workspace: impl Key<WorkspaceId>,
        folder: impl Key<FolderId>,
    ) -> bool {
        self.explain_folder_in(user, workspace, folder).allowed
    }

    /// Whether `user`'s profile in the default workspace sets a library manage flag.
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{LibraryAccess, LibraryFlag, Model, ProfileSpec};
    /// let mut model = Model::new();
    /// model.add_user("ada", None).unwrap();
    /// let lib = LibraryAccess::all().with_flag(LibraryFlag::ManageStreams);
    /// model.create_profile(ProfileSpec::new("p", "P").with_library(lib)).unwrap();
    /// model.assign_profile("ada", "p").unwrap();
    /// let snap = model.compile();
    /// assert!(snap.has_library_flag("ada", LibraryFlag::ManageStreams));
    /// assert!(!snap.has_library_flag("ada", LibraryFlag::ManagePublicFolder));
    /// ```
    pub fn has_library_flag(&self, user: impl Key<UserId>, flag: LibraryFlag) -> bool {
        self.has_library_flag_in(user, WorkspaceId::DEFAULT, flag)
    }

    /// [`has_library_flag`](Snapshot::has_library_flag) in a given workspace.
    pub fn has_library_flag_in(
        &self,
        user: impl Key<UserId>,
        workspace: impl Key<WorkspaceId>,
        flag: LibraryFlag,
    ) -> bool {
        let (Some(u), Some(w)) = (user.resolve(self), workspace.resolve(self)) else {
            return false;
        };
        self.compiled_profile(u, w)
            .is_some_and(|(_, p)| p.library_flags & flag.bit() != 0)
    }

    // ---- explanations -----------------------------------------------------------------------

    /// Why `viewer` may or may not access `owner`'s data in `domain` of the default workspace.
    /// Always agrees with [`can_access`](Snapshot::can_access).
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{Domain, Level, Model, ProfileSpec, Reason};
    /// let mut model = Model::new();
    /// model.add_user("lead", None).unwrap();
    /// model.add_user("rep", Some("lead")).unwrap();
    /// model.add_user("analyst", None).unwrap();
    /// model.create_profile(ProfileSpec::new("p", "Analysts").with_leads(Domain::Calls, Level::ManagersTeam, ["lead"])).unwrap();
    /// model.assign_profile("analyst", "p").unwrap();
    /// let snap = model.compile();
    /// let d = snap.explain("analyst", Domain::Calls, "rep");
    /// assert!(d.allowed);
    /// assert_eq!(d.reason, Reason::InSubtree {
    ///     profile: "p".into(), level: Level::ManagersTeam, root: "lead".into(), lead: true,
    /// });
    /// ```
    pub fn explain(
        &self,
        viewer: impl Key<UserId>,
        domain: Domain,
        owner: impl Key<UserId>,
    ) -> Decision {
        self.explain_in(viewer, WorkspaceId::DEFAULT, domain, owner)
    }

    /// [`explain`](Snapshot::explain) in a given workspace.
    pub fn explain_in(
        &self,
        viewer: impl Key<UserId>,
        workspace: impl Key<WorkspaceId>,
        domain: Domain,
        owner: impl Key<UserId>,
    ) -> Decision {
        let (v, vnode) = match self.active(&viewer) {
            Ok(x) => x,
            Err(reason) => return Decision::deny(reason),
        };
        let (o, onode) = match self.active(&owner) {
            Ok(x) => x,
            Err(reason) => return Decision::deny(reason),
        };
        let (_, (p, profile)) = match self.profile_for_explain(v, &workspace) {
            Ok(x) => x,
            Err(reason) => return Decision::deny(reason),
        };
        let name = self
            .profile_ids
            .name(ProfileId::from_index(p))
            .unwrap_or("")
            .to_owned();
        let level = profile.level(domain);
        let user_name = |u: UserId| self.users.name(u).unwrap_or("").to_owned();
        let in_subtree = |root: UserId, lead: bool| Reason::InSubtree {
            profile: name.clone(),
            level,
            root: user_name(root),
            lead,
        };
        let own = || Reason::OwnData {
            profile: name.clone(),
            level,
        };
        let outside = || Reason::OutsideScope {
            profile: name.clone(),
            level,
        };
        match profile.rule(domain) {
            Rule::Nobody => Decision::deny(Reason::LevelNone {
                profile: name.clone(),
                domain,
            }),
            Rule::All => Decision::allow(Reason::LevelAll {
                profile: name.clone(),
                domain,
            }),
            _ if v == o => Decision::allow(own()),
            Rule::Own => Decision::deny(outside()),
            Rule::SubtreeOfSelf if vnode.covers(onode.pos) => Decision::allow(in_subtree(v, false)),
            Rule::SubtreeOfManager => {
                let root = self.tree.manager(v).unwrap_or(v);
                let covered = self.tree.node(root).is_some_and(|r| r.covers(onode.pos));
                if covered {
                    Decision::allow(in_subtree(root, false))
                } else {
                    Decision::deny(outside())
                }
            }
            Rule::Leads(_) => {
                let leads = profile
                    .leads
                    .get(domain.index())
                    .map(|l| l.as_slice())
                    .unwrap_or(&[]);
                let lead = leads
                    .iter()
                    .copied()
                    .find(|&l| self.tree.node(l).is_some_and(|n| n.covers(onode.pos)));
                match lead {
                    Some(l) => Decision::allow(in_subtree(l, true)),
                    None => Decision::deny(outside()),
                }
            }
            Rule::SubtreeOfSelf => Decision::deny(outside()),
        }
    }

    /// Why `user` does or does not hold `capability` in the default workspace.
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{Model, Reason};
    /// let mut model = Model::new();
    /// model.add_user("ada", None).unwrap();
    /// let snap = model.compile();
    /// let d = snap.explain_capability("ada", "noSuchFlag");
    /// assert_eq!(d.reason, Reason::UnknownCapability { capability: "\"noSuchFlag\"".into() });
    /// ```
    pub fn explain_capability(
        &self,
        user: impl Key<UserId>,
        capability: impl Key<Capability>,
    ) -> Decision {
        self.explain_capability_in(user, WorkspaceId::DEFAULT, capability)
    }

    /// [`explain_capability`](Snapshot::explain_capability) in a given workspace.
    pub fn explain_capability_in(
        &self,
        user: impl Key<UserId>,
        workspace: impl Key<WorkspaceId>,
        capability: impl Key<Capability>,
    ) -> Decision {
        let (u, _) = match self.active(&user) {
            Ok(x) => x,
            Err(reason) => return Decision::deny(reason),
        };
        let Some(c) = capability
            .resolve(self)
            .filter(|&c| self.capabilities.name(c).is_some())
        else {
            return Decision::deny(Reason::UnknownCapability {
                capability: capability.describe(),
            });
        };
        let (_, (p, _)) = match self.profile_for_explain(u, &workspace) {
            Ok(x) => x,
            Err(reason) => return Decision::deny(reason),
        };
        let set = self.caps.has(p, c);
        Decision {
            allowed: set,
            reason: Reason::Capability {
                profile: self
                    .profile_ids
                    .name(ProfileId::from_index(p))
                    .unwrap_or("")
                    .to_owned(),
                capability: self.capabilities.name(c).unwrap_or("").to_owned(),
                set,
            },
        }
    }

    /// Why `user` may or may not open library folder `folder` of the default workspace.
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{LibraryAccess, LibraryLevel, Model, ProfileSpec, Reason};
    /// let mut model = Model::new();
    /// model.add_user("ada", None).unwrap();
    /// model.add_folder("wins", None).unwrap();
    /// model.create_profile(ProfileSpec::new("p", "P").with_library(LibraryAccess::all())).unwrap();
    /// model.assign_profile("ada", "p").unwrap();
    /// let d = model.compile().explain_folder("ada", "wins");
    /// assert!(d.allowed);
    /// assert_eq!(d.reason, Reason::Library { profile: "p".into(), level: LibraryLevel::All, listed: false });
    /// ```
    pub fn explain_folder(&self, user: impl Key<UserId>, folder: impl Key<FolderId>) -> Decision {
        self.explain_folder_in(user, WorkspaceId::DEFAULT, folder)
    }

    /// [`explain_folder`](Snapshot::explain_folder) in a given workspace.
    pub fn explain_folder_in(
        &self,
        user: impl Key<UserId>,
        workspace: impl Key<WorkspaceId>,
        folder: impl Key<FolderId>,
    ) -> Decision {
        let (u, _) = match self.active(&user) {
            Ok(x) => x,
            Err(reason) => return Decision::deny(reason),
        };
        let Some(f) = folder
            .resolve(self)
            .filter(|&f| self.folders.name(f).is_some())
        else {
            return Decision::deny(Reason::UnknownFolder {
                folder: folder.describe(),
            });
        };
        let (w, (p, profile)) = match self.profile_for_explain(u, &workspace) {
            Ok(x) => x,
            Err(reason) => return Decision::deny(reason),
        };
        if self.folder_workspace.get(f.index() as usize) != Some(&w) {
            return Decision::deny(Reason::FolderOutsideWorkspace {
                folder: self.folders.name(f).unwrap_or("").to_owned(),
                workspace: self.workspaces.name(w).unwrap_or("").to_owned(),
            });
        }
        let listed = profile.folders.binary_search(&f).is_ok();
        let allowed = match profile.library_level {
            LibraryLevel::None => false,
            LibraryLevel::All => true,
            LibraryLevel::SpecificFolders => listed,
        };
        Decision {
            allowed,
            reason: Reason::Library {
                profile: self
                    .profile_ids
                    .name(ProfileId::from_index(p))
                    .unwrap_or("")
                    .to_owned(),
                level: profile.library_level,
                listed,
            },
        }
    }

    /// The user behind a key, if active; otherwise the reason to deny.
    fn active(&self, user: &impl Key<UserId>) -> Result<(UserId, crate::org::tree::Node), Reason> {
        user.resolve(self)
            .and_then(|u| self.tree.node(u).map(|n| (u, n)))
            .ok_or_else(|| Reason::UnknownUser {
                user: user.describe(),
            })
    }

    /// The workspace and the user's profile in it; otherwise the reason to deny.
    fn profile_for_explain(
        &self,
        u: UserId,
        workspace: &impl Key<WorkspaceId>,
    ) -> Result<(WorkspaceId, (u32, &CompiledProfile)), Reason> {
        let w = workspace
            .resolve(self)
            .filter(|&w| self.workspaces.name(w).is_some())
            .ok_or_else(|| Reason::UnknownWorkspace {
                workspace: workspace.describe(),
            })?;
        let profile = self
            .compiled_profile(u, w)
            .ok_or_else(|| Reason::NoProfile {
                user: self.users.name(u).unwrap_or("").to_owned(),
                workspace: self.workspaces.name(w).unwrap_or("").to_owned(),
            })?;
        Ok((w, profile))
    }

    /// Heap memory held, split into id text and everything else.
    ///
    /// Each figure is a capacity, so it is what the allocator was asked for.
    pub fn memory(&self) -> MemoryReport {
        let mut text = 0;
        let mut index_of = |(t, i): (usize, usize)| {
            text += t;
            i
        };
        let org = index_of(self.users.heap_bytes()) + self.tree.heap_bytes();
        let names = index_of(self.workspaces.heap_bytes())
            + index_of(self.folders.heap_bytes())
            + index_of(self.profile_ids.heap_bytes())
            + index_of(self.capabilities.heap_bytes());
        let objects = index_of(self.teams.heap_bytes())
            + index_of(self.calls.heap_bytes())
            + index_of(self.networks.heap_bytes())
            + index_of(self.items.heap_bytes());
        let bitmap = |b: &RoaringBitmap| b.serialized_size();
        let profiles = self.profiles.capacity() * core::mem::size_of::<CompiledProfile>();
        let reverse: usize = self
            .reverse
            .iter()
            .map(|r| {
                core::mem::size_of::<DomainIndex>()
                    + bitmap(&r.everyone)
                    + bitmap(&r.managers_team)
                    + r.lead_profiles.capacity() * 8
            })
            .sum();
        let profile_bytes = names
            + self.folder_workspace.capacity() * 4
            + self.assignment.heap_bytes()
            + profiles
            + self
                .lead_sets
                .iter()
                .map(|s| 8 + s.heap_bytes())
                .sum::<usize>()
            + self.caps.heap_bytes()
            + self
                .holders
                .iter()
                .map(|h| core::mem::size_of::<RoaringBitmap>() + bitmap(h))
                .sum::<usize>()
            + reverse;
        MemoryReport {
            users: self.n_users,
            id_text_bytes: text,
            org_bytes: org,
            profile_bytes,
            rbac_bytes: self.rbac.heap_bytes(),
            object_bytes: objects,
        }
    }
}
