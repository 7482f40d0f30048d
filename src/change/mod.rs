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

use serde::{Deserialize, Serialize};

use crate::model::{Families, Model};
use crate::model_error::ModelError;
use crate::profile::doc::ProfileDoc;
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
}

/// A profile as the model document writes it (`{"id": "p", "name": "Managers",
/// "callsAccess": {...}, ...}`), read with the document's strict rules.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ProfileDocument(pub(crate) ProfileDoc);

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
    /// writes to while the store is shared (with a compiled [`Engine`](crate::Engine) or
    /// a clone of the model); clones of the model share every store until then.
    pub fn apply_to(&self, model: &mut Model) -> Result<(), ModelError> {
        let mut draft = model.clone();
        for (i, op) in self.ops.iter().enumerate() {
            apply_op(&mut draft, op).map_err(|e| e.within(&format!("ops[{i}]")))?;
        }
        *model = draft;
        Ok(())
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
    /// The families whose stores the operation writes to.
    pub(crate) fn families(&self) -> Families {
        match self {
            Op::AddWorkspace { .. }
            | Op::AddFolder { .. }
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
            | Op::AddGroupMembers { .. }
            | Op::RemoveGroupMembers { .. } => Families::RBAC,
            Op::ShareCall { .. } | Op::UnshareCall { .. } | Op::SetCallPrivate { .. } => {
                Families::CALLS
            }
            Op::EntitleAdvisor { .. }
            | Op::RemoveEntitlement { .. }
            | Op::GrantNetworkPermission { .. }
            | Op::RevokeNetworkPermission { .. } => Families::NETWORKS,
        }
    }
}

impl ChangeSet {
    /// The families the change set's operations write to.
    pub(crate) fn families(&self) -> Families {
        self.ops
            .iter()
            .fold(Families::NONE, |acc, op| acc.union(op.families()))
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

fn apply_op(m: &mut Model, op: &Op) -> Result<(), ModelError> {
    match op {
        Op::AddWorkspace { id } => m.add_workspace(id).map(drop),
        Op::AddFolder { id, workspace_id } => m.add_folder(id, workspace_id.as_deref()).map(drop),
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
        Op::AddGroupMembers { group_id, user_ids } => {
            let users: Vec<&str> = user_ids.iter().map(String::as_str).collect();
            Ok(m.rbac_mut().add_group_members(group_id, &users).map(drop)?)
        }
        Op::RemoveGroupMembers { group_id, user_ids } => {
            let users: Vec<&str> = user_ids.iter().map(String::as_str).collect();
            Ok(m.rbac_mut()
                .remove_group_members(group_id, &users)
                .map(drop)?)
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
        } => Ok(m
            .networks_mut()
            .entitle_advisor(advisor_id, network_id)
            .map(drop)?),
        Op::RemoveEntitlement {
            advisor_id,
            network_id,
        } => Ok(m
            .networks_mut()
            .remove_entitlement(advisor_id, network_id)
            .map(drop)?),
        Op::GrantNetworkPermission {
            advisor_id,
            network_id,
            permission_id,
        } => Ok(m
            .networks_mut()
            .grant_network_permission(advisor_id, network_id, permission_id)
            .map(drop)?),
        Op::RevokeNetworkPermission {
            advisor_id,
            network_id,
            permission_id,
        } => Ok(m
            .networks_mut()
            .revoke_network_permission(advisor_id, network_id, permission_id)
            .map(drop)?),
    }
}
