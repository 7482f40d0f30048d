//! Every validation error of the directory, profiles and model documents: typed, naming the
//! id and field, and leaving the model unchanged.

use orgperm::{
    Domain, ErrorKind, InputErrorKind, Level, LibraryAccess, LibraryFlag, LibraryLevel, Model,
    OrgErrorKind, ProfileErrorKind, ProfileSpec,
};

use crate::common::sample;

fn kind<T: std::fmt::Debug, K: Clone + std::fmt::Debug>(
    r: Result<T, orgperm::Error<K>>,
) -> (String, K) {
    let e = r.unwrap_err();
    (e.path().to_owned(), e.kind().clone())
}

#[test]
fn empty_user_id_is_rejected() {
    let mut m = Model::new();
    assert_eq!(
        kind(m.add_user("", None)),
        ("id".into(), ErrorKind::Input(InputErrorKind::EmptyId))
    );
}

#[test]
fn duplicate_user_id_is_rejected() {
    let mut m = sample();
    assert_eq!(
        kind(m.add_user("r1", None)),
        (
            "id".into(),
            ErrorKind::Input(InputErrorKind::DuplicateId { id: "r1".into() })
        )
    );
}

#[test]
fn unknown_manager_is_rejected() {
    let mut m = sample();
    assert_eq!(
        kind(m.add_user("new", Some("ghost"))),
        (
            "managerId".into(),
            ErrorKind::Org(OrgErrorKind::UnknownUser { id: "ghost".into() })
        )
    );
    assert_eq!(m.user_id("new"), None, "nothing half-applied");
}

#[test]
fn self_manager_is_rejected() {
    let mut m = sample();
    assert_eq!(
        kind(m.move_user("r1", Some("r1"))),
        (
            "managerId".into(),
            ErrorKind::Org(OrgErrorKind::SelfManager { id: "r1".into() })
        )
    );
    assert_eq!(
        kind(m.add_user("x", Some("x"))),
        (
            "managerId".into(),
            ErrorKind::Org(OrgErrorKind::SelfManager { id: "x".into() })
        )
    );
}

#[test]
fn a_move_that_creates_a_cycle_names_its_users() {
    let mut m = sample();
    let (path, k) = kind(m.move_user("vp1", Some("r2")));
    assert_eq!(path, "managerId");
    assert_eq!(
        k,
        ErrorKind::Org(OrgErrorKind::ManagerCycle {
            users: vec!["vp1".into(), "r2".into(), "m1".into()]
        })
    );
    assert_eq!(
        k.to_string(),
        "manager cycle: \"vp1\" -> \"r2\" -> \"m1\" -> \"vp1\""
    );
    assert_eq!(m.manager_of("vp1"), Some("ceo"), "nothing half-applied");
}

#[test]
fn a_cycle_in_a_document_names_its_users() {
    let json = r#"{"version": 1, "users": [
        {"id": "a", "managerId": "c"}, {"id": "b", "managerId": "a"}, {"id": "c", "managerId": "b"},
        {"id": "d"}]}"#;
    let (path, k) = kind(Model::from_json(json));
    assert_eq!(path, "users");
    assert_eq!(
        k,
        ErrorKind::Org(OrgErrorKind::ManagerCycle {
            users: vec!["a".into(), "c".into(), "b".into()]
        })
    );
}

