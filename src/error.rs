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
    /// The id of the innermost record on the path that has one, and the byte length of the
    /// path up to that record (`profiles[3]`), where the id is shown.
    record: Option<Box<(usize, String)>>,
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
    /// The document is not well-formed JSON, or a value does not fit its field.
    Syntax {
        /// The parser's message.
        message: String,
    },
    /// A field the document format does not have (often a misspelling). The path ends with
    /// the field's name.
    UnknownField {
        /// The fields that may stand here.
        expected: &'static [&'static str],
    },
    /// A field holds a value of the wrong JSON type.
    WrongType {
        /// What the field takes, as in `a string`.
        expected: String,
        /// What it holds, as written in the document (strings cut to 64 characters).
        found: String,
    },
    /// A field appears twice in one object.
    DuplicateField,
    /// A capability with an empty name.
    EmptyCapability,
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

    // ---- roles and permissions (the semantics page §2 and the global part of §3) ----------------
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

    // ---- items (the semantics page §3, item access) ------------------------------------------------
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
        item_type: crate::item_type::ItemType,
    },
    /// A parent on a session, insight board or dashboard.
    ParentNotAllowed {
        /// The item's type.
        item_type: crate::item_type::ItemType,
    },
    /// The parent is not of the type the item's type needs (a session for a goal, a goal
    /// for a metric).
    WrongParentType {
        /// The item's type.
        item_type: crate::item_type::ItemType,
        /// The parent's id.
        parent: String,
        /// The parent's type.
        found: crate::item_type::ItemType,
        /// The type needed.
        expected: crate::item_type::ItemType,
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
        item_type: crate::item_type::ItemType,
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

/// How a host answers an error: the HTTP status class the vendors' APIs use for it.
///
/// # Examples
///
/// ```
/// use orgperm::{ErrorClass, ErrorKind};
/// assert_eq!(ErrorKind::UnknownRole { id: "r".into() }.class(), ErrorClass::NotFound);
/// assert_eq!(ErrorKind::DuplicateId { id: "r".into() }.class(), ErrorClass::Conflict);
/// assert_eq!(ErrorKind::MissingName.class(), ErrorClass::Invalid);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ErrorClass {
    /// Something named does not exist (HTTP 404).
    NotFound,
    /// The request contradicts the current state: a duplicate, a reference that is still in
    /// use, something already held (HTTP 409).
    Conflict,
    /// The input itself is malformed or breaks a rule of the format (HTTP 400).
    Invalid,
}

