//! The Gong adapter on the fixtures of `tests/fixtures/vendor/gong/`: every reader with the
//! exact state it loads and exact check answers, the change set it records, the writers'
//! bodies, round trips, strictness errors with their paths, lenient warnings, error bodies.

use std::collections::{BTreeMap, BTreeSet};

use orgperm::vendor::Strictness;
use orgperm::vendor::gong::{
    CallAccessChange, GongReader, Imported, call_access_response, error_response, profile_response,
    profile_users_response, profiles_response, read_call_access_filter, users_page,
};
use orgperm::{
    CallSpec, ChangeSet, Domain, ErrorKind, InputErrorKind, Level, Model, OrgErrorKind,
    ProfileErrorKind,
};
use serde_json::{Value, json};

const MAIN_WS: &str = "623457276584334";
const EMEA_WS: &str = "781234567890123456";
const APAC_WS: &str = "893456789012345678";
const ADMINS: &str = "3843152912968920001";
const MANAGERS: &str = "3843152912968920002";
const REPS: &str = "3843152912968920003";
const LEADS: &str = "3843152912968920004";
const CONTRACTORS: &str = "3843152912968920005";

fn fixture(name: &str) -> String {
    crate::common::vendor_fixture("gong", name)
}

fn value(name: &str) -> Value {
    crate::common::vendor_value("gong", name)
}

/// The fixtures' user ids, as the generator numbers them.
fn uid(i: u64) -> String {
    (234599484848000000u64 + 7919 * i).to_string()
}

fn call(k: u64) -> String {
    (7782342274025937000u64 + k).to_string()
}

/// The org chart straight from the raw pages: user -> manager.
fn managers() -> BTreeMap<String, Option<String>> {
    let mut out = BTreeMap::new();
    for p in 0..3 {
        for u in value(&format!("users-page-{p}.json"))["users"]
            .as_array()
            .unwrap()
        {
            out.insert(
                u["id"].as_str().unwrap().to_owned(),
                u["managerId"].as_str().map(str::to_owned),
            );
        }
    }
    out
}

/// The reference: `root` and everyone reporting to them, by walking manager chains.
fn subtree(managers: &BTreeMap<String, Option<String>>, root: &str) -> BTreeSet<String> {
    managers
        .keys()
        .filter(|u| {
            let mut cur = Some((*u).clone());
            while let Some(c) = cur {
                if c == root {
                    return true;
                }
                cur = managers.get(&c).cloned().flatten();
            }
            false
        })
        .cloned()
        .collect()
}

fn set<I: IntoIterator<Item = S>, S: Into<String>>(items: I) -> BTreeSet<String> {
    items.into_iter().map(Into::into).collect()
}

fn read_users(reader: &mut GongReader) {
    let mut cursors = Vec::new();
    for p in 0..3 {
        cursors.push(
            reader
                .read_users_page(&fixture(&format!("users-page-{p}.json")))
                .unwrap(),
        );
    }
    assert_eq!(
        cursors,
        [
            Some("eyJwYWdlIjo1fQ.users-1".to_owned()),
            Some("eyJwYWdlIjo2fQ.users-2".to_owned()),
            None
        ]
    );
}

const HOLDER_FILES: &[&str] = &[
    "3843152912968920001",
    "3843152912968920002",
    "3843152912968920003",
    "3843152912968920004",
    "3843152912968920005",
    "3843152912968940003",
    "3843152912968940007",
    "3843152912968950001",
];

/// The base of every import: the main workspace as the default one.
fn base() -> Model {
    Model::with_default_workspace(MAIN_WS).unwrap()
}

/// The directory and profiles of every fixture, read in one go.
fn import_profiles() -> Imported {
    let mut reader = GongReader::onto(base());
    read_users(&mut reader);
    assert_eq!(
        reader
            .read_profiles(&fixture("profiles-main.json"), Some(MAIN_WS))
            .unwrap(),
        150
    );
    assert_eq!(
        reader
            .read_profiles(&fixture("profiles-emea.json"), Some(EMEA_WS))
            .unwrap(),
        60
    );
    assert_eq!(
        reader
            .read_profiles(&fixture("profiles-apac-seed000.json"), None)
            .unwrap(),
        20
    );
    for p in HOLDER_FILES {
        reader
            .read_profile_users(&fixture(&format!("profile-users/{p}.json")), p)
            .unwrap();
    }
    reader.finish().unwrap()
}

/// Thirteen calls, owned by reps, without any grant.
fn add_calls(model: &mut Model) {
    for k in 1..=13 {
        model
            .calls_mut()
            .add_call(CallSpec::new(call(k), uid(36 + k)))
            .unwrap();
    }
}

/// Everything, calls included: the profiles import, the calls, then the call access.
fn import_all() -> Model {
    let mut model = import_profiles().model;
    add_calls(&mut model);
    let mut reader = GongReader::onto(model);
    assert_eq!(
        reader
            .read_call_access(&fixture("call-access.json"))
            .unwrap(),
        12
    );
    reader.finish().unwrap().model
}

#[test]
fn users_pages_build_the_org_chart_with_managers_listed_later() {
    let mut reader = GongReader::new();
    read_users(&mut reader);
    let import = reader.finish().unwrap();
    let want = managers();
    assert_eq!(want.len(), 300);
    assert_eq!(import.model.user_count(), 300);
    for (u, m) in &want {
        assert_eq!(import.model.manager_of(u), m.as_deref(), "{u}");
    }
    assert!(import.warnings.is_empty());
    // Every user is one addUser, managers before their reports.
    assert_eq!(import.changes.ops.len(), 300);
    let mut again = Model::new();
    import.changes.apply_to(&mut again).unwrap();
    assert_eq!(again.to_json(), import.model.to_json());
}

