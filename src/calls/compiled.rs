//! Calls, compiled into flat arrays.
//!
//! Per call, one 32-byte, cache-line-aligned [`CallRec`] holding its workspace, flags and up
//! to four participant positions (org-chart preorder, owner included, sorted); longer lists
//! live in `data`. The lists most calls lack (sharees, grantees, folders) sit in a side
//! table reached only through the record's `extras` index. Per (workspace, user), a 16-byte
//! [`ViewerEntry`] holds the viewer's `callsAccess` reach already resolved to one position
//! range. A check is thus two random loads. Inverted indexes map an org position to the
//! calls that user takes part in (or was shared, or granted), and a folder to its calls; as
//! the org is numbered in preorder, the calls with a participant in a manager's subtree are
//! one contiguous slice of the participant index.

use roaring::RoaringBitmap;
use smallvec::SmallVec;

use crate::calls::CallId;
use crate::calls::store::CallStore;
use crate::id::{DenseId, Interner, NONE, UserId};
use crate::org::compiled::CompiledOrg;

/// `CallRec::ws` bit of a private call.
pub(crate) const PRIVATE: u32 = 1 << 31;
/// Participants stored in the record itself.
const INLINE: usize = 4;

/// One compiled call.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(C, align(32))]
pub(crate) struct CallRec {
    /// Workspace index, with [`PRIVATE`]; `NONE` for a removed call.
    pub(crate) ws: u32,
    /// Number of participant positions.
    n_parts: u32,
    /// The first participant positions (all of them when `n_parts <= INLINE`).
    parts: [u32; INLINE],
    /// Start in `data` of all participant positions when `n_parts > INLINE`.
    more: u32,
    /// Index into `extras`, `NONE` when the call has no sharee, grantee or folder.
    pub(crate) extras: u32,
}

