//! The Gong permission-profile reader (`orgperm::vendor::gong`): the seed's list page, the
//! single-profile body, the seed-000 variant, strictness, lenient warnings, all or nothing.

use orgperm::vendor::gong::{ProfileReader, Warning, WarningKind, read_profiles};
use orgperm::{
    Capability, Domain, ErrorKind, InputErrorKind, Level, LibraryAccess, LibraryFlag, Model,
    ProfileSpec,
};

const PAGE: &str = include_str!("../fixtures/vendor/gong/profiles-page.json");

const ADMINS: &str = "3843152912968920035";
const MANAGERS: &str = "3843152912968920037";
const REPS: &str = "3843152912968920039";
const LEAD: &str = "295738305212375930";

/// vp ─┬─ LEAD ─┬─ r1
///     │        └─ r2
///     └─ other
fn org() -> Model {
    let mut m = Model::with_default_workspace("w1").unwrap();
    m.add_user("vp", None).unwrap();
    m.add_user(LEAD, Some("vp")).unwrap();
    m.add_user("r1", Some(LEAD)).unwrap();
    m.add_user("r2", Some(LEAD)).unwrap();
    m.add_user("other", Some("vp")).unwrap();
    m.add_folder("3843152912968920037", None).unwrap();
    m.add_folder("elsewhere", None).unwrap();
    m
}

const USERS: [&str; 5] = ["vp", LEAD, "r1", "r2", "other"];

fn reached(m: &Model, viewer: &str, d: Domain) -> Vec<&'static str> {
    let snap = m.compile();
    USERS
        .into_iter()
        .filter(|o| snap.can_access(viewer, d, *o))
        .collect()
}

fn ids(m: &Model) -> Vec<String> {
    m.profiles_in(Some("w1"))
        .unwrap()
        .into_iter()
        .map(|p| p.id.clone())
        .collect()
}

#[test]
fn vendor_gong_page_loads_exact_profiles() {
    let mut m = org();
    assert_eq!(
        read_profiles(PAGE, "w1", &mut m).unwrap(),
        Vec::<Warning>::new()
    );
    assert_eq!(ids(&m), [ADMINS, MANAGERS, REPS]);

    let mut admins = ProfileSpec::new(ADMINS, "Admins")
        .in_workspace("w1")
        .with_description("Everything, everywhere")
        .with_all_levels(Level::All)
        .with_library(
            LibraryAccess::all()
                .with_flag(LibraryFlag::ManagePublicFolder)
                .with_flag(LibraryFlag::ManageStreams)
                .with_flag(LibraryFlag::ManageFolderCalls)
                .with_flag(LibraryFlag::ShareFoldersAndStreams),
        );
    for c in Capability::documented() {
        admins = admins.with_capability(*c, true);
    }
    assert_eq!(m.profile(ADMINS), Some(&admins));

    let managers = ProfileSpec::new(MANAGERS, "Profile")
        .in_workspace("w1")
        .with_description("Description")
        .with_leads(Domain::Calls, Level::ManagersTeam, [LEAD])
        .with_level(Domain::Deals, Level::ReportToThem)
        .with_leads(Domain::Forecast, Level::ManagersTeam, [LEAD])
        .with_level(Domain::ForecastEditSubmissions, Level::Own)
        .with_level(Domain::ForecastEditTargets, Level::None)
        .with_level(Domain::Coaching, Level::ReportToThem)
        .with_level(Domain::Insights, Level::ReportToThem)
        .with_level(Domain::Usage, Level::Own)
        .with_level(Domain::Emails, Level::Own)
        .with_library(
            LibraryAccess::specific(["3843152912968920037"])
                .with_flag(LibraryFlag::ManageStreams)
                .with_flag(LibraryFlag::ManageFolderCalls),
        )
        .with_capability("scoreCalls", true)
        .with_capability("overrideScore", false)
        .with_capability("downloadCallMedia", true)
        .with_capability("callsAndSearch", true)
        .with_capability("library", true)
        .with_capability("deals", true)
        .with_capability("coaching", true)
        .with_capability("forecast", true);
    assert_eq!(m.profile(MANAGERS), Some(&managers));

    let reps = ProfileSpec::new(REPS, "Reps")
        .in_workspace("w1")
        .with_description("Own data only")
        .with_level(Domain::Calls, Level::Own)
        .with_level(Domain::Deals, Level::Own)
        .with_level(Domain::Emails, Level::Own)
        .with_library(LibraryAccess::default())
        .with_capability("callsAndSearch", true)
        .with_capability("privateCalls", true);
    assert_eq!(m.profile(REPS), Some(&reps));
}

