//! Quantive items (SEMANTICS.md §3, item access) at 100,000 users and about 100,000 items
//! (1,000 sessions × 9 goals × 10 metrics, plus boards and dashboards): `allowed_actions`
//! on metrics three levels deep, the reverse `readable_items` and `with_verb`, who may update
//! a metric (`who_can`), and compile.
//!
//! `allowed_actions/metric/dense_cold` draws 1M random (user, metric) pairs over the whole
//! org and all 90,000 metrics, so most loads miss the cache (the headline figure); the other
//! pair benches rotate through a working set of 1,024 such pairs.

use std::hint::black_box;
use std::time::Duration;

use criterion::{BatchSize, Criterion};
use orgperm::{ItemId, ItemType, Snapshot, UserId, Verb};
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

    // Reverse, subjects for an item: who may update a metric (three levels deep: its list
    // is often inherited from the goal or the session), over 1,024 random metrics, and for
    // the metric with the largest answer.
    let metrics: Vec<ItemId> = hot.iter().map(|&(_, m)| m).collect();
    let mut i = 0;
    g.bench_function("who_can_update_depth3", |b| {
        b.iter(|| {
            i = (i + 1) & 1023;
            snap.items()
                .who_can(black_box(metrics[i]), Verb::Update)
                .len()
        })
    });
    let largest = items
        .metrics
        .iter()
        .map(|m| snap.items().item_id(m).unwrap())
        .max_by_key(|&m| snap.items().who_can(m, Verb::Update).len())
        .unwrap();
    g.bench_function("who_can_update_depth3/largest", |b| {
        b.iter(|| snap.items().who_can(black_box(largest), Verb::Update).len())
    });
    // A metric inheriting its goal's list, which inherits its session's own list: a team
    // with sub-teams, the contributor role (most users), the creator; no account update.
    let inherits = |id: &str| {
        let spec = org.model.items().item(id).unwrap();
        (spec.access.as_ref().map(|a| a.inherits), spec.parent)
    };
    let inherited = items
        .metrics
        .iter()
        .find(|m| {
            let (Some(true), Some(goal)) = inherits(m) else {
                return false;
            };
            let (Some(true), Some(session)) = inherits(&goal) else {
                return false;
            };
            inherits(&session).0 == Some(false)
        })
        .map(|m| snap.items().item_id(m).unwrap())
        .unwrap();
    let mut sizes: Vec<u64> = metrics
        .iter()
        .map(|&m| snap.items().who_can(m, Verb::Update).len())
        .collect();
    sizes.sort_unstable();
    eprintln!(
        "who_can update: median answer {} users over 1,024 metrics, largest {}, inherited three levels {}",
        sizes[sizes.len() / 2],
        snap.items().who_can(largest, Verb::Update).len(),
        snap.items().who_can(inherited, Verb::Update).len()
    );
    g.bench_function("who_can_update_depth3/inherited", |b| {
        b.iter(|| {
            snap.items()
                .who_can(black_box(inherited), Verb::Update)
                .len()
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
    g.bench_function("with_verb/metric/update/contributor", |b| {
        b.iter(|| {
            snap.items()
                .with_verb(black_box(typical), ItemType::Metric, Verb::Update)
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
