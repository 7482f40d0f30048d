//! Integration tests through the public API: one binary, one module per concept.

mod common;
mod document;
mod profiles_reference;
mod profiles_semantics;
mod shapes;
mod validation;
