//! The profiles family's definition patch against a fresh compile. It lives in the engine
//! layer, above the model, because it builds its state through the model.

use std::sync::Arc;

use crate::id::{DenseId, ProfileId, UserId, WorkspaceId};
use crate::profile::compiled::CompiledProfiles;
use crate::profile::scope::Rule;
use crate::profile::{Domain, LibraryAccess};
use crate::{Level, Model, ProfileSpec};

const USERS: usize = 14;
const PROFILES: [&str; 4] = ["p0", "p1", "p2", "p3"];

/// Users in a tree of threes, two workspaces, folders, four profiles (one in the second
/// workspace, one unheld), assignments in both workspaces, and enough custom capability
/// names that some fall beyond the dense rows.
fn model() -> Model {
    let mut m = Model::new();
    for i in 0..USERS {
        let boss = (i > 0).then(|| format!("u{}", (i - 1) / 3));
        m.add_user(&format!("u{i}"), boss.as_deref()).unwrap();
    }
    m.add_workspace("ws2").unwrap();
    m.add_folder("wins", None).unwrap();
    m.add_folder("losses", None).unwrap();
    m.add_folder("far", Some("ws2")).unwrap();
    let mut wide = ProfileSpec::new("p0", "p0").with_level(Domain::Calls, Level::All);
    for c in 0..140 {
        wide = wide.with_capability(format!("custom{c}"), true);
    }
    m.create_profile(wide).unwrap();
    m.create_profile(ProfileSpec::new("p1", "p1").with_leads(
        Domain::Deals,
        Level::ManagersTeam,
        ["u2"],
    ))
    .unwrap();
    m.create_profile(
        ProfileSpec::new("p2", "p2")
            .in_workspace("ws2")
            .with_level(Domain::Calls, Level::ManagersTeam),
    )
    .unwrap();
    m.create_profile(ProfileSpec::new("p3", "p3")).unwrap();
    for i in 0..USERS {
        let p = ["p0", "p1", "p1", "p0", "p1"][i % 5];
        m.assign_profile(&format!("u{i}"), p).unwrap();
        if i % 2 == 0 {
            m.assign_profile(&format!("u{i}"), "p2").unwrap();
        }
    }
    m
}

/// A definition drawn from `r`: levels (leads among them) in three domains, a library,
/// documented and custom capabilities (some beyond the dense rows, some new).
fn spec(id: &str, workspace: Option<&str>, mut r: impl FnMut() -> usize) -> ProfileSpec {
    let levels = [
        Level::None,
        Level::Own,
        Level::ReportToThem,
        Level::ManagersTeam,
        Level::All,
    ];
    let mut s = ProfileSpec::new(id, id);
    if let Some(w) = workspace {
        s = s.in_workspace(w);
    }
    for d in [Domain::Calls, Domain::Deals, Domain::Emails] {
        s = match r() % 7 {
            5 => s.with_leads(d, Level::ManagersTeam, ["u1"]),
            6 => s.with_leads(d, Level::ManagersTeam, ["u4", "u2"]),
            k => s.with_level(d, levels[k]),
        };
    }
    s = s.with_library(match r() % 3 {
        0 => LibraryAccess::default(),
        1 => LibraryAccess::all(),
        _ => LibraryAccess::specific([if workspace.is_some() { "far" } else { "wins" }]),
    });
    for _ in 0..r() % 4 {
        s = s.with_capability(
            ["scoreCalls", "custom1", "custom99", "fresh"][r() % 4],
            true,
        );
    }
    s
}

