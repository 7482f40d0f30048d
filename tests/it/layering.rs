//! The layering rule, read from `src/`: a layer depends only on the layers below it, and never
//! on the compositions (`model`, `model_error`, `snapshot`, `document`) or a family beside or above it.
//!
//! ```text
//! id, error, decision, item_type    shared vocabulary
//! org                               <- shared
//! profile, teams, rbac, network     <- org, shared
//! calls                             <- profile, org, shared
//! items                             <- teams, rbac, org, shared
//! model, model_error, snapshot,      compose the families
//! document, change, engine
//! ```
//!
//! A name re-exported at the crate root (`crate::Snapshot`) counts as the module it comes
//! from, read from the `pub use` lines of `lib.rs`, so a detour through the root is caught.

use std::collections::BTreeSet;
use std::path::Path;

/// The top-level modules each family may import from `crate::`.
fn allowed(layer: &str) -> &'static [&'static str] {
    const SHARED: &[&str] = &["id", "error", "decision", "item_type"];
    match layer {
        "id" | "error" | "decision" | "item_type" | "org" => SHARED,
        "profile" | "teams" | "rbac" | "network" => {
            &["id", "error", "decision", "item_type", "org"]
        }
        "calls" => &["id", "error", "decision", "item_type", "org", "profile"],
        "items" => &[
            "id",
            "error",
            "decision",
            "item_type",
            "org",
            "teams",
            "rbac",
        ],
        _ => &[],
    }
}

/// The layers below the compositions: the shared vocabulary and the families.
const LAYERS: &[&str] = &[
    "id",
    "error",
    "decision",
    "item_type",
    "org",
    "profile",
    "teams",
    "rbac",
    "network",
    "calls",
    "items",
];

/// The compositions at the top, which no layer may import.
const TOP: &[&str] = &[
    "model",
    "model_error",
    "snapshot",
    "document",
    "change",
    "engine",
    "impact",
    "vendor",
];

/// Root re-exports (`pub use module::…::{A, B}` in `lib.rs`): each name and its module.
fn reexports(lib: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let code = lib.replace('\n', " ");
    for stmt in code.split(';') {
        let Some(rest) = stmt.trim().strip_prefix("pub use ") else {
            continue;
        };
        let module: String = rest
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        let names = match (rest.find('{'), rest.rfind('}')) {
            (Some(a), Some(b)) if a < b => rest[a + 1..b].to_owned(),
            _ => rest.rsplit("::").next().unwrap_or("").to_owned(),
        };
        for name in names.split(',') {
            let name = name.trim();
            if !name.is_empty() {
                out.push((name.to_owned(), module.clone()));
            }
        }
    }
    out
}

/// Every `crate::<module>` a file names, in `use` lines (groups included) and paths;
/// comments are left out.
fn reached(text: &str) -> BTreeSet<String> {
    let code: String = text
        .lines()
        .map(|l| l.split("//").next().unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n");
    let ident = |s: &str| -> String {
        s.trim_start()
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect()
    };
    let mut out = BTreeSet::new();
    let mut rest = code.as_str();
    while let Some(at) = rest.find("crate::") {
        let after = &rest[at + "crate::".len()..];
        if let Some(group) = after.strip_prefix('{') {
            // The first name of each item of the group, at depth 1.
            let (mut depth, mut start) = (1usize, 0usize);
            for (i, c) in group.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 1 => {
                        out.insert(ident(&group[start..i]));
                        break;
                    }
                    '}' => depth -= 1,
                    ',' if depth == 1 => {
                        out.insert(ident(&group[start..i]));
                        start = i + 1;
                    }
                    _ => {}
                }
            }
        } else {
            out.insert(ident(after));
        }
        rest = after;
    }
    out.remove("");
    out
}

fn files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn layers_import_only_the_layers_below_them() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let lib = std::fs::read_to_string(src.join("lib.rs")).unwrap();
    let roots = reexports(&lib);
    assert!(
        roots
            .iter()
            .any(|(n, m)| n == "Snapshot" && m == "snapshot")
    );
    let mut found: BTreeSet<(String, String)> = BTreeSet::new();
    for layer in LAYERS {
        let mut all = Vec::new();
        let dir = src.join(layer);
        if dir.is_dir() {
            files(&dir, &mut all);
        } else {
            all.push(src.join(format!("{layer}.rs")));
        }
        for path in all {
            let rel = path
                .strip_prefix(&src)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            let text = std::fs::read_to_string(&path).unwrap();
            for name in reached(&text) {
                // A root re-export counts as the module it comes from.
                let module = roots
                    .iter()
                    .find(|(n, _)| *n == name)
                    .map_or(name.clone(), |(_, m)| m.clone());
                let known = LAYERS.contains(&module.as_str()) || TOP.contains(&module.as_str());
                if module == *layer || !known {
                    continue;
                }
                if !allowed(layer).contains(&module.as_str()) {
                    found.insert((rel.clone(), module));
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "imports that break the layering: {found:?}"
    );
}

#[test]
fn root_reexports_are_traced_to_their_module() {
    let lib = "pub use snapshot::{MemoryReport, Snapshot};\npub use teams::store::{TeamsMut,\n    TeamsRef};\npub use model::Model;";
    let r = reexports(lib);
    assert!(r.contains(&("Snapshot".into(), "snapshot".into())));
    assert!(r.contains(&("TeamsRef".into(), "teams".into())));
    assert!(r.contains(&("Model".into(), "model".into())));
}

#[test]
fn the_reader_of_imports_sees_use_lines_and_paths_but_not_comments() {
    let text = "use crate::model::Model;\nlet x = crate::snapshot::Snapshot::f(); // crate::items\nuse crate::{Capability, id::UserId};";
    let got: Vec<String> = reached(text).into_iter().collect();
    assert_eq!(got, ["Capability", "id", "model", "snapshot"]);
    let group = "use crate::{\n    error::ModelError,\n    model::{Model, X},\n};";
    let got: Vec<String> = reached(group).into_iter().collect();
    assert_eq!(got, ["error", "model"]);
}