#[test]
fn profiles_and_holders_load_exactly() {
    let import = import_profiles();
    let model = &import.model;
    assert!(import.warnings.is_empty());
    assert_eq!(
        model.workspace_ids().collect::<Vec<_>>(),
        [MAIN_WS, EMEA_WS, APAC_WS]
    );
    assert_eq!(model.profiles_in(None).unwrap().len(), 150);
    assert_eq!(model.profiles_in(Some(EMEA_WS)).unwrap().len(), 60);
    assert_eq!(model.profiles_in(Some(APAC_WS)).unwrap().len(), 20);
    // Folders named by the profiles were added to their workspaces, and only those.
    let main_folders: Vec<String> = (1..=5)
        .map(|k| (3843152912968921000u64 + k).to_string())
        .collect();
    let emea_folders: Vec<String> = (1..=3)
        .map(|k| (3843152912968922000u64 + k).to_string())
        .collect();
    for f in main_folders.iter().chain(&emea_folders) {
        assert!(model.folder_id(f).is_some(), "{f}");
    }
    let doc: Value = serde_json::from_str(&model.to_json()).unwrap();
    let folders: BTreeSet<(String, Option<String>)> = doc["folders"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["id"].as_str().unwrap().to_owned(),
                f["workspaceId"].as_str().map(str::to_owned),
            )
        })
        .collect();
    let want: BTreeSet<(String, Option<String>)> = main_folders
        .iter()
        .map(|f| (f.clone(), None))
        .chain(
            emea_folders
                .iter()
                .map(|f| (f.clone(), Some(EMEA_WS.to_owned()))),
        )
        .collect();
    assert_eq!(folders, want);

    let holders = |p: &str| -> BTreeSet<String> { set(model.users_of_profile(p).unwrap()) };
    assert_eq!(holders(ADMINS), set([uid(0)]));
    assert_eq!(holders(MANAGERS), set((1..6).chain(8..36).map(uid)));
    assert_eq!(holders(LEADS), set([uid(6), uid(7)]));
    assert_eq!(holders(REPS), set((36..280).map(uid)));
    assert_eq!(holders(CONTRACTORS), set((280..300).map(uid)));
    assert_eq!(holders("3843152912968940003"), set((36..46).map(uid)));
    assert_eq!(
        holders("3843152912968950001"),
        set([uid(50), uid(51), uid(52)])
    );
    assert_eq!(
        model.profile_of(&uid(40), Some(EMEA_WS)),
        Some("3843152912968940003")
    );
    assert_eq!(model.profile_of(&uid(40), None), Some(REPS));
    assert_eq!(model.profile_of(&uid(60), Some(EMEA_WS)), None);

    // The seed-000 mapping.
    let apac0 = model.profile("3843152912968950000").unwrap();
    assert_eq!(apac0.workspace.as_deref(), Some(APAC_WS));
    assert_eq!(apac0.name, "APAC team 00");
    assert_eq!(apac0.access(Domain::Calls).level, Level::All);
    assert_eq!(apac0.access(Domain::Deals).level, Level::None);
    assert_eq!(
        apac0.capabilities,
        BTreeMap::from([
            ("downloadCallMedia".to_owned(), true),
            ("manageGeneralBusinessSettings".to_owned(), true),
            ("manageUsers".to_owned(), true),
            ("scoreCalls".to_owned(), false),
            ("shareCallsWithCustomers".to_owned(), true),
        ])
    );
    let apac1 = model.profile("3843152912968950001").unwrap();
    assert_eq!(apac1.access(Domain::Calls).level, Level::ReportToThem);
    assert_eq!(apac1.capabilities.get("scoreCalls"), Some(&true));
    assert_eq!(apac1.capabilities.get("downloadCallMedia"), Some(&false));
    let apac3 = model.profile("3843152912968950003").unwrap();
    assert_eq!(apac3.access(Domain::Calls).level, Level::Own);
}

