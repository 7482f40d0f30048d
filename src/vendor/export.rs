//! Vendor export folders: the bodies a sync job fetched from one vendor's API, saved as
//! files beside a manifest that says which endpoint each one answers, read in order into one
//! [`Imported`] model.
//!
//! # The manifest
//!
//! `export.json` in the folder, read strictly (an unknown field is an error naming its path):
//!
//! ```json
//! {
//!   "version": 1,
//!   "vendor": "gong",
//!   "base": "base.json",
//!   "bodies": [
//!     {"read": "users", "file": "users-page-0.json"},
//!     {"read": "profiles", "file": "profiles-main.json", "workspaceId": "1001"},
//!     {"read": "profileUsers", "file": "holders-5.json", "profileId": "5"}
//!   ]
//! }
//! ```
//!
//! - `version`: 1.
//! - `vendor`: `gong`, `genesys`, `gtmhub` or `symphony`.
//! - `base` (optional): an orgperm model document the bodies are read onto, for what the
//!   vendor's API does not list (Gong's calls, Symphony's directory users). Without it the
//!   bodies are read into an empty model.
//! - `bodies`: read in the order given; `file` is relative to the folder and may not leave
//!   it. `read` names the reader, and the body's parameters (what the vendor takes in the
//!   request's path or query) are fields beside it:
//!
//! | vendor | `read` | parameters | reader |
//! |---|---|---|---|
//! | gong | `users` | | [`GongReader::read_users_page`] |
//! | gong | `profiles` | `workspaceId` (optional) | [`GongReader::read_profiles`] |
//! | gong | `profile` | `workspaceId` (optional) | [`GongReader::read_profile`] |
//! | gong | `profileUsers` | `profileId` | [`GongReader::read_profile_users`] |
//! | gong | `callAccess` | | [`GongReader::read_call_access`] |
//! | gong | `callAccessGive`, `callAccessRemove` | | [`GongReader::read_call_access_change`] |
//! | genesys | `products` | | [`GenesysImport::read_products`] |
//! | genesys | `permissions` | | [`GenesysImport::read_permissions_page`] |
//! | genesys | `divisions` | | [`GenesysImport::read_divisions_page`] |
//! | genesys | `roles` | | [`GenesysImport::read_roles_page`] |
//! | genesys | `role` | | [`GenesysImport::read_role`] |
//! | genesys | `rolePatch` | `roleId` | [`GenesysImport::read_role_patch`] |
//! | genesys | `subject` | `subjectKind` (`user`, `group`, `client`) | [`GenesysImport::read_subject`] |
//! | genesys | `userRoles` | `userId` | [`GenesysImport::read_user_roles`] |
//! | gtmhub | `actions` | | [`GtmhubImport::read_actions`] |
//! | gtmhub | `roles` | | [`GtmhubImport::read_roles`] |
//! | gtmhub | `users` | | [`GtmhubImport::read_users`] |
//! | gtmhub | `permission` | | [`GtmhubImport::read_permission`] |
//! | gtmhub | `permissions` | | [`GtmhubImport::read_permissions`] |
//! | gtmhub | `principalActions` | `principalId` | [`GtmhubImport::read_principal_actions`] |
//! | gtmhub | `defaultAccess` | `itemType` | [`GtmhubImport::read_default_access`] |
//! | gtmhub | `itemDefaultAccess` | `itemId` | [`GtmhubImport::read_item_default_access`] |
//! | symphony | `permissions` | | [`SymphonyReader::read_permissions`] |
//! | symphony | `catalog` | `network` | [`SymphonyReader::read_catalog`] |
//! | symphony | `advisorPermissions` | `advisorId`, `network` | [`SymphonyReader::read_advisor_permissions`] |
//! | symphony | `addPermission` | `advisorId`, `network` | [`SymphonyReader::read_add_permission`] |
//! | symphony | `bulkAdd` | | [`SymphonyReader::read_bulk_add`] |
//! | symphony | `bulkAddResponse` | | [`SymphonyReader::read_bulk_add_response`] |
//!
//! A parameter a reader does not take, a missing one, or a `subjectKind` or `itemType`
//! outside its set, is an error at `bodies[i].<field>` in the manifest. An error inside a body names the file and the path in the body.
//! The whole folder is read or nothing is: [`read_export`] returns a model only when every
//! body read.
//!
//! # Cost
//!
//! Each body is read once, in O(its size · log model size); the folder costs the sum.

