//! The paged, sorted, filtered role listing with user counts (`GET /authorization/roles`).

use crate::error::InputErrorKind;
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
    /// Where a cursor page starts ([`RbacRef::list_roles_by_cursor`](crate::RbacRef::list_roles_by_cursor));
    /// page numbers ignore it.
    pub cursor: Option<RoleCursor>,
}

/// A position in a sorted role listing, from a [`CursorPage`]'s `next` or `previous` token
/// (Genesys `nextPage` / `previousPage`).
///
/// # Examples
///
/// ```
/// use orgperm::{RoleCursor, RoleQuery};
/// let q = RoleQuery::new().after("na.0.61.72");
/// assert_eq!(q.cursor, Some(RoleCursor::After("na.0.61.72".into())));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RoleCursor {
    /// The roles after this token (`nextPage`).
    After(String),
    /// The roles before this token (`previousPage`).
    Before(String),
}

/// A page of a listing read by cursor: the entities and the tokens of the pages around it.
/// A cursor names a position in the order, not a page number, so roles created or deleted
/// meanwhile shift nothing: the next page starts right after the last role seen.
///
/// # Examples
///
/// ```
/// use orgperm::{Model, RoleQuery, RoleSpec};
/// let mut model = Model::new();
/// for name in ["a", "b", "c", "d"] {
///     model.rbac_mut().create_role(RoleSpec::new(name, name))?;
/// }
/// let first = model.rbac().list_roles_by_cursor(&RoleQuery::new().page(2, 1))?;
/// assert_eq!(first.entities.iter().map(|s| s.role.id.as_str()).collect::<Vec<_>>(), ["a", "b"]);
/// assert_eq!(first.previous, None);
/// let token = first.next.unwrap();
/// model.rbac_mut().create_role(RoleSpec::new("aa", "aa"))?; // before the cursor: not seen again
/// let next = model.rbac().list_roles_by_cursor(&RoleQuery::new().page(2, 1).after(token))?;
/// assert_eq!(next.entities.iter().map(|s| s.role.id.as_str()).collect::<Vec<_>>(), ["c", "d"]);
/// assert_eq!(next.next, None);
/// let back = model.rbac().list_roles_by_cursor(&RoleQuery::new().page(2, 1).before(next.previous.unwrap()))?;
/// assert_eq!(back.entities.iter().map(|s| s.role.id.as_str()).collect::<Vec<_>>(), ["aa", "b"]);
/// # Ok::<(), orgperm::ModelError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CursorPage<T> {
    /// The entities of the page.
    pub entities: Vec<T>,
    /// The page size asked for.
    pub page_size: usize,
    /// Number of entities in the whole listing.
    pub total: usize,
    /// The token of the page after this one, if entities follow.
    pub next: Option<String>,
    /// The token of the page before this one, if entities precede.
    pub previous: Option<String>,
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
            cursor: None,
        }
    }

    /// The page after the position of a `next` token.
    pub fn after(mut self, token: impl Into<String>) -> Self {
        self.cursor = Some(RoleCursor::After(token.into()));
        self
    }

    /// The page before the position of a `previous` token.
    pub fn before(mut self, token: impl Into<String>) -> Self {
        self.cursor = Some(RoleCursor::Before(token.into()));
        self
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
        let items = self.sorted_roles(query)?;
        paginate(items, query.page_size, query.page_number)
    }

    /// A page of roles by cursor (Genesys `nextPage` / `previousPage`), sorted and filtered as
    /// [`list_roles`](Self::list_roles) sorts and filters: the first `page_size` roles after
    /// the query's [`RoleCursor::After`] position, the last `page_size` before a
    /// [`RoleCursor::Before`] one, or the first page without a cursor. A token of another
    /// sort order or direction, or a malformed one, is an
    /// [`InvalidPaging`](crate::InputErrorKind::InvalidPaging) error at `nextPage` or
    /// `previousPage`.
    pub fn list_roles_by_cursor(
        &self,
        query: &RoleQuery,
    ) -> Result<CursorPage<RoleSummary<'m>>, RbacError> {
        if query.page_size == 0 {
            return Err(RbacError::at(
                "pageSize",
                InputErrorKind::InvalidPaging {
                    reason: "the page size must be at least 1",
                },
            ));
        }
        let items = self.sorted_roles(query)?;
        let total = items.len();
        let keys: Vec<SortKey> = items
            .iter()
            .map(|s| SortKey::of(query.sort_by, s))
            .collect();
        let ordered = |a: &SortKey, b: &SortKey| {
            let o = a.cmp(b);
            if query.descending { o.reverse() } else { o }
        };
        let (start, end) = match &query.cursor {
            None => (0, query.page_size.min(total)),
            Some(RoleCursor::After(t)) => {
                let at = SortKey::parse(t, query, "nextPage")?;
                let start = keys
                    .iter()
                    .position(|k| ordered(k, &at) == core::cmp::Ordering::Greater)
                    .unwrap_or(total);
                (start, start.saturating_add(query.page_size).min(total))
            }
            Some(RoleCursor::Before(t)) => {
                let at = SortKey::parse(t, query, "previousPage")?;
                let end = keys
                    .iter()
                    .position(|k| ordered(k, &at) != core::cmp::Ordering::Less)
                    .unwrap_or(total);
                (end.saturating_sub(query.page_size), end)
            }
        };
        let token = |i: usize| keys.get(i).map(|k| k.token(query));
        let next = if end < total && end > 0 {
            token(end - 1)
        } else {
            None
        };
        let previous = if start > 0 && start < total {
            token(start)
        } else {
            None
        };
        let entities = items.into_iter().skip(start).take(end - start).collect();
        Ok(CursorPage {
            entities,
            page_size: query.page_size,
            total,
            next,
            previous,
        })
    }

    fn sorted_roles(&self, query: &RoleQuery) -> Result<Vec<RoleSummary<'m>>, RbacError> {
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
        Ok(items)
    }
}