#[test]
fn imported_checks_answer_exactly() {
    let model = import_all();
    let snap = model.compile();
    let chart = managers();
    let everyone: BTreeSet<String> = chart.keys().cloned().collect();
    let seen = |viewer: &str, d: Domain| -> BTreeSet<String> {
        set(snap.profiles().visible_owners(viewer, d).external_ids())
    };
    // Admins: all.
    assert_eq!(seen(&uid(0), Domain::Calls), everyone);
    assert_eq!(seen(&uid(0), Domain::ForecastEditTargets), everyone);
    // Managers: report-to-them for calls and deals, own elsewhere.
    assert_eq!(seen(&uid(8), Domain::Calls), subtree(&chart, &uid(8)));
    assert_eq!(seen(&uid(2), Domain::Deals), subtree(&chart, &uid(2)));
    assert_eq!(seen(&uid(8), Domain::Coaching), set([uid(8)]));
    // Regional leads: managers-team with leads 6 and 7; deals report-to-them (leads ignored).
    let mut leads = subtree(&chart, &uid(6));
    leads.extend(subtree(&chart, &uid(7)));
    assert_eq!(seen(&uid(6), Domain::Calls), leads);
    assert_eq!(seen(&uid(7), Domain::Calls), leads);
    assert_eq!(seen(&uid(7), Domain::Deals), subtree(&chart, &uid(7)));
    // Sales reps: managers-team without leads: their manager's team.
    let m40 = chart[&uid(40)].clone().unwrap();
    assert_eq!(seen(&uid(40), Domain::Calls), subtree(&chart, &m40));
    assert_eq!(seen(&uid(40), Domain::Emails), set([uid(40)]));
    assert!(seen(&uid(40), Domain::Coaching).is_empty());
    // Contractors: own calls only.
    assert_eq!(seen(&uid(290), Domain::Calls), set([uid(290)]));
    assert!(snap.can_access(uid(290).as_str(), Domain::Calls, uid(290).as_str()));
    assert!(!snap.can_access(uid(290).as_str(), Domain::Calls, uid(291).as_str()));

    // Capabilities, documented and the tenant's own.
    assert!(snap.has_capability(uid(0).as_str(), "scoreCalls"));
    assert!(snap.has_capability(uid(6).as_str(), "overrideScore"));
    assert!(!snap.has_capability(uid(40).as_str(), "scoreCalls"));
    assert!(snap.has_capability(uid(40).as_str(), "callsAndSearch"));
    assert!(snap.has_capability(uid(290).as_str(), "tenantBetaFlag"));
    assert!(!snap.has_capability(uid(40).as_str(), "tenantBetaFlag"));

    // Library folders.
    let f1 = "3843152912968921001";
    let f2 = "3843152912968921002";
    let f5 = "3843152912968921005";
    assert!(snap.profiles().can_access_folder(uid(40).as_str(), f1));
    assert!(!snap.profiles().can_access_folder(uid(40).as_str(), f2));
    assert!(snap.profiles().can_access_folder(uid(8).as_str(), f2));
    assert!(!snap.profiles().can_access_folder(uid(8).as_str(), f5));
    assert!(snap.profiles().can_access_folder(uid(6).as_str(), f5));
    assert!(!snap.profiles().can_access_folder(uid(290).as_str(), f1));

    // Another workspace answers from its own profile.
    let emea = value("profiles-emea.json");
    let p3 = emea["profiles"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == "3843152912968940003")
        .unwrap();
    let level = p3["callsAccess"]["permissionLevel"].as_str().unwrap();
    let leads: Vec<String> = p3["callsAccess"]["teamLeadIds"]
        .as_array()
        .map(|l| l.iter().map(|x| x.as_str().unwrap().to_owned()).collect())
        .unwrap_or_default();
    let viewer = uid(40);
    let want: BTreeSet<String> = match level {
        "all" => everyone.clone(),
        "own" => set([viewer.clone()]),
        "none" => BTreeSet::new(),
        "report-to-them" => subtree(&chart, &viewer),
        _ if leads.is_empty() => subtree(&chart, chart[&viewer].as_deref().unwrap()),
        _ => {
            let mut s = set([viewer.clone()]);
            for l in &leads {
                s.extend(subtree(&chart, l));
            }
            s
        }
    };
    assert_eq!(
        set(snap
            .in_workspace(EMEA_WS)
            .visible_owners(viewer.as_str(), Domain::Calls)
            .external_ids()),
        want
    );
    // No profile in APAC: nothing; a seed-000 holder there: report-to-them.
    assert!(
        snap.in_workspace(APAC_WS)
            .visible_owners(viewer.as_str(), Domain::Calls)
            .is_empty()
    );
    assert_eq!(
        set(snap
            .in_workspace(APAC_WS)
            .visible_owners(uid(50).as_str(), Domain::Calls)
            .external_ids()),
        subtree(&chart, &uid(50))
    );

    // Individual call grants open calls their scope does not reach.
    let c2 = call(2);
    let granted: Vec<String> = model
        .calls()
        .call_grants(&c2)
        .unwrap()
        .into_iter()
        .map(str::to_owned)
        .collect();
    assert_eq!(granted, [uid(50), uid(63)]);
    for u in &granted {
        assert!(snap.calls().can_open(u.as_str(), c2.as_str()), "{u}");
    }
}

#[test]
fn the_change_set_leads_from_the_base_to_the_import() {
    let import = import_profiles();
    let json = import.changes.to_json();
    let changes = ChangeSet::from_json(&json).unwrap();
    let mut model = base();
    changes.apply_to(&mut model).unwrap();
    assert_eq!(model.to_json(), import.model.to_json());
    let names: BTreeMap<String, usize> =
        import
            .changes
            .ops
            .iter()
            .fold(BTreeMap::new(), |mut acc, op| {
                let v = serde_json::to_value(op).unwrap();
                *acc.entry(v["op"].as_str().unwrap().to_owned()).or_default() += 1;
                acc
            });
    assert_eq!(
        names,
        BTreeMap::from([
            ("addUser".to_owned(), 300),
            ("addWorkspace".to_owned(), 2),
            ("addFolder".to_owned(), 8),
            ("createProfile".to_owned(), 230),
            ("assignProfile".to_owned(), 300 + 10 + 5 + 3),
        ])
    );
    // Read again onto the result: nothing differs, so nothing is recorded.
    let mut reader = GongReader::onto(import.model.clone());
    read_users(&mut reader);
    reader
        .read_profiles(&fixture("profiles-main.json"), Some(MAIN_WS))
        .unwrap();
    reader
        .read_profiles(&fixture("profiles-apac-seed000.json"), None)
        .unwrap();
    reader
        .read_profile_users(&fixture(&format!("profile-users/{REPS}.json")), REPS)
        .unwrap();
    assert!(reader.finish().unwrap().changes.ops.is_empty());
}

