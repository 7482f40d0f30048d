//! The reverse item queries with exact answers (docs/semantics.md §3): who may do a verb on an
//! item (`who_can`, `who_can_each`) and on which items a user may do a verb (`with_verb`),
//! one test per layer of the check, each set written out in full.

use std::collections::BTreeSet;

use orgperm::{
    AccessEntry, AccessSpec, ActionSpec, GlobalPermissionSpec, ItemSpec, ItemType, ItemVerbs,
    Model, PermissionSpec, PrincipalKind, RoleSpec, Snapshot, Subject, Verb,
};

const R: ItemVerbs = ItemVerbs::READ;
const U: ItemVerbs = ItemVerbs::UPDATE;
const C: ItemVerbs = ItemVerbs::CREATE;
const D: ItemVerbs = ItemVerbs::DELETE;
const M: ItemVerbs = ItemVerbs::MODIFY_PERMISSIONS;

const TYPES: [&str; 5] = [
    "sessions",
    "goals",
    "metrics",
    "insightboards",
    "dashboards",
];

const USERS: [&str; 9] = ["ada", "bob", "cy", "dee", "eve", "vic", "own", "nob", "rdr"];

/// Users ada, bob, cy, dee, own (role `member`: every gate action), eve (member and admin),
/// vic (view-only role `viewer`, which holds every gate action too, so only the cap
/// restricts it), rdr (role `reader`: the access actions only), nob (no role). Teams:
/// sales > emea > uk with ada in sales, bob in emea, cy in uk.
fn base() -> Model {
    let mut m = Model::new();
    for u in USERS {
        m.add_user(u, None).unwrap();
    }
    m.rbac_mut().add_division("home", "Home").unwrap();
    m.rbac_mut()
        .add_permission(PermissionSpec::new("admin", "Administrator"))
        .unwrap();
    for (id, spec) in [
        ("member", RoleSpec::new("member", "Member")),
        ("viewer", RoleSpec::new("viewer", "Viewer").view_only()),
        (
            "admins",
            RoleSpec::new("admins", "Admins").with_permission("admin"),
        ),
        ("reader", RoleSpec::new("reader", "Reader")),
    ] {
        m.rbac_mut().create_role(spec).unwrap();
        let holders: &[&str] = match id {
            "member" => &["ada", "bob", "cy", "dee", "eve", "own"],
            "viewer" => &["vic"],
            "admins" => &["eve"],
            _ => &["rdr"],
        };
        for u in holders {
            m.rbac_mut().grant_role(Subject::User(u), id, None).unwrap();
        }
    }
    let mut specs = Vec::new();
    for t in TYPES {
        specs.push(ActionSpec::new(format!("access-{t}"), "Access"));
        specs.push(
            ActionSpec::new(format!("manage-{t}"), "Manage").requiring(format!("access-{t}")),
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
        m.rbac_mut()
            .create_global_permission(GlobalPermissionSpec::new(
                format!("gp-access-{t}"),
                format!("access-{t}"),
                ["reader"],
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

/// A session whose own list is this one entry.
fn session_with(id: &str, entry: AccessEntry) -> ItemSpec {
    ItemSpec::session(id).with_access(AccessSpec::new([entry]))
}

fn who(snap: &Snapshot, item: &str, verb: Verb) -> BTreeSet<String> {
    snap.items()
        .who_can(item, verb)
        .external_ids()
        .map(str::to_owned)
        .collect()
}

fn set(users: &[&str]) -> BTreeSet<String> {
    users.iter().map(|u| (*u).to_owned()).collect()
}

/// Every user's membership agrees with `can` and `explain`, and the dense form and
/// `who_can_each` give the same set.
fn assert_consistent(snap: &Snapshot, item: &str) {
    let each = snap.items().who_can_each(item);
    for (k, verb) in Verb::ALL.into_iter().enumerate() {
        let s = snap.items().who_can(item, verb);
        for u in USERS {
            assert_eq!(
                s.contains(u),
                snap.items().can(u, item, verb),
                "{u} {item} {verb}"
            );
            assert_eq!(s.contains(u), snap.items().explain(u, item, verb).allowed);
        }
        let dense = snap
            .items()
            .who_can(snap.items().item_id(item).unwrap(), verb);
        assert_eq!(dense.to_sorted_ids(), s.to_sorted_ids());
        assert_eq!(each[k].0, verb);
        assert_eq!(each[k].1.to_sorted_ids(), s.to_sorted_ids());
    }
}

#[test]
fn team_entries_reach_members_and_with_sub_teams_the_subtree() {
    let mut m = base();
    m.items_mut()
        .add_item(ItemSpec::session("s").with_access(AccessSpec::new([
            AccessEntry::team("emea", R | U).including_subteams(),
            AccessEntry::team("sales", R),
        ])))
        .unwrap();
    let snap = m.compile();
    // emea with sub-teams: bob (emea) and cy (uk); sales alone: ada, not bob or cy.
    assert_eq!(who(&snap, "s", Verb::Read), set(&["ada", "bob", "cy"]));
    assert_eq!(who(&snap, "s", Verb::Update), set(&["bob", "cy"]));
    assert!(who(&snap, "s", Verb::Create).is_empty());
    assert_consistent(&snap, "s");

    // The tree moves: uk leaves emea, so cy no longer updates.
    m.teams_mut().move_team("uk", Some("sales")).unwrap();
    let snap = m.compile();
    assert_eq!(who(&snap, "s", Verb::Update), set(&["bob"]));
    assert_consistent(&snap, "s");
}

#[test]
fn role_entries_reach_holders_directly_and_through_a_group() {
    let mut m = base();
    m.rbac_mut()
        .create_role(RoleSpec::new("analyst", "Analyst"))
        .unwrap();
    m.rbac_mut()
        .grant_role(Subject::User("ada"), "analyst", None)
        .unwrap();
    m.rbac_mut().add_group("g1", "Analysts").unwrap();
    m.rbac_mut()
        .add_group_members("g1", &["bob", "rdr"])
        .unwrap();
    m.rbac_mut()
        .grant_role(Subject::Group("g1"), "analyst", Some("*"))
        .unwrap();
    m.items_mut()
        .add_item(session_with("s", AccessEntry::role("analyst", R | C)))
        .unwrap();
    let snap = m.compile();
    assert_eq!(who(&snap, "s", Verb::Read), set(&["ada", "bob", "rdr"]));
    // rdr holds only the access actions: the role layer keeps create from them.
    assert_eq!(who(&snap, "s", Verb::Create), set(&["ada", "bob"]));
    assert_consistent(&snap, "s");
}

#[test]
fn an_account_entry_is_every_active_user_the_role_layer_lets_through() {
    let mut m = base();
    m.items_mut()
        .add_item(session_with(
            "s",
            AccessEntry::new(PrincipalKind::Account, "acme", R | U),
        ))
        .unwrap();
    let snap = m.compile();
    // nob holds no action; vic is capped at read; rdr has no manage action.
    assert_eq!(
        who(&snap, "s", Verb::Read),
        set(&["ada", "bob", "cy", "dee", "eve", "vic", "own", "rdr"])
    );
    assert_eq!(
        who(&snap, "s", Verb::Update),
        set(&["ada", "bob", "cy", "dee", "eve", "own"])
    );
    assert_consistent(&snap, "s");
}

#[test]
fn owners_get_read_update_delete_whatever_the_list_gate_or_cap() {
    let mut m = base();
    m.items_mut()
        .add_item(
            ItemSpec::new("d", ItemType::Dashboard)
                .owned_by(["own", "nob", "vic"])
                .with_access(AccessSpec::new([AccessEntry::user(
                    "ada",
                    R | U | C | D | M,
                )])),
        )
        .unwrap();
    let snap = m.compile();
    let owners_and_ada = set(&["ada", "own", "nob", "vic"]);
    assert_eq!(who(&snap, "d", Verb::Read), owners_and_ada);
    assert_eq!(who(&snap, "d", Verb::Update), owners_and_ada);
    assert_eq!(who(&snap, "d", Verb::Delete), owners_and_ada);
    assert_eq!(who(&snap, "d", Verb::Create), set(&["ada"]));
    assert_eq!(who(&snap, "d", Verb::ModifyPermissions), set(&["ada"]));
    assert_consistent(&snap, "d");
}

#[test]
fn view_only_users_are_in_the_read_set_only() {
    let mut m = base();
    m.items_mut()
        .add_item(session_with("s", AccessEntry::user("vic", ItemVerbs::ALL)))
        .unwrap();
    let snap = m.compile();
    assert_eq!(who(&snap, "s", Verb::Read), set(&["vic"]));
    for verb in [
        Verb::Update,
        Verb::Create,
        Verb::Delete,
        Verb::ModifyPermissions,
    ] {
        assert!(who(&snap, "s", verb).is_empty(), "{verb}");
    }
    assert_consistent(&snap, "s");
}

#[test]
fn gated_users_are_left_out() {
    let mut m = base();
    m.items_mut()
        .add_item(session_with("s", AccessEntry::user("nob", ItemVerbs::ALL)))
        .unwrap();
    m.items_mut()
        .add_item(session_with("s2", AccessEntry::user("rdr", ItemVerbs::ALL)))
        .unwrap();
    let snap = m.compile();
    assert!(who(&snap, "s", Verb::Read).is_empty()); // nob holds no action at all
    assert_eq!(who(&snap, "s2", Verb::Read), set(&["rdr"]));
    assert!(who(&snap, "s2", Verb::Update).is_empty()); // no manage action
    // A gate action missing from the catalog gates its verbs off for everyone.
    m.items_mut()
        .set_item_gate(
            ItemType::Session,
            orgperm::ItemGate::new("access-sessions", "no-such-action"),
        )
        .unwrap();
    m.items_mut()
        .add_item(session_with("s3", AccessEntry::user("ada", ItemVerbs::ALL)))
        .unwrap();
    let snap = m.compile();
    assert_eq!(who(&snap, "s3", Verb::Read), set(&["ada"]));
    assert!(who(&snap, "s3", Verb::Update).is_empty());
    assert_consistent(&snap, "s3");
}

#[test]
fn removed_users_are_never_in_a_set() {
    let mut m = base();
    m.teams_mut().add_team_member("uk", "dee").unwrap();
    m.items_mut()
        .add_item(
            ItemSpec::session("s")
                .owned_by(["dee"])
                .with_access(AccessSpec::new([
                    AccessEntry::user("dee", ItemVerbs::ALL),
                    AccessEntry::team("sales", R).including_subteams(),
                    AccessEntry::role("member", U),
                ])),
        )
        .unwrap();
    let snap = m.compile();
    assert_eq!(
        who(&snap, "s", Verb::Read),
        set(&["ada", "bob", "cy", "dee"])
    );
    assert_eq!(
        who(&snap, "s", Verb::Update),
        set(&["ada", "bob", "cy", "dee", "eve", "own"])
    );
    assert!(who(&snap, "s", Verb::ModifyPermissions).contains("dee"));
    // Removed while owner, user entry, team member and role holder: in no set.
    m.remove_user("dee").unwrap();
    let snap = m.compile();
    assert_eq!(who(&snap, "s", Verb::Read), set(&["ada", "bob", "cy"]));
    assert_eq!(
        who(&snap, "s", Verb::Update),
        set(&["ada", "bob", "cy", "eve", "own"])
    );
    assert!(who(&snap, "s", Verb::ModifyPermissions).is_empty());
    assert_consistent(&snap, "s");
    // Added again, the id is a new user holding nothing.
    m.add_user("dee", None).unwrap();
    let snap = m.compile();
    for verb in Verb::ALL {
        assert!(!who(&snap, "s", verb).contains("dee"), "{verb}");
    }
}

#[test]
fn unknown_and_removed_items_give_empty_sets() {
    let mut m = base();
    m.items_mut()
        .add_item(ItemSpec::session("s").owned_by(["ada"]))
        .unwrap();
    let snap = m.compile();
    assert!(!who(&snap, "s", Verb::Read).is_empty());
    for verb in Verb::ALL {
        assert!(snap.items().who_can("nope", verb).is_empty());
    }
    assert!(
        snap.items()
            .who_can_each("nope")
            .iter()
            .all(|(_, s)| s.is_empty())
    );
    m.items_mut().remove_item("s").unwrap();
    let snap = m.compile();
    for verb in Verb::ALL {
        assert!(snap.items().who_can("s", verb).is_empty());
    }
}

#[test]
fn the_unconfigured_session_default_gives_modify_to_the_creator_and_admins() {
    let mut m = base();
    m.items_mut()
        .add_item(ItemSpec::session("s").created_by("cy"))
        .unwrap();
    let snap = m.compile();
    let members = set(&["ada", "bob", "cy", "dee", "eve", "own"]);
    assert_eq!(
        who(&snap, "s", Verb::Read),
        set(&["ada", "bob", "cy", "dee", "eve", "vic", "own", "rdr"])
    );
    assert_eq!(who(&snap, "s", Verb::Update), members);
    assert_eq!(who(&snap, "s", Verb::Delete), members);
    assert_eq!(
        who(&snap, "s", Verb::ModifyPermissions),
        set(&["cy", "eve"])
    );
    assert_consistent(&snap, "s");
}

#[test]
fn a_metric_three_levels_deep_answers_with_its_inherited_list() {
    let mut m = base();
    m.items_mut()
        .add_item(ItemSpec::session("s").with_access(AccessSpec::new([
            AccessEntry::team("sales", R | U).including_subteams(),
            AccessEntry::role("reader", R),
        ])))
        .unwrap();
    m.items_mut()
        .add_item(ItemSpec::goal("g", "s").with_access(AccessSpec::inheriting()))
        .unwrap();
    m.items_mut()
        .add_item(
            ItemSpec::metric("x", "g")
                .owned_by(["dee"])
                .with_access(AccessSpec::inheriting()),
        )
        .unwrap();
    let snap = m.compile();
    assert_eq!(
        who(&snap, "x", Verb::Update),
        set(&["ada", "bob", "cy", "dee"])
    );
    assert_eq!(
        who(&snap, "x", Verb::Read),
        set(&["ada", "bob", "cy", "dee", "rdr"])
    );
    assert_eq!(who(&snap, "g", Verb::Update), set(&["ada", "bob", "cy"]));
    assert_consistent(&snap, "x");
}

#[test]
fn with_verb_lists_exactly_the_items_of_the_type() {
    let mut m = base();
    m.items_mut()
        .add_item(ItemSpec::session("s").with_access(AccessSpec::new([
            AccessEntry::team("emea", R | U).including_subteams(),
        ])))
        .unwrap();
    for (g, verbs) in [("g1", R | U), ("g2", R), ("g3", C)] {
        m.items_mut()
            .add_item(
                ItemSpec::goal(g, "s")
                    .with_access(AccessSpec::new([AccessEntry::user("bob", verbs)])),
            )
            .unwrap();
    }
    m.items_mut()
        .add_item(ItemSpec::goal("g4", "s").owned_by(["vic"]))
        .unwrap();
    m.items_mut()
        .add_item(ItemSpec::goal("g5", "s").with_access(AccessSpec::inheriting()))
        .unwrap();
    let snap = m.compile();
    let items = |u: &str, verb: Verb| -> Vec<String> {
        snap.items()
            .with_verb(u, ItemType::Goal, verb)
            .external_ids()
            .map(str::to_owned)
            .collect()
    };
    // g4 has no list: the session's (emea with sub-teams); g5 inherits it.
    assert_eq!(items("bob", Verb::Read), ["g1", "g2", "g4", "g5"]);
    assert_eq!(items("bob", Verb::Update), ["g1", "g4", "g5"]);
    assert_eq!(items("bob", Verb::Create), ["g3"]);
    assert!(items("bob", Verb::Delete).is_empty());
    assert_eq!(items("cy", Verb::Update), ["g4", "g5"]);
    // vic owns g4: read, update and delete, past the view-only cap; create is not an owner's.
    assert_eq!(items("vic", Verb::Delete), ["g4"]);
    assert!(items("vic", Verb::Create).is_empty());
    assert!(items("nobody", Verb::Read).is_empty());
    assert_eq!(
        snap.items()
            .readable("bob", ItemType::Goal)
            .external_ids()
            .collect::<Vec<_>>(),
        items("bob", Verb::Read)
    );
    // The dense user id gives the same sets; explanations agree with membership.
    let bob = snap.user_id("bob").unwrap();
    for verb in Verb::ALL {
        let dense = snap.items().with_verb(bob, ItemType::Goal, verb);
        assert_eq!(dense.external_ids().collect::<Vec<_>>(), items("bob", verb));
        for g in ["g1", "g2", "g3", "g4", "g5"] {
            assert_eq!(
                dense.contains(g),
                snap.items().explain("bob", g, verb).allowed,
                "{g} {verb}"
            );
        }
    }
    // Other types are not listed.
    assert!(
        snap.items()
            .with_verb("bob", ItemType::Metric, Verb::Read)
            .is_empty()
    );
    assert_eq!(
        snap.items()
            .with_verb("bob", ItemType::Session, Verb::Update)
            .external_ids()
            .collect::<Vec<_>>(),
        ["s"]
    );
}
