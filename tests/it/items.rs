//! Quantive items (docs/semantics.md §3, item access): one test per rule, named after it, and
//! one per validation error.

use orgperm::ItemReason;
use orgperm::{
    AccessEntry, AccessSpec, ActionSpec, ErrorKind, GlobalPermissionSpec, InputErrorKind,
    ItemErrorKind, ItemGate, ItemPrincipal, ItemSpec, ItemType, ItemVerbs, ListOrigin, Model,
    ModelDocument, OrgErrorKind, PermissionSpec, RbacErrorKind, RoleSpec, Snapshot, Subject,
    TeamErrorKind, Verb,
};

const R: ItemVerbs = ItemVerbs::READ;
const U: ItemVerbs = ItemVerbs::UPDATE;
const C: ItemVerbs = ItemVerbs::CREATE;
const D: ItemVerbs = ItemVerbs::DELETE;
const M: ItemVerbs = ItemVerbs::MODIFY_PERMISSIONS;
const RUCD: ItemVerbs = ItemVerbs::from_bits(0b0_1111);

const TYPES: [&str; 5] = [
    "sessions",
    "goals",
    "metrics",
    "insightboards",
    "dashboards",
];

/// Users ada, bob, cy, dee (members), eve (member and admin), vic (view-only), own (member,
/// owns things in some tests), nob (no role at all). Role `member` holds every gate
/// action; the view-only role `viewer` too (so only the cap restricts it); role `admins`
/// holds the flat `admin` permission. Teams: sales > emea > uk, with ada in sales, bob in
/// emea, cy in uk.
fn base() -> Model {
    let mut m = Model::new();
    for u in ["ada", "bob", "cy", "dee", "eve", "vic", "own", "nob"] {
        m.add_user(u, None).unwrap();
    }
    m.rbac_mut().add_division("home", "Home").unwrap();
    m.rbac_mut()
        .add_permission(PermissionSpec::new("admin", "Administrator"))
        .unwrap();
    m.rbac_mut()
        .create_role(RoleSpec::new("member", "Member"))
        .unwrap();
    m.rbac_mut()
        .create_role(RoleSpec::new("viewer", "Viewer").view_only())
        .unwrap();
    m.rbac_mut()
        .create_role(RoleSpec::new("admins", "Admins").with_permission("admin"))
        .unwrap();
    for u in ["ada", "bob", "cy", "dee", "eve", "own"] {
        m.rbac_mut()
            .grant_role(Subject::User(u), "member", None)
            .unwrap();
    }
    m.rbac_mut()
        .grant_role(Subject::User("eve"), "admins", None)
        .unwrap();
    m.rbac_mut()
        .grant_role(Subject::User("vic"), "viewer", None)
        .unwrap();
    let mut specs = Vec::new();
    for t in TYPES {
        specs.push(ActionSpec::new(
            format!("access-{t}"),
            format!("Access {t}"),
        ));
        specs.push(
            ActionSpec::new(format!("manage-{t}"), format!("Manage {t}"))
                .requiring(format!("access-{t}")),
        );
    }
    m.rbac_mut().add_actions(specs).unwrap();
    for t in TYPES {
        m.rbac_mut()
            .create_global_permission(GlobalPermissionSpec::new(
                format!("gp-manage-{t}"),
                format!("manage-{t}"),
                ["member", "viewer"],
            ))
            .unwrap();
    }
    m.teams_mut().add_team("sales", None).unwrap();
    m.teams_mut().add_team("emea", Some("sales")).unwrap();
    m.teams_mut().add_team("uk", Some("emea")).unwrap();
    m.teams_mut().add_team_member("sales", "ada").unwrap();
    m.teams_mut().add_team_member("emea", "bob").unwrap();
    m.teams_mut().add_team_member("uk", "cy").unwrap();
    m
}

fn list(entries: impl IntoIterator<Item = AccessEntry>) -> AccessSpec {
    AccessSpec::new(entries)
}

fn verbs(snap: &Snapshot, user: &str, item: &str) -> ItemVerbs {
    snap.items().actions(user, item)
}

/// `allowed_actions` with the item's own type.
fn allowed(snap: &Snapshot, user: &str, item: &str) -> ItemVerbs {
    let t = snap.items().item_type(item).unwrap();
    let v = snap
        .items()
        .allowed_actions(user, t.as_str(), item)
        .unwrap();
    assert_eq!(v, snap.items().actions(user, item));
    v
}

/// Explanations agree with `item_actions` for every verb.
fn assert_explained(snap: &Snapshot, user: &str, item: &str) {
    let v = snap.items().actions(user, item);
    for verb in Verb::ALL {
        let d = snap.items().explain(user, item, verb);
        assert_eq!(d.allowed, v.contains(verb), "{user} {item} {verb}: {d}");
    }
}

/// A session `s`, goal `g` in it and metric `m` in the goal, with the given lists.
fn chain(m: &mut Model, s: Option<AccessSpec>, g: Option<AccessSpec>, x: Option<AccessSpec>) {
    let mut session = ItemSpec::session("s").created_by("dee");
    session.access = s;
    let mut goal = ItemSpec::goal("g", "s");
    goal.access = g;
    let mut metric = ItemSpec::metric("m", "g");
    metric.access = x;
    m.items_mut().add_item(session).unwrap();
    m.items_mut().add_item(goal).unwrap();
    m.items_mut().add_item(metric).unwrap();
}

// ---- effective lists ----------------------------------------------------------------------

#[test]
fn inherits_false_own_list_at_every_level() {
    let mut m = base();
    chain(
        &mut m,
        Some(list([AccessEntry::user("ada", R)])),
        Some(list([AccessEntry::user("bob", R | U)])),
        Some(list([AccessEntry::user("cy", ItemVerbs::ALL)])),
    );
    let snap = m.compile();
    assert_eq!(allowed(&snap, "ada", "s"), R);
    assert_eq!(allowed(&snap, "ada", "g"), ItemVerbs::EMPTY);
    assert_eq!(allowed(&snap, "bob", "g"), R | U);
    assert_eq!(allowed(&snap, "bob", "m"), ItemVerbs::EMPTY);
    assert_eq!(allowed(&snap, "cy", "m"), ItemVerbs::ALL);
    assert_eq!(allowed(&snap, "cy", "s"), ItemVerbs::EMPTY);
    for u in ["ada", "bob", "cy"] {
        for i in ["s", "g", "m"] {
            assert_explained(&snap, u, i);
        }
    }
}

#[test]
fn inherits_true_goal_takes_the_session_list() {
    let mut m = base();
    chain(
        &mut m,
        Some(list([AccessEntry::user("ada", R | U)])),
        Some(AccessSpec::inheriting()),
        Some(list([AccessEntry::user("cy", R)])),
    );
    let snap = m.compile();
    assert_eq!(allowed(&snap, "ada", "g"), R | U);
    assert_eq!(allowed(&snap, "ada", "m"), ItemVerbs::EMPTY); // the metric has its own list
    let d = snap.items().explain("ada", "g", Verb::Update);
    assert_eq!(
        d.reason,
        ItemReason::ItemEntry {
            item: "g".into(),
            verb: Verb::Update,
            origin: ListOrigin::AccessList { item: "s".into() },
            principal: ItemPrincipal::User { id: "ada".into() },
        }
    );
}

