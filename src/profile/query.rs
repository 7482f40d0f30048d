//! The profiles family's read view: data access by scope, capabilities and library folders in
//! one workspace, their explanations, and the reverse queries (whose data a viewer reaches,
//! who reaches an owner's data, who holds a profile, filtering many owners for one viewer).

use roaring::RoaringBitmap;

use crate::decision::Decision;
use crate::id::id_set::IdSet;
use crate::id::key::Key;
use crate::id::{DenseId, FolderId, NONE, ProfileId, UserId, WorkspaceId};
use crate::org::compiled::CompiledOrg;
use crate::org::user_set::UserSet;
use crate::profile::capability::Capability;
use crate::profile::compiled::{CompiledProfile, CompiledProfiles};
use crate::profile::reason::ProfileReason;
use crate::profile::scope::{Reach, Rule, in_span};
use crate::profile::{Domain, LibraryFlag, LibraryLevel};

/// One viewer's reach in one domain, resolved once and then applied to many owners.
///
/// Build it with [`Profiles::owner_filter`] at the start of a request and test each row
/// with [`allows`](OwnerFilter::allows): one position load and a comparison per owner.
///
/// # Examples
///
/// ```
/// use orgperm::{Domain, Level, Model, ProfileSpec};
/// let mut model = Model::new();
/// model.add_user("boss", None).unwrap();
/// model.add_user("rep", Some("boss")).unwrap();
/// model.add_user("other", None).unwrap();
/// model.create_profile(ProfileSpec::new("p", "P").with_level(Domain::Deals, Level::ReportToThem)).unwrap();
/// model.assign_profile("boss", "p").unwrap();
/// let snap = model.compile();
/// let filter = snap.profiles().owner_filter("boss", Domain::Deals);
/// assert!(filter.allows("rep"));
/// assert!(!filter.allows("other"));
/// ```
#[derive(Clone, Copy, Debug)]
pub struct OwnerFilter<'s> {
    reach: Reach<'s>,
    org: &'s CompiledOrg,
}

impl OwnerFilter<'_> {
    /// Whether the viewer may access `owner`'s data.
    #[inline]
    pub fn allows(&self, owner: impl Key<UserId>) -> bool {
        owner
            .resolve(&self.org.users)
            .is_some_and(|o| self.reach.covers(self.org.tree.pos(o)))
    }
}

/// The capabilities a user holds, answering [`Profiles::capabilities_of`]; see [`IdSet`] for
/// its methods.
///
/// # Examples
///
/// ```
/// use orgperm::{Capability, Model, ProfileSpec};
/// let mut model = Model::new();
/// model.add_user("ada", None)?;
/// model.create_profile(ProfileSpec::new("p", "P").with_capability("deals", true))?;
/// model.assign_profile("ada", "p")?;
/// let snap = model.compile();
/// let caps: orgperm::CapabilitySet<'_> = snap.profiles().capabilities_of("ada");
/// assert!(caps.contains(Capability::DEALS));
/// # Ok::<(), orgperm::ModelError>(())
/// ```
pub type CapabilitySet<'s> = IdSet<'s, Capability>;

/// The library folders a user may open, answering [`Profiles::folders_of`]; see [`IdSet`]
/// for its methods.
///
/// # Examples
///
/// ```
/// use orgperm::{LibraryAccess, Model, ProfileSpec};
/// let mut model = Model::new();
/// model.add_user("ada", None)?;
/// model.add_folder("wins", None)?;
/// model.create_profile(ProfileSpec::new("p", "P").with_library(LibraryAccess::all()))?;
/// model.assign_profile("ada", "p")?;
/// let snap = model.compile();
/// let folders: orgperm::FolderSet<'_> = snap.profiles().folders_of("ada");
/// assert_eq!(folders.external_ids().collect::<Vec<_>>(), ["wins"]);
/// # Ok::<(), orgperm::ModelError>(())
/// ```
pub type FolderSet<'s> = IdSet<'s, FolderId>;

/// From this many owners on (and at least one owner per eight users), `filter_owners` marks
/// the reached users in a bitmap first.
const BULK_OWNERS: usize = 4096;

