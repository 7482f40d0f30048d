//! The shapes that let one compiled roles layer be patched from the previous one in
//! O(what changed): tables that only grow ([`Appended`]), per-user rows in shared chunks
//! ([`Rows`]) and intern indexes that hold only ids ([`Index`]).
//!
//! Each is cheap to clone (a few reference counts) and copies, on a write, only the part it
//! writes to.

use core::hash::Hash;
use std::sync::Arc;

use hashbrown::{DefaultHashBuilder, HashTable};

/// Bytes the appended tail may reach before it is folded into the base.
const TAIL_BYTES: usize = 64 << 10;

/// A table that only grows: a shared base and the elements appended since it was sealed,
/// both behind `Arc`s. A read of the base is a bounds test and a load, as on a slice; a read
/// past it goes to the tail. Appending copies the tail when another table shares it, so the
/// tail is kept short: [`settle`](Appended::settle) folds it into the base once it outgrows
/// [`TAIL_BYTES`].
#[derive(Clone, Debug)]
pub(crate) struct Appended<T> {
    base: Arc<[T]>,
    tail: Arc<Vec<T>>,
}

impl<T> Default for Appended<T> {
    fn default() -> Self {
        Appended {
            base: Arc::from(Vec::new()),
            tail: Arc::default(),
        }
    }
}

impl<T: Clone> Appended<T> {
    /// The elements of `v`, as the base.
    pub(crate) fn from_vec(v: Vec<T>) -> Self {
        Appended {
            base: v.into(),
            tail: Arc::default(),
        }
    }

    /// The number of elements.
    #[inline]
    pub(crate) fn len(&self) -> usize {
        self.base.len() + self.tail.len()
    }

    /// Element `i`.
    #[inline(always)]
    pub(crate) fn get(&self, i: usize) -> Option<&T> {
        match self.base.get(i) {
            Some(x) => Some(x),
            None => self.tail.get(i - self.base.len()),
        }
    }

    /// Elements `start..end`, which were appended together (so they are all in the base or
    /// all in the tail); empty when out of range.
    #[inline(always)]
    pub(crate) fn slice(&self, start: usize, end: usize) -> &[T] {
        let b = self.base.len();
        if end <= b {
            return self.base.get(start..end).unwrap_or(&[]);
        }
        match (start.checked_sub(b), end.checked_sub(b)) {
            (Some(s), Some(e)) => self.tail.get(s..e).unwrap_or(&[]),
            _ => &[],
        }
    }

    /// Appends `xs` (copying the tail first when another table shares it).
    pub(crate) fn extend_from_slice(&mut self, xs: &[T]) {
        Arc::make_mut(&mut self.tail).extend_from_slice(xs);
    }

    /// Appends `x`.
    pub(crate) fn push(&mut self, x: T) {
        Arc::make_mut(&mut self.tail).push(x);
    }

    /// Folds the tail into the base once it outgrows [`TAIL_BYTES`].
    pub(crate) fn settle(&mut self) {
        if self.tail.len() * core::mem::size_of::<T>() > TAIL_BYTES {
            self.seal();
        }
    }

    /// Folds the tail into the base.
    pub(crate) fn seal(&mut self) {
        if self.tail.is_empty() {
            return;
        }
        self.base = self.base.iter().chain(self.tail.iter()).cloned().collect();
        self.tail = Arc::default();
    }

    /// Replaces elements `(index, value)` (an index out of range is skipped), folding the
    /// tail into a new base: O(len), once for all the changes; nothing is copied when there
    /// are none.
    pub(crate) fn replace(&mut self, changes: Vec<(usize, T)>) {
        if changes.is_empty() {
            return;
        }
        let mut all: Vec<T> = self.iter().cloned().collect();
        for (i, x) in changes {
            if let Some(slot) = all.get_mut(i) {
                *slot = x;
            }
        }
        self.base = all.into();
        self.tail = Arc::default();
    }

