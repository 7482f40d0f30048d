//! `orgperm`: the operator CLI over model documents and change sets.
//!
//! Every command reads a model document (and, for `apply` and `validate`, a change set),
//! answers, and exits 0; `check` exits 1 for a deny; bad input, an unknown id or an
//! unreadable file exits 2 with the error on stderr (and as JSON on stdout with `--json`).

mod args;
mod ask;
mod failure;
mod load;
mod measure;

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;
use serde_json::{Value, json};

use args::{Cli, Command, Page, Top};
use ask::{Answer, Ctx, Listing};
use failure::Failure;
use orgperm::Impact;

/// What a command prints, and the status it exits with.
struct Outcome {
    text: String,
    json: Value,
    status: u8,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    // A closed pipe (`orgperm … | head`) ends the output, not the process with a panic.
    let print = |text: &str| {
        let _ = writeln!(std::io::stdout().lock(), "{text}");
    };
    match run(&cli.command) {
        Ok(out) => {
            if cli.json {
                print(&out.json.to_string());
            } else if !out.text.is_empty() {
                print(&out.text);
            }
            ExitCode::from(out.status)
        }
        Err(failure) => {
            let _ = writeln!(std::io::stderr().lock(), "error: {failure}");
            if cli.json {
                print(&failure.to_json().to_string());
            }
            ExitCode::from(2)
        }
    }
}

fn run(command: &Command) -> Result<Outcome, Failure> {
    match command {
        Command::Validate { file, model } => validate(file, model.as_deref()),
        Command::Check { file, query } | Command::Explain { file, query } => {
            let explain = matches!(command, Command::Explain { .. });
            let loaded = load::model(file)?;
            let (snap, _) = load::compile(&loaded);
            let cx = Ctx {
                model: &loaded.model,
                snap: &snap,
            };
            let answer = ask::check(&cx, query, explain)?;
            // The process ends with the answer: freeing a large model and its snapshot
            // would take longer than the check did, and the system frees them at exit.
            std::mem::forget((loaded, snap));
            Ok(decision(&answer, explain))
        }
        Command::WhoCan { file, target, page } => {
            let loaded = load::model(file)?;
            let (snap, _) = load::compile(&loaded);
            let cx = Ctx {
                model: &loaded.model,
                snap: &snap,
            };
            Ok(listing(ask::who_can(&cx, target)?, page))
        }
        Command::Visible {
            file,
            objects,
            page,
        } => {
            let loaded = load::model(file)?;
            let (snap, _) = load::compile(&loaded);
            let cx = Ctx {
                model: &loaded.model,
                snap: &snap,
            };
            Ok(listing(ask::visible(&cx, objects)?, page))
        }
        Command::Apply { file, changes, out } => {
            let mut loaded = load::model(file)?;
            let set = load::changes(changes)?;
            set.apply_to(&mut loaded.model)
                .map_err(|error| Failure::Input {
                    file: changes.display().to_string(),
                    error: Box::new(error),
                })?;
            write_document(out, &loaded.model.to_json())?;
            Ok(Outcome {
                text: format!(
                    "applied {} operations{}; wrote {}",
                    set.ops.len(),
                    set.id
                        .as_ref()
                        .map(|id| format!(" of {id:?}"))
                        .unwrap_or_default(),
                    out.display()
                ),
                json: json!({"applied": set.ops.len(), "id": set.id, "out": out.display().to_string()}),
                status: 0,
            })
        }
        Command::Import {
            vendor,
            dir,
            out,
            changes,
            lenient,
        } => import(vendor, dir, out, changes.as_deref(), *lenient),
        Command::Preview { file, changes, top } => {
            let loaded = load::model(file)?;
            let set = load::changes(changes)?;
            let (before, _) = load::compile(&loaded);
            // A clone shares the stores; the change copies only those it writes to, which
            // is what lets the impact skip the families it did not touch.
            let mut after = loaded.model.clone();
            set.apply_to(&mut after).map_err(|error| Failure::Input {
                file: changes.display().to_string(),
                error: Box::new(error),
            })?;
            let impact = Impact::between(&before, &after.compile());
            Ok(impact_outcome(&impact, top))
        }
        Command::Diff { old, new, top } => {
            let a = load::model(old)?;
            // NEW is validated as written (errors name its own paths), then loaded again with
            // its records in OLD's order, so objects both know get the same dense ids.
            load::model(new)?;
            let b = load::model_in_order_of(new, &load::read(old)?)?;
            let ((before, _), (after, _)) = (load::compile(&a), load::compile(&b));
            let impact =
                Impact::try_between(&before, &after).map_err(|conflict| Failure::Lineage {
                    old: old.display().to_string(),
                    new: new.display().to_string(),
                    message: conflict.to_string(),
                })?;
            Ok(impact_outcome(&impact, top))
        }
        Command::Stats { file } => {
            let loaded = load::model(file)?;
            let (snap, took) = load::compile(&loaded);
            let stats = measure::stats(&loaded, &snap, took.as_secs_f64());
            Ok(Outcome {
                text: stats_text(&stats),
                json: stats,
                status: 0,
            })
        }
        Command::Bench {
            file,
            checks,
            domain,
            seed,
        } => {
            let domain = ask::domain(domain)?;
            let loaded = load::model(file)?;
            let (snap, _) = load::compile(&loaded);
            let users: Vec<_> = loaded
                .model
                .user_ids()
                .filter_map(|u| snap.user_id(u))
                .collect();
            if users.is_empty() {
                return Err(Failure::Argument("the model has no users to check".into()));
            }
            let report = measure::bench(&snap, &users, domain, *checks, *seed);
            let text = format!(
                "{} random can_access checks ({}): {:.1} M checks/s, per check p50 {:.1} ns, p99 {:.1} ns (batches of {})",
                report["checks"],
                domain.field(),
                report["checksPerSecond"].as_f64().unwrap_or(0.0) / 1e6,
                report["nanosPerCheck"]["p50"].as_f64().unwrap_or(0.0),
                report["nanosPerCheck"]["p99"].as_f64().unwrap_or(0.0),
                report["nanosPerCheck"]["batch"],
            );
            Ok(Outcome {
                text,
                json: report,
                status: 0,
            })
        }
    }
}

