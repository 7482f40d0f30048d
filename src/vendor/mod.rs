//! Vendor adapters: read what each vendor's API returns, page by page, into a model or a
//! change set, and answer in the vendor's own shapes.
//!
//! One module per vendor: [`gong`] (permission profiles and call access), [`genesys`] (roles,
//! divisions, user authorization), [`gtmhub`] (Quantive actions and permission objects),
//! [`symphony`] (Connect networks and advisor permissions). [`export`] reads a folder of one
//! vendor's saved bodies, named by a manifest, into one model.

pub mod export;
pub mod genesys;
pub mod gong;
pub mod gtmhub;
pub(crate) mod reading;
pub(crate) mod strict;
pub mod symphony;

pub use strict::{Imported, Strictness};
