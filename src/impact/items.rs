//! What changed in the items family: for each item and verb, the users who may now, or may no
//! longer, perform it.
//!
//! An item's answer for a verb depends on its record (type, active owners, effective list),
//! the members of its list's team entries, the holders of its list's role entries, and each
//! user's word (active, admin, view-only, the type's gates). Items whose record, team
//! members or role holders changed are compared with the reverse query; users whose word
//! changed are compared item by item when they are few, and otherwise every item of the
//! types their gates changed for is compared with the reverse query.

use hashbrown::{HashMap, HashSet};
use roaring::RoaringBitmap;

use crate::id::{DenseId, UserId};
use crate::impact::remap::Remap;
use crate::items::compiled::{ACTIVE, ADMIN, CompiledItems, ItemRec, ListRec, VIEW_ONLY, gate_of};
use crate::items::store::ItemId;
use crate::items::verbs::{ItemType, Verb};
use crate::org::compiled::CompiledOrg;
use crate::rbac::compiled::CompiledRbac;
use crate::rbac::ids::RoleId;
use crate::snapshot::Snapshot;

#[derive(Clone, Debug)]
pub(crate) struct ItemDelta {
    pub(crate) item: ItemId,
    pub(crate) verb: Verb,
    pub(crate) gained: RoaringBitmap,
    pub(crate) lost: RoaringBitmap,
}

/// Users whose word changed beyond this count are compared item by item no more: the
/// affected item types go through the reverse query instead.
const FORWARD_USERS: usize = 16;

/// A list's comparable content: account and admin verbs, then its user, team and role entries.
type ListKey = (
    u8,
    u8,
    Vec<(u32, u8)>,
    Vec<(u32, bool, u8)>,
    Vec<(RoleId, u8)>,
);

/// A list's entries in terms both snapshots share (team-tree positions are left out: a team
/// edit renumbers them).
fn list_key(c: &CompiledItems, l: &ListRec) -> ListKey {
    (
        l.account,
        l.admins,
        c.list_users(l).iter().map(|e| (e.user, e.verbs)).collect(),
        c.list_teams(l)
            .iter()
            .map(|e| (e.team, e.sub_teams, e.verbs))
            .collect(),
        c.list_roles(l).iter().map(|e| (e.role, e.verbs)).collect(),
    )
}

fn holders_differ(b: &CompiledRbac, a: &CompiledRbac, r: RoleId, remap: &Remap) -> bool {
    let empty = RoaringBitmap::new();
    let x = b.holders_any_of(r).unwrap_or(&empty);
    let y = a.holders_any_of(r).unwrap_or(&empty);
    x.len() != y.len() || remap.to_after(x) != *y
}

