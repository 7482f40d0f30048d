//! The edits that move and remove: `move_item`, `remove_network`,
//! `remove_network_permission`, `remove_permission`, `Model::remove_folder`, and
//! `remove_team` refused while named. For each: the state after a success, a refusal with its
//! exact kind and path that changes nothing (the digest), the change-set operation, and
//! property tests on random models (moves against a model built fresh with the items at
//! their final places; removals against the obvious "is it named?" and through the document
//! and the engine).

use std::collections::BTreeMap;

use orgperm::{
    AccessEntry, AccessSpec, ActionSpec, CallSpec, ChangeSet, DefaultRoleTemplate, Domain, Engine,
    ErrorKind, GlobalPermissionSpec, ItemErrorKind, ItemSpec, ItemType, ItemVerbs, LibraryAccess,
    Model, ModelError, NetworkErrorKind, OrgErrorKind, PermissionSpec, PolicySpec, ProfileSpec,
    RbacErrorKind, RoleSpec, Subject, TeamErrorKind,
};
use proptest::prelude::*;

const R: ItemVerbs = ItemVerbs::READ;
const U: ItemVerbs = ItemVerbs::UPDATE;

/// Asserts that `edit` fails with `kind` at `path` and leaves the model's document as it was.
fn refused(
    m: &mut Model,
    path: &str,
    kind: ErrorKind,
    edit: impl FnOnce(&mut Model) -> Result<(), ModelError>,
) {
    let (digest, doc) = (m.digest(), m.to_json());
    let err = edit(m).unwrap_err();
    assert_eq!((err.path(), err.kind()), (path, &kind), "{err}");
    assert_eq!(m.digest(), digest);
    assert_eq!(m.to_json(), doc);
}

/// The document round trip answers as the model: it exports byte for byte the same.
fn round_trips(m: &Model) {
    let again = Model::from_json(&m.to_json()).unwrap();
    assert_eq!(again.to_json(), m.to_json());
    assert_eq!(again.digest(), m.digest());
}

// ---- moving items --------------------------------------------------------------------------

/// ada, bob and cy hold every item action through the role `member`.
fn item_world() -> Model {
    let mut m = Model::new();
    for u in ["ada", "bob", "cy"] {
        m.add_user(u, None).unwrap();
    }
    let mut specs = Vec::new();
    for p in ["sessions", "goals", "metrics"] {
        specs.push(ActionSpec::new(format!("access-{p}"), "A"));
        specs.push(ActionSpec::new(format!("manage-{p}"), "M").requiring(format!("access-{p}")));
    }
    m.rbac_mut().add_actions(specs).unwrap();
    m.rbac_mut().add_division("home", "Home").unwrap();
    m.rbac_mut()
        .create_role(RoleSpec::new("member", "Member"))
        .unwrap();
    for (i, p) in ["sessions", "goals", "metrics"].iter().enumerate() {
        m.rbac_mut()
            .create_global_permission(GlobalPermissionSpec::new(
                format!("gp{i}"),
                format!("manage-{p}").as_str(),
                ["member"],
            ))
            .unwrap();
    }
    for u in ["ada", "bob", "cy"] {
        m.rbac_mut()
            .grant_role(Subject::User(u), "member", None)
            .unwrap();
    }
    let mut items = m.items_mut();
    items
        .add_item(
            ItemSpec::session("q1")
                .with_access(AccessSpec::new([AccessEntry::user("ada", ItemVerbs::ALL)])),
        )
        .unwrap();
    items
        .add_item(
            ItemSpec::session("q2").with_access(AccessSpec::new([AccessEntry::user("bob", R | U)])),
        )
        .unwrap();
    items
        .add_item(ItemSpec::goal("g1", "q1").with_access(AccessSpec::inheriting()))
        .unwrap();
    items.add_item(ItemSpec::metric("m1", "g1")).unwrap();
    items
        .add_item(
            ItemSpec::goal("g2", "q2")
                .with_access(AccessSpec::new([AccessEntry::user("cy", R)]))
                .owned_by(["ada"]),
        )
        .unwrap();
    m
}

#[test]
fn a_moved_goal_and_its_metric_inherit_from_the_new_session() {
    let mut m = item_world();
    let snap = m.compile();
    assert_eq!(snap.items().actions("ada", "g1"), ItemVerbs::ALL);
    assert_eq!(snap.items().actions("ada", "m1"), ItemVerbs::ALL);
    assert_eq!(snap.items().actions("bob", "m1"), ItemVerbs::EMPTY);

    m.items_mut().move_item("g1", Some("q2")).unwrap();
    assert_eq!(m.items().item("g1").unwrap().parent.as_deref(), Some("q2"));
    let snap = m.compile();
    assert_eq!(snap.items().actions("ada", "g1"), ItemVerbs::EMPTY);
    assert_eq!(snap.items().actions("ada", "m1"), ItemVerbs::EMPTY);
    assert_eq!(snap.items().actions("bob", "g1"), R | U);
    assert_eq!(snap.items().actions("bob", "m1"), R | U);
    // The parent links' child counts followed: q1 has no child left, q2 has two.
    m.items_mut().remove_item("q1").unwrap();
    let err = m.items_mut().remove_item("q2").unwrap_err();
    assert_eq!(
        err.kind(),
        &ItemErrorKind::HasChildItems {
            id: "q2".into(),
            children: 2
        }
    );

    // A metric moves to another goal: its own (absent) list now falls back to g2's.
    m.items_mut().move_item("m1", Some("g2")).unwrap();
    let snap = m.compile();
    assert_eq!(snap.items().actions("cy", "m1"), R);
    assert_eq!(snap.items().actions("bob", "m1"), ItemVerbs::EMPTY);
    // Ownership stays with the item: ada owns g2, not m1.
    assert_eq!(snap.items().actions("ada", "m1"), ItemVerbs::EMPTY);
    assert_eq!(snap.items().actions("ada", "g2"), ItemVerbs::OWNER);
    // Moving to the parent it has changes nothing; a session has no parent to move to.
    let digest = m.digest();
    m.items_mut().move_item("m1", Some("g2")).unwrap();
    m.items_mut().move_item("q2", None).unwrap();
    assert_eq!(m.digest(), digest);
    round_trips(&m);
}

