//! Gong calls and library folders (docs/semantics.md §1 "Calls").

use orgperm::CallReason;
use orgperm::{
    CallErrorKind, CallId, CallSpec, Capability, Domain, Level, LibraryAccess, LibraryLevel, Model,
    OrgErrorKind, ProfileSpec, UserId, WorkspaceId,
};
use proptest::prelude::*;

use crate::naive::{self, Lcg, RefCall, RefOrg, RefProfile};

/// ceo → vp → {rep1, rep2}; outsider is a separate root.
fn org() -> Model {
    let mut m = Model::new();
    m.add_user("ceo", None).unwrap();
    m.add_user("vp", Some("ceo")).unwrap();
    m.add_user("rep1", Some("vp")).unwrap();
    m.add_user("rep2", Some("vp")).unwrap();
    m.add_user("outsider", None).unwrap();
    m.add_folder("wins", None).unwrap();
    m.add_folder("losses", None).unwrap();
    m
}

fn profile(m: &mut Model, id: &str, level: Level, user: &str) {
    m.create_profile(ProfileSpec::new(id, id).with_level(Domain::Calls, level))
        .unwrap();
    m.assign_profile(user, id).unwrap();
}

#[test]
fn private_call_under_all_opens_only_for_owner_participants_and_sharees() {
    let mut m = org();
    m.create_profile(
        ProfileSpec::new("admin", "Admins")
            .with_all_levels(Level::All)
            .with_library(LibraryAccess::all()),
    )
    .unwrap();
    m.create_profile(ProfileSpec::new("none", "None")).unwrap();
    for u in ["ceo", "outsider", "vp"] {
        m.assign_profile(u, "admin").unwrap();
    }
    for u in ["rep1", "rep2"] {
        m.assign_profile(u, "none").unwrap();
    }
    m.calls_mut()
        .add_call(
            CallSpec::new("secret", "rep1")
                .private(true)
                .with_participants(["rep2"])
                .shared_with(["vp"])
                .granted_to(["ceo"])
                .in_folders(["wins"]),
        )
        .unwrap();
    let s = m.compile();
    assert!(s.calls().can_open("rep1", "secret"), "owner");
    assert!(
        s.calls().can_open("rep2", "secret"),
        "participant at level none"
    );
    assert!(s.calls().can_open("vp", "secret"), "explicit sharee");
    assert!(
        !s.calls().can_open("ceo", "secret"),
        "level all, folder access and an individual grant do not open a private call"
    );
    assert!(!s.calls().can_open("outsider", "secret"));
    assert_eq!(
        s.calls().explain("ceo", "secret").reason,
        CallReason::PrivateCall {
            call: "secret".into()
        }
    );
    // The same call made public opens for the admins.
    m.calls_mut().set_call_private("secret", false).unwrap();
    assert!(m.compile().calls().can_open("ceo", "secret"));
}

#[test]
fn participant_opens_call_whatever_the_level() {
    let mut m = org();
    profile(&mut m, "none", Level::None, "outsider");
    m.calls_mut()
        .add_call(CallSpec::new("c", "rep1").with_participants(["outsider"]))
        .unwrap();
    m.calls_mut().add_call(CallSpec::new("d", "rep1")).unwrap();
    let s = m.compile();
    assert!(s.calls().can_open("outsider", "c"));
    assert!(!s.calls().can_open("outsider", "d"));
    assert_eq!(
        s.calls().explain("outsider", "c").reason,
        CallReason::CallParticipant { call: "c".into() }
    );
}

#[test]
fn sharee_opens_call() {
    let mut m = org();
    profile(&mut m, "own", Level::Own, "outsider");
    m.calls_mut().add_call(CallSpec::new("c", "rep1")).unwrap();
    assert!(!m.compile().calls().can_open("outsider", "c"));
    assert!(m.calls_mut().share_call("c", "outsider").unwrap());
    let s = m.compile();
    assert!(s.calls().can_open("outsider", "c"));
    assert_eq!(
        s.calls().explain("outsider", "c").reason,
        CallReason::CallShared { call: "c".into() }
    );
    m.calls_mut().unshare_call("c", "outsider").unwrap();
    assert!(!m.compile().calls().can_open("outsider", "c"));
}