impl CallRec {
    const DEAD: CallRec = CallRec {
        ws: NONE,
        n_parts: 0,
        parts: [NONE; INLINE],
        more: 0,
        extras: NONE,
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

/// A viewer's resolved `callsAccess` reach in one workspace: positions
/// `[lo, lo + width)`, plus the lead intervals of the profile when `profile` has [`LEADS`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(C, align(16))]
pub(crate) struct ViewerEntry {
    pub(crate) pos: u32,
    pub(crate) lo: u32,
    pub(crate) width: u32,
    /// Dense profile id, with [`LEADS`]; `NONE` for no profile (or an inactive user).
    pub(crate) profile: u32,
}

/// `ViewerEntry::profile` bit: the reach also covers the profile's lead intervals.
pub(crate) const LEADS: u32 = 1 << 31;

impl Default for ViewerEntry {
    fn default() -> Self {
        ViewerEntry::NOBODY
    }
}

impl ViewerEntry {
    pub(crate) const NOBODY: ViewerEntry = ViewerEntry {
        pos: NONE,
        lo: 0,
        width: 0,
        profile: NONE,
    };
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
        let mut total = 0usize;
        each(&mut |r, _| {
            if let Some(c) = start.get_mut(r as usize + 1) {
                *c += 1;
                total += 1;
            }
        });
        if total == 0 {
            // No rows hold anything: keep no per-row table (every row reads as empty).
            return Csr::default();
        }
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
    /// By dense call id.
    pub(crate) recs: Vec<CallRec>,
    /// Participant lists longer than [`INLINE`].
    data: Vec<u32>,
    /// Per call with extras: starts of its sharees, grantees and folders in `extra_data`,
    /// and the end.
    extras: Vec<[u32; 4]>,
    extra_data: Vec<u32>,
    /// The call of each `extras` entry.
    extra_call: Vec<u32>,
    /// Start time of each call, Unix seconds.
    pub(crate) started: Vec<i64>,
    /// Owner's dense user id of each call (`NONE` for an ownerless call).
    pub(crate) owner: Vec<u32>,
    /// Owner's org position of each call (`NONE` when removed).
    pub(crate) owner_pos: Vec<u32>,
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
    /// Per workspace: live, non-private calls with at least one active participant (owner
    /// included): what level `all` reaches. A call whose participants were all removed is
    /// reached by no scope.
    pub(crate) ws_peopled: Vec<RoaringBitmap>,
    /// Per workspace: live, non-private calls in at least one folder.
    pub(crate) ws_in_folders: Vec<RoaringBitmap>,
}

/// Pushes the sorted, deduplicated contents of `buf` to `out`, emptying `buf`.
fn push_sorted(out: &mut Vec<u32>, buf: &mut SmallVec<[u32; 8]>) {
    buf.sort_unstable();
    let mut last = NONE;
    for &x in buf.iter() {
        if x != last {
            out.push(x);
            last = x;
        }
    }
    buf.clear();
}

impl CompiledCalls {
    pub(crate) fn compile(store: &CallStore, org: &CompiledOrg) -> CompiledCalls {
        let calls = store.calls.slots();
        let tree = &org.tree;
        let n = calls.len();
        let n_ws = org.workspaces.len();
        let pos_of = |u: UserId| tree.node(u).map(|n| n.pos);

        let mut recs = Vec::with_capacity(n);
        let mut data: Vec<u32> = Vec::new();
        let mut extras: Vec<[u32; 4]> = Vec::new();
        let mut extra_data: Vec<u32> = Vec::new();
        let mut extra_call: Vec<u32> = Vec::new();
        let mut started = Vec::with_capacity(n);
        let mut owner = Vec::with_capacity(n);
        let mut owner_pos = Vec::with_capacity(n);
        let mut ws_all: Vec<Vec<u32>> = vec![Vec::new(); n_ws];
        let mut ws_open: Vec<Vec<u32>> = vec![Vec::new(); n_ws];
        let mut ws_peopled: Vec<Vec<u32>> = vec![Vec::new(); n_ws];
        let mut ws_in_folders: Vec<Vec<u32>> = vec![Vec::new(); n_ws];
        let mut buf: SmallVec<[u32; 8]> = SmallVec::new();
        let mut parts: Vec<u32> = Vec::new();
        for (c, call) in calls.iter().enumerate() {
            let Some(call) = call.as_ref().filter(|s| s.workspace.index() < n_ws as u32) else {
                recs.push(CallRec::DEAD);
                started.push(0);
                owner.push(NONE);
                owner_pos.push(NONE);
                continue;
            };
            let opos = call.owner.and_then(pos_of).unwrap_or(NONE);
            if opos != NONE {
                buf.push(opos);
            }
            buf.extend(call.participants.iter().filter_map(|&u| pos_of(u)));
            parts.clear();
            push_sorted(&mut parts, &mut buf);
            let mut rec = CallRec {
                ws: call.workspace.index() | if call.private { PRIVATE } else { 0 },
                n_parts: parts.len() as u32,
                ..CallRec::DEAD
            };
            if parts.len() <= INLINE {
                for (slot, &p) in rec.parts.iter_mut().zip(&parts) {
                    *slot = p;
                }
            } else {
                rec.more = data.len() as u32;
                data.extend_from_slice(&parts);
            }
            let (shared, grants, folders) = (call.shared(), call.grants(), call.folders());
            if !(shared.is_empty() && grants.is_empty() && folders.is_empty()) {
                let s = extra_data.len() as u32;
                buf.extend(shared.iter().filter_map(|&u| pos_of(u)));
                push_sorted(&mut extra_data, &mut buf);
                let g = extra_data.len() as u32;
                buf.extend(grants.iter().filter_map(|&u| pos_of(u)));
                push_sorted(&mut extra_data, &mut buf);
                let f = extra_data.len() as u32;
                extra_data.extend(folders.iter().map(|f| f.index()));
                rec.extras = extras.len() as u32;
                extras.push([s, g, f, extra_data.len() as u32]);
                extra_call.push(c as u32);
            }
            recs.push(rec);
            started.push(call.started);
            owner.push(call.owner.map_or(NONE, |o| o.index()));
            owner_pos.push(opos);
            let c = c as u32;
            let w = call.workspace.index() as usize;
            if let Some(v) = ws_all.get_mut(w) {
                v.push(c);
            }
            if !call.private {
                if let Some(v) = ws_open.get_mut(w) {
                    v.push(c);
                }
                if !parts.is_empty() {
                    if let Some(v) = ws_peopled.get_mut(w) {
                        v.push(c);
                    }
                }
                if !folders.is_empty() {
                    if let Some(v) = ws_in_folders.get_mut(w) {
                        v.push(c);
                    }
                }
            }
        }

        let mut out = CompiledCalls {
            ids: store.calls.ids().clone(),
            recs,
            data,
            extras,
            extra_data,
            extra_call,
            started,
            owner,
            owner_pos,
            ..CompiledCalls::default()
        };
        let n_pos = tree.len() as usize;
        let this = &out;
        let each_extra = |part: usize| {
            move |emit: &mut dyn FnMut(u32, u32)| {
                // Only the calls with extras, in call order.
                for (e, &c) in this.extras.iter().zip(&this.extra_call) {
                    let (Some(&s), Some(&t)) = (e.get(part), e.get(part + 1)) else {
                        continue;
                    };
                    for &x in this.extra_data.get(s as usize..t as usize).unwrap_or(&[]) {
                        emit(x, c);
                    }
                }
            }
        };
        let by_participant = Csr::build(n_pos, |emit| {
            for (c, rec) in this.recs.iter().enumerate() {
                for &p in this.parts(rec) {
                    emit(p, c as u32);
                }
            }
        });
        let by_sharee = Csr::build(n_pos, each_extra(0));
        let by_grantee = Csr::build(n_pos, each_extra(1));
        let by_folder = Csr::build(org.folders.len(), each_extra(2));
        out.by_participant = by_participant;
        out.by_sharee = by_sharee;
        out.by_grantee = by_grantee;
        out.by_folder = by_folder;
        let bitmap = |v: Vec<u32>| RoaringBitmap::from_sorted_iter(v).unwrap_or_default();
        out.ws_all = ws_all.into_iter().map(bitmap).collect();
        out.ws_open = ws_open.into_iter().map(bitmap).collect();
        out.ws_peopled = ws_peopled.into_iter().map(bitmap).collect();
        out.ws_in_folders = ws_in_folders.into_iter().map(bitmap).collect();
        out
    }

    /// The calls compiled again at `touched` (calls whose sharees, grantees, folders or
    /// privacy changed in `store`) over `self`, compiled from the store before; `None` when
    /// it must be compiled whole.
    pub(crate) fn patch(
        &self,
        store: &CallStore,
        org: &CompiledOrg,
        touched: &[CallId],
    ) -> Option<CompiledCalls> {
        let _ = (store, org, touched);
        None
    }

    /// Whether no call was ever added (the viewer table is then left empty).
    pub(crate) fn is_empty(&self) -> bool {
        self.recs.is_empty()
    }

    /// The record of a live call.
    #[inline]
    pub(crate) fn get(&self, c: CallId) -> Option<&CallRec> {
        self.recs.get(c.index() as usize).filter(|r| r.live())
    }

    /// Participant positions (owner included), sorted.
    #[inline]
    pub(crate) fn parts<'a>(&'a self, rec: &'a CallRec) -> &'a [u32] {
        let n = rec.n_parts as usize;
        if n <= INLINE {
            rec.parts.get(..n).unwrap_or(&[])
        } else {
            let s = rec.more as usize;
            self.data.get(s..s + n).unwrap_or(&[])
        }
    }

    /// Part 0 (sharee positions), 1 (grantee positions) or 2 (folder ids) of the extras.
    #[inline]
    pub(crate) fn extra(&self, rec: &CallRec, part: usize) -> &[u32] {
        let Some(e) = self.extras.get(rec.extras as usize) else {
            return &[];
        };
        match (e.get(part), e.get(part + 1)) {
            (Some(&s), Some(&t)) => self.extra_data.get(s as usize..t as usize).unwrap_or(&[]),
            _ => &[],
        }
    }

    /// Heap bytes held, split into (id text, everything else).
    pub(crate) fn heap_bytes(&self) -> (usize, usize) {
        let (t, i) = self.ids.heap_bytes();
        let bitmaps: usize = self
            .ws_all
            .iter()
            .chain(&self.ws_open)
            .chain(&self.ws_peopled)
            .chain(&self.ws_in_folders)
            .map(|b| b.serialized_size())
            .sum();
        let index = i
            + self.recs.capacity() * core::mem::size_of::<CallRec>()
            + self.data.capacity() * 4
            + self.extras.capacity() * 16
            + (self.extra_data.capacity() + self.extra_call.capacity()) * 4
            + self.started.capacity() * 8
            + (self.owner.capacity() + self.owner_pos.capacity()) * 4
            + self.by_participant.heap_bytes()
            + self.by_sharee.heap_bytes()
            + self.by_grantee.heap_bytes()
            + self.by_folder.heap_bytes()
            + bitmaps;
        (t, index)
    }
}
