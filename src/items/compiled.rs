//! Items, compiled: inheritance and defaults resolved once into deduplicated lists, and one
//! word per user for the role layer.
//!
//! - Every item's *effective list* is resolved at compile time, parents before children
//!   (sessions, insight boards and dashboards, then goals, then metrics: the parent types
//!   are strictly layered, so one pass per layer, no recursion). Lists are normalised
//!   (entries of removed principals dropped, duplicates merged, sorted) and interned, so the
//!   items of a session that inherit its list share one [`ListRec`].
//! - A compiled list holds the verbs of its `account` entries (every active user), of the
//!   `admins` pseudo-principal (the unconfigured-session default), its user entries sorted
//!   by user for a binary search, its team entries as team-tree position ranges (a team
//!   with its sub-teams is one run), and its role entries.
//! - Per user, one `u32`: for each item type, the verbs the role layer lets through (the
//!   type's gate actions, already capped at `read` for view-only users), plus flags
//!   (active, admin, view-only). Users with the same action set and flags share the
//!   computation.
//! - Owners as a CSR per item and, for the reverse query, per user.
//! - For the reverse query "who may do this verb on this item" ([`ReverseSets`]): roaring
//!   sets of org-tree positions for the active users, the admins, the users each type's gate
//!   lets `read` and the managed verbs through, and the members of each distinct team entry
//!   of the lists (with its sub-teams when the entry says so).
//!
//! A check is then: the item's record, the user's word, the list's record, a binary search
//! of the user entries and a few team or role tests; ownership is a short slice scan.

use std::sync::Arc;

use hashbrown::HashMap;
use roaring::RoaringBitmap;
use smallvec::SmallVec;

use crate::id::{DenseId, Interner, NONE, UserId};
use crate::items::access::{ItemGate, StoredEntry, StoredPrincipal};
use crate::items::rbac_link::{self, UserRoleFacts};
use crate::items::store::ItemStore;
use crate::items::store::{ItemId, StoredItem};
use crate::items::verbs::{ItemType, ItemVerbs, Verb};
use crate::org::chunked::Chunked;
use crate::org::compiled::CompiledOrg;
use crate::org::tree::{Node, TreeIndex};
use crate::rbac::compiled::CompiledRbac;
use crate::rbac::ids::{ActionId, RoleId};
use crate::rbac::tables::{Appended, Rows};
use crate::teams::TeamId;
use crate::teams::compiled::CompiledTeams;

/// User word flag: the user is active.
pub(crate) const ACTIVE: u32 = 1 << 31;
/// User word flag: the user holds the flat `admin` permission.
pub(crate) const ADMIN: u32 = 1 << 30;
/// User word flag: the user holds a view-only role.
pub(crate) const VIEW_ONLY: u32 = 1 << 29;

/// `ItemRec::kind` of a removed (or never created) item.
const DEAD: u8 = u8::MAX;

/// The verbs the role layer lets through for items of type `t`, from a user word.
#[inline(always)]
pub(crate) fn gate_of(word: u32, t: u8) -> u8 {
    (word.checked_shr(5 * u32::from(t)).unwrap_or(0) & 0x1f) as u8
}

/// Where an item's effective list comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Origin {
    /// No list: nobody (but owners).
    Nothing,
    /// The own list (`inherits = false`) of this item.
    Own(ItemId),
    /// The per-item default of this item.
    ItemDefault(ItemId),
    /// The default of this type.
    TypeDefault(ItemType),
    /// The unconfigured-session default of this session.
    Unconfigured(ItemId),
}

/// One compiled item.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct ItemRec {
    /// Effective list.
    pub(crate) list: u32,
    /// Start of the owners in `owners`.
    owners: u32,
    n_owners: u32,
    /// [`ItemType::index`], [`DEAD`] for no live item.
    pub(crate) kind: u8,
}

impl ItemRec {
    const NONE: ItemRec = ItemRec {
        list: 0,
        owners: 0,
        n_owners: 0,
        kind: DEAD,
    };

    #[inline]
    pub(crate) fn item_type(&self) -> Option<ItemType> {
        ItemType::from_index(self.kind as usize)
    }
}

/// A user entry of a compiled list.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct UserEntry {
    pub(crate) user: u32,
    pub(crate) verbs: u8,
}

/// A team entry: team-tree positions `[pos, end)` (the team alone, or with its sub-teams).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct TeamEntry {
    pub(crate) pos: u32,
    pub(crate) end: u32,
    pub(crate) team: u32,
    pub(crate) sub_teams: bool,
    pub(crate) verbs: u8,
}

/// A role entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct RoleEntry {
    pub(crate) role: RoleId,
    pub(crate) verbs: u8,
}

/// A compiled, deduplicated list.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct ListRec {
    /// Verbs of every active user.
    pub(crate) account: u8,
    /// Verbs of users holding `admin`.
    pub(crate) admins: u8,
    /// Union of every verb the list grants anyone.
    pub(crate) any: u8,
    users: (u32, u32),
    teams: (u32, u32),
    roles: (u32, u32),
}

/// A normalised list: the interning key.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
struct ListKey {
    account: u8,
    admins: u8,
    users: SmallVec<[UserEntry; 4]>,
    teams: SmallVec<[TeamEntry; 4]>,
    roles: SmallVec<[RoleEntry; 4]>,
}

