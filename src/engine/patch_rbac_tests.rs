//! The rbac family's patch against a fresh compile. It lives in the engine layer, above
//! the model, because it builds its state through the model.

use std::sync::Arc;

use crate::id::{DenseId, UserId};
use crate::rbac::catalog::PermissionSpec;
use crate::rbac::compiled::*;
use crate::rbac::ids::{RoleId, ix};
use crate::rbac::role::RoleSpec;
use crate::rbac::tables::Appended;
use crate::{
    ActionSpec, Condition, DefaultRoleTemplate, GlobalPermissionSpec, Model, PolicySpec, Principal,
    Subject,
};

const USERS: usize = 12;

/// Three divisions, a base role, roles with and without conditions, a view-only one and
/// an admin one, actions bound to a role and to a user, two groups with grants, a client.
fn model() -> Model {
    let mut m = Model::new();
    for i in 0..USERS {
        let boss = (i > 0).then(|| format!("u{}", (i - 1) / 3));
        m.add_user(&format!("u{i}"), boss.as_deref()).unwrap();
    }
    let mut r = m.rbac_mut();
    for d in ["home", "emea", "apac"] {
        r.add_division(d, d).unwrap();
    }
    r.add_permission(PermissionSpec::new("q:x:view", "V").division_aware())
        .unwrap();
    r.add_permission(
        PermissionSpec::new("q:x:edit", "E")
            .division_aware()
            .allowing_conditions(),
    )
    .unwrap();
    r.add_permission(PermissionSpec::new("admin", "Admin"))
        .unwrap();
    r.set_default_role_template(
        DefaultRoleTemplate::new(
            "employee",
            RoleSpec::new("emp", "Employee").with_policy(PolicySpec::new("q", "x", ["view"])),
        )
        .base(),
    )
    .unwrap();
    r.restore_default_roles(false).unwrap();
    r.create_role(RoleSpec::new("r1", "R1").with_policy(PolicySpec::new("q", "x", ["view"])))
        .unwrap();
    r.create_role(RoleSpec::new("r2", "R2").with_policy(
        PolicySpec::new("q", "x", ["edit"]).with_condition(Condition::eq("x.id", "1")),
    ))
    .unwrap();
    r.create_role(RoleSpec::new("adm", "Admins").with_permission("admin"))
        .unwrap();
    r.create_role(
        RoleSpec::new("vo", "Viewers")
            .view_only()
            .with_policy(PolicySpec::new("q", "x", ["view"])),
    )
    .unwrap();
    r.add_actions(vec![
        ActionSpec::new("acc", "Access"),
        ActionSpec::new("man", "Manage").requiring("acc"),
    ])
    .unwrap();
    r.create_global_permission(GlobalPermissionSpec::new("gp", "man", ["r2"]))
        .unwrap();
    r.create_global_permission(GlobalPermissionSpec::new(
        "gu",
        "acc",
        [Principal::user("u3")],
    ))
    .unwrap();
    r.add_group("g", "G").unwrap();
    r.add_group("h", "H").unwrap();
    r.grant_role(Subject::Group("g"), "r1", Some("emea"))
        .unwrap();
    r.grant_role(Subject::Group("h"), "r2", Some("*")).unwrap();
    r.add_group_members("g", &["u1", "u2"]).unwrap();
    r.add_group_members("h", &["u4", "u2"]).unwrap();
    r.grant_role(Subject::Client("c"), "r1", None).unwrap();
    r.grant_role(Subject::User("u0"), "adm", Some("*")).unwrap();
    r.grant_role(Subject::User("u5"), "r1", Some("apac"))
        .unwrap();
    m
}

/// Every per-user answer of the compiled tables, in terms independent of the interning
/// order: grants, role-set bits, flags, action bits, explanation rows; and the holders.
fn tables(c: &CompiledRbac, n: usize) -> Vec<String> {
    let bits = |t: &Appended<u64>, w: usize, s: u32| {
        t.slice(s as usize * w, (s as usize + 1) * w).to_vec()
    };
    let set = |s: u32| bits(&c.sets, c.words, s);
    let mut out = Vec::new();
    for u in 0..n {
        let id = UserId::from_index(u as u32);
        let combo = c.combo_of(id).map(|k| {
            let divs: Vec<_> = k.divs.iter().map(|&(d, s)| (d, set(s))).collect();
            (
                c.grants_of(k).to_vec(),
                set(k.any),
                set(k.star),
                divs,
                k.conditional,
                k.view_only,
            )
        });
        let any = set(c.user_any.get(u).copied().unwrap_or(0));
        let acts = bits(
            &c.action_sets,
            c.action_words,
            c.user_actions.get(u).copied().unwrap_or(0),
        );
        out.push(format!(
            "{u} {combo:?} any {any:?} actions {acts:?} direct {:?} groups {:?}",
            c.user_direct.row(u),
            c.user_groups.row(u)
        ));
    }
    for r in 0..c.roles.len() as u32 {
        let r = RoleId::new(r);
        out.push(format!(
            "role {r:?} {:?} {:?}",
            c.holders_any_of(r).map(|b| b.iter().collect::<Vec<_>>()),
            c.holders_star_of(r).map(|b| b.iter().collect::<Vec<_>>())
        ));
    }
    for (k, b) in &c.holders_div {
        out.push(format!("div {k} {:?}", b.iter().collect::<Vec<_>>()));
    }
    for (client, k) in c.client_combo.iter() {
        let k = c.combos.get(*k as usize).map(|k| c.grants_of(k).to_vec());
        out.push(format!("client {client} {k:?}"));
    }
    out
}

