//! What can go wrong in the live engine: a change set the model refuses, or the durable log.

use core::fmt;

use crate::error::{Error, ErrorClass, InputErrorKind, lift_error};
use crate::model_error::ErrorKind;

/// What is wrong when an [`Engine`](crate::Engine) applies, recovers or checkpoints.
///
/// A refused change set is [`Model`](EngineErrorKind::Model), with the path of the
/// operation's field (`ops[3].profileId`); a failure of the durable log names the file in
/// the path.
///
/// # Examples
///
/// ```
/// use orgperm::{Engine, EngineErrorKind};
/// let dir = std::env::temp_dir().join(format!("orgperm-doc-missing-{}", std::process::id()));
/// let err = Engine::open(&dir).unwrap_err();
/// assert_eq!(err.kind(), &EngineErrorKind::NoLog);
/// assert_eq!(err.kind().code(), "no_log");
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum EngineErrorKind {
    /// The change set (or a record being recovered) was refused by the model.
    Model(ErrorKind),
    /// Reading or writing a file of the log failed.
    Io {
        /// What was being done (`"append"`, `"read"`, `"rename"`, …).
        op: &'static str,
        /// The operating system's error kind.
        kind: std::io::ErrorKind,
        /// The operating system's message.
        message: String,
    },
    /// A log file holds bytes that are not a complete, checked record, and well-formed
    /// records follow them (so dropping them would lose commits), or a checkpoint fails its
    /// checksum, or the records skip a version.
    Corrupt {
        /// The byte offset in the file.
        offset: u64,
        /// What is wrong.
        reason: String,
    },
    /// The directory holds no checkpoint: there is no log to open.
    NoLog,
    /// The directory already holds a log: creating one would overwrite it.
    LogExists,
    /// The engine keeps no log (it was made with [`Engine::new`](crate::Engine::new)).
    NotDurable,
    /// An earlier commit could not be written to the log, so the engine refuses commits
    /// until it is reopened from the log (which holds every commit readers saw).
    LogFailed,
}

/// An engine error: an [`EngineErrorKind`] and where it is (an operation's field, or a
/// file of the log).
pub type EngineError = Error<EngineErrorKind>;

impl EngineErrorKind {
    /// The kind's stable, machine-readable code (a model error keeps its own code).
    pub fn code(&self) -> &'static str {
        match self {
            EngineErrorKind::Model(kind) => kind.code(),
            EngineErrorKind::Io { .. } => "log_io",
            EngineErrorKind::Corrupt { .. } => "log_corrupt",
            EngineErrorKind::NoLog => "no_log",
            EngineErrorKind::LogExists => "log_exists",
            EngineErrorKind::NotDurable => "not_durable",
            EngineErrorKind::LogFailed => "log_failed",
        }
    }

    /// How a host answers the kind: a model error keeps its class; the log's own errors
    /// are [`ErrorClass::Storage`].
    pub fn class(&self) -> ErrorClass {
        match self {
            EngineErrorKind::Model(kind) => kind.class(),
            EngineErrorKind::NotDurable => ErrorClass::Invalid,
            EngineErrorKind::Io { .. }
            | EngineErrorKind::Corrupt { .. }
            | EngineErrorKind::NoLog
            | EngineErrorKind::LogExists
            | EngineErrorKind::LogFailed => ErrorClass::Storage,
        }
    }

    /// The model error's kind, if this is one.
    pub fn as_model(&self) -> Option<&ErrorKind> {
        match self {
            EngineErrorKind::Model(kind) => Some(kind),
            _ => None,
        }
    }
}

impl fmt::Display for EngineErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EngineErrorKind::Model(kind) => kind.fmt(f),
            EngineErrorKind::Io { op, message, .. } => write!(f, "{op} failed: {message}"),
            EngineErrorKind::Corrupt { offset, reason } => {
                write!(f, "corrupt log at byte {offset}: {reason}")
            }
            EngineErrorKind::NoLog => f.write_str("no checkpoint: the directory holds no log"),
            EngineErrorKind::LogExists => f.write_str("the directory already holds a log"),
            EngineErrorKind::NotDurable => f.write_str("the engine keeps no log"),
            EngineErrorKind::LogFailed => {
                f.write_str("an earlier commit could not be written to the log: reopen the engine")
            }
        }
    }
}

impl From<ErrorKind> for EngineErrorKind {
    fn from(kind: ErrorKind) -> Self {
        EngineErrorKind::Model(kind)
    }
}

impl From<InputErrorKind> for EngineErrorKind {
    fn from(kind: InputErrorKind) -> Self {
        EngineErrorKind::Model(ErrorKind::from(kind))
    }
}

lift_error!(ErrorKind => EngineErrorKind);

/// An I/O error at `path` while doing `op`.
pub(crate) fn io_error(path: &std::path::Path, op: &'static str, e: std::io::Error) -> EngineError {
    EngineError::at(
        path.display().to_string(),
        EngineErrorKind::Io {
            op,
            kind: e.kind(),
            message: crate::error::bounded(&e.to_string()).to_string(),
        },
    )
}

/// Corrupt bytes at `offset` of the file at `path`.
pub(crate) fn corrupt(path: &std::path::Path, offset: u64, reason: String) -> EngineError {
    EngineError::at(
        path.display().to_string(),
        EngineErrorKind::Corrupt { offset, reason },
    )
}
