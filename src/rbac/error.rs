//! What can be wrong with an edit or import of roles, the permission catalog, divisions, groups and actions.

use core::fmt;

use crate::error::InputErrorKind;
use crate::error::{Error, ErrorClass, bounded, write_cycle};
use crate::org::error::OrgErrorKind;

/// What is wrong with an edit or import of roles, the permission catalog, divisions, groups and actions.
///
/// Errors of the layers below (Input, Org) are wrapped as they are, so an unknown
/// user is the same kind wherever it is raised.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum RbacErrorKind {
    /// An error of the input itself (ids, the document's format).
    Input(InputErrorKind),
    /// An error of the org layer (users, workspaces, folders).
    Org(OrgErrorKind),
    /// A permission string that is neither `domain:entity:action` nor a flat name.
    InvalidPermission {
        /// The rejected value.
        value: String,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// The permission catalog has no such permission (or no such entity or action).
    UnknownPermission {
        /// The permission, written `domain:entity:action` (`*` where the policy had one).
        id: String,
    },
    /// No permission of the catalog has this domain.
    UnknownDomain {
        /// The domain.
        domain: String,
    },
    /// A permission policy with the domain `*`.
    WildcardDomain,
    /// A permission policy with an empty `actionSet`.
    EmptyActionSet,
    /// An edit grants a permission whose product is not enabled.
    ProductNotEnabled {
        /// The permission.
        permission: String,
        /// Its product.
        product: String,
    },
    /// A condition on a policy whose permission does not allow conditions (or on a wildcard
    /// policy).
    ConditionNotAllowed {
        /// The permission, `*` where the policy had one.
        permission: String,
    },
    /// A malformed condition node.
    InvalidCondition {
        /// What is wrong with it.
        reason: &'static str,
    },
    /// A condition operator other than EQ, IN, GE, GT, LE and LT.
    InvalidOperator {
        /// The rejected value.
        value: String,
    },
    /// A conjunction other than AND and OR.
    InvalidConjunction {
        /// The rejected value.
        value: String,
    },
    /// No role has this id.
    UnknownRole {
        /// The id.
        id: String,
    },
    /// Another role already has this name (names are compared without case).
    DuplicateName {
        /// The name.
        name: String,
    },
    /// No default role template has this `defaultRoleId`.
    UnknownDefaultRole {
        /// The id.
        id: String,
    },
    /// The role is not based on a default role template.
    NotADefaultRole {
        /// The role.
        id: String,
    },
    /// A default role's name cannot change.
    DefaultRoleRenamed {
        /// The role.
        id: String,
    },
    /// A role's `defaultRoleId` cannot change.
    DefaultRoleIdChanged {
        /// The role.
        id: String,
    },
    /// The base role is held by every user: it cannot be removed from a user or deleted.
    BaseRoleNotRemovable {
        /// The role.
        id: String,
    },
    /// A role that is still granted cannot be deleted.
    RoleAssigned {
        /// The role.
        id: String,
        /// How many grants name it.
        grants: usize,
    },
    /// A role that is still a principal of a global permission cannot be deleted.
    RoleReferenced {
        /// The role.
        id: String,
        /// The global permission naming it.
        permission: String,
    },
    /// A role that an item access list (a family above roles) still names cannot be
    /// deleted: a new role of the same id would inherit the entry.
    RoleInUse {
        /// The role.
        id: String,
        /// One entry naming it, in the document's terms
        /// (`item "g1" access.permissions[0]`).
        referrer: String,
    },
    /// A catalog permission that a role or a default role template names (or that is the
    /// last atom a wildcard policy of one matches, which would leave it invalid) cannot be
    /// removed.
    PermissionInUse {
        /// The permission.
        id: String,
        /// One role field naming it, in the document's terms
        /// (`role "r1" permissionPolicies[0].actionSet[1]`).
        referrer: String,
    },
    /// No division has this id.
    UnknownDivision {
        /// The id.
        id: String,
    },
    /// A grant or object without a division needs a home division, and there is none.
    NoHomeDivision,
    /// A division that is the home division, or still has objects or grants, cannot be
    /// deleted.
    DivisionInUse {
        /// The division.
        id: String,
        /// Why.
        reason: &'static str,
    },
    /// No group has this id.
    UnknownGroup {
        /// The id.
        id: String,
    },
    /// No action of the action catalog has this name.
    UnknownAction {
        /// The name.
        id: String,
    },
    /// The `requires` links of the action catalog form a cycle.
    ActionCycle {
        /// The actions in the cycle.
        actions: Vec<String>,
    },
    /// No global permission object has this id.
    UnknownGlobalPermission {
        /// The id.
        id: String,
    },
    /// A principal id that names neither a user nor a role.
    UnknownPrincipal {
        /// The id.
        id: String,
    },
    /// A principal id that names both a user and a role.
    AmbiguousPrincipal {
        /// The id.
        id: String,
    },
    /// A view-only role would be combined with another role.
    ViewOnlyConflict {
        /// The user.
        user: String,
        /// The view-only role.
        view_only: String,
        /// The other role.
        other: String,
    },
}

