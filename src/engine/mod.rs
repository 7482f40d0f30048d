//! The live engine: one model, the current snapshot behind a lock-free pointer, versions and
//! consistency tokens.
//!
//! Readers load the current snapshot with one atomic load and never wait for a writer;
//! writers are serialized. Each commit compiles the new model, publishes the snapshot with the
//! next version and returns a [`Token`]; [`Engine::snapshot_at_least`] waits (with a timeout)
//! for a snapshot at least that new, so a handler that just revoked access never reads the
//! state from before (the "new enemy" problem; SpiceDB's ZedTokens answer it the same way).
//!
//! A durable engine ([`Engine::create`], [`Engine::open`]) also writes every commit to a
//! change log in a directory before publishing it, with periodic checkpoints; see `log`.

mod binary;
pub(crate) mod error;
mod frame;
pub(crate) mod log;
#[cfg(test)]
mod patch_items_tests;
#[cfg(test)]
mod patch_profiles_tests;
#[cfg(test)]
mod patch_rbac_tests;

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use arc_swap::ArcSwap;

use crate::change::ChangeSet;
use crate::document::digest::Digest;
use crate::impact::Impact;
use crate::model::Model;
use crate::snapshot::Snapshot;
use error::{EngineError, EngineErrorKind};
use log::{Log, LogOptions, Recovery};

/// A compiled snapshot and the version of the model it was compiled from.
///
/// It dereferences to the [`Snapshot`], so every query reads as on a snapshot.
#[derive(Debug)]
pub struct LiveSnapshot {
    version: u64,
    snapshot: Snapshot,
}

impl LiveSnapshot {
    fn new(version: u64, snapshot: Snapshot) -> LiveSnapshot {
        LiveSnapshot { version, snapshot }
    }

    /// The version: 0 for the model the engine started with, one more for every commit.
    pub fn version(&self) -> u64 {
        self.version
    }

    /// The token of this snapshot's version.
    pub fn token(&self) -> Token {
        Token(self.version)
    }
}

impl core::ops::Deref for LiveSnapshot {
    type Target = Snapshot;
    fn deref(&self) -> &Snapshot {
        &self.snapshot
    }
}

/// The current snapshot, borrowed for a short read; see [`Engine::read`]. It dereferences
/// to the [`LiveSnapshot`].
pub struct ReadGuard(arc_swap::Guard<Arc<LiveSnapshot>>);

impl core::ops::Deref for ReadGuard {
    type Target = LiveSnapshot;
    fn deref(&self) -> &LiveSnapshot {
        &self.0
    }
}

impl core::fmt::Debug for ReadGuard {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_tuple("ReadGuard").field(&self.0.version).finish()
    }
}

/// A consistency token: the version a commit produced. A snapshot at least as new as the
/// token reflects the commit.
///
/// # Examples
///
/// ```
/// let token = orgperm::Token::from_version(7);
/// assert_eq!(token.version(), 7);
/// assert_eq!(token.to_string(), "7");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Token(u64);

impl Token {
    /// The token of a version (as a host stored it, say in a cookie or a response header).
    pub fn from_version(version: u64) -> Token {
        Token(version)
    }

    /// The version.
    pub fn version(self) -> u64 {
        self.0
    }
}