/// The profile checks of one workspace: from [`Snapshot::profiles`](crate::Snapshot::profiles)
/// (the default workspace) or [`Snapshot::in_workspace`](crate::Snapshot::in_workspace).
///
/// Deny by default: an unknown workspace, an unknown or removed user, a user without a profile
/// in the workspace answer `false` (or an empty set), and `explain*` says why.
///
/// # Examples
///
/// ```
/// use orgperm::{Domain, Level, Model, ProfileSpec};
/// let mut model = Model::new();
/// model.add_workspace("emea")?;
/// model.add_user("ada", None)?;
/// model.create_profile(ProfileSpec::new("p", "All").in_workspace("emea").with_all_levels(Level::All))?;
/// model.assign_profile("ada", "p")?;
/// let snap = model.compile();
/// assert!(snap.in_workspace("emea").can_access("ada", Domain::Calls, "ada"));
/// assert!(!snap.can_access("ada", Domain::Calls, "ada")); // no profile in the default one
/// assert!(!snap.in_workspace("nowhere").can_access("ada", Domain::Calls, "ada"));
/// # Ok::<(), orgperm::ModelError>(())
/// ```
#[derive(Clone, Debug)]
pub struct Profiles<'s> {
    org: &'s CompiledOrg,
    p: &'s CompiledProfiles,
    /// The workspace, or the key as written when it names none (for explanations).
    ws: Result<WorkspaceId, String>,
}

impl<'s> Profiles<'s> {
    pub(crate) fn new(
        org: &'s CompiledOrg,
        p: &'s CompiledProfiles,
        workspace: impl Key<WorkspaceId>,
    ) -> Self {
        let ws = org
            .workspace(&workspace)
            .ok_or_else(|| workspace.describe());
        Profiles { org, p, ws }
    }

    /// The view of the default workspace (no lookup).
    #[inline(always)]
    pub(crate) fn default_workspace(org: &'s CompiledOrg, p: &'s CompiledProfiles) -> Self {
        Profiles {
            org,
            p,
            ws: Ok(WorkspaceId::DEFAULT),
        }
    }

    #[inline(always)]
    fn ws(&self) -> Option<WorkspaceId> {
        self.ws.as_ref().ok().copied()
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
    /// assert_eq!(snap.in_workspace(WorkspaceId::DEFAULT).profile_of("ada"), Some(p));
    /// ```
    pub fn profile_of(&self, user: impl Key<UserId>) -> Option<ProfileId> {
        let u = user.resolve(&self.org.users)?;
        let w = self.ws()?;
        self.org.tree.node(u)?;
        let p = self.p.profile_index(u, w);
        (p != NONE).then(|| ProfileId::from_index(p))
    }

    /// What viewer `v` reaches in `domain` of workspace `w`.
    #[inline(always)]
    fn reach(&self, v: UserId, w: WorkspaceId, domain: Domain) -> Reach<'s> {
        let Some(node) = self.org.tree.node(v) else {
            return Reach::Nobody;
        };
        match self.p.compiled_profile(v, w) {
            Some((_, profile)) => Reach::resolve(
                profile.rule(domain),
                v,
                node,
                &self.org.tree,
                &self.p.lead_sets,
            ),
            None => Reach::Nobody,
        }
    }

