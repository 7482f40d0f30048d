//! The roles of a model: interned ids, specs, names and the view-only count.

use hashbrown::HashMap;

use crate::id::registry::Registry;
use crate::rbac::error::{RbacError, RbacErrorKind};
use crate::rbac::ids::RoleId;

use super::RoleSpec;

/// The roles of a model.
#[derive(Clone, Debug, Default)]
pub(crate) struct Roles {
    /// By dense id; a deleted role's id is kept for a later re-create.
    pub(crate) slots: Registry<RoleId, RoleSpec>,
    /// Lower-cased names of the live roles.
    names: HashMap<String, RoleId>,
    /// The live role of each default role template.
    pub(crate) by_default: HashMap<String, RoleId>,
    /// Number of live view-only roles.
    view_only: usize,
    /// `needsUpdate` as set by the vendor's PATCH, over what the template says; cleared when
    /// the role is stored again (updated, restored) or its template replaced.
    marks: HashMap<RoleId, bool>,
}

impl Roles {
    pub(crate) fn live(&self, id: &str) -> Option<(RoleId, &RoleSpec)> {
        self.slots.live(id)
    }

    pub(crate) fn spec(&self, r: RoleId) -> Option<&RoleSpec> {
        self.slots.get(r)
    }

    pub(crate) fn live_or_err(
        &self,
        id: &str,
        path: &str,
    ) -> Result<(RoleId, &RoleSpec), RbacError> {
        self.live(id)
            .ok_or_else(|| RbacError::at(path, RbacErrorKind::UnknownRole { id: id.to_owned() }))
    }

    pub(crate) fn name(&self, r: RoleId) -> &str {
        self.slots.name(r)
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

    /// The `needsUpdate` set on a role, if any.
    pub(crate) fn mark(&self, r: RoleId) -> Option<bool> {
        self.marks.get(&r).copied()
    }

    /// Sets or clears the `needsUpdate` mark of a role.
    pub(crate) fn set_mark(&mut self, r: RoleId, mark: Option<bool>) {
        match mark {
            Some(m) => {
                self.marks.insert(r, m);
            }
            None => {
                self.marks.remove(&r);
            }
        }
    }

    pub(crate) fn iter(&self) -> impl Iterator<Item = (RoleId, &RoleSpec)> + '_ {
        self.slots.iter()
    }

    /// Stores a validated role under its id (new or replacing).
    pub(crate) fn put(&mut self, spec: RoleSpec) -> Result<RoleId, RbacError> {
        let (name, view_only, default) = (
            spec.name.to_lowercase(),
            spec.view_only,
            spec.default_role_id.clone(),
        );
        let id = spec.id.clone();
        let (r, old) = self.slots.insert(&id, spec)?;
        self.marks.remove(&r);
        if let Some(old) = old {
            self.names.remove(&old.name.to_lowercase());
            self.view_only = self.view_only.saturating_sub(usize::from(old.view_only));
        }
        self.view_only += usize::from(view_only);
        self.names.insert(name, r);
        if let Some(d) = default {
            self.by_default.insert(d, r);
        }
        Ok(r)
    }

    pub(crate) fn remove(&mut self, r: RoleId) {
        self.marks.remove(&r);
        if let Some(old) = self.slots.remove(r) {
            self.names.remove(&old.name.to_lowercase());
            self.view_only = self.view_only.saturating_sub(usize::from(old.view_only));
            if let Some(d) = &old.default_role_id {
                self.by_default.remove(d);
            }
        }
    }
}
