//! Item types, the five verbs of an item access list, and [`ItemVerbs`], the tiny bitset the
//! item queries answer with.

use core::fmt;
use core::ops::{BitAnd, BitOr, BitOrAssign, Not};

pub use crate::item_type::ItemType;

/// A verb of an item access list.
///
/// # Examples
///
/// ```
/// use orgperm::Verb;
/// assert_eq!(Verb::parse("modifyPermissions"), Some(Verb::ModifyPermissions));
/// assert_eq!(Verb::Read.as_str(), "read");
/// assert_eq!(Verb::parse("write"), None);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Verb {
    /// See the item.
    Read,
    /// Change the item.
    Update,
    /// Create items in it (goals in a session, metrics in a goal…).
    Create,
    /// Delete the item.
    Delete,
    /// Change the item's access list.
    ModifyPermissions,
}

impl Verb {
    /// Every verb, in the fixed order read, update, create, delete, modifyPermissions.
    pub const ALL: [Verb; 5] = [
        Verb::Read,
        Verb::Update,
        Verb::Create,
        Verb::Delete,
        Verb::ModifyPermissions,
    ];

    /// The vendor's name: `read`, `update`, `create`, `delete`, `modifyPermissions`.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(orgperm::Verb::Delete.as_str(), "delete");
    /// ```
    pub const fn as_str(self) -> &'static str {
        match self {
            Verb::Read => "read",
            Verb::Update => "update",
            Verb::Create => "create",
            Verb::Delete => "delete",
            Verb::ModifyPermissions => "modifyPermissions",
        }
    }

    /// The verb named `name` (exact, case-sensitive), if any.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(orgperm::Verb::parse("update"), Some(orgperm::Verb::Update));
    /// ```
    pub fn parse(name: &str) -> Option<Verb> {
        Verb::ALL.into_iter().find(|v| v.as_str() == name)
    }

    #[inline]
    const fn bit(self) -> u8 {
        1 << (self as u8)
    }
}

impl fmt::Display for Verb {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A set of [`Verb`]s in one byte: what [`Items::allowed_actions`](crate::Items::allowed_actions)
/// answers and what an access entry grants.
///
/// Iteration and [`names`](ItemVerbs::names) follow the fixed order read, update, create,
/// delete, modifyPermissions.
///
/// # Examples
///
/// ```
/// use orgperm::{ItemVerbs, Verb};
/// let v = ItemVerbs::READ | ItemVerbs::DELETE;
/// assert!(v.contains(Verb::Read));
/// assert!(!v.contains(Verb::Update));
/// assert_eq!(v.names().collect::<Vec<_>>(), ["read", "delete"]);
/// assert_eq!(v.len(), 2);
/// assert_eq!(v.to_string(), "[read, delete]");
/// let all: ItemVerbs = Verb::ALL.into_iter().collect();
/// assert_eq!(all, ItemVerbs::ALL);
/// ```
#[derive(Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ItemVerbs(u8);

impl ItemVerbs {
    /// No verb.
    pub const EMPTY: ItemVerbs = ItemVerbs(0);
    /// `read`.
    pub const READ: ItemVerbs = ItemVerbs(Verb::Read.bit());
    /// `update`.
    pub const UPDATE: ItemVerbs = ItemVerbs(Verb::Update.bit());
    /// `create`.
    pub const CREATE: ItemVerbs = ItemVerbs(Verb::Create.bit());
    /// `delete`.
    pub const DELETE: ItemVerbs = ItemVerbs(Verb::Delete.bit());
    /// `modifyPermissions`.
    pub const MODIFY_PERMISSIONS: ItemVerbs = ItemVerbs(Verb::ModifyPermissions.bit());
    /// Every verb.
    pub const ALL: ItemVerbs = ItemVerbs(0b1_1111);
    /// What ownership gives: read, update, delete.
    pub const OWNER: ItemVerbs = ItemVerbs(0b0_1011);
    /// The verbs gated by an item type's `manage` action: every verb but read.
    pub const MANAGED: ItemVerbs = ItemVerbs(0b1_1110);

    /// The set holding just `verb`.
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{ItemVerbs, Verb};
    /// assert_eq!(ItemVerbs::of(Verb::Read), ItemVerbs::READ);
    /// ```
    #[inline]
    pub const fn of(verb: Verb) -> ItemVerbs {
        ItemVerbs(verb.bit())
    }

    /// Whether the set holds `verb`.
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{ItemVerbs, Verb};
    /// assert!(ItemVerbs::ALL.contains(Verb::ModifyPermissions));
    /// ```
    #[inline]
    pub const fn contains(self, verb: Verb) -> bool {
        self.0 & verb.bit() != 0
    }

    /// The set with `verb` added.
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{ItemVerbs, Verb};
    /// assert_eq!(ItemVerbs::EMPTY.with(Verb::Read), ItemVerbs::READ);
    /// ```
    #[inline]
    #[must_use]
    pub const fn with(self, verb: Verb) -> ItemVerbs {
        ItemVerbs(self.0 | verb.bit())
    }

