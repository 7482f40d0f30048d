//! Seeded generator of a realistic roles-and-permissions setup on top of a generated org.
//!
//! What a mid-size Genesys tenant looks like: a catalog of a few thousand atoms over a few
//! dozen domains (about 45% division-aware, a few percent allowing conditions, most in one
//! of five products of which four are enabled) plus flat permissions such as `admin`; about
//! twenty default roles restored from templates (an employee-like base role, a master admin
//! with `admin`); custom roles mixing explicit, wildcard and a few conditional policies;
//! divisions with a home division; groups, of which about 5% carry grants. Users get their
//! roles through about 150 job personas (1–3 grants each, mostly in the home division, some
//! in one other division, a few in `*`), which is what keeps the number of distinct grant
//! combinations far below the number of users. Admins get the master admin role in `*`; about
//! 1% of users hold only a view-only role. A Quantive-style action catalog with
//! manage ⇒ access pairs is bound to roles and a few users.
//!
//! # Examples
//!
//! ```
//! use orgperm_synth::rbac::{add_rbac, RbacConfig};
//! use orgperm_synth::{generate, SynthConfig};
//! let mut org = generate(&SynthConfig::new(2_000).seed(3));
//! let cfg = RbacConfig { roles: 40, atoms: 500, divisions: 8, groups: 50, ..RbacConfig::new() };
//! let rbac = add_rbac(&mut org, &cfg);
//! let snap = org.model.compile();
//! assert_eq!(rbac.atoms.len() + rbac.flat.len(), 500);
//! let admin = org.admins[0].as_str();
//! assert!(snap.rbac().has_permission(admin, rbac.atoms[0].as_str()));
//! assert!(snap.rbac().memory().combos < 2_000);
//! ```

use crate::{Rng, SynthOrg};
use orgperm::{
    ActionSpec, Condition, DefaultRoleTemplate, GlobalPermissionSpec, PermissionSpec, PolicySpec,
    Principal, RoleSpec, Subject,
};

/// What to generate.
///
/// # Examples
///
/// ```
/// let cfg = orgperm_synth::rbac::RbacConfig::new();
/// assert_eq!((cfg.roles, cfg.atoms, cfg.divisions, cfg.groups), (200, 5_000, 50, 1_000));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RbacConfig {
    /// Number of roles (default roles included).
    pub roles: usize,
    /// Number of catalog permissions (atoms and flat ones).
    pub atoms: usize,
    /// Number of divisions (the home division included).
    pub divisions: usize,
    /// Number of groups.
    pub groups: usize,
    /// Number of job personas users are drawn from.
    pub personas: usize,
    /// When set, every user draws their own grants (this many, an inclusive range) from all
    /// grantable roles uniformly instead of taking a persona's, so nearly every user's grant
    /// combination is distinct: the shape where interning combinations stops paying.
    pub own_grants: Option<(u64, u64)>,
    /// Percent of grants made in every division (`*`); of the rest, 20 points go to one
    /// other division and the remainder to the home division.
    pub everywhere_percent: u64,
    /// Random seed.
    pub seed: u64,
}

impl Default for RbacConfig {
    fn default() -> Self {
        Self::new()
    }
}

impl RbacConfig {
    /// 200 roles, 5,000 permissions, 50 divisions, 1,000 groups, 150 personas, seed 1.
    pub fn new() -> Self {
        Self {
            roles: 200,
            atoms: 5_000,
            divisions: 50,
            groups: 1_000,
            personas: 150,
            own_grants: None,
            everywhere_percent: 10,
            seed: 1,
        }
    }

