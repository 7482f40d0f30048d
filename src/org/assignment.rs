//! Per-workspace, per-user tables stored by how full they are: a workspace where few users
//! hold something keeps a sorted sparse list, one where many do keeps a dense array, so
//! 3,000 workspaces × 100,000 users with one assignment per user cost what is assigned rather
//! than 300 million slots.
//!
//! [`AssignRow`] is the model's editable row (a `BTreeMap` while sparse); [`WsTable`] the
//! snapshot's immutable table, whose default workspace is always a dense array so that the
//! single-workspace check is one load, as before.

use std::collections::BTreeMap;

use crate::id::NONE;
use crate::org::chunked::Chunked;

/// A row turns dense once more than one user in this many holds an entry.
const DENSE_FRACTION: usize = 8;

/// Rows of fewer users than this stay sparse until they are this full (tiny rows need no
/// dense array).
const MIN_DENSE_USERS: usize = 64;

/// Whether a row with `entries` entries over `users` users is stored densely.
fn dense_enough(entries: usize, users: usize) -> bool {
    users >= MIN_DENSE_USERS && entries.saturating_mul(DENSE_FRACTION) > users
}

/// One workspace's assignments in the model: user index -> profile index (`NONE`: none).
#[derive(Clone, Debug)]
pub(crate) enum AssignRow {
    /// By user index; shorter than the directory when the last users hold nothing.
    Dense(Vec<u32>),
    /// The users holding something (entries may hold `NONE` after an unassignment).
    Sparse(BTreeMap<u32, u32>),
}

impl Default for AssignRow {
    fn default() -> Self {
        AssignRow::Sparse(BTreeMap::new())
    }
}

impl AssignRow {
    /// A dense row (the default workspace's).
    pub(crate) fn dense() -> Self {
        AssignRow::Dense(Vec::new())
    }

    /// The profile of user `u`, `NONE` for none.
    pub(crate) fn get(&self, u: usize) -> u32 {
        match self {
            AssignRow::Dense(v) => v.get(u).copied().unwrap_or(NONE),
            AssignRow::Sparse(m) => u32::try_from(u)
                .ok()
                .and_then(|u| m.get(&u).copied())
                .unwrap_or(NONE),
        }
    }

    /// The stored slot of user `u`, if the row has one (a user without a slot holds nothing).
    pub(crate) fn get_mut(&mut self, u: usize) -> Option<&mut u32> {
        match self {
            AssignRow::Dense(v) => v.get_mut(u),
            AssignRow::Sparse(m) => m.get_mut(&u32::try_from(u).ok()?),
        }
    }

    /// Takes user `u`'s assignment away; returns the profile they held (`NONE` for none). A
    /// sparse row drops the entry, so it keeps only what is assigned.
    pub(crate) fn clear(&mut self, u: usize) -> u32 {
        match self {
            AssignRow::Dense(v) => v
                .get_mut(u)
                .map_or(NONE, |slot| core::mem::replace(slot, NONE)),
            AssignRow::Sparse(m) => u32::try_from(u)
                .ok()
                .and_then(|k| m.remove(&k))
                .unwrap_or(NONE),
        }
    }

    /// Sets user `u`'s profile (`users`: the directory's size); returns the previous one.
    /// A sparse row that becomes full enough turns dense.
    pub(crate) fn set(&mut self, u: usize, p: u32, users: usize) -> u32 {
        let old = match self {
            AssignRow::Dense(v) => {
                if v.len() <= u {
                    v.resize(u + 1, NONE);
                }
                v.get_mut(u)
                    .map_or(NONE, |slot| core::mem::replace(slot, p))
            }
            AssignRow::Sparse(m) => match u32::try_from(u) {
                Ok(key) => m.insert(key, p).unwrap_or(NONE),
                Err(_) => NONE,
            },
        };
        if let AssignRow::Sparse(m) = self {
            if dense_enough(m.len(), users) {
                let mut v = vec![NONE; users.max(u + 1)];
                for (&k, &q) in m.iter() {
                    if let Some(slot) = v.get_mut(k as usize) {
                        *slot = q;
                    }
                }
                *self = AssignRow::Dense(v);
            }
        }
        old
    }

