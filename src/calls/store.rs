//! The editable calls of a model and their validated edits.

use std::collections::BTreeSet;

use smallvec::SmallVec;

use crate::calls::error::{CallError, CallErrorKind};
use crate::error::InputErrorKind;
use crate::id::registry::Registry;
use crate::id::{DenseId, FolderId, UserId, WorkspaceId, dense_id};
use crate::org::error::OrgErrorKind;
use crate::profile::error::ProfileErrorKind;

dense_id!(
    /// A call, interned from its external id.
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{CallSpec, Model};
    /// let mut model = Model::new();
    /// model.add_user("ada", None).unwrap();
    /// let c = model.calls_mut().add_call(CallSpec::new("c1", "ada")).unwrap();
    /// assert_eq!(model.calls().call_id("c1"), Some(c));
    /// ```
    CallId, "call"
);

/// A call in external ids: what [`CallsMut::add_call`](crate::CallsMut::add_call) takes and [`CallsRef::call`](crate::CallsRef::call) returns.
///
/// `participants` are the internal (directory) participants; the owner counts as one whether
/// listed or not. `started` is the start time in Unix seconds, only reported by existence
/// listings. Lists are sets: order and repetitions do not matter, and [`CallsRef::call`](crate::CallsRef::call) returns
/// them sorted.
///
/// # Examples
///
/// ```
/// use orgperm::CallSpec;
/// let call = CallSpec::new("c1", "ada")
///     .with_participants(["bob"])
///     .shared_with(["cy"])
///     .in_folders(["wins"])
///     .granted_to(["dee"])
///     .private(false)
///     .started_at(1_700_000_000);
/// assert_eq!(call.owner.as_deref(), Some("ada"));
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct CallSpec {
    /// External id.
    pub id: String,
    /// The owner (the user who hosted or recorded the call). `None` for a call without one:
    /// removing a user takes them off every call they owned, and such a call is exported
    /// without `ownerId` and imported back as ownerless. An ownerless call opens only
    /// through its remaining participants, shares, folders and grants.
    pub owner: Option<String>,
    /// The workspace; `None` means the default one.
    pub workspace: Option<String>,
    /// Start time, Unix seconds.
    pub started: i64,
    /// A private call opens only for its owner, participants and explicit sharees.
    pub private: bool,
    /// Internal participants (directory users).
    pub participants: Vec<String>,
    /// Users the call was explicitly shared with.
    pub shared_with: Vec<String>,
    /// Library folders (of the call's workspace) holding the call.
    pub folders: Vec<String>,
    /// Users granted access to this call individually.
    pub grants: Vec<String>,
}

impl CallSpec {
    /// A public call owned by `owner` in the default workspace, with nothing else set.
    pub fn new(id: impl Into<String>, owner: impl Into<String>) -> Self {
        Self {
            id: id.into(),
            owner: Some(owner.into()),
            ..Self::default()
        }
    }

    /// A public call without owner in the default workspace (what remains of a call whose
    /// owner was removed).
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{CallSpec, Model};
    /// let mut model = Model::new();
    /// model.add_user("bob", None)?;
    /// model.calls_mut().add_call(CallSpec::ownerless("c1").with_participants(["bob"]))?;
    /// assert_eq!(model.calls().call("c1").unwrap().owner, None);
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    pub fn ownerless(id: impl Into<String>) -> Self {
        Self {
            id: id.into(),
            ..Self::default()
        }
    }

    /// The same call in another workspace.
    pub fn in_workspace(mut self, workspace: impl Into<String>) -> Self {
        self.workspace = Some(workspace.into());
        self
    }

    /// The same call, private or not.
    pub fn private(mut self, private: bool) -> Self {
        self.private = private;
        self
    }

    /// The same call with another start time (Unix seconds).
    pub fn started_at(mut self, started: i64) -> Self {
        self.started = started;
        self
    }

    /// Adds internal participants.
    pub fn with_participants<S: Into<String>>(
        mut self,
        users: impl IntoIterator<Item = S>,
    ) -> Self {
        self.participants.extend(users.into_iter().map(Into::into));
        self
    }

    /// Adds users the call is shared with.
    pub fn shared_with<S: Into<String>>(mut self, users: impl IntoIterator<Item = S>) -> Self {
        self.shared_with.extend(users.into_iter().map(Into::into));
        self
    }

