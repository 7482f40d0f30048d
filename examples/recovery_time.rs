//! Times recovery from a log and its parts, for sizes too large for criterion's samples.
//!
//! `cargo run --release --example recovery_time -- [USERS] [CALLS_PER_USER] [RECORDS] [RUNS]`
//! (defaults 100,000, 10 and 10,000): the synthetic org with calls, rbac and items, a
//! checkpoint of it and RECORDS commits after it (advisor entitlements). Prints the
//! checkpoint's size, the JSON document's parse and build, the compile, and the open of
//! the checkpoint alone and with the records (the difference is the replay). Each figure is
//! the median of RUNS (default 3). `RECOVERY_OPEN_ONLY=1` skips the JSON phases (less time
//! and memory at 1,000,000 users); `RECOVERY_BUILD_ONLY=1` times one document -> model
//! build alone (for a profiler).

use std::time::{Duration, Instant};

use orgperm::{ChangeSet, Engine, LogOptions, ModelDocument, Op};
use orgperm_synth::items::{ItemsConfig, add_items};
use orgperm_synth::rbac::{RbacConfig, add_rbac};
use orgperm_synth::{ObjectsConfig, SynthConfig, add_objects, generate, user_id};

fn best<T>(runs: usize, mut f: impl FnMut() -> T) -> Duration {
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            let value = f();
            let took = start.elapsed();
            drop(value);
            took
        })
        .collect();
    times.sort();
    times[times.len() / 2]
}

fn dir_bytes(dir: &std::path::Path, prefix: &str) -> u64 {
    std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().starts_with(prefix))
        .map(|e| e.metadata().unwrap().len())
        .sum()
}

fn main() {
    let mut args = std::env::args().skip(1);
    let n: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(100_000);
    let per_user: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(10);
    let records: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(10_000);
    let runs: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(3);
    let start = Instant::now();
    let mut org = generate(&SynthConfig::new(n).seed(42));
    add_objects(&mut org, &ObjectsConfig::new().calls_per_user(per_user));
    add_rbac(&mut org, &RbacConfig::new());
    add_items(&mut org, &ItemsConfig::new());
    let model = org.model;
    eprintln!(
        "generated {n} users, {per_user} calls each in {:?}",
        start.elapsed()
    );

    if std::env::var_os("RECOVERY_BUILD_ONLY").is_some() {
        let doc: ModelDocument = serde_json::from_str(&model.to_json()).unwrap();
        let start = Instant::now();
        drop(doc.into_model().unwrap());
        println!("document -> model {:?}", start.elapsed());
        return;
    }
    let phases = std::env::var_os("RECOVERY_OPEN_ONLY").is_none();
    let text = if phases {
        model.to_json()
    } else {
        String::new()
    };
    if phases {
        let parse = best(runs, || {
            serde_json::from_str::<ModelDocument>(&text).unwrap()
        });
        let doc: ModelDocument = serde_json::from_str(&text).unwrap();
        let build = best(runs, || doc.clone().into_model().unwrap());
        let clone = best(runs, || doc.clone());
        drop(doc);
        let compile = best(runs, || model.compile());
        println!("json text {} bytes", text.len());
        println!("json parse to document {parse:?}");
        println!(
            "document -> model {:?} (clone of the document {clone:?} subtracted)",
            build.saturating_sub(clone)
        );
        println!("compile {compile:?}");
    }
    drop(text);

    let options = LogOptions::default().fsync(false).checkpoint_every(None);
    let base = std::env::temp_dir().join(format!("orgperm-recovery-time-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&base);
    let alone = base.join("alone");
    let with = base.join("with");
    drop(Engine::create_with(&alone, model.clone(), options).unwrap());
    {
        let durable = Engine::create_with(&with, model, options).unwrap();
        let start = Instant::now();
        for k in 0..records {
            let mut changes = ChangeSet::new();
            changes.ops = vec![Op::EntitleAdvisor {
                advisor_id: user_id(k * 7_919 % n),
                network_id: "WHATSAPP".into(),
            }];
            let token = durable.apply(&changes).unwrap();
            durable.snapshot_at_least(token, Duration::from_secs(60));
        }
        eprintln!("{records} commits in {:?}", start.elapsed());
    }
    println!("checkpoint {} bytes", dir_bytes(&alone, "checkpoint-"));
    println!("log {} bytes", dir_bytes(&with, "log-"));
    let read = best(runs, || {
        for e in std::fs::read_dir(&alone).unwrap() {
            let p = e.unwrap().path();
            if p.to_string_lossy().ends_with(".ckpt") {
                return std::fs::read(p).unwrap();
            }
        }
        Vec::new()
    });
    println!("file read {read:?}");
    let open_alone = best(runs, || Engine::open_with(&alone, options).unwrap());
    let open_with = best(runs, || Engine::open_with(&with, options).unwrap());
    println!("open checkpoint alone {open_alone:?}");
    println!(
        "open checkpoint + {records} records {open_with:?} (replay ~{:?})",
        open_with.saturating_sub(open_alone)
    );
    let _ = std::fs::remove_dir_all(&base);
}
