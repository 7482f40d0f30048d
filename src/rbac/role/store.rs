//! The roles of a model: interned ids, specs, names and the view-only count.

use hashbrown::HashMap;

use crate::error::{ErrorKind, ModelError};
use crate::id::Interner;
use crate::rbac::ids::{RoleId, ix};

use super::RoleSpec;

/// The roles of a model.
#[derive(Clone, Debug, Default)]
pub(crate) struct Roles {
    pub(crate) ids: Interner<RoleId>,
    /// By dense id; `None` once deleted (the id is kept for a later re-create).
    pub(crate) slots: Vec<Option<RoleSpec>>,
    /// Lower-cased names of the live roles.
    names: HashMap<String, RoleId>,
    /// The live role of each default role template.
    pub(crate) by_default: HashMap<String, RoleId>,
    /// Number of live view-only roles.
    view_only: usize,
}

impl Roles {
    pub(crate) fn live(&self, id: &str) -> Option<(RoleId, &RoleSpec)> {
        let r = self.ids.get(id)?;
        Some((r, self.spec(r)?))
    }

    pub(crate) fn spec(&self, r: RoleId) -> Option<&RoleSpec> {
        self.slots.get(ix(r))?.as_ref()
    }

    pub(crate) fn live_or_err(
        &self,
        id: &str,
        path: &str,
    ) -> Result<(RoleId, &RoleSpec), ModelError> {
        self.live(id)
            .ok_or_else(|| ModelError::at(path, ErrorKind::UnknownRole { id: id.to_owned() }))
    }

    pub(crate) fn name(&self, r: RoleId) -> &str {
        self.ids.name(r).unwrap_or("")
    }

    /// Whether some live role is view-only (else the view-only rule cannot fail).
    pub(crate) fn any_view_only(&self) -> bool {
        self.view_only > 0
    }

    pub(crate) fn is_view_only(&self, r: RoleId) -> bool {
        self.spec(r).is_some_and(|s| s.view_only)
    }

    /// The live role holding `name` (without case), if any.
    pub(crate) fn by_name(&self, name: &str) -> Option<RoleId> {
        self.names.get(&name.to_lowercase()).copied()
    }

    pub(crate) fn iter(&self) -> impl Iterator<Item = (RoleId, &RoleSpec)> + '_ {
        self.slots
            .iter()
            .enumerate()
            .filter_map(|(i, s)| Some((RoleId::new(i as u32), s.as_ref()?)))
    }

    /// Stores a validated role under its id (new or replacing).
    pub(crate) fn put(&mut self, spec: RoleSpec) -> Result<RoleId, ModelError> {
        let (r, new) = self.ids.intern(&spec.id)?;
        if new {
            self.slots.push(None);
        }
        if let Some(old) = self.slots.get(ix(r)).and_then(Option::as_ref) {
            self.names.remove(&old.name.to_lowercase());
            self.view_only = self.view_only.saturating_sub(usize::from(old.view_only));
        }
        self.view_only += usize::from(spec.view_only);
        self.names.insert(spec.name.to_lowercase(), r);
        if let Some(d) = &spec.default_role_id {
            self.by_default.insert(d.clone(), r);
        }
        if let Some(slot) = self.slots.get_mut(ix(r)) {
            *slot = Some(spec);
        }
        Ok(r)
    }

    pub(crate) fn remove(&mut self, r: RoleId) {
        if let Some(old) = self.slots.get_mut(ix(r)).and_then(Option::take) {
            self.names.remove(&old.name.to_lowercase());
            self.view_only = self.view_only.saturating_sub(usize::from(old.view_only));
            if let Some(d) = &old.default_role_id {
                self.by_default.remove(d);
            }
        }
    }
}
