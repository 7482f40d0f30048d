//! The versioned JSON model document: the whole model in the vendor's field names.
//!
//! ```json
//! {
//!   "version": 1,
//!   "workspaces": [{ "id": "default" }],
//!   "users": [{ "id": "1" }, { "id": "2", "managerId": "1" }],
//!   "folders": [{ "id": "f1", "workspaceId": "default" }],
//!   "profiles": [{ "id": "p1", "name": "Reps", "callsAccess": { "permissionLevel": "own" },
//!                  "libraryFolderAccess": { "permissionLevel": "none" }, "scoreCalls": true }],
//!   "assignments": [{ "userId": "2", "profileId": "p1" }]
//! }
//! ```
//!
//! The first workspace is the default one (an absent or empty list means one workspace,
//! `"default"`). Users may name managers listed after them. Profiles carry the
//! `PermissionProfileDTO` fields plus `workspaceId`; any other top-level field of a profile is
//! a capability and must be a boolean. A profile's workspace implies the assignment's.

use std::sync::Arc;

use serde::{Deserialize, Serialize};

pub(crate) mod digest;
pub(crate) mod reader;
pub(crate) mod sink;
pub(crate) mod validate;

use crate::error::sink::{Repairs, Sink, Strict};
use sink::DocumentSink;

use crate::error::InputErrorKind;
use crate::id::{DenseId, NONE, ProfileId, UserId};
use crate::model::Model;
use crate::model_error::ModelError;
use crate::org::directory::Directory;
use crate::org::doc::{FolderDoc, UserDoc, WorkspaceDoc};
use crate::profile::doc::{AssignmentDoc, ProfileDoc};
use crate::profile::error::ProfileErrorKind;

/// The document version this build reads and writes.
const VERSION: u32 = 1;

/// A whole model as a versioned, serde-ready document.
///
/// Import validates everything and reports the first problem with a path into the document
/// and the id of the record it sits in (`profiles[3] (id "p9").callsAccess.teamLeadIds[0]:
/// unknown user "42"`); export is deterministic (sorted by id), so equal models give equal
/// documents, and a round trip is exact.
///
/// # Strictness
///
/// Every object of the document has a fixed set of fields. An unknown or misspelt field, a
/// field given twice, or a value of the wrong JSON type is an error naming its path
/// ([`InputErrorKind::UnknownField`](crate::InputErrorKind::UnknownField),
/// [`DuplicateField`](crate::InputErrorKind::DuplicateField),
/// [`WrongType`](crate::InputErrorKind::WrongType)), because a dropped field fails open: a lost
/// `teamLeadIds` widens `managers-team`, a lost `isPrivate` publishes a call. The one
/// exception: a field of a profile that is not one of its typed fields is a boolean
/// capability and is kept (tenants return more names than the vendor documents); such a field
/// must hold a boolean and must not have an empty name. JSON nesting deeper than 128 levels is
/// refused by the parser. Every section and field, with a complete example, is on the
/// [document format](crate::document_format) page.
///
/// # Examples
///
/// ```
/// use orgperm::{Model, ModelDocument};
/// let json = r#"{
///   "version": 1,
///   "users": [{"id": "2", "managerId": "1"}, {"id": "1"}],
///   "profiles": [{"id": "p", "name": "Reps", "callsAccess": {"permissionLevel": "managers-team", "teamLeadIds": ["42"]}}]
/// }"#;
/// let err = Model::from_json(json).unwrap_err();
/// assert_eq!(err.path(), "profiles[0].callsAccess.teamLeadIds[0]");
/// assert_eq!(err.to_string(), "profiles[0] (id \"p\").callsAccess.teamLeadIds[0]: unknown user \"42\"");
///
/// // The document is strict: a misspelt field is refused, not ignored.
/// let typo = json.replace("teamLeadIds", "teamLeadIDs");
/// let err = Model::from_json(&typo).unwrap_err();
/// assert_eq!(err.path(), "profiles[0].callsAccess.teamLeadIDs");
///
/// let ok = json.replace("\"42\"", "\"1\"");
/// let model = Model::from_json(&ok).unwrap();
/// let again = Model::from_json(&model.to_json()).unwrap();
/// assert_eq!(model.to_json(), again.to_json());
/// assert_eq!(ModelDocument::from_model(&model), ModelDocument::from_model(&again));
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", from = "DocumentFields")]
pub struct ModelDocument {
    version: u32,
    #[serde(default)]
    workspaces: Vec<WorkspaceDoc>,
    #[serde(default)]
    users: Vec<UserDoc>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    folders: Vec<FolderDoc>,
    #[serde(default)]
    profiles: Vec<ProfileDoc>,
    #[serde(default)]
    assignments: Vec<AssignmentDoc>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    teams: Vec<crate::teams::doc::TeamDoc>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    calls: Vec<crate::calls::doc::CallDoc>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    networks: Vec<crate::network::doc::NetworkDoc>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    contacts: Vec<crate::network::doc::ContactDoc>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    advisors: Vec<crate::network::doc::AdvisorDoc>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    network_permissions: Vec<crate::network::doc::TenantPermissionDoc>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    network_features: Vec<crate::network::doc::FeatureDoc>,
    /// Roles and permissions: optional sections, see `rbac/document.rs`.
    #[serde(flatten)]
    rbac: crate::rbac::document::RbacDoc,
    /// Quantive items: optional sections, see `items/doc.rs`.
    #[serde(flatten)]
    items: crate::items::doc::ItemsDoc,
}

