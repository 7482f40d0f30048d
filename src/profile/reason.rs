//! Why a profile check ([`Snapshot::can_access`](crate::Snapshot::can_access), capabilities, library folders) came out as it did.

use core::fmt;

use crate::profile::{Domain, Level, LibraryLevel};

/// Why a profile check ([`Snapshot::can_access`](crate::Snapshot::can_access), capabilities, library folders) came out as it did; the `reason` of its [`Decision`](crate::Decision).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ProfileReason {
    /// Deny: the user is unknown or removed.
    UnknownUser {
        /// The id as given.
        user: String,
    },
    /// Deny: the workspace is unknown.
    UnknownWorkspace {
        /// The id as given.
        workspace: String,
    },
    /// Deny: the user holds no profile in the workspace.
    NoProfile {
        /// The user.
        user: String,
        /// The workspace.
        workspace: String,
    },
    /// Deny: the profile's level for the domain is `none`.
    LevelNone {
        /// The profile.
        profile: String,
        /// The domain.
        domain: Domain,
    },
    /// Allow: the profile's level for the domain is `all`.
    LevelAll {
        /// The profile.
        profile: String,
        /// The domain.
        domain: Domain,
    },
    /// Allow: the data is the viewer's own and the level is not `none`.
    OwnData {
        /// The profile.
        profile: String,
        /// The level.
        level: Level,
    },
    /// Allow: the owner is in the subtree of `root`, which the level reaches: the viewer
    /// (`report-to-them`, or `managers-team` for a viewer without manager), the viewer's manager
    /// (`managers-team`) or a listed team lead (`managers-team` with leads).
    InSubtree {
        /// The profile.
        profile: String,
        /// The level.
        level: Level,
        /// Whose subtree.
        root: String,
        /// Whether `root` is a listed team lead.
        lead: bool,
    },
    /// Deny: the owner is outside what the level reaches.
    OutsideScope {
        /// The profile.
        profile: String,
        /// The level.
        level: Level,
    },
    /// Deny: the capability name is unknown.
    UnknownCapability {
        /// The name as given.
        capability: String,
    },
    /// The profile sets the capability (allow) or does not (deny).
    Capability {
        /// The profile.
        profile: String,
        /// The capability's name.
        capability: String,
        /// Whether it is set.
        set: bool,
    },
    /// Deny: the folder is unknown.
    UnknownFolder {
        /// The id as given.
        folder: String,
    },
    /// Deny: the folder belongs to another workspace.
    FolderOutsideWorkspace {
        /// The folder.
        folder: String,
        /// The workspace asked about.
        workspace: String,
    },
    /// The profile's library level decided.
    Library {
        /// The profile.
        profile: String,
        /// The library level.
        level: LibraryLevel,
        /// For `specific-folders`, whether the folder is listed.
        listed: bool,
    },
}

impl fmt::Display for ProfileReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ProfileReason::UnknownUser { user } => write!(f, "unknown or removed user {user}"),
            ProfileReason::UnknownWorkspace { workspace } => {
                write!(f, "unknown workspace {workspace}")
            }
            ProfileReason::NoProfile { user, workspace } => {
                write!(f, "user {user:?} has no profile in workspace {workspace:?}")
            }
            ProfileReason::LevelNone { profile, domain } => {
                write!(
                    f,
                    "profile {profile:?} has level none for {}",
                    domain.path()
                )
            }
            ProfileReason::LevelAll { profile, domain } => {
                write!(f, "profile {profile:?} has level all for {}", domain.path())
            }
            ProfileReason::OwnData { profile, level } => {
                write!(f, "own data, profile {profile:?} at level {level}")
            }
            ProfileReason::InSubtree {
                profile,
                level,
                root,
                lead,
            } => {
                let whose = if *lead { "team lead" } else { "user" };
                write!(
                    f,
                    "owner is in the subtree of {whose} {root:?}, profile {profile:?} at level {level}"
                )
            }
            ProfileReason::OutsideScope { profile, level } => {
                write!(
                    f,
                    "owner is outside the reach of profile {profile:?} at level {level}"
                )
            }
            ProfileReason::UnknownCapability { capability } => {
                write!(f, "unknown capability {capability}")
            }
            ProfileReason::Capability {
                profile,
                capability,
                set,
            } => {
                let state = if *set { "sets" } else { "does not set" };
                write!(f, "profile {profile:?} {state} {capability:?}")
            }
            ProfileReason::UnknownFolder { folder } => write!(f, "unknown library folder {folder}"),
            ProfileReason::FolderOutsideWorkspace { folder, workspace } => {
                write!(f, "folder {folder:?} is not in workspace {workspace:?}")
            }
            ProfileReason::Library {
                profile,
                level,
                listed,
            } => match level {
                LibraryLevel::SpecificFolders if *listed => {
                    write!(f, "profile {profile:?} lists the folder")
                }
                LibraryLevel::SpecificFolders => {
                    write!(f, "profile {profile:?} does not list the folder")
                }
                other => write!(
                    f,
                    "profile {profile:?} has library level {}",
                    other.as_str()
                ),
            },
        }
    }
}
