//! The user lifecycle and identity rules (SEMANTICS.md §5): removing a user erases them from
//! every relation, a re-added id answers as a brand-new user, the objects a removed user
//! touched stay and round-trip, no scope reaches a removed user's data, and ids of different
//! kinds never collide. One test per rule, then a proptest over random edit sequences.

use orgperm::{
    AccessEntry, AccessSpec, ActionSpec, CallSpec, Domain, ErrorKind, GlobalPermissionSpec,
    ItemSpec, ItemType, ItemVerbs, Level, LibraryAccess, Model, PermissionSpec, PolicySpec,
    Principal, ProfileSpec, Reason, RoleSpec, Subject,
};

const RUCD: ItemVerbs = ItemVerbs::from_bits(0b0_1111);

/// boss with reports ada and bob, and cy (a root); workspace default with folder `wins`;
/// profiles `none` (every level none) and `all` (callsAccess all, library all).
fn world() -> Model {
    let mut m = Model::new();
    m.add_user("boss", None).unwrap();
    m.add_user("ada", Some("boss")).unwrap();
    m.add_user("bob", Some("boss")).unwrap();
    m.add_user("cy", None).unwrap();
    m.add_folder("wins", None).unwrap();
    m.create_profile(ProfileSpec::new("none", "Nothing"))
        .unwrap();
    m.create_profile(
        ProfileSpec::new("all", "Everything")
            .with_level(Domain::Calls, Level::All)
            .with_library(LibraryAccess::all()),
    )
    .unwrap();
    m
}

/// Removes `user` and adds the id again under the same manager.
fn recycle(m: &mut Model, user: &str) {
    let manager = m.manager_of(user).map(str::to_owned);
    m.remove_user(user).unwrap();
    m.add_user(user, manager.as_deref()).unwrap();
}

/// Export, import, export again: the documents are byte-identical.
fn round_trip(m: &Model) -> Model {
    let json = m.to_json();
    let again = Model::from_json(&json).unwrap();
    assert_eq!(again.to_json(), json, "re-export is byte-identical");
    again
}

#[test]
fn re_added_user_keeps_no_call_ownership_participation_shares_or_grants() {
    let mut m = world();
    m.add_call(CallSpec::new("owned", "ada")).unwrap();
    m.add_call(CallSpec::new("joined", "bob").with_participants(["ada"]))
        .unwrap();
    m.add_call(
        CallSpec::new("shared", "bob")
            .shared_with(["ada"])
            .private(true),
    )
    .unwrap();
    m.add_call(CallSpec::new("granted", "cy").granted_to(["ada"]))
        .unwrap();
    m.assign_profile("ada", "none").unwrap();
    let before = m.compile();
    for c in ["owned", "joined", "shared", "granted"] {
        assert!(before.can_open_call("ada", c), "{c} before removal");
    }

    recycle(&mut m, "ada");
    m.assign_profile("ada", "none").unwrap();
    let s = m.compile();
    for c in ["owned", "joined", "shared", "granted"] {
        assert!(!s.can_open_call("ada", c), "{c} after re-adding");
    }
    assert!(s.visible_calls("ada").is_empty());
    let owned = m.call("owned").unwrap();
    assert_eq!(owned.owner, None);
    assert_eq!(s.call_info("owned").unwrap().owner, None);
    assert!(m.call("joined").unwrap().participants.is_empty());
    assert!(m.call("shared").unwrap().shared_with.is_empty());
    assert!(m.call_grants("granted").unwrap().is_empty());
}

