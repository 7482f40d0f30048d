//! The Quantive (Gtmhub) adapter: permission bodies as the API sends them, read into a model
//! and a change set, and the answers written back in its shapes.
//!
//! `tests/fixtures/vendor/gtmhub/small-*.json` is a hand-written account with the
//! informational fields the API sends; the other files are a generated account
//! (`generate.py`: 31 actions, 40 roles, 300 users, 39 permission objects, two default lists)
//! whose bodies are exactly what the API would answer, so they must be written back
//! unchanged, and a reference over the JSON must agree with every user's actions.

use std::collections::{BTreeMap, BTreeSet};

use orgperm::vendor::gtmhub::{self, GtmhubImport, Strictness, verbs_of_subtype};
use orgperm::{
    AccessEntry, ChangeSet, ErrorKind, InputErrorKind, ItemErrorKind, ItemSpec, ItemType,
    ItemVerbs, Model, ModelError, PermissionSpec, PolicySpec, Principal, RbacErrorKind, RoleSpec,
    Subject,
};
use serde_json::{Value, json};

const ACCOUNT: &str = "5be26318e5274a0007f17f61";

fn fixture(name: &str) -> String {
    crate::common::vendor_fixture("gtmhub", name)
}

fn value(name: &str) -> Value {
    crate::common::vendor_value("gtmhub", name)
}

fn to_value<T: serde::Serialize>(t: &T) -> Value {
    serde_json::to_value(t).unwrap()
}

fn ops(changes: &ChangeSet) -> Vec<Value> {
    changes.ops.iter().map(to_value).collect()
}

// ---- the small account ---------------------------------------------------------------------

const ADA: &str = "5c0e1a2b3c4d5e6f70819201";
const BO: &str = "5c0e1a2b3c4d5e6f70819202";
const CY: &str = "5c0e1a2b3c4d5e6f70819203";
const ADMIN: &str = "5c0e1a2b3c4d5e6f708192a1";
const LEAD: &str = "5c0e1a2b3c4d5e6f708192a2";
const VIEWER: &str = "5c0e1a2b3c4d5e6f708192a3";

fn small() -> GtmhubImport {
    let mut import = GtmhubImport::new();
    assert_eq!(
        import.read_actions(&fixture("small-actions.json")).unwrap(),
        5
    );
    assert_eq!(import.read_roles(&fixture("small-roles.json")).unwrap(), 3);
    assert_eq!(import.read_users(&fixture("small-users.json")).unwrap(), 3);
    assert_eq!(
        import
            .read_permissions(&fixture("small-permissions.json"))
            .unwrap(),
        [
            "5c0e1a2b3c4d5e6f70819f01",
            "5c0e1a2b3c4d5e6f70819f02",
            "5c0e1a2b3c4d5e6f70819f03",
            "5c0e1a2b3c4d5e6f70819f04"
        ]
    );
    import
}

#[test]
fn small_account_loads_exactly() {
    let import = small();
    assert!(import.warnings().is_empty());
    let done = import.finish();
    let m = &done.model;
    let rbac = m.rbac();
    // Dependencies from the names: manage-X requires access-X where both exist.
    let requires: Vec<(&str, Option<&str>)> = rbac
        .actions()
        .iter()
        .map(|a| (a.name.as_str(), a.requires.as_deref()))
        .collect();
    assert_eq!(
        requires,
        [
            ("access-goals", None),
            ("access-sessions", None),
            ("manage-account", None),
            ("manage-goals", Some("access-goals")),
            ("manage-sessions", Some("access-sessions")),
        ]
    );
    assert_eq!(rbac.role(ADMIN).unwrap().description, "Runs the account");
    assert_eq!(rbac.division_ids().count(), 0);
    let grants = |u| -> Vec<(String, String)> {
        rbac.subject_grants(Subject::User(u))
            .unwrap()
            .into_iter()
            .map(|g| (g.role_id, g.division_id))
            .collect()
    };
    assert_eq!(grants(ADA), [(ADMIN.to_owned(), String::new())]);
    assert_eq!(grants(BO), [(VIEWER.to_owned(), String::new())]);
    assert!(grants(CY).is_empty());
    assert_eq!(
        rbac.global_permission("5c0e1a2b3c4d5e6f70819f02")
            .unwrap()
            .principals,
        [Principal::user(CY), Principal::role(VIEWER)]
    );
    let snap = m.compile();
    let r = snap.rbac();
    assert_eq!(
        r.user_actions(ADA),
        [
            "access-goals",
            "access-sessions",
            "manage-account",
            "manage-goals",
            "manage-sessions"
        ]
    );
    assert_eq!(r.user_actions(BO), ["access-goals"]);
    assert_eq!(r.user_actions(CY), ["access-goals"]);
    assert_eq!(r.role_actions(LEAD), ["access-goals", "manage-goals"]);
    let kinds: BTreeMap<String, usize> =
        ops(&done.changes)
            .iter()
            .fold(BTreeMap::new(), |mut acc, op| {
                *acc.entry(op["op"].as_str().unwrap().to_owned())
                    .or_default() += 1;
                acc
            });
    assert_eq!(
        kinds,
        BTreeMap::from([
            ("addActions".to_owned(), 1),
            ("addUser".to_owned(), 3),
            ("createGlobalPermission".to_owned(), 4),
            ("createRole".to_owned(), 3),
            ("grantUndividedRole".to_owned(), 2),
        ])
    );
}

