//! The one error type of every edit and import: what is wrong, and where.

use core::fmt;

/// A rejected edit or import. Nothing of the edit was applied.
///
/// [`path`](ModelError::path) points at the offending field, in the document's field names
/// (`profiles[3].callsAccess.teamLeadIds[0]`) for imports and relative to the edited object
/// (`callsAccess.teamLeadIds[0]`) for edits made through [`Model`](crate::Model) methods.
///
/// # Examples
///
/// ```
/// use orgperm::{ErrorKind, Model};
/// let mut model = Model::new();
/// let err = model.add_user("ada", Some("nobody")).unwrap_err();
/// assert_eq!(err.path(), "managerId");
/// assert_eq!(err.kind(), &ErrorKind::UnknownUser { id: "nobody".into() });
/// assert_eq!(err.to_string(), "managerId: unknown user \"nobody\"");
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ModelError {
    path: String,
    kind: ErrorKind,
}

/// What is wrong with an edit or an import.
///
/// # Examples
///
/// ```
/// use orgperm::ErrorKind;
/// let kind = ErrorKind::DuplicateId { id: "7".into() };
/// assert_eq!(kind.to_string(), "duplicate id \"7\"");
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// An id is the empty string.
    EmptyId,
    /// An id is already taken.
    DuplicateId {
        /// The id.
        id: String,
    },
    /// No active user has this id.
    UnknownUser {
        /// The id.
        id: String,
    },
    /// No workspace has this id.
    UnknownWorkspace {
        /// The id.
        id: String,
    },
    /// No profile has this id.
    UnknownProfile {
        /// The id.
        id: String,
    },
    /// No library folder has this id.
    UnknownFolder {
        /// The id.
        id: String,
    },
    /// A user was named as their own manager.
    SelfManager {
        /// The user.
        id: String,
    },
    /// The manager links form a cycle; the users in it, in manager order.
    ManagerCycle {
        /// The users in the cycle, each followed by their manager; the last one's manager is
        /// the first.
        users: Vec<String>,
    },
    /// A user with active direct reports cannot be removed; move the reports first.
    HasReports {
        /// The user.
        id: String,
        /// How many active direct reports they have.
        reports: usize,
    },
    /// A user named as a team lead in a profile cannot be removed: dropping the lead would
    /// silently widen the profile (`managers-team` without leads reaches further).
    UserIsTeamLead {
        /// The user.
        id: String,
        /// The profile naming them.
        profile: String,
        /// The field, as in `callsAccess.teamLeadIds`.
        field: String,
    },
    /// A scope level other than the five of the contract.
    InvalidLevel {
        /// The rejected value.
        value: String,
    },
    /// An access object without `permissionLevel`.
    MissingLevel,
    /// A library level other than `none`, `all` and `specific-folders`.
    InvalidLibraryLevel {
        /// The rejected value.
        value: String,
    },
    /// `libraryFolderAccess.permissionLevel` is absent.
    MissingLibraryLevel,
    /// Folder ids or a manage flag are set although the library level is `none`.
    LibraryNoneWithGrants,
    /// `specific-folders` without any folder id.
    SpecificFoldersEmpty,
    /// A folder of another workspace was named in a profile.
    FolderOutsideWorkspace {
        /// The folder.
        folder: String,
        /// The profile's workspace.
        workspace: String,
    },
    /// The profile name is empty or absent.
    MissingName,
    /// A capability field holds something other than a boolean.
    NotBoolean {
        /// The field name.
        name: String,
    },
    /// A profile that is still assigned to users cannot be deleted or moved to another workspace.
    ProfileAssigned {
        /// The profile.
        id: String,
        /// How many users hold it.
        users: usize,
    },
    /// A user is assigned two profiles in one workspace.
    DuplicateAssignment {
        /// The user.
        user: String,
        /// The workspace.
        workspace: String,
    },
    /// The model document has a version this build does not read.
    UnsupportedVersion {
        /// The version found.
        found: u32,
    },
    /// The document is not well-formed JSON of the expected shape.
    Syntax {
        /// The parser's message.
        message: String,
    },
    /// More than `u32::MAX - 1` ids, or more than 4 GiB of id text.
    TooManyIds,
    /// No team has this id.
    UnknownTeam {
        /// The id.
        id: String,
    },
    /// The parent links of the teams form a cycle; the teams in it, in parent order.
    TeamCycle {
        /// The teams in the cycle, each followed by its parent; the last one's parent is the
        /// first.
        teams: Vec<String>,
    },
    /// A team with sub-teams cannot be removed; move or remove the sub-teams first.
    HasSubTeams {
        /// The team.
        id: String,
        /// How many sub-teams it has.
        teams: usize,
    },
    /// No call has this id.
    UnknownCall {
        /// The id.
        id: String,
    },
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
    /// No external contact has this id.
    UnknownContact {
        /// The id.
        id: String,
    },

    // ---- roles and permissions (SEMANTICS.md §2 and the global part of §3) ----------------
    /// A required field is absent or empty (a role, division or group name, a subject).
    Required,
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
    /// A page size or page number of zero.
    InvalidPaging {
        /// What is wrong.
        reason: &'static str,
    },
    /// Fields that contradict each other.
    Conflict {
        /// What is wrong.
        reason: &'static str,
    },

    // ---- items (SEMANTICS.md §3, item access) ------------------------------------------------
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
        item_type: crate::ItemType,
    },
    /// A parent on a session, insight board or dashboard.
    ParentNotAllowed {
        /// The item's type.
        item_type: crate::ItemType,
    },
    /// The parent is not of the type the item's type needs (a session for a goal, a goal
    /// for a metric).
    WrongParentType {
        /// The item's type.
        item_type: crate::ItemType,
        /// The parent's id.
        parent: String,
        /// The parent's type.
        found: crate::ItemType,
        /// The type needed.
        expected: crate::ItemType,
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
        item_type: crate::ItemType,
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

impl ErrorKind {
    /// Whether this is a "not found" error (HTTP 404 in the vendors' APIs): an unknown user,
    /// advisor, network, network permission, team, call, contact, item, workspace, profile
    /// or folder, or a network permission that is not held.
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::ErrorKind;
    /// assert!(ErrorKind::UnknownNetwork { id: "ICQ".into() }.is_not_found());
    /// let dup = ErrorKind::AlreadyAssigned {
    ///     advisor: "a".into(), network: "SMS".into(), permission: "create:room".into(),
    /// };
    /// assert!(!dup.is_not_found());
    /// ```
    pub fn is_not_found(&self) -> bool {
        matches!(
            self,
            ErrorKind::UnknownUser { .. }
                | ErrorKind::UnknownWorkspace { .. }
                | ErrorKind::UnknownProfile { .. }
                | ErrorKind::UnknownFolder { .. }
                | ErrorKind::UnknownTeam { .. }
                | ErrorKind::UnknownCall { .. }
                | ErrorKind::UnknownAdvisor { .. }
                | ErrorKind::UnknownNetwork { .. }
                | ErrorKind::UnknownNetworkPermission { .. }
                | ErrorKind::PermissionNotHeld { .. }
                | ErrorKind::UnknownContact { .. }
                | ErrorKind::UnknownItem { .. }
        )
    }
}

impl ModelError {
    /// An error with an empty path.
    pub(crate) fn new(kind: ErrorKind) -> Self {
        Self {
            path: String::new(),
            kind,
        }
    }

    /// An error at `path`.
    pub(crate) fn at(path: impl Into<String>, kind: ErrorKind) -> Self {
        Self {
            path: path.into(),
            kind,
        }
    }

    /// Prefixes the path with `outer`, as in `profiles[3]` + `callsAccess` =
    /// `profiles[3].callsAccess`.
    pub(crate) fn within(mut self, outer: &str) -> Self {
        self.path = if self.path.is_empty() {
            outer.to_owned()
        } else if self.path.starts_with('[') {
            format!("{outer}{}", self.path)
        } else {
            format!("{outer}.{}", self.path)
        };
        self
    }

    /// The field the error is about, empty when it is about the whole input.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// What is wrong.
    pub fn kind(&self) -> &ErrorKind {
        &self.kind
    }
}

impl fmt::Display for ModelError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            write!(f, "{}", self.kind)
        } else {
            write!(f, "{}: {}", self.path, self.kind)
        }
    }
}

