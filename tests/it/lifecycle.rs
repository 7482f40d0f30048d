//! The user lifecycle and identity rules (docs/semantics.md §5): removing a user erases them from
//! every relation, a re-added id answers as a brand-new user, the objects a removed user
//! touched stay and round-trip, no scope reaches a removed user's data, and ids of different
//! kinds never collide. One test per rule, then a proptest over random edit sequences.

use orgperm::{
    AccessEntry, AccessSpec, ActionSpec, CallSpec, Domain, ErrorKind, GlobalPermissionSpec,
    ItemSpec, ItemType, ItemVerbs, Level, LibraryAccess, Model, OrgErrorKind, PermissionSpec,
    PolicySpec, Principal, ProfileErrorKind, ProfileSpec, RbacErrorKind, RoleSpec, Subject,
};
use orgperm::{CallReason, RbacReason};

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
    m.calls_mut()
        .add_call(CallSpec::new("owned", "ada"))
        .unwrap();
    m.calls_mut()
        .add_call(CallSpec::new("joined", "bob").with_participants(["ada"]))
        .unwrap();
    m.calls_mut()
        .add_call(
            CallSpec::new("shared", "bob")
                .shared_with(["ada"])
                .private(true),
        )
        .unwrap();
    m.calls_mut()
        .add_call(CallSpec::new("granted", "cy").granted_to(["ada"]))
        .unwrap();
    m.assign_profile("ada", "none").unwrap();
    let before = m.compile();
    for c in ["owned", "joined", "shared", "granted"] {
        assert!(before.calls().can_open("ada", c), "{c} before removal");
    }

    recycle(&mut m, "ada");
    m.assign_profile("ada", "none").unwrap();
    let s = m.compile();
    for c in ["owned", "joined", "shared", "granted"] {
        assert!(!s.calls().can_open("ada", c), "{c} after re-adding");
    }
    assert!(s.calls().visible("ada").is_empty());
    let owned = m.calls().call("owned").unwrap();
    assert_eq!(owned.owner, None);
    assert_eq!(s.calls().info("owned").unwrap().owner, None);
    assert!(m.calls().call("joined").unwrap().participants.is_empty());
    assert!(m.calls().call("shared").unwrap().shared_with.is_empty());
    assert!(m.calls().call_grants("granted").unwrap().is_empty());
}

#[test]
fn re_added_user_keeps_no_network_entitlements_or_permissions() {
    let mut m = world();
    m.networks_mut().add_network("SMS").unwrap();
    m.networks_mut()
        .add_network_permission("SMS", "send:message", true)
        .unwrap();
    m.networks_mut()
        .add_network_permission("SMS", "create:room", false)
        .unwrap();
    m.networks_mut().entitle_advisor("ada", "SMS").unwrap();
    m.networks_mut()
        .grant_network_permission("ada", "SMS", "create:room")
        .unwrap();

    recycle(&mut m, "ada");
    let s = m.compile();
    assert!(!m.networks().is_entitled("ada", "SMS"));
    assert!(!s.networks().is_entitled("ada", "SMS"));
    assert!(!s.networks().has_permission("ada", "SMS", "create:room"));
    assert!(s.networks().permissions_of("ada", "SMS").is_empty());
    // Entitling again gives the defaults only, as for anybody.
    m.networks_mut().entitle_advisor("ada", "SMS").unwrap();
    assert_eq!(
        m.networks().network_permissions_of("ada", "SMS").unwrap(),
        ["send:message"]
    );
}

#[test]
fn re_added_user_keeps_no_team_memberships() {
    let mut m = world();
    m.teams_mut().add_team("sales", None).unwrap();
    m.teams_mut().add_team("emea", Some("sales")).unwrap();
    m.teams_mut().add_team_member("emea", "ada").unwrap();
    m.teams_mut().add_team_member("emea", "bob").unwrap();

    recycle(&mut m, "ada");
    assert_eq!(m.teams().team_members("emea").unwrap(), ["bob"]);
    let s = m.compile();
    assert!(s.teams().of_user("ada").is_empty());
    assert!(!s.teams().is_member("ada", "emea", false));
    assert!(!s.teams().is_member("ada", "sales", true));
    assert!(s.teams().is_member("bob", "sales", true));
}

