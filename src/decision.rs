//! The answer of an `explain*` query: the verdict and the family's reason for it.
//!
//! Each family has its own reason type (profiles, calls, networks, roles and actions,
//! items); [`Reason`](crate::Reason) composes them for hosts that log every family alike.

use core::fmt;

/// The outcome of a check and the rule that decided it, with the family's reason type `R`.
///
/// # Examples
///
/// ```
/// use orgperm::{Domain, Model, ProfileReason};
/// let mut model = Model::new();
/// model.add_user("ada", None).unwrap();
/// let snap = model.compile();
/// let d = snap.explain("ada", Domain::Calls, "ada");
/// assert!(!d.allowed);
/// assert!(matches!(d.reason, ProfileReason::NoProfile { .. }));
/// assert_eq!(d.to_string(), "deny: user \"ada\" has no profile in workspace \"default\"");
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decision<R> {
    /// Whether access is granted.
    pub allowed: bool,
    /// The rule that decided.
    pub reason: R,
}

impl<R> Decision<R> {
    pub(crate) fn deny(reason: R) -> Self {
        Self {
            allowed: false,
            reason,
        }
    }

    pub(crate) fn allow(reason: R) -> Self {
        Self {
            allowed: true,
            reason,
        }
    }

    /// The same decision with the reason converted, for instance into the composed
    /// [`Reason`](crate::Reason).
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{Decision, Domain, Model, Reason};
    /// let mut model = Model::new();
    /// model.add_user("ada", None).unwrap();
    /// let d: Decision<Reason> = model.compile().explain("ada", Domain::Calls, "ada").map_reason(Into::into);
    /// assert!(matches!(d.reason, Reason::Profile(_)));
    /// ```
    pub fn map_reason<S>(self, f: impl FnOnce(R) -> S) -> Decision<S> {
        Decision {
            allowed: self.allowed,
            reason: f(self.reason),
        }
    }
}

impl<R: fmt::Display> fmt::Display for Decision<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let verdict = if self.allowed { "allow" } else { "deny" };
        write!(f, "{verdict}: {}", self.reason)
    }
}