use std::fmt;
use std::path::{Component, Path, PathBuf};

use serde::Deserialize;

use crate::document::reader;
use crate::error::InputErrorKind;
use crate::item_type::ItemType;
use crate::model::Model;
use crate::model_error::ModelError;

use super::genesys::{GenesysImport, SubjectKind};
use super::gong::{CallAccessChange, GongReader};
use super::gtmhub::GtmhubImport;
use super::symphony::SymphonyReader;
use super::{Imported, Strictness};

/// The manifest's file name inside an export folder.
pub const MANIFEST: &str = "export.json";

/// The vendors an export folder can hold.
///
/// # Examples
///
/// ```
/// use orgperm::vendor::export::Vendor;
/// assert_eq!(Vendor::parse("gtmhub"), Some(Vendor::Gtmhub));
/// assert_eq!(Vendor::Gtmhub.name(), "gtmhub");
/// assert_eq!(Vendor::parse("quantive"), None);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Vendor {
    /// Gong: permission profiles, users, call access.
    Gong,
    /// Genesys Cloud: roles, divisions, subjects.
    Genesys,
    /// Quantive (Gtmhub): actions, roles, users, permission objects.
    Gtmhub,
    /// Symphony Connect: networks, catalogs, advisor permissions.
    Symphony,
}

impl Vendor {
    /// Every vendor, in the order of the docs.
    pub const ALL: [Vendor; 4] = [
        Vendor::Gong,
        Vendor::Genesys,
        Vendor::Gtmhub,
        Vendor::Symphony,
    ];

    /// The vendor's name as the manifest and the CLI write it.
    pub fn name(self) -> &'static str {
        match self {
            Vendor::Gong => "gong",
            Vendor::Genesys => "genesys",
            Vendor::Gtmhub => "gtmhub",
            Vendor::Symphony => "symphony",
        }
    }

    /// The vendor named `name` (exact, lower case), if any.
    pub fn parse(name: &str) -> Option<Vendor> {
        Vendor::ALL.into_iter().find(|v| v.name() == name)
    }
}

impl fmt::Display for Vendor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Why an export folder did not read: a file that could not be read, or an error in the
/// manifest, the base document or a body, with the file it is in.
///
/// # Examples
///
/// ```
/// use orgperm::vendor::export::{ExportError, read_export};
/// use orgperm::vendor::Strictness;
/// let err = read_export("/no/such/folder".as_ref(), Strictness::Strict).unwrap_err();
/// assert!(matches!(err, ExportError::Io { .. }));
/// ```
#[derive(Debug)]
pub enum ExportError {
    /// A file could not be read.
    Io {
        /// The file.
        file: PathBuf,
        /// The operating system's message.
        message: String,
    },
    /// The manifest, the base document or a body is not what its reader takes; the error's
    /// path is inside `file`.
    Invalid {
        /// The file the error is in.
        file: PathBuf,
        /// The error, its path inside the file.
        error: Box<ModelError>,
    },
}

impl ExportError {
    /// The file the error is in.
    pub fn file(&self) -> &Path {
        match self {
            ExportError::Io { file, .. } | ExportError::Invalid { file, .. } => file,
        }
    }

    /// The model error, for an invalid file.
    pub fn model_error(&self) -> Option<&ModelError> {
        match self {
            ExportError::Io { .. } => None,
            ExportError::Invalid { error, .. } => Some(error),
        }
    }
}

impl fmt::Display for ExportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ExportError::Io { file, message } => write!(f, "{}: {message}", file.display()),
            ExportError::Invalid { file, error } => write!(f, "{}: {error}", file.display()),
        }
    }
}

impl std::error::Error for ExportError {}

/// A manifest as written.
#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct Manifest {
    version: u32,
    vendor: Vendor,
    #[serde(default)]
    base: Option<String>,
    bodies: Vec<BodyEntry>,
}

/// One body of the manifest: which reader, which file, the reader's parameters.
#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct BodyEntry {
    read: String,
    file: String,
    #[serde(default)]
    workspace_id: Option<String>,
    #[serde(default)]
    profile_id: Option<String>,
    #[serde(default)]
    role_id: Option<String>,
    #[serde(default)]
    subject_kind: Option<String>,
    #[serde(default)]
    user_id: Option<String>,
    #[serde(default)]
    principal_id: Option<String>,
    #[serde(default)]
    item_type: Option<String>,
    #[serde(default)]
    item_id: Option<String>,
    #[serde(default)]
    advisor_id: Option<String>,
    #[serde(default)]
    network: Option<String>,
}

