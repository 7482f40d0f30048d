//! The Genesys Cloud adapter: bodies as the authorization API sends them, read into a model
//! and a change set, and the answers written back in its shapes.
//!
//! `tests/fixtures/vendor/genesys/small/` is a hand-written tenant with every informational
//! field the API sends; the files beside it are a generated tenant (`generate.py`: 296
//! permissions, 200 roles on 8 pages, 6 divisions, 320 users and 5 groups) whose pages are
//! exactly what the API would answer, so reading them and writing them back must give the
//! same bytes, and a reference evaluator written over the JSON itself must agree with every
//! check of the compiled model.

use std::collections::{BTreeMap, BTreeSet};

use orgperm::vendor::genesys::{self, GenesysImport, PageInfo, Strictness, SubjectKind};
use orgperm::{
    ChangeSet, DefaultRoleTemplate, ErrorKind, InputErrorKind, Model, ModelError, PermissionSpec,
    PolicySpec, RbacErrorKind, RoleQuery, RoleSpec, Subject,
};
use serde_json::{Value, json};

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/vendor/genesys");

fn fixture(name: &str) -> String {
    crate::common::vendor_fixture("genesys", name)
}

fn value(name: &str) -> Value {
    crate::common::vendor_value("genesys", name)
}

/// The model document as JSON.
fn doc(m: &Model) -> Value {
    serde_json::from_str(&m.to_json()).unwrap()
}

fn to_value<T: serde::Serialize>(t: &T) -> Value {
    serde_json::to_value(t).unwrap()
}

// ---- the small, hand-written tenant --------------------------------------------------------

fn small() -> GenesysImport {
    let mut import = GenesysImport::new();
    import
        .read_products(&fixture("small/products.json"))
        .unwrap();
    import
        .read_permissions_page(&fixture("small/permissions.json"))
        .unwrap();
    import
        .read_divisions_page(&fixture("small/divisions.json"))
        .unwrap();
    import
        .read_roles_page(&fixture("small/roles.json"))
        .unwrap();
    import
        .read_subject(SubjectKind::User, &fixture("small/subject-ada.json"))
        .unwrap();
    import
        .read_user_roles("bob", &fixture("small/user-roles-bob.json"))
        .unwrap();
    import
}

#[test]
fn small_tenant_loads_exactly() {
    let import = small();
    assert!(import.warnings().is_empty());
    let done = import.finish();
    let m = &done.model;
    let rbac = m.rbac();
    assert_eq!(
        rbac.enabled_products().collect::<Vec<_>>(),
        ["communicate", "engage"]
    );
    let mut catalog: Vec<&str> = rbac
        .list_permissions(&orgperm::PermissionQuery::new().page(100, 1))
        .unwrap()
        .entities
        .iter()
        .map(|p| p.permission.as_str())
        .collect();
    catalog.sort_unstable();
    assert_eq!(
        catalog,
        [
            "admin",
            "quality:evaluation:add",
            "quality:evaluation:view",
            "routing:queue:edit",
            "routing:queue:join",
            "routing:queue:view",
            "routing:skill:manage"
        ]
    );
    let view = rbac.permission("routing:queue:view").unwrap();
    assert!(view.division_aware && view.allows_conditions && view.product.is_none());
    assert_eq!(view.label, "View queues");
    assert_eq!(rbac.permission("admin").unwrap().label, "admin");
    assert_eq!(rbac.home_division(), Some("5c8fb0e2-home"));
    assert_eq!(rbac.division_name("9a1d77c4-emea"), Some("EMEA"));
    // The default roles got templates made from their bodies; the employee role is the base.
    assert_eq!(rbac.base_role(), Some("b2d3e4f5-employee"));
    let t = rbac.default_role_template("admin").unwrap();
    assert_eq!((t.role.name.as_str(), t.base), ("Master Admin", false));
    assert_eq!(t.role.permissions, ["admin"]);
    let lead = rbac.role("c3e4f5a6-qlead").unwrap();
    assert_eq!(lead.description, "Edits the billing queues");
    assert_eq!(
        lead.permission_policies[0]
            .condition
            .as_ref()
            .unwrap()
            .to_string(),
        r#"(queue.id IN ["q-billing-1", "q-billing-2"] OR queue.priority GE ["8"])"#
    );
    assert_eq!(
        lead.permission_policies[1],
        PolicySpec::new("quality", "*", ["view"])
    );
    // Grants: ada's two, bob's own (the base role stays implicit).
    let grants = |s| -> Vec<(String, String)> {
        rbac.subject_grants(s)
            .unwrap()
            .into_iter()
            .map(|g| (g.role_id, g.division_id))
            .collect()
    };
    assert_eq!(
        grants(Subject::User("ada")),
        [
            ("c3e4f5a6-qlead".to_owned(), "9a1d77c4-emea".to_owned()),
            ("d4f5a6b7-admin".to_owned(), "*".to_owned())
        ]
    );
    assert_eq!(
        grants(Subject::User("bob")),
        [("c3e4f5a6-qlead".to_owned(), "5c8fb0e2-home".to_owned())]
    );
    assert_eq!(
        rbac.user_authorization("bob").unwrap().roles,
        ["b2d3e4f5-employee", "c3e4f5a6-qlead"]
    );
    // The operations, in order.
    let kinds: Vec<String> = done
        .changes
        .ops
        .iter()
        .map(|op| {
            let v = to_value(op);
            v["op"].as_str().unwrap().to_owned()
        })
        .collect();
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for k in &kinds {
        *counts.entry(k.as_str()).or_default() += 1;
    }
    assert_eq!(
        counts,
        BTreeMap::from([
            ("addDivision", 2),
            ("addPermission", 7),
            ("addUser", 2),
            ("createRole", 3),
            ("enableProduct", 2),
            ("grantRole", 2),
            ("setDefaultRoleTemplate", 2),
            ("setUserRoles", 1),
        ])
    );
    assert_eq!(kinds.first().map(String::as_str), Some("enableProduct"));
}

#[test]
fn small_tenant_answers_checks() {
    let done = small().finish();
    let snap = done.model.compile();
    let rbac = snap.rbac();
    let (home, emea) = ("5c8fb0e2-home", "9a1d77c4-emea");
    // Everyone holds the base role's join, which ignores divisions.
    for u in ["ada", "bob"] {
        assert!(rbac.has_permission_on(u, "routing:queue:join", emea, &[]));
    }
    // bob's Queue Lead is in home: quality views there only, queue edits under its condition.
    assert!(rbac.has_permission_on("bob", "quality:evaluation:view", home, &[]));
    assert!(!rbac.has_permission_on("bob", "quality:evaluation:view", emea, &[]));
    assert!(!rbac.has_permission_on("bob", "quality:evaluation:add", home, &[]));
    assert!(rbac.has_permission_on(
        "bob",
        "routing:queue:edit",
        home,
        &[("queue.id", "q-billing-2")]
    ));
    assert!(rbac.has_permission_on(
        "bob",
        "routing:queue:edit",
        home,
        &[("queue.priority", "9")]
    ));
    assert!(!rbac.has_permission_on(
        "bob",
        "routing:queue:edit",
        home,
        &[("queue.id", "q-sales")]
    ));
    assert!(!rbac.has_permission_on(
        "bob",
        "routing:queue:edit",
        emea,
        &[("queue.id", "q-billing-2")]
    ));
    assert!(!rbac.has_permission("bob", "routing:queue:edit"));
    // ada is admin everywhere.
    assert!(rbac.has_permission_on("ada", "quality:evaluation:add", emea, &[]));
    assert_eq!(
        rbac.user_permissions("bob"),
        ["quality:evaluation:view", "routing:queue:join"]
    );
}

