//! Edge cases of the roles-and-permissions queries that the mutation run found untested: the
//! permitted-divisions value, the snapshot's name lookups of live objects, conditional
//! policies on more than one permission of a role, the memory report, and the explanations'
//! order of reasons (unknown user and permission before an unknown division or resource, a
//! removed permission, a disabled product, actions bound directly or through `requires`), and
//! the compile's bitsets wider than one 64-bit word.

use orgperm::{
    ActionSpec, Condition, DefaultRoleTemplate, GlobalPermissionSpec, Model, PermissionSpec,
    PermittedDivisions, PolicySpec, Principal, RbacReason, RoleSpec, Subject,
};

/// Divisions home, emea, apac; users ada and bob; two conditional permissions.
fn world() -> Model {
    let mut m = Model::new();
    for (id, name) in [("home", "Home"), ("emea", "EMEA"), ("apac", "APAC")] {
        m.rbac_mut().add_division(id, name).unwrap();
    }
    for u in ["ada", "bob"] {
        m.add_user(u, None).unwrap();
    }
    for p in [
        PermissionSpec::new("employee", "Employee"),
        PermissionSpec::new("routing:queue:view", "View queues")
            .division_aware()
            .allowing_conditions(),
        PermissionSpec::new("quality:evaluation:view", "View evaluations").allowing_conditions(),
    ] {
        m.rbac_mut().add_permission(p).unwrap();
    }
    m
}

fn grant(m: &mut Model, user: &str, role: &str, division: Option<&str>) {
    m.rbac_mut()
        .grant_role(Subject::User(user), role, division)
        .unwrap();
}

/// §2: a grant in one division permits exactly that division; the value says so through
/// `is_all`, `is_empty` and `contains`.
#[test]
fn permitted_divisions_contain_exactly_the_granted_divisions() {
    let mut m = world();
    m.rbac_mut()
        .create_role(RoleSpec::new("r", "R").with_policy(PolicySpec::new(
            "routing",
            "queue",
            ["view"],
        )))
        .unwrap();
    grant(&mut m, "ada", "r", Some("emea"));
    let snap = m.compile();
    let rbac = snap.rbac();
    let (emea, apac) = (
        rbac.division_id("emea").unwrap(),
        rbac.division_id("apac").unwrap(),
    );
    let only = rbac.divisions_permitted("ada", "routing:queue:view");
    assert_eq!(only, PermittedDivisions::Only(vec![emea]));
    assert!(!only.is_all() && !only.is_empty());
    assert!(only.contains(emea));
    assert!(!only.contains(apac));
    let none = rbac.divisions_permitted("bob", "routing:queue:view");
    assert!(none.is_empty() && !none.is_all());
    assert!(!none.contains(emea));
    let all = PermittedDivisions::All;
    assert!(all.is_all() && !all.is_empty() && all.contains(apac));
}

/// §5: the snapshot names permissions, live divisions, live groups, actions and resources
/// that still sit in a division; deleted ones no longer resolve.
#[test]
fn snapshot_names_resolve_live_objects_only() {
    let mut m = world();
    m.rbac_mut().add_group("g", "G").unwrap();
    m.rbac_mut().add_group("h", "H").unwrap();
    m.rbac_mut().delete_group("h").unwrap();
    m.rbac_mut()
        .add_action(ActionSpec::new("access_goals", "Access goals"))
        .unwrap();
    let q1 = m.rbac_mut().assign_resource("q1", Some("emea")).unwrap();
    m.rbac_mut().assign_resource("q2", Some("emea")).unwrap();
    assert!(m.rbac_mut().remove_resource("q2"));
    let apac = m.compile().rbac().division_id("apac").unwrap();
    m.rbac_mut().delete_division("apac").unwrap();
    let snap = m.compile();
    let rbac = snap.rbac();

    let employee = rbac.permission_id("employee").unwrap();
    assert_eq!(rbac.permission_name(employee), Some("employee"));
    let emea = rbac.division_id("emea").unwrap();
    assert_eq!(rbac.division_name(emea), Some("emea"));
    assert_eq!(rbac.division_id("apac"), None);
    assert_eq!(rbac.division_name(apac), None);
    assert!(rbac.group_id("g").is_some());
    assert_eq!(rbac.group_id("h"), None);
    assert_eq!(rbac.group_id("nope"), None);
    let goals = rbac.action_id("access_goals").unwrap();
    assert_eq!(rbac.action_id("nope"), None);
    assert_ne!(Some(goals), rbac.action_id("nope"));
    assert_eq!(rbac.resource_id("q1"), Some(q1));
    assert_eq!(rbac.resource_id("q2"), None);
    assert_eq!(rbac.resource_division("q1"), Some(emea));
    assert_eq!(rbac.resource_division("q2"), None);
}