#[test]
fn inherits_true_metric_takes_the_goal_effective_list_three_levels() {
    let mut m = base();
    chain(
        &mut m,
        Some(list([AccessEntry::user("ada", R | D)])),
        Some(AccessSpec::inheriting()),
        Some(AccessSpec::inheriting()),
    );
    let snap = m.compile();
    assert_eq!(allowed(&snap, "ada", "m"), R | D);
    assert_eq!(allowed(&snap, "bob", "m"), ItemVerbs::EMPTY);
    assert_explained(&snap, "ada", "m");
    assert_explained(&snap, "bob", "m");
}

#[test]
fn inherits_true_metric_under_goal_with_own_list() {
    let mut m = base();
    chain(
        &mut m,
        Some(list([AccessEntry::user("ada", R)])),
        Some(list([AccessEntry::user("bob", R | C)])),
        Some(AccessSpec::inheriting()),
    );
    let snap = m.compile();
    assert_eq!(allowed(&snap, "bob", "m"), R | C);
    assert_eq!(allowed(&snap, "ada", "m"), ItemVerbs::EMPTY);
}

#[test]
fn inherits_true_ignores_the_own_entries() {
    let mut m = base();
    let inheriting_with_entries = AccessSpec {
        inherits: true,
        permissions: vec![AccessEntry::user("bob", ItemVerbs::ALL)],
    };
    chain(
        &mut m,
        Some(list([AccessEntry::user("ada", R)])),
        Some(inheriting_with_entries.clone()),
        None,
    );
    let snap = m.compile();
    assert_eq!(allowed(&snap, "bob", "g"), ItemVerbs::EMPTY);
    assert_eq!(allowed(&snap, "ada", "g"), R);
    // The entries are kept in the model.
    assert_eq!(
        m.items().item("g").unwrap().access,
        Some(inheriting_with_entries)
    );
}

#[test]
fn inherits_true_on_a_session_falls_back_as_without_list() {
    let mut m = base();
    chain(&mut m, Some(AccessSpec::inheriting()), None, None);
    let snap = m.compile();
    // No list: the unconfigured-session default.
    assert_eq!(allowed(&snap, "bob", "s"), RUCD);
    assert_eq!(allowed(&snap, "dee", "s"), ItemVerbs::ALL); // the creator
    // Same for a dashboard: its type default.
    m.items_mut()
        .set_default_access(ItemType::Dashboard, Some(vec![AccessEntry::account(R)]))
        .unwrap();
    m.items_mut()
        .add_item(ItemSpec::new("d", ItemType::Dashboard).with_access(AccessSpec::inheriting()))
        .unwrap();
    assert_eq!(m.compile().items().actions("bob", "d"), R);
}

#[test]
fn inherits_true_takes_the_parent_list_even_over_a_type_default() {
    let mut m = base();
    m.items_mut()
        .set_default_access(ItemType::Goal, Some(vec![AccessEntry::user("bob", R)]))
        .unwrap();
    m.items_mut()
        .set_default_access(ItemType::Metric, Some(vec![AccessEntry::user("bob", R)]))
        .unwrap();
    chain(
        &mut m,
        Some(list([AccessEntry::user("ada", R | U)])),
        Some(AccessSpec::inheriting()),
        Some(AccessSpec::inheriting()),
    );
    let snap = m.compile();
    for i in ["g", "m"] {
        assert_eq!(allowed(&snap, "ada", i), R | U);
        assert_eq!(allowed(&snap, "bob", i), ItemVerbs::EMPTY);
    }
}

#[test]
fn inherits_false_metric_overrides_the_goal() {
    let mut m = base();
    chain(
        &mut m,
        Some(list([AccessEntry::account(ItemVerbs::ALL)])),
        Some(AccessSpec::inheriting()),
        Some(list([AccessEntry::user("ada", R)])),
    );
    let snap = m.compile();
    assert_eq!(allowed(&snap, "bob", "g"), ItemVerbs::ALL);
    assert_eq!(allowed(&snap, "bob", "m"), ItemVerbs::EMPTY);
    assert_eq!(allowed(&snap, "ada", "m"), R);
}

#[test]
fn an_empty_own_list_grants_nothing() {
    let mut m = base();
    chain(&mut m, Some(list([])), Some(AccessSpec::inheriting()), None);
    let snap = m.compile();
    for i in ["s", "g", "m"] {
        assert_eq!(allowed(&snap, "dee", i), ItemVerbs::EMPTY); // not even the creator
        assert_eq!(allowed(&snap, "eve", i), ItemVerbs::EMPTY); // nor an admin
    }
}

#[test]
fn goal_and_metric_without_list_use_the_parent_effective_list() {
    let mut m = base();
    chain(
        &mut m,
        Some(list([AccessEntry::user("ada", R | U)])),
        None,
        None,
    );
    let snap = m.compile();
    assert_eq!(allowed(&snap, "ada", "g"), R | U);
    assert_eq!(allowed(&snap, "ada", "m"), R | U);
    assert_eq!(allowed(&snap, "bob", "m"), ItemVerbs::EMPTY);
    let d = snap.items().explain("bob", "m", Verb::Read);
    assert_eq!(
        d.reason,
        ItemReason::ItemNoEntry {
            item: "m".into(),
            verb: Verb::Read,
            origin: ListOrigin::AccessList { item: "s".into() },
        }
    );
}

// ---- defaults -----------------------------------------------------------------------------

#[test]
fn per_type_default_applies_to_items_without_list() {
    let mut m = base();
    m.items_mut()
        .set_default_access(ItemType::Goal, Some(vec![AccessEntry::user("bob", R)]))
        .unwrap();
    chain(
        &mut m,
        Some(list([AccessEntry::user("ada", ItemVerbs::ALL)])),
        None,
        None,
    );
    let snap = m.compile();
    // The goal has no list: the goal type default, not the session's list.
    assert_eq!(allowed(&snap, "bob", "g"), R);
    assert_eq!(allowed(&snap, "ada", "g"), ItemVerbs::EMPTY);
    // The metric has no list and no type default: the goal's effective list.
    assert_eq!(allowed(&snap, "bob", "m"), R);
    assert_eq!(
        snap.items().explain("bob", "m", Verb::Read).reason,
        ItemReason::ItemEntry {
            item: "m".into(),
            verb: Verb::Read,
            origin: ListOrigin::TypeDefault {
                item_type: ItemType::Goal
            },
            principal: ItemPrincipal::User { id: "bob".into() },
        }
    );
}

#[test]
fn per_type_default_replaces_the_unconfigured_session_default() {
    let mut m = base();
    m.items_mut()
        .set_default_access(ItemType::Session, Some(vec![AccessEntry::user("bob", R)]))
        .unwrap();
    chain(&mut m, None, None, None);
    let snap = m.compile();
    assert_eq!(allowed(&snap, "bob", "s"), R);
    assert_eq!(allowed(&snap, "dee", "s"), ItemVerbs::EMPTY); // the creator: not any more
    assert_eq!(allowed(&snap, "bob", "m"), R);
}

