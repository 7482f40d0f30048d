//! Gong's response bodies, built from a model: typed `Serialize` structs with Gong's field
//! names, in Gong's field order.

use serde::Serialize;

use crate::calls::error::CallErrorKind;
use crate::error::{ErrorClass, InputErrorKind};
use crate::model::Model;
use crate::model_error::ModelError;
use crate::profile::error::ProfileErrorKind;
use crate::vendor::gong::profile::PermissionProfileDto;

macro_rules! to_json {
    ($($ty:ty),*) => {$(
        impl $ty {
            /// The body as compact JSON.
            pub fn to_json(&self) -> String {
                serde_json::to_string(self).unwrap_or_default()
            }

            /// The body as a JSON value.
            pub fn to_value(&self) -> serde_json::Value {
                serde_json::to_value(self).unwrap_or_default()
            }
        }
    )*};
}

/// The response of `GET /v2/all-permission-profiles?workspaceId=…`: `{requestId,
/// profiles}`, alphabetically by name.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ProfilesResponse {
    /// The request id.
    pub request_id: String,
    /// The profiles of the workspace.
    pub profiles: Vec<PermissionProfileDto>,
}

/// The response of `GET /v2/permission-profile?profileId=…`: `{requestId, profile}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ProfileResponse {
    /// The request id.
    pub request_id: String,
    /// The profile.
    pub profile: PermissionProfileDto,
}

/// A user of a profile, as seed 000's `PermissionProfileUsersResponse` names it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ProfileUser {
    /// The Gong user id.
    pub user_id: String,
}

/// The response of `GET /v2/permission-profile/users?profileId=…`: `{requestId, users:
/// [{userId}]}`, sorted by user id.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ProfileUsersResponse {
    /// The request id.
    pub request_id: String,
    /// The users holding the profile.
    pub users: Vec<ProfileUser>,
}

/// A user with individual access to a call (`UserAccessDetails`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UserAccess {
    /// The Gong user id.
    pub user_id: String,
}

/// A call and the users with individual access to it (`CallAccessDetails`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CallAccess {
    /// The call id.
    pub call_id: String,
    /// The users, sorted by id.
    pub users: Vec<UserAccess>,
}

/// The response of `POST /v2/calls/users-access`: `{requestId, callAccessList}`, in the
/// order the calls were asked for.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CallAccessResponse {
    /// The request id.
    pub request_id: String,
    /// One entry per call asked for.
    pub call_access_list: Vec<CallAccess>,
}

/// Gong's paging object `records`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Records {
    /// Every record of the listing.
    pub total_records: u64,
    /// The records of this page.
    pub current_page_size: u64,
    /// This page's number, from 0.
    pub current_page_number: u64,
    /// The cursor of the next page; absent on the last one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cursor: Option<String>,
}

/// A user of `GET /v2/users`: the fields the model keeps.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct GongUser {
    /// The Gong user id.
    pub id: String,
    /// Their manager, absent for a root.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub manager_id: Option<String>,
}

/// A page of `GET /v2/users`: `{requestId, records, users}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UsersResponse {
    /// The request id.
    pub request_id: String,
    /// The paging.
    pub records: Records,
    /// The users of the page, sorted by id.
    pub users: Vec<GongUser>,
}

/// Gong's error body `{requestId, errors: [...]}`, with the HTTP status Gong answers it
/// with.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ErrorResponse {
    /// The HTTP status: 404 for a missing profile, user, call or workspace, 400 for anything
    /// else the input got wrong (Gong documents no 409), 500 for a storage failure.
    #[serde(skip)]
    pub status: u16,
    /// The request id.
    pub request_id: String,
    /// The error messages (path and reason, as the library words them).
    pub errors: Vec<String>,
}

to_json!(
    ProfilesResponse,
    ProfileResponse,
    ProfileUsersResponse,
    CallAccessResponse,
    UsersResponse,
    ErrorResponse
);