    /// Adds library folders holding the call.
    pub fn in_folders<S: Into<String>>(mut self, folders: impl IntoIterator<Item = S>) -> Self {
        self.folders.extend(folders.into_iter().map(Into::into));
        self
    }

    /// Adds individual user grants.
    pub fn granted_to<S: Into<String>>(mut self, users: impl IntoIterator<Item = S>) -> Self {
        self.grants.extend(users.into_iter().map(Into::into));
        self
    }
}

/// The lists most calls do not have, boxed so that a plain call stays small.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct CallExtras {
    pub(crate) shared: Vec<UserId>,
    pub(crate) folders: Vec<FolderId>,
    pub(crate) grants: Vec<UserId>,
}

/// One call, validated, in dense ids. Lists are sorted and without duplicates.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct StoredCall {
    /// `None` once the owner was removed (or for a call imported without one).
    pub(crate) owner: Option<UserId>,
    pub(crate) workspace: WorkspaceId,
    pub(crate) started: i64,
    pub(crate) private: bool,
    pub(crate) participants: SmallVec<[UserId; 4]>,
    pub(crate) extras: Option<Box<CallExtras>>,
}

impl StoredCall {
    pub(crate) fn shared(&self) -> &[UserId] {
        self.extras.as_ref().map_or(&[], |e| &e.shared)
    }

    pub(crate) fn folders(&self) -> &[FolderId] {
        self.extras.as_ref().map_or(&[], |e| &e.folders)
    }

    pub(crate) fn grants(&self) -> &[UserId] {
        self.extras.as_ref().map_or(&[], |e| &e.grants)
    }

    /// Every user the call names: owner, participants, sharees and grantees (with repeats).
    fn users(&self) -> impl Iterator<Item = UserId> + '_ {
        self.owner
            .into_iter()
            .chain(self.participants.iter().copied())
            .chain(self.shared().iter().copied())
            .chain(self.grants().iter().copied())
    }

    /// Whether the call still names `u` anywhere.
    fn names(&self, u: UserId) -> bool {
        self.owner == Some(u)
            || self.participants.binary_search(&u).is_ok()
            || self.shared().binary_search(&u).is_ok()
            || self.grants().binary_search(&u).is_ok()
    }

    /// Takes `u` off the call: owner, participant, sharee and grantee.
    fn forget(&mut self, u: UserId) {
        if self.owner == Some(u) {
            self.owner = None;
        }
        if let Ok(at) = self.participants.binary_search(&u) {
            self.participants.remove(at);
        }
        if let Some(e) = self.extras.as_mut() {
            remove_sorted(&mut e.shared, &u);
            remove_sorted(&mut e.grants, &u);
        }
        self.tidy();
    }

    fn extras_mut(&mut self) -> &mut CallExtras {
        self.extras.get_or_insert_with(Default::default)
    }

    /// Drops the boxed lists when they are all empty again.
    fn tidy(&mut self) {
        if self
            .extras
            .as_ref()
            .is_some_and(|e| e.shared.is_empty() && e.folders.is_empty() && e.grants.is_empty())
        {
            self.extras = None;
        }
    }
}

/// The calls of a model, by dense id; `None` once removed.
///
/// Invariant: `by_user` holds `(u, c)` exactly when live call `c` names user `u` (as owner,
/// participant, sharee or grantee), so forgetting a user costs what they were named on.
#[derive(Clone, Debug, Default)]
pub(crate) struct CallStore {
    pub(crate) calls: Registry<CallId, StoredCall>,
    by_user: BTreeSet<(UserId, CallId)>,
}

impl CallStore {
    /// The first live call in folder `f`, and where: its id and the index in its exported
    /// `folderIds` (sorted by dense id, as stored). O(calls).
    pub(crate) fn call_in_folder(&self, f: FolderId) -> Option<(&str, usize)> {
        self.calls.iter().find_map(|(c, s)| {
            let at = s.folders().binary_search(&f).ok()?;
            Some((self.calls.name(c), at))
        })
    }
}

/// The model's calls, their participants, shares, grants and folders, for editing: from [`Model::calls_mut`](crate::Model::calls_mut).
///
/// Every edit validates first and then applies completely, or returns a
/// [`ModelError`](crate::ModelError) that names the field and changes nothing.
#[derive(Debug)]
pub struct CallsMut<'m> {
    pub(crate) calls: &'m mut CallStore,
    pub(crate) dir: &'m crate::org::directory::Directory,
    pub(crate) workspaces: &'m crate::org::workspace::Workspaces,
}

