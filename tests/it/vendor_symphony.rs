//! The Symphony adapter on the fixtures of `tests/fixtures/vendor/symphony/`, and the
//! network semantics it needs: vendor permission ids and the tenant-wide list, features as
//! data, advisors onboarded without being directory users first.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use orgperm::vendor::Strictness;
use orgperm::vendor::symphony::{
    SymphonyReader, advisor_permissions_response, bulk_add_response, catalog_response,
    permissions_response, problem,
};
use orgperm::{
    ChangeSet, Domain, ErrorKind, InputErrorKind, Model, NetworkErrorKind, NetworkFeature,
    NetworkReason,
};
use serde_json::{Value, json};

const NETWORKS: [&str; 5] = ["WECHAT", "WHATSAPP", "SMS", "SMS-DIRECT", "LINE"];

fn dir() -> PathBuf {
    crate::common::vendor_dir("symphony")
}

fn fixture(name: &str) -> String {
    crate::common::vendor_fixture("symphony", name)
}

fn value(name: &str) -> Value {
    crate::common::vendor_value("symphony", name)
}

fn aid(i: u64) -> String {
    (71234567890u64 + i).to_string()
}

/// Permission id -> name, from the raw tenant list.
fn ids() -> BTreeMap<String, String> {
    value("permissions.json")["permissions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["permissionId"].as_str().unwrap().to_owned(),
                p["permissionName"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

/// A network's catalog from its raw body: (name, isDefault) in order.
fn catalog(net: &str) -> Vec<(String, bool)> {
    let body = value(&format!("catalog-{net}.json"));
    let list = if body.is_array() {
        body
    } else {
        body["permissions"].clone()
    };
    list.as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["permissionName"].as_str().unwrap().to_owned(),
                e["isDefault"].as_bool().unwrap(),
            )
        })
        .collect()
}

/// The advisor files: (advisor, network) -> the names listed, in the file's order.
fn held() -> BTreeMap<(String, String), Vec<String>> {
    let ids = ids();
    let mut out = BTreeMap::new();
    for entry in std::fs::read_dir(dir().join("advisors")).unwrap() {
        let name = entry.unwrap().file_name().into_string().unwrap();
        let stem = name.strip_suffix(".json").unwrap();
        let (advisor, net) = stem.split_once('-').unwrap();
        let body = value(&format!("advisors/{name}"));
        let list = if body.is_array() {
            body
        } else {
            body["permissions"].clone()
        };
        let names = list
            .as_array()
            .unwrap()
            .iter()
            .map(|p| match p {
                Value::String(s) => s.clone(),
                _ => match p["permissionName"].as_str() {
                    Some(n) => n.to_owned(),
                    None => ids[p["permissionId"].as_str().unwrap()].clone(),
                },
            })
            .collect();
        out.insert((advisor.to_owned(), net.to_owned()), names);
    }
    out
}

/// A model whose directory already has the first ten advisors (in an org chart).
fn base() -> Model {
    let mut model = Model::new();
    model.add_user(&aid(0), None).unwrap();
    for i in 1..10 {
        model.add_user(&aid(i), Some(&aid(0))).unwrap();
    }
    model
}

fn read_catalogs(reader: &mut SymphonyReader) {
    assert_eq!(
        reader
            .read_permissions(&fixture("permissions.json"))
            .unwrap(),
        14
    );
    for net in NETWORKS {
        assert_eq!(
            reader
                .read_catalog(&fixture(&format!("catalog-{net}.json")), net)
                .unwrap(),
            catalog(net).len()
        );
    }
}

fn read_advisors(reader: &mut SymphonyReader) {
    for (advisor, net) in held().keys() {
        reader
            .read_advisor_permissions(
                &fixture(&format!("advisors/{advisor}-{net}.json")),
                advisor,
                net,
            )
            .unwrap();
    }
}

fn import() -> orgperm::vendor::Imported {
    let mut reader = SymphonyReader::onto(base());
    read_catalogs(&mut reader);
    read_advisors(&mut reader);
    reader.finish().unwrap()
}

fn op_counts(changes: &ChangeSet) -> BTreeMap<String, usize> {
    changes.ops.iter().fold(BTreeMap::new(), |mut acc, op| {
        let v = serde_json::to_value(op).unwrap();
        *acc.entry(v["op"].as_str().unwrap().to_owned()).or_default() += 1;
        acc
    })
}

