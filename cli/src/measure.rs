//! `stats` and `bench`: what a loaded model costs and how fast it answers.

use std::hint::black_box;
use std::time::Instant;

use orgperm::{Domain, Snapshot, UserId};
use serde_json::{Value, json};

use crate::load::Loaded;

/// Checks timed together: long enough for the clock's resolution, short enough for a
/// distribution.
const BATCH: usize = 1_000;

/// Sizes, memory by part and times of a loaded and compiled model.
pub fn stats(loaded: &Loaded, snap: &Snapshot, compile_secs: f64) -> Value {
    let m = &loaded.model;
    let mem = snap.memory();
    json!({
        "documentBytes": loaded.bytes,
        "users": m.user_count(),
        "workspaces": m.workspace_ids().count(),
        "teams": m.teams().team_ids().count(),
        "calls": m.calls().call_ids().count(),
        "items": m.items().item_ids().count(),
        "networks": m.networks().network_ids().count(),
        "roles": m.rbac().role_ids().count(),
        "divisions": m.rbac().division_ids().count(),
        "memory": {
            "idTextBytes": mem.id_text_bytes,
            "orgBytes": mem.org_bytes,
            "profileBytes": mem.profile_bytes,
            "rbacBytes": mem.rbac_bytes,
            "objectBytes": mem.object_bytes,
            "indexBytes": mem.index_bytes(),
            "indexBytesPerUser": mem.per_user(),
        },
        "seconds": {
            "read": loaded.read.as_secs_f64(),
            "parseAndValidate": loaded.parse.as_secs_f64(),
            "build": loaded.build.as_secs_f64(),
            "compile": compile_secs,
        },
    })
}

/// A small fast generator for the random pairs (the pairs only need to be spread out).
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) as usize) % n.max(1)
    }
}

/// Times `can_access` on `checks` random (viewer, owner) pairs of active users, in batches;
/// the per-check figures are batch means.
pub fn bench(snap: &Snapshot, users: &[UserId], domain: Domain, checks: usize, seed: u64) -> Value {
    let mut rng = Lcg(seed);
    let pairs: Vec<(UserId, UserId)> = (0..checks.max(BATCH))
        .filter_map(|_| {
            let v = users.get(rng.below(users.len()))?;
            let o = users.get(rng.below(users.len()))?;
            Some((*v, *o))
        })
        .collect();
    let view = snap.profiles();
    let mut per_check: Vec<f64> = Vec::with_capacity(pairs.len() / BATCH + 1);
    let mut allowed = 0usize;
    let start = Instant::now();
    for batch in pairs.chunks(BATCH) {
        let t = Instant::now();
        for &(v, o) in batch {
            allowed += usize::from(view.can_access(black_box(v), domain, black_box(o)));
        }
        per_check.push(t.elapsed().as_nanos() as f64 / batch.len() as f64);
    }
    let total = start.elapsed().as_secs_f64();
    per_check.sort_by(f64::total_cmp);
    let at = |q: f64| {
        let i = ((per_check.len() as f64 - 1.0) * q).round() as usize;
        per_check.get(i).copied().unwrap_or(0.0)
    };
    json!({
        "query": "can_access",
        "domain": domain.field(),
        "checks": pairs.len(),
        "allowed": allowed,
        "checksPerSecond": pairs.len() as f64 / total.max(1e-9),
        "nanosPerCheck": {"p50": at(0.5), "p99": at(0.99), "batch": BATCH},
    })
}
