//! Profiles, compiled: rules per domain, lead intervals, capability rows, per-workspace
//! assignment tables and the reverse indexes — the one-time work that makes every check a
//! handful of loads.

use std::sync::Arc;

use roaring::RoaringBitmap;
use smallvec::SmallVec;

use crate::id::{DenseId, FolderId, Interner, NONE, ProfileId, UserId, WorkspaceId};
use crate::org::assignment::{AssignRow, WsTable};
use crate::org::chunked::Chunked;
use crate::org::compiled::CompiledOrg;
use crate::org::tree::TreeIndex;
use crate::profile::capability::Capability;
use crate::profile::scope::{IntervalSet, Rule};
use crate::profile::{Domain, Level, LibraryLevel, StoredProfile};

/// The profiles family, compiled from the profile store over the compiled org.
#[derive(Clone, Debug)]
pub(crate) struct CompiledProfiles {
    pub(crate) profile_ids: Interner<ProfileId>,
    pub(crate) capabilities: Interner<Capability>,
    /// Each (workspace, user)'s dense profile id or `NONE`: the default workspace a dense
    /// array, the others dense or sparse by fill.
    pub(crate) assignment: WsTable<u32>,
    /// By dense profile id. This and the next two are shared with the snapshot before when
    /// only assignments changed.
    pub(crate) profiles: Arc<Vec<CompiledProfile>>,
    pub(crate) lead_sets: Arc<Vec<IntervalSet>>,
    /// Capabilities of each profile: dense bits for the common names, sorted lists beyond.
    pub(crate) caps: Arc<CapTable>,
    /// Holders of each profile, as preorder positions; each shared until its holders change.
    pub(crate) holders: Vec<Arc<RoaringBitmap>>,
    /// `reverse[workspace * Domain::COUNT + domain]`.
    pub(crate) reverse: Chunked<DomainIndex>,
}

/// What compiling profiles reads from the model: the profile store's tables.
#[derive(Clone, Copy)]
pub(crate) struct ProfileInputs<'m> {
    pub(crate) ids: &'m Interner<ProfileId>,
    /// By dense profile id; `None` once deleted.
    pub(crate) profiles: &'m [Option<StoredProfile>],
    pub(crate) capabilities: &'m Interner<Capability>,
    /// By workspace.
    pub(crate) assignment: &'m [AssignRow],
}

/// A profile, compiled.
#[derive(Clone, Debug)]
pub(crate) struct CompiledProfile {
    pub(crate) rules: [Rule; Domain::COUNT],
    pub(crate) live: bool,
    pub(crate) workspace: WorkspaceId,
    pub(crate) levels: [Level; Domain::COUNT],
    /// Leads per domain, kept for explanations.
    pub(crate) leads: [SmallVec<[UserId; 2]>; Domain::COUNT],
    pub(crate) library_level: LibraryLevel,
    pub(crate) folders: SmallVec<[FolderId; 4]>,
    pub(crate) library_flags: u8,
}

impl CompiledProfile {
    fn dead() -> Self {
        Self {
            rules: [Rule::Nobody; Domain::COUNT],
            live: false,
            workspace: WorkspaceId::DEFAULT,
            levels: [Level::None; Domain::COUNT],
            leads: Default::default(),
            library_level: LibraryLevel::None,
            folders: SmallVec::new(),
            library_flags: 0,
        }
    }

    #[inline]
    pub(crate) fn rule(&self, domain: Domain) -> Rule {
        self.rules
            .get(domain.index())
            .copied()
            .unwrap_or(Rule::Nobody)
    }

    #[inline]
    pub(crate) fn level(&self, domain: Domain) -> Level {
        self.levels
            .get(domain.index())
            .copied()
            .unwrap_or(Level::None)
    }
}

/// For one (workspace, domain): who holds which kind of rule, for reverse queries.
#[derive(Clone, Debug, Default)]
pub(crate) struct DomainIndex {
    /// Preorder positions of holders of `all`.
    pub(crate) everyone: Arc<RoaringBitmap>,
    /// Breadth-first positions of holders of `managers-team` without leads.
    pub(crate) managers_team: Arc<RoaringBitmap>,
    /// Profiles with `managers-team` and leads, with their lead set.
    pub(crate) lead_profiles: Vec<(ProfileId, u32)>,
}

