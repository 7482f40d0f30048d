//! Edge cases of the compiled network permissions that the mutation run found untested:
//! catalogs longer than one 64-bit word, several networks and advisors side by side, removed
//! advisors in the reverse query.

use std::collections::BTreeSet;

use orgperm::Model;

/// Permission names `p00 … p{n-1}`.
fn names(n: usize) -> Vec<String> {
    (0..n).map(|i| format!("p{i:02}")).collect()
}

/// Advisors a, b, c, d; networks N1 and N2 with the same 70 names (every third one a
/// default), N2 with one more name `extra`. a is entitled on both, b and d on N2 only, c
/// nowhere; a gets p65 on N1 and p01 on N2, b gets p67 and `extra` on N2.
fn wide() -> Model {
    let mut m = Model::new();
    for u in ["a", "b", "c", "d"] {
        m.add_user(u, None).unwrap();
    }
    for n in ["N1", "N2"] {
        m.networks_mut().add_network(n).unwrap();
        for (i, p) in names(70).iter().enumerate() {
            m.networks_mut()
                .add_network_permission(n, p, i % 3 == 0)
                .unwrap();
        }
    }
    m.networks_mut()
        .add_network_permission("N2", "extra", false)
        .unwrap();
    let mut nets = m.networks_mut();
    nets.entitle_advisor("a", "N1").unwrap();
    nets.entitle_advisor("a", "N2").unwrap();
    nets.entitle_advisor("b", "N2").unwrap();
    nets.entitle_advisor("d", "N2").unwrap();
    nets.grant_network_permission("a", "N1", "p65").unwrap();
    nets.grant_network_permission("a", "N2", "p01").unwrap();
    nets.grant_network_permission("b", "N2", "p67").unwrap();
    nets.grant_network_permission("b", "N2", "extra").unwrap();
    m
}

/// The defaults (every third name) plus `more`, in catalog order.
fn expected(more: &[&str]) -> Vec<String> {
    let mut all: Vec<String> = names(70)
        .into_iter()
        .enumerate()
        .filter(|(i, p)| i % 3 == 0 || more.contains(&p.as_str()))
        .map(|(_, p)| p)
        .collect();
    if more.contains(&"extra") {
        all.push("extra".into());
    }
    all
}

/// §4: a permission bit past the first word of the set (names 64 and up) is held exactly
/// by the advisors entitled to it or granted it, network by network.
#[test]
fn permissions_past_the_first_word_are_held_per_advisor_and_network() {
    let s = wide().compile();
    let net = s.networks();
    let cases: [(&str, &str, Vec<String>); 8] = [
        ("a", "N1", expected(&["p65"])),
        ("a", "N2", expected(&["p01"])),
        ("b", "N1", vec![]),
        ("b", "N2", expected(&["p67", "extra"])),
        ("c", "N1", vec![]),
        ("c", "N2", vec![]),
        ("d", "N1", vec![]),
        ("d", "N2", expected(&[])),
    ];
    let mut every = names(70);
    every.push("extra".into());
    for (advisor, network, want) in cases {
        assert_eq!(
            net.permissions_of(advisor, network),
            want,
            "{advisor} on {network}"
        );
        let held: Vec<String> = every
            .iter()
            .filter(|p| net.has_permission(advisor, network, p.as_str()))
            .cloned()
            .collect();
        assert_eq!(held, want, "has_permission of {advisor} on {network}");
        assert_eq!(
            net.is_entitled(advisor, network),
            matches!((advisor, network), ("a", _) | ("b" | "d", "N2")),
            "{advisor} entitled on {network}"
        );
    }
}

