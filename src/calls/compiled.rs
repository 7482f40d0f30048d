//! Calls, compiled into compact tables.
//!
//! Per call, one 32-byte, cache-line-aligned [`CallRec`] holding its workspace, flags and up
//! to four participant positions (org-chart preorder, owner included, sorted); longer lists
//! live in `data`. The lists most calls lack (sharees, grantees, folders) sit in an arena
//! reached only through the record's `extras` location. Per (workspace, user), a 16-byte
//! [`ViewerEntry`] holds the viewer's `callsAccess` reach already resolved to one position
//! range. A check is thus two random loads (and one load of a chunk pointer, which stays
//! in cache). Inverted indexes map an org position to the calls that user takes part in (or
//! was shared, or granted), and a folder to its calls; as the org is numbered in preorder,
//! the calls with a participant in a manager's subtree are one contiguous slice of the
//! participant index.
//!
//! A commit that shares, grants, files or hides a few calls patches these tables
//! ([`CompiledCalls::patch`]): the records and the sharee, grantee and folder indexes are
//! chunked, the per-call lists sit in an append-only arena, and what such
//! an edit never changes is behind `Arc`s, so the new tables share every chunk the edit does
//! not write to.

use std::sync::Arc;

use roaring::RoaringBitmap;
use smallvec::SmallVec;

use crate::calls::CallId;
use crate::calls::store::{CallStore, StoredCall};
use crate::calls::tables::{Arena, ArenaWriter, COMPILE_SEG, Csr, PartIndex, RowChunked, RowEdit};
use crate::id::{DenseId, Interner, NONE, UserId};
use crate::org::chunked::Chunked;
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
    /// Where in `data` all participant positions start when `n_parts > INLINE` (a segment
    /// and an offset, as [`extras_at`] writes them).
    more: u32,
    /// Where the call's lists start in the extras arena (see [`extras_at`]), `NONE` when the
    /// call has no sharee, grantee or folder.
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

/// Bits of `CallRec::extras` for the offset in the arena segment; the others number the
/// segment. A whole compile puts a list at an offset below [`COMPILE_SEG`] or alone at 0,
/// and a patch appends at most that many items, so offsets fit.
const AT_BITS: u32 = 20;
/// Segments `CallRec::extras` can name (the last value is `NONE`).
const MAX_SEGS: u32 = (NONE >> AT_BITS) - 1;

/// The `CallRec::extras` of a list at `at` in segment `seg`; `None` past what it can name.
fn extras_at(seg: u32, at: u32) -> Option<u32> {
    (seg < MAX_SEGS && at < 1 << AT_BITS).then_some(seg << AT_BITS | at)
}

/// A call's sharee positions, grantee positions and folder ids (each sorted).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Extras<'a> {
    pub(crate) sharees: &'a [u32],
    pub(crate) grantees: &'a [u32],
    pub(crate) folders: &'a [u32],
}

/// Calls, compiled.
///
/// A clone is cheap, so that a commit editing a few calls copies only what it changes: the
/// tables a share, grant, folder or privacy edit leaves alone sit behind `Arc`s, and the
/// ones it changes are chunked (records and the sharee, grantee and folder indexes),
/// append-only (the extras arena) or per workspace (the bitmaps), each part behind its own
/// `Arc`.
#[derive(Clone, Debug, Default)]
pub(crate) struct CompiledCalls {
    pub(crate) ids: Interner<CallId>,
    /// By dense call id.
    pub(crate) recs: Chunked<CallRec>,
    /// Participant lists longer than [`INLINE`] (append-only, as the extras).
    data: Arena,
    /// Per call with extras, at its record's `extras`: the numbers of sharees, grantees and
    /// folders, then the sharee positions, the grantee positions and the folder ids. A call
    /// whose lists change gets them written again at the end (the old copy stays unused
    /// until the next whole compile).
    extra_data: Arena,
    /// Start time of each call, Unix seconds. (The per-call columns are chunked for a call
    /// added or removed, and behind one more `Arc` so that a commit that writes none of them
    /// shares each with one reference count, not one per chunk.)
    pub(crate) started: Arc<Chunked<i64>>,
    /// Owner's dense user id of each call (`NONE` for an ownerless call).
    pub(crate) owner: Arc<Chunked<u32>>,
    /// Owner's org position of each call (`NONE` when removed).
    pub(crate) owner_pos: Arc<Chunked<u32>>,
    /// Org position → calls with that user as owner or participant (see [`PartIndex`]: a
    /// row may still hold calls a patch removed).
    pub(crate) by_participant: PartIndex,
    /// Calls a patch removed whose rows are still in `by_participant`'s base: adding one of
    /// them again takes a whole compile.
    stale: Arc<RoaringBitmap>,
    /// Org position → calls shared with that user, ascending. (Each index behind one more
    /// `Arc`, so that a commit that leaves it alone shares it whole.)
    pub(crate) by_sharee: Arc<RowChunked>,
    /// Org position → calls granted to that user, ascending.
    pub(crate) by_grantee: Arc<RowChunked>,
    /// Folder → calls in it, ascending.
    pub(crate) by_folder: Arc<RowChunked>,
    /// Per workspace: all live calls.
    ws_all: Vec<Arc<RoaringBitmap>>,
    /// Per workspace: live calls that are not private.
    ws_open: Vec<Arc<RoaringBitmap>>,
    /// Per workspace: live, non-private calls with at least one active participant (owner
    /// included): what level `all` reaches. A call whose participants were all removed is
    /// reached by no scope.
    ws_peopled: Vec<Arc<RoaringBitmap>>,
    /// Per workspace: live, non-private calls in at least one folder.
    ws_in_folders: Vec<Arc<RoaringBitmap>>,
}

