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
/// The table is shared between the model's store and the snapshots compiled from it:
/// compiling clones the pointer, and the store copies the table only when it interns a new
/// id while a snapshot still holds the old one.
#[derive(Clone)]
pub struct Interner<I> {
    table: Arc<IdTable>,
    _id: PhantomData<fn() -> I>,
}

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

impl<I> Default for Interner<I> {
    fn default() -> Self {
        Self {
            table: Arc::new(IdTable {
                slots: Vec::new(),
                long: String::new(),
                text: 0,
                table: HashTable::new(),
                hasher: DefaultHashBuilder::default(),
            }),
            _id: PhantomData,
        }
    }
}

impl IdTable {
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

    /// Adds `name`, not interned yet, and returns its index.
    fn push(&mut self, name: &str) -> Result<u32, InputError> {
        let too_many = || InputError::new(InputErrorKind::TooManyIds);
        let index = u32::try_from(self.slots.len())
            .ok()
            .filter(|&i| i < NONE)
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
        self.table.slots.len()
    }

    /// The dense id of `name`, if interned.
    #[inline]
    pub(crate) fn get(&self, name: &str) -> Option<I> {
        self.table.get(name.as_bytes()).map(I::from_index)
    }

    /// The external id of `id`.
    pub(crate) fn name(&self, id: I) -> Option<&str> {
        let t = &*self.table;
        core::str::from_utf8(slot_bytes(&t.slots, &t.long, id.index())?).ok()
    }

    /// Interns `name`, returning its id and whether it is new.
    pub(crate) fn intern(&mut self, name: &str) -> Result<(I, bool), InputError> {
        if let Some(i) = self.table.get(name.as_bytes()) {
            return Ok((I::from_index(i), false));
        }
        let index = Arc::make_mut(&mut self.table).push(name)?;
        Ok((I::from_index(index), true))
    }

    /// All ids in dense order with their names.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (I, &str)> + '_ {
        (0..self.table.slots.len() as u32).filter_map(move |i| {
            let id = I::from_index(i);
            Some((id, self.name(id)?))
        })
    }

    /// Heap bytes held, split into (strings, index).
    pub(crate) fn heap_bytes(&self) -> (usize, usize) {
        let t = &*self.table;
        let storage = t.slots.capacity() * core::mem::size_of::<Slot>() + t.long.capacity();
        (
            t.text,
            storage.saturating_sub(t.text) + t.table.allocation_size(),
        )
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