#[test]
fn small_tenant_answers_in_genesys_shapes() {
    let done = small().finish();
    let m = &done.model;
    let snap = m.compile();
    let auth = genesys::user_authorization(m, &snap, "bob").unwrap();
    assert_eq!(
        to_value(&auth),
        json!({
            "roles": [
                {"id": "b2d3e4f5-employee", "name": "Employee"},
                {"id": "c3e4f5a6-qlead", "name": "Queue Lead"}
            ],
            "permissions": ["quality:evaluation:view", "routing:queue:join"],
            "permissionPolicies": [
                {"domain": "quality", "entityName": "*", "actionSet": ["view"], "allowConditions": false},
                {"domain": "routing", "entityName": "queue", "actionSet": ["join"], "allowConditions": false},
                {"domain": "routing", "entityName": "queue", "actionSet": ["view", "edit"], "allowConditions": true,
                 "resourceConditionNode": {"conjunction": "OR", "terms": [
                    {"variableName": "queue.id", "operator": "IN", "operands": [
                        {"type": "SCALAR", "value": "q-billing-1"}, {"type": "SCALAR", "value": "q-billing-2"}]},
                    {"variableName": "queue.priority", "operator": "GE", "operands": [{"type": "SCALAR", "value": "8"}]}
                 ]}}
            ]
        })
    );
    let page = genesys::roles_page(m, &RoleQuery::new()).unwrap();
    let mut expected = value("small/roles.json");
    // The answer carries no informational policy fields, computes the user counts, and
    // omits nextUri/previousUri of a single page.
    for role in expected["entities"].as_array_mut().unwrap() {
        for p in role["permissionPolicies"].as_array_mut().unwrap() {
            let p = p.as_object_mut().unwrap();
            for f in [
                "policyName",
                "policyDescription",
                "actionSetKey",
                "resourceCondition",
            ] {
                p.remove(f);
            }
        }
    }
    // Sorted by name, Master Admin before Queue Lead; the Queue Lead is ada's and bob's.
    expected["entities"][0]["userCount"] = json!(2);
    expected["entities"][1]["userCount"] = json!(2);
    expected["entities"].as_array_mut().unwrap().swap(1, 2);
    assert_eq!(to_value(&page), expected);
    let divisions = genesys::divisions_permitted(m, &snap, "bob", "quality:evaluation:view");
    assert_eq!(
        to_value(&divisions),
        json!([{"id": "5c8fb0e2-home", "name": "Home", "homeDivision": true,
                "selfUri": "/api/v2/authorization/divisions/5c8fb0e2-home"}])
    );
    let all = genesys::divisions_permitted(m, &snap, "bob", "routing:queue:join");
    assert_eq!(all.len(), 2);
    assert!(genesys::divisions_permitted(m, &snap, "nobody", "routing:queue:join").is_empty());
    let subject = genesys::subject(m, SubjectKind::User, "ada").unwrap();
    assert_eq!(
        to_value(&subject),
        json!({"id": "ada", "grants": [
            {"subjectId": "ada", "division": {"id": "9a1d77c4-emea", "name": "EMEA"}, "role": {"id": "c3e4f5a6-qlead", "name": "Queue Lead"}},
            {"subjectId": "ada", "division": {"id": "*"}, "role": {"id": "d4f5a6b7-admin", "name": "Master Admin"}}
        ], "selfUri": "/api/v2/authorization/subjects/ada"})
    );
}

#[test]
fn compare_and_restore_bodies() {
    let mut m = small().finish().model;
    // A newer template of the employee role adds a permission the role lacks.
    let newer = RoleSpec::new("b2d3e4f5-employee", "Employee")
        .with_description("Default role for every user")
        .with_policy(PolicySpec::new("routing", "queue", ["join", "view"]));
    m.rbac_mut()
        .set_default_role_template(DefaultRoleTemplate::new("employee", newer).base())
        .unwrap();
    let diff = genesys::role_difference(&m, "c3e4f5a6-qlead", "employee").unwrap();
    assert_eq!(
        to_value(&diff.added_permission_policies),
        json!([
            {"domain": "quality", "entityName": "evaluation", "actionSet": ["view"], "allowConditions": false},
            {"domain": "routing", "entityName": "queue", "actionSet": ["edit"], "allowConditions": true}
        ])
    );
    assert_eq!(
        to_value(&diff.removed_permission_policies),
        json!([{"domain": "routing", "entityName": "queue", "actionSet": ["join"], "allowConditions": false}])
    );
    assert_eq!(
        to_value(&diff.same_permission_policies),
        json!([{"domain": "routing", "entityName": "queue", "actionSet": ["view"], "allowConditions": true}])
    );
    assert_eq!(diff.user_org_role.id, "c3e4f5a6-qlead");
    assert_eq!(diff.role_from_default.name, "Employee");
    assert!(diff.role_from_default.base && diff.role_from_default.default);
    let employee = genesys::role_entity(&m, "b2d3e4f5-employee").unwrap();
    assert!(employee.role_needs_update);
    // The unsaved comparison reads a role body and saves nothing.
    let unsaved = genesys::unsaved_role_difference(
        &m,
        r#"{"id": "x", "name": "X", "permissionPolicies": [{"domain": "routing", "entityName": "queue", "actionSet": ["*"]}]}"#,
        "employee",
    )
    .unwrap();
    assert_eq!(
        to_value(&unsaved.added_permission_policies),
        json!([{"domain": "routing", "entityName": "queue", "actionSet": ["edit"], "allowConditions": true}])
    );
    assert!(m.rbac().role("x").is_none());
    let ids = m.rbac_mut().restore_default_roles(true).unwrap();
    assert_eq!(ids, ["b2d3e4f5-employee", "d4f5a6b7-admin"]);
    let body = genesys::restore_result(&m, &ids).unwrap();
    assert_eq!(
        body.entities
            .iter()
            .map(|r| r.id.as_str())
            .collect::<Vec<_>>(),
        ["b2d3e4f5-employee", "d4f5a6b7-admin"]
    );
    assert!(!body.entities[0].role_needs_update);
    assert_eq!(
        (body.total, body.page_count, body.next_uri.as_deref()),
        (2, 1, None)
    );
    let err = genesys::role_difference(&m, "c3e4f5a6-qlead", "nope").unwrap_err();
    assert_eq!(
        (err.path(), err.kind()),
        (
            "rightRoleId",
            &ErrorKind::Rbac(RbacErrorKind::UnknownDefaultRole { id: "nope".into() })
        )
    );
}

#[test]
fn error_bodies_carry_status_and_code() {
    let mut m = small().finish().model;
    let not_found: ModelError = m.rbac_mut().delete_role("ghost").unwrap_err().into();
    let conflict: ModelError = m
        .rbac_mut()
        .delete_role("c3e4f5a6-qlead")
        .unwrap_err()
        .into();
    let invalid = GenesysImport::new()
        .read_role(r#"{"id": "r", "name": "R", "colour": "red"}"#)
        .unwrap_err();
    assert_eq!(
        to_value(&genesys::error_body(&not_found)),
        json!({"message": "id: unknown role \"ghost\"", "code": "not.found", "status": 404,
               "messageWithParams": "unknown role \"ghost\"",
               "details": [{"errorCode": "unknown_role", "fieldName": "id"}]})
    );
    let body = genesys::error_body(&conflict);
    assert_eq!((body.code.as_str(), body.status), ("conflict", 409));
    assert_eq!(body.details[0].error_code, "role_assigned");
    let body = genesys::error_body(&invalid);
    assert_eq!((body.code.as_str(), body.status), ("bad.request", 400));
    assert_eq!(body.details[0].field_name.as_deref(), Some("colour"));
    assert_eq!(body.details[0].error_code, "unknown_field");
}

// ---- strictness ----------------------------------------------------------------------------

/// Reads `body` with `read` on a fresh copy of the small tenant; the error, and the model
/// must be unchanged.
fn refused(
    read: impl Fn(&mut GenesysImport, &str) -> Result<(), ModelError>,
    body: &str,
    path: &str,
    kind: ErrorKind,
) {
    let mut import = small();
    let before = import.model().to_json();
    let ops = import.clone().finish().changes.ops.len();
    let err = read(&mut import, body).unwrap_err();
    assert_eq!((err.path(), err.kind()), (path, &kind), "{err}");
    assert_eq!(import.model().to_json(), before, "half-applied: {body}");
    assert_eq!(import.finish().changes.ops.len(), ops);
}

fn unknown(expected: &'static [&'static str]) -> ErrorKind {
    ErrorKind::Input(InputErrorKind::UnknownField { expected })
}

const ROLE_FIELDS: &[&str] = &[
    "id",
    "name",
    "description",
    "defaultRoleId",
    "permissions",
    "permissionPolicies",
    "roleNeedsUpdate",
    "base",
];
const POLICY_FIELDS: &[&str] = &[
    "domain",
    "entityName",
    "actionSet",
    "resourceConditionNode",
    "namedResources",
];
const LISTING_FIELDS: &[&str] = &[
    "entities",
    "pageSize",
    "pageNumber",
    "total",
    "pageCount",
    "nextUri",
    "previousUri",
];

fn roles(i: &mut GenesysImport, b: &str) -> Result<(), ModelError> {
    i.read_roles_page(b).map(drop)
}
fn role(i: &mut GenesysImport, b: &str) -> Result<(), ModelError> {
    i.read_role(b).map(drop)
}
fn perms(i: &mut GenesysImport, b: &str) -> Result<(), ModelError> {
    i.read_permissions_page(b).map(drop)
}
fn divisions(i: &mut GenesysImport, b: &str) -> Result<(), ModelError> {
    i.read_divisions_page(b).map(drop)
}
fn user(i: &mut GenesysImport, b: &str) -> Result<(), ModelError> {
    i.read_subject(SubjectKind::User, b)
}
fn user_roles(i: &mut GenesysImport, b: &str) -> Result<(), ModelError> {
    i.read_user_roles("carl", b)
}

