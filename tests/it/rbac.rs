//! Roles and permissions: one test per rule of docs/semantics.md §2 and the global part of §3,
//! and one per validation error.

use orgperm::{
    ActionSpec, Condition, DefaultRoleTemplate, ErrorKind, GlobalPermissionSpec, GrantSource,
    Model, ModelError, PermissionQuery, PermissionSpec, PermittedDivisions, PolicySpec, Principal,
    Reason, RoleQuery, RoleSort, RoleSpec, Snapshot, Subject,
};

// ---- fixtures -----------------------------------------------------------------------------

/// Three divisions (home first), four users, a small catalog with every kind of permission.
fn world() -> Model {
    let mut m = Model::new();
    for (id, name) in [("home", "Home"), ("emea", "EMEA"), ("apac", "APAC")] {
        m.add_division(id, name).unwrap();
    }
    for u in ["ada", "bob", "cy", "dee"] {
        m.add_user(u, None).unwrap();
    }
    m.enable_product("engage").unwrap();
    for p in [
        PermissionSpec::new("admin", "Administrator"),
        PermissionSpec::new("employee", "Employee"),
        PermissionSpec::new("routing:queue:view", "View queues")
            .division_aware()
            .allowing_conditions(),
        PermissionSpec::new("routing:queue:edit", "Edit queues").division_aware(),
        PermissionSpec::new("routing:skill:view", "View skills"),
        PermissionSpec::new("directory:user:view", "View users"),
        PermissionSpec::new("quality:evaluation:view", "View evaluations").allowing_conditions(),
        PermissionSpec::new("outbound:campaign:view", "View campaigns")
            .division_aware()
            .in_product("engage"),
        PermissionSpec::new("wfm:schedule:view", "View schedules").in_product("wem"),
    ] {
        m.add_permission(p).unwrap();
    }
    m
}

fn policy(d: &str, e: &str, actions: &[&str]) -> PolicySpec {
    PolicySpec::new(d, e, actions.iter().copied())
}

fn role(id: &str, policies: &[PolicySpec]) -> RoleSpec {
    let mut r = RoleSpec::new(id, format!("Role {id}"));
    for p in policies {
        r = r.with_policy(p.clone());
    }
    r
}

fn grant(m: &mut Model, user: &str, role: &str, division: Option<&str>) {
    m.grant_role(Subject::User(user), role, division).unwrap();
}

fn err_at(e: ModelError, path: &str) -> ErrorKind {
    assert_eq!(e.path(), path, "{e}");
    e.kind().clone()
}

fn base_template(m: &mut Model, policies: &[PolicySpec]) {
    let mut body = RoleSpec::new("emp", "Employee").with_permission("employee");
    for p in policies {
        body = body.with_policy(p.clone());
    }
    m.set_default_role_template(DefaultRoleTemplate::new("employee", body).base())
        .unwrap();
}

// ---- catalog ------------------------------------------------------------------------------

#[test]
fn catalog_parses_atoms_and_flat_permissions() {
    let m = world();
    let atom = m.permission("routing:queue:view").unwrap();
    assert_eq!(atom.parts(), Some(("routing", "queue", "view")));
    assert!(!atom.is_flat());
    let flat = m.permission("admin").unwrap();
    assert_eq!(flat.parts(), None);
    assert!(flat.is_flat());
}

#[test]
fn catalog_rejects_malformed_permissions() {
    let mut m = world();
    for bad in [
        "",
        "routing:queue",
        "routing::view",
        "a:b:c:d",
        "routing:*:view",
        "routing:queue:*",
        "has space",
        "routing:queue:",
        ":queue:view",
    ] {
        let e = m.add_permission(PermissionSpec::new(bad, "?")).unwrap_err();
        assert!(
            matches!(err_at(e, "permission"), ErrorKind::InvalidPermission { .. }),
            "{bad:?}"
        );
    }
}

#[test]
fn catalog_rejects_duplicate_permission() {
    let mut m = world();
    let e = m
        .add_permission(PermissionSpec::new("routing:queue:view", "again"))
        .unwrap_err();
    assert_eq!(
        err_at(e, "permission"),
        ErrorKind::DuplicateId {
            id: "routing:queue:view".into()
        }
    );
}

#[test]
fn flat_permission_cannot_be_division_aware_or_conditional() {
    let mut m = world();
    for spec in [
        PermissionSpec::new("reports", "R").division_aware(),
        PermissionSpec::new("reports", "R").allowing_conditions(),
    ] {
        let e = m.add_permission(spec).unwrap_err();
        assert!(matches!(
            err_at(e, "permission"),
            ErrorKind::InvalidPermission { .. }
        ));
    }
    let e = m
        .add_permission(PermissionSpec::new("x:y:z", "?").in_product(""))
        .unwrap_err();
    assert_eq!(err_at(e, "product"), ErrorKind::Required);
}

#[test]
fn catalog_listing_pages() {
    let m = world();
    let names = |q: PermissionQuery| -> (Vec<String>, usize, usize) {
        let page = m.list_permissions(&q).unwrap();
        let names = page.entities.iter().map(|p| p.permission.clone()).collect();
        (names, page.total, page.page_count)
    };
    let (first, total, pages) = names(PermissionQuery::new().page(4, 1));
    assert_eq!((total, pages), (9, 3));
    assert_eq!(
        first,
        [
            "admin",
            "directory:user:view",
            "employee",
            "outbound:campaign:view"
        ]
    );
    let (last, _, _) = names(PermissionQuery::new().page(4, 3));
    assert_eq!(last, ["wfm:schedule:view"]);
    let (past, _, _) = names(PermissionQuery::new().page(4, 4));
    assert!(past.is_empty());
    assert_eq!(names(PermissionQuery::new()).0.len(), 9); // default page of 25
}

#[test]
fn catalog_listing_filters_by_domain_and_permission() {
    let m = world();
    let names = |q: PermissionQuery| -> Vec<String> {
        m.list_permissions(&q)
            .unwrap()
            .entities
            .iter()
            .map(|p| p.permission.clone())
            .collect()
    };
    assert_eq!(
        names(PermissionQuery::new().domain("routing")),
        [
            "routing:queue:edit",
            "routing:queue:view",
            "routing:skill:view"
        ]
    );
    assert_eq!(
        names(PermissionQuery::new().permission("routing:queue")),
        ["routing:queue:edit", "routing:queue:view"]
    );
    assert_eq!(
        names(PermissionQuery::new().permission("routing:queue:view")),
        ["routing:queue:view"]
    );
    assert!(names(PermissionQuery::new().domain("nope")).is_empty());
}

#[test]
fn invalid_paging_is_rejected() {
    let m = world();
    let e = m
        .list_permissions(&PermissionQuery::new().page(0, 1))
        .unwrap_err();
    assert!(matches!(
        err_at(e, "pageSize"),
        ErrorKind::InvalidPaging { .. }
    ));
    let e = m.list_roles(&RoleQuery::new().page(10, 0)).unwrap_err();
    assert!(matches!(
        err_at(e, "pageNumber"),
        ErrorKind::InvalidPaging { .. }
    ));
}

// ---- roles and policies -------------------------------------------------------------------

#[test]
fn role_crud_create_get_update_delete() {
    let mut m = world();
    let r = role("r", &[policy("routing", "queue", &["view"])]);
    m.create_role(r.clone()).unwrap();
    assert_eq!(m.role("r"), Some(&r));
    let e = m.create_role(r.clone()).unwrap_err();
    assert_eq!(err_at(e, "id"), ErrorKind::DuplicateId { id: "r".into() });
    let changed = r.clone().with_description("new");
    m.update_role(changed.clone()).unwrap();
    assert_eq!(m.role("r").unwrap().description, "new");
    m.delete_role("r").unwrap();
    assert!(m.role("r").is_none());
    let e = m.delete_role("r").unwrap_err();
    assert_eq!(err_at(e, "id"), ErrorKind::UnknownRole { id: "r".into() });
    // The id can be used again.
    m.create_role(r).unwrap();
    assert!(m.compile().role("r").is_some());
}

#[test]
fn wildcard_entity_matches_present_and_future_atoms() {
    let mut m = world();
    m.create_role(role("r", &[policy("routing", "*", &["view"])]))
        .unwrap();
    grant(&mut m, "ada", "r", Some("*"));
    let snap = m.compile();
    assert!(snap.has_permission("ada", "routing:queue:view"));
    assert!(snap.has_permission("ada", "routing:skill:view"));
    assert!(!snap.has_permission("ada", "routing:queue:edit"));
    m.add_permission(PermissionSpec::new("routing:wrapupCode:view", "New"))
        .unwrap();
    m.add_permission(PermissionSpec::new("routing:wrapupCode:add", "New"))
        .unwrap();
    let snap = m.compile();
    assert!(snap.has_permission("ada", "routing:wrapupCode:view"));
    assert!(!snap.has_permission("ada", "routing:wrapupCode:add"));
}

#[test]
fn wildcard_actions_match_present_and_future_atoms() {
    let mut m = world();
    m.create_role(role("r", &[policy("routing", "queue", &["*"])]))
        .unwrap();
    grant(&mut m, "ada", "r", Some("*"));
    assert!(m.compile().has_permission("ada", "routing:queue:edit"));
    assert!(!m.compile().has_permission("ada", "routing:skill:view"));
    m.add_permission(PermissionSpec::new("routing:queue:delete", "New"))
        .unwrap();
    assert!(m.compile().has_permission("ada", "routing:queue:delete"));
}

#[test]
fn wildcard_domain_is_rejected() {
    let mut m = world();
    let e = m
        .create_role(role("r", &[policy("*", "*", &["*"])]))
        .unwrap_err();
    assert_eq!(
        err_at(e, "permissionPolicies[0].domain"),
        ErrorKind::WildcardDomain
    );
}

#[test]
fn policy_naming_unknown_domain_entity_or_action_is_rejected() {
    let mut m = world();
    let cases = [
        (
            policy("nope", "*", &["*"]),
            "permissionPolicies[0].domain",
            ErrorKind::UnknownDomain {
                domain: "nope".into(),
            },
        ),
        (
            policy("routing", "nope", &["*"]),
            "permissionPolicies[0].entityName",
            ErrorKind::UnknownPermission {
                id: "routing:nope:*".into(),
            },
        ),
        (
            policy("routing", "queue", &["view", "nope"]),
            "permissionPolicies[0].actionSet[1]",
            ErrorKind::UnknownPermission {
                id: "routing:queue:nope".into(),
            },
        ),
        (
            policy("routing", "*", &["nope"]),
            "permissionPolicies[0].actionSet[0]",
            ErrorKind::UnknownPermission {
                id: "routing:*:nope".into(),
            },
        ),
        (
            policy("", "queue", &["view"]),
            "permissionPolicies[0].domain",
            ErrorKind::Required,
        ),
        (
            policy("routing", "", &["view"]),
            "permissionPolicies[0].entityName",
            ErrorKind::Required,
        ),
        (
            policy("routing", "queue", &[""]),
            "permissionPolicies[0].actionSet[0]",
            ErrorKind::Required,
        ),
    ];
    for (p, path, kind) in cases {
        let e = m.create_role(role("r", &[p])).unwrap_err();
        assert_eq!(err_at(e, path), kind);
    }
    assert!(m.role("r").is_none());
}