    /// The nearly-distinct shape: the default catalog, roles, divisions and groups, but 3–7
    /// grants of uniformly drawn roles per user (≈ 4.7 after duplicates merge), 15% of them
    /// in `*`.
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm_synth::rbac::{add_rbac, RbacConfig};
    /// use orgperm_synth::{generate, SynthConfig};
    /// let mut org = generate(&SynthConfig::new(2_000).seed(3));
    /// let cfg = RbacConfig { roles: 40, atoms: 500, divisions: 8, groups: 50, ..RbacConfig::nearly_distinct() };
    /// add_rbac(&mut org, &cfg);
    /// assert!(org.model.compile().rbac().memory().combos > 1_500);
    /// ```
    pub fn nearly_distinct() -> Self {
        Self {
            own_grants: Some((3, 7)),
            everywhere_percent: 15,
            ..Self::new()
        }
    }
}

/// The ids of what [`add_rbac`] generated.
///
/// # Examples
///
/// ```
/// use orgperm_synth::rbac::{add_rbac, RbacConfig};
/// use orgperm_synth::{generate, SynthConfig};
/// let mut org = generate(&SynthConfig::new(300));
/// let rbac = add_rbac(&mut org, &RbacConfig { roles: 30, atoms: 300, divisions: 5, groups: 20, ..RbacConfig::new() });
/// assert_eq!(rbac.divisions[0], "home");
/// assert_eq!(org.model.rbac().base_role(), Some(rbac.base_role.as_str()));
/// ```
#[derive(Clone, Debug, Default)]
pub struct SynthRbac {
    /// The catalog atoms (`domain:entity:action`), in catalog order.
    pub atoms: Vec<String>,
    /// The division-aware atoms of enabled products.
    pub aware_atoms: Vec<String>,
    /// The flat permissions (`admin` first).
    pub flat: Vec<String>,
    /// Every role id, default roles first.
    pub roles: Vec<String>,
    /// The base role.
    pub base_role: String,
    /// The master admin role (holds `admin`).
    pub admin_role: String,
    /// The view-only role.
    pub view_only_role: String,
    /// Division ids, the home division first.
    pub divisions: Vec<String>,
    /// Group ids.
    pub groups: Vec<String>,
    /// Users holding only the view-only role.
    pub view_only_users: Vec<String>,
    /// Action names.
    pub actions: Vec<String>,
}

const DOMAINS: &[&str] = &[
    "routing",
    "directory",
    "analytics",
    "quality",
    "wfm",
    "outbound",
    "architect",
    "telephony",
    "authorization",
    "conversation",
    "recording",
    "integrations",
    "scripter",
    "learning",
    "coaching",
    "gamification",
    "knowledge",
    "journey",
    "speechAndTextAnalytics",
    "messaging",
    "notifications",
    "oauth",
    "organization",
    "groups",
    "reporting",
    "dashboards",
    "workitems",
    "taskManagement",
    "externalContacts",
    "contentManagement",
    "employeePerformance",
    "chat",
    "voicemail",
    "alerting",
    "billing",
    "infrastructure",
    "language",
    "prompts",
    "webDeployments",
    "assistants",
];
const ENTITIES: &[&str] = &[
    "queue",
    "user",
    "skill",
    "wrapupCode",
    "flow",
    "campaign",
    "contactList",
    "schedule",
    "evaluation",
    "survey",
    "policy",
    "recording",
    "transcript",
    "dashboard",
    "report",
    "team",
    "division",
    "role",
    "grant",
    "settings",
    "integration",
    "script",
    "module",
    "assignment",
    "activityCode",
    "forecast",
    "timeOffRequest",
    "agent",
    "conversationDetail",
    "aggregate",
    "template",
    "document",
    "attachment",
    "webhook",
    "client",
    "location",
    "site",
    "trunk",
    "phone",
    "station",
    "edge",
    "prompt",
    "audit",
    "insight",
    "topic",
    "program",
    "category",
];
const ACTIONS: &[&str] = &[
    "view",
    "add",
    "edit",
    "delete",
    "search",
    "upload",
    "download",
    "export",
    "manage",
    "assign",
    "execute",
    "publish",
    "monitor",
    "listen",
    "transcribe",
    "approve",
    "unlock",
    "archive",
];
const PRODUCTS: &[&str] = &[
    "engage",
    "communicate",
    "wem",
    "speechAnalytics",
    "legacyFax",
];
const FLAT: &[&str] = &[
    "admin",
    "employee",
    "user_manager",
    "user_administration",
    "group_creator",
    "group_administration",
    "report_viewer",
    "directory_admin",
];