#[test]
fn folder_access_opens_call() {
    let mut m = org();
    m.create_profile(
        ProfileSpec::new("lib-wins", "Wins").with_library(LibraryAccess::specific(["wins"])),
    )
    .unwrap();
    m.create_profile(ProfileSpec::new("lib-all", "All").with_library(LibraryAccess::all()))
        .unwrap();
    m.create_profile(ProfileSpec::new("lib-none", "None"))
        .unwrap();
    m.assign_profile("outsider", "lib-wins").unwrap();
    m.assign_profile("ceo", "lib-all").unwrap();
    m.assign_profile("rep2", "lib-none").unwrap();
    m.calls_mut()
        .add_call(CallSpec::new("in-wins", "rep1").in_folders(["wins"]))
        .unwrap();
    m.calls_mut()
        .add_call(CallSpec::new("in-losses", "rep1").in_folders(["losses"]))
        .unwrap();
    m.calls_mut()
        .add_call(CallSpec::new("loose", "rep1"))
        .unwrap();
    let s = m.compile();
    assert!(s.calls().can_open("outsider", "in-wins"));
    assert!(!s.calls().can_open("outsider", "in-losses"));
    assert!(s.calls().can_open("ceo", "in-losses"), "library level all");
    assert!(!s.calls().can_open("ceo", "loose"), "in no folder");
    assert!(!s.calls().can_open("rep2", "in-wins"), "library level none");
    assert_eq!(
        s.calls().explain("outsider", "in-wins").reason,
        CallReason::CallInFolder {
            call: "in-wins".into(),
            profile: "lib-wins".into(),
            folder: "wins".into()
        }
    );
    // Taking the call out of the folder takes the access away.
    assert!(
        m.calls_mut()
            .remove_call_from_folder("in-wins", "wins")
            .unwrap()
    );
    assert!(!m.compile().calls().can_open("outsider", "in-wins"));
}

#[test]
fn individual_grant_opens_call_and_is_idempotent() {
    let mut m = org();
    profile(&mut m, "own", Level::Own, "outsider");
    m.calls_mut().add_call(CallSpec::new("c", "rep1")).unwrap();
    assert!(m.calls_mut().grant_call("c", "outsider").unwrap());
    assert!(
        !m.calls_mut().grant_call("c", "outsider").unwrap(),
        "second grant: no-op"
    );
    assert_eq!(m.calls().call_grants("c").unwrap(), ["outsider"]);
    let s = m.compile();
    assert!(s.calls().can_open("outsider", "c"));
    assert_eq!(
        s.calls().explain("outsider", "c").reason,
        CallReason::CallGrant { call: "c".into() }
    );
    assert!(m.calls_mut().revoke_call_grant("c", "outsider").unwrap());
    assert!(!m.calls_mut().revoke_call_grant("c", "outsider").unwrap());
    assert!(m.calls().call_grants("c").unwrap().is_empty());
    assert!(!m.compile().calls().can_open("outsider", "c"));
}

#[test]
fn scope_reaches_a_participant_not_only_the_owner() {
    let mut m = org();
    profile(&mut m, "mgr", Level::ReportToThem, "vp");
    // Owned by the outsider (outside vp's subtree), with rep2 (inside) taking part.
    m.calls_mut()
        .add_call(CallSpec::new("c", "outsider").with_participants(["rep2"]))
        .unwrap();
    m.calls_mut()
        .add_call(CallSpec::new("d", "outsider"))
        .unwrap();
    let s = m.compile();
    assert!(s.calls().can_open("vp", "c"));
    assert!(!s.calls().can_open("vp", "d"));
    assert_eq!(
        s.calls().explain("vp", "c").reason,
        CallReason::CallInScope {
            call: "c".into(),
            profile: "mgr".into(),
            level: Level::ReportToThem,
            participant: "rep2".into()
        }
    );
    assert!(matches!(
        s.calls().explain("vp", "d").reason,
        CallReason::CallOutOfReach { .. }
    ));
}

