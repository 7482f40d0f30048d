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
    let model = Model::from_json(&text).map_err(|error| Failure::Input {
        file: path.display().to_string(),
        error: Box::new(error),
    })?;
    let parse = t.elapsed();
    if talk {
        eprintln!(" done in {:.2} s", (read_time + parse).as_secs_f64());
    }
    Ok(Loaded {
        model,
        bytes: text.len(),
        read: read_time,
        parse,
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
