//! Seeded generator of Quantive items on top of a generated org: sessions, goals in them,
//! metrics in the goals (about 100,000 items by default), a few insight boards and
//! dashboards, with owners, creators and access lists mixing every principal kind,
//! `inherits` true and false, per-item and per-type defaults and unconfigured sessions.
//! It also adds what the role layer needs: the gate actions (`manage-*` requiring
//! `access-*`), roles bound to them by permission objects and granted to most users (most
//! through a group), a view-only role for about 1% of users, an `admin` role, and a team
//! tree with every user in one team. Separate from [`generate`](super::generate) so the
//! default org stays fast to build.
//!
//! # Examples
//!
//! ```
//! use orgperm_synth::items::{add_items, ItemsConfig};
//! use orgperm_synth::{generate, SynthConfig};
//! let mut org = generate(&SynthConfig::new(1_000).seed(7));
//! let items = add_items(&mut org, &ItemsConfig::small());
//! let snap = org.model.compile();
//! let user = org.reps[0].as_str();
//! let metric = items.metrics[0].as_str();
//! assert!(snap.items().allowed_actions(user, "metric", metric).is_ok());
//! assert!(snap.items().readable(user, orgperm::ItemType::Metric).len() > 0);
//! ```

use crate::{Rng, SynthOrg};
use orgperm::{AccessEntry, AccessSpec, ItemSpec, ItemType, ItemVerbs};
use orgperm::{ActionSpec, GlobalPermissionSpec, PermissionSpec, Principal, RoleSpec, Subject};

/// What [`add_items`] generates.
///
/// # Examples
///
/// ```
/// let cfg = orgperm_synth::items::ItemsConfig::new();
/// assert_eq!(cfg.sessions * cfg.goals_per_session * cfg.metrics_per_goal, 90_000);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ItemsConfig {
    /// Number of sessions.
    pub sessions: usize,
    /// Goals in each session.
    pub goals_per_session: usize,
    /// Metrics in each goal.
    pub metrics_per_goal: usize,
    /// Number of insight boards.
    pub insight_boards: usize,
    /// Number of dashboards.
    pub dashboards: usize,
    /// Users per team, on average.
    pub users_per_team: usize,
    /// Random seed.
    pub seed: u64,
}

impl Default for ItemsConfig {
    fn default() -> Self {
        Self::new()
    }
}

impl ItemsConfig {
    /// 1,000 sessions × 9 goals × 10 metrics (100,000 sessions, goals and metrics), 50
    /// insight boards, 50 dashboards, teams of about 50, seed 1.
    pub fn new() -> Self {
        Self {
            sessions: 1_000,
            goals_per_session: 9,
            metrics_per_goal: 10,
            insight_boards: 50,
            dashboards: 50,
            users_per_team: 50,
            seed: 1,
        }
    }

    /// 20 sessions × 4 goals × 5 metrics, 5 insight boards, 5 dashboards: for tests.
    pub fn small() -> Self {
        Self {
            sessions: 20,
            goals_per_session: 4,
            metrics_per_goal: 5,
            insight_boards: 5,
            dashboards: 5,
            ..Self::new()
        }
    }

    /// The same configuration with another seed.
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }
}

/// External ids of what [`add_items`] added.
#[derive(Clone, Debug, Default)]
pub struct SynthItems {
    /// Sessions.
    pub sessions: Vec<String>,
    /// Goals.
    pub goals: Vec<String>,
    /// Metrics (each three levels deep: session → goal → metric).
    pub metrics: Vec<String>,
    /// Insight boards.
    pub insight_boards: Vec<String>,
    /// Dashboards.
    pub dashboards: Vec<String>,
    /// The teams, root first.
    pub teams: Vec<String>,
    /// The role most users hold (through a group): every gate action.
    pub contributor_role: String,
    /// A role holding the `access-*` actions only.
    pub reader_role: String,
    /// The view-only role.
    pub viewer_role: String,
    /// Users holding the contributor role.
    pub contributors: Vec<String>,
    /// Users holding only the view-only role.
    pub view_only_users: Vec<String>,
}

const PLURALS: [&str; 5] = [
    "sessions",
    "goals",
    "metrics",
    "insightboards",
    "dashboards",
];

fn pick<'a>(rng: &mut Rng, v: &'a [String]) -> &'a str {
    let i = rng.range(0, v.len().saturating_sub(1) as u64) as usize;
    v.get(i).map_or("", String::as_str)
}

