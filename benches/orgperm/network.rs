//! Symphony per-network permissions (SEMANTICS.md §4) and team membership, on the synthetic
//! org of 100,000 users (10% advisors, five networks).

use std::hint::black_box;
use std::time::Duration;

use criterion::Criterion;
use orgperm::{NetworkFeature, NetworkId, NetworkPermissionId, TeamId, UserId};
use orgperm_synth::{NETWORKS, ObjectsConfig, Rng, SynthConfig, add_objects, generate, user_id};

const USERS: usize = 100_000;

pub fn benches(c: &mut Criterion) {
    let mut org = generate(&SynthConfig::new(USERS).seed(42));
    let objects = add_objects(&mut org, &ObjectsConfig::new().calls_per_user(0));
    let snap = org.model.compile();
    let mut rng = Rng::new(5);
    let perms: Vec<NetworkPermissionId> = NETWORKS
        .iter()
        .flat_map(|(_, cat)| cat.iter())
        .filter_map(|(p, _)| snap.networks().permission_id(p))
        .collect();
    let triples: Vec<(UserId, NetworkId, NetworkPermissionId)> = (0..1024)
        .map(|_| {
            let a = &objects.advisors[rng.range(0, objects.advisors.len() as u64 - 1) as usize];
            let (n, _) = NETWORKS[rng.range(0, NETWORKS.len() as u64 - 1) as usize];
            let p = perms[rng.range(0, perms.len() as u64 - 1) as usize];
            (
                snap.user_id(a).unwrap(),
                snap.networks().network_id(n).unwrap(),
                p,
            )
        })
        .collect();
    let names: Vec<(String, &str, String)> = (0..1024)
        .map(|_| {
            let a =
                objects.advisors[rng.range(0, objects.advisors.len() as u64 - 1) as usize].clone();
            let (n, cat) = NETWORKS[rng.range(0, NETWORKS.len() as u64 - 1) as usize];
            let (p, _) = cat[rng.range(0, cat.len() as u64 - 1) as usize];
            (a, n, p.to_owned())
        })
        .collect();

    let mut g = c.benchmark_group("network");
    g.measurement_time(Duration::from_secs(3))
        .warm_up_time(Duration::from_secs(1));
    let mut i = 0;
    g.bench_function("has_network_permission/dense", |b| {
        b.iter(|| {
            i = (i + 1) & 1023;
            let (a, n, p) = triples[i];
            snap.networks()
                .has_permission(black_box(a), black_box(n), black_box(p))
        })
    });
    let mut i = 0;
    g.bench_function("has_network_permission/external", |b| {
        b.iter(|| {
            i = (i + 1) & 1023;
            let (a, n, p) = &names[i];
            snap.networks().has_permission(
                black_box(a.as_str()),
                black_box(*n),
                black_box(p.as_str()),
            )
        })
    });
    let mut i = 0;
    g.bench_function("has_network_feature/admin_tab_offboarding", |b| {
        b.iter(|| {
            i = (i + 1) & 1023;
            let (a, n, _) = triples[i];
            snap.networks().has_feature(
                black_box(a),
                black_box(n),
                NetworkFeature::ADMIN_TAB_OFFBOARDING,
            )
        })
    });

    // Teams: a random user against a random team, with sub-teams.
    let team_pairs: Vec<(UserId, TeamId)> = (0..1024)
        .map(|_| {
            let u = snap
                .user_id(&user_id(rng.range(0, USERS as u64 - 1) as usize))
                .unwrap();
            let t = &objects.teams[rng.range(0, objects.teams.len() as u64 - 1) as usize];
            (u, snap.teams().team_id(t).unwrap())
        })
        .collect();
    let mut i = 0;
    g.bench_function("is_team_member/with_sub_teams", |b| {
        b.iter(|| {
            i = (i + 1) & 1023;
            let (u, t) = team_pairs[i];
            snap.teams().is_member(black_box(u), black_box(t), true)
        })
    });
    let root = snap.teams().team_id(&objects.teams[0]).unwrap();
    g.bench_function("team_members/root_with_sub_teams", |b| {
        b.iter(|| snap.teams().members(black_box(root), true).len())
    });
    g.finish();
}
