//! Teams (Quantive-style): a tree of teams with sub-teams at any depth, and their members
//! (directory users).
//!
//! The model keeps the parent links and member lists ([`store`]); the snapshot compiles them
//! with the same preorder interval index as the org chart ([`compiled`]), so "is `u` in team
//! `T` or any of its sub-teams" is one binary search over `u`'s few teams, and follows every
//! later change of the tree once recompiled.

pub(crate) mod compiled;
pub(crate) mod doc;
pub(crate) mod error;
mod reason;
pub(crate) mod store;

pub use compiled::Teams;
pub use reason::TeamReason;
pub use store::TeamId;
