//! Model → compiled roles and permissions: the one-time work that makes a permission check
//! two or three loads and a bit test.
//!
//! - Every catalog permission is a bit position; each role compiles to a bitset of the
//!   permissions it grants without condition (wildcards expanded over the catalog, products
//!   gated, `admin` expanded to every available permission) plus a short sorted list of
//!   conditional grants.
//! - Each active user's grants (own, inherited from groups, the base role) form a
//!   *combination*: a sorted list of `(role, scope)`. Combinations are interned, so users
//!   with the same grants share one [`Combo`]; a combo points at *role sets* (the union bitset
//!   of a set of roles, interned too): every role held, the roles held in `*`, and the roles
//!   held in each division.
//! - Reverse queries use, per role, roaring bitmaps of the org-tree positions of its holders:
//!   anywhere, in `*`, and per division.

use std::sync::Arc;

use roaring::RoaringBitmap;
use smallvec::SmallVec;

use hashbrown::HashMap;

use crate::id::{DenseId, Interner, NONE, UserId};
use crate::org::chunked::Chunked;
use crate::org::compiled::CompiledOrg;
use crate::rbac::RbacStore;
use crate::rbac::actions::BoundPrincipal;
use crate::rbac::catalog::{ADMIN, Catalog, PermissionSpec};
use crate::rbac::condition::ConditionArena;
use crate::rbac::grants::Grant;
use crate::rbac::ids::{
    ActionId, DivisionId, GroupId, PermissionId, ResourceId, RoleId, SCOPE_ALL, SCOPE_NONE, ix,
};
use crate::rbac::role::RoleSpec;
use crate::rbac::tables::{Appended, Index, Rows};

/// Permission flag: its product is enabled (or it has none).
pub(crate) const AVAILABLE: u8 = 1;
/// Permission flag: division-aware.
pub(crate) const AWARE: u8 = 2;
/// Permission flag: allows conditions.
pub(crate) const CONDITIONAL: u8 = 4;
/// Permission flag: in the catalog (a removed permission keeps its slot without it).
pub(crate) const LIVE: u8 = 8;

/// A role, compiled.
#[derive(Clone, Debug)]
pub(crate) struct CompiledRole {
    pub(crate) spec: RoleSpec,
    /// Arena index of each policy's condition.
    pub(crate) conditions: Vec<Option<u32>>,
    /// Conditional grants `(permission, arena index)`, sorted, without the permissions the
    /// role grants unconditionally.
    pub(crate) conditional: Vec<(u32, u32)>,
    /// Whether the role holds an available `admin`.
    pub(crate) admin: bool,
}

/// The shared compiled form of one combination of grants.
#[derive(Clone, Debug)]
pub(crate) struct Combo {
    /// Role set of every role held (any scope).
    pub(crate) any: u32,
    /// Role set of the roles held in `*`.
    pub(crate) star: u32,
    /// `(division, role set)` of the roles held in each division, sorted by division.
    pub(crate) divs: SmallVec<[(u32, u32); 2]>,
    /// The combination's grants: `combo_grants[start..end]`.
    pub(crate) grants: (u32, u32),
    /// Whether some role held has conditional grants.
    pub(crate) conditional: bool,
    /// Whether some role held is view-only.
    pub(crate) view_only: bool,
}

/// Compressed rows: row `i` is `items[start[i]..start[i + 1]]`.
#[derive(Clone, Debug)]
pub(crate) struct Csr<T> {
    start: Vec<u32>,
    items: Vec<T>,
}

impl<T> Default for Csr<T> {
    fn default() -> Self {
        Self {
            start: Vec::new(),
            items: Vec::new(),
        }
    }
}

impl<T: Copy> Csr<T> {
    fn push_row(&mut self, row: impl IntoIterator<Item = T>) {
        if self.start.is_empty() {
            self.start.push(0);
        }
        self.items.extend(row);
        self.start.push(self.items.len() as u32);
    }

    pub(crate) fn row(&self, i: usize) -> &[T] {
        let (Some(&s), Some(&e)) = (self.start.get(i), self.start.get(i + 1)) else {
            return &[];
        };
        self.items.get(s as usize..e as usize).unwrap_or(&[])
    }

    fn heap_bytes(&self) -> usize {
        self.start.capacity() * 4 + self.items.capacity() * core::mem::size_of::<T>()
    }
}

/// Memory of the compiled roles and permissions, from [`Rbac::memory`](crate::Rbac::memory).
///
/// # Examples
///
/// ```
/// use orgperm::{Model, PermissionSpec, RoleSpec, Subject};
/// let mut model = Model::new();
/// model.rbac_mut().add_division("home", "Home")?;
/// model.rbac_mut().add_permission(PermissionSpec::new("admin", "Admin"))?;
/// model.rbac_mut().create_role(RoleSpec::new("r", "Admins").with_permission("admin"))?;
/// for u in ["a", "b", "c"] {
///     model.add_user(u, None)?;
///     model.rbac_mut().grant_role(Subject::User(u), "r", None)?;
/// }
/// let mem = model.compile().rbac().memory();
/// assert_eq!(mem.users, 3);
/// assert_eq!(mem.combos, 1); // the three users share one combination
/// assert!(mem.per_user() > 0.0 && mem.per_combo() > 0.0);
/// # Ok::<(), orgperm::ModelError>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RbacMemoryReport {
    /// Active users.
    pub users: usize,
    /// Distinct grant combinations.
    pub combos: usize,
    /// Distinct role sets the combinations point at.
    pub role_sets: usize,
    /// Bytes that grow with users: the combination and role-set indexes, the action-set
    /// index and the explanation rows (own grants, groups).
    pub user_bytes: usize,
    /// Bytes that grow with combinations: the combos, their grants and the role-set bitsets.
    pub combo_bytes: usize,
    /// Bytes of the reverse index (holders of each role, as roaring bitmaps).
    pub reverse_bytes: usize,
    /// Everything else: catalog, roles, conditions, ids, actions.
    pub other_bytes: usize,
}

