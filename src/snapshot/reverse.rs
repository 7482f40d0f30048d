//! Reverse and batch queries: whose data a viewer reaches, who reaches an owner's data, who
//! holds a profile, and filtering many owners for one viewer.

use roaring::RoaringBitmap;

use crate::id::{DenseId, NONE, ProfileId, UserId, WorkspaceId};
use crate::org::tree::TreeIndex;
use crate::profile::Domain;
use crate::snapshot::scope::{Reach, Rule};
use crate::snapshot::{Key, Snapshot, UserSet};

/// One viewer's reach in one domain, resolved once and then applied to many owners.
///
/// Build it with [`Snapshot::owner_filter_in`] at the start of a request and test each row
/// with [`allows`](OwnerFilter::allows): one position load and a comparison per owner.
///
/// # Examples
///
/// ```
/// use orgperm::{Domain, Level, Model, ProfileSpec, WorkspaceId};
/// let mut model = Model::new();
/// model.add_user("boss", None).unwrap();
/// model.add_user("rep", Some("boss")).unwrap();
/// model.add_user("other", None).unwrap();
/// model.create_profile(ProfileSpec::new("p", "P").with_level(Domain::Deals, Level::ReportToThem)).unwrap();
/// model.assign_profile("boss", "p").unwrap();
/// let snap = model.compile();
/// let filter = snap.owner_filter_in("boss", WorkspaceId::DEFAULT, Domain::Deals);
/// assert!(filter.allows("rep"));
/// assert!(!filter.allows("other"));
/// ```
#[derive(Clone, Copy, Debug)]
pub struct OwnerFilter<'s> {
    reach: Reach<'s>,
    snap: &'s Snapshot,
}

impl OwnerFilter<'_> {
    /// Whether the viewer may access `owner`'s data.
    #[inline]
    pub fn allows(&self, owner: impl Key<UserId>) -> bool {
        owner
            .resolve(self.snap)
            .is_some_and(|o| self.reach.covers(self.snap.tree.pos(o)))
    }
}

/// From this many owners on (and at least one owner per eight users), `filter_owners` marks
/// the reached users in a bitmap first.
const BULK_OWNERS: usize = 4096;

