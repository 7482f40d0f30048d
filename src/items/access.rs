//! Access lists: `{inherits, permissions: [{principalKind, principalId, includeSubteams,
//! grant}]}`, in external ids ([`AccessSpec`], [`AccessEntry`]) and validated into dense ids
//! ([`StoredEntry`]).

use core::fmt;

use crate::id::UserId;
use crate::items::verbs::{ItemType, ItemVerbs};
use crate::rbac::ids::RoleId;
use crate::teams::TeamId;

/// Who an access entry grants to.
///
/// # Examples
///
/// ```
/// use orgperm::PrincipalKind;
/// assert_eq!(PrincipalKind::parse("team"), Some(PrincipalKind::Team));
/// assert_eq!(PrincipalKind::Account.as_str(), "account");
/// assert_eq!(PrincipalKind::parse("group"), None);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PrincipalKind {
    /// One directory user.
    User,
    /// The direct members of a team, or with `includeSubteams` the members of the team and
    /// of every team below it in the team tree as compiled (later tree changes are
    /// followed).
    Team,
    /// The users holding a role of the roles layer, directly or through a group, in any
    /// division.
    Role,
    /// Every active user of the account. The entry's `principalId` (the vendor's account
    /// id) is kept and exported but not checked.
    Account,
}

impl PrincipalKind {
    /// Every kind.
    pub const ALL: [PrincipalKind; 4] = [
        PrincipalKind::User,
        PrincipalKind::Team,
        PrincipalKind::Role,
        PrincipalKind::Account,
    ];

    /// The vendor's name: `user`, `team`, `role`, `account`.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(orgperm::PrincipalKind::Role.as_str(), "role");
    /// ```
    pub const fn as_str(self) -> &'static str {
        match self {
            PrincipalKind::User => "user",
            PrincipalKind::Team => "team",
            PrincipalKind::Role => "role",
            PrincipalKind::Account => "account",
        }
    }

    /// The kind named `name` (exact, case-sensitive), if any.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(orgperm::PrincipalKind::parse("user"), Some(orgperm::PrincipalKind::User));
    /// ```
    pub fn parse(name: &str) -> Option<PrincipalKind> {
        PrincipalKind::ALL.into_iter().find(|k| k.as_str() == name)
    }
}

impl fmt::Display for PrincipalKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One entry of an access list: a principal and the verbs granted to it.
///
/// # Examples
///
/// ```
/// use orgperm::{AccessEntry, ItemVerbs, PrincipalKind};
/// let e = AccessEntry::team("sales", ItemVerbs::READ).including_subteams();
/// assert_eq!((e.kind, e.principal_id.as_str(), e.include_subteams), (PrincipalKind::Team, "sales", true));
/// let everyone = AccessEntry::account(ItemVerbs::READ);
/// assert_eq!(everyone.kind, PrincipalKind::Account);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct AccessEntry {
    /// The principal's kind.
    pub kind: PrincipalKind,
    /// A user, team or role id; for [`PrincipalKind::Account`] the account id, kept as
    /// given and not checked.
    pub principal_id: String,
    /// For a team: members of every sub-team count too. Only valid on team entries.
    pub include_subteams: bool,
    /// The verbs granted.
    pub grant: ItemVerbs,
}

impl AccessEntry {
    /// An entry of any kind.
    pub fn new(kind: PrincipalKind, principal_id: impl Into<String>, grant: ItemVerbs) -> Self {
        Self {
            kind,
            principal_id: principal_id.into(),
            include_subteams: false,
            grant,
        }
    }

    /// An entry granting `grant` to one user.
    pub fn user(id: impl Into<String>, grant: ItemVerbs) -> Self {
        Self::new(PrincipalKind::User, id, grant)
    }

    /// An entry granting `grant` to the direct members of a team (see
    /// [`including_subteams`](AccessEntry::including_subteams)).
    pub fn team(id: impl Into<String>, grant: ItemVerbs) -> Self {
        Self::new(PrincipalKind::Team, id, grant)
    }

