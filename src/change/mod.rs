//! Change sets: a typed, serializable list of edits, applied all or nothing.
//!
//! A change set is JSON, versioned like the model document:
//!
//! ```json
//! {"version": 1, "id": "cs-42", "ops": [
//!   {"op": "addUser", "id": "dana", "managerId": "lee"},
//!   {"op": "assignProfile", "userId": "dana", "profileId": "mgr"}
//! ]}
//! ```
//!
//! Each operation names one [`Model`] edit with the edit's own arguments, in the document's
//! field names. Applying a change set applies its operations in order to a draft of the
//! model (a clone that shares every family store until an operation writes to it); the model
//! is replaced by the draft only when every operation succeeded, so a failing operation
//! leaves the model exactly as it was and the error names the operation's index and field
//! (`ops[3].profileId: unknown profile "9"`).
//!
//! # Operations, by family
//!
//! Every public edit of [`Model`] and of its family views is an operation; the family is the
//! compiled part an engine recompiles after it (with the parts over it).
//!
//! - **Org**: `addWorkspace`, `addFolder`, `removeFolder`, `addUser`, `moveUser`,
//!   `removeUser`.
//! - **Profiles**: `createProfile`, `updateProfile` (the body is a `profiles` entry of the
//!   document), `deleteProfile`, `assignProfile`, `unassignProfile`.
//! - **Teams**: `addTeam`, `moveTeam`, `removeTeam`, `addTeamMember`, `removeTeamMember`.
//! - **Calls**: `addCall` (a `calls` entry), `removeCall`, `shareCall`, `unshareCall`,
//!   `setCallPrivate`, `grantCall`, `revokeCallGrant`, `addCallToFolder`,
//!   `removeCallFromFolder`.
//! - **Networks**: `addNetwork`, `removeNetwork`, `addNetworkPermission`,
//!   `removeNetworkPermission`, `addContact`, `entitleAdvisor`,
//!   `removeEntitlement`, `grantNetworkPermission`, `grantNetworkPermissionBulk` (all or
//!   nothing, unlike the edit's per-advisor results), `revokeNetworkPermission`,
//!   `defineNetworkPermission`, `setNetworkPermissionDefault`, `defineNetworkFeature`,
//!   `removeNetworkFeature`;
//!   `onboardAdvisor` writes to the org too (it may add the advisor to the directory).
//! - **Roles and permissions**: `addPermission` (a `permissionCatalog` entry),
//!   `removePermission`, `enableProduct`, `disableProduct`, `createRole`, `updateRole` (a `roles` entry),
//!   `deleteRole`, `setRoleNeedsUpdate`, `setDefaultRoleTemplate` (a `defaultRoles` entry), `restoreDefaultRoles`,
//!   `restoreSpecifiedDefaultRoles`, `addDivision`, `setHomeDivision`, `deleteDivision`,
//!   `assignResource`, `removeResource`, `grantRole`, `revokeRole`, `grantClientRole`,
//!   `revokeClientRole`, `removeClient`, `grantUndividedRole`, `revokeUndividedRole`,
//!   `setUserRoles`,
//!   `removeUserRoles`, `addRoleUsers`, `removeRoleUsers`, `addGroup`, `deleteGroup`,
//!   `addGroupMembers`, `removeGroupMembers`, `addAction`, `addActions` (`actions`
//!   entries), `createGlobalPermission`, `addGlobalPermission` (an empty id assigned),
//!   `updateGlobalPermission` (a `globalPermissions` entry), `deleteGlobalPermission`,
//!   `setPrincipalActions`, `revokeAction`.
//! - **Items**: `addItem` (an `items` entry), `moveItem`, `removeItem`, `setItemAccess` (an item's
//!   `access`), `setItemDefaultAccess` (an item's `defaultAccess`), `setItemOwners`,
//!   `setItemCreator`, `setDefaultAccess` (a `defaultAccess` entry), `setItemGate` (an
//!   `itemGates` entry).
//!
//! A body that is an object of the document (a profile, call, role, item, access list, ...)
//! has the document's shape and field names and is read with its strict rules, and an
//! error inside it names its path within the operation
//! (`ops[3].role.permissionPolicies[0].domain`):
//!
//! ```
//! use orgperm::{ChangeSet, Model};
//! let mut model = Model::new();
//! let changes = ChangeSet::from_json(r#"{"version": 1, "ops": [
//!     {"op": "addPermission", "permission": {"permission": "routing:queue:view", "label": "View"}},
//!     {"op": "createRole", "role": {"id": "r", "name": "R", "permissionPolicies": [
//!         {"domain": "*", "entityName": "*", "actionSet": ["*"]}]}}
//! ]}"#)?;
//! let err = changes.apply_to(&mut model).unwrap_err();
//! assert_eq!(err.path(), "ops[1].role.permissionPolicies[0].domain");
//! assert!(model.rbac().permission("routing:queue:view").is_none());
//! # Ok::<(), orgperm::ModelError>(())
//! ```

use serde::{Deserialize, Serialize};

use crate::calls::doc::CallDoc;
use crate::items::access::ItemGate;
use crate::items::doc::{AccessDoc, DefaultDoc, EntryDoc, ItemDoc};
use crate::model::{Families, Model, Touched};
use crate::model_error::ModelError;
use crate::profile::doc::ProfileDoc;
use crate::rbac::actions::Principal;
use crate::rbac::document::{ActionDoc, GlobalPermissionDoc, PermissionDoc, PrincipalDoc, RoleDoc};
use crate::rbac::grants::Subject;

/// The change-set format version this build reads and writes.
pub const CHANGE_SET_VERSION: u32 = 1;

/// A list of edits applied atomically, with an optional id for at-least-once delivery.
///
/// # Examples
///
/// ```
/// use orgperm::{ChangeSet, Domain, Level, Model, ProfileSpec};
/// let mut model = Model::new();
/// model.add_user("lee", None)?;
/// model.create_profile(ProfileSpec::new("mgr", "Managers").with_level(Domain::Calls, Level::ReportToThem))?;
/// let changes = ChangeSet::from_json(r#"{"version": 1, "ops": [
///     {"op": "addUser", "id": "dana", "managerId": "lee"},
///     {"op": "assignProfile", "userId": "lee", "profileId": "mgr"}
/// ]}"#)?;
/// changes.apply_to(&mut model)?;
/// assert!(model.compile().can_access("lee", Domain::Calls, "dana"));
///
/// // A failing operation leaves the model as it was and names its index and field.
/// let bad = ChangeSet::from_json(r#"{"version": 1, "ops": [
///     {"op": "addUser", "id": "kim"},
///     {"op": "assignProfile", "userId": "kim", "profileId": "9"}
/// ]}"#)?;
/// let err = bad.apply_to(&mut model).unwrap_err();
/// assert_eq!(err.to_string(), r#"ops[1].profileId: unknown profile "9""#);
/// assert_eq!(model.user_id("kim"), None);
/// # Ok::<(), orgperm::ModelError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ChangeSet {
    /// The format version, [`CHANGE_SET_VERSION`].
    pub version: u32,
    /// An id: an engine applies a change set with an id it already applied as a no-op.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The operations, applied in order.
    pub ops: Vec<Op>,
}

