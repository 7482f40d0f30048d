//! Why a network check ([`Networks`](crate::Networks)) came out as it did.

use core::fmt;

/// Why a network check ([`Networks`](crate::Networks)) came out as it did; the `reason` of its [`Decision`](crate::Decision).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum NetworkReason {
    /// Deny: the user is unknown or removed.
    UnknownUser {
        /// The id as given.
        user: String,
    },
    /// Deny: the network, permission or contact named is unknown.
    UnknownNetworkItem {
        /// What kind of thing (`network`, `permission`, `contact`).
        kind: &'static str,
        /// The id as given.
        id: String,
    },
    /// Deny: the advisor is not entitled on the network.
    NotEntitled {
        /// The advisor.
        advisor: String,
        /// The network.
        network: String,
    },
    /// The advisor's permissions on the network decided: every listed permission is missing
    /// (deny), or none is (allow, `missing` empty).
    NetworkPermissions {
        /// The advisor.
        advisor: String,
        /// The network.
        network: String,
        /// The permissions required and not held.
        missing: Vec<String>,
    },
    /// Deny: the contacts of a room are on more than one network.
    CrossNetworkRoom {
        /// The networks found, sorted.
        networks: Vec<String>,
    },
    /// Deny: a room needs at least one contact.
    EmptyRoom,
}

impl fmt::Display for NetworkReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NetworkReason::UnknownUser { user } => write!(f, "unknown or removed user {user}"),
            NetworkReason::UnknownNetworkItem { kind, id } => write!(f, "unknown {kind} {id}"),
            NetworkReason::NotEntitled { advisor, network } => write!(
                f,
                "advisor {advisor:?} is not entitled on network {network:?}"
            ),
            NetworkReason::NetworkPermissions {
                advisor,
                network,
                missing,
            } => {
                if missing.is_empty() {
                    write!(
                        f,
                        "advisor {advisor:?} holds every permission needed on network {network:?}"
                    )
                } else {
                    write!(
                        f,
                        "advisor {advisor:?} lacks {missing:?} on network {network:?}"
                    )
                }
            }
            NetworkReason::CrossNetworkRoom { networks } => {
                write!(f, "a room may not mix networks, found {networks:?}")
            }
            NetworkReason::EmptyRoom => write!(f, "a room needs at least one contact"),
        }
    }
}
