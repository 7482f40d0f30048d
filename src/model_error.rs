//! The composed error of the whole model: every family's error kind meets here, the way a
//! meta engine's build error wraps each engine's own.

use core::fmt;

use crate::calls::error::CallErrorKind;
use crate::error::InputErrorKind;
use crate::error::{Error, ErrorClass, lift_error};
use crate::items::error::ItemErrorKind;
use crate::network::error::NetworkErrorKind;
use crate::org::error::OrgErrorKind;
use crate::profile::error::ProfileErrorKind;
use crate::rbac::error::RbacErrorKind;
use crate::teams::error::TeamErrorKind;

/// An error of an edit or import of the whole [`Model`](crate::Model), with its kind
/// composed from the families' ([`ErrorKind`]). Every family error converts into it.
pub type ModelError = Error<ErrorKind>;

/// What is wrong with an edit or an import: the kind of the family that found it.
///
/// Each family's kind keeps the errors of the layers below it as they are, and converting
/// to this composed kind lifts them to their own family, so an unknown user is
/// `ErrorKind::Org(OrgErrorKind::UnknownUser { .. })` whichever family raised it.
///
/// # Examples
///
/// ```
/// use orgperm::{ErrorKind, Model, ModelError, OrgErrorKind, TeamErrorKind};
/// let mut model = Model::new();
/// model.teams_mut().add_team("t", None)?;
/// let err = model.teams_mut().add_team_member("t", "ghost").unwrap_err();
/// // The family view answers in its own kind, which keeps the org layer's error as it is ...
/// let unknown = OrgErrorKind::UnknownUser { id: "ghost".into() };
/// assert_eq!(err.kind(), &TeamErrorKind::Org(unknown.clone()));
/// // ... and the composed kind files it under the family that owns it.
/// let err = ModelError::from(err);
/// assert_eq!(err.kind(), &ErrorKind::Org(unknown));
/// assert_eq!(err.path(), "userId");
/// # Ok::<(), orgperm::TeamError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The input itself: ids, the document's format and fields.
    Input(InputErrorKind),
    /// The org layer: users, managers, workspaces, library folders.
    Org(OrgErrorKind),
    /// Permission profiles and their assignments.
    Profile(ProfileErrorKind),
    /// Teams and their members.
    Team(TeamErrorKind),
    /// Calls.
    Call(CallErrorKind),
    /// External networks, advisors and their permissions.
    Network(NetworkErrorKind),
    /// Roles, the permission catalog, divisions, groups and actions.
    Rbac(RbacErrorKind),
    /// Items and their access lists.
    Item(ItemErrorKind),
}

impl ErrorKind {
    /// A stable, machine-readable name of the kind (`"unknown_role"`, `"already_assigned"`,
    /// …), for hosts that map errors to their own codes. It never changes for a kind, and is
    /// the same in the family's kind and in the composed one.
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{ErrorKind, InputErrorKind, RbacErrorKind};
    /// let role = ErrorKind::Rbac(RbacErrorKind::UnknownRole { id: "r".into() });
    /// assert_eq!(role.code(), "unknown_role");
    /// assert_eq!(ErrorKind::Input(InputErrorKind::EmptyId).code(), "empty_id");
    /// ```
    pub fn code(&self) -> &'static str {
        match self {
            ErrorKind::Input(kind) => kind.code(),
            ErrorKind::Org(kind) => kind.code(),
            ErrorKind::Profile(kind) => kind.code(),
            ErrorKind::Team(kind) => kind.code(),
            ErrorKind::Call(kind) => kind.code(),
            ErrorKind::Network(kind) => kind.code(),
            ErrorKind::Rbac(kind) => kind.code(),
            ErrorKind::Item(kind) => kind.code(),
        }
    }

    /// The class of the kind. An unknown external network is [`ErrorClass::Invalid`]: the
    /// network is an enumerated path parameter, which Symphony answers with 400.
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{ErrorClass, ErrorKind, NetworkErrorKind};
    /// let kind = ErrorKind::Network(NetworkErrorKind::UnknownNetwork { id: "ICQ".into() });
    /// assert_eq!(kind.class(), ErrorClass::Invalid);
    /// ```
    pub fn class(&self) -> ErrorClass {
        match self {
            ErrorKind::Input(kind) => kind.class(),
            ErrorKind::Org(kind) => kind.class(),
            ErrorKind::Profile(kind) => kind.class(),
            ErrorKind::Team(kind) => kind.class(),
            ErrorKind::Call(kind) => kind.class(),
            ErrorKind::Network(kind) => kind.class(),
            ErrorKind::Rbac(kind) => kind.class(),
            ErrorKind::Item(kind) => kind.class(),
        }
    }

    /// Whether this is a "not found" error (HTTP 404): the kinds of class
    /// [`ErrorClass::NotFound`].
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{ErrorKind, NetworkErrorKind};
    /// assert!(ErrorKind::Network(NetworkErrorKind::UnknownAdvisor { id: "7".into() }).is_not_found());
    /// assert!(!ErrorKind::Network(NetworkErrorKind::UnknownNetwork { id: "ICQ".into() }).is_not_found());
    /// ```
    pub fn is_not_found(&self) -> bool {
        self.class() == ErrorClass::NotFound
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ErrorKind::Input(kind) => kind.fmt(f),
            ErrorKind::Org(kind) => kind.fmt(f),
            ErrorKind::Profile(kind) => kind.fmt(f),
            ErrorKind::Team(kind) => kind.fmt(f),
            ErrorKind::Call(kind) => kind.fmt(f),
            ErrorKind::Network(kind) => kind.fmt(f),
            ErrorKind::Rbac(kind) => kind.fmt(f),
            ErrorKind::Item(kind) => kind.fmt(f),
        }
    }
}

