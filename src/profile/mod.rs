//! Permission profiles (Gong-style): scoped access levels per data domain, library folder
//! access and boolean capabilities.
//!
//! [`ProfileSpec`] is the editable, external-id form; the model validates it into a
//! `StoredProfile` that holds dense ids, which the snapshot compiles.

pub(crate) mod capability;
pub(crate) mod compiled;
pub(crate) mod doc;
pub(crate) mod error;
pub(crate) mod query;
mod reason;
pub(crate) mod scope;
pub(crate) mod store;
pub(crate) mod viewer;

pub use reason::ProfileReason;

use std::collections::BTreeMap;
use std::fmt;

use hashbrown::HashMap;
use smallvec::SmallVec;

use crate::error::InputErrorKind;
use crate::id::FolderId;
use crate::id::{Interner, UserId, WorkspaceId};
use crate::org::directory::Directory;
use crate::org::error::OrgErrorKind;
use crate::org::workspace::Workspaces;
use crate::profile::capability::Capability;
use crate::profile::error::{ProfileError, ProfileErrorKind};

/// How far a profile reaches into other users' data in one domain.
///
/// | level | viewer `v` may access owner `o`'s data when |
/// |---|---|
/// | `all` | always |
/// | `managers-team`, with `teamLeadIds` | `o == v`, or `o` is in the subtree of a listed lead |
/// | `managers-team`, no leads | `o` is in the subtree of `v`'s manager (of `v` if `v` has none) |
/// | `report-to-them` | `o` is in the subtree of `v` (leads ignored) |
/// | `own` | `o == v` |
/// | `none` | never |
///
/// A subtree holds a user and everyone reporting to them, directly or not.
///
/// # Examples
///
/// ```
/// use orgperm::Level;
/// assert_eq!(Level::parse("report-to-them"), Some(Level::ReportToThem));
/// assert_eq!(Level::ManagersTeam.as_str(), "managers-team");
/// // The vendor document's combined string is not a level.
/// assert_eq!(Level::parse("all / managers-team / report-to-them / own / none"), None);
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug, Default)]
pub enum Level {
    /// Everyone's data.
    All,
    /// The team of the viewer's manager, or of the listed team leads.
    ManagersTeam,
    /// The viewer and everyone reporting to them.
    ReportToThem,
    /// The viewer's own data.
    Own,
    /// Nothing.
    #[default]
    None,
}

impl Level {
    /// The five levels.
    pub const ALL: [Level; 5] = [
        Level::All,
        Level::ManagersTeam,
        Level::ReportToThem,
        Level::Own,
        Level::None,
    ];

