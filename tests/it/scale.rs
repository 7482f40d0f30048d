//! Inputs that break naive code by their size: trees deep enough to overflow a recursive
//! walk, and shapes whose naive handling is quadratic (checked for behaviour at a large size;
//! the times are in the `scale` bench group).

use orgperm::{
    ActionSpec, Capability, Condition, Domain, ErrorKind, GlobalPermissionSpec, Level, MAX_DEPTH,
    Model, PermissionSpec, PolicySpec, ProfileErrorKind, ProfileSpec, RbacErrorKind, RoleSpec,
    Subject,
};

/// Runs `f` on a thread with a 2 MB stack.
fn on_small_stack(f: impl FnOnce() + Send + 'static) {
    std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(f)
        .unwrap()
        .join()
        .unwrap();
}

fn nested(depth: usize) -> Condition {
    let mut c = Condition::eq("queue.id", "q1");
    for i in 1..depth {
        c = if i % 2 == 0 {
            Condition::all([c])
        } else {
            Condition::any([c, Condition::eq("x", "y")])
        };
    }
    c
}

#[test]
fn a_million_deep_condition_is_rejected_and_dropped_without_recursion() {
    on_small_stack(|| {
        let mut m = Model::new();
        m.rbac_mut()
            .add_permission(
                PermissionSpec::new("routing:queue:view", "View queues").allowing_conditions(),
            )
            .unwrap();
        let c = nested(1_000_000);
        // Clone, compare, print: none of them recurses over the depth.
        let copy = c.clone();
        assert!(copy == c);
        assert!(copy != nested(999_999));
        assert!(!format!("{c:?}").is_empty());
        assert!(format!("{c}").contains('…'));
        drop(copy);
        let spec = RoleSpec::new("r", "R")
            .with_policy(PolicySpec::new("routing", "queue", ["view"]).with_condition(c));
        let err = m.rbac_mut().create_role(spec).unwrap_err();
        let mut path = "permissionPolicies[0].resourceConditionNode".to_owned();
        for _ in 1..=MAX_DEPTH {
            path.push_str(".terms[0]");
        }
        assert_eq!(err.path(), path, "{err}");
        assert_eq!(
            err.kind(),
            &RbacErrorKind::InvalidCondition {
                reason: "conditions nest at most 16 deep"
            }
        );
        assert!(m.rbac().role("r").is_none());
        // The rejected spec was dropped inside create_role; drop one more explicitly.
        drop(nested(1_000_000));
    });
}

// ---- shapes that were quadratic: behaviour at a large size ---------------------------------

#[test]
fn a_long_requires_chain_binds_every_action_and_reports_cycles() {
    const N: usize = 40_000;
    let mut m = Model::new();
    m.add_user("ada", None).unwrap();
    m.rbac_mut()
        .add_action(ActionSpec::new("a0", "A0"))
        .unwrap();
    for i in 1..N / 2 {
        m.rbac_mut()
            .add_action(ActionSpec::new(format!("a{i}"), "A").requiring(format!("a{}", i - 1)))
            .unwrap();
    }
    // The second half in one batch, listed from the far end so each names a later one.
    let batch: Vec<ActionSpec> = (N / 2..N)
        .rev()
        .map(|i| ActionSpec::new(format!("a{i}"), "A").requiring(format!("a{}", i - 1)))
        .collect();
    m.rbac_mut().add_actions(batch).unwrap();
    let last = format!("a{}", N - 1);
    m.rbac_mut()
        .create_global_permission(GlobalPermissionSpec::new("g", last.as_str(), ["ada"]))
        .unwrap();
    // Through the document and back: same answers.
    let m = Model::from_json(&m.to_json()).unwrap();
    let snap = m.compile();
    assert!(snap.rbac().has_action("ada", "a0"));
    assert!(snap.rbac().has_action("ada", last.as_str()));
    let mut every: Vec<String> = (0..N).map(|i| format!("a{i}")).collect();
    every.sort();
    assert!(
        snap.rbac().user_actions("ada") == every,
        "the whole chain, once each"
    );
    // Revoking the root takes the whole chain along.
    let mut m = m;
    assert_eq!(
        m.rbac_mut().revoke_action("ada", "a0").unwrap(),
        [last.as_str()]
    );
    assert!(!m.compile().rbac().has_action("ada", last.as_str()));

    // A long cycle in a batch: named from its first member, in link order.
    let mut m = Model::new();
    let mut batch: Vec<ActionSpec> = (0..N)
        .map(|i| ActionSpec::new(format!("c{i}"), "C").requiring(format!("c{}", (i + 1) % N)))
        .collect();
    batch.insert(0, ActionSpec::new("tail", "T").requiring("c5"));
    let err = m.rbac_mut().add_actions(batch).unwrap_err();
    let RbacErrorKind::ActionCycle { actions } = err.kind() else {
        panic!("{err}");
    };
    let want: Vec<String> = (0..N).map(|i| format!("c{i}")).collect();
    assert!(*actions == want, "{:?}…", &actions[..3]);
    assert!(m.rbac().action("c0").is_none());
}

