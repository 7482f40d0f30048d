//! Edge cases of the compiled calls that the mutation run found untested: a removed call is
//! gone from every lookup of the snapshot; the participant an explanation cites.

use orgperm::{CallReason, CallSpec, Domain, Level, Model, ProfileSpec};

/// §5: a removed call no longer resolves by name, has no info and no name, and opens and lists
/// for nobody; the call beside it answers as before.
#[test]
fn a_removed_call_is_gone_from_every_lookup() {
    let mut m = Model::new();
    m.add_user("ada", None).unwrap();
    m.add_user("bob", None).unwrap();
    m.create_profile(ProfileSpec::new("p", "P").with_all_levels(Level::All))
        .unwrap();
    m.assign_profile("ada", "p").unwrap();
    let kept = m
        .calls_mut()
        .add_call(CallSpec::new("kept", "bob").started_at(7))
        .unwrap();
    let gone = m
        .calls_mut()
        .add_call(CallSpec::new("gone", "bob").started_at(9))
        .unwrap();
    m.calls_mut().remove_call("gone").unwrap();
    let snap = m.compile();
    let calls = snap.calls();
    assert_eq!(calls.call_id("gone"), None);
    assert_eq!(calls.call_name(gone), None);
    assert_eq!(calls.info(gone), None);
    assert!(!calls.can_open("ada", gone));
    assert!(!calls.can_list("ada", gone));
    assert_eq!(calls.filter("ada", &[gone, kept]), [kept]);

    assert_eq!(calls.call_id("kept"), Some(kept));
    assert_eq!(calls.call_name(kept), Some("kept"));
    let info = calls.info(kept).unwrap();
    assert_eq!(info.owner, snap.user_id("bob"));
    assert_eq!(info.started, 7);
    assert!(!info.private);
    assert!(calls.can_open("ada", kept));
    assert!(snap.can_access("ada", Domain::Calls, "bob"));
}

/// §5: a call in the viewer's scope cites its owner first, even when a participant comes
/// before the owner in org order; a participant only when the owner is out of reach.
#[test]
fn a_call_in_scope_cites_the_owner_before_earlier_participants() {
    let mut m = Model::new();
    for u in ["ada", "bob", "cy"] {
        m.add_user(u, None).unwrap();
    }
    m.create_profile(ProfileSpec::new("all", "All").with_all_levels(Level::All))
        .unwrap();
    m.create_profile(ProfileSpec::new("own", "Own").with_all_levels(Level::Own))
        .unwrap();
    m.assign_profile("ada", "all").unwrap();
    m.assign_profile("bob", "own").unwrap();
    m.calls_mut()
        .add_call(CallSpec::new("c", "cy").with_participants(["bob"]))
        .unwrap();
    let snap = m.compile();
    let calls = snap.calls();
    assert_eq!(
        calls.explain("ada", "c").reason,
        CallReason::CallInScope {
            call: "c".into(),
            profile: "all".into(),
            level: Level::All,
            participant: "cy".into(),
        }
    );
    // bob is a participant: that rule comes before the scope.
    assert_eq!(
        calls.explain("bob", "c").reason,
        CallReason::CallParticipant { call: "c".into() }
    );
}
