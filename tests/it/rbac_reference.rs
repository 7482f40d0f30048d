//! A reference evaluator for roles and permissions written the obvious way (walk the user's
//! grants, scan each role's policies, evaluate conditions on the spot), and property tests
//! comparing the compiled snapshot with it on random catalogs, roles, groups and grants:
//! forward checks, explanations, listings, and every reverse set (a listed set must equal the
//! set of users whose check passes). The worlds have an org tree (flat, random or chain-like),
//! up to a few dozen users in part of the cases, up to five divisions with a home that need
//! not be the first, resources placed in divisions (some removed again), and Quantive actions
//! with `requires` links bound to users and roles, so that conditional grants are checked in
//! divisions they do not hold and `has_action` / `effective_actions` /
//! `has_permission_on_resource` are compared too.

use std::collections::BTreeSet;

use orgperm::{
    ActionSpec, Condition, DefaultRoleTemplate, GlobalPermissionSpec, Model, Operand, Operator,
    PermissionSpec, PermittedDivisions, PolicySpec, Principal, RoleSpec, Snapshot, Subject, UserId,
};
use proptest::prelude::*;

const DOMAINS: [&str; 3] = ["routing", "quality", "wfm"];
const ENTITIES: [&str; 3] = ["queue", "skill", "flow"];
const ACTIONS: [&str; 3] = ["view", "edit", "add"];
const VARS: [&str; 2] = ["x", "y"];
const PRODUCTS: [&str; 2] = ["p0", "p1"];

#[derive(Clone, Debug)]
struct AtomDef {
    d: usize,
    e: usize,
    a: usize,
    aware: bool,
    cond: bool,
    product: Option<usize>,
}

impl AtomDef {
    fn name(&self) -> String {
        format!(
            "{}:{}:{}",
            DOMAINS[self.d], ENTITIES[self.e], ACTIONS[self.a]
        )
    }
}

/// An operand of the reference: a literal, a queue `q{n}`, the checking user, a check
/// variable `k{n}`.
#[derive(Clone, Debug)]
enum Opnd {
    Scalar(u8),
    Queue(u8),
    User,
    Var(usize),
}

const CHECK_VARS: [&str; 2] = ["k0", "k1"];

impl Opnd {
    fn operand(&self) -> Operand {
        match self {
            Opnd::Scalar(x) => Operand::Scalar(x.to_string()),
            Opnd::Queue(x) => Operand::Queue(format!("q{x}")),
            Opnd::User => Operand::User,
            Opnd::Var(k) => Operand::Variable(CHECK_VARS[*k].to_owned()),
        }
    }

    /// The values the operand stands for, the obvious way.
    fn values(&self, user: Option<&str>, vars: Option<&[(&str, &str)]>) -> Vec<String> {
        match self {
            Opnd::Scalar(x) => vec![x.to_string()],
            Opnd::Queue(x) => vec![format!("q{x}")],
            Opnd::User => user.into_iter().map(str::to_owned).collect(),
            Opnd::Var(k) => vars
                .unwrap_or(&[])
                .iter()
                .filter(|(n, _)| *n == CHECK_VARS[*k])
                .map(|(_, v)| (*v).to_owned())
                .collect(),
        }
    }
}

#[derive(Clone, Debug)]
enum Cond {
    Eq(usize, u8),
    In(usize, Vec<u8>),
    Ge(usize, u8),
    Lt(usize, u8),
    /// `var EQ operand` with a typed operand.
    EqOp(usize, Opnd),
    /// `var IN operands`, typed.
    InOps(usize, Vec<Opnd>),
    /// `var GE VARIABLE k`.
    GeVar(usize, usize),
    And(Vec<Cond>),
    Or(Vec<Cond>),
}

impl Cond {
    fn to_condition(&self) -> Condition {
        match self {
            Cond::Eq(v, x) => Condition::eq(VARS[*v], x.to_string()),
            Cond::In(v, xs) => Condition::is_in(VARS[*v], xs.iter().map(|x| x.to_string())),
            Cond::Ge(v, x) => Condition::ge(VARS[*v], x.to_string()),
            Cond::Lt(v, x) => Condition::lt(VARS[*v], x.to_string()),
            Cond::EqOp(v, o) => Condition::leaf(VARS[*v], Operator::Eq, [o.operand()]),
            Cond::InOps(v, os) => {
                Condition::leaf(VARS[*v], Operator::In, os.iter().map(Opnd::operand))
            }
            Cond::GeVar(v, k) => Condition::leaf(VARS[*v], Operator::Ge, [Opnd::Var(*k).operand()]),
            Cond::And(ts) => Condition::all(ts.iter().map(Cond::to_condition)),
            Cond::Or(ts) => Condition::any(ts.iter().map(Cond::to_condition)),
        }
    }

    /// The obvious evaluation, for a check by `user` with the check variables `vars`.
    fn holds(
        &self,
        attrs: &[(&str, &str)],
        user: Option<&str>,
        vars: Option<&[(&str, &str)]>,
    ) -> bool {
        let values = |v: usize| {
            attrs
                .iter()
                .filter(move |(n, _)| *n == VARS[v])
                .map(|(_, x)| *x)
        };
        let num = |s: &str| s.parse::<f64>().ok();
        match self {
            Cond::Eq(v, x) => values(*v).any(|s| s == x.to_string()),
            Cond::In(v, xs) => values(*v).any(|s| xs.iter().any(|x| s == x.to_string())),
            Cond::Ge(v, x) => values(*v).any(|s| num(s).is_some_and(|n| n >= f64::from(*x))),
            Cond::Lt(v, x) => values(*v).any(|s| num(s).is_some_and(|n| n < f64::from(*x))),
            Cond::EqOp(v, o) => {
                let want = o.values(user, vars);
                values(*v).any(|s| want.iter().any(|w| w == s))
            }
            Cond::InOps(v, os) => {
                let want: Vec<String> = os.iter().flat_map(|o| o.values(user, vars)).collect();
                values(*v).any(|s| want.iter().any(|w| w == s))
            }
            Cond::GeVar(v, k) => {
                let bounds: Vec<f64> = Opnd::Var(*k)
                    .values(user, vars)
                    .iter()
                    .filter_map(|b| num(b))
                    .collect();
                values(*v).any(|s| num(s).is_some_and(|n| bounds.iter().any(|&b| n >= b)))
            }
            Cond::And(ts) => ts.iter().all(|t| t.holds(attrs, user, vars)),
            Cond::Or(ts) => ts.iter().any(|t| t.holds(attrs, user, vars)),
        }
    }
}

