//! Why an item check ([`Items::explain`](crate::Items::explain)) came out as it did.

use core::fmt;

use crate::items::verbs::ItemType;

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
        verb: crate::items::verbs::Verb,
    },
    /// Allow: an entry of the item's effective list grants the verb, the user holds the
    /// gating action and is not capped by a view-only role.
    ItemEntry {
        /// The item.
        item: String,
        /// The verb.
        verb: crate::items::verbs::Verb,
        /// Where the effective list comes from.
        origin: ListOrigin,
        /// The entry's principal.
        principal: ItemPrincipal,
    },
    /// Deny: no entry of the item's effective list grants the verb to the user.
    ItemNoEntry {
        /// The item.
        item: String,
        /// The verb.
        verb: crate::items::verbs::Verb,
        /// Where the effective list comes from.
        origin: ListOrigin,
    },
    /// Deny: the list grants the verb, but the role layer does not: the user does not hold
    /// the item type's gating action, or it is not in the action catalog at all.
    ItemGated {
        /// The item.
        item: String,
        /// The verb.
        verb: crate::items::verbs::Verb,
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
        verb: crate::items::verbs::Verb,
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

/// Where an item's effective access list comes from, after inheritance and defaults.
///
/// # Examples
///
/// ```
/// use orgperm::ListOrigin;
/// let o = ListOrigin::AccessList { item: "q1".into() };
/// assert_eq!(o.to_string(), "the access list of item \"q1\"");
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ListOrigin {
    /// The own list (`inherits = false`) of `item`: the item asked about, or the ancestor
    /// it inherits from.
    AccessList {
        /// The item whose list it is.
        item: String,
    },
    /// The per-item default list of `item` (a session or dashboard).
    ItemDefault {
        /// The item.
        item: String,
    },
    /// The default list of an item type.
    TypeDefault {
        /// The type.
        item_type: ItemType,
    },
    /// The unconfigured-session default of `session`: every user reads, updates, creates
    /// and deletes; its creator and admins also modify permissions.
    UnconfiguredSession {
        /// The session.
        session: String,
    },
    /// No list at all (an insight board or dashboard without list or default, or a goal or
    /// metric whose parent has none): nobody, owners aside.
    Nothing,
}

impl fmt::Display for ListOrigin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ListOrigin::AccessList { item } => write!(f, "the access list of item {item:?}"),
            ListOrigin::ItemDefault { item } => {
                write!(f, "the default access of item {item:?}")
            }
            ListOrigin::TypeDefault { item_type } => {
                write!(f, "the default access of type {item_type}")
            }
            ListOrigin::UnconfiguredSession { session } => {
                write!(f, "the unconfigured-session default of session {session:?}")
            }
            ListOrigin::Nothing => write!(f, "no access list"),
        }
    }
}

/// The principal of the list entry that granted a verb.
///
/// # Examples
///
/// ```
/// use orgperm::ItemPrincipal;
/// let p = ItemPrincipal::Team { id: "sales".into(), sub_teams: true };
/// assert_eq!(p.to_string(), "team \"sales\" with sub-teams");
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ItemPrincipal {
    /// A user entry naming the user.
    User {
        /// The user.
        id: String,
    },
    /// A team entry; the user is a member (of a sub-team, with `sub_teams`).
    Team {
        /// The team.
        id: String,
        /// Whether the entry includes sub-teams.
        sub_teams: bool,
    },
    /// A role entry; the user holds the role.
    Role {
        /// The role.
        id: String,
    },
    /// An account entry: every active user.
    Account,
    /// The unconfigured-session default's grant to every user.
    AllUsers,
    /// The unconfigured-session default's grant to the session's creator.
    Creator {
        /// The creator.
        id: String,
    },
    /// The unconfigured-session default's grant to admins (holders of `admin`).
    Admin,
}

impl fmt::Display for ItemPrincipal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ItemPrincipal::User { id } => write!(f, "user {id:?}"),
            ItemPrincipal::Team { id, sub_teams } => {
                write!(f, "team {id:?}")?;
                if *sub_teams {
                    write!(f, " with sub-teams")?;
                }
                Ok(())
            }
            ItemPrincipal::Role { id } => write!(f, "role {id:?}"),
            ItemPrincipal::Account => write!(f, "the account"),
            ItemPrincipal::AllUsers => write!(f, "every user"),
            ItemPrincipal::Creator { id } => write!(f, "the creator {id:?}"),
            ItemPrincipal::Admin => write!(f, "admins"),
        }
    }
}
