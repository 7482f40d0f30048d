//! Property tests: the compiled snapshot against the reference evaluator on random forests
//! (small ones, and ones of a few hundred users grown wide or deep), profiles (some domains
//! left unset; built through the editing API or read from a document), assignments, moves and
//! removals, for every query forward and reverse, the bulk path of `filter_owners` included.

use std::collections::{BTreeSet, HashMap};

use orgperm::{
    Domain, ErrorKind, Level, LibraryAccess, LibraryLevel, Model, OrgErrorKind, ProfileErrorKind,
    ProfileSpec, Snapshot, UserId,
};
use proptest::prelude::*;
use serde_json::{Value, json};

use crate::common::{RefProfile, Reference};

const WORKSPACES: [&str; 2] = ["default", "w2"];
const CAPS: [&str; 3] = ["scoreCalls", "callsAndSearch", "tenantOnlyFlag"];

/// Up to this many users every user is examined as a viewer and as an owner; above it, a
/// sample of them (and every removed user), each against every user.
pub const FULL: usize = 40;
/// Owners handed to `filter_owners` at once: enough for its bulk path (at least 4,096 owners
/// and one per eight users).
pub const BULK: usize = 4_500;
/// Viewers per case whose bulk `filter_owners` is compared, in every workspace and domain.
const BULK_VIEWERS: usize = 5;

/// How managers are drawn: uniformly among earlier users (a wide, shallow tree), among the
/// last few (long chains), or a mix.
#[derive(Clone, Copy, Debug)]
pub enum Shape {
    Wide,
    Deep,
    Mixed,
}

#[derive(Clone, Debug)]
pub struct ProfileCase {
    workspace: usize,
    /// One entry per domain, in `Domain::ALL` order; `None`: the profile leaves it unset.
    access: Vec<Option<(Level, Vec<usize>)>>,
    library: LibraryLevel,
    folders: Vec<usize>,
    caps: Vec<bool>,
}

#[derive(Clone, Debug)]
pub struct Case {
    /// Manager of user i, an index below i (so the input is a forest).
    pub managers: Vec<Option<usize>>,
    /// Workspace of each folder.
    folders: Vec<usize>,
    profiles: Vec<ProfileCase>,
    /// Whether the profiles are read from a document (unset domains absent, leads absent,
    /// null or listed) instead of created through the editing API.
    pub via_document: bool,
    /// For each user and workspace, a pick among the profiles (mapped into that workspace).
    picks: Vec<[Option<usize>; 2]>,
    /// Attempted moves: (user, new manager).
    moves: Vec<(usize, Option<usize>)>,
    /// Attempted removals `(targeted, raw)`: a targeted one removes the raw-th user who may
    /// be removed at that point (no active report, named as no lead); the others try user
    /// `raw`, who may be refused.
    removals: Vec<(bool, usize)>,
    /// Users examined in full when the org is larger than [`FULL`].
    sample: Vec<usize>,
}

fn level() -> impl Strategy<Value = Level> {
    prop_oneof![
        Just(Level::All),
        Just(Level::ManagersTeam),
        Just(Level::ManagersTeam),
        Just(Level::ReportToThem),
        Just(Level::Own),
        Just(Level::None),
    ]
}

/// Managers for `n` users: each user an index below its own, a few roots.
fn forest(n: usize) -> impl Strategy<Value = Vec<Option<usize>>> {
    (
        prop_oneof![Just(Shape::Wide), Just(Shape::Deep), Just(Shape::Mixed)],
        prop::collection::vec((prop::bool::weighted(0.06), any::<u16>()), n),
    )
        .prop_map(|(shape, raws)| {
            raws.iter()
                .enumerate()
                .map(|(i, &(root, raw))| {
                    if i == 0 || root {
                        return None;
                    }
                    let raw = raw as usize;
                    // One of the last `k` users before i.
                    let near = |k: usize| i - 1 - raw % k.min(i);
                    Some(match shape {
                        Shape::Wide => raw % i,
                        Shape::Deep => near(3),
                        Shape::Mixed if raw % 3 == 0 => raw / 3 % i,
                        Shape::Mixed => near(2),
                    })
                })
                .collect()
        })
}

