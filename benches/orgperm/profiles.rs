//! Permission profiles over the org tree (SEMANTICS.md §1) at 100,000 users, with a naive
//! evaluator as the baseline.
//!
//! Every pair bench comes in three forms: `*_cold` draws 1M random (viewer, owner) pairs over
//! the whole org, so most loads miss the cache (the headline figure); the plain form rotates
//! through a working set of 1,024 such pairs, mostly in L2/L3; `*_same_pair` asks one pair
//! again and again (everything in L1). The viewers are random users, so each form sees the
//! org's mix of profiles and levels (reps `managers-team`, managers `report-to-them`, a few
//! admins `all`, enablement `managers-team` with leads, view-only `none`, ~1% no profile).
//!
//! `naive/*` is [`NaiveProfiles`], the same question with the same steps (the viewer's
//! profile, its level and leads for calls, the level's rule) over plain vectors, every
//! subtree test a walk up the manager chain; it is checked to agree with `can_access` on
//! every pair before anything is timed.

use std::hint::black_box;
use std::time::Duration;

use criterion::{BatchSize, Criterion};
use orgperm::{Capability, Domain, Snapshot, UserId};
use orgperm_synth::baseline::NaiveProfiles;
use orgperm_synth::{Rng, SynthConfig, generate, user_id};

const USERS: usize = 100_000;

/// `n` random (viewer, owner) pairs over the whole org: 1M for the `*_cold` benches, 1,024
/// for the working-set ones.
fn pairs(snap: &Snapshot, n: usize, seed: u64) -> Vec<(UserId, UserId)> {
    let mut rng = Rng::new(seed);
    let pick = |rng: &mut Rng| {
        snap.user_id(&user_id(rng.range(0, USERS as u64 - 1) as usize))
            .unwrap()
    };
    (0..n).map(|_| (pick(&mut rng), pick(&mut rng))).collect()
}

pub fn benches(c: &mut Criterion) {
    let org = generate(&SynthConfig::new(USERS).seed(42));
    let snap = org.model.compile();
    let hot = pairs(&snap, 1024, 1);
    let cold = pairs(&snap, 1 << 20, 2);
    let to_names = |pairs: &[(UserId, UserId)]| -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|&(v, o)| {
                (
                    snap.user_name(v).unwrap().to_owned(),
                    snap.user_name(o).unwrap().to_owned(),
                )
            })
            .collect()
    };
    let names = to_names(&hot);
    let cold_names = to_names(&cold);

    // The baseline, indexed by dense id, checked against the snapshot on every pair.
    let mut ids = vec![""; org.model.user_count()];
    for id in org.model.user_ids() {
        ids[snap.user_id(id).unwrap().as_u32() as usize] = id;
    }
    let naive = NaiveProfiles::new(&org.model, &ids, Domain::Calls);
    for &(v, o) in hot.iter().chain(&cold) {
        assert_eq!(
            naive.can_access(v.as_u32(), o.as_u32()),
            snap.can_access(v, Domain::Calls, o),
            "the naive baseline disagrees with can_access on ({v:?}, {o:?})"
        );
    }

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
    let mut i = 0;
    g.bench_function("can_access/external_cold", |b| {
        b.iter(|| {
            i = (i + 1) & ((1 << 20) - 1);
            let (v, o) = &cold_names[i];
            snap.can_access(black_box(v.as_str()), Domain::Calls, black_box(o.as_str()))
        })
    });
    let mut i = 0;
    g.bench_function("naive/dense", |b| {
        b.iter(|| {
            i = (i + 1) & 1023;
            let (v, o) = hot[i];
            naive.can_access(black_box(v.as_u32()), black_box(o.as_u32()))
        })
    });
    let mut i = 0;
    g.bench_function("naive/dense_cold", |b| {
        b.iter(|| {
            i = (i + 1) & ((1 << 20) - 1);
            let (v, o) = cold[i];
            naive.can_access(black_box(v.as_u32()), black_box(o.as_u32()))
        })
    });
    let mut i = 0;
    g.bench_function("has_capability", |b| {
        b.iter(|| {
            i = (i + 1) & 1023;
            snap.has_capability(black_box(hot[i].0), Capability::SCORE_CALLS)
        })
    });

    // A manager low in the tree (a team of a few dozen) and one at the top. The set is
    // iterated, as a caller listing the owners would: building it alone is one range insert.
    let low = snap
        .user_id(&org.managers[org.managers.len() * 3 / 4])
        .unwrap();
    let top = snap.user_id(&org.managers[0]).unwrap();
    let sum_ids = |v: UserId| -> u64 {
        snap.profiles()
            .visible_owners(v, Domain::Calls)
            .iter()
            .map(|u| u64::from(u.as_u32()))
            .sum()
    };
    eprintln!(
        "visible_owners: low manager {} owners, top manager {} owners",
        snap.profiles().visible_owners(low, Domain::Calls).len(),
        snap.profiles().visible_owners(top, Domain::Calls).len()
    );
    g.bench_function("visible_owners/report_to_them_manager", |b| {
        b.iter(|| sum_ids(black_box(low)))
    });
    g.bench_function("visible_owners/top_manager", |b| {
        b.iter(|| sum_ids(black_box(top)))
    });
    let rep = snap.user_id(&org.reps[org.reps.len() / 2]).unwrap();
    g.bench_function("who_can_access/rep", |b| {
        b.iter(|| {
            snap.profiles()
                .who_can_access(black_box(rep), Domain::Calls)
                .len()
        })
    });

    // Reverse capability and folder holders: the set is iterated.
    let count =
        |set: orgperm::UserSet<'_>| -> u64 { set.iter().map(|u| u64::from(u.as_u32())).sum() };
    eprintln!(
        "who_has_capability: {} holders of scoreCalls",
        snap.profiles()
            .who_has_capability(Capability::SCORE_CALLS)
            .len()
    );
    g.bench_function("who_has_capability/score_calls", |b| {
        b.iter(|| {
            count(
                snap.profiles()
                    .who_has_capability(black_box(Capability::SCORE_CALLS)),
            )
        })
    });
    g.bench_function("who_has_capability/score_calls_len", |b| {
        b.iter(|| {
            snap.profiles()
                .who_has_capability(black_box(Capability::SCORE_CALLS))
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
    // Compiles drop the snapshot outside the timing (returned from `iter_batched`).
    g.bench_function("compile/100k", |b| {
        b.iter_batched(|| (), |_| org.model.compile(), BatchSize::PerIteration)
    });
    g.finish();

    let big = generate(&SynthConfig::new(1_000_000).seed(42));
    let mut g = c.benchmark_group("profiles_1m");
    g.sample_size(10).measurement_time(Duration::from_secs(8));
    g.bench_function("compile/1M", |b| {
        b.iter_batched(|| (), |_| big.model.compile(), BatchSize::PerIteration)
    });
    g.finish();
}