impl ListKey {
    /// Every verb the list can grant anyone (a check stops once it has found them all).
    fn any_verb(&self) -> u8 {
        let entries = (self.users.iter().map(|e| e.verbs))
            .chain(self.teams.iter().map(|e| e.verbs))
            .chain(self.roles.iter().map(|e| e.verbs));
        entries.fold(self.account | self.admins, |any, v| any | v)
    }
}

/// Sorts by `key` and merges the verbs of equal keys.
fn merge<T: Copy, K: Ord>(
    v: &mut SmallVec<[T; 4]>,
    key: impl Fn(&T) -> K,
    verbs: impl Fn(&mut T) -> &mut u8,
) {
    v.sort_by_key(|e| key(e));
    let mut out: SmallVec<[T; 4]> = SmallVec::with_capacity(v.len());
    for e in v.iter().copied() {
        match out.last_mut() {
            Some(last) if key(last) == key(&e) => {
                let mut e = e;
                let add = *verbs(&mut e);
                *verbs(last) |= add;
            }
            _ => out.push(e),
        }
    }
    *v = out;
}

/// Each item type's gate action names and their ids (`None`: not in the action catalog).
pub(crate) type Gates = [(ItemGate, Option<ActionId>, Option<ActionId>); ItemType::COUNT];

/// Items, compiled.
///
/// Every table is shared with the items compiled before, chunk by chunk or behind an
/// `Arc`: a [`patch`](CompiledItems::patch) (a user's role grants, an item's lists, owners
/// or creator) copies the chunks it writes, appends the lists it makes to short tails, and
/// shares the rest.
#[derive(Clone, Debug)]
pub(crate) struct CompiledItems {
    pub(crate) ids: Interner<ItemId>,
    /// By dense item id.
    pub(crate) recs: Chunked<ItemRec>,
    /// By dense item id, for explanations.
    pub(crate) origins: Chunked<Origin>,
    /// Owners (dense user ids, sorted per item): a patch appends an item's new owners.
    owners: Appended<u32>,
    pub(crate) lists: Appended<ListRec>,
    list_users: Appended<UserEntry>,
    list_teams: Appended<TeamEntry>,
    list_roles: Appended<RoleEntry>,
    /// By dense user id: gate masks and flags.
    pub(crate) user_word: Chunked<u32>,
    /// Live items of each type, ascending.
    pub(crate) by_type: Arc<[Vec<u32>; ItemType::COUNT]>,
    /// By dense user id: the items the user owns, ascending.
    owned: Rows<u32>,
    /// `children[child_start[i]..child_start[i + 1]]`: the live items whose parent is `i`
    /// (what a patch of `i`'s list redoes after it). A patch keeps the parent links.
    child_start: Arc<[u32]>,
    children: Arc<[u32]>,
    /// The list of each type's default, by [`ItemType::index`].
    type_lists: [Option<u32>; ItemType::COUNT],
    /// Lists and owner runs appended by patches since the whole compile: the garbage they
    /// may leave is bounded by compiling whole past [`PATCH_LIMIT`].
    patched: usize,
    /// Gate action names and their ids (`None`: not in the action catalog).
    pub(crate) gates: Arc<Gates>,
    /// User sets for [`Items::who_can`](crate::Items::who_can).
    pub(crate) reverse: ReverseSets,
}

/// User sets, as org-tree positions, that the reverse query `who_can` combines. Built from
/// the user words and the team tree; empty when there are no items.
#[derive(Clone, Debug, Default)]
pub(crate) struct ReverseSets {
    /// Active users (the [`ACTIVE`] flag): what an `account` entry reaches.
    pub(crate) active: Arc<RoaringBitmap>,
    /// Users holding the flat `admin` permission ([`ADMIN`]).
    pub(crate) admins: Arc<RoaringBitmap>,
    /// By item type: the users the role layer lets `read` through (`[t][0]`) and the users
    /// it lets the managed verbs through (`[t][1]`; view-only users are never in it). The
    /// gate opens the four managed verbs together, so one set serves them all.
    gates: [[Arc<RoaringBitmap>; 2]; ItemType::COUNT],
    /// Members of each distinct team entry `(pos, end)` of the compiled lists (a patch
    /// appends the sets of the entries it adds).
    team_sets: Appended<RoaringBitmap>,
    /// By index into `CompiledItems::list_teams`: the entry's set in `team_sets`.
    team_set_of_entry: Appended<u32>,
}

/// Appended lists and owner runs past which a patch compiles whole instead (at least this
/// many, and as many as there are items).
pub(crate) const PATCH_LIMIT: usize = 4_096;

/// The members of team entry `[pos, end)`, as org-tree positions.
fn team_bitmap(teams: &CompiledTeams, pos: u32, end: u32) -> RoaringBitmap {
    // `end` already says whether the sub-teams count.
    let mut members = teams.member_positions(&Node { pos, end }, true).to_vec();
    members.sort_unstable();
    members.dedup();
    RoaringBitmap::from_sorted_iter(members).unwrap_or_default()
}

