//! Roles (Genesys `DomainOrganizationRole`): flat permissions and permission policies
//! `{domain, entityName, actionSet, resourceConditionNode}`, with create, get, update, delete
//! and a paged, sorted, filtered listing with user counts.
//!
//! Split by concern: [`spec`] (the role and policy specs and their validation against the
//! catalog), [`store`] (the roles of a model), [`edits`] (create, get, update, delete) and
//! [`listing`] (the paged, sorted, filtered listing).

mod edits;
mod listing;
mod spec;
mod store;

pub use listing::{CursorPage, RoleCursor, RoleQuery, RoleSort, RoleSummary};
pub use spec::{PolicySpec, RoleSpec, WILDCARD};
pub(crate) use store::Roles;
