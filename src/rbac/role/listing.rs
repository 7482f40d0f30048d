//! The paged, sorted, filtered role listing with user counts (`GET /authorization/roles`).

use crate::rbac::RbacRef;
use crate::rbac::error::{RbacError, RbacErrorKind};
use crate::rbac::listing::{DEFAULT_PAGE_SIZE, Page, paginate};

use super::RoleSpec;

/// How [`RbacRef::list_roles`](crate::RbacRef::list_roles) sorts.
///
/// # Examples
///
/// ```
/// assert_eq!(orgperm::RoleSort::default(), orgperm::RoleSort::Name);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum RoleSort {
    /// By name without case (then exact name, then id).
    #[default]
    Name,
    /// By id.
    Id,
    /// By user count (then name).
    UserCount,
}

/// Paging, sorting and filtering of [`RbacRef::list_roles`](crate::RbacRef::list_roles), as `GET /authorization/roles`.
///
/// # Examples
///
/// ```
/// use orgperm::{RoleQuery, RoleSort};
/// let q = RoleQuery::new().page(10, 3).sort(RoleSort::UserCount, true).with_permission("routing:queue:view");
/// assert_eq!((q.page_size, q.page_number, q.descending), (10, 3, true));
/// assert_eq!(q.permissions, ["routing:queue:view"]);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RoleQuery {
    /// Page size (default 25).
    pub page_size: usize,
    /// Page number from 1 (default 1).
    pub page_number: usize,
    /// Sort key.
    pub sort_by: RoleSort,
    /// Descending order.
    pub descending: bool,
    /// Only roles naming every one of these permissions (after wildcard expansion).
    pub permissions: Vec<String>,
}

impl Default for RoleQuery {
    fn default() -> Self {
        Self::new()
    }
}

impl RoleQuery {
    /// The first page of 25 by name, unfiltered.
    pub fn new() -> Self {
        Self {
            page_size: DEFAULT_PAGE_SIZE,
            page_number: 1,
            sort_by: RoleSort::Name,
            descending: false,
            permissions: Vec::new(),
        }
    }

    /// Page `number` (from 1) of `size`.
    pub fn page(mut self, size: usize, number: usize) -> Self {
        self.page_size = size;
        self.page_number = number;
        self
    }

    /// Sort key and direction.
    pub fn sort(mut self, by: RoleSort, descending: bool) -> Self {
        self.sort_by = by;
        self.descending = descending;
        self
    }

    /// Keeps only the roles that name `permission`.
    pub fn with_permission(mut self, permission: impl Into<String>) -> Self {
        self.permissions.push(permission.into());
        self
    }
}

/// A role as listed: its fields and the figures computed from the model.
///
/// # Examples
///
/// ```
/// use orgperm::{Model, RoleSpec, Subject};
/// let mut model = Model::new();
/// model.rbac_mut().add_division("home", "Home")?;
/// model.add_user("ada", None)?;
/// model.rbac_mut().create_role(RoleSpec::new("r", "Agents"))?;
/// model.rbac_mut().grant_role(Subject::User("ada"), "r", None)?;
/// let summary = model.rbac().role_summary("r").unwrap();
/// assert_eq!(summary.user_count, 1);
/// assert!(!summary.base && !summary.needs_update);
/// # Ok::<(), orgperm::ModelError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RoleSummary<'a> {
    /// The role.
    pub role: &'a RoleSpec,
    /// Active users holding it, directly, through a group or as the base role.
    pub user_count: usize,
    /// Whether its default role template holds atoms it lacks (`roleNeedsUpdate`).
    pub needs_update: bool,
    /// Whether it is the base role every user holds.
    pub base: bool,
}

impl<'m> RbacRef<'m> {
    /// A page of roles, sorted and filtered, with user counts (`GET /authorization/roles`).
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{Model, PermissionSpec, PolicySpec, RoleQuery, RoleSort, RoleSpec};
    /// let mut model = Model::new();
    /// model.rbac_mut().add_permission(PermissionSpec::new("routing:queue:view", "View"))?;
    /// model.rbac_mut().create_role(RoleSpec::new("1", "b-role").with_policy(PolicySpec::new("routing", "*", ["*"])))?;
    /// model.rbac_mut().create_role(RoleSpec::new("2", "A-role"))?;
    /// let names = |q: &RoleQuery| -> Vec<String> {
    ///     model.rbac().list_roles(q).unwrap().entities.iter().map(|s| s.role.name.clone()).collect()
    /// };
    /// assert_eq!(names(&RoleQuery::new()), ["A-role", "b-role"]);
    /// assert_eq!(names(&RoleQuery::new().sort(RoleSort::Name, true)), ["b-role", "A-role"]);
    /// assert_eq!(names(&RoleQuery::new().with_permission("routing:queue:view")), ["b-role"]);
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    pub fn list_roles(&self, query: &RoleQuery) -> Result<Page<RoleSummary<'m>>, RbacError> {
        let catalog = &self.rbac.catalog;
        let mut wanted = Vec::with_capacity(query.permissions.len());
        for (i, p) in query.permissions.iter().enumerate() {
            let (id, _) = catalog.get(p).ok_or_else(|| {
                RbacError::at(
                    format!("permission[{i}]"),
                    RbacErrorKind::UnknownPermission { id: p.clone() },
                )
            })?;
            wanted.push(id);
        }
        let counts = self.role_user_counts();
        let mut items: Vec<RoleSummary<'_>> = self
            .rbac
            .roles
            .iter()
            .filter(|(_, spec)| {
                wanted.is_empty() || {
                    let atoms = spec.atom_set(catalog);
                    wanted.iter().all(|w| atoms.contains(w))
                }
            })
            .map(|(r, spec)| self.summary(r, spec, &counts))
            .collect();
        let by_name = |a: &RoleSummary<'_>, b: &RoleSummary<'_>| {
            a.role
                .name
                .to_lowercase()
                .cmp(&b.role.name.to_lowercase())
                .then_with(|| a.role.name.cmp(&b.role.name))
                .then_with(|| a.role.id.cmp(&b.role.id))
        };
        match query.sort_by {
            RoleSort::Name => items.sort_by(by_name),
            RoleSort::Id => items.sort_by(|a, b| a.role.id.cmp(&b.role.id)),
            RoleSort::UserCount => {
                items.sort_by(|a, b| a.user_count.cmp(&b.user_count).then_with(|| by_name(a, b)))
            }
        }
        if query.descending {
            items.reverse();
        }
        paginate(items, query.page_size, query.page_number)
    }
}
