//! One named test per rule of docs/semantics.md §1 (permission profiles over an org tree), on the
//! sample org of `common::sample`.

use orgperm::ProfileReason;
use orgperm::{
    Capability, Domain, ErrorKind, Level, LibraryAccess, LibraryFlag, LibraryLevel, Model,
    ProfileErrorKind, ProfileSpec, UserId, WorkspaceId,
};

use crate::common::{SAMPLE_USERS, give, sample};

/// The owners `viewer` may access in `domain`, in the sample's listing order.
fn reached(model: &Model, viewer: &str, domain: Domain) -> Vec<&'static str> {
    let snap = model.compile();
    SAMPLE_USERS
        .into_iter()
        .filter(|o| snap.can_access(viewer, domain, *o))
        .collect()
}

#[test]
fn level_all_reaches_everyone() {
    let mut m = sample();
    give(&mut m, "r1", Domain::Calls, Level::All, &[]);
    assert_eq!(reached(&m, "r1", Domain::Calls), SAMPLE_USERS);
}

#[test]
fn managers_team_with_leads_reaches_self_and_the_leads_subtrees() {
    let mut m = sample();
    give(
        &mut m,
        "r4",
        Domain::Deals,
        Level::ManagersTeam,
        &["m1", "m2"],
    );
    assert_eq!(
        reached(&m, "r4", Domain::Deals),
        ["m1", "m2", "r1", "r2", "r3", "r4"]
    );
}

#[test]
fn managers_team_with_leads_does_not_reach_the_viewers_own_team() {
    let mut m = sample();
    // r1's own manager m1 and peer r2 are outside the lead's subtree.
    give(&mut m, "r1", Domain::Deals, Level::ManagersTeam, &["vp2"]);
    assert_eq!(reached(&m, "r1", Domain::Deals), ["vp2", "r1", "r4"]);
}

#[test]
fn managers_team_with_nested_leads_counts_each_owner_once() {
    let mut m = sample();
    give(
        &mut m,
        "solo",
        Domain::Deals,
        Level::ManagersTeam,
        &["vp1", "m1"],
    );
    let snap = m.compile();
    assert_eq!(
        snap.profiles().visible_owners("solo", Domain::Deals).len(),
        7
    ); // vp1's 6 + solo
}

#[test]
fn managers_team_without_leads_reaches_the_managers_subtree() {
    let mut m = sample();
    give(&mut m, "r1", Domain::Calls, Level::ManagersTeam, &[]);
    // m1's subtree: m1, r1, r2. Not vp1, not m2's team.
    assert_eq!(reached(&m, "r1", Domain::Calls), ["m1", "r1", "r2"]);
}

#[test]
fn managers_team_without_leads_for_a_manager_reaches_the_grand_team() {
    let mut m = sample();
    give(&mut m, "m1", Domain::Calls, Level::ManagersTeam, &[]);
    assert_eq!(
        reached(&m, "m1", Domain::Calls),
        ["vp1", "m1", "m2", "r1", "r2", "r3"]
    );
}

#[test]
fn managers_team_without_manager_reaches_own_subtree() {
    let mut m = sample();
    give(&mut m, "ceo", Domain::Calls, Level::ManagersTeam, &[]);
    give(&mut m, "solo", Domain::Calls, Level::ManagersTeam, &[]);
    assert_eq!(
        reached(&m, "ceo", Domain::Calls),
        ["ceo", "vp1", "vp2", "m1", "m2", "r1", "r2", "r3", "r4"],
        "not solo, the other root"
    );
    assert_eq!(reached(&m, "solo", Domain::Calls), ["solo"]);
}

#[test]
fn report_to_them_reaches_the_viewers_subtree_transitively() {
    let mut m = sample();
    give(&mut m, "vp1", Domain::Coaching, Level::ReportToThem, &[]);
    assert_eq!(
        reached(&m, "vp1", Domain::Coaching),
        ["vp1", "m1", "m2", "r1", "r2", "r3"]
    );
}

