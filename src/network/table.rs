//! The compiled networks' permission bitsets: one per entitled (advisor, network) *cell*
//! (`advisor * networks + network`), in chunks of `1 << shift` cells (4,096 unless the
//! bitsets are very wide), each chunk behind its own `Arc` so that a snapshot patched after
//! an entitlement edit shares every chunk it does not rewrite.
//!
//! A chunk is one `[u32]`: a header of one entry per cell, then one record per entitled cell, in cell order, starting with the
//! cell's offset in the chunk (for the reverse queries).
//!
//! - With at most 31 permission names (*inline*, the usual catalogs) the header entry is the
//!   cell's bitset itself with bit 31 set (`0` when not entitled) and a record is the offset
//!   alone: a check loads the chunk's pointer (from a table of `cells >> shift` pointers
//!   that stays in cache) and the entry, and tests a bit, without a branch on the entry.
//! - Otherwise the header entry is where in the chunk the cell's bitset starts (`NONE` when
//!   not entitled), and the
//!   record holds the bitset, `words` words over the interned permission names: a check
//!   loads the chunk's pointer, the entry and the word.
//!
//! A rewritten chunk is rebuilt compactly, records in cell order: a patched table holds
//! exactly what a fresh build over the same entitlements holds (no dead records).

use std::sync::Arc;

use crate::id::{DenseId, NONE};
use crate::network::NetworkPermissionId;
use crate::org::chunked::CHUNK_BITS;

/// An inline header entry's flag: the cell is entitled (no permission id is 31 or more).
const ENTITLED: u32 = 1 << 31;

/// The bitset of one entitled cell.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Bits<'a> {
    /// An inline header entry: the bits below 31, with [`ENTITLED`].
    Inline(u32),
    /// A record's words.
    Words(&'a [u32]),
}

impl Bits<'_> {
    /// Whether the bitset holds permission `p`.
    #[inline]
    pub(crate) fn holds(self, p: NetworkPermissionId) -> bool {
        match self {
            Bits::Inline(e) => p.index() < 31 && e & (1 << p.index()) != 0,
            Bits::Words(words) => words
                .get((p.index() / 32) as usize)
                .is_some_and(|w| w & (1 << (p.index() % 32)) != 0),
        }
    }
}

/// The bitsets of the entitled cells, chunked.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Bitsets {
    chunks: Vec<Arc<[u32]>>,
    /// Cells covered: `users * networks`.
    cells: usize,
    /// `u32` words per bitset.
    words: usize,
    /// Whether the header entries are the bitsets (at most 31 permission names).
    inline: bool,
    /// Cells per chunk, as a shift: small enough that a full chunk's offsets fit a `u32`.
    shift: u32,
}