/// §4: the reverse query names exactly the advisors holding the permission on that network.
#[test]
fn advisors_with_permission_is_exact_per_network() {
    let mut m = wide();
    let ids = |m: &Model, n: &str, p: &str| -> BTreeSet<String> {
        m.compile()
            .networks()
            .advisors_with_permission(n, p)
            .external_ids()
            .map(str::to_owned)
            .collect()
    };
    let set = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<BTreeSet<_>>();
    assert_eq!(ids(&m, "N1", "p00"), set(&["a"]));
    assert_eq!(ids(&m, "N2", "p00"), set(&["a", "b", "d"]));
    assert_eq!(ids(&m, "N2", "p69"), set(&["a", "b", "d"]));
    assert_eq!(ids(&m, "N1", "p65"), set(&["a"]));
    assert_eq!(ids(&m, "N2", "p65"), set(&[]));
    assert_eq!(ids(&m, "N2", "p67"), set(&["b"]));
    assert_eq!(ids(&m, "N1", "p67"), set(&[]));
    assert_eq!(ids(&m, "N2", "extra"), set(&["b"]));
    assert_eq!(ids(&m, "N1", "extra"), set(&[]));
    assert_eq!(ids(&m, "N2", "p01"), set(&["a"]));
    assert_eq!(ids(&m, "N3", "p00"), set(&[]));
    assert_eq!(ids(&m, "N1", "nope"), set(&[]));
    // A removed advisor holds nothing and is listed nowhere.
    m.remove_user("b").unwrap();
    assert_eq!(ids(&m, "N2", "p00"), set(&["a", "d"]));
    assert_eq!(ids(&m, "N2", "extra"), set(&[]));
    let s = m.compile();
    assert!(!s.networks().is_entitled("b", "N2"));
    assert!(s.networks().permissions_of("b", "N2").is_empty());
}

/// §5: the snapshot resolves networks, permission names and contacts by their ids, to the
/// ids the model gave out; unknown names resolve to nothing.
#[test]
fn snapshot_resolves_network_permission_and_contact_ids() {
    let mut m = wide();
    let c = m
        .networks_mut()
        .add_contact("k1", "N2", Some("acme"))
        .unwrap();
    let n2 = m.networks().network_id("N2").unwrap();
    let s = m.compile();
    let net = s.networks();
    assert_eq!(net.network_id("N2"), Some(n2));
    assert_ne!(net.network_id("N1"), Some(n2));
    assert!(net.network_id("N1").is_some());
    assert_eq!(net.network_id("N3"), None);
    let p = net.permission_id("extra").unwrap();
    assert_ne!(Some(p), net.permission_id("p00"));
    assert_eq!(net.permission_id("nope"), None);
    assert_eq!(net.contact_id("k1"), Some(c));
    assert_eq!(net.contact_id("k2"), None);
}

/// §4: a contact without a company is its own company, never the same as the first named
/// company; a room with both needs the multi-company feature.
#[test]
fn a_contact_without_company_differs_from_every_named_company() {
    let mut m = Model::new();
    m.add_user("a", None).unwrap();
    let mut nets = m.networks_mut();
    nets.add_network("W").unwrap();
    nets.add_network_permission("W", "create:room", true)
        .unwrap();
    nets.add_network_permission("W", "add:multi-company-contact", false)
        .unwrap();
    nets.entitle_advisor("a", "W").unwrap();
    nets.add_contact("k0", "W", None).unwrap();
    nets.add_contact("k1", "W", Some("acme")).unwrap();
    nets.add_contact("k2", "W", Some("acme")).unwrap();
    let s = m.compile();
    assert!(s.networks().can_create_room("a", &["k1", "k2"]));
    assert!(s.networks().can_create_room("a", &["k0"]));
    assert!(!s.networks().can_create_room("a", &["k0", "k1"]));
    m.networks_mut()
        .grant_network_permission("a", "W", "add:multi-company-contact")
        .unwrap();
    assert!(m.compile().networks().can_create_room("a", &["k0", "k1"]));
}

/// §4: features are named as the vendor names them.
#[test]
fn network_features_carry_their_names() {
    use orgperm::NetworkFeature;
    assert_eq!(NetworkFeature::CREATE_ROOM.name(), "create-room");
    assert_eq!(
        NetworkFeature::MULTI_COMPANY_CONTACT.name(),
        "multi-company-contact"
    );
    assert_eq!(
        NetworkFeature::ADMIN_TAB_OFFBOARDING.name(),
        "admin-tab-offboarding"
    );
}
