//! Vendor exports against orgperm's own document (issue 11, "Performance": a vendor read
//! at most 2× the own-document load of the same model). Two tenants, each built once as a
//! model and rendered with the adapters' writers into the bodies a sync job would fetch:
//!
//! - Gong: 100,000 users (100 `/v2/users` pages of 1,000), 500 profiles across five
//!   workspaces (one listing per workspace) and the 500 profile-users bodies, every user
//!   holding one profile;
//! - Genesys: a 5,000-permission catalog, 20 divisions, 200 roles and 25,000 users with 4
//!   grants each (100,000 user grants), one `AuthzSubject` body per user.
//!
//! For each tenant, `*_read` times reading every body, reader construction to `finish()`;
//! `*_document` times `Model::from_json` of the resulting model's own document. Bodies and
//! document are prepared outside the timing; what a run reads is dropped outside the timing
//! (returned from `iter_batched`), as in `document.rs`.

use std::hint::black_box;
use std::time::Duration;

use criterion::{BatchSize, Criterion};
use orgperm::vendor::Imported;
use orgperm::vendor::genesys::{self, GenesysImport, SubjectKind};
use orgperm::vendor::gong::{self, GongReader};
use orgperm::{Domain, Level, Model, PermissionSpec, PolicySpec, RoleQuery, RoleSpec, Subject};
use orgperm_synth::user_id;

const GONG_USERS: usize = 100_000;
const GONG_PAGE: usize = 1_000;
const GONG_WORKSPACES: usize = 5;
const GONG_PROFILES: usize = 500;

const GENESYS_USERS: usize = 25_000;
const GENESYS_GRANTS_PER_USER: usize = 4;
const GENESYS_ROLES: usize = 200;
const GENESYS_DIVISIONS: usize = 20;
/// 50 domains × 10 entity types × 10 actions = 5,000 permissions.
const GENESYS_DOMAINS: usize = 50;
const GENESYS_ENTITIES: usize = 10;
const GENESYS_ACTIONS: usize = 10;
const PAGE: usize = 25;

/// A Gong export: the bodies in reading order.
struct GongExport {
    users_pages: Vec<String>,
    /// `(workspace parameter, listing)`.
    profiles: Vec<(Option<String>, String)>,
    /// `(profile id, users of the profile)`.
    profile_users: Vec<(String, String)>,
}

impl GongExport {
    fn read(&self) -> Imported {
        let mut reader = GongReader::new();
        for page in &self.users_pages {
            reader.read_users_page(black_box(page)).unwrap();
        }
        for (ws, body) in &self.profiles {
            reader
                .read_profiles(black_box(body), ws.as_deref())
                .unwrap();
        }
        for (profile, body) in &self.profile_users {
            reader.read_profile_users(black_box(body), profile).unwrap();
        }
        reader.finish().unwrap()
    }
}

fn workspace(w: usize) -> Option<String> {
    (w > 0).then(|| format!("ws-{w}"))
}

/// 100,000 users in a tree of 3–9 reports per manager (the synth ids), 500 profiles across
/// five workspaces, user `i` holding profile `i % 500`.
fn gong_model() -> Model {
    let mut m = Model::new();
    let mut manager = 0;
    let mut reports = 0;
    m.add_user(&user_id(0), None).unwrap();
    for i in 1..GONG_USERS {
        m.add_user(&user_id(i), Some(&user_id(manager))).unwrap();
        reports += 1;
        if reports == 3 + manager % 7 {
            manager += 1;
            reports = 0;
        }
    }
    for w in 1..GONG_WORKSPACES {
        m.add_workspace(&format!("ws-{w}")).unwrap();
    }
    for p in 0..GONG_PROFILES {
        let level = Level::ALL[p % Level::ALL.len()];
        let mut spec = orgperm::ProfileSpec::new(format!("p{p:03}"), format!("Profile {p:03}"))
            .with_all_levels(Level::Own)
            .with_level(Domain::Calls, level)
            .with_capability("scoreCalls", p % 2 == 0)
            .with_capability("downloadCallMedia", p % 3 == 0);
        if let Some(ws) = workspace(p % GONG_WORKSPACES) {
            spec = spec.in_workspace(ws);
        }
        m.create_profile(spec).unwrap();
    }
    for i in 0..GONG_USERS {
        m.assign_profile(&user_id(i), &format!("p{:03}", i % GONG_PROFILES))
            .unwrap();
    }
    m
}