#[test]
fn a_patch_after_grant_edits_compiles_as_a_fresh_build() {
    let mut m = model();
    let snap = m.compile();
    let org = Arc::clone(&snap.org);
    let mut prev = CompiledRbac::build(&m.rbac, &org);
    assert_eq!(tables(&prev, USERS), tables(&snap.rbac, USERS));
    let roles = ["r1", "r2", "adm", "vo", "emp"];
    let divisions = [None, Some("emea"), Some("*"), Some("apac"), Some("home")];
    let mut seed = 0x9e37_79b9_7f4a_7c15u64;
    let mut next = || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed as usize
    };
    let mut patched = 0;
    for step in 0..300 {
        let mut touched = Vec::new();
        for _ in 0..1 + next() % 3 {
            let u = format!("u{}", next() % USERS);
            let role = roles[next() % roles.len()];
            let division = divisions[next() % divisions.len()];
            let subject = Subject::User(&u);
            // Refused edits (a view-only role with another, the base role) change
            // nothing; the user is named all the same.
            let _ = if next() % 2 == 0 {
                m.rbac_mut().grant_role(subject, role, division).map(drop)
            } else {
                m.rbac_mut().revoke_role(subject, role, division).map(drop)
            };
            touched.push(m.dir.ids.get(&u).unwrap());
        }
        let fresh = CompiledRbac::build(&m.rbac, &org);
        let Some(after) = prev.patch(&m.rbac, &org, &touched) else {
            panic!("step {step}: a grant edit is patched");
        };
        assert_eq!(tables(&after, USERS), tables(&fresh, USERS), "step {step}");
        assert!(after.combos.len() >= fresh.combos.len());
        patched += 1;
        prev = after;
    }
    assert_eq!(patched, 300);
    // The old snapshot's tables are untouched by the patches after it.
    assert_eq!(
        tables(&snap.rbac, USERS),
        tables(&CompiledRbac::build(&model().rbac, &org), USERS)
    );

    // A removed user (its org compiled again) named by a patch keeps no combination.
    m.remove_user("u11").unwrap();
    let org = Arc::clone(&m.compile().org);
    let before = CompiledRbac::build(&m.rbac, &org);
    let u11 = m.dir.ids.get("u11").unwrap();
    let after = before.patch(&m.rbac, &org, &[u11]).unwrap();
    assert_eq!(
        tables(&after, USERS),
        tables(&CompiledRbac::build(&m.rbac, &org), USERS)
    );
}

#[test]
fn a_patch_shares_every_table_it_does_not_write() {
    let mut m = model();
    let org = Arc::clone(&m.compile().org);
    let before = CompiledRbac::build(&m.rbac, &org);
    m.rbac_mut()
        .grant_role(Subject::User("u7"), "r1", Some("apac"))
        .unwrap();
    let u7 = m.dir.ids.get("u7").unwrap();
    let after = before.patch(&m.rbac, &org, &[u7]).unwrap();
    assert!(Arc::ptr_eq(&before.roles, &after.roles));
    assert!(Arc::ptr_eq(&before.catalog, &after.catalog));
    let r1 = ix(m.rbac.roles.live("r1").unwrap().0);
    let r2 = ix(m.rbac.roles.live("r2").unwrap().0);
    // r1 gained a holder; r2's holders are shared.
    assert!(!Arc::ptr_eq(
        &before.holders_any[r1],
        &after.holders_any[r1]
    ));
    assert!(Arc::ptr_eq(&before.holders_any[r2], &after.holders_any[r2]));
    assert!(after.holders_any[r1].len() == before.holders_any[r1].len() + 1);
}

