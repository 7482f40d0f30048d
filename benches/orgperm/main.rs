//! The one criterion harness. Each module benches one concept on the synthetic org from
//! `orgperm_synth`; run with `cargo bench`, or `cargo bench -- <filter>`.

use criterion::{criterion_group, criterion_main};

mod calls;
mod document;
mod engine;
mod impact;
mod items;
mod network;
mod profiles;
mod rbac;
mod scale;
mod shapes;
mod vendor;

criterion_group!(
    benches,
    profiles::benches,
    rbac::benches,
    calls::benches,
    network::benches,
    items::benches,
    document::benches,
    engine::benches,
    impact::benches,
    scale::benches,
    shapes::benches,
    vendor::benches
);
criterion_main!(benches);
