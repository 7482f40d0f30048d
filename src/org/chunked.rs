//! A vector stored in fixed-size chunks, each behind its own `Arc`: the large per-user and
//! per-call tables of a snapshot, so that the next snapshot shares every chunk an edit does
//! not touch and copies only the ones it does (copy-on-write per chunk).
//!
//! A read costs one more load than a flat slice (the chunk's pointer, from a table of
//! `len / CHUNK` pointers that stays in cache); a clone costs one reference count per
//! chunk; a write to a shared chunk copies that chunk, `CHUNK` elements.

use std::sync::Arc;

/// Elements per chunk, a power of two: 4,096 (16 KiB of `u32`, 64 KiB of 16-byte entries).
pub(crate) const CHUNK_BITS: u32 = 12;
const CHUNK: usize = 1 << CHUNK_BITS;
const MASK: usize = CHUNK - 1;

/// A vector of `T` in shared chunks of [`CHUNK`] elements (the last one shorter).
#[derive(Clone, Debug)]
pub(crate) struct Chunked<T> {
    chunks: Vec<Arc<[T]>>,
    len: usize,
}

impl<T> Default for Chunked<T> {
    fn default() -> Self {
        Chunked {
            chunks: Vec::new(),
            len: 0,
        }
    }
}

impl<T: Clone> Chunked<T> {
    /// The elements of `v`, chunked.
    pub(crate) fn from_vec(v: Vec<T>) -> Self {
        let len = v.len();
        let chunks = v.chunks(CHUNK).map(Arc::from).collect();
        Chunked { chunks, len }
    }

    /// `len` copies of `fill`.
    pub(crate) fn filled(len: usize, fill: T) -> Self {
        let mut chunks = Vec::with_capacity(len.div_ceil(CHUNK));
        let mut left = len;
        while left > 0 {
            let n = left.min(CHUNK);
            chunks.push(Arc::from(vec![fill.clone(); n]));
            left -= n;
        }
        Chunked { chunks, len }
    }

    /// The number of elements.
    #[inline]
    pub(crate) fn len(&self) -> usize {
        self.len
    }

    /// Element `i`.
    #[inline(always)]
    pub(crate) fn get(&self, i: usize) -> Option<&T> {
        self.chunks.get(i >> CHUNK_BITS)?.get(i & MASK)
    }

    /// Element `i` to write, copying its chunk first when another table shares it.
    pub(crate) fn get_mut(&mut self, i: usize) -> Option<&mut T> {
        let chunk = self.chunks.get_mut(i >> CHUNK_BITS)?;
        if Arc::get_mut(chunk).is_none() {
            *chunk = Arc::from(chunk.as_ref());
        }
        Arc::get_mut(chunk)?.get_mut(i & MASK)
    }

    /// Sets element `i`; returns whether it exists.
    pub(crate) fn set(&mut self, i: usize, x: T) -> bool {
        match self.get_mut(i) {
            Some(slot) => {
                *slot = x;
                true
            }
            None => false,
        }
    }

    /// Grows to `len` elements with copies of `fill` (no-op when already that long): the
    /// last chunk is copied once, then whole chunks are filled, so growing by k costs
    /// O(k + one chunk), not a chunk copy per element.
    pub(crate) fn resize(&mut self, len: usize, fill: T) {
        if let Some(last) = self.chunks.last_mut().filter(|c| c.len() < CHUNK) {
            let room = (CHUNK - last.len()).min(len.saturating_sub(self.len));
            if room > 0 {
                let mut grown = Vec::with_capacity(last.len() + room);
                grown.extend_from_slice(last);
                grown.resize(last.len() + room, fill.clone());
                *last = Arc::from(grown);
                self.len += room;
            }
        }
        while self.len < len {
            let take = (len - self.len).min(CHUNK);
            self.chunks.push(Arc::from(vec![fill.clone(); take]));
            self.len += take;
        }
    }

    /// Whether chunk `k` is the same allocation in both (shared, not copied).
    #[cfg(test)]
    pub(crate) fn shares_chunk(&self, other: &Self, k: usize) -> bool {
        matches!((self.chunks.get(k), other.chunks.get(k)), (Some(a), Some(b)) if Arc::ptr_eq(a, b))
    }

    /// The elements in order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = &T> + '_ {
        self.chunks.iter().flat_map(|c| c.iter())
    }

    /// Heap bytes held (chunks shared with another table are counted in both).
    pub(crate) fn heap_bytes(&self) -> usize {
        self.chunks.capacity() * core::mem::size_of::<Arc<[T]>>()
            + self.len * core::mem::size_of::<T>()
    }
}

impl<T: PartialEq> PartialEq for Chunked<T> {
    fn eq(&self, other: &Self) -> bool {
        self.len == other.len
            && self
                .chunks
                .iter()
                .zip(&other.chunks)
                .all(|(a, b)| Arc::ptr_eq(a, b) || a.as_ref() == b.as_ref())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_write_copies_only_the_chunk_it_touches() {
        let a = Chunked::from_vec((0..3 * CHUNK as u32 + 5).collect());
        let mut b = a.clone();
        assert!(b.set(CHUNK + 7, 99));
        assert_eq!(b.get(CHUNK + 7), Some(&99));
        assert_eq!(a.get(CHUNK + 7), Some(&(CHUNK as u32 + 7)));
        let same = |i: usize| Arc::ptr_eq(a.chunks.get(i).unwrap(), b.chunks.get(i).unwrap());
        assert!(same(0) && !same(1) && same(2) && same(3));
        assert_eq!(b.get(3 * CHUNK + 5), None);
        assert!(!b.set(3 * CHUNK + 5, 1));
    }

    #[test]
    fn resize_copies_only_the_last_chunk_it_grows() {
        let mut v = Chunked::filled(CHUNK - 1, 0u8);
        let shared = v.clone();
        v.resize(CHUNK + 1, 2);
        assert_eq!(v.len(), CHUNK + 1);
        assert_eq!(v.get(CHUNK - 1), Some(&2));
        assert_eq!(v.get(CHUNK), Some(&2));
        assert_eq!(shared.len(), CHUNK - 1);
        assert_eq!(shared.get(CHUNK - 2), Some(&0));
        v.resize(CHUNK + 3, 7);
        assert_eq!(v.iter().copied().skip(CHUNK).collect::<Vec<_>>(), [2, 7, 7]);
        assert!(v != shared);
        assert!(Chunked::from_vec(vec![1, 2]) == Chunked::from_vec(vec![1, 2]));
    }

    #[test]
    fn resize_fills_the_last_chunk_then_whole_new_ones() {
        let mut v = Chunked::from_vec((0..CHUNK as u32 - 2).collect());
        let shared = v.clone();
        v.resize(2 * CHUNK + 1, 7);
        assert_eq!(v.len(), 2 * CHUNK + 1);
        assert!(
            v.iter()
                .copied()
                .eq((0..CHUNK as u32 - 2).chain(core::iter::repeat_n(7, CHUNK + 3)))
        );
        assert_eq!(v.chunks.len(), 3);
        assert_eq!(shared.len(), CHUNK - 2);
        v.resize(3, 9);
        assert_eq!(v.len(), 2 * CHUNK + 1);
        let mut e = Chunked::default();
        e.resize(2, 1u8);
        assert!(e == Chunked::from_vec(vec![1, 1]));
        assert!(Chunked::filled(CHUNK + 1, 4u8) == e_grown(CHUNK + 1));
    }

    fn e_grown(len: usize) -> Chunked<u8> {
        let mut e = Chunked::default();
        e.resize(len, 4);
        e
    }
}
