//! The gong adapter.