#[test]
fn report_to_them_ignores_team_leads() {
    let mut m = sample();
    give(
        &mut m,
        "m2",
        Domain::Coaching,
        Level::ReportToThem,
        &["vp2"],
    );
    assert_eq!(reached(&m, "m2", Domain::Coaching), ["m2", "r3"]);
}

#[test]
fn own_reaches_only_the_viewer() {
    let mut m = sample();
    give(&mut m, "vp1", Domain::Usage, Level::Own, &["ceo"]);
    assert_eq!(reached(&m, "vp1", Domain::Usage), ["vp1"]);
}

#[test]
fn none_reaches_nobody_not_even_the_viewer() {
    let mut m = sample();
    give(&mut m, "ceo", Domain::Emails, Level::None, &["vp1"]);
    assert!(reached(&m, "ceo", Domain::Emails).is_empty());
}

#[test]
fn leads_on_all_own_and_none_are_accepted_and_ignored() {
    let mut m = sample();
    for (user, level) in [("r1", Level::All), ("r2", Level::Own), ("r3", Level::None)] {
        give(&mut m, user, Domain::Insights, level, &["vp2"]);
    }
    assert_eq!(reached(&m, "r1", Domain::Insights), SAMPLE_USERS);
    assert_eq!(reached(&m, "r2", Domain::Insights), ["r2"]);
    assert!(reached(&m, "r3", Domain::Insights).is_empty());
}

#[test]
fn domains_are_independent() {
    let mut m = sample();
    let spec = ProfileSpec::new("p", "Mixed")
        .with_level(Domain::Calls, Level::All)
        .with_level(Domain::ForecastEditTargets, Level::Own);
    m.create_profile(spec).unwrap();
    m.assign_profile("r1", "p").unwrap();
    let snap = m.compile();
    for d in Domain::ALL {
        let expected = match d {
            Domain::Calls => 10,
            Domain::ForecastEditTargets => 1,
            _ => 0,
        };
        assert_eq!(
            snap.profiles().visible_owners("r1", d).len(),
            expected,
            "{d:?}"
        );
    }
}

#[test]
fn no_profile_in_the_workspace_means_no_access() {
    let m = sample();
    let snap = m.compile();
    assert!(!snap.can_access("ceo", Domain::Calls, "ceo"));
    assert!(!snap.has_capability("ceo", Capability::CALLS_AND_SEARCH));
    assert_eq!(
        snap.explain("ceo", Domain::Calls, "r1").reason,
        ProfileReason::NoProfile {
            user: "ceo".into(),
            workspace: "default".into()
        }
    );
}

#[test]
fn a_profile_applies_only_in_its_own_workspace() {
    let mut m = sample();
    m.add_workspace("emea").unwrap();
    let all = ProfileSpec::new("emea-all", "EMEA")
        .in_workspace("emea")
        .with_all_levels(Level::All);
    m.create_profile(all).unwrap();
    m.assign_profile("r1", "emea-all").unwrap();
    let snap = m.compile();
    assert!(
        snap.in_workspace("emea")
            .can_access("r1", Domain::Calls, "ceo")
    );
    assert!(!snap.can_access("r1", Domain::Calls, "ceo"));
    assert!(
        !snap
            .in_workspace(WorkspaceId::DEFAULT)
            .can_access("r1", Domain::Calls, "ceo")
    );
}

#[test]
fn at_most_one_profile_per_user_and_workspace_assigning_replaces() {
    let mut m = sample();
    m.create_profile(ProfileSpec::new("a", "A").with_level(Domain::Calls, Level::All))
        .unwrap();
    m.create_profile(ProfileSpec::new("b", "B").with_level(Domain::Calls, Level::Own))
        .unwrap();
    m.assign_profile("r1", "a").unwrap();
    m.assign_profile("r1", "b").unwrap();
    assert_eq!(m.profile_of("r1", None), Some("b"));
    assert!(m.users_of_profile("a").unwrap().is_empty());
    let snap = m.compile();
    assert!(!snap.can_access("r1", Domain::Calls, "ceo"));
    assert!(snap.can_access("r1", Domain::Calls, "r1"));
}

