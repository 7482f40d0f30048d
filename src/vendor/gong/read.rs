//! [`GongReader`]: Gong response and request bodies, one after another, into a model and the
//! change set that leads there.

use hashbrown::{HashMap, HashSet};

use crate::change::{CHANGE_SET_VERSION, ChangeSet, Op, ProfileDocument};
use crate::document::reader::Node;
use crate::error::{InputError, InputErrorKind};
use crate::id::WorkspaceId;
use crate::model::Model;
use crate::model_error::ModelError;
use crate::org::error::OrgErrorKind;
use crate::profile::ProfileSpec;
use crate::profile::doc::ProfileDoc;
use crate::profile::error::ProfileErrorKind;
use crate::vendor::Imported;
use crate::vendor::gong::profile::read_profile;
use crate::vendor::strict::{
    At, Reader, Strictness, array, check, id, object, parse, required, string, unsigned,
};

/// The user fields of `/v2/users` that the reader skips: contact details, settings and
/// other informational or read-only data. `active` is informational too: an inactive Gong
/// user stays in the org tree (their calls and reports keep their place).
pub(crate) const USER_INFORMATIONAL: &[&str] = &[
    "emailAddress",
    "created",
    "active",
    "emailAliases",
    "trustedEmailAddress",
    "firstName",
    "lastName",
    "title",
    "phoneNumber",
    "extension",
    "personalMeetingUrls",
    "settings",
    "meetingConsentPageUrl",
    "spokenLanguages",
];

/// The fields of a user of a profile (`/v2/permission-profile/users`) that are skipped.
pub(crate) const PROFILE_USER_INFORMATIONAL: &[&str] =
    &["emailAddress", "firstName", "lastName", "fullName"];

/// The fields of a `records` paging object.
const RECORDS_FIELDS: &[&str] = &[
    "totalRecords",
    "currentPageSize",
    "currentPageNumber",
    "cursor",
];

/// What a body of `/v2/calls/users-access` asks for: `PUT` gives the listed users access,
/// `DELETE` takes it away.
///
/// # Examples
///
/// ```
/// use orgperm::vendor::gong::CallAccessChange;
/// assert_ne!(CallAccessChange::Give, CallAccessChange::Remove);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CallAccessChange {
    /// `PUT /v2/calls/users-access`: give each listed user individual access (a user who
    /// already has it is unaffected).
    Give,
    /// `DELETE /v2/calls/users-access`: take back individual access (a user without it is
    /// unaffected).
    Remove,
}

/// A user listed by a `/v2/users` page, kept until the listing is complete (a user may name
/// a manager listed on a later page).
#[derive(Clone, Debug)]
struct PendingUser {
    id: String,
    manager: Option<String>,
    /// The user's index in its page, for the paths of errors found once every page is in.
    index: usize,
}

/// The state of the `/v2/users` listing.
#[derive(Clone, Debug, Default)]
struct UserListing {
    pending: Vec<PendingUser>,
    ids: HashSet<String>,
    pages: u64,
    listed: u64,
    total: Option<u64>,
    cursor: Option<String>,
}

/// Reads Gong's bodies, one after another, into a model, and records the change set that
/// leads from the base model there.
///
/// Each `read_*` call reads one body completely or not at all: an error names the field's
/// path in that body (`profiles[2].callsAccess.teamLeadIds[0]`, with the record's id) and
/// leaves the reader as it was. Read the `/v2/users` pages first (a user may name a manager
/// listed on a later page, so they are applied once the last page, the one without a
/// `cursor`, is in), then profiles, their users and call access, in any order.
///
/// What each body means for the model:
///
/// - **users** (`{requestId, records, users: [{id, managerId, ...}]}`): each user is added,
///   or moved under the listed manager; users not listed stay as they are.
/// - **profile list** (`{requestId, profiles: [...]}`, or seed 000's `permissionProfiles`) of
///   one workspace: each profile is created or replaced; the workspace's profiles that are
///   not listed are deleted (their users unassigned first); a workspace not in the model yet
///   is added; a library folder a profile names that the model lacks is added to the
///   profile's workspace.
/// - **one profile** (`{requestId, profile}`, or seed 000's `permissionProfile`): created or
///   replaced, nothing deleted.
/// - **users of a profile** (`{requestId, users: [{id} or {userId}, ...]}`): exactly the
///   listed users hold the profile afterwards (each listed user's previous profile in that
///   workspace is replaced; holders not listed are unassigned).
/// - **calls users-access listing** (`{requestId, callAccessList: [{callId, users:
///   [{userId}]}]}`): exactly the listed users hold an individual grant on each listed call.
/// - **give / remove call access** (`{callAccessList: [{callId, userIds}]}`): grants added or
///   taken back, as Gong does (no effect where there is nothing to do).
///
/// Users, profiles, folders and calls a body names must exist in the model by then (calls
/// come from the base model: Gong's permission bodies do not describe calls).
///
/// # Examples
///
/// ```
/// use orgperm::{Domain, Model};
/// use orgperm::vendor::gong::GongReader;
///
/// let mut reader = GongReader::new();
/// reader.read_users_page(r#"{"requestId": "r1",
///     "records": {"totalRecords": 2, "currentPageSize": 2, "currentPageNumber": 0},
///     "users": [{"id": "2", "managerId": "1", "emailAddress": "rep@acme.com"}, {"id": "1"}]}"#)?;
/// reader.read_profiles(r#"{"requestId": "r2", "profiles": [
///     {"id": "p1", "name": "Managers", "callsAccess": {"permissionLevel": "report-to-them"},
///      "scoreCalls": true}]}"#, None)?;
/// reader.read_profile_users(r#"{"requestId": "r3", "users": [{"id": "1"}]}"#, "p1")?;
/// let import = reader.finish()?;
///
/// let snap = import.model.compile();
/// assert!(snap.can_access("1", Domain::Calls, "2"));
/// assert!(!snap.can_access("2", Domain::Calls, "1"));
/// // The change set leads from the base (an empty model) to the same state.
/// let mut again = Model::new();
/// import.changes.apply_to(&mut again)?;
/// assert_eq!(again.to_json(), import.model.to_json());
///
/// // Strict by default: a misspelt field is an error naming its path.
/// let mut reader = GongReader::new();
/// let err = reader.read_profiles(r#"{"profiles": [{"id": "p1", "name": "Reps",
///     "callsAccess": {"permissionLevl": "own"}}]}"#, None).unwrap_err();
/// assert_eq!(err.path(), "profiles[0].callsAccess.permissionLevl");
/// # Ok::<(), orgperm::ModelError>(())
/// ```
#[derive(Clone, Debug)]
pub struct GongReader {
    base: Model,
    draft: Model,
    ops: Vec<Op>,
    strictness: Strictness,
    warnings: Vec<InputError>,
    users: UserListing,
}