/// `(start, values)` of a CSR over `0..n` from `(key, value)` pairs: `values[start[k]..
/// start[k + 1]]` are the values of key `k`, in the pairs' order.
fn csr(n: usize, pairs: &[(u32, u32)]) -> (Vec<u32>, Vec<u32>) {
    let mut start = vec![0u32; n + 1];
    for &(k, _) in pairs {
        if let Some(c) = start.get_mut(k as usize + 1) {
            *c += 1;
        }
    }
    for k in 1..start.len() {
        let prev = start.get(k - 1).copied().unwrap_or(0);
        if let Some(c) = start.get_mut(k) {
            *c += prev;
        }
    }
    let mut fill = start.clone();
    let mut values = vec![0u32; pairs.len()];
    for &(k, v) in pairs {
        if let Some(at) = fill.get_mut(k as usize) {
            if let Some(x) = values.get_mut(*at as usize) {
                *x = v;
            }
            *at += 1;
        }
    }
    (start, values)
}

impl ReverseSets {
    /// Builds the sets: one pass over the org tree in position order (so every set is built
    /// from a sorted run), then one bitmap per distinct team entry.
    fn build(
        tree: &TreeIndex,
        user_word: &Chunked<u32>,
        teams: &CompiledTeams,
        list_teams: &[TeamEntry],
    ) -> ReverseSets {
        let mut active = Vec::new();
        let mut admins = Vec::new();
        let mut gates: [[Vec<u32>; 2]; ItemType::COUNT] = Default::default();
        for p in 0..tree.len() {
            let Some(u) = tree.user_at(p) else { continue };
            let word = user_word.get(u.index() as usize).copied().unwrap_or(0);
            if word & ACTIVE == 0 {
                continue;
            }
            active.push(p);
            if word & ADMIN != 0 {
                admins.push(p);
            }
            for (t, [read, managed]) in gates.iter_mut().enumerate() {
                let mask = gate_of(word, t as u8);
                if mask & ItemVerbs::READ.bits() != 0 {
                    read.push(p);
                }
                if mask & ItemVerbs::MANAGED.bits() == ItemVerbs::MANAGED.bits() {
                    managed.push(p);
                }
            }
        }
        let bitmap = |v: Vec<u32>| RoaringBitmap::from_sorted_iter(v).unwrap_or_default();
        let shared = |v: Vec<u32>| Arc::new(bitmap(v));

        let mut index: HashMap<(u32, u32), u32> = HashMap::new();
        let mut team_sets = Appended::default();
        let mut team_set_of_entry = Vec::with_capacity(list_teams.len());
        for e in list_teams {
            let set = *index.entry((e.pos, e.end)).or_insert_with(|| {
                team_sets.push(team_bitmap(teams, e.pos, e.end));
                (team_sets.len() - 1) as u32
            });
            team_set_of_entry.push(set);
        }
        team_sets.seal();
        ReverseSets {
            active: shared(active),
            admins: shared(admins),
            gates: gates.map(|[r, m]| [shared(r), shared(m)]),
            team_sets,
            team_set_of_entry: Appended::from_vec(team_set_of_entry),
        }
    }

    /// Moves the user at org-tree position `pos` from the sets of word `old` to those of
    /// word `new`, copying only the sets that change.
    fn move_user(&mut self, pos: u32, old: u32, new: u32) {
        let put = |b: &mut Arc<RoaringBitmap>, was: bool, is: bool| {
            if was != is {
                let b = Arc::make_mut(b);
                if is {
                    b.insert(pos);
                } else {
                    b.remove(pos);
                }
            }
        };
        let active = |w: u32| w & ACTIVE != 0;
        put(&mut self.active, active(old), active(new));
        let admin = |w: u32| active(w) && w & ADMIN != 0;
        put(&mut self.admins, admin(old), admin(new));
        for (t, [read, managed]) in self.gates.iter_mut().enumerate() {
            let reads = |w: u32| active(w) && gate_of(w, t as u8) & ItemVerbs::READ.bits() != 0;
            let manages = |w: u32| {
                active(w)
                    && gate_of(w, t as u8) & ItemVerbs::MANAGED.bits() == ItemVerbs::MANAGED.bits()
            };
            put(read, reads(old), reads(new));
            put(managed, manages(old), manages(new));
        }
    }

    /// The users the role layer lets `verb` through for items of kind `kind` (view-only cap
    /// included); `None` for a kind that is no item type.
    pub(crate) fn gate(&self, kind: u8, verb: Verb) -> Option<&RoaringBitmap> {
        let [read, managed] = self.gates.get(kind as usize)?;
        Some(if verb == Verb::Read { read } else { managed })
    }

    fn heap_bytes(&self) -> usize {
        let bitmap =
            |b: &RoaringBitmap| core::mem::size_of::<RoaringBitmap>() + b.serialized_size();
        bitmap(&self.active)
            + bitmap(&self.admins)
            + self
                .gates
                .iter()
                .flatten()
                .map(|b| bitmap(b))
                .sum::<usize>()
            + self.team_sets.iter().map(bitmap).sum::<usize>()
            + self.team_set_of_entry.len() * 4
    }
}

/// What a list's key is read against: which users, teams and roles are live.
#[derive(Clone, Copy)]
struct KeyCtx<'a> {
    tree: &'a TreeIndex,
    teams: &'a CompiledTeams,
    rbac: &'a CompiledRbac,
}

/// Interns lists: the whole compile's [`Lists`] and a patch's [`Patcher`].
trait Interning {
    /// What keys are read against.
    fn ctx(&self) -> KeyCtx<'_>;
    /// The id of the list with this key.
    fn intern(&mut self, key: ListKey) -> u32;
    /// The id of the list of these stored entries.
    fn list(&mut self, entries: &[StoredEntry]) -> u32 {
        let key = self.ctx().key(entries);
        self.intern(key)
    }
}

