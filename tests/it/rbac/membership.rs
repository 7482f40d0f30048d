//! Roles and permissions: membership edits.

use super::*;

#[test]
fn set_user_roles_replaces_direct_roles() {
    let mut m = world();
    for id in ["a", "b", "c"] {
        m.rbac_mut()
            .create_role(RoleSpec::new(id, id.to_uppercase()))
            .unwrap();
    }
    grant(&mut m, "ada", "a", Some("emea"));
    let auth = m.rbac_mut().set_user_roles("ada", &["b", "c"]).unwrap();
    assert_eq!(auth.roles, ["b", "c"]);
    assert!(auth.grants.iter().all(|g| g.division_id == "home"));
    refused(
        m.rbac_mut().set_user_roles("ada", &["b", "ghost"]),
        "[1]",
        RbacErrorKind::UnknownRole { id: "ghost".into() },
    );
    assert_eq!(
        m.rbac().user_authorization("ada").unwrap().roles,
        ["b", "c"]
    );
    refused(
        m.rbac_mut().set_user_roles("ghost", &["b"]),
        "userId",
        RbacErrorKind::Org(OrgErrorKind::UnknownUser { id: "ghost".into() }),
    );
}

#[test]
fn remove_all_roles_keeps_base_and_group_roles() {
    let mut m = with_templates();
    m.rbac_mut().restore_default_roles(false).unwrap();
    m.rbac_mut()
        .create_role(RoleSpec::new("g-role", "Group role"))
        .unwrap();
    m.rbac_mut()
        .create_role(RoleSpec::new("own", "Own"))
        .unwrap();
    m.rbac_mut().add_group("g", "G").unwrap();
    m.rbac_mut().add_group_members("g", &["ada"]).unwrap();
    m.rbac_mut()
        .grant_role(Subject::Group("g"), "g-role", None)
        .unwrap();
    grant(&mut m, "ada", "own", Some("*"));
    let auth = m.rbac_mut().remove_user_roles("ada").unwrap();
    assert_eq!(auth.roles, ["emp", "g-role"]);
    let sources: Vec<GrantSource> = auth.grants.iter().map(|g| g.source.clone()).collect();
    assert_eq!(sources, [GrantSource::Base, GrantSource::Group("g".into())]);
}

#[test]
fn add_and_remove_users_of_a_role_return_the_resulting_state() {
    let mut m = world();
    m.rbac_mut().create_role(RoleSpec::new("r", "R")).unwrap();
    assert_eq!(
        m.rbac_mut().add_role_users("r", &["cy", "ada"]).unwrap(),
        ["ada", "cy"]
    );
    assert_eq!(
        m.rbac_mut().add_role_users("r", &["bob", "ada"]).unwrap(),
        ["ada", "bob", "cy"]
    );
    assert_eq!(
        m.rbac_mut()
            .remove_role_users("r", &["ada", "dee"])
            .unwrap(),
        ["bob", "cy"]
    );
    refused(
        m.rbac_mut().add_role_users("r", &["ghost"]),
        "[0]",
        RbacErrorKind::Org(OrgErrorKind::UnknownUser { id: "ghost".into() }),
    );
    refused(
        m.rbac_mut().add_role_users("ghost", &["ada"]),
        "roleId",
        RbacErrorKind::UnknownRole { id: "ghost".into() },
    );
    assert_eq!(m.rbac().role_users("r").unwrap(), ["bob", "cy"]);
}

#[test]
fn grant_and_revoke_are_idempotent_and_exact() {
    let mut m = world();
    m.rbac_mut().create_role(RoleSpec::new("r", "R")).unwrap();
    grant(&mut m, "ada", "r", Some("emea"));
    grant(&mut m, "ada", "r", Some("emea"));
    assert_eq!(
        m.rbac().subject_grants(Subject::User("ada")).unwrap().len(),
        1
    );
    assert!(
        !m.rbac_mut()
            .revoke_role(Subject::User("ada"), "r", Some("apac"))
            .unwrap()
    );
    assert!(
        m.rbac_mut()
            .revoke_role(Subject::User("ada"), "r", Some("emea"))
            .unwrap()
    );
    assert!(
        !m.rbac_mut()
            .revoke_role(Subject::User("ada"), "r", Some("emea"))
            .unwrap()
    );
    refused(
        m.rbac_mut().revoke_role(Subject::User("ghost"), "r", None),
        "userId",
        RbacErrorKind::Org(OrgErrorKind::UnknownUser { id: "ghost".into() }),
    );
}

#[test]
fn removing_a_user_drops_their_grants_memberships_and_bindings() {
    let mut m = world();
    m.rbac_mut()
        .create_role(role("r", &[policy("routing", "skill", &["view"])]))
        .unwrap();
    m.rbac_mut().add_group("g", "G").unwrap();
    m.rbac_mut()
        .add_group_members("g", &["ada", "bob"])
        .unwrap();
    grant(&mut m, "ada", "r", None);
    m.rbac_mut()
        .add_action(ActionSpec::new("access_goals", "A"))
        .unwrap();
    m.rbac_mut()
        .create_global_permission(GlobalPermissionSpec::new(
            "p",
            "access_goals",
            ["ada", "bob"],
        ))
        .unwrap();
    let old = m.compile().user_id("ada").unwrap();
    m.remove_user("ada").unwrap();
    let snap = m.compile();
    assert!(!snap.rbac().has_permission(old, "routing:skill:view"));
    assert!(!snap.rbac().has_action(old, "access_goals"));
    assert_eq!(m.rbac().group_members("g").unwrap(), ["bob"]);
    assert_eq!(
        m.rbac().global_permission("p").unwrap().principals,
        [Principal::user("bob")]
    );
    // Back under the same id: nothing comes back.
    m.add_user("ada", None).unwrap();
    assert!(
        m.rbac()
            .subject_grants(Subject::User("ada"))
            .unwrap()
            .is_empty()
    );
    assert!(
        !m.compile()
            .rbac()
            .has_permission("ada", "routing:skill:view")
    );
}