#[test]
fn unknown_fields_are_errors_naming_their_path() {
    let new_role = r#"{"id": "r9", "name": "Nine", "permissionPolicies": [{"domain": "routing", "entityName": "queue", "actionSet": ["view"]}]}"#;
    assert!(
        GenesysImport::onto(small().finish().model)
            .read_role(new_role)
            .is_ok()
    );
    refused(
        roles,
        r#"{"entities": [{"id": "r7", "name": "Seven"}, {"id": "r8", "name": "Eight"}, {"id": "r9", "name": "Nine",
            "permissionPolicies": [{"domain": "routing", "entityName": "queue", "actionSett": ["view"]}]}]}"#,
        "entities[2].permissionPolicies[0].actionSett",
        unknown(POLICY_FIELDS),
    );
    refused(
        roles,
        r#"{"entities": [], "pagesize": 25}"#,
        "pagesize",
        unknown(LISTING_FIELDS),
    );
    refused(
        role,
        r#"{"id": "r9", "name": "Nine", "colour": "red"}"#,
        "colour",
        unknown(ROLE_FIELDS),
    );
    refused(
        role,
        r#"{"id": "r9", "name": "Nine", "permissionPolicies": [{"domain": "routing", "entityName": "queue", "actionSet": ["view"],
            "resourceConditionNode": {"variableName": "queue.id", "operator": "EQ", "operands": [{"type": "SCALAR", "value": "q", "vlaue": "q"}]}}]}"#,
        "permissionPolicies[0].resourceConditionNode.operands[0].vlaue",
        unknown(&["type", "value", "queue", "user"]),
    );
    refused(
        role,
        r#"{"id": "r9", "name": "Nine", "permissionPolicies": [{"domain": "routing", "entityName": "queue", "actionSet": ["view"],
            "resourceConditionNode": {"conjunction": "AND", "terms": [{"variableName": "queue.id", "operator": "EQ", "operand": []}]}}]}"#,
        "permissionPolicies[0].resourceConditionNode.terms[0].operand",
        unknown(&[
            "variableName",
            "operator",
            "operands",
            "conjunction",
            "terms",
        ]),
    );
    refused(
        perms,
        r#"{"entities": [{"domain": "wfm", "permissionMap": {"schedule": [{"domain": "wfm", "entityType": "schedule", "action": "view", "lable": "x"}]}}]}"#,
        "entities[0].permissionMap.schedule[0].lable",
        unknown(&[
            "domain",
            "entityType",
            "action",
            "label",
            "allowsConditions",
            "divisionAware",
        ]),
    );
    refused(
        divisions,
        r#"{"entities": [{"id": "d3", "name": "D3", "home": true}]}"#,
        "entities[0].home",
        unknown(&["id", "name", "homeDivision"]),
    );
    refused(
        user,
        r#"{"id": "carl", "grants": [{"subjectId": "carl", "role": {"id": "c3e4f5a6-qlead"}, "division": {"id": "*"}, "madeAt": "x"}]}"#,
        "grants[0].madeAt",
        unknown(&["subjectId", "role", "division"]),
    );
    refused(
        user,
        r#"{"id": "carl", "grants": [{"subjectId": "carl", "role": {"id": "c3e4f5a6-qlead", "kind": "x"}, "division": {"id": "*"}}]}"#,
        "grants[0].role.kind",
        unknown(&["id"]),
    );
    refused(
        user_roles,
        r#"{"roles": [], "permisions": []}"#,
        "permisions",
        unknown(&["roles"]),
    );
}

#[test]
fn malformed_bodies_are_errors_naming_their_path() {
    let wrong = |expected: &str, found: &str| {
        ErrorKind::Input(InputErrorKind::WrongType {
            expected: expected.into(),
            found: found.into(),
        })
    };
    let conflict = |reason: &'static str| ErrorKind::Input(InputErrorKind::Conflict { reason });
    refused(
        roles,
        r#"{"entities": [], "pageSize": "25"}"#,
        "pageSize",
        wrong("a non-negative integer", "\"25\""),
    );
    refused(
        roles,
        r#"{"entities": {}}"#,
        "entities",
        wrong("an array", "an object"),
    );
    refused(roles, r#"[]"#, "", wrong("an object", "an array"));
    refused(
        role,
        r#"{"id": "r9", "name": "Nine", "name": "Ten"}"#,
        "name",
        ErrorKind::Input(InputErrorKind::DuplicateField),
    );
    refused(
        role,
        r#"{"name": "Nine"}"#,
        "id",
        ErrorKind::Input(InputErrorKind::Required),
    );
    refused(
        role,
        r#"{"id": "r9", "name": "Nine", "base": "yes"}"#,
        "base",
        wrong("a boolean", "\"yes\""),
    );
    refused(
        role,
        r#"{"id": "r9", "name": "Nine", "base": true}"#,
        "base",
        conflict("the base role is a default role: it needs a defaultRoleId"),
    );
    refused(
        role,
        r#"{"id": "r9", "name": "Nine", "permissionPolicies": [{"domain": "routing", "entityName": "queue", "actionSet": ["view"], "namedResources": ["q1"]}]}"#,
        "permissionPolicies[0].namedResources",
        conflict("named resources are not supported: express them as a resourceConditionNode"),
    );
    refused(
        role,
        r#"{"id": "r9", "name": "Nine", "permissionPolicies": [{"domain": "routing", "entityName": "queue", "actionSet": ["view"],
            "resourceConditionNode": {"variableName": "queue.id", "operator": "NE", "operands": [{"type": "SCALAR", "value": "q"}]}}]}"#,
        "permissionPolicies[0].resourceConditionNode.operator",
        ErrorKind::Rbac(RbacErrorKind::InvalidOperator { value: "NE".into() }),
    );
    refused(
        role,
        r#"{"id": "r9", "name": "Nine", "permissionPolicies": [{"domain": "routing", "entityName": "queue", "actionSet": ["view"],
            "resourceConditionNode": {"variableName": "queue.id", "operator": "EQ", "terms": []}}]}"#,
        "permissionPolicies[0].resourceConditionNode",
        conflict(
            "a condition node is either a leaf (variableName, operator, operands) or a group (conjunction, terms)",
        ),
    );
    refused(
        perms,
        r#"{"entities": [{"domain": "wfm", "permissionMap": {"schedule": [{"domain": "routing", "action": "view"}]}}]}"#,
        "entities[0].permissionMap.schedule[0].domain",
        conflict("a permission's domain must be its collection's domain"),
    );
    refused(
        perms,
        r#"{"entities": [{"domain": "wfm", "permissionMap": {"schedule": [], "schedule": []}}]}"#,
        "entities[0].permissionMap.schedule",
        ErrorKind::Input(InputErrorKind::DuplicateField),
    );
    refused(
        perms,
        r#"{"entities": [{"domain": "routing", "permissionMap": {"queue": [{"action": "view", "divisionAware": false}]}}]}"#,
        "entities[0].permissionMap.queue[0]",
        conflict(
            "the catalog holds this permission with other flags, and catalog entries cannot change",
        ),
    );
    refused(
        perms,
        r#"{"entities": [{"domain": "wfm", "permissionMap": {"schedule": [{"action": "a:b"}]}}]}"#,
        "entities[0].permissionMap.schedule[0].action",
        ErrorKind::Rbac(RbacErrorKind::InvalidPermission {
            value: "wfm:schedule:a:b".into(),
            reason: "expected domain:entity:action or a flat name",
        }),
    );
    refused(
        divisions,
        r#"{"entities": [{"id": "d3", "name": "D3", "homeDivision": true}, {"id": "d4", "name": "D4", "homeDivision": true}]}"#,
        "entities[1].homeDivision",
        conflict("only one division can be the home division"),
    );
    refused(
        divisions,
        r#"{"entities": [{"id": "d3", "name": "emea"}]}"#,
        "entities[0].name",
        ErrorKind::Rbac(RbacErrorKind::DuplicateName {
            name: "emea".into(),
        }),
    );
    refused(
        user,
        r#"{"id": "carl", "grants": [{"subjectId": "dora", "role": {"id": "c3e4f5a6-qlead"}, "division": {"id": "*"}}]}"#,
        "grants[0].subjectId",
        conflict("a grant's subjectId must be the subject's id"),
    );
    refused(
        user,
        r#"{"id": "carl", "grants": [{"role": {"id": "c3e4f5a6-qlead"}, "division": {"id": "d-gone"}}]}"#,
        "grants[0].division.id",
        ErrorKind::Rbac(RbacErrorKind::UnknownDivision {
            id: "d-gone".into(),
        }),
    );
    refused(
        user,
        r#"{"id": "carl", "grants": [{"role": {"id": "r-gone"}, "division": {"id": "*"}}]}"#,
        "grants[0].role.id",
        ErrorKind::Rbac(RbacErrorKind::UnknownRole {
            id: "r-gone".into(),
        }),
    );
    refused(
        user_roles,
        r#"{"roles": [{"id": "r-gone"}]}"#,
        "roles[0].id",
        ErrorKind::Rbac(RbacErrorKind::UnknownRole {
            id: "r-gone".into(),
        }),
    );
    refused(
        roles,
        r#"{"entities": [{"id": "r7", "name": "Seven"}, {"id": "r7", "name": "Seven again"}]}"#,
        "entities[1].id",
        ErrorKind::Input(InputErrorKind::DuplicateId { id: "r7".into() }),
    );
    refused(
        roles,
        "{\"entities\": [",
        "",
        ErrorKind::Input(InputErrorKind::Syntax {
            message: "EOF while parsing a list at line 1 column 14".into(),
        }),
    );
}

