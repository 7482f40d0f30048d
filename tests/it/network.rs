//! Symphony Connect per-network permissions (docs/semantics.md §4).

use std::collections::{BTreeMap, BTreeSet};

use orgperm::NetworkReason;
use orgperm::{ErrorKind, InputErrorKind, Model, NetworkErrorKind, NetworkFeature};
use proptest::prelude::*;

use crate::naive::Lcg;

/// Advisors a, b, c; WHATSAPP and WECHAT with the full catalog, SMS with a short one.
fn model() -> Model {
    let mut m = Model::new();
    for u in ["a", "b", "c"] {
        m.add_user(u, None).unwrap();
    }
    for n in ["WHATSAPP", "WECHAT"] {
        m.networks_mut().add_network(n).unwrap();
        for (p, d) in [
            ("create:room", true),
            ("send:message", true),
            ("add:multi-company-contact", false),
            ("admin:list-customers", false),
            ("on-behalf:simple-offboard", false),
        ] {
            m.networks_mut().add_network_permission(n, p, d).unwrap();
        }
    }
    m.networks_mut().add_network("SMS").unwrap();
    m.networks_mut()
        .add_network_permission("SMS", "send:message", true)
        .unwrap();
    m
}

#[test]
fn network_not_entitled_denies() {
    let mut m = model();
    let s = m.compile();
    assert!(!s.networks().has_permission("a", "WHATSAPP", "create:room"));
    assert!(!s.networks().is_entitled("a", "WHATSAPP"));
    let err = m
        .networks_mut()
        .grant_network_permission("a", "WHATSAPP", "admin:list-customers")
        .unwrap_err();
    assert_eq!(
        err.kind(),
        &NetworkErrorKind::NotEntitled {
            advisor: "a".into(),
            network: "WHATSAPP".into()
        }
    );
    m.networks_mut().entitle_advisor("a", "WECHAT").unwrap();
    let s = m.compile();
    assert!(s.networks().has_permission("a", "WECHAT", "create:room"));
    assert!(
        !s.networks().has_permission("a", "WHATSAPP", "create:room"),
        "entitlement is per network"
    );
    assert!(matches!(
        s.networks()
            .explain_feature("a", "WHATSAPP", NetworkFeature::CREATE_ROOM)
            .reason,
        NetworkReason::NotEntitled { .. }
    ));
}

#[test]
fn entitlement_grants_the_network_defaults() {
    let mut m = model();
    assert!(m.networks_mut().entitle_advisor("a", "WHATSAPP").unwrap());
    assert_eq!(
        m.networks()
            .network_permissions_of("a", "WHATSAPP")
            .unwrap(),
        ["create:room", "send:message"]
    );
    let s = m.compile();
    assert!(s.networks().has_permission("a", "WHATSAPP", "create:room"));
    assert!(s.networks().has_permission("a", "WHATSAPP", "send:message"));
    assert!(
        !s.networks()
            .has_permission("a", "WHATSAPP", "admin:list-customers")
    );
    assert_eq!(
        s.networks().permissions_of("a", "WHATSAPP"),
        ["create:room", "send:message"]
    );
    // Entitling again is a no-op that keeps what was revoked revoked.
    m.networks_mut()
        .revoke_network_permission("a", "WHATSAPP", "create:room")
        .unwrap();
    assert!(!m.networks_mut().entitle_advisor("a", "WHATSAPP").unwrap());
    assert_eq!(
        m.networks()
            .network_permissions_of("a", "WHATSAPP")
            .unwrap(),
        ["send:message"]
    );
}

#[test]
fn entitlement_removal_drops_the_permissions() {
    let mut m = model();
    m.networks_mut().entitle_advisor("a", "WHATSAPP").unwrap();
    m.networks_mut()
        .grant_network_permission("a", "WHATSAPP", "admin:list-customers")
        .unwrap();
    assert!(
        m.networks_mut()
            .remove_entitlement("a", "WHATSAPP")
            .unwrap()
    );
    let s = m.compile();
    assert!(
        !s.networks()
            .has_permission("a", "WHATSAPP", "admin:list-customers")
    );
    assert!(!s.networks().has_permission("a", "WHATSAPP", "create:room"));
    assert!(
        m.networks()
            .network_permissions_of("a", "WHATSAPP")
            .unwrap()
            .is_empty()
    );
    // Entitling again starts from the defaults, not from what was held before.
    m.networks_mut().entitle_advisor("a", "WHATSAPP").unwrap();
    assert!(
        !m.compile()
            .networks()
            .has_permission("a", "WHATSAPP", "admin:list-customers")
    );
}

