//! The org tree as intervals.
//!
//! Active users are numbered in depth-first preorder: `pos[u]`, and `end[u]` one past the last
//! position of u's subtree, so `o ∈ subtree(x)` ⇔ `pos[x] <= pos[o] < end[x]` at any depth.
//! A second, breadth-first numbering makes every manager's direct reports one contiguous run,
//! which the reverse query for `managers-team` needs ("whose manager is an ancestor of o").
//! Everything is built iteratively: a million-deep chain costs no stack.

use core::ops::Range;

use crate::id::{DenseId, NONE, UserId};

/// The compiled position of an active user.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Node {
    /// Preorder position.
    pub(crate) pos: u32,
    /// One past the last preorder position of the subtree.
    pub(crate) end: u32,
}

impl Node {
    /// Whether preorder position `pos` lies in this node's subtree.
    #[inline]
    pub(crate) fn covers(&self, pos: u32) -> bool {
        self.pos <= pos && pos < self.end
    }
}

/// Preorder and breadth-first indexes of the active users.
#[derive(Clone, Debug, Default)]
pub(crate) struct TreeIndex {
    /// By dense user id: the user's node (`pos == NONE` outside the tree) and the node of
    /// their manager, or their own for a root — the span `managers-team` without leads
    /// reaches. Both halves sit in one 16-byte record, so a viewer costs one cache line. The
    /// manager is the user at the second half's `pos` (none when that is the user).
    nodes: Vec<[Node; 2]>,
    /// Breadth-first position of each user (by dense id).
    bfs: Vec<u32>,
    /// User at each preorder position.
    at_pos: Vec<u32>,
    /// User at each breadth-first position.
    at_bfs: Vec<u32>,
    /// Direct reports of the user at bfs position `b` are bfs `child_start[b]..child_start[b+1]`.
    child_start: Vec<u32>,
}

impl TreeIndex {
    /// Indexes the forest given by `manager` (by dense id, `NONE` for none) over the users
    /// marked active. A user whose manager is inactive is treated as a root; users caught in a
    /// cycle (which a valid model never holds) are left outside the tree, so every check about
    /// them is a Deny.
    pub(crate) fn build(manager: &[u32], active: &[bool]) -> Self {
        let n = manager.len();
        let is_active = |u: u32| active.get(u as usize).copied().unwrap_or(false);
        let parent = |u: u32| {
            let m = manager.get(u as usize).copied().unwrap_or(NONE);
            if m != NONE && is_active(m) { m } else { NONE }
        };

        // Children lists (CSR), each sorted by id because ids are visited in order.
        let mut kid_start = vec![0u32; n + 1];
        let mut roots = Vec::new();
        for u in 0..n as u32 {
            if !is_active(u) {
                continue;
            }
            match parent(u) {
                NONE => roots.push(u),
                m => {
                    if let Some(c) = kid_start.get_mut(m as usize + 1) {
                        *c += 1;
                    }
                }
            }
        }
        for i in 1..kid_start.len() {
            let prev = kid_start.get(i - 1).copied().unwrap_or(0);
            if let Some(c) = kid_start.get_mut(i) {
                *c += prev;
            }
        }
        let mut fill = kid_start.clone();
        let mut kids = vec![0u32; kid_start.last().copied().unwrap_or(0) as usize];
        for u in 0..n as u32 {
            if !is_active(u) {
                continue;
            }
            let m = parent(u);
            if m == NONE {
                continue;
            }
            if let Some(slot) = fill.get_mut(m as usize) {
                if let Some(k) = kids.get_mut(*slot as usize) {
                    *k = u;
                }
                *slot += 1;
            }
        }
        let kids_of = |u: u32| -> &[u32] {
            let s = kid_start.get(u as usize).copied().unwrap_or(0) as usize;
            let e = kid_start.get(u as usize + 1).copied().unwrap_or(0) as usize;
            kids.get(s..e).unwrap_or(&[])
        };

        // Breadth-first order: reports of each manager land next to each other.
        let mut at_bfs: Vec<u32> = Vec::with_capacity(n);
        at_bfs.extend_from_slice(&roots);
        let mut child_start = Vec::with_capacity(n + 1);
        let mut b = 0;
        while let Some(&u) = at_bfs.get(b) {
            child_start.push(at_bfs.len() as u32);
            at_bfs.extend_from_slice(kids_of(u));
            b += 1;
        }
        child_start.push(at_bfs.len() as u32);

        // Subtree sizes, leaves first (reverse breadth-first order).
        let mut size = vec![1u32; n];
        for &u in at_bfs.iter().rev() {
            let m = parent(u);
            if m != NONE {
                let s = size.get(u as usize).copied().unwrap_or(1);
                if let Some(ms) = size.get_mut(m as usize) {
                    *ms += s;
                }
            }
        }

        const OUTSIDE: Node = Node {
            pos: NONE,
            end: NONE,
        };
        let mut nodes = vec![OUTSIDE; n];
        let mut bfs = vec![NONE; n];
        for (b, &u) in at_bfs.iter().enumerate() {
            if let Some(slot) = bfs.get_mut(u as usize) {
                *slot = b as u32;
            }
        }

        // Preorder with an explicit stack, children pushed in reverse to pop in id order.
        let mut at_pos = Vec::with_capacity(at_bfs.len());
        let mut stack: Vec<u32> = roots.iter().rev().copied().collect();
        while let Some(u) = stack.pop() {
            let p = at_pos.len() as u32;
            at_pos.push(u);
            if let Some(node) = nodes.get_mut(u as usize) {
                node.pos = p;
                node.end = p + size.get(u as usize).copied().unwrap_or(1);
            }
            stack.extend(kids_of(u).iter().rev());
        }

        let mut records = vec![[OUTSIDE; 2]; n];
        for &u in &at_bfs {
            let of = match parent(u) {
                NONE => u,
                m => m,
            };
            let pair = (nodes.get(u as usize), nodes.get(of as usize));
            if let (Some(r), (Some(&own), Some(&team))) = (records.get_mut(u as usize), pair) {
                *r = [own, team];
            }
        }
        TreeIndex {
            nodes: records,
            bfs,
            at_pos,
            at_bfs,
            child_start,
        }
    }

