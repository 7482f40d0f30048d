//! The permission catalog (Genesys `GET /authorization/permissions`): atoms
//! `domain:entity:action` and flat permissions, each with a label, the flags `divisionAware`
//! and `allowsConditions` and the product that provides it; and the set of enabled products.
//!
//! A permission, once added, keeps its dense id and its flags; it is removed only while no
//! role needs it, so a role validated against the catalog stays valid. Wildcard policies match the atoms present at
//! compile time, so atoms added later are picked up by the next [`Model::compile`].

use crate::rbac::RbacMut;
use crate::rbac::RbacRef;
use std::collections::BTreeSet;

use hashbrown::HashMap;

use crate::error::{InputErrorKind, bounded};
use crate::id::registry::Registry;
use crate::rbac::error::{RbacError, RbacErrorKind};
use crate::rbac::ids::PermissionId;
use crate::rbac::listing::{DEFAULT_PAGE_SIZE, Page, paginate};

/// The flat permission that grants every check (of an enabled product, in the grant's
/// divisions).
///
/// # Examples
///
/// ```
/// use orgperm::{Model, PermissionSpec, RoleSpec, Subject, ADMIN};
/// let mut model = Model::new();
/// model.rbac_mut().add_division("home", "Home")?;
/// model.add_user("ada", None)?;
/// model.rbac_mut().add_permission(PermissionSpec::new(ADMIN, "Administrator"))?;
/// model.rbac_mut().add_permission(PermissionSpec::new("routing:queue:view", "View queues"))?;
/// model.rbac_mut().create_role(RoleSpec::new("admins", "Admins").with_permission(ADMIN))?;
/// model.rbac_mut().grant_role(Subject::User("ada"), "admins", None)?;
/// assert!(model.compile().rbac().has_permission("ada", "routing:queue:view"));
/// # Ok::<(), orgperm::ModelError>(())
/// ```
pub const ADMIN: &str = "admin";

/// A permission of the catalog.
///
/// `permission` is an atom `domain:entity:action` (three non-empty parts of ASCII letters,
/// digits, `_`, `-` or `.`) or a flat permission without colons (such as [`ADMIN`]). Flat
/// permissions are neither division-aware nor conditional. A permission with a `product` is
/// granted only while that product is enabled ([`RbacMut::enable_product`](crate::RbacMut::enable_product)); one without is
/// always available.
///
/// # Examples
///
/// ```
/// use orgperm::{Model, PermissionSpec};
/// let mut model = Model::new();
/// model.rbac_mut().add_permission(
///     PermissionSpec::new("routing:queue:view", "View queues")
///         .division_aware()
///         .allowing_conditions()
///         .in_product("engage"),
/// )?;
/// let spec = model.rbac().permission("routing:queue:view").unwrap();
/// assert!(spec.division_aware && spec.allows_conditions);
/// assert_eq!(spec.parts(), Some(("routing", "queue", "view")));
///
/// let err = model.rbac_mut().add_permission(PermissionSpec::new("routing:queue", "?")).unwrap_err();
/// assert_eq!(err.path(), "permission");
/// # Ok::<(), orgperm::ModelError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PermissionSpec {
    /// `domain:entity:action`, or a flat name.
    pub permission: String,
    /// Human-readable label.
    pub label: String,
    /// Whether a check on an object needs a grant in the object's division.
    pub division_aware: bool,
    /// Whether policies may carry a condition on this permission.
    pub allows_conditions: bool,
    /// The product that provides the permission; `None`: always available.
    pub product: Option<String>,
}

impl PermissionSpec {
    /// A permission with a label, not division-aware, without conditions, in no product.
    pub fn new(permission: impl Into<String>, label: impl Into<String>) -> Self {
        Self {
            permission: permission.into(),
            label: label.into(),
            division_aware: false,
            allows_conditions: false,
            product: None,
        }
    }

    /// Marks the permission division-aware.
    pub fn division_aware(mut self) -> Self {
        self.division_aware = true;
        self
    }

    /// Lets policies put conditions on the permission.
    pub fn allowing_conditions(mut self) -> Self {
        self.allows_conditions = true;
        self
    }

