//! Dense id newtypes and the interner that maps external string ids to them.
//!
//! Every external id (a user's `"295738305212375930"`, a profile's, a workspace's) is interned
//! once into a `u32`. Interning is append-only, so a dense id stays valid for the life of a
//! [`Model`](crate::Model) and of every [`Snapshot`](crate::Snapshot) compiled from it: a host
//! may cache ids across recompiles.

use core::fmt;
use core::hash::BuildHasher;
use core::marker::PhantomData;
use std::sync::Arc;

use hashbrown::{DefaultHashBuilder, HashTable};

use crate::error::{InputError, InputErrorKind};

pub(crate) mod id_set;
pub(crate) mod key;
pub(crate) mod registry;

/// The sentinel stored in dense tables for "no id here".
pub(crate) const NONE: u32 = u32::MAX;

/// A dense `u32` id that indexes the compiled tables.
pub trait DenseId: Copy + Eq + Ord + fmt::Debug {
    /// The id with this index.
    fn from_index(index: u32) -> Self;
    /// The index of this id.
    fn index(self) -> u32;
}

/// Takes every `(user, x)` pair of `user` out of a user-to-objects index and returns the
/// objects, in order: O(k log n) for the user's k pairs. The family stores keep such indexes
/// so that removing a user costs what the user held, not the size of the family.
pub(crate) fn take_user_pairs<I: DenseId>(
    index: &mut std::collections::BTreeSet<(UserId, I)>,
    user: UserId,
) -> Vec<I> {
    let held: Vec<I> = index
        .range((user, I::from_index(0))..=(user, I::from_index(u32::MAX)))
        .map(|&(_, x)| x)
        .collect();
    for &x in &held {
        index.remove(&(user, x));
    }
    held
}

