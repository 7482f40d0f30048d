//! What can be wrong with the input itself, whatever the family: ids, the document's format
//! and fields.

use core::fmt;

use crate::error::{ErrorClass, bounded};

/// What is wrong with the input itself, whatever the family: ids, the document's format and
/// fields.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum InputErrorKind {
    /// An id is the empty string.
    EmptyId,
    /// An id is already taken.
    DuplicateId {
        /// The id.
        id: String,
    },
    /// The model document has a version this build does not read.
    UnsupportedVersion {
        /// The version found.
        found: u32,
    },
    /// The document is not well-formed JSON, or a value does not fit its field.
    Syntax {
        /// The parser's message.
        message: String,
    },
    /// A field the document format does not have (often a misspelling). The path ends with
    /// the field's name.
    UnknownField {
        /// The fields that may stand here.
        expected: &'static [&'static str],
    },
    /// A field holds a value of the wrong JSON type.
    WrongType {
        /// What the field takes, as in `a string`.
        expected: String,
        /// What it holds, as written in the document (strings cut to 64 characters).
        found: String,
    },
    /// A field appears twice in one object.
    DuplicateField,
    /// More than `u32::MAX - 1` ids, or more than 4 GiB of id text.
    TooManyIds,
    /// A required field is absent or empty (a role, division or group name, a subject).
    Required,
    /// A page size or page number of zero.
    InvalidPaging {
        /// What is wrong.
        reason: &'static str,
    },
    /// Fields that contradict each other.
    Conflict {
        /// What is wrong.
        reason: &'static str,
    },
    /// A value that differs from the one the model already holds, which is kept (a vendor
    /// reader's warning: a division or permission renamed in another page, say).
    ValueKept {
        /// The value the model keeps (cut to 64 characters when displayed).
        kept: String,
    },
}

impl InputErrorKind {
    /// The kind's stable, machine-readable code (see [`ErrorKind::code`](crate::ErrorKind::code)).
    pub fn code(&self) -> &'static str {
        match self {
            InputErrorKind::EmptyId => "empty_id",
            InputErrorKind::DuplicateId { .. } => "duplicate_id",
            InputErrorKind::UnsupportedVersion { .. } => "unsupported_version",
            InputErrorKind::Syntax { .. } => "malformed_document",
            InputErrorKind::UnknownField { .. } => "unknown_field",
            InputErrorKind::WrongType { .. } => "wrong_type",
            InputErrorKind::DuplicateField => "duplicate_field",
            InputErrorKind::TooManyIds => "too_many_ids",
            InputErrorKind::Required => "required_field",
            InputErrorKind::InvalidPaging { .. } => "invalid_paging",
            InputErrorKind::Conflict { .. } => "conflict",
            InputErrorKind::ValueKept { .. } => "value_kept",
        }
    }

    /// How a host answers the kind (see [`ErrorClass`]).
    pub fn class(&self) -> ErrorClass {
        match self {
            InputErrorKind::EmptyId => ErrorClass::Invalid,
            InputErrorKind::DuplicateId { .. } => ErrorClass::Conflict,
            InputErrorKind::UnsupportedVersion { .. } => ErrorClass::Invalid,
            InputErrorKind::Syntax { .. } => ErrorClass::Invalid,
            InputErrorKind::UnknownField { .. } => ErrorClass::Invalid,
            InputErrorKind::WrongType { .. } => ErrorClass::Invalid,
            InputErrorKind::DuplicateField => ErrorClass::Invalid,
            InputErrorKind::TooManyIds => ErrorClass::Invalid,
            InputErrorKind::Required => ErrorClass::Invalid,
            InputErrorKind::InvalidPaging { .. } => ErrorClass::Invalid,
            InputErrorKind::Conflict { .. } => ErrorClass::Conflict,
            InputErrorKind::ValueKept { .. } => ErrorClass::Conflict,
        }
    }

    /// Whether this is a "not found" error (HTTP 404): the kinds of class
    /// [`ErrorClass::NotFound`].
    pub fn is_not_found(&self) -> bool {
        self.class() == ErrorClass::NotFound
    }
}

impl fmt::Display for InputErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InputErrorKind::EmptyId => write!(f, "id must not be empty"),
            InputErrorKind::DuplicateId { id } => {
                write!(f, "duplicate id {id:?}", id = bounded(id))
            }
            InputErrorKind::UnsupportedVersion { found } => {
                write!(
                    f,
                    "unsupported model version {found} (this build reads version 1)"
                )
            }
            InputErrorKind::Syntax { message } => write!(f, "malformed document: {message}"),
            InputErrorKind::UnknownField { expected } => match expected.split_last() {
                None => write!(f, "unknown field, this object has no fields"),
                Some((last, [])) => write!(f, "unknown field, expected {last}"),
                Some((last, rest)) => {
                    write!(f, "unknown field, expected {} or {last}", rest.join(", "))
                }
            },
            InputErrorKind::WrongType { expected, found } => {
                write!(f, "expected {expected}, found {found}")
            }
            InputErrorKind::DuplicateField => write!(f, "the field appears twice"),
            InputErrorKind::TooManyIds => write!(f, "too many ids for a u32 index"),
            InputErrorKind::Required => write!(f, "a value is required"),
            InputErrorKind::InvalidPaging { reason } => write!(f, "invalid paging: {reason}"),
            InputErrorKind::Conflict { reason } => write!(f, "{reason}"),
            InputErrorKind::ValueKept { kept } => {
                write!(f, "differs from the model, which keeps {:?}", bounded(kept))
            }
        }
    }
}

/// An error of the shared layer (ids): an [`InputErrorKind`] and where it is.
pub type InputError = crate::error::Error<InputErrorKind>;