#[derive(Clone, Debug)]
enum PolicyDef {
    Explicit { atom: usize, cond: Option<Cond> },
    AnyEntity { d: usize, a: usize },
    AnyAction { d: usize, e: usize },
    All { d: usize },
}

impl PolicyDef {
    fn matches(&self, atoms: &[AtomDef], x: &AtomDef) -> bool {
        match self {
            PolicyDef::Explicit { atom, .. } => {
                let y = &atoms[*atom];
                (y.d, y.e, y.a) == (x.d, x.e, x.a)
            }
            PolicyDef::AnyEntity { d, a } => x.d == *d && x.a == *a,
            PolicyDef::AnyAction { d, e } => x.d == *d && x.e == *e,
            PolicyDef::All { d } => x.d == *d,
        }
    }

    fn spec(&self, atoms: &[AtomDef]) -> PolicySpec {
        match self {
            PolicyDef::Explicit { atom, cond } => {
                let y = &atoms[*atom];
                let p = PolicySpec::new(DOMAINS[y.d], ENTITIES[y.e], [ACTIONS[y.a]]);
                match cond {
                    Some(c) => p.with_condition(c.to_condition()),
                    None => p,
                }
            }
            PolicyDef::AnyEntity { d, a } => PolicySpec::new(DOMAINS[*d], "*", [ACTIONS[*a]]),
            PolicyDef::AnyAction { d, e } => PolicySpec::new(DOMAINS[*d], ENTITIES[*e], ["*"]),
            PolicyDef::All { d } => PolicySpec::new(DOMAINS[*d], "*", ["*"]),
        }
    }
}

#[derive(Clone, Debug)]
struct RoleDef {
    admin: bool,
    policies: Vec<PolicyDef>,
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Div {
    Home,
    All,
    D(usize),
    /// An undivided grant (`grant_role_undivided`): counts where divisions do not matter.
    None,
}

#[derive(Clone, Copy, Debug)]
enum Subj {
    User(usize),
    Group(usize),
    /// An OAuth client `u{k}`: the same external id as user `u{k}`, another kind.
    Client(usize),
}

/// A principal bound to an action by a global permission.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Bound {
    User(usize),
    Role(RoleRef),
}

#[derive(Clone, Debug)]
pub(crate) struct World {
    /// Atoms in the catalog when roles are created, then the ones added later.
    atoms: Vec<AtomDef>,
    early: usize,
    enabled: [bool; 2],
    users: usize,
    /// Each user's manager, an earlier user: the org tree.
    managers: Vec<Option<usize>>,
    removed: Vec<bool>,
    divisions: usize,
    /// The home division (chosen before any grant or resource is placed).
    home: usize,
    roles: Vec<RoleDef>,
    base: Option<RoleDef>,
    groups: Vec<Vec<usize>>,
    grants: Vec<(Subj, usize, Div)>,
    /// Resources `res{k}`: their division (`Home` or `D`), and whether removed again.
    resources: Vec<(Div, bool)>,
    /// Actions `act{k}`, each optionally requiring an earlier one.
    actions: Vec<Option<usize>>,
    /// Global permissions `gp{k}`: an action, its principals, whether given as bare ids.
    bindings: Vec<(usize, Vec<Bound>, bool)>,
    /// `set_principal_actions` after the bindings, in order: a principal and its actions.
    puts: Vec<(Bound, Vec<usize>)>,
}

/// A role the reference knows: custom role `i`, or the base role.
#[derive(Clone, Copy, Debug, PartialEq)]
enum RoleRef {
    Custom(usize),
    Base,
}

impl World {
    fn role(&self, r: RoleRef) -> Option<&RoleDef> {
        match r {
            RoleRef::Custom(i) => self.roles.get(i),
            RoleRef::Base => self.base.as_ref(),
        }
    }

    fn role_name(r: RoleRef) -> String {
        match r {
            RoleRef::Custom(i) => format!("r{i}"),
            RoleRef::Base => "rbase".into(),
        }
    }

    fn available(&self, x: &AtomDef) -> bool {
        x.product.is_none_or(|p| self.enabled[p])
    }

    /// Every grant a user holds: own, through groups, the base role in home.
    fn grants_of(&self, u: usize) -> Vec<(RoleRef, Div)> {
        if self.removed[u] {
            return Vec::new();
        }
        let mut out = Vec::new();
        for &(s, r, d) in &self.grants {
            let mine = match s {
                Subj::User(v) => v == u,
                Subj::Group(g) => self.groups[g].contains(&u),
                Subj::Client(_) => false,
            };
            if mine {
                out.push((RoleRef::Custom(r), d));
            }
        }
        if self.base.is_some() {
            out.push((RoleRef::Base, Div::Home));
        }
        out
    }

    fn div_index(&self, d: Div) -> Option<usize> {
        match d {
            Div::Home => Some(self.home),
            Div::D(i) => Some(i),
            Div::All => None,
            // No division: never equal to one (the callers ask `gd == Div::None` first).
            Div::None => Some(usize::MAX),
        }
    }

    /// `set` closed under `requires`.
    fn close(&self, mut set: BTreeSet<usize>) -> BTreeSet<usize> {
        let mut todo: Vec<usize> = set.iter().copied().collect();
        while let Some(a) = todo.pop() {
            if let Some(r) = self.actions[a] {
                if set.insert(r) {
                    todo.push(r);
                }
            }
        }
        set
    }

