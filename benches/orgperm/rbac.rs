//! Roles and permissions (SEMANTICS.md §2 and the global part of §3) at 100,000 users,
//! 200 roles, 5,000 permissions, 50 divisions and 1,000 groups, with a naive scan of the
//! user's grants and the roles' policies as the baseline.

use std::hint::black_box;
use std::time::Duration;

use criterion::{BatchSize, Criterion};
use orgperm::{DivisionId, Model, PermissionId, Snapshot, UserId};
use orgperm_synth::rbac::{RbacConfig, SynthRbac, add_rbac};
use orgperm_synth::{Rng, SynthConfig, generate, user_id};

const USERS: usize = 100_000;

/// The obvious evaluator: walk the user's grants (own and groups'), scan each role's
/// policies; a grant in any division counts, as `has_permission` asks.
pub(crate) fn naive_has_permission(model: &Model, user: &str, permission: &str) -> bool {
    let Ok(auth) = model.rbac().user_authorization(user) else {
        return false;
    };
    let Some((d, e, a)) = model.rbac().permission(permission).and_then(|p| p.parts()) else {
        return false;
    };
    auth.roles
        .iter()
        .filter_map(|r| model.rbac().role(r))
        .any(|role| {
            role.permissions.iter().any(|p| p == "admin")
                || role.permission_policies.iter().any(|p| {
                    p.condition.is_none()
                        && p.domain == d
                        && (p.entity_name == "*" || p.entity_name == e)
                        && p.action_set.iter().any(|x| x == "*" || x == a)
                })
        })
}

struct Probes {
    users: Vec<UserId>,
    atoms: Vec<PermissionId>,
    aware: Vec<PermissionId>,
    divisions: Vec<DivisionId>,
    /// (user, aware atom it holds in some division).
    held: Vec<(UserId, PermissionId)>,
}

fn probes(snap: &Snapshot, rbac: &SynthRbac) -> Probes {
    let mut rng = Rng::new(9);
    let mut users = Vec::new();
    let mut atoms = Vec::new();
    let mut aware = Vec::new();
    let mut divisions = Vec::new();
    let mut held = Vec::new();
    for _ in 0..1024 {
        let u = snap
            .user_id(&user_id(rng.range(0, USERS as u64 - 1) as usize))
            .unwrap();
        users.push(u);
        atoms.push(
            snap.rbac()
                .permission_id(&rbac.atoms[rng.range(0, rbac.atoms.len() as u64 - 1) as usize])
                .unwrap(),
        );
        aware.push(
            snap.rbac()
                .permission_id(
                    &rbac.aware_atoms[rng.range(0, rbac.aware_atoms.len() as u64 - 1) as usize],
                )
                .unwrap(),
        );
        divisions.push(
            snap.rbac()
                .division_id(
                    &rbac.divisions[rng.range(0, rbac.divisions.len() as u64 - 1) as usize],
                )
                .unwrap(),
        );
    }
    while held.len() < 1024 {
        let u = snap
            .user_id(&user_id(rng.range(0, USERS as u64 - 1) as usize))
            .unwrap();
        let perms = snap.rbac().user_permissions(u);
        let aware_held: Vec<&str> = perms
            .into_iter()
            .filter(|p| rbac.aware_atoms.iter().any(|a| a == p))
            .collect();
        if let Some(p) = aware_held.get(rng.range(0, aware_held.len().max(1) as u64 - 1) as usize) {
            held.push((u, snap.rbac().permission_id(p).unwrap()));
        }
    }
    Probes {
        users,
        atoms,
        aware,
        divisions,
        held,
    }
}