#[test]
fn tenant_list_and_catalogs_load_exactly() {
    let mut reader = SymphonyReader::new();
    read_catalogs(&mut reader);
    let out = reader.finish().unwrap();
    let nets = out.model.networks();
    let mut want: Vec<(String, Option<String>)> = ids()
        .into_iter()
        .map(|(id, name)| (name, Some(id)))
        .collect();
    want.sort();
    let got: Vec<(String, Option<String>)> = nets
        .tenant_permissions()
        .into_iter()
        .map(|(n, i)| (n.to_owned(), i.map(str::to_owned)))
        .collect();
    assert_eq!(got, want);
    assert_eq!(nets.network_ids().collect::<Vec<_>>(), NETWORKS);
    for net in NETWORKS {
        let got: Vec<(String, bool)> = nets
            .network_catalog(net)
            .unwrap()
            .into_iter()
            .map(|(n, d)| (n.to_owned(), d))
            .collect();
        assert_eq!(got, catalog(net), "{net}");
    }
    assert_eq!(nets.permission_named_by("1014"), Some("create:broadcast"));
    assert_eq!(
        nets.vendor_permission_id("add:multi-company-contact"),
        Some("1008")
    );
    let entries: usize = NETWORKS.iter().map(|n| catalog(n).len()).sum();
    assert_eq!(
        op_counts(&out.changes),
        BTreeMap::from([
            ("defineNetworkPermission".to_owned(), 14),
            ("addNetwork".to_owned(), 5),
            ("addNetworkPermission".to_owned(), entries),
        ])
    );
    let mut again = Model::new();
    ChangeSet::from_json(&out.changes.to_json())
        .unwrap()
        .apply_to(&mut again)
        .unwrap();
    assert_eq!(again.to_json(), out.model.to_json());
}

#[test]
fn advisor_permissions_load_exactly_and_onboard_advisors() {
    let out = import();
    let held = held();
    let model = &out.model;
    assert!(out.warnings.is_empty());
    // Fifty advisors were not directory users: they are now, without a manager.
    assert_eq!(model.user_count(), 60);
    assert_eq!(model.manager_of(&aid(3)), Some(aid(0).as_str()));
    assert_eq!(model.manager_of(&aid(30)), None);
    for ((advisor, net), names) in &held {
        let order: Vec<String> = catalog(net)
            .into_iter()
            .map(|(n, _)| n)
            .filter(|n| names.contains(n))
            .collect();
        assert_eq!(
            model
                .networks()
                .network_permissions_of(advisor, net)
                .unwrap(),
            order,
            "{advisor} {net}"
        );
    }
    let advisors: BTreeSet<&str> = held.keys().map(|(a, _)| a.as_str()).collect();
    let onboarded = advisors
        .iter()
        .filter(|a| model.manager_of(a).is_none() && **a != aid(0))
        .count();
    assert_eq!(onboarded, 50);
    let counts = op_counts(&out.changes);
    assert_eq!(counts["onboardAdvisor"], 50);
    assert_eq!(counts["entitleAdvisor"], held.len() - 50);

    let snap = model.compile();
    let nets = snap.networks();
    for net in NETWORKS {
        for (perm, _) in catalog(net) {
            let want: BTreeSet<String> = held
                .iter()
                .filter(|((_, n), names)| n == net && names.contains(&perm))
                .map(|((a, _), _)| a.clone())
                .collect();
            let got: BTreeSet<String> = nets
                .advisors_with_permission(net, perm.as_str())
                .external_ids()
                .map(str::to_owned)
                .collect();
            assert_eq!(got, want, "{net} {perm}");
        }
    }
    // Not entitled: nothing counts there.
    let (a, _) = held.keys().find(|(_, n)| n == "WHATSAPP").unwrap();
    let off: Vec<&str> = NETWORKS
        .into_iter()
        .filter(|n| !held.contains_key(&(a.clone(), n.to_string())))
        .collect();
    for n in off {
        assert!(!nets.is_entitled(a.as_str(), n));
        assert!(!nets.has_permission(a.as_str(), n, "create:room"));
    }
    // Composite features, the built-in one and one defined as data.
    let offboard = NetworkFeature::ADMIN_TAB_OFFBOARDING;
    let mut with_feature = model.clone();
    with_feature
        .networks_mut()
        .define_feature(
            "multi-company-room",
            &["add:multi-company-contact", "create:room"],
        )
        .unwrap();
    let snap2 = with_feature.compile();
    for ((advisor, net), names) in &held {
        let has = |p: &str| names.iter().any(|n| n == p);
        assert_eq!(
            nets.has_feature(advisor.as_str(), net.as_str(), offboard),
            has("admin:list-customers") && has("on-behalf:simple-offboard"),
            "{advisor} {net}"
        );
        assert_eq!(
            snap2.networks().has_named_feature(
                advisor.as_str(),
                net.as_str(),
                "multi-company-room"
            ),
            has("add:multi-company-contact") && has("create:room"),
            "{advisor} {net}"
        );
    }
    // An onboarded advisor holds nothing outside the networks.
    assert!(!snap.can_access(aid(30).as_str(), Domain::Calls, aid(30).as_str()));

    // The change set replays onto the base.
    let mut again = base();
    out.changes.apply_to(&mut again).unwrap();
    assert_eq!(again.to_json(), model.to_json());
}