/// One edit of a [`ChangeSet`], tagged by `op`, with the edit's arguments in the document's
/// field names. Optional fields may be absent or `null`.
///
/// # Examples
///
/// ```
/// use orgperm::Op;
/// let op: Op = serde_json::from_str(r#"{"op": "shareCall", "callId": "c1", "userId": "ada"}"#).unwrap();
/// assert_eq!(op, Op::ShareCall { call_id: "c1".into(), user_id: "ada".into() });
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(
    tag = "op",
    rename_all = "camelCase",
    rename_all_fields = "camelCase",
    deny_unknown_fields
)]
#[non_exhaustive]
pub enum Op {
    /// [`Model::add_workspace`].
    AddWorkspace {
        /// The workspace.
        id: String,
    },
    /// [`Model::add_folder`].
    AddFolder {
        /// The folder.
        id: String,
        /// Its workspace (absent: the default one).
        #[serde(default)]
        workspace_id: Option<String>,
    },
    /// [`Model::remove_folder`]: `{"op": "removeFolder", "id": "wins"}`.
    RemoveFolder {
        /// The folder.
        id: String,
    },
    /// [`Model::add_user`].
    AddUser {
        /// The user.
        id: String,
        /// Their manager (absent: a root).
        #[serde(default)]
        manager_id: Option<String>,
    },
    /// [`Model::move_user`].
    MoveUser {
        /// The user.
        id: String,
        /// The new manager (absent: a root).
        #[serde(default)]
        manager_id: Option<String>,
    },
    /// [`Model::remove_user`].
    RemoveUser {
        /// The user.
        id: String,
    },
    /// [`Model::create_profile`], with the profile as the document writes it.
    CreateProfile {
        /// The profile, as in the document's `profiles`.
        profile: Box<ProfileDocument>,
    },
    /// [`Model::update_profile`], with the profile as the document writes it.
    UpdateProfile {
        /// The profile, as in the document's `profiles`.
        profile: Box<ProfileDocument>,
    },
    /// [`Model::delete_profile`].
    DeleteProfile {
        /// The profile.
        id: String,
    },
    /// [`Model::assign_profile`].
    AssignProfile {
        /// The user.
        user_id: String,
        /// The profile.
        profile_id: String,
    },
    /// [`Model::unassign_profile`].
    UnassignProfile {
        /// The user.
        user_id: String,
        /// The workspace (absent: the default one).
        #[serde(default)]
        workspace_id: Option<String>,
    },
    /// [`TeamsMut::add_team`](crate::TeamsMut::add_team).
    AddTeam {
        /// The team.
        id: String,
        /// Its parent (absent: a root team).
        #[serde(default)]
        parent_id: Option<String>,
    },
    /// [`TeamsMut::move_team`](crate::TeamsMut::move_team).
    MoveTeam {
        /// The team.
        id: String,
        /// The new parent (absent: a root team).
        #[serde(default)]
        parent_id: Option<String>,
    },
    /// [`TeamsMut::remove_team`](crate::TeamsMut::remove_team).
    RemoveTeam {
        /// The team.
        id: String,
    },
    /// [`TeamsMut::add_team_member`](crate::TeamsMut::add_team_member).
    AddTeamMember {
        /// The team.
        team_id: String,
        /// The user.
        user_id: String,
    },
    /// [`TeamsMut::remove_team_member`](crate::TeamsMut::remove_team_member).
    RemoveTeamMember {
        /// The team.
        team_id: String,
        /// The user.
        user_id: String,
    },
    /// [`RbacMut::grant_role`](crate::RbacMut::grant_role) to a user or a group (exactly one).
    GrantRole {
        /// The user, or absent for a group grant.
        #[serde(default)]
        user_id: Option<String>,
        /// The group, or absent for a user grant.
        #[serde(default)]
        group_id: Option<String>,
        /// The role.
        role_id: String,
        /// The division (absent: the home division).
        #[serde(default)]
        division_id: Option<String>,
    },
    /// [`RbacMut::revoke_role`](crate::RbacMut::revoke_role) from a user or a group.
    RevokeRole {
        /// The user, or absent for a group grant.
        #[serde(default)]
        user_id: Option<String>,
        /// The group, or absent for a user grant.
        #[serde(default)]
        group_id: Option<String>,
        /// The role.
        role_id: String,
        /// The division (absent: the home division).
        #[serde(default)]
        division_id: Option<String>,
    },
    /// [`RbacMut::grant_role`](crate::RbacMut::grant_role) to an OAuth client
    /// (`Subject::Client`).
    GrantClientRole {
        /// The client.
        client_id: String,
        /// The role.
        role_id: String,
        /// The division (absent: the home division).
        #[serde(default)]
        division_id: Option<String>,
    },
    /// [`RbacMut::revoke_role`](crate::RbacMut::revoke_role) from an OAuth client.
    RevokeClientRole {
        /// The client.
        client_id: String,
        /// The role.
        role_id: String,
        /// The division (absent: the home division).
        #[serde(default)]
        division_id: Option<String>,
    },
    /// [`RbacMut::grant_role_undivided`](crate::RbacMut::grant_role_undivided) to a user or
    /// a group (exactly one).
    GrantUndividedRole {
        /// The user, or absent for a group grant.
        #[serde(default)]
        user_id: Option<String>,
        /// The group, or absent for a user grant.
        #[serde(default)]
        group_id: Option<String>,
        /// The role.
        role_id: String,
    },
    /// [`RbacMut::revoke_role_undivided`](crate::RbacMut::revoke_role_undivided).
    RevokeUndividedRole {
        /// The user, or absent for a group grant.
        #[serde(default)]
        user_id: Option<String>,
        /// The group, or absent for a user grant.
        #[serde(default)]
        group_id: Option<String>,
        /// The role.
        role_id: String,
    },
    /// [`RbacMut::remove_client`](crate::RbacMut::remove_client).
    RemoveClient {
        /// The client.
        id: String,
    },
    /// [`RbacMut::add_group_members`](crate::RbacMut::add_group_members).
    AddGroupMembers {
        /// The group.
        group_id: String,
        /// The users.
        user_ids: Vec<String>,
    },
    /// [`RbacMut::remove_group_members`](crate::RbacMut::remove_group_members).
    RemoveGroupMembers {
        /// The group.
        group_id: String,
        /// The users.
        user_ids: Vec<String>,
    },
    /// [`CallsMut::share_call`](crate::CallsMut::share_call).
    ShareCall {
        /// The call.
        call_id: String,
        /// The user it is shared with.
        user_id: String,
    },
    /// [`CallsMut::unshare_call`](crate::CallsMut::unshare_call).
    UnshareCall {
        /// The call.
        call_id: String,
        /// The user.
        user_id: String,
    },
    /// [`CallsMut::set_call_private`](crate::CallsMut::set_call_private).
    SetCallPrivate {
        /// The call.
        call_id: String,
        /// Whether it is private.
        is_private: bool,
    },
    /// [`NetworksMut::entitle_advisor`](crate::NetworksMut::entitle_advisor).
    EntitleAdvisor {
        /// The advisor, a directory user.
        advisor_id: String,
        /// The network.
        network_id: String,
    },
    /// [`NetworksMut::remove_entitlement`](crate::NetworksMut::remove_entitlement).
    RemoveEntitlement {
        /// The advisor.
        advisor_id: String,
        /// The network.
        network_id: String,
    },
    /// [`NetworksMut::grant_network_permission`](crate::NetworksMut::grant_network_permission).
    GrantNetworkPermission {
        /// The advisor.
        advisor_id: String,
        /// The network.
        network_id: String,
        /// The permission of the network's catalog.
        permission_id: String,
    },
    /// [`NetworksMut::revoke_network_permission`](crate::NetworksMut::revoke_network_permission).
    RevokeNetworkPermission {
        /// The advisor.
        advisor_id: String,
        /// The network.
        network_id: String,
        /// The permission.
        permission_id: String,
    },
    // ---- calls ---------------------------------------------------------------------------
    /// [`CallsMut::add_call`](crate::CallsMut::add_call), with the call as the document
    /// writes it.
    AddCall {
        /// The call, as in the document's `calls`.
        call: Box<CallDocument>,
    },
    /// [`CallsMut::remove_call`](crate::CallsMut::remove_call).
    RemoveCall {
        /// The call.
        id: String,
    },
    /// [`CallsMut::grant_call`](crate::CallsMut::grant_call).
    GrantCall {
        /// The call.
        call_id: String,
        /// The user granted the call individually.
        user_id: String,
    },
    /// [`CallsMut::revoke_call_grant`](crate::CallsMut::revoke_call_grant).
    RevokeCallGrant {
        /// The call.
        call_id: String,
        /// The user.
        user_id: String,
    },
    /// [`CallsMut::add_call_to_folder`](crate::CallsMut::add_call_to_folder).
    AddCallToFolder {
        /// The call.
        call_id: String,
        /// A library folder of the call's workspace.
        folder_id: String,
    },
    /// [`CallsMut::remove_call_from_folder`](crate::CallsMut::remove_call_from_folder).
    RemoveCallFromFolder {
        /// The call.
        call_id: String,
        /// The folder.
        folder_id: String,
    },
    // ---- networks ------------------------------------------------------------------------
    /// [`NetworksMut::add_network`](crate::NetworksMut::add_network).
    AddNetwork {
        /// The network (`"WHATSAPP"`).
        id: String,
    },
    /// [`NetworksMut::remove_network`](crate::NetworksMut::remove_network):
    /// `{"op": "removeNetwork", "id": "SMS"}`.
    RemoveNetwork {
        /// The network.
        id: String,
    },
    /// [`NetworksMut::remove_network_permission`](crate::NetworksMut::remove_network_permission):
    /// `{"op": "removeNetworkPermission", "networkId": "SMS", "name": "create:room"}`.
    RemoveNetworkPermission {
        /// The network.
        network_id: String,
        /// The permission of its catalog.
        name: String,
    },
    /// [`NetworksMut::add_network_permission`](crate::NetworksMut::add_network_permission),
    /// with the catalog entry's fields as in the document's `networks[].permissions`.
    AddNetworkPermission {
        /// The network.
        network_id: String,
        /// The permission (`"create:room"`).
        name: String,
        /// Whether an entitlement grants it.
        #[serde(default)]
        is_default: bool,
    },
    /// [`NetworksMut::grant_network_permission_bulk`](crate::NetworksMut::grant_network_permission_bulk),
    /// all or nothing: where the edit answers one result per advisor, the operation fails
    /// at the first advisor whose grant failed (`advisorIds[1]`), and the change set with it.
    GrantNetworkPermissionBulk {
        /// The advisors.
        advisor_ids: Vec<String>,
        /// The network.
        network_id: String,
        /// The permission of the network's catalog.
        permission_id: String,
    },
    /// [`Model::onboard_advisor`]: entitles an advisor, adding them to the directory first
    /// when it does not have them.
    OnboardAdvisor {
        /// The advisor (added as a user without a manager if unknown).
        advisor_id: String,
        /// The network.
        network_id: String,
    },
    /// [`NetworksMut::define_permission`](crate::NetworksMut::define_permission): a
    /// permission of the tenant-wide list, with the vendor's id.
    DefineNetworkPermission {
        /// The permission (`"create:room"`).
        name: String,
        /// The vendor's `permissionId` (absent: none).
        #[serde(default)]
        permission_id: Option<String>,
    },
    /// [`NetworksMut::define_feature`](crate::NetworksMut::define_feature), as an entry of
    /// the document's `networkFeatures`.
    DefineNetworkFeature {
        /// The feature.
        name: String,
        /// The permissions it needs.
        requires: Vec<String>,
    },
    /// [`NetworksMut::set_permission_default`](crate::NetworksMut::set_permission_default).
    SetNetworkPermissionDefault {
        /// The network.
        network_id: String,
        /// The permission of its catalog.
        name: String,
        /// Whether an entitlement grants it from now on.
        is_default: bool,
    },
    /// [`NetworksMut::remove_feature`](crate::NetworksMut::remove_feature).
    RemoveNetworkFeature {
        /// The feature.
        name: String,
    },
    /// [`NetworksMut::add_contact`](crate::NetworksMut::add_contact).
    AddContact {
        /// The contact.
        id: String,
        /// Its network.
        network_id: String,
        /// Its company (absent: none).
        #[serde(default)]
        company_id: Option<String>,
    },
    // ---- roles and permissions -----------------------------------------------------------
    /// [`RbacMut::add_permission`](crate::RbacMut::add_permission), with the entry as in the
    /// document's `permissionCatalog`.
    AddPermission {
        /// The catalog entry (`{"permission": "routing:queue:view", "label": ..., ...}`).
        permission: Box<PermissionDocument>,
    },
    /// [`RbacMut::remove_permission`](crate::RbacMut::remove_permission):
    /// `{"op": "removePermission", "permission": "routing:queue:view"}`.
    RemovePermission {
        /// The catalog permission.
        permission: String,
    },
    /// [`RbacMut::enable_product`](crate::RbacMut::enable_product).
    EnableProduct {
        /// The product.
        product: String,
    },
    /// [`RbacMut::disable_product`](crate::RbacMut::disable_product).
    DisableProduct {
        /// The product.
        product: String,
    },
    /// [`RbacMut::create_role`](crate::RbacMut::create_role), with the role as in the
    /// document's `roles` (not the base role: `base` must be absent or false).
    CreateRole {
        /// The role.
        role: Box<RoleDocument>,
    },
    /// [`RbacMut::update_role`](crate::RbacMut::update_role), with the role as in the
    /// document's `roles`.
    UpdateRole {
        /// The role's new body.
        role: Box<RoleDocument>,
    },
    /// [`RbacMut::set_needs_update`](crate::RbacMut::set_needs_update) (the vendor's PATCH).
    SetRoleNeedsUpdate {
        /// The role.
        role_id: String,
        /// Its `needsUpdate` from now on.
        needs_update: bool,
    },
    /// [`RbacMut::delete_role`](crate::RbacMut::delete_role).
    DeleteRole {
        /// The role.
        id: String,
    },
    /// [`RbacMut::set_default_role_template`](crate::RbacMut::set_default_role_template),
    /// with the template as in the document's `defaultRoles`.
    SetDefaultRoleTemplate {
        /// The template (`{"defaultRoleId": ..., "base": ..., "id": ..., "name": ..., ...}`).
        default_role: Box<RoleDocument>,
    },
    /// [`RbacMut::restore_default_roles`](crate::RbacMut::restore_default_roles).
    RestoreDefaultRoles {
        /// Reset every default role to its template (false: add the missing ones only).
        #[serde(default)]
        force: bool,
    },
    /// [`RbacMut::restore_specified_default_roles`](crate::RbacMut::restore_specified_default_roles).
    RestoreSpecifiedDefaultRoles {
        /// The default roles to reset.
        role_ids: Vec<String>,
    },
    /// [`RbacMut::add_division`](crate::RbacMut::add_division).
    AddDivision {
        /// The division.
        id: String,
        /// Its name (absent: empty).
        #[serde(default)]
        name: Option<String>,
    },
    /// [`RbacMut::set_home_division`](crate::RbacMut::set_home_division).
    SetHomeDivision {
        /// The division.
        id: String,
    },
    /// [`RbacMut::delete_division`](crate::RbacMut::delete_division).
    DeleteDivision {
        /// The division.
        id: String,
    },
    /// [`RbacMut::assign_resource`](crate::RbacMut::assign_resource), as in the document's
    /// `divisionResources`.
    AssignResource {
        /// The resource (an object id).
        id: String,
        /// Its division (absent: the home division).
        #[serde(default)]
        division_id: Option<String>,
    },
    /// [`RbacMut::remove_resource`](crate::RbacMut::remove_resource).
    RemoveResource {
        /// The resource.
        id: String,
    },
    /// [`RbacMut::set_user_roles`](crate::RbacMut::set_user_roles).
    SetUserRoles {
        /// The user.
        user_id: String,
        /// Their roles from now on, in the home division.
        role_ids: Vec<String>,
    },
    /// [`RbacMut::remove_user_roles`](crate::RbacMut::remove_user_roles).
    RemoveUserRoles {
        /// The user.
        user_id: String,
    },
    /// [`RbacMut::add_role_users`](crate::RbacMut::add_role_users).
    AddRoleUsers {
        /// The role.
        role_id: String,
        /// The users.
        user_ids: Vec<String>,
    },
    /// [`RbacMut::remove_role_users`](crate::RbacMut::remove_role_users).
    RemoveRoleUsers {
        /// The role.
        role_id: String,
        /// The users.
        user_ids: Vec<String>,
    },
    /// [`RbacMut::add_group`](crate::RbacMut::add_group).
    AddGroup {
        /// The group.
        id: String,
        /// Its name (absent: empty).
        #[serde(default)]
        name: Option<String>,
    },
    /// [`RbacMut::delete_group`](crate::RbacMut::delete_group).
    DeleteGroup {
        /// The group.
        id: String,
    },
    /// [`RbacMut::add_action`](crate::RbacMut::add_action), with the action as in the
    /// document's `actions`.
    AddAction {
        /// The action (`{"name": ..., "title": ..., "requires": ...}`).
        action: Box<ActionDocument>,
    },
    /// [`RbacMut::add_actions`](crate::RbacMut::add_actions): a batch whose actions may
    /// require each other, as in the document's `actions`.
    AddActions {
        /// The actions.
        actions: Vec<ActionDocument>,
    },
    /// [`RbacMut::create_global_permission`](crate::RbacMut::create_global_permission), with
    /// the permission object as in the document's `globalPermissions`.
    CreateGlobalPermission {
        /// The permission object (`{"id": ..., "action": ..., "principals": [...]}`).
        global_permission: Box<GlobalPermissionDocument>,
    },
    /// [`RbacMut::update_global_permission`](crate::RbacMut::update_global_permission), with
    /// the permission object as in the document's `globalPermissions`.
    UpdateGlobalPermission {
        /// The permission object's new body.
        global_permission: Box<GlobalPermissionDocument>,
    },
    /// [`RbacMut::add_global_permission`](crate::RbacMut::add_global_permission): as
    /// `createGlobalPermission`, an empty `id` assigned by the model.
    AddGlobalPermission {
        /// The permission object (`id` may be empty).
        global_permission: Box<GlobalPermissionDocument>,
    },
    /// [`RbacMut::set_principal_actions`](crate::RbacMut::set_principal_actions).
    SetPrincipalActions {
        /// The principal (`{"kind": "user", "id": ...}`).
        principal: PrincipalDocument,
        /// Its actions from now on.
        actions: Vec<String>,
    },
    /// [`RbacMut::delete_global_permission`](crate::RbacMut::delete_global_permission).
    DeleteGlobalPermission {
        /// The permission object.
        id: String,
    },
    /// [`RbacMut::revoke_action`](crate::RbacMut::revoke_action).
    RevokeAction {
        /// The principal, as in a global permission's `principals` (`{"kind": "user", "id": ...}`).
        principal: PrincipalDocument,
        /// The action.
        action: String,
    },
    // ---- items ---------------------------------------------------------------------------
    /// [`ItemsMut::add_item`](crate::ItemsMut::add_item), with the item as in the document's
    /// `items`.
    AddItem {
        /// The item.
        item: Box<ItemDocument>,
    },
    /// [`ItemsMut::move_item`](crate::ItemsMut::move_item):
    /// `{"op": "moveItem", "id": "g1", "parentId": "q2"}`.
    MoveItem {
        /// The item.
        id: String,
        /// The new parent (absent: none, only for the types without a parent).
        #[serde(default)]
        parent_id: Option<String>,
    },
    /// [`ItemsMut::remove_item`](crate::ItemsMut::remove_item).
    RemoveItem {
        /// The item.
        id: String,
    },
    /// [`ItemsMut::set_item_access`](crate::ItemsMut::set_item_access), with the list as an
    /// item's `access` in the document.
    SetItemAccess {
        /// The item.
        id: String,
        /// The access list (absent: the item has none).
        #[serde(default)]
        access: Option<Box<AccessDocument>>,
    },
    /// [`ItemsMut::set_item_default_access`](crate::ItemsMut::set_item_default_access), with
    /// the list as an item's `defaultAccess` in the document.
    SetItemDefaultAccess {
        /// The item.
        id: String,
        /// The default list of the item's children (absent: none).
        #[serde(default)]
        default_access: Option<Box<DefaultAccessDocument>>,
    },
    /// [`ItemsMut::set_item_owners`](crate::ItemsMut::set_item_owners).
    SetItemOwners {
        /// The item.
        id: String,
        /// Its owners from now on.
        owner_ids: Vec<String>,
    },
    /// [`ItemsMut::set_item_creator`](crate::ItemsMut::set_item_creator).
    SetItemCreator {
        /// The item.
        id: String,
        /// Its creator (absent: none).
        #[serde(default)]
        creator_id: Option<String>,
    },
    /// [`ItemsMut::set_default_access`](crate::ItemsMut::set_default_access), as an entry of
    /// the document's `defaultAccess`, except that an absent `permissions` removes the type's
    /// default list (an empty one sets an empty list).
    SetDefaultAccess {
        /// The item type (`"dashboard"`).
        item_type: String,
        /// The entries (absent: the type has no default list).
        #[serde(default)]
        permissions: Option<Vec<AccessEntryDocument>>,
    },
    /// [`ItemsMut::set_item_gate`](crate::ItemsMut::set_item_gate), as an entry of the
    /// document's `itemGates`.
    SetItemGate {
        /// The item type.
        item_type: String,
        /// The action that opens items of the type.
        access: String,
        /// The action that manages them.
        manage: String,
    },
}

