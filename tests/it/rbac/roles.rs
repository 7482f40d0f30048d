//! Roles and permissions: roles and policies.

use super::*;

#[test]
fn role_crud_create_get_update_delete() {
    let mut m = world();
    let r = role("r", &[policy("routing", "queue", &["view"])]);
    m.rbac_mut().create_role(r.clone()).unwrap();
    assert_eq!(m.rbac().role("r"), Some(&r));
    refused(
        m.rbac_mut().create_role(r.clone()),
        "id",
        RbacErrorKind::Input(InputErrorKind::DuplicateId { id: "r".into() }),
    );
    let changed = r.clone().with_description("new");
    m.rbac_mut().update_role(changed.clone()).unwrap();
    assert_eq!(m.rbac().role("r").unwrap().description, "new");
    m.rbac_mut().delete_role("r").unwrap();
    assert!(m.rbac().role("r").is_none());
    refused(
        m.rbac_mut().delete_role("r"),
        "id",
        RbacErrorKind::UnknownRole { id: "r".into() },
    );
    // The id can be used again.
    m.rbac_mut().create_role(r).unwrap();
    assert!(m.compile().rbac().role_id("r").is_some());
}

#[test]
fn wildcard_entity_matches_present_and_future_atoms() {
    let mut m = world();
    m.rbac_mut()
        .create_role(role("r", &[policy("routing", "*", &["view"])]))
        .unwrap();
    grant(&mut m, "ada", "r", Some("*"));
    let snap = m.compile();
    assert!(snap.rbac().has_permission("ada", "routing:queue:view"));
    assert!(snap.rbac().has_permission("ada", "routing:skill:view"));
    assert!(!snap.rbac().has_permission("ada", "routing:queue:edit"));
    m.rbac_mut()
        .add_permission(PermissionSpec::new("routing:wrapupCode:view", "New"))
        .unwrap();
    m.rbac_mut()
        .add_permission(PermissionSpec::new("routing:wrapupCode:add", "New"))
        .unwrap();
    let snap = m.compile();
    assert!(snap.rbac().has_permission("ada", "routing:wrapupCode:view"));
    assert!(!snap.rbac().has_permission("ada", "routing:wrapupCode:add"));
}

#[test]
fn wildcard_actions_match_present_and_future_atoms() {
    let mut m = world();
    m.rbac_mut()
        .create_role(role("r", &[policy("routing", "queue", &["*"])]))
        .unwrap();
    grant(&mut m, "ada", "r", Some("*"));
    assert!(
        m.compile()
            .rbac()
            .has_permission("ada", "routing:queue:edit")
    );
    assert!(
        !m.compile()
            .rbac()
            .has_permission("ada", "routing:skill:view")
    );
    m.rbac_mut()
        .add_permission(PermissionSpec::new("routing:queue:delete", "New"))
        .unwrap();
    assert!(
        m.compile()
            .rbac()
            .has_permission("ada", "routing:queue:delete")
    );
}

#[test]
fn wildcard_domain_is_rejected() {
    let mut m = world();
    refused(
        m.rbac_mut()
            .create_role(role("r", &[policy("*", "*", &["*"])])),
        "permissionPolicies[0].domain",
        RbacErrorKind::WildcardDomain,
    );
}

#[test]
fn policy_naming_unknown_domain_entity_or_action_is_rejected() {
    let mut m = world();
    let cases = [
        (
            policy("nope", "*", &["*"]),
            "permissionPolicies[0].domain",
            RbacErrorKind::UnknownDomain {
                domain: "nope".into(),
            },
        ),
        (
            policy("routing", "nope", &["*"]),
            "permissionPolicies[0].entityName",
            RbacErrorKind::UnknownPermission {
                id: "routing:nope:*".into(),
            },
        ),
        (
            policy("routing", "queue", &["view", "nope"]),
            "permissionPolicies[0].actionSet[1]",
            RbacErrorKind::UnknownPermission {
                id: "routing:queue:nope".into(),
            },
        ),
        (
            policy("routing", "*", &["nope"]),
            "permissionPolicies[0].actionSet[0]",
            RbacErrorKind::UnknownPermission {
                id: "routing:*:nope".into(),
            },
        ),
        (
            policy("", "queue", &["view"]),
            "permissionPolicies[0].domain",
            RbacErrorKind::Input(InputErrorKind::Required),
        ),
        (
            policy("routing", "", &["view"]),
            "permissionPolicies[0].entityName",
            RbacErrorKind::Input(InputErrorKind::Required),
        ),
        (
            policy("routing", "queue", &[""]),
            "permissionPolicies[0].actionSet[0]",
            RbacErrorKind::Input(InputErrorKind::Required),
        ),
    ];
    for (p, path, kind) in cases {
        let e = m.rbac_mut().create_role(role("r", &[p])).unwrap_err();
        assert_eq!(err_at(e, path), kind);
    }
    assert!(m.rbac().role("r").is_none());
}