impl CompiledProfiles {
    /// The profiles compiled again for `users`, whose assignments changed in `model`, from
    /// `self`, compiled from the store before over the same org: each user's entries are
    /// read again from the model's rows and compared with the table's; a changed one is
    /// written to the assignment table (one chunk copied), the two profiles' holder bitmaps
    /// and the reverse indexes of the rules that differ. Everything else is shared.
    ///
    /// O(users × workspaces + bitmaps copied); a user named twice is done once.
    pub(crate) fn patch(
        &self,
        model: ProfileInputs<'_>,
        org: &CompiledOrg,
        users: &[UserId],
    ) -> CompiledProfiles {
        let tree = &org.tree;
        let n_users = org.n_users;
        let mut out = self.clone();
        let mut users = users.to_vec();
        users.sort_unstable();
        users.dedup();
        for &u in &users {
            let Some(node) = tree.node(u) else {
                // Outside the tree: the compile gave them no entry, and still does.
                continue;
            };
            let bfs = tree.bfs(u);
            for w in 0..org.workspaces.len() {
                let old = out.profile_index(u, WorkspaceId::from_index(w as u32));
                let new = model
                    .assignment
                    .get(w)
                    .map_or(NONE, |row| row.get(u.index() as usize));
                // As the compile: a dead profile or one of another workspace is no entry.
                let new = if (u.index() as usize) < n_users
                    && out
                        .profiles
                        .get(new as usize)
                        .is_some_and(|c| c.live && c.workspace.index() as usize == w)
                {
                    new
                } else {
                    NONE
                };
                if old == new {
                    continue;
                }
                out.assignment
                    .set(w, u.index() as usize, (new != NONE).then_some(new), n_users);
                out.move_holder(w, old, new, node.pos, bfs);
            }
        }
        out
    }

