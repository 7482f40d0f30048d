//! A registry: the interner of one kind of object and a slot per dense id, empty once the
//! object is removed. The id stays interned, so an object added again under the same
//! external id gets its dense id back (dense ids are append-only and never change meaning).

use super::{DenseId, Interner};
use crate::error::InputError;

/// Objects of one kind by dense id, with their external ids.
#[derive(Clone, Debug)]
pub(crate) struct Registry<I: DenseId, T> {
    ids: Interner<I>,
    /// By dense id; `None` once removed (or while the id is interned but never stored).
    slots: Vec<Option<T>>,
}

impl<I: DenseId, T> Default for Registry<I, T> {
    fn default() -> Self {
        Registry {
            ids: Interner::default(),
            slots: Vec::new(),
        }
    }
}

impl<I: DenseId, T> Registry<I, T> {
    /// The external ids, live or not (what the compiled families keep).
    pub(crate) fn ids(&self) -> &Interner<I> {
        &self.ids
    }

    /// Number of dense ids handed out: the length of per-id side tables.
    pub(crate) fn len(&self) -> usize {
        self.slots.len()
    }

    /// The live object with this dense id.
    #[inline]
    pub(crate) fn get(&self, i: I) -> Option<&T> {
        self.slots.get(i.index() as usize)?.as_ref()
    }

    pub(crate) fn get_mut(&mut self, i: I) -> Option<&mut T> {
        self.slots.get_mut(i.index() as usize)?.as_mut()
    }

    /// The live object with this external id.
    pub(crate) fn live(&self, name: &str) -> Option<(I, &T)> {
        let i = self.ids.get(name)?;
        Some((i, self.get(i)?))
    }

    /// The dense id of the live object with this external id.
    pub(crate) fn live_id(&self, name: &str) -> Option<I> {
        self.live(name).map(|(i, _)| i)
    }

    /// The external id of a dense id (live or not); empty for one never handed out.
    pub(crate) fn name(&self, i: I) -> &str {
        self.ids.name(i).unwrap_or("")
    }

    /// Stores `value` under `name`, interning it if new; returns the dense id and the object
    /// it replaced, if one was live.
    pub(crate) fn insert(&mut self, name: &str, value: T) -> Result<(I, Option<T>), InputError> {
        let (i, _) = self.ids.intern(name)?;
        let at = i.index() as usize;
        if self.slots.len() <= at {
            self.slots.resize_with(at + 1, || None);
        }
        let old = self.slots.get_mut(at).and_then(|s| s.replace(value));
        Ok((i, old))
    }

    /// Removes the live object with this dense id.
    pub(crate) fn remove(&mut self, i: I) -> Option<T> {
        self.slots.get_mut(i.index() as usize)?.take()
    }

    /// Every slot by dense id, `None` for removed objects (for compiling and exporting).
    pub(crate) fn slots(&self) -> &[Option<T>] {
        &self.slots
    }

    /// The live objects in dense-id order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (I, &T)> + '_ {
        self.slots
            .iter()
            .enumerate()
            .filter_map(|(i, s)| Some((I::from_index(i as u32), s.as_ref()?)))
    }
}
