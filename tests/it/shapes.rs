//! Shapes that break naive code: a million-deep chain, a very wide manager, a forest, an
//! empty org. Everything is iterative, so none of them may overflow the stack.

use orgperm::{Domain, Level, Model, ProfileSpec, Snapshot};

fn chain(n: usize) -> Model {
    let mut m = Model::new();
    m.add_user("0", None).unwrap();
    for i in 1..n {
        m.add_user(&i.to_string(), Some(&(i - 1).to_string()))
            .unwrap();
    }
    m
}

#[test]
fn a_million_deep_chain_builds_and_answers() {
    const N: usize = 1_000_000;
    let mut m = chain(N);
    m.create_profile(
        ProfileSpec::new("boss", "Boss").with_level(Domain::Calls, Level::ReportToThem),
    )
    .unwrap();
    m.create_profile(
        ProfileSpec::new("team", "Team").with_level(Domain::Calls, Level::ManagersTeam),
    )
    .unwrap();
    m.assign_profile("0", "boss").unwrap();
    m.assign_profile("500000", "boss").unwrap();
    m.assign_profile("999999", "team").unwrap();
    let snap = m.compile();
    let last = (N - 1).to_string();
    assert!(snap.can_access("0", Domain::Calls, last.as_str()));
    assert!(!snap.can_access("500000", Domain::Calls, "499999"));
    assert!(snap.can_access("999999", Domain::Calls, "999998"));
    assert_eq!(
        snap.profiles().visible_owners("0", Domain::Calls).len(),
        N as u64
    );
    // The reverse query walks the whole chain above the last user.
    let mut who: Vec<&str> = snap
        .profiles()
        .who_can_access(last.as_str(), Domain::Calls)
        .external_ids()
        .collect();
    who.sort_unstable();
    assert_eq!(who, ["0", "500000", last.as_str()]);
    // A cycle across the whole chain is found and named without recursion.
    let err = m.move_user("0", Some(last.as_str())).unwrap_err();
    match err.kind() {
        orgperm::ErrorKind::Org(orgperm::OrgErrorKind::ManagerCycle { users }) => {
            // "0", then its new manager and that one's managers back down to "1".
            let want: Vec<String> = std::iter::once("0".to_owned())
                .chain((1..N).rev().map(|i| i.to_string()))
                .collect();
            assert!(*users == want, "{:?}…", &users[..4]);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_million_deep_chain_in_a_document_is_validated_iteratively() {
    const N: usize = 1_000_000;
    let mut json = String::from(r#"{"version": 1, "users": [{"id": "0"}"#);
    for i in 1..N {
        json.push_str(&format!(r#",{{"id":"{i}","managerId":"{}"}}"#, i - 1));
    }
    json.push_str("]}");
    let m = Model::from_json(&json).unwrap();
    assert_eq!(m.user_count(), N);
    // Close the chain into a cycle: the importer must find it without recursing.
    let cyclic = json.replacen(
        r#"{"id": "0"}"#,
        &format!(r#"{{"id": "0", "managerId": "{}"}}"#, N - 1),
        1,
    );
    let err = Model::from_json(&cyclic).unwrap_err();
    let orgperm::ErrorKind::Org(orgperm::OrgErrorKind::ManagerCycle { users }) = err.kind() else {
        panic!("{err}");
    };
    // Every user once, each followed by their manager (i by i - 1, 0 by N - 1).
    assert_eq!(users.len(), N);
    let manager = |u: &str| match u.parse::<usize>().unwrap() {
        0 => (N - 1).to_string(),
        i => (i - 1).to_string(),
    };
    for (k, u) in users.iter().enumerate() {
        assert_eq!(users[(k + 1) % N], manager(u), "after {u}");
    }
}

#[test]
fn a_200_000_wide_manager_builds_and_answers() {
    const N: usize = 200_000;
    let mut m = Model::new();
    m.add_user("boss", None).unwrap();
    for i in 0..N {
        m.add_user(&format!("r{i}"), Some("boss")).unwrap();
    }
    m.create_profile(
        ProfileSpec::new("team", "Team").with_level(Domain::Deals, Level::ManagersTeam),
    )
    .unwrap();
    m.create_profile(
        ProfileSpec::new("boss", "Boss").with_level(Domain::Deals, Level::ReportToThem),
    )
    .unwrap();
    for i in (0..N).step_by(2) {
        m.assign_profile(&format!("r{i}"), "team").unwrap();
    }
    m.assign_profile("boss", "boss").unwrap();
    let snap = m.compile();
    assert!(snap.can_access("r0", Domain::Deals, "r199999"));
    assert!(!snap.can_access("r1", Domain::Deals, "r0"));
    assert_eq!(
        snap.profiles().visible_owners("boss", Domain::Deals).len(),
        N as u64 + 1
    );
    // Every even report reaches r1's data through the manager's team, plus the boss.
    let who: std::collections::BTreeSet<&str> = snap
        .profiles()
        .who_can_access("r1", Domain::Deals)
        .external_ids()
        .collect();
    let want: Vec<String> = (0..N).step_by(2).map(|i| format!("r{i}")).collect();
    let want: std::collections::BTreeSet<&str> =
        want.iter().map(String::as_str).chain(["boss"]).collect();
    assert!(who == want, "{} users", who.len());
}

#[test]
fn a_forest_keeps_trees_apart() {
    let mut m = Model::new();
    for t in 0..3 {
        m.add_user(&format!("root{t}"), None).unwrap();
        for i in 0..5 {
            m.add_user(&format!("u{t}-{i}"), Some(&format!("root{t}")))
                .unwrap();
        }
    }
    m.create_profile(ProfileSpec::new("p", "P").with_level(Domain::Calls, Level::ManagersTeam))
        .unwrap();
    m.assign_profile("u1-0", "p").unwrap();
    m.assign_profile("root2", "p").unwrap();
    let snap = m.compile();
    let seen: Vec<&str> = snap
        .profiles()
        .visible_owners("u1-0", Domain::Calls)
        .external_ids()
        .collect();
    assert_eq!(seen, ["root1", "u1-0", "u1-1", "u1-2", "u1-3", "u1-4"]);
    let seen: Vec<&str> = snap
        .profiles()
        .visible_owners("root2", Domain::Calls)
        .external_ids()
        .collect();
    assert_eq!(seen, ["root2", "u2-0", "u2-1", "u2-2", "u2-3", "u2-4"]);
    assert!(!snap.can_access("root2", Domain::Calls, "root1"));
}

#[test]
fn an_empty_org_compiles_and_denies() {
    let m = Model::new();
    let snap = m.compile();
    assert_eq!(snap.user_count(), 0);
    assert!(!snap.can_access("a", Domain::Calls, "b"));
    assert!(
        snap.profiles()
            .visible_owners("a", Domain::Calls)
            .is_empty()
    );
    // An empty document builds the same empty index as an empty model, and a user grows it.
    let empty = Model::from_json(r#"{"version": 1}"#)
        .unwrap()
        .compile()
        .memory();
    assert_eq!(empty, m.compile().memory());
    assert_eq!(empty.users, 0);
    let mut one = Model::new();
    one.add_user("ada", None).unwrap();
    let one = one.compile().memory();
    assert_eq!(one.users, 1);
    assert_eq!(one.id_text_bytes, empty.id_text_bytes + 3);
    assert!(one.org_bytes > empty.org_bytes, "{empty:?} {one:?}");
}

#[test]
fn snapshots_are_send_and_sync_and_shareable() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Snapshot>();
    assert_send_sync::<Model>();
    let mut m = chain(100);
    m.create_profile(ProfileSpec::new("p", "P").with_level(Domain::Calls, Level::ReportToThem))
        .unwrap();
    m.assign_profile("0", "p").unwrap();
    let snap = std::sync::Arc::new(m.compile());
    let handles: Vec<_> = (0..4)
        .map(|t| {
            let snap = snap.clone();
            std::thread::spawn(move || {
                snap.can_access("0", Domain::Calls, (t * 10).to_string().as_str())
            })
        })
        .collect();
    assert!(handles.into_iter().all(|h| h.join().unwrap()));
}

#[test]
fn id_types_are_four_bytes() {
    assert_eq!(std::mem::size_of::<orgperm::UserId>(), 4);
    assert_eq!(std::mem::size_of::<Option<orgperm::UserId>>(), 8);
    assert_eq!(std::mem::size_of::<orgperm::Capability>(), 4);
}
