//! The answer of a reverse query: a set of users, kept as a roaring bitmap over org-tree
//! preorder positions (where a subtree is one run), iterated as user ids.

use roaring::RoaringBitmap;

use crate::id::key::Key;
use crate::id::{DenseId, UserId};
use crate::org::compiled::CompiledOrg;

/// A set of users answering a reverse query (`visible_owners`, `who_can_access`,
/// `users_with_profile`).
///
/// Internally a [`RoaringBitmap`] over org-chart preorder positions: a manager's team is one
/// run, so the sets are small and fast to build. Iteration yields users in org-chart preorder
/// (every manager before their reports, siblings in dense-id order);
/// [`UserSet::to_sorted_ids`] gives dense-id order. Dense ids follow the order users were
/// first added, and a model read from a document adds them in the document's (sorted) order,
/// so compare the answers of two models as sets, not sequences.
///
/// # Examples
///
/// ```
/// use orgperm::{Domain, Level, Model, ProfileSpec};
/// let mut model = Model::new();
/// model.add_user("boss", None).unwrap();
/// model.add_user("rep", Some("boss")).unwrap();
/// model.create_profile(ProfileSpec::new("p", "Managers").with_level(Domain::Calls, Level::ReportToThem)).unwrap();
/// model.assign_profile("boss", "p").unwrap();
/// let snap = model.compile();
/// let team = snap.profiles().visible_owners("boss", Domain::Calls);
/// assert_eq!(team.len(), 2);
/// assert!(team.contains("rep"));
/// assert_eq!(team.external_ids().collect::<Vec<_>>(), ["boss", "rep"]);
/// ```
#[derive(Clone, Debug)]
pub struct UserSet<'s> {
    positions: RoaringBitmap,
    org: &'s CompiledOrg,
}

impl<'s> UserSet<'s> {
    pub(crate) fn from_positions(positions: RoaringBitmap, org: &'s CompiledOrg) -> Self {
        Self { positions, org }
    }

    /// The preorder positions, by value.
    pub(crate) fn into_positions(self) -> RoaringBitmap {
        self.positions
    }

    /// Number of users.
    pub fn len(&self) -> u64 {
        self.positions.len()
    }

    /// Whether the set is empty.
    pub fn is_empty(&self) -> bool {
        self.positions.is_empty()
    }

    /// Whether the set holds `user`.
    pub fn contains(&self, user: impl Key<UserId>) -> bool {
        self.org
            .active(&user)
            .map(|(_, n)| n)
            .is_some_and(|n| self.positions.contains(n.pos))
    }

    /// The users, in org-chart preorder.
    pub fn iter(&self) -> impl Iterator<Item = UserId> + '_ {
        self.positions
            .iter()
            .filter_map(|p| self.org.tree.user_at(p))
    }

    /// The users' external ids, in org-chart preorder.
    pub fn external_ids(&self) -> impl Iterator<Item = &'s str> + '_ {
        let org = self.org;
        self.iter().filter_map(move |u| org.users.name(u))
    }

    /// The users in ascending dense-id order.
    pub fn to_sorted_ids(&self) -> Vec<UserId> {
        let mut v: Vec<UserId> = self.iter().collect();
        v.sort_unstable();
        v
    }

    /// The users as a roaring bitmap of dense ids.
    pub fn to_id_bitmap(&self) -> RoaringBitmap {
        let mut ids: Vec<u32> = self.iter().map(DenseId::index).collect();
        ids.sort_unstable();
        RoaringBitmap::from_sorted_iter(ids).unwrap_or_default()
    }
}
