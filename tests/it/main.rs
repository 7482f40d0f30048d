//! Integration tests through the public API: one binary, one module per concept.

mod calls;
mod common;
mod naive;
mod network;
mod objects_document;
mod teams;
