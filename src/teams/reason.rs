//! Why a team membership check ([`Teams::explain_member`](crate::Teams::explain_member))
//! came out as it did.

use core::fmt;

/// Why a team membership check ([`Teams::explain_member`](crate::Teams::explain_member))
/// came out as it did; the `reason` of its [`Decision`](crate::Decision).
///
/// # Examples
///
/// ```
/// use orgperm::TeamReason;
/// let r = TeamReason::SubTeamMember { team: "sales".into(), via: vec!["emea".into(), "uk".into()] };
/// assert_eq!(r.to_string(), "member of team \"sales\" through sub-teams \"emea\" > \"uk\"");
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum TeamReason {
    /// Deny: the user is unknown or removed.
    UnknownUser {
        /// The id as given.
        user: String,
    },
    /// Deny: the team is unknown or removed.
    UnknownTeam {
        /// The id as given.
        team: String,
    },
    /// Allow: the user is a direct member of the team.
    DirectMember {
        /// The team.
        team: String,
    },
    /// Allow (with sub-teams): the user is a direct member of a team below it.
    SubTeamMember {
        /// The team asked about.
        team: String,
        /// The teams from the one just below `team` down to the one the user is a direct
        /// member of (the first such team in team-tree preorder).
        via: Vec<String>,
    },
    /// Deny: the user is not a direct member of the team, nor (with sub-teams) of any team
    /// below it.
    NotMember {
        /// The team.
        team: String,
        /// Whether sub-teams were counted.
        sub_teams: bool,
    },
}

impl fmt::Display for TeamReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TeamReason::UnknownUser { user } => write!(f, "unknown or removed user {user:?}"),
            TeamReason::UnknownTeam { team } => write!(f, "unknown or removed team {team:?}"),
            TeamReason::DirectMember { team } => write!(f, "direct member of team {team:?}"),
            TeamReason::SubTeamMember { team, via } => {
                write!(f, "member of team {team:?} through sub-teams ")?;
                for (i, t) in via.iter().enumerate() {
                    if i > 0 {
                        f.write_str(" > ")?;
                    }
                    write!(f, "{t:?}")?;
                }
                Ok(())
            }
            TeamReason::NotMember { team, sub_teams } => {
                let scope = if *sub_teams {
                    " or any of its sub-teams"
                } else {
                    ""
                };
                write!(f, "not a member of team {team:?}{scope}")
            }
        }
    }
}