impl RbacMemoryReport {
    /// Bytes per active user of the per-user tables.
    pub fn per_user(&self) -> f64 {
        self.user_bytes as f64 / self.users.max(1) as f64
    }

    /// Bytes per distinct combination (combo, grants and role-set bitsets).
    pub fn per_combo(&self) -> f64 {
        self.combo_bytes as f64 / self.combos.max(1) as f64
    }

    /// Every byte.
    pub fn total(&self) -> usize {
        self.user_bytes + self.combo_bytes + self.reverse_bytes + self.other_bytes
    }
}

/// The compiled roles and permissions of a snapshot.
///
/// Everything a grant edit does not reach is behind an `Arc` (shared with the snapshot it
/// was patched from); the per-user tables are [`Chunked`], the tables that grow with new
/// combinations are [`Appended`], and each role's holder bitmap is shared on its own, so
/// [`patch`](CompiledRbac::patch) copies only the chunks, tails and bitmaps it writes to.
#[derive(Clone, Debug, Default)]
pub(crate) struct CompiledRbac {
    // ---- catalog
    pub(crate) permissions: Interner<PermissionId>,
    pub(crate) catalog: Arc<[PermissionSpec]>,
    /// By permission: [`AVAILABLE`], [`AWARE`], [`CONDITIONAL`].
    pub(crate) flags: Arc<[u8]>,
    /// Bitset width in `u64` words.
    pub(crate) words: usize,
    // ---- roles
    pub(crate) role_ids: Interner<RoleId>,
    pub(crate) roles: Arc<[Option<CompiledRole>]>,
    /// `role_bits[role * words ..][..words]`.
    pub(crate) role_bits: Arc<[u64]>,
    pub(crate) conditions: Arc<ConditionArena>,
    pub(crate) base: u32,
    pub(crate) base_scope: u32,
    // ---- divisions, resources, groups
    pub(crate) division_ids: Interner<DivisionId>,
    pub(crate) division_live: Arc<[bool]>,
    pub(crate) resource_ids: Interner<ResourceId>,
    pub(crate) resource_division: Arc<[u32]>,
    pub(crate) group_ids: Interner<GroupId>,
    pub(crate) group_live: Arc<[bool]>,
    // ---- users
    /// Combination of each user by dense id, `NONE` for inactive users.
    pub(crate) user_combo: Chunked<u32>,
    /// Role set of every role each user holds (the combination's `any`), by dense id; the
    /// empty set 0 for inactive users. A copy that saves `has_permission` a load.
    pub(crate) user_any: Chunked<u32>,
    pub(crate) combos: Appended<Combo>,
    pub(crate) combo_grants: Appended<Grant>,
    /// The combinations by their grants.
    combo_index: Arc<Index>,
    /// The combination of each OAuth client holding grants, sorted by client id.
    pub(crate) client_combo: Arc<[(String, u32)]>,
    /// `sets[set * words ..][..words]`; set 0 is empty. Interned by their bits: two role
    /// sets never have the same bits.
    pub(crate) sets: Appended<u64>,
    /// The role sets by their bits.
    set_index: Arc<Index>,
    // ---- explanations
    pub(crate) user_direct: Rows<Grant>,
    pub(crate) user_groups: Rows<GroupId>,
    pub(crate) group_grants: Arc<Csr<Grant>>,
    // ---- reverse
    pub(crate) holders_any: Vec<Arc<RoaringBitmap>>,
    pub(crate) holders_star: Vec<Arc<RoaringBitmap>>,
    /// `(role << 32 | division, holders)`, sorted by key; no entry without holders.
    pub(crate) holders_div: Vec<(u64, Arc<RoaringBitmap>)>,
    // ---- actions
    pub(crate) action_ids: Interner<ActionId>,
    pub(crate) action_requires: Arc<[u32]>,
    pub(crate) action_words: usize,
    /// `role_actions[role * action_words ..]`: actions bound to the role, closed.
    pub(crate) role_actions: Arc<[u64]>,
    /// Interned action sets (by their bits); set 0 is empty.
    pub(crate) action_sets: Appended<u64>,
    /// The action sets by their bits.
    action_index: Arc<Index>,
    /// Action set of each user by dense id.
    pub(crate) user_actions: Chunked<u32>,
    /// Users with actions bound to them directly, ascending by dense id, with those
    /// actions (closed): with `role_actions` and `holders_any`, what finds the holders of
    /// an action without visiting every user.
    pub(crate) bound_users: Arc<[(u32, SmallVec<[u64; 2]>)]>,
    /// Global permissions `(id, action, principals)`, sorted by id.
    pub(crate) globals: Arc<[(String, ActionId, Vec<BoundPrincipal>)]>,
}

#[inline]
pub(crate) fn test_bit(words: &[u64], width: usize, row: u32, bit: u32) -> bool {
    words
        .get(row as usize * width + (bit / 64) as usize)
        .is_some_and(|w| w >> (bit % 64) & 1 == 1)
}

fn set_bit(words: &mut [u64], width: usize, row: usize, bit: u32) {
    if let Some(w) = words.get_mut(row * width + (bit / 64) as usize) {
        *w |= 1 << (bit % 64);
    }
}

fn or_row(dst: &mut [u64], src: &[u64]) {
    for (d, s) in dst.iter_mut().zip(src) {
        *d |= s;
    }
}

