//! The mutable source of truth: directory, workspaces, folders, profiles and assignments,
//! edited through validated operations that apply completely or not at all.

use std::sync::Arc;

use crate::calls::compiled::CompiledCalls;
use crate::calls::viewers::CallViewers;
use crate::error::bounded;
use crate::id::{FolderId, ProfileId, UserId, WorkspaceId};
use crate::items::compiled::CompiledItems;
use crate::model_error::ModelError;
use crate::network::compiled::CompiledNetworks;
use crate::org::compiled::CompiledOrg;
use crate::org::directory::Directory;
use crate::org::error::OrgErrorKind;
use crate::org::workspace::Workspaces;
use crate::profile::ProfileSpec;
use crate::profile::compiled::CompiledProfiles;
use crate::profile::error::ProfileErrorKind;
use crate::profile::store::ProfileStore;
use crate::rbac::compiled::CompiledRbac;
use crate::snapshot::Snapshot;
use crate::teams::compiled::CompiledTeams;

/// The editable authorization model, keyed by external string ids.
///
/// Every edit validates first and then applies completely, or returns a [`ModelError`] that
/// names the field and leaves the model unchanged. [`Model::compile`] turns the model into an
/// immutable [`Snapshot`] that answers queries.
///
/// A model starts with one workspace, `"default"` ([`WorkspaceId::DEFAULT`]); the queries that
/// take no workspace use it, so a single-workspace tenant never names one.
///
/// # Examples
///
/// ```
/// use orgperm::{Domain, Level, Model, ProfileSpec};
///
/// let mut model = Model::new();
/// model.add_user("ceo", None)?;
/// model.add_user("vp", Some("ceo"))?;
/// model.add_user("rep", Some("vp"))?;
/// model.create_profile(ProfileSpec::new("mgr", "Managers").with_level(Domain::Calls, Level::ReportToThem))?;
/// model.assign_profile("vp", "mgr")?;
///
/// let snap = model.compile();
/// assert!(snap.can_access("vp", Domain::Calls, "rep"));
/// assert!(!snap.can_access("vp", Domain::Calls, "ceo"));
/// # Ok::<(), orgperm::ModelError>(())
/// ```
#[derive(Clone, Debug)]
pub struct Model {
    pub(crate) dir: Arc<Directory>,
    pub(crate) workspaces: Arc<Workspaces>,
    /// Profiles, assignments, holders and team leads (see `crate::profile::store`).
    pub(crate) profiles: Arc<ProfileStore>,
    /// Teams and their members (see `crate::teams`).
    pub(crate) teams: Arc<crate::teams::store::TeamStore>,
    /// Calls (see `crate::calls`).
    pub(crate) calls: Arc<crate::calls::store::CallStore>,
    /// Networks, advisors and contacts (see `crate::network`).
    pub(crate) networks: Arc<crate::network::store::NetworkStore>,
    /// Roles and permissions (catalog, roles, divisions, groups, grants, actions).
    pub(crate) rbac: Arc<crate::rbac::RbacStore>,
    /// Quantive items, default access lists and gates (see `crate::items`).
    pub(crate) items: Arc<crate::items::store::ItemStore>,
}

impl Default for Model {
    fn default() -> Self {
        Self::new()
    }
}

impl Model {
    /// An empty model with the workspace `"default"`.
    ///
    /// # Examples
    ///
    /// ```
    /// let model = orgperm::Model::new();
    /// assert_eq!(model.workspace_ids().collect::<Vec<_>>(), ["default"]);
    /// ```
    pub fn new() -> Self {
        match Self::with_default_workspace("default") {
            Ok(m) => m,
            // "default" is a valid, unused id: this arm cannot be reached.
            Err(_) => Self::empty(Workspaces::empty()),
        }
    }

    /// An empty model whose default workspace has the external id `id`.
    ///
    /// # Examples
    ///
    /// ```
    /// let model = orgperm::Model::with_default_workspace("ws-1").unwrap();
    /// assert_eq!(model.workspace_id("ws-1"), Some(orgperm::WorkspaceId::DEFAULT));
    /// ```
    pub fn with_default_workspace(id: &str) -> Result<Self, ModelError> {
        Ok(Self::empty(Workspaces::new(id)?))
    }

    fn empty(workspaces: Workspaces) -> Self {
        let n = workspaces.len();
        Self {
            dir: Arc::default(),
            workspaces: Arc::new(workspaces),
            profiles: Arc::new(ProfileStore::new(n)),
            teams: Arc::default(),
            calls: Arc::default(),
            networks: Arc::default(),
            rbac: Arc::default(),
            items: Arc::default(),
        }
    }