/// The model's calls, their participants, shares, grants and folders, for reading: from [`Model::calls`](crate::Model::calls).
#[derive(Clone, Copy, Debug)]
pub struct CallsRef<'m> {
    pub(crate) calls: &'m CallStore,
    pub(crate) dir: &'m crate::org::directory::Directory,
    pub(crate) workspaces: &'m crate::org::workspace::Workspaces,
}

impl CallsMut<'_> {
    /// The same state, for reading.
    pub fn read(&self) -> CallsRef<'_> {
        CallsRef {
            calls: self.calls,
            dir: self.dir,
            workspaces: self.workspaces,
        }
    }
}

impl CallStore {
    /// Erases a removed user from every call: ownership, participation, shares and
    /// individual grants. The calls stay. O(k log n) for the k calls naming them.
    pub(crate) fn forget_user(&mut self, u: UserId) {
        let calls = crate::id::take_user_pairs(&mut self.by_user, u);
        for c in calls {
            if let Some(call) = self.calls.get_mut(c) {
                call.forget(u);
            }
        }
    }

    pub(crate) fn get(&self, c: CallId) -> Option<&StoredCall> {
        self.calls.get(c)
    }

    fn live_id(&self, id: &str) -> Option<CallId> {
        self.calls.live_id(id)
    }
}

/// Inserts `x` into a sorted list; `false` if it was there.
fn insert_sorted<T: Ord>(list: &mut Vec<T>, x: T) -> bool {
    match list.binary_search(&x) {
        Ok(_) => false,
        Err(at) => {
            list.insert(at, x);
            true
        }
    }
}

/// Removes `x` from a sorted list; `false` if it was not there.
fn remove_sorted<T: Ord>(list: &mut Vec<T>, x: &T) -> bool {
    match list.binary_search(x) {
        Ok(at) => {
            list.remove(at);
            true
        }
        Err(_) => false,
    }
}

impl<'m> CallsMut<'m> {
    fn call_mut(&mut self, c: CallId) -> Option<&mut StoredCall> {
        self.calls.calls.get_mut(c)
    }

    /// Adds a call. Every user named must be an active directory user, every folder a folder
    /// of the call's workspace; errors name the field (`participants[1]`).
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{CallSpec, Model};
    /// let mut model = Model::new();
    /// model.add_user("ada", None)?;
    /// model.add_user("bob", None)?;
    /// model.calls_mut().add_call(CallSpec::new("c1", "ada").with_participants(["bob"]))?;
    /// let err = model.calls_mut().add_call(CallSpec::new("c2", "ada").with_participants(["bob", "x"])).unwrap_err();
    /// assert_eq!(err.to_string(), "participants[1]: unknown user \"x\"");
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    pub fn add_call(&mut self, spec: CallSpec) -> Result<CallId, CallError> {
        self.add_call_ref(&spec)
    }

    /// [`add_call`](CallsMut::add_call) without taking the spec (the document import keeps
    /// it to name the record in an error).
    pub(crate) fn add_call_ref(&mut self, spec: &CallSpec) -> Result<CallId, CallError> {
        if spec.id.is_empty() {
            return Err(CallError::at("id", InputErrorKind::EmptyId));
        }
        if self.calls.live_id(&spec.id).is_some() {
            return Err(CallError::at(
                "id",
                InputErrorKind::DuplicateId {
                    id: spec.id.clone(),
                },
            ));
        }
        let stored = self.read().validate_call(spec)?;
        let store = &mut *self.calls;
        let (c, _) = store.calls.insert(&spec.id, stored)?;
        if let Some(s) = store.calls.get(c) {
            store.by_user.extend(s.users().map(|u| (u, c)));
        }
        Ok(c)
    }

    /// Removes a call.
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{CallSpec, Model};
    /// let mut model = Model::new();
    /// model.add_user("ada", None)?;
    /// model.calls_mut().add_call(CallSpec::new("c1", "ada"))?;
    /// model.calls_mut().remove_call("c1")?;
    /// assert!(model.calls().call("c1").is_none());
    /// assert!(model.calls_mut().remove_call("c1").is_err());
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    pub fn remove_call(&mut self, id: &str) -> Result<(), CallError> {
        let c = self.read().live_call(id, "id")?;
        if let Some(old) = self.calls.calls.remove(c) {
            for u in old.users() {
                self.calls.by_user.remove(&(u, c));
            }
        }
        Ok(())
    }

