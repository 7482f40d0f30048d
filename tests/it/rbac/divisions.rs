//! Roles and permissions: divisions.

use super::*;

#[test]
fn division_aware_permission_needs_grant_in_object_division() {
    let mut m = world();
    m.rbac_mut()
        .create_role(role("r", &[policy("routing", "queue", &["edit"])]))
        .unwrap();
    grant(&mut m, "ada", "r", Some("emea"));
    let snap = m.compile();
    assert!(
        snap.rbac()
            .has_permission_on("ada", "routing:queue:edit", "emea", &[])
    );
    assert!(
        !snap
            .rbac()
            .has_permission_on("ada", "routing:queue:edit", "home", &[])
    );
    assert!(
        !snap
            .rbac()
            .has_permission_on("ada", "routing:queue:edit", "apac", &[])
    );
    assert!(snap.rbac().has_permission("ada", "routing:queue:edit")); // somewhere
}

#[test]
fn non_division_aware_permission_ignores_divisions() {
    let mut m = world();
    m.rbac_mut()
        .create_role(role("r", &[policy("routing", "skill", &["view"])]))
        .unwrap();
    grant(&mut m, "ada", "r", Some("emea"));
    let snap = m.compile();
    for d in ["home", "emea", "apac"] {
        assert!(
            snap.rbac()
                .has_permission_on("ada", "routing:skill:view", d, &[])
        );
    }
    assert!(
        !snap
            .rbac()
            .has_permission_on("ada", "routing:skill:view", "nowhere", &[])
    );
    assert_eq!(
        snap.rbac().divisions_permitted("ada", "routing:skill:view"),
        PermittedDivisions::All
    );
}

#[test]
fn star_division_covers_all_divisions_including_future_ones() {
    let mut m = world();
    m.rbac_mut()
        .create_role(role("r", &[policy("routing", "queue", &["edit"])]))
        .unwrap();
    grant(&mut m, "ada", "r", Some("*"));
    m.rbac_mut().add_division("latam", "LATAM").unwrap();
    let snap = m.compile();
    for d in ["home", "emea", "apac", "latam"] {
        assert!(
            snap.rbac()
                .has_permission_on("ada", "routing:queue:edit", d, &[]),
            "{d}"
        );
    }
    assert!(
        snap.rbac()
            .divisions_permitted("ada", "routing:queue:edit")
            .is_all()
    );
}

#[test]
fn grant_without_division_goes_to_home_division() {
    let mut m = world();
    m.rbac_mut()
        .create_role(role("r", &[policy("routing", "queue", &["edit"])]))
        .unwrap();
    grant(&mut m, "ada", "r", None);
    // The grant was resolved when made: moving home later does not move it.
    m.rbac_mut().set_home_division("emea").unwrap();
    grant(&mut m, "bob", "r", None);
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
            .has_permission_on("bob", "routing:queue:edit", "emea", &[])
    );
    assert_eq!(
        m.rbac().subject_grants(Subject::User("ada")).unwrap()[0].division_id,
        "home"
    );
}

#[test]
fn grant_without_division_needs_a_home_division() {
    let mut m = Model::new();
    m.add_user("ada", None).unwrap();
    m.rbac_mut().create_role(RoleSpec::new("r", "R")).unwrap();
    refused(
        m.rbac_mut().grant_role(Subject::User("ada"), "r", None),
        "divisionId",
        RbacErrorKind::NoHomeDivision,
    );
    refused(
        m.rbac_mut().set_user_roles("ada", &["r"]),
        "divisionId",
        RbacErrorKind::NoHomeDivision,
    );
    m.rbac_mut()
        .grant_role(Subject::User("ada"), "r", Some("*"))
        .unwrap();
}

#[test]
fn unknown_division_is_a_deny_and_an_error() {
    let mut m = world();
    m.rbac_mut()
        .create_role(role("r", &[policy("routing", "skill", &["view"])]))
        .unwrap();
    refused(
        m.rbac_mut()
            .grant_role(Subject::User("ada"), "r", Some("mars")),
        "divisionId",
        RbacErrorKind::UnknownDivision { id: "mars".into() },
    );
    grant(&mut m, "ada", "r", Some("*"));
    let snap = m.compile();
    assert!(
        !snap
            .rbac()
            .has_permission_on("ada", "routing:skill:view", "mars", &[])
    );
    assert!(
        snap.rbac()
            .users_with_permission("routing:skill:view", "mars")
            .is_empty()
    );
    let d = snap
        .rbac()
        .explain_permission_on("ada", "routing:skill:view", "mars", &[]);
    assert_eq!(
        d.reason,
        RbacReason::UnknownDivision {
            division: "\"mars\"".into()
        }
    );
}

