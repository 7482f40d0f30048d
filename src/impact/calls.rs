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
    pub(crate) gained: Part,
    pub(crate) lost: Part,
}

/// Which snapshot's shared set of a workspace (its calls with a participant in the tree,
/// what level `all` reaches) a [`Part`] starts from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Base {
    Before,
    After,
}

/// A set of dense call ids as `(base − minus) ∪ plus`, with `minus` inside the base and
/// `plus` outside it: a viewer who gains level `all` gains nearly every call of the
/// workspace, which is kept as a reference to the shared set and the few exceptions, not as
/// a copy per viewer.
#[derive(Clone, Debug, Default)]
pub(crate) struct Part {
    pub(crate) base: Option<Base>,
    pub(crate) minus: RoaringBitmap,
    pub(crate) plus: RoaringBitmap,
}

impl Part {
    fn plain(set: RoaringBitmap) -> Part {
        Part {
            base: None,
            minus: RoaringBitmap::new(),
            plus: set,
        }
    }

    fn base_set<'s>(
        &self,
        before: &'s Snapshot,
        after: &'s Snapshot,
        w: WorkspaceId,
    ) -> Option<&'s RoaringBitmap> {
        let snap = match self.base? {
            Base::Before => before,
            Base::After => after,
        };
        snap.calls.ws_peopled(w.index() as usize)
    }

    pub(crate) fn len(&self, before: &Snapshot, after: &Snapshot, w: WorkspaceId) -> u64 {
        let base = self
            .base_set(before, after, w)
            .map_or(0, RoaringBitmap::len);
        base - self.minus.len() + self.plus.len()
    }

    pub(crate) fn to_bitmap(
        &self,
        before: &Snapshot,
        after: &Snapshot,
        w: WorkspaceId,
    ) -> RoaringBitmap {
        match self.base_set(before, after, w) {
            Some(base) => &(base - &self.minus) | &self.plus,
            None => self.plus.clone(),
        }
    }

    pub(crate) fn heap_bytes(&self) -> usize {
        self.minus.serialized_size() + self.plus.serialized_size()
    }
}

/// The gained and lost parts for one viewer from their visible calls in two parts each
/// (`(shared base, rest)`, see `Calls::visible_parts`); `None` when nothing changed.
fn viewer_delta(
    old: (Option<&RoaringBitmap>, RoaringBitmap),
    new: (Option<&RoaringBitmap>, RoaringBitmap),
    bases_equal: bool,
) -> Option<(Part, Part)> {
    let (old_base, new_base) = (old.0, new.0);
    let (gained, lost) = match (old, new) {
        ((None, ro), (None, rn)) => (Part::plain(&rn - &ro), Part::plain(&ro - &rn)),
        ((None, ro), (Some(wn), rn)) => (
            Part {
                base: Some(Base::After),
                minus: &ro & wn,
                plus: &(&rn - wn) - &ro,
            },
            Part::plain(&(&ro - wn) - &rn),
        ),
        ((Some(wo), ro), (None, rn)) => (
            Part::plain(&(&rn - wo) - &ro),
            Part {
                base: Some(Base::Before),
                minus: &rn & wo,
                plus: &(&ro - wo) - &rn,
            },
        ),
        ((Some(wo), ro), (Some(wn), rn)) if bases_equal => (
            Part::plain(&(&rn - wn) - &ro),
            Part::plain(&(&ro - wo) - &rn),
        ),
        ((Some(wo), ro), (Some(wn), rn)) => {
            let old = &ro | wo;
            let new = &rn | wn;
            (Part::plain(&new - &old), Part::plain(&old - &new))
        }
    };
    // A part on a base whose every call is taken out again (the viewer already saw the whole
    // workspace set) holds only its `plus`: kept plain, so emptiness is one test.
    let settle = |p: Part| {
        let base = match p.base {
            Some(Base::Before) => old_base,
            Some(Base::After) => new_base,
            None => None,
        };
        match base {
            Some(b) if b.len() == p.minus.len() => Part::plain(p.plus),
            _ => p,
        }
    };
    let (gained, lost) = (settle(gained), settle(lost));
    let empty = |p: &Part| p.base.is_none() && p.plus.is_empty();
    (!empty(&gained) || !empty(&lost)).then_some((gained, lost))
}

/// A call's record in terms both snapshots share: workspace and privacy, participants,
/// sharees and grantees as user ids (positions renumber), folders.
fn call_key(
    c: &CompiledCalls,
    org: &CompiledOrg,
    call: CallId,
) -> Option<(u32, [Vec<u32>; 3], Vec<u32>)> {
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
        [
            users(c.parts(rec)),
            users(c.extra(rec, 0)),
            users(c.extra(rec, 1)),
        ],
        c.extra(rec, 2).to_vec(),
    ))
}

/// The calls whose record differs, or that name a user who joined or left the tree.
fn changed_calls(
    before: &Snapshot,
    after: &Snapshot,
    store_changed: bool,
    presence: &[UserId],
) -> Vec<CallId> {
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
            calls
                .by_participant
                .rows_each(p, p.saturating_add(1), |s| set.extend(s.iter().copied()));
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

    let mut deltas: HashMap<(WorkspaceId, UserId), (Part, Part)> = HashMap::new();
    let shared = std::sync::Arc::ptr_eq(&before.calls, &after.calls);
    let mut bases_equal: HashMap<WorkspaceId, bool> = HashMap::new();
    for &(w, u) in &viewers {
        let equal = *bases_equal.entry(w).or_insert_with(|| {
            let i = w.index() as usize;
            shared || before.calls.same_peopled(&after.calls, i)
        });
        let old = before.calls().in_workspace(w).visible_parts(u);
        let new = after.calls().in_workspace(w).visible_parts(u);
        if let Some(d) = viewer_delta(old, new, equal) {
            deltas.insert((w, u), d);
        }
    }

    let (cb, ca) = (before.calls(), after.calls());
    for call in changed_calls(before, after, store_changed, side.presence) {
        let ws = |c: &CompiledCalls| c.get(call).map(|r| WorkspaceId::from_index(r.workspace()));
        let old = cb.who_can_open(call).into_positions();
        let new = ca.who_can_open(call).into_positions();
        let gained = &new - &remap.to_after(&old);
        let lost = &old - &remap.to_before(&new);
        let mut add =
            |w: Option<WorkspaceId>, positions: RoaringBitmap, org: &CompiledOrg, is_gain: bool| {
                let Some(w) = w else { return };
                for u in positions.iter().filter_map(|p| org.tree.user_at(p)) {
                    if viewers.contains(&(w, u)) {
                        continue;
                    }
                    let entry = deltas.entry((w, u)).or_default();
                    if is_gain {
                        entry.0.plus.insert(call.index());
                    } else {
                        entry.1.plus.insert(call.index());
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