impl std::error::Error for ModelError {}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ErrorKind::EmptyId => write!(f, "id must not be empty"),
            ErrorKind::DuplicateId { id } => write!(f, "duplicate id {id:?}"),
            ErrorKind::UnknownUser { id } => write!(f, "unknown user {id:?}"),
            ErrorKind::UnknownWorkspace { id } => write!(f, "unknown workspace {id:?}"),
            ErrorKind::UnknownProfile { id } => write!(f, "unknown profile {id:?}"),
            ErrorKind::UnknownFolder { id } => write!(f, "unknown library folder {id:?}"),
            ErrorKind::SelfManager { id } => write!(f, "user {id:?} cannot be their own manager"),
            ErrorKind::ManagerCycle { users } => {
                write!(f, "manager cycle: ")?;
                for u in users {
                    write!(f, "{u:?} -> ")?;
                }
                match users.first() {
                    Some(first) => write!(f, "{first:?}"),
                    None => Ok(()),
                }
            }
            ErrorKind::HasReports { id, reports } => {
                write!(f, "user {id:?} still has {reports} direct report(s)")
            }
            ErrorKind::UserIsTeamLead { id, profile, field } => write!(
                f,
                "user {id:?} is a team lead in profile {profile:?} ({field}); update the profile first"
            ),
            ErrorKind::InvalidLevel { value } => write!(
                f,
                "invalid permission level {value:?} (expected all, managers-team, report-to-them, own or none)"
            ),
            ErrorKind::MissingLevel => write!(f, "permissionLevel is required"),
            ErrorKind::DuplicateAssignment { user, workspace } => write!(
                f,
                "user {user:?} already holds a profile in workspace {workspace:?}"
            ),
            ErrorKind::InvalidLibraryLevel { value } => write!(
                f,
                "invalid library permission level {value:?} (expected none, all or specific-folders)"
            ),
            ErrorKind::MissingLibraryLevel => write!(f, "permissionLevel is mandatory"),
            ErrorKind::LibraryNoneWithGrants => write!(
                f,
                "folder ids or manage flags are set, so permissionLevel must not be \"none\""
            ),
            ErrorKind::SpecificFoldersEmpty => {
                write!(f, "specific-folders needs at least one folder id")
            }
            ErrorKind::FolderOutsideWorkspace { folder, workspace } => write!(
                f,
                "library folder {folder:?} does not belong to workspace {workspace:?}"
            ),
            ErrorKind::MissingName => write!(f, "a profile name is required"),
            ErrorKind::NotBoolean { name } => write!(f, "capability {name:?} must be a boolean"),
            ErrorKind::ProfileAssigned { id, users } => {
                write!(f, "profile {id:?} is still assigned to {users} user(s)")
            }
            ErrorKind::UnsupportedVersion { found } => {
                write!(f, "unsupported model version {found} (this build reads version 1)")
            }
            ErrorKind::Syntax { message } => write!(f, "malformed document: {message}"),
            ErrorKind::TooManyIds => write!(f, "too many ids for a u32 index"),
            ErrorKind::UnknownTeam { id } => write!(f, "unknown team {id:?}"),
            ErrorKind::TeamCycle { teams } => {
                write!(f, "team cycle: ")?;
                for t in teams {
                    write!(f, "{t:?} -> ")?;
                }
                match teams.first() {
                    Some(first) => write!(f, "{first:?}"),
                    None => Ok(()),
                }
            }
            ErrorKind::HasSubTeams { id, teams } => {
                write!(f, "team {id:?} still has {teams} sub-team(s)")
            }
            ErrorKind::UnknownCall { id } => write!(f, "unknown call {id:?}"),
            ErrorKind::UnknownAdvisor { id } => write!(f, "advisor {id:?} not found"),
            ErrorKind::UnknownNetwork { id } => write!(f, "external network {id:?} not found"),
            ErrorKind::UnknownNetworkPermission {
                network,
                permission,
            } => write!(
                f,
                "permission {permission:?} not found in the catalog of network {network:?}"
            ),
            ErrorKind::AlreadyAssigned {
                advisor,
                network,
                permission,
            } => write!(
                f,
                "advisor {advisor:?} already holds {permission:?} on network {network:?}"
            ),
            ErrorKind::PermissionNotHeld {
                advisor,
                network,
                permission,
            } => write!(
                f,
                "advisor {advisor:?} does not hold {permission:?} on network {network:?}"
            ),
            ErrorKind::NotEntitled { advisor, network } => write!(
                f,
                "advisor {advisor:?} is not entitled on network {network:?}"
            ),
            ErrorKind::UnknownContact { id } => write!(f, "unknown contact {id:?}"),
            ErrorKind::Required => write!(f, "a value is required"),
            ErrorKind::InvalidPermission { value, reason } => {
                write!(f, "invalid permission {value:?}: {reason}")
            }
            ErrorKind::UnknownPermission { id } => write!(f, "unknown permission {id:?}"),
            ErrorKind::UnknownDomain { domain } => {
                write!(f, "unknown permission domain {domain:?}")
            }
            ErrorKind::WildcardDomain => write!(f, "a policy domain cannot be \"*\""),
            ErrorKind::EmptyActionSet => write!(f, "actionSet needs at least one action"),
            ErrorKind::ProductNotEnabled {
                permission,
                product,
            } => write!(
                f,
                "permission {permission:?} belongs to product {product:?}, which is not enabled"
            ),
            ErrorKind::ConditionNotAllowed { permission } => {
                write!(f, "permission {permission:?} does not allow conditions")
            }
            ErrorKind::InvalidCondition { reason } => write!(f, "invalid condition: {reason}"),
            ErrorKind::InvalidOperator { value } => write!(
                f,
                "invalid operator {value:?} (expected EQ, IN, GE, GT, LE or LT)"
            ),
            ErrorKind::InvalidConjunction { value } => {
                write!(f, "invalid conjunction {value:?} (expected AND or OR)")
            }
            ErrorKind::UnknownRole { id } => write!(f, "unknown role {id:?}"),
            ErrorKind::DuplicateName { name } => write!(f, "the name {name:?} is already taken"),
            ErrorKind::UnknownDefaultRole { id } => write!(f, "unknown default role {id:?}"),
            ErrorKind::NotADefaultRole { id } => write!(f, "role {id:?} is not a default role"),
            ErrorKind::DefaultRoleRenamed { id } => {
                write!(f, "the name of default role {id:?} cannot change")
            }
            ErrorKind::DefaultRoleIdChanged { id } => {
                write!(f, "the defaultRoleId of role {id:?} cannot change")
            }
            ErrorKind::BaseRoleNotRemovable { id } => write!(
                f,
                "role {id:?} is the base role held by every user and cannot be removed"
            ),
            ErrorKind::RoleAssigned { id, grants } => {
                write!(f, "role {id:?} is still granted {grants} time(s)")
            }
            ErrorKind::RoleReferenced { id, permission } => write!(
                f,
                "role {id:?} is a principal of global permission {permission:?}"
            ),
            ErrorKind::UnknownDivision { id } => write!(f, "unknown division {id:?}"),
            ErrorKind::NoHomeDivision => write!(f, "there is no home division"),
            ErrorKind::DivisionInUse { id, reason } => {
                write!(f, "division {id:?} cannot be deleted: {reason}")
            }
            ErrorKind::UnknownGroup { id } => write!(f, "unknown group {id:?}"),
            ErrorKind::UnknownAction { id } => write!(f, "unknown action {id:?}"),
            ErrorKind::ActionCycle { actions } => {
                write!(f, "the requires links form a cycle: {}", actions.join(" -> "))
            }
            ErrorKind::UnknownGlobalPermission { id } => {
                write!(f, "unknown global permission {id:?}")
            }
            ErrorKind::UnknownPrincipal { id } => {
                write!(f, "principal {id:?} is neither a user nor a role")
            }
            ErrorKind::AmbiguousPrincipal { id } => {
                write!(f, "principal {id:?} names both a user and a role")
            }
            ErrorKind::ViewOnlyConflict {
                user,
                view_only,
                other,
            } => write!(
                f,
                "user {user:?} would hold view-only role {view_only:?} together with role {other:?}"
            ),
            ErrorKind::InvalidPaging { reason } => write!(f, "invalid paging: {reason}"),
            ErrorKind::Conflict { reason } => write!(f, "{reason}"),
            ErrorKind::UnknownItem { id } => write!(f, "unknown item {id:?}"),
            ErrorKind::UnknownItemType { value } => write!(
                f,
                "unknown item type {value:?} (expected session, goal, metric, insightBoard or dashboard)"
            ),
            ErrorKind::UnknownTargetType { value } => write!(
                f,
                "unknown target type {value:?} (expected metric, goal, session or insightBoard)"
            ),
            ErrorKind::ParentRequired { item_type } => write!(
                f,
                "{} {item_type} needs a parent {}",
                article(item_type.as_str()),
                item_type.parent_type().map_or("", |p| p.as_str())
            ),
            ErrorKind::ParentNotAllowed { item_type } => write!(
                f,
                "{} {item_type} has no parent",
                article(item_type.as_str())
            ),
            ErrorKind::WrongParentType {
                item_type,
                parent,
                found,
                expected,
            } => write!(
                f,
                "item {parent:?} is {} {found}, {} {item_type}'s parent must be {} {expected}",
                article(found.as_str()),
                article(item_type.as_str()),
                article(expected.as_str())
            ),
            ErrorKind::HasChildItems { id, children } => {
                write!(f, "item {id:?} still has {children} child item(s)")
            }
            ErrorKind::ItemDefaultNotAllowed { item_type } => write!(
                f,
                "only sessions and dashboards have a per-item default access list, not {} {item_type}",
                article(item_type.as_str())
            ),
            ErrorKind::UnknownVerb { value } => write!(
                f,
                "unknown verb {value:?} (expected read, update, create, delete or modifyPermissions)"
            ),
            ErrorKind::UnknownPrincipalKind { value } => write!(
                f,
                "unknown principal kind {value:?} (expected user, team, role or account)"
            ),
        }
    }
}

/// "a" or "an" before a word.
fn article(word: &str) -> &'static str {
    match word.chars().next() {
        Some('a' | 'e' | 'i' | 'o' | 'u') => "an",
        _ => "a",
    }
}
