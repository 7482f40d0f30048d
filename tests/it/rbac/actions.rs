//! Roles and permissions: actions bound to principals (Quantive).

use super::*;

fn with_actions() -> Model {
    let mut m = world();
    m.rbac_mut()
        .add_actions(vec![
            ActionSpec::new("access_goals", "Access goals"),
            ActionSpec::new("manage_goals", "Manage goals").requiring("access_goals"),
            ActionSpec::new("export_data", "Export data").with_description("CSV"),
        ])
        .unwrap();
    m.rbac_mut()
        .create_role(RoleSpec::new("editors", "Editors"))
        .unwrap();
    m.rbac_mut()
        .create_role(RoleSpec::new("viewers", "Viewers"))
        .unwrap();
    m
}

#[test]
fn manage_implies_access() {
    let mut m = with_actions();
    m.rbac_mut()
        .create_global_permission(GlobalPermissionSpec::new(
            "p",
            "manage_goals",
            ["editors", "bob"],
        ))
        .unwrap();
    grant(&mut m, "ada", "editors", None);
    let snap = m.compile();
    assert_eq!(
        snap.rbac().role_actions("editors"),
        ["access_goals", "manage_goals"]
    );
    assert!(snap.rbac().has_action("ada", "access_goals"));
    assert!(snap.rbac().has_action("bob", "access_goals"));
    assert!(!snap.rbac().has_action("cy", "access_goals"));
    assert!(!snap.rbac().has_action("ada", "export_data"));
}

#[test]
fn revoking_access_removes_manage() {
    let mut m = with_actions();
    m.rbac_mut()
        .create_global_permission(GlobalPermissionSpec::new(
            "a",
            "access_goals",
            ["bob", "cy"],
        ))
        .unwrap();
    m.rbac_mut()
        .create_global_permission(GlobalPermissionSpec::new(
            "m",
            "manage_goals",
            ["bob", "cy", "editors"],
        ))
        .unwrap();
    // Through revoke_action.
    assert_eq!(
        m.rbac_mut().revoke_action("bob", "access_goals").unwrap(),
        ["access_goals", "manage_goals"]
    );
    // Through an update of the access object.
    m.rbac_mut()
        .update_global_permission(GlobalPermissionSpec::new(
            "a",
            "access_goals",
            Vec::<String>::new(),
        ))
        .unwrap();
    assert_eq!(
        m.rbac().global_permission("m").unwrap().principals,
        [Principal::role("editors")]
    );
    let snap = m.compile();
    for u in ["bob", "cy"] {
        assert!(!snap.rbac().has_action(u, "access_goals"), "{u}");
        assert!(!snap.rbac().has_action(u, "manage_goals"), "{u}");
    }
    // Revoking access from a principal bound only to manage removes manage too.
    assert_eq!(
        m.rbac_mut()
            .revoke_action("editors", "access_goals")
            .unwrap(),
        ["manage_goals"]
    );
    assert!(m.compile().rbac().role_actions("editors").is_empty());
    // Deleting the last access binding cascades as well.
    m.rbac_mut()
        .create_global_permission(GlobalPermissionSpec::new("a2", "access_goals", ["dee"]))
        .unwrap();
    m.rbac_mut()
        .create_global_permission(GlobalPermissionSpec::new("m2", "manage_goals", ["dee"]))
        .unwrap();
    m.rbac_mut().delete_global_permission("a2").unwrap();
    assert!(
        m.rbac()
            .global_permission("m2")
            .unwrap()
            .principals
            .is_empty()
    );
}

