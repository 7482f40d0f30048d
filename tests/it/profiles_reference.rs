//! Property tests: the compiled snapshot against the reference evaluator on random forests,
//! profiles, assignments, moves and removals, for every query forward and reverse.

use std::collections::{BTreeSet, HashMap};

use orgperm::{Domain, Level, LibraryAccess, LibraryLevel, Model, ProfileSpec};
use proptest::prelude::*;

use crate::common::{RefProfile, Reference};

const WORKSPACES: [&str; 2] = ["default", "w2"];
const CAPS: [&str; 3] = ["scoreCalls", "callsAndSearch", "tenantOnlyFlag"];

#[derive(Clone, Debug)]
struct ProfileCase {
    workspace: usize,
    access: Vec<(Level, Vec<usize>)>,
    library: LibraryLevel,
    folders: Vec<usize>,
    caps: Vec<bool>,
}

#[derive(Clone, Debug)]
struct Case {
    /// Manager of user i, an index below i (so the input is a forest).
    managers: Vec<Option<usize>>,
    /// Workspace of each folder.
    folders: Vec<usize>,
    profiles: Vec<ProfileCase>,
    /// For each user and workspace, a pick among the profiles (mapped into that workspace).
    picks: Vec<[Option<usize>; 2]>,
    /// Attempted moves: (user, new manager).
    moves: Vec<(usize, Option<usize>)>,
    /// Attempted removals.
    removals: Vec<usize>,
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

fn case() -> impl Strategy<Value = Case> {
    (1usize..24).prop_flat_map(|n| {
        let managers = (0..n)
            .map(|i| {
                if i == 0 {
                    Just(None).boxed()
                } else {
                    prop_oneof![1 => Just(None), 6 => (0..i).prop_map(Some)].boxed()
                }
            })
            .collect::<Vec<_>>();
        let profile = (
            0usize..2,
            prop::collection::vec((level(), prop::collection::vec(0..n, 0..3)), Domain::COUNT),
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
            managers,
            prop::collection::vec(0usize..2, 4),
            prop::collection::vec(profile, 1..6),
            prop::collection::vec([any::<Option<usize>>(), any::<Option<usize>>()], n),
            prop::collection::vec((0..n, prop::option::of(0..n)), 0..4),
            prop::collection::vec(0..n, 0..3),
        )
            .prop_map(
                |(managers, folders, profiles, picks, moves, removals)| Case {
                    managers,
                    folders,
                    profiles,
                    picks: picks
                        .into_iter()
                        .map(|[a, b]| [a.map(|x| x % 64), b.map(|x| x % 64)])
                        .collect(),
                    moves,
                    removals,
                },
            )
    })
}

fn name(i: usize) -> String {
    // Ids that do not sort like their insertion order.
    format!("u{}", (i * 7919) % 1000)
}

/// Builds the model through the public API and the reference from the same case, checking
/// that edits are accepted or refused alike.
fn build(case: &Case) -> (Model, Reference) {
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
    for (p, pc) in case.profiles.iter().enumerate() {
        let id = format!("p{p}");
        let mut spec = ProfileSpec::new(id.clone(), format!("Profile {p}"))
            .in_workspace(WORKSPACES[pc.workspace]);
        for (d, (lvl, leads)) in Domain::ALL.into_iter().zip(&pc.access) {
            spec = spec.with_leads(d, *lvl, leads.iter().map(|&l| name(l)));
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
        model.create_profile(spec).unwrap();
        r.profiles.push(RefProfile {
            id,
            workspace: WORKSPACES[pc.workspace].to_owned(),
            access: pc
                .access
                .iter()
                .map(|(l, leads)| (*l, leads.clone()))
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
    for (u, picks) in case.picks.iter().enumerate() {
        for (w, pick) in picks.iter().enumerate() {
            let Some(pick) = pick else { continue };
            if by_ws[w].is_empty() {
                continue;
            }
            let p = by_ws[w][pick % by_ws[w].len()];
            model.assign_profile(&name(u), &format!("p{p}")).unwrap();
            r.assignment.insert((u, WORKSPACES[w].to_owned()), p);
        }
    }

    // Moves: refused exactly when the new manager is the user or in the user's subtree.
    for &(u, m) in &case.moves {
        let result = model.move_user(&name(u), m.map(name).as_deref());
        let refused = m.is_some_and(|m| r.in_subtree(u, m));
        assert_eq!(result.is_err(), refused, "move {u} under {m:?}: {result:?}");
        if !refused {
            r.manager[u] = m;
        }
    }
    // Removals: refused while the user still has reports or is a team lead.
    let mut removed = BTreeSet::new();
    for &u in &case.removals {
        if removed.contains(&u) {
            assert!(model.remove_user(&name(u)).is_err());
            continue;
        }
        let has_reports = (0..n).any(|x| !removed.contains(&x) && r.manager[x] == Some(u));
        let is_lead = r
            .profiles
            .iter()
            .any(|p| p.access.iter().any(|(_, leads)| leads.contains(&u)));
        let result = model.remove_user(&name(u));
        assert_eq!(
            result.is_err(),
            has_reports || is_lead,
            "remove {u}: {result:?}"
        );
        if !(has_reports || is_lead) {
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
        .filter_map(|((u, w), &p)| Some(((*remap.get(u)?, w.clone()), p)))
        .collect();
    for p in &mut r.profiles {
        for (_, leads) in &mut p.access {
            *leads = leads.iter().filter_map(|l| remap.get(l).copied()).collect();
        }
    }
    (model, r)
}

proptest! {
    #![proptest_config(crate::common::config(160))]

    #[test]
    fn snapshot_agrees_with_reference(case in case()) {
        let (model, r) = build(&case);
        let snap = model.compile();
        let mut ids: Vec<String> = (0..case.managers.len()).map(name).collect();
        ids.push("ghost".into());
        let workspaces = ["default", "w2", "no-such-workspace"];

        for ws in workspaces {
            for d in Domain::ALL {
                for v in &ids {
                    // Forward, explain and the batch form agree with the reference.
                    let mut expected_visible = BTreeSet::new();
                    for o in &ids {
                        let expected = r.can_access(v, ws, d, o);
                        prop_assert_eq!(snap.in_workspace(ws).can_access(v.as_str(), d, o.as_str()), expected,
                            "can_access({}, {}, {:?}, {})", v, ws, d, o);
                        let why = snap.in_workspace(ws).explain(v.as_str(), d, o.as_str());
                        prop_assert_eq!(why.allowed, expected, "explain {:?}", why);
                        if expected {
                            expected_visible.insert(o.clone());
                        }
                    }
                    let visible: BTreeSet<String> = snap.in_workspace(ws).visible_owners(v.as_str(), d).external_ids().map(str::to_owned).collect();
                    prop_assert_eq!(&visible, &expected_visible, "visible_owners({}, {}, {:?})", v, ws, d);
                    let dense: Vec<_> = ids.iter().filter_map(|o| snap.user_id(o)).collect();
                    let filtered: BTreeSet<String> = snap.in_workspace(ws).filter_owners(v.as_str(), d, &dense)
                        .into_iter()
                        .map(|u| snap.user_name(u).unwrap().to_owned())
                        .collect();
                    prop_assert_eq!(&filtered, &expected_visible);
                }
                // Reverse: who may access each owner.
                for o in &ids {
                    let expected: BTreeSet<String> = ids.iter().filter(|v| r.can_access(v, ws, d, o)).cloned().collect();
                    let who: BTreeSet<String> = snap.in_workspace(ws).who_can_access(o.as_str(), d).external_ids().map(str::to_owned).collect();
                    prop_assert_eq!(&who, &expected, "who_can_access({}, {}, {:?})", o, ws, d);
                }
            }
            for u in &ids {
                for cap in CAPS {
                    prop_assert_eq!(snap.in_workspace(ws).has_capability(u.as_str(), cap), r.has_capability(u, ws, cap));
                    prop_assert_eq!(snap.in_workspace(ws).explain_capability(u.as_str(), cap).allowed, r.has_capability(u, ws, cap));
                }
                for f in 0..case.folders.len() {
                    let f = format!("f{f}");
                    prop_assert_eq!(snap.in_workspace(ws).can_access_folder(u.as_str(), f.as_str()), r.can_access_folder(u, ws, &f),
                        "folder {} {} {}", u, ws, f);
                }
            }
        }
        // Holders of each profile.
        for (p, profile) in r.profiles.iter().enumerate() {
            let expected: BTreeSet<String> = r
                .assignment
                .iter()
                .filter(|&(_, &q)| q == p)
                .map(|((u, _), _)| r.users[*u].clone())
                .collect();
            let got: BTreeSet<String> = snap.profiles().users_with_profile(profile.id.as_str()).external_ids().map(str::to_owned).collect();
            prop_assert_eq!(&got, &expected);
            let listed: BTreeSet<String> = model.users_of_profile(&profile.id).unwrap().into_iter().map(str::to_owned).collect();
            prop_assert_eq!(&listed, &expected);
        }
    }

    #[test]
    fn document_round_trip_preserves_every_decision(case in case()) {
        let (model, _) = build(&case);
        let json = model.to_json();
        let again = Model::from_json(&json).unwrap();
        prop_assert_eq!(again.to_json(), json);
        let (a, b) = (model.compile(), again.compile());
        let ids: Vec<String> = (0..case.managers.len()).map(name).collect();
        for v in &ids {
            for o in &ids {
                for d in Domain::ALL {
                    prop_assert_eq!(a.can_access(v.as_str(), d, o.as_str()), b.can_access(v.as_str(), d, o.as_str()));
                    prop_assert_eq!(a.in_workspace("w2").can_access(v.as_str(), d, o.as_str()), b.in_workspace("w2").can_access(v.as_str(), d, o.as_str()));
                }
            }
        }
    }
}