#[test]
fn model_rules_name_the_vendor_path() {
    // What the catalog or the roles refuse is named where the body says it.
    refused(
        roles,
        r#"{"entities": [{"id": "r7", "name": "Seven"}, {"id": "r8", "name": "Eight",
            "permissionPolicies": [{"domain": "telephony", "entityName": "*", "actionSet": ["*"]}]}]}"#,
        "entities[1].permissionPolicies[0].domain",
        ErrorKind::Rbac(RbacErrorKind::UnknownDomain {
            domain: "telephony".into(),
        }),
    );
    refused(
        role,
        r#"{"id": "r9", "name": "Nine", "permissionPolicies": [{"domain": "quality", "entityName": "evaluation", "actionSet": ["view"],
            "resourceConditionNode": {"variableName": "x", "operator": "EQ", "operands": [{"type": "SCALAR", "value": "1"}]}}]}"#,
        "permissionPolicies[0].resourceConditionNode",
        ErrorKind::Rbac(RbacErrorKind::ConditionNotAllowed {
            permission: "quality:evaluation:view".into(),
        }),
    );
    refused(
        role,
        r#"{"id": "r9", "name": "queue lead"}"#,
        "name",
        ErrorKind::Rbac(RbacErrorKind::DuplicateName {
            name: "queue lead".into(),
        }),
    );
    refused(
        role,
        r#"{"id": "d4f5a6b7-admin", "name": "Renamed Admin", "defaultRoleId": "admin", "permissions": ["admin"]}"#,
        "name",
        ErrorKind::Rbac(RbacErrorKind::DefaultRoleRenamed {
            id: "d4f5a6b7-admin".into(),
        }),
    );
    refused(
        role,
        r#"{"id": "r9", "name": "Nine", "permissions": ["routing:queue:view"]}"#,
        "permissions[0]",
        ErrorKind::Rbac(RbacErrorKind::InvalidPermission {
            value: "routing:queue:view".into(),
            reason: "expected a flat permission; atoms go in permissionPolicies",
        }),
    );
}