#[test]
fn re_added_user_keeps_no_network_entitlements_or_permissions() {
    let mut m = world();
    m.add_network("SMS").unwrap();
    m.add_network_permission("SMS", "send:message", true)
        .unwrap();
    m.add_network_permission("SMS", "create:room", false)
        .unwrap();
    m.entitle_advisor("ada", "SMS").unwrap();
    m.grant_network_permission("ada", "SMS", "create:room")
        .unwrap();

    recycle(&mut m, "ada");
    let s = m.compile();
    assert!(!m.is_entitled("ada", "SMS"));
    assert!(!s.is_entitled("ada", "SMS"));
    assert!(!s.has_network_permission("ada", "SMS", "create:room"));
    assert!(s.network_permissions_of("ada", "SMS").is_empty());
    // Entitling again gives the defaults only, as for anybody.
    m.entitle_advisor("ada", "SMS").unwrap();
    assert_eq!(
        m.network_permissions_of("ada", "SMS").unwrap(),
        ["send:message"]
    );
}

#[test]
fn re_added_user_keeps_no_team_memberships() {
    let mut m = world();
    m.add_team("sales", None).unwrap();
    m.add_team("emea", Some("sales")).unwrap();
    m.add_team_member("emea", "ada").unwrap();
    m.add_team_member("emea", "bob").unwrap();

    recycle(&mut m, "ada");
    assert_eq!(m.team_members("emea").unwrap(), ["bob"]);
    let s = m.compile();
    assert!(s.teams_of("ada").is_empty());
    assert!(!s.is_team_member("ada", "emea", false));
    assert!(!s.is_team_member("ada", "sales", true));
    assert!(s.is_team_member("bob", "sales", true));
}

/// Sessions and goals gated by the role `member`, held by ada and a brand-new `newbie`.
fn items_world() -> Model {
    let mut m = world();
    m.add_user("newbie", None).unwrap();
    m.add_division("home", "Home").unwrap();
    m.create_role(RoleSpec::new("member", "Member")).unwrap();
    let mut specs = Vec::new();
    for t in ["sessions", "goals"] {
        specs.push(ActionSpec::new(format!("access-{t}"), "Access"));
        specs.push(
            ActionSpec::new(format!("manage-{t}"), "Manage").requiring(format!("access-{t}")),
        );
    }
    m.add_actions(specs).unwrap();
    for t in ["sessions", "goals"] {
        m.create_global_permission(GlobalPermissionSpec::new(
            format!("gp-{t}"),
            format!("manage-{t}"),
            [Principal::role("member")],
        ))
        .unwrap();
    }
    for u in ["ada", "newbie"] {
        m.grant_role(Subject::User(u), "member", None).unwrap();
    }
    m
}

#[test]
fn re_added_user_owns_created_and_is_named_on_no_item() {
    let mut m = items_world();
    m.add_action(ActionSpec::new("export", "Export")).unwrap();
    m.create_global_permission(GlobalPermissionSpec::new(
        "gp-ada",
        "export",
        [Principal::user("ada")],
    ))
    .unwrap();
    // Owned, created (no access configured: the creator may modify permissions), and named
    // in an access list, a per-item default and a per-type default.
    m.add_item(
        ItemSpec::session("owned")
            .owned_by(["ada"])
            .with_access(AccessSpec::new([])),
    )
    .unwrap();
    m.add_item(ItemSpec::session("created").created_by("ada"))
        .unwrap();
    m.add_item(
        ItemSpec::session("listed")
            .with_access(AccessSpec::new([AccessEntry::user("ada", ItemVerbs::ALL)])),
    )
    .unwrap();
    m.add_item(
        ItemSpec::session("defaulted")
            .with_default_access([AccessEntry::user("ada", ItemVerbs::ALL)]),
    )
    .unwrap();
    m.set_default_access(
        ItemType::Goal,
        Some(vec![AccessEntry::user("ada", ItemVerbs::ALL)]),
    )
    .unwrap();
    m.add_item(ItemSpec::goal("goal", "owned")).unwrap();
    let before = m.compile();
    assert!(before.has_action("ada", "export"));
    assert_eq!(before.item_actions("ada", "created"), ItemVerbs::ALL);
    assert_eq!(before.item_actions("ada", "listed"), ItemVerbs::ALL);

    recycle(&mut m, "ada");
    m.grant_role(Subject::User("ada"), "member", None).unwrap();
    let s = m.compile();
    for item in ["owned", "created", "listed", "defaulted", "goal"] {
        assert_eq!(
            s.item_actions("ada", item),
            s.item_actions("newbie", item),
            "{item}: a recycled id answers as a brand-new user"
        );
    }
    assert_eq!(s.item_actions("ada", "created"), RUCD);
    assert_eq!(s.item_actions("ada", "listed"), ItemVerbs::EMPTY);
    assert!(!s.has_action("ada", "export"));
    assert!(m.global_permission("gp-ada").unwrap().principals.is_empty());
    assert!(m.item("owned").unwrap().owners.is_empty());
    assert_eq!(m.item("created").unwrap().creator, None);
    assert!(m
        .item("listed")
        .unwrap()
        .access
        .unwrap()
        .permissions
        .is_empty());
    assert_eq!(m.item("defaulted").unwrap().default_access, Some(vec![]));
    assert_eq!(m.default_access(ItemType::Goal), Some(vec![]));
}

