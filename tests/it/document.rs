//! The versioned JSON model document: seed field names, round trips, determinism.

use orgperm::{Capability, Domain, Level, LibraryFlag, LibraryLevel, Model, ModelDocument};
use orgperm_synth::{SynthConfig, generate};

/// A profile written as the vendor's `PermissionProfileDTO` returns it.
const SEED_PROFILE: &str = r#"{
  "version": 1,
  "workspaces": [{"id": "5562739194953732039"}],
  "users": [{"id": "295738305212375930"}, {"id": "111", "managerId": "295738305212375930"}],
  "folders": [{"id": "3843152912968920037"}],
  "profiles": [{
    "id": "3843152912968920037",
    "name": "Profile",
    "description": "Description",
    "callsAccess": {"permissionLevel": "managers-team", "teamLeadIds": ["295738305212375930"]},
    "libraryFolderAccess": {
      "permissionLevel": "specific-folders",
      "libraryFolderIds": ["3843152912968920037"],
      "managePublicFolder": true, "manageStreams": true,
      "manageFolderCalls": true, "shareFoldersAndStreams": true
    },
    "dealsAccess": {"permissionLevel": "report-to-them", "teamLeadIds": []},
    "forecastPermissions": {
      "forecastAccess": {"permissionLevel": "all"},
      "forecastEditSubmissions": {"permissionLevel": "own"},
      "forecastEditTargets": {"permissionLevel": "none"}
    },
    "coachingAccess": {"permissionLevel": "own"},
    "insightsAccess": {"permissionLevel": "all"},
    "usageAccess": {"permissionLevel": "none"},
    "emailsAccess": {"permissionLevel": "own"},
    "scoreCalls": true, "overrideScore": false, "downloadCallMedia": true,
    "dealsDataExport": true, "someFutureFlag": true
  }],
  "assignments": [{"userId": "111", "profileId": "3843152912968920037"}]
}"#;

#[test]
fn the_seed_dto_imports_with_its_field_names() {
    let m = Model::from_json(SEED_PROFILE).unwrap();
    let p = m.profile("3843152912968920037").unwrap();
    assert_eq!(p.description, "Description");
    assert_eq!(p.access(Domain::Calls).level, Level::ManagersTeam);
    assert_eq!(p.access(Domain::Forecast).level, Level::All);
    assert_eq!(p.access(Domain::ForecastEditSubmissions).level, Level::Own);
    assert_eq!(p.library.level, LibraryLevel::SpecificFolders);
    assert!(LibraryFlag::ALL.into_iter().all(|f| p.library.flag(f)));
    let caps: Vec<(&str, bool)> = p
        .capabilities
        .iter()
        .map(|(k, v)| (k.as_str(), *v))
        .collect();
    assert_eq!(
        caps,
        [
            ("dealsDataExport", true),
            ("downloadCallMedia", true),
            ("overrideScore", false),
            ("scoreCalls", true),
            ("someFutureFlag", true)
        ]
    );
    let snap = m.compile();
    assert!(snap.can_access("111", Domain::Calls, "295738305212375930"));
    assert!(snap.has_capability("111", Capability::DEALS_DATA_EXPORT));
    assert!(snap.has_capability("111", "someFutureFlag"));
    assert!(!snap.has_capability("111", Capability::OVERRIDE_SCORE));
    assert!(
        snap.profiles()
            .can_access_folder("111", "3843152912968920037")
    );
    assert_eq!(
        snap.workspace_id("5562739194953732039"),
        Some(orgperm::WorkspaceId::DEFAULT)
    );
}

#[test]
fn export_round_trips_exactly() {
    let m = Model::from_json(SEED_PROFILE).unwrap();
    let json = m.to_json();
    let again = Model::from_json(&json).unwrap();
    assert_eq!(again.to_json(), json);
    assert_eq!(
        again.profile("3843152912968920037"),
        m.profile("3843152912968920037")
    );
}

#[test]
fn export_is_sorted_and_independent_of_insertion_order() {
    let mut a = Model::new();
    a.add_user("b", None).unwrap();
    a.add_user("a", Some("b")).unwrap();
    let mut b = Model::new();
    b.add_user("b", None).unwrap();
    b.add_user("a", Some("b")).unwrap();
    b.add_user("zz", None).unwrap();
    b.remove_user("zz").unwrap();
    assert_eq!(a.to_json(), b.to_json());
    let json = a.to_json();
    assert!(json.find("\"a\"").unwrap() < json.find("\"id\": \"b\"").unwrap());
}

#[test]
fn a_synthetic_org_round_trips_with_identical_decisions() {
    let org = generate(&SynthConfig::new(2_000).seed(5));
    let json = org.model.to_json();
    let again = Model::from_json(&json).unwrap();
    assert_eq!(again.to_json(), json);
    let (a, b) = (org.model.compile(), again.compile());
    for v in org
        .managers
        .iter()
        .chain(&org.reps)
        .chain(&org.enablement)
        .take(200)
    {
        for d in [Domain::Calls, Domain::Coaching, Domain::Deals] {
            let va: Vec<&str> = a
                .profiles()
                .visible_owners(v.as_str(), d)
                .external_ids()
                .collect();
            let vb: Vec<&str> = b
                .profiles()
                .visible_owners(v.as_str(), d)
                .external_ids()
                .collect();
            assert_eq!(va, vb);
        }
    }
}

#[test]
fn the_document_type_is_serde_ready() {
    let doc = ModelDocument::from_json(SEED_PROFILE).unwrap();
    let value = serde_json::to_value(&doc).unwrap();
    let back: ModelDocument = serde_json::from_value(value).unwrap();
    assert_eq!(back, doc);
    assert_eq!(
        back.to_model().unwrap().to_json(),
        Model::from_json(SEED_PROFILE).unwrap().to_json()
    );
}
