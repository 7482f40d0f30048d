//! Seeded generator of realistic synthetic orgs, shared by the demo, benches and tests.
//!
//! The org is a single tree grown breadth-first: every manager gets 3–9 direct reports until
//! the head count is reached (so depth is about log₆ n). Profiles are those a real tenant
//! has: a handful of admins with `all`; managers with `report-to-them`; reps with
//! `managers-team` on calls and `own` elsewhere; a few enablement profiles with
//! `managers-team` and explicit team leads; some view-only users with `none`; and ~1% of users
//! without a profile. Ids look like the vendor's (18–19 digit numbers). The same seed always
//! gives the same org.
//!
//! # Examples
//!
//! ```
//! use orgperm_synth::{generate, SynthConfig};
//! let org = generate(&SynthConfig::new(1_000).seed(7));
//! assert_eq!(org.model.user_count(), 1_000);
//! let snap = org.model.compile();
//! let boss = &org.managers[0];
//! assert!(snap.profiles().visible_owners(boss.as_str(), orgperm::Domain::Calls).len() > 1);
//! ```

mod objects;

pub use objects::{NETWORKS, ObjectsConfig, SynthObjects, add_objects, call_id};
pub mod baseline;
pub mod items;
pub mod rbac;
pub mod shapes;

use orgperm::{Capability, Domain, Level, LibraryAccess, LibraryFlag, Model, ProfileSpec};

/// What to generate.
///
/// # Examples
///
/// ```
/// let cfg = orgperm_synth::SynthConfig::new(500).seed(1);
/// assert_eq!(cfg.users, 500);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SynthConfig {
    /// Number of users.
    pub users: usize,
    /// Random seed.
    pub seed: u64,
    /// Number of library folders in the default workspace.
    pub folders: usize,
}

impl SynthConfig {
    /// `users` users, seed 1, 20 folders.
    pub fn new(users: usize) -> Self {
        Self {
            users,
            seed: 1,
            folders: 20,
        }
    }

    /// The same configuration with another seed.
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }
}

/// A generated org and the external ids of a few kinds of users in it.
#[derive(Clone, Debug)]
pub struct SynthOrg {
    /// The model.
    pub model: Model,
    /// Users with the admin profile (`all` everywhere).
    pub admins: Vec<String>,
    /// Users with reports and the manager profile (`report-to-them`), biggest team first.
    pub managers: Vec<String>,
    /// Users with the rep profile (`managers-team` on calls, `own` elsewhere).
    pub reps: Vec<String>,
    /// Users with an enablement profile (`managers-team` with team leads).
    pub enablement: Vec<String>,
    /// The library folders, all in the default workspace.
    pub folders: Vec<String>,
}

/// SplitMix64: tiny, fast, good enough for test data, and no dependency.
#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
    /// A generator from a seed.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut a = orgperm_synth::Rng::new(3);
    /// let mut b = orgperm_synth::Rng::new(3);
    /// assert_eq!(a.next_u64(), b.next_u64());
    /// ```
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `lo..=hi` (`lo` when the range is empty).
    pub fn range(&mut self, lo: u64, hi: u64) -> u64 {
        if hi <= lo {
            return lo;
        }
        lo + self.next_u64() % (hi - lo + 1)
    }

    /// `true` with probability `per_mille / 1000`.
    pub fn chance(&mut self, per_mille: u64) -> bool {
        self.next_u64() % 1000 < per_mille
    }
}

/// The external id of the `i`-th generated user.
pub fn user_id(i: usize) -> String {
    (4_000_000_000_000_000_000u64 + i as u64 * 7_919).to_string()
}