    /// The `(user, profile)` entries other than `NONE`, by user.
    pub(crate) fn iter(&self) -> Box<dyn Iterator<Item = (usize, u32)> + '_> {
        match self {
            AssignRow::Dense(v) => Box::new(
                v.iter()
                    .enumerate()
                    .filter(|&(_, &p)| p != NONE)
                    .map(|(u, &p)| (u, p)),
            ),
            AssignRow::Sparse(m) => Box::new(
                m.iter()
                    .filter(|&(_, &p)| p != NONE)
                    .map(|(&u, &p)| (u as usize, p)),
            ),
        }
    }
}

/// A snapshot's per-(workspace, user) table of `T`, absent entries reading as `None`. Dense
/// rows are [`Chunked`], so a table edited for the next snapshot ([`WsTable::set`]) shares
/// every chunk it does not write to with the one before.
#[derive(Clone, Debug)]
pub(crate) struct WsTable<T> {
    /// The default workspace (index 0), dense, by user index.
    first: Chunked<T>,
    /// Workspaces 1.., dense or sparse by fill.
    rest: Vec<WsRow<T>>,
    /// The value of an empty slot of a dense row (never returned).
    fill: T,
}

#[derive(Clone, Debug)]
enum WsRow<T> {
    Dense(Chunked<T>),
    /// Sorted user indexes and their values.
    Sparse(Box<[u32]>, Box<[T]>),
}

impl<T: Copy + PartialEq> Default for WsTable<T>
where
    T: Default,
{
    fn default() -> Self {
        WsTable {
            first: Chunked::default(),
            rest: Vec::new(),
            fill: T::default(),
        }
    }
}

impl<T: Copy + PartialEq> WsTable<T> {
    /// Builds the table from each workspace's entries, sorted by user and unique; `fill`
    /// marks an empty slot of a dense row.
    pub(crate) fn build(users: usize, fill: T, rows: Vec<Vec<(u32, T)>>) -> Self {
        let dense = |row: &[(u32, T)]| {
            let mut v = vec![fill; users];
            for &(u, x) in row {
                if let Some(slot) = v.get_mut(u as usize) {
                    *slot = x;
                }
            }
            Chunked::from_vec(v)
        };
        let mut rows = rows.into_iter();
        let first = rows.next().map_or_else(|| dense(&[]), |r| dense(&r));
        let rest = rows
            .map(|r| {
                if dense_enough(r.len(), users) {
                    WsRow::Dense(dense(&r))
                } else {
                    let (u, x): (Vec<u32>, Vec<T>) = r.into_iter().unzip();
                    WsRow::Sparse(u.into_boxed_slice(), x.into_boxed_slice())
                }
            })
            .collect();
        WsTable { first, rest, fill }
    }

    /// The stored value of user `u` in workspace `w` (`fill` included), `None` outside the
    /// table: the check path, one bounds-checked load for the default workspace.
    #[inline(always)]
    pub(crate) fn raw(&self, w: usize, u: usize) -> Option<T> {
        if w == 0 {
            return self.first.get(u).copied();
        }
        self.get_rest(w, u).copied()
    }

    /// The entry of user `u` in workspace `w`; `None` when empty.
    #[inline(always)]
    pub(crate) fn get(&self, w: usize, u: usize) -> Option<&T> {
        if w == 0 {
            return self.first.get(u).filter(|x| **x != self.fill);
        }
        self.get_rest(w, u)
    }

    #[inline]
    fn get_rest(&self, w: usize, u: usize) -> Option<&T> {
        let row = self.rest.get(w.wrapping_sub(1))?;
        let x = match row {
            WsRow::Dense(v) => v.get(u)?,
            WsRow::Sparse(users, values) => {
                let key = u32::try_from(u).ok()?;
                values.get(users.binary_search(&key).ok()?)?
            }
        };
        (*x != self.fill).then_some(x)
    }

