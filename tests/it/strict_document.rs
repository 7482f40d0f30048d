//! The model document is strict (docs/semantics.md §5): unknown fields, type errors and repeated
//! fields are refused with their path and the id of the record they sit in; messages stay
//! bounded; every error kind has a stable code and class. A mutation property test feeds
//! damaged exports to the reader.

use orgperm::{
    CallErrorKind, Domain, ErrorClass, ErrorKind, InputErrorKind, ItemErrorKind, Model,
    NetworkErrorKind, OrgErrorKind, ProfileErrorKind, ProfileSpec, RbacErrorKind, TeamErrorKind,
};
use proptest::prelude::*;
use serde_json::{Value, json};

/// The complete example document: every section and every kind of object.
const COMPLETE: &str = include_str!("../../examples/data/complete.json");

fn err(json: &str) -> orgperm::ModelError {
    Model::from_json(json).unwrap_err()
}

#[test]
fn the_complete_example_document_loads_and_re_exports_byte_identically() {
    let m = Model::from_json(COMPLETE).unwrap();
    assert_eq!(m.to_json(), COMPLETE);
    assert_eq!(m.user_count(), 6);
}

// ---- misspelt fields, as a user would write them -------------------------------------------

#[test]
fn a_misspelt_team_lead_ids_is_refused_instead_of_widening_the_profile() {
    let e = err(r#"{"version": 1, "users": [{"id": "l"}],
        "profiles": [{"id": "1000002", "name": "M",
          "callsAccess": {"permissionLevel": "managers-team", "teamLeadIDs": ["l"]}}]}"#);
    assert_eq!(e.path(), "profiles[0].callsAccess.teamLeadIDs");
    assert_eq!(e.record_id(), Some("1000002"));
    assert_eq!(
        e.to_string(),
        "profiles[0] (id \"1000002\").callsAccess.teamLeadIDs: unknown field, expected permissionLevel or teamLeadIds"
    );
}