#[test]
fn duplicate_grant_is_already_assigned() {
    let mut m = model();
    m.networks_mut().entitle_advisor("a", "WHATSAPP").unwrap();
    m.networks_mut()
        .grant_network_permission("a", "WHATSAPP", "admin:list-customers")
        .unwrap();
    let err = m
        .networks_mut()
        .grant_network_permission("a", "WHATSAPP", "admin:list-customers")
        .unwrap_err();
    assert_eq!(
        err.kind(),
        &NetworkErrorKind::AlreadyAssigned {
            advisor: "a".into(),
            network: "WHATSAPP".into(),
            permission: "admin:list-customers".into()
        }
    );
    assert!(!err.kind().is_not_found());
    // A default is held after entitlement: granting it is a duplicate too.
    assert_eq!(
        m.networks_mut()
            .grant_network_permission("a", "WHATSAPP", "create:room")
            .unwrap_err()
            .kind(),
        &NetworkErrorKind::AlreadyAssigned {
            advisor: "a".into(),
            network: "WHATSAPP".into(),
            permission: "create:room".into()
        }
    );
}

#[test]
fn remove_not_held_is_not_found() {
    let mut m = model();
    m.networks_mut().entitle_advisor("a", "WHATSAPP").unwrap();
    let err = m
        .networks_mut()
        .revoke_network_permission("a", "WHATSAPP", "admin:list-customers")
        .unwrap_err();
    assert_eq!(err.path(), "permissionName");
    assert_eq!(
        err.kind(),
        &NetworkErrorKind::PermissionNotHeld {
            advisor: "a".into(),
            network: "WHATSAPP".into(),
            permission: "admin:list-customers".into()
        }
    );
    assert!(err.kind().is_not_found());
    // Not entitled at all: not held either.
    assert_eq!(
        m.networks_mut()
            .revoke_network_permission("b", "WHATSAPP", "create:room")
            .unwrap_err()
            .kind(),
        &NetworkErrorKind::PermissionNotHeld {
            advisor: "b".into(),
            network: "WHATSAPP".into(),
            permission: "create:room".into()
        }
    );
    m.networks_mut()
        .revoke_network_permission("a", "WHATSAPP", "create:room")
        .unwrap();
    assert!(
        !m.compile()
            .networks()
            .has_permission("a", "WHATSAPP", "create:room")
    );
}

#[test]
fn three_distinct_not_found_errors() {
    let mut m = model();
    m.networks_mut().entitle_advisor("a", "WHATSAPP").unwrap();
    let advisor = m
        .networks_mut()
        .grant_network_permission("zz", "WHATSAPP", "create:room")
        .unwrap_err();
    let network = m
        .networks_mut()
        .grant_network_permission("a", "ICQ", "create:room")
        .unwrap_err();
    let permission = m
        .networks_mut()
        .grant_network_permission("a", "WHATSAPP", "fly:plane")
        .unwrap_err();
    assert_eq!(
        advisor.to_string(),
        "advisorSymphonyId: advisor \"zz\" not found"
    );
    assert_eq!(
        network.to_string(),
        "externalNetwork: external network \"ICQ\" not found"
    );
    assert_eq!(
        permission.to_string(),
        "permissionName: permission \"fly:plane\" not found in the catalog of network \"WHATSAPP\""
    );
    // Symphony answers an unknown network (an enumerated path parameter) with 400.
    assert!(advisor.kind().is_not_found());
    assert!(!network.kind().is_not_found());
    assert!(permission.kind().is_not_found());
    assert_ne!(
        std::mem::discriminant(advisor.kind()),
        std::mem::discriminant(network.kind())
    );
    assert_ne!(
        std::mem::discriminant(network.kind()),
        std::mem::discriminant(permission.kind())
    );
    // A permission of another network's catalog is not found on this one.
    m.networks_mut().entitle_advisor("a", "SMS").unwrap();
    assert_eq!(
        m.networks_mut()
            .grant_network_permission("a", "SMS", "create:room")
            .unwrap_err()
            .kind(),
        &NetworkErrorKind::UnknownNetworkPermission {
            network: "SMS".into(),
            permission: "create:room".into()
        }
    );
    // The same three for removal.
    let kind = |e: orgperm::NetworkError| (e.path().to_owned(), e.kind().clone());
    assert_eq!(
        kind(
            m.networks_mut()
                .revoke_network_permission("zz", "SMS", "send:message")
                .unwrap_err()
        ),
        (
            "advisorSymphonyId".into(),
            NetworkErrorKind::UnknownAdvisor { id: "zz".into() }
        )
    );
    assert_eq!(
        kind(
            m.networks_mut()
                .revoke_network_permission("a", "ICQ", "send:message")
                .unwrap_err()
        ),
        (
            "externalNetwork".into(),
            NetworkErrorKind::UnknownNetwork { id: "ICQ".into() }
        )
    );
    assert_eq!(
        kind(
            m.networks_mut()
                .revoke_network_permission("a", "SMS", "fly:plane")
                .unwrap_err()
        ),
        (
            "permissionName".into(),
            NetworkErrorKind::UnknownNetworkPermission {
                network: "SMS".into(),
                permission: "fly:plane".into()
            }
        )
    );
}