#[test]
fn single_profile_body_updates_one_profile() {
    let import = import_profiles();
    let mut reader = GongReader::onto(import.model);
    let id = reader
        .read_profile(&fixture("profile-sales-reps.json"), Some(MAIN_WS))
        .unwrap();
    assert_eq!(id, REPS);
    let out = reader.finish().unwrap();
    assert_eq!(out.changes.ops.len(), 1);
    let op = serde_json::to_value(&out.changes.ops[0]).unwrap();
    assert_eq!(op["op"], "updateProfile");
    assert_eq!(op["profile"]["id"], REPS);
    assert_eq!(op["profile"]["callsAccess"]["permissionLevel"], "own");
    let spec = out.model.profile(REPS).unwrap();
    assert_eq!(spec.access(Domain::Calls).level, Level::Own);
    assert_eq!(spec.description, "Account executives (restricted)");
    // The holders stayed.
    assert_eq!(out.model.users_of_profile(REPS).unwrap().len(), 244);
    let snap = out.model.compile();
    assert_eq!(
        set(snap
            .profiles()
            .visible_owners(uid(40).as_str(), Domain::Calls)
            .external_ids()),
        set([uid(40)])
    );
}

#[test]
fn a_listing_deletes_the_profiles_it_leaves_out() {
    let import = import_profiles();
    let mut listing = value("profiles-main.json");
    listing["profiles"]
        .as_array_mut()
        .unwrap()
        .retain(|p| p["id"] != CONTRACTORS);
    let mut reader = GongReader::onto(import.model);
    assert_eq!(
        reader
            .read_profiles(&listing.to_string(), Some(MAIN_WS))
            .unwrap(),
        149
    );
    let out = reader.finish().unwrap();
    let ops: Vec<Value> = out
        .changes
        .ops
        .iter()
        .map(|op| serde_json::to_value(op).unwrap())
        .collect();
    let mut want: Vec<Value> = (280..300)
        .map(|i| json!({"op": "unassignProfile", "userId": uid(i), "workspaceId": null}))
        .collect();
    want.push(json!({"op": "deleteProfile", "id": CONTRACTORS}));
    assert_eq!(ops, want);
    assert!(out.model.profile(CONTRACTORS).is_none());
    assert_eq!(out.model.profile_of(&uid(290), None), None);
    assert!(
        !out.model
            .compile()
            .can_access(uid(290).as_str(), Domain::Calls, uid(290).as_str())
    );
}

#[test]
fn call_access_listing_give_and_remove() {
    let mut model = import_profiles().model;
    add_calls(&mut model);
    let mut reader = GongReader::onto(model);
    assert_eq!(
        reader
            .read_call_access(&fixture("call-access.json"))
            .unwrap(),
        12
    );
    let listing = value("call-access.json");
    for entry in listing["callAccessList"].as_array().unwrap() {
        let c = entry["callId"].as_str().unwrap();
        let want: Vec<&str> = entry["users"]
            .as_array()
            .unwrap()
            .iter()
            .map(|u| u["userId"].as_str().unwrap())
            .collect();
        assert_eq!(reader.model().calls().call_grants(c).unwrap(), want, "{c}");
    }
    // The listing written back for the filter's calls is the listing read.
    let ids =
        read_call_access_filter(&fixture("call-access-filter.json"), Strictness::Strict).unwrap();
    assert_eq!(ids, (1..=12).map(call).collect::<Vec<_>>());
    let refs: Vec<&str> = ids.iter().map(String::as_str).collect();
    assert_eq!(
        call_access_response(reader.model(), &refs, "1gr67emffgziy4thz11")
            .unwrap()
            .to_value(),
        listing
    );
    // PUT: two new grants on call 1, one on call 13.
    assert_eq!(
        reader
            .read_call_access_change(&fixture("call-access-give.json"), CallAccessChange::Give)
            .unwrap(),
        3
    );
    assert_eq!(
        reader.model().calls().call_grants(&call(1)).unwrap(),
        [uid(43), uid(100), uid(101)]
    );
    assert_eq!(
        reader.model().calls().call_grants(&call(13)).unwrap(),
        [uid(0)]
    );
    // DELETE: 100 loses it, 299 never had it.
    assert_eq!(
        reader
            .read_call_access_change(
                &fixture("call-access-remove.json"),
                CallAccessChange::Remove
            )
            .unwrap(),
        1
    );
    assert_eq!(
        reader.model().calls().call_grants(&call(1)).unwrap(),
        [uid(43), uid(101)]
    );
    let out = reader.finish().unwrap();
    let ops: Vec<Value> = out
        .changes
        .ops
        .iter()
        .map(|op| serde_json::to_value(op).unwrap())
        .collect();
    let grants = ops.iter().filter(|o| o["op"] == "grantCall").count();
    let revokes: Vec<&Value> = ops
        .iter()
        .filter(|o| o["op"] == "revokeCallGrant")
        .collect();
    let listed: usize = listing["callAccessList"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["users"].as_array().unwrap().len())
        .sum();
    assert_eq!(grants, listed + 3);
    assert_eq!(
        revokes,
        [&json!({"op": "revokeCallGrant", "callId": call(1), "userId": uid(100)})]
    );
    // A second listing takes back what it does not list.
    let mut reader = GongReader::onto(out.model);
    reader
        .read_call_access(
            &json!({"requestId": "r", "callAccessList": [{"callId": call(1), "users": []}]})
                .to_string(),
        )
        .unwrap();
    let out = reader.finish().unwrap();
    assert!(out.model.calls().call_grants(&call(1)).unwrap().is_empty());
    assert_eq!(out.changes.ops.len(), 2);
}

