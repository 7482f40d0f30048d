//! The index tables of the compiled calls: a flat CSR for the index a share never changes
//! (participants), a CSR chunked by row for the ones it does (sharees, grantees, folders),
//! and an append-only arena for the per-call lists.
//!
//! The chunked tables are shared between snapshots chunk by chunk: a commit that edits one
//! call copies the chunks holding what changed and shares every other (see `Chunked` in
//! `crate::org::chunked` for the per-element form of the same idea).

use std::sync::Arc;

/// A CSR index: row `r` is `items[start[r]..start[r + 1]]`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Csr {
    start: Vec<u32>,
    items: Vec<u32>,
}

impl Csr {
    /// Builds `rows` rows from `(row, item)` pairs given by `each` (called twice: count, fill).
    /// Items keep the order `each` yields them in; pairs naming a row past `rows` are left out.
    pub(crate) fn build(rows: usize, each: impl Fn(&mut dyn FnMut(u32, u32))) -> Csr {
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

    pub(crate) fn heap_bytes(&self) -> usize {
        (self.start.capacity() + self.items.capacity()) * 4
    }
}

/// One chunk of a [`RowChunked`]: its row `i` is `items[start[i]..start[i + 1]]`.
#[derive(Debug)]
struct RowChunk {
    start: Box<[u32]>,
    items: Box<[u32]>,
}

impl RowChunk {
    #[inline]
    fn row(&self, i: usize) -> &[u32] {
        match (self.start.get(i), self.start.get(i + 1)) {
            (Some(&s), Some(&e)) => self.items.get(s as usize..e as usize).unwrap_or(&[]),
            _ => &[],
        }
    }
}

/// A CSR index whose rows are grouped in chunks of `1 << bits` rows, each chunk with its
/// own starts and items behind an `Arc`: rewriting a row copies the rows and items of its
/// chunk only, and a clone costs one reference count per chunk. Every row is kept sorted.
#[derive(Clone, Debug, Default)]
pub(crate) struct RowChunked {
    bits: u32,
    rows: usize,
    /// `rows.div_ceil(1 << bits)` chunks; `None` for a chunk whose rows are all empty.
    chunks: Vec<Option<Arc<RowChunk>>>,
}

/// An edit of a [`RowChunked`]: `(row, item, add)` inserts (`add`) or removes `item`.
pub(crate) type RowEdit = (u32, u32, bool);

impl RowChunked {
    /// The rows of `csr` (`rows` of them), in chunks of `1 << bits` rows.
    pub(crate) fn from_csr(csr: &Csr, rows: usize, bits: u32) -> RowChunked {
        let per = 1usize << bits;
        let n_chunks = rows.div_ceil(per);
        let mut chunks = Vec::with_capacity(n_chunks);
        for k in 0..n_chunks {
            let (r0, r1) = (k * per, ((k + 1) * per).min(rows));
            let base = csr.start.get(r0).copied().unwrap_or(0);
            let end = csr.start.get(r1).copied().unwrap_or(0);
            let items = csr.items.get(base as usize..end as usize).unwrap_or(&[]);
            if items.is_empty() {
                chunks.push(None);
                continue;
            }
            let start: Box<[u32]> = (r0..=r1)
                .map(|r| csr.start.get(r).copied().unwrap_or(end) - base)
                .collect();
            chunks.push(Some(Arc::new(RowChunk {
                start,
                items: items.into(),
            })));
        }
        RowChunked { bits, rows, chunks }
    }

    /// `rows` empty rows, in chunks of `1 << bits` rows (no chunk is allocated).
    pub(crate) fn empty(rows: usize, bits: u32) -> RowChunked {
        RowChunked {
            bits,
            rows,
            chunks: vec![None; rows.div_ceil(1 << bits)],
        }
    }

    /// The number of rows.
    pub(crate) fn rows(&self) -> usize {
        self.rows
    }

    /// The items of rows `from..to`, given to `f` as one slice per chunk they fall in.
    #[inline]
    pub(crate) fn rows_each<'a>(&'a self, from: u32, to: u32, mut f: impl FnMut(&'a [u32])) {
        let (from, to) = (from as usize, (to as usize).min(self.rows));
        let per = 1usize << self.bits;
        let mut r = from;
        while r < to {
            let k = r >> self.bits;
            let end = ((k + 1) * per).min(to);
            if let Some(Some(chunk)) = self.chunks.get(k) {
                let (i, j) = (r - k * per, end - k * per);
                if let (Some(&s), Some(&e)) = (chunk.start.get(i), chunk.start.get(j)) {
                    if s < e {
                        f(chunk.items.get(s as usize..e as usize).unwrap_or(&[]));
                    }
                }
            }
            r = end;
        }
    }