#[test]
fn bulk_grant_reports_partial_success() {
    let mut m = model();
    m.networks_mut().entitle_advisor("a", "WHATSAPP").unwrap();
    m.networks_mut().entitle_advisor("b", "WHATSAPP").unwrap();
    m.networks_mut()
        .grant_network_permission("b", "WHATSAPP", "admin:list-customers")
        .unwrap();
    let results = m
        .networks_mut()
        .grant_network_permission_bulk(
            &["a", "b", "c", "ghost", "a"],
            "WHATSAPP",
            "admin:list-customers",
        )
        .unwrap();
    let kinds: Vec<Option<NetworkErrorKind>> = results
        .iter()
        .map(|r| r.result.as_ref().err().map(|e| e.kind().clone()))
        .collect();
    let already = |a: &str| NetworkErrorKind::AlreadyAssigned {
        advisor: a.into(),
        network: "WHATSAPP".into(),
        permission: "admin:list-customers".into(),
    };
    assert_eq!(
        kinds,
        [
            None,
            Some(already("b")),
            Some(NetworkErrorKind::NotEntitled {
                advisor: "c".into(),
                network: "WHATSAPP".into()
            }),
            Some(NetworkErrorKind::UnknownAdvisor { id: "ghost".into() }),
            Some(already("a")), // the second a sees the first grant
        ]
    );
    assert_eq!(
        results[3].result.as_ref().unwrap_err().path(),
        "advisorSymphonyIds[3]"
    );
    let s = m.compile();
    assert!(
        s.networks()
            .has_permission("a", "WHATSAPP", "admin:list-customers")
    );
    assert!(
        !s.networks()
            .has_permission("c", "WHATSAPP", "admin:list-customers")
    );
    // Unknown network or permission fails the whole request, changing nothing.
    let before = m.to_json();
    let err = m
        .networks_mut()
        .grant_network_permission_bulk(&["a"], "ICQ", "create:room")
        .unwrap_err();
    assert_eq!(
        (err.path(), err.kind()),
        (
            "externalNetwork",
            &NetworkErrorKind::UnknownNetwork { id: "ICQ".into() }
        )
    );
    let err = m
        .networks_mut()
        .grant_network_permission_bulk(&["c"], "WHATSAPP", "fly:plane")
        .unwrap_err();
    assert_eq!(
        (err.path(), err.kind()),
        (
            "permissionName",
            &NetworkErrorKind::UnknownNetworkPermission {
                network: "WHATSAPP".into(),
                permission: "fly:plane".into()
            }
        )
    );
    assert_eq!(m.to_json(), before, "nothing changed");
}

