//! Org-chart positions of one snapshot in the other's numbering.
//!
//! Sets of users are roaring bitmaps over preorder positions, and a change to the org tree
//! renumbers them. An impact compares the two snapshots' sets in one numbering: gained users
//! are kept in the after snapshot's positions, lost users in the before snapshot's (a lost
//! user may no longer be in the tree). Dense user ids are the same in both snapshots of one
//! lineage, so a position maps through the user at it.

use roaring::RoaringBitmap;

use crate::id::{DenseId, NONE, UserId};
use crate::org::compiled::CompiledOrg;

/// A contiguous run of positions that keeps its order: `[from, from + len)` maps to
/// `[to, to + len)`.
#[derive(Clone, Copy, Debug)]
struct Run {
    from: u32,
    len: u32,
    to: u32,
}

/// One direction of the mapping, as runs (a subtree move leaves a handful).
#[derive(Clone, Debug, Default)]
struct Direction {
    runs: Vec<Run>,
}

impl Direction {
    fn build(from: &CompiledOrg, to: &CompiledOrg) -> Direction {
        let mut runs: Vec<Run> = Vec::new();
        for p in 0..from.tree.len() {
            let target = from.tree.user_at(p).map_or(NONE, |u| to.tree.pos(u));
            if target == NONE {
                continue;
            }
            match runs.last_mut() {
                Some(r) if r.from + r.len == p && r.to + r.len == target => r.len += 1,
                _ => runs.push(Run {
                    from: p,
                    len: 1,
                    to: target,
                }),
            }
        }
        Direction { runs }
    }

    /// The runs overlapping `[s, e)`, clipped, as target intervals.
    fn spans(&self, s: u32, e: u32, out: &mut Vec<(u32, u32)>) {
        let first = self.runs.partition_point(|r| r.from + r.len <= s);
        for r in self.runs.get(first..).unwrap_or(&[]) {
            if r.from >= e {
                break;
            }
            let lo = s.max(r.from);
            let hi = e.min(r.from + r.len);
            if lo < hi {
                out.push((r.to + (lo - r.from), r.to + (hi - r.from)));
            }
        }
    }

    fn bitmap(&self, set: &RoaringBitmap) -> RoaringBitmap {
        let mut out: Vec<u32> = Vec::with_capacity(set.len() as usize);
        let mut i = 0usize;
        for p in set {
            // Positions ascend, so the run index only moves forward.
            while self.runs.get(i).is_some_and(|r| r.from + r.len <= p) {
                i += 1;
            }
            if let Some(r) = self.runs.get(i).filter(|r| r.from <= p) {
                out.push(r.to + (p - r.from));
            }
        }
        out.sort_unstable();
        RoaringBitmap::from_sorted_iter(out).unwrap_or_default()
    }
}

/// Positions of the before snapshot in the after snapshot's numbering and back; the identity
/// when both share one compiled org.
#[derive(Clone, Debug, Default)]
pub(crate) struct Remap {
    identity: bool,
    forward: Direction,
    backward: Direction,
}

impl Remap {
    pub(crate) fn new(before: &CompiledOrg, after: &CompiledOrg, same: bool) -> Remap {
        if same {
            return Remap {
                identity: true,
                ..Remap::default()
            };
        }
        Remap {
            identity: false,
            forward: Direction::build(before, after),
            backward: Direction::build(after, before),
        }
    }

    pub(crate) fn is_identity(&self) -> bool {
        self.identity
    }

    /// A set of before positions in after positions (users no longer in the tree drop out).
    pub(crate) fn to_after(&self, set: &RoaringBitmap) -> RoaringBitmap {
        if self.identity {
            set.clone()
        } else {
            self.forward.bitmap(set)
        }
    }

    /// A set of after positions in before positions.
    pub(crate) fn to_before(&self, set: &RoaringBitmap) -> RoaringBitmap {
        if self.identity {
            set.clone()
        } else {
            self.backward.bitmap(set)
        }
    }

    /// Intervals of before positions as intervals of after positions.
    pub(crate) fn spans_to_after(&self, spans: &[(u32, u32)]) -> Vec<(u32, u32)> {
        self.map_spans(&self.forward, spans)
    }

    /// Intervals of after positions as intervals of before positions.
    pub(crate) fn spans_to_before(&self, spans: &[(u32, u32)]) -> Vec<(u32, u32)> {
        self.map_spans(&self.backward, spans)
    }

    fn map_spans(&self, dir: &Direction, spans: &[(u32, u32)]) -> Vec<(u32, u32)> {
        if self.identity {
            return spans.to_vec();
        }
        let mut out = Vec::new();
        for &(s, e) in spans {
            dir.spans(s, e, &mut out);
        }
        normalize(&mut out);
        out
    }
}

/// Sorts and merges intervals in place.
pub(crate) fn normalize(spans: &mut Vec<(u32, u32)>) {
    spans.retain(|&(s, e)| s < e);
    spans.sort_unstable();
    let mut merged: Vec<(u32, u32)> = Vec::with_capacity(spans.len());
    for &(s, e) in spans.iter() {
        match merged.last_mut() {
            Some(last) if s <= last.1 => last.1 = last.1.max(e),
            _ => merged.push((s, e)),
        }
    }
    *spans = merged;
}

/// `a` minus `b`, both normalized, as a bitmap.
pub(crate) fn spans_minus(a: &[(u32, u32)], b: &[(u32, u32)]) -> RoaringBitmap {
    let mut out = RoaringBitmap::new();
    let mut j = 0usize;
    for &(s, e) in a {
        let mut cur = s;
        while j < b.len() && b.get(j).is_some_and(|&(_, be)| be <= cur) {
            j += 1;
        }
        let mut k = j;
        while cur < e {
            match b.get(k) {
                Some(&(bs, be)) if bs < e => {
                    if bs > cur {
                        out.insert_range(cur..bs);
                    }
                    cur = cur.max(be);
                    k += 1;
                }
                _ => {
                    out.insert_range(cur..e);
                    cur = e;
                }
            }
        }
    }
    out
}

/// Users whose presence in the tree differs between the two orgs, by dense id.
pub(crate) fn presence_changes(before: &CompiledOrg, after: &CompiledOrg) -> Vec<UserId> {
    let n = before.n_users.max(after.n_users) as u32;
    (0..n)
        .map(UserId::from_index)
        .filter(|&u| before.tree.node(u).is_some() != after.tree.node(u).is_some())
        .collect()
}
