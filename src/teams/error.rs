//! What can be wrong with an edit or import of teams and their members.

use core::fmt;

use crate::error::InputErrorKind;
use crate::error::{Error, ErrorClass, bounded, write_cycle};
use crate::org::error::OrgErrorKind;

/// What is wrong with an edit or import of teams and their members.
///
/// Errors of the layers below (Input, Org) are wrapped as they are, so an unknown
/// user is the same kind wherever it is raised.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum TeamErrorKind {
    /// An error of the input itself (ids, the document's format).
    Input(InputErrorKind),
    /// An error of the org layer (users, workspaces, folders).
    Org(OrgErrorKind),
    /// No team has this id.
    UnknownTeam {
        /// The id.
        id: String,
    },
    /// The parent links of the teams form a cycle; the teams in it, in parent order.
    TeamCycle {
        /// The teams in the cycle, each followed by its parent; the last one's parent is the
        /// first.
        teams: Vec<String>,
    },
    /// A team with sub-teams cannot be removed; move or remove the sub-teams first.
    HasSubTeams {
        /// The team.
        id: String,
        /// How many sub-teams it has.
        teams: usize,
    },
    /// A team that an access list names cannot be removed.
    TeamInUse {
        /// The team.
        id: String,
        /// One entry naming it, in the document's terms (`item "g1" access.permissions[0]`,
        /// `defaultAccess "goal" permissions[1]`).
        referrer: String,
    },
}

/// An error of this family: a [`TeamErrorKind`] and where it is.
pub type TeamError = Error<TeamErrorKind>;

impl TeamErrorKind {
    /// The kind's stable, machine-readable code (see [`ErrorKind::code`](crate::ErrorKind::code)).
    pub fn code(&self) -> &'static str {
        match self {
            TeamErrorKind::Input(kind) => kind.code(),
            TeamErrorKind::Org(kind) => kind.code(),
            TeamErrorKind::UnknownTeam { .. } => "unknown_team",
            TeamErrorKind::TeamCycle { .. } => "team_cycle",
            TeamErrorKind::HasSubTeams { .. } => "has_sub_teams",
            TeamErrorKind::TeamInUse { .. } => "team_in_use",
        }
    }

    /// How a host answers the kind (see [`ErrorClass`]).
    pub fn class(&self) -> ErrorClass {
        match self {
            TeamErrorKind::Input(kind) => kind.class(),
            TeamErrorKind::Org(kind) => kind.class(),
            TeamErrorKind::UnknownTeam { .. } => ErrorClass::NotFound,
            TeamErrorKind::TeamCycle { .. } => ErrorClass::Invalid,
            TeamErrorKind::HasSubTeams { .. } => ErrorClass::Conflict,
            TeamErrorKind::TeamInUse { .. } => ErrorClass::Conflict,
        }
    }

    /// Whether this is a "not found" error (HTTP 404): the kinds of class
    /// [`ErrorClass::NotFound`].
    pub fn is_not_found(&self) -> bool {
        self.class() == ErrorClass::NotFound
    }
}

impl fmt::Display for TeamErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TeamErrorKind::Input(kind) => kind.fmt(f),
            TeamErrorKind::Org(kind) => kind.fmt(f),
            TeamErrorKind::UnknownTeam { id } => write!(f, "unknown team {id:?}", id = bounded(id)),
            TeamErrorKind::TeamCycle { teams } => {
                write!(f, "team cycle: ")?;
                write_cycle(f, teams, "teams")
            }
            TeamErrorKind::HasSubTeams { id, teams } => {
                write!(
                    f,
                    "team {id:?} still has {teams} sub-team(s)",
                    id = bounded(id)
                )
            }
            TeamErrorKind::TeamInUse { id, referrer } => write!(
                f,
                "team {id:?} is still named by {referrer}",
                id = bounded(id)
            ),
        }
    }
}

impl From<InputErrorKind> for TeamErrorKind {
    fn from(kind: InputErrorKind) -> Self {
        TeamErrorKind::Input(kind)
    }
}

crate::error::lift_error!(InputErrorKind => TeamErrorKind);

impl From<OrgErrorKind> for TeamErrorKind {
    fn from(kind: OrgErrorKind) -> Self {
        match kind {
            OrgErrorKind::Input(inner) => TeamErrorKind::Input(inner),
            kind => TeamErrorKind::Org(kind),
        }
    }
}

crate::error::lift_error!(OrgErrorKind => TeamErrorKind);
