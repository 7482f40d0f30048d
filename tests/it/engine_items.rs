//! The items patch through the engine: random edits of items' lists, default lists, owners
//! and creators, of the per-type default lists (keyed, patched) and of gates, parents and
//! role grants (some compiled whole) answer, forward and reverse, as a fresh compile.

use orgperm::{
    AccessEntry, AccessSpec, ChangeSet, Engine, ItemGate, ItemSpec, ItemType, ItemVerbs, Model, Op,
    Snapshot, Verb,
};
use proptest::prelude::*;

use crate::engine::{USERS, base, user};

/// Every item of [`model`], parents before children.
const ITEMS: [&str; 10] = ["s", "s2", "b0", "d0", "g0", "g1", "g2", "m0", "m1", "m2"];

/// [`base`] with a user holding no role, team members, every type gated by the sessions' actions (so the
/// lists decide for the role holders), two sessions with goals and metrics that inherit,
/// keep their own lists or fall back, a board, a dashboard with a default list, owners,
/// creators and a per-type default.
fn model() -> Model {
    let mut m = base();
    m.add_user(&user(8), Some(&user(3))).unwrap();
    // Members, so that each team entry (with or without its sub-teams) reaches others.
    for (t, u) in [
        ("t0", "u1"),
        ("t0", "u4"),
        ("t1", "u2"),
        ("t1", "u5"),
        ("t1", "u8"),
    ] {
        m.teams_mut().add_team_member(t, u).unwrap();
    }
    let mut items = m.items_mut();
    for t in ItemType::ALL {
        items
            .set_item_gate(t, ItemGate::new("access-sessions", "manage-sessions"))
            .unwrap();
    }
    let read = ItemVerbs::READ;
    items
        .add_item(ItemSpec::session("s2").created_by("u3").owned_by(["u4"]))
        .unwrap();
    items
        .add_item(ItemSpec::new("b0", ItemType::InsightBoard).owned_by(["u1"]))
        .unwrap();
    items
        .add_item(
            ItemSpec::new("d0", ItemType::Dashboard)
                .with_default_access([AccessEntry::team("t0", read).including_subteams()]),
        )
        .unwrap();
    items
        .add_item(ItemSpec::goal("g0", "s").with_access(AccessSpec::inheriting()))
        .unwrap();
    items
        .add_item(
            ItemSpec::goal("g1", "s")
                .owned_by(["u2", "u5"])
                .with_access(AccessSpec::new([AccessEntry::user("u1", read)])),
        )
        .unwrap();
    items.add_item(ItemSpec::goal("g2", "s2")).unwrap();
    items
        .add_item(ItemSpec::metric("m0", "g0").with_access(AccessSpec::inheriting()))
        .unwrap();
    items.add_item(ItemSpec::metric("m1", "g1")).unwrap();
    items
        .add_item(
            ItemSpec::metric("m2", "g2")
                .owned_by(["u6"])
                .with_access(AccessSpec::inheriting()),
        )
        .unwrap();
    items
        .set_default_access(
            ItemType::InsightBoard,
            Some(vec![AccessEntry::role(
                "r1",
                ItemVerbs::READ | ItemVerbs::UPDATE,
            )]),
        )
        .unwrap();
    m
}

