//! Integration tests through the public API: one binary, one module per concept.

mod common;
mod rbac;
mod rbac_reference;