/// The parameter fields of a body entry, by their manifest names.
const PARAMETERS: [&str; 10] = [
    "workspaceId",
    "profileId",
    "roleId",
    "subjectKind",
    "userId",
    "principalId",
    "itemType",
    "itemId",
    "advisorId",
    "network",
];

impl BodyEntry {
    fn parameter(&self, name: &str) -> Option<&str> {
        match name {
            "workspaceId" => self.workspace_id.as_deref(),
            "profileId" => self.profile_id.as_deref(),
            "roleId" => self.role_id.as_deref(),
            "subjectKind" => self.subject_kind.as_deref(),
            "userId" => self.user_id.as_deref(),
            "principalId" => self.principal_id.as_deref(),
            "itemType" => self.item_type.as_deref(),
            "itemId" => self.item_id.as_deref(),
            "advisorId" => self.advisor_id.as_deref(),
            "network" => self.network.as_deref(),
            _ => None,
        }
    }
}

/// The readers of each vendor: `read` name, required parameters, optional parameters.
fn readers(
    vendor: Vendor,
) -> &'static [(
    &'static str,
    &'static [&'static str],
    &'static [&'static str],
)] {
    match vendor {
        Vendor::Gong => &[
            ("users", &[], &[]),
            ("profiles", &[], &["workspaceId"]),
            ("profile", &[], &["workspaceId"]),
            ("profileUsers", &["profileId"], &[]),
            ("callAccess", &[], &[]),
            ("callAccessGive", &[], &[]),
            ("callAccessRemove", &[], &[]),
        ],
        Vendor::Genesys => &[
            ("products", &[], &[]),
            ("permissions", &[], &[]),
            ("divisions", &[], &[]),
            ("roles", &[], &[]),
            ("role", &[], &[]),
            ("rolePatch", &["roleId"], &[]),
            ("subject", &["subjectKind"], &[]),
            ("userRoles", &["userId"], &[]),
        ],
        Vendor::Gtmhub => &[
            ("actions", &[], &[]),
            ("roles", &[], &[]),
            ("users", &[], &[]),
            ("permission", &[], &[]),
            ("permissions", &[], &[]),
            ("principalActions", &["principalId"], &[]),
            ("defaultAccess", &["itemType"], &[]),
            ("itemDefaultAccess", &["itemId"], &[]),
        ],
        Vendor::Symphony => &[
            ("permissions", &[], &[]),
            ("catalog", &["network"], &[]),
            ("advisorPermissions", &["advisorId", "network"], &[]),
            ("addPermission", &["advisorId", "network"], &[]),
            ("bulkAdd", &[], &[]),
            ("bulkAddResponse", &[], &[]),
        ],
    }
}

/// The `read` names of one vendor, for the unknown-reader error.
fn reader_names(vendor: Vendor) -> &'static [&'static str] {
    match vendor {
        Vendor::Gong => &[
            "users",
            "profiles",
            "profile",
            "profileUsers",
            "callAccess",
            "callAccessGive",
            "callAccessRemove",
        ],
        Vendor::Genesys => &[
            "products",
            "permissions",
            "divisions",
            "roles",
            "role",
            "rolePatch",
            "subject",
            "userRoles",
        ],
        Vendor::Gtmhub => &[
            "actions",
            "roles",
            "users",
            "permission",
            "permissions",
            "principalActions",
            "defaultAccess",
            "itemDefaultAccess",
        ],
        Vendor::Symphony => &[
            "permissions",
            "catalog",
            "advisorPermissions",
            "addPermission",
            "bulkAdd",
            "bulkAddResponse",
        ],
    }
}

/// The reader of one vendor, holding the model being built.
enum AnyReader {
    Gong(GongReader),
    Genesys(GenesysImport),
    Gtmhub(GtmhubImport),
    Symphony(SymphonyReader),
}