    /// Puts the permission in a product.
    pub fn in_product(mut self, product: impl Into<String>) -> Self {
        self.product = Some(product.into());
        self
    }

    /// `(domain, entity, action)` of an atom; `None` for a flat permission.
    pub fn parts(&self) -> Option<(&str, &str, &str)> {
        match parse(&self.permission) {
            Ok(Parsed::Atom(d, e, a)) => Some((d, e, a)),
            _ => None,
        }
    }

    /// Whether this is a flat permission (no colons).
    pub fn is_flat(&self) -> bool {
        matches!(parse(&self.permission), Ok(Parsed::Flat(_)))
    }
}

/// A parsed permission string.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Parsed<'a> {
    Flat(&'a str),
    Atom(&'a str, &'a str, &'a str),
}

/// Whether `s` is a valid part of a permission: non-empty ASCII letters, digits, `_`, `-`, `.`.
pub(crate) fn valid_part(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'))
}

/// Parses `domain:entity:action` or a flat name.
pub(crate) fn parse(s: &str) -> Result<Parsed<'_>, &'static str> {
    let mut parts = s.split(':');
    let first = parts.next().unwrap_or("");
    let (Some(entity), Some(action)) = (parts.next(), parts.next()) else {
        if s.contains(':') {
            return Err("expected domain:entity:action or a flat name");
        }
        return if valid_part(first) {
            Ok(Parsed::Flat(first))
        } else {
            Err("a permission is made of ASCII letters, digits, '_', '-' and '.'")
        };
    };
    if parts.next().is_some() {
        return Err("expected domain:entity:action or a flat name");
    }
    if [first, entity, action].iter().all(|p| valid_part(p)) {
        Ok(Parsed::Atom(first, entity, action))
    } else {
        Err("each part must be non-empty ASCII letters, digits, '_', '-' or '.'")
    }
}

/// Which permissions [`RbacRef::list_permissions`](crate::RbacRef::list_permissions) returns.
///
/// # Examples
///
/// ```
/// use orgperm::{PermissionFilter, PermissionQuery};
/// let q = PermissionQuery::new().domain("routing").page(50, 2);
/// assert_eq!(q.filter, PermissionFilter::Domain("routing".into()));
/// assert_eq!((q.page_size, q.page_number), (50, 2));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PermissionFilter {
    /// Every permission.
    All,
    /// The atoms of one domain.
    Domain(String),
    /// The permissions whose string starts with this prefix (`routing:queue` lists the
    /// queue atoms; a whole atom lists itself).
    Permission(String),
}

/// A page of the catalog and a filter, as `GET /authorization/permissions`.
///
/// # Examples
///
/// ```
/// let q = orgperm::PermissionQuery::new();
/// assert_eq!((q.page_size, q.page_number), (25, 1));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PermissionQuery {
    /// Page size (default 25).
    pub page_size: usize,
    /// Page number from 1 (default 1).
    pub page_number: usize,
    /// Which permissions.
    pub filter: PermissionFilter,
}

impl Default for PermissionQuery {
    fn default() -> Self {
        Self::new()
    }
}

impl PermissionQuery {
    /// The first page of 25, unfiltered.
    pub fn new() -> Self {
        Self {
            page_size: DEFAULT_PAGE_SIZE,
            page_number: 1,
            filter: PermissionFilter::All,
        }
    }

    /// Page `number` (from 1) of `size`.
    pub fn page(mut self, size: usize, number: usize) -> Self {
        self.page_size = size;
        self.page_number = number;
        self
    }

    /// Only the atoms of `domain`.
    pub fn domain(mut self, domain: impl Into<String>) -> Self {
        self.filter = PermissionFilter::Domain(domain.into());
        self
    }

    /// Only the permissions starting with `prefix`.
    pub fn permission(mut self, prefix: impl Into<String>) -> Self {
        self.filter = PermissionFilter::Permission(prefix.into());
        self
    }
}

