//! What can be wrong with an edit or import of items and their access lists.

use core::fmt;

use crate::error::InputErrorKind;
use crate::error::{Error, ErrorClass, article, bounded};
use crate::item_type::ItemType;
use crate::org::error::OrgErrorKind;
use crate::rbac::error::RbacErrorKind;
use crate::teams::error::TeamErrorKind;

/// What is wrong with an edit or import of items and their access lists.
///
/// Errors of the layers below (Input, Org, Team, Rbac) are wrapped as they are, so an unknown
/// user is the same kind wherever it is raised.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ItemErrorKind {
    /// An error of the input itself (ids, the document's format).
    Input(InputErrorKind),
    /// An error of the org layer (users, workspaces, folders).
    Org(OrgErrorKind),
    /// An error of the teams family.
    Team(TeamErrorKind),
    /// An error of the roles family.
    Rbac(RbacErrorKind),
    /// No live item has this id (a not-found error).
    UnknownItem {
        /// The id.
        id: String,
    },
    /// An item type name other than `session`, `goal`, `metric`, `insightBoard` and
    /// `dashboard`.
    UnknownItemType {
        /// The rejected value.
        value: String,
    },
    /// A target type other than `metric`, `goal`, `session` and `insightBoard` (the types
    /// of the vendor's `currentUser-allowedActions`; `dashboard` is not one).
    UnknownTargetType {
        /// The rejected value.
        value: String,
    },
    /// A goal or metric without a parent.
    ParentRequired {
        /// The item's type.
        item_type: ItemType,
    },
    /// A parent on a session, insight board or dashboard.
    ParentNotAllowed {
        /// The item's type.
        item_type: ItemType,
    },
    /// The parent is not of the type the item's type needs (a session for a goal, a goal
    /// for a metric).
    WrongParentType {
        /// The item's type.
        item_type: ItemType,
        /// The parent's id.
        parent: String,
        /// The parent's type.
        found: ItemType,
        /// The type needed.
        expected: ItemType,
    },
    /// A move would put an item under itself or under one of its descendants.
    ItemCycle {
        /// The item moved.
        id: String,
        /// The parent asked for (the item itself or one of its descendants).
        parent: String,
    },
    /// An item that still has children cannot be removed; remove the children first.
    HasChildItems {
        /// The item.
        id: String,
        /// How many live children it has.
        children: usize,
    },
    /// A per-item default access list on an item type that has none (only sessions and
    /// dashboards have one).
    ItemDefaultNotAllowed {
        /// The item's type.
        item_type: ItemType,
    },
    /// A verb other than `read`, `update`, `create`, `delete` and `modifyPermissions`.
    UnknownVerb {
        /// The rejected value.
        value: String,
    },
    /// A principal kind other than `user`, `team`, `role` and `account`.
    UnknownPrincipalKind {
        /// The rejected value.
        value: String,
    },
}

/// An error of this family: an [`ItemErrorKind`] and where it is.
pub type ItemError = Error<ItemErrorKind>;

impl ItemErrorKind {
    /// The kind's stable, machine-readable code (see [`ErrorKind::code`](crate::ErrorKind::code)).
    pub fn code(&self) -> &'static str {
        match self {
            ItemErrorKind::Input(kind) => kind.code(),
            ItemErrorKind::Org(kind) => kind.code(),
            ItemErrorKind::Team(kind) => kind.code(),
            ItemErrorKind::Rbac(kind) => kind.code(),
            ItemErrorKind::UnknownItem { .. } => "unknown_item",
            ItemErrorKind::UnknownItemType { .. } => "unknown_item_type",
            ItemErrorKind::UnknownTargetType { .. } => "unknown_target_type",
            ItemErrorKind::ParentRequired { .. } => "parent_required",
            ItemErrorKind::ParentNotAllowed { .. } => "parent_not_allowed",
            ItemErrorKind::WrongParentType { .. } => "wrong_parent_type",
            ItemErrorKind::ItemCycle { .. } => "item_cycle",
            ItemErrorKind::HasChildItems { .. } => "has_child_items",
            ItemErrorKind::ItemDefaultNotAllowed { .. } => "item_default_not_allowed",
            ItemErrorKind::UnknownVerb { .. } => "unknown_verb",
            ItemErrorKind::UnknownPrincipalKind { .. } => "unknown_principal_kind",
        }
    }

    /// How a host answers the kind (see [`ErrorClass`]).
    pub fn class(&self) -> ErrorClass {
        match self {
            ItemErrorKind::Input(kind) => kind.class(),
            ItemErrorKind::Org(kind) => kind.class(),
            ItemErrorKind::Team(kind) => kind.class(),
            ItemErrorKind::Rbac(kind) => kind.class(),
            ItemErrorKind::UnknownItem { .. } => ErrorClass::NotFound,
            ItemErrorKind::UnknownItemType { .. } => ErrorClass::Invalid,
            ItemErrorKind::UnknownTargetType { .. } => ErrorClass::Invalid,
            ItemErrorKind::ParentRequired { .. } => ErrorClass::Invalid,
            ItemErrorKind::ParentNotAllowed { .. } => ErrorClass::Invalid,
            ItemErrorKind::WrongParentType { .. } => ErrorClass::Invalid,
            ItemErrorKind::ItemCycle { .. } => ErrorClass::Invalid,
            ItemErrorKind::HasChildItems { .. } => ErrorClass::Conflict,
            ItemErrorKind::ItemDefaultNotAllowed { .. } => ErrorClass::Invalid,
            ItemErrorKind::UnknownVerb { .. } => ErrorClass::Invalid,
            ItemErrorKind::UnknownPrincipalKind { .. } => ErrorClass::Invalid,
        }
    }

    /// Whether this is a "not found" error (HTTP 404): the kinds of class
    /// [`ErrorClass::NotFound`].
    pub fn is_not_found(&self) -> bool {
        self.class() == ErrorClass::NotFound
    }
}

