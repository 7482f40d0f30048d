//! The compiled networks' permission bitsets: one per entitled (advisor, network) *cell*
//! (`advisor * networks + network`), in chunks of `1 << shift` cells (4,096 unless the
//! bitsets are very wide), each chunk behind its own `Arc` so that a snapshot patched after
//! an entitlement edit shares every chunk it does not rewrite.
//!
//! A chunk is one `[u32]`: a header of one entry per cell (where in the chunk the cell's
//! bitset starts, `NONE` when the advisor is not entitled there), then the records in cell
//! order, each the cell's offset in the chunk followed by `words` words of the bitset over
//! the interned permission names. A check loads the chunk's pointer (from a table of
//! `cells >> shift` pointers that stays in cache), the header entry and the bitset word: the
//! loads of the table before it was chunked plus the chunk pointer.
//!
//! A rewritten chunk is rebuilt compactly, records in cell order: a patched table holds
//! exactly what a fresh build over the same entitlements holds (no dead records).

use std::sync::Arc;

use crate::id::{DenseId, NONE};
use crate::network::NetworkPermissionId;
use crate::org::chunked::CHUNK_BITS;

/// The bitsets of the entitled cells, chunked.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Bitsets {
    chunks: Vec<Arc<[u32]>>,
    /// Cells covered: `users * networks`.
    cells: usize,
    /// `u32` words per bitset.
    words: usize,
    /// Cells per chunk, as a shift: small enough that a full chunk's offsets fit a `u32`.
    shift: u32,
}

impl Bitsets {
    /// The words of a bitset over `perms` permission names (at least one).
    pub(crate) fn words_for(perms: usize) -> usize {
        perms.div_ceil(32).max(1)
    }

    /// The table over `cells` cells with bitsets of `words` words, from the entitled cells
    /// and their permissions in ascending cell order (a cell out of range or out of order
    /// is skipped).
    pub(crate) fn build<'a>(
        cells: usize,
        words: usize,
        entries: impl IntoIterator<Item = (usize, &'a [NetworkPermissionId])>,
    ) -> Bitsets {
        // A full chunk, (1 << shift) * (words + 2) words, stays below u32::MAX (NONE).
        let mut shift = CHUNK_BITS;
        while shift > 0 && (words + 2).saturating_mul(1 << shift) >= NONE as usize {
            shift -= 1;
        }
        let mut out = Bitsets {
            chunks: Vec::new(),
            cells,
            words,
            shift,
        };
        let n_chunks = cells.div_ceil(1 << shift);
        out.chunks.reserve_exact(n_chunks);
        let mut entries = entries.into_iter().peekable();
        for ci in 0..n_chunks {
            let base = ci << shift;
            let header = out.header(ci);
            let mut chunk = vec![NONE; header];
            while let Some((cell, perms)) = entries.next_if(|&(cell, _)| cell < base + header) {
                if let Some(j) = cell.checked_sub(base) {
                    push_record(&mut chunk, j, words, perms);
                }
            }
            out.chunks.push(Arc::from(chunk));
        }
        out
    }

    /// Cells covered.
    pub(crate) fn cells(&self) -> usize {
        self.cells
    }

    /// Words per bitset.
    pub(crate) fn words(&self) -> usize {
        self.words
    }

    /// The header length of chunk `ci`: the cells per chunk, fewer for the last.
    fn header(&self, ci: usize) -> usize {
        self.cells
            .saturating_sub(ci << self.shift)
            .min(1 << self.shift)
    }

    /// The chunk of an entitled cell and where its bitset starts there.
    #[inline(always)]
    fn locate(&self, cell: usize) -> Option<(&[u32], usize)> {
        if cell >= self.cells {
            return None;
        }
        let chunk = self.chunks.get(cell >> self.shift)?;
        // Below the header's length: `cell < cells`.
        let at = *chunk.get(cell & ((1 << self.shift) - 1))?;
        (at != NONE).then_some((chunk, at as usize))
    }

