//! Dense ids of the roles-and-permissions model, interned like the core ids: append-only, so
//! a dense id stays valid for the life of a model and of every snapshot compiled from it.

use crate::id::{DenseId, dense_id};

dense_id!(
    /// A permission of the catalog: an atom `domain:entity:action` or a flat permission such
    /// as `admin`.
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{Model, PermissionSpec};
    /// let mut model = Model::new();
    /// let p = model.rbac_mut().add_permission(PermissionSpec::new("routing:queue:view", "View queues")).unwrap();
    /// assert_eq!(model.compile().rbac().permission_id("routing:queue:view"), Some(p));
    /// ```
    PermissionId, "permission"
);
dense_id!(
    /// A role.
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{Model, RoleSpec};
    /// let mut model = Model::new();
    /// let r = model.rbac_mut().create_role(RoleSpec::new("r1", "Agents")).unwrap();
    /// assert_eq!(model.compile().rbac().role_id("r1"), Some(r));
    /// ```
    RoleId, "role"
);
dense_id!(
    /// A division: a partition of the organisation's objects that grants are scoped to.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut model = orgperm::Model::new();
    /// let d = model.rbac_mut().add_division("home", "Home").unwrap();
    /// assert_eq!(model.compile().rbac().division_id("home"), Some(d));
    /// ```
    DivisionId, "division"
);
dense_id!(
    /// A group of users; members inherit the group's grants.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut model = orgperm::Model::new();
    /// let g = model.rbac_mut().add_group("g1", "Support").unwrap();
    /// assert_eq!(model.compile().rbac().group_id("g1"), Some(g));
    /// ```
    GroupId, "group"
);
dense_id!(
    /// An action of the action catalog (Quantive-style global actions such as `manage_goals`).
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{ActionSpec, Model};
    /// let mut model = orgperm::Model::new();
    /// let a = model.rbac_mut().add_action(ActionSpec::new("access_goals", "Access goals")).unwrap();
    /// assert_eq!(model.compile().rbac().action_id("access_goals"), Some(a));
    /// ```
    ActionId, "action"
);
dense_id!(
    /// A division-scoped object (a queue, a campaign, a flow…), called a resource here so
    /// that it is not confused with the items of other permission families.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut model = orgperm::Model::new();
    /// model.rbac_mut().add_division("home", "Home").unwrap();
    /// let q = model.rbac_mut().assign_resource("queue-1", None).unwrap();
    /// assert_eq!(model.compile().rbac().resource_id("queue-1"), Some(q));
    /// ```
    ResourceId, "resource"
);

/// Compiled scope of a grant: a division index, [`SCOPE_ALL`] or [`SCOPE_NONE`].
pub(crate) const SCOPE_ALL: u32 = u32::MAX - 1;
/// The scope of the base role's implicit grant when the model has no home division: it
/// counts for "holds the permission somewhere" but for no division.
pub(crate) const SCOPE_NONE: u32 = u32::MAX;

/// Index of a dense id as `usize`.
#[inline(always)]
pub(crate) fn ix<I: DenseId>(id: I) -> usize {
    id.index() as usize
}
