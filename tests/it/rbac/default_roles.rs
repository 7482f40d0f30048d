//! Roles and permissions: default roles.

use super::*;

#[test]
fn restore_without_force_adds_missing_default_roles_only() {
    let mut m = with_templates();
    assert_eq!(
        m.rbac_mut().restore_default_roles(false).unwrap(),
        ["emp", "sup"]
    );
    let mut sup = m.rbac().role("sup").unwrap().clone();
    sup.description = "edited".into();
    m.rbac_mut().update_role(sup).unwrap();
    m.rbac_mut().delete_role("sup").unwrap(); // not granted: allowed
    assert!(m.rbac().role("sup").is_none());
    assert_eq!(m.rbac_mut().restore_default_roles(false).unwrap(), ["sup"]);
    assert_eq!(m.rbac().role("sup").unwrap().description, "v1");
    let mut sup = m.rbac().role("sup").unwrap().clone();
    sup.description = "edited".into();
    m.rbac_mut().update_role(sup).unwrap();
    assert!(
        m.rbac_mut()
            .restore_default_roles(false)
            .unwrap()
            .is_empty()
    );
    assert_eq!(m.rbac().role("sup").unwrap().description, "edited");
}

#[test]
fn restore_with_force_resets_default_roles_and_leaves_custom_roles() {
    let mut m = with_templates();
    m.rbac_mut().restore_default_roles(false).unwrap();
    m.rbac_mut()
        .create_role(RoleSpec::new("mine", "Mine").with_description("custom"))
        .unwrap();
    let mut sup = m.rbac().role("sup").unwrap().clone();
    sup.description = "edited".into();
    sup.permission_policies.clear();
    m.rbac_mut().update_role(sup).unwrap();
    grant(&mut m, "ada", "sup", None);
    assert_eq!(
        m.rbac_mut().restore_default_roles(true).unwrap(),
        ["emp", "sup"]
    );
    let sup = m.rbac().role("sup").unwrap();
    assert_eq!(sup.description, "v1");
    assert_eq!(
        sup.permission_policies,
        [policy("routing", "queue", &["*"])],
        "reset to the template"
    );
    assert_eq!(m.rbac().role("mine").unwrap().description, "custom");
    // Grants survive the reset.
    assert!(
        m.compile()
            .rbac()
            .has_permission("ada", "routing:queue:edit")
    );
}

#[test]
fn restore_specified_resets_only_the_named_roles() {
    let mut m = with_templates();
    m.rbac_mut().restore_default_roles(false).unwrap();
    for id in ["sup", "emp"] {
        let mut r = m.rbac().role(id).unwrap().clone();
        r.description = "edited".into();
        m.rbac_mut().update_role(r).unwrap();
    }
    assert_eq!(
        m.rbac_mut()
            .restore_specified_default_roles(&["sup"])
            .unwrap(),
        ["sup"]
    );
    assert_eq!(m.rbac().role("sup").unwrap().description, "v1");
    assert_eq!(m.rbac().role("emp").unwrap().description, "edited");
}

#[test]
fn restore_specified_rejects_custom_and_unknown_roles() {
    let mut m = with_templates();
    m.rbac_mut().restore_default_roles(false).unwrap();
    m.rbac_mut()
        .create_role(RoleSpec::new("mine", "Mine"))
        .unwrap();
    refused(
        m.rbac_mut()
            .restore_specified_default_roles(&["sup", "mine"]),
        "[1]",
        RbacErrorKind::NotADefaultRole { id: "mine".into() },
    );
    refused(
        m.rbac_mut().restore_specified_default_roles(&["ghost"]),
        "[0]",
        RbacErrorKind::UnknownRole { id: "ghost".into() },
    );
}

#[test]
fn restore_refuses_a_taken_id_or_name() {
    let mut m = with_templates();
    m.rbac_mut()
        .create_role(RoleSpec::new("sup", "Someone else"))
        .unwrap();
    refused(
        m.rbac_mut().restore_default_roles(false),
        "defaultRoles[supervisor].id",
        RbacErrorKind::Input(InputErrorKind::DuplicateId { id: "sup".into() }),
    );
    assert!(m.rbac().role("emp").is_none()); // nothing half-applied
    m.rbac_mut().delete_role("sup").unwrap();
    m.rbac_mut()
        .create_role(RoleSpec::new("other", "supervisor"))
        .unwrap();
    let e = m.rbac_mut().restore_default_roles(false).unwrap_err();
    assert!(matches!(
        err_at(e, "defaultRoles[supervisor].name"),
        RbacErrorKind::DuplicateName { .. }
    ));
}

