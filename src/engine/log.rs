//! The durable change log: checkpoints and segments of committed change sets in a directory.
//!
//! ```text
//! dir/
//!   checkpoint-00000000000000000040.ckpt   the model at version 40, framed records (binary, see `binary`)
//!   log-00000000000000000040.log           records of versions 41, 42, … (framed change sets)
//! ```
//!
//! Every file is a sequence of framed records (see `frame`). A checkpoint is written to a
//! temporary file, synced and renamed, so it is whole or absent. A commit appends its record
//! to the newest segment before the snapshot is published. Recovery loads the newest
//! checkpoint and replays every complete record after it; a torn or corrupt tail is
//! reported and cut off, and bad bytes with good records after them refuse to open (they
//! would lose commits).

use std::collections::HashSet;
use std::fs::{self, File, OpenOptions};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::error::{EngineError, EngineErrorKind, corrupt, io_error};
use super::frame::{self, HEADER, MAX_PAYLOAD};
use crate::change::ChangeSet;
use crate::document::ModelDocument;
use crate::model::Model;

/// How a durable [`Engine`](crate::Engine) writes its log.
///
/// # Examples
///
/// ```
/// let options = orgperm::LogOptions::default().fsync(false).checkpoint_every(Some(500));
/// assert!(!options.fsyncs());
/// assert_eq!(options.checkpoint_interval(), Some(500));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LogOptions {
    fsync: bool,
    checkpoint_every: Option<u64>,
}

impl Default for LogOptions {
    /// Sync every commit to disk; checkpoint every 10,000 commits.
    fn default() -> Self {
        LogOptions {
            fsync: true,
            checkpoint_every: Some(10_000),
        }
    }
}

impl LogOptions {
    /// Whether each commit is synced to disk (`fdatasync`) before it is published; without,
    /// it is written to the operating system, which survives a crash of the process but not
    /// of the machine.
    pub fn fsync(mut self, on: bool) -> Self {
        self.fsync = on;
        self
    }

    /// Writes a checkpoint (and drops the records and checkpoints it supersedes) after
    /// this many commits since the last one; `None` only when
    /// [`Engine::checkpoint`](crate::Engine::checkpoint) is called.
    pub fn checkpoint_every(mut self, commits: Option<u64>) -> Self {
        self.checkpoint_every = commits.filter(|&n| n > 0);
        self
    }

    /// Whether commits are synced.
    pub fn fsyncs(&self) -> bool {
        self.fsync
    }

    /// Commits between automatic checkpoints.
    pub fn checkpoint_interval(&self) -> Option<u64> {
        self.checkpoint_every
    }
}

/// What [`Engine::open`](crate::Engine::open) found in the log.
///
/// # Examples
///
/// ```
/// # use orgperm::{Engine, Model};
/// let dir = std::env::temp_dir().join(format!("orgperm-doc-recovery-{}", std::process::id()));
/// # let _ = std::fs::remove_dir_all(&dir);
/// Engine::create(&dir, Model::new())?;
/// let engine = Engine::open(&dir)?;
/// let recovery = engine.recovery().expect("a durable engine");
/// assert_eq!((recovery.checkpoint_version, recovery.records_replayed), (0, 0));
/// assert_eq!(recovery.dropped_tail, None);
/// # std::fs::remove_dir_all(&dir).unwrap();
/// # Ok::<(), orgperm::EngineError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Recovery {
    /// The version of the checkpoint loaded.
    pub checkpoint_version: u64,
    /// The records replayed after it.
    pub records_replayed: u64,
    /// A torn or corrupt tail that was cut off: the file, the offset of the first bad byte,
    /// how many bytes were dropped and why. A commit confirmed by `apply` is never in it.
    pub dropped_tail: Option<DroppedTail>,
}

/// The bytes at the end of a log file that were not a complete record and were cut off.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DroppedTail {
    /// The file.
    pub file: PathBuf,
    /// The offset of the first byte dropped.
    pub offset: u64,
    /// The bytes dropped.
    pub bytes: u64,
    /// Why they were not a record.
    pub reason: String,
}

