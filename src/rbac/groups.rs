//! Groups of users. A group can be the subject of grants; its members inherit them.

use crate::rbac::RbacMut;
use crate::rbac::RbacRef;
use std::collections::BTreeSet;

use hashbrown::HashMap;

use crate::error::InputErrorKind;
use crate::id::registry::Registry;
use crate::id::{DenseId, UserId};
use crate::org::error::OrgErrorKind;
use crate::rbac::error::{RbacError, RbacErrorKind};
use smallvec::SmallVec;

use crate::rbac::grants::Grant;
use crate::rbac::ids::{GroupId, RoleId};

/// A group.
#[derive(Clone, Debug, Default)]
pub(crate) struct Group {
    pub(crate) name: String,
    pub(crate) members: BTreeSet<UserId>,
}

/// The groups of a model and each user's memberships.
#[derive(Clone, Debug, Default)]
pub(crate) struct Groups {
    /// By dense id; a deleted group's id is kept.
    pub(crate) slots: Registry<GroupId, Group>,
    /// Lower-cased names of the live groups.
    names: HashMap<String, GroupId>,
    /// The groups of each user (by dense user id), sorted.
    pub(crate) of_user: Vec<Vec<GroupId>>,
    /// Per user, the roles held through groups, each with the number of (group, grant)
    /// pairs giving it, sorted by role: what the view-only rule reads, so its cost is the
    /// number of distinct roles rather than of groups.
    via_groups: Vec<SmallVec<[(RoleId, u32); 2]>>,
}

impl Groups {
    pub(crate) fn live(&self, id: &str) -> Option<(GroupId, &Group)> {
        self.slots.live(id)
    }

    pub(crate) fn live_or_err(&self, id: &str, path: &str) -> Result<(GroupId, &Group), RbacError> {
        self.live(id)
            .ok_or_else(|| RbacError::at(path, RbacErrorKind::UnknownGroup { id: id.to_owned() }))
    }

    pub(crate) fn group(&self, g: GroupId) -> Option<&Group> {
        self.slots.get(g)
    }

    pub(crate) fn name(&self, g: GroupId) -> &str {
        self.slots.name(g)
    }

    /// The groups of a user, sorted by dense id.
    pub(crate) fn of(&self, u: UserId) -> &[GroupId] {
        self.of_user
            .get(u.index() as usize)
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }

    /// The roles `u` holds through groups (distinct, sorted).
    pub(crate) fn roles_via_groups(&self, u: UserId) -> impl Iterator<Item = RoleId> + '_ {
        self.via_groups
            .get(u.index() as usize)
            .into_iter()
            .flatten()
            .map(|&(r, _)| r)
    }

    /// Counts role `r` once more (`up`) or once less for user `u`.
    fn count(&mut self, u: UserId, r: RoleId, up: bool) {
        let i = u.index() as usize;
        if self.via_groups.len() <= i {
            if !up {
                return;
            }
            self.via_groups.resize_with(i + 1, SmallVec::new);
        }
        let Some(list) = self.via_groups.get_mut(i) else {
            return;
        };
        match list.binary_search_by_key(&r, |&(x, _)| x) {
            Ok(at) => {
                if let Some(entry) = list.get_mut(at) {
                    if up {
                        entry.1 += 1;
                    } else {
                        entry.1 = entry.1.saturating_sub(1);
                    }
                    if entry.1 == 0 {
                        list.remove(at);
                    }
                }
            }
            Err(at) if up => list.insert(at, (r, 1)),
            Err(_) => {}
        }
    }

    /// Adds `u` to group `g`, whose grants are `grants`.
    fn join(&mut self, g: GroupId, u: UserId, grants: &[Grant]) {
        let i = u.index() as usize;
        if self.of_user.len() <= i {
            self.of_user.resize_with(i + 1, Vec::new);
        }
        let Some(group) = self.slots.get_mut(g) else {
            return;
        };
        if !group.members.insert(u) {
            return;
        }
        if let Some(list) = self.of_user.get_mut(i) {
            if let Err(at) = list.binary_search(&g) {
                list.insert(at, g);
            }
        }
        for x in grants {
            self.count(u, x.role, true);
        }
    }

    /// Takes `u` out of group `g`, whose grants are `grants`.
    fn leave(&mut self, g: GroupId, u: UserId, grants: &[Grant]) {
        if let Some(list) = self.of_user.get_mut(u.index() as usize) {
            list.retain(|&x| x != g);
        }
        let Some(group) = self.slots.get_mut(g) else {
            return;
        };
        if group.members.remove(&u) {
            for x in grants {
                self.count(u, x.role, false);
            }
        }
    }

    /// A grant of role `r` was added to (`up`) or removed from group `g`.
    pub(crate) fn group_grant_changed(&mut self, g: GroupId, r: RoleId, up: bool) {
        let members: Vec<UserId> = self
            .group(g)
            .map(|x| x.members.iter().copied().collect())
            .unwrap_or_default();
        for u in members {
            self.count(u, r, up);
        }
    }

    pub(crate) fn forget_user(&mut self, u: UserId) {
        let groups = self
            .of_user
            .get_mut(u.index() as usize)
            .map(core::mem::take)
            .unwrap_or_default();
        for g in groups {
            if let Some(group) = self.slots.get_mut(g) {
                group.members.remove(&u);
            }
        }
        if let Some(list) = self.via_groups.get_mut(u.index() as usize) {
            *list = SmallVec::new();
        }
    }
}