#[test]
fn lenient_reading_returns_warnings_and_applies_the_rest() {
    let mut import = GenesysImport::new().with_strictness(Strictness::Lenient);
    import
        .read_permissions_page(
            r#"{"entities": [{"domain": "routing", "permissionMap": {"queue": [{"action": "view", "scope": "all", "divisionAware": true}]}, "owner": "x"}], "cursor": "abc"}"#,
        )
        .unwrap();
    import
        .read_divisions_page(r#"{"entities": [{"id": "home", "name": "Home", "colour": "blue"}]}"#)
        .unwrap();
    import
        .read_role(r#"{"id": "r1", "name": "R1", "permissionPolicies": [{"domain": "routing", "entityName": "queue", "actionSet": ["view"], "priority": 1}], "tags": []}"#)
        .unwrap();
    let warnings: Vec<(&str, &str)> = import
        .warnings()
        .iter()
        .map(|w| (w.path(), w.kind().code()))
        .collect();
    assert_eq!(
        warnings,
        [
            ("cursor", "unknown_field"),
            ("entities[0].owner", "unknown_field"),
            ("entities[0].permissionMap.queue[0].scope", "unknown_field"),
            ("entities[0].colour", "unknown_field"),
            ("tags", "unknown_field"),
            ("permissionPolicies[0].priority", "unknown_field"),
        ]
    );
    // Each is the error strict mode gives, naming the fields that may stand there.
    assert_eq!(
        import.warnings()[3].to_string(),
        "entities[0].colour: unknown field, expected id, name or homeDivision"
    );
    let done = import.finish();
    assert_eq!(done.warnings.len(), 6);
    assert!(
        done.model
            .rbac()
            .permission("routing:queue:view")
            .unwrap()
            .division_aware
    );
    assert_eq!(
        done.model
            .rbac()
            .role("r1")
            .unwrap()
            .permission_policies
            .len(),
        1
    );
    // Everything else is still refused, and a refused body leaves no warnings behind.
    let mut again = GenesysImport::new().with_strictness(Strictness::Lenient);
    let err = again
        .read_role(r#"{"id": "r1", "extra": 1, "permissions": [3]}"#)
        .unwrap_err();
    assert_eq!(err.path(), "permissions[0]");
    assert!(again.warnings().is_empty());
    // Label and name differences are warnings in both modes: the model keeps its own.
    let mut onto = GenesysImport::onto(done.model.clone());
    onto.read_permissions_page(r#"{"entities": [{"domain": "routing", "permissionMap": {"queue": [{"action": "view", "label": "Queues!", "divisionAware": true}]}}]}"#).unwrap();
    onto.read_divisions_page(r#"{"entities": [{"id": "home", "name": "Head office"}]}"#)
        .unwrap();
    let warnings: Vec<String> = onto.warnings().iter().map(ToString::to_string).collect();
    assert_eq!(
        warnings,
        [
            "entities[0].permissionMap.queue[0].label: differs from the model, which keeps \"\"",
            "entities[0].name: differs from the model, which keeps \"Home\"",
        ]
    );
    assert!(onto.finish().changes.ops.is_empty());
}

// ---- the generated tenant ------------------------------------------------------------------

fn pages(prefix: &str) -> Vec<String> {
    (1..)
        .map(|n| format!("{DIR}/{prefix}-{n}.json"))
        .take_while(|p| std::path::Path::new(p).exists())
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect()
}

fn subjects() -> Vec<(SubjectKind, String, Value)> {
    let all: Vec<Value> = serde_json::from_str(&fixture("subjects.json")).unwrap();
    all.into_iter()
        .map(|s| {
            let kind = match s["kind"].as_str().unwrap() {
                "user" => SubjectKind::User,
                _ => SubjectKind::Group,
            };
            let id = s["body"]["id"].as_str().unwrap().to_owned();
            (kind, id, s["body"].clone())
        })
        .collect()
}

fn large() -> orgperm::vendor::genesys::Imported {
    let mut import = GenesysImport::new();
    import.read_products(&fixture("products.json")).unwrap();
    let mut infos: Vec<PageInfo> = Vec::new();
    for p in pages("permissions-page") {
        infos.push(import.read_permissions_page(&p).unwrap());
    }
    assert!(infos.last().unwrap().is_last());
    assert!(infos.iter().rev().skip(1).all(|i| !i.is_last()));
    import
        .read_divisions_page(&fixture("divisions.json"))
        .unwrap();
    for p in pages("roles-page") {
        import.read_roles_page(&p).unwrap();
    }
    for (kind, _, body) in subjects() {
        import.read_subject(kind, &body.to_string()).unwrap();
    }
    assert!(import.warnings().is_empty());
    import.finish()
}

#[test]
fn large_tenant_loads_with_exact_counts() {
    let done = large();
    let m = &done.model;
    assert_eq!(m.user_count(), 320);
    assert_eq!(m.rbac().role_ids().count(), 200);
    assert_eq!(m.rbac().group_ids().count(), 5);
    assert_eq!(m.rbac().division_ids().count(), 6);
    assert_eq!(m.rbac().home_division(), Some("d-home"));
    assert_eq!(m.rbac().default_role_templates().count(), 8);
    let catalog = m
        .rbac()
        .list_permissions(&orgperm::PermissionQuery::new().page(1000, 1))
        .unwrap();
    assert_eq!(catalog.total, 297); // 296 atoms and admin
    let snap = m.compile();
    let grants: usize = subjects()
        .iter()
        .map(|(_, _, b)| b["grants"].as_array().unwrap().len())
        .sum();
    let held: usize = subjects()
        .iter()
        .map(|(k, id, _)| {
            let s = match k {
                SubjectKind::User => Subject::User(id),
                _ => Subject::Group(id),
            };
            m.rbac().subject_grants(s).unwrap().len()
        })
        .sum();
    assert_eq!(held, grants);
    for (kind, id, body) in subjects()
        .iter()
        .filter(|s| s.0 == SubjectKind::User)
        .take(20)
    {
        assert_eq!(*kind, SubjectKind::User);
        let mut want: Vec<&str> = body["grants"]
            .as_array()
            .unwrap()
            .iter()
            .map(|g| g["role"]["id"].as_str().unwrap())
            .collect();
        want.push(m.rbac().base_role().unwrap());
        want.sort_unstable();
        want.dedup();
        assert_eq!(snap.rbac().user_roles(id.as_str()), want, "{id}");
    }
}

#[test]
fn large_tenant_pages_are_written_back_byte_for_byte() {
    let done = large();
    let m = &done.model;
    for (n, page) in pages("roles-page").iter().enumerate() {
        let written = genesys::roles_page(m, &RoleQuery::new().page(25, n + 1)).unwrap();
        let expected: Value = serde_json::from_str(page).unwrap();
        assert_eq!(to_value(&written), expected, "roles page {}", n + 1);
    }
    for (n, page) in pages("permissions-page").iter().enumerate() {
        let written = genesys::permissions_page(m, 5, n + 1).unwrap();
        let expected: Value = serde_json::from_str(page).unwrap();
        assert_eq!(to_value(&written), expected, "permissions page {}", n + 1);
    }
    assert_eq!(
        to_value(&genesys::divisions_page(m, 25, 1).unwrap()),
        value("divisions.json")
    );
    assert_eq!(to_value(&genesys::products(m)), value("products.json"));
    for (kind, id, body) in subjects() {
        assert_eq!(
            to_value(&genesys::subject(m, kind, &id).unwrap()),
            body,
            "{id}"
        );
    }
}

#[test]
fn model_to_payloads_to_model_is_identical() {
    let done = large();
    let m = &done.model;
    let mut again = GenesysImport::new();
    again
        .read_products(&serde_json::to_string(&genesys::products(m)).unwrap())
        .unwrap();
    let mut n = 1;
    loop {
        let page = genesys::permissions_page(m, 4, n).unwrap();
        let info = again
            .read_permissions_page(&serde_json::to_string(&page).unwrap())
            .unwrap();
        if info.is_last() {
            break;
        }
        n += 1;
    }
    again
        .read_divisions_page(
            &serde_json::to_string(&genesys::divisions_page(m, 100, 1).unwrap()).unwrap(),
        )
        .unwrap();
    let mut n = 1;
    loop {
        let page = genesys::roles_page(m, &RoleQuery::new().page(30, n)).unwrap();
        let info = again
            .read_roles_page(&serde_json::to_string(&page).unwrap())
            .unwrap();
        if info.is_last() {
            break;
        }
        n += 1;
    }
    for (kind, id, _) in subjects() {
        let body = genesys::subject(m, kind, &id).unwrap();
        again
            .read_subject(kind, &serde_json::to_string(&body).unwrap())
            .unwrap();
    }
    let back = again.finish();
    assert_eq!(back.model.to_json(), m.to_json());
}

#[test]
fn the_change_set_replays_to_the_same_model() {
    let done = large();
    let json = done.changes.to_json();
    let changes = ChangeSet::from_json(&json).unwrap();
    let mut fresh = Model::new();
    changes.apply_to(&mut fresh).unwrap();
    assert_eq!(fresh.to_json(), done.model.to_json());
}

#[test]
fn a_sync_onto_the_model_holds_only_the_differences() {
    let done = large();
    let m = done.model;
    // The same pages again: nothing to do.
    let mut sync = GenesysImport::onto(m.clone());
    for p in pages("permissions-page") {
        sync.read_permissions_page(&p).unwrap();
    }
    sync.read_divisions_page(&fixture("divisions.json"))
        .unwrap();
    for p in pages("roles-page") {
        sync.read_roles_page(&p).unwrap();
    }
    for (kind, _, body) in subjects() {
        sync.read_subject(kind, &body.to_string()).unwrap();
    }
    assert!(sync.finish().changes.ops.is_empty());
    // A role renamed, a new division, a user who lost a grant and gained another.
    let mut page: Value = serde_json::from_str(&pages("roles-page")[3]).unwrap();
    let role_id = page["entities"][0]["id"].as_str().unwrap().to_owned();
    let default = page["entities"][0]["default"].as_bool().unwrap();
    page["entities"][0]["description"] = json!("changed");
    let (_, uid, mut body) = subjects()
        .into_iter()
        .find(|(k, _, b)| *k == SubjectKind::User && b["grants"].as_array().unwrap().len() == 2)
        .unwrap();
    let lost = body["grants"][0]["role"]["id"].as_str().unwrap().to_owned();
    body["grants"][0]["division"] = json!({"id": "d-new"});
    let mut sync = GenesysImport::onto(m.clone());
    sync.read_divisions_page(r#"{"entities": [{"id": "d-new", "name": "New"}]}"#)
        .unwrap();
    sync.read_roles_page(&page.to_string()).unwrap();
    sync.read_subject(SubjectKind::User, &body.to_string())
        .unwrap();
    let delta = sync.finish();
    let ops: Vec<Value> = delta.changes.ops.iter().map(to_value).collect();
    assert_eq!(ops.len(), 4, "{ops:?}");
    assert_eq!(
        ops[0],
        json!({"op": "addDivision", "id": "d-new", "name": "New"})
    );
    assert_eq!(ops[1]["op"], "updateRole");
    assert_eq!(ops[1]["role"]["id"], json!(role_id));
    assert_eq!(ops[1]["role"]["description"], "changed");
    assert_eq!(ops[1]["role"]["defaultRoleId"].is_string(), default);
    assert_eq!(ops[2]["op"], "revokeRole");
    assert_eq!(
        (ops[2]["userId"].as_str(), ops[2]["roleId"].as_str()),
        (Some(uid.as_str()), Some(lost.as_str()))
    );
    assert_eq!(
        ops[3],
        json!({"op": "grantRole", "userId": uid, "groupId": null, "roleId": lost, "divisionId": "d-new"})
    );
    // Applied to the model, the delta gives the model the sync read.
    let mut applied = m.clone();
    delta.changes.apply_to(&mut applied).unwrap();
    assert_eq!(applied.to_json(), delta.model.to_json());
}

// ---- a reference over the JSON -------------------------------------------------------------

/// The generated tenant, read from its JSON without the library.
struct Reference {
    /// atom → (division-aware, allows conditions).
    atoms: BTreeMap<String, (bool, bool)>,
    /// role → (flat permissions, policies).
    roles: BTreeMap<String, (Vec<String>, Vec<Value>)>,
    base: String,
    /// user → (role, division) grants.
    grants: BTreeMap<String, Vec<(String, String)>>,
}

impl Reference {
    fn load() -> Reference {
        let mut atoms = BTreeMap::new();
        for p in pages("permissions-page") {
            let v: Value = serde_json::from_str(&p).unwrap();
            for c in v["entities"].as_array().unwrap() {
                for (_, list) in c["permissionMap"].as_object().unwrap() {
                    for x in list.as_array().unwrap() {
                        let name = format!(
                            "{}:{}:{}",
                            x["domain"].as_str().unwrap(),
                            x["entityType"].as_str().unwrap(),
                            x["action"].as_str().unwrap()
                        );
                        atoms.insert(
                            name,
                            (
                                x["divisionAware"].as_bool().unwrap(),
                                x["allowsConditions"].as_bool().unwrap(),
                            ),
                        );
                    }
                }
            }
        }
        let mut roles = BTreeMap::new();
        let mut base = String::new();
        for p in pages("roles-page") {
            let v: Value = serde_json::from_str(&p).unwrap();
            for r in v["entities"].as_array().unwrap() {
                let id = r["id"].as_str().unwrap().to_owned();
                if r["base"].as_bool().unwrap() {
                    base = id.clone();
                }
                let flat = r["permissions"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|p| p.as_str().unwrap().to_owned())
                    .collect();
                roles.insert(
                    id,
                    (flat, r["permissionPolicies"].as_array().unwrap().clone()),
                );
            }
        }
        let mut grants: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
        for (kind, id, body) in subjects() {
            if kind != SubjectKind::User {
                continue; // the generated groups have no members
            }
            let list = grants.entry(id).or_default();
            for g in body["grants"].as_array().unwrap() {
                list.push((
                    g["role"]["id"].as_str().unwrap().to_owned(),
                    g["division"]["id"].as_str().unwrap().to_owned(),
                ));
            }
        }
        Reference {
            atoms,
            roles,
            base,
            grants,
        }
    }

    fn holds(c: &Value, attrs: &[(&str, &str)]) -> bool {
        if let Some(terms) = c.get("terms") {
            let mut each = terms
                .as_array()
                .unwrap()
                .iter()
                .map(|t| Reference::holds(t, attrs));
            return match c["conjunction"].as_str().unwrap() {
                "AND" => each.all(|x| x),
                _ => each.any(|x| x),
            };
        }
        let var = c["variableName"].as_str().unwrap();
        let operands: Vec<&str> = c["operands"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| o["value"].as_str().unwrap())
            .collect();
        attrs
            .iter()
            .filter(|(n, _)| *n == var)
            .any(|(_, v)| operands.contains(v))
    }

    /// Whether the role names `atom` without condition, or under a condition that holds.
    fn role_grants(&self, role: &str, atom: &str, attrs: &[(&str, &str)]) -> bool {
        let (flat, policies) = &self.roles[role];
        if flat.iter().any(|f| f == "admin") {
            return true;
        }
        let mut parts = atom.split(':');
        let (d, e, a) = (
            parts.next().unwrap(),
            parts.next().unwrap(),
            parts.next().unwrap(),
        );
        policies.iter().any(|p| {
            let matches = p["domain"] == d
                && (p["entityName"] == "*" || p["entityName"] == e)
                && p["actionSet"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|x| x == "*" || x == a);
            matches
                && match p.get("resourceConditionNode") {
                    None => true,
                    Some(c) => !attrs.is_empty() && Reference::holds(c, attrs),
                }
        })
    }

    fn check(
        &self,
        user: &str,
        atom: &str,
        division: Option<&str>,
        attrs: &[(&str, &str)],
    ) -> bool {
        let (aware, _) = self.atoms[atom];
        let mut grants = self.grants[user].clone();
        grants.push((self.base.clone(), "d-home".into()));
        grants.iter().any(|(r, gd)| {
            let in_scope = match division {
                None => true,
                Some(d) => !aware || gd == "*" || gd == d,
            };
            in_scope && self.role_grants(r, atom, if division.is_some() { attrs } else { &[] })
        })
    }
}

#[test]
fn large_tenant_checks_match_a_reference_over_the_json() {
    let reference = Reference::load();
    let done = large();
    let snap = done.model.compile();
    let rbac = snap.rbac();
    let divisions = ["d-home", "d-emea", "d-apac", "d-amer", "d-retail", "d-b2b"];
    let attr_sets: [&[(&str, &str)]; 4] = [
        &[],
        &[("queue.id", "v1"), ("media.type", "v2")],
        &[
            ("conversation.mediaType", "v3"),
            ("wrapupCode.id", "v0"),
            ("queue.id", "v4"),
        ],
        &[("media.type", "v5"), ("media.type", "v1")],
    ];
    let mut allowed = 0usize;
    let mut checked = 0usize;
    for (k, user) in reference.grants.keys().enumerate() {
        if k % 5 != 0 {
            continue;
        }
        let mut expected_perms: BTreeSet<String> = BTreeSet::new();
        for atom in reference.atoms.keys() {
            let held = reference.check(user, atom, None, &[]);
            assert_eq!(
                rbac.has_permission(user.as_str(), atom.as_str()),
                held,
                "{user} {atom}"
            );
            if held {
                expected_perms.insert(atom.clone());
            }
            for d in divisions {
                for attrs in attr_sets {
                    let want = reference.check(user, atom, Some(d), attrs);
                    let got = rbac.has_permission_on(user.as_str(), atom.as_str(), d, attrs);
                    assert_eq!(got, want, "{user} {atom} {d} {attrs:?}");
                    allowed += usize::from(got);
                    checked += 1;
                }
            }
        }
        let admin = reference.grants[user.as_str()]
            .iter()
            .any(|(r, _)| reference.roles[r].0.iter().any(|f| f == "admin"));
        if admin {
            expected_perms.insert("admin".into());
        }
        let got: BTreeSet<String> = rbac
            .user_permissions(user.as_str())
            .into_iter()
            .map(str::to_owned)
            .collect();
        assert_eq!(got, expected_perms, "{user}");
    }
    // Both answers occur often enough to mean something.
    assert!(
        allowed > checked / 20 && allowed < checked,
        "{allowed} of {checked}"
    );
}

#[test]
fn permissions_of_unchanged_catalog_are_not_re_added() {
    let mut m = Model::new();
    m.rbac_mut()
        .add_permission(PermissionSpec::new("routing:queue:view", "View queues").division_aware())
        .unwrap();
    let mut sync = GenesysImport::onto(m.clone());
    sync.read_permissions_page(
        r#"{"entities": [{"domain": "routing", "permissionMap": {"queue": [
            {"action": "view", "label": "View queues", "divisionAware": true},
            {"action": "edit", "label": "Edit queues", "divisionAware": true}]}}]}"#,
    )
    .unwrap();
    let ops: Vec<Value> = sync.finish().changes.ops.iter().map(to_value).collect();
    assert_eq!(
        ops,
        [
            json!({"op": "addPermission", "permission": {"permission": "routing:queue:edit", "label": "Edit queues", "divisionAware": true}})
        ]
    );
}

// ---- the semantics added for Genesys (issue 11 §3) ---------------------------------------

/// A catalog with one conditional, division-aware atom and a role whose condition has
/// `operands`; granted to ada in home and to the client `crm`.
fn with_condition(node: &str) -> Result<Model, ModelError> {
    let mut import = GenesysImport::new();
    import.read_permissions_page(
        r#"{"entities": [{"domain": "routing", "permissionMap": {"queue": [
            {"action": "edit", "label": "Edit queues", "allowsConditions": true, "divisionAware": true}]}}]}"#,
    )?;
    import.read_divisions_page(
        r#"{"entities": [{"id": "home", "name": "Home", "homeDivision": true}]}"#,
    )?;
    import.read_role(&format!(
        r#"{{"id": "r", "name": "R", "permissionPolicies": [{{"domain": "routing", "entityName": "queue",
            "actionSet": ["edit"], "resourceConditionNode": {node}}}]}}"#
    ))?;
    import.read_subject(
        SubjectKind::User,
        r#"{"id": "ada", "grants": [{"role": {"id": "r"}, "division": {"id": "home"}}]}"#,
    )?;
    import.read_subject(
        SubjectKind::Client,
        r#"{"id": "crm", "grants": [{"role": {"id": "r"}, "division": {"id": "home"}}]}"#,
    )?;
    Ok(import.finish().model)
}

