//! Reference evaluators written the obvious way: scan lists, walk manager and parent chains.
//! The property tests compare the compiled snapshot with them.

use orgperm::{Level, LibraryLevel};

/// A small org as plain vectors: `manager[u]`, `active[u]`.
#[derive(Clone, Debug, Default)]
pub struct RefOrg {
    pub manager: Vec<Option<usize>>,
    pub active: Vec<bool>,
}

impl RefOrg {
    /// Whether `o` is `x` or reports to `x`, walking up from `o` (bounded by the user count).
    pub fn in_subtree(&self, x: usize, o: usize) -> bool {
        if !self.active[x] || !self.active[o] {
            return false;
        }
        let mut cur = Some(o);
        for _ in 0..=self.manager.len() {
            match cur {
                Some(c) if c == x => return true,
                Some(c) => cur = self.manager[c].filter(|&m| self.active[m]),
                None => return false,
            }
        }
        false
    }

    /// The contract's table (docs/semantics.md §1) for viewer `v`, owner `o`.
    pub fn scope(&self, level: Level, leads: &[usize], v: usize, o: usize) -> bool {
        if !self.active[v] || !self.active[o] {
            return false;
        }
        match level {
            Level::All => true,
            Level::ManagersTeam if !leads.is_empty() => {
                o == v || leads.iter().any(|&l| self.in_subtree(l, o))
            }
            Level::ManagersTeam => match self.manager[v].filter(|&m| self.active[m]) {
                Some(m) => self.in_subtree(m, o),
                None => self.in_subtree(v, o),
            },
            Level::ReportToThem => self.in_subtree(v, o),
            Level::Own => o == v,
            Level::None => false,
        }
    }
}

/// A profile as the reference sees it (calls level, leads, library).
#[derive(Clone, Debug)]
pub struct RefProfile {
    pub level: Level,
    pub leads: Vec<usize>,
    pub library: LibraryLevel,
    pub folders: Vec<usize>,
}

/// A call as the reference sees it.
#[derive(Clone, Debug)]
pub struct RefCall {
    pub owner: usize,
    pub ws: usize,
    pub private: bool,
    pub participants: Vec<usize>,
    pub shared: Vec<usize>,
    pub grants: Vec<usize>,
    pub folders: Vec<usize>,
}

/// docs/semantics.md §1 "Calls", read literally. `profile[ws][v]` is v's profile there.
pub fn can_open_call(
    org: &RefOrg,
    profile: &[Vec<Option<RefProfile>>],
    v: usize,
    call: &RefCall,
) -> bool {
    if !org.active[v] {
        return false;
    }
    let Some(p) = &profile[call.ws][v] else {
        return false;
    };
    let is_owner = v == call.owner && org.active[call.owner];
    let participant = is_owner || call.participants.contains(&v);
    let sharee = call.shared.contains(&v);
    if call.private {
        return participant || sharee;
    }
    let mut everyone = call.participants.clone();
    everyone.push(call.owner);
    // Level all reaches any active participant; no scope reaches a removed user's data, so a
    // call whose participants were all removed is out of every scope (docs/semantics.md §5).
    let in_scope = everyone
        .iter()
        .any(|&o| org.active[o] && (p.level == Level::All || org.scope(p.level, &p.leads, v, o)));
    let folder = match p.library {
        LibraryLevel::None => false,
        LibraryLevel::All => !call.folders.is_empty(),
        LibraryLevel::SpecificFolders => call.folders.iter().any(|f| p.folders.contains(f)),
    };
    in_scope || participant || sharee || folder || call.grants.contains(&v)
}

/// Teams as parent links and member lists.
#[derive(Clone, Debug, Default)]
pub struct RefTeams {
    pub parent: Vec<Option<usize>>,
    pub live: Vec<bool>,
    pub members: Vec<Vec<usize>>,
}

impl RefTeams {
    /// Whether `t` is `anc` or below it, walking up from `t`.
    pub fn under(&self, anc: usize, t: usize) -> bool {
        let mut cur = Some(t);
        for _ in 0..=self.parent.len() {
            match cur {
                Some(c) if c == anc => return true,
                Some(c) => cur = self.parent[c],
                None => return false,
            }
        }
        false
    }

    /// Whether user `u` is a member of team `t` (directly, or with sub-teams).
    pub fn is_member(&self, org_active: &[bool], u: usize, t: usize, sub: bool) -> bool {
        if !self.live[t] || !org_active[u] {
            return false;
        }
        (0..self.members.len()).any(|s| {
            self.live[s] && self.members[s].contains(&u) && (s == t || (sub && self.under(t, s)))
        })
    }
}

/// A tiny deterministic RNG for building random models inside property tests.
pub struct Lcg(pub u64);

impl Lcg {
    pub fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }

    /// A number in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }

    /// `true` with probability `pct` percent.
    pub fn pct(&mut self, pct: u64) -> bool {
        self.next() % 100 < pct
    }
}