#[test]
fn vendor_gong_page_answers_after_assignment() {
    let mut m = org();
    read_profiles(PAGE, "w1", &mut m).unwrap();
    m.assign_profile("vp", ADMINS).unwrap();
    m.assign_profile("other", MANAGERS).unwrap();
    m.assign_profile(LEAD, MANAGERS).unwrap();
    m.assign_profile("r1", REPS).unwrap();

    assert_eq!(reached(&m, "vp", Domain::Calls), USERS);
    // managers-team with the lead listed: self and the lead's subtree.
    assert_eq!(
        reached(&m, "other", Domain::Calls),
        [LEAD, "r1", "r2", "other"]
    );
    assert_eq!(reached(&m, LEAD, Domain::Deals), [LEAD, "r1", "r2"]);
    assert_eq!(reached(&m, "other", Domain::Deals), ["other"]);
    assert_eq!(reached(&m, "r1", Domain::Calls), ["r1"]);
    assert_eq!(reached(&m, "r1", Domain::Coaching), Vec::<&str>::new());
    assert_eq!(reached(&m, "r2", Domain::Calls), Vec::<&str>::new()); // no profile

    let snap = m.compile();
    let p = snap.profiles();
    assert!(p.has_capability("other", Capability::SCORE_CALLS));
    assert!(!p.has_capability("other", Capability::OVERRIDE_SCORE));
    assert!(p.has_capability("r1", Capability::PRIVATE_CALLS));
    assert!(!p.has_capability("r1", Capability::SCORE_CALLS));
    assert!(p.can_access_folder("other", "3843152912968920037"));
    assert!(!p.can_access_folder("other", "elsewhere"));
    assert!(p.can_access_folder("vp", "elsewhere"));
    assert!(!p.can_access_folder("r1", "3843152912968920037"));
    assert!(p.has_library_flag("other", LibraryFlag::ManageStreams));
    assert!(!p.has_library_flag("other", LibraryFlag::ManagePublicFolder));
}

#[test]
fn vendor_gong_single_profile_body_updates() {
    let mut m = org();
    read_profiles(PAGE, "w1", &mut m).unwrap();
    m.assign_profile("r1", REPS).unwrap();
    let body = format!(
        r#"{{"requestId":"x","profile":{{"id":"{REPS}","name":"Reps","callsAccess":{{"permissionLevel":"report-to-them"}}}}}}"#
    );
    read_profiles(&body, "w1", &mut m).unwrap();
    assert_eq!(
        m.profile(REPS),
        Some(
            &ProfileSpec::new(REPS, "Reps")
                .in_workspace("w1")
                .with_level(Domain::Calls, Level::ReportToThem)
        )
    );
    assert_eq!(reached(&m, "r1", Domain::Calls), ["r1"]);
    assert_eq!(ids(&m), [ADMINS, MANAGERS, REPS]);
}

#[test]
fn vendor_gong_seed_000_variant() {
    let mut m = org();
    let body = r#"{
      "requestId": "r-1",
      "permissionProfiles": [
        {"profileId": "p-team", "name": "Team leads", "description": "Team calls",
         "workspaceId": "w1", "userCount": 12,
         "permissions": {"viewOwnCalls": true, "viewTeamCalls": true, "viewAllCalls": false,
                         "downloadRecordings": true, "shareExternally": false,
                         "createScorecards": true, "manageUsers": true, "manageSettings": false}},
        {"profileId": "p-none", "name": "Nothing", "permissions": {}}
      ]
    }"#;
    assert_eq!(
        read_profiles(body, "w1", &mut m).unwrap(),
        Vec::<Warning>::new()
    );
    let team = ProfileSpec::new("p-team", "Team leads")
        .in_workspace("w1")
        .with_description("Team calls")
        .with_level(Domain::Calls, Level::ReportToThem)
        .with_capability("downloadCallMedia", true)
        .with_capability("shareCallsWithCustomers", false)
        .with_capability("scoreCalls", true)
        .with_capability("manageUsers", true)
        .with_capability("manageGeneralBusinessSettings", false);
    assert_eq!(m.profile("p-team"), Some(&team));
    assert_eq!(
        m.profile("p-none"),
        Some(&ProfileSpec::new("p-none", "Nothing").in_workspace("w1"))
    );
    m.assign_profile(LEAD, "p-team").unwrap();
    assert_eq!(reached(&m, LEAD, Domain::Calls), [LEAD, "r1", "r2"]);
    assert!(
        m.compile()
            .profiles()
            .has_capability(LEAD, Capability::SCORE_CALLS)
    );

    // The single-profile form, and a workspace that is not the one read into.
    let single = r#"{"requestId":"r-2","permissionProfile":{"profileId":"p-all","name":"All","workspaceId":"w1","permissions":{"viewAllCalls":true}}}"#;
    read_profiles(single, "w1", &mut m).unwrap();
    assert_eq!(
        m.profile("p-all").unwrap().access(Domain::Calls).level,
        Level::All
    );
    let other = r#"{"permissionProfile":{"profileId":"p-x","name":"X","workspaceId":"w2"}}"#;
    let err = read_profiles(other, "w1", &mut m).unwrap_err();
    assert_eq!(err.path(), "permissionProfile.workspaceId");
    assert_eq!(err.kind().code(), "conflict");
}

