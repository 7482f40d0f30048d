//! Quantive items (SEMANTICS.md §3, item access) at 100,000 users and about 100,000 items
//! (1,000 sessions × 9 goals × 10 metrics, plus boards and dashboards): `allowed_actions`
//! on metrics three levels deep, the reverse `readable_items`, and compile.
//!
//! `allowed_actions/metric/dense_cold` draws 1M random (user, metric) pairs over the whole
//! org and all 90,000 metrics, so most loads miss the cache (the headline figure); the other
//! pair benches rotate through a working set of 1,024 such pairs.

use std::hint::black_box;
use std::time::Duration;

use criterion::{BatchSize, Criterion};
use orgperm::{ItemId, ItemType, Snapshot, UserId};
use orgperm_synth::items::{ItemsConfig, SynthItems, add_items};
use orgperm_synth::{Rng, SynthConfig, SynthOrg, generate, user_id};

const USERS: usize = 100_000;

fn org() -> (SynthOrg, SynthItems) {
    let mut org = generate(&SynthConfig::new(USERS).seed(42));
    let items = add_items(&mut org, &ItemsConfig::new());
    (org, items)
}

fn pairs(snap: &Snapshot, items: &SynthItems, n: usize, seed: u64) -> Vec<(UserId, ItemId)> {
    let mut rng = Rng::new(seed);
    (0..n)
        .map(|_| {
            let u = snap
                .user_id(&user_id(rng.range(0, USERS as u64 - 1) as usize))
                .unwrap();
            let m = &items.metrics[rng.range(0, items.metrics.len() as u64 - 1) as usize];
            (u, snap.items().item_id(m).unwrap())
        })
        .collect()
}

pub fn benches(c: &mut Criterion) {
    let (org, items) = org();
    let snap = org.model.compile();
    let hot = pairs(&snap, &items, 1024, 1);
    let cold = pairs(&snap, &items, 1 << 20, 2);

    let mut g = c.benchmark_group("items");
    g.measurement_time(Duration::from_secs(3))
        .warm_up_time(Duration::from_secs(1));
    let mut i = 0;
    g.bench_function("allowed_actions/metric/dense", |b| {
        b.iter(|| {
            i = (i + 1) & 1023;
            let (u, m) = hot[i];
            snap.items()
                .allowed_actions(black_box(u), black_box("metric"), black_box(m))
        })
    });
    let mut i = 0;
    g.bench_function("allowed_actions/metric/dense_cold", |b| {
        b.iter(|| {
            i = (i + 1) & ((1 << 20) - 1);
            let (u, m) = cold[i];
            snap.items()
                .allowed_actions(black_box(u), black_box("metric"), black_box(m))
        })
    });
    let names: Vec<(String, String)> = hot
        .iter()
        .map(|&(u, m)| {
            (
                snap.user_name(u).unwrap().to_owned(),
                snap.items().item_name(m).unwrap().to_owned(),
            )
        })
        .collect();
    let mut i = 0;
    g.bench_function("allowed_actions/metric/external", |b| {
        b.iter(|| {
            i = (i + 1) & 1023;
            let (u, m) = &names[i];
            snap.items().allowed_actions(
                black_box(u.as_str()),
                black_box("metric"),
                black_box(m.as_str()),
            )
        })
    });
    let mut i = 0;
    g.bench_function("item_actions/metric/dense", |b| {
        b.iter(|| {
            i = (i + 1) & 1023;
            let (u, m) = hot[i];
            snap.items().actions(black_box(u), black_box(m))
        })
    });

    // Reverse: a typical user (a contributor) over the 90,000 metrics and the sessions.
    let typical = snap
        .user_id(&items.contributors[items.contributors.len() / 2])
        .unwrap();
    g.sample_size(20);
    g.bench_function("readable_items/metric/contributor", |b| {
        b.iter(|| {
            snap.items()
                .readable(black_box(typical), ItemType::Metric)
                .len()
        })
    });
    g.bench_function("readable_items/session/contributor", |b| {
        b.iter(|| {
            snap.items()
                .readable(black_box(typical), ItemType::Session)
                .len()
        })
    });

    // Compile: the whole model (org, profiles, roles, teams, items); the snapshot is dropped
    // outside the timing (returned from `iter_batched`).
    g.sample_size(10).measurement_time(Duration::from_secs(10));
    g.bench_function("compile/with_items", |b| {
        b.iter_batched(|| (), |_| org.model.compile(), BatchSize::PerIteration)
    });
    g.finish();
}
