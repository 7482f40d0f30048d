//! Integration tests through the public API: one binary, one module per concept.

mod calls;
mod calls_edges;
mod common;
mod document;
mod engine;
mod errors;
mod items;
mod items_reference;
mod layering;
mod lifecycle;
mod naive;
mod network;
mod network_edges;
mod objects_document;
mod profiles_edges;
mod profiles_reference;
mod profiles_semantics;
mod rbac;
mod rbac_edges;
mod rbac_reference;
mod scale;
mod shapes;
mod strict_document;
mod teams;
mod validation;
mod views;
