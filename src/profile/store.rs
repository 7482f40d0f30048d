//! The editable profiles: specs validated into dense form, the per-workspace assignment rows,
//! holder counts and the index of team leads.

use crate::error::InputErrorKind;
use crate::id::registry::Registry;
use crate::id::{DenseId, Interner, NONE, ProfileId, UserId};
use crate::org::assignment::AssignRow;
use crate::org::directory::Directory;
use crate::org::error::OrgErrorKind;
use crate::org::workspace::Workspaces;
use crate::profile::capability::{Capability, known_table};
use crate::profile::compiled::ProfileInputs;
use crate::profile::error::{ProfileError, ProfileErrorKind};
use crate::profile::{Domain, LeadIndex, ProfileSpec, StoredProfile, listing_order};

/// Profiles, their assignments and holders: the profiles part of a [`Model`](crate::Model).
///
/// Invariants: `assignment` has one row per workspace; a row names only live profiles of its
/// workspace; `holders[p]` is the number of users assigned `p`; `leads` indexes every lead of
/// every live profile.
#[derive(Clone, Debug)]
pub(crate) struct ProfileStore {
    /// By dense profile id; a deleted profile's id is kept for a later re-create.
    pub(crate) profiles: Registry<ProfileId, StoredProfile>,
    pub(crate) capabilities: Interner<Capability>,
    /// `assignment[workspace]`: each user's profile there (`NONE`: none), dense or sparse
    /// by how many users of the workspace hold one (see `crate::org::assignment`).
    pub(crate) assignment: Vec<AssignRow>,
    /// Number of users holding each profile.
    holders: Vec<u32>,
    /// The profiles naming each user as a team lead.
    pub(crate) leads: LeadIndex,
}

impl ProfileStore {
    /// No profiles, over `workspaces` workspaces (the first, the default, with a dense row).
    pub(crate) fn new(workspaces: usize) -> Self {
        ProfileStore {
            profiles: Registry::default(),
            capabilities: known_table(),
            assignment: (0..workspaces)
                .map(|w| {
                    if w == 0 {
                        AssignRow::dense()
                    } else {
                        AssignRow::default()
                    }
                })
                .collect(),
            holders: Vec::new(),
            leads: LeadIndex::default(),
        }
    }

    /// A row for a new workspace.
    pub(crate) fn add_workspace(&mut self) {
        self.assignment.push(AssignRow::default());
    }

