//! Roles and permissions: queries.

use super::*;

#[test]
fn has_any_and_has_all() {
    let snap = queried().compile();
    assert!(
        snap.rbac()
            .has_any("bob", ["wfm:schedule:view", "routing:skill:view"])
    );
    assert!(!snap.rbac().has_any("bob", ["wfm:schedule:view", "nope"]));
    assert!(snap.rbac().has_all(
        "bob",
        ["routing:skill:view", "routing:queue:edit", "employee"]
    ));
    assert!(
        !snap
            .rbac()
            .has_all("bob", ["routing:skill:view", "routing:queue:view"])
    );
    assert!(!snap.rbac().has_all("bob", ["routing:skill:view", "nope"]));
    assert!(!snap.rbac().has_any("bob", Vec::<&str>::new()));
    assert!(!snap.rbac().has_all("bob", Vec::<&str>::new()));
    assert!(!snap.rbac().has_any("ghost", ["employee"]));
    let ids: Vec<_> = ["employee", "routing:skill:view"]
        .iter()
        .map(|p| snap.rbac().permission_id(p).unwrap())
        .collect();
    assert!(
        snap.rbac()
            .has_all(snap.user_id("dee").unwrap(), ids[..1].iter().copied())
    );
    assert!(
        !snap
            .rbac()
            .has_all(snap.user_id("dee").unwrap(), ids.iter().copied())
    );
}

#[test]
fn user_permissions_are_flattened_and_sorted() {
    let snap = queried().compile();
    assert_eq!(
        snap.rbac().user_permissions("bob"),
        [
            "directory:user:view",
            "employee",
            "routing:queue:edit",
            "routing:skill:view"
        ]
    );
    assert_eq!(
        snap.rbac().user_permissions("dee"),
        ["directory:user:view", "employee"]
    );
    let all = snap.rbac().user_permissions("ada");
    assert!(all.contains(&"admin") && all.contains(&"outbound:campaign:view"));
    assert!(!all.contains(&"wfm:schedule:view")); // product not enabled
    assert!(all.windows(2).all(|w| w[0] < w[1]));
    assert!(snap.rbac().user_permissions("ghost").is_empty());
}

#[test]
fn user_roles_lists_direct_group_and_base_roles() {
    let snap = queried().compile();
    assert_eq!(snap.rbac().user_roles("bob"), ["emp", "r"]);
    assert_eq!(snap.rbac().user_roles("cy"), ["emp", "r"]);
    assert_eq!(snap.rbac().user_roles("ada"), ["a", "emp"]);
    assert!(snap.rbac().user_roles("ghost").is_empty());
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
                let mut v: Vec<&str> = snap
                    .rbac()
                    .users_with_permission(p, d)
                    .external_ids()
                    .collect();
                v.sort_unstable();
                v
            };
            let passing: Vec<&str> = m
                .user_ids()
                .filter(|u| snap.rbac().has_permission_on(*u, p, d, &[]))
                .collect();
            assert_eq!(listed, passing, "{p} in {d}");
        }
        let mut anywhere: Vec<&str> = snap
            .rbac()
            .users_holding_permission(p)
            .external_ids()
            .collect();
        anywhere.sort_unstable();
        let passing: Vec<&str> = m
            .user_ids()
            .filter(|u| snap.rbac().has_permission(*u, p))
            .collect();
        assert_eq!(anywhere, passing, "{p}");
    }
    let mut edit: Vec<&str> = snap
        .rbac()
        .users_with_permission("routing:queue:edit", "emea")
        .external_ids()
        .collect();
    edit.sort_unstable();
    assert_eq!(edit, ["ada", "bob", "cy"]);
}

