//! The permission profile in Gong's two shapes: the `PermissionProfileDTO` of
//! `/v2/all-permission-profiles` (seed 001) and the loose variant of seed 000 (`profileId`,
//! nested `permissions{}`), read into a [`ProfileSpec`]; and the DTO written back.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::document::reader::Node;
use crate::error::InputErrorKind;
use crate::model_error::ModelError;
use crate::profile::error::ProfileErrorKind;
use crate::profile::{Domain, Level, LibraryAccess, LibraryFlag, LibraryLevel, ProfileSpec};
use crate::vendor::strict::{
    At, Entries, Reader, boolean, check, id, id_list, object, present, string,
};

/// The typed fields of a `PermissionProfileDTO`; any other field is a boolean capability.
pub(crate) const PROFILE_FIELDS: &[&str] = &[
    "id",
    "name",
    "description",
    "workspaceId",
    "callsAccess",
    "dealsAccess",
    "emailsAccess",
    "coachingAccess",
    "insightsAccess",
    "usageAccess",
    "forecastPermissions",
    "libraryFolderAccess",
];

/// The fields of a scoped access object.
const ACCESS_FIELDS: &[&str] = &["permissionLevel", "teamLeadIds"];

/// The fields of `forecastPermissions`.
const FORECAST_FIELDS: &[&str] = &[
    "forecastAccess",
    "forecastEditSubmissions",
    "forecastEditTargets",
];

/// The fields of `libraryFolderAccess`.
const LIBRARY_FIELDS: &[&str] = &[
    "permissionLevel",
    "libraryFolderIds",
    "managePublicFolder",
    "manageStreams",
    "manageFolderCalls",
    "shareFoldersAndStreams",
];

/// The fields of the seed-000 profile (`userCount` is read-only and skipped).
pub(crate) const VARIANT_FIELDS: &[&str] = &[
    "profileId",
    "name",
    "description",
    "workspaceId",
    "permissions",
];

/// The seed-000 profile's read-only fields.
pub(crate) const VARIANT_INFORMATIONAL: &[&str] = &["userCount"];

/// The eight flags of the seed-000 `permissions{}` object.
pub(crate) const VARIANT_FLAGS: &[&str] = &[
    "viewOwnCalls",
    "viewTeamCalls",
    "viewAllCalls",
    "downloadRecordings",
    "shareExternally",
    "createScorecards",
    "manageUsers",
    "manageSettings",
];

/// The seed-000 flags that are capabilities, and the `PermissionProfileDTO` capability each
/// one is read as.
pub(crate) const VARIANT_CAPABILITIES: &[(&str, &str)] = &[
    ("downloadRecordings", "downloadCallMedia"),
    ("shareExternally", "shareCallsWithCustomers"),
    ("createScorecards", "scoreCalls"),
    ("manageUsers", "manageUsers"),
    ("manageSettings", "manageGeneralBusinessSettings"),
];

/// A profile as read, before the model validates it: the spec and the workspace the payload
/// itself names (`workspaceId`, seed 000 and the library's own field), if any.
pub(crate) struct ReadProfile {
    pub(crate) spec: ProfileSpec,
    pub(crate) workspace: Option<String>,
}

/// Whether an object is a seed-000 profile: it has `profileId` or `permissions`.
pub(crate) fn is_variant(entries: &Entries<'_>) -> bool {
    entries
        .iter()
        .any(|(k, _)| k == "profileId" || k == "permissions")
}

/// Reads either shape.
pub(crate) fn read_profile(
    node: &Node<'_>,
    at: &At<'_>,
    reader: &mut Reader,
) -> Result<ReadProfile, ModelError> {
    let entries = object(node, at)?;
    if is_variant(entries) {
        read_variant(entries, at, reader)
    } else {
        read_dto(entries, at, reader)
    }
}