/// Sessions and goals gated by the role `member`, held by ada and a brand-new `newbie`.
fn items_world() -> Model {
    let mut m = world();
    m.add_user("newbie", None).unwrap();
    m.rbac_mut().add_division("home", "Home").unwrap();
    m.rbac_mut()
        .create_role(RoleSpec::new("member", "Member"))
        .unwrap();
    let mut specs = Vec::new();
    for t in ["sessions", "goals"] {
        specs.push(ActionSpec::new(format!("access-{t}"), "Access"));
        specs.push(
            ActionSpec::new(format!("manage-{t}"), "Manage").requiring(format!("access-{t}")),
        );
    }
    m.rbac_mut().add_actions(specs).unwrap();
    for t in ["sessions", "goals"] {
        m.rbac_mut()
            .create_global_permission(GlobalPermissionSpec::new(
                format!("gp-{t}"),
                format!("manage-{t}"),
                [Principal::role("member")],
            ))
            .unwrap();
    }
    for u in ["ada", "newbie"] {
        m.rbac_mut()
            .grant_role(Subject::User(u), "member", None)
            .unwrap();
    }
    m
}

#[test]
fn re_added_user_owns_created_and_is_named_on_no_item() {
    let mut m = items_world();
    m.rbac_mut()
        .add_action(ActionSpec::new("export", "Export"))
        .unwrap();
    m.rbac_mut()
        .create_global_permission(GlobalPermissionSpec::new(
            "gp-ada",
            "export",
            [Principal::user("ada")],
        ))
        .unwrap();
    // Owned, created (no access configured: the creator may modify permissions), and named
    // in an access list, a per-item default and a per-type default.
    m.items_mut()
        .add_item(
            ItemSpec::session("owned")
                .owned_by(["ada"])
                .with_access(AccessSpec::new([])),
        )
        .unwrap();
    m.items_mut()
        .add_item(ItemSpec::session("created").created_by("ada"))
        .unwrap();
    m.items_mut()
        .add_item(
            ItemSpec::session("listed")
                .with_access(AccessSpec::new([AccessEntry::user("ada", ItemVerbs::ALL)])),
        )
        .unwrap();
    m.items_mut()
        .add_item(
            ItemSpec::session("defaulted")
                .with_default_access([AccessEntry::user("ada", ItemVerbs::ALL)]),
        )
        .unwrap();
    m.items_mut()
        .set_default_access(
            ItemType::Goal,
            Some(vec![AccessEntry::user("ada", ItemVerbs::ALL)]),
        )
        .unwrap();
    m.items_mut()
        .add_item(ItemSpec::goal("goal", "owned"))
        .unwrap();
    let before = m.compile();
    assert!(before.rbac().has_action("ada", "export"));
    assert_eq!(before.items().actions("ada", "created"), ItemVerbs::ALL);
    assert_eq!(before.items().actions("ada", "listed"), ItemVerbs::ALL);

    recycle(&mut m, "ada");
    m.rbac_mut()
        .grant_role(Subject::User("ada"), "member", None)
        .unwrap();
    let s = m.compile();
    for item in ["owned", "created", "listed", "defaulted", "goal"] {
        assert_eq!(
            s.items().actions("ada", item),
            s.items().actions("newbie", item),
            "{item}: a recycled id answers as a brand-new user"
        );
    }
    assert_eq!(s.items().actions("ada", "created"), RUCD);
    assert_eq!(s.items().actions("ada", "listed"), ItemVerbs::EMPTY);
    assert!(!s.rbac().has_action("ada", "export"));
    assert!(
        m.rbac()
            .global_permission("gp-ada")
            .unwrap()
            .principals
            .is_empty()
    );
    assert!(m.items().item("owned").unwrap().owners.is_empty());
    assert_eq!(m.items().item("created").unwrap().creator, None);
    assert!(
        m.items()
            .item("listed")
            .unwrap()
            .access
            .unwrap()
            .permissions
            .is_empty()
    );
    assert_eq!(
        m.items().item("defaulted").unwrap().default_access,
        Some(vec![])
    );
    assert_eq!(m.items().default_access(ItemType::Goal), Some(vec![]));
}

#[test]
fn re_added_user_has_no_profile_roles_or_groups() {
    let mut m = items_world();
    m.rbac_mut()
        .add_permission(PermissionSpec::new("routing:queue:view", "View queues"))
        .unwrap();
    m.rbac_mut()
        .create_role(
            RoleSpec::new("agents", "Agents").with_policy(PolicySpec::new(
                "routing",
                "queue",
                ["view"],
            )),
        )
        .unwrap();
    m.rbac_mut().add_group("g", "Group").unwrap();
    m.rbac_mut().add_group_members("g", &["ada"]).unwrap();
    m.rbac_mut()
        .grant_role(Subject::Group("g"), "agents", None)
        .unwrap();
    m.assign_profile("ada", "all").unwrap();
    assert!(
        m.compile()
            .rbac()
            .has_permission("ada", "routing:queue:view")
    );

    recycle(&mut m, "ada");
    let s = m.compile();
    assert_eq!(m.profile_of("ada", None), None);
    assert!(!s.rbac().has_permission("ada", "routing:queue:view"));
    assert_eq!(s.rbac().user_roles("ada"), s.rbac().user_roles("cy"));
    assert_eq!(m.rbac().group_members("g").unwrap(), Vec::<&str>::new());
}