#[test]
fn composite_features_need_every_permission() {
    let mut m = model();
    m.networks_mut().entitle_advisor("a", "WHATSAPP").unwrap();
    let off = NetworkFeature::ADMIN_TAB_OFFBOARDING;
    let multi = NetworkFeature::MULTI_COMPANY_CONTACT;
    m.networks_mut()
        .grant_network_permission("a", "WHATSAPP", "admin:list-customers")
        .unwrap();
    let s = m.compile();
    assert!(
        !s.networks().has_feature("a", "WHATSAPP", off),
        "one of two"
    );
    assert_eq!(
        s.networks().explain_feature("a", "WHATSAPP", off).reason,
        NetworkReason::NetworkPermissions {
            advisor: "a".into(),
            network: "WHATSAPP".into(),
            missing: vec!["on-behalf:simple-offboard".into()]
        }
    );
    m.networks_mut()
        .grant_network_permission("a", "WHATSAPP", "on-behalf:simple-offboard")
        .unwrap();
    assert!(m.compile().networks().has_feature("a", "WHATSAPP", off));

    // add:multi-company-contact needs create:room too.
    m.networks_mut()
        .grant_network_permission("a", "WHATSAPP", "add:multi-company-contact")
        .unwrap();
    assert!(m.compile().networks().has_feature("a", "WHATSAPP", multi));
    m.networks_mut()
        .revoke_network_permission("a", "WHATSAPP", "create:room")
        .unwrap();
    let s = m.compile();
    assert!(
        s.networks()
            .has_permission("a", "WHATSAPP", "add:multi-company-contact")
    );
    assert!(!s.networks().has_feature("a", "WHATSAPP", multi));
    // A feature naming a permission no catalog has is never held.
    let odd = NetworkFeature::new("odd", &["create:room", "no:such"]);
    assert!(!s.networks().has_feature("a", "WHATSAPP", odd));
}

#[test]
fn rooms_may_not_mix_networks() {
    let mut m = model();
    for n in ["WHATSAPP", "WECHAT"] {
        m.networks_mut().entitle_advisor("a", n).unwrap();
    }
    m.networks_mut()
        .add_contact("wa-1", "WHATSAPP", Some("acme"))
        .unwrap();
    m.networks_mut()
        .add_contact("wa-2", "WHATSAPP", Some("acme"))
        .unwrap();
    m.networks_mut()
        .add_contact("wa-3", "WHATSAPP", Some("globex"))
        .unwrap();
    m.networks_mut()
        .add_contact("wc-1", "WECHAT", Some("acme"))
        .unwrap();
    let s = m.compile();
    assert!(s.networks().can_create_room("a", &["wa-1", "wa-2"]));
    let d = s.networks().check_room("a", &["wa-1", "wc-1"]);
    assert!(!d.allowed);
    assert_eq!(
        d.reason,
        NetworkReason::CrossNetworkRoom {
            networks: vec!["WECHAT".into(), "WHATSAPP".into()]
        }
    );
    // Two companies on one network: a multi-company room.
    let d = s.networks().check_room("a", &["wa-1", "wa-3"]);
    assert!(!d.allowed);
    assert_eq!(
        d.reason,
        NetworkReason::NetworkPermissions {
            advisor: "a".into(),
            network: "WHATSAPP".into(),
            missing: vec!["add:multi-company-contact".into()]
        }
    );
    m.networks_mut()
        .grant_network_permission("a", "WHATSAPP", "add:multi-company-contact")
        .unwrap();
    let s = m.compile();
    assert!(s.networks().can_create_room("a", &["wa-1", "wa-3"]));
    assert!(
        !s.networks().can_create_room("a", &["wa-1", "wc-1"]),
        "still cross-network"
    );
    assert!(!s.networks().can_create_room("a", &[]));
    assert!(!s.networks().can_create_room("a", &["nobody"]));
    assert!(
        !s.networks().can_create_room("b", &["wa-1"]),
        "not entitled"
    );
    assert!(!s.networks().can_create_room("ghost", &["wa-1"]));
}

#[test]
fn networks_are_data() {
    let mut m = Model::new();
    m.add_user("a", None).unwrap();
    m.networks_mut().add_network("TELEGRAM").unwrap();
    m.networks_mut()
        .add_network_permission("TELEGRAM", "create:room", true)
        .unwrap();
    m.networks_mut().entitle_advisor("a", "TELEGRAM").unwrap();
    let s = m.compile();
    assert!(s.networks().has_permission("a", "TELEGRAM", "create:room"));
    assert!(!s.networks().has_permission("a", "WHATSAPP", "create:room"));
    let who: Vec<_> = s
        .networks()
        .advisors_with_permission("TELEGRAM", "create:room")
        .external_ids()
        .collect();
    assert_eq!(who, ["a"]);
}