/// A profile as the model document writes it (`{"id": "p", "name": "Managers",
/// "callsAccess": {...}, ...}`), read with the document's strict rules.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ProfileDocument(pub(crate) ProfileDoc);

/// A call as the model document writes it (`{"id": "c1", "ownerId": "u1", "participants":
/// [...], "sharedWith": [...], "folderIds": [...], "userGrants": [...], ...}`), read with the
/// document's strict rules.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct CallDocument(pub(crate) CallDoc);

/// A permission catalog entry as the model document writes it (`{"permission":
/// "routing:queue:view", "label": "View queues", "divisionAware": true, "allowsConditions":
/// false, "product": "engage"}`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct PermissionDocument(pub(crate) PermissionDoc);

/// A role as the model document writes it in `roles` and `defaultRoles` (`{"id": "r1",
/// "name": "Agents", "permissionPolicies": [{"domain": ..., "entityName": ..., "actionSet":
/// [...], "resourceConditionNode": {...}}], ...}`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct RoleDocument(pub(crate) RoleDoc);

/// An action as the model document writes it (`{"name": "manage_goals", "title": ...,
/// "description": ..., "requires": "access_goals"}`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ActionDocument(pub(crate) ActionDoc);

/// A global permission object as the model document writes it (`{"id": "p1", "action":
/// "manage_goals", "principals": [{"kind": "role", "id": "r1"}]}`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct GlobalPermissionDocument(pub(crate) GlobalPermissionDoc);