macro_rules! dense_id {
    ($(#[$meta:meta])* $name:ident, $label:literal) => {
        $(#[$meta])*
        #[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
        #[repr(transparent)]
        pub struct $name(u32);

        impl $name {
            /// The id with this dense index. An index that was never handed out is simply
            /// unknown: every query answers it with a Deny.
            pub const fn new(index: u32) -> Self {
                Self(index)
            }

            /// The dense index of this id.
            pub const fn as_u32(self) -> u32 {
                self.0
            }
        }

        impl DenseId for $name {
            #[inline]
            fn from_index(index: u32) -> Self {
                Self(index)
            }
            #[inline]
            fn index(self) -> u32 {
                self.0
            }
        }

        impl $crate::id::key::DenseKey for $name {
            const LABEL: &'static str = $label;
        }

        impl $crate::id::key::sealed::Sealed for $name {}

        impl $crate::id::key::Key<$name> for $name {
            #[inline(always)]
            fn resolve(&self, _: &$crate::id::Interner<$name>) -> Option<$name> {
                Some(*self)
            }
            fn describe(&self) -> String {
                format!(concat!($label, " #{}"), self.0)
            }
        }
    };
}

// Lets the other modules declare their own dense id types.
pub(crate) use dense_id;

dense_id!(
    /// A user of the company directory, interned from its external id.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut model = orgperm::Model::new();
    /// let ada = model.add_user("ada", None).unwrap();
    /// assert_eq!(model.user_id("ada"), Some(ada));
    /// ```
    UserId, "user"
);
dense_id!(
    /// A workspace. [`WorkspaceId::DEFAULT`] is the model's first workspace.
    ///
    /// # Examples
    ///
    /// ```
    /// let model = orgperm::Model::new();
    /// assert_eq!(model.workspace_id("default"), Some(orgperm::WorkspaceId::DEFAULT));
    /// ```
    WorkspaceId, "workspace"
);
dense_id!(
    /// A permission profile.
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{Model, ProfileSpec};
    /// let mut model = Model::new();
    /// let p = model.create_profile(ProfileSpec::new("p1", "Reps")).unwrap();
    /// assert_eq!(model.profile_id("p1"), Some(p));
    /// ```
    ProfileId, "profile"
);
dense_id!(
    /// A library folder.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut model = orgperm::Model::new();
    /// let f = model.add_folder("wins", None).unwrap();
    /// assert_eq!(model.folder_id("wins"), Some(f));
    /// ```
    FolderId, "folder"
);

impl WorkspaceId {
    /// The workspace every model starts with, used by the queries that take no workspace.
    pub const DEFAULT: WorkspaceId = WorkspaceId(0);
}

/// Ids up to this many bytes live inline in their slot: the vendors' numeric ids have up to
/// 20 digits. Longer ids (UUIDs, say) spill into one overflow string and cost 21 bytes more.
const INLINE: usize = 20;
/// Slot tag of an id stored in the overflow string instead.
const SPILLED: u8 = u8::MAX;
/// One id: a length byte and the bytes, or `SPILLED` and `(start, len)` into `long`.
type Slot = [u8; INLINE + 1];

/// The bytes of id `i`.
#[inline]
fn slot_bytes<'a>(slots: &'a [Slot], long: &'a str, i: u32) -> Option<&'a [u8]> {
    let (&tag, rest) = slots.get(i as usize)?.split_first()?;
    if tag != SPILLED {
        return rest.get(..tag as usize);
    }
    let word = |at: usize| -> Option<usize> {
        let b: [u8; 4] = rest.get(at..at + 4)?.try_into().ok()?;
        Some(u32::from_le_bytes(b) as usize)
    };
    let (start, len) = (word(0)?, word(4)?);
    long.as_bytes().get(start..start.checked_add(len)?)
}

/// Append-only map between external string ids and dense ids.
///
/// Each id has a 21-byte slot holding its bytes (longer ids spill into one overflow string),
/// and the hash table stores only the `u32`: a lookup reads the table and one slot, with no
/// allocation per id and about 6 bytes of hash index per id beside the slot.
///
/// The ids sit in two tables shared between the model's store and the snapshots compiled
/// from it: compiling clones two pointers. A new id goes to the short `tail` (copied when a
/// snapshot still holds it: at most [`TAIL`] ids), and the tail is moved into `base` when
/// full (the one copy of the whole table, once per [`TAIL`] new ids), so interning one id
/// beside a snapshot costs O(`TAIL`) amortized instead of a copy of every id.
#[derive(Clone)]
pub struct Interner<I> {
    base: Arc<IdTable>,
    /// Ids `base.slots.len()..`, by index past the base.
    tail: Arc<IdTable>,
    _id: PhantomData<fn() -> I>,
}

/// Ids the tail of an [`Interner`] holds before it is moved into the base: about the square
/// root of twice the ids of a large table (10 million), where the tail copies and the base
/// copies cost the same per id.
const TAIL: usize = 4096;

/// The ids of one interner, by index.
#[derive(Clone)]
struct IdTable {
    slots: Vec<Slot>,
    long: String,
    /// Total bytes of all ids, for memory reports.
    text: usize,
    table: HashTable<u32>,
    hasher: DefaultHashBuilder,
}

impl Default for IdTable {
    fn default() -> Self {
        IdTable {
            slots: Vec::new(),
            long: String::new(),
            text: 0,
            table: HashTable::new(),
            hasher: DefaultHashBuilder::default(),
        }
    }
}

impl<I> Default for Interner<I> {
    fn default() -> Self {
        Self {
            base: Arc::default(),
            tail: Arc::default(),
            _id: PhantomData,
        }
    }
}

impl IdTable {
    /// The bytes of id `i` of this table.
    #[inline]
    fn bytes(&self, i: u32) -> Option<&[u8]> {
        slot_bytes(&self.slots, &self.long, i)
    }

    /// The index of `name`, if interned.
    #[inline]
    fn get(&self, name: &[u8]) -> Option<u32> {
        let hash = self.hasher.hash_one(name);
        self.table
            .find(hash, |&i| {
                slot_bytes(&self.slots, &self.long, i) == Some(name)
            })
            .copied()
    }

    /// Adds `name`, not interned yet, and returns its index in this table; `first` is the
    /// interner's index of this table's first id (only to bound the total).
    fn push(&mut self, name: &str, first: usize) -> Result<u32, InputError> {
        let too_many = || InputError::new(InputErrorKind::TooManyIds);
        let index = u32::try_from(self.slots.len())
            .ok()
            .filter(|&i| (i as usize).saturating_add(first) < NONE as usize)
            .ok_or_else(too_many)?;
        let mut slot: Slot = [0; INLINE + 1];
        let bytes = name.as_bytes();
        match slot.split_first_mut() {
            Some((slot_len, rest)) if bytes.len() <= INLINE => {
                *slot_len = bytes.len() as u8;
                rest.iter_mut().zip(bytes).for_each(|(d, s)| *d = *s);
            }
            Some((slot_len, rest)) => {
                let start = u32::try_from(self.long.len()).map_err(|_| too_many())?;
                let len = u32::try_from(bytes.len()).map_err(|_| too_many())?;
                *slot_len = SPILLED;
                let words = start.to_le_bytes().into_iter().chain(len.to_le_bytes());
                rest.iter_mut().zip(words).for_each(|(d, s)| *d = s);
                self.long.push_str(name);
            }
            None => return Err(too_many()),
        }
        self.slots.push(slot);
        self.text += bytes.len();
        let (hasher, slots, long) = (&self.hasher, &self.slots, &self.long);
        self.table
            .insert_unique(hasher.hash_one(bytes), index, |&i| {
                hasher.hash_one(slot_bytes(slots, long, i).unwrap_or(&[]))
            });
        Ok(index)
    }
}

impl<I: DenseId> Interner<I> {
    /// Number of ids handed out.
    pub(crate) fn len(&self) -> usize {
        self.base.slots.len() + self.tail.slots.len()
    }

    /// The index of `name`, if interned.
    #[inline]
    fn index(&self, name: &[u8]) -> Option<u32> {
        if let Some(i) = self.base.get(name) {
            return Some(i);
        }
        if self.tail.slots.is_empty() {
            return None;
        }
        let i = self.tail.get(name)?;
        Some(i + self.base.slots.len() as u32)
    }

    /// The dense id of `name`, if interned.
    #[inline]
    pub(crate) fn get(&self, name: &str) -> Option<I> {
        self.index(name.as_bytes()).map(I::from_index)
    }

    /// The external id of `id`.
    pub(crate) fn name(&self, id: I) -> Option<&str> {
        let i = id.index();
        let n = self.base.slots.len() as u32;
        let bytes = if i < n {
            self.base.bytes(i)?
        } else {
            self.tail.bytes(i - n)?
        };
        core::str::from_utf8(bytes).ok()
    }

    /// Interns `name`, returning its id and whether it is new.
    pub(crate) fn intern(&mut self, name: &str) -> Result<(I, bool), InputError> {
        if let Some(i) = self.index(name.as_bytes()) {
            return Ok((I::from_index(i), false));
        }
        if self.tail.slots.len() >= TAIL {
            self.fold()?;
        }
        let n = self.base.slots.len();
        let index = match Arc::get_mut(&mut self.base).filter(|_| self.tail.slots.is_empty()) {
            // Nothing shares the base (a model being built): write it in place.
            Some(base) => base.push(name, 0)?,
            None => Arc::make_mut(&mut self.tail).push(name, n)? + n as u32,
        };
        Ok((I::from_index(index), true))
    }

    /// Moves the tail's ids into the base (copying the base if a snapshot holds it).
    fn fold(&mut self) -> Result<(), InputError> {
        let tail = core::mem::take(&mut self.tail);
        let base = Arc::make_mut(&mut self.base);
        for i in 0..tail.slots.len() as u32 {
            let name = tail.bytes(i).and_then(|b| core::str::from_utf8(b).ok());
            base.push(name.unwrap_or(""), 0)?;
        }
        Ok(())
    }

    /// All ids in dense order with their names.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (I, &str)> + '_ {
        (0..self.len() as u32).filter_map(move |i| {
            let id = I::from_index(i);
            Some((id, self.name(id)?))
        })
    }

    /// Heap bytes held, split into (strings, index).
    pub(crate) fn heap_bytes(&self) -> (usize, usize) {
        let (mut text, mut index) = (0, 0);
        for t in [&*self.base, &*self.tail] {
            let storage = t.slots.capacity() * core::mem::size_of::<Slot>() + t.long.capacity();
            text += t.text;
            index += storage.saturating_sub(t.text) + t.table.allocation_size();
        }
        (text, index)
    }
}

impl<I: DenseId> fmt::Debug for Interner<I> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Interner")
            .field("len", &self.len())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_long_and_unicode_ids_round_trip() {
        let mut it: Interner<UserId> = Interner::default();
        let long = "x".repeat(100);
        let names = [
            "",
            "7",
            "12345678901234567890123",
            "123456789012345678901234",
            &long,
            "élève-ü",
            "日本語のとても長い識別子です",
        ];
        let ids: Vec<UserId> = names.iter().map(|n| it.intern(n).unwrap().0).collect();
        for (n, &id) in names.iter().zip(&ids) {
            assert_eq!(it.get(n), Some(id), "{n}");
            assert_eq!(it.name(id), Some(*n));
            assert_eq!(it.intern(n).unwrap(), (id, false));
        }
        assert_eq!(it.get("1234567890123456789"), None);
        assert_eq!(it.get(&"x".repeat(99)), None);
        assert_eq!(it.len(), names.len());
        assert_eq!(it.iter().map(|(_, n)| n).collect::<Vec<_>>(), names);
        let (text, _) = it.heap_bytes();
        assert_eq!(text, names.iter().map(|n| n.len()).sum::<usize>());
    }

    #[test]
    fn numeric_short_and_long_ids_are_told_apart() {
        let mut it: Interner<UserId> = Interner::default();
        let names = [
            "0",
            "00",
            "007",
            "7",
            "9999999999999999999",
            "99999999999999999999",
            "3843152912968920001",
            "384315291296892000",
            "12345678",
            "1234567",
            "a",
            "a\0",
            "\0",
            "abcdefgh",
            "abcdefghi",
            "1234567a",
            "12345678/",
            "12345678:",
            "/2345678",
        ];
        let ids: Vec<UserId> = names.iter().map(|n| it.intern(n).unwrap().0).collect();
        for (i, (n, &id)) in names.iter().zip(&ids).enumerate() {
            assert_eq!(id, UserId::new(i as u32), "{n:?}");
            assert_eq!(it.get(n), Some(id), "{n:?}");
            assert_eq!(it.name(id), Some(*n));
        }
        for absent in [
            "000", "70", "8", "1234567b", "12345679", "abcdefgj", "", "b",
        ] {
            assert_eq!(it.get(absent), None, "{absent:?}");
        }
    }

    #[test]
    fn ids_interned_beside_a_clone_go_to_the_tail_then_into_the_base() {
        let mut it: Interner<UserId> = Interner::default();
        for i in 0..100 {
            it.intern(&format!("u{i}")).unwrap();
        }
        // Unshared: written in place.
        assert_eq!((it.base.slots.len(), it.tail.slots.len()), (100, 0));
        let held = it.clone();
        let long = "y".repeat(40);
        let mut names: Vec<String> = (0..TAIL + 10).map(|i| format!("n{i}")).collect();
        names.push(long);
        for (k, n) in names.iter().enumerate() {
            assert_eq!(it.intern(n).unwrap(), (UserId::new(100 + k as u32), true));
            assert_eq!(held.len(), 100);
            if k + 1 == TAIL {
                // Beside the clone, every new id went to the tail; the base is shared.
                assert_eq!((it.base.slots.len(), it.tail.slots.len()), (100, TAIL));
                assert!(Arc::ptr_eq(&it.base, &held.base));
            }
        }
        // The full tail moved into a copy of the base, which the next ids are written to.
        assert_eq!((it.base.slots.len(), it.tail.slots.len()), (111 + TAIL, 0));
        assert!(!Arc::ptr_eq(&it.base, &held.base));
        for (k, n) in names.iter().enumerate() {
            let id = UserId::new(100 + k as u32);
            assert_eq!((it.get(n), it.name(id)), (Some(id), Some(n.as_str())));
            assert_eq!(it.intern(n).unwrap(), (id, false));
            assert_eq!(held.get(n), None);
        }
        assert_eq!(it.get("u7"), Some(UserId::new(7)));
        assert_eq!(it.iter().count(), it.len());
        let (text, _) = it.heap_bytes();
        let all = (0..100).map(|i| format!("u{i}").len()).sum::<usize>();
        assert_eq!(text, all + names.iter().map(String::len).sum::<usize>());
    }

    #[test]
    fn many_ids_survive_rehashing() {
        let mut it: Interner<UserId> = Interner::default();
        for i in 0..10_000 {
            it.intern(&format!("user-{i}")).unwrap();
        }
        for i in 0..20_000u32 {
            it.intern(&(1_000_000_000_000_000_000u64 + u64::from(i) * 7919).to_string())
                .unwrap();
        }
        for i in (0..10_000).step_by(97) {
            assert_eq!(it.get(&format!("user-{i}")), Some(UserId::new(i)));
            let numeric = (1_000_000_000_000_000_000u64 + u64::from(i) * 7919).to_string();
            assert_eq!(it.get(&numeric), Some(UserId::new(10_000 + i)));
        }
        assert_eq!(it.get("user-10000"), None);
        assert_eq!(it.len(), 30_000);
    }
}
