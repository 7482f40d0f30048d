//! The org section of the model document: workspaces (the default first), users with their
//! managers, library folders.

use serde::{Deserialize, Serialize};

use crate::org::directory::Directory;
use crate::org::workspace::Workspaces;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct WorkspaceDoc {
    pub(crate) id: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct UserDoc {
    pub(crate) id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) manager_id: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct FolderDoc {
    pub(crate) id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) workspace_id: Option<String>,
}

/// The org section of a model, sorted by id (the default workspace first).
pub(crate) fn export(
    dir: &Directory,
    workspaces: &Workspaces,
) -> (Vec<WorkspaceDoc>, Vec<UserDoc>, Vec<FolderDoc>) {
    let mut workspace_docs: Vec<WorkspaceDoc> = workspaces
        .ids
        .iter()
        .map(|(_, name)| name)
        .map(|id| WorkspaceDoc { id: id.to_owned() })
        .collect();
    // The default workspace stays first; the others are sorted.
    if let Some(rest) = workspace_docs.get_mut(1..) {
        rest.sort_by(|a, b| a.id.cmp(&b.id));
    }
    let default_ws = workspaces.name(crate::id::WorkspaceId::DEFAULT).to_owned();
    let ws_field = |w: &str| (w != default_ws).then(|| w.to_owned());

    let mut users: Vec<UserDoc> = dir
        .ids
        .iter()
        .filter(|&(u, _)| dir.is_active(u))
        .map(|(u, id)| UserDoc {
            id: id.to_owned(),
            manager_id: dir.manager(u).map(|m| dir.name(m).to_owned()),
        })
        .collect();
    users.sort_by(|a, b| a.id.cmp(&b.id));

    let mut folders: Vec<FolderDoc> = workspaces
        .live_folders()
        .map(|(f, id)| FolderDoc {
            id: id.to_owned(),
            workspace_id: workspaces
                .folder_workspace(f)
                .and_then(|w| ws_field(workspaces.name(w))),
        })
        .collect();
    folders.sort_by(|a, b| a.id.cmp(&b.id));
    (workspace_docs, users, folders)
}
