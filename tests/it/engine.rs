//! The live layer: change sets (strict, atomic, idempotent through the engine) and the engine
//! (versions, tokens, readers that see only complete versions).

use std::sync::Arc;
use std::time::Duration;

use orgperm::{
    ChangeSet, Domain, Engine, ErrorKind, InputErrorKind, Level, Model, Op, OrgErrorKind,
    ProfileErrorKind, ProfileSpec, Token,
};

fn model() -> Model {
    let mut m = Model::new();
    m.add_user("lee", None).unwrap();
    m.add_user("dana", Some("lee")).unwrap();
    m.add_user("kim", Some("dana")).unwrap();
    m.create_profile(
        ProfileSpec::new("mgr", "Managers").with_level(Domain::Calls, Level::ReportToThem),
    )
    .unwrap();
    m.teams_mut().add_team("t", None).unwrap();
    m.rbac_mut().add_group("g", "Group").unwrap();
    m
}

fn ops(json: &str) -> ChangeSet {
    ChangeSet::from_json(&format!(r#"{{"version": 1, "ops": {json}}}"#)).unwrap()
}

#[test]
fn a_change_set_round_trips_through_json() {
    let json = r#"{"version": 1, "id": "cs-1", "ops": [
        {"op": "addWorkspace", "id": "emea"},
        {"op": "addFolder", "id": "f", "workspaceId": "emea"},
        {"op": "addUser", "id": "ada", "managerId": "lee"},
        {"op": "moveUser", "id": "ada", "managerId": null},
        {"op": "createProfile", "profile": {"id": "p", "name": "P", "callsAccess": {"permissionLevel": "all"}}},
        {"op": "assignProfile", "userId": "ada", "profileId": "p"},
        {"op": "unassignProfile", "userId": "ada"},
        {"op": "addTeam", "id": "t2", "parentId": "t"},
        {"op": "addTeamMember", "teamId": "t2", "userId": "ada"},
        {"op": "addGroupMembers", "groupId": "g", "userIds": ["ada", "kim"]},
        {"op": "removeUser", "id": "ada"}
    ]}"#;
    let changes = ChangeSet::from_json(json).unwrap();
    assert_eq!(changes.id.as_deref(), Some("cs-1"));
    assert_eq!(changes.ops.len(), 11);
    assert_eq!(
        changes.ops[2],
        Op::AddUser {
            id: "ada".into(),
            manager_id: Some("lee".into())
        }
    );
    assert_eq!(ChangeSet::from_json(&changes.to_json()).unwrap(), changes);
    let mut m = model();
    changes.apply_to(&mut m).unwrap();
    assert_eq!(m.user_id("ada"), None);
    assert_eq!(m.teams().team_members("t2").unwrap(), Vec::<&str>::new());
    assert_eq!(m.rbac().group_members("g").unwrap(), ["kim"]);
    assert!(m.profile("p").is_some());
}

