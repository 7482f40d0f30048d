//! Roles and permissions: catalog.

use super::*;

#[test]
fn catalog_parses_atoms_and_flat_permissions() {
    let m = world();
    let atom = m.rbac().permission("routing:queue:view").unwrap();
    assert_eq!(atom.parts(), Some(("routing", "queue", "view")));
    assert!(!atom.is_flat());
    let flat = m.rbac().permission("admin").unwrap();
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
        let e = m
            .rbac_mut()
            .add_permission(PermissionSpec::new(bad, "?"))
            .unwrap_err();
        assert!(
            matches!(
                err_at(e, "permission"),
                RbacErrorKind::InvalidPermission { .. }
            ),
            "{bad:?}"
        );
    }
}

#[test]
fn catalog_rejects_duplicate_permission() {
    let mut m = world();
    refused(
        m.rbac_mut()
            .add_permission(PermissionSpec::new("routing:queue:view", "again")),
        "permission",
        RbacErrorKind::Input(InputErrorKind::DuplicateId {
            id: "routing:queue:view".into(),
        }),
    );
}

#[test]
fn flat_permission_cannot_be_division_aware_or_conditional() {
    let mut m = world();
    for spec in [
        PermissionSpec::new("reports", "R").division_aware(),
        PermissionSpec::new("reports", "R").allowing_conditions(),
    ] {
        let e = m.rbac_mut().add_permission(spec).unwrap_err();
        assert!(matches!(
            err_at(e, "permission"),
            RbacErrorKind::InvalidPermission { .. }
        ));
    }
    refused(
        m.rbac_mut()
            .add_permission(PermissionSpec::new("x:y:z", "?").in_product("")),
        "product",
        RbacErrorKind::Input(InputErrorKind::Required),
    );
}

#[test]
fn catalog_listing_pages() {
    let m = world();
    let names = |q: PermissionQuery| -> (Vec<String>, usize, usize) {
        let page = m.rbac().list_permissions(&q).unwrap();
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
    // The default page of 25 holds the whole catalog of 9, in name order.
    assert_eq!(
        names(PermissionQuery::new()).0,
        [
            "admin",
            "directory:user:view",
            "employee",
            "outbound:campaign:view",
            "quality:evaluation:view",
            "routing:queue:edit",
            "routing:queue:view",
            "routing:skill:view",
            "wfm:schedule:view"
        ]
    );
}

#[test]
fn catalog_listing_filters_by_domain_and_permission() {
    let m = world();
    let names = |q: PermissionQuery| -> Vec<String> {
        m.rbac()
            .list_permissions(&q)
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
        .rbac()
        .list_permissions(&PermissionQuery::new().page(0, 1))
        .unwrap_err();
    assert!(matches!(
        err_at(e, "pageSize"),
        RbacErrorKind::Input(InputErrorKind::InvalidPaging { .. })
    ));
    let e = m
        .rbac()
        .list_roles(&RoleQuery::new().page(10, 0))
        .unwrap_err();
    assert!(matches!(
        err_at(e, "pageNumber"),
        RbacErrorKind::Input(InputErrorKind::InvalidPaging { .. })
    ));
}

#[test]
fn permission_name_inverts_permission_id_and_fails_closed() {
    let m = world();
    let snap = m.compile();
    let catalog = [
        "admin",
        "employee",
        "routing:queue:view",
        "routing:queue:edit",
        "routing:skill:view",
        "directory:user:view",
        "quality:evaluation:view",
        "outbound:campaign:view",
        "wfm:schedule:view", // its product is not enabled: still a catalog name
    ];
    let mut ids = std::collections::BTreeSet::new();
    for name in catalog {
        let id = snap.rbac().permission_id(name).unwrap();
        assert_eq!(snap.rbac().permission_name(id), Some(name));
        assert!(ids.insert(id), "{name} shares a dense id");
    }
    for unknown in ["routing:queue:nope", "routing:queue", "", "ADMIN"] {
        assert_eq!(snap.rbac().permission_id(unknown), None, "{unknown:?}");
    }
    let past = PermissionId::new(catalog.len() as u32);
    assert_eq!(snap.rbac().permission_name(past), None);
    assert_eq!(
        snap.rbac().permission_name(PermissionId::new(u32::MAX)),
        None
    );
    // A snapshot taken before a permission is added does not name it.
    let mut later = m.clone();
    let added = later
        .rbac_mut()
        .add_permission(PermissionSpec::new("routing:flow:view", "View flows"))
        .unwrap();
    assert_eq!(added, past);
    assert_eq!(snap.rbac().permission_name(added), None);
    assert_eq!(
        later.compile().rbac().permission_name(added),
        Some("routing:flow:view")
    );
}
