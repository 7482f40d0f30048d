//! The versioned JSON model document: seed field names, round trips, determinism.

use orgperm::{
    Capability, Domain, ItemType, Level, LibraryFlag, LibraryLevel, Model, ModelDocument,
    NetworkFeature, PermittedDivisions, Principal, Snapshot, Verb,
};
use orgperm_synth::items::{ItemsConfig, add_items};
use orgperm_synth::rbac::{RbacConfig, add_rbac};
use orgperm_synth::{NETWORKS, ObjectsConfig, SynthConfig, add_objects, call_id, generate};

/// A profile written as the vendor's `PermissionProfileDTO` returns it.
const SEED_PROFILE: &str = r#"{
  "version": 1,
  "workspaces": [{"id": "5562739194953732039"}],
  "users": [{"id": "295738305212375930"}, {"id": "111", "managerId": "295738305212375930"}],
  "folders": [{"id": "3843152912968920037"}],
  "profiles": [{
    "id": "3843152912968920037",
    "name": "Profile",
    "description": "Description",
    "callsAccess": {"permissionLevel": "managers-team", "teamLeadIds": ["295738305212375930"]},
    "libraryFolderAccess": {
      "permissionLevel": "specific-folders",
      "libraryFolderIds": ["3843152912968920037"],
      "managePublicFolder": true, "manageStreams": true,
      "manageFolderCalls": true, "shareFoldersAndStreams": true
    },
    "dealsAccess": {"permissionLevel": "report-to-them", "teamLeadIds": []},
    "forecastPermissions": {
      "forecastAccess": {"permissionLevel": "all"},
      "forecastEditSubmissions": {"permissionLevel": "own"},
      "forecastEditTargets": {"permissionLevel": "none"}
    },
    "coachingAccess": {"permissionLevel": "own"},
    "insightsAccess": {"permissionLevel": "all"},
    "usageAccess": {"permissionLevel": "none"},
    "emailsAccess": {"permissionLevel": "own"},
    "scoreCalls": true, "overrideScore": false, "downloadCallMedia": true,
    "dealsDataExport": true, "someFutureFlag": true
  }],
  "assignments": [{"userId": "111", "profileId": "3843152912968920037"}]
}"#;

#[test]
fn the_seed_dto_imports_with_its_field_names() {
    let m = Model::from_json(SEED_PROFILE).unwrap();
    let p = m.profile("3843152912968920037").unwrap();
    assert_eq!(p.description, "Description");
    assert_eq!(p.access(Domain::Calls).level, Level::ManagersTeam);
    assert_eq!(p.access(Domain::Forecast).level, Level::All);
    assert_eq!(p.access(Domain::ForecastEditSubmissions).level, Level::Own);
    assert_eq!(p.library.level, LibraryLevel::SpecificFolders);
    assert!(LibraryFlag::ALL.into_iter().all(|f| p.library.flag(f)));
    let caps: Vec<(&str, bool)> = p
        .capabilities
        .iter()
        .map(|(k, v)| (k.as_str(), *v))
        .collect();
    assert_eq!(
        caps,
        [
            ("dealsDataExport", true),
            ("downloadCallMedia", true),
            ("overrideScore", false),
            ("scoreCalls", true),
            ("someFutureFlag", true)
        ]
    );
    let snap = m.compile();
    assert!(snap.can_access("111", Domain::Calls, "295738305212375930"));
    assert!(snap.has_capability("111", Capability::DEALS_DATA_EXPORT));
    assert!(snap.has_capability("111", "someFutureFlag"));
    assert!(!snap.has_capability("111", Capability::OVERRIDE_SCORE));
    assert!(
        snap.profiles()
            .can_access_folder("111", "3843152912968920037")
    );
    assert_eq!(
        snap.workspace_id("5562739194953732039"),
        Some(orgperm::WorkspaceId::DEFAULT)
    );
}

#[test]
fn export_round_trips_exactly() {
    let m = Model::from_json(SEED_PROFILE).unwrap();
    let json = m.to_json();
    let again = Model::from_json(&json).unwrap();
    assert_eq!(again.to_json(), json);
    assert_eq!(
        again.profile("3843152912968920037"),
        m.profile("3843152912968920037")
    );
}