/// A principal as a global permission of the model document writes it: `{"kind": "user",
/// "id": "u5"}` or `{"kind": "role", "id": "r1"}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct PrincipalDocument(pub(crate) PrincipalDoc);

/// An item as the model document writes it (`{"id": "g1", "type": "goal", "parentId": "q1",
/// "ownerIds": [...], "creatorId": ..., "access": {...}, "defaultAccess": {...}}`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ItemDocument(pub(crate) ItemDoc);

/// An item's access list as the model document writes it (`{"inherits": false,
/// "permissions": [{"principalKind": "team", "principalId": "sales", "includeSubteams":
/// true, "grant": ["read"]}]}`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct AccessDocument(pub(crate) AccessDoc);

/// An item's default list for its children as the model document writes it
/// (`{"permissions": [...]}`, no `inherits`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct DefaultAccessDocument(pub(crate) DefaultDoc);

/// One entry of an access list as the model document writes it (`{"principalKind":
/// "role", "principalId": "r1", "grant": ["read", "update"]}`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct AccessEntryDocument(pub(crate) EntryDoc);

impl ChangeSet {
    /// An empty change set of this version, without an id.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut changes = orgperm::ChangeSet::new();
    /// changes.ops.push(orgperm::Op::AddUser { id: "ada".into(), manager_id: None });
    /// assert!(changes.to_json().contains(r#""op":"addUser""#));
    /// ```
    pub fn new() -> Self {
        ChangeSet {
            version: CHANGE_SET_VERSION,
            id: None,
            ops: Vec::new(),
        }
    }

    /// Reads a change set, strictly: an unknown or misspelt field, a field given twice or a
    /// value of the wrong type is an error naming its path (`ops[2].userId`).
    ///
    /// # Examples
    ///
    /// ```
    /// let err = orgperm::ChangeSet::from_json(r#"{"version": 1, "ops": [{"op": "addUser", "idd": "x"}]}"#).unwrap_err();
    /// assert!(err.path().starts_with("ops[0]"), "{err}");
    /// ```
    pub fn from_json(json: &str) -> Result<ChangeSet, ModelError> {
        let changes: ChangeSet = crate::document::reader::from_json(json)?;
        if changes.version != CHANGE_SET_VERSION {
            return Err(ModelError::at(
                "version",
                crate::error::InputErrorKind::UnsupportedVersion {
                    found: changes.version,
                },
            ));
        }
        Ok(changes)
    }

