//! What can be wrong with an edit or import of external networks, advisors and their permissions.

use core::fmt;

use crate::error::InputErrorKind;
use crate::error::{Error, ErrorClass, bounded};
use crate::org::error::OrgErrorKind;

/// What is wrong with an edit or import of external networks, advisors and their permissions.
///
/// Errors of the layers below (Input, Org) are wrapped as they are, so an unknown
/// user is the same kind wherever it is raised.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum NetworkErrorKind {
    /// An error of the input itself (ids, the document's format).
    Input(InputErrorKind),
    /// An error of the org layer (users, workspaces, folders).
    Org(OrgErrorKind),
    /// No active directory user has this advisor id (a not-found error).
    UnknownAdvisor {
        /// The id.
        id: String,
    },
    /// No external network has this id (a not-found error).
    UnknownNetwork {
        /// The id.
        id: String,
    },
    /// The network's catalog has no permission of this name (a not-found error).
    UnknownNetworkPermission {
        /// The network.
        network: String,
        /// The permission name.
        permission: String,
    },
    /// The advisor already holds this permission on this network.
    AlreadyAssigned {
        /// The advisor.
        advisor: String,
        /// The network.
        network: String,
        /// The permission name.
        permission: String,
    },
    /// The advisor does not hold this permission on this network (a not-found error).
    PermissionNotHeld {
        /// The advisor.
        advisor: String,
        /// The network.
        network: String,
        /// The permission name.
        permission: String,
    },
    /// The advisor is not entitled on this network, so no permission there can be granted.
    NotEntitled {
        /// The advisor.
        advisor: String,
        /// The network.
        network: String,
    },
    /// No composite feature defined as data has this name (a not-found error).
    UnknownFeature {
        /// The name.
        id: String,
    },
    /// No external contact has this id.
    UnknownContact {
        /// The id.
        id: String,
    },
    /// A network that an advisor is entitled on, or a contact is on, cannot be removed.
    NetworkInUse {
        /// The network.
        id: String,
        /// One thing naming it, in the document's terms (`advisor "a" networks`,
        /// `contact "k1" externalNetwork`).
        referrer: String,
    },
    /// A permission of a network's catalog that an advisor holds there cannot be removed
    /// from the catalog.
    NetworkPermissionInUse {
        /// The network.
        network: String,
        /// The permission name.
        permission: String,
        /// One advisor holding it, in the document's terms (`advisor "a" networks["SMS"].permissions`).
        referrer: String,
    },
}

/// An error of this family: a [`NetworkErrorKind`] and where it is.
pub type NetworkError = Error<NetworkErrorKind>;

impl NetworkErrorKind {
    /// The kind's stable, machine-readable code (see [`ErrorKind::code`](crate::ErrorKind::code)).
    pub fn code(&self) -> &'static str {
        match self {
            NetworkErrorKind::Input(kind) => kind.code(),
            NetworkErrorKind::Org(kind) => kind.code(),
            NetworkErrorKind::UnknownAdvisor { .. } => "unknown_advisor",
            NetworkErrorKind::UnknownNetwork { .. } => "unknown_network",
            NetworkErrorKind::UnknownNetworkPermission { .. } => "unknown_network_permission",
            NetworkErrorKind::AlreadyAssigned { .. } => "already_assigned",
            NetworkErrorKind::PermissionNotHeld { .. } => "permission_not_held",
            NetworkErrorKind::NotEntitled { .. } => "not_entitled",
            NetworkErrorKind::UnknownFeature { .. } => "unknown_feature",
            NetworkErrorKind::UnknownContact { .. } => "unknown_contact",
            NetworkErrorKind::NetworkInUse { .. } => "network_in_use",
            NetworkErrorKind::NetworkPermissionInUse { .. } => "network_permission_in_use",
        }
    }

    /// How a host answers the kind (see [`ErrorClass`]).
    pub fn class(&self) -> ErrorClass {
        match self {
            NetworkErrorKind::Input(kind) => kind.class(),
            NetworkErrorKind::Org(kind) => kind.class(),
            NetworkErrorKind::UnknownAdvisor { .. } => ErrorClass::NotFound,
            NetworkErrorKind::UnknownNetwork { .. } => ErrorClass::Invalid,
            NetworkErrorKind::UnknownNetworkPermission { .. } => ErrorClass::NotFound,
            NetworkErrorKind::AlreadyAssigned { .. } => ErrorClass::Conflict,
            NetworkErrorKind::PermissionNotHeld { .. } => ErrorClass::NotFound,
            NetworkErrorKind::NotEntitled { .. } => ErrorClass::Conflict,
            NetworkErrorKind::UnknownFeature { .. } => ErrorClass::NotFound,
            NetworkErrorKind::UnknownContact { .. } => ErrorClass::NotFound,
            NetworkErrorKind::NetworkInUse { .. } => ErrorClass::Conflict,
            NetworkErrorKind::NetworkPermissionInUse { .. } => ErrorClass::Conflict,
        }
    }

    /// Whether this is a "not found" error (HTTP 404): the kinds of class
    /// [`ErrorClass::NotFound`].
    pub fn is_not_found(&self) -> bool {
        self.class() == ErrorClass::NotFound
    }
}