/// Rows per chunk of the sharee and grantee indexes (org positions).
const POS_ROW_BITS: u32 = 12;
/// Rows per chunk of the folder index: one folder each, as a folder may hold many calls.
const FOLDER_ROW_BITS: u32 = 0;

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

/// The call's participant positions (owner `opos` included), sorted, into `parts`.
fn participants(
    call: &StoredCall,
    opos: u32,
    pos_of: impl Fn(UserId) -> Option<u32>,
    buf: &mut SmallVec<[u32; 8]>,
    parts: &mut Vec<u32>,
) {
    parts.clear();
    if opos != NONE {
        buf.push(opos);
    }
    buf.extend(call.participants.iter().filter_map(|&u| pos_of(u)));
    push_sorted(parts, buf);
}

/// Numbers of sharees, grantees and folders before a call's lists in the arena.
const HEADER: usize = 3;

/// The call's lists as the arena holds them into `out`: the numbers of sharees, grantees
/// and folders, then the sharee positions, grantee positions and folder ids, each sorted;
/// `out` is left empty for a call without any.
fn extra_lists(
    call: &StoredCall,
    pos_of: impl Fn(UserId) -> Option<u32>,
    buf: &mut SmallVec<[u32; 8]>,
    out: &mut Vec<u32>,
) {
    out.clear();
    out.extend([0; HEADER]);
    let mut lens = [0u32; HEADER];
    for (i, len) in lens.iter_mut().enumerate() {
        match i {
            0 => buf.extend(call.shared().iter().filter_map(|&u| pos_of(u))),
            1 => buf.extend(call.grants().iter().filter_map(|&u| pos_of(u))),
            _ => buf.extend(call.folders().iter().map(|f| f.index())),
        }
        let before = out.len();
        push_sorted(out, buf);
        *len = (out.len() - before) as u32;
    }
    if out.len() == HEADER {
        out.clear();
    } else if let Some(head) = out.get_mut(..HEADER) {
        head.copy_from_slice(&lens);
    }
}

/// The lists of one call from its run in the arena (`extra_lists`' layout).
#[inline]
fn split_lists(run: &[u32]) -> Extras<'_> {
    let (Some(&ns), Some(&ng), Some(&nf)) = (run.first(), run.get(1), run.get(2)) else {
        return Extras::default();
    };
    let (s, g, f) = (HEADER, HEADER + ns as usize, HEADER + (ns + ng) as usize);
    let end = f + nf as usize;
    Extras {
        sharees: run.get(s..g).unwrap_or(&[]),
        grantees: run.get(g..f).unwrap_or(&[]),
        folders: run.get(f..end).unwrap_or(&[]),
    }
}

/// `(row, call, add)` edits turning the rows of `was` into those of `now` (both sorted).
fn diff_rows(was: &[u32], now: &[u32], c: u32, edits: &mut Vec<RowEdit>) {
    let (mut i, mut j) = (0, 0);
    loop {
        match (was.get(i), now.get(j)) {
            (Some(&a), Some(&b)) if a == b => {
                i += 1;
                j += 1;
            }
            (Some(&a), Some(&b)) if a < b => {
                edits.push((a, c, false));
                i += 1;
            }
            (_, Some(&b)) => {
                edits.push((b, c, true));
                j += 1;
            }
            (Some(&a), None) => {
                edits.push((a, c, false));
                i += 1;
            }
            (None, None) => break,
        }
    }
}

/// Inserts (`on`) or removes call `c` in the bitmap of workspace `w`, copying it first when
/// another snapshot shares it.
fn toggle(bitmaps: &mut [Arc<RoaringBitmap>], w: usize, c: u32, on: bool) {
    if let Some(b) = bitmaps.get_mut(w) {
        let b = Arc::make_mut(b);
        if on {
            b.insert(c);
        } else {
            b.remove(c);
        }
    }
}

