//! The org, compiled: the id tables of users, workspaces and folders, and the tree index.
//! Every family above reads it; it reads only the directory and the workspaces.

use crate::id::key::Key;
use crate::id::{DenseId, FolderId, Interner, UserId, WorkspaceId};
use crate::org::directory::Directory;
use crate::org::tree::{Node, TreeIndex};
use crate::org::workspace::Workspaces;

/// Users, workspaces and folders by id, and the org tree's interval index.
#[derive(Clone, Debug)]
pub(crate) struct CompiledOrg {
    pub(crate) users: Interner<UserId>,
    pub(crate) workspaces: Interner<WorkspaceId>,
    pub(crate) folders: Interner<FolderId>,
    /// The workspace of each folder (`u32::MAX`, no workspace, for a removed one).
    pub(crate) folder_workspace: Vec<WorkspaceId>,
    pub(crate) tree: TreeIndex,
    /// Number of dense user ids (active or not): the row length of per-user tables.
    pub(crate) n_users: usize,
}

impl CompiledOrg {
    pub(crate) fn compile(dir: &Directory, workspaces: &Workspaces) -> Self {
        CompiledOrg {
            users: dir.ids.clone(),
            workspaces: workspaces.ids.clone(),
            folders: workspaces.folders.clone(),
            folder_workspace: workspaces.folder_workspaces().to_vec(),
            tree: TreeIndex::build(dir.manager_table(), dir.active_table()),
            n_users: dir.len(),
        }
    }

    /// The active user behind a key.
    #[inline(always)]
    pub(crate) fn user(&self, key: &impl Key<UserId>) -> Option<UserId> {
        key.resolve(&self.users)
            .filter(|&u| self.tree.node(u).is_some())
    }

    /// The active user behind a key, with their tree record.
    #[inline(always)]
    pub(crate) fn active(&self, key: &impl Key<UserId>) -> Option<(UserId, Node)> {
        let u = key.resolve(&self.users)?;
        Some((u, self.tree.node(u)?))
    }

    /// A known workspace behind a key.
    #[inline(always)]
    pub(crate) fn workspace(&self, key: &impl Key<WorkspaceId>) -> Option<WorkspaceId> {
        key.resolve(&self.workspaces)
            .filter(|&w| (w.index() as usize) < self.workspaces.len())
    }

    /// The external id of an active user.
    pub(crate) fn user_name(&self, u: UserId) -> Option<&str> {
        self.tree.node(u)?;
        self.users.name(u)
    }

    /// The external id of any user, active or not (for explanations).
    pub(crate) fn any_user_name(&self, u: UserId) -> &str {
        self.users.name(u).unwrap_or("")
    }

    pub(crate) fn workspace_name(&self, w: WorkspaceId) -> Option<&str> {
        self.workspaces.name(w)
    }

    /// The dense id of a live folder (a removed one keeps its id but no workspace).
    pub(crate) fn live_folder(&self, id: &str) -> Option<FolderId> {
        let f = self.folders.get(id)?;
        let w = self.folder_workspace.get(f.index() as usize)?;
        (w.index() < self.workspaces.len() as u32).then_some(f)
    }

    /// Whether folder `f` exists and was not removed.
    pub(crate) fn folder_live(&self, f: FolderId) -> bool {
        self.folder_workspace
            .get(f.index() as usize)
            .is_some_and(|w| w.index() < self.workspaces.len() as u32)
    }

    pub(crate) fn folder_name(&self, f: FolderId) -> &str {
        self.folders.name(f).unwrap_or("")
    }

    /// Heap bytes of the user ids and the tree (id text, index), and of the workspace and
    /// folder tables (id text, index).
    pub(crate) fn heap_bytes(&self) -> ((usize, usize), (usize, usize)) {
        let (ut, ui) = self.users.heap_bytes();
        let (wt, wi) = self.workspaces.heap_bytes();
        let (ft, fi) = self.folders.heap_bytes();
        (
            (ut, ui + self.tree.heap_bytes()),
            (wt + ft, wi + fi + self.folder_workspace.capacity() * 4),
        )
    }
}