#[test]
fn listings_are_written_back_exactly() {
    let model = import_all();
    assert_eq!(
        profiles_response(&model, None, "4al018gzaztcr8nbukw")
            .unwrap()
            .to_value(),
        value("profiles-main.json")
    );
    assert_eq!(
        profiles_response(&model, Some(EMEA_WS), "5bm129haabudt9ocvlx")
            .unwrap()
            .to_value(),
        value("profiles-emea.json")
    );
    // Users of a profile: the seed-000 `userId` shape, sorted.
    let body = profile_users_response(&model, LEADS, "r-1").unwrap();
    assert_eq!(
        body.to_value(),
        json!({"requestId": "r-1", "users": [{"userId": uid(6)}, {"userId": uid(7)}]})
    );
    // One profile: the listing's element.
    let listing = value("profiles-main.json");
    let admins = listing["profiles"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == ADMINS)
        .unwrap()
        .clone();
    assert_eq!(
        profile_response(&model, ADMINS, "r-2").unwrap().to_value(),
        json!({"requestId": "r-2", "profile": admins})
    );
    // Seed 000 read, written as DTOs, read again: the same profiles.
    let apac = profiles_response(&model, Some(APAC_WS), "r-3").unwrap();
    let mut reader = GongReader::onto(model.clone());
    reader
        .read_profiles(&apac.to_json(), Some(APAC_WS))
        .unwrap();
    assert!(reader.finish().unwrap().changes.ops.is_empty());
}

#[test]
fn model_to_gong_bodies_to_model_is_identical() {
    let model = import_all();
    let mut reader = GongReader::onto(base());
    let mut cursor: Option<String> = None;
    let mut pages = 0;
    loop {
        let page = users_page(&model, cursor.as_deref(), 128, &format!("u{pages}")).unwrap();
        pages += 1;
        let next = reader.read_users_page(&page.to_json()).unwrap();
        assert_eq!(next, page.records.cursor);
        match next {
            Some(c) => cursor = Some(c),
            None => break,
        }
    }
    assert_eq!(pages, 3);
    let workspaces: Vec<Option<&str>> = vec![None, Some(EMEA_WS), Some(APAC_WS)];
    for ws in &workspaces {
        let body = profiles_response(&model, *ws, "p").unwrap();
        let named = ws.unwrap_or(MAIN_WS);
        reader.read_profiles(&body.to_json(), Some(named)).unwrap();
    }
    for ws in &workspaces {
        for p in model.profiles_in(*ws).unwrap() {
            let body = profile_users_response(&model, &p.id, "h").unwrap();
            reader.read_profile_users(&body.to_json(), &p.id).unwrap();
        }
    }
    let mut rebuilt = reader.finish().unwrap().model;
    add_calls(&mut rebuilt);
    let ids: Vec<String> = (1..=13).map(call).collect();
    let refs: Vec<&str> = ids.iter().map(String::as_str).collect();
    let mut reader = GongReader::onto(rebuilt);
    reader
        .read_call_access(&call_access_response(&model, &refs, "c").unwrap().to_json())
        .unwrap();
    let rebuilt = reader.finish().unwrap().model;
    assert_eq!(rebuilt.to_json(), model.to_json());
}

// ---- strictness ------------------------------------------------------------------------------

fn unknown(expected: &'static [&'static str]) -> ErrorKind {
    ErrorKind::Input(InputErrorKind::UnknownField { expected })
}

const ACCESS: &[&str] = &["permissionLevel", "teamLeadIds"];
const PROFILE: &[&str] = &[
    "id",
    "name",
    "description",
    "workspaceId",
    "callsAccess",
    "dealsAccess",
    "emailsAccess",
    "coachingAccess",
    "insightsAccess",
    "usageAccess",
    "forecastPermissions",
    "libraryFolderAccess",
];

/// The main listing with one edit applied to its third profile.
fn main_with(edit: impl FnOnce(&mut serde_json::Map<String, Value>)) -> String {
    let mut listing = value("profiles-main.json");
    edit(listing["profiles"][2].as_object_mut().unwrap());
    listing.to_string()
}

fn rename(obj: &mut serde_json::Map<String, Value>, from: &str, to: &str) {
    let v = obj.remove(from).unwrap();
    obj.insert(to.to_owned(), v);
}

/// A reader holding the fixture's users, to read profiles against.
fn with_users() -> GongReader {
    let mut reader = GongReader::onto(base());
    read_users(&mut reader);
    reader
}

