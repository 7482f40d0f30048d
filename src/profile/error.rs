//! What can be wrong with an edit or import of permission profiles and their assignments.

use core::fmt;

use crate::error::InputErrorKind;
use crate::error::{Error, ErrorClass, bounded};
use crate::org::error::OrgErrorKind;

/// What is wrong with an edit or import of permission profiles and their assignments.
///
/// Errors of the layers below (Input, Org) are wrapped as they are, so an unknown
/// user is the same kind wherever it is raised.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ProfileErrorKind {
    /// An error of the input itself (ids, the document's format).
    Input(InputErrorKind),
    /// An error of the org layer (users, workspaces, folders).
    Org(OrgErrorKind),
    /// No profile has this id.
    UnknownProfile {
        /// The id.
        id: String,
    },
    /// A user named as a team lead in a profile cannot be removed: dropping the lead would
    /// silently widen the profile (`managers-team` without leads reaches further).
    UserIsTeamLead {
        /// The user.
        id: String,
        /// The profile naming them.
        profile: String,
        /// The field, as in `callsAccess.teamLeadIds`.
        field: String,
    },
    /// A scope level other than the five of the contract.
    InvalidLevel {
        /// The rejected value.
        value: String,
    },
    /// An access object without `permissionLevel`.
    MissingLevel,
    /// A library level other than `none`, `all` and `specific-folders`.
    InvalidLibraryLevel {
        /// The rejected value.
        value: String,
    },
    /// `libraryFolderAccess.permissionLevel` is absent.
    MissingLibraryLevel,
    /// Folder ids or a manage flag are set although the library level is `none`.
    LibraryNoneWithGrants,
    /// `specific-folders` without any folder id.
    SpecificFoldersEmpty,
    /// A folder of another workspace was named in a profile.
    FolderOutsideWorkspace {
        /// The folder.
        folder: String,
        /// The profile's workspace.
        workspace: String,
    },
    /// The profile name is empty or absent.
    MissingName,
    /// A profile that is still assigned to users cannot be deleted or moved to another workspace.
    ProfileAssigned {
        /// The profile.
        id: String,
        /// How many users hold it.
        users: usize,
    },
    /// A user is assigned two profiles in one workspace.
    DuplicateAssignment {
        /// The user.
        user: String,
        /// The workspace.
        workspace: String,
    },
    /// A capability with an empty name.
    EmptyCapability,
}

/// An error of this family: a [`ProfileErrorKind`] and where it is.
pub type ProfileError = Error<ProfileErrorKind>;

impl ProfileErrorKind {
    /// The kind's stable, machine-readable code (see [`ErrorKind::code`](crate::ErrorKind::code)).
    pub fn code(&self) -> &'static str {
        match self {
            ProfileErrorKind::Input(kind) => kind.code(),
            ProfileErrorKind::Org(kind) => kind.code(),
            ProfileErrorKind::UnknownProfile { .. } => "unknown_profile",
            ProfileErrorKind::UserIsTeamLead { .. } => "user_is_team_lead",
            ProfileErrorKind::InvalidLevel { .. } => "invalid_level",
            ProfileErrorKind::MissingLevel => "missing_level",
            ProfileErrorKind::InvalidLibraryLevel { .. } => "invalid_library_level",
            ProfileErrorKind::MissingLibraryLevel => "missing_library_level",
            ProfileErrorKind::LibraryNoneWithGrants => "library_none_with_grants",
            ProfileErrorKind::SpecificFoldersEmpty => "specific_folders_empty",
            ProfileErrorKind::FolderOutsideWorkspace { .. } => "folder_outside_workspace",
            ProfileErrorKind::MissingName => "missing_name",
            ProfileErrorKind::ProfileAssigned { .. } => "profile_assigned",
            ProfileErrorKind::DuplicateAssignment { .. } => "duplicate_assignment",
            ProfileErrorKind::EmptyCapability => "empty_capability",
        }
    }

    /// How a host answers the kind (see [`ErrorClass`]).
    pub fn class(&self) -> ErrorClass {
        match self {
            ProfileErrorKind::Input(kind) => kind.class(),
            ProfileErrorKind::Org(kind) => kind.class(),
            ProfileErrorKind::UnknownProfile { .. } => ErrorClass::NotFound,
            ProfileErrorKind::UserIsTeamLead { .. } => ErrorClass::Conflict,
            ProfileErrorKind::InvalidLevel { .. } => ErrorClass::Invalid,
            ProfileErrorKind::MissingLevel => ErrorClass::Invalid,
            ProfileErrorKind::InvalidLibraryLevel { .. } => ErrorClass::Invalid,
            ProfileErrorKind::MissingLibraryLevel => ErrorClass::Invalid,
            ProfileErrorKind::LibraryNoneWithGrants => ErrorClass::Invalid,
            ProfileErrorKind::SpecificFoldersEmpty => ErrorClass::Invalid,
            ProfileErrorKind::FolderOutsideWorkspace { .. } => ErrorClass::Invalid,
            ProfileErrorKind::MissingName => ErrorClass::Invalid,
            ProfileErrorKind::ProfileAssigned { .. } => ErrorClass::Conflict,
            ProfileErrorKind::DuplicateAssignment { .. } => ErrorClass::Conflict,
            ProfileErrorKind::EmptyCapability => ErrorClass::Invalid,
        }
    }

    /// Whether this is a "not found" error (HTTP 404): the kinds of class
    /// [`ErrorClass::NotFound`].
    pub fn is_not_found(&self) -> bool {
        self.class() == ErrorClass::NotFound
    }
}

