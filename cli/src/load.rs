//! Reading files: a model document or a change set, with timings and progress bars on
//! stderr for loads and compiles that take more than a moment.
//!
//! The bars (indicatif) are drawn only when stderr is a terminal and the file is large;
//! otherwise nothing is printed on stderr but errors, and `--json` output on stdout is never
//! touched.

use std::io::{IsTerminal, Read};
use std::path::Path;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressStyle};
use orgperm::{ChangeSet, Model, Snapshot};

use crate::failure::Failure;

/// From this size on, a load shows its progress on stderr (when stderr is a terminal).
const TALKATIVE_BYTES: u64 = 8 << 20;

/// The bytes read between two updates of the reading bar.
const CHUNK: usize = 4 << 20;

/// A loaded model and what loading it cost.
pub struct Loaded {
    pub model: Model,
    pub bytes: usize,
    pub read: Duration,
    /// Parsing and validating, both steps.
    pub parse: Duration,
    /// Of which building the model from the parsed document (references, rules).
    pub build: Duration,
}

/// Whether to show progress for a file of `bytes`.
fn talkative(bytes: u64) -> bool {
    bytes >= TALKATIVE_BYTES && std::io::stderr().is_terminal()
}

/// A spinner with `message` on stderr while a step without its own measure runs, or a
/// hidden bar when `talk` is false.
fn spinner(talk: bool, message: String) -> ProgressBar {
    if !talk {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new_spinner().with_message(message);
    if let Ok(style) = ProgressStyle::with_template("{spinner} {msg} {elapsed}") {
        bar.set_style(style);
    }
    bar.enable_steady_tick(Duration::from_millis(100));
    bar
}

/// Ends a bar with what it did and how long it took (nothing when hidden).
fn done(bar: &ProgressBar, what: String, took: Duration) {
    bar.finish_and_clear();
    if !bar.is_hidden() {
        eprintln!("{what} in {:.2} s", took.as_secs_f64());
    }
}

/// Reads a file to a string.
pub fn read(path: &Path) -> Result<String, Failure> {
    std::fs::read_to_string(path).map_err(|e| Failure::Io {
        file: path.display().to_string(),
        message: e.to_string(),
    })
}

/// From this size on, [`read_fast`] reads the two halves of a file on two threads.
const SPLIT_BYTES: u64 = 16 << 20;

/// Reads a file of `size` bytes to a string, a large one in two halves at once: most of a
/// large read is the kernel handing out and clearing fresh pages, which two threads do in
/// about half the time. A file that changes size meanwhile is read again plainly.
fn read_fast(path: &Path, size: u64) -> Result<String, Failure> {
    use std::os::unix::fs::FileExt;
    let Ok(len) = usize::try_from(size) else {
        return read(path);
    };
    if size < SPLIT_BYTES {
        return read(path);
    }
    let io = |e: std::io::Error| Failure::Io {
        file: path.display().to_string(),
        message: e.to_string(),
    };
    let file = std::fs::File::open(path).map_err(io)?;
    let mut bytes = vec![0u8; len];
    let (head, tail) = bytes.split_at_mut(len / 2);
    let offset = head.len() as u64;
    let read_all = std::thread::scope(|s| {
        let second = s.spawn(|| file.read_exact_at(tail, offset));
        let first = file.read_exact_at(head, 0);
        first.and(
            second
                .join()
                .unwrap_or_else(|_| Err(std::io::Error::other("the reading thread failed"))),
        )
    });
    let grown = std::fs::metadata(path).map(|m| m.len()).unwrap_or(size) != size;
    if read_all.is_err() || grown {
        return read(path);
    }
    String::from_utf8(bytes).map_err(|e| Failure::Io {
        file: path.display().to_string(),
        message: format!("stream did not contain valid UTF-8: {e}"),
    })
}

/// Reads a file to a string with a bar of the bytes read.
fn read_with_bar(path: &Path, size: u64) -> Result<String, Failure> {
    let io = |e: std::io::Error| Failure::Io {
        file: path.display().to_string(),
        message: e.to_string(),
    };
    let bar = ProgressBar::new(size);
    if let Ok(style) =
        ProgressStyle::with_template("reading {bar:30} {bytes}/{total_bytes} {elapsed}")
    {
        bar.set_style(style);
    }
    let mut file = std::fs::File::open(path).map_err(io)?;
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0).saturating_add(1));
    loop {
        let before = bytes.len();
        let n = (&mut file)
            .take(CHUNK as u64)
            .read_to_end(&mut bytes)
            .map_err(io)?;
        bar.inc((bytes.len() - before) as u64);
        if n == 0 {
            break;
        }
    }
    bar.finish_and_clear();
    String::from_utf8(bytes).map_err(|e| Failure::Io {
        file: path.display().to_string(),
        message: format!("not UTF-8 text: {e}"),
    })
}

/// Runs `validate` on the text of `path`, with a spinner for a large file.
pub fn validating<T>(path: &Path, validate: impl FnOnce() -> T) -> T {
    let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    let bar = spinner(talkative(size), format!("validating {}", path.display()));
    let t = Instant::now();
    let out = validate();
    done(&bar, format!("validated {}", path.display()), t.elapsed());
    out
}

/// Reads and validates a model document.
pub fn model(path: &Path) -> Result<Loaded, Failure> {
    let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    let talk = talkative(size);
    let t = Instant::now();
    let text = if talk {
        read_with_bar(path, size)?
    } else {
        read_fast(path, size)?
    };
    let read_time = t.elapsed();
    let bar = spinner(
        talk,
        format!(
            "parsing and validating {} ({:.1} MB)",
            path.display(),
            size as f64 / 1e6
        ),
    );
    let t = Instant::now();
    let input = |error| Failure::Input {
        file: path.display().to_string(),
        error: Box::new(error),
    };
    // Parsed once, straight into the document, which moves its strings into the model.
    let doc = orgperm::ModelDocument::from_json(&text).map_err(|e| {
        bar.finish_and_clear();
        input(e)
    })?;
    let parsed = t.elapsed();
    let model = doc.into_model().map_err(|e| {
        bar.finish_and_clear();
        input(e)
    })?;
    let build = t.elapsed().saturating_sub(parsed);
    let bytes = text.len();
    // Freeing the text of a large model takes a while; the model no longer needs it, so
    // it is freed beside the rest of the command.
    discard(text);
    let parse = t.elapsed();
    done(
        &bar,
        format!(
            "read {} users from {} in {:.2} s, parsed and validated",
            model.user_count(),
            path.display(),
            read_time.as_secs_f64()
        ),
        parse,
    );
    Ok(Loaded {
        model,
        bytes,
        read: read_time,
        parse,
        build,
    })
}

/// Frees `value` on a thread of its own, so a large free overlaps the rest of the command
/// (a process that ends first frees it with everything else).
pub fn discard<T: Send + 'static>(value: T) {
    // Without a thread to be had, the value was moved into the closure and is freed here.
    let _ = std::thread::Builder::new()
        .name("discard".into())
        .spawn(move || drop(value));
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
        build: Duration::ZERO,
    })
}

/// Compiles a model, with a spinner for a large one.
pub fn compile(loaded: &Loaded) -> (Snapshot, Duration) {
    let bar = spinner(
        talkative(loaded.bytes as u64),
        format!("compiling {} users", loaded.model.user_count()),
    );
    let t = Instant::now();
    let snap = loaded.model.compile();
    let took = t.elapsed();
    done(&bar, "compiled".to_owned(), took);
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