#[test]
fn calls_of_a_removed_owner_stay_and_round_trip() {
    let mut m = world();
    m.assign_profile("boss", "all").unwrap();
    m.assign_profile("bob", "none").unwrap();
    m.assign_profile("cy", "none").unwrap();
    m.calls_mut()
        .add_call(
            CallSpec::new("c1", "ada")
                .with_participants(["bob"])
                .shared_with(["cy"])
                .started_at(7),
        )
        .unwrap();
    m.calls_mut()
        .add_call(CallSpec::new("alone", "ada").in_folders(["wins"]))
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
    let spec = again.calls().call("c1").unwrap();
    assert_eq!(
        (spec.owner, spec.participants, spec.shared_with),
        (None, vec!["bob".into()], vec!["cy".into()])
    );
    let (s1, s2) = (m.compile(), again.compile());
    for v in ["boss", "ada", "bob", "cy"] {
        for c in ["c1", "alone"] {
            assert_eq!(
                s1.calls().can_open(v, c),
                s2.calls().can_open(v, c),
                "{v} {c}"
            );
            assert_eq!(
                s1.calls().can_list(v, c),
                s2.calls().can_list(v, c),
                "{v} {c}"
            );
        }
    }
    assert!(s2.calls().can_open("bob", "c1"));
    assert!(s2.calls().can_open("cy", "c1"));
    assert!(s2.calls().can_open("boss", "alone"), "through the folder");
    assert_eq!(s2.calls().info("c1").unwrap().owner, None);
    assert_eq!(s2.calls().info("c1").unwrap().started, 7);
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
    m.calls_mut()
        .add_call(CallSpec::new("gone", "ada"))
        .unwrap();
    m.calls_mut()
        .add_call(CallSpec::new("shared", "ada").shared_with(["viewer"]))
        .unwrap();
    m.calls_mut()
        .add_call(CallSpec::new("granted", "ada").granted_to(["viewer"]))
        .unwrap();
    m.calls_mut()
        .add_call(CallSpec::new("foldered", "ada").in_folders(["wins"]))
        .unwrap();
    m.calls_mut()
        .add_call(CallSpec::new("with-bob", "ada").with_participants(["bob"]))
        .unwrap();
    m.remove_user("ada").unwrap();
    let s = m.compile();
    assert!(!s.can_access("viewer", Domain::Calls, "ada"));
    assert!(!s.calls().can_open("viewer", "gone"));
    assert_eq!(
        s.calls().explain("viewer", "gone").reason,
        CallReason::CallOutOfReach {
            call: "gone".into(),
            profile: "all-calls".into(),
            level: Level::All,
        }
    );
    assert!(s.calls().can_open("viewer", "shared"));
    assert!(s.calls().can_open("viewer", "granted"));
    assert!(
        !s.calls().can_open("viewer", "foldered"),
        "no library access"
    );
    assert!(
        s.calls().can_open("viewer", "with-bob"),
        "level all reaches bob"
    );
    let seen: Vec<&str> = s.calls().visible("viewer").external_ids().collect();
    assert_eq!(seen, ["shared", "granted", "with-bob"]);
    // A folder opens it for a viewer with library access.
    m.assign_profile("viewer", "all").unwrap();
    let s = m.compile();
    assert!(!s.calls().can_open("viewer", "gone"));
    assert!(s.calls().can_open("viewer", "foldered"));
    assert!(matches!(
        s.calls().explain("viewer", "foldered").reason,
        CallReason::CallInFolder { .. }
    ));
}

