//! The answer of a reverse item query.

use crate::id::id_set::IdSet;
use crate::items::store::ItemId;

/// A set of items answering a reverse query ([`Items::readable`], [`Items::with_verb`]);
/// see [`IdSet`] for its methods.
///
/// [`Items::readable`]: crate::Items::readable
/// [`Items::with_verb`]: crate::Items::with_verb
///
/// # Examples
///
/// ```
/// use orgperm::{ItemSpec, ItemType, Model};
/// let mut model = Model::new();
/// model.add_user("ada", None)?;
/// model.items_mut().add_item(ItemSpec::new("board-1", ItemType::InsightBoard).owned_by(["ada"]))?;
/// model.items_mut().add_item(ItemSpec::new("board-2", ItemType::InsightBoard))?;
/// let snap = model.compile();
/// let boards: orgperm::ItemSet<'_> = snap.items().readable("ada", ItemType::InsightBoard);
/// assert_eq!(boards.len(), 1);
/// assert!(boards.contains("board-1"));
/// assert_eq!(boards.external_ids().collect::<Vec<_>>(), ["board-1"]);
/// # Ok::<(), orgperm::ModelError>(())
/// ```
pub type ItemSet<'s> = IdSet<'s, ItemId>;