/// Small orgs (1–23 users) in three cases out of four, a few hundred users in the others.
pub fn case() -> impl Strategy<Value = Case> {
    prop_oneof![3 => 1usize..24, 1 => 24usize..=300].prop_flat_map(|n| {
        let leads = prop_oneof![3 => Just(Vec::new()), 1 => prop::collection::vec(0..n, 1..3)];
        let access = prop::option::weighted(0.75, (level(), leads));
        let profile = (
            0usize..2,
            prop::collection::vec(access, Domain::COUNT),
            prop_oneof![
                Just(LibraryLevel::None),
                Just(LibraryLevel::All),
                Just(LibraryLevel::SpecificFolders)
            ],
            prop::collection::vec(0usize..4, 0..3),
            prop::collection::vec(any::<bool>(), CAPS.len()),
        )
            .prop_map(|(workspace, access, library, folders, caps)| ProfileCase {
                workspace,
                access,
                library,
                folders,
                caps,
            });
        (
            forest(n),
            prop::collection::vec(0usize..2, 4),
            prop::collection::vec(profile, 1..8),
            prop::bool::weighted(0.3),
            prop::collection::vec([any::<Option<usize>>(), any::<Option<usize>>()], n),
            prop::collection::vec((0..n, prop::option::of(0..n)), 0..4 + n / 30),
            prop::collection::vec((prop::bool::weighted(0.75), 0..n), 0..5 + n / 20),
            prop::collection::vec(0..n, 16),
        )
            .prop_map(
                |(managers, folders, profiles, via_document, picks, moves, removals, sample)| {
                    Case {
                        managers,
                        folders,
                        profiles,
                        via_document,
                        picks: picks
                            .into_iter()
                            .map(|[a, b]| [a.map(|x| x % 64), b.map(|x| x % 64)])
                            .collect(),
                        moves,
                        removals,
                        sample,
                    }
                },
            )
    })
}

pub fn name(i: usize) -> String {
    // Ids that do not sort like their insertion order.
    format!("u{}", (i * 7919) % 1000)
}

/// The level names of docs/semantics.md §1.
fn level_name(l: Level) -> &'static str {
    match l {
        Level::All => "all",
        Level::ManagersTeam => "managers-team",
        Level::ReportToThem => "report-to-them",
        Level::Own => "own",
        Level::None => "none",
    }
}

/// Where each domain sits in a profile document: `(group, field)`.
fn domain_field(d: Domain) -> (Option<&'static str>, &'static str) {
    match d {
        Domain::Calls => (None, "callsAccess"),
        Domain::Deals => (None, "dealsAccess"),
        Domain::Emails => (None, "emailsAccess"),
        Domain::Coaching => (None, "coachingAccess"),
        Domain::Insights => (None, "insightsAccess"),
        Domain::Usage => (None, "usageAccess"),
        Domain::Forecast => (Some("forecastPermissions"), "forecastAccess"),
        Domain::ForecastEditSubmissions => (Some("forecastPermissions"), "forecastEditSubmissions"),
        Domain::ForecastEditTargets => (Some("forecastPermissions"), "forecastEditTargets"),
    }
}

/// A profile as the vendor's JSON object: only the domains it sets; empty leads absent, null
/// or `[]` in turn.
fn profile_json(p: usize, pc: &ProfileCase, library: LibraryLevel, folders: &[String]) -> Value {
    let mut obj = serde_json::Map::new();
    obj.insert("id".into(), json!(format!("p{p}")));
    obj.insert("name".into(), json!(format!("Profile {p}")));
    if pc.workspace == 1 {
        obj.insert("workspaceId".into(), json!(WORKSPACES[1]));
    }
    for (k, (d, set)) in Domain::ALL.into_iter().zip(&pc.access).enumerate() {
        let Some((lvl, leads)) = set else { continue };
        let mut a = serde_json::Map::new();
        a.insert("permissionLevel".into(), json!(level_name(*lvl)));
        match (leads.is_empty(), (p + k) % 3) {
            (false, _) => {
                let ids: Vec<String> = leads.iter().map(|&l| name(l)).collect();
                a.insert("teamLeadIds".into(), json!(ids));
            }
            (true, 0) => {}
            (true, 1) => {
                a.insert("teamLeadIds".into(), Value::Null);
            }
            (true, _) => {
                a.insert("teamLeadIds".into(), json!([]));
            }
        }
        match domain_field(d) {
            (None, field) => {
                obj.insert(field.into(), Value::Object(a));
            }
            (Some(group), field) => {
                let g = obj.entry(group).or_insert_with(|| json!({}));
                g[field] = Value::Object(a);
            }
        }
    }
    let lib = match library {
        LibraryLevel::None => None,
        LibraryLevel::All => Some(json!({"permissionLevel": "all"})),
        LibraryLevel::SpecificFolders => Some(json!({
            "permissionLevel": "specific-folders",
            "libraryFolderIds": folders,
        })),
    };
    if let Some(lib) = lib {
        obj.insert("libraryFolderAccess".into(), lib);
    }
    for (c, &on) in CAPS.iter().zip(&pc.caps) {
        obj.insert((*c).into(), json!(on));
    }
    Value::Object(obj)
}

