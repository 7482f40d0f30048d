//! The compiled team tree and its queries.
//!
//! Teams are numbered in preorder with the org chart's [`TreeIndex`], so a team and all its
//! sub-teams are one run of positions. Each active user keeps the sorted positions of the
//! teams they are a direct member of; each team position keeps its direct members. Then:
//!
//! - "is `u` a direct member of `T`": a binary search of `pos(T)` in `u`'s row;
//! - "is `u` in `T` or a sub-team": the first of `u`'s positions at or after `pos(T)` is
//!   below `end(T)`;
//! - "the members of `T` with its sub-teams": the member rows of positions
//!   `pos(T)..end(T)` are one contiguous slice.

use roaring::RoaringBitmap;

use crate::decision::Decision;
use crate::id::key::Key;
use crate::id::{DenseId, Interner, NONE, UserId};
use crate::org::compiled::CompiledOrg;
use crate::org::tree::{Node, TreeIndex};
use crate::org::user_set::UserSet;
use crate::teams::store::TeamStore;
use crate::teams::{TeamId, TeamReason};

/// Teams, compiled.
#[derive(Clone, Debug, Default)]
pub(crate) struct CompiledTeams {
    pub(crate) ids: Interner<TeamId>,
    /// The team forest as intervals (indexed by team dense id, typed as user ids).
    tree: TreeIndex,
    /// `user_teams[user_start[u]..user_start[u + 1]]`: sorted team positions of user `u`.
    user_start: Vec<u32>,
    user_teams: Vec<u32>,
    /// `members[member_start[p]..member_start[p + 1]]`: org-tree positions of the direct
    /// members of the team at team position `p`.
    member_start: Vec<u32>,
    members: Vec<u32>,
}

impl CompiledTeams {
    pub(crate) fn compile(teams: &TeamStore, org: &CompiledOrg) -> CompiledTeams {
        let live: Vec<bool> = teams.members.slots().iter().map(Option::is_some).collect();
        let tree = TreeIndex::build(&teams.parent, &live);
        let n_users = org.n_users;
        let org = &org.tree;

        // Members by team position (CSR), as org-tree positions of active users.
        let n_pos = tree.len() as usize;
        let mut member_start = Vec::with_capacity(n_pos + 1);
        let mut members = Vec::new();
        let mut pairs: Vec<(u32, u32)> = Vec::new(); // (user, team position)
        member_start.push(0);
        for p in 0..tree.len() {
            if let Some(t) = tree.user_at(p) {
                let list = teams
                    .members
                    .get(TeamId::from_index(t.index()))
                    .map(Vec::as_slice)
                    .unwrap_or(&[]);
                for &u in list {
                    if let Some(n) = org.node(u) {
                        members.push(n.pos);
                        pairs.push((u.index(), p));
                    }
                }
            }
            member_start.push(members.len() as u32);
        }

        // Teams by user (CSR, counting sort); positions come out sorted per user because
        // `pairs` is in team-position order.
        // Without memberships there is no per-user row at all (every row reads as empty).
        let mut user_start = if pairs.is_empty() {
            Vec::new()
        } else {
            vec![0u32; n_users + 1]
        };
        for &(u, _) in &pairs {
            if let Some(c) = user_start.get_mut(u as usize + 1) {
                *c += 1;
            }
        }
        for i in 1..user_start.len() {
            let prev = user_start.get(i - 1).copied().unwrap_or(0);
            if let Some(c) = user_start.get_mut(i) {
                *c += prev;
            }
        }
        let mut fill = user_start.clone();
        let mut user_teams = vec![0u32; pairs.len()];
        for &(u, p) in &pairs {
            if let Some(slot) = fill.get_mut(u as usize) {
                if let Some(x) = user_teams.get_mut(*slot as usize) {
                    *x = p;
                }
                *slot += 1;
            }
        }

        CompiledTeams {
            ids: teams.members.ids().clone(),
            tree,
            user_start,
            user_teams,
            member_start,
            members,
        }
    }

    /// The compiled node of a live team.
    #[inline]
    pub(crate) fn node(&self, t: TeamId) -> Option<Node> {
        self.tree.node(UserId::from_index(t.index()))
    }

    /// Sorted team positions of user `u` (empty for an unknown user).
    #[inline]
    fn row(&self, u: UserId) -> &[u32] {
        let i = u.index() as usize;
        let s = self.user_start.get(i).copied().unwrap_or(0) as usize;
        let e = self.user_start.get(i + 1).copied().unwrap_or(0) as usize;
        self.user_teams.get(s..e).unwrap_or(&[])
    }

