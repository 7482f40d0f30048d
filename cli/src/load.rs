//! Reading files: a model document or a change set, with timings and a progress line on
//! stderr for loads that take more than a moment.

use std::io::IsTerminal;
use std::path::Path;
use std::time::{Duration, Instant};

use orgperm::{ChangeSet, Model, Snapshot};

use crate::failure::Failure;

/// From this size on, a load prints what it is doing on stderr (when stderr is a terminal).
const TALKATIVE_BYTES: u64 = 8 << 20;

/// A loaded model and what loading it cost.
pub struct Loaded {
    pub model: Model,
    pub bytes: usize,
    pub read: Duration,
    pub parse: Duration,
}

/// Whether to print progress lines for a file of `bytes`.
fn talkative(bytes: u64) -> bool {
    bytes >= TALKATIVE_BYTES && std::io::stderr().is_terminal()
}

/// Reads a file to a string.
pub fn read(path: &Path) -> Result<String, Failure> {
    std::fs::read_to_string(path).map_err(|e| Failure::Io {
        file: path.display().to_string(),
        message: e.to_string(),
    })
}

/// Reads and validates a model document.
pub fn model(path: &Path) -> Result<Loaded, Failure> {
    let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    let talk = talkative(size);
    if talk {
        eprint!("reading {} ({:.1} MB)…", path.display(), size as f64 / 1e6);
    }
    let t = Instant::now();
    let text = read(path)?;
    let read_time = t.elapsed();
    if talk {
        eprint!(" parsing and validating…");
    }
    let t = Instant::now();
    let input = |error| Failure::Input {
        file: path.display().to_string(),
        error: Box::new(error),
    };
    let doc = orgperm::ModelDocument::from_json(&text).map_err(input)?;
    let t1 = t.elapsed();
    let model = doc.into_model().map_err(input)?;
    let t2 = t.elapsed();
    let bytes = text.len();
    // Freeing the text of a large model takes a while; the model no longer needs it, so
    // it is freed beside the rest of the command.
    discard(text);
    let parse = t.elapsed();
    if std::env::var_os("ORGPERM_TIMES").is_some() {
        eprintln!("parse {:?} build {:?} drop {:?}", t1, t2 - t1, parse - t2);
    }
    if talk {
        eprintln!(" done in {:.2} s", (read_time + parse).as_secs_f64());
    }
    Ok(Loaded {
        model,
        bytes,
        read: read_time,
        parse,
    })
}

/// Frees `value` on a thread of its own, so a large free overlaps the rest of the command
/// (a process that ends first frees it with everything else).
pub fn discard<T: Send + 'static>(value: T) {
    if std::thread::Builder::new()
        .name("discard".into())
        .spawn(move || drop(value))
        .is_err()
    {
        // No thread to be had: the value was moved into the failed closure and is gone.
    }
}

/// The field that names a record of a document section, in the order tried.
const RECORD_KEYS: [&str; 5] = ["id", "permission", "name", "advisorSymphonyId", "itemType"];

fn record_key(record: &serde_json::Value) -> Option<&str> {
    RECORD_KEYS.iter().find_map(|k| record.get(k)?.as_str())
}

/// Reads the model document at `path` with the records of each section that `order` (another
/// document) also holds moved first, in `order`'s order; the rest keep their own order after
/// them. Records are loaded in document order, so this gives objects both documents hold
/// the same dense ids, as a snapshot comparison needs. Sections without named records
/// (assignments, grants) are left as they are.
pub fn model_in_order_of(path: &Path, order: &str) -> Result<Loaded, Failure> {
    use serde_json::Value;
    let io = |message: String| Failure::Io {
        file: path.display().to_string(),
        message,
    };
    let mut doc: Value = serde_json::from_str(&read(path)?).map_err(|e| io(e.to_string()))?;
    let reference: Value = serde_json::from_str(order).map_err(|e| io(e.to_string()))?;
    if let (Value::Object(sections), Value::Object(old)) = (&mut doc, &reference) {
        for (name, records) in sections.iter_mut() {
            let (Value::Array(records), Some(Value::Array(old))) = (records, old.get(name)) else {
                continue;
            };
            let rank: std::collections::HashMap<&str, usize> = old
                .iter()
                .enumerate()
                .filter_map(|(i, r)| Some((record_key(r)?, i)))
                .collect();
            if rank.is_empty() {
                continue;
            }
            // Stable: records OLD does not hold keep their order, after the others.
            records.sort_by_key(|r| {
                record_key(r)
                    .and_then(|k| rank.get(k).copied())
                    .unwrap_or(usize::MAX)
            });
        }
    }
    let text = doc.to_string();
    let t = Instant::now();
    let model = Model::from_json(&text).map_err(|error| Failure::Input {
        file: path.display().to_string(),
        error: Box::new(error),
    })?;
    Ok(Loaded {
        model,
        bytes: text.len(),
        read: Duration::ZERO,
        parse: t.elapsed(),
    })
}

/// Compiles a model, with a progress line for a large one.
pub fn compile(loaded: &Loaded) -> (Snapshot, Duration) {
    let talk = talkative(loaded.bytes as u64);
    if talk {
        eprint!("compiling {} users…", loaded.model.user_count());
    }
    let t = Instant::now();
    let snap = loaded.model.compile();
    let took = t.elapsed();
    if talk {
        eprintln!(" done in {:.2} s", took.as_secs_f64());
    }
    (snap, took)
}

/// Reads a change set strictly.
pub fn changes(path: &Path) -> Result<ChangeSet, Failure> {
    let text = read(path)?;
    ChangeSet::from_json(&text).map_err(|error| Failure::Input {
        file: path.display().to_string(),
        error: Box::new(error),
    })
}

/// Whether the file's JSON is a change set (an object with `ops`) rather than a model
/// document. Unreadable or non-JSON text counts as a document, whose reader then names
/// the error.
pub fn is_change_set(text: &str) -> bool {
    serde_json::from_str::<serde_json::Value>(text)
        .ok()
        .is_some_and(|v| v.get("ops").is_some())
}