/// The checkpoint format written: 2 is the binary encoding (see `binary`) after its magic
/// bytes.
const CHECKPOINT_FORMAT: u32 = 2;

/// The format of checkpoints written as JSON text, still read.
const JSON_CHECKPOINT_FORMAT: u32 = 1;

/// A checkpoint as written: the model's document, its version and the change-set ids
/// applied up to it (so idempotency survives a restart).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct CheckpointOut<'a> {
    format: u32,
    version: u64,
    applied_ids: Vec<&'a str>,
    model: &'a ModelDocument,
}

/// A checkpoint as read, strictly.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct CheckpointIn {
    format: u32,
    version: u64,
    applied_ids: Vec<String>,
    model: ModelDocument,
}

fn checkpoint_name(version: u64) -> String {
    format!("checkpoint-{version:020}.ckpt")
}

fn segment_name(base: u64) -> String {
    format!("log-{base:020}.log")
}

/// The version in a file name of the form `{prefix}{20 digits}{suffix}`.
fn parse_name(name: &str, prefix: &str, suffix: &str) -> Option<u64> {
    let digits = name.strip_prefix(prefix)?.strip_suffix(suffix)?;
    (digits.len() == 20 && digits.bytes().all(|b| b.is_ascii_digit()))
        .then(|| digits.parse().ok())
        .flatten()
}

/// The checkpoints and segments of a directory, each sorted by version.
struct Listing {
    checkpoints: Vec<u64>,
    segments: Vec<u64>,
    temporaries: Vec<PathBuf>,
}

fn list(dir: &Path) -> Result<Listing, EngineError> {
    let mut listing = Listing {
        checkpoints: Vec::new(),
        segments: Vec::new(),
        temporaries: Vec::new(),
    };
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(listing),
        Err(e) => return Err(io_error(dir, "list", e)),
    };
    for entry in entries {
        let entry = entry.map_err(|e| io_error(dir, "list", e))?;
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        if let Some(v) = parse_name(name, "checkpoint-", ".ckpt") {
            listing.checkpoints.push(v);
        } else if let Some(v) = parse_name(name, "log-", ".log") {
            listing.segments.push(v);
        } else if parse_name(name, "checkpoint-", ".ckpt.tmp").is_some() {
            listing.temporaries.push(entry.path());
        }
    }
    listing.checkpoints.sort_unstable();
    listing.segments.sort_unstable();
    Ok(listing)
}

/// Syncs a directory, so that a file created or renamed in it survives a machine crash.
fn sync_dir(dir: &Path) -> Result<(), EngineError> {
    File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(|e| io_error(dir, "sync directory", e))
}

/// Bytes of checkpoint text per record: a checkpoint streams through a buffer this large,
/// and a larger one is several records of its version.
const CHECKPOINT_PIECE: usize = 64 << 20;

/// Writes the checkpoint of `model` at `version` (streamed, framed in pieces, synced,
/// renamed into place), so it is either whole or absent.
pub(crate) fn write_checkpoint(
    dir: &Path,
    version: u64,
    applied: &HashSet<String>,
    model: &Model,
    fsync: bool,
) -> Result<(), EngineError> {
    write_checkpoint_in_pieces(dir, version, applied, model, fsync, CHECKPOINT_PIECE)
}

fn write_checkpoint_in_pieces(
    dir: &Path,
    version: u64,
    applied: &HashSet<String>,
    model: &Model,
    fsync: bool,
    piece: usize,
) -> Result<(), EngineError> {
    let doc = ModelDocument::from_model(model);
    let mut applied_ids: Vec<&str> = applied.iter().map(String::as_str).collect();
    applied_ids.sort_unstable();
    let out = CheckpointOut {
        format: CHECKPOINT_FORMAT,
        version,
        applied_ids,
        model: &doc,
    };
    let tmp = dir.join(format!("{}.tmp", checkpoint_name(version)));
    let path = dir.join(checkpoint_name(version));
    let file = File::create(&tmp).map_err(|e| io_error(&tmp, "create", e))?;
    let mut pieces = Pieces {
        file: std::io::BufWriter::new(file),
        buf: Vec::with_capacity(piece.min(MAX_PAYLOAD)),
        piece: piece.clamp(1, MAX_PAYLOAD),
        version,
        written: 0,
    };
    let streamed = pieces
        .write_all(super::binary::MAGIC)
        .and_then(|()| {
            super::binary::to_writer(&mut pieces, &out)
                .map(drop)
                .map_err(|e| std::io::Error::other(e.to_string()))
        })
        .and_then(|()| pieces.finish());
    let file = match streamed {
        Ok(file) => file,
        Err(e) => {
            let _ = fs::remove_file(&tmp);
            return Err(io_error(&tmp, "write", e));
        }
    };
    if fsync {
        file.sync_all().map_err(|e| io_error(&tmp, "sync", e))?;
    }
    drop(file);
    fs::rename(&tmp, &path).map_err(|e| io_error(&path, "rename", e))?;
    if fsync {
        sync_dir(dir)?;
    }
    Ok(())
}

