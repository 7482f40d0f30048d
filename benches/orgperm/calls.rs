//! Gong calls (SEMANTICS.md §1 "Calls") at 100,000 users and about 1,000,000 calls.

use std::hint::black_box;
use std::time::Duration;

use criterion::{BatchSize, Criterion};
use orgperm::{CallId, Snapshot, UserId, WorkspaceId};
use orgperm_synth::{ObjectsConfig, Rng, SynthConfig, add_objects, call_id, generate, user_id};

const USERS: usize = 100_000;

fn pairs(snap: &Snapshot, calls: usize, n: usize, seed: u64) -> Vec<(UserId, CallId)> {
    let mut rng = Rng::new(seed);
    (0..n)
        .map(|_| {
            let v = snap
                .user_id(&user_id(rng.range(0, USERS as u64 - 1) as usize))
                .unwrap();
            let c = snap
                .calls()
                .call_id(&call_id(rng.range(0, calls as u64 - 1) as usize))
                .unwrap();
            (v, c)
        })
        .collect()
}

pub fn benches(c: &mut Criterion) {
    let mut org = generate(&SynthConfig::new(USERS).seed(42));
    let objects = add_objects(&mut org, &ObjectsConfig::new().calls_per_user(10));
    let snap = org.model.compile();
    let hot = pairs(&snap, objects.calls, 1024, 1);
    let cold = pairs(&snap, objects.calls, 1 << 20, 2);

    let mut g = c.benchmark_group("calls");
    g.measurement_time(Duration::from_secs(3))
        .warm_up_time(Duration::from_secs(1));
    let mut i = 0;
    g.bench_function("can_open_call/dense", |b| {
        b.iter(|| {
            i = (i + 1) & 1023;
            let (v, c) = hot[i];
            snap.calls().can_open(black_box(v), black_box(c))
        })
    });
    let mut i = 0;
    g.bench_function("can_open_call/dense_cold", |b| {
        b.iter(|| {
            i = (i + 1) & ((1 << 20) - 1);
            let (v, c) = cold[i];
            snap.calls().can_open(black_box(v), black_box(c))
        })
    });
    let names: Vec<(String, String)> = hot
        .iter()
        .map(|&(v, c)| {
            (
                snap.user_name(v).unwrap().to_owned(),
                snap.calls().call_name(c).unwrap().to_owned(),
            )
        })
        .collect();
    let mut i = 0;
    g.bench_function("can_open_call/external", |b| {
        b.iter(|| {
            i = (i + 1) & 1023;
            let (v, c) = &names[i];
            snap.calls()
                .can_open(black_box(v.as_str()), black_box(c.as_str()))
        })
    });

    // Reverse: a manager low in the tree, the top manager, an admin (level all).
    let low = snap
        .user_id(&org.managers[org.managers.len() * 3 / 4])
        .unwrap();
    let mid = snap
        .user_id(&org.managers[org.managers.len() / 10])
        .unwrap();
    let top = snap.user_id(&org.managers[0]).unwrap();
    let admin = snap.user_id(&org.admins[0]).unwrap();
    let rep = snap.user_id(&org.reps[org.reps.len() / 2]).unwrap();
    g.sample_size(20);
    for (name, v) in [
        ("visible_calls/low_manager", low),
        ("visible_calls/mid_manager", mid),
        ("visible_calls/top_manager", top),
        ("visible_calls/admin_all", admin),
        ("visible_calls/rep", rep),
    ] {
        g.bench_function(name, |b| {
            b.iter(|| {
                snap.calls()
                    .in_workspace(WorkspaceId::DEFAULT)
                    .visible(black_box(v))
                    .len()
            })
        });
    }
    // Who may open one call: a public call with four participants (the owner and three
    // others), and random calls. The set is iterated, as a caller listing them would.
    let four = (0..objects.calls)
        .map(call_id)
        .find(|id| {
            org.model.calls().call(id).is_some_and(|spec| {
                let mut people = spec.participants.clone();
                people.extend(spec.owner.clone());
                people.sort();
                people.dedup();
                !spec.private && people.len() == 4
            })
        })
        .and_then(|id| snap.calls().call_id(&id))
        .expect("a call with four participants");
    let sum_users = |c: CallId| -> u64 {
        snap.calls()
            .who_can_open(c)
            .iter()
            .map(|u| u64::from(u.as_u32()))
            .sum()
    };
    eprintln!(
        "who_can_open: call with 4 participants opens for {} users",
        snap.calls().who_can_open(four).len()
    );
    g.bench_function("who_can_open/4_participants", |b| {
        b.iter(|| sum_users(black_box(four)))
    });
    let mut i = 0;
    g.bench_function("who_can_open/random", |b| {
        b.iter(|| {
            i = (i + 1) & 1023;
            sum_users(black_box(hot[i].1))
        })
    });
    let list: Vec<CallId> = cold.iter().map(|&(_, c)| c).take(100_000).collect();
    g.bench_function("filter_calls/100k", |b| {
        b.iter(|| snap.calls().filter(black_box(mid), &list).len())
    });
    g.finish();

    let mut g = c.benchmark_group("calls_compile");
    g.sample_size(10).measurement_time(Duration::from_secs(10));
    g.bench_function(format!("compile/100k_users_{}_calls", objects.calls), |b| {
        b.iter_batched(|| (), |_| org.model.compile(), BatchSize::PerIteration)
    });
    g.finish();
}
