//! The company directory: users, their managers (a forest) and who is still active.

use crate::error::InputErrorKind;
use crate::id::{DenseId, Interner, NONE, UserId};
use crate::org::error::{OrgError, OrgErrorKind};

/// Users and manager links. Invariant: the links among active users form a forest (no cycle,
/// no link to an inactive user).
#[derive(Clone, Debug, Default)]
pub(crate) struct Directory {
    pub(crate) ids: Interner<UserId>,
    /// Manager of each user, `NONE` for roots and inactive users.
    manager: Vec<u32>,
    active: Vec<bool>,
    /// Number of active direct reports of each user.
    reports: Vec<u32>,
}

impl Directory {
    pub(crate) fn len(&self) -> usize {
        self.manager.len()
    }

    pub(crate) fn is_active(&self, u: UserId) -> bool {
        self.active
            .get(u.index() as usize)
            .copied()
            .unwrap_or(false)
    }

    /// The active user with this external id.
    /// The active user with this external id, or an `UnknownUser` error at `field`.
    pub(crate) fn active_or_err(&self, id: &str, field: &str) -> Result<UserId, OrgError> {
        self.active_id(id)
            .ok_or_else(|| OrgError::at(field, OrgErrorKind::UnknownUser { id: id.to_owned() }))
    }

    pub(crate) fn active_id(&self, id: &str) -> Option<UserId> {
        self.ids.get(id).filter(|&u| self.is_active(u))
    }

    pub(crate) fn manager(&self, u: UserId) -> Option<UserId> {
        match self.manager.get(u.index() as usize) {
            Some(&m) if m != NONE => Some(UserId::from_index(m)),
            _ => None,
        }
    }

    pub(crate) fn name(&self, u: UserId) -> &str {
        self.ids.name(u).unwrap_or("")
    }

    /// Manager link of every user, `NONE` for none; indexed by dense id.
    pub(crate) fn manager_table(&self) -> &[u32] {
        &self.manager
    }

    pub(crate) fn active_table(&self) -> &[bool] {
        &self.active
    }

    fn resolve_manager(&self, id: &str, manager: Option<&str>) -> Result<Option<UserId>, OrgError> {
        let Some(m) = manager else { return Ok(None) };
        if m == id {
            return Err(OrgError::at(
                "managerId",
                OrgErrorKind::SelfManager { id: id.to_owned() },
            ));
        }
        self.active_id(m).map(Some).ok_or_else(|| {
            OrgError::at("managerId", OrgErrorKind::UnknownUser { id: m.to_owned() })
        })
    }

    /// Adds a user, or reactivates a removed one under the same dense id.
    pub(crate) fn add(&mut self, id: &str, manager: Option<&str>) -> Result<UserId, OrgError> {
        if id.is_empty() {
            return Err(OrgError::at("id", InputErrorKind::EmptyId));
        }
        if self.active_id(id).is_some() {
            return Err(OrgError::at(
                "id",
                InputErrorKind::DuplicateId { id: id.to_owned() },
            ));
        }
        let m = self.resolve_manager(id, manager)?;
        let (u, new) = self.ids.intern(id)?;
        if new {
            self.manager.push(NONE);
            self.active.push(false);
            self.reports.push(0);
        }
        self.set_active(u, true);
        self.link(u, m);
        Ok(u)
    }

    /// Deactivates a user without reports. Their dense id stays reserved.
    pub(crate) fn remove(&mut self, id: &str) -> Result<UserId, OrgError> {
        let u = self
            .active_id(id)
            .ok_or_else(|| OrgError::at("id", OrgErrorKind::UnknownUser { id: id.to_owned() }))?;
        let reports = self.reports.get(u.index() as usize).copied().unwrap_or(0) as usize;
        if reports > 0 {
            return Err(OrgError::at(
                "id",
                OrgErrorKind::HasReports {
                    id: id.to_owned(),
                    reports,
                },
            ));
        }
        self.link(u, None);
        self.set_active(u, false);
        Ok(u)
    }

    /// Moves a user under another manager (or makes them a root), refusing cycles.
    pub(crate) fn move_to(&mut self, id: &str, manager: Option<&str>) -> Result<UserId, OrgError> {
        let u = self
            .active_id(id)
            .ok_or_else(|| OrgError::at("id", OrgErrorKind::UnknownUser { id: id.to_owned() }))?;
        let m = self.resolve_manager(id, manager)?;
        if let Some(m) = m {
            // Walk up from the new manager: meeting `u` means u would manage its own manager.
            let mut chain = vec![m];
            let mut cur = self.manager(m);
            while let Some(c) = cur {
                if c == u {
                    // After the move u would report to m, m to its manager, ... and one of those
                    // to u again: list the cycle in that order.
                    let mut users = vec![self.name(u).to_owned()];
                    users.extend(chain.iter().map(|&x| self.name(x).to_owned()));
                    return Err(OrgError::at(
                        "managerId",
                        OrgErrorKind::ManagerCycle { users },
                    ));
                }
                chain.push(c);
                cur = self.manager(c);
            }
        }
        self.link(u, m);
        Ok(u)
    }