    /// The profiles compiled again for `edited`, whose definitions (levels, leads, library,
    /// capabilities) changed in `model`, from `self`, compiled from the store before over
    /// the same org; `None` when they must be compiled whole (a profile created or deleted,
    /// or moved to another workspace while held).
    ///
    /// Assignments are not read: each edited profile keeps its holders, and only its entry,
    /// its lead interval sets (in the slots it held before), its capability row and the
    /// reverse indexes of the domains whose rule changed are written, the last for its
    /// holders only. Cost: O(profiles) to copy the profile table (small beside the users),
    /// plus per edited profile O(leads + capabilities + holders).
    pub(crate) fn patch_profiles(
        &self,
        model: ProfileInputs<'_>,
        org: &CompiledOrg,
        edited: &[ProfileId],
    ) -> Option<CompiledProfiles> {
        let tree = &org.tree;
        let n = model.profiles.len();
        if self.profiles.len() != n || self.holders.len() != n {
            return None;
        }
        let mut edited = edited.to_vec();
        edited.sort_unstable();
        edited.dedup();
        let mut out = self.clone();
        out.profile_ids = model.ids.clone();
        out.capabilities = model.capabilities.clone();
        let mut profiles = (*self.profiles).clone();
        let mut caps_rebuild = false;
        // The lead set slots no rule names (left by earlier edits), reused before the table
        // grows.
        let mut used = vec![false; self.lead_sets.len()];
        for r in profiles.iter().flat_map(|c| c.rules.iter()) {
            if let Rule::Leads(s) = r {
                if let Some(u) = used.get_mut(*s as usize) {
                    *u = true;
                }
            }
        }
        let mut free: Vec<u32> = (0..used.len() as u32)
            .rev()
            .filter(|&s| used.get(s as usize) == Some(&false))
            .collect();
        for p in edited {
            let i = p.index() as usize;
            let stored = model.profiles.get(i)?.as_ref()?;
            let old = profiles.get(i)?;
            let holders = Arc::clone(out.holders.get(i)?);
            if !old.live || (stored.workspace != old.workspace && !holders.is_empty()) {
                return None;
            }
            // Lead interval sets: into free slots (the profile's own first), then appended.
            free.extend(old.rules.iter().rev().filter_map(|r| match r {
                Rule::Leads(s) => Some(*s),
                _ => None,
            }));
            let lead_sets = &mut out.lead_sets;
            let new = compile_profile(stored, tree, |set| {
                let sets = Arc::make_mut(lead_sets);
                match free.pop() {
                    Some(s) => {
                        if let Some(slot) = sets.get_mut(s as usize) {
                            *slot = set;
                        }
                        s
                    }
                    None => {
                        sets.push(set);
                        (sets.len() - 1) as u32
                    }
                }
            });
            let (ow, nw) = (
                old.workspace.index() as usize,
                new.workspace.index() as usize,
            );
            for d in Domain::ALL {
                let (was, is) = (old.rule(d), new.rule(d));
                if was == is && ow == nw {
                    continue;
                }
                // The holders (none when the workspace changed) move between the sets of
                // the two rules.
                if !holders.is_empty() {
                    let index = out.reverse.get_mut(nw * Domain::COUNT + d.index())?;
                    if (was == Rule::All) != (is == Rule::All) {
                        let everyone = Arc::make_mut(&mut index.everyone);
                        if is == Rule::All {
                            *everyone |= &*holders;
                        } else {
                            *everyone -= &*holders;
                        }
                    }
                    let (was_mt, is_mt) =
                        (was == Rule::SubtreeOfManager, is == Rule::SubtreeOfManager);
                    if was_mt != is_mt {
                        let managers_team = Arc::make_mut(&mut index.managers_team);
                        for pos in holders.iter() {
                            let Some(b) = tree.user_at(pos).and_then(|u| tree.bfs(u)) else {
                                continue;
                            };
                            if is_mt {
                                managers_team.insert(b);
                            } else {
                                managers_team.remove(b);
                            }
                        }
                    }
                }
                if let Some(index) = out.reverse.get_mut(ow * Domain::COUNT + d.index()) {
                    index.lead_profiles.retain(|&(q, _)| q != p);
                }
                if let (Rule::Leads(set), Some(index)) =
                    (is, out.reverse.get_mut(nw * Domain::COUNT + d.index()))
                {
                    // Sorted by profile, as the compile lists them.
                    let at = index.lead_profiles.partition_point(|&(q, _)| q < p);
                    index.lead_profiles.insert(at, (p, set));
                }
            }
            if !Arc::make_mut(&mut out.caps).set_profile(
                i,
                &stored.capabilities,
                model.capabilities.len(),
            ) {
                caps_rebuild = true;
            }
            *profiles.get_mut(i)? = new;
        }
        // Slots left free hold nothing.
        for s in free {
            let held = out
                .lead_sets
                .get(s as usize)
                .is_some_and(|l| *l != IntervalSet::default());
            if held {
                if let Some(slot) = Arc::make_mut(&mut out.lead_sets).get_mut(s as usize) {
                    *slot = IntervalSet::default();
                }
            }
        }
        if caps_rebuild {
            // New capability names widened the dense rows: every row again.
            let mut caps = CapTable::new(n, model.capabilities.len());
            for stored in model.profiles {
                caps.push_profile(stored.as_ref().map_or(&[][..], |s| &s.capabilities));
            }
            out.caps = Arc::new(caps);
        }
        out.profiles = Arc::new(profiles);
        Some(out)
    }

    /// The holders of `profiles` (dense ids), as users: what the tables compiled over a
    /// profile's definition (the calls' viewer table) patch after its edit.
    pub(crate) fn holder_users(&self, org: &CompiledOrg, profiles: &[ProfileId]) -> Vec<UserId> {
        let mut out = Vec::new();
        for p in profiles {
            if let Some(h) = self.holders.get(p.index() as usize) {
                out.extend(h.iter().filter_map(|pos| org.tree.user_at(pos)));
            }
        }
        out
    }

    /// Moves the user at preorder `pos` (breadth-first `bfs`) from holding profile `old` to
    /// holding `new` in workspace `w` (`NONE`: no profile) in the holder bitmaps and the
    /// reverse indexes.
    fn move_holder(&mut self, w: usize, old: u32, new: u32, pos: u32, bfs: Option<u32>) {
        let profiles = Arc::clone(&self.profiles);
        let rule_of =
            |p: u32, d: Domain| profiles.get(p as usize).map_or(Rule::Nobody, |c| c.rule(d));
        if let Some(h) = self.holders.get_mut(old as usize) {
            Arc::make_mut(h).remove(pos);
        }
        if let Some(h) = self.holders.get_mut(new as usize) {
            Arc::make_mut(h).insert(pos);
        }
        for d in Domain::ALL {
            let (was, is) = (rule_of(old, d), rule_of(new, d));
            if was == is {
                continue;
            }
            let Some(index) = self.reverse.get_mut(w * Domain::COUNT + d.index()) else {
                continue;
            };
            if (was == Rule::All) != (is == Rule::All) {
                let everyone = Arc::make_mut(&mut index.everyone);
                if is == Rule::All {
                    everyone.insert(pos);
                } else {
                    everyone.remove(pos);
                }
            }
            let was_mt = was == Rule::SubtreeOfManager;
            if let (true, Some(b)) = (was_mt != (is == Rule::SubtreeOfManager), bfs) {
                let managers_team = Arc::make_mut(&mut index.managers_team);
                if was_mt {
                    managers_team.remove(b);
                } else {
                    managers_team.insert(b);
                }
            }
        }
    }

