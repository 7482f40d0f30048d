//! `Model::validate_json` and `ChangeSet::validate_json`: every error, with its path and
//! record, in order; valid input reports nothing; the limit says so.

use orgperm::{ChangeSet, Model, Validation};

fn messages(report: &Validation) -> Vec<String> {
    report.errors().iter().map(|e| e.to_string()).collect()
}

fn sample(name: &str) -> String {
    std::fs::read_to_string(format!(
        "{}/examples/data/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

const BAD: &str = r#"{"version": 1,
 "users": [{"id": "1"}, {"id": "2", "managr": "1", "x": 3}, {"id": "3", "managerId": "9"}, {"id": "1"}],
 "profiles": [{"id": "p", "name": "Reps", "callsAccess": {"permissionLevel": "managers-team", "teamLeadIds": ["42"]}}],
 "assignments": [{"userId": "2", "profileId": "nope"}, {"userId": "3", "profileId": "p"}],
 "teams": [{"id": "t", "members": ["1", "ghost", "2", "ghost2"]}, {"id": "u", "parentId": "t", "members": ["3"]}],
 "calls": [{"id": "c1", "ownerId": "zz"}, {"id": "c2", "ownerId": "1", "isPrivate": "yes"}, {"id": "c3", "ownerId": "2", "participants": ["t"]}],
 "bogus": []
}"#;

#[test]
fn a_document_reports_every_error_with_its_path_and_record() {
    let report = Model::validate_json(BAD);
    assert!(!report.is_truncated());
    assert_eq!(
        messages(&report),
        [
            r#"users[1] (id "2").managr: unknown field, expected id or managerId"#,
            r#"users[1] (id "2").x: unknown field, expected id or managerId"#,
            r#"calls[1] (id "c2").isPrivate: expected a boolean, found "yes""#,
            "bogus: unknown field, expected version, workspaces, users, folders, profiles, assignments, teams, calls, networks, contacts, advisors, networkPermissions, networkFeatures, enabledProducts, permissionCatalog, divisions, divisionResources, groups, defaultRoles, roles, grants, actions, globalPermissions, items, defaultAccess or itemGates",
            r#"users[3] (id "1").id: duplicate id "1""#,
            r#"users[2] (id "3").managerId: unknown user "9""#,
            r#"profiles[0] (id "p").callsAccess.teamLeadIds[0]: unknown user "42""#,
            r#"assignments[0].profileId: unknown profile "nope""#,
            // Profile "p" was refused above, so its assignment fails too.
            r#"assignments[1].profileId: unknown profile "p""#,
            r#"teams[0] (id "t").members[1]: unknown user "ghost""#,
            r#"teams[0] (id "t").members[3]: unknown user "ghost2""#,
            r#"calls[0] (id "c1").ownerId: unknown user "zz""#,
            r#"calls[2] (id "c3").participants[0]: unknown user "t""#,
        ]
    );
    let paths: Vec<&str> = report.errors().iter().map(|e| e.path()).collect();
    assert_eq!(paths[0], "users[1].managr");
    assert_eq!(report.errors()[0].record_id(), Some("2"));
    // The load stops at the first of them.
    let first = Model::from_json(BAD).unwrap_err();
    assert!(report.errors().contains(&first), "{first}");
}

#[test]
fn valid_documents_report_nothing() {
    for name in ["acme.json", "complete.json", "generated-1k.json"] {
        let text = sample(name);
        let report = Model::validate_json(&text);
        assert_eq!(messages(&report), Vec::<String>::new(), "{name}");
        assert!(report.is_valid());
        Model::from_json(&text).unwrap();
    }
    assert!(Model::validate_json(r#"{"version": 1}"#).is_valid());
}

#[test]
fn a_syntax_error_is_the_one_error() {
    let report = Model::validate_json(r#"{"version": 1, "users": [{"id": "1"},]}"#);
    assert_eq!(report.errors().len(), 1);
    assert_eq!(report.errors()[0].kind().code(), "malformed_document");
    // Not an object: the one error, as the load gives it.
    let report = Model::validate_json("[]");
    assert_eq!(report.errors(), [Model::from_json("[]").unwrap_err()]);
}

#[test]
fn the_version_and_repeated_sections_are_reported_and_the_rest_checked() {
    let report = Model::validate_json(
        r#"{"version": 7, "users": [{"id": "a", "managerId": "b"}], "users": []}"#,
    );
    assert_eq!(
        messages(&report),
        [
            "version: unsupported model version 7 (this build reads version 1)",
            "users: the field appears twice",
            r#"users[0] (id "a").managerId: unknown user "b""#,
        ]
    );
    let report = Model::validate_json(r#"{"users": {"id": "a"}}"#);
    assert_eq!(
        messages(&report),
        [
            "users: expected an array, found an object",
            "version: a value is required"
        ]
    );
}

#[test]
fn cycles_and_rbac_records_are_reported_one_by_one() {
    let report = Model::validate_json(
        r#"{"version": 1,
            "users": [{"id": "a", "managerId": "b"}, {"id": "b", "managerId": "a"}, {"id": "c"}],
            "teams": [{"id": "t1", "parentId": "t2"}, {"id": "t2", "parentId": "t1"}, {"id": "t3", "parentId": "t9"}],
            "roles": [{"id": "r1", "name": "R", "permissionPolicies": []}],
            "grants": [{"userId": "a", "roleId": "r9"}, {"userId": "z", "roleId": "r1"}, {"userId": "c", "roleId": "r1"}],
            "divisions": [{"id": "d", "name": "D", "home": true}],
            "groups": [{"id": "g", "name": "G", "memberIds": ["c", "q"]}]
        }"#,
    );
    assert_eq!(
        messages(&report),
        [
            r#"users: manager cycle: "a" -> "b" -> "a""#,
            r#"teams[2] (id "t3").parentId: unknown team "t9""#,
            r#"teams: team cycle: "t1" -> "t2" -> "t1""#,
            r#"groups[0] (id "g").memberIds[1]: unknown user "q""#,
            r#"grants[0].roleId: unknown role "r9""#,
            r#"grants[1].userId: unknown user "z""#,
        ]
    );
}

#[test]
fn validation_stops_at_its_limit_and_says_so() {
    let users: Vec<String> = (0..1_200)
        .map(|i| format!(r#"{{"id": "u{i}", "mgr": "x"}}"#))
        .collect();
    let json = format!(r#"{{"version": 1, "users": [{}]}}"#, users.join(","));
    let report = Model::validate_json(&json);
    assert_eq!(report.errors().len(), Validation::LIMIT);
    assert!(report.is_truncated());
    assert_eq!(report.errors()[999].path(), "users[999].mgr");
}

#[test]
fn a_change_set_reports_every_operation_error() {
    let json = r#"{"version": 1, "idd": "x", "ops": [
        {"op": "addUser", "idd": "kim"},
        {"op": "addUser", "id": "lee"},
        {"op": "assignProfile", "userId": "lee", "profileId": "9"},
        {"op": "nosuchOp"},
        {"op": "addUser", "id": "lee"},
        {"op": "addUser", "id": "max", "managerId": "kim"}
    ]}"#;
    let shape = ChangeSet::validate_json(json, None);
    let paths: Vec<&str> = shape.errors().iter().map(|e| e.path()).collect();
    assert_eq!(paths, ["idd", "ops[0].idd", "ops[3].op"]);
    let model = Model::new();
    let all = ChangeSet::validate_json(json, Some(&model));
    assert_eq!(
        messages(&all)[3..],
        [
            r#"ops[2].profileId: unknown profile "9""#,
            r#"ops[4].id: duplicate id "lee""#,
            // It depends on the unreadable ops[0]: reported on its own.
            r#"ops[5].managerId: unknown user "kim""#,
        ]
    );
    assert_eq!(model.user_count(), 0);
    // A valid one reports nothing, alone and against the sample.
    let changes = sample("acme-changes.json");
    let acme = Model::from_json(&sample("acme.json")).unwrap();
    assert!(ChangeSet::validate_json(&changes, None).is_valid());
    assert!(ChangeSet::validate_json(&changes, Some(&acme)).is_valid());
}

/// A document with this many calls is loaded with the calls on a thread of their own.
fn many_calls(bad_call: bool, bad_grant: bool) -> String {
    let calls: Vec<String> = (0..12_000)
        .map(|i| {
            let owner = if bad_call && i == 9_000 { "zz" } else { "a" };
            format!(r#"{{"id": "c{i}", "ownerId": "{owner}", "participants": ["b"]}}"#)
        })
        .collect();
    let grant = if bad_grant { "zz" } else { "b" };
    format!(
        r#"{{"version": 1, "users": [{{"id": "a"}}, {{"id": "b", "managerId": "a"}}],
            "divisions": [{{"id": "d", "name": "D", "home": true}}],
            "roles": [{{"id": "r", "name": "R", "permissionPolicies": []}}],
            "grants": [{{"userId": "{grant}", "roleId": "r"}}],
            "calls": [{}]}}"#,
        calls.join(",")
    )
}

#[test]
fn a_load_of_many_calls_reports_the_first_error_in_document_order() {
    let err = Model::from_json(&many_calls(true, true)).unwrap_err();
    assert_eq!(
        err.to_string(),
        r#"calls[9000] (id "c9000").ownerId: unknown user "zz""#
    );
    let err = Model::from_json(&many_calls(false, true)).unwrap_err();
    assert_eq!(err.to_string(), r#"grants[0].userId: unknown user "zz""#);
    let model = Model::from_json(&many_calls(false, false)).unwrap();
    assert_eq!(model.calls().call_ids().count(), 12_000);
    assert_eq!(
        Model::from_json(&model.to_json()).unwrap().to_json(),
        model.to_json()
    );
    assert_eq!(
        messages(&Model::validate_json(&many_calls(true, true))),
        [
            r#"calls[9000] (id "c9000").ownerId: unknown user "zz""#,
            r#"grants[0].userId: unknown user "zz""#,
        ]
    );
}