#[test]
fn a_user_may_hold_one_profile_in_each_workspace() {
    let mut m = sample();
    m.add_workspace("emea").unwrap();
    m.create_profile(ProfileSpec::new("a", "A").with_level(Domain::Calls, Level::All))
        .unwrap();
    m.create_profile(
        ProfileSpec::new("b", "B")
            .in_workspace("emea")
            .with_level(Domain::Calls, Level::Own),
    )
    .unwrap();
    m.assign_profile("r1", "a").unwrap();
    m.assign_profile("r1", "b").unwrap();
    assert_eq!(m.profile_of("r1", None), Some("a"));
    assert_eq!(m.profile_of("r1", Some("emea")), Some("b"));
}

#[test]
fn unknown_ids_are_denied_never_panic() {
    let mut m = sample();
    give(&mut m, "ceo", Domain::Calls, Level::All, &[]);
    let snap = m.compile();
    let ceo = snap.user_id("ceo").unwrap();
    let ghost = UserId::new(9_999_999);
    assert!(!snap.can_access(ghost, Domain::Calls, ceo));
    assert!(!snap.can_access(ceo, Domain::Calls, ghost));
    assert!(!snap.can_access("nobody", Domain::Calls, "ceo"));
    assert!(
        !snap
            .in_workspace("no-such-ws")
            .can_access("ceo", Domain::Calls, "ceo")
    );
    assert!(
        !snap
            .in_workspace(WorkspaceId::new(77))
            .can_access(ceo, Domain::Calls, ceo)
    );
    assert!(!snap.has_capability(ghost, Capability::DEALS));
    assert!(!snap.profiles().can_access_folder("ceo", "no-such-folder"));
    assert!(
        snap.profiles()
            .visible_owners(ghost, Domain::Calls)
            .is_empty()
    );
    assert!(
        snap.profiles()
            .who_can_access(ghost, Domain::Calls)
            .is_empty()
    );
    assert!(
        snap.profiles()
            .users_with_profile("no-such-profile")
            .is_empty()
    );
    assert_eq!(
        snap.explain("nobody", Domain::Calls, "ceo").reason,
        ProfileReason::UnknownUser {
            user: "\"nobody\"".into()
        }
    );
    assert!(matches!(
        snap.in_workspace("nope")
            .explain("ceo", Domain::Calls, "ceo")
            .reason,
        ProfileReason::UnknownWorkspace { .. }
    ));
}

#[test]
fn a_removed_user_is_denied_as_viewer_and_as_owner() {
    let mut m = sample();
    give(&mut m, "ceo", Domain::Calls, Level::All, &[]);
    give(&mut m, "r1", Domain::Calls, Level::All, &[]);
    let r1 = m.user_id("r1").unwrap();
    m.remove_user("r1").unwrap();
    let snap = m.compile();
    assert!(!snap.can_access("ceo", Domain::Calls, r1));
    assert!(!snap.can_access(r1, Domain::Calls, "ceo"));
    assert!(
        !snap
            .profiles()
            .visible_owners("ceo", Domain::Calls)
            .contains(r1)
    );
    assert_eq!(snap.user_id("r1"), None);
    // Re-adding gives the same dense id back, with no profile.
    assert_eq!(m.add_user("r1", Some("m1")).unwrap(), r1);
    assert_eq!(m.profile_of("r1", None), None);
}

#[test]
fn moving_a_user_moves_their_data_with_them() {
    let mut m = sample();
    give(&mut m, "m1", Domain::Calls, Level::ReportToThem, &[]);
    assert!(!m.compile().can_access("m1", Domain::Calls, "r3"));
    m.move_user("m2", Some("m1")).unwrap();
    let snap = m.compile();
    assert!(snap.can_access("m1", Domain::Calls, "r3"));
    assert!(snap.can_access("m1", Domain::Calls, "m2"));
}