#[test]
fn a_refused_move_names_its_field_and_changes_nothing() {
    let mut m = item_world();
    let item = |k: ItemErrorKind| ErrorKind::Item(k);
    let cycle = |id: &str, parent: &str| {
        item(ItemErrorKind::ItemCycle {
            id: id.into(),
            parent: parent.into(),
        })
    };
    refused(&mut m, "parentId", cycle("g1", "m1"), |m| {
        Ok(m.items_mut().move_item("g1", Some("m1"))?)
    });
    refused(&mut m, "parentId", cycle("g1", "g1"), |m| {
        Ok(m.items_mut().move_item("g1", Some("g1"))?)
    });
    refused(&mut m, "parentId", cycle("m1", "m1"), |m| {
        Ok(m.items_mut().move_item("m1", Some("m1"))?)
    });
    refused(
        &mut m,
        "parentId",
        item(ItemErrorKind::WrongParentType {
            item_type: ItemType::Metric,
            parent: "q2".into(),
            found: ItemType::Session,
            expected: ItemType::Goal,
        }),
        |m| Ok(m.items_mut().move_item("m1", Some("q2"))?),
    );
    refused(
        &mut m,
        "parentId",
        item(ItemErrorKind::WrongParentType {
            item_type: ItemType::Goal,
            parent: "g2".into(),
            found: ItemType::Goal,
            expected: ItemType::Session,
        }),
        |m| Ok(m.items_mut().move_item("g1", Some("g2"))?),
    );
    refused(
        &mut m,
        "parentId",
        item(ItemErrorKind::ParentNotAllowed {
            item_type: ItemType::Session,
        }),
        |m| Ok(m.items_mut().move_item("q1", Some("q2"))?),
    );
    refused(
        &mut m,
        "parentId",
        item(ItemErrorKind::ParentRequired {
            item_type: ItemType::Goal,
        }),
        |m| Ok(m.items_mut().move_item("g1", None)?),
    );
    refused(
        &mut m,
        "parentId",
        item(ItemErrorKind::UnknownItem { id: "q9".into() }),
        |m| Ok(m.items_mut().move_item("g1", Some("q9"))?),
    );
    refused(
        &mut m,
        "id",
        item(ItemErrorKind::UnknownItem { id: "g9".into() }),
        |m| Ok(m.items_mut().move_item("g9", Some("q1"))?),
    );
    // A removed item is unknown as a parent too.
    m.items_mut().add_item(ItemSpec::session("q3")).unwrap();
    m.items_mut().remove_item("q3").unwrap();
    refused(
        &mut m,
        "parentId",
        item(ItemErrorKind::UnknownItem { id: "q3".into() }),
        |m| Ok(m.items_mut().move_item("g1", Some("q3"))?),
    );
}

// ---- networks ------------------------------------------------------------------------------

fn network_world() -> Model {
    let mut m = Model::new();
    m.add_user("a", None).unwrap();
    m.add_user("b", None).unwrap();
    let mut n = m.networks_mut();
    n.add_network("SMS").unwrap();
    n.add_network("LINE").unwrap();
    n.add_network_permission("SMS", "create:room", true)
        .unwrap();
    n.add_network_permission("SMS", "send", false).unwrap();
    n.add_network_permission("LINE", "send", true).unwrap();
    n.entitle_advisor("a", "SMS").unwrap();
    n.add_contact("k1", "LINE", None).unwrap();
    m
}

