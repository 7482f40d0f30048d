//! The Quantive (Gtmhub) adapter (the permissions API of seed 002): read the bodies it sends
//! into a [`Model`](crate::Model) and a [`ChangeSet`](crate::ChangeSet) ([`GtmhubImport`]),
//! and answer in its shapes ([`effective_permissions`], [`current_user_actions`],
//! [`actions`], [`permission_objects`], …).
//!
//! # Bodies read
//!
//! | body | endpoint | becomes |
//! |---|---|---|
//! | `actionsResponse` `{items: [{name, title, description}]}` | `GET /permissions/actions` | `addActions` |
//! | `{items: [{id, name, description}], totalCount}` | `GET /roles` | `createRole` / `updateRole` |
//! | `{items: [{id, roles: [{id}]}], totalCount}` | `GET /users` | `addUser`, `grantUndividedRole` / `revokeUndividedRole` |
//! | `GlobalPermissionDto` `{accountId, action, id, principals: [id]}` | `GET`, `POST`, `PUT /permissions/{id}` | `createGlobalPermission` / `updateGlobalPermission` |
//! | `{items: [GlobalPermissionDto]}` | a list of them | the same, each |
//! | `{items: [action]}` | `PUT /permissions/principal/{id}` | `setPrincipalActions` |
//! | `defaultAccess` `{inherits, permissions: [{grant: {Subtype}, principalId, principalKind}]}` | `GET /permissions/default-access/{itemType}[/{itemId}]` | `setDefaultAccess` / `setItemDefaultAccess` |
//!
//! The users and roles listings are not in seed 002 (which only names principals by id);
//! they are read in the shape of Quantive's users and roles APIs, `{items, totalCount}`,
//! taking only the ids, role names and descriptions and the users' roles.
//!
//! # Field mapping
//!
//! - Actions: the body has no dependencies. `manage-X` (or `manage_X`) requires `access-X`
//!   (`access_X`) when that action is listed or already known, which gives "granting
//!   manage implies access" (semantics §3). Actions cannot change: a known action with
//!   another title or description keeps its own, with a warning ([`InputErrorKind::ValueKept`](crate::InputErrorKind::ValueKept)).
//! - Role grants need no division: a user's `roles` are held as undivided grants
//!   ([`RbacMut::grant_role_undivided`](crate::RbacMut::grant_role_undivided)), so no home
//!   division has to be invented. They replace the user's undivided grants (others stay).
//! - A permission object's `principals` are bare ids: each names the user or the role with
//!   that id; an id naming both is refused ([`AmbiguousPrincipal`](crate::RbacErrorKind::AmbiguousPrincipal)),
//!   one naming neither too. Without an `id` (a `POST` body) the model assigns the first
//!   free 24-hex-digit id ([`RbacMut::add_global_permission`](crate::RbacMut::add_global_permission))
//!   and the change set records it, so replaying it gives the same id.
//! - `PUT /permissions/principal/{id}`: the principal is bound to exactly the actions
//!   listed ([`RbacMut::set_principal_actions`](crate::RbacMut::set_principal_actions)).
//! - The `grant` object `{"Subtype": N}` of an access entry is one of four levels
//!   ([`verbs_of_subtype`]): 1 = `read`; 2 = `read`, `update`; 3 = `read`, `update`,
//!   `create`, `delete`; 4 = all five verbs (`modifyPermissions` too). The seed gives the
//!   object without its values; this is the documented choice (levels, not bits: 2 alone
//!   meaning `update` without `read` would grant what no user can see). Any other value is
//!   an error at `permissions[i].grant.Subtype`. A default list does not inherit
//!   (`inherits: true` is refused).
//!
//! # Fields ignored (read-only or informational)
//!
//! - `totalCount` of the `items` wrappers;
//! - `GlobalPermissionDto`: `accountId` (the tenant, also sent as the `gtmhub-accountId`
//!   header);
//! - roles: `accountId`, `dateCreated`; users: `accountId`, `email`, `firstName`,
//!   `lastName`, `picture`, `dateCreated`, `lastLogin`; a user's role references: `name`.
//!
//! Any other field is an error naming its path (`items[3].principals`), or with
//! [`Strictness::Lenient`] a warning.
//!
//! # Bodies written
//!
//! The effective permissions of a principal ([`effective_permissions`], `{items:
//! [action]}`, also the `PUT` body), `currentUserActions` ([`current_user_actions`]), the
//! action catalog ([`actions`]), permission objects ([`permission_object`],
//! [`permission_objects`]), the users and roles listings ([`users`], [`roles`]) and default
//! lists ([`default_access`]). Each reads back into the same model.
//!
//! Quantive's API documents no error body, so none is invented here: a host answers a
//! [`ModelError`](crate::ModelError) with the HTTP status of its
//! [`ErrorClass`](crate::ErrorClass) (404, 409, 400) and the error's code and path.

mod read;
mod write;

pub use super::{Imported, Strictness};
pub use read::{GtmhubImport, subtype_of, verbs_of_subtype};
pub use write::{
    ActionEntity, CurrentUserActions, DefaultAccessBody, DefaultAccessEntry, Grant, Items,
    PermissionObject, RoleEntity, RoleRef, UserEntity, actions, current_user_actions,
    default_access, effective_permissions, permission_object, permission_objects, roles, users,
};