#[test]
fn default_role_name_cannot_change() {
    let mut m = with_templates();
    m.rbac_mut().restore_default_roles(false).unwrap();
    let mut sup = m.rbac().role("sup").unwrap().clone();
    sup.name = "Boss".into();
    refused(
        m.rbac_mut().update_role(sup),
        "name",
        RbacErrorKind::DefaultRoleRenamed { id: "sup".into() },
    );
    // Creating a role from a template also keeps the template's name.
    m.rbac_mut().delete_role("sup").unwrap();
    let mut body = RoleSpec::new("sup2", "Boss");
    body.default_role_id = Some("supervisor".into());
    let e = m.rbac_mut().create_role(body.clone()).unwrap_err();
    assert!(matches!(
        err_at(e, "name"),
        RbacErrorKind::DefaultRoleRenamed { .. }
    ));
    body.name = "Supervisor".into();
    m.rbac_mut().create_role(body).unwrap();
    let mut again = RoleSpec::new("sup3", "Supervisor 3");
    again.default_role_id = Some("supervisor".into());
    let e = m.rbac_mut().create_role(again.clone()).unwrap_err();
    assert!(matches!(
        err_at(e, "defaultRoleId"),
        RbacErrorKind::Input(InputErrorKind::DuplicateId { .. })
    ));
    again.default_role_id = Some("nope".into());
    refused(
        m.rbac_mut().create_role(again),
        "defaultRoleId",
        RbacErrorKind::UnknownDefaultRole { id: "nope".into() },
    );
}

#[test]
fn default_role_id_cannot_change() {
    let mut m = with_templates();
    m.rbac_mut().restore_default_roles(false).unwrap();
    m.rbac_mut()
        .create_role(RoleSpec::new("mine", "Mine"))
        .unwrap();
    let mut sup = m.rbac().role("sup").unwrap().clone();
    sup.default_role_id = None;
    refused(
        m.rbac_mut().update_role(sup),
        "defaultRoleId",
        RbacErrorKind::DefaultRoleIdChanged { id: "sup".into() },
    );
    let mut mine = m.rbac().role("mine").unwrap().clone();
    mine.default_role_id = Some("supervisor".into());
    refused(
        m.rbac_mut().update_role(mine),
        "defaultRoleId",
        RbacErrorKind::DefaultRoleIdChanged { id: "mine".into() },
    );
    assert_eq!(m.rbac().role("mine").unwrap().default_role_id, None);
}

#[test]
fn base_role_is_held_by_every_user() {
    let mut m = with_templates();
    m.rbac_mut().restore_default_roles(false).unwrap();
    m.add_user("eve", None).unwrap(); // added after the restore
    let snap = m.compile();
    for u in ["ada", "bob", "cy", "dee", "eve"] {
        assert!(snap.rbac().has_permission(u, "employee"), "{u}");
        assert!(snap.rbac().has_permission(u, "directory:user:view"), "{u}");
        assert_eq!(snap.rbac().user_roles(u), ["emp"]);
    }
    assert_eq!(m.rbac().base_role(), Some("emp"));
    assert_eq!(m.rbac().role_summary("emp").unwrap().user_count, 5);
    assert!(m.rbac().role_summary("emp").unwrap().base);
    assert_eq!(
        m.rbac().role_users("emp").unwrap(),
        ["ada", "bob", "cy", "dee", "eve"]
    );
}

#[test]
fn base_role_cannot_be_removed() {
    let mut m = with_templates();
    m.rbac_mut().restore_default_roles(false).unwrap();
    refused(
        m.rbac_mut().remove_role_users("emp", &["ada"]),
        "roleId",
        RbacErrorKind::BaseRoleNotRemovable { id: "emp".into() },
    );
    refused(
        m.rbac_mut().delete_role("emp"),
        "id",
        RbacErrorKind::BaseRoleNotRemovable { id: "emp".into() },
    );
    assert_eq!(
        m.rbac_mut().remove_user_roles("ada").unwrap().roles,
        ["emp"]
    );
    assert_eq!(
        m.rbac_mut().set_user_roles("ada", &["sup"]).unwrap().roles,
        ["emp", "sup"]
    );
    assert_eq!(
        m.rbac_mut().set_user_roles("ada", &[]).unwrap().roles,
        ["emp"]
    );
    assert!(m.compile().rbac().has_permission("ada", "employee"));
}

#[test]
fn only_one_template_is_the_base_role() {
    let mut m = with_templates();
    let e = m
        .rbac_mut()
        .set_default_role_template(
            DefaultRoleTemplate::new("other", RoleSpec::new("o", "O")).base(),
        )
        .unwrap_err();
    assert!(matches!(
        err_at(e, "base"),
        RbacErrorKind::Input(InputErrorKind::Conflict { .. })
    ));
    let e = m
        .rbac_mut()
        .set_default_role_template(DefaultRoleTemplate::new(
            "employee",
            RoleSpec::new("emp", "Employee"),
        ))
        .unwrap_err();
    assert!(matches!(
        err_at(e, "base"),
        RbacErrorKind::Input(InputErrorKind::Conflict { .. })
    ));
}