#[test]
fn per_item_default_beats_the_type_default() {
    let mut m = base();
    m.items_mut()
        .set_default_access(ItemType::Session, Some(vec![AccessEntry::user("bob", R)]))
        .unwrap();
    m.items_mut()
        .add_item(ItemSpec::session("s").with_default_access([AccessEntry::user("cy", R | U)]))
        .unwrap();
    m.items_mut().add_item(ItemSpec::session("s2")).unwrap();
    let snap = m.compile();
    assert_eq!(allowed(&snap, "cy", "s"), R | U);
    assert_eq!(allowed(&snap, "bob", "s"), ItemVerbs::EMPTY);
    assert_eq!(allowed(&snap, "bob", "s2"), R);
    assert_eq!(
        snap.items().explain("cy", "s", Verb::Update).reason,
        ItemReason::ItemEntry {
            item: "s".into(),
            verb: Verb::Update,
            origin: ListOrigin::ItemDefault { item: "s".into() },
            principal: ItemPrincipal::User { id: "cy".into() },
        }
    );
}

#[test]
fn per_item_default_gives_way_to_an_own_list() {
    let mut m = base();
    m.items_mut()
        .add_item(
            ItemSpec::new("d", ItemType::Dashboard)
                .with_default_access([AccessEntry::account(R)])
                .with_access(list([AccessEntry::user("ada", R | U)])),
        )
        .unwrap();
    let snap = m.compile();
    assert_eq!(verbs(&snap, "ada", "d"), R | U);
    assert_eq!(verbs(&snap, "bob", "d"), ItemVerbs::EMPTY);
    m.items_mut().set_item_access("d", None).unwrap();
    let snap = m.compile();
    assert_eq!(verbs(&snap, "bob", "d"), R);
}

#[test]
fn unconfigured_session_gives_everyone_rucd_and_creator_and_admins_modify() {
    let mut m = base();
    chain(&mut m, None, None, None);
    let snap = m.compile();
    assert_eq!(allowed(&snap, "bob", "s"), RUCD);
    assert_eq!(allowed(&snap, "dee", "s"), ItemVerbs::ALL); // creator
    assert_eq!(allowed(&snap, "eve", "s"), ItemVerbs::ALL); // admin
    assert!(!allowed(&snap, "ada", "s").contains(Verb::ModifyPermissions));
    // Goals and metrics without a list take it as it is.
    assert_eq!(allowed(&snap, "bob", "m"), RUCD);
    assert_eq!(allowed(&snap, "dee", "m"), ItemVerbs::ALL);
    assert_eq!(
        snap.items()
            .explain("dee", "m", Verb::ModifyPermissions)
            .reason,
        ItemReason::ItemEntry {
            item: "m".into(),
            verb: Verb::ModifyPermissions,
            origin: ListOrigin::UnconfiguredSession {
                session: "s".into()
            },
            principal: ItemPrincipal::Creator { id: "dee".into() },
        }
    );
    assert_eq!(
        snap.items()
            .explain("eve", "s", Verb::ModifyPermissions)
            .reason,
        ItemReason::ItemEntry {
            item: "s".into(),
            verb: Verb::ModifyPermissions,
            origin: ListOrigin::UnconfiguredSession {
                session: "s".into()
            },
            principal: ItemPrincipal::Admin,
        }
    );
    let d = snap.items().explain("bob", "s", Verb::Create);
    assert!(matches!(
        d.reason,
        ItemReason::ItemEntry {
            principal: ItemPrincipal::AllUsers,
            ..
        }
    ));
    for u in ["ada", "bob", "dee", "eve", "vic", "nob"] {
        assert_explained(&snap, u, "s");
    }
}

#[test]
fn unconfigured_session_without_creator_gives_modify_to_admins_only() {
    let mut m = base();
    m.items_mut().add_item(ItemSpec::session("s")).unwrap();
    let snap = m.compile();
    assert_eq!(verbs(&snap, "dee", "s"), RUCD);
    assert_eq!(verbs(&snap, "eve", "s"), ItemVerbs::ALL);
    // Admin through a group.
    m.rbac_mut().add_group("g-admins", "Admins").unwrap();
    m.rbac_mut()
        .add_group_members("g-admins", &["ada"])
        .unwrap();
    m.rbac_mut()
        .grant_role(Subject::Group("g-admins"), "admins", None)
        .unwrap();
    assert_eq!(m.compile().items().actions("ada", "s"), ItemVerbs::ALL);
}

#[test]
fn insight_boards_and_dashboards_without_list_are_nobody() {
    let mut m = base();
    m.items_mut()
        .add_item(ItemSpec::new("b", ItemType::InsightBoard).created_by("ada"))
        .unwrap();
    m.items_mut()
        .add_item(ItemSpec::new("d", ItemType::Dashboard).created_by("ada"))
        .unwrap();
    let snap = m.compile();
    for u in ["ada", "eve", "bob"] {
        assert_eq!(allowed(&snap, u, "b"), ItemVerbs::EMPTY);
        assert_eq!(verbs(&snap, u, "d"), ItemVerbs::EMPTY);
    }
    assert_eq!(
        snap.items().explain("ada", "b", Verb::Read).reason,
        ItemReason::ItemNoEntry {
            item: "b".into(),
            verb: Verb::Read,
            origin: ListOrigin::Nothing,
        }
    );
}

// ---- ownership ----------------------------------------------------------------------------

#[test]
fn owners_get_read_update_delete_under_a_read_only_list() {
    let mut m = base();
    m.items_mut()
        .add_item(
            ItemSpec::session("s")
                .owned_by(["own"])
                .with_access(list([AccessEntry::account(R)])),
        )
        .unwrap();
    let snap = m.compile();
    assert_eq!(allowed(&snap, "own", "s"), R | U | D);
    assert_eq!(allowed(&snap, "bob", "s"), R);
    assert_eq!(
        snap.items().explain("own", "s", Verb::Update).reason,
        ItemReason::ItemOwner {
            item: "s".into(),
            verb: Verb::Update
        }
    );
    assert_explained(&snap, "own", "s");
}

#[test]
fn owners_get_read_update_delete_without_the_gate_actions() {
    let mut m = base();
    m.items_mut()
        .add_item(ItemSpec::new("b", ItemType::InsightBoard).owned_by(["nob"]))
        .unwrap();
    let snap = m.compile();
    assert_eq!(allowed(&snap, "nob", "b"), ItemVerbs::OWNER);
    // Ownership plus a list: the list's verbs still need the gate.
    m.items_mut()
        .set_item_access("b", Some(list([AccessEntry::user("nob", ItemVerbs::ALL)])))
        .unwrap();
    assert_eq!(m.compile().items().actions("nob", "b"), ItemVerbs::OWNER);
}

#[test]
fn owners_edits_take_effect_on_recompile() {
    let mut m = base();
    m.items_mut()
        .add_item(ItemSpec::new("b", ItemType::InsightBoard))
        .unwrap();
    m.items_mut().set_item_owners("b", &["bob", "cy"]).unwrap();
    let snap = m.compile();
    assert_eq!(verbs(&snap, "cy", "b"), ItemVerbs::OWNER);
    m.items_mut().set_item_owners("b", &[]).unwrap();
    assert!(m.compile().items().actions("cy", "b").is_empty());
}

// ---- role layer -----------------------------------------------------------------------------