/// Every top-level field of the document, read strictly (serde's `flatten`, which
/// [`ModelDocument`] uses to write the sections, cannot refuse unknown fields).
#[derive(Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct DocumentFields {
    version: u32,
    #[serde(default)]
    workspaces: Vec<WorkspaceDoc>,
    #[serde(default)]
    users: Vec<UserDoc>,
    #[serde(default)]
    folders: Vec<FolderDoc>,
    #[serde(default)]
    profiles: Vec<ProfileDoc>,
    #[serde(default)]
    assignments: Vec<AssignmentDoc>,
    #[serde(default)]
    teams: Vec<crate::teams::doc::TeamDoc>,
    #[serde(default)]
    calls: Vec<crate::calls::doc::CallDoc>,
    #[serde(default)]
    networks: Vec<crate::network::doc::NetworkDoc>,
    #[serde(default)]
    contacts: Vec<crate::network::doc::ContactDoc>,
    #[serde(default)]
    advisors: Vec<crate::network::doc::AdvisorDoc>,
    #[serde(default)]
    network_permissions: Vec<crate::network::doc::TenantPermissionDoc>,
    #[serde(default)]
    network_features: Vec<crate::network::doc::FeatureDoc>,
    #[serde(default)]
    enabled_products: Vec<String>,
    #[serde(default)]
    permission_catalog: Vec<crate::rbac::document::PermissionDoc>,
    #[serde(default)]
    divisions: Vec<crate::rbac::document::DivisionDoc>,
    #[serde(default)]
    division_resources: Vec<crate::rbac::document::ResourceDoc>,
    #[serde(default)]
    groups: Vec<crate::rbac::document::GroupDoc>,
    #[serde(default)]
    default_roles: Vec<crate::rbac::document::RoleDoc>,
    #[serde(default)]
    roles: Vec<crate::rbac::document::RoleDoc>,
    #[serde(default)]
    grants: Vec<crate::rbac::document::GrantDoc>,
    #[serde(default)]
    actions: Vec<crate::rbac::document::ActionDoc>,
    #[serde(default)]
    global_permissions: Vec<crate::rbac::document::GlobalPermissionDoc>,
    #[serde(default)]
    items: Vec<crate::items::doc::ItemDoc>,
    #[serde(default)]
    default_access: Vec<crate::items::doc::TypeDefaultDoc>,
    #[serde(default)]
    item_gates: Vec<crate::items::doc::GateDoc>,
}

