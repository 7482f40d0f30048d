//! A reference evaluator for item access written the obvious way (walk up the parents on
//! every check, scan the entries, walk up the team tree, scan the grants and the permission
//! objects), and property tests comparing the compiled snapshot with it on random item
//! trees, principals, grants, gates and defaults: `allowed_actions` and `item_actions`
//! forward, `explain_item` (allowed ⇔ the verb is present), and the reverse queries
//! `readable` and `with_verb` (the listed items are exactly those whose check passes) and
//! `who_can` / `who_can_each` (the listed users are exactly those whose check passes), in
//! both id forms, with explanations agreeing with membership.

use std::collections::BTreeSet;

use orgperm::{
    AccessEntry, AccessSpec, ActionSpec, GlobalPermissionSpec, ItemErrorKind, ItemGate, ItemSpec,
    ItemType, ItemVerbs, Model, PermissionSpec, PrincipalKind, RoleSpec, Snapshot, Subject, Verb,
};
use proptest::prelude::*;

const PLURALS: [&str; 5] = [
    "sessions",
    "goals",
    "metrics",
    "insightboards",
    "dashboards",
];
/// Roles: three plain ones, the admin role (flat `admin`), the view-only role.
const ROLES: [&str; 5] = ["r0", "r1", "r2", "radm", "rview"];
const R_ADMIN: usize = 3;
const R_VIEW: usize = 4;
/// The group grants this role.
const R_GROUP: usize = 1;

/// The item types in the reference's own order (the order of `PLURALS`).
const TYPES: [ItemType; 5] = [
    ItemType::Session,
    ItemType::Goal,
    ItemType::Metric,
    ItemType::InsightBoard,
    ItemType::Dashboard,
];

/// The reference's own index of an item type into `TYPES`, `PLURALS` and the per-type tables.
fn type_index(t: ItemType) -> usize {
    match t {
        ItemType::Session => 0,
        ItemType::Goal => 1,
        ItemType::Metric => 2,
        ItemType::InsightBoard => 3,
        ItemType::Dashboard => 4,
    }
}

/// docs/semantics.md §3: a per-item default list exists for sessions and dashboards only.
fn has_item_default(t: ItemType) -> bool {
    matches!(t, ItemType::Session | ItemType::Dashboard)
}

/// `allowed_actions` targets by the vendor's names; `None`: refused.
const TARGETS: [(&str, Option<ItemType>); 6] = [
    ("metric", Some(ItemType::Metric)),
    ("goal", Some(ItemType::Goal)),
    ("session", Some(ItemType::Session)),
    ("insightBoard", Some(ItemType::InsightBoard)),
    ("dashboard", None),
    ("team", None),
];

/// The verbs with their vendor names. The reference keeps a set of verbs as a mask of its
/// own: bit `i` stands for `VERBS[i]`; the library's bit layout is never used.
const VERBS: [(Verb, &str); 5] = [
    (Verb::Read, "read"),
    (Verb::Update, "update"),
    (Verb::Create, "create"),
    (Verb::Delete, "delete"),
    (Verb::ModifyPermissions, "modifyPermissions"),
];
const V_READ: u8 = 1 << 0;
const V_UPDATE: u8 = 1 << 1;
const V_CREATE: u8 = 1 << 2;
const V_DELETE: u8 = 1 << 3;
const V_MODIFY: u8 = 1 << 4;
/// What the access action opens (read) and what the manage action opens (the other verbs).
const V_ACCESS_GATE: u8 = V_READ;
const V_MANAGE_GATE: u8 = V_UPDATE | V_CREATE | V_DELETE | V_MODIFY;
/// What owners always get.
const V_OWNER: u8 = V_READ | V_UPDATE | V_DELETE;

/// The library's verb set for a reference mask, built verb by verb.
fn to_verbs(mask: u8) -> ItemVerbs {
    VERBS
        .iter()
        .enumerate()
        .filter(|&(i, _)| mask & (1 << i) != 0)
        .fold(ItemVerbs::EMPTY, |acc, (_, &(v, _))| acc.with(v))
}

/// The vendor names of a reference mask, in `VERBS` order.
fn names_of(mask: u8) -> Vec<&'static str> {
    VERBS
        .iter()
        .enumerate()
        .filter(|&(i, _)| mask & (1 << i) != 0)
        .map(|(_, &(_, n))| n)
        .collect()
}