impl Bitsets {
    /// The table over `cells` cells with bitsets over `perms` permission names, from the
    /// entitled cells and their permissions in ascending cell order (a cell out of range or
    /// out of order is skipped).
    pub(crate) fn build<'a>(
        cells: usize,
        perms: usize,
        entries: impl IntoIterator<Item = (usize, &'a [NetworkPermissionId])>,
    ) -> Bitsets {
        let words = perms.div_ceil(32).max(1);
        // A full chunk, (1 << shift) * (words + 2) words, stays below u32::MAX (NONE).
        let mut shift = CHUNK_BITS;
        while shift > 0 && (words + 2).saturating_mul(1 << shift) >= NONE as usize {
            shift -= 1;
        }
        let mut out = Bitsets {
            chunks: Vec::new(),
            cells,
            words,
            // (Records of one word: chunks of 4,096 cells.)
            inline: perms < 32 && shift == CHUNK_BITS,
            shift,
        };
        let n_chunks = cells.div_ceil(1 << shift);
        out.chunks.reserve_exact(n_chunks);
        let mut entries = entries.into_iter().peekable();
        for ci in 0..n_chunks {
            let base = ci << shift;
            let header = out.header(ci);
            let mut chunk = vec![out.vacant(); header];
            while let Some((cell, perms)) = entries.next_if(|&(cell, _)| cell < base + header) {
                if let Some(j) = cell.checked_sub(base) {
                    out.push_record(&mut chunk, j, perms);
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

    /// The header length of chunk `ci`: the cells per chunk, fewer for the last.
    fn header(&self, ci: usize) -> usize {
        self.cells
            .saturating_sub(ci << self.shift)
            .min(1 << self.shift)
    }

    /// The header entry of a cell not entitled.
    fn vacant(&self) -> u32 {
        if self.inline { 0 } else { NONE }
    }

    /// Words of a record after the cell's offset.
    fn record_words(&self) -> usize {
        if self.inline { 0 } else { self.words }
    }

    /// The chunk of a cell, the cell's index in it and its header entry, when entitled.
    #[inline(always)]
    fn entry(&self, cell: usize) -> Option<(&[u32], usize, u32)> {
        if cell >= self.cells {
            return None;
        }
        let chunk = self.chunks.get(cell >> self.shift)?;
        // Below the header's length: `cell < cells`.
        let j = cell & ((1 << self.shift) - 1);
        let e = *chunk.get(j)?;
        Some((chunk, j, e))
    }

    /// The bitset of an entitled cell.
    #[inline]
    pub(crate) fn get(&self, cell: usize) -> Option<Bits<'_>> {
        let (chunk, _, e) = self.entry(cell)?;
        if self.inline {
            (e != 0).then_some(Bits::Inline(e))
        } else if e == NONE {
            None
        } else {
            chunk
                .get(e as usize..e as usize + self.words)
                .map(Bits::Words)
        }
    }

    /// Whether an entitled cell holds permission `p`: [`get`](Bitsets::get) and
    /// [`Bits::holds`] in one (inline: a bit test of the entry, no branch on it).
    #[inline]
    pub(crate) fn holds(&self, cell: usize, p: NetworkPermissionId) -> bool {
        if self.inline {
            // A cell not entitled is 0; bit 31 is the flag, no permission. Inline chunks
            // have the constant width (a shift by a constant).
            const MASK: usize = (1 << CHUNK_BITS) - 1;
            return p.index() < 31
                && cell < self.cells
                && self
                    .chunks
                    .get(cell >> CHUNK_BITS)
                    .and_then(|chunk| chunk.get(cell & MASK))
                    .is_some_and(|e| e & (1 << p.index()) != 0);
        }
        let w = (p.index() / 32) as usize;
        if w >= self.words {
            return false;
        }
        self.entry(cell).is_some_and(|(chunk, _, e)| {
            e != NONE
                && chunk
                    .get(e as usize + w)
                    .is_some_and(|x| x & (1 << (p.index() % 32)) != 0)
        })
    }

    /// The entitled cells and their bitsets, in cell order. O(entitled cells + chunks).
    pub(crate) fn iter(&self) -> impl Iterator<Item = (usize, Bits<'_>)> + '_ {
        let stride = self.record_words() + 1;
        self.chunks.iter().enumerate().flat_map(move |(ci, chunk)| {
            let base = ci << self.shift;
            chunk
                .get(self.header(ci)..)
                .unwrap_or(&[])
                .chunks_exact(stride)
                .filter_map(move |rec| {
                    let (&j, set) = rec.split_first()?;
                    let set = if self.inline {
                        Bits::Inline(*chunk.get(j as usize)?)
                    } else {
                        Bits::Words(set)
                    };
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
        let stride = self.record_words() + 1;
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
                            Some(perms) => self.push_record(&mut chunk, j, perms),
                            None => {
                                if let Some(h) = chunk.get_mut(j) {
                                    *h = self.vacant();
                                }
                            }
                        }
                    }
                    // An untouched cell's record, kept (moved; an inline entry stays).
                    (Some(j), _) => {
                        if let Some(rec) = records.next() {
                            let at = (chunk.len() + 1) as u32;
                            if let (false, Some(h)) = (self.inline, chunk.get_mut(j)) {
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

    /// Appends the record of cell `j` of the chunk, holding `perms`, and sets its header
    /// entry: the bitset (inline) or where it starts (the chunk stays below `NONE` words: see
    /// the shift in [`Bitsets::build`]).
    fn push_record(&self, chunk: &mut Vec<u32>, j: usize, perms: &[NetworkPermissionId]) {
        let start = chunk.len() + 1;
        let Some(h) = chunk.get_mut(j) else {
            return;
        };
        if self.inline {
            // Permission ids below 31: bit 31 is the flag.
            *h = perms
                .iter()
                .filter(|p| p.index() < 31)
                .fold(ENTITLED, |w, p| w | 1 << p.index());
            chunk.push(j as u32);
            return;
        }
        *h = start as u32;
        chunk.push(j as u32);
        chunk.resize(start + self.words, 0);
        for p in perms {
            if let Some(w) = chunk.get_mut(start + (p.index() / 32) as usize) {
                *w |= 1 << (p.index() % 32);
            }
        }
    }

    /// Heap bytes held (chunks shared with another table are counted in both).
    pub(crate) fn heap_bytes(&self) -> usize {
        self.chunks.capacity() * core::mem::size_of::<Arc<[u32]>>()
            + self.chunks.iter().map(|c| c.len() * 4).sum::<usize>()
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

    /// A build, then a patch, over `n_perms` permission names, with `hi` a high permission id.
    fn build_then_patch(n_perms: usize, hi: u32) {
        let id = NetworkPermissionId::from_index;
        let cells = 3 * CHUNK + 10;
        let sets: Vec<(usize, Vec<NetworkPermissionId>)> = vec![
            (3, perms(&[0, hi])),
            (CHUNK + 1, perms(&[])),
            (CHUNK + 7, perms(&[1])),
            (3 * CHUNK + 9, perms(&[hi])),
        ];
        let t = Bitsets::build(cells, n_perms, sets.iter().map(|(c, p)| (*c, p.as_slice())));
        assert!(t.get(3).unwrap().holds(id(hi)) && t.holds(3, id(hi)) && t.holds(3, id(0)));
        assert!(!t.holds(3, id(1)));
        assert!((0..64).all(|q| !t.get(CHUNK + 1).unwrap().holds(id(q))));
        assert!(!t.holds(CHUNK + 1, id(0)));
        assert_eq!(t.get(4), None);
        assert_eq!(t.get(cells), None);
        assert!(!t.holds(cells, id(0)));
        let listed: Vec<usize> = t.iter().map(|(c, _)| c).collect();
        assert_eq!(listed, [3, CHUNK + 1, CHUNK + 7, 3 * CHUNK + 9]);
        // Drop one cell, add one, rewrite one, in the second chunk.
        let new: Vec<(usize, Vec<NetworkPermissionId>)> = vec![
            (3, perms(&[0, hi])),
            (CHUNK, perms(&[2])),
            (CHUNK + 7, perms(&[1, 3])),
            (3 * CHUNK + 9, perms(&[hi])),
        ];
        let touched = [CHUNK, CHUNK + 1, CHUNK + 7, CHUNK + 8];
        let p = t.patch(&touched, |c| {
            new.iter().find(|(d, _)| *d == c).map(|(_, p)| p.as_slice())
        });
        let fresh = Bitsets::build(cells, n_perms, new.iter().map(|(c, p)| (*c, p.as_slice())));
        assert_eq!(p, fresh);
        assert!(Arc::ptr_eq(&p.chunks[0], &t.chunks[0]));
        assert!(!Arc::ptr_eq(&p.chunks[1], &t.chunks[1]));
        assert!(Arc::ptr_eq(&p.chunks[3], &t.chunks[3]));
        assert_eq!(p.get(CHUNK + 1), None);
        assert!(p.get(CHUNK + 7).unwrap().holds(id(3)));
        assert!(p.holds(CHUNK + 7, id(3)) && !p.holds(CHUNK + 7, id(2)));
        // A permission past the bitset's words, or past the names, is not held.
        assert!(!p.holds(CHUNK, id(32 * p.words as u32 + 2)));
        assert!(!p.holds(CHUNK, id(31)) && !p.get(CHUNK).unwrap().holds(id(31)));
        // Out-of-range cells are ignored.
        assert_eq!(t.patch(&[cells + 5], |_| None), t);
    }

    #[test]
    fn a_patch_rebuilds_only_the_chunks_it_touches_as_a_build_would() {
        build_then_patch(64, 40);
        build_then_patch(31, 30);
        assert!(Bitsets::build(1, 31, []).inline);
        assert!(!Bitsets::build(1, 32, []).inline);
    }
}
