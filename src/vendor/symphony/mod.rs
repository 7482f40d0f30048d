//! Symphony Connect: the tenant-wide permission list, each external network's catalog,
//! advisors' permissions per network and the bulk add, read from and written to the bodies
//! of the Connect permissions API (seed 004).
//!
//! [`SymphonyReader`] reads bodies one after another into a [`Model`](crate::Model) and
//! records the [`ChangeSet`](crate::ChangeSet) that leads there; the writers
//! ([`permissions_response`], [`catalog_response`], [`advisor_permissions_response`],
//! [`bulk_add_response`], [`problem`]) answer in Symphony's shapes.
//!
//! # Bodies
//!
//! The seed names the endpoints, path parameters and request fields but shows no response
//! schema; the response shapes below are this library's reading, built from the seed's
//! field names (`advisorSymphonyId`, `externalNetwork`, `permissionName`, the permission's
//! id, name and `isDefault`) and kept symmetric between reader and writer. Every listing is
//! read either as the object shown or as its bare `permissions` array.
//!
//! | endpoint | body |
//! |---|---|
//! | `GET /api/v1/customer/permissions` | `{permissions: [{permissionId, permissionName}]}` |
//! | `GET /api/v1/customer/externalNetwork/{externalNetwork}/permissions` | `{externalNetwork, permissions: [{permissionId, permissionName, isDefault}]}` |
//! | `GET /api/v2/customer/advisors/{advisorSymphonyId}/externalNetwork/{externalNetwork}/permissions` | `{advisorSymphonyId, externalNetwork, permissions: [{permissionId, permissionName}]}` (an element may also be a bare name) |
//! | `POST` the same path | request `{permissionName}` |
//! | `POST /api/v2/customer/advisors/permissions` | request `{advisorSymphonyIds, externalNetwork, permissionName}`; response `{externalNetwork, permissionName, results: [{advisorSymphonyId, status, title?, detail?}]}` |
//! | any error | a problem object `{type: "about:blank", title, status, detail}`, titles in [`problem`] |
//!
//! The seed shows no paging for these endpoints, so each body is one complete answer.
//!
//! # Mapping
//!
//! `permissionId` is the vendor's id of a permission, tenant-wide (one id per name, the
//! same on every network): [`NetworksMut::define_permission`](crate::NetworksMut::define_permission).
//! `permissionName` is the name the catalogs, grants and checks use. Path parameters
//! (`advisorSymphonyId`, `externalNetwork`) are given to the reader; a body that repeats
//! one must agree with it. An advisor read but unknown to the directory is added to it
//! ([`Model::onboard_advisor`](crate::Model::onboard_advisor)): Symphony advisors need not
//! be in the org chart. The bulk add's per-advisor `status` is the HTTP status a single add
//! would answer (200 on success) with the problem `title` and `detail` of its error.
//!
//! # Fields ignored as informational
//!
//! - a permission object: `description`;
//! - a bulk-add result: `title` and `detail` (only `status` 200 means granted).
//!
//! Any other unknown field is an [`UnknownField`](crate::InputErrorKind::UnknownField)
//! error naming its path (`permissions[3].isDefualt`), or, with
//! [`Strictness::Lenient`], skipped and returned as a
//! warning. Wrong types, repeated fields and the model's rules stay errors; nothing of a
//! failing body is applied.

mod read;
mod write;

pub use super::{Imported, Strictness};
pub use read::SymphonyReader;
pub use write::{
    AdvisorPermissionsResponse, BulkAddResponse, BulkAddResult, CatalogEntryDto, CatalogResponse,
    PermissionDto, PermissionsResponse, Problem, advisor_permissions_response, bulk_add_response,
    catalog_response, permissions_response, problem,
};