/// Whether the library's verb set is exactly the reference mask: verb by verb, by count and
/// by the names it reports.
fn same_verbs(got: ItemVerbs, mask: u8) -> bool {
    VERBS
        .iter()
        .enumerate()
        .all(|(i, &(v, _))| got.contains(v) == (mask & (1 << i) != 0))
        && got.len() == mask.count_ones() as usize
        && got.names().collect::<Vec<_>>() == names_of(mask)
}

#[derive(Clone, Debug)]
struct EntryDef {
    kind: u8,
    id: usize,
    sub: bool,
    grant: u8,
}

#[derive(Clone, Debug)]
struct ItemDef {
    kind: u8,
    parent: usize,
    owners: Vec<usize>,
    creator: Option<usize>,
    /// `(inherits, entries)`.
    access: Option<(bool, Vec<EntryDef>)>,
    default: Option<Vec<EntryDef>>,
}

#[derive(Clone, Debug)]
pub(crate) struct WorldDef {
    n_users: usize,
    /// Raw parent of team `i`: `raw % (i + 1)`, where `i` means a root.
    team_parent: Vec<usize>,
    team_members: Vec<(usize, usize)>,
    /// Per user: bits 0..4 for r0, r1, r2, radm; bit 4: view-only (then nothing else).
    user_roles: Vec<u8>,
    group_members: Vec<usize>,
    /// Per type: 0 default gate, 1 access missing from the catalog, 2 manage missing.
    gates: Vec<u8>,
    /// `(action, principal)`: action `a` is `access-` (even) or `manage-` (odd) of type
    /// `a / 2`; principal `p < n_users` a user, else a role.
    bindings: Vec<(usize, usize)>,
    items: Vec<ItemDef>,
    type_defaults: Vec<Option<Vec<EntryDef>>>,
    /// `(team, raw new parent)`, applied after the items.
    moves: Vec<(usize, usize)>,
    removed_user: Option<usize>,
}

fn entry() -> impl Strategy<Value = EntryDef> {
    (0u8..4, 0usize..16, any::<bool>(), 0u8..32).prop_map(|(kind, id, sub, grant)| EntryDef {
        kind,
        id,
        sub,
        grant,
    })
}

fn entries() -> impl Strategy<Value = Vec<EntryDef>> {
    prop::collection::vec(entry(), 0..4)
}

fn item() -> impl Strategy<Value = ItemDef> {
    (
        0u8..5,
        0usize..64,
        prop::collection::vec(0usize..16, 0..3),
        prop::option::of(0usize..16),
        prop::option::weighted(0.7, (any::<bool>(), entries())),
        prop::option::weighted(0.2, entries()),
    )
        .prop_map(|(kind, parent, owners, creator, access, default)| ItemDef {
            kind,
            parent,
            owners,
            creator,
            access,
            default,
        })
}

pub(crate) fn world() -> impl Strategy<Value = WorldDef> {
    (
        3usize..8,
        prop::collection::vec(0usize..8, 0..5),
        prop::collection::vec((0usize..8, 0usize..16), 0..10),
        prop::collection::vec(0u8..32, 8),
        prop::collection::vec(0usize..16, 0..4),
        prop::collection::vec(prop::sample::select(vec![0u8, 0, 0, 1, 2]), 5),
        prop::collection::vec((0usize..10, 0usize..16), 0..16),
        prop::collection::vec(item(), 1..16),
        prop::collection::vec(prop::option::weighted(0.25, entries()), 5),
        prop::collection::vec((0usize..8, 0usize..8), 0..3),
        prop::option::weighted(0.3, 0usize..8),
    )
        .prop_map(
            |(
                n_users,
                team_parent,
                team_members,
                user_roles,
                group_members,
                gates,
                bindings,
                items,
                type_defaults,
                moves,
                removed_user,
            )| WorldDef {
                n_users,
                team_parent,
                team_members,
                user_roles,
                group_members,
                gates,
                bindings,
                items,
                type_defaults,
                moves,
                removed_user,
            },
        )
}

/// The reference's view of an entry, resolved to names.
#[derive(Clone, Debug)]
enum Principal {
    User(usize),
    Team(usize, bool),
    Role(usize),
    Account,
}

#[derive(Clone, Debug)]
struct Entry {
    principal: Principal,
    grant: u8,
}

