//! Gong: permission profiles, the users holding them, the directory and individual call
//! access, read from and written to the bodies of Gong's API.
//!
//! [`GongReader`] reads response (and request) bodies one after another into a [`Model`],
//! and records the [`ChangeSet`](crate::ChangeSet) that leads from the model it started
//! from to the result; the writers ([`profiles_response`], [`profile_response`],
//! [`profile_users_response`], [`call_access_response`], [`users_page`],
//! [`error_response`]) answer in Gong's shapes.
//!
//! # Bodies read
//!
//! | endpoint | body | reader |
//! |---|---|---|
//! | `GET /v2/users` | `{requestId, records: {totalRecords, currentPageSize, currentPageNumber, cursor}, users: [{id, managerId, ...}]}` | [`GongReader::read_users_page`] |
//! | `GET /v2/all-permission-profiles` (seed 001) | `{requestId, profiles: [PermissionProfileDTO]}` | [`GongReader::read_profiles`] |
//! | `GET /workspaces/{id}/permission-profiles` (seed 000) | `{requestId, permissionProfiles: [PermissionProfile]}` | [`GongReader::read_profiles`] |
//! | `GET /v2/permission-profile` | `{requestId, profile}` (seed 000: `permissionProfile`) | [`GongReader::read_profile`] |
//! | `GET /v2/permission-profile/users` | `{requestId, users: [{id, fullName, emailAddress}]}` (seed 000: `{userId, emailAddress, firstName, lastName}`) | [`GongReader::read_profile_users`] |
//! | `POST /v2/calls/users-access` (response) | `{requestId, callAccessList: [{callId, users: [{userId}]}]}` | [`GongReader::read_call_access`] |
//! | `PUT` / `DELETE /v2/calls/users-access` | `{callAccessList: [{callId, userIds}]}` | [`GongReader::read_call_access_change`] |
//! | `POST /v2/calls/users-access` (request) | `{filter: {callIds}}` | [`read_call_access_filter`] |
//!
//! Only the users listing is paged (`records`, cursor paging); the seeds define no paging
//! for the permission bodies, so each of them is one complete answer.
//!
//! # Field mapping
//!
//! A `PermissionProfileDTO` maps one to one onto [`ProfileSpec`](crate::ProfileSpec): `id`,
//! `name`, `description`, the seven `*Access` objects and `forecastPermissions.*`
//! (`{permissionLevel, teamLeadIds}`, the level required, leads optional or `null`),
//! `libraryFolderAccess` (`permissionLevel` required), and every other boolean field a
//! capability, documented or not (`false` ones kept; a `null` one is not set). A domain
//! left out grants nothing (level `none`). The profile's workspace is the listing's
//! (`workspaceId` query parameter, given to the reader), or the `workspaceId` the profile
//! carries; the two must agree.
//!
//! The seed-000 profile `{profileId, name, description, workspaceId, permissions{...},
//! userCount}` is read as:
//!
//! | seed 000 | read as |
//! |---|---|
//! | `profileId` | `id` |
//! | `permissions.viewAllCalls` | `callsAccess` `all` |
//! | `permissions.viewTeamCalls` (without `viewAllCalls`) | `callsAccess` `report-to-them`: "team members' calls" is taken as the viewer's own team, the narrower reading |
//! | `permissions.viewOwnCalls` (alone) | `callsAccess` `own` |
//! | none of the three | `callsAccess` `none` |
//! | `permissions.downloadRecordings` | capability `downloadCallMedia` |
//! | `permissions.shareExternally` | capability `shareCallsWithCustomers` |
//! | `permissions.createScorecards` | capability `scoreCalls` ("create and fill scorecards") |
//! | `permissions.manageSettings` | capability `manageGeneralBusinessSettings` |
//! | `permissions.manageUsers` | capability `manageUsers` (no DTO counterpart: kept under its own name) |
//! | any other boolean in `permissions` | a capability of that name |
//!
//! Every other domain of a seed-000 profile is `none` and its library access `none`. The
//! writers answer in the DTO shape of seed 001.
//!
//! # Fields ignored as read-only or informational
//!
//! - every body: `requestId`;
//! - seed-000 profile: `userCount` (a count the server derives);
//! - user of a profile: `emailAddress`, `firstName`, `lastName`, `fullName`;
//! - `/v2/users` user: `emailAddress`, `created`, `active`, `emailAliases`,
//!   `trustedEmailAddress`, `firstName`, `lastName`, `title`, `phoneNumber`, `extension`,
//!   `personalMeetingUrls`, `settings`, `meetingConsentPageUrl`, `spokenLanguages` (an
//!   inactive Gong user stays in the org tree: their reports and calls keep their place).
//!
//! Any other field the vendor does not define is an [`UnknownField`] error naming its path
//! (`profiles[2].callsAccess.permissionLevl`), or, with [`Strictness::Lenient`], skipped
//! and returned as a warning with the same path. A profile's unknown *boolean* fields are
//! capabilities, not unknown fields (semantics §1). Type errors, repeated fields, unknown
//! users, folders and calls, and the model's rules stay errors in both modes; nothing of a
//! failing body is applied.
//!
//! [`UnknownField`]: crate::InputErrorKind::UnknownField
//! [`Strictness::Lenient`]: crate::vendor::Strictness::Lenient
//! [`Model`]: crate::Model

mod profile;
mod read;
mod write;

pub use super::{Imported, Strictness};
pub use profile::{
    AccessDto, ForecastPermissionsDto, LibraryFolderAccessDto, PermissionProfileDto,
};
pub use read::{CallAccessChange, GongReader, read_call_access_filter};
pub use write::{
    CallAccess, CallAccessResponse, ErrorResponse, GongUser, ProfileResponse, ProfileUser,
    ProfileUsersResponse, ProfilesResponse, Records, UserAccess, UsersResponse,
    call_access_response, error_response, profile_response, profile_users_response,
    profiles_response, users_page,
};