impl fmt::Display for ProfileErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ProfileErrorKind::Input(kind) => kind.fmt(f),
            ProfileErrorKind::Org(kind) => kind.fmt(f),
            ProfileErrorKind::UnknownProfile { id } => {
                write!(f, "unknown profile {id:?}", id = bounded(id))
            }
            ProfileErrorKind::UserIsTeamLead { id, profile, field } => write!(
                f,
                "user {id:?} is a team lead in profile {profile:?} ({field}); update the profile first",
                id = bounded(id),
                profile = bounded(profile)
            ),
            ProfileErrorKind::InvalidLevel { value } => write!(
                f,
                "invalid permission level {value:?} (expected all, managers-team, report-to-them, own or none)",
                value = bounded(value)
            ),
            ProfileErrorKind::MissingLevel => write!(f, "permissionLevel is required"),
            ProfileErrorKind::InvalidLibraryLevel { value } => write!(
                f,
                "invalid library permission level {value:?} (expected none, all or specific-folders)",
                value = bounded(value)
            ),
            ProfileErrorKind::MissingLibraryLevel => write!(f, "permissionLevel is mandatory"),
            ProfileErrorKind::LibraryNoneWithGrants => write!(
                f,
                "folder ids or manage flags are set, so permissionLevel must not be \"none\""
            ),
            ProfileErrorKind::SpecificFoldersEmpty => {
                write!(f, "specific-folders needs at least one folder id")
            }
            ProfileErrorKind::FolderOutsideWorkspace { folder, workspace } => write!(
                f,
                "library folder {folder:?} does not belong to workspace {workspace:?}",
                folder = bounded(folder),
                workspace = bounded(workspace)
            ),
            ProfileErrorKind::MissingName => write!(f, "a profile name is required"),
            ProfileErrorKind::ProfileAssigned { id, users } => {
                write!(
                    f,
                    "profile {id:?} is still assigned to {users} user(s)",
                    id = bounded(id)
                )
            }
            ProfileErrorKind::DuplicateAssignment { user, workspace } => write!(
                f,
                "user {user:?} already holds a profile in workspace {workspace:?}",
                user = bounded(user),
                workspace = bounded(workspace)
            ),
            ProfileErrorKind::EmptyCapability => write!(f, "a capability name must not be empty"),
        }
    }
}

impl From<InputErrorKind> for ProfileErrorKind {
    fn from(kind: InputErrorKind) -> Self {
        ProfileErrorKind::Input(kind)
    }
}

crate::error::lift_error!(InputErrorKind => ProfileErrorKind);

impl From<OrgErrorKind> for ProfileErrorKind {
    fn from(kind: OrgErrorKind) -> Self {
        match kind {
            OrgErrorKind::Input(inner) => ProfileErrorKind::Input(inner),
            kind => ProfileErrorKind::Org(kind),
        }
    }
}

crate::error::lift_error!(OrgErrorKind => ProfileErrorKind);