#[test]
fn role_layer_denies_when_the_gate_action_is_missing_from_the_catalog() {
    let mut m = base();
    m.items_mut()
        .set_item_gate(ItemType::Goal, ItemGate::new("access-goals", "edit-goals"))
        .unwrap();
    chain(
        &mut m,
        None,
        Some(list([AccessEntry::user("ada", ItemVerbs::ALL)])),
        None,
    );
    let snap = m.compile();
    assert_eq!(allowed(&snap, "ada", "g"), R);
    assert_eq!(
        snap.items().explain("ada", "g", Verb::Update).reason,
        ItemReason::ItemGated {
            item: "g".into(),
            verb: Verb::Update,
            action: "edit-goals".into(),
            in_catalog: false,
        }
    );
    // The metric's gate is untouched.
    assert_eq!(allowed(&snap, "ada", "m"), ItemVerbs::ALL);
}

#[test]
fn role_layer_denies_when_the_user_lacks_the_action() {
    let mut m = base();
    m.items_mut()
        .add_item(
            ItemSpec::session("s").with_access(list([AccessEntry::user("nob", ItemVerbs::ALL)])),
        )
        .unwrap();
    let snap = m.compile();
    assert_eq!(allowed(&snap, "nob", "s"), ItemVerbs::EMPTY);
    assert_eq!(
        snap.items().explain("nob", "s", Verb::Read).reason,
        ItemReason::ItemGated {
            item: "s".into(),
            verb: Verb::Read,
            action: "access-sessions".into(),
            in_catalog: true,
        }
    );
}

#[test]
fn read_needs_access_and_the_other_verbs_need_manage() {
    let mut m = base();
    m.rbac_mut()
        .create_global_permission(GlobalPermissionSpec::new("gp-nob", "access-goals", ["nob"]))
        .unwrap();
    chain(
        &mut m,
        None,
        Some(list([AccessEntry::account(ItemVerbs::ALL)])),
        None,
    );
    let snap = m.compile();
    assert_eq!(allowed(&snap, "nob", "g"), R);
    assert_eq!(allowed(&snap, "nob", "m"), ItemVerbs::EMPTY); // no metric actions
    assert_eq!(allowed(&snap, "ada", "g"), ItemVerbs::ALL);
}

#[test]
fn role_layer_revoking_access_removes_manage() {
    let mut m = base();
    m.rbac_mut()
        .create_role(RoleSpec::new("goalie", "Goalie"))
        .unwrap();
    m.rbac_mut()
        .grant_role(Subject::User("nob"), "goalie", None)
        .unwrap();
    m.rbac_mut()
        .create_global_permission(GlobalPermissionSpec::new(
            "gp-ga",
            "access-goals",
            ["goalie"],
        ))
        .unwrap();
    m.rbac_mut()
        .create_global_permission(GlobalPermissionSpec::new(
            "gp-gm",
            "manage-goals",
            ["goalie"],
        ))
        .unwrap();
    chain(
        &mut m,
        None,
        Some(list([AccessEntry::account(ItemVerbs::ALL)])),
        None,
    );
    assert_eq!(m.compile().items().actions("nob", "g"), ItemVerbs::ALL);
    let lost = m
        .rbac_mut()
        .revoke_action("goalie", "access-goals")
        .unwrap();
    assert_eq!(lost, ["access-goals", "manage-goals"]);
    let snap = m.compile();
    assert_eq!(allowed(&snap, "nob", "g"), ItemVerbs::EMPTY);
    assert!(matches!(
        snap.items().explain("nob", "g", Verb::Update).reason,
        ItemReason::ItemGated {
            in_catalog: true,
            ..
        }
    ));
}

#[test]
fn role_layer_manage_implies_access() {
    let mut m = base();
    m.rbac_mut()
        .create_global_permission(GlobalPermissionSpec::new(
            "gp-nob",
            "manage-metrics",
            ["nob"],
        ))
        .unwrap();
    chain(
        &mut m,
        None,
        None,
        Some(list([AccessEntry::user("nob", R | U)])),
    );
    assert_eq!(m.compile().items().actions("nob", "m"), R | U);
}

// ---- view-only ----------------------------------------------------------------------------

#[test]
fn view_only_users_are_capped_at_read() {
    let mut m = base();
    chain(
        &mut m,
        Some(list([AccessEntry::user("vic", ItemVerbs::ALL)])),
        None,
        None,
    );
    let snap = m.compile();
    assert_eq!(allowed(&snap, "vic", "s"), R);
    assert_eq!(allowed(&snap, "vic", "m"), R);
    assert_eq!(
        snap.items().explain("vic", "s", Verb::Delete).reason,
        ItemReason::ItemViewOnly {
            item: "s".into(),
            verb: Verb::Delete
        }
    );
    assert_explained(&snap, "vic", "s");
}

#[test]
fn view_only_owners_still_get_update_and_delete() {
    let mut m = base();
    m.items_mut()
        .add_item(
            ItemSpec::session("s")
                .owned_by(["vic"])
                .with_access(list([AccessEntry::user("vic", ItemVerbs::ALL)])),
        )
        .unwrap();
    let snap = m.compile();
    assert_eq!(allowed(&snap, "vic", "s"), R | U | D);
    assert!(matches!(
        snap.items().explain("vic", "s", Verb::Create).reason,
        ItemReason::ItemViewOnly { .. }
    ));
}

#[test]
fn view_only_users_on_an_unconfigured_session_only_read() {
    let mut m = base();
    m.items_mut()
        .add_item(ItemSpec::session("s").created_by("vic"))
        .unwrap();
    assert_eq!(m.compile().items().actions("vic", "s"), R);
}

// ---- principals -----------------------------------------------------------------------------

#[test]
fn team_principal_without_sub_teams_is_direct_members_only() {
    let mut m = base();
    m.items_mut()
        .add_item(ItemSpec::session("s").with_access(list([AccessEntry::team("emea", R)])))
        .unwrap();
    let snap = m.compile();
    assert_eq!(verbs(&snap, "bob", "s"), R);
    assert_eq!(verbs(&snap, "cy", "s"), ItemVerbs::EMPTY); // in uk, below emea
    assert_eq!(verbs(&snap, "ada", "s"), ItemVerbs::EMPTY); // in sales, above
}

#[test]
fn team_principal_with_sub_teams_follows_the_tree() {
    let mut m = base();
    m.items_mut()
        .add_item(ItemSpec::session("s").with_access(list([
            AccessEntry::team("emea", R | U).including_subteams(),
        ])))
        .unwrap();
    let snap = m.compile();
    assert_eq!(verbs(&snap, "bob", "s"), R | U);
    assert_eq!(verbs(&snap, "cy", "s"), R | U);
    assert_eq!(verbs(&snap, "ada", "s"), ItemVerbs::EMPTY);
    assert_eq!(
        snap.items().explain("cy", "s", Verb::Read).reason,
        ItemReason::ItemEntry {
            item: "s".into(),
            verb: Verb::Read,
            origin: ListOrigin::AccessList { item: "s".into() },
            principal: ItemPrincipal::Team {
                id: "emea".into(),
                sub_teams: true
            },
        }
    );

    // Move uk out of emea: cy loses access; a new sub-team's members gain it.
    m.teams_mut().move_team("uk", Some("sales")).unwrap();
    m.teams_mut().add_team("iberia", Some("emea")).unwrap();
    m.teams_mut().add_team_member("iberia", "dee").unwrap();
    let snap = m.compile();
    assert_eq!(verbs(&snap, "cy", "s"), ItemVerbs::EMPTY);
    assert_eq!(verbs(&snap, "dee", "s"), R | U);
    // Without sub-teams, tree changes do not matter.
    m.items_mut()
        .set_item_access("s", Some(list([AccessEntry::team("sales", R)])))
        .unwrap();
    let snap = m.compile();
    assert_eq!(verbs(&snap, "ada", "s"), R);
    assert_eq!(verbs(&snap, "cy", "s"), ItemVerbs::EMPTY);
}