impl From<InputErrorKind> for ErrorKind {
    fn from(kind: InputErrorKind) -> Self {
        ErrorKind::Input(kind)
    }
}

lift_error!(InputErrorKind => ErrorKind);

impl From<OrgErrorKind> for ErrorKind {
    fn from(kind: OrgErrorKind) -> Self {
        match kind {
            OrgErrorKind::Input(inner) => ErrorKind::from(inner),
            kind => ErrorKind::Org(kind),
        }
    }
}

lift_error!(OrgErrorKind => ErrorKind);

impl From<ProfileErrorKind> for ErrorKind {
    fn from(kind: ProfileErrorKind) -> Self {
        match kind {
            ProfileErrorKind::Input(inner) => ErrorKind::from(inner),
            ProfileErrorKind::Org(inner) => ErrorKind::from(inner),
            kind => ErrorKind::Profile(kind),
        }
    }
}

lift_error!(ProfileErrorKind => ErrorKind);

impl From<TeamErrorKind> for ErrorKind {
    fn from(kind: TeamErrorKind) -> Self {
        match kind {
            TeamErrorKind::Input(inner) => ErrorKind::from(inner),
            TeamErrorKind::Org(inner) => ErrorKind::from(inner),
            kind => ErrorKind::Team(kind),
        }
    }
}

lift_error!(TeamErrorKind => ErrorKind);

impl From<CallErrorKind> for ErrorKind {
    fn from(kind: CallErrorKind) -> Self {
        match kind {
            CallErrorKind::Input(inner) => ErrorKind::from(inner),
            CallErrorKind::Org(inner) => ErrorKind::from(inner),
            CallErrorKind::Profile(inner) => ErrorKind::from(inner),
            kind => ErrorKind::Call(kind),
        }
    }
}

lift_error!(CallErrorKind => ErrorKind);

impl From<NetworkErrorKind> for ErrorKind {
    fn from(kind: NetworkErrorKind) -> Self {
        match kind {
            NetworkErrorKind::Input(inner) => ErrorKind::from(inner),
            NetworkErrorKind::Org(inner) => ErrorKind::from(inner),
            kind => ErrorKind::Network(kind),
        }
    }
}

lift_error!(NetworkErrorKind => ErrorKind);

impl From<RbacErrorKind> for ErrorKind {
    fn from(kind: RbacErrorKind) -> Self {
        match kind {
            RbacErrorKind::Input(inner) => ErrorKind::from(inner),
            RbacErrorKind::Org(inner) => ErrorKind::from(inner),
            kind => ErrorKind::Rbac(kind),
        }
    }
}

lift_error!(RbacErrorKind => ErrorKind);

impl From<ItemErrorKind> for ErrorKind {
    fn from(kind: ItemErrorKind) -> Self {
        match kind {
            ItemErrorKind::Input(inner) => ErrorKind::from(inner),
            ItemErrorKind::Org(inner) => ErrorKind::from(inner),
            ItemErrorKind::Team(inner) => ErrorKind::from(inner),
            ItemErrorKind::Rbac(inner) => ErrorKind::from(inner),
            kind => ErrorKind::Item(kind),
        }
    }
}

lift_error!(ItemErrorKind => ErrorKind);
