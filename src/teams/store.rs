//! The editable team tree: parent links, members, validated edits.

use std::collections::BTreeSet;

use crate::error::InputErrorKind;
use crate::id::registry::Registry;
use crate::id::{DenseId, NONE, UserId, dense_id};
use crate::org::directory::find_cycle;
use crate::org::error::OrgErrorKind;
use crate::teams::error::{TeamError, TeamErrorKind};

dense_id!(
    /// A team, interned from its external id.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut model = orgperm::Model::new();
    /// let sales = model.teams_mut().add_team("sales", None).unwrap();
    /// assert_eq!(model.teams().team_id("sales"), Some(sales));
    /// ```
    TeamId, "team"
);

/// Teams: a forest of parent links over live teams, and each team's direct members.
///
/// Invariants: the parent links among live teams form a forest; a live team's parent is
/// live; member lists are sorted, without duplicates.
#[derive(Clone, Debug, Default)]
pub(crate) struct TeamStore {
    /// The live teams, each with its direct members sorted by dense user id.
    pub(crate) members: Registry<TeamId, Vec<UserId>>,
    /// Parent of each team by dense id, `NONE` for roots and removed teams: a flat table,
    /// because the tree index is built from it.
    pub(crate) parent: Vec<u32>,
    /// Number of live sub-teams of each team.
    children: Vec<u32>,
    /// `(u, t)` exactly when `u` is a direct member of live team `t`.
    of_user: BTreeSet<(UserId, TeamId)>,
}

/// The model's teams and their members, for editing: from [`Model::teams_mut`](crate::Model::teams_mut).
///
/// Every edit validates first and then applies completely, or returns a
/// [`ModelError`](crate::ModelError) that names the field and changes nothing.
#[derive(Debug)]
pub struct TeamsMut<'m> {
    pub(crate) teams: &'m mut TeamStore,
    pub(crate) dir: &'m crate::org::directory::Directory,
    /// What names teams from the families above (the items' access lists).
    pub(crate) referrers: &'m dyn TeamReferrers,
}

/// What names teams from a family above this one (the items' access lists), asked before a
/// team is removed: this family cannot see those families, so the model passes them in.
pub(crate) trait TeamReferrers: core::fmt::Debug {
    /// One thing naming live team `t`, in the document's terms, if any.
    fn team_referrer(&self, t: TeamId) -> Option<String>;
}

/// The model's teams and their members, for reading: from [`Model::teams`](crate::Model::teams).
#[derive(Clone, Copy, Debug)]
pub struct TeamsRef<'m> {
    pub(crate) teams: &'m TeamStore,
    pub(crate) dir: &'m crate::org::directory::Directory,
}

impl TeamsMut<'_> {
    /// The same state, for reading.
    pub fn read(&self) -> TeamsRef<'_> {
        TeamsRef {
            teams: self.teams,
            dir: self.dir,
        }
    }
}

impl TeamStore {
    pub(crate) fn is_live(&self, t: TeamId) -> bool {
        self.members.get(t).is_some()
    }

    /// The live team with this external id.
    pub(crate) fn live_id(&self, id: &str) -> Option<TeamId> {
        self.members.live_id(id)
    }

    pub(crate) fn parent(&self, t: TeamId) -> Option<TeamId> {
        match self.parent.get(t.index() as usize) {
            Some(&p) if p != NONE => Some(TeamId::from_index(p)),
            _ => None,
        }
    }

    pub(crate) fn name(&self, t: TeamId) -> &str {
        self.members.name(t)
    }

    fn resolve(&self, id: &str, field: &str) -> Result<TeamId, TeamError> {
        self.live_id(id)
            .ok_or_else(|| TeamError::at(field, TeamErrorKind::UnknownTeam { id: id.to_owned() }))
    }

    fn link(&mut self, t: TeamId, parent: Option<TeamId>) {
        if let Some(old) = self.parent(t) {
            if let Some(c) = self.children.get_mut(old.index() as usize) {
                *c = c.saturating_sub(1);
            }
        }
        if let Some(slot) = self.parent.get_mut(t.index() as usize) {
            *slot = parent.map_or(NONE, |p| p.index());
        }
        if let Some(p) = parent {
            if let Some(c) = self.children.get_mut(p.index() as usize) {
                *c += 1;
            }
        }
    }