    /// Marks a call private or not.
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{CallSpec, Model};
    /// let mut model = Model::new();
    /// model.add_user("ada", None)?;
    /// model.calls_mut().add_call(CallSpec::new("c1", "ada"))?;
    /// model.calls_mut().set_call_private("c1", true)?;
    /// assert!(model.calls().call("c1").unwrap().private);
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    pub fn set_call_private(&mut self, id: &str, private: bool) -> Result<(), CallError> {
        let c = self.read().live_call(id, "id")?;
        if let Some(call) = self.call_mut(c) {
            call.private = private;
        }
        Ok(())
    }

    fn edit_call_user_list(
        &mut self,
        call: &str,
        user: &str,
        list: fn(&mut CallExtras) -> &mut Vec<UserId>,
        add: bool,
    ) -> Result<bool, CallError> {
        let c = self.read().live_call(call, "callId")?;
        let u = self.read().call_user(user, "userId")?;
        let Some(stored) = self.call_mut(c) else {
            return Ok(false);
        };
        let changed = if add {
            insert_sorted(list(stored.extras_mut()), u)
        } else {
            remove_sorted(list(stored.extras_mut()), &u)
        };
        stored.tidy();
        let still = stored.names(u);
        if still {
            self.calls.by_user.insert((u, c));
        } else {
            self.calls.by_user.remove(&(u, c));
        }
        Ok(changed)
    }

    /// Shares a call with a user. Returns `false` if it already was.
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{CallSpec, Model};
    /// let mut model = Model::new();
    /// model.add_user("ada", None)?;
    /// model.add_user("bob", None)?;
    /// model.calls_mut().add_call(CallSpec::new("c1", "ada"))?;
    /// assert!(model.calls_mut().share_call("c1", "bob")?);
    /// assert!(!model.calls_mut().share_call("c1", "bob")?);
    /// assert!(model.calls_mut().unshare_call("c1", "bob")?);
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    pub fn share_call(&mut self, call: &str, user: &str) -> Result<bool, CallError> {
        self.edit_call_user_list(call, user, |e| &mut e.shared, true)
    }

    /// Takes back a share. Returns whether the call was shared with the user.
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{CallSpec, Model};
    /// let mut model = Model::new();
    /// model.add_user("ada", None)?;
    /// model.calls_mut().add_call(CallSpec::new("c1", "ada"))?;
    /// assert!(!model.calls_mut().unshare_call("c1", "ada")?);
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    pub fn unshare_call(&mut self, call: &str, user: &str) -> Result<bool, CallError> {
        self.edit_call_user_list(call, user, |e| &mut e.shared, false)
    }

    /// Grants a user access to one call individually. Granting an existing grant again is a
    /// no-op that returns `false`.
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{CallSpec, Model};
    /// let mut model = Model::new();
    /// model.add_user("ada", None)?;
    /// model.add_user("bob", None)?;
    /// model.calls_mut().add_call(CallSpec::new("c1", "ada"))?;
    /// assert!(model.calls_mut().grant_call("c1", "bob")?);
    /// assert!(!model.calls_mut().grant_call("c1", "bob")?); // no-op
    /// assert_eq!(model.calls().call_grants("c1")?, ["bob"]);
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    pub fn grant_call(&mut self, call: &str, user: &str) -> Result<bool, CallError> {
        self.edit_call_user_list(call, user, |e| &mut e.grants, true)
    }

    /// Removes an individual grant. Returns whether the user held one.
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{CallSpec, Model};
    /// let mut model = Model::new();
    /// model.add_user("ada", None)?;
    /// model.add_user("bob", None)?;
    /// model.calls_mut().add_call(CallSpec::new("c1", "ada").granted_to(["bob"]))?;
    /// assert!(model.calls_mut().revoke_call_grant("c1", "bob")?);
    /// assert!(!model.calls_mut().revoke_call_grant("c1", "bob")?);
    /// assert!(model.calls().call_grants("c1")?.is_empty());
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    pub fn revoke_call_grant(&mut self, call: &str, user: &str) -> Result<bool, CallError> {
        self.edit_call_user_list(call, user, |e| &mut e.grants, false)
    }

