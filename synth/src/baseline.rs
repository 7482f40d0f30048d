//! The naive baseline the benches compare `Snapshot::can_access` with: the same question in
//! the default workspace, with the same steps — the viewer's profile, that profile's level
//! (and team leads) for the domain, then the level's rule — written the obvious way over
//! plain vectors: every subtree test walks up the manager chain from the owner.
//!
//! It answers exactly what `can_access` answers on a model whose users are all active (the
//! benches check this before timing anything), so the two differ only in how a subtree is
//! tested: a chain walk of depth ≈ 7 here, against orgperm's interval compare.
//!
//! # Examples
//!
//! ```
//! use orgperm::Domain;
//! use orgperm_synth::baseline::NaiveProfiles;
//! use orgperm_synth::{SynthConfig, generate};
//! let org = generate(&SynthConfig::new(1_000).seed(7));
//! let snap = org.model.compile();
//! // Index i of the tables is the user whose dense id is i.
//! let mut ids = vec![""; org.model.user_count()];
//! for id in org.model.user_ids() {
//!     ids[snap.user_id(id).unwrap().as_u32() as usize] = id;
//! }
//! let naive = NaiveProfiles::new(&org.model, &ids, Domain::Calls);
//! let (boss, rep) = (snap.user_id(&org.managers[0]).unwrap(), snap.user_id(&org.reps[0]).unwrap());
//! assert_eq!(
//!     naive.can_access(boss.as_u32(), rep.as_u32()),
//!     snap.can_access(boss, Domain::Calls, rep)
//! );
//! ```

use std::collections::HashMap;

use orgperm::{Domain, Level, Model};

/// "None" in the index tables: no manager, no profile.
pub const NONE: u32 = u32::MAX;

/// A profile's rule for one domain, as the naive evaluator reads it.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Rule {
    All,
    Nobody,
    Own,
    ReportToThem,
    ManagersTeam,
    /// `managers-team` with team leads (user indices).
    Leads(Vec<u32>),
}

/// The default workspace's profiles for one domain, over user indices `0..ids.len()`.
#[derive(Clone, Debug)]
pub struct NaiveProfiles {
    /// Manager index of each user, [`NONE`] for a root.
    manager: Vec<u32>,
    /// Profile index of each user in the default workspace, [`NONE`] without one.
    profile: Vec<u32>,
    /// Each profile's rule for the domain.
    rules: Vec<Rule>,
}

impl NaiveProfiles {
    /// Reads the model: `ids[i]` is the user of index `i` (every user of the model, once).
    pub fn new<S: AsRef<str>>(model: &Model, ids: &[S], domain: Domain) -> Self {
        let index: HashMap<&str, u32> = ids
            .iter()
            .enumerate()
            .map(|(i, id)| (id.as_ref(), i as u32))
            .collect();
        let at = |id: &str| index.get(id).copied().unwrap_or(NONE);
        let specs = model.profiles_in(None).unwrap_or_default();
        let profile_index: HashMap<&str, u32> = specs
            .iter()
            .enumerate()
            .map(|(i, p)| (p.id.as_str(), i as u32))
            .collect();
        let rules = specs
            .iter()
            .map(|p| {
                let access = &p.access[domain.index()];
                match access.level {
                    Level::All => Rule::All,
                    Level::None => Rule::Nobody,
                    Level::Own => Rule::Own,
                    Level::ReportToThem => Rule::ReportToThem,
                    Level::ManagersTeam if access.team_lead_ids.is_empty() => Rule::ManagersTeam,
                    Level::ManagersTeam => {
                        Rule::Leads(access.team_lead_ids.iter().map(|l| at(l)).collect())
                    }
                }
            })
            .collect();
        let manager = ids
            .iter()
            .map(|id| model.manager_of(id.as_ref()).map_or(NONE, at))
            .collect();
        let profile = ids
            .iter()
            .map(|id| {
                model
                    .profile_of(id.as_ref(), None)
                    .and_then(|p| profile_index.get(p).copied())
                    .unwrap_or(NONE)
            })
            .collect();
        NaiveProfiles {
            manager,
            profile,
            rules,
        }
    }

    /// Number of users.
    pub fn len(&self) -> usize {
        self.manager.len()
    }

    /// Whether there are no users.
    pub fn is_empty(&self) -> bool {
        self.manager.is_empty()
    }

    /// Manager index of `user`, [`NONE`] for a root or an unknown index.
    pub fn manager(&self, user: u32) -> u32 {
        self.manager.get(user as usize).copied().unwrap_or(NONE)
    }

    /// Whether `viewer` may access `owner`'s data in the domain: the viewer's profile, its
    /// rule, and for the tree levels a walk up from the owner.
    pub fn can_access(&self, viewer: u32, owner: u32) -> bool {
        if owner as usize >= self.manager.len() {
            return false;
        }
        let Some(rule) = self
            .profile
            .get(viewer as usize)
            .and_then(|&p| self.rules.get(p as usize))
        else {
            return false;
        };
        match rule {
            Rule::All => true,
            Rule::Nobody => false,
            Rule::Own => viewer == owner,
            Rule::ReportToThem => self.reports_to(viewer, owner),
            Rule::ManagersTeam => match self.manager(viewer) {
                NONE => self.reports_to(viewer, owner),
                m => self.reports_to(m, owner),
            },
            Rule::Leads(leads) => viewer == owner || self.chain(owner).any(|x| leads.contains(&x)),
        }
    }

    /// Whether `owner` is `root` or reports to it, directly or not.
    pub fn reports_to(&self, root: u32, owner: u32) -> bool {
        self.chain(owner).any(|x| x == root)
    }

    /// `user`, then its manager, and so on up to the root.
    fn chain(&self, user: u32) -> impl Iterator<Item = u32> + '_ {
        std::iter::successors((user != NONE).then_some(user), |&x| {
            Some(self.manager(x)).filter(|&m| m != NONE)
        })
    }
}