    fn set_active(&mut self, u: UserId, on: bool) {
        if let Some(a) = self.active.get_mut(u.index() as usize) {
            *a = on;
        }
    }

    fn link(&mut self, u: UserId, m: Option<UserId>) {
        if let Some(old) = self.manager(u) {
            if let Some(r) = self.reports.get_mut(old.index() as usize) {
                *r = r.saturating_sub(1);
            }
        }
        if let Some(slot) = self.manager.get_mut(u.index() as usize) {
            *slot = m.map_or(NONE, |m| m.index());
        }
        if let Some(m) = m {
            if let Some(r) = self.reports.get_mut(m.index() as usize) {
                *r += 1;
            }
        }
    }

    /// Builds a directory from `(id, managerId)` records in any order, validating the whole
    /// forest at once. Paths are relative to the record list (`[3].managerId`).
    pub(crate) fn from_records<'a>(
        records: impl ExactSizeIterator<Item = (&'a str, Option<&'a str>)> + Clone,
    ) -> Result<Self, OrgError> {
        let mut dir = Directory::default();
        for (i, (id, _)) in records.clone().enumerate() {
            if id.is_empty() {
                return Err(OrgError::at(format!("[{i}].id"), InputErrorKind::EmptyId));
            }
            let (_, new) = dir.ids.intern(id)?;
            if !new {
                return Err(OrgError::at(
                    format!("[{i}].id"),
                    InputErrorKind::DuplicateId { id: id.to_owned() },
                ));
            }
        }
        let n = dir.ids.len();
        dir.manager = vec![NONE; n];
        dir.active = vec![true; n];
        dir.reports = vec![0; n];
        for (i, (id, manager)) in records.enumerate() {
            let Some(m) = manager else { continue };
            let at = || format!("[{i}].managerId");
            if m == id {
                return Err(OrgError::at(
                    at(),
                    OrgErrorKind::SelfManager { id: id.to_owned() },
                ));
            }
            let mid = dir.ids.get(m).ok_or_else(|| {
                OrgError::at(at(), OrgErrorKind::UnknownUser { id: m.to_owned() })
            })?;
            if let Some(slot) = dir.manager.get_mut(i) {
                *slot = mid.index();
            }
            if let Some(r) = dir.reports.get_mut(mid.index() as usize) {
                *r += 1;
            }
        }
        if let Some(cycle) = find_cycle(&dir.manager) {
            let users = cycle
                .into_iter()
                .map(|u| dir.name(UserId::from_index(u)).to_owned())
                .collect();
            return Err(OrgError::new(OrgErrorKind::ManagerCycle { users }));
        }
        Ok(dir)
    }
}

/// The first manager cycle found, in manager order, without recursion: each walk up the chain
/// stops at a user already settled, so the whole scan is linear.
pub(crate) fn find_cycle(manager: &[u32]) -> Option<Vec<u32>> {
    const UNSEEN: u8 = 0;
    const ON_PATH: u8 = 1;
    const SETTLED: u8 = 2;
    let mut state = vec![UNSEEN; manager.len()];
    let mut path = Vec::new();
    for start in 0..manager.len() as u32 {
        let mut cur = start;
        while let Some(s @ &mut UNSEEN) = state.get_mut(cur as usize) {
            *s = ON_PATH;
            path.push(cur);
            cur = manager.get(cur as usize).copied().unwrap_or(NONE);
        }
        if state.get(cur as usize) == Some(&ON_PATH) {
            let from = path.iter().position(|&p| p == cur).unwrap_or(0);
            return Some(path.split_off(from));
        }
        for p in path.drain(..) {
            if let Some(s) = state.get_mut(p as usize) {
                *s = SETTLED;
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cycle_is_found_in_manager_order() {
        // 0 -> 1 -> 2 -> 0, 3 -> 0
        let cycle = find_cycle(&[1, 2, 0, 0]).unwrap();
        assert_eq!(cycle, vec![0, 1, 2]);
        assert_eq!(find_cycle(&[NONE, 0, 1]), None);
    }
}
