//! Roles and permissions: membership edits.

use super::*;

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
    refused(
        m.set_user_roles("ada", &["b", "ghost"]),
        "[1]",
        ErrorKind::UnknownRole { id: "ghost".into() },
    );
    assert_eq!(m.user_authorization("ada").unwrap().roles, ["b", "c"]);
    refused(
        m.set_user_roles("ghost", &["b"]),
        "userId",
        ErrorKind::UnknownUser { id: "ghost".into() },
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
    refused(
        m.add_role_users("r", &["ghost"]),
        "[0]",
        ErrorKind::UnknownUser { id: "ghost".into() },
    );
    refused(
        m.add_role_users("ghost", &["ada"]),
        "roleId",
        ErrorKind::UnknownRole { id: "ghost".into() },
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
    refused(
        m.revoke_role(Subject::User("ghost"), "r", None),
        "userId",
        ErrorKind::UnknownUser { id: "ghost".into() },
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
