//! Why a permission or action check ([`Rbac`](crate::Rbac)) came out as it did.

use core::fmt;

use crate::rbac::grants::GrantSource;

/// Why a permission or action check ([`Rbac`](crate::Rbac)) came out as it did; the `reason` of its [`Decision`](crate::Decision).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum RbacReason {
    /// Deny: the user is unknown or removed.
    UnknownUser {
        /// The id as given.
        user: String,
    },
    // ---- roles and permissions --------------------------------------------------------------
    /// Deny: the permission is not in the catalog.
    UnknownPermission {
        /// The permission as given.
        permission: String,
    },
    /// Deny: the division is unknown or deleted.
    UnknownDivision {
        /// The division as given.
        division: String,
    },
    /// Deny: the resource is not assigned to a division.
    UnknownResource {
        /// The resource as given.
        resource: String,
    },
    /// Deny: the permission's product is not enabled.
    ProductDisabled {
        /// The permission.
        permission: String,
        /// Its product.
        product: String,
    },
    /// Allow: a grant of a role whose policy (or flat permission, or `admin`) names the
    /// permission, in a division that covers the check.
    RoleGrant {
        /// The role.
        role: String,
        /// The policy, written `domain:entity:actions`, or the flat permission.
        policy: String,
        /// Where the grant comes from.
        source: GrantSource,
        /// The grant's division: an id, `*`, or empty for the base role without divisions.
        division: String,
        /// Whether the policy's condition held on the given attributes.
        conditional: bool,
    },
    /// Deny: the user holds the permission, but not in the object's division.
    NotInDivision {
        /// The permission.
        permission: String,
        /// The object's division.
        division: String,
    },
    /// Deny: only conditional policies name the permission, and no condition held.
    ConditionNotMet {
        /// The permission.
        permission: String,
        /// A role with such a policy.
        role: String,
        /// The policy.
        policy: String,
    },
    /// Deny: no role the user holds names the permission.
    NoGrant {
        /// The permission.
        permission: String,
    },
    /// Deny: the action is unknown.
    UnknownAction {
        /// The action as given.
        action: String,
    },
    /// Allow: a global permission binds the action (or one requiring it) to the user or to
    /// a role the user holds.
    ActionBound {
        /// The action asked about.
        action: String,
        /// The global permission's id.
        permission: String,
        /// The principal it names (the user or the role), with its kind.
        principal: crate::rbac::actions::Principal,
        /// The bound action when it is not the one asked about (it requires it).
        via: Option<String>,
    },
    /// Deny: no global permission binds the action to the user or their roles.
    NoActionBinding {
        /// The action.
        action: String,
    },
}

impl fmt::Display for RbacReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RbacReason::UnknownUser { user } => write!(f, "unknown or removed user {user}"),
            RbacReason::UnknownPermission { permission } => {
                write!(f, "unknown permission {permission}")
            }
            RbacReason::UnknownDivision { division } => write!(f, "unknown division {division}"),
            RbacReason::UnknownResource { resource } => {
                write!(f, "resource {resource} is not in any division")
            }
            RbacReason::ProductDisabled {
                permission,
                product,
            } => write!(
                f,
                "permission {permission:?} belongs to product {product:?}, which is not enabled"
            ),
            RbacReason::RoleGrant {
                role,
                policy,
                source,
                division,
                conditional,
            } => {
                write!(f, "role {role:?} policy {policy:?}")?;
                if *conditional {
                    write!(f, " (condition held)")?;
                }
                match source {
                    GrantSource::Direct => write!(f, " granted to the user")?,
                    GrantSource::Group(g) => write!(f, " granted to group {g:?}")?,
                    GrantSource::Base => write!(f, " held as the base role")?,
                }
                if division.is_empty() {
                    Ok(())
                } else {
                    write!(f, " in division {division:?}")
                }
            }
            RbacReason::NotInDivision {
                permission,
                division,
            } => write!(
                f,
                "permission {permission:?} is not granted in division {division:?} or \"*\""
            ),
            RbacReason::ConditionNotMet {
                permission,
                role,
                policy,
            } => write!(
                f,
                "permission {permission:?} is granted only under conditions (role {role:?} policy {policy:?}), none held"
            ),
            RbacReason::NoGrant { permission } => {
                write!(f, "no role of the user grants {permission:?}")
            }
            RbacReason::UnknownAction { action } => write!(f, "unknown action {action}"),
            RbacReason::ActionBound {
                action,
                permission,
                principal,
                via,
            } => {
                write!(f, "global permission {permission:?} binds ")?;
                match via {
                    Some(v) => write!(f, "{v:?}, which implies {action:?},")?,
                    None => write!(f, "{action:?}")?,
                }
                match principal {
                    crate::rbac::actions::Principal::User(id) => write!(f, " to user {id:?}"),
                    crate::rbac::actions::Principal::Role(id) => write!(f, " to role {id:?}"),
                    crate::rbac::actions::Principal::Id(id) => write!(f, " to {id:?}"),
                }
            }
            RbacReason::NoActionBinding { action } => {
                write!(
                    f,
                    "no global permission binds {action:?} to the user or their roles"
                )
            }
        }
    }
}
