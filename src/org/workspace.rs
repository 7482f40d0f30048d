//! Workspaces and the library folders that live in them.

use crate::error::InputErrorKind;
use crate::id::{DenseId, FolderId, Interner, WorkspaceId};
use crate::org::error::{OrgError, OrgErrorKind};

/// Workspaces (the first is the default) and library folders, each folder in one workspace.
#[derive(Clone, Debug)]
pub(crate) struct Workspaces {
    pub(crate) ids: Interner<WorkspaceId>,
    pub(crate) folders: Interner<FolderId>,
    /// Workspace of each folder; [`REMOVED`] for a removed one, which keeps its dense id.
    folder_workspace: Vec<WorkspaceId>,
}

/// The workspace slot of a removed folder: no workspace has this id, so every check of the
/// folder's workspace (which is how the compiled families open a folder) fails.
const REMOVED: WorkspaceId = WorkspaceId::new(u32::MAX);

impl Workspaces {
    /// Workspaces with one default workspace called `default_id`.
    pub(crate) fn new(default_id: &str) -> Result<Self, OrgError> {
        let mut ws = Self::empty();
        ws.add(default_id)?;
        Ok(ws)
    }

    /// No workspace at all; only a fallback that a valid model never uses.
    pub(crate) fn empty() -> Self {
        Self {
            ids: Interner::default(),
            folders: Interner::default(),
            folder_workspace: Vec::new(),
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.ids.len()
    }

    pub(crate) fn add(&mut self, id: &str) -> Result<WorkspaceId, OrgError> {
        if id.is_empty() {
            return Err(OrgError::at("id", InputErrorKind::EmptyId));
        }
        if self.ids.get(id).is_some() {
            return Err(OrgError::at(
                "id",
                InputErrorKind::DuplicateId { id: id.to_owned() },
            ));
        }
        Ok(self.ids.intern(id)?.0)
    }

    /// The workspace with this id, `None` meaning the default one.
    pub(crate) fn resolve(&self, id: Option<&str>, field: &str) -> Result<WorkspaceId, OrgError> {
        match id {
            None => Ok(WorkspaceId::DEFAULT),
            Some(w) => self.ids.get(w).ok_or_else(|| {
                OrgError::at(field, OrgErrorKind::UnknownWorkspace { id: w.to_owned() })
            }),
        }
    }

    pub(crate) fn name(&self, w: WorkspaceId) -> &str {
        self.ids.name(w).unwrap_or("")
    }

    pub(crate) fn add_folder(
        &mut self,
        id: &str,
        workspace: WorkspaceId,
    ) -> Result<FolderId, OrgError> {
        if id.is_empty() {
            return Err(OrgError::at("id", InputErrorKind::EmptyId));
        }
        if self.live_folder(id).is_some() {
            return Err(OrgError::at(
                "id",
                InputErrorKind::DuplicateId { id: id.to_owned() },
            ));
        }
        // A removed folder's id comes back with its dense id.
        let (f, _) = self.folders.intern(id)?;
        match self.folder_workspace.get_mut(f.index() as usize) {
            Some(slot) => *slot = workspace,
            None => self.folder_workspace.push(workspace),
        }
        Ok(f)
    }

    /// The dense id of a live (added and not removed) folder.
    pub(crate) fn live_folder(&self, id: &str) -> Option<FolderId> {
        self.folders
            .get(id)
            .filter(|&f| self.folder_workspace(f).is_some())
    }

    /// Removes a live folder; what names it is the caller's check (`Model::remove_folder`).
    pub(crate) fn remove_folder(&mut self, f: FolderId) {
        if let Some(slot) = self.folder_workspace.get_mut(f.index() as usize) {
            *slot = REMOVED;
        }
    }

    /// The workspace of a live folder.
    pub(crate) fn folder_workspace(&self, f: FolderId) -> Option<WorkspaceId> {
        self.folder_workspace
            .get(f.index() as usize)
            .copied()
            .filter(|&w| w != REMOVED)
    }

    /// The live folders and their external ids, in dense-id order.
    pub(crate) fn live_folders(&self) -> impl Iterator<Item = (FolderId, &str)> + '_ {
        self.folders
            .iter()
            .filter(|&(f, _)| self.folder_workspace(f).is_some())
    }

    /// Workspace of every folder, by dense folder id (a removed folder's is no workspace).
    pub(crate) fn folder_workspaces(&self) -> &[WorkspaceId] {
        &self.folder_workspace
    }
}