impl Default for GongReader {
    fn default() -> Self {
        Self::new()
    }
}

impl GongReader {
    /// A strict reader onto an empty model.
    pub fn new() -> Self {
        Self::onto(Model::new())
    }

    /// A strict reader that adds into `model`: the bodies read update it, and the change set
    /// leads from it to the result.
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{CallSpec, Model};
    /// use orgperm::vendor::gong::GongReader;
    /// let mut model = Model::new();
    /// model.add_user("ada", None)?;
    /// model.add_user("bob", None)?;
    /// model.calls_mut().add_call(CallSpec::new("c1", "ada"))?;
    /// let mut reader = GongReader::onto(model);
    /// reader.read_call_access(r#"{"requestId": "x", "callAccessList": [
    ///     {"callId": "c1", "users": [{"userId": "bob"}]}]}"#)?;
    /// let import = reader.finish()?;
    /// assert_eq!(import.model.calls().call_grants("c1")?, ["bob"]);
    /// assert_eq!(import.changes.to_json(), r#"{"version":1,"ops":[{"op":"grantCall","callId":"c1","userId":"bob"}]}"#);
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    pub fn onto(model: Model) -> Self {
        GongReader {
            draft: model.clone(),
            base: model,
            ops: Vec::new(),
            strictness: Strictness::Strict,
            warnings: Vec::new(),
            users: UserListing::default(),
        }
    }

    /// The same reader in `strictness` mode.
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::vendor::{Strictness, gong::GongReader};
    /// let mut reader = GongReader::new().with_strictness(Strictness::Lenient);
    /// reader.read_users_page(r#"{"users": [{"id": "1", "nickname": "al"}]}"#)?;
    /// assert_eq!(reader.warnings()[0].path(), "users[0].nickname");
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    pub fn with_strictness(mut self, strictness: Strictness) -> Self {
        self.strictness = strictness;
        self
    }

    /// The model as read so far (users of an unfinished `/v2/users` listing are not in it
    /// yet).
    pub fn model(&self) -> &Model {
        &self.draft
    }

    /// The warnings so far (lenient mode).
    pub fn warnings(&self) -> &[InputError] {
        &self.warnings
    }

    /// Runs one body's reading on the draft, in place, keeping the result only on success.
    ///
    /// Every edit of the draft is followed by its operation, so the operations lead from the
    /// base to the draft: a body that fails after editing is undone by rebuilding the draft
    /// from the base and the operations before it (one that fails before its first edit has
    /// nothing to undo: an edit that fails changes nothing). Without a copy per body, a body
    /// costs what it reads, not the size of the stores it writes to.
    fn body<T>(
        &mut self,
        read: impl FnOnce(&mut Model, &mut Vec<Op>, &mut Reader) -> Result<T, ModelError>,
    ) -> Result<T, ModelError> {
        let n = self.ops.len();
        let mut reader = Reader::new(self.strictness);
        match read(&mut self.draft, &mut self.ops, &mut reader) {
            Ok(out) => {
                self.warnings.extend(reader.warnings);
                Ok(out)
            }
            Err(e) => {
                if self.ops.len() > n {
                    self.ops.truncate(n);
                    self.draft = crate::vendor::reading::rebuild(&self.base, &self.ops);
                }
                Err(e)
            }
        }
    }

