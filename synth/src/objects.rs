//! The object-level part of a synthetic org: teams, calls in folders, networks with
//! advisors and contacts. Separate from [`generate`](super::generate) so that the default
//! org stays fast to build; [`add_objects`] adds them to a generated org.
//!
//! # Examples
//!
//! ```
//! use orgperm_synth::{add_objects, generate, ObjectsConfig, SynthConfig};
//! let mut org = generate(&SynthConfig::new(1_000).seed(7));
//! let objects = add_objects(&mut org, &ObjectsConfig::new().calls_per_user(5));
//! assert!(objects.calls > 2_000);
//! let snap = org.model.compile();
//! assert!(snap.teams().team_id(&objects.teams[0]).is_some());
//! assert!(snap.networks().network_id("WHATSAPP").is_some());
//! ```

use crate::{Rng, SynthOrg, user_id};
use orgperm::CallSpec;

/// The networks every generated org has, with their catalogs `(permission, isDefault)`.
pub const NETWORKS: [(&str, &[(&str, bool)]); 5] = [
    ("WECHAT", FULL_CATALOG),
    ("WHATSAPP", FULL_CATALOG),
    ("SMS", SMS_CATALOG),
    ("SMS-DIRECT", SMS_CATALOG),
    ("LINE", FULL_CATALOG),
];

const FULL_CATALOG: &[(&str, bool)] = &[
    ("create:room", true),
    ("send:message", true),
    ("add:contact", true),
    ("add:multi-company-contact", false),
    ("admin:list-customers", false),
    ("on-behalf:simple-offboard", false),
    ("send:attachment", false),
];

const SMS_CATALOG: &[(&str, bool)] = &[
    ("create:room", true),
    ("send:message", true),
    ("admin:list-customers", false),
    ("on-behalf:simple-offboard", false),
];

/// What [`add_objects`] adds.
///
/// # Examples
///
/// ```
/// let cfg = orgperm_synth::ObjectsConfig::new().calls_per_user(20);
/// assert_eq!(cfg.calls_per_user, 20);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ObjectsConfig {
    /// Average number of calls each user owns (each user owns between half and one and a half
    /// times this).
    pub calls_per_user: usize,
    /// Users per team, on average (teams = users / this, at least one).
    pub users_per_team: usize,
    /// Per mille of users who are advisors.
    pub advisors_per_mille: u64,
    /// Number of external contacts.
    pub contacts: usize,
    /// Random seed.
    pub seed: u64,
}

impl Default for ObjectsConfig {
    fn default() -> Self {
        Self::new()
    }
}

impl ObjectsConfig {
    /// Ten calls per user, teams of about 25, 10% advisors, 1,000 contacts, seed 1.
    pub fn new() -> Self {
        Self {
            calls_per_user: 10,
            users_per_team: 25,
            advisors_per_mille: 100,
            contacts: 1_000,
            seed: 1,
        }
    }

    /// The same configuration with another number of calls per user.
    pub fn calls_per_user(mut self, n: usize) -> Self {
        self.calls_per_user = n;
        self
    }

    /// The same configuration with another seed.
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }
}

/// External ids of what [`add_objects`] added.
#[derive(Clone, Debug, Default)]
pub struct SynthObjects {
    /// The teams, root first.
    pub teams: Vec<String>,
    /// Number of calls; the `i`-th has external id [`call_id`]`(i)`.
    pub calls: usize,
    /// The advisors.
    pub advisors: Vec<String>,
    /// The contacts.
    pub contacts: Vec<String>,
}

/// The external id of the `i`-th generated call.
///
/// # Examples
///
/// ```
/// assert_eq!(orgperm_synth::call_id(7), "call-0000007");
/// ```
pub fn call_id(i: usize) -> String {
    format!("call-{i:07}")
}