#[test]
fn re_added_user_has_no_profile_roles_or_groups() {
    let mut m = items_world();
    m.add_permission(PermissionSpec::new("routing:queue:view", "View queues"))
        .unwrap();
    m.create_role(
        RoleSpec::new("agents", "Agents").with_policy(PolicySpec::new(
            "routing",
            "queue",
            ["view"],
        )),
    )
    .unwrap();
    m.add_group("g", "Group").unwrap();
    m.add_group_members("g", &["ada"]).unwrap();
    m.grant_role(Subject::Group("g"), "agents", None).unwrap();
    m.assign_profile("ada", "all").unwrap();
    assert!(m.compile().has_permission("ada", "routing:queue:view"));

    recycle(&mut m, "ada");
    let s = m.compile();
    assert_eq!(m.profile_of("ada", None), None);
    assert!(!s.has_permission("ada", "routing:queue:view"));
    assert_eq!(s.user_roles("ada"), s.user_roles("cy"));
    assert_eq!(m.group_members("g").unwrap(), Vec::<&str>::new());
}

#[test]
fn calls_of_a_removed_owner_stay_and_round_trip() {
    let mut m = world();
    m.assign_profile("boss", "all").unwrap();
    m.assign_profile("bob", "none").unwrap();
    m.assign_profile("cy", "none").unwrap();
    m.add_call(
        CallSpec::new("c1", "ada")
            .with_participants(["bob"])
            .shared_with(["cy"])
            .started_at(7),
    )
    .unwrap();
    m.add_call(CallSpec::new("alone", "ada").in_folders(["wins"]))
        .unwrap();
    m.remove_user("ada").unwrap();
    let json = m.to_json();
    assert!(
        json.contains("\"c1\"") && json.contains("\"alone\""),
        "{json}"
    );
    assert!(
        !json.contains("\"ada\""),
        "the removed owner is not named: {json}"
    );
    let again = round_trip(&m);
    let spec = again.call("c1").unwrap();
    assert_eq!(
        (spec.owner, spec.participants, spec.shared_with),
        (None, vec!["bob".into()], vec!["cy".into()])
    );
    let (s1, s2) = (m.compile(), again.compile());
    for v in ["boss", "ada", "bob", "cy"] {
        for c in ["c1", "alone"] {
            assert_eq!(s1.can_open_call(v, c), s2.can_open_call(v, c), "{v} {c}");
            assert_eq!(s1.can_list_call(v, c), s2.can_list_call(v, c), "{v} {c}");
        }
    }
    assert!(s2.can_open_call("bob", "c1"));
    assert!(s2.can_open_call("cy", "c1"));
    assert!(s2.can_open_call("boss", "alone"), "through the folder");
    assert_eq!(s2.call_info("c1").unwrap().owner, None);
    assert_eq!(s2.call_info("c1").unwrap().started, 7);
}