/// The id of the row of `rows` (rows of `width` words) equal to `row`, appended (and
/// indexed) when there is none.
fn intern_row(rows: &mut Appended<u64>, index: &mut Arc<Index>, width: usize, row: &[u64]) -> u32 {
    let at = |id: u32| {
        let s = id as usize * width;
        (s, s + width)
    };
    let hash = index.hash(row);
    let found = index.find(hash, |id| {
        let (s, e) = at(id);
        rows.slice(s, e) == row
    });
    if let Some(id) = found {
        return id;
    }
    let id = (rows.len() / width.max(1)) as u32;
    rows.extend_from_slice(row);
    let rows = &*rows;
    Arc::make_mut(index).insert(hash, id, |k| {
        let (s, e) = at(k);
        rows.slice(s, e)
    });
    id
}

/// One role, compiled: its unconditional permissions set in `row` (which starts empty,
/// `words` long), its conditions pushed to `conditions`.
fn compile_role(
    spec: &RoleSpec,
    catalog: &Catalog,
    flags: &[u8],
    available: &[u64],
    row: &mut [u64],
    conditions: &mut ConditionArena,
) -> CompiledRole {
    let words = row.len();
    let usable = |id: PermissionId| flags.get(ix(id)).is_some_and(|f| f & AVAILABLE != 0);
    let mut admin = false;
    for p in &spec.permissions {
        if let Some((id, _)) = catalog.get(p).filter(|&(id, _)| usable(id)) {
            set_bit(row, words, 0, id.as_u32());
            admin |= p == ADMIN;
        }
    }
    let mut conditional = Vec::new();
    let mut policy_conditions = Vec::with_capacity(spec.permission_policies.len());
    for policy in &spec.permission_policies {
        let cond = policy.condition.as_ref().map(|c| conditions.push(c));
        policy_conditions.push(cond);
        for id in policy.atoms(catalog).into_iter().filter(|&id| usable(id)) {
            match cond {
                Some(c) => conditional.push((id.as_u32(), c)),
                None => set_bit(row, words, 0, id.as_u32()),
            }
        }
    }
    if admin {
        or_row(row, available);
    }
    let row: &[u64] = row;
    conditional.retain(|&(a, _)| !test_bit(row, words, 0, a));
    conditional.sort_unstable();
    conditional.dedup();
    CompiledRole {
        spec: spec.clone(),
        conditions: policy_conditions,
        conditional,
        admin,
    }
}

/// The keys of the holder bitmaps a combination's grants put a user in: `(0, role)` for
/// `holders_any`, `(1, role)` for `holders_star`, `(2, role << 32 | division)` for
/// `holders_div`; sorted, deduplicated.
fn holder_keys(grants: &[Grant], out: &mut SmallVec<[(u8, u64); 16]>) {
    out.clear();
    for g in grants {
        let r = u64::from(g.role.as_u32());
        out.push((0, r));
        match g.scope {
            SCOPE_NONE => {}
            SCOPE_ALL => out.push((1, r)),
            d => out.push((2, r << 32 | u64::from(d))),
        }
    }
    out.sort_unstable();
    out.dedup();
}

impl CompiledRbac {
    /// The roles compiled again for the users in `role_users`, whose own grants changed in
    /// `rbac`, from `self`, compiled from the store before; `None` when they must be
    /// compiled whole.
    ///
    /// Everything but those users' grants is as `self` was compiled (the commit names every
    /// other change as one to compile whole), and so is the org: each user's combination is
    /// recomputed from the store exactly as [`build`](CompiledRbac::build) does (own grants,
    /// groups' grants, the base role), interned among the existing combinations (a new one
    /// and its role sets appended when unseen), and the user's action set and holder
    /// bitmaps follow it. Cost: per user, a combination key and a few hash lookups, one
    /// chunk copied in each per-user table, and a copy of each holder bitmap that changes.
    pub(crate) fn patch(
        &self,
        rbac: &RbacStore,
        org: &CompiledOrg,
        role_users: &[UserId],
    ) -> Option<CompiledRbac> {
        let tree = &org.tree;
        // Tables of another org or another role table: not the snapshot this patches.
        if self.user_combo.len() != org.n_users || self.roles.len() != rbac.roles.slots.len() {
            return None;
        }
        let mut users: SmallVec<[UserId; 8]> = role_users.iter().copied().collect();
        users.sort_unstable();
        users.dedup();
        let mut next = self.clone();
        let mut key: SmallVec<[Grant; 8]> = SmallVec::new();
        let mut scratch = Vec::new();
        let mut bits: SmallVec<[u64; 2]> = SmallVec::new();
        let (mut before, mut after) = (SmallVec::new(), SmallVec::new());
        for u in users {
            let i = u.index() as usize;
            if i >= org.n_users {
                return None;
            }
            let node = tree.node(u);
            let active = node.is_some();
            let direct = if active { rbac.grants.user(u) } else { &[] };
            let groups = if active { rbac.groups.of(u) } else { &[] };
            next.user_direct.set_row(i, direct);
            next.user_groups.set_row(i, groups);
            let old = self.user_combo.get(i).copied().unwrap_or(NONE);
            let Some(node) = node else {
                // An inactive user keeps no combination; one that has one is of another org.
                if old == NONE {
                    continue;
                }
                return None;
            };
            next.user_key(rbac, u, &mut key);
            let c = next.intern_combo(&key, &mut scratch);
            if c == old {
                continue;
            }
            let any = next.combos.get(c as usize)?.any;
            next.user_combo.set(i, c);
            // A model without role sets keeps no `user_any` rows (see `build`): the first
            // non-empty one needs the whole table.
            if next.user_any.len() == 0 {
                if any != 0 {
                    return None;
                }
            } else {
                next.user_any.set(i, any);
            }
            next.user_action_bits(u.index(), c, &mut bits);
            let s = next.intern_actions(&bits);
            if next.user_actions.len() == 0 {
                if s != 0 {
                    return None;
                }
            } else {
                next.user_actions.set(i, s);
            }
            // Holders: out of the bitmaps of the old combination only, into those of the
            // new one only.
            let old_grants = self
                .combo_of_index(old)
                .map_or(&[][..], |c| self.grants_of(c));
            holder_keys(old_grants, &mut before);
            holder_keys(next.grants_of_index(c), &mut after);
            for k in before.iter().filter(|k| !after.contains(k)) {
                next.set_holder(*k, node.pos, false);
            }
            for k in after.iter().filter(|k| !before.contains(k)) {
                next.set_holder(*k, node.pos, true);
            }
        }
        next.combos.settle();
        next.combo_grants.settle();
        next.sets.settle();
        next.action_sets.settle();
        Some(next)
    }