    /// The users with an entry in workspace `w`, ascending (a dense row lists the slots
    /// that are not empty).
    pub(crate) fn entries(&self, w: usize) -> Box<dyn Iterator<Item = (u32, T)> + '_> {
        if w == 0 {
            return Box::new(dense_entries(&self.first, self.fill));
        }
        match self.rest.get(w.wrapping_sub(1)) {
            Some(WsRow::Dense(v)) => Box::new(dense_entries(v, self.fill)),
            Some(WsRow::Sparse(u, x)) => Box::new(u.iter().copied().zip(x.iter().copied())),
            None => Box::new(core::iter::empty()),
        }
    }

    /// Sets the entry of user `u` in workspace `w` (`None` empties it), for the next
    /// snapshot: a dense row copies the one chunk it writes to (and grows when `u` is past
    /// its end); a sparse row is rebuilt, and turns dense when full enough. A workspace
    /// past the table's rows is added. `users` is the directory's size.
    pub(crate) fn set(&mut self, w: usize, u: usize, x: Option<T>, users: usize) {
        let x = x.unwrap_or(self.fill);
        let fill = self.fill;
        if w == 0 {
            if u >= self.first.len() {
                if x == fill {
                    return;
                }
                self.first.resize(users.max(u + 1), fill);
            }
            self.first.set(u, x);
            return;
        }
        while self.rest.len() < w {
            self.rest.push(WsRow::Sparse(Box::new([]), Box::new([])));
        }
        let Some(row) = self.rest.get_mut(w - 1) else {
            return;
        };
        match row {
            WsRow::Dense(v) => {
                if u >= v.len() {
                    if x == fill {
                        return;
                    }
                    v.resize(users.max(u + 1), fill);
                }
                v.set(u, x);
            }
            WsRow::Sparse(keys, values) => {
                let Ok(key) = u32::try_from(u) else {
                    return;
                };
                let mut entries: Vec<(u32, T)> =
                    keys.iter().copied().zip(values.iter().copied()).collect();
                match entries.binary_search_by_key(&key, |e| e.0) {
                    Ok(i) if x == fill => {
                        entries.remove(i);
                    }
                    Ok(i) => {
                        if let Some(e) = entries.get_mut(i) {
                            e.1 = x;
                        }
                    }
                    Err(_) if x == fill => {}
                    Err(i) => entries.insert(i, (key, x)),
                }
                if dense_enough(entries.len(), users) {
                    let mut v = Chunked::filled(users.max(u + 1), fill);
                    for (k, y) in entries {
                        v.set(k as usize, y);
                    }
                    *row = WsRow::Dense(v);
                } else {
                    let (k, y): (Vec<u32>, Vec<T>) = entries.into_iter().unzip();
                    *row = WsRow::Sparse(k.into_boxed_slice(), y.into_boxed_slice());
                }
            }
        }
    }

    /// Heap bytes held.
    pub(crate) fn heap_bytes(&self) -> usize {
        let t = core::mem::size_of::<T>();
        self.first.heap_bytes()
            + self.rest.capacity() * core::mem::size_of::<WsRow<T>>()
            + self
                .rest
                .iter()
                .map(|r| match r {
                    WsRow::Dense(v) => v.heap_bytes(),
                    WsRow::Sparse(u, x) => u.len() * 4 + x.len() * t,
                })
                .sum::<usize>()
    }
}

/// The slots of a dense row that are not `fill`, with their user index.
fn dense_entries<T: Copy + PartialEq>(
    v: &Chunked<T>,
    fill: T,
) -> impl Iterator<Item = (u32, T)> + '_ {
    v.iter()
        .enumerate()
        .filter(move |(_, x)| **x != fill)
        .map(|(u, x)| (u as u32, *x))
}