#[test]
fn a_network_is_removed_once_nothing_names_it() {
    let mut m = network_world();
    let in_use = |id: &str, referrer: &str| {
        ErrorKind::Network(NetworkErrorKind::NetworkInUse {
            id: id.into(),
            referrer: referrer.into(),
        })
    };
    refused(
        &mut m,
        "id",
        in_use("SMS", r#"advisor "a" networks"#),
        |m| Ok(m.networks_mut().remove_network("SMS")?),
    );
    refused(
        &mut m,
        "id",
        in_use("LINE", r#"contact "k1" externalNetwork"#),
        |m| Ok(m.networks_mut().remove_network("LINE")?),
    );
    refused(
        &mut m,
        "id",
        ErrorKind::Network(NetworkErrorKind::UnknownNetwork { id: "ICQ".into() }),
        |m| Ok(m.networks_mut().remove_network("ICQ")?),
    );

    let sms = m.networks().network_id("SMS").unwrap();
    m.networks_mut().remove_entitlement("a", "SMS").unwrap();
    m.networks_mut().remove_network("SMS").unwrap();
    assert_eq!(m.networks().network_ids().collect::<Vec<_>>(), ["LINE"]);
    assert_eq!(m.networks().network_id("SMS"), None);
    assert!(m.networks().network_catalog("SMS").is_err());
    let snap = m.compile();
    assert_eq!(snap.networks().network_id("SMS"), None);
    // Explanations call the removed network unknown, by name and by its old dense id.
    for d in [
        snap.networks()
            .explain_permission("a", "SMS", "create:room"),
        snap.networks().explain_permission("a", sms, "create:room"),
    ] {
        assert!(!d.allowed);
        assert!(
            matches!(
                d.reason,
                orgperm::NetworkReason::UnknownNetworkItem {
                    kind: "network",
                    ..
                }
            ),
            "{d}"
        );
    }
    // LINE, after the removed slot, still answers with its own catalog.
    m.networks_mut().entitle_advisor("b", "LINE").unwrap();
    let snap = m.compile();
    assert!(snap.networks().has_permission("b", "LINE", "send"));
    assert_eq!(snap.networks().permissions_of("b", "LINE"), ["send"]);
    round_trips(&m);

    // Added again, the network gets its dense id back and an empty catalog; nobody is
    // entitled on it.
    assert_eq!(m.networks_mut().add_network("SMS").unwrap(), sms);
    assert!(m.networks().network_catalog("SMS").unwrap().is_empty());
    assert!(!m.networks().is_entitled("a", "SMS"));
    assert!(
        !m.compile()
            .networks()
            .has_permission("a", "SMS", "create:room")
    );
}

#[test]
fn a_network_permission_is_removed_from_its_catalog_once_nobody_holds_it() {
    let mut m = network_world();
    refused(
        &mut m,
        "name",
        ErrorKind::Network(NetworkErrorKind::NetworkPermissionInUse {
            network: "SMS".into(),
            permission: "create:room".into(),
            referrer: r#"advisor "a" networks["SMS"].permissions"#.into(),
        }),
        |m| {
            Ok(m.networks_mut()
                .remove_network_permission("SMS", "create:room")?)
        },
    );
    refused(
        &mut m,
        "name",
        ErrorKind::Network(NetworkErrorKind::UnknownNetworkPermission {
            network: "LINE".into(),
            permission: "create:room".into(),
        }),
        |m| {
            Ok(m.networks_mut()
                .remove_network_permission("LINE", "create:room")?)
        },
    );
    // Not held by anyone (a is entitled on SMS but "send" is not a default).
    m.networks_mut()
        .remove_network_permission("SMS", "send")
        .unwrap();
    assert_eq!(
        m.networks().network_catalog("SMS").unwrap(),
        [("create:room", true)]
    );
    // The other network's catalog keeps the name.
    assert_eq!(
        m.networks().network_catalog("LINE").unwrap(),
        [("send", true)]
    );
    m.networks_mut()
        .revoke_network_permission("a", "SMS", "create:room")
        .unwrap();
    m.networks_mut()
        .remove_network_permission("SMS", "create:room")
        .unwrap();
    assert!(m.networks().network_catalog("SMS").unwrap().is_empty());
    // Entitling again grants no default: the catalog has none.
    m.networks_mut().entitle_advisor("b", "SMS").unwrap();
    assert!(
        m.networks()
            .network_permissions_of("b", "SMS")
            .unwrap()
            .is_empty()
    );
    assert!(
        !m.compile()
            .networks()
            .has_permission("a", "SMS", "create:room")
    );
    round_trips(&m);
}

// ---- catalog permissions -------------------------------------------------------------------

fn rbac_world() -> Model {
    let mut m = Model::new();
    m.add_user("ada", None).unwrap();
    let mut r = m.rbac_mut();
    r.add_division("home", "Home").unwrap();
    for p in [
        "routing:queue:view",
        "routing:queue:edit",
        "routing:skill:view",
        "directory:user:view",
        "admin",
        "spare",
    ] {
        r.add_permission(PermissionSpec::new(p, p)).unwrap();
    }
    r.create_role(RoleSpec::new("admins", "Admins").with_permission("admin"))
        .unwrap();
    r.create_role(
        RoleSpec::new("queues", "Queues").with_policy(PolicySpec::new("routing", "queue", ["*"])),
    )
    .unwrap();
    r.create_role(
        RoleSpec::new("viewers", "Viewers").with_policy(PolicySpec::new("routing", "*", ["view"])),
    )
    .unwrap();
    r.create_role(
        RoleSpec::new("dir", "Directory").with_policy(PolicySpec::new("directory", "*", ["*"])),
    )
    .unwrap();
    r.grant_role(Subject::User("ada"), "queues", None).unwrap();
    r.grant_role(Subject::User("ada"), "viewers", None).unwrap();
    m
}

fn permission_in_use(id: &str, referrer: &str) -> ErrorKind {
    ErrorKind::Rbac(RbacErrorKind::PermissionInUse {
        id: id.into(),
        referrer: referrer.into(),
    })
}

#[test]
fn a_catalog_permission_is_refused_while_a_role_needs_it() {
    let mut m = rbac_world();
    let remove = |p: &'static str| move |m: &mut Model| Ok(m.rbac_mut().remove_permission(p)?);
    refused(
        &mut m,
        "permission",
        permission_in_use("admin", r#"role "admins" permissions[0]"#),
        remove("admin"),
    );
    // The only atom of `directory`, so `directory:*:*` would name an unknown domain.
    refused(
        &mut m,
        "permission",
        permission_in_use(
            "directory:user:view",
            r#"role "dir" permissionPolicies[0].domain"#,
        ),
        remove("directory:user:view"),
    );
    // The only `routing:skill` atom is also one of two `routing:*:view` ones: removable for
    // those two roles... but not once a role names `routing:skill:*`.
    m.rbac_mut()
        .create_role(
            RoleSpec::new("skills", "Skills").with_policy(PolicySpec::new(
                "routing",
                "skill",
                ["*"],
            )),
        )
        .unwrap();
    refused(
        &mut m,
        "permission",
        permission_in_use(
            "routing:skill:view",
            r#"role "skills" permissionPolicies[0].entityName"#,
        ),
        remove("routing:skill:view"),
    );
    m.rbac_mut()
        .update_role(
            RoleSpec::new("skills", "Skills").with_policy(PolicySpec::new(
                "routing",
                "queue",
                ["edit", "view"],
            )),
        )
        .unwrap();
    refused(
        &mut m,
        "permission",
        permission_in_use(
            "routing:queue:view",
            r#"role "skills" permissionPolicies[0].actionSet[1]"#,
        ),
        remove("routing:queue:view"),
    );
    m.rbac_mut().delete_role("skills").unwrap();
    // A default role template counts as a role.
    m.rbac_mut()
        .set_default_role_template(DefaultRoleTemplate::new(
            "supervisor",
            RoleSpec::new("sup", "Supervisor").with_permission("spare"),
        ))
        .unwrap();
    refused(
        &mut m,
        "permission",
        permission_in_use("spare", r#"defaultRole "supervisor" permissions[0]"#),
        remove("spare"),
    );
    refused(
        &mut m,
        "permission",
        ErrorKind::Rbac(RbacErrorKind::UnknownPermission { id: "nope".into() }),
        remove("nope"),
    );
}

#[test]
fn a_permission_matched_only_through_wildcards_is_removed_and_stops_granting() {
    let mut m = rbac_world();
    let snap = m.compile();
    assert!(snap.rbac().has_permission("ada", "routing:skill:view"));
    assert!(snap.rbac().has_permission("ada", "routing:queue:edit"));
    // `routing:*:view` keeps routing:queue:view; `routing:queue:*` keeps routing:queue:view.
    m.rbac_mut()
        .remove_permission("routing:skill:view")
        .unwrap();
    m.rbac_mut()
        .remove_permission("routing:queue:edit")
        .unwrap();
    assert!(m.rbac().permission("routing:skill:view").is_none());
    let snap = m.compile();
    assert!(!snap.rbac().has_permission("ada", "routing:skill:view"));
    assert!(!snap.rbac().has_permission("ada", "routing:queue:edit"));
    // A removed permission is unknown to lookups, explanations and reverse queries.
    assert_eq!(snap.rbac().permission_id("routing:skill:view"), None);
    assert_eq!(
        snap.rbac()
            .explain_permission("ada", "routing:skill:view")
            .reason,
        orgperm::RbacReason::UnknownPermission {
            permission: "\"routing:skill:view\"".into()
        }
    );
    assert!(
        snap.rbac()
            .users_holding_permission("routing:skill:view")
            .is_empty()
    );
    // The permissions after the removed ones keep their bits.
    assert!(snap.rbac().has_permission("ada", "routing:queue:view"));
    assert!(!snap.rbac().has_permission("ada", "directory:user:view"));
    m.rbac_mut()
        .grant_role(Subject::User("ada"), "dir", None)
        .unwrap();
    assert!(
        m.compile()
            .rbac()
            .has_permission("ada", "directory:user:view")
    );
    round_trips(&m);
    // Added again, a wildcard role picks it up as any new atom.
    m.rbac_mut()
        .add_permission(PermissionSpec::new("routing:queue:edit", "Edit"))
        .unwrap();
    assert!(
        m.compile()
            .rbac()
            .has_permission("ada", "routing:queue:edit")
    );
    // An unreferenced flat permission goes too.
    m.rbac_mut().remove_permission("spare").unwrap();
    round_trips(&m);
}

// ---- folders -------------------------------------------------------------------------------

fn folder_world() -> Model {
    let mut m = Model::new();
    m.add_workspace("emea").unwrap();
    m.add_user("ada", None).unwrap();
    m.add_user("bob", None).unwrap();
    for f in ["wins", "losses", "spare"] {
        m.add_folder(f, None).unwrap();
    }
    m.create_profile(
        ProfileSpec::new("lib", "Library")
            .with_library(LibraryAccess::specific(["losses", "wins"])),
    )
    .unwrap();
    m.create_profile(ProfileSpec::new("all", "Everything").with_library(LibraryAccess::all()))
        .unwrap();
    m.assign_profile("ada", "lib").unwrap();
    m.assign_profile("bob", "all").unwrap();
    m.calls_mut()
        .add_call(CallSpec::new("c1", "ada").in_folders(["spare", "losses"]))
        .unwrap();
    m
}

#[test]
fn a_folder_is_removed_once_no_profile_lists_it_and_no_call_is_in_it() {
    let mut m = folder_world();
    let in_use = |id: &str, referrer: &str| {
        ErrorKind::Org(OrgErrorKind::FolderInUse {
            id: id.into(),
            referrer: referrer.into(),
        })
    };
    refused(
        &mut m,
        "id",
        in_use(
            "wins",
            r#"profile "lib" libraryFolderAccess.libraryFolderIds[1]"#,
        ),
        |m| m.remove_folder("wins"),
    );
    refused(
        &mut m,
        "id",
        in_use(
            "losses",
            r#"profile "lib" libraryFolderAccess.libraryFolderIds[0]"#,
        ),
        |m| m.remove_folder("losses"),
    );
    // The call's folders are kept sorted by dense id: wins, losses, spare.
    refused(
        &mut m,
        "id",
        in_use("spare", r#"call "c1" folderIds[1]"#),
        |m| m.remove_folder("spare"),
    );
    refused(
        &mut m,
        "id",
        ErrorKind::Org(OrgErrorKind::UnknownFolder { id: "nope".into() }),
        |m| m.remove_folder("nope"),
    );

    let spare = m.folder_id("spare").unwrap();
    m.calls_mut()
        .remove_call_from_folder("c1", "spare")
        .unwrap();
    m.remove_folder("spare").unwrap();
    assert_eq!(m.folder_id("spare"), None);
    let snap = m.compile();
    assert_eq!(snap.folder_id("spare"), None);
    // Level `all` opens every folder of the workspace, but not a removed one, even by id.
    assert!(snap.profiles().can_access_folder("bob", "wins"));
    assert!(!snap.profiles().can_access_folder("bob", "spare"));
    assert!(!snap.profiles().can_access_folder("bob", spare));
    // Explained as unknown, and in no reverse answer or listing.
    assert!(matches!(
        snap.profiles().explain_folder("bob", spare).reason,
        orgperm::ProfileReason::UnknownFolder { .. }
    ));
    assert!(snap.profiles().who_can_access_folder(spare).is_empty());
    assert!(!snap.profiles().folders_of("bob").contains(spare));
    // The call still opens through its remaining folder.
    assert!(snap.calls().can_open("ada", "c1"));
    // Naming a removed folder is an unknown folder.
    let err = m.calls_mut().add_call_to_folder("c1", "spare").unwrap_err();
    assert_eq!(
        err.kind(),
        &orgperm::CallErrorKind::Org(OrgErrorKind::UnknownFolder { id: "spare".into() })
    );
    let err = m
        .create_profile(
            ProfileSpec::new("p2", "P2").with_library(LibraryAccess::specific(["spare"])),
        )
        .unwrap_err();
    assert_eq!(
        (err.path(), err.kind()),
        (
            "libraryFolderAccess.libraryFolderIds[0]",
            &ErrorKind::Org(OrgErrorKind::UnknownFolder { id: "spare".into() })
        )
    );
    round_trips(&m);
    // Added again, in another workspace: its dense id back, and the default workspace's
    // `all` no longer reaches it.
    assert_eq!(m.add_folder("spare", Some("emea")).unwrap(), spare);
    assert!(!m.compile().profiles().can_access_folder("bob", "spare"));
    round_trips(&m);
}

// ---- teams ---------------------------------------------------------------------------------

#[test]
fn a_team_named_by_an_access_list_is_not_removed() {
    let mut m = item_world();
    m.teams_mut().add_team("sales", None).unwrap();
    m.teams_mut().add_team("uk", None).unwrap();
    m.teams_mut().add_team_member("sales", "cy").unwrap();
    m.items_mut()
        .add_item(
            ItemSpec::session("q3")
                .with_access(AccessSpec::new([
                    AccessEntry::user("ada", R),
                    AccessEntry::team("sales", R),
                ]))
                .with_default_access([AccessEntry::team("uk", R)]),
        )
        .unwrap();
    m.items_mut()
        .set_default_access(ItemType::Metric, Some(vec![AccessEntry::team("uk", U)]))
        .unwrap();
    let in_use = |id: &str, referrer: &str| {
        ErrorKind::Team(TeamErrorKind::TeamInUse {
            id: id.into(),
            referrer: referrer.into(),
        })
    };
    refused(
        &mut m,
        "id",
        in_use("sales", r#"item "q3" access.permissions[1]"#),
        |m| Ok(m.teams_mut().remove_team("sales")?),
    );
    refused(
        &mut m,
        "id",
        in_use("uk", r#"item "q3" defaultAccess.permissions[0]"#),
        |m| Ok(m.teams_mut().remove_team("uk")?),
    );
    m.items_mut().set_item_default_access("q3", None).unwrap();
    refused(
        &mut m,
        "id",
        in_use("uk", r#"defaultAccess "metric" permissions[0]"#),
        |m| Ok(m.teams_mut().remove_team("uk")?),
    );
    m.items_mut()
        .set_default_access(ItemType::Metric, None)
        .unwrap();
    m.teams_mut().remove_team("uk").unwrap();

    // Once the list no longer names it, the team goes; a new team with its id is granted
    // nothing by the old list (there is no old entry left to revive).
    m.items_mut()
        .set_item_access("q3", Some(AccessSpec::new([AccessEntry::user("ada", R)])))
        .unwrap();
    m.teams_mut().remove_team("sales").unwrap();
    m.teams_mut().add_team("sales", None).unwrap();
    m.teams_mut().add_team_member("sales", "cy").unwrap();
    assert_eq!(m.compile().items().actions("cy", "q3"), ItemVerbs::EMPTY);
    round_trips(&m);
}

// ---- change-set operations -----------------------------------------------------------------

fn apply(engine: &Engine, ops: &str) -> Result<(), orgperm::EngineError> {
    let changes = ChangeSet::from_json(&format!(r#"{{"version": 1, "ops": {ops}}}"#)).unwrap();
    engine.apply(&changes).map(drop)
}

#[test]
fn the_new_operations_apply_through_the_engine_and_name_their_fields() {
    let mut m = item_world();
    m.add_folder("wins", None).unwrap();
    m.networks_mut().add_network("SMS").unwrap();
    m.networks_mut()
        .add_network_permission("SMS", "send", false)
        .unwrap();
    m.rbac_mut()
        .add_permission(PermissionSpec::new("spare", "Spare"))
        .unwrap();
    m.teams_mut().add_team("t", None).unwrap();
    let engine = Engine::new(m);

    // A bad operation among good ones: the index and the field, and nothing applied.
    let before = engine.model().to_json();
    let err = apply(
        &engine,
        r#"[{"op": "removeFolder", "id": "wins"}, {"op": "moveItem", "id": "g1", "parentId": "m1"}]"#,
    )
    .unwrap_err();
    assert_eq!(err.path(), "ops[1].parentId");
    assert_eq!(engine.model().to_json(), before);
    for (op, path) in [
        (
            r#"{"op": "moveItem", "id": "g9", "parentId": "q2"}"#,
            "ops[0].id",
        ),
        (r#"{"op": "moveItem", "id": "g1"}"#, "ops[0].parentId"),
        (r#"{"op": "removeFolder", "id": "nope"}"#, "ops[0].id"),
        (r#"{"op": "removeNetwork", "id": "ICQ"}"#, "ops[0].id"),
        (
            r#"{"op": "removeNetworkPermission", "networkId": "ICQ", "name": "send"}"#,
            "ops[0].networkId",
        ),
        (
            r#"{"op": "removeNetworkPermission", "networkId": "SMS", "name": "nope"}"#,
            "ops[0].name",
        ),
        (
            r#"{"op": "removePermission", "permission": "nope"}"#,
            "ops[0].permission",
        ),
    ] {
        let err = apply(&engine, &format!("[{op}]")).unwrap_err();
        assert_eq!(err.path(), path, "{op}: {err}");
    }
    // A misspelt field is refused when read.
    let err = ChangeSet::from_json(
        r#"{"version": 1, "ops": [{"op": "moveItem", "id": "g1", "parent": "q2"}]}"#,
    )
    .unwrap_err();
    assert!(err.path().starts_with("ops[0]"), "{err}");
    assert_eq!(engine.model().to_json(), before);

    // Each applied, one at a time (in place) and then several at once (on a draft).
    apply(
        &engine,
        r#"[{"op": "moveItem", "id": "g1", "parentId": "q2"}]"#,
    )
    .unwrap();
    assert_eq!(engine.snapshot().items().actions("bob", "m1"), R | U);
    apply(
        &engine,
        r#"[{"op": "removeFolder", "id": "wins"},
            {"op": "removeNetworkPermission", "networkId": "SMS", "name": "send"},
            {"op": "removeNetwork", "id": "SMS"},
            {"op": "removePermission", "permission": "spare"},
            {"op": "removeTeam", "id": "t"}]"#,
    )
    .unwrap();
    let model = engine.model();
    assert_eq!(model.folder_id("wins"), None);
    assert_eq!(model.networks().network_id("SMS"), None);
    assert!(model.rbac().permission("spare").is_none());
    assert_eq!(model.teams().team_id("t"), None);
    assert_eq!(
        model.items().item("g1").unwrap().parent.as_deref(),
        Some("q2")
    );
    let fresh = model.compile();
    let live = engine.snapshot();
    assert_eq!(live.folder_id("wins"), fresh.folder_id("wins"));
    assert_eq!(live.networks().network_id("SMS"), None);
    assert_eq!(live.items().actions("bob", "g1"), R | U);
}

// ---- properties: moves ---------------------------------------------------------------------

/// An item of a random tree: its type (0 session, 1 goal, 2 metric), a raw parent index,
/// its list (`None`: none; `Some(None)`: inherits; `Some(Some(entries))`), its owner.
#[derive(Clone, Debug)]
struct ItemDef {
    kind: u8,
    parent: usize,
    access: Option<Option<Vec<(u8, u8)>>>,
    owner: Option<u8>,
}

const USERS: [&str; 3] = ["ada", "bob", "cy"];

fn item_def() -> impl Strategy<Value = ItemDef> {
    let entries = proptest::collection::vec((0u8..4, 0u8..32), 0..3);
    (
        0u8..3,
        0usize..16,
        proptest::option::of(proptest::option::of(entries)),
        proptest::option::weighted(0.2, 0u8..3),
    )
        .prop_map(|(kind, parent, access, owner)| ItemDef {
            kind,
            parent,
            access,
            owner,
        })
}

/// `(type, parent)` of each item, in order: goals under an earlier session, metrics under
/// an earlier goal (else the item becomes a session). Item 0 is always a session.
fn shape(defs: &[ItemDef]) -> Vec<(ItemType, Option<usize>)> {
    let mut out: Vec<(ItemType, Option<usize>)> = Vec::new();
    for d in defs {
        let of = |t: ItemType| -> Vec<usize> {
            out.iter()
                .enumerate()
                .filter(|(_, (k, _))| *k == t)
                .map(|(i, _)| i)
                .collect()
        };
        let wanted = [ItemType::Session, ItemType::Goal, ItemType::Metric][d.kind as usize];
        let parents = match wanted {
            ItemType::Goal => of(ItemType::Session),
            ItemType::Metric => of(ItemType::Goal),
            _ => Vec::new(),
        };
        out.push(if parents.is_empty() {
            (ItemType::Session, None)
        } else {
            (wanted, Some(parents[d.parent % parents.len()]))
        });
    }
    out
}

fn item_spec(i: usize, d: &ItemDef, kind: ItemType, parent: Option<usize>) -> ItemSpec {
    let mut spec = ItemSpec::new(format!("i{i}"), kind);
    if let Some(p) = parent {
        spec = spec.with_parent(format!("i{p}"));
    }
    if let Some(o) = d.owner {
        spec = spec.owned_by([USERS[o as usize % 3]]);
    }
    match &d.access {
        None => {}
        Some(None) => spec = spec.with_access(AccessSpec::inheriting()),
        Some(Some(entries)) => {
            spec = spec.with_access(AccessSpec::new(entries.iter().map(|&(who, grant)| {
                let verbs = ItemVerbs::from_bits(grant & 0b1_1111);
                match who {
                    3 => AccessEntry::account(verbs),
                    u => AccessEntry::user(USERS[u as usize], verbs),
                }
            })))
        }
    }
    spec
}

/// The item world's users and role layer, with the items added parents first by type, at
/// the parents given.
fn with_items(defs: &[ItemDef], parents: &[(ItemType, Option<usize>)]) -> Model {
    let mut m = item_world();
    for id in ["m1", "g2", "g1", "q1", "q2"] {
        m.items_mut().remove_item(id).unwrap();
    }
    for kind in [ItemType::Session, ItemType::Goal, ItemType::Metric] {
        for (i, (d, &(k, p))) in defs.iter().zip(parents).enumerate() {
            if k == kind {
                m.items_mut().add_item(item_spec(i, d, k, p)).unwrap();
            }
        }
    }
    m
}

proptest! {
    #![proptest_config(crate::common::config(64))]

    /// Random moves (many refused: wrong types, cycles) leave a model that exports and
    /// answers exactly as one built fresh with every item at its final place; a refused
    /// move changes nothing.
    #[test]
    fn moved_items_answer_as_a_model_built_fresh(
        defs in proptest::collection::vec(item_def(), 1..10),
        moves in proptest::collection::vec((0usize..16, proptest::option::of(0usize..16)), 0..8),
    ) {
        let mut parents = shape(&defs);
        let mut m = with_items(&defs, &parents);
        let n = defs.len();
        for (i, p) in moves {
            let (i, p) = (i % n, p.map(|p| p % n));
            let digest = m.digest();
            let (kind, _) = parents[i];
            let target = p.map(|p| format!("i{p}"));
            let result = m.items_mut().move_item(&format!("i{i}"), target.as_deref());
            // The obvious rule: the parent must be of the type the item needs; a parent of the
            // right type is never under the item (sessions < goals < metrics), so the type
            // check alone decides, and a cycle shows as the first error for a descendant.
            let fits = match (kind.parent_type(), p) {
                (None, None) => true,
                (Some(t), Some(p)) => parents[p].0 == t,
                _ => false,
            };
            prop_assert_eq!(result.is_ok(), fits, "{:?}", result);
            if fits {
                if kind.parent_type().is_some() {
                    parents[i].1 = p;
                }
            } else {
                prop_assert_eq!(m.digest(), digest);
            }
        }
        let fresh = with_items(&defs, &parents);
        prop_assert_eq!(m.to_json(), fresh.to_json());
        prop_assert_eq!(m.digest(), fresh.digest());
        let (got, want) = (m.compile(), fresh.compile());
        let again = Model::from_json(&m.to_json()).unwrap().compile();
        for u in USERS {
            for i in 0..n {
                let id = format!("i{i}");
                let v = got.items().actions(u, id.as_str());
                prop_assert_eq!(v, want.items().actions(u, id.as_str()), "{} {}", u, &id);
                prop_assert_eq!(v, again.items().actions(u, id.as_str()));
            }
        }
    }
}

// ---- properties: removals ------------------------------------------------------------------

/// A random model whose networks, catalog permissions, folders and teams are named by a
/// random subset of advisors, contacts, roles, profiles, calls and access lists.
#[derive(Clone, Debug)]
struct Refs {
    /// Per network `n0..n2`: entitled advisors (with their permissions held), and contacts.
    entitled: Vec<Vec<(usize, Vec<bool>)>>,
    contacts: Vec<bool>,
    /// Per atom `d:e:a` of `ATOMS`: whether a role names it explicitly.
    explicit: Vec<bool>,
    /// Whether a role holds `routing:queue:*`, `routing:*:view`.
    wildcards: (bool, bool),
    /// Per folder `f0..f2`: listed by the profile, holding the call.
    profile_folders: Vec<bool>,
    call_folders: Vec<bool>,
    /// Per team `t0..t2`: named by the session's list.
    team_entries: Vec<bool>,
}

const ATOMS: [&str; 4] = [
    "routing:queue:view",
    "routing:queue:edit",
    "routing:skill:view",
    "directory:user:view",
];
const NET_PERMS: [&str; 2] = ["send", "create:room"];

fn refs() -> impl Strategy<Value = Refs> {
    let held = (0usize..3, proptest::collection::vec(any::<bool>(), 2));
    (
        proptest::collection::vec(proptest::collection::vec(held, 0..2), 3),
        proptest::collection::vec(proptest::bool::weighted(0.3), 3),
        proptest::collection::vec(proptest::bool::weighted(0.3), 4),
        (any::<bool>(), any::<bool>()),
        proptest::collection::vec(proptest::bool::weighted(0.3), 3),
        proptest::collection::vec(proptest::bool::weighted(0.3), 3),
        proptest::collection::vec(proptest::bool::weighted(0.4), 3),
    )
        .prop_map(
            |(
                entitled,
                contacts,
                explicit,
                wildcards,
                profile_folders,
                call_folders,
                team_entries,
            )| Refs {
                entitled,
                contacts,
                explicit,
                wildcards,
                profile_folders,
                call_folders,
                team_entries,
            },
        )
}

fn refs_model(r: &Refs) -> Model {
    let mut m = Model::new();
    for u in 0..3 {
        m.add_user(&format!("u{u}"), None).unwrap();
    }
    for n in 0..3 {
        let net = format!("n{n}");
        m.networks_mut().add_network(&net).unwrap();
        for p in NET_PERMS {
            m.networks_mut()
                .add_network_permission(&net, p, false)
                .unwrap();
        }
        for (a, held) in &r.entitled[n] {
            let a = format!("u{a}");
            m.networks_mut().entitle_advisor(&a, &net).unwrap();
            for (p, &h) in NET_PERMS.iter().zip(held) {
                if h {
                    // The same advisor may be drawn twice: a second grant is refused.
                    let _ = m.networks_mut().grant_network_permission(&a, &net, p);
                }
            }
        }
        if r.contacts[n] {
            m.networks_mut()
                .add_contact(&format!("k{n}"), &net, None)
                .unwrap();
        }
    }
    m.rbac_mut().add_division("home", "Home").unwrap();
    for a in ATOMS {
        m.rbac_mut()
            .add_permission(PermissionSpec::new(a, a))
            .unwrap();
    }
    for (i, a) in ATOMS.iter().enumerate() {
        if r.explicit[i] {
            let mut parts = a.split(':');
            let (d, e, x) = (
                parts.next().unwrap(),
                parts.next().unwrap(),
                parts.next().unwrap(),
            );
            m.rbac_mut()
                .create_role(
                    RoleSpec::new(format!("r{i}"), format!("R{i}")).with_policy(PolicySpec::new(
                        d,
                        e,
                        [x],
                    )),
                )
                .unwrap();
        }
    }
    if r.wildcards.0 {
        m.rbac_mut()
            .create_role(RoleSpec::new("wq", "WQ").with_policy(PolicySpec::new(
                "routing",
                "queue",
                ["*"],
            )))
            .unwrap();
    }
    if r.wildcards.1 {
        m.rbac_mut()
            .create_role(RoleSpec::new("wv", "WV").with_policy(PolicySpec::new(
                "routing",
                "*",
                ["view"],
            )))
            .unwrap();
    }
    for u in 0..3 {
        for role in m.rbac().role_ids().map(str::to_owned).collect::<Vec<_>>() {
            m.rbac_mut()
                .grant_role(Subject::User(&format!("u{u}")), &role, None)
                .unwrap();
        }
    }
    for f in 0..3 {
        m.add_folder(&format!("f{f}"), None).unwrap();
    }
    let listed: Vec<String> = (0..3)
        .filter(|&f| r.profile_folders[f])
        .map(|f| format!("f{f}"))
        .collect();
    let library = if listed.is_empty() {
        LibraryAccess::all()
    } else {
        LibraryAccess::specific(listed)
    };
    m.create_profile(
        ProfileSpec::new("p", "P")
            .with_level(Domain::Calls, orgperm::Level::Own)
            .with_library(library),
    )
    .unwrap();
    m.assign_profile("u1", "p").unwrap();
    let in_folders: Vec<String> = (0..3)
        .filter(|&f| r.call_folders[f])
        .map(|f| format!("f{f}"))
        .collect();
    m.calls_mut()
        .add_call(CallSpec::new("c", "u0").in_folders(in_folders))
        .unwrap();
    for t in 0..3 {
        m.teams_mut().add_team(&format!("t{t}"), None).unwrap();
        m.teams_mut()
            .add_team_member(&format!("t{t}"), &format!("u{t}"))
            .unwrap();
    }
    let entries = (0..3)
        .filter(|&t| r.team_entries[t])
        .map(|t| AccessEntry::team(format!("t{t}"), R));
    m.items_mut()
        .add_item(ItemSpec::session("s").with_access(AccessSpec::new(entries)))
        .unwrap();
    m
}

/// One removal, by kind and index.
#[derive(Clone, Copy, Debug)]
enum Removal {
    Network(usize),
    NetworkPermission(usize, usize),
    Permission(usize),
    Folder(usize),
    Team(usize),
}

fn removal() -> impl Strategy<Value = Removal> {
    prop_oneof![
        (0usize..3).prop_map(Removal::Network),
        (0usize..3, 0usize..2).prop_map(|(n, p)| Removal::NetworkPermission(n, p)),
        (0usize..4).prop_map(Removal::Permission),
        (0usize..3).prop_map(Removal::Folder),
        (0usize..3).prop_map(Removal::Team),
    ]
}

/// Whether the removal must be refused, decided the obvious way from the definition and
/// what was removed before.
fn named(r: &Refs, removed: &BTreeMap<String, ()>, x: Removal) -> bool {
    match x {
        Removal::Network(n) => !r.entitled[n].is_empty() || r.contacts[n],
        Removal::NetworkPermission(n, p) => r.entitled[n].iter().any(|(_, held)| held[p]),
        Removal::Permission(i) => {
            let gone = |j: usize| removed.contains_key(&format!("perm {j}"));
            let live_of = |js: &[usize]| js.iter().filter(|&&j| !gone(j)).count();
            r.explicit[i]
                // routing:queue:* needs one of queue:view, queue:edit.
                || (r.wildcards.0 && (i == 0 || i == 1) && live_of(&[0, 1]) == 1)
                // routing:*:view needs one of queue:view, skill:view.
                || (r.wildcards.1 && (i == 0 || i == 2) && live_of(&[0, 2]) == 1)
        }
        Removal::Folder(f) => r.profile_folders[f] || r.call_folders[f],
        Removal::Team(t) => r.team_entries[t],
    }
}

proptest! {
    #![proptest_config(crate::common::config(64))]

    /// A removal succeeds exactly when nothing names the object; a refused one changes
    /// nothing; after each, the document round trip exports the same, and the engine's
    /// snapshot (recompiling only the families the operation wrote) answers as a fresh
    /// compile of the exported document.
    #[test]
    fn removals_are_refused_exactly_while_named_and_keep_the_invariants(
        r in refs(),
        xs in proptest::collection::vec(removal(), 1..8),
    ) {
        let engine = Engine::new(refs_model(&r));
        let mut removed: BTreeMap<String, ()> = BTreeMap::new();
        for x in xs {
            let key = match x {
                Removal::Network(n) => format!("net {n}"),
                Removal::NetworkPermission(n, p) => format!("netperm {n} {p}"),
                Removal::Permission(i) => format!("perm {i}"),
                Removal::Folder(f) => format!("folder {f}"),
                Removal::Team(t) => format!("team {t}"),
            };
            let op = match x {
                Removal::Network(n) => format!(r#"{{"op": "removeNetwork", "id": "n{n}"}}"#),
                Removal::NetworkPermission(n, p) => format!(
                    r#"{{"op": "removeNetworkPermission", "networkId": "n{n}", "name": "{}"}}"#,
                    NET_PERMS[p]
                ),
                Removal::Permission(i) => format!(r#"{{"op": "removePermission", "permission": "{}"}}"#, ATOMS[i]),
                Removal::Folder(f) => format!(r#"{{"op": "removeFolder", "id": "f{f}"}}"#),
                Removal::Team(t) => format!(r#"{{"op": "removeTeam", "id": "t{t}"}}"#),
            };
            // A network's permissions go with it.
            let gone = removed.contains_key(&key)
                || matches!(x, Removal::NetworkPermission(n, _) if removed.contains_key(&format!("net {n}")));
            let digest = engine.model().digest();
            let result = apply(&engine, &format!("[{op}]"));
            if gone {
                let e = result.unwrap_err();
                prop_assert!(e.kind().code().starts_with("unknown_"), "{}", e);
            } else if named(&r, &removed, x) {
                let e = result.unwrap_err();
                prop_assert_eq!(e.kind().code().ends_with("_in_use"), true, "{}", e);
            } else {
                prop_assert!(result.is_ok(), "{:?}: {:?}", x, result);
                removed.insert(key.clone(), ());
            }
            if !removed.contains_key(&key) {
                prop_assert_eq!(engine.model().digest(), digest);
            }
            let model = engine.model();
            let json = model.to_json();
            let again = Model::from_json(&json).unwrap();
            prop_assert_eq!(again.to_json(), json.clone());
            let (live, fresh) = (engine.snapshot(), again.compile());
            prop_assert_eq!(answers(&live), answers(&fresh));
        }
    }

    /// The new operations mixed with every other one keep the engine's incremental snapshot
    /// equal to a fresh compile, and a refused change set changes nothing.
    #[test]
    fn new_operations_commit_incrementally(
        sets in proptest::collection::vec(proptest::collection::vec(
            prop_oneof![2 => crate::engine::op(), 1 => new_op()], 1..4), 1..6)
    ) {
        let engine = Engine::new(crate::engine::base());
        for ops in sets {
            let mut changes = ChangeSet::new();
            changes.ops = ops;
            let doc = engine.model().to_json();
            if let Err(e) = engine.apply(&changes) {
                prop_assert!(e.path().starts_with("ops["), "{}", e);
                prop_assert_eq!(engine.model().to_json(), doc);
            }
            let live = engine.snapshot();
            let fresh = engine.model().compile();
            prop_assert_eq!(crate::engine::answers(&live), crate::engine::answers(&fresh));
        }
    }
}

/// The new operations on the engine tests' base model (team t1 and role r1 named by the
/// session's list; the network WHATSAPP with `send`; the permission `routing:queue:view`).
fn new_op() -> impl Strategy<Value = orgperm::Op> {
    use orgperm::Op;
    prop_oneof![
        prop_oneof![Just("t0"), Just("t1")].prop_map(|t| Op::RemoveTeam { id: t.into() }),
        Just(Op::RemoveNetwork {
            id: "WHATSAPP".into()
        }),
        Just(Op::RemoveNetworkPermission {
            network_id: "WHATSAPP".into(),
            name: "send".into()
        }),
        Just(Op::RemovePermission {
            permission: "routing:queue:view".into()
        }),
        Just(Op::RemoveEntitlement {
            advisor_id: "u1".into(),
            network_id: "WHATSAPP".into()
        }),
    ]
}

/// The removal test's answers: networks, roles, folders, teams and the session, by
/// external id.
fn answers(snap: &orgperm::Snapshot) -> Vec<String> {
    let mut out = Vec::new();
    for u in (0..3).map(|u| format!("u{u}")) {
        let u = u.as_str();
        for n in (0..3).map(|n| format!("n{n}")) {
            for p in NET_PERMS {
                out.push(format!(
                    "{u} {n} {p} {}",
                    snap.networks().has_permission(u, n.as_str(), p)
                ));
            }
        }
        for a in ATOMS {
            out.push(format!("{u} {a} {}", snap.rbac().has_permission(u, a)));
        }
        for f in (0..3).map(|f| format!("f{f}")) {
            out.push(format!(
                "{u} {f} {}",
                snap.profiles().can_access_folder(u, f.as_str())
            ));
        }
        for t in (0..3).map(|t| format!("t{t}")) {
            out.push(format!(
                "{u} {t} {}",
                snap.teams().is_member(u, t.as_str(), true)
            ));
        }
        out.push(format!("{u} s {:?}", snap.items().actions(u, "s")));
        out.push(format!("{u} c {}", snap.calls().can_open(u, "c")));
    }
    for n in (0..3).map(|n| format!("n{n}")) {
        out.push(format!(
            "{n} {}",
            snap.networks().network_id(n.as_str()).is_some()
        ));
    }
    for f in (0..3).map(|f| format!("f{f}")) {
        out.push(format!("{f} {}", snap.folder_id(f.as_str()).is_some()));
    }
    out
}
