//! The profiles section of the model document: profiles in the vendor's field names (typed
//! access fields, and every other boolean field a capability) and the assignments.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::profile::error::{ProfileError, ProfileErrorKind};
use crate::profile::{
    Domain, Level, LibraryAccess, LibraryFlag, LibraryLevel, ProfileSpec, ScopedAccess,
};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct AssignmentDoc {
    pub(crate) user_id: String,
    pub(crate) profile_id: String,
}

#[derive(Clone, Debug, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct AccessDoc {
    #[serde(default)]
    pub(crate) permission_level: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) team_lead_ids: Option<Vec<String>>,
}

#[derive(Clone, Debug, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct ForecastDoc {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) forecast_access: Option<AccessDoc>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) forecast_edit_submissions: Option<AccessDoc>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) forecast_edit_targets: Option<AccessDoc>,
}

#[derive(Clone, Debug, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct LibraryDoc {
    #[serde(default)]
    pub(crate) permission_level: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) library_folder_ids: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) manage_public_folder: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) manage_streams: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) manage_folder_calls: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) share_folders_and_streams: Option<bool>,
}

/// A profile: the `PermissionProfileDTO` fields plus `workspaceId`; every other field is a
/// capability and must be a boolean (the semantics page §1: tenants return more names than the
/// vendor documents), so this one object reads its unknown fields instead of refusing them.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ProfileDoc {
    pub(crate) id: String,
    #[serde(default)]
    pub(crate) name: Option<String>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub(crate) description: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) workspace_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) calls_access: Option<AccessDoc>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) deals_access: Option<AccessDoc>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) emails_access: Option<AccessDoc>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) coaching_access: Option<AccessDoc>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) insights_access: Option<AccessDoc>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) usage_access: Option<AccessDoc>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) forecast_permissions: Option<ForecastDoc>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) library_folder_access: Option<LibraryDoc>,
    /// Every other field: the boolean capabilities, documented or not.
    #[serde(flatten)]
    pub(crate) capabilities: BTreeMap<String, bool>,
}

/// The typed fields of a profile, in the document's names.
const PROFILE_FIELDS: &[&str] = &[
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

impl<'de> Deserialize<'de> for ProfileDoc {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<ProfileDoc, D::Error> {
        d.deserialize_map(ProfileVisitor)
    }
}

struct ProfileVisitor;

impl<'de> serde::de::Visitor<'de> for ProfileVisitor {
    type Value = ProfileDoc;

    fn expecting(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("an object")
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<ProfileDoc, A::Error> {
        use serde::de::Error;
        let mut id = None;
        let mut doc = ProfileDoc {
            id: String::new(),
            name: None,
            description: String::new(),
            workspace_id: None,
            calls_access: None,
            deals_access: None,
            emails_access: None,
            coaching_access: None,
            insights_access: None,
            usage_access: None,
            forecast_permissions: None,
            library_folder_access: None,
            capabilities: BTreeMap::new(),
        };
        // Typed fields seen so far, to refuse a repeated one (bit i = PROFILE_FIELDS[i]).
        let mut seen = 0u32;
        while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            let Some(slot) = PROFILE_FIELDS.iter().position(|f| *f == key) else {
                // Any other field is a capability, kept if it is a boolean.
                let on: bool = map.next_value_seed(Capability)?;
                if doc.capabilities.insert(key.into_owned(), on).is_some() {
                    return Err(A::Error::duplicate_field("capability"));
                }
                continue;
            };
            if seen & (1 << slot) != 0 {
                return Err(A::Error::duplicate_field("profile field"));
            }
            seen |= 1 << slot;
            match slot {
                0 => id = Some(map.next_value::<String>()?),
                1 => doc.name = map.next_value()?,
                2 => doc.description = map.next_value()?,
                3 => doc.workspace_id = map.next_value()?,
                4 => doc.calls_access = map.next_value()?,
                5 => doc.deals_access = map.next_value()?,
                6 => doc.emails_access = map.next_value()?,
                7 => doc.coaching_access = map.next_value()?,
                8 => doc.insights_access = map.next_value()?,
                9 => doc.usage_access = map.next_value()?,
                10 => doc.forecast_permissions = map.next_value()?,
                _ => doc.library_folder_access = map.next_value()?,
            }
        }
        doc.id = id.ok_or_else(|| A::Error::missing_field("id"))?;
        Ok(doc)
    }
}

/// A capability's value: a boolean, or an error that says what the field was taken for.
struct Capability;

impl<'de> serde::de::DeserializeSeed<'de> for Capability {
    type Value = bool;

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<bool, D::Error> {
        d.deserialize_any(CapabilityVisitor)
    }
}

struct CapabilityVisitor;

impl serde::de::Visitor<'_> for CapabilityVisitor {
    type Value = bool;

    fn expecting(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("a boolean capability")
    }

    fn visit_bool<E>(self, v: bool) -> Result<bool, E> {
        Ok(v)
    }
}