impl From<DocumentFields> for ModelDocument {
    fn from(d: DocumentFields) -> ModelDocument {
        ModelDocument {
            version: d.version,
            workspaces: d.workspaces,
            users: d.users,
            folders: d.folders,
            profiles: d.profiles,
            assignments: d.assignments,
            teams: d.teams,
            calls: d.calls,
            networks: d.networks,
            contacts: d.contacts,
            advisors: d.advisors,
            network_permissions: d.network_permissions,
            network_features: d.network_features,
            rbac: crate::rbac::document::RbacDoc {
                enabled_products: d.enabled_products,
                permission_catalog: d.permission_catalog,
                divisions: d.divisions,
                division_resources: d.division_resources,
                groups: d.groups,
                default_roles: d.default_roles,
                roles: d.roles,
                grants: d.grants,
                actions: d.actions,
                global_permissions: d.global_permissions,
            },
            items: crate::items::doc::ItemsDoc {
                items: d.items,
                default_access: d.default_access,
                item_gates: d.item_gates,
            },
        }
    }
}

impl ModelDocument {
    /// The document of a model, sorted by id so that equal models give equal documents.
    pub fn from_model(model: &Model) -> ModelDocument {
        let (workspaces, users, folders) = crate::org::doc::export(&model.dir, &model.workspaces);
        let default_ws = model.workspace_ids().next().unwrap_or("default").to_owned();
        let ws_field = |w: &str| (w != default_ws).then(|| w.to_owned());

        let mut profiles: Vec<ProfileDoc> = model
            .profiles
            .profiles
            .iter()
            .map(|(_, p)| {
                let mut doc = ProfileDoc::from_spec(&p.spec);
                doc.workspace_id = ws_field(model.workspaces.name(p.workspace));
                doc
            })
            .collect();
        profiles.sort_by(|a, b| a.id.cmp(&b.id));

        let mut assignments = Vec::new();
        for table in &model.profiles.assignment {
            for (u, p) in table.iter() {
                let user = UserId::from_index(u as u32);
                if p == NONE || !model.dir.is_active(user) {
                    continue;
                }
                if let Some(profile) = model.profiles.profiles.ids().name(ProfileId::from_index(p))
                {
                    assignments.push(AssignmentDoc {
                        user_id: model.dir.name(user).to_owned(),
                        profile_id: profile.to_owned(),
                    });
                }
            }
        }
        assignments.sort_by(|a, b| (&a.user_id, &a.profile_id).cmp(&(&b.user_id, &b.profile_id)));

        let (networks, contacts) = crate::network::doc::export_networks(model.networks());
        ModelDocument {
            version: VERSION,
            workspaces,
            users,
            folders,
            profiles,
            assignments,
            teams: crate::teams::doc::export(model.teams()),
            calls: crate::calls::doc::export(model.calls()),
            networks,
            contacts,
            advisors: crate::network::doc::export_advisors(model.networks()),
            network_permissions: crate::network::doc::export_tenant_permissions(model.networks()),
            network_features: crate::network::doc::export_features(model.networks()),
            rbac: crate::rbac::document::RbacDoc::from_model(model.rbac()),
            items: crate::items::doc::ItemsDoc::from_model(model.items()),
        }
    }

    /// Validates the document and builds the model it describes.
    ///
    /// Cost: a copy of the document's strings; [`into_model`](ModelDocument::into_model)
    /// moves them instead.
    pub fn to_model(&self) -> Result<Model, ModelError> {
        self.clone().into_model()
    }

