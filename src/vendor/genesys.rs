//! The genesys adapter.
