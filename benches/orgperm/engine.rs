//! The live engine: a commit until readers see it, a 1,000-operation change set, the
//! reader's snapshot load, and recovery from a log (a checkpoint and 10,000 records).
//!
//! On the synthetic org with calls, rbac and items: `ORGPERM_ENGINE_USERS` users (100,000
//! unless set; the issue's figures are at 1,000,000), ten calls per user. Each commit is
//! timed from `apply` until `snapshot_at_least` returns its version, as a handler that just
//! made the change would wait. Every iteration commits a real change (assignments alternate
//! between two profiles, grants between grant and revoke), so no commit is a no-op.

use std::hint::black_box;
use std::time::Duration;

use criterion::Criterion;
use orgperm::{ChangeSet, Domain, Engine, LogOptions, Op};
use orgperm_synth::items::{ItemsConfig, add_items};
use orgperm_synth::rbac::{RbacConfig, add_rbac};
use orgperm_synth::{ObjectsConfig, SynthConfig, add_objects, call_id, generate, user_id};

fn users() -> usize {
    std::env::var("ORGPERM_ENGINE_USERS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000)
}

fn commit(engine: &Engine, ops: Vec<Op>) {
    let mut changes = ChangeSet::new();
    changes.ops = ops;
    let token = engine.apply(&changes).expect("a valid change set");
    black_box(engine.snapshot_at_least(token, Duration::from_secs(60)));
}

const PROFILES: [&str; 2] = ["1000000000000000003", "1000000000000000004"];

pub fn benches(c: &mut Criterion) {
    let n = users();
    let mut org = generate(&SynthConfig::new(n).seed(42));
    // About ten calls per user (the synthetic count varies per user): edits name calls
    // below the number made.
    let n_calls = add_objects(&mut org, &ObjectsConfig::new().calls_per_user(10)).calls;
    let rbac = add_rbac(&mut org, &RbacConfig::new());
    let items = add_items(&mut org, &ItemsConfig::new());
    let model = org.model;
    let engine = Engine::new(model.clone());

    let mut g = c.benchmark_group("engine");
    g.sample_size(10)
        .measurement_time(Duration::from_secs(5))
        .warm_up_time(Duration::from_secs(1));

    let mut i = 0usize;
    g.bench_function(format!("assign_profile/{n}"), |b| {
        b.iter(|| {
            i += 1;
            commit(
                &engine,
                vec![Op::AssignProfile {
                    user_id: user_id((i * 7_919) % n),
                    profile_id: PROFILES[i % 2].into(),
                }],
            )
        })
    });
    let mut i = 0usize;
    let role = rbac.roles[rbac.roles.len() / 2].clone();
    // Users holding the view-only role may hold no other.
    let view_only: std::collections::HashSet<&str> =
        rbac.view_only_users.iter().map(String::as_str).collect();
    let grantees: Vec<String> = (0..n)
        .map(|k| user_id(k * 104_729 % n))
        .filter(|u| !view_only.contains(u.as_str()))
        .take(4_096)
        .collect();
    g.bench_function(format!("grant_role/{n}"), |b| {
        b.iter(|| {
            i += 1;
            let user = Some(grantees[(i / 2) % grantees.len()].clone());
            let op = if i % 2 == 1 {
                Op::GrantRole {
                    user_id: user,
                    group_id: None,
                    role_id: role.clone(),
                    division_id: None,
                }
            } else {
                Op::RevokeRole {
                    user_id: user,
                    group_id: None,
                    role_id: role.clone(),
                    division_id: None,
                }
            };
            commit(&engine, vec![op])
        })
    });
    // A profile's definition edited: its calls level alternates between report-to-them and
    // managers-team (each moves every holder in the reverse index and the viewer table).
    // `update_profile` edits the most held profile (most of the org), `update_profile_small`
    // the least held one with at least 100 holders.
    let snap = engine.snapshot();
    let held: Vec<(u64, String)> = model
        .profiles_in(None)
        .expect("the default workspace")
        .iter()
        .map(|p| {
            (
                snap.profiles().users_with_profile(p.id.as_str()).len(),
                p.id.clone(),
            )
        })
        .collect();
    drop(snap);
    let largest = held.iter().max().expect("profiles").1.clone();
    let smallest = held
        .iter()
        .filter(|(h, _)| *h >= 100)
        .min()
        .map_or_else(|| largest.clone(), |p| p.1.clone());
    for (name, profile) in [
        ("update_profile", largest),
        ("update_profile_small", smallest),
    ] {
        let spec = model
            .profile(&profile)
            .expect("a synthetic profile")
            .clone();
        let holders = held.iter().find(|p| p.1 == profile).map_or(0, |p| p.0);
        eprintln!("engine/{name}: {profile} has {holders} holders");
        let update_profile = |level: &str| -> Op {
            let mut body = serde_json::json!({
                "id": spec.id,
                "name": spec.name,
                "callsAccess": {"permissionLevel": level},
                "dealsAccess": {"permissionLevel": "report-to-them"},
            });
            if let Some(w) = &spec.workspace {
                body["workspaceId"] = w.as_str().into();
            }
            for (k, v) in &spec.capabilities {
                body[k.as_str()] = (*v).into();
            }
            serde_json::from_value(serde_json::json!({"op": "updateProfile", "profile": body}))
                .expect("an updateProfile op")
        };
        let levels = [
            update_profile("report-to-them"),
            update_profile("managers-team"),
        ];
        let mut i = 0usize;
        g.bench_function(format!("{name}/{n}"), |b| {
            b.iter(|| {
                i += 1;
                commit(&engine, vec![levels[i % 2].clone()])
            })
        });
    }
    // A role's spec edited: its last unconditional policy dropped and restored in turn
    // (each redoes the combinations holding the role and its holders' rows).
    let snap = engine.snapshot();
    let (role_spec, kept) = rbac
        .roles
        .iter()
        .skip(rbac.roles.len() / 2)
        .filter_map(|r| model.rbac().role(r))
        .filter(|s| s.default_role_id.is_none() && !s.view_only)
        .find_map(|s| {
            let plain: Vec<_> = s
                .permission_policies
                .iter()
                .filter(|p| p.condition.is_none())
                .collect();
            (plain.len() >= 2).then(|| (s.clone(), plain.len()))
        })
        .expect("a custom role with two unconditional policies");
    let role_holders = (0..n)
        .filter(|&k| {
            snap.rbac()
                .user_roles(user_id(k).as_str())
                .contains(&role_spec.id.as_str())
        })
        .count();
    eprintln!(
        "engine/update_role: {} has {kept} policies, {role_holders} holders",
        role_spec.id
    );
    drop(snap);
    let update_role = |drop_last: bool| -> Op {
        let mut policies: Vec<_> = role_spec
            .permission_policies
            .iter()
            .filter(|p| p.condition.is_none())
            .map(|p| {
                serde_json::json!({
                    "domain": p.domain,
                    "entityName": p.entity_name,
                    "actionSet": p.action_set,
                })
            })
            .collect();
        if drop_last {
            policies.pop();
        }
        let body = serde_json::json!({
            "id": role_spec.id,
            "name": role_spec.name,
            "permissions": role_spec.permissions,
            "permissionPolicies": policies,
        });
        serde_json::from_value(serde_json::json!({"op": "updateRole", "role": body}))
            .expect("an updateRole op")
    };
    let specs = [update_role(false), update_role(true)];
    let mut i = 0usize;
    g.bench_function(format!("update_role/{n}"), |b| {
        b.iter(|| {
            i += 1;
            commit(&engine, vec![specs[i % 2].clone()])
        })
    });
    let mut i = 0usize;
    g.bench_function(format!("share_call/{n}"), |b| {
        b.iter(|| {
            i += 1;
            commit(
                &engine,
                vec![Op::ShareCall {
                    call_id: call_id((i * 31) % n_calls),
                    user_id: user_id((i * 7_919) % n),
                }],
            )
        })
    });
    // A call made private and public again, and put in a folder and taken out: besides its
    // record, these write the workspace's bitmaps (copied whole, one per set changed).
    let mut i = 0usize;
    g.bench_function(format!("set_call_private/{n}"), |b| {
        b.iter(|| {
            i += 1;
            commit(
                &engine,
                vec![Op::SetCallPrivate {
                    call_id: call_id((i / 2 * 31) % n_calls),
                    is_private: i % 2 == 1,
                }],
            )
        })
    });
    let mut i = 0usize;
    let folder = org.folders[0].clone();
    g.bench_function(format!("call_to_folder/{n}"), |b| {
        b.iter(|| {
            i += 1;
            let call_id = call_id((i / 2 * 37) % n_calls);
            let folder_id = folder.clone();
            let op = if i % 2 == 1 {
                Op::AddCallToFolder { call_id, folder_id }
            } else {
                Op::RemoveCallFromFolder { call_id, folder_id }
            };
            commit(&engine, vec![op])
        })
    });
    // A new call each iteration (ids past the synthetic ones), owned by one user with two
    // participants; the change set is parsed before the clock starts.
    let mut i = 0usize;
    g.bench_function(format!("add_call/{n}"), |b| {
        b.iter_custom(|iters| {
            let mut spent = Duration::ZERO;
            for _ in 0..iters {
                i += 1;
                let (o, p, q) = (i * 7_919 % n, i * 104_729 % n, (i * 31 + 1) % n);
                let changes = ChangeSet::from_json(&format!(
                    r#"{{"version": 1, "ops": [{{"op": "addCall", "call": {{"id": "added-{i}",
                    "ownerId": "{}", "participants": ["{}", "{}"]}}}}]}}"#,
                    user_id(o),
                    user_id(p),
                    user_id(q)
                ))
                .expect("an addCall change set");
                let start = std::time::Instant::now();
                let token = engine.apply(&changes).expect("a valid change set");
                black_box(engine.snapshot_at_least(token, Duration::from_secs(60)));
                spent += start.elapsed();
            }
            spent
        })
    });
    let mut i = 0usize;
    g.bench_function(format!("entitle_advisor/{n}"), |b| {
        b.iter(|| {
            i += 1;
            let advisor_id = user_id((i * 7_919) % n);
            let network_id = "WHATSAPP".to_string();
            commit(
                &engine,
                vec![if i % 2 == 1 {
                    Op::EntitleAdvisor {
                        advisor_id,
                        network_id,
                    }
                } else {
                    Op::RemoveEntitlement {
                        advisor_id,
                        network_id,
                    }
                }],
            )
        })
    });
    let mut i = 0usize;
    g.bench_function(format!("set_item_access/{n}"), |b| {
        b.iter(|| {
            i += 1;
            let goal = &items.goals[(i / 2) % items.goals.len()];
            let user = user_id((i * 7_919) % n);
            let op: Op = serde_json::from_str(&format!(
                r#"{{"op": "setItemAccess", "id": "{goal}", "access": {{"inherits": true, "permissions": [
                    {{"principalKind": "user", "principalId": "{user}", "grant": ["read"]}}]}}}}"#
            ))
            .expect("an operation");
            commit(&engine, vec![op])
        })
    });
    let mut i = 0usize;
    g.bench_function(format!("move_user/{n}"), |b| {
        b.iter(|| {
            i += 1;
            commit(
                &engine,
                vec![Op::MoveUser {
                    id: user_id(n - 1 - (i % 2)),
                    manager_id: Some(user_id(i % 2)),
                }],
            )
        })
    });
    let mut i = 0usize;
    g.bench_function(format!("change_set_1000_ops/{n}"), |b| {
        b.iter(|| {
            i += 1;
            let ops = (0..1_000)
                .map(|k| Op::AssignProfile {
                    user_id: user_id((i * 1_000 + k) * 7_919 % n),
                    profile_id: PROFILES[i % 2].into(),
                })
                .collect();
            commit(&engine, ops)
        })
    });
    let mut i = 0usize;
    g.bench_function(format!("change_set_1000_call_shares/{n}"), |b| {
        b.iter(|| {
            i += 1;
            let ops = (0..1_000)
                .map(|k| Op::ShareCall {
                    call_id: call_id(((i * 1_000 + k) * 7_919) % n),
                    user_id: user_id((i * 1_000 + k) % n),
                })
                .collect();
            commit(&engine, ops)
        })
    });
    let (a, o) = (user_id(1), user_id(n / 2));
    let (a, o) = (
        engine.snapshot().user_id(a.as_str()).unwrap(),
        engine.snapshot().user_id(o.as_str()).unwrap(),
    );
    g.bench_function(format!("reader_snapshot_arc/{n}"), |b| {
        b.iter(|| {
            engine
                .snapshot()
                .can_access(black_box(a), Domain::Calls, black_box(o))
        })
    });
    g.bench_function(format!("reader_read_guard/{n}"), |b| {
        b.iter(|| {
            engine
                .read()
                .can_access(black_box(a), Domain::Calls, black_box(o))
        })
    });

    // Readers on two threads, each timing `iters / 2` random-pair checks, with no writer and
    // with a writer committing one profile assignment every millisecond (1,000 change sets
    // per second). Throughput under the writer is the ratio of the two medians.
    let pairs: Vec<(orgperm::UserId, orgperm::UserId)> = (0..1_024)
        .map(|k| {
            let s = engine.snapshot();
            (
                s.user_id(user_id(k * 7_919 % n).as_str()).unwrap(),
                s.user_id(user_id(k * 104_729 % n).as_str()).unwrap(),
            )
        })
        .collect();
    let readers = |iters: u64, writer: bool| -> Duration {
        let done = std::sync::atomic::AtomicBool::new(false);
        std::thread::scope(|scope| {
            let w = writer.then(|| {
                scope.spawn(|| {
                    let mut k = 0usize;
                    let start = std::time::Instant::now();
                    while !done.load(std::sync::atomic::Ordering::Relaxed) {
                        k += 1;
                        commit(
                            &engine,
                            vec![Op::AssignProfile {
                                user_id: user_id((k * 7_919) % n),
                                profile_id: PROFILES[k % 2].into(),
                            }],
                        );
                        let next = start + Duration::from_millis(k as u64);
                        if let Some(wait) = next.checked_duration_since(std::time::Instant::now()) {
                            std::thread::sleep(wait);
                        }
                    }
                })
            });
            let start = std::time::Instant::now();
            let threads: Vec<_> = (0..2)
                .map(|t| {
                    let pairs = &pairs;
                    let engine = &engine;
                    scope.spawn(move || {
                        let mut hits = 0u64;
                        for k in 0..iters / 2 {
                            let (a, o) = pairs[(k as usize * 2 + t) % pairs.len()];
                            hits += u64::from(engine.read().can_access(a, Domain::Calls, o));
                        }
                        black_box(hits)
                    })
                })
                .collect();
            for t in threads {
                let _ = t.join();
            }
            let took = start.elapsed();
            done.store(true, std::sync::atomic::Ordering::Relaxed);
            if let Some(w) = w {
                let _ = w.join();
            }
            took
        })
    };
    g.bench_function(format!("readers_2_threads_idle/{n}"), |b| {
        b.iter_custom(|iters| readers(iters, false))
    });
    g.bench_function(format!("readers_2_threads_1000_commits_per_s/{n}"), |b| {
        b.iter_custom(|iters| readers(iters, true))
    });

    // Recovery: a checkpoint of the org and 10,000 records after it (the issue's figure;
    // advisor entitlements, so that writing the log costs a networks compile per record,
    // not a profiles one; 7,919 is prime, so the 10,000 advisors are distinct users).
    let dir = std::env::temp_dir().join(format!("orgperm-bench-log-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let options = LogOptions::default().fsync(false).checkpoint_every(None);
    {
        let durable = Engine::create_with(&dir, model, options).expect("a new log");
        for k in 0..10_000 {
            commit(
                &durable,
                vec![Op::EntitleAdvisor {
                    advisor_id: user_id(k * 7_919 % n),
                    network_id: "WHATSAPP".into(),
                }],
            );
        }
    }
    g.bench_function(format!("recover_checkpoint_and_10000_records/{n}"), |b| {
        b.iter_with_large_drop(|| Engine::open_with(&dir, options).expect("the log"))
    });
    g.finish();
    let _ = std::fs::remove_dir_all(&dir);
}
