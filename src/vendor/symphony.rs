//! The symphony adapter.
