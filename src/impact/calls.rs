//! What changed in the calls family: per (workspace, viewer), the calls the viewer may now,
//! or may no longer, open.
//!
//! Two sources of change, each compared where it is small: viewers whose side changed (their
//! `callsAccess` reach, library folders, profile or presence; the profiles impact lists them)
//! get their visible calls compared whole, and calls whose record changed (or whose people
//! joined or left the tree) get their openers compared with the reverse query, which adds
//! the call to the other viewers it reaches or leaves.

use hashbrown::{HashMap, HashSet};
use roaring::RoaringBitmap;

use crate::calls::CallId;
use crate::calls::compiled::CompiledCalls;
use crate::id::{DenseId, UserId, WorkspaceId};
use crate::impact::remap::Remap;
use crate::org::compiled::CompiledOrg;
use crate::profile::Domain;
use crate::snapshot::Snapshot;

#[derive(Clone, Debug)]
pub(crate) struct CallDelta {
    pub(crate) workspace: WorkspaceId,
    pub(crate) viewer: UserId,
    /// Dense call ids.
    pub(crate) gained: RoaringBitmap,
    pub(crate) lost: RoaringBitmap,
}

/// A call's record in terms both snapshots share: workspace and privacy, participants,
/// sharees and grantees as user ids (positions renumber), folders.
fn call_key(c: &CompiledCalls, org: &CompiledOrg, call: CallId) -> Option<(u32, [Vec<u32>; 3], Vec<u32>)> {
    let rec = c.get(call)?;
    let users = |positions: &[u32]| {
        let mut v: Vec<u32> = positions
            .iter()
            .filter_map(|&p| org.tree.user_at(p))
            .map(DenseId::index)
            .collect();
        v.sort_unstable();
        v
    };
    Some((
        rec.ws,
        [users(c.parts(rec)), users(c.extra(rec, 0)), users(c.extra(rec, 1))],
        c.extra(rec, 2).to_vec(),
    ))
}

/// The calls whose record differs, or that name a user who joined or left the tree.
fn changed_calls(before: &Snapshot, after: &Snapshot, store_changed: bool, presence: &[UserId]) -> Vec<CallId> {
    let (b, a) = (&*before.calls, &*after.calls);
    if store_changed {
        let n = b.recs.len().max(a.recs.len()) as u32;
        return (0..n)
            .map(CallId::from_index)
            .filter(|&c| call_key(b, &before.org, c) != call_key(a, &after.org, c))
            .collect();
    }
    let mut set = RoaringBitmap::new();
    for &u in presence {
        for (calls, org) in [(b, &*before.org), (a, &*after.org)] {
            let p = org.tree.pos(u);
            set.extend(calls.by_participant.row(p).iter().copied());
            set.extend(calls.by_sharee.row(p).iter().copied());
            set.extend(calls.by_grantee.row(p).iter().copied());
        }
    }
    set.iter().map(CallId::from_index).collect()
}

/// Viewers of each workspace whose side changed.
pub(crate) struct ViewerSide<'a> {
    pub(crate) reach: &'a [(WorkspaceId, Domain, UserId)],
    pub(crate) reassigned: &'a [(WorkspaceId, UserId)],
    pub(crate) folders: &'a [(WorkspaceId, UserId)],
    pub(crate) presence: &'a [UserId],
}

pub(crate) fn diff(
    before: &Snapshot,
    after: &Snapshot,
    remap: &Remap,
    store_changed: bool,
    side: ViewerSide<'_>,
) -> Vec<CallDelta> {
    let n_ws = before.org.workspaces.len().max(after.org.workspaces.len()) as u32;
    let mut viewers: HashSet<(WorkspaceId, UserId)> = HashSet::new();
    viewers.extend(
        side.reach
            .iter()
            .filter(|(_, d, _)| *d == Domain::Calls)
            .map(|&(w, _, u)| (w, u)),
    );
    viewers.extend(side.reassigned.iter().copied());
    viewers.extend(side.folders.iter().copied());
    for &u in side.presence {
        viewers.extend((0..n_ws).map(|w| (WorkspaceId::from_index(w), u)));
    }

    let mut deltas: HashMap<(WorkspaceId, UserId), (RoaringBitmap, RoaringBitmap)> = HashMap::new();
    for &(w, u) in &viewers {
        let old = before.calls().in_workspace(w).visible(u).into_bitmap();
        let new = after.calls().in_workspace(w).visible(u).into_bitmap();
        if old != new {
            deltas.insert((w, u), (&new - &old, &old - &new));
        }
    }

    let (cb, ca) = (before.calls(), after.calls());
    for call in changed_calls(before, after, store_changed, side.presence) {
        let ws = |c: &CompiledCalls| c.get(call).map(|r| WorkspaceId::from_index(r.workspace()));
        let old = cb.who_can_open(call).into_positions();
        let new = ca.who_can_open(call).into_positions();
        let gained = &new - &remap.to_after(&old);
        let lost = &old - &remap.to_before(&new);
        let mut add = |w: Option<WorkspaceId>, positions: RoaringBitmap, org: &CompiledOrg, is_gain: bool| {
            let Some(w) = w else { return };
            for u in positions.iter().filter_map(|p| org.tree.user_at(p)) {
                if viewers.contains(&(w, u)) {
                    continue;
                }
                let entry = deltas.entry((w, u)).or_default();
                if is_gain {
                    entry.0.insert(call.index());
                } else {
                    entry.1.insert(call.index());
                }
            }
        };
        add(ws(&after.calls), gained, &after.org, true);
        add(ws(&before.calls), lost, &before.org, false);
    }

    let mut out: Vec<CallDelta> = deltas
        .into_iter()
        .map(|((workspace, viewer), (gained, lost))| CallDelta {
            workspace,
            viewer,
            gained,
            lost,
        })
        .collect();
    out.sort_unstable_by_key(|d| (d.workspace.index(), d.viewer.index()));
    out
}