#[test]
fn capability_does_not_imply_scope() {
    let mut m = org();
    // callsAndSearch on, calls level none: the page opens, other people's calls do not.
    m.create_profile(ProfileSpec::new("page", "Page only").with_capability("callsAndSearch", true))
        .unwrap();
    m.assign_profile("vp", "page").unwrap();
    // Level all, callsAndSearch off: scope without the page gate.
    m.create_profile(
        ProfileSpec::new("scope", "Scope only")
            .with_level(Domain::Calls, Level::All)
            .with_capability("callsAndSearch", false),
    )
    .unwrap();
    m.assign_profile("outsider", "scope").unwrap();
    m.calls_mut().add_call(CallSpec::new("c", "rep1")).unwrap();
    let s = m.compile();
    assert!(s.has_capability("vp", Capability::CALLS_AND_SEARCH));
    assert!(!s.calls().can_open("vp", "c"));
    assert!(!s.has_capability("outsider", Capability::CALLS_AND_SEARCH));
    assert!(s.calls().can_open("outsider", "c"));
}

#[test]
fn owner_opens_own_call_and_no_profile_opens_nothing() {
    let mut m = org();
    profile(&mut m, "none", Level::None, "rep1");
    m.calls_mut()
        .add_call(CallSpec::new("c", "rep1").with_participants(["rep2"]))
        .unwrap();
    let s = m.compile();
    assert!(s.calls().can_open("rep1", "c"));
    assert_eq!(
        s.calls().explain("rep1", "c").reason,
        CallReason::CallOwner { call: "c".into() }
    );
    // rep2 takes part but holds no profile in the workspace: no access there.
    assert!(!s.calls().can_open("rep2", "c"));
    assert!(matches!(
        s.calls().explain("rep2", "c").reason,
        CallReason::NoProfile { .. }
    ));
}

#[test]
fn call_is_judged_by_the_profile_of_its_workspace() {
    let mut m = org();
    m.add_workspace("emea").unwrap();
    m.create_profile(
        ProfileSpec::new("all-emea", "All EMEA")
            .in_workspace("emea")
            .with_level(Domain::Calls, Level::All),
    )
    .unwrap();
    m.create_profile(ProfileSpec::new("own", "Own").with_level(Domain::Calls, Level::Own))
        .unwrap();
    m.assign_profile("outsider", "all-emea").unwrap();
    m.assign_profile("outsider", "own").unwrap();
    m.calls_mut()
        .add_call(CallSpec::new("emea-call", "rep1").in_workspace("emea"))
        .unwrap();
    m.calls_mut()
        .add_call(CallSpec::new("default-call", "rep1"))
        .unwrap();
    let s = m.compile();
    assert!(s.calls().can_open("outsider", "emea-call"));
    assert!(!s.calls().can_open("outsider", "default-call"));
    let emea = s.workspace_id("emea").unwrap();
    let listed: Vec<_> = s
        .calls()
        .in_workspace(emea)
        .visible("outsider")
        .external_ids()
        .collect();
    assert_eq!(listed, ["emea-call"]);
    assert!(s.calls().visible("outsider").is_empty());
}

