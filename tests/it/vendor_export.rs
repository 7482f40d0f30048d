//! Export folders (`orgperm::vendor::export`) on the samples of `examples/data/vendor/`: each
//! folder reads in strict mode without warnings into an exact state (users and managers,
//! allow and deny checks of the compiled model), and its change set replays on the base to
//! the same model. Then the errors, each in a broken copy of a sample made in a temp dir:
//! the manifest's fields, readers and parameters, paths leaving the folder, missing files,
//! errors inside a body or the base, the manifest version, and lenient mode.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use orgperm::vendor::export::{ExportError, MANIFEST, Vendor, manifest_vendor, read_export};
use orgperm::vendor::{Imported, Strictness};
use orgperm::{
    Domain, ErrorKind, InputErrorKind, Model, NetworkFeature, RbacErrorKind, Subject, Verb,
};
use serde_json::{Value, json};

fn sample(vendor: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("examples/data/vendor")
        .join(vendor)
}

fn read(vendor: &str) -> Imported {
    let import = read_export(&sample(vendor), Strictness::Strict)
        .unwrap_or_else(|e| panic!("{vendor}: {e}"));
    assert!(
        import.warnings.is_empty(),
        "{vendor}: {:?}",
        import.warnings
    );
    import
}

/// The users of a model with their managers.
fn managers(model: &Model) -> BTreeMap<String, Option<String>> {
    model
        .user_ids()
        .map(|u| (u.to_owned(), model.manager_of(u).map(str::to_owned)))
        .collect()
}

fn chart(pairs: &[(&str, Option<&str>)]) -> BTreeMap<String, Option<String>> {
    pairs
        .iter()
        .map(|(u, m)| ((*u).to_owned(), m.map(str::to_owned)))
        .collect()
}

/// How many operations of each kind the change set holds.
fn op_counts(import: &Imported) -> BTreeMap<String, usize> {
    let ops: Value = serde_json::from_str(&import.changes.to_json()).unwrap();
    let mut out = BTreeMap::new();
    for op in ops["ops"].as_array().unwrap() {
        *out.entry(op["op"].as_str().unwrap().to_owned())
            .or_default() += 1;
    }
    out
}

fn counts(pairs: &[(&str, usize)]) -> BTreeMap<String, usize> {
    pairs.iter().map(|(k, n)| ((*k).to_owned(), *n)).collect()
}

/// The change set leads from the folder's base document to the model read.
fn replays_on_base(vendor: &str, import: &Imported) {
    let text = std::fs::read_to_string(sample(vendor).join("base.json")).unwrap();
    let mut base = Model::from_json(&text).unwrap();
    import.changes.apply_to(&mut base).unwrap();
    assert_eq!(base.to_json(), import.model.to_json(), "{vendor}");
}

// ---- gong ----------------------------------------------------------------------------------

const GONG_MAIN: &str = "623457276584334";
const GONG_APAC: &str = "893456789012345678";

/// Gong user `n` of the sample (Maya Chen is 1, Noah Reed 14).
fn g(n: u32) -> String {
    format!("2345994848480000{n:02}")
}

fn gong_call(k: u32) -> String {
    format!("778234227402593700{k}")
}