#[test]
fn team_leads_follow_the_tree_when_it_changes() {
    let mut m = sample();
    give(&mut m, "solo", Domain::Calls, Level::ManagersTeam, &["vp2"]);
    assert!(!m.compile().can_access("solo", Domain::Calls, "r1"));
    m.move_user("r1", Some("vp2")).unwrap();
    assert!(m.compile().can_access("solo", Domain::Calls, "r1"));
}

#[test]
fn capabilities_documented_unknown_and_false_are_kept() {
    let mut m = sample();
    let spec = ProfileSpec::new("p", "P")
        .with_capability("scoreCalls", true)
        .with_capability("deleteCalls", false)
        .with_capability("tenantOnlyFlag", true);
    m.create_profile(spec).unwrap();
    m.assign_profile("r1", "p").unwrap();
    let stored = m.profile("p").unwrap();
    assert_eq!(stored.capabilities.get("deleteCalls"), Some(&false));
    assert_eq!(stored.capabilities.get("tenantOnlyFlag"), Some(&true));
    let snap = m.compile();
    assert!(snap.has_capability("r1", Capability::SCORE_CALLS));
    assert!(snap.has_capability("r1", "scoreCalls"));
    assert!(!snap.has_capability("r1", Capability::DELETE_CALLS));
    assert!(snap.has_capability("r1", "tenantOnlyFlag"));
    assert!(!snap.has_capability("r1", "neverHeardOf"));
    assert!(!snap.has_capability("r2", "tenantOnlyFlag"));
    assert!(m.to_json().contains("\"tenantOnlyFlag\": true"));
}

#[test]
fn page_gates_and_data_scopes_are_independent() {
    let mut m = sample();
    // A page gate without data scope...
    m.create_profile(ProfileSpec::new("gate", "Gate only").with_capability("callsAndSearch", true))
        .unwrap();
    // ...and data scope without the page gate.
    m.create_profile(ProfileSpec::new("scope", "Scope only").with_level(Domain::Calls, Level::All))
        .unwrap();
    m.assign_profile("r1", "gate").unwrap();
    m.assign_profile("r2", "scope").unwrap();
    let snap = m.compile();
    assert!(snap.has_capability("r1", Capability::CALLS_AND_SEARCH));
    assert!(!snap.can_access("r1", Domain::Calls, "r1"));
    assert!(!snap.has_capability("r2", Capability::CALLS_AND_SEARCH));
    assert!(snap.can_access("r2", Domain::Calls, "ceo"));
}

#[test]
fn library_levels_none_all_and_specific_folders() {
    let mut m = sample();
    m.add_workspace("emea").unwrap();
    for f in ["wins", "losses"] {
        m.add_folder(f, None).unwrap();
    }
    m.add_folder("emea-wins", Some("emea")).unwrap();
    m.create_profile(ProfileSpec::new("none", "None")).unwrap();
    m.create_profile(ProfileSpec::new("all", "All").with_library(LibraryAccess::all()))
        .unwrap();
    m.create_profile(
        ProfileSpec::new("some", "Some").with_library(LibraryAccess::specific(["wins"])),
    )
    .unwrap();
    m.assign_profile("r1", "none").unwrap();
    m.assign_profile("r2", "all").unwrap();
    m.assign_profile("r3", "some").unwrap();
    let snap = m.compile();
    assert!(!snap.profiles().can_access_folder("r1", "wins"));
    assert!(
        snap.profiles().can_access_folder("r2", "wins")
            && snap.profiles().can_access_folder("r2", "losses")
    );
    assert!(
        snap.profiles().can_access_folder("r3", "wins")
            && !snap.profiles().can_access_folder("r3", "losses")
    );
    // `all` means all folders of the profile's workspace, not of others.
    assert!(!snap.profiles().can_access_folder("r2", "emea-wins"));
    assert!(matches!(
        snap.profiles().explain_folder("r2", "emea-wins").reason,
        ProfileReason::FolderOutsideWorkspace { .. }
    ));
    assert_eq!(
        snap.profiles().explain_folder("r3", "losses").reason,
        ProfileReason::Library {
            profile: "some".into(),
            level: LibraryLevel::SpecificFolders,
            listed: false
        }
    );
}