    /// Whether `viewer` may access data of `owner` in `domain` of the view's workspace.
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
        let (Some(v), Some(w), Some(o)) = (
            viewer.resolve(&self.org.users),
            self.ws(),
            owner.resolve(&self.org.users),
        ) else {
            return false;
        };
        let pos = self.org.tree.pos(o);
        let Some([own, team]) = self.org.tree.record(v) else {
            return false;
        };
        match self.p.rule(v, w, domain).span(own, team) {
            Some(span) => in_span(span, pos),
            None => self.reach(v, w, domain).covers(pos),
        }
    }

    /// Whether `user`'s profile in the view's workspace sets `capability`.
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
        let (Some(u), Some(w), Some(c)) = (
            user.resolve(&self.org.users),
            self.ws(),
            capability.resolve(&self.p.capabilities),
        ) else {
            return false;
        };
        // Users outside the tree hold no assignment (see `compile`): one load decides.
        let p = self.p.profile_index(u, w);
        p != NONE && self.p.caps.has(p, c)
    }

    /// Whether `user` may open library folder `folder` of the view's workspace: the
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
    /// assert!(snap.profiles().can_access_folder("ada", "wins"));
    /// assert!(!snap.profiles().can_access_folder("ada", "losses"));
    /// ```
    pub fn can_access_folder(&self, user: impl Key<UserId>, folder: impl Key<FolderId>) -> bool {
        self.explain_folder(user, folder).allowed
    }

    /// Whether `user`'s profile in the view's workspace sets a library manage flag.
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
    /// assert!(snap.profiles().has_library_flag("ada", LibraryFlag::ManageStreams));
    /// assert!(!snap.profiles().has_library_flag("ada", LibraryFlag::ManagePublicFolder));
    /// ```
    pub fn has_library_flag(&self, user: impl Key<UserId>, flag: LibraryFlag) -> bool {
        let (Some(u), Some(w)) = (user.resolve(&self.org.users), self.ws()) else {
            return false;
        };
        self.p
            .compiled_profile(u, w)
            .is_some_and(|(_, p)| p.library_flags & flag.bit() != 0)
    }

    // ---- explanations -----------------------------------------------------------------------

    /// Why `viewer` may or may not access `owner`'s data in `domain` of the view's workspace.
    /// Always agrees with [`can_access`](Profiles::can_access).
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{Domain, Level, Model, ProfileSpec, ProfileReason};
    /// let mut model = Model::new();
    /// model.add_user("lead", None).unwrap();
    /// model.add_user("rep", Some("lead")).unwrap();
    /// model.add_user("analyst", None).unwrap();
    /// model.create_profile(ProfileSpec::new("p", "Analysts").with_leads(Domain::Calls, Level::ManagersTeam, ["lead"])).unwrap();
    /// model.assign_profile("analyst", "p").unwrap();
    /// let snap = model.compile();
    /// let d = snap.explain("analyst", Domain::Calls, "rep");
    /// assert!(d.allowed);
    /// assert_eq!(d.reason, ProfileReason::InSubtree {
    ///     profile: "p".into(), level: Level::ManagersTeam, root: "lead".into(), lead: true,
    /// });
    /// ```
    pub fn explain(
        &self,
        viewer: impl Key<UserId>,
        domain: Domain,
        owner: impl Key<UserId>,
    ) -> Decision<ProfileReason> {
        let (v, vnode) = match self.active(&viewer) {
            Ok(x) => x,
            Err(reason) => return Decision::deny(reason),
        };
        let (o, onode) = match self.active(&owner) {
            Ok(x) => x,
            Err(reason) => return Decision::deny(reason),
        };
        let (_, (p, profile)) = match self.profile_for_explain(v) {
            Ok(x) => x,
            Err(reason) => return Decision::deny(reason),
        };
        let name = self
            .p
            .profile_ids
            .name(ProfileId::from_index(p))
            .unwrap_or("")
            .to_owned();
        let level = profile.level(domain);
        let user_name = |u: UserId| self.org.users.name(u).unwrap_or("").to_owned();
        let in_subtree = |root: UserId, lead: bool| ProfileReason::InSubtree {
            profile: name.clone(),
            level,
            root: user_name(root),
            lead,
        };
        let own = || ProfileReason::OwnData {
            profile: name.clone(),
            level,
        };
        let outside = || ProfileReason::OutsideScope {
            profile: name.clone(),
            level,
        };
        match profile.rule(domain) {
            Rule::Nobody => Decision::deny(ProfileReason::LevelNone {
                profile: name.clone(),
                domain,
            }),
            Rule::All => Decision::allow(ProfileReason::LevelAll {
                profile: name.clone(),
                domain,
            }),
            _ if v == o => Decision::allow(own()),
            Rule::Own => Decision::deny(outside()),
            Rule::SubtreeOfSelf if vnode.covers(onode.pos) => Decision::allow(in_subtree(v, false)),
            Rule::SubtreeOfManager => {
                let root = self.org.tree.manager(v).unwrap_or(v);
                let covered = self
                    .org
                    .tree
                    .node(root)
                    .is_some_and(|r| r.covers(onode.pos));
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
                    .find(|&l| self.org.tree.node(l).is_some_and(|n| n.covers(onode.pos)));
                match lead {
                    Some(l) => Decision::allow(in_subtree(l, true)),
                    None => Decision::deny(outside()),
                }
            }
            Rule::SubtreeOfSelf => Decision::deny(outside()),
        }
    }

    /// Why `user` does or does not hold `capability` in the view's workspace.
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{Model, ProfileReason};
    /// let mut model = Model::new();
    /// model.add_user("ada", None).unwrap();
    /// let snap = model.compile();
    /// let d = snap.profiles().explain_capability("ada", "noSuchFlag");
    /// assert_eq!(d.reason, ProfileReason::UnknownCapability { capability: "\"noSuchFlag\"".into() });
    /// ```
    pub fn explain_capability(
        &self,
        user: impl Key<UserId>,
        capability: impl Key<Capability>,
    ) -> Decision<ProfileReason> {
        let (u, _) = match self.active(&user) {
            Ok(x) => x,
            Err(reason) => return Decision::deny(reason),
        };
        let Some(c) = capability
            .resolve(&self.p.capabilities)
            .filter(|&c| self.p.capabilities.name(c).is_some())
        else {
            return Decision::deny(ProfileReason::UnknownCapability {
                capability: capability.describe(),
            });
        };
        let (_, (p, _)) = match self.profile_for_explain(u) {
            Ok(x) => x,
            Err(reason) => return Decision::deny(reason),
        };
        let set = self.p.caps.has(p, c);
        Decision {
            allowed: set,
            reason: ProfileReason::Capability {
                profile: self
                    .p
                    .profile_ids
                    .name(ProfileId::from_index(p))
                    .unwrap_or("")
                    .to_owned(),
                capability: self.p.capabilities.name(c).unwrap_or("").to_owned(),
                set,
            },
        }
    }

    /// Why `user` may or may not open library folder `folder` of the view's workspace.
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{LibraryAccess, LibraryLevel, Model, ProfileSpec, ProfileReason};
    /// let mut model = Model::new();
    /// model.add_user("ada", None).unwrap();
    /// model.add_folder("wins", None).unwrap();
    /// model.create_profile(ProfileSpec::new("p", "P").with_library(LibraryAccess::all())).unwrap();
    /// model.assign_profile("ada", "p").unwrap();
    /// let d = model.compile().profiles().explain_folder("ada", "wins");
    /// assert!(d.allowed);
    /// assert_eq!(d.reason, ProfileReason::Library { profile: "p".into(), level: LibraryLevel::All, listed: false });
    /// ```
    pub fn explain_folder(
        &self,
        user: impl Key<UserId>,
        folder: impl Key<FolderId>,
    ) -> Decision<ProfileReason> {
        let (u, _) = match self.active(&user) {
            Ok(x) => x,
            Err(reason) => return Decision::deny(reason),
        };
        let Some(f) = folder
            .resolve(&self.org.folders)
            .filter(|&f| self.org.folder_live(f))
        else {
            return Decision::deny(ProfileReason::UnknownFolder {
                folder: folder.describe(),
            });
        };
        let (w, (p, profile)) = match self.profile_for_explain(u) {
            Ok(x) => x,
            Err(reason) => return Decision::deny(reason),
        };
        if self.org.folder_workspace.get(f.index() as usize) != Some(&w) {
            return Decision::deny(ProfileReason::FolderOutsideWorkspace {
                folder: self.org.folders.name(f).unwrap_or("").to_owned(),
                workspace: self.org.workspaces.name(w).unwrap_or("").to_owned(),
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
            reason: ProfileReason::Library {
                profile: self
                    .p
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
    fn active(
        &self,
        user: &impl Key<UserId>,
    ) -> Result<(UserId, crate::org::tree::Node), ProfileReason> {
        self.org
            .active(user)
            .ok_or_else(|| ProfileReason::UnknownUser {
                user: user.describe(),
            })
    }

    /// The workspace and the user's profile in it; otherwise the reason to deny.
    fn profile_for_explain(
        &self,
        u: UserId,
    ) -> Result<(WorkspaceId, (u32, &'s CompiledProfile)), ProfileReason> {
        let w = self
            .ws
            .clone()
            .map_err(|workspace| ProfileReason::UnknownWorkspace { workspace })?;
        let profile = self
            .p
            .compiled_profile(u, w)
            .ok_or_else(|| ProfileReason::NoProfile {
                user: self.org.users.name(u).unwrap_or("").to_owned(),
                workspace: self.org.workspaces.name(w).unwrap_or("").to_owned(),
            })?;
        Ok((w, profile))
    }

    /// Resolves `viewer`'s reach in `domain` of `workspace` once, for many owner checks.
    pub fn owner_filter(&self, viewer: impl Key<UserId>, domain: Domain) -> OwnerFilter<'s> {
        let reach = match (viewer.resolve(&self.org.users), self.ws()) {
            (Some(v), Some(w)) => self.reach(v, w, domain),
            _ => Reach::Nobody,
        };
        OwnerFilter {
            reach,
            org: self.org,
        }
    }

    /// The owners among `owners` (dense ids or external ids, like every query) whose data
    /// `viewer` may access in `domain` of the view's workspace, in input order; unknown
    /// owners are left out.
    ///
    /// O(owners): the viewer is resolved once. For many owners (at least 4,096 and one per
    /// eight users) the reached users are first marked in a bitmap over dense ids, which costs
    /// O(users reached) and turns each owner into one bit test in a table that fits in cache.
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{Domain, Level, Model, ProfileSpec};
    /// let mut model = Model::new();
    /// let a = model.add_user("a", None).unwrap();
    /// let b = model.add_user("b", None).unwrap();
    /// model.create_profile(ProfileSpec::new("p", "P").with_level(Domain::Calls, Level::Own)).unwrap();
    /// model.assign_profile("a", "p").unwrap();
    /// let snap = model.compile();
    /// assert_eq!(snap.profiles().filter_owners(a, Domain::Calls, &[b, a, b]), vec![a]);
    /// assert_eq!(snap.profiles().filter_owners("a", Domain::Calls, &["b", "a", "nobody"]), vec!["a"]);
    /// ```
    pub fn filter_owners<K: Key<UserId> + Copy>(
        &self,
        viewer: impl Key<UserId>,
        domain: Domain,
        owners: &[K],
    ) -> Vec<K> {
        fn keep<K: Key<UserId> + Copy>(
            org: &CompiledOrg,
            owners: &[K],
            reached: impl Fn(u32) -> bool,
        ) -> Vec<K> {
            owners
                .iter()
                .copied()
                .filter(|o| {
                    o.resolve(&org.users)
                        .is_some_and(|o| reached(org.tree.pos(o)))
                })
                .collect()
        }
        let org = self.org;
        let reach = self.owner_filter(viewer, domain).reach;
        if owners.len() >= BULK_OWNERS && owners.len() >= self.org.n_users / 8 {
            return self.filter_owners_bulk(reach, owners);
        }
        // One monomorphic loop per kind of reach: each owner costs a load and a comparison
        // (and, for an external id, its lookup).
        match reach {
            Reach::Nobody => Vec::new(),
            Reach::All => keep(org, owners, |p| p != NONE),
            Reach::Own(own) => keep(org, owners, |p| p == own),
            Reach::Span(s, e) => keep(org, owners, |p| s <= p && p < e),
            Reach::Leads(own, set) => keep(org, owners, |p| p == own || set.contains(p)),
        }
    }

    /// Many owners: mark the reached users in a bitmap over dense ids first (a bit per user:
    /// 12.5 KiB at 100,000 users, so it stays in L1/L2 cache), then each owner costs one bit
    /// test instead of a random load from the position table. Marking walks the reached
    /// preorder runs, whose users are read in order.
    fn filter_owners_bulk<K: Key<UserId> + Copy>(&self, reach: Reach<'_>, owners: &[K]) -> Vec<K> {
        let mut bits = vec![0u64; self.org.n_users.div_ceil(64)];
        let mut mark = |s: u32, e: u32| {
            for p in s..e.min(self.org.tree.len()) {
                if let Some(u) = self.org.tree.user_at(p) {
                    let i = u.index() as usize;
                    if let Some(w) = bits.get_mut(i / 64) {
                        *w |= 1 << (i % 64);
                    }
                }
            }
        };
        match reach {
            Reach::Nobody => return Vec::new(),
            Reach::All => mark(0, self.org.tree.len()),
            Reach::Own(p) => mark(p, p.saturating_add(1)),
            Reach::Span(s, e) => mark(s, e),
            Reach::Leads(own, set) => {
                for &(s, e) in set.spans() {
                    mark(s, e);
                }
                mark(own, own.saturating_add(1));
            }
        }
        owners
            .iter()
            .copied()
            .filter(|o| {
                o.resolve(&self.org.users).is_some_and(|o| {
                    let i = o.index() as usize;
                    bits.get(i / 64).is_some_and(|w| w & (1 << (i % 64)) != 0)
                })
            })
            .collect()
    }

    /// The users whose data `viewer` may access in `domain` of the view's workspace. Why an
    /// owner is in the set: [`explain`](Profiles::explain) for the viewer and that owner.
    ///
    /// O(number of lead intervals) to build: a subtree is one run of preorder positions.
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{Domain, Level, Model, ProfileSpec};
    /// let mut model = Model::new();
    /// model.add_user("ceo", None).unwrap();
    /// model.add_user("vp", Some("ceo")).unwrap();
    /// model.add_user("rep", Some("vp")).unwrap();
    /// model.create_profile(ProfileSpec::new("p", "P").with_level(Domain::Coaching, Level::ReportToThem)).unwrap();
    /// model.assign_profile("vp", "p").unwrap();
    /// let snap = model.compile();
    /// let seen: Vec<_> = snap.profiles().visible_owners("vp", Domain::Coaching).external_ids().collect();
    /// assert_eq!(seen, ["vp", "rep"]);
    /// ```
    pub fn visible_owners(&self, viewer: impl Key<UserId>, domain: Domain) -> UserSet<'s> {
        let reach = self.owner_filter(viewer, domain).reach;
        let mut set = RoaringBitmap::new();
        match reach {
            Reach::Nobody => {}
            Reach::All => {
                set.insert_range(0..self.org.tree.len());
            }
            Reach::Own(p) => {
                set.insert(p);
            }
            Reach::Span(s, e) => {
                set.insert_range(s..e);
            }
            Reach::Leads(own, spans) => {
                for &(s, e) in spans.spans() {
                    set.insert_range(s..e);
                }
                set.insert(own);
            }
        }
        UserSet::from_positions(set, self.org)
    }

    /// The users who may access `owner`'s data in `domain` of the view's workspace. Why a
    /// member is in the set: [`explain`](Profiles::explain) for that member and the owner.
    ///
    /// O(depth of `owner` + output): holders of `all` come from a precomputed set; the walk up
    /// `owner`'s manager chain finds `report-to-them` holders above it and, through the
    /// breadth-first numbering in which each manager's reports are one run, the
    /// `managers-team` holders whose manager is above it; `managers-team` profiles with leads
    /// are tested once each.
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{Domain, Level, Model, ProfileSpec};
    /// let mut model = Model::new();
    /// model.add_user("ceo", None).unwrap();
    /// model.add_user("vp", Some("ceo")).unwrap();
    /// model.add_user("rep", Some("vp")).unwrap();
    /// model.create_profile(ProfileSpec::new("m", "Managers").with_level(Domain::Calls, Level::ReportToThem)).unwrap();
    /// model.assign_profile("ceo", "m").unwrap();
    /// model.assign_profile("vp", "m").unwrap();
    /// let snap = model.compile();
    /// let who: Vec<_> = snap.profiles().who_can_access("rep", Domain::Calls).external_ids().collect();
    /// assert_eq!(who, ["ceo", "vp"]); // rep holds no profile, so not even rep
    /// ```
    pub fn who_can_access(&self, owner: impl Key<UserId>, domain: Domain) -> UserSet<'s> {
        let found = self
            .org
            .active(&owner)
            .zip(self.ws())
            .and_then(|((o, _), w)| Some((o, w, self.p.domain_index(w, domain)?)));
        let Some((o, w, index)) = found else {
            return UserSet::from_positions(RoaringBitmap::new(), self.org);
        };
        let mut set = (*index.everyone).clone();
        self.p.add_reaching(self.org, index, w, domain, o, &mut set);
        UserSet::from_positions(set, self.org)
    }

    /// The active users whose profile in the view's workspace holds `capability`: the
    /// reverse of [`has_capability`](Profiles::has_capability). Why a member is in the set:
    /// [`explain_capability`](Profiles::explain_capability) for that member.
    ///
    /// O(profiles of the workspace + output): the union of the holders of every profile
    /// granting it. Unknown capability or workspace: the empty set.
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{Capability, Model, ProfileSpec};
    /// let mut model = Model::new();
    /// model.add_user("ada", None)?;
    /// model.add_user("bob", None)?;
    /// model.add_user("cy", None)?;
    /// model.create_profile(ProfileSpec::new("coach", "Coach").with_capability("scoreCalls", true))?;
    /// model.create_profile(ProfileSpec::new("rep", "Rep"))?;
    /// model.assign_profile("ada", "coach")?;
    /// model.assign_profile("bob", "rep")?;
    /// let snap = model.compile();
    /// let who = snap.profiles().who_has_capability(Capability::SCORE_CALLS);
    /// assert_eq!(who.external_ids().collect::<Vec<_>>(), ["ada"]);
    /// assert!(snap.profiles().who_has_capability("noSuchCapability").is_empty());
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    pub fn who_has_capability(&self, capability: impl Key<Capability>) -> UserSet<'s> {
        let mut set = RoaringBitmap::new();
        if let (Some(w), Some(c)) = (self.ws(), capability.resolve(&self.p.capabilities)) {
            for (p, _, holders) in self.p.profiles_in(w) {
                if self.p.caps.has(p, c) {
                    set |= holders;
                }
            }
        }
        UserSet::from_positions(set, self.org)
    }

    /// The active users who may open library folder `folder`: the reverse of
    /// [`can_access_folder`](Profiles::can_access_folder). Why a member is in the set:
    /// [`explain_folder`](Profiles::explain_folder) for that member.
    ///
    /// O(profiles of the workspace + output): the holders of every profile of the view's
    /// workspace whose library level is `all`, or `specific-folders` listing the folder. A
    /// folder of another workspace, an unknown or removed folder: the empty set.
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{LibraryAccess, Model, ProfileSpec};
    /// let mut model = Model::new();
    /// model.add_user("ada", None)?;
    /// model.add_user("bob", None)?;
    /// model.add_user("cy", None)?;
    /// model.add_folder("wins", None)?;
    /// model.create_profile(ProfileSpec::new("all", "All").with_library(LibraryAccess::all()))?;
    /// model.create_profile(ProfileSpec::new("some", "Some").with_library(LibraryAccess::specific(["wins"])))?;
    /// model.create_profile(ProfileSpec::new("none", "None"))?;
    /// model.assign_profile("ada", "all")?;
    /// model.assign_profile("bob", "some")?;
    /// model.assign_profile("cy", "none")?;
    /// let snap = model.compile();
    /// let who = snap.profiles().who_can_access_folder("wins");
    /// assert_eq!(who.external_ids().collect::<Vec<_>>(), ["ada", "bob"]);
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    pub fn who_can_access_folder(&self, folder: impl Key<FolderId>) -> UserSet<'s> {
        let mut set = RoaringBitmap::new();
        if let (Some(w), Some(f)) = (self.ws(), self.folder_in_view(&folder)) {
            for (_, profile, holders) in self.p.profiles_in(w) {
                let opens = match profile.library_level {
                    LibraryLevel::None => false,
                    LibraryLevel::All => true,
                    LibraryLevel::SpecificFolders => profile.folders.binary_search(&f).is_ok(),
                };
                if opens {
                    set |= holders;
                }
            }
        }
        UserSet::from_positions(set, self.org)
    }

    /// The capabilities `user`'s profile in the view's workspace holds, as a set; the empty
    /// set for an unknown or removed user or one without a profile there.
    ///
    /// O(capability names of the profile).
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{Capability, Model, ProfileSpec};
    /// let mut model = Model::new();
    /// model.add_user("ada", None)?;
    /// model.create_profile(ProfileSpec::new("p", "P").with_capability("deals", true).with_capability("myTeam", true).with_capability("usage", false))?;
    /// model.assign_profile("ada", "p")?;
    /// let snap = model.compile();
    /// let caps = snap.profiles().capabilities_of("ada");
    /// assert_eq!(caps.len(), 2);
    /// assert!(caps.contains(Capability::DEALS) && !caps.contains(Capability::USAGE));
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    pub fn capabilities_of(&self, user: impl Key<UserId>) -> CapabilitySet<'s> {
        let mut set = RoaringBitmap::new();
        if let (Some((u, _)), Some(w)) = (self.org.active(&user), self.ws()) {
            let p = self.p.profile_index(u, w);
            if p != NONE {
                set.extend(self.p.caps.of_profile(p).map(|c| c.index()));
            }
        }
        IdSet::new(set, &self.p.capabilities)
    }

    /// The library folders of the view's workspace that `user` may open, as a set: every
    /// folder of the workspace for library level `all`, the listed ones for
    /// `specific-folders`, none otherwise.
    ///
    /// O(folders of the workspace) for `all`, O(listed folders) otherwise.
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{LibraryAccess, Model, ProfileSpec};
    /// let mut model = Model::new();
    /// model.add_user("ada", None)?;
    /// model.add_folder("wins", None)?;
    /// model.add_folder("losses", None)?;
    /// model.create_profile(ProfileSpec::new("p", "P").with_library(LibraryAccess::specific(["losses"])))?;
    /// model.assign_profile("ada", "p")?;
    /// let snap = model.compile();
    /// assert_eq!(snap.profiles().folders_of("ada").external_ids().collect::<Vec<_>>(), ["losses"]);
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    pub fn folders_of(&self, user: impl Key<UserId>) -> FolderSet<'s> {
        let mut set = RoaringBitmap::new();
        let profile = self
            .org
            .active(&user)
            .zip(self.ws())
            .and_then(|((u, _), w)| Some((w, self.p.compiled_profile(u, w)?.1)));
        if let Some((w, profile)) = profile {
            // A removed folder has no workspace, so it is in no view.
            let in_view =
                |f: FolderId| self.org.folder_workspace.get(f.index() as usize) == Some(&w);
            match profile.library_level {
                LibraryLevel::None => {}
                LibraryLevel::All => set.extend(
                    (0..self.org.folder_workspace.len() as u32)
                        .filter(|&f| in_view(FolderId::from_index(f))),
                ),
                LibraryLevel::SpecificFolders => set.extend(
                    profile
                        .folders
                        .iter()
                        .filter(|&&f| in_view(f))
                        .map(|f| f.index()),
                ),
            }
        }
        IdSet::new(set, &self.org.folders)
    }

    /// A live folder of the view's workspace behind a key.
    fn folder_in_view(&self, folder: &impl Key<FolderId>) -> Option<FolderId> {
        let w = self.ws()?;
        folder
            .resolve(&self.org.folders)
            .filter(|&f| self.org.folder_workspace.get(f.index() as usize) == Some(&w))
    }

    /// The active users holding `profile`.
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{Model, ProfileSpec};
    /// let mut model = Model::new();
    /// model.add_user("ada", None).unwrap();
    /// model.create_profile(ProfileSpec::new("p", "P")).unwrap();
    /// model.assign_profile("ada", "p").unwrap();
    /// let snap = model.compile();
    /// assert_eq!(snap.profiles().users_with_profile("p").external_ids().collect::<Vec<_>>(), ["ada"]);
    /// ```
    pub fn users_with_profile(&self, profile: impl Key<ProfileId>) -> UserSet<'s> {
        let set = profile
            .resolve(&self.p.profile_ids)
            .and_then(|p| self.p.holders.get(p.index() as usize))
            .map(|h| (**h).clone())
            .unwrap_or_default();
        UserSet::from_positions(set, self.org)
    }
}
