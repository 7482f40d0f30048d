//! The main job: build a 100,000-user synthetic org, compile it, and show decisions, their
//! explanations, reverse-query sizes and the measured cost of a check.
//!
//! Run with `cargo run --release --example demo` (optionally `-- <users>`).

use std::hint::black_box;
use std::time::Instant;

use orgperm::{Capability, Domain, UserId};
use orgperm_synth::{SynthConfig, generate};

fn main() {
    let users: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(100_000);

    let t = Instant::now();
    let org = generate(&SynthConfig::new(users).seed(42));
    println!("generated {users} users in {:.1?}", t.elapsed());

    let t = Instant::now();
    let snap = org.model.compile();
    let compile = t.elapsed();
    let mem = snap.memory();
    println!(
        "compiled in {compile:.1?}: {:.1} bytes/user for the org tree, user ids and profiles \
         ({:.1} in all, +{} KiB of id text)",
        mem.core_per_user(),
        mem.per_user(),
        mem.id_text_bytes / 1024
    );

    let boss = org.managers[0].as_str();
    let mid = org.managers[org.managers.len() / 2].as_str();
    let rep = org.reps[org.reps.len() / 2].as_str();
    let admin = org.admins[0].as_str();
    let enabler = org.enablement.first().map_or(rep, String::as_str);
    let some_report = snap
        .profiles()
        .visible_owners(mid, Domain::Calls)
        .external_ids()
        .nth(1)
        .unwrap_or(mid);

    println!("\ndecisions:");
    let show = |label: &str, v: &str, d: Domain, o: &str| {
        println!("  {label:<34} {}", snap.explain(v, d, o));
    };
    show(
        "manager -> own report's calls",
        mid,
        Domain::Calls,
        some_report,
    );
    show("manager -> the CEO's calls", mid, Domain::Calls, admin);
    show("rep -> a peer's calls", rep, Domain::Calls, some_report);
    show("rep -> a peer's deals", rep, Domain::Deals, some_report);
    show(
        "enablement -> someone's coaching",
        enabler,
        Domain::Coaching,
        some_report,
    );
    show("admin -> anyone's forecast", admin, Domain::Forecast, rep);
    show("unknown viewer", "no-such-user", Domain::Calls, rep);
    println!(
        "  {:<34} {}",
        "rep -> scoreCalls capability",
        snap.profiles()
            .explain_capability(rep, Capability::SCORE_CALLS)
    );
    println!(
        "  {:<34} {}",
        "rep -> folder-001",
        snap.profiles().explain_folder(rep, "folder-001")
    );

    println!("\nreverse queries:");
    for (label, v) in [
        ("top manager", boss),
        ("mid manager", mid),
        ("rep", rep),
        ("enablement", enabler),
    ] {
        println!(
            "  calls visible to {label:<12} {:>7} users",
            snap.profiles().visible_owners(v, Domain::Calls).len()
        );
    }
    for (label, o) in [("rep", rep), ("mid manager", mid), ("CEO", admin)] {
        println!(
            "  who can see calls of {label:<12} {:>4} users",
            snap.profiles().who_can_access(o, Domain::Calls).len()
        );
    }

    // Time per check: a fixed pseudo-random stream of (viewer, owner) pairs.
    let ids: Vec<UserId> = (0..users)
        .filter_map(|i| snap.user_id(&orgperm_synth::user_id(i)))
        .collect();
    let mut rng = orgperm_synth::Rng::new(9);
    let pairs: Vec<(UserId, UserId)> = (0..1 << 20)
        .map(|_| {
            let v = ids[rng.range(0, ids.len() as u64 - 1) as usize];
            let o = ids[rng.range(0, ids.len() as u64 - 1) as usize];
            (v, o)
        })
        .collect();
    let t = Instant::now();
    let mut allowed = 0u32;
    for _ in 0..8 {
        for &(v, o) in &pairs {
            allowed += snap.can_access(black_box(v), Domain::Calls, black_box(o)) as u32;
        }
    }
    let per_check = t.elapsed().as_nanos() as f64 / (8 * pairs.len()) as f64;
    println!(
        "\ncan_access (dense ids): {per_check:.1} ns per check over {} random pairs ({allowed} allowed)",
        8 * pairs.len()
    );
    let names: Vec<(String, String)> = pairs[..1 << 16]
        .iter()
        .map(|&(v, o)| {
            (
                snap.user_name(v).unwrap().to_owned(),
                snap.user_name(o).unwrap().to_owned(),
            )
        })
        .collect();
    let t = Instant::now();
    let mut allowed = 0u32;
    for _ in 0..8 {
        for (v, o) in &names {
            allowed +=
                snap.can_access(black_box(v.as_str()), Domain::Calls, black_box(o.as_str())) as u32;
        }
    }
    let per_check = t.elapsed().as_nanos() as f64 / (8 * names.len()) as f64;
    println!("can_access (external ids): {per_check:.1} ns per check ({allowed} allowed)");
}