    /// Reads one page of `GET /v2/users`: `{requestId, records: {totalRecords,
    /// currentPageSize, currentPageNumber, cursor}, users: [...]}`. Returns the page's
    /// `cursor`: `Some` while more pages follow, `None` once the listing is complete (the
    /// users are then applied). A body without `records` is one complete page.
    ///
    /// The pages must come in order (`currentPageNumber` 0, 1, …), each
    /// `currentPageSize` must count its users, `totalRecords` must stay the same and, on
    /// the last page, equal the users listed ([`InputErrorKind::InvalidPaging`] at
    /// `records.…` otherwise): a truncated listing is refused, not half read.
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::vendor::gong::GongReader;
    /// let mut reader = GongReader::new();
    /// let next = reader.read_users_page(r#"{"records": {"totalRecords": 2, "currentPageSize": 1,
    ///     "currentPageNumber": 0, "cursor": "c-1"}, "users": [{"id": "2", "managerId": "1"}]}"#)?;
    /// assert_eq!(next.as_deref(), Some("c-1"));
    /// let next = reader.read_users_page(r#"{"records": {"totalRecords": 2, "currentPageSize": 1,
    ///     "currentPageNumber": 1}, "users": [{"id": "1"}]}"#)?;
    /// assert_eq!(next, None);
    /// assert_eq!(reader.model().manager_of("2"), Some("1"));
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    pub fn read_users_page(&mut self, json: &str) -> Result<Option<String>, ModelError> {
        let node = parse(json)?;
        let mut reader = Reader::new(self.strictness);
        let root = At::Root;
        let top = check(
            object(&node, &root)?,
            &root,
            &["records", "users"],
            &["requestId"],
            &mut reader,
        )?;
        let users_at = root.key("users");
        let users = array(required(&top, 1, &root, "users")?, &users_at)?;
        let listing = &self.users;
        if listing.pages > 0 && listing.cursor.is_none() {
            return Err(root.key("records").error(InputErrorKind::InvalidPaging {
                reason: "the users listing is complete: its last page had no cursor",
            }));
        }
        let mut cursor = None;
        let mut total = listing.total;
        let listed = listing.listed + users.len() as u64;
        if let Some(records) = top.value(0) {
            let rat = root.key("records");
            let r = check(
                object(records, &rat)?,
                &rat,
                RECORDS_FIELDS,
                &[],
                &mut reader,
            )?;
            let number = |i: usize, name: &str| -> Result<Option<u64>, ModelError> {
                r.value(i).map(|n| unsigned(n, &rat.key(name))).transpose()
            };
            if let Some(t) = number(0, "totalRecords")? {
                if total.is_some_and(|before| before != t) {
                    return Err(rat
                        .key("totalRecords")
                        .error(InputErrorKind::InvalidPaging {
                            reason: "totalRecords differs from the previous page's",
                        }));
                }
                total = Some(t);
            }
            if number(1, "currentPageSize")?.is_some_and(|s| s != users.len() as u64) {
                return Err(rat
                    .key("currentPageSize")
                    .error(InputErrorKind::InvalidPaging {
                        reason: "currentPageSize does not count the users of the page",
                    }));
            }
            if number(2, "currentPageNumber")?.is_some_and(|p| p != listing.pages) {
                return Err(rat
                    .key("currentPageNumber")
                    .error(InputErrorKind::InvalidPaging {
                        reason: "pages must be read in order, from page 0",
                    }));
            }
            if let Some(c) = r.value(3) {
                cursor = Some(string(c, &rat.key("cursor"))?.to_owned());
            }
        }
        if cursor.is_none() && total.is_some_and(|t| t != listed) {
            return Err(root.key("records").key("totalRecords").error(
                InputErrorKind::InvalidPaging {
                    reason: "the last page leaves totalRecords unmet",
                },
            ));
        }
        let mut page: Vec<PendingUser> = Vec::with_capacity(users.len());
        let mut page_ids: HashSet<&str> = HashSet::with_capacity(users.len());
        for (i, node) in users.iter().enumerate() {
            let at = users_at.index(i);
            let entries = object(node, &at)?;
            let f = check(
                entries,
                &at,
                &["id", "managerId"],
                USER_INFORMATIONAL,
                &mut reader,
            )?;
            let user = id(required(&f, 0, &at, "id")?, &at.key("id"))?;
            let manager = f
                .value(1)
                .map(|m| id(m, &at.key("managerId")))
                .transpose()?;
            if self.users.ids.contains(user) || !page_ids.insert(user) {
                return Err(with_record(
                    at.key("id").error(InputErrorKind::DuplicateId {
                        id: user.to_owned(),
                    }),
                    &at,
                    user,
                ));
            }
            page.push(PendingUser {
                id: user.to_owned(),
                manager: manager.map(str::to_owned),
                index: i,
            });
        }
        let listing = &mut self.users;
        listing.ids.extend(page.iter().map(|u| u.id.clone()));
        listing.pending.extend(page);
        listing.pages += 1;
        listing.listed = listed;
        listing.total = total;
        listing.cursor.clone_from(&cursor);
        self.warnings.extend(reader.warnings);
        if cursor.is_none() {
            self.flush()?;
        }
        Ok(cursor)
    }

    /// Applies the users of a complete listing; refuses to go on while pages are missing.
    fn flush(&mut self) -> Result<(), ModelError> {
        if self.users.cursor.is_some() {
            return Err(ModelError::at(
                "records.cursor",
                InputErrorKind::InvalidPaging {
                    reason: "the users listing has more pages: read them before other bodies",
                },
            ));
        }
        if self.users.pending.is_empty() {
            return Ok(());
        }
        let pending = std::mem::take(&mut self.users.pending);
        let result = self.body(|draft, ops, _| apply_users(draft, &pending, ops));
        if result.is_err() {
            self.users.pending = pending;
        }
        result
    }