/// Adds teams, calls (in folders, some private, shared or granted), networks, advisors and
/// contacts to a generated org. The same org and config always give the same objects.
///
/// # Examples
///
/// ```
/// use orgperm_synth::{add_objects, call_id, generate, ObjectsConfig, SynthConfig};
/// let mut org = generate(&SynthConfig::new(200));
/// let objects = add_objects(&mut org, &ObjectsConfig::new().calls_per_user(2));
/// let snap = org.model.compile();
/// assert!(snap.calls().call_id(&call_id(objects.calls - 1)).is_some());
/// ```
pub fn add_objects(org: &mut SynthOrg, cfg: &ObjectsConfig) -> SynthObjects {
    let mut rng = Rng::new(cfg.seed ^ 0x00b1_ec75);
    let folders = org.folders.clone();
    let model = &mut org.model;
    let n = model.user_count();
    let ids: Vec<String> = (0..n).map(user_id).collect();
    let mut out = SynthObjects::default();

    // Teams: a tree where team k hangs under a random earlier team; every user in one team,
    // one in ten in a second one.
    let n_teams = (n / cfg.users_per_team.max(1)).max(1);
    for k in 0..n_teams {
        let id = format!("team-{k:05}");
        let parent = (k > 0).then(|| out.teams.get(rng.range(0, k as u64 - 1) as usize));
        let _ = model
            .teams_mut()
            .add_team(&id, parent.flatten().map(String::as_str));
        out.teams.push(id);
    }
    for (i, u) in ids.iter().enumerate() {
        let t = i * n_teams / n.max(1);
        if let Some(team) = out.teams.get(t) {
            let _ = model.teams_mut().add_team_member(team, u);
        }
        if rng.chance(100) {
            if let Some(team) = out.teams.get(rng.range(0, n_teams as u64 - 1) as usize) {
                let _ = model.teams_mut().add_team_member(team, u);
            }
        }
    }

    // Calls: owned by every user, with colleagues nearby in the org as participants.
    let pick_user = |rng: &mut Rng| ids.get(rng.range(0, n as u64 - 1) as usize);
    let mut c = 0;
    for (i, owner) in ids.iter().enumerate() {
        let k = rng.range(
            cfg.calls_per_user as u64 / 2,
            cfg.calls_per_user as u64 * 3 / 2,
        );
        for _ in 0..k {
            let mut spec = CallSpec::new(call_id(c), owner.as_str())
                .started_at(1_700_000_000 + c as i64 * 60)
                .private(rng.chance(20));
            for _ in 0..rng.range(0, 3) {
                let p: Option<String> = match rng.range(0, 9) {
                    0..=2 => model.manager_of(owner).map(str::to_owned),
                    3..=7 => {
                        let j = (i as u64 + rng.range(0, 10)).saturating_sub(5);
                        ids.get(j.min(n as u64 - 1) as usize).cloned()
                    }
                    _ => pick_user(&mut rng).cloned(),
                };
                if let Some(p) = p {
                    spec.participants.push(p);
                }
            }
            if rng.chance(10) {
                if let Some(u) = pick_user(&mut rng) {
                    spec.shared_with.push(u.clone());
                }
            }
            if rng.chance(5) {
                if let Some(u) = pick_user(&mut rng) {
                    spec.grants.push(u.clone());
                }
            }
            if !folders.is_empty() && rng.chance(20) {
                if let Some(f) = folders.get(rng.range(0, folders.len() as u64 - 1) as usize) {
                    spec.folders.push(f.clone());
                }
            }
            if model.calls_mut().add_call(spec).is_ok() {
                c += 1;
            }
        }
    }
    out.calls = c;

    // Networks, advisors and contacts.
    for (net, catalog) in NETWORKS {
        let _ = model.networks_mut().add_network(net);
        for &(p, d) in catalog {
            let _ = model.networks_mut().add_network_permission(net, p, d);
        }
    }
    for u in &ids {
        if !rng.chance(cfg.advisors_per_mille) {
            continue;
        }
        let mut entitled = false;
        for (net, catalog) in NETWORKS {
            if !rng.chance(400) {
                continue;
            }
            entitled |= model
                .networks_mut()
                .entitle_advisor(u, net)
                .unwrap_or(false);
            for &(p, d) in catalog {
                if !d && rng.chance(300) {
                    let _ = model.networks_mut().grant_network_permission(u, net, p);
                }
            }
        }
        if entitled {
            out.advisors.push(u.clone());
        }
    }
    for k in 0..cfg.contacts {
        let (net, _) = NETWORKS
            .get(rng.range(0, NETWORKS.len() as u64 - 1) as usize)
            .copied()
            .unwrap_or(("WHATSAPP", FULL_CATALOG));
        let id = format!("contact-{k:06}");
        let company = format!("company-{:03}", rng.range(0, 49));
        let _ = model.networks_mut().add_contact(&id, net, Some(&company));
        out.contacts.push(id);
    }
    out
}