impl CompiledCalls {
    pub(crate) fn compile(store: &CallStore, org: &CompiledOrg) -> CompiledCalls {
        let calls = store.calls.slots();
        let tree = &org.tree;
        let n = calls.len();
        let n_ws = org.workspaces.len();
        let pos_of = |u: UserId| tree.node(u).map(|n| n.pos);

        let mut recs = Vec::with_capacity(n);
        let mut data = ArenaWriter::default();
        let mut arena = ArenaWriter::default();
        // Each call with extras, and where its lists start.
        let mut extra_call: Vec<(u32, u32)> = Vec::new();
        let mut started = Vec::with_capacity(n);
        let mut owner = Vec::with_capacity(n);
        let mut owner_pos = Vec::with_capacity(n);
        let mut ws_all: Vec<Vec<u32>> = vec![Vec::new(); n_ws];
        let mut ws_open: Vec<Vec<u32>> = vec![Vec::new(); n_ws];
        let mut ws_peopled: Vec<Vec<u32>> = vec![Vec::new(); n_ws];
        let mut ws_in_folders: Vec<Vec<u32>> = vec![Vec::new(); n_ws];
        let mut buf: SmallVec<[u32; 8]> = SmallVec::new();
        let mut parts: Vec<u32> = Vec::new();
        let mut lists: Vec<u32> = Vec::new();
        for (c, call) in calls.iter().enumerate() {
            let Some(call) = call.as_ref().filter(|s| s.workspace.index() < n_ws as u32) else {
                recs.push(CallRec::DEAD);
                started.push(0);
                owner.push(NONE);
                owner_pos.push(NONE);
                continue;
            };
            let opos = call.owner.and_then(pos_of).unwrap_or(NONE);
            participants(call, opos, pos_of, &mut buf, &mut parts);
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
                let (seg, at) = data.put(&parts);
                // Past what a record can name (2^31 items): the call opens to no participant.
                rec.more = extras_at(seg, at).unwrap_or(NONE);
            }
            extra_lists(call, pos_of, &mut buf, &mut lists);
            let in_folders = !split_lists(&lists).folders.is_empty();
            if !lists.is_empty() {
                let (seg, at) = arena.put(&lists);
                // Past what a record can name (2^31 list items): the lists are left out.
                rec.extras = extras_at(seg, at).unwrap_or(NONE);
                extra_call.push((c as u32, rec.extras));
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
                if in_folders {
                    if let Some(v) = ws_in_folders.get_mut(w) {
                        v.push(c);
                    }
                }
            }
        }