impl ErrorKind {
    /// A stable, machine-readable name of the kind (`"unknown_role"`, `"already_assigned"`,
    /// …), for hosts that map errors to their own codes. It never changes for a kind.
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::ErrorKind;
    /// assert_eq!(ErrorKind::UnknownRole { id: "r".into() }.code(), "unknown_role");
    /// assert_eq!(ErrorKind::EmptyId.code(), "empty_id");
    /// ```
    pub fn code(&self) -> &'static str {
        match self {
            ErrorKind::EmptyId => "empty_id",
            ErrorKind::DuplicateId { .. } => "duplicate_id",
            ErrorKind::UnknownUser { .. } => "unknown_user",
            ErrorKind::UnknownWorkspace { .. } => "unknown_workspace",
            ErrorKind::UnknownProfile { .. } => "unknown_profile",
            ErrorKind::UnknownFolder { .. } => "unknown_folder",
            ErrorKind::SelfManager { .. } => "self_manager",
            ErrorKind::ManagerCycle { .. } => "manager_cycle",
            ErrorKind::HasReports { .. } => "has_reports",
            ErrorKind::UserIsTeamLead { .. } => "user_is_team_lead",
            ErrorKind::InvalidLevel { .. } => "invalid_level",
            ErrorKind::MissingLevel => "missing_level",
            ErrorKind::InvalidLibraryLevel { .. } => "invalid_library_level",
            ErrorKind::MissingLibraryLevel => "missing_library_level",
            ErrorKind::LibraryNoneWithGrants => "library_none_with_grants",
            ErrorKind::SpecificFoldersEmpty => "specific_folders_empty",
            ErrorKind::FolderOutsideWorkspace { .. } => "folder_outside_workspace",
            ErrorKind::MissingName => "missing_name",
            ErrorKind::ProfileAssigned { .. } => "profile_assigned",
            ErrorKind::DuplicateAssignment { .. } => "duplicate_assignment",
            ErrorKind::UnsupportedVersion { .. } => "unsupported_version",
            ErrorKind::Syntax { .. } => "malformed_document",
            ErrorKind::UnknownField { .. } => "unknown_field",
            ErrorKind::WrongType { .. } => "wrong_type",
            ErrorKind::DuplicateField => "duplicate_field",
            ErrorKind::EmptyCapability => "empty_capability",
            ErrorKind::TooManyIds => "too_many_ids",
            ErrorKind::UnknownTeam { .. } => "unknown_team",
            ErrorKind::TeamCycle { .. } => "team_cycle",
            ErrorKind::HasSubTeams { .. } => "has_sub_teams",
            ErrorKind::UnknownCall { .. } => "unknown_call",
            ErrorKind::UnknownAdvisor { .. } => "unknown_advisor",
            ErrorKind::UnknownNetwork { .. } => "unknown_network",
            ErrorKind::UnknownNetworkPermission { .. } => "unknown_network_permission",
            ErrorKind::AlreadyAssigned { .. } => "already_assigned",
            ErrorKind::PermissionNotHeld { .. } => "permission_not_held",
            ErrorKind::NotEntitled { .. } => "not_entitled",
            ErrorKind::UnknownContact { .. } => "unknown_contact",
            ErrorKind::Required => "required_field",
            ErrorKind::InvalidPermission { .. } => "invalid_permission",
            ErrorKind::UnknownPermission { .. } => "unknown_permission",
            ErrorKind::UnknownDomain { .. } => "unknown_domain",
            ErrorKind::WildcardDomain => "wildcard_domain",
            ErrorKind::EmptyActionSet => "empty_action_set",
            ErrorKind::ProductNotEnabled { .. } => "product_not_enabled",
            ErrorKind::ConditionNotAllowed { .. } => "condition_not_allowed",
            ErrorKind::InvalidCondition { .. } => "invalid_condition",
            ErrorKind::InvalidOperator { .. } => "invalid_operator",
            ErrorKind::InvalidConjunction { .. } => "invalid_conjunction",
            ErrorKind::UnknownRole { .. } => "unknown_role",
            ErrorKind::DuplicateName { .. } => "duplicate_name",
            ErrorKind::UnknownDefaultRole { .. } => "unknown_default_role",
            ErrorKind::NotADefaultRole { .. } => "not_a_default_role",
            ErrorKind::DefaultRoleRenamed { .. } => "default_role_renamed",
            ErrorKind::DefaultRoleIdChanged { .. } => "default_role_id_changed",
            ErrorKind::BaseRoleNotRemovable { .. } => "base_role_not_removable",
            ErrorKind::RoleAssigned { .. } => "role_assigned",
            ErrorKind::RoleReferenced { .. } => "role_referenced",
            ErrorKind::UnknownDivision { .. } => "unknown_division",
            ErrorKind::NoHomeDivision => "no_home_division",
            ErrorKind::DivisionInUse { .. } => "division_in_use",
            ErrorKind::UnknownGroup { .. } => "unknown_group",
            ErrorKind::UnknownAction { .. } => "unknown_action",
            ErrorKind::ActionCycle { .. } => "action_cycle",
            ErrorKind::UnknownGlobalPermission { .. } => "unknown_global_permission",
            ErrorKind::UnknownPrincipal { .. } => "unknown_principal",
            ErrorKind::AmbiguousPrincipal { .. } => "ambiguous_principal",
            ErrorKind::ViewOnlyConflict { .. } => "view_only_conflict",
            ErrorKind::InvalidPaging { .. } => "invalid_paging",
            ErrorKind::Conflict { .. } => "conflict",
            ErrorKind::UnknownItem { .. } => "unknown_item",
            ErrorKind::UnknownItemType { .. } => "unknown_item_type",
            ErrorKind::UnknownTargetType { .. } => "unknown_target_type",
            ErrorKind::ParentRequired { .. } => "parent_required",
            ErrorKind::ParentNotAllowed { .. } => "parent_not_allowed",
            ErrorKind::WrongParentType { .. } => "wrong_parent_type",
            ErrorKind::HasChildItems { .. } => "has_child_items",
            ErrorKind::ItemDefaultNotAllowed { .. } => "item_default_not_allowed",
            ErrorKind::UnknownVerb { .. } => "unknown_verb",
            ErrorKind::UnknownPrincipalKind { .. } => "unknown_principal_kind",
        }
    }

    /// The class of the kind. An unknown external network is [`ErrorClass::Invalid`]: the
    /// network is an enumerated path parameter, which Symphony answers with 400.
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{ErrorClass, ErrorKind};
    /// assert_eq!(ErrorKind::UnknownNetwork { id: "ICQ".into() }.class(), ErrorClass::Invalid);
    /// ```
    pub fn class(&self) -> ErrorClass {
        match self {
            ErrorKind::UnknownUser { .. }
            | ErrorKind::UnknownWorkspace { .. }
            | ErrorKind::UnknownProfile { .. }
            | ErrorKind::UnknownFolder { .. }
            | ErrorKind::UnknownTeam { .. }
            | ErrorKind::UnknownCall { .. }
            | ErrorKind::UnknownAdvisor { .. }
            | ErrorKind::UnknownNetworkPermission { .. }
            | ErrorKind::PermissionNotHeld { .. }
            | ErrorKind::UnknownContact { .. }
            | ErrorKind::UnknownPermission { .. }
            | ErrorKind::UnknownRole { .. }
            | ErrorKind::UnknownDefaultRole { .. }
            | ErrorKind::UnknownDivision { .. }
            | ErrorKind::UnknownGroup { .. }
            | ErrorKind::UnknownAction { .. }
            | ErrorKind::UnknownGlobalPermission { .. }
            | ErrorKind::UnknownPrincipal { .. }
            | ErrorKind::UnknownItem { .. } => ErrorClass::NotFound,
            ErrorKind::DuplicateId { .. }
            | ErrorKind::HasReports { .. }
            | ErrorKind::UserIsTeamLead { .. }
            | ErrorKind::ProfileAssigned { .. }
            | ErrorKind::DuplicateAssignment { .. }
            | ErrorKind::HasSubTeams { .. }
            | ErrorKind::AlreadyAssigned { .. }
            | ErrorKind::NotEntitled { .. }
            | ErrorKind::DuplicateName { .. }
            | ErrorKind::DefaultRoleRenamed { .. }
            | ErrorKind::DefaultRoleIdChanged { .. }
            | ErrorKind::BaseRoleNotRemovable { .. }
            | ErrorKind::RoleAssigned { .. }
            | ErrorKind::RoleReferenced { .. }
            | ErrorKind::DivisionInUse { .. }
            | ErrorKind::AmbiguousPrincipal { .. }
            | ErrorKind::ViewOnlyConflict { .. }
            | ErrorKind::Conflict { .. }
            | ErrorKind::HasChildItems { .. } => ErrorClass::Conflict,
            ErrorKind::EmptyId
            | ErrorKind::SelfManager { .. }
            | ErrorKind::ManagerCycle { .. }
            | ErrorKind::InvalidLevel { .. }
            | ErrorKind::MissingLevel
            | ErrorKind::InvalidLibraryLevel { .. }
            | ErrorKind::MissingLibraryLevel
            | ErrorKind::LibraryNoneWithGrants
            | ErrorKind::SpecificFoldersEmpty
            | ErrorKind::FolderOutsideWorkspace { .. }
            | ErrorKind::MissingName
            | ErrorKind::UnsupportedVersion { .. }
            | ErrorKind::Syntax { .. }
            | ErrorKind::UnknownField { .. }
            | ErrorKind::WrongType { .. }
            | ErrorKind::DuplicateField
            | ErrorKind::EmptyCapability
            | ErrorKind::TooManyIds
            | ErrorKind::TeamCycle { .. }
            | ErrorKind::UnknownNetwork { .. }
            | ErrorKind::Required
            | ErrorKind::InvalidPermission { .. }
            | ErrorKind::UnknownDomain { .. }
            | ErrorKind::WildcardDomain
            | ErrorKind::EmptyActionSet
            | ErrorKind::ProductNotEnabled { .. }
            | ErrorKind::ConditionNotAllowed { .. }
            | ErrorKind::InvalidCondition { .. }
            | ErrorKind::InvalidOperator { .. }
            | ErrorKind::InvalidConjunction { .. }
            | ErrorKind::NotADefaultRole { .. }
            | ErrorKind::NoHomeDivision
            | ErrorKind::ActionCycle { .. }
            | ErrorKind::InvalidPaging { .. }
            | ErrorKind::UnknownItemType { .. }
            | ErrorKind::UnknownTargetType { .. }
            | ErrorKind::ParentRequired { .. }
            | ErrorKind::ParentNotAllowed { .. }
            | ErrorKind::WrongParentType { .. }
            | ErrorKind::ItemDefaultNotAllowed { .. }
            | ErrorKind::UnknownVerb { .. }
            | ErrorKind::UnknownPrincipalKind { .. } => ErrorClass::Invalid,
        }
    }

    /// Whether this is a "not found" error (HTTP 404): the kinds of class
    /// [`ErrorClass::NotFound`].
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::ErrorKind;
    /// assert!(ErrorKind::UnknownAdvisor { id: "7".into() }.is_not_found());
    /// assert!(!ErrorKind::UnknownNetwork { id: "ICQ".into() }.is_not_found());
    /// ```
    pub fn is_not_found(&self) -> bool {
        self.class() == ErrorClass::NotFound
    }
}

