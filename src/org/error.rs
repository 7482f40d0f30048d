//! What can be wrong with an edit or import of the org layer: users, managers, workspaces and library folders.

use core::fmt;

use crate::error::InputErrorKind;
use crate::error::{Error, ErrorClass, bounded, write_cycle};

/// What is wrong with an edit or import of the org layer: users, managers, workspaces and library folders.
///
/// Errors of the layers below (Input) are wrapped as they are, so an unknown
/// user is the same kind wherever it is raised.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum OrgErrorKind {
    /// An error of the input itself (ids, the document's format).
    Input(InputErrorKind),
    /// No active user has this id.
    UnknownUser {
        /// The id.
        id: String,
    },
    /// No workspace has this id.
    UnknownWorkspace {
        /// The id.
        id: String,
    },
    /// No library folder has this id.
    UnknownFolder {
        /// The id.
        id: String,
    },
    /// A user was named as their own manager.
    SelfManager {
        /// The user.
        id: String,
    },
    /// The manager links form a cycle; the users in it, in manager order.
    ManagerCycle {
        /// The users in the cycle, each followed by their manager; the last one's manager is
        /// the first.
        users: Vec<String>,
    },
    /// A user with active direct reports cannot be removed; move the reports first.
    HasReports {
        /// The user.
        id: String,
        /// How many active direct reports they have.
        reports: usize,
    },
    /// A library folder that a profile lists or a call is in cannot be removed.
    FolderInUse {
        /// The folder.
        id: String,
        /// One thing naming it, in the document's terms
        /// (`profile "p1" libraryFolderAccess.libraryFolderIds[0]`, `call "c1" folderIds[0]`).
        referrer: String,
    },
}

/// An error of this family: an [`OrgErrorKind`] and where it is.
pub type OrgError = Error<OrgErrorKind>;

impl OrgErrorKind {
    /// The kind's stable, machine-readable code (see [`ErrorKind::code`](crate::ErrorKind::code)).
    pub fn code(&self) -> &'static str {
        match self {
            OrgErrorKind::Input(kind) => kind.code(),
            OrgErrorKind::UnknownUser { .. } => "unknown_user",
            OrgErrorKind::UnknownWorkspace { .. } => "unknown_workspace",
            OrgErrorKind::UnknownFolder { .. } => "unknown_folder",
            OrgErrorKind::SelfManager { .. } => "self_manager",
            OrgErrorKind::ManagerCycle { .. } => "manager_cycle",
            OrgErrorKind::HasReports { .. } => "has_reports",
            OrgErrorKind::FolderInUse { .. } => "folder_in_use",
        }
    }

    /// How a host answers the kind (see [`ErrorClass`]).
    pub fn class(&self) -> ErrorClass {
        match self {
            OrgErrorKind::Input(kind) => kind.class(),
            OrgErrorKind::UnknownUser { .. } => ErrorClass::NotFound,
            OrgErrorKind::UnknownWorkspace { .. } => ErrorClass::NotFound,
            OrgErrorKind::UnknownFolder { .. } => ErrorClass::NotFound,
            OrgErrorKind::SelfManager { .. } => ErrorClass::Invalid,
            OrgErrorKind::ManagerCycle { .. } => ErrorClass::Invalid,
            OrgErrorKind::HasReports { .. } => ErrorClass::Conflict,
            OrgErrorKind::FolderInUse { .. } => ErrorClass::Conflict,
        }
    }

    /// Whether this is a "not found" error (HTTP 404): the kinds of class
    /// [`ErrorClass::NotFound`].
    pub fn is_not_found(&self) -> bool {
        self.class() == ErrorClass::NotFound
    }
}

impl fmt::Display for OrgErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OrgErrorKind::Input(kind) => kind.fmt(f),
            OrgErrorKind::UnknownUser { id } => write!(f, "unknown user {id:?}", id = bounded(id)),
            OrgErrorKind::UnknownWorkspace { id } => {
                write!(f, "unknown workspace {id:?}", id = bounded(id))
            }
            OrgErrorKind::UnknownFolder { id } => {
                write!(f, "unknown library folder {id:?}", id = bounded(id))
            }
            OrgErrorKind::SelfManager { id } => write!(
                f,
                "user {id:?} cannot be their own manager",
                id = bounded(id)
            ),
            OrgErrorKind::ManagerCycle { users } => {
                write!(f, "manager cycle: ")?;
                write_cycle(f, users, "users")
            }
            OrgErrorKind::HasReports { id, reports } => {
                write!(
                    f,
                    "user {id:?} still has {reports} direct report(s)",
                    id = bounded(id)
                )
            }
            OrgErrorKind::FolderInUse { id, referrer } => write!(
                f,
                "folder {id:?} is still named by {referrer}",
                id = bounded(id)
            ),
        }
    }
}

impl From<InputErrorKind> for OrgErrorKind {
    fn from(kind: InputErrorKind) -> Self {
        OrgErrorKind::Input(kind)
    }
}

crate::error::lift_error!(InputErrorKind => OrgErrorKind);
