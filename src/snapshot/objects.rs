//! Crate-internal access to the compiled profiles for the object-level modules (calls,
//! teams, networks), which keep their own compiled data in the snapshot and their queries in
//! their own files.

pub(crate) use super::scope::Reach;

use crate::id::{DenseId, FolderId, ProfileId, UserId, WorkspaceId};
use crate::org::tree::Node;
use crate::profile::{Domain, Level, LibraryLevel};
use crate::snapshot::Snapshot;

/// What a viewer holding a profile in a workspace reaches in one domain, and their library
/// access there.
#[derive(Clone, Copy, Debug)]
pub(crate) struct ViewerScope<'s> {
    pub(crate) node: Node,
    pub(crate) profile: u32,
    pub(crate) level: Level,
    pub(crate) reach: Reach<'s>,
    pub(crate) library_level: LibraryLevel,
    /// Sorted folder ids of a `specific-folders` profile.
    pub(crate) folders: &'s [FolderId],
}

impl Snapshot {
    /// The active viewer's scope in `domain` of `w`; `None` without a profile there.
    #[inline]
    pub(crate) fn viewer_scope(
        &self,
        v: UserId,
        w: WorkspaceId,
        domain: Domain,
    ) -> Option<ViewerScope<'_>> {
        let node = *self.tree.node(v)?;
        let (p, profile) = self.compiled_profile(v, w)?;
        Some(ViewerScope {
            node,
            profile: p,
            level: profile.level(domain),
            reach: Reach::resolve(profile.rule(domain), &node, &self.tree, &self.lead_sets),
            library_level: profile.library_level,
            folders: &profile.folders,
        })
    }

    /// Whether the active user holds a profile in `w`.
    #[inline]
    pub(crate) fn has_profile_in(&self, u: UserId, w: WorkspaceId) -> bool {
        self.tree.node(u).is_some() && self.compiled_profile(u, w).is_some()
    }

    pub(crate) fn profile_name(&self, p: u32) -> &str {
        self.profile_ids
            .name(ProfileId::from_index(p))
            .unwrap_or("")
    }

    pub(crate) fn workspace_name(&self, w: WorkspaceId) -> Option<&str> {
        self.workspaces.name(w)
    }

    pub(crate) fn folder_name(&self, f: FolderId) -> &str {
        self.folders.name(f).unwrap_or("")
    }

    /// The external id of any user, active or not (for explanations).
    pub(crate) fn any_user_name(&self, u: UserId) -> &str {
        self.users.name(u).unwrap_or("")
    }
}