/// Builds and interns lists.
struct Lists<'a> {
    ctx: KeyCtx<'a>,
    index: HashMap<ListKey, u32>,
    recs: Vec<ListRec>,
    users: Vec<UserEntry>,
    team_entries: Vec<TeamEntry>,
    roles: Vec<RoleEntry>,
}

impl Interning for Lists<'_> {
    fn ctx(&self) -> KeyCtx<'_> {
        self.ctx
    }

    fn intern(&mut self, key: ListKey) -> u32 {
        Lists::intern(self, key)
    }
}

impl KeyCtx<'_> {
    /// The normalised key of stored entries: removed principals dropped, merged, sorted.
    fn key(&self, entries: &[StoredEntry]) -> ListKey {
        let mut key = ListKey::default();
        for e in entries {
            let verbs = e.grant.bits();
            if verbs == 0 {
                continue;
            }
            match &e.principal {
                StoredPrincipal::User(u) => {
                    if self.tree.node(*u).is_some() {
                        key.users.push(UserEntry {
                            user: u.index(),
                            verbs,
                        });
                    }
                }
                StoredPrincipal::Team { team, sub_teams } => {
                    if let Some(n) = self.teams.node(*team) {
                        key.teams.push(TeamEntry {
                            pos: n.pos,
                            end: if *sub_teams { n.end } else { n.pos + 1 },
                            team: team.index(),
                            sub_teams: *sub_teams,
                            verbs,
                        });
                    }
                }
                StoredPrincipal::Role(r) => {
                    if rbac_link::role_live(self.rbac, *r) {
                        key.roles.push(RoleEntry { role: *r, verbs });
                    }
                }
                StoredPrincipal::Account(_) => key.account |= verbs,
            }
        }
        merge(&mut key.users, |e| e.user, |e| &mut e.verbs);
        merge(
            &mut key.teams,
            |e| (e.pos, e.end, e.team, e.sub_teams),
            |e| &mut e.verbs,
        );
        merge(&mut key.roles, |e| e.role, |e| &mut e.verbs);
        key
    }

    /// The unconfigured-session default: every user reads, updates, creates and deletes;
    /// the creator and admins also modify permissions.
    fn unconfigured(&self, creator: u32) -> ListKey {
        let mut key = ListKey {
            account: (ItemVerbs::ALL.without(crate::items::verbs::Verb::ModifyPermissions)).bits(),
            admins: ItemVerbs::MODIFY_PERMISSIONS.bits(),
            ..ListKey::default()
        };
        let c = UserId::from_index(creator);
        if creator != NONE && self.tree.node(c).is_some() {
            key.users.push(UserEntry {
                user: creator,
                verbs: ItemVerbs::MODIFY_PERMISSIONS.bits(),
            });
        }
        key
    }
}

impl<'a> Lists<'a> {
    fn new(ctx: KeyCtx<'a>) -> Self {
        let mut lists = Self {
            ctx,
            index: HashMap::new(),
            recs: Vec::new(),
            users: Vec::new(),
            team_entries: Vec::new(),
            roles: Vec::new(),
        };
        // List 0: the empty list.
        lists.intern(ListKey::default());
        lists
    }

    fn intern(&mut self, key: ListKey) -> u32 {
        if let Some(&i) = self.index.get(&key) {
            return i;
        }
        let i = self.recs.len() as u32;
        let span = |start: usize, end: usize| (start as u32, end as u32);
        let any = key.any_verb();
        let u0 = self.users.len();
        self.users.extend_from_slice(&key.users);
        let t0 = self.team_entries.len();
        self.team_entries.extend_from_slice(&key.teams);
        let r0 = self.roles.len();
        self.roles.extend_from_slice(&key.roles);
        self.recs.push(ListRec {
            account: key.account,
            admins: key.admins,
            any,
            users: span(u0, self.users.len()),
            teams: span(t0, self.team_entries.len()),
            roles: span(r0, self.roles.len()),
        });
        self.index.insert(key, i);
        i
    }
}

/// A patch's interner: appends the lists it makes to the items it patches.
struct Patcher<'a, 'n> {
    ctx: KeyCtx<'a>,
    next: &'n mut CompiledItems,
    /// Lists this patch appended, by key.
    added: HashMap<ListKey, u32>,
    /// Team sets this patch appended, by team entry `(pos, end)`.
    sets: HashMap<(u32, u32), u32>,
    /// The list the item being resolved had before: kept when its key is the same.
    hint: u32,
}

impl Interning for Patcher<'_, '_> {
    fn ctx(&self) -> KeyCtx<'_> {
        self.ctx
    }

    fn intern(&mut self, key: ListKey) -> u32 {
        for l in [self.hint, 0] {
            if self.next.has_key(l, &key) {
                return l;
            }
        }
        if let Some(&l) = self.added.get(&key) {
            return l;
        }
        let l = self
            .next
            .append_list(&key, self.hint, &mut self.sets, self.ctx.teams);
        self.added.insert(key, l);
        l
    }
}

/// The layer an item type is resolved in: its parents' types come before it.
fn layer(t: ItemType) -> u8 {
    match t {
        ItemType::Session | ItemType::InsightBoard | ItemType::Dashboard => 0,
        ItemType::Goal => 1,
        ItemType::Metric => 2,
    }
}