#[derive(Clone, Debug)]
struct Item {
    name: String,
    kind: ItemType,
    parent: Option<usize>,
    owners: Vec<usize>,
    creator: Option<usize>,
    access: Option<(bool, Vec<Entry>)>,
    default: Option<Vec<Entry>>,
}

/// Everything the reference evaluates on, in plain vectors.
#[derive(Debug)]
pub(crate) struct World {
    n_users: usize,
    active: Vec<bool>,
    team_parent: Vec<Option<usize>>,
    team_members: Vec<BTreeSet<usize>>,
    /// Roles held by each user, directly or through the group.
    roles: Vec<BTreeSet<usize>>,
    /// `(action name, principal)` bindings; principal: `Ok(user)` or `Err(role)`.
    bindings: Vec<(String, Result<usize, usize>)>,
    gates: Vec<(String, String)>,
    items: Vec<Item>,
    type_defaults: Vec<Option<Vec<Entry>>>,
}

fn user(i: usize) -> String {
    format!("u{i}")
}

fn team(i: usize) -> String {
    format!("t{i}")
}

fn resolve_entries(defs: &[EntryDef], n_users: usize, n_teams: usize) -> Vec<Entry> {
    defs.iter()
        .map(|d| {
            let principal = match d.kind {
                0 => Principal::User(d.id % n_users),
                1 if n_teams > 0 => Principal::Team(d.id % n_teams, d.sub),
                2 => Principal::Role(d.id % ROLES.len()),
                _ => Principal::Account,
            };
            Entry {
                principal,
                grant: d.grant,
            }
        })
        .collect()
}

fn entry_spec(e: &Entry) -> AccessEntry {
    let grant = to_verbs(e.grant);
    match e.principal {
        Principal::User(u) => AccessEntry::user(user(u), grant),
        Principal::Team(t, sub) => {
            let entry = AccessEntry::team(team(t), grant);
            if sub {
                entry.including_subteams()
            } else {
                entry
            }
        }
        Principal::Role(r) => AccessEntry::role(ROLES[r], grant),
        Principal::Account => AccessEntry::new(PrincipalKind::Account, "acct", grant),
    }
}

