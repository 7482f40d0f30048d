//! Vendor adapters: read what a vendor's API returns, exactly as it sends it, into a model.
//!
//! One module per vendor. Today: [`gong`] (permission-profile bodies). Genesys Cloud,
//! Quantive and Symphony adapters, answers in the vendors' shapes and change sets from
//! vendor deltas are not written yet.

pub mod gong;