/// A spec for role `id` (named `name`) drawn from `r`: flat permissions, policies with and
/// without a condition, view-only or not.
fn role_spec(id: &str, name: &str, mut r: impl FnMut() -> usize) -> RoleSpec {
    let mut s = RoleSpec::new(id, name);
    if r() % 4 == 0 {
        s = s.with_permission("admin");
    }
    for _ in 0..r() % 3 {
        let actions = [&["view"][..], &["edit"], &["view", "edit"], &["*"]][r() % 4];
        let p = PolicySpec::new("q", "x", actions.iter().copied());
        s = s.with_policy(if r() % 3 == 0 && !actions.contains(&"view") {
            p.with_condition(Condition::eq("x.id", "2"))
        } else {
            p
        });
    }
    if id == "vo" && r() % 2 == 0 {
        s = s.view_only();
    }
    s
}

#[test]
fn a_patch_after_role_edits_compiles_as_a_fresh_build() {
    let mut m = model();
    let snap = m.compile();
    let org = Arc::clone(&snap.org);
    let mut prev = CompiledRbac::build(&m.rbac, &org);
    let roles = [
        ("r1", "R1"),
        ("r2", "R2"),
        ("adm", "Admins"),
        ("vo", "Viewers"),
    ];
    let mut seed = 0x6a09_e667_f3bc_c909u64;
    let mut next = || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed as usize
    };
    let (mut applied, mut moved) = (0, 0);
    for step in 0..300 {
        let mut edited = Vec::new();
        let mut users = Vec::new();
        for _ in 0..1 + next() % 2 {
            let (id, name) = roles[next() % roles.len()];
            // A refused edit (view-only while held with another role) changes nothing; the
            // role is named all the same.
            applied += usize::from(
                m.rbac_mut()
                    .update_role(role_spec(id, name, &mut next))
                    .is_ok(),
            );
            edited.push(m.rbac.roles.live(id).unwrap().0);
        }
        // Now and then a grant edit in the same commit, patched after the specs.
        if next() % 3 == 0 {
            let u = format!("u{}", next() % USERS);
            let role = roles[next() % 3].0;
            let _ = m.rbac_mut().grant_role(Subject::User(&u), role, None);
            users.push(m.dir.ids.get(&u).unwrap());
        }
        let fresh = CompiledRbac::build(&m.rbac, &org);
        let Some(specs) = prev.patch_roles(&m.rbac, &org, &edited) else {
            panic!("step {step}: a role edit is patched");
        };
        let after = specs.patch(&m.rbac, &org, &users).unwrap();
        assert_eq!(tables(&after, USERS), tables(&fresh, USERS), "step {step}");
        for r in &edited {
            let (a, f) = (after.role(*r).unwrap(), fresh.role(*r).unwrap());
            assert_eq!((a.admin, &a.spec), (f.admin, &f.spec), "step {step}");
            assert_eq!(a.conditional.len(), f.conditional.len(), "step {step}");
        }
        moved += usize::from((0..USERS).any(|u| after.user_any.get(u) != prev.user_any.get(u)));
        prev = after;
    }
    assert!(applied > 300, "most role edits apply");
    assert!(moved > 50, "role edits move users' role sets");
    assert_eq!(
        tables(&snap.rbac, USERS),
        tables(&CompiledRbac::build(&model().rbac, &org), USERS)
    );
    // After a role created (another role table), the patch declines.
    m.rbac_mut()
        .create_role(RoleSpec::new("new", "New"))
        .unwrap();
    let r1 = m.rbac.roles.live("r1").unwrap().0;
    assert!(prev.patch_roles(&m.rbac, &org, &[r1]).is_none());
}

#[test]
fn a_role_patch_shares_every_table_it_does_not_write() {
    let mut m = model();
    let org = Arc::clone(&m.compile().org);
    let before = CompiledRbac::build(&m.rbac, &org);
    m.rbac_mut()
        .update_role(RoleSpec::new("r1", "R1").with_policy(PolicySpec::new("q", "x", ["*"])))
        .unwrap();
    let r1 = m.rbac.roles.live("r1").unwrap().0;
    let after = before.patch_roles(&m.rbac, &org, &[r1]).unwrap();
    assert_eq!(
        tables(&after, USERS),
        tables(&CompiledRbac::build(&m.rbac, &org), USERS)
    );
    // Grants did not change: combinations by user, holders, actions, explanation rows.
    assert!(Arc::ptr_eq(&before.catalog, &after.catalog));
    for (x, y) in before.holders_any.iter().zip(&after.holders_any) {
        assert!(Arc::ptr_eq(x, y));
    }
    assert_eq!(before.combos.len(), after.combos.len());
    for u in 0..USERS {
        assert_eq!(before.user_combo.get(u), after.user_combo.get(u));
    }
    assert!(!Arc::ptr_eq(&before.role_bits, &after.role_bits));
}