#[test]
fn unknown_user_permission_division_or_action_is_a_deny_with_reason() {
    let mut m = queried();
    m.rbac_mut()
        .add_action(ActionSpec::new("access_goals", "A"))
        .unwrap();
    let snap = m.compile();
    assert!(!snap.rbac().has_permission("ghost", "employee"));
    assert!(!snap.rbac().has_permission("ada", "nope"));
    assert!(
        !snap
            .rbac()
            .has_permission(orgperm::UserId::new(999), orgperm::PermissionId::new(0))
    );
    assert!(!snap.rbac().has_permission(
        snap.user_id("ada").unwrap(),
        orgperm::PermissionId::new(9999)
    ));
    assert!(!snap.rbac().has_permission_on(
        "ada",
        "routing:queue:edit",
        orgperm::DivisionId::new(99),
        &[]
    ));
    assert!(!snap.rbac().has_action("ghost", "access_goals"));
    assert!(!snap.rbac().has_action("ada", orgperm::ActionId::new(77)));
    assert!(snap.rbac().users_with_permission("nope", "home").is_empty());
    assert_eq!(
        snap.rbac().explain_permission("ghost", "employee").reason,
        RbacReason::UnknownUser {
            user: "\"ghost\"".into()
        }
    );
    assert_eq!(
        snap.rbac().explain_permission("ada", "nope").reason,
        RbacReason::UnknownPermission {
            permission: "\"nope\"".into()
        }
    );
    assert_eq!(
        snap.rbac()
            .explain_permission_on("ada", "employee", "mars", &[])
            .reason,
        RbacReason::UnknownDivision {
            division: "\"mars\"".into()
        }
    );
    assert_eq!(
        snap.rbac().explain_action("ada", "fly").reason,
        RbacReason::UnknownAction {
            action: "\"fly\"".into()
        }
    );
    assert_eq!(
        snap.rbac().explain_action("ada", "access_goals").reason,
        RbacReason::NoActionBinding {
            action: "access_goals".into()
        }
    );
    assert!(!snap.rbac().explain_action("ghost", "access_goals").allowed);
}

#[test]
fn explain_names_role_policy_grant_and_division() {
    let mut m = queried();
    m.rbac_mut()
        .create_role(role(
            "c",
            &[policy("routing", "queue", &["view"]).with_condition(Condition::eq("q", "1"))],
        ))
        .unwrap();
    grant(&mut m, "dee", "c", Some("emea"));
    let snap = m.compile();
    let rg = |role: &str, policy: &str, source: GrantSource, division: &str, conditional| {
        RbacReason::RoleGrant {
            role: role.into(),
            policy: policy.into(),
            source,
            division: division.into(),
            conditional,
        }
    };
    let d = snap
        .rbac()
        .explain_permission_on("bob", "routing:queue:edit", "apac", &[]);
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
    let d = snap
        .rbac()
        .explain_permission_on("cy", "routing:queue:edit", "emea", &[]);
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
    let d = snap.rbac().explain_permission("dee", "employee");
    assert_eq!(
        d.reason,
        rg("emp", "employee", GrantSource::Base, "home", false)
    );
    let d = snap
        .rbac()
        .explain_permission_on("ada", "outbound:campaign:view", "apac", &[]);
    assert_eq!(d.reason, rg("a", "admin", GrantSource::Direct, "*", false));
    let d = snap
        .rbac()
        .explain_permission_on("dee", "routing:queue:view", "emea", &[("q", "1")]);
    assert_eq!(
        d.reason,
        rg("c", "routing:queue:view", GrantSource::Direct, "emea", true)
    );
    assert!(d.allowed);
}

