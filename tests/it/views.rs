//! The family views: what choosing a workspace, composing reasons and re-adding an object
//! through a view do.

use orgperm::{
    CallReason, CallSpec, Decision, Domain, ItemSpec, ItemType, Level, Model, PermissionSpec,
    PolicySpec, ProfileReason, ProfileSpec, Reason, RoleSpec, Subject, WorkspaceId,
};

fn two_workspaces() -> Model {
    let mut m = Model::new();
    m.add_workspace("emea").unwrap();
    m.add_user("ada", None).unwrap();
    m.add_user("bob", Some("ada")).unwrap();
    m.create_profile(
        ProfileSpec::new("p", "P")
            .in_workspace("emea")
            .with_level(Domain::Calls, Level::ReportToThem),
    )
    .unwrap();
    m.assign_profile("ada", "p").unwrap();
    m.calls_mut()
        .add_call(CallSpec::new("c1", "bob").in_workspace("emea"))
        .unwrap();
    m
}

#[test]
fn in_workspace_reads_that_workspace_and_the_default_view_the_default_one() {
    let snap = two_workspaces().compile();
    let emea = snap.in_workspace("emea");
    assert!(emea.can_access("ada", Domain::Calls, "bob"));
    assert!(!snap.can_access("ada", Domain::Calls, "bob"));
    assert!(!snap.profiles().can_access("ada", Domain::Calls, "bob"));
    // The dense id names the same workspace.
    let w = snap.workspace_id("emea").unwrap();
    assert!(snap.in_workspace(w).can_access("ada", Domain::Calls, "bob"));
    assert_eq!(
        snap.in_workspace(WorkspaceId::DEFAULT)
            .visible_owners("ada", Domain::Calls)
            .len(),
        0
    );
    let owners: Vec<_> = emea
        .visible_owners("ada", Domain::Calls)
        .external_ids()
        .collect();
    assert_eq!(owners, ["ada", "bob"]);
}

#[test]
fn an_unknown_workspace_denies_everything_and_explains_with_the_key_as_written() {
    let snap = two_workspaces().compile();
    let nowhere = snap.in_workspace("nowhere");
    assert!(!nowhere.can_access("ada", Domain::Calls, "ada"));
    assert!(nowhere.visible_owners("ada", Domain::Calls).is_empty());
    assert!(nowhere.who_can_access("bob", Domain::Calls).is_empty());
    assert_eq!(nowhere.profile_of("ada"), None);
    assert_eq!(
        nowhere.explain("ada", Domain::Calls, "ada").reason,
        ProfileReason::UnknownWorkspace {
            workspace: "\"nowhere\"".into()
        }
    );
    assert_eq!(
        snap.in_workspace(WorkspaceId::new(99))
            .explain("ada", Domain::Calls, "ada")
            .reason,
        ProfileReason::UnknownWorkspace {
            workspace: "workspace #99".into()
        }
    );
    assert!(
        snap.calls()
            .in_workspace("nowhere")
            .visible("ada")
            .is_empty()
    );
    assert!(
        snap.calls()
            .in_workspace("nowhere")
            .listable("ada")
            .is_empty()
    );
}

#[test]
fn call_listings_follow_the_chosen_workspace_but_a_call_check_its_own() {
    let snap = two_workspaces().compile();
    let ids = |set: orgperm::CallSet<'_>| set.external_ids().map(str::to_owned).collect::<Vec<_>>();
    assert!(snap.calls().visible("ada").is_empty());
    assert_eq!(
        ids(snap.calls().in_workspace("emea").visible("ada")),
        ["c1"]
    );
    assert_eq!(
        ids(snap.calls().in_workspace("emea").listable("ada")),
        ["c1"]
    );
    // `can_open` uses the call's workspace whatever the view's.
    assert!(snap.calls().can_open("ada", "c1"));
    assert!(snap.calls().in_workspace("nowhere").can_open("ada", "c1"));
}

#[test]
fn every_family_reason_composes_into_reason_with_the_same_text() {
    let snap = two_workspaces().compile();
    let d = snap.explain("ada", Domain::Calls, "ghost");
    let text = d.to_string();
    let any: Decision<Reason> = d.map_reason(Reason::from);
    assert!(matches!(
        any.reason,
        Reason::Profile(ProfileReason::UnknownUser { .. })
    ));
    assert_eq!(any.to_string(), text);
    let c = snap.calls().explain("ada", "nope");
    assert!(matches!(c.reason, CallReason::UnknownCall { .. }));
    let text = c.to_string();
    let any = c.map_reason(Reason::from);
    assert!(matches!(any.reason, Reason::Call(_)));
    assert_eq!(any.to_string(), text);
}

#[test]
fn a_view_answer_outlives_the_view() {
    let snap = two_workspaces().compile();
    let calls = snap.calls().in_workspace("emea").visible("ada");
    let owners = snap
        .in_workspace("emea")
        .visible_owners("ada", Domain::Calls);
    let name = snap.calls().call_name(calls.iter().next().unwrap());
    assert_eq!(name, Some("c1"));
    assert_eq!(owners.external_ids().collect::<Vec<_>>(), ["ada", "bob"]);
}

#[test]
fn an_object_added_again_through_a_view_gets_its_dense_id_back_and_nothing_else() {
    let mut m = Model::new();
    m.add_user("ada", None).unwrap();
    let c = m.calls_mut().add_call(CallSpec::new("c1", "ada")).unwrap();
    m.calls_mut().remove_call("c1").unwrap();
    assert_eq!(m.calls().call_id("c1"), None);
    assert_eq!(
        m.calls_mut().add_call(CallSpec::new("c1", "ada")).unwrap(),
        c
    );

    let i = m
        .items_mut()
        .add_item(ItemSpec::new("s1", ItemType::Session))
        .unwrap();
    m.items_mut().remove_item("s1").unwrap();
    assert_eq!(m.items().item_id("s1"), None);
    assert_eq!(
        m.items_mut()
            .add_item(ItemSpec::new("s1", ItemType::Session))
            .unwrap(),
        i
    );

    m.rbac_mut().add_division("home", "Home").unwrap();
    m.rbac_mut()
        .add_permission(PermissionSpec::new("routing:queue:view", "View"))
        .unwrap();
    let role = RoleSpec::new("r", "R").with_policy(PolicySpec::new("routing", "queue", ["view"]));
    let r = m.rbac_mut().create_role(role.clone()).unwrap();
    m.rbac_mut()
        .grant_role(Subject::User("ada"), "r", None)
        .unwrap();
    m.rbac_mut()
        .revoke_role(Subject::User("ada"), "r", None)
        .unwrap();
    m.rbac_mut().delete_role("r").unwrap();
    assert_eq!(m.rbac().role("r"), None);
    assert_eq!(m.rbac_mut().create_role(role).unwrap(), r);
    // The re-created role holds no grants of the deleted one.
    assert!(
        !m.compile()
            .rbac()
            .has_permission("ada", "routing:queue:view")
    );

    let t = m.teams_mut().add_team("t", None).unwrap();
    m.teams_mut().add_team_member("t", "ada").unwrap();
    m.teams_mut().remove_team("t").unwrap();
    assert_eq!(m.teams_mut().add_team("t", None).unwrap(), t);
    assert!(m.teams().team_members("t").unwrap().is_empty());
}
