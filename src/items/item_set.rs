//! The answer of a reverse item query: a set of items, kept as a roaring bitmap of dense
//! item ids.

use roaring::RoaringBitmap;

use crate::id::DenseId;
use crate::items::store::ItemId;
use crate::snapshot::{Key, Snapshot};

/// A set of items answering a reverse query ([`Snapshot::readable_items`]).
///
/// Internally a [`RoaringBitmap`] of dense item ids; iteration is in dense-id order.
///
/// # Examples
///
/// ```
/// use orgperm::{ItemSpec, ItemType, Model};
/// let mut model = Model::new();
/// model.add_user("ada", None)?;
/// model.add_item(ItemSpec::new("board-1", ItemType::InsightBoard).owned_by(["ada"]))?;
/// model.add_item(ItemSpec::new("board-2", ItemType::InsightBoard))?;
/// let snap = model.compile();
/// let boards = snap.readable_items("ada", ItemType::InsightBoard);
/// assert_eq!(boards.len(), 1);
/// assert!(boards.contains("board-1"));
/// assert_eq!(boards.external_ids().collect::<Vec<_>>(), ["board-1"]);
/// # Ok::<(), orgperm::ModelError>(())
/// ```
#[derive(Clone, Debug)]
pub struct ItemSet<'s> {
    ids: RoaringBitmap,
    snap: &'s Snapshot,
}

impl<'s> ItemSet<'s> {
    pub(crate) fn new(ids: RoaringBitmap, snap: &'s Snapshot) -> Self {
        Self { ids, snap }
    }

    /// Number of items.
    pub fn len(&self) -> u64 {
        self.ids.len()
    }

    /// Whether the set is empty.
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// Whether the set holds `item`.
    pub fn contains(&self, item: impl Key<ItemId>) -> bool {
        item.resolve(self.snap)
            .is_some_and(|i| self.ids.contains(i.index()))
    }

    /// The items, in dense-id order.
    pub fn iter(&self) -> impl Iterator<Item = ItemId> + '_ {
        self.ids.iter().map(ItemId::from_index)
    }

    /// The items' external ids, in dense-id order.
    pub fn external_ids(&self) -> impl Iterator<Item = &'s str> + '_ {
        let snap = self.snap;
        self.iter().filter_map(move |i| snap.items.ids.name(i))
    }

    /// The dense item ids as a roaring bitmap.
    pub fn as_bitmap(&self) -> &RoaringBitmap {
        &self.ids
    }

    /// The dense item ids as a roaring bitmap, by value.
    pub fn into_bitmap(self) -> RoaringBitmap {
        self.ids
    }
}