#[test]
fn export_is_sorted_and_independent_of_insertion_order() {
    let mut a = Model::new();
    a.add_user("b", None).unwrap();
    a.add_user("a", Some("b")).unwrap();
    let mut b = Model::new();
    b.add_user("b", None).unwrap();
    b.add_user("a", Some("b")).unwrap();
    b.add_user("zz", None).unwrap();
    b.remove_user("zz").unwrap();
    assert_eq!(a.to_json(), b.to_json());
    let json = a.to_json();
    assert!(json.find("\"a\"").unwrap() < json.find("\"id\": \"b\"").unwrap());
}

/// The ids a transcript asks about: a sample of every kind of subject and object of a
/// synthetic org, plus ids that name nothing.
struct Asked {
    viewers: Vec<String>,
    owners: Vec<String>,
    workspaces: Vec<String>,
    folders: Vec<String>,
    calls: Vec<String>,
    teams: Vec<String>,
    advisors: Vec<String>,
    contacts: Vec<String>,
    items: Vec<String>,
    atoms: Vec<String>,
    divisions: Vec<String>,
    roles: Vec<String>,
    actions: Vec<String>,
}

fn ids(set: impl Iterator<Item = impl AsRef<str>>) -> String {
    let mut v: Vec<String> = set.map(|s| s.as_ref().to_owned()).collect();
    v.sort();
    v.join(",")
}

