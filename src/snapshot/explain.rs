//! Explanations: which rule decided a check, for logs and admin UIs.
//!
//! The check methods return `bool` as fast as they can; the `explain*` methods walk the same
//! rules and return a [`Decision`] that owns the external ids it mentions.

use core::fmt;

use crate::profile::{Domain, Level, LibraryLevel};
use crate::rbac::grants::GrantSource;

/// The outcome of a check and the rule that decided it.
///
/// # Examples
///
/// ```
/// use orgperm::{Domain, Model, Reason};
/// let mut model = Model::new();
/// model.add_user("ada", None).unwrap();
/// let snap = model.compile();
/// let d = snap.explain("ada", Domain::Calls, "ada");
/// assert!(!d.allowed);
/// assert!(matches!(d.reason, Reason::NoProfile { .. }));
/// assert_eq!(d.to_string(), "deny: user \"ada\" has no profile in workspace \"default\"");
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decision {
    /// Whether access is granted.
    pub allowed: bool,
    /// The rule that decided.
    pub reason: Reason,
}

/// Why a check came out as it did.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Reason {
    /// Deny: the user is unknown or removed.
    UnknownUser {
        /// The id as given.
        user: String,
    },
    /// Deny: the workspace is unknown.
    UnknownWorkspace {
        /// The id as given.
        workspace: String,
    },
    /// Deny: the user holds no profile in the workspace.
    NoProfile {
        /// The user.
        user: String,
        /// The workspace.
        workspace: String,
    },
    /// Deny: the profile's level for the domain is `none`.
    LevelNone {
        /// The profile.
        profile: String,
        /// The domain.
        domain: Domain,
    },
    /// Allow: the profile's level for the domain is `all`.
    LevelAll {
        /// The profile.
        profile: String,
        /// The domain.
        domain: Domain,
    },
    /// Allow: the data is the viewer's own and the level is not `none`.
    OwnData {
        /// The profile.
        profile: String,
        /// The level.
        level: Level,
    },
    /// Allow: the owner is in the subtree of `root`, which the level reaches: the viewer
    /// (`report-to-them`, or `managers-team` for a viewer without manager), the viewer's manager
    /// (`managers-team`) or a listed team lead (`managers-team` with leads).
    InSubtree {
        /// The profile.
        profile: String,
        /// The level.
        level: Level,
        /// Whose subtree.
        root: String,
        /// Whether `root` is a listed team lead.
        lead: bool,
    },
    /// Deny: the owner is outside what the level reaches.
    OutsideScope {
        /// The profile.
        profile: String,
        /// The level.
        level: Level,
    },
    /// Deny: the capability name is unknown.
    UnknownCapability {
        /// The name as given.
        capability: String,
    },
    /// The profile sets the capability (allow) or does not (deny).
    Capability {
        /// The profile.
        profile: String,
        /// The capability's name.
        capability: String,
        /// Whether it is set.
        set: bool,
    },
    /// Deny: the folder is unknown.
    UnknownFolder {
        /// The id as given.
        folder: String,
    },
    /// Deny: the folder belongs to another workspace.
    FolderOutsideWorkspace {
        /// The folder.
        folder: String,
        /// The workspace asked about.
        workspace: String,
    },
    /// The profile's library level decided.
    Library {
        /// The profile.
        profile: String,
        /// The library level.
        level: LibraryLevel,
        /// For `specific-folders`, whether the folder is listed.
        listed: bool,
    },
    /// Deny: the call is unknown or removed.
    UnknownCall {
        /// The id as given.
        call: String,
    },
    /// Deny: the call is private and the viewer is not its owner, an internal participant
    /// or a user it was shared with, whatever their level.
    PrivateCall {
        /// The call.
        call: String,
    },
    /// Allow: the viewer owns the call.
    CallOwner {
        /// The call.
        call: String,
    },
    /// Allow: the viewer is an internal participant of the call.
    CallParticipant {
        /// The call.
        call: String,
    },
    /// Allow: the call was shared with the viewer.
    CallShared {
        /// The call.
        call: String,
    },
    /// Allow: the viewer's `callsAccess` scope reaches a participant of the call (the owner
    /// counts as one).
    CallInScope {
        /// The call.
        call: String,
        /// The viewer's profile.
        profile: String,
        /// Its `callsAccess` level.
        level: Level,
        /// The participant reached (the owner when the scope reaches them).
        participant: String,
    },
    /// Allow: the viewer may access a library folder holding the call.
    CallInFolder {
        /// The call.
        call: String,
        /// The viewer's profile.
        profile: String,
        /// The folder.
        folder: String,
    },
    /// Allow: the viewer holds an individual grant on the call.
    CallGrant {
        /// The call.
        call: String,
    },
    /// Deny: the call is not private, but no participant is in the viewer's scope and no
    /// share, folder or grant gives it to them.
    CallOutOfReach {
        /// The call.
        call: String,
        /// The viewer's profile.
        profile: String,
        /// Its `callsAccess` level.
        level: Level,
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
        principal: crate::Principal,
        /// The bound action when it is not the one asked about (it requires it).
        via: Option<String>,
    },
    /// Deny: no global permission binds the action to the user or their roles.
    NoActionBinding {
        /// The action.
        action: String,
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

impl Decision {
    pub(crate) fn deny(reason: Reason) -> Self {
        Self {
            allowed: false,
            reason,
        }
    }

    pub(crate) fn allow(reason: Reason) -> Self {
        Self {
            allowed: true,
            reason,
        }
    }
}

impl fmt::Display for Decision {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let verdict = if self.allowed { "allow" } else { "deny" };
        write!(f, "{verdict}: {}", self.reason)
    }
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Reason::UnknownUser { user } => write!(f, "unknown or removed user {user}"),
            Reason::UnknownWorkspace { workspace } => write!(f, "unknown workspace {workspace}"),
            Reason::NoProfile { user, workspace } => {
                write!(f, "user {user:?} has no profile in workspace {workspace:?}")
            }
            Reason::LevelNone { profile, domain } => {
                write!(
                    f,
                    "profile {profile:?} has level none for {}",
                    domain.path()
                )
            }
            Reason::LevelAll { profile, domain } => {
                write!(f, "profile {profile:?} has level all for {}", domain.path())
            }
            Reason::OwnData { profile, level } => {
                write!(f, "own data, profile {profile:?} at level {level}")
            }
            Reason::InSubtree {
                profile,
                level,
                root,
                lead,
            } => {
                let whose = if *lead { "team lead" } else { "user" };
                write!(
                    f,
                    "owner is in the subtree of {whose} {root:?}, profile {profile:?} at level {level}"
                )
            }
            Reason::OutsideScope { profile, level } => {
                write!(
                    f,
                    "owner is outside the reach of profile {profile:?} at level {level}"
                )
            }
            Reason::UnknownCapability { capability } => {
                write!(f, "unknown capability {capability}")
            }
            Reason::Capability {
                profile,
                capability,
                set,
            } => {
                let state = if *set { "sets" } else { "does not set" };
                write!(f, "profile {profile:?} {state} {capability:?}")
            }
            Reason::UnknownFolder { folder } => write!(f, "unknown library folder {folder}"),
            Reason::FolderOutsideWorkspace { folder, workspace } => {
                write!(f, "folder {folder:?} is not in workspace {workspace:?}")
            }
            Reason::Library {
                profile,
                level,
                listed,
            } => match level {
                LibraryLevel::SpecificFolders if *listed => {
                    write!(f, "profile {profile:?} lists the folder")
                }
                LibraryLevel::SpecificFolders => {
                    write!(f, "profile {profile:?} does not list the folder")
                }
                other => write!(
                    f,
                    "profile {profile:?} has library level {}",
                    other.as_str()
                ),
            },
            Reason::UnknownCall { call } => write!(f, "unknown or removed call {call}"),
            Reason::PrivateCall { call } => write!(
                f,
                "call {call:?} is private and the viewer is not its owner, a participant or a sharee"
            ),
            Reason::CallOwner { call } => write!(f, "the viewer owns call {call:?}"),
            Reason::CallParticipant { call } => {
                write!(f, "the viewer is a participant of call {call:?}")
            }
            Reason::CallShared { call } => write!(f, "call {call:?} is shared with the viewer"),
            Reason::CallInScope {
                call,
                profile,
                level,
                participant,
            } => write!(
                f,
                "participant {participant:?} of call {call:?} is in the reach of profile {profile:?} at level {level}"
            ),
            Reason::CallInFolder {
                call,
                profile,
                folder,
            } => write!(
                f,
                "call {call:?} is in folder {folder:?}, which profile {profile:?} may access"
            ),
            Reason::CallGrant { call } => {
                write!(f, "the viewer holds an individual grant on call {call:?}")
            }
            Reason::CallOutOfReach {
                call,
                profile,
                level,
            } => write!(
                f,
                "no participant of call {call:?} is in the reach of profile {profile:?} at level {level}, and no share, folder or grant applies"
            ),
            Reason::UnknownNetworkItem { kind, id } => write!(f, "unknown {kind} {id}"),
            Reason::NotEntitled { advisor, network } => write!(
                f,
                "advisor {advisor:?} is not entitled on network {network:?}"
            ),
            Reason::NetworkPermissions {
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
            Reason::CrossNetworkRoom { networks } => {
                write!(f, "a room may not mix networks, found {networks:?}")
            }
            Reason::EmptyRoom => write!(f, "a room needs at least one contact"),
            Reason::UnknownPermission { permission } => {
                write!(f, "unknown permission {permission}")
            }
            Reason::UnknownDivision { division } => write!(f, "unknown division {division}"),
            Reason::UnknownResource { resource } => {
                write!(f, "resource {resource} is not in any division")
            }
            Reason::ProductDisabled {
                permission,
                product,
            } => write!(
                f,
                "permission {permission:?} belongs to product {product:?}, which is not enabled"
            ),
            Reason::RoleGrant {
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
            Reason::NotInDivision {
                permission,
                division,
            } => write!(
                f,
                "permission {permission:?} is not granted in division {division:?} or \"*\""
            ),
            Reason::ConditionNotMet {
                permission,
                role,
                policy,
            } => write!(
                f,
                "permission {permission:?} is granted only under conditions (role {role:?} policy {policy:?}), none held"
            ),
            Reason::NoGrant { permission } => {
                write!(f, "no role of the user grants {permission:?}")
            }
            Reason::UnknownAction { action } => write!(f, "unknown action {action}"),
            Reason::ActionBound {
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
                    crate::Principal::User(id) => write!(f, " to user {id:?}"),
                    crate::Principal::Role(id) => write!(f, " to role {id:?}"),
                    crate::Principal::Id(id) => write!(f, " to {id:?}"),
                }
            }
            Reason::NoActionBinding { action } => {
                write!(
                    f,
                    "no global permission binds {action:?} to the user or their roles"
                )
            }
            Reason::UnknownItem { item } => write!(f, "unknown or removed item {item}"),
            Reason::ItemOwner { item, verb } => {
                write!(f, "the user owns item {item:?}, which gives {verb}")
            }
            Reason::ItemEntry {
                item,
                verb,
                origin,
                principal,
            } => write!(f, "{origin} grants {verb} on item {item:?} to {principal}"),
            Reason::ItemNoEntry { item, verb, origin } => write!(
                f,
                "no entry of {origin} grants {verb} on item {item:?} to the user"
            ),
            Reason::ItemGated {
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
            Reason::ItemViewOnly { item, verb } => write!(
                f,
                "the user holds a view-only role, which allows only read, not {verb}, on item {item:?}"
            ),
        }
    }
}
