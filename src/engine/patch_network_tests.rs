//! The network family's patch against a fresh compile. It lives in the engine layer, above
//! the model, because it builds its state through the model.

use std::sync::Arc;

use crate::Model;
use crate::id::UserId;
use crate::network::compiled::*;
use crate::network::store::NetworksMut;
use crate::network::{NetworkFeature, NetworkId};
use crate::org::compiled::CompiledOrg;

/// Every answer of the networks view on the model's ids, forward and reverse.
fn answers(org: &CompiledOrg, nets: &CompiledNetworks, users: &[String]) -> Vec<String> {
    let view = Networks::new(org, nets);
    let mut out = Vec::new();
    for n in ["WA", "SMS", "LINE"] {
        for p in ["send", "room", "file"] {
            let who: Vec<&str> = view.advisors_with_permission(n, p).external_ids().collect();
            out.push(format!("{n} {p} {who:?}"));
        }
        for a in users {
            out.push(format!(
                "{a} {n} {} {:?} {:?}",
                view.is_entitled(a.as_str(), n),
                view.permissions_of(a.as_str(), n),
                view.explain_feature(a.as_str(), n, NetworkFeature::CREATE_ROOM)
            ));
        }
    }
    out
}

#[test]
fn a_patched_compile_equals_a_fresh_one_after_entitlement_edits() {
    patched_equals_fresh(false);
    // Past 31 permission names the bitsets are records of their own.
    patched_equals_fresh(true);
}

fn patched_equals_fresh(wide: bool) {
    // 1,400 users on three networks: 4,200 cells, two chunks, advisor 1365's cells
    // (4095..4098) straddling them.
    let mut m = Model::new();
    let users: Vec<String> = (0..1400).map(|i| format!("u{i}")).collect();
    for u in &users {
        m.add_user(u, None).unwrap();
    }
    {
        let mut nets = m.networks_mut();
        for i in 0..if wide { 40 } else { 0 } {
            nets.define_permission(&format!("p{i}"), None).unwrap();
        }
        for n in ["WA", "SMS", "LINE"] {
            nets.add_network(n).unwrap();
            nets.add_network_permission(n, "send", true).unwrap();
            nets.add_network_permission(n, "room", false).unwrap();
        }
        nets.add_network_permission("WA", "create:room", true)
            .unwrap();
        nets.entitle_advisor("u7", "SMS").unwrap();
        nets.entitle_advisor("u1399", "LINE").unwrap();
    }
    let org = CompiledOrg::compile(&m.dir, &m.workspaces);
    let mut live = CompiledNetworks::compile(&m.networks, &org);
    assert_eq!(
        live.sets
            .get(cell(UserId::new(7), NetworkId::new(1), 3).unwrap())
            .unwrap()
            .len(),
        if wide { 2 } else { 1 }
    );
    type Edit = fn(&mut NetworksMut<'_>);
    let edits: [(&str, Edit); 12] = [
        ("u1365", |n| {
            n.entitle_advisor("u1365", "WA").unwrap();
        }),
        ("u1365", |n| {
            n.entitle_advisor("u1365", "LINE").unwrap();
        }),
        ("u1365", |n| {
            n.grant_network_permission("u1365", "LINE", "room").unwrap()
        }),
        ("u1365", |n| {
            n.revoke_network_permission("u1365", "WA", "send").unwrap()
        }),
        ("u3", |n| {
            n.entitle_advisor("u3", "WA").unwrap();
        }),
        ("u3", |n| {
            n.grant_network_permission("u3", "WA", "room").unwrap()
        }),
        ("u1365", |n| {
            n.remove_entitlement("u1365", "WA").unwrap();
        }),
        ("u3", |n| {
            n.remove_entitlement("u3", "WA").unwrap();
        }),
        // Re-entitled: the defaults again, not what they held before.
        ("u3", |n| {
            n.entitle_advisor("u3", "WA").unwrap();
        }),
        ("u1365", |n| {
            n.entitle_advisor("u1365", "WA").unwrap();
        }),
        ("u7", |n| {
            n.revoke_network_permission("u7", "SMS", "send").unwrap()
        }),
        // Nothing changes: a patch of an advisor still reads the store.
        ("u1399", |n| {
            n.remove_entitlement("u1399", "SMS").unwrap();
        }),
    ];
    for (advisor, edit) in edits {
        edit(&mut m.networks_mut());
        let a = m.dir.ids.get(advisor).unwrap();
        let patched = live.patch(&m.networks, &org, &[a, a]).unwrap();
        let fresh = CompiledNetworks::compile(&m.networks, &org);
        assert_eq!(patched.sets, fresh.sets, "after {advisor}'s edit");
        assert!(Arc::ptr_eq(&patched.defs, &live.defs));
        assert_eq!(patched.heap_bytes(), fresh.heap_bytes());
        assert_eq!(
            answers(&org, &patched, &users[..8]),
            answers(&org, &fresh, &users[..8])
        );
        let far = ["u1364", "u1365", "u1366", "u1399"].map(str::to_owned);
        assert_eq!(answers(&org, &patched, &far), answers(&org, &fresh, &far));
        live = patched;
    }
    let view = Networks::new(&org, &live);
    assert_eq!(view.permissions_of("u3", "WA"), ["send", "create:room"]);
    assert_eq!(view.permissions_of("u1365", "LINE"), ["send", "room"]);
    let who: Vec<&str> = view
        .advisors_with_permission("WA", "send")
        .external_ids()
        .collect();
    assert_eq!(who, ["u3", "u1365"]);
    // A new permission name changes the bitsets' width: no patch.
    m.networks_mut()
        .add_network_permission("SMS", "file", false)
        .unwrap();
    let a = m.dir.ids.get("u7").unwrap();
    assert!(live.patch(&m.networks, &org, &[a]).is_none());
}