/// Every query family's answers about `a`, by external id (dense ids may differ after an
/// import), one line per answer, each line starting with its family.
fn transcript(s: &Snapshot, a: &Asked) -> Vec<String> {
    let mut out = Vec::new();
    // Profiles: data access per domain and workspace, reverse sets, capabilities, library.
    for ws in &a.workspaces {
        let p = s.in_workspace(ws.as_str());
        for v in &a.viewers {
            let v = v.as_str();
            for d in Domain::ALL {
                let seen = ids(p.visible_owners(v, d).external_ids());
                out.push(format!("profile {ws} {v} {d:?} sees {seen}"));
                for o in &a.owners {
                    let why = p.explain(v, d, o.as_str());
                    assert_eq!(why.allowed, p.can_access(v, d, o.as_str()));
                    out.push(format!("profile {ws} {v} {d:?} {o} {why}"));
                }
            }
            for cap in Capability::documented()
                .iter()
                .copied()
                .chain(["someFutureFlag"])
            {
                let why = p.explain_capability(v, cap);
                assert_eq!(why.allowed, p.has_capability(v, cap));
                out.push(format!("capability {ws} {v} {cap} {why}"));
            }
            for f in &a.folders {
                let why = p.explain_folder(v, f.as_str());
                assert_eq!(why.allowed, p.can_access_folder(v, f.as_str()));
                out.push(format!("folder {ws} {v} {f} {why}"));
            }
            for flag in LibraryFlag::ALL {
                out.push(format!(
                    "library {ws} {v} {flag:?} {}",
                    p.has_library_flag(v, flag)
                ));
            }
        }
        for o in &a.owners {
            for d in Domain::ALL {
                let who = ids(p.who_can_access(o.as_str(), d).external_ids());
                out.push(format!("profile {ws} who {o} {d:?} {who}"));
            }
        }
    }
    // Calls: opening, existence listing, explanations, per-workspace listings.
    for v in &a.viewers {
        let v = v.as_str();
        for ws in &a.workspaces {
            let calls = s.calls().in_workspace(ws.as_str());
            out.push(format!(
                "calls {ws} {v} visible {}",
                ids(calls.visible(v).external_ids())
            ));
            out.push(format!(
                "calls {ws} {v} listable {}",
                ids(calls.listable(v).external_ids())
            ));
        }
        for c in &a.calls {
            let why = s.calls().explain(v, c.as_str());
            assert_eq!(why.allowed, s.calls().can_open(v, c.as_str()));
            out.push(format!(
                "call {v} {c} {why} list {}",
                s.calls().can_list(v, c.as_str())
            ));
        }
    }
    // Teams.
    for t in &a.teams {
        for sub in [false, true] {
            let members = ids(s.teams().members(t.as_str(), sub).external_ids());
            out.push(format!("team {t} {sub} {members}"));
        }
    }
    for v in &a.viewers {
        let of = s.teams().of_user(v.as_str());
        let names = ids(of.into_iter().map(|t| s.teams().team_name(t).unwrap()));
        out.push(format!("teams of {v} {names}"));
    }
    // Items: per verb with explanations, the allowed-actions targets, readable sets.
    for v in &a.viewers {
        let v = v.as_str();
        for i in &a.items {
            out.push(format!("item {v} {i} {}", s.items().actions(v, i.as_str())));
            for verb in Verb::ALL {
                let why = s.items().explain(v, i.as_str(), verb);
                assert_eq!(why.allowed, s.items().can(v, i.as_str(), verb));
                out.push(format!("item {v} {i} {verb:?} {why}"));
            }
            for target in ["metric", "goal", "session", "insightBoard", "dashboard"] {
                let r = s.items().allowed_actions(v, target, i.as_str());
                out.push(format!(
                    "item {v} {i} {target} {:?}",
                    r.map_err(|e| e.to_string())
                ));
            }
        }
        for t in ItemType::ALL {
            let readable = ids(s.items().readable(v, t).external_ids());
            out.push(format!("items {v} {t:?} readable {readable}"));
        }
    }
    // Networks: entitlements, permissions, features, rooms, reverse sets.
    let features = [
        NetworkFeature::CREATE_ROOM,
        NetworkFeature::MULTI_COMPANY_CONTACT,
        NetworkFeature::ADMIN_TAB_OFFBOARDING,
    ];
    for (net, catalog) in NETWORKS {
        for (perm, _) in catalog {
            let holders = ids(s
                .networks()
                .advisors_with_permission(net, *perm)
                .external_ids());
            out.push(format!("network {net} {perm} {holders}"));
        }
        for v in a.advisors.iter().chain(&a.viewers) {
            let v = v.as_str();
            out.push(format!(
                "network {net} {v} entitled {} holds {:?}",
                s.networks().is_entitled(v, net),
                s.networks().permissions_of(v, net)
            ));
            for (perm, _) in catalog {
                out.push(format!(
                    "network {net} {v} {perm} {}",
                    s.networks().has_permission(v, net, *perm)
                ));
            }
            for f in features {
                let why = s.networks().explain_feature(v, net, f);
                assert_eq!(why.allowed, s.networks().has_feature(v, net, f));
                out.push(format!("network {net} {v} {} {why}", f.name()));
            }
        }
    }
    for v in a.advisors.iter().chain(&a.viewers) {
        let contacts: Vec<&str> = a.contacts.iter().map(String::as_str).collect();
        for room in [&contacts[..1], &contacts[..]] {
            out.push(format!(
                "room {v} {room:?} {}",
                s.networks().can_create_room(v.as_str(), room)
            ));
        }
    }
    // Roles and permissions: flattened sets, checks per division, explanations, divisions
    // permitted, reverse sets; actions.
    let rbac = s.rbac();
    for v in &a.viewers {
        let v = v.as_str();
        out.push(format!(
            "rbac {v} permissions {:?} roles {:?} actions {:?} view-only {}",
            rbac.user_permissions(v),
            rbac.user_roles(v),
            rbac.user_actions(v),
            rbac.is_view_only(v)
        ));
        for atom in &a.atoms {
            let why = rbac.explain_permission(v, atom.as_str());
            assert_eq!(why.allowed, rbac.has_permission(v, atom.as_str()));
            out.push(format!("rbac {v} {atom} {why}"));
            let permitted = match rbac.divisions_permitted(v, atom.as_str()) {
                PermittedDivisions::All => "all".to_owned(),
                PermittedDivisions::Only(ds) => {
                    ids(ds.into_iter().map(|d| rbac.division_name(d).unwrap()))
                }
            };
            out.push(format!("rbac {v} {atom} divisions {permitted}"));
            for div in &a.divisions {
                let why = rbac.explain_permission_on(v, atom.as_str(), div.as_str(), &[]);
                assert_eq!(
                    why.allowed,
                    rbac.has_permission_on(v, atom.as_str(), div.as_str(), &[])
                );
                out.push(format!("rbac {v} {atom} {div} {why}"));
            }
        }
        for act in &a.actions {
            let why = rbac.explain_action(v, act.as_str());
            assert_eq!(why.allowed, rbac.has_action(v, act.as_str()));
            out.push(format!("action {v} {act} {why}"));
        }
    }
    for atom in &a.atoms {
        out.push(format!(
            "rbac holders {atom} {}",
            ids(rbac.users_holding_permission(atom.as_str()).external_ids())
        ));
        for div in &a.divisions {
            out.push(format!(
                "rbac holders {atom} {div} {}",
                ids(rbac
                    .users_with_permission(atom.as_str(), div.as_str())
                    .external_ids())
            ));
        }
    }
    for r in &a.roles {
        out.push(format!(
            "role {r} actions {:?}",
            rbac.effective_actions(Principal::role(r.as_str()))
        ));
    }
    out
}

