//! Calls, compiled into flat arrays.
//!
//! Per call, one 24-byte [`CallMeta`] and a run of `data` holding, in order, the org-chart
//! preorder positions of its participants (owner included), of its sharees and of its
//! grantees, then its folder ids, each part sorted. Inverted indexes map an org position to
//! the calls that user takes part in (or was shared, or granted), and a folder to its calls;
//! as the org is numbered in preorder, the calls with a participant in a manager's subtree
//! are one contiguous slice of the participant index.

use roaring::RoaringBitmap;
use smallvec::SmallVec;

use crate::calls::CallId;
use crate::id::{DenseId, Interner, NONE};
use crate::model::Model;
use crate::org::tree::TreeIndex;

/// `CallMeta::ws` bit of a private call.
pub(crate) const PRIVATE: u32 = 1 << 31;

/// One compiled call. The next call's `start` ends its `data` run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct CallMeta {
    /// Participant positions: `data[start..shared]`.
    pub(crate) start: u32,
    /// Sharee positions: `data[shared..grants]`.
    pub(crate) shared: u32,
    /// Grantee positions: `data[grants..folders]`.
    pub(crate) grants: u32,
    /// Folder ids: `data[folders..next.start]`.
    pub(crate) folders: u32,
    /// Org position of the owner, `NONE` when the owner was removed.
    pub(crate) owner_pos: u32,
    /// Workspace index, with [`PRIVATE`]; `NONE` for a removed call.
    pub(crate) ws: u32,
}

impl CallMeta {
    const DEAD: CallMeta = CallMeta {
        start: 0,
        shared: 0,
        grants: 0,
        folders: 0,
        owner_pos: NONE,
        ws: NONE,
    };

    #[inline]
    pub(crate) fn live(&self) -> bool {
        self.ws != NONE
    }

    #[inline]
    pub(crate) fn private(&self) -> bool {
        self.ws & PRIVATE != 0
    }

    #[inline]
    pub(crate) fn workspace(&self) -> u32 {
        self.ws & !PRIVATE
    }
}

/// A CSR index: row `r` is `items[start[r]..start[r + 1]]`.
#[derive(Clone, Debug, Default)]
pub(crate) struct Csr {
    start: Vec<u32>,
    items: Vec<u32>,
}

impl Csr {
    /// Builds `rows` rows from `(row, item)` pairs given by `each` (called twice: count, fill).
    /// Items keep the order `each` yields them in.
    fn build(rows: usize, each: impl Fn(&mut dyn FnMut(u32, u32))) -> Csr {
        let mut start = vec![0u32; rows + 1];
        each(&mut |r, _| {
            if let Some(c) = start.get_mut(r as usize + 1) {
                *c += 1;
            }
        });
        for i in 1..start.len() {
            let prev = start.get(i - 1).copied().unwrap_or(0);
            if let Some(c) = start.get_mut(i) {
                *c += prev;
            }
        }
        let mut fill = start.clone();
        let mut items = vec![0u32; start.last().copied().unwrap_or(0) as usize];
        each(&mut |r, x| {
            if let Some(slot) = fill.get_mut(r as usize) {
                if let Some(i) = items.get_mut(*slot as usize) {
                    *i = x;
                }
                *slot += 1;
            }
        });
        Csr { start, items }
    }

    /// The items of rows `from..to`, one contiguous slice.
    #[inline]
    pub(crate) fn rows(&self, from: u32, to: u32) -> &[u32] {
        let s = self.start.get(from as usize).copied().unwrap_or(0) as usize;
        let e = self.start.get(to as usize).copied().unwrap_or(0) as usize;
        self.items.get(s..e).unwrap_or(&[])
    }

    #[inline]
    pub(crate) fn row(&self, r: u32) -> &[u32] {
        self.rows(r, r.saturating_add(1))
    }

    fn heap_bytes(&self) -> usize {
        (self.start.capacity() + self.items.capacity()) * 4
    }
}

/// Calls, compiled.
#[derive(Clone, Debug, Default)]
pub(crate) struct CompiledCalls {
    pub(crate) ids: Interner<CallId>,
    /// By dense call id, plus one sentinel whose `start` ends the last call's run.
    pub(crate) meta: Vec<CallMeta>,
    pub(crate) data: Vec<u32>,
    /// Start time of each call, Unix seconds.
    pub(crate) started: Vec<i64>,
    /// Owner's dense user id of each call.
    pub(crate) owner: Vec<u32>,
    /// Org position → calls with that user as owner or participant, ascending.
    pub(crate) by_participant: Csr,
    /// Org position → calls shared with that user.
    pub(crate) by_sharee: Csr,
    /// Org position → calls granted to that user.
    pub(crate) by_grantee: Csr,
    /// Folder → calls in it.
    pub(crate) by_folder: Csr,
    /// Per workspace: all live calls.
    pub(crate) ws_all: Vec<RoaringBitmap>,
    /// Per workspace: live calls that are not private.
    pub(crate) ws_open: Vec<RoaringBitmap>,
    /// Per workspace: live, non-private calls in at least one folder.
    pub(crate) ws_in_folders: Vec<RoaringBitmap>,
}

