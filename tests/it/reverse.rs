//! Hand-written reverse queries with exact answers: who may open a call, who holds a
//! capability, who may open a folder, who holds an action, and the per-user sets. The
//! properties comparing them with the reference evaluators live with each family.

use orgperm::{
    ActionSpec, CallSpec, Capability, Domain, GlobalPermissionSpec, Level, LibraryAccess, Model,
    Principal, ProfileSpec, RoleSpec, Subject,
};

fn names(set: impl Iterator<Item = impl AsRef<str>>) -> Vec<String> {
    set.map(|s| s.as_ref().to_owned()).collect()
}

/// ceo → vp → {rep1, rep2}; peer and outsider are roots. Folders wins, losses; a second
/// workspace emea with its own folder.
fn org() -> Model {
    let mut m = Model::new();
    m.add_workspace("emea").unwrap();
    for (u, mgr) in [
        ("ceo", None),
        ("vp", Some("ceo")),
        ("rep1", Some("vp")),
        ("rep2", Some("vp")),
        ("peer", None),
        ("outsider", None),
    ] {
        m.add_user(u, mgr).unwrap();
    }
    m.add_folder("wins", None).unwrap();
    m.add_folder("losses", None).unwrap();
    m.add_folder("emea-wins", Some("emea")).unwrap();
    m
}

#[test]
fn who_can_open_a_call_collects_every_rule() {
    let mut m = org();
    let p = |id: &str, level: Level| {
        ProfileSpec::new(id, id)
            .with_level(Domain::Calls, level)
            .with_library(LibraryAccess::default())
    };
    m.create_profile(p("mgr", Level::ReportToThem)).unwrap();
    m.create_profile(p("own", Level::Own)).unwrap();
    m.create_profile(p("lib", Level::None).with_library(LibraryAccess::specific(["wins"])))
        .unwrap();
    for (u, profile) in [
        ("ceo", "mgr"),
        ("vp", "own"),
        ("rep1", "own"),
        ("rep2", "own"),
        ("peer", "lib"),
    ] {
        m.assign_profile(u, profile).unwrap();
    }
    // outsider holds no profile: a grant or share does not open the call for them.
    m.calls_mut()
        .add_call(
            CallSpec::new("c1", "rep1")
                .with_participants(["rep2"])
                .granted_to(["vp", "outsider"])
                .in_folders(["wins"]),
        )
        .unwrap();
    m.calls_mut()
        .add_call(
            CallSpec::new("c2", "rep1")
                .private(true)
                .shared_with(["vp", "outsider"])
                .in_folders(["wins"]),
        )
        .unwrap();
    m.calls_mut()
        .add_call(CallSpec::ownerless("c3").in_folders(["losses"]))
        .unwrap();
    let s = m.compile();
    let who = |c: &str| names(s.calls().who_can_open(c).external_ids());
    // ceo by scope, vp by grant, the participants, peer by folder; in org preorder.
    assert_eq!(who("c1"), ["ceo", "vp", "rep1", "rep2", "peer"]);
    // Private: owner and the sharee holding a profile only.
    assert_eq!(who("c2"), ["vp", "rep1"]);
    // No participant and a folder nobody may open.
    assert!(who("c3").is_empty());
    assert!(who("no-such-call").is_empty());
    // Removing a participant takes them out of the set.
    m.remove_user("rep2").unwrap();
    let s = m.compile();
    assert_eq!(
        names(s.calls().who_can_open("c1").external_ids()),
        ["ceo", "vp", "rep1", "peer"]
    );
}

#[test]
fn who_can_open_a_call_under_level_all_and_managers_team() {
    let mut m = org();
    m.create_profile(ProfileSpec::new("all", "All").with_level(Domain::Calls, Level::All))
        .unwrap();
    m.create_profile(
        ProfileSpec::new("team", "Team").with_level(Domain::Calls, Level::ManagersTeam),
    )
    .unwrap();
    m.create_profile(ProfileSpec::new("analyst", "Analyst").with_leads(
        Domain::Calls,
        Level::ManagersTeam,
        ["vp"],
    ))
    .unwrap();
    m.assign_profile("outsider", "all").unwrap();
    m.assign_profile("rep2", "team").unwrap();
    m.assign_profile("peer", "analyst").unwrap();
    m.calls_mut().add_call(CallSpec::new("c1", "rep1")).unwrap();
    m.calls_mut().add_call(CallSpec::ownerless("c2")).unwrap();
    let s = m.compile();
    // outsider by `all`, rep2 through its manager's team, peer through the lead vp.
    assert_eq!(
        names(s.calls().who_can_open("c1").external_ids()),
        ["rep2", "peer", "outsider"]
    );
    // `all` reaches no call without a participant.
    assert!(s.calls().who_can_open("c2").is_empty());
}