    /// Reads a profile listing of one workspace: `GET /v2/all-permission-profiles`
    /// (`{requestId, profiles: [PermissionProfileDTO, ...]}`) or seed 000's
    /// `{requestId, permissionProfiles: [...]}`; each element may be of either shape.
    /// `workspace` is the listing's workspace (the `workspaceId` query parameter); `None`
    /// takes the `workspaceId` the profiles carry, else the default workspace. Returns the
    /// number of profiles read.
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{Domain, Level};
    /// use orgperm::vendor::gong::GongReader;
    /// let mut reader = GongReader::new();
    /// // Seed 000's shape: `profileId` and the nested `permissions{}` flags.
    /// reader.read_profiles(r#"{"requestId": "r", "permissionProfiles": [{"profileId": "p9",
    ///     "name": "Reps", "workspaceId": "emea", "userCount": 12,
    ///     "permissions": {"viewOwnCalls": true, "downloadRecordings": true}}]}"#, None)?;
    /// let p = reader.model().profile("p9").unwrap();
    /// assert_eq!(p.workspace.as_deref(), Some("emea"));
    /// assert_eq!(p.access(Domain::Calls).level, Level::Own);
    /// assert_eq!(p.capabilities.get("downloadCallMedia"), Some(&true));
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    pub fn read_profiles(
        &mut self,
        json: &str,
        workspace: Option<&str>,
    ) -> Result<usize, ModelError> {
        self.flush()?;
        let node = parse(json)?;
        self.body(|draft, ops, reader| {
            let root = At::Root;
            let top = check(
                object(&node, &root)?,
                &root,
                &["profiles", "permissionProfiles"],
                &["requestId"],
                reader,
            )?;
            let (key, list) = match (top.value(0), top.value(1)) {
                (Some(_), Some(_)) => {
                    return Err(root
                        .key("permissionProfiles")
                        .error(InputErrorKind::Conflict {
                            reason: "a listing has either profiles or permissionProfiles",
                        }));
                }
                (Some(l), None) => ("profiles", l),
                (None, Some(l)) => ("permissionProfiles", l),
                (None, None) => return Err(root.key("profiles").error(InputErrorKind::Required)),
            };
            let list_at = root.key(key);
            let items = array(list, &list_at)?;
            let mut read = Vec::with_capacity(items.len());
            for (i, n) in items.iter().enumerate() {
                let at = list_at.index(i);
                let p = read_profile(n, &at, reader).map_err(|e| record_of(e, &at, n))?;
                read.push(p);
            }
            // The listing's workspace: the parameter, else what the profiles say.
            let named = workspace
                .map(str::to_owned)
                .or_else(|| read.iter().find_map(|p| p.workspace.clone()));
            let ws = ensure_workspace(draft, named.as_deref(), ops)?;
            let mut listed: HashSet<String> = HashSet::with_capacity(read.len());
            for (i, p) in read.into_iter().enumerate() {
                let at = list_at.index(i);
                let pid = p.spec.id.clone();
                if !listed.insert(pid.clone()) {
                    let field = if items.get(i).is_some_and(is_variant_node) {
                        "profileId"
                    } else {
                        "id"
                    };
                    return Err(with_record(
                        at.key(field)
                            .error(InputErrorKind::DuplicateId { id: pid.clone() }),
                        &at,
                        &pid,
                    ));
                }
                apply_profile(draft, p, &ws, &at, ops)?;
            }
            // The listing is complete for its workspace: the profiles it leaves out go.
            let gone: Vec<String> = draft
                .profiles_in(ws.as_deref())?
                .iter()
                .filter(|p| !listed.contains(&p.id))
                .map(|p| p.id.clone())
                .collect();
            for pid in gone {
                let holders: Vec<String> = draft
                    .users_of_profile(&pid)?
                    .into_iter()
                    .map(str::to_owned)
                    .collect();
                for user in holders {
                    draft.unassign_profile(&user, ws.as_deref())?;
                    ops.push(Op::UnassignProfile {
                        user_id: user,
                        workspace_id: ws.clone(),
                    });
                }
                draft.delete_profile(&pid)?;
                ops.push(Op::DeleteProfile { id: pid });
            }
            Ok(listed.len())
        })
    }

    /// Reads one profile: `GET /v2/permission-profile` (`{requestId, profile}`) or seed
    /// 000's `{requestId, permissionProfile}`. It is created or replaced; nothing is
    /// deleted. `workspace` as for [`read_profiles`](Self::read_profiles). Returns the
    /// profile's id.
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::vendor::gong::GongReader;
    /// let mut reader = GongReader::new();
    /// let id = reader.read_profile(r#"{"requestId": "r", "profile": {"id": "p1", "name": "Reps",
    ///     "libraryFolderAccess": {"permissionLevel": "specific-folders", "libraryFolderIds": ["f1"]}}}"#, None)?;
    /// assert_eq!(id, "p1");
    /// assert!(reader.model().folder_id("f1").is_some()); // added to the profile's workspace
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    pub fn read_profile(
        &mut self,
        json: &str,
        workspace: Option<&str>,
    ) -> Result<String, ModelError> {
        self.flush()?;
        let node = parse(json)?;
        self.body(|draft, ops, reader| {
            let root = At::Root;
            let top = check(
                object(&node, &root)?,
                &root,
                &["profile", "permissionProfile"],
                &["requestId"],
                reader,
            )?;
            let (key, body) = match (top.value(0), top.value(1)) {
                (Some(_), Some(_)) => {
                    return Err(root
                        .key("permissionProfile")
                        .error(InputErrorKind::Conflict {
                            reason: "a response has either profile or permissionProfile",
                        }));
                }
                (Some(p), None) => ("profile", p),
                (None, Some(p)) => ("permissionProfile", p),
                (None, None) => return Err(root.key("profile").error(InputErrorKind::Required)),
            };
            let at = root.key(key);
            let p = read_profile(body, &at, reader).map_err(|e| record_of(e, &at, body))?;
            let named = workspace.map(str::to_owned).or_else(|| p.workspace.clone());
            let ws = ensure_workspace(draft, named.as_deref(), ops)?;
            let pid = p.spec.id.clone();
            apply_profile(draft, p, &ws, &at, ops)?;
            Ok(pid)
        })
    }