#[test]
fn strict_profile_errors_name_their_path() {
    let third = value("profiles-main.json")["profiles"][2]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let cases: Vec<(String, &str, ErrorKind)> = vec![
        (
            main_with(|p| {
                rename(
                    p["callsAccess"].as_object_mut().unwrap(),
                    "permissionLevel",
                    "permissionLevl",
                )
            }),
            "profiles[2].callsAccess.permissionLevl",
            unknown(ACCESS),
        ),
        (
            main_with(|p| {
                rename(
                    p["forecastPermissions"].as_object_mut().unwrap(),
                    "forecastAccess",
                    "forecastAcces",
                )
            }),
            "profiles[2].forecastPermissions.forecastAcces",
            unknown(&[
                "forecastAccess",
                "forecastEditSubmissions",
                "forecastEditTargets",
            ]),
        ),
        (
            main_with(|p| {
                p["libraryFolderAccess"]["libraryFolderIDs"] = json!([]);
            }),
            "profiles[2].libraryFolderAccess.libraryFolderIDs",
            unknown(&[
                "permissionLevel",
                "libraryFolderIds",
                "managePublicFolder",
                "manageStreams",
                "manageFolderCalls",
                "shareFoldersAndStreams",
            ]),
        ),
        (
            main_with(|p| rename(p, "callsAccess", "callsAcess")),
            "profiles[2].callsAcess",
            unknown(PROFILE),
        ),
        (
            main_with(|p| {
                p["dealsAccess"]["teamLeadIds"] = json!("x");
            }),
            "profiles[2].dealsAccess.teamLeadIds",
            ErrorKind::Input(InputErrorKind::WrongType {
                expected: "an array".into(),
                found: "\"x\"".into(),
            }),
        ),
        (
            main_with(|p| {
                p["callsAccess"]["permissionLevel"] =
                    json!("all / managers-team / report-to-them / own / none");
            }),
            "profiles[2].callsAccess.permissionLevel",
            ErrorKind::Profile(ProfileErrorKind::InvalidLevel {
                value: "all / managers-team / report-to-them / own / none".into(),
            }),
        ),
        (
            main_with(|p| {
                p["usageAccess"] = json!({"teamLeadIds": []});
            }),
            "profiles[2].usageAccess.permissionLevel",
            ErrorKind::Profile(ProfileErrorKind::MissingLevel),
        ),
        (
            main_with(|p| {
                p["callsAccess"] =
                    json!({"permissionLevel": "managers-team", "teamLeadIds": ["999"]});
            }),
            "profiles[2].callsAccess.teamLeadIds[0]",
            ErrorKind::Org(OrgErrorKind::UnknownUser { id: "999".into() }),
        ),
        (
            main_with(|p| {
                p["libraryFolderAccess"] =
                    json!({"permissionLevel": "none", "manageStreams": true});
            }),
            "profiles[2].libraryFolderAccess.permissionLevel",
            ErrorKind::Profile(ProfileErrorKind::LibraryNoneWithGrants),
        ),
        (
            main_with(|p| {
                p["name"] = json!("");
            }),
            "profiles[2].name",
            ErrorKind::Profile(ProfileErrorKind::MissingName),
        ),
    ];
    for (body, path, kind) in cases {
        let mut reader = with_users();
        let before = reader.model().to_json();
        let err = reader.read_profiles(&body, Some(MAIN_WS)).unwrap_err();
        assert_eq!(err.path(), path);
        assert_eq!(err.kind(), &kind, "{path}");
        assert_eq!(err.record_id(), Some(third.as_str()), "{path}");
        // Nothing of the body was applied.
        assert_eq!(reader.model().to_json(), before);
        assert!(
            reader
                .finish()
                .unwrap()
                .model
                .profiles_in(None)
                .unwrap()
                .is_empty()
        );
    }
}

