//! Where an import's errors go: the first one ends a load; a validation keeps them all.
//!
//! The families' imports take a [`Sink`] of their own error kind; the document's collector
//! (`document/sink.rs`) keeps them all as model errors.

use super::Error;

/// The errors of an import. A strict sink (every load) hands the first error back, so the
/// import stops there as it always has; a collecting sink (the validators) keeps each error
/// and lets the import skip the record it sits in and go on, until it is full.
///
/// A record whose edit fails changes nothing (every edit validates before it writes), so
/// going on past it leaves the model as if the record were not in the document.
pub(crate) trait Sink<K> {
    /// Hands over the error of one record. `Ok` means the error was kept and the caller
    /// skips the record and goes on; `Err` gives the error back and the import stops (a
    /// strict sink always, a collecting one once it is full, the error not kept).
    fn skip(&mut self, err: Error<K>) -> Result<(), Error<K>>;

    /// Whether errors are kept (and bad records skipped) rather than ending the import.
    fn is_collecting(&self) -> bool;
}

/// The sink of a load: the first error stops the import.
pub(crate) struct Strict;

impl<K> Sink<K> for Strict {
    fn skip(&mut self, err: Error<K>) -> Result<(), Error<K>> {
        Err(err)
    }

    fn is_collecting(&self) -> bool {
        false
    }
}

/// What a collecting import left out of a section built all at once (users, teams), to try
/// again after an error: whole records, one link field of a record, or single entries of a
/// record's list. Indices are the document's.
#[derive(Default)]
pub(crate) struct Repairs {
    /// Records left out, sorted.
    dropped: Vec<usize>,
    /// Records whose link (`managerId`, `parentId`) is left out, sorted.
    unlinked: Vec<usize>,
    /// `(record, entry)` pairs of list entries left out, sorted.
    entries: Vec<(usize, usize)>,
}

impl Repairs {
    /// Whether record `i` is tried.
    pub(crate) fn keeps(&self, i: usize) -> bool {
        self.dropped.binary_search(&i).is_err()
    }

    /// Whether record `i` is tried with its link.
    pub(crate) fn links(&self, i: usize) -> bool {
        self.unlinked.binary_search(&i).is_err()
    }

    /// The document indices of the records tried, in order, out of `n`.
    pub(crate) fn kept(&self, n: usize) -> Vec<usize> {
        (0..n).filter(|&i| self.keeps(i)).collect()
    }

    /// The entries of record `i`'s list that are tried, with their document indices.
    pub(crate) fn entries_of<'a, T>(
        &'a self,
        i: usize,
        list: &'a [T],
    ) -> impl Iterator<Item = (usize, &'a T)> + 'a {
        list.iter()
            .enumerate()
            .filter(move |(j, _)| self.entries.binary_search(&(i, *j)).is_err())
    }

    /// Whether any entry of record `i`'s list is left out.
    pub(crate) fn trims(&self, i: usize) -> bool {
        let at = self.entries.partition_point(|&(r, _)| r < i);
        self.entries.get(at).is_some_and(|&(r, _)| r == i)
    }

    fn insert<T: Ord>(list: &mut Vec<T>, x: T) -> bool {
        match list.binary_search(&x) {
            Ok(_) => false,
            Err(at) => {
                list.insert(at, x);
                true
            }
        }
    }

    /// Leaves record `i` out; false when it already was (no progress: stop).
    pub(crate) fn drop_record(&mut self, i: usize) -> bool {
        Self::insert(&mut self.dropped, i)
    }

    /// Leaves record `i`'s link out; false when it already was.
    pub(crate) fn unlink(&mut self, i: usize) -> bool {
        Self::insert(&mut self.unlinked, i)
    }

    /// Leaves entry `j` of record `i`'s list out; false when it already was.
    pub(crate) fn drop_entry(&mut self, i: usize, j: usize) -> bool {
        Self::insert(&mut self.entries, (i, j))
    }

    /// Applies the repair an error at `tail` (the path after `section[i]`) of record `i`
    /// calls for: the link field unlinks, an entry of the list field drops the entry, any
    /// other field drops the record. `entry` maps an entry number of the tried list to the
    /// document's. False when nothing changed.
    pub(crate) fn repair(
        &mut self,
        i: usize,
        tail: &str,
        link: &str,
        list: &str,
        entry: impl Fn(usize) -> Option<usize>,
    ) -> bool {
        let field = tail.strip_prefix('.').unwrap_or(tail);
        if field == link {
            return self.unlink(i);
        }
        if let Some(j) = field
            .strip_prefix(list)
            .and_then(|r| r.strip_prefix('['))
            .and_then(|r| r.strip_suffix(']'))
            .and_then(|n| n.parse::<usize>().ok())
            .and_then(entry)
        {
            return self.drop_entry(i, j);
        }
        self.drop_record(i)
    }
}