    /// The actions bound to `p` explicitly: its last put, else its bindings.
    fn explicit(&self, p: Bound) -> BTreeSet<usize> {
        if let Some((_, set)) = self.puts.iter().rev().find(|(q, _)| *q == p) {
            return set.iter().copied().collect();
        }
        self.bindings
            .iter()
            .filter(|(_, ps, _)| ps.contains(&p))
            .map(|&(a, _, _)| a)
            .collect()
    }

    /// The actions bound to any of `principals`, closed under `requires`.
    fn bound_to(&self, principals: &[Bound]) -> BTreeSet<usize> {
        let direct = principals.iter().flat_map(|&p| self.explicit(p)).collect();
        self.close(direct)
    }

    /// Effective actions of a role: bound to it.
    fn role_actions(&self, r: RoleRef) -> BTreeSet<usize> {
        if self.role(r).is_none() {
            return BTreeSet::new();
        }
        self.bound_to(&[Bound::Role(r)])
    }

    /// Effective actions of a user: bound to the user or to any role they hold, in any
    /// division, directly, through a group or as the base role.
    fn user_actions(&self, u: usize) -> BTreeSet<usize> {
        if self.removed[u] {
            return BTreeSet::new();
        }
        let mut principals = vec![Bound::User(u)];
        principals.extend(self.grants_of(u).into_iter().map(|(r, _)| Bound::Role(r)));
        self.bound_to(&principals)
    }

    fn action_names(set: &BTreeSet<usize>) -> Vec<String> {
        let mut names: Vec<String> = set.iter().map(|a| format!("act{a}")).collect();
        names.sort();
        names
    }