#[test]
fn gong_sample_reads_exactly() {
    assert_eq!(manifest_vendor(&sample("gong")).unwrap(), Vendor::Gong);
    let import = read("gong");
    let m = &import.model;
    let ids: Vec<String> = (1..=14).map(g).collect();
    let id = |n: usize| ids[n - 1].as_str();
    // Page 0 names managers listed on page 1; Fay Kim (9) moved from Jo Ortiz (2) to Gus
    // Tran (3); Noah Reed (14) is new; Kai Wong (12, inactive in Gong) stays.
    assert_eq!(
        managers(m),
        chart(&[
            (id(1), None),
            (id(2), Some(id(1))),
            (id(3), Some(id(1))),
            (id(4), Some(id(2))),
            (id(5), Some(id(2))),
            (id(6), Some(id(2))),
            (id(7), Some(id(3))),
            (id(8), Some(id(3))),
            (id(9), Some(id(3))),
            (id(10), Some(id(1))),
            (id(11), Some(id(10))),
            (id(12), Some(id(10))),
            (id(13), Some(id(1))),
            (id(14), Some(id(3))),
        ])
    );
    assert_eq!(
        m.workspace_ids().collect::<Vec<_>>(),
        [GONG_MAIN, GONG_APAC]
    );
    assert_eq!(
        m.calls().call_grants(&gong_call(1)).unwrap(),
        [id(8)] // the stale grant of the base (Cara Diaz) is gone
    );
    assert_eq!(
        m.calls().call_grants(&gong_call(2)).unwrap(),
        [id(5), id(11)]
    );
    assert!(m.calls().call_grants(&gong_call(3)).unwrap().is_empty());

    let snap = m.compile();
    // Admins: every call.
    assert!(snap.can_access(id(1), Domain::Calls, id(12)));
    assert!(snap.can_access(id(13), Domain::Deals, id(7)));
    // Managers: their reports (report-to-them), Fay Kim now under Gus Tran.
    assert!(snap.can_access(id(2), Domain::Calls, id(4)));
    assert!(!snap.can_access(id(2), Domain::Calls, id(7)));
    assert!(!snap.can_access(id(2), Domain::Deals, id(9)));
    assert!(snap.can_access(id(3), Domain::Deals, id(9)));
    assert!(snap.can_access(id(3), Domain::Calls, id(14)));
    // Sales reps: their manager's team for calls, their own deals.
    assert!(snap.can_access(id(4), Domain::Calls, id(5)));
    assert!(snap.can_access(id(4), Domain::Calls, id(2)));
    assert!(!snap.can_access(id(4), Domain::Calls, id(7)));
    assert!(snap.can_access(id(4), Domain::Deals, id(4)));
    assert!(!snap.can_access(id(4), Domain::Deals, id(5)));
    assert!(!snap.can_access(id(4), Domain::Insights, id(4)));
    // APAC users hold no profile in the main workspace.
    assert!(!snap.can_access(id(10), Domain::Calls, id(11)));
    // Capabilities, `false` ones kept.
    assert!(snap.has_capability(id(2), "scoreCalls"));
    assert!(!snap.has_capability(id(4), "scoreCalls"));
    assert!(snap.has_capability(id(4), "callsAndSearch"));
    assert!(snap.has_capability(id(13), "manageGeneralBusinessSettings"));
    assert!(!snap.has_capability(id(3), "manageGeneralBusinessSettings"));
    // Library folders.
    let (wins, playbooks) = ("3843152912968921001", "3843152912968921002");
    assert!(snap.profiles().can_access_folder(id(4), wins));
    assert!(!snap.profiles().can_access_folder(id(4), playbooks));
    assert!(snap.profiles().can_access_folder(id(2), playbooks));
    assert!(snap.profiles().can_access_folder(id(1), playbooks));
    // The seed-000 profiles of APAC: viewTeamCalls is report-to-them, viewOwnCalls own.
    let apac = snap.in_workspace(GONG_APAC);
    assert!(apac.can_access(id(10), Domain::Calls, id(11)));
    assert!(apac.can_access(id(10), Domain::Calls, id(12)));
    assert!(!apac.can_access(id(10), Domain::Calls, id(4)));
    assert!(apac.can_access(id(11), Domain::Calls, id(11)));
    assert!(!apac.can_access(id(11), Domain::Calls, id(12)));
    assert!(apac.has_capability(id(10), "downloadCallMedia"));
    assert!(!apac.has_capability(id(11), "downloadCallMedia"));
    assert!(!apac.can_access(id(2), Domain::Calls, id(4)));
    // Individual call access opens calls the scope does not reach.
    let calls = snap.calls();
    assert!(calls.can_open(id(8), gong_call(1).as_str()));
    assert!(!calls.can_open(id(7), gong_call(1).as_str()));
    assert!(calls.can_open(id(5), gong_call(2).as_str()));
    // Ivo Lee holds a grant but no profile in the call's workspace: he opens nothing there.
    assert!(!calls.can_open(id(11), gong_call(2).as_str()));
    assert!(!calls.can_open(id(6), gong_call(2).as_str()));
    assert!(!calls.can_open(id(12), gong_call(2).as_str()));

    assert_eq!(
        op_counts(&import),
        counts(&[
            ("addFolder", 2),
            ("addUser", 1),
            ("addWorkspace", 1),
            ("assignProfile", 14),
            ("createProfile", 5),
            ("grantCall", 3),
            ("moveUser", 1),
            ("revokeCallGrant", 1),
        ])
    );
    replays_on_base("gong", &import);
}