    /// The roles compiled again for `edited`, whose specs (permissions, policies,
    /// conditions, view-only, names) changed in `rbac`, from `self`, compiled from the store
    /// before over the same org; `None` when they must be compiled whole (a role created or
    /// deleted, another base role or home division).
    ///
    /// Grants are not read: every user keeps their combination. Each edited role's bits and
    /// conditions are compiled again; every combination holding one of them gets its role
    /// sets (interned, appended when unseen) and flags again, in place, so the users and
    /// clients holding it follow; the per-user copy of the combination's role set
    /// (`user_any`) is written for the holders of the edited roles whose set changed. Holder
    /// bitmaps and actions do not depend on a role's spec and are shared. Cost: a copy of
    /// the role table and a pass over the combinations' grants (both small beside the
    /// users), one copy of the combination table when one changed, and per holder of an
    /// edited role a load and at most one chunk copy. An edited role's old conditions stay
    /// in the arena, unread.
    pub(crate) fn patch_roles(
        &self,
        rbac: &RbacStore,
        org: &CompiledOrg,
        edited: &[RoleId],
    ) -> Option<CompiledRbac> {
        let words = self.words;
        if self.user_combo.len() != org.n_users
            || self.roles.len() != rbac.roles.slots.len()
            || self.role_bits.len() != self.roles.len() * words
            || rbac.base_role().map_or(NONE, |r| r.as_u32()) != self.base
            || rbac.base_scope() != self.base_scope
        {
            return None;
        }
        let mut edited = edited.to_vec();
        edited.sort_unstable();
        edited.dedup();
        let mut next = self.clone();
        let mut available = vec![0u64; words];
        for (i, f) in self.flags.iter().enumerate() {
            if f & AVAILABLE != 0 {
                set_bit(&mut available, words, 0, i as u32);
            }
        }
        let mut roles = self.roles.to_vec();
        let mut role_bits = self.role_bits.to_vec();
        let conditions = Arc::make_mut(&mut next.conditions);
        for &r in &edited {
            let spec = rbac.roles.slots.slots().get(ix(r))?.as_ref()?;
            let slot = roles.get_mut(ix(r))?;
            if slot.is_none() {
                return None;
            }
            let row = role_bits.get_mut(ix(r) * words..(ix(r) + 1) * words)?;
            row.fill(0);
            *slot = Some(compile_role(
                spec,
                &rbac.catalog,
                &self.flags,
                &available,
                row,
                conditions,
            ));
        }
        next.roles = roles.into();
        next.role_bits = role_bits.into();

        // The combinations holding an edited role (users', clients' and unheld ones alike,
        // since a later grant may intern an unheld one).
        let holds = |c: &Combo| {
            self.grants_of(c)
                .iter()
                .any(|g| edited.binary_search(&g.role).is_ok())
        };
        let affected: Vec<u32> = (0..self.combos.len() as u32)
            .filter(|&c| self.combos.get(c as usize).is_some_and(holds))
            .collect();
        let mut scratch = Vec::new();
        let mut changed: Vec<(usize, Combo)> = Vec::new();
        let mut any_moved: HashMap<u32, u32> = HashMap::new();
        for c in affected {
            let old = self.combos.get(c as usize)?;
            let key: SmallVec<[Grant; 8]> = self.grants_of(old).iter().copied().collect();
            let new = next.combo(&key, old.grants.0, &mut scratch);
            if new.any != old.any {
                any_moved.insert(c, new.any);
            }
            changed.push((c as usize, new));
        }
        next.combos.replace(changed);
        next.sets.settle();

        // The users whose combination's role set moved: among the edited roles' holders.
        if !any_moved.is_empty() {
            if next.user_any.len() == 0 {
                // No per-user rows (no role set but the empty one before): the whole table.
                return None;
            }
            let mut holders = RoaringBitmap::new();
            for &r in &edited {
                if let Some(h) = self.holders_any.get(ix(r)) {
                    holders |= &**h;
                }
            }
            for pos in holders {
                let Some(u) = org.tree.user_at(pos) else {
                    continue;
                };
                let i = u.index() as usize;
                let c = self.user_combo.get(i).copied().unwrap_or(NONE);
                if let Some(&any) = any_moved.get(&c) {
                    next.user_any.set(i, any);
                }
            }
        }
        Some(next)
    }

    /// The holders of `roles` in any scope, as users: what the tables compiled over a
    /// role's spec (the items' per-user words) patch after its edit.
    pub(crate) fn role_holder_users(&self, org: &CompiledOrg, roles: &[RoleId]) -> Vec<UserId> {
        let mut set = RoaringBitmap::new();
        for &r in roles {
            if let Some(h) = self.holders_any.get(ix(r)) {
                set |= &**h;
            }
        }
        set.iter().filter_map(|pos| org.tree.user_at(pos)).collect()
    }