    /// Validates the document and builds the model it describes, consuming the document
    /// (its strings move into the model's records rather than being copied).
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::ModelDocument;
    /// let doc = ModelDocument::from_json(r#"{"version": 1, "users": [{"id": "a"}]}"#)?;
    /// assert_eq!(doc.into_model()?.user_count(), 1);
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    pub fn into_model(self) -> Result<Model, ModelError> {
        self.build(&mut Strict)
    }

    /// Builds the model, each record's error going to `sink`: a strict sink stops at the
    /// first, a collecting one skips the record and goes on.
    pub(crate) fn build(self, sink: &mut impl DocumentSink) -> Result<Model, ModelError> {
        if self.version != VERSION {
            sink.skip(ModelError::at(
                "version",
                InputErrorKind::UnsupportedVersion {
                    found: self.version,
                },
            ))?;
        }
        let mut model = match self.workspaces.first() {
            Some(w) => match Model::with_default_workspace(&w.id) {
                Ok(model) => model,
                Err(e) => {
                    sink.skip(e.within("workspaces[0]"))?;
                    Model::new()
                }
            },
            None => Model::new(),
        };
        for (i, w) in self.workspaces.iter().enumerate().skip(1) {
            if let Err(e) = model.add_workspace(&w.id) {
                sink.skip(e.within_record(&format!("workspaces[{i}]"), &w.id))?;
            }
        }
        model.set_directory(self.directory(sink)?);
        for (i, f) in self.folders.iter().enumerate() {
            if let Err(e) = model.add_folder(&f.id, f.workspace_id.as_deref()) {
                sink.skip(e.within_record(&format!("folders[{i}]"), &f.id))?;
            }
        }
        for (i, p) in self.profiles.iter().enumerate() {
            let at = || format!("profiles[{i}]");
            let created = p
                .to_spec()
                .map_err(ModelError::from)
                .and_then(|spec| model.create_profile(spec));
            if let Err(e) = created {
                sink.skip(e.within_record(&at(), &p.id))?;
            }
        }
        for (i, a) in self.assignments.iter().enumerate() {
            if let Err(e) = assign(&mut model, a) {
                sink.skip(e.within(&format!("assignments[{i}]")))?;
            }
        }
        if let Err(e) = crate::teams::doc::import(&self.teams, model.teams_mut(), sink) {
            return Err(ModelError::from(e).in_section("teams", |i| {
                self.teams.get(i).map(crate::teams::doc::TeamDoc::id)
            }));
        }
        let rest = Rest {
            network_permissions: self.network_permissions,
            network_features: self.network_features,
            networks: self.networks,
            contacts: self.contacts,
            advisors: self.advisors,
            rbac: self.rbac,
            items: self.items,
        };
        // A strict load of many calls reads the calls on a thread of their own beside the
        // other families (they share only the directory and the workspaces, read-only). The
        // first error is the one a load in order reports: the calls' if any, else the
        // others'. When no thread can be had (a platform without threads, a limit reached),
        // or for a small or collecting load, both go in order here.
        let parallel =
            !Sink::<crate::ErrorKind>::is_collecting(sink) && self.calls.len() >= PARALLEL_CALLS;
        let Model {
            dir,
            workspaces,
            calls: call_store,
            networks,
            rbac,
            items,
            teams,
            ..
        } = &mut model;
        let (dir, workspaces, teams) = (&*dir, &*workspaces, &*teams);
        let calls_mut = crate::calls::store::CallsMut {
            calls: Arc::make_mut(call_store),
            dir,
            workspaces,
        };
        // The thread takes its inputs from here, so that the load in order still has them
        // when the thread could not be started.
        let mut calls_input = Some((self.calls, calls_mut));
        let mut rest_input = Some(rest);
        let threaded = parallel
            .then(|| {
                std::thread::scope(|s| {
                    let input = &mut calls_input;
                    let handle = std::thread::Builder::new()
                        .name("orgperm-calls".into())
                        .spawn_scoped(s, move || {
                            input.take().map(|(calls, into)| {
                                crate::calls::doc::import(calls, into, &mut Strict)
                            })
                        })
                        .ok()?;
                    let second = rest_input
                        .take()
                        .map(|rest| rest.install(dir, teams, networks, rbac, items, &mut Strict));
                    let first = handle.join().unwrap_or_else(|_| {
                        Some(Err(crate::calls::error::CallError::new(
                            InputErrorKind::Conflict {
                                reason: "the calls could not be read",
                            },
                        )))
                    });
                    Some((first, second))
                })
            })
            .flatten();
        if let Some((first, second)) = threaded {
            first.transpose()?;
            second.transpose()?;
        }
        if let Some((calls, into)) = calls_input.take() {
            crate::calls::doc::import(calls, into, sink)?;
        }
        if let Some(rest) = rest_input.take() {
            rest.install(dir, teams, networks, rbac, items, sink)?;
        }
        Ok(model)
    }