#[test]
fn a_role_with_a_hundred_thousand_policies_holds_each_atom() {
    const N: usize = 100_000;
    let mut m = Model::new();
    m.rbac_mut().add_division("home", "Home").unwrap();
    m.add_user("ada", None).unwrap();
    let mut role = RoleSpec::new("big", "Big");
    for i in 0..N {
        m.rbac_mut()
            .add_permission(PermissionSpec::new(format!("routing:e{i}:view"), "V"))
            .unwrap();
        role = role.with_policy(PolicySpec::new("routing", format!("e{i}"), ["view"]));
    }
    let mut bad = role.clone();
    bad.permission_policies
        .push(PolicySpec::new("routing", "nope", ["view"]));
    let err = m.rbac_mut().create_role(bad).unwrap_err();
    assert_eq!(err.path(), format!("permissionPolicies[{N}].entityName"));
    m.rbac_mut().create_role(role).unwrap();
    m.rbac_mut()
        .grant_role(Subject::User("ada"), "big", None)
        .unwrap();
    let snap = m.compile();
    assert!(snap.rbac().has_permission("ada", "routing:e0:view"));
    assert!(
        snap.rbac()
            .has_permission("ada", format!("routing:e{}:view", N - 1).as_str())
    );
    let mut every: Vec<String> = (0..N).map(|i| format!("routing:e{i}:view")).collect();
    every.sort();
    assert!(
        snap.rbac().user_permissions("ada") == every,
        "every atom, once each"
    );
}

#[test]
fn one_user_in_many_groups_inherits_every_grant() {
    const N: usize = 50_000;
    let mut m = Model::new();
    m.rbac_mut().add_division("home", "Home").unwrap();
    m.add_user("ada", None).unwrap();
    m.rbac_mut()
        .add_permission(PermissionSpec::new("routing:queue:view", "V"))
        .unwrap();
    m.rbac_mut()
        .create_role(RoleSpec::new("r", "R").with_policy(PolicySpec::new(
            "routing",
            "queue",
            ["view"],
        )))
        .unwrap();
    // A view-only role in the model: the rule is checked on every edit below, from the
    // roles held through groups (counted), not by scanning the user's groups.
    m.rbac_mut()
        .create_role(RoleSpec::new("vo", "View only").view_only())
        .unwrap();
    for i in 0..N {
        let g = format!("g{i}");
        m.rbac_mut().add_group(&g, &g).unwrap();
        m.rbac_mut().add_group_members(&g, &["ada"]).unwrap();
    }
    for i in 0..N {
        m.rbac_mut()
            .grant_role(Subject::Group(&format!("g{i}")), "r", None)
            .unwrap();
    }
    let mut groups: Vec<&str> = m.rbac().groups_of("ada").unwrap();
    groups.sort_unstable();
    let mut want: Vec<String> = (0..N).map(|i| format!("g{i}")).collect();
    want.sort();
    assert!(groups == want, "every group, once each");
    // The view-only rule still holds.
    let err = m
        .rbac_mut()
        .grant_role(Subject::Group("g7"), "vo", None)
        .unwrap_err();
    assert_eq!(
        err.kind(),
        &RbacErrorKind::ViewOnlyConflict {
            user: "ada".into(),
            view_only: "vo".into(),
            other: "r".into()
        }
    );
    assert!(
        m.compile()
            .rbac()
            .has_permission("ada", "routing:queue:view")
    );
}

#[test]
fn a_profile_with_two_hundred_thousand_leads_and_removals_against_many_profiles() {
    const N: usize = 200_000;
    let mut m = Model::new();
    m.add_user("root", None).unwrap();
    for i in 0..N {
        m.add_user(&format!("u{i}"), Some("root")).unwrap();
    }
    let mut leads: Vec<String> = (0..N).map(|i| format!("u{i}")).collect();
    leads.push("u3".to_owned()); // a duplicate is kept once
    m.create_profile(
        ProfileSpec::new("leads", "Leads")
            .with_leads(Domain::Calls, Level::ManagersTeam, leads.iter().cloned())
            .with_leads(Domain::Deals, Level::Own, leads),
    )
    .unwrap();
    m.assign_profile("root", "leads").unwrap();
    let snap = m.compile();
    assert!(snap.can_access("root", Domain::Calls, "u199999"));
    assert!(!snap.can_access("root", Domain::Deals, "u5"));
    // Every lead is refused removal, naming the first field.
    let err = m.remove_user("u42").unwrap_err();
    assert_eq!(
        err.kind(),
        &ErrorKind::Profile(ProfileErrorKind::UserIsTeamLead {
            id: "u42".into(),
            profile: "leads".into(),
            field: "callsAccess.teamLeadIds".into(),
        })
    );
    // Dropped from calls, still named on deals (at a level that ignores leads).
    m.update_profile(ProfileSpec::new("leads", "Leads").with_leads(
        Domain::Deals,
        Level::Own,
        ["u42"],
    ))
    .unwrap();
    let err = m.remove_user("u42").unwrap_err();
    assert!(
        matches!(err.kind(), ErrorKind::Profile(ProfileErrorKind::UserIsTeamLead { field, .. }) if field == "dealsAccess.teamLeadIds"),
        "{err}"
    );
    m.remove_user("u43").unwrap();
    m.unassign_profile("root", None).unwrap();
    m.delete_profile("leads").unwrap();
    m.remove_user("u42").unwrap();
}