    /// The level's wire name.
    pub const fn as_str(self) -> &'static str {
        match self {
            Level::All => "all",
            Level::ManagersTeam => "managers-team",
            Level::ReportToThem => "report-to-them",
            Level::Own => "own",
            Level::None => "none",
        }
    }

    /// Parses a wire name; anything but the five exact names is `None`.
    pub fn parse(s: &str) -> Option<Level> {
        Level::ALL.into_iter().find(|l| l.as_str() == s)
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A data domain with its own scoped access in a profile.
///
/// # Examples
///
/// ```
/// use orgperm::Domain;
/// assert_eq!(Domain::Calls.field(), "callsAccess");
/// assert_eq!(Domain::ForecastEditTargets.path(), "forecastPermissions.forecastEditTargets");
/// assert_eq!(Domain::ALL.len(), 9);
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub enum Domain {
    /// `callsAccess`
    Calls,
    /// `dealsAccess`
    Deals,
    /// `emailsAccess`
    Emails,
    /// `coachingAccess`
    Coaching,
    /// `insightsAccess`
    Insights,
    /// `usageAccess`
    Usage,
    /// `forecastPermissions.forecastAccess`
    Forecast,
    /// `forecastPermissions.forecastEditSubmissions`
    ForecastEditSubmissions,
    /// `forecastPermissions.forecastEditTargets`
    ForecastEditTargets,
}

impl Domain {
    /// Number of domains.
    pub const COUNT: usize = 9;

    /// The nine domains, in index order.
    pub const ALL: [Domain; 9] = [
        Domain::Calls,
        Domain::Deals,
        Domain::Emails,
        Domain::Coaching,
        Domain::Insights,
        Domain::Usage,
        Domain::Forecast,
        Domain::ForecastEditSubmissions,
        Domain::ForecastEditTargets,
    ];

    /// The domain's field name in the profile DTO.
    pub const fn field(self) -> &'static str {
        match self {
            Domain::Calls => "callsAccess",
            Domain::Deals => "dealsAccess",
            Domain::Emails => "emailsAccess",
            Domain::Coaching => "coachingAccess",
            Domain::Insights => "insightsAccess",
            Domain::Usage => "usageAccess",
            Domain::Forecast => "forecastAccess",
            Domain::ForecastEditSubmissions => "forecastEditSubmissions",
            Domain::ForecastEditTargets => "forecastEditTargets",
        }
    }

    /// The field's path from the profile DTO's root.
    pub const fn path(self) -> &'static str {
        match self {
            Domain::Forecast => "forecastPermissions.forecastAccess",
            Domain::ForecastEditSubmissions => "forecastPermissions.forecastEditSubmissions",
            Domain::ForecastEditTargets => "forecastPermissions.forecastEditTargets",
            other => other.field(),
        }
    }

    /// The domain's index, `0..9`.
    #[inline]
    pub const fn index(self) -> usize {
        self as usize
    }
}

/// A scoped access object `{permissionLevel, teamLeadIds}`.
///
/// # Examples
///
/// ```
/// use orgperm::{Level, ScopedAccess};
/// let a = ScopedAccess::with_leads(Level::ManagersTeam, ["42"]);
/// assert_eq!(a.team_lead_ids, vec!["42".to_string()]);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct ScopedAccess {
    /// The level.
    pub level: Level,
    /// Team leads for `managers-team`; accepted and ignored on the other levels.
    pub team_lead_ids: Vec<String>,
}

impl ScopedAccess {
    /// A level without leads.
    pub fn new(level: Level) -> Self {
        Self {
            level,
            team_lead_ids: Vec::new(),
        }
    }

    /// A level with team leads (external user ids).
    pub fn with_leads<S: Into<String>>(level: Level, leads: impl IntoIterator<Item = S>) -> Self {
        Self {
            level,
            team_lead_ids: leads.into_iter().map(Into::into).collect(),
        }
    }
}

/// Library folder access level.
///
/// # Examples
///
/// ```
/// use orgperm::LibraryLevel;
/// assert_eq!(LibraryLevel::parse("specific-folders"), Some(LibraryLevel::SpecificFolders));
/// assert_eq!(LibraryLevel::parse("none, all, specific-folders"), None);
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Default)]
pub enum LibraryLevel {
    /// No folder.
    #[default]
    None,
    /// Every folder of the workspace.
    All,
    /// The listed folders.
    SpecificFolders,
}

impl LibraryLevel {
    /// The wire name.
    pub const fn as_str(self) -> &'static str {
        match self {
            LibraryLevel::None => "none",
            LibraryLevel::All => "all",
            LibraryLevel::SpecificFolders => "specific-folders",
        }
    }

    /// Parses a wire name.
    pub fn parse(s: &str) -> Option<LibraryLevel> {
        [
            LibraryLevel::None,
            LibraryLevel::All,
            LibraryLevel::SpecificFolders,
        ]
        .into_iter()
        .find(|l| l.as_str() == s)
    }
}

