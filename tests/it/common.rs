//! Helpers shared by the test modules: small org builders and the reference evaluator.
#![allow(dead_code)]

use orgperm::{Domain, Level, LibraryLevel, Model, ProfileSpec};

/// Builds a model from `(id, manager)` pairs given in an order where managers come first.
pub fn org(users: &[(&str, Option<&str>)]) -> Model {
    let mut m = Model::new();
    for &(id, mgr) in users {
        m.add_user(id, mgr).unwrap();
    }
    m
}

/// The org used by the hand-written semantics tests:
///
/// ```text
/// ceo
/// ├── vp1
/// │   ├── m1
/// │   │   ├── r1
/// │   │   └── r2
/// │   └── m2
/// │       └── r3
/// └── vp2
///     └── r4
/// solo            (a second root)
/// ```
pub fn sample() -> Model {
    org(&[
        ("ceo", None),
        ("vp1", Some("ceo")),
        ("vp2", Some("ceo")),
        ("m1", Some("vp1")),
        ("m2", Some("vp1")),
        ("r1", Some("m1")),
        ("r2", Some("m1")),
        ("r3", Some("m2")),
        ("r4", Some("vp2")),
        ("solo", None),
    ])
}

pub const SAMPLE_USERS: [&str; 10] = [
    "ceo", "vp1", "vp2", "m1", "m2", "r1", "r2", "r3", "r4", "solo",
];

/// Gives `user` a fresh profile with `domain` at `level` (and leads), in the default
/// workspace.
pub fn give(model: &mut Model, user: &str, domain: Domain, level: Level, leads: &[&str]) {
    let id = format!("p-{user}");
    let spec = ProfileSpec::new(id.clone(), format!("Profile of {user}")).with_leads(
        domain,
        level,
        leads.iter().copied(),
    );
    model.create_profile(spec).unwrap();
    model.assign_profile(user, &id).unwrap();
}

/// The reference evaluator: the contract of docs/semantics.md §1 written the obvious way, walking
/// manager chains and scanning lists. Built from plain data, independent of the crate's
/// compiled structures.
#[derive(Clone, Debug, Default)]
pub struct Reference {
    /// External ids of active users.
    pub users: Vec<String>,
    /// Manager (index into `users`) of each user.
    pub manager: Vec<Option<usize>>,
    /// Profiles by id: workspace, the domains set (level, lead indices), library level,
    /// folders, capabilities set to true.
    pub profiles: Vec<RefProfile>,
    /// `assignment[user][workspace] = profile index`.
    pub assignment: std::collections::HashMap<usize, std::collections::HashMap<String, usize>>,
    /// Folder → workspace.
    pub folders: std::collections::HashMap<String, String>,
}

#[derive(Clone, Debug)]
pub struct RefProfile {
    pub id: String,
    pub workspace: String,
    /// The domains the profile sets, with their level and lead indices; a domain not listed
    /// is unset.
    pub access: Vec<(Domain, Level, Vec<usize>)>,
    pub library: LibraryLevel,
    pub folders: Vec<String>,
    pub caps: Vec<String>,
}

impl Reference {
    pub fn index(&self, id: &str) -> Option<usize> {
        self.users.iter().position(|u| u == id)
    }

    /// Whether `o` is `x` or reports to `x`, directly or not.
    pub fn in_subtree(&self, x: usize, o: usize) -> bool {
        let mut cur = Some(o);
        // Bounded walk: a valid model has no cycle, but the oracle must not hang on a bug.
        for _ in 0..=self.users.len() {
            match cur {
                Some(c) if c == x => return true,
                Some(c) => cur = self.manager[c],
                None => return false,
            }
        }
        false
    }

    pub fn can_access(&self, v: &str, ws: &str, d: Domain, o: &str) -> bool {
        self.can_access_ix(self.index(v), ws, d, self.index(o))
    }

    /// [`can_access`](Self::can_access) for users already looked up (`None`: unknown).
    pub fn can_access_ix(&self, v: Option<usize>, ws: &str, d: Domain, o: Option<usize>) -> bool {
        let (Some(v), Some(o)) = (v, o) else {
            return false;
        };
        self.profile(v, ws).is_some_and(|p| self.scope(p, v, d, o))
    }

    /// The profile `user` holds in `ws`.
    pub fn profile(&self, user: usize, ws: &str) -> Option<&RefProfile> {
        self.assignment
            .get(&user)
            .and_then(|row| row.get(ws))
            .map(|&p| &self.profiles[p])
    }

    /// The table of docs/semantics.md §1: whether profile `p`, held by `v`, reaches `o`'s
    /// data in domain `d`.
    pub fn scope(&self, p: &RefProfile, v: usize, d: Domain, o: usize) -> bool {
        // A domain the profile leaves unset is `none` (docs/semantics.md §1).
        let Some((_, level, leads)) = p.access.iter().find(|(x, _, _)| *x == d) else {
            return false;
        };
        match level {
            Level::All => true,
            Level::ManagersTeam if !leads.is_empty() => {
                o == v || leads.iter().any(|&l| self.in_subtree(l, o))
            }
            Level::ManagersTeam => match self.manager[v] {
                Some(m) => self.in_subtree(m, o),
                None => self.in_subtree(v, o),
            },
            Level::ReportToThem => self.in_subtree(v, o),
            Level::Own => o == v,
            Level::None => false,
        }
    }

    pub fn has_capability(&self, u: &str, ws: &str, cap: &str) -> bool {
        let Some(u) = self.index(u) else { return false };
        self.profile(u, ws)
            .is_some_and(|p| p.caps.iter().any(|c| c == cap))
    }

    pub fn can_access_folder(&self, u: &str, ws: &str, folder: &str) -> bool {
        let Some(u) = self.index(u) else { return false };
        let Some(p) = self.profile(u, ws) else {
            return false;
        };
        if self.folders.get(folder).map(String::as_str) != Some(ws) {
            return false;
        }
        match p.library {
            LibraryLevel::None => false,
            LibraryLevel::All => true,
            LibraryLevel::SpecificFolders => p.folders.iter().any(|f| f == folder),
        }
    }
}

/// A property's case count: `PROPTEST_CASES` when set (for a longer soak, as in
/// `PROPTEST_CASES=20000 cargo test`), otherwise the property's own default.
pub fn cases(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// A property's configuration: [`cases`] cases, and room for rejected inputs in proportion,
/// so that a long soak does not stop at proptest's fixed limit of 1,024 rejects.
pub fn config(default: u32) -> proptest::test_runner::Config {
    let cases = cases(default);
    proptest::test_runner::Config {
        cases,
        max_global_rejects: cases.saturating_mul(4).max(1024),
        ..proptest::test_runner::Config::default()
    }
}

/// The folder of one vendor's fixtures, `tests/fixtures/vendor/<vendor>`.
pub fn vendor_dir(vendor: &str) -> std::path::PathBuf {
    std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/vendor")
        .join(vendor)
}

/// A vendor fixture's text.
pub fn vendor_fixture(vendor: &str, name: &str) -> String {
    std::fs::read_to_string(vendor_dir(vendor).join(name)).unwrap()
}

/// A vendor fixture, parsed.
pub fn vendor_value(vendor: &str, name: &str) -> serde_json::Value {
    serde_json::from_str(&vendor_fixture(vendor, name)).unwrap()
}
