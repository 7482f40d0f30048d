//! What can be wrong with an edit or import of calls.

use core::fmt;

use crate::error::InputErrorKind;
use crate::error::{Error, ErrorClass, bounded};
use crate::org::error::OrgErrorKind;
use crate::profile::error::ProfileErrorKind;

/// What is wrong with an edit or import of calls.
///
/// Errors of the layers below (Input, Org, Profile) are wrapped as they are, so an unknown
/// user is the same kind wherever it is raised.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum CallErrorKind {
    /// An error of the input itself (ids, the document's format).
    Input(InputErrorKind),
    /// An error of the org layer (users, workspaces, folders).
    Org(OrgErrorKind),
    /// An error of the profiles family.
    Profile(ProfileErrorKind),
    /// No call has this id.
    UnknownCall {
        /// The id.
        id: String,
    },
}

/// An error of this family: a [`CallErrorKind`] and where it is.
pub type CallError = Error<CallErrorKind>;

impl CallErrorKind {
    /// The kind's stable, machine-readable code (see [`ErrorKind::code`](crate::ErrorKind::code)).
    pub fn code(&self) -> &'static str {
        match self {
            CallErrorKind::Input(kind) => kind.code(),
            CallErrorKind::Org(kind) => kind.code(),
            CallErrorKind::Profile(kind) => kind.code(),
            CallErrorKind::UnknownCall { .. } => "unknown_call",
        }
    }

    /// How a host answers the kind (see [`ErrorClass`]).
    pub fn class(&self) -> ErrorClass {
        match self {
            CallErrorKind::Input(kind) => kind.class(),
            CallErrorKind::Org(kind) => kind.class(),
            CallErrorKind::Profile(kind) => kind.class(),
            CallErrorKind::UnknownCall { .. } => ErrorClass::NotFound,
        }
    }

    /// Whether this is a "not found" error (HTTP 404): the kinds of class
    /// [`ErrorClass::NotFound`].
    pub fn is_not_found(&self) -> bool {
        self.class() == ErrorClass::NotFound
    }
}

impl fmt::Display for CallErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CallErrorKind::Input(kind) => kind.fmt(f),
            CallErrorKind::Org(kind) => kind.fmt(f),
            CallErrorKind::Profile(kind) => kind.fmt(f),
            CallErrorKind::UnknownCall { id } => write!(f, "unknown call {id:?}", id = bounded(id)),
        }
    }
}

impl From<InputErrorKind> for CallErrorKind {
    fn from(kind: InputErrorKind) -> Self {
        CallErrorKind::Input(kind)
    }
}

crate::error::lift_error!(InputErrorKind => CallErrorKind);

impl From<OrgErrorKind> for CallErrorKind {
    fn from(kind: OrgErrorKind) -> Self {
        match kind {
            OrgErrorKind::Input(inner) => CallErrorKind::Input(inner),
            kind => CallErrorKind::Org(kind),
        }
    }
}

crate::error::lift_error!(OrgErrorKind => CallErrorKind);

impl From<ProfileErrorKind> for CallErrorKind {
    fn from(kind: ProfileErrorKind) -> Self {
        match kind {
            ProfileErrorKind::Input(inner) => CallErrorKind::Input(inner),
            ProfileErrorKind::Org(inner) => CallErrorKind::Org(inner),
            kind => CallErrorKind::Profile(kind),
        }
    }
}

crate::error::lift_error!(ProfileErrorKind => CallErrorKind);