    /// Row `r` (empty past the end).
    #[inline]
    pub(crate) fn row(&self, r: u32) -> &[u32] {
        let r = r as usize;
        match self.chunks.get(r >> self.bits) {
            Some(Some(chunk)) => chunk.row(r & ((1 << self.bits) - 1)),
            _ => &[],
        }
    }

    /// Applies `edits` (sorted here; edits of rows past the end are ignored), copying each
    /// chunk an edit falls in once: O(rows and items of the chunks edited).
    pub(crate) fn edit(&mut self, edits: &mut [RowEdit]) {
        edits.sort_unstable();
        let rows = self.rows;
        let mut rest: &[RowEdit] = edits;
        while let Some(&(r, _, _)) = rest.first() {
            if r as usize >= rows {
                break;
            }
            let k = (r as usize) >> self.bits;
            let n = rest
                .iter()
                .take_while(|e| (e.0 as usize) >> self.bits == k && (e.0 as usize) < rows)
                .count();
            let (here, next) = rest.split_at(n);
            self.rebuild(k, here);
            rest = next;
        }
    }

    /// Chunk `k` again with `edits` (all in it, sorted) applied: the rows between edited
    /// ones are copied in runs (their items with one copy, their starts shifted).
    fn rebuild(&mut self, k: usize, edits: &[RowEdit]) {
        let per = 1usize << self.bits;
        let (r0, r1) = (k * per, ((k + 1) * per).min(self.rows));
        let n = r1.saturating_sub(r0);
        let Some(slot) = self.chunks.get_mut(k) else {
            return;
        };
        let old = slot.as_deref();
        let adds = edits.iter().filter(|e| e.2).count();
        let mut start = Vec::with_capacity(n + 1);
        let mut items = Vec::with_capacity(old.map_or(0, |c| c.items.len()) + adds);
        start.push(0u32);
        // Rows before `done` are written.
        let mut done = 0usize;
        let mut rest = edits;
        while let Some(&(r, _, _)) = rest.first() {
            let i = (r as usize).saturating_sub(r0).min(n);
            let m = rest.iter().take_while(|e| e.0 == r).count();
            let (here, next) = rest.split_at(m);
            rest = next;
            if i >= n {
                break;
            }
            copy_rows(old, done, i, &mut start, &mut items);
            let was = old.map_or(&[][..], |c| c.row(i));
            let row_start = items.len();
            let mut at = 0usize;
            for &(_, x, add) in here {
                let keep = was.get(at..).unwrap_or(&[]);
                let below = keep.partition_point(|&y| y < x);
                items.extend_from_slice(keep.get(..below).unwrap_or(&[]));
                at += below;
                if was.get(at) == Some(&x) {
                    at += 1;
                }
                let pushed = items.len() > row_start && items.last() == Some(&x);
                if add && !pushed {
                    items.push(x);
                }
            }
            items.extend_from_slice(was.get(at..).unwrap_or(&[]));
            start.push(items.len() as u32);
            done = i + 1;
        }
        copy_rows(old, done, n, &mut start, &mut items);
        *slot = (!items.is_empty()).then(|| {
            Arc::new(RowChunk {
                start: start.into(),
                items: items.into(),
            })
        });
    }

