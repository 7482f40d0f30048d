//! The layering rule, read from `src/`: a family depends only on the layers below it and
//! never on the compositions (`model`, `snapshot`, `document`) or a family beside or above it.
//!
//! ```text
//! id, error                         shared vocabulary
//! org                               <- shared
//! profile, teams, rbac, network     <- org, shared
//! calls                             <- profile, org, shared
//! items                             <- teams, rbac, org, shared
//! model, snapshot, document         compose the families
//! ```
//!
//! The families are not components yet (the restructuring is under way), so the imports that
//! still break the rule are listed in `KNOWN` below. The test fails when a new one appears,
//! and when a listed one disappears (so the list only shrinks): the circle cannot grow back.

use std::collections::BTreeSet;
use std::path::Path;

/// The top-level modules each family may import from `crate::`.
fn allowed(family: &str) -> &'static [&'static str] {
    const SHARED: &[&str] = &["id", "error"];
    match family {
        "org" => SHARED,
        "profile" | "teams" | "rbac" | "network" => &["id", "error", "org"],
        "calls" => &["id", "error", "org", "profile"],
        "items" => &["id", "error", "org", "teams", "rbac"],
        _ => &[],
    }
}

const FAMILIES: &[&str] = &[
    "org", "profile", "teams", "rbac", "network", "calls", "items",
];

/// Imports that still break the rule: (file under `src/`, module it reaches). Remove an entry
/// when the import goes.
const KNOWN: &[(&str, &str)] = &[
    ("calls/call_set.rs", "snapshot"),
    ("calls/compiled.rs", "model"),
    ("calls/compiled.rs", "snapshot"),
    ("calls/doc.rs", "model"),
    ("calls/query.rs", "snapshot"),
    ("calls/store.rs", "model"),
    ("items/access.rs", "model"),
    ("items/compiled.rs", "model"),
    ("items/doc.rs", "model"),
    ("items/explain.rs", "snapshot"),
    ("items/item_set.rs", "snapshot"),
    ("items/query.rs", "snapshot"),
    ("items/rbac_link.rs", "model"),
    ("items/store.rs", "model"),
    ("network/compiled.rs", "model"),
    ("network/compiled.rs", "snapshot"),
    ("network/doc.rs", "model"),
    ("network/store.rs", "model"),
    ("rbac/actions.rs", "model"),
    ("rbac/catalog.rs", "model"),
    ("rbac/compiled.rs", "model"),
    ("rbac/defaults.rs", "model"),
    ("rbac/divisions.rs", "model"),
    ("rbac/document.rs", "model"),
    ("rbac/grants.rs", "model"),
    ("rbac/groups.rs", "model"),
    ("rbac/query/actions.rs", "snapshot"),
    ("rbac/query/checks.rs", "snapshot"),
    ("rbac/query/explain.rs", "snapshot"),
    ("rbac/query/mod.rs", "snapshot"),
    ("rbac/role/edits.rs", "model"),
    ("rbac/role/listing.rs", "model"),
    ("teams/compiled.rs", "model"),
    ("teams/compiled.rs", "snapshot"),
    ("teams/doc.rs", "model"),
    ("teams/store.rs", "model"),
];

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
fn families_import_only_the_layers_below_them() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut found: BTreeSet<(String, String)> = BTreeSet::new();
    for family in FAMILIES {
        let mut all = Vec::new();
        files(&src.join(family), &mut all);
        assert!(!all.is_empty(), "no files for {family}");
        for path in all {
            let rel = path
                .strip_prefix(&src)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            let text = std::fs::read_to_string(&path).unwrap();
            for module in reached(&text) {
                let is_top = FAMILIES.contains(&module.as_str())
                    || ["model", "snapshot", "document", "id", "error"].contains(&module.as_str());
                // `crate::Name` re-exports (types at the root) are the shared vocabulary.
                let is_reexport = module
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_ascii_uppercase());
                if module == *family || is_reexport || !is_top {
                    continue;
                }
                if !allowed(family).contains(&module.as_str()) {
                    found.insert((rel.clone(), module));
                }
            }
        }
    }
    let known: BTreeSet<(String, String)> = KNOWN
        .iter()
        .map(|&(f, m)| (f.to_owned(), m.to_owned()))
        .collect();
    let new: Vec<_> = found.difference(&known).collect();
    let gone: Vec<_> = known.difference(&found).collect();
    assert!(new.is_empty(), "imports that break the layering: {new:?}");
    assert!(gone.is_empty(), "fixed, remove from KNOWN: {gone:?}");
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
