//! The compiled, immutable evaluator: a composition of each family's compiled part, read
//! through views named after the families. [`Model::compile`](crate::Model::compile) builds
//! it, family by family in dependency order.

mod explain;
mod sources;

pub use explain::Reason;
pub(crate) use sources::Sources;

use std::sync::Arc;

use crate::calls::compiled::CompiledCalls;
use crate::calls::viewers::CallViewers;
use crate::decision::Decision;
use crate::id::key::Key;
use crate::id::{FolderId, ProfileId, UserId, WorkspaceId};
use crate::items::compiled::CompiledItems;
use crate::network::compiled::CompiledNetworks;
use crate::org::compiled::CompiledOrg;
use crate::profile::capability::Capability;
use crate::profile::compiled::CompiledProfiles;
use crate::profile::query::Profiles;
use crate::profile::{Domain, ProfileReason};
use crate::rbac::compiled::CompiledRbac;
use crate::teams::compiled::CompiledTeams;

/// The compiled evaluator: immutable, `Send + Sync`, cheap to share behind an `Arc`.
///
/// Deny by default: every query answers `false` (or an empty set) for anything it does not
/// know — an unknown or removed user, an unknown workspace, folder or capability, a user
/// without a profile — and never panics. `explain*` says which rule decided.
///
/// Each family is read through its view: [`profiles`](Snapshot::profiles) (the default
/// workspace, [`WorkspaceId::DEFAULT`]) or [`in_workspace`](Snapshot::in_workspace),
/// [`teams`](Snapshot::teams), [`rbac`](Snapshot::rbac), [`calls`](Snapshot::calls),
/// [`networks`](Snapshot::networks), [`items`](Snapshot::items); a view is a few references,
/// free to make, and its answers borrow the snapshot. Ids are passed as dense ids (fastest)
/// or external ids, see [`Key`].
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
    pub(crate) org: Arc<CompiledOrg>,
    pub(crate) profiles: Arc<CompiledProfiles>,
    pub(crate) teams: Arc<CompiledTeams>,
    pub(crate) calls: Arc<CompiledCalls>,
    /// Who reaches which calls through a profile: compiled from the profiles, apart from
    /// the call records.
    pub(crate) call_viewers: Arc<CallViewers>,
    pub(crate) networks: Arc<CompiledNetworks>,
    pub(crate) rbac: Arc<CompiledRbac>,
    pub(crate) items: Arc<CompiledItems>,
    /// Which version of each model store the parts were compiled from (what-if impact
    /// compares them to skip the families a change left alone).
    pub(crate) sources: Sources,
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
    /// assert_eq!(snap.user_id("ada"), Some(ada));
    /// assert_eq!(snap.user_name(ada), Some("ada"));
    /// assert_eq!(snap.user_id("bob"), None);
    /// ```
    #[inline]
    pub fn user_id(&self, id: &str) -> Option<UserId> {
        self.org.user(&id)
    }

    /// The external id of an active user.
    pub fn user_name(&self, user: UserId) -> Option<&str> {
        self.org.user_name(user)
    }

    /// Number of active users.
    pub fn user_count(&self) -> usize {
        self.org.tree.len() as usize
    }

    /// The dense id of a workspace.
    pub fn workspace_id(&self, id: &str) -> Option<WorkspaceId> {
        self.org.workspaces.get(id)
    }

    /// The dense id of a live profile.
    pub fn profile_id(&self, id: &str) -> Option<ProfileId> {
        self.profiles.live_profile(&id)
    }

    /// The dense id of a library folder.
    pub fn folder_id(&self, id: &str) -> Option<FolderId> {
        self.org.live_folder(id)
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
    /// assert_eq!(snap.capability_id("deals"), Some(Capability::DEALS));
    /// assert!(snap.capability_id("tenantFlag").is_some());
    /// assert_eq!(snap.capability_id("never-seen"), None);
    /// ```
    pub fn capability_id(&self, name: &str) -> Option<Capability> {
        self.profiles.capabilities.get(name)
    }

    // ---- the families -----------------------------------------------------------------------

    /// The profile checks of the default workspace: scoped data access, capabilities,
    /// library folders, their explanations and the reverse queries.
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{Domain, Level, Model, ProfileSpec};
    /// let mut model = Model::new();
    /// model.add_user("boss", None)?;
    /// model.add_user("rep", Some("boss"))?;
    /// model.create_profile(ProfileSpec::new("m", "M").with_level(Domain::Calls, Level::ReportToThem))?;
    /// model.assign_profile("boss", "m")?;
    /// let snap = model.compile();
    /// assert_eq!(snap.profiles().visible_owners("boss", Domain::Calls).len(), 2);
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    #[inline(always)]
    pub fn profiles(&self) -> Profiles<'_> {
        Profiles::default_workspace(&self.org, &self.profiles)
    }

    /// The profile checks of another workspace; an unknown one denies everything.
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{Domain, Level, Model, ProfileSpec};
    /// let mut model = Model::new();
    /// model.add_workspace("emea")?;
    /// model.add_user("ada", None)?;
    /// model.create_profile(ProfileSpec::new("p", "P").in_workspace("emea").with_level(Domain::Deals, Level::Own))?;
    /// model.assign_profile("ada", "p")?;
    /// let snap = model.compile();
    /// assert!(snap.in_workspace("emea").can_access("ada", Domain::Deals, "ada"));
    /// assert!(!snap.can_access("ada", Domain::Deals, "ada"));
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    pub fn in_workspace(&self, workspace: impl Key<WorkspaceId>) -> Profiles<'_> {
        Profiles::new(&self.org, &self.profiles, workspace)
    }

    /// Whether `viewer` may access data of `owner` in `domain` of the default workspace:
    /// [`Profiles::can_access`] of [`profiles`](Snapshot::profiles), kept flat because it is
    /// the check a host calls most.
    ///
    /// O(1): two position loads, a profile load and one or two comparisons.
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
    /// assert!(!snap.can_access("nobody", Domain::Deals, "ada")); // unknown: deny
    /// ```
    #[inline]
    pub fn can_access(
        &self,
        viewer: impl Key<UserId>,
        domain: Domain,
        owner: impl Key<UserId>,
    ) -> bool {
        self.profiles().can_access(viewer, domain, owner)
    }

    /// Whether `user`'s profile in the default workspace sets `capability`:
    /// [`Profiles::has_capability`] of [`profiles`](Snapshot::profiles), kept flat.
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{Capability, Model, ProfileSpec};
    /// let mut model = Model::new();
    /// model.add_user("ada", None).unwrap();
    /// model.create_profile(ProfileSpec::new("p", "P").with_capability("deals", true)).unwrap();
    /// model.assign_profile("ada", "p").unwrap();
    /// assert!(model.compile().has_capability("ada", Capability::DEALS));
    /// ```
    #[inline]
    pub fn has_capability(&self, user: impl Key<UserId>, capability: impl Key<Capability>) -> bool {
        self.profiles().has_capability(user, capability)
    }

    /// Why `viewer` may or may not access `owner`'s data in `domain` of the default
    /// workspace: [`Profiles::explain`] of [`profiles`](Snapshot::profiles), kept flat.
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{Domain, Model, ProfileReason};
    /// let mut model = Model::new();
    /// model.add_user("ada", None).unwrap();
    /// let d = model.compile().explain("ada", Domain::Calls, "ada");
    /// assert!(matches!(d.reason, ProfileReason::NoProfile { .. }));
    /// ```
    pub fn explain(
        &self,
        viewer: impl Key<UserId>,
        domain: Domain,
        owner: impl Key<UserId>,
    ) -> Decision<ProfileReason> {
        self.profiles().explain(viewer, domain, owner)
    }

    /// Teams: membership and members.
    pub fn teams(&self) -> crate::teams::Teams<'_> {
        crate::teams::Teams::new(&self.org, &self.teams)
    }

    /// Calls: who may open or list a call, visible calls, explanations.
    pub fn calls(&self) -> crate::calls::Calls<'_> {
        crate::calls::Calls::new(&self.org, &self.profiles, &self.calls, &self.call_viewers)
    }

    /// Networks: network permissions, features, advisors, rooms.
    pub fn networks(&self) -> crate::network::Networks<'_> {
        crate::network::Networks::new(&self.org, &self.networks)
    }

    /// Roles and permissions, divisions and actions.
    pub fn rbac(&self) -> crate::rbac::Rbac<'_> {
        crate::rbac::Rbac::new(&self.org, &self.rbac)
    }

    /// Items: allowed verbs, readable items, explanations.
    pub fn items(&self) -> crate::items::Items<'_> {
        crate::items::Items::new(&self.org, &self.teams, &self.rbac, &self.items)
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
        let (users, names) = self.org.heap_bytes();
        let org = index_of(users);
        let profile_bytes = index_of(names) + index_of(self.profiles.heap_bytes());
        let objects = index_of(self.teams.heap_bytes())
            + index_of(self.calls.heap_bytes())
            + self.call_viewers.heap_bytes()
            + index_of(self.networks.heap_bytes())
            + index_of(self.items.heap_bytes());
        MemoryReport {
            users: self.org.n_users,
            id_text_bytes: text,
            org_bytes: org,
            profile_bytes,
            rbac_bytes: self.rbac.heap_bytes(),
            object_bytes: objects,
        }
    }
}