#[test]
fn empty_action_set_is_rejected() {
    let mut m = world();
    let e = m
        .create_role(role("r", &[policy("routing", "queue", &[])]))
        .unwrap_err();
    assert_eq!(
        err_at(e, "permissionPolicies[0].actionSet"),
        ErrorKind::EmptyActionSet
    );
}

#[test]
fn role_id_and_name_are_required_and_names_unique() {
    let mut m = world();
    let e = m.create_role(RoleSpec::new("", "X")).unwrap_err();
    assert_eq!(err_at(e, "id"), ErrorKind::EmptyId);
    let e = m.create_role(RoleSpec::new("r", "  ")).unwrap_err();
    assert_eq!(err_at(e, "name"), ErrorKind::Required);
    m.create_role(RoleSpec::new("r1", "Agents")).unwrap();
    let e = m.create_role(RoleSpec::new("r2", "AGENTS")).unwrap_err();
    assert_eq!(
        err_at(e, "name"),
        ErrorKind::DuplicateName {
            name: "AGENTS".into()
        }
    );
    m.create_role(RoleSpec::new("r2", "Leads")).unwrap();
    let e = m.update_role(RoleSpec::new("r2", "agents")).unwrap_err();
    assert!(matches!(err_at(e, "name"), ErrorKind::DuplicateName { .. }));
    m.update_role(RoleSpec::new("r1", "agents")).unwrap(); // its own name, other case
}

#[test]
fn flat_permission_list_accepts_only_known_flat_permissions() {
    let mut m = world();
    let e = m
        .create_role(RoleSpec::new("r", "R").with_permission("routing:queue:view"))
        .unwrap_err();
    assert!(matches!(
        err_at(e, "permissions[0]"),
        ErrorKind::InvalidPermission { .. }
    ));
    let e = m
        .create_role(RoleSpec::new("r", "R").with_permission("superuser"))
        .unwrap_err();
    assert_eq!(
        err_at(e, "permissions[0]"),
        ErrorKind::UnknownPermission {
            id: "superuser".into()
        }
    );
}

#[test]
fn roles_are_additive() {
    let mut m = world();
    m.create_role(role("q", &[policy("routing", "queue", &["view"])]))
        .unwrap();
    m.create_role(role("s", &[policy("routing", "skill", &["view"])]))
        .unwrap();
    grant(&mut m, "ada", "q", None);
    grant(&mut m, "ada", "s", None);
    grant(&mut m, "bob", "q", None);
    let snap = m.compile();
    assert!(snap.has_permission("ada", "routing:queue:view"));
    assert!(snap.has_permission("ada", "routing:skill:view"));
    assert!(snap.has_permission("bob", "routing:queue:view"));
    assert!(!snap.has_permission("bob", "routing:skill:view"));
}

#[test]
fn admin_grants_every_check() {
    let mut m = world();
    m.create_role(RoleSpec::new("a", "Admins").with_permission("admin"))
        .unwrap();
    grant(&mut m, "ada", "a", Some("*"));
    let snap = m.compile();
    for p in [
        "admin",
        "employee",
        "routing:queue:view",
        "routing:queue:edit",
        "directory:user:view",
        "outbound:campaign:view",
    ] {
        assert!(snap.has_permission("ada", p), "{p}");
        for d in ["home", "emea", "apac"] {
            assert!(snap.has_permission_on("ada", p, d, &[]), "{p} in {d}");
        }
    }
    assert!(!snap.has_permission("bob", "routing:queue:view"));
    // Added to the catalog later: admin covers it too.
    m.add_permission(PermissionSpec::new("journey:segment:view", "New"))
        .unwrap();
    assert!(m.compile().has_permission("ada", "journey:segment:view"));
}

#[test]
fn admin_is_scoped_to_its_grant_division() {
    let mut m = world();
    m.create_role(RoleSpec::new("a", "Admins").with_permission("admin"))
        .unwrap();
    grant(&mut m, "ada", "a", None);
    let snap = m.compile();
    assert!(snap.has_permission_on("ada", "routing:queue:edit", "home", &[]));
    assert!(!snap.has_permission_on("ada", "routing:queue:edit", "emea", &[]));
    assert!(snap.has_permission_on("ada", "directory:user:view", "emea", &[]));
}

#[test]
fn list_roles_sorts_pages_and_counts_users() {
    let mut m = world();
    for (id, name) in [("1", "beta"), ("2", "Alpha"), ("3", "gamma")] {
        m.create_role(RoleSpec::new(id, name)).unwrap();
    }
    m.add_group("g", "G").unwrap();
    m.add_group_members("g", &["bob", "cy"]).unwrap();
    m.grant_role(Subject::Group("g"), "3", None).unwrap();
    grant(&mut m, "bob", "3", Some("emea")); // bob counted once
    grant(&mut m, "ada", "1", None);
    let names = |q: RoleQuery| -> Vec<(String, usize)> {
        m.list_roles(&q)
            .unwrap()
            .entities
            .iter()
            .map(|s| (s.role.name.clone(), s.user_count))
            .collect()
    };
    assert_eq!(
        names(RoleQuery::new()),
        [("Alpha".into(), 0), ("beta".into(), 1), ("gamma".into(), 2)]
    );
    assert_eq!(
        names(RoleQuery::new().sort(RoleSort::UserCount, true)),
        [("gamma".into(), 2), ("beta".into(), 1), ("Alpha".into(), 0)]
    );
    assert_eq!(
        names(RoleQuery::new().sort(RoleSort::Id, false).page(2, 2)),
        [("gamma".into(), 2)]
    );
    let page = m.list_roles(&RoleQuery::new().page(2, 1)).unwrap();
    assert_eq!((page.total, page.page_count), (3, 2));
}

#[test]
fn list_roles_filters_by_permission_after_wildcard_expansion() {
    let mut m = world();
    m.create_role(role("w", &[policy("routing", "*", &["*"])]))
        .unwrap();
    m.create_role(role("q", &[policy("routing", "queue", &["view"])]))
        .unwrap();
    m.create_role(role("s", &[policy("routing", "skill", &["view"])]))
        .unwrap();
    let ids = |q: RoleQuery| -> Vec<String> {
        m.list_roles(&q.sort(RoleSort::Id, false))
            .unwrap()
            .entities
            .iter()
            .map(|s| s.role.id.clone())
            .collect()
    };
    assert_eq!(
        ids(RoleQuery::new().with_permission("routing:queue:view")),
        ["q", "w"]
    );
    assert_eq!(
        ids(RoleQuery::new()
            .with_permission("routing:queue:view")
            .with_permission("routing:skill:view")),
        ["w"]
    );
    let e = m
        .list_roles(&RoleQuery::new().with_permission("nope"))
        .unwrap_err();
    assert_eq!(
        err_at(e, "permission[0]"),
        ErrorKind::UnknownPermission { id: "nope".into() }
    );
}

#[test]
fn deleting_a_granted_or_referenced_role_is_refused() {
    let mut m = world();
    m.create_role(RoleSpec::new("r", "R")).unwrap();
    m.add_group("g", "G").unwrap();
    m.grant_role(Subject::Group("g"), "r", Some("*")).unwrap();
    let e = m.delete_role("r").unwrap_err();
    assert_eq!(
        err_at(e, "id"),
        ErrorKind::RoleAssigned {
            id: "r".into(),
            grants: 1
        }
    );
    m.revoke_role(Subject::Group("g"), "r", Some("*")).unwrap();
    m.add_action(ActionSpec::new("access_goals", "A")).unwrap();
    m.create_global_permission(GlobalPermissionSpec::new("p", "access_goals", ["r"]))
        .unwrap();
    let e = m.delete_role("r").unwrap_err();
    assert_eq!(
        err_at(e, "id"),
        ErrorKind::RoleReferenced {
            id: "r".into(),
            permission: "p".into()
        }
    );
    m.delete_global_permission("p").unwrap();
    m.delete_role("r").unwrap();
}

// ---- conditions ---------------------------------------------------------------------------