/// Builds the model and the reference's world from a definition.
pub(crate) fn build(def: &WorldDef) -> (Model, World) {
    let n = def.n_users;
    let mut m = Model::new();
    for u in 0..n {
        m.add_user(&user(u), None).unwrap();
    }

    // Teams.
    let n_teams = def.team_parent.len();
    let mut team_parent = Vec::with_capacity(n_teams);
    for (i, &raw) in def.team_parent.iter().enumerate() {
        let p = raw % (i + 1);
        let parent = (p < i).then_some(p);
        m.teams_mut()
            .add_team(&team(i), parent.map(team).as_deref())
            .unwrap();
        team_parent.push(parent);
    }
    let mut team_members = vec![BTreeSet::new(); n_teams];
    if n_teams > 0 {
        for &(t, u) in &def.team_members {
            let (t, u) = (t % n_teams, u % n);
            m.teams_mut().add_team_member(&team(t), &user(u)).unwrap();
            team_members[t].insert(u);
        }
    }

    // Roles, grants, the group.
    m.rbac_mut().add_division("home", "Home").unwrap();
    m.rbac_mut()
        .add_permission(PermissionSpec::new("admin", "Admin"))
        .unwrap();
    for (i, r) in ROLES.iter().enumerate() {
        let spec = RoleSpec::new(*r, *r);
        let spec = match i {
            R_ADMIN => spec.with_permission("admin"),
            R_VIEW => spec.view_only(),
            _ => spec,
        };
        m.rbac_mut().create_role(spec).unwrap();
    }
    let mut roles = vec![BTreeSet::new(); n];
    for (u, held) in roles.iter_mut().enumerate() {
        let bits = def.user_roles[u];
        if bits & 16 != 0 {
            m.rbac_mut()
                .grant_role(Subject::User(&user(u)), ROLES[R_VIEW], None)
                .unwrap();
            held.insert(R_VIEW);
            continue;
        }
        for (r, role) in ROLES.iter().enumerate().take(4) {
            if bits & (1 << r) != 0 {
                m.rbac_mut()
                    .grant_role(Subject::User(&user(u)), role, None)
                    .unwrap();
                held.insert(r);
            }
        }
    }
    m.rbac_mut().add_group("g", "Group").unwrap();
    m.rbac_mut()
        .grant_role(Subject::Group("g"), ROLES[R_GROUP], Some("*"))
        .unwrap();
    let members: BTreeSet<usize> = def
        .group_members
        .iter()
        .map(|&u| u % n)
        .filter(|&u| !roles[u].contains(&R_VIEW))
        .collect();
    for &u in &members {
        m.rbac_mut()
            .add_group_members("g", &[user(u).as_str()])
            .unwrap();
        roles[u].insert(R_GROUP);
    }

    // Actions, bindings, gates.
    let mut specs = Vec::new();
    for p in PLURALS {
        specs.push(ActionSpec::new(format!("access-{p}"), "A"));
        specs.push(ActionSpec::new(format!("manage-{p}"), "M").requiring(format!("access-{p}")));
    }
    m.rbac_mut().add_actions(specs).unwrap();
    let mut bindings = Vec::new();
    for (k, &(a, p)) in def.bindings.iter().enumerate() {
        let action = format!(
            "{}-{}",
            if a % 2 == 0 { "access" } else { "manage" },
            PLURALS[a / 2 % 5]
        );
        let p = p % (n + ROLES.len());
        let (principal, who) = if p < n {
            (user(p), Ok(p))
        } else {
            (ROLES[p - n].to_owned(), Err(p - n))
        };
        m.rbac_mut()
            .create_global_permission(GlobalPermissionSpec::new(
                format!("gp{k}"),
                action.as_str(),
                [principal],
            ))
            .unwrap();
        bindings.push((action, who));
    }
    let mut gates = Vec::new();
    for (t, &g) in def.gates.iter().enumerate() {
        let (mut access, mut manage) = (
            format!("access-{}", PLURALS[t]),
            format!("manage-{}", PLURALS[t]),
        );
        match g {
            1 => access = format!("missing-access-{t}"),
            2 => manage = format!("missing-manage-{t}"),
            _ => {}
        }
        m.items_mut()
            .set_item_gate(TYPES[t], ItemGate::new(access.clone(), manage.clone()))
            .unwrap();
        gates.push((access, manage));
    }

    // Items: goals need an earlier session, metrics an earlier goal; otherwise the item
    // becomes a type that fits.
    let mut items: Vec<Item> = Vec::new();
    for (k, d) in def.items.iter().enumerate() {
        let of = |t: ItemType| -> Vec<usize> {
            items
                .iter()
                .enumerate()
                .filter(|(_, i)| i.kind == t)
                .map(|(j, _)| j)
                .collect()
        };
        let mut kind = TYPES[d.kind as usize % 5];
        let mut parent = None;
        if kind == ItemType::Metric {
            let goals = of(ItemType::Goal);
            if goals.is_empty() {
                kind = ItemType::Goal;
            } else {
                parent = Some(goals[d.parent % goals.len()]);
            }
        }
        if kind == ItemType::Goal {
            let sessions = of(ItemType::Session);
            if sessions.is_empty() {
                kind = ItemType::Session;
            } else {
                parent = Some(sessions[d.parent % sessions.len()]);
            }
        }
        let item = Item {
            name: format!("i{k}"),
            kind,
            parent,
            owners: d.owners.iter().map(|&u| u % n).collect(),
            creator: d.creator.map(|u| u % n),
            access: d
                .access
                .as_ref()
                .map(|(inherits, e)| (*inherits, resolve_entries(e, n, n_teams))),
            default: d
                .default
                .as_ref()
                .filter(|_| has_item_default(kind))
                .map(|e| resolve_entries(e, n, n_teams)),
        };
        let mut spec = ItemSpec::new(item.name.clone(), kind);
        spec.parent = item.parent.map(|p| items[p].name.clone());
        spec.owners = item.owners.iter().map(|&u| user(u)).collect();
        spec.creator = item.creator.map(user);
        spec.access = item.access.as_ref().map(|(inherits, e)| AccessSpec {
            inherits: *inherits,
            permissions: e.iter().map(entry_spec).collect(),
        });
        spec.default_access = item
            .default
            .as_ref()
            .map(|e| e.iter().map(entry_spec).collect());
        m.items_mut().add_item(spec).unwrap();
        items.push(item);
    }
    let mut type_defaults = Vec::new();
    for (t, d) in def.type_defaults.iter().enumerate() {
        let list = d.as_ref().map(|e| resolve_entries(e, n, n_teams));
        m.items_mut()
            .set_default_access(
                TYPES[t],
                list.as_ref().map(|l| l.iter().map(entry_spec).collect()),
            )
            .unwrap();
        type_defaults.push(list);
    }

    // Later changes: team moves (to a team with a smaller index, so no cycle), a removal.
    for &(t, raw) in &def.moves {
        if n_teams == 0 {
            break;
        }
        let t = t % n_teams;
        let p = raw % (t + 1);
        let parent = (p < t).then_some(p);
        m.teams_mut()
            .move_team(&team(t), parent.map(team).as_deref())
            .unwrap();
        team_parent[t] = parent;
    }
    let mut active = vec![true; n];
    if let Some(u) = def.removed_user {
        let u = u % n;
        m.remove_user(&user(u)).unwrap();
        active[u] = false;
        roles[u].clear();
        bindings.retain(|(_, who)| *who != Ok(u));
        for t in team_members.iter_mut() {
            t.remove(&u);
        }
    }
    let world = World {
        n_users: n,
        active,
        team_parent,
        team_members,
        roles,
        bindings,
        gates,
        items,
        type_defaults,
    };
    (m, world)
}