fn gong_export(m: &Model) -> GongExport {
    let mut users_pages = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let page = gong::users_page(m, cursor.as_deref(), GONG_PAGE, "req-users").unwrap();
        cursor = page.records.cursor.clone();
        users_pages.push(page.to_json());
        if cursor.is_none() {
            break;
        }
    }
    let profiles = (0..GONG_WORKSPACES)
        .map(|w| {
            let ws = workspace(w);
            let body = gong::profiles_response(m, ws.as_deref(), "req-profiles").unwrap();
            (ws, body.to_json())
        })
        .collect();
    let profile_users = (0..GONG_PROFILES)
        .map(|p| {
            let id = format!("p{p:03}");
            let body = gong::profile_users_response(m, &id, "req-holders").unwrap();
            (id, body.to_json())
        })
        .collect();
    GongExport {
        users_pages,
        profiles,
        profile_users,
    }
}

/// A Genesys export: the bodies in reading order.
struct GenesysExport {
    permissions_pages: Vec<String>,
    divisions_pages: Vec<String>,
    roles_pages: Vec<String>,
    subjects: Vec<String>,
}

impl GenesysExport {
    fn read(&self) -> Imported {
        let mut import = GenesysImport::new();
        for page in &self.permissions_pages {
            import.read_permissions_page(black_box(page)).unwrap();
        }
        for page in &self.divisions_pages {
            import.read_divisions_page(black_box(page)).unwrap();
        }
        for page in &self.roles_pages {
            import.read_roles_page(black_box(page)).unwrap();
        }
        for body in &self.subjects {
            import
                .read_subject(SubjectKind::User, black_box(body))
                .unwrap();
        }
        import.finish()
    }
}

fn domain(d: usize) -> String {
    format!("domain{d:02}")
}

fn entity(e: usize) -> String {
    format!("entity{e}")
}

fn action(a: usize) -> String {
    format!("action{a}")
}

fn division(d: usize) -> String {
    if d == 0 {
        "div-home".to_owned()
    } else {
        format!("div-{d:02}")
    }
}

/// A 5,000-permission catalog (about 40% division-aware), 20 divisions, 200 roles of 3–6
/// policies (some with a wildcard entity or action), 25,000 users (roots, as a subject
/// import adds them) with 4 grants each in various divisions, `*` among them.
fn genesys_model() -> Model {
    let mut m = Model::new();
    for d in 0..GENESYS_DOMAINS {
        for e in 0..GENESYS_ENTITIES {
            for a in 0..GENESYS_ACTIONS {
                let name = format!("{}:{}:{}", domain(d), entity(e), action(a));
                let mut spec = PermissionSpec::new(name, format!("Action {a} on {e} of {d}"));
                if (d + e + a) % 5 < 2 {
                    spec = spec.division_aware();
                }
                m.rbac_mut().add_permission(spec).unwrap();
            }
        }
    }
    for d in 0..GENESYS_DIVISIONS {
        m.rbac_mut()
            .add_division(&division(d), &format!("Division {d}"))
            .unwrap();
    }
    for r in 0..GENESYS_ROLES {
        let mut spec = RoleSpec::new(format!("role-{r:03}"), format!("Role {r:03}"))
            .with_description(format!("Custom role {r}"));
        for k in 0..(3 + r % 4) {
            let d = domain((r * 7 + k * 11) % GENESYS_DOMAINS);
            let policy = match (r + k) % 5 {
                0 => PolicySpec::new(d, "*", [action((r + k) % GENESYS_ACTIONS)]),
                1 => PolicySpec::new(d, entity((r + k) % GENESYS_ENTITIES), ["*"]),
                _ => PolicySpec::new(
                    d,
                    entity((r + 3 * k) % GENESYS_ENTITIES),
                    [
                        action(k % GENESYS_ACTIONS),
                        action((k + 4) % GENESYS_ACTIONS),
                    ],
                ),
            };
            spec = spec.with_policy(policy);
        }
        m.rbac_mut().create_role(spec).unwrap();
    }
    for u in 0..GENESYS_USERS {
        let id = user_id(u);
        m.add_user(&id, None).unwrap();
        for g in 0..GENESYS_GRANTS_PER_USER {
            let role = format!("role-{:03}", (u * 7 + g * 53) % GENESYS_ROLES);
            let div = match (u + g) % 10 {
                0 => "*".to_owned(),
                1..=5 => division(0),
                k => division(1 + (u + k) % (GENESYS_DIVISIONS - 1)),
            };
            m.rbac_mut()
                .grant_role(Subject::User(&id), &role, Some(&div))
                .unwrap();
        }
    }
    m
}