#[test]
fn document_user_errors_point_at_the_record() {
    let cases = [
        (
            r#"[{"id": "a"}, {"id": "a"}]"#,
            "users[1].id",
            ErrorKind::Input(InputErrorKind::DuplicateId { id: "a".into() }),
        ),
        (
            r#"[{"id": ""}]"#,
            "users[0].id",
            ErrorKind::Input(InputErrorKind::EmptyId),
        ),
        (
            r#"[{"id": "a", "managerId": "zz"}]"#,
            "users[0].managerId",
            ErrorKind::Org(OrgErrorKind::UnknownUser { id: "zz".into() }),
        ),
        (
            r#"[{"id": "a", "managerId": "a"}]"#,
            "users[0].managerId",
            ErrorKind::Org(OrgErrorKind::SelfManager { id: "a".into() }),
        ),
    ];
    for (users, path, k) in cases {
        let json = format!(r#"{{"version": 1, "users": {users}}}"#);
        assert_eq!(
            kind(Model::from_json(&json)),
            (path.to_owned(), k),
            "{users}"
        );
    }
}

#[test]
fn removing_a_user_with_reports_is_refused() {
    let mut m = sample();
    assert_eq!(
        kind(m.remove_user("m1")),
        (
            "id".into(),
            ErrorKind::Org(OrgErrorKind::HasReports {
                id: "m1".into(),
                reports: 2
            })
        )
    );
    assert!(m.user_id("m1").is_some());
}

#[test]
fn removing_a_team_lead_is_refused() {
    let mut m = sample();
    m.create_profile(ProfileSpec::new("p", "P").with_leads(
        Domain::Coaching,
        Level::ManagersTeam,
        ["r4"],
    ))
    .unwrap();
    assert_eq!(
        kind(m.remove_user("r4")),
        (
            "id".into(),
            ErrorKind::Profile(ProfileErrorKind::UserIsTeamLead {
                id: "r4".into(),
                profile: "p".into(),
                field: "coachingAccess.teamLeadIds".into()
            })
        )
    );
}

#[test]
fn removing_an_unknown_user_is_refused() {
    let mut m = sample();
    assert_eq!(
        kind(m.remove_user("ghost")),
        (
            "id".into(),
            ErrorKind::Org(OrgErrorKind::UnknownUser { id: "ghost".into() })
        )
    );
}

#[test]
fn unknown_team_lead_is_rejected_with_its_path() {
    let mut m = sample();
    let spec = ProfileSpec::new("p", "P").with_leads(
        Domain::ForecastEditTargets,
        Level::ManagersTeam,
        ["r1", "ghost"],
    );
    assert_eq!(
        kind(m.create_profile(spec)),
        (
            "forecastPermissions.forecastEditTargets.teamLeadIds[1]".into(),
            ErrorKind::Org(OrgErrorKind::UnknownUser { id: "ghost".into() })
        )
    );
    assert!(m.profile("p").is_none(), "nothing half-applied");
}

#[test]
fn unknown_lead_is_rejected_on_levels_that_ignore_leads_too() {
    let mut m = sample();
    let spec = ProfileSpec::new("p", "P").with_leads(Domain::Calls, Level::Own, ["ghost"]);
    assert_eq!(
        kind(m.create_profile(spec)),
        (
            "callsAccess.teamLeadIds[0]".into(),
            ErrorKind::Org(OrgErrorKind::UnknownUser { id: "ghost".into() })
        )
    );
    assert!(m.profile("p").is_none(), "nothing half-applied");
}

#[test]
fn invalid_levels_are_rejected_including_the_documents_combined_string() {
    for bad in [
        "all / managers-team / report-to-them / own / none",
        "ALL",
        "team",
        "",
    ] {
        let json = format!(
            r#"{{"version": 1, "profiles": [{{"id": "p", "name": "P", "dealsAccess": {{"permissionLevel": "{bad}"}}}}]}}"#
        );
        assert_eq!(
            kind(Model::from_json(&json)),
            (
                "profiles[0].dealsAccess.permissionLevel".into(),
                ErrorKind::Profile(ProfileErrorKind::InvalidLevel { value: bad.into() })
            )
        );
    }
}

#[test]
fn a_scoped_access_object_needs_a_level() {
    let json = r#"{"version": 1, "profiles": [{"id": "p", "name": "P",
        "forecastPermissions": {"forecastAccess": {"teamLeadIds": null}}}]}"#;
    assert_eq!(
        kind(Model::from_json(json)),
        (
            "profiles[0].forecastPermissions.forecastAccess.permissionLevel".into(),
            ErrorKind::Profile(ProfileErrorKind::MissingLevel)
        )
    );
}