#[test]
fn a_misspelt_or_mistyped_field_of_an_operation_is_refused_with_its_index() {
    let err = ChangeSet::from_json(
        r#"{"version": 1, "ops": [{"op": "addUser", "id": "a"}, {"op": "addUser", "idd": "x"}]}"#,
    )
    .unwrap_err();
    assert!(err.path().starts_with("ops[1]"), "{err}");
    let err = ChangeSet::from_json(r#"{"version": 1, "ops": [{"op": "addUserr", "id": "x"}]}"#)
        .unwrap_err();
    assert!(err.path().starts_with("ops[0]"), "{err}");
    let err = ChangeSet::from_json(r#"{"version": 1, "opz": []}"#).unwrap_err();
    assert_eq!(err.path(), "opz");
    let err = ChangeSet::from_json(r#"{"version": 2, "ops": []}"#).unwrap_err();
    assert_eq!(
        err.kind(),
        &ErrorKind::Input(InputErrorKind::UnsupportedVersion { found: 2 })
    );
}

#[test]
fn a_failing_operation_at_any_position_leaves_the_model_unchanged() {
    let good = [
        r#"{"op": "addUser", "id": "ada", "managerId": "lee"}"#,
        r#"{"op": "assignProfile", "userId": "dana", "profileId": "mgr"}"#,
        r#"{"op": "addTeamMember", "teamId": "t", "userId": "kim"}"#,
        r#"{"op": "moveUser", "id": "kim", "managerId": "lee"}"#,
        r#"{"op": "addGroupMembers", "groupId": "g", "userIds": ["lee"]}"#,
    ];
    let bad = r#"{"op": "assignProfile", "userId": "kim", "profileId": "9"}"#;
    for at in 0..=good.len() {
        let mut list: Vec<&str> = good.to_vec();
        list.insert(at, bad);
        let changes = ops(&format!("[{}]", list.join(",")));
        let mut m = model();
        let before = m.to_json();
        let err = changes.apply_to(&mut m).unwrap_err();
        assert_eq!(err.path(), format!("ops[{at}].profileId"));
        assert_eq!(
            err.kind(),
            &ErrorKind::Profile(ProfileErrorKind::UnknownProfile { id: "9".into() })
        );
        assert_eq!(m.to_json(), before, "failing at {at}");
    }
}

#[test]
fn an_engine_commit_is_versioned_and_readers_ask_for_a_token() {
    let engine = Engine::new(model());
    assert_eq!(engine.version(), 0);
    let old = engine.snapshot();
    let t1 = engine
        .apply(&ops(
            r#"[{"op": "assignProfile", "userId": "lee", "profileId": "mgr"}]"#,
        ))
        .unwrap();
    assert_eq!(t1, Token::from_version(1));
    // The snapshot a reader held keeps answering for its version.
    assert!(!old.can_access("lee", Domain::Calls, "kim"));
    assert_eq!(old.version(), 0);
    let now = engine.snapshot_at_least(t1, Duration::ZERO).unwrap();
    assert!(now.can_access("lee", Domain::Calls, "kim"));
    assert_eq!(now.token(), t1);
    // A token from the future is not reached.
    assert!(
        engine
            .snapshot_at_least(Token::from_version(5), Duration::from_millis(10))
            .is_none()
    );
}

#[test]
fn a_failed_commit_changes_nothing_and_an_applied_id_is_a_no_op() {
    let engine = Engine::new(model());
    let before = engine.model().to_json();
    let err = engine
        .apply(&ops(
            r#"[{"op": "addUser", "id": "ada"}, {"op": "addUser", "id": "bo", "managerId": "ghost"}]"#,
        ))
        .unwrap_err();
    assert_eq!(err.path(), "ops[1].managerId");
    assert_eq!(
        err.kind(),
        &ErrorKind::Org(OrgErrorKind::UnknownUser { id: "ghost".into() })
    );
    assert_eq!(engine.version(), 0);
    assert_eq!(engine.model().to_json(), before);
    assert_eq!(engine.snapshot().user_id("ada"), None);

    let mut once = ops(r#"[{"op": "addUser", "id": "ada"}]"#);
    once.id = Some("cs-7".into());
    assert_eq!(engine.apply(&once).unwrap(), Token::from_version(1));
    // Delivered again (an at-least-once log): a no-op, not a duplicate-id error.
    assert_eq!(engine.apply(&once).unwrap(), Token::from_version(1));
    assert_eq!(engine.version(), 1);
    let mut other = ops(r#"[{"op": "addUser", "id": "bo"}]"#);
    other.id = Some("cs-8".into());
    assert_eq!(engine.apply(&other).unwrap(), Token::from_version(2));
}

#[test]
fn readers_during_commits_see_only_complete_versions() {
    // Each commit toggles lee's profile and moves kim in the same change set: an odd version
    // has lee assigned (so lee reaches kim), an even one not. Every snapshot a reader loads
    // must answer for the version it carries, never for the one before or half a commit.
    let engine = Arc::new(Engine::new(model()));
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let readers: Vec<_> = (0..2)
        .map(|_| {
            let engine = Arc::clone(&engine);
            let stop = Arc::clone(&stop);
            std::thread::spawn(move || {
                let mut seen = 0u64;
                while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                    let snap = engine.snapshot();
                    let odd = snap.version() % 2 == 1;
                    let assigned = snap.profiles().profile_of("lee").is_some();
                    let under_lee = snap.can_access("lee", Domain::Calls, "kim");
                    assert_eq!(assigned, odd, "version {}", snap.version());
                    assert_eq!(under_lee, odd, "version {}", snap.version());
                    seen = seen.max(snap.version());
                }
                seen
            })
        })
        .collect();
    let on = ops(
        r#"[{"op": "moveUser", "id": "kim", "managerId": "lee"}, {"op": "assignProfile", "userId": "lee", "profileId": "mgr"}]"#,
    );
    let off = ops(
        r#"[{"op": "unassignProfile", "userId": "lee"}, {"op": "moveUser", "id": "kim", "managerId": "dana"}]"#,
    );
    for i in 0..400 {
        engine.apply(if i % 2 == 0 { &on } else { &off }).unwrap();
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    for r in readers {
        assert!(r.join().unwrap() <= 400);
    }
    assert_eq!(engine.version(), 400);
}