const EDIT: &str = "routing:queue:edit";

#[test]
fn user_operand_compares_with_the_checking_users_id() {
    let m = with_condition(
        r#"{"variableName": "queue.ownerId", "operator": "EQ", "operands": [{"type": "USER"}]}"#,
    )
    .unwrap();
    let snap = m.compile();
    let rbac = snap.rbac();
    assert!(rbac.has_permission_on("ada", EDIT, "home", &[("queue.ownerId", "ada")]));
    assert!(!rbac.has_permission_on("ada", EDIT, "home", &[("queue.ownerId", "bob")]));
    assert!(rbac.has_permission_on(
        "ada",
        EDIT,
        "home",
        &[("queue.ownerId", "bob"), ("queue.ownerId", "ada")]
    ));
    // A client is not a directory user: the operand matches nothing for it.
    assert!(!rbac.client_has_permission_on("crm", EDIT, "home", &[("queue.ownerId", "crm")]));
    let why = rbac.explain_permission_on("ada", EDIT, "home", &[("queue.ownerId", "bob")]);
    assert_eq!(
        why.to_string(),
        "deny: permission \"routing:queue:edit\" is granted only under conditions (role \"r\" policy \"routing:queue:edit\"), none held"
    );
    // Written back in Genesys' shape and read again, the operand stays USER.
    let role = genesys::role_entity(&m, "r").unwrap();
    assert_eq!(
        to_value(&role.permission_policies[0].resource_condition_node),
        json!({"variableName": "queue.ownerId", "operator": "EQ", "operands": [{"type": "USER"}]})
    );
    let again = Model::from_json(&m.to_json()).unwrap();
    assert_eq!(again.to_json(), m.to_json());
    assert_eq!(
        doc(&m)["roles"][0]["permissionPolicies"][0]["resourceConditionNode"],
        json!({"variableName": "queue.ownerId", "operator": "EQ", "operands": [{"type": "USER"}]})
    );
}

#[test]
fn variable_operand_reads_the_check_variables_and_fails_closed_without_them() {
    let m = with_condition(
        r#"{"conjunction": "AND", "terms": [
            {"variableName": "queue.team", "operator": "IN", "operands": [{"type": "VARIABLE", "value": "team"}, {"type": "SCALAR", "value": "shared"}]},
            {"variableName": "queue.priority", "operator": "LE", "operands": [{"type": "VARIABLE", "value": "maxPriority"}]}]}"#,
    )
    .unwrap();
    let snap = m.compile();
    let rbac = snap.rbac();
    let q = [("queue.team", "billing"), ("queue.priority", "3")];
    let vars = [("team", "billing"), ("maxPriority", "5")];
    assert!(rbac.has_permission_on_with("ada", EDIT, "home", &q, &vars));
    assert!(
        rbac.explain_permission_on_with("ada", EDIT, "home", &q, &vars)
            .allowed
    );
    assert!(rbac.client_has_permission_on_with("crm", EDIT, "home", &q, &vars));
    // A variable given several times stands for each value.
    assert!(rbac.has_permission_on_with(
        "ada",
        EDIT,
        "home",
        &q,
        &[("team", "sales"), ("team", "billing"), ("maxPriority", "3")]
    ));
    assert!(!rbac.has_permission_on_with(
        "ada",
        EDIT,
        "home",
        &q,
        &[("team", "billing"), ("maxPriority", "2")]
    ));
    // A bound that is not a number, a missing variable, or no variables at all: false.
    assert!(!rbac.has_permission_on_with(
        "ada",
        EDIT,
        "home",
        &q,
        &[("team", "billing"), ("maxPriority", "high")]
    ));
    assert!(!rbac.has_permission_on_with("ada", EDIT, "home", &q, &[("team", "billing")]));
    assert!(!rbac.has_permission_on("ada", EDIT, "home", &q));
    assert!(!rbac.explain_permission_on("ada", EDIT, "home", &q).allowed);
    assert!(!rbac.client_has_permission_on("crm", EDIT, "home", &q));
    // The scalar alternative of the IN needs no variable; the LE still does.
    let shared = [("queue.team", "shared"), ("queue.priority", "1")];
    assert!(!rbac.has_permission_on("ada", EDIT, "home", &shared));
    assert!(rbac.has_permission_on_with("ada", EDIT, "home", &shared, &[("maxPriority", "1")]));
}

