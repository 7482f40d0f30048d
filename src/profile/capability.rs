//! Boolean capabilities of a profile ("page gates" such as `callsAndSearch`), interned to bit
//! positions. The names the vendor documents come first, in a fixed order, so each has a
//! constant; any other name a tenant returns is kept and interned after them.

use crate::id::{DenseId, Interner};

/// A boolean capability of a permission profile, such as [`Capability::SCORE_CALLS`].
///
/// The constants cover the names the vendor documents; an unknown name is interned when a
/// profile carries it and found with [`Snapshot::capability_id`](crate::Snapshot::capability_id).
///
/// # Examples
///
/// ```
/// use orgperm::Capability;
/// assert_eq!(Capability::SCORE_CALLS.name(), Some("scoreCalls"));
/// assert_eq!(Capability::from_name("callsAndSearch"), Some(Capability::CALLS_AND_SEARCH));
/// assert_eq!(Capability::from_name("somethingNew"), None); // not a documented name
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
#[repr(transparent)]
pub struct Capability(u32);

impl DenseId for Capability {
    #[inline]
    fn from_index(index: u32) -> Self {
        Self(index)
    }
    #[inline]
    fn index(self) -> u32 {
        self.0
    }
}

impl crate::id::key::DenseKey for Capability {
    const LABEL: &'static str = "capability";
}

impl crate::id::key::sealed::Sealed for Capability {}

impl crate::id::key::Key<Capability> for Capability {
    #[inline(always)]
    fn resolve(&self, _: &Interner<Capability>) -> Option<Capability> {
        Some(*self)
    }
    fn describe(&self) -> String {
        format!("capability #{}", self.0)
    }
}

macro_rules! known_capabilities {
    ($($konst:ident = $idx:literal : $name:literal,)*) => {
        impl Capability {
            $(
                #[doc = concat!("`", $name, "`")]
                pub const $konst: Capability = Capability($idx);
            )*
        }
        /// The documented capability names, in the order of their constants.
        pub(crate) const KNOWN: &[&str] = &[$($name),*];
    };
}

known_capabilities! {
    SCORE_CALLS = 0: "scoreCalls",
    OVERRIDE_SCORE = 1: "overrideScore",
    DOWNLOAD_CALL_MEDIA = 2: "downloadCallMedia",
    SHARE_CALLS_WITH_CUSTOMERS = 3: "shareCallsWithCustomers",
    MANUALLY_SCHEDULE_AND_UPLOAD_CALLS = 4: "manuallyScheduleAndUploadCalls",
    PRIVATE_CALLS = 5: "privateCalls",
    DELETE_CALLS = 6: "deleteCalls",
    TRIM_CALLS = 7: "trimCalls",
    LISTEN_IN_CALLS = 8: "listenInCalls",
    DELETE_EMAILS = 9: "deleteEmails",
    CALLS_AND_SEARCH = 10: "callsAndSearch",
    LIBRARY = 11: "library",
    DEALS = 12: "deals",
    CREATE_EDIT_AND_DELETE_DEALS_BOARDS = 13: "createEditAndDeleteDealsBoards",
    DEALS_INLINE_EDITING = 14: "dealsInlineEditing",
    ACCOUNT = 15: "account",
    COACHING = 16: "coaching",
    USAGE = 17: "usage",
    TEAM_STATS = 18: "teamStats",
    INITIATIVES = 19: "initiatives",
    MARKET = 20: "market",
    ACTIVITY = 21: "activity",
    FORECAST = 22: "forecast",
    FORECAST_MANAGE = 23: "forecastManage",
    ENGAGE_MANAGE_COMPANY_TEMPLATES = 24: "engageManageCompanyTemplates",
    ENGAGE_MANAGE_COMPANY_SEQUENCES = 25: "engageManageCompanySequences",
    ENGAGE_CREATE_AND_MANAGE_RULESETS = 26: "engageCreateAndManageRulesets",
    ENGAGE_SNOOZE_FLOW_TO_DOS_FOR_OTHERS = 27: "engageSnoozeFlowToDosForOthers",
    ENGAGE_ALLOW_CRM_FIELDS_VIEW_CHANGE = 28: "engageAllowCrmFieldsViewChange",
    VIEW_ENGAGE_ANALYTICS_ACTIVITY = 29: "viewEngageAnalyticsActivity",
    VIEW_ENGAGE_ANALYTICS_PERFORMANCE = 30: "viewEngageAnalyticsPerformance",
    VIEW_ENGAGE_ANALYTICS_FLOWS = 31: "viewEngageAnalyticsFlows",
    MANAGE_GENERAL_BUSINESS_SETTINGS = 32: "manageGeneralBusinessSettings",
    MANAGE_SCORECARDS = 33: "manageScorecards",
    EXPORT_CALLS_AND_COACHING_DATA_TO_CSV = 34: "exportCallsAndCoachingDataToCSV",
    CRM_DATA_INLINE_EDITING = 35: "crmDataInlineEditing",
    CRM_DATA_IMPORT = 36: "crmDataImport",
    VIEW_REVENUE_ANALYTICS = 37: "viewRevenueAnalytics",
    MANAGE_REVENUE_ANALYTICS = 38: "manageRevenueAnalytics",
    ENGAGE_REASSIGN_FLOW_TO_DOS_TO_OTHERS = 39: "engageReassignFlowToDosToOthers",
    ENGAGE_ASSIGN_FLOW_TO_DOS_TO_OTHERS = 40: "engageAssignFlowToDosToOthers",
    DEALS_DATA_EXPORT = 41: "dealsDataExport",
}

impl Capability {
    /// The documented capability with this name (unknown names need a
    /// [`Snapshot`](crate::Snapshot), which knows what its profiles carried).
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(orgperm::Capability::from_name("deals"), Some(orgperm::Capability::DEALS));
    /// ```
    pub fn from_name(name: &str) -> Option<Capability> {
        KNOWN
            .iter()
            .position(|&k| k == name)
            .map(|i| Capability(i as u32))
    }

    /// The 42 documented capability names, in the order of their constants.
    ///
    /// # Examples
    ///
    /// ```
    /// let names = orgperm::Capability::documented();
    /// assert_eq!(names.len(), 42);
    /// assert!(names.contains(&"scoreCalls"));
    /// ```
    pub fn documented() -> &'static [&'static str] {
        KNOWN
    }

    /// The documented name of this capability, `None` for a tenant-specific one.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(orgperm::Capability::DEALS.name(), Some("deals"));
    /// ```
    pub fn name(self) -> Option<&'static str> {
        KNOWN.get(self.0 as usize).copied()
    }

    /// The dense index of this capability (its bit position).
    pub const fn as_u32(self) -> u32 {
        self.0
    }
}

/// The capability names of a model: the documented ones, then any others in order of arrival.
pub(crate) fn known_table() -> Interner<Capability> {
    let mut t = Interner::default();
    for name in KNOWN {
        // The documented names are distinct and few: interning cannot fail.
        let _ = t.intern(name);
    }
    t
}