/// Everything the compiled profiles answer, in terms independent of where lead sets are
/// stored: each profile's entry, lead intervals, capabilities and holders; each reverse
/// index; each (workspace, user)'s profile.
fn tables(c: &CompiledProfiles, n_ws: usize) -> Vec<String> {
    let mut out = Vec::new();
    let leads_of = |r: Rule| match r {
        Rule::Leads(s) => Some(c.lead_sets.get(s as usize).cloned()),
        _ => None,
    };
    let rule = |r: Rule| match r {
        Rule::Leads(_) => format!("leads {:?}", leads_of(r)),
        r => format!("{r:?}"),
    };
    for (p, e) in c.profiles.iter().enumerate() {
        let rules: Vec<String> = e.rules.iter().map(|&r| rule(r)).collect();
        let caps: Vec<u32> = c.caps.of_profile(p as u32).map(|c| c.index()).collect();
        out.push(format!(
            "{p} {} {:?} {rules:?} {:?} {:?} {:?} {:?} {} caps {caps:?} holders {:?}",
            e.live,
            e.workspace,
            e.levels,
            e.leads,
            e.library_level,
            e.folders,
            e.library_flags,
            c.holders[p].iter().collect::<Vec<_>>()
        ));
    }
    for (i, index) in c.reverse.iter().enumerate() {
        let leads: Vec<String> = index
            .lead_profiles
            .iter()
            .map(|&(p, s)| format!("{p:?} {:?}", c.lead_sets.get(s as usize)))
            .collect();
        out.push(format!(
            "reverse {i} {:?} {:?} {leads:?}",
            index.everyone.iter().collect::<Vec<_>>(),
            index.managers_team.iter().collect::<Vec<_>>()
        ));
    }
    for w in 0..n_ws {
        for u in 0..USERS {
            let p = c.profile_index(
                UserId::from_index(u as u32),
                WorkspaceId::from_index(w as u32),
            );
            out.push(format!("assign {w} {u} {p}"));
        }
    }
    out
}

fn id(m: &Model, p: &str) -> ProfileId {
    m.profiles.profiles.ids().get(p).unwrap()
}

#[test]
fn a_patch_after_definition_edits_compiles_as_a_fresh_build() {
    let mut m = model();
    let snap = m.compile();
    let org = Arc::clone(&snap.org);
    let n_ws = org.workspaces.len();
    let mut prev = CompiledProfiles::compile(m.profiles.inputs(), &org);
    assert_eq!(tables(&prev, n_ws), tables(&snap.profiles, n_ws));
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    let mut next = || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed as usize
    };
    let (mut patched, mut moved) = (0, 0);
    for step in 0..300 {
        let mut edited = Vec::new();
        for _ in 0..1 + next() % 2 {
            let p = PROFILES[next() % PROFILES.len()];
            // The unheld profile moves between the workspaces now and then.
            let ws = match p {
                "p2" => Some("ws2"),
                "p3" if next() % 3 == 0 => Some("ws2"),
                _ => None,
            };
            let s = spec(p, ws, &mut next);
            m.update_profile(s).unwrap();
            edited.push(id(&m, p));
        }
        let fresh = CompiledProfiles::compile(m.profiles.inputs(), &org);
        let Some(after) = prev.patch_profiles(m.profiles.inputs(), &org, &edited) else {
            panic!("step {step}: a definition edit is patched");
        };
        assert_eq!(tables(&after, n_ws), tables(&fresh, n_ws), "step {step}");
        // Lead sets are reused in place: the table does not grow with the edits.
        assert!(after.lead_sets.len() <= PROFILES.len() * Domain::COUNT);
        let beyond = |p: u32| after.caps.of_profile(p).any(|c| c.index() >= 128);
        moved += usize::from((1..4).any(beyond));
        patched += 1;
        prev = after;
    }
    assert_eq!(patched, 300);
    assert!(
        moved > 0,
        "some edits give a profile a name beyond the dense rows"
    );
    // The first snapshot's tables are untouched by the patches after it.
    assert_eq!(
        tables(&snap.profiles, n_ws),
        tables(
            &CompiledProfiles::compile(model().profiles.inputs(), &org),
            n_ws
        )
    );
}