    pub(crate) fn compile(model: ProfileInputs<'_>, org: &CompiledOrg) -> CompiledProfiles {
        let tree = &org.tree;
        let n_users = org.n_users;
        let n_ws = org.workspaces.len();

        // Profiles: rules, lead intervals, capability words.
        let mut caps = CapTable::new(model.profiles.len(), model.capabilities.len());
        let mut lead_sets = Vec::new();
        let mut profiles = Vec::with_capacity(model.profiles.len());
        for stored in model.profiles {
            let Some(stored) = stored else {
                profiles.push(CompiledProfile::dead());
                caps.push_profile(&[]);
                continue;
            };
            profiles.push(compile_profile(stored, tree, |set| {
                lead_sets.push(set);
                (lead_sets.len() - 1) as u32
            }));
            caps.push_profile(&stored.capabilities);
        }

        // Assignments: per workspace, the valid (user, profile) entries by user. Users outside
        // the tree, dead profiles and profiles of another workspace (none of which a valid
        // model holds) compile to "no profile", so one load answers the capability checks.
        let mut rows: Vec<Vec<(u32, u32)>> = Vec::with_capacity(n_ws);
        for w in 0..n_ws {
            let mut row = Vec::new();
            for (u, p) in model.assignment.get(w).into_iter().flat_map(|t| t.iter()) {
                let valid = u < n_users
                    && tree.node(UserId::from_index(u as u32)).is_some()
                    && profiles
                        .get(p as usize)
                        .is_some_and(|c| c.live && c.workspace.index() as usize == w);
                if valid {
                    row.push((u as u32, p));
                }
            }
            rows.push(row);
        }
        // The same entries by user, (workspace, profile) in workspace order: a CSR over users,
        // so the passes below cost users + assignments, not users × workspaces.
        let mut start = vec![0u32; n_users + 1];
        for &(u, _) in rows.iter().flatten() {
            if let Some(c) = start.get_mut(u as usize + 1) {
                *c += 1;
            }
        }
        for i in 1..start.len() {
            let prev = start.get(i - 1).copied().unwrap_or(0);
            if let Some(c) = start.get_mut(i) {
                *c += prev;
            }
        }
        let mut next = start.clone();
        let mut by_user = vec![(0u32, NONE); rows.iter().map(Vec::len).sum()];
        for (w, row) in rows.iter().enumerate() {
            for &(u, p) in row {
                if let Some(at) = next.get_mut(u as usize) {
                    if let Some(slot) = by_user.get_mut(*at as usize) {
                        *slot = (w as u32, p);
                    }
                    *at += 1;
                }
            }
        }
        let held = |u: UserId| {
            let i = u.index() as usize;
            let (from, to) = (
                start.get(i).copied().unwrap_or(0),
                start.get(i + 1).copied().unwrap_or(0),
            );
            by_user
                .get(from as usize..to as usize)
                .unwrap_or(&[])
                .iter()
                .filter_map(|&(w, p)| Some((w as usize, (p, profiles.get(p as usize)?))))
        };

        // Reverse indexes, filled in preorder (then breadth-first order) so every bitmap is
        // built from sorted positions.
        let mut holder_pos: Vec<Vec<u32>> = vec![Vec::new(); profiles.len()];
        let mut everyone: Vec<Vec<u32>> = vec![Vec::new(); n_ws * Domain::COUNT];
        let mut managers_team: Vec<Vec<u32>> = vec![Vec::new(); n_ws * Domain::COUNT];
        for pos in 0..tree.len() {
            let Some(u) = tree.user_at(pos) else { continue };
            for (w, (p, profile)) in held(u) {
                if let Some(h) = holder_pos.get_mut(p as usize) {
                    h.push(pos);
                }
                for d in Domain::ALL {
                    if let (Rule::All, Some(e)) = (
                        profile.rule(d),
                        everyone.get_mut(w * Domain::COUNT + d.index()),
                    ) {
                        e.push(pos);
                    }
                }
            }
        }
        for b in 0..tree.len() {
            let Some(u) = tree.user_at_bfs(b) else {
                continue;
            };
            for (w, (_, profile)) in held(u) {
                for d in Domain::ALL {
                    let slot = managers_team.get_mut(w * Domain::COUNT + d.index());
                    if let (Rule::SubtreeOfManager, Some(m)) = (profile.rule(d), slot) {
                        m.push(b);
                    }
                }
            }
        }
        drop((start, next, by_user));
        let assignment = WsTable::build(n_users, NONE, rows);
        let bitmap = |v: Vec<u32>| RoaringBitmap::from_sorted_iter(v).unwrap_or_default();
        let mut reverse: Vec<DomainIndex> = everyone
            .into_iter()
            .zip(managers_team)
            .map(|(everyone, mgr)| DomainIndex {
                everyone: Arc::new(bitmap(everyone)),
                managers_team: Arc::new(bitmap(mgr)),
                lead_profiles: Vec::new(),
            })
            .collect();
        for (p, profile) in profiles.iter().enumerate() {
            if !profile.live {
                continue;
            }
            for d in Domain::ALL {
                if let Rule::Leads(set) = profile.rule(d) {
                    let i = profile.workspace.index() as usize * Domain::COUNT + d.index();
                    if let Some(index) = reverse.get_mut(i) {
                        index
                            .lead_profiles
                            .push((ProfileId::from_index(p as u32), set));
                    }
                }
            }
        }
        let holders = holder_pos
            .into_iter()
            .map(|v| Arc::new(bitmap(v)))
            .collect();
        CompiledProfiles {
            profile_ids: model.ids.clone(),
            capabilities: model.capabilities.clone(),
            assignment,
            profiles: Arc::new(profiles),
            lead_sets: Arc::new(lead_sets),
            caps: Arc::new(caps),
            holders,
            reverse: Chunked::from_vec(reverse),
        }
    }