#[test]
fn no_scope_reaches_a_call_whose_only_participant_was_removed() {
    let mut m = world();
    m.add_user("viewer", None).unwrap();
    m.create_profile(
        ProfileSpec::new("all-calls", "All calls, no library")
            .with_level(Domain::Calls, Level::All),
    )
    .unwrap();
    m.assign_profile("viewer", "all-calls").unwrap();
    m.add_call(CallSpec::new("gone", "ada")).unwrap();
    m.add_call(CallSpec::new("shared", "ada").shared_with(["viewer"]))
        .unwrap();
    m.add_call(CallSpec::new("granted", "ada").granted_to(["viewer"]))
        .unwrap();
    m.add_call(CallSpec::new("foldered", "ada").in_folders(["wins"]))
        .unwrap();
    m.add_call(CallSpec::new("with-bob", "ada").with_participants(["bob"]))
        .unwrap();
    m.remove_user("ada").unwrap();
    let s = m.compile();
    assert!(!s.can_access("viewer", Domain::Calls, "ada"));
    assert!(!s.can_open_call("viewer", "gone"));
    assert_eq!(
        s.explain_call("viewer", "gone").reason,
        Reason::CallOutOfReach {
            call: "gone".into(),
            profile: "all-calls".into(),
            level: Level::All,
        }
    );
    assert!(s.can_open_call("viewer", "shared"));
    assert!(s.can_open_call("viewer", "granted"));
    assert!(!s.can_open_call("viewer", "foldered"), "no library access");
    assert!(
        s.can_open_call("viewer", "with-bob"),
        "level all reaches bob"
    );
    let seen: Vec<&str> = s.visible_calls("viewer").external_ids().collect();
    assert_eq!(seen, ["shared", "granted", "with-bob"]);
    // A folder opens it for a viewer with library access.
    m.assign_profile("viewer", "all").unwrap();
    let s = m.compile();
    assert!(!s.can_open_call("viewer", "gone"));
    assert!(s.can_open_call("viewer", "foldered"));
    assert!(matches!(
        s.explain_call("viewer", "foldered").reason,
        Reason::CallInFolder { .. }
    ));
}

#[test]
fn a_user_and_a_role_sharing_an_id_are_distinct_principals() {
    let mut m = Model::new();
    m.add_division("home", "Home").unwrap();
    m.add_user("u5", None).unwrap();
    m.add_user("holder", None).unwrap();
    m.create_role(RoleSpec::new("u5", "A role named like a user"))
        .unwrap();
    m.grant_role(Subject::User("holder"), "u5", None).unwrap();
    m.add_action(ActionSpec::new("a1", "One")).unwrap();
    m.add_action(ActionSpec::new("a2", "Two")).unwrap();
    m.create_global_permission(GlobalPermissionSpec::new(
        "p1",
        "a1",
        [Principal::user("u5")],
    ))
    .unwrap();
    m.create_global_permission(GlobalPermissionSpec::new(
        "p2",
        "a2",
        [Principal::role("u5"), Principal::user("u5")],
    ))
    .unwrap();
    assert_eq!(
        m.global_permission("p2").unwrap().principals,
        [Principal::user("u5"), Principal::role("u5")]
    );
    // A bare id naming both is refused; naming one is resolved.
    let err = m
        .create_global_permission(GlobalPermissionSpec::new("p3", "a1", ["u5"]))
        .unwrap_err();
    assert_eq!(err.path(), "principals[0]");
    assert_eq!(
        err.kind(),
        &ErrorKind::AmbiguousPrincipal { id: "u5".into() }
    );
    assert_eq!(
        m.resolve_principal("holder").unwrap(),
        Principal::user("holder")
    );

    // The document records the kind and round-trips.
    let json = m.to_json();
    let doc: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(
        doc["globalPermissions"][1]["principals"],
        serde_json::json!([{"kind": "user", "id": "u5"}, {"kind": "role", "id": "u5"}])
    );
    let again = round_trip(&m);
    for model in [&m, &again] {
        let s = model.compile();
        assert!(s.has_action("u5", "a1") && s.has_action("u5", "a2"));
        assert_eq!(
            s.effective_actions(Principal::user("u5")),
            s.user_actions("u5")
        );
        assert_eq!(s.effective_actions(Principal::user("u5")), ["a1", "a2"]);
        assert_eq!(s.effective_actions(Principal::role("u5")), ["a2"]);
        assert_eq!(s.user_actions("holder"), ["a2"]);
        assert!(
            s.effective_actions("u5").is_empty(),
            "a bare ambiguous id has none"
        );
    }

    // Revoking takes the kind; the other principal keeps its binding.
    assert_eq!(
        m.revoke_action(Principal::role("u5"), "a2").unwrap(),
        ["a2"]
    );
    let s = m.compile();
    assert!(s.has_action("u5", "a2"));
    assert!(!s.has_action("holder", "a2"));
    let err = m.revoke_action("u5", "a1").unwrap_err();
    assert_eq!(
        err.kind(),
        &ErrorKind::AmbiguousPrincipal { id: "u5".into() }
    );
    let err = m.revoke_action(Principal::role("ghost"), "a1").unwrap_err();
    assert_eq!(err.kind(), &ErrorKind::UnknownRole { id: "ghost".into() });
}