// ---- genesys -------------------------------------------------------------------------------

const HOME: &str = "5c8fb0e2-home";
const EMEA: &str = "9a1d77c4-emea";
const EMPLOYEE: &str = "b2d3e4f5-employee";
const QUEUE_LEAD: &str = "c3e4f5a6-qlead";
const SUPERVISOR: &str = "e5a6b7c8-supervisor";
const MASTER_ADMIN: &str = "d4f5a6b7-admin";

#[test]
fn genesys_sample_reads_exactly() {
    let import = read("genesys");
    let m = &import.model;
    let (maria, omar, tess, ada) = (
        "6f1e9c40-maria",
        "7a2d4b11-omar",
        "8b3e5c22-tess",
        "0316e4aa-ada",
    );
    let (ana, ben, cara, dev, bob) = (
        "9c4f6d33-ana",
        "ad507e44-ben",
        "be618f55-cara",
        "cf72a066-dev",
        "1427f5bb-bob",
    );
    let (eli, finn, gia) = ("d083b177-eli", "e194c288-finn", "f2a5d399-gia");
    // The directory of the base, unchanged: every subject was known.
    assert_eq!(
        managers(m),
        chart(&[
            (maria, None),
            (omar, Some(maria)),
            (tess, Some(maria)),
            (ada, Some(maria)),
            (ana, Some(tess)),
            (ben, Some(tess)),
            (cara, Some(tess)),
            (dev, Some(tess)),
            (bob, Some(tess)),
            (eli, Some(omar)),
            (finn, Some(omar)),
            (gia, Some(omar)),
        ])
    );
    let rbac = m.rbac();
    assert_eq!(rbac.home_division(), Some(HOME));
    assert_eq!(
        rbac.enabled_products().collect::<Vec<_>>(),
        ["communicate", "engage"]
    );
    assert_eq!(
        rbac.user_authorization(bob).unwrap().roles,
        [EMPLOYEE, SUPERVISOR]
    );
    // Ana's roles are explained by her group and the base role: no grant of her own.
    assert_eq!(
        rbac.user_authorization(ana).unwrap().roles,
        [EMPLOYEE, QUEUE_LEAD]
    );
    assert!(rbac.subject_grants(Subject::User(ana)).unwrap().is_empty());
    let grants = |s| -> Vec<(String, String)> {
        rbac.subject_grants(s)
            .unwrap()
            .into_iter()
            .map(|g| (g.role_id, g.division_id))
            .collect()
    };
    assert_eq!(
        grants(Subject::Group("4b8c2d10-billing")),
        [(QUEUE_LEAD.to_owned(), HOME.to_owned())]
    );
    assert_eq!(
        grants(Subject::User(ada)),
        [(MASTER_ADMIN.to_owned(), "*".to_owned())]
    );
    assert_eq!(
        grants(Subject::User(bob)),
        [(SUPERVISOR.to_owned(), HOME.to_owned())]
    );

    let snap = m.compile();
    let r = snap.rbac();
    // The base role: everyone joins queues, in any division.
    assert!(r.has_permission_on(gia, "routing:queue:join", EMEA, &[]));
    assert!(r.has_permission_on(maria, "routing:queue:join", HOME, &[]));
    assert!(!r.has_permission_on(maria, "routing:queue:view", HOME, &[]));
    // Supervisors, each in their division.
    assert!(r.has_permission_on(tess, "quality:evaluation:add", HOME, &[]));
    assert!(!r.has_permission_on(tess, "quality:evaluation:add", EMEA, &[]));
    assert!(r.has_permission_on(omar, "analytics:conversationDetail:view", EMEA, &[]));
    assert!(!r.has_permission_on(omar, "analytics:conversationDetail:view", HOME, &[]));
    assert!(r.has_permission_on(bob, "quality:evaluation:view", HOME, &[]));
    assert!(!r.has_permission_on(bob, "routing:queue:edit", HOME, &[]));
    // The billing group's Queue Lead, under its condition.
    let billing = [("queue.id", "q-billing-1")];
    assert!(r.has_permission_on(ana, "routing:queue:edit", HOME, &billing));
    assert!(r.has_permission_on(cara, "routing:queue:edit", HOME, &[("queue.priority", "9")]));
    assert!(!r.has_permission_on(ben, "routing:queue:edit", HOME, &[("queue.id", "q-sales")]));
    assert!(!r.has_permission_on(ben, "routing:queue:edit", EMEA, &billing));
    assert!(!r.has_permission_on(dev, "routing:queue:edit", HOME, &billing));
    assert!(r.has_permission_on(ben, "quality:evaluation:view", HOME, &[]));
    assert!(!r.has_permission_on(dev, "quality:evaluation:view", HOME, &[]));
    // Master Admin in every division.
    assert!(r.has_permission_on(ada, "quality:evaluation:add", EMEA, &[]));
    assert!(r.has_permission_on(ada, "routing:queue:edit", HOME, &[("queue.id", "q-sales")]));
    assert_eq!(r.user_roles(eli), [EMPLOYEE]);

    assert_eq!(
        op_counts(&import),
        counts(&[
            ("addDivision", 2),
            ("addPermission", 8),
            ("createRole", 4),
            ("enableProduct", 2),
            ("grantRole", 4),
            ("setDefaultRoleTemplate", 2),
            ("setUserRoles", 1),
        ])
    );
    replays_on_base("genesys", &import);
}