/// The catalog and the enabled products.
#[derive(Clone, Debug, Default)]
pub(crate) struct Catalog {
    /// By dense id (a removed permission keeps its id for a later re-add).
    pub(crate) entries: Registry<PermissionId, PermissionSpec>,
    /// Atoms of each domain, in catalog order.
    domains: HashMap<String, Vec<PermissionId>>,
    /// Atoms of each `domain:entity`, in catalog order.
    entities: HashMap<String, Vec<PermissionId>>,
    /// Atoms of each `domain:*:action`, in catalog order.
    actions: HashMap<String, Vec<PermissionId>>,
    /// Enabled products.
    pub(crate) products: BTreeSet<String>,
}

impl Catalog {
    pub(crate) fn len(&self) -> usize {
        self.entries.len()
    }

    pub(crate) fn get(&self, name: &str) -> Option<(PermissionId, &PermissionSpec)> {
        self.entries.live(name)
    }

    pub(crate) fn entry(&self, id: PermissionId) -> Option<&PermissionSpec> {
        self.entries.get(id)
    }

    pub(crate) fn name(&self, id: PermissionId) -> &str {
        self.entries.name(id)
    }

    /// Whether the permission's product (if any) is enabled.
    pub(crate) fn available(&self, spec: &PermissionSpec) -> bool {
        spec.product
            .as_ref()
            .is_none_or(|p| self.products.contains(p))
    }

    /// The atoms of a domain, in catalog order.
    pub(crate) fn domain_atoms(&self, domain: &str) -> &[PermissionId] {
        self.domains.get(domain).map(Vec::as_slice).unwrap_or(&[])
    }

    /// The atoms of `domain:entity:*`, in catalog order.
    pub(crate) fn entity_atoms(&self, domain: &str, entity: &str) -> &[PermissionId] {
        self.entities
            .get(&format!("{domain}:{entity}"))
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }

    /// The atoms of `domain:*:action`, in catalog order.
    pub(crate) fn action_atoms(&self, domain: &str, action: &str) -> &[PermissionId] {
        self.actions
            .get(&format!("{domain}:*:{action}"))
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }

    /// Validates and adds a permission. Paths are relative to the spec.
    pub(crate) fn add(&mut self, spec: PermissionSpec) -> Result<PermissionId, RbacError> {
        let parsed = parse(&spec.permission).map_err(|reason| {
            RbacError::at(
                "permission",
                RbacErrorKind::InvalidPermission {
                    value: spec.permission.clone(),
                    reason,
                },
            )
        })?;
        if self.entries.live_id(&spec.permission).is_some() {
            return Err(RbacError::at(
                "permission",
                InputErrorKind::DuplicateId {
                    id: spec.permission,
                },
            ));
        }
        if matches!(parsed, Parsed::Flat(_)) && (spec.division_aware || spec.allows_conditions) {
            return Err(RbacError::at(
                "permission",
                RbacErrorKind::InvalidPermission {
                    value: spec.permission,
                    reason: "a flat permission can be neither division-aware nor conditional",
                },
            ));
        }
        if spec.product.as_deref() == Some("") {
            return Err(RbacError::at("product", InputErrorKind::Required));
        }
        let keys = match parsed {
            Parsed::Atom(d, e, a) => Some((d.to_owned(), format!("{d}:{e}"), format!("{d}:*:{a}"))),
            Parsed::Flat(_) => None,
        };
        let name = spec.permission.clone();
        let (id, _) = self.entries.insert(&name, spec)?;
        if let Some((d, e, a)) = keys {
            self.domains.entry(d).or_default().push(id);
            self.entities.entry(e).or_default().push(id);
            self.actions.entry(a).or_default().push(id);
        }
        Ok(id)
    }
}

impl Catalog {
    /// Removes a permission and its entries in the indexes by domain, entity and action.
    /// O(atoms of its domain).
    fn remove(&mut self, id: PermissionId) {
        let Some(spec) = self.entries.remove(id) else {
            return;
        };
        if let Ok(Parsed::Atom(d, e, a)) = parse(&spec.permission) {
            for (map, key) in [
                (&mut self.domains, d.to_owned()),
                (&mut self.entities, format!("{d}:{e}")),
                (&mut self.actions, format!("{d}:*:{a}")),
            ] {
                if let Some(list) = map.get_mut(&key) {
                    list.retain(|&q| q != id);
                    if list.is_empty() {
                        map.remove(&key);
                    }
                }
            }
        }
    }
}