/// One of the four manage flags of library folder access.
///
/// # Examples
///
/// ```
/// assert_eq!(orgperm::LibraryFlag::ManageStreams.field(), "manageStreams");
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum LibraryFlag {
    /// `managePublicFolder`
    ManagePublicFolder,
    /// `manageStreams`
    ManageStreams,
    /// `manageFolderCalls`
    ManageFolderCalls,
    /// `shareFoldersAndStreams`
    ShareFoldersAndStreams,
}

impl LibraryFlag {
    /// The four flags.
    pub const ALL: [LibraryFlag; 4] = [
        LibraryFlag::ManagePublicFolder,
        LibraryFlag::ManageStreams,
        LibraryFlag::ManageFolderCalls,
        LibraryFlag::ShareFoldersAndStreams,
    ];

    /// The DTO field name.
    pub const fn field(self) -> &'static str {
        match self {
            LibraryFlag::ManagePublicFolder => "managePublicFolder",
            LibraryFlag::ManageStreams => "manageStreams",
            LibraryFlag::ManageFolderCalls => "manageFolderCalls",
            LibraryFlag::ShareFoldersAndStreams => "shareFoldersAndStreams",
        }
    }

    pub(crate) const fn bit(self) -> u8 {
        1 << (self as u8)
    }
}

/// `libraryFolderAccess`: a level, folder ids and four manage flags.
///
/// # Examples
///
/// ```
/// use orgperm::{LibraryAccess, LibraryFlag, LibraryLevel};
/// let lib = LibraryAccess::specific(["wins"]).with_flag(LibraryFlag::ManageStreams);
/// assert_eq!(lib.level, LibraryLevel::SpecificFolders);
/// assert!(lib.flag(LibraryFlag::ManageStreams));
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct LibraryAccess {
    /// The level (mandatory in the DTO).
    pub level: LibraryLevel,
    /// Folder ids, for `specific-folders`.
    pub folder_ids: Vec<String>,
    /// `managePublicFolder`
    pub manage_public_folder: bool,
    /// `manageStreams`
    pub manage_streams: bool,
    /// `manageFolderCalls`
    pub manage_folder_calls: bool,
    /// `shareFoldersAndStreams`
    pub share_folders_and_streams: bool,
}

impl LibraryAccess {
    /// Access to every folder of the workspace.
    pub fn all() -> Self {
        Self {
            level: LibraryLevel::All,
            ..Self::default()
        }
    }

    /// Access to the listed folders.
    pub fn specific<S: Into<String>>(folders: impl IntoIterator<Item = S>) -> Self {
        Self {
            level: LibraryLevel::SpecificFolders,
            folder_ids: folders.into_iter().map(Into::into).collect(),
            ..Self::default()
        }
    }

    /// The same access with `flag` set.
    pub fn with_flag(mut self, flag: LibraryFlag) -> Self {
        *self.flag_mut(flag) = true;
        self
    }

    /// Whether `flag` is set.
    pub fn flag(&self, flag: LibraryFlag) -> bool {
        match flag {
            LibraryFlag::ManagePublicFolder => self.manage_public_folder,
            LibraryFlag::ManageStreams => self.manage_streams,
            LibraryFlag::ManageFolderCalls => self.manage_folder_calls,
            LibraryFlag::ShareFoldersAndStreams => self.share_folders_and_streams,
        }
    }

    /// The flag as a mutable field.
    pub fn flag_mut(&mut self, flag: LibraryFlag) -> &mut bool {
        match flag {
            LibraryFlag::ManagePublicFolder => &mut self.manage_public_folder,
            LibraryFlag::ManageStreams => &mut self.manage_streams,
            LibraryFlag::ManageFolderCalls => &mut self.manage_folder_calls,
            LibraryFlag::ShareFoldersAndStreams => &mut self.share_folders_and_streams,
        }
    }

    fn flag_bits(&self) -> u8 {
        LibraryFlag::ALL
            .into_iter()
            .filter(|&f| self.flag(f))
            .fold(0, |bits, f| bits | f.bit())
    }
}