/// Validates a model document or a change set (against `model`, when given), reporting
/// every error with its path.
fn validate(file: &std::path::Path, model: Option<&std::path::Path>) -> Result<Outcome, Failure> {
    if file.is_dir() {
        return validate_export(file);
    }
    let text = load::read(file)?;
    let name = file.display().to_string();
    let invalid = |kind, report: orgperm::Validation| Failure::Invalid {
        file: name.clone(),
        kind,
        truncated: report.is_truncated(),
        errors: report.into_errors(),
    };
    if load::is_change_set(&text) {
        let loaded = model.map(load::model).transpose()?;
        let report = orgperm::ChangeSet::validate_json(&text, loaded.as_ref().map(|l| &l.model));
        if !report.is_valid() {
            return Err(invalid("changeSet", report));
        }
        let set = load::changes(file)?;
        let applied = model.map_or(Value::Null, |m| json!(m.display().to_string()));
        let against = model
            .map(|m| format!(", and applies to {}", m.display()))
            .unwrap_or_default();
        return Ok(Outcome {
            text: format!(
                "{}: a valid change set of {} operations{against}",
                file.display(),
                set.ops.len()
            ),
            json: json!({"valid": true, "kind": "changeSet", "id": set.id, "ops": set.ops.len(), "appliesTo": applied}),
            status: 0,
        });
    }
    let report = load::validating(file, || orgperm::Model::validate_json(&text));
    if !report.is_valid() {
        return Err(invalid("model", report));
    }
    let loaded = load::model(file)?;
    let m = &loaded.model;
    let counts = json!({
        "users": m.user_count(),
        "calls": m.calls().call_ids().count(),
        "items": m.items().item_ids().count(),
        "teams": m.teams().team_ids().count(),
        "roles": m.rbac().role_ids().count(),
        "networks": m.networks().network_ids().count(),
    });
    Ok(Outcome {
        text: format!(
            "{}: a valid model document: {} users, {} calls, {} items, {} teams, {} roles, {} networks",
            file.display(),
            counts["users"],
            counts["calls"],
            counts["items"],
            counts["teams"],
            counts["roles"],
            counts["networks"]
        ),
        json: json!({"valid": true, "kind": "model", "counts": counts}),
        status: 0,
    })
}