#[test]
fn team_principal_follows_membership_changes() {
    let mut m = base();
    m.items_mut()
        .add_item(ItemSpec::session("s").with_access(list([AccessEntry::team("uk", R)])))
        .unwrap();
    assert!(m.compile().items().actions("dee", "s").is_empty());
    m.teams_mut().add_team_member("uk", "dee").unwrap();
    assert_eq!(m.compile().items().actions("dee", "s"), R);
}

#[test]
fn role_principal_direct_and_through_a_group() {
    let mut m = base();
    m.rbac_mut()
        .create_role(RoleSpec::new("analyst", "Analyst"))
        .unwrap();
    m.rbac_mut()
        .grant_role(Subject::User("ada"), "analyst", None)
        .unwrap();
    m.rbac_mut().add_group("g1", "Analysts").unwrap();
    m.rbac_mut().add_group_members("g1", &["bob"]).unwrap();
    m.rbac_mut()
        .grant_role(Subject::Group("g1"), "analyst", Some("*"))
        .unwrap();
    m.items_mut()
        .add_item(ItemSpec::session("s").with_access(list([AccessEntry::role("analyst", R | C)])))
        .unwrap();
    let snap = m.compile();
    assert_eq!(verbs(&snap, "ada", "s"), R | C);
    assert_eq!(verbs(&snap, "bob", "s"), R | C);
    assert_eq!(verbs(&snap, "cy", "s"), ItemVerbs::EMPTY);
    assert_eq!(
        snap.items().explain("bob", "s", Verb::Create).reason,
        ItemReason::ItemEntry {
            item: "s".into(),
            verb: Verb::Create,
            origin: ListOrigin::AccessList { item: "s".into() },
            principal: ItemPrincipal::Role {
                id: "analyst".into()
            },
        }
    );
    // In any division.
    m.rbac_mut().add_division("emea", "EMEA").unwrap();
    m.rbac_mut()
        .grant_role(Subject::User("cy"), "analyst", Some("emea"))
        .unwrap();
    assert_eq!(m.compile().items().actions("cy", "s"), R | C);
}

#[test]
fn account_principal_is_every_active_user() {
    let mut m = base();
    m.items_mut()
        .add_item(ItemSpec::session("s").with_access(list([AccessEntry::new(
            orgperm::PrincipalKind::Account,
            "acme",
            R,
        )])))
        .unwrap();
    let snap = m.compile();
    for u in ["ada", "bob", "vic", "eve"] {
        assert_eq!(verbs(&snap, u, "s"), R, "{u}");
    }
    assert!(verbs(&snap, "nob", "s").is_empty()); // no action: the role layer
    m.rbac_mut()
        .revoke_role(Subject::User("dee"), "member", None)
        .unwrap();
    m.remove_user("dee").unwrap();
    let snap = m.compile();
    assert!(verbs(&snap, "dee", "s").is_empty());
    assert!(matches!(
        snap.items().explain("dee", "s", Verb::Read).reason,
        ItemReason::UnknownUser { .. }
    ));
}

#[test]
fn entries_merge_across_principals() {
    let mut m = base();
    m.items_mut()
        .add_item(ItemSpec::session("s").with_access(list([
            AccessEntry::user("cy", R),
            AccessEntry::team("uk", U),
            AccessEntry::team("sales", C).including_subteams(),
            AccessEntry::role("member", D),
            AccessEntry::user("cy", M),
        ])))
        .unwrap();
    let snap = m.compile();
    assert_eq!(verbs(&snap, "cy", "s"), ItemVerbs::ALL);
    assert_eq!(verbs(&snap, "bob", "s"), C | D);
    assert_explained(&snap, "cy", "s");
    assert_explained(&snap, "bob", "s");
}

#[test]
fn entries_of_removed_principals_grant_nothing_and_are_not_exported() {
    let mut m = base();
    m.teams_mut().add_team("temp", None).unwrap();
    m.teams_mut().add_team_member("temp", "ada").unwrap();
    m.rbac_mut()
        .create_role(RoleSpec::new("tmp-role", "Tmp"))
        .unwrap();
    m.rbac_mut()
        .grant_role(Subject::User("bob"), "tmp-role", None)
        .unwrap();
    m.items_mut()
        .add_item(ItemSpec::session("s").with_access(list([
            AccessEntry::team("temp", R),
            AccessEntry::role("tmp-role", R),
            AccessEntry::user("cy", R),
        ])))
        .unwrap();
    // A team named by a list is not removed (a new team with its id would get its dense id
    // and the entry back): take it off the list first.
    let err = m.teams_mut().remove_team("temp").unwrap_err();
    assert_eq!(
        err.kind(),
        &orgperm::TeamErrorKind::TeamInUse {
            id: "temp".into(),
            referrer: r#"item "s" access.permissions[0]"#.into()
        }
    );
    m.items_mut()
        .set_item_access(
            "s",
            Some(list([
                AccessEntry::role("tmp-role", R),
                AccessEntry::user("cy", R),
            ])),
        )
        .unwrap();
    m.teams_mut().remove_team("temp").unwrap();
    m.rbac_mut()
        .revoke_role(Subject::User("bob"), "tmp-role", None)
        .unwrap();
    // The same for a role: refused while the list names it, and nothing changes.
    let before = m.digest();
    let err = m.rbac_mut().delete_role("tmp-role").unwrap_err();
    assert_eq!(
        (err.path(), err.kind()),
        (
            "id",
            &orgperm::RbacErrorKind::RoleInUse {
                id: "tmp-role".into(),
                referrer: r#"item "s" access.permissions[0]"#.into()
            }
        )
    );
    assert_eq!(m.digest(), before);
    m.items_mut()
        .set_item_access("s", Some(list([AccessEntry::user("cy", R)])))
        .unwrap();
    m.rbac_mut().delete_role("tmp-role").unwrap();
    // A new role of the same id starts with nothing from the old one's entries.
    m.rbac_mut()
        .create_role(RoleSpec::new("tmp-role", "Tmp again"))
        .unwrap();
    m.rbac_mut()
        .grant_role(Subject::User("bob"), "tmp-role", None)
        .unwrap();
    assert!(verbs(&m.compile(), "bob", "s").is_empty());
    m.rbac_mut()
        .revoke_role(Subject::User("cy"), "member", None)
        .unwrap();
    m.remove_user("cy").unwrap();
    let snap = m.compile();
    assert!(verbs(&snap, "ada", "s").is_empty());
    assert!(
        m.items()
            .item("s")
            .unwrap()
            .access
            .unwrap()
            .permissions
            .is_empty()
    );
    let again = Model::from_json(&m.to_json()).unwrap();
    assert_eq!(again.to_json(), m.to_json());
}