    /// Adds (`on`) or removes the user at org-tree position `pos` in one holder bitmap,
    /// copying it when another snapshot shares it.
    fn set_holder(&mut self, (kind, key): (u8, u64), pos: u32, on: bool) {
        let bitmap = match kind {
            0 => self.holders_any.get_mut(key as usize),
            1 => self.holders_star.get_mut(key as usize),
            _ => match self.holders_div.binary_search_by_key(&key, |(k, _)| *k) {
                Ok(at) => {
                    let gone = self.holders_div.get_mut(at).is_some_and(|(_, b)| {
                        if on {
                            Arc::make_mut(b).insert(pos);
                        } else {
                            Arc::make_mut(b).remove(pos);
                        }
                        b.is_empty()
                    });
                    if gone {
                        self.holders_div.remove(at);
                    }
                    return;
                }
                Err(at) if on => {
                    let mut b = RoaringBitmap::new();
                    b.insert(pos);
                    self.holders_div.insert(at, (key, Arc::new(b)));
                    return;
                }
                Err(_) => return,
            },
        };
        if let Some(b) = bitmap {
            if on {
                Arc::make_mut(b).insert(pos);
            } else {
                Arc::make_mut(b).remove(pos);
            }
        }
    }

    /// The combination key of active user `user`: own grants, the grants of their groups
    /// and the base role, without grants of removed roles or divisions, sorted,
    /// deduplicated.
    fn user_key(&self, rbac: &RbacStore, user: UserId, key: &mut SmallVec<[Grant; 8]>) {
        key.clear();
        key.extend(rbac.grants.user(user).iter().copied());
        for &g in rbac.groups.of(user) {
            key.extend(rbac.grants.group(g).iter().copied());
        }
        if self.base != NONE {
            key.push(Grant {
                role: RoleId::new(self.base),
                scope: self.base_scope,
            });
        }
        self.retain_valid(key);
    }

    /// Drops grants of removed roles or divisions; sorts and deduplicates.
    fn retain_valid(&self, key: &mut SmallVec<[Grant; 8]>) {
        key.retain(|g| {
            self.roles.get(ix(g.role)).is_some_and(Option::is_some)
                && (g.scope == SCOPE_ALL
                    || g.scope == SCOPE_NONE
                    || self.division_live.get(g.scope as usize) == Some(&true))
        });
        key.sort_unstable();
        key.dedup();
    }

    /// The combination of `key` (sorted by role, then scope), compiled and appended when
    /// unseen.
    fn intern_combo(&mut self, key: &[Grant], scratch: &mut Vec<u64>) -> u32 {
        let hash = self.combo_index.hash(key);
        let (combos, grants) = (&self.combos, &self.combo_grants);
        let grants_of = |c: u32| {
            combos.get(c as usize).map_or(&[][..], |c| {
                grants.slice(c.grants.0 as usize, c.grants.1 as usize)
            })
        };
        if let Some(c) = self.combo_index.find(hash, |c| grants_of(c) == key) {
            return c;
        }
        let c = self.combos.len() as u32;
        let start = self.combo_grants.len() as u32;
        self.combo_grants.extend_from_slice(key);
        let combo = self.combo(key, start, scratch);
        self.combos.push(combo);
        let (combos, grants) = (&self.combos, &self.combo_grants);
        Arc::make_mut(&mut self.combo_index).insert(hash, c, |k| {
            combos.get(k as usize).map_or(&[][..], |c| {
                grants.slice(c.grants.0 as usize, c.grants.1 as usize)
            })
        });
        c
    }

    /// The role set of the union of the roles `members`.
    fn intern_set(&mut self, members: &[u32], scratch: &mut Vec<u64>) -> u32 {
        let words = self.words;
        scratch.clear();
        scratch.resize(words, 0);
        for &m in members {
            let from = m as usize * words;
            if let Some(src) = self.role_bits.get(from..from + words) {
                or_row(scratch, src);
            }
        }
        intern_row(&mut self.sets, &mut self.set_index, words, scratch)
    }

    /// The action set with these bits.
    fn intern_actions(&mut self, bits: &[u64]) -> u32 {
        intern_row(
            &mut self.action_sets,
            &mut self.action_index,
            self.action_words,
            bits,
        )
    }

    /// The actions (closed) of user `u` holding combination `c`: those bound to the roles
    /// held and those bound to the user.
    fn user_action_bits(&self, u: u32, c: u32, bits: &mut SmallVec<[u64; 2]>) {
        let w = self.action_words;
        bits.clear();
        bits.resize(w, 0);
        for g in self.grants_of_index(c) {
            let from = ix(g.role) * w;
            if let Some(src) = self.role_actions.get(from..from + w) {
                or_row(bits, src);
            }
        }
        if let Ok(at) = self.bound_users.binary_search_by_key(&u, |(x, _)| *x) {
            if let Some((_, own)) = self.bound_users.get(at) {
                or_row(bits, own);
            }
        }
    }