impl ProfileDoc {
    pub(crate) fn access(&self, d: Domain) -> Option<&AccessDoc> {
        let forecast = self.forecast_permissions.as_ref();
        match d {
            Domain::Calls => self.calls_access.as_ref(),
            Domain::Deals => self.deals_access.as_ref(),
            Domain::Emails => self.emails_access.as_ref(),
            Domain::Coaching => self.coaching_access.as_ref(),
            Domain::Insights => self.insights_access.as_ref(),
            Domain::Usage => self.usage_access.as_ref(),
            Domain::Forecast => forecast.and_then(|f| f.forecast_access.as_ref()),
            Domain::ForecastEditSubmissions => {
                forecast.and_then(|f| f.forecast_edit_submissions.as_ref())
            }
            Domain::ForecastEditTargets => forecast.and_then(|f| f.forecast_edit_targets.as_ref()),
        }
    }

    /// The typed spec; paths are relative to the profile.
    pub(crate) fn to_spec(&self) -> Result<ProfileSpec, ProfileError> {
        let mut spec = ProfileSpec::new(self.id.clone(), self.name.clone().unwrap_or_default());
        spec.description.clone_from(&self.description);
        spec.workspace.clone_from(&self.workspace_id);
        for d in Domain::ALL {
            let Some(doc) = self.access(d) else { continue };
            let level = match doc.permission_level.as_deref() {
                Some(s) => Level::parse(s).ok_or_else(|| {
                    ProfileError::at(
                        format!("{}.permissionLevel", d.path()),
                        ProfileErrorKind::InvalidLevel {
                            value: s.to_owned(),
                        },
                    )
                })?,
                None => {
                    return Err(ProfileError::at(
                        format!("{}.permissionLevel", d.path()),
                        ProfileErrorKind::MissingLevel,
                    ));
                }
            };
            *spec.access_mut(d) = ScopedAccess {
                level,
                team_lead_ids: doc.team_lead_ids.clone().unwrap_or_default(),
            };
        }
        if let Some(lib) = &self.library_folder_access {
            let level = match lib.permission_level.as_deref() {
                Some(s) => LibraryLevel::parse(s).ok_or_else(|| {
                    ProfileError::at(
                        "libraryFolderAccess.permissionLevel",
                        ProfileErrorKind::InvalidLibraryLevel {
                            value: s.to_owned(),
                        },
                    )
                })?,
                None => {
                    return Err(ProfileError::at(
                        "libraryFolderAccess.permissionLevel",
                        ProfileErrorKind::MissingLibraryLevel,
                    ));
                }
            };
            spec.library = LibraryAccess {
                level,
                folder_ids: lib.library_folder_ids.clone().unwrap_or_default(),
                manage_public_folder: lib.manage_public_folder.unwrap_or(false),
                manage_streams: lib.manage_streams.unwrap_or(false),
                manage_folder_calls: lib.manage_folder_calls.unwrap_or(false),
                share_folders_and_streams: lib.share_folders_and_streams.unwrap_or(false),
            };
        }
        for (name, &on) in &self.capabilities {
            spec.capabilities.insert(name.clone(), on);
        }
        Ok(spec)
    }

    pub(crate) fn from_spec(spec: &ProfileSpec) -> ProfileDoc {
        let access = |d: Domain| {
            let a = spec.access(d);
            Some(AccessDoc {
                permission_level: Some(a.level.as_str().to_owned()),
                team_lead_ids: (!a.team_lead_ids.is_empty()).then(|| a.team_lead_ids.clone()),
            })
        };
        let lib = &spec.library;
        let flag = |f: LibraryFlag| lib.flag(f).then_some(true);
        ProfileDoc {
            id: spec.id.clone(),
            name: Some(spec.name.clone()),
            description: spec.description.clone(),
            workspace_id: spec.workspace.clone(),
            calls_access: access(Domain::Calls),
            deals_access: access(Domain::Deals),
            emails_access: access(Domain::Emails),
            coaching_access: access(Domain::Coaching),
            insights_access: access(Domain::Insights),
            usage_access: access(Domain::Usage),
            forecast_permissions: Some(ForecastDoc {
                forecast_access: access(Domain::Forecast),
                forecast_edit_submissions: access(Domain::ForecastEditSubmissions),
                forecast_edit_targets: access(Domain::ForecastEditTargets),
            }),
            library_folder_access: Some(LibraryDoc {
                permission_level: Some(lib.level.as_str().to_owned()),
                library_folder_ids: (!lib.folder_ids.is_empty()).then(|| lib.folder_ids.clone()),
                manage_public_folder: flag(LibraryFlag::ManagePublicFolder),
                manage_streams: flag(LibraryFlag::ManageStreams),
                manage_folder_calls: flag(LibraryFlag::ManageFolderCalls),
                share_folders_and_streams: flag(LibraryFlag::ShareFoldersAndStreams),
            }),
            capabilities: spec
                .capabilities
                .iter()
                .map(|(k, &v)| (k.clone(), v))
                .collect(),
        }
    }
}