#[test]
fn empty_action_set_is_rejected() {
    let mut m = world();
    refused(
        m.rbac_mut()
            .create_role(role("r", &[policy("routing", "queue", &[])])),
        "permissionPolicies[0].actionSet",
        RbacErrorKind::EmptyActionSet,
    );
}

#[test]
fn role_id_and_name_are_required_and_names_unique() {
    let mut m = world();
    refused(
        m.rbac_mut().create_role(RoleSpec::new("", "X")),
        "id",
        RbacErrorKind::Input(InputErrorKind::EmptyId),
    );
    refused(
        m.rbac_mut().create_role(RoleSpec::new("r", "  ")),
        "name",
        RbacErrorKind::Input(InputErrorKind::Required),
    );
    m.rbac_mut()
        .create_role(RoleSpec::new("r1", "Agents"))
        .unwrap();
    refused(
        m.rbac_mut().create_role(RoleSpec::new("r2", "AGENTS")),
        "name",
        RbacErrorKind::DuplicateName {
            name: "AGENTS".into(),
        },
    );
    m.rbac_mut()
        .create_role(RoleSpec::new("r2", "Leads"))
        .unwrap();
    let e = m
        .rbac_mut()
        .update_role(RoleSpec::new("r2", "agents"))
        .unwrap_err();
    assert!(matches!(
        err_at(e, "name"),
        RbacErrorKind::DuplicateName { .. }
    ));
    m.rbac_mut()
        .update_role(RoleSpec::new("r1", "agents"))
        .unwrap(); // its own name, other case
}

#[test]
fn flat_permission_list_accepts_only_known_flat_permissions() {
    let mut m = world();
    let e = m
        .rbac_mut()
        .create_role(RoleSpec::new("r", "R").with_permission("routing:queue:view"))
        .unwrap_err();
    assert!(matches!(
        err_at(e, "permissions[0]"),
        RbacErrorKind::InvalidPermission { .. }
    ));
    refused(
        m.rbac_mut()
            .create_role(RoleSpec::new("r", "R").with_permission("superuser")),
        "permissions[0]",
        RbacErrorKind::UnknownPermission {
            id: "superuser".into(),
        },
    );
}

#[test]
fn roles_are_additive() {
    let mut m = world();
    m.rbac_mut()
        .create_role(role("q", &[policy("routing", "queue", &["view"])]))
        .unwrap();
    m.rbac_mut()
        .create_role(role("s", &[policy("routing", "skill", &["view"])]))
        .unwrap();
    grant(&mut m, "ada", "q", None);
    grant(&mut m, "ada", "s", None);
    grant(&mut m, "bob", "q", None);
    let snap = m.compile();
    assert!(snap.rbac().has_permission("ada", "routing:queue:view"));
    assert!(snap.rbac().has_permission("ada", "routing:skill:view"));
    assert!(snap.rbac().has_permission("bob", "routing:queue:view"));
    assert!(!snap.rbac().has_permission("bob", "routing:skill:view"));
}

#[test]
fn admin_grants_every_check() {
    let mut m = world();
    m.rbac_mut()
        .create_role(RoleSpec::new("a", "Admins").with_permission("admin"))
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
        assert!(snap.rbac().has_permission("ada", p), "{p}");
        for d in ["home", "emea", "apac"] {
            assert!(
                snap.rbac().has_permission_on("ada", p, d, &[]),
                "{p} in {d}"
            );
        }
    }
    assert!(!snap.rbac().has_permission("bob", "routing:queue:view"));
    // Added to the catalog later: admin covers it too.
    m.rbac_mut()
        .add_permission(PermissionSpec::new("journey:segment:view", "New"))
        .unwrap();
    assert!(
        m.compile()
            .rbac()
            .has_permission("ada", "journey:segment:view")
    );
}

#[test]
fn admin_is_scoped_to_its_grant_division() {
    let mut m = world();
    m.rbac_mut()
        .create_role(RoleSpec::new("a", "Admins").with_permission("admin"))
        .unwrap();
    grant(&mut m, "ada", "a", None);
    let snap = m.compile();
    assert!(
        snap.rbac()
            .has_permission_on("ada", "routing:queue:edit", "home", &[])
    );
    assert!(
        !snap
            .rbac()
            .has_permission_on("ada", "routing:queue:edit", "emea", &[])
    );
    assert!(
        snap.rbac()
            .has_permission_on("ada", "directory:user:view", "emea", &[])
    );
}