#[test]
fn template_body_is_validated() {
    let mut m = world();
    let bad = RoleSpec::new("r", "R").with_policy(policy("nope", "*", &["*"]));
    let e = m
        .rbac_mut()
        .set_default_role_template(DefaultRoleTemplate::new("t", bad))
        .unwrap_err();
    assert!(matches!(
        err_at(e, "permissionPolicies[0].domain"),
        RbacErrorKind::UnknownDomain { .. }
    ));
    refused(
        m.rbac_mut()
            .set_default_role_template(DefaultRoleTemplate::new("", RoleSpec::new("r", "R"))),
        "defaultRoleId",
        RbacErrorKind::Input(InputErrorKind::Required),
    );
    let mut t = DefaultRoleTemplate::new("t", RoleSpec::new("r", "R"));
    t.role.default_role_id = Some("other".into());
    let e = m.rbac_mut().set_default_role_template(t).unwrap_err();
    assert!(matches!(
        err_at(e, "defaultRoleId"),
        RbacErrorKind::Input(InputErrorKind::Conflict { .. })
    ));
    // A template may hold permissions of disabled products.
    let wfm = RoleSpec::new("w", "WFM").with_policy(policy("wfm", "schedule", &["view"]));
    m.rbac_mut()
        .set_default_role_template(DefaultRoleTemplate::new("wfm", wfm))
        .unwrap();
}

#[test]
fn needs_update_when_template_has_atoms_the_role_lacks() {
    let mut m = with_templates();
    m.rbac_mut().restore_default_roles(false).unwrap();
    assert!(!m.rbac().needs_update("sup").unwrap());
    // Extra atoms in the role do not matter.
    let mut sup = m.rbac().role("sup").unwrap().clone();
    sup.permission_policies
        .push(policy("routing", "skill", &["view"]));
    m.rbac_mut().update_role(sup).unwrap();
    assert!(!m.rbac().needs_update("sup").unwrap());
    // A new atom the template's wildcard covers, and the role's too: still up to date.
    m.rbac_mut()
        .add_permission(PermissionSpec::new("routing:queue:delete", "Delete"))
        .unwrap();
    assert!(!m.rbac().needs_update("sup").unwrap());
    // The vendor ships a template with more: the role needs an update.
    let newer = RoleSpec::new("sup", "Supervisor")
        .with_policy(policy("routing", "queue", &["*"]))
        .with_policy(policy("directory", "user", &["view"]));
    m.rbac_mut()
        .set_default_role_template(DefaultRoleTemplate::new("supervisor", newer))
        .unwrap();
    assert!(m.rbac().needs_update("sup").unwrap());
    assert!(m.rbac().role_summary("sup").unwrap().needs_update);
    m.rbac_mut()
        .restore_specified_default_roles(&["sup"])
        .unwrap();
    assert!(!m.rbac().needs_update("sup").unwrap());
    m.rbac_mut()
        .create_role(RoleSpec::new("mine", "Mine"))
        .unwrap();
    assert!(!m.rbac().needs_update("mine").unwrap());
}

#[test]
fn compare_saved_role_with_default_role() {
    let mut m = with_templates();
    m.rbac_mut()
        .create_role(role(
            "mine",
            &[
                policy("routing", "queue", &["view"]),
                policy("routing", "skill", &["view"]),
            ],
        ))
        .unwrap();
    let diff = m.rbac().compare_with_default("mine", "supervisor").unwrap();
    assert_eq!(diff.added, ["routing:skill:view"]);
    assert_eq!(diff.removed, ["routing:queue:edit"]);
    assert_eq!(diff.same, ["routing:queue:view"]);
    refused(
        m.rbac().compare_with_default("ghost", "supervisor"),
        "leftRoleId",
        RbacErrorKind::UnknownRole { id: "ghost".into() },
    );
    refused(
        m.rbac().compare_with_default("mine", "ghost"),
        "rightRoleId",
        RbacErrorKind::UnknownDefaultRole { id: "ghost".into() },
    );
}

#[test]
fn compare_unsaved_role_changes_nothing() {
    let m = with_templates();
    let before = m.to_json();
    let body = role("draft", &[policy("routing", "*", &["*"])]);
    let diff = m
        .rbac()
        .compare_unsaved_with_default(&body, "supervisor")
        .unwrap();
    assert_eq!(diff.added, ["routing:skill:view"]);
    assert!(diff.removed.is_empty());
    assert_eq!(diff.same, ["routing:queue:edit", "routing:queue:view"]);
    assert_eq!(m.to_json(), before);
    assert!(m.rbac().role("draft").is_none());
}

#[test]
fn compare_expands_wildcards_at_atom_level() {
    let mut m = with_templates();
    m.rbac_mut()
        .create_role(role(
            "mine",
            &[policy("routing", "queue", &["view", "edit"])],
        ))
        .unwrap();
    assert_eq!(
        m.rbac()
            .compare_with_default("mine", "supervisor")
            .unwrap()
            .same,
        ["routing:queue:edit", "routing:queue:view"]
    );
    m.rbac_mut()
        .add_permission(PermissionSpec::new("routing:queue:delete", "Delete"))
        .unwrap();
    let diff = m.rbac().compare_with_default("mine", "supervisor").unwrap();
    assert_eq!(diff.removed, ["routing:queue:delete"]);
}
