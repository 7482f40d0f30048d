//! How queries accept either a dense id (the fast form) or an external string id.

use crate::Capability;
use crate::id::{FolderId, ProfileId, UserId, WorkspaceId};
use crate::rbac::ids::{ActionId, DivisionId, GroupId, PermissionId, ResourceId, RoleId};
use crate::snapshot::Snapshot;

mod sealed {
    pub trait Sealed {}
}

/// Something that names an `I`: the dense id itself (no lookup) or its external id
/// (`&str`, `&String`, `String`; one hash lookup).
///
/// Every query of [`Snapshot`] takes `impl Key<…>` for its ids, so the same method is the
/// fast form and the convenience form. An id that names nothing is a Deny, never a panic.
///
/// # Examples
///
/// ```
/// use orgperm::{Domain, Model};
/// let mut model = Model::new();
/// model.add_user("ada", None).unwrap();
/// let snap = model.compile();
/// let ada = snap.user("ada").unwrap();
/// // Dense and external forms give the same answer.
/// assert_eq!(snap.can_access(ada, Domain::Calls, ada), snap.can_access("ada", Domain::Calls, "ada"));
/// ```
pub trait Key<I>: sealed::Sealed {
    /// The dense id, if the snapshot knows the name.
    #[doc(hidden)]
    fn resolve(&self, snap: &Snapshot) -> Option<I>;
    /// The key as written, for explanations.
    #[doc(hidden)]
    fn describe(&self) -> String;
}

macro_rules! keys {
    ($($id:ty => $lookup:ident, $label:literal;)*) => {
        $(
            impl sealed::Sealed for $id {}
            impl Key<$id> for $id {
                #[inline(always)]
                fn resolve(&self, _: &Snapshot) -> Option<$id> {
                    Some(*self)
                }
                fn describe(&self) -> String {
                    format!(concat!($label, " #{}"), self.as_u32())
                }
            }
            impl Key<$id> for &str {
                #[inline]
                fn resolve(&self, snap: &Snapshot) -> Option<$id> {
                    snap.$lookup(self)
                }
                fn describe(&self) -> String {
                    format!("{:?}", self)
                }
            }
            impl Key<$id> for &String {
                #[inline]
                fn resolve(&self, snap: &Snapshot) -> Option<$id> {
                    snap.$lookup(self)
                }
                fn describe(&self) -> String {
                    format!("{:?}", self)
                }
            }
            impl Key<$id> for String {
                #[inline]
                fn resolve(&self, snap: &Snapshot) -> Option<$id> {
                    snap.$lookup(self)
                }
                fn describe(&self) -> String {
                    format!("{:?}", self)
                }
            }
        )*
    };
}

impl sealed::Sealed for &str {}
impl sealed::Sealed for &String {}
impl sealed::Sealed for String {}

keys! {
    UserId => user, "user";
    WorkspaceId => workspace, "workspace";
    ProfileId => profile, "profile";
    FolderId => folder, "folder";
    Capability => capability, "capability";
    crate::TeamId => team, "team";
    crate::CallId => call, "call";
    crate::ItemId => item, "item";
    crate::NetworkId => network, "network";
    crate::NetworkPermissionId => network_permission, "network permission";
    PermissionId => permission, "permission";
    RoleId => role, "role";
    DivisionId => division, "division";
    GroupId => group, "group";
    ActionId => action, "action";
    ResourceId => resource, "resource";
}