impl CompiledItems {
    /// The items compiled again from `self`, compiled before edits that changed only the
    /// role grants of the users in `role_users` (over `rbac`) and the lists, owners or
    /// creator of the live `items` (and the per-type default lists, whose items `items`
    /// then names); `None` when they must be compiled whole.
    ///
    /// A role grant redoes the user's word and moves them in the reverse sets. An item
    /// redoes its effective list (interned again: kept when its key is the one it had,
    /// appended otherwise, with the team sets of its new team entries), its origin and its
    /// owners (and the owned rows of the users who gained or lost it), then every item
    /// under it, parents first: O(the subtrees + the users named), chunks copied on write.
    pub(crate) fn patch(
        &self,
        store: &ItemStore,
        org: &CompiledOrg,
        teams: &CompiledTeams,
        rbac: &CompiledRbac,
        role_users: &[crate::id::UserId],
        items: &[ItemId],
    ) -> Option<CompiledItems> {
        // Without items there are no user words and no reverse sets; what else reads the
        // roles at compile time (the lists' role entries, live roles; the gates, action
        // ids) a grant leaves as it is. No item can be written to: those named are live.
        if self.recs.len() == 0 {
            return items.is_empty().then(|| self.clone());
        }
        // Words of another org: not the items this patches.
        if self.user_word.len() != org.n_users {
            return None;
        }
        let tree = &org.tree;
        let mut next = self.clone();
        for &u in role_users {
            let i = u.index() as usize;
            let node = tree.node(u);
            let new = node
                .and_then(|_| rbac_link::user_facts(rbac, u))
                .map_or(0, |facts| word_of(rbac, &self.gates, facts));
            let &old = next.user_word.get(i)?;
            if old == new {
                continue;
            }
            next.user_word.set(i, new);
            if let Some(node) = node {
                next.reverse.move_user(node.pos, old, new);
            }
        }
        if !items.is_empty() {
            next.patch_items(store, KeyCtx { tree, teams, rbac }, items)?;
        }
        Some(next)
    }

    /// Redoes `changed` and the items under them, parents first (see [`patch`]).
    ///
    /// [`patch`]: CompiledItems::patch
    fn patch_items(
        &mut self,
        store: &ItemStore,
        ctx: KeyCtx<'_>,
        changed: &[ItemId],
    ) -> Option<()> {
        // Items added or removed change the parent links: not what a patch follows.
        if self.recs.len() != store.items.len() {
            return None;
        }
        let tree = ctx.tree;
        // The changed items and every item under them, once each.
        let mut todo: Vec<u32> = Vec::new();
        let mut seen: hashbrown::HashSet<u32> = hashbrown::HashSet::new();
        for i in changed {
            if seen.insert(i.index()) {
                todo.push(i.index());
            }
        }
        let mut at = 0;
        while let Some(&i) = todo.get(at) {
            at += 1;
            for &c in self.children_of(i) {
                if seen.insert(c) {
                    todo.push(c);
                }
            }
        }
        let layer_of = |i: u32| {
            store
                .items
                .get(ItemId::from_index(i))
                .map_or(u8::MAX, |s| layer(s.item_type))
        };
        todo.sort_unstable_by_key(|&i| (layer_of(i), i));

        let mut p = Patcher {
            ctx,
            next: self,
            added: HashMap::new(),
            sets: HashMap::new(),
            hint: 0,
        };
        // The per-type default lists, read again (kept when unchanged).
        let mut type_lists: [Option<u32>; ItemType::COUNT] = [None; ItemType::COUNT];
        for (t, d) in store.type_defaults.iter().enumerate() {
            if let (Some(entries), Some(slot)) = (d, type_lists.get_mut(t)) {
                p.hint = p.next.type_lists.get(t).copied().flatten().unwrap_or(0);
                *slot = Some(p.list(entries));
            }
        }
        for i in todo {
            let id = ItemId::from_index(i);
            let s = store.items.get(id)?;
            let old = *p.next.recs.get(i as usize)?;
            if old.kind != s.item_type.index() as u8 {
                return None;
            }
            // As in the whole compile: the parent's effective list, resolved before.
            let parent = s.parent().and_then(|q| {
                let rec = p.next.recs.get(q.index() as usize)?;
                (rec.kind != DEAD).then_some(())?;
                Some((rec.list, *p.next.origins.get(q.index() as usize)?))
            });
            p.hint = old.list;
            let (list, origin) = resolve(id, s, parent, &mut p, &type_lists);
            let owners: SmallVec<[u32; 4]> = s
                .owners
                .iter()
                .filter(|u| tree.node(**u).is_some())
                .map(|u| u.index())
                .collect();
            let next = &mut *p.next;
            let mut rec = ItemRec { list, ..old };
            next.patch_owners(i, &old, &mut rec, &owners);
            next.recs.set(i as usize, rec);
            next.origins.set(i as usize, origin);
        }
        self.type_lists = type_lists;
        self.owners.settle();
        self.lists.settle();
        self.list_users.settle();
        self.list_teams.settle();
        self.list_roles.settle();
        self.reverse.team_sets.settle();
        self.reverse.team_set_of_entry.settle();
        // Past the limit, a whole compile drops the lists no item reads any more.
        (self.patched <= PATCH_LIMIT.max(self.recs.len())).then_some(())
    }