#[test]
fn a_user_and_a_role_sharing_an_id_are_distinct_principals() {
    let mut m = Model::new();
    m.rbac_mut().add_division("home", "Home").unwrap();
    m.add_user("u5", None).unwrap();
    m.add_user("holder", None).unwrap();
    m.rbac_mut()
        .create_role(RoleSpec::new("u5", "A role named like a user"))
        .unwrap();
    m.rbac_mut()
        .grant_role(Subject::User("holder"), "u5", None)
        .unwrap();
    m.rbac_mut()
        .add_action(ActionSpec::new("a1", "One"))
        .unwrap();
    m.rbac_mut()
        .add_action(ActionSpec::new("a2", "Two"))
        .unwrap();
    m.rbac_mut()
        .create_global_permission(GlobalPermissionSpec::new(
            "p1",
            "a1",
            [Principal::user("u5")],
        ))
        .unwrap();
    m.rbac_mut()
        .create_global_permission(GlobalPermissionSpec::new(
            "p2",
            "a2",
            [Principal::role("u5"), Principal::user("u5")],
        ))
        .unwrap();
    assert_eq!(
        m.rbac().global_permission("p2").unwrap().principals,
        [Principal::user("u5"), Principal::role("u5")]
    );
    // A bare id naming both is refused; naming one is resolved.
    let err = m
        .rbac_mut()
        .create_global_permission(GlobalPermissionSpec::new("p3", "a1", ["u5"]))
        .unwrap_err();
    assert_eq!(err.path(), "principals[0]");
    assert_eq!(
        err.kind(),
        &RbacErrorKind::AmbiguousPrincipal { id: "u5".into() }
    );
    assert_eq!(
        m.rbac().resolve_principal("holder").unwrap(),
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
        assert!(s.rbac().has_action("u5", "a1") && s.rbac().has_action("u5", "a2"));
        assert_eq!(
            s.rbac().effective_actions(Principal::user("u5")),
            s.rbac().user_actions("u5")
        );
        assert_eq!(
            s.rbac().effective_actions(Principal::user("u5")),
            ["a1", "a2"]
        );
        assert_eq!(s.rbac().effective_actions(Principal::role("u5")), ["a2"]);
        assert_eq!(s.rbac().user_actions("holder"), ["a2"]);
        assert!(
            s.rbac().effective_actions("u5").is_empty(),
            "a bare ambiguous id has none"
        );
        assert_eq!(
            s.rbac().explain_action("holder", "a2").reason,
            RbacReason::ActionBound {
                action: "a2".into(),
                permission: "p2".into(),
                principal: Principal::role("u5"),
                via: None,
            }
        );
        assert_eq!(
            s.rbac().explain_action("u5", "a1").reason.to_string(),
            "global permission \"p1\" binds \"a1\" to user \"u5\""
        );
    }

    // Revoking takes the kind; the other principal keeps its binding.
    assert_eq!(
        m.rbac_mut()
            .revoke_action(Principal::role("u5"), "a2")
            .unwrap(),
        ["a2"]
    );
    let s = m.compile();
    assert!(s.rbac().has_action("u5", "a2"));
    assert!(!s.rbac().has_action("holder", "a2"));
    let err = m.rbac_mut().revoke_action("u5", "a1").unwrap_err();
    assert_eq!(
        err.kind(),
        &RbacErrorKind::AmbiguousPrincipal { id: "u5".into() }
    );
    let err = m
        .rbac_mut()
        .revoke_action(Principal::role("ghost"), "a1")
        .unwrap_err();
    assert_eq!(
        err.kind(),
        &RbacErrorKind::UnknownRole { id: "ghost".into() }
    );
}