    /// The directory of the `users` section. Users are read all at once (a user may name a
    /// manager listed after them); a collecting sink takes each error and tries again
    /// without what it names (the manager link, or the user), as often as it keeps errors.
    fn directory(&self, sink: &mut impl Sink<crate::ErrorKind>) -> Result<Directory, ModelError> {
        let mut repairs = Repairs::default();
        loop {
            let kept = repairs.kept(self.users.len());
            let records = kept.iter().filter_map(|&i| {
                let u = self.users.get(i)?;
                Some((
                    u.id.as_str(),
                    u.manager_id.as_deref().filter(|_| repairs.links(i)),
                ))
            });
            let err = match Directory::from_records(ExactRecords(records, kept.len())) {
                Ok(dir) => return Ok(dir),
                Err(e) => ModelError::from(e.within("users")),
            };
            let name = |i: usize| self.users.get(i).map(|u| u.id.as_str());
            if !sink.is_collecting() {
                return Err(err.in_section("users", name));
            }
            let (err, at) = err.reindexed("users", |n| kept.get(n).copied());
            let err = err.in_section("users", name);
            let progress = match at {
                Some(i) => {
                    let tail = err.path().split_once(']').map_or("", |(_, t)| t).to_owned();
                    repairs.repair(i, &tail, "managerId", "", |_| None)
                }
                // A cycle names its users: try again without the first one's manager.
                None => match err.kind() {
                    crate::ErrorKind::Org(crate::OrgErrorKind::ManagerCycle { users }) => users
                        .first()
                        .and_then(|u| self.users.iter().position(|d| &d.id == u))
                        .is_some_and(|i| repairs.unlink(i)),
                    _ => false,
                },
            };
            if !progress {
                return Err(err);
            }
            sink.skip(err)?;
        }
    }

    /// Parses a JSON document (without validating it against itself; see
    /// [`to_model`](ModelDocument::to_model)).
    pub fn from_json(json: &str) -> Result<ModelDocument, ModelError> {
        reader::from_json_fast(json)
    }

    /// The document as pretty-printed JSON.
    pub fn to_json(&self) -> String {
        // Serializing plain structs, strings and booleans into a String cannot fail.
        serde_json::to_string_pretty(self).unwrap_or_default()
    }
}

impl Model {
    /// Builds a model from a JSON model document, validating all of it.
    ///
    /// # Examples
    ///
    /// ```
    /// let model = orgperm::Model::from_json(r#"{"version": 1, "users": [{"id": "a"}]}"#).unwrap();
    /// assert_eq!(model.user_count(), 1);
    /// let err = orgperm::Model::from_json(r#"{"version": 2}"#).unwrap_err();
    /// assert_eq!(err.path(), "version");
    /// ```
    pub fn from_json(json: &str) -> Result<Model, ModelError> {
        ModelDocument::from_json(json)?.into_model()
    }

