//! What-if impact: `Impact::between` and `Engine::preview` list exactly the forward checks
//! whose answer differs between two snapshots, family by family.

use std::collections::BTreeMap;

use orgperm::{ChangeSet, Domain, Engine, Impact, Level, Model, Op, ProfileSpec, Snapshot, Verb};
use proptest::prelude::*;

use crate::engine::{USERS, answers, base, op, user};

type Diff = BTreeMap<String, (Vec<String>, Vec<String>)>;

const PERMISSIONS: [&str; 2] = ["routing:queue:view", "routing:queue:edit"];
const DIVISIONS: [&str; 2] = ["home", "emea"];
/// The random operations add this permission division-aware.
const AWARE: &str = "routing:queue:edit";
const ACTIONS: [&str; 2] = ["access-sessions", "manage-sessions"];
const CAPABILITIES: [&str; 2] = ["deals", "scoreCalls"];
const FOLDERS: [&str; 2] = ["wins", "losses"];
/// The calls the engine's random change sets touch (`c4` and `c5` only added by them).
const CALLS: [&str; 6] = ["c0", "c1", "c2", "c3", "c4", "c5"];
const ITEMS: [&str; 1] = ["s"];

fn users() -> Vec<String> {
    (0..USERS).map(user).collect()
}

/// Adds `who` to the gained or lost side of `key` when the two answers differ.
fn record(out: &mut Diff, key: String, who: &str, before: bool, after: bool) {
    if before == after {
        return;
    }
    let entry = out.entry(key).or_default();
    if after {
        entry.0.push(who.to_owned());
    } else {
        entry.1.push(who.to_owned());
    }
}

/// The brute-force difference: every forward check, every pair, in both snapshots.
fn brute_force(b: &Snapshot, a: &Snapshot) -> Diff {
    let mut out = Diff::new();
    let us = users();
    for v in &us {
        for d in Domain::ALL {
            for o in &us {
                let (x, y) = (
                    b.can_access(v.as_str(), d, o.as_str()),
                    a.can_access(v.as_str(), d, o.as_str()),
                );
                record(
                    &mut out,
                    format!("reach default {} {v}", d.field()),
                    o,
                    x,
                    y,
                );
            }
        }
        for c in CAPABILITIES {
            let (x, y) = (
                b.has_capability(v.as_str(), c),
                a.has_capability(v.as_str(), c),
            );
            record(&mut out, format!("capabilities default {v}"), c, x, y);
        }
        for f in FOLDERS {
            let (x, y) = (
                b.profiles().can_access_folder(v.as_str(), f),
                a.profiles().can_access_folder(v.as_str(), f),
            );
            record(&mut out, format!("folders default {v}"), f, x, y);
        }
        for p in PERMISSIONS {
            let (x, y) = (
                b.rbac().has_permission(v.as_str(), p),
                a.rbac().has_permission(v.as_str(), p),
            );
            record(&mut out, format!("permission {p}"), v, x, y);
            for d in DIVISIONS {
                // Per division only for the division-aware one (the other answers the same
                // in every division: the entry without a division).
                if p != AWARE {
                    continue;
                }
                let (x, y) = (
                    b.rbac().has_permission_on(v.as_str(), p, d, &[]),
                    a.rbac().has_permission_on(v.as_str(), p, d, &[]),
                );
                record(&mut out, format!("permission {p} in {d}"), v, x, y);
            }
        }
        for act in ACTIONS {
            let (x, y) = (
                b.rbac().has_action(v.as_str(), act),
                a.rbac().has_action(v.as_str(), act),
            );
            record(&mut out, format!("action {act}"), v, x, y);
        }
        for c in CALLS {
            let (x, y) = (
                b.calls().can_open(v.as_str(), c),
                a.calls().can_open(v.as_str(), c),
            );
            record(&mut out, format!("calls default {v}"), c, x, y);
        }
        for i in ITEMS {
            for verb in Verb::ALL {
                let (x, y) = (
                    b.items().can(v.as_str(), i, verb),
                    a.items().can(v.as_str(), i, verb),
                );
                record(&mut out, format!("item {i} {verb}"), v, x, y);
            }
        }
        let (x, y) = (
            b.networks().has_permission(v.as_str(), "WHATSAPP", "send"),
            a.networks().has_permission(v.as_str(), "WHATSAPP", "send"),
        );
        record(&mut out, "network WHATSAPP send".to_owned(), v, x, y);
    }
    for (g, l) in out.values_mut() {
        g.sort();
        l.sort();
    }
    out
}

