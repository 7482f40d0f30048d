//! The Gong adapter: reads Gong permission-profile bodies, exactly as Gong sends them, into a
//! [`Model`](crate::Model).
//!
//! # Shapes read
//!
//! [`read_profiles`] (strict) and [`ProfileReader`] (strict or lenient) take one body of:
//!
//! | Body | Source | Profiles are |
//! |---|---|---|
//! | `{requestId, profiles: [PermissionProfileDTO, …]}` | `GET /v2/all-permission-profiles` (one page) | `PermissionProfileDTO` |
//! | `{requestId, profile: PermissionProfileDTO}` | a single profile | `PermissionProfileDTO` |
//! | `{requestId, permissionProfiles: [PermissionProfile, …]}` | seed-000 `PermissionProfilesResponse` | seed-000 variant |
//! | `{requestId, permissionProfile: PermissionProfile}` | seed-000 `PermissionProfileResponse` | seed-000 variant |
//!
//! A body holds exactly one of the four keys. Every profile is created in the workspace given
//! to the reader, or replaces the profile with the same id (an update). The page is checked
//! whole before the model is touched, and applied all or nothing: on any error the model is as
//! it was. Two profiles with one id in a page are an error. A `null` value is read as an
//! absent field.
//!
//! # Field mapping: `PermissionProfileDTO`
//!
//! The conversion is the model document's own (the same as the `profiles` section of
//! [`ModelDocument`](crate::ModelDocument)):
//!
//! | Gong field | orgperm |
//! |---|---|
//! | `id` (required) | [`ProfileSpec::id`](crate::ProfileSpec::id) |
//! | `name`, `description` | `ProfileSpec::name`, `ProfileSpec::description` |
//! | `callsAccess`, `dealsAccess`, `emailsAccess`, `coachingAccess`, `insightsAccess`, `usageAccess` | the [`Domain`](crate::Domain) of that name: `permissionLevel` → [`Level`](crate::Level), `teamLeadIds` → [`ScopedAccess::team_lead_ids`](crate::ScopedAccess::team_lead_ids) |
//! | `forecastPermissions.forecastAccess`, `.forecastEditSubmissions`, `.forecastEditTargets` | `Domain::Forecast`, `Domain::ForecastEditSubmissions`, `Domain::ForecastEditTargets` |
//! | `libraryFolderAccess` | [`LibraryAccess`](crate::LibraryAccess): `permissionLevel` → [`LibraryLevel`](crate::LibraryLevel), `libraryFolderIds`, and the four [`LibraryFlag`](crate::LibraryFlag)s |
//! | the 42 documented booleans (`scoreCalls` … `dealsDataExport`) | capabilities of the same name ([`Capability::documented`](crate::Capability::documented)) |
//!
//! An absent domain is [`Level::None`](crate::Level::None); an access object without its
//! `permissionLevel` is an error, as in the model document.
//!
//! # Field mapping: the seed-000 variant
//!
//! | Gong field | orgperm |
//! |---|---|
//! | `profileId` (required) | `ProfileSpec::id` |
//! | `name`, `description` | `ProfileSpec::name`, `ProfileSpec::description` |
//! | `workspaceId` | must equal the workspace read into (else a conflict) |
//! | `permissions.viewAllCalls` / `viewTeamCalls` / `viewOwnCalls` | `callsAccess` level `all` / `report-to-them` / `own`, the widest that is `true`; none `true` is `none` |
//! | `permissions.downloadRecordings` | capability `downloadCallMedia` |
//! | `permissions.shareExternally` | capability `shareCallsWithCustomers` |
//! | `permissions.createScorecards` | capability `scoreCalls` |
//! | `permissions.manageSettings` | capability `manageGeneralBusinessSettings` |
//! | `permissions.manageUsers` | capability `manageUsers` (no documented equivalent: kept under its own name) |
//!
//! A flag present as `false` is kept as a `false` capability, as `ProfileSpec` keeps them.
//!
//! # Ignored fields
//!
//! Only fields the seeds document as informational or read-only are skipped, unchecked:
//!
//! - `requestId` of every wrapper ("a Gong request reference Id … for troubleshooting");
//! - `userCount` of a seed-000 profile (the number of users assigned, derived by Gong).
//!
//! # Strict and lenient
//!
//! Any other field is an error, `InputErrorKind::UnknownField` at the field's path, such as
//! `profiles[1].callsAccess.permissionLevl`; a value of the wrong JSON type is
//! `InputErrorKind::WrongType` at its path. A lenient reader ([`ProfileReader::lenient`])
//! returns each unknown field as a [`Warning`] with its path instead: an unknown boolean
//! directly in a `PermissionProfileDTO` is kept as a tenant-specific capability
//! ([`WarningKind::KeptAsCapability`]), any other unknown field is left out
//! ([`WarningKind::Ignored`]). Warnings come profile by profile, the fields of one object in
//! the order of their names.
//!
//! # Examples
//!
//! ```
//! use orgperm::{Domain, Model};
//! use orgperm::vendor::gong::read_profiles;
//!
//! let mut model = Model::with_default_workspace("w1")?;
//! model.add_user("boss", None)?;
//! model.add_user("rep", Some("boss"))?;
//! let page = r#"{
//!   "requestId": "4al018gzaztcr8nbukw",
//!   "profiles": [
//!     {"id": "3843152912968920037", "name": "Managers",
//!      "callsAccess": {"permissionLevel": "report-to-them"}, "scoreCalls": true},
//!     {"id": "3843152912968920038", "name": "Reps",
//!      "callsAccess": {"permissionLevel": "own"}}
//!   ]
//! }"#;
//! let warnings = read_profiles(page, "w1", &mut model)?;
//! assert!(warnings.is_empty());
//! model.assign_profile("boss", "3843152912968920037")?;
//! model.assign_profile("rep", "3843152912968920038")?;
//! let snap = model.compile();
//! assert!(snap.can_access("boss", Domain::Calls, "rep"));
//! assert!(!snap.can_access("rep", Domain::Calls, "boss"));
//! # Ok::<(), orgperm::ModelError>(())
//! ```

mod read;

pub use read::{ProfileReader, Warning, WarningKind, read_profiles};