#[test]
fn a_synthetic_org_round_trips_with_identical_decisions() {
    let mut org = generate(&SynthConfig::new(1_000).seed(5));
    let objects = add_objects(&mut org, &ObjectsConfig::new().calls_per_user(3).seed(5));
    let roles = add_rbac(
        &mut org,
        &RbacConfig {
            roles: 30,
            atoms: 300,
            divisions: 6,
            groups: 20,
            personas: 15,
            seed: 5,
            ..RbacConfig::new()
        },
    );
    let items = add_items(&mut org, &ItemsConfig::small().seed(5));
    let json = org.model.to_json();
    let again = Model::from_json(&json).unwrap();
    assert_eq!(again.to_json(), json);

    // About `k` ids spread over `v`.
    let every = |v: &[String], k: usize| -> Vec<String> {
        v.iter()
            .step_by((v.len() / k).max(1))
            .take(k)
            .cloned()
            .collect()
    };
    let mut viewers: Vec<String> = [
        every(&org.admins, 2),
        every(&org.managers, 8),
        every(&org.reps, 8),
        every(&org.enablement, 3),
        every(&roles.view_only_users, 3),
        every(&items.view_only_users, 3),
        every(&items.contributors, 3),
        every(&objects.advisors, 4),
    ]
    .concat();
    viewers.push("ghost".into());
    viewers.sort();
    viewers.dedup();
    let mut owners = [every(&org.managers, 4), every(&org.reps, 6)].concat();
    owners.push("ghost".into());
    let mut items_asked = [
        every(&items.sessions, 3),
        every(&items.goals, 3),
        every(&items.metrics, 3),
        every(&items.insight_boards, 2),
        every(&items.dashboards, 2),
    ]
    .concat();
    items_asked.push("no-such-item".into());
    let mut atoms = [
        every(&roles.aware_atoms, 8),
        every(&roles.atoms, 8),
        roles.flat.iter().take(3).cloned().collect(),
    ]
    .concat();
    atoms.push("routing:nothing:view".into());
    let asked = Asked {
        owners,
        workspaces: org.model.workspace_ids().map(str::to_owned).collect(),
        folders: [every(&org.folders, 4), vec!["no-such-folder".into()]].concat(),
        calls: (0..objects.calls)
            .step_by(objects.calls / 12)
            .map(call_id)
            .chain(["no-such-call".into()])
            .collect(),
        teams: [every(&objects.teams, 6), every(&items.teams, 6)].concat(),
        advisors: every(&objects.advisors, 6),
        contacts: every(&objects.contacts, 3),
        items: items_asked,
        atoms,
        divisions: [roles.divisions.clone(), vec!["no-such-division".into()]].concat(),
        roles: [
            every(&roles.roles, 10),
            vec![items.contributor_role.clone(), items.reader_role.clone()],
        ]
        .concat(),
        actions: [roles.actions.clone(), vec!["no-such-action".into()]].concat(),
        viewers,
    };
    let (a, b) = (
        transcript(&org.model.compile(), &asked),
        transcript(&again.compile(), &asked),
    );
    assert_eq!(a.len(), b.len());
    for (x, y) in a.iter().zip(&b) {
        assert_eq!(x, y);
    }
    // The transcript is not vacuous: every family answers both ways somewhere.
    for family in [
        "profile",
        "capability",
        "folder",
        "call",
        "item",
        "network",
        "rbac",
        "action",
    ] {
        let lines: Vec<&String> = a
            .iter()
            .filter(|l| l.starts_with(&format!("{family} ")))
            .collect();
        let allowed = lines.iter().filter(|l| l.contains(" allow: ")).count();
        let denied = lines.iter().filter(|l| l.contains(" deny: ")).count();
        assert!(
            allowed > 0 && denied > 0,
            "{family}: {allowed} allowed, {denied} denied of {}",
            lines.len()
        );
    }
}

#[test]
fn the_document_type_is_serde_ready() {
    let doc = ModelDocument::from_json(SEED_PROFILE).unwrap();
    let value = serde_json::to_value(&doc).unwrap();
    let back: ModelDocument = serde_json::from_value(value).unwrap();
    assert_eq!(back, doc);
    assert_eq!(
        back.to_model().unwrap().to_json(),
        Model::from_json(SEED_PROFILE).unwrap().to_json()
    );
}