    /// The bitset of an entitled cell.
    #[inline]
    pub(crate) fn get(&self, cell: usize) -> Option<&[u32]> {
        let (chunk, at) = self.locate(cell)?;
        chunk.get(at..at + self.words)
    }

    /// Whether an entitled cell holds permission `p`: [`get`](Bitsets::get) and
    /// [`holds`], with one bounds check less.
    #[inline]
    pub(crate) fn holds(&self, cell: usize, p: NetworkPermissionId) -> bool {
        let w = (p.index() / 32) as usize;
        if w >= self.words {
            return false;
        }
        self.locate(cell).is_some_and(|(chunk, at)| {
            chunk
                .get(at + w)
                .is_some_and(|x| x & (1 << (p.index() % 32)) != 0)
        })
    }

    /// The entitled cells and their bitsets, in cell order. O(entitled cells + chunks).
    pub(crate) fn iter(&self) -> impl Iterator<Item = (usize, &[u32])> + '_ {
        let stride = self.words + 1;
        self.chunks.iter().enumerate().flat_map(move |(ci, chunk)| {
            let base = ci << self.shift;
            chunk
                .get(self.header(ci)..)
                .unwrap_or(&[])
                .chunks_exact(stride)
                .filter_map(move |rec| {
                    let (&j, set) = rec.split_first()?;
                    Some((base + j as usize, set))
                })
        })
    }

    /// The table with the cells `touched` (ascending, without repeats) written again from
    /// `entitled` (a cell's permissions, `None` when not entitled): each chunk holding a
    /// touched cell is rebuilt from its old records and the touched cells' new ones (one
    /// chunk copied per chunk touched), every other chunk is shared.
    /// O(touched + the records of the chunks they fall in).
    pub(crate) fn patch<'a>(
        &self,
        touched: &[usize],
        entitled: impl Fn(usize) -> Option<&'a [NetworkPermissionId]>,
    ) -> Bitsets {
        let mut out = self.clone();
        let stride = self.words + 1;
        let mut rest = touched;
        while let Some(&first) = rest.first() {
            let ci = first >> self.shift;
            let base = ci << self.shift;
            let header = self.header(ci);
            let mine = rest.iter().take_while(|&&c| c >> self.shift == ci).count();
            let (cells, later) = rest.split_at(mine);
            rest = later;
            let Some(old) = self.chunks.get(ci) else {
                continue;
            };
            let (Some(old_header), Some(old_records)) = (old.get(..header), old.get(header..))
            else {
                continue;
            };
            let mut chunk = Vec::with_capacity(old.len() + cells.len() * stride);
            chunk.extend_from_slice(old_header);
            let mut records = old_records.chunks_exact(stride).peekable();
            let mut cells = cells
                .iter()
                .filter_map(|c| c.checked_sub(base).filter(|&j| j < header))
                .peekable();
            loop {
                let next_old = records.peek().and_then(|r| r.first()).map(|&j| j as usize);
                match (next_old, cells.peek().copied()) {
                    (None, None) => break,
                    // A touched cell: written from the store (its old record, if any, dropped).
                    (o, Some(j)) if o.is_none_or(|o| j <= o) => {
                        cells.next();
                        if o == Some(j) {
                            records.next();
                        }
                        match entitled(base + j) {
                            Some(perms) => push_record(&mut chunk, j, self.words, perms),
                            None => {
                                if let Some(h) = chunk.get_mut(j) {
                                    *h = NONE;
                                }
                            }
                        }
                    }
                    // An untouched cell's record, kept (moved).
                    (Some(j), _) => {
                        if let Some(rec) = records.next() {
                            let at = (chunk.len() + 1) as u32;
                            if let Some(h) = chunk.get_mut(j) {
                                *h = at;
                            }
                            chunk.extend_from_slice(rec);
                        }
                    }
                    // Not reached: the arm above takes a touched cell when no record is left.
                    (None, Some(_)) => break,
                }
            }
            if let Some(slot) = out.chunks.get_mut(ci) {
                *slot = Arc::from(chunk);
            }
        }
        out
    }

    /// Heap bytes held (chunks shared with another table are counted in both).
    pub(crate) fn heap_bytes(&self) -> usize {
        self.chunks.capacity() * core::mem::size_of::<Arc<[u32]>>()
            + self.chunks.iter().map(|c| c.len() * 4).sum::<usize>()
    }
}