#[test]
fn item_entries_for_a_user_and_a_role_sharing_an_id_do_not_collide() {
    let mut m = items_world();
    m.add_user("x", None).unwrap();
    m.rbac_mut()
        .create_role(RoleSpec::new("x", "Role x"))
        .unwrap();
    m.rbac_mut()
        .grant_role(Subject::User("x"), "member", None)
        .unwrap();
    m.rbac_mut()
        .grant_role(Subject::User("newbie"), "x", None)
        .unwrap();
    m.items_mut()
        .add_item(ItemSpec::session("q").with_access(AccessSpec::new([
            AccessEntry::user("x", ItemVerbs::READ),
            AccessEntry::role("x", ItemVerbs::UPDATE),
        ])))
        .unwrap();
    let again = round_trip(&m);
    for model in [&m, &again] {
        let s = model.compile();
        assert_eq!(s.items().actions("x", "q"), ItemVerbs::READ);
        assert_eq!(s.items().actions("newbie", "q"), ItemVerbs::UPDATE);
        let kinds: Vec<_> = model
            .items()
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
    assert_eq!(s.items().actions("newbie", "q"), ItemVerbs::UPDATE);
    let entries = m.items().item("q").unwrap().access.unwrap().permissions;
    assert_eq!(entries, [AccessEntry::role("x", ItemVerbs::UPDATE)]);
}

#[test]
fn removal_is_still_refused_for_managers_and_team_leads() {
    let mut m = world();
    let err = m.remove_user("boss").unwrap_err();
    assert_eq!(
        err.kind(),
        &ErrorKind::Org(OrgErrorKind::HasReports {
            id: "boss".into(),
            reports: 2
        })
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
        &ErrorKind::Profile(ProfileErrorKind::UserIsTeamLead {
            id: "cy".into(),
            profile: "led".into(),
            field: "dealsAccess.teamLeadIds".into(),
        })
    );
    assert!(
        m.user_id("cy").is_some(),
        "a refused removal changes nothing"
    );
}

// ---- proptest: a recycled id answers as a brand-new user; the document round-trips -------

mod random {
    use super::*;
    use proptest::prelude::*;

    /// Users below `boss` (who is never removed): a, b, c report to boss, d to a.
    const USERS: [&str; 5] = ["boss", "a", "b", "c", "d"];
    const MANAGER: [Option<&str>; 5] = [None, Some("boss"), Some("boss"), Some("boss"), Some("a")];
    const PROFILES: [&str; 5] = ["p-all", "p-rep", "p-mt", "p-own", "p-mgr"];
    /// Role `a` shares its id with user `a`.
    const ROLES: [&str; 2] = ["member", "a"];
    const ACTIONS: [&str; 5] = [
        "access-sessions",
        "manage-sessions",
        "access-goals",
        "manage-goals",
        "export",
    ];
    const CALLS: [&str; 4] = ["c0", "c1", "c2", "c3"];
    const ITEMS: [&str; 3] = ["q0", "q1", "g0"];
    const TEAMS: [&str; 2] = ["t0", "t1"];
    const NET_PERMS: [&str; 2] = ["send:message", "create:room"];

    #[derive(Clone, Debug)]
    pub enum Op {
        AddUser(usize),
        RemoveUser(usize),
        Assign(usize, usize),
        GrantRole(usize, usize),
        JoinGroup(usize),
        /// Global permission `gp{k}` of an action, principals `(is_user, index)`.
        Global(usize, usize, Vec<(bool, usize)>),
        TeamMember(usize, usize),
        AddCall {
            call: usize,
            owner: usize,
            parts: Vec<usize>,
            shared: Vec<usize>,
            grants: Vec<usize>,
            folder: bool,
            private: bool,
        },
        Share(usize, usize),
        GrantCall(usize, usize),
        Entitle(usize),
        GrantNet(usize, usize),
        Owners(usize, Vec<usize>),
        Creator(usize, Option<usize>),
        /// Entries `(kind: 0 user, 1 role, 2 team, 3 account; index; verb bits)`.
        Access(usize, Vec<(usize, usize, u8)>),
        TypeDefault(bool, Vec<(usize, usize, u8)>),
    }

    fn user() -> impl Strategy<Value = usize> {
        0..USERS.len()
    }

    fn users() -> impl Strategy<Value = Vec<usize>> {
        prop::collection::vec(user(), 0..3)
    }

    fn entries() -> impl Strategy<Value = Vec<(usize, usize, u8)>> {
        prop::collection::vec((0usize..4, 0usize..5, 0u8..32), 0..3)
    }

    pub fn op() -> impl Strategy<Value = Op> {
        prop_oneof![
            (1..USERS.len()).prop_map(Op::AddUser),
            (1..USERS.len()).prop_map(Op::RemoveUser),
            (user(), 0..PROFILES.len()).prop_map(|(u, p)| Op::Assign(u, p)),
            (user(), 0..ROLES.len()).prop_map(|(u, r)| Op::GrantRole(u, r)),
            user().prop_map(Op::JoinGroup),
            (
                0usize..3,
                0..ACTIONS.len(),
                prop::collection::vec((any::<bool>(), 0usize..5), 0..3)
            )
                .prop_map(|(k, a, p)| Op::Global(k, a, p)),
            (0..TEAMS.len(), user()).prop_map(|(t, u)| Op::TeamMember(t, u)),
            (
                0..CALLS.len(),
                user(),
                users(),
                users(),
                users(),
                any::<bool>(),
                any::<bool>()
            )
                .prop_map(|(call, owner, parts, shared, grants, folder, private)| {
                    Op::AddCall {
                        call,
                        owner,
                        parts,
                        shared,
                        grants,
                        folder,
                        private,
                    }
                }),
            (0..CALLS.len(), user()).prop_map(|(c, u)| Op::Share(c, u)),
            (0..CALLS.len(), user()).prop_map(|(c, u)| Op::GrantCall(c, u)),
            user().prop_map(Op::Entitle),
            (user(), 0..NET_PERMS.len()).prop_map(|(u, p)| Op::GrantNet(u, p)),
            (0..ITEMS.len(), users()).prop_map(|(i, u)| Op::Owners(i, u)),
            (0..ITEMS.len(), prop::option::of(user())).prop_map(|(i, u)| Op::Creator(i, u)),
            (0..ITEMS.len(), entries()).prop_map(|(i, e)| Op::Access(i, e)),
            (any::<bool>(), entries()).prop_map(|(g, e)| Op::TypeDefault(g, e)),
        ]
    }

    /// The fixed part of every model: profiles, roles, actions, teams, a network, items.
    pub fn base() -> Model {
        let mut m = Model::new();
        for (u, mgr) in USERS.iter().zip(MANAGER) {
            m.add_user(u, mgr).unwrap();
        }
        m.add_folder("f0", None).unwrap();
        m.add_folder("f1", None).unwrap();
        let specs = [
            ProfileSpec::new("p-all", "All")
                .with_all_levels(Level::All)
                .with_library(LibraryAccess::all())
                .with_capability("scoreCalls", true),
            ProfileSpec::new("p-rep", "Reports")
                .with_all_levels(Level::ReportToThem)
                .with_library(LibraryAccess::specific(["f0"])),
            ProfileSpec::new("p-mt", "Boss's team")
                .with_all_levels(Level::Own)
                .with_leads(Domain::Calls, Level::ManagersTeam, ["boss"])
                .with_capability("downloadCallMedia", true),
            ProfileSpec::new("p-own", "Own").with_all_levels(Level::Own),
            ProfileSpec::new("p-mgr", "Manager's team").with_all_levels(Level::ManagersTeam),
        ];
        for p in specs {
            m.create_profile(p).unwrap();
        }
        m.rbac_mut().add_division("home", "Home").unwrap();
        m.rbac_mut()
            .add_permission(PermissionSpec::new("routing:queue:view", "View queues"))
            .unwrap();
        m.rbac_mut()
            .create_role(
                RoleSpec::new("member", "Member").with_policy(PolicySpec::new(
                    "routing",
                    "queue",
                    ["view"],
                )),
            )
            .unwrap();
        m.rbac_mut()
            .create_role(RoleSpec::new("a", "A role named like user a"))
            .unwrap();
        m.rbac_mut().add_group("g", "Group").unwrap();
        m.rbac_mut()
            .grant_role(Subject::Group("g"), "member", None)
            .unwrap();
        let mut actions = Vec::new();
        for (i, a) in ACTIONS.iter().enumerate() {
            let spec = ActionSpec::new(*a, *a);
            actions.push(match i {
                1 | 3 => spec.requiring(ACTIONS[i - 1]),
                _ => spec,
            });
        }
        m.rbac_mut().add_actions(actions).unwrap();
        for a in ["manage-sessions", "manage-goals"] {
            let spec =
                GlobalPermissionSpec::new(format!("base-{a}"), a, [Principal::role("member")]);
            m.rbac_mut().create_global_permission(spec).unwrap();
        }
        m.teams_mut().add_team("t0", None).unwrap();
        m.teams_mut().add_team("t1", Some("t0")).unwrap();
        m.networks_mut().add_network("SMS").unwrap();
        m.networks_mut()
            .add_network_permission("SMS", "send:message", true)
            .unwrap();
        m.networks_mut()
            .add_network_permission("SMS", "create:room", false)
            .unwrap();
        m.items_mut().add_item(ItemSpec::session("q0")).unwrap();
        m.items_mut()
            .add_item(
                ItemSpec::session("q1")
                    .with_default_access([AccessEntry::account(ItemVerbs::READ)]),
            )
            .unwrap();
        m.items_mut().add_item(ItemSpec::goal("g0", "q0")).unwrap();
        m
    }

    fn entry_list(list: &[(usize, usize, u8)]) -> Vec<AccessEntry> {
        list.iter()
            .map(|&(kind, i, bits)| {
                let grant = ItemVerbs::from_bits(bits);
                match kind {
                    0 => AccessEntry::user(USERS[i % USERS.len()], grant),
                    1 => AccessEntry::role(ROLES[i % ROLES.len()], grant),
                    2 => AccessEntry::team(TEAMS[i % TEAMS.len()], grant),
                    _ => AccessEntry::account(grant),
                }
            })
            .collect()
    }

    fn names(list: &[usize]) -> Vec<&'static str> {
        list.iter().map(|&u| USERS[u]).collect()
    }

    /// Applies an edit; refused edits (unknown users, duplicates, ...) change nothing.
    pub fn apply(m: &mut Model, op: &Op) {
        match op {
            Op::AddUser(u) => {
                let mgr = MANAGER[*u].filter(|x| m.user_id(x).is_some());
                let _ = m.add_user(USERS[*u], mgr);
            }
            Op::RemoveUser(u) => {
                let _ = m.remove_user(USERS[*u]);
            }
            Op::Assign(u, p) => {
                let _ = m.assign_profile(USERS[*u], PROFILES[*p]);
            }
            Op::GrantRole(u, r) => {
                let _ = m
                    .rbac_mut()
                    .grant_role(Subject::User(USERS[*u]), ROLES[*r], None);
            }
            Op::JoinGroup(u) => {
                let _ = m.rbac_mut().add_group_members("g", &[USERS[*u]]);
            }
            Op::Global(k, a, principals) => {
                let principals = principals.iter().map(|&(is_user, i)| {
                    if is_user {
                        Principal::user(USERS[i % USERS.len()])
                    } else {
                        Principal::role(ROLES[i % ROLES.len()])
                    }
                });
                let spec = GlobalPermissionSpec::new(format!("gp{k}"), ACTIONS[*a], principals);
                if m.rbac().global_permission(&spec.id).is_some() {
                    let _ = m.rbac_mut().update_global_permission(spec);
                } else {
                    let _ = m.rbac_mut().create_global_permission(spec);
                }
            }
            Op::TeamMember(t, u) => {
                let _ = m.teams_mut().add_team_member(TEAMS[*t], USERS[*u]);
            }
            Op::AddCall {
                call,
                owner,
                parts,
                shared,
                grants,
                folder,
                private,
            } => {
                let mut spec = CallSpec::new(CALLS[*call], USERS[*owner])
                    .with_participants(names(parts))
                    .shared_with(names(shared))
                    .granted_to(names(grants))
                    .private(*private);
                if *folder {
                    spec = spec.in_folders(["f0"]);
                }
                let _ = m.calls_mut().add_call(spec);
            }
            Op::Share(c, u) => {
                let _ = m.calls_mut().share_call(CALLS[*c], USERS[*u]);
            }
            Op::GrantCall(c, u) => {
                let _ = m.calls_mut().grant_call(CALLS[*c], USERS[*u]);
            }
            Op::Entitle(u) => {
                let _ = m.networks_mut().entitle_advisor(USERS[*u], "SMS");
            }
            Op::GrantNet(u, p) => {
                let _ = m
                    .networks_mut()
                    .grant_network_permission(USERS[*u], "SMS", NET_PERMS[*p]);
            }
            Op::Owners(i, owners) => {
                let _ = m.items_mut().set_item_owners(ITEMS[*i], &names(owners));
            }
            Op::Creator(i, u) => {
                let _ = m
                    .items_mut()
                    .set_item_creator(ITEMS[*i], u.map(|u| USERS[u]));
            }
            Op::Access(i, list) => {
                let _ = m
                    .items_mut()
                    .set_item_access(ITEMS[*i], Some(AccessSpec::new(entry_list(list))));
            }
            Op::TypeDefault(goal, list) => {
                let t = if *goal {
                    ItemType::Goal
                } else {
                    ItemType::Session
                };
                let _ = m.items_mut().set_default_access(t, Some(entry_list(list)));
            }
        }
    }

    /// Every query about `u`, with `others` as the other side of the two-user queries.
    pub fn about(s: &orgperm::Snapshot, u: &str, others: &[&str]) -> Vec<String> {
        let mut out = Vec::new();
        for d in Domain::ALL {
            for &x in others {
                out.push(format!("{x} {d:?} U: {}", s.can_access(x, d, u)));
                out.push(format!("U {d:?} {x}: {}", s.can_access(u, d, x)));
            }
            out.push(format!("self {d:?}: {}", s.can_access(u, d, u)));
            out.push(format!(
                "who {d:?}: {}",
                s.profiles().who_can_access(u, d).len()
            ));
            out.push(format!(
                "visible {d:?}: {}",
                s.profiles().visible_owners(u, d).len()
            ));
        }
        for cap in ["scoreCalls", "downloadCallMedia"] {
            out.push(format!("cap {cap}: {}", s.has_capability(u, cap)));
        }
        for f in ["f0", "f1"] {
            out.push(format!(
                "folder {f}: {}",
                s.profiles().can_access_folder(u, f)
            ));
        }
        out.push(format!(
            "perm: {}",
            s.rbac().has_permission(u, "routing:queue:view")
        ));
        out.push(format!("roles: {:?}", s.rbac().user_roles(u)));
        out.push(format!("permissions: {:?}", s.rbac().user_permissions(u)));
        for a in ACTIONS {
            out.push(format!("action {a}: {}", s.rbac().has_action(u, a)));
        }
        out.push(format!("actions: {:?}", s.rbac().user_actions(u)));
        out.push(format!(
            "effective: {:?}",
            s.rbac().effective_actions(Principal::user(u))
        ));
        for c in CALLS {
            out.push(format!("call {c}: {}", s.calls().can_open(u, c)));
        }
        out.push(format!("visible calls: {}", s.calls().visible(u).len()));
        for (i, target) in ITEMS.iter().zip(["session", "session", "goal"]) {
            out.push(format!("item {i}: {:?}", s.items().actions(u, *i)));
            out.push(format!(
                "allowed {i}: {:?}",
                s.items().allowed_actions(u, target, *i)
            ));
        }
        out.push(format!("entitled: {}", s.networks().is_entitled(u, "SMS")));
        out.push(format!("net: {:?}", s.networks().permissions_of(u, "SMS")));
        out.push(format!("teams: {}", s.teams().of_user(u).len()));
        for t in TEAMS {
            for sub in [false, true] {
                out.push(format!(
                    "team {t} {sub}: {}",
                    s.teams().is_member(u, t, sub)
                ));
            }
        }
        out
    }

    /// Every answer of the snapshot over the whole universe, by external ids.
    pub fn everything(s: &orgperm::Snapshot) -> Vec<String> {
        let all: Vec<&str> = USERS.iter().copied().chain(["fresh"]).collect();
        let mut out = Vec::new();
        for u in &all {
            out.extend(about(s, u, &all));
        }
        for r in ROLES {
            out.push(format!(
                "role {r}: {:?}",
                s.rbac().effective_actions(Principal::role(r))
            ));
        }
        for c in CALLS {
            for u in &all {
                out.push(format!("list {c} {u}: {}", s.calls().can_list(*u, c)));
            }
            out.push(format!(
                "info {c}: {:?}",
                s.calls()
                    .info(c)
                    .map(|i| (i.owner.is_some(), i.started, i.private))
            ));
        }
        out
    }
}