        let arena = arena.finish();
        let data = data.finish();
        let n_pos = tree.len() as usize;
        let each_extra = |part: usize| {
            let (arena, extra_call) = (&arena, &extra_call);
            move |emit: &mut dyn FnMut(u32, u32)| {
                // Only the calls with extras, in call order.
                for &(c, at) in extra_call {
                    let lists = lists_at(arena, at);
                    let list = match part {
                        0 => lists.sharees,
                        1 => lists.grantees,
                        _ => lists.folders,
                    };
                    for &x in list {
                        emit(x, c);
                    }
                }
            }
        };
        let by_participant = Csr::build(n_pos, |emit| {
            for (c, rec) in recs.iter().enumerate() {
                for &p in parts_of(&data, rec) {
                    emit(p, c as u32);
                }
            }
        });
        let chunked = |rows: usize, bits: u32, part: usize| {
            Arc::new(RowChunked::from_csr(
                &Csr::build(rows, each_extra(part)),
                rows,
                bits,
            ))
        };
        let by_sharee = chunked(n_pos, POS_ROW_BITS, 0);
        let by_grantee = chunked(n_pos, POS_ROW_BITS, 1);
        let by_folder = chunked(org.folders.len(), FOLDER_ROW_BITS, 2);
        let bitmap = |v: Vec<u32>| RoaringBitmap::from_sorted_iter(v).unwrap_or_default();
        let shared = |v: Vec<Vec<u32>>| v.into_iter().map(|v| Arc::new(bitmap(v))).collect();
        CompiledCalls {
            ids: store.calls.ids().clone(),
            recs: Chunked::from_vec(recs),
            data,
            extra_data: arena,
            started: Arc::new(Chunked::from_vec(started)),
            owner: Arc::new(Chunked::from_vec(owner)),
            owner_pos: Arc::new(Chunked::from_vec(owner_pos)),
            by_participant: PartIndex::new(by_participant, n_pos),
            stale: Arc::default(),
            by_sharee,
            by_grantee,
            by_folder,
            ws_all: shared(ws_all),
            ws_open: shared(ws_open),
            ws_peopled: shared(ws_peopled),
            ws_in_folders: shared(ws_in_folders),
        }
    }

    /// The calls compiled again at `touched` (calls added, removed, or whose sharees,
    /// grantees, folders or privacy changed in `store`) over `self`, compiled from the store
    /// before over the same org; `None` when it must be compiled whole.
    ///
    /// Each touched call's compiled form is computed again from the store (no operation is
    /// replayed) and compared with the one in `self`: the sharee, grantee and folder rows it
    /// left or joined are rebuilt (one chunk each), its lists appended to the arena and its
    /// record written (one chunk), and the workspace bitmaps its privacy or folders moved it
    /// in or out of copied and edited. A call added (past the end, or in a removed call's
    /// slot) is written the same way, its long participant list appended to `data` and its
    /// participant rows to the index's added rows; a call removed gets a dead record and
    /// leaves every row but the participant index's base (see [`PartIndex`]). Calls past the
    /// end of `self` are compiled whether `touched` names them or not. Everything else is
    /// shared with `self`. O(touched calls' lists + the chunks they fall in + one bitmap per
    /// workspace set that changed).
    ///
    /// `None` (a whole compile) for what these tables cannot take cheaply: a call removed by
    /// an earlier patch added again (its rows are still in the participant index); a live
    /// call whose owner, participants, workspace or start time differ (the participant index
    /// and the per-call columns are only appended to); an org of another shape (positions,
    /// folders or workspaces); or lists a record cannot point to (more than 2^20 items
    /// written at once, or an arena grown to 4,094 segments, each of some hundreds of
    /// one-call commits' lists: the whole compile then also drops the lists no record uses).
    pub(crate) fn patch(
        &self,
        store: &CallStore,
        org: &CompiledOrg,
        touched: &[CallId],
    ) -> Option<CompiledCalls> {
        let calls = store.calls.slots();
        let tree = &org.tree;
        let n_ws = org.workspaces.len();
        let n_old = self.recs.len();
        if calls.len() < n_old
            || n_ws != self.ws_all.len()
            || tree.len() as usize != self.by_sharee.rows()
            || tree.len() as usize != self.by_participant.rows()
            || org.folders.len() != self.by_folder.rows()
        {
            return None;
        }
        let pos_of = |u: UserId| tree.node(u).map(|n| n.pos);
        let mut touched = touched.to_vec();
        touched.extend((n_old..calls.len()).map(|c| CallId::from_index(c as u32)));
        touched.sort_unstable();
        touched.dedup();

        let mut out = self.clone();
        out.ids = store.calls.ids().clone();
        if calls.len() > n_old {
            out.recs.resize(calls.len(), CallRec::DEAD);
            Arc::make_mut(&mut out.started).resize(calls.len(), 0);
            Arc::make_mut(&mut out.owner).resize(calls.len(), NONE);
            Arc::make_mut(&mut out.owner_pos).resize(calls.len(), NONE);
        }
        let mut part_edits: Vec<RowEdit> = Vec::new();
        let mut sharee_edits: Vec<RowEdit> = Vec::new();
        let mut grantee_edits: Vec<RowEdit> = Vec::new();
        let mut folder_edits: Vec<RowEdit> = Vec::new();
        // The lists of the calls written again, one run for the arena; per call, where in
        // the run its lists start (its record is written first, without them). The same
        // for the long participant lists of the calls added.
        let mut fresh: Vec<u32> = Vec::new();
        let mut placed: Vec<(usize, u32)> = Vec::new();
        let mut fresh_parts: Vec<u32> = Vec::new();
        let mut placed_parts: Vec<(usize, u32)> = Vec::new();
        let mut killed: Vec<u32> = Vec::new();
        let mut buf: SmallVec<[u32; 8]> = SmallVec::new();
        let mut parts: Vec<u32> = Vec::new();
        let mut lists: Vec<u32> = Vec::new();
        for c in touched {
            let ci = c.index() as usize;
            let cu = c.index();
            let old = *out.recs.get(ci)?;
            let call = calls
                .get(ci)?
                .as_ref()
                .filter(|s| s.workspace.index() < n_ws as u32);
            let Some(call) = call else {
                if !old.live() {
                    continue;
                }
                // Removed: out of every row but the participant base, and every bitmap.
                let was = self.lists(&old);
                diff_rows(was.sharees, &[], cu, &mut sharee_edits);
                diff_rows(was.grantees, &[], cu, &mut grantee_edits);
                diff_rows(was.folders, &[], cu, &mut folder_edits);
                let old_parts = self.parts(&old);
                part_edits.extend(old_parts.iter().map(|&p| (p, cu, false)));
                let wi = old.workspace() as usize;
                toggle(&mut out.ws_all, wi, cu, false);
                if !old.private() {
                    toggle(&mut out.ws_open, wi, cu, false);
                    if !old_parts.is_empty() {
                        toggle(&mut out.ws_peopled, wi, cu, false);
                    }
                    if !was.folders.is_empty() {
                        toggle(&mut out.ws_in_folders, wi, cu, false);
                    }
                }
                out.recs.set(ci, CallRec::DEAD);
                Arc::make_mut(&mut out.started).set(ci, 0);
                Arc::make_mut(&mut out.owner).set(ci, NONE);
                Arc::make_mut(&mut out.owner_pos).set(ci, NONE);
                killed.push(cu);
                continue;
            };
            let opos = call.owner.and_then(pos_of).unwrap_or(NONE);
            participants(call, opos, pos_of, &mut buf, &mut parts);
            let w = call.workspace.index();
            let wi = w as usize;
            extra_lists(call, pos_of, &mut buf, &mut lists);
            let now = split_lists(&lists);
            let mut rec = if old.live() {
                if old.workspace() != w
                    || self.parts(&old) != parts.as_slice()
                    || self.owner_pos.get(ci) != Some(&opos)
                    || self.owner.get(ci) != Some(&call.owner.map_or(NONE, |o| o.index()))
                    || self.started.get(ci) != Some(&call.started)
                {
                    return None;
                }
                let was = self.lists(&old);
                if was == now && old.private() == call.private {
                    continue;
                }
                diff_rows(was.sharees, now.sharees, cu, &mut sharee_edits);
                diff_rows(was.grantees, now.grantees, cu, &mut grantee_edits);
                diff_rows(was.folders, now.folders, cu, &mut folder_edits);
                let (open_was, open_now) = (!old.private(), !call.private);
                if open_was != open_now {
                    toggle(&mut out.ws_open, wi, cu, open_now);
                    if !parts.is_empty() {
                        toggle(&mut out.ws_peopled, wi, cu, open_now);
                    }
                }
                let in_was = open_was && !was.folders.is_empty();
                let in_now = open_now && !now.folders.is_empty();
                if in_was != in_now {
                    toggle(&mut out.ws_in_folders, wi, cu, in_now);
                }
                old
            } else {
                // Added: a call removed by an earlier patch still has rows in the base.
                if self.stale.contains(cu) {
                    return None;
                }
                let mut rec = CallRec {
                    n_parts: parts.len() as u32,
                    ..CallRec::DEAD
                };
                if parts.len() <= INLINE {
                    for (slot, &p) in rec.parts.iter_mut().zip(&parts) {
                        *slot = p;
                    }
                } else {
                    placed_parts.push((ci, fresh_parts.len() as u32));
                    fresh_parts.extend_from_slice(&parts);
                }
                part_edits.extend(parts.iter().map(|&p| (p, cu, true)));
                diff_rows(&[], now.sharees, cu, &mut sharee_edits);
                diff_rows(&[], now.grantees, cu, &mut grantee_edits);
                diff_rows(&[], now.folders, cu, &mut folder_edits);
                toggle(&mut out.ws_all, wi, cu, true);
                if !call.private {
                    toggle(&mut out.ws_open, wi, cu, true);
                    if !parts.is_empty() {
                        toggle(&mut out.ws_peopled, wi, cu, true);
                    }
                    if !now.folders.is_empty() {
                        toggle(&mut out.ws_in_folders, wi, cu, true);
                    }
                }
                Arc::make_mut(&mut out.started).set(ci, call.started);
                Arc::make_mut(&mut out.owner).set(ci, call.owner.map_or(NONE, |o| o.index()));
                Arc::make_mut(&mut out.owner_pos).set(ci, opos);
                rec
            };
            rec.ws = w | if call.private { PRIVATE } else { 0 };
            rec.extras = NONE;
            out.recs.set(ci, rec);
            if !lists.is_empty() {
                placed.push((ci, fresh.len() as u32));
                fresh.extend_from_slice(&lists);
            }
        }
        // A run longer than a record can point into, or an arena with as many segments as
        // records can name: a whole compile (which also drops the unused lists).
        for (arena, run, at_of, field) in [
            (&mut out.extra_data, &fresh, &placed, 0),
            (&mut out.data, &fresh_parts, &placed_parts, 1),
        ] {
            if run.is_empty() {
                continue;
            }
            if run.len() > COMPILE_SEG {
                return None;
            }
            let (seg, base) = arena.append(run);
            for &(ci, at) in at_of {
                let rec = out.recs.get_mut(ci)?;
                let to = extras_at(seg, base + at)?;
                if field == 0 {
                    rec.extras = to;
                } else {
                    rec.more = to;
                }
            }
        }
        for (index, edits) in [
            (&mut out.by_sharee, &mut sharee_edits),
            (&mut out.by_grantee, &mut grantee_edits),
            (&mut out.by_folder, &mut folder_edits),
        ] {
            if !edits.is_empty() {
                Arc::make_mut(index).edit(edits);
            }
        }
        out.by_participant.edit_added(&mut part_edits);
        if !killed.is_empty() {
            Arc::make_mut(&mut out.stale).extend(killed);
        }
        Some(out)
    }

    /// Whether no call was ever added (the viewer table is then left empty).
    pub(crate) fn is_empty(&self) -> bool {
        self.recs.len() == 0
    }

    /// The record of a live call.
    #[inline]
    pub(crate) fn get(&self, c: CallId) -> Option<&CallRec> {
        self.recs.get(c.index() as usize).filter(|r| r.live())
    }

    /// Participant positions (owner included), sorted.
    #[inline]
    pub(crate) fn parts<'a>(&'a self, rec: &'a CallRec) -> &'a [u32] {
        parts_of(&self.data, rec)
    }

    /// The sharee positions, grantee positions and folder ids of a call (all empty for a
    /// call without extras).
    #[inline]
    pub(crate) fn lists(&self, rec: &CallRec) -> Extras<'_> {
        lists_at(&self.extra_data, rec.extras)
    }

    /// Part 0 (sharee positions), 1 (grantee positions) or 2 (folder ids) of the extras.
    #[inline]
    pub(crate) fn extra(&self, rec: &CallRec, part: usize) -> &[u32] {
        let lists = self.lists(rec);
        match part {
            0 => lists.sharees,
            1 => lists.grantees,
            2 => lists.folders,
            _ => &[],
        }
    }

    /// All live calls of workspace `w`.
    #[inline]
    pub(crate) fn ws_all(&self, w: usize) -> Option<&RoaringBitmap> {
        self.ws_all.get(w).map(|b| &**b)
    }

    /// The live calls of workspace `w` that are not private.
    #[inline]
    pub(crate) fn ws_open(&self, w: usize) -> Option<&RoaringBitmap> {
        self.ws_open.get(w).map(|b| &**b)
    }

    /// The live, non-private calls of workspace `w` with a participant: what level `all`
    /// reaches.
    #[inline]
    pub(crate) fn ws_peopled(&self, w: usize) -> Option<&RoaringBitmap> {
        self.ws_peopled.get(w).map(|b| &**b)
    }

    /// Whether [`ws_peopled`](Self::ws_peopled) of `w` is the same set in `self` and
    /// `other` (one pointer comparison when a patch shared it).
    pub(crate) fn same_peopled(&self, other: &CompiledCalls, w: usize) -> bool {
        match (self.ws_peopled.get(w), other.ws_peopled.get(w)) {
            (Some(a), Some(b)) => Arc::ptr_eq(a, b) || a == b,
            (a, b) => a.is_none() && b.is_none(),
        }
    }

    /// The live, non-private calls of workspace `w` in at least one folder.
    #[inline]
    pub(crate) fn ws_in_folders(&self, w: usize) -> Option<&RoaringBitmap> {
        self.ws_in_folders.get(w).map(|b| &**b)
    }

    /// Heap bytes held, split into (id text, everything else). Parts shared with another
    /// snapshot (after a patch) are counted in both.
    pub(crate) fn heap_bytes(&self) -> (usize, usize) {
        let (t, i) = self.ids.heap_bytes();
        let bitmaps: usize = self
            .ws_all
            .iter()
            .map(|b| &**b)
            .chain(self.ws_open.iter().map(|b| &**b))
            .chain(self.ws_peopled.iter().map(|b| &**b))
            .chain(self.ws_in_folders.iter().map(|b| &**b))
            .map(|b| b.serialized_size())
            .sum();
        let index = i
            + self.recs.heap_bytes()
            + self.data.heap_bytes()
            + self.extra_data.heap_bytes()
            + self.started.heap_bytes()
            + self.owner.heap_bytes()
            + self.owner_pos.heap_bytes()
            + self.stale.serialized_size()
            + self.by_participant.heap_bytes()
            + self.by_sharee.heap_bytes()
            + self.by_grantee.heap_bytes()
            + self.by_folder.heap_bytes()
            + bitmaps;
        (t, index)
    }
}

