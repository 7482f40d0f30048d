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

use roaring::RoaringBitmap;
use smallvec::SmallVec;

use hashbrown::HashMap;

use crate::id::{DenseId, Interner, NONE, UserId};
use crate::org::compiled::CompiledOrg;
use crate::rbac::RbacStore;
use crate::rbac::actions::BoundPrincipal;
use crate::rbac::catalog::{ADMIN, PermissionSpec};
use crate::rbac::condition::ConditionArena;
use crate::rbac::grants::Grant;
use crate::rbac::ids::{
    ActionId, DivisionId, GroupId, PermissionId, ResourceId, RoleId, SCOPE_ALL, SCOPE_NONE, ix,
};
use crate::rbac::role::RoleSpec;

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

    /// Drops the offsets when no row holds anything: every row then reads as empty.
    fn trimmed(self) -> Self {
        if self.items.is_empty() {
            Csr::default()
        } else {
            self
        }
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
#[derive(Clone, Debug, Default)]
pub(crate) struct CompiledRbac {
    // ---- catalog
    pub(crate) permissions: Interner<PermissionId>,
    pub(crate) catalog: Vec<PermissionSpec>,
    /// By permission: [`AVAILABLE`], [`AWARE`], [`CONDITIONAL`].
    pub(crate) flags: Vec<u8>,
    /// Bitset width in `u64` words.
    pub(crate) words: usize,
    // ---- roles
    pub(crate) role_ids: Interner<RoleId>,
    pub(crate) roles: Vec<Option<CompiledRole>>,
    /// `role_bits[role * words ..][..words]`.
    pub(crate) role_bits: Vec<u64>,
    pub(crate) conditions: ConditionArena,
    pub(crate) base: u32,
    pub(crate) base_scope: u32,
    // ---- divisions, resources, groups
    pub(crate) division_ids: Interner<DivisionId>,
    pub(crate) division_live: Vec<bool>,
    pub(crate) resource_ids: Interner<ResourceId>,
    pub(crate) resource_division: Vec<u32>,
    pub(crate) group_ids: Interner<GroupId>,
    pub(crate) group_live: Vec<bool>,
    // ---- users
    /// Combination of each user by dense id, `NONE` for inactive users.
    pub(crate) user_combo: Vec<u32>,
    /// Role set of every role each user holds (the combination's `any`), by dense id; the
    /// empty set 0 for inactive users. A copy that saves `has_permission` a load.
    pub(crate) user_any: Vec<u32>,
    pub(crate) combos: Vec<Combo>,
    pub(crate) combo_grants: Vec<Grant>,
    /// The combination of each OAuth client holding grants, sorted by client id.
    pub(crate) client_combo: Vec<(String, u32)>,
    /// `sets[set * words ..][..words]`; set 0 is empty.
    pub(crate) sets: Vec<u64>,
    // ---- explanations
    pub(crate) user_direct: Csr<Grant>,
    pub(crate) user_groups: Csr<GroupId>,
    pub(crate) group_grants: Csr<Grant>,
    // ---- reverse
    pub(crate) holders_any: Vec<RoaringBitmap>,
    pub(crate) holders_star: Vec<RoaringBitmap>,
    /// `(role << 32 | division, holders)`, sorted by key.
    pub(crate) holders_div: Vec<(u64, RoaringBitmap)>,
    // ---- actions
    pub(crate) action_ids: Interner<ActionId>,
    pub(crate) action_requires: Vec<u32>,
    pub(crate) action_words: usize,
    /// `role_actions[role * action_words ..]`: actions bound to the role, closed.
    pub(crate) role_actions: Vec<u64>,
    /// Interned action sets; set 0 is empty.
    pub(crate) action_sets: Vec<u64>,
    /// Action set of each user by dense id.
    pub(crate) user_actions: Vec<u32>,
    /// Users with actions bound to them directly, ascending by dense id, with those
    /// actions (closed): with `role_actions` and `holders_any`, what finds the holders of
    /// an action without visiting every user.
    pub(crate) bound_users: Vec<(u32, SmallVec<[u64; 2]>)>,
    /// Global permissions `(id, action, principals)`, sorted by id.
    pub(crate) globals: Vec<(String, ActionId, Vec<BoundPrincipal>)>,
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

/// Interns unions of rows of a bitset table.
struct SetInterner<'a> {
    rows: &'a [u64],
    width: usize,
    index: HashMap<SmallVec<[u32; 8]>, u32>,
    out: Vec<u64>,
}

impl<'a> SetInterner<'a> {
    fn new(rows: &'a [u64], width: usize) -> Self {
        let mut index = HashMap::new();
        index.insert(SmallVec::new(), 0);
        Self {
            rows,
            width,
            index,
            out: vec![0; width],
        }
    }

    /// The set of the union of `members` (sorted, deduplicated by the caller).
    fn intern(&mut self, members: SmallVec<[u32; 8]>) -> u32 {
        if let Some(&s) = self.index.get(&members) {
            return s;
        }
        let s = (self.out.len() / self.width.max(1)) as u32;
        let start = self.out.len();
        self.out.resize(start + self.width, 0);
        for &m in &members {
            let from = m as usize * self.width;
            if let (Some(dst), Some(src)) = (
                self.out.get_mut(start..start + self.width),
                self.rows.get(from..from + self.width),
            ) {
                or_row(dst, src);
            }
        }
        self.index.insert(members, s);
        s
    }
}

impl CompiledRbac {
    /// The roles compiled again for the users in `role_users`, whose own grants changed in
    /// `rbac`, from `self`, compiled from the store before; `None` when they must be
    /// compiled whole.
    pub(crate) fn patch(
        &self,
        rbac: &RbacStore,
        org: &CompiledOrg,
        role_users: &[crate::id::UserId],
    ) -> Option<CompiledRbac> {
        let _ = (rbac, org, role_users);
        None
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
        let usable = |id: PermissionId| flags.get(ix(id)).is_some_and(|f| f & AVAILABLE != 0);

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
                or_row(row, &available);
            }
            let row: &[u64] = row;
            conditional.retain(|&(a, _)| !test_bit(row, words, 0, a));
            conditional.sort_unstable();
            conditional.dedup();
            roles.push(Some(CompiledRole {
                spec: spec.clone(),
                conditions: policy_conditions,
                conditional,
                admin,
            }));
        }
        let live_role = |r: RoleId| roles.get(ix(r)).is_some_and(Option::is_some);
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
        let valid_scope = |s: u32| {
            s == SCOPE_ALL || s == SCOPE_NONE || division_live.get(s as usize) == Some(&true)
        };

        // Users: combinations, interned; role sets, interned.
        let n_users = org.n_users;
        let mut sets = SetInterner::new(&role_bits, words);
        let mut combo_index: HashMap<SmallVec<[Grant; 8]>, u32> = HashMap::new();
        let mut combos: Vec<Combo> = Vec::new();
        let mut combo_grants: Vec<Grant> = Vec::new();
        let mut user_combo = vec![NONE; n_users];
        let mut user_direct = Csr::default();
        let mut user_groups = Csr::default();
        let mut key: SmallVec<[Grant; 8]> = SmallVec::new();
        for u in 0..n_users {
            let user = UserId::from_index(u as u32);
            let direct = rbac.grants.user(user);
            let groups = rbac.groups.of(user);
            let active = tree.node(user).is_some();
            user_direct.push_row(direct.iter().copied().filter(|_| active));
            user_groups.push_row(groups.iter().copied().filter(|_| active));
            if !active {
                continue;
            }
            key.clear();
            key.extend(direct.iter().copied());
            for &g in groups {
                key.extend(rbac.grants.group(g).iter().copied());
            }
            if base != NONE {
                key.push(Grant {
                    role: RoleId::new(base),
                    scope: base_scope,
                });
            }
            key.retain(|g| live_role(g.role) && valid_scope(g.scope));
            key.sort_unstable();
            key.dedup();
            let c = match combo_index.get(&key) {
                Some(&c) => c,
                None => {
                    let c = combos.len() as u32;
                    let start = combo_grants.len() as u32;
                    combo_grants.extend(key.iter().copied());
                    combos.push(Self::combo(&key, start, &mut sets, &roles));
                    combo_index.insert(key.clone(), c);
                    c
                }
            };
            if let Some(slot) = user_combo.get_mut(u) {
                *slot = c;
            }
        }
        // OAuth clients: their own grants only (no base role, no groups), interned with the
        // users' combinations.
        let mut client_combo = Vec::new();
        for (client, list) in rbac.grants.clients() {
            key.clear();
            key.extend(list.iter().copied());
            key.retain(|g| live_role(g.role) && valid_scope(g.scope));
            key.sort_unstable();
            key.dedup();
            let c = match combo_index.get(&key) {
                Some(&c) => c,
                None => {
                    let c = combos.len() as u32;
                    let start = combo_grants.len() as u32;
                    combo_grants.extend(key.iter().copied());
                    combos.push(Self::combo(&key, start, &mut sets, &roles));
                    combo_index.insert(key.clone(), c);
                    c
                }
            };
            client_combo.push((client.to_owned(), c));
        }
        let sets = sets.out;
        let user_any: Vec<u32> = user_combo
            .iter()
            .map(|&c| combos.get(c as usize).map_or(0, |c| c.any))
            .collect();

        let mut group_grants = Csr::default();
        for g in 0..rbac.groups.slots.len() {
            group_grants.push_row(rbac.grants.group(GroupId::new(g as u32)).iter().copied());
        }

        // Reverse: holders of each role, by org-tree position.
        let mut any: Vec<Vec<u32>> = vec![Vec::new(); n_roles];
        let mut star: Vec<Vec<u32>> = vec![Vec::new(); n_roles];
        let mut by_div: HashMap<u64, Vec<u32>> = HashMap::new();
        for pos in 0..tree.len() {
            let Some(c) = tree
                .user_at(pos)
                .and_then(|u| user_combo.get(u.index() as usize))
                .and_then(|&c| combos.get(c as usize))
            else {
                continue;
            };
            let grants = combo_grants
                .get(c.grants.0 as usize..c.grants.1 as usize)
                .unwrap_or(&[]);
            let mut last = NONE;
            for g in grants {
                let r = g.role.as_u32();
                if r != last {
                    if let Some(v) = any.get_mut(r as usize) {
                        v.push(pos);
                    }
                    last = r;
                }
                match g.scope {
                    SCOPE_NONE => {}
                    SCOPE_ALL => {
                        if let Some(v) = star.get_mut(r as usize) {
                            v.push(pos);
                        }
                    }
                    d => by_div
                        .entry(u64::from(r) << 32 | u64::from(d))
                        .or_default()
                        .push(pos),
                }
            }
        }
        let bitmap = |v: Vec<u32>| RoaringBitmap::from_sorted_iter(v).unwrap_or_default();
        let holders_any = any.into_iter().map(bitmap).collect();
        let holders_star = star.into_iter().map(bitmap).collect();
        let mut holders_div: Vec<(u64, RoaringBitmap)> =
            by_div.into_iter().map(|(k, v)| (k, bitmap(v))).collect();
        holders_div.sort_unstable_by_key(|(k, _)| *k);

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
        let mut action_sets = vec![0u64; action_words];
        let mut action_index: HashMap<SmallVec<[u64; 2]>, u32> = HashMap::new();
        action_index.insert(SmallVec::from_elem(0, action_words), 0);
        let mut user_actions = vec![0u32; n_users];
        let mut bits: SmallVec<[u64; 2]> = SmallVec::from_elem(0, action_words);
        for (u, &c) in user_combo.iter().enumerate() {
            let Some(combo) = combos.get(c as usize) else {
                continue;
            };
            bits.iter_mut().for_each(|w| *w = 0);
            for g in combo_grants
                .get(combo.grants.0 as usize..combo.grants.1 as usize)
                .unwrap_or(&[])
            {
                let from = ix(g.role) * action_words;
                if let Some(src) = role_actions.get(from..from + action_words) {
                    or_row(&mut bits, src);
                }
            }
            if let Some(own) = user_bound.get(&(u as u32)) {
                or_row(&mut bits, own);
            }
            let next = (action_sets.len() / action_words) as u32;
            let s = *action_index.entry(bits.clone()).or_insert_with(|| {
                action_sets.extend_from_slice(&bits);
                next
            });
            if let Some(slot) = user_actions.get_mut(u) {
                *slot = s;
            }
        }

        // A model without role sets or actions keeps no per-user rows for them: every lookup
        // then misses, which reads as "nothing held".
        let user_any: Vec<u32> = if sets.iter().all(|&w| w == 0) {
            Vec::new()
        } else {
            user_any
        };
        let user_actions = if action_sets.iter().all(|&w| w == 0) {
            Vec::new()
        } else {
            user_actions
        };
        let mut bound_users: Vec<(u32, SmallVec<[u64; 2]>)> = user_bound.into_iter().collect();
        bound_users.sort_unstable_by_key(|(u, _)| *u);
        let (user_direct, user_groups) = (user_direct.trimmed(), user_groups.trimmed());
        CompiledRbac {
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
            flags,
            words,
            role_ids: rbac.roles.slots.ids().clone(),
            roles,
            role_bits,
            conditions,
            base,
            base_scope,
            division_ids: divisions.names.ids().clone(),
            division_live,
            resource_ids: divisions.resources.clone(),
            resource_division: divisions.resource_division.clone(),
            group_ids: rbac.groups.slots.ids().clone(),
            group_live: rbac
                .groups
                .slots
                .slots()
                .iter()
                .map(Option::is_some)
                .collect(),
            user_combo,
            user_any,
            combos,
            combo_grants,
            client_combo,
            sets,
            user_direct,
            user_groups,
            group_grants,
            holders_any,
            holders_star,
            holders_div,
            action_ids: acts.entries.ids().clone(),
            action_requires: acts.requires.clone(),
            action_words,
            role_actions,
            action_sets,
            user_actions,
            bound_users,
            globals,
        }
    }

    /// Compiles one combination (sorted by role, then scope).
    fn combo(
        key: &[Grant],
        start: u32,
        sets: &mut SetInterner<'_>,
        roles: &[Option<CompiledRole>],
    ) -> Combo {
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
                (d, sets.intern(members))
            })
            .collect();
        let role = |r: &u32| roles.get(*r as usize).and_then(Option::as_ref);
        Combo {
            conditional: all
                .iter()
                .filter_map(role)
                .any(|c| !c.conditional.is_empty()),
            view_only: all.iter().filter_map(role).any(|c| c.spec.view_only),
            any: sets.intern(all),
            star: sets.intern(star),
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
        test_bit(&self.sets, self.words, set, a)
    }

    pub(crate) fn grants_of(&self, c: &Combo) -> &[Grant] {
        self.combo_grants
            .get(c.grants.0 as usize..c.grants.1 as usize)
            .unwrap_or(&[])
    }

    pub(crate) fn role(&self, r: RoleId) -> Option<&CompiledRole> {
        self.roles.get(ix(r))?.as_ref()
    }

    pub(crate) fn role_has(&self, r: RoleId, a: u32) -> bool {
        test_bit(&self.role_bits, self.words, r.as_u32(), a)
    }

    pub(crate) fn holders_in(&self, r: RoleId, d: u32) -> Option<&RoaringBitmap> {
        let key = u64::from(r.as_u32()) << 32 | u64::from(d);
        self.holders_div
            .binary_search_by_key(&key, |(k, _)| *k)
            .ok()
            .and_then(|i| self.holders_div.get(i))
            .map(|(_, b)| b)
    }

    pub(crate) fn memory(&self, users: usize) -> RbacMemoryReport {
        let bitmap =
            |b: &RoaringBitmap| core::mem::size_of::<RoaringBitmap>() + b.serialized_size();
        let user_bytes = self.user_combo.capacity() * 4
            + self.user_any.capacity() * 4
            + self.user_actions.capacity() * 4
            + self.user_direct.heap_bytes()
            + self.user_groups.heap_bytes();
        let combo_bytes = self.combos.capacity() * core::mem::size_of::<Combo>()
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
            + self.combo_grants.capacity() * core::mem::size_of::<Grant>()
            + self.sets.capacity() * 8;
        let reverse_bytes = self.holders_any.iter().map(bitmap).sum::<usize>()
            + self.holders_star.iter().map(bitmap).sum::<usize>()
            + self
                .holders_div
                .iter()
                .map(|(_, b)| 8 + bitmap(b))
                .sum::<usize>();
        let ids = |(t, i): (usize, usize)| t + i;
        let other_bytes = ids(self.permissions.heap_bytes())
            + ids(self.role_ids.heap_bytes())
            + ids(self.division_ids.heap_bytes())
            + ids(self.resource_ids.heap_bytes())
            + ids(self.group_ids.heap_bytes())
            + ids(self.action_ids.heap_bytes())
            + self.catalog.capacity() * core::mem::size_of::<PermissionSpec>()
            + self
                .catalog
                .iter()
                .map(|p| p.permission.capacity() + p.label.capacity())
                .sum::<usize>()
            + self.flags.capacity()
            + self.role_bits.capacity() * 8
            + self.roles.capacity() * core::mem::size_of::<Option<CompiledRole>>()
            + self
                .roles
                .iter()
                .flatten()
                .map(|r| r.conditional.capacity() * 8 + r.conditions.capacity() * 8)
                .sum::<usize>()
            + self.conditions.heap_bytes()
            + self.division_live.capacity()
            + self.group_live.capacity()
            + self.resource_division.capacity() * 4
            + self.group_grants.heap_bytes()
            + self.role_actions.capacity() * 8
            + self.action_sets.capacity() * 8
            + self.bound_users.capacity() * core::mem::size_of::<(u32, SmallVec<[u64; 2]>)>()
            + self.action_requires.capacity() * 4;
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