/// Reads a `PermissionProfileDTO`.
fn read_dto(
    entries: &Entries<'_>,
    at: &At<'_>,
    reader: &mut Reader,
) -> Result<ReadProfile, ModelError> {
    let mut typed: [Option<&Node<'_>>; 12] = [None; 12];
    let mut capabilities: BTreeMap<String, bool> = BTreeMap::new();
    for (key, value) in entries {
        let key: &str = key;
        let here = at.key(key);
        if let Some(slot) = PROFILE_FIELDS.iter().position(|f| *f == key) {
            let Some(cell) = typed.get_mut(slot) else {
                continue;
            };
            if cell.is_some() {
                return Err(here.error(InputErrorKind::DuplicateField));
            }
            *cell = Some(value);
            continue;
        }
        match value {
            // Every other boolean is a capability, documented or not (§1).
            Node::Bool(on) => {
                if capabilities.insert(key.to_owned(), *on).is_some() {
                    return Err(here.error(InputErrorKind::DuplicateField));
                }
            }
            // An unset flag grants nothing.
            Node::Null => {}
            _ => reader.unknown(&here, PROFILE_FIELDS)?,
        }
    }
    let field = |i: usize| present(typed.get(i).copied().flatten());
    let profile_id = match field(0) {
        Some(n) => id(n, &at.key("id"))?.to_owned(),
        None => return Err(at.key("id").error(InputErrorKind::Required)),
    };
    let mut spec = ProfileSpec::new(profile_id, opt_string(field(1), &at.key("name"))?);
    spec.description = opt_string(field(2), &at.key("description"))?;
    let workspace = match field(3) {
        Some(n) => Some(id(n, &at.key("workspaceId"))?.to_owned()),
        None => None,
    };
    let direct = [
        (Domain::Calls, 4),
        (Domain::Deals, 5),
        (Domain::Emails, 6),
        (Domain::Coaching, 7),
        (Domain::Insights, 8),
        (Domain::Usage, 9),
    ];
    for (domain, slot) in direct {
        if let Some(n) = field(slot) {
            read_access(&mut spec, domain, n, &at.key(domain.field()), reader)?;
        }
    }
    if let Some(n) = field(10) {
        let fat = at.key("forecastPermissions");
        let f = check(object(n, &fat)?, &fat, FORECAST_FIELDS, &[], reader)?;
        let nested = [
            Domain::Forecast,
            Domain::ForecastEditSubmissions,
            Domain::ForecastEditTargets,
        ];
        for (i, domain) in nested.into_iter().enumerate() {
            if let Some(n) = f.value(i) {
                read_access(&mut spec, domain, n, &fat.key(domain.field()), reader)?;
            }
        }
    }
    if let Some(n) = field(11) {
        spec.library = read_library(n, &at.key("libraryFolderAccess"), reader)?;
    }
    spec.capabilities = capabilities;
    Ok(ReadProfile { spec, workspace })
}

fn opt_string(node: Option<&Node<'_>>, at: &At<'_>) -> Result<String, ModelError> {
    match node {
        Some(n) => Ok(string(n, at)?.to_owned()),
        None => Ok(String::new()),
    }
}

/// `{permissionLevel, teamLeadIds}`: the level is required, leads may be absent or `null`.
fn read_access(
    spec: &mut ProfileSpec,
    domain: Domain,
    node: &Node<'_>,
    at: &At<'_>,
    reader: &mut Reader,
) -> Result<(), ModelError> {
    let f = check(object(node, at)?, at, ACCESS_FIELDS, &[], reader)?;
    let level_at = at.key("permissionLevel");
    let level = match f.value(0) {
        Some(n) => {
            let s = string(n, &level_at)?;
            Level::parse(s).ok_or_else(|| {
                level_at.error(ProfileErrorKind::InvalidLevel {
                    value: s.to_owned(),
                })
            })?
        }
        None => return Err(level_at.error(ProfileErrorKind::MissingLevel)),
    };
    let leads = id_list(f.get(1), &at.key("teamLeadIds"))?;
    let access = spec.access_mut(domain);
    access.level = level;
    access.team_lead_ids = leads.into_iter().map(str::to_owned).collect();
    Ok(())
}

/// `libraryFolderAccess`: the level is mandatory, the rest optional.
fn read_library(
    node: &Node<'_>,
    at: &At<'_>,
    reader: &mut Reader,
) -> Result<LibraryAccess, ModelError> {
    let f = check(object(node, at)?, at, LIBRARY_FIELDS, &[], reader)?;
    let level_at = at.key("permissionLevel");
    let level = match f.value(0) {
        Some(n) => {
            let s = string(n, &level_at)?;
            LibraryLevel::parse(s).ok_or_else(|| {
                level_at.error(ProfileErrorKind::InvalidLibraryLevel {
                    value: s.to_owned(),
                })
            })?
        }
        None => return Err(level_at.error(ProfileErrorKind::MissingLibraryLevel)),
    };
    let mut lib = LibraryAccess {
        level,
        folder_ids: id_list(f.get(1), &at.key("libraryFolderIds"))?
            .into_iter()
            .map(str::to_owned)
            .collect(),
        ..LibraryAccess::default()
    };
    for (i, flag) in LibraryFlag::ALL.into_iter().enumerate() {
        if let Some(n) = f.value(i + 2) {
            *lib.flag_mut(flag) = boolean(n, &at.key(flag.field()))?;
        }
    }
    Ok(lib)
}

/// Reads the seed-000 profile: `{profileId, name, description, workspaceId, permissions{},
/// userCount}`; see the module docs of [`gong`](crate::vendor::gong) for the mapping.
fn read_variant(
    entries: &Entries<'_>,
    at: &At<'_>,
    reader: &mut Reader,
) -> Result<ReadProfile, ModelError> {
    let f = check(entries, at, VARIANT_FIELDS, VARIANT_INFORMATIONAL, reader)?;
    let profile_id = match f.value(0) {
        Some(n) => id(n, &at.key("profileId"))?.to_owned(),
        None => return Err(at.key("profileId").error(InputErrorKind::Required)),
    };
    let mut spec = ProfileSpec::new(profile_id, opt_string(f.value(1), &at.key("name"))?);
    spec.description = opt_string(f.value(2), &at.key("description"))?;
    let workspace = match f.value(3) {
        Some(n) => Some(id(n, &at.key("workspaceId"))?.to_owned()),
        None => None,
    };
    if let Some(n) = f.value(4) {
        let pat = at.key("permissions");
        let mut flags = [false; 3];
        let mut seen: BTreeMap<&str, ()> = BTreeMap::new();
        for (key, value) in object(n, &pat)? {
            let key: &str = key;
            let here = pat.key(key);
            if seen.insert(key, ()).is_some() {
                return Err(here.error(InputErrorKind::DuplicateField));
            }
            let on = match value {
                Node::Bool(b) => *b,
                Node::Null => continue,
                _ if VARIANT_FLAGS.contains(&key) => boolean(value, &here)?,
                _ => {
                    reader.unknown(&here, VARIANT_FLAGS)?;
                    continue;
                }
            };
            match key {
                "viewOwnCalls" => flags[0] = on,
                "viewTeamCalls" => flags[1] = on,
                "viewAllCalls" => flags[2] = on,
                _ => {
                    // A mapped flag takes its DTO name; any other boolean is kept as it is.
                    let name = VARIANT_CAPABILITIES
                        .iter()
                        .find(|(from, _)| *from == key)
                        .map_or(key, |(_, to)| to);
                    if spec.capabilities.insert(name.to_owned(), on).is_some() {
                        return Err(here.error(InputErrorKind::DuplicateField));
                    }
                }
            }
        }
        let level = match flags {
            [_, _, true] => Level::All,
            [_, true, false] => Level::ReportToThem,
            [true, false, false] => Level::Own,
            _ => Level::None,
        };
        spec.access_mut(Domain::Calls).level = level;
    }
    Ok(ReadProfile { spec, workspace })
}

// ---- writing ---------------------------------------------------------------------------------

/// A scoped access object as Gong writes it: `{"permissionLevel": "managers-team",
/// "teamLeadIds": ["295738305212375930"]}` (`teamLeadIds` only when there are leads).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AccessDto {
    /// `all`, `managers-team`, `report-to-them`, `own` or `none`.
    pub permission_level: String,
    /// The team leads, in the profile's order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub team_lead_ids: Vec<String>,
}

