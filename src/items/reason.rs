//! Why an item check ([`Items::explain`](crate::Items::explain)) came out as it did.

use core::fmt;

/// Why an item check ([`Items::explain`](crate::Items::explain)) came out as it did; the `reason` of its [`Decision`](crate::Decision).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ItemReason {
    /// Deny: the user is unknown or removed.
    UnknownUser {
        /// The id as given.
        user: String,
    },
    // ---- items ------------------------------------------------------------------------------
    /// Deny: the item is unknown or removed.
    UnknownItem {
        /// The id as given.
        item: String,
    },
    /// Allow: the user owns the item, which gives read, update and delete whatever the
    /// list, the role layer or a view-only role say.
    ItemOwner {
        /// The item.
        item: String,
        /// The verb.
        verb: crate::Verb,
    },
    /// Allow: an entry of the item's effective list grants the verb, the user holds the
    /// gating action and is not capped by a view-only role.
    ItemEntry {
        /// The item.
        item: String,
        /// The verb.
        verb: crate::Verb,
        /// Where the effective list comes from.
        origin: crate::ListOrigin,
        /// The entry's principal.
        principal: crate::ItemPrincipal,
    },
    /// Deny: no entry of the item's effective list grants the verb to the user.
    ItemNoEntry {
        /// The item.
        item: String,
        /// The verb.
        verb: crate::Verb,
        /// Where the effective list comes from.
        origin: crate::ListOrigin,
    },
    /// Deny: the list grants the verb, but the role layer does not: the user does not hold
    /// the item type's gating action, or it is not in the action catalog at all.
    ItemGated {
        /// The item.
        item: String,
        /// The verb.
        verb: crate::Verb,
        /// The action the verb needs.
        action: String,
        /// Whether the action is in the catalog.
        in_catalog: bool,
    },
    /// Deny: the user holds a view-only role, which caps them at read on items they do
    /// not own.
    ItemViewOnly {
        /// The item.
        item: String,
        /// The verb.
        verb: crate::Verb,
    },
}

impl fmt::Display for ItemReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ItemReason::UnknownUser { user } => write!(f, "unknown or removed user {user}"),
            ItemReason::UnknownItem { item } => write!(f, "unknown or removed item {item}"),
            ItemReason::ItemOwner { item, verb } => {
                write!(f, "the user owns item {item:?}, which gives {verb}")
            }
            ItemReason::ItemEntry {
                item,
                verb,
                origin,
                principal,
            } => write!(f, "{origin} grants {verb} on item {item:?} to {principal}"),
            ItemReason::ItemNoEntry { item, verb, origin } => write!(
                f,
                "no entry of {origin} grants {verb} on item {item:?} to the user"
            ),
            ItemReason::ItemGated {
                item,
                verb,
                action,
                in_catalog,
            } => {
                if *in_catalog {
                    write!(
                        f,
                        "{verb} on item {item:?} needs action {action:?}, which the user does not hold"
                    )
                } else {
                    write!(
                        f,
                        "{verb} on item {item:?} needs action {action:?}, which is not in the action catalog"
                    )
                }
            }
            ItemReason::ItemViewOnly { item, verb } => write!(
                f,
                "the user holds a view-only role, which allows only read, not {verb}, on item {item:?}"
            ),
        }
    }
}
