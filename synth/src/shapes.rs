//! Shapes that break naive code by their size, shared by the `scale` bench and tests.

use orgperm::{CallSpec, Level, Model, ProfileSpec};

/// `workspaces` workspaces (the first is the default one), one `report-to-them` profile with
/// `scoreCalls` in each, and `users` users in an 8-ary tree (`u0` the root), each assigned in
/// exactly one workspace (`u % workspaces`); a call in the default workspace (owned by the
/// last user) and one in `w7`, so the calls' per-(workspace, user) viewer table exists.
///
/// # Examples
///
/// ```
/// let m = orgperm_synth::shapes::many_workspaces(100, 10);
/// let snap = m.compile();
/// let w7 = snap.workspace_id("w7").unwrap();
/// assert!(snap.in_workspace(w7).can_access("u7", orgperm::Domain::Calls, "u57"));
/// ```
pub fn many_workspaces(users: usize, workspaces: usize) -> Model {
    let mut m = Model::new();
    for w in 1..workspaces {
        let _ = m.add_workspace(&format!("w{w}"));
    }
    for w in 0..workspaces {
        let spec = ProfileSpec::new(format!("p{w}"), format!("P{w}"))
            .with_all_levels(Level::ReportToThem)
            .with_capability("scoreCalls", true);
        let spec = if w == 0 {
            spec
        } else {
            spec.in_workspace(format!("w{w}"))
        };
        let _ = m.create_profile(spec);
    }
    let _ = m.add_user("u0", None);
    for u in 1..users {
        let _ = m.add_user(&format!("u{u}"), Some(&format!("u{}", (u - 1) / 8)));
    }
    for u in 0..users {
        let _ = m.assign_profile(&format!("u{u}"), &format!("p{}", u % workspaces.max(1)));
    }
    let _ = m.calls_mut().add_call(CallSpec::new(
        "c-default",
        format!("u{}", users.saturating_sub(1)),
    ));
    let _ = m
        .calls_mut()
        .add_call(CallSpec::new("c-w7", "u57").in_workspace("w7"));
    m
}