    // ---- workspaces and folders -------------------------------------------------------------

    /// Adds a workspace.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut model = orgperm::Model::new();
    /// let ws = model.add_workspace("emea").unwrap();
    /// assert_eq!(model.workspace_id("emea"), Some(ws));
    /// assert!(model.add_workspace("emea").is_err());
    /// ```
    pub fn add_workspace(&mut self, id: &str) -> Result<WorkspaceId, ModelError> {
        let w = Arc::make_mut(&mut self.workspaces).add(id)?;
        Arc::make_mut(&mut self.profiles).add_workspace();
        Ok(w)
    }

    /// The dense id of a workspace.
    pub fn workspace_id(&self, id: &str) -> Option<WorkspaceId> {
        self.workspaces.ids.get(id)
    }

    /// External ids of the workspaces, the default first.
    pub fn workspace_ids(&self) -> impl Iterator<Item = &str> + '_ {
        self.workspaces.ids.iter().map(|(_, name)| name)
    }

    /// Adds a library folder to a workspace (`None`: the default one).
    ///
    /// # Examples
    ///
    /// ```
    /// let mut model = orgperm::Model::new();
    /// model.add_folder("best-calls", None).unwrap();
    /// assert!(model.add_folder("x", Some("nowhere")).is_err());
    /// ```
    pub fn add_folder(
        &mut self,
        id: &str,
        workspace: Option<&str>,
    ) -> Result<FolderId, ModelError> {
        let w = self.workspaces.resolve(workspace, "workspaceId")?;
        Arc::make_mut(&mut self.workspaces)
            .add_folder(id, w)
            .map_err(ModelError::from)
    }

    /// Removes a library folder. Refused while anything names it
    /// ([`FolderInUse`](crate::OrgErrorKind::FolderInUse) naming one referrer): a profile
    /// listing it (`profile "p1" libraryFolderAccess.libraryFolderIds[0]`, whatever the
    /// profile's library level) or a call in it (`call "c1" folderIds[0]`). Gong's API
    /// documents no folder deletion and nothing about what it would do to the profiles and
    /// calls naming a folder, so nothing cascades: update the profiles and take the calls out
    /// first. Adding the id again gives the folder its dense id back, in the workspace then
    /// given. Cost: O(profiles × their folders + calls).
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{CallSpec, ErrorKind, Model, OrgErrorKind};
    /// let mut model = Model::new();
    /// model.add_user("ada", None)?;
    /// model.add_folder("wins", None)?;
    /// model.calls_mut().add_call(CallSpec::new("c1", "ada").in_folders(["wins"]))?;
    /// let err = model.remove_folder("wins").unwrap_err();
    /// assert_eq!(err.to_string(), "id: folder \"wins\" is still named by call \"c1\" folderIds[0]");
    /// assert!(matches!(err.kind(), ErrorKind::Org(OrgErrorKind::FolderInUse { .. })));
    /// model.calls_mut().remove_call_from_folder("c1", "wins")?;
    /// model.remove_folder("wins")?;
    /// assert_eq!(model.folder_id("wins"), None);
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    pub fn remove_folder(&mut self, id: &str) -> Result<(), ModelError> {
        let f = self.workspaces.live_folder(id).ok_or_else(|| {
            ModelError::at("id", OrgErrorKind::UnknownFolder { id: id.to_owned() })
        })?;
        let in_use = |referrer: String| {
            ModelError::at(
                "id",
                OrgErrorKind::FolderInUse {
                    id: id.to_owned(),
                    referrer,
                },
            )
        };
        if let Some((p, i)) = self.profiles.profile_naming_folder(id) {
            return Err(in_use(format!(
                "profile {:?} libraryFolderAccess.libraryFolderIds[{i}]",
                bounded(p)
            )));
        }
        if let Some((c, i)) = self.calls.call_in_folder(f) {
            return Err(in_use(format!("call {:?} folderIds[{i}]", bounded(c))));
        }
        Arc::make_mut(&mut self.workspaces).remove_folder(f);
        Ok(())
    }

    /// The dense id of a folder.
    pub fn folder_id(&self, id: &str) -> Option<FolderId> {
        self.workspaces.live_folder(id)
    }

    // ---- users ------------------------------------------------------------------------------

    /// Adds a user under `manager` (or as a root). A removed user's id may be added again: it
    /// gets its old dense id back but none of what the removed user held (removal erased it).
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{ErrorKind, InputErrorKind, Model};
    /// let mut model = Model::new();
    /// model.add_user("ceo", None).unwrap();
    /// model.add_user("vp", Some("ceo")).unwrap();
    /// let err = model.add_user("vp", None).unwrap_err();
    /// assert_eq!(err.kind(), &ErrorKind::Input(InputErrorKind::DuplicateId { id: "vp".into() }));
    /// ```
    pub fn add_user(&mut self, id: &str, manager: Option<&str>) -> Result<UserId, ModelError> {
        // Rows grow when a user is assigned: nothing to do per workspace here.
        Arc::make_mut(&mut self.dir)
            .add(id, manager)
            .map_err(ModelError::from)
    }

    /// Removes a user who has no active reports and is no profile's team lead, erasing them
    /// from every relation: profile assignments, role grants, group and team memberships,
    /// global-permission bindings, network entitlements and permissions, call ownership,
    /// participation, shares and individual grants, item ownership, creator rights and
    /// access-list entries naming them. The calls and items they touched stay, reached only
    /// through what remains. Every later check about them is a Deny; adding the id again
    /// creates a user with nothing, who answers every query as a brand-new user.
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{ErrorKind, Model, OrgErrorKind};
    /// let mut model = Model::new();
    /// model.add_user("ceo", None)?;
    /// model.add_user("rep", Some("ceo"))?;
    /// let err = model.remove_user("ceo").unwrap_err();
    /// assert_eq!(err.kind(), &ErrorKind::Org(OrgErrorKind::HasReports { id: "ceo".into(), reports: 1 }));
    /// model.teams_mut().add_team("sales", None)?;
    /// model.teams_mut().add_team_member("sales", "rep")?;
    /// model.remove_user("rep")?;
    /// assert_eq!(model.user_id("rep"), None);
    /// // Re-added, the id holds nothing of what the removed user held.
    /// model.add_user("rep", Some("ceo"))?;
    /// assert!(model.teams().team_members("sales")?.is_empty());
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    pub fn remove_user(&mut self, id: &str) -> Result<(), ModelError> {
        if let Some((profile, d)) = self
            .dir
            .active_id(id)
            .and_then(|u| self.profiles.lead_of(u))
        {
            let profile = profile.to_owned();
            return Err(ModelError::at(
                "id",
                ProfileErrorKind::UserIsTeamLead {
                    id: id.to_owned(),
                    profile,
                    field: format!("{}.teamLeadIds", d.path()),
                },
            ));
        }
        let u = Arc::make_mut(&mut self.dir).remove(id)?;
        self.forget_user(u);
        Ok(())
    }

    /// Erases a removed user from every relation of every family, so that nothing they held
    /// survives for a later user with the same id (the semantics page §5). Each family store has
    /// its own `forget_user`. The destructuring names every field of the model, so a new
    /// family does not compile until it says here what removal does to it.
    fn forget_user(&mut self, u: UserId) {
        let Model {
            dir: _,
            workspaces: _,
            profiles,
            teams,
            calls,
            networks,
            rbac,
            items,
        } = self;
        Arc::make_mut(rbac).forget_user(u);
        Arc::make_mut(teams).forget_user(u);
        Arc::make_mut(calls).forget_user(u);
        Arc::make_mut(networks).forget_user(u);
        Arc::make_mut(items).forget_user(u);
        Arc::make_mut(profiles).forget_user(u);
    }

    /// Moves a user under another manager (`None`: makes them a root). A move that would
    /// create a cycle is refused with the users of the cycle named.
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{ErrorKind, Model, OrgErrorKind};
    /// let mut model = Model::new();
    /// model.add_user("a", None).unwrap();
    /// model.add_user("b", Some("a")).unwrap();
    /// let err = model.move_user("a", Some("b")).unwrap_err();
    /// assert_eq!(err.kind(), &ErrorKind::Org(OrgErrorKind::ManagerCycle { users: vec!["a".into(), "b".into()] }));
    /// ```
    pub fn move_user(&mut self, id: &str, manager: Option<&str>) -> Result<(), ModelError> {
        Arc::make_mut(&mut self.dir)
            .move_to(id, manager)
            .map(|_| ())
            .map_err(ModelError::from)
    }

    /// Replaces an empty directory with one built in bulk (document import).
    pub(crate) fn set_directory(&mut self, dir: Directory) {
        self.dir = Arc::new(dir);
    }

    /// The dense id of an active user.
    pub fn user_id(&self, id: &str) -> Option<UserId> {
        self.dir.active_id(id)
    }

    /// The external id of an active user's manager.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut model = orgperm::Model::new();
    /// model.add_user("a", None).unwrap();
    /// model.add_user("b", Some("a")).unwrap();
    /// assert_eq!(model.manager_of("b"), Some("a"));
    /// assert_eq!(model.manager_of("a"), None);
    /// ```
    pub fn manager_of(&self, id: &str) -> Option<&str> {
        let u = self.dir.active_id(id)?;
        self.dir.manager(u).map(|m| self.dir.name(m))
    }

    /// External ids of the active users, in dense-id order.
    pub fn user_ids(&self) -> impl Iterator<Item = &str> + '_ {
        self.dir
            .ids
            .iter()
            .filter(|&(u, _)| self.dir.is_active(u))
            .map(|(_, name)| name)
    }

    /// Number of active users.
    pub fn user_count(&self) -> usize {
        self.dir.active_table().iter().filter(|&&a| a).count()
    }

    // ---- profiles ---------------------------------------------------------------------------

    /// Creates a profile.
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{Domain, ErrorKind, Level, Model, ProfileSpec};
    /// let mut model = Model::new();
    /// let bad = ProfileSpec::new("p", "Leads").with_leads(Domain::Calls, Level::ManagersTeam, ["ghost"]);
    /// let err = model.create_profile(bad).unwrap_err();
    /// assert_eq!(err.to_string(), "callsAccess.teamLeadIds[0]: unknown user \"ghost\"");
    /// ```
    pub fn create_profile(&mut self, spec: ProfileSpec) -> Result<ProfileId, ModelError> {
        Arc::make_mut(&mut self.profiles)
            .create_profile(&self.dir, &self.workspaces, spec)
            .map_err(ModelError::from)
    }

    /// A profile by external id.
    pub fn profile(&self, id: &str) -> Option<&ProfileSpec> {
        self.profiles.profile(id)
    }

    /// The dense id of a live profile.
    pub fn profile_id(&self, id: &str) -> Option<ProfileId> {
        self.profiles.profile_id(id)
    }

    /// Replaces the profile with `spec.id`. Moving an assigned profile to another workspace is
    /// refused.
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{Domain, Level, Model, ProfileSpec};
    /// let mut model = Model::new();
    /// model.create_profile(ProfileSpec::new("p", "Reps")).unwrap();
    /// model.update_profile(ProfileSpec::new("p", "Reps").with_level(Domain::Calls, Level::Own)).unwrap();
    /// assert_eq!(model.profile("p").unwrap().access(Domain::Calls).level, Level::Own);
    /// ```
    pub fn update_profile(&mut self, spec: ProfileSpec) -> Result<(), ModelError> {
        Arc::make_mut(&mut self.profiles)
            .update_profile(&self.dir, &self.workspaces, spec)
            .map_err(ModelError::from)
    }

    /// Deletes a profile that no user holds.
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{ErrorKind, Model, ProfileErrorKind, ProfileSpec};
    /// let mut model = Model::new();
    /// model.add_user("ada", None).unwrap();
    /// model.create_profile(ProfileSpec::new("p", "Reps")).unwrap();
    /// model.assign_profile("ada", "p").unwrap();
    /// let err = model.delete_profile("p").unwrap_err();
    /// assert_eq!(err.kind(), &ErrorKind::Profile(ProfileErrorKind::ProfileAssigned { id: "p".into(), users: 1 }));
    /// model.unassign_profile("ada", None).unwrap();
    /// model.delete_profile("p").unwrap();
    /// ```
    pub fn delete_profile(&mut self, id: &str) -> Result<(), ModelError> {
        Arc::make_mut(&mut self.profiles)
            .delete_profile(id)
            .map_err(ModelError::from)
    }

    /// The profiles of a workspace (`None`: the default one), alphabetically by name
    /// (case-insensitive; exact name, then id, break ties).
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{Model, ProfileSpec};
    /// let mut model = Model::new();
    /// model.create_profile(ProfileSpec::new("1", "reps")).unwrap();
    /// model.create_profile(ProfileSpec::new("2", "Admins")).unwrap();
    /// let names: Vec<_> = model.profiles_in(None).unwrap().iter().map(|p| p.name.as_str()).collect();
    /// assert_eq!(names, ["Admins", "reps"]);
    /// ```
    pub fn profiles_in(&self, workspace: Option<&str>) -> Result<Vec<&ProfileSpec>, ModelError> {
        self.profiles
            .profiles_in(&self.workspaces, workspace)
            .map_err(ModelError::from)
    }

    /// The external ids of the users holding a profile, sorted.
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{Model, ProfileSpec};
    /// let mut model = Model::new();
    /// model.add_user("b", None).unwrap();
    /// model.add_user("a", None).unwrap();
    /// model.create_profile(ProfileSpec::new("p", "Reps")).unwrap();
    /// model.assign_profile("b", "p").unwrap();
    /// model.assign_profile("a", "p").unwrap();
    /// assert_eq!(model.users_of_profile("p").unwrap(), ["a", "b"]);
    /// ```
    pub fn users_of_profile(&self, id: &str) -> Result<Vec<&str>, ModelError> {
        self.profiles
            .users_of_profile(&self.dir, id)
            .map_err(ModelError::from)
    }

    /// Gives a user a profile in the profile's workspace, replacing the one they had there.
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{Model, ProfileSpec};
    /// let mut model = Model::new();
    /// model.add_user("ada", None).unwrap();
    /// model.create_profile(ProfileSpec::new("p", "Reps")).unwrap();
    /// model.assign_profile("ada", "p").unwrap();
    /// assert_eq!(model.profile_of("ada", None), Some("p"));
    /// ```
    pub fn assign_profile(&mut self, user: &str, profile: &str) -> Result<(), ModelError> {
        Arc::make_mut(&mut self.profiles)
            .assign_profile(&self.dir, user, profile)
            .map_err(ModelError::from)
    }

    /// Takes away a user's profile in a workspace (`None`: the default one). Returns whether
    /// they had one.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut model = orgperm::Model::new();
    /// model.add_user("ada", None).unwrap();
    /// assert_eq!(model.unassign_profile("ada", None).unwrap(), false);
    /// ```
    pub fn unassign_profile(
        &mut self,
        user: &str,
        workspace: Option<&str>,
    ) -> Result<bool, ModelError> {
        Arc::make_mut(&mut self.profiles)
            .unassign_profile(&self.dir, &self.workspaces, user, workspace)
            .map_err(ModelError::from)
    }

    /// The external id of a user's profile in a workspace (`None`: the default one).
    pub fn profile_of(&self, user: &str, workspace: Option<&str>) -> Option<&str> {
        self.profiles
            .profile_of(&self.dir, &self.workspaces, user, workspace)
    }

    /// Reads the teams family: see [`TeamsRef`](crate::TeamsRef).
    pub fn teams(&self) -> crate::teams::store::TeamsRef<'_> {
        crate::teams::store::TeamsRef {
            teams: &self.teams,
            dir: &self.dir,
        }
    }

    /// Edits the teams family: see [`TeamsMut`](crate::TeamsMut).
    pub fn teams_mut(&mut self) -> crate::teams::store::TeamsMut<'_> {
        crate::teams::store::TeamsMut {
            teams: Arc::make_mut(&mut self.teams),
            dir: &self.dir,
            // The items' access lists name teams: a named team is not removed.
            referrers: &*self.items,
        }
    }

    /// Reads the calls family: see [`CallsRef`](crate::CallsRef).
    pub fn calls(&self) -> crate::calls::store::CallsRef<'_> {
        crate::calls::store::CallsRef {
            calls: &self.calls,
            dir: &self.dir,
            workspaces: &self.workspaces,
        }
    }

    /// Edits the calls family: see [`CallsMut`](crate::CallsMut).
    pub fn calls_mut(&mut self) -> crate::calls::store::CallsMut<'_> {
        crate::calls::store::CallsMut {
            calls: Arc::make_mut(&mut self.calls),
            dir: &self.dir,
            workspaces: &self.workspaces,
        }
    }

    /// Reads the networks family: see [`NetworksRef`](crate::NetworksRef).
    pub fn networks(&self) -> crate::network::store::NetworksRef<'_> {
        crate::network::store::NetworksRef {
            networks: &self.networks,
            dir: &self.dir,
        }
    }

    /// Edits the networks family: see [`NetworksMut`](crate::NetworksMut).
    pub fn networks_mut(&mut self) -> crate::network::store::NetworksMut<'_> {
        crate::network::store::NetworksMut {
            networks: Arc::make_mut(&mut self.networks),
            dir: &self.dir,
        }
    }

    /// Entitles an advisor on a network (granting the network's default permissions) without
    /// asking for the advisor to be a directory user first: an advisor id the directory does
    /// not have is added as a user without a manager, who holds nothing in any other family
    /// (Symphony advisors are Symphony users, not necessarily part of the org chart). Returns
    /// whether the advisor was newly entitled, as
    /// [`NetworksMut::entitle_advisor`](crate::NetworksMut::entitle_advisor) does.
    ///
    /// The network is checked first (an unknown one is
    /// [`UnknownNetwork`](crate::NetworkErrorKind::UnknownNetwork) at `externalNetwork`, and
    /// no user is added); an empty advisor id is an error at `advisorSymphonyId`.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut model = orgperm::Model::new();
    /// model.networks_mut().add_network("WHATSAPP")?;
    /// model.networks_mut().add_network_permission("WHATSAPP", "create:room", true)?;
    /// assert!(model.onboard_advisor("1234567890", "WHATSAPP")?);
    /// assert_eq!(model.manager_of("1234567890"), None);
    /// assert!(model.compile().networks().has_permission("1234567890", "WHATSAPP", "create:room"));
    /// assert!(model.onboard_advisor("1234567890", "LINE").is_err());
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    pub fn onboard_advisor(&mut self, advisor: &str, network: &str) -> Result<bool, ModelError> {
        if self.networks().network_id(network).is_none() {
            return Err(ModelError::at(
                "externalNetwork",
                crate::network::error::NetworkErrorKind::UnknownNetwork {
                    id: network.to_owned(),
                },
            ));
        }
        if self.user_id(advisor).is_none() {
            self.add_user(advisor, None)
                .map_err(|e| e.renamed("id", "advisorSymphonyId"))?;
        }
        Ok(self.networks_mut().entitle_advisor(advisor, network)?)
    }

    /// Reads the rbac family: see [`RbacRef`](crate::RbacRef).
    pub fn rbac(&self) -> crate::rbac::RbacRef<'_> {
        crate::rbac::RbacRef {
            rbac: &self.rbac,
            dir: &self.dir,
        }
    }

    /// Edits the rbac family: see [`RbacMut`](crate::RbacMut).
    pub fn rbac_mut(&mut self) -> crate::rbac::RbacMut<'_> {
        crate::rbac::RbacMut {
            rbac: Arc::make_mut(&mut self.rbac),
            dir: &self.dir,
            // The items' access lists name roles: a named role is not deleted.
            referrers: &*self.items,
        }
    }

    /// Reads the items family: see [`ItemsRef`](crate::ItemsRef).
    pub fn items(&self) -> crate::items::store::ItemsRef<'_> {
        crate::items::store::ItemsRef {
            items: &self.items,
            dir: &self.dir,
            teams: &self.teams,
            rbac: &self.rbac,
        }
    }

    /// Edits the items family: see [`ItemsMut`](crate::ItemsMut).
    pub fn items_mut(&mut self) -> crate::items::store::ItemsMut<'_> {
        crate::items::store::ItemsMut {
            items: Arc::make_mut(&mut self.items),
            dir: &self.dir,
            teams: &self.teams,
            rbac: &self.rbac,
        }
    }

    /// Compiles the model into an immutable, thread-safe [`Snapshot`].
    ///
    /// Each family is compiled once, in dependency order, from its own store and the compiled
    /// families below it: org, profiles, teams, calls (over profiles), networks, roles, items
    /// (over teams and roles). Cost: linear in users, profiles and team leads; see the crate
    /// docs for figures.
    pub fn compile(&self) -> Snapshot {
        self.compile_parts(None, Families::ALL)
    }

    /// Compiles what `touched` names over `prev`, which must be compiled from this model's
    /// state before the edits `touched` describes (the engine's commit path): a family
    /// written to key by key is patched from `prev` (only the users or calls it names are
    /// compiled again, and every table chunk it does not write to is shared); a family
    /// written to otherwise is compiled whole, with the families compiled over it; every
    /// other part is shared with `prev`.
    pub(crate) fn compile_after(&self, prev: &Snapshot, touched: &Touched) -> Snapshot {
        self.compile_parts(Some((prev, touched)), Families::NONE)
    }

    fn compile_parts(&self, prev: Option<(&Snapshot, &Touched)>, all: Families) -> Snapshot {
        let whole = prev.map_or(all, |(_, t)| t.whole.with_dependents());
        let keyed = prev.map_or(Families::NONE, |(_, t)| t.keyed_with_dependents());
        let prev_snap = prev.map(|(p, _)| p);
        // A part is shared when nothing redoes it and there is one to share; patched when
        // only keys of it changed (over a shared org).
        let keep = |f: Families| prev_snap.filter(|_| !whole.contains(f) && !keyed.contains(f));
        let patch = |f: Families| prev.filter(|_| !whole.contains(f) && keyed.contains(f));
        let org = match keep(Families::ORG) {
            Some(p) => Arc::clone(&p.org),
            None => Arc::new(CompiledOrg::compile(&self.dir, &self.workspaces)),
        };
        // A family whose patch cannot apply is compiled whole, and so are those over it.
        let mut profiles_whole = false;
        let profiles = match (keep(Families::PROFILES), patch(Families::PROFILES)) {
            (Some(p), _) => Arc::clone(&p.profiles),
            (None, Some((p, t))) => {
                let inputs = self.profiles.inputs();
                // Definitions first: an assignment is valid against the profile's new
                // workspace.
                let defs = if t.profile_defs.is_empty() {
                    Some(None)
                } else {
                    p.profiles
                        .patch_profiles(inputs, &org, &t.profile_defs)
                        .map(Some)
                };
                match defs {
                    Some(defs) => Arc::new(defs.as_ref().unwrap_or(&p.profiles).patch(
                        inputs,
                        &org,
                        &t.profile_users,
                    )),
                    None => {
                        profiles_whole = true;
                        Arc::new(CompiledProfiles::compile(inputs, &org))
                    }
                }
            }
            (None, None) => Arc::new(CompiledProfiles::compile(self.profiles.inputs(), &org)),
        };
        let teams = match keep(Families::TEAMS) {
            Some(p) => Arc::clone(&p.teams),
            None => Arc::new(CompiledTeams::compile(&self.teams, &org)),
        };
        let calls = match (keep(Families::CALLS), patch(Families::CALLS)) {
            (Some(p), _) => Arc::clone(&p.calls),
            (None, Some((p, t))) => p.calls.patch(&self.calls, &org, &t.calls).map_or_else(
                || Arc::new(CompiledCalls::compile(&self.calls, &org)),
                Arc::new,
            ),
            (None, None) => Arc::new(CompiledCalls::compile(&self.calls, &org)),
        };
        // The viewer table follows the profiles, and whether there are calls at all.
        let viewers_kept = |p: &Snapshot| p.calls.is_empty() == calls.is_empty();
        let call_viewers = match (
            keep(Families::CALL_VIEWERS).filter(|p| viewers_kept(p)),
            patch(Families::CALL_VIEWERS).filter(|(p, _)| viewers_kept(p) && !profiles_whole),
        ) {
            (Some(p), _) => Arc::clone(&p.call_viewers),
            (None, Some((p, t))) => {
                // The users whose assignment changed, and the holders of an edited profile.
                let mut users = t.profile_users.clone();
                users.extend(profiles.holder_users(&org, &t.profile_defs));
                Arc::new(p.call_viewers.patch(&calls, &org, &profiles, &users))
            }
            (None, None) => Arc::new(CallViewers::compile(&calls, &org, &profiles)),
        };
        let networks = match (keep(Families::NETWORKS), patch(Families::NETWORKS)) {
            (Some(p), _) => Arc::clone(&p.networks),
            (None, Some((p, t))) => p
                .networks
                .patch(&self.networks, &org, &t.network_advisors)
                .map_or_else(
                    || Arc::new(CompiledNetworks::compile(&self.networks, &org)),
                    Arc::new,
                ),
            (None, None) => Arc::new(CompiledNetworks::compile(&self.networks, &org)),
        };
        let mut rbac_whole = false;
        let rbac = match (keep(Families::RBAC), patch(Families::RBAC)) {
            (Some(p), _) => Arc::clone(&p.rbac),
            (None, Some((p, t))) => {
                // Specs first: a grant interns its combination over the roles' new bits.
                let specs = if t.role_defs.is_empty() {
                    Some(None)
                } else {
                    p.rbac.patch_roles(&self.rbac, &org, &t.role_defs).map(Some)
                };
                let patched = specs.and_then(|specs| {
                    specs
                        .as_ref()
                        .unwrap_or(&p.rbac)
                        .patch(&self.rbac, &org, &t.role_users)
                });
                patched.map_or_else(
                    || {
                        rbac_whole = true;
                        Arc::new(CompiledRbac::build(&self.rbac, &org))
                    },
                    Arc::new,
                )
            }
            (None, None) => Arc::new(CompiledRbac::build(&self.rbac, &org)),
        };
        let items = match (
            keep(Families::ITEMS),
            patch(Families::ITEMS).filter(|_| !rbac_whole),
        ) {
            (Some(p), _) => Arc::clone(&p.items),
            (None, Some((p, t))) => {
                // The users whose grants changed, and the holders of an edited role.
                let mut users = t.role_users.clone();
                users.extend(rbac.role_holder_users(&org, &t.role_defs));
                p.items
                    .patch(&self.items, &org, &teams, &rbac, &users, &t.items)
                    .map_or_else(
                        || Arc::new(CompiledItems::compile(&self.items, &org, &teams, &rbac)),
                        Arc::new,
                    )
            }
            (None, None) => Arc::new(CompiledItems::compile(&self.items, &org, &teams, &rbac)),
        };
        Snapshot {
            org,
            profiles,
            teams,
            calls,
            call_viewers,
            networks,
            rbac,
            items,
            sources: crate::snapshot::Sources::of(self),
        }
    }
}