#[test]
fn existence_listing_is_separate_from_opening() {
    let mut m = org();
    profile(&mut m, "none", Level::None, "outsider");
    m.calls_mut()
        .add_call(CallSpec::new("c", "rep1").private(true).started_at(42))
        .unwrap();
    let s = m.compile();
    assert!(s.calls().can_list("outsider", "c"));
    assert!(!s.calls().can_open("outsider", "c"));
    let listed: Vec<_> = s
        .calls()
        .in_workspace(WorkspaceId::DEFAULT)
        .listable("outsider")
        .external_ids()
        .collect();
    assert_eq!(listed, ["c"]);
    assert!(
        !s.calls().can_list("rep2", "c"),
        "no profile in the workspace"
    );
    assert!(
        s.calls()
            .in_workspace(WorkspaceId::DEFAULT)
            .listable("rep2")
            .is_empty()
    );
    let info = s.calls().info("c").unwrap();
    assert_eq!(info.owner, Some(s.user_id("rep1").unwrap()));
    assert_eq!(info.started, 42);
    assert!(info.private);
}

#[test]
fn unknown_and_removed_things_deny() {
    let mut m = org();
    profile(&mut m, "all", Level::All, "ceo");
    profile(&mut m, "all2", Level::All, "rep2");
    m.calls_mut().add_call(CallSpec::new("c", "rep2")).unwrap();
    m.calls_mut()
        .add_call(CallSpec::new("gone", "rep2"))
        .unwrap();
    m.calls_mut().remove_call("gone").unwrap();
    let s = m.compile();
    assert!(!s.calls().can_open("ghost", "c"));
    assert!(!s.calls().can_open("ceo", "nope"));
    assert!(!s.calls().can_open("ceo", "gone"));
    assert!(!s.calls().can_open("ceo", CallId::new(999)));
    assert!(matches!(
        s.calls().explain("ceo", "nope").reason,
        CallReason::UnknownCall { .. }
    ));
    assert!(matches!(
        s.calls().explain("ghost", "c").reason,
        CallReason::UnknownUser { .. }
    ));
    // A removed viewer opens nothing, even their own call.
    m.remove_user("rep2").unwrap();
    let s = m.compile();
    assert!(!s.calls().can_open("rep2", "c"));
    assert!(
        !s.calls().can_open("ceo", "c"),
        "no scope, not even all, reaches a removed user's call"
    );
}

#[test]
fn filter_and_reverse_agree_with_the_check() {
    let mut m = org();
    profile(&mut m, "mgr", Level::ReportToThem, "vp");
    let a = m.calls_mut().add_call(CallSpec::new("a", "rep1")).unwrap();
    let b = m.calls_mut().add_call(CallSpec::new("b", "ceo")).unwrap();
    let c = m
        .calls_mut()
        .add_call(CallSpec::new("c", "rep2").private(true))
        .unwrap();
    let d = m
        .calls_mut()
        .add_call(CallSpec::new("d", "ceo").shared_with(["vp"]))
        .unwrap();
    let s = m.compile();
    assert_eq!(s.calls().filter("vp", &[d, c, b, a]), vec![d, a]);
    let seen: Vec<_> = s.calls().visible("vp").external_ids().collect();
    assert_eq!(seen, ["a", "d"]);
}

