//! The `teams` section of the model document.

use serde::{Deserialize, Serialize};

use crate::teams::error::TeamError;
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

/// Validates the section against the model's directory and installs it.
pub(crate) fn import(docs: &[TeamDoc], model: TeamsMut<'_>) -> Result<(), TeamError> {
    let records: Vec<(&str, Option<&str>, &[String])> = docs
        .iter()
        .map(|d| (d.id.as_str(), d.parent_id.as_deref(), d.members.as_slice()))
        .collect();
    let dir = &model.dir;
    let teams =
        TeamStore::from_records(&records, |u| dir.active_id(u)).map_err(|e| e.within("teams"))?;
    *model.teams = teams;
    Ok(())
}