impl ModelError {
    /// An error with an empty path.
    pub(crate) fn new(kind: ErrorKind) -> Self {
        Self {
            path: String::new(),
            kind,
            record: None,
        }
    }

    /// An error at `path`.
    pub(crate) fn at(path: impl Into<String>, kind: ErrorKind) -> Self {
        Self {
            path: path.into(),
            kind,
            record: None,
        }
    }

    /// Prefixes the path with `outer`, as in `profiles[3]` + `callsAccess` =
    /// `profiles[3].callsAccess`.
    pub(crate) fn within(mut self, outer: &str) -> Self {
        let old = self.path.len();
        self.path = if self.path.is_empty() {
            outer.to_owned()
        } else if self.path.starts_with('[') {
            format!("{outer}{}", self.path)
        } else {
            format!("{outer}.{}", self.path)
        };
        if let Some(record) = &mut self.record {
            record.0 += self.path.len() - old;
        }
        self
    }

    /// Like [`within`](Self::within) for a record with an id (`profiles[3]`, id `"p9"`): the
    /// id is shown in the message unless an inner record is already named.
    pub(crate) fn within_record(self, outer: &str, id: &str) -> Self {
        let named = self.record.is_some() || id.is_empty();
        let mut err = self.within(outer);
        if !named {
            err.record = Some(Box::new((outer.len(), bounded(id).to_string())));
        }
        err
    }

