//! The organisation: the user directory (a forest of manager links), workspaces with their
//! library folders, and the compiled interval index of the org tree.

pub(crate) mod assignment;
pub(crate) mod chunked;
pub(crate) mod compiled;
pub(crate) mod directory;
pub(crate) mod doc;
pub(crate) mod error;
pub(crate) mod tree;
pub(crate) mod user_set;
pub(crate) mod workspace;