    /// The change set as JSON.
    pub fn to_json(&self) -> String {
        // A change set holds only strings, booleans, numbers and lists: it always serializes.
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Applies every operation to `model`, or none: on an error the model is unchanged and
    /// the error's path starts with the operation's index (`ops[3].profileId`).
    ///
    /// Cost: the operations' own costs, plus one copy of each family store an operation
    /// writes to while the store is shared with a clone of the model (the draft is one);
    /// clones of the model share every store until then.
    pub fn apply_to(&self, model: &mut Model) -> Result<(), ModelError> {
        let mut draft = model.clone();
        for (i, op) in self.ops.iter().enumerate() {
            apply_op(&mut draft, op).map_err(|e| e.within(&format!("ops[{i}]")))?;
        }
        *model = draft;
        Ok(())
    }

    /// Applies `op`, this change set's only operation, to `model` in place: one operation
    /// is one model edit, and an edit that fails changes nothing, so no draft is needed.
    pub(crate) fn apply_single_in_place(
        &self,
        op: &Op,
        model: &mut Model,
    ) -> Result<(), ModelError> {
        apply_op(model, op).map_err(|e| e.within("ops[0]"))
    }

    /// Applies every operation to `model` in place when each has an exact inverse (profile
    /// assignments; call shares, grants, folders and privacy): before an operation applies,
    /// the operation that undoes it is read off the model; when one fails, the inverses of
    /// those before it are applied in reverse order, so the model is as before, with no
    /// store copied. `None` (and nothing applied) when some operation has no inverse here:
    /// the caller applies the change set to a draft instead.
    ///
    /// Cost: the operations' own, where a draft would copy each store they write to (a call
    /// store of ten million calls, for two call shares).
    pub(crate) fn apply_reversibly(&self, model: &mut Model) -> Option<Result<(), ModelError>> {
        if !self.ops.iter().all(Op::has_inverse) {
            return None;
        }
        let mut undo: Vec<Op> = Vec::new();
        for (i, op) in self.ops.iter().enumerate() {
            let inverse = op.inverse(model);
            if let Err(e) = apply_op(model, op) {
                for inv in undo.iter().rev() {
                    // Each inverse applies to the state its operation left, so it succeeds.
                    let undone = apply_op(model, inv);
                    debug_assert!(undone.is_ok(), "{inv:?}: {undone:?}");
                }
                return Some(Err(e.within(&format!("ops[{i}]"))));
            }
            undo.extend(inverse);
        }
        Some(Ok(()))
    }

    /// Applies every operation to `model` in place, without a draft: for replaying records
    /// that were applied once already (recovery), where a failure abandons the model anyway
    /// and a draft would copy every store a record writes to.
    pub(crate) fn replay_onto(&self, model: &mut Model) -> Result<(), ModelError> {
        for (i, op) in self.ops.iter().enumerate() {
            apply_op(model, op).map_err(|e| e.within(&format!("ops[{i}]")))?;
        }
        Ok(())
    }
}

impl Op {
    /// Whether [`Op::inverse`] gives the operation's inverse.
    fn has_inverse(&self) -> bool {
        matches!(
            self,
            Op::AssignProfile { .. }
                | Op::UnassignProfile { .. }
                | Op::ShareCall { .. }
                | Op::UnshareCall { .. }
                | Op::GrantCall { .. }
                | Op::RevokeCallGrant { .. }
                | Op::AddCallToFolder { .. }
                | Op::RemoveCallFromFolder { .. }
                | Op::SetCallPrivate { .. }
        )
    }

    /// The operation that undoes this one on `model` as it is before this one applies;
    /// `None` when applying it would change nothing or fail (so nothing needs undoing).
    fn inverse(&self, model: &Model) -> Option<Op> {
        use crate::id::{DenseId, ProfileId, UserId};
        let user = |id: &str| model.dir.ids.get(id);
        let call = |id: &str| {
            let c = model.calls.calls.live_id(id)?;
            model.calls.get(c)
        };
        let profile_name = |p: u32| {
            model
                .profiles
                .profiles
                .name(ProfileId::from_index(p))
                .to_owned()
        };
        let held = |u: UserId, w: usize| {
            let p = model.profiles.assignment.get(w)?.get(u.index() as usize);
            (p != crate::id::NONE).then_some(p)
        };
        match self {
            Op::AssignProfile {
                user_id,
                profile_id,
            } => {
                let u = user(user_id)?;
                let w = model.profiles.profiles.live(profile_id)?.1.workspace;
                Some(match held(u, w.index() as usize) {
                    Some(p) => Op::AssignProfile {
                        user_id: user_id.clone(),
                        profile_id: profile_name(p),
                    },
                    None => Op::UnassignProfile {
                        user_id: user_id.clone(),
                        workspace_id: Some(model.workspaces.name(w).to_owned()),
                    },
                })
            }
            Op::UnassignProfile {
                user_id,
                workspace_id,
            } => {
                let u = user(user_id)?;
                let w = model
                    .workspaces
                    .resolve(workspace_id.as_deref(), "workspaceId")
                    .ok()?;
                let p = held(u, w.index() as usize)?;
                Some(Op::AssignProfile {
                    user_id: user_id.clone(),
                    profile_id: profile_name(p),
                })
            }
            Op::ShareCall { call_id, user_id } | Op::UnshareCall { call_id, user_id } => {
                let shared = call(call_id)?
                    .shared()
                    .binary_search(&user(user_id)?)
                    .is_ok();
                let (c, u) = (call_id.clone(), user_id.clone());
                toggled(
                    matches!(self, Op::ShareCall { .. }),
                    shared,
                    Op::ShareCall {
                        call_id: c.clone(),
                        user_id: u.clone(),
                    },
                    Op::UnshareCall {
                        call_id: c,
                        user_id: u,
                    },
                )
            }
            Op::GrantCall { call_id, user_id } | Op::RevokeCallGrant { call_id, user_id } => {
                let granted = call(call_id)?
                    .grants()
                    .binary_search(&user(user_id)?)
                    .is_ok();
                let (c, u) = (call_id.clone(), user_id.clone());
                toggled(
                    matches!(self, Op::GrantCall { .. }),
                    granted,
                    Op::GrantCall {
                        call_id: c.clone(),
                        user_id: u.clone(),
                    },
                    Op::RevokeCallGrant {
                        call_id: c,
                        user_id: u,
                    },
                )
            }
            Op::AddCallToFolder { call_id, folder_id }
            | Op::RemoveCallFromFolder { call_id, folder_id } => {
                let f = model.workspaces.live_folder(folder_id)?;
                let filed = call(call_id)?.folders().binary_search(&f).is_ok();
                let (c, f) = (call_id.clone(), folder_id.clone());
                toggled(
                    matches!(self, Op::AddCallToFolder { .. }),
                    filed,
                    Op::AddCallToFolder {
                        call_id: c.clone(),
                        folder_id: f.clone(),
                    },
                    Op::RemoveCallFromFolder {
                        call_id: c,
                        folder_id: f,
                    },
                )
            }
            Op::SetCallPrivate { call_id, .. } => Some(Op::SetCallPrivate {
                call_id: call_id.clone(),
                is_private: call(call_id)?.private,
            }),
            _ => None,
        }
    }

    /// Whether the operation is one model edit, which changes nothing when it fails (every
    /// edit validates before it writes). The bulk grant is several edits, applied as far as
    /// they succeed, so it is not.
    pub(crate) fn is_one_edit(&self) -> bool {
        !matches!(self, Op::GrantNetworkPermissionBulk { .. })
    }