#[test]
fn team_lead_ids_may_be_null_or_absent() {
    let json = r#"{"version": 1, "users": [{"id": "a"}], "profiles": [{"id": "p", "name": "P",
        "callsAccess": {"permissionLevel": "managers-team", "teamLeadIds": null},
        "dealsAccess": {"permissionLevel": "managers-team"}}],
        "assignments": [{"userId": "a", "profileId": "p"}]}"#;
    let m = Model::from_json(json).unwrap();
    assert!(m.compile().can_access("a", Domain::Calls, "a"));
}

#[test]
fn library_level_is_mandatory_and_validated() {
    let base = |lib: &str| {
        format!(
            r#"{{"version": 1, "folders": [{{"id": "f"}}], "profiles": [{{"id": "p", "name": "P", "libraryFolderAccess": {lib}}}]}}"#
        )
    };
    assert_eq!(
        kind(Model::from_json(&base(r#"{"manageStreams": false}"#))),
        (
            "profiles[0].libraryFolderAccess.permissionLevel".into(),
            ErrorKind::Profile(ProfileErrorKind::MissingLibraryLevel)
        )
    );
    assert_eq!(
        kind(Model::from_json(&base(
            r#"{"permissionLevel": "none, all, specific-folders"}"#
        ))),
        (
            "profiles[0].libraryFolderAccess.permissionLevel".into(),
            ErrorKind::Profile(ProfileErrorKind::InvalidLibraryLevel {
                value: "none, all, specific-folders".into()
            })
        )
    );
    assert_eq!(
        kind(Model::from_json(&base(
            r#"{"permissionLevel": "none", "libraryFolderIds": ["f"]}"#
        ))),
        (
            "profiles[0].libraryFolderAccess.permissionLevel".into(),
            ErrorKind::Profile(ProfileErrorKind::LibraryNoneWithGrants)
        )
    );
    assert_eq!(
        kind(Model::from_json(&base(
            r#"{"permissionLevel": "none", "manageFolderCalls": true}"#
        ))),
        (
            "profiles[0].libraryFolderAccess.permissionLevel".into(),
            ErrorKind::Profile(ProfileErrorKind::LibraryNoneWithGrants)
        )
    );
    assert_eq!(
        kind(Model::from_json(&base(
            r#"{"permissionLevel": "specific-folders"}"#
        ))),
        (
            "profiles[0].libraryFolderAccess.libraryFolderIds".into(),
            ErrorKind::Profile(ProfileErrorKind::SpecificFoldersEmpty)
        )
    );
    // `none` with every flag false is valid, and loads as exactly that.
    let m = Model::from_json(&base(
        r#"{"permissionLevel": "none", "manageStreams": false}"#,
    ))
    .unwrap();
    let lib = &m.profile("p").unwrap().library;
    assert_eq!(lib.level, LibraryLevel::None);
    assert!(lib.folder_ids.is_empty());
    assert!(LibraryFlag::ALL.into_iter().all(|f| !lib.flag(f)));
}

#[test]
fn every_manage_flag_needs_a_library_level() {
    for flag in LibraryFlag::ALL {
        let mut m = sample();
        let lib = LibraryAccess::default().with_flag(flag);
        assert_eq!(lib.level, LibraryLevel::None);
        let (_, k) = kind(m.create_profile(ProfileSpec::new("p", "P").with_library(lib)));
        assert_eq!(
            k,
            ErrorKind::Profile(ProfileErrorKind::LibraryNoneWithGrants),
            "{flag:?}"
        );
    }
}

#[test]
fn unknown_folder_and_folder_of_another_workspace_are_rejected() {
    let mut m = sample();
    m.add_workspace("emea").unwrap();
    m.add_folder("emea-f", Some("emea")).unwrap();
    assert_eq!(
        kind(m.create_profile(
            ProfileSpec::new("p", "P").with_library(LibraryAccess::specific(["nope"]))
        )),
        (
            "libraryFolderAccess.libraryFolderIds[0]".into(),
            ErrorKind::Org(OrgErrorKind::UnknownFolder { id: "nope".into() })
        )
    );
    assert_eq!(
        kind(m.create_profile(
            ProfileSpec::new("p", "P").with_library(LibraryAccess::specific(["emea-f"]))
        )),
        (
            "libraryFolderAccess.libraryFolderIds[0]".into(),
            ErrorKind::Profile(ProfileErrorKind::FolderOutsideWorkspace {
                folder: "emea-f".into(),
                workspace: "default".into()
            })
        )
    );
}

#[test]
fn a_profile_needs_a_name_and_an_id() {
    let mut m = sample();
    assert_eq!(
        kind(m.create_profile(ProfileSpec::new("p", "  "))),
        (
            "name".into(),
            ErrorKind::Profile(ProfileErrorKind::MissingName)
        )
    );
    assert_eq!(
        kind(m.create_profile(ProfileSpec::new("", "P"))),
        ("id".into(), ErrorKind::Input(InputErrorKind::EmptyId))
    );
    let json = r#"{"version": 1, "profiles": [{"id": "p"}]}"#;
    assert_eq!(
        kind(Model::from_json(json)),
        (
            "profiles[0].name".into(),
            ErrorKind::Profile(ProfileErrorKind::MissingName)
        )
    );
}

#[test]
fn duplicate_profile_id_is_rejected() {
    let mut m = sample();
    m.create_profile(ProfileSpec::new("p", "P")).unwrap();
    assert_eq!(
        kind(m.create_profile(ProfileSpec::new("p", "Q"))),
        (
            "id".into(),
            ErrorKind::Input(InputErrorKind::DuplicateId { id: "p".into() })
        )
    );
    assert_eq!(m.profile("p").unwrap().name, "P");
}

#[test]
fn unknown_workspace_is_rejected() {
    let mut m = sample();
    assert_eq!(
        kind(m.create_profile(ProfileSpec::new("p", "P").in_workspace("mars"))),
        (
            "workspaceId".into(),
            ErrorKind::Org(OrgErrorKind::UnknownWorkspace { id: "mars".into() })
        )
    );
    assert_eq!(
        kind(m.profiles_in(Some("mars"))),
        (
            "workspaceId".into(),
            ErrorKind::Org(OrgErrorKind::UnknownWorkspace { id: "mars".into() })
        )
    );
    assert_eq!(m.profile("p"), None, "nothing half-applied");
}

#[test]
fn capabilities_must_be_booleans() {
    let json = r#"{"version": 1, "profiles": [{"id": "p", "name": "P", "scoreCalls": "yes"}]}"#;
    assert_eq!(
        kind(Model::from_json(json)),
        (
            "profiles[0].scoreCalls".into(),
            ErrorKind::Input(InputErrorKind::WrongType {
                expected: "a boolean capability".into(),
                found: "\"yes\"".into()
            })
        )
    );
}

#[test]
fn an_assigned_profile_cannot_be_deleted_or_moved_to_another_workspace() {
    let mut m = sample();
    m.add_workspace("emea").unwrap();
    m.create_profile(ProfileSpec::new("p", "P")).unwrap();
    m.assign_profile("r1", "p").unwrap();
    assert_eq!(
        kind(m.delete_profile("p")),
        (
            "id".into(),
            ErrorKind::Profile(ProfileErrorKind::ProfileAssigned {
                id: "p".into(),
                users: 1
            })
        )
    );
    assert_eq!(
        kind(m.update_profile(ProfileSpec::new("p", "P").in_workspace("emea"))),
        (
            "workspaceId".into(),
            ErrorKind::Profile(ProfileErrorKind::ProfileAssigned {
                id: "p".into(),
                users: 1
            })
        )
    );
    assert_eq!(
        m.profile("p").unwrap().workspace,
        None,
        "nothing half-applied"
    );
}

#[test]
fn a_failed_update_leaves_the_profile_unchanged() {
    let mut m = sample();
    m.create_profile(ProfileSpec::new("p", "P").with_level(Domain::Calls, Level::Own))
        .unwrap();
    let bad = ProfileSpec::new("p", "P").with_leads(Domain::Calls, Level::ManagersTeam, ["ghost"]);
    assert_eq!(
        kind(m.update_profile(bad)),
        (
            "callsAccess.teamLeadIds[0]".into(),
            ErrorKind::Org(OrgErrorKind::UnknownUser { id: "ghost".into() })
        )
    );
    let calls = m.profile("p").unwrap().access(Domain::Calls);
    assert_eq!((calls.level, calls.team_lead_ids.len()), (Level::Own, 0));
    assert_eq!(
        kind(m.update_profile(ProfileSpec::new("nope", "P"))),
        (
            "id".into(),
            ErrorKind::Profile(ProfileErrorKind::UnknownProfile { id: "nope".into() })
        )
    );
    assert_eq!(m.profile("nope"), None, "an update does not create");
}

#[test]
fn assignment_errors_name_the_field() {
    let mut m = sample();
    m.create_profile(ProfileSpec::new("p", "P")).unwrap();
    assert_eq!(
        kind(m.assign_profile("ghost", "p")),
        (
            "userId".into(),
            ErrorKind::Org(OrgErrorKind::UnknownUser { id: "ghost".into() })
        )
    );
    assert_eq!(
        kind(m.assign_profile("r1", "nope")),
        (
            "profileId".into(),
            ErrorKind::Profile(ProfileErrorKind::UnknownProfile { id: "nope".into() })
        )
    );
    let json = r#"{"version": 1, "users": [{"id": "a"}], "profiles": [{"id": "p", "name": "P"}, {"id": "q", "name": "Q"}],
        "assignments": [{"userId": "a", "profileId": "p"}, {"userId": "a", "profileId": "q"}]}"#;
    assert_eq!(
        kind(Model::from_json(json)),
        (
            "assignments[1].userId".into(),
            ErrorKind::Profile(ProfileErrorKind::DuplicateAssignment {
                user: "a".into(),
                workspace: "default".into()
            })
        )
    );
    let json = r#"{"version": 1, "assignments": [{"userId": "a", "profileId": "zz"}]}"#;
    assert_eq!(
        kind(Model::from_json(json)),
        (
            "assignments[0].profileId".into(),
            ErrorKind::Profile(ProfileErrorKind::UnknownProfile { id: "zz".into() })
        )
    );
}

#[test]
fn workspace_and_folder_ids_are_validated() {
    let mut m = sample();
    assert_eq!(
        kind(m.add_workspace("")),
        ("id".into(), ErrorKind::Input(InputErrorKind::EmptyId))
    );
    assert_eq!(
        kind(m.add_workspace("default")),
        (
            "id".into(),
            ErrorKind::Input(InputErrorKind::DuplicateId {
                id: "default".into()
            })
        )
    );
    m.add_folder("f", None).unwrap();
    assert_eq!(
        kind(m.add_folder("f", None)),
        (
            "id".into(),
            ErrorKind::Input(InputErrorKind::DuplicateId { id: "f".into() })
        )
    );
    assert_eq!(
        kind(m.add_folder("g", Some("nope"))),
        (
            "workspaceId".into(),
            ErrorKind::Org(OrgErrorKind::UnknownWorkspace { id: "nope".into() })
        )
    );
    let json = r#"{"version": 1, "workspaces": [{"id": "a"}, {"id": "a"}]}"#;
    assert_eq!(
        kind(Model::from_json(json)),
        (
            "workspaces[1].id".into(),
            ErrorKind::Input(InputErrorKind::DuplicateId { id: "a".into() })
        )
    );
}

#[test]
fn unsupported_version_and_malformed_json_are_typed_errors() {
    assert_eq!(
        kind(Model::from_json(r#"{"version": 3}"#)),
        (
            "version".into(),
            ErrorKind::Input(InputErrorKind::UnsupportedVersion { found: 3 })
        )
    );
    assert_eq!(
        kind(Model::from_json(r#"{"version": 1, "users": [{"id": 5}]}"#)),
        (
            "users[0].id".into(),
            ErrorKind::Input(InputErrorKind::WrongType {
                expected: "a string".into(),
                found: "5".into()
            })
        )
    );
    assert!(matches!(
        kind(Model::from_json("not json")).1,
        ErrorKind::Input(InputErrorKind::Syntax { .. })
    ));
}
