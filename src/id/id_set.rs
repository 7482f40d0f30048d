//! The answer of a reverse query over objects (calls, items): a roaring bitmap of dense ids
//! that iterates ids and names them.

use roaring::RoaringBitmap;

use super::Interner;
use super::key::{DenseKey, Key};

/// A set of objects answering a reverse query, such as [`CallSet`](crate::CallSet) and
/// [`ItemSet`](crate::ItemSet).
///
/// Internally a [`RoaringBitmap`] of dense ids; iteration is in dense-id order.
///
/// # Examples
///
/// ```
/// use orgperm::{CallSpec, Domain, Level, Model, ProfileSpec};
/// let mut model = Model::new();
/// model.add_user("ada", None)?;
/// model.create_profile(ProfileSpec::new("p", "P").with_level(Domain::Calls, Level::Own))?;
/// model.assign_profile("ada", "p")?;
/// model.calls_mut().add_call(CallSpec::new("c1", "ada"))?;
/// let snap = model.compile();
/// let calls = snap.calls().visible("ada");
/// assert_eq!(calls.len(), 1);
/// assert!(calls.contains("c1"));
/// assert_eq!(calls.external_ids().collect::<Vec<_>>(), ["c1"]);
/// # Ok::<(), orgperm::ModelError>(())
/// ```
#[derive(Clone, Debug)]
pub struct IdSet<'s, I: DenseKey> {
    ids: RoaringBitmap,
    /// Names the members; the set holds only live objects, so no liveness check is needed.
    names: &'s Interner<I>,
}

impl<'s, I: DenseKey> IdSet<'s, I> {
    pub(crate) fn new(ids: RoaringBitmap, names: &'s Interner<I>) -> Self {
        Self { ids, names }
    }

    /// Number of objects.
    pub fn len(&self) -> u64 {
        self.ids.len()
    }

    /// Whether the set is empty.
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// Whether the set holds `id`.
    pub fn contains(&self, id: impl Key<I>) -> bool {
        id.resolve(self.names)
            .is_some_and(|i| self.ids.contains(i.index()))
    }

    /// The objects, in dense-id order.
    pub fn iter(&self) -> impl Iterator<Item = I> + '_ {
        self.ids.iter().map(I::from_index)
    }

    /// The objects' external ids, in dense-id order.
    pub fn external_ids(&self) -> impl Iterator<Item = &'s str> + '_ {
        let names = self.names;
        self.iter().filter_map(move |i| names.name(i))
    }

    /// The dense ids as a roaring bitmap.
    pub fn as_bitmap(&self) -> &RoaringBitmap {
        &self.ids
    }

    /// The dense ids as a roaring bitmap, by value.
    pub fn into_bitmap(self) -> RoaringBitmap {
        self.ids
    }
}