impl core::fmt::Display for Token {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// What the writer owns: the model, its version, the ids of the change sets applied and
/// the log, if the engine keeps one.
#[derive(Debug)]
struct Writer {
    model: Model,
    version: u64,
    applied: HashSet<String>,
    log: Option<Log>,
    /// Set when a commit was applied to the model but its record could not be written:
    /// the model is then ahead of the log, and the engine refuses further commits.
    log_failed: bool,
}

/// A model kept live: readers check against the current snapshot while writers apply change
/// sets.
///
/// # Examples
///
/// ```
/// use std::time::Duration;
/// use orgperm::{ChangeSet, Domain, Engine, Level, Model, ProfileSpec};
///
/// let mut model = Model::new();
/// model.add_user("lee", None)?;
/// model.add_user("dana", Some("lee"))?;
/// model.create_profile(ProfileSpec::new("mgr", "Managers").with_level(Domain::Calls, Level::ReportToThem))?;
/// let engine = Engine::new(model);
/// assert!(!engine.snapshot().can_access("lee", Domain::Calls, "dana"));
///
/// let token = engine.apply(&ChangeSet::from_json(r#"{"version": 1, "id": "c1", "ops": [
///     {"op": "assignProfile", "userId": "lee", "profileId": "mgr"}
/// ]}"#)?)?;
/// let snap = engine.snapshot_at_least(token, Duration::from_secs(1)).expect("committed");
/// assert!(snap.can_access("lee", Domain::Calls, "dana"));
/// assert_eq!(snap.version(), 1);
/// # Ok::<(), orgperm::EngineError>(())
/// ```
#[derive(Debug)]
pub struct Engine {
    current: ArcSwap<LiveSnapshot>,
    writer: Mutex<Writer>,
    /// The latest published version, for readers waiting on a token.
    published: Mutex<u64>,
    advanced: Condvar,
    /// The log's directory and options, if the engine keeps one.
    durable: Option<(PathBuf, LogOptions)>,
    /// Serializes checkpoints (commits go on while one is written).
    checkpointing: Mutex<()>,
    recovery: Option<Recovery>,
}

/// A lock that a panicking holder left behind is still consistent here: the writer replaces
/// its state only after a commit succeeded, so the poison flag carries no information.
fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl Engine {
    /// An engine over `model`, compiled once; its version is 0. It keeps no log: its state
    /// lives as long as the process (see [`Engine::create`] for a durable one).
    pub fn new(model: Model) -> Engine {
        Engine::assemble(model, 0, HashSet::new(), None, None)
    }

    fn assemble(
        model: Model,
        version: u64,
        applied: HashSet<String>,
        log: Option<Log>,
        recovery: Option<Recovery>,
    ) -> Engine {
        let snapshot = model.compile();
        let durable = log.as_ref().map(|l| (l.dir().to_path_buf(), l.options()));
        Engine {
            current: ArcSwap::from_pointee(LiveSnapshot::new(version, snapshot)),
            writer: Mutex::new(Writer {
                model,
                version,
                applied,
                log,
                log_failed: false,
            }),
            published: Mutex::new(version),
            advanced: Condvar::new(),
            durable,
            checkpointing: Mutex::new(()),
            recovery,
        }
    }

    /// A durable engine over `model` at version 0, with a new log in `dir` (created if
    /// missing; refused with [`EngineErrorKind::LogExists`] if it holds a log already) and
    /// the default [`LogOptions`].
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{ChangeSet, Engine, Model};
    /// let dir = std::env::temp_dir().join(format!("orgperm-doc-create-{}", std::process::id()));
    /// # let _ = std::fs::remove_dir_all(&dir);
    /// let engine = Engine::create(&dir, Model::new())?;
    /// engine.apply(&ChangeSet::from_json(r#"{"version": 1, "ops": [{"op": "addUser", "id": "ada"}]}"#)?)?;
    /// drop(engine);
    ///
    /// // Reopening recovers the checkpoint and every commit after it.
    /// let engine = Engine::open(&dir)?;
    /// assert_eq!(engine.version(), 1);
    /// assert!(engine.model().user_id("ada").is_some());
    /// # std::fs::remove_dir_all(&dir).unwrap();
    /// # Ok::<(), orgperm::EngineError>(())
    /// ```
    pub fn create(dir: impl AsRef<Path>, model: Model) -> Result<Engine, EngineError> {
        Engine::create_with(dir, model, LogOptions::default())
    }

    /// [`Engine::create`] with the given options.
    pub fn create_with(
        dir: impl AsRef<Path>,
        model: Model,
        options: LogOptions,
    ) -> Result<Engine, EngineError> {
        let log = Log::create(dir.as_ref(), &model, options)?;
        Ok(Engine::assemble(model, 0, HashSet::new(), Some(log), None))
    }

    /// Reopens the durable engine whose log is in `dir`, with the default [`LogOptions`]:
    /// the newest checkpoint and every complete record after it. A torn or corrupt tail
    /// record (a write the process did not finish) is cut off and reported in
    /// [`recovery`](Engine::recovery); bad bytes followed by good records are
    /// [`EngineErrorKind::Corrupt`], since dropping them would lose commits.
    ///
    /// Cost: reading the checkpoint and compiling once, plus each record's operations.
    pub fn open(dir: impl AsRef<Path>) -> Result<Engine, EngineError> {
        Engine::open_with(dir, LogOptions::default())
    }

    /// [`Engine::open`] with the given options.
    pub fn open_with(dir: impl AsRef<Path>, options: LogOptions) -> Result<Engine, EngineError> {
        let r = Log::recover(dir.as_ref(), options)?;
        Ok(Engine::assemble(
            r.model,
            r.version,
            r.applied,
            Some(r.log),
            Some(r.report),
        ))
    }

    /// What [`Engine::open`] found in the log; `None` for an engine that was not reopened.
    pub fn recovery(&self) -> Option<&Recovery> {
        self.recovery.as_ref()
    }

    /// The log's directory, for a durable engine.
    pub fn log_dir(&self) -> Option<&Path> {
        self.durable.as_ref().map(|(dir, _)| dir.as_path())
    }

    /// Writes a checkpoint of the current version and removes the checkpoints and records
    /// it supersedes; returns the version checkpointed. Commits go on while the checkpoint
    /// is written (from a copy of the model that shares its stores); readers never wait.
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{ChangeSet, Engine, LogOptions, Model};
    /// let dir = std::env::temp_dir().join(format!("orgperm-doc-ckpt-{}", std::process::id()));
    /// # let _ = std::fs::remove_dir_all(&dir);
    /// let engine = Engine::create_with(&dir, Model::new(), LogOptions::default().fsync(false))?;
    /// engine.apply(&ChangeSet::from_json(r#"{"version": 1, "ops": [{"op": "addUser", "id": "ada"}]}"#)?)?;
    /// assert_eq!(engine.checkpoint()?, 1);
    /// drop(engine);
    /// let engine = Engine::open(&dir)?;
    /// assert_eq!(engine.recovery().unwrap().checkpoint_version, 1);
    /// assert_eq!(engine.recovery().unwrap().records_replayed, 0);
    /// # std::fs::remove_dir_all(&dir).unwrap();
    /// # Ok::<(), orgperm::EngineError>(())
    /// ```
    pub fn checkpoint(&self) -> Result<u64, EngineError> {
        let Some((dir, options)) = &self.durable else {
            return Err(EngineError::new(EngineErrorKind::NotDurable));
        };
        let _one_at_a_time = lock(&self.checkpointing);
        let (model, version, applied) = {
            let mut w = lock(&self.writer);
            let version = w.version;
            if let Some(log) = w.log.as_mut() {
                if log.checkpointed == version {
                    return Ok(version);
                }
                // New records go to a new segment, so the old ones can be removed once the
                // checkpoint is in place.
                log.rotate(version)?;
            }
            // A copy that shares the stores: the next commit copies each store it writes
            // to once, and the checkpoint is written without holding the writer.
            (w.model.clone(), version, w.applied.clone())
        };
        log::write_checkpoint(dir, version, &applied, &model, options.fsyncs())?;
        drop(model);
        if let Some(log) = lock(&self.writer).log.as_mut() {
            log.checkpointed = log.checkpointed.max(version);
        }
        log::compact(dir, version)?;
        Ok(version)
    }

    /// The current version and the digest of its model (see [`Model::digest`]): two
    /// engines fed the same change sets in the same order reach the same version and the
    /// same digest, on any machine.
    ///
    /// Cost: one pass over the model's document, outside the writer's lock; the next commit
    /// then copies each store it writes to once.
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{ChangeSet, Engine, Model};
    /// let changes = ChangeSet::from_json(r#"{"version": 1, "ops": [{"op": "addUser", "id": "ada"}]}"#)?;
    /// let (a, b) = (Engine::new(Model::new()), Engine::new(Model::new()));
    /// a.apply(&changes)?;
    /// b.apply(&changes)?;
    /// assert_eq!(a.digest(), b.digest());
    /// assert_eq!(a.digest().0.version(), 1);
    /// # Ok::<(), orgperm::EngineError>(())
    /// ```
    pub fn digest(&self) -> (Token, Digest) {
        let (model, version) = {
            let w = lock(&self.writer);
            (w.model.clone(), w.version)
        };
        (Token(version), model.digest())
    }

    /// The current snapshot: one atomic load, never waiting for a writer.
    pub fn snapshot(&self) -> Arc<LiveSnapshot> {
        self.current.load_full()
    }

    /// The current snapshot for a short read, such as one request's checks: one atomic
    /// load and no reference-count traffic, so cheaper than [`snapshot`](Engine::snapshot).
    /// Hold it for the request, not for long: an old snapshot held this way stays alive
    /// until the guard is dropped, like an `Arc`.
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{Domain, Engine, Model};
    /// let mut model = Model::new();
    /// model.add_user("ada", None)?;
    /// let engine = Engine::new(model);
    /// let snap = engine.read();
    /// assert_eq!(snap.version(), 0);
    /// assert!(!snap.can_access("ada", Domain::Calls, "nobody"));
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    pub fn read(&self) -> ReadGuard {
        ReadGuard(self.current.load())
    }

    /// The current version.
    pub fn version(&self) -> u64 {
        self.current.load().version
    }

    /// A snapshot at least as new as `token`, waiting up to `timeout` for it to be published;
    /// `None` if it was not published in time (for a token of this engine, only while its
    /// commit is being compiled). The fast path is one atomic load.
    pub fn snapshot_at_least(&self, token: Token, timeout: Duration) -> Option<Arc<LiveSnapshot>> {
        let snap = self.snapshot();
        if snap.version >= token.0 {
            return Some(snap);
        }
        let deadline = Instant::now().checked_add(timeout);
        let mut published = lock(&self.published);
        while *published < token.0 {
            let left = match deadline {
                Some(d) => d.saturating_duration_since(Instant::now()),
                None => Duration::MAX,
            };
            if left.is_zero() {
                return None;
            }
            published = match self.advanced.wait_timeout(published, left) {
                Ok((guard, _)) => guard,
                Err(poisoned) => poisoned.into_inner().0,
            };
        }
        drop(published);
        Some(self.snapshot())
    }

    /// Applies a change set atomically and publishes the new snapshot; returns the token of
    /// the new version. A change set whose id was already applied is a no-op that returns the
    /// current token. On an error nothing changes: not the model, not the version, not the
    /// log. A durable engine writes the commit to its log (and syncs it, by default) before
    /// publishing it, so a confirmed commit survives a crash.
    ///
    /// Cost: the change set's operations; for more than one operation without exact
    /// inverses, a copy of each family store they write to (one operation, or operations
    /// that each have an inverse, apply in place); then, for assignments, a user's role
    /// grants, a call's shares, grants, folders and privacy, and an advisor's entitlements,
    /// a patch of the keys they name (the table chunks they write are copied, the rest
    /// shared); for any other edit, a compile of the families it writes to and of those
    /// compiled over them (everything for an org edit).
    pub fn apply(&self, changes: &ChangeSet) -> Result<Token, EngineError> {
        let (version, checkpoint_due) = {
            let mut w = lock(&self.writer);
            if w.log_failed {
                return Err(EngineError::new(EngineErrorKind::LogFailed));
            }
            if let Some(id) = &changes.id {
                if w.applied.contains(id) {
                    return Ok(Token(w.version));
                }
            }
            let w = &mut *w;
            match changes.ops.as_slice() {
                // One operation that is one model edit, which validates before it changes
                // anything: it applies in place, without a draft, so no store is copied.
                [op] if op.is_one_edit() => changes.apply_single_in_place(op, &mut w.model)?,
                // Operations that each have an exact inverse apply in place too, undone in
                // reverse order when one fails.
                _ if changes
                    .apply_reversibly(&mut w.model)
                    .transpose()?
                    .is_some() => {}
                _ => {
                    let mut draft = w.model.clone();
                    changes.apply_to(&mut draft)?;
                    w.model = draft;
                }
            }
            let version = w.version + 1;
            if let Some(log) = w.log.as_mut() {
                if let Err(e) = log.append(version, changes.to_json().as_bytes()) {
                    // The model holds a change the log does not: refuse every further
                    // commit until the engine is reopened from the log (readers keep the
                    // last published snapshot, which the log does hold).
                    w.log_failed = true;
                    return Err(e);
                }
            }
            // Only the families the change set wrote to, and those compiled over them, are
            // compiled again; every other part is shared with the current snapshot.
            let snapshot = w
                .model
                .compile_after(&self.current.load().snapshot, &changes.touched(&w.model));
            let checkpoint_due = w.log.as_ref().is_some_and(|log| {
                log.options()
                    .checkpoint_interval()
                    .is_some_and(|n| version - log.checkpointed >= n)
            });
            w.version = version;
            if let Some(id) = &changes.id {
                w.applied.insert(id.clone());
            }
            self.current
                .store(Arc::new(LiveSnapshot::new(version, snapshot)));
            *lock(&self.published) = version;
            self.advanced.notify_all();
            (version, checkpoint_due)
        };
        if checkpoint_due {
            // The commit is durable already; a failed checkpoint is retried at the next
            // commit and only costs a longer recovery.
            let _ = self.checkpoint();
        }
        Ok(Token(version))
    }

    /// What applying `changes` would change, without applying it: the change set is applied
    /// to a draft of the model, the families it writes to are compiled again over the
    /// current snapshot (the others shared, as a commit would), and the result compared with
    /// the current snapshot ([`Impact::between`]). Nothing is published, logged or counted:
    /// the version, the model and the applied change-set ids stay as they were. A change
    /// set that would fail to apply fails here with the same error.
    ///
    /// Applying the same change set next (with no commit in between) publishes a snapshot
    /// that answers exactly as [`Impact::after`] does.
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{ChangeSet, Domain, Engine, Level, Model, ProfileSpec};
    /// let mut model = Model::new();
    /// model.add_user("boss", None)?;
    /// model.add_user("rep", Some("boss"))?;
    /// model.create_profile(ProfileSpec::new("mgr", "Managers").with_level(Domain::Calls, Level::ReportToThem))?;
    /// let engine = Engine::new(model);
    /// let changes = ChangeSet::from_json(
    ///     r#"{"version": 1, "ops": [{"op": "assignProfile", "userId": "boss", "profileId": "mgr"}]}"#,
    /// )?;
    /// let impact = engine.preview(&changes)?;
    /// let calls = impact.reach().find(|c| c.domain == Domain::Calls).unwrap();
    /// assert_eq!(calls.viewer, "boss");
    /// assert_eq!(calls.gained.external_ids().collect::<Vec<_>>(), ["boss", "rep"]);
    /// assert_eq!(engine.version(), 0); // nothing applied
    /// # Ok::<(), orgperm::EngineError>(())
    /// ```
    pub fn preview(&self, changes: &ChangeSet) -> Result<Impact, EngineError> {
        let (mut draft, current) = {
            let w = lock(&self.writer);
            let current = self.current.load_full();
            if changes.id.as_ref().is_some_and(|id| w.applied.contains(id)) {
                // Applying it would be a no-op.
                return Ok(Impact::between(&current.snapshot, &current.snapshot));
            }
            (w.model.clone(), current)
        };
        // The draft shares every store with the engine's model until it writes to one, so
        // the writer lock is held only for the copy of a few pointers.
        changes.apply_to(&mut draft)?;
        let after = draft.compile_after(&current.snapshot, &changes.touched(&draft));
        Ok(Impact::between(&current.snapshot, &after))
    }

    /// A copy of the model at the current version (the copy shares every family store with
    /// the engine's; while it is alive, the next commit copies each store it writes to).
    pub fn model(&self) -> Model {
        lock(&self.writer).model.clone()
    }
}