impl<'m> RbacMut<'m> {
    /// Adds a group. Names are required and unique (without case).
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{ErrorKind, InputErrorKind, Model, RbacErrorKind};
    /// let mut model = Model::new();
    /// model.rbac_mut().add_group("g1", "Support")?;
    /// assert_eq!(model.rbac().group_name("g1"), Some("Support"));
    /// let err = model.rbac_mut().add_group("g1", "Other").unwrap_err();
    /// assert_eq!(err.kind(), &RbacErrorKind::Input(InputErrorKind::DuplicateId { id: "g1".into() }));
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    pub fn add_group(&mut self, id: &str, name: &str) -> Result<GroupId, RbacError> {
        let groups = &mut self.rbac.groups;
        if id.is_empty() {
            return Err(RbacError::at("id", InputErrorKind::EmptyId));
        }
        if groups.live(id).is_some() {
            return Err(RbacError::at(
                "id",
                InputErrorKind::DuplicateId { id: id.to_owned() },
            ));
        }
        if name.trim().is_empty() {
            return Err(RbacError::at("name", InputErrorKind::Required));
        }
        let lower = name.to_lowercase();
        if groups.names.contains_key(&lower) {
            return Err(RbacError::at(
                "name",
                RbacErrorKind::DuplicateName {
                    name: name.to_owned(),
                },
            ));
        }
        let (g, _) = groups.slots.insert(
            id,
            Group {
                name: name.to_owned(),
                members: BTreeSet::new(),
            },
        )?;
        groups.names.insert(lower, g);
        Ok(g)
    }

    /// Deletes a group with its memberships and its grants.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut model = orgperm::Model::new();
    /// model.rbac_mut().add_group("g1", "Support").unwrap();
    /// model.rbac_mut().delete_group("g1").unwrap();
    /// assert_eq!(model.rbac().group_name("g1"), None);
    /// assert!(model.rbac_mut().delete_group("g1").is_err());
    /// ```
    pub fn delete_group(&mut self, id: &str) -> Result<(), RbacError> {
        let (g, group) = self.rbac.groups.live_or_err(id, "id")?;
        let members: Vec<UserId> = group.members.iter().copied().collect();
        let name = group.name.to_lowercase();
        for u in members {
            self.rbac.groups.leave(g, u, self.rbac.grants.group(g));
        }
        self.rbac.groups.names.remove(&name);
        self.rbac.groups.slots.remove(g);
        self.rbac.grants.clear_group(g);
        Ok(())
    }

    /// Adds users to a group; they inherit its grants. Refused if a user would then hold a
    /// view-only role with another role. Returns the members, sorted.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut model = orgperm::Model::new();
    /// model.add_user("b", None)?;
    /// model.add_user("a", None)?;
    /// model.rbac_mut().add_group("g1", "Support")?;
    /// assert_eq!(model.rbac_mut().add_group_members("g1", &["b", "a"])?, ["a", "b"]);
    /// assert!(model.rbac_mut().add_group_members("g1", &["ghost"]).is_err());
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    pub fn add_group_members(
        &mut self,
        group: &str,
        users: &[&str],
    ) -> Result<Vec<&str>, RbacError> {
        let (g, _) = self.rbac.groups.live_or_err(group, "groupId")?;
        let ids = self.read().resolve_users(users)?;
        let group_roles: Vec<_> = self.rbac.grants.group(g).iter().map(|x| x.role).collect();
        for &u in &ids {
            self.read().check_view_only_with(u, None, &group_roles)?;
        }
        for u in ids {
            self.rbac.groups.join(g, u, self.rbac.grants.group(g));
        }
        self.read().group_members(group)
    }

