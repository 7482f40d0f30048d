//! Who may open a call: the check, its explanation, and the batch and reverse forms.
//!
//! `snap.calls().can_open(v, c)`, for a viewer holding a profile in the call's workspace:
//!
//! - a **private** call opens only for its owner, its internal participants and the users it
//!   was explicitly shared with, whatever the viewer's level;
//! - any other call opens when the viewer's `callsAccess` scope reaches one of its
//!   participants (the owner counts as one), or the viewer is a participant, or the call was
//!   shared with them, or they may access one of the library folders holding it, or they hold
//!   an individual grant on it.
//!
//! Removing a user takes them off every call (owner, participant, sharee, grantee); the call
//! stays. No scope reaches a removed user's data, not even `all`: a call whose participants
//! were all removed (an ownerless call without participants) opens only through a share, a
//! folder or a grant.
//!
//! A viewer without a profile in the call's workspace opens nothing there (the contract's
//! "a user with no profile in a workspace has no access there"), not even their own calls.
//! Listing a call's existence (owner, start time) is separate: everyone holding a profile in
//! the workspace may list every call of it, private ones included. Page gates such as the
//! `callsAndSearch` capability are not consulted: check them with
//! [`Snapshot::has_capability`](crate::Snapshot::has_capability).

use roaring::RoaringBitmap;

use crate::calls::compiled::{CallRec, CompiledCalls, LEADS, ViewerEntry};
use crate::calls::reason::CallReason;
use crate::calls::viewers::CallViewers;
use crate::calls::{CallId, CallSet};
use crate::decision::Decision;
use crate::id::key::Key;
use crate::id::{DenseId, FolderId, NONE, UserId, WorkspaceId};
use crate::org::compiled::CompiledOrg;
use crate::org::user_set::UserSet;
use crate::profile::compiled::CompiledProfiles;
use crate::profile::viewer::Reach;
use crate::profile::{Domain, LibraryLevel};

/// What a listing of a call's existence shows, from [`Calls::info`].
///
/// # Examples
///
/// ```
/// use orgperm::{CallSpec, Model};
/// let mut model = Model::new();
/// let ada = model.add_user("ada", None)?;
/// model.calls_mut().add_call(CallSpec::new("c1", "ada").started_at(1_700_000_000).private(true))?;
/// let info = model.compile().calls().info("c1").unwrap();
/// assert_eq!((info.owner, info.started, info.private), (Some(ada), 1_700_000_000, true));
/// # Ok::<(), orgperm::ModelError>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CallInfo {
    /// The owner; `None` once the owner was removed (see [`CallSpec::owner`]).
    ///
    /// [`CallSpec::owner`]: crate::CallSpec::owner
    pub owner: Option<UserId>,
    /// Start time, Unix seconds.
    pub started: i64,
    /// The workspace.
    pub workspace: WorkspaceId,
    /// Whether the call is private.
    pub private: bool,
}

/// The first of `folders` that library access `(level, allowed)` opens.
#[inline]
fn folder_opens(library: (LibraryLevel, &[FolderId]), folders: &[u32]) -> Option<FolderId> {
    let (level, allowed) = library;
    match level {
        LibraryLevel::None => None,
        LibraryLevel::All => folders.first().map(|&f| FolderId::from_index(f)),
        LibraryLevel::SpecificFolders => folders
            .iter()
            .map(|&f| FolderId::from_index(f))
            .find(|f| allowed.binary_search(f).is_ok()),
    }
}

/// The calls family's read view, from [`Snapshot::calls`](crate::Snapshot::calls): who may
/// open or list a call, with explanations, and the visible and listable calls of one
/// workspace (the default one, or the one chosen with [`Calls::in_workspace`]).
///
/// # Examples
///
/// ```
/// use orgperm::{CallSpec, Domain, Level, Model, ProfileSpec};
/// let mut model = Model::new();
/// model.add_user("boss", None)?;
/// model.add_user("rep", Some("boss"))?;
/// model.create_profile(ProfileSpec::new("m", "M").with_level(Domain::Calls, Level::ReportToThem))?;
/// model.assign_profile("boss", "m")?;
/// model.calls_mut().add_call(CallSpec::new("c1", "rep"))?;
/// let snap = model.compile();
/// assert!(snap.calls().can_open("boss", "c1"));
/// assert_eq!(snap.calls().visible("boss").len(), 1);
/// # Ok::<(), orgperm::ModelError>(())
/// ```
#[derive(Clone, Copy, Debug)]
pub struct Calls<'s> {
    org: &'s CompiledOrg,
    profiles: &'s CompiledProfiles,
    calls: &'s CompiledCalls,
    viewers: &'s CallViewers,
    /// The workspace of the listing queries; `None` when the key named none.
    ws: Option<WorkspaceId>,
}