#[test]
fn explain_reports_not_in_division_condition_not_met_and_no_grant() {
    let mut m = queried();
    m.rbac_mut()
        .create_role(role(
            "c",
            &[policy("routing", "queue", &["view"]).with_condition(Condition::eq("q", "1"))],
        ))
        .unwrap();
    grant(&mut m, "dee", "c", Some("emea"));
    let snap = m.compile();
    let d = snap
        .rbac()
        .explain_permission_on("bob", "routing:queue:edit", "home", &[]);
    assert_eq!(
        d.reason,
        RbacReason::NotInDivision {
            permission: "routing:queue:edit".into(),
            division: "home".into()
        }
    );
    let d = snap
        .rbac()
        .explain_permission_on("dee", "routing:queue:view", "emea", &[("q", "2")]);
    assert_eq!(
        d.reason,
        RbacReason::ConditionNotMet {
            permission: "routing:queue:view".into(),
            role: "c".into(),
            policy: "routing:queue:view".into()
        }
    );
    let d = snap
        .rbac()
        .explain_permission_on("dee", "routing:queue:view", "apac", &[("q", "1")]);
    assert!(matches!(d.reason, RbacReason::NotInDivision { .. }), "{d}");
    let d = snap.rbac().explain_permission("dee", "routing:queue:view");
    assert!(
        !d.allowed && matches!(d.reason, RbacReason::ConditionNotMet { .. }),
        "{d}"
    );
    let d = snap.rbac().explain_permission("dee", "routing:skill:view");
    assert_eq!(
        d.reason,
        RbacReason::NoGrant {
            permission: "routing:skill:view".into()
        }
    );
}

#[test]
fn explain_agrees_with_every_check_of_a_small_world() {
    let mut m = queried();
    m.rbac_mut()
        .create_role(role(
            "c",
            &[policy("routing", "queue", &["view"]).with_condition(Condition::eq("q", "1"))],
        ))
        .unwrap();
    grant(&mut m, "dee", "c", Some("*"));
    let snap = m.compile();
    let perms: Vec<String> = m
        .rbac()
        .list_permissions(&PermissionQuery::new().page(100, 1))
        .unwrap()
        .entities
        .iter()
        .map(|p| p.permission.clone())
        .collect();
    for u in ["ada", "bob", "cy", "dee", "ghost"] {
        for p in &perms {
            assert_eq!(
                snap.rbac().explain_permission(u, p.as_str()).allowed,
                snap.rbac().has_permission(u, p.as_str())
            );
            for d in ["home", "emea", "apac", "mars"] {
                for attrs in [&[][..], &[("q", "1")][..], &[("q", "2")][..]] {
                    assert_eq!(
                        snap.rbac()
                            .explain_permission_on(u, p.as_str(), d, attrs)
                            .allowed,
                        snap.rbac().has_permission_on(u, p.as_str(), d, attrs),
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
    m.rbac_mut()
        .create_role(role("r", &[policy("routing", "queue", &["view"])]))
        .unwrap();
    m.rbac_mut()
        .create_role(role("s", &[policy("routing", "skill", &["view"])]))
        .unwrap();
    m.rbac_mut().add_group("g", "G").unwrap();
    m.rbac_mut()
        .grant_role(Subject::Group("g"), "s", None)
        .unwrap();
    for i in 0..100 {
        let u = format!("u{i}");
        grant(&mut m, &u, "r", None);
        if i % 2 == 0 {
            grant(&mut m, &u, "s", None); // the same as through the group below
        } else {
            m.rbac_mut().add_group_members("g", &[u.as_str()]).unwrap();
        }
    }
    let mem = m.compile().rbac().memory();
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
        let du = snap.user_id(u).unwrap();
        for p in ["routing:queue:edit", "employee", "admin"] {
            let dp = snap.rbac().permission_id(p).unwrap();
            assert_eq!(
                snap.rbac().has_permission(du, dp),
                snap.rbac().has_permission(u, p)
            );
            for d in ["home", "emea"] {
                let dd = snap.rbac().division_id(d).unwrap();
                assert_eq!(
                    snap.rbac().has_permission_on(du, dp, dd, &[]),
                    snap.rbac().has_permission_on(u, p, d, &[])
                );
            }
            assert_eq!(
                snap.rbac().divisions_permitted(du, dp),
                snap.rbac().divisions_permitted(u, p)
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
