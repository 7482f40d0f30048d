//! The `teams` section of the model document.

use serde::{Deserialize, Serialize};

use crate::error::sink::{Repairs, Sink};
use crate::teams::error::{TeamError, TeamErrorKind};
use crate::teams::store::TeamStore;
use crate::teams::store::{TeamsMut, TeamsRef};

/// One team: `{"id": "t2", "parentId": "t1", "members": ["u1", "u2"]}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct TeamDoc {
    id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    parent_id: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    members: Vec<String>,
}

impl TeamDoc {
    /// The team's id, as written.
    pub(crate) fn id(&self) -> &str {
        &self.id
    }
}

/// The live teams, sorted by id, with their active members sorted.
pub(crate) fn export(model: TeamsRef<'_>) -> Vec<TeamDoc> {
    let mut out: Vec<TeamDoc> = model
        .team_ids()
        .map(|id| TeamDoc {
            id: id.to_owned(),
            parent_id: model.team_parent(id).map(str::to_owned),
            members: model
                .team_members(id)
                .map(|m| m.into_iter().map(str::to_owned).collect())
                .unwrap_or_default(),
        })
        .collect();
    out.sort_by(|a, b| a.id.cmp(&b.id));
    out
}

/// Validates the section against the model's directory and installs it. The teams are built
/// all at once (a team may name a parent listed after it); a collecting sink takes each
/// error and tries again without what it names (the parent link, the member, or the team),
/// as often as it keeps errors.
pub(crate) fn import(
    docs: &[TeamDoc],
    model: TeamsMut<'_>,
    sink: &mut impl Sink<TeamErrorKind>,
) -> Result<(), TeamError> {
    let dir = &model.dir;
    let mut repairs = Repairs::default();
    loop {
        let kept = repairs.kept(docs.len());
        let trimmed: Vec<Vec<String>> = kept
            .iter()
            .map(|&i| match docs.get(i) {
                Some(d) if repairs.trims(i) => repairs
                    .entries_of(i, &d.members)
                    .map(|(_, m)| m.clone())
                    .collect(),
                _ => Vec::new(),
            })
            .collect();
        let records: Vec<(&str, Option<&str>, &[String])> = kept
            .iter()
            .zip(&trimmed)
            .filter_map(|(&i, trimmed)| {
                let d = docs.get(i)?;
                let parent = d.parent_id.as_deref().filter(|_| repairs.links(i));
                let members = if repairs.trims(i) {
                    trimmed.as_slice()
                } else {
                    d.members.as_slice()
                };
                Some((d.id.as_str(), parent, members))
            })
            .collect();
        let err = match TeamStore::from_records(&records, |u| dir.active_id(u)) {
            Ok(teams) => {
                *model.teams = teams;
                return Ok(());
            }
            Err(e) => e.within("teams"),
        };
        if !sink.is_collecting() {
            return Err(err);
        }
        let (err, at) = err.reindexed("teams", |n| kept.get(n).copied());
        let mut err = err.in_section("teams", |i| docs.get(i).map(TeamDoc::id));
        let progress = match at {
            Some(i) => {
                // A member is named in the document's numbering, not the trimmed list's.
                let members = docs.get(i).map_or(&[][..], |d| d.members.as_slice());
                let tried: Vec<usize> = repairs.entries_of(i, members).map(|(j, _)| j).collect();
                err = err
                    .reindexed(&format!("teams[{i}].members"), |j| tried.get(j).copied())
                    .0;
                let tail = err.path().split_once(']').map_or("", |(_, t)| t).to_owned();
                repairs.repair(i, &tail, "parentId", "members", Some)
            }
            // A cycle names its teams: try again without the first one's parent.
            None => match err.kind() {
                TeamErrorKind::TeamCycle { teams } => teams
                    .first()
                    .and_then(|t| docs.iter().position(|d| &d.id == t))
                    .is_some_and(|i| repairs.unlink(i)),
                _ => false,
            },
        };
        if !progress {
            return Err(err);
        }
        sink.skip(err)?;
    }
}