/// Whether bit `p` is set in a bitset.
#[inline]
pub(crate) fn holds(set: &[u32], p: NetworkPermissionId) -> bool {
    set.get((p.index() / 32) as usize)
        .is_some_and(|w| w & (1 << (p.index() % 32)) != 0)
}

/// Appends the record of cell `j` of the chunk, holding `perms`, and points its header at
/// its bitset (the chunk stays below `NONE` words: see the shift in [`Bitsets::build`]).
fn push_record(chunk: &mut Vec<u32>, j: usize, words: usize, perms: &[NetworkPermissionId]) {
    let start = chunk.len() + 1;
    let Some(h) = chunk.get_mut(j) else {
        return;
    };
    *h = start as u32;
    chunk.push(j as u32);
    chunk.resize(start + words, 0);
    for p in perms {
        if let Some(w) = chunk.get_mut(start + (p.index() / 32) as usize) {
            *w |= 1 << (p.index() % 32);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CHUNK: usize = 1 << CHUNK_BITS;

    fn perms(ps: &[u32]) -> Vec<NetworkPermissionId> {
        ps.iter()
            .map(|&p| NetworkPermissionId::from_index(p))
            .collect()
    }

    #[test]
    fn a_patch_rebuilds_only_the_chunks_it_touches_as_a_build_would() {
        let cells = 3 * CHUNK + 10;
        let sets: Vec<(usize, Vec<NetworkPermissionId>)> = vec![
            (3, perms(&[0, 40])),
            (CHUNK + 1, perms(&[])),
            (CHUNK + 7, perms(&[1])),
            (3 * CHUNK + 9, perms(&[33])),
        ];
        let t = Bitsets::build(cells, 2, sets.iter().map(|(c, p)| (*c, p.as_slice())));
        assert_eq!(t.get(3), Some(&[1, 1 << 8][..]));
        assert_eq!(t.get(CHUNK + 1), Some(&[0, 0][..]));
        assert_eq!(t.get(4), None);
        assert_eq!(t.get(cells), None);
        assert_eq!(t.iter().count(), 4);
        // Drop one cell, add one, rewrite one, in the second chunk.
        let new: Vec<(usize, Vec<NetworkPermissionId>)> = vec![
            (3, perms(&[0, 40])),
            (CHUNK, perms(&[2])),
            (CHUNK + 7, perms(&[1, 3])),
            (3 * CHUNK + 9, perms(&[33])),
        ];
        let touched = [CHUNK, CHUNK + 1, CHUNK + 7, CHUNK + 8];
        let p = t.patch(&touched, |c| {
            new.iter().find(|(d, _)| *d == c).map(|(_, p)| p.as_slice())
        });
        let fresh = Bitsets::build(cells, 2, new.iter().map(|(c, p)| (*c, p.as_slice())));
        assert_eq!(p, fresh);
        assert!(Arc::ptr_eq(&p.chunks[0], &t.chunks[0]));
        assert!(!Arc::ptr_eq(&p.chunks[1], &t.chunks[1]));
        assert!(Arc::ptr_eq(&p.chunks[3], &t.chunks[3]));
        assert_eq!(p.get(CHUNK + 1), None);
        assert!(holds(
            p.get(CHUNK + 7).unwrap(),
            NetworkPermissionId::from_index(3)
        ));
        // Out-of-range cells are ignored.
        assert_eq!(t.patch(&[cells + 5], |_| None), t);
    }
}