    /// The live items whose parent is `i`.
    fn children_of(&self, i: u32) -> &[u32] {
        let s = self.child_start.get(i as usize).copied().unwrap_or(0) as usize;
        let e = self.child_start.get(i as usize + 1).copied().unwrap_or(0) as usize;
        self.children.get(s..e).unwrap_or(&[])
    }

    /// Whether list `l` has this key.
    fn has_key(&self, l: u32, key: &ListKey) -> bool {
        self.lists.get(l as usize).is_some_and(|r| {
            r.account == key.account
                && r.admins == key.admins
                && self.list_users(r) == &key.users[..]
                && self.list_teams(r) == &key.teams[..]
                && self.list_roles(r) == &key.roles[..]
        })
    }

    /// Appends the list of `key`, with a team set for each of its team entries: the set of
    /// the same entry in list `hint`, or one this patch appended, or a new one.
    fn append_list(
        &mut self,
        key: &ListKey,
        hint: u32,
        sets: &mut HashMap<(u32, u32), u32>,
        teams: &CompiledTeams,
    ) -> u32 {
        let l = self.lists.len() as u32;
        let span = |start: usize, len: usize| (start as u32, (start + len) as u32);
        let any = key.any_verb();
        let users = span(self.list_users.len(), key.users.len());
        if !key.users.is_empty() {
            self.list_users.extend_from_slice(&key.users);
        }
        let team_span = span(self.list_teams.len(), key.teams.len());
        if !key.teams.is_empty() {
            let old: SmallVec<[(TeamEntry, u32); 4]> = self
                .lists
                .get(hint as usize)
                .map(|h| {
                    let (s, e) = (h.teams.0 as usize, h.teams.1 as usize);
                    let entries = self.list_teams.slice(s, e);
                    let of = self.reverse.team_set_of_entry.slice(s, e);
                    entries.iter().copied().zip(of.iter().copied()).collect()
                })
                .unwrap_or_default();
            let mut of: SmallVec<[u32; 4]> = SmallVec::new();
            for e in &key.teams {
                let known = old
                    .iter()
                    .find(|(o, _)| (o.pos, o.end) == (e.pos, e.end))
                    .map(|&(_, k)| k)
                    .or_else(|| sets.get(&(e.pos, e.end)).copied());
                let k = match known {
                    Some(k) => k,
                    None => {
                        let k = self.reverse.team_sets.len() as u32;
                        let set = team_bitmap(teams, e.pos, e.end);
                        // A large set counts as many lists (one per 4,096 members), so
                        // the garbage of team sets stays bounded too.
                        self.patched += (set.len() >> 12) as usize;
                        self.reverse.team_sets.push(set);
                        sets.insert((e.pos, e.end), k);
                        k
                    }
                };
                of.push(k);
            }
            self.list_teams.extend_from_slice(&key.teams);
            self.reverse.team_set_of_entry.extend_from_slice(&of);
        }
        let roles = span(self.list_roles.len(), key.roles.len());
        if !key.roles.is_empty() {
            self.list_roles.extend_from_slice(&key.roles);
        }
        self.lists.push(ListRec {
            account: key.account,
            admins: key.admins,
            any,
            users,
            teams: team_span,
            roles,
        });
        self.patched += 1;
        l
    }

    /// Points `rec` (item `i`, was `old`) at owners `new`: the run `old` had when the same,
    /// else a new run; the users who gained or lost the item have their owned rows redone.
    fn patch_owners(&mut self, i: u32, old: &ItemRec, rec: &mut ItemRec, new: &[u32]) {
        let was: SmallVec<[u32; 4]> = self.owners_of(old).iter().copied().collect();
        if was.as_slice() == new {
            return;
        }
        rec.owners = self.owners.len() as u32;
        rec.n_owners = new.len() as u32;
        self.owners.extend_from_slice(new);
        self.patched += 1;
        for &u in was.iter().filter(|u| !new.contains(u)) {
            let row: Vec<u32> = self
                .owned
                .row(u as usize)
                .iter()
                .copied()
                .filter(|&x| x != i)
                .collect();
            self.owned.set_row(u as usize, &row);
        }
        for &u in new.iter().filter(|u| !was.contains(u)) {
            let mut row = self.owned.row(u as usize).to_vec();
            if let Err(at) = row.binary_search(&i) {
                row.insert(at, i);
            }
            self.owned.set_row(u as usize, &row);
        }
    }

