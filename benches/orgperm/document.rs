//! The model document: strict import (parse, shape, validation, model) and export, on the
//! synthetic org at 100,000 users with the rbac and items generators' sections. The model
//! read and the text written are dropped outside the timing (returned from `iter_batched`).

use std::hint::black_box;
use std::time::Duration;

use criterion::{BatchSize, Criterion};
use orgperm::Model;
use orgperm_synth::items::{ItemsConfig, add_items};
use orgperm_synth::rbac::{RbacConfig, add_rbac};
use orgperm_synth::{ObjectsConfig, SynthConfig, add_objects, generate};

const USERS: usize = 100_000;

pub fn benches(c: &mut Criterion) {
    let mut org = generate(&SynthConfig::new(USERS));
    add_rbac(&mut org, &RbacConfig::new());
    add_items(&mut org, &ItemsConfig::new());
    add_objects(&mut org, &ObjectsConfig::new().calls_per_user(1));
    let json = org.model.to_json();
    println!("document: {} bytes at {USERS} users", json.len());

    let mut g = c.benchmark_group("document");
    g.sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(5));
    g.bench_function("from_json_100k", |b| {
        b.iter_batched(
            || (),
            |_| Model::from_json(black_box(&json)).unwrap(),
            BatchSize::PerIteration,
        )
    });
    g.bench_function("to_json_100k", |b| {
        b.iter_batched(|| (), |_| org.model.to_json(), BatchSize::PerIteration)
    });
    g.finish();
}