// ---- gtmhub --------------------------------------------------------------------------------

/// Gtmhub user `n` of the sample (Ada Lovelace is 1, Lou Ferrari 12).
fn q(n: u32) -> String {
    format!("5c0e1a2b3c4d5e6f708192{n:02}")
}

const SESSION: &str = "6a1b2c3d4e5f60718293a4b1";
const DASHBOARD: &str = "6a1b2c3d4e5f60718293a4d1";

#[test]
fn gtmhub_sample_reads_exactly() {
    let import = read("gtmhub");
    let m = &import.model;
    // Quantive lists no managers: every user is a root.
    let ids: Vec<String> = (1..=12).map(q).collect();
    let id = |n: usize| ids[n - 1].as_str();
    let roots: Vec<(&str, Option<&str>)> = ids.iter().map(|u| (u.as_str(), None)).collect();
    assert_eq!(managers(m), chart(&roots));
    assert_eq!(m.rbac().role_ids().count(), 4);
    assert_eq!(m.rbac().division_ids().count(), 0);

    let snap = m.compile();
    let r = snap.rbac();
    assert_eq!(
        r.user_actions(id(1)),
        [
            "access-dashboards",
            "access-goals",
            "access-sessions",
            "manage-account",
            "manage-dashboards",
            "manage-goals",
            "manage-sessions",
        ]
    );
    assert_eq!(
        r.user_actions(id(8)),
        ["access-dashboards", "access-goals", "access-sessions"]
    );
    // Jay holds no role: only the permission naming him.
    assert_eq!(r.user_actions(id(10)), ["access-goals"]);
    assert!(r.has_action(id(1), "manage-account"));
    assert!(!r.has_action(id(12), "manage-account"));
    assert!(r.has_action(id(4), "manage-goals"));
    assert!(r.has_action(id(4), "access-goals")); // manage requires access
    assert!(!r.has_action(id(4), "manage-sessions"));
    assert!(r.has_action(id(2), "manage-sessions"));
    assert!(!r.has_action(id(2), "access-dashboards"));

    // The default lists apply to the base's items, gated by the actions.
    let items = snap.items();
    // Everyone in the account reads the session where access-sessions lets them.
    assert!(items.can(id(8), SESSION, Verb::Read));
    assert!(!items.can(id(8), SESSION, Verb::Update));
    assert!(!items.can(id(10), SESSION, Verb::Read));
    // Team Lead: Subtype 3 (read, update, create, delete).
    assert!(items.can(id(2), SESSION, Verb::Delete));
    assert!(!items.can(id(2), SESSION, Verb::ModifyPermissions));
    // Ada: Subtype 4, modifyPermissions too.
    assert!(items.can(id(1), SESSION, Verb::ModifyPermissions));
    // A member reads the session but manages nothing there.
    assert!(items.can(id(4), SESSION, Verb::Read));
    assert!(!items.can(id(4), SESSION, Verb::Update));
    // Dashboard: Admin Subtype 2, the account reads.
    assert!(items.can(id(12), DASHBOARD, Verb::Update));
    assert!(!items.can(id(12), DASHBOARD, Verb::Delete));
    assert!(items.can(id(4), DASHBOARD, Verb::Read));
    assert!(!items.can(id(4), DASHBOARD, Verb::Update));
    assert!(!items.can(id(2), DASHBOARD, Verb::Read));

    assert_eq!(
        op_counts(&import),
        counts(&[
            ("addActions", 1),
            ("addUser", 12),
            ("createGlobalPermission", 7),
            ("createRole", 4),
            ("grantUndividedRole", 13),
            ("setDefaultAccess", 2),
        ])
    );
    replays_on_base("gtmhub", &import);
}