impl fmt::Display for NetworkErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NetworkErrorKind::Input(kind) => kind.fmt(f),
            NetworkErrorKind::Org(kind) => kind.fmt(f),
            NetworkErrorKind::UnknownAdvisor { id } => {
                write!(f, "advisor {id:?} not found", id = bounded(id))
            }
            NetworkErrorKind::UnknownNetwork { id } => {
                write!(f, "external network {id:?} not found", id = bounded(id))
            }
            NetworkErrorKind::UnknownNetworkPermission {
                network,
                permission,
            } => write!(
                f,
                "permission {permission:?} not found in the catalog of network {network:?}",
                permission = bounded(permission),
                network = bounded(network)
            ),
            NetworkErrorKind::AlreadyAssigned {
                advisor,
                network,
                permission,
            } => write!(
                f,
                "advisor {advisor:?} already holds {permission:?} on network {network:?}",
                advisor = bounded(advisor),
                permission = bounded(permission),
                network = bounded(network)
            ),
            NetworkErrorKind::PermissionNotHeld {
                advisor,
                network,
                permission,
            } => write!(
                f,
                "advisor {advisor:?} does not hold {permission:?} on network {network:?}",
                advisor = bounded(advisor),
                permission = bounded(permission),
                network = bounded(network)
            ),
            NetworkErrorKind::NotEntitled { advisor, network } => write!(
                f,
                "advisor {advisor:?} is not entitled on network {network:?}",
                advisor = bounded(advisor),
                network = bounded(network)
            ),
            NetworkErrorKind::UnknownFeature { id } => {
                write!(f, "feature {id:?} not found", id = bounded(id))
            }
            NetworkErrorKind::UnknownContact { id } => {
                write!(f, "unknown contact {id:?}", id = bounded(id))
            }
            NetworkErrorKind::NetworkInUse { id, referrer } => write!(
                f,
                "network {id:?} is still named by {referrer}",
                id = bounded(id)
            ),
            NetworkErrorKind::NetworkPermissionInUse {
                network,
                permission,
                referrer,
            } => write!(
                f,
                "permission {permission:?} of network {network:?} is still held: {referrer}",
                permission = bounded(permission),
                network = bounded(network)
            ),
        }
    }
}

impl From<InputErrorKind> for NetworkErrorKind {
    fn from(kind: InputErrorKind) -> Self {
        NetworkErrorKind::Input(kind)
    }
}

crate::error::lift_error!(InputErrorKind => NetworkErrorKind);

impl From<OrgErrorKind> for NetworkErrorKind {
    fn from(kind: OrgErrorKind) -> Self {
        match kind {
            OrgErrorKind::Input(inner) => NetworkErrorKind::Input(inner),
            kind => NetworkErrorKind::Org(kind),
        }
    }
}

crate::error::lift_error!(OrgErrorKind => NetworkErrorKind);
