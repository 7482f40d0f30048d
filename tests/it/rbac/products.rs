//! Roles and permissions: products.

use super::*;

#[test]
fn permission_of_disabled_product_never_evaluates_true() {
    let mut m = world();
    m.rbac_mut()
        .create_role(role(
            "r",
            &[
                policy("wfm", "*", &["*"]),
                policy("outbound", "campaign", &["view"]),
            ],
        ))
        .unwrap();
    grant(&mut m, "ada", "r", Some("*"));
    let snap = m.compile();
    assert!(!snap.rbac().has_permission("ada", "wfm:schedule:view")); // wem is not enabled
    assert!(snap.rbac().has_permission("ada", "outbound:campaign:view"));
    m.rbac_mut().disable_product("engage");
    let snap = m.compile();
    assert!(!snap.rbac().has_permission("ada", "outbound:campaign:view"));
    assert!(
        !snap
            .rbac()
            .has_permission_on("ada", "outbound:campaign:view", "home", &[])
    );
    assert!(
        snap.rbac()
            .users_with_permission("outbound:campaign:view", "home")
            .is_empty()
    );
    assert!(
        !snap
            .rbac()
            .divisions_permitted("ada", "outbound:campaign:view")
            .is_all()
    );
    let d = snap
        .rbac()
        .explain_permission("ada", "outbound:campaign:view");
    assert_eq!(
        d.reason,
        RbacReason::ProductDisabled {
            permission: "outbound:campaign:view".into(),
            product: "engage".into()
        }
    );
}

#[test]
fn granting_permission_of_disabled_product_is_rejected() {
    let mut m = world();
    refused(
        m.rbac_mut()
            .create_role(role("r", &[policy("wfm", "schedule", &["view"])])),
        "permissionPolicies[0].actionSet[0]",
        RbacErrorKind::ProductNotEnabled {
            permission: "wfm:schedule:view".into(),
            product: "wem".into(),
        },
    );
    // A role saved while the product was enabled keeps it through later edits.
    m.rbac_mut()
        .create_role(role("o", &[policy("outbound", "campaign", &["view"])]))
        .unwrap();
    m.rbac_mut().disable_product("engage");
    let kept = role("o", &[policy("outbound", "campaign", &["view"])]).with_description("edited");
    m.rbac_mut().update_role(kept).unwrap();
    let e = m
        .rbac_mut()
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
        RbacErrorKind::ProductNotEnabled { .. }
    ));
}

#[test]
fn admin_does_not_bypass_product_gating() {
    let mut m = world();
    m.rbac_mut()
        .create_role(RoleSpec::new("a", "Admins").with_permission("admin"))
        .unwrap();
    grant(&mut m, "ada", "a", Some("*"));
    let snap = m.compile();
    assert!(!snap.rbac().has_permission("ada", "wfm:schedule:view"));
    assert!(
        !snap
            .rbac()
            .user_permissions("ada")
            .contains(&"wfm:schedule:view")
    );
}

#[test]
fn enabling_a_product_makes_its_permissions_count() {
    let mut m = world();
    m.rbac_mut()
        .create_role(role("r", &[policy("wfm", "schedule", &["*"])]))
        .unwrap();
    grant(&mut m, "ada", "r", None);
    assert!(
        !m.compile()
            .rbac()
            .has_permission("ada", "wfm:schedule:view")
    );
    m.rbac_mut().enable_product("wem").unwrap();
    assert!(
        m.compile()
            .rbac()
            .has_permission("ada", "wfm:schedule:view")
    );
    assert_eq!(
        m.rbac().enabled_products().collect::<Vec<_>>(),
        ["engage", "wem"]
    );
    refused(
        m.rbac_mut().enable_product(""),
        "product",
        RbacErrorKind::Input(InputErrorKind::Required),
    );
}