    /// Whether the role names the atom without condition, and its conditions that name it.
    fn role_names<'a>(&'a self, role: &'a RoleDef, x: &AtomDef) -> (bool, Vec<&'a Cond>) {
        let mut unconditional = role.admin;
        let mut conds = Vec::new();
        for p in &role.policies {
            if p.matches(&self.atoms, x) {
                match p {
                    PolicyDef::Explicit { cond: Some(c), .. } => conds.push(c),
                    _ => unconditional = true,
                }
            }
        }
        (unconditional, conds)
    }

    /// has_permission (division `None`) or has_permission_on, the obvious way.
    fn check(
        &self,
        u: usize,
        atom: usize,
        division: Option<usize>,
        attrs: &[(&str, &str)],
    ) -> bool {
        self.check_with(u, atom, division, attrs, None)
    }

    /// has_permission_on_with: conditions also read the check's variables.
    fn check_with(
        &self,
        u: usize,
        atom: usize,
        division: Option<usize>,
        attrs: &[(&str, &str)],
        vars: Option<&[(&str, &str)]>,
    ) -> bool {
        let me = format!("u{u}");
        self.check_grants(self.grants_of(u), atom, division, attrs, Some(&me), vars)
    }

    /// The grants of OAuth client `k`: its own only.
    fn client_grants(&self, k: usize) -> Vec<(RoleRef, Div)> {
        self.grants
            .iter()
            .filter(|(s, _, _)| matches!(s, Subj::Client(c) if *c == k))
            .map(|&(_, r, d)| (RoleRef::Custom(r), d))
            .collect()
    }

    /// A client's check: its grants, and no user for `USER` operands.
    fn check_client(
        &self,
        k: usize,
        atom: usize,
        division: Option<usize>,
        attrs: &[(&str, &str)],
        vars: Option<&[(&str, &str)]>,
    ) -> bool {
        self.check_grants(self.client_grants(k), atom, division, attrs, None, vars)
    }

    fn check_grants(
        &self,
        grants: Vec<(RoleRef, Div)>,
        atom: usize,
        division: Option<usize>,
        attrs: &[(&str, &str)],
        me: Option<&str>,
        vars: Option<&[(&str, &str)]>,
    ) -> bool {
        let x = &self.atoms[atom];
        if !self.available(x) {
            return false;
        }
        grants.into_iter().any(|(r, gd)| {
            let in_scope = match division {
                None => true,
                Some(d) => !x.aware || gd == Div::All || self.div_index(gd) == Some(d),
            };
            let Some(role) = self.role(r) else {
                return false;
            };
            let (unconditional, conds) = self.role_names(role, x);
            in_scope
                && (unconditional
                    || (division.is_some() && conds.iter().any(|c| c.holds(attrs, me, vars))))
        })
    }

    /// The flat `admin` permission: held through any grant of a role holding it.
    fn holds_admin(&self, u: usize) -> bool {
        self.grants_of(u)
            .into_iter()
            .any(|(r, _)| self.role(r).is_some_and(|role| role.admin))
    }

    fn divisions_permitted(&self, u: usize, atom: usize) -> Option<BTreeSet<usize>> {
        let x = &self.atoms[atom];
        if !self.available(x) {
            return Some(BTreeSet::new());
        }
        if !x.aware {
            return if self.check(u, atom, None, &[]) {
                None
            } else {
                Some(BTreeSet::new())
            };
        }
        let mut out = BTreeSet::new();
        for (r, gd) in self.grants_of(u) {
            let Some(role) = self.role(r) else { continue };
            if gd == Div::None {
                continue;
            }
            if self.role_names(role, x).0 {
                match self.div_index(gd) {
                    None => return None,
                    Some(d) => {
                        out.insert(d);
                    }
                }
            }
        }
        Some(out)
    }

    /// The atoms a role names after wildcard expansion (conditions and products ignored),
    /// `admin` as itself.
    fn atom_set(&self, role: &RoleDef) -> BTreeSet<String> {
        let mut out: BTreeSet<String> = self
            .atoms
            .iter()
            .filter(|x| role.policies.iter().any(|p| p.matches(&self.atoms, x)))
            .map(AtomDef::name)
            .collect();
        if role.admin {
            out.insert("admin".into());
        }
        out
    }

    fn role_spec(&self, id: String, role: &RoleDef) -> RoleSpec {
        let mut spec = RoleSpec::new(id.clone(), format!("Role {id}"));
        if role.admin {
            spec = spec.with_permission("admin");
        }
        for p in &role.policies {
            spec = spec.with_policy(p.spec(&self.atoms));
        }
        spec
    }

    fn add_atom(&self, m: &mut Model, x: &AtomDef) {
        let mut spec = PermissionSpec::new(x.name(), x.name());
        if x.aware {
            spec = spec.division_aware();
        }
        if x.cond {
            spec = spec.allowing_conditions();
        }
        if let Some(p) = x.product {
            spec = spec.in_product(PRODUCTS[p]);
        }
        m.rbac_mut().add_permission(spec).unwrap();
    }

    /// The model, built through the public editing API.
    pub(crate) fn build(&self) -> Model {
        let mut m = Model::new();
        for u in 0..self.users {
            let manager = self.managers[u].map(|v| format!("u{v}"));
            m.add_user(&format!("u{u}"), manager.as_deref()).unwrap();
        }
        for d in 0..self.divisions {
            m.rbac_mut()
                .add_division(&format!("div{d}"), &format!("Division {d}"))
                .unwrap();
        }
        m.rbac_mut()
            .set_home_division(&format!("div{}", self.home))
            .unwrap();
        for (k, &(d, gone)) in self.resources.iter().enumerate() {
            let id = format!("res{k}");
            let div = match d {
                Div::D(i) => Some(format!("div{i}")),
                _ => None,
            };
            m.rbac_mut().assign_resource(&id, div.as_deref()).unwrap();
            if gone {
                assert!(m.rbac_mut().remove_resource(&id));
            }
        }
        for p in PRODUCTS {
            m.rbac_mut().enable_product(p).unwrap();
        }
        m.rbac_mut()
            .add_permission(PermissionSpec::new("admin", "Admin"))
            .unwrap();
        for x in &self.atoms[..self.early] {
            self.add_atom(&mut m, x);
        }
        for (i, r) in self.roles.iter().enumerate() {
            m.rbac_mut()
                .create_role(self.role_spec(format!("r{i}"), r))
                .unwrap();
        }
        if let Some(b) = &self.base {
            let t = DefaultRoleTemplate::new("base", self.role_spec("rbase".into(), b)).base();
            m.rbac_mut().set_default_role_template(t).unwrap();
            m.rbac_mut().restore_default_roles(false).unwrap();
        }
        for x in &self.atoms[self.early..] {
            self.add_atom(&mut m, x);
        }
        for (g, members) in self.groups.iter().enumerate() {
            let id = format!("g{g}");
            m.rbac_mut().add_group(&id, &format!("Group {g}")).unwrap();
            let names: Vec<String> = members.iter().map(|u| format!("u{u}")).collect();
            let names: Vec<&str> = names.iter().map(String::as_str).collect();
            m.rbac_mut().add_group_members(&id, &names).unwrap();
        }
        for &(s, r, d) in &self.grants {
            let id = match s {
                Subj::User(u) | Subj::Client(u) => format!("u{u}"),
                Subj::Group(g) => format!("g{g}"),
            };
            let subject = match s {
                Subj::User(_) => Subject::User(&id),
                Subj::Group(_) => Subject::Group(&id),
                Subj::Client(_) => Subject::Client(&id),
            };
            let div = match d {
                Div::Home | Div::None => None,
                Div::All => Some("*".to_owned()),
                Div::D(i) => Some(format!("div{i}")),
            };
            if d == Div::None {
                m.rbac_mut()
                    .grant_role_undivided(subject, &format!("r{r}"))
                    .unwrap();
            } else {
                m.rbac_mut()
                    .grant_role(subject, &format!("r{r}"), div.as_deref())
                    .unwrap();
            }
        }
        let specs = self
            .actions
            .iter()
            .enumerate()
            .map(|(k, req)| {
                let spec = ActionSpec::new(format!("act{k}"), format!("Action {k}"));
                match req {
                    Some(r) => spec.requiring(format!("act{r}")),
                    None => spec,
                }
            })
            .collect();
        m.rbac_mut().add_actions(specs).unwrap();
        for (k, (a, principals, bare)) in self.bindings.iter().enumerate() {
            let principals: Vec<Principal> = principals
                .iter()
                .map(|p| match (p, bare) {
                    (Bound::User(u), false) => Principal::user(format!("u{u}")),
                    (Bound::Role(r), false) => Principal::role(World::role_name(*r)),
                    // User and role ids never coincide here, so a bare id is unambiguous.
                    (Bound::User(u), true) => Principal::from(format!("u{u}")),
                    (Bound::Role(r), true) => Principal::from(World::role_name(*r)),
                })
                .collect();
            m.rbac_mut()
                .create_global_permission(GlobalPermissionSpec::new(
                    format!("gp{k}"),
                    format!("act{a}"),
                    principals,
                ))
                .unwrap();
        }
        for (p, acts) in &self.puts {
            let principal = match p {
                Bound::User(u) => Principal::user(format!("u{u}")),
                Bound::Role(r) => Principal::role(World::role_name(*r)),
            };
            let names: Vec<String> = acts.iter().map(|a| format!("act{a}")).collect();
            let names: Vec<&str> = names.iter().map(String::as_str).collect();
            let effective = m
                .rbac_mut()
                .set_principal_actions(principal, &names)
                .unwrap();
            let closed = self.close(acts.iter().copied().collect());
            assert_eq!(effective, World::action_names(&closed));
        }
        for (p, on) in PRODUCTS.iter().zip(self.enabled) {
            if !on {
                m.rbac_mut().disable_product(p);
            }
        }
        // Reports before their managers: a removed user's reports are all removed.
        for u in (0..self.users).rev() {
            if self.removed[u] {
                m.remove_user(&format!("u{u}")).unwrap();
            }
        }
        m
    }
}

