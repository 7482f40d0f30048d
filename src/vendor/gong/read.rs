//! The reader: a Gong profile body, checked field by field, then applied all or nothing.

use core::fmt;

use serde_json::{Map, Value};

use crate::error::InputErrorKind;
use crate::profile::doc::ProfileDoc;
use crate::profile::{Level, ProfileSpec};
use crate::{Capability, Model, ModelError};

/// Reads one page of Gong permission profiles into a [`Model`]; see the [module
/// docs](crate::vendor::gong) for the shapes and the mapping.
///
/// [`ProfileReader::strict`] (the default, and what [`read_profiles`] uses) refuses any
/// field it does not know; [`ProfileReader::lenient`] returns such fields as [`Warning`]s.
///
/// # Examples
///
/// ```
/// use orgperm::vendor::gong::{ProfileReader, WarningKind};
/// use orgperm::Model;
/// let mut model = Model::with_default_workspace("w1").unwrap();
/// let page = r#"{"profiles":[{"id":"1","name":"Reps","tenantFlag":true,"note":"x"}]}"#;
/// let warnings = ProfileReader::lenient().read(page, "w1", &mut model).unwrap();
/// assert_eq!(warnings.len(), 2);
/// assert_eq!(warnings[0].path, "profiles[0].note");
/// assert_eq!(warnings[0].kind, WarningKind::Ignored);
/// assert_eq!(warnings[1].kind, WarningKind::KeptAsCapability);
/// assert_eq!(model.profile("1").unwrap().capabilities.get("tenantFlag"), Some(&true));
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ProfileReader {
    lenient: bool,
}

/// A field the lenient reader did not take as Gong documents it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Warning {
    /// Where the field stands, as in `profiles[1].callsAccess.permissionLevl`.
    pub path: String,
    /// What the reader did with it.
    pub kind: WarningKind,
}

/// What the lenient reader did with an unknown field.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WarningKind {
    /// The field was left out of the model.
    Ignored,
    /// A boolean directly in a `PermissionProfileDTO`: kept as a tenant-specific capability,
    /// as orgperm's own document keeps it.
    KeptAsCapability,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.kind {
            WarningKind::Ignored => write!(f, "{}: unknown field, ignored", self.path),
            WarningKind::KeptAsCapability => {
                write!(f, "{}: unknown field, kept as a capability", self.path)
            }
        }
    }
}

/// Reads one Gong profile body strictly: [`ProfileReader::strict`]`.read(..)`. The
/// warnings are always empty in strict mode; the type is the lenient reader's.
///
/// # Errors
///
/// A malformed body, an unknown field or a value of the wrong type (with its path), or any
/// error the model gives for a profile (path inside that profile); the model is unchanged.
pub fn read_profiles(
    json: &str,
    workspace: &str,
    model: &mut Model,
) -> Result<Vec<Warning>, ModelError> {
    ProfileReader::strict().read(json, workspace, model)
}

/// The fields of a `PermissionProfileDTO` other than its capabilities.
const DTO_FIELDS: &[&str] = &[
    "id",
    "name",
    "description",
    "callsAccess",
    "dealsAccess",
    "emailsAccess",
    "coachingAccess",
    "insightsAccess",
    "usageAccess",
    "forecastPermissions",
    "libraryFolderAccess",
];
const ACCESS_FIELDS: &[&str] = &["permissionLevel", "teamLeadIds"];
const FORECAST_FIELDS: &[&str] = &[
    "forecastAccess",
    "forecastEditSubmissions",
    "forecastEditTargets",
];
const LIBRARY_FIELDS: &[&str] = &[
    "permissionLevel",
    "libraryFolderIds",
    "managePublicFolder",
    "manageStreams",
    "manageFolderCalls",
    "shareFoldersAndStreams",
];
const WRAPPER_FIELDS: &[&str] = &[
    "requestId",
    "profiles",
    "profile",
    "permissionProfiles",
    "permissionProfile",
];
const LEGACY_FIELDS: &[&str] = &[
    "profileId",
    "name",
    "description",
    "workspaceId",
    "permissions",
    "userCount",
];
const LEGACY_PERMISSIONS: &[&str] = &[
    "viewOwnCalls",
    "viewTeamCalls",
    "viewAllCalls",
    "downloadRecordings",
    "shareExternally",
    "createScorecards",
    "manageUsers",
    "manageSettings",
];

