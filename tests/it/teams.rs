//! Teams: a tree of sub-teams with members; membership with and without sub-teams.

use orgperm::{ErrorKind, InputErrorKind, Model, TeamErrorKind, TeamId, TeamReason};
use proptest::prelude::*;

use crate::naive::{Lcg, RefTeams};

fn base() -> Model {
    let mut m = Model::new();
    for u in ["ada", "bob", "cy", "dee"] {
        m.add_user(u, None).unwrap();
    }
    m.teams_mut().add_team("sales", None).unwrap();
    m.teams_mut().add_team("emea", Some("sales")).unwrap();
    m.teams_mut().add_team("uk", Some("emea")).unwrap();
    m.teams_mut().add_team("support", None).unwrap();
    m.teams_mut().add_team_member("sales", "ada").unwrap();
    m.teams_mut().add_team_member("emea", "bob").unwrap();
    m.teams_mut().add_team_member("uk", "cy").unwrap();
    m.teams_mut().add_team_member("support", "dee").unwrap();
    m
}

#[test]
fn team_membership_with_and_without_sub_teams() {
    let s = base().compile();
    assert!(s.teams().is_member("ada", "sales", false));
    assert!(!s.teams().is_member("bob", "sales", false));
    assert!(s.teams().is_member("bob", "sales", true));
    assert!(s.teams().is_member("cy", "sales", true), "two levels down");
    assert!(!s.teams().is_member("dee", "sales", true));
    assert!(
        !s.teams().is_member("ada", "emea", true),
        "members of a parent are not in a sub-team"
    );
    assert!(!s.teams().is_member("ghost", "sales", true));
    assert!(!s.teams().is_member("ada", "nope", true));
    let with: Vec<_> = s.teams().members("sales", true).external_ids().collect();
    assert_eq!(with, ["ada", "bob", "cy"]);
    let direct: Vec<_> = s.teams().members("sales", false).external_ids().collect();
    assert_eq!(direct, ["ada"]);
    assert_eq!(
        s.teams().of_user("bob"),
        vec![s.teams().team_id("emea").unwrap()]
    );
}

#[test]
fn membership_explanations_name_the_sub_team_chain() {
    let s = base().compile();
    let t = s.teams();
    let reason = |u: &str, team: &str, sub: bool| {
        let d = t.explain_member(u, team, sub);
        (d.allowed, d.reason)
    };
    assert_eq!(
        reason("ada", "sales", true),
        (
            true,
            TeamReason::DirectMember {
                team: "sales".into()
            }
        )
    );
    assert_eq!(
        reason("bob", "sales", true),
        (
            true,
            TeamReason::SubTeamMember {
                team: "sales".into(),
                via: vec!["emea".into()]
            }
        )
    );
    assert_eq!(
        reason("cy", "sales", true),
        (
            true,
            TeamReason::SubTeamMember {
                team: "sales".into(),
                via: vec!["emea".into(), "uk".into()]
            }
        )
    );
    assert_eq!(
        reason("cy", "sales", false),
        (
            false,
            TeamReason::NotMember {
                team: "sales".into(),
                sub_teams: false
            }
        )
    );
    assert_eq!(
        reason("dee", "sales", true),
        (
            false,
            TeamReason::NotMember {
                team: "sales".into(),
                sub_teams: true
            }
        )
    );
    assert_eq!(
        reason("ghost", "sales", true),
        (
            false,
            TeamReason::UnknownUser {
                user: "\"ghost\"".into()
            }
        )
    );
    assert_eq!(
        reason("ada", "nope", true),
        (
            false,
            TeamReason::UnknownTeam {
                team: "\"nope\"".into()
            }
        )
    );
    // A member of a team after the asked one in preorder is not inside it.
    assert!(!t.explain_member("dee", "uk", true).allowed);
    assert_eq!(
        t.explain_member("cy", "sales", true).to_string(),
        "allow: member of team \"sales\" through sub-teams \"emea\" > \"uk\""
    );
}

