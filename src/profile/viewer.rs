//! What the families above profiles (calls) read of the compiled profiles: a viewer's
//! resolved scope, profile libraries, lead sets and assigned users.

pub(crate) use super::scope::{IntervalSet, Reach};

use super::compiled::{CompiledProfile, CompiledProfiles};
use crate::id::{DenseId, FolderId, ProfileId, UserId, WorkspaceId};
use crate::org::compiled::CompiledOrg;
use crate::profile::{Domain, Level, LibraryLevel};

/// What a viewer holding a profile in a workspace reaches in one domain, and their library
/// access there.
#[derive(Clone, Copy, Debug)]
pub(crate) struct ViewerScope<'s> {
    /// The viewer's org-chart preorder position.
    pub(crate) pos: u32,
    /// The viewer's dense profile id.
    pub(crate) profile: u32,
    pub(crate) reach: Reach<'s>,
    compiled: &'s CompiledProfile,
    domain: Domain,
}

impl<'s> ViewerScope<'s> {
    pub(crate) fn level(&self) -> Level {
        self.compiled.level(self.domain)
    }

    pub(crate) fn library_level(&self) -> LibraryLevel {
        self.compiled.library_level
    }

    /// Sorted folder ids of a `specific-folders` profile.
    pub(crate) fn folders(&self) -> &'s [FolderId] {
        &self.compiled.folders
    }

    /// The reach as one position range `[lo, lo + width)` (compared with one wrapping
    /// subtraction, no branch per kind) plus, for `managers-team` with leads, the lead
    /// intervals. Level `all` is the whole range.
    #[inline]
    pub(crate) fn span(&self) -> (u32, u32, Option<&'s IntervalSet>) {
        match self.reach {
            Reach::Nobody => (0, 0, None),
            Reach::All => (0, u32::MAX, None),
            Reach::Own(p) => (p, 1, None),
            Reach::Span(s, e) => (s, e.saturating_sub(s), None),
            Reach::Leads(own, set) => (own, 1, Some(set)),
        }
    }
}

impl CompiledProfiles {
    /// The active viewer's scope in `domain` of `w`; `None` without a profile there.
    #[inline]
    pub(crate) fn viewer_scope<'s>(
        &'s self,
        org: &'s CompiledOrg,
        v: UserId,
        w: WorkspaceId,
        domain: Domain,
    ) -> Option<ViewerScope<'s>> {
        let node = org.tree.node(v)?;
        let (p, compiled) = self.compiled_profile(v, w)?;
        Some(ViewerScope {
            pos: node.pos,
            profile: p,
            reach: Reach::resolve(compiled.rule(domain), v, node, &org.tree, &self.lead_sets),
            compiled,
            domain,
        })
    }

    /// The lead intervals of profile `p` in `domain`, when its rule there is
    /// `managers-team` with leads.
    pub(crate) fn profile_lead_set(&self, p: u32, domain: Domain) -> Option<&IntervalSet> {
        match self.profiles.get(p as usize)?.rule(domain) {
            super::scope::Rule::Leads(i) => self.lead_sets.get(i as usize),
            _ => None,
        }
    }

    /// Library level and sorted folders of profile `p`.
    pub(crate) fn profile_library(&self, p: u32) -> (LibraryLevel, &[FolderId]) {
        match self.profiles.get(p as usize) {
            Some(c) => (c.library_level, &c.folders),
            None => (LibraryLevel::None, &[]),
        }
    }

    /// The users holding a profile in workspace `w`, ascending.
    pub(crate) fn assigned_users(&self, w: usize) -> impl Iterator<Item = u32> + '_ {
        self.assignment.entries(w).map(|(u, _)| u)
    }

    /// Whether the active user holds a profile in `w`.
    #[inline]
    pub(crate) fn has_profile_in(&self, org: &CompiledOrg, u: UserId, w: WorkspaceId) -> bool {
        org.tree.node(u).is_some() && self.compiled_profile(u, w).is_some()
    }

    pub(crate) fn profile_name(&self, p: u32) -> &str {
        self.profile_ids
            .name(ProfileId::from_index(p))
            .unwrap_or("")
    }
}
