//! The composed reason: every family's explanation in one type, for hosts that log or
//! display decisions of all families alike.

use core::fmt;

use crate::calls::CallReason;
use crate::items::ItemReason;
use crate::network::NetworkReason;
use crate::profile::ProfileReason;
use crate::rbac::RbacReason;
use crate::teams::TeamReason;

/// Why a check of any family came out as it did: each family's reason, wrapped.
///
/// Each `explain*` query returns its family's reason; `Reason` is `From` each of them.
///
/// # Examples
///
/// ```
/// use orgperm::{Domain, Model, ProfileReason, Reason};
/// let mut model = Model::new();
/// model.add_user("ada", None).unwrap();
/// let d = model.compile().explain("ada", Domain::Calls, "ghost");
/// let any: Reason = d.reason.into();
/// assert!(matches!(any, Reason::Profile(ProfileReason::UnknownUser { .. })));
/// assert_eq!(any.to_string(), "unknown or removed user \"ghost\"");
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Reason {
    /// A profile check: data access by scope, capabilities, library folders.
    Profile(ProfileReason),
    /// A call check.
    Call(CallReason),
    /// A network check.
    Network(NetworkReason),
    /// A permission or action check.
    Rbac(RbacReason),
    /// An item check.
    Item(ItemReason),
    /// A team membership check.
    Team(TeamReason),
}

macro_rules! composed {
    ($($variant:ident($family:ty),)*) => {
        $(
            impl From<$family> for Reason {
                fn from(reason: $family) -> Self {
                    Reason::$variant(reason)
                }
            }
        )*

        impl fmt::Display for Reason {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                match self {
                    $(Reason::$variant(r) => r.fmt(f),)*
                }
            }
        }
    };
}

composed! {
    Profile(ProfileReason),
    Call(CallReason),
    Network(NetworkReason),
    Rbac(RbacReason),
    Item(ItemReason),
    Team(TeamReason),
}
