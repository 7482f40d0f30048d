//! Roles and permissions: model document.

use super::*;

fn full_model() -> Model {
    let mut m = queried();
    m.rbac_mut()
        .assign_resource("queue-1", Some("emea"))
        .unwrap();
    m.rbac_mut()
        .create_role(
            role(
                "c",
                &[
                    policy("routing", "queue", &["view"]).with_condition(Condition::all([
                        Condition::is_in("q", ["1", "2"]),
                        Condition::any([Condition::ge("p", "5"), Condition::eq("vip", "true")]),
                    ])),
                ],
            )
            .with_description("conditional"),
        )
        .unwrap();
    grant(&mut m, "dee", "c", Some("*"));
    m.rbac_mut()
        .create_role(RoleSpec::new("vo", "View only").view_only())
        .unwrap();
    m.add_user("viewer", None).unwrap();
    grant(&mut m, "viewer", "vo", None);
    m.rbac_mut()
        .add_actions(vec![
            ActionSpec::new("manage_goals", "Manage goals").requiring("access_goals"),
            ActionSpec::new("access_goals", "Access goals").with_description("Read goals"),
        ])
        .unwrap();
    m.rbac_mut()
        .create_global_permission(GlobalPermissionSpec::new(
            "p1",
            "manage_goals",
            ["r", "dee"],
        ))
        .unwrap();
    m
}

#[test]
fn document_round_trip_is_deterministic() {
    let m = full_model();
    let json = m.to_json();
    let again = Model::from_json(&json).unwrap();
    assert_eq!(again.to_json(), json);
    for section in [
        "\"enabledProducts\"",
        "\"permissionCatalog\"",
        "\"divisions\"",
        "\"divisionResources\"",
        "\"groups\"",
        "\"defaultRoles\"",
        "\"roles\"",
        "\"grants\"",
        "\"actions\"",
        "\"globalPermissions\"",
        "\"resourceConditionNode\"",
        "\"viewOnly\": true",
        "\"base\": true",
        "\"home\": true",
    ] {
        assert!(json.contains(section), "{section}");
    }
    let (a, b) = (m.compile(), again.compile());
    for u in ["ada", "bob", "cy", "dee", "viewer"] {
        assert_eq!(a.rbac().user_permissions(u), b.rbac().user_permissions(u));
        assert_eq!(a.rbac().user_roles(u), b.rbac().user_roles(u));
        assert_eq!(a.rbac().user_actions(u), b.rbac().user_actions(u));
        assert_eq!(a.rbac().is_view_only(u), b.rbac().is_view_only(u));
        for d in ["home", "emea", "apac"] {
            for attrs in [&[("q", "1"), ("p", "7")][..], &[("q", "3")][..]] {
                assert_eq!(
                    a.rbac()
                        .has_permission_on(u, "routing:queue:view", d, attrs),
                    b.rbac()
                        .has_permission_on(u, "routing:queue:view", d, attrs)
                );
            }
        }
    }
    assert!(b.rbac().has_permission_on(
        "dee",
        "routing:queue:view",
        "apac",
        &[("q", "1"), ("p", "7")]
    ));
    assert_eq!(again.rbac().resource_division("queue-1"), Some("emea"));
    assert_eq!(again.rbac().base_role(), Some("emp"));
}

