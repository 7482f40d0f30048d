//! "May viewer V see O's calls" (`report-to-them`: O is V or reports to V transitively),
//! asked of orgperm, Cedar, casbin-rs and a naive evaluator (the viewer's profile and calls
//! level, then a walk up the manager chain) on the same synthetic org and the same 1,024
//! (viewer, owner) pairs, rotated one per iteration.
//!
//! `PEERS_USERS` overrides the org size (default 100,000).

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion};
use orgperm::Domain;
use orgperm_peers::Peers;

const SEED: u64 = 42;
const PAIR_SEED: u64 = 0x5EED_0F_CA11;
const PAIRS: usize = 1_024;

fn users() -> usize {
    std::env::var("PEERS_USERS")
        .ok()
        .and_then(|s| s.replace('_', "").parse().ok())
        .unwrap_or(100_000)
}

fn peers(c: &mut Criterion) {
    let users = users();
    let p = Peers::build(users, SEED);
    let org = &p.org;
    let pairs = org.pairs(PAIRS, PAIR_SEED);
    let allowed = p.check_agreement(&pairs);
    assert!(
        allowed > 0 && allowed < pairs.len(),
        "the working set must mix allows and denies ({allowed} of {})",
        pairs.len()
    );
    eprintln!(
        "peers: {users} users, depth {}, {} manager-profile viewers; {allowed} of {} pairs allowed; \
         all engines agree",
        org.depth,
        org.viewers.len(),
        pairs.len()
    );
    eprintln!(
        "peers: load times: generate {:?}, orgperm compile {:?}, cedar Entities {:?}, \
         casbin Enforcer {:?} (max_hierarchy_level {})",
        p.load.generate,
        p.load.orgperm_compile,
        p.load.cedar_entities,
        p.load.casbin_enforcer,
        p.casbin.max_level
    );

    let dense: Vec<_> = pairs
        .iter()
        .map(|&(v, o)| (org.dense[v as usize], org.dense[o as usize]))
        .collect();
    let strs: Vec<(&str, &str)> = pairs
        .iter()
        .map(|&(v, o)| (org.ids[v as usize].as_str(), org.ids[o as usize].as_str()))
        .collect();
    let requests: Vec<_> = strs.iter().map(|&(v, o)| p.cedar.request(v, o)).collect();
    let mask = PAIRS - 1;

    let mut g = c.benchmark_group(format!("report_to_them_calls_{users}"));
    g.warm_up_time(Duration::from_secs(2));
    g.measurement_time(Duration::from_secs(5));

    let mut i = 0usize;
    g.bench_function("orgperm_dense_ids", |b| {
        b.iter(|| {
            i = (i + 1) & mask;
            let (v, o) = dense[i];
            black_box(org.snap.can_access(black_box(v), Domain::Calls, black_box(o)))
        })
    });
    g.bench_function("orgperm_external_ids", |b| {
        b.iter(|| {
            i = (i + 1) & mask;
            let (v, o) = strs[i];
            black_box(org.snap.can_access(black_box(v), Domain::Calls, black_box(o)))
        })
    });
    g.bench_function("naive_profile_walk", |b| {
        b.iter(|| {
            i = (i + 1) & mask;
            let (v, o) = pairs[i];
            black_box(org.naive.can_access(black_box(v), black_box(o)))
        })
    });
    g.bench_function("cedar_prebuilt_request", |b| {
        b.iter(|| {
            i = (i + 1) & mask;
            black_box(p.cedar.allowed(black_box(&requests[i])))
        })
    });
    g.bench_function("cedar_request_from_ids", |b| {
        b.iter(|| {
            i = (i + 1) & mask;
            let (v, o) = strs[i];
            black_box(p.cedar.allowed_ids(black_box(v), black_box(o)))
        })
    });
    g.bench_function("casbin_enforce", |b| {
        b.iter(|| {
            i = (i + 1) & mask;
            let (v, o) = strs[i];
            black_box(p.casbin.allowed(black_box(v), black_box(o)))
        })
    });
    g.finish();
}

criterion_group!(benches, peers);
criterion_main!(benches);
