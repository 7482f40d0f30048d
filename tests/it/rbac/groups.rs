//! Roles and permissions: groups.

use super::*;

#[test]
fn group_members_inherit_group_grants() {
    let mut m = world();
    m.rbac_mut()
        .create_role(role("r", &[policy("routing", "queue", &["edit"])]))
        .unwrap();
    m.rbac_mut().add_group("g", "Support").unwrap();
    m.rbac_mut()
        .add_group_members("g", &["ada", "bob"])
        .unwrap();
    m.rbac_mut()
        .grant_role(Subject::Group("g"), "r", Some("emea"))
        .unwrap();
    let snap = m.compile();
    assert!(
        snap.rbac()
            .has_permission_on("ada", "routing:queue:edit", "emea", &[])
    );
    assert!(
        snap.rbac()
            .has_permission_on("bob", "routing:queue:edit", "emea", &[])
    );
    assert!(
        !snap
            .rbac()
            .has_permission_on("cy", "routing:queue:edit", "emea", &[])
    );
    assert!(
        !snap
            .rbac()
            .has_permission_on("ada", "routing:queue:edit", "home", &[])
    );
    // Joining later inherits too.
    m.rbac_mut().add_group_members("g", &["cy"]).unwrap();
    assert!(
        m.compile()
            .rbac()
            .has_permission_on("cy", "routing:queue:edit", "emea", &[])
    );
    let auth = m.rbac().user_authorization("cy").unwrap();
    assert_eq!(auth.grants[0].source, GrantSource::Group("g".into()));
}

#[test]
fn leaving_a_group_drops_its_grants() {
    let mut m = world();
    m.rbac_mut()
        .create_role(role("r", &[policy("routing", "skill", &["view"])]))
        .unwrap();
    m.rbac_mut().add_group("g", "Support").unwrap();
    m.rbac_mut().add_group_members("g", &["ada"]).unwrap();
    m.rbac_mut()
        .grant_role(Subject::Group("g"), "r", None)
        .unwrap();
    assert!(
        m.compile()
            .rbac()
            .has_permission("ada", "routing:skill:view")
    );
    assert!(
        m.rbac_mut()
            .remove_group_members("g", &["ada"])
            .unwrap()
            .is_empty()
    );
    assert!(
        !m.compile()
            .rbac()
            .has_permission("ada", "routing:skill:view")
    );
}

#[test]
fn deleting_a_group_drops_its_grants() {
    let mut m = world();
    m.rbac_mut()
        .create_role(role("r", &[policy("routing", "skill", &["view"])]))
        .unwrap();
    m.rbac_mut().add_group("g", "Support").unwrap();
    m.rbac_mut().add_group_members("g", &["ada"]).unwrap();
    m.rbac_mut()
        .grant_role(Subject::Group("g"), "r", None)
        .unwrap();
    m.rbac_mut().delete_group("g").unwrap();
    assert!(
        !m.compile()
            .rbac()
            .has_permission("ada", "routing:skill:view")
    );
    assert!(m.rbac().groups_of("ada").unwrap().is_empty());
    // A new group with the same id starts empty.
    m.rbac_mut().add_group("g", "Support").unwrap();
    assert!(m.rbac().group_members("g").unwrap().is_empty());
    assert!(
        m.rbac()
            .subject_grants(Subject::Group("g"))
            .unwrap()
            .is_empty()
    );
}

#[test]
fn group_ids_names_and_members_are_validated() {
    let mut m = world();
    m.rbac_mut().add_group("g", "Support").unwrap();
    refused(
        m.rbac_mut().add_group("", "X"),
        "id",
        RbacErrorKind::Input(InputErrorKind::EmptyId),
    );
    let e = m.rbac_mut().add_group("h", "support").unwrap_err();
    assert!(matches!(
        err_at(e, "name"),
        RbacErrorKind::DuplicateName { .. }
    ));
    refused(
        m.rbac_mut().add_group("h", " "),
        "name",
        RbacErrorKind::Input(InputErrorKind::Required),
    );
    refused(
        m.rbac_mut().add_group_members("g", &["ada", "ghost"]),
        "[1]",
        RbacErrorKind::Org(OrgErrorKind::UnknownUser { id: "ghost".into() }),
    );
    assert!(m.rbac().group_members("g").unwrap().is_empty()); // nothing half-applied
    refused(
        m.rbac_mut().add_group_members("nope", &["ada"]),
        "groupId",
        RbacErrorKind::UnknownGroup { id: "nope".into() },
    );
    refused(
        m.rbac_mut().grant_role(Subject::Group("nope"), "r", None),
        "groupId",
        RbacErrorKind::UnknownGroup { id: "nope".into() },
    );
}