#[test]
fn network_validation_errors() {
    let mut m = model();
    assert_eq!(
        m.networks_mut().add_network("").unwrap_err().kind(),
        &NetworkErrorKind::Input(InputErrorKind::EmptyId)
    );
    assert_eq!(
        m.networks_mut().add_network("SMS").unwrap_err().to_string(),
        "id: duplicate id \"SMS\""
    );
    assert_eq!(
        m.networks_mut()
            .add_network_permission("ICQ", "x", true)
            .unwrap_err()
            .kind(),
        &NetworkErrorKind::UnknownNetwork { id: "ICQ".into() }
    );
    assert_eq!(
        m.networks_mut()
            .add_network_permission("SMS", "send:message", true)
            .unwrap_err()
            .to_string(),
        "name: duplicate id \"send:message\""
    );
    assert_eq!(
        m.networks_mut()
            .add_network_permission("SMS", "", true)
            .unwrap_err()
            .kind(),
        &NetworkErrorKind::Input(InputErrorKind::EmptyId)
    );
    assert_eq!(
        m.networks_mut()
            .entitle_advisor("zz", "SMS")
            .unwrap_err()
            .kind(),
        &NetworkErrorKind::UnknownAdvisor { id: "zz".into() }
    );
    assert_eq!(
        m.networks_mut()
            .entitle_advisor("a", "ICQ")
            .unwrap_err()
            .kind(),
        &NetworkErrorKind::UnknownNetwork { id: "ICQ".into() }
    );
    let err = m.networks_mut().add_contact("k", "ICQ", None).unwrap_err();
    assert_eq!(
        (err.path(), err.kind()),
        (
            "externalNetwork",
            &NetworkErrorKind::UnknownNetwork { id: "ICQ".into() }
        )
    );
    m.networks_mut().add_contact("k", "SMS", None).unwrap();
    assert_eq!(
        m.networks_mut()
            .add_contact("k", "SMS", None)
            .unwrap_err()
            .to_string(),
        "id: duplicate id \"k\""
    );
    assert_eq!(
        m.networks_mut()
            .add_contact("", "SMS", None)
            .unwrap_err()
            .kind(),
        &NetworkErrorKind::Input(InputErrorKind::EmptyId)
    );
}

