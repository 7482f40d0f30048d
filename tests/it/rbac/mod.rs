//! Roles and permissions: one test per rule of docs/semantics.md §2 and the global part of §3,
//! and one per validation error.

use orgperm::{
    ActionSpec, Condition, DefaultRoleTemplate, Error, GlobalPermissionSpec, GrantSource,
    InputErrorKind, Model, OrgErrorKind, PermissionId, PermissionQuery, PermissionSpec,
    PermittedDivisions, PolicySpec, Principal, RbacErrorKind, RbacReason, RoleQuery, RoleSort,
    RoleSpec, Snapshot, Subject,
};

// ---- fixtures -----------------------------------------------------------------------------

/// Three divisions (home first), four users, a small catalog with every kind of permission.
fn world() -> Model {
    let mut m = Model::new();
    for (id, name) in [("home", "Home"), ("emea", "EMEA"), ("apac", "APAC")] {
        m.rbac_mut().add_division(id, name).unwrap();
    }
    for u in ["ada", "bob", "cy", "dee"] {
        m.add_user(u, None).unwrap();
    }
    m.rbac_mut().enable_product("engage").unwrap();
    for p in [
        PermissionSpec::new("admin", "Administrator"),
        PermissionSpec::new("employee", "Employee"),
        PermissionSpec::new("routing:queue:view", "View queues")
            .division_aware()
            .allowing_conditions(),
        PermissionSpec::new("routing:queue:edit", "Edit queues").division_aware(),
        PermissionSpec::new("routing:skill:view", "View skills"),
        PermissionSpec::new("directory:user:view", "View users"),
        PermissionSpec::new("quality:evaluation:view", "View evaluations").allowing_conditions(),
        PermissionSpec::new("outbound:campaign:view", "View campaigns")
            .division_aware()
            .in_product("engage"),
        PermissionSpec::new("wfm:schedule:view", "View schedules").in_product("wem"),
    ] {
        m.rbac_mut().add_permission(p).unwrap();
    }
    m
}

fn policy(d: &str, e: &str, actions: &[&str]) -> PolicySpec {
    PolicySpec::new(d, e, actions.iter().copied())
}

fn role(id: &str, policies: &[PolicySpec]) -> RoleSpec {
    let mut r = RoleSpec::new(id, format!("Role {id}"));
    for p in policies {
        r = r.with_policy(p.clone());
    }
    r
}

fn grant(m: &mut Model, user: &str, role: &str, division: Option<&str>) {
    m.rbac_mut()
        .grant_role(Subject::User(user), role, division)
        .unwrap();
}

/// Asserts that an edit was refused at `path` with exactly `kind`; a failure names the
/// caller's line.
#[track_caller]
fn refused<T, K: PartialEq + std::fmt::Debug + std::fmt::Display>(
    result: Result<T, Error<K>>,
    path: &str,
    kind: K,
) {
    match result {
        Ok(_) => panic!("accepted; expected {kind:?} at {path:?}"),
        Err(e) => {
            assert_eq!(e.path(), path, "{e}");
            assert_eq!(e.kind(), &kind, "{e}");
        }
    }
}

#[track_caller]
fn err_at<K: Clone + std::fmt::Display>(e: Error<K>, path: &str) -> K {
    assert_eq!(e.path(), path, "{e}");
    e.kind().clone()
}

fn base_template(m: &mut Model, policies: &[PolicySpec]) {
    let mut body = RoleSpec::new("emp", "Employee").with_permission("employee");
    for p in policies {
        body = body.with_policy(p.clone());
    }
    m.rbac_mut()
        .set_default_role_template(DefaultRoleTemplate::new("employee", body).base())
        .unwrap();
}

fn with_templates() -> Model {
    let mut m = world();
    base_template(&mut m, &[policy("directory", "user", &["view"])]);
    let sup = RoleSpec::new("sup", "Supervisor")
        .with_description("v1")
        .with_policy(policy("routing", "queue", &["*"]));
    m.rbac_mut()
        .set_default_role_template(DefaultRoleTemplate::new("supervisor", sup))
        .unwrap();
    m
}

fn queried() -> Model {
    let mut m = with_templates();
    m.rbac_mut().restore_default_roles(false).unwrap();
    m.rbac_mut()
        .create_role(role(
            "r",
            &[
                policy("routing", "queue", &["edit"]),
                policy("routing", "skill", &["view"]),
            ],
        ))
        .unwrap();
    m.rbac_mut()
        .create_role(RoleSpec::new("a", "Admins").with_permission("admin"))
        .unwrap();
    m.rbac_mut().add_group("g", "Support").unwrap();
    m.rbac_mut().add_group_members("g", &["bob", "cy"]).unwrap();
    m.rbac_mut()
        .grant_role(Subject::Group("g"), "r", Some("emea"))
        .unwrap();
    grant(&mut m, "ada", "a", Some("*"));
    grant(&mut m, "bob", "r", Some("apac"));
    m
}

mod actions;
mod catalog;
mod conditions;
mod default_roles;
mod divisions;
mod document;
mod groups;
mod membership;
mod products;
mod queries;
mod roles;
