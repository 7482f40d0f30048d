//! What changed in the profiles family: each viewer's reach per (workspace, domain), and each
//! user's capabilities and library folders per workspace.
//!
//! Candidates first, then exact differences for the candidates only. A viewer's reach can
//! differ only if their profile changed (or they gained, lost or left one), their profile's
//! rule for the domain changed, or — when the org tree changed — the subtree their rule
//! names changed its members. A subtree changes its members exactly when its root is an
//! ancestor (before or after) of a user whose manager or presence changed, so those roots are
//! collected once and each rule tests its own root.

use roaring::RoaringBitmap;

use crate::id::{DenseId, NONE, UserId, WorkspaceId};
use crate::impact::remap::{Remap, normalize, spans_minus};
use crate::org::compiled::CompiledOrg;
use crate::profile::Domain;
use crate::profile::compiled::{CompiledProfile, CompiledProfiles};
use crate::profile::scope::Rule;
use crate::profile::viewer::Reach;
use crate::snapshot::Snapshot;

/// One viewer's reach change in one (workspace, domain).
#[derive(Clone, Debug)]
pub(crate) struct ReachDelta {
    pub(crate) workspace: WorkspaceId,
    pub(crate) domain: Domain,
    pub(crate) viewer: UserId,
    /// After positions.
    pub(crate) gained: RoaringBitmap,
    /// Before positions.
    pub(crate) lost: RoaringBitmap,
}

/// One user's change of a set of named things (capabilities or folders) in one workspace.
#[derive(Clone, Debug)]
pub(crate) struct NamesDelta {
    pub(crate) workspace: WorkspaceId,
    pub(crate) user: UserId,
    /// Dense ids, named by the after snapshot.
    pub(crate) gained: RoaringBitmap,
    /// Dense ids, named by the before snapshot.
    pub(crate) lost: RoaringBitmap,
}

/// The profiles family's changes.
#[derive(Clone, Debug, Default)]
pub(crate) struct ProfilesImpact {
    pub(crate) reach: Vec<ReachDelta>,
    pub(crate) capabilities: Vec<NamesDelta>,
    pub(crate) folders: Vec<NamesDelta>,
    /// Users whose profile in a workspace changed (assigned, unassigned, another one, or
    /// joined or left the tree): the calls family compares their calls whole.
    pub(crate) reassigned: Vec<(WorkspaceId, UserId)>,
}

/// Users whose subtree may hold other members after the change: the ancestors (in either
/// tree) of every user whose manager or presence changed, by dense id.
pub(crate) fn changed_roots(before: &CompiledOrg, after: &CompiledOrg) -> RoaringBitmap {
    let n = before.n_users.max(after.n_users) as u32;
    let mut in_before = RoaringBitmap::new();
    let mut in_after = RoaringBitmap::new();
    for u in (0..n).map(UserId::from_index) {
        let moved = before.tree.node(u).is_some() != after.tree.node(u).is_some()
            || before.tree.manager(u) != after.tree.manager(u);
        if !moved {
            continue;
        }
        for (roots, org) in [(&mut in_before, before), (&mut in_after, after)] {
            roots.insert(u.index());
            // Marking always climbs to the root, so a marked user's ancestors are marked
            // and the walk may stop there: every user is climbed past once per tree.
            let mut cur = org.tree.manager(u);
            while let Some(m) = cur {
                if !roots.insert(m.index()) {
                    break;
                }
                cur = org.tree.manager(m);
            }
        }
    }
    in_before | in_after
}

/// A viewer's reach in `(w, d)` as normalized position intervals of its snapshot.
fn reach_spans(
    p: &CompiledProfiles,
    org: &CompiledOrg,
    v: UserId,
    w: WorkspaceId,
    d: Domain,
) -> Vec<(u32, u32)> {
    let Some(scope) = p.viewer_scope(org, v, w, d) else {
        return Vec::new();
    };
    let mut spans = match scope.reach {
        Reach::Nobody => Vec::new(),
        Reach::All => vec![(0, org.tree.len())],
        Reach::Own(pos) => vec![(pos, pos + 1)],
        Reach::Span(s, e) => vec![(s, e)],
        Reach::Leads(own, set) => {
            let mut v = set.spans().to_vec();
            v.push((own, own + 1));
            v
        }
    };
    normalize(&mut spans);
    spans
}

fn profile(p: &CompiledProfiles, i: u32) -> Option<&CompiledProfile> {
    p.profiles.get(i as usize).filter(|c| c.live)
}

/// Whether profile `i`'s rule for `d` differs between the snapshots (by level and leads).
fn rule_changed(b: &CompiledProfiles, a: &CompiledProfiles, i: u32, d: Domain) -> bool {
    match (profile(b, i), profile(a, i)) {
        (None, None) => false,
        (Some(x), Some(y)) => {
            x.level(d) != y.level(d) || x.leads.get(d.index()) != y.leads.get(d.index())
        }
        _ => true,
    }
}