/// The impact's entries in the same shape. Division-aware entries whose division the
/// brute force does not name are kept, so an entry for an unknown division fails the test.
fn listed(impact: &Impact) -> Diff {
    let mut out = Diff::new();
    let mut put = |key: String, g: Vec<&str>, l: Vec<&str>| {
        let entry = out.entry(key).or_insert_with(|| (Vec::new(), Vec::new()));
        entry.0.extend(g.into_iter().map(str::to_owned));
        entry.1.extend(l.into_iter().map(str::to_owned));
    };
    for c in impact.reach() {
        put(
            format!("reach {} {} {}", c.workspace, c.domain.field(), c.viewer),
            c.gained.external_ids().collect(),
            c.lost.external_ids().collect(),
        );
    }
    for c in impact.capabilities() {
        put(
            format!("capabilities {} {}", c.workspace, c.user),
            c.gained
                .external_ids()
                .filter(|n| CAPABILITIES.contains(n))
                .collect(),
            c.lost
                .external_ids()
                .filter(|n| CAPABILITIES.contains(n))
                .collect(),
        );
    }
    for c in impact.folders() {
        put(
            format!("folders {} {}", c.workspace, c.user),
            c.gained.external_ids().collect(),
            c.lost.external_ids().collect(),
        );
    }
    for c in impact.permissions() {
        let key = match c.division {
            Some(d) => format!("permission {} in {d}", c.permission),
            None => format!("permission {}", c.permission),
        };
        put(
            key,
            c.gained.external_ids().collect(),
            c.lost.external_ids().collect(),
        );
    }
    for c in impact.actions() {
        put(
            format!("action {}", c.action),
            c.gained.external_ids().collect(),
            c.lost.external_ids().collect(),
        );
    }
    for c in impact.calls() {
        put(
            format!("calls {} {}", c.workspace, c.viewer),
            c.gained().external_ids().collect(),
            c.lost().external_ids().collect(),
        );
    }
    for c in impact.items() {
        put(
            format!("item {} {}", c.item, c.verb),
            c.gained.external_ids().collect(),
            c.lost.external_ids().collect(),
        );
    }
    for c in impact.networks() {
        put(
            format!("network {} {}", c.network, c.permission),
            c.gained.external_ids().collect(),
            c.lost.external_ids().collect(),
        );
    }
    out.retain(|_, (g, l)| !g.is_empty() || !l.is_empty());
    for (g, l) in out.values_mut() {
        g.sort();
        l.sort();
    }
    out
}

/// Every gained access is allowed by the after snapshot's explanation, every lost one by
/// the before snapshot's.
fn explanations_agree(impact: &Impact) -> Result<(), TestCaseError> {
    for c in impact.reach() {
        for o in c.gained.external_ids() {
            prop_assert!(impact.after().explain(c.viewer, c.domain, o).allowed);
        }
        for o in c.lost.external_ids() {
            prop_assert!(impact.before().explain(c.viewer, c.domain, o).allowed);
        }
    }
    for c in impact.calls() {
        prop_assert_eq!(c.gained_len(), c.gained().len());
        prop_assert_eq!(c.lost_len(), c.lost().len());
        for call in c.gained().external_ids() {
            prop_assert!(impact.after().calls().explain(c.viewer, call).allowed);
        }
        for call in c.lost().external_ids() {
            prop_assert!(impact.before().calls().explain(c.viewer, call).allowed);
        }
    }
    for c in impact.items() {
        for u in c.gained.external_ids() {
            prop_assert!(impact.after().items().explain(u, c.item, c.verb).allowed);
        }
        for u in c.lost.external_ids() {
            prop_assert!(impact.before().items().explain(u, c.item, c.verb).allowed);
        }
    }
    Ok(())
}

