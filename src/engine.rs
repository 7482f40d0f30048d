//! The live engine: one model, the current snapshot behind a lock-free pointer, versions and
//! consistency tokens.
//!
//! Readers load the current snapshot with one atomic load and never wait for a writer;
//! writers are serialized. Each commit compiles the new model, publishes the snapshot with the
//! next version and returns a [`Token`]; [`Engine::snapshot_at_least`] waits (with a timeout)
//! for a snapshot at least that new, so a handler that just revoked access never reads the
//! state from before (the "new enemy" problem; SpiceDB's ZedTokens answer it the same way).

use std::collections::HashSet;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use arc_swap::ArcSwap;

use crate::change::ChangeSet;
use crate::model::Model;
use crate::model_error::ModelError;
use crate::snapshot::Snapshot;

/// A compiled snapshot and the version of the model it was compiled from.
///
/// It dereferences to the [`Snapshot`], so every query reads as on a snapshot.
#[derive(Debug)]
pub struct LiveSnapshot {
    version: u64,
    snapshot: Snapshot,
}

impl LiveSnapshot {
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

/// What the writer owns: the model, its version and the ids of the change sets applied.
#[derive(Debug)]
struct Writer {
    model: Model,
    version: u64,
    applied: HashSet<String>,
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
/// # Ok::<(), orgperm::ModelError>(())
/// ```
#[derive(Debug)]
pub struct Engine {
    current: ArcSwap<LiveSnapshot>,
    writer: Mutex<Writer>,
    /// The latest published version, for readers waiting on a token.
    published: Mutex<u64>,
    advanced: Condvar,
}

/// A lock that a panicking holder left behind is still consistent here: the writer replaces
/// its state only after a commit succeeded, so the poison flag carries no information.
fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl Engine {
    /// An engine over `model`, compiled once; its version is 0.
    pub fn new(model: Model) -> Engine {
        let snapshot = model.compile();
        Engine {
            current: ArcSwap::from_pointee(LiveSnapshot {
                version: 0,
                snapshot,
            }),
            writer: Mutex::new(Writer {
                model,
                version: 0,
                applied: HashSet::new(),
            }),
            published: Mutex::new(0),
            advanced: Condvar::new(),
        }
    }

    /// The current snapshot: one atomic load, never waiting for a writer.
    pub fn snapshot(&self) -> Arc<LiveSnapshot> {
        self.current.load_full()
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
    /// current token. On an error nothing changes: not the model, not the version.
    ///
    /// Cost: the change set's operations, a copy of each family store they write to, and a
    /// compile of the families they write to and of those compiled over them (everything for
    /// an org edit; profiles and calls for a profile edit; teams or roles and items; calls
    /// alone; networks alone). Within a family the compile is still whole, not per chunk.
    pub fn apply(&self, changes: &ChangeSet) -> Result<Token, ModelError> {
        let mut w = lock(&self.writer);
        if let Some(id) = &changes.id {
            if w.applied.contains(id) {
                return Ok(Token(w.version));
            }
        }
        let mut model = w.model.clone();
        changes.apply_to(&mut model)?;
        // Only the families the change set wrote to, and those compiled over them, are
        // compiled again; every other part is shared with the current snapshot.
        let snapshot = model.compile_after(&self.current.load().snapshot, changes.families());
        let version = w.version + 1;
        w.model = model;
        w.version = version;
        if let Some(id) = &changes.id {
            w.applied.insert(id.clone());
        }
        self.current
            .store(Arc::new(LiveSnapshot { version, snapshot }));
        *lock(&self.published) = version;
        self.advanced.notify_all();
        Ok(Token(version))
    }

    /// A copy of the model at the current version (the copy shares every family store with
    /// the engine's until one of them is edited).
    pub fn model(&self) -> Model {
        lock(&self.writer).model.clone()
    }
}