// ---- queries ------------------------------------------------------------------------------

#[test]
fn unknown_target_type_is_an_error() {
    let mut m = base();
    m.items_mut()
        .add_item(ItemSpec::new("d", ItemType::Dashboard))
        .unwrap();
    let snap = m.compile();
    for t in ["dashboard", "foo", "Goal", ""] {
        let err = snap.items().allowed_actions("ada", t, "d").unwrap_err();
        assert_eq!(err.path(), "targetType");
        assert_eq!(
            err.kind(),
            &ItemErrorKind::UnknownTargetType { value: t.into() }
        );
    }
    // Even for an unknown user and item.
    let err = snap
        .items()
        .allowed_actions("ghost", "foo", "nothing")
        .unwrap_err();
    assert_eq!(
        (err.path(), err.kind()),
        (
            "targetType",
            &ItemErrorKind::UnknownTargetType {
                value: "foo".into()
            }
        )
    );
}

#[test]
fn unknown_item_type_mismatch_and_unknown_user_deny() {
    let mut m = base();
    chain(&mut m, None, None, None);
    let snap = m.compile();
    assert_eq!(
        snap.items().allowed_actions("ada", "goal", "nope").unwrap(),
        ItemVerbs::EMPTY
    );
    assert_eq!(
        snap.items().allowed_actions("ada", "goal", "s").unwrap(),
        ItemVerbs::EMPTY
    );
    assert_eq!(
        snap.items()
            .allowed_actions("ada", "insightBoard", "m")
            .unwrap(),
        ItemVerbs::EMPTY
    );
    assert_eq!(
        snap.items()
            .allowed_actions("ghost", "session", "s")
            .unwrap(),
        ItemVerbs::EMPTY
    );
    assert_eq!(
        snap.items()
            .allowed_actions(orgperm::UserId::new(9_999), "session", "s")
            .unwrap(),
        ItemVerbs::EMPTY
    );
    assert_eq!(
        snap.items()
            .allowed_actions("ada", "session", orgperm::ItemId::new(9_999))
            .unwrap(),
        ItemVerbs::EMPTY
    );
    assert!(matches!(
        snap.items().explain("ada", "nope", Verb::Read).reason,
        ItemReason::UnknownItem { .. }
    ));
    assert!(matches!(
        snap.items().explain("ghost", "s", Verb::Read).reason,
        ItemReason::UnknownUser { .. }
    ));
    // A removed item.
    m.items_mut().remove_item("m").unwrap();
    let snap = m.compile();
    assert!(
        snap.items()
            .allowed_actions("ada", "metric", "m")
            .unwrap()
            .is_empty()
    );
    assert_eq!(snap.items().item_id("m"), None);
}

#[test]
fn dense_and_external_ids_agree() {
    let mut m = base();
    chain(&mut m, None, None, None);
    let snap = m.compile();
    let (u, i) = (
        snap.user_id("dee").unwrap(),
        snap.items().item_id("m").unwrap(),
    );
    assert_eq!(
        snap.items().allowed_actions(u, "metric", i).unwrap(),
        snap.items().allowed_actions("dee", "metric", "m").unwrap()
    );
    assert_eq!(snap.items().item_name(i), Some("m"));
}

#[test]
fn readable_items_lists_exactly_the_readable_items() {
    let mut m = base();
    chain(
        &mut m,
        Some(list([AccessEntry::user("ada", R)])),
        None,
        None,
    );
    m.items_mut().add_item(ItemSpec::session("s2")).unwrap();
    m.items_mut()
        .add_item(
            ItemSpec::session("s3")
                .with_access(list([]))
                .owned_by(["bob"]),
        )
        .unwrap();
    m.items_mut().add_item(ItemSpec::goal("g2", "s2")).unwrap();
    let snap = m.compile();
    let ids = |u: &str, t| {
        snap.items()
            .readable(u, t)
            .external_ids()
            .collect::<Vec<_>>()
    };
    assert_eq!(ids("ada", ItemType::Session), ["s", "s2"]);
    assert_eq!(ids("bob", ItemType::Session), ["s2", "s3"]);
    assert_eq!(ids("ada", ItemType::Goal), ["g", "g2"]);
    assert_eq!(ids("nob", ItemType::Session), Vec::<&str>::new());
    assert!(snap.items().readable("ghost", ItemType::Session).is_empty());
    let set = snap.items().readable("bob", ItemType::Session);
    assert!(set.contains("s3") && !set.contains("s"));
    assert_eq!(set.len(), 2);
}

#[test]
fn item_verbs_iterate_and_name_in_fixed_order() {
    let all: Vec<_> = ItemVerbs::ALL.names().collect();
    assert_eq!(
        all,
        ["read", "update", "create", "delete", "modifyPermissions"]
    );
    let v = M | R | D;
    assert_eq!(
        v.iter().collect::<Vec<_>>(),
        [Verb::Read, Verb::Delete, Verb::ModifyPermissions]
    );
    assert_eq!(v.into_iter().len(), 3);
    assert_eq!(format!("{v}"), "[read, delete, modifyPermissions]");
    assert_eq!(format!("{:?}", ItemVerbs::EMPTY), "{}");
    assert_eq!(!ItemVerbs::READ, ItemVerbs::MANAGED);
    for verb in Verb::ALL {
        assert_eq!(Verb::parse(verb.as_str()), Some(verb));
    }
    for t in ItemType::ALL {
        assert_eq!(ItemType::parse(t.as_str()), Some(t));
    }
}

#[test]
fn snapshot_and_item_set_are_send_and_sync() {
    fn check<T: Send + Sync>() {}
    check::<Snapshot>();
    check::<orgperm::ItemSet<'static>>();
    check::<ItemVerbs>();
}

// ---- validation ---------------------------------------------------------------------------

fn err_of<K: Clone>(r: Result<impl core::fmt::Debug, orgperm::Error<K>>) -> (String, K) {
    let e = r.unwrap_err();
    (e.path().to_owned(), e.kind().clone())
}