/// §2: a role with conditional policies on two permissions: each condition counts for its own
/// permission only, whichever comes first in the catalog.
#[test]
fn conditional_policies_count_for_their_own_permission_only() {
    let mut m = world();
    m.rbac_mut()
        .create_role(
            RoleSpec::new("c", "C")
                .with_policy(
                    PolicySpec::new("routing", "queue", ["view"])
                        .with_condition(Condition::eq("x", "a")),
                )
                .with_policy(
                    PolicySpec::new("quality", "evaluation", ["view"])
                        .with_condition(Condition::eq("x", "b")),
                ),
        )
        .unwrap();
    grant(&mut m, "ada", "c", Some("*"));
    let snap = m.compile();
    let on = |p: &str, x: &str| snap.rbac().has_permission_on("ada", p, "home", &[("x", x)]);
    assert!(on("routing:queue:view", "a"));
    assert!(!on("routing:queue:view", "b"));
    assert!(on("quality:evaluation:view", "b"));
    assert!(!on("quality:evaluation:view", "a"));
    assert!(!on("employee", "a"));
    // Without attributes a conditional policy counts for nothing.
    assert!(
        !snap
            .rbac()
            .has_permission_on("ada", "quality:evaluation:view", "home", &[])
    );
}

/// The rbac memory report's figures: bytes per user, per combination, and the total of the
/// four parts; an empty model divides by one.
#[test]
fn rbac_memory_report_figures_divide_and_add_up() {
    let mem = orgperm::RbacMemoryReport {
        users: 4,
        combos: 2,
        role_sets: 3,
        user_bytes: 40,
        combo_bytes: 30,
        reverse_bytes: 5,
        other_bytes: 7,
    };
    assert_eq!(mem.per_user(), 10.0);
    assert_eq!(mem.per_combo(), 15.0);
    assert_eq!(mem.total(), 82);
    let empty = orgperm::RbacMemoryReport {
        users: 0,
        combos: 0,
        ..mem
    };
    assert_eq!(empty.per_user(), 40.0);
    assert_eq!(empty.per_combo(), 30.0);
}

/// §2: an explanation on an unknown division or resource names the unknown user or
/// permission first, as the check resolves them first; a known user and permission get the
/// unknown division or resource.
#[test]
fn explanations_name_an_unknown_user_or_permission_before_the_division_or_resource() {
    let mut m = world();
    m.rbac_mut()
        .create_role(RoleSpec::new("r", "R").with_permission("employee"))
        .unwrap();
    grant(&mut m, "ada", "r", None);
    let snap = m.compile();
    let rbac = snap.rbac();
    let unknown_user = RbacReason::UnknownUser {
        user: "\"ghost\"".into(),
    };
    let unknown_permission = RbacReason::UnknownPermission {
        permission: "\"nope\"".into(),
    };
    let on = |u: &str, p: &str| rbac.explain_permission_on(u, p, "mars", &[]);
    let d = on("ghost", "employee");
    assert_eq!((d.allowed, d.reason), (false, unknown_user.clone()));
    let d = on("ada", "nope");
    assert_eq!((d.allowed, d.reason), (false, unknown_permission.clone()));
    let d = on("ada", "employee");
    assert_eq!(
        (d.allowed, d.reason),
        (
            false,
            RbacReason::UnknownDivision {
                division: "\"mars\"".into()
            }
        )
    );
    let res = |u: &str, p: &str| rbac.explain_permission_on_resource(u, p, "q9", &[]);
    let d = res("ghost", "employee");
    assert_eq!((d.allowed, d.reason), (false, unknown_user));
    let d = res("ada", "nope");
    assert_eq!((d.allowed, d.reason), (false, unknown_permission));
    let d = res("ada", "employee");
    assert_eq!(
        (d.allowed, d.reason),
        (
            false,
            RbacReason::UnknownResource {
                resource: "\"q9\"".into()
            }
        )
    );
}