    /// Reads `GET /v2/permission-profile/users?profileId=…`: `{requestId, users: [{id,
    /// fullName, emailAddress}]}` (or seed 000's `{userId, emailAddress, firstName,
    /// lastName}`). Afterwards exactly the listed users hold `profile`. Returns the number of
    /// users listed.
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{Model, ProfileSpec};
    /// use orgperm::vendor::gong::GongReader;
    /// let mut model = Model::new();
    /// model.add_user("1", None)?;
    /// model.add_user("2", None)?;
    /// model.create_profile(ProfileSpec::new("p", "Reps"))?;
    /// model.assign_profile("1", "p")?;
    /// let mut reader = GongReader::onto(model);
    /// reader.read_profile_users(r#"{"requestId": "r", "users": [{"userId": "2", "firstName": "Bo"}]}"#, "p")?;
    /// assert_eq!(reader.model().users_of_profile("p")?, ["2"]);
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    pub fn read_profile_users(&mut self, json: &str, profile: &str) -> Result<usize, ModelError> {
        self.flush()?;
        let node = parse(json)?;
        self.body(|draft, ops, reader| {
            let spec = draft.profile(profile).ok_or_else(|| {
                ModelError::at(
                    "profileId",
                    ProfileErrorKind::UnknownProfile {
                        id: profile.to_owned(),
                    },
                )
            })?;
            let ws = workspace_field(draft, spec);
            let root = At::Root;
            let top = check(
                object(&node, &root)?,
                &root,
                &["users"],
                &["requestId"],
                reader,
            )?;
            let users_at = root.key("users");
            let users = array(required(&top, 0, &root, "users")?, &users_at)?;
            let mut listed: Vec<&str> = Vec::with_capacity(users.len());
            let mut seen: HashSet<&str> = HashSet::with_capacity(users.len());
            for (i, n) in users.iter().enumerate() {
                let at = users_at.index(i);
                let f = check(
                    object(n, &at)?,
                    &at,
                    &["id", "userId"],
                    PROFILE_USER_INFORMATIONAL,
                    reader,
                )?;
                let (field, value) = match (f.value(0), f.value(1)) {
                    (Some(_), Some(_)) => {
                        return Err(at.key("userId").error(InputErrorKind::Conflict {
                            reason: "a user has either id or userId",
                        }));
                    }
                    (Some(v), None) => ("id", v),
                    (None, Some(v)) => ("userId", v),
                    (None, None) => return Err(at.key("id").error(InputErrorKind::Required)),
                };
                let fat = at.key(field);
                let user = id(value, &fat)?;
                if draft.user_id(user).is_none() {
                    return Err(fat.error(OrgErrorKind::UnknownUser {
                        id: user.to_owned(),
                    }));
                }
                if !seen.insert(user) {
                    return Err(fat.error(InputErrorKind::DuplicateId {
                        id: user.to_owned(),
                    }));
                }
                listed.push(user);
            }
            // Listing the holders scans the workspace's assignments: skipped when there are
            // none (an import's first read of each profile).
            let current: Vec<String> = if draft.profiles.holder_count(profile) == 0 {
                Vec::new()
            } else {
                draft
                    .users_of_profile(profile)?
                    .into_iter()
                    .map(str::to_owned)
                    .collect()
            };
            let holding: HashSet<&str> = current.iter().map(String::as_str).collect();
            for user in &listed {
                if !holding.contains(user) {
                    draft.assign_profile(user, profile)?;
                    ops.push(Op::AssignProfile {
                        user_id: (*user).to_owned(),
                        profile_id: profile.to_owned(),
                    });
                }
            }
            for user in &current {
                if !seen.contains(user.as_str()) {
                    draft.unassign_profile(user, ws.as_deref())?;
                    ops.push(Op::UnassignProfile {
                        user_id: user.clone(),
                        workspace_id: ws.clone(),
                    });
                }
            }
            Ok(listed.len())
        })
    }