/// A permission profile as it is created, read and updated, with external ids.
///
/// Every domain starts at [`Level::None`], the library at [`LibraryLevel::None`] and no
/// capability is set: a fresh profile grants nothing.
///
/// # Examples
///
/// ```
/// use orgperm::{Capability, Domain, Level, Model, ProfileSpec};
/// let mut model = Model::new();
/// model.add_user("lead", None).unwrap();
/// let spec = ProfileSpec::new("p1", "Team view")
///     .with_level(Domain::Calls, Level::ReportToThem)
///     .with_leads(Domain::Deals, Level::ManagersTeam, ["lead"])
///     .with_capability("scoreCalls", true)
///     .with_capability("tenantSpecificFlag", true);
/// model.create_profile(spec).unwrap();
/// assert_eq!(model.profile("p1").unwrap().access(Domain::Calls).level, Level::ReportToThem);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProfileSpec {
    /// External id.
    pub id: String,
    /// Name (required, non-empty).
    pub name: String,
    /// Description.
    pub description: String,
    /// The workspace; `None` is the default workspace.
    pub workspace: Option<String>,
    /// Scoped access per domain, indexed by [`Domain::index`].
    pub access: [ScopedAccess; Domain::COUNT],
    /// Library folder access.
    pub library: LibraryAccess,
    /// Boolean capabilities by name, documented and unknown alike, `false` ones kept.
    pub capabilities: BTreeMap<String, bool>,
}

impl ProfileSpec {
    /// A profile that grants nothing, in the default workspace.
    pub fn new(id: impl Into<String>, name: impl Into<String>) -> Self {
        Self {
            id: id.into(),
            name: name.into(),
            description: String::new(),
            workspace: None,
            access: Default::default(),
            library: LibraryAccess::default(),
            capabilities: BTreeMap::new(),
        }
    }

    /// The same profile in another workspace.
    pub fn in_workspace(mut self, workspace: impl Into<String>) -> Self {
        self.workspace = Some(workspace.into());
        self
    }

    /// The same profile with a description.
    pub fn with_description(mut self, description: impl Into<String>) -> Self {
        self.description = description.into();
        self
    }

    /// The same profile with `domain` at `level`, without leads.
    pub fn with_level(mut self, domain: Domain, level: Level) -> Self {
        *self.access_mut(domain) = ScopedAccess::new(level);
        self
    }

    /// The same profile with every domain at `level`.
    pub fn with_all_levels(mut self, level: Level) -> Self {
        for d in Domain::ALL {
            *self.access_mut(d) = ScopedAccess::new(level);
        }
        self
    }

    /// The same profile with `domain` at `level` with team leads (external user ids).
    pub fn with_leads<S: Into<String>>(
        mut self,
        domain: Domain,
        level: Level,
        leads: impl IntoIterator<Item = S>,
    ) -> Self {
        *self.access_mut(domain) = ScopedAccess::with_leads(level, leads);
        self
    }

    /// The same profile with a capability set to `on`.
    pub fn with_capability(mut self, name: impl Into<String>, on: bool) -> Self {
        self.capabilities.insert(name.into(), on);
        self
    }

    /// The same profile with this library access.
    pub fn with_library(mut self, library: LibraryAccess) -> Self {
        self.library = library;
        self
    }

    /// The scoped access of a domain.
    pub fn access(&self, domain: Domain) -> &ScopedAccess {
        let [
            calls,
            deals,
            emails,
            coaching,
            insights,
            usage,
            forecast,
            submissions,
            targets,
        ] = &self.access;
        match domain {
            Domain::Calls => calls,
            Domain::Deals => deals,
            Domain::Emails => emails,
            Domain::Coaching => coaching,
            Domain::Insights => insights,
            Domain::Usage => usage,
            Domain::Forecast => forecast,
            Domain::ForecastEditSubmissions => submissions,
            Domain::ForecastEditTargets => targets,
        }
    }