impl CompiledCalls {
    pub(crate) fn compile(model: &Model, tree: &TreeIndex) -> CompiledCalls {
        let calls = &model.calls.calls;
        let n = calls.len();
        let n_ws = model.workspaces.len();
        let pos_of = |u: crate::UserId| tree.node(u).map(|n| n.pos);

        let mut meta = Vec::with_capacity(n + 1);
        let mut data: Vec<u32> = Vec::with_capacity(n * 4);
        let mut started = Vec::with_capacity(n);
        let mut owner = Vec::with_capacity(n);
        let mut ws_all: Vec<Vec<u32>> = vec![Vec::new(); n_ws];
        let mut ws_open: Vec<Vec<u32>> = vec![Vec::new(); n_ws];
        let mut ws_in_folders: Vec<Vec<u32>> = vec![Vec::new(); n_ws];
        let mut buf: SmallVec<[u32; 8]> = SmallVec::new();
        let push_sorted = |data: &mut Vec<u32>, buf: &mut SmallVec<[u32; 8]>| {
            buf.sort_unstable();
            let mut last = NONE;
            for &x in buf.iter() {
                if x != last {
                    data.push(x);
                    last = x;
                }
            }
            buf.clear();
        };
        for (c, call) in calls.iter().enumerate() {
            let Some(call) = call.as_ref().filter(|s| s.workspace.index() < n_ws as u32) else {
                meta.push(CallMeta {
                    start: data.len() as u32,
                    shared: data.len() as u32,
                    grants: data.len() as u32,
                    folders: data.len() as u32,
                    ..CallMeta::DEAD
                });
                started.push(0);
                owner.push(NONE);
                continue;
            };
            let start = data.len() as u32;
            let owner_pos = pos_of(call.owner).unwrap_or(NONE);
            if owner_pos != NONE {
                buf.push(owner_pos);
            }
            buf.extend(call.participants.iter().filter_map(|&u| pos_of(u)));
            push_sorted(&mut data, &mut buf);
            let shared = data.len() as u32;
            buf.extend(call.shared().iter().filter_map(|&u| pos_of(u)));
            push_sorted(&mut data, &mut buf);
            let grants = data.len() as u32;
            buf.extend(call.grants().iter().filter_map(|&u| pos_of(u)));
            push_sorted(&mut data, &mut buf);
            let folders = data.len() as u32;
            data.extend(call.folders().iter().map(|f| f.index()));
            let w = call.workspace.index();
            meta.push(CallMeta {
                start,
                shared,
                grants,
                folders,
                owner_pos,
                ws: if call.private { w | PRIVATE } else { w },
            });
            started.push(call.started);
            owner.push(call.owner.index());
            let c = c as u32;
            if let Some(v) = ws_all.get_mut(w as usize) {
                v.push(c);
            }
            if !call.private {
                if let Some(v) = ws_open.get_mut(w as usize) {
                    v.push(c);
                }
                if !call.folders().is_empty() {
                    if let Some(v) = ws_in_folders.get_mut(w as usize) {
                        v.push(c);
                    }
                }
            }
        }
        meta.push(CallMeta {
            start: data.len() as u32,
            ..CallMeta::DEAD
        });

        let n_pos = tree.len() as usize;
        let part = |from: fn(&CallMeta) -> u32, to: fn(&CallMeta) -> u32| {
            let (meta, data) = (&meta, &data);
            move |emit: &mut dyn FnMut(u32, u32)| {
                for (c, pair) in meta.windows(2).enumerate() {
                    let (Some(m), Some(next)) = (pair.first(), pair.get(1)) else {
                        continue;
                    };
                    let (s, e) = (from(m) as usize, to_end(to, m, next) as usize);
                    for &x in data.get(s..e).unwrap_or(&[]) {
                        emit(x, c as u32);
                    }
                }
            }
        };
        let by_participant = Csr::build(n_pos, part(|m| m.start, |m| m.shared));
        let by_sharee = Csr::build(n_pos, part(|m| m.shared, |m| m.grants));
        let by_grantee = Csr::build(n_pos, part(|m| m.grants, |m| m.folders));
        let by_folder = Csr::build(
            model.workspaces.folders.len(),
            part(|m| m.folders, |_| NONE),
        );
        let bitmap = |v: Vec<u32>| RoaringBitmap::from_sorted_iter(v).unwrap_or_default();

        CompiledCalls {
            ids: model.calls.ids.clone(),
            meta,
            data,
            started,
            owner,
            by_participant,
            by_sharee,
            by_grantee,
            by_folder,
            ws_all: ws_all.into_iter().map(bitmap).collect(),
            ws_open: ws_open.into_iter().map(bitmap).collect(),
            ws_in_folders: ws_in_folders.into_iter().map(bitmap).collect(),
        }
    }

    /// The meta of a live call and the one after it (whose `start` ends its run).
    #[inline]
    pub(crate) fn get(&self, c: CallId) -> Option<(&CallMeta, u32)> {
        let i = c.index() as usize;
        let m = self.meta.get(i)?;
        let end = self.meta.get(i + 1)?.start;
        m.live().then_some((m, end))
    }

    /// `data[from..to]`.
    #[inline]
    pub(crate) fn slice(&self, from: u32, to: u32) -> &[u32] {
        self.data.get(from as usize..to as usize).unwrap_or(&[])
    }

    pub(crate) fn heap_bytes(&self) -> usize {
        let (t, i) = self.ids.heap_bytes();
        let bitmaps: usize = self
            .ws_all
            .iter()
            .chain(&self.ws_open)
            .chain(&self.ws_in_folders)
            .map(|b| b.serialized_size())
            .sum();
        t + i
            + self.meta.capacity() * core::mem::size_of::<CallMeta>()
            + self.data.capacity() * 4
            + self.started.capacity() * 8
            + self.owner.capacity() * 4
            + self.by_participant.heap_bytes()
            + self.by_sharee.heap_bytes()
            + self.by_grantee.heap_bytes()
            + self.by_folder.heap_bytes()
            + bitmaps
    }
}

/// The end of a part: `to(m)`, or the next call's start for the last part (`NONE`).
#[inline]
fn to_end(to: fn(&CallMeta) -> u32, m: &CallMeta, next: &CallMeta) -> u32 {
    match to(m) {
        NONE => next.start,
        e => e,
    }
}