#[test]
fn bodies_are_written_back_exactly() {
    let model = import().model;
    // The tenant list, without the informational descriptions.
    let mut tenant = value("permissions.json");
    for p in tenant["permissions"].as_array_mut().unwrap() {
        p.as_object_mut().unwrap().remove("description");
    }
    let mut sorted = tenant["permissions"].as_array().unwrap().clone();
    sorted.sort_by(|a, b| {
        a["permissionName"]
            .as_str()
            .cmp(&b["permissionName"].as_str())
    });
    assert_eq!(
        permissions_response(&model).to_value(),
        json!({"permissions": sorted})
    );
    for net in NETWORKS {
        let body = value(&format!("catalog-{net}.json"));
        let want = if body.is_array() {
            json!({"externalNetwork": net, "permissions": body})
        } else {
            body
        };
        assert_eq!(
            catalog_response(&model, net).unwrap().to_value(),
            want,
            "{net}"
        );
    }
    // The advisor files in the full form (an object with ids and names) are what the writer
    // answers.
    let full = [aid(3), aid(6), aid(9)];
    let mut checked = 0;
    for (advisor, net) in held().keys().filter(|(a, _)| full.contains(a)) {
        let body = value(&format!("advisors/{advisor}-{net}.json"));
        assert_eq!(
            advisor_permissions_response(&model, advisor, net)
                .unwrap()
                .to_value(),
            body,
            "{advisor} {net}"
        );
        checked += 1;
    }
    assert!(checked >= 3);
}

#[test]
fn model_to_symphony_bodies_to_model_is_identical() {
    let model = import().model;
    let mut reader = SymphonyReader::onto(base());
    reader
        .read_permissions(&permissions_response(&model).to_json())
        .unwrap();
    for net in NETWORKS {
        reader
            .read_catalog(&catalog_response(&model, net).unwrap().to_json(), net)
            .unwrap();
    }
    for (advisor, net) in held().keys() {
        let body = advisor_permissions_response(&model, advisor, net).unwrap();
        reader
            .read_advisor_permissions(&body.to_json(), advisor, net)
            .unwrap();
    }
    let rebuilt = reader.finish().unwrap().model;
    assert_eq!(rebuilt.to_json(), model.to_json());
    // Read again onto the model itself: nothing differs.
    let mut reader = SymphonyReader::onto(model.clone());
    read_catalogs(&mut reader);
    read_advisors(&mut reader);
    assert!(reader.finish().unwrap().changes.ops.is_empty());
}

