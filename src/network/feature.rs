//! Composite features: a named set of network permissions that must all be held.

/// A feature of Symphony Connect that needs several network permissions at once.
///
/// The built-in ones follow the vendor's documentation; a host may define more with
/// [`NetworkFeature::new`].
///
/// # Examples
///
/// ```
/// use orgperm::NetworkFeature;
/// assert_eq!(
///     NetworkFeature::ADMIN_TAB_OFFBOARDING.requires(),
///     ["admin:list-customers", "on-behalf:simple-offboard"]
/// );
/// const MY: NetworkFeature = NetworkFeature::new("broadcast", &["create:room", "send:broadcast"]);
/// assert_eq!(MY.name(), "broadcast");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct NetworkFeature {
    name: &'static str,
    requires: &'static [&'static str],
}

impl NetworkFeature {
    /// Off-boarding a customer from the admin tab: needs `admin:list-customers` and
    /// `on-behalf:simple-offboard`.
    pub const ADMIN_TAB_OFFBOARDING: NetworkFeature = NetworkFeature::new(
        "admin-tab-offboarding",
        &["admin:list-customers", "on-behalf:simple-offboard"],
    );

    /// Adding contacts of several companies to a room: needs `add:multi-company-contact` and
    /// `create:room`.
    pub const MULTI_COMPANY_CONTACT: NetworkFeature = NetworkFeature::new(
        "multi-company-contact",
        &["add:multi-company-contact", "create:room"],
    );

    /// Creating a room with contacts of one company: needs `create:room`.
    pub const CREATE_ROOM: NetworkFeature = NetworkFeature::new("create-room", &["create:room"]);

    /// A feature needing every permission in `requires`.
    pub const fn new(name: &'static str, requires: &'static [&'static str]) -> Self {
        Self { name, requires }
    }

    /// The feature's name.
    pub const fn name(&self) -> &'static str {
        self.name
    }

    /// The permissions it needs.
    pub const fn requires(&self) -> &'static [&'static str] {
        self.requires
    }
}