impl<'s> Calls<'s> {
    pub(crate) fn new(
        org: &'s CompiledOrg,
        profiles: &'s CompiledProfiles,
        calls: &'s CompiledCalls,
        viewers: &'s CallViewers,
    ) -> Self {
        Calls {
            org,
            profiles,
            calls,
            viewers,
            ws: Some(WorkspaceId::DEFAULT),
        }
    }

    /// The same view with [`visible`](Calls::visible) and [`listable`](Calls::listable)
    /// reading `workspace` (an unknown one lists nothing). The checks of one call always use
    /// the call's own workspace.
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{CallSpec, Model, ProfileSpec};
    /// let mut model = Model::new();
    /// model.add_workspace("emea")?;
    /// model.add_user("ada", None)?;
    /// model.create_profile(ProfileSpec::new("p", "P").in_workspace("emea"))?;
    /// model.assign_profile("ada", "p")?;
    /// model.calls_mut().add_call(CallSpec::new("c1", "ada").in_workspace("emea"))?;
    /// let snap = model.compile();
    /// assert_eq!(snap.calls().in_workspace("emea").visible("ada").len(), 1);
    /// assert_eq!(snap.calls().visible("ada").len(), 0);
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    pub fn in_workspace(self, workspace: impl Key<WorkspaceId>) -> Self {
        Calls {
            ws: self.org.workspace(&workspace),
            ..self
        }
    }

    /// The decision for a viewer with a profile in the call's workspace; see the module docs.
    ///
    /// Written for few branches and loads: one pass over the (inline) participants tests
    /// "is the viewer" and "in reach" together, and the rarely present sharee, grantee and
    /// folder lists are only looked at when the call has any.
    #[inline]
    fn call_opens(&self, ve: &ViewerEntry, rec: &CallRec) -> bool {
        let cc = &self.calls;
        let me = ve.pos;
        let parts = cc.parts(rec);
        let has_extras = rec.extras != NONE;
        if rec.private() {
            return parts.contains(&me)
                || (has_extras && cc.lists(rec).sharees.binary_search(&me).is_ok());
        }
        // Level `all` reaches any participant, but no scope reaches a call without one.
        let mut hit = ve.width == u32::MAX && !parts.is_empty();
        for &p in parts {
            hit |= (p == me) | (p.wrapping_sub(ve.lo) < ve.width);
        }
        if hit {
            return true;
        }
        let profile = ve.profile & !LEADS;
        if ve.profile & LEADS != 0 {
            if let Some(set) = self.profiles.profile_lead_set(profile, Domain::Calls) {
                if parts.iter().any(|&p| set.contains(p)) {
                    return true;
                }
            }
        }
        if !has_extras {
            return false;
        }
        let extras = cc.lists(rec);
        extras.sharees.binary_search(&me).is_ok()
            || extras.grantees.binary_search(&me).is_ok()
            || folder_opens(self.profiles.profile_library(profile), extras.folders).is_some()
    }
}

/// Marks dense call ids, as a byte bitset for big answers or a sorted list for small ones.
struct Marks<'a> {
    slices: Vec<&'a [u32]>,
    total: usize,
}

impl<'a> Marks<'a> {
    fn new() -> Self {
        Self {
            slices: Vec::new(),
            total: 0,
        }
    }

    fn add(&mut self, s: &'a [u32]) {
        if !s.is_empty() {
            self.total += s.len();
            self.slices.push(s);
        }
    }