#[test]
fn sub_team_membership_follows_later_changes_of_the_tree() {
    let mut m = base();
    // uk moves from emea to support: cy leaves sales' sub-teams and joins support's.
    m.teams_mut().move_team("uk", Some("support")).unwrap();
    let s = m.compile();
    assert!(!s.teams().is_member("cy", "sales", true));
    assert!(!s.teams().is_member("cy", "emea", true));
    assert!(s.teams().is_member("cy", "support", true));
    assert!(
        !s.teams().is_member("cy", "support", false),
        "still only a member of uk directly"
    );
    // A new sub-team of sales counts at once.
    m.teams_mut().add_team("dach", Some("emea")).unwrap();
    m.teams_mut().add_team_member("dach", "dee").unwrap();
    let s = m.compile();
    assert!(s.teams().is_member("dee", "sales", true));
    // Removing a sub-team removes its members from the parent's "with sub-teams".
    m.teams_mut().remove_team("dach").unwrap();
    assert!(!m.compile().teams().is_member("dee", "sales", true));
    // A removed user is in no team.
    m.remove_user("bob").unwrap();
    assert!(!m.compile().teams().is_member("bob", "emea", false));
}

#[test]
fn team_validation_errors() {
    let mut m = base();
    assert_eq!(
        m.teams_mut().add_team("", None).unwrap_err().kind(),
        &TeamErrorKind::Input(InputErrorKind::EmptyId)
    );
    assert_eq!(
        m.teams_mut()
            .add_team("sales", None)
            .unwrap_err()
            .to_string(),
        "id: duplicate id \"sales\""
    );
    assert_eq!(
        m.teams_mut()
            .add_team("x", Some("nope"))
            .unwrap_err()
            .to_string(),
        "parentId: unknown team \"nope\""
    );
    assert_eq!(
        m.teams_mut()
            .add_team("self", Some("self"))
            .unwrap_err()
            .kind(),
        &TeamErrorKind::TeamCycle {
            teams: vec!["self".into()]
        }
    );
    let err = m.teams_mut().move_team("sales", Some("uk")).unwrap_err();
    assert_eq!(err.path(), "parentId");
    assert_eq!(
        err.kind(),
        &TeamErrorKind::TeamCycle {
            teams: vec!["sales".into(), "uk".into(), "emea".into()]
        }
    );
    assert_eq!(
        err.to_string(),
        "parentId: team cycle: \"sales\" -> \"uk\" -> \"emea\" -> \"sales\""
    );
    assert_eq!(
        m.teams_mut()
            .move_team("uk", Some("uk"))
            .unwrap_err()
            .kind(),
        &TeamErrorKind::TeamCycle {
            teams: vec!["uk".into()]
        }
    );
    assert_eq!(
        m.teams_mut().remove_team("emea").unwrap_err().kind(),
        &TeamErrorKind::HasSubTeams {
            id: "emea".into(),
            teams: 1
        }
    );
    assert_eq!(
        m.teams_mut()
            .add_team_member("sales", "ghost")
            .unwrap_err()
            .to_string(),
        "userId: unknown user \"ghost\""
    );
    assert_eq!(
        m.teams_mut()
            .add_team_member("nope", "ada")
            .unwrap_err()
            .to_string(),
        "teamId: unknown team \"nope\""
    );
    let err = m.teams_mut().remove_team("nope").unwrap_err();
    assert_eq!(
        (err.path(), err.kind()),
        ("id", &TeamErrorKind::UnknownTeam { id: "nope".into() })
    );
    // Nothing changed.
    assert_eq!(m.teams().team_parent("sales"), None);
    assert_eq!(m.teams().team_parent("uk"), Some("emea"));
}