#[test]
fn a_misspelt_manager_id_is_refused() {
    let e = err(r#"{"version": 1, "users": [{"id": "a"}, {"id": "b", "managerID": "a"}]}"#);
    assert_eq!(
        e.to_string(),
        "users[1] (id \"b\").managerID: unknown field, expected id or managerId"
    );
    assert_eq!(e.kind().code(), "unknown_field");
}

#[test]
fn a_misspelt_private_flag_on_a_call_is_refused() {
    let e = err(r#"{"version": 1, "users": [{"id": "a"}],
        "calls": [{"id": "c", "ownerId": "a", "Private": true}]}"#);
    assert_eq!(e.path(), "calls[0].Private");
    assert!(
        matches!(e.kind(), ErrorKind::Input(InputErrorKind::UnknownField { expected }) if expected.contains(&"isPrivate"))
    );
}

#[test]
fn a_misspelt_top_level_section_is_refused() {
    let e = err(r#"{"version": 1, "usres": [{"id": "a"}]}"#);
    assert_eq!(e.path(), "usres");
    assert_eq!(e.record_id(), None);
    assert!(
        matches!(e.kind(), ErrorKind::Input(InputErrorKind::UnknownField { expected }) if expected.contains(&"users"))
    );
}

#[test]
fn a_team_with_member_ids_instead_of_members_is_refused() {
    let e = err(
        r#"{"version": 1, "users": [{"id": "a"}], "teams": [{"id": "t", "memberIds": ["a"]}]}"#,
    );
    assert_eq!(
        e.to_string(),
        "teams[0] (id \"t\").memberIds: unknown field, expected id, parentId or members"
    );
}

#[test]
fn unknown_boolean_keys_on_a_profile_stay_capabilities() {
    let m = Model::from_json(
        r#"{"version": 1, "users": [{"id": "a"}],
        "profiles": [{"id": "p", "name": "P", "tenantOnlyFlag": true}],
        "assignments": [{"userId": "a", "profileId": "p"}]}"#,
    )
    .unwrap();
    assert!(m.compile().has_capability("a", "tenantOnlyFlag"));
    // A non-boolean in that position is neither a capability nor a field: refused.
    let e = err(
        r#"{"version": 1, "profiles": [{"id": "p", "name": "P", "callAccess": {"permissionLevel": "all"}}]}"#,
    );
    assert_eq!(
        e.to_string(),
        "profiles[0] (id \"p\").callAccess: expected a boolean capability, found an object"
    );
}

#[test]
fn an_empty_capability_name_is_refused() {
    let e = err(r#"{"version": 1, "profiles": [{"id": "p", "name": "P", "": true}]}"#);
    assert_eq!(
        e.kind(),
        &ErrorKind::Profile(ProfileErrorKind::EmptyCapability)
    );
    assert_eq!(e.path(), "profiles[0]");
    assert_eq!(e.record_id(), Some("p"));
    let mut m = Model::new();
    let err = m
        .create_profile(ProfileSpec::new("p", "P").with_capability("", true))
        .unwrap_err();
    assert_eq!(
        err.kind(),
        &ErrorKind::Profile(ProfileErrorKind::EmptyCapability)
    );
    assert!(m.profile("p").is_none());
}

// ---- type and shape errors carry their path ------------------------------------------------

#[test]
fn a_type_error_names_its_path_and_the_value_found() {
    let e = err(r#"{"version":1,"users":[{"id":"b","managerId":5}]}"#);
    assert_eq!(e.path(), "users[0].managerId");
    assert_eq!(
        e.kind(),
        &ErrorKind::Input(InputErrorKind::WrongType {
            expected: "a string".into(),
            found: "5".into()
        })
    );
    assert_eq!(
        e.to_string(),
        "users[0] (id \"b\").managerId: expected a string, found 5"
    );
}

#[test]
fn shape_errors_name_their_path() {
    let cases: &[(&str, &str)] = &[
        (
            r#"{"version": "1"}"#,
            "version: expected a non-negative integer, found \"1\"",
        ),
        (
            r#"{"version": 1, "users": {}}"#,
            "users: expected an array, found an object",
        ),
        (
            r#"{"version": 1, "users": [7]}"#,
            "users[0]: expected an object, found 7",
        ),
        (
            r#"{"version": 1, "users": [{}]}"#,
            "users[0].id: a value is required",
        ),
        (
            r#"{"version": 1, "users": [{"id": null}]}"#,
            "users[0].id: expected a string, found null",
        ),
        (
            r#"{"version": 1, "calls": [{"id": "c", "ownerId": "a", "isPrivate": "yes"}]}"#,
            "calls[0] (id \"c\").isPrivate: expected a boolean, found \"yes\"",
        ),
        (
            r#"{"version": 1, "profiles": [{"id": "p", "name": "P", "callsAccess": {"permissionLevel": "all", "teamLeadIds": "l"}}]}"#,
            "profiles[0] (id \"p\").callsAccess.teamLeadIds: expected an array, found \"l\"",
        ),
        (
            r#"{"version": 1, "roles": [{"id": "r", "name": "R", "permissionPolicies": [{"domain": "a", "entityName": "b", "actionSet": ["c"], "resourceConditionNode": {"terms": [{"operands": [{"type": "SCALAR"}]}]}}]}]}"#,
            "roles[0] (id \"r\").permissionPolicies[0].resourceConditionNode.terms[0].operands[0].value: a value is required",
        ),
        (
            r#"{"version": 1, "items": [{"id": "g", "type": "goal", "access": {"permissions": [{"principalKind": "user", "grant": "read"}]}}]}"#,
            "items[0] (id \"g\").access.permissions[0].grant: expected an array, found \"read\"",
        ),
    ];
    for (json, message) in cases {
        assert_eq!(err(json).to_string(), *message, "{json}");
    }
}

#[test]
fn a_repeated_field_is_refused_with_its_path() {
    let e = err(r#"{"version": 1, "users": [{"id": "a", "managerId": "x", "managerId": "y"}]}"#);
    assert_eq!(e.path(), "users[0].managerId");
    assert_eq!(e.kind(), &ErrorKind::Input(InputErrorKind::DuplicateField));
    let e = err(r#"{"version": 1, "profiles": [{"id": "p", "name": "P", "name": "Q"}]}"#);
    assert_eq!(e.path(), "profiles[0].name");
    let e = err(r#"{"version": 1, "profiles": [{"id": "p", "name": "P", "x": true, "x": false}]}"#);
    assert_eq!(e.path(), "profiles[0].x");
    let e = err(r#"{"version": 1, "version": 1}"#);
    assert_eq!(
        (e.path(), e.kind()),
        ("version", &ErrorKind::Input(InputErrorKind::DuplicateField))
    );
}

#[test]
fn the_innermost_record_with_an_id_is_named() {
    // The entry has no id; the item it belongs to does.
    let e = err(
        r#"{"version": 1, "items": [{"id": "g", "type": "goal", "access": {"permissions": [{"principalKind": "user", "grnt": []}]}}]}"#,
    );
    assert_eq!(e.record_id(), Some("g"));
    // Validation errors (after parsing) name the record too.
    let e = err(
        r#"{"version": 1, "users": [{"id": "a"}], "calls": [{"id": "c7", "ownerId": "ghost"}]}"#,
    );
    assert_eq!(
        e.to_string(),
        "calls[0] (id \"c7\").ownerId: unknown user \"ghost\""
    );
}

/// Every object of the complete document, with its path in the document's notation.
fn objects(v: &Value, path: String, out: &mut Vec<(String, Vec<String>)>) {
    match v {
        Value::Object(map) => {
            let keys = map.keys().cloned().collect();
            out.push((path.clone(), keys));
            for (k, child) in map {
                let p = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                objects(child, p, out);
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                objects(child, format!("{path}[{i}]"), out);
            }
        }
        _ => {}
    }
}

/// The JSON pointer of a path in the document's notation (`a[0].b` -> `/a/0/b`).
fn pointer(path: &str) -> String {
    let mut out = String::new();
    for part in path.split('.').filter(|p| !p.is_empty()) {
        let mut pieces = part.split('[');
        if let Some(name) = pieces.next() {
            out.push('/');
            out.push_str(name);
        }
        for idx in pieces {
            out.push('/');
            out.push_str(idx.trim_end_matches(']'));
        }
    }
    out
}

fn is_profile(path: &str) -> bool {
    path.starts_with("profiles[") && !path.contains('.')
}

#[test]
fn every_object_of_the_document_refuses_an_unknown_field() {
    let doc: Value = serde_json::from_str(COMPLETE).unwrap();
    let mut all = Vec::new();
    objects(&doc, String::new(), &mut all);
    assert!(all.len() > 60, "{}", all.len());
    for (path, _) in &all {
        let mut d = doc.clone();
        let target = d.pointer_mut(&pointer(path)).unwrap();
        target
            .as_object_mut()
            .unwrap()
            .insert("zzUnknown".into(), json!(1));
        let e = err(&d.to_string());
        let want = if path.is_empty() {
            "zzUnknown".to_owned()
        } else {
            format!("{path}.zzUnknown")
        };
        assert_eq!(e.path(), want, "{path}");
        if is_profile(path) {
            assert!(
                matches!(e.kind(), ErrorKind::Input(InputErrorKind::WrongType { .. })),
                "{path}: {e}"
            );
        } else {
            assert!(
                matches!(
                    e.kind(),
                    ErrorKind::Input(InputErrorKind::UnknownField { .. })
                ),
                "{path}: {e}"
            );
        }
    }
}

#[test]
fn every_field_of_the_document_renamed_is_refused() {
    let doc: Value = serde_json::from_str(COMPLETE).unwrap();
    let mut all = Vec::new();
    objects(&doc, String::new(), &mut all);
    let mut tried = 0;
    for (path, keys) in &all {
        for key in keys {
            let mut d = doc.clone();
            let obj = d
                .pointer_mut(&pointer(path))
                .unwrap()
                .as_object_mut()
                .unwrap();
            let value = obj.remove(key).unwrap();
            if is_profile(path) && value.is_boolean() {
                continue; // a capability: any boolean name is one (docs/semantics.md §1)
            }
            let renamed = format!("{key}X");
            obj.insert(renamed.clone(), value);
            let e = err(&d.to_string());
            let want = if path.is_empty() {
                renamed
            } else {
                format!("{path}.{renamed}")
            };
            assert_eq!(e.path(), want, "{path}.{key}: {e}");
            tried += 1;
        }
    }
    assert!(tried > 200, "{tried}");
}

// ---- bounded messages ----------------------------------------------------------------------

#[test]
fn echoed_ids_are_cut_to_64_characters() {
    let long = "9".repeat(100_000);
    let e = err(&format!(
        r#"{{"version": 1, "users": [{{"id": "a", "managerId": "{long}"}}]}}"#
    ));
    assert_eq!(
        e.kind(),
        &ErrorKind::Org(OrgErrorKind::UnknownUser { id: long.clone() })
    );
    let shown = e.to_string();
    assert_eq!(
        shown,
        format!(
            "users[0] (id \"a\").managerId: unknown user \"{}…\"",
            "9".repeat(64)
        )
    );
    // A long record id and a long unknown field name are cut as well.
    let e = err(&format!(
        r#"{{"version": 1, "users": [{{"id": "{long}", "{long}": 1}}]}}"#
    ));
    assert!(e.to_string().len() < 400, "{}", e.to_string().len());
    assert_eq!(e.record_id().map(|s| s.chars().count()), Some(65));
}

#[test]
fn a_cycle_message_lists_the_first_16_users_and_a_count() {
    const N: usize = 100_000;
    let mut users = Vec::with_capacity(N);
    for i in 0..N {
        users.push(json!({"id": format!("u{i}"), "managerId": format!("u{}", (i + 1) % N)}));
    }
    let doc = json!({"version": 1, "users": users}).to_string();
    let e = err(&doc);
    match e.kind() {
        ErrorKind::Org(OrgErrorKind::ManagerCycle { users }) => {
            // Every user once, each followed by their manager (u{i} by u{i + 1}).
            assert_eq!(users.len(), N);
            for (k, u) in users.iter().enumerate() {
                let i: usize = u[1..].parse().unwrap();
                assert_eq!(users[(k + 1) % N], format!("u{}", (i + 1) % N), "after {u}");
            }
        }
        other => panic!("{other:?}"),
    }
    let shown = e.to_string();
    assert!(shown.len() < 600, "{}", shown.len());
    assert!(shown.ends_with(&format!("… ({N} users in all)")), "{shown}");
    assert_eq!(shown.matches(" -> ").count(), 16);
}

// ---- error kinds a host can map ------------------------------------------------------------

/// One value of every kind, with its code and class. Adding a kind without a row here fails
/// `every_kind_has_a_unique_snake_case_code`'s count.
fn every_kind() -> Vec<(ErrorKind, &'static str, ErrorClass)> {
    use ErrorClass::{Conflict as C, Invalid as I, NotFound as N};
    use orgperm::ItemType;
    let s = || "x".to_owned();
    vec![
        (ErrorKind::Input(InputErrorKind::EmptyId), "empty_id", I),
        (
            ErrorKind::Input(InputErrorKind::DuplicateId { id: s() }),
            "duplicate_id",
            C,
        ),
        (
            ErrorKind::Org(OrgErrorKind::UnknownUser { id: s() }),
            "unknown_user",
            N,
        ),
        (
            ErrorKind::Org(OrgErrorKind::UnknownWorkspace { id: s() }),
            "unknown_workspace",
            N,
        ),
        (
            ErrorKind::Profile(ProfileErrorKind::UnknownProfile { id: s() }),
            "unknown_profile",
            N,
        ),
        (
            ErrorKind::Org(OrgErrorKind::UnknownFolder { id: s() }),
            "unknown_folder",
            N,
        ),
        (
            ErrorKind::Org(OrgErrorKind::SelfManager { id: s() }),
            "self_manager",
            I,
        ),
        (
            ErrorKind::Org(OrgErrorKind::ManagerCycle { users: vec![s()] }),
            "manager_cycle",
            I,
        ),
        (
            ErrorKind::Org(OrgErrorKind::HasReports {
                id: s(),
                reports: 1,
            }),
            "has_reports",
            C,
        ),
        (
            ErrorKind::Profile(ProfileErrorKind::UserIsTeamLead {
                id: s(),
                profile: s(),
                field: s(),
            }),
            "user_is_team_lead",
            C,
        ),
        (
            ErrorKind::Profile(ProfileErrorKind::InvalidLevel { value: s() }),
            "invalid_level",
            I,
        ),
        (
            ErrorKind::Profile(ProfileErrorKind::MissingLevel),
            "missing_level",
            I,
        ),
        (
            ErrorKind::Profile(ProfileErrorKind::InvalidLibraryLevel { value: s() }),
            "invalid_library_level",
            I,
        ),
        (
            ErrorKind::Profile(ProfileErrorKind::MissingLibraryLevel),
            "missing_library_level",
            I,
        ),
        (
            ErrorKind::Profile(ProfileErrorKind::LibraryNoneWithGrants),
            "library_none_with_grants",
            I,
        ),
        (
            ErrorKind::Profile(ProfileErrorKind::SpecificFoldersEmpty),
            "specific_folders_empty",
            I,
        ),
        (
            ErrorKind::Profile(ProfileErrorKind::FolderOutsideWorkspace {
                folder: s(),
                workspace: s(),
            }),
            "folder_outside_workspace",
            I,
        ),
        (
            ErrorKind::Profile(ProfileErrorKind::MissingName),
            "missing_name",
            I,
        ),
        (
            ErrorKind::Profile(ProfileErrorKind::ProfileAssigned { id: s(), users: 1 }),
            "profile_assigned",
            C,
        ),
        (
            ErrorKind::Profile(ProfileErrorKind::DuplicateAssignment {
                user: s(),
                workspace: s(),
            }),
            "duplicate_assignment",
            C,
        ),
        (
            ErrorKind::Input(InputErrorKind::UnsupportedVersion { found: 2 }),
            "unsupported_version",
            I,
        ),
        (
            ErrorKind::Input(InputErrorKind::Syntax { message: s() }),
            "malformed_document",
            I,
        ),
        (
            ErrorKind::Input(InputErrorKind::UnknownField { expected: &["a"] }),
            "unknown_field",
            I,
        ),
        (
            ErrorKind::Input(InputErrorKind::WrongType {
                expected: s(),
                found: s(),
            }),
            "wrong_type",
            I,
        ),
        (
            ErrorKind::Input(InputErrorKind::DuplicateField),
            "duplicate_field",
            I,
        ),
        (
            ErrorKind::Profile(ProfileErrorKind::EmptyCapability),
            "empty_capability",
            I,
        ),
        (
            ErrorKind::Input(InputErrorKind::TooManyIds),
            "too_many_ids",
            I,
        ),
        (
            ErrorKind::Team(TeamErrorKind::UnknownTeam { id: s() }),
            "unknown_team",
            N,
        ),
        (
            ErrorKind::Team(TeamErrorKind::TeamCycle { teams: vec![s()] }),
            "team_cycle",
            I,
        ),
        (
            ErrorKind::Team(TeamErrorKind::HasSubTeams { id: s(), teams: 1 }),
            "has_sub_teams",
            C,
        ),
        (
            ErrorKind::Call(CallErrorKind::UnknownCall { id: s() }),
            "unknown_call",
            N,
        ),
        (
            ErrorKind::Network(NetworkErrorKind::UnknownAdvisor { id: s() }),
            "unknown_advisor",
            N,
        ),
        (
            ErrorKind::Network(NetworkErrorKind::UnknownNetwork { id: s() }),
            "unknown_network",
            I,
        ),
        (
            ErrorKind::Network(NetworkErrorKind::UnknownNetworkPermission {
                network: s(),
                permission: s(),
            }),
            "unknown_network_permission",
            N,
        ),
        (
            ErrorKind::Network(NetworkErrorKind::AlreadyAssigned {
                advisor: s(),
                network: s(),
                permission: s(),
            }),
            "already_assigned",
            C,
        ),
        (
            ErrorKind::Network(NetworkErrorKind::PermissionNotHeld {
                advisor: s(),
                network: s(),
                permission: s(),
            }),
            "permission_not_held",
            N,
        ),
        (
            ErrorKind::Network(NetworkErrorKind::NotEntitled {
                advisor: s(),
                network: s(),
            }),
            "not_entitled",
            C,
        ),
        (
            ErrorKind::Network(NetworkErrorKind::UnknownContact { id: s() }),
            "unknown_contact",
            N,
        ),
        (
            ErrorKind::Input(InputErrorKind::Required),
            "required_field",
            I,
        ),
        (
            ErrorKind::Rbac(RbacErrorKind::InvalidPermission {
                value: s(),
                reason: "r",
            }),
            "invalid_permission",
            I,
        ),
        (
            ErrorKind::Rbac(RbacErrorKind::UnknownPermission { id: s() }),
            "unknown_permission",
            N,
        ),
        (
            ErrorKind::Rbac(RbacErrorKind::UnknownDomain { domain: s() }),
            "unknown_domain",
            I,
        ),
        (
            ErrorKind::Rbac(RbacErrorKind::WildcardDomain),
            "wildcard_domain",
            I,
        ),
        (
            ErrorKind::Rbac(RbacErrorKind::EmptyActionSet),
            "empty_action_set",
            I,
        ),
        (
            ErrorKind::Rbac(RbacErrorKind::ProductNotEnabled {
                permission: s(),
                product: s(),
            }),
            "product_not_enabled",
            I,
        ),
        (
            ErrorKind::Rbac(RbacErrorKind::ConditionNotAllowed { permission: s() }),
            "condition_not_allowed",
            I,
        ),
        (
            ErrorKind::Rbac(RbacErrorKind::InvalidCondition { reason: "r" }),
            "invalid_condition",
            I,
        ),
        (
            ErrorKind::Rbac(RbacErrorKind::InvalidOperator { value: s() }),
            "invalid_operator",
            I,
        ),
        (
            ErrorKind::Rbac(RbacErrorKind::InvalidConjunction { value: s() }),
            "invalid_conjunction",
            I,
        ),
        (
            ErrorKind::Rbac(RbacErrorKind::UnknownRole { id: s() }),
            "unknown_role",
            N,
        ),
        (
            ErrorKind::Rbac(RbacErrorKind::DuplicateName { name: s() }),
            "duplicate_name",
            C,
        ),
        (
            ErrorKind::Rbac(RbacErrorKind::UnknownDefaultRole { id: s() }),
            "unknown_default_role",
            N,
        ),
        (
            ErrorKind::Rbac(RbacErrorKind::NotADefaultRole { id: s() }),
            "not_a_default_role",
            I,
        ),
        (
            ErrorKind::Rbac(RbacErrorKind::DefaultRoleRenamed { id: s() }),
            "default_role_renamed",
            C,
        ),
        (
            ErrorKind::Rbac(RbacErrorKind::DefaultRoleIdChanged { id: s() }),
            "default_role_id_changed",
            C,
        ),
        (
            ErrorKind::Rbac(RbacErrorKind::BaseRoleNotRemovable { id: s() }),
            "base_role_not_removable",
            C,
        ),
        (
            ErrorKind::Rbac(RbacErrorKind::RoleAssigned { id: s(), grants: 1 }),
            "role_assigned",
            C,
        ),
        (
            ErrorKind::Rbac(RbacErrorKind::RoleReferenced {
                id: s(),
                permission: s(),
            }),
            "role_referenced",
            C,
        ),
        (
            ErrorKind::Rbac(RbacErrorKind::UnknownDivision { id: s() }),
            "unknown_division",
            N,
        ),
        (
            ErrorKind::Rbac(RbacErrorKind::NoHomeDivision),
            "no_home_division",
            I,
        ),
        (
            ErrorKind::Rbac(RbacErrorKind::DivisionInUse {
                id: s(),
                reason: "r",
            }),
            "division_in_use",
            C,
        ),
        (
            ErrorKind::Rbac(RbacErrorKind::UnknownGroup { id: s() }),
            "unknown_group",
            N,
        ),
        (
            ErrorKind::Rbac(RbacErrorKind::UnknownAction { id: s() }),
            "unknown_action",
            N,
        ),
        (
            ErrorKind::Rbac(RbacErrorKind::ActionCycle { actions: vec![s()] }),
            "action_cycle",
            I,
        ),
        (
            ErrorKind::Rbac(RbacErrorKind::UnknownGlobalPermission { id: s() }),
            "unknown_global_permission",
            N,
        ),
        (
            ErrorKind::Rbac(RbacErrorKind::UnknownPrincipal { id: s() }),
            "unknown_principal",
            N,
        ),
        (
            ErrorKind::Rbac(RbacErrorKind::AmbiguousPrincipal { id: s() }),
            "ambiguous_principal",
            C,
        ),
        (
            ErrorKind::Rbac(RbacErrorKind::ViewOnlyConflict {
                user: s(),
                view_only: s(),
                other: s(),
            }),
            "view_only_conflict",
            C,
        ),
        (
            ErrorKind::Input(InputErrorKind::InvalidPaging { reason: "r" }),
            "invalid_paging",
            I,
        ),
        (
            ErrorKind::Input(InputErrorKind::Conflict { reason: "r" }),
            "conflict",
            C,
        ),
        (
            ErrorKind::Item(ItemErrorKind::UnknownItem { id: s() }),
            "unknown_item",
            N,
        ),
        (
            ErrorKind::Item(ItemErrorKind::UnknownItemType { value: s() }),
            "unknown_item_type",
            I,
        ),
        (
            ErrorKind::Item(ItemErrorKind::UnknownTargetType { value: s() }),
            "unknown_target_type",
            I,
        ),
        (
            ErrorKind::Item(ItemErrorKind::ParentRequired {
                item_type: ItemType::Goal,
            }),
            "parent_required",
            I,
        ),
        (
            ErrorKind::Item(ItemErrorKind::ParentNotAllowed {
                item_type: ItemType::Session,
            }),
            "parent_not_allowed",
            I,
        ),
        (
            ErrorKind::Item(ItemErrorKind::WrongParentType {
                item_type: ItemType::Goal,
                parent: s(),
                found: ItemType::Goal,
                expected: ItemType::Session,
            }),
            "wrong_parent_type",
            I,
        ),
        (
            ErrorKind::Item(ItemErrorKind::HasChildItems {
                id: s(),
                children: 1,
            }),
            "has_child_items",
            C,
        ),
        (
            ErrorKind::Item(ItemErrorKind::ItemDefaultNotAllowed {
                item_type: ItemType::Goal,
            }),
            "item_default_not_allowed",
            I,
        ),
        (
            ErrorKind::Item(ItemErrorKind::UnknownVerb { value: s() }),
            "unknown_verb",
            I,
        ),
        (
            ErrorKind::Item(ItemErrorKind::UnknownPrincipalKind { value: s() }),
            "unknown_principal_kind",
            I,
        ),
    ]
}

#[test]
fn every_kind_has_a_unique_snake_case_code_and_its_class() {
    let kinds = every_kind();
    let mut codes: Vec<&str> = Vec::new();
    for (kind, code, class) in &kinds {
        assert_eq!(kind.code(), *code, "{kind:?}");
        assert_eq!(kind.class(), *class, "{kind:?}");
        assert!(
            code.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'),
            "{code}"
        );
        codes.push(code);
    }
    codes.sort_unstable();
    let n = codes.len();
    codes.dedup();
    assert_eq!(codes.len(), n, "duplicate codes");
}

#[test]
fn is_not_found_is_exactly_the_not_found_class() {
    for (kind, _, class) in every_kind() {
        assert_eq!(
            kind.is_not_found(),
            class == ErrorClass::NotFound,
            "{kind:?}"
        );
    }
    // The kinds the vendors answer with 404 …
    for kind in [
        ErrorKind::Rbac(RbacErrorKind::UnknownRole { id: "r".into() }),
        ErrorKind::Rbac(RbacErrorKind::UnknownPermission { id: "p".into() }),
        ErrorKind::Rbac(RbacErrorKind::UnknownDivision { id: "d".into() }),
        ErrorKind::Rbac(RbacErrorKind::UnknownGroup { id: "g".into() }),
        ErrorKind::Rbac(RbacErrorKind::UnknownAction { id: "a".into() }),
        ErrorKind::Rbac(RbacErrorKind::UnknownGlobalPermission { id: "p".into() }),
        ErrorKind::Rbac(RbacErrorKind::UnknownDefaultRole { id: "r".into() }),
    ] {
        assert!(kind.is_not_found(), "{kind:?}");
    }
    // … and an unknown network, which Symphony answers with 400.
    assert!(
        !ErrorKind::Network(NetworkErrorKind::UnknownNetwork { id: "ICQ".into() }).is_not_found()
    );
}

// ---- mutation: damaged exports never panic, and what loads round-trips ----------------------

/// What every query family answers on a model, over the ids its own export names.
fn answers(m: &Model) -> Vec<u8> {
    let doc: Value = serde_json::from_str(&m.to_json()).unwrap();
    let ids = |section: &str, field: &str| -> Vec<String> {
        doc[section]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|o| o[field].as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    };
    let users = ids("users", "id");
    let mut caps: Vec<String> = vec!["scoreCalls".into()];
    for p in doc["profiles"].as_array().into_iter().flatten() {
        for (k, v) in p.as_object().into_iter().flatten() {
            if v.is_boolean() {
                caps.push(k.clone());
            }
        }
    }
    let snap = m.compile();
    let mut out = Vec::new();
    for u in &users {
        for o in &users {
            for d in Domain::ALL {
                out.push(snap.can_access(u.as_str(), d, o.as_str()) as u8);
            }
        }
        for c in &caps {
            out.push(snap.has_capability(u.as_str(), c.as_str()) as u8);
        }
        for f in ids("folders", "id") {
            out.push(snap.profiles().can_access_folder(u.as_str(), f.as_str()) as u8);
        }
        for p in ids("permissionCatalog", "permission") {
            out.push(snap.rbac().has_permission(u.as_str(), p.as_str()) as u8);
        }
        for a in ids("actions", "name") {
            out.push(snap.rbac().has_action(u.as_str(), a.as_str()) as u8);
        }
        for c in ids("calls", "id") {
            out.push(snap.calls().can_open(u.as_str(), c.as_str()) as u8);
        }
        for t in ids("teams", "id") {
            out.push(snap.teams().is_member(u.as_str(), t.as_str(), true) as u8);
        }
        for i in doc["items"].as_array().into_iter().flatten() {
            let (Some(id), Some(ty)) = (i["id"].as_str(), i["type"].as_str()) else {
                continue;
            };
            let verbs = snap
                .items()
                .allowed_actions(u.as_str(), ty, id)
                .map(|v| format!("{v:?}"));
            out.extend(format!("{verbs:?}").bytes());
        }
        for n in doc["networks"].as_array().into_iter().flatten() {
            let Some(net) = n["id"].as_str() else {
                continue;
            };
            for p in n["permissions"].as_array().into_iter().flatten() {
                if let Some(name) = p["name"].as_str() {
                    out.push(snap.networks().has_permission(u.as_str(), net, name) as u8);
                }
            }
        }
    }
    out
}

/// Writes `v` as JSON, writing the entry `dup` of the object at `at` twice.
fn write_with_duplicate(v: &Value, here: &str, at: &str, dup: &str, out: &mut String) {
    match v {
        Value::Object(map) => {
            out.push('{');
            let mut first = true;
            for (k, child) in map {
                let times = if here == at && k == dup { 2 } else { 1 };
                for _ in 0..times {
                    if !first {
                        out.push(',');
                    }
                    first = false;
                    out.push_str(&serde_json::to_string(k).unwrap());
                    out.push(':');
                    let p = if here.is_empty() {
                        k.clone()
                    } else {
                        format!("{here}.{k}")
                    };
                    write_with_duplicate(child, &p, at, dup, out);
                }
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (i, child) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_with_duplicate(child, &format!("{here}[{i}]"), at, dup, out);
            }
            out.push(']');
        }
        other => out.push_str(&other.to_string()),
    }
}

#[derive(Debug, Clone)]
enum Mutation {
    Rename,
    Drop,
    Duplicate,
    Retype(u8),
    Truncate,
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        Just(Mutation::Rename),
        Just(Mutation::Drop),
        Just(Mutation::Duplicate),
        (0u8..7).prop_map(Mutation::Retype),
        Just(Mutation::Truncate),
    ]
}

fn retyped(kind: u8, old: &Value) -> Value {
    match kind {
        0 => Value::Null,
        1 => json!(true),
        2 => json!(7),
        3 => json!(-1.5),
        4 => json!("zz"),
        5 => json!([old.clone()]),
        _ => json!({"v": old.clone()}),
    }
}

/// The complete document parsed once, with its objects.
type Objects = Vec<(String, Vec<String>)>;

fn complete_objects() -> &'static (Value, Objects) {
    static PARSED: std::sync::OnceLock<(Value, Objects)> = std::sync::OnceLock::new();
    PARSED.get_or_init(|| {
        let doc: Value = serde_json::from_str(COMPLETE).unwrap();
        let mut all = Vec::new();
        objects(&doc, String::new(), &mut all);
        (doc, all)
    })
}

proptest! {
    #![proptest_config(ProptestConfig { failure_persistence: None, ..crate::common::config(10_000) })]

    #[test]
    fn damaged_exports_never_panic_and_what_loads_round_trips(
        which in any::<prop::sample::Index>(),
        key in any::<prop::sample::Index>(),
        m in mutation(),
        cut in any::<prop::sample::Index>(),
    ) {
        let (doc, all) = complete_objects();
        let (path, keys) = which.get(all).clone();
        prop_assume!(!keys.is_empty());
        let key = key.get(&keys).clone();
        let mut d = doc.clone();
        let obj = d.pointer_mut(&pointer(&path)).unwrap().as_object_mut().unwrap();
        let mut renamed_unknown = false;
        let text = match m {
            Mutation::Rename => {
                let value = obj.remove(&key).unwrap();
                renamed_unknown = !(is_profile(&path) && value.is_boolean());
                obj.insert(format!("{key}_"), value);
                d.to_string()
            }
            Mutation::Drop => {
                obj.remove(&key);
                d.to_string()
            }
            Mutation::Duplicate => {
                let mut s = String::new();
                write_with_duplicate(doc, "", &path, &key, &mut s);
                s
            }
            Mutation::Retype(kind) => {
                let old = obj[&key].clone();
                obj.insert(key.clone(), retyped(kind, &old));
                d.to_string()
            }
            Mutation::Truncate => {
                let at = cut.index(COMPLETE.len());
                COMPLETE.get(..at).unwrap_or("").to_owned()
            }
        };
        match Model::from_json(&text) {
            Ok(model) => {
                prop_assert!(!renamed_unknown, "a renamed field was accepted: {path}.{key}");
                prop_assert!(!matches!(m, Mutation::Duplicate), "a repeated field was accepted");
                let exported = model.to_json();
                let again = Model::from_json(&exported).unwrap();
                prop_assert_eq!(again.to_json(), exported);
                prop_assert_eq!(answers(&again), answers(&model));
            }
            Err(e) => {
                // Every refusal of a well-formed document says where.
                if !matches!(e.kind(), ErrorKind::Input(InputErrorKind::Syntax { .. })) {
                    prop_assert!(!e.path().is_empty() || matches!(e.kind(), ErrorKind::Org(OrgErrorKind::ManagerCycle { .. }) | ErrorKind::Team(TeamErrorKind::TeamCycle { .. }) | ErrorKind::Rbac(RbacErrorKind::ActionCycle { .. })), "{e}");
                }
                prop_assert!(e.to_string().len() < 2_000);
            }
        }
    }
}

#[test]
fn a_document_nested_a_million_deep_is_refused_without_overflowing_the_stack() {
    let depth = 1_000_000;
    let doc = format!(
        r#"{{"version": 1, "users": {}{}}}"#,
        "[".repeat(depth),
        "]".repeat(depth)
    );
    // On a 2 MB stack, as a request handler's thread might have.
    let handle = std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(move || Model::from_json(&doc).map(|m| m.user_count()))
        .unwrap();
    let e = handle.join().unwrap().unwrap_err();
    assert!(
        matches!(e.kind(), ErrorKind::Input(InputErrorKind::Syntax { message }) if message.contains("recursion limit")),
        "{e}"
    );
}