fn library_changed(b: &CompiledProfiles, a: &CompiledProfiles, i: u32) -> bool {
    match (profile(b, i), profile(a, i)) {
        (None, None) => false,
        (Some(x), Some(y)) => x.library_level != y.library_level || x.folders != y.folders,
        _ => true,
    }
}

fn caps_of(p: &CompiledProfiles, i: u32) -> RoaringBitmap {
    if i == NONE || profile(p, i).is_none() {
        return RoaringBitmap::new();
    }
    p.caps.of_profile(i).map(|c| c.index()).collect()
}

pub(crate) fn diff(
    before: &Snapshot,
    after: &Snapshot,
    remap: &Remap,
    roots: Option<&RoaringBitmap>,
    presence_changed: bool,
    folders_changed: bool,
) -> ProfilesImpact {
    let mut out = ProfilesImpact::default();
    let (bp, ap) = (&*before.profiles, &*after.profiles);
    let (bo, ao) = (&*before.org, &*after.org);
    let n_users = bo.n_users.max(ao.n_users) as u32;
    let n_ws = bo.workspaces.len().max(ao.workspaces.len()) as u32;
    let n_profiles = bp.profiles.len().max(ap.profiles.len()) as u32;
    let in_roots = |u: UserId| roots.is_some_and(|r| r.contains(u.index()));
    let root_of_team = |org: &CompiledOrg, u: UserId| {
        org.tree
            .team(u)
            .and_then(|t| org.tree.user_at(t.pos))
            .is_some_and(in_roots)
    };

    // Per profile and domain: whether every holder's reach must be recomputed.
    let mut affected = vec![[false; Domain::COUNT]; n_profiles as usize];
    let mut caps_changed = vec![false; n_profiles as usize];
    let mut lib_changed = vec![false; n_profiles as usize];
    for i in 0..n_profiles {
        let Some(row) = affected.get_mut(i as usize) else {
            continue;
        };
        for d in Domain::ALL {
            let leads_moved = roots.is_some()
                && profile(ap, i).is_some_and(|c| {
                    matches!(c.rule(d), Rule::Leads(_))
                        && c.leads
                            .get(d.index())
                            .is_some_and(|l| l.iter().any(|&x| in_roots(x)))
                });
            if let Some(slot) = row.get_mut(d.index()) {
                *slot = rule_changed(bp, ap, i, d) || leads_moved;
            }
        }
        if let Some(c) = caps_changed.get_mut(i as usize) {
            *c = caps_of(bp, i) != caps_of(ap, i);
        }
        if let Some(c) = lib_changed.get_mut(i as usize) {
            *c = library_changed(bp, ap, i);
        }
    }
    let flag = |v: &[bool], i: u32| v.get(i as usize).copied().unwrap_or(false);

    for w in (0..n_ws).map(WorkspaceId::from_index) {
        let bview = before.in_workspace(w);
        let aview = after.in_workspace(w);
        for u in (0..n_users).map(UserId::from_index) {
            let p0 = bp.profile_index(u, w);
            let p1 = ap.profile_index(u, w);
            if p0 == NONE && p1 == NONE {
                continue;
            }
            let reassigned = p0 != p1;
            if reassigned {
                out.reassigned.push((w, u));
            }
            for d in Domain::ALL {
                let candidate = reassigned
                    || affected
                        .get(p1 as usize)
                        .and_then(|r| r.get(d.index()))
                        .copied()
                        .unwrap_or(false)
                    || (roots.is_some()
                        && match ap.rule(u, w, d) {
                            Rule::All => presence_changed,
                            Rule::SubtreeOfSelf => in_roots(u),
                            Rule::SubtreeOfManager => {
                                bo.tree.manager(u) != ao.tree.manager(u)
                                    || root_of_team(bo, u)
                                    || root_of_team(ao, u)
                            }
                            // Leads are tested per profile above; own and nobody follow
                            // presence, which `reassigned` covers.
                            Rule::Leads(_) | Rule::Own | Rule::Nobody => false,
                        });
                if !candidate {
                    continue;
                }
                let old = reach_spans(bp, bo, u, w, d);
                let new = reach_spans(ap, ao, u, w, d);
                let gained = spans_minus(&new, &remap.spans_to_after(&old));
                let lost = spans_minus(&old, &remap.spans_to_before(&new));
                if !gained.is_empty() || !lost.is_empty() {
                    out.reach.push(ReachDelta {
                        workspace: w,
                        domain: d,
                        viewer: u,
                        gained,
                        lost,
                    });
                }
            }
            if reassigned || flag(&caps_changed, p1) {
                let old = caps_of(bp, p0);
                let new = caps_of(ap, p1);
                if old != new {
                    out.capabilities.push(NamesDelta {
                        workspace: w,
                        user: u,
                        gained: &new - &old,
                        lost: &old - &new,
                    });
                }
            }
            if reassigned || folders_changed || flag(&lib_changed, p1) {
                let old = bview.folders_of(u).into_bitmap();
                let new = aview.folders_of(u).into_bitmap();
                if old != new {
                    out.folders.push(NamesDelta {
                        workspace: w,
                        user: u,
                        gained: &new - &old,
                        lost: &old - &new,
                    });
                }
            }
        }
    }
    out
}