#[test]
fn library_manage_flags_are_reported_per_profile() {
    let mut m = sample();
    let lib = LibraryAccess::all()
        .with_flag(LibraryFlag::ManagePublicFolder)
        .with_flag(LibraryFlag::ShareFoldersAndStreams);
    m.create_profile(ProfileSpec::new("p", "P").with_library(lib))
        .unwrap();
    m.assign_profile("r1", "p").unwrap();
    let snap = m.compile();
    assert!(
        snap.profiles()
            .has_library_flag("r1", LibraryFlag::ManagePublicFolder)
    );
    assert!(
        snap.profiles()
            .has_library_flag("r1", LibraryFlag::ShareFoldersAndStreams)
    );
    assert!(
        !snap
            .profiles()
            .has_library_flag("r1", LibraryFlag::ManageStreams)
    );
    assert!(
        !snap
            .profiles()
            .has_library_flag("r2", LibraryFlag::ManagePublicFolder)
    );
}

#[test]
fn profiles_are_listed_alphabetically_by_name() {
    let mut m = sample();
    for (id, name) in [
        ("1", "sales reps"),
        ("2", "Admins"),
        ("3", "managers"),
        ("4", "Managers"),
    ] {
        m.create_profile(ProfileSpec::new(id, name)).unwrap();
    }
    m.add_workspace("other").unwrap();
    m.create_profile(ProfileSpec::new("5", "AAA elsewhere").in_workspace("other"))
        .unwrap();
    let names: Vec<&str> = m
        .profiles_in(None)
        .unwrap()
        .iter()
        .map(|p| p.name.as_str())
        .collect();
    assert_eq!(names, ["Admins", "Managers", "managers", "sales reps"]);
    let other: Vec<&str> = m
        .profiles_in(Some("other"))
        .unwrap()
        .iter()
        .map(|p| p.id.as_str())
        .collect();
    assert_eq!(other, ["5"]);
}

#[test]
fn profile_crud_and_users_of_a_profile() {
    let mut m = sample();
    m.create_profile(ProfileSpec::new("p", "Reps").with_description("field reps"))
        .unwrap();
    assert_eq!(m.profile("p").unwrap().description, "field reps");
    m.assign_profile("r2", "p").unwrap();
    m.assign_profile("r1", "p").unwrap();
    assert_eq!(m.users_of_profile("p").unwrap(), ["r1", "r2"]);
    m.update_profile(ProfileSpec::new("p", "Field reps").with_level(Domain::Calls, Level::Own))
        .unwrap();
    assert_eq!(m.profile("p").unwrap().name, "Field reps");
    assert!(m.compile().can_access("r1", Domain::Calls, "r1"));
    let err = m.delete_profile("p").unwrap_err();
    assert_eq!(
        (err.path(), err.kind()),
        (
            "id",
            &ErrorKind::Profile(ProfileErrorKind::ProfileAssigned {
                id: "p".into(),
                users: 2
            })
        )
    );
    m.unassign_profile("r1", None).unwrap();
    m.unassign_profile("r2", None).unwrap();
    m.delete_profile("p").unwrap();
    assert!(m.profile("p").is_none());
    assert!(m.compile().profile_id("p").is_none());
}

#[test]
fn users_with_profile_lists_the_holders() {
    let mut m = sample();
    m.create_profile(ProfileSpec::new("p", "P")).unwrap();
    for u in ["r3", "vp1", "solo"] {
        m.assign_profile(u, "p").unwrap();
    }
    let snap = m.compile();
    let mut got: Vec<&str> = snap
        .profiles()
        .users_with_profile("p")
        .external_ids()
        .collect();
    got.sort_unstable();
    assert_eq!(got, ["r3", "solo", "vp1"]);
}

