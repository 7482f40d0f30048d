//! Roles and permissions: a Genesys-style permission catalog, roles with wildcard and
//! conditional policies, default roles, divisions, groups and grants (the semantics page §2), and
//! Quantive-style actions bound to users and roles (the global part of §3).
//!
//! One concept per file, each with its validated edits (methods of the edit view
//! [`RbacEdits`](crate::RbacEdits)); the compiled form in [`compiled`] and the read view
//! [`Rbac`](crate::Rbac) in [`query`].

pub(crate) mod actions;
pub(crate) mod catalog;
pub(crate) mod compiled;
pub(crate) mod condition;
pub(crate) mod defaults;
pub(crate) mod divisions;
pub(crate) mod document;
pub(crate) mod error;
pub(crate) mod grants;
pub(crate) mod groups;
pub(crate) mod ids;
pub(crate) mod listing;
pub(crate) mod query;
mod reason;
pub(crate) mod role;
pub(crate) mod tables;

use std::collections::BTreeMap;

pub use query::{ActionSet, Rbac};
pub use reason::RbacReason;

/// The roles-and-permissions part of a [`Model`](crate::Model).
#[derive(Clone, Debug, Default)]
pub(crate) struct RbacStore {
    pub(crate) catalog: catalog::Catalog,
    pub(crate) roles: role::Roles,
    /// Default role templates by `defaultRoleId`.
    pub(crate) templates: BTreeMap<String, defaults::DefaultRoleTemplate>,
    pub(crate) divisions: divisions::Divisions,
    pub(crate) groups: groups::Groups,
    pub(crate) grants: grants::Grants,
    pub(crate) actions: actions::Actions,
}

/// The model's the permission catalog, roles, default roles, divisions, groups, grants and actions, for editing: from [`Model::rbac_mut`](crate::Model::rbac_mut).
///
/// Every edit validates first and then applies completely, or returns a
/// [`ModelError`](crate::ModelError) that names the field and changes nothing.
#[derive(Debug)]
pub struct RbacMut<'m> {
    pub(crate) rbac: &'m mut RbacStore,
    pub(crate) dir: &'m crate::org::directory::Directory,
    /// What names roles from the families above (the items' access lists).
    pub(crate) referrers: &'m dyn RoleReferrers,
}

/// What names roles from a family above this one (the items' access lists), asked before a
/// role is deleted: this family cannot see those families, so the model passes them in.
pub(crate) trait RoleReferrers: core::fmt::Debug {
    /// One thing naming live role `r`, in the document's terms, if any.
    fn role_referrer(&self, r: ids::RoleId) -> Option<String>;
}

/// The model's the permission catalog, roles, default roles, divisions, groups, grants and actions, for reading: from [`Model::rbac`](crate::Model::rbac).
#[derive(Clone, Copy, Debug)]
pub struct RbacRef<'m> {
    pub(crate) rbac: &'m RbacStore,
    pub(crate) dir: &'m crate::org::directory::Directory,
}

impl RbacMut<'_> {
    /// The same state, for reading.
    pub fn read(&self) -> RbacRef<'_> {
        RbacRef {
            rbac: self.rbac,
            dir: self.dir,
        }
    }
}