    /// The scoped access of a domain, mutable.
    pub fn access_mut(&mut self, domain: Domain) -> &mut ScopedAccess {
        let [
            calls,
            deals,
            emails,
            coaching,
            insights,
            usage,
            forecast,
            submissions,
            targets,
        ] = &mut self.access;
        match domain {
            Domain::Calls => calls,
            Domain::Deals => deals,
            Domain::Emails => emails,
            Domain::Coaching => coaching,
            Domain::Insights => insights,
            Domain::Usage => usage,
            Domain::Forecast => forecast,
            Domain::ForecastEditSubmissions => submissions,
            Domain::ForecastEditTargets => targets,
        }
    }
}

/// A validated profile with dense ids, as the model keeps it.
#[derive(Clone, Debug)]
pub(crate) struct StoredProfile {
    pub(crate) spec: ProfileSpec,
    pub(crate) workspace: WorkspaceId,
    /// Leads per domain, only where the level is `managers-team`.
    pub(crate) leads: [SmallVec<[UserId; 2]>; Domain::COUNT],
    /// Sorted, deduplicated folders for `specific-folders`.
    pub(crate) folders: SmallVec<[FolderId; 4]>,
    pub(crate) library_flags: u8,
    /// Capabilities set to `true`, sorted.
    pub(crate) capabilities: Vec<Capability>,
    /// Every user named in `teamLeadIds` on any level, sorted, with a bit per domain (in
    /// [`Domain::ALL`] order) naming them: what [`LeadIndex`] records.
    pub(crate) named_leads: Vec<(UserId, u16)>,
}

/// For each user, the profiles naming them in `teamLeadIds` (any domain, any level), so that
/// refusing to remove a lead costs O(log n) instead of a scan of every profile's lists.
#[derive(Clone, Debug, Default)]
pub(crate) struct LeadIndex {
    /// User -> profile index -> domains naming the user (a bit per domain).
    by_user: HashMap<UserId, BTreeMap<u32, u16>>,
}

impl LeadIndex {
    /// Records the leads of profile `p`.
    pub(crate) fn add(&mut self, p: u32, stored: &StoredProfile) {
        for &(u, mask) in &stored.named_leads {
            self.by_user.entry(u).or_default().insert(p, mask);
        }
    }

    /// Forgets the leads of profile `p`.
    pub(crate) fn remove(&mut self, p: u32, stored: &StoredProfile) {
        for &(u, _) in &stored.named_leads {
            if let Some(m) = self.by_user.get_mut(&u) {
                m.remove(&p);
                if m.is_empty() {
                    self.by_user.remove(&u);
                }
            }
        }
    }

    /// The first profile (by dense index) naming `u` as a lead, and the first domain (in
    /// [`Domain::ALL`] order) where it does.
    pub(crate) fn first(&self, u: UserId) -> Option<(u32, Domain)> {
        let (&p, &mask) = self.by_user.get(&u)?.iter().next()?;
        let d = Domain::ALL
            .into_iter()
            .enumerate()
            .find(|&(i, _)| mask >> i & 1 == 1)
            .map(|(_, d)| d)?;
        Some((p, d))
    }
}