/// The profile listing of a workspace (`None`: the default one).
///
/// # Examples
///
/// ```
/// use orgperm::{Domain, Level, Model, ProfileSpec};
/// use orgperm::vendor::gong::profiles_response;
/// let mut model = Model::new();
/// model.create_profile(ProfileSpec::new("p2", "reps").with_level(Domain::Calls, Level::Own))?;
/// model.create_profile(ProfileSpec::new("p1", "Admins").with_all_levels(Level::All))?;
/// let body = profiles_response(&model, None, "req-1")?;
/// assert_eq!(body.profiles.iter().map(|p| p.name.as_str()).collect::<Vec<_>>(), ["Admins", "reps"]);
/// assert_eq!(body.to_value()["profiles"][1]["callsAccess"]["permissionLevel"], "own");
/// # Ok::<(), orgperm::ModelError>(())
/// ```
pub fn profiles_response(
    model: &Model,
    workspace: Option<&str>,
    request_id: &str,
) -> Result<ProfilesResponse, ModelError> {
    Ok(ProfilesResponse {
        request_id: request_id.to_owned(),
        profiles: model
            .profiles_in(workspace)?
            .into_iter()
            .map(PermissionProfileDto::from_spec)
            .collect(),
    })
}

/// One profile; an unknown one is a not-found error at `profileId`.
///
/// # Examples
///
/// ```
/// use orgperm::{Model, ProfileSpec};
/// use orgperm::vendor::gong::profile_response;
/// let mut model = Model::new();
/// model.create_profile(ProfileSpec::new("p1", "Reps").with_capability("scoreCalls", true))?;
/// let body = profile_response(&model, "p1", "req-1")?;
/// assert_eq!(body.to_value()["profile"]["scoreCalls"], true);
/// assert_eq!(profile_response(&model, "p9", "req-2").unwrap_err().path(), "profileId");
/// # Ok::<(), orgperm::ModelError>(())
/// ```
pub fn profile_response(
    model: &Model,
    profile: &str,
    request_id: &str,
) -> Result<ProfileResponse, ModelError> {
    let spec = model
        .profile(profile)
        .ok_or_else(|| unknown_profile(profile))?;
    Ok(ProfileResponse {
        request_id: request_id.to_owned(),
        profile: PermissionProfileDto::from_spec(spec),
    })
}

fn unknown_profile(profile: &str) -> ModelError {
    ModelError::at(
        "profileId",
        ProfileErrorKind::UnknownProfile {
            id: profile.to_owned(),
        },
    )
}

/// The users holding a profile, sorted by id.
///
/// # Examples
///
/// ```
/// use orgperm::{Model, ProfileSpec};
/// use orgperm::vendor::gong::profile_users_response;
/// let mut model = Model::new();
/// model.add_user("7", None)?;
/// model.create_profile(ProfileSpec::new("p1", "Reps"))?;
/// model.assign_profile("7", "p1")?;
/// let body = profile_users_response(&model, "p1", "req-1")?;
/// assert_eq!(body.to_json(), r#"{"requestId":"req-1","users":[{"userId":"7"}]}"#);
/// # Ok::<(), orgperm::ModelError>(())
/// ```
pub fn profile_users_response(
    model: &Model,
    profile: &str,
    request_id: &str,
) -> Result<ProfileUsersResponse, ModelError> {
    if model.profile(profile).is_none() {
        return Err(unknown_profile(profile));
    }
    Ok(ProfileUsersResponse {
        request_id: request_id.to_owned(),
        users: model
            .users_of_profile(profile)?
            .into_iter()
            .map(|u| ProfileUser {
                user_id: u.to_owned(),
            })
            .collect(),
    })
}

/// The individual access of the calls asked for (`filter.callIds`), in that order; an
/// unknown call is a not-found error at `filter.callIds[i]`. Only individual grants are
/// listed, as Gong does (not sharees, participants or profile scopes).
///
/// # Examples
///
/// ```
/// use orgperm::{CallSpec, Model};
/// use orgperm::vendor::gong::call_access_response;
/// let mut model = Model::new();
/// model.add_user("ada", None)?;
/// model.add_user("bob", None)?;
/// model.calls_mut().add_call(CallSpec::new("c1", "ada").granted_to(["bob"]).shared_with(["ada"]))?;
/// let body = call_access_response(&model, &["c1"], "req-1")?;
/// assert_eq!(body.to_json(), r#"{"requestId":"req-1","callAccessList":[{"callId":"c1","users":[{"userId":"bob"}]}]}"#);
/// assert_eq!(call_access_response(&model, &["c1", "c9"], "r").unwrap_err().path(), "filter.callIds[1]");
/// # Ok::<(), orgperm::ModelError>(())
/// ```
pub fn call_access_response(
    model: &Model,
    calls: &[&str],
    request_id: &str,
) -> Result<CallAccessResponse, ModelError> {
    let mut list = Vec::with_capacity(calls.len());
    for (i, call) in calls.iter().enumerate() {
        let grants = model.calls().call_grants(call).map_err(|_| {
            ModelError::at(
                format!("filter.callIds[{i}]"),
                CallErrorKind::UnknownCall {
                    id: (*call).to_owned(),
                },
            )
        })?;
        list.push(CallAccess {
            call_id: (*call).to_owned(),
            users: grants
                .into_iter()
                .map(|u| UserAccess {
                    user_id: u.to_owned(),
                })
                .collect(),
        });
    }
    Ok(CallAccessResponse {
        request_id: request_id.to_owned(),
        call_access_list: list,
    })
}

