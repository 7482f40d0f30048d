//! Edits and imports whose naive handling is quadratic, each at two sizes 8× apart: the
//! ratio of the medians should stay near 8 (≤ 12 allowed for the log factor and noise).
//! Measurement is short (10 samples): each shape takes tens of milliseconds. What an
//! iteration builds (the model, the snapshot) is returned and dropped outside the timing.

use std::hint::black_box;
use std::time::Duration;

use criterion::{BatchSize, Criterion};
use orgperm::{
    ActionSpec, Domain, GlobalPermissionSpec, Level, Model, PermissionSpec, PolicySpec,
    ProfileSpec, RoleSpec, Subject,
};

const SIZES: [usize; 2] = [12_500, 100_000];

/// `n` actions, each requiring the previous one, the last bound to a user.
fn action_chain(n: usize) -> Model {
    let mut m = Model::new();
    m.add_user("ada", None).unwrap();
    m.rbac_mut()
        .add_action(ActionSpec::new("a0", "A0"))
        .unwrap();
    for i in 1..n {
        m.rbac_mut()
            .add_action(ActionSpec::new(format!("a{i}"), "A").requiring(format!("a{}", i - 1)))
            .unwrap();
    }
    m.rbac_mut()
        .create_global_permission(GlobalPermissionSpec::new(
            "g",
            format!("a{}", n - 1),
            ["ada"],
        ))
        .unwrap();
    m
}

/// A catalog of `n` atoms in one domain and a role naming each in its own policy.
fn policies(n: usize) -> (Model, RoleSpec) {
    let mut m = Model::new();
    let mut role = RoleSpec::new("big", "Big");
    for i in 0..n {
        m.rbac_mut()
            .add_permission(PermissionSpec::new(format!("routing:e{i}:view"), "V"))
            .unwrap();
        role = role.with_policy(PolicySpec::new("routing", format!("e{i}"), ["view"]));
    }
    (m, role)
}

/// One user and `n` groups (empty), a role, and a view-only role (so the view-only rule is
/// evaluated on every edit).
fn groups(n: usize) -> Model {
    let mut m = Model::new();
    m.rbac_mut().add_division("home", "Home").unwrap();
    m.add_user("ada", None).unwrap();
    m.rbac_mut().create_role(RoleSpec::new("r", "R")).unwrap();
    m.rbac_mut()
        .create_role(RoleSpec::new("vo", "View only").view_only())
        .unwrap();
    for i in 0..n {
        m.rbac_mut()
            .add_group(&format!("g{i}"), &format!("G{i}"))
            .unwrap();
    }
    m
}

fn join_all(m: &mut Model, n: usize) {
    for i in 0..n {
        m.rbac_mut()
            .add_group_members(&format!("g{i}"), &["ada"])
            .unwrap();
    }
}

/// `n` users under one root.
fn users(n: usize) -> Model {
    let mut m = Model::new();
    m.add_user("root", None).unwrap();
    for i in 0..n {
        m.add_user(&format!("u{i}"), Some("root")).unwrap();
    }
    m
}

fn lead_profile(n: usize) -> ProfileSpec {
    let leads: Vec<String> = (0..n).map(|i| format!("u{i}")).collect();
    ProfileSpec::new("leads", "Leads")
        .with_leads(Domain::Calls, Level::ManagersTeam, leads.iter().cloned())
        .with_leads(Domain::Deals, Level::ManagersTeam, leads)
}

/// `n` profiles, each naming lead `l{i}`, and `n` other users to remove.
fn lead_profiles(n: usize) -> Model {
    let mut m = Model::new();
    m.add_user("root", None).unwrap();
    for i in 0..n {
        m.add_user(&format!("l{i}"), Some("root")).unwrap();
        m.add_user(&format!("u{i}"), Some("root")).unwrap();
        m.create_profile(
            ProfileSpec::new(format!("p{i}"), format!("P{i}")).with_leads(
                Domain::Calls,
                Level::ManagersTeam,
                [format!("l{i}")],
            ),
        )
        .unwrap();
    }
    m
}

/// 50,000 profiles, each with one capability name of its own.
fn custom_capabilities() -> Model {
    let mut m = Model::new();
    for p in 0..50_000 {
        m.create_profile(
            ProfileSpec::new(format!("p{p}"), format!("P{p}"))
                .with_capability(format!("custom{p}"), true),
        )
        .unwrap();
    }
    m
}

pub fn benches(c: &mut Criterion) {
    let mb = |b: usize| b as f64 / (1 << 20) as f64;
    let ws = orgperm_synth::shapes::many_workspaces(100_000, 3_000)
        .compile()
        .memory();
    eprintln!(
        "scale memory: 3,000 workspaces x 100,000 users, 100,000 assignments: {:.1} MB index ({:.1} MB profiles)",
        mb(ws.index_bytes()),
        mb(ws.profile_bytes)
    );
    let caps = custom_capabilities().compile().memory();
    eprintln!(
        "scale memory: 50,000 profiles with one custom capability each: {:.1} MB index ({:.1} MB profiles)",
        mb(caps.index_bytes()),
        mb(caps.profile_bytes)
    );
    let mut g = c.benchmark_group("scale");
    g.sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2));
    for n in SIZES {
        g.bench_function(format!("action_chain/api/{n}"), |b| {
            b.iter_batched(
                || (),
                |_| {
                    let m = black_box(action_chain(n));
                    let snap = m.compile();
                    (m, snap)
                },
                BatchSize::PerIteration,
            )
        });
        let json = action_chain(n).to_json();
        g.bench_function(format!("action_chain/import/{n}"), |b| {
            b.iter_batched(
                || (),
                |_| Model::from_json(black_box(&json)).unwrap(),
                BatchSize::PerIteration,
            )
        });
        g.bench_function(format!("create_role/policies/{n}"), |b| {
            b.iter_batched(
                || policies(n),
                |(mut m, role)| {
                    m.rbac_mut().create_role(role).unwrap();
                    m
                },
                BatchSize::LargeInput,
            )
        });
        g.bench_function(format!("groups/one_user_in_n/{n}"), |b| {
            b.iter_batched(
                || groups(n),
                |mut m| {
                    join_all(&mut m, n);
                    m
                },
                BatchSize::LargeInput,
            )
        });
        g.bench_function(format!("grant_role/n_groups/{n}"), |b| {
            b.iter_batched(
                || {
                    let mut m = groups(n);
                    join_all(&mut m, n);
                    m
                },
                |mut m| {
                    for i in 0..n {
                        m.rbac_mut()
                            .grant_role(Subject::Group(&format!("g{i}")), "r", None)
                            .unwrap();
                    }
                    m
                },
                BatchSize::LargeInput,
            )
        });
        g.bench_function(format!("create_profile/leads_x2/{n}"), |b| {
            b.iter_batched(
                || (users(n), lead_profile(n)),
                |(mut m, spec)| {
                    m.create_profile(spec).unwrap();
                    m
                },
                BatchSize::LargeInput,
            )
        });
        g.bench_function(format!("remove_user/n_lead_profiles/{n}"), |b| {
            b.iter_batched(
                || lead_profiles(n),
                |mut m| {
                    for i in 0..n {
                        m.remove_user(&format!("u{i}")).unwrap();
                    }
                    m
                },
                BatchSize::LargeInput,
            )
        });
    }
    g.finish();
}