/// `forecastPermissions` as Gong writes it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ForecastPermissionsDto {
    /// `forecastAccess`
    pub forecast_access: AccessDto,
    /// `forecastEditSubmissions`
    pub forecast_edit_submissions: AccessDto,
    /// `forecastEditTargets`
    pub forecast_edit_targets: AccessDto,
}

/// `libraryFolderAccess` as Gong writes it: the level always, the folders when there are
/// some, the four manage flags always.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LibraryFolderAccessDto {
    /// `none`, `all` or `specific-folders`.
    pub permission_level: String,
    /// The folders, for `specific-folders`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub library_folder_ids: Vec<String>,
    /// `managePublicFolder`
    pub manage_public_folder: bool,
    /// `manageStreams`
    pub manage_streams: bool,
    /// `manageFolderCalls`
    pub manage_folder_calls: bool,
    /// `shareFoldersAndStreams`
    pub share_folders_and_streams: bool,
}

/// A `PermissionProfileDTO` as `/v2/all-permission-profiles` and `/v2/permission-profile`
/// return it: the typed fields in the vendor's order, then every capability the profile
/// carries (documented or not, `false` ones too), by name.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PermissionProfileDto {
    /// The profile's id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Its description.
    pub description: String,
    /// `callsAccess`
    pub calls_access: AccessDto,
    /// `libraryFolderAccess`
    pub library_folder_access: LibraryFolderAccessDto,
    /// `dealsAccess`
    pub deals_access: AccessDto,
    /// `forecastPermissions`
    pub forecast_permissions: ForecastPermissionsDto,
    /// `coachingAccess`
    pub coaching_access: AccessDto,
    /// `insightsAccess`
    pub insights_access: AccessDto,
    /// `usageAccess`
    pub usage_access: AccessDto,
    /// `emailsAccess`
    pub emails_access: AccessDto,
    /// The boolean capabilities, by name.
    #[serde(flatten)]
    pub capabilities: BTreeMap<String, bool>,
}