#[test]
fn validation_rejects_bad_items_with_the_field() {
    let mut m = base();
    m.items_mut().add_item(ItemSpec::session("s")).unwrap();
    m.items_mut().add_item(ItemSpec::goal("g", "s")).unwrap();
    let cases: Vec<(ItemSpec, &str, ItemErrorKind)> = vec![
        (
            ItemSpec::session(""),
            "id",
            ItemErrorKind::Input(InputErrorKind::EmptyId),
        ),
        (
            ItemSpec::session("g"),
            "id",
            ItemErrorKind::Input(InputErrorKind::DuplicateId { id: "g".into() }),
        ),
        (
            ItemSpec::goal("g2", "nope"),
            "parentId",
            ItemErrorKind::UnknownItem { id: "nope".into() },
        ),
        (
            ItemSpec::metric("m", "s"),
            "parentId",
            ItemErrorKind::WrongParentType {
                item_type: ItemType::Metric,
                parent: "s".into(),
                found: ItemType::Session,
                expected: ItemType::Goal,
            },
        ),
        (
            ItemSpec::goal("g3", "g"),
            "parentId",
            ItemErrorKind::WrongParentType {
                item_type: ItemType::Goal,
                parent: "g".into(),
                found: ItemType::Goal,
                expected: ItemType::Session,
            },
        ),
        (
            ItemSpec::new("g4", ItemType::Goal),
            "parentId",
            ItemErrorKind::ParentRequired {
                item_type: ItemType::Goal,
            },
        ),
        (
            ItemSpec::new("d", ItemType::Dashboard).with_parent("s"),
            "parentId",
            ItemErrorKind::ParentNotAllowed {
                item_type: ItemType::Dashboard,
            },
        ),
        (
            ItemSpec::session("s2").owned_by(["ada", "ghost"]),
            "ownerIds[1]",
            ItemErrorKind::Org(OrgErrorKind::UnknownUser { id: "ghost".into() }),
        ),
        (
            ItemSpec::session("s2").created_by("ghost"),
            "creatorId",
            ItemErrorKind::Org(OrgErrorKind::UnknownUser { id: "ghost".into() }),
        ),
        (
            ItemSpec::session("s2").with_access(list([
                AccessEntry::user("ada", R),
                AccessEntry::user("ghost", R),
            ])),
            "access.permissions[1].principalId",
            ItemErrorKind::Org(OrgErrorKind::UnknownUser { id: "ghost".into() }),
        ),
        (
            ItemSpec::session("s2").with_access(list([AccessEntry::team("ghosts", R)])),
            "access.permissions[0].principalId",
            ItemErrorKind::Team(TeamErrorKind::UnknownTeam {
                id: "ghosts".into(),
            }),
        ),
        (
            ItemSpec::session("s2").with_access(list([AccessEntry::role("ghosts", R)])),
            "access.permissions[0].principalId",
            ItemErrorKind::Rbac(RbacErrorKind::UnknownRole {
                id: "ghosts".into(),
            }),
        ),
        (
            ItemSpec::session("s2")
                .with_access(list([AccessEntry::user("ada", R).including_subteams()])),
            "access.permissions[0].includeSubteams",
            ItemErrorKind::Input(InputErrorKind::Conflict {
                reason: "includeSubteams applies to team principals only",
            }),
        ),
        (
            ItemSpec::goal("g5", "s").with_default_access([AccessEntry::account(R)]),
            "defaultAccess",
            ItemErrorKind::ItemDefaultNotAllowed {
                item_type: ItemType::Goal,
            },
        ),
        (
            ItemSpec::session("s2").with_default_access([AccessEntry::team("x", R)]),
            "defaultAccess.permissions[0].principalId",
            ItemErrorKind::Team(TeamErrorKind::UnknownTeam { id: "x".into() }),
        ),
    ];
    let before = m.to_json();
    for (spec, path, kind) in cases {
        let id = spec.id.clone();
        assert_eq!(
            err_of(m.items_mut().add_item(spec)),
            (path.to_owned(), kind),
            "{id}"
        );
    }
    assert_eq!(m.to_json(), before, "nothing half-applied");
}

#[test]
fn validation_of_edits() {
    let mut m = base();
    m.items_mut().add_item(ItemSpec::session("s")).unwrap();
    m.items_mut().add_item(ItemSpec::goal("g", "s")).unwrap();
    let unknown = ItemErrorKind::UnknownItem { id: "x".into() };
    assert_eq!(
        err_of(m.items_mut().set_item_access("x", None)),
        ("id".into(), unknown.clone())
    );
    assert_eq!(
        err_of(m.items_mut().set_item_owners("x", &[])),
        ("id".into(), unknown.clone())
    );
    assert_eq!(
        err_of(m.items_mut().set_item_creator("x", None)),
        ("id".into(), unknown.clone())
    );
    assert_eq!(
        err_of(m.items_mut().remove_item("x")),
        ("id".into(), unknown.clone())
    );
    assert_eq!(
        err_of(m.items_mut().set_item_default_access("x", None)),
        ("id".into(), unknown)
    );
    assert_eq!(
        err_of(m.items_mut().remove_item("s")),
        (
            "id".into(),
            ItemErrorKind::HasChildItems {
                id: "s".into(),
                children: 1
            }
        )
    );
    assert_eq!(
        err_of(m.items_mut().set_item_creator("s", Some("ghost"))),
        (
            "creatorId".into(),
            ItemErrorKind::Org(OrgErrorKind::UnknownUser { id: "ghost".into() })
        )
    );
    assert_eq!(
        err_of(
            m.items_mut()
                .set_default_access(ItemType::Goal, Some(vec![AccessEntry::user("ghost", R)]))
        ),
        (
            "permissions[0].principalId".into(),
            ItemErrorKind::Org(OrgErrorKind::UnknownUser { id: "ghost".into() })
        )
    );
    assert_eq!(
        err_of(
            m.items_mut()
                .set_item_gate(ItemType::Goal, ItemGate::new("a", ""))
        ),
        (
            "manage".into(),
            ItemErrorKind::Input(InputErrorKind::EmptyId)
        )
    );
    assert!(ItemErrorKind::UnknownItem { id: "x".into() }.is_not_found());
    // A removed item's id may be used again, for another type.
    m.items_mut().remove_item("g").unwrap();
    assert_eq!(m.items().item_ids().collect::<Vec<_>>(), ["s"]);
    m.items_mut()
        .add_item(ItemSpec::new("g", ItemType::Dashboard))
        .unwrap();
    assert_eq!(
        m.compile().items().item_type("g"),
        Some(ItemType::Dashboard)
    );
}

#[test]
fn error_messages_name_types_and_ids() {
    let e = ErrorKind::Item(ItemErrorKind::WrongParentType {
        item_type: ItemType::Metric,
        parent: "b".into(),
        found: ItemType::InsightBoard,
        expected: ItemType::Goal,
    });
    assert_eq!(
        e.to_string(),
        "item \"b\" is an insightBoard, a metric's parent must be a goal"
    );
    assert_eq!(
        ErrorKind::Item(ItemErrorKind::ParentRequired {
            item_type: ItemType::Goal
        })
        .to_string(),
        "a goal needs a parent session"
    );
    assert_eq!(
        ErrorKind::Item(ItemErrorKind::HasChildItems {
            id: "s".into(),
            children: 2
        })
        .to_string(),
        "item \"s\" still has 2 child item(s)"
    );
}

// ---- document -----------------------------------------------------------------------------

fn doc_model() -> Model {
    let mut m = base();
    m.items_mut()
        .set_default_access(ItemType::Dashboard, Some(vec![AccessEntry::account(R)]))
        .unwrap();
    m.items_mut()
        .set_item_gate(
            ItemType::InsightBoard,
            ItemGate::new("view-boards", "edit-boards"),
        )
        .unwrap();
    m.items_mut()
        .add_item(
            ItemSpec::session("s")
                .created_by("dee")
                .owned_by(["own", "ada"])
                .with_default_access([AccessEntry::new(
                    orgperm::PrincipalKind::Account,
                    "acme",
                    R,
                )]),
        )
        .unwrap();
    m.items_mut()
        .add_item(ItemSpec::goal("g", "s").with_access(list([
            AccessEntry::team("emea", R | U).including_subteams(),
            AccessEntry::role("member", R),
            AccessEntry::user("cy", M),
        ])))
        .unwrap();
    m.items_mut()
        .add_item(ItemSpec::metric("a-metric", "g").with_access(AccessSpec {
            inherits: true,
            permissions: vec![AccessEntry::user("bob", D)],
        }))
        .unwrap();
    m.items_mut()
        .add_item(ItemSpec::new("b", ItemType::InsightBoard).owned_by(["vic"]))
        .unwrap();
    m
}