    /// Removes users from a group (users who are not members are ignored). Returns the
    /// members, sorted.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut model = orgperm::Model::new();
    /// model.add_user("a", None)?;
    /// model.rbac_mut().add_group("g1", "Support")?;
    /// model.rbac_mut().add_group_members("g1", &["a"])?;
    /// assert!(model.rbac_mut().remove_group_members("g1", &["a"])?.is_empty());
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    pub fn remove_group_members(
        &mut self,
        group: &str,
        users: &[&str],
    ) -> Result<Vec<&str>, RbacError> {
        let (g, _) = self.rbac.groups.live_or_err(group, "groupId")?;
        let ids = self.read().resolve_users(users)?;
        for u in ids {
            self.rbac.groups.leave(g, u, self.rbac.grants.group(g));
        }
        self.read().group_members(group)
    }
}

impl<'m> RbacRef<'m> {
    /// A group's name.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(orgperm::Model::new().rbac().group_name("g"), None);
    /// ```
    pub fn group_name(&self, id: &str) -> Option<&'m str> {
        self.rbac.groups.live(id).map(|(_, g)| g.name.as_str())
    }

    /// The external ids of the live groups, in dense-id order.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut model = orgperm::Model::new();
    /// model.rbac_mut().add_group("g1", "Support").unwrap();
    /// assert_eq!(model.rbac().group_ids().collect::<Vec<_>>(), ["g1"]);
    /// ```
    pub fn group_ids(&self) -> impl Iterator<Item = &'m str> + 'm {
        let groups = &self.rbac.groups.slots;
        groups.iter().map(move |(g, _)| groups.name(g))
    }

    /// The members of a group, sorted.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut model = orgperm::Model::new();
    /// model.rbac_mut().add_group("g1", "Support").unwrap();
    /// assert!(model.rbac().group_members("g1").unwrap().is_empty());
    /// ```
    pub fn group_members(&self, group: &str) -> Result<Vec<&'m str>, RbacError> {
        let (_, g) = self.rbac.groups.live_or_err(group, "groupId")?;
        let mut out: Vec<&str> = g
            .members
            .iter()
            .filter(|&&u| self.dir.is_active(u))
            .map(|&u| self.dir.name(u))
            .collect();
        out.sort_unstable();
        Ok(out)
    }

    /// The groups of a user, sorted.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut model = orgperm::Model::new();
    /// model.add_user("a", None)?;
    /// model.rbac_mut().add_group("g1", "Support")?;
    /// model.rbac_mut().add_group_members("g1", &["a"])?;
    /// assert_eq!(model.rbac().groups_of("a")?, ["g1"]);
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    pub fn groups_of(&self, user: &str) -> Result<Vec<&'m str>, RbacError> {
        let u = self.user_or_err(user, "userId")?;
        let mut out: Vec<&str> = self
            .rbac
            .groups
            .of(u)
            .iter()
            .map(|&g| self.rbac.groups.name(g))
            .collect();
        out.sort_unstable();
        Ok(out)
    }

    /// The active user with this id, or an error at `path`.
    pub(crate) fn user_or_err(&self, user: &str, path: &str) -> Result<UserId, RbacError> {
        self.dir.active_id(user).ok_or_else(|| {
            RbacError::at(
                path,
                OrgErrorKind::UnknownUser {
                    id: user.to_owned(),
                },
            )
        })
    }

    /// Resolves a list of users, naming the first unknown one by index.
    pub(crate) fn resolve_users(&self, users: &[&str]) -> Result<Vec<UserId>, RbacError> {
        users
            .iter()
            .enumerate()
            // The path is written only for an error (a large import reads many ids).
            .map(|(i, u)| match self.dir.active_id(u) {
                Some(id) => Ok(id),
                None => self.user_or_err(u, &format!("[{i}]")),
            })
            .collect()
    }
}
