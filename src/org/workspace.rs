//! Workspaces and the library folders that live in them.

use crate::error::InputErrorKind;
use crate::id::{DenseId, FolderId, Interner, WorkspaceId};
use crate::org::error::{OrgError, OrgErrorKind};

/// Workspaces (the first is the default) and library folders, each folder in one workspace.
#[derive(Clone, Debug)]
pub(crate) struct Workspaces {
    pub(crate) ids: Interner<WorkspaceId>,
    pub(crate) folders: Interner<FolderId>,
    /// Workspace of each folder.
    folder_workspace: Vec<WorkspaceId>,
}

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
        if self.folders.get(id).is_some() {
            return Err(OrgError::at(
                "id",
                InputErrorKind::DuplicateId { id: id.to_owned() },
            ));
        }
        let (f, _) = self.folders.intern(id)?;
        self.folder_workspace.push(workspace);
        Ok(f)
    }

    pub(crate) fn folder_workspace(&self, f: FolderId) -> Option<WorkspaceId> {
        self.folder_workspace.get(f.index() as usize).copied()
    }

    /// Workspace of every folder, by dense folder id.
    pub(crate) fn folder_workspaces(&self) -> &[WorkspaceId] {
        &self.folder_workspace
    }
}