#[test]
fn version_1_document_without_rbac_sections_still_reads() {
    let m = Model::from_json(r#"{"version": 1, "users": [{"id": "a"}]}"#).unwrap();
    assert!(m.rbac().role_ids().next().is_none());
    let json = m.to_json();
    for absent in ["roles", "grants", "permissionCatalog", "divisions"] {
        assert!(!json.contains(absent), "{absent}");
    }
    assert!(!m.compile().rbac().has_permission("a", "admin"));
}

#[test]
fn document_keeps_roles_with_permissions_of_disabled_products() {
    let mut m = world();
    m.rbac_mut()
        .create_role(role("o", &[policy("outbound", "campaign", &["view"])]))
        .unwrap();
    grant(&mut m, "ada", "o", Some("*"));
    m.rbac_mut().disable_product("engage");
    let again = Model::from_json(&m.to_json()).unwrap();
    assert_eq!(again.rbac().role("o"), m.rbac().role("o"));
    assert!(
        !again
            .compile()
            .rbac()
            .has_permission("ada", "outbound:campaign:view")
    );
}

#[test]
fn document_errors_point_at_the_field() {
    let base = full_model().to_json();
    let doc: serde_json::Value = serde_json::from_str(&base).unwrap();
    let cases: Vec<(&str, serde_json::Value, &str)> = vec![
        (
            "/roles/3/permissionPolicies/0/domain",
            "*".into(),
            "roles[3].permissionPolicies[0].domain: a policy domain cannot be \"*\"",
        ),
        (
            "/roles/1/permissionPolicies/0/resourceConditionNode/terms/1/terms/0/operator",
            "NE".into(),
            "roles[1].permissionPolicies[0].resourceConditionNode.terms[1].terms[0].operator: invalid operator \"NE\" (expected EQ, IN, GE, GT, LE or LT)",
        ),
        (
            "/roles/1/permissionPolicies/0/resourceConditionNode/conjunction",
            "XOR".into(),
            "roles[1].permissionPolicies[0].resourceConditionNode.conjunction: invalid conjunction \"XOR\" (expected AND or OR)",
        ),
        (
            "/roles/1/permissionPolicies/0/resourceConditionNode/variableName",
            "x".into(),
            "roles[1].permissionPolicies[0].resourceConditionNode: a condition node is either a leaf (variableName, operator, operands) or a group (conjunction, terms)",
        ),
        (
            "/roles/1/permissionPolicies/0/resourceConditionNode/terms/0/operands/0/type",
            "GROUP".into(),
            "roles[1].permissionPolicies[0].resourceConditionNode.terms[0].operands[0].type: invalid condition: the operand types are SCALAR, QUEUE, USER and VARIABLE",
        ),
        (
            "/roles/1/permissionPolicies/0/resourceConditionNode/terms/0/operands/0/type",
            "USER".into(),
            "roles[1].permissionPolicies[0].resourceConditionNode.terms[0].operands[0].value: a USER operand stands for the checking user and takes no value",
        ),
        (
            "/roles/0/name",
            serde_json::Value::Null,
            "roles[0].name: a value is required",
        ),
        (
            "/grants/0/divisionId",
            "mars".into(),
            "grants[0].divisionId: unknown division \"mars\"",
        ),
        (
            "/grants/0/groupId",
            "g".into(),
            "grants[0]: a grant names either userId or groupId, not both",
        ),
        (
            "/grants/0/roleId",
            "ghost".into(),
            "grants[0].roleId: unknown role \"ghost\"",
        ),
        (
            "/divisions/0/home",
            true.into(),
            "divisions[2].home: only one division can be the home division",
        ),
        (
            "/divisionResources/0/divisionId",
            "mars".into(),
            "divisionResources[0].divisionId: unknown division \"mars\"",
        ),
        (
            "/groups/0/memberIds/0",
            "ghost".into(),
            "groups[0].memberIds[0]: unknown user \"ghost\"",
        ),
        (
            "/defaultRoles/0/defaultRoleId",
            serde_json::Value::Null,
            "defaultRoles[0].defaultRoleId: a value is required",
        ),
        (
            "/permissionCatalog/0/permission",
            "a:b".into(),
            "permissionCatalog[0].permission: invalid permission \"a:b\": expected domain:entity:action or a flat name",
        ),
        (
            "/enabledProducts/0",
            "".into(),
            "enabledProducts[0]: a value is required",
        ),
        (
            "/actions/1/requires",
            "nope".into(),
            "actions[1].requires: unknown action \"nope\"",
        ),
        (
            "/globalPermissions/0/principals/0",
            serde_json::json!({"kind": "role", "id": "ghost"}),
            "globalPermissions[0].principals[0]: unknown role \"ghost\"",
        ),
        (
            "/globalPermissions/0/principals/0",
            serde_json::json!({"kind": "user", "id": "ghost"}),
            "globalPermissions[0].principals[0]: unknown user \"ghost\"",
        ),
        (
            "/globalPermissions/0/action",
            "fly".into(),
            "globalPermissions[0].action: unknown action \"fly\"",
        ),
    ];
    for (pointer, value, message) in cases {
        let mut d = doc.clone();
        let (parent, key) = pointer.rsplit_once('/').unwrap();
        match d.pointer_mut(parent).unwrap_or_else(|| panic!("{pointer}")) {
            serde_json::Value::Object(map) => {
                map.insert(key.to_owned(), value);
            }
            serde_json::Value::Array(list) => list[key.parse::<usize>().unwrap()] = value,
            other => panic!("{pointer}: {other}"),
        }
        let e = Model::from_json(&d.to_string()).unwrap_err();
        assert_eq!(format!("{}: {}", e.path(), e.kind()), message, "{pointer}");
    }
}

#[test]
fn document_keeps_a_default_role_whose_template_was_renamed() {
    let mut m = with_templates();
    m.rbac_mut().restore_default_roles(false).unwrap();
    let renamed =
        RoleSpec::new("sup", "Team supervisor").with_policy(policy("routing", "queue", &["*"]));
    m.rbac_mut()
        .set_default_role_template(DefaultRoleTemplate::new("supervisor", renamed))
        .unwrap();
    assert_eq!(m.rbac().role("sup").unwrap().name, "Supervisor"); // the saved role keeps its name
    let again = Model::from_json(&m.to_json()).unwrap();
    assert_eq!(again.rbac().role("sup").unwrap().name, "Supervisor");
    assert_eq!(again.to_json(), m.to_json());
    // A forced restore takes the template's new name.
    m.rbac_mut().restore_default_roles(true).unwrap();
    assert_eq!(m.rbac().role("sup").unwrap().name, "Team supervisor");
}

#[test]
fn document_rejects_a_grant_without_subject() {
    let json = r#"{"version": 1, "divisions": [{"id": "home", "name": "Home"}],
        "roles": [{"id": "r", "name": "R"}], "grants": [{"roleId": "r"}]}"#;
    let e = Model::from_json(json).unwrap_err();
    assert_eq!(e.to_string(), "grants[0].userId: a value is required");
    let ok = json.replace(r#""roleId": "r""#, r#""roleId": "r", "groupId": "g""#);
    let e = Model::from_json(&ok).unwrap_err();
    assert_eq!(e.to_string(), "grants[0].groupId: unknown group \"g\"");
}

#[test]
fn an_explanation_cites_the_same_grant_whatever_order_the_grants_were_made_in() {
    // Two roles and two groups grant the same permission; made in reverse id order, then
    // exported (sorted) and read back.
    let mut m = world();
    for r in ["zeta", "alpha"] {
        m.rbac_mut()
            .create_role(role(r, &[policy("routing", "queue", &["view"])]))
            .unwrap();
    }
    for g in ["gz", "ga"] {
        m.rbac_mut().add_group(g, g).unwrap();
        m.rbac_mut().add_group_members(g, &["bob"]).unwrap();
    }
    grant(&mut m, "ada", "zeta", Some("emea"));
    grant(&mut m, "ada", "alpha", Some("emea"));
    grant(&mut m, "ada", "alpha", Some("apac"));
    for g in ["gz", "ga"] {
        m.rbac_mut()
            .grant_role(Subject::Group(g), "zeta", None)
            .unwrap();
    }
    let again = Model::from_json(&m.to_json()).unwrap();
    let (s1, s2) = (m.compile(), again.compile());
    for (user, div) in [("ada", "emea"), ("ada", "apac"), ("bob", "home")] {
        let a = s1
            .rbac()
            .explain_permission_on(user, "routing:queue:view", div, &[]);
        let b = s2
            .rbac()
            .explain_permission_on(user, "routing:queue:view", div, &[]);
        assert!(a.allowed, "{a}");
        assert_eq!(a.reason, b.reason, "{user} in {div}");
    }
    // The witness is the first grant by external ids: role alpha before zeta, group ga
    // before gz.
    assert!(matches!(
        s1.rbac().explain_permission_on("ada", "routing:queue:view", "emea", &[]).reason,
        RbacReason::RoleGrant { role, division, .. } if role == "alpha" && division == "emea"
    ));
    assert!(matches!(
        s1.rbac().explain_permission("bob", "routing:queue:view").reason,
        RbacReason::RoleGrant { source: GrantSource::Group(g), .. } if g == "ga"
    ));
}

#[test]
fn an_action_explanation_cites_the_same_binding_after_a_round_trip() {
    let mut m = world();
    m.rbac_mut()
        .create_role(RoleSpec::new("editors", "Editors"))
        .unwrap();
    grant(&mut m, "ada", "editors", None);
    m.rbac_mut()
        .add_actions(vec![
            ActionSpec::new("access", "Access"),
            ActionSpec::new("manage", "Manage").requiring("access"),
        ])
        .unwrap();
    for (id, action, who) in [
        ("pz", "manage", "ada"),
        ("pm", "access", "editors"),
        ("pa", "access", "ada"),
    ] {
        m.rbac_mut()
            .create_global_permission(GlobalPermissionSpec::new(id, action, [who]))
            .unwrap();
    }
    let again = Model::from_json(&m.to_json()).unwrap();
    let (s1, s2) = (m.compile(), again.compile());
    for action in ["access", "manage"] {
        let (a, b) = (
            s1.rbac().explain_action("ada", action),
            s2.rbac().explain_action("ada", action),
        );
        assert!(a.allowed, "{a}");
        assert_eq!(a.reason, b.reason, "{action}");
    }
}
