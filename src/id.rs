//! Dense id newtypes and the interner that maps external string ids to them.
//!
//! Every external id (a user's `"295738305212375930"`, a profile's, a workspace's) is interned
//! once into a `u32`. Interning is append-only, so a dense id stays valid for the life of a
//! [`Model`](crate::Model) and of every [`Snapshot`](crate::Snapshot) compiled from it: a host
//! may cache ids across recompiles.

use core::fmt;
use core::hash::BuildHasher;
use core::marker::PhantomData;

use hashbrown::{DefaultHashBuilder, HashTable};

use crate::error::{ErrorKind, ModelError};

/// The sentinel stored in dense tables for "no id here".
pub(crate) const NONE: u32 = u32::MAX;

/// A dense `u32` id that indexes the compiled tables.
pub trait DenseId: Copy + Eq + Ord + fmt::Debug {
    /// The id with this index.
    fn from_index(index: u32) -> Self;
    /// The index of this id.
    fn index(self) -> u32;
}

macro_rules! dense_id {
    ($(#[$meta:meta])* $name:ident) => {
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
    };
}

/// Lets other modules declare their own dense id types.
#[allow(unused_imports)] // used by the modules that add id types
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
    UserId
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
    WorkspaceId
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
    ProfileId
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
    FolderId
);

impl WorkspaceId {
    /// The workspace every model starts with, used by the queries that take no workspace.
    pub const DEFAULT: WorkspaceId = WorkspaceId(0);
}

/// Append-only map between external string ids and dense ids.
///
/// The strings live in one arena (no allocation per id) and the hash table stores only the
/// `u32`, hashing through the arena: about 6 bytes of index per id beyond the string itself.
#[derive(Clone)]
pub(crate) struct Interner<I> {
    arena: String,
    /// `ends[i]` is one past the last byte of id `i` in `arena`.
    ends: Vec<u32>,
    table: HashTable<u32>,
    hasher: DefaultHashBuilder,
    _id: PhantomData<fn() -> I>,
}

impl<I> Default for Interner<I> {
    fn default() -> Self {
        Self {
            arena: String::new(),
            ends: Vec::new(),
            table: HashTable::new(),
            hasher: DefaultHashBuilder::default(),
            _id: PhantomData,
        }
    }
}

impl<I: DenseId> Interner<I> {
    /// Number of ids handed out.
    pub(crate) fn len(&self) -> usize {
        self.ends.len()
    }

    fn str_at(&self, index: u32) -> Option<&str> {
        let i = index as usize;
        let end = *self.ends.get(i)? as usize;
        let start = if i == 0 {
            0
        } else {
            *self.ends.get(i - 1)? as usize
        };
        self.arena.get(start..end)
    }

    /// The dense id of `name`, if interned.
    #[inline]
    pub(crate) fn get(&self, name: &str) -> Option<I> {
        let hash = self.hasher.hash_one(name);
        self.table
            .find(hash, |&i| self.str_at(i) == Some(name))
            .map(|&i| I::from_index(i))
    }

    /// The external id of `id`.
    pub(crate) fn name(&self, id: I) -> Option<&str> {
        self.str_at(id.index())
    }

    /// Interns `name`, returning its id and whether it is new.
    pub(crate) fn intern(&mut self, name: &str) -> Result<(I, bool), ModelError> {
        if let Some(id) = self.get(name) {
            return Ok((id, false));
        }
        let index = u32::try_from(self.ends.len())
            .ok()
            .filter(|&i| i < NONE)
            .ok_or_else(|| ModelError::new(ErrorKind::TooManyIds))?;
        let end = u32::try_from(self.arena.len() + name.len())
            .map_err(|_| ModelError::new(ErrorKind::TooManyIds))?;
        self.arena.push_str(name);
        self.ends.push(end);
        let hasher = &self.hasher;
        let (arena, ends) = (&self.arena, &self.ends);
        let hash = hasher.hash_one(name);
        self.table.insert_unique(hash, index, |&i| {
            let i = i as usize;
            let end = ends.get(i).copied().unwrap_or(0) as usize;
            let start = if i == 0 {
                0
            } else {
                ends.get(i - 1).copied().unwrap_or(0) as usize
            };
            hasher.hash_one(arena.get(start..end).unwrap_or(""))
        });
        Ok((I::from_index(index), true))
    }

    /// All ids in dense order with their names.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (I, &str)> + '_ {
        (0..self.ends.len() as u32).filter_map(move |i| Some((I::from_index(i), self.str_at(i)?)))
    }

    /// Heap bytes held, split into (strings, index).
    pub(crate) fn heap_bytes(&self) -> (usize, usize) {
        (
            self.arena.capacity(),
            self.ends.capacity() * 4 + self.table.allocation_size(),
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