#[test]
fn capability_and_folder_holders_per_workspace() {
    let mut m = org();
    m.create_profile(
        ProfileSpec::new("coach", "Coach")
            .with_capability("scoreCalls", true)
            .with_capability("tenantOnlyFlag", true)
            .with_library(LibraryAccess::all()),
    )
    .unwrap();
    m.create_profile(
        ProfileSpec::new("rep", "Rep")
            .with_capability("scoreCalls", false)
            .with_library(LibraryAccess::specific(["losses"])),
    )
    .unwrap();
    m.create_profile(
        ProfileSpec::new("emea", "Emea")
            .in_workspace("emea")
            .with_capability("scoreCalls", true)
            .with_library(LibraryAccess::all()),
    )
    .unwrap();
    m.assign_profile("vp", "coach").unwrap();
    m.assign_profile("rep1", "rep").unwrap();
    m.assign_profile("rep2", "coach").unwrap();
    m.assign_profile("peer", "emea").unwrap();
    let s = m.compile();
    let view = s.profiles();
    assert_eq!(
        names(
            view.who_has_capability(Capability::SCORE_CALLS)
                .external_ids()
        ),
        ["vp", "rep2"]
    );
    assert_eq!(
        names(view.who_has_capability("tenantOnlyFlag").external_ids()),
        ["vp", "rep2"]
    );
    assert!(view.who_has_capability(Capability::DEALS).is_empty());
    assert_eq!(
        names(
            s.in_workspace("emea")
                .who_has_capability(Capability::SCORE_CALLS)
                .external_ids()
        ),
        ["peer"]
    );
    assert_eq!(
        names(view.who_can_access_folder("losses").external_ids()),
        ["vp", "rep1", "rep2"]
    );
    assert_eq!(
        names(view.who_can_access_folder("wins").external_ids()),
        ["vp", "rep2"]
    );
    // A folder of another workspace opens for nobody in this one.
    assert!(view.who_can_access_folder("emea-wins").is_empty());
    assert_eq!(
        names(
            s.in_workspace("emea")
                .who_can_access_folder("emea-wins")
                .external_ids()
        ),
        ["peer"]
    );
    assert!(view.who_can_access_folder("no-such-folder").is_empty());
    // Per user.
    let mut caps = names(view.capabilities_of("vp").external_ids());
    caps.sort();
    assert_eq!(caps, ["scoreCalls", "tenantOnlyFlag"]);
    assert!(view.capabilities_of("rep1").is_empty());
    assert!(view.capabilities_of("peer").is_empty()); // no profile in the default workspace
    assert_eq!(
        names(view.folders_of("vp").external_ids()),
        ["wins", "losses"]
    );
    assert_eq!(names(view.folders_of("rep1").external_ids()), ["losses"]);
    assert_eq!(
        names(s.in_workspace("emea").folders_of("peer").external_ids()),
        ["emea-wins"]
    );
    assert!(view.folders_of("ghost").is_empty());
    // A removed user leaves every set.
    m.remove_user("rep2").unwrap();
    let s = m.compile();
    assert_eq!(
        names(
            s.profiles()
                .who_has_capability(Capability::SCORE_CALLS)
                .external_ids()
        ),
        ["vp"]
    );
    assert!(s.profiles().capabilities_of("rep2").is_empty());
}

#[test]
fn action_holders_through_roles_requirements_and_direct_bindings() {
    let mut m = org();
    let mut r = m.rbac_mut();
    r.add_division("home", "Home").unwrap();
    r.create_role(RoleSpec::new("editors", "Editors")).unwrap();
    r.grant_role(Subject::User("vp"), "editors", None).unwrap();
    r.grant_role(Subject::User("rep1"), "editors", None)
        .unwrap();
    r.add_action(ActionSpec::new("access_goals", "Access goals"))
        .unwrap();
    r.add_action(ActionSpec::new("manage_goals", "Manage goals").requiring("access_goals"))
        .unwrap();
    r.add_action(ActionSpec::new("export", "Export")).unwrap();
    r.create_global_permission(GlobalPermissionSpec::new("g1", "manage_goals", ["editors"]))
        .unwrap();
    r.create_global_permission(GlobalPermissionSpec::new(
        "g2",
        "access_goals",
        [Principal::user("peer")],
    ))
    .unwrap();
    r.create_global_permission(GlobalPermissionSpec::new(
        "g3",
        "export",
        [Principal::user("rep2")],
    ))
    .unwrap();
    let s = m.compile();
    let who = |a: &str| names(s.rbac().users_with_action(a).external_ids());
    assert_eq!(who("manage_goals"), ["vp", "rep1"]);
    assert_eq!(who("access_goals"), ["vp", "rep1", "peer"]);
    assert_eq!(who("export"), ["rep2"]);
    assert!(who("no-such-action").is_empty());
    let mut acts = names(s.rbac().actions_of("vp").external_ids());
    acts.sort();
    assert_eq!(acts, ["access_goals", "manage_goals"]);
    assert_eq!(
        names(s.rbac().actions_of("rep2").external_ids()),
        ["export"]
    );
    assert!(s.rbac().actions_of("outsider").is_empty());
    m.remove_user("rep2").unwrap();
    let s = m.compile();
    assert!(s.rbac().users_with_action("export").is_empty());
    assert!(s.rbac().actions_of("rep2").is_empty());
}