    /// The families whose stores the operation writes to.
    pub(crate) fn families(&self) -> Families {
        match self {
            Op::AddWorkspace { .. }
            | Op::AddFolder { .. }
            | Op::RemoveFolder { .. }
            | Op::AddUser { .. }
            | Op::MoveUser { .. }
            | Op::RemoveUser { .. } => Families::ORG,
            Op::CreateProfile { .. }
            | Op::UpdateProfile { .. }
            | Op::DeleteProfile { .. }
            | Op::AssignProfile { .. }
            | Op::UnassignProfile { .. } => Families::PROFILES,
            Op::AddTeam { .. }
            | Op::MoveTeam { .. }
            | Op::RemoveTeam { .. }
            | Op::AddTeamMember { .. }
            | Op::RemoveTeamMember { .. } => Families::TEAMS,
            Op::GrantRole { .. }
            | Op::RevokeRole { .. }
            | Op::GrantClientRole { .. }
            | Op::RevokeClientRole { .. }
            | Op::RemoveClient { .. }
            | Op::GrantUndividedRole { .. }
            | Op::RevokeUndividedRole { .. }
            | Op::AddGlobalPermission { .. }
            | Op::SetPrincipalActions { .. }
            | Op::AddGroupMembers { .. }
            | Op::RemoveGroupMembers { .. }
            | Op::AddPermission { .. }
            | Op::RemovePermission { .. }
            | Op::EnableProduct { .. }
            | Op::DisableProduct { .. }
            | Op::CreateRole { .. }
            | Op::UpdateRole { .. }
            | Op::DeleteRole { .. }
            | Op::SetRoleNeedsUpdate { .. }
            | Op::SetDefaultRoleTemplate { .. }
            | Op::RestoreDefaultRoles { .. }
            | Op::RestoreSpecifiedDefaultRoles { .. }
            | Op::AddDivision { .. }
            | Op::SetHomeDivision { .. }
            | Op::DeleteDivision { .. }
            | Op::AssignResource { .. }
            | Op::RemoveResource { .. }
            | Op::SetUserRoles { .. }
            | Op::RemoveUserRoles { .. }
            | Op::AddRoleUsers { .. }
            | Op::RemoveRoleUsers { .. }
            | Op::AddGroup { .. }
            | Op::DeleteGroup { .. }
            | Op::AddAction { .. }
            | Op::AddActions { .. }
            | Op::CreateGlobalPermission { .. }
            | Op::UpdateGlobalPermission { .. }
            | Op::DeleteGlobalPermission { .. }
            | Op::RevokeAction { .. } => Families::RBAC,
            Op::ShareCall { .. }
            | Op::UnshareCall { .. }
            | Op::SetCallPrivate { .. }
            | Op::AddCall { .. }
            | Op::RemoveCall { .. }
            | Op::GrantCall { .. }
            | Op::RevokeCallGrant { .. }
            | Op::AddCallToFolder { .. }
            | Op::RemoveCallFromFolder { .. } => Families::CALLS,
            Op::EntitleAdvisor { .. }
            | Op::RemoveEntitlement { .. }
            | Op::GrantNetworkPermission { .. }
            | Op::RevokeNetworkPermission { .. }
            | Op::AddNetwork { .. }
            | Op::AddNetworkPermission { .. }
            | Op::RemoveNetwork { .. }
            | Op::RemoveNetworkPermission { .. }
            | Op::GrantNetworkPermissionBulk { .. }
            | Op::DefineNetworkPermission { .. }
            | Op::DefineNetworkFeature { .. }
            | Op::SetNetworkPermissionDefault { .. }
            | Op::RemoveNetworkFeature { .. }
            | Op::AddContact { .. } => Families::NETWORKS,
            // May add the advisor to the directory.
            Op::OnboardAdvisor { .. } => Families::ORG.union(Families::NETWORKS),
            Op::AddItem { .. }
            | Op::MoveItem { .. }
            | Op::RemoveItem { .. }
            | Op::SetItemAccess { .. }
            | Op::SetItemDefaultAccess { .. }
            | Op::SetItemOwners { .. }
            | Op::SetItemCreator { .. }
            | Op::SetDefaultAccess { .. }
            | Op::SetItemGate { .. } => Families::ITEMS,
        }
    }
}

impl ChangeSet {
    /// What the change set wrote to, for compiling `model` (the model after it) over the
    /// snapshot from before: the operations a family patches key by key (assignments, a
    /// user's role grants, a call added or removed, its sharees, grantees, folders and
    /// privacy, an advisor's entitlements and network permissions, a profile's definition, a
    /// role's spec; `Op::touch_keys` lists them) name their keys; every other operation has
    /// its families compiled whole.
    pub(crate) fn touched(&self, model: &Model) -> Touched {
        let mut t = Touched::default();
        for op in &self.ops {
            if !op.touch_keys(model, &mut t) {
                t.whole = t.whole.union(op.families());
            }
        }
        // A family compiled whole needs no keys.
        t.keyed = Families::from_bits(t.keyed.bits() & !t.whole.bits());
        t
    }
}

impl Op {
    /// Adds the keys the operation wrote to, when its family patches them; `false` when it
    /// writes otherwise (or names an id the model does not hold), so its families are
    /// compiled whole.
    fn touch_keys(&self, model: &Model, t: &mut Touched) -> bool {
        let user = |id: &str| model.dir.ids.get(id);
        let call = |id: &str| model.calls.calls.ids().get(id);
        match self {
            Op::AssignProfile { user_id, .. } | Op::UnassignProfile { user_id, .. } => {
                let Some(u) = user(user_id) else { return false };
                t.profile_users.push(u);
                t.keyed = t.keyed.union(Families::PROFILES);
            }
            Op::GrantRole {
                user_id: Some(user_id),
                group_id: None,
                ..
            }
            | Op::RevokeRole {
                user_id: Some(user_id),
                group_id: None,
                ..
            } => {
                let Some(u) = user(user_id) else { return false };
                t.role_users.push(u);
                t.keyed = t.keyed.union(Families::RBAC);
            }
            // A call added or removed keeps its dense id (a removed call's slot stays), so
            // the compiled calls write its record, rows and bitmap bits.
            Op::AddCall { call: doc } => {
                let Some(c) = call(doc.0.id()) else {
                    return false;
                };
                t.calls.push(c);
                t.keyed = t.keyed.union(Families::CALLS);
            }
            Op::RemoveCall { id } => {
                let Some(c) = call(id) else { return false };
                t.calls.push(c);
                t.keyed = t.keyed.union(Families::CALLS);
            }
            Op::ShareCall { call_id, .. }
            | Op::UnshareCall { call_id, .. }
            | Op::SetCallPrivate { call_id, .. }
            | Op::GrantCall { call_id, .. }
            | Op::RevokeCallGrant { call_id, .. }
            | Op::AddCallToFolder { call_id, .. }
            | Op::RemoveCallFromFolder { call_id, .. } => {
                let Some(c) = call(call_id) else { return false };
                t.calls.push(c);
                t.keyed = t.keyed.union(Families::CALLS);
            }
            // Each writes one (advisor, network)'s held permissions and nothing else (no
            // catalog, default or id): the advisor's compiled rows are read again.
            Op::EntitleAdvisor { advisor_id, .. }
            | Op::RemoveEntitlement { advisor_id, .. }
            | Op::GrantNetworkPermission { advisor_id, .. }
            | Op::RevokeNetworkPermission { advisor_id, .. } => {
                let Some(u) = user(advisor_id) else {
                    return false;
                };
                t.network_advisors.push(u);
                t.keyed = t.keyed.union(Families::NETWORKS);
            }
            // Each rewrites one live profile's definition (its holders stay): the profile's
            // compiled entry and its holders' rows are done again.
            Op::UpdateProfile { profile } => {
                let Some((p, _)) = model.profiles.profiles.live(&profile.0.id) else {
                    return false;
                };
                t.profile_defs.push(p);
                t.keyed = t.keyed.union(Families::PROFILES);
            }
            // Rewrites one live role's spec (its grants stay): the role's bits and the
            // combinations holding it are done again.
            Op::UpdateRole { role } => {
                let Some((r, _)) = model.rbac.roles.live(role.0.id()) else {
                    return false;
                };
                t.role_defs.push(r);
                t.keyed = t.keyed.union(Families::RBAC);
            }
            // Each writes one item's lists, owners or creator: its compiled record and those
            // of the items under it are redone (the parent links stay).
            Op::SetItemAccess { id, .. }
            | Op::SetItemDefaultAccess { id, .. }
            | Op::SetItemOwners { id, .. }
            | Op::SetItemCreator { id, .. } => {
                let Some(i) = model.items.live_id(id) else {
                    return false;
                };
                t.items.push(i);
                t.keyed = t.keyed.union(Families::ITEMS);
            }
            // A type's default list reaches the items of that type (and those under them).
            Op::SetDefaultAccess { item_type, .. } => {
                let Ok(ty) = crate::items::doc::item_type(item_type, "itemType") else {
                    return false;
                };
                t.items.extend(
                    model
                        .items
                        .items
                        .iter()
                        .filter(|(_, s)| s.item_type == ty)
                        .map(|(i, _)| i),
                );
                t.keyed = t.keyed.union(Families::ITEMS);
            }
            _ => return false,
        }
        true
    }
}

impl Default for ChangeSet {
    fn default() -> Self {
        ChangeSet::new()
    }
}

/// The subject of a role grant: exactly one of a user and a group.
fn subject<'a>(
    user: &'a Option<String>,
    group: &'a Option<String>,
) -> Result<Subject<'a>, ModelError> {
    match (user, group) {
        (Some(u), None) => Ok(Subject::User(u)),
        (None, Some(g)) => Ok(Subject::Group(g)),
        (None, None) => Err(ModelError::at(
            "userId",
            crate::error::InputErrorKind::Required,
        )),
        (Some(_), Some(_)) => Err(ModelError::at(
            "groupId",
            crate::error::InputErrorKind::Conflict {
                reason: "a grant names a user or a group, not both",
            },
        )),
    }
}

/// Applies `ops` to `model` in place, in order, stopping at the first that fails: for
/// rebuilding a model from the base it was edited from and the operations that edited it
/// (a vendor reader undoing a failed body).
pub(crate) fn replay_ops(ops: &[Op], model: &mut Model) -> Result<(), ModelError> {
    for (i, op) in ops.iter().enumerate() {
        apply_op(model, op).map_err(|e| e.within(&format!("ops[{i}]")))?;
    }
    Ok(())
}

