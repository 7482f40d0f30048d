//! What-if impact at scale: `Engine::preview` (draft, compile of the touched families,
//! comparison) and `Impact::between` alone (the comparison over two compiled snapshots), on
//! the synthetic org with calls (ten per user), rbac and items, `ORGPERM_IMPACT_USERS` users
//! (100,000 unless set). The three changes of issue 10: a profile held by 1,000 users going
//! from `report-to-them` to `all` on calls, a policy added to a role with about 6,000
//! holders, and a manager of a ~500-person subtree moved under another manager.

use std::hint::black_box;
use std::time::Duration;

use criterion::Criterion;
use orgperm::{
    ChangeSet, Domain, Engine, Impact, Level, Model, PermissionSpec, PolicySpec, ProfileSpec,
    RoleSpec, Subject,
};
use orgperm_synth::items::{ItemsConfig, add_items};
use orgperm_synth::rbac::{RbacConfig, add_rbac};
use orgperm_synth::{ObjectsConfig, SynthConfig, add_objects, generate};

fn users() -> usize {
    std::env::var("ORGPERM_IMPACT_USERS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000)
}

fn changes(json: &str) -> ChangeSet {
    ChangeSet::from_json(json).expect("a valid change set")
}

pub fn benches(c: &mut Criterion) {
    let n = users();
    let mut org = generate(&SynthConfig::new(n).seed(42));
    add_objects(&mut org, &ObjectsConfig::new().calls_per_user(10));
    let rbac = add_rbac(&mut org, &RbacConfig::new());
    add_items(&mut org, &ItemsConfig::new());
    let managers = org.managers.clone();
    let reps = org.reps.clone();
    let mut model: Model = org.model;

    // Two `report-to-them` profiles of 1,000 holders each: managers drawn evenly from the
    // whole list (teams of every size), and the 1,000 biggest teams (the worst case: their
    // old reach is most of the org, so the calls they did see are many).
    for p in ["whatif", "whatif-top"] {
        model
            .create_profile(
                ProfileSpec::new(p, "What-if").with_level(Domain::Calls, Level::ReportToThem),
            )
            .expect("profile");
    }
    let step = (managers.len() / 2_000).max(1);
    let spread: Vec<&String> = managers
        .iter()
        .skip(1_000)
        .step_by(step)
        .chain(&reps)
        .take(1_000)
        .collect();
    for u in spread {
        model.assign_profile(u, "whatif").expect("assign");
    }
    for u in managers.iter().take(1_000) {
        model.assign_profile(u, "whatif-top").expect("assign");
    }
    // A role with 6,000 holders in the home division, over a division-aware permission.
    let view_only: std::collections::HashSet<&str> =
        rbac.view_only_users.iter().map(String::as_str).collect();
    {
        let mut r = model.rbac_mut();
        r.add_permission(PermissionSpec::new("whatif:report:view", "View").division_aware())
            .expect("permission");
        r.add_permission(PermissionSpec::new("whatif:report:edit", "Edit").division_aware())
            .expect("permission");
        r.create_role(
            RoleSpec::new("whatif-role", "What-if").with_policy(PolicySpec::new(
                "whatif",
                "report",
                ["view"],
            )),
        )
        .expect("role");
    }
    let mut granted = 0;
    for k in 0..n {
        let u = orgperm_synth::user_id(k * 7_919 % n);
        if view_only.contains(u.as_str()) {
            continue;
        }
        if model
            .rbac_mut()
            .grant_role(Subject::User(&u), "whatif-role", None)
            .is_ok()
        {
            granted += 1;
        }
        if granted == 6_000 {
            break;
        }
    }

    let snap = model.compile();
    // A manager whose subtree holds about 500 people, and a manager outside it.
    let team = |m: &str| {
        snap.in_workspace(orgperm::WorkspaceId::DEFAULT)
            .visible_owners(m, Domain::Calls)
    };
    let mover = managers
        .iter()
        .min_by_key(|m| (team(m).len() as i64 - 500).abs())
        .expect("a manager")
        .clone();
    let moved = team(&mover);
    let target = managers
        .iter()
        .find(|m| !moved.contains(m.as_str()) && **m != mover)
        .expect("a target")
        .clone();
    let subtree = moved.len();
    drop(moved);
    drop(snap);

    let engine = Engine::new(model);
    let cases = [
        (
            "profile_calls_to_all",
            changes(
                r#"{"version": 1, "ops": [{"op": "updateProfile", "profile": {"id": "whatif", "name": "What-if", "callsAccess": {"permissionLevel": "all"}}}]}"#,
            ),
        ),
        (
            "profile_calls_to_all_biggest_teams",
            changes(
                r#"{"version": 1, "ops": [{"op": "updateProfile", "profile": {"id": "whatif-top", "name": "What-if", "callsAccess": {"permissionLevel": "all"}}}]}"#,
            ),
        ),
        (
            "policy_added_to_role",
            changes(
                r#"{"version": 1, "ops": [{"op": "updateRole", "role": {"id": "whatif-role", "name": "What-if", "permissionPolicies": [{"domain": "whatif", "entityName": "report", "actionSet": ["view", "edit"]}]}}]}"#,
            ),
        ),
        (
            "manager_moved",
            changes(&format!(
                r#"{{"version": 1, "ops": [{{"op": "moveUser", "id": "{mover}", "managerId": "{target}"}}]}}"#
            )),
        ),
    ];

    let mut g = c.benchmark_group("impact");
    g.sample_size(10)
        .measurement_time(Duration::from_secs(5))
        .warm_up_time(Duration::from_secs(1));
    for (name, set) in &cases {
        let impact = engine.preview(set).expect("preview");
        let lines = impact.summary();
        eprintln!(
            "impact {name}/{n}: {} changes, {} KiB of sets{}; largest: {:?}",
            lines.len(),
            impact.heap_bytes() / 1024,
            if *name == "manager_moved" {
                format!(", subtree of {subtree}")
            } else {
                String::new()
            },
            lines.first()
        );
        g.bench_function(format!("preview/{name}/{n}"), |b| {
            b.iter(|| black_box(engine.preview(set).expect("preview")))
        });
        let before = engine.snapshot();
        let after = impact.after().clone();
        g.bench_function(format!("between/{name}/{n}"), |b| {
            b.iter(|| black_box(Impact::between(&before, &after)))
        });
    }
    g.finish();
}