/// Generates an org.
pub fn generate(cfg: &SynthConfig) -> SynthOrg {
    let mut rng = Rng::new(cfg.seed);
    let mut model = Model::new();
    let n = cfg.users;

    // Breadth-first growth: manager[i] for every user i.
    let mut manager: Vec<Option<usize>> = Vec::with_capacity(n);
    let mut reports = vec![0u32; n];
    let mut next_manager = 0;
    while manager.len() < n {
        if manager.is_empty() {
            manager.push(None);
            continue;
        }
        let k = rng.range(3, 9) as usize;
        for _ in 0..k {
            if manager.len() >= n {
                break;
            }
            manager.push(Some(next_manager));
            if let Some(r) = reports.get_mut(next_manager) {
                *r += 1;
            }
        }
        next_manager += 1;
    }
    let ids: Vec<String> = (0..n).map(user_id).collect();
    for (id, m) in ids.iter().zip(&manager) {
        let mid = m.and_then(|m| ids.get(m)).map(String::as_str);
        // Managers come before their reports, ids are unique: cannot fail.
        let _ = model.add_user(id, mid);
    }
    let folders: Vec<String> = (0..cfg.folders).map(|f| format!("folder-{f:03}")).collect();
    for f in &folders {
        let _ = model.add_folder(f, None);
    }

    let all_caps: Vec<&str> = Capability::documented().to_vec();
    let mut admin = ProfileSpec::new("1000000000000000001", "Admins")
        .with_description("Everything")
        .with_all_levels(Level::All)
        .with_library(
            LibraryAccess::all()
                .with_flag(LibraryFlag::ManagePublicFolder)
                .with_flag(LibraryFlag::ManageStreams)
                .with_flag(LibraryFlag::ManageFolderCalls)
                .with_flag(LibraryFlag::ShareFoldersAndStreams),
        );
    for c in &all_caps {
        admin = admin.with_capability(*c, true);
    }
    let manager_caps = [
        Capability::SCORE_CALLS,
        Capability::CALLS_AND_SEARCH,
        Capability::LIBRARY,
        Capability::DEALS,
        Capability::COACHING,
        Capability::TEAM_STATS,
        Capability::FORECAST,
        Capability::USAGE,
    ];
    let mut mgr = ProfileSpec::new("1000000000000000002", "Managers")
        .with_all_levels(Level::ReportToThem)
        .with_level(Domain::Insights, Level::ManagersTeam)
        .with_level(Domain::ForecastEditSubmissions, Level::Own)
        .with_library(
            LibraryAccess::specific(folders.iter().take(5).cloned())
                .with_flag(LibraryFlag::ShareFoldersAndStreams),
        );
    for c in manager_caps {
        mgr = mgr.with_capability(c.name().unwrap_or_default(), true);
    }
    let mut rep = ProfileSpec::new("1000000000000000003", "Reps")
        .with_all_levels(Level::Own)
        .with_level(Domain::Calls, Level::ManagersTeam)
        .with_level(Domain::ForecastEditTargets, Level::None)
        .with_library(LibraryAccess::specific(folders.iter().take(2).cloned()))
        .with_capability("customTenantFlag", true);
    for c in [
        Capability::CALLS_AND_SEARCH,
        Capability::LIBRARY,
        Capability::DEALS,
    ] {
        rep = rep.with_capability(c.name().unwrap_or_default(), true);
    }
    let viewer = ProfileSpec::new("1000000000000000004", "View only")
        .with_capability("callsAndSearch", true)
        .with_capability("deleteCalls", false);

    // Enablement profiles: managers-team with a few leads picked among managers.
    let with_reports: Vec<usize> = (0..n)
        .filter(|&i| reports.get(i).is_some_and(|&r| r > 0))
        .collect();
    let mut enablement_profiles = Vec::new();
    for e in 0..3 {
        let mut leads = Vec::new();
        for _ in 0..3 {
            if with_reports.is_empty() {
                break;
            }
            let pick = rng.range(0, with_reports.len() as u64 - 1) as usize;
            if let Some(l) = with_reports.get(pick).and_then(|&l| ids.get(l)) {
                leads.push(l.clone());
            }
        }
        let spec = ProfileSpec::new(
            format!("10000000000000001{e:02}"),
            format!("Enablement {e}"),
        )
        .with_all_levels(Level::Own)
        .with_leads(Domain::Calls, Level::ManagersTeam, leads.clone())
        .with_leads(Domain::Coaching, Level::ManagersTeam, leads)
        .with_capability("coaching", true);
        enablement_profiles.push(spec.id.clone());
        let _ = model.create_profile(spec);
    }
    let _ = model.create_profile(admin);
    let _ = model.create_profile(mgr);
    let _ = model.create_profile(rep);
    let _ = model.create_profile(viewer);

    let mut org = SynthOrg {
        model,
        admins: Vec::new(),
        managers: Vec::new(),
        reps: Vec::new(),
        enablement: Vec::new(),
        folders: folders.clone(),
    };
    let admin_every = (n / 1000).max(1);
    for (i, id) in ids.iter().enumerate() {
        let has_reports = reports.get(i).is_some_and(|&r| r > 0);
        let profile = if i == 0 || (i % admin_every == 0 && rng.chance(100)) {
            org.admins.push(id.clone());
            "1000000000000000001"
        } else if has_reports {
            org.managers.push(id.clone());
            "1000000000000000002"
        } else if rng.chance(10) {
            continue; // ~1% without a profile
        } else if rng.chance(10) {
            let e = rng.range(0, enablement_profiles.len() as u64 - 1) as usize;
            org.enablement.push(id.clone());
            enablement_profiles
                .get(e)
                .map_or("1000000000000000004", String::as_str)
        } else if rng.chance(20) {
            "1000000000000000004"
        } else {
            org.reps.push(id.clone());
            "1000000000000000003"
        };
        let _ = org.model.assign_profile(id, profile);
    }
    // Managers were pushed in breadth-first order: the first ones run the biggest teams.
    org
}