/// The lists of the call whose `CallRec::extras` is `at` (all empty for `NONE`).
#[inline]
fn lists_at(arena: &Arena, at: u32) -> Extras<'_> {
    if at == NONE {
        return Extras::default();
    }
    let seg = arena.segment(at >> AT_BITS);
    split_lists(
        seg.get((at & ((1 << AT_BITS) - 1)) as usize..)
            .unwrap_or(&[]),
    )
}

/// Participant positions of `rec` (owner included), sorted; `data` holds the long lists.
#[inline]
fn parts_of<'a>(data: &'a Arena, rec: &'a CallRec) -> &'a [u32] {
    let n = rec.n_parts as usize;
    if n <= INLINE {
        rec.parts.get(..n).unwrap_or(&[])
    } else {
        let s = (rec.more & ((1 << AT_BITS) - 1)) as usize;
        data.segment(rec.more >> AT_BITS)
            .get(s..s + n)
            .unwrap_or(&[])
    }
}

#[cfg(test)]
impl CompiledCalls {
    /// The live calls of participant row `r`, sorted (as readers see it).
    fn live_part_row(&self, r: u32) -> Vec<u32> {
        let mut v = Vec::new();
        self.by_participant
            .rows_each(r, r + 1, |s| v.extend_from_slice(s));
        v.retain(|&c| self.get(CallId::from_index(c)).is_some());
        v.sort_unstable();
        v
    }
}