/// A writer that frames the bytes it is given as records of `piece` bytes, all of one
/// version, so a checkpoint of any size streams into a file with bounded memory.
struct Pieces {
    file: std::io::BufWriter<File>,
    buf: Vec<u8>,
    piece: usize,
    version: u64,
    written: usize,
}

impl Pieces {
    fn emit(&mut self) -> std::io::Result<()> {
        let header = frame::header_bytes(self.buf.len(), self.version, crc32fast::hash(&self.buf));
        self.file.write_all(&header)?;
        self.file.write_all(&self.buf)?;
        self.written += 1;
        self.buf.clear();
        Ok(())
    }

    /// Frames what is left (an empty checkpoint is still one record) and flushes.
    fn finish(mut self) -> std::io::Result<File> {
        if !self.buf.is_empty() || self.written == 0 {
            self.emit()?;
        }
        self.file.into_inner().map_err(|e| e.into_error())
    }
}

impl Write for Pieces {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let room = self.piece.saturating_sub(self.buf.len());
        let n = buf.len().min(room);
        self.buf.extend_from_slice(buf.get(..n).unwrap_or(buf));
        if self.buf.len() >= self.piece {
            self.emit()?;
        }
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Reads a whole file.
fn read_all(path: &Path) -> Result<Vec<u8>, EngineError> {
    let mut bytes = Vec::new();
    File::open(path)
        .and_then(|mut f| {
            // Sized once from the file's length (a guess: the read still stops at the end).
            let size = f.metadata().map_or(0, |m| m.len());
            bytes.reserve_exact(usize::try_from(size).unwrap_or(0).min(isize::MAX as usize));
            f.read_to_end(&mut bytes)
        })
        .map_err(|e| io_error(path, "read", e))?;
    Ok(bytes)
}

/// The state recovered from a log directory.
pub(crate) struct Recovered {
    pub(crate) model: Model,
    pub(crate) version: u64,
    pub(crate) applied: HashSet<String>,
    pub(crate) log: Log,
    pub(crate) report: Recovery,
}

/// The open log of an engine: the newest segment, appended to by commits.
#[derive(Debug)]
pub(crate) struct Log {
    dir: PathBuf,
    options: LogOptions,
    segment: File,
    segment_path: PathBuf,
    segment_base: u64,
    segment_len: u64,
    /// The version of the newest checkpoint written or loaded.
    pub(crate) checkpointed: u64,
}

impl Log {
    /// Starts a log in `dir` (created if missing) with `model` as its checkpoint at
    /// version 0; refuses a directory that already holds a log.
    pub(crate) fn create(
        dir: &Path,
        model: &Model,
        options: LogOptions,
    ) -> Result<Log, EngineError> {
        fs::create_dir_all(dir).map_err(|e| io_error(dir, "create directory", e))?;
        let listing = list(dir)?;
        if !listing.checkpoints.is_empty() || !listing.segments.is_empty() {
            return Err(EngineError::at(
                dir.display().to_string(),
                EngineErrorKind::LogExists,
            ));
        }
        write_checkpoint(dir, 0, &HashSet::new(), model, options.fsync)?;
        let (segment, segment_path) = new_segment(dir, 0, options.fsync)?;
        Ok(Log {
            dir: dir.to_path_buf(),
            options,
            segment,
            segment_path,
            segment_base: 0,
            segment_len: 0,
            checkpointed: 0,
        })
    }

