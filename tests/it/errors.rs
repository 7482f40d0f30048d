//! Errors per family, composed at the top: a family view answers in its own kind, and every
//! family error converts into a `ModelError` whose kind files each error under the family
//! that owns it.

use orgperm::{
    CallErrorKind, CallSpec, ErrorKind, InputErrorKind, ItemErrorKind, ItemSpec, Model, ModelError,
    NetworkErrorKind, OrgErrorKind, RbacErrorKind, TeamErrorKind,
};

fn model() -> Model {
    let mut m = Model::new();
    m.add_user("ada", None).unwrap();
    m.teams_mut().add_team("t", None).unwrap();
    m.rbac_mut().add_group("g", "Group").unwrap();
    m.networks_mut().add_network("WHATSAPP").unwrap();
    m
}

fn ghost() -> OrgErrorKind {
    OrgErrorKind::UnknownUser { id: "ghost".into() }
}

/// The composed kind, code, class and message of a family error, checked against the
/// family's own.
#[track_caller]
fn composed<K>(err: orgperm::Error<K>) -> ModelError
where
    K: Clone + std::fmt::Display + std::fmt::Debug,
    ModelError: From<orgperm::Error<K>>,
{
    let text = err.to_string();
    let path = err.path().to_owned();
    let composed = ModelError::from(err);
    assert_eq!(composed.to_string(), text);
    assert_eq!(composed.path(), path);
    composed
}

#[test]
fn an_unknown_user_is_the_org_kind_whichever_family_raised_it() {
    let mut m = model();
    let team = m.teams_mut().add_team_member("t", "ghost").unwrap_err();
    assert_eq!(team.kind(), &TeamErrorKind::Org(ghost()));
    let group = m.rbac_mut().add_group_members("g", &["ghost"]).unwrap_err();
    assert_eq!(group.kind(), &RbacErrorKind::Org(ghost()));
    let call = m
        .calls_mut()
        .add_call(CallSpec::new("c", "ghost"))
        .unwrap_err();
    assert_eq!(call.kind(), &CallErrorKind::Org(ghost()));
    let mut item = ItemSpec::session("s");
    item.creator = Some("ghost".into());
    let item = m.items_mut().add_item(item).unwrap_err();
    assert_eq!(item.kind(), &ItemErrorKind::Org(ghost()));
    let advisor = m
        .networks_mut()
        .entitle_advisor("ghost", "WHATSAPP")
        .unwrap_err();
    // Symphony names an unknown advisor its own way: a network kind, not the org's.
    assert_eq!(
        advisor.kind(),
        &NetworkErrorKind::UnknownAdvisor { id: "ghost".into() }
    );
    let flat = m.add_user("bob", Some("ghost")).unwrap_err();
    let want = ErrorKind::Org(ghost());
    for err in [
        composed(team),
        composed(group),
        composed(call),
        composed(item),
        flat,
    ] {
        assert_eq!(err.kind(), &want, "{err}");
        assert_eq!(err.kind().code(), "unknown_user");
    }
    assert_eq!(
        composed(advisor).kind(),
        &ErrorKind::Network(NetworkErrorKind::UnknownAdvisor { id: "ghost".into() })
    );
}

#[test]
fn a_family_kind_and_its_composed_kind_share_code_and_class() {
    let mut m = model();
    let errs: Vec<(String, &'static str, orgperm::ErrorClass, ModelError)> = vec![
        {
            let e = m.teams_mut().add_team("t", None).unwrap_err();
            (
                e.to_string(),
                e.kind().code(),
                e.kind().class(),
                composed(e),
            )
        },
        {
            let e = m.teams_mut().remove_team("nope").unwrap_err();
            (
                e.to_string(),
                e.kind().code(),
                e.kind().class(),
                composed(e),
            )
        },
        {
            let e = m.rbac_mut().add_group("", "x").unwrap_err();
            (
                e.to_string(),
                e.kind().code(),
                e.kind().class(),
                composed(e),
            )
        },
        {
            let e = m.networks_mut().add_network("WHATSAPP").unwrap_err();
            (
                e.to_string(),
                e.kind().code(),
                e.kind().class(),
                composed(e),
            )
        },
    ];
    let codes: Vec<&str> = errs.iter().map(|e| e.1).collect();
    assert_eq!(
        codes,
        ["duplicate_id", "unknown_team", "empty_id", "duplicate_id"]
    );
    for (text, code, class, err) in &errs {
        assert_eq!(&err.to_string(), text);
        assert_eq!(err.kind().code(), *code);
        assert_eq!(err.kind().class(), *class);
    }
    // The shared input kinds are filed as input at the top, not under the family.
    assert_eq!(
        errs[0].3.kind(),
        &ErrorKind::Input(InputErrorKind::DuplicateId { id: "t".into() })
    );
    assert_eq!(
        errs[1].3.kind(),
        &ErrorKind::Team(TeamErrorKind::UnknownTeam { id: "nope".into() })
    );
}

#[test]
fn question_mark_lifts_family_errors_into_a_model_error() {
    fn edit(m: &mut Model) -> Result<(), ModelError> {
        m.teams_mut().add_team("u", Some("t"))?;
        m.rbac_mut().add_group_members("g", &["ada"])?;
        m.teams_mut().add_team_member("missing", "ada")?;
        Ok(())
    }
    let mut m = model();
    let err = edit(&mut m).unwrap_err();
    assert_eq!(
        err.kind(),
        &ErrorKind::Team(TeamErrorKind::UnknownTeam {
            id: "missing".into()
        })
    );
    assert_eq!(err.path(), "teamId");
}
