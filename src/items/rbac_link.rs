//! The one place where items touch the roles layer's internals: everything the item layer
//! needs from `crate::rbac` goes through these few functions, so that a change of the roles
//! layer's compiled form is fixed here only.
//!
//! Semantics used (the semantics page §2 and the global part of §3):
//! - a user *holds a role* when a grant of it reaches them directly, through a group, or as
//!   the base role, in any division;
//! - a user *holds an action* when a global permission binds it (or an action requiring it)
//!   to the user or to a role they hold: [`Rbac::has_action`](crate::Rbac::has_action);
//! - a user is *view-only* when a role they hold is view-only:
//!   [`Rbac::is_view_only`](crate::Rbac::is_view_only);
//! - a user is an *admin* when they hold the flat `admin` permission:
//!   `Rbac::has_permission(user, "admin")`.

use roaring::RoaringBitmap;

use crate::id::UserId;
use crate::rbac::RbacStore;
use crate::rbac::catalog::ADMIN;
use crate::rbac::compiled::CompiledRbac;
use crate::rbac::ids::{ActionId, RoleId};

/// What the item layer needs to know about an active user, once per user at compile time.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) struct UserRoleFacts {
    /// The user's interned action set (users with the same actions share it).
    pub(crate) action_set: u32,
    pub(crate) view_only: bool,
    pub(crate) admin: bool,
}

/// The facts of an active user; `None` for an unknown or removed one.
pub(crate) fn user_facts(rbac: &CompiledRbac, u: UserId) -> Option<UserRoleFacts> {
    let combo = rbac.combo_of(u)?;
    let admin = rbac.permissions.get(ADMIN).is_some_and(|a| {
        (a.as_u32() as usize) < rbac.flags.len() && rbac.set_has(combo.any, a.as_u32())
    });
    Some(UserRoleFacts {
        action_set: rbac
            .user_actions
            .get(u.as_u32() as usize)
            .copied()
            .unwrap_or(0),
        view_only: combo.view_only,
        admin,
    })
}

/// The action of the catalog named `name`.
pub(crate) fn action_named(rbac: &CompiledRbac, name: &str) -> Option<ActionId> {
    rbac.action_ids
        .get(name)
        .filter(|a| (a.as_u32() as usize) < rbac.action_requires.len())
}

/// Whether action set `set` holds action `a`.
pub(crate) fn set_has_action(rbac: &CompiledRbac, set: u32, a: ActionId) -> bool {
    (a.as_u32() as usize) < rbac.action_requires.len() && rbac.action_set_has(set, a.as_u32())
}

/// Whether active user `u` holds role `r` (directly, through a group or as the base role,
/// in any division). On the check path: one combination load and a binary search of its
/// grants, which are sorted by role.
#[inline]
pub(crate) fn holds_role(rbac: &CompiledRbac, u: UserId, r: RoleId) -> bool {
    let Some(combo) = rbac.combo_of(u) else {
        return false;
    };
    let grants = rbac.grants_of(combo);
    let i = grants.partition_point(|g| g.role < r);
    grants.get(i).is_some_and(|g| g.role == r)
}

/// The holders of role `r` as org-tree positions: the users [`holds_role`] is true for
/// (a grant in any division, directly, through a group or as the base role).
pub(crate) fn role_holders(rbac: &CompiledRbac, r: RoleId) -> Option<&RoaringBitmap> {
    rbac.holders_any_of(r)
}

/// Whether `r` is a live role of the compiled roles layer.
pub(crate) fn role_live(rbac: &CompiledRbac, r: RoleId) -> bool {
    rbac.role(r).is_some()
}

/// The external id of a role of the compiled roles layer.
pub(crate) fn role_name(rbac: &CompiledRbac, r: RoleId) -> &str {
    rbac.role_ids.name(r).unwrap_or("")
}

/// The live role of the model with this id.
pub(crate) fn model_role(rbac: &RbacStore, id: &str) -> Option<RoleId> {
    rbac.roles.live(id).map(|(r, _)| r)
}

/// The id of a live role of the model.
pub(crate) fn model_role_name(rbac: &RbacStore, r: RoleId) -> Option<&str> {
    rbac.roles.spec(r)?;
    Some(rbac.roles.name(r))
}