    /// Interns `id` as a live team without parent; errors name `at.id`.
    fn create(&mut self, id: &str) -> Result<TeamId, TeamError> {
        if id.is_empty() {
            return Err(TeamError::at("id", InputErrorKind::EmptyId));
        }
        if self.live_id(id).is_some() {
            return Err(TeamError::at(
                "id",
                InputErrorKind::DuplicateId { id: id.to_owned() },
            ));
        }
        let (t, _) = self.members.insert(id, Vec::new())?;
        self.parent.resize(self.members.len(), NONE);
        self.children.resize(self.members.len(), 0);
        Ok(t)
    }

    /// The cycle `t` would close under `parent`, in parent order starting at `t`.
    fn cycle_through(&self, t: TeamId, parent: TeamId) -> Option<Vec<String>> {
        let mut chain = vec![parent];
        let mut cur = Some(parent);
        // Bounded: a valid forest has no chain longer than the number of teams.
        for _ in 0..=self.members.len() {
            let c = cur?;
            if c == t {
                chain.pop();
                let mut teams = vec![self.name(t).to_owned()];
                teams.extend(chain.iter().map(|&x| self.name(x).to_owned()));
                return Some(teams);
            }
            cur = self.parent(c);
            if let Some(n) = cur {
                chain.push(n);
            }
        }
        None
    }

    /// Takes a removed user out of every team's member list: O(k log n) for their k teams.
    pub(crate) fn forget_user(&mut self, u: UserId) {
        let teams = crate::id::take_user_pairs(&mut self.of_user, u);
        for t in teams {
            if let Some(list) = self.members.get_mut(t) {
                if let Ok(at) = list.binary_search(&u) {
                    list.remove(at);
                }
            }
        }
    }

    /// Builds the teams from `(id, parentId, members)` records in any order, validating all
    /// of them. Paths are relative to the record list (`[3].parentId`).
    pub(crate) fn from_records(
        records: &[(&str, Option<&str>, &[String])],
        users: impl Fn(&str) -> Option<UserId>,
    ) -> Result<TeamStore, TeamError> {
        let mut teams = TeamStore::default();
        for (i, (id, _, _)) in records.iter().enumerate() {
            teams.create(id).map_err(|e| e.within(&format!("[{i}]")))?;
        }
        for (i, (id, parent, members)) in records.iter().enumerate() {
            let t = TeamId::from_index(i as u32);
            if let Some(p) = parent {
                let p = teams
                    .resolve(p, "parentId")
                    .map_err(|e| e.within(&format!("[{i}]")))?;
                if p == t {
                    return Err(TeamError::at(
                        format!("[{i}].parentId"),
                        TeamErrorKind::TeamCycle {
                            teams: vec![(*id).to_owned()],
                        },
                    ));
                }
                teams.link(t, Some(p));
            }
            let mut list = Vec::with_capacity(members.len());
            for (j, m) in members.iter().enumerate() {
                let u = users(m).ok_or_else(|| {
                    TeamError::at(
                        format!("[{i}].members[{j}]"),
                        OrgErrorKind::UnknownUser { id: m.clone() },
                    )
                })?;
                list.push(u);
            }
            list.sort_unstable();
            list.dedup();
            teams.of_user.extend(list.iter().map(|&u| (u, t)));
            if let Some(slot) = teams.members.get_mut(t) {
                *slot = list;
            }
        }
        if let Some(cycle) = find_cycle(&teams.parent) {
            let names = cycle
                .into_iter()
                .map(|t| teams.name(TeamId::from_index(t)).to_owned())
                .collect();
            return Err(TeamError::new(TeamErrorKind::TeamCycle { teams: names }));
        }
        Ok(teams)
    }
}

impl<'m> TeamsMut<'m> {
    /// Adds a team under `parent` (or as a root). A removed team's id may be added again.
    ///
    /// Errors: empty or duplicate id (`id`), unknown parent (`parentId`).
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{ErrorKind, Model};
    /// let mut model = Model::new();
    /// model.teams_mut().add_team("sales", None)?;
    /// model.teams_mut().add_team("sales-emea", Some("sales"))?;
    /// let err = model.teams_mut().add_team("x", Some("nope")).unwrap_err();
    /// assert_eq!(err.to_string(), "parentId: unknown team \"nope\"");
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    pub fn add_team(&mut self, id: &str, parent: Option<&str>) -> Result<TeamId, TeamError> {
        if id.is_empty() {
            return Err(TeamError::at("id", InputErrorKind::EmptyId));
        }
        if parent == Some(id) {
            return Err(TeamError::at(
                "parentId",
                TeamErrorKind::TeamCycle {
                    teams: vec![id.to_owned()],
                },
            ));
        }
        let p = match parent {
            Some(p) => Some(self.teams.resolve(p, "parentId")?),
            None => None,
        };
        let t = self.teams.create(id)?;
        self.teams.link(t, p);
        Ok(t)
    }