#[test]
fn call_validation_errors_name_the_field() {
    let mut m = org();
    m.add_workspace("emea").unwrap();
    m.add_folder("emea-f", Some("emea")).unwrap();
    m.calls_mut().add_call(CallSpec::new("c", "rep1")).unwrap();
    let err = |m: &mut Model, spec: CallSpec| m.calls_mut().add_call(spec).unwrap_err().to_string();
    assert_eq!(
        err(&mut m, CallSpec::new("", "rep1")),
        "id: id must not be empty"
    );
    assert_eq!(
        err(&mut m, CallSpec::new("c", "rep1")),
        "id: duplicate id \"c\""
    );
    assert_eq!(
        err(&mut m, CallSpec::new("x", "ghost")),
        "ownerId: unknown user \"ghost\""
    );
    assert_eq!(
        err(&mut m, CallSpec::new("x", "rep1").in_workspace("nowhere")),
        "workspaceId: unknown workspace \"nowhere\""
    );
    assert_eq!(
        err(
            &mut m,
            CallSpec::new("x", "rep1").with_participants(["rep2", "x"])
        ),
        "participants[1]: unknown user \"x\""
    );
    assert_eq!(
        err(&mut m, CallSpec::new("x", "rep1").shared_with(["y"])),
        "sharedWith[0]: unknown user \"y\""
    );
    assert_eq!(
        err(&mut m, CallSpec::new("x", "rep1").granted_to(["z"])),
        "userGrants[0]: unknown user \"z\""
    );
    assert_eq!(
        err(
            &mut m,
            CallSpec::new("x", "rep1").in_folders(["wins", "nope"])
        ),
        "folderIds[1]: unknown library folder \"nope\""
    );
    assert_eq!(
        err(&mut m, CallSpec::new("x", "rep1").in_folders(["emea-f"])),
        "folderIds[0]: library folder \"emea-f\" does not belong to workspace \"default\""
    );
    assert!(m.calls().call("x").is_none(), "nothing half-applied");
    // Edits of unknown calls and users.
    assert_eq!(
        m.calls_mut().grant_call("nope", "rep1").unwrap_err().kind(),
        &CallErrorKind::UnknownCall { id: "nope".into() }
    );
    assert_eq!(
        m.calls_mut()
            .share_call("c", "ghost")
            .unwrap_err()
            .to_string(),
        "userId: unknown user \"ghost\""
    );
    fn kind<T: std::fmt::Debug>(r: Result<T, orgperm::CallError>) -> (String, CallErrorKind) {
        let e = r.unwrap_err();
        (e.path().to_owned(), e.kind().clone())
    }
    assert_eq!(
        kind(m.calls_mut().set_call_private("nope", true)),
        (
            "id".into(),
            CallErrorKind::UnknownCall { id: "nope".into() }
        )
    );
    let unknown_folder = CallErrorKind::Org(OrgErrorKind::UnknownFolder { id: "nope".into() });
    assert_eq!(
        kind(m.calls_mut().add_call_to_folder("c", "nope")),
        ("folderId".into(), unknown_folder.clone())
    );
    assert_eq!(
        kind(m.calls_mut().remove_call_from_folder("c", "nope")),
        ("folderId".into(), unknown_folder)
    );
    let c = m.calls().call("c").unwrap();
    assert!(!c.private && c.folders.is_empty(), "nothing changed");
}

#[test]
fn call_document_errors_point_into_the_calls_section() {
    let json = r#"{"version": 1, "users": [{"id": "a"}, {"id": "b"}],
        "calls": [{"id": "c0", "ownerId": "a"}, {"id": "c1", "ownerId": "a", "participants": ["b", "x"]}]}"#;
    assert_eq!(
        Model::from_json(json).unwrap_err().to_string(),
        "calls[1] (id \"c1\").participants[1]: unknown user \"x\""
    );
    let json = r#"{"version": 1, "users": [{"id": "a"}], "calls": [{"id": "c0", "ownerId": "a"}, {"id": "c0", "ownerId": "a"}]}"#;
    assert_eq!(
        Model::from_json(json).unwrap_err().to_string(),
        "calls[1] (id \"c0\").id: duplicate id \"c0\""
    );
}

#[test]
fn calls_with_many_participants() {
    let mut m = Model::new();
    for i in 0..12 {
        m.add_user(&format!("u{i}"), None).unwrap();
    }
    m.create_profile(ProfileSpec::new("own", "Own").with_level(Domain::Calls, Level::Own))
        .unwrap();
    for i in 0..12 {
        m.assign_profile(&format!("u{i}"), "own").unwrap();
    }
    m.calls_mut()
        .add_call(CallSpec::new("big", "u0").with_participants((1..10).map(|i| format!("u{i}"))))
        .unwrap();
    let s = m.compile();
    for i in 0..10 {
        assert!(s.calls().can_open(format!("u{i}").as_str(), "big"), "u{i}");
        let listed: Vec<_> = s
            .calls()
            .visible(format!("u{i}").as_str())
            .external_ids()
            .collect();
        assert_eq!(listed, ["big"], "u{i}");
    }
    assert!(!s.calls().can_open("u10", "big"));
    assert!(s.calls().visible("u11").is_empty());
}