    /// The elements in order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = &T> + '_ {
        self.base.iter().chain(self.tail.iter())
    }

    /// Heap bytes held (a base shared with another table is counted in both).
    pub(crate) fn heap_bytes(&self) -> usize {
        (self.base.len() + self.tail.capacity()) * core::mem::size_of::<T>()
    }
}

/// Rows per chunk of [`Rows`]: 1,024.
const ROW_BITS: u32 = 10;
const ROWS: usize = 1 << ROW_BITS;

/// Compressed rows of one chunk: row `j` is `items[start[j]..start[j + 1]]`; no offsets
/// when no row of the chunk holds anything.
#[derive(Clone, Debug)]
struct RowChunk<T> {
    start: Vec<u32>,
    items: Vec<T>,
}

impl<T> Default for RowChunk<T> {
    fn default() -> Self {
        RowChunk {
            start: Vec::new(),
            items: Vec::new(),
        }
    }
}

impl<T: Copy> RowChunk<T> {
    fn row(&self, j: usize) -> &[T] {
        let (Some(&s), Some(&e)) = (self.start.get(j), self.start.get(j + 1)) else {
            return &[];
        };
        self.items.get(s as usize..e as usize).unwrap_or(&[])
    }
}

/// Variable-length rows by dense id, compressed per chunk of [`ROWS`] rows, each chunk
/// behind its own `Arc`: replacing a row copies its chunk only. Chunks without any item
/// share one empty chunk.
#[derive(Clone, Debug)]
pub(crate) struct Rows<T> {
    chunks: Vec<Arc<RowChunk<T>>>,
    len: usize,
}

impl<T> Default for Rows<T> {
    fn default() -> Self {
        Rows {
            chunks: Vec::new(),
            len: 0,
        }
    }
}

impl<T: Copy + PartialEq> Rows<T> {
    /// The rows `row(0..len)`.
    pub(crate) fn build<'a>(len: usize, mut row: impl FnMut(usize) -> &'a [T]) -> Rows<T>
    where
        T: 'a,
    {
        let empty = Arc::new(RowChunk::default());
        let mut chunks = Vec::with_capacity(len.div_ceil(ROWS));
        let mut at = 0;
        while at < len {
            let n = ROWS.min(len - at);
            let mut chunk = RowChunk {
                start: Vec::with_capacity(n + 1),
                items: Vec::new(),
            };
            chunk.start.push(0);
            for i in at..at + n {
                chunk.items.extend_from_slice(row(i));
                chunk.start.push(chunk.items.len() as u32);
            }
            chunks.push(if chunk.items.is_empty() {
                Arc::clone(&empty)
            } else {
                Arc::new(chunk)
            });
            at += n;
        }
        Rows { chunks, len }
    }

    /// Row `i`; empty when out of range.
    #[inline]
    pub(crate) fn row(&self, i: usize) -> &[T] {
        self.chunks
            .get(i >> ROW_BITS)
            .map_or(&[], |c| c.row(i & (ROWS - 1)))
    }

    /// Replaces row `i` (when in range), copying its chunk.
    pub(crate) fn set_row(&mut self, i: usize, new: &[T]) {
        if self.row(i) == new {
            return;
        }
        let k = i >> ROW_BITS;
        let n = ROWS.min(self.len.saturating_sub(k << ROW_BITS));
        let Some(chunk) = self.chunks.get_mut(k) else {
            return;
        };
        let j = i & (ROWS - 1);
        let mut out = RowChunk {
            start: Vec::with_capacity(n + 1),
            items: Vec::with_capacity(chunk.items.len() + new.len()),
        };
        out.start.push(0);
        for r in 0..n {
            out.items
                .extend_from_slice(if r == j { new } else { chunk.row(r) });
            out.start.push(out.items.len() as u32);
        }
        if out.items.is_empty() {
            out = RowChunk::default();
        }
        *chunk = Arc::new(out);
    }

    /// Heap bytes held (chunks shared with another table are counted in both).
    pub(crate) fn heap_bytes(&self) -> usize {
        self.chunks.capacity() * core::mem::size_of::<usize>()
            + self
                .chunks
                .iter()
                .map(|c| c.start.capacity() * 4 + c.items.capacity() * core::mem::size_of::<T>())
                .sum::<usize>()
    }
}