#[test]
fn global_permission_crud_by_id() {
    let mut m = with_actions();
    let p = GlobalPermissionSpec::new("p", "export_data", ["viewers", "ada", "ada"]);
    m.rbac_mut().create_global_permission(p).unwrap();
    assert_eq!(
        m.rbac().global_permission("p").unwrap().principals,
        [Principal::user("ada"), Principal::role("viewers")]
    );
    refused(
        m.rbac_mut()
            .create_global_permission(GlobalPermissionSpec::new("p", "export_data", ["ada"])),
        "id",
        RbacErrorKind::Input(InputErrorKind::DuplicateId { id: "p".into() }),
    );
    m.rbac_mut()
        .update_global_permission(GlobalPermissionSpec::new("p", "access_goals", ["bob"]))
        .unwrap();
    assert_eq!(
        m.rbac().global_permission("p").unwrap().action,
        "access_goals"
    );
    assert_eq!(
        m.rbac().global_permissions(),
        [GlobalPermissionSpec {
            id: "p".into(),
            action: "access_goals".into(),
            principals: vec![Principal::user("bob")],
        }]
    );
    refused(
        m.rbac_mut()
            .update_global_permission(GlobalPermissionSpec::new("q", "access_goals", ["bob"])),
        "id",
        RbacErrorKind::UnknownGlobalPermission { id: "q".into() },
    );
    refused(
        m.rbac_mut()
            .create_global_permission(GlobalPermissionSpec::new("q", "fly", ["bob"])),
        "action",
        RbacErrorKind::UnknownAction { id: "fly".into() },
    );
    refused(
        m.rbac_mut()
            .create_global_permission(GlobalPermissionSpec::new("", "fly", ["bob"])),
        "id",
        RbacErrorKind::Input(InputErrorKind::EmptyId),
    );
    m.rbac_mut().delete_global_permission("p").unwrap();
    assert!(m.rbac().global_permission("p").is_none());
    refused(
        m.rbac_mut().delete_global_permission("p"),
        "id",
        RbacErrorKind::UnknownGlobalPermission { id: "p".into() },
    );
}

#[test]
fn principals_must_name_exactly_one_user_or_role() {
    let mut m = with_actions();
    refused(
        m.rbac_mut()
            .create_global_permission(GlobalPermissionSpec::new(
                "p",
                "export_data",
                ["ada", "ghost"],
            )),
        "principals[1]",
        RbacErrorKind::UnknownPrincipal { id: "ghost".into() },
    );
    m.rbac_mut()
        .create_role(RoleSpec::new("ada", "Named like a user"))
        .unwrap();
    refused(
        m.rbac_mut()
            .create_global_permission(GlobalPermissionSpec::new("p", "export_data", ["ada"])),
        "principals[0]",
        RbacErrorKind::AmbiguousPrincipal { id: "ada".into() },
    );
    refused(
        m.rbac_mut().revoke_action("ghost", "export_data"),
        "principal",
        RbacErrorKind::UnknownPrincipal { id: "ghost".into() },
    );
    refused(
        m.rbac_mut().revoke_action("bob", "fly"),
        "action",
        RbacErrorKind::UnknownAction { id: "fly".into() },
    );
}

#[test]
fn effective_permissions_of_a_role_and_of_a_user() {
    let mut m = with_actions();
    base_template(&mut m, &[]);
    m.rbac_mut().restore_default_roles(false).unwrap();
    m.rbac_mut().add_group("g", "G").unwrap();
    m.rbac_mut().add_group_members("g", &["ada"]).unwrap();
    m.rbac_mut()
        .grant_role(Subject::Group("g"), "editors", Some("emea"))
        .unwrap();
    m.rbac_mut()
        .create_global_permission(GlobalPermissionSpec::new("p1", "manage_goals", ["editors"]))
        .unwrap();
    m.rbac_mut()
        .create_global_permission(GlobalPermissionSpec::new("p2", "export_data", ["ada"]))
        .unwrap();
    m.rbac_mut()
        .create_global_permission(GlobalPermissionSpec::new("p3", "access_goals", ["emp"]))
        .unwrap();
    let snap = m.compile();
    assert_eq!(
        snap.rbac().effective_actions("editors"),
        ["access_goals", "manage_goals"]
    );
    assert_eq!(
        snap.rbac().effective_actions("ada"),
        ["access_goals", "export_data", "manage_goals"]
    );
    assert_eq!(snap.rbac().effective_actions("bob"), ["access_goals"]); // base role
    assert!(snap.rbac().effective_actions("viewers").is_empty());
    assert!(snap.rbac().effective_actions("ghost").is_empty());
    assert_eq!(
        snap.rbac().user_actions("ada"),
        snap.rbac().effective_actions("ada")
    );
}