    /// Dense profile id of `u` in `w`, `NONE` when there is none or either id is out of range.
    #[inline(always)]
    pub(crate) fn profile_index(&self, u: UserId, w: WorkspaceId) -> u32 {
        self.assignment
            .raw(w.index() as usize, u.index() as usize)
            .unwrap_or(NONE)
    }

    #[inline(always)]
    pub(crate) fn compiled_profile(
        &self,
        u: UserId,
        w: WorkspaceId,
    ) -> Option<(u32, &CompiledProfile)> {
        let p = self.profile_index(u, w);
        self.profiles.get(p as usize).map(|c| (p, c))
    }

    /// The compiled rule of `u`'s profile in `domain` of `w`; `Nobody` without a profile.
    #[inline]
    pub(crate) fn rule(&self, u: UserId, w: WorkspaceId, domain: Domain) -> Rule {
        self.compiled_profile(u, w)
            .map_or(Rule::Nobody, |(_, p)| p.rule(domain))
    }

    /// A live profile behind a key.
    pub(crate) fn live_profile(
        &self,
        key: &impl crate::id::key::Key<ProfileId>,
    ) -> Option<ProfileId> {
        key.resolve(&self.profile_ids).filter(|p| {
            self.profiles
                .get(p.index() as usize)
                .is_some_and(|c| c.live)
        })
    }

    /// The reverse index of (`w`, `domain`).
    #[inline]
    pub(crate) fn domain_index(&self, w: WorkspaceId, domain: Domain) -> Option<&DomainIndex> {
        let i = (w.index() as usize).checked_mul(Domain::COUNT)? + domain.index();
        self.reverse.get(i)
    }

