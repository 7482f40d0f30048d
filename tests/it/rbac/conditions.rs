//! Roles and permissions: conditions.

use super::*;

fn conditional_world(c: Condition) -> Snapshot {
    let mut m = world();
    m.rbac_mut()
        .create_role(role(
            "c",
            &[policy("routing", "queue", &["view"]).with_condition(c)],
        ))
        .unwrap();
    grant(&mut m, "ada", "c", Some("*"));
    m.compile()
}

#[test]
fn condition_operators_eq_in_ge_gt_le_lt() {
    let cases: [(Condition, &str, bool); 14] = [
        (Condition::eq("x", "a"), "a", true),
        (Condition::eq("x", "a"), "b", false),
        (Condition::is_in("x", ["a", "b"]), "b", true),
        (Condition::is_in("x", ["a", "b"]), "c", false),
        (Condition::ge("x", "5"), "5", true),
        (Condition::ge("x", "5"), "4.9", false),
        (Condition::gt("x", "5"), "5", false),
        (Condition::gt("x", "5"), "6", true),
        (Condition::le("x", "5"), "5", true),
        (Condition::le("x", "5"), "5.1", false),
        (Condition::lt("x", "5"), "4", true),
        (Condition::lt("x", "5"), "5", false),
        (Condition::lt("x", "5"), "four", false),
        (Condition::eq("x", "5"), "5.0", false),
    ];
    for (c, value, expected) in cases {
        let snap = conditional_world(c.clone());
        assert_eq!(
            snap.rbac()
                .has_permission_on("ada", "routing:queue:view", "home", &[("x", value)]),
            expected,
            "{c} on x={value}"
        );
    }
}

#[test]
fn nested_conditions_and_or() {
    // x = a AND (y >= 10 OR z IN (p, q))
    let c = Condition::all([
        Condition::eq("x", "a"),
        Condition::any([Condition::ge("y", "10"), Condition::is_in("z", ["p", "q"])]),
    ]);
    let snap = conditional_world(c);
    let check = |attrs: &[(&str, &str)]| {
        snap.rbac()
            .has_permission_on("ada", "routing:queue:view", "emea", attrs)
    };
    assert!(check(&[("x", "a"), ("y", "12")]));
    assert!(check(&[("x", "a"), ("z", "q")]));
    assert!(!check(&[("x", "a"), ("y", "3"), ("z", "r")]));
    assert!(!check(&[("x", "b"), ("y", "12")]));
    assert!(!check(&[("y", "12"), ("z", "p")])); // x missing
    assert!(check(&[("x", "b"), ("x", "a"), ("y", "10")])); // multi-valued x
}

#[test]
fn condition_on_permission_without_allows_conditions_is_rejected() {
    let mut m = world();
    let p = policy("routing", "queue", &["edit"]).with_condition(Condition::eq("x", "1"));
    refused(
        m.rbac_mut().create_role(role("r", &[p])),
        "permissionPolicies[0].resourceConditionNode",
        RbacErrorKind::ConditionNotAllowed {
            permission: "routing:queue:edit".into(),
        },
    );
    // Two actions, one of which does not allow conditions.
    let p = policy("routing", "queue", &["view", "edit"]).with_condition(Condition::eq("x", "1"));
    refused(
        m.rbac_mut().create_role(role("r", &[p])),
        "permissionPolicies[0].resourceConditionNode",
        RbacErrorKind::ConditionNotAllowed {
            permission: "routing:queue:edit".into(),
        },
    );
    assert!(m.rbac().role("r").is_none(), "nothing half-applied");
}

#[test]
fn condition_on_wildcard_policy_is_rejected() {
    let mut m = world();
    for p in [
        policy("routing", "*", &["view"]),
        policy("routing", "queue", &["*"]),
    ] {
        let e = m
            .rbac_mut()
            .create_role(role("r", &[p.with_condition(Condition::eq("x", "1"))]))
            .unwrap_err();
        assert!(matches!(
            err_at(e, "permissionPolicies[0].resourceConditionNode"),
            RbacErrorKind::ConditionNotAllowed { .. }
        ));
    }
}