impl<'m> RbacMut<'m> {
    /// Adds a permission to the catalog. Permissions cannot be changed: roles are validated
    /// against them (see [`remove_permission`](crate::RbacMut::remove_permission)).
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{ErrorKind, InputErrorKind, Model, PermissionSpec, RbacErrorKind};
    /// let mut model = Model::new();
    /// model.rbac_mut().add_permission(PermissionSpec::new("admin", "Administrator"))?;
    /// let err = model.rbac_mut().add_permission(PermissionSpec::new("admin", "again")).unwrap_err();
    /// assert_eq!(err.kind(), &RbacErrorKind::Input(InputErrorKind::DuplicateId { id: "admin".into() }));
    /// let err = model.rbac_mut().add_permission(PermissionSpec::new("routing:*:view", "?")).unwrap_err();
    /// assert!(matches!(err.kind(), RbacErrorKind::InvalidPermission { .. }));
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    pub fn add_permission(&mut self, spec: PermissionSpec) -> Result<PermissionId, RbacError> {
        self.rbac.catalog.add(spec)
    }

    /// Removes a permission from the catalog. The catalog is the vendor's (Genesys lists
    /// it, `GET /authorization/permissions`, and offers no way to delete from it), so the
    /// removal is for a host mirroring a catalog that dropped an entry, and it cascades
    /// nowhere: it is refused while a role or a default role template needs the
    /// permission ([`PermissionInUse`](crate::RbacErrorKind::PermissionInUse) naming the
    /// field, `role "r1" permissionPolicies[0].actionSet[0]` or
    /// `defaultRole "supervisor" permissions[0]`) — a flat permission or an explicit atom
    /// naming it, or a wildcard policy it is the last match of (the policy would no longer
    /// validate). A wildcard policy with other matches just stops granting it. Adding it
    /// again later gives it its dense id back. Cost: O(roles × policies + atoms of its
    /// domain).
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{Model, PermissionSpec, PolicySpec, RbacErrorKind, RoleSpec};
    /// let mut model = Model::new();
    /// model.rbac_mut().add_permission(PermissionSpec::new("routing:queue:view", "View"))?;
    /// model.rbac_mut().add_permission(PermissionSpec::new("routing:queue:edit", "Edit"))?;
    /// model.rbac_mut().create_role(RoleSpec::new("r1", "Viewers").with_policy(PolicySpec::new("routing", "queue", ["view"])))?;
    /// let err = model.rbac_mut().remove_permission("routing:queue:view").unwrap_err();
    /// assert_eq!(err.kind(), &RbacErrorKind::PermissionInUse {
    ///     id: "routing:queue:view".into(),
    ///     referrer: "role \"r1\" permissionPolicies[0].actionSet[0]".into(),
    /// });
    /// model.rbac_mut().remove_permission("routing:queue:edit")?;
    /// assert!(model.rbac().permission("routing:queue:edit").is_none());
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    pub fn remove_permission(&mut self, permission: &str) -> Result<(), RbacError> {
        let catalog = &self.rbac.catalog;
        let (p, _) = catalog.get(permission).ok_or_else(|| {
            RbacError::at(
                "permission",
                RbacErrorKind::UnknownPermission {
                    id: permission.to_owned(),
                },
            )
        })?;
        let roles = self.rbac.roles.iter().map(|(r, spec)| {
            let who = format!("role {:?}", bounded(self.rbac.roles.name(r)));
            (who, spec)
        });
        let templates = self.rbac.templates.iter().map(|(key, t)| {
            let who = format!("defaultRole {:?}", bounded(key));
            (who, &t.role)
        });
        for (who, spec) in roles.chain(templates) {
            if let Some(field) = spec.needs_permission(catalog, p) {
                return Err(RbacError::at(
                    "permission",
                    RbacErrorKind::PermissionInUse {
                        id: permission.to_owned(),
                        referrer: format!("{who} {field}"),
                    },
                ));
            }
        }
        self.rbac.catalog.remove(p);
        Ok(())
    }