impl Snapshot {
    /// Resolves `viewer`'s reach in `domain` of `workspace` once, for many owner checks.
    pub fn owner_filter_in(
        &self,
        viewer: impl Key<UserId>,
        workspace: impl Key<WorkspaceId>,
        domain: Domain,
    ) -> OwnerFilter<'_> {
        let reach = match (viewer.resolve(self), workspace.resolve(self)) {
            (Some(v), Some(w)) => self.reach(v, w, domain),
            _ => Reach::Nobody,
        };
        OwnerFilter { reach, snap: self }
    }

    /// The owners among `owners` whose data `viewer` may access in `domain` of the default
    /// workspace, in input order.
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
    /// assert_eq!(snap.filter_owners(a, Domain::Calls, &[b, a, b]), vec![a]);
    /// ```
    pub fn filter_owners(
        &self,
        viewer: impl Key<UserId>,
        domain: Domain,
        owners: &[UserId],
    ) -> Vec<UserId> {
        self.filter_owners_in(viewer, WorkspaceId::DEFAULT, domain, owners)
    }

    /// [`filter_owners`](Snapshot::filter_owners) in a given workspace.
    pub fn filter_owners_in(
        &self,
        viewer: impl Key<UserId>,
        workspace: impl Key<WorkspaceId>,
        domain: Domain,
        owners: &[UserId],
    ) -> Vec<UserId> {
        fn keep(tree: &TreeIndex, owners: &[UserId], reached: impl Fn(u32) -> bool) -> Vec<UserId> {
            owners
                .iter()
                .copied()
                .filter(|&o| reached(tree.pos(o)))
                .collect()
        }
        let tree = &self.tree;
        let reach = self.owner_filter_in(viewer, workspace, domain).reach;
        if owners.len() >= BULK_OWNERS && owners.len() >= self.n_users / 8 {
            return self.filter_owners_bulk(reach, owners);
        }
        // One monomorphic loop per kind of reach: each owner costs a load and a comparison.
        match reach {
            Reach::Nobody => Vec::new(),
            Reach::All => keep(tree, owners, |p| p != NONE),
            Reach::Own(own) => keep(tree, owners, |p| p == own),
            Reach::Span(s, e) => keep(tree, owners, |p| s <= p && p < e),
            Reach::Leads(own, set) => keep(tree, owners, |p| p == own || set.contains(p)),
        }
    }

    /// Many owners: mark the reached users in a bitmap over dense ids first (a bit per user:
    /// 12.5 KiB at 100,000 users, so it stays in L1/L2 cache), then each owner costs one bit
    /// test instead of a random load from the position table. Marking walks the reached
    /// preorder runs, whose users are read in order.
    fn filter_owners_bulk(&self, reach: Reach<'_>, owners: &[UserId]) -> Vec<UserId> {
        let mut bits = vec![0u64; self.n_users.div_ceil(64)];
        let mut mark = |s: u32, e: u32| {
            for p in s..e.min(self.tree.len()) {
                if let Some(u) = self.tree.user_at(p) {
                    let i = u.index() as usize;
                    if let Some(w) = bits.get_mut(i / 64) {
                        *w |= 1 << (i % 64);
                    }
                }
            }
        };
        match reach {
            Reach::Nobody => return Vec::new(),
            Reach::All => mark(0, self.tree.len()),
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
                let i = o.index() as usize;
                bits.get(i / 64).is_some_and(|w| w & (1 << (i % 64)) != 0)
            })
            .collect()
    }

    /// The users whose data `viewer` may access in `domain` of the default workspace.
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
    /// let seen: Vec<_> = snap.visible_owners("vp", Domain::Coaching).external_ids().collect();
    /// assert_eq!(seen, ["vp", "rep"]);
    /// ```
    pub fn visible_owners(&self, viewer: impl Key<UserId>, domain: Domain) -> UserSet<'_> {
        self.visible_owners_in(viewer, WorkspaceId::DEFAULT, domain)
    }

    /// [`visible_owners`](Snapshot::visible_owners) in a given workspace.
    pub fn visible_owners_in(
        &self,
        viewer: impl Key<UserId>,
        workspace: impl Key<WorkspaceId>,
        domain: Domain,
    ) -> UserSet<'_> {
        let reach = self.owner_filter_in(viewer, workspace, domain).reach;
        let mut set = RoaringBitmap::new();
        match reach {
            Reach::Nobody => {}
            Reach::All => {
                set.insert_range(0..self.tree.len());
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
        UserSet::from_positions(set, self)
    }

    /// The users who may access `owner`'s data in `domain` of the default workspace.
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
    /// let who: Vec<_> = snap.who_can_access("rep", Domain::Calls).external_ids().collect();
    /// assert_eq!(who, ["ceo", "vp"]); // rep holds no profile, so not even rep
    /// ```
    pub fn who_can_access(&self, owner: impl Key<UserId>, domain: Domain) -> UserSet<'_> {
        self.who_can_access_in(owner, WorkspaceId::DEFAULT, domain)
    }

    /// [`who_can_access`](Snapshot::who_can_access) in a given workspace.
    pub fn who_can_access_in(
        &self,
        owner: impl Key<UserId>,
        workspace: impl Key<WorkspaceId>,
        domain: Domain,
    ) -> UserSet<'_> {
        let found = owner
            .resolve(self)
            .and_then(|o| Some((o, self.tree.node(o)?)))
            .zip(workspace.resolve(self))
            .and_then(|((o, node), w)| {
                let i = (w.index() as usize).checked_mul(Domain::COUNT)? + domain.index();
                Some((o, node, w, self.reverse.get(i)?))
            });
        let Some((o, onode, w, index)) = found else {
            return UserSet::from_positions(RoaringBitmap::new(), self);
        };
        let mut set = index.everyone.clone();
        let has_managers_team = !index.managers_team.is_empty();
        for (a, anode) in self.tree.ancestors_or_self(o) {
            let rule = self.rule(a, w, domain);
            // Every level but none reaches the holder's own data; report-to-them reaches the
            // holder's subtree; managers-team held by a root reaches the root's subtree.
            let reaches = if a == o {
                rule != Rule::Nobody
            } else {
                rule == Rule::SubtreeOfSelf
                    || (rule == Rule::SubtreeOfManager && self.tree.manager(a).is_none())
            };
            if reaches {
                set.insert(anode.pos);
            }
            if has_managers_team {
                // Reports of `a` holding managers-team reach a's subtree, which holds the owner.
                for b in index.managers_team.range(self.tree.reports_bfs(a)) {
                    if let Some(n) = self.tree.user_at_bfs(b).and_then(|u| self.tree.node(u)) {
                        set.insert(n.pos);
                    }
                }
            }
        }
        for &(p, lead_set) in &index.lead_profiles {
            let reaches = self
                .lead_sets
                .get(lead_set as usize)
                .is_some_and(|s| s.contains(onode.pos));
            if reaches {
                if let Some(h) = self.holders.get(p.index() as usize) {
                    set |= h;
                }
            }
        }
        UserSet::from_positions(set, self)
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
    /// assert_eq!(snap.users_with_profile("p").external_ids().collect::<Vec<_>>(), ["ada"]);
    /// ```
    pub fn users_with_profile(&self, profile: impl Key<ProfileId>) -> UserSet<'_> {
        let set = profile
            .resolve(self)
            .and_then(|p| self.holders.get(p.index() as usize))
            .cloned()
            .unwrap_or_default();
        UserSet::from_positions(set, self)
    }
}