/// A model built from a case, with the reference and what the checks need to know.
pub struct Built {
    pub model: Model,
    pub r: Reference,
    /// Original index of every user, by the dense id they had before any removal.
    pub dense: Vec<(UserId, usize)>,
    /// Original indices of the users removed.
    pub removed: BTreeSet<usize>,
}

/// Builds the model through the public API and the reference from the same case, checking
/// that edits are accepted or refused alike. `before_removals` runs on the model just before
/// the removals (to add objects the removed users touch).
pub fn build_with(case: &Case, before_removals: impl FnOnce(&mut Model)) -> Built {
    let n = case.managers.len();
    let mut model = Model::new();
    model.add_workspace("w2").unwrap();
    let mut r = Reference {
        users: (0..n).map(name).collect(),
        manager: case.managers.clone(),
        ..Reference::default()
    };
    for (i, m) in case.managers.iter().enumerate() {
        model.add_user(&name(i), m.map(name).as_deref()).unwrap();
    }
    for (f, &w) in case.folders.iter().enumerate() {
        let id = format!("f{f}");
        model.add_folder(&id, Some(WORKSPACES[w])).unwrap();
        r.folders.insert(id, WORKSPACES[w].to_owned());
    }

    // Profiles, made valid by construction (the validation tests cover the invalid ones).
    let mut by_ws: [Vec<usize>; 2] = [Vec::new(), Vec::new()];
    let mut docs = Vec::new();
    for (p, pc) in case.profiles.iter().enumerate() {
        let id = format!("p{p}");
        let mut spec = ProfileSpec::new(id.clone(), format!("Profile {p}"))
            .in_workspace(WORKSPACES[pc.workspace]);
        for (d, set) in Domain::ALL.into_iter().zip(&pc.access) {
            if let Some((lvl, leads)) = set {
                spec = spec.with_leads(d, *lvl, leads.iter().map(|&l| name(l)));
            }
        }
        let folders: Vec<String> = pc
            .folders
            .iter()
            .filter(|&&f| case.folders[f] == pc.workspace)
            .map(|f| format!("f{f}"))
            .collect();
        let library = match pc.library {
            LibraryLevel::SpecificFolders if !folders.is_empty() => {
                LibraryAccess::specific(folders.clone())
            }
            LibraryLevel::None => LibraryAccess::default(),
            _ => LibraryAccess::all(),
        };
        let lib_level = library.level;
        spec = spec.with_library(library);
        for (c, &on) in CAPS.iter().zip(&pc.caps) {
            spec = spec.with_capability(*c, on);
        }
        if case.via_document {
            docs.push(profile_json(p, pc, lib_level, &folders));
        } else {
            model.create_profile(spec).unwrap();
        }
        r.profiles.push(RefProfile {
            id,
            workspace: WORKSPACES[pc.workspace].to_owned(),
            access: Domain::ALL
                .into_iter()
                .zip(&pc.access)
                .filter_map(|(d, set)| set.as_ref().map(|(l, leads)| (d, *l, leads.clone())))
                .collect(),
            library: lib_level,
            folders: if lib_level == LibraryLevel::SpecificFolders {
                folders
            } else {
                Vec::new()
            },
            caps: CAPS
                .iter()
                .zip(&pc.caps)
                .filter(|&(_, &on)| on)
                .map(|(c, _)| c.to_string())
                .collect(),
        });
        by_ws[pc.workspace].push(p);
    }
    if case.via_document {
        let mut doc: Value = serde_json::from_str(&model.to_json()).unwrap();
        doc["profiles"] = Value::Array(docs);
        model = Model::from_json(&doc.to_string()).unwrap();
    }
    for (u, picks) in case.picks.iter().enumerate() {
        for (w, pick) in picks.iter().enumerate() {
            let Some(pick) = pick else { continue };
            if by_ws[w].is_empty() {
                continue;
            }
            let p = by_ws[w][pick % by_ws[w].len()];
            model.assign_profile(&name(u), &format!("p{p}")).unwrap();
            r.assignment
                .entry(u)
                .or_default()
                .insert(WORKSPACES[w].to_owned(), p);
        }
    }

    // Moves: refused exactly when the new manager is the user or in the user's subtree.
    for &(u, m) in &case.moves {
        let result = model.move_user(&name(u), m.map(name).as_deref());
        let refused = m.is_some_and(|m| r.in_subtree(u, m));
        match (&result, m) {
            (Ok(()), _) => assert!(!refused, "move {u} under {m:?} accepted"),
            (Err(e), Some(m)) if m == u => assert_eq!(
                (e.path(), e.kind()),
                (
                    "managerId",
                    &ErrorKind::Org(OrgErrorKind::SelfManager { id: name(u) })
                )
            ),
            (Err(e), Some(m)) => {
                // The cycle the move would close: u, then m and its managers up to u.
                let mut users = vec![name(u)];
                let mut cur = Some(m);
                while let Some(c) = cur.filter(|&c| c != u) {
                    users.push(name(c));
                    cur = r.manager[c];
                }
                assert!(refused, "move {u} under {m} refused: {e}");
                assert_eq!(
                    (e.path(), e.kind()),
                    (
                        "managerId",
                        &ErrorKind::Org(OrgErrorKind::ManagerCycle { users })
                    )
                );
            }
            (Err(e), None) => panic!("move {u} to the root refused: {e}"),
        }
        if !refused {
            r.manager[u] = m;
        }
    }
    before_removals(&mut model);
    let dense: Vec<(UserId, usize)> = (0..n)
        .map(|i| (model.user_id(&name(i)).unwrap(), i))
        .collect();
    // Removals: refused while the user still has reports or is a team lead.
    let mut removed = BTreeSet::new();
    let is_lead = |r: &Reference, u: usize| {
        r.profiles
            .iter()
            .any(|p| p.access.iter().any(|(_, _, leads)| leads.contains(&u)))
    };
    let has_reports = |r: &Reference, removed: &BTreeSet<usize>, u: usize| {
        (0..n).any(|x| !removed.contains(&x) && r.manager[x] == Some(u))
    };
    for &(targeted, raw) in &case.removals {
        let u = if targeted {
            let candidates: Vec<usize> = (0..n)
                .filter(|&x| {
                    !removed.contains(&x) && !has_reports(&r, &removed, x) && !is_lead(&r, x)
                })
                .collect();
            if candidates.is_empty() {
                continue;
            }
            candidates[raw % candidates.len()]
        } else {
            raw
        };
        if removed.contains(&u) {
            let e = model.remove_user(&name(u)).unwrap_err();
            assert_eq!(
                (e.path(), e.kind()),
                (
                    "id",
                    &ErrorKind::Org(OrgErrorKind::UnknownUser { id: name(u) })
                )
            );
            continue;
        }
        let refused = has_reports(&r, &removed, u) || is_lead(&r, u);
        let result = model.remove_user(&name(u));
        match &result {
            Ok(()) => assert!(!refused, "remove {u} accepted"),
            Err(e) if is_lead(&r, u) => {
                assert_eq!(e.path(), "id");
                assert!(
                    matches!(e.kind(), ErrorKind::Profile(ProfileErrorKind::UserIsTeamLead { id, .. }) if *id == name(u)),
                    "remove {u}: {e}"
                );
            }
            Err(e) => {
                let reports = (0..n)
                    .filter(|&x| !removed.contains(&x) && r.manager[x] == Some(u))
                    .count();
                assert!(reports > 0, "remove {u} refused: {e}");
                assert_eq!(
                    (e.path(), e.kind()),
                    (
                        "id",
                        &ErrorKind::Org(OrgErrorKind::HasReports {
                            id: name(u),
                            reports
                        })
                    )
                );
            }
        }
        if !refused {
            removed.insert(u);
        }
    }
    // The reference drops removed users: their ids become unknown and their assignments go.
    let keep: Vec<usize> = (0..n).filter(|u| !removed.contains(u)).collect();
    let remap: HashMap<usize, usize> = keep
        .iter()
        .enumerate()
        .map(|(new, &old)| (old, new))
        .collect();
    let old = r.clone();
    r.users = keep.iter().map(|&u| old.users[u].clone()).collect();
    r.manager = keep
        .iter()
        .map(|&u| old.manager[u].and_then(|m| remap.get(&m).copied()))
        .collect();
    r.assignment = old
        .assignment
        .iter()
        .filter_map(|(u, row)| Some((*remap.get(u)?, row.clone())))
        .collect();
    for p in &mut r.profiles {
        for (_, _, leads) in &mut p.access {
            *leads = leads.iter().filter_map(|l| remap.get(l).copied()).collect();
        }
    }
    Built {
        model,
        r,
        dense,
        removed,
    }
}