    /// Moves a team (with its sub-teams) under another parent, or makes it a root. A move
    /// that would close a cycle is refused with the teams of the cycle named.
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{ErrorKind, Model, TeamErrorKind};
    /// let mut model = Model::new();
    /// model.teams_mut().add_team("a", None)?;
    /// model.teams_mut().add_team("b", Some("a"))?;
    /// let err = model.teams_mut().move_team("a", Some("b")).unwrap_err();
    /// assert_eq!(err.kind(), &TeamErrorKind::TeamCycle { teams: vec!["a".into(), "b".into()] });
    /// model.teams_mut().move_team("b", None)?;
    /// assert_eq!(model.teams().team_parent("b"), None);
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    pub fn move_team(&mut self, id: &str, parent: Option<&str>) -> Result<(), TeamError> {
        let t = self.teams.resolve(id, "id")?;
        let p = match parent {
            Some(p) => Some(self.teams.resolve(p, "parentId")?),
            None => None,
        };
        if let Some(p) = p {
            if let Some(teams) = self.teams.cycle_through(t, p) {
                return Err(TeamError::at(
                    "parentId",
                    TeamErrorKind::TeamCycle { teams },
                ));
            }
        }
        self.teams.link(t, p);
        Ok(())
    }

    /// Removes a team with its member list. Refused, like every removal of something
    /// others name, while it is named: a team with sub-teams
    /// ([`HasSubTeams`](crate::TeamErrorKind::HasSubTeams): move or remove them first), or
    /// one that an item's access list, an item's default list or a type's default list
    /// names ([`TeamInUse`](crate::TeamErrorKind::TeamInUse) naming the entry,
    /// `item "g1" access.permissions[0]`). Quantive's API documents no team deletion, so
    /// nothing cascades; and a removed team's id given to a new team gets its dense id back,
    /// so an entry left behind would grant the new team what the old one had. The member
    /// list goes with the team. Cost: O(log teams + members) plus the items' entries.
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{AccessEntry, AccessSpec, ItemSpec, ItemVerbs, Model, TeamErrorKind};
    /// let mut model = Model::new();
    /// model.teams_mut().add_team("a", None)?;
    /// model.teams_mut().add_team("b", Some("a"))?;
    /// let err = model.teams_mut().remove_team("a").unwrap_err();
    /// assert_eq!(err.kind(), &TeamErrorKind::HasSubTeams { id: "a".into(), teams: 1 });
    /// let list = AccessSpec::new([AccessEntry::team("b", ItemVerbs::READ)]);
    /// model.items_mut().add_item(ItemSpec::session("q1").with_access(list))?;
    /// let err = model.teams_mut().remove_team("b").unwrap_err();
    /// assert_eq!(err.to_string(), "id: team \"b\" is still named by item \"q1\" access.permissions[0]");
    /// model.items_mut().set_item_access("q1", None)?;
    /// model.teams_mut().remove_team("b")?;
    /// model.teams_mut().remove_team("a")?;
    /// assert_eq!(model.teams().team_id("a"), None);
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    pub fn remove_team(&mut self, id: &str) -> Result<(), TeamError> {
        let t = self.teams.resolve(id, "id")?;
        let i = t.index() as usize;
        let teams = self.teams.children.get(i).copied().unwrap_or(0) as usize;
        if teams > 0 {
            return Err(TeamError::at(
                "id",
                TeamErrorKind::HasSubTeams {
                    id: id.to_owned(),
                    teams,
                },
            ));
        }
        if let Some(referrer) = self.referrers.team_referrer(t) {
            return Err(TeamError::at(
                "id",
                TeamErrorKind::TeamInUse {
                    id: id.to_owned(),
                    referrer,
                },
            ));
        }
        self.teams.link(t, None);
        if let Some(m) = self.teams.members.remove(t) {
            for u in m {
                self.teams.of_user.remove(&(u, t));
            }
        }
        Ok(())
    }