#[test]
fn malformed_conditions_are_rejected() {
    let mut m = world();
    let mut deep = Condition::eq("x", "1");
    for _ in 1..orgperm::MAX_DEPTH {
        deep = Condition::all([deep]);
    }
    let leaf = |op, operands: &[&str]| Condition::Leaf {
        variable_name: "x".into(),
        operator: op,
        operands: operands
            .iter()
            .map(|s| orgperm::Operand::from(*s))
            .collect(),
    };
    let cases = [
        (leaf(orgperm::Operator::Eq, &["1", "2"]), "operands"),
        (leaf(orgperm::Operator::In, &[]), "operands"),
        (leaf(orgperm::Operator::Ge, &["ten"]), "operands[0]"),
        (Condition::all([]), "terms"),
        (
            Condition::any([Condition::eq("x", "1"), Condition::any([])]),
            "terms[1].terms",
        ),
    ];
    for (c, path) in cases {
        let p = policy("routing", "queue", &["view"]).with_condition(c);
        let e = m.rbac_mut().create_role(role("r", &[p])).unwrap_err();
        let full = format!("permissionPolicies[0].resourceConditionNode.{path}");
        assert!(
            matches!(err_at(e, &full), RbacErrorKind::InvalidCondition { .. }),
            "{full}"
        );
    }
    // 16 levels are accepted, 17 are not; the error points at the leaf that is too deep.
    let p = policy("routing", "queue", &["view"]).with_condition(deep.clone());
    m.rbac_mut().create_role(role("ok", &[p])).unwrap();
    let p = policy("routing", "queue", &["view"]).with_condition(Condition::any([deep]));
    let e = m.rbac_mut().create_role(role("r", &[p])).unwrap_err();
    let path = vec!["terms[0]"; orgperm::MAX_DEPTH].join(".");
    let full = format!("permissionPolicies[0].resourceConditionNode.{path}");
    assert!(matches!(
        err_at(e, &full),
        RbacErrorKind::InvalidCondition { .. }
    ));
    let p = policy("routing", "queue", &["view"]).with_condition(Condition::eq("", "1"));
    let e = m.rbac_mut().create_role(role("r", &[p])).unwrap_err();
    assert_eq!(
        err_at(
            e,
            "permissionPolicies[0].resourceConditionNode.variableName"
        ),
        RbacErrorKind::Input(InputErrorKind::Required)
    );
}

#[test]
fn conditional_grant_counts_only_on_an_object_with_attributes() {
    let snap = conditional_world(Condition::eq("queue.id", "q1"));
    let a = "routing:queue:view";
    assert!(
        snap.rbac()
            .has_permission_on("ada", a, "home", &[("queue.id", "q1")])
    );
    assert!(
        !snap
            .rbac()
            .has_permission_on("ada", a, "home", &[("queue.id", "q2")])
    );
    assert!(!snap.rbac().has_permission_on("ada", a, "home", &[]));
    assert!(
        !snap
            .rbac()
            .has_permission_on("ada", a, "home", &[("other", "q1")])
    );
    assert!(!snap.rbac().has_permission("ada", a));
    assert!(snap.rbac().divisions_permitted("ada", a).is_empty());
    assert!(snap.rbac().user_permissions("ada").is_empty());
    assert!(snap.rbac().users_with_permission(a, "home").is_empty());
    let d = snap
        .rbac()
        .explain_permission_on("ada", a, "home", &[("queue.id", "q2")]);
    assert!(
        matches!(d.reason, RbacReason::ConditionNotMet { .. }),
        "{d}"
    );
}