pub(crate) fn apply_op(m: &mut Model, op: &Op) -> Result<(), ModelError> {
    match op {
        Op::AddWorkspace { id } => m.add_workspace(id).map(drop),
        Op::AddFolder { id, workspace_id } => m.add_folder(id, workspace_id.as_deref()).map(drop),
        Op::RemoveFolder { id } => m.remove_folder(id),
        Op::AddUser { id, manager_id } => m.add_user(id, manager_id.as_deref()).map(drop),
        Op::MoveUser { id, manager_id } => m.move_user(id, manager_id.as_deref()),
        Op::RemoveUser { id } => m.remove_user(id),
        Op::CreateProfile { profile } => {
            let spec = profile
                .0
                .to_spec()
                .map_err(|e| ModelError::from(e).within("profile"))?;
            m.create_profile(spec)
                .map(drop)
                .map_err(|e| e.within("profile"))
        }
        Op::UpdateProfile { profile } => {
            let spec = profile
                .0
                .to_spec()
                .map_err(|e| ModelError::from(e).within("profile"))?;
            m.update_profile(spec).map_err(|e| e.within("profile"))
        }
        Op::DeleteProfile { id } => m.delete_profile(id),
        Op::AssignProfile {
            user_id,
            profile_id,
        } => m.assign_profile(user_id, profile_id),
        Op::UnassignProfile {
            user_id,
            workspace_id,
        } => m
            .unassign_profile(user_id, workspace_id.as_deref())
            .map(drop),
        Op::AddTeam { id, parent_id } => {
            Ok(m.teams_mut().add_team(id, parent_id.as_deref()).map(drop)?)
        }
        Op::MoveTeam { id, parent_id } => Ok(m.teams_mut().move_team(id, parent_id.as_deref())?),
        Op::RemoveTeam { id } => Ok(m.teams_mut().remove_team(id)?),
        Op::AddTeamMember { team_id, user_id } => {
            Ok(m.teams_mut().add_team_member(team_id, user_id).map(drop)?)
        }
        Op::RemoveTeamMember { team_id, user_id } => Ok(m
            .teams_mut()
            .remove_team_member(team_id, user_id)
            .map(drop)?),
        Op::GrantRole {
            user_id,
            group_id,
            role_id,
            division_id,
        } => {
            let s = subject(user_id, group_id)?;
            Ok(m.rbac_mut()
                .grant_role(s, role_id, division_id.as_deref())
                .map(drop)?)
        }
        Op::RevokeRole {
            user_id,
            group_id,
            role_id,
            division_id,
        } => {
            let s = subject(user_id, group_id)?;
            Ok(m.rbac_mut()
                .revoke_role(s, role_id, division_id.as_deref())
                .map(drop)?)
        }
        Op::GrantClientRole {
            client_id,
            role_id,
            division_id,
        } => Ok(m.rbac_mut().grant_role(
            Subject::Client(client_id),
            role_id,
            division_id.as_deref(),
        )?),
        Op::RevokeClientRole {
            client_id,
            role_id,
            division_id,
        } => Ok(m
            .rbac_mut()
            .revoke_role(Subject::Client(client_id), role_id, division_id.as_deref())
            .map(drop)?),
        Op::GrantUndividedRole {
            user_id,
            group_id,
            role_id,
        } => Ok(m
            .rbac_mut()
            .grant_role_undivided(subject(user_id, group_id)?, role_id)?),
        Op::RevokeUndividedRole {
            user_id,
            group_id,
            role_id,
        } => Ok(m
            .rbac_mut()
            .revoke_role_undivided(subject(user_id, group_id)?, role_id)
            .map(drop)?),
        Op::AddGlobalPermission { global_permission } => m
            .rbac_mut()
            .add_global_permission(global_permission.0.to_spec())
            .map(drop)
            .map_err(|e| ModelError::from(e).within("globalPermission")),
        Op::SetPrincipalActions { principal, actions } => {
            let p: Principal = principal.0.to_principal();
            let names: Vec<&str> = actions.iter().map(String::as_str).collect();
            m.rbac_mut()
                .set_principal_actions(p, &names)
                .map(drop)
                .map_err(|e| listed(e, "actions"))
        }
        Op::RemoveClient { id } => {
            m.rbac_mut().remove_client(id);
            Ok(())
        }
        Op::AddGroupMembers { group_id, user_ids } => {
            let users: Vec<&str> = user_ids.iter().map(String::as_str).collect();
            m.rbac_mut()
                .add_group_members(group_id, &users)
                .map(drop)
                .map_err(|e| listed(e, "userIds"))
        }
        Op::RemoveGroupMembers { group_id, user_ids } => {
            let users: Vec<&str> = user_ids.iter().map(String::as_str).collect();
            m.rbac_mut()
                .remove_group_members(group_id, &users)
                .map(drop)
                .map_err(|e| listed(e, "userIds"))
        }
        Op::ShareCall { call_id, user_id } => {
            Ok(m.calls_mut().share_call(call_id, user_id).map(drop)?)
        }
        Op::UnshareCall { call_id, user_id } => {
            Ok(m.calls_mut().unshare_call(call_id, user_id).map(drop)?)
        }
        Op::SetCallPrivate {
            call_id,
            is_private,
        } => Ok(m.calls_mut().set_call_private(call_id, *is_private)?),
        Op::EntitleAdvisor {
            advisor_id,
            network_id,
        } => m
            .networks_mut()
            .entitle_advisor(advisor_id, network_id)
            .map(drop)
            .map_err(network_fields),
        Op::RemoveEntitlement {
            advisor_id,
            network_id,
        } => m
            .networks_mut()
            .remove_entitlement(advisor_id, network_id)
            .map(drop)
            .map_err(network_fields),
        Op::GrantNetworkPermission {
            advisor_id,
            network_id,
            permission_id,
        } => m
            .networks_mut()
            .grant_network_permission(advisor_id, network_id, permission_id)
            .map_err(network_fields),
        Op::RevokeNetworkPermission {
            advisor_id,
            network_id,
            permission_id,
        } => m
            .networks_mut()
            .revoke_network_permission(advisor_id, network_id, permission_id)
            .map_err(network_fields),
        // ---- calls ---------------------------------------------------------------------
        Op::AddCall { call } => m
            .calls_mut()
            .add_call(call.0.to_spec())
            .map(drop)
            .map_err(|e| ModelError::from(e).within("call")),
        Op::RemoveCall { id } => Ok(m.calls_mut().remove_call(id)?),
        Op::GrantCall { call_id, user_id } => {
            Ok(m.calls_mut().grant_call(call_id, user_id).map(drop)?)
        }
        Op::RevokeCallGrant { call_id, user_id } => Ok(m
            .calls_mut()
            .revoke_call_grant(call_id, user_id)
            .map(drop)?),
        Op::AddCallToFolder { call_id, folder_id } => Ok(m
            .calls_mut()
            .add_call_to_folder(call_id, folder_id)
            .map(drop)?),
        Op::RemoveCallFromFolder { call_id, folder_id } => Ok(m
            .calls_mut()
            .remove_call_from_folder(call_id, folder_id)
            .map(drop)?),
        // ---- networks ------------------------------------------------------------------
        Op::AddNetwork { id } => Ok(m.networks_mut().add_network(id).map(drop)?),
        Op::AddNetworkPermission {
            network_id,
            name,
            is_default,
        } => m
            .networks_mut()
            .add_network_permission(network_id, name, *is_default)
            .map(drop)
            .map_err(network_fields),
        Op::RemoveNetwork { id } => Ok(m.networks_mut().remove_network(id)?),
        Op::OnboardAdvisor {
            advisor_id,
            network_id,
        } => m
            .onboard_advisor(advisor_id, network_id)
            .map(drop)
            .map_err(|e| {
                e.renamed("advisorSymphonyId", "advisorId")
                    .renamed("externalNetwork", "networkId")
            }),
        Op::DefineNetworkPermission {
            name,
            permission_id,
        } => m
            .networks_mut()
            .define_permission(name, permission_id.as_deref())
            .map(drop)
            .map_err(|e| ModelError::from(e.renamed("permissionName", "name"))),
        Op::DefineNetworkFeature { name, requires } => {
            let requires: Vec<&str> = requires.iter().map(String::as_str).collect();
            Ok(m.networks_mut().define_feature(name, &requires).map(drop)?)
        }
        Op::SetNetworkPermissionDefault {
            network_id,
            name,
            is_default,
        } => m
            .networks_mut()
            .set_permission_default(network_id, name, *is_default)
            .map(drop)
            .map_err(|e| network_fields(e.renamed("permissionName", "name"))),
        Op::RemoveNetworkFeature { name } => Ok(m.networks_mut().remove_feature(name)?),
        Op::RemoveNetworkPermission { network_id, name } => m
            .networks_mut()
            .remove_network_permission(network_id, name)
            .map_err(network_fields),
        Op::GrantNetworkPermissionBulk {
            advisor_ids,
            network_id,
            permission_id,
        } => {
            let advisors: Vec<&str> = advisor_ids.iter().map(String::as_str).collect();
            let results = m
                .networks_mut()
                .grant_network_permission_bulk(&advisors, network_id, permission_id)
                .map_err(network_fields)?;
            match results.into_iter().find_map(|r| r.result.err()) {
                Some(e) => Err(network_fields(e)),
                None => Ok(()),
            }
        }
        Op::AddContact {
            id,
            network_id,
            company_id,
        } => m
            .networks_mut()
            .add_contact(id, network_id, company_id.as_deref())
            .map(drop)
            .map_err(network_fields),
        // ---- roles and permissions -----------------------------------------------------
        Op::AddPermission { permission } => m
            .rbac_mut()
            .add_permission(permission.0.to_spec())
            .map(drop)
            .map_err(|e| ModelError::from(e).within("permission")),
        Op::RemovePermission { permission } => Ok(m.rbac_mut().remove_permission(permission)?),
        Op::EnableProduct { product } => Ok(m.rbac_mut().enable_product(product).map(drop)?),
        Op::DisableProduct { product } => {
            m.rbac_mut().disable_product(product);
            Ok(())
        }
        Op::CreateRole { role } => {
            let within = |e: crate::RbacError| ModelError::from(e).within("role");
            let spec = role.0.to_role_spec().map_err(within)?;
            m.rbac_mut().create_role(spec).map(drop).map_err(within)
        }
        Op::UpdateRole { role } => {
            let within = |e: crate::RbacError| ModelError::from(e).within("role");
            let spec = role.0.to_role_spec().map_err(within)?;
            m.rbac_mut().update_role(spec).map_err(within)
        }
        Op::DeleteRole { id } => Ok(m.rbac_mut().delete_role(id)?),
        Op::SetRoleNeedsUpdate {
            role_id,
            needs_update,
        } => Ok(m.rbac_mut().set_needs_update(role_id, *needs_update)?),
        Op::SetDefaultRoleTemplate { default_role } => {
            let within = |e: crate::RbacError| ModelError::from(e).within("defaultRole");
            let role = default_role.0.to_spec().map_err(within)?;
            let template = default_role.0.to_template(role).map_err(within)?;
            m.rbac_mut()
                .set_default_role_template(template)
                .map_err(within)
        }
        Op::RestoreDefaultRoles { force } => {
            Ok(m.rbac_mut().restore_default_roles(*force).map(drop)?)
        }
        Op::RestoreSpecifiedDefaultRoles { role_ids } => {
            let roles: Vec<&str> = role_ids.iter().map(String::as_str).collect();
            m.rbac_mut()
                .restore_specified_default_roles(&roles)
                .map(drop)
                .map_err(|e| listed(e, "roleIds"))
        }
        Op::AddDivision { id, name } => Ok(m
            .rbac_mut()
            .add_division(id, name.as_deref().unwrap_or(""))
            .map(drop)?),
        Op::SetHomeDivision { id } => Ok(m.rbac_mut().set_home_division(id)?),
        Op::DeleteDivision { id } => Ok(m.rbac_mut().delete_division(id)?),
        Op::AssignResource { id, division_id } => Ok(m
            .rbac_mut()
            .assign_resource(id, division_id.as_deref())
            .map(drop)?),
        Op::RemoveResource { id } => {
            m.rbac_mut().remove_resource(id);
            Ok(())
        }
        Op::SetUserRoles { user_id, role_ids } => {
            let roles: Vec<&str> = role_ids.iter().map(String::as_str).collect();
            m.rbac_mut()
                .set_user_roles(user_id, &roles)
                .map(drop)
                .map_err(|e| listed(e, "roleIds"))
        }
        Op::RemoveUserRoles { user_id } => Ok(m.rbac_mut().remove_user_roles(user_id).map(drop)?),
        Op::AddRoleUsers { role_id, user_ids } => {
            let users: Vec<&str> = user_ids.iter().map(String::as_str).collect();
            m.rbac_mut()
                .add_role_users(role_id, &users)
                .map(drop)
                .map_err(|e| listed(e, "userIds"))
        }
        Op::RemoveRoleUsers { role_id, user_ids } => {
            let users: Vec<&str> = user_ids.iter().map(String::as_str).collect();
            m.rbac_mut()
                .remove_role_users(role_id, &users)
                .map(drop)
                .map_err(|e| listed(e, "userIds"))
        }
        Op::AddGroup { id, name } => Ok(m
            .rbac_mut()
            .add_group(id, name.as_deref().unwrap_or(""))
            .map(drop)?),
        Op::DeleteGroup { id } => Ok(m.rbac_mut().delete_group(id)?),
        Op::AddAction { action } => m
            .rbac_mut()
            .add_action(action.0.to_spec())
            .map(drop)
            .map_err(|e| ModelError::from(e).within("action")),
        Op::AddActions { actions } => {
            let specs = actions.iter().map(|a| a.0.to_spec()).collect();
            m.rbac_mut()
                .add_actions(specs)
                .map(drop)
                .map_err(|e| ModelError::from(e).within("actions"))
        }
        Op::CreateGlobalPermission { global_permission } => m
            .rbac_mut()
            .create_global_permission(global_permission.0.to_spec())
            .map_err(|e| ModelError::from(e).within("globalPermission")),
        Op::UpdateGlobalPermission { global_permission } => m
            .rbac_mut()
            .update_global_permission(global_permission.0.to_spec())
            .map_err(|e| ModelError::from(e).within("globalPermission")),
        Op::DeleteGlobalPermission { id } => Ok(m.rbac_mut().delete_global_permission(id)?),
        Op::RevokeAction { principal, action } => {
            let p: Principal = principal.0.to_principal();
            Ok(m.rbac_mut().revoke_action(p, action).map(drop)?)
        }
        // ---- items ---------------------------------------------------------------------
        Op::AddItem { item } => {
            let within = |e: crate::ItemError| ModelError::from(e).within("item");
            let spec = crate::items::doc::spec(&item.0).map_err(within)?;
            m.items_mut().add_item(spec).map(drop).map_err(within)
        }
        Op::MoveItem { id, parent_id } => Ok(m.items_mut().move_item(id, parent_id.as_deref())?),
        Op::RemoveItem { id } => Ok(m.items_mut().remove_item(id)?),
        Op::SetItemAccess { id, access } => {
            let spec = match access {
                Some(a) => Some(
                    a.0.to_spec()
                        .map_err(|e| ModelError::from(e).within("access"))?,
                ),
                None => None,
            };
            Ok(m.items_mut().set_item_access(id, spec)?)
        }
        Op::SetItemDefaultAccess { id, default_access } => {
            let list = match default_access {
                Some(d) => Some(
                    d.0.to_entries()
                        .map_err(|e| ModelError::from(e).within("defaultAccess"))?,
                ),
                None => None,
            };
            Ok(m.items_mut().set_item_default_access(id, list)?)
        }
        Op::SetItemOwners { id, owner_ids } => {
            let owners: Vec<&str> = owner_ids.iter().map(String::as_str).collect();
            Ok(m.items_mut().set_item_owners(id, &owners)?)
        }
        Op::SetItemCreator { id, creator_id } => {
            Ok(m.items_mut().set_item_creator(id, creator_id.as_deref())?)
        }
        Op::SetDefaultAccess {
            item_type,
            permissions,
        } => {
            let t = crate::items::doc::item_type(item_type, "itemType")?;
            let list = match permissions {
                Some(p) => Some(crate::items::doc::entries(p.iter().map(|e| &e.0))?),
                None => None,
            };
            Ok(m.items_mut().set_default_access(t, list)?)
        }
        Op::SetItemGate {
            item_type,
            access,
            manage,
        } => {
            let t = crate::items::doc::item_type(item_type, "itemType")?;
            let gate = ItemGate::new(access.clone(), manage.clone());
            Ok(m.items_mut().set_item_gate(t, gate)?)
        }
    }
}

/// An error of an edit over a list argument, whose paths name the entry only (`[1]`), with
/// the operation's field for the list in front (`userIds[1]`).
fn listed(e: impl Into<ModelError>, field: &str) -> ModelError {
    let e: ModelError = e.into();
    if e.path().starts_with('[') {
        e.within(field)
    } else {
        e
    }
}

/// An error of a network edit, whose paths use Symphony's names for the arguments, with the
/// operation's field names instead (`externalNetwork` is `networkId`).
fn network_fields(e: crate::NetworkError) -> ModelError {
    ModelError::from(
        e.renamed("advisorSymphonyIds", "advisorIds")
            .renamed("advisorSymphonyId", "advisorId")
            .renamed("externalNetwork", "networkId")
            .renamed("permissionName", "permissionId"),
    )
}

/// The exact inverse of one side of an add/remove pair (`add`, `remove`): the other side,
/// when the operation changes something (`present`: the element is there before it).
/// An operation that changes nothing has no inverse here, so its set goes through a draft.
fn toggled(adds: bool, present: bool, add: Op, remove: Op) -> Option<Op> {
    match (adds, present) {
        (true, false) => Some(remove),
        (false, true) => Some(add),
        _ => None,
    }
}