/// An intern index that holds only ids: the keys are the rows of a table the caller keeps
/// (a combination's grants, a bitset row), hashed with this index's hasher.
#[derive(Clone, Default)]
pub(crate) struct Index {
    hasher: DefaultHashBuilder,
    table: HashTable<u32>,
}

impl core::fmt::Debug for Index {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Index")
            .field("len", &self.table.len())
            .finish()
    }
}

impl Index {
    /// The hash of a key.
    pub(crate) fn hash<K: Hash + ?Sized>(&self, key: &K) -> u64 {
        use core::hash::BuildHasher;
        self.hasher.hash_one(key)
    }

    /// The id of the key with this hash that `is` accepts.
    pub(crate) fn find(&self, hash: u64, mut is: impl FnMut(u32) -> bool) -> Option<u32> {
        self.table.find(hash, |&id| is(id)).copied()
    }

    /// Adds `id` (whose key is new) under `hash`; `key` gives the key of an id already
    /// held, to hash again when the table grows.
    pub(crate) fn insert<K: Hash>(&mut self, hash: u64, id: u32, key: impl Fn(u32) -> K) {
        use core::hash::BuildHasher;
        let hasher = &self.hasher;
        self.table
            .insert_unique(hash, id, |&k| hasher.hash_one(key(k)));
    }

    /// Heap bytes held: an id and a control byte per bucket.
    pub(crate) fn heap_bytes(&self) -> usize {
        self.table.capacity() * 5
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_appended_table_reads_across_base_and_tail() {
        let mut t: Appended<u32> = Appended::default();
        t.extend_from_slice(&[1, 2, 3]);
        t.seal();
        let shared = t.clone();
        t.extend_from_slice(&[4, 5]);
        assert_eq!((t.len(), shared.len()), (5, 3));
        assert_eq!((t.get(2), t.get(3), t.get(5)), (Some(&3), Some(&4), None));
        assert_eq!(t.slice(3, 5), [4, 5]);
        assert_eq!(t.slice(0, 2), [1, 2]);
        assert_eq!(t.slice(2, 4), [] as [u32; 0]);
        assert_eq!(shared.get(3), None);
        t.seal();
        assert_eq!(t.iter().copied().collect::<Vec<_>>(), [1, 2, 3, 4, 5]);
    }

    #[test]
    fn replacing_a_row_copies_only_its_chunk() {
        let rows: Vec<Vec<u32>> = (0..3 * ROWS + 7)
            .map(|i| if i % 5 == 0 { vec![i as u32] } else { vec![] })
            .collect();
        let a = Rows::build(rows.len(), |i| rows[i].as_slice());
        let mut b = a.clone();
        b.set_row(ROWS + 2, &[7, 8]);
        assert_eq!(b.row(ROWS + 2), [7, 8]);
        assert_eq!(a.row(ROWS + 2), [] as [u32; 0]);
        for i in (0..rows.len()).filter(|&i| i != ROWS + 2) {
            assert_eq!(b.row(i), rows[i].as_slice());
        }
        assert!(Arc::ptr_eq(&a.chunks[0], &b.chunks[0]));
        assert!(!Arc::ptr_eq(&a.chunks[1], &b.chunks[1]));
        b.set_row(3 * ROWS + 6, &[1]);
        assert_eq!(b.row(3 * ROWS + 6), [1]);
        b.set_row(9 * ROWS, &[1]);
        assert_eq!(b.row(9 * ROWS), [] as [u32; 0]);
        // Chunks without rows share one empty chunk.
        let e = Rows::<u32>::build(3 * ROWS, |_| &[]);
        assert!(Arc::ptr_eq(&e.chunks[0], &e.chunks[2]) && e.heap_bytes() < 64);
    }
}