    fn into_bitmap(self, n_calls: usize) -> RoaringBitmap {
        if self.total == 0 {
            return RoaringBitmap::new();
        }
        // Small answers: sort a list; big ones: a byte bitset over all calls.
        if self.total < (n_calls / 16).max(64) {
            let mut v: Vec<u32> = Vec::with_capacity(self.total);
            for s in &self.slices {
                v.extend_from_slice(s);
            }
            v.sort_unstable();
            v.dedup();
            return RoaringBitmap::from_sorted_iter(v).unwrap_or_default();
        }
        let mut bytes = vec![0u8; n_calls.div_ceil(8)];
        for s in &self.slices {
            for &c in s.iter() {
                if let Some(b) = bytes.get_mut((c >> 3) as usize) {
                    *b |= 1 << (c & 7);
                }
            }
        }
        RoaringBitmap::from_lsb0_bytes(0, &bytes)
    }
}

impl<'s> Calls<'s> {
    /// The dense id of a live call.
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{CallSpec, Model};
    /// let mut model = Model::new();
    /// model.add_user("ada", None)?;
    /// let c = model.calls_mut().add_call(CallSpec::new("c1", "ada"))?;
    /// let snap = model.compile();
    /// assert_eq!(snap.calls().call_id("c1"), Some(c));
    /// assert_eq!(snap.calls().call_name(c), Some("c1"));
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    pub fn call_id(&self, id: &str) -> Option<CallId> {
        self.calls
            .ids
            .get(id)
            .filter(|&c| self.calls.get(c).is_some())
    }