fn decision(answer: &Answer, explain: bool) -> Outcome {
    let verdict = if answer.allowed { "allow" } else { "deny" };
    let text = match (&answer.reason, explain) {
        (Some(reason), true) => format!("{verdict}: {reason}"),
        _ => verdict.to_owned(),
    };
    Outcome {
        text,
        json: json!({"allowed": answer.allowed, "decision": verdict, "reason": answer.reason}),
        status: if answer.allowed { 0 } else { 1 },
    }
}

fn listing(list: Listing, page: &Page) -> Outcome {
    let count = list.ids.len();
    let shown: Vec<&String> = list
        .ids
        .iter()
        .skip(page.offset)
        .take(page.limit.unwrap_or(usize::MAX))
        .collect();
    let mut text = format!("{count} {}", list.kind);
    for id in &shown {
        text.push('\n');
        text.push_str(id);
    }
    if page.offset + shown.len() < count {
        text.push_str(&format!("\n… {} more", count - page.offset - shown.len()));
    }
    Outcome {
        text,
        json: json!({"kind": list.kind, "count": count, "offset": page.offset, "ids": shown}),
        status: 0,
    }
}

/// An impact as its summary table (the `top` largest lines) or, with `--json`, whole.
fn impact_outcome(impact: &Impact, top: &Top) -> Outcome {
    let lines = impact.summary();
    let mut text = if lines.is_empty() {
        "no access changes".to_owned()
    } else {
        format!("{:<13} {:>9} {:>9}  subject", "kind", "gained", "lost")
    };
    for l in lines.iter().take(top.top) {
        text.push_str(&format!(
            "\n{:<13} {:>9} {:>9}  {}",
            l.kind, l.gained, l.lost, l.subject
        ));
    }
    if lines.len() > top.top {
        text.push_str(&format!("\n… {} more changes", lines.len() - top.top));
    }
    let mut json = impact.to_value();
    if let Value::Object(map) = &mut json {
        let summary: Vec<Value> = lines
            .iter()
            .map(|l| json!({"kind": l.kind, "subject": l.subject, "gained": l.gained, "lost": l.lost}))
            .collect();
        map.insert("summary".into(), Value::from(summary));
    }
    Outcome {
        text,
        json,
        status: 0,
    }
}

fn stats_text(s: &Value) -> String {
    let mb = |v: &Value| v.as_f64().unwrap_or(0.0) / 1e6;
    format!(
        "document {:.2} MB: {} users, {} workspaces, {} teams, {} calls, {} items, {} networks, {} roles, {} divisions\n\
         memory: index {:.2} MB ({:.1} B/user): org {:.2} MB, profiles {:.2} MB, rbac {:.2} MB, objects {:.2} MB; id text {:.2} MB\n\
         time: read {:.3} s, parse and validate {:.3} s (building the model {:.3} s), compile {:.3} s",
        mb(&s["documentBytes"]),
        s["users"],
        s["workspaces"],
        s["teams"],
        s["calls"],
        s["items"],
        s["networks"],
        s["roles"],
        s["divisions"],
        mb(&s["memory"]["indexBytes"]),
        s["memory"]["indexBytesPerUser"].as_f64().unwrap_or(0.0),
        mb(&s["memory"]["orgBytes"]),
        mb(&s["memory"]["profileBytes"]),
        mb(&s["memory"]["rbacBytes"]),
        mb(&s["memory"]["objectBytes"]),
        mb(&s["memory"]["idTextBytes"]),
        s["seconds"]["read"].as_f64().unwrap_or(0.0),
        s["seconds"]["parseAndValidate"].as_f64().unwrap_or(0.0),
        s["seconds"]["build"].as_f64().unwrap_or(0.0),
        s["seconds"]["compile"].as_f64().unwrap_or(0.0),
    )
}

