//! Each (workspace, user)'s resolved reach over calls, compiled from the profiles apart from
//! the call records: a profile edit rebuilds (or patches) this table and shares the records,
//! and a call edit the other way round.

use crate::calls::compiled::{CompiledCalls, LEADS, ViewerEntry};
use crate::id::{DenseId, NONE, UserId, WorkspaceId};
use crate::org::assignment::WsTable;
use crate::org::compiled::CompiledOrg;
use crate::profile::Domain;
use crate::profile::compiled::CompiledProfiles;

/// Each (workspace, user)'s resolved reach over calls (the `callsAccess` scope of their
/// profile, as a preorder span), compiled from the profiles apart from the call records, so
/// that a profile edit rebuilds this table and shares the records, and a call edit the
/// other way round.
#[derive(Clone, Debug, Default)]
pub(crate) struct CallViewers {
    /// Dense for the default workspace, dense or sparse by fill for the others.
    viewers: WsTable<ViewerEntry>,
}

impl CallViewers {
    /// The table for `calls`: empty for a model without calls, so that orgs without calls
    /// compile as before.
    pub(crate) fn compile(
        calls: &CompiledCalls,
        org: &CompiledOrg,
        profiles: &CompiledProfiles,
    ) -> CallViewers {
        if calls.is_empty() {
            return CallViewers::default();
        }
        let n_users = org.users.len();
        let n_ws = org.workspaces.len();
        // Only (workspace, user) pairs with a profile get an entry: per workspace, the users
        // of its assignment row, so the cost and the table follow the assignments.
        let mut rows: Vec<Vec<(u32, ViewerEntry)>> = Vec::with_capacity(n_ws);
        for w in 0..n_ws {
            let mut row = Vec::new();
            for u in profiles.assigned_users(w) {
                let ws = WorkspaceId::from_index(w as u32);
                if let Some(entry) = viewer_entry(org, profiles, UserId::from_index(u), ws) {
                    row.push((u, entry));
                }
            }
            rows.push(row);
        }
        CallViewers {
            viewers: WsTable::build(n_users, ViewerEntry::NOBODY, rows),
        }
    }

    /// The table compiled again for `users`, whose assignments changed in `profiles`, from
    /// `self`, compiled over the profiles before (and the same org): each user's entry in
    /// every workspace is resolved again and written (one chunk copied per dense row).
    /// O(users × workspaces).
    pub(crate) fn patch(
        &self,
        calls: &CompiledCalls,
        org: &CompiledOrg,
        profiles: &CompiledProfiles,
        users: &[UserId],
    ) -> CallViewers {
        if calls.is_empty() {
            return CallViewers::default();
        }
        let mut out = self.clone();
        for &u in users {
            for w in 0..org.workspaces.len() {
                let entry = viewer_entry(org, profiles, u, WorkspaceId::from_index(w as u32));
                out.viewers
                    .set(w, u.index() as usize, entry, org.users.len());
            }
        }
        out
    }

    /// The viewer table entry of `v` in workspace `w`, if `v` is active with a profile there.
    #[inline]
    pub(crate) fn viewer(&self, w: u32, v: UserId) -> Option<&ViewerEntry> {
        self.viewers
            .get(w as usize, v.index() as usize)
            .filter(|e| e.profile != NONE)
    }

    /// Heap bytes of the table.
    pub(crate) fn heap_bytes(&self) -> usize {
        self.viewers.heap_bytes()
    }
}

/// The viewer entry of `u` in `w`: their profile's `callsAccess` reach, if they hold a
/// profile there that reaches anything.
fn viewer_entry(
    org: &CompiledOrg,
    profiles: &CompiledProfiles,
    u: UserId,
    w: WorkspaceId,
) -> Option<ViewerEntry> {
    if profiles.profile_index(u, w) == NONE {
        return None;
    }
    let scope = profiles.viewer_scope(org, u, w, Domain::Calls)?;
    let (lo, width, leads) = scope.span();
    let leads = if leads.is_some() { LEADS } else { 0 };
    Some(ViewerEntry {
        pos: scope.pos,
        lo,
        width,
        profile: scope.profile | leads,
    })
}