/// The list the reference evaluates for an item.
enum RefList<'a> {
    Entries(&'a [Entry]),
    Unconfigured(Option<usize>),
    Nothing,
}

impl World {
    /// Effective list: walk up the parents until something decides.
    fn effective(&self, item: usize) -> RefList<'_> {
        let mut x = item;
        loop {
            let it = &self.items[x];
            if let Some((inherits, entries)) = &it.access {
                if !inherits {
                    return RefList::Entries(entries);
                }
                if let Some(p) = it.parent {
                    x = p;
                    continue;
                }
            }
            if let Some(d) = &it.default {
                return RefList::Entries(d);
            }
            if let Some(d) = &self.type_defaults[type_index(it.kind)] {
                return RefList::Entries(d);
            }
            match (it.kind, it.parent) {
                (ItemType::Session, _) => return RefList::Unconfigured(it.creator),
                (ItemType::Goal | ItemType::Metric, Some(p)) => x = p,
                _ => return RefList::Nothing,
            }
        }
    }

    fn in_team(&self, u: usize, t: usize, sub: bool) -> bool {
        if !sub {
            return self.team_members[t].contains(&u);
        }
        (0..self.team_members.len()).any(|member_of| {
            if !self.team_members[member_of].contains(&u) {
                return false;
            }
            // Walk up from the team the user is in.
            let mut cur = Some(member_of);
            while let Some(c) = cur {
                if c == t {
                    return true;
                }
                cur = self.team_parent[c];
            }
            false
        })
    }

    fn holds_action(&self, u: usize, action: &str) -> bool {
        self.bindings.iter().any(|(bound, who)| {
            let implies = bound == action
                || (action.starts_with("access-")
                    && *bound == action.replacen("access-", "manage-", 1));
            implies
                && match who {
                    Ok(v) => *v == u,
                    Err(r) => self.roles[u].contains(r),
                }
        })
    }

    /// The obvious evaluation of every layer.
    fn verbs(&self, u: usize, item: usize) -> u8 {
        if u >= self.n_users || !self.active[u] {
            return 0;
        }
        let admin = self.roles[u].contains(&R_ADMIN);
        let view_only = self.roles[u].contains(&R_VIEW);
        let mut base = 0u8;
        match self.effective(item) {
            RefList::Entries(entries) => {
                for e in entries {
                    let hit = match e.principal {
                        Principal::User(v) => v == u,
                        Principal::Team(t, sub) => self.in_team(u, t, sub),
                        Principal::Role(r) => self.roles[u].contains(&r),
                        Principal::Account => true,
                    };
                    if hit {
                        base |= e.grant;
                    }
                }
            }
            RefList::Unconfigured(creator) => {
                base = V_READ | V_UPDATE | V_CREATE | V_DELETE;
                if creator == Some(u) || admin {
                    base |= V_MODIFY;
                }
            }
            RefList::Nothing => {}
        }
        let it = &self.items[item];
        let (access, manage) = &self.gates[type_index(it.kind)];
        let mut gate = 0u8;
        if self.holds_action(u, access) {
            gate |= V_ACCESS_GATE;
        }
        if self.holds_action(u, manage) {
            gate |= V_MANAGE_GATE;
        }
        let mut v = base & gate;
        if view_only {
            v &= V_READ;
        }
        if it.owners.contains(&u) {
            v |= V_OWNER;
        }
        v
    }
}