    /// Enables a product (`GET /authorization/products` lists the enabled ones). Returns
    /// whether it was newly enabled.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut model = orgperm::Model::new();
    /// assert!(model.rbac_mut().enable_product("engage").unwrap());
    /// assert!(!model.rbac_mut().enable_product("engage").unwrap());
    /// assert_eq!(model.rbac().enabled_products().collect::<Vec<_>>(), ["engage"]);
    /// assert!(model.rbac_mut().disable_product("engage"));
    /// ```
    pub fn enable_product(&mut self, product: &str) -> Result<bool, RbacError> {
        if product.is_empty() {
            return Err(RbacError::at("product", InputErrorKind::Required));
        }
        Ok(self.rbac.catalog.products.insert(product.to_owned()))
    }

    /// Disables a product: its permissions stay in roles but never evaluate true. Returns
    /// whether it was enabled.
    pub fn disable_product(&mut self, product: &str) -> bool {
        self.rbac.catalog.products.remove(product)
    }
}

impl<'m> RbacRef<'m> {
    /// A permission of the catalog.
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{Model, PermissionSpec};
    /// let mut model = Model::new();
    /// model.rbac_mut().add_permission(PermissionSpec::new("admin", "Administrator")).unwrap();
    /// assert_eq!(model.rbac().permission("admin").unwrap().label, "Administrator");
    /// assert!(model.rbac().permission("nope").is_none());
    /// ```
    pub fn permission(&self, permission: &str) -> Option<&'m PermissionSpec> {
        self.rbac.catalog.get(permission).map(|(_, s)| s)
    }

    /// A page of the catalog, sorted by permission string.
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{Model, PermissionQuery, PermissionSpec};
    /// let mut model = Model::new();
    /// for p in ["routing:queue:view", "routing:skill:add", "directory:user:view", "admin"] {
    ///     model.rbac_mut().add_permission(PermissionSpec::new(p, p))?;
    /// }
    /// let names = |q: &PermissionQuery| -> Vec<String> {
    ///     model.rbac().list_permissions(q).unwrap().entities.iter().map(|p| p.permission.clone()).collect()
    /// };
    /// assert_eq!(names(&PermissionQuery::new()), ["admin", "directory:user:view", "routing:queue:view", "routing:skill:add"]);
    /// assert_eq!(names(&PermissionQuery::new().domain("routing")), ["routing:queue:view", "routing:skill:add"]);
    /// assert_eq!(names(&PermissionQuery::new().permission("routing:queue")), ["routing:queue:view"]);
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    pub fn list_permissions(
        &self,
        query: &PermissionQuery,
    ) -> Result<Page<&'m PermissionSpec>, RbacError> {
        let catalog = &self.rbac.catalog;
        let mut items: Vec<&PermissionSpec> = match &query.filter {
            PermissionFilter::All => catalog.entries.iter().map(|(_, s)| s).collect(),
            PermissionFilter::Domain(d) => catalog
                .domain_atoms(d)
                .iter()
                .filter_map(|&id| catalog.entry(id))
                .collect(),
            PermissionFilter::Permission(prefix) => catalog
                .entries
                .iter()
                .map(|(_, p)| p)
                .filter(|p| p.permission.starts_with(prefix.as_str()))
                .collect(),
        };
        items.sort_by(|a, b| a.permission.cmp(&b.permission));
        paginate(items, query.page_size, query.page_number)
    }

    /// The enabled products, sorted.
    pub fn enabled_products(&self) -> impl Iterator<Item = &'m str> + 'm {
        self.rbac.catalog.products.iter().map(String::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_atoms_and_flat_names() {
        assert_eq!(parse("a:b:c"), Ok(Parsed::Atom("a", "b", "c")));
        assert_eq!(parse("admin"), Ok(Parsed::Flat("admin")));
        for bad in ["", "a:b", "a::c", "a:b:c:d", "a:*:c", "a b", ":", "a:b:"] {
            assert!(parse(bad).is_err(), "{bad:?}");
        }
    }
}