/// The users (by original index) examined as viewers and owners: everyone in a small org;
/// in a large one the case's sample, every removed user and the first leads.
pub fn examined(case: &Case, b: &Built) -> Vec<usize> {
    let n = case.managers.len();
    if n <= FULL {
        return (0..n).collect();
    }
    let mut out: BTreeSet<usize> = case.sample.iter().copied().collect();
    out.extend(b.removed.iter().copied());
    let leads = case
        .profiles
        .iter()
        .flat_map(|p| p.access.iter().flatten())
        .flat_map(|(_, leads)| leads.iter().copied());
    out.extend(leads.take(6));
    out.into_iter().collect()
}

/// Every comparison of the profiles family with the reference.
pub fn compare(case: &Case, b: &Built) -> Result<(), TestCaseError> {
    compare_snapshot(case, b, &b.model.compile())
}

/// Every comparison of the profiles family with the reference, on `snap` (compiled from
/// `b.model`'s state, whichever way).
pub fn compare_snapshot(case: &Case, b: &Built, snap: &Snapshot) -> Result<(), TestCaseError> {
    let (model, r) = (&b.model, &b.r);
    let n = case.managers.len();
    // Every user by original index, then an id nobody has.
    let mut ids: Vec<String> = (0..n).map(name).collect();
    ids.push("ghost".into());
    // For each id: the reference's index (None: removed or unknown) and the dense id, which
    // the checks below use for most pairs (the external id for the explanations).
    let rix: Vec<Option<usize>> = ids.iter().map(|id| r.index(id)).collect();
    let uid: Vec<Option<UserId>> = ids.iter().map(|id| snap.user_id(id)).collect();
    let mut viewers: Vec<usize> = examined(case, b);
    viewers.push(n);
    // Explanations (the slow path) are compared for the examined owners.
    let mut explained = vec![false; ids.len()];
    for &v in &viewers {
        explained[v] = true;
    }
    let workspaces = ["default", "w2", "no-such-workspace"];

    // The bulk owners: every dense id the users had (removed ones included) and two out of
    // range, repeated in a scrambled order; `bulk_index[k]` is the original index of
    // `bulk[k]`'s user.
    let mut pool: Vec<(UserId, Option<usize>)> =
        b.dense.iter().map(|&(id, i)| (id, Some(i))).collect();
    pool.push((UserId::new(u32::MAX), None));
    pool.push((UserId::new(n as u32 + 7), None));
    let (bulk, bulk_index): (Vec<UserId>, Vec<Option<usize>>) =
        (0..BULK).map(|k| pool[(k * 7919) % pool.len()]).unzip();
    let mut bulk_viewers: Vec<usize> = case.sample.iter().take(BULK_VIEWERS - 2).copied().collect();
    bulk_viewers.extend(b.removed.iter().next());
    bulk_viewers.push(n);
    let dense: Vec<UserId> = uid.iter().flatten().copied().collect();

    for ws in workspaces {
        let view = snap.in_workspace(ws);
        for &v in &viewers {
            let vid = ids[v].as_str();
            let profile = rix[v].and_then(|x| r.profile(x, ws));
            let reaches = |d: Domain, o: usize| match (rix[v], rix[o], profile) {
                (Some(x), Some(y), Some(p)) => r.scope(p, x, d, y),
                _ => false,
            };
            for d in Domain::ALL {
                // Forward, explain, the owner filter and the batch forms agree with the reference.
                let filter = view.owner_filter(vid, d);
                let mut expected_visible = BTreeSet::new();
                let mut visible_index = vec![false; n];
                for (o, oid) in ids.iter().enumerate() {
                    let expected = reaches(d, o);
                    let got = match (uid[v], uid[o]) {
                        (Some(x), Some(y)) => view.can_access(x, d, y),
                        _ => view.can_access(vid, d, oid.as_str()),
                    };
                    prop_assert_eq!(
                        got,
                        expected,
                        "can_access({}, {}, {:?}, {})",
                        vid,
                        ws,
                        d,
                        oid
                    );
                    if explained[o] {
                        let why = view.explain(vid, d, oid.as_str());
                        prop_assert_eq!(why.allowed, expected, "explain {:?}", why);
                    }
                    let allows = match uid[o] {
                        Some(y) => filter.allows(y),
                        None => filter.allows(oid.as_str()),
                    };
                    prop_assert_eq!(
                        allows,
                        expected,
                        "owner_filter({}, {}, {:?}).allows({})",
                        vid,
                        ws,
                        d,
                        oid
                    );
                    if expected {
                        expected_visible.insert(oid.clone());
                        if o < n {
                            visible_index[o] = true;
                        }
                    }
                }
                let visible: BTreeSet<String> = view
                    .visible_owners(vid, d)
                    .external_ids()
                    .map(str::to_owned)
                    .collect();
                prop_assert_eq!(
                    &visible,
                    &expected_visible,
                    "visible_owners({}, {}, {:?})",
                    vid,
                    ws,
                    d
                );
                let filtered: BTreeSet<String> = view
                    .filter_owners(vid, d, &dense)
                    .into_iter()
                    .map(|u| snap.user_name(u).unwrap().to_owned())
                    .collect();
                prop_assert_eq!(&filtered, &expected_visible);
                // The same owners as external ids, an unknown one among them.
                let mut names: Vec<&str> =
                    dense.iter().map(|&u| snap.user_name(u).unwrap()).collect();
                names.push("no-such-user");
                let by_name: BTreeSet<String> = view
                    .filter_owners(vid, d, &names)
                    .into_iter()
                    .map(str::to_owned)
                    .collect();
                prop_assert_eq!(&by_name, &expected_visible);
                if ws != workspaces[2] && bulk_viewers.contains(&v) {
                    let expected: Vec<UserId> = bulk
                        .iter()
                        .zip(&bulk_index)
                        .filter(|&(_, i)| i.is_some_and(|i| visible_index[i]))
                        .map(|(&id, _)| id)
                        .collect();
                    let got = view.filter_owners(vid, d, &bulk);
                    let at = got.iter().zip(&expected).position(|(a, b)| a != b);
                    prop_assert!(
                        got == expected,
                        "bulk filter_owners({}, {}, {:?}) over {} owners: {} kept, {} expected, first difference at {:?}",
                        vid,
                        ws,
                        d,
                        bulk.len(),
                        got.len(),
                        expected.len(),
                        at
                    );
                }
            }
        }
        // Reverse: who may access each examined owner.
        let profiles: Vec<Option<&RefProfile>> = rix
            .iter()
            .map(|x| x.and_then(|x| r.profile(x, ws)))
            .collect();
        for &o in &viewers {
            for d in Domain::ALL {
                let expected: BTreeSet<String> = (0..ids.len())
                    .filter(|&v| match (rix[v], rix[o], profiles[v]) {
                        (Some(x), Some(y), Some(p)) => r.scope(p, x, d, y),
                        _ => false,
                    })
                    .map(|v| ids[v].clone())
                    .collect();
                let who: BTreeSet<String> = view
                    .who_can_access(ids[o].as_str(), d)
                    .external_ids()
                    .map(str::to_owned)
                    .collect();
                prop_assert_eq!(
                    &who,
                    &expected,
                    "who_can_access({}, {}, {:?})",
                    ids[o],
                    ws,
                    d
                );
            }
        }
        for u in &ids {
            for cap in CAPS {
                let expected = r.has_capability(u, ws, cap);
                prop_assert_eq!(view.has_capability(u.as_str(), cap), expected);
                prop_assert_eq!(view.explain_capability(u.as_str(), cap).allowed, expected);
            }
            for f in 0..case.folders.len() {
                let f = format!("f{f}");
                let expected = r.can_access_folder(u, ws, &f);
                prop_assert_eq!(
                    view.can_access_folder(u.as_str(), f.as_str()),
                    expected,
                    "folder {} {} {}",
                    u,
                    ws,
                    f
                );
                prop_assert_eq!(
                    view.explain_folder(u.as_str(), f.as_str()).allowed,
                    expected,
                    "explain_folder {} {} {}",
                    u,
                    ws,
                    f
                );
            }
        }
        // Reverse and per-user sets: who holds each capability, who may open each folder,
        // each user's capabilities and folders; in external and dense ids.
        let dense_of = |names: &BTreeSet<String>| -> BTreeSet<UserId> {
            names.iter().map(|u| snap.user_id(u).unwrap()).collect()
        };
        for cap in CAPS {
            let expected: BTreeSet<String> = ids
                .iter()
                .filter(|u| r.has_capability(u, ws, cap))
                .cloned()
                .collect();
            let who = view.who_has_capability(cap);
            let got: BTreeSet<String> = who.external_ids().map(str::to_owned).collect();
            prop_assert_eq!(&got, &expected, "who_has_capability({}, {})", ws, cap);
            prop_assert_eq!(
                who.iter().collect::<BTreeSet<UserId>>(),
                dense_of(&expected)
            );
            for u in &ids {
                prop_assert_eq!(
                    view.explain_capability(u.as_str(), cap).allowed,
                    who.contains(u.as_str())
                );
            }
        }
        for f in 0..case.folders.len() {
            let f = format!("f{f}");
            let expected: BTreeSet<String> = ids
                .iter()
                .filter(|u| r.can_access_folder(u, ws, &f))
                .cloned()
                .collect();
            let who = view.who_can_access_folder(f.as_str());
            let got: BTreeSet<String> = who.external_ids().map(str::to_owned).collect();
            prop_assert_eq!(&got, &expected, "who_can_access_folder({}, {})", ws, f);
            prop_assert_eq!(
                who.iter().collect::<BTreeSet<UserId>>(),
                dense_of(&expected)
            );
            if let Some(fid) = snap.folder_id(&f) {
                prop_assert_eq!(view.who_can_access_folder(fid).len(), expected.len() as u64);
            }
        }
        for u in &ids {
            let caps: BTreeSet<String> = view
                .capabilities_of(u.as_str())
                .external_ids()
                .map(str::to_owned)
                .collect();
            let expected: BTreeSet<String> = CAPS
                .iter()
                .filter(|c| r.has_capability(u, ws, c))
                .map(|c| (*c).to_owned())
                .collect();
            prop_assert_eq!(&caps, &expected, "capabilities_of({}, {})", u, ws);
            let folders: BTreeSet<String> = view
                .folders_of(u.as_str())
                .external_ids()
                .map(str::to_owned)
                .collect();
            let expected: BTreeSet<String> = (0..case.folders.len())
                .map(|f| format!("f{f}"))
                .filter(|f| r.can_access_folder(u, ws, f))
                .collect();
            prop_assert_eq!(&folders, &expected, "folders_of({}, {})", u, ws);
        }
    }
    // Holders of each profile.
    for (p, profile) in r.profiles.iter().enumerate() {
        let expected: BTreeSet<String> = r
            .assignment
            .iter()
            .filter(|(_, row)| row.values().any(|&q| q == p))
            .map(|(u, _)| r.users[*u].clone())
            .collect();
        let got: BTreeSet<String> = snap
            .profiles()
            .users_with_profile(profile.id.as_str())
            .external_ids()
            .map(str::to_owned)
            .collect();
        prop_assert_eq!(&got, &expected);
        let listed: BTreeSet<String> = model
            .users_of_profile(&profile.id)
            .unwrap()
            .into_iter()
            .map(str::to_owned)
            .collect();
        prop_assert_eq!(&listed, &expected);
    }
    Ok(())
}

