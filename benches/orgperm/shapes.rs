//! The check paths on the shapes real tenants have, over the whole org rather than a
//! working set: `ORGPERM_SHAPE_USERS` users (100,000 unless set; also run at 1,000,000).
//!
//! - `shapes/roles_{personas,distinct}/…`: roles and divisions with the generator's 150
//!   personas (grant combinations repeat) and with nearly every user's combination
//!   distinct ([`RbacConfig::nearly_distinct`]: 5,000 atoms, 200 roles, 50 divisions, 1,000
//!   groups, 3–7 uniformly drawn grants per user, 15% in `*`). 100,000 random (user,
//!   permission, division) queries, dense and string ids; `has_permission` is checked against
//!   the obvious scan of grants and policies on every query before anything is timed.
//! - `shapes/profiles/…`: `can_access` (calls) on 100,000 random (viewer, owner) pairs.
//!
//! The setup prints the compile time and the memory per user and per role of each shape.

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::Criterion;
use orgperm::Domain;

use crate::rbac::naive_has_permission;
use orgperm_synth::rbac::{RbacConfig, SynthRbac, add_rbac};
use orgperm_synth::{Rng, SynthConfig, generate, user_id};

/// Random queries per bench: far more than any cache holds for the per-user tables.
const QUERIES: usize = 100_000;

fn users() -> usize {
    std::env::var("ORGPERM_SHAPE_USERS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000)
}

/// One roles shape: compile, report, check, bench.
fn roles_shape(c: &mut Criterion, name: &str, n: usize, cfg: &RbacConfig) {
    let mut org = generate(&SynthConfig::new(n).seed(42));
    let rbac: SynthRbac = add_rbac(&mut org, cfg);
    let start = Instant::now();
    let snap = org.model.compile();
    let compile = start.elapsed();
    let mem = snap.rbac().memory();
    let grants: usize = org
        .model
        .user_ids()
        .filter_map(|u| org.model.rbac().user_authorization(u).ok())
        .map(|a| a.roles.len())
        .sum();
    eprintln!(
        "shapes {name}/{n}: compile {:.0} ms; {} combos over {} users ({:.2} roles per user); \
         {:.1} B/user, {:.0} B/role ({} roles), {:.1} MB rbac in all",
        compile.as_secs_f64() * 1e3,
        mem.combos,
        mem.users,
        grants as f64 / n as f64,
        mem.per_user(),
        (mem.total() - mem.user_bytes) as f64 / rbac.roles.len().max(1) as f64,
        rbac.roles.len(),
        mem.total() as f64 / 1e6
    );

    let mut rng = Rng::new(7);
    let pick = |rng: &mut Rng, v: &[String]| v[rng.range(0, v.len() as u64 - 1) as usize].clone();
    let names: Vec<(String, String, String)> = (0..QUERIES)
        .map(|_| {
            (
                user_id(rng.range(0, n as u64 - 1) as usize),
                pick(&mut rng, &rbac.aware_atoms),
                pick(&mut rng, &rbac.divisions),
            )
        })
        .collect();
    let dense: Vec<_> = names
        .iter()
        .map(|(u, a, d)| {
            (
                snap.user_id(u).unwrap(),
                snap.rbac().permission_id(a).unwrap(),
                snap.rbac().division_id(d).unwrap(),
            )
        })
        .collect();
    let mut allowed = 0usize;
    for (u, a, _) in &names {
        let want = naive_has_permission(&org.model, u, a);
        assert_eq!(
            snap.rbac().has_permission(u.as_str(), a.as_str()),
            want,
            "has_permission disagrees with the scan on ({u}, {a})"
        );
        allowed += usize::from(want);
    }
    eprintln!(
        "shapes {name}/{n}: {allowed} of {QUERIES} has_permission queries allowed; {} of them in the division asked",
        dense
            .iter()
            .filter(|&&(u, a, d)| snap.rbac().has_permission_on(u, a, d, &[]))
            .count()
    );

    let mut g = c.benchmark_group("shapes");
    g.measurement_time(Duration::from_secs(3))
        .warm_up_time(Duration::from_secs(1));
    let mut i = 0;
    g.bench_function(format!("{name}/{n}/has_permission/dense"), |b| {
        b.iter(|| {
            i = (i + 1) % QUERIES;
            let (u, a, _) = dense[i];
            snap.rbac().has_permission(black_box(u), black_box(a))
        })
    });
    let mut i = 0;
    g.bench_function(format!("{name}/{n}/has_permission/external"), |b| {
        b.iter(|| {
            i = (i + 1) % QUERIES;
            let (u, a, _) = &names[i];
            snap.rbac()
                .has_permission(black_box(u.as_str()), black_box(a.as_str()))
        })
    });
    let mut i = 0;
    g.bench_function(format!("{name}/{n}/has_permission_on/dense"), |b| {
        b.iter(|| {
            i = (i + 1) % QUERIES;
            let (u, a, d) = dense[i];
            snap.rbac()
                .has_permission_on(black_box(u), black_box(a), black_box(d), &[])
        })
    });
    let mut i = 0;
    g.bench_function(format!("{name}/{n}/has_permission_on/external"), |b| {
        b.iter(|| {
            i = (i + 1) % QUERIES;
            let (u, a, d) = &names[i];
            snap.rbac().has_permission_on(
                black_box(u.as_str()),
                black_box(a.as_str()),
                black_box(d.as_str()),
                &[],
            )
        })
    });
    g.finish();
}

pub fn benches(c: &mut Criterion) {
    let n = users();
    roles_shape(c, "roles_personas", n, &RbacConfig::new());
    roles_shape(c, "roles_distinct", n, &RbacConfig::nearly_distinct());

    let org = generate(&SynthConfig::new(n).seed(42));
    let snap = org.model.compile();
    let mem = snap.memory();
    eprintln!(
        "shapes profiles/{n}: {:.1} B/user of profile tables ({:.1} MB)",
        mem.profile_bytes as f64 / n as f64,
        mem.profile_bytes as f64 / 1e6
    );
    let mut rng = Rng::new(2);
    let names: Vec<(String, String)> = (0..QUERIES)
        .map(|_| {
            (
                user_id(rng.range(0, n as u64 - 1) as usize),
                user_id(rng.range(0, n as u64 - 1) as usize),
            )
        })
        .collect();
    let dense: Vec<_> = names
        .iter()
        .map(|(v, o)| (snap.user_id(v).unwrap(), snap.user_id(o).unwrap()))
        .collect();
    let mut g = c.benchmark_group("shapes");
    g.measurement_time(Duration::from_secs(3))
        .warm_up_time(Duration::from_secs(1));
    let mut i = 0;
    g.bench_function(format!("profiles/{n}/can_access/dense"), |b| {
        b.iter(|| {
            i = (i + 1) % QUERIES;
            let (v, o) = dense[i];
            snap.can_access(black_box(v), Domain::Calls, black_box(o))
        })
    });
    let mut i = 0;
    g.bench_function(format!("profiles/{n}/can_access/external"), |b| {
        b.iter(|| {
            i = (i + 1) % QUERIES;
            let (v, o) = &names[i];
            snap.can_access(black_box(v.as_str()), Domain::Calls, black_box(o.as_str()))
        })
    });
    g.finish();
}