// ---- strategies ---------------------------------------------------------------------------

fn opnd_strategy() -> impl Strategy<Value = Opnd> {
    prop_oneof![
        (0..4u8).prop_map(Opnd::Scalar),
        (0..3u8).prop_map(Opnd::Queue),
        Just(Opnd::User),
        (0..2usize).prop_map(Opnd::Var),
    ]
}

fn cond_strategy() -> impl Strategy<Value = Cond> {
    let leaf = prop_oneof![
        (0..2usize, 0..4u8).prop_map(|(v, x)| Cond::Eq(v, x)),
        (0..2usize, prop::collection::vec(0..4u8, 1..3)).prop_map(|(v, xs)| Cond::In(v, xs)),
        (0..2usize, 0..4u8).prop_map(|(v, x)| Cond::Ge(v, x)),
        (0..2usize, 0..4u8).prop_map(|(v, x)| Cond::Lt(v, x)),
        (0..2usize, opnd_strategy()).prop_map(|(v, o)| Cond::EqOp(v, o)),
        (0..2usize, prop::collection::vec(opnd_strategy(), 1..3))
            .prop_map(|(v, os)| Cond::InOps(v, os)),
        (0..2usize, 0..2usize).prop_map(|(v, k)| Cond::GeVar(v, k)),
    ];
    leaf.prop_recursive(3, 12, 3, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 1..3).prop_map(Cond::And),
            prop::collection::vec(inner, 1..3).prop_map(Cond::Or),
        ]
    })
}

fn atom_strategy() -> impl Strategy<Value = AtomDef> {
    (
        0..3usize,
        0..3usize,
        0..3usize,
        any::<bool>(),
        prop::bool::weighted(0.5),
        prop::option::weighted(0.3, 0..2usize),
    )
        .prop_map(|(d, e, a, aware, cond, product)| AtomDef {
            d,
            e,
            a,
            aware,
            cond,
            product,
        })
}

/// The org tree's shape: every user a root, random managers, or mostly a chain (deep).
#[derive(Clone, Copy, Debug)]
enum Shape {
    Flat,
    Tree,
    Chain,
}

fn managers_strategy(users: usize) -> impl Strategy<Value = Vec<Option<usize>>> {
    (
        prop_oneof![Just(Shape::Flat), Just(Shape::Tree), Just(Shape::Chain)],
        prop::collection::vec(
            (prop::bool::weighted(0.85), any::<prop::sample::Index>()),
            users,
        ),
    )
        .prop_map(|(shape, picks)| {
            picks
                .into_iter()
                .enumerate()
                .map(|(u, (linked, ix))| match shape {
                    _ if u == 0 || !linked => None,
                    Shape::Flat => None,
                    Shape::Tree => Some(ix.index(u)),
                    Shape::Chain => Some(u - 1),
                })
                .collect()
        })
}

pub(crate) fn world_strategy() -> impl Strategy<Value = World> {
    (
        prop::collection::vec(atom_strategy(), 1..14),
        0.5f64..1.0,
        any::<[bool; 2]>(),
        // Mostly small worlds; a quarter of them with a few dozen users.
        prop_oneof![3 => 1..6usize, 1 => 6..40usize],
        1..6usize,
    )
        .prop_flat_map(|(mut atoms, early_share, enabled, users, divisions)| {
            let mut seen = BTreeSet::new();
            atoms.retain(|x| seen.insert((x.d, x.e, x.a)));
            let early = ((atoms.len() as f64 * early_share).ceil() as usize).clamp(1, atoms.len());
            let early_atoms = atoms[..early].to_vec();
            let policy = (0..early, 0..6u8, cond_strategy(), prop::bool::weighted(0.7)).prop_map(
                move |(i, kind, cond, with_cond)| {
                    let x = &early_atoms[i];
                    match kind {
                        0..=2 => PolicyDef::Explicit {
                            atom: i,
                            cond: (x.cond && with_cond).then_some(cond),
                        },
                        3 => PolicyDef::AnyEntity { d: x.d, a: x.a },
                        4 => PolicyDef::AnyAction { d: x.d, e: x.e },
                        _ => PolicyDef::All { d: x.d },
                    }
                },
            );
            let role = (
                prop::bool::weighted(0.1),
                prop::collection::vec(policy, 0..4),
            )
                .prop_map(|(admin, policies)| RoleDef { admin, policies })
                .boxed();
            let div = prop_oneof![
                Just(Div::Home),
                Just(Div::All),
                Just(Div::None),
                (0..divisions).prop_map(Div::D),
            ];
            let resource_div = prop_oneof![Just(Div::Home), (0..divisions).prop_map(Div::D)];
            (
                Just((atoms, early, enabled, users, divisions)),
                prop::collection::vec(role.clone(), 1..5),
                prop::option::weighted(0.5, role),
                prop::collection::vec(prop::collection::vec(0..users, 0..4 + users / 4), 0..3),
                prop::collection::vec(any::<bool>(), users),
                prop::collection::vec(
                    (any::<bool>(), 0..64usize, 0..8usize, div),
                    0..12 + users / 2,
                ),
                (
                    managers_strategy(users),
                    0..divisions,
                    prop::collection::vec((resource_div, prop::bool::weighted(0.2)), 0..5),
                    prop::collection::vec(any::<prop::sample::Index>(), 0..6),
                    prop::collection::vec(
                        (
                            any::<prop::sample::Index>(),
                            prop::collection::vec((any::<bool>(), 0..64usize), 0..4),
                            prop::bool::weighted(0.3),
                        ),
                        0..6,
                    ),
                    prop::collection::vec(
                        (
                            (any::<bool>(), 0..64usize),
                            prop::collection::vec(any::<prop::sample::Index>(), 0..3),
                        ),
                        0..3,
                    ),
                ),
            )
        })
        .prop_map(
            |(
                (atoms, early, enabled, users, divisions),
                roles,
                base,
                groups,
                removed,
                grants,
                (managers, home, resources, requires, bindings, puts),
            )| {
                let n_roles = roles.len();
                let n_groups = groups.len();
                let grants = grants
                    .into_iter()
                    .map(|(to_user, s, r, d)| {
                        let subject = if to_user {
                            Subj::User(s % users)
                        } else if s % 3 == 0 || n_groups == 0 {
                            Subj::Client(s % 2)
                        } else {
                            Subj::Group(s % n_groups)
                        };
                        (subject, r % n_roles, d)
                    })
                    .collect();
                // Action k requires an earlier one, or none (a forest of `requires` links).
                let actions: Vec<Option<usize>> = requires
                    .iter()
                    .enumerate()
                    .map(|(k, ix)| (k > 0).then(|| ix.index(k + 1)).filter(|&r| r < k))
                    .collect();
                let bindings = if actions.is_empty() {
                    Vec::new()
                } else {
                    bindings
                        .into_iter()
                        .map(|(a, principals, bare)| {
                            let mut ps: Vec<Bound> = Vec::new();
                            for (to_user, i) in principals {
                                let p = if to_user {
                                    Bound::User(i % users)
                                } else if base.is_some() && i % (n_roles + 1) == n_roles {
                                    Bound::Role(RoleRef::Base)
                                } else {
                                    Bound::Role(RoleRef::Custom(i % n_roles))
                                };
                                if !ps.contains(&p) {
                                    ps.push(p);
                                }
                            }
                            (a.index(actions.len()), ps, bare)
                        })
                        .collect()
                };
                let principal = |to_user: bool, i: usize| {
                    if to_user {
                        Bound::User(i % users)
                    } else if base.is_some() && i % (n_roles + 1) == n_roles {
                        Bound::Role(RoleRef::Base)
                    } else {
                        Bound::Role(RoleRef::Custom(i % n_roles))
                    }
                };
                let puts = if actions.is_empty() {
                    Vec::new()
                } else {
                    puts.into_iter()
                        .map(|((to_user, i), acts)| {
                            let acts = acts.iter().map(|a| a.index(actions.len())).collect();
                            (principal(to_user, i), acts)
                        })
                        .collect()
                };
                let groups = groups
                    .into_iter()
                    .map(|mut g| {
                        g.sort_unstable();
                        g.dedup();
                        g
                    })
                    .collect();
                // Keep at least one user, and every manager of a user who stays.
                let mut removed = removed;
                removed[0] = false;
                for u in (0..users).rev() {
                    if !removed[u] {
                        if let Some(m) = managers[u] {
                            removed[m] = false;
                        }
                    }
                }
                World {
                    atoms,
                    early,
                    enabled,
                    users,
                    managers,
                    removed,
                    divisions,
                    home,
                    roles,
                    base,
                    groups,
                    grants,
                    resources,
                    actions,
                    bindings,
                    puts,
                }
            },
        )
}