/// The same tables, as readers see them: per call its record (but for where its lists are
/// kept), participants and lists, the per-call columns, every index row (the participant
/// rows' live calls) and every bitmap.
#[cfg(test)]
impl PartialEq for CompiledCalls {
    fn eq(&self, o: &Self) -> bool {
        let n = self.recs.len();
        let same_call = |i: usize| match (self.recs.get(i), o.recs.get(i)) {
            (Some(a), Some(b)) => {
                a.ws == b.ws
                    && self.parts(a) == o.parts(b)
                    && (a.extras == NONE) == (b.extras == NONE)
                    && self.lists(a) == o.lists(b)
            }
            _ => false,
        };
        n == o.recs.len()
            && (0..n).all(same_call)
            && self.started == o.started
            && self.owner == o.owner
            && self.owner_pos == o.owner_pos
            && (0..self.by_participant.rows() as u32)
                .all(|r| self.live_part_row(r) == o.live_part_row(r))
            && self.by_sharee == o.by_sharee
            && self.by_grantee == o.by_grantee
            && self.by_folder == o.by_folder
            && self.ws_all == o.ws_all
            && self.ws_open == o.ws_open
            && self.ws_peopled == o.ws_peopled
            && self.ws_in_folders == o.ws_in_folders
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::calls::CallSpec;
    use crate::calls::store::CallsMut;
    use crate::id::WorkspaceId;
    use crate::org::directory::Directory;
    use crate::org::workspace::Workspaces;

    const USERS: usize = 9;
    const CALLS: usize = 14;

    /// What the calls are compiled from (the calls layer sits below the model).
    #[derive(Clone)]
    struct Fixture {
        dir: Directory,
        workspaces: Workspaces,
        calls: Arc<CallStore>,
    }

    impl Fixture {
        fn calls_mut(&mut self) -> CallsMut<'_> {
            CallsMut {
                calls: Arc::make_mut(&mut self.calls),
                dir: &self.dir,
                workspaces: &self.workspaces,
            }
        }

        fn org(&self) -> CompiledOrg {
            CompiledOrg::compile(&self.dir, &self.workspaces)
        }
    }