    /// Whether user `u` is a member of the team at `node`: directly, or with sub-teams.
    #[inline]
    pub(crate) fn contains(&self, u: UserId, node: &Node, sub_teams: bool) -> bool {
        let row = self.row(u);
        if sub_teams {
            let i = row.partition_point(|&p| p < node.pos);
            row.get(i).is_some_and(|&p| p < node.end)
        } else {
            row.binary_search(&node.pos).is_ok()
        }
    }

    /// Org-tree positions of the members of the team at `node`.
    pub(crate) fn member_positions(&self, node: &Node, sub_teams: bool) -> &[u32] {
        let last = if sub_teams { node.end } else { node.pos + 1 };
        let s = self
            .member_start
            .get(node.pos as usize)
            .copied()
            .unwrap_or(0) as usize;
        let e = self.member_start.get(last as usize).copied().unwrap_or(0) as usize;
        self.members.get(s..e).unwrap_or(&[])
    }

    /// Heap bytes held, split into (id text, everything else).
    pub(crate) fn heap_bytes(&self) -> (usize, usize) {
        let (t, i) = self.ids.heap_bytes();
        let index = i
            + self.tree.heap_bytes()
            + (self.user_start.capacity()
                + self.user_teams.capacity()
                + self.member_start.capacity()
                + self.members.capacity())
                * 4;
        (t, index)
    }
}

/// The teams family's read view, from [`Snapshot::teams`](crate::Snapshot::teams).
///
/// # Examples
///
/// ```
/// let mut model = orgperm::Model::new();
/// model.add_user("ada", None)?;
/// model.teams_mut().add_team("sales", None)?;
/// model.teams_mut().add_team_member("sales", "ada")?;
/// let snap = model.compile();
/// assert!(snap.teams().is_member("ada", "sales", false));
/// # Ok::<(), orgperm::ModelError>(())
/// ```
#[derive(Clone, Copy, Debug)]
pub struct Teams<'s> {
    org: &'s CompiledOrg,
    teams: &'s CompiledTeams,
}

impl<'s> Teams<'s> {
    pub(crate) fn new(org: &'s CompiledOrg, teams: &'s CompiledTeams) -> Self {
        Teams { org, teams }
    }

    /// The dense id of a live team.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut model = orgperm::Model::new();
    /// let t = model.teams_mut().add_team("t", None).unwrap();
    /// assert_eq!(model.compile().teams().team_id("t"), Some(t));
    /// ```
    pub fn team_id(&self, id: &str) -> Option<TeamId> {
        self.teams
            .ids
            .get(id)
            .filter(|&t| self.teams.node(t).is_some())
    }

