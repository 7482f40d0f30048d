//! The answer of a reverse call query: a set of calls, kept as a roaring bitmap of dense
//! call ids.

use roaring::RoaringBitmap;

use crate::calls::CallId;
use crate::id::DenseId;
use crate::snapshot::{Key, Snapshot};

/// A set of calls answering a reverse query ([`Snapshot::visible_calls_in`],
/// [`Snapshot::listable_calls_in`]).
///
/// Internally a [`RoaringBitmap`] of dense call ids; iteration is in dense-id order.
///
/// # Examples
///
/// ```
/// use orgperm::{CallSpec, Domain, Level, Model, ProfileSpec};
/// let mut model = Model::new();
/// model.add_user("ada", None)?;
/// model.create_profile(ProfileSpec::new("p", "P").with_level(Domain::Calls, Level::Own))?;
/// model.assign_profile("ada", "p")?;
/// model.add_call(CallSpec::new("c1", "ada"))?;
/// let snap = model.compile();
/// let calls = snap.visible_calls("ada");
/// assert_eq!(calls.len(), 1);
/// assert!(calls.contains("c1"));
/// assert_eq!(calls.external_ids().collect::<Vec<_>>(), ["c1"]);
/// # Ok::<(), orgperm::ModelError>(())
/// ```
#[derive(Clone, Debug)]
pub struct CallSet<'s> {
    ids: RoaringBitmap,
    snap: &'s Snapshot,
}

impl<'s> CallSet<'s> {
    pub(crate) fn new(ids: RoaringBitmap, snap: &'s Snapshot) -> Self {
        Self { ids, snap }
    }

    /// Number of calls.
    pub fn len(&self) -> u64 {
        self.ids.len()
    }

    /// Whether the set is empty.
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// Whether the set holds `call`.
    pub fn contains(&self, call: impl Key<CallId>) -> bool {
        call.resolve(self.snap)
            .is_some_and(|c| self.ids.contains(c.index()))
    }

    /// The calls, in dense-id order.
    pub fn iter(&self) -> impl Iterator<Item = CallId> + '_ {
        self.ids.iter().map(CallId::from_index)
    }

    /// The calls' external ids, in dense-id order.
    pub fn external_ids(&self) -> impl Iterator<Item = &'s str> + '_ {
        let snap = self.snap;
        self.iter().filter_map(move |c| snap.calls.ids.name(c))
    }

    /// The dense call ids as a roaring bitmap.
    pub fn as_bitmap(&self) -> &RoaringBitmap {
        &self.ids
    }

    /// The dense call ids as a roaring bitmap, by value.
    pub fn into_bitmap(self) -> RoaringBitmap {
        self.ids
    }
}