#[test]
fn network_document_errors() {
    let base = r#""users": [{"id": "a"}], "networks": [{"id": "SMS", "permissions": [{"name": "send:message", "isDefault": true}]}]"#;
    let doc = |rest: &str| Model::from_json(&format!(r#"{{"version": 1, {base}, {rest}}}"#));
    assert_eq!(
        doc(r#""advisors": [{"advisorSymphonyId": "zz", "networks": []}]"#)
            .unwrap_err()
            .to_string(),
        "advisors[0].advisorSymphonyId: advisor \"zz\" not found"
    );
    assert_eq!(
        doc(
            r#""advisors": [{"advisorSymphonyId": "a", "networks": [{"externalNetwork": "ICQ"}]}]"#
        )
        .unwrap_err()
        .to_string(),
        "advisors[0].networks[0].externalNetwork: external network \"ICQ\" not found"
    );
    assert_eq!(
        doc(r#""advisors": [{"advisorSymphonyId": "a", "networks": [{"externalNetwork": "SMS", "permissions": ["send:message", "x"]}]}]"#)
            .unwrap_err()
            .to_string(),
        "advisors[0].networks[0].permissions[1]: permission \"x\" not found in the catalog of network \"SMS\""
    );
    let e = doc(r#""advisors": [{"advisorSymphonyId": "a", "networks": [{"externalNetwork": "SMS", "permissions": ["send:message", "send:message"]}]}]"#)
        .unwrap_err();
    assert_eq!(
        (e.path(), e.kind()),
        (
            "advisors[0].networks[0].permissions[1]",
            &ErrorKind::Network(NetworkErrorKind::AlreadyAssigned {
                advisor: "a".into(),
                network: "SMS".into(),
                permission: "send:message".into()
            })
        )
    );
    assert_eq!(
        doc(r#""advisors": [{"advisorSymphonyId": "a", "networks": [{"externalNetwork": "SMS"}, {"externalNetwork": "SMS"}]}]"#)
            .unwrap_err()
            .to_string(),
        "advisors[0].networks[1].externalNetwork: duplicate id \"SMS\""
    );
    assert_eq!(
        doc(r#""contacts": [{"id": "k", "externalNetwork": "ICQ"}]"#)
            .unwrap_err()
            .to_string(),
        "contacts[0] (id \"k\").externalNetwork: external network \"ICQ\" not found"
    );
    let dup = Model::from_json(r#"{"version": 1, "networks": [{"id": "SMS"}, {"id": "SMS"}]}"#);
    assert_eq!(
        dup.unwrap_err().to_string(),
        "networks[1] (id \"SMS\").id: duplicate id \"SMS\""
    );
    let dup = Model::from_json(
        r#"{"version": 1, "networks": [{"id": "SMS", "permissions": [{"name": "p"}, {"name": "p"}]}]}"#,
    );
    assert_eq!(
        dup.unwrap_err().to_string(),
        "networks[0] (id \"SMS\").permissions[1].name: duplicate id \"p\""
    );
    // An advisor's permissions are exactly the listed ones: defaults are not re-added.
    let m = doc(r#""advisors": [{"advisorSymphonyId": "a", "networks": [{"externalNetwork": "SMS", "permissions": []}]}]"#).unwrap();
    let s = m.compile();
    assert!(s.networks().is_entitled("a", "SMS"));
    assert!(!s.networks().has_permission("a", "SMS", "send:message"));
}

// ---- property test against a reference built from the operations ------------------------

const PERMS: [&str; 4] = ["p0", "p1", "p2", "p3"];
const NETS: [&str; 3] = ["N0", "N1", "N2"];

proptest! {
    #![proptest_config(crate::common::config(200))]

    #[test]
    fn has_network_permission_matches_reference_forward_and_reverse(seed in any::<u64>(), ops in 0usize..40) {
        let mut rng = Lcg(seed);
        let mut m = Model::new();
        let n_users = 4;
        let unknown = |id: &str| NetworkErrorKind::UnknownAdvisor { id: id.to_owned() };
        for u in 0..n_users {
            m.add_user(&format!("u{u}"), None).unwrap();
        }
        // Catalogs: each network lists a random subset, random defaults.
        let mut catalog: BTreeMap<usize, Vec<(usize, bool)>> = BTreeMap::new();
        for (n, net) in NETS.iter().enumerate() {
            m.networks_mut().add_network(net).unwrap();
            for (p, perm) in PERMS.iter().enumerate() {
                if rng.pct(70) {
                    let d = rng.pct(40);
                    m.networks_mut().add_network_permission(net, perm, d).unwrap();
                    catalog.entry(n).or_default().push((p, d));
                }
            }
        }
        let in_catalog = |n: usize, p: usize| catalog.get(&n).is_some_and(|c| c.iter().any(|&(q, _)| q == p));
        // Reference state: (user, network) -> held permissions.
        let mut held: BTreeMap<(usize, usize), BTreeSet<usize>> = BTreeMap::new();
        let mut active = vec![true; n_users];
        for _ in 0..ops {
            let (u, n, p) = (rng.below(n_users + 1), rng.below(NETS.len()), rng.below(PERMS.len()));
            let user = format!("u{u}");
            let known = u < n_users && active[u];
            match rng.below(5) {
                0 => {
                    let r = m.networks_mut().entitle_advisor(&user, NETS[n]);
                    prop_assert_eq!(r.map(|_| ()).map_err(|e| e.kind().clone()), if known { Ok(()) } else { Err(unknown(&user)) });
                    if known && !held.contains_key(&(u, n)) {
                        let defaults = catalog.get(&n).map(|c| c.iter().filter(|e| e.1).map(|e| e.0).collect()).unwrap_or_default();
                        held.insert((u, n), defaults);
                    }
                }
                1 => {
                    let r = m.networks_mut().remove_entitlement(&user, NETS[n]);
                    prop_assert_eq!(r.map(|_| ()).map_err(|e| e.kind().clone()), if known { Ok(()) } else { Err(unknown(&user)) });
                    held.remove(&(u, n));
                }
                2 | 3 => {
                    let r = m.networks_mut().grant_network_permission(&user, NETS[n], PERMS[p]);
                    let want = if !known {
                        Err("advisor")
                    } else if !in_catalog(n, p) {
                        Err("permission")
                    } else {
                        match held.get_mut(&(u, n)) {
                            None => Err("entitled"),
                            Some(h) if h.contains(&p) => Err("already"),
                            Some(h) => { h.insert(p); Ok(()) }
                        }
                    };
                    let got = r.map_err(|e| match e.kind() {
                        NetworkErrorKind::UnknownAdvisor { .. } => "advisor",
                        NetworkErrorKind::UnknownNetworkPermission { .. } => "permission",
                        NetworkErrorKind::NotEntitled { .. } => "entitled",
                        NetworkErrorKind::AlreadyAssigned { .. } => "already",
                        _ => "other",
                    });
                    prop_assert_eq!(got, want);
                }
                _ => {
                    let r = m.networks_mut().revoke_network_permission(&user, NETS[n], PERMS[p]);
                    let (network, permission) = (NETS[n].to_owned(), PERMS[p].to_owned());
                    let want = if !known {
                        Err(unknown(&user))
                    } else if !in_catalog(n, p) {
                        Err(NetworkErrorKind::UnknownNetworkPermission { network, permission })
                    } else {
                        // Not entitled is not holding it either: the same not-found error.
                        match held.get_mut(&(u, n)).map(|h| h.remove(&p)) {
                            Some(true) => Ok(()),
                            _ => Err(NetworkErrorKind::PermissionNotHeld { advisor: user.clone(), network, permission }),
                        }
                    };
                    prop_assert_eq!(r.map(|_| ()).map_err(|e| e.kind().clone()), want);
                }
            }
            if rng.pct(3) && n_users > 1 {
                let victim = rng.below(n_users);
                if active[victim] {
                    m.remove_user(&format!("u{victim}")).unwrap();
                    active[victim] = false;
                }
            }
        }
        let s = m.compile();
        for (n, net) in NETS.iter().enumerate() {
            for (p, perm) in PERMS.iter().enumerate() {
                let mut want = Vec::new();
                for (u, &is_active) in active.iter().enumerate() {
                    let expected = is_active && held.get(&(u, n)).is_some_and(|h| h.contains(&p));
                    let user = format!("u{u}");
                    prop_assert_eq!(s.networks().has_permission(user.as_str(), *net, *perm), expected);
                    let why = s.networks().explain_permission(user.as_str(), *net, *perm);
                    prop_assert_eq!(why.allowed, expected, "{}", why);
                    if let (Some(a), Some(nn), Some(pp)) = (s.user_id(&user), s.networks().network_id(net), s.networks().permission_id(perm)) {
                        prop_assert_eq!(s.networks().has_permission(a, nn, pp), expected);
                    }
                    if expected { want.push(user); }
                }
                let mut got: Vec<String> = s.networks().advisors_with_permission(*net, *perm).external_ids().map(str::to_owned).collect();
                got.sort();
                prop_assert_eq!(got, want);
            }
        }
    }
}

#[test]
fn permission_explanations_name_what_is_missing() {
    let mut m = Model::new();
    m.add_user("a", None).unwrap();
    m.add_user("b", None).unwrap();
    m.networks_mut().add_network("SMS").unwrap();
    m.networks_mut()
        .add_network_permission("SMS", "create:room", true)
        .unwrap();
    m.networks_mut()
        .add_network_permission("SMS", "send:file", false)
        .unwrap();
    m.networks_mut().entitle_advisor("a", "SMS").unwrap();
    let s = m.compile();
    let why = |u: &str, n: &str, p: &str| s.networks().explain_permission(u, n, p);
    let held = why("a", "SMS", "create:room");
    assert_eq!(
        (held.allowed, held.reason),
        (
            true,
            NetworkReason::NetworkPermissions {
                advisor: "a".into(),
                network: "SMS".into(),
                missing: vec![]
            }
        )
    );
    assert_eq!(
        why("b", "SMS", "create:room").reason,
        NetworkReason::NotEntitled {
            advisor: "b".into(),
            network: "SMS".into()
        }
    );
    assert_eq!(
        why("a", "FAX", "create:room").reason,
        NetworkReason::UnknownNetworkItem {
            kind: "network",
            id: "\"FAX\"".into()
        }
    );
    assert_eq!(
        why("a", "SMS", "fly").reason,
        NetworkReason::UnknownNetworkItem {
            kind: "permission",
            id: "\"fly\"".into()
        }
    );
    assert!(matches!(
        why("ghost", "SMS", "create:room").reason,
        NetworkReason::UnknownUser { .. }
    ));
    assert!(!why("a", "SMS", "send:file").allowed);
}