#[test]
fn explain_names_the_rule_that_decided() {
    let mut m = sample();
    give(&mut m, "m1", Domain::Calls, Level::ReportToThem, &[]);
    give(&mut m, "r1", Domain::Calls, Level::ManagersTeam, &[]);
    give(&mut m, "r4", Domain::Calls, Level::ManagersTeam, &["m2"]);
    give(&mut m, "ceo", Domain::Calls, Level::All, &[]);
    give(&mut m, "vp2", Domain::Calls, Level::None, &[]);
    give(&mut m, "r3", Domain::Calls, Level::Own, &[]);
    let snap = m.compile();
    let reason = |v: &str, o: &str| snap.explain(v, Domain::Calls, o).reason;
    let subtree = |profile: &str, level, root: &str, lead| ProfileReason::InSubtree {
        profile: profile.into(),
        level,
        root: root.into(),
        lead,
    };
    assert_eq!(
        reason("m1", "r2"),
        subtree("p-m1", Level::ReportToThem, "m1", false)
    );
    assert_eq!(
        reason("r1", "r2"),
        subtree("p-r1", Level::ManagersTeam, "m1", false)
    );
    assert_eq!(
        reason("r4", "r3"),
        subtree("p-r4", Level::ManagersTeam, "m2", true)
    );
    assert_eq!(
        reason("r4", "r4"),
        ProfileReason::OwnData {
            profile: "p-r4".into(),
            level: Level::ManagersTeam
        }
    );
    assert_eq!(
        reason("ceo", "solo"),
        ProfileReason::LevelAll {
            profile: "p-ceo".into(),
            domain: Domain::Calls
        }
    );
    assert_eq!(
        reason("vp2", "vp2"),
        ProfileReason::LevelNone {
            profile: "p-vp2".into(),
            domain: Domain::Calls
        }
    );
    assert_eq!(
        reason("r3", "m2"),
        ProfileReason::OutsideScope {
            profile: "p-r3".into(),
            level: Level::Own
        }
    );
    let text = snap.explain("m1", Domain::Calls, "r2").to_string();
    assert_eq!(
        text,
        "allow: owner is in the subtree of user \"m1\", profile \"p-m1\" at level report-to-them"
    );
}

#[test]
fn explain_capability_names_the_profile() {
    let mut m = sample();
    m.create_profile(ProfileSpec::new("p", "P").with_capability("deals", true))
        .unwrap();
    m.assign_profile("r1", "p").unwrap();
    let snap = m.compile();
    let d = snap.profiles().explain_capability("r1", Capability::DEALS);
    assert!(d.allowed);
    assert_eq!(d.to_string(), "allow: profile \"p\" sets \"deals\"");
    assert!(!snap.profiles().explain_capability("r1", "usage").allowed);
}

#[test]
fn dense_and_external_forms_agree() {
    let mut m = sample();
    give(&mut m, "vp1", Domain::Calls, Level::ReportToThem, &[]);
    let snap = m.compile();
    for v in SAMPLE_USERS {
        for o in SAMPLE_USERS {
            let (dv, dov) = (snap.user_id(v).unwrap(), snap.user_id(o).unwrap());
            assert_eq!(
                snap.can_access(dv, Domain::Calls, dov),
                snap.can_access(v, Domain::Calls, o)
            );
            let owned = String::from(v);
            assert_eq!(
                snap.can_access(dv, Domain::Calls, dov),
                snap.can_access(&owned, Domain::Calls, o.to_string())
            );
        }
    }
}