#[test]
fn small_account_answers_in_gtmhub_shapes() {
    let mut m = small().finish().model;
    m.items_mut()
        .add_item(ItemSpec::session("s1").created_by(BO))
        .unwrap();
    m.items_mut().add_item(ItemSpec::goal("g1", "s1")).unwrap();
    let snap = m.compile();
    assert_eq!(
        to_value(&gtmhub::effective_permissions(&m, &snap, BO).unwrap()),
        json!({"items": ["access-goals"]})
    );
    assert_eq!(
        to_value(&gtmhub::effective_permissions(&m, &snap, ADMIN).unwrap()),
        json!({"items": ["access-goals", "access-sessions", "manage-goals", "manage-sessions"]})
    );
    let err = gtmhub::effective_permissions(&m, &snap, "ghost").unwrap_err();
    assert_eq!(
        (err.path(), err.kind()),
        (
            "id",
            &ErrorKind::Rbac(RbacErrorKind::UnknownPrincipal { id: "ghost".into() })
        )
    );
    // The session has no access list: everyone gets the four verbs, gated by the actions;
    // its creator bo also modifies permissions — but bo may only access, not manage.
    let actions = |u: &str, t: &str, id: &str| {
        to_value(&gtmhub::current_user_actions(&snap, u, t, id).unwrap())
    };
    assert_eq!(
        actions(ADA, "session", "s1"),
        json!({"currentUserActions": ["read", "update", "create", "delete"]})
    );
    assert_eq!(
        actions(BO, "session", "s1"),
        json!({"currentUserActions": []})
    );
    assert_eq!(
        actions(BO, "goal", "g1"),
        json!({"currentUserActions": ["read"]})
    );
    assert_eq!(
        actions(ADA, "goal", "nope"),
        json!({"currentUserActions": []})
    );
    let err = gtmhub::current_user_actions(&snap, ADA, "dashboard", "s1").unwrap_err();
    assert_eq!(
        (err.path(), err.kind()),
        (
            "targetType",
            &ErrorKind::Item(ItemErrorKind::UnknownTargetType {
                value: "dashboard".into()
            })
        )
    );
    assert_eq!(
        to_value(&gtmhub::permission_object(&m, "5c0e1a2b3c4d5e6f70819f02", ACCOUNT).unwrap()),
        json!({"accountId": ACCOUNT, "action": "access-goals", "id": "5c0e1a2b3c4d5e6f70819f02",
               "principals": [CY, VIEWER]})
    );
    assert_eq!(
        to_value(&gtmhub::users(&m)),
        json!({"items": [
            {"id": ADA, "roles": [{"id": ADMIN, "name": "Admin"}]},
            {"id": BO, "roles": [{"id": VIEWER, "name": "Viewer"}]},
            {"id": CY, "roles": []}], "totalCount": 3})
    );
}

// ---- the semantics added for Quantive (issue 11 §3) ----------------------------------------