impl StoredProfile {
    /// Validates `spec` against the directory and workspaces without changing anything.
    /// Capability names are interned by [`StoredProfile::intern_capabilities`] afterwards.
    pub(crate) fn validate(
        spec: ProfileSpec,
        dir: &Directory,
        workspaces: &Workspaces,
    ) -> Result<StoredProfile, ProfileError> {
        if spec.id.is_empty() {
            return Err(ProfileError::at("id", InputErrorKind::EmptyId));
        }
        if spec.name.trim().is_empty() {
            return Err(ProfileError::at("name", ProfileErrorKind::MissingName));
        }
        if spec.capabilities.contains_key("") {
            return Err(ProfileError::new(ProfileErrorKind::EmptyCapability));
        }
        let workspace = workspaces.resolve(spec.workspace.as_deref(), "workspaceId")?;
        let mut leads: [SmallVec<[UserId; 2]>; Domain::COUNT] = Default::default();
        // Every lead named, with its domains; also deduplicates the managers-team lists in
        // O(1) per lead (first occurrence kept, in order).
        let mut named: HashMap<UserId, u16> = HashMap::new();
        for (bit, (d, slot)) in Domain::ALL.into_iter().zip(leads.iter_mut()).enumerate() {
            let access = spec.access(d);
            // Leads are checked on every level (an unknown id is an error anywhere) but only
            // `managers-team` uses them.
            for (i, lead) in access.team_lead_ids.iter().enumerate() {
                let u = dir.active_id(lead).ok_or_else(|| {
                    ProfileError::at(
                        format!("{}.teamLeadIds[{i}]", d.path()),
                        OrgErrorKind::UnknownUser { id: lead.clone() },
                    )
                })?;
                let mask = named.entry(u).or_insert(0);
                let first_here = *mask >> bit & 1 == 0;
                *mask |= 1 << bit;
                if access.level == Level::ManagersTeam && first_here {
                    slot.push(u);
                }
            }
        }
        let lib = &spec.library;
        let mut folders: SmallVec<[FolderId; 4]> = SmallVec::new();
        for (i, f) in lib.folder_ids.iter().enumerate() {
            let at = || format!("libraryFolderAccess.libraryFolderIds[{i}]");
            let fid = workspaces.live_folder(f).ok_or_else(|| {
                ProfileError::at(at(), OrgErrorKind::UnknownFolder { id: f.clone() })
            })?;
            if workspaces.folder_workspace(fid) != Some(workspace) {
                return Err(ProfileError::at(
                    at(),
                    ProfileErrorKind::FolderOutsideWorkspace {
                        folder: f.clone(),
                        workspace: workspaces.name(workspace).to_owned(),
                    },
                ));
            }
            folders.push(fid);
        }
        folders.sort_unstable();
        folders.dedup();
        let flags = lib.flag_bits();
        match lib.level {
            LibraryLevel::None if !folders.is_empty() || flags != 0 => {
                return Err(ProfileError::at(
                    "libraryFolderAccess.permissionLevel",
                    ProfileErrorKind::LibraryNoneWithGrants,
                ));
            }
            LibraryLevel::SpecificFolders if folders.is_empty() => {
                return Err(ProfileError::at(
                    "libraryFolderAccess.libraryFolderIds",
                    ProfileErrorKind::SpecificFoldersEmpty,
                ));
            }
            _ => {}
        }
        if lib.level != LibraryLevel::SpecificFolders {
            folders.clear();
        }
        Ok(StoredProfile {
            spec,
            workspace,
            leads,
            folders,
            library_flags: flags,
            capabilities: Vec::new(),
            named_leads: {
                let mut v: Vec<(UserId, u16)> = named.into_iter().collect();
                v.sort_unstable();
                v
            },
        })
    }

    /// Interns the names of the capabilities set to `true`, the only step that touches the
    /// model, taken once validation has passed.
    pub(crate) fn intern_capabilities(
        &mut self,
        table: &mut Interner<Capability>,
    ) -> Result<(), ProfileError> {
        let mut caps = Vec::new();
        for (name, &on) in &self.spec.capabilities {
            if on {
                caps.push(table.intern(name)?.0);
            }
        }
        caps.sort_unstable();
        self.capabilities = caps;
        Ok(())
    }
}

/// Orders profiles as the vendor lists them: alphabetically by name, case-insensitively, with
/// exact name and id breaking ties so the order is total.
pub(crate) fn listing_order(a: &ProfileSpec, b: &ProfileSpec) -> std::cmp::Ordering {
    a.name
        .to_lowercase()
        .cmp(&b.name.to_lowercase())
        .then_with(|| a.name.cmp(&b.name))
        .then_with(|| a.id.cmp(&b.id))
}