    /// Puts a call into a library folder of its workspace. Returns `false` if it was there.
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{CallErrorKind, CallSpec, ErrorKind, Model, ProfileErrorKind};
    /// let mut model = Model::new();
    /// model.add_workspace("emea")?;
    /// model.add_user("ada", None)?;
    /// model.add_folder("wins", None)?;
    /// model.add_folder("emea-wins", Some("emea"))?;
    /// model.calls_mut().add_call(CallSpec::new("c1", "ada"))?;
    /// assert!(model.calls_mut().add_call_to_folder("c1", "wins")?);
    /// let err = model.calls_mut().add_call_to_folder("c1", "emea-wins").unwrap_err();
    /// assert!(matches!(err.kind(), CallErrorKind::Profile(ProfileErrorKind::FolderOutsideWorkspace { .. })));
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    pub fn add_call_to_folder(&mut self, call: &str, folder: &str) -> Result<bool, CallError> {
        let c = self.read().live_call(call, "callId")?;
        let w = self
            .calls
            .get(c)
            .map_or(WorkspaceId::DEFAULT, |s| s.workspace);
        let f = self.read().call_folder(folder, w, "folderId")?;
        let Some(stored) = self.call_mut(c) else {
            return Ok(false);
        };
        let changed = insert_sorted(&mut stored.extras_mut().folders, f);
        stored.tidy();
        Ok(changed)
    }

    /// Takes a call out of a library folder. Returns whether it was there.
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{CallSpec, Model};
    /// let mut model = Model::new();
    /// model.add_user("ada", None)?;
    /// model.add_folder("wins", None)?;
    /// model.calls_mut().add_call(CallSpec::new("c1", "ada").in_folders(["wins"]))?;
    /// assert!(model.calls_mut().remove_call_from_folder("c1", "wins")?);
    /// assert!(!model.calls_mut().remove_call_from_folder("c1", "wins")?);
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    pub fn remove_call_from_folder(&mut self, call: &str, folder: &str) -> Result<bool, CallError> {
        let c = self.read().live_call(call, "callId")?;
        let f = self.workspaces.live_folder(folder).ok_or_else(|| {
            CallError::at(
                "folderId",
                OrgErrorKind::UnknownFolder {
                    id: folder.to_owned(),
                },
            )
        })?;
        let Some(stored) = self.call_mut(c) else {
            return Ok(false);
        };
        let changed = remove_sorted(&mut stored.extras_mut().folders, &f);
        stored.tidy();
        Ok(changed)
    }
}

impl<'m> CallsRef<'m> {
    fn call_user(&self, id: &str, field: &str) -> Result<UserId, CallError> {
        self.dir
            .active_id(id)
            .ok_or_else(|| CallError::at(field, OrgErrorKind::UnknownUser { id: id.to_owned() }))
    }

    fn call_users(&self, ids: &[String], field: &str) -> Result<Vec<UserId>, CallError> {
        let mut out = Vec::with_capacity(ids.len());
        for (i, id) in ids.iter().enumerate() {
            // The path is written only for an error (a large import reads many ids).
            match self.dir.active_id(id) {
                Some(u) => out.push(u),
                None => {
                    return Err(CallError::at(
                        format!("{field}[{i}]"),
                        OrgErrorKind::UnknownUser { id: id.to_owned() },
                    ));
                }
            }
        }
        out.sort_unstable();
        out.dedup();
        Ok(out)
    }

    fn call_folder(
        &self,
        id: &str,
        workspace: WorkspaceId,
        field: &str,
    ) -> Result<FolderId, CallError> {
        let f = self.workspaces.live_folder(id).ok_or_else(|| {
            CallError::at(field, OrgErrorKind::UnknownFolder { id: id.to_owned() })
        })?;
        if self.workspaces.folder_workspace(f) != Some(workspace) {
            return Err(CallError::at(
                field,
                ProfileErrorKind::FolderOutsideWorkspace {
                    folder: id.to_owned(),
                    workspace: self.workspaces.name(workspace).to_owned(),
                },
            ));
        }
        Ok(f)
    }

    fn live_call(&self, id: &str, field: &str) -> Result<CallId, CallError> {
        self.calls
            .live_id(id)
            .ok_or_else(|| CallError::at(field, CallErrorKind::UnknownCall { id: id.to_owned() }))
    }