/// Picks an index in `0..n`, skewed towards small ones (the popular personas and roles).
fn skewed(rng: &mut Rng, n: usize) -> usize {
    if n == 0 {
        return 0;
    }
    let a = rng.range(0, n as u64 - 1);
    let b = rng.range(0, n as u64 - 1);
    a.min(b) as usize
}

/// A grant's division: `*` (`everywhere` percent), one division (20%) or home (the rest;
/// 70% by default).
fn division(rng: &mut Rng, out: &SynthRbac, everywhere: u64) -> Option<String> {
    let roll = rng.range(0, 99);
    let one = 100u64.saturating_sub(everywhere.min(100));
    if roll < one.saturating_sub(20) {
        None
    } else if roll < one {
        pick(rng, &out.divisions).map(str::to_owned)
    } else {
        Some("*".to_owned())
    }
}

fn pick<'a>(rng: &mut Rng, items: &'a [String]) -> Option<&'a str> {
    if items.is_empty() {
        return None;
    }
    items
        .get(rng.range(0, items.len() as u64 - 1) as usize)
        .map(String::as_str)
}

/// One catalog atom, for picking policies.
struct Atom {
    entity: String,
    action: String,
    conditional: bool,
    available: bool,
}

/// Adds a catalog, default and custom roles, divisions, groups, grants, actions and global
/// permissions to a generated org. The same seed and org always give the same result.
///
/// # Examples
///
/// ```
/// use orgperm_synth::rbac::{add_rbac, RbacConfig};
/// use orgperm_synth::{generate, SynthConfig};
/// let cfg = RbacConfig { roles: 20, atoms: 200, divisions: 4, groups: 10, ..RbacConfig::new() };
/// let mut a = generate(&SynthConfig::new(200));
/// let mut b = generate(&SynthConfig::new(200));
/// add_rbac(&mut a, &cfg);
/// add_rbac(&mut b, &cfg);
/// assert_eq!(a.model.to_json(), b.model.to_json());
/// ```
pub fn add_rbac(org: &mut SynthOrg, cfg: &RbacConfig) -> SynthRbac {
    let mut rng = Rng::new(cfg.seed ^ 0x5EED_0F0E_0F00_0003);
    let model = &mut org.model;
    let mut out = SynthRbac::default();

    // Products and catalog.
    for p in PRODUCTS.iter().take(4) {
        let _ = model.rbac_mut().enable_product(p);
    }
    let n_flat = FLAT.len().min(cfg.atoms);
    for f in FLAT.iter().take(n_flat) {
        let label = f.replace('_', " ");
        if model
            .rbac_mut()
            .add_permission(PermissionSpec::new(*f, label))
            .is_ok()
        {
            out.flat.push((*f).to_owned());
        }
    }
    let mut atoms: Vec<Atom> = Vec::new();
    let mut domains: Vec<String> = Vec::new();
    let mut domain_atoms: Vec<Vec<usize>> = Vec::new();
    let target = cfg.atoms.saturating_sub(n_flat);
    let mut k = 0;
    while atoms.len() < target {
        let base = DOMAINS.get(k % DOMAINS.len()).copied().unwrap_or("domain");
        let domain = if k < DOMAINS.len() {
            base.to_owned()
        } else {
            format!("{base}{}", k / DOMAINS.len())
        };
        k += 1;
        let d = domains.len();
        domains.push(domain.clone());
        domain_atoms.push(Vec::new());
        let n_entities = rng.range(6, 16) as usize;
        let first_entity = rng.range(0, ENTITIES.len() as u64 - 1) as usize;
        for e in 0..n_entities {
            let entity = ENTITIES
                .get((first_entity + e * 7) % ENTITIES.len())
                .copied()
                .unwrap_or("entity");
            let n_actions = rng.range(3, 8) as usize;
            let first_action = rng.range(0, ACTIONS.len() as u64 - 1) as usize;
            let aware = rng.chance(450);
            for a in 0..n_actions {
                if atoms.len() >= target {
                    break;
                }
                let action = ACTIONS
                    .get((first_action + a * 5) % ACTIONS.len())
                    .copied()
                    .unwrap_or("view");
                let name = format!("{domain}:{entity}:{action}");
                let mut spec =
                    PermissionSpec::new(name.clone(), format!("{domain} > {entity} > {action}"));
                if aware {
                    spec = spec.division_aware();
                }
                let conditional = rng.chance(50);
                if conditional {
                    spec = spec.allowing_conditions();
                }
                let product = if rng.chance(400) {
                    None
                } else {
                    PRODUCTS.get(d % PRODUCTS.len()).copied()
                };
                if let Some(p) = product {
                    spec = spec.in_product(p);
                }
                let available = enabled(product);
                if model.rbac_mut().add_permission(spec).is_err() {
                    continue;
                }
                if aware && available {
                    out.aware_atoms.push(name.clone());
                }
                if let Some(list) = domain_atoms.get_mut(d) {
                    list.push(atoms.len());
                }
                out.atoms.push(name);
                atoms.push(Atom {
                    entity: entity.to_owned(),
                    action: action.to_owned(),
                    conditional,
                    available,
                });
            }
        }
    }

    // Divisions: home first.
    for i in 0..cfg.divisions.max(1) {
        let (id, name) = if i == 0 {
            ("home".to_owned(), "Home".to_owned())
        } else {
            (format!("div-{i:03}"), format!("Division {i:03}"))
        };
        if model.rbac_mut().add_division(&id, &name).is_ok() {
            out.divisions.push(id);
        }
    }

    // A policy over a random domain: explicit atoms of enabled products, or wildcards.
    let policy = |rng: &mut Rng, conditional_ok: bool| -> Option<PolicySpec> {
        let d = skewed(rng, domains.len());
        let domain = domains.get(d)?;
        let list = domain_atoms.get(d)?;
        let atom = atoms.get(*list.get(rng.range(0, list.len().max(1) as u64 - 1) as usize)?)?;
        let roll = rng.range(0, 99);
        if roll < 12 {
            return Some(PolicySpec::new(domain.as_str(), "*", ["*"]));
        }
        if roll < 20 {
            return Some(PolicySpec::new(
                domain.as_str(),
                "*",
                [atom.action.as_str()],
            ));
        }
        if roll < 40 {
            return Some(PolicySpec::new(
                domain.as_str(),
                atom.entity.as_str(),
                ["*"],
            ));
        }
        if !atom.available {
            return Some(PolicySpec::new(
                domain.as_str(),
                atom.entity.as_str(),
                ["*"],
            ));
        }
        let p = PolicySpec::new(
            domain.as_str(),
            atom.entity.as_str(),
            [atom.action.as_str()],
        );
        if conditional_ok && atom.conditional && rng.chance(300) {
            let cond = if rng.chance(500) {
                Condition::is_in("queue.id", ["q-1", "q-2", "q-3"])
            } else {
                Condition::all([
                    Condition::eq("media", "voice"),
                    Condition::any([Condition::ge("priority", "5"), Condition::eq("vip", "true")]),
                ])
            };
            return Some(p.with_condition(cond));
        }
        Some(p)
    };

    // Default roles: base, master admin, then vendor templates.
    let mut employee = RoleSpec::new("role-employee", "Employee").with_permission("employee");
    for _ in 0..12 {
        if let Some(p) = policy(&mut rng, false) {
            if !p.is_wildcard() {
                employee = employee.with_policy(p);
            }
        }
    }
    let mut master = RoleSpec::new("role-master-admin", "Master Admin").with_permission("admin");
    for d in domains.iter().take(10) {
        master = master.with_policy(PolicySpec::new(d.as_str(), "*", ["*"]));
    }
    let _ = model
        .rbac_mut()
        .set_default_role_template(DefaultRoleTemplate::new("employee", employee).base());
    let _ = model
        .rbac_mut()
        .set_default_role_template(DefaultRoleTemplate::new("masterAdmin", master));
    let n_templates = 20.min(cfg.roles.saturating_sub(2));
    for t in 0..n_templates {
        let mut role = RoleSpec::new(
            format!("role-default-{t:02}"),
            format!("Default role {t:02}"),
        );
        for _ in 0..rng.range(3, 10) {
            if let Some(p) = policy(&mut rng, false) {
                role = role.with_policy(p);
            }
        }
        let _ = model
            .rbac_mut()
            .set_default_role_template(DefaultRoleTemplate::new(format!("default{t:02}"), role));
    }
    let _ = model.rbac_mut().restore_default_roles(false);
    out.base_role = "role-employee".to_owned();
    out.admin_role = "role-master-admin".to_owned();
    out.roles.push(out.base_role.clone());
    out.roles.push(out.admin_role.clone());
    out.roles
        .extend((0..n_templates).map(|t| format!("role-default-{t:02}")));

    // Custom roles, one of them view-only.
    out.view_only_role = "role-view-only".to_owned();
    let viewer = RoleSpec::new(out.view_only_role.as_str(), "View only").view_only();
    let viewer = match policy(&mut rng, false) {
        Some(p) => viewer.with_policy(p),
        None => viewer,
    };
    if model.rbac_mut().create_role(viewer).is_ok() {
        out.roles.push(out.view_only_role.clone());
    }
    let mut custom = Vec::new();
    while out.roles.len() < cfg.roles {
        let i = custom.len();
        let mut role = RoleSpec::new(format!("role-{i:04}"), format!("Custom role {i:04}"));
        for _ in 0..rng.range(2, 12) {
            if let Some(p) = policy(&mut rng, true) {
                role = role.with_policy(p);
            }
        }
        if model.rbac_mut().create_role(role).is_ok() {
            custom.push(format!("role-{i:04}"));
            out.roles.push(format!("role-{i:04}"));
        } else {
            break;
        }
    }
    // Default roles are granted too, mostly the first few.
    let grantable: Vec<String> = out
        .roles
        .iter()
        .filter(|r| **r != out.base_role && **r != out.view_only_role && **r != out.admin_role)
        .cloned()
        .collect();

    // Groups, about 5% with grants.
    let mut granting = Vec::new();
    for i in 0..cfg.groups {
        let id = format!("group-{i:04}");
        if model
            .rbac_mut()
            .add_group(&id, &format!("Group {i:04}"))
            .is_err()
        {
            continue;
        }
        if rng.chance(50) {
            for _ in 0..rng.range(1, 2) {
                let role = grantable.get(skewed(&mut rng, grantable.len())).cloned();
                let div = division(&mut rng, &out, cfg.everywhere_percent);
                if let Some(r) = role {
                    let _ = model
                        .rbac_mut()
                        .grant_role(Subject::Group(&id), &r, div.as_deref());
                }
            }
            granting.push(true);
        } else {
            granting.push(false);
        }
        out.groups.push(id);
    }

    // Personas.
    let mut personas: Vec<Vec<(String, Option<String>)>> = Vec::new();
    for _ in 0..cfg.personas.max(1) {
        let mut grants = Vec::new();
        for _ in 0..rng.range(1, 3) {
            if let Some(r) = grantable.get(skewed(&mut rng, grantable.len())) {
                grants.push((r.clone(), division(&mut rng, &out, cfg.everywhere_percent)));
            }
        }
        personas.push(grants);
    }

    // Users: persona grants, memberships; admins and a few view-only users.
    let users: Vec<String> = org.model.user_ids().map(str::to_owned).collect();
    let model = &mut org.model;
    let admins: std::collections::HashSet<&str> = org.admins.iter().map(String::as_str).collect();
    let mut members: Vec<Vec<&str>> = vec![Vec::new(); out.groups.len()];
    for u in &users {
        let view_only = !admins.contains(u.as_str()) && rng.chance(10);
        if admins.contains(u.as_str()) {
            let _ = model
                .rbac_mut()
                .grant_role(Subject::User(u), &out.admin_role, Some("*"));
        } else if view_only {
            if model
                .rbac_mut()
                .grant_role(Subject::User(u), &out.view_only_role, None)
                .is_ok()
            {
                out.view_only_users.push(u.clone());
            }
        } else if let Some((lo, hi)) = cfg.own_grants {
            for _ in 0..rng.range(lo, hi) {
                let role = pick(&mut rng, &grantable).map(str::to_owned);
                let div = division(&mut rng, &out, cfg.everywhere_percent);
                if let Some(r) = role {
                    let _ = model
                        .rbac_mut()
                        .grant_role(Subject::User(u), &r, div.as_deref());
                }
            }
        } else if let Some(p) = personas.get(skewed(&mut rng, personas.len())) {
            for (r, d) in p {
                let _ = model
                    .rbac_mut()
                    .grant_role(Subject::User(u), r, d.as_deref());
            }
        }
        for _ in 0..rng.range(1, 3) {
            let g = rng.range(0, out.groups.len().max(1) as u64 - 1) as usize;
            if view_only && granting.get(g).copied().unwrap_or(true) {
                continue;
            }
            if let Some(list) = members.get_mut(g) {
                list.push(u.as_str());
            }
        }
    }
    for (g, list) in out.groups.iter().zip(&members) {
        let _ = model.rbac_mut().add_group_members(g, list);
    }

    // Quantive actions: manage => access pairs, bound to roles and a few users.
    let items = [
        "goals",
        "metrics",
        "sessions",
        "insightboards",
        "dashboards",
        "tasks",
        "teams",
        "users",
    ];
    let mut specs = Vec::new();
    for item in items {
        specs.push(ActionSpec::new(
            format!("access_{item}"),
            format!("Access {item}"),
        ));
        specs.push(
            ActionSpec::new(format!("manage_{item}"), format!("Manage {item}"))
                .requiring(format!("access_{item}")),
        );
    }
    specs.push(ActionSpec::new("manage_account", "Manage account"));
    specs.push(ActionSpec::new("export_data", "Export data"));
    out.actions = specs.iter().map(|s| s.name.clone()).collect();
    let _ = model.rbac_mut().add_actions(specs);
    for (i, action) in out.actions.iter().enumerate() {
        let mut principals: Vec<Principal> = Vec::new();
        let n_roles = if action.starts_with("access_") { 8 } else { 3 };
        for _ in 0..n_roles {
            if let Some(r) = grantable.get(skewed(&mut rng, grantable.len())) {
                principals.push(Principal::role(r.as_str()));
            }
        }
        principals.push(Principal::role(out.admin_role.as_str()));
        for _ in 0..2 {
            if let Some(u) = pick(&mut rng, &users) {
                if !out.view_only_users.iter().any(|v| v == u) {
                    principals.push(Principal::user(u));
                }
            }
        }
        let _ = model
            .rbac_mut()
            .create_global_permission(GlobalPermissionSpec::new(
                format!("perm-{i:03}"),
                action.as_str(),
                principals,
            ));
    }
    out
}

/// Whether the generator enables a product (the first four are); no product: always.
fn enabled(product: Option<&str>) -> bool {
    product.is_none_or(|p| PRODUCTS.iter().take(4).any(|x| *x == p))
}