impl AnyReader {
    fn new(vendor: Vendor, base: Model, strictness: Strictness) -> AnyReader {
        match vendor {
            Vendor::Gong => AnyReader::Gong(GongReader::onto(base).with_strictness(strictness)),
            Vendor::Genesys => {
                AnyReader::Genesys(GenesysImport::onto(base).with_strictness(strictness))
            }
            Vendor::Gtmhub => {
                AnyReader::Gtmhub(GtmhubImport::onto(base).with_strictness(strictness))
            }
            Vendor::Symphony => {
                AnyReader::Symphony(SymphonyReader::onto(base).with_strictness(strictness))
            }
        }
    }

    /// Reads one body with the reader `read` names; parameters were checked already, so a
    /// missing one reads as empty and fails in the reader.
    fn read(&mut self, entry: &BodyEntry, json: &str) -> Result<(), ModelError> {
        let param = |name: &str| entry.parameter(name).unwrap_or("");
        match self {
            AnyReader::Gong(r) => match entry.read.as_str() {
                "users" => r.read_users_page(json).map(drop),
                "profiles" => r
                    .read_profiles(json, entry.workspace_id.as_deref())
                    .map(drop),
                "profile" => r
                    .read_profile(json, entry.workspace_id.as_deref())
                    .map(drop),
                "profileUsers" => r.read_profile_users(json, param("profileId")).map(drop),
                "callAccess" => r.read_call_access(json).map(drop),
                "callAccessGive" => r
                    .read_call_access_change(json, CallAccessChange::Give)
                    .map(drop),
                "callAccessRemove" => r
                    .read_call_access_change(json, CallAccessChange::Remove)
                    .map(drop),
                _ => Err(unknown_reader(Vendor::Gong)),
            },
            AnyReader::Genesys(r) => match entry.read.as_str() {
                "products" => r.read_products(json).map(drop),
                "permissions" => r.read_permissions_page(json).map(drop),
                "divisions" => r.read_divisions_page(json).map(drop),
                "roles" => r.read_roles_page(json).map(drop),
                "role" => r.read_role(json).map(drop),
                "rolePatch" => r.read_role_patch(param("roleId"), json),
                "subject" => {
                    let kind = subject_kind(param("subjectKind"))?;
                    r.read_subject(kind, json)
                }
                "userRoles" => r.read_user_roles(param("userId"), json),
                _ => Err(unknown_reader(Vendor::Genesys)),
            },
            AnyReader::Gtmhub(r) => match entry.read.as_str() {
                "actions" => r.read_actions(json).map(drop),
                "roles" => r.read_roles(json).map(drop),
                "users" => r.read_users(json).map(drop),
                "permission" => r.read_permission(json).map(drop),
                "permissions" => r.read_permissions(json).map(drop),
                "principalActions" => r.read_principal_actions(param("principalId"), json),
                "defaultAccess" => r.read_default_access(item_type(param("itemType"))?, json),
                "itemDefaultAccess" => r.read_item_default_access(param("itemId"), json),
                _ => Err(unknown_reader(Vendor::Gtmhub)),
            },
            AnyReader::Symphony(r) => match entry.read.as_str() {
                "permissions" => r.read_permissions(json).map(drop),
                "catalog" => r.read_catalog(json, param("network")).map(drop),
                "advisorPermissions" => r
                    .read_advisor_permissions(json, param("advisorId"), param("network"))
                    .map(drop),
                "addPermission" => {
                    r.read_add_permission(json, param("advisorId"), param("network"))
                }
                "bulkAdd" => {
                    // An export records what the vendor holds: an advisor the vendor would
                    // refuse is an error here rather than a result nobody reads.
                    let results = r.read_bulk_add(json)?;
                    // Each result's error already names `advisorSymphonyIds[i]`.
                    match results.into_iter().find_map(|r| r.result.err()) {
                        Some(e) => Err(ModelError::from(e)),
                        None => Ok(()),
                    }
                }
                "bulkAddResponse" => r.read_bulk_add_response(json).map(drop),
                _ => Err(unknown_reader(Vendor::Symphony)),
            },
        }
    }

    fn finish(self) -> Result<Imported, ModelError> {
        match self {
            AnyReader::Gong(r) => r.finish(),
            AnyReader::Genesys(r) => Ok(r.finish()),
            AnyReader::Gtmhub(r) => Ok(r.finish()),
            AnyReader::Symphony(r) => r.finish(),
        }
    }
}

fn unknown_reader(vendor: Vendor) -> ModelError {
    ModelError::at(
        "read",
        InputErrorKind::UnknownField {
            expected: reader_names(vendor),
        },
    )
}