pub(crate) fn diff(
    before: &Snapshot,
    after: &Snapshot,
    remap: &Remap,
    teams_changed: bool,
    rbac_changed: bool,
) -> Vec<ItemDelta> {
    let (b, a) = (&*before.items, &*after.items);
    let (bo, ao): (&CompiledOrg, &CompiledOrg) = (&before.org, &after.org);
    let n_items = b.recs.len().max(a.recs.len()) as u32;
    let n_users = bo.n_users.max(ao.n_users) as u32;

    // Users whose word changed, and what changed in it.
    let mut word_users: Vec<UserId> = Vec::new();
    let mut types_opened = [false; ItemType::COUNT];
    let mut flags_changed = false;
    for u in (0..n_users).map(UserId::from_index) {
        let (x, y) = (b.word(u), a.word(u));
        if x == y {
            continue;
        }
        word_users.push(u);
        if (x ^ y) & (ACTIVE | ADMIN | VIEW_ONLY) != 0 {
            flags_changed = true;
        }
        for (t, slot) in types_opened.iter_mut().enumerate() {
            if gate_of(x, t as u8) != gate_of(y, t as u8) {
                *slot = true;
            }
        }
    }
    let forward = word_users.len() <= FORWARD_USERS;

    // Items whose answers may differ for users beyond `word_users`.
    let mut role_changed: HashMap<RoleId, bool> = HashMap::new();
    let mut team_changed: HashMap<(u32, bool), bool> = HashMap::new();
    let mut same_list: HashMap<(u32, u32), bool> = HashMap::new();
    let mut candidates: Vec<ItemId> = Vec::new();
    for i in (0..n_items).map(ItemId::from_index) {
        let (rb, ra): (Option<&ItemRec>, Option<&ItemRec>) = (b.get(i), a.get(i));
        let changed = match (rb, ra) {
            (None, None) => false,
            (Some(x), Some(y)) => {
                if (!forward && (flags_changed || types_opened.get(x.kind as usize) == Some(&true)))
                    || x.kind != y.kind
                    || b.owners_of(x) != a.owners_of(y)
                {
                    true
                } else {
                    let (lb, la) = (b.lists.get(x.list as usize), a.lists.get(y.list as usize));
                    match (lb, la) {
                        (Some(lb), Some(la)) => {
                            let same = *same_list.entry((x.list, y.list)).or_insert_with(|| {
                                if list_key(b, lb) != list_key(a, la) {
                                    return false;
                                }
                                let teams_same = !teams_changed
                                    || b.list_team_sets(lb).zip(a.list_team_sets(la)).all(
                                        |((e, sb), (_, sa))| {
                                            !*team_changed
                                                .entry((e.team, e.sub_teams))
                                                .or_insert_with(|| {
                                                    sb.len() != sa.len()
                                                        || remap.to_after(sb) != *sa
                                                })
                                        },
                                    );
                                let roles_same = !rbac_changed
                                    || b.list_roles(lb).iter().all(|e| {
                                        !*role_changed.entry(e.role).or_insert_with(|| {
                                            holders_differ(&before.rbac, &after.rbac, e.role, remap)
                                        })
                                    });
                                teams_same && roles_same
                            });
                            !same
                        }
                        _ => lb.is_some() != la.is_some(),
                    }
                }
            }
            _ => true,
        };
        if changed {
            candidates.push(i);
        }
    }

    let (vb, va) = (before.items(), after.items());
    let mut out: Vec<ItemDelta> = Vec::new();
    let mut seen: HashSet<ItemId> = HashSet::new();
    for &i in &candidates {
        seen.insert(i);
        for verb in Verb::ALL {
            let old = vb.who_can(i, verb).into_positions();
            let new = va.who_can(i, verb).into_positions();
            let gained = &new - &remap.to_after(&old);
            let lost = &old - &remap.to_before(&new);
            if !gained.is_empty() || !lost.is_empty() {
                out.push(ItemDelta {
                    item: i,
                    verb,
                    gained,
                    lost,
                });
            }
        }
    }

    if forward && !word_users.is_empty() {
        // The few users whose word changed, on every other item.
        let mut extra: HashMap<(ItemId, Verb), (RoaringBitmap, RoaringBitmap)> = HashMap::new();
        for i in (0..n_items).map(ItemId::from_index) {
            if seen.contains(&i) || (b.get(i).is_none() && a.get(i).is_none()) {
                continue;
            }
            for &u in &word_users {
                for verb in Verb::ALL {
                    let (x, y) = (vb.can(u, i, verb), va.can(u, i, verb));
                    if x == y {
                        continue;
                    }
                    let entry = extra.entry((i, verb)).or_default();
                    if y {
                        entry.0.insert(ao.tree.pos(u));
                    } else {
                        entry.1.insert(bo.tree.pos(u));
                    }
                }
            }
        }
        let mut extra: Vec<_> = extra.into_iter().collect();
        extra.sort_unstable_by_key(|((i, v), _)| (i.index(), *v as u8));
        out.extend(
            extra
                .into_iter()
                .map(|((item, verb), (gained, lost))| ItemDelta {
                    item,
                    verb,
                    gained,
                    lost,
                }),
        );
        out.sort_unstable_by_key(|d| (d.item.index(), d.verb as u8));
    }
    out
}