    /// The set without `verb`.
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{ItemVerbs, Verb};
    /// assert_eq!(ItemVerbs::OWNER.without(Verb::Update), ItemVerbs::READ | ItemVerbs::DELETE);
    /// ```
    #[inline]
    #[must_use]
    pub const fn without(self, verb: Verb) -> ItemVerbs {
        ItemVerbs(self.0 & !verb.bit())
    }

    /// Whether the set is empty.
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(orgperm::ItemVerbs::EMPTY.is_empty());
    /// ```
    #[inline]
    pub const fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// Number of verbs.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(orgperm::ItemVerbs::OWNER.len(), 3);
    /// ```
    #[inline]
    pub const fn len(self) -> usize {
        self.0.count_ones() as usize
    }

    /// The verbs, in the order read, update, create, delete, modifyPermissions.
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{ItemVerbs, Verb};
    /// let v: Vec<Verb> = ItemVerbs::OWNER.iter().collect();
    /// assert_eq!(v, [Verb::Read, Verb::Update, Verb::Delete]);
    /// ```
    pub fn iter(self) -> ItemVerbsIter {
        ItemVerbsIter(self.0)
    }

    /// The verbs' names, in the same order as [`iter`](ItemVerbs::iter).
    ///
    /// # Examples
    ///
    /// ```
    /// let names: Vec<_> = orgperm::ItemVerbs::MANAGED.names().collect();
    /// assert_eq!(names, ["update", "create", "delete", "modifyPermissions"]);
    /// ```
    pub fn names(self) -> impl Iterator<Item = &'static str> {
        self.iter().map(Verb::as_str)
    }

    /// The set as a bit mask (bit `i` for the `i`-th verb of [`Verb::ALL`]).
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(orgperm::ItemVerbs::READ.bits(), 1);
    /// ```
    #[inline]
    pub const fn bits(self) -> u8 {
        self.0
    }

    /// The set of a bit mask; bits beyond the five verbs are dropped.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(orgperm::ItemVerbs::from_bits(0xff), orgperm::ItemVerbs::ALL);
    /// ```
    #[inline]
    pub const fn from_bits(bits: u8) -> ItemVerbs {
        ItemVerbs(bits & ItemVerbs::ALL.0)
    }
}

impl BitOr for ItemVerbs {
    type Output = ItemVerbs;
    #[inline]
    fn bitor(self, rhs: ItemVerbs) -> ItemVerbs {
        ItemVerbs(self.0 | rhs.0)
    }
}

impl BitOrAssign for ItemVerbs {
    #[inline]
    fn bitor_assign(&mut self, rhs: ItemVerbs) {
        self.0 |= rhs.0;
    }
}

impl BitAnd for ItemVerbs {
    type Output = ItemVerbs;
    #[inline]
    fn bitand(self, rhs: ItemVerbs) -> ItemVerbs {
        ItemVerbs(self.0 & rhs.0)
    }
}

impl Not for ItemVerbs {
    type Output = ItemVerbs;
    #[inline]
    fn not(self) -> ItemVerbs {
        ItemVerbs(!self.0 & ItemVerbs::ALL.0)
    }
}

impl FromIterator<Verb> for ItemVerbs {
    fn from_iter<T: IntoIterator<Item = Verb>>(iter: T) -> Self {
        iter.into_iter().fold(ItemVerbs::EMPTY, ItemVerbs::with)
    }
}

impl IntoIterator for ItemVerbs {
    type Item = Verb;
    type IntoIter = ItemVerbsIter;

    fn into_iter(self) -> ItemVerbsIter {
        ItemVerbsIter(self.0)
    }
}

/// The verbs of an [`ItemVerbs`], in the order read, update, create, delete,
/// modifyPermissions.
///
/// # Examples
///
/// ```
/// use orgperm::{ItemVerbs, Verb};
/// let mut it = (ItemVerbs::READ | ItemVerbs::CREATE).into_iter();
/// assert_eq!(it.next(), Some(Verb::Read));
/// assert_eq!(it.next(), Some(Verb::Create));
/// assert_eq!(it.next(), None);
/// ```
#[derive(Clone, Debug)]
pub struct ItemVerbsIter(u8);

impl Iterator for ItemVerbsIter {
    type Item = Verb;

    fn next(&mut self) -> Option<Verb> {
        let i = self.0.trailing_zeros() as usize;
        let v = Verb::ALL.get(i).copied()?;
        self.0 &= self.0 - 1;
        Some(v)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let n = self.0.count_ones() as usize;
        (n, Some(n))
    }
}

impl ExactSizeIterator for ItemVerbsIter {}

impl fmt::Debug for ItemVerbs {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.names()).finish()
    }
}

impl fmt::Display for ItemVerbs {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[")?;
        for (i, name) in self.names().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            f.write_str(name)?;
        }
        f.write_str("]")
    }
}