#[test]
fn snapshot_and_call_sets_are_send_and_sync() {
    fn check<T: Send + Sync>() {}
    check::<orgperm::Snapshot>();
    check::<orgperm::CallSet<'static>>();
    check::<orgperm::CallSpec>();
    check::<orgperm::NetworkFeature>();
    check::<orgperm::BulkGrantResult>();
}

// ---- property tests against the reference evaluator ------------------------------------

struct Built {
    model: Model,
    org: RefOrg,
    profiles: Vec<Vec<Option<RefProfile>>>,
    calls: Vec<RefCall>,
}

const LEVELS: [Level; 5] = [
    Level::All,
    Level::ManagersTeam,
    Level::ReportToThem,
    Level::Own,
    Level::None,
];

/// A random org with two workspaces (three folders each), profiles, calls, and a few users
/// removed at the end.
fn build(seed: u64, n: usize, n_calls: usize) -> Built {
    let mut rng = Lcg(seed);
    let mut model = Model::new();
    model.add_workspace("w1").unwrap();
    let mut org = RefOrg::default();
    for i in 0..n {
        let m = (i > 0 && rng.pct(80)).then(|| rng.below(i));
        model
            .add_user(&format!("u{i}"), m.map(|m| format!("u{m}")).as_deref())
            .unwrap();
        org.manager.push(m);
        org.active.push(true);
    }
    let ws = |w: usize| (w == 1).then_some("w1");
    for f in 0..6 {
        model.add_folder(&format!("f{f}"), ws(f / 3)).unwrap();
    }
    let mut profiles = vec![vec![None; n]; 2];
    for (w, row) in profiles.iter_mut().enumerate() {
        for (u, slot) in row.iter_mut().enumerate() {
            if !rng.pct(80) {
                continue;
            }
            let level = LEVELS[rng.below(5)];
            let leads: Vec<usize> = if level == Level::ManagersTeam && rng.pct(50) {
                (0..1 + rng.below(2)).map(|_| rng.below(n)).collect()
            } else {
                Vec::new()
            };
            let (library, folders) = match rng.below(3) {
                0 => (LibraryLevel::None, Vec::new()),
                1 => (LibraryLevel::All, Vec::new()),
                _ => {
                    let mut f: Vec<usize> = (0..1 + rng.below(2))
                        .map(|_| w * 3 + rng.below(3))
                        .collect();
                    f.sort_unstable();
                    f.dedup();
                    (LibraryLevel::SpecificFolders, f)
                }
            };
            let lib = match library {
                LibraryLevel::None => LibraryAccess::default(),
                LibraryLevel::All => LibraryAccess::all(),
                LibraryLevel::SpecificFolders => {
                    LibraryAccess::specific(folders.iter().map(|f| format!("f{f}")))
                }
            };
            let mut spec = ProfileSpec::new(format!("p{w}-{u}"), format!("P {w} {u}"))
                .with_leads(Domain::Calls, level, leads.iter().map(|l| format!("u{l}")))
                .with_library(lib);
            if let Some(w) = ws(w) {
                spec = spec.in_workspace(w);
            }
            model.create_profile(spec).unwrap();
            model
                .assign_profile(&format!("u{u}"), &format!("p{w}-{u}"))
                .unwrap();
            *slot = Some(RefProfile {
                level,
                leads,
                library,
                folders,
            });
        }
    }
    let mut calls = Vec::new();
    let pick = |rng: &mut Lcg, k: usize| -> Vec<usize> {
        (0..rng.below(k + 1)).map(|_| rng.below(n)).collect()
    };
    for c in 0..n_calls {
        let w = rng.below(2);
        let call = RefCall {
            owner: rng.below(n),
            ws: w,
            private: rng.pct(25),
            participants: pick(&mut rng, 6),
            shared: pick(&mut rng, 2),
            grants: pick(&mut rng, 2),
            folders: (0..rng.below(3)).map(|_| w * 3 + rng.below(3)).collect(),
        };
        let name = |v: &[usize]| v.iter().map(|u| format!("u{u}")).collect::<Vec<_>>();
        let mut spec = CallSpec::new(format!("c{c}"), format!("u{}", call.owner))
            .private(call.private)
            .with_participants(name(&call.participants))
            .shared_with(name(&call.shared))
            .granted_to(name(&call.grants))
            .in_folders(call.folders.iter().map(|f| format!("f{f}")));
        if let Some(w) = ws(w) {
            spec = spec.in_workspace(w);
        }
        model.calls_mut().add_call(spec).unwrap();
        calls.push(call);
    }
    // Remove a few users without reports.
    for u in (0..n).rev() {
        let has_reports = (0..n).any(|r| org.active[r] && org.manager[r] == Some(u));
        if !has_reports && rng.pct(15) {
            // A user named as a team lead stays: removing them is refused by design.
            match model.remove_user(&format!("u{u}")) {
                Ok(()) => {}
                Err(e)
                    if matches!(
                        e.kind(),
                        orgperm::ErrorKind::Profile(
                            orgperm::ProfileErrorKind::UserIsTeamLead { .. }
                        )
                    ) =>
                {
                    continue;
                }
                Err(e) => panic!("{e}"),
            }
            org.active[u] = false;
            for row in profiles.iter_mut() {
                row[u] = None;
            }
        }
    }
    Built {
        model,
        org,
        profiles,
        calls,
    }
}