    /// Adds to `set` the positions of the users whose `domain` scope in `w` reaches the
    /// active user `o`, except the holders of `all` (`index.everyone`), which a caller
    /// asking about several owners adds once.
    ///
    /// O(depth of `o` + output): the walk up `o`'s manager chain finds `report-to-them`
    /// holders above it and, through the breadth-first numbering in which each manager's
    /// reports are one run, the `managers-team` holders whose manager is above it;
    /// `managers-team` profiles with leads are tested once each.
    pub(crate) fn add_reaching(
        &self,
        org: &CompiledOrg,
        index: &DomainIndex,
        w: WorkspaceId,
        domain: Domain,
        o: UserId,
        set: &mut RoaringBitmap,
    ) {
        let Some(onode) = org.tree.node(o) else {
            return;
        };
        let has_managers_team = !index.managers_team.is_empty();
        for (a, anode) in org.tree.ancestors_or_self(o) {
            let rule = self.rule(a, w, domain);
            // Every level but none reaches the holder's own data; report-to-them reaches the
            // holder's subtree; managers-team held by a root reaches the root's subtree.
            let reaches = if a == o {
                rule != Rule::Nobody
            } else {
                rule == Rule::SubtreeOfSelf
                    || (rule == Rule::SubtreeOfManager && org.tree.manager(a).is_none())
            };
            if reaches {
                set.insert(anode.pos);
            }
            if has_managers_team {
                // Reports of `a` holding managers-team reach a's subtree, which holds `o`.
                for b in index.managers_team.range(org.tree.reports_bfs(a)) {
                    if let Some(n) = org.tree.user_at_bfs(b).and_then(|u| org.tree.node(u)) {
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
                    *set |= &**h;
                }
            }
        }
    }

    /// The live profiles of workspace `w`, with their dense ids and holders.
    pub(crate) fn profiles_in(
        &self,
        w: WorkspaceId,
    ) -> impl Iterator<Item = (u32, &CompiledProfile, &RoaringBitmap)> + '_ {
        self.profiles
            .iter()
            .zip(&self.holders)
            .enumerate()
            .filter(move |(_, (c, _))| c.live && c.workspace == w)
            .map(|(p, (c, h))| (p as u32, c, &**h))
    }

    /// Heap bytes: (id text, everything else).
    pub(crate) fn heap_bytes(&self) -> (usize, usize) {
        let (pt, pi) = self.profile_ids.heap_bytes();
        let (ct, ci) = self.capabilities.heap_bytes();
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
        let index = pi
            + ci
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
        (pt + ct, index)
    }
}

/// One live stored profile, compiled; `store_leads` keeps a lead interval set and returns
/// where (what its `Rule::Leads` names).
fn compile_profile(
    stored: &StoredProfile,
    tree: &TreeIndex,
    mut store_leads: impl FnMut(IntervalSet) -> u32,
) -> CompiledProfile {
    let mut compiled = CompiledProfile::dead();
    compiled.live = true;
    compiled.workspace = stored.workspace;
    for d in Domain::ALL {
        let level = stored.spec.access(d).level;
        let leads = stored
            .leads
            .get(d.index())
            .map(|l| l.as_slice())
            .unwrap_or(&[]);
        let lead_set = (level == Level::ManagersTeam && !leads.is_empty())
            .then(|| store_leads(IntervalSet::of_subtrees(tree, leads)));
        if let Some(r) = compiled.rules.get_mut(d.index()) {
            *r = Rule::of(level, lead_set);
        }
        if let Some(l) = compiled.levels.get_mut(d.index()) {
            *l = level;
        }
        if let Some(l) = compiled.leads.get_mut(d.index()) {
            *l = SmallVec::from_slice(leads);
        }
    }
    compiled.library_level = stored.spec.library.level;
    compiled.folders.clone_from(&stored.folders);
    compiled.library_flags = stored.library_flags;
    compiled
}

/// Capability names with an index below this many get a bit in each profile's dense row (the
/// 42 documented names come first); the rest, per profile, a sorted list.
const DENSE_CAPABILITIES: usize = 128;

/// The capabilities of every profile: a dense bit row per profile for the first
/// [`DENSE_CAPABILITIES`] names, and a sorted list per profile for names beyond (custom names
/// are rare per profile, but there may be many of them across profiles: a dense table of all
/// of them would cost profiles × names bits).
#[derive(Clone, Debug, Default)]
pub(crate) struct CapTable {
    /// Words per dense row.
    words: usize,
    /// `dense[profile * words ..][..words]`.
    dense: Vec<u64>,
    /// `extra[extra_start[p] .. extra_start[p + 1]]`: profile `p`'s names beyond the dense
    /// rows, sorted.
    extra_start: Vec<u32>,
    extra: Vec<Capability>,
}

