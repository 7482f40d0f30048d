//! What changed in the roles family: the holders of each permission (anywhere, and per
//! division for division-aware ones) and of each action.
//!
//! Only permissions some change can reach are compared: those whose catalog flags changed,
//! those a role gained or lost, and every permission of a role whose holders changed (in any
//! scope). The holders of each such permission are then two reverse queries, compared in one
//! numbering.

use roaring::RoaringBitmap;

use crate::impact::remap::Remap;
use crate::rbac::compiled::{AWARE, CompiledRbac};
use crate::rbac::ids::{ActionId, DivisionId, PermissionId, RoleId, ix};
use crate::snapshot::Snapshot;

/// A permission's change of holders: anywhere (`division: None`) or in one division.
#[derive(Clone, Debug)]
pub(crate) struct PermissionDelta {
    pub(crate) permission: PermissionId,
    pub(crate) division: Option<DivisionId>,
    pub(crate) gained: RoaringBitmap,
    pub(crate) lost: RoaringBitmap,
}

/// An action's change of holders.
#[derive(Clone, Debug)]
pub(crate) struct ActionDelta {
    pub(crate) action: ActionId,
    pub(crate) gained: RoaringBitmap,
    pub(crate) lost: RoaringBitmap,
}

#[derive(Clone, Debug, Default)]
pub(crate) struct RbacImpact {
    pub(crate) permissions: Vec<PermissionDelta>,
    pub(crate) actions: Vec<ActionDelta>,
}

/// The permissions role `r` grants without condition, by dense id.
fn role_atoms(c: &CompiledRbac, r: RoleId) -> RoaringBitmap {
    let live = c.roles.get(ix(r)).is_some_and(Option::is_some);
    if !live {
        return RoaringBitmap::new();
    }
    (0..c.flags.len() as u32)
        .filter(|&a| c.role_has(r, a))
        .collect()
}

/// Whether role `r`'s holders (anywhere, in `*`, per division) differ, in one numbering.
fn holders_changed(b: &CompiledRbac, a: &CompiledRbac, r: RoleId, remap: &Remap) -> bool {
    let same = |x: Option<&RoaringBitmap>, y: Option<&RoaringBitmap>| {
        let empty = RoaringBitmap::new();
        let x = x.unwrap_or(&empty);
        let y = y.unwrap_or(&empty);
        if remap.is_identity() {
            x == y
        } else {
            x.len() == y.len() && remap.to_after(x) == *y
        }
    };
    if !same(b.holders_any_of(r), a.holders_any_of(r))
        || !same(b.holders_star_of(r), a.holders_star_of(r))
    {
        return true;
    }
    let divs = |c: &CompiledRbac| {
        c.holders_div
            .iter()
            .filter(|(k, _)| (k >> 32) as u32 == r.as_u32())
            .map(|(k, _)| *k as u32)
            .collect::<Vec<u32>>()
    };
    let (db, da) = (divs(b), divs(a));
    if db != da {
        return true;
    }
    db.iter()
        .any(|&d| !same(b.holders_in(r, d), a.holders_in(r, d)))
}

fn delta(
    remap: &Remap,
    old: RoaringBitmap,
    new: RoaringBitmap,
) -> Option<(RoaringBitmap, RoaringBitmap)> {
    let gained = &new - &remap.to_after(&old);
    let lost = &old - &remap.to_before(&new);
    (!gained.is_empty() || !lost.is_empty()).then_some((gained, lost))
}

pub(crate) fn diff(before: &Snapshot, after: &Snapshot, remap: &Remap) -> RbacImpact {
    let (b, a) = (&*before.rbac, &*after.rbac);
    let mut out = RbacImpact::default();

    // Permissions some change reaches.
    let n_atoms = b.flags.len().max(a.flags.len()) as u32;
    let mut atoms: RoaringBitmap = (0..n_atoms)
        .filter(|&i| b.flags.get(i as usize) != a.flags.get(i as usize))
        .collect();
    let n_roles = b.roles.len().max(a.roles.len()) as u32;
    for r in (0..n_roles).map(RoleId::new) {
        let (old, new) = (role_atoms(b, r), role_atoms(a, r));
        if holders_changed(b, a, r, remap) {
            atoms |= &old | &new;
        } else {
            atoms |= &old ^ &new;
        }
    }

    let rb = before.rbac();
    let ra = after.rbac();
    let n_divs = b.division_ids.len().max(a.division_ids.len()) as u32;
    for atom in atoms.iter().map(PermissionId::new) {
        let anywhere = delta(
            remap,
            rb.users_holding_permission(atom).into_positions(),
            ra.users_holding_permission(atom).into_positions(),
        );
        if let Some((gained, lost)) = anywhere {
            out.permissions.push(PermissionDelta {
                permission: atom,
                division: None,
                gained,
                lost,
            });
        }
        let aware = |c: &CompiledRbac| c.flags.get(ix(atom)).is_some_and(|f| f & AWARE != 0);
        if !aware(b) && !aware(a) {
            continue;
        }
        for d in (0..n_divs).map(DivisionId::new) {
            let per_division = delta(
                remap,
                rb.users_with_permission(atom, d).into_positions(),
                ra.users_with_permission(atom, d).into_positions(),
            );
            if let Some((gained, lost)) = per_division {
                out.permissions.push(PermissionDelta {
                    permission: atom,
                    division: Some(d),
                    gained,
                    lost,
                });
            }
        }
    }

    let n_actions = b.action_ids.len().max(a.action_ids.len()) as u32;
    for action in (0..n_actions).map(ActionId::new) {
        if let Some((gained, lost)) = delta(
            remap,
            rb.users_with_action(action).into_positions(),
            ra.users_with_action(action).into_positions(),
        ) {
            out.actions.push(ActionDelta {
                action,
                gained,
                lost,
            });
        }
    }
    out
}