proptest! {
    #![proptest_config(crate::common::config(200))]

    #[test]
    fn can_open_call_matches_reference_forward_and_reverse(seed in any::<u64>(), n in 1usize..14, n_calls in 0usize..80) {
        let b = build(seed, n, n_calls);
        let s = b.model.compile();
        let ids: Vec<CallId> = (0..n_calls).map(|c| s.calls().call_id(&format!("c{c}")).unwrap()).collect();
        for v in 0..n {
            let name = format!("u{v}");
            let mut expected = Vec::new();
            for (c, call) in b.calls.iter().enumerate() {
                let want = naive::can_open_call(&b.org, &b.profiles, v, call);
                prop_assert_eq!(s.calls().can_open(name.as_str(), ids[c]), want, "viewer u{} call c{}", v, c);
                prop_assert_eq!(s.calls().explain(name.as_str(), ids[c]).allowed, want);
                if want {
                    expected.push(ids[c]);
                }
            }
            prop_assert_eq!(s.calls().filter(name.as_str(), &ids), expected.clone());
            // The same in external ids, an unknown one mixed in and left out.
            let mut names: Vec<String> = (0..n_calls).map(|c| format!("c{c}")).collect();
            names.push("no-such-call".into());
            let names: Vec<&str> = names.iter().map(String::as_str).collect();
            let kept: Vec<&str> = s.calls().filter(name.as_str(), &names);
            let want: Vec<String> = expected.iter().map(|&c| s.calls().call_name(c).unwrap().to_owned()).collect();
            prop_assert_eq!(kept, want.iter().map(String::as_str).collect::<Vec<_>>());
            for (c, call) in b.calls.iter().enumerate() {
                let want = b.org.active[v] && b.profiles[call.ws][v].is_some();
                prop_assert_eq!(s.calls().can_list(name.as_str(), ids[c]), want, "list u{} c{}", v, c);
            }
            for w in 0..2 {
                let ws = if w == 0 { WorkspaceId::DEFAULT } else { s.workspace_id("w1").unwrap() };
                let listed: Vec<CallId> = s.calls().in_workspace(ws).visible(name.as_str()).iter().collect();
                let want: Vec<CallId> = expected.iter().copied().filter(|&c| b.calls[c.as_u32() as usize].ws == w).collect();
                prop_assert_eq!(listed, want);
                // Existence listing: every call of the workspace, for a viewer holding a
                // profile there; nothing otherwise.
                let listable: Vec<CallId> = s.calls().in_workspace(ws).listable(name.as_str()).iter().collect();
                let has_profile = b.org.active[v] && b.profiles[w][v].is_some();
                let want: Vec<CallId> = if has_profile {
                    ids.iter().copied().filter(|&c| b.calls[c.as_u32() as usize].ws == w).collect()
                } else {
                    Vec::new()
                };
                prop_assert_eq!(&listable, &want);
            }
        }
    }

    #[test]
    fn who_can_open_is_exactly_the_viewers_the_check_allows(seed in any::<u64>(), n in 1usize..14, n_calls in 0usize..80) {
        let b = build(seed, n, n_calls);
        let s = b.model.compile();
        for (c, call) in b.calls.iter().enumerate() {
            let want: Vec<String> = (0..n)
                .filter(|&v| naive::can_open_call(&b.org, &b.profiles, v, call))
                .map(|v| format!("u{v}"))
                .collect();
            let who = s.calls().who_can_open(format!("c{c}").as_str());
            // External ids, sorted by name; dense ids, sorted.
            let mut got: Vec<String> = who.external_ids().map(str::to_owned).collect();
            got.sort_by_key(|u| u[1..].parse::<usize>().unwrap());
            prop_assert_eq!(&got, &want, "call c{}", c);
            let dense: Vec<UserId> = who.to_sorted_ids();
            let want_dense: Vec<UserId> = want.iter().map(|u| s.user_id(u).unwrap()).collect();
            prop_assert_eq!(dense, want_dense);
            let call_id = s.calls().call_id(&format!("c{c}")).unwrap();
            prop_assert_eq!(s.calls().who_can_open(call_id).len(), want.len() as u64);
            // Each member's explanation allows; every other user's denies.
            for v in 0..n {
                let name = format!("u{v}");
                prop_assert_eq!(s.calls().explain(name.as_str(), call_id).allowed, who.contains(name.as_str()));
            }
        }
    }
}

