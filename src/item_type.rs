//! The kind of a Quantive item: part of the shared vocabulary because errors name it as well
//! as the items family.

use core::fmt;

/// The kind of a Quantive item.
///
/// Goals live in a session and metrics in a goal; sessions, insight boards and dashboards
/// have no parent. The names are the vendor's programmatic names.
///
/// # Examples
///
/// ```
/// use orgperm::ItemType;
/// assert_eq!(ItemType::parse("insightBoard"), Some(ItemType::InsightBoard));
/// assert_eq!(ItemType::Metric.parent_type(), Some(ItemType::Goal));
/// assert_eq!(ItemType::Goal.to_string(), "goal");
/// assert_eq!(ItemType::parse("Goal"), None); // names are case-sensitive
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ItemType {
    /// A session (an OKR cycle): goals live in it.
    Session,
    /// A goal, in a session.
    Goal,
    /// A metric (key result), in a goal.
    Metric,
    /// An insight board.
    InsightBoard,
    /// A dashboard.
    Dashboard,
}

impl ItemType {
    /// Every item type, in a fixed order.
    pub const ALL: [ItemType; 5] = [
        ItemType::Session,
        ItemType::Goal,
        ItemType::Metric,
        ItemType::InsightBoard,
        ItemType::Dashboard,
    ];

    /// Number of item types.
    pub(crate) const COUNT: usize = 5;

    /// The vendor's name: `session`, `goal`, `metric`, `insightBoard`, `dashboard`.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(orgperm::ItemType::InsightBoard.as_str(), "insightBoard");
    /// ```
    pub const fn as_str(self) -> &'static str {
        match self {
            ItemType::Session => "session",
            ItemType::Goal => "goal",
            ItemType::Metric => "metric",
            ItemType::InsightBoard => "insightBoard",
            ItemType::Dashboard => "dashboard",
        }
    }

    /// The type named `name` (exact, case-sensitive), if any.
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::ItemType;
    /// assert_eq!(ItemType::parse("dashboard"), Some(ItemType::Dashboard));
    /// assert_eq!(ItemType::parse("foo"), None);
    /// ```
    #[inline]
    pub fn parse(name: &str) -> Option<ItemType> {
        match name {
            "session" => Some(ItemType::Session),
            "goal" => Some(ItemType::Goal),
            "metric" => Some(ItemType::Metric),
            "insightBoard" => Some(ItemType::InsightBoard),
            "dashboard" => Some(ItemType::Dashboard),
            _ => None,
        }
    }

    /// The type an item of this type must have as parent: a goal's is a session, a
    /// metric's a goal; the other types have no parent.
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::ItemType;
    /// assert_eq!(ItemType::Goal.parent_type(), Some(ItemType::Session));
    /// assert_eq!(ItemType::Dashboard.parent_type(), None);
    /// ```
    pub const fn parent_type(self) -> Option<ItemType> {
        match self {
            ItemType::Goal => Some(ItemType::Session),
            ItemType::Metric => Some(ItemType::Goal),
            _ => None,
        }
    }

    /// Whether items of this type may carry a per-item default access list (sessions and
    /// dashboards, as in the vendor's `default-access/{itemType}/{itemId}` endpoint).
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::ItemType;
    /// assert!(ItemType::Session.has_item_default());
    /// assert!(!ItemType::Goal.has_item_default());
    /// ```
    pub const fn has_item_default(self) -> bool {
        matches!(self, ItemType::Session | ItemType::Dashboard)
    }

    /// The target type of `currentUser-allowedActions` named `name`: `metric`, `goal`,
    /// `session` or `insightBoard`. Any other string, `dashboard` included (the vendor's
    /// endpoint does not list it), is `None`.
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::ItemType;
    /// assert_eq!(ItemType::parse_target("metric"), Some(ItemType::Metric));
    /// assert_eq!(ItemType::parse_target("dashboard"), None);
    /// ```
    #[inline]
    pub fn parse_target(name: &str) -> Option<ItemType> {
        match name {
            "metric" => Some(ItemType::Metric),
            "goal" => Some(ItemType::Goal),
            "session" => Some(ItemType::Session),
            "insightBoard" => Some(ItemType::InsightBoard),
            _ => None,
        }
    }

    /// Position in [`ItemType::ALL`].
    #[inline]
    pub(crate) const fn index(self) -> usize {
        self as usize
    }

    /// The type at position `i` of [`ItemType::ALL`].
    pub(crate) fn from_index(i: usize) -> Option<ItemType> {
        ItemType::ALL.get(i).copied()
    }
}

impl fmt::Display for ItemType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