impl CapTable {
    /// The table of `profiles` profiles over `names` capability names; fill with
    /// [`CapTable::push_profile`] in profile order.
    pub(crate) fn new(profiles: usize, names: usize) -> Self {
        let words = names.min(DENSE_CAPABILITIES).div_ceil(64).max(1);
        let mut extra_start = Vec::with_capacity(profiles + 1);
        extra_start.push(0);
        CapTable {
            words,
            dense: Vec::with_capacity(profiles * words),
            extra_start,
            extra: Vec::new(),
        }
    }

    /// Appends the next profile's row from its sorted capabilities.
    pub(crate) fn push_profile(&mut self, caps: &[Capability]) {
        let from = self.dense.len();
        self.dense.resize(from + self.words, 0);
        for &c in caps {
            let i = c.index() as usize;
            if i < self.words * 64 {
                if let Some(w) = self.dense.get_mut(from + i / 64) {
                    *w |= 1 << (i % 64);
                }
            } else {
                self.extra.push(c);
            }
        }
        self.extra_start.push(self.extra.len() as u32);
    }

    /// Rewrites profile `p`'s row from its sorted capabilities; `false` (nothing written)
    /// when `names` capability names need rows of another width.
    pub(crate) fn set_profile(&mut self, p: usize, caps: &[Capability], names: usize) -> bool {
        if names.min(DENSE_CAPABILITIES).div_ceil(64).max(1) != self.words {
            return false;
        }
        let words = self.words;
        let Some(row) = self.dense.get_mut(p * words..(p + 1) * words) else {
            return false;
        };
        row.fill(0);
        let mut extra: SmallVec<[Capability; 4]> = SmallVec::new();
        for &c in caps {
            let i = c.index() as usize;
            if i < words * 64 {
                if let Some(w) = row.get_mut(i / 64) {
                    *w |= 1 << (i % 64);
                }
            } else {
                extra.push(c);
            }
        }
        let (Some(&from), Some(&to)) = (self.extra_start.get(p), self.extra_start.get(p + 1))
        else {
            return false;
        };
        let (from, to) = (from as usize, to as usize);
        if from > to || to > self.extra.len() {
            return false;
        }
        if to - from != extra.len() || self.extra.get(from..to) != Some(&extra[..]) {
            self.extra.splice(from..to, extra.iter().copied());
            let delta = extra.len() as i64 - (to - from) as i64;
            for s in self.extra_start.iter_mut().skip(p + 1) {
                *s = (i64::from(*s) + delta) as u32;
            }
        }
        true
    }

    /// Whether profile `p` holds `c`.
    #[inline(always)]
    pub(crate) fn has(&self, p: u32, c: Capability) -> bool {
        let i = c.index() as usize;
        if i < self.words * 64 {
            self.dense
                .get(p as usize * self.words + i / 64)
                .is_some_and(|w| w & (1 << (i % 64)) != 0)
        } else {
            self.has_extra(p, c)
        }
    }

    /// The capabilities profile `p` holds, ascending.
    pub(crate) fn of_profile(&self, p: u32) -> impl Iterator<Item = Capability> + '_ {
        let p = p as usize;
        let row = self
            .dense
            .get(p * self.words..(p + 1) * self.words)
            .unwrap_or(&[]);
        let dense = row.iter().enumerate().flat_map(|(i, &word)| {
            (0..64u32)
                .filter(move |b| word & (1 << b) != 0)
                .map(move |b| Capability::from_index(i as u32 * 64 + b))
        });
        let extra = match (self.extra_start.get(p), self.extra_start.get(p + 1)) {
            (Some(&from), Some(&to)) => self.extra.get(from as usize..to as usize),
            _ => None,
        };
        dense.chain(extra.unwrap_or(&[]).iter().copied())
    }

    #[cold]
    #[inline(never)]
    fn has_extra(&self, p: u32, c: Capability) -> bool {
        let p = p as usize;
        let (Some(&from), Some(&to)) = (self.extra_start.get(p), self.extra_start.get(p + 1))
        else {
            return false;
        };
        self.extra
            .get(from as usize..to as usize)
            .is_some_and(|l| l.binary_search(&c).is_ok())
    }

    pub(crate) fn heap_bytes(&self) -> usize {
        self.dense.capacity() * 8 + self.extra_start.capacity() * 4 + self.extra.capacity() * 4
    }
}