/// §2: a removed permission is unknown to the explanation; a plain permission (neither
/// division-aware nor conditional) of a disabled product is denied for its product.
#[test]
fn explanations_of_a_removed_permission_and_of_a_disabled_product() {
    let mut m = world();
    m.rbac_mut()
        .add_permission(PermissionSpec::new("gone", "Gone"))
        .unwrap();
    m.rbac_mut().remove_permission("gone").unwrap();
    m.rbac_mut()
        .add_permission(PermissionSpec::new("wfm:schedule:view", "Schedules").in_product("wfm"))
        .unwrap();
    let snap = m.compile();
    let rbac = snap.rbac();
    assert_eq!(
        rbac.explain_permission("ada", "gone").reason,
        RbacReason::UnknownPermission {
            permission: "\"gone\"".into()
        }
    );
    let d = rbac.explain_permission("ada", "wfm:schedule:view");
    assert_eq!(
        (d.allowed, d.reason),
        (
            false,
            RbacReason::ProductDisabled {
                permission: "wfm:schedule:view".into(),
                product: "wfm".into(),
            }
        )
    );
}

/// §6: an action bound directly names no `via`; one reached through `requires` names the
/// bound action; a dense action id past the catalog is unknown.
#[test]
fn action_explanations_name_via_only_through_requires() {
    let mut m = world();
    m.rbac_mut()
        .add_actions(vec![
            ActionSpec::new("access_goals", "Access"),
            ActionSpec::new("manage_goals", "Manage").requiring("access_goals"),
        ])
        .unwrap();
    m.rbac_mut()
        .create_global_permission(GlobalPermissionSpec::new("p1", "manage_goals", ["ada"]))
        .unwrap();
    let wide = m.compile();
    let manage = wide.rbac().action_id("manage_goals").unwrap();
    let bound = |action: &str, via: Option<&str>| RbacReason::ActionBound {
        action: action.into(),
        permission: "p1".into(),
        principal: Principal::user("ada"),
        via: via.map(Into::into),
    };
    let d = wide.rbac().explain_action("ada", "manage_goals");
    assert_eq!((d.allowed, d.reason), (true, bound("manage_goals", None)));
    let d = wide.rbac().explain_action("ada", "access_goals");
    assert_eq!(
        (d.allowed, d.reason),
        (true, bound("access_goals", Some("manage_goals")))
    );

    // A model with only the first action: the second's dense id is past its catalog.
    let mut narrow = world();
    narrow
        .rbac_mut()
        .add_action(ActionSpec::new("access_goals", "Access"))
        .unwrap();
    let d = narrow.compile().rbac().explain_action("ada", manage);
    assert_eq!(
        (d.allowed, d.reason),
        (
            false,
            RbacReason::UnknownAction {
                action: "action #1".into()
            }
        )
    );
}

/// §2: the grant an explanation cites: a `*` grant counts in every division, the policy
/// cited is the one naming the permission (not the role's first unconditional policy), and
/// a user without any grant on an object gets no grant rather than another division.
#[test]
fn explanations_cite_the_star_grant_and_the_policy_naming_the_permission() {
    let mut m = world();
    m.rbac_mut()
        .create_role(
            RoleSpec::new("two", "Two")
                .with_policy(PolicySpec::new("routing", "queue", ["view"]))
                .with_policy(PolicySpec::new("quality", "evaluation", ["view"])),
        )
        .unwrap();
    grant(&mut m, "ada", "two", Some("*"));
    let snap = m.compile();
    let rbac = snap.rbac();
    let cited = |policy: &str| RbacReason::RoleGrant {
        role: "two".into(),
        policy: policy.into(),
        source: orgperm::GrantSource::Direct,
        division: "*".into(),
        conditional: false,
    };
    let d = rbac.explain_permission_on("ada", "routing:queue:view", "emea", &[]);
    assert_eq!((d.allowed, d.reason), (true, cited("routing:queue:view")));
    let d = rbac.explain_permission("ada", "quality:evaluation:view");
    assert_eq!(
        (d.allowed, d.reason),
        (true, cited("quality:evaluation:view"))
    );
    let d = rbac.explain_permission_on("bob", "routing:queue:view", "emea", &[]);
    assert_eq!(
        (d.allowed, d.reason),
        (
            false,
            RbacReason::NoGrant {
                permission: "routing:queue:view".into()
            }
        )
    );
}

/// `p000 … p{n-1}`.
fn wide_names(prefix: &str, n: usize) -> Vec<String> {
    (0..n).map(|i| format!("{prefix}{i:03}")).collect()
}

