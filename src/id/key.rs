//! How queries accept either a dense id (the fast form) or an external string id.
//!
//! A key resolves against the interner of its kind only, so a family's queries need nothing
//! but their own id tables; whether the id is still live is the family's question.

use super::{DenseId, Interner};

pub(crate) mod sealed {
    /// Only this crate's id types and string types are keys.
    pub trait Sealed {}
}

/// A dense id type with the word explanations use for it (`"user"`, `"role"`).
pub trait DenseKey: DenseId {
    /// The kind of object, for explanations ("user #3").
    const LABEL: &'static str;
}

/// Something that names an `I`: the dense id itself (no lookup) or its external id
/// (`&str`, `&String`, `String`; one hash probe, no allocation).
///
/// Every query takes `impl Key<…>` for its ids, so the same method is the fast form and the
/// convenience form. An id that names nothing is a Deny, never a panic.
///
/// # Examples
///
/// ```
/// use orgperm::{Domain, Model};
/// let mut model = Model::new();
/// model.add_user("ada", None).unwrap();
/// let snap = model.compile();
/// let ada = snap.user_id("ada").unwrap();
/// // Dense and external forms give the same answer.
/// assert_eq!(snap.can_access(ada, Domain::Calls, ada), snap.can_access("ada", Domain::Calls, "ada"));
/// ```
pub trait Key<I>: sealed::Sealed {
    /// The dense id, if the interner knows the name (liveness is checked by the caller).
    #[doc(hidden)]
    fn resolve(&self, ids: &Interner<I>) -> Option<I>;
    /// The key as written, for explanations.
    #[doc(hidden)]
    fn describe(&self) -> String;
}

/// An external id as a string: the one blanket form of [`Key`] for every id kind.
pub trait Name: sealed::Sealed {
    /// The id's text.
    #[doc(hidden)]
    fn text(&self) -> &str;
}

impl sealed::Sealed for &str {}
impl sealed::Sealed for &String {}
impl sealed::Sealed for String {}

impl Name for &str {
    #[inline(always)]
    fn text(&self) -> &str {
        self
    }
}

impl Name for &String {
    #[inline(always)]
    fn text(&self) -> &str {
        self.as_str()
    }
}

impl Name for String {
    #[inline(always)]
    fn text(&self) -> &str {
        self.as_str()
    }
}

impl<I: DenseKey, S: Name> Key<I> for S {
    #[inline]
    fn resolve(&self, ids: &Interner<I>) -> Option<I> {
        ids.get(self.text())
    }
    fn describe(&self) -> String {
        format!("{:?}", self.text())
    }
}