#[test]
fn team_document_errors() {
    let doc = |teams: &str| {
        Model::from_json(&format!(
            r#"{{"version": 1, "users": [{{"id": "a"}}], "teams": {teams}}}"#
        ))
    };
    assert_eq!(
        doc(r#"[{"id": "t", "parentId": "nope"}]"#)
            .unwrap_err()
            .to_string(),
        "teams[0] (id \"t\").parentId: unknown team \"nope\""
    );
    assert_eq!(
        doc(r#"[{"id": "t"}, {"id": "t"}]"#)
            .unwrap_err()
            .to_string(),
        "teams[1] (id \"t\").id: duplicate id \"t\""
    );
    assert_eq!(
        doc(r#"[{"id": "t", "members": ["a", "x"]}]"#)
            .unwrap_err()
            .to_string(),
        "teams[0] (id \"t\").members[1]: unknown user \"x\""
    );
    assert_eq!(
        doc(r#"[{"id": "t", "parentId": "t"}]"#)
            .unwrap_err()
            .to_string(),
        "teams[0] (id \"t\").parentId: team cycle: \"t\" -> \"t\""
    );
    let err = doc(r#"[{"id": "x", "parentId": "z"}, {"id": "y", "parentId": "x"}, {"id": "z", "parentId": "y"}]"#).unwrap_err();
    assert_eq!(err.path(), "teams");
    assert_eq!(
        err.kind(),
        &ErrorKind::Team(TeamErrorKind::TeamCycle {
            teams: vec!["x".into(), "z".into(), "y".into()]
        })
    );
    // Parents may come after their sub-teams.
    let m = doc(r#"[{"id": "sub", "parentId": "top", "members": ["a"]}, {"id": "top"}]"#).unwrap();
    assert!(m.compile().teams().is_member("a", "top", true));
}

#[test]
fn deep_team_chain_does_not_overflow() {
    let mut m = Model::new();
    m.add_user("u", None).unwrap();
    let n = 200_000;
    m.teams_mut().add_team("t0", None).unwrap();
    for i in 1..n {
        m.teams_mut()
            .add_team(&format!("t{i}"), Some(&format!("t{}", i - 1)))
            .unwrap();
    }
    m.teams_mut()
        .add_team_member(&format!("t{}", n - 1), "u")
        .unwrap();
    let s = m.compile();
    assert!(s.teams().is_member("u", "t0", true));
    assert!(!s.teams().is_member("u", "t0", false));
    let members: Vec<_> = s.teams().members("t0", true).external_ids().collect();
    assert_eq!(members, ["u"]);
    let json = m.to_json();
    let again = Model::from_json(&json).unwrap();
    assert!(again.compile().teams().is_member("u", "t0", true));
}

proptest! {
    #![proptest_config(crate::common::config(200))]

    #[test]
    fn team_membership_matches_reference_forward_and_reverse(seed in any::<u64>(), n_users in 1usize..10, n_teams in 1usize..10, moves in 0usize..6) {
        let mut rng = Lcg(seed);
        let mut m = Model::new();
        let mut active = vec![true; n_users];
        for u in 0..n_users {
            m.add_user(&format!("u{u}"), None).unwrap();
        }
        let mut r = RefTeams::default();
        for t in 0..n_teams {
            let p = (t > 0 && rng.pct(70)).then(|| rng.below(t));
            m.teams_mut().add_team(&format!("t{t}"), p.map(|p| format!("t{p}")).as_deref()).unwrap();
            r.parent.push(p);
            r.live.push(true);
            let mut members = Vec::new();
            for _ in 0..rng.below(3) {
                let u = rng.below(n_users);
                m.teams_mut().add_team_member(&format!("t{t}"), &format!("u{u}")).unwrap();
                members.push(u);
            }
            r.members.push(members);
        }
        // Later changes of the tree: moves (cycles refused on both sides), removals.
        for _ in 0..moves {
            let t = rng.below(n_teams);
            if !r.live[t] { continue; }
            match rng.below(4) {
                0 => {
                    m.teams_mut().move_team(&format!("t{t}"), None).map_err(|e| TestCaseError::fail(e.to_string()))?;
                    prop_assert_eq!(m.teams().team_parent(&format!("t{t}")), None);
                    r.parent[t] = None;
                }
                1 | 2 => {
                    let p = rng.below(n_teams);
                    if !r.live[p] { continue; }
                    let cycle = r.under(t, p);
                    let res = m.teams_mut().move_team(&format!("t{t}"), Some(&format!("t{p}")));
                    if cycle {
                        // The cycle the move would close: t, then p and its parents up to t.
                        let mut teams = vec![format!("t{t}")];
                        let mut cur = Some(p);
                        while let Some(c) = cur.filter(|&c| c != t) {
                            teams.push(format!("t{c}"));
                            cur = r.parent[c];
                        }
                        let e = res.unwrap_err();
                        prop_assert_eq!((e.path(), e.kind()), ("parentId", &TeamErrorKind::TeamCycle { teams }));
                    } else {
                        res.map_err(|e| TestCaseError::fail(e.to_string()))?;
                        let parent = format!("t{p}");
                        prop_assert_eq!(m.teams().team_parent(&format!("t{t}")), Some(parent.as_str()));
                    }
                    if !cycle { r.parent[t] = Some(p); }
                }
                _ => {
                    let subs = (0..n_teams).filter(|&s| r.live[s] && r.parent[s] == Some(t)).count();
                    let has_sub = subs > 0;
                    let res = m.teams_mut().remove_team(&format!("t{t}"));
                    if has_sub {
                        let e = res.unwrap_err();
                        prop_assert_eq!((e.path(), e.kind()), ("id", &TeamErrorKind::HasSubTeams { id: format!("t{t}"), teams: subs }));
                    } else {
                        res.map_err(|e| TestCaseError::fail(e.to_string()))?;
                        prop_assert_eq!(m.teams().team_id(&format!("t{t}")), None);
                    }
                    if !has_sub { r.live[t] = false; r.parent[t] = None; r.members[t].clear(); }
                }
            }
        }
        if n_users > 1 && rng.pct(50) {
            let u = rng.below(n_users);
            m.remove_user(&format!("u{u}")).unwrap();
            active[u] = false;
        }
        let s = m.compile();
        for t in 0..n_teams {
            let team = format!("t{t}");
            for sub in [false, true] {
                let mut want = Vec::new();
                for u in 0..n_users {
                    let expected = r.is_member(&active, u, t, sub);
                    prop_assert_eq!(s.teams().is_member(format!("u{u}").as_str(), team.as_str(), sub), expected, "u{} t{} sub {}", u, t, sub);
                    if expected { want.push(format!("u{u}")); }
                    // The explanation agrees, and names a real chain of the tree.
                    let why = s.teams().explain_member(format!("u{u}").as_str(), team.as_str(), sub);
                    prop_assert_eq!(why.allowed, expected, "{}", why.reason);
                    let ix = |name: &str| name[1..].parse::<usize>().unwrap();
                    match &why.reason {
                        TeamReason::DirectMember { team: x } => {
                            prop_assert_eq!(x, &team);
                            prop_assert!(r.members[t].contains(&u));
                        }
                        TeamReason::SubTeamMember { team: x, via } => {
                            prop_assert!(sub);
                            prop_assert_eq!(x, &team);
                            prop_assert!(!r.members[t].contains(&u));
                            prop_assert!(!via.is_empty());
                            prop_assert_eq!(r.parent[ix(&via[0])], Some(t));
                            for pair in via.windows(2) {
                                prop_assert_eq!(r.parent[ix(&pair[1])], Some(ix(&pair[0])));
                            }
                            prop_assert!(r.members[ix(via.last().unwrap())].contains(&u));
                        }
                        TeamReason::NotMember { .. } | TeamReason::UnknownUser { .. } | TeamReason::UnknownTeam { .. } => prop_assert!(!expected),
                        other => prop_assert!(false, "unexpected reason {:?}", other),
                    }
                }
                let mut got: Vec<String> = s.teams().members(team.as_str(), sub).external_ids().map(str::to_owned).collect();
                got.sort();
                want.sort();
                prop_assert_eq!(got, want);
            }
        }
        // Dense ids of removed teams deny.
        prop_assert!(!s.teams().is_member("u0", TeamId::new(999), true));
    }
}