    /// Recovers the newest checkpoint of `dir` and every complete record after it.
    pub(crate) fn recover(dir: &Path, options: LogOptions) -> Result<Recovered, EngineError> {
        let listing = list(dir)?;
        for tmp in &listing.temporaries {
            // A checkpoint that was being written when the process stopped: never renamed,
            // never used.
            fs::remove_file(tmp).map_err(|e| io_error(tmp, "remove", e))?;
        }
        let Some(&checkpoint) = listing.checkpoints.last() else {
            return Err(EngineError::at(
                dir.display().to_string(),
                EngineErrorKind::NoLog,
            ));
        };
        let (mut model, mut applied) =
            read_checkpoint(&dir.join(checkpoint_name(checkpoint)), checkpoint)?;
        let mut version = checkpoint;
        let mut replayed = 0u64;
        let mut dropped_tail = None;
        // Segments wholly before the checkpoint (their successor starts at or before it)
        // are superseded; the rest are replayed in order.
        let live: Vec<u64> = listing
            .segments
            .iter()
            .enumerate()
            .filter(|&(i, _)| {
                listing
                    .segments
                    .get(i + 1)
                    .is_none_or(|&next| next > checkpoint)
            })
            .map(|(_, &base)| base)
            .collect();
        for &base in &live {
            let path = dir.join(segment_name(base));
            if base > version {
                return Err(corrupt(
                    &path,
                    0,
                    format!("the log skips from version {version} to {}", base + 1),
                ));
            }
            let bytes = read_all(&path)?;
            let scan = frame::scan(&bytes, base + 1);
            for record in &scan.records {
                if record.version <= version {
                    continue;
                }
                let payload = bytes.get(record.payload.clone()).unwrap_or_default();
                let offset = (record.payload.start - HEADER) as u64;
                let text = std::str::from_utf8(payload)
                    .map_err(|_| corrupt(&path, offset, "the record is not UTF-8".to_string()))?;
                let changes = ChangeSet::from_json(text)
                    .and_then(|c| c.replay_onto(&mut model).map(|()| c))
                    .map_err(|e| {
                        corrupt(
                            &path,
                            offset,
                            format!("record of version {} does not apply: {e}", record.version),
                        )
                    })?;
                if let Some(id) = changes.id {
                    applied.insert(id);
                }
                version = record.version;
                replayed += 1;
            }
            if let Some(stop) = scan.stop {
                if scan.more_after {
                    return Err(corrupt(&path, scan.good_len as u64, stop.to_string()));
                }
                // A torn or corrupt tail: cut it off so the next append starts clean.
                let file = OpenOptions::new()
                    .write(true)
                    .open(&path)
                    .map_err(|e| io_error(&path, "open", e))?;
                file.set_len(scan.good_len as u64)
                    .and_then(|()| file.sync_all())
                    .map_err(|e| io_error(&path, "truncate", e))?;
                dropped_tail = Some(DroppedTail {
                    file: path.clone(),
                    offset: scan.good_len as u64,
                    bytes: (bytes.len() - scan.good_len) as u64,
                    reason: stop.to_string(),
                });
            }
        }
        let log = match live.last() {
            Some(&base) => {
                let path = dir.join(segment_name(base));
                let segment = OpenOptions::new()
                    .append(true)
                    .open(&path)
                    .map_err(|e| io_error(&path, "open", e))?;
                let segment_len = segment
                    .metadata()
                    .map_err(|e| io_error(&path, "open", e))?
                    .len();
                Log {
                    dir: dir.to_path_buf(),
                    options,
                    segment,
                    segment_path: path,
                    segment_base: base,
                    segment_len,
                    checkpointed: checkpoint,
                }
            }
            None => {
                let (segment, segment_path) = new_segment(dir, version, options.fsync)?;
                Log {
                    dir: dir.to_path_buf(),
                    options,
                    segment,
                    segment_path,
                    segment_base: version,
                    segment_len: 0,
                    checkpointed: checkpoint,
                }
            }
        };
        Ok(Recovered {
            model,
            version,
            applied,
            log,
            report: Recovery {
                checkpoint_version: checkpoint,
                records_replayed: replayed,
                dropped_tail,
            },
        })
    }