fn attr_sets() -> Vec<Vec<(&'static str, &'static str)>> {
    vec![
        vec![],
        vec![("x", "1")],
        vec![("x", "3"), ("y", "0")],
        vec![("x", "0"), ("x", "2"), ("y", "3")],
        vec![("y", "abc"), ("x", "2")],
        vec![("x", "u0"), ("y", "q1")],
        vec![("x", "q2"), ("y", "u1"), ("y", "2")],
    ]
}

/// The check variables of `has_permission_on_with`: none, numbers, ids.
fn var_sets() -> Vec<Vec<(&'static str, &'static str)>> {
    vec![
        vec![],
        vec![("k0", "1")],
        vec![("k0", "u1"), ("k1", "3"), ("k1", "0")],
        vec![("k1", "q2"), ("k0", "2")],
    ]
}

// ---- comparisons --------------------------------------------------------------------------

fn compare(w: &World, snap: &Snapshot) -> Result<(), TestCaseError> {
    let attrs = attr_sets();
    for u in 0..w.users {
        let user = format!("u{u}");
        let live = !w.removed[u];
        prop_assert_eq!(snap.user_id(&user).is_some(), live);
        prop_assert_eq!(
            snap.rbac().has_permission(user.as_str(), "admin"),
            w.holds_admin(u)
        );
        let mut expected_perms: Vec<String> = Vec::new();
        if w.holds_admin(u) {
            expected_perms.push("admin".into());
        }
        for (i, x) in w.atoms.iter().enumerate() {
            let name = x.name();
            let held = w.check(u, i, None, &[]);
            prop_assert_eq!(
                snap.rbac().has_permission(user.as_str(), name.as_str()),
                held,
                "{} {}",
                user,
                name
            );
            prop_assert_eq!(
                snap.rbac()
                    .explain_permission(user.as_str(), name.as_str())
                    .allowed,
                held
            );
            if held {
                expected_perms.push(name.clone());
            }
            for d in 0..w.divisions {
                let div = format!("div{d}");
                for a in &attrs {
                    let expected = w.check(u, i, Some(d), a);
                    prop_assert_eq!(
                        snap.rbac().has_permission_on(
                            user.as_str(),
                            name.as_str(),
                            div.as_str(),
                            a
                        ),
                        expected,
                        "{} {} {} {:?}",
                        user,
                        name,
                        div,
                        a
                    );
                    let why = snap.rbac().explain_permission_on(
                        user.as_str(),
                        name.as_str(),
                        div.as_str(),
                        a,
                    );
                    prop_assert_eq!(why.allowed, expected, "{}", why);
                    for vars in &var_sets() {
                        let expected = w.check_with(u, i, Some(d), a, Some(vars));
                        prop_assert_eq!(
                            snap.rbac().has_permission_on_with(
                                user.as_str(),
                                name.as_str(),
                                div.as_str(),
                                a,
                                vars
                            ),
                            expected,
                            "{} {} {} {:?} with {:?}",
                            user,
                            name,
                            div,
                            a,
                            vars
                        );
                        let why = snap.rbac().explain_permission_on_with(
                            user.as_str(),
                            name.as_str(),
                            div.as_str(),
                            a,
                            vars,
                        );
                        prop_assert_eq!(why.allowed, expected, "{}", why);
                    }
                }
            }
            // Resources: the check in the resource's division; a removed or never-assigned
            // resource denies.
            for (k, &(d, gone)) in w.resources.iter().enumerate() {
                let res = format!("res{k}");
                for a in &attrs[..3] {
                    let expected = !gone && w.check(u, i, w.div_index(d), a);
                    prop_assert_eq!(
                        snap.rbac().has_permission_on_resource(
                            user.as_str(),
                            name.as_str(),
                            res.as_str(),
                            a
                        ),
                        expected,
                        "{} {} on {} {:?}",
                        user,
                        name,
                        res,
                        a
                    );
                    let why = snap.rbac().explain_permission_on_resource(
                        user.as_str(),
                        name.as_str(),
                        res.as_str(),
                        a,
                    );
                    prop_assert_eq!(why.allowed, expected, "{}", why);
                }
            }
            prop_assert!(!snap.rbac().has_permission_on_resource(
                user.as_str(),
                name.as_str(),
                "res-unassigned",
                &attrs[1]
            ));
            let permitted = snap
                .rbac()
                .divisions_permitted(user.as_str(), name.as_str());
            match w.divisions_permitted(u, i) {
                None => prop_assert_eq!(permitted, PermittedDivisions::All),
                Some(set) => {
                    let ids = set
                        .iter()
                        .map(|d| snap.rbac().division_id(&format!("div{d}")).unwrap())
                        .collect();
                    prop_assert_eq!(permitted, PermittedDivisions::Only(ids));
                }
            }
        }
        expected_perms.sort();
        prop_assert_eq!(snap.rbac().user_permissions(user.as_str()), expected_perms);
        let mut roles: Vec<String> = w
            .grants_of(u)
            .into_iter()
            .map(|(r, _)| World::role_name(r))
            .collect();
        roles.sort();
        roles.dedup();
        prop_assert_eq!(snap.rbac().user_roles(user.as_str()), roles);
        // Actions: effective set, each check and its explanation, by kind and by bare id.
        let acts = w.user_actions(u);
        let names = World::action_names(&acts);
        prop_assert_eq!(snap.rbac().user_actions(user.as_str()), names.clone());
        prop_assert_eq!(
            snap.rbac()
                .effective_actions(Principal::user(user.as_str())),
            names.clone()
        );
        prop_assert_eq!(snap.rbac().effective_actions(user.as_str()), names);
        for a in 0..w.actions.len() {
            let act = format!("act{a}");
            let expected = acts.contains(&a);
            prop_assert_eq!(
                snap.rbac().has_action(user.as_str(), act.as_str()),
                expected,
                "{} {}",
                user,
                act
            );
            let why = snap.rbac().explain_action(user.as_str(), act.as_str());
            prop_assert_eq!(why.allowed, expected, "{}", why);
        }
        prop_assert!(!snap.rbac().has_action(user.as_str(), "act-unknown"));
        // has_any / has_all over a few slices of the catalog.
        let names: Vec<String> = w.atoms.iter().map(AtomDef::name).collect();
        for chunk in names.chunks(3) {
            let idx: Vec<usize> = chunk
                .iter()
                .map(|n| names.iter().position(|x| x == n).unwrap())
                .collect();
            let any = idx.iter().any(|&i| w.check(u, i, None, &[]));
            let all = idx.iter().all(|&i| w.check(u, i, None, &[]));
            prop_assert_eq!(
                snap.rbac()
                    .has_any(user.as_str(), chunk.iter().map(String::as_str)),
                any
            );
            prop_assert_eq!(
                snap.rbac()
                    .has_all(user.as_str(), chunk.iter().map(String::as_str)),
                all
            );
        }
    }
    // OAuth clients `u0` and `u1`: their own grants only, whatever user `u0` holds.
    for k in 0..2 {
        let client = format!("u{k}");
        let mut roles: Vec<String> = w
            .client_grants(k)
            .into_iter()
            .map(|(r, _)| World::role_name(r))
            .collect();
        roles.sort();
        roles.dedup();
        prop_assert_eq!(snap.rbac().client_roles(&client), roles);
        let mut perms: Vec<String> = Vec::new();
        let admin = w
            .client_grants(k)
            .iter()
            .any(|(r, _)| w.role(*r).is_some_and(|role| role.admin));
        if admin {
            perms.push("admin".into());
        }
        for (i, x) in w.atoms.iter().enumerate() {
            let name = x.name();
            let held = w.check_client(k, i, None, &[], None);
            prop_assert_eq!(
                snap.rbac().client_has_permission(&client, name.as_str()),
                held,
                "client {} {}",
                client,
                name
            );
            if held {
                perms.push(name.clone());
            }
            for d in 0..w.divisions {
                let div = format!("div{d}");
                for a in &attrs {
                    prop_assert_eq!(
                        snap.rbac().client_has_permission_on(
                            &client,
                            name.as_str(),
                            div.as_str(),
                            a
                        ),
                        w.check_client(k, i, Some(d), a, None),
                        "client {} {} {} {:?}",
                        client,
                        name,
                        div,
                        a
                    );
                    for vars in &var_sets() {
                        prop_assert_eq!(
                            snap.rbac().client_has_permission_on_with(
                                &client,
                                name.as_str(),
                                div.as_str(),
                                a,
                                vars
                            ),
                            w.check_client(k, i, Some(d), a, Some(vars)),
                            "client {} {} {} {:?} {:?}",
                            client,
                            name,
                            div,
                            a,
                            vars
                        );
                    }
                }
            }
            let permitted = snap
                .rbac()
                .client_divisions_permitted(&client, name.as_str());
            let expected = if !w.available(x) {
                PermittedDivisions::Only(Vec::new())
            } else if !x.aware {
                if held {
                    PermittedDivisions::All
                } else {
                    PermittedDivisions::Only(Vec::new())
                }
            } else {
                let mut set = BTreeSet::new();
                let mut all = false;
                for (r, gd) in w.client_grants(k) {
                    let Some(role) = w.role(r) else { continue };
                    if gd != Div::None && w.role_names(role, x).0 {
                        match w.div_index(gd) {
                            None => all = true,
                            Some(d) => {
                                set.insert(d);
                            }
                        }
                    }
                }
                if all {
                    PermittedDivisions::All
                } else {
                    PermittedDivisions::Only(
                        set.iter()
                            .map(|d| snap.rbac().division_id(&format!("div{d}")).unwrap())
                            .collect(),
                    )
                }
            };
            prop_assert_eq!(permitted, expected, "client {} {}", client, name);
        }
        perms.sort();
        prop_assert_eq!(snap.rbac().client_permissions(&client), perms);
    }
    // Effective actions of every role, by kind and by bare id; an unknown role has none.
    let refs = (0..w.roles.len())
        .map(RoleRef::Custom)
        .chain(w.base.as_ref().map(|_| RoleRef::Base));
    for r in refs {
        let name = World::role_name(r);
        let want = World::action_names(&w.role_actions(r));
        prop_assert_eq!(
            snap.rbac().role_actions(name.as_str()),
            want.clone(),
            "{}",
            name
        );
        prop_assert_eq!(
            snap.rbac()
                .effective_actions(Principal::role(name.as_str())),
            want.clone()
        );
        prop_assert_eq!(snap.rbac().effective_actions(name.as_str()), want);
    }
    prop_assert!(
        snap.rbac()
            .effective_actions(Principal::role("r-unknown"))
            .is_empty()
    );
    // Reverse sets: exactly the users whose check passes.
    for (i, x) in w.atoms.iter().enumerate() {
        let name = x.name();
        let anywhere: BTreeSet<String> = snap
            .rbac()
            .users_holding_permission(name.as_str())
            .external_ids()
            .map(str::to_owned)
            .collect();
        let expected: BTreeSet<String> = (0..w.users)
            .filter(|&u| w.check(u, i, None, &[]))
            .map(|u| format!("u{u}"))
            .collect();
        prop_assert_eq!(anywhere, expected, "{} anywhere", name);
        for d in 0..w.divisions {
            let div = format!("div{d}");
            let listed: BTreeSet<String> = snap
                .rbac()
                .users_with_permission(name.as_str(), div.as_str())
                .external_ids()
                .map(str::to_owned)
                .collect();
            let expected: BTreeSet<String> = (0..w.users)
                .filter(|&u| w.check(u, i, Some(d), &[]))
                .map(|u| format!("u{u}"))
                .collect();
            prop_assert_eq!(listed, expected, "{} in {}", name, div);
        }
    }
    // Actions, reverse and per user: exactly the users whose `has_action` passes, in
    // external and dense ids; each user's action set.
    for a in 0..w.actions.len() {
        let act = format!("act{a}");
        let who = snap.rbac().users_with_action(act.as_str());
        let got: BTreeSet<String> = who.external_ids().map(str::to_owned).collect();
        let expected: BTreeSet<String> = (0..w.users)
            .filter(|&u| w.user_actions(u).contains(&a))
            .map(|u| format!("u{u}"))
            .collect();
        prop_assert_eq!(&got, &expected, "users_with_action({})", act);
        let dense: BTreeSet<UserId> = who.iter().collect();
        let want: BTreeSet<UserId> = expected.iter().map(|u| snap.user_id(u).unwrap()).collect();
        prop_assert_eq!(dense, want);
        for u in 0..w.users {
            let user = format!("u{u}");
            prop_assert_eq!(
                snap.rbac()
                    .explain_action(user.as_str(), act.as_str())
                    .allowed,
                who.contains(user.as_str())
            );
        }
    }
    prop_assert!(snap.rbac().users_with_action("act-unknown").is_empty());
    for u in 0..w.users {
        let user = format!("u{u}");
        let mut got: Vec<String> = snap
            .rbac()
            .actions_of(user.as_str())
            .external_ids()
            .map(str::to_owned)
            .collect();
        got.sort();
        prop_assert_eq!(
            got,
            World::action_names(&w.user_actions(u)),
            "actions_of({})",
            user
        );
    }
    Ok(())
}