/// Adds the role layer's part, teams and items to a generated org. The same org and config
/// always give the same items. Edits that the org refuses (say, a view-only role for a user
/// who already holds roles from another generator) are skipped.
///
/// # Examples
///
/// ```
/// use orgperm_synth::items::{add_items, ItemsConfig};
/// use orgperm_synth::{generate, SynthConfig};
/// let mut org = generate(&SynthConfig::new(300));
/// let items = add_items(&mut org, &ItemsConfig::small());
/// assert_eq!(items.metrics.len(), 20 * 4 * 5);
/// assert!(org.model.items().item(&items.metrics[0]).is_some());
/// ```
pub fn add_items(org: &mut SynthOrg, cfg: &ItemsConfig) -> SynthItems {
    let mut rng = Rng::new(cfg.seed ^ 0x17e3_5eed);
    let model = &mut org.model;
    let users: Vec<String> = model.user_ids().map(str::to_owned).collect();
    let mut out = SynthItems {
        contributor_role: "items-contributor".to_owned(),
        reader_role: "items-reader".to_owned(),
        viewer_role: "items-viewer".to_owned(),
        ..SynthItems::default()
    };
    if users.is_empty() {
        return out;
    }

    // Roles layer: a home division, `admin`, the gate actions, roles, permission objects.
    if model.rbac().home_division().is_none() {
        let _ = model.rbac_mut().add_division("items-home", "Home");
    }
    let _ = model
        .rbac_mut()
        .add_permission(PermissionSpec::new("admin", "Administrator"));
    let _ = model
        .rbac_mut()
        .create_role(RoleSpec::new("items-admin", "Items admin").with_permission("admin"));
    let _ = model
        .rbac_mut()
        .create_role(RoleSpec::new(out.contributor_role.as_str(), "Contributor"));
    let _ = model
        .rbac_mut()
        .create_role(RoleSpec::new(out.reader_role.as_str(), "Reader"));
    let _ = model
        .rbac_mut()
        .create_role(RoleSpec::new(out.viewer_role.as_str(), "Viewer").view_only());
    let mut actions = Vec::new();
    for p in PLURALS {
        let (access, manage) = (format!("access-{p}"), format!("manage-{p}"));
        if model.rbac().action(&access).is_none() {
            actions.push(ActionSpec::new(access.clone(), format!("Access {p}")));
        }
        if model.rbac().action(&manage).is_none() {
            actions.push(ActionSpec::new(manage, format!("Manage {p}")).requiring(access));
        }
    }
    let _ = model.rbac_mut().add_actions(actions);
    for p in PLURALS {
        let _ = model
            .rbac_mut()
            .create_global_permission(GlobalPermissionSpec::new(
                format!("items-gp-manage-{p}"),
                format!("manage-{p}"),
                [
                    Principal::role(out.contributor_role.as_str()),
                    Principal::role("items-admin"),
                ],
            ));
        let _ = model
            .rbac_mut()
            .create_global_permission(GlobalPermissionSpec::new(
                format!("items-gp-access-{p}"),
                format!("access-{p}"),
                [
                    Principal::role(out.reader_role.as_str()),
                    Principal::role(out.viewer_role.as_str()),
                ],
            ));
    }
    for a in org.admins.iter().take(10) {
        let _ = model
            .rbac_mut()
            .grant_role(Subject::User(a), "items-admin", None);
    }
    let _ = model
        .rbac_mut()
        .add_group("items-contributors", "Contributors");
    let _ = model.rbac_mut().grant_role(
        Subject::Group("items-contributors"),
        out.contributor_role.as_str(),
        None,
    );
    let view_only = model.compile();
    for u in &users {
        let roll = rng.range(0, 99);
        if roll < 85 {
            // A user who already holds a view-only role (from the rbac generator) cannot
            // join a role-granting group, and one such member would refuse the whole batch.
            if !view_only.rbac().is_view_only(u.as_str()) {
                out.contributors.push(u.clone());
            }
        } else if roll < 95 {
            let _ = model
                .rbac_mut()
                .grant_role(Subject::User(u), out.reader_role.as_str(), None);
        } else if roll < 96
            && model
                .rbac_mut()
                .grant_role(Subject::User(u), out.viewer_role.as_str(), None)
                .is_ok()
        {
            out.view_only_users.push(u.clone());
        }
    }

    drop(view_only);
    let members: Vec<&str> = out.contributors.iter().map(String::as_str).collect();
    let _ = model
        .rbac_mut()
        .add_group_members("items-contributors", &members);

    // Teams: a six-ary tree, every user in one team.
    let n_teams = (users.len() / cfg.users_per_team.max(1)).max(1);
    for t in 0..n_teams {
        let id = format!("iteam-{t:05}");
        let parent = (t > 0).then(|| format!("iteam-{:05}", (t - 1) / 6));
        if model.teams_mut().add_team(&id, parent.as_deref()).is_ok() {
            out.teams.push(id);
        }
    }
    if out.teams.is_empty() {
        return out;
    }
    for u in &users {
        let t = pick(&mut rng, &out.teams).to_owned();
        let _ = model.teams_mut().add_team_member(&t, u);
    }

    // Defaults: dashboards readable by the account.
    let _ = model.items_mut().set_default_access(
        ItemType::Dashboard,
        Some(vec![AccessEntry::account(ItemVerbs::READ)]),
    );

    let (r, u, c, d) = (
        ItemVerbs::READ,
        ItemVerbs::UPDATE,
        ItemVerbs::CREATE,
        ItemVerbs::DELETE,
    );
    let team = |rng: &mut Rng| pick(rng, &out.teams).to_owned();
    let (mut sessions, mut goals, mut metrics) = (Vec::new(), Vec::new(), Vec::new());
    for s in 0..cfg.sessions {
        let id = format!("session-{s:05}");
        let creator = pick(&mut rng, &users).to_owned();
        let mut spec = ItemSpec::session(id.clone())
            .created_by(creator.clone())
            .owned_by([creator.clone()]);
        match rng.range(0, 99) {
            0..=34 => {} // unconfigured
            35..=49 => {
                spec = spec.with_default_access([
                    AccessEntry::account(r),
                    AccessEntry::team(team(&mut rng), r | u | c).including_subteams(),
                ])
            }
            _ => {
                spec = spec.with_access(AccessSpec::new([
                    AccessEntry::account(r),
                    AccessEntry::team(team(&mut rng), r | u | c).including_subteams(),
                    AccessEntry::role(out.contributor_role.as_str(), r | u | c | d),
                    AccessEntry::user(creator, ItemVerbs::ALL),
                ]))
            }
        }
        if model.items_mut().add_item(spec).is_ok() {
            sessions.push(id);
        } else {
            continue;
        }
        for g in 0..cfg.goals_per_session {
            let gid = format!("goal-{s:05}-{g:02}");
            let owner = pick(&mut rng, &users).to_owned();
            let mut spec = ItemSpec::goal(gid.clone(), format!("session-{s:05}"))
                .owned_by([owner.clone()])
                .created_by(owner);
            match rng.range(0, 99) {
                0..=49 => spec = spec.with_access(AccessSpec::inheriting()),
                50..=74 => {
                    spec = spec.with_access(AccessSpec::new([
                        AccessEntry::team(team(&mut rng), r | u | c).including_subteams(),
                        AccessEntry::role(out.reader_role.as_str(), r),
                        AccessEntry::account(r),
                    ]))
                }
                _ => {}
            }
            if model.items_mut().add_item(spec).is_err() {
                continue;
            }
            goals.push(gid.clone());
            for x in 0..cfg.metrics_per_goal {
                let mid = format!("metric-{s:05}-{g:02}-{x:02}");
                let owner = pick(&mut rng, &users).to_owned();
                let mut spec = ItemSpec::metric(mid.clone(), gid.clone()).owned_by([owner.clone()]);
                match rng.range(0, 99) {
                    0..=59 => spec = spec.with_access(AccessSpec::inheriting()),
                    60..=69 => {
                        spec = spec.with_access(AccessSpec::new([
                            AccessEntry::user(owner, ItemVerbs::ALL),
                            AccessEntry::team(team(&mut rng), r),
                        ]))
                    }
                    _ => {}
                }
                if model.items_mut().add_item(spec).is_ok() {
                    metrics.push(mid);
                }
            }
        }
    }
    for b in 0..cfg.insight_boards {
        let id = format!("board-{b:04}");
        let owner = pick(&mut rng, &users).to_owned();
        let mut spec = ItemSpec::new(id.clone(), ItemType::InsightBoard).owned_by([owner]);
        if rng.chance(500) {
            spec = spec.with_access(AccessSpec::new([
                AccessEntry::role(out.reader_role.as_str(), r),
                AccessEntry::role(out.contributor_role.as_str(), r | u),
                AccessEntry::team(team(&mut rng), r).including_subteams(),
            ]));
        }
        if model.items_mut().add_item(spec).is_ok() {
            out.insight_boards.push(id);
        }
    }
    for b in 0..cfg.dashboards {
        let id = format!("dashboard-{b:04}");
        let owner = pick(&mut rng, &users).to_owned();
        let mut spec = ItemSpec::new(id.clone(), ItemType::Dashboard).owned_by([owner]);
        if rng.chance(500) {
            spec = spec.with_default_access([AccessEntry::team(team(&mut rng), r | u)]);
        }
        if model.items_mut().add_item(spec).is_ok() {
            out.dashboards.push(id);
        }
    }
    out.sessions = sessions;
    out.goals = goals;
    out.metrics = metrics;
    out
}