#[test]
fn role_grants_need_no_division() {
    let m = small().finish().model;
    assert_eq!(m.rbac().home_division(), None);
    // A user's roles are undivided grants: they give the role's actions, item entries
    // naming the role, and non-division-aware permissions; a division-aware check on an
    // object never.
    let mut m = m;
    m.rbac_mut()
        .add_permission(PermissionSpec::new("reports:report:view", "View").division_aware())
        .unwrap();
    m.rbac_mut()
        .add_permission(PermissionSpec::new("reports:report:export", "Export"))
        .unwrap();
    let spec = RoleSpec {
        permission_policies: vec![PolicySpec::new("reports", "report", ["*"])],
        ..m.rbac().role(ADMIN).unwrap().clone()
    };
    m.rbac_mut().update_role(spec).unwrap();
    m.rbac_mut().add_division("emea", "EMEA").unwrap();
    m.items_mut()
        .add_item(
            ItemSpec::new("d1", ItemType::Dashboard).with_access(orgperm::AccessSpec::new([
                AccessEntry::role(ADMIN, ItemVerbs::READ),
            ])),
        )
        .unwrap();
    let err = m
        .rbac_mut()
        .set_principal_actions(Principal::role(ADMIN), &["manage-dashboards"])
        .unwrap_err();
    assert_eq!(
        (err.path(), err.kind()),
        (
            "[0]",
            &RbacErrorKind::UnknownAction {
                id: "manage-dashboards".into()
            }
        )
    );
    let snap = m.compile();
    let r = snap.rbac();
    assert!(r.has_permission(ADA, "reports:report:view"));
    assert!(r.has_permission_on(ADA, "reports:report:export", "emea", &[]));
    assert!(!r.has_permission_on(ADA, "reports:report:view", "emea", &[]));
    assert!(r.divisions_permitted(ADA, "reports:report:view").is_empty());
    assert!(r.divisions_permitted(ADA, "reports:report:export").is_all());
    assert_eq!(
        r.users_holding_permission("reports:report:view")
            .external_ids()
            .collect::<Vec<_>>(),
        [ADA]
    );
    assert!(
        r.users_with_permission("reports:report:view", "emea")
            .is_empty()
    );
    // The document keeps the grant undivided, even now that divisions exist.
    let doc: Value = serde_json::from_str(&m.to_json()).unwrap();
    assert!(
        doc["grants"]
            .as_array()
            .unwrap()
            .contains(&json!({"userId": ADA, "roleId": ADMIN, "undivided": true}))
    );
    let again = Model::from_json(&m.to_json()).unwrap();
    assert_eq!(again.to_json(), m.to_json());
    assert!(
        again
            .compile()
            .rbac()
            .has_permission(ADA, "reports:report:view")
    );
    // Revoking it by its kind.
    assert!(
        m.rbac_mut()
            .revoke_role_undivided(Subject::User(ADA), ADMIN)
            .unwrap()
    );
    assert!(
        !m.rbac_mut()
            .revoke_role_undivided(Subject::User(ADA), ADMIN)
            .unwrap()
    );
    // A grant cannot be both undivided and in a division.
    let bad = r#"{"version": 1, "users": [{"id": "u"}], "roles": [{"id": "r", "name": "R"}], "divisions": [{"id": "d", "name": "D"}],
        "grants": [{"userId": "u", "roleId": "r", "divisionId": "d", "undivided": true}]}"#;
    let err = Model::from_json(bad).unwrap_err();
    assert_eq!(
        (err.path(), err.kind()),
        (
            "grants[0].undivided",
            &ErrorKind::Input(InputErrorKind::Conflict {
                reason: "an undivided grant has no divisionId"
            })
        )
    );
}