#[test]
fn unconditional_grant_wins_over_conditional() {
    let mut m = world();
    let c = policy("routing", "queue", &["view"]).with_condition(Condition::eq("q", "1"));
    m.rbac_mut().create_role(role("c", &[c])).unwrap();
    m.rbac_mut()
        .create_role(role("u", &[policy("routing", "queue", &["view"])]))
        .unwrap();
    grant(&mut m, "ada", "c", Some("*"));
    grant(&mut m, "ada", "u", Some("emea"));
    let snap = m.compile();
    assert!(
        snap.rbac()
            .has_permission_on("ada", "routing:queue:view", "emea", &[("q", "2")])
    );
    assert!(
        !snap
            .rbac()
            .has_permission_on("ada", "routing:queue:view", "apac", &[("q", "2")])
    );
    assert!(
        snap.rbac()
            .has_permission_on("ada", "routing:queue:view", "apac", &[("q", "1")])
    );
}

#[test]
fn a_conditional_grant_in_division_a_denies_in_division_b_and_follows_its_condition_in_a() {
    let mut m = world();
    m.rbac_mut()
        .create_role(role(
            "c",
            &[
                policy("routing", "queue", &["view"]).with_condition(Condition::eq("x", "a")),
                policy("quality", "evaluation", &["view"]).with_condition(Condition::eq("x", "a")),
            ],
        ))
        .unwrap();
    grant(&mut m, "ada", "c", Some("emea"));
    m.rbac_mut()
        .assign_resource("q-emea", Some("emea"))
        .unwrap();
    m.rbac_mut()
        .assign_resource("q-apac", Some("apac"))
        .unwrap();
    let snap = m.compile();
    let rbac = snap.rbac();
    let queue = "routing:queue:view";
    type Attrs<'a> = &'a [(&'a str, &'a str)];
    let (yes, no): (Attrs, Attrs) = (&[("x", "a")], &[("x", "b")]);
    // In the grant's division the condition decides.
    assert!(rbac.has_permission_on("ada", queue, "emea", yes));
    assert!(!rbac.has_permission_on("ada", queue, "emea", no));
    assert!(!rbac.has_permission_on("ada", queue, "emea", &[]));
    assert!(rbac.has_permission_on_resource("ada", queue, "q-emea", yes));
    assert!(!rbac.has_permission_on_resource("ada", queue, "q-emea", no));
    // In another division it denies even when the condition holds.
    for div in ["apac", "home"] {
        for attrs in [yes, no, &[]] {
            assert!(
                !rbac.has_permission_on("ada", queue, div, attrs),
                "{div} {attrs:?}"
            );
        }
    }
    assert!(!rbac.has_permission_on_resource("ada", queue, "q-apac", yes));
    let why = rbac.explain_permission_on("ada", queue, "apac", yes);
    assert!(!why.allowed);
    assert_eq!(
        why.reason,
        RbacReason::NotInDivision {
            permission: queue.into(),
            division: "apac".into()
        }
    );
    let why = rbac.explain_permission_on("ada", queue, "emea", no);
    assert!(!why.allowed);
    assert!(
        matches!(&why.reason, RbacReason::ConditionNotMet { permission, role, .. } if permission == queue && role == "c"),
        "{why}"
    );
    assert!(matches!(
        &rbac.explain_permission_on("ada", queue, "emea", yes).reason,
        RbacReason::RoleGrant { role, division, conditional: true, .. } if role == "c" && division == "emea"
    ));
    // A conditional grant alone is no unconditional permission, anywhere.
    assert!(!rbac.has_permission("ada", queue));
    assert_eq!(
        rbac.divisions_permitted("ada", queue),
        PermittedDivisions::Only(Default::default())
    );
    assert!(rbac.users_with_permission(queue, "emea").is_empty());
    // An atom that is not division-aware ignores divisions: the condition decides everywhere.
    let evaluation = "quality:evaluation:view";
    for div in ["emea", "apac", "home"] {
        assert!(rbac.has_permission_on("ada", evaluation, div, yes), "{div}");
        assert!(!rbac.has_permission_on("ada", evaluation, div, no), "{div}");
    }
    // Nobody else holds either.
    for user in ["bob", "cy", "dee"] {
        assert!(!rbac.has_permission_on(user, queue, "emea", yes), "{user}");
        assert!(
            !rbac.has_permission_on(user, evaluation, "emea", yes),
            "{user}"
        );
    }
}