#[test]
fn list_roles_sorts_pages_and_counts_users() {
    let mut m = world();
    for (id, name) in [("1", "beta"), ("2", "Alpha"), ("3", "gamma")] {
        m.rbac_mut().create_role(RoleSpec::new(id, name)).unwrap();
    }
    m.rbac_mut().add_group("g", "G").unwrap();
    m.rbac_mut().add_group_members("g", &["bob", "cy"]).unwrap();
    m.rbac_mut()
        .grant_role(Subject::Group("g"), "3", None)
        .unwrap();
    grant(&mut m, "bob", "3", Some("emea")); // bob counted once
    grant(&mut m, "ada", "1", None);
    let names = |q: RoleQuery| -> Vec<(String, usize)> {
        m.rbac()
            .list_roles(&q)
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
    let page = m.rbac().list_roles(&RoleQuery::new().page(2, 1)).unwrap();
    assert_eq!((page.total, page.page_count), (3, 2));
}

#[test]
fn list_roles_filters_by_permission_after_wildcard_expansion() {
    let mut m = world();
    m.rbac_mut()
        .create_role(role("w", &[policy("routing", "*", &["*"])]))
        .unwrap();
    m.rbac_mut()
        .create_role(role("q", &[policy("routing", "queue", &["view"])]))
        .unwrap();
    m.rbac_mut()
        .create_role(role("s", &[policy("routing", "skill", &["view"])]))
        .unwrap();
    let ids = |q: RoleQuery| -> Vec<String> {
        m.rbac()
            .list_roles(&q.sort(RoleSort::Id, false))
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
    refused(
        m.rbac()
            .list_roles(&RoleQuery::new().with_permission("nope")),
        "permission[0]",
        RbacErrorKind::UnknownPermission { id: "nope".into() },
    );
}

#[test]
fn deleting_a_granted_or_referenced_role_is_refused() {
    let mut m = world();
    m.rbac_mut().create_role(RoleSpec::new("r", "R")).unwrap();
    m.rbac_mut().add_group("g", "G").unwrap();
    m.rbac_mut()
        .grant_role(Subject::Group("g"), "r", Some("*"))
        .unwrap();
    refused(
        m.rbac_mut().delete_role("r"),
        "id",
        RbacErrorKind::RoleAssigned {
            id: "r".into(),
            grants: 1,
        },
    );
    m.rbac_mut()
        .revoke_role(Subject::Group("g"), "r", Some("*"))
        .unwrap();
    m.rbac_mut()
        .add_action(ActionSpec::new("access_goals", "A"))
        .unwrap();
    m.rbac_mut()
        .create_global_permission(GlobalPermissionSpec::new("p", "access_goals", ["r"]))
        .unwrap();
    refused(
        m.rbac_mut().delete_role("r"),
        "id",
        RbacErrorKind::RoleReferenced {
            id: "r".into(),
            permission: "p".into(),
        },
    );
    m.rbac_mut().delete_global_permission("p").unwrap();
    m.rbac_mut().delete_role("r").unwrap();
}

#[test]
fn deleting_a_role_or_division_is_refused_exactly_while_a_grant_names_it() {
    let mut m = Model::new();
    m.rbac_mut().add_division("home", "Home").unwrap();
    m.rbac_mut().add_division("emea", "EMEA").unwrap();
    for u in ["ada", "bob", "cy"] {
        m.add_user(u, None).unwrap();
    }
    m.rbac_mut().add_group("g", "G").unwrap();
    m.rbac_mut().create_role(RoleSpec::new("r", "R")).unwrap();
    m.rbac_mut().create_role(RoleSpec::new("s", "S")).unwrap();
    let grants = |m: &Model| match m.clone().rbac_mut().delete_role("r") {
        Err(e) => match e.kind() {
            RbacErrorKind::RoleAssigned { grants, .. } => *grants,
            other => panic!("{other:?}"),
        },
        Ok(()) => 0,
    };
    m.rbac_mut()
        .grant_role(Subject::User("ada"), "r", Some("emea"))
        .unwrap();
    m.rbac_mut()
        .grant_role(Subject::User("ada"), "r", Some("emea"))
        .unwrap(); // a repeat adds nothing
    m.rbac_mut()
        .grant_role(Subject::Group("g"), "r", Some("emea"))
        .unwrap();
    m.rbac_mut().add_role_users("r", &["bob", "cy"]).unwrap();
    assert_eq!(grants(&m), 4);
    assert!(matches!(
        m.clone()
            .rbac_mut()
            .delete_division("emea")
            .unwrap_err()
            .kind(),
        RbacErrorKind::DivisionInUse { .. }
    ));
    m.rbac_mut()
        .revoke_role(Subject::User("ada"), "r", Some("emea"))
        .unwrap();
    m.rbac_mut()
        .revoke_role(Subject::User("ada"), "r", Some("emea"))
        .unwrap(); // not held: nothing
    assert_eq!(grants(&m), 3);
    m.rbac_mut().set_user_roles("bob", &["s"]).unwrap();
    assert_eq!(grants(&m), 2);
    m.rbac_mut().remove_role_users("r", &["cy"]).unwrap();
    assert_eq!(grants(&m), 1);
    m.rbac_mut()
        .revoke_role(Subject::Group("g"), "r", Some("emea"))
        .unwrap();
    assert_eq!(grants(&m), 0);
    m.rbac_mut().delete_division("emea").unwrap();
    m.rbac_mut()
        .grant_role(Subject::User("cy"), "r", None)
        .unwrap();
    m.remove_user("cy").unwrap();
    m.rbac_mut().remove_user_roles("bob").unwrap();
    m.rbac_mut().delete_role("r").unwrap();
    m.rbac_mut().delete_role("s").unwrap();
}