/// The seed-000 flags that are capabilities, with the capability each becomes.
const LEGACY_CAPABILITIES: &[(&str, &str)] = &[
    ("downloadRecordings", "downloadCallMedia"),
    ("shareExternally", "shareCallsWithCustomers"),
    ("createScorecards", "scoreCalls"),
    ("manageSettings", "manageGeneralBusinessSettings"),
    ("manageUsers", "manageUsers"),
];

fn err(path: impl Into<String>, kind: InputErrorKind) -> ModelError {
    ModelError::at(path, kind)
}

fn type_name(v: &Value) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => {
            let cut: String = s.chars().take(64).collect();
            format!("{cut:?}")
        }
        Value::Array(_) => "an array".into(),
        Value::Object(_) => "an object".into(),
    }
}

fn wrong(path: &str, expected: &str, v: &Value) -> ModelError {
    err(
        path,
        InputErrorKind::WrongType {
            expected: expected.into(),
            found: type_name(v),
        },
    )
}

fn object<'v>(path: &str, v: &'v Value) -> Result<&'v Map<String, Value>, ModelError> {
    v.as_object().ok_or_else(|| wrong(path, "an object", v))
}

fn string(path: &str, v: &Value) -> Result<(), ModelError> {
    if v.is_string() {
        Ok(())
    } else {
        Err(wrong(path, "a string", v))
    }
}

fn boolean(path: &str, v: &Value) -> Result<bool, ModelError> {
    v.as_bool().ok_or_else(|| wrong(path, "a boolean", v))
}

fn strings(path: &str, v: &Value) -> Result<(), ModelError> {
    let items = v
        .as_array()
        .ok_or_else(|| wrong(path, "an array of strings", v))?;
    for (i, item) in items.iter().enumerate() {
        string(&format!("{path}[{i}]"), item)?;
    }
    Ok(())
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_owned()
    } else {
        format!("{path}.{key}")
    }
}

impl ProfileReader {
    /// A reader that refuses unknown fields.
    pub fn strict() -> Self {
        Self { lenient: false }
    }

    /// A reader that returns unknown fields as warnings.
    pub fn lenient() -> Self {
        Self { lenient: true }
    }

    /// Reads `json` (a list page, a single-profile body, or either seed-000 variant) and
    /// creates or updates its profiles in `workspace` of `model`: every profile is checked
    /// first, then all are applied, or none if any fails.
    ///
    /// # Errors
    ///
    /// As [`read_profiles`]; in lenient mode unknown fields are warnings instead.
    pub fn read(
        &self,
        json: &str,
        workspace: &str,
        model: &mut Model,
    ) -> Result<Vec<Warning>, ModelError> {
        let body: Value = serde_json::from_str(json).map_err(|e| {
            err(
                "",
                InputErrorKind::Syntax {
                    message: e.to_string(),
                },
            )
        })?;
        let mut pass = Pass {
            lenient: self.lenient,
            warnings: Vec::new(),
        };
        let specs = pass.page(&body, workspace)?;
        let mut next = model.clone();
        for (path, spec) in specs {
            let applied = if next.profile(&spec.id).is_some() {
                next.update_profile(spec)
            } else {
                next.create_profile(spec).map(|_| ())
            };
            applied.map_err(|e| e.within(&path))?;
        }
        *model = next;
        Ok(pass.warnings)
    }
}

/// One reading: the mode and the warnings so far.
struct Pass {
    lenient: bool,
    warnings: Vec<Warning>,
}