#[test]
fn divisions_permitted_lists_divisions_or_all() {
    let mut m = world();
    m.rbac_mut()
        .create_role(role("r", &[policy("routing", "queue", &["edit"])]))
        .unwrap();
    grant(&mut m, "ada", "r", Some("apac"));
    grant(&mut m, "ada", "r", Some("emea"));
    let snap = m.compile();
    let emea = snap.rbac().division_id("emea").unwrap();
    let apac = snap.rbac().division_id("apac").unwrap();
    assert_eq!(
        snap.rbac().divisions_permitted("ada", "routing:queue:edit"),
        PermittedDivisions::Only(vec![emea, apac])
    );
    assert!(
        snap.rbac()
            .divisions_permitted("bob", "routing:queue:edit")
            .is_empty()
    );
    assert!(
        snap.rbac()
            .divisions_permitted("ada", "routing:queue:view")
            .is_empty()
    );
    assert!(snap.rbac().divisions_permitted("ada", "nope").is_empty());
}

#[test]
fn resources_sit_in_one_division() {
    let mut m = world();
    m.rbac_mut()
        .create_role(role("r", &[policy("routing", "queue", &["edit"])]))
        .unwrap();
    grant(&mut m, "ada", "r", Some("emea"));
    m.rbac_mut().assign_resource("queue-1", None).unwrap();
    assert_eq!(m.rbac().resource_division("queue-1"), Some("home"));
    let snap = m.compile();
    assert!(
        !snap
            .rbac()
            .has_permission_on_resource("ada", "routing:queue:edit", "queue-1", &[])
    );
    m.rbac_mut()
        .assign_resource("queue-1", Some("emea"))
        .unwrap();
    assert_eq!(m.rbac().division_resources("emea").unwrap(), ["queue-1"]);
    let snap = m.compile();
    assert!(
        snap.rbac()
            .has_permission_on_resource("ada", "routing:queue:edit", "queue-1", &[])
    );
    assert!(
        !snap
            .rbac()
            .has_permission_on_resource("ada", "routing:queue:edit", "queue-2", &[])
    );
    let e = m
        .rbac_mut()
        .assign_resource("queue-1", Some("*"))
        .unwrap_err();
    assert!(matches!(
        err_at(e, "divisionId"),
        RbacErrorKind::Input(InputErrorKind::Conflict { .. })
    ));
    refused(
        m.rbac_mut().assign_resource("", None),
        "id",
        RbacErrorKind::Input(InputErrorKind::EmptyId),
    );
    let d = snap
        .rbac()
        .explain_permission_on_resource("ada", "routing:queue:edit", "queue-1", &[]);
    assert!(d.allowed, "{d}");
    let d = snap
        .rbac()
        .explain_permission_on_resource("ada", "routing:queue:edit", "queue-2", &[]);
    assert_eq!(
        d.reason,
        RbacReason::UnknownResource {
            resource: "\"queue-2\"".into()
        }
    );
    assert!(m.rbac_mut().remove_resource("queue-1"));
    assert!(!m.compile().rbac().has_permission_on_resource(
        "ada",
        "routing:queue:edit",
        "queue-1",
        &[]
    ));
}

#[test]
fn division_in_use_cannot_be_deleted() {
    let mut m = world();
    let in_use = |m: &mut Model, d: &str| match m.rbac_mut().delete_division(d).unwrap_err().kind()
    {
        RbacErrorKind::DivisionInUse { reason, .. } => *reason,
        other => panic!("{other:?}"),
    };
    assert_eq!(in_use(&mut m, "home"), "it is the home division");
    m.rbac_mut().assign_resource("q", Some("emea")).unwrap();
    assert_eq!(in_use(&mut m, "emea"), "objects are still assigned to it");
    m.rbac_mut().create_role(RoleSpec::new("r", "R")).unwrap();
    grant(&mut m, "ada", "r", Some("apac"));
    assert_eq!(in_use(&mut m, "apac"), "grants still name it");
    m.rbac_mut()
        .revoke_role(Subject::User("ada"), "r", Some("apac"))
        .unwrap();
    m.rbac_mut().delete_division("apac").unwrap();
    assert!(m.rbac().division_name("apac").is_none());
    assert!(m.compile().rbac().division_id("apac").is_none());
    refused(
        m.rbac_mut().delete_division("apac"),
        "id",
        RbacErrorKind::UnknownDivision { id: "apac".into() },
    );
}

#[test]
fn division_ids_and_names_are_validated() {
    let mut m = world();
    refused(
        m.rbac_mut().add_division("", "X"),
        "id",
        RbacErrorKind::Input(InputErrorKind::EmptyId),
    );
    let e = m.rbac_mut().add_division("*", "All").unwrap_err();
    assert!(matches!(
        err_at(e, "id"),
        RbacErrorKind::Input(InputErrorKind::Conflict { .. })
    ));
    refused(
        m.rbac_mut().add_division("emea", "Again"),
        "id",
        RbacErrorKind::Input(InputErrorKind::DuplicateId { id: "emea".into() }),
    );
    refused(
        m.rbac_mut().add_division("x", ""),
        "name",
        RbacErrorKind::Input(InputErrorKind::Required),
    );
    refused(
        m.rbac_mut().add_division("x", "emea"),
        "name",
        RbacErrorKind::DuplicateName {
            name: "emea".into(),
        },
    );
    refused(
        m.rbac_mut().set_home_division("x"),
        "id",
        RbacErrorKind::UnknownDivision { id: "x".into() },
    );
}
