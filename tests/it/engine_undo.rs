//! Change sets whose operations each have an exact inverse (profile assignments; call
//! shares, grants, folders and privacy) apply to the engine's model in place and are undone
//! in reverse order when one fails. They must leave exactly the state a draft would: the
//! model's document after a success, the document from before after a failure, and the
//! same error.

use orgperm::{ChangeSet, Engine, Model, Op};
use proptest::prelude::*;

use crate::engine::{USERS, answers, base, user};

fn model() -> Model {
    let mut m = base();
    m.add_folder("f", None).unwrap();
    m.add_folder("g", None).unwrap();
    m
}

/// One operation with an inverse, with ids drawn so that some name nothing (and fail).
fn reversible() -> impl Strategy<Value = Op> {
    // u10 and c9 exist nowhere; "nope" is no profile, folder or workspace.
    let u = || (0..=USERS).prop_map(user);
    let call = || prop_oneof![(0..3usize).prop_map(|i| format!("c{i}")), Just("c9".into())];
    let profile = || prop_oneof![Just("all"), Just("mgr"), Just("own"), Just("nope")];
    let folder = || prop_oneof![Just("f"), Just("g"), Just("nope")];
    prop_oneof![
        3 => (u(), profile()).prop_map(|(user_id, p)| Op::AssignProfile { user_id, profile_id: p.into() }),
        2 => (u(), proptest::option::of(prop_oneof![Just("default"), Just("nope")])).prop_map(
            |(user_id, w)| Op::UnassignProfile { user_id, workspace_id: w.map(Into::into) }
        ),
        2 => (call(), u()).prop_map(|(call_id, user_id)| Op::ShareCall { call_id, user_id }),
        2 => (call(), u()).prop_map(|(call_id, user_id)| Op::UnshareCall { call_id, user_id }),
        2 => (call(), u()).prop_map(|(call_id, user_id)| Op::GrantCall { call_id, user_id }),
        2 => (call(), u()).prop_map(|(call_id, user_id)| Op::RevokeCallGrant { call_id, user_id }),
        1 => (call(), folder()).prop_map(|(call_id, f)| Op::AddCallToFolder { call_id, folder_id: f.into() }),
        1 => (call(), folder()).prop_map(|(call_id, f)| Op::RemoveCallFromFolder { call_id, folder_id: f.into() }),
        1 => (call(), any::<bool>()).prop_map(|(call_id, is_private)| Op::SetCallPrivate { call_id, is_private }),
    ]
}

proptest! {
    #![proptest_config(crate::common::config(96))]

    #[test]
    fn reversible_change_sets_leave_exactly_what_a_draft_leaves(
        sets in proptest::collection::vec(proptest::collection::vec(reversible(), 2..8), 1..10)
    ) {
        let engine = Engine::new(model());
        let mut drafted = model();
        for ops in sets {
            let mut changes = ChangeSet::new();
            changes.ops = ops;
            let before = engine.model().to_json();
            let through_draft = changes.apply_to(&mut drafted);
            let in_place = engine.apply(&changes);
            match (&through_draft, &in_place) {
                (Ok(()), Ok(_)) => {}
                (Err(d), Err(e)) => {
                    prop_assert_eq!(d.to_string(), e.to_string());
                    prop_assert_eq!(engine.model().to_json(), before);
                }
                _ => prop_assert!(false, "draft {through_draft:?}, in place {in_place:?}"),
            }
            prop_assert_eq!(engine.model().to_json(), drafted.to_json());
            prop_assert_eq!(answers(&engine.snapshot()), answers(&engine.model().compile()));
        }
    }
}