    /// Reads the response of `POST /v2/calls/users-access`: `{requestId, callAccessList:
    /// [{callId, users: [{userId}]}]}`. Afterwards exactly the listed users hold an
    /// individual grant on each listed call (calls not listed are untouched). Returns the
    /// number of calls listed.
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{CallSpec, Model};
    /// use orgperm::vendor::gong::GongReader;
    /// let mut model = Model::new();
    /// model.add_user("ada", None)?;
    /// model.calls_mut().add_call(CallSpec::new("c1", "ada"))?;
    /// let mut reader = GongReader::onto(model);
    /// let err = reader.read_call_access(r#"{"callAccessList": [{"callId": "c1", "users": [{"userId": "zed"}]}]}"#).unwrap_err();
    /// assert_eq!(err.to_string(), "callAccessList[0].users[0].userId: unknown user \"zed\"");
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    pub fn read_call_access(&mut self, json: &str) -> Result<usize, ModelError> {
        self.flush()?;
        let node = parse(json)?;
        self.body(|draft, ops, reader| {
            let entries = call_access_entries(draft, &node, reader, "users")?;
            for (call, users) in &entries {
                let current: Vec<String> = draft
                    .calls()
                    .call_grants(call)?
                    .into_iter()
                    .map(str::to_owned)
                    .collect();
                let wanted: HashSet<&str> = users.iter().copied().collect();
                for user in users {
                    if draft.calls_mut().grant_call(call, user)? {
                        ops.push(Op::GrantCall {
                            call_id: (*call).to_owned(),
                            user_id: (*user).to_owned(),
                        });
                    }
                }
                for user in current {
                    if !wanted.contains(user.as_str()) {
                        draft.calls_mut().revoke_call_grant(call, &user)?;
                        ops.push(Op::RevokeCallGrant {
                            call_id: (*call).to_owned(),
                            user_id: user,
                        });
                    }
                }
            }
            Ok(entries.len())
        })
    }

    /// Reads the request body of `PUT` (give) or `DELETE` (remove) `/v2/calls/users-access`:
    /// `{callAccessList: [{callId, userIds: [...]}]}`. Returns the number of grants that
    /// changed.
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{CallSpec, Model};
    /// use orgperm::vendor::gong::{CallAccessChange, GongReader};
    /// let mut model = Model::new();
    /// model.add_user("ada", None)?;
    /// model.add_user("bob", None)?;
    /// model.calls_mut().add_call(CallSpec::new("c1", "ada"))?;
    /// let mut reader = GongReader::onto(model);
    /// let body = r#"{"callAccessList": [{"callId": "c1", "userIds": ["bob"]}]}"#;
    /// assert_eq!(reader.read_call_access_change(body, CallAccessChange::Give)?, 1);
    /// assert_eq!(reader.read_call_access_change(body, CallAccessChange::Give)?, 0); // no effect
    /// assert_eq!(reader.read_call_access_change(body, CallAccessChange::Remove)?, 1);
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    pub fn read_call_access_change(
        &mut self,
        json: &str,
        change: CallAccessChange,
    ) -> Result<usize, ModelError> {
        self.flush()?;
        let node = parse(json)?;
        self.body(|draft, ops, reader| {
            let entries = call_access_entries(draft, &node, reader, "userIds")?;
            let mut changed = 0;
            for (call, users) in &entries {
                for user in users {
                    let (call_id, user_id) = ((*call).to_owned(), (*user).to_owned());
                    match change {
                        CallAccessChange::Give => {
                            if draft.calls_mut().grant_call(call, user)? {
                                ops.push(Op::GrantCall { call_id, user_id });
                                changed += 1;
                            }
                        }
                        CallAccessChange::Remove => {
                            if draft.calls_mut().revoke_call_grant(call, user)? {
                                ops.push(Op::RevokeCallGrant { call_id, user_id });
                                changed += 1;
                            }
                        }
                    }
                }
            }
            Ok(changed)
        })
    }

    /// Ends the reading: the model, the change set from the base model to it, and the
    /// warnings. Refused ([`InputErrorKind::InvalidPaging`] at `records.cursor`) while the
    /// `/v2/users` listing has pages left.
    pub fn finish(mut self) -> Result<Imported, ModelError> {
        self.flush()?;
        // The base is kept only to be the change set's origin; dropping it here lets the
        // model's stores stop being shared.
        drop(self.base);
        Ok(Imported {
            model: self.draft,
            changes: ChangeSet {
                version: CHANGE_SET_VERSION,
                id: None,
                ops: self.ops,
            },
            warnings: self.warnings,
        })
    }
}

/// Reads the call ids of the request body of `POST /v2/calls/users-access`: `{filter:
/// {callIds: [...]}}`, the calls whose individual access the caller asks for (answer with
/// [`call_access_response`](super::call_access_response)).
///
/// # Examples
///
/// ```
/// use orgperm::vendor::Strictness;
/// use orgperm::vendor::gong::read_call_access_filter;
/// let ids = read_call_access_filter(r#"{"filter": {"callIds": ["7782342274025937895"]}}"#, Strictness::Strict)?;
/// assert_eq!(ids, ["7782342274025937895"]);
/// let err = read_call_access_filter(r#"{"filter": {"callIDs": []}}"#, Strictness::Strict).unwrap_err();
/// assert_eq!(err.path(), "filter.callIDs");
/// # Ok::<(), orgperm::ModelError>(())
/// ```
pub fn read_call_access_filter(
    json: &str,
    strictness: Strictness,
) -> Result<Vec<String>, ModelError> {
    let node = parse(json)?;
    let mut reader = Reader::new(strictness);
    let root = At::Root;
    let top = check(object(&node, &root)?, &root, &["filter"], &[], &mut reader)?;
    let fat = root.key("filter");
    let f = check(
        object(required(&top, 0, &root, "filter")?, &fat)?,
        &fat,
        &["callIds"],
        &[],
        &mut reader,
    )?;
    let ids_at = fat.key("callIds");
    let ids = array(required(&f, 0, &fat, "callIds")?, &ids_at)?;
    ids.iter()
        .enumerate()
        .map(|(i, n)| id(n, &ids_at.index(i)).map(str::to_owned))
        .collect()
}