impl fmt::Display for ItemErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ItemErrorKind::Input(kind) => kind.fmt(f),
            ItemErrorKind::Org(kind) => kind.fmt(f),
            ItemErrorKind::Team(kind) => kind.fmt(f),
            ItemErrorKind::Rbac(kind) => kind.fmt(f),
            ItemErrorKind::UnknownItem { id } => write!(f, "unknown item {id:?}", id = bounded(id)),
            ItemErrorKind::UnknownItemType { value } => write!(
                f,
                "unknown item type {value:?} (expected session, goal, metric, insightBoard or dashboard)",
                value = bounded(value)
            ),
            ItemErrorKind::UnknownTargetType { value } => write!(
                f,
                "unknown target type {value:?} (expected metric, goal, session or insightBoard)",
                value = bounded(value)
            ),
            ItemErrorKind::ParentRequired { item_type } => write!(
                f,
                "{} {item_type} needs a parent {}",
                article(item_type.as_str()),
                item_type.parent_type().map_or("", |p| p.as_str())
            ),
            ItemErrorKind::ParentNotAllowed { item_type } => write!(
                f,
                "{} {item_type} has no parent",
                article(item_type.as_str())
            ),
            ItemErrorKind::WrongParentType {
                item_type,
                parent,
                found,
                expected,
            } => write!(
                f,
                "item {parent:?} is {} {found}, {} {item_type}'s parent must be {} {expected}",
                article(found.as_str()),
                article(item_type.as_str()),
                article(expected.as_str()),
                parent = bounded(parent)
            ),
            ItemErrorKind::ItemCycle { id, parent } => write!(
                f,
                "item {id:?} cannot move under {parent:?}, which is the item itself or lies under it",
                id = bounded(id),
                parent = bounded(parent)
            ),
            ItemErrorKind::HasChildItems { id, children } => {
                write!(
                    f,
                    "item {id:?} still has {children} child item(s)",
                    id = bounded(id)
                )
            }
            ItemErrorKind::ItemDefaultNotAllowed { item_type } => write!(
                f,
                "only sessions and dashboards have a per-item default access list, not {} {item_type}",
                article(item_type.as_str())
            ),
            ItemErrorKind::UnknownVerb { value } => write!(
                f,
                "unknown verb {value:?} (expected read, update, create, delete or modifyPermissions)",
                value = bounded(value)
            ),
            ItemErrorKind::UnknownPrincipalKind { value } => write!(
                f,
                "unknown principal kind {value:?} (expected user, team, role or account)",
                value = bounded(value)
            ),
        }
    }
}

impl From<InputErrorKind> for ItemErrorKind {
    fn from(kind: InputErrorKind) -> Self {
        ItemErrorKind::Input(kind)
    }
}

crate::error::lift_error!(InputErrorKind => ItemErrorKind);

impl From<OrgErrorKind> for ItemErrorKind {
    fn from(kind: OrgErrorKind) -> Self {
        match kind {
            OrgErrorKind::Input(inner) => ItemErrorKind::Input(inner),
            kind => ItemErrorKind::Org(kind),
        }
    }
}

crate::error::lift_error!(OrgErrorKind => ItemErrorKind);

impl From<TeamErrorKind> for ItemErrorKind {
    fn from(kind: TeamErrorKind) -> Self {
        match kind {
            TeamErrorKind::Input(inner) => ItemErrorKind::Input(inner),
            TeamErrorKind::Org(inner) => ItemErrorKind::Org(inner),
            kind => ItemErrorKind::Team(kind),
        }
    }
}

crate::error::lift_error!(TeamErrorKind => ItemErrorKind);

impl From<RbacErrorKind> for ItemErrorKind {
    fn from(kind: RbacErrorKind) -> Self {
        match kind {
            RbacErrorKind::Input(inner) => ItemErrorKind::Input(inner),
            RbacErrorKind::Org(inner) => ItemErrorKind::Org(inner),
            kind => ItemErrorKind::Rbac(kind),
        }
    }
}

crate::error::lift_error!(RbacErrorKind => ItemErrorKind);