#[test]
fn document_round_trip_is_deterministic_and_keeps_answers() {
    let m = doc_model();
    let json = m.to_json();
    let again = Model::from_json(&json).unwrap();
    assert_eq!(again.to_json(), json);
    assert_eq!(
        ModelDocument::from_model(&m),
        ModelDocument::from_model(&again)
    );
    let (a, b) = (m.compile(), again.compile());
    for u in ["ada", "bob", "cy", "dee", "eve", "vic", "own", "nob"] {
        for i in ["s", "g", "a-metric", "b"] {
            assert_eq!(a.items().actions(u, i), b.items().actions(u, i), "{u} {i}");
        }
    }
    // Sorted by id: the metric "a-metric" comes before its goal and session.
    let doc: serde_json::Value = serde_json::from_str(&json).unwrap();
    let ids: Vec<&str> = doc["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["a-metric", "b", "g", "s"]);
    assert_eq!(doc["itemGates"][0]["itemType"], "insightBoard");
    assert_eq!(doc["defaultAccess"][0]["itemType"], "dashboard");
    assert_eq!(
        doc["items"][2]["access"]["permissions"][0]["includeSubteams"],
        true
    );
}

#[test]
fn document_without_items_still_reads() {
    let m = Model::from_json(r#"{"version": 1, "users": [{"id": "a"}]}"#).unwrap();
    assert_eq!(m.items().item_ids().count(), 0);
    assert!(!m.to_json().contains("items"));
}

#[test]
fn document_import_errors_point_into_the_document() {
    let base_json = doc_model().to_json();
    let doc: serde_json::Value = serde_json::from_str(&base_json).unwrap();
    let cases: Vec<(&str, serde_json::Value, &str)> = vec![
        (
            "items[2].access.permissions[1].principalId",
            serde_json::json!({"id": "x", "type": "session", "access": {"permissions": [
                {"principalKind": "user", "principalId": "ada", "grant": ["read"]},
                {"principalKind": "team", "principalId": "nope", "grant": ["read"]}]}}),
            "unknown team \"nope\"",
        ),
        (
            "items[2].access.permissions[0].grant[1]",
            serde_json::json!({"id": "x", "type": "session", "access": {"permissions": [
                {"principalKind": "user", "principalId": "ada", "grant": ["read", "write"]}]}}),
            "unknown verb \"write\"",
        ),
        (
            "items[2].access.permissions[0].principalKind",
            serde_json::json!({"id": "x", "type": "session", "access": {"permissions": [
                {"principalKind": "group", "principalId": "g", "grant": ["read"]}]}}),
            "unknown principal kind \"group\"",
        ),
        (
            "items[2].type",
            serde_json::json!({"id": "x", "type": "okr"}),
            "unknown item type \"okr\"",
        ),
        (
            "items[2].parentId",
            serde_json::json!({"id": "x", "type": "metric", "parentId": "b"}),
            "item \"b\" is an insightBoard",
        ),
        (
            "items[2].parentId",
            serde_json::json!({"id": "x", "type": "goal", "parentId": "zzz"}),
            "unknown item \"zzz\"",
        ),
        (
            // The second occurrence in document order: the goal, now at index 3.
            "items[3].id",
            serde_json::json!({"id": "g", "type": "dashboard"}),
            "duplicate id \"g\"",
        ),
        (
            "items[2].defaultAccess.permissions[0].principalId",
            serde_json::json!({"id": "x", "type": "dashboard", "defaultAccess": {"permissions": [
                {"principalKind": "role", "principalId": "nope", "grant": []}]}}),
            "unknown role \"nope\"",
        ),
    ];
    for (path, item, message) in cases {
        let mut d = doc.clone();
        d["items"].as_array_mut().unwrap().insert(2, item);
        let err = Model::from_json(&d.to_string()).unwrap_err();
        assert_eq!(err.path(), path, "{err}");
        assert!(err.to_string().contains(message), "{err}");
    }
    let mut d = doc.clone();
    d["defaultAccess"][0]["permissions"][0]["grant"] = serde_json::json!(["read", "READ"]);
    let err = Model::from_json(&d.to_string()).unwrap_err();
    assert_eq!(err.path(), "defaultAccess[0].permissions[0].grant[1]");
    let mut d = doc.clone();
    d["defaultAccess"][0]["itemType"] = serde_json::json!("board");
    let err = Model::from_json(&d.to_string()).unwrap_err();
    assert_eq!(err.path(), "defaultAccess[0].itemType");
    let mut d = doc;
    d["itemGates"][0]["manage"] = serde_json::json!("");
    let err = Model::from_json(&d.to_string()).unwrap_err();
    assert_eq!(err.path(), "itemGates[0].manage");
}

#[test]
fn can_answers_each_verb_exactly_and_fails_closed_on_unknown_ids() {
    let mut m = base();
    m.items_mut()
        .add_item(
            ItemSpec::new("d", ItemType::Dashboard)
                .owned_by(["own"])
                .with_access(list([AccessEntry::user("ada", R | U)])),
        )
        .unwrap();
    m.items_mut()
        .add_item(ItemSpec::new("gone", ItemType::Dashboard).owned_by(["ada"]))
        .unwrap();
    let gone = m.compile().items().item_id("gone").unwrap();
    m.items_mut().remove_item("gone").unwrap();
    let snap = m.compile();
    let can = |user: &str, item: &str| -> Vec<Verb> {
        Verb::ALL
            .into_iter()
            .filter(|&v| snap.items().can(user, item, v))
            .collect()
    };
    // The list's verbs for ada; an owner's read/update/delete for own; nothing for the rest.
    assert_eq!(can("ada", "d"), [Verb::Read, Verb::Update]);
    assert_eq!(can("own", "d"), [Verb::Read, Verb::Update, Verb::Delete]);
    for user in ["bob", "vic", "nob"] {
        assert_eq!(can(user, "d"), [], "{user}");
    }
    // Unknown user, unknown item, removed item: every verb denied.
    assert_eq!(can("ghost", "d"), []);
    assert_eq!(can("ada", "nope"), []);
    assert_eq!(can("ada", "gone"), []);
    assert_eq!(snap.items().item_id("gone"), None);
    // Dense ids answer as the external ones; a removed or out-of-range dense id denies.
    let (ada, d) = (
        snap.user_id("ada").unwrap(),
        snap.items().item_id("d").unwrap(),
    );
    for v in Verb::ALL {
        assert_eq!(snap.items().can(ada, d, v), snap.items().can("ada", "d", v));
        assert!(!snap.items().can(ada, gone, v), "{v:?}");
        assert!(!snap.items().can(ada, orgperm::ItemId::new(9_999), v));
        assert!(!snap.items().can(orgperm::UserId::new(9_999), d, v));
        assert_eq!(
            snap.items().can("ada", "d", v),
            snap.items().explain("ada", "d", v).allowed
        );
    }
}