    /// The external id of a live team.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut model = orgperm::Model::new();
    /// let t = model.teams_mut().add_team("t", None).unwrap();
    /// assert_eq!(model.compile().teams().team_name(t), Some("t"));
    /// ```
    pub fn team_name(&self, team: TeamId) -> Option<&'s str> {
        self.teams.node(team)?;
        self.teams.ids.name(team)
    }

    /// Whether `user` is a member of `team`: a direct member, or with `sub_teams` a member of
    /// the team or of any team below it, at any depth, in the tree as it was compiled.
    ///
    /// O(log t) for a user in t teams. Unknown or removed users and teams: `false`.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut model = orgperm::Model::new();
    /// model.add_user("ada", None)?;
    /// model.teams_mut().add_team("sales", None)?;
    /// model.teams_mut().add_team("emea", Some("sales"))?;
    /// model.teams_mut().add_team_member("emea", "ada")?;
    /// let snap = model.compile();
    /// assert!(snap.teams().is_member("ada", "sales", true));
    /// assert!(!snap.teams().is_member("ada", "sales", false));
    /// assert!(snap.teams().is_member("ada", "emea", false));
    ///
    /// // Sub-team membership follows later changes of the tree.
    /// model.teams_mut().move_team("emea", None)?;
    /// assert!(!model.compile().teams().is_member("ada", "sales", true));
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    #[inline]
    pub fn is_member(
        &self,
        user: impl Key<UserId>,
        team: impl Key<TeamId>,
        sub_teams: bool,
    ) -> bool {
        let (Some(u), Some(t)) = (user.resolve(&self.org.users), team.resolve(&self.teams.ids))
        else {
            return false;
        };
        match self.teams.node(t) {
            Some(node) => self.teams.contains(u, &node, sub_teams),
            None => false,
        }
    }

    /// Why `user` is or is not a member of `team` (see [`is_member`](Teams::is_member)):
    /// directly, or with `sub_teams` through which chain of sub-teams. Always agrees with
    /// `is_member`; also explains the members of [`members`](Teams::members).
    ///
    /// O(log t + depth of the team tree) for a user in t teams.
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::TeamReason;
    /// let mut model = orgperm::Model::new();
    /// model.add_user("ada", None)?;
    /// model.teams_mut().add_team("sales", None)?;
    /// model.teams_mut().add_team("emea", Some("sales"))?;
    /// model.teams_mut().add_team("uk", Some("emea"))?;
    /// model.teams_mut().add_team_member("uk", "ada")?;
    /// let snap = model.compile();
    /// let d = snap.teams().explain_member("ada", "sales", true);
    /// assert!(d.allowed);
    /// assert_eq!(d.reason, TeamReason::SubTeamMember { team: "sales".into(), via: vec!["emea".into(), "uk".into()] });
    /// assert!(!snap.teams().explain_member("ada", "sales", false).allowed);
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    pub fn explain_member(
        &self,
        user: impl Key<UserId>,
        team: impl Key<TeamId>,
        sub_teams: bool,
    ) -> Decision<TeamReason> {
        let Some((u, _)) = self.org.active(&user) else {
            return Decision::deny(TeamReason::UnknownUser {
                user: user.describe(),
            });
        };
        let Some((t, node)) = team
            .resolve(&self.teams.ids)
            .and_then(|t| Some((t, self.teams.node(t)?)))
        else {
            return Decision::deny(TeamReason::UnknownTeam {
                team: team.describe(),
            });
        };
        let name = |t: TeamId| self.teams.ids.name(t).unwrap_or("").to_owned();
        let row = self.teams.row(u);
        if row.binary_search(&node.pos).is_ok() {
            return Decision::allow(TeamReason::DirectMember { team: name(t) });
        }
        let below = row.get(row.partition_point(|&p| p < node.pos));
        let direct = below
            .filter(|&&p| sub_teams && p < node.end)
            .and_then(|&p| self.teams.tree.user_at(p));
        let Some(direct) = direct else {
            return Decision::deny(TeamReason::NotMember {
                team: name(t),
                sub_teams,
            });
        };
        // Up from the direct team to just below `team`; the tree has no cycle, and the
        // walk is bounded by its size all the same.
        let mut via = Vec::new();
        let mut at = Some(direct);
        for _ in 0..self.teams.tree.len() {
            let Some(x) = at.filter(|x| x.index() != t.index()) else {
                break;
            };
            via.push(name(TeamId::from_index(x.index())));
            at = self.teams.tree.manager(x);
        }
        via.reverse();
        Decision::allow(TeamReason::SubTeamMember { team: name(t), via })
    }

    /// The active members of `team`, direct only or with every sub-team's members.
    ///
    /// O(k log k) for k memberships in the teams covered: the member lists of a team and its
    /// sub-teams are one contiguous slice.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut model = orgperm::Model::new();
    /// model.add_user("a", None)?;
    /// model.add_user("b", None)?;
    /// model.teams_mut().add_team("t", None)?;
    /// model.teams_mut().add_team("sub", Some("t"))?;
    /// model.teams_mut().add_team_member("t", "a")?;
    /// model.teams_mut().add_team_member("sub", "b")?;
    /// let snap = model.compile();
    /// assert_eq!(snap.teams().members("t", false).len(), 1);
    /// assert_eq!(snap.teams().members("t", true).external_ids().collect::<Vec<_>>(), ["a", "b"]);
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    pub fn members(&self, team: impl Key<TeamId>, sub_teams: bool) -> UserSet<'s> {
        let mut positions: Vec<u32> = team
            .resolve(&self.teams.ids)
            .and_then(|t| self.teams.node(t))
            .map(|n| self.teams.member_positions(&n, sub_teams).to_vec())
            .unwrap_or_default();
        positions.sort_unstable();
        positions.dedup();
        let set = RoaringBitmap::from_sorted_iter(positions).unwrap_or_default();
        UserSet::from_positions(set, self.org)
    }

    /// The teams `user` is a direct member of, in team-tree preorder.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut model = orgperm::Model::new();
    /// model.add_user("ada", None)?;
    /// let t = model.teams_mut().add_team("t", None)?;
    /// model.teams_mut().add_team_member("t", "ada")?;
    /// assert_eq!(model.compile().teams().of_user("ada"), vec![t]);
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    pub fn of_user(&self, user: impl Key<UserId>) -> Vec<TeamId> {
        let Some(u) = user
            .resolve(&self.org.users)
            .filter(|&u| self.org.tree.node(u).is_some())
        else {
            return Vec::new();
        };
        self.teams
            .row(u)
            .iter()
            .filter_map(|&p| self.teams.tree.user_at(p))
            .map(|t| TeamId::from_index(t.index()))
            .filter(|t| t.index() != NONE)
            .collect()
    }
}