    /// Nine users in a tree, a second workspace, three folders, and calls with inline and
    /// long participant lists, private or not, with and without extras, in both workspaces.
    fn fixture() -> Fixture {
        let mut workspaces = Workspaces::new("default").unwrap();
        let w2 = workspaces.add("w2").unwrap();
        workspaces.add_folder("f0", WorkspaceId::DEFAULT).unwrap();
        workspaces.add_folder("f1", WorkspaceId::DEFAULT).unwrap();
        workspaces.add_folder("g0", w2).unwrap();
        let mut dir = Directory::default();
        for (i, mgr) in [
            None,
            Some(0),
            Some(0),
            Some(1),
            Some(1),
            Some(2),
            Some(5),
            None,
            Some(7),
        ]
        .into_iter()
        .enumerate()
        {
            let mgr = mgr.map(|j: usize| format!("u{j}"));
            dir.add(&format!("u{i}"), mgr.as_deref()).unwrap();
        }
        let mut f = Fixture {
            dir,
            workspaces,
            calls: Arc::default(),
        };
        for c in 0..CALLS {
            let owner = format!("u{}", c % USERS);
            let mut spec = CallSpec::new(format!("c{c}"), owner).private(c % 4 == 1);
            spec.participants = (0..c % 7)
                .map(|k| format!("u{}", (c + k) % USERS))
                .collect();
            if c % 3 == 0 {
                spec.shared_with = vec![format!("u{}", (c + 2) % USERS)];
            }
            if c % 5 == 0 {
                spec.grants = vec![format!("u{}", (c + 3) % USERS)];
            }
            if c % 6 == 2 {
                spec = spec.in_workspace("w2").in_folders(["g0"]);
            } else if c % 4 == 0 {
                spec.folders = vec!["f1".into()];
            }
            f.calls_mut().add_call(spec).unwrap();
        }
        f
    }

    /// xorshift64*: a fixed sequence of edits.
    struct Rng(u64);

    impl Rng {
        fn below(&mut self, n: usize) -> usize {
            self.0 ^= self.0 >> 12;
            self.0 ^= self.0 << 25;
            self.0 ^= self.0 >> 27;
            (self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 33) as usize % n
        }
    }

    /// Ids of the calls the edits add and remove: the fixture's and as many new ones.
    const NAMES: usize = 2 * CALLS;

    /// A call with up to six participants (longer lists than a record holds), sharees,
    /// grants and folders, in either workspace.
    fn random_call(id: &str, rng: &mut Rng) -> CallSpec {
        let u = |rng: &mut Rng| format!("u{}", rng.below(USERS));
        let mut spec = CallSpec::new(id, u(rng)).private(rng.below(3) == 0);
        spec.participants = (0..rng.below(7)).map(|_| u(rng)).collect();
        spec.shared_with = (0..rng.below(3)).map(|_| u(rng)).collect();
        spec.grants = (0..rng.below(2)).map(|_| u(rng)).collect();
        if rng.below(3) == 0 {
            spec.in_workspace("w2")
                .in_folders((0..rng.below(2)).map(|_| "g0"))
        } else {
            let folders = ["f0", "f1"];
            spec.in_folders((0..rng.below(3)).map(|_| folders[rng.below(2)]))
        }
    }