#[test]
fn item_entries_for_a_user_and_a_role_sharing_an_id_do_not_collide() {
    let mut m = items_world();
    m.add_user("x", None).unwrap();
    m.create_role(RoleSpec::new("x", "Role x")).unwrap();
    m.grant_role(Subject::User("x"), "member", None).unwrap();
    m.grant_role(Subject::User("newbie"), "x", None).unwrap();
    m.add_item(ItemSpec::session("q").with_access(AccessSpec::new([
        AccessEntry::user("x", ItemVerbs::READ),
        AccessEntry::role("x", ItemVerbs::UPDATE),
    ])))
    .unwrap();
    let again = round_trip(&m);
    for model in [&m, &again] {
        let s = model.compile();
        assert_eq!(s.item_actions("x", "q"), ItemVerbs::READ);
        assert_eq!(s.item_actions("newbie", "q"), ItemVerbs::UPDATE);
        let kinds: Vec<_> = model
            .item("q")
            .unwrap()
            .access
            .unwrap()
            .permissions
            .iter()
            .map(|e| (e.kind, e.principal_id.clone()))
            .collect();
        assert_eq!(
            kinds,
            [
                (orgperm::PrincipalKind::User, "x".into()),
                (orgperm::PrincipalKind::Role, "x".into())
            ]
        );
    }
    // Removing the user leaves the role's entry alone.
    m.remove_user("x").unwrap();
    let s = m.compile();
    assert_eq!(s.item_actions("newbie", "q"), ItemVerbs::UPDATE);
    let entries = m.item("q").unwrap().access.unwrap().permissions;
    assert_eq!(entries, [AccessEntry::role("x", ItemVerbs::UPDATE)]);
}

#[test]
fn removal_is_still_refused_for_managers_and_team_leads() {
    let mut m = world();
    let err = m.remove_user("boss").unwrap_err();
    assert_eq!(
        err.kind(),
        &ErrorKind::HasReports {
            id: "boss".into(),
            reports: 2
        }
    );
    m.create_profile(ProfileSpec::new("led", "Led").with_leads(
        Domain::Deals,
        Level::ManagersTeam,
        ["cy"],
    ))
    .unwrap();
    let err = m.remove_user("cy").unwrap_err();
    assert_eq!(
        err.kind(),
        &ErrorKind::UserIsTeamLead {
            id: "cy".into(),
            profile: "led".into(),
            field: "dealsAccess.teamLeadIds".into(),
        }
    );
    assert!(
        m.user_id("cy").is_some(),
        "a refused removal changes nothing"
    );
}
