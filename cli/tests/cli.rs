//! End-to-end: the `orgperm` binary on the sample files, every command, text and `--json`,
//! exit statuses, and bad input (exit 2, the path on stderr).

use std::path::PathBuf;
use std::process::{Command, Output};

use serde_json::Value;

fn data(name: &str) -> String {
    format!("{}/../examples/data/{name}", env!("CARGO_MANIFEST_DIR"))
}

fn orgperm(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_orgperm"))
        .args(args)
        .output()
        .expect("the binary runs")
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Runs with `--json` and parses stdout.
fn json(args: &[&str]) -> (i32, Value) {
    let mut all = vec!["--json"];
    all.extend_from_slice(args);
    let out = orgperm(&all);
    let value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {:?} / {:?}", stdout(&out), stderr(&out)));
    (out.status.code().unwrap_or(-1), value)
}

fn tmp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("orgperm-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

#[test]
fn validate_reports_what_loaded_or_the_first_error_with_its_path() {
    let acme = data("acme.json");
    let (code, v) = json(&["validate", &acme]);
    assert_eq!(code, 0);
    assert_eq!(v["kind"], "model");
    assert_eq!(v["counts"]["users"], 20);
    assert_eq!(v["counts"]["calls"], 6);
    assert_eq!(v["counts"]["items"], 5);
    // A misspelt field.
    let bad = tmp("bad.json");
    let text = std::fs::read_to_string(&acme).unwrap().replacen(
        "\"managerId\": \"maria\"",
        "\"managerID\": \"maria\"",
        1,
    );
    std::fs::write(&bad, text).unwrap();
    let out = orgperm(&["validate", bad.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("users[1]"), "{}", stderr(&out));
    assert!(stderr(&out).contains("managerID"), "{}", stderr(&out));
    let (code, v) = json(&["validate", bad.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert_eq!(v["error"]["path"], "users[1].managerID");
    assert_eq!(v["error"]["record"], "dana");
    // A change set, alone and against the model.
    let changes = data("acme-changes.json");
    let (code, v) = json(&["validate", &changes]);
    assert_eq!(
        (code, &v["kind"], &v["ops"]),
        (0, &Value::from("changeSet"), &Value::from(7))
    );
    let (code, v) = json(&["validate", &changes, "--model", &acme]);
    assert_eq!(code, 0);
    assert_eq!(v["appliesTo"], acme.as_str());
    // Not there at all.
    let out = orgperm(&["validate", "/no/such/file.json"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn check_exits_zero_for_allow_and_one_for_deny_in_every_family() {
    let acme = data("acme.json");
    let cases: &[(&[&str], i32)] = &[
        (&["access", "tess", "calls", "ana"], 0),
        (&["access", "tess", "calls", "dev"], 1),
        (
            &["access", "quinn", "calls", "dev", "--workspace", "support"],
            0,
        ),
        (&["capability", "lee", "scoreCalls"], 0),
        (&["capability", "ana", "scoreCalls"], 1),
        (&["folder", "ana", "objections"], 0),
        (&["folder", "lee", "objections"], 1),
        (
            &[
                "permission",
                "pia",
                "routing:queue:view",
                "--division",
                "na",
            ],
            0,
        ),
        (
            &[
                "permission",
                "pia",
                "routing:queue:view",
                "--division",
                "emea",
            ],
            1,
        ),
        (
            &[
                "permission",
                "quinn",
                "routing:queue:view",
                "--resource",
                "queue-billing",
            ],
            0,
        ),
        (&["permission", "ivan", "admin"], 0),
        (&["action", "lee", "access_goals"], 0),
        (&["action", "lee", "manage_goals"], 1),
        (&["call", "lee", "call-101"], 0),
        (&["call", "lee", "call-102"], 1),
        (&["call", "kim", "call-102"], 0),
        (&["item", "lee", "g-pipeline", "read"], 0),
        (&["item", "ana", "g-csat", "read"], 1),
        (&["network", "leo", "WHATSAPP", "send:file"], 0),
        (&["network", "pia", "WHATSAPP", "send:file"], 1),
        (&["team", "ana", "sales", "--sub-teams"], 0),
        (&["team", "ana", "sales"], 1),
    ];
    for (args, want) in cases {
        let mut all = vec!["check", acme.as_str()];
        all.extend_from_slice(args);
        let out = orgperm(&all);
        assert_eq!(out.status.code(), Some(*want), "{args:?}: {}", stderr(&out));
        let word = if *want == 0 { "allow" } else { "deny" };
        assert_eq!(stdout(&out).trim(), word, "{args:?}");
        let (code, v) = json(&all);
        assert_eq!(code, *want);
        assert_eq!(v["allowed"], *want == 0);
        assert_eq!(v["reason"], Value::Null);
    }
}

#[test]
fn explain_names_the_rule() {
    let acme = data("acme.json");
    let out = orgperm(&["explain", &acme, "call", "lee", "call-102"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stdout(&out).trim(),
        "deny: call \"call-102\" is private and the viewer is not its owner, a participant or a sharee"
    );
    let (code, v) = json(&["explain", &acme, "team", "ana", "sales", "--sub-teams"]);
    assert_eq!(code, 0);
    assert_eq!(
        v["reason"],
        "member of team \"sales\" through sub-teams \"ae\""
    );
    let (code, v) = json(&["explain", &acme, "item", "ana", "g-pipeline", "update"]);
    assert_eq!(code, 1);
    assert_eq!(
        v["reason"],
        "update on item \"g-pipeline\" needs action \"manage_goals\", which the user does not hold"
    );
}

#[test]
fn unknown_ids_exit_two_with_the_closest_known_ones() {
    let acme = data("acme.json");
    let out = orgperm(&["check", &acme, "call", "leee", "call-101"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out).trim(),
        "error: unknown user \"leee\"; closest known: \"lee\", \"leo\""
    );
    let (code, v) = json(&["who-can", &acme, "call", "call-10"]);
    assert_eq!(code, 2);
    assert_eq!(v["error"]["code"], "unknown-id");
    assert_eq!(v["error"]["kind"], "call");
    assert_eq!(v["error"]["closest"][0], "call-101");
    let out = orgperm(&["check", &acme, "access", "lee", "callz", "ana"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("closest known: \"calls\""),
        "{}",
        stderr(&out)
    );
}

#[test]
fn reverse_queries_and_listings_with_paging() {
    let acme = data("acme.json");
    let (code, v) = json(&["who-can", &acme, "call", "call-103"]);
    assert_eq!(code, 0);
    assert_eq!(
        v["ids"],
        serde_json::json!(["maria", "dana", "sam", "dev", "eli", "tess"])
    );
    let (_, v) = json(&[
        "who-can", &acme, "call", "call-103", "--limit", "2", "--offset", "1",
    ]);
    assert_eq!(
        (v["count"].as_u64(), v["ids"].clone()),
        (Some(6), serde_json::json!(["dana", "sam"]))
    );
    let (_, v) = json(&["who-can", &acme, "action", "manage_goals"]);
    assert_eq!(v["ids"], serde_json::json!(["dana", "omar", "pia"]));
    let (_, v) = json(&[
        "who-can",
        &acme,
        "folder",
        "escalations",
        "--workspace",
        "support",
    ]);
    assert_eq!(v["count"], 6);
    let (_, v) = json(&[
        "who-can",
        &acme,
        "permission",
        "routing:queue:view",
        "--division",
        "emea",
    ]);
    assert_eq!(v["ids"], serde_json::json!(["dana", "omar", "ivan"]));
    let (_, v) = json(&["who-can", &acme, "team", "sales", "--sub-teams"]);
    assert_eq!(v["count"], 9);
    let (_, v) = json(&["visible", &acme, "calls", "dana"]);
    assert_eq!(
        v["ids"],
        serde_json::json!(["call-101", "call-103", "call-104", "call-105"])
    );
    let (_, v) = json(&["visible", &acme, "owners", "lee", "calls"]);
    assert_eq!(
        v["ids"],
        serde_json::json!(["lee", "ana", "ben", "cara", "nina"])
    );
    let (_, v) = json(&["visible", &acme, "folders", "ana"]);
    assert_eq!(v["ids"], serde_json::json!(["wins", "objections"]));
    let (_, v) = json(&["visible", &acme, "actions", "dana"]);
    assert_eq!(
        v["ids"],
        serde_json::json!(["access_goals", "manage_goals"])
    );
    let (_, v) = json(&["visible", &acme, "items", "lee", "goal"]);
    assert_eq!(v["ids"], serde_json::json!(["g-pipeline"]));
    // Dana's goal and, through her supervisor role, the support goal.
    let (_, v) = json(&[
        "visible", &acme, "items", "dana", "goal", "--verb", "update",
    ]);
    assert_eq!(v["ids"], serde_json::json!(["g-pipeline", "g-csat"]));
    let (_, v) = json(&["who-can", &acme, "item", "g-csat", "update"]);
    assert_eq!(v["ids"], serde_json::json!(["dana", "omar", "pia"]));
    let out = orgperm(&["who-can", &acme, "call", "call-103", "--limit", "1"]);
    assert_eq!(stdout(&out).trim(), "6 users\nmaria\n… 5 more");
}

#[test]
fn apply_writes_the_changed_model_or_nothing() {
    let acme = data("acme.json");
    let out_file = tmp("after.json");
    let (code, v) = json(&[
        "apply",
        &acme,
        &data("acme-changes.json"),
        "-o",
        out_file.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{v}");
    assert_eq!(v["applied"], 7);
    let after = out_file.to_str().unwrap();
    // The private call was shared with lee; gus joined sam's team.
    assert_eq!(
        orgperm(&["check", after, "call", "lee", "call-102"])
            .status
            .code(),
        Some(0)
    );
    assert_eq!(
        orgperm(&["check", after, "access", "sam", "calls", "gus"])
            .status
            .code(),
        Some(0)
    );
    let (_, v) = json(&["validate", after]);
    assert_eq!(v["counts"]["users"], 21);
    // A change that fails applies nothing and writes nothing.
    let bad = tmp("bad-changes.json");
    std::fs::write(
        &bad,
        r#"{"version": 1, "ops": [{"op": "addUser", "id": "zed"}, {"op": "assignProfile", "userId": "zed", "profileId": "p-nope"}]}"#,
    )
    .unwrap();
    let never = tmp("never.json");
    let out = orgperm(&[
        "apply",
        &acme,
        bad.to_str().unwrap(),
        "-o",
        never.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("ops[1].profileId"),
        "{}",
        stderr(&out)
    );
    assert!(!never.exists());
}

#[test]
fn stats_and_bench_report_figures() {
    let acme = data("acme.json");
    let (code, v) = json(&["stats", &acme]);
    assert_eq!(code, 0);
    assert_eq!(v["users"], 20);
    assert_eq!(v["workspaces"], 2);
    assert!(v["memory"]["indexBytes"].as_u64().unwrap() > 1000, "{v}");
    assert!(v["seconds"]["compile"].as_f64().is_some());
    let (code, v) = json(&["bench", &acme, "--checks", "5000"]);
    assert_eq!(code, 0);
    assert_eq!(v["checks"], 5000);
    assert_eq!(v["domain"], "callsAccess");
    assert!(v["nanosPerCheck"]["p50"].as_f64().unwrap() > 0.0);
    let out = orgperm(&["bench", &acme, "--domain", "nope"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn help_names_the_sample_files() {
    let out = orgperm(&["--help"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(stdout(&out).contains("examples/data/acme.json"));
}

#[test]
fn preview_lists_who_gains_and_loses_and_writes_nothing() {
    let (acme, changes) = (data("acme.json"), data("acme-changes.json"));
    let before = std::fs::read_to_string(&acme).unwrap();
    let (code, v) = json(&["preview", &acme, &changes]);
    assert_eq!(code, 0);
    assert_eq!(
        v["calls"],
        serde_json::json!([
            {"workspace": "sales", "viewer": "lee", "gained": ["call-102"], "lost": []},
            {"workspace": "sales", "viewer": "gus", "gained": ["call-104"], "lost": []}
        ])
    );
    assert_eq!(
        v["networks"],
        serde_json::json!([{"network": "SMS", "permission": "create:room", "gained": ["finn"], "lost": []}])
    );
    assert_eq!(
        v["items"],
        serde_json::json!([
            {"item": "g-csat", "verb": "update", "gained": ["raj"], "lost": []},
            {"item": "g-csat", "verb": "delete", "gained": ["raj"], "lost": []}
        ])
    );
    assert_eq!(
        v["summary"][0],
        serde_json::json!({"kind": "reach", "subject": "sam callsAccess in sales", "gained": 2, "lost": 0})
    );
    assert_eq!(std::fs::read_to_string(&acme).unwrap(), before);
    // The text table, cut to the largest lines.
    let out = orgperm(&["preview", &acme, &changes, "--top", "2"]);
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 4, "{text}");
    assert!(lines[1].ends_with("sam callsAccess in sales"), "{text}");
    assert!(lines[3].starts_with("… 34 more changes"), "{text}");
    // A change that does not apply: exit 2 and the path.
    let bad = tmp("bad-changes.json");
    std::fs::write(
        &bad,
        r#"{"version": 1, "ops": [{"op": "shareCall", "callId": "call-999", "userId": "lee"}]}"#,
    )
    .unwrap();
    let out = orgperm(&["preview", &acme, bad.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("ops[0].callId"), "{}", stderr(&out));
}

#[test]
fn diff_compares_documents_of_one_lineage_and_refuses_others() {
    let acme = data("acme.json");
    let (code, v) = json(&["diff", &acme, &acme]);
    assert_eq!(code, 0);
    assert_eq!(v["summary"], serde_json::json!([]));
    assert_eq!(
        stdout(&orgperm(&["diff", &acme, &acme])).trim(),
        "no access changes"
    );
    // The sample with one more call shared, written in the same order.
    let shared = tmp("acme-shared.json");
    let text = std::fs::read_to_string(&acme).unwrap();
    let mut doc: Value = serde_json::from_str(&text).unwrap();
    let call = doc["calls"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|c| c["id"] == "call-102")
        .unwrap();
    call["sharedWith"] = serde_json::json!(["kim", "lee"]);
    std::fs::write(&shared, doc.to_string()).unwrap();
    let (code, v) = json(&["diff", &acme, shared.to_str().unwrap()]);
    assert_eq!(code, 0, "{v}");
    assert_eq!(
        v["calls"],
        serde_json::json!([{"workspace": "sales", "viewer": "lee", "gained": ["call-102"], "lost": []}])
    );
    // `apply` writes the canonical order; diff reads NEW in OLD's order, so the diff of the
    // written document is exactly the preview of the change set.
    let after = tmp("acme-after.json");
    let changes = data("acme-changes.json");
    assert_eq!(
        orgperm(&["apply", &acme, &changes, "-o", after.to_str().unwrap()])
            .status
            .code(),
        Some(0)
    );
    let (code, diffed) = json(&["diff", &acme, after.to_str().unwrap()]);
    assert_eq!(code, 0, "{diffed}");
    assert_eq!(diffed, json(&["preview", &acme, &changes]).1);
    // A removed object renumbers the rest: refused with the first id that moved, exit 2.
    let (old, new) = (tmp("three.json"), tmp("two.json"));
    std::fs::write(
        &old,
        r#"{"version": 1, "users": [{"id": "a"}, {"id": "b", "managerId": "a"}, {"id": "c", "managerId": "a"}]}"#,
    )
    .unwrap();
    std::fs::write(
        &new,
        r#"{"version": 1, "users": [{"id": "a"}, {"id": "c", "managerId": "a"}]}"#,
    )
    .unwrap();
    let out = orgperm(&["diff", old.to_str().unwrap(), new.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("user #1 is \"b\" before and \"c\" after"),
        "{}",
        stderr(&out)
    );
    // Bad input in NEW names NEW's own path.
    std::fs::write(
        &new,
        r#"{"version": 1, "users": [{"id": "a"}, {"ID": "c"}]}"#,
    )
    .unwrap();
    let out = orgperm(&["diff", old.to_str().unwrap(), new.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("users[1]"), "{}", stderr(&out));
}

/// A two-page Gong export in a fresh folder.
fn gong_export(name: &str) -> PathBuf {
    let dir = tmp(name);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("export.json"),
        r#"{"version": 1, "vendor": "gong", "bodies": [
            {"read": "users", "file": "users-1.json"},
            {"read": "users", "file": "users-2.json"}
        ]}"#,
    )
    .unwrap();
    std::fs::write(
        dir.join("users-1.json"),
        r#"{"requestId": "r1", "records": {"totalRecords": 3, "currentPageSize": 2, "currentPageNumber": 0, "cursor": "c2"},
            "users": [{"id": "2", "managerId": "1", "emailAddress": "b@x.io"}, {"id": "3", "managerId": "1"}]}"#,
    )
    .unwrap();
    std::fs::write(
        dir.join("users-2.json"),
        r#"{"requestId": "r2", "records": {"totalRecords": 3, "currentPageSize": 1, "currentPageNumber": 1},
            "users": [{"id": "1", "managerId": null}]}"#,
    )
    .unwrap();
    dir
}

#[test]
fn import_reads_a_vendor_export_into_a_model_document() {
    let dir = gong_export("gong-export");
    let out = tmp("gong-model.json");
    let changes = tmp("gong-changes.json");
    let (code, v) = json(&[
        "import",
        "--vendor",
        "gong",
        dir.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "--changes",
        changes.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{v}");
    assert_eq!(v["vendor"], "gong");
    assert_eq!(v["users"], 3);
    assert_eq!(v["operations"], 3);
    assert_eq!(v["warnings"], serde_json::json!([]));
    // The written document loads, with the managers of the listing.
    let (code, v) = json(&["check", out.to_str().unwrap(), "access", "1", "calls", "3"]);
    assert_eq!(code, 1, "no profile grants access: {v}");
    let written: Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    let users: Vec<(String, Value)> = written["users"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| (u["id"].as_str().unwrap().to_owned(), u["managerId"].clone()))
        .collect();
    assert_eq!(
        users,
        [
            ("1".to_owned(), Value::Null),
            ("2".to_owned(), Value::from("1")),
            ("3".to_owned(), Value::from("1")),
        ]
    );
    let set: Value = serde_json::from_str(&std::fs::read_to_string(&changes).unwrap()).unwrap();
    assert_eq!(set["ops"].as_array().unwrap().len(), 3);
    assert_eq!(set["ops"][0]["op"], "addUser");
}

#[test]
fn import_refuses_a_bad_export_with_the_file_and_path() {
    let dir = gong_export("gong-export-bad");
    let page = std::fs::read_to_string(dir.join("users-2.json"))
        .unwrap()
        .replace("\"managerId\": null", "\"managerID\": null");
    std::fs::write(dir.join("users-2.json"), page).unwrap();
    let out = tmp("gong-bad-model.json");
    let _ = std::fs::remove_file(&out);
    let args = [
        "import",
        "--vendor",
        "gong",
        dir.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ];
    let (code, v) = json(&args);
    assert_eq!(code, 2);
    assert_eq!(v["error"]["code"], "unknown_field");
    assert_eq!(v["error"]["path"], "users[0].managerID");
    assert!(
        v["error"]["file"]
            .as_str()
            .unwrap()
            .ends_with("users-2.json"),
        "{v}"
    );
    assert!(!out.exists(), "nothing is written");
    // Lenient: the field is a warning and the rest is read.
    let mut lenient = args.to_vec();
    lenient.push("--lenient");
    let (code, v) = json(&lenient);
    assert_eq!(code, 0, "{v}");
    assert_eq!(v["warnings"][0]["path"], "users[0].managerID");
    assert_eq!(v["users"], 3);
    // The wrong vendor for the manifest.
    let (code, v) = json(&[
        "import",
        "--vendor",
        "genesys",
        dir.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 2);
    assert_eq!(v["error"]["code"], "bad-argument");
    assert!(
        v["error"]["message"]
            .as_str()
            .unwrap()
            .contains("is a gong export, not genesys"),
        "{v}"
    );
}

#[test]
fn import_reads_every_sample_export() {
    for (vendor, users) in [
        ("gong", 14),
        ("genesys", 12),
        ("gtmhub", 12),
        ("symphony", 12),
    ] {
        let dir = data(&format!("vendor/{vendor}"));
        let out = tmp(&format!("sample-{vendor}.json"));
        let (code, v) = json(&[
            "import",
            "--vendor",
            vendor,
            &dir,
            "-o",
            out.to_str().unwrap(),
        ]);
        assert_eq!(code, 0, "{vendor}: {v}");
        assert_eq!(v["users"], users, "{vendor}");
        assert_eq!(v["warnings"], serde_json::json!([]), "{vendor}");
        let (code, v) = json(&["validate", out.to_str().unwrap()]);
        assert_eq!(code, 0, "{vendor}: {v}");
        assert_eq!(v["counts"]["users"], users, "{vendor}");
    }
}

#[test]
fn validate_reports_every_error_with_its_path() {
    // Three bad records in three sections of the sample, one of them with two bad fields.
    let acme = std::fs::read_to_string(data("acme.json")).unwrap();
    let text = acme
        .replacen("\"managerId\": \"maria\"", "\"managerID\": \"maria\"", 1)
        .replacen("\"ownerId\": \"ana\"", "\"ownerId\": \"anaa\"", 1)
        .replacen("\"version\": 1,", "\"version\": 1, \"extra\": true,", 1);
    assert_ne!(text, acme);
    let bad = tmp("several.json");
    std::fs::write(&bad, &text).unwrap();
    let out = orgperm(&["validate", bad.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    for needle in [
        "users[1] (id \"dana\").managerID",
        "extra: unknown field",
        "unknown user \"anaa\"",
        "3 errors",
    ] {
        assert!(err.contains(needle), "{needle}: {err}");
    }
    assert!(stdout(&out).is_empty());
    let (code, v) = json(&["validate", bad.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert_eq!(v["valid"], false);
    assert_eq!(v["count"], 3);
    assert_eq!(v["truncated"], false);
    let paths: Vec<&str> = v["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["path"].as_str().unwrap())
        .collect();
    // Shape errors in document order (`extra` comes before `users`), then references.
    assert_eq!(paths[0], "extra");
    assert_eq!(paths[1], "users[1].managerID");
    assert!(paths[2].starts_with("calls["), "{paths:?}");
    assert!(paths[2].ends_with("].ownerId"), "{paths:?}");
    assert_eq!(v["errors"][1]["record"], "dana");
    assert_eq!(v["error"], v["errors"][0]);

    // A change set: every operation's error, with `ops[N]` paths; against the model too.
    let changes = tmp("changes.json");
    std::fs::write(
        &changes,
        r#"{"version": 1, "ops": [
            {"op": "addUser", "idd": "kim"},
            {"op": "assignProfile", "userId": "lee", "profileId": "nope"},
            {"op": "addUser", "id": "zed", "managerId": "ghost"}
        ]}"#,
    )
    .unwrap();
    let (code, v) = json(&["validate", changes.to_str().unwrap()]);
    assert_eq!(
        (code, &v["kind"], &v["count"]),
        (2, &Value::from("changeSet"), &Value::from(1))
    );
    assert_eq!(v["errors"][0]["path"], "ops[0].idd");
    let (code, v) = json(&[
        "validate",
        changes.to_str().unwrap(),
        "--model",
        &data("acme.json"),
    ]);
    assert_eq!(code, 2);
    let paths: Vec<&str> = v["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["path"].as_str().unwrap())
        .collect();
    assert_eq!(
        paths,
        ["ops[0].idd", "ops[1].profileId", "ops[2].managerId"]
    );
    let out = orgperm(&[
        "validate",
        changes.to_str().unwrap(),
        "--model",
        &data("acme.json"),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("ops[2].managerId: unknown user \"ghost\""),
        "{}",
        stderr(&out)
    );
}

#[test]
fn no_progress_on_stderr_when_it_is_not_a_terminal() {
    let big = data("generated-1k.json");
    for args in [
        vec!["--json", "validate", big.as_str()],
        vec!["--json", "stats", big.as_str()],
    ] {
        let out = orgperm(&args);
        assert_eq!(out.status.code(), Some(0));
        assert!(stderr(&out).is_empty(), "{}", stderr(&out));
        serde_json::from_slice::<Value>(&out.stdout).unwrap();
    }
}

#[test]
fn validate_reads_a_vendor_export_folder() {
    let (code, v) = json(&["validate", &data("vendor/genesys")]);
    assert_eq!(code, 0, "{v}");
    assert_eq!(v["kind"], "vendorExport");
    assert_eq!(v["vendor"], "genesys");
    assert_eq!(v["users"], 12);
    let dir = gong_export("gong-export-validate");
    std::fs::write(
        dir.join("users-1.json"),
        r#"{"users": [{"id": "2", "managerId": "1", "nickname": "b"}]}"#,
    )
    .unwrap();
    let (code, v) = json(&["validate", dir.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert_eq!(v["error"]["path"], "users[0].nickname");
    assert!(
        v["error"]["file"]
            .as_str()
            .unwrap()
            .ends_with("users-1.json"),
        "{v}"
    );
}
