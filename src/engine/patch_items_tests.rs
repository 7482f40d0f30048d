//! The items family's patch for item edits (lists, owners, creators, per-type defaults)
//! against a fresh compile, and what it shares with the items before. It lives in the engine
//! layer, above the model, because it builds its state through the model.

use std::sync::Arc;

use crate::items::compiled::PATCH_LIMIT;
use crate::model::Families;
use crate::{
    ActionSpec, ChangeSet, GlobalPermissionSpec, ItemGate, ItemSpec, ItemType, Model, Op, RoleSpec,
    Snapshot, Subject, Verb,
};

const USERS: usize = 6;

/// Dashboards after the session tree, so that the items' tables span two chunks.
const DASHBOARDS: usize = 5_000;

/// Six users holding the gate actions of sessions, goals, metrics and dashboards; a session
/// with three goals and two metrics each, all inheriting; `dashboards` dashboards.
fn model(dashboards: usize) -> Model {
    let mut m = Model::new();
    for i in 0..USERS {
        let boss = (i > 0).then(|| format!("u{}", (i - 1) / 2));
        m.add_user(&format!("u{i}"), boss.as_deref()).unwrap();
    }
    let mut r = m.rbac_mut();
    r.add_division("home", "Home").unwrap();
    r.add_actions(vec![
        ActionSpec::new("acc", "Access"),
        ActionSpec::new("man", "Manage").requiring("acc"),
    ])
    .unwrap();
    r.create_role(RoleSpec::new("member", "Member")).unwrap();
    r.create_global_permission(GlobalPermissionSpec::new("gp", "man", ["member"]))
        .unwrap();
    for i in 0..USERS {
        m.rbac_mut()
            .grant_role(Subject::User(&format!("u{i}")), "member", None)
            .unwrap();
    }
    let mut items = m.items_mut();
    for t in ItemType::ALL {
        items.set_item_gate(t, ItemGate::new("acc", "man")).unwrap();
    }
    let inherit = || crate::AccessSpec::inheriting();
    items.add_item(ItemSpec::session("s")).unwrap();
    for g in 0..3 {
        let goal = format!("g{g}");
        items
            .add_item(ItemSpec::goal(&goal, "s").with_access(inherit()))
            .unwrap();
        for k in 0..2 {
            items
                .add_item(ItemSpec::metric(format!("m{g}{k}"), &goal).with_access(inherit()))
                .unwrap();
        }
    }
    for d in 0..dashboards {
        items
            .add_item(ItemSpec::new(format!("d{d}"), ItemType::Dashboard))
            .unwrap();
    }
    m
}

/// Applies one operation to `m` and compiles it over `prev` as the engine does; asserts
/// that it is patched (keyed), not compiled whole.
fn commit(m: &mut Model, prev: &Snapshot, json: &str) -> Snapshot {
    let op: Op = serde_json::from_str(json).unwrap();
    crate::change::apply_op(m, &op).unwrap();
    let mut changes = ChangeSet::new();
    changes.ops = vec![op];
    let touched = changes.touched(m);
    assert_eq!(touched.whole, Families::NONE, "{json}");
    assert!(touched.keyed.contains(Families::ITEMS), "{json}");
    m.compile_after(prev, &touched)
}

/// Each user's verbs on the tree and two dashboards, who may do each verb there, and how
/// many items of each type each user may read or update.
fn answers(snap: &Snapshot) -> Vec<String> {
    let items = snap.items();
    let last = format!("d{}", DASHBOARDS - 1);
    let ids = ["s", "g0", "g2", "m00", "m21", "d0", last.as_str()];
    let mut out = Vec::new();
    for u in (0..USERS).map(|i| format!("u{i}")) {
        for i in ids {
            out.push(format!("{u} {i} {:?}", items.actions(u.as_str(), i)));
        }
        for t in ItemType::ALL {
            for verb in [Verb::Read, Verb::Update, Verb::Delete] {
                let n = items.with_verb(u.as_str(), t, verb).len();
                out.push(format!("{u} {t:?} {verb:?} {n}"));
            }
        }
    }
    for i in ids {
        for (verb, who) in items.who_can_each(i) {
            let mut who: Vec<&str> = who.external_ids().collect();
            who.sort_unstable();
            out.push(format!("who {i} {verb:?} {who:?}"));
        }
    }
    out
}

