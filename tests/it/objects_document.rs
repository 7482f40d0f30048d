//! The teams, calls, networks, contacts and advisors sections of the model document.

use orgperm::{CallSpec, Model, ModelDocument, NetworkErrorKind};
use orgperm_synth::{ObjectsConfig, SynthConfig, add_objects, call_id, generate};

fn sample() -> Model {
    let mut m = Model::new();
    m.add_workspace("emea").unwrap();
    for (u, mgr) in [("b", None), ("a", Some("b")), ("c", Some("b"))] {
        m.add_user(u, mgr).unwrap();
    }
    m.add_folder("wins", None).unwrap();
    m.add_folder("emea-wins", Some("emea")).unwrap();
    m.teams_mut().add_team("z-top", None).unwrap();
    m.teams_mut().add_team("a-sub", Some("z-top")).unwrap();
    m.teams_mut().add_team_member("a-sub", "c").unwrap();
    m.teams_mut().add_team_member("a-sub", "a").unwrap();
    m.calls_mut()
        .add_call(
            CallSpec::new("c2", "a")
                .with_participants(["c", "b"])
                .shared_with(["c"])
                .in_folders(["wins"])
                .granted_to(["b"])
                .started_at(17),
        )
        .unwrap();
    m.calls_mut()
        .add_call(
            CallSpec::new("c1", "b")
                .in_workspace("emea")
                .private(true)
                .in_folders(["emea-wins"]),
        )
        .unwrap();
    m.networks_mut().add_network("WHATSAPP").unwrap();
    m.networks_mut().add_network("SMS").unwrap();
    m.networks_mut()
        .add_network_permission("WHATSAPP", "send:message", true)
        .unwrap();
    m.networks_mut()
        .add_network_permission("WHATSAPP", "create:room", false)
        .unwrap();
    m.networks_mut()
        .add_network_permission("SMS", "send:message", true)
        .unwrap();
    m.networks_mut().entitle_advisor("c", "SMS").unwrap();
    m.networks_mut().entitle_advisor("c", "WHATSAPP").unwrap();
    m.networks_mut()
        .grant_network_permission("c", "WHATSAPP", "create:room")
        .unwrap();
    m.networks_mut()
        .revoke_network_permission("c", "WHATSAPP", "send:message")
        .unwrap();
    m.networks_mut().add_contact("k2", "SMS", None).unwrap();
    m.networks_mut()
        .add_contact("k1", "WHATSAPP", Some("acme"))
        .unwrap();
    m
}

#[test]
fn objects_round_trip_and_export_is_deterministic() {
    let m = sample();
    let json = m.to_json();
    let again = Model::from_json(&json).unwrap();
    assert_eq!(again.to_json(), json);
    assert_eq!(
        ModelDocument::from_model(&m),
        ModelDocument::from_model(&again)
    );
    // The sections hold what was put in.
    assert!(json.contains("\"teams\""));
    assert!(json.contains("\"isPrivate\": true"));
    assert!(json.contains("\"advisorSymphonyId\": \"c\""));
    assert_eq!(again.teams().team_parent("a-sub"), Some("z-top"));
    assert_eq!(again.teams().team_members("a-sub").unwrap(), ["a", "c"]);
    let call = again.calls().call("c2").unwrap();
    assert_eq!(call.participants, ["b", "c"]);
    assert_eq!(call.grants, ["b"]);
    assert_eq!(call.started, 17);
    assert_eq!(
        again
            .networks()
            .network_permissions_of("c", "WHATSAPP")
            .unwrap(),
        ["create:room"]
    );
    // The compiled answers agree.
    let (s1, s2) = (m.compile(), again.compile());
    for v in ["a", "b", "c"] {
        for c in ["c1", "c2"] {
            assert_eq!(s1.calls().can_open(v, c), s2.calls().can_open(v, c));
        }
        assert_eq!(
            s1.networks().has_permission(v, "WHATSAPP", "create:room"),
            s2.networks().has_permission(v, "WHATSAPP", "create:room")
        );
    }
    assert_eq!(sample().to_json(), json, "same model, same document");
}

#[test]
fn version_1_documents_without_the_new_sections_still_load() {
    let old = r#"{"version": 1, "workspaces": [{"id": "default"}], "users": [{"id": "a"}],
                  "profiles": [], "assignments": []}"#;
    let m = Model::from_json(old).unwrap();
    assert_eq!(m.user_count(), 1);
    let json = m.to_json();
    assert!(!json.contains("teams") && !json.contains("calls") && !json.contains("advisors"));
}

#[test]
fn removed_users_and_calls_leave_the_export() {
    let mut m = sample();
    m.calls_mut().remove_call("c1").unwrap();
    m.calls_mut().unshare_call("c2", "c").unwrap();
    m.teams_mut().remove_team_member("a-sub", "c").unwrap();
    m.remove_user("c").unwrap();
    let json = m.to_json();
    assert!(!json.contains("\"c1\""));
    let again = Model::from_json(&json).unwrap();
    assert_eq!(again.calls().call("c2").unwrap().participants, ["b"]);
    let err = again
        .networks()
        .network_permissions_of("c", "SMS")
        .unwrap_err();
    assert_eq!(
        (err.path(), err.kind()),
        (
            "advisorSymphonyId",
            &NetworkErrorKind::UnknownAdvisor { id: "c".into() }
        )
    );
    assert_eq!(again.to_json(), json);
}

#[test]
fn synthetic_objects_round_trip() {
    let mut org = generate(&SynthConfig::new(300).seed(3));
    let objects = add_objects(&mut org, &ObjectsConfig::new().calls_per_user(4));
    assert!(objects.calls > 600);
    assert!(!objects.advisors.is_empty());
    let json = org.model.to_json();
    let again = Model::from_json(&json).unwrap();
    assert_eq!(again.to_json(), json);
    let (s1, s2) = (org.model.compile(), again.compile());
    for i in 0..50 {
        let c = call_id(i * 7);
        for v in objects.advisors.iter().take(5) {
            assert_eq!(
                s1.calls().can_open(v.as_str(), c.as_str()),
                s2.calls().can_open(v.as_str(), c.as_str())
            );
        }
    }
}