// ---- symphony ------------------------------------------------------------------------------

/// Symphony advisor `n` of the sample (the desk head is 90, the onboarded ones 900 and 901).
fn s(n: u32) -> String {
    format!("71234567{n:03}")
}

#[test]
fn symphony_sample_reads_exactly() {
    let import = read("symphony");
    let m = &import.model;
    let head = s(890);
    let mut want: Vec<(String, Option<String>)> = vec![(head.clone(), None)];
    for n in 891..=898 {
        want.push((s(n), Some(head.clone())));
    }
    want.push((s(899), Some(s(898))));
    // Advisors not in the directory are onboarded outside the org chart.
    want.push((s(900), None));
    want.push((s(901), None));
    assert_eq!(managers(m), want.into_iter().collect());
    assert_eq!(
        m.networks()
            .vendor_permission_id("add:multi-company-contact"),
        Some("1008")
    );

    let snap = m.compile();
    let n = snap.networks();
    let (wa, sms) = ("WHATSAPP", "SMS");
    // The desk head: the offboarding feature and the bulk add.
    assert!(n.has_permission(s(890).as_str(), wa, "admin:list-customers"));
    assert!(n.has_feature(s(890).as_str(), wa, NetworkFeature::ADMIN_TAB_OFFBOARDING));
    assert!(!n.has_feature(s(891).as_str(), wa, NetworkFeature::ADMIN_TAB_OFFBOARDING));
    assert!(!n.is_entitled(s(890).as_str(), sms));
    // 891: the defaults, and edit:contact from the add request.
    assert!(n.has_permission(s(891).as_str(), wa, "create:contact"));
    assert!(n.has_permission(s(891).as_str(), wa, "edit:contact"));
    assert!(!n.has_permission(s(891).as_str(), wa, "add:multi-company-contact"));
    // 895 dropped the default create:contact.
    assert!(n.has_permission(s(895).as_str(), wa, "create:room"));
    assert!(!n.has_permission(s(895).as_str(), wa, "create:contact"));
    // 894 on SMS, with bare names.
    assert!(n.has_permission(s(894).as_str(), sms, "view:room-history"));
    assert!(!n.has_permission(s(894).as_str(), sms, "create:contact"));
    assert!(!n.has_permission(s(894).as_str(), wa, "create:room"));
    // Directory users not entitled anywhere hold nothing.
    assert!(!n.is_entitled(s(896).as_str(), wa));
    assert!(!n.has_permission(s(896).as_str(), wa, "create:room"));
    // Onboarded advisors.
    assert!(n.is_entitled(s(900).as_str(), wa));
    assert!(!n.is_entitled(s(900).as_str(), sms));
    assert!(n.has_permission(s(901).as_str(), sms, "create:room"));
    assert!(!n.has_permission(s(901).as_str(), sms, "create:contact"));
    let mut bulk: Vec<&str> = n
        .advisors_with_permission(wa, "add:multi-company-contact")
        .external_ids()
        .collect();
    bulk.sort_unstable();
    assert_eq!(bulk, [s(890), s(892), s(900)]);
    // Network permissions grant nothing in the profile families.
    assert!(!snap.can_access(s(890).as_str(), Domain::Calls, s(891).as_str()));

    assert_eq!(
        op_counts(&import),
        counts(&[
            ("addNetwork", 2),
            ("addNetworkPermission", 13),
            ("defineNetworkPermission", 8),
            ("entitleAdvisor", 6),
            ("grantNetworkPermission", 8),
            ("onboardAdvisor", 2),
            ("revokeNetworkPermission", 3),
        ])
    );
    replays_on_base("symphony", &import);
}

