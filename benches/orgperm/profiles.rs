//! Permission profiles over the org tree (SEMANTICS.md §1) at 100,000 users, with a naive
//! walk up the manager chain as the baseline.

use std::hint::black_box;
use std::time::Duration;

use criterion::{BatchSize, Criterion};
use orgperm::{Capability, Domain, Model, Snapshot, UserId};
use orgperm_synth::{Rng, SynthConfig, generate, user_id};

const USERS: usize = 100_000;

/// Random (viewer, owner) pairs: a small working set (1,024 pairs) as a request handler sees
/// it, so the figure is the check itself rather than DRAM latency; `*_cold` uses 1M pairs.
fn pairs(snap: &Snapshot, n: usize, seed: u64) -> Vec<(UserId, UserId)> {
    let mut rng = Rng::new(seed);
    let pick = |rng: &mut Rng| {
        snap.user_id(&user_id(rng.range(0, USERS as u64 - 1) as usize))
            .unwrap()
    };
    (0..n).map(|_| (pick(&mut rng), pick(&mut rng))).collect()
}

/// The obvious evaluator for `report-to-them`: walk up from the owner looking for the viewer.
struct NaiveChain {
    manager: Vec<u32>,
}

impl NaiveChain {
    fn new(model: &Model, snap: &Snapshot) -> Self {
        let mut manager = vec![u32::MAX; USERS];
        for i in 0..USERS {
            let id = user_id(i);
            let u = snap.user_id(&id).unwrap();
            if let Some(m) = model.manager_of(&id) {
                manager[u.as_u32() as usize] = snap.user_id(m).unwrap().as_u32();
            }
        }
        NaiveChain { manager }
    }

    fn in_subtree(&self, root: UserId, owner: UserId) -> bool {
        let mut cur = owner.as_u32();
        while cur != u32::MAX {
            if cur == root.as_u32() {
                return true;
            }
            cur = self.manager[cur as usize];
        }
        false
    }
}

pub fn benches(c: &mut Criterion) {
    let org = generate(&SynthConfig::new(USERS).seed(42));
    let snap = org.model.compile();
    let hot = pairs(&snap, 1024, 1);
    let cold = pairs(&snap, 1 << 20, 2);
    let names: Vec<(String, String)> = hot
        .iter()
        .map(|&(v, o)| {
            (
                snap.user_name(v).unwrap().to_owned(),
                snap.user_name(o).unwrap().to_owned(),
            )
        })
        .collect();

    let mut g = c.benchmark_group("profiles");
    g.measurement_time(Duration::from_secs(3))
        .warm_up_time(Duration::from_secs(1));

    // One (manager, report) pair asked again and again: the check's own cost, cache-hot.
    let boss = snap.user_id(&org.managers[org.managers.len() / 2]).unwrap();
    let report = snap
        .profiles()
        .visible_owners(boss, Domain::Calls)
        .iter()
        .nth(1)
        .unwrap();
    let boss_name = snap.user_name(boss).unwrap().to_owned();
    let report_name = snap.user_name(report).unwrap().to_owned();
    g.bench_function("can_access/dense_same_pair", |b| {
        b.iter(|| snap.can_access(black_box(boss), Domain::Calls, black_box(report)))
    });
    g.bench_function("can_access/external_same_pair", |b| {
        b.iter(|| {
            let (v, o) = (
                black_box(boss_name.as_str()),
                black_box(report_name.as_str()),
            );
            snap.can_access(v, Domain::Calls, o)
        })
    });
    let mut i = 0;
    g.bench_function("can_access/dense", |b| {
        b.iter(|| {
            i = (i + 1) & 1023;
            let (v, o) = hot[i];
            snap.can_access(black_box(v), Domain::Calls, black_box(o))
        })
    });
    let mut i = 0;
    g.bench_function("can_access/dense_cold", |b| {
        b.iter(|| {
            i = (i + 1) & ((1 << 20) - 1);
            let (v, o) = cold[i];
            snap.can_access(black_box(v), Domain::Calls, black_box(o))
        })
    });
    let mut i = 0;
    g.bench_function("can_access/external", |b| {
        b.iter(|| {
            i = (i + 1) & 1023;
            let (v, o) = &names[i];
            snap.can_access(black_box(v.as_str()), Domain::Calls, black_box(o.as_str()))
        })
    });
    let naive = NaiveChain::new(&org.model, &snap);
    let mut i = 0;
    g.bench_function("naive_chain_walk", |b| {
        b.iter(|| {
            i = (i + 1) & 1023;
            let (v, o) = hot[i];
            naive.in_subtree(black_box(v), black_box(o))
        })
    });
    let mut i = 0;
    g.bench_function("has_capability", |b| {
        b.iter(|| {
            i = (i + 1) & 1023;
            snap.has_capability(black_box(hot[i].0), Capability::SCORE_CALLS)
        })
    });

    // A manager low in the tree (a team of a few dozen) and one at the top.
    let low = snap
        .user_id(&org.managers[org.managers.len() * 3 / 4])
        .unwrap();
    let top = snap.user_id(&org.managers[0]).unwrap();
    g.bench_function("visible_owners/report_to_them_manager", |b| {
        b.iter(|| {
            snap.profiles()
                .visible_owners(black_box(low), Domain::Calls)
                .len()
        })
    });
    g.bench_function("visible_owners/top_manager", |b| {
        b.iter(|| {
            snap.profiles()
                .visible_owners(black_box(top), Domain::Calls)
                .len()
        })
    });
    let rep = snap.user_id(&org.reps[org.reps.len() / 2]).unwrap();
    g.bench_function("who_can_access/rep", |b| {
        b.iter(|| {
            snap.profiles()
                .who_can_access(black_box(rep), Domain::Calls)
                .len()
        })
    });

    let owners: Vec<UserId> = cold.iter().map(|&(_, o)| o).collect();
    g.sample_size(20);
    g.bench_function("filter_owners/1M", |b| {
        b.iter(|| {
            snap.profiles()
                .filter_owners(black_box(low), Domain::Calls, &owners)
                .len()
        })
    });
    g.bench_function("compile/100k", |b| b.iter(|| org.model.compile()));
    g.finish();

    let big = generate(&SynthConfig::new(1_000_000).seed(42));
    let mut g = c.benchmark_group("profiles_1m");
    g.sample_size(10).measurement_time(Duration::from_secs(8));
    g.bench_function("compile/1M", |b| {
        b.iter_batched(|| (), |_| big.model.compile(), BatchSize::PerIteration)
    });
    g.finish();
}
