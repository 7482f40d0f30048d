//! Symphony Connect per-network permissions: external networks as data, each with a catalog
//! of permission names flagged `isDefault`; advisors (directory users) entitled per network,
//! holding permissions there; external contacts on one network each, and the rooms built
//! from them. Permissions carry the vendor's `permissionId` on a tenant-wide list; composite
//! features may be defined as data; [`Model::onboard_advisor`](crate::Model::onboard_advisor)
//! entitles an advisor the directory does not have yet.
//!
//! [`store`] holds the editable state and the vendor's edit operations; [`compiled`] the
//! per-(advisor, network) bitsets and the checks; [`feature`] the composite features;
//! [`doc`] the `networks`, `contacts` and `advisors` sections of the model document.

pub(crate) mod compiled;
pub(crate) mod doc;
pub(crate) mod error;
pub(crate) mod feature;
mod reason;
pub(crate) mod store;
mod table;

pub use compiled::Networks;
pub use feature::NetworkFeature;
pub use reason::NetworkReason;
pub use store::{BulkGrantResult, ContactId, NetworkId, NetworkPermissionId};
