//! Quantive (Gtmhub) items and their access lists (the semantics page §3, item access).
//!
//! Items are sessions, goals (in a session), metrics (in a goal), insight boards and
//! dashboards, in one id space. Each has a type, a parent (goals and metrics), owners, an
//! optional creator and an optional access list `{inherits, permissions}` granting the verbs
//! read, update, create, delete and modifyPermissions to users, teams (optionally with
//! sub-teams), roles or the whole account.
//!
//! **Effective list** of an item `x`, resolved once at compile time:
//!
//! - `x` has a list with `inherits = false`: its own entries;
//! - `x` has a list with `inherits = true`: its parent's effective list, as it is (`x`'s own
//!   entries are kept and exported but not evaluated); an item without a parent that says
//!   `inherits = true` is treated as having no list;
//! - `x` has no list: its per-item default (sessions and dashboards), else its type's
//!   default, else for a session the **unconfigured-session default** (every user reads,
//!   updates, creates and deletes; only the creator and admins — holders of the flat
//!   `admin` permission — modify permissions), for a goal or metric the parent's effective
//!   list, and for an insight board or dashboard nothing (nobody but owners).
//!
//! Then the role layer, the view-only cap and ownership apply: see [`query`].
//!
//! An entry naming a principal that was removed later (a user, team or role) grants nothing
//! and is left out of [`Model::item`](crate::Model::item) and of exports; as with call
//! participants, adding a principal with the same id again revives it (dense ids are never
//! reused for another id).
//!
//! Files: [`verbs`] (item types, verbs, [`ItemVerbs`]), [`access`] (access lists and
//! gates), [`store`] (the model's items and edits), [`rbac_link`] (the few functions that
//! read the roles layer), [`compiled`] (lists resolved and interned, per-user words),
//! [`query`] (checks and readable items), [`reverse`] (who may do a verb on an item, the
//! items a user may do a verb on), [`explain`] (decisions), [`item_set`] (the reverse
//! queries' item answer), [`doc`] (the document sections).

pub(crate) mod access;
pub(crate) mod compiled;
pub(crate) mod doc;
pub(crate) mod error;
pub(crate) mod explain;
pub(crate) mod item_set;
pub(crate) mod query;
pub(crate) mod rbac_link;
mod reason;
pub(crate) mod reverse;
pub(crate) mod store;
pub(crate) mod verbs;

pub use access::{AccessEntry, AccessSpec, ItemGate, PrincipalKind};

pub use item_set::ItemSet;
pub use query::Items;
pub use reason::{ItemPrincipal, ItemReason, ListOrigin};
pub use store::{ItemId, ItemSpec};
pub use verbs::{ItemType, ItemVerbs, ItemVerbsIter, Verb};