#[test]
fn permission_objects_get_server_assigned_ids() {
    let mut import = small();
    let first = import
        .read_permission(&format!(
            r#"{{"accountId": "{ACCOUNT}", "action": "access-sessions", "principals": ["{BO}"]}}"#
        ))
        .unwrap();
    let second = import
        .read_permission(r#"{"action": "access-sessions", "id": "", "principals": []}"#)
        .unwrap();
    assert_eq!(
        (first.as_str(), second.as_str()),
        ("000000000000000000000001", "000000000000000000000002")
    );
    let done = import.finish();
    let tail: Vec<Value> = ops(&done.changes).into_iter().rev().take(2).collect();
    assert_eq!(
        tail,
        [
            json!({"op": "createGlobalPermission", "globalPermission": {"id": "000000000000000000000002", "action": "access-sessions", "principals": []}}),
            json!({"op": "createGlobalPermission", "globalPermission": {"id": "000000000000000000000001", "action": "access-sessions", "principals": [{"kind": "user", "id": BO}]}}),
        ]
    );
    // The change set records the ids: replayed, it builds the same model.
    let mut fresh = Model::new();
    done.changes.apply_to(&mut fresh).unwrap();
    assert_eq!(fresh.to_json(), done.model.to_json());
    // The model's own operation assigns the first free id, deterministically.
    let mut m = done.model;
    m.rbac_mut()
        .delete_global_permission("000000000000000000000001")
        .unwrap();
    let changes = ChangeSet::from_json(
        r#"{"version": 1, "ops": [{"op": "addGlobalPermission", "globalPermission": {"id": "", "action": "access-goals", "principals": []}}]}"#,
    )
    .unwrap();
    let mut copy = m.clone();
    changes.apply_to(&mut m).unwrap();
    changes.apply_to(&mut copy).unwrap();
    assert_eq!(
        m.rbac()
            .global_permission("000000000000000000000001")
            .unwrap()
            .action,
        "access-goals"
    );
    assert_eq!(m.to_json(), copy.to_json());
    assert_eq!(
        m.rbac().next_global_permission_id(),
        "000000000000000000000003"
    );
}

#[test]
fn put_principal_sets_its_actions_exactly() {
    let mut import = small();
    // bo (Viewer) held access-goals only through his role; now bound to manage-sessions
    // himself. His role's bindings are untouched.
    import
        .read_principal_actions(BO, r#"{"items": ["manage-sessions"]}"#)
        .unwrap();
    // Setting the same again records nothing.
    let n = import.clone().finish().changes.ops.len();
    import
        .read_principal_actions(BO, r#"{"items": ["manage-sessions"]}"#)
        .unwrap();
    assert_eq!(import.clone().finish().changes.ops.len(), n);
    // The Team Lead role loses manage-goals and gains manage-account.
    import
        .read_principal_actions(LEAD, r#"{"items": ["manage-account"]}"#)
        .unwrap();
    let done = import.finish();
    let tail: Vec<Value> = ops(&done.changes).into_iter().rev().take(2).collect();
    assert_eq!(
        tail,
        [
            json!({"op": "setPrincipalActions", "principal": {"kind": "role", "id": LEAD}, "actions": ["manage-account"]}),
            json!({"op": "setPrincipalActions", "principal": {"kind": "user", "id": BO}, "actions": ["manage-sessions"]}),
        ]
    );
    let m = &done.model;
    let snap = m.compile();
    assert_eq!(
        snap.rbac().user_actions(BO),
        ["access-goals", "access-sessions", "manage-sessions"]
    );
    assert_eq!(snap.rbac().role_actions(LEAD), ["manage-account"]);
    // bo joined the existing manage-sessions object; Team Lead left manage-goals' object
    // and joined manage-account's.
    assert_eq!(
        m.rbac()
            .global_permission("5c0e1a2b3c4d5e6f70819f03")
            .unwrap()
            .principals,
        [Principal::user(BO), Principal::role(ADMIN)]
    );
    assert_eq!(
        m.rbac()
            .global_permission("5c0e1a2b3c4d5e6f70819f01")
            .unwrap()
            .principals,
        [Principal::role(ADMIN)]
    );
    assert_eq!(
        m.rbac()
            .global_permission("5c0e1a2b3c4d5e6f70819f04")
            .unwrap()
            .principals,
        [Principal::user(ADA), Principal::role(LEAD)]
    );
    // The answer of GET is the body of PUT.
    let body =
        serde_json::to_string(&gtmhub::effective_permissions(m, &snap, LEAD).unwrap()).unwrap();
    assert_eq!(body, r#"{"items":["manage-account"]}"#);
    let mut again = GtmhubImport::onto(m.clone());
    again.read_principal_actions(LEAD, &body).unwrap();
    assert!(again.finish().changes.ops.is_empty());
    // An action no object holds yet gets a new object with an assigned id.
    let mut import = GtmhubImport::onto(m.clone());
    import
        .read_principal_actions(CY, r#"{"items": ["access-sessions"]}"#)
        .unwrap();
    let m2 = import.finish().model;
    assert_eq!(
        m2.rbac()
            .global_permission("000000000000000000000001")
            .unwrap()
            .principals,
        [Principal::user(CY)]
    );
}

#[test]
fn put_principal_refuses_what_it_cannot_resolve() {
    let mut import = small();
    let err = import
        .read_principal_actions("ghost", r#"{"items": []}"#)
        .unwrap_err();
    assert_eq!(
        (err.path(), err.kind()),
        (
            "principalId",
            &ErrorKind::Rbac(RbacErrorKind::UnknownPrincipal { id: "ghost".into() })
        )
    );
    // A user and a role sharing an id: a bare id is ambiguous.
    import
        .read_roles(&format!(
            r#"{{"items": [{{"id": "{BO}", "name": "Bo's role"}}]}}"#
        ))
        .unwrap();
    let err = import
        .read_principal_actions(BO, r#"{"items": []}"#)
        .unwrap_err();
    assert_eq!(
        err.kind(),
        &ErrorKind::Rbac(RbacErrorKind::AmbiguousPrincipal { id: BO.into() })
    );
    let err = import
        .read_permission(&format!(
            r#"{{"action": "access-goals", "principals": ["{ADA}", "{BO}"]}}"#
        ))
        .unwrap_err();
    assert_eq!(
        (err.path(), err.kind()),
        (
            "principals[1]",
            &ErrorKind::Rbac(RbacErrorKind::AmbiguousPrincipal { id: BO.into() })
        )
    );
    let err = import
        .read_principal_actions(ADA, r#"{"items": ["access-goals", 3]}"#)
        .unwrap_err();
    assert_eq!(err.path(), "items[1]");
}

#[test]
fn the_grant_subtype_maps_to_verb_levels() {
    let read = ItemVerbs::READ;
    let edit = read | ItemVerbs::UPDATE;
    let manage = edit | ItemVerbs::CREATE | ItemVerbs::DELETE;
    assert_eq!(
        (1..=4).map(verbs_of_subtype).collect::<Vec<_>>(),
        [Some(read), Some(edit), Some(manage), Some(ItemVerbs::ALL)]
    );
    assert_eq!(verbs_of_subtype(0), None);
    assert_eq!(verbs_of_subtype(5), None);
    let mut import = small();
    let body = format!(
        r#"{{"inherits": false, "permissions": [
            {{"grant": {{"Subtype": 1}}, "principalId": "{ACCOUNT}", "principalKind": "account"}},
            {{"grant": {{"Subtype": 3}}, "principalId": "{LEAD}", "principalKind": "role"}},
            {{"grant": {{"Subtype": 4}}, "principalId": "{BO}", "principalKind": "user"}}]}}"#
    );
    import
        .read_default_access(ItemType::Session, &body)
        .unwrap();
    let mut m = import.finish().model;
    assert_eq!(
        m.items().default_access(ItemType::Session).unwrap(),
        [
            AccessEntry::new(orgperm::PrincipalKind::Account, ACCOUNT, read),
            AccessEntry::role(LEAD, manage),
            AccessEntry::user(BO, ItemVerbs::ALL),
        ]
    );
    assert_eq!(
        to_value(
            &gtmhub::default_access(&m, ItemType::Session)
                .unwrap()
                .unwrap()
        ),
        serde_json::from_str::<Value>(&body).unwrap()
    );
    // The list applies: a session with no list of its own, gated by the actions.
    m.items_mut().add_item(ItemSpec::session("s1")).unwrap();
    m.rbac_mut()
        .set_principal_actions(Principal::user(BO), &["manage-sessions"])
        .unwrap();
    let snap = m.compile();
    assert_eq!(
        to_value(&gtmhub::current_user_actions(&snap, BO, "session", "s1").unwrap()),
        json!({"currentUserActions": ["read", "update", "create", "delete", "modifyPermissions"]})
    );
    // A set of verbs that is not a level cannot be written as a Subtype.
    m.items_mut()
        .set_default_access(
            ItemType::Dashboard,
            Some(vec![AccessEntry::user(BO, ItemVerbs::UPDATE)]),
        )
        .unwrap();
    let err = gtmhub::default_access(&m, ItemType::Dashboard).unwrap_err();
    assert_eq!(err.path(), "permissions[0]");
    assert_eq!(gtmhub::default_access(&m, ItemType::Goal).unwrap(), None);
}

// ---- strictness ----------------------------------------------------------------------------

fn refused(
    read: impl Fn(&mut GtmhubImport, &str) -> Result<(), ModelError>,
    body: &str,
    path: &str,
    kind: ErrorKind,
) {
    let mut import = small();
    let before = import.model().to_json();
    let n = import.clone().finish().changes.ops.len();
    let err = read(&mut import, body).unwrap_err();
    assert_eq!((err.path(), err.kind()), (path, &kind), "{err}");
    assert_eq!(import.model().to_json(), before, "half-applied: {body}");
    assert_eq!(import.finish().changes.ops.len(), n);
}

fn unknown(expected: &'static [&'static str]) -> ErrorKind {
    ErrorKind::Input(InputErrorKind::UnknownField { expected })
}

fn actions(i: &mut GtmhubImport, b: &str) -> Result<(), ModelError> {
    i.read_actions(b).map(drop)
}
fn roles(i: &mut GtmhubImport, b: &str) -> Result<(), ModelError> {
    i.read_roles(b).map(drop)
}
fn users(i: &mut GtmhubImport, b: &str) -> Result<(), ModelError> {
    i.read_users(b).map(drop)
}
fn permission(i: &mut GtmhubImport, b: &str) -> Result<(), ModelError> {
    i.read_permission(b).map(drop)
}
fn permissions(i: &mut GtmhubImport, b: &str) -> Result<(), ModelError> {
    i.read_permissions(b).map(drop)
}
fn session_default(i: &mut GtmhubImport, b: &str) -> Result<(), ModelError> {
    i.read_default_access(ItemType::Session, b)
}

#[test]
fn unknown_and_malformed_fields_are_errors_naming_their_path() {
    let wrong = |expected: &str, found: &str| {
        ErrorKind::Input(InputErrorKind::WrongType {
            expected: expected.into(),
            found: found.into(),
        })
    };
    refused(
        actions,
        r#"{"items": [{"name": "a", "titel": "A"}]}"#,
        "items[0].titel",
        unknown(&["name", "title", "description"]),
    );
    refused(actions, r#"{"item": []}"#, "item", unknown(&["items"]));
    refused(
        actions,
        r#"{"items": [{"name": "x"}, {"name": "x"}]}"#,
        "items[1].name",
        ErrorKind::Input(InputErrorKind::DuplicateId { id: "x".into() }),
    );
    refused(
        roles,
        r#"{"items": [{"id": "r9", "name": "R", "colour": 1}]}"#,
        "items[0].colour",
        unknown(&["id", "name", "description"]),
    );
    refused(
        roles,
        r#"{"items": [{"id": "r9", "name": "admin"}]}"#,
        "items[0].name",
        ErrorKind::Rbac(RbacErrorKind::DuplicateName {
            name: "admin".into(),
        }),
    );
    refused(
        users,
        r#"{"items": [{"id": "u9", "teams": []}]}"#,
        "items[0].teams",
        unknown(&["id", "roles"]),
    );
    refused(
        users,
        r#"{"items": [{"id": "u9", "roles": [{"id": "r-gone"}]}]}"#,
        "items[0].roles[0].id",
        ErrorKind::Rbac(RbacErrorKind::UnknownRole {
            id: "r-gone".into(),
        }),
    );
    refused(
        users,
        r#"{"items": [{"id": "u9", "roles": [{"id": "5c0e1a2b3c4d5e6f708192a1", "kind": "x"}]}]}"#,
        "items[0].roles[0].kind",
        unknown(&["id"]),
    );
    refused(
        users,
        r#"{"items": [{"id": 9}]}"#,
        "items[0].id",
        wrong("a string", "9"),
    );
    refused(
        permission,
        r#"{"action": "access-goals", "principal": []}"#,
        "principal",
        unknown(&["id", "action", "principals"]),
    );
    refused(
        permission,
        r#"{"action": "access-kpis", "principals": []}"#,
        "action",
        ErrorKind::Rbac(RbacErrorKind::UnknownAction {
            id: "access-kpis".into(),
        }),
    );
    refused(
        permission,
        r#"{"principals": []}"#,
        "action",
        ErrorKind::Input(InputErrorKind::Required),
    );
    refused(
        permission,
        r#"{"action": "access-goals", "principals": "u"}"#,
        "principals",
        wrong("an array", "\"u\""),
    );
    refused(
        permissions,
        r#"{"items": [{"id": "p1", "action": "access-goals"}, {"id": "p1", "action": "access-goals"}]}"#,
        "items[1].id",
        ErrorKind::Input(InputErrorKind::DuplicateId { id: "p1".into() }),
    );
    refused(
        permissions,
        r#"{"items": [{"id": "p1", "action": "access-goals", "principals": ["5c0e1a2b3c4d5e6f70819201", "nobody"]}]}"#,
        "items[0].principals[1]",
        ErrorKind::Rbac(RbacErrorKind::UnknownPrincipal {
            id: "nobody".into(),
        }),
    );
    refused(
        session_default,
        r#"{"inherits": true, "permissions": []}"#,
        "inherits",
        ErrorKind::Input(InputErrorKind::Conflict {
            reason: "a default access list does not inherit",
        }),
    );
    refused(
        session_default,
        r#"{"permissions": [{"grant": {"Subtype": 0}, "principalKind": "account"}]}"#,
        "permissions[0].grant.Subtype",
        wrong("a Subtype of 1, 2, 3 or 4", "0"),
    );
    refused(
        session_default,
        r#"{"permissions": [{"grant": {"Subtype": "2"}, "principalKind": "account"}]}"#,
        "permissions[0].grant.Subtype",
        wrong("a Subtype of 1, 2, 3 or 4", "\"2\""),
    );
    refused(
        session_default,
        r#"{"permissions": [{"grant": {"subtype": 2}, "principalKind": "account"}]}"#,
        "permissions[0].grant.subtype",
        unknown(&["Subtype"]),
    );
    refused(
        session_default,
        r#"{"permissions": [{"grant": {}, "principalKind": "account"}]}"#,
        "permissions[0].grant.Subtype",
        ErrorKind::Input(InputErrorKind::Required),
    );
    refused(
        session_default,
        r#"{"permissions": [{"grant": {"Subtype": 1}, "principalKind": "group", "principalId": "g"}]}"#,
        "permissions[0].principalKind",
        ErrorKind::Item(ItemErrorKind::UnknownPrincipalKind {
            value: "group".into(),
        }),
    );
    refused(
        session_default,
        r#"{"permissions": [{"grant": {"Subtype": 1}, "principalKind": "user", "principalId": "u", "includeSubteams": true}]}"#,
        "permissions[0].includeSubteams",
        unknown(&["grant", "principalId", "principalKind"]),
    );
}

#[test]
fn lenient_reading_returns_warnings() {
    let mut import = GtmhubImport::new().with_strictness(Strictness::Lenient);
    import
        .read_actions(
            r#"{"items": [{"name": "access-goals", "title": "A", "icon": "x"}], "nextPage": 2}"#,
        )
        .unwrap();
    import
        .read_users(r#"{"items": [{"id": "u1", "teams": ["t1"], "roles": []}]}"#)
        .unwrap();
    let warnings: Vec<String> = import.warnings().iter().map(ToString::to_string).collect();
    assert_eq!(
        warnings,
        [
            "nextPage: unknown field, expected items",
            "items[0].icon: unknown field, expected name, title or description",
            "items[0].teams: unknown field, expected id or roles",
        ]
    );
    assert_eq!(import.model().user_count(), 1);
    // A known action with other text keeps its own, in either mode.
    let mut sync = GtmhubImport::onto(import.model().clone());
    sync.read_actions(r#"{"items": [{"name": "access-goals", "title": "Goals!"}]}"#)
        .unwrap();
    assert_eq!(
        sync.warnings()
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>(),
        ["items[0]: differs from the model, which keeps \"A\""]
    );
    assert!(sync.finish().changes.ops.is_empty());
}

// ---- the generated account -----------------------------------------------------------------

fn large() -> orgperm::vendor::gtmhub::Imported {
    let mut import = GtmhubImport::new();
    import.read_actions(&fixture("actions.json")).unwrap();
    import.read_roles(&fixture("roles.json")).unwrap();
    import.read_users(&fixture("users.json")).unwrap();
    import
        .read_permissions(&fixture("permissions.json"))
        .unwrap();
    import
        .read_default_access(ItemType::Session, &fixture("default-access-session.json"))
        .unwrap();
    import
        .read_default_access(
            ItemType::Dashboard,
            &fixture("default-access-dashboard.json"),
        )
        .unwrap();
    assert!(import.warnings().is_empty());
    import.finish()
}

#[test]
fn large_account_bodies_are_written_back_unchanged() {
    let done = large();
    let m = &done.model;
    assert_eq!((m.user_count(), m.rbac().role_ids().count()), (300, 40));
    assert_eq!(to_value(&gtmhub::actions(m)), value("actions.json"));
    assert_eq!(to_value(&gtmhub::roles(m)), value("roles.json"));
    assert_eq!(to_value(&gtmhub::users(m)), value("users.json"));
    assert_eq!(
        to_value(&gtmhub::permission_objects(m, ACCOUNT)),
        value("permissions.json")
    );
    assert_eq!(
        to_value(&gtmhub::default_access(m, ItemType::Session).unwrap()),
        value("default-access-session.json")
    );
    assert_eq!(
        to_value(&gtmhub::default_access(m, ItemType::Dashboard).unwrap()),
        value("default-access-dashboard.json")
    );
}

#[test]
fn model_to_payloads_to_model_is_identical() {
    let done = large();
    let m = &done.model;
    let s = |v: &dyn erased::Ser| v.json();
    let mut again = GtmhubImport::new();
    again.read_actions(&s(&gtmhub::actions(m))).unwrap();
    again.read_roles(&s(&gtmhub::roles(m))).unwrap();
    again.read_users(&s(&gtmhub::users(m))).unwrap();
    again
        .read_permissions(&s(&gtmhub::permission_objects(m, ACCOUNT)))
        .unwrap();
    for t in [ItemType::Session, ItemType::Dashboard] {
        let body = gtmhub::default_access(m, t).unwrap().unwrap();
        again.read_default_access(t, &s(&body)).unwrap();
    }
    assert_eq!(again.finish().model.to_json(), m.to_json());
    // And the change set replays to it.
    let mut fresh = Model::new();
    ChangeSet::from_json(&done.changes.to_json())
        .unwrap()
        .apply_to(&mut fresh)
        .unwrap();
    assert_eq!(fresh.to_json(), m.to_json());
}

/// Serializing any of the bodies to a string.
mod erased {
    pub trait Ser {
        fn json(&self) -> String;
    }
    impl<T: serde::Serialize> Ser for T {
        fn json(&self) -> String {
            serde_json::to_string(self).unwrap()
        }
    }
}

#[test]
fn a_sync_onto_the_model_holds_only_the_differences() {
    let m = large().model;
    let mut sync = GtmhubImport::onto(m.clone());
    sync.read_actions(&fixture("actions.json")).unwrap();
    sync.read_roles(&fixture("roles.json")).unwrap();
    sync.read_users(&fixture("users.json")).unwrap();
    sync.read_permissions(&fixture("permissions.json")).unwrap();
    sync.read_default_access(ItemType::Session, &fixture("default-access-session.json"))
        .unwrap();
    assert!(sync.finish().changes.ops.is_empty());
    // A user who lost their role and gained another; a permission object with one principal
    // less; a renamed role.
    let mut users = value("users.json");
    let (uid, lost) = users["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["roles"].as_array().unwrap().len() == 1)
        .map(|u| {
            (
                u["id"].as_str().unwrap().to_owned(),
                u["roles"][0]["id"].as_str().unwrap().to_owned(),
            )
        })
        .unwrap();
    let gained = value("roles.json")["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_owned())
        .find(|r| *r != lost)
        .unwrap();
    for u in users["items"].as_array_mut().unwrap() {
        if u["id"] == json!(uid) {
            u["roles"] = json!([{"id": gained}]);
        }
    }
    let mut perms = value("permissions.json");
    let target = perms["items"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|p| !p["principals"].as_array().unwrap().is_empty())
        .unwrap();
    target["principals"].as_array_mut().unwrap().pop();
    let pid = target["id"].as_str().unwrap().to_owned();
    let mut roles = value("roles.json");
    roles["items"][0]["name"] = json!("Renamed");
    let rid = roles["items"][0]["id"].as_str().unwrap().to_owned();
    let mut sync = GtmhubImport::onto(m.clone());
    sync.read_roles(&roles.to_string()).unwrap();
    sync.read_users(&users.to_string()).unwrap();
    sync.read_permissions(&perms.to_string()).unwrap();
    let delta = sync.finish();
    let got = ops(&delta.changes);
    assert_eq!(got.len(), 4, "{got:?}");
    assert_eq!(
        (
            got[0]["op"].as_str(),
            got[0]["role"]["id"].as_str(),
            got[0]["role"]["name"].as_str()
        ),
        (Some("updateRole"), Some(rid.as_str()), Some("Renamed"))
    );
    assert_eq!(
        got[1],
        json!({"op": "revokeUndividedRole", "userId": uid, "groupId": null, "roleId": lost})
    );
    assert_eq!(
        got[2],
        json!({"op": "grantUndividedRole", "userId": uid, "groupId": null, "roleId": gained})
    );
    assert_eq!(
        (
            got[3]["op"].as_str(),
            got[3]["globalPermission"]["id"].as_str()
        ),
        (Some("updateGlobalPermission"), Some(pid.as_str()))
    );
    let mut applied = m.clone();
    delta.changes.apply_to(&mut applied).unwrap();
    assert_eq!(applied.to_json(), delta.model.to_json());
}

#[test]
fn large_account_actions_match_a_reference_over_the_json() {
    // The reference: requires from the names, bindings from the objects, roles from the
    // users listing.
    let actions: BTreeSet<String> = value("actions.json")["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["name"].as_str().unwrap().to_owned())
        .collect();
    let requires = |a: &str| -> Option<String> {
        let access = a
            .strip_prefix("manage-")
            .map(|rest| format!("access-{rest}"))?;
        actions.contains(&access).then_some(access)
    };
    let mut bound: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for p in value("permissions.json")["items"].as_array().unwrap() {
        for id in p["principals"].as_array().unwrap() {
            bound
                .entry(id.as_str().unwrap().to_owned())
                .or_default()
                .insert(p["action"].as_str().unwrap().to_owned());
        }
    }
    let done = large();
    let snap = done.model.compile();
    let mut non_empty = 0;
    for u in value("users.json")["items"].as_array().unwrap() {
        let id = u["id"].as_str().unwrap();
        let mut want: BTreeSet<String> = bound.get(id).cloned().unwrap_or_default();
        for r in u["roles"].as_array().unwrap() {
            want.extend(
                bound
                    .get(r["id"].as_str().unwrap())
                    .cloned()
                    .unwrap_or_default(),
            );
        }
        let mut closed = want.clone();
        for a in &want {
            if let Some(r) = requires(a) {
                closed.insert(r);
            }
        }
        let got: BTreeSet<String> = snap
            .rbac()
            .user_actions(id)
            .into_iter()
            .map(str::to_owned)
            .collect();
        assert_eq!(got, closed, "{id}");
        for a in &actions {
            assert_eq!(
                snap.rbac().has_action(id, a.as_str()),
                closed.contains(a),
                "{id} {a}"
            );
        }
        non_empty += usize::from(!closed.is_empty());
    }
    assert!(non_empty > 100, "{non_empty}");
    // Reverse: the holders of each action are the users whose set holds it.
    let users = value("users.json");
    let ids: Vec<&str> = users["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["id"].as_str().unwrap())
        .collect();
    for a in &actions {
        let holders: BTreeSet<&str> = snap
            .rbac()
            .users_with_action(a.as_str())
            .external_ids()
            .collect();
        let want: BTreeSet<&str> = ids
            .iter()
            .copied()
            .filter(|u| snap.rbac().has_action(*u, a.as_str()))
            .collect();
        assert_eq!(holders, want, "{a}");
    }
}