    /// The node of an active user.
    #[inline]
    pub(crate) fn node(&self, u: UserId) -> Option<Node> {
        self.nodes
            .get(u.index() as usize)
            .map(|[own, _]| *own)
            .filter(|n| n.pos != NONE)
    }

    /// The user's own node and the node of their manager's subtree, as stored: `pos` is
    /// `NONE` in both for a user outside the tree (see [`TreeIndex::team`]).
    #[inline(always)]
    pub(crate) fn record(&self, u: UserId) -> Option<[Node; 2]> {
        self.nodes.get(u.index() as usize).copied()
    }

    /// The preorder position of a user, `NONE` for anyone outside the tree (which no interval
    /// covers).
    #[inline]
    pub(crate) fn pos(&self, u: UserId) -> u32 {
        self.nodes
            .get(u.index() as usize)
            .map_or(NONE, |[own, _]| own.pos)
    }

    /// The subtree of the user's manager, or the user's own for a root.
    #[inline]
    pub(crate) fn team(&self, u: UserId) -> Option<Node> {
        self.nodes
            .get(u.index() as usize)
            .map(|[_, team]| *team)
            .filter(|n| n.pos != NONE)
    }

    /// The user's manager, if the user is in the tree and has one.
    #[inline]
    pub(crate) fn manager(&self, u: UserId) -> Option<UserId> {
        let own = self.node(u)?;
        let team = self.team(u)?;
        if team.pos == own.pos {
            return None;
        }
        self.user_at(team.pos)
    }

    /// Number of users in the tree.
    pub(crate) fn len(&self) -> u32 {
        self.at_pos.len() as u32
    }

    /// The user at a preorder position.
    #[inline]
    pub(crate) fn user_at(&self, pos: u32) -> Option<UserId> {
        self.at_pos
            .get(pos as usize)
            .map(|&u| UserId::from_index(u))
    }

    /// The user at a breadth-first position.
    #[inline]
    pub(crate) fn user_at_bfs(&self, b: u32) -> Option<UserId> {
        self.at_bfs.get(b as usize).map(|&u| UserId::from_index(u))
    }

    /// The breadth-first position of a user in the tree.
    #[inline]
    pub(crate) fn bfs(&self, u: UserId) -> Option<u32> {
        self.node(u)?;
        self.bfs.get(u.index() as usize).copied()
    }

    /// Breadth-first positions of the user's direct reports.
    pub(crate) fn reports_bfs(&self, u: UserId) -> Range<u32> {
        let Some(&b) = self.bfs.get(u.index() as usize) else {
            return 0..0;
        };
        let s = self.child_start.get(b as usize).copied().unwrap_or(0);
        let e = self.child_start.get(b as usize + 1).copied().unwrap_or(s);
        s..e
    }

    /// The user and their managers up to the root, nearest first, with their nodes.
    pub(crate) fn ancestors_or_self(
        &self,
        user: UserId,
    ) -> impl Iterator<Item = (UserId, Node)> + '_ {
        let mut cur = Some(user);
        core::iter::from_fn(move || {
            let u = cur?;
            let n = self.node(u)?;
            cur = self.manager(u);
            Some((u, n))
        })
    }

    /// Heap bytes held.
    pub(crate) fn heap_bytes(&self) -> usize {
        self.nodes.capacity() * core::mem::size_of::<[Node; 2]>()
            + (self.bfs.capacity()
                + self.at_pos.capacity()
                + self.at_bfs.capacity()
                + self.child_start.capacity())
                * 4
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn preorder_intervals_and_report_runs() {
        // 0 is root; 1, 2 report to 0; 3 reports to 1; 4 inactive.
        let t = TreeIndex::build(&[NONE, 0, 0, 1, 0], &[true, true, true, true, false]);
        let n = |u| t.node(UserId::new(u)).unwrap();
        assert_eq!((n(0).pos, n(0).end), (0, 4));
        assert_eq!((n(1).pos, n(1).end), (1, 3));
        assert_eq!((n(3).pos, n(3).end), (2, 3));
        assert_eq!((n(2).pos, n(2).end), (3, 4));
        assert!(t.node(UserId::new(4)).is_none());
        let reports: Vec<_> = t
            .reports_bfs(UserId::new(0))
            .filter_map(|b| t.user_at_bfs(b))
            .collect();
        assert_eq!(reports, vec![UserId::new(1), UserId::new(2)]);
    }
}