/// An error of this family: a [`RbacErrorKind`] and where it is.
pub type RbacError = Error<RbacErrorKind>;

impl RbacErrorKind {
    /// The kind's stable, machine-readable code (see [`ErrorKind::code`](crate::ErrorKind::code)).
    pub fn code(&self) -> &'static str {
        match self {
            RbacErrorKind::Input(kind) => kind.code(),
            RbacErrorKind::Org(kind) => kind.code(),
            RbacErrorKind::InvalidPermission { .. } => "invalid_permission",
            RbacErrorKind::UnknownPermission { .. } => "unknown_permission",
            RbacErrorKind::UnknownDomain { .. } => "unknown_domain",
            RbacErrorKind::WildcardDomain => "wildcard_domain",
            RbacErrorKind::EmptyActionSet => "empty_action_set",
            RbacErrorKind::ProductNotEnabled { .. } => "product_not_enabled",
            RbacErrorKind::ConditionNotAllowed { .. } => "condition_not_allowed",
            RbacErrorKind::InvalidCondition { .. } => "invalid_condition",
            RbacErrorKind::InvalidOperator { .. } => "invalid_operator",
            RbacErrorKind::InvalidConjunction { .. } => "invalid_conjunction",
            RbacErrorKind::UnknownRole { .. } => "unknown_role",
            RbacErrorKind::DuplicateName { .. } => "duplicate_name",
            RbacErrorKind::UnknownDefaultRole { .. } => "unknown_default_role",
            RbacErrorKind::NotADefaultRole { .. } => "not_a_default_role",
            RbacErrorKind::DefaultRoleRenamed { .. } => "default_role_renamed",
            RbacErrorKind::DefaultRoleIdChanged { .. } => "default_role_id_changed",
            RbacErrorKind::BaseRoleNotRemovable { .. } => "base_role_not_removable",
            RbacErrorKind::RoleAssigned { .. } => "role_assigned",
            RbacErrorKind::RoleReferenced { .. } => "role_referenced",
            RbacErrorKind::RoleInUse { .. } => "role_in_use",
            RbacErrorKind::PermissionInUse { .. } => "permission_in_use",
            RbacErrorKind::UnknownDivision { .. } => "unknown_division",
            RbacErrorKind::NoHomeDivision => "no_home_division",
            RbacErrorKind::DivisionInUse { .. } => "division_in_use",
            RbacErrorKind::UnknownGroup { .. } => "unknown_group",
            RbacErrorKind::UnknownAction { .. } => "unknown_action",
            RbacErrorKind::ActionCycle { .. } => "action_cycle",
            RbacErrorKind::UnknownGlobalPermission { .. } => "unknown_global_permission",
            RbacErrorKind::UnknownPrincipal { .. } => "unknown_principal",
            RbacErrorKind::AmbiguousPrincipal { .. } => "ambiguous_principal",
            RbacErrorKind::ViewOnlyConflict { .. } => "view_only_conflict",
        }
    }

    /// How a host answers the kind (see [`ErrorClass`]).
    pub fn class(&self) -> ErrorClass {
        match self {
            RbacErrorKind::Input(kind) => kind.class(),
            RbacErrorKind::Org(kind) => kind.class(),
            RbacErrorKind::InvalidPermission { .. } => ErrorClass::Invalid,
            RbacErrorKind::UnknownPermission { .. } => ErrorClass::NotFound,
            RbacErrorKind::UnknownDomain { .. } => ErrorClass::Invalid,
            RbacErrorKind::WildcardDomain => ErrorClass::Invalid,
            RbacErrorKind::EmptyActionSet => ErrorClass::Invalid,
            RbacErrorKind::ProductNotEnabled { .. } => ErrorClass::Invalid,
            RbacErrorKind::ConditionNotAllowed { .. } => ErrorClass::Invalid,
            RbacErrorKind::InvalidCondition { .. } => ErrorClass::Invalid,
            RbacErrorKind::InvalidOperator { .. } => ErrorClass::Invalid,
            RbacErrorKind::InvalidConjunction { .. } => ErrorClass::Invalid,
            RbacErrorKind::UnknownRole { .. } => ErrorClass::NotFound,
            RbacErrorKind::DuplicateName { .. } => ErrorClass::Conflict,
            RbacErrorKind::UnknownDefaultRole { .. } => ErrorClass::NotFound,
            RbacErrorKind::NotADefaultRole { .. } => ErrorClass::Invalid,
            RbacErrorKind::DefaultRoleRenamed { .. } => ErrorClass::Conflict,
            RbacErrorKind::DefaultRoleIdChanged { .. } => ErrorClass::Conflict,
            RbacErrorKind::BaseRoleNotRemovable { .. } => ErrorClass::Conflict,
            RbacErrorKind::RoleAssigned { .. } => ErrorClass::Conflict,
            RbacErrorKind::RoleReferenced { .. } => ErrorClass::Conflict,
            RbacErrorKind::RoleInUse { .. } => ErrorClass::Conflict,
            RbacErrorKind::PermissionInUse { .. } => ErrorClass::Conflict,
            RbacErrorKind::UnknownDivision { .. } => ErrorClass::NotFound,
            RbacErrorKind::NoHomeDivision => ErrorClass::Invalid,
            RbacErrorKind::DivisionInUse { .. } => ErrorClass::Conflict,
            RbacErrorKind::UnknownGroup { .. } => ErrorClass::NotFound,
            RbacErrorKind::UnknownAction { .. } => ErrorClass::NotFound,
            RbacErrorKind::ActionCycle { .. } => ErrorClass::Invalid,
            RbacErrorKind::UnknownGlobalPermission { .. } => ErrorClass::NotFound,
            RbacErrorKind::UnknownPrincipal { .. } => ErrorClass::NotFound,
            RbacErrorKind::AmbiguousPrincipal { .. } => ErrorClass::Conflict,
            RbacErrorKind::ViewOnlyConflict { .. } => ErrorClass::Conflict,
        }
    }

    /// Whether this is a "not found" error (HTTP 404): the kinds of class
    /// [`ErrorClass::NotFound`].
    pub fn is_not_found(&self) -> bool {
        self.class() == ErrorClass::NotFound
    }
}