    /// Heap bytes held (chunks shared with another table are counted in both).
    pub(crate) fn heap_bytes(&self) -> usize {
        self.chunks.capacity() * core::mem::size_of::<Option<Arc<RowChunk>>>()
            + self
                .chunks
                .iter()
                .flatten()
                .map(|c| {
                    16 + core::mem::size_of::<RowChunk>() + (c.start.len() + c.items.len()) * 4
                })
                .sum::<usize>()
    }
}

/// Appends rows `from..to` of `old` (all empty for no chunk) to `start` and `items`.
fn copy_rows(
    old: Option<&RowChunk>,
    from: usize,
    to: usize,
    start: &mut Vec<u32>,
    items: &mut Vec<u32>,
) {
    if from >= to {
        return;
    }
    let base = items.len() as u32;
    let Some(old) = old else {
        start.extend(core::iter::repeat_n(base, to - from));
        return;
    };
    let starts = old.start.get(from..=to).unwrap_or(&[]);
    let (Some(&s), Some(&e)) = (starts.first(), starts.last()) else {
        return;
    };
    items.extend_from_slice(old.items.get(s as usize..e as usize).unwrap_or(&[]));
    start.extend(starts.iter().skip(1).map(|&x| x - s + base));
}

/// Row by row (the chunking may differ).
impl PartialEq for RowChunked {
    fn eq(&self, other: &Self) -> bool {
        self.rows == other.rows && (0..self.rows as u32).all(|r| self.row(r) == other.row(r))
    }
}

/// The participant index: row `p` holds the calls with org position `p` as owner or
/// participant. A whole compile builds the flat `base` (a manager's subtree is one slice of
/// it); a patch that adds a call writes its rows to `added` (chunked, empty after a whole
/// compile, so an add copies a few small chunks), and one that removes a call leaves its
/// rows in `base`: readers keep only live calls (they intersect with the workspace
/// bitmaps), and a removed call comes back only through a whole compile.
#[derive(Clone, Debug, Default)]
pub(crate) struct PartIndex {
    base: Arc<Csr>,
    added: Arc<RowChunked>,
}

/// Rows per chunk of [`PartIndex`]'s added rows.
const ADDED_ROW_BITS: u32 = 12;

impl PartIndex {
    /// `base` (of `rows` rows) and no added rows.
    pub(crate) fn new(base: Csr, rows: usize) -> PartIndex {
        PartIndex {
            base: Arc::new(base),
            added: Arc::new(RowChunked::empty(rows, ADDED_ROW_BITS)),
        }
    }

    /// The number of rows.
    pub(crate) fn rows(&self) -> usize {
        self.added.rows()
    }

    /// The calls of rows `from..to` (possibly removed ones, unordered across slices), given
    /// to `f` as a few slices: the base's, then one per chunk of added rows.
    #[inline]
    pub(crate) fn rows_each<'a>(&'a self, from: u32, to: u32, mut f: impl FnMut(&'a [u32])) {
        let base = self.base.rows(from, to);
        if !base.is_empty() {
            f(base);
        }
        self.added.rows_each(from, to, f);
    }

    /// Adds (or, for `false`, takes out of the added rows) `(row, call)` pairs.
    pub(crate) fn edit_added(&mut self, edits: &mut [RowEdit]) {
        if !edits.is_empty() {
            Arc::make_mut(&mut self.added).edit(edits);
        }
    }

    /// Heap bytes held (parts shared with another index are counted in both).
    pub(crate) fn heap_bytes(&self) -> usize {
        self.base.heap_bytes() + self.added.heap_bytes()
    }
}

/// Items per segment an append writes to (a longer run gets a segment of its own).
pub(crate) const SEG: usize = 4096;
/// Items per segment a whole compile writes: its segments are never copied again (an append
/// finds no room in them), so they are large, and a clone counts few references.
pub(crate) const COMPILE_SEG: usize = 1 << 20;

/// Lists of `u32` in segments behind `Arc`s, append-only: a list never straddles two
/// segments, and appending copies at most the last segment, of at most [`SEG`] items. A
/// list written again is appended, and its old copy stays (garbage) until the next whole
/// compile.
#[derive(Clone, Debug, Default)]
pub(crate) struct Arena {
    segs: Vec<Arc<[u32]>>,
}

impl Arena {
    /// Items `s..e` of segment `seg`.
    #[cfg(test)]
    fn get(&self, seg: u32, s: u32, e: u32) -> &[u32] {
        self.segs
            .get(seg as usize)
            .and_then(|x| x.get(s as usize..e as usize))
            .unwrap_or(&[])
    }

    /// Segment `seg`, whole.
    #[inline]
    pub(crate) fn segment(&self, seg: u32) -> &[u32] {
        self.segs.get(seg as usize).map_or(&[], |s| s)
    }

    /// Appends `fresh` as one run: returns its segment and where in it it starts.
    pub(crate) fn append(&mut self, fresh: &[u32]) -> (u32, u32) {
        let n = self.segs.len();
        if let Some(last) = self.segs.last_mut() {
            if last.len() + fresh.len() <= SEG {
                let base = last.len();
                let mut grown = Vec::with_capacity(base + fresh.len());
                grown.extend_from_slice(last);
                grown.extend_from_slice(fresh);
                *last = Arc::from(grown);
                return ((n - 1) as u32, base as u32);
            }
        }
        self.segs.push(Arc::from(fresh));
        (n as u32, 0)
    }