fn check_world(def: &WorldDef) -> Result<(), TestCaseError> {
    let (model, world) = build(def);
    let snap: Snapshot = model.compile();
    let n_items = world.items.len();
    for u in 0..=world.n_users {
        let name = user(u); // u == n_users: a user that does not exist
        for (i, it) in world.items.iter().enumerate() {
            let expected = world.verbs(u, i);
            let got = snap.items().actions(name.as_str(), it.name.as_str());
            prop_assert!(
                same_verbs(got, expected),
                "user {} item {:?}: {:?}, expected {:?}",
                &name,
                it,
                got,
                names_of(expected)
            );
            // The targets of `allowed_actions` (docs/semantics.md §3); any other is an error.
            for (target, t) in TARGETS {
                let r = snap
                    .items()
                    .allowed_actions(name.as_str(), target, it.name.as_str());
                match t {
                    None => {
                        let e = r.unwrap_err();
                        prop_assert_eq!(
                            (e.path(), e.kind()),
                            (
                                "targetType",
                                &ItemErrorKind::UnknownTargetType {
                                    value: target.to_owned()
                                }
                            )
                        );
                    }
                    Some(t) if t == it.kind => prop_assert!(same_verbs(r.unwrap(), expected)),
                    Some(_) => prop_assert!(r.unwrap().is_empty()),
                }
            }
            for (i, &(verb, _)) in VERBS.iter().enumerate() {
                let d = snap.items().explain(name.as_str(), it.name.as_str(), verb);
                prop_assert_eq!(
                    d.allowed,
                    expected & (1 << i) != 0,
                    "{} {} {}: {}",
                    &name,
                    &it.name,
                    verb,
                    d
                );
            }
        }
        for t in TYPES {
            let listed: BTreeSet<String> = snap
                .items()
                .readable(name.as_str(), t)
                .external_ids()
                .map(str::to_owned)
                .collect();
            let expected: BTreeSet<String> = (0..n_items)
                .filter(|&i| world.items[i].kind == t && world.verbs(u, i) & V_READ != 0)
                .map(|i| world.items[i].name.clone())
                .collect();
            prop_assert_eq!(listed, expected, "readable {} {}", &name, t);
        }
    }
    // Reverse, subjects for an item: `who_can` is exactly the users the reference lets do
    // the verb, in both id forms; `who_can_each` agrees; explanations agree with membership.
    let everyone: Vec<String> = (0..=world.n_users).map(user).collect();
    for (i, it) in world.items.iter().enumerate() {
        let id = snap.items().item_id(&it.name).unwrap();
        let each = snap.items().who_can_each(it.name.as_str());
        for (k, &(verb, _)) in VERBS.iter().enumerate() {
            let expected: BTreeSet<String> = (0..world.n_users)
                .filter(|&u| world.verbs(u, i) & (1 << k) != 0)
                .map(user)
                .collect();
            let by_name = snap.items().who_can(it.name.as_str(), verb);
            let listed: BTreeSet<String> = by_name.external_ids().map(str::to_owned).collect();
            prop_assert_eq!(&listed, &expected, "who_can {} {}", &it.name, verb);
            prop_assert_eq!(by_name.len(), expected.len() as u64);
            let dense: BTreeSet<String> = snap
                .items()
                .who_can(id, verb)
                .iter()
                .map(|u| snap.user_name(u).unwrap().to_owned())
                .collect();
            prop_assert_eq!(&dense, &expected, "who_can dense {} {}", &it.name, verb);
            prop_assert_eq!(each[k].0, verb);
            let each_set: BTreeSet<String> = each[k].1.external_ids().map(str::to_owned).collect();
            prop_assert_eq!(&each_set, &expected, "who_can_each {} {}", &it.name, verb);
            for name in &everyone {
                let d = snap.items().explain(name.as_str(), it.name.as_str(), verb);
                prop_assert_eq!(
                    d.allowed,
                    by_name.contains(name.as_str()),
                    "{} in who_can({}, {}): {}",
                    name,
                    &it.name,
                    verb,
                    d
                );
            }
        }
    }
    // An unknown item: nobody, for every verb.
    for (verb, _) in VERBS {
        prop_assert!(snap.items().who_can("no-such-item", verb).is_empty());
    }

    // Reverse, objects for a subject: `with_verb` is exactly the items of the type the
    // reference lets the user do the verb on, in both id forms; `readable` is the read case;
    // explanations agree with membership.
    for u in 0..=world.n_users {
        let name = user(u);
        let dense_user = snap.user_id(&name);
        for t in TYPES {
            for (k, &(verb, _)) in VERBS.iter().enumerate() {
                let expected: BTreeSet<String> = (0..n_items)
                    .filter(|&i| world.items[i].kind == t && world.verbs(u, i) & (1 << k) != 0)
                    .map(|i| world.items[i].name.clone())
                    .collect();
                let set = snap.items().with_verb(name.as_str(), t, verb);
                let listed: BTreeSet<String> = set.external_ids().map(str::to_owned).collect();
                prop_assert_eq!(&listed, &expected, "with_verb {} {} {}", &name, t, verb);
                if let Some(du) = dense_user {
                    let dense: BTreeSet<String> = snap
                        .items()
                        .with_verb(du, t, verb)
                        .external_ids()
                        .map(str::to_owned)
                        .collect();
                    prop_assert_eq!(
                        &dense,
                        &expected,
                        "with_verb dense {} {} {}",
                        &name,
                        t,
                        verb
                    );
                }
                for it in world.items.iter().filter(|it| it.kind == t) {
                    let d = snap.items().explain(name.as_str(), it.name.as_str(), verb);
                    prop_assert_eq!(d.allowed, set.contains(it.name.as_str()));
                }
            }
        }
    }

    // The dense forms agree with the external ones.
    for (i, it) in world.items.iter().enumerate() {
        let id = snap.items().item_id(&it.name).unwrap();
        if let Some(u) = snap.user_id("u0") {
            prop_assert!(same_verbs(snap.items().actions(u, id), world.verbs(0, i)));
        }
    }
    // Round trip through the document keeps every answer.
    let again = Model::from_json(&model.to_json()).unwrap().compile();
    for u in 0..world.n_users {
        for it in &world.items {
            prop_assert_eq!(
                again.items().actions(user(u).as_str(), it.name.as_str()),
                snap.items().actions(user(u).as_str(), it.name.as_str())
            );
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(crate::common::config(200))]

    #[test]
    fn compiled_items_agree_with_the_reference(def in world()) {
        check_world(&def)?;
    }
}

/// A fixed world exercising every layer at once, so a regression shows without proptest.
#[test]
fn reference_agrees_on_a_fixed_world() {
    let e = |kind, id, sub, grant| EntryDef {
        kind,
        id,
        sub,
        grant,
    };
    let def = WorldDef {
        n_users: 6,
        team_parent: vec![0, 0, 1],
        team_members: vec![(0, 0), (1, 1), (2, 2)],
        user_roles: vec![1, 2, 4, 8, 16, 0, 0, 0],
        group_members: vec![5],
        gates: vec![0, 0, 1, 2, 0],
        bindings: vec![
            (1, 6),
            (3, 7),
            (5, 8),
            (7, 9),
            (9, 10),
            (0, 3),
            (2, 4),
            (4, 10),
        ],
        items: vec![
            ItemDef {
                kind: 0,
                parent: 0,
                owners: vec![5],
                creator: Some(1),
                access: None,
                default: None,
            },
            ItemDef {
                kind: 1,
                parent: 0,
                owners: vec![],
                creator: None,
                access: Some((false, vec![e(1, 1, true, 3), e(2, 1, false, 31)])),
                default: None,
            },
            ItemDef {
                kind: 2,
                parent: 0,
                owners: vec![4],
                creator: None,
                access: Some((true, vec![e(0, 0, false, 31)])),
                default: None,
            },
            ItemDef {
                kind: 4,
                parent: 0,
                owners: vec![],
                creator: None,
                access: None,
                default: Some(vec![e(3, 0, false, 1)]),
            },
        ],
        type_defaults: vec![None, None, None, Some(vec![e(3, 0, false, 31)]), None],
        moves: vec![(2, 0)],
        removed_user: None,
    };
    check_world(&def).unwrap();
}