    /// An entry granting `grant` to the holders of a role.
    pub fn role(id: impl Into<String>, grant: ItemVerbs) -> Self {
        Self::new(PrincipalKind::Role, id, grant)
    }

    /// An entry granting `grant` to every active user, with an empty account id.
    pub fn account(grant: ItemVerbs) -> Self {
        Self::new(PrincipalKind::Account, "", grant)
    }

    /// The same entry, counting the members of every sub-team too.
    pub fn including_subteams(mut self) -> Self {
        self.include_subteams = true;
        self
    }
}

/// An item's access list: `{inherits, permissions}`.
///
/// With `inherits = false` the item's own entries decide. With `inherits = true` the item
/// takes its parent's effective list as it is: its own entries are kept in the model and
/// exported, but not evaluated. An item without a parent (a session, insight board or
/// dashboard) that says `inherits = true` is treated as having no list.
///
/// # Examples
///
/// ```
/// use orgperm::{AccessEntry, AccessSpec, ItemVerbs};
/// let own = AccessSpec::new([AccessEntry::account(ItemVerbs::READ)]);
/// assert!(!own.inherits);
/// let inherit = AccessSpec::inheriting();
/// assert!(inherit.inherits && inherit.permissions.is_empty());
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct AccessSpec {
    /// Take the parent's effective list instead of the own entries.
    pub inherits: bool,
    /// The entries.
    pub permissions: Vec<AccessEntry>,
}

impl AccessSpec {
    /// A list of its own (`inherits = false`).
    pub fn new(permissions: impl IntoIterator<Item = AccessEntry>) -> Self {
        Self {
            inherits: false,
            permissions: permissions.into_iter().collect(),
        }
    }

    /// An inheriting list without entries.
    pub fn inheriting() -> Self {
        Self {
            inherits: true,
            permissions: Vec::new(),
        }
    }

    /// The same list with one more entry.
    pub fn with(mut self, entry: AccessEntry) -> Self {
        self.permissions.push(entry);
        self
    }
}

/// The global actions of the roles layer that gate one item type: a verb from an access
/// list counts only when the user also holds the matching action (`read` needs `access`,
/// every other verb needs `manage`). An action that is not in the action catalog gates its
/// verbs off for everybody (fail closed).
///
/// # Examples
///
/// ```
/// use orgperm::{ItemGate, ItemType};
/// let g = ItemGate::default_for(ItemType::Goal);
/// assert_eq!((g.access.as_str(), g.manage.as_str()), ("access-goals", "manage-goals"));
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ItemGate {
    /// The action `read` needs.
    pub access: String,
    /// The action update, create, delete and modifyPermissions need.
    pub manage: String,
}

impl ItemGate {
    /// A gate of two action names.
    pub fn new(access: impl Into<String>, manage: impl Into<String>) -> Self {
        Self {
            access: access.into(),
            manage: manage.into(),
        }
    }

    /// The gate a model starts with: `access-sessions`/`manage-sessions`,
    /// `access-goals`/`manage-goals`, `access-metrics`/`manage-metrics`,
    /// `access-insightboards`/`manage-insightboards`, `access-dashboards`/`manage-dashboards`.
    pub fn default_for(item_type: ItemType) -> Self {
        let plural = match item_type {
            ItemType::Session => "sessions",
            ItemType::Goal => "goals",
            ItemType::Metric => "metrics",
            ItemType::InsightBoard => "insightboards",
            ItemType::Dashboard => "dashboards",
        };
        Self::new(format!("access-{plural}"), format!("manage-{plural}"))
    }
}

/// A validated principal, in dense ids.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum StoredPrincipal {
    User(UserId),
    Team {
        team: TeamId,
        sub_teams: bool,
    },
    Role(RoleId),
    /// The account id as given.
    Account(Box<str>),
}

/// A validated entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct StoredEntry {
    pub(crate) principal: StoredPrincipal,
    pub(crate) grant: ItemVerbs,
}

/// A validated access list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct StoredAccess {
    pub(crate) inherits: bool,
    pub(crate) entries: Vec<StoredEntry>,
}