// ---- errors --------------------------------------------------------------------------------

/// A copy of a sample folder in a fresh temp dir.
fn copy_of(vendor: &str) -> PathBuf {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "orgperm-export-{}-{}-{vendor}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    ));
    if dir.exists() {
        std::fs::remove_dir_all(&dir).unwrap();
    }
    copy_dir(&sample(vendor), &dir);
    dir
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// Rewrites a JSON file of the folder.
fn edit(dir: &Path, file: &str, change: impl FnOnce(&mut Value)) {
    let path = dir.join(file);
    let mut v: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    change(&mut v);
    std::fs::write(&path, serde_json::to_string_pretty(&v).unwrap()).unwrap();
}

/// The strict read of a broken folder: the file the error names, its path and kind.
fn refused(dir: &Path) -> (PathBuf, String, ErrorKind) {
    let err = read_export(dir, Strictness::Strict).unwrap_err();
    let file = err.file().to_owned();
    let e = err
        .model_error()
        .unwrap_or_else(|| panic!("not an invalid file: {err}"));
    let out = (file, e.path().to_owned(), e.kind().clone());
    std::fs::remove_dir_all(dir).unwrap();
    out
}

fn input(kind: InputErrorKind) -> ErrorKind {
    ErrorKind::Input(kind)
}

#[test]
fn an_unknown_manifest_field_names_its_path() {
    let dir = copy_of("gong");
    edit(&dir, MANIFEST, |m| {
        m["bodies"][1]["workspaceID"] = json!(GONG_MAIN);
    });
    assert_eq!(
        refused(&dir),
        (
            dir.join(MANIFEST),
            "bodies[1].workspaceID".to_owned(),
            input(InputErrorKind::UnknownField {
                expected: &[
                    "read",
                    "file",
                    "workspaceId",
                    "profileId",
                    "roleId",
                    "subjectKind",
                    "userId",
                    "principalId",
                    "itemType",
                    "itemId",
                    "advisorId",
                    "network",
                ],
            })
        )
    );
    // At the top too.
    let dir = copy_of("symphony");
    edit(&dir, MANIFEST, |m| m["tenant"] = json!("acme"));
    let (file, path, kind) = refused(&dir);
    assert_eq!((file, path.as_str()), (dir.join(MANIFEST), "tenant"));
    assert!(matches!(
        kind,
        ErrorKind::Input(InputErrorKind::UnknownField { .. })
    ));
}

#[test]
fn an_unknown_reader_is_refused_with_the_vendors_readers() {
    let dir = copy_of("genesys");
    edit(&dir, MANIFEST, |m| m["bodies"][3]["read"] = json!("rolez"));
    assert_eq!(
        refused(&dir),
        (
            dir.join(MANIFEST),
            "bodies[3].read".to_owned(),
            input(InputErrorKind::WrongType {
                expected: "one of products, permissions, divisions, roles, role, rolePatch, \
                           subject, userRoles"
                    .to_owned(),
                found: "\"rolez\"".to_owned(),
            })
        )
    );
    // Another vendor's reader is unknown too.
    let dir = copy_of("gtmhub");
    edit(&dir, MANIFEST, |m| {
        m["bodies"][0]["read"] = json!("catalog")
    });
    let (_, path, kind) = refused(&dir);
    assert_eq!(path, "bodies[0].read");
    assert!(matches!(
        kind,
        ErrorKind::Input(InputErrorKind::WrongType { .. })
    ));
}

#[test]
fn a_missing_required_parameter_is_refused() {
    let dir = copy_of("symphony");
    edit(&dir, MANIFEST, |m| {
        m["bodies"][3].as_object_mut().unwrap().remove("network");
    });
    assert_eq!(
        refused(&dir),
        (
            dir.join(MANIFEST),
            "bodies[3].network".to_owned(),
            input(InputErrorKind::Required)
        )
    );
    let dir = copy_of("gong");
    edit(&dir, MANIFEST, |m| {
        m["bodies"][4].as_object_mut().unwrap().remove("profileId");
    });
    assert_eq!(
        refused(&dir),
        (
            dir.join(MANIFEST),
            "bodies[4].profileId".to_owned(),
            input(InputErrorKind::Required)
        )
    );
    // Empty is not given.
    let dir = copy_of("genesys");
    edit(&dir, MANIFEST, |m| m["bodies"][8]["userId"] = json!(""));
    assert_eq!(
        refused(&dir),
        (
            dir.join(MANIFEST),
            "bodies[8].userId".to_owned(),
            input(InputErrorKind::EmptyId)
        )
    );
}

#[test]
fn a_parameter_the_reader_does_not_take_is_refused() {
    let dir = copy_of("gong");
    edit(&dir, MANIFEST, |m| {
        m["bodies"][0]["workspaceId"] = json!(GONG_MAIN);
    });
    assert_eq!(
        refused(&dir),
        (
            dir.join(MANIFEST),
            "bodies[0].workspaceId".to_owned(),
            input(InputErrorKind::UnknownField {
                expected: &["read", "file"]
            })
        )
    );
    let dir = copy_of("gtmhub");
    edit(&dir, MANIFEST, |m| {
        m["bodies"][4]["itemId"] = json!(SESSION);
    });
    assert_eq!(
        refused(&dir),
        (
            dir.join(MANIFEST),
            "bodies[4].itemId".to_owned(),
            input(InputErrorKind::UnknownField {
                expected: &["read", "file", "itemType"]
            })
        )
    );
}

#[test]
fn a_parameter_value_outside_its_set_is_a_manifest_error() {
    let dir = copy_of("genesys");
    edit(&dir, MANIFEST, |m| {
        m["bodies"][4]["subjectKind"] = json!("person");
    });
    assert_eq!(
        refused(&dir),
        (
            dir.join(MANIFEST),
            "bodies[4].subjectKind".to_owned(),
            input(InputErrorKind::WrongType {
                expected: "user, group or client".to_owned(),
                found: "\"person\"".to_owned(),
            })
        )
    );
    let dir = copy_of("gtmhub");
    edit(&dir, MANIFEST, |m| {
        m["bodies"][5]["itemType"] = json!("dashboards")
    });
    assert_eq!(
        refused(&dir),
        (
            dir.join(MANIFEST),
            "bodies[5].itemType".to_owned(),
            input(InputErrorKind::WrongType {
                expected: "session, goal, metric, insightBoard or dashboard".to_owned(),
                found: "\"dashboards\"".to_owned(),
            })
        )
    );
}

#[test]
fn files_outside_the_folder_are_refused() {
    let reason = "a body's file must be a relative path inside the export folder";
    for file in [
        "../gong/profiles-main.json",
        "profile-users/../../x.json",
        "/etc/hostname",
    ] {
        let dir = copy_of("gong");
        edit(&dir, MANIFEST, |m| m["bodies"][2]["file"] = json!(file));
        assert_eq!(
            refused(&dir),
            (
                dir.join(MANIFEST),
                "bodies[2].file".to_owned(),
                input(InputErrorKind::Conflict { reason })
            ),
            "{file}"
        );
    }
    let dir = copy_of("symphony");
    edit(&dir, MANIFEST, |m| {
        m["base"] = json!("../symphony/base.json")
    });
    assert_eq!(
        refused(&dir),
        (
            dir.join(MANIFEST),
            "base".to_owned(),
            input(InputErrorKind::Conflict {
                reason: "the base document must be a relative path inside the export folder"
            })
        )
    );
}

#[test]
fn a_missing_body_file_is_an_io_error_naming_it() {
    let dir = copy_of("symphony");
    std::fs::remove_file(dir.join("bulk-add.json")).unwrap();
    let err = read_export(&dir, Strictness::Strict).unwrap_err();
    match &err {
        ExportError::Io { file, message } => {
            assert_eq!(file, &dir.join("bulk-add.json"));
            assert!(!message.is_empty());
        }
        other => panic!("{other}"),
    }
    assert!(err.model_error().is_none());
    assert!(err.to_string().contains("bulk-add.json"), "{err}");
    // A missing base document and a missing manifest, the same.
    std::fs::remove_file(dir.join("base.json")).unwrap();
    let err = read_export(&dir, Strictness::Strict).unwrap_err();
    assert!(matches!(&err, ExportError::Io { file, .. } if file == &dir.join("base.json")));
    std::fs::remove_file(dir.join(MANIFEST)).unwrap();
    let err = read_export(&dir, Strictness::Strict).unwrap_err();
    assert!(matches!(&err, ExportError::Io { file, .. } if file == &dir.join(MANIFEST)));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn an_error_inside_a_body_names_the_file_and_the_path_in_it() {
    let dir = copy_of("gong");
    edit(&dir, "profiles-main.json", |b| {
        let access = b["profiles"][2]["callsAccess"].as_object_mut().unwrap();
        let level = access.remove("permissionLevel").unwrap();
        access.insert("permissionLevl".to_owned(), level);
    });
    let (file, path, kind) = refused(&dir);
    assert_eq!(
        (file, path.as_str()),
        (
            dir.join("profiles-main.json"),
            "profiles[2].callsAccess.permissionLevl"
        )
    );
    assert!(matches!(
        kind,
        ErrorKind::Input(InputErrorKind::UnknownField { .. })
    ));
    // A body naming what the model lacks: the file in a sub-folder, the path in the body.
    let dir = copy_of("genesys");
    edit(&dir, "subjects/7a2d4b11-omar.json", |b| {
        b["grants"][0]["role"]["id"] = json!("f6b7c8d9-auditor");
    });
    assert_eq!(
        refused(&dir),
        (
            dir.join("subjects/7a2d4b11-omar.json"),
            "grants[0].role.id".to_owned(),
            ErrorKind::Rbac(RbacErrorKind::UnknownRole {
                id: "f6b7c8d9-auditor".to_owned()
            })
        )
    );
    // An error in the base document names it.
    let dir = copy_of("gtmhub");
    edit(&dir, "base.json", |b| {
        b["items"][1]["type"] = json!("board")
    });
    let (file, path, _) = refused(&dir);
    assert_eq!(
        (file, path.as_str()),
        (dir.join("base.json"), "items[1].type")
    );
}

#[test]
fn an_unsupported_manifest_version_is_refused() {
    let dir = copy_of("gtmhub");
    edit(&dir, MANIFEST, |m| m["version"] = json!(2));
    assert_eq!(
        refused(&dir),
        (
            dir.join(MANIFEST),
            "version".to_owned(),
            input(InputErrorKind::UnsupportedVersion { found: 2 })
        )
    );
}

#[test]
fn lenient_mode_turns_an_unknown_body_field_into_a_warning() {
    let dir = copy_of("gtmhub");
    edit(&dir, "users.json", |b| {
        b["items"][3]["department"] = json!("Sales");
    });
    let err = read_export(&dir, Strictness::Strict).unwrap_err();
    assert_eq!(err.file(), dir.join("users.json"));
    assert_eq!(err.model_error().unwrap().path(), "items[3].department");
    let import = read_export(&dir, Strictness::Lenient).unwrap();
    let warnings: Vec<(&str, &InputErrorKind)> = import
        .warnings
        .iter()
        .map(|w| (w.path(), w.kind()))
        .collect();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert_eq!(warnings[0].0, "items[3].department");
    assert!(matches!(warnings[0].1, InputErrorKind::UnknownField { .. }));
    // The rest of the folder reads as in strict mode.
    assert_eq!(import.model.to_json(), read("gtmhub").model.to_json());
    // The manifest stays strict in lenient mode.
    edit(&dir, MANIFEST, |m| m["bodies"][1]["extra"] = json!(true));
    let err = read_export(&dir, Strictness::Lenient).unwrap_err();
    assert_eq!(err.model_error().unwrap().path(), "bodies[1].extra");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_bulk_add_the_vendor_would_refuse_for_one_advisor_is_an_error() {
    let dir = copy_of("symphony");
    edit(&dir, "bulk-add.json", |b| {
        b["advisorSymphonyIds"][1] = json!("70000000000");
    });
    let (file, path, kind) = refused(&dir);
    assert_eq!(
        (file, path.as_str()),
        (dir.join("bulk-add.json"), "advisorSymphonyIds[1]")
    );
    assert_eq!(
        kind,
        ErrorKind::Network(orgperm::NetworkErrorKind::UnknownAdvisor {
            id: "70000000000".to_owned()
        })
    );
}