    /// Heap bytes held (segments shared with another arena are counted in both).
    pub(crate) fn heap_bytes(&self) -> usize {
        self.segs.capacity() * core::mem::size_of::<Arc<[u32]>>()
            + self.segs.iter().map(|s| 16 + s.len() * 4).sum::<usize>()
    }
}

/// Writes an [`Arena`] list by list (a whole compile).
#[derive(Debug, Default)]
pub(crate) struct ArenaWriter {
    segs: Vec<Arc<[u32]>>,
    cur: Vec<u32>,
}

impl ArenaWriter {
    /// Writes `list`: returns its segment and where in it it starts.
    pub(crate) fn put(&mut self, list: &[u32]) -> (u32, u32) {
        if !self.cur.is_empty() && self.cur.len() + list.len() > COMPILE_SEG {
            self.segs.push(Arc::from(core::mem::take(&mut self.cur)));
        }
        let at = (self.segs.len() as u32, self.cur.len() as u32);
        self.cur.extend_from_slice(list);
        at
    }

    pub(crate) fn finish(mut self) -> Arena {
        if !self.cur.is_empty() {
            self.segs.push(Arc::from(self.cur));
        }
        Arena { segs: self.segs }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows_of(t: &RowChunked) -> Vec<Vec<u32>> {
        (0..t.rows() as u32).map(|r| t.row(r).to_vec()).collect()
    }

    #[test]
    fn an_edit_rebuilds_only_the_chunk_of_its_row() {
        let pairs = [(0u32, 5u32), (0, 7), (3, 1), (9, 2), (9, 4)];
        let csr = Csr::build(11, |emit| {
            for &(r, x) in &pairs {
                emit(r, x);
            }
        });
        let a = RowChunked::from_csr(&csr, 11, 2);
        assert_eq!(a.chunks.len(), 3);
        assert!(a.chunks.get(1).unwrap().is_none());
        assert_eq!(a.row(0), [5, 7]);
        assert_eq!(a.row(9), [2, 4]);
        assert_eq!(a.row(11), [] as [u32; 0]);
        let mut b = a.clone();
        b.edit(&mut [
            (0, 6, true),
            (0, 5, false),
            (9, 4, false),
            (9, 2, false),
            (20, 1, true),
        ]);
        assert_eq!(b.row(0), [6, 7]);
        assert_eq!(b.row(9), [] as [u32; 0]);
        assert!(b.chunks.get(2).unwrap().is_none());
        assert_eq!(rows_of(&a).get(9).unwrap(), &[2, 4]);
        b.edit(&mut [(5, 3, true), (5, 1, true), (5, 3, true)]);
        assert_eq!(b.row(5), [1, 3]);
        assert!((0..3).all(|i| !same_chunk(&a, &b, i)));
        let mut c = a.clone();
        c.edit(&mut [(4, 9, true)]);
        assert!(same_chunk(&a, &c, 0) && same_chunk(&a, &c, 2));
        assert_eq!(c.row(4), [9]);
    }

    fn same_chunk(a: &RowChunked, b: &RowChunked, i: usize) -> bool {
        match (a.chunks.get(i).unwrap(), b.chunks.get(i).unwrap()) {
            (Some(x), Some(y)) => Arc::ptr_eq(x, y),
            (None, None) => true,
            _ => false,
        }
    }

    #[test]
    fn the_arena_keeps_each_list_in_one_segment() {
        let mut w = ArenaWriter::default();
        let long: Vec<u32> = (0..COMPILE_SEG as u32 + 3).collect();
        let a = w.put(&[1, 2, 3]);
        let b = w.put(&long);
        let c = w.put(&[4]);
        let mut arena = w.finish();
        assert_eq!(a, (0, 0));
        assert_eq!(b, (1, 0));
        assert_eq!(c, (2, 0));
        assert_eq!(arena.get(0, 0, 3), [1, 2, 3]);
        assert_eq!(arena.get(1, 0, long.len() as u32), long.as_slice());
        let shared = arena.clone();
        assert_eq!(arena.append(&[8, 9]), (2, 1));
        assert_eq!(arena.get(2, 0, 3), [4, 8, 9]);
        assert_eq!(shared.segment(2), [4]);
        let run: Vec<u32> = (0..SEG as u32).collect();
        assert_eq!(arena.append(&run), (3, 0));
        assert_eq!(arena.append(&[7]), (4, 0));
        assert_eq!(arena.get(9, 0, 1), [] as [u32; 0]);
    }
}