    /// The external id of a live call.
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{CallSpec, Model};
    /// let mut model = Model::new();
    /// model.add_user("ada", None)?;
    /// let c = model.calls_mut().add_call(CallSpec::new("c1", "ada"))?;
    /// model.calls_mut().remove_call("c1")?;
    /// assert_eq!(model.compile().calls().call_name(c), None); // removed
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    pub fn call_name(&self, call: CallId) -> Option<&'s str> {
        self.calls.get(call)?;
        self.calls.ids.name(call)
    }

    /// Owner, start time, workspace and private flag of a live call: what an existence
    /// listing shows.
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{CallSpec, Model, WorkspaceId};
    /// let mut model = Model::new();
    /// model.add_user("ada", None)?;
    /// model.calls_mut().add_call(CallSpec::new("c1", "ada").started_at(99))?;
    /// let snap = model.compile();
    /// let info = snap.calls().info("c1").unwrap();
    /// assert_eq!((info.started, info.workspace), (99, WorkspaceId::DEFAULT));
    /// assert!(snap.calls().info("nope").is_none());
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    pub fn info(&self, call: impl Key<CallId>) -> Option<CallInfo> {
        let c = call.resolve(&self.calls.ids)?;
        let rec = self.calls.get(c)?;
        let i = c.index() as usize;
        Some(CallInfo {
            owner: Some(*self.calls.owner.get(i)?)
                .filter(|&o| o != NONE)
                .map(UserId::from_index),
            started: *self.calls.started.get(i)?,
            workspace: WorkspaceId::from_index(rec.workspace()),
            private: rec.private(),
        })
    }

    /// Whether `viewer` may open `call` (see the module docs of `calls` in the crate docs).
    ///
    /// O(participants + log of the other lists); ~10 loads for a typical call. Unknown or
    /// removed viewers and calls: `false`.
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{CallSpec, Domain, Level, Model, ProfileSpec};
    /// let mut model = Model::new();
    /// model.add_user("boss", None)?;
    /// model.add_user("rep", Some("boss"))?;
    /// model.add_user("peer", None)?;
    /// model.create_profile(ProfileSpec::new("mgr", "Managers").with_level(Domain::Calls, Level::ReportToThem))?;
    /// model.create_profile(ProfileSpec::new("all", "Admins").with_level(Domain::Calls, Level::All))?;
    /// model.assign_profile("boss", "mgr")?;
    /// model.assign_profile("peer", "all")?;
    /// model.assign_profile("rep", "mgr")?;
    /// // Owned by peer, with rep taking part: boss's scope reaches a participant.
    /// model.calls_mut().add_call(CallSpec::new("c1", "peer").with_participants(["rep"]))?;
    /// model.calls_mut().add_call(CallSpec::new("c2", "rep").private(true))?;
    /// let snap = model.compile();
    /// assert!(snap.calls().can_open("boss", "c1"));
    /// assert!(!snap.calls().can_open("peer", "c2")); // private beats level all
    /// assert!(snap.calls().can_open("rep", "c2"));   // the owner
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    #[inline]
    pub fn can_open(&self, viewer: impl Key<UserId>, call: impl Key<CallId>) -> bool {
        let (Some(v), Some(c)) = (
            viewer.resolve(&self.org.users),
            call.resolve(&self.calls.ids),
        ) else {
            return false;
        };
        let Some(rec) = self.calls.get(c) else {
            return false;
        };
        match self.viewers.viewer(rec.workspace(), v) {
            Some(ve) => self.call_opens(ve, rec),
            None => false,
        }
    }

    /// Why `viewer` may or may not open `call`. Always agrees with
    /// [`can_open`](Calls::can_open); the first applicable rule is reported in
    /// the order owner, participant, sharee, scope, folder, grant.
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{CallSpec, Model, ProfileSpec, CallReason};
    /// let mut model = Model::new();
    /// model.add_user("ada", None)?;
    /// model.add_user("bob", None)?;
    /// model.create_profile(ProfileSpec::new("p", "P"))?;
    /// model.assign_profile("bob", "p")?;
    /// model.calls_mut().add_call(CallSpec::new("c1", "ada").granted_to(["bob"]))?;
    /// let d = model.compile().calls().explain("bob", "c1");
    /// assert!(d.allowed);
    /// assert_eq!(d.reason, CallReason::CallGrant { call: "c1".into() });
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    pub fn explain(
        &self,
        viewer: impl Key<UserId>,
        call: impl Key<CallId>,
    ) -> Decision<CallReason> {
        let Some(v) = viewer
            .resolve(&self.org.users)
            .filter(|&v| self.org.tree.node(v).is_some())
        else {
            return Decision::deny(CallReason::UnknownUser {
                user: viewer.describe(),
            });
        };
        let Some((c, rec)) = call
            .resolve(&self.calls.ids)
            .and_then(|c| Some((c, self.calls.get(c)?)))
        else {
            return Decision::deny(CallReason::UnknownCall {
                call: call.describe(),
            });
        };
        let w = WorkspaceId::from_index(rec.workspace());
        let Some(scope) = self.profiles.viewer_scope(self.org, v, w, Domain::Calls) else {
            return Decision::deny(CallReason::NoProfile {
                user: self.org.any_user_name(v).to_owned(),
                workspace: self.org.workspace_name(w).unwrap_or("").to_owned(),
            });
        };
        let name = self.calls.ids.name(c).unwrap_or("").to_owned();
        let cc = &self.calls;
        let me = scope.pos;
        let parts = cc.parts(rec);
        let owner_pos = cc
            .owner_pos
            .get(c.index() as usize)
            .copied()
            .unwrap_or(NONE);
        if owner_pos == me {
            return Decision::allow(CallReason::CallOwner { call: name });
        }
        if parts.binary_search(&me).is_ok() {
            return Decision::allow(CallReason::CallParticipant { call: name });
        }
        if cc.extra(rec, 0).binary_search(&me).is_ok() {
            return Decision::allow(CallReason::CallShared { call: name });
        }
        if rec.private() {
            return Decision::deny(CallReason::PrivateCall { call: name });
        }
        let profile = self.profiles.profile_name(scope.profile).to_owned();
        // The owner first, then the others in org order.
        let reached = core::iter::once(owner_pos)
            .filter(|&p| p != NONE)
            .chain(parts.iter().copied())
            .find(|&p| scope.reach.covers(p));
        // No scope, not even `all`, reaches a call whose participants were all removed.
        if let Some(u) = reached.and_then(|p| self.org.tree.user_at(p)) {
            let participant = self.org.any_user_name(u).to_owned();
            return Decision::allow(CallReason::CallInScope {
                call: name,
                profile,
                level: scope.level(),
                participant,
            });
        }
        let library = self.profiles.profile_library(scope.profile);
        if let Some(f) = folder_opens(library, cc.extra(rec, 2)) {
            return Decision::allow(CallReason::CallInFolder {
                call: name,
                profile,
                folder: self.org.folder_name(f).to_owned(),
            });
        }
        if cc.extra(rec, 1).binary_search(&me).is_ok() {
            return Decision::allow(CallReason::CallGrant { call: name });
        }
        Decision::deny(CallReason::CallOutOfReach {
            call: name,
            profile,
            level: scope.level(),
        })
    }

    /// The calls among `calls` (dense or external ids) that `viewer` may open, in input
    /// order; unknown calls are left out. The viewer's scope is
    /// resolved once per workspace met.
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{CallSpec, Domain, Level, Model, ProfileSpec};
    /// let mut model = Model::new();
    /// model.add_user("ada", None)?;
    /// model.add_user("bob", None)?;
    /// model.create_profile(ProfileSpec::new("p", "P").with_level(Domain::Calls, Level::Own))?;
    /// model.assign_profile("ada", "p")?;
    /// let mine = model.calls_mut().add_call(CallSpec::new("c1", "ada"))?;
    /// let theirs = model.calls_mut().add_call(CallSpec::new("c2", "bob"))?;
    /// let snap = model.compile();
    /// assert_eq!(snap.calls().filter("ada", &[theirs, mine]), vec![mine]);
    /// assert_eq!(snap.calls().filter("ada", &["c2", "c1", "c9"]), vec!["c1"]);
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    pub fn filter<K: Key<CallId> + Copy>(&self, viewer: impl Key<UserId>, calls: &[K]) -> Vec<K> {
        let Some(v) = viewer.resolve(&self.org.users) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for &key in calls {
            let Some(rec) = key.resolve(&self.calls.ids).and_then(|c| self.calls.get(c)) else {
                continue;
            };
            if let Some(ve) = self.viewers.viewer(rec.workspace(), v) {
                if self.call_opens(ve, rec) {
                    out.push(key);
                }
            }
        }
        out
    }

    /// The calls of the view's workspace that `viewer` may open, as a roaring-backed set.
    ///
    /// The viewer's scope is one run (or a few) of org positions, and the calls with a
    /// participant in a run are one slice of the participant index: O(k) for k
    /// (participant, call) entries in reach, plus the viewer's own rows, folders and the
    /// workspace's sets. Equals the set of calls of the workspace for which
    /// [`can_open`](Calls::can_open) holds.
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{CallSpec, Domain, Level, Model, ProfileSpec, WorkspaceId};
    /// let mut model = Model::new();
    /// model.add_user("boss", None)?;
    /// model.add_user("rep", Some("boss"))?;
    /// model.add_user("other", None)?;
    /// model.create_profile(ProfileSpec::new("m", "M").with_level(Domain::Calls, Level::ReportToThem))?;
    /// model.assign_profile("boss", "m")?;
    /// model.calls_mut().add_call(CallSpec::new("c1", "rep"))?;
    /// model.calls_mut().add_call(CallSpec::new("c2", "other"))?;
    /// model.calls_mut().add_call(CallSpec::new("c3", "rep").private(true))?;
    /// let snap = model.compile();
    /// let seen: Vec<_> = snap.calls().in_workspace(WorkspaceId::DEFAULT).visible("boss").external_ids().collect();
    /// assert_eq!(seen, ["c1"]);
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    pub fn visible(&self, viewer: impl Key<UserId>) -> CallSet<'s> {
        let (whole, mut rest) = self.visible_parts(viewer);
        if let Some(whole) = whole {
            rest |= whole;
        }
        CallSet::new(rest, &self.calls.ids)
    }

    /// [`visible`](Calls::visible) in two parts whose union it is: the workspace's calls
    /// with a participant in the tree for level `all` (borrowed from the compiled calls, not
    /// copied: a what-if impact keeps it as a shared base), and every other visible call.
    pub(crate) fn visible_parts(
        &self,
        viewer: impl Key<UserId>,
    ) -> (Option<&'s RoaringBitmap>, RoaringBitmap) {
        let empty = || (None, RoaringBitmap::new());
        let (Some(v), Some(w)) = (viewer.resolve(&self.org.users), self.ws) else {
            return empty();
        };
        let Some(scope) = self.profiles.viewer_scope(self.org, v, w, Domain::Calls) else {
            return empty();
        };
        let cc = &self.calls;
        let wi = w.index() as usize;
        let (Some(all), Some(open), Some(in_folders)) =
            (cc.ws_all(wi), cc.ws_open(wi), cc.ws_in_folders(wi))
        else {
            return empty();
        };
        let n_calls = cc.recs.len();
        let me = scope.pos;

        // Calls that open when not private: scope, grants, folders.
        let mut marks = Marks::new();
        let mut whole: Option<&RoaringBitmap> = None;
        let idx = &cc.by_participant;
        match scope.reach {
            Reach::Nobody => {}
            Reach::All => whole = cc.ws_peopled(wi),
            Reach::Own(p) => idx.rows_each(p, p.saturating_add(1), |s| marks.add(s)),
            Reach::Span(s, e) => idx.rows_each(s, e, |s| marks.add(s)),
            Reach::Leads(own, set) => {
                idx.rows_each(own, own.saturating_add(1), |s| marks.add(s));
                for &(s, e) in set.spans() {
                    idx.rows_each(s, e, |s| marks.add(s));
                }
            }
        }
        marks.add(cc.by_grantee.row(me));
        let mut folders_all = false;
        match scope.library_level() {
            LibraryLevel::None => {}
            LibraryLevel::All => folders_all = true,
            LibraryLevel::SpecificFolders => {
                for f in scope.folders() {
                    marks.add(cc.by_folder.row(f.index()));
                }
            }
        }
        let mut result = marks.into_bitmap(n_calls);
        result &= open;
        if folders_all {
            result |= in_folders;
        }

        // Calls that open even when private: owner or participant, sharee.
        let mut personal = Marks::new();
        idx.rows_each(me, me.saturating_add(1), |s| personal.add(s));
        personal.add(cc.by_sharee.row(me));
        let mut personal = personal.into_bitmap(n_calls);
        personal &= all;
        result |= personal;
        (whole, result)
    }

    /// The users who may open `call`: the reverse of [`can_open`](Calls::can_open), exactly
    /// the viewers for which it is `true`. Why a member is in the set:
    /// [`explain`](Calls::explain) for that member.
    ///
    /// Built from the call's own lists and the reverse indexes of the profiles of its
    /// workspace, never by testing every user: O(participants × depth + profiles + output).
    /// Participants, the owner and sharees (with a profile in the workspace) open even a
    /// private call; for any other call, add every viewer whose `callsAccess` scope reaches a
    /// participant (holders of `all`, `report-to-them` holders above a participant,
    /// `managers-team` holders beside one, lead profiles covering one), the holders of
    /// profiles whose library opens one of the call's folders, and the grantees. Unknown or
    /// removed call: the empty set.
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{CallSpec, Domain, Level, Model, ProfileSpec};
    /// let mut model = Model::new();
    /// model.add_user("boss", None)?;
    /// model.add_user("rep", Some("boss"))?;
    /// model.add_user("peer", None)?;
    /// model.add_user("guest", None)?;
    /// model.create_profile(ProfileSpec::new("mgr", "Managers").with_level(Domain::Calls, Level::ReportToThem))?;
    /// model.create_profile(ProfileSpec::new("own", "Own").with_level(Domain::Calls, Level::Own))?;
    /// for u in ["boss", "rep", "peer", "guest"] {
    ///     model.assign_profile(u, if u == "boss" { "mgr" } else { "own" })?;
    /// }
    /// model.calls_mut().add_call(CallSpec::new("c1", "rep").granted_to(["guest"]))?;
    /// model.calls_mut().add_call(CallSpec::new("c2", "rep").private(true).shared_with(["peer"]))?;
    /// let snap = model.compile();
    /// let open = |c| snap.calls().who_can_open(c).external_ids().collect::<Vec<_>>();
    /// assert_eq!(open("c1"), ["boss", "rep", "guest"]); // scope, owner, grant
    /// assert_eq!(open("c2"), ["rep", "peer"]);          // private: owner and sharee only
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    pub fn who_can_open(&self, call: impl Key<CallId>) -> UserSet<'s> {
        let mut set = RoaringBitmap::new();
        let Some(rec) = call
            .resolve(&self.calls.ids)
            .and_then(|c| self.calls.get(c))
        else {
            return UserSet::from_positions(set, self.org);
        };
        let w = WorkspaceId::from_index(rec.workspace());
        let cc = &self.calls;
        let parts = cc.parts(rec);
        let tree = &self.org.tree;
        let has_profile = |pos: u32| {
            tree.user_at(pos)
                .is_some_and(|u| self.profiles.has_profile_in(self.org, u, w))
        };
        // Participants (owner included) and sharees open even a private call.
        for &p in parts.iter().chain(cc.extra(rec, 0)) {
            if has_profile(p) {
                set.insert(p);
            }
        }
        if rec.private() {
            return UserSet::from_positions(set, self.org);
        }
        for &p in cc.extra(rec, 1) {
            if has_profile(p) {
                set.insert(p);
            }
        }
        // Scopes reaching a participant; `all` reaches any call with one.
        if let (Some(index), false) = (
            self.profiles.domain_index(w, Domain::Calls),
            parts.is_empty(),
        ) {
            set |= &*index.everyone;
            for u in parts.iter().filter_map(|&p| tree.user_at(p)) {
                self.profiles
                    .add_reaching(self.org, index, w, Domain::Calls, u, &mut set);
            }
        }
        let folders = cc.extra(rec, 2);
        if !folders.is_empty() {
            for (p, _, holders) in self.profiles.profiles_in(w) {
                if folder_opens(self.profiles.profile_library(p), folders).is_some() {
                    set |= holders;
                }
            }
        }
        UserSet::from_positions(set, self.org)
    }

    /// Whether `viewer` may see that `call` exists (its owner and start time): they hold a
    /// profile in the call's workspace. Private calls are listed too; opening is
    /// [`can_open`](Calls::can_open).
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{CallSpec, Model, ProfileSpec};
    /// let mut model = Model::new();
    /// model.add_user("ada", None)?;
    /// model.add_user("bob", None)?;
    /// model.create_profile(ProfileSpec::new("p", "P"))?;
    /// model.assign_profile("bob", "p")?;
    /// model.calls_mut().add_call(CallSpec::new("c1", "ada").private(true))?;
    /// let snap = model.compile();
    /// assert!(snap.calls().can_list("bob", "c1"));
    /// assert!(!snap.calls().can_open("bob", "c1"));
    /// assert!(!snap.calls().can_list("ada", "c1")); // no profile in the workspace
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    pub fn can_list(&self, viewer: impl Key<UserId>, call: impl Key<CallId>) -> bool {
        let (Some(v), Some(c)) = (
            viewer.resolve(&self.org.users),
            call.resolve(&self.calls.ids),
        ) else {
            return false;
        };
        self.calls.get(c).is_some_and(|rec| {
            self.profiles
                .has_profile_in(self.org, v, WorkspaceId::from_index(rec.workspace()))
        })
    }

    /// The calls of the view's workspace whose existence `viewer` may list: all of them, private ones
    /// included, when the viewer holds a profile there; none otherwise.
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{CallSpec, Model, ProfileSpec, WorkspaceId};
    /// let mut model = Model::new();
    /// model.add_user("ada", None)?;
    /// model.create_profile(ProfileSpec::new("p", "P"))?;
    /// model.assign_profile("ada", "p")?;
    /// model.calls_mut().add_call(CallSpec::new("c1", "ada").private(true))?;
    /// assert_eq!(model.compile().calls().in_workspace(WorkspaceId::DEFAULT).listable("ada").len(), 1);
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    pub fn listable(&self, viewer: impl Key<UserId>) -> CallSet<'s> {
        let set = match (viewer.resolve(&self.org.users), self.ws) {
            (Some(v), Some(w)) if self.profiles.has_profile_in(self.org, v, w) => self
                .calls
                .ws_all(w.index() as usize)
                .cloned()
                .unwrap_or_default(),
            _ => RoaringBitmap::new(),
        };
        CallSet::new(set, &self.calls.ids)
    }
}