    pub(crate) fn compile(
        store: &ItemStore,
        org: &CompiledOrg,
        teams: &CompiledTeams,
        rbac: &CompiledRbac,
    ) -> CompiledItems {
        let tree = &org.tree;
        let n_items = store.items.len();
        let n_users = org.n_users;

        // Gates and the per-user words.
        let gates = ItemType::ALL.map(|t| {
            let g = store.gate(t).clone();
            let access = rbac_link::action_named(rbac, &g.access);
            let manage = rbac_link::action_named(rbac, &g.manage);
            (g, access, manage)
        });
        let mut memo: HashMap<UserRoleFacts, u32> = HashMap::new();
        let mut user_word = vec![0u32; n_users];
        for (u, slot) in user_word.iter_mut().enumerate() {
            let user = UserId::from_index(u as u32);
            if tree.node(user).is_none() {
                continue;
            }
            let Some(facts) = rbac_link::user_facts(rbac, user) else {
                continue;
            };
            *slot = *memo
                .entry(facts)
                .or_insert_with(|| word_of(rbac, &gates, facts));
        }

        // Effective lists, parents first.
        let mut lists = Lists::new(KeyCtx { tree, teams, rbac });
        let mut type_lists: [Option<u32>; ItemType::COUNT] = [None; ItemType::COUNT];
        for (t, d) in store.type_defaults.iter().enumerate() {
            if let (Some(entries), Some(slot)) = (d, type_lists.get_mut(t)) {
                *slot = Some(lists.list(entries));
            }
        }
        let mut recs = vec![ItemRec::NONE; n_items];
        let mut origins = vec![Origin::Nothing; n_items];
        let layers: [&[ItemType]; 3] = [
            &[
                ItemType::Session,
                ItemType::InsightBoard,
                ItemType::Dashboard,
            ],
            &[ItemType::Goal],
            &[ItemType::Metric],
        ];
        for layer in layers {
            for (i, slot) in store.items.slots().iter().enumerate() {
                let Some(s) = slot else { continue };
                if !layer.contains(&s.item_type) {
                    continue;
                }
                let id = ItemId::from_index(i as u32);
                // The parent's effective list, when it has one (it was resolved in an
                // earlier layer).
                let parent = s.parent().and_then(|p| {
                    let rec = recs.get(p.index() as usize)?;
                    (rec.kind != DEAD).then_some(())?;
                    Some((rec.list, *origins.get(p.index() as usize)?))
                });
                let (list, origin) = resolve(id, s, parent, &mut lists, &type_lists);
                if let Some(r) = recs.get_mut(i) {
                    r.list = list;
                    r.kind = s.item_type.index() as u8;
                }
                if let Some(o) = origins.get_mut(i) {
                    *o = origin;
                }
            }
        }

        // Owners (active ones), per item and per user.
        let mut owners = Vec::new();
        let mut pairs: Vec<(u32, u32)> = Vec::new();
        for (i, slot) in store.items.slots().iter().enumerate() {
            let Some(s) = slot else { continue };
            let start = owners.len() as u32;
            for &u in &s.owners {
                if tree.node(u).is_some() {
                    owners.push(u.index());
                    pairs.push((u.index(), i as u32));
                }
            }
            if let Some(r) = recs.get_mut(i) {
                r.owners = start;
                r.n_owners = (owners.len() as u32).saturating_sub(start);
            }
        }
        // Pairs in item order, so each user's row is ascending.
        let (owned_start, owned) = csr(n_users, &pairs);
        let row = |u: usize| {
            let s = owned_start.get(u).copied().unwrap_or(0) as usize;
            let e = owned_start.get(u + 1).copied().unwrap_or(0) as usize;
            owned.get(s..e).unwrap_or(&[])
        };
        // Without items there is no per-user row to keep: a missing row reads as the zero
        // word (deny) and as "owns nothing".
        let (user_word, owned) = if recs.is_empty() {
            (Chunked::default(), Rows::default())
        } else {
            (Chunked::from_vec(user_word), Rows::build(n_users, row))
        };
        // The parent links, for a patch to find the items under an item.
        let links: Vec<(u32, u32)> = store
            .items
            .iter()
            .filter_map(|(i, s)| Some((s.parent()?.index(), i.index())))
            .collect();
        let (child_start, children) = csr(n_items, &links);

        let reverse = if recs.is_empty() {
            ReverseSets::default()
        } else {
            ReverseSets::build(tree, &user_word, teams, &lists.team_entries)
        };

        let mut by_type: [Vec<u32>; ItemType::COUNT] = Default::default();
        for (i, r) in recs.iter().enumerate() {
            if let Some(v) = by_type.get_mut(r.kind as usize) {
                v.push(i as u32);
            }
        }

        CompiledItems {
            ids: store.items.ids().clone(),
            recs: Chunked::from_vec(recs),
            origins: Chunked::from_vec(origins),
            owners: Appended::from_vec(owners),
            lists: Appended::from_vec(lists.recs),
            list_users: Appended::from_vec(lists.users),
            list_teams: Appended::from_vec(lists.team_entries),
            list_roles: Appended::from_vec(lists.roles),
            user_word,
            by_type: Arc::new(by_type),
            owned,
            child_start: child_start.into(),
            children: children.into(),
            type_lists,
            patched: 0,
            gates: Arc::new(gates),
            reverse,
        }
    }

    /// The record of a live item.
    #[inline]
    pub(crate) fn get(&self, i: ItemId) -> Option<&ItemRec> {
        self.recs.get(i.index() as usize).filter(|r| r.kind != DEAD)
    }

    /// The user's word; 0 (inactive, nothing gated through) for an unknown user.
    #[inline]
    pub(crate) fn word(&self, u: UserId) -> u32 {
        self.user_word.get(u.index() as usize).copied().unwrap_or(0)
    }

    /// The active owners of an item.
    #[inline]
    pub(crate) fn owners_of(&self, rec: &ItemRec) -> &[u32] {
        let s = rec.owners as usize;
        self.owners.slice(s, s + rec.n_owners as usize)
    }

    /// The items a user owns, ascending.
    pub(crate) fn owned_by(&self, u: UserId) -> &[u32] {
        self.owned.row(u.index() as usize)
    }

    pub(crate) fn list_users(&self, l: &ListRec) -> &[UserEntry] {
        self.list_users
            .slice(l.users.0 as usize, l.users.1 as usize)
    }