    pub(crate) fn build(rbac: &RbacStore, org: &CompiledOrg) -> CompiledRbac {
        let tree = &org.tree;
        let catalog = &rbac.catalog;

        // Catalog.
        let n_atoms = catalog.len();
        let words = n_atoms.div_ceil(64).max(1);
        let mut flags = Vec::with_capacity(n_atoms);
        let mut available = vec![0u64; words];
        // By dense id: a removed permission keeps its slot, with no flag, so it never
        // evaluates true and the bits of the others stay in place.
        for (i, slot) in catalog.entries.slots().iter().enumerate() {
            let Some(spec) = slot else {
                flags.push(0);
                continue;
            };
            let on = catalog.available(spec);
            flags.push(
                LIVE | (if on { AVAILABLE } else { 0 })
                    | (if spec.division_aware { AWARE } else { 0 })
                    | (if spec.allows_conditions {
                        CONDITIONAL
                    } else {
                        0
                    }),
            );
            if on {
                set_bit(&mut available, words, 0, i as u32);
            }
        }
        // Roles.
        let n_roles = rbac.roles.slots.len();
        let mut role_bits = vec![0u64; n_roles * words];
        let mut conditions = ConditionArena::default();
        let mut roles = Vec::with_capacity(n_roles);
        for (r, slot) in rbac.roles.slots.slots().iter().enumerate() {
            let Some(spec) = slot else {
                roles.push(None);
                continue;
            };
            let row = role_bits
                .get_mut(r * words..(r + 1) * words)
                .unwrap_or(&mut []);
            roles.push(Some(compile_role(
                spec,
                catalog,
                &flags,
                &available,
                row,
                &mut conditions,
            )));
        }
        let base = rbac.base_role().map_or(NONE, |r| r.as_u32());
        let base_scope = rbac.base_scope();

        // Divisions.
        let divisions = &rbac.divisions;
        let division_live: Vec<bool> = divisions
            .names
            .slots()
            .iter()
            .map(Option::is_some)
            .collect();

        let mut out = CompiledRbac {
            permissions: catalog.entries.ids().clone(),
            catalog: catalog
                .entries
                .slots()
                .iter()
                .enumerate()
                .map(|(i, slot)| match slot {
                    Some(spec) => spec.clone(),
                    None => {
                        PermissionSpec::new(catalog.name(PermissionId::from_index(i as u32)), "")
                    }
                })
                .collect(),
            flags: flags.into(),
            words,
            role_ids: rbac.roles.slots.ids().clone(),
            roles: roles.into(),
            role_bits: role_bits.into(),
            conditions: Arc::new(conditions),
            base,
            base_scope,
            division_ids: divisions.names.ids().clone(),
            division_live: division_live.into(),
            resource_ids: divisions.resources.clone(),
            resource_division: divisions.resource_division.as_slice().into(),
            group_ids: rbac.groups.slots.ids().clone(),
            group_live: rbac
                .groups
                .slots
                .slots()
                .iter()
                .map(Option::is_some)
                .collect(),
            ..CompiledRbac::default()
        };
        // Role set 0 and action set 0: empty.
        let mut scratch = Vec::new();
        out.intern_set(&[], &mut scratch);

        // Users: combinations, interned; role sets, interned.
        let n_users = org.n_users;
        let mut user_combo = vec![NONE; n_users];
        let mut key: SmallVec<[Grant; 8]> = SmallVec::new();
        for (u, slot) in user_combo.iter_mut().enumerate() {
            let user = UserId::from_index(u as u32);
            if tree.node(user).is_none() {
                continue;
            }
            out.user_key(rbac, user, &mut key);
            *slot = out.intern_combo(&key, &mut scratch);
        }
        let active = |u: usize| tree.node(UserId::from_index(u as u32)).is_some();
        out.user_direct = Rows::build(n_users, |u| {
            if active(u) {
                rbac.grants.user(UserId::from_index(u as u32))
            } else {
                &[]
            }
        });
        out.user_groups = Rows::build(n_users, |u| {
            if active(u) {
                rbac.groups.of(UserId::from_index(u as u32))
            } else {
                &[]
            }
        });
        // OAuth clients: their own grants only (no base role, no groups), interned with the
        // users' combinations.
        let mut client_combo = Vec::new();
        for (client, list) in rbac.grants.clients() {
            key.clear();
            key.extend(list.iter().copied());
            out.retain_valid(&mut key);
            client_combo.push((client.to_owned(), out.intern_combo(&key, &mut scratch)));
        }
        out.client_combo = client_combo.into();
        let user_any: Vec<u32> = user_combo
            .iter()
            .map(|&c| out.combos.get(c as usize).map_or(0, |c| c.any))
            .collect();

        let mut group_grants = Csr::default();
        for g in 0..rbac.groups.slots.len() {
            group_grants.push_row(rbac.grants.group(GroupId::new(g as u32)).iter().copied());
        }
        out.group_grants = Arc::new(group_grants);

        // Reverse: holders of each role, by org-tree position.
        let mut any: Vec<Vec<u32>> = vec![Vec::new(); n_roles];
        let mut star: Vec<Vec<u32>> = vec![Vec::new(); n_roles];
        let mut by_div: HashMap<u64, Vec<u32>> = HashMap::new();
        let mut keys = SmallVec::new();
        for pos in 0..tree.len() {
            let Some(&c) = tree
                .user_at(pos)
                .and_then(|u| user_combo.get(u.index() as usize))
            else {
                continue;
            };
            holder_keys(out.grants_of_index(c), &mut keys);
            for &(kind, k) in &keys {
                let v = match kind {
                    0 => any.get_mut(k as usize),
                    1 => star.get_mut(k as usize),
                    _ => Some(by_div.entry(k).or_default()),
                };
                if let Some(v) = v {
                    v.push(pos);
                }
            }
        }
        let bitmap = |v: Vec<u32>| Arc::new(RoaringBitmap::from_sorted_iter(v).unwrap_or_default());
        out.holders_any = any.into_iter().map(bitmap).collect();
        out.holders_star = star.into_iter().map(bitmap).collect();
        let mut holders_div: Vec<(u64, Arc<RoaringBitmap>)> =
            by_div.into_iter().map(|(k, v)| (k, bitmap(v))).collect();
        holders_div.sort_unstable_by_key(|(k, _)| *k);
        out.holders_div = holders_div;

        // Actions.
        let acts = &rbac.actions;
        let n_actions = acts.entries.len();
        let action_words = n_actions.div_ceil(64).max(1);
        let mut role_actions = vec![0u64; n_roles * action_words];
        let mut user_bound: HashMap<u32, SmallVec<[u64; 2]>> = HashMap::new();
        let mut globals = Vec::with_capacity(acts.globals.len());
        for (id, g) in &acts.globals {
            for &p in &g.principals {
                // Stop at the first action already held: everything it requires was set
                // along with it, so each principal walks each link at most once.
                let (row, at): (&mut [u64], usize) = match p {
                    BoundPrincipal::Role(r) => (&mut role_actions, ix(r)),
                    BoundPrincipal::User(u) => (
                        user_bound
                            .entry(u.as_u32())
                            .or_insert_with(|| SmallVec::from_elem(0, action_words)),
                        0,
                    ),
                };
                for a in acts.closure(g.action) {
                    if test_bit(row, action_words, at as u32, a.as_u32()) {
                        break;
                    }
                    set_bit(row, action_words, at, a.as_u32());
                }
            }
            globals.push((id.clone(), g.action, g.principals.clone()));
        }
        let mut bound_users: Vec<(u32, SmallVec<[u64; 2]>)> = user_bound.into_iter().collect();
        bound_users.sort_unstable_by_key(|(u, _)| *u);
        out.action_ids = acts.entries.ids().clone();
        out.action_requires = acts.requires.as_slice().into();
        out.action_words = action_words;
        out.role_actions = role_actions.into();
        out.bound_users = bound_users.into();
        out.globals = globals.into();
        let mut bits: SmallVec<[u64; 2]> = SmallVec::from_elem(0, action_words);
        out.intern_actions(&bits);
        let mut user_actions = vec![0u32; n_users];
        // Users without actions of their own share their combination's action set.
        let mut by_combo = vec![NONE; out.combos.len()];
        for (u, &c) in user_combo.iter().enumerate() {
            if c == NONE {
                continue;
            }
            let u = u as u32;
            let bound = out
                .bound_users
                .binary_search_by_key(&u, |(x, _)| *x)
                .is_ok();
            let memo = by_combo.get(c as usize).copied().filter(|_| !bound);
            let s = match memo {
                Some(s) if s != NONE => s,
                _ => {
                    out.user_action_bits(u, c, &mut bits);
                    let s = out.intern_actions(&bits);
                    if let Some(m) = by_combo.get_mut(c as usize).filter(|_| !bound) {
                        *m = s;
                    }
                    s
                }
            };
            if let Some(slot) = user_actions.get_mut(u as usize) {
                *slot = s;
            }
        }

        // A model without role sets or actions keeps no per-user rows for them: every lookup
        // then misses, which reads as "nothing held". Sets are interned by their bits, so
        // "no role set but the empty one" is "one set".
        let words_of = |t: &Appended<u64>, w: usize| t.len() / w.max(1);
        if words_of(&out.sets, words) > 1 {
            out.user_any = Chunked::from_vec(user_any);
        }
        if words_of(&out.action_sets, action_words) > 1 {
            out.user_actions = Chunked::from_vec(user_actions);
        }
        out.user_combo = Chunked::from_vec(user_combo);
        out.combos.seal();
        out.combo_grants.seal();
        out.sets.seal();
        out.action_sets.seal();
        out
    }

