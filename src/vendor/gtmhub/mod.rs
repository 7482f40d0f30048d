//! The gtmhub adapter.