proptest! {
    #![proptest_config(crate::common::config(160))]

    #[test]
    fn snapshot_agrees_with_reference(case in case()) {
        let b = build_with(&case, |_| {});
        compare(&case, &b)?;
    }

    /// The engine patches the profiles and the calls' viewer table for assignment commits:
    /// every assignment the model holds is taken away and given back through the engine, in
    /// change sets of one to five operations, each holder first given another profile of
    /// the workspace, and
    /// the patched snapshot must agree with the reference in both workspaces, forward and
    /// reverse.
    #[test]
    fn assignments_committed_through_the_engine_agree_with_reference(
        case in case(),
        sizes in proptest::collection::vec(1..6usize, 1..40),
    ) {
        let n = case.managers.len();
        let b = build_with(&case, |m| {
            // Calls in both workspaces, so that the viewer table is compiled (and patched).
            for (c, w) in [("c", "default"), ("c2", "w2")] {
                let spec = orgperm::CallSpec::new(c, name(0).as_str())
                    .in_workspace(w)
                    .with_participants([name(n / 2), name(n - 1)]);
                m.calls_mut().add_call(spec).unwrap();
            }
        });
        let engine = orgperm::Engine::new(b.model.clone());
        // The assignments the model holds, by profile (and so by workspace).
        let profiles: Vec<String> = (0..case.profiles.len()).map(|p| format!("p{p}")).collect();
        let holders: Vec<(usize, Vec<String>)> = profiles
            .iter()
            .enumerate()
            .map(|(p, id)| {
                let users = b.model.users_of_profile(id).unwrap();
                (p, users.into_iter().map(str::to_owned).collect())
            })
            .collect();
        let mut ops = Vec::new();
        for (p, users) in &holders {
            let w = if case.profiles[*p].workspace == 1 { "w2" } else { "default" };
            for u in users {
                ops.push(orgperm::Op::UnassignProfile { user_id: u.clone(), workspace_id: Some(w.into()) });
            }
        }
        for (p, users) in &holders {
            let ws = case.profiles[*p].workspace;
            // Another profile of the workspace first, when there is one.
            let others: Vec<&String> = profiles
                .iter()
                .enumerate()
                .filter(|&(q, _)| q != *p && case.profiles[q].workspace == ws)
                .map(|(_, id)| id)
                .collect();
            for (k, u) in users.iter().enumerate() {
                if let Some(other) = others.get(k % others.len().max(1)) {
                    ops.push(orgperm::Op::AssignProfile { user_id: u.clone(), profile_id: (*other).clone() });
                }
                ops.push(orgperm::Op::AssignProfile { user_id: u.clone(), profile_id: profiles[*p].clone() });
            }
        }
        let live: Vec<String> = b.model.user_ids().map(str::to_owned).collect();
        let mut at = 0;
        for size in sizes.iter().cycle() {
            if at >= ops.len() {
                break;
            }
            let mut set = orgperm::ChangeSet::new();
            set.ops = ops[at..(at + size).min(ops.len())].to_vec();
            at += size;
            if engine.apply(&set).is_err() {
                // An unassignment of a user holding nothing fails its change set: apply the
                // operations one by one instead.
                for op in set.ops {
                    let mut one = orgperm::ChangeSet::new();
                    one.ops = vec![op];
                    let _ = engine.apply(&one);
                }
            }
        }
        prop_assert_eq!(engine.model().to_json(), b.model.to_json());
        let live_snap = engine.snapshot();
        compare_snapshot(&case, &b, &live_snap)?;
        let fresh = b.model.compile();
        for v in &live {
            for c in ["c", "c2"] {
                prop_assert_eq!(
                    live_snap.calls().can_open(v.as_str(), c),
                    fresh.calls().can_open(v.as_str(), c)
                );
            }
        }
    }

    #[test]
    fn document_round_trip_preserves_every_decision(case in case()) {
        let b = build_with(&case, |_| {});
        let model = &b.model;
        let json = model.to_json();
        let again = Model::from_json(&json).unwrap();
        prop_assert_eq!(again.to_json(), json);
        let (a, b2) = (model.compile(), again.compile());
        let ids: Vec<String> = examined(&case, &b).into_iter().map(name).collect();
        for v in &ids {
            for o in &ids {
                for d in Domain::ALL {
                    prop_assert_eq!(a.can_access(v.as_str(), d, o.as_str()), b2.can_access(v.as_str(), d, o.as_str()));
                    prop_assert_eq!(a.in_workspace("w2").can_access(v.as_str(), d, o.as_str()), b2.in_workspace("w2").can_access(v.as_str(), d, o.as_str()));
                }
            }
        }
    }
}