    /// The directory.
    pub(crate) fn dir(&self) -> &Path {
        &self.dir
    }

    /// The options.
    pub(crate) fn options(&self) -> LogOptions {
        self.options
    }

    /// Appends the record of `version` (synced when the options say so). On a failure the
    /// segment is cut back to where it was, so no partial record stays behind.
    pub(crate) fn append(&mut self, version: u64, payload: &[u8]) -> Result<(), EngineError> {
        if payload.len() > MAX_PAYLOAD {
            return Err(io_error(
                &self.segment_path,
                "append",
                std::io::Error::other("the change set exceeds the largest record (1 GiB)"),
            ));
        }
        let record = frame::encode(version, payload);
        let written = self.segment.write_all(&record).and_then(|()| {
            if self.options.fsync {
                self.segment.sync_data()
            } else {
                Ok(())
            }
        });
        if let Err(e) = written {
            let _ = self.segment.set_len(self.segment_len);
            return Err(io_error(&self.segment_path, "append", e));
        }
        self.segment_len += record.len() as u64;
        Ok(())
    }

    /// Starts a new segment for the records after `version`, unless the current one
    /// already starts there.
    pub(crate) fn rotate(&mut self, version: u64) -> Result<(), EngineError> {
        if self.segment_base == version {
            return Ok(());
        }
        let (segment, path) = new_segment(&self.dir, version, self.options.fsync)?;
        self.segment = segment;
        self.segment_path = path;
        self.segment_base = version;
        self.segment_len = 0;
        Ok(())
    }
}

/// Creates the segment for the records after `base`.
fn new_segment(dir: &Path, base: u64, fsync: bool) -> Result<(File, PathBuf), EngineError> {
    let path = dir.join(segment_name(base));
    let segment = OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)
        .map_err(|e| io_error(&path, "create", e))?;
    if fsync {
        sync_dir(dir)?;
    }
    Ok((segment, path))
}

/// Loads the checkpoint at `path`, which must be one checked record of `version`.
fn read_checkpoint(path: &Path, version: u64) -> Result<(Model, HashSet<String>), EngineError> {
    let mut bytes = read_all(path)?;
    // One record, or the pieces of a large checkpoint, all of its version.
    let scan = frame::scan_versions(&bytes, version, 0);
    if let Some(stop) = scan.stop {
        return Err(corrupt(path, scan.good_len as u64, stop.to_string()));
    }
    if scan.records.is_empty() {
        return Err(corrupt(path, 0, "a checkpoint holds a record".to_string()));
    }
    // The pieces' payloads moved together in place, over the headers before them: no second
    // buffer as large as the checkpoint.
    let mut len = 0usize;
    for r in &scan.records {
        if r.payload.start < len || r.payload.end > bytes.len() {
            return Err(corrupt(
                path,
                r.payload.start as u64,
                "records overlap".to_string(),
            ));
        }
        bytes.copy_within(r.payload.clone(), len);
        len += r.payload.len();
    }
    bytes.truncate(len);
    let payload = bytes.as_slice();
    let (doc, expected): (CheckpointIn, u32) = match payload.strip_prefix(super::binary::MAGIC) {
        Some(encoded) => {
            let doc = super::binary::from_slice(encoded).map_err(|e| {
                let at = e.offset.unwrap_or(0) + super::binary::MAGIC.len();
                corrupt(
                    path,
                    file_offset(&scan.records, at),
                    format!("the checkpoint does not decode: {e}"),
                )
            })?;
            (doc, CHECKPOINT_FORMAT)
        }
        None => {
            let text = std::str::from_utf8(payload)
                .map_err(|_| corrupt(path, 0, "the checkpoint is not UTF-8".to_string()))?;
            // A valid checkpoint is read straight from the text; the path-keeping tree is
            // built only to name an error.
            let doc = crate::document::reader::from_json_fast(text)
                .map_err(|e| EngineError::from(e).within(&path.display().to_string()))?;
            (doc, JSON_CHECKPOINT_FORMAT)
        }
    };
    if doc.format != expected || doc.version != version {
        return Err(corrupt(
            path,
            0,
            format!(
                "expected a checkpoint of format {expected} and version {version}, found format {} and version {}",
                doc.format, doc.version
            ),
        ));
    }
    let model = doc
        .model
        .into_model()
        .map_err(|e| EngineError::from(e).within(&format!("{}: model", path.display())))?;
    Ok((model, doc.applied_ids.into_iter().collect()))
}