#[test]
fn queue_operand_compares_with_the_queue_id() {
    let m = with_condition(
        r#"{"variableName": "queue.id", "operator": "IN", "operands": [
            {"type": "QUEUE", "queue": {"id": "q-billing", "name": "Billing", "selfUri": "/api/v2/routing/queues/q-billing"}},
            {"type": "QUEUE", "queue": {"id": "q-claims"}, "value": "q-claims"}]}"#,
    )
    .unwrap();
    let snap = m.compile();
    assert!(
        snap.rbac()
            .has_permission_on("ada", EDIT, "home", &[("queue.id", "q-claims")])
    );
    assert!(
        !snap
            .rbac()
            .has_permission_on("ada", EDIT, "home", &[("queue.id", "q-sales")])
    );
    assert_eq!(
        to_value(
            &genesys::role_entity(&m, "r").unwrap().permission_policies[0].resource_condition_node
        ),
        json!({"variableName": "queue.id", "operator": "IN", "operands": [
            {"type": "QUEUE", "queue": {"id": "q-billing"}}, {"type": "QUEUE", "queue": {"id": "q-claims"}}]})
    );
}

#[test]
fn operands_that_cannot_mean_what_they_say_are_refused() {
    let at = "permissionPolicies[0].resourceConditionNode";
    let conflict = |reason: &'static str| ErrorKind::Input(InputErrorKind::Conflict { reason });
    let cases: Vec<(&str, String, ErrorKind)> = vec![
        (
            r#"{"variableName": "x", "operator": "EQ", "operands": [{"type": "USER", "user": {"id": "bob"}}]}"#,
            format!("{at}.operands[0].user"),
            conflict(
                "a USER operand stands for the checking user: it names no user and has no value",
            ),
        ),
        (
            r#"{"variableName": "x", "operator": "EQ", "operands": [{"type": "QUEUE", "queue": {"id": "q1"}, "value": "q2"}]}"#,
            format!("{at}.operands[0].value"),
            conflict("a QUEUE operand's value must be its queue's id"),
        ),
        (
            r#"{"variableName": "x", "operator": "EQ", "operands": [{"type": "QUEUE", "value": "q1"}]}"#,
            format!("{at}.operands[0].queue"),
            ErrorKind::Input(InputErrorKind::Required),
        ),
        (
            r#"{"variableName": "x", "operator": "EQ", "operands": [{"type": "VARIABLE"}]}"#,
            format!("{at}.operands[0].value"),
            ErrorKind::Input(InputErrorKind::Required),
        ),
        (
            r#"{"variableName": "x", "operator": "EQ", "operands": [{"type": "GROUP", "value": "g"}]}"#,
            format!("{at}.operands[0].type"),
            ErrorKind::Rbac(RbacErrorKind::InvalidCondition {
                reason: "the operand types are SCALAR, QUEUE, USER and VARIABLE",
            }),
        ),
        (
            r#"{"variableName": "x", "operator": "GE", "operands": [{"type": "QUEUE", "queue": {"id": "q1"}}]}"#,
            format!("{at}.operands[0]"),
            ErrorKind::Rbac(RbacErrorKind::InvalidCondition {
                reason: "GE, GT, LE and LT compare numbers: a SCALAR number or a VARIABLE",
            }),
        ),
        (
            r#"{"variableName": "x", "operator": "LT", "operands": [{"type": "USER"}]}"#,
            format!("{at}.operands[0]"),
            ErrorKind::Rbac(RbacErrorKind::InvalidCondition {
                reason: "GE, GT, LE and LT compare numbers: a SCALAR number or a VARIABLE",
            }),
        ),
        (
            r#"{"variableName": "x", "operator": "EQ", "operands": [{"type": "SCALAR", "value": "1", "queue": {"id": "q"}}]}"#,
            format!("{at}.operands[0].queue"),
            conflict("a SCALAR operand has a value only"),
        ),
    ];
    for (node, path, kind) in cases {
        let err = with_condition(node).unwrap_err();
        assert_eq!((err.path(), err.kind()), (path.as_str(), &kind), "{node}");
    }
    // A GE on a variable is fine.
    with_condition(r#"{"variableName": "x", "operator": "GE", "operands": [{"type": "VARIABLE", "value": "min"}]}"#).unwrap();
}

#[test]
fn oauth_clients_hold_roles_of_their_own() {
    let done = small().finish();
    let mut m = done.model;
    let mut sync = GenesysImport::onto(m.clone());
    // A client sharing a user's id is another subject.
    sync.read_subject(
        SubjectKind::Client,
        r#"{"id": "ada", "name": "Reporting integration", "grants": [
            {"subjectId": "ada", "role": {"id": "c3e4f5a6-qlead"}, "division": {"id": "5c8fb0e2-home"}}]}"#,
    )
    .unwrap();
    let delta = sync.finish();
    assert_eq!(
        delta.changes.ops.iter().map(to_value).collect::<Vec<_>>(),
        [
            json!({"op": "grantClientRole", "clientId": "ada", "roleId": "c3e4f5a6-qlead", "divisionId": "5c8fb0e2-home"})
        ]
    );
    delta.changes.apply_to(&mut m).unwrap();
    let snap = m.compile();
    let rbac = snap.rbac();
    assert_eq!(rbac.client_roles("ada"), ["c3e4f5a6-qlead"]);
    assert_eq!(rbac.client_permissions("ada"), ["quality:evaluation:view"]);
    assert!(rbac.client_has_permission_on("ada", "quality:evaluation:view", "5c8fb0e2-home", &[]));
    assert!(!rbac.client_has_permission_on("ada", "quality:evaluation:view", "9a1d77c4-emea", &[]));
    // No base role for a client, and the user ada keeps her own grants.
    assert!(!rbac.client_has_permission("ada", "routing:queue:join"));
    assert!(rbac.has_permission_on("ada", "quality:evaluation:add", "9a1d77c4-emea", &[]));
    assert_eq!(
        rbac.client_divisions_permitted("ada", "quality:evaluation:view"),
        orgperm::PermittedDivisions::Only(vec![rbac.division_id("5c8fb0e2-home").unwrap()])
    );
    // The subject body, the document and deleting the role.
    assert_eq!(
        to_value(&genesys::subject(&m, SubjectKind::Client, "ada").unwrap()),
        json!({"id": "ada", "grants": [{"subjectId": "ada", "division": {"id": "5c8fb0e2-home", "name": "Home"},
            "role": {"id": "c3e4f5a6-qlead", "name": "Queue Lead"}}], "selfUri": "/api/v2/authorization/subjects/ada"})
    );
    let grants = doc(&m)["grants"].as_array().unwrap().clone();
    assert_eq!(
        grants.last().unwrap(),
        &json!({"clientId": "ada", "roleId": "c3e4f5a6-qlead", "divisionId": "5c8fb0e2-home"})
    );
    assert_eq!(
        Model::from_json(&m.to_json()).unwrap().to_json(),
        m.to_json()
    );
    m.rbac_mut()
        .revoke_role(
            Subject::User("ada"),
            "c3e4f5a6-qlead",
            Some("9a1d77c4-emea"),
        )
        .unwrap();
    m.rbac_mut()
        .remove_role_users("c3e4f5a6-qlead", &["bob"])
        .unwrap();
    let err = m.rbac_mut().delete_role("c3e4f5a6-qlead").unwrap_err();
    assert_eq!(
        err.kind(),
        &RbacErrorKind::RoleAssigned {
            id: "c3e4f5a6-qlead".into(),
            grants: 1
        }
    );
    // An empty grant list removes the client.
    let mut sync = GenesysImport::onto(m.clone());
    sync.read_subject(SubjectKind::Client, r#"{"id": "ada", "grants": []}"#)
        .unwrap();
    let m = sync.finish().model;
    assert_eq!(m.rbac().client_ids().count(), 0);
    assert!(m.compile().rbac().client_roles("ada").is_empty());
}