    /// Compiles one combination (sorted by role, then scope), its grants at `start` of
    /// `combo_grants`.
    fn combo(&mut self, key: &[Grant], start: u32, scratch: &mut Vec<u64>) -> Combo {
        let mut all: SmallVec<[u32; 8]> = key.iter().map(|g| g.role.as_u32()).collect();
        all.dedup();
        let star: SmallVec<[u32; 8]> = key
            .iter()
            .filter(|g| g.scope == SCOPE_ALL)
            .map(|g| g.role.as_u32())
            .collect();
        let mut scopes: SmallVec<[u32; 4]> = key
            .iter()
            .map(|g| g.scope)
            .filter(|&s| s != SCOPE_ALL && s != SCOPE_NONE)
            .collect();
        scopes.sort_unstable();
        scopes.dedup();
        let divs = scopes
            .iter()
            .map(|&d| {
                let members: SmallVec<[u32; 8]> = key
                    .iter()
                    .filter(|g| g.scope == d)
                    .map(|g| g.role.as_u32())
                    .collect();
                (d, self.intern_set(&members, scratch))
            })
            .collect();
        let roles = &self.roles;
        let role = |r: &u32| roles.get(*r as usize).and_then(Option::as_ref);
        let conditional = all
            .iter()
            .filter_map(role)
            .any(|c| !c.conditional.is_empty());
        let view_only = all.iter().filter_map(role).any(|c| c.spec.view_only);
        Combo {
            conditional,
            view_only,
            any: self.intern_set(&all, scratch),
            star: self.intern_set(&star, scratch),
            divs,
            grants: (start, start + key.len() as u32),
        }
    }

    /// The combination of an active user.
    #[inline(always)]
    pub(crate) fn combo_of(&self, u: UserId) -> Option<&Combo> {
        let c = *self.user_combo.get(u.index() as usize)?;
        self.combos.get(c as usize)
    }

    /// Whether `u` is an active user (holds a combination): `combo_of(u).is_some()` without
    /// loading the combination.
    #[inline(always)]
    pub(crate) fn has_combo(&self, u: UserId) -> bool {
        self.user_combo
            .get(u.index() as usize)
            .is_some_and(|&c| c != NONE)
    }

    fn combo_of_index(&self, c: u32) -> Option<&Combo> {
        self.combos.get(c as usize)
    }

    /// The grants of combination `c` (empty for `NONE`).
    fn grants_of_index(&self, c: u32) -> &[Grant] {
        self.combo_of_index(c).map_or(&[], |c| self.grants_of(c))
    }