fn conditional_world(c: Condition) -> Snapshot {
    let mut m = world();
    m.create_role(role(
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
            snap.has_permission_on("ada", "routing:queue:view", "home", &[("x", value)]),
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
    let check =
        |attrs: &[(&str, &str)]| snap.has_permission_on("ada", "routing:queue:view", "emea", attrs);
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
    let e = m.create_role(role("r", &[p])).unwrap_err();
    assert_eq!(
        err_at(e, "permissionPolicies[0].resourceConditionNode"),
        ErrorKind::ConditionNotAllowed {
            permission: "routing:queue:edit".into()
        }
    );
    // Two actions, one of which does not allow conditions.
    let p = policy("routing", "queue", &["view", "edit"]).with_condition(Condition::eq("x", "1"));
    assert!(m.create_role(role("r", &[p])).is_err());
}

#[test]
fn condition_on_wildcard_policy_is_rejected() {
    let mut m = world();
    for p in [
        policy("routing", "*", &["view"]),
        policy("routing", "queue", &["*"]),
    ] {
        let e = m
            .create_role(role("r", &[p.with_condition(Condition::eq("x", "1"))]))
            .unwrap_err();
        assert!(matches!(
            err_at(e, "permissionPolicies[0].resourceConditionNode"),
            ErrorKind::ConditionNotAllowed { .. }
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
        operands: operands.iter().map(|s| (*s).to_owned()).collect(),
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
        let e = m.create_role(role("r", &[p])).unwrap_err();
        let full = format!("permissionPolicies[0].resourceConditionNode.{path}");
        assert!(
            matches!(err_at(e, &full), ErrorKind::InvalidCondition { .. }),
            "{full}"
        );
    }
    // 16 levels are accepted, 17 are not; the error points at the leaf that is too deep.
    let p = policy("routing", "queue", &["view"]).with_condition(deep.clone());
    m.create_role(role("ok", &[p])).unwrap();
    let p = policy("routing", "queue", &["view"]).with_condition(Condition::any([deep]));
    let e = m.create_role(role("r", &[p])).unwrap_err();
    let path = vec!["terms[0]"; orgperm::MAX_DEPTH].join(".");
    let full = format!("permissionPolicies[0].resourceConditionNode.{path}");
    assert!(matches!(
        err_at(e, &full),
        ErrorKind::InvalidCondition { .. }
    ));
    let p = policy("routing", "queue", &["view"]).with_condition(Condition::eq("", "1"));
    let e = m.create_role(role("r", &[p])).unwrap_err();
    assert_eq!(
        err_at(
            e,
            "permissionPolicies[0].resourceConditionNode.variableName"
        ),
        ErrorKind::Required
    );
}

#[test]
fn conditional_grant_counts_only_on_an_object_with_attributes() {
    let snap = conditional_world(Condition::eq("queue.id", "q1"));
    let a = "routing:queue:view";
    assert!(snap.has_permission_on("ada", a, "home", &[("queue.id", "q1")]));
    assert!(!snap.has_permission_on("ada", a, "home", &[("queue.id", "q2")]));
    assert!(!snap.has_permission_on("ada", a, "home", &[]));
    assert!(!snap.has_permission_on("ada", a, "home", &[("other", "q1")]));
    assert!(!snap.has_permission("ada", a));
    assert!(snap.divisions_permitted("ada", a).is_empty());
    assert!(snap.user_permissions("ada").is_empty());
    assert!(snap.users_with_permission(a, "home").is_empty());
    let d = snap.explain_permission_on("ada", a, "home", &[("queue.id", "q2")]);
    assert!(matches!(d.reason, Reason::ConditionNotMet { .. }), "{d}");
}

#[test]
fn unconditional_grant_wins_over_conditional() {
    let mut m = world();
    let c = policy("routing", "queue", &["view"]).with_condition(Condition::eq("q", "1"));
    m.create_role(role("c", &[c])).unwrap();
    m.create_role(role("u", &[policy("routing", "queue", &["view"])]))
        .unwrap();
    grant(&mut m, "ada", "c", Some("*"));
    grant(&mut m, "ada", "u", Some("emea"));
    let snap = m.compile();
    assert!(snap.has_permission_on("ada", "routing:queue:view", "emea", &[("q", "2")]));
    assert!(!snap.has_permission_on("ada", "routing:queue:view", "apac", &[("q", "2")]));
    assert!(snap.has_permission_on("ada", "routing:queue:view", "apac", &[("q", "1")]));
}

// ---- divisions ----------------------------------------------------------------------------

#[test]
fn division_aware_permission_needs_grant_in_object_division() {
    let mut m = world();
    m.create_role(role("r", &[policy("routing", "queue", &["edit"])]))
        .unwrap();
    grant(&mut m, "ada", "r", Some("emea"));
    let snap = m.compile();
    assert!(snap.has_permission_on("ada", "routing:queue:edit", "emea", &[]));
    assert!(!snap.has_permission_on("ada", "routing:queue:edit", "home", &[]));
    assert!(!snap.has_permission_on("ada", "routing:queue:edit", "apac", &[]));
    assert!(snap.has_permission("ada", "routing:queue:edit")); // somewhere
}

#[test]
fn non_division_aware_permission_ignores_divisions() {
    let mut m = world();
    m.create_role(role("r", &[policy("routing", "skill", &["view"])]))
        .unwrap();
    grant(&mut m, "ada", "r", Some("emea"));
    let snap = m.compile();
    for d in ["home", "emea", "apac"] {
        assert!(snap.has_permission_on("ada", "routing:skill:view", d, &[]));
    }
    assert!(!snap.has_permission_on("ada", "routing:skill:view", "nowhere", &[]));
    assert_eq!(
        snap.divisions_permitted("ada", "routing:skill:view"),
        PermittedDivisions::All
    );
}

#[test]
fn star_division_covers_all_divisions_including_future_ones() {
    let mut m = world();
    m.create_role(role("r", &[policy("routing", "queue", &["edit"])]))
        .unwrap();
    grant(&mut m, "ada", "r", Some("*"));
    m.add_division("latam", "LATAM").unwrap();
    let snap = m.compile();
    for d in ["home", "emea", "apac", "latam"] {
        assert!(
            snap.has_permission_on("ada", "routing:queue:edit", d, &[]),
            "{d}"
        );
    }
    assert!(
        snap.divisions_permitted("ada", "routing:queue:edit")
            .is_all()
    );
}

#[test]
fn grant_without_division_goes_to_home_division() {
    let mut m = world();
    m.create_role(role("r", &[policy("routing", "queue", &["edit"])]))
        .unwrap();
    grant(&mut m, "ada", "r", None);
    // The grant was resolved when made: moving home later does not move it.
    m.set_home_division("emea").unwrap();
    grant(&mut m, "bob", "r", None);
    let snap = m.compile();
    assert!(snap.has_permission_on("ada", "routing:queue:edit", "home", &[]));
    assert!(!snap.has_permission_on("ada", "routing:queue:edit", "emea", &[]));
    assert!(snap.has_permission_on("bob", "routing:queue:edit", "emea", &[]));
    assert_eq!(
        m.subject_grants(Subject::User("ada")).unwrap()[0].division_id,
        "home"
    );
}

#[test]
fn grant_without_division_needs_a_home_division() {
    let mut m = Model::new();
    m.add_user("ada", None).unwrap();
    m.create_role(RoleSpec::new("r", "R")).unwrap();
    let e = m.grant_role(Subject::User("ada"), "r", None).unwrap_err();
    assert_eq!(err_at(e, "divisionId"), ErrorKind::NoHomeDivision);
    let e = m.set_user_roles("ada", &["r"]).unwrap_err();
    assert_eq!(err_at(e, "divisionId"), ErrorKind::NoHomeDivision);
    m.grant_role(Subject::User("ada"), "r", Some("*")).unwrap();
}

#[test]
fn unknown_division_is_a_deny_and_an_error() {
    let mut m = world();
    m.create_role(role("r", &[policy("routing", "skill", &["view"])]))
        .unwrap();
    let e = m
        .grant_role(Subject::User("ada"), "r", Some("mars"))
        .unwrap_err();
    assert_eq!(
        err_at(e, "divisionId"),
        ErrorKind::UnknownDivision { id: "mars".into() }
    );
    grant(&mut m, "ada", "r", Some("*"));
    let snap = m.compile();
    assert!(!snap.has_permission_on("ada", "routing:skill:view", "mars", &[]));
    assert!(
        snap.users_with_permission("routing:skill:view", "mars")
            .is_empty()
    );
    let d = snap.explain_permission_on("ada", "routing:skill:view", "mars", &[]);
    assert_eq!(
        d.reason,
        Reason::UnknownDivision {
            division: "\"mars\"".into()
        }
    );
}

#[test]
fn divisions_permitted_lists_divisions_or_all() {
    let mut m = world();
    m.create_role(role("r", &[policy("routing", "queue", &["edit"])]))
        .unwrap();
    grant(&mut m, "ada", "r", Some("apac"));
    grant(&mut m, "ada", "r", Some("emea"));
    let snap = m.compile();
    let emea = snap.division("emea").unwrap();
    let apac = snap.division("apac").unwrap();
    assert_eq!(
        snap.divisions_permitted("ada", "routing:queue:edit"),
        PermittedDivisions::Only(vec![emea, apac])
    );
    assert!(
        snap.divisions_permitted("bob", "routing:queue:edit")
            .is_empty()
    );
    assert!(
        snap.divisions_permitted("ada", "routing:queue:view")
            .is_empty()
    );
    assert!(snap.divisions_permitted("ada", "nope").is_empty());
}

#[test]
fn resources_sit_in_one_division() {
    let mut m = world();
    m.create_role(role("r", &[policy("routing", "queue", &["edit"])]))
        .unwrap();
    grant(&mut m, "ada", "r", Some("emea"));
    m.assign_resource("queue-1", None).unwrap();
    assert_eq!(m.resource_division("queue-1"), Some("home"));
    let snap = m.compile();
    assert!(!snap.has_permission_on_resource("ada", "routing:queue:edit", "queue-1", &[]));
    m.assign_resource("queue-1", Some("emea")).unwrap();
    assert_eq!(m.division_resources("emea").unwrap(), ["queue-1"]);
    let snap = m.compile();
    assert!(snap.has_permission_on_resource("ada", "routing:queue:edit", "queue-1", &[]));
    assert!(!snap.has_permission_on_resource("ada", "routing:queue:edit", "queue-2", &[]));
    let e = m.assign_resource("queue-1", Some("*")).unwrap_err();
    assert!(matches!(
        err_at(e, "divisionId"),
        ErrorKind::Conflict { .. }
    ));
    let e = m.assign_resource("", None).unwrap_err();
    assert_eq!(err_at(e, "id"), ErrorKind::EmptyId);
    let d = snap.explain_permission_on_resource("ada", "routing:queue:edit", "queue-1", &[]);
    assert!(d.allowed, "{d}");
    let d = snap.explain_permission_on_resource("ada", "routing:queue:edit", "queue-2", &[]);
    assert_eq!(
        d.reason,
        Reason::UnknownResource {
            resource: "\"queue-2\"".into()
        }
    );
    assert!(m.remove_resource("queue-1"));
    assert!(
        !m.compile()
            .has_permission_on_resource("ada", "routing:queue:edit", "queue-1", &[])
    );
}

#[test]
fn division_in_use_cannot_be_deleted() {
    let mut m = world();
    let in_use = |m: &mut Model, d: &str| match m.delete_division(d).unwrap_err().kind() {
        ErrorKind::DivisionInUse { reason, .. } => *reason,
        other => panic!("{other:?}"),
    };
    assert_eq!(in_use(&mut m, "home"), "it is the home division");
    m.assign_resource("q", Some("emea")).unwrap();
    assert_eq!(in_use(&mut m, "emea"), "objects are still assigned to it");
    m.create_role(RoleSpec::new("r", "R")).unwrap();
    grant(&mut m, "ada", "r", Some("apac"));
    assert_eq!(in_use(&mut m, "apac"), "grants still name it");
    m.revoke_role(Subject::User("ada"), "r", Some("apac"))
        .unwrap();
    m.delete_division("apac").unwrap();
    assert!(m.division_name("apac").is_none());
    assert!(m.compile().division("apac").is_none());
    let e = m.delete_division("apac").unwrap_err();
    assert_eq!(
        err_at(e, "id"),
        ErrorKind::UnknownDivision { id: "apac".into() }
    );
}

#[test]
fn division_ids_and_names_are_validated() {
    let mut m = world();
    let e = m.add_division("", "X").unwrap_err();
    assert_eq!(err_at(e, "id"), ErrorKind::EmptyId);
    let e = m.add_division("*", "All").unwrap_err();
    assert!(matches!(err_at(e, "id"), ErrorKind::Conflict { .. }));
    let e = m.add_division("emea", "Again").unwrap_err();
    assert_eq!(
        err_at(e, "id"),
        ErrorKind::DuplicateId { id: "emea".into() }
    );
    let e = m.add_division("x", "").unwrap_err();
    assert_eq!(err_at(e, "name"), ErrorKind::Required);
    let e = m.add_division("x", "emea").unwrap_err();
    assert_eq!(
        err_at(e, "name"),
        ErrorKind::DuplicateName {
            name: "emea".into()
        }
    );
    let e = m.set_home_division("x").unwrap_err();
    assert_eq!(
        err_at(e, "id"),
        ErrorKind::UnknownDivision { id: "x".into() }
    );
}

// ---- groups -------------------------------------------------------------------------------

#[test]
fn group_members_inherit_group_grants() {
    let mut m = world();
    m.create_role(role("r", &[policy("routing", "queue", &["edit"])]))
        .unwrap();
    m.add_group("g", "Support").unwrap();
    m.add_group_members("g", &["ada", "bob"]).unwrap();
    m.grant_role(Subject::Group("g"), "r", Some("emea"))
        .unwrap();
    let snap = m.compile();
    assert!(snap.has_permission_on("ada", "routing:queue:edit", "emea", &[]));
    assert!(snap.has_permission_on("bob", "routing:queue:edit", "emea", &[]));
    assert!(!snap.has_permission_on("cy", "routing:queue:edit", "emea", &[]));
    assert!(!snap.has_permission_on("ada", "routing:queue:edit", "home", &[]));
    // Joining later inherits too.
    m.add_group_members("g", &["cy"]).unwrap();
    assert!(
        m.compile()
            .has_permission_on("cy", "routing:queue:edit", "emea", &[])
    );
    let auth = m.user_authorization("cy").unwrap();
    assert_eq!(auth.grants[0].source, GrantSource::Group("g".into()));
}

#[test]
fn leaving_a_group_drops_its_grants() {
    let mut m = world();
    m.create_role(role("r", &[policy("routing", "skill", &["view"])]))
        .unwrap();
    m.add_group("g", "Support").unwrap();
    m.add_group_members("g", &["ada"]).unwrap();
    m.grant_role(Subject::Group("g"), "r", None).unwrap();
    assert!(m.compile().has_permission("ada", "routing:skill:view"));
    assert!(m.remove_group_members("g", &["ada"]).unwrap().is_empty());
    assert!(!m.compile().has_permission("ada", "routing:skill:view"));
}

#[test]
fn deleting_a_group_drops_its_grants() {
    let mut m = world();
    m.create_role(role("r", &[policy("routing", "skill", &["view"])]))
        .unwrap();
    m.add_group("g", "Support").unwrap();
    m.add_group_members("g", &["ada"]).unwrap();
    m.grant_role(Subject::Group("g"), "r", None).unwrap();
    m.delete_group("g").unwrap();
    assert!(!m.compile().has_permission("ada", "routing:skill:view"));
    assert!(m.groups_of("ada").unwrap().is_empty());
    // A new group with the same id starts empty.
    m.add_group("g", "Support").unwrap();
    assert!(m.group_members("g").unwrap().is_empty());
    assert!(m.subject_grants(Subject::Group("g")).unwrap().is_empty());
}

#[test]
fn group_ids_names_and_members_are_validated() {
    let mut m = world();
    m.add_group("g", "Support").unwrap();
    let e = m.add_group("", "X").unwrap_err();
    assert_eq!(err_at(e, "id"), ErrorKind::EmptyId);
    let e = m.add_group("h", "support").unwrap_err();
    assert!(matches!(err_at(e, "name"), ErrorKind::DuplicateName { .. }));
    let e = m.add_group("h", " ").unwrap_err();
    assert_eq!(err_at(e, "name"), ErrorKind::Required);
    let e = m.add_group_members("g", &["ada", "ghost"]).unwrap_err();
    assert_eq!(
        err_at(e, "[1]"),
        ErrorKind::UnknownUser { id: "ghost".into() }
    );
    assert!(m.group_members("g").unwrap().is_empty()); // nothing half-applied
    let e = m.add_group_members("nope", &["ada"]).unwrap_err();
    assert_eq!(
        err_at(e, "groupId"),
        ErrorKind::UnknownGroup { id: "nope".into() }
    );
    let e = m.grant_role(Subject::Group("nope"), "r", None).unwrap_err();
    assert_eq!(
        err_at(e, "groupId"),
        ErrorKind::UnknownGroup { id: "nope".into() }
    );
}

// ---- default roles ------------------------------------------------------------------------

fn with_templates() -> Model {
    let mut m = world();
    base_template(&mut m, &[policy("directory", "user", &["view"])]);
    let sup = RoleSpec::new("sup", "Supervisor")
        .with_description("v1")
        .with_policy(policy("routing", "queue", &["*"]));
    m.set_default_role_template(DefaultRoleTemplate::new("supervisor", sup))
        .unwrap();
    m
}

#[test]
fn restore_without_force_adds_missing_default_roles_only() {
    let mut m = with_templates();
    assert_eq!(m.restore_default_roles(false).unwrap(), ["emp", "sup"]);
    let mut sup = m.role("sup").unwrap().clone();
    sup.description = "edited".into();
    m.update_role(sup).unwrap();
    m.delete_role("sup").ok(); // not granted: allowed
    assert!(m.role("sup").is_none());
    assert_eq!(m.restore_default_roles(false).unwrap(), ["sup"]);
    assert_eq!(m.role("sup").unwrap().description, "v1");
    let mut sup = m.role("sup").unwrap().clone();
    sup.description = "edited".into();
    m.update_role(sup).unwrap();
    assert!(m.restore_default_roles(false).unwrap().is_empty());
    assert_eq!(m.role("sup").unwrap().description, "edited");
}

#[test]
fn restore_with_force_resets_default_roles_and_leaves_custom_roles() {
    let mut m = with_templates();
    m.restore_default_roles(false).unwrap();
    m.create_role(RoleSpec::new("mine", "Mine").with_description("custom"))
        .unwrap();
    let mut sup = m.role("sup").unwrap().clone();
    sup.description = "edited".into();
    sup.permission_policies.clear();
    m.update_role(sup).unwrap();
    grant(&mut m, "ada", "sup", None);
    assert_eq!(m.restore_default_roles(true).unwrap(), ["emp", "sup"]);
    let sup = m.role("sup").unwrap();
    assert_eq!(sup.description, "v1");
    assert_eq!(sup.permission_policies.len(), 1);
    assert_eq!(m.role("mine").unwrap().description, "custom");
    // Grants survive the reset.
    assert!(m.compile().has_permission("ada", "routing:queue:edit"));
}

#[test]
fn restore_specified_resets_only_the_named_roles() {
    let mut m = with_templates();
    m.restore_default_roles(false).unwrap();
    for id in ["sup", "emp"] {
        let mut r = m.role(id).unwrap().clone();
        r.description = "edited".into();
        m.update_role(r).unwrap();
    }
    assert_eq!(
        m.restore_specified_default_roles(&["sup"]).unwrap(),
        ["sup"]
    );
    assert_eq!(m.role("sup").unwrap().description, "v1");
    assert_eq!(m.role("emp").unwrap().description, "edited");
}

#[test]
fn restore_specified_rejects_custom_and_unknown_roles() {
    let mut m = with_templates();
    m.restore_default_roles(false).unwrap();
    m.create_role(RoleSpec::new("mine", "Mine")).unwrap();
    let e = m
        .restore_specified_default_roles(&["sup", "mine"])
        .unwrap_err();
    assert_eq!(
        err_at(e, "[1]"),
        ErrorKind::NotADefaultRole { id: "mine".into() }
    );
    let e = m.restore_specified_default_roles(&["ghost"]).unwrap_err();
    assert_eq!(
        err_at(e, "[0]"),
        ErrorKind::UnknownRole { id: "ghost".into() }
    );
}

#[test]
fn restore_refuses_a_taken_id_or_name() {
    let mut m = with_templates();
    m.create_role(RoleSpec::new("sup", "Someone else")).unwrap();
    let e = m.restore_default_roles(false).unwrap_err();
    assert_eq!(
        err_at(e, "defaultRoles[supervisor].id"),
        ErrorKind::DuplicateId { id: "sup".into() }
    );
    assert!(m.role("emp").is_none()); // nothing half-applied
    m.delete_role("sup").unwrap();
    m.create_role(RoleSpec::new("other", "supervisor")).unwrap();
    let e = m.restore_default_roles(false).unwrap_err();
    assert!(matches!(
        err_at(e, "defaultRoles[supervisor].name"),
        ErrorKind::DuplicateName { .. }
    ));
}

#[test]
fn default_role_name_cannot_change() {
    let mut m = with_templates();
    m.restore_default_roles(false).unwrap();
    let mut sup = m.role("sup").unwrap().clone();
    sup.name = "Boss".into();
    let e = m.update_role(sup).unwrap_err();
    assert_eq!(
        err_at(e, "name"),
        ErrorKind::DefaultRoleRenamed { id: "sup".into() }
    );
    // Creating a role from a template also keeps the template's name.
    m.delete_role("sup").unwrap();
    let mut body = RoleSpec::new("sup2", "Boss");
    body.default_role_id = Some("supervisor".into());
    let e = m.create_role(body.clone()).unwrap_err();
    assert!(matches!(
        err_at(e, "name"),
        ErrorKind::DefaultRoleRenamed { .. }
    ));
    body.name = "Supervisor".into();
    m.create_role(body).unwrap();
    let mut again = RoleSpec::new("sup3", "Supervisor 3");
    again.default_role_id = Some("supervisor".into());
    let e = m.create_role(again.clone()).unwrap_err();
    assert!(matches!(
        err_at(e, "defaultRoleId"),
        ErrorKind::DuplicateId { .. }
    ));
    again.default_role_id = Some("nope".into());
    let e = m.create_role(again).unwrap_err();
    assert_eq!(
        err_at(e, "defaultRoleId"),
        ErrorKind::UnknownDefaultRole { id: "nope".into() }
    );
}

#[test]
fn default_role_id_cannot_change() {
    let mut m = with_templates();
    m.restore_default_roles(false).unwrap();
    m.create_role(RoleSpec::new("mine", "Mine")).unwrap();
    let mut sup = m.role("sup").unwrap().clone();
    sup.default_role_id = None;
    let e = m.update_role(sup).unwrap_err();
    assert_eq!(
        err_at(e, "defaultRoleId"),
        ErrorKind::DefaultRoleIdChanged { id: "sup".into() }
    );
    let mut mine = m.role("mine").unwrap().clone();
    mine.default_role_id = Some("supervisor".into());
    assert!(m.update_role(mine).is_err());
}

#[test]
fn base_role_is_held_by_every_user() {
    let mut m = with_templates();
    m.restore_default_roles(false).unwrap();
    m.add_user("eve", None).unwrap(); // added after the restore
    let snap = m.compile();
    for u in ["ada", "bob", "cy", "dee", "eve"] {
        assert!(snap.has_permission(u, "employee"), "{u}");
        assert!(snap.has_permission(u, "directory:user:view"), "{u}");
        assert_eq!(snap.user_roles(u), ["emp"]);
    }
    assert_eq!(m.base_role(), Some("emp"));
    assert_eq!(m.role_summary("emp").unwrap().user_count, 5);
    assert!(m.role_summary("emp").unwrap().base);
    assert_eq!(m.role_users("emp").unwrap().len(), 5);
}

#[test]
fn base_role_cannot_be_removed() {
    let mut m = with_templates();
    m.restore_default_roles(false).unwrap();
    let e = m.remove_role_users("emp", &["ada"]).unwrap_err();
    assert_eq!(
        err_at(e, "roleId"),
        ErrorKind::BaseRoleNotRemovable { id: "emp".into() }
    );
    let e = m.delete_role("emp").unwrap_err();
    assert_eq!(
        err_at(e, "id"),
        ErrorKind::BaseRoleNotRemovable { id: "emp".into() }
    );
    assert_eq!(m.remove_user_roles("ada").unwrap().roles, ["emp"]);
    assert_eq!(
        m.set_user_roles("ada", &["sup"]).unwrap().roles,
        ["emp", "sup"]
    );
    assert_eq!(m.set_user_roles("ada", &[]).unwrap().roles, ["emp"]);
    assert!(m.compile().has_permission("ada", "employee"));
}

#[test]
fn only_one_template_is_the_base_role() {
    let mut m = with_templates();
    let e = m
        .set_default_role_template(
            DefaultRoleTemplate::new("other", RoleSpec::new("o", "O")).base(),
        )
        .unwrap_err();
    assert!(matches!(err_at(e, "base"), ErrorKind::Conflict { .. }));
    let e = m
        .set_default_role_template(DefaultRoleTemplate::new(
            "employee",
            RoleSpec::new("emp", "Employee"),
        ))
        .unwrap_err();
    assert!(matches!(err_at(e, "base"), ErrorKind::Conflict { .. }));
}

#[test]
fn template_body_is_validated() {
    let mut m = world();
    let bad = RoleSpec::new("r", "R").with_policy(policy("nope", "*", &["*"]));
    let e = m
        .set_default_role_template(DefaultRoleTemplate::new("t", bad))
        .unwrap_err();
    assert!(matches!(
        err_at(e, "permissionPolicies[0].domain"),
        ErrorKind::UnknownDomain { .. }
    ));
    let e = m
        .set_default_role_template(DefaultRoleTemplate::new("", RoleSpec::new("r", "R")))
        .unwrap_err();
    assert_eq!(err_at(e, "defaultRoleId"), ErrorKind::Required);
    let mut t = DefaultRoleTemplate::new("t", RoleSpec::new("r", "R"));
    t.role.default_role_id = Some("other".into());
    let e = m.set_default_role_template(t).unwrap_err();
    assert!(matches!(
        err_at(e, "defaultRoleId"),
        ErrorKind::Conflict { .. }
    ));
    // A template may hold permissions of disabled products.
    let wfm = RoleSpec::new("w", "WFM").with_policy(policy("wfm", "schedule", &["view"]));
    m.set_default_role_template(DefaultRoleTemplate::new("wfm", wfm))
        .unwrap();
}

#[test]
fn needs_update_when_template_has_atoms_the_role_lacks() {
    let mut m = with_templates();
    m.restore_default_roles(false).unwrap();
    assert!(!m.needs_update("sup").unwrap());
    // Extra atoms in the role do not matter.
    let mut sup = m.role("sup").unwrap().clone();
    sup.permission_policies
        .push(policy("routing", "skill", &["view"]));
    m.update_role(sup).unwrap();
    assert!(!m.needs_update("sup").unwrap());
    // A new atom the template's wildcard covers, and the role's too: still up to date.
    m.add_permission(PermissionSpec::new("routing:queue:delete", "Delete"))
        .unwrap();
    assert!(!m.needs_update("sup").unwrap());
    // The vendor ships a template with more: the role needs an update.
    let newer = RoleSpec::new("sup", "Supervisor")
        .with_policy(policy("routing", "queue", &["*"]))
        .with_policy(policy("directory", "user", &["view"]));
    m.set_default_role_template(DefaultRoleTemplate::new("supervisor", newer))
        .unwrap();
    assert!(m.needs_update("sup").unwrap());
    assert!(m.role_summary("sup").unwrap().needs_update);
    m.restore_specified_default_roles(&["sup"]).unwrap();
    assert!(!m.needs_update("sup").unwrap());
    m.create_role(RoleSpec::new("mine", "Mine")).unwrap();
    assert!(!m.needs_update("mine").unwrap());
}

#[test]
fn compare_saved_role_with_default_role() {
    let mut m = with_templates();
    m.create_role(role(
        "mine",
        &[
            policy("routing", "queue", &["view"]),
            policy("routing", "skill", &["view"]),
        ],
    ))
    .unwrap();
    let diff = m.compare_with_default("mine", "supervisor").unwrap();
    assert_eq!(diff.added, ["routing:skill:view"]);
    assert_eq!(diff.removed, ["routing:queue:edit"]);
    assert_eq!(diff.same, ["routing:queue:view"]);
    let e = m.compare_with_default("ghost", "supervisor").unwrap_err();
    assert_eq!(
        err_at(e, "leftRoleId"),
        ErrorKind::UnknownRole { id: "ghost".into() }
    );
    let e = m.compare_with_default("mine", "ghost").unwrap_err();
    assert_eq!(
        err_at(e, "rightRoleId"),
        ErrorKind::UnknownDefaultRole { id: "ghost".into() }
    );
}

#[test]
fn compare_unsaved_role_changes_nothing() {
    let m = with_templates();
    let before = m.to_json();
    let body = role("draft", &[policy("routing", "*", &["*"])]);
    let diff = m.compare_unsaved_with_default(&body, "supervisor").unwrap();
    assert_eq!(diff.added, ["routing:skill:view"]);
    assert!(diff.removed.is_empty());
    assert_eq!(diff.same, ["routing:queue:edit", "routing:queue:view"]);
    assert_eq!(m.to_json(), before);
    assert!(m.role("draft").is_none());
}

#[test]
fn compare_expands_wildcards_at_atom_level() {
    let mut m = with_templates();
    m.create_role(role(
        "mine",
        &[policy("routing", "queue", &["view", "edit"])],
    ))
    .unwrap();
    assert_eq!(
        m.compare_with_default("mine", "supervisor").unwrap().same,
        ["routing:queue:edit", "routing:queue:view"]
    );
    m.add_permission(PermissionSpec::new("routing:queue:delete", "Delete"))
        .unwrap();
    let diff = m.compare_with_default("mine", "supervisor").unwrap();
    assert_eq!(diff.removed, ["routing:queue:delete"]);
}

// ---- membership edits ---------------------------------------------------------------------

#[test]
fn set_user_roles_replaces_direct_roles() {
    let mut m = world();
    for id in ["a", "b", "c"] {
        m.create_role(RoleSpec::new(id, id.to_uppercase())).unwrap();
    }
    grant(&mut m, "ada", "a", Some("emea"));
    let auth = m.set_user_roles("ada", &["b", "c"]).unwrap();
    assert_eq!(auth.roles, ["b", "c"]);
    assert!(auth.grants.iter().all(|g| g.division_id == "home"));
    let e = m.set_user_roles("ada", &["b", "ghost"]).unwrap_err();
    assert_eq!(
        err_at(e, "[1]"),
        ErrorKind::UnknownRole { id: "ghost".into() }
    );
    assert_eq!(m.user_authorization("ada").unwrap().roles, ["b", "c"]);
    let e = m.set_user_roles("ghost", &["b"]).unwrap_err();
    assert_eq!(
        err_at(e, "userId"),
        ErrorKind::UnknownUser { id: "ghost".into() }
    );
}

#[test]
fn remove_all_roles_keeps_base_and_group_roles() {
    let mut m = with_templates();
    m.restore_default_roles(false).unwrap();
    m.create_role(RoleSpec::new("g-role", "Group role"))
        .unwrap();
    m.create_role(RoleSpec::new("own", "Own")).unwrap();
    m.add_group("g", "G").unwrap();
    m.add_group_members("g", &["ada"]).unwrap();
    m.grant_role(Subject::Group("g"), "g-role", None).unwrap();
    grant(&mut m, "ada", "own", Some("*"));
    let auth = m.remove_user_roles("ada").unwrap();
    assert_eq!(auth.roles, ["emp", "g-role"]);
    let sources: Vec<GrantSource> = auth.grants.iter().map(|g| g.source.clone()).collect();
    assert_eq!(sources, [GrantSource::Base, GrantSource::Group("g".into())]);
}

#[test]
fn add_and_remove_users_of_a_role_return_the_resulting_state() {
    let mut m = world();
    m.create_role(RoleSpec::new("r", "R")).unwrap();
    assert_eq!(
        m.add_role_users("r", &["cy", "ada"]).unwrap(),
        ["ada", "cy"]
    );
    assert_eq!(
        m.add_role_users("r", &["bob", "ada"]).unwrap(),
        ["ada", "bob", "cy"]
    );
    assert_eq!(
        m.remove_role_users("r", &["ada", "dee"]).unwrap(),
        ["bob", "cy"]
    );
    let e = m.add_role_users("r", &["ghost"]).unwrap_err();
    assert_eq!(
        err_at(e, "[0]"),
        ErrorKind::UnknownUser { id: "ghost".into() }
    );
    let e = m.add_role_users("ghost", &["ada"]).unwrap_err();
    assert_eq!(
        err_at(e, "roleId"),
        ErrorKind::UnknownRole { id: "ghost".into() }
    );
    assert_eq!(m.role_users("r").unwrap(), ["bob", "cy"]);
}

#[test]
fn grant_and_revoke_are_idempotent_and_exact() {
    let mut m = world();
    m.create_role(RoleSpec::new("r", "R")).unwrap();
    grant(&mut m, "ada", "r", Some("emea"));
    grant(&mut m, "ada", "r", Some("emea"));
    assert_eq!(m.subject_grants(Subject::User("ada")).unwrap().len(), 1);
    assert!(
        !m.revoke_role(Subject::User("ada"), "r", Some("apac"))
            .unwrap()
    );
    assert!(
        m.revoke_role(Subject::User("ada"), "r", Some("emea"))
            .unwrap()
    );
    assert!(
        !m.revoke_role(Subject::User("ada"), "r", Some("emea"))
            .unwrap()
    );
    let e = m
        .revoke_role(Subject::User("ghost"), "r", None)
        .unwrap_err();
    assert_eq!(
        err_at(e, "userId"),
        ErrorKind::UnknownUser { id: "ghost".into() }
    );
}

#[test]
fn removing_a_user_drops_their_grants_memberships_and_bindings() {
    let mut m = world();
    m.create_role(role("r", &[policy("routing", "skill", &["view"])]))
        .unwrap();
    m.add_group("g", "G").unwrap();
    m.add_group_members("g", &["ada", "bob"]).unwrap();
    grant(&mut m, "ada", "r", None);
    m.add_action(ActionSpec::new("access_goals", "A")).unwrap();
    m.create_global_permission(GlobalPermissionSpec::new(
        "p",
        "access_goals",
        ["ada", "bob"],
    ))
    .unwrap();
    let old = m.compile().user("ada").unwrap();
    m.remove_user("ada").unwrap();
    let snap = m.compile();
    assert!(!snap.has_permission(old, "routing:skill:view"));
    assert!(!snap.has_action(old, "access_goals"));
    assert_eq!(m.group_members("g").unwrap(), ["bob"]);
    assert_eq!(
        m.global_permission("p").unwrap().principals,
        [Principal::user("bob")]
    );
    // Back under the same id: nothing comes back.
    m.add_user("ada", None).unwrap();
    assert!(m.subject_grants(Subject::User("ada")).unwrap().is_empty());
    assert!(!m.compile().has_permission("ada", "routing:skill:view"));
}

// ---- products -----------------------------------------------------------------------------

#[test]
fn permission_of_disabled_product_never_evaluates_true() {
    let mut m = world();
    m.create_role(role(
        "r",
        &[
            policy("wfm", "*", &["*"]),
            policy("outbound", "campaign", &["view"]),
        ],
    ))
    .unwrap();
    grant(&mut m, "ada", "r", Some("*"));
    let snap = m.compile();
    assert!(!snap.has_permission("ada", "wfm:schedule:view")); // wem is not enabled
    assert!(snap.has_permission("ada", "outbound:campaign:view"));
    m.disable_product("engage");
    let snap = m.compile();
    assert!(!snap.has_permission("ada", "outbound:campaign:view"));
    assert!(!snap.has_permission_on("ada", "outbound:campaign:view", "home", &[]));
    assert!(
        snap.users_with_permission("outbound:campaign:view", "home")
            .is_empty()
    );
    assert!(
        !snap
            .divisions_permitted("ada", "outbound:campaign:view")
            .is_all()
    );
    let d = snap.explain_permission("ada", "outbound:campaign:view");
    assert_eq!(
        d.reason,
        Reason::ProductDisabled {
            permission: "outbound:campaign:view".into(),
            product: "engage".into()
        }
    );
}

#[test]
fn granting_permission_of_disabled_product_is_rejected() {
    let mut m = world();
    let e = m
        .create_role(role("r", &[policy("wfm", "schedule", &["view"])]))
        .unwrap_err();
    assert_eq!(
        err_at(e, "permissionPolicies[0].actionSet[0]"),
        ErrorKind::ProductNotEnabled {
            permission: "wfm:schedule:view".into(),
            product: "wem".into()
        }
    );
    // A role saved while the product was enabled keeps it through later edits.
    m.create_role(role("o", &[policy("outbound", "campaign", &["view"])]))
        .unwrap();
    m.disable_product("engage");
    let kept = role("o", &[policy("outbound", "campaign", &["view"])]).with_description("edited");
    m.update_role(kept).unwrap();
    let e = m
        .update_role(role(
            "o",
            &[
                policy("outbound", "campaign", &["view"]),
                policy("wfm", "schedule", &["view"]),
            ],
        ))
        .unwrap_err();
    assert!(matches!(
        err_at(e, "permissionPolicies[1].actionSet[0]"),
        ErrorKind::ProductNotEnabled { .. }
    ));
}

#[test]
fn admin_does_not_bypass_product_gating() {
    let mut m = world();
    m.create_role(RoleSpec::new("a", "Admins").with_permission("admin"))
        .unwrap();
    grant(&mut m, "ada", "a", Some("*"));
    let snap = m.compile();
    assert!(!snap.has_permission("ada", "wfm:schedule:view"));
    assert!(!snap.user_permissions("ada").contains(&"wfm:schedule:view"));
}

#[test]
fn enabling_a_product_makes_its_permissions_count() {
    let mut m = world();
    m.create_role(role("r", &[policy("wfm", "schedule", &["*"])]))
        .unwrap();
    grant(&mut m, "ada", "r", None);
    assert!(!m.compile().has_permission("ada", "wfm:schedule:view"));
    m.enable_product("wem").unwrap();
    assert!(m.compile().has_permission("ada", "wfm:schedule:view"));
    assert_eq!(m.enabled_products().collect::<Vec<_>>(), ["engage", "wem"]);
    let e = m.enable_product("").unwrap_err();
    assert_eq!(err_at(e, "product"), ErrorKind::Required);
}

// ---- actions bound to principals (Quantive) -----------------------------------------------

fn with_actions() -> Model {
    let mut m = world();
    m.add_actions(vec![
        ActionSpec::new("access_goals", "Access goals"),
        ActionSpec::new("manage_goals", "Manage goals").requiring("access_goals"),
        ActionSpec::new("export_data", "Export data").with_description("CSV"),
    ])
    .unwrap();
    m.create_role(RoleSpec::new("editors", "Editors")).unwrap();
    m.create_role(RoleSpec::new("viewers", "Viewers")).unwrap();
    m
}

#[test]
fn manage_implies_access() {
    let mut m = with_actions();
    m.create_global_permission(GlobalPermissionSpec::new(
        "p",
        "manage_goals",
        ["editors", "bob"],
    ))
    .unwrap();
    grant(&mut m, "ada", "editors", None);
    let snap = m.compile();
    assert_eq!(
        snap.role_actions("editors"),
        ["access_goals", "manage_goals"]
    );
    assert!(snap.has_action("ada", "access_goals"));
    assert!(snap.has_action("bob", "access_goals"));
    assert!(!snap.has_action("cy", "access_goals"));
    assert!(!snap.has_action("ada", "export_data"));
}

#[test]
fn revoking_access_removes_manage() {
    let mut m = with_actions();
    m.create_global_permission(GlobalPermissionSpec::new(
        "a",
        "access_goals",
        ["bob", "cy"],
    ))
    .unwrap();
    m.create_global_permission(GlobalPermissionSpec::new(
        "m",
        "manage_goals",
        ["bob", "cy", "editors"],
    ))
    .unwrap();
    // Through revoke_action.
    assert_eq!(
        m.revoke_action("bob", "access_goals").unwrap(),
        ["access_goals", "manage_goals"]
    );
    // Through an update of the access object.
    m.update_global_permission(GlobalPermissionSpec::new(
        "a",
        "access_goals",
        Vec::<String>::new(),
    ))
    .unwrap();
    assert_eq!(
        m.global_permission("m").unwrap().principals,
        [Principal::role("editors")]
    );
    let snap = m.compile();
    for u in ["bob", "cy"] {
        assert!(!snap.has_action(u, "access_goals"), "{u}");
        assert!(!snap.has_action(u, "manage_goals"), "{u}");
    }
    // Revoking access from a principal bound only to manage removes manage too.
    assert_eq!(
        m.revoke_action("editors", "access_goals").unwrap(),
        ["manage_goals"]
    );
    assert!(m.compile().role_actions("editors").is_empty());
    // Deleting the last access binding cascades as well.
    m.create_global_permission(GlobalPermissionSpec::new("a2", "access_goals", ["dee"]))
        .unwrap();
    m.create_global_permission(GlobalPermissionSpec::new("m2", "manage_goals", ["dee"]))
        .unwrap();
    m.delete_global_permission("a2").unwrap();
    assert!(m.global_permission("m2").unwrap().principals.is_empty());
}

#[test]
fn global_permission_crud_by_id() {
    let mut m = with_actions();
    let p = GlobalPermissionSpec::new("p", "export_data", ["viewers", "ada", "ada"]);
    m.create_global_permission(p).unwrap();
    assert_eq!(
        m.global_permission("p").unwrap().principals,
        [Principal::user("ada"), Principal::role("viewers")]
    );
    let e = m
        .create_global_permission(GlobalPermissionSpec::new("p", "export_data", ["ada"]))
        .unwrap_err();
    assert_eq!(err_at(e, "id"), ErrorKind::DuplicateId { id: "p".into() });
    m.update_global_permission(GlobalPermissionSpec::new("p", "access_goals", ["bob"]))
        .unwrap();
    assert_eq!(m.global_permission("p").unwrap().action, "access_goals");
    assert_eq!(m.global_permissions().len(), 1);
    let e = m
        .update_global_permission(GlobalPermissionSpec::new("q", "access_goals", ["bob"]))
        .unwrap_err();
    assert_eq!(
        err_at(e, "id"),
        ErrorKind::UnknownGlobalPermission { id: "q".into() }
    );
    let e = m
        .create_global_permission(GlobalPermissionSpec::new("q", "fly", ["bob"]))
        .unwrap_err();
    assert_eq!(
        err_at(e, "action"),
        ErrorKind::UnknownAction { id: "fly".into() }
    );
    let e = m
        .create_global_permission(GlobalPermissionSpec::new("", "fly", ["bob"]))
        .unwrap_err();
    assert_eq!(err_at(e, "id"), ErrorKind::EmptyId);
    m.delete_global_permission("p").unwrap();
    assert!(m.global_permission("p").is_none());
    let e = m.delete_global_permission("p").unwrap_err();
    assert_eq!(
        err_at(e, "id"),
        ErrorKind::UnknownGlobalPermission { id: "p".into() }
    );
}

#[test]
fn principals_must_name_exactly_one_user_or_role() {
    let mut m = with_actions();
    let e = m
        .create_global_permission(GlobalPermissionSpec::new(
            "p",
            "export_data",
            ["ada", "ghost"],
        ))
        .unwrap_err();
    assert_eq!(
        err_at(e, "principals[1]"),
        ErrorKind::UnknownPrincipal { id: "ghost".into() }
    );
    m.create_role(RoleSpec::new("ada", "Named like a user"))
        .unwrap();
    let e = m
        .create_global_permission(GlobalPermissionSpec::new("p", "export_data", ["ada"]))
        .unwrap_err();
    assert_eq!(
        err_at(e, "principals[0]"),
        ErrorKind::AmbiguousPrincipal { id: "ada".into() }
    );
    let e = m.revoke_action("ghost", "export_data").unwrap_err();
    assert_eq!(
        err_at(e, "principal"),
        ErrorKind::UnknownPrincipal { id: "ghost".into() }
    );
    let e = m.revoke_action("bob", "fly").unwrap_err();
    assert_eq!(
        err_at(e, "action"),
        ErrorKind::UnknownAction { id: "fly".into() }
    );
}

#[test]
fn effective_permissions_of_a_role_and_of_a_user() {
    let mut m = with_actions();
    base_template(&mut m, &[]);
    m.restore_default_roles(false).unwrap();
    m.add_group("g", "G").unwrap();
    m.add_group_members("g", &["ada"]).unwrap();
    m.grant_role(Subject::Group("g"), "editors", Some("emea"))
        .unwrap();
    m.create_global_permission(GlobalPermissionSpec::new("p1", "manage_goals", ["editors"]))
        .unwrap();
    m.create_global_permission(GlobalPermissionSpec::new("p2", "export_data", ["ada"]))
        .unwrap();
    m.create_global_permission(GlobalPermissionSpec::new("p3", "access_goals", ["emp"]))
        .unwrap();
    let snap = m.compile();
    assert_eq!(
        snap.effective_actions("editors"),
        ["access_goals", "manage_goals"]
    );
    assert_eq!(
        snap.effective_actions("ada"),
        ["access_goals", "export_data", "manage_goals"]
    );
    assert_eq!(snap.effective_actions("bob"), ["access_goals"]); // base role
    assert!(snap.effective_actions("viewers").is_empty());
    assert!(snap.effective_actions("ghost").is_empty());
    assert_eq!(snap.user_actions("ada"), snap.effective_actions("ada"));
}

#[test]
fn action_catalog_rejects_bad_entries() {
    let mut m = with_actions();
    let e = m
        .add_action(ActionSpec::new("x", "X").requiring("nope"))
        .unwrap_err();
    assert_eq!(
        err_at(e, "requires"),
        ErrorKind::UnknownAction { id: "nope".into() }
    );
    let e = m
        .add_action(ActionSpec::new("export_data", "again"))
        .unwrap_err();
    assert_eq!(
        err_at(e, "name"),
        ErrorKind::DuplicateId {
            id: "export_data".into()
        }
    );
    let e = m.add_action(ActionSpec::new("", "X")).unwrap_err();
    assert_eq!(err_at(e, "name"), ErrorKind::EmptyId);
    let e = m
        .add_action(ActionSpec::new("self", "S").requiring("self"))
        .unwrap_err();
    assert!(matches!(e.kind(), ErrorKind::ActionCycle { .. }));
    let e = m
        .add_actions(vec![
            ActionSpec::new("a", "A").requiring("b"),
            ActionSpec::new("b", "B").requiring("c"),
            ActionSpec::new("c", "C").requiring("a"),
        ])
        .unwrap_err();
    assert_eq!(
        e.kind(),
        &ErrorKind::ActionCycle {
            actions: vec!["a".into(), "b".into(), "c".into()]
        }
    );
    assert!(m.action("a").is_none());
    let names: Vec<&str> = m.actions().iter().map(|a| a.name.as_str()).collect();
    assert_eq!(names, ["access_goals", "export_data", "manage_goals"]);
}

#[test]
fn view_only_role_cannot_be_combined_with_another_role() {
    let mut m = with_actions();
    base_template(&mut m, &[]);
    m.restore_default_roles(false).unwrap();
    m.create_role(RoleSpec::new("vo", "View only").view_only())
        .unwrap();
    grant(&mut m, "ada", "vo", None); // the base role does not count
    grant(&mut m, "ada", "vo", Some("emea")); // the same role again is fine
    let conflict = |e: ModelError| matches!(e.kind(), ErrorKind::ViewOnlyConflict { .. });
    // A direct grant.
    assert!(conflict(
        m.grant_role(Subject::User("ada"), "editors", None)
            .unwrap_err()
    ));
    // Replacing the roles, adding users to a role.
    assert!(conflict(
        m.set_user_roles("bob", &["vo", "editors"]).unwrap_err()
    ));
    grant(&mut m, "bob", "editors", None);
    assert!(conflict(
        m.add_role_users("vo", &["cy", "bob"]).unwrap_err()
    ));
    assert!(m.role_users("vo").unwrap() == ["ada"]); // cy not added either
    // Through a group: joining a granting group, or the group getting a grant.
    m.add_group("g", "G").unwrap();
    m.grant_role(Subject::Group("g"), "editors", None).unwrap();
    assert!(conflict(m.add_group_members("g", &["ada"]).unwrap_err()));
    m.add_group("h", "H").unwrap();
    m.add_group_members("h", &["ada"]).unwrap();
    assert!(conflict(
        m.grant_role(Subject::Group("h"), "viewers", None)
            .unwrap_err()
    ));
    // Making a role view-only while a holder has another role (the base role aside).
    grant(&mut m, "bob", "viewers", Some("*"));
    let e = m
        .update_role(RoleSpec::new("editors", "Editors").view_only())
        .unwrap_err();
    assert_eq!(
        err_at(e, "viewOnly"),
        ErrorKind::ViewOnlyConflict {
            user: "bob".into(),
            view_only: "editors".into(),
            other: "viewers".into()
        }
    );
    // Replacing with the view-only role alone is fine.
    m.set_user_roles("bob", &["vo"]).unwrap();
    let snap = m.compile();
    assert!(snap.is_view_only("bob"));
    assert!(!snap.is_view_only("cy"));
    assert_eq!(snap.user_roles("bob"), ["emp", "vo"]);
}

// ---- queries ------------------------------------------------------------------------------

fn queried() -> Model {
    let mut m = with_templates();
    m.restore_default_roles(false).unwrap();
    m.create_role(role(
        "r",
        &[
            policy("routing", "queue", &["edit"]),
            policy("routing", "skill", &["view"]),
        ],
    ))
    .unwrap();
    m.create_role(RoleSpec::new("a", "Admins").with_permission("admin"))
        .unwrap();
    m.add_group("g", "Support").unwrap();
    m.add_group_members("g", &["bob", "cy"]).unwrap();
    m.grant_role(Subject::Group("g"), "r", Some("emea"))
        .unwrap();
    grant(&mut m, "ada", "a", Some("*"));
    grant(&mut m, "bob", "r", Some("apac"));
    m
}

#[test]
fn has_any_and_has_all() {
    let snap = queried().compile();
    assert!(snap.has_any("bob", ["wfm:schedule:view", "routing:skill:view"]));
    assert!(!snap.has_any("bob", ["wfm:schedule:view", "nope"]));
    assert!(snap.has_all(
        "bob",
        ["routing:skill:view", "routing:queue:edit", "employee"]
    ));
    assert!(!snap.has_all("bob", ["routing:skill:view", "routing:queue:view"]));
    assert!(!snap.has_all("bob", ["routing:skill:view", "nope"]));
    assert!(!snap.has_any("bob", Vec::<&str>::new()));
    assert!(!snap.has_all("bob", Vec::<&str>::new()));
    assert!(!snap.has_any("ghost", ["employee"]));
    let ids: Vec<_> = ["employee", "routing:skill:view"]
        .iter()
        .map(|p| snap.permission(p).unwrap())
        .collect();
    assert!(snap.has_all(snap.user("dee").unwrap(), ids[..1].iter().copied()));
    assert!(!snap.has_all(snap.user("dee").unwrap(), ids.iter().copied()));
}

#[test]
fn user_permissions_are_flattened_and_sorted() {
    let snap = queried().compile();
    assert_eq!(
        snap.user_permissions("bob"),
        [
            "directory:user:view",
            "employee",
            "routing:queue:edit",
            "routing:skill:view"
        ]
    );
    assert_eq!(
        snap.user_permissions("dee"),
        ["directory:user:view", "employee"]
    );
    let all = snap.user_permissions("ada");
    assert!(all.contains(&"admin") && all.contains(&"outbound:campaign:view"));
    assert!(!all.contains(&"wfm:schedule:view")); // product not enabled
    assert!(all.windows(2).all(|w| w[0] < w[1]));
    assert!(snap.user_permissions("ghost").is_empty());
}

#[test]
fn user_roles_lists_direct_group_and_base_roles() {
    let snap = queried().compile();
    assert_eq!(snap.user_roles("bob"), ["emp", "r"]);
    assert_eq!(snap.user_roles("cy"), ["emp", "r"]);
    assert_eq!(snap.user_roles("ada"), ["a", "emp"]);
    assert!(snap.user_roles("ghost").is_empty());
}

#[test]
fn users_with_permission_is_the_reverse_of_has_permission_on() {
    let m = queried();
    let snap = m.compile();
    for p in [
        "routing:queue:edit",
        "routing:skill:view",
        "employee",
        "admin",
        "wfm:schedule:view",
    ] {
        for d in ["home", "emea", "apac"] {
            let listed: Vec<&str> = {
                let mut v: Vec<&str> = snap.users_with_permission(p, d).external_ids().collect();
                v.sort_unstable();
                v
            };
            let passing: Vec<&str> = m
                .user_ids()
                .filter(|u| snap.has_permission_on(*u, p, d, &[]))
                .collect();
            assert_eq!(listed, passing, "{p} in {d}");
        }
        let mut anywhere: Vec<&str> = snap.users_holding_permission(p).external_ids().collect();
        anywhere.sort_unstable();
        let passing: Vec<&str> = m
            .user_ids()
            .filter(|u| snap.has_permission(*u, p))
            .collect();
        assert_eq!(anywhere, passing, "{p}");
    }
    let mut edit: Vec<&str> = snap
        .users_with_permission("routing:queue:edit", "emea")
        .external_ids()
        .collect();
    edit.sort_unstable();
    assert_eq!(edit, ["ada", "bob", "cy"]);
}

#[test]
fn unknown_user_permission_division_or_action_is_a_deny_with_reason() {
    let mut m = queried();
    m.add_action(ActionSpec::new("access_goals", "A")).unwrap();
    let snap = m.compile();
    assert!(!snap.has_permission("ghost", "employee"));
    assert!(!snap.has_permission("ada", "nope"));
    assert!(!snap.has_permission(orgperm::UserId::new(999), orgperm::PermissionId::new(0)));
    assert!(!snap.has_permission(snap.user("ada").unwrap(), orgperm::PermissionId::new(9999)));
    assert!(!snap.has_permission_on(
        "ada",
        "routing:queue:edit",
        orgperm::DivisionId::new(99),
        &[]
    ));
    assert!(!snap.has_action("ghost", "access_goals"));
    assert!(!snap.has_action("ada", orgperm::ActionId::new(77)));
    assert!(snap.users_with_permission("nope", "home").is_empty());
    assert_eq!(
        snap.explain_permission("ghost", "employee").reason,
        Reason::UnknownUser {
            user: "\"ghost\"".into()
        }
    );
    assert_eq!(
        snap.explain_permission("ada", "nope").reason,
        Reason::UnknownPermission {
            permission: "\"nope\"".into()
        }
    );
    assert_eq!(
        snap.explain_permission_on("ada", "employee", "mars", &[])
            .reason,
        Reason::UnknownDivision {
            division: "\"mars\"".into()
        }
    );
    assert_eq!(
        snap.explain_action("ada", "fly").reason,
        Reason::UnknownAction {
            action: "\"fly\"".into()
        }
    );
    assert_eq!(
        snap.explain_action("ada", "access_goals").reason,
        Reason::NoActionBinding {
            action: "access_goals".into()
        }
    );
    assert!(!snap.explain_action("ghost", "access_goals").allowed);
}

#[test]
fn explain_names_role_policy_grant_and_division() {
    let mut m = queried();
    m.create_role(role(
        "c",
        &[policy("routing", "queue", &["view"]).with_condition(Condition::eq("q", "1"))],
    ))
    .unwrap();
    grant(&mut m, "dee", "c", Some("emea"));
    let snap = m.compile();
    let rg = |role: &str, policy: &str, source: GrantSource, division: &str, conditional| {
        Reason::RoleGrant {
            role: role.into(),
            policy: policy.into(),
            source,
            division: division.into(),
            conditional,
        }
    };
    let d = snap.explain_permission_on("bob", "routing:queue:edit", "apac", &[]);
    assert_eq!(
        d.reason,
        rg(
            "r",
            "routing:queue:edit",
            GrantSource::Direct,
            "apac",
            false
        )
    );
    assert_eq!(
        d.to_string(),
        "allow: role \"r\" policy \"routing:queue:edit\" granted to the user in division \"apac\""
    );
    let d = snap.explain_permission_on("cy", "routing:queue:edit", "emea", &[]);
    assert_eq!(
        d.reason,
        rg(
            "r",
            "routing:queue:edit",
            GrantSource::Group("g".into()),
            "emea",
            false
        )
    );
    let d = snap.explain_permission("dee", "employee");
    assert_eq!(
        d.reason,
        rg("emp", "employee", GrantSource::Base, "home", false)
    );
    let d = snap.explain_permission_on("ada", "outbound:campaign:view", "apac", &[]);
    assert_eq!(d.reason, rg("a", "admin", GrantSource::Direct, "*", false));
    let d = snap.explain_permission_on("dee", "routing:queue:view", "emea", &[("q", "1")]);
    assert_eq!(
        d.reason,
        rg("c", "routing:queue:view", GrantSource::Direct, "emea", true)
    );
    assert!(d.allowed);
}

#[test]
fn explain_reports_not_in_division_condition_not_met_and_no_grant() {
    let mut m = queried();
    m.create_role(role(
        "c",
        &[policy("routing", "queue", &["view"]).with_condition(Condition::eq("q", "1"))],
    ))
    .unwrap();
    grant(&mut m, "dee", "c", Some("emea"));
    let snap = m.compile();
    let d = snap.explain_permission_on("bob", "routing:queue:edit", "home", &[]);
    assert_eq!(
        d.reason,
        Reason::NotInDivision {
            permission: "routing:queue:edit".into(),
            division: "home".into()
        }
    );
    let d = snap.explain_permission_on("dee", "routing:queue:view", "emea", &[("q", "2")]);
    assert_eq!(
        d.reason,
        Reason::ConditionNotMet {
            permission: "routing:queue:view".into(),
            role: "c".into(),
            policy: "routing:queue:view".into()
        }
    );
    let d = snap.explain_permission_on("dee", "routing:queue:view", "apac", &[("q", "1")]);
    assert!(matches!(d.reason, Reason::NotInDivision { .. }), "{d}");
    let d = snap.explain_permission("dee", "routing:queue:view");
    assert!(
        !d.allowed && matches!(d.reason, Reason::ConditionNotMet { .. }),
        "{d}"
    );
    let d = snap.explain_permission("dee", "routing:skill:view");
    assert_eq!(
        d.reason,
        Reason::NoGrant {
            permission: "routing:skill:view".into()
        }
    );
}

#[test]
fn explain_agrees_with_every_check_of_a_small_world() {
    let mut m = queried();
    m.create_role(role(
        "c",
        &[policy("routing", "queue", &["view"]).with_condition(Condition::eq("q", "1"))],
    ))
    .unwrap();
    grant(&mut m, "dee", "c", Some("*"));
    let snap = m.compile();
    let perms: Vec<String> = m
        .list_permissions(&PermissionQuery::new().page(100, 1))
        .unwrap()
        .entities
        .iter()
        .map(|p| p.permission.clone())
        .collect();
    for u in ["ada", "bob", "cy", "dee", "ghost"] {
        for p in &perms {
            assert_eq!(
                snap.explain_permission(u, p.as_str()).allowed,
                snap.has_permission(u, p.as_str())
            );
            for d in ["home", "emea", "apac", "mars"] {
                for attrs in [&[][..], &[("q", "1")][..], &[("q", "2")][..]] {
                    assert_eq!(
                        snap.explain_permission_on(u, p.as_str(), d, attrs).allowed,
                        snap.has_permission_on(u, p.as_str(), d, attrs),
                        "{u} {p} {d} {attrs:?}"
                    );
                }
            }
        }
    }
}

#[test]
fn users_with_the_same_grants_share_one_compiled_combination() {
    let mut m = world();
    for i in 0..100 {
        m.add_user(&format!("u{i}"), None).unwrap();
    }
    m.create_role(role("r", &[policy("routing", "queue", &["view"])]))
        .unwrap();
    m.create_role(role("s", &[policy("routing", "skill", &["view"])]))
        .unwrap();
    m.add_group("g", "G").unwrap();
    m.grant_role(Subject::Group("g"), "s", None).unwrap();
    for i in 0..100 {
        let u = format!("u{i}");
        grant(&mut m, &u, "r", None);
        if i % 2 == 0 {
            grant(&mut m, &u, "s", None); // the same as through the group below
        } else {
            m.add_group_members("g", &[u.as_str()]).unwrap();
        }
    }
    let mem = m.compile().rbac_memory();
    // ada, bob, cy, dee hold nothing; u0..u99 hold r and s in home, whichever way.
    assert_eq!(mem.combos, 2);
    assert_eq!(mem.users, 104);
    assert!(mem.per_user() < 64.0, "{mem:?}");
}

#[test]
fn dense_and_external_ids_give_the_same_answers() {
    let m = queried();
    let snap = m.compile();
    for u in ["ada", "bob", "cy", "dee"] {
        let du = snap.user(u).unwrap();
        for p in ["routing:queue:edit", "employee", "admin"] {
            let dp = snap.permission(p).unwrap();
            assert_eq!(snap.has_permission(du, dp), snap.has_permission(u, p));
            for d in ["home", "emea"] {
                let dd = snap.division(d).unwrap();
                assert_eq!(
                    snap.has_permission_on(du, dp, dd, &[]),
                    snap.has_permission_on(u, p, d, &[])
                );
            }
            assert_eq!(
                snap.divisions_permitted(du, dp),
                snap.divisions_permitted(u, p)
            );
        }
    }
}

#[test]
fn compiled_types_are_send_and_sync() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Snapshot>();
    assert_send_sync::<Model>();
    assert_send_sync::<PermittedDivisions>();
}

// ---- model document -----------------------------------------------------------------------

fn full_model() -> Model {
    let mut m = queried();
    m.assign_resource("queue-1", Some("emea")).unwrap();
    m.create_role(
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
    m.create_role(RoleSpec::new("vo", "View only").view_only())
        .unwrap();
    m.add_user("viewer", None).unwrap();
    grant(&mut m, "viewer", "vo", None);
    m.add_actions(vec![
        ActionSpec::new("manage_goals", "Manage goals").requiring("access_goals"),
        ActionSpec::new("access_goals", "Access goals").with_description("Read goals"),
    ])
    .unwrap();
    m.create_global_permission(GlobalPermissionSpec::new(
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
        assert_eq!(a.user_permissions(u), b.user_permissions(u));
        assert_eq!(a.user_roles(u), b.user_roles(u));
        assert_eq!(a.user_actions(u), b.user_actions(u));
        assert_eq!(a.is_view_only(u), b.is_view_only(u));
        for d in ["home", "emea", "apac"] {
            for attrs in [&[("q", "1"), ("p", "7")][..], &[("q", "3")][..]] {
                assert_eq!(
                    a.has_permission_on(u, "routing:queue:view", d, attrs),
                    b.has_permission_on(u, "routing:queue:view", d, attrs)
                );
            }
        }
    }
    assert!(b.has_permission_on(
        "dee",
        "routing:queue:view",
        "apac",
        &[("q", "1"), ("p", "7")]
    ));
    assert_eq!(again.resource_division("queue-1"), Some("emea"));
    assert_eq!(again.base_role(), Some("emp"));
}

#[test]
fn version_1_document_without_rbac_sections_still_reads() {
    let m = Model::from_json(r#"{"version": 1, "users": [{"id": "a"}]}"#).unwrap();
    assert!(m.role_ids().next().is_none());
    let json = m.to_json();
    for absent in ["roles", "grants", "permissionCatalog", "divisions"] {
        assert!(!json.contains(absent), "{absent}");
    }
    assert!(!m.compile().has_permission("a", "admin"));
}

#[test]
fn document_keeps_roles_with_permissions_of_disabled_products() {
    let mut m = world();
    m.create_role(role("o", &[policy("outbound", "campaign", &["view"])]))
        .unwrap();
    grant(&mut m, "ada", "o", Some("*"));
    m.disable_product("engage");
    let again = Model::from_json(&m.to_json()).unwrap();
    assert_eq!(again.role("o"), m.role("o"));
    assert!(
        !again
            .compile()
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
            "USER".into(),
            "roles[1].permissionPolicies[0].resourceConditionNode.terms[0].operands[0].type: invalid condition: only SCALAR operands are supported",
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
    m.restore_default_roles(false).unwrap();
    let renamed =
        RoleSpec::new("sup", "Team supervisor").with_policy(policy("routing", "queue", &["*"]));
    m.set_default_role_template(DefaultRoleTemplate::new("supervisor", renamed))
        .unwrap();
    assert_eq!(m.role("sup").unwrap().name, "Supervisor"); // the saved role keeps its name
    let again = Model::from_json(&m.to_json()).unwrap();
    assert_eq!(again.role("sup").unwrap().name, "Supervisor");
    assert_eq!(again.to_json(), m.to_json());
    // A forced restore takes the template's new name.
    m.restore_default_roles(true).unwrap();
    assert_eq!(m.role("sup").unwrap().name, "Team supervisor");
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
fn deleting_a_role_or_division_is_refused_exactly_while_a_grant_names_it() {
    let mut m = Model::new();
    m.add_division("home", "Home").unwrap();
    m.add_division("emea", "EMEA").unwrap();
    for u in ["ada", "bob", "cy"] {
        m.add_user(u, None).unwrap();
    }
    m.add_group("g", "G").unwrap();
    m.create_role(RoleSpec::new("r", "R")).unwrap();
    m.create_role(RoleSpec::new("s", "S")).unwrap();
    let grants = |m: &Model| match m.clone().delete_role("r") {
        Err(e) => match e.kind() {
            ErrorKind::RoleAssigned { grants, .. } => *grants,
            other => panic!("{other:?}"),
        },
        Ok(()) => 0,
    };
    m.grant_role(Subject::User("ada"), "r", Some("emea"))
        .unwrap();
    m.grant_role(Subject::User("ada"), "r", Some("emea"))
        .unwrap(); // a repeat adds nothing
    m.grant_role(Subject::Group("g"), "r", Some("emea"))
        .unwrap();
    m.add_role_users("r", &["bob", "cy"]).unwrap();
    assert_eq!(grants(&m), 4);
    assert!(matches!(
        m.clone().delete_division("emea").unwrap_err().kind(),
        ErrorKind::DivisionInUse { .. }
    ));
    m.revoke_role(Subject::User("ada"), "r", Some("emea"))
        .unwrap();
    m.revoke_role(Subject::User("ada"), "r", Some("emea"))
        .unwrap(); // not held: nothing
    assert_eq!(grants(&m), 3);
    m.set_user_roles("bob", &["s"]).unwrap();
    assert_eq!(grants(&m), 2);
    m.remove_role_users("r", &["cy"]).unwrap();
    assert_eq!(grants(&m), 1);
    m.revoke_role(Subject::Group("g"), "r", Some("emea"))
        .unwrap();
    assert_eq!(grants(&m), 0);
    m.delete_division("emea").unwrap();
    m.grant_role(Subject::User("cy"), "r", None).unwrap();
    m.remove_user("cy").unwrap();
    m.remove_user_roles("bob").unwrap();
    m.delete_role("r").unwrap();
    m.delete_role("s").unwrap();
}