    pub(crate) fn list_teams(&self, l: &ListRec) -> &[TeamEntry] {
        self.list_teams
            .slice(l.teams.0 as usize, l.teams.1 as usize)
    }

    pub(crate) fn list_roles(&self, l: &ListRec) -> &[RoleEntry] {
        self.list_roles
            .slice(l.roles.0 as usize, l.roles.1 as usize)
    }

    /// The verbs list `list` grants active user `u` (whose word is `word`), before the role
    /// layer; stops as soon as every verb the list can grant is found.
    #[inline]
    pub(crate) fn list_verbs(
        &self,
        list: u32,
        u: UserId,
        word: u32,
        teams: &CompiledTeams,
        rbac: &CompiledRbac,
    ) -> u8 {
        let Some(l) = self.lists.get(list as usize) else {
            return 0;
        };
        let mut v = l.account;
        if word & ADMIN != 0 {
            v |= l.admins;
        }
        if v == l.any {
            return v;
        }
        let users = self.list_users(l);
        if let Ok(i) = users.binary_search_by_key(&u.index(), |e| e.user) {
            v |= users.get(i).map_or(0, |e| e.verbs);
        }
        for e in self.list_teams(l) {
            if e.verbs & !v != 0
                && teams.contains(
                    u,
                    &Node {
                        pos: e.pos,
                        end: e.end,
                    },
                    true,
                )
            {
                v |= e.verbs;
            }
        }
        for e in self.list_roles(l) {
            if e.verbs & !v != 0 && rbac_link::holds_role(rbac, u, e.role) {
                v |= e.verbs;
            }
        }
        v
    }

    /// The team entries of list `l` with their members (positions), for the reverse query.
    pub(crate) fn list_team_sets<'a>(
        &'a self,
        l: &ListRec,
    ) -> impl Iterator<Item = (&'a TeamEntry, &'a RoaringBitmap)> + 'a {
        let (s, e) = (l.teams.0 as usize, l.teams.1 as usize);
        let entries = self.list_teams.slice(s, e);
        let sets = self
            .reverse
            .team_set_of_entry
            .slice(s, e)
            .iter()
            .filter_map(|&k| self.reverse.team_sets.get(k as usize));
        entries.iter().zip(sets)
    }

    /// The team of a team entry.
    pub(crate) fn entry_team(e: &TeamEntry) -> TeamId {
        TeamId::from_index(e.team)
    }

    /// Heap bytes held, split into (id text, everything else).
    pub(crate) fn heap_bytes(&self) -> (usize, usize) {
        let (text, ids) = self.ids.heap_bytes();
        let index = ids
            + self.recs.heap_bytes()
            + self.origins.heap_bytes()
            + self.owners.heap_bytes()
            + self.lists.heap_bytes()
            + self.list_users.heap_bytes()
            + self.list_teams.heap_bytes()
            + self.list_roles.heap_bytes()
            + self.user_word.heap_bytes()
            + self.by_type.iter().map(|v| v.capacity() * 4).sum::<usize>()
            + self.owned.heap_bytes()
            + (self.child_start.len() + self.children.len()) * 4
            + self.reverse.heap_bytes();
        (text, index)
    }
}

/// The word of an active user with these facts: per item type the verbs the type's gate
/// actions let through (capped at `read` for a view-only user), and the flags.
fn word_of(rbac: &CompiledRbac, gates: &Gates, facts: UserRoleFacts) -> u32 {
    let mut word = ACTIVE;
    for (t, (_, access, manage)) in gates.iter().enumerate() {
        let held = |a: &Option<ActionId>| {
            a.is_some_and(|a| rbac_link::set_has_action(rbac, facts.action_set, a))
        };
        let mut mask = 0u32;
        if held(access) {
            mask |= u32::from(ItemVerbs::READ.bits());
        }
        if held(manage) {
            mask |= u32::from(ItemVerbs::MANAGED.bits());
        }
        if facts.view_only {
            mask &= u32::from(ItemVerbs::READ.bits());
        }
        word |= mask << (5 * t);
    }
    if facts.admin {
        word |= ADMIN;
    }
    if facts.view_only {
        word |= VIEW_ONLY;
    }
    word
}

/// The effective list of item `id` and where it comes from; `parent` is the parent's
/// (list, origin) when the item has a live parent.
fn resolve(
    id: ItemId,
    s: &StoredItem,
    parent: Option<(u32, Origin)>,
    lists: &mut impl Interning,
    type_lists: &[Option<u32>; ItemType::COUNT],
) -> (u32, Origin) {
    if let Some(access) = &s.access {
        if !access.inherits {
            return (lists.list(&access.entries), Origin::Own(id));
        }
        if let Some(p) = parent {
            // `inherits = true` takes the parent's effective list as it is.
            return p;
        }
        // An item without a parent that inherits falls back as if it had no list.
    }
    if let Some(d) = &s.default_access {
        return (lists.list(d), Origin::ItemDefault(id));
    }
    if let Some(&Some(l)) = type_lists.get(s.item_type.index()) {
        return (l, Origin::TypeDefault(s.item_type));
    }
    match s.item_type {
        ItemType::Session => {
            let key = lists.ctx().unconfigured(s.creator);
            (lists.intern(key), Origin::Unconfigured(id))
        }
        ItemType::Goal | ItemType::Metric => parent.unwrap_or((0, Origin::Nothing)),
        ItemType::InsightBoard | ItemType::Dashboard => (0, Origin::Nothing),
    }
}
