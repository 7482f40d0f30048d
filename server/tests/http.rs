//! The service over real HTTP on the loopback interface: allow, deny, bad input (400 with the
//! error path), paging, and read-your-writes after a change.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};

use orgperm::{Engine, Model};
use serde_json::Value;

const SAMPLE: &str = include_str!("../../examples/data/acme.json");

/// Starts the service on an ephemeral port, in a runtime of its own thread.
fn start() -> SocketAddr {
    let model = Model::from_json(SAMPLE).expect("the sample loads");
    let app = orgperm_server::App::new(Engine::new(model));
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Runtime::new().expect("a runtime");
        rt.block_on(async move {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
                .await
                .expect("bind");
            tx.send(listener.local_addr().expect("an address"))
                .expect("send");
            axum::serve(listener, orgperm_server::router(app))
                .await
                .expect("serve");
        });
    });
    rx.recv().expect("the server started")
}

/// One request; the status and the JSON body.
fn request(
    addr: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> (u16, Value) {
    let mut stream = TcpStream::connect(addr).expect("connect");
    let mut req = format!("{method} {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n");
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    req.push_str(&format!("Content-Length: {}\r\n\r\n{body}", body.len()));
    stream.write_all(req.as_bytes()).expect("write");
    let mut raw = String::new();
    stream.read_to_string(&mut raw).expect("read");
    let status: u16 = raw
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no status in {raw:?}"));
    let body = raw.split_once("\r\n\r\n").map(|(_, b)| b).unwrap_or("");
    let value = serde_json::from_str(body).unwrap_or(Value::Null);
    (status, value)
}

fn get(addr: SocketAddr, path: &str, user: Option<&str>) -> (u16, Value) {
    let headers: Vec<(&str, &str)> = user.map(|u| ("X-User-Id", u)).into_iter().collect();
    request(addr, "GET", path, &headers, "")
}

#[test]
fn checks_allow_and_deny_with_reasons() {
    let addr = start();
    let (status, v) = get(addr, "/calls/call-101", Some("lee"));
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["allowed"], true);
    assert_eq!(v["version"], 0);
    let (status, v) = get(addr, "/calls/call-102", Some("lee"));
    assert_eq!(status, 403);
    assert_eq!(
        v["reason"],
        "call \"call-102\" is private and the viewer is not its owner, a participant or a sharee"
    );
    assert_eq!(get(addr, "/users/ana/calls", Some("tess")).0, 200);
    assert_eq!(get(addr, "/users/dev/calls", Some("tess")).0, 403);
    assert_eq!(get(addr, "/items/g-pipeline/read", Some("lee")).0, 200);
    assert_eq!(get(addr, "/items/g-csat/read", Some("ana")).0, 403);
    assert_eq!(
        get(
            addr,
            "/permissions/routing:queue:view?division=na",
            Some("pia")
        )
        .0,
        200
    );
    assert_eq!(
        get(
            addr,
            "/permissions/routing:queue:view?division=emea",
            Some("pia")
        )
        .0,
        403
    );
    assert_eq!(
        get(addr, "/networks/WHATSAPP/send:file", Some("leo")).0,
        200
    );
    assert_eq!(
        get(addr, "/networks/WHATSAPP/send:file", Some("pia")).0,
        403
    );
    // Unknown ids deny (fail closed), with the reason.
    let (status, v) = get(addr, "/calls/call-101", Some("ghost"));
    assert_eq!(status, 403);
    assert_eq!(v["reason"], "unknown or removed user \"ghost\"");
    assert_eq!(get(addr, "/calls/no-such-call", Some("lee")).0, 403);
}

#[test]
fn bad_input_is_400_with_the_path_and_no_caller_is_401() {
    let addr = start();
    assert_eq!(get(addr, "/calls/call-101", None).0, 401);
    let (status, v) = get(addr, "/users/ana/callz", Some("tess"));
    assert_eq!(status, 400);
    assert_eq!(v["error"]["path"], "domain");
    let (status, v) = get(addr, "/items/g-pipeline/fly", Some("lee"));
    assert_eq!((status, &v["error"]["path"]), (400, &Value::from("verb")));
    // A misspelt field in a change set names its path; nothing is applied.
    let (status, v) = request(
        addr,
        "POST",
        "/admin/changes",
        &[],
        r#"{"version": 1, "ops": [{"op": "shareCall", "callId": "call-102", "userID": "lee"}]}"#,
    );
    assert_eq!(status, 400, "{v}");
    assert!(
        v["error"]["path"].as_str().unwrap().starts_with("ops[0]"),
        "{v}"
    );
    // A change naming something unknown: 404, the path of the field.
    let (status, v) = request(
        addr,
        "POST",
        "/admin/changes",
        &[],
        r#"{"version": 1, "ops": [{"op": "shareCall", "callId": "call-999", "userId": "lee"}]}"#,
    );
    assert_eq!(status, 404, "{v}");
    assert_eq!(v["error"]["path"], "ops[0].callId");
    assert_eq!(get(addr, "/health", None).1["version"], 0);
    let (status, _) = get_with(addr, "/calls/call-101", "lee", "soon");
    assert_eq!(status, 400);
}

