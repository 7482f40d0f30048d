//! The main job: build a 100,000-user synthetic org with every family (profiles, roles with
//! divisions, calls, items, networks), compile it, and show decisions with their
//! explanations, reverse-query sizes and the measured cost of a check.
//!
//! Every label below is worked out from the model (who reports to whom, who owns or takes
//! part in a call, who holds which grant), not from the answer it labels.
//!
//! Run with `cargo run --release --example demo` (optionally `-- <users>`).

use std::hint::black_box;
use std::time::Instant;

use orgperm::{Capability, Domain, ItemType, Model, PermittedDivisions, UserId, Verb};
use orgperm_synth::items::{ItemsConfig, add_items};
use orgperm_synth::rbac::{RbacConfig, add_rbac};
use orgperm_synth::{ObjectsConfig, SynthConfig, add_objects, call_id, generate};

/// Whether `user` is `root` or below it in the org chart.
fn in_subtree(model: &Model, user: &str, root: &str) -> bool {
    let mut at = Some(user);
    for _ in 0..=model.user_count() {
        match at {
            Some(u) if u == root => return true,
            Some(u) => at = model.manager_of(u),
            None => return false,
        }
    }
    false
}

fn main() {
    let users: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(100_000);

    let t = Instant::now();
    let mut org = generate(&SynthConfig::new(users).seed(42));
    let roles = add_rbac(&mut org, &RbacConfig::new());
    let items = add_items(&mut org, &ItemsConfig::new());
    let objects = add_objects(&mut org, &ObjectsConfig::new().calls_per_user(2));
    println!(
        "generated {users} users, {} roles, {} divisions, {} calls, {} items, {} advisors in {:.1?}",
        roles.roles.len(),
        roles.divisions.len(),
        objects.calls,
        items.sessions.len()
            + items.goals.len()
            + items.metrics.len()
            + items.insight_boards.len()
            + items.dashboards.len(),
        objects.advisors.len(),
        t.elapsed()
    );

    let t = Instant::now();
    let snap = org.model.compile();
    let compile = t.elapsed();
    let mem = snap.memory();
    println!(
        "compiled in {compile:.1?}: {:.1} bytes/user for the org tree, user ids and profiles \
         ({:.1} in all, +{} KiB of id text)",
        mem.core_per_user(),
        mem.per_user(),
        mem.id_text_bytes / 1024
    );
    let model = &org.model;

    let boss = org.managers[0].as_str();
    let mid = org.managers[org.managers.len() / 2].as_str();
    let rep = org.reps[org.reps.len() / 2].as_str();
    let admin = org.admins[0].as_str();
    let enabler = org.enablement.first().map_or(rep, String::as_str);
    // A direct report of the mid manager, a peer of the rep (same manager), the mid
    // manager's own manager.
    let some_report = model
        .user_ids()
        .find(|&u| model.manager_of(u) == Some(mid))
        .unwrap_or(mid);
    let rep_manager = model.manager_of(rep);
    let peer = model
        .user_ids()
        .find(|&u| u != rep && rep_manager.is_some() && model.manager_of(u) == rep_manager)
        .unwrap_or(rep);
    let above_mid = model.manager_of(mid).unwrap_or(boss);
    let outside = model
        .user_ids()
        .find(|&u| !in_subtree(model, u, mid) && !in_subtree(model, mid, u))
        .unwrap_or(boss);

    println!("\nprofiles (Gong):");
    let show = |label: &str, v: &str, d: Domain, o: &str| {
        println!("  {label:<44} {}", snap.explain(v, d, o));
    };
    show(
        "manager -> own report's calls",
        mid,
        Domain::Calls,
        some_report,
    );
    show(
        "manager -> their own manager's calls",
        mid,
        Domain::Calls,
        above_mid,
    );
    show(
        "manager -> calls of someone outside their tree",
        mid,
        Domain::Calls,
        outside,
    );
    show(
        "rep -> a peer's calls (same manager)",
        rep,
        Domain::Calls,
        peer,
    );
    show("rep -> a peer's deals", rep, Domain::Deals, peer);
    show(
        "enablement -> someone's coaching",
        enabler,
        Domain::Coaching,
        some_report,
    );
    show("admin -> anyone's forecast", admin, Domain::Forecast, rep);
    show("unknown viewer", "no-such-user", Domain::Calls, rep);
    println!(
        "  {:<44} {}",
        "rep -> scoreCalls capability",
        snap.profiles()
            .explain_capability(rep, Capability::SCORE_CALLS)
    );
    println!(
        "  {:<44} {}",
        "rep -> folder-001",
        snap.profiles().explain_folder(rep, "folder-001")
    );

    // Roles (Genesys): a division-aware permission in a division the user holds it in, and
    // in one they do not.
    println!("\nroles and divisions (Genesys):");
    let home = model.rbac().home_division().unwrap_or("");
    // A holder whose grants of the atom are limited to some divisions.
    let held = roles.aware_atoms.iter().find_map(|atom| {
        let holders = snap.rbac().users_with_permission(atom.as_str(), home);
        holders.external_ids().take(200).find_map(|holder| {
            let PermittedDivisions::Only(divisions) =
                snap.rbac().divisions_permitted(holder, atom.as_str())
            else {
                return None;
            };
            let other = roles.divisions.iter().find(|d| {
                snap.rbac()
                    .division_id(d)
                    .is_some_and(|id| !divisions.contains(&id))
            })?;
            Some((atom.as_str(), holder.to_owned(), other.as_str()))
        })
    });
    if let Some((atom, holder, other)) = held {
        println!(
            "  {:<44} {}",
            format!("holder -> {atom} in {home}"),
            snap.rbac()
                .explain_permission_on(holder.as_str(), atom, home, &[])
        );
        println!(
            "  {:<44} {}",
            format!("holder -> it in {other} (no grant there)"),
            snap.rbac()
                .explain_permission_on(holder.as_str(), atom, other, &[])
        );
        println!(
            "  {:<44} {} users",
            format!("holders of {atom} in {home}"),
            snap.rbac().users_with_permission(atom, home).len()
        );
    }

    // Calls (Gong): a report's public call and a report's private call, seen by the manager.
    println!("\ncalls (Gong):");
    // The viewer is the owner's manager, who neither takes part in the call nor had it
    // shared.
    let report_call = |private: bool| {
        (0..objects.calls).map(call_id).find_map(|id| {
            let c = model.calls().call(&id)?;
            let manager = model.manager_of(c.owner.as_deref()?)?.to_owned();
            let apart = !c.participants.contains(&manager) && !c.shared_with.contains(&manager);
            (c.private == private && apart).then_some((id, manager))
        })
    };
    if let Some((c, manager)) = report_call(false) {
        println!(
            "  {:<44} {}",
            "manager -> a report's public call",
            snap.calls().explain(manager.as_str(), c.as_str())
        );
        println!(
            "  {:<44} {} users",
            "who may open that call",
            snap.calls().who_can_open(c.as_str()).len()
        );
    }
    if let Some((c, manager)) = report_call(true) {
        println!(
            "  {:<44} {}",
            "manager -> a report's private call",
            snap.calls().explain(manager.as_str(), c.as_str())
        );
    }
    println!(
        "  {:<44} {} calls",
        "calls the mid manager may open",
        snap.calls().visible(mid).len()
    );

    // Items (Quantive): a contributor and a view-only user on the same session.
    println!("\nitems (Quantive):");
    // A session whose own access list names the contributor role.
    let listed = items.sessions.iter().find(|id| {
        model.items().item(id).is_some_and(|spec| {
            spec.access.is_some_and(|a| {
                a.permissions
                    .iter()
                    .any(|e| e.principal_id == items.contributor_role)
            })
        })
    });
    if let Some(session) = listed {
        for (label, u) in [
            (
                "contributor -> a session listing their role",
                items.contributors.first(),
            ),
            (
                "view-only user -> the same session",
                items
                    .view_only_users
                    .first()
                    .or(roles.view_only_users.first()),
            ),
        ] {
            if let Some(u) = u {
                let verbs = snap.items().actions(u.as_str(), session.as_str());
                let verbs: Vec<&str> = verbs.names().collect();
                println!(
                    "  {label:<44} {verbs:?}; update: {}",
                    snap.items()
                        .explain(u.as_str(), session.as_str(), Verb::Update)
                );
            }
        }
    }
    if let Some(u) = items.contributors.first() {
        println!(
            "  {:<44} {} sessions",
            "sessions the contributor may read",
            snap.items().readable(u.as_str(), ItemType::Session).len()
        );
    }

    // Networks (Symphony): an entitled advisor and a user who is not one.
    println!("\nnetworks (Symphony):");
    if let Some(advisor) = objects.advisors.first() {
        let network = ["WHATSAPP", "WECHAT", "SMS", "SMS-DIRECT", "LINE"]
            .into_iter()
            .find(|n| snap.networks().is_entitled(advisor.as_str(), *n))
            .unwrap_or("WHATSAPP");
        println!(
            "  {:<44} {}",
            format!("advisor -> create:room on {network}"),
            snap.networks()
                .explain_permission(advisor.as_str(), network, "create:room")
        );
        let not_advisor = model
            .user_ids()
            .find(|u| !objects.advisors.iter().any(|a| a == u))
            .unwrap_or(rep);
        println!(
            "  {:<44} {}",
            format!("non-advisor -> create:room on {network}"),
            snap.networks()
                .explain_permission(not_advisor, network, "create:room")
        );
        println!(
            "  {:<44} {}",
            format!("advisors with create:room on {network}"),
            snap.networks()
                .advisors_with_permission(network, "create:room")
                .len()
        );
    }

    println!("\nreverse queries (profiles):");
    for (label, v) in [
        ("top manager", boss),
        ("mid manager", mid),
        ("rep", rep),
        ("enablement", enabler),
    ] {
        println!(
            "  calls visible to {label:<12} {:>7} users",
            snap.profiles().visible_owners(v, Domain::Calls).len()
        );
    }
    for (label, o) in [("rep", rep), ("mid manager", mid), ("CEO", admin)] {
        println!(
            "  who can see calls of {label:<12} {:>4} users",
            snap.profiles().who_can_access(o, Domain::Calls).len()
        );
    }

    // Time per check: a fixed pseudo-random stream of (viewer, owner) pairs.
    println!(
        "  holders of scoreCalls                 {:>7} users",
        snap.profiles()
            .who_has_capability(Capability::SCORE_CALLS)
            .len()
    );

    let ids: Vec<UserId> = (0..users)
        .filter_map(|i| snap.user_id(&orgperm_synth::user_id(i)))
        .collect();
    let mut rng = orgperm_synth::Rng::new(9);
    let pairs: Vec<(UserId, UserId)> = (0..1 << 20)
        .map(|_| {
            let v = ids[rng.range(0, ids.len() as u64 - 1) as usize];
            let o = ids[rng.range(0, ids.len() as u64 - 1) as usize];
            (v, o)
        })
        .collect();
    let t = Instant::now();
    let mut allowed = 0u32;
    for _ in 0..8 {
        for &(v, o) in &pairs {
            allowed += snap.can_access(black_box(v), Domain::Calls, black_box(o)) as u32;
        }
    }
    let per_check = t.elapsed().as_nanos() as f64 / (8 * pairs.len()) as f64;
    println!(
        "\ncan_access (dense ids): {per_check:.1} ns per check over {} random pairs ({allowed} allowed)",
        8 * pairs.len()
    );
    let names: Vec<(String, String)> = pairs[..1 << 16]
        .iter()
        .map(|&(v, o)| {
            (
                snap.user_name(v).unwrap().to_owned(),
                snap.user_name(o).unwrap().to_owned(),
            )
        })
        .collect();
    let t = Instant::now();
    let mut allowed = 0u32;
    for _ in 0..8 {
        for (v, o) in &names {
            allowed +=
                snap.can_access(black_box(v.as_str()), Domain::Calls, black_box(o.as_str())) as u32;
        }
    }
    let per_check = t.elapsed().as_nanos() as f64 / (8 * names.len()) as f64;
    println!("can_access (external ids): {per_check:.1} ns per check ({allowed} allowed)");
}
