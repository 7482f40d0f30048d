//! An engine under reader threads while a writer applies a stream of change sets.
//!
//! `cargo run --release --example live [USERS] [LOG_DIR]` (default 100,000 users with calls,
//! teams and advisors of the synthetic generator; with `LOG_DIR`, a durable engine that
//! writes every commit to a change log there, synced, and reopens it at the end). Prints the
//! versions reached, commit latencies by kind of change, reader throughput with and without
//! the writer, and the recovery.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use orgperm::{ChangeSet, Domain, Engine, Op};
use orgperm_synth::{ObjectsConfig, SynthConfig, add_objects, call_id, generate, user_id};

const READERS: usize = 2;

/// The `i`-th operation of a kind, on an org of `n` users.
type MakeOp = fn(usize, usize) -> Op;

fn main() {
    let users: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(100_000);
    let t = Instant::now();
    let mut org = generate(&SynthConfig::new(users));
    add_objects(&mut org, &ObjectsConfig::new());
    let log_dir = std::env::args().nth(2).map(std::path::PathBuf::from);
    let engine = match &log_dir {
        Some(dir) => {
            let _ = std::fs::remove_dir_all(dir);
            match Engine::create(dir, org.model) {
                Ok(engine) => engine,
                Err(e) => {
                    eprintln!("cannot start a log in {}: {e}", dir.display());
                    std::process::exit(2);
                }
            }
        }
        None => Engine::new(org.model),
    };
    let engine = Arc::new(engine);
    println!(
        "{users} users: generated and compiled in {:.2?}{}",
        t.elapsed(),
        if log_dir.is_some() {
            " (with its first checkpoint)"
        } else {
            ""
        }
    );

    let idle = reader_rate(&engine, Duration::from_secs(1), None);
    println!(
        "readers, no writer: {:.1} M checks/s on {READERS} threads",
        idle / 1e6
    );

    // The writer's stream: profile assignments, call shares, a manager move.
    let kinds: [(&str, MakeOp); 3] = [
        ("assign a profile", |i, n| Op::AssignProfile {
            user_id: user_id((i * 7_919) % n),
            profile_id: "1000000000000000003".into(),
        }),
        ("share a call", |i, n| Op::ShareCall {
            call_id: call_id(i % n),
            user_id: user_id((i * 31) % n),
        }),
        ("move a user", |i, n| Op::MoveUser {
            id: user_id(n - 1 - i % (n / 2)),
            manager_id: Some(user_id(0)),
        }),
    ];
    let writing = Arc::new(AtomicBool::new(true));
    let stop = Arc::clone(&writing);
    let during = {
        let engine = Arc::clone(&engine);
        std::thread::spawn(move || reader_rate(&engine, Duration::from_secs(60), Some(stop)))
    };
    for (name, make) in kinds {
        let mut times = Vec::new();
        for i in 0..20 {
            let mut changes = ChangeSet::new();
            changes.id = Some(format!("{name}-{i}"));
            changes.ops.push(make(i, users));
            let t = Instant::now();
            let token = match engine.apply(&changes) {
                Ok(token) => token,
                Err(e) => {
                    println!("  {name}: refused: {e}");
                    continue;
                }
            };
            // Visible to readers once the token is reached.
            let _ = engine.snapshot_at_least(token, Duration::from_secs(5));
            times.push(t.elapsed());
        }
        times.sort();
        if let Some(median) = times.get(times.len() / 2) {
            println!(
                "commit, {name}: median {median:.2?} over {} commits",
                times.len()
            );
        }
    }
    writing.store(false, Ordering::Relaxed);
    let busy = during.join().unwrap_or(0.0);
    println!(
        "readers while writing: {:.1} M checks/s ({:.0}% of idle); version {}",
        busy / 1e6,
        100.0 * busy / idle.max(1.0),
        engine.version()
    );
    if let Some(dir) = &log_dir {
        let digest = engine.digest();
        drop(engine);
        let t = Instant::now();
        match Engine::open(dir) {
            Ok(reopened) => println!(
                "reopened the log in {:.2?}: version {}, {} records replayed, digest {}",
                t.elapsed(),
                reopened.version(),
                reopened.recovery().map_or(0, |r| r.records_replayed),
                if reopened.digest() == digest {
                    "unchanged"
                } else {
                    "DIFFERENT"
                }
            ),
            Err(e) => println!("reopening failed: {e}"),
        }
    }
}

/// Checks per second over `READERS` threads, each loading the current snapshot per batch.
fn reader_rate(engine: &Arc<Engine>, at_most: Duration, until: Option<Arc<AtomicBool>>) -> f64 {
    let total = Arc::new(AtomicU64::new(0));
    let start = Instant::now();
    let handles: Vec<_> = (0..READERS)
        .map(|r| {
            let engine = Arc::clone(engine);
            let total = Arc::clone(&total);
            let until = until.clone();
            std::thread::spawn(move || {
                // Dense ids never change meaning, so pairs drawn once stay valid.
                let snap = engine.snapshot();
                let n = snap.user_count();
                let mut x = 0x9e37_79b9_7f4a_7c15u64 ^ r as u64;
                let mut next = || {
                    x ^= x << 13;
                    x ^= x >> 7;
                    x ^= x << 17;
                    x
                };
                let pairs: Vec<_> = (0..4_096)
                    .filter_map(|_| {
                        let v = snap.user_id(&user_id(next() as usize % n.max(1)))?;
                        let o = snap.user_id(&user_id(next() as usize % n.max(1)))?;
                        Some((v, o))
                    })
                    .collect();
                drop(snap);
                let mut done = 0u64;
                let t = Instant::now();
                while t.elapsed() < at_most {
                    let snap = engine.read();
                    for &(v, o) in &pairs {
                        std::hint::black_box(snap.can_access(v, Domain::Calls, o));
                    }
                    done += pairs.len() as u64;
                    if until.as_ref().is_some_and(|f| !f.load(Ordering::Relaxed)) {
                        break;
                    }
                }
                total.fetch_add(done, Ordering::Relaxed);
            })
        })
        .collect();
    if let Some(flag) = &until {
        while flag.load(Ordering::Relaxed) && start.elapsed() < at_most {
            std::thread::sleep(Duration::from_millis(5));
        }
    }
    for h in handles {
        let _ = h.join();
    }
    total.load(Ordering::Relaxed) as f64 / start.elapsed().as_secs_f64()
}