    /// One random edit: a share, grant, folder or privacy edit, or a call added or removed;
    /// the call it names, when it applied.
    fn edit(f: &mut Fixture, rng: &mut Rng) -> Option<CallId> {
        let c = format!("c{}", rng.below(NAMES));
        let u = format!("u{}", rng.below(USERS));
        let folder = ["f0", "f1", "g0"][rng.below(3)];
        let spec = random_call(&c, rng);
        let mut calls = f.calls_mut();
        let done = match rng.below(10) {
            7 => calls.remove_call(&c).is_ok(),
            8 | 9 => calls.add_call(spec).is_ok(),
            0 => calls.share_call(&c, &u).is_ok(),
            1 => calls.unshare_call(&c, &u).is_ok(),
            2 => calls.grant_call(&c, &u).is_ok(),
            3 => calls.revoke_call_grant(&c, &u).is_ok(),
            4 => calls.add_call_to_folder(&c, folder).is_ok(),
            5 => calls.remove_call_from_folder(&c, folder).is_ok(),
            _ => calls.set_call_private(&c, rng.below(2) == 0).is_ok(),
        };
        done.then(|| f.calls.calls.ids().get(&c)).flatten()
    }

    #[test]
    fn patching_after_edits_gives_the_tables_of_a_fresh_compile() {
        let mut f = fixture();
        let org = f.org();
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
        let mut prev = CompiledCalls::compile(&f.calls, &org);
        let (mut edits, mut patched, mut refused, mut garbage) = (0, 0, 0, false);
        for step in 0..600 {
            let before = Arc::clone(&f.calls);
            // Calls a patch removed since the last whole compile, live before the step.
            let stale: Vec<CallId> = prev
                .stale
                .iter()
                .map(CallId::from_index)
                .filter(|&c| before.get(c).is_none())
                .collect();
            let mut touched = Vec::new();
            for _ in 0..1 + rng.below(3) {
                touched.extend(edit(&mut f, &mut rng));
            }
            edits += touched.len();
            // A touched call named twice, and one left alone, change nothing.
            touched.extend(touched.first().copied());
            touched.push(CallId::from_index(rng.below(CALLS) as u32));
            let fresh = CompiledCalls::compile(&f.calls, &org);
            // Only a call a patch removed and that is live again is refused.
            let revived = stale.iter().any(|&c| f.calls.get(c).is_some());
            let Some(next) = prev.patch(&f.calls, &org, &touched) else {
                assert!(revived, "step {step}: refused");
                refused += 1;
                prev = fresh;
                continue;
            };
            assert!(!revived, "step {step}: a removed call's rows came back");
            assert!(next == fresh, "step {step}: {next:#?}\n!=\n{fresh:#?}");
            // The tables patched from are left as they were (every write copied first).
            assert!(prev == CompiledCalls::compile(&before, &org), "step {step}");
            // Lists were written again (their old copies stay until a whole compile).
            garbage |= next.extra_data.heap_bytes() > fresh.extra_data.heap_bytes();
            prev = next;
            patched += 1;
        }
        assert!(
            edits > 600 && patched > 400 && refused > 0,
            "{patched} {refused}"
        );
        assert!(garbage && prev.recs.len() == NAMES);
    }

    #[test]
    fn a_patch_refuses_what_only_a_whole_compile_follows() {
        let mut f = fixture();
        let org = f.org();
        let prev = CompiledCalls::compile(&f.calls, &org);
        assert!(prev.patch(&f.calls, &org, &[]).is_some());
        // A user taken off their calls: participants changed.
        let mut gone = f.clone();
        Arc::make_mut(&mut gone.calls).forget_user(UserId::from_index(3));
        let touched: Vec<CallId> = (0..CALLS as u32).map(CallId::from_index).collect();
        assert!(prev.patch(&gone.calls, &org, &touched).is_none());
        // A call removed and added again with other participants in one step.
        let mut again = f.clone();
        again.calls_mut().remove_call("c4").unwrap();
        again
            .calls_mut()
            .add_call(CallSpec::new("c4", "u8"))
            .unwrap();
        let c4 = f.calls.calls.ids().get("c4").unwrap();
        assert!(prev.patch(&again.calls, &org, &[c4]).is_none());
        // A call removed by a patch, then added again over that patch.
        f.calls_mut().remove_call("c4").unwrap();
        let next = prev.patch(&f.calls, &org, &[c4]).unwrap();
        f.calls_mut().add_call(CallSpec::new("c4", "u1")).unwrap();
        assert!(next.patch(&f.calls, &org, &[c4]).is_none());
        // A call added is compiled even when not named.
        f.calls_mut().add_call(CallSpec::new("c99", "u1")).unwrap();
        let fresh = CompiledCalls::compile(&f.calls, &org);
        assert!(fresh.patch(&f.calls, &org, &[]).unwrap() == fresh);
        let before = fresh.clone();
        f.calls_mut().add_call(CallSpec::new("c100", "u2")).unwrap();
        let next = before.patch(&f.calls, &org, &[]).unwrap();
        assert!(next == CompiledCalls::compile(&f.calls, &org));
    }
}