#[test]
fn many_profiles_naming_leads_and_many_removals() {
    const N: usize = 20_000;
    let mut m = Model::new();
    m.add_user("root", None).unwrap();
    for i in 0..N {
        m.add_user(&format!("l{i}"), Some("root")).unwrap();
        m.add_user(&format!("u{i}"), Some("root")).unwrap();
        m.create_profile(
            ProfileSpec::new(format!("p{i}"), format!("P{i}")).with_leads(
                Domain::Coaching,
                Level::ManagersTeam,
                [format!("l{i}")],
            ),
        )
        .unwrap();
    }
    for i in 0..N {
        m.remove_user(&format!("u{i}")).unwrap();
    }
    let err = m.remove_user(&format!("l{}", N - 1)).unwrap_err();
    assert_eq!(
        err.kind(),
        &ErrorKind::Profile(ProfileErrorKind::UserIsTeamLead {
            id: format!("l{}", N - 1),
            profile: format!("p{}", N - 1),
            field: "coachingAccess.teamLeadIds".into(),
        })
    );
    assert_eq!(m.user_count(), N + 1);
}

// ---- memory that follows what is used --------------------------------------------------------

#[test]
fn three_thousand_workspaces_of_a_hundred_thousand_users_stay_small() {
    const USERS: usize = 100_000;
    const WORKSPACES: usize = 3_000;
    let m = orgperm_synth::shapes::many_workspaces(USERS, WORKSPACES);
    let snap = m.compile();
    let mem = snap.memory();
    assert!(
        mem.index_bytes() < 100 << 20,
        "{} MB",
        mem.index_bytes() >> 20
    );
    // Same answers as a dense table would give.
    let w7 = snap.workspace_id("w7").unwrap();
    assert!(snap.in_workspace(w7).can_access("u7", Domain::Calls, "u57"));
    assert!(!snap.in_workspace(w7).can_access("u7", Domain::Calls, "u6"));
    assert!(!snap.can_access("u7", Domain::Calls, "u57")); // no profile in the default
    assert!(snap.can_access("u0", Domain::Calls, "u99999"));
    assert!(
        snap.in_workspace(w7)
            .has_capability("u3007", Capability::SCORE_CALLS)
    );
    assert!(snap.calls().can_open("u7", "c-w7"));
    assert!(!snap.calls().can_open("u6", "c-w7"));
    assert!(snap.calls().can_open("u0", "c-default"));
    assert!(!snap.calls().can_open("u7", "c-default"));
    assert!(
        !snap
            .in_workspace(w7)
            .has_capability("u3008", Capability::SCORE_CALLS)
    );
    assert_eq!(m.profile_of("u3007", Some("w7")), Some("p7"));
    assert_eq!(
        m.users_of_profile("p7").unwrap().len(),
        USERS / WORKSPACES + 1
    );
}

#[test]
fn fifty_thousand_custom_capabilities_stay_small() {
    const PROFILES: usize = 50_000;
    let mut m = Model::new();
    m.add_user("ada", None).unwrap();
    for p in 0..PROFILES {
        m.create_profile(
            ProfileSpec::new(format!("p{p}"), format!("P{p}"))
                .with_capability(format!("custom{p}"), true)
                .with_capability("scoreCalls", p % 2 == 0),
        )
        .unwrap();
    }
    m.assign_profile("ada", "p777").unwrap();
    let snap = m.compile();
    assert!(
        snap.memory().profile_bytes < 40 << 20,
        "{} MB",
        snap.memory().profile_bytes >> 20
    );
    assert!(snap.has_capability("ada", "custom777"));
    assert!(!snap.has_capability("ada", "custom778"));
    assert!(!snap.has_capability("ada", Capability::SCORE_CALLS));
    m.assign_profile("ada", "p778").unwrap();
    let snap = m.compile();
    assert!(snap.has_capability("ada", "custom778"));
    assert!(snap.has_capability("ada", Capability::SCORE_CALLS));
}