    /// The combination of an OAuth client holding grants.
    pub(crate) fn client_combo_of(&self, client: &str) -> Option<&Combo> {
        let at = self
            .client_combo
            .binary_search_by(|(c, _)| c.as_str().cmp(client))
            .ok()?;
        let &(_, c) = self.client_combo.get(at)?;
        self.combos.get(c as usize)
    }

    /// Whether role set `set` holds permission `a` (which the caller checked is in range).
    #[inline(always)]
    pub(crate) fn set_has(&self, set: u32, a: u32) -> bool {
        self.sets
            .get(set as usize * self.words + (a / 64) as usize)
            .is_some_and(|w| w >> (a % 64) & 1 == 1)
    }

    /// Whether action set `set` holds action `a` (which the caller checked is in range).
    #[inline]
    pub(crate) fn action_set_has(&self, set: u32, a: u32) -> bool {
        self.action_sets
            .get(set as usize * self.action_words + (a / 64) as usize)
            .is_some_and(|w| w >> (a % 64) & 1 == 1)
    }

    /// The words of action set `set`.
    pub(crate) fn action_set(&self, set: u32) -> &[u64] {
        let s = set as usize * self.action_words;
        self.action_sets.slice(s, s + self.action_words)
    }

    pub(crate) fn grants_of(&self, c: &Combo) -> &[Grant] {
        self.combo_grants
            .slice(c.grants.0 as usize, c.grants.1 as usize)
    }

    pub(crate) fn role(&self, r: RoleId) -> Option<&CompiledRole> {
        self.roles.get(ix(r))?.as_ref()
    }

    pub(crate) fn role_has(&self, r: RoleId, a: u32) -> bool {
        test_bit(&self.role_bits, self.words, r.as_u32(), a)
    }

    /// The holders of role `r` in any scope, as org-tree positions.
    pub(crate) fn holders_any_of(&self, r: RoleId) -> Option<&RoaringBitmap> {
        self.holders_any.get(ix(r)).map(|b| &**b)
    }

    /// The holders of role `r` in `*`.
    pub(crate) fn holders_star_of(&self, r: RoleId) -> Option<&RoaringBitmap> {
        self.holders_star.get(ix(r)).map(|b| &**b)
    }

    pub(crate) fn holders_in(&self, r: RoleId, d: u32) -> Option<&RoaringBitmap> {
        let key = u64::from(r.as_u32()) << 32 | u64::from(d);
        self.holders_div
            .binary_search_by_key(&key, |(k, _)| *k)
            .ok()
            .and_then(|i| self.holders_div.get(i))
            .map(|(_, b)| &**b)
    }

    pub(crate) fn memory(&self, users: usize) -> RbacMemoryReport {
        let bitmap =
            |b: &RoaringBitmap| core::mem::size_of::<RoaringBitmap>() + b.serialized_size();
        let user_bytes = self.user_combo.heap_bytes()
            + self.user_any.heap_bytes()
            + self.user_actions.heap_bytes()
            + self.user_direct.heap_bytes()
            + self.user_groups.heap_bytes();
        let combo_bytes = self.combos.heap_bytes()
            + self
                .combos
                .iter()
                .map(|c| {
                    if c.divs.spilled() {
                        c.divs.capacity() * 8
                    } else {
                        0
                    }
                })
                .sum::<usize>()
            + self.combo_grants.heap_bytes()
            + self.combo_index.heap_bytes()
            + self.sets.heap_bytes()
            + self.set_index.heap_bytes();
        let reverse_bytes = self
            .holders_any
            .iter()
            .map(|b| 8 + bitmap(b))
            .sum::<usize>()
            + self
                .holders_star
                .iter()
                .map(|b| 8 + bitmap(b))
                .sum::<usize>()
            + self
                .holders_div
                .iter()
                .map(|(_, b)| 16 + bitmap(b))
                .sum::<usize>();
        let ids = |(t, i): (usize, usize)| t + i;
        let other_bytes = ids(self.permissions.heap_bytes())
            + ids(self.role_ids.heap_bytes())
            + ids(self.division_ids.heap_bytes())
            + ids(self.resource_ids.heap_bytes())
            + ids(self.group_ids.heap_bytes())
            + ids(self.action_ids.heap_bytes())
            + self.catalog.len() * core::mem::size_of::<PermissionSpec>()
            + self
                .catalog
                .iter()
                .map(|p| p.permission.capacity() + p.label.capacity())
                .sum::<usize>()
            + self.flags.len()
            + self.role_bits.len() * 8
            + self.roles.len() * core::mem::size_of::<Option<CompiledRole>>()
            + self
                .roles
                .iter()
                .flatten()
                .map(|r| r.conditional.capacity() * 8 + r.conditions.capacity() * 8)
                .sum::<usize>()
            + self.conditions.heap_bytes()
            + self.division_live.len()
            + self.group_live.len()
            + self.resource_division.len() * 4
            + self.group_grants.heap_bytes()
            + self.client_combo.len() * core::mem::size_of::<(String, u32)>()
            + self.role_actions.len() * 8
            + self.action_sets.heap_bytes()
            + self.action_index.heap_bytes()
            + self.bound_users.len() * core::mem::size_of::<(u32, SmallVec<[u64; 2]>)>()
            + self.action_requires.len() * 4;
        RbacMemoryReport {
            users,
            combos: self.combos.len(),
            role_sets: self.sets.len() / self.words.max(1),
            user_bytes,
            combo_bytes,
            reverse_bytes,
            other_bytes,
        }
    }

    /// Heap bytes, for [`Snapshot::memory`](crate::Snapshot::memory).
    pub(crate) fn heap_bytes(&self) -> usize {
        self.memory(0).total()
    }
}