    /// Adds a directory user to a team's direct members. Returns `false` (and changes
    /// nothing) if they already were one.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut model = orgperm::Model::new();
    /// model.add_user("ada", None)?;
    /// model.teams_mut().add_team("t", None)?;
    /// assert!(model.teams_mut().add_team_member("t", "ada")?);
    /// assert!(!model.teams_mut().add_team_member("t", "ada")?);
    /// assert!(model.teams_mut().add_team_member("t", "ghost").is_err());
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    pub fn add_team_member(&mut self, team: &str, user: &str) -> Result<bool, TeamError> {
        let t = self.teams.resolve(team, "teamId")?;
        let u = self.dir.active_or_err(user, "userId")?;
        let Some(list) = self.teams.members.get_mut(t) else {
            return Ok(false);
        };
        match list.binary_search(&u) {
            Ok(_) => Ok(false),
            Err(at) => {
                list.insert(at, u);
                self.teams.of_user.insert((u, t));
                Ok(true)
            }
        }
    }

    /// Removes a user from a team's direct members. Returns whether they were one.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut model = orgperm::Model::new();
    /// model.add_user("ada", None)?;
    /// model.teams_mut().add_team("t", None)?;
    /// model.teams_mut().add_team_member("t", "ada")?;
    /// assert!(model.teams_mut().remove_team_member("t", "ada")?);
    /// assert!(!model.teams_mut().remove_team_member("t", "ada")?);
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    pub fn remove_team_member(&mut self, team: &str, user: &str) -> Result<bool, TeamError> {
        let t = self.teams.resolve(team, "teamId")?;
        let u = self.dir.active_or_err(user, "userId")?;
        let Some(list) = self.teams.members.get_mut(t) else {
            return Ok(false);
        };
        match list.binary_search(&u) {
            Ok(at) => {
                list.remove(at);
                self.teams.of_user.remove(&(u, t));
                Ok(true)
            }
            Err(_) => Ok(false),
        }
    }
}

impl<'m> TeamsRef<'m> {
    /// The dense id of a live team.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut model = orgperm::Model::new();
    /// model.teams_mut().add_team("t", None).unwrap();
    /// assert!(model.teams().team_id("t").is_some());
    /// assert_eq!(model.teams().team_id("u"), None);
    /// ```
    pub fn team_id(&self, id: &str) -> Option<TeamId> {
        self.teams.live_id(id)
    }

    /// The external id of a team's parent.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut model = orgperm::Model::new();
    /// model.teams_mut().add_team("a", None).unwrap();
    /// model.teams_mut().add_team("b", Some("a")).unwrap();
    /// assert_eq!(model.teams().team_parent("b"), Some("a"));
    /// ```
    pub fn team_parent(&self, id: &str) -> Option<&'m str> {
        let t = self.teams.live_id(id)?;
        self.teams.parent(t).map(|p| self.teams.name(p))
    }

    /// The external ids of a team's direct active members, sorted.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut model = orgperm::Model::new();
    /// model.add_user("b", None)?;
    /// model.add_user("a", None)?;
    /// model.teams_mut().add_team("t", None)?;
    /// model.teams_mut().add_team_member("t", "b")?;
    /// model.teams_mut().add_team_member("t", "a")?;
    /// assert_eq!(model.teams().team_members("t")?, ["a", "b"]);
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    pub fn team_members(&self, id: &str) -> Result<Vec<&'m str>, TeamError> {
        let t = self.teams.resolve(id, "id")?;
        let mut out: Vec<&str> = self
            .teams
            .members
            .get(t)
            .map(Vec::as_slice)
            .unwrap_or(&[])
            .iter()
            .filter(|&&u| self.dir.is_active(u))
            .map(|&u| self.dir.name(u))
            .collect();
        out.sort_unstable();
        Ok(out)
    }

    /// External ids of the live teams, in dense-id order.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut model = orgperm::Model::new();
    /// model.teams_mut().add_team("a", None).unwrap();
    /// assert_eq!(model.teams().team_ids().collect::<Vec<_>>(), ["a"]);
    /// ```
    pub fn team_ids(&self) -> impl Iterator<Item = &'m str> + 'm {
        let members = &self.teams.members;
        members.iter().map(move |(t, _)| members.name(t))
    }
}