/// The offset in the file of byte `at` of the payloads of `records` joined in order.
fn file_offset(records: &[frame::Found], at: usize) -> u64 {
    let mut before = 0usize;
    for r in records {
        let len = r.payload.len();
        if at < before + len {
            return (r.payload.start + (at - before)) as u64;
        }
        before += len;
    }
    records.last().map_or(0, |r| r.payload.end as u64)
}

/// Removes the checkpoints before `version` and the segments whose records all come at or
/// before it.
pub(crate) fn compact(dir: &Path, version: u64) -> Result<(), EngineError> {
    let listing = list(dir)?;
    for &old in listing.checkpoints.iter().filter(|&&v| v < version) {
        let path = dir.join(checkpoint_name(old));
        fs::remove_file(&path).map_err(|e| io_error(&path, "remove", e))?;
    }
    for (i, &base) in listing.segments.iter().enumerate() {
        if listing
            .segments
            .get(i + 1)
            .is_some_and(|&next| next <= version)
        {
            let path = dir.join(segment_name(base));
            fs::remove_file(&path).map_err(|e| io_error(&path, "remove", e))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn model() -> Model {
        let mut m = Model::new();
        for i in 0..40 {
            let manager = (i > 0).then(|| format!("user-{}", i / 2));
            m.add_user(&format!("user-{i}"), manager.as_deref())
                .unwrap();
        }
        m
    }

    #[test]
    fn a_checkpoint_larger_than_a_piece_is_several_records_of_its_version_read_back_whole() {
        let dir = std::env::temp_dir().join(format!("orgperm-pieces-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        let m = model();
        let applied: HashSet<String> = ["set-1".to_string()].into();
        write_checkpoint_in_pieces(&dir, 7, &applied, &m, false, 100).unwrap();
        let path = dir.join(checkpoint_name(7));
        let bytes = fs::read(&path).unwrap();
        let scan = frame::scan_versions(&bytes, 7, 0);
        assert!(scan.stop.is_none());
        assert!(scan.records.len() > 10, "{} records", scan.records.len());
        assert!(
            scan.records
                .iter()
                .all(|r| r.version == 7 && r.payload.len() <= 100)
        );
        let (back, ids) = read_checkpoint(&path, 7).unwrap();
        assert_eq!(back.to_json(), m.to_json());
        assert_eq!(ids, applied);

        // A flipped byte in a middle piece is corruption, reported, never a partial model.
        let mut bad = bytes.clone();
        let middle = scan
            .records
            .get(scan.records.len() / 2)
            .unwrap()
            .payload
            .start
            + 3;
        *bad.get_mut(middle).unwrap() ^= 0x20;
        fs::write(&path, &bad).unwrap();
        let e = read_checkpoint(&path, 7).unwrap_err();
        assert!(e.to_string().contains("checksum"), "{e}");
        // So is a piece cut short.
        fs::write(&path, bytes.get(..bytes.len() - 5).unwrap()).unwrap();
        assert!(read_checkpoint(&path, 7).is_err());
        let _ = fs::remove_dir_all(&dir);
    }

    /// Writes `model` as a checkpoint of format 1, exactly as builds before the binary
    /// format did: the JSON text framed in records of `piece` bytes.
    fn write_json_checkpoint(dir: &Path, version: u64, model: &Model, piece: usize) {
        let doc = ModelDocument::from_model(model);
        let out = CheckpointOut {
            format: JSON_CHECKPOINT_FORMAT,
            version,
            applied_ids: vec!["set-1"],
            model: &doc,
        };
        let text = serde_json::to_vec(&out).unwrap();
        let mut bytes = Vec::new();
        for chunk in text.chunks(piece) {
            bytes.extend_from_slice(&frame::encode(version, chunk));
        }
        fs::write(dir.join(checkpoint_name(version)), bytes).unwrap();
    }

    #[test]
    fn a_json_checkpoint_of_format_1_still_opens_and_the_next_checkpoint_is_binary() {
        let dir = std::env::temp_dir().join(format!("orgperm-json-ckpt-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        let m = model();
        write_json_checkpoint(&dir, 3, &m, 200);
        let (back, ids) = read_checkpoint(&dir.join(checkpoint_name(3)), 3).unwrap();
        assert_eq!(back.to_json(), m.to_json());
        assert_eq!(back.digest(), m.digest());
        assert_eq!(ids, ["set-1".to_string()].into());

        // A whole log over it opens, replays and checkpoints again (in format 2).
        let engine = crate::Engine::open_with(&dir, LogOptions::default().fsync(false)).unwrap();
        assert_eq!(engine.model().to_json(), m.to_json());
        let mut changes = ChangeSet::new();
        changes.ops = vec![crate::change::Op::AddUser {
            id: "new".into(),
            manager_id: None,
        }];
        engine.apply(&changes).unwrap();
        engine.checkpoint().unwrap();
        let after = fs::read(dir.join(checkpoint_name(4))).unwrap();
        assert!(
            after
                .get(HEADER..)
                .unwrap()
                .starts_with(super::super::binary::MAGIC)
        );
        let expected = engine.model().to_json();
        drop(engine);
        let reopened = crate::Engine::open_with(&dir, LogOptions::default().fsync(false)).unwrap();
        assert_eq!(reopened.model().to_json(), expected);
        let _ = fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_binary_checkpoint_whose_records_check_but_whose_encoding_is_bad_is_refused_whole() {
        let dir = std::env::temp_dir().join(format!("orgperm-bad-bin-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        let m = model();
        write_checkpoint_in_pieces(&dir, 5, &HashSet::new(), &m, false, 64).unwrap();
        let path = dir.join(checkpoint_name(5));
        let bytes = fs::read(&path).unwrap();
        let scan = frame::scan_versions(&bytes, 5, 0);
        let payload: Vec<u8> = scan
            .records
            .iter()
            .flat_map(|r| bytes.get(r.payload.clone()).unwrap().to_vec())
            .collect();
        // Framed again in records of 64 bytes with good checksums, so only the decoder can
        // tell: every cut of the encoding is refused, as corruption in that file.
        let reframe =
            |p: &[u8]| -> Vec<u8> { p.chunks(64).flat_map(|c| frame::encode(5, c)).collect() };
        for cut in 0..payload.len() {
            fs::write(&path, reframe(payload.get(..cut).unwrap())).unwrap();
            let e = read_checkpoint(&path, 5).err().unwrap();
            assert_eq!(e.path(), path.display().to_string(), "cut {cut}");
            assert!(
                matches!(e.kind(), EngineErrorKind::Corrupt { .. }),
                "cut {cut}: {e}"
            );
        }
        // A flipped byte decodes to an error or to some document that the model's own
        // validation then judges: never a panic, never a model other than a whole one.
        let mut refused = 0;
        for i in super::super::binary::MAGIC.len()..payload.len() {
            let mut bad = payload.clone();
            *bad.get_mut(i).unwrap() ^= 0x41;
            fs::write(&path, reframe(&bad)).unwrap();
            refused += usize::from(read_checkpoint(&path, 5).is_err());
        }
        assert!(
            refused > payload.len() / 2,
            "{refused} of {}",
            payload.len()
        );
        // An error in the encoding names the offset in the file, past the first record's
        // header.
        let mut bad = payload.clone();
        let at = super::super::binary::MAGIC.len();
        *bad.get_mut(at).unwrap() = 0xEE;
        fs::write(&path, reframe(&bad)).unwrap();
        let e = read_checkpoint(&path, 5).err().unwrap();
        let EngineErrorKind::Corrupt { offset, .. } = e.kind() else {
            panic!("{e}")
        };
        assert_eq!(*offset, (HEADER + at) as u64, "{e}");
        let _ = fs::remove_dir_all(&dir);
    }
}