/// §2, §6: a catalog of 130 permissions and 70 actions (bitsets of three and two words):
/// each role's bits, each user's union of roles and each user's action set land in their
/// own row, past the first role, role set and word.
#[test]
fn bitsets_wider_than_one_word_keep_each_row_apart() {
    let mut m = Model::new();
    for u in ["a", "b", "c", "d", "e"] {
        m.add_user(u, None).unwrap();
    }
    m.rbac_mut().add_division("home", "Home").unwrap();
    for p in wide_names("p", 130) {
        m.rbac_mut()
            .add_permission(PermissionSpec::new(p.clone(), p))
            .unwrap();
    }
    m.rbac_mut()
        .add_actions(
            wide_names("x", 70)
                .into_iter()
                .map(|x| ActionSpec::new(x.clone(), x))
                .collect(),
        )
        .unwrap();
    let roles: [(&str, &[&str]); 4] = [
        ("r0", &["p000"]),
        ("r1", &["p070", "p129"]),
        ("r2", &["p001", "p065"]),
        ("r3", &["p128"]),
    ];
    for (r, perms) in roles {
        let mut spec = RoleSpec::new(r, r);
        for p in perms {
            spec = spec.with_permission(*p);
        }
        m.rbac_mut().create_role(spec).unwrap();
    }
    for (u, rs) in [
        ("a", &["r1"][..]),
        ("b", &["r1", "r2"]),
        ("c", &["r3"]),
        ("d", &["r2", "r3"]),
    ] {
        for r in rs {
            grant(&mut m, u, r, None);
        }
    }
    let bind = |m: &mut Model, id: &str, action: &str, who: Principal| {
        m.rbac_mut()
            .create_global_permission(GlobalPermissionSpec::new(id, action, [who]))
            .unwrap();
    };
    bind(&mut m, "g1", "x065", Principal::role("r1"));
    bind(&mut m, "g2", "x001", Principal::role("r2"));
    bind(&mut m, "g3", "x068", Principal::role("r2"));
    bind(&mut m, "g4", "x069", Principal::user("c"));
    bind(&mut m, "g5", "x066", Principal::role("r3"));
    let snap = m.compile();
    let rbac = snap.rbac();

    let perms = |u: &str| rbac.user_permissions(u);
    assert_eq!(perms("a"), ["p070", "p129"]);
    assert_eq!(perms("b"), ["p001", "p065", "p070", "p129"]);
    assert_eq!(perms("c"), ["p128"]);
    assert_eq!(perms("d"), ["p001", "p065", "p128"]);
    assert!(perms("e").is_empty());
    let holders =
        |p: &str| -> Vec<&str> { rbac.users_holding_permission(p).external_ids().collect() };
    assert_eq!(holders("p129"), ["a", "b"]);
    assert_eq!(holders("p065"), ["b", "d"]);
    assert_eq!(holders("p128"), ["c", "d"]);
    assert!(holders("p000").is_empty());
    assert!(rbac.has_permission("d", "p128") && !rbac.has_permission("d", "p129"));

    let actions = |u: &str| rbac.user_actions(u);
    assert_eq!(actions("a"), ["x065"]);
    assert_eq!(actions("b"), ["x001", "x065", "x068"]);
    assert_eq!(actions("c"), ["x066", "x069"]);
    assert_eq!(actions("d"), ["x001", "x066", "x068"]);
    assert!(actions("e").is_empty());
    assert!(rbac.has_action("c", "x069") && !rbac.has_action("d", "x069"));
}

/// §2: without divisions the base role is held with no division at all, and still grants
/// its permissions.
#[test]
fn the_base_role_without_divisions_grants_its_permissions() {
    let mut m = Model::new();
    m.add_user("ada", None).unwrap();
    m.rbac_mut()
        .add_permission(PermissionSpec::new("employee", "Employee"))
        .unwrap();
    m.rbac_mut()
        .set_default_role_template(
            DefaultRoleTemplate::new(
                "employee",
                RoleSpec::new("emp", "Employee").with_permission("employee"),
            )
            .base(),
        )
        .unwrap();
    m.rbac_mut().restore_default_roles(false).unwrap();
    let snap = m.compile();
    let rbac = snap.rbac();
    assert_eq!(rbac.user_roles("ada"), ["emp"]);
    assert!(rbac.has_permission("ada", "employee"));
    assert_eq!(rbac.user_permissions("ada"), ["employee"]);
    let who: Vec<&str> = rbac
        .users_holding_permission("employee")
        .external_ids()
        .collect();
    assert_eq!(who, ["ada"]);
    let d = rbac.explain_permission("ada", "employee");
    assert_eq!(
        (d.allowed, d.reason),
        (
            true,
            RbacReason::RoleGrant {
                role: "emp".into(),
                policy: "employee".into(),
                source: orgperm::GrantSource::Base,
                division: String::new(),
                conditional: false,
            }
        )
    );
}