/// The entries of a `callAccessList`, checked against the model: `(callId, users)` with
/// the users under `users_key` (`users: [{userId}]` in the listing, `userIds: [...]` in the
/// give and remove bodies).
fn call_access_entries<'a>(
    draft: &Model,
    node: &'a Node<'_>,
    reader: &mut Reader,
    users_key: &'static str,
) -> Result<Vec<(&'a str, Vec<&'a str>)>, ModelError> {
    let root = At::Root;
    let top = check(
        object(node, &root)?,
        &root,
        &["callAccessList"],
        &["requestId"],
        reader,
    )?;
    let list_at = root.key("callAccessList");
    let list = array(required(&top, 0, &root, "callAccessList")?, &list_at)?;
    let fields: &'static [&'static str] = if users_key == "users" {
        &["callId", "users"]
    } else {
        &["callId", "userIds"]
    };
    let mut calls: HashSet<&str> = HashSet::with_capacity(list.len());
    let mut out = Vec::with_capacity(list.len());
    for (i, n) in list.iter().enumerate() {
        let at = list_at.index(i);
        let f = check(object(n, &at)?, &at, fields, &[], reader)?;
        let cat = at.key("callId");
        let call = id(required(&f, 0, &at, "callId")?, &cat)?;
        if draft.calls().call_id(call).is_none() {
            return Err(cat.error(crate::calls::error::CallErrorKind::UnknownCall {
                id: call.to_owned(),
            }));
        }
        if !calls.insert(call) {
            return Err(cat.error(InputErrorKind::DuplicateId {
                id: call.to_owned(),
            }));
        }
        let uat = at.key(users_key);
        let items = array(required(&f, 1, &at, users_key)?, &uat)?;
        let mut users = Vec::with_capacity(items.len());
        for (j, u) in items.iter().enumerate() {
            let eat = uat.index(j);
            let (user, fat) = if users_key == "users" {
                let g = check(object(u, &eat)?, &eat, &["userId"], &[], reader)?;
                let fat = eat.key("userId");
                (id(required(&g, 0, &eat, "userId")?, &fat)?, fat.render())
            } else {
                (id(u, &eat)?, eat.render())
            };
            if draft.user_id(user).is_none() {
                return Err(ModelError::at(
                    fat,
                    OrgErrorKind::UnknownUser {
                        id: user.to_owned(),
                    },
                ));
            }
            users.push(user);
        }
        out.push((call, users));
    }
    Ok(out)
}

/// Whether a listing element is a seed-000 profile.
fn is_variant_node(node: &Node<'_>) -> bool {
    match node {
        Node::Object(entries) => crate::vendor::gong::profile::is_variant(entries),
        _ => false,
    }
}

/// Names the record at `at` (its id) in an error whose path lies inside it.
fn with_record(err: ModelError, at: &At<'_>, record: &str) -> ModelError {
    let prefix = at.render();
    if err.path().starts_with(&prefix) && err.record_id().is_none() {
        err.with_record(prefix.len(), crate::error::bounded(record).to_string())
    } else {
        err
    }
}

/// Names a profile element's id (`id` or `profileId`) in an error raised inside it.
fn record_of(err: ModelError, at: &At<'_>, node: &Node<'_>) -> ModelError {
    let rid = match node {
        Node::Object(entries) => entries.iter().find_map(|(k, v)| match v {
            Node::Str(s) if k == "id" || k == "profileId" => Some(s.to_string()),
            _ => None,
        }),
        _ => None,
    };
    match rid {
        Some(rid) => with_record(err, at, &rid),
        None => err,
    }
}

/// The workspace field of ops and specs: `None` for the default workspace.
fn workspace_field(model: &Model, spec: &ProfileSpec) -> Option<String> {
    spec.workspace
        .as_deref()
        .filter(|w| model.workspace_id(w) != Some(WorkspaceId::DEFAULT))
        .map(str::to_owned)
}

/// The workspace a body is read for, added when the model lacks it; `None` is the default.
fn ensure_workspace(
    draft: &mut Model,
    named: Option<&str>,
    ops: &mut Vec<Op>,
) -> Result<Option<String>, ModelError> {
    let Some(w) = named else { return Ok(None) };
    match draft.workspace_id(w) {
        Some(WorkspaceId::DEFAULT) => Ok(None),
        Some(_) => Ok(Some(w.to_owned())),
        None => {
            draft
                .add_workspace(w)
                .map_err(|e| e.renamed("id", "workspaceId"))?;
            ops.push(Op::AddWorkspace { id: w.to_owned() });
            Ok(Some(w.to_owned()))
        }
    }
}