#[test]
fn needs_update_is_set_by_the_patch_and_kept_until_the_template_changes() {
    let mut import = small();
    let before = import.clone().finish().changes.ops.len();
    import
        .read_role_patch(
            "d4f5a6b7-admin",
            r#"{"id": "d4f5a6b7-admin", "roleNeedsUpdate": true}"#,
        )
        .unwrap();
    // A second identical PATCH changes nothing.
    import
        .read_role_patch("d4f5a6b7-admin", r#"{"roleNeedsUpdate": true}"#)
        .unwrap();
    let done = import.finish();
    assert_eq!(
        done.changes.ops[before..]
            .iter()
            .map(to_value)
            .collect::<Vec<_>>(),
        [json!({"op": "setRoleNeedsUpdate", "roleId": "d4f5a6b7-admin", "needsUpdate": true})]
    );
    let mut m = done.model;
    assert!(
        genesys::role_entity(&m, "d4f5a6b7-admin")
            .unwrap()
            .role_needs_update
    );
    // The document keeps the mark; a listing written and read again keeps it too.
    let json = m.to_json();
    let roles = doc(&m)["roles"].as_array().unwrap().clone();
    let marked: Vec<&Value> = roles
        .iter()
        .filter(|r| r.get("needsUpdate").is_some())
        .collect();
    assert_eq!(marked.len(), 1);
    assert_eq!(
        (&marked[0]["id"], &marked[0]["needsUpdate"]),
        (&json!("d4f5a6b7-admin"), &json!(true))
    );
    assert_eq!(Model::from_json(&json).unwrap().to_json(), json);
    let page = serde_json::to_string(&genesys::roles_page(&m, &RoleQuery::new()).unwrap()).unwrap();
    let mut fresh = GenesysImport::new();
    fresh
        .read_permissions_page(&fixture("small/permissions.json"))
        .unwrap();
    fresh.read_roles_page(&page).unwrap();
    assert!(fresh.model().rbac().needs_update("d4f5a6b7-admin").unwrap());
    let mut sync = GenesysImport::onto(m.clone());
    sync.read_roles_page(&page).unwrap();
    assert!(sync.finish().changes.ops.is_empty());
    // A new template version computes the flag again.
    let t = m.rbac().default_role_template("admin").unwrap().clone();
    m.rbac_mut().set_default_role_template(t).unwrap();
    assert!(!m.rbac().needs_update("d4f5a6b7-admin").unwrap());
    // The PATCH changes nothing else, and only default roles have the flag.
    let mut import = small();
    for (body, path, kind) in [
        (
            r#"{"roleNeedsUpdate": true, "name": "X"}"#,
            "name",
            unknown(&["id", "roleNeedsUpdate"]),
        ),
        (
            r#"{"id": "d4f5a6b7-admin"}"#,
            "roleNeedsUpdate",
            ErrorKind::Input(InputErrorKind::Required),
        ),
        (
            r#"{"id": "other", "roleNeedsUpdate": true}"#,
            "id",
            ErrorKind::Input(InputErrorKind::Conflict {
                reason: "the body's id must be the role patched",
            }),
        ),
    ] {
        let err = import.read_role_patch("d4f5a6b7-admin", body).unwrap_err();
        assert_eq!((err.path(), err.kind()), (path, &kind), "{body}");
    }
    let err = import
        .read_role_patch("c3e4f5a6-qlead", r#"{"roleNeedsUpdate": true}"#)
        .unwrap_err();
    assert_eq!(
        (err.path(), err.kind()),
        (
            "roleNeedsUpdate",
            &ErrorKind::Rbac(RbacErrorKind::NotADefaultRole {
                id: "c3e4f5a6-qlead".into()
            })
        )
    );
    let err = import
        .read_role_patch("ghost", r#"{"roleNeedsUpdate": true}"#)
        .unwrap_err();
    assert_eq!(
        err.kind(),
        &ErrorKind::Rbac(RbacErrorKind::UnknownRole { id: "ghost".into() })
    );
}

#[test]
fn cursor_pages_walk_the_listing_and_survive_edits() {
    let mut m = large().model;
    let all: Vec<String> = genesys::roles_page(&m, &RoleQuery::new().page(1000, 1))
        .unwrap()
        .entities
        .into_iter()
        .map(|r| r.id)
        .collect();
    assert_eq!(all.len(), 200);
    // Forward by nextPage tokens, through the reader's PageInfo, in pages of 30.
    let mut seen: Vec<String> = Vec::new();
    let mut query = RoleQuery::new().page(30, 1);
    let mut pages = 0;
    loop {
        let body = serde_json::to_string(&genesys::roles_cursor_page(&m, &query).unwrap()).unwrap();
        let mut sync = GenesysImport::onto(m.clone());
        let info = sync.read_roles_page(&body).unwrap();
        assert!(sync.finish().changes.ops.is_empty());
        let v: Value = serde_json::from_str(&body).unwrap();
        seen.extend(
            v["entities"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| e["id"].as_str().unwrap().to_owned()),
        );
        pages += 1;
        match info.next_page_token() {
            Some(t) => query = RoleQuery::new().page(30, 1).after(t),
            None => break,
        }
    }
    assert_eq!((seen.clone(), pages), (all.clone(), 7));
    // A role created before the cursor and one deleted after it: the walk neither repeats
    // nor skips what is still there.
    let first = m
        .rbac()
        .list_roles_by_cursor(&RoleQuery::new().page(50, 1))
        .unwrap();
    let token = first.next.clone().unwrap();
    m.rbac_mut()
        .create_role(RoleSpec::new("r-new", "AAA first"))
        .unwrap();
    let gone = all[60..]
        .iter()
        .find(|r| {
            m.rbac().role_users(r).unwrap().is_empty()
                && m.rbac()
                    .subject_grants(Subject::Group("g-support"))
                    .unwrap()
                    .iter()
                    .all(|g| &g.role_id != *r)
        })
        .cloned()
        .unwrap();
    let held_by_groups = ["g-support", "g-sales", "g-qa", "g-wfm", "g-night"]
        .iter()
        .any(|g| {
            m.rbac()
                .subject_grants(Subject::Group(g))
                .unwrap()
                .iter()
                .any(|x| x.role_id == gone)
        });
    assert!(!held_by_groups, "pick a role no group holds");
    m.rbac_mut().delete_role(&gone).unwrap();
    let rest: Vec<String> = {
        let mut out = Vec::new();
        let mut q = RoleQuery::new().page(50, 1).after(token.clone());
        loop {
            let p = m.rbac().list_roles_by_cursor(&q).unwrap();
            out.extend(p.entities.iter().map(|s| s.role.id.clone()));
            match p.next {
                Some(t) => q = RoleQuery::new().page(50, 1).after(t),
                None => break,
            }
        }
        out
    };
    let want: Vec<String> = all[50..].iter().filter(|r| **r != gone).cloned().collect();
    assert_eq!(rest, want);
    // Backwards from the second page gives the first again.
    let second = m
        .rbac()
        .list_roles_by_cursor(&RoleQuery::new().page(50, 1).after(token))
        .unwrap();
    let back = m
        .rbac()
        .list_roles_by_cursor(
            &RoleQuery::new()
                .page(50, 1)
                .before(second.previous.unwrap()),
        )
        .unwrap();
    let ids: Vec<&str> = back.entities.iter().map(|s| s.role.id.as_str()).collect();
    // The 50 roles just before the second page's first: the new role sorts before them all,
    // so these are the first page's 50 as first listed.
    let want: Vec<&str> = all[..50].iter().map(String::as_str).collect();
    assert_eq!(ids, want);
    // Descending and by user count: tokens belong to their order.
    let by_count = RoleQuery::new()
        .page(10, 1)
        .sort(orgperm::RoleSort::UserCount, true);
    let p = m.rbac().list_roles_by_cursor(&by_count).unwrap();
    assert!(
        p.entities
            .windows(2)
            .all(|w| w[0].user_count >= w[1].user_count)
    );
    let err = m
        .rbac()
        .list_roles_by_cursor(&RoleQuery::new().page(10, 1).after(p.next.unwrap()))
        .unwrap_err();
    assert_eq!(
        (err.path(), err.kind()),
        (
            "nextPage",
            &RbacErrorKind::Input(InputErrorKind::InvalidPaging {
                reason: "the cursor belongs to another sort order or direction"
            })
        )
    );
    for bad in [
        "",
        "na.1",
        "na.x.61.62",
        "na.0.6.62",
        "na.0.zz.62",
        "na.0.61.62.63",
    ] {
        let err = m
            .rbac()
            .list_roles_by_cursor(&RoleQuery::new().before(bad))
            .unwrap_err();
        assert_eq!(
            (err.path(), err.kind()),
            (
                "previousPage",
                &RbacErrorKind::Input(InputErrorKind::InvalidPaging {
                    reason: "malformed cursor"
                })
            ),
            "{bad}"
        );
    }
}

#[test]
fn a_body_failing_after_its_first_edits_is_undone() {
    // The first role is created before the second is refused: the page is undone as a
    // whole, its edits and operations, and the import reads on from there.
    let mut import = small();
    let before = import.model().to_json();
    let ops = import.clone().finish().changes.ops.len();
    let page = r#"{"entities": [
        {"id": "r-new", "name": "New", "permissionPolicies": [{"domain": "routing", "entityName": "queue", "actionSet": ["view"]}]},
        {"id": "r-bad", "name": "Bad", "permissionPolicies": [{"domain": "nope", "entityName": "*", "actionSet": ["*"]}]}]}"#;
    let err = import.read_roles_page(page).unwrap_err();
    assert_eq!(err.path(), "entities[1].permissionPolicies[0].domain");
    assert_eq!(import.model().to_json(), before);
    assert!(import.model().rbac().role("r-new").is_none());
    import
        .read_role(r#"{"id": "r-new", "name": "New"}"#)
        .unwrap();
    let done = import.finish();
    assert_eq!(done.changes.ops.len(), ops + 1);
    let mut again = Model::new();
    done.changes.apply_to(&mut again).unwrap();
    assert_eq!(again.to_json(), done.model.to_json());
}