#[test]
fn strict_errors_in_the_other_bodies() {
    // Users page.
    let mut page = value("users-page-0.json");
    page["users"][3]["nickname"] = json!("al");
    let err = GongReader::new()
        .read_users_page(&page.to_string())
        .unwrap_err();
    assert_eq!(err.path(), "users[3].nickname");
    assert_eq!(err.kind(), &unknown(&["id", "managerId"]));
    let mut page = value("users-page-0.json");
    page["records"]["pageCount"] = json!(3);
    let err = GongReader::new()
        .read_users_page(&page.to_string())
        .unwrap_err();
    assert_eq!(err.path(), "records.pageCount");
    let mut page = value("users-page-0.json");
    page["recordz"] = json!({});
    let err = GongReader::new()
        .read_users_page(&page.to_string())
        .unwrap_err();
    assert_eq!(err.path(), "recordz");
    assert_eq!(err.kind(), &unknown(&["records", "users"]));

    // Seed 000.
    let mut apac = value("profiles-apac-seed000.json");
    apac["permissionProfiles"][4]["usercount"] = json!(1);
    let err = GongReader::new()
        .read_profiles(&apac.to_string(), None)
        .unwrap_err();
    assert_eq!(err.path(), "permissionProfiles[4].usercount");
    assert_eq!(
        err.kind(),
        &unknown(&[
            "profileId",
            "name",
            "description",
            "workspaceId",
            "permissions"
        ])
    );
    assert_eq!(err.record_id(), Some("3843152912968950004"));
    let mut apac = value("profiles-apac-seed000.json");
    apac["permissionProfiles"][0]["permissions"]["viewAllCall"] = json!("yes");
    let err = GongReader::new()
        .read_profiles(&apac.to_string(), None)
        .unwrap_err();
    assert_eq!(err.path(), "permissionProfiles[0].permissions.viewAllCall");
    let mut apac = value("profiles-apac-seed000.json");
    apac["permissionProfiles"][3]["workspaceId"] = json!("other");
    let err = GongReader::new()
        .read_profiles(&apac.to_string(), None)
        .unwrap_err();
    assert_eq!(err.path(), "permissionProfiles[3].workspaceId");
    assert!(matches!(
        err.kind(),
        ErrorKind::Input(InputErrorKind::Conflict { .. })
    ));

    // Users of a profile.
    let import = import_profiles();
    let mut body = value(&format!("profile-users/{LEADS}.json"));
    body["users"][1]["email"] = json!("x@y");
    let mut reader = GongReader::onto(import.model.clone());
    let err = reader
        .read_profile_users(&body.to_string(), LEADS)
        .unwrap_err();
    assert_eq!(err.path(), "users[1].email");
    assert_eq!(err.kind(), &unknown(&["id", "userId"]));
    let err = reader
        .read_profile_users(r#"{"users": [{"id": "404"}]}"#, LEADS)
        .unwrap_err();
    assert_eq!(err.to_string(), "users[0].id: unknown user \"404\"");
    let err = reader
        .read_profile_users(r#"{"users": []}"#, "nope")
        .unwrap_err();
    assert_eq!(err.to_string(), "profileId: unknown profile \"nope\"");
    assert_eq!(
        reader.model().users_of_profile(LEADS).unwrap(),
        [uid(6), uid(7)]
    );

    // Call access.
    let mut model = import.model;
    add_calls(&mut model);
    let mut reader = GongReader::onto(model);
    let mut body = value("call-access.json");
    body["callAccessList"][1]["users"][0]["userID"] = json!("1");
    let err = reader.read_call_access(&body.to_string()).unwrap_err();
    assert_eq!(err.path(), "callAccessList[1].users[0].userID");
    assert_eq!(err.kind(), &unknown(&["userId"]));
    let err = reader
        .read_call_access_change(
            &json!({"callAccessList": [{"callId": call(1), "userId": [uid(1)]}]}).to_string(),
            CallAccessChange::Give,
        )
        .unwrap_err();
    assert_eq!(err.path(), "callAccessList[0].userId");
    assert_eq!(err.kind(), &unknown(&["callId", "userIds"]));
    let err = reader
        .read_call_access_change(
            &json!({"callAccessList": [{"callId": "404", "userIds": []}]}).to_string(),
            CallAccessChange::Give,
        )
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "callAccessList[0].callId: unknown call \"404\""
    );
    // Nothing applied by the failing bodies.
    assert!(reader.finish().unwrap().changes.ops.is_empty());
}

#[test]
fn repeated_fields_and_syntax() {
    let mut reader = GongReader::new();
    let err = reader
        .read_profiles(
            r#"{"profiles": [{"id": "p", "name": "A", "name": "B"}]}"#,
            None,
        )
        .unwrap_err();
    assert_eq!(err.path(), "profiles[0].name");
    assert_eq!(
        err.kind(),
        &ErrorKind::Input(InputErrorKind::DuplicateField)
    );
    let err = reader
        .read_profiles(
            r#"{"profiles": [{"id": "p", "name": "A", "scoreCalls": true, "scoreCalls": false}]}"#,
            None,
        )
        .unwrap_err();
    assert_eq!(err.path(), "profiles[0].scoreCalls");
    assert_eq!(
        err.kind(),
        &ErrorKind::Input(InputErrorKind::DuplicateField)
    );
    let err = reader
        .read_profiles(
            r#"{"profiles": [{"id": "p", "name": "A"}, {"id": "p", "name": "B"}]}"#,
            None,
        )
        .unwrap_err();
    assert_eq!(err.path(), "profiles[1].id");
    assert_eq!(
        err.kind(),
        &ErrorKind::Input(InputErrorKind::DuplicateId { id: "p".into() })
    );
    let err = reader
        .read_profiles(r#"{"profiles": [], "permissionProfiles": []}"#, None)
        .unwrap_err();
    assert_eq!(err.path(), "permissionProfiles");
    let err = reader
        .read_profiles(r#"{"requestId": "x"}"#, None)
        .unwrap_err();
    assert_eq!(err.path(), "profiles");
    assert_eq!(err.kind(), &ErrorKind::Input(InputErrorKind::Required));
    let err = reader
        .read_profiles(r#"{"profiles": [}"#, None)
        .unwrap_err();
    assert_eq!(err.path(), "");
    assert!(matches!(
        err.kind(),
        ErrorKind::Input(InputErrorKind::Syntax { .. })
    ));
}

#[test]
fn paging_is_checked() {
    let invalid = |reason: &'static str| ErrorKind::Input(InputErrorKind::InvalidPaging { reason });
    // Page 1 first.
    let err = GongReader::new()
        .read_users_page(&fixture("users-page-1.json"))
        .unwrap_err();
    assert_eq!(err.path(), "records.currentPageNumber");
    assert_eq!(
        err.kind(),
        &invalid("pages must be read in order, from page 0")
    );
    // A page size that does not count the page.
    let mut page = value("users-page-0.json");
    page["records"]["currentPageSize"] = json!(99);
    let err = GongReader::new()
        .read_users_page(&page.to_string())
        .unwrap_err();
    assert_eq!(err.path(), "records.currentPageSize");
    // Stopping after page 0: the other bodies and finish are refused.
    let mut reader = GongReader::new();
    reader
        .read_users_page(&fixture("users-page-0.json"))
        .unwrap();
    let err = reader
        .read_profiles(r#"{"profiles": []}"#, None)
        .unwrap_err();
    assert_eq!(err.path(), "records.cursor");
    assert_eq!(
        err.kind(),
        &invalid("the users listing has more pages: read them before other bodies")
    );
    let err = reader.clone().finish().unwrap_err();
    assert_eq!(err.path(), "records.cursor");
    // A last page that leaves totalRecords unmet.
    reader
        .read_users_page(&fixture("users-page-1.json"))
        .unwrap();
    let mut last = value("users-page-2.json");
    last["users"].as_array_mut().unwrap().pop();
    last["records"]["currentPageSize"] = json!(99);
    let err = reader.read_users_page(&last.to_string()).unwrap_err();
    assert_eq!(err.path(), "records.totalRecords");
    assert_eq!(
        err.kind(),
        &invalid("the last page leaves totalRecords unmet")
    );
    // The same user on two pages.
    let mut dup = value("users-page-2.json");
    dup["users"][0]["id"] = value("users-page-0.json")["users"][0]["id"].clone();
    let err = reader.read_users_page(&dup.to_string()).unwrap_err();
    assert_eq!(err.path(), "users[0].id");
    assert!(matches!(
        err.kind(),
        ErrorKind::Input(InputErrorKind::DuplicateId { .. })
    ));
    // The real last page is still accepted, and then nothing more.
    assert_eq!(
        reader
            .read_users_page(&fixture("users-page-2.json"))
            .unwrap(),
        None
    );
    let err = reader
        .read_users_page(&fixture("users-page-2.json"))
        .unwrap_err();
    assert_eq!(err.path(), "records");
    assert_eq!(reader.finish().unwrap().model.user_count(), 300);
}

#[test]
fn manager_cycles_and_unknown_managers() {
    let err = GongReader::new()
        .read_users_page(r#"{"users": [{"id": "a", "managerId": "b"}, {"id": "b", "managerId": "c"}, {"id": "c", "managerId": "b"}]}"#)
        .unwrap_err();
    assert_eq!(err.path(), "users[1].managerId");
    assert_eq!(
        err.kind(),
        &ErrorKind::Org(OrgErrorKind::ManagerCycle {
            users: vec!["b".into(), "c".into()]
        })
    );
    let err = GongReader::new()
        .read_users_page(r#"{"users": [{"id": "a", "managerId": "zz"}]}"#)
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "users[0] (id \"a\").managerId: unknown user \"zz\""
    );
    // Moving existing users: a manager listed after their new reports.
    let mut model = Model::new();
    model.add_user("a", None).unwrap();
    model.add_user("b", Some("a")).unwrap();
    let mut reader = GongReader::onto(model);
    reader
        .read_users_page(r#"{"users": [{"id": "a", "managerId": "b"}, {"id": "b"}]}"#)
        .unwrap();
    let out = reader.finish().unwrap();
    assert_eq!(out.model.manager_of("a"), Some("b"));
    assert_eq!(out.model.manager_of("b"), None);
    assert_eq!(
        out.changes.to_json(),
        r#"{"version":1,"ops":[{"op":"moveUser","id":"b","managerId":null},{"op":"moveUser","id":"a","managerId":"b"}]}"#
    );
}

#[test]
fn lenient_mode_returns_warnings() {
    let mut page = value("users-page-0.json");
    page["users"][3]["nickname"] = json!("al");
    page["pageInfo"] = json!({});
    let body = main_with(|p| {
        p["callsAccess"]["teamLeadIDs"] = json!(["not-a-user"]);
        p.insert("customSection".to_owned(), json!({"x": 1}));
    });
    let mut reader = GongReader::onto(base()).with_strictness(Strictness::Lenient);
    reader.read_users_page(&page.to_string()).unwrap();
    reader
        .read_users_page(&fixture("users-page-1.json"))
        .unwrap();
    reader
        .read_users_page(&fixture("users-page-2.json"))
        .unwrap();
    reader.read_profiles(&body, Some(MAIN_WS)).unwrap();
    let out = reader.finish().unwrap();
    let got: Vec<(String, InputErrorKind)> = out
        .warnings
        .iter()
        .map(|w| (w.path().to_owned(), w.kind().clone()))
        .collect();
    assert_eq!(
        got,
        [
            (
                "pageInfo".to_owned(),
                InputErrorKind::UnknownField {
                    expected: &["records", "users"]
                }
            ),
            (
                "users[3].nickname".to_owned(),
                InputErrorKind::UnknownField {
                    expected: &["id", "managerId"]
                }
            ),
            // A profile's own fields are checked before its nested objects.
            (
                "profiles[2].customSection".to_owned(),
                InputErrorKind::UnknownField { expected: PROFILE }
            ),
            (
                "profiles[2].callsAccess.teamLeadIDs".to_owned(),
                InputErrorKind::UnknownField { expected: ACCESS }
            ),
        ]
    );
    // The rest was read as the strict reader reads the clean bodies.
    let third = value("profiles-main.json")["profiles"][2].clone();
    let id = third["id"].as_str().unwrap();
    let clean = import_profiles().model;
    assert_eq!(out.model.profile(id), clean.profile(id));
    assert_eq!(out.model.user_count(), 300);
    // A wrong type stays an error.
    let bad = main_with(|p| {
        p["callsAccess"]["permissionLevel"] = json!(3);
    });
    let mut reader = with_users().with_strictness(Strictness::Lenient);
    let err = reader.read_profiles(&bad, Some(MAIN_WS)).unwrap_err();
    assert_eq!(err.path(), "profiles[2].callsAccess.permissionLevel");
    assert!(reader.warnings().is_empty());
}

#[test]
fn error_bodies() {
    let model = import_all();
    let err = profile_response(&model, "404", "req-9").unwrap_err();
    let body = error_response("req-9", &err);
    assert_eq!(body.status, 404);
    assert_eq!(
        body.to_value(),
        json!({"requestId": "req-9", "errors": ["profileId: unknown profile \"404\""]})
    );
    let err = call_access_response(&model, &[call(1).as_str(), "9"], "req-10").unwrap_err();
    let body = error_response("req-10", &err);
    assert_eq!(body.status, 404);
    assert_eq!(
        body.to_json(),
        r#"{"requestId":"req-10","errors":["filter.callIds[1]: unknown call \"9\""]}"#
    );
    let err = GongReader::new()
        .read_profiles(
            r#"{"profiles": [{"id": "p", "name": "A", "callsAccess": {"permissionLevl": "own"}}]}"#,
            None,
        )
        .unwrap_err();
    let body = error_response("req-11", &err);
    assert_eq!(body.status, 400);
    assert_eq!(
        body.to_value(),
        json!({"requestId": "req-11", "errors": ["profiles[0] (id \"p\").callsAccess.permissionLevl: unknown field, expected permissionLevel or teamLeadIds"]})
    );
    let err = users_page(&model, Some("x"), 10, "r").unwrap_err();
    assert_eq!(error_response("req-12", &err).status, 400);
    assert_eq!(err.path(), "cursor");
}