#[test]
fn owner_filter_and_filter_owners_match_single_checks() {
    let mut m = sample();
    give(&mut m, "m1", Domain::Deals, Level::ManagersTeam, &[]);
    let snap = m.compile();
    let all: Vec<UserId> = SAMPLE_USERS
        .iter()
        .map(|u| snap.user_id(u).unwrap())
        .collect();
    let filtered = snap.profiles().filter_owners("m1", Domain::Deals, &all);
    let expected: Vec<UserId> = all
        .iter()
        .copied()
        .filter(|&o| snap.can_access("m1", Domain::Deals, o))
        .collect();
    assert_eq!(filtered, expected);
    let names: Vec<&str> = filtered
        .iter()
        .map(|&u| snap.user_name(u).unwrap())
        .collect();
    assert_eq!(names, ["vp1", "m1", "m2", "r1", "r2", "r3"]);
    let f = snap
        .in_workspace(WorkspaceId::DEFAULT)
        .owner_filter("m1", Domain::Deals);
    assert!(f.allows("r3") && !f.allows("vp2") && !f.allows("ghost"));
}

#[test]
fn who_can_access_collects_every_kind_of_holder() {
    let mut m = sample();
    give(&mut m, "ceo", Domain::Calls, Level::ReportToThem, &[]); // ancestor
    give(&mut m, "r2", Domain::Calls, Level::ManagersTeam, &[]); // peer under m1
    give(&mut m, "solo", Domain::Calls, Level::All, &[]); // everyone
    give(&mut m, "r4", Domain::Calls, Level::ManagersTeam, &["vp1"]); // lead covers r1
    give(&mut m, "r1", Domain::Calls, Level::Own, &[]); // self
    give(&mut m, "m2", Domain::Calls, Level::ReportToThem, &[]); // not an ancestor of r1
    let snap = m.compile();
    let mut who: Vec<&str> = snap
        .profiles()
        .who_can_access("r1", Domain::Calls)
        .external_ids()
        .collect();
    who.sort_unstable();
    assert_eq!(who, ["ceo", "r1", "r2", "r4", "solo"]);
}

#[test]
fn filter_owners_bulk_path_matches_single_checks() {
    use orgperm_synth::{Rng, SynthConfig, generate};
    // Enough owners (>= 4,096 and >= users / 8) to take the bitmap path, with every kind of
    // reach among the viewers, removed users and ids out of range among the owners.
    let mut org = generate(&SynthConfig::new(3_000).seed(11));
    let leaf = org.reps.last().unwrap().clone();
    org.model.remove_user(&leaf).unwrap();
    let own = ProfileSpec::new("own-only", "Own").with_level(Domain::Calls, Level::Own);
    org.model.create_profile(own).unwrap();
    let own_user = org.reps[0].clone();
    org.model.assign_profile(&own_user, "own-only").unwrap();
    let snap = org.model.compile();
    let mut rng = Rng::new(3);
    let mut owners: Vec<UserId> = (0..20_000)
        .map(|_| UserId::new(rng.range(0, 3_100) as u32))
        .collect();
    owners.push(UserId::new(u32::MAX));
    let mut viewers: Vec<&str> = vec![
        &org.admins[0],
        &org.managers[0],
        &org.managers[40],
        &own_user,
    ];
    viewers.extend(org.reps.iter().take(3).map(String::as_str));
    viewers.extend(org.enablement.iter().take(3).map(String::as_str));
    viewers.push("no-such-viewer");
    for v in viewers {
        let expected: Vec<UserId> = owners
            .iter()
            .copied()
            .filter(|&o| snap.can_access(v, Domain::Calls, o))
            .collect();
        assert_eq!(
            snap.profiles().filter_owners(v, Domain::Calls, &owners),
            expected,
            "{v}"
        );
        // The small path agrees too.
        let few = &owners[..100];
        let expected_few: Vec<UserId> = few
            .iter()
            .copied()
            .filter(|&o| snap.can_access(v, Domain::Calls, o))
            .collect();
        assert_eq!(
            snap.profiles().filter_owners(v, Domain::Calls, few),
            expected_few,
            "{v}"
        );
    }
}