fn item_type(name: &str) -> Result<ItemType, ModelError> {
    ItemType::parse(name).ok_or_else(|| {
        ModelError::at(
            "itemType",
            InputErrorKind::WrongType {
                expected: "session, goal, metric, insightBoard or dashboard".to_owned(),
                found: format!("{:?}", crate::error::bounded(name)),
            },
        )
    })
}

fn subject_kind(name: &str) -> Result<SubjectKind, ModelError> {
    match name {
        "user" => Ok(SubjectKind::User),
        "group" => Ok(SubjectKind::Group),
        "client" => Ok(SubjectKind::Client),
        other => Err(ModelError::at(
            "subjectKind",
            InputErrorKind::WrongType {
                expected: "user, group or client".to_owned(),
                found: format!("{other:?}"),
            },
        )),
    }
}

/// Checks one manifest entry: a known reader, its required parameters present and no
/// parameter it does not take. The error's path is inside the entry.
fn check_entry(vendor: Vendor, entry: &BodyEntry) -> Result<(), ModelError> {
    let Some((_, required, optional)) = readers(vendor)
        .iter()
        .find(|(name, _, _)| *name == entry.read)
    else {
        return Err(ModelError::at(
            "read",
            InputErrorKind::WrongType {
                expected: format!("one of {}", reader_names(vendor).join(", ")),
                found: format!("{:?}", crate::error::bounded(&entry.read)),
            },
        ));
    };
    for name in PARAMETERS {
        let given = entry.parameter(name);
        let takes = required.contains(&name) || optional.contains(&name);
        match given {
            Some(_) if !takes => {
                return Err(ModelError::at(
                    name,
                    InputErrorKind::UnknownField {
                        expected: required_and_optional(vendor, &entry.read),
                    },
                ));
            }
            Some("") if takes => return Err(ModelError::at(name, InputErrorKind::EmptyId)),
            None if required.contains(&name) => {
                return Err(ModelError::at(name, InputErrorKind::Required));
            }
            _ => {}
        }
    }
    // Parameters with a fixed set of values are checked here, so a wrong one is an error in
    // the manifest, not in the body.
    match (vendor, entry.read.as_str()) {
        (Vendor::Genesys, "subject") => {
            subject_kind(entry.parameter("subjectKind").unwrap_or(""))?;
        }
        (Vendor::Gtmhub, "defaultAccess") => {
            item_type(entry.parameter("itemType").unwrap_or(""))?;
        }
        _ => {}
    }
    if !is_inside(&entry.file) {
        return Err(ModelError::at(
            "file",
            InputErrorKind::Conflict {
                reason: "a body's file must be a relative path inside the export folder",
            },
        ));
    }
    Ok(())
}

/// The fields an entry of reader `read` may have, for the unknown-parameter error.
fn required_and_optional(vendor: Vendor, read: &str) -> &'static [&'static str] {
    // Spelled out once per parameter set, so the error lists exactly what may stand there.
    let params: &[&str] = readers(vendor)
        .iter()
        .find(|(name, _, _)| *name == read)
        .map(|(_, r, o)| if r.is_empty() { *o } else { *r })
        .unwrap_or(&[]);
    match params {
        ["workspaceId"] => &["read", "file", "workspaceId"],
        ["profileId"] => &["read", "file", "profileId"],
        ["roleId"] => &["read", "file", "roleId"],
        ["subjectKind"] => &["read", "file", "subjectKind"],
        ["userId"] => &["read", "file", "userId"],
        ["principalId"] => &["read", "file", "principalId"],
        ["itemType"] => &["read", "file", "itemType"],
        ["itemId"] => &["read", "file", "itemId"],
        ["network"] => &["read", "file", "network"],
        ["advisorId", "network"] => &["read", "file", "advisorId", "network"],
        _ => &["read", "file"],
    }
}

/// Whether `file` is a relative path that stays inside the folder (no root, no `..`).
fn is_inside(file: &str) -> bool {
    !file.is_empty()
        && Path::new(file)
            .components()
            .all(|c| matches!(c, Component::Normal(_) | Component::CurDir))
}

fn read_file(path: &Path) -> Result<String, ExportError> {
    std::fs::read_to_string(path).map_err(|e| ExportError::Io {
        file: path.to_owned(),
        message: e.to_string(),
    })
}