/// Profile and folder operations the engine's random change sets leave out: levels with
/// leads, capabilities, library folders.
fn profile_ops() -> impl Strategy<Value = Op> {
    let json = |s: String| -> Op { serde_json::from_str(&s).unwrap() };
    let level = prop_oneof![
        Just(r#"{"permissionLevel": "all"}"#.to_owned()),
        Just(r#"{"permissionLevel": "report-to-them"}"#.to_owned()),
        Just(r#"{"permissionLevel": "managers-team"}"#.to_owned()),
        (0..USERS).prop_map(|u| format!(
            r#"{{"permissionLevel": "managers-team", "teamLeadIds": ["u{u}"]}}"#
        )),
        Just(r#"{"permissionLevel": "own"}"#.to_owned()),
        Just(r#"{"permissionLevel": "none"}"#.to_owned()),
    ];
    let library = prop_oneof![
        Just(r#"{"permissionLevel": "all"}"#),
        Just(r#"{"permissionLevel": "none"}"#),
        Just(r#"{"permissionLevel": "specific-folders", "libraryFolderIds": ["wins"]}"#),
    ];
    let profile = prop_oneof![Just("all"), Just("mgr"), Just("own")];
    prop_oneof![
        4 => (profile, level.clone(), level, library, any::<bool>(), any::<bool>()).prop_map(
            move |(p, calls, deals, lib, d, s)| json(format!(
                r#"{{"op": "updateProfile", "profile": {{"id": "{p}", "name": "{p}",
                    "callsAccess": {calls}, "dealsAccess": {deals}, "libraryFolderAccess": {lib},
                    "deals": {d}, "scoreCalls": {s}}}}}"#
            ))
        ),
        1 => prop_oneof![Just("wins"), Just("losses")].prop_map(move |f| json(format!(
            r#"{{"op": "addFolder", "id": "{f}"}}"#
        ))),
        1 => prop_oneof![Just("wins"), Just("losses")].prop_map(move |f| json(format!(
            r#"{{"op": "removeFolder", "id": "{f}"}}"#
        ))),
    ]
}

fn any_op() -> impl Strategy<Value = Op> {
    prop_oneof![3 => op(), 1 => profile_ops()]
}

proptest! {
    // Each case costs a few milliseconds; word and profile changes that only one path of
    // the comparison sees need a few hundred cases to come up.
    #![proptest_config(crate::common::config(768))]

    /// After commits of random change sets, a preview of one more lists exactly the
    /// brute-force difference of every forward check, and applying it gives the previewed
    /// snapshot; `between` the two live snapshots lists the same.
    #[test]
    fn a_preview_lists_exactly_the_checks_that_change(
        history in proptest::collection::vec(proptest::collection::vec(any_op(), 1..4), 0..4),
        next in proptest::collection::vec(any_op(), 1..4),
    ) {
        let engine = Engine::new(base());
        for ops in history {
            let mut changes = ChangeSet::new();
            changes.ops = ops;
            let _ = engine.apply(&changes);
        }
        let mut changes = ChangeSet::new();
        changes.ops = next;
        let before = engine.snapshot();
        match engine.preview(&changes) {
            Err(e) => {
                // A change set that would fail fails the preview the same way.
                prop_assert_eq!(engine.apply(&changes).unwrap_err().to_string(), e.to_string());
            }
            Ok(impact) => {
                prop_assert_eq!(listed(&impact), brute_force(&before, impact.after()));
                explanations_agree(&impact)?;
                prop_assert_eq!(impact.is_empty(), brute_force(&before, impact.after()).is_empty());
                // No entry without a gain or a loss.
                prop_assert!(impact.summary().iter().all(|l| l.gained + l.lost > 0), "{}", impact);
                engine.apply(&changes).unwrap();
                let live = engine.snapshot();
                prop_assert_eq!(answers(&live), answers(impact.after()));
                let between = Impact::between(&before, &live);
                prop_assert_eq!(listed(&between), listed(&impact));
                // The reverse direction swaps gained and lost.
                let back = Impact::between(&live, &before);
                let swapped: Diff = listed(&impact)
                    .into_iter()
                    .map(|(k, (g, l))| (k, (l, g)))
                    .collect();
                prop_assert_eq!(listed(&back), swapped);
            }
        }
    }

    /// Comparing two independent compiles of one model (no shared parts, no shared store
    /// versions) finds nothing: the comparison itself, not the store versions, decides.
    #[test]
    fn two_compiles_of_one_model_have_no_impact(
        ops in proptest::collection::vec(any_op(), 1..6),
    ) {
        let mut model = base();
        for op in ops {
            let mut changes = ChangeSet::new();
            changes.ops = vec![op];
            let _ = changes.apply_to(&mut model);
        }
        let copy = Model::from_json(&model.to_json()).unwrap();
        let (a, b) = (model.compile(), model.compile());
        prop_assert!(Impact::between(&a, &b).is_empty());
        prop_assert!(listed(&Impact::between(&copy.compile(), &copy.compile())).is_empty());
    }
}

#[test]
fn an_empty_change_set_and_an_applied_id_have_no_impact() {
    let engine = Engine::new(base());
    assert!(engine.preview(&ChangeSet::new()).unwrap().is_empty());
    let mut changes = ChangeSet::new();
    changes.id = Some("once".into());
    changes.ops = vec![Op::AssignProfile {
        user_id: "u7".into(),
        profile_id: "all".into(),
    }];
    assert!(!engine.preview(&changes).unwrap().is_empty());
    engine.apply(&changes).unwrap();
    assert!(engine.preview(&changes).unwrap().is_empty());
}

#[test]
fn a_preview_changes_nothing_in_the_engine() {
    let engine = Engine::new(base());
    let doc = engine.model().to_json();
    let mut changes = ChangeSet::new();
    changes.ops = vec![Op::RemoveUser { id: "u7".into() }];
    let impact = engine.preview(&changes).unwrap();
    assert!(!impact.is_empty());
    assert_eq!(engine.version(), 0);
    assert_eq!(engine.model().to_json(), doc);
    assert!(engine.snapshot().user_id("u7").is_some());
}

/// A manager moved to another branch: the old managers above lose the subtree, the new ones
/// gain it, and the mover's team-mates change; every set is exact.
#[test]
fn a_manager_move_moves_exactly_the_subtree() {
    let mut m = Model::new();
    for (u, mgr) in [
        ("ceo", None),
        ("east", Some("ceo")),
        ("west", Some("ceo")),
        ("lead", Some("east")),
        ("rep", Some("lead")),
        ("peer", Some("east")),
    ] {
        m.add_user(u, mgr).unwrap();
    }
    m.create_profile(ProfileSpec::new("mgr", "M").with_level(Domain::Calls, Level::ReportToThem))
        .unwrap();
    for u in ["ceo", "east", "west", "lead"] {
        m.assign_profile(u, "mgr").unwrap();
    }
    let before = m.compile();
    m.move_user("lead", Some("west")).unwrap();
    let after = m.compile();
    let impact = Impact::between(&before, &after);
    let changes: Vec<(String, Vec<&str>, Vec<&str>)> = impact
        .reach()
        .filter(|c| c.domain == Domain::Calls)
        .map(|c| {
            (
                c.viewer.to_owned(),
                c.gained.external_ids().collect(),
                c.lost.external_ids().collect(),
            )
        })
        .collect();
    assert_eq!(
        changes,
        [
            ("east".to_owned(), vec![], vec!["lead", "rep"]),
            ("west".to_owned(), vec!["lead", "rep"], vec![]),
        ]
    );
    let summary = impact.summary();
    assert_eq!(summary.len(), 2);
    assert_eq!((summary[0].gained + summary[0].lost), 2);
    let json: serde_json::Value = serde_json::from_str(&impact.to_json()).unwrap();
    assert_eq!(json["counts"]["reach"], 2);
    assert_eq!(
        json["reach"][1]["gained"],
        serde_json::json!(["lead", "rep"])
    );
    assert!(impact.to_string().contains("west callsAccess in default"));
}

/// A policy added to a role: its holders gain exactly the new permission, in every division
/// they hold the role in.
#[test]
fn a_policy_added_to_a_role_reaches_exactly_its_holders() {
    let mut m = base();
    let mut changes = ChangeSet::from_json(
        r#"{"version": 1, "ops": [
            {"op": "addPermission", "permission": {"permission": "routing:queue:edit", "label": "Edit", "divisionAware": true}},
            {"op": "addDivision", "id": "emea", "name": "EMEA"},
            {"op": "grantRole", "userId": "u4", "roleId": "r1", "divisionId": "emea"}
        ]}"#,
    )
    .unwrap();
    changes.apply_to(&mut m).unwrap();
    let engine = Engine::new(m);
    changes = ChangeSet::from_json(
        r#"{"version": 1, "ops": [{"op": "updateRole", "role": {"id": "r1", "name": "Queue viewers",
            "permissionPolicies": [{"domain": "routing", "entityName": "queue", "actionSet": ["view", "edit"]}]}}]}"#,
    )
    .unwrap();
    let impact = engine.preview(&changes).unwrap();
    type Entry<'a> = (String, Option<String>, Vec<&'a str>, Vec<&'a str>);
    let got: Vec<Entry> = impact
        .permissions()
        .map(|c| {
            (
                c.permission.to_owned(),
                c.division.map(str::to_owned),
                c.gained.external_ids().collect(),
                c.lost.external_ids().collect(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            // Preorder: u4 sits under u1 and u3, before u0's second report u2.
            (
                "routing:queue:edit".to_owned(),
                None,
                vec!["u4", "u2"],
                vec![]
            ),
            // u2 holds the role without a division: in the home division.
            (
                "routing:queue:edit".to_owned(),
                Some("home".to_owned()),
                vec!["u2"],
                vec![]
            ),
            (
                "routing:queue:edit".to_owned(),
                Some("emea".to_owned()),
                vec!["u4"],
                vec![]
            ),
        ]
    );
    assert!(impact.reach().next().is_none() && impact.items().next().is_none());
}

#[test]
fn a_reloaded_document_is_of_the_lineage_only_while_it_keeps_the_numbering() {
    let mut m = Model::new();
    for (u, boss) in [("a", None), ("b", Some("a")), ("c", Some("a"))] {
        m.add_user(u, boss).unwrap();
    }
    let before = m.compile();
    m.remove_user("b").unwrap();
    // One model's snapshots: a removed user keeps its slot.
    assert_eq!(Impact::check_lineage(&before, &m.compile()), Ok(()));
    // Reloading the export renumbers c into b's slot.
    let reloaded = Model::from_json(&m.to_json()).unwrap().compile();
    let conflict = Impact::try_between(&before, &reloaded).unwrap_err();
    assert_eq!(
        (
            conflict.table,
            conflict.index,
            conflict.before.as_str(),
            conflict.after.as_str()
        ),
        ("user", 1, "b", "c")
    );
    assert_eq!(
        conflict.to_string(),
        "the snapshots are not of one lineage: user #1 is \"b\" before and \"c\" after"
    );
}

#[test]
fn a_viewer_who_already_saw_every_call_has_no_calls_entry() {
    // u0 is the root: report-to-them reaches the same owners as before, so nothing changes;
    // the calls part built on the workspace set, minus everything u0 saw before, is empty.
    let engine = Engine::new(base());
    let changes = ChangeSet::from_json(
        r#"{"version": 1, "ops": [{"op": "assignProfile", "userId": "u0", "profileId": "mgr"}]}"#,
    )
    .unwrap();
    let impact = engine.preview(&changes).unwrap();
    assert_eq!(impact.calls().count(), 0);
    assert!(impact.is_empty(), "{impact}");
}