    /// Validates a spec into dense ids; paths are the document's field names.
    fn validate_call(&self, spec: &CallSpec) -> Result<StoredCall, CallError> {
        let owner = match &spec.owner {
            Some(o) => Some(self.call_user(o, "ownerId")?),
            None => None,
        };
        let workspace = self
            .workspaces
            .resolve(spec.workspace.as_deref(), "workspaceId")?;
        let participants = self.call_users(&spec.participants, "participants")?;
        let shared = self.call_users(&spec.shared_with, "sharedWith")?;
        let grants = self.call_users(&spec.grants, "userGrants")?;
        let mut folders = Vec::with_capacity(spec.folders.len());
        for (i, f) in spec.folders.iter().enumerate() {
            folders.push(self.call_folder(f, workspace, &format!("folderIds[{i}]"))?);
        }
        folders.sort_unstable();
        folders.dedup();
        let mut call = StoredCall {
            owner,
            workspace,
            started: spec.started,
            private: spec.private,
            participants: SmallVec::from_vec(participants),
            extras: Some(Box::new(CallExtras {
                shared,
                folders,
                grants,
            })),
        };
        call.tidy();
        Ok(call)
    }

    /// The users holding an individual grant on a call, sorted.
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{CallSpec, Model};
    /// let mut model = Model::new();
    /// model.add_user("ada", None)?;
    /// model.calls_mut().add_call(CallSpec::new("c1", "ada"))?;
    /// assert!(model.calls().call_grants("c1")?.is_empty());
    /// assert!(model.calls().call_grants("nope").is_err());
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    pub fn call_grants(&self, call: &str) -> Result<Vec<&'m str>, CallError> {
        let c = self.live_call(call, "callId")?;
        let mut out: Vec<&str> = self
            .calls
            .get(c)
            .map_or(&[][..], StoredCall::grants)
            .iter()
            .filter(|&&u| self.dir.is_active(u))
            .map(|&u| self.dir.name(u))
            .collect();
        out.sort_unstable();
        Ok(out)
    }

    /// The dense id of a live call.
    ///
    /// # Examples
    ///
    /// ```
    /// let model = orgperm::Model::new();
    /// assert_eq!(model.calls().call_id("c1"), None);
    /// ```
    pub fn call_id(&self, id: &str) -> Option<CallId> {
        self.calls.live_id(id)
    }

    /// A call in external ids, lists sorted. Removing a user takes them off every call, so
    /// a call whose owner was removed has `owner: None`.
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{CallSpec, Model};
    /// let mut model = Model::new();
    /// model.add_user("ada", None)?;
    /// model.add_user("bob", None)?;
    /// model.calls_mut().add_call(CallSpec::new("c1", "ada").with_participants(["bob", "bob"]))?;
    /// assert_eq!(model.calls().call("c1").unwrap().participants, ["bob"]);
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    pub fn call(&self, id: &str) -> Option<CallSpec> {
        let c = self.calls.live_id(id)?;
        let s = self.calls.get(c)?;
        let users = |list: &[UserId]| -> Vec<String> {
            let mut v: Vec<String> = list
                .iter()
                .filter(|&&u| self.dir.is_active(u))
                .map(|&u| self.dir.name(u).to_owned())
                .collect();
            v.sort_unstable();
            v
        };
        let mut folders: Vec<String> = s
            .folders()
            .iter()
            .filter_map(|&f| self.workspaces.folders.name(f))
            .map(str::to_owned)
            .collect();
        folders.sort_unstable();
        Some(CallSpec {
            id: id.to_owned(),
            owner: s.owner.map(|o| self.dir.name(o).to_owned()),
            workspace: (s.workspace != WorkspaceId::DEFAULT)
                .then(|| self.workspaces.name(s.workspace).to_owned()),
            started: s.started,
            private: s.private,
            participants: users(&s.participants),
            shared_with: users(s.shared()),
            folders,
            grants: users(s.grants()),
        })
    }

    /// External ids of the live calls, in dense-id order.
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{CallSpec, Model};
    /// let mut model = Model::new();
    /// model.add_user("ada", None)?;
    /// model.calls_mut().add_call(CallSpec::new("c1", "ada"))?;
    /// assert_eq!(model.calls().call_ids().collect::<Vec<_>>(), ["c1"]);
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    pub fn call_ids(&self) -> impl Iterator<Item = &'m str> + 'm {
        let calls = &self.calls.calls;
        calls.iter().map(move |(c, _)| calls.name(c))
    }
}