/// Writes the document pretty-printed, to a temporary file renamed into place, so a failed
/// write never leaves a half-written document under the name asked for.
fn write_document(path: &std::path::Path, compact: &str) -> Result<(), Failure> {
    let io = |e: std::io::Error| Failure::Io {
        file: path.display().to_string(),
        message: e.to_string(),
    };
    let value: Value = serde_json::from_str(compact).map_err(|e| Failure::Io {
        file: path.display().to_string(),
        message: e.to_string(),
    })?;
    let pretty = serde_json::to_string_pretty(&value).map_err(|e| Failure::Io {
        file: path.display().to_string(),
        message: e.to_string(),
    })?;
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(".tmp");
    std::fs::write(&tmp, pretty + "\n").map_err(io)?;
    std::fs::rename(&tmp, path).map_err(io)
}

/// `import`: a vendor export folder into a model document (and its change set).
fn import(
    vendor: &str,
    dir: &std::path::Path,
    out: &std::path::Path,
    changes: Option<&std::path::Path>,
    lenient: bool,
) -> Result<Outcome, Failure> {
    use orgperm::vendor::Strictness;
    use orgperm::vendor::export::{self, Vendor};
    let Some(vendor) = Vendor::parse(vendor) else {
        let names = Vendor::ALL.map(Vendor::name);
        return Err(Failure::Argument(format!(
            "unknown vendor {vendor:?}; one of {}",
            names.join(", ")
        )));
    };
    let failure = export_failure;
    let named = export::manifest_vendor(dir).map_err(failure)?;
    if named != vendor {
        return Err(Failure::Argument(format!(
            "{} is a {named} export, not {vendor}",
            dir.join(export::MANIFEST).display()
        )));
    }
    let strictness = if lenient {
        Strictness::Lenient
    } else {
        Strictness::Strict
    };
    let imported = export::read_export(dir, strictness).map_err(failure)?;
    write_document(out, &imported.model.to_json())?;
    if let Some(path) = changes {
        write_document(path, &imported.changes.to_json())?;
    }
    let warnings: Vec<Value> = imported
        .warnings
        .iter()
        .map(|w| json!({"path": w.path(), "code": w.kind().code(), "message": w.to_string()}))
        .collect();
    let mut text = format!(
        "read a {vendor} export: {} users, {} operations; wrote {}",
        imported.model.user_count(),
        imported.changes.ops.len(),
        out.display()
    );
    if let Some(path) = changes {
        text.push_str(&format!(" and {}", path.display()));
    }
    for w in &imported.warnings {
        text.push_str(&format!("\nwarning: {w}"));
    }
    Ok(Outcome {
        text,
        json: json!({
            "vendor": vendor.name(),
            "users": imported.model.user_count(),
            "operations": imported.changes.ops.len(),
            "out": out.display().to_string(),
            "changes": changes.map(|p| p.display().to_string()),
            "warnings": warnings,
        }),
        status: 0,
    })
}

/// An export folder's error as the CLI reports it: the file, and the path inside it.
fn export_failure(e: orgperm::vendor::export::ExportError) -> Failure {
    use orgperm::vendor::export::ExportError;
    match e {
        ExportError::Io { file, message } => Failure::Io {
            file: file.display().to_string(),
            message,
        },
        ExportError::Invalid { file, error } => Failure::Input {
            file: file.display().to_string(),
            error,
        },
    }
}

/// `validate DIR`: a vendor export folder read strictly, all of it (the first error stops
/// the read: a later body may build on an earlier one).
fn validate_export(dir: &std::path::Path) -> Result<Outcome, Failure> {
    use orgperm::vendor::{Strictness, export};
    let vendor = export::manifest_vendor(dir).map_err(export_failure)?;
    let imported = export::read_export(dir, Strictness::Strict).map_err(export_failure)?;
    let users = imported.model.user_count();
    let ops = imported.changes.ops.len();
    Ok(Outcome {
        text: format!(
            "{}: a valid {vendor} export: {users} users, {ops} operations from its base",
            dir.display()
        ),
        json: json!({"valid": true, "kind": "vendorExport", "vendor": vendor.name(), "users": users, "operations": ops}),
        status: 0,
    })
}
