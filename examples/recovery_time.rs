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
    let model_json = model.clone();
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
    // The same checkpoint in format 1 (JSON text, as builds before format 2 wrote it), with
    // and without the records: the reader still opens it.
    let json_alone = base.join("json-alone");
    let json_with = base.join("json-with");
    for d in [&json_alone, &json_with] {
        std::fs::create_dir_all(d).unwrap();
        std::fs::write(
            d.join("checkpoint-00000000000000000000.ckpt"),
            json_checkpoint(&model_json),
        )
        .unwrap();
    }
    drop(model_json);
    for e in std::fs::read_dir(&with).unwrap() {
        let p = e.unwrap().path();
        if p.to_string_lossy().ends_with(".log") {
            std::fs::copy(&p, json_with.join(p.file_name().unwrap())).unwrap();
        }
    }
    println!(
        "checkpoint {} bytes (json {} bytes)",
        dir_bytes(&alone, "checkpoint-"),
        dir_bytes(&json_alone, "checkpoint-")
    );
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
    let json_open_alone = best(runs, || Engine::open_with(&json_alone, options).unwrap());
    let json_open_with = best(runs, || Engine::open_with(&json_with, options).unwrap());
    println!("json: open checkpoint alone {json_open_alone:?}");
    println!("json: open checkpoint + {records} records {json_open_with:?}");
    let _ = std::fs::remove_dir_all(&base);
}

/// A checkpoint of format 1 at version 0: the JSON text framed in records of 64 MiB (length,
/// version, payload CRC, header CRC, payload), as the log wrote it before format 2.
fn json_checkpoint(model: &orgperm::Model) -> Vec<u8> {
    #[derive(serde::Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Out<'a> {
        format: u32,
        version: u64,
        applied_ids: Vec<&'a str>,
        model: &'a ModelDocument,
    }
    let doc = ModelDocument::from_model(model);
    let text = serde_json::to_vec(&Out {
        format: 1,
        version: 0,
        applied_ids: Vec::new(),
        model: &doc,
    })
    .unwrap();
    let mut out = Vec::with_capacity(text.len() + 1024);
    for piece in text.chunks(64 << 20) {
        let mut h = Vec::with_capacity(20);
        h.extend_from_slice(&(piece.len() as u32).to_le_bytes());
        h.extend_from_slice(&0u64.to_le_bytes());
        h.extend_from_slice(&crc32fast::hash(piece).to_le_bytes());
        let header_crc = crc32fast::hash(&h);
        h.extend_from_slice(&header_crc.to_le_bytes());
        out.extend_from_slice(&h);
        out.extend_from_slice(piece);
    }
    out
}