    /// Names the record of a section when the path points into one (`users[3]…`) and no
    /// inner record is named yet: for errors built by a section's bulk import, which knows
    /// the index but not the document's ids.
    pub(crate) fn in_section<'a>(
        self,
        section: &str,
        id_of: impl Fn(usize) -> Option<&'a str>,
    ) -> Self {
        if self.record.is_some() {
            return self;
        }
        let Some(rest) = self
            .path
            .strip_prefix(section)
            .and_then(|r| r.strip_prefix('['))
        else {
            return self;
        };
        let Some(close) = rest.find(']') else {
            return self;
        };
        let Some(id) = rest
            .get(..close)
            .and_then(|n| n.parse().ok())
            .and_then(&id_of)
        else {
            return self;
        };
        let at = section.len() + close + 2;
        let id = bounded(id).to_string();
        self.with_record(at, id)
    }

    /// Names the record whose path ends at byte `at` of the path.
    pub(crate) fn with_record(mut self, at: usize, id: String) -> Self {
        if !id.is_empty() && self.path.is_char_boundary(at) {
            self.record = Some(Box::new((at, id)));
        }
        self
    }

    /// The id of the innermost record on the path that has one (cut to 64 characters), as
    /// in `"p9"` for `profiles[3] (id "p9").callsAccess.permissionLevel`.
    ///
    /// # Examples
    ///
    /// ```
    /// let doc = r#"{"version": 1, "profiles": [{"id": "p9", "name": "x", "callsAccess": {"permissionLevel": "most"}}]}"#;
    /// let err = orgperm::Model::from_json(doc).unwrap_err();
    /// assert_eq!(err.path(), "profiles[0].callsAccess.permissionLevel");
    /// assert_eq!(err.record_id(), Some("p9"));
    /// assert!(err.to_string().starts_with("profiles[0] (id \"p9\").callsAccess.permissionLevel: "));
    /// ```
    pub fn record_id(&self) -> Option<&str> {
        self.record.as_ref().map(|r| r.1.as_str())
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
            return write!(f, "{}", self.kind);
        }
        match &self.record {
            Some(record) => {
                let (at, id) = &**record;
                match (self.path.get(..*at), self.path.get(*at..)) {
                    (Some(head), Some(tail)) => {
                        write!(f, "{head} (id {id:?}){tail}: {}", self.kind)
                    }
                    _ => write!(f, "{}: {}", self.path, self.kind),
                }
            }
            None => write!(f, "{}: {}", self.path, self.kind),
        }
    }
}