proptest! {
    #![proptest_config(crate::common::config(192))]

    #[test]
    fn compiled_checks_match_the_reference(w in world_strategy()) {
        let m = w.build();
        compare(&w, &m.compile())?;
    }

    #[test]
    fn document_round_trip_keeps_every_answer(w in world_strategy()) {
        let m = w.build();
        let json = m.to_json();
        let again = Model::from_json(&json).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(again.to_json(), json);
        compare(&w, &again.compile())?;
    }

    #[test]
    fn compare_with_default_is_set_difference_after_expansion(w in world_strategy()) {
        prop_assume!(w.base.is_some());
        let m = w.build();
        let base = w.atom_set(w.base.as_ref().unwrap());
        prop_assert!(!m.rbac().needs_update("rbase").unwrap());
        for (i, r) in w.roles.iter().enumerate() {
            let mine = w.atom_set(r);
            let diff = m.rbac().compare_with_default(&format!("r{i}"), "base").unwrap();
            let sorted = |s: BTreeSet<String>| s.into_iter().collect::<Vec<_>>();
            prop_assert_eq!(&diff.added, &sorted(mine.difference(&base).cloned().collect()));
            prop_assert_eq!(&diff.removed, &sorted(base.difference(&mine).cloned().collect()));
            prop_assert_eq!(&diff.same, &sorted(mine.intersection(&base).cloned().collect()));
            let unsaved = m.rbac().compare_unsaved_with_default(m.rbac().role(&format!("r{i}")).unwrap(), "base").unwrap();
            prop_assert_eq!(unsaved, diff);
        }
    }
}