/// What a change set wrote to, as a commit compiles it: families to compile whole, and
/// families written to only key by key, with the keys (dense ids, as the model holds them
/// after the change set). A key may repeat.
#[derive(Clone, Debug, Default)]
pub(crate) struct Touched {
    /// Families written to in a way only a whole compile follows.
    pub(crate) whole: Families,
    /// Families written to only at the keys below.
    pub(crate) keyed: Families,
    /// Users whose profile assignment changed (in any workspace).
    pub(crate) profile_users: Vec<UserId>,
    /// Calls added, removed, or whose sharees, grantees, folders or privacy changed.
    pub(crate) calls: Vec<crate::calls::CallId>,
    /// Profiles whose definition (levels, leads, library, capabilities) changed; their
    /// assignments did not.
    pub(crate) profile_defs: Vec<ProfileId>,
    /// Users whose own role grants changed.
    pub(crate) role_users: Vec<UserId>,
    /// Roles whose spec (permissions, policies, view-only, name) changed; their grants did
    /// not.
    pub(crate) role_defs: Vec<crate::rbac::ids::RoleId>,
    /// Advisors whose network entitlements or permissions changed.
    pub(crate) network_advisors: Vec<UserId>,
    /// Items whose own list, default list, owners or creator changed, and the items of a
    /// type whose default list changed.
    pub(crate) items: Vec<crate::items::ItemId>,
}