#[test]
fn an_item_edit_is_patched_copying_only_the_chunks_it_writes() {
    let mut m = model(DASHBOARDS);
    let before = m.compile();
    // The session's list reaches its goals and metrics, all in the first chunk.
    let after = commit(
        &mut m,
        &before,
        r#"{"op": "setItemAccess", "id": "s", "access": {"permissions": [
            {"principalKind": "user", "principalId": "u3", "grant": ["read", "update"]}]}}"#,
    );
    assert_eq!(answers(&after), answers(&m.compile()));
    assert_ne!(answers(&after), answers(&before));
    let (b, a) = (&before.items, &after.items);
    assert!(Arc::ptr_eq(&b.reverse.active, &a.reverse.active));
    assert!(!b.recs.shares_chunk(&a.recs, 0));
    assert!(b.recs.shares_chunk(&a.recs, 1));
    assert!(b.user_word.shares_chunk(&a.user_word, 0));

    // A dashboard's owners and list: the second chunk only.
    let last = format!("d{}", DASHBOARDS - 1);
    let owned = commit(
        &mut m,
        &after,
        &format!(r#"{{"op": "setItemOwners", "id": "{last}", "ownerIds": ["u5", "u1"]}}"#),
    );
    let listed = commit(
        &mut m,
        &owned,
        &format!(
            r#"{{"op": "setItemAccess", "id": "{last}", "access": {{"permissions": [
                {{"principalKind": "account", "principalId": "acme", "grant": ["read"]}}]}}}}"#
        ),
    );
    assert_eq!(answers(&listed), answers(&m.compile()));
    let (b, a) = (&after.items, &listed.items);
    assert!(b.recs.shares_chunk(&a.recs, 0));
    assert!(!b.recs.shares_chunk(&a.recs, 1));
    assert!(Arc::ptr_eq(&b.reverse.active, &a.reverse.active));
    // The snapshots before are left as they were.
    assert_eq!(
        after.items().actions("u5", last.as_str()),
        crate::ItemVerbs::EMPTY
    );
}

#[test]
fn a_type_default_and_a_creator_are_patched_as_a_fresh_compile() {
    let mut m = model(3);
    let mut snap = m.compile();
    for json in [
        r#"{"op": "setDefaultAccess", "itemType": "goal", "permissions": [
            {"principalKind": "user", "principalId": "u2", "grant": ["delete"]}]}"#,
        r#"{"op": "setItemAccess", "id": "g1", "access": {"inherits": false, "permissions": []}}"#,
        r#"{"op": "setItemAccess", "id": "g1"}"#,
        r#"{"op": "setItemCreator", "id": "s", "creatorId": "u4"}"#,
        r#"{"op": "setItemAccess", "id": "s"}"#,
        r#"{"op": "setDefaultAccess", "itemType": "dashboard", "permissions": [
            {"principalKind": "user", "principalId": "u1", "grant": ["update"]}]}"#,
        r#"{"op": "setDefaultAccess", "itemType": "goal"}"#,
    ] {
        let next = commit(&mut m, &snap, json);
        assert!(Arc::ptr_eq(
            &snap.items.reverse.active,
            &next.items.reverse.active
        ));
        assert_eq!(answers(&next), answers(&m.compile()), "{json}");
        snap = next;
    }
}

#[test]
fn patches_past_the_limit_compile_whole() {
    let mut m = model(1);
    let mut snap = m.compile();
    // Each edit makes a list the item did not have: one more appended.
    for k in 0..=PATCH_LIMIT {
        let u = k % 2;
        let next = commit(
            &mut m,
            &snap,
            &format!(
                r#"{{"op": "setItemAccess", "id": "d0", "access": {{"permissions": [
                    {{"principalKind": "user", "principalId": "u{u}", "grant": ["read"]}}]}}}}"#
            ),
        );
        let patched = Arc::ptr_eq(&snap.items.reverse.active, &next.items.reverse.active);
        assert_eq!(patched, k < PATCH_LIMIT, "edit {k}");
        snap = next;
    }
    assert_eq!(answers(&snap), answers(&m.compile()));
}