/// The edits: mostly the keyed item edits, with role grants (keyed in the roles family) and
/// now and then a gate or a parent move (compiled whole).
fn item_op() -> impl Strategy<Value = Op> {
    let json = |s: String| -> Op { serde_json::from_str(&s).unwrap() };
    let u = || (0..USERS - 1).prop_map(user);
    let item = || proptest::sample::select(&ITEMS[..]);
    let entry = prop_oneof![
        Just(
            r#"{"principalKind": "team", "principalId": "t0", "includeSubteams": true"#.to_owned()
        ),
        Just(r#"{"principalKind": "team", "principalId": "t1""#.to_owned()),
        Just(r#"{"principalKind": "team", "principalId": "t0""#.to_owned()),
        Just(r#"{"principalKind": "role", "principalId": "r1""#.to_owned()),
        Just(r#"{"principalKind": "account", "principalId": "acme""#.to_owned()),
        u().prop_map(|u| format!(r#"{{"principalKind": "user", "principalId": "{u}""#)),
    ];
    let verbs = proptest::sample::subsequence(
        vec![
            r#""read""#,
            r#""update""#,
            r#""delete""#,
            r#""modifyPermissions""#,
        ],
        0..=4,
    );
    let entries = proptest::collection::vec((entry, verbs), 0..3).prop_map(|es| {
        es.into_iter()
            .map(|(e, v)| format!(r#"{e}, "grant": [{}]}}"#, v.join(",")))
            .collect::<Vec<_>>()
            .join(",")
    });
    let ty = || {
        proptest::sample::select(vec![
            "session",
            "goal",
            "metric",
            "insightBoard",
            "dashboard",
        ])
    };
    let role = || proptest::sample::select(vec!["r1", "member"]);
    prop_oneof![
        4 => (item(), proptest::option::of((any::<bool>(), entries.clone()))).prop_map(
            move |(i, a)| json(match a {
                Some((inherits, es)) => format!(
                    r#"{{"op": "setItemAccess", "id": "{i}", "access": {{"inherits": {inherits}, "permissions": [{es}]}}}}"#
                ),
                None => format!(r#"{{"op": "setItemAccess", "id": "{i}"}}"#),
            })
        ),
        2 => (proptest::sample::select(vec!["s", "s2", "d0"]), proptest::option::of(entries.clone()))
            .prop_map(move |(i, es)| json(match es {
                Some(es) => format!(
                    r#"{{"op": "setItemDefaultAccess", "id": "{i}", "defaultAccess": {{"permissions": [{es}]}}}}"#
                ),
                None => format!(r#"{{"op": "setItemDefaultAccess", "id": "{i}"}}"#),
            })),
        2 => (item(), proptest::collection::vec(u(), 0..3)).prop_map(|(i, os)| Op::SetItemOwners {
            id: i.to_owned(),
            owner_ids: os,
        }),
        2 => (item(), proptest::option::of(u())).prop_map(|(i, c)| Op::SetItemCreator {
            id: i.to_owned(),
            creator_id: c,
        }),
        2 => (ty(), proptest::option::of(entries)).prop_map(move |(t, es)| json(match es {
            Some(es) => format!(r#"{{"op": "setDefaultAccess", "itemType": "{t}", "permissions": [{es}]}}"#),
            None => format!(r#"{{"op": "setDefaultAccess", "itemType": "{t}"}}"#),
        })),
        2 => (u(), role()).prop_map(|(u, r)| Op::GrantRole {
            user_id: Some(u),
            group_id: None,
            role_id: r.to_owned(),
            division_id: None,
        }),
        1 => (u(), role()).prop_map(|(u, r)| Op::RevokeRole {
            user_id: Some(u),
            group_id: None,
            role_id: r.to_owned(),
            division_id: None,
        }),
        1 => (ty(), any::<bool>()).prop_map(|(t, open)| Op::SetItemGate {
            item_type: t.to_owned(),
            access: "access-sessions".into(),
            manage: if open { "manage-sessions" } else { "nothing" }.into(),
        }),
        1 => (proptest::sample::select(vec!["g0", "g1", "g2"]), proptest::sample::select(vec!["s", "s2"]))
            .prop_map(|(g, s)| Op::MoveItem { id: g.into(), parent_id: Some(s.into()) }),
    ]
}

/// Every item answer: each user's verbs and their explanations, who may do each verb on
/// each item, and on which items of each type each user may do each verb.
fn item_answers(snap: &Snapshot) -> Vec<String> {
    let items = snap.items();
    let sorted = |mut v: Vec<String>| {
        v.sort_unstable();
        v
    };
    let mut out = Vec::new();
    for v in (0..USERS).map(user) {
        for i in ITEMS {
            out.push(format!("{v} {i} {:?}", items.actions(v.as_str(), i)));
            for verb in Verb::ALL {
                let d = items.explain(v.as_str(), i, verb);
                out.push(format!("why {v} {i} {verb:?} {} {d}", d.allowed));
            }
        }
        for t in ItemType::ALL {
            for verb in Verb::ALL {
                let on = items.with_verb(v.as_str(), t, verb);
                let ids = sorted(on.external_ids().map(str::to_owned).collect());
                out.push(format!("with {v} {t:?} {verb:?} {ids:?}"));
            }
        }
    }
    for i in ITEMS {
        for (verb, who) in items.who_can_each(i) {
            let ids = sorted(who.external_ids().map(str::to_owned).collect());
            out.push(format!("who {i} {verb:?} {ids:?}"));
        }
    }
    out
}

proptest! {
    #![proptest_config(crate::common::config(64))]

    /// After each commit the live items (patched for the keyed edits) answer every forward
    /// and reverse query, and explain every verb, as a fresh compile of the model.
    #[test]
    fn patched_items_answer_as_a_fresh_compile(
        sets in proptest::collection::vec(proptest::collection::vec(item_op(), 1..4), 1..10)
    ) {
        let engine = Engine::new(model());
        prop_assert_eq!(item_answers(&engine.snapshot()), item_answers(&engine.model().compile()));
        for ops in sets {
            let mut changes = ChangeSet::new();
            changes.ops = ops;
            let before = engine.version();
            if engine.apply(&changes).is_err() {
                prop_assert_eq!(engine.version(), before);
            }
            let live = engine.snapshot();
            let fresh = engine.model().compile();
            prop_assert_eq!(item_answers(&live), item_answers(&fresh));
        }
    }
}