    /// What compiling profiles reads.
    pub(crate) fn inputs(&self) -> ProfileInputs<'_> {
        ProfileInputs {
            ids: self.profiles.ids(),
            profiles: self.profiles.slots(),
            capabilities: &self.capabilities,
            assignment: &self.assignment,
        }
    }

    /// The first profile naming `u` as a team lead: its id and the domain.
    pub(crate) fn lead_of(&self, u: UserId) -> Option<(&str, Domain)> {
        let (p, d) = self.leads.first(u)?;
        let id = self
            .profiles
            .get(ProfileId::from_index(p))?
            .spec
            .id
            .as_str();
        Some((id, d))
    }

    /// Clears a removed user's assignments (a team lead cannot be removed, so the lead index
    /// never names a removed user).
    pub(crate) fn forget_user(&mut self, u: UserId) {
        for row in self.assignment.iter_mut() {
            let held = row.clear(u.index() as usize);
            if let Some(h) = self.holders.get_mut(held as usize) {
                *h = h.saturating_sub(1);
            }
        }
    }

    /// Creates a profile.
    pub(crate) fn create_profile(
        &mut self,
        dir: &Directory,
        workspaces: &Workspaces,
        spec: ProfileSpec,
    ) -> Result<ProfileId, ProfileError> {
        if self.live_profile(&spec.id).is_some() {
            return Err(ProfileError::at(
                "id",
                InputErrorKind::DuplicateId { id: spec.id },
            ));
        }
        let mut stored = StoredProfile::validate(spec, dir, workspaces)?;
        stored.intern_capabilities(&mut self.capabilities)?;
        let id = stored.spec.id.clone();
        let (p, _) = self.profiles.insert(&id, stored)?;
        self.holders.resize(self.profiles.len(), 0);
        if let Some(stored) = self.profiles.get(p) {
            self.leads.add(p.index(), stored);
        }
        Ok(p)
    }

    /// The first live profile listing folder `name` (whatever its library level, since the
    /// list is exported), and where: its id and the index in its `libraryFolderIds`.
    /// O(profiles × folders they list).
    pub(crate) fn profile_naming_folder(&self, name: &str) -> Option<(&str, usize)> {
        self.profiles.iter().find_map(|(p, s)| {
            let at = s.spec.library.folder_ids.iter().position(|x| x == name)?;
            Some((self.profiles.name(p), at))
        })
    }

    /// A profile by external id.
    pub(crate) fn profile(&self, id: &str) -> Option<&ProfileSpec> {
        self.live_profile(id).map(|(_, s)| &s.spec)
    }

    /// The dense id of a live profile.
    pub(crate) fn profile_id(&self, id: &str) -> Option<ProfileId> {
        self.live_profile(id).map(|(p, _)| p)
    }

    fn live_profile(&self, id: &str) -> Option<(ProfileId, &StoredProfile)> {
        self.profiles.live(id)
    }

    fn live_profile_or_err(
        &self,
        id: &str,
        field: &str,
    ) -> Result<(ProfileId, &StoredProfile), ProfileError> {
        self.live_profile(id).ok_or_else(|| {
            ProfileError::at(
                field,
                ProfileErrorKind::UnknownProfile { id: id.to_owned() },
            )
        })
    }

    pub(crate) fn update_profile(
        &mut self,
        dir: &Directory,
        workspaces: &Workspaces,
        spec: ProfileSpec,
    ) -> Result<(), ProfileError> {
        let (p, old) = self.live_profile_or_err(&spec.id, "id")?;
        let old_ws = old.workspace;
        let mut stored = StoredProfile::validate(spec, dir, workspaces)?;
        let users = self.holders.get(p.index() as usize).copied().unwrap_or(0) as usize;
        if stored.workspace != old_ws && users > 0 {
            return Err(ProfileError::at(
                "workspaceId",
                ProfileErrorKind::ProfileAssigned {
                    id: stored.spec.id,
                    users,
                },
            ));
        }
        stored.intern_capabilities(&mut self.capabilities)?;
        if let Some(old) = self.profiles.get(p) {
            self.leads.remove(p.index(), old);
        }
        self.leads.add(p.index(), &stored);
        if let Some(slot) = self.profiles.get_mut(p) {
            *slot = stored;
        }
        Ok(())
    }

    /// Deletes a profile that no user holds.
    pub(crate) fn delete_profile(&mut self, id: &str) -> Result<(), ProfileError> {
        let (p, _) = self.live_profile_or_err(id, "id")?;
        let users = self.holders.get(p.index() as usize).copied().unwrap_or(0) as usize;
        if users > 0 {
            return Err(ProfileError::at(
                "id",
                ProfileErrorKind::ProfileAssigned {
                    id: id.to_owned(),
                    users,
                },
            ));
        }
        if let Some(old) = self.profiles.remove(p) {
            self.leads.remove(p.index(), &old);
        }
        Ok(())
    }

    pub(crate) fn profiles_in(
        &self,
        workspaces: &Workspaces,
        workspace: Option<&str>,
    ) -> Result<Vec<&ProfileSpec>, ProfileError> {
        let w = workspaces.resolve(workspace, "workspaceId")?;
        let mut out: Vec<&ProfileSpec> = self
            .profiles
            .iter()
            .map(|(_, p)| p)
            .filter(|p| p.workspace == w)
            .map(|p| &p.spec)
            .collect();
        out.sort_by(|a, b| listing_order(a, b));
        Ok(out)
    }

    /// How many users hold the live profile `id` (0 for an unknown one).
    pub(crate) fn holder_count(&self, id: &str) -> usize {
        self.live_profile_or_err(id, "id")
            .ok()
            .and_then(|(p, _)| self.holders.get(p.index() as usize).copied())
            .unwrap_or(0) as usize
    }

    /// The external ids of the users holding a profile, sorted.
    pub(crate) fn users_of_profile<'a>(
        &'a self,
        dir: &'a Directory,
        id: &str,
    ) -> Result<Vec<&'a str>, ProfileError> {
        let (p, stored) = self.live_profile_or_err(id, "id")?;
        let mut out: Vec<&'a str> = self
            .assignment
            .get(stored.workspace.index() as usize)
            .into_iter()
            .flat_map(AssignRow::iter)
            .filter(|&(_, q)| q == p.index())
            .map(|(u, _)| dir.name(UserId::from_index(u as u32)))
            .collect();
        out.sort_unstable();
        Ok(out)
    }

    /// Gives a user a profile in the profile's workspace, replacing the one they had there.
    pub(crate) fn assign_profile(
        &mut self,
        dir: &Directory,
        user: &str,
        profile: &str,
    ) -> Result<(), ProfileError> {
        let u = dir.active_or_err(user, "userId")?;
        let (p, stored) = self.live_profile_or_err(profile, "profileId")?;
        let w = stored.workspace.index() as usize;
        let users = dir.len();
        let row = self.assignment.get_mut(w).ok_or_else(|| {
            ProfileError::at(
                "userId",
                OrgErrorKind::UnknownUser {
                    id: user.to_owned(),
                },
            )
        })?;
        let old = row.set(u.index() as usize, p.index(), users);
        if let Some(h) = self.holders.get_mut(old as usize) {
            *h = h.saturating_sub(1);
        }
        if let Some(h) = self.holders.get_mut(p.index() as usize) {
            *h += 1;
        }
        Ok(())
    }

    pub(crate) fn unassign_profile(
        &mut self,
        dir: &Directory,
        workspaces: &Workspaces,
        user: &str,
        workspace: Option<&str>,
    ) -> Result<bool, ProfileError> {
        let u = dir.active_or_err(user, "userId")?;
        let w = workspaces.resolve(workspace, "workspaceId")?;
        let Some(slot) = self
            .assignment
            .get_mut(w.index() as usize)
            .and_then(|t| t.get_mut(u.index() as usize))
        else {
            return Ok(false);
        };
        let old = core::mem::replace(slot, NONE);
        match self.holders.get_mut(old as usize) {
            Some(h) => {
                *h = h.saturating_sub(1);
                Ok(true)
            }
            None => Ok(false),
        }
    }

    /// The external id of a user's profile in a workspace (`None`: the default one).
    pub(crate) fn profile_of(
        &self,
        dir: &Directory,
        workspaces: &Workspaces,
        user: &str,
        workspace: Option<&str>,
    ) -> Option<&str> {
        let u = dir.active_id(user)?;
        let w = workspaces.resolve(workspace, "workspaceId").ok()?;
        let p = self
            .assignment
            .get(w.index() as usize)?
            .get(u.index() as usize);
        if p == NONE {
            return None;
        }
        Some(self.profiles.name(ProfileId::from_index(p)))
    }
}