#[test]
fn call_name_names_live_calls_only() {
    let mut m = org();
    let c1 = m.calls_mut().add_call(CallSpec::new("c1", "rep1")).unwrap();
    let c2 = m
        .calls_mut()
        .add_call(CallSpec::new("c2", "rep2").private(true))
        .unwrap();
    assert_ne!(c1, c2);
    m.calls_mut().remove_call("c1").unwrap();
    let s = m.compile();
    assert_eq!(s.calls().call_name(c2), Some("c2"));
    assert_eq!(s.calls().call_id("c2"), Some(c2));
    // A removed call's dense id, and ids past the end, name nothing.
    assert_eq!(s.calls().call_name(c1), None);
    assert_eq!(s.calls().call_id("c1"), None);
    assert_eq!(s.calls().call_name(CallId::new(999)), None);
    assert_eq!(s.calls().call_name(CallId::new(u32::MAX)), None);
    assert_eq!(s.calls().call_id("nope"), None);
    // Names do not depend on the workspace view.
    assert_eq!(s.calls().in_workspace("nowhere").call_name(c2), Some("c2"));
    // Added again, the id is live again in a new snapshot; the old one is unchanged.
    let again = m.calls_mut().add_call(CallSpec::new("c1", "rep2")).unwrap();
    let s2 = m.compile();
    assert_eq!(s2.calls().call_name(again), Some("c1"));
    assert_eq!(s2.calls().call_id("c1"), Some(again));
    assert_eq!(s.calls().call_name(c1), None);
}