impl Touched {
    /// The keyed families and those compiled over them (the calls' viewer table over
    /// profiles, patched for the users named and the holders of the profiles named; items
    /// over roles, for the users named and the holders of the roles named).
    fn keyed_with_dependents(&self) -> Families {
        let mut out = self.keyed;
        if out.contains(Families::PROFILES) {
            out = out.union(Families::CALL_VIEWERS);
        }
        if out.contains(Families::RBAC) {
            out = out.union(Families::ITEMS);
        }
        out
    }
}

/// A set of families, as an edit touches them or a compile redoes them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub(crate) struct Families(u8);

impl Families {
    pub(crate) const ORG: Families = Families(1);
    pub(crate) const PROFILES: Families = Families(1 << 1);
    pub(crate) const TEAMS: Families = Families(1 << 2);
    pub(crate) const CALLS: Families = Families(1 << 3);
    pub(crate) const NETWORKS: Families = Families(1 << 4);
    pub(crate) const RBAC: Families = Families(1 << 5);
    pub(crate) const ITEMS: Families = Families(1 << 6);
    /// Not a family of its own: the calls' viewer table, compiled over the profiles.
    pub(crate) const CALL_VIEWERS: Families = Families(1 << 7);
    pub(crate) const ALL: Families = Families(0xff);
    pub(crate) const NONE: Families = Families(0);

    pub(crate) fn contains(self, f: Families) -> bool {
        self.0 & f.0 == f.0
    }

    pub(crate) fn union(self, f: Families) -> Families {
        Families(self.0 | f.0)
    }

    pub(crate) fn bits(self) -> u8 {
        self.0
    }

    pub(crate) fn from_bits(bits: u8) -> Families {
        Families(bits)
    }

    /// The families and every family compiled over one of them: everything is compiled
    /// over the org; the calls' viewer table over profiles; items over teams and roles.
    pub(crate) fn with_dependents(self) -> Families {
        if self.contains(Families::ORG) {
            return Families::ALL;
        }
        let mut out = self;
        if self.contains(Families::PROFILES) {
            out = out.union(Families::CALL_VIEWERS);
        }
        if self.contains(Families::TEAMS) || self.contains(Families::RBAC) {
            out = out.union(Families::ITEMS);
        }
        out
    }
}
