//! The Genesys Cloud adapter (`PureCloud::AuthorizationApi`, seed 003): read the bodies the
//! authorization API sends into a [`Model`](crate::Model) and a [`ChangeSet`](crate::ChangeSet)
//! ([`GenesysImport`]), and answer in its shapes ([`roles_page`], [`user_authorization`],
//! [`role_difference`], [`restore_result`], [`divisions_permitted`], [`error_body`], …).
//!
//! # Bodies read
//!
//! | body | endpoint | becomes |
//! |---|---|---|
//! | `OrganizationProductEntityListing` `{entities: [{id}]}` | `GET /authorization/products` | `enableProduct` |
//! | `PermissionCollectionEntityListing` `{entities: [{domain, permissionMap: {entity: [{domain, entityType, action, label, allowsConditions, divisionAware}]}}]}` | `GET /authorization/permissions` | `addPermission` `domain:entityType:action` |
//! | `AuthzDivisionEntityListing` `{entities: [{id, name, homeDivision}]}` | `GET /authorization/divisions` | `addDivision`, `setHomeDivision` |
//! | `OrganizationRoleEntityListing` `{entities: [DomainOrganizationRole]}` | `GET /authorization/roles`, the restore endpoints | `createRole` / `updateRole` |
//! | `DomainOrganizationRole` `{id, name, description, defaultRoleId, permissions, permissionPolicies, roleNeedsUpdate, base}` | `GET`, `POST`, `PUT /authorization/roles/{id}` | `createRole` / `updateRole` |
//! | `AuthzSubject` `{id, name, grants: [{subjectId, role: {id}, division: {id}}]}` | `GET /authorization/subjects/{id}` | `grantRole` / `revokeRole` |
//! | `UserAuthorization` `{roles: [{id, name}]}` | `GET`, `PUT /users/{id}/roles` | `setUserRoles` |
//! | `DomainOrganizationRole` `{roleNeedsUpdate}` | `PATCH /authorization/roles/{id}` | `setRoleNeedsUpdate` |
//!
//! Listings are read page by page; each read returns the page's [`PageInfo`] (`pageNumber`,
//! `pageCount`, `nextUri`, …) so a sync job knows when to stop, and, for a listing paged by
//! cursor, the `nextPage` token of `nextUri` ([`PageInfo::next_page_token`]).
//!
//! # Field mapping
//!
//! - A permission policy `{domain, entityName, actionSet, resourceConditionNode}` is a
//!   [`PolicySpec`](crate::PolicySpec); a condition node `{variableName, operator, operands,
//!   conjunction, terms}` a [`Condition`](crate::Condition), read without recursion. An
//!   operand ([`Operand`](crate::Operand)) is `{type: "SCALAR", value}` (a literal; a
//!   missing `type` is SCALAR), `{type: "QUEUE", queue: {id}}` (a queue's id; a `value`
//!   sent along must be the same id), `{type: "USER"}` (the checking user: a `user` naming
//!   someone, or a `value`, is refused rather than read as something it is not) or `{type:
//!   "VARIABLE", value}` (a variable of the check, given to
//!   [`Rbac::has_permission_on_with`](crate::Rbac::has_permission_on_with); without it the
//!   operand matches nothing).
//! - `namedResources` must be empty (or absent): a policy limited to named objects has no
//!   equivalent here and would fail open if dropped.
//! - A role with a `defaultRoleId` the model has no template for gets a template made from
//!   the body itself (the API does not list templates), with `base: true` making it the base
//!   role. A flat permission a role names (`permissions: ["admin"]`) that no catalog page
//!   lists is added with its name as label: Genesys lists only atoms in `permissionMap`.
//! - `roleNeedsUpdate`: the model computes the flag from the role and its template; when
//!   the body's flag differs, it is set on the role as the PATCH sets it
//!   ([`RbacMut::set_needs_update`](crate::RbacMut::set_needs_update), `setRoleNeedsUpdate`),
//!   so the role lists again as it was read. The PATCH body itself is read by
//!   [`GenesysImport::read_role_patch`].
//! - The permission catalog has no products in its body: permissions read are in no
//!   product (always available); the products body only enables products.
//! - A division or a permission already in the model keeps its name or label (a different
//!   one is a warning ([`InputErrorKind::ValueKept`](crate::InputErrorKind::ValueKept))); a permission with different flags is an error, since catalog
//!   entries cannot change.
//! - A subject's grants replace its own grants (`*` is all divisions); a user or group the
//!   model lacks is added (a user as a root of the org tree, a group named by the subject's
//!   `name`); an OAuth client ([`SubjectKind::Client`]) is known by the grants it holds.
//!
//! # Fields ignored (read-only or informational in the API)
//!
//! - listings: `firstUri`, `selfUri`, `lastUri`;
//! - `DomainOrganizationRole`: `userCount`, `default`, `selfUri`;
//! - `DomainPermissionPolicy`: `id`, `policyName`, `policyDescription`, `actionSetKey`,
//!   `allowConditions`, `resourceCondition` (the printed form of `resourceConditionNode`);
//! - `DomainPermissionCollection`: `id`, `selfUri`; products: `selfUri`;
//! - `AuthzDivision`: `description`, `objectCounts`, `selfUri` (and, where a grant names a
//!   division, its `name` and `homeDivision`);
//! - references to roles, queues and users (`{id, name, selfUri}`): `name`, `selfUri`;
//! - `AuthzSubject`: `version`, `selfUri`; `AuthzGrant`: `grantMadeAt`;
//! - `UserAuthorization`: `unusedRoles`, `permissions`, `permissionPolicies` (derived from
//!   the roles).
//!
//! Any other field is an error naming its path (`entities[2].permissionPolicies[0].actionSett`),
//! or with [`Strictness::Lenient`] a warning returned with the result.
//!
//! # Bodies written
//!
//! Role listing pages with their paging fields and URIs ([`roles_page`], [`restore_result`];
//! by cursor, with `nextPage` / `previousPage` tokens: [`roles_cursor_page`]),
//! a role ([`role_entity`]), the permission catalog ([`permissions_page`]), products
//! ([`products`]), divisions ([`divisions_page`], [`divisions_permitted`]), a subject's grants
//! ([`subject`]), a user's `UserAuthorization` ([`user_authorization`]), the comparison with
//! a default role ([`role_difference`], [`unsaved_role_difference`]) and error bodies
//! ([`error_body`]). Every written body reads back into the same model.

mod read;
mod write;

pub use super::{Imported, Strictness};
pub use read::{GenesysImport, PageInfo, SubjectKind};
pub use write::{
    ConditionNode, CursorListing, DivisionEntity, EntityListing, ErrorBody, ErrorDetail,
    GrantEntity, OperandEntity, PermissionCollection, PermissionEntity, PolicyEntity,
    ProductEntity, RoleDifference, RoleEntity, RoleRef, SubjectBody, UserAuthorizationBody,
    divisions_page, divisions_permitted, error_body, permissions_page, products, restore_result,
    role_difference, role_entity, roles_cursor_page, roles_page, subject, unsaved_role_difference,
    user_authorization,
};
