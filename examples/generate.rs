//! Writes a synthetic model document with every family, for the CLI and for trying orgperm
//! on a bigger org than the hand-written sample.
//!
//! `cargo run --release --example generate -- [USERS] [OUT]` (default 1,000 users to
//! `examples/data/generated-1k.json`). The same arguments always give the same document.

use orgperm_synth::items::{ItemsConfig, add_items};
use orgperm_synth::rbac::{RbacConfig, add_rbac};
use orgperm_synth::{ObjectsConfig, SynthConfig, add_objects, generate};

fn main() {
    let mut args = std::env::args().skip(1);
    let users: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(1_000);
    let out = args
        .next()
        .unwrap_or_else(|| "examples/data/generated-1k.json".to_owned());
    let mut org = generate(&SynthConfig::new(users).seed(42));
    let items = if users >= 10_000 {
        ItemsConfig::new()
    } else {
        ItemsConfig::small()
    };
    add_items(&mut org, &items);
    let rbac = RbacConfig {
        roles: 40,
        atoms: 400,
        divisions: 8,
        groups: (users / 100).max(1),
        personas: 30,
        ..RbacConfig::new()
    };
    add_rbac(&mut org, &rbac);
    add_objects(&mut org, &ObjectsConfig::new().calls_per_user(2));
    let json = org.model.to_json();
    if let Err(e) = std::fs::write(&out, json.as_bytes()) {
        eprintln!("cannot write {out}: {e}");
        std::process::exit(2);
    }
    println!("wrote {out}: {users} users, {} bytes", json.len());
}
