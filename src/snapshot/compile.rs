//! Model → snapshot: the one-time work that makes every check a handful of loads.

use roaring::RoaringBitmap;
use smallvec::SmallVec;

use crate::id::{DenseId, FolderId, ProfileId, UserId, WorkspaceId, NONE};
use crate::model::Model;
use crate::org::tree::TreeIndex;
use crate::profile::{Domain, Level, LibraryLevel};
use crate::snapshot::scope::{IntervalSet, Rule};
use crate::snapshot::Snapshot;
use crate::Capability;

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
    pub(crate) everyone: RoaringBitmap,
    /// Breadth-first positions of holders of `managers-team` without leads.
    pub(crate) managers_team: RoaringBitmap,
    /// Profiles with `managers-team` and leads, with their lead set.
    pub(crate) lead_profiles: Vec<(ProfileId, u32)>,
}

impl Snapshot {
    pub(crate) fn compile(model: &Model) -> Snapshot {
        let tree = TreeIndex::build(model.dir.manager_table(), model.dir.active_table());
        let n_users = model.dir.len();
        let n_ws = model.workspaces.len();

        // Profiles: rules, lead intervals, capability words.
        let cap_words = model.capabilities.len().div_ceil(64).max(1);
        let mut lead_sets = Vec::new();
        let mut profiles = Vec::with_capacity(model.profiles.len());
        let mut caps = vec![0u64; model.profiles.len() * cap_words];
        for (p, stored) in model.profiles.iter().enumerate() {
            let Some(stored) = stored else {
                profiles.push(CompiledProfile::dead());
                continue;
            };
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
                let lead_set = (level == Level::ManagersTeam && !leads.is_empty()).then(|| {
                    lead_sets.push(IntervalSet::of_subtrees(&tree, leads));
                    (lead_sets.len() - 1) as u32
                });
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
            for &c in &stored.capabilities {
                let word = p * cap_words + (c.index() / 64) as usize;
                if let Some(w) = caps.get_mut(word) {
                    *w |= 1 << (c.index() % 64);
                }
            }
            profiles.push(compiled);
        }

        // Assignments, flattened to `workspace * n_users + user`. Users outside the tree, dead
        // profiles and profiles of another workspace (none of which a valid model holds)
        // compile to "no profile", so one load answers the capability checks.
        let mut assignment = vec![NONE; n_ws * n_users];
        for (w, table) in model.assignment.iter().enumerate() {
            for (u, &p) in table.iter().enumerate().take(n_users) {
                let valid = tree.node(UserId::from_index(u as u32)).is_some()
                    && profiles
                        .get(p as usize)
                        .is_some_and(|c| c.live && c.workspace.index() as usize == w);
                if valid {
                    if let Some(slot) = assignment.get_mut(w * n_users + u) {
                        *slot = p;
                    }
                }
            }
        }

        // Reverse indexes, filled in preorder (then breadth-first order) so every bitmap is
        // built from sorted positions.
        let held = |w: usize, u: UserId| {
            let p = assignment
                .get(w * n_users + u.index() as usize)
                .copied()
                .unwrap_or(NONE);
            profiles.get(p as usize).map(|profile| (p, profile))
        };
        let mut holder_pos: Vec<Vec<u32>> = vec![Vec::new(); profiles.len()];
        let mut everyone: Vec<Vec<u32>> = vec![Vec::new(); n_ws * Domain::COUNT];
        let mut managers_team: Vec<Vec<u32>> = vec![Vec::new(); n_ws * Domain::COUNT];
        for pos in 0..tree.len() {
            let Some(u) = tree.user_at(pos) else { continue };
            for (w, (p, profile)) in (0..n_ws).filter_map(|w| Some((w, held(w, u)?))) {
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
            for (w, (_, profile)) in (0..n_ws).filter_map(|w| Some((w, held(w, u)?))) {
                for d in Domain::ALL {
                    let slot = managers_team.get_mut(w * Domain::COUNT + d.index());
                    if let (Rule::SubtreeOfManager, Some(m)) = (profile.rule(d), slot) {
                        m.push(b);
                    }
                }
            }
        }
        let bitmap = |v: Vec<u32>| RoaringBitmap::from_sorted_iter(v).unwrap_or_default();
        let mut reverse: Vec<DomainIndex> = everyone
            .into_iter()
            .zip(managers_team)
            .map(|(everyone, mgr)| DomainIndex {
                everyone: bitmap(everyone),
                managers_team: bitmap(mgr),
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
        let holders = holder_pos.into_iter().map(bitmap).collect();
        let teams = crate::teams::compiled::CompiledTeams::compile(model, &tree);
        let calls = crate::calls::compiled::CompiledCalls::compile(model, &tree);
        let networks = crate::network::compiled::CompiledNetworks::compile(model, &tree);
        let rbac = crate::rbac::compiled::CompiledRbac::build(model, &tree);
        let items = crate::items::compiled::CompiledItems::compile(model, &tree, &teams, &rbac);

        let mut snap = Snapshot {
            users: model.dir.ids.clone(),
            workspaces: model.workspaces.ids.clone(),
            folders: model.workspaces.folders.clone(),
            folder_workspace: model.workspaces.folder_workspaces().to_vec(),
            profile_ids: model.profile_ids.clone(),
            capabilities: model.capabilities.clone(),
            tree,
            n_users,
            assignment,
            profiles,
            lead_sets,
            cap_words,
            caps,
            holders,
            reverse,
            teams,
            calls,
            networks,
            rbac,
            items,
        };
        crate::calls::compiled::CompiledCalls::attach_viewers(&mut snap);
        snap
    }
}

/// The capability bit of `c` for profile `p`.
#[inline]
pub(crate) fn capability_bit(caps: &[u64], cap_words: usize, p: u32, c: Capability) -> bool {
    let word = p as usize * cap_words + (c.index() / 64) as usize;
    // A capability beyond the table's width belongs to no profile.
    (c.index() as usize) < cap_words * 64
        && caps
            .get(word)
            .is_some_and(|w| w & (1 << (c.index() % 64)) != 0)
}