/// The position of a role in a sorted listing: what the sorts compare, in their order.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct SortKey {
    count: u64,
    lower: String,
    name: String,
    id: String,
}

impl SortKey {
    fn of(sort: RoleSort, s: &RoleSummary<'_>) -> SortKey {
        let (count, name) = match sort {
            RoleSort::Name => (0, s.role.name.clone()),
            RoleSort::Id => (0, String::new()),
            RoleSort::UserCount => (s.user_count as u64, s.role.name.clone()),
        };
        SortKey {
            count,
            lower: name.to_lowercase(),
            name,
            id: s.role.id.clone(),
        }
    }

    fn prefix(query: &RoleQuery) -> String {
        let sort = match query.sort_by {
            RoleSort::Name => 'n',
            RoleSort::Id => 'i',
            RoleSort::UserCount => 'u',
        };
        format!("{sort}{}", if query.descending { 'd' } else { 'a' })
    }

    /// `{sort}{direction}.{count}.{hex name}.{hex id}`.
    fn token(&self, query: &RoleQuery) -> String {
        let hex = |s: &str| s.bytes().map(|b| format!("{b:02x}")).collect::<String>();
        format!(
            "{}.{}.{}.{}",
            Self::prefix(query),
            self.count,
            hex(&self.name),
            hex(&self.id)
        )
    }

    fn parse(token: &str, query: &RoleQuery, path: &str) -> Result<SortKey, RbacError> {
        let bad = |reason| RbacError::at(path, InputErrorKind::InvalidPaging { reason });
        let unhex = |s: &str| -> Option<String> {
            if s.len() % 2 != 0 {
                return None;
            }
            let bytes: Option<Vec<u8>> = (0..s.len())
                .step_by(2)
                .map(|i| s.get(i..i + 2).and_then(|h| u8::from_str_radix(h, 16).ok()))
                .collect();
            String::from_utf8(bytes?).ok()
        };
        let mut parts = token.split('.');
        let (Some(prefix), Some(count), Some(name), Some(id), None) = (
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
        ) else {
            return Err(bad("malformed cursor"));
        };
        if prefix != Self::prefix(query) {
            return Err(bad("the cursor belongs to another sort order or direction"));
        }
        let (Ok(count), Some(name), Some(id)) = (count.parse::<u64>(), unhex(name), unhex(id))
        else {
            return Err(bad("malformed cursor"));
        };
        Ok(SortKey {
            count,
            lower: name.to_lowercase(),
            name,
            id,
        })
    }
}