impl fmt::Display for RbacErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RbacErrorKind::Input(kind) => kind.fmt(f),
            RbacErrorKind::Org(kind) => kind.fmt(f),
            RbacErrorKind::InvalidPermission { value, reason } => {
                write!(
                    f,
                    "invalid permission {value:?}: {reason}",
                    value = bounded(value)
                )
            }
            RbacErrorKind::UnknownPermission { id } => {
                write!(f, "unknown permission {id:?}", id = bounded(id))
            }
            RbacErrorKind::UnknownDomain { domain } => {
                write!(
                    f,
                    "unknown permission domain {domain:?}",
                    domain = bounded(domain)
                )
            }
            RbacErrorKind::WildcardDomain => write!(f, "a policy domain cannot be \"*\""),
            RbacErrorKind::EmptyActionSet => write!(f, "actionSet needs at least one action"),
            RbacErrorKind::ProductNotEnabled {
                permission,
                product,
            } => write!(
                f,
                "permission {permission:?} belongs to product {product:?}, which is not enabled",
                permission = bounded(permission),
                product = bounded(product)
            ),
            RbacErrorKind::ConditionNotAllowed { permission } => {
                write!(
                    f,
                    "permission {permission:?} does not allow conditions",
                    permission = bounded(permission)
                )
            }
            RbacErrorKind::InvalidCondition { reason } => write!(f, "invalid condition: {reason}"),
            RbacErrorKind::InvalidOperator { value } => write!(
                f,
                "invalid operator {value:?} (expected EQ, IN, GE, GT, LE or LT)",
                value = bounded(value)
            ),
            RbacErrorKind::InvalidConjunction { value } => {
                write!(
                    f,
                    "invalid conjunction {value:?} (expected AND or OR)",
                    value = bounded(value)
                )
            }
            RbacErrorKind::UnknownRole { id } => write!(f, "unknown role {id:?}", id = bounded(id)),
            RbacErrorKind::DuplicateName { name } => write!(
                f,
                "the name {name:?} is already taken",
                name = bounded(name)
            ),
            RbacErrorKind::UnknownDefaultRole { id } => {
                write!(f, "unknown default role {id:?}", id = bounded(id))
            }
            RbacErrorKind::NotADefaultRole { id } => {
                write!(f, "role {id:?} is not a default role", id = bounded(id))
            }
            RbacErrorKind::DefaultRoleRenamed { id } => {
                write!(
                    f,
                    "the name of default role {id:?} cannot change",
                    id = bounded(id)
                )
            }
            RbacErrorKind::DefaultRoleIdChanged { id } => {
                write!(
                    f,
                    "the defaultRoleId of role {id:?} cannot change",
                    id = bounded(id)
                )
            }
            RbacErrorKind::BaseRoleNotRemovable { id } => write!(
                f,
                "role {id:?} is the base role held by every user and cannot be removed",
                id = bounded(id)
            ),
            RbacErrorKind::RoleAssigned { id, grants } => {
                write!(
                    f,
                    "role {id:?} is still granted {grants} time(s)",
                    id = bounded(id)
                )
            }
            RbacErrorKind::RoleReferenced { id, permission } => write!(
                f,
                "role {id:?} is a principal of global permission {permission:?}",
                id = bounded(id),
                permission = bounded(permission)
            ),
            RbacErrorKind::RoleInUse { id, referrer } => write!(
                f,
                "role {id:?} is still named by {referrer}",
                id = bounded(id)
            ),
            RbacErrorKind::PermissionInUse { id, referrer } => write!(
                f,
                "permission {id:?} is still named by {referrer}",
                id = bounded(id)
            ),
            RbacErrorKind::UnknownDivision { id } => {
                write!(f, "unknown division {id:?}", id = bounded(id))
            }
            RbacErrorKind::NoHomeDivision => write!(f, "there is no home division"),
            RbacErrorKind::DivisionInUse { id, reason } => {
                write!(
                    f,
                    "division {id:?} cannot be deleted: {reason}",
                    id = bounded(id)
                )
            }
            RbacErrorKind::UnknownGroup { id } => {
                write!(f, "unknown group {id:?}", id = bounded(id))
            }
            RbacErrorKind::UnknownAction { id } => {
                write!(f, "unknown action {id:?}", id = bounded(id))
            }
            RbacErrorKind::ActionCycle { actions } => {
                write!(f, "the requires links form a cycle: ")?;
                write_cycle(f, actions, "actions")
            }
            RbacErrorKind::UnknownGlobalPermission { id } => {
                write!(f, "unknown global permission {id:?}", id = bounded(id))
            }
            RbacErrorKind::UnknownPrincipal { id } => {
                write!(
                    f,
                    "principal {id:?} is neither a user nor a role",
                    id = bounded(id)
                )
            }
            RbacErrorKind::AmbiguousPrincipal { id } => {
                write!(
                    f,
                    "principal {id:?} names both a user and a role",
                    id = bounded(id)
                )
            }
            RbacErrorKind::ViewOnlyConflict {
                user,
                view_only,
                other,
            } => write!(
                f,
                "user {user:?} would hold view-only role {view_only:?} together with role {other:?}",
                user = bounded(user),
                view_only = bounded(view_only),
                other = bounded(other)
            ),
        }
    }
}

impl From<InputErrorKind> for RbacErrorKind {
    fn from(kind: InputErrorKind) -> Self {
        RbacErrorKind::Input(kind)
    }
}

crate::error::lift_error!(InputErrorKind => RbacErrorKind);

impl From<OrgErrorKind> for RbacErrorKind {
    fn from(kind: OrgErrorKind) -> Self {
        match kind {
            OrgErrorKind::Input(inner) => RbacErrorKind::Input(inner),
            kind => RbacErrorKind::Org(kind),
        }
    }
}

crate::error::lift_error!(OrgErrorKind => RbacErrorKind);