fn genesys_export(m: &Model) -> GenesysExport {
    let mut permissions_pages = Vec::new();
    for n in 1.. {
        let page = genesys::permissions_page(m, PAGE, n).unwrap();
        permissions_pages.push(json(&page));
        if n >= page.page_count {
            break;
        }
    }
    let mut divisions_pages = Vec::new();
    for n in 1.. {
        let page = genesys::divisions_page(m, PAGE, n).unwrap();
        divisions_pages.push(json(&page));
        if n >= page.page_count {
            break;
        }
    }
    let mut roles_pages = Vec::new();
    for n in 1.. {
        let page = genesys::roles_page(m, &RoleQuery::new().page(PAGE, n)).unwrap();
        roles_pages.push(json(&page));
        if n >= page.page_count {
            break;
        }
    }
    let subjects = (0..GENESYS_USERS)
        .map(|u| json(&genesys::subject(m, SubjectKind::User, &user_id(u)).unwrap()))
        .collect();
    GenesysExport {
        permissions_pages,
        divisions_pages,
        roles_pages,
        subjects,
    }
}

fn json<T: serde::Serialize>(body: &T) -> String {
    serde_json::to_string(body).unwrap()
}

pub fn benches(c: &mut Criterion) {
    let gong = gong_export(&gong_model());
    let gong_doc = gong.read().model.to_json();
    let genesys = genesys_export(&genesys_model());
    let genesys_doc = genesys.read().model.to_json();
    let bytes = |v: &[String]| v.iter().map(String::len).sum::<usize>();
    println!(
        "vendor: gong {} bodies, {} bytes; document {} bytes",
        gong.users_pages.len() + gong.profiles.len() + gong.profile_users.len(),
        bytes(&gong.users_pages)
            + gong.profiles.iter().map(|(_, b)| b.len()).sum::<usize>()
            + gong
                .profile_users
                .iter()
                .map(|(_, b)| b.len())
                .sum::<usize>(),
        gong_doc.len()
    );
    println!(
        "vendor: genesys {} bodies, {} bytes; document {} bytes",
        genesys.permissions_pages.len()
            + genesys.divisions_pages.len()
            + genesys.roles_pages.len()
            + genesys.subjects.len(),
        bytes(&genesys.permissions_pages)
            + bytes(&genesys.divisions_pages)
            + bytes(&genesys.roles_pages)
            + bytes(&genesys.subjects),
        genesys_doc.len()
    );

    let mut g = c.benchmark_group("vendor");
    g.sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(8));
    g.bench_function("gong_read_100k", |b| {
        b.iter_batched(|| (), |_| gong.read(), BatchSize::PerIteration)
    });
    g.bench_function("gong_document_100k", |b| {
        b.iter_batched(
            || (),
            |_| Model::from_json(black_box(&gong_doc)).unwrap(),
            BatchSize::PerIteration,
        )
    });
    g.bench_function("genesys_read_100k_grants", |b| {
        b.iter_batched(|| (), |_| genesys.read(), BatchSize::PerIteration)
    });
    g.bench_function("genesys_document_100k_grants", |b| {
        b.iter_batched(
            || (),
            |_| Model::from_json(black_box(&genesys_doc)).unwrap(),
            BatchSize::PerIteration,
        )
    });
    g.finish();
}