#[test]
fn a_held_profile_moved_to_another_workspace_or_deleted_is_compiled_whole() {
    let mut m = model();
    let org = Arc::clone(&m.compile().org);
    let before = CompiledProfiles::compile(m.profiles.inputs(), &org);
    let p3 = id(&m, "p3");
    // Unheld: its workspace may change, and the patch follows.
    m.update_profile(ProfileSpec::new("p3", "p3").in_workspace("ws2").with_leads(
        Domain::Calls,
        Level::ManagersTeam,
        ["u1"],
    ))
    .unwrap();
    let after = before
        .patch_profiles(m.profiles.inputs(), &org, &[p3])
        .unwrap();
    let fresh = CompiledProfiles::compile(m.profiles.inputs(), &org);
    assert_eq!(tables(&after, 2), tables(&fresh, 2));
    m.delete_profile("p3").unwrap();
    assert!(
        after
            .patch_profiles(m.profiles.inputs(), &org, &[p3])
            .is_none()
    );
}

#[test]
fn a_definition_patch_shares_every_table_it_does_not_write() {
    let mut m = model();
    let org = Arc::clone(&m.compile().org);
    let before = CompiledProfiles::compile(m.profiles.inputs(), &org);
    // p1: deals from managers-team with leads to all; calls stay none.
    m.update_profile(ProfileSpec::new("p1", "p1").with_level(Domain::Deals, Level::All))
        .unwrap();
    let p1 = id(&m, "p1");
    let after = before
        .patch_profiles(m.profiles.inputs(), &org, &[p1])
        .unwrap();
    let fresh = CompiledProfiles::compile(m.profiles.inputs(), &org);
    assert_eq!(tables(&after, 2), tables(&fresh, 2));
    let ws = WorkspaceId::DEFAULT;
    let index = |c: &CompiledProfiles, d: Domain| c.domain_index(ws, d).unwrap().clone();
    // The deals index took p1's holders; the calls index is shared as it was.
    let (b, a) = (index(&before, Domain::Deals), index(&after, Domain::Deals));
    assert!(!Arc::ptr_eq(&b.everyone, &a.everyone));
    assert_eq!(a.everyone.len(), after.holders[p1.index() as usize].len());
    assert!(b.lead_profiles.iter().any(|&(p, _)| p == p1));
    assert!(a.lead_profiles.is_empty());
    let (b, a) = (index(&before, Domain::Calls), index(&after, Domain::Calls));
    assert!(Arc::ptr_eq(&b.everyone, &a.everyone));
    assert!(Arc::ptr_eq(&b.managers_team, &a.managers_team));
    for (x, y) in before.holders.iter().zip(&after.holders) {
        assert!(Arc::ptr_eq(x, y));
    }
}

#[test]
fn new_capability_names_that_widen_the_rows_rebuild_them() {
    let mut m = Model::new();
    m.add_user("ada", None).unwrap();
    let mut s = ProfileSpec::new("p", "p");
    for c in 0..20 {
        s = s.with_capability(format!("c{c}"), true);
    }
    m.create_profile(s.clone()).unwrap();
    m.create_profile(ProfileSpec::new("q", "q").with_capability("c3", true))
        .unwrap();
    m.assign_profile("ada", "q").unwrap();
    let org = Arc::clone(&m.compile().org);
    let before = CompiledProfiles::compile(m.profiles.inputs(), &org);
    // 42 documented and 20 custom names: one word; five more: two.
    for c in 20..25 {
        s = s.with_capability(format!("c{c}"), true);
    }
    m.update_profile(s).unwrap();
    let after = before
        .patch_profiles(m.profiles.inputs(), &org, &[id(&m, "p")])
        .unwrap();
    let fresh = CompiledProfiles::compile(m.profiles.inputs(), &org);
    assert_eq!(tables(&after, 1), tables(&fresh, 1));
    assert_eq!(after.caps.of_profile(0).count(), 25);
}
