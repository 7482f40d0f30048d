//! Why a call check ([`Calls::explain`](crate::Calls::explain)) came out as it did.

use core::fmt;

use crate::profile::Level;

/// Why a call check ([`Calls::explain`](crate::Calls::explain)) came out as it did; the `reason` of its [`Decision`](crate::Decision).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum CallReason {
    /// Deny: the user is unknown or removed.
    UnknownUser {
        /// The id as given.
        user: String,
    },
    /// Deny: the user holds no profile in the workspace.
    NoProfile {
        /// The user.
        user: String,
        /// The workspace.
        workspace: String,
    },
    /// Deny: the call is unknown or removed.
    UnknownCall {
        /// The id as given.
        call: String,
    },
    /// Deny: the call is private and the viewer is not its owner, an internal participant
    /// or a user it was shared with, whatever their level.
    PrivateCall {
        /// The call.
        call: String,
    },
    /// Allow: the viewer owns the call.
    CallOwner {
        /// The call.
        call: String,
    },
    /// Allow: the viewer is an internal participant of the call.
    CallParticipant {
        /// The call.
        call: String,
    },
    /// Allow: the call was shared with the viewer.
    CallShared {
        /// The call.
        call: String,
    },
    /// Allow: the viewer's `callsAccess` scope reaches a participant of the call (the owner
    /// counts as one).
    CallInScope {
        /// The call.
        call: String,
        /// The viewer's profile.
        profile: String,
        /// Its `callsAccess` level.
        level: Level,
        /// The participant reached (the owner when the scope reaches them).
        participant: String,
    },
    /// Allow: the viewer may access a library folder holding the call.
    CallInFolder {
        /// The call.
        call: String,
        /// The viewer's profile.
        profile: String,
        /// The folder.
        folder: String,
    },
    /// Allow: the viewer holds an individual grant on the call.
    CallGrant {
        /// The call.
        call: String,
    },
    /// Deny: the call is not private, but no participant is in the viewer's scope and no
    /// share, folder or grant gives it to them.
    CallOutOfReach {
        /// The call.
        call: String,
        /// The viewer's profile.
        profile: String,
        /// Its `callsAccess` level.
        level: Level,
    },
}

impl fmt::Display for CallReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CallReason::UnknownUser { user } => write!(f, "unknown or removed user {user}"),
            CallReason::NoProfile { user, workspace } => {
                write!(f, "user {user:?} has no profile in workspace {workspace:?}")
            }
            CallReason::UnknownCall { call } => write!(f, "unknown or removed call {call}"),
            CallReason::PrivateCall { call } => write!(
                f,
                "call {call:?} is private and the viewer is not its owner, a participant or a sharee"
            ),
            CallReason::CallOwner { call } => write!(f, "the viewer owns call {call:?}"),
            CallReason::CallParticipant { call } => {
                write!(f, "the viewer is a participant of call {call:?}")
            }
            CallReason::CallShared { call } => write!(f, "call {call:?} is shared with the viewer"),
            CallReason::CallInScope {
                call,
                profile,
                level,
                participant,
            } => write!(
                f,
                "participant {participant:?} of call {call:?} is in the reach of profile {profile:?} at level {level}"
            ),
            CallReason::CallInFolder {
                call,
                profile,
                folder,
            } => write!(
                f,
                "call {call:?} is in folder {folder:?}, which profile {profile:?} may access"
            ),
            CallReason::CallGrant { call } => {
                write!(f, "the viewer holds an individual grant on call {call:?}")
            }
            CallReason::CallOutOfReach {
                call,
                profile,
                level,
            } => write!(
                f,
                "no participant of call {call:?} is in the reach of profile {profile:?} at level {level}, and no share, folder or grant applies"
            ),
        }
    }
}