#[test]
fn action_catalog_rejects_bad_entries() {
    let mut m = with_actions();
    refused(
        m.rbac_mut()
            .add_action(ActionSpec::new("x", "X").requiring("nope")),
        "requires",
        RbacErrorKind::UnknownAction { id: "nope".into() },
    );
    refused(
        m.rbac_mut()
            .add_action(ActionSpec::new("export_data", "again")),
        "name",
        RbacErrorKind::Input(InputErrorKind::DuplicateId {
            id: "export_data".into(),
        }),
    );
    refused(
        m.rbac_mut().add_action(ActionSpec::new("", "X")),
        "name",
        RbacErrorKind::Input(InputErrorKind::EmptyId),
    );
    let e = m
        .rbac_mut()
        .add_action(ActionSpec::new("self", "S").requiring("self"))
        .unwrap_err();
    assert_eq!(
        (e.path(), e.kind()),
        (
            "", // a cycle names its members, not one field
            &RbacErrorKind::ActionCycle {
                actions: vec!["self".into()]
            }
        )
    );
    let e = m
        .rbac_mut()
        .add_actions(vec![
            ActionSpec::new("a", "A").requiring("b"),
            ActionSpec::new("b", "B").requiring("c"),
            ActionSpec::new("c", "C").requiring("a"),
        ])
        .unwrap_err();
    assert_eq!(
        e.kind(),
        &RbacErrorKind::ActionCycle {
            actions: vec!["a".into(), "b".into(), "c".into()]
        }
    );
    assert!(m.rbac().action("a").is_none());
    let names: Vec<&str> = m.rbac().actions().iter().map(|a| a.name.as_str()).collect();
    assert_eq!(names, ["access_goals", "export_data", "manage_goals"]);
}

#[test]
fn view_only_role_cannot_be_combined_with_another_role() {
    let mut m = with_actions();
    base_template(&mut m, &[]);
    m.rbac_mut().restore_default_roles(false).unwrap();
    m.rbac_mut()
        .create_role(RoleSpec::new("vo", "View only").view_only())
        .unwrap();
    grant(&mut m, "ada", "vo", None); // the base role does not count
    grant(&mut m, "ada", "vo", Some("emea")); // the same role again is fine
    // The conflict's user, view-only role and other role.
    let conflict = |e: orgperm::RbacError| match e.kind() {
        RbacErrorKind::ViewOnlyConflict {
            user,
            view_only,
            other,
        } => (user.clone(), view_only.clone(), other.clone()),
        other => panic!("{other:?}"),
    };
    let want = |u: &str, v: &str, o: &str| (u.to_owned(), v.to_owned(), o.to_owned());
    // A direct grant.
    assert_eq!(
        conflict(
            m.rbac_mut()
                .grant_role(Subject::User("ada"), "editors", None)
                .unwrap_err()
        ),
        want("ada", "vo", "editors")
    );
    // Replacing the roles, adding users to a role.
    assert_eq!(
        conflict(
            m.rbac_mut()
                .set_user_roles("bob", &["vo", "editors"])
                .unwrap_err()
        ),
        want("bob", "vo", "editors")
    );
    grant(&mut m, "bob", "editors", None);
    assert_eq!(
        conflict(
            m.rbac_mut()
                .add_role_users("vo", &["cy", "bob"])
                .unwrap_err()
        ),
        want("bob", "vo", "editors")
    );
    assert!(m.rbac().role_users("vo").unwrap() == ["ada"]); // cy not added either
    // Through a group: joining a granting group, or the group getting a grant.
    m.rbac_mut().add_group("g", "G").unwrap();
    m.rbac_mut()
        .grant_role(Subject::Group("g"), "editors", None)
        .unwrap();
    assert_eq!(
        conflict(m.rbac_mut().add_group_members("g", &["ada"]).unwrap_err()),
        want("ada", "vo", "editors")
    );
    m.rbac_mut().add_group("h", "H").unwrap();
    m.rbac_mut().add_group_members("h", &["ada"]).unwrap();
    assert_eq!(
        conflict(
            m.rbac_mut()
                .grant_role(Subject::Group("h"), "viewers", None)
                .unwrap_err()
        ),
        want("ada", "vo", "viewers")
    );
    // Making a role view-only while a holder has another role (the base role aside).
    grant(&mut m, "bob", "viewers", Some("*"));
    refused(
        m.rbac_mut()
            .update_role(RoleSpec::new("editors", "Editors").view_only()),
        "viewOnly",
        RbacErrorKind::ViewOnlyConflict {
            user: "bob".into(),
            view_only: "editors".into(),
            other: "viewers".into(),
        },
    );
    // Replacing with the view-only role alone is fine.
    m.rbac_mut().set_user_roles("bob", &["vo"]).unwrap();
    let snap = m.compile();
    assert!(snap.rbac().is_view_only("bob"));
    assert!(!snap.rbac().is_view_only("cy"));
    assert_eq!(snap.rbac().user_roles("bob"), ["emp", "vo"]);
}