pub fn benches(c: &mut Criterion) {
    let mut org = generate(&SynthConfig::new(USERS).seed(42));
    let rbac = add_rbac(&mut org, &RbacConfig::new());
    let snap = org.model.compile();
    let mem = snap.rbac().memory();
    eprintln!(
        "rbac at {USERS} users: {} combos, {} role sets; {:.1} B/user, {:.0} B/combo, {:.1} MB in all",
        mem.combos,
        mem.role_sets,
        mem.per_user(),
        mem.per_combo(),
        mem.total() as f64 / 1e6
    );
    let p = probes(&snap, &rbac);

    let mut g = c.benchmark_group("rbac");
    g.measurement_time(Duration::from_secs(3))
        .warm_up_time(Duration::from_secs(1));

    let mut i = 0;
    g.bench_function("has_permission", |b| {
        b.iter(|| {
            i = (i + 1) & 1023;
            snap.rbac()
                .has_permission(black_box(p.users[i]), black_box(p.atoms[i]))
        })
    });
    let names: Vec<(String, String)> = (0..1024)
        .map(|i| {
            (
                snap.user_name(p.users[i]).unwrap().to_owned(),
                snap.rbac().permission_name(p.atoms[i]).unwrap().to_owned(),
            )
        })
        .collect();
    let mut i = 0;
    g.bench_function("has_permission/external", |b| {
        b.iter(|| {
            i = (i + 1) & 1023;
            let (u, a) = &names[i];
            snap.rbac()
                .has_permission(black_box(u.as_str()), black_box(a.as_str()))
        })
    });
    let mut i = 0;
    g.bench_function("has_permission_on/division_aware", |b| {
        b.iter(|| {
            i = (i + 1) & 1023;
            snap.rbac().has_permission_on(
                black_box(p.users[i]),
                black_box(p.aware[i]),
                black_box(p.divisions[i]),
                &[],
            )
        })
    });
    let home = snap.rbac().division_id("home").unwrap();
    let mut i = 0;
    g.bench_function("has_permission_on/held_in_home", |b| {
        b.iter(|| {
            i = (i + 1) & 1023;
            let (u, a) = p.held[i];
            snap.rbac()
                .has_permission_on(black_box(u), black_box(a), black_box(home), &[])
        })
    });
    let mut i = 0;
    g.bench_function("divisions_permitted", |b| {
        b.iter(|| {
            i = (i + 1) & 1023;
            let (u, a) = p.held[i];
            snap.rbac().divisions_permitted(black_box(u), black_box(a))
        })
    });
    let mut i = 0;
    g.bench_function("has_any/4", |b| {
        b.iter(|| {
            i = (i + 1) & 1023;
            let j = (i + 1) & 1023;
            snap.rbac().has_any(
                black_box(p.users[i]),
                [p.atoms[i], p.atoms[j], p.aware[i], p.aware[j]],
            )
        })
    });
    let action = snap.rbac().action_id("manage_goals").unwrap();
    let mut i = 0;
    g.bench_function("has_action", |b| {
        b.iter(|| {
            i = (i + 1) & 1023;
            snap.rbac()
                .has_action(black_box(p.users[i]), black_box(action))
        })
    });
    eprintln!(
        "users_with_action: {} holders of manage_goals",
        snap.rbac().users_with_action(action).len()
    );
    g.bench_function("users_with_action/manage_goals", |b| {
        b.iter(|| snap.rbac().users_with_action(black_box(action)).len())
    });
    let mut i = 0;
    g.bench_function("explain_permission_on", |b| {
        b.iter(|| {
            i = (i + 1) & 1023;
            let (u, a) = p.held[i];
            snap.rbac()
                .explain_permission_on(black_box(u), black_box(a), black_box(home), &[])
        })
    });
    let mut i = 0;
    g.bench_function("user_permissions", |b| {
        b.iter(|| {
            i = (i + 1) & 1023;
            snap.rbac().user_permissions(black_box(p.users[i])).len()
        })
    });
    let mut i = 0;
    g.bench_function("naive_scan", |b| {
        b.iter(|| {
            i = (i + 1) & 1023;
            let (u, a) = &names[i];
            naive_has_permission(&org.model, black_box(u), black_box(a))
        })
    });

    // Reverse: a typical division-aware atom in the home division, and the most widely
    // held one (a base-role atom).
    let typical = p.held[0].1;
    g.bench_function("users_with_permission/typical", |b| {
        b.iter(|| {
            snap.rbac()
                .users_with_permission(black_box(typical), home)
                .len()
        })
    });
    let base_atom = rbac
        .aware_atoms
        .iter()
        .filter_map(|a| snap.rbac().permission_id(a))
        .max_by_key(|&a| snap.rbac().users_with_permission(a, home).len())
        .unwrap();
    eprintln!(
        "users_with_permission: typical {} users, widest {} users",
        snap.rbac().users_with_permission(typical, home).len(),
        snap.rbac().users_with_permission(base_atom, home).len()
    );
    g.bench_function("users_with_permission/widest", |b| {
        b.iter(|| {
            snap.rbac()
                .users_with_permission(black_box(base_atom), home)
                .len()
        })
    });

    g.sample_size(20);
    // The snapshot is dropped outside the timing (returned from `iter_batched`).
    g.bench_function("compile/100k", |b| {
        b.iter_batched(|| (), |_| org.model.compile(), BatchSize::PerIteration)
    });
    g.finish();
}
