//! Paged listings, as the vendor's `*EntityListing` responses: a page of entities and the
//! figures to ask for the next one.

use crate::error::InputErrorKind;
use crate::rbac::error::RbacError;

/// One page of a listing (`pageSize`, `pageNumber` from 1, `total`, `pageCount`).
///
/// A page past the end is empty, not an error.
///
/// # Examples
///
/// ```
/// use orgperm::{Model, PermissionQuery, PermissionSpec};
/// let mut model = Model::new();
/// for a in ["view", "add", "edit"] {
///     model.rbac_mut().add_permission(PermissionSpec::new(format!("routing:queue:{a}"), a)).unwrap();
/// }
/// let page = model.rbac().list_permissions(&PermissionQuery::new().page(2, 2)).unwrap();
/// assert_eq!(page.total, 3);
/// assert_eq!(page.page_count, 2);
/// assert_eq!(page.entities.len(), 1);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Page<T> {
    /// The entities on this page.
    pub entities: Vec<T>,
    /// The page number, from 1.
    pub page_number: usize,
    /// The page size asked for.
    pub page_size: usize,
    /// Number of entities on all pages.
    pub total: usize,
    /// Number of pages.
    pub page_count: usize,
}

/// The vendor's default page size.
pub(crate) const DEFAULT_PAGE_SIZE: usize = 25;

/// Cuts page `number` (from 1) of `size` out of `items`.
pub(crate) fn paginate<T>(items: Vec<T>, size: usize, number: usize) -> Result<Page<T>, RbacError> {
    if size == 0 {
        return Err(RbacError::at(
            "pageSize",
            InputErrorKind::InvalidPaging {
                reason: "the page size must be at least 1",
            },
        ));
    }
    if number == 0 {
        return Err(RbacError::at(
            "pageNumber",
            InputErrorKind::InvalidPaging {
                reason: "page numbers start at 1",
            },
        ));
    }
    let total = items.len();
    let start = size.saturating_mul(number - 1);
    let entities = items.into_iter().skip(start).take(size).collect();
    Ok(Page {
        entities,
        page_number: number,
        page_size: size,
        total,
        page_count: total.div_ceil(size),
    })
}