fn get_with(addr: SocketAddr, path: &str, user: &str, token: &str) -> (u16, Value) {
    request(
        addr,
        "GET",
        path,
        &[("X-User-Id", user), ("X-Consistency-Token", token)],
        "",
    )
}

#[test]
fn reverse_routes_page_through_the_answer() {
    let addr = start();
    let (status, v) = get(addr, "/calls/call-103/viewers?limit=4", None);
    assert_eq!(status, 200);
    assert_eq!(v["count"], 6);
    assert_eq!(v["ids"], serde_json::json!(["maria", "dana", "sam", "dev"]));
    assert_eq!(v["nextOffset"], 4);
    let (_, v) = get(addr, "/calls/call-103/viewers?limit=4&offset=4", None);
    assert_eq!(v["ids"], serde_json::json!(["eli", "tess"]));
    assert_eq!(v["nextOffset"], Value::Null);
    let (_, v) = get(addr, "/visible/calls", Some("dana"));
    assert_eq!(
        v["ids"],
        serde_json::json!(["call-101", "call-103", "call-104", "call-105"])
    );
}

#[test]
fn a_change_is_read_back_with_its_token() {
    let addr = start();
    assert_eq!(get(addr, "/calls/call-102", Some("lee")).0, 403);
    let changes = include_str!("../../examples/data/acme-changes.json");
    let (status, v) = request(addr, "POST", "/admin/changes", &[], changes);
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["version"], 1);
    let token = v["token"].as_str().unwrap().to_owned();
    // Read-your-writes: the share of call-102 with lee is seen at once.
    let (status, v) = get_with(addr, "/calls/call-102", "lee", &token);
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["version"], 1);
    assert_eq!(v["reason"], "call \"call-102\" is shared with the viewer");
    // The new hire under sam.
    assert_eq!(get_with(addr, "/users/gus/calls", "sam", &token).0, 200);
    // Applying the same change set id again is a no-op: the version stays.
    let (status, v) = request(addr, "POST", "/admin/changes", &[], changes);
    assert_eq!((status, &v["version"]), (200, &Value::from(1)));
    // A token from the future is not reached: 503 after the wait.
    assert_eq!(get_with(addr, "/calls/call-102", "lee", "99").0, 503);
}

#[test]
fn a_preview_lists_who_gains_and_changes_nothing() {
    let addr = start();
    // lee cannot open call-102 until it is shared with him.
    assert_eq!(get(addr, "/calls/call-102", Some("lee")).0, 403);
    let share =
        r#"{"version": 1, "ops": [{"op": "shareCall", "callId": "call-102", "userId": "lee"}]}"#;
    let (status, v) = request(addr, "POST", "/admin/preview", &[], share);
    assert_eq!(status, 200, "{v}");
    assert_eq!(
        v["calls"],
        serde_json::json!([{"workspace": "sales", "viewer": "lee", "gained": ["call-102"], "lost": []}])
    );
    assert_eq!(
        v["summary"],
        serde_json::json!([{"kind": "calls", "subject": "lee in sales", "gained": 1, "lost": 0}])
    );
    assert_eq!(v["reach"], serde_json::json!([]));
    // Nothing was applied: still a deny, still version 0.
    let (status, v) = get(addr, "/calls/call-102", Some("lee"));
    assert_eq!((status, v["version"].clone()), (403, Value::from(0)));
    // Bad input names its path; an unknown call is 404.
    let (status, v) = request(
        addr,
        "POST",
        "/admin/preview",
        &[],
        r#"{"version": 1, "ops": [{"op": "shareCall", "callID": "call-102", "userId": "lee"}]}"#,
    );
    assert_eq!(
        (status, v["error"]["path"].clone()),
        (400, Value::from("ops[0].callID"))
    );
    let (status, v) = request(
        addr,
        "POST",
        "/admin/preview",
        &[],
        r#"{"version": 1, "ops": [{"op": "shareCall", "callId": "call-999", "userId": "lee"}]}"#,
    );
    assert_eq!(
        (status, v["error"]["path"].clone()),
        (404, Value::from("ops[0].callId"))
    );
}