/// One page of `GET /v2/users`: the active users sorted by id, `page_size` of them from the
/// position the cursor names (`None`: the first page). The cursor is the decimal position of
/// the page's first user; an unparsable one or a position past the end, and a page size of
/// zero, are [`InputErrorKind::InvalidPaging`] errors at `cursor` and `pageSize`.
///
/// # Examples
///
/// ```
/// use orgperm::Model;
/// use orgperm::vendor::gong::users_page;
/// let mut model = Model::new();
/// model.add_user("1", None)?;
/// model.add_user("2", Some("1"))?;
/// model.add_user("3", Some("1"))?;
/// let first = users_page(&model, None, 2, "r1")?;
/// assert_eq!(first.records.cursor.as_deref(), Some("2"));
/// let last = users_page(&model, first.records.cursor.as_deref(), 2, "r2")?;
/// assert_eq!(last.to_json(), r#"{"requestId":"r2","records":{"totalRecords":3,"currentPageSize":1,"currentPageNumber":1},"users":[{"id":"3","managerId":"1"}]}"#);
/// # Ok::<(), orgperm::ModelError>(())
/// ```
pub fn users_page(
    model: &Model,
    cursor: Option<&str>,
    page_size: usize,
    request_id: &str,
) -> Result<UsersResponse, ModelError> {
    if page_size == 0 {
        return Err(ModelError::at(
            "pageSize",
            InputErrorKind::InvalidPaging {
                reason: "the page size must be at least 1",
            },
        ));
    }
    let mut ids: Vec<&str> = model.user_ids().collect();
    ids.sort_unstable();
    let start = match cursor {
        None => 0,
        Some(c) => c
            .parse::<usize>()
            .ok()
            .filter(|&s| s > 0 && s < ids.len())
            .ok_or_else(|| {
                ModelError::at(
                    "cursor",
                    InputErrorKind::InvalidPaging {
                        reason: "not a cursor of this listing",
                    },
                )
            })?,
    };
    let end = start.saturating_add(page_size).min(ids.len());
    let users: Vec<GongUser> = ids
        .get(start..end)
        .unwrap_or(&[])
        .iter()
        .map(|&u| GongUser {
            id: u.to_owned(),
            manager_id: model.manager_of(u).map(str::to_owned),
        })
        .collect();
    Ok(UsersResponse {
        request_id: request_id.to_owned(),
        records: Records {
            total_records: ids.len() as u64,
            current_page_size: users.len() as u64,
            current_page_number: (start / page_size) as u64,
            cursor: (end < ids.len()).then(|| end.to_string()),
        },
        users,
    })
}

/// Gong's error body for an error, with its status.
///
/// # Examples
///
/// ```
/// use orgperm::Model;
/// use orgperm::vendor::gong::{error_response, profile_response};
/// let err = profile_response(&Model::new(), "p9", "req-1").unwrap_err();
/// let body = error_response("req-1", &err);
/// assert_eq!(body.status, 404);
/// assert_eq!(body.to_json(), r#"{"requestId":"req-1","errors":["profileId: unknown profile \"p9\""]}"#);
/// ```
pub fn error_response(request_id: &str, error: &ModelError) -> ErrorResponse {
    ErrorResponse {
        status: match error.kind().class() {
            ErrorClass::NotFound => 404,
            ErrorClass::Invalid | ErrorClass::Conflict => 400,
            ErrorClass::Storage => 500,
        },
        request_id: request_id.to_owned(),
        errors: vec![error.to_string()],
    }
}