#[test]
fn bulk_add_answers_per_advisor() {
    let base = import().model;
    let mut reader = SymphonyReader::onto(base.clone());
    let results = reader
        .read_bulk_add(&fixture("bulk-add-request.json"))
        .unwrap();
    let body = bulk_add_response("WHATSAPP", "add:multi-company-contact", &results);
    assert_eq!(body.to_value(), value("bulk-add-response.json"));
    let out = reader.finish().unwrap();
    let ok: Vec<&str> = body
        .results
        .iter()
        .filter(|r| r.status == 200)
        .map(|r| r.advisor_symphony_id.as_str())
        .collect();
    assert_eq!(ok.len(), 11);
    assert_eq!(
        op_counts(&out.changes),
        BTreeMap::from([("grantNetworkPermission".to_owned(), 11)])
    );
    let snap = out.model.compile();
    for a in &ok {
        assert!(
            snap.networks()
                .has_permission(*a, "WHATSAPP", "add:multi-company-contact")
        );
    }
    // Reading the response onto the model before the bulk add gives the same model.
    let mut reader = SymphonyReader::onto(base);
    assert_eq!(
        reader
            .read_bulk_add_response(&fixture("bulk-add-response.json"))
            .unwrap(),
        11
    );
    assert_eq!(
        reader.finish().unwrap().model.to_json(),
        out.model.to_json()
    );
    // An unknown network fails the whole request, with nothing applied.
    let mut reader = SymphonyReader::onto(out.model.clone());
    let err = reader
        .read_bulk_add(r#"{"advisorSymphonyIds": ["1"], "externalNetwork": "ICQ", "permissionName": "create:room"}"#)
        .unwrap_err();
    assert_eq!(
        problem(&err).to_value(),
        json!({"type": "about:blank", "title": "external.network.not.found", "status": 400,
               "detail": "externalNetwork: external network \"ICQ\" not found"})
    );
    assert!(reader.finish().unwrap().changes.ops.is_empty());
}

#[test]
fn single_add_and_problem_objects() {
    let model = import().model;
    let held = held();
    let (advisor, net) = held
        .iter()
        .find(|((_, n), names)| {
            !names.iter().any(|p| p == "admin:list-customers")
                && catalog(n).iter().any(|(p, _)| p == "admin:list-customers")
        })
        .map(|((a, n), _)| (a.clone(), n.clone()))
        .unwrap();
    let mut reader = SymphonyReader::onto(model);
    reader
        .read_add_permission(&fixture("add-permission.json"), &advisor, &net)
        .unwrap();
    assert!(
        reader
            .model()
            .networks()
            .network_permissions_of(&advisor, &net)
            .unwrap()
            .contains(&"admin:list-customers")
    );
    let err = reader
        .read_add_permission(&fixture("add-permission.json"), &advisor, &net)
        .unwrap_err();
    assert_eq!(
        problem(&err).to_value(),
        json!({"type": "about:blank", "title": "permission.already.assigned", "status": 409,
               "detail": format!("permissionName: advisor \"{advisor}\" already holds \"admin:list-customers\" on network \"{net}\"")})
    );
    let titles = |body: &str, a: &str, n: &str| {
        let mut r = reader.clone();
        let p = problem(&r.read_add_permission(body, a, n).unwrap_err());
        (p.title, p.status)
    };
    let add = fixture("add-permission.json");
    assert_eq!(
        titles(&add, "99999999999", &net),
        ("advisor.not.found".into(), 404)
    );
    assert_eq!(
        titles(&add, &advisor, "ICQ"),
        ("external.network.not.found".into(), 400)
    );
    assert_eq!(
        titles(r#"{"permissionName": "fly:away"}"#, &advisor, &net),
        ("permission.not.found".into(), 404)
    );
    let (stranger, off) = held
        .keys()
        .map(|(a, _)| a)
        .find_map(|a| {
            NETWORKS
                .into_iter()
                .find(|n| !held.contains_key(&(a.clone(), n.to_string())))
                .map(|n| (a.clone(), n))
        })
        .unwrap();
    assert_eq!(
        titles(r#"{"permissionName": "create:room"}"#, &stranger, off),
        ("advisor.not.entitled".into(), 409)
    );
    assert_eq!(
        titles(r#"{"permissionNames": ["create:room"]}"#, &advisor, &net),
        ("bad.request".into(), 400)
    );
    let mut model = reader.finish().unwrap().model;
    model
        .networks_mut()
        .revoke_network_permission(&advisor, &net, "admin:list-customers")
        .unwrap();
    let err = model
        .networks_mut()
        .revoke_network_permission(&advisor, &net, "admin:list-customers")
        .unwrap_err();
    let p = problem(&err.into());
    assert_eq!(
        (p.title.as_str(), p.status),
        ("permission.not.assigned", 404)
    );
}

// ---- strictness ------------------------------------------------------------------------------

fn unknown(expected: &'static [&'static str]) -> ErrorKind {
    ErrorKind::Input(InputErrorKind::UnknownField { expected })
}

const PERMISSION: &[&str] = &["permissionId", "permissionName"];
const CATALOG: &[&str] = &["permissionId", "permissionName", "isDefault"];

fn catalogs_read() -> SymphonyReader {
    let mut reader = SymphonyReader::onto(base());
    read_catalogs(&mut reader);
    reader
}

#[test]
fn strict_errors_name_their_path() {
    let mut tenant = value("permissions.json");
    let p3 = tenant["permissions"][3].as_object_mut().unwrap();
    let v = p3.remove("permissionName").unwrap();
    p3.insert("permissionNme".into(), v);
    let err = SymphonyReader::new()
        .read_permissions(&tenant.to_string())
        .unwrap_err();
    assert_eq!(err.path(), "permissions[3].permissionNme");
    assert_eq!(err.kind(), &unknown(PERMISSION));

    let mut cat = value("catalog-WHATSAPP.json");
    cat["permissions"][2]["isDefualt"] = json!(true);
    let mut reader = catalogs_read();
    let before = reader.model().to_json();
    let err = reader
        .read_catalog(&cat.to_string(), "WHATSAPP")
        .unwrap_err();
    assert_eq!(err.path(), "permissions[2].isDefualt");
    assert_eq!(err.kind(), &unknown(CATALOG));
    let mut line = value("catalog-LINE.json");
    line[4]["isDefault"] = json!("yes");
    let err = reader.read_catalog(&line.to_string(), "LINE").unwrap_err();
    assert_eq!(err.path(), "[4].isDefault");
    assert_eq!(
        err.kind(),
        &ErrorKind::Input(InputErrorKind::WrongType {
            expected: "a boolean".into(),
            found: "\"yes\"".into()
        })
    );
    let err = reader
        .read_catalog(r#"{"externalNetwork": "SMS", "permission": []}"#, "SMS")
        .unwrap_err();
    assert_eq!(err.path(), "permission");
    assert_eq!(err.kind(), &unknown(&["permissions", "externalNetwork"]));
    let err = reader
        .read_catalog(r#"{"externalNetwork": "SMS", "permissions": []}"#, "LINE")
        .unwrap_err();
    assert_eq!(err.path(), "externalNetwork");
    assert!(matches!(
        err.kind(),
        ErrorKind::Input(InputErrorKind::Conflict { .. })
    ));
    let err = reader
        .read_catalog(
            r#"[{"permissionName": "create:room"}, {"permissionName": "create:room"}]"#,
            "LINE",
        )
        .unwrap_err();
    assert_eq!(err.path(), "[1].permissionName");
    assert_eq!(
        err.kind(),
        &ErrorKind::Input(InputErrorKind::DuplicateId {
            id: "create:room".into()
        })
    );
    // An id naming another permission.
    let err = reader
        .read_catalog(
            r#"[{"permissionId": "1001", "permissionName": "create:contact"}]"#,
            "LINE",
        )
        .unwrap_err();
    assert_eq!(err.path(), "[0].permissionId");
    assert_eq!(
        err.kind(),
        &ErrorKind::Input(InputErrorKind::DuplicateId { id: "1001".into() })
    );
    assert_eq!(reader.model().to_json(), before);

    // Advisor bodies.
    let err = reader
        .read_advisor_permissions(r#"{"advisorSymphonyId": "1", "permissions": [{"permissionName": "create:room"}, {"name": "x"}]}"#, "1", "SMS")
        .unwrap_err();
    assert_eq!(err.path(), "permissions[1].name");
    assert_eq!(err.kind(), &unknown(PERMISSION));
    let err = reader
        .read_advisor_permissions(r#"["send:attachment"]"#, "1", "SMS")
        .unwrap_err();
    assert_eq!(err.path(), "[0]");
    assert_eq!(
        err.kind(),
        &ErrorKind::Network(NetworkErrorKind::UnknownNetworkPermission {
            network: "SMS".into(),
            permission: "send:attachment".into()
        })
    );
    let err = reader
        .read_advisor_permissions(r#"[{"permissionId": "4040"}]"#, "1", "SMS")
        .unwrap_err();
    assert_eq!(err.path(), "[0].permissionId");
    let err = reader
        .read_advisor_permissions(
            r#"{"advisorSymphonyId": "2", "permissions": []}"#,
            "1",
            "SMS",
        )
        .unwrap_err();
    assert_eq!(err.path(), "advisorSymphonyId");
    let err = reader
        .read_advisor_permissions(
            r#"[{"permissionId": "1001", "permissionName": "create:contact"}]"#,
            "1",
            "SMS",
        )
        .unwrap_err();
    assert_eq!(err.path(), "[0].permissionId");
    // Nothing of the failing bodies applied: advisor "1" was not onboarded.
    assert_eq!(reader.model().user_id("1"), None);

    // Bulk add.
    let err = reader
        .read_bulk_add(r#"{"advisorSymphonyId": ["1"], "externalNetwork": "SMS", "permissionName": "create:room"}"#)
        .unwrap_err();
    assert_eq!(err.path(), "advisorSymphonyId");
    assert_eq!(
        err.kind(),
        &unknown(&["advisorSymphonyIds", "externalNetwork", "permissionName"])
    );

    // A catalog that drops a permission advisors hold is refused.
    let mut reader = SymphonyReader::onto(import().model);
    let mut cat = value("catalog-WHATSAPP.json");
    cat["permissions"].as_array_mut().unwrap().remove(0);
    let err = reader
        .read_catalog(&cat.to_string(), "WHATSAPP")
        .unwrap_err();
    assert!(matches!(
        err.kind(),
        ErrorKind::Network(NetworkErrorKind::NetworkPermissionInUse { permission, .. }) if permission == "create:room"
    ));
    assert_eq!(err.path(), "permissionName");
}

#[test]
fn lenient_mode_returns_warnings() {
    let mut cat = value("catalog-WHATSAPP.json");
    cat["permissions"][2]["isDefualt"] = json!(true);
    cat["etag"] = json!("w/1");
    let mut reader = SymphonyReader::onto(base()).with_strictness(Strictness::Lenient);
    reader
        .read_permissions(&fixture("permissions.json"))
        .unwrap();
    reader.read_catalog(&cat.to_string(), "WHATSAPP").unwrap();
    reader
        .read_advisor_permissions(
            r#"[{"permissionName": "create:room", "scope": "all"}]"#,
            &aid(1),
            "WHATSAPP",
        )
        .unwrap();
    let out = reader.finish().unwrap();
    let got: Vec<(String, InputErrorKind)> = out
        .warnings
        .iter()
        .map(|w| (w.path().to_owned(), w.kind().clone()))
        .collect();
    assert_eq!(
        got,
        [
            (
                "etag".to_owned(),
                InputErrorKind::UnknownField {
                    expected: &["permissions", "externalNetwork"]
                }
            ),
            (
                "permissions[2].isDefualt".to_owned(),
                InputErrorKind::UnknownField { expected: CATALOG }
            ),
            (
                "[0].scope".to_owned(),
                InputErrorKind::UnknownField {
                    expected: PERMISSION
                }
            ),
        ]
    );
    let got: Vec<(String, bool)> = out
        .model
        .networks()
        .network_catalog("WHATSAPP")
        .unwrap()
        .into_iter()
        .map(|(n, d)| (n.to_owned(), d))
        .collect();
    assert_eq!(got, catalog("WHATSAPP"));
    assert_eq!(
        out.model
            .networks()
            .network_permissions_of(&aid(1), "WHATSAPP")
            .unwrap(),
        ["create:room"]
    );
}

// ---- the network semantics behind the adapter -------------------------------------------------

#[test]
fn permission_ids_and_the_tenant_list() {
    let mut model = Model::new();
    let mut nets = model.networks_mut();
    nets.add_network("SMS").unwrap();
    nets.add_network_permission("SMS", "create:room", true)
        .unwrap();
    // A catalog permission is on the list without an id; an id can be given later, once.
    assert!(nets.define_permission("create:room", Some("1001")).unwrap());
    assert!(!nets.define_permission("create:room", None).unwrap());
    let err = nets
        .define_permission("create:room", Some("1002"))
        .unwrap_err();
    assert_eq!(err.path(), "permissionId");
    assert!(matches!(
        err.kind(),
        NetworkErrorKind::Input(InputErrorKind::Conflict { .. })
    ));
    let err = nets
        .define_permission("edit:contact", Some("1001"))
        .unwrap_err();
    assert_eq!(
        err.kind(),
        &NetworkErrorKind::Input(InputErrorKind::DuplicateId { id: "1001".into() })
    );
    assert_eq!(
        nets.define_permission("", None).unwrap_err().path(),
        "permissionName"
    );
    assert_eq!(
        nets.define_permission("x", Some("")).unwrap_err().path(),
        "permissionId"
    );
    assert!(
        nets.define_permission("create:broadcast", Some("1014"))
            .unwrap()
    );
    assert_eq!(
        model.networks().tenant_permissions(),
        [
            ("create:broadcast", Some("1014")),
            ("create:room", Some("1001"))
        ]
    );
    // The document keeps what the catalogs do not imply, and round-trips exactly.
    let doc: Value = serde_json::from_str(&model.to_json()).unwrap();
    assert_eq!(
        doc["networkPermissions"],
        json!([{"name": "create:broadcast", "permissionId": "1014"}, {"name": "create:room", "permissionId": "1001"}])
    );
    let again = Model::from_json(&model.to_json()).unwrap();
    assert_eq!(again.to_json(), model.to_json());
    assert_eq!(
        again.networks().permission_named_by("1014"),
        Some("create:broadcast")
    );
    // A permission removed from every catalog stays on the list, and in the document.
    model
        .networks_mut()
        .add_network_permission("SMS", "edit:contact", false)
        .unwrap();
    model
        .networks_mut()
        .remove_network_permission("SMS", "edit:contact")
        .unwrap();
    let doc: Value = serde_json::from_str(&model.to_json()).unwrap();
    assert_eq!(
        doc["networkPermissions"][2],
        json!({"name": "edit:contact"})
    );
    assert_eq!(
        Model::from_json(&model.to_json()).unwrap().to_json(),
        model.to_json()
    );
    // Strict: a misspelt field of the section names its path.
    let mut bad: Value = serde_json::from_str(&model.to_json()).unwrap();
    let entry = bad["networkPermissions"][0].as_object_mut().unwrap();
    let id = entry.remove("permissionId").unwrap();
    entry.insert("permissionID".into(), id);
    let bad = bad.to_string();
    assert_eq!(
        Model::from_json(&bad).unwrap_err().path(),
        "networkPermissions[0].permissionID"
    );
}

#[test]
fn features_defined_as_data() {
    let mut model = Model::new();
    model.add_user("a", None).unwrap();
    let mut nets = model.networks_mut();
    nets.add_network("WHATSAPP").unwrap();
    nets.add_network_permission("WHATSAPP", "create:room", true)
        .unwrap();
    nets.add_network_permission("WHATSAPP", "add:multi-company-contact", false)
        .unwrap();
    nets.entitle_advisor("a", "WHATSAPP").unwrap();
    assert!(
        nets.define_feature("mcc", &["add:multi-company-contact", "create:room"])
            .unwrap()
    );
    assert_eq!(nets.define_feature("", &["x"]).unwrap_err().path(), "name");
    assert_eq!(
        nets.define_feature("f", &[]).unwrap_err().path(),
        "requires"
    );
    assert_eq!(
        nets.define_feature("f", &["x", "x"]).unwrap_err().path(),
        "requires[1]"
    );
    assert_eq!(
        nets.define_feature("f", &["x", ""]).unwrap_err().path(),
        "requires[1]"
    );
    let snap = model.compile();
    assert!(!snap.networks().has_named_feature("a", "WHATSAPP", "mcc"));
    let d = snap
        .networks()
        .explain_named_feature("a", "WHATSAPP", "mcc");
    assert_eq!(
        d.reason,
        NetworkReason::NetworkPermissions {
            advisor: "a".into(),
            network: "WHATSAPP".into(),
            missing: vec!["add:multi-company-contact".into()],
        }
    );
    assert!(!d.allowed);
    // The same requirement as the built-in constant answers the same.
    assert_eq!(
        snap.networks().has_named_feature("a", "WHATSAPP", "mcc"),
        snap.networks()
            .has_feature("a", "WHATSAPP", NetworkFeature::MULTI_COMPANY_CONTACT)
    );
    model
        .networks_mut()
        .grant_network_permission("a", "WHATSAPP", "add:multi-company-contact")
        .unwrap();
    let snap = model.compile();
    assert!(snap.networks().has_named_feature("a", "WHATSAPP", "mcc"));
    assert!(
        snap.networks()
            .explain_named_feature("a", "WHATSAPP", "mcc")
            .allowed
    );
    assert!(!snap.networks().has_named_feature("a", "SMS", "mcc"));
    assert!(!snap.networks().has_named_feature("zz", "WHATSAPP", "mcc"));
    // Replacing a definition, the document and a change set.
    assert!(
        !model
            .networks_mut()
            .define_feature("mcc", &["create:room", "send:attachment"])
            .unwrap()
    );
    assert!(
        !model
            .compile()
            .networks()
            .has_named_feature("a", "WHATSAPP", "mcc")
    );
    let doc: Value = serde_json::from_str(&model.to_json()).unwrap();
    assert_eq!(
        doc["networkFeatures"],
        json!([{"name": "mcc", "requires": ["create:room", "send:attachment"]}])
    );
    assert_eq!(
        Model::from_json(&model.to_json()).unwrap().to_json(),
        model.to_json()
    );
    let changes = ChangeSet::from_json(
        r#"{"version": 1, "ops": [
            {"op": "defineNetworkFeature", "name": "rooms", "requires": ["create:room"]},
            {"op": "removeNetworkFeature", "name": "mcc"},
            {"op": "defineNetworkPermission", "name": "create:room", "permissionId": "1001"},
            {"op": "setNetworkPermissionDefault", "networkId": "WHATSAPP", "name": "add:multi-company-contact", "isDefault": true}
        ]}"#,
    )
    .unwrap();
    changes.apply_to(&mut model).unwrap();
    assert_eq!(
        model.networks().features(),
        [("rooms", vec!["create:room"])]
    );
    assert_eq!(
        model.networks().vendor_permission_id("create:room"),
        Some("1001")
    );
    assert_eq!(
        model.networks().network_catalog("WHATSAPP").unwrap(),
        [("create:room", true), ("add:multi-company-contact", true)]
    );
    let err = ChangeSet::from_json(
        r#"{"version": 1, "ops": [{"op": "removeNetworkFeature", "name": "mcc"}]}"#,
    )
    .unwrap()
    .apply_to(&mut model)
    .unwrap_err();
    assert_eq!(err.to_string(), "ops[0].name: feature \"mcc\" not found");
    let mut bad: Value = serde_json::from_str(&model.to_json()).unwrap();
    let entry = bad["networkFeatures"][0].as_object_mut().unwrap();
    let req = entry.remove("requires").unwrap();
    entry.insert("requirs".into(), req);
    let bad = bad.to_string();
    assert_eq!(
        Model::from_json(&bad).unwrap_err().path(),
        "networkFeatures[0].requirs"
    );
}

#[test]
fn advisors_need_not_be_directory_users_first() {
    let mut model = Model::new();
    model.networks_mut().add_network("LINE").unwrap();
    model
        .networks_mut()
        .add_network_permission("LINE", "create:room", true)
        .unwrap();
    // The plain entitlement still asks for a directory user.
    let err = model
        .networks_mut()
        .entitle_advisor("777", "LINE")
        .unwrap_err();
    assert_eq!(
        err.kind(),
        &NetworkErrorKind::UnknownAdvisor { id: "777".into() }
    );
    // Onboarding adds them (an unknown network adds nothing).
    let err = model.onboard_advisor("777", "ICQ").unwrap_err();
    assert_eq!(err.path(), "externalNetwork");
    assert_eq!(model.user_id("777"), None);
    assert!(model.onboard_advisor("777", "LINE").unwrap());
    assert!(!model.onboard_advisor("777", "LINE").unwrap());
    assert_eq!(model.user_count(), 1);
    assert!(
        model
            .compile()
            .networks()
            .has_permission("777", "LINE", "create:room")
    );
    // Through a change set, on an engine-style draft.
    let mut other = Model::new();
    ChangeSet::from_json(
        r#"{"version": 1, "ops": [
            {"op": "addNetwork", "id": "LINE"},
            {"op": "addNetworkPermission", "networkId": "LINE", "name": "create:room", "isDefault": true},
            {"op": "onboardAdvisor", "advisorId": "777", "networkId": "LINE"}
        ]}"#,
    )
    .unwrap()
    .apply_to(&mut other)
    .unwrap();
    assert_eq!(other.to_json(), model.to_json());
    let err = ChangeSet::from_json(r#"{"version": 1, "ops": [{"op": "onboardAdvisor", "advisorId": "", "networkId": "LINE"}]}"#)
        .unwrap()
        .apply_to(&mut other)
        .unwrap_err();
    assert_eq!(err.path(), "ops[0].advisorId");
    // Removing the user drops the entitlement; the id added again holds nothing.
    model.remove_user("777").unwrap();
    assert!(!model.compile().networks().is_entitled("777", "LINE"));
    model.add_user("777", None).unwrap();
    assert!(
        !model
            .compile()
            .networks()
            .has_permission("777", "LINE", "create:room")
    );
}

#[test]
fn an_engine_recompiles_the_directory_for_an_onboarding() {
    let mut model = Model::new();
    model.networks_mut().add_network("SMS").unwrap();
    model
        .networks_mut()
        .add_network_permission("SMS", "create:room", true)
        .unwrap();
    let engine = orgperm::Engine::new(model);
    engine
        .apply(&ChangeSet::from_json(r#"{"version": 1, "ops": [{"op": "onboardAdvisor", "advisorId": "9", "networkId": "SMS"}]}"#).unwrap())
        .unwrap();
    let snap = engine.snapshot();
    assert!(snap.networks().has_permission("9", "SMS", "create:room"));
    assert!(snap.user_id("9").is_some());
}