impl Pass {
    /// An unknown field: an error, or in lenient mode a warning of `kind`.
    fn unknown(
        &mut self,
        path: String,
        expected: &'static [&'static str],
        kind: WarningKind,
    ) -> Result<(), ModelError> {
        if self.lenient {
            self.warnings.push(Warning { path, kind });
            Ok(())
        } else {
            Err(err(path, InputErrorKind::UnknownField { expected }))
        }
    }

    /// The wrapper; the profiles with the path of each.
    fn page(
        &mut self,
        body: &Value,
        workspace: &str,
    ) -> Result<Vec<(String, ProfileSpec)>, ModelError> {
        let top = object("", body)?;
        let mut found: Option<(&str, &Value)> = None;
        for (key, value) in top {
            if key == "requestId" {
                continue;
            }
            if !WRAPPER_FIELDS.contains(&key.as_str()) {
                self.unknown(key.clone(), WRAPPER_FIELDS, WarningKind::Ignored)?;
                continue;
            }
            if found.is_some() {
                return Err(err(
                    key.as_str(),
                    InputErrorKind::Conflict {
                        reason: "a body holds one of profiles, profile, permissionProfiles, permissionProfile",
                    },
                ));
            }
            found = Some((key.as_str(), value));
        }
        let Some((key, value)) = found else {
            return Err(err("profiles", InputErrorKind::Required));
        };
        let legacy = key.starts_with("permission");
        let mut items: Vec<(String, &Value)> = Vec::new();
        if key.ends_with('s') {
            let list = value
                .as_array()
                .ok_or_else(|| wrong(key, "an array of profiles", value))?;
            for (i, item) in list.iter().enumerate() {
                items.push((format!("{key}[{i}]"), item));
            }
        } else {
            items.push((key.to_owned(), value));
        }
        let mut specs: Vec<(String, ProfileSpec)> = Vec::with_capacity(items.len());
        for (path, item) in items {
            let mut spec = if legacy {
                self.legacy(&path, item, workspace)?
            } else {
                self.dto(&path, item)?
            };
            spec.workspace = Some(workspace.to_owned());
            if specs.iter().any(|(_, s)| s.id == spec.id) {
                let field = if legacy { "profileId" } else { "id" };
                return Err(err(
                    join(&path, field),
                    InputErrorKind::DuplicateId { id: spec.id },
                ));
            }
            specs.push((path, spec));
        }
        Ok(specs)
    }

    /// A `PermissionProfileDTO`: checked and cleaned here, converted by the model
    /// document's own profile reader.
    fn dto(&mut self, path: &str, item: &Value) -> Result<ProfileSpec, ModelError> {
        let obj = object(path, item)?;
        let mut clean = Map::new();
        for (key, value) in obj {
            let at = join(path, key);
            if value.is_null() {
                continue;
            }
            let kept = match key.as_str() {
                "id" | "name" | "description" => {
                    string(&at, value)?;
                    Some(value.clone())
                }
                "callsAccess" | "dealsAccess" | "emailsAccess" | "coachingAccess"
                | "insightsAccess" | "usageAccess" => Some(self.access(&at, value)?),
                "forecastPermissions" => {
                    let mut sub = Map::new();
                    for (k, v) in object(&at, value)? {
                        let at = join(&at, k);
                        if v.is_null() {
                            continue;
                        }
                        if FORECAST_FIELDS.contains(&k.as_str()) {
                            sub.insert(k.clone(), self.access(&at, v)?);
                        } else {
                            self.unknown(at, FORECAST_FIELDS, WarningKind::Ignored)?;
                        }
                    }
                    Some(Value::Object(sub))
                }
                "libraryFolderAccess" => {
                    let mut sub = Map::new();
                    for (k, v) in object(&at, value)? {
                        let at = join(&at, k);
                        if v.is_null() {
                            continue;
                        }
                        match k.as_str() {
                            "permissionLevel" => string(&at, v)?,
                            "libraryFolderIds" => strings(&at, v)?,
                            f if LIBRARY_FIELDS.contains(&f) => {
                                boolean(&at, v)?;
                            }
                            _ => {
                                self.unknown(at, LIBRARY_FIELDS, WarningKind::Ignored)?;
                                continue;
                            }
                        }
                        sub.insert(k.clone(), v.clone());
                    }
                    Some(Value::Object(sub))
                }
                name if Capability::from_name(name).is_some() => {
                    boolean(&at, value)?;
                    Some(value.clone())
                }
                _ if value.is_boolean() => {
                    self.unknown(at, DTO_FIELDS, WarningKind::KeptAsCapability)?;
                    Some(value.clone())
                }
                _ => {
                    self.unknown(at, DTO_FIELDS, WarningKind::Ignored)?;
                    None
                }
            };
            if let Some(v) = kept {
                clean.insert(key.clone(), v);
            }
        }
        if !clean.contains_key("id") {
            return Err(err(join(path, "id"), InputErrorKind::Required));
        }
        let doc: ProfileDoc = serde_json::from_value(Value::Object(clean)).map_err(|e| {
            err(
                path,
                InputErrorKind::Syntax {
                    message: e.to_string(),
                },
            )
        })?;
        doc.to_spec().map_err(|e| ModelError::from(e).within(path))
    }

    /// A scoped access object, cleaned.
    fn access(&mut self, path: &str, value: &Value) -> Result<Value, ModelError> {
        let mut sub = Map::new();
        for (k, v) in object(path, value)? {
            let at = join(path, k);
            if v.is_null() {
                continue;
            }
            match k.as_str() {
                "permissionLevel" => string(&at, v)?,
                "teamLeadIds" => strings(&at, v)?,
                _ => {
                    self.unknown(at, ACCESS_FIELDS, WarningKind::Ignored)?;
                    continue;
                }
            }
            sub.insert(k.clone(), v.clone());
        }
        Ok(Value::Object(sub))
    }

    /// The seed-000 `PermissionProfile` (`profileId`, nested `permissions{}`).
    fn legacy(
        &mut self,
        path: &str,
        item: &Value,
        workspace: &str,
    ) -> Result<ProfileSpec, ModelError> {
        let obj = object(path, item)?;
        let mut id = None;
        let mut name = String::new();
        let mut description = String::new();
        let mut flags: Vec<(&str, bool)> = Vec::new();
        for (key, value) in obj {
            let at = join(path, key);
            if value.is_null() {
                continue;
            }
            let text = || {
                value
                    .as_str()
                    .map(str::to_owned)
                    .ok_or_else(|| wrong(&at, "a string", value))
            };
            match key.as_str() {
                "profileId" => id = Some(text()?),
                "name" => name = text()?,
                "description" => description = text()?,
                "workspaceId" => {
                    if text()? != workspace {
                        return Err(err(
                            at,
                            InputErrorKind::Conflict {
                                reason: "the profile names another workspace than the one read",
                            },
                        ));
                    }
                }
                "userCount" => {}
                "permissions" => {
                    for (k, v) in object(&at, value)? {
                        let at = join(&at, k);
                        if v.is_null() {
                            continue;
                        }
                        match LEGACY_PERMISSIONS.iter().find(|f| **f == k.as_str()) {
                            Some(f) => flags.push((f, boolean(&at, v)?)),
                            None => self.unknown(at, LEGACY_PERMISSIONS, WarningKind::Ignored)?,
                        }
                    }
                }
                _ => self.unknown(at, LEGACY_FIELDS, WarningKind::Ignored)?,
            }
        }
        let Some(id) = id else {
            return Err(err(join(path, "profileId"), InputErrorKind::Required));
        };
        let on = |f: &str| flags.iter().any(|(k, v)| *k == f && *v);
        let calls = if on("viewAllCalls") {
            Level::All
        } else if on("viewTeamCalls") {
            Level::ReportToThem
        } else if on("viewOwnCalls") {
            Level::Own
        } else {
            Level::None
        };
        let mut spec = ProfileSpec::new(id, name)
            .with_description(description)
            .with_level(crate::Domain::Calls, calls);
        for (flag, value) in &flags {
            if let Some((_, cap)) = LEGACY_CAPABILITIES.iter().find(|(f, _)| f == flag) {
                spec.capabilities.insert((*cap).to_owned(), *value);
            }
        }
        Ok(spec)
    }
}