impl PermissionProfileDto {
    /// The DTO of a profile.
    pub(crate) fn from_spec(spec: &ProfileSpec) -> Self {
        let access = |d: Domain| {
            let a = spec.access(d);
            AccessDto {
                permission_level: a.level.as_str().to_owned(),
                team_lead_ids: a.team_lead_ids.clone(),
            }
        };
        let lib = &spec.library;
        PermissionProfileDto {
            id: spec.id.clone(),
            name: spec.name.clone(),
            description: spec.description.clone(),
            calls_access: access(Domain::Calls),
            library_folder_access: LibraryFolderAccessDto {
                permission_level: lib.level.as_str().to_owned(),
                library_folder_ids: lib.folder_ids.clone(),
                manage_public_folder: lib.manage_public_folder,
                manage_streams: lib.manage_streams,
                manage_folder_calls: lib.manage_folder_calls,
                share_folders_and_streams: lib.share_folders_and_streams,
            },
            deals_access: access(Domain::Deals),
            forecast_permissions: ForecastPermissionsDto {
                forecast_access: access(Domain::Forecast),
                forecast_edit_submissions: access(Domain::ForecastEditSubmissions),
                forecast_edit_targets: access(Domain::ForecastEditTargets),
            },
            coaching_access: access(Domain::Coaching),
            insights_access: access(Domain::Insights),
            usage_access: access(Domain::Usage),
            emails_access: access(Domain::Emails),
            capabilities: spec.capabilities.clone(),
        }
    }
}