#[test]
fn vendor_gong_misspelt_field_is_an_error_at_its_path() {
    let mut m = org();
    let bad = PAGE.replacen(
        r#""permissionLevel": "managers-team""#,
        r#""permissionLevl": "managers-team""#,
        1,
    );
    let err = read_profiles(&bad, "w1", &mut m).unwrap_err();
    assert_eq!(err.path(), "profiles[1].callsAccess.permissionLevl");
    assert_eq!(
        err.kind(),
        &ErrorKind::Input(InputErrorKind::UnknownField {
            expected: &["permissionLevel", "teamLeadIds"]
        })
    );
    assert_eq!(
        err.to_string(),
        "profiles[1].callsAccess.permissionLevl: unknown field, expected permissionLevel or teamLeadIds"
    );
    // A wrong type names its path too; an unknown wrapper field is refused.
    let err = read_profiles(
        r#"{"profiles":[{"id":"a","name":"A","scoreCalls":"yes"}]}"#,
        "w1",
        &mut m,
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "profiles[0].scoreCalls: expected a boolean, found \"yes\""
    );
    let err = read_profiles(r#"{"profiles":[],"cursor":"c"}"#, "w1", &mut m).unwrap_err();
    assert_eq!(err.path(), "cursor");
    assert!(m.profiles_in(Some("w1")).unwrap().is_empty());
}

#[test]
fn vendor_gong_lenient_warnings_exact() {
    let mut m = org();
    let body = r#"{
      "requestId": "r",
      "records": {"cursor": "c"},
      "profiles": [
        {"id": "a", "name": "A", "callsAccess": {"permissionLevl": "all", "permissionLevel": "own"},
         "tenantGate": true, "color": "red",
         "forecastPermissions": {"forecastAcess": {"permissionLevel": "all"}}},
        {"profileId": "b", "name": "B"}
      ]
    }"#;
    assert!(read_profiles(body, "w1", &mut m).is_err());
    let warnings = ProfileReader::lenient()
        .read(body, "w1", &mut m)
        .unwrap_err();
    // The second profile has no `id`: even lenient, that is an error.
    assert_eq!(warnings.path(), "profiles[1].id");
    let body = body.replace(r#""profileId": "b""#, r#""id": "b""#);
    let warnings = ProfileReader::lenient().read(&body, "w1", &mut m).unwrap();
    let w = |path: &str, kind| Warning {
        path: path.into(),
        kind,
    };
    assert_eq!(
        warnings,
        [
            w("records", WarningKind::Ignored),
            w(
                "profiles[0].callsAccess.permissionLevl",
                WarningKind::Ignored
            ),
            w("profiles[0].color", WarningKind::Ignored),
            w(
                "profiles[0].forecastPermissions.forecastAcess",
                WarningKind::Ignored
            ),
            w("profiles[0].tenantGate", WarningKind::KeptAsCapability),
        ]
    );
    assert_eq!(
        warnings[4].to_string(),
        "profiles[0].tenantGate: unknown field, kept as a capability"
    );
    assert_eq!(
        m.profile("a"),
        Some(
            &ProfileSpec::new("a", "A")
                .in_workspace("w1")
                .with_level(Domain::Calls, Level::Own)
                .with_capability("tenantGate", true)
        )
    );
    assert_eq!(ids(&m), ["a", "b"]);
}

#[test]
fn vendor_gong_all_or_nothing() {
    let mut m = org();
    read_profiles(PAGE, "w1", &mut m).unwrap();
    m.assign_profile("r1", REPS).unwrap();
    let before = m
        .profiles_in(Some("w1"))
        .unwrap()
        .into_iter()
        .cloned()
        .collect::<Vec<_>>();
    // The first profile is good (an update of Admins), the second names an unknown lead.
    let page = format!(
        r#"{{"profiles":[
          {{"id":"{ADMINS}","name":"Renamed"}},
          {{"id":"new","name":"New","dealsAccess":{{"permissionLevel":"managers-team","teamLeadIds":["ghost"]}}}}
        ]}}"#
    );
    let err = read_profiles(&page, "w1", &mut m).unwrap_err();
    assert_eq!(err.path(), "profiles[1].dealsAccess.teamLeadIds[0]");
    let after = m
        .profiles_in(Some("w1"))
        .unwrap()
        .into_iter()
        .cloned()
        .collect::<Vec<_>>();
    assert_eq!(after, before);
    assert!(m.profile("new").is_none());
    assert_eq!(m.profile_of("r1", Some("w1")), Some(REPS));

    // A bad level in the second profile, and a duplicate id, are refused before any edit.
    let page = page.replace("managers-team", "everyone");
    let err = read_profiles(&page, "w1", &mut m).unwrap_err();
    assert_eq!(err.path(), "profiles[1].dealsAccess.permissionLevel");
    let dup = format!(
        r#"{{"profiles":[{{"id":"{ADMINS}","name":"A"}},{{"id":"{ADMINS}","name":"B"}}]}}"#
    );
    let err = read_profiles(&dup, "w1", &mut m).unwrap_err();
    assert_eq!(err.path(), "profiles[1].id");
    assert_eq!(m.profile(ADMINS).unwrap().name, "Admins");
}