/// Creates or replaces a profile read at `at`, in workspace `ws`, adding the folders it
/// names that the model lacks.
fn apply_profile(
    draft: &mut Model,
    read: crate::vendor::gong::profile::ReadProfile,
    ws: &Option<String>,
    at: &At<'_>,
    ops: &mut Vec<Op>,
) -> Result<(), ModelError> {
    let mut spec = read.spec;
    let prefix = at.render();
    let pid = spec.id.clone();
    let in_record = |e: ModelError| e.within_record(&prefix, &pid);
    if let Some(named) = read.workspace.as_deref() {
        let same = match ws {
            Some(w) => named == w,
            None => draft.workspace_id(named) == Some(WorkspaceId::DEFAULT),
        };
        if !same {
            return Err(in_record(ModelError::at(
                "workspaceId",
                InputErrorKind::Conflict {
                    reason: "the profile's workspaceId is not the workspace of the listing",
                },
            )));
        }
    }
    spec.workspace.clone_from(ws);
    for folder in &spec.library.folder_ids {
        if draft.folder_id(folder).is_none() {
            draft.add_folder(folder, ws.as_deref()).map_err(in_record)?;
            ops.push(Op::AddFolder {
                id: folder.clone(),
                workspace_id: ws.clone(),
            });
        }
    }
    let doc = || Box::new(ProfileDocument(ProfileDoc::from_spec(&spec)));
    match draft.profile(&spec.id) {
        Some(existing) if *existing == spec => {}
        Some(_) => {
            let op = Op::UpdateProfile { profile: doc() };
            draft.update_profile(spec.clone()).map_err(in_record)?;
            ops.push(op);
        }
        None => {
            let op = Op::CreateProfile { profile: doc() };
            draft.create_profile(spec.clone()).map_err(in_record)?;
            ops.push(op);
        }
    }
    Ok(())
}

/// Applies a complete users listing: new users are added and listed users whose manager
/// changed are moved, managers before their reports (so no step makes a cycle that the end
/// state does not have); a cycle among the listed users is refused naming its members.
fn apply_users(
    draft: &mut Model,
    pending: &[PendingUser],
    ops: &mut Vec<Op>,
) -> Result<(), ModelError> {
    let position: HashMap<&str, usize> = pending
        .iter()
        .enumerate()
        .map(|(k, u)| (u.id.as_str(), k))
        .collect();
    let at_user =
        |u: &PendingUser, e: ModelError| e.within_record(&format!("users[{}]", u.index), &u.id);
    for u in pending {
        if let Some(m) = u.manager.as_deref() {
            if m == u.id {
                return Err(at_user(
                    u,
                    ModelError::at("managerId", OrgErrorKind::SelfManager { id: m.to_owned() }),
                ));
            }
            if !position.contains_key(m) && draft.user_id(m).is_none() {
                return Err(at_user(
                    u,
                    ModelError::at("managerId", OrgErrorKind::UnknownUser { id: m.to_owned() }),
                ));
            }
        }
    }
    // Which users need an edit: new ones, and existing ones whose manager changed.
    let changed: Vec<bool> = pending
        .iter()
        .map(|u| draft.user_id(&u.id).is_none() || draft.manager_of(&u.id) != u.manager.as_deref())
        .collect();
    let is_changed = |k: usize| changed.get(k).copied().unwrap_or(false);
    let mut children: HashMap<usize, Vec<usize>> = HashMap::new();
    let mut queue: std::collections::VecDeque<usize> = std::collections::VecDeque::new();
    for (k, u) in pending.iter().enumerate() {
        if !is_changed(k) {
            continue;
        }
        match u.manager.as_deref().and_then(|m| position.get(m)) {
            Some(&mk) if is_changed(mk) => children.entry(mk).or_default().push(k),
            _ => queue.push_back(k),
        }
    }
    let mut done = vec![false; pending.len()];
    while let Some(k) = queue.pop_front() {
        let Some(u) = pending.get(k) else { continue };
        let manager = u.manager.clone();
        if draft.user_id(&u.id).is_none() {
            draft
                .add_user(&u.id, manager.as_deref())
                .map_err(|e| at_user(u, e))?;
            ops.push(Op::AddUser {
                id: u.id.clone(),
                manager_id: manager,
            });
        } else {
            draft
                .move_user(&u.id, manager.as_deref())
                .map_err(|e| at_user(u, e))?;
            ops.push(Op::MoveUser {
                id: u.id.clone(),
                manager_id: manager,
            });
        }
        if let Some(d) = done.get_mut(k) {
            *d = true;
        }
        if let Some(kids) = children.remove(&k) {
            queue.extend(kids);
        }
    }
    // Users never reached wait on a manager that waits on them: a cycle.
    let Some(start) =
        (0..pending.len()).find(|&k| is_changed(k) && !done.get(k).copied().unwrap_or(true))
    else {
        return Ok(());
    };
    let mut cycle: Vec<usize> = Vec::new();
    let mut on_walk: HashMap<usize, usize> = HashMap::new();
    let mut k = start;
    while let Some(u) = pending.get(k) {
        if let Some(&from) = on_walk.get(&k) {
            cycle.drain(..from);
            break;
        }
        on_walk.insert(k, cycle.len());
        cycle.push(k);
        match u.manager.as_deref().and_then(|m| position.get(m)) {
            Some(&next) => k = next,
            None => break,
        }
    }
    let users: Vec<String> = cycle
        .iter()
        .filter_map(|&k| pending.get(k))
        .map(|u| u.id.clone())
        .collect();
    let err = ModelError::at("managerId", OrgErrorKind::ManagerCycle { users });
    match cycle.first().and_then(|&k| pending.get(k)) {
        Some(first) => Err(at_user(first, err)),
        None => Err(err),
    }
}
