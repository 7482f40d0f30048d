//! Whether two snapshots belong to one model lineage: every id table of the older one is a
//! prefix of the newer one's, so a dense id names the same object in both.
//!
//! Snapshots compiled from one [`Model`](crate::Model) and its edits always are (ids are
//! append-only, a removed object keeps its slot). Two documents loaded separately are when
//! the second was written from the first's model after additions only; a removal or a
//! reordering renumbers the reloaded document.

use core::fmt;

use crate::id::{DenseId, Interner};
use crate::snapshot::Snapshot;

/// Why two snapshots are not of one lineage: the first id table where their dense ids
/// disagree.
///
/// # Examples
///
/// ```
/// use orgperm::{Impact, Model};
/// let old = Model::from_json(r#"{"version": 1, "users": [{"id": "a"}, {"id": "b"}]}"#)?;
/// let new = Model::from_json(r#"{"version": 1, "users": [{"id": "b"}, {"id": "a"}]}"#)?;
/// let conflict = Impact::check_lineage(&old.compile(), &new.compile()).unwrap_err();
/// assert_eq!(conflict.table, "user");
/// assert_eq!((conflict.index, conflict.before.as_str(), conflict.after.as_str()), (0, "a", "b"));
/// # Ok::<(), orgperm::ModelError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LineageConflict {
    /// The id table: `user`, `workspace`, `folder`, `profile`, `capability`, `team`, `call`,
    /// `item`, `permission`, `role`, `division`, `resource`, `group`, `action`, `network`,
    /// `networkPermission` or `contact`.
    pub table: &'static str,
    /// The dense index where they differ.
    pub index: usize,
    /// The id at that index before.
    pub before: String,
    /// The id at that index after.
    pub after: String,
}

impl fmt::Display for LineageConflict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the snapshots are not of one lineage: {} #{} is {:?} before and {:?} after",
            self.table, self.index, self.before, self.after
        )
    }
}

impl std::error::Error for LineageConflict {}

/// The first index where the shorter table is not a prefix of the longer one.
fn table<I: DenseId>(
    name: &'static str,
    before: &Interner<I>,
    after: &Interner<I>,
) -> Result<(), LineageConflict> {
    let mismatch = before
        .iter()
        .zip(after.iter())
        .enumerate()
        .find(|(_, ((_, b), (_, a)))| b != a);
    match mismatch {
        None => Ok(()),
        Some((index, ((_, b), (_, a)))) => Err(LineageConflict {
            table: name,
            index,
            before: b.to_owned(),
            after: a.to_owned(),
        }),
    }
}

/// Checks every id table of the two snapshots, skipping the compiled parts they share.
pub(super) fn check(before: &Snapshot, after: &Snapshot) -> Result<(), LineageConflict> {
    use std::sync::Arc;
    let (b, a) = (before, after);
    if !Arc::ptr_eq(&b.org, &a.org) {
        table("user", &b.org.users, &a.org.users)?;
        table("workspace", &b.org.workspaces, &a.org.workspaces)?;
        table("folder", &b.org.folders, &a.org.folders)?;
    }
    if !Arc::ptr_eq(&b.profiles, &a.profiles) {
        table("profile", &b.profiles.profile_ids, &a.profiles.profile_ids)?;
        table(
            "capability",
            &b.profiles.capabilities,
            &a.profiles.capabilities,
        )?;
    }
    if !Arc::ptr_eq(&b.teams, &a.teams) {
        table("team", &b.teams.ids, &a.teams.ids)?;
    }
    if !Arc::ptr_eq(&b.calls, &a.calls) {
        table("call", &b.calls.ids, &a.calls.ids)?;
    }
    if !Arc::ptr_eq(&b.items, &a.items) {
        table("item", &b.items.ids, &a.items.ids)?;
    }
    if !Arc::ptr_eq(&b.rbac, &a.rbac) {
        let (x, y) = (&b.rbac, &a.rbac);
        table("permission", &x.permissions, &y.permissions)?;
        table("role", &x.role_ids, &y.role_ids)?;
        table("division", &x.division_ids, &y.division_ids)?;
        table("resource", &x.resource_ids, &y.resource_ids)?;
        table("group", &x.group_ids, &y.group_ids)?;
        table("action", &x.action_ids, &y.action_ids)?;
    }
    if !Arc::ptr_eq(&b.networks, &a.networks) {
        let (x, y) = (b.networks.id_tables(), a.networks.id_tables());
        table("network", x.0, y.0)?;
        table("networkPermission", x.1, y.1)?;
        table("contact", x.2, y.2)?;
    }
    Ok(())
}
