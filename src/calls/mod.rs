//! Gong calls: owner, internal participants, workspace, private flag, shares, library folders
//! and individual user grants, and who may open them.
//!
//! [`store`] holds the editable calls of the model; [`compiled`] the compact arrays a
//! snapshot answers from (`tables` their chunked, patchable indexes); [`query`] the checks, explanations and reverse queries;
//! [`call_set`] the roaring-backed answer of the reverse queries; [`doc`] the `calls`
//! section of the model document.

pub(crate) mod call_set;
pub(crate) mod compiled;
pub(crate) mod doc;
pub(crate) mod error;
pub(crate) mod query;
mod reason;
pub(crate) mod store;
mod tables;
pub(crate) mod viewers;

pub use call_set::CallSet;
pub use query::Calls;
pub use reason::CallReason;
pub use store::{CallId, CallSpec};