    /// The model as a deterministic, pretty-printed JSON model document.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut model = orgperm::Model::new();
    /// model.add_user("a", None).unwrap();
    /// assert!(model.to_json().contains("\"version\": 1"));
    /// ```
    pub fn to_json(&self) -> String {
        ModelDocument::from_model(self).to_json()
    }
}

/// From this many calls on, a load reads the calls on a thread of their own.
const PARALLEL_CALLS: usize = 10_000;

/// The sections after the calls, which do not depend on them.
struct Rest {
    network_permissions: Vec<crate::network::doc::TenantPermissionDoc>,
    network_features: Vec<crate::network::doc::FeatureDoc>,
    networks: Vec<crate::network::doc::NetworkDoc>,
    contacts: Vec<crate::network::doc::ContactDoc>,
    advisors: Vec<crate::network::doc::AdvisorDoc>,
    rbac: crate::rbac::document::RbacDoc,
    items: crate::items::doc::ItemsDoc,
}

impl Rest {
    /// Installs the networks, the roles and the items, in that order.
    fn install(
        self,
        dir: &Arc<Directory>,
        teams: &Arc<crate::teams::store::TeamStore>,
        networks: &mut Arc<crate::network::store::NetworkStore>,
        rbac: &mut Arc<crate::rbac::RbacStore>,
        items: &mut Arc<crate::items::store::ItemStore>,
        sink: &mut impl DocumentSink,
    ) -> Result<(), ModelError> {
        let store = Arc::make_mut(networks);
        crate::network::doc::import_tenant(
            &self.network_permissions,
            &self.network_features,
            crate::network::store::NetworksMut {
                networks: &mut *store,
                dir,
            },
            sink,
        )?;
        crate::network::doc::import_networks(
            &self.networks,
            &self.contacts,
            crate::network::store::NetworksMut {
                networks: &mut *store,
                dir,
            },
            sink,
        )?;
        crate::network::doc::import_advisors(
            &self.advisors,
            crate::network::store::NetworksMut {
                networks: store,
                dir,
            },
            sink,
        )?;
        let rbac_mut = crate::rbac::RbacMut {
            rbac: Arc::make_mut(rbac),
            dir,
            // The items' access lists name roles: a named role is not deleted.
            referrers: &**items,
        };
        self.rbac.apply(rbac_mut, sink)?;
        let items_mut = crate::items::store::ItemsMut {
            items: Arc::make_mut(items),
            dir,
            teams,
            rbac: &*rbac,
        };
        self.items.apply(items_mut, sink)?;
        Ok(())
    }
}

/// One assignment of the document: the profile's workspace is the assignment's, and a user
/// holds one profile per workspace.
fn assign(model: &mut Model, a: &AssignmentDoc) -> Result<(), ModelError> {
    let workspace = model
        .profile(&a.profile_id)
        .map(|p| p.workspace.clone())
        .ok_or_else(|| {
            ModelError::at(
                "profileId",
                ProfileErrorKind::UnknownProfile {
                    id: a.profile_id.clone(),
                },
            )
        })?;
    if model.profile_of(&a.user_id, workspace.as_deref()).is_some() {
        return Err(ModelError::at(
            "userId",
            ProfileErrorKind::DuplicateAssignment {
                user: a.user_id.clone(),
                workspace: workspace
                    .unwrap_or_else(|| model.workspace_ids().next().unwrap_or("").to_owned()),
            },
        ));
    }
    model.assign_profile(&a.user_id, &a.profile_id)?;
    Ok(())
}

/// An iterator that knows its length, for [`Directory::from_records`].
#[derive(Clone)]
struct ExactRecords<I>(I, usize);

impl<I: Iterator> Iterator for ExactRecords<I> {
    type Item = I::Item;
    fn next(&mut self) -> Option<I::Item> {
        let item = self.0.next()?;
        self.1 = self.1.saturating_sub(1);
        Some(item)
    }
    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.1, Some(self.1))
    }
}

impl<I: Iterator> ExactSizeIterator for ExactRecords<I> {}
