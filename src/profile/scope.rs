//! Compiled scope rules: each (profile, domain) becomes a small enum, so a check is a `match`
//! and one or two interval comparisons.

use smallvec::SmallVec;

use crate::id::{NONE, UserId};
use crate::org::tree::{Node, TreeIndex};
use crate::profile::Level;

/// The compiled form of one `{permissionLevel, teamLeadIds}`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Rule {
    Nobody,
    All,
    Own,
    /// `report-to-them`: the viewer's subtree.
    SubtreeOfSelf,
    /// `managers-team` without leads: the subtree of the viewer's manager (or the viewer's own
    /// subtree for a root).
    SubtreeOfManager,
    /// `managers-team` with leads: the viewer, plus the union of the leads' subtrees, stored in
    /// `Snapshot::lead_sets` at this index.
    Leads(u32),
}

impl Rule {
    /// The rule of a level, given where the level's lead intervals were stored.
    pub(crate) fn of(level: Level, lead_set: Option<u32>) -> Rule {
        match (level, lead_set) {
            (Level::All, _) => Rule::All,
            (Level::ManagersTeam, Some(i)) => Rule::Leads(i),
            (Level::ManagersTeam, None) => Rule::SubtreeOfManager,
            (Level::ReportToThem, _) => Rule::SubtreeOfSelf,
            (Level::Own, _) => Rule::Own,
            (Level::None, _) => Rule::Nobody,
        }
    }

    /// The preorder interval `[lo, hi)` this rule reaches for a viewer at `own` whose
    /// manager's subtree is `team`, or `None` for `Leads` (a binary search, see [`Reach`]).
    ///
    /// The interval is picked from a small table by the rule's kind instead of a `match`
    /// on it: with viewers drawn at random the rule kind is unpredictable, and a mispredicted
    /// branch would throw away the cache misses the CPU already has in flight for the next
    /// checks. A viewer outside the tree (`own.pos == NONE`) reaches nobody; an owner outside
    /// it (position `NONE`) lies in no interval, since every `hi` is at most `NONE`.
    #[inline(always)]
    pub(crate) fn span(self, own: Node, team: Node) -> Option<(u32, u32)> {
        let kind: usize = match self {
            Rule::Nobody => 0,
            Rule::All => 1,
            Rule::Own => 2,
            Rule::SubtreeOfSelf => 3,
            Rule::SubtreeOfManager => 4,
            Rule::Leads(_) => return None,
        };
        let kind = if own.pos == NONE { 0 } else { kind };
        let spans = [
            (1, 0),
            (0, NONE),
            (own.pos, own.pos.wrapping_add(1)),
            (own.pos, own.end),
            (team.pos, team.end),
        ];
        Some(spans.get(kind).copied().unwrap_or((1, 0)))
    }
}

/// Whether preorder position `pos` lies in `[lo, hi)`, without a branch.
#[inline(always)]
pub(crate) fn in_span((lo, hi): (u32, u32), pos: u32) -> bool {
    (lo <= pos) & (pos < hi)
}

/// A union of subtrees as sorted, disjoint, non-adjacent `[start, end)` preorder intervals.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct IntervalSet(SmallVec<[(u32, u32); 2]>);

impl IntervalSet {
    /// The union of the subtrees of `leads`; leads outside the tree add nothing.
    pub(crate) fn of_subtrees(tree: &TreeIndex, leads: &[UserId]) -> IntervalSet {
        let mut spans: SmallVec<[(u32, u32); 2]> = leads
            .iter()
            .filter_map(|&l| tree.node(l))
            .map(|n| (n.pos, n.end))
            .collect();
        spans.sort_unstable();
        let mut merged: SmallVec<[(u32, u32); 2]> = SmallVec::new();
        for (s, e) in spans {
            match merged.last_mut() {
                // Subtrees nest or are disjoint; adjacent ones merge too.
                Some(last) if s <= last.1 => last.1 = last.1.max(e),
                _ => merged.push((s, e)),
            }
        }
        IntervalSet(merged)
    }

    /// Whether `pos` lies in one of the intervals.
    #[inline]
    pub(crate) fn contains(&self, pos: u32) -> bool {
        let spans = self.0.as_slice();
        // The last interval starting at or before `pos` is the only candidate.
        let i = spans.partition_point(|&(s, _)| s <= pos);
        match i.checked_sub(1).and_then(|i| spans.get(i)) {
            Some(&(_, e)) => pos < e,
            None => false,
        }
    }

    pub(crate) fn spans(&self) -> &[(u32, u32)] {
        &self.0
    }

    pub(crate) fn heap_bytes(&self) -> usize {
        if self.0.spilled() {
            self.0.capacity() * 8
        } else {
            0
        }
    }
}

/// Which owners one viewer may access in one domain: the viewer's rule resolved against the
/// tree once, so each owner costs one position load and at most a binary search.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Reach<'s> {
    Nobody,
    All,
    /// Only the owner at this position.
    Own(u32),
    /// Preorder positions `[start, end)`.
    Span(u32, u32),
    /// The viewer's own position, plus the lead intervals.
    Leads(u32, &'s IntervalSet),
}

impl<'s> Reach<'s> {
    /// Resolves `rule` for the viewer at `viewer`.
    #[inline]
    pub(crate) fn resolve(
        rule: Rule,
        v: UserId,
        viewer: Node,
        tree: &TreeIndex,
        lead_sets: &'s [IntervalSet],
    ) -> Reach<'s> {
        match rule {
            Rule::Nobody => Reach::Nobody,
            Rule::All => Reach::All,
            Rule::Own => Reach::Own(viewer.pos),
            Rule::SubtreeOfSelf => Reach::Span(viewer.pos, viewer.end),
            Rule::SubtreeOfManager => match tree.team(v) {
                Some(team) => Reach::Span(team.pos, team.end),
                None => Reach::Nobody,
            },
            Rule::Leads(i) => match lead_sets.get(i as usize) {
                Some(set) => Reach::Leads(viewer.pos, set),
                // A rule always points at a stored set; if not, grant only the viewer's own.
                None => Reach::Own(viewer.pos),
            },
        }
    }

    /// Whether the owner at preorder position `pos` is reached; `NONE` (an owner outside the
    /// tree) never is.
    #[inline]
    pub(crate) fn covers(&self, pos: u32) -> bool {
        match *self {
            Reach::Nobody => false,
            Reach::All => pos != NONE,
            Reach::Own(p) => p == pos,
            Reach::Span(s, e) => s <= pos && pos < e,
            Reach::Leads(own, set) => own == pos || set.contains(pos),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interval_set_merges_and_searches() {
        let set = IntervalSet(smallvec::smallvec![(2, 5), (7, 9)]);
        assert!(!set.contains(1));
        assert!(set.contains(2) && set.contains(4));
        assert!(!set.contains(5) && !set.contains(6));
        assert!(set.contains(8) && !set.contains(9));
    }
}