impl std::error::Error for ModelError {}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ErrorKind::EmptyId => write!(f, "id must not be empty"),
            ErrorKind::DuplicateId { id } => write!(f, "duplicate id {id:?}", id = bounded(id)),
            ErrorKind::UnknownUser { id } => write!(f, "unknown user {id:?}", id = bounded(id)),
            ErrorKind::UnknownWorkspace { id } => {
                write!(f, "unknown workspace {id:?}", id = bounded(id))
            }
            ErrorKind::UnknownProfile { id } => {
                write!(f, "unknown profile {id:?}", id = bounded(id))
            }
            ErrorKind::UnknownFolder { id } => {
                write!(f, "unknown library folder {id:?}", id = bounded(id))
            }
            ErrorKind::SelfManager { id } => write!(
                f,
                "user {id:?} cannot be their own manager",
                id = bounded(id)
            ),
            ErrorKind::ManagerCycle { users } => {
                write!(f, "manager cycle: ")?;
                write_cycle(f, users, "users")
            }
            ErrorKind::HasReports { id, reports } => {
                write!(
                    f,
                    "user {id:?} still has {reports} direct report(s)",
                    id = bounded(id)
                )
            }
            ErrorKind::UserIsTeamLead { id, profile, field } => write!(
                f,
                "user {id:?} is a team lead in profile {profile:?} ({field}); update the profile first",
                id = bounded(id),
                profile = bounded(profile)
            ),
            ErrorKind::InvalidLevel { value } => write!(
                f,
                "invalid permission level {value:?} (expected all, managers-team, report-to-them, own or none)",
                value = bounded(value)
            ),
            ErrorKind::MissingLevel => write!(f, "permissionLevel is required"),
            ErrorKind::DuplicateAssignment { user, workspace } => write!(
                f,
                "user {user:?} already holds a profile in workspace {workspace:?}",
                user = bounded(user),
                workspace = bounded(workspace)
            ),
            ErrorKind::InvalidLibraryLevel { value } => write!(
                f,
                "invalid library permission level {value:?} (expected none, all or specific-folders)",
                value = bounded(value)
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
                "library folder {folder:?} does not belong to workspace {workspace:?}",
                folder = bounded(folder),
                workspace = bounded(workspace)
            ),
            ErrorKind::MissingName => write!(f, "a profile name is required"),
            ErrorKind::ProfileAssigned { id, users } => {
                write!(
                    f,
                    "profile {id:?} is still assigned to {users} user(s)",
                    id = bounded(id)
                )
            }
            ErrorKind::UnsupportedVersion { found } => {
                write!(
                    f,
                    "unsupported model version {found} (this build reads version 1)"
                )
            }
            ErrorKind::Syntax { message } => write!(f, "malformed document: {message}"),
            ErrorKind::UnknownField { expected } => match expected.split_last() {
                None => write!(f, "unknown field, this object has no fields"),
                Some((last, [])) => write!(f, "unknown field, expected {last}"),
                Some((last, rest)) => {
                    write!(f, "unknown field, expected {} or {last}", rest.join(", "))
                }
            },
            ErrorKind::WrongType { expected, found } => {
                write!(f, "expected {expected}, found {found}")
            }
            ErrorKind::DuplicateField => write!(f, "the field appears twice"),
            ErrorKind::EmptyCapability => write!(f, "a capability name must not be empty"),
            ErrorKind::TooManyIds => write!(f, "too many ids for a u32 index"),
            ErrorKind::UnknownTeam { id } => write!(f, "unknown team {id:?}", id = bounded(id)),
            ErrorKind::TeamCycle { teams } => {
                write!(f, "team cycle: ")?;
                write_cycle(f, teams, "teams")
            }
            ErrorKind::HasSubTeams { id, teams } => {
                write!(
                    f,
                    "team {id:?} still has {teams} sub-team(s)",
                    id = bounded(id)
                )
            }
            ErrorKind::UnknownCall { id } => write!(f, "unknown call {id:?}", id = bounded(id)),
            ErrorKind::UnknownAdvisor { id } => {
                write!(f, "advisor {id:?} not found", id = bounded(id))
            }
            ErrorKind::UnknownNetwork { id } => {
                write!(f, "external network {id:?} not found", id = bounded(id))
            }
            ErrorKind::UnknownNetworkPermission {
                network,
                permission,
            } => write!(
                f,
                "permission {permission:?} not found in the catalog of network {network:?}",
                permission = bounded(permission),
                network = bounded(network)
            ),
            ErrorKind::AlreadyAssigned {
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
            ErrorKind::PermissionNotHeld {
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
            ErrorKind::NotEntitled { advisor, network } => write!(
                f,
                "advisor {advisor:?} is not entitled on network {network:?}",
                advisor = bounded(advisor),
                network = bounded(network)
            ),
            ErrorKind::UnknownContact { id } => {
                write!(f, "unknown contact {id:?}", id = bounded(id))
            }
            ErrorKind::Required => write!(f, "a value is required"),
            ErrorKind::InvalidPermission { value, reason } => {
                write!(
                    f,
                    "invalid permission {value:?}: {reason}",
                    value = bounded(value)
                )
            }
            ErrorKind::UnknownPermission { id } => {
                write!(f, "unknown permission {id:?}", id = bounded(id))
            }
            ErrorKind::UnknownDomain { domain } => {
                write!(
                    f,
                    "unknown permission domain {domain:?}",
                    domain = bounded(domain)
                )
            }
            ErrorKind::WildcardDomain => write!(f, "a policy domain cannot be \"*\""),
            ErrorKind::EmptyActionSet => write!(f, "actionSet needs at least one action"),
            ErrorKind::ProductNotEnabled {
                permission,
                product,
            } => write!(
                f,
                "permission {permission:?} belongs to product {product:?}, which is not enabled",
                permission = bounded(permission),
                product = bounded(product)
            ),
            ErrorKind::ConditionNotAllowed { permission } => {
                write!(
                    f,
                    "permission {permission:?} does not allow conditions",
                    permission = bounded(permission)
                )
            }
            ErrorKind::InvalidCondition { reason } => write!(f, "invalid condition: {reason}"),
            ErrorKind::InvalidOperator { value } => write!(
                f,
                "invalid operator {value:?} (expected EQ, IN, GE, GT, LE or LT)",
                value = bounded(value)
            ),
            ErrorKind::InvalidConjunction { value } => {
                write!(
                    f,
                    "invalid conjunction {value:?} (expected AND or OR)",
                    value = bounded(value)
                )
            }
            ErrorKind::UnknownRole { id } => write!(f, "unknown role {id:?}", id = bounded(id)),
            ErrorKind::DuplicateName { name } => write!(
                f,
                "the name {name:?} is already taken",
                name = bounded(name)
            ),
            ErrorKind::UnknownDefaultRole { id } => {
                write!(f, "unknown default role {id:?}", id = bounded(id))
            }
            ErrorKind::NotADefaultRole { id } => {
                write!(f, "role {id:?} is not a default role", id = bounded(id))
            }
            ErrorKind::DefaultRoleRenamed { id } => {
                write!(
                    f,
                    "the name of default role {id:?} cannot change",
                    id = bounded(id)
                )
            }
            ErrorKind::DefaultRoleIdChanged { id } => {
                write!(
                    f,
                    "the defaultRoleId of role {id:?} cannot change",
                    id = bounded(id)
                )
            }
            ErrorKind::BaseRoleNotRemovable { id } => write!(
                f,
                "role {id:?} is the base role held by every user and cannot be removed",
                id = bounded(id)
            ),
            ErrorKind::RoleAssigned { id, grants } => {
                write!(
                    f,
                    "role {id:?} is still granted {grants} time(s)",
                    id = bounded(id)
                )
            }
            ErrorKind::RoleReferenced { id, permission } => write!(
                f,
                "role {id:?} is a principal of global permission {permission:?}",
                id = bounded(id),
                permission = bounded(permission)
            ),
            ErrorKind::UnknownDivision { id } => {
                write!(f, "unknown division {id:?}", id = bounded(id))
            }
            ErrorKind::NoHomeDivision => write!(f, "there is no home division"),
            ErrorKind::DivisionInUse { id, reason } => {
                write!(
                    f,
                    "division {id:?} cannot be deleted: {reason}",
                    id = bounded(id)
                )
            }
            ErrorKind::UnknownGroup { id } => write!(f, "unknown group {id:?}", id = bounded(id)),
            ErrorKind::UnknownAction { id } => write!(f, "unknown action {id:?}", id = bounded(id)),
            ErrorKind::ActionCycle { actions } => {
                write!(f, "the requires links form a cycle: ")?;
                write_cycle(f, actions, "actions")
            }
            ErrorKind::UnknownGlobalPermission { id } => {
                write!(f, "unknown global permission {id:?}", id = bounded(id))
            }
            ErrorKind::UnknownPrincipal { id } => {
                write!(
                    f,
                    "principal {id:?} is neither a user nor a role",
                    id = bounded(id)
                )
            }
            ErrorKind::AmbiguousPrincipal { id } => {
                write!(
                    f,
                    "principal {id:?} names both a user and a role",
                    id = bounded(id)
                )
            }
            ErrorKind::ViewOnlyConflict {
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
            ErrorKind::InvalidPaging { reason } => write!(f, "invalid paging: {reason}"),
            ErrorKind::Conflict { reason } => write!(f, "{reason}"),
            ErrorKind::UnknownItem { id } => write!(f, "unknown item {id:?}", id = bounded(id)),
            ErrorKind::UnknownItemType { value } => write!(
                f,
                "unknown item type {value:?} (expected session, goal, metric, insightBoard or dashboard)",
                value = bounded(value)
            ),
            ErrorKind::UnknownTargetType { value } => write!(
                f,
                "unknown target type {value:?} (expected metric, goal, session or insightBoard)",
                value = bounded(value)
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
                article(expected.as_str()),
                parent = bounded(parent)
            ),
            ErrorKind::HasChildItems { id, children } => {
                write!(
                    f,
                    "item {id:?} still has {children} child item(s)",
                    id = bounded(id)
                )
            }
            ErrorKind::ItemDefaultNotAllowed { item_type } => write!(
                f,
                "only sessions and dashboards have a per-item default access list, not {} {item_type}",
                article(item_type.as_str())
            ),
            ErrorKind::UnknownVerb { value } => write!(
                f,
                "unknown verb {value:?} (expected read, update, create, delete or modifyPermissions)",
                value = bounded(value)
            ),
            ErrorKind::UnknownPrincipalKind { value } => write!(
                f,
                "unknown principal kind {value:?} (expected user, team, role or account)",
                value = bounded(value)
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

/// The most characters of an id that a message echoes.
pub(crate) const ECHO_LIMIT: usize = 64;

/// The most members of a cycle that a message lists.
pub(crate) const CYCLE_LIMIT: usize = 16;

/// An id as a message echoes it: cut after [`ECHO_LIMIT`] characters, so that a message
/// stays small whatever the input (`Debug` quotes it, `Display` does not).
pub(crate) fn bounded(s: &str) -> Bounded<'_> {
    cut_after(s, ECHO_LIMIT)
}

/// `s` cut after `limit` characters (see [`bounded`]).
pub(crate) fn cut_after(s: &str, limit: usize) -> Bounded<'_> {
    match s.char_indices().nth(limit) {
        Some((cut, _)) => Bounded {
            text: s.get(..cut).unwrap_or(s),
            cut: true,
        },
        None => Bounded {
            text: s,
            cut: false,
        },
    }
}

/// See [`bounded`].
#[derive(Clone, Copy)]
pub(crate) struct Bounded<'a> {
    text: &'a str,
    cut: bool,
}

impl fmt::Display for Bounded<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.text)?;
        if self.cut {
            f.write_str("…")?;
        }
        Ok(())
    }
}

impl fmt::Debug for Bounded<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "\"{}", self.text.escape_debug())?;
        if self.cut {
            f.write_str("…")?;
        }
        f.write_str("\"")
    }
}

/// Writes a cycle as `"a" -> "b" -> "a"`, listing at most [`CYCLE_LIMIT`] members.
fn write_cycle(f: &mut fmt::Formatter<'_>, members: &[String], noun: &str) -> fmt::Result {
    for m in members.iter().take(CYCLE_LIMIT) {
        write!(f, "{:?} -> ", bounded(m))?;
    }
    if members.len() > CYCLE_LIMIT {
        write!(f, "… ({} {noun} in all)", members.len())
    } else {
        match members.first() {
            Some(first) => write!(f, "{:?}", bounded(first)),
            None => Ok(()),
        }
    }
}