fn invalid(file: &Path, error: ModelError) -> ExportError {
    ExportError::Invalid {
        file: file.to_owned(),
        error: Box::new(error),
    }
}

/// The vendor an export folder's manifest names, without reading its bodies.
///
/// # Examples
///
/// ```
/// use orgperm::vendor::export::{Vendor, manifest_vendor};
/// let dir = std::env::temp_dir().join("orgperm-doc-manifest-vendor");
/// std::fs::create_dir_all(&dir).unwrap();
/// std::fs::write(dir.join("export.json"), r#"{"version": 1, "vendor": "symphony", "bodies": []}"#).unwrap();
/// assert_eq!(manifest_vendor(&dir).unwrap(), Vendor::Symphony);
/// ```
pub fn manifest_vendor(dir: &Path) -> Result<Vendor, ExportError> {
    Ok(read_manifest(dir)?.vendor)
}

fn read_manifest(dir: &Path) -> Result<Manifest, ExportError> {
    let path = dir.join(MANIFEST);
    let text = read_file(&path)?;
    let manifest: Manifest = reader::from_json(&text).map_err(|e| invalid(&path, e))?;
    if manifest.version != 1 {
        return Err(invalid(
            &path,
            ModelError::at(
                "version",
                InputErrorKind::UnsupportedVersion {
                    found: manifest.version,
                },
            ),
        ));
    }
    for (i, entry) in manifest.bodies.iter().enumerate() {
        check_entry(manifest.vendor, entry)
            .map_err(|e| invalid(&path, e.within(&format!("bodies[{i}]"))))?;
    }
    Ok(manifest)
}

/// Reads the export folder `dir`: its manifest, the base document if it names one, then
/// every body in order, into one [`Imported`] (the model, the change set from the base to
/// it, the warnings of lenient mode). All or nothing: the first error stops the read and is
/// returned with its file.
///
/// # Examples
///
/// ```
/// use orgperm::vendor::{Strictness, export::read_export};
/// let dir = std::env::temp_dir().join("orgperm-doc-read-export");
/// std::fs::create_dir_all(&dir).unwrap();
/// std::fs::write(dir.join("export.json"), r#"{
///   "version": 1, "vendor": "gong",
///   "bodies": [{"read": "users", "file": "users.json"}]
/// }"#).unwrap();
/// std::fs::write(dir.join("users.json"), r#"{"requestId": "r1", "users": [
///   {"id": "1", "managerId": null}, {"id": "2", "managerId": "1"}
/// ]}"#).unwrap();
/// let import = read_export(&dir, Strictness::Strict)?;
/// assert_eq!(import.model.manager_of("2"), Some("1"));
/// # Ok::<(), orgperm::vendor::export::ExportError>(())
/// ```
pub fn read_export(dir: &Path, strictness: Strictness) -> Result<Imported, ExportError> {
    let manifest = read_manifest(dir)?;
    let base = match &manifest.base {
        None => Model::new(),
        Some(file) => {
            if !is_inside(file) {
                return Err(invalid(
                    &dir.join(MANIFEST),
                    ModelError::at(
                        "base",
                        InputErrorKind::Conflict {
                            reason: "the base document must be a relative path inside the export folder",
                        },
                    ),
                ));
            }
            let path = dir.join(file);
            let text = read_file(&path)?;
            Model::from_json(&text).map_err(|e| invalid(&path, e))?
        }
    };
    let mut reader = AnyReader::new(manifest.vendor, base, strictness);
    for entry in &manifest.bodies {
        let path = dir.join(&entry.file);
        let text = read_file(&path)?;
        reader.read(entry, &text).map_err(|e| invalid(&path, e))?;
    }
    reader.finish().map_err(|e| invalid(&dir.join(MANIFEST), e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_that_leave_the_folder_are_refused() {
        assert!(is_inside("a.json"));
        assert!(is_inside("pages/a.json"));
        assert!(is_inside("./a.json"));
        assert!(!is_inside("../a.json"));
        assert!(!is_inside("/etc/passwd"));
        assert!(!is_inside("pages/../../a.json"));
        assert!(!is_inside(""));
    }

    #[test]
    fn every_reader_is_named_once() {
        for vendor in Vendor::ALL {
            let names: Vec<&str> = readers(vendor).iter().map(|(n, _, _)| *n).collect();
            assert_eq!(names, reader_names(vendor), "{vendor}");
        }
    }
}