proptest::proptest! {
    #![proptest_config(crate::common::config(64))]

    #[test]
    fn a_recycled_id_answers_as_a_brand_new_user_and_the_document_round_trips(
        ops in proptest::collection::vec(random::op(), 0..40),
        victim in 1usize..5,
    ) {
        let mut m = random::base();
        for op in &ops {
            random::apply(&mut m, op);
        }
        // The victim, or (if refused: they still have a report) that report, a leaf.
        let users = ["boss", "a", "b", "c", "d"];
        let remove = |m: &mut Model, v: &str| {
            if m.user_id(v).is_none() {
                m.add_user(v, Some("boss")).unwrap();
            }
            m.remove_user(v)
        };
        let mut victim = users[victim];
        if let Err(e) = remove(&mut m, victim) {
            proptest::prop_assert!(
                matches!(e.kind(), ErrorKind::Org(OrgErrorKind::HasReports { id, .. }) if id == victim),
                "{}",
                e
            );
            victim = "d";
            remove(&mut m, victim).unwrap();
        }
        // Both get the same fresh start: a profile, the member role, an entitlement.
        for u in [victim, "fresh"] {
            m.add_user(u, Some("boss")).unwrap();
            m.assign_profile(u, "p-own").unwrap();
            m.rbac_mut().grant_role(Subject::User(u), "member", None).unwrap();
            m.networks_mut().entitle_advisor(u, "SMS").unwrap();
        }
        let s = m.compile();
        let others: Vec<&str> = users.iter().copied().filter(|&u| u != victim).collect();
        let recycled = random::about(&s, victim, &others);
        let brand_new = random::about(&s, "fresh", &others);
        proptest::prop_assert_eq!(recycled, brand_new);

        // Remove someone again so the document holds objects of a removed user.
        let _ = m.remove_user(victim);
        let json = m.to_json();
        let again = Model::from_json(&json).unwrap();
        proptest::prop_assert_eq!(again.to_json(), json);
        proptest::prop_assert_eq!(random::everything(&m.compile()), random::everything(&again.compile()));
    }
}
