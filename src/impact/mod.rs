//! What-if impact: who gains and who loses access between two snapshots of one model.
//!
//! [`Impact::between`] compares two snapshots family by family; [`Engine::preview`]
//! (crate::Engine::preview) compiles a change set on a draft and compares it with the
//! current snapshot without applying it. Each family first finds what a change can reach —
//! the stores it wrote to (see `snapshot/sources.rs`), the profiles, roles, items and calls
//! whose compiled state differs, the subtrees whose members changed — and compares exact
//! answers only there, through the reverse queries, never by testing every (viewer, subject)
//! pair.

mod calls;
mod items;
mod lineage;
mod networks;
mod profiles;
mod rbac;
mod remap;

use core::fmt;

use roaring::RoaringBitmap;
use serde_json::{Value, json};

use crate::calls::CallSet;
use crate::id::id_set::IdSet;
use crate::id::{FolderId, UserId, WorkspaceId};
use crate::items::{ItemId, Verb};
use crate::network::{NetworkId, NetworkPermissionId};
use crate::org::user_set::UserSet;
use crate::profile::Domain;
use crate::profile::capability::Capability;
use crate::rbac::ids::{ActionId, DivisionId, PermissionId};
use crate::snapshot::Snapshot;

use self::calls::CallDelta;
use self::items::ItemDelta;
pub use self::lineage::LineageConflict;
use self::networks::NetworkDelta;
use self::profiles::ProfilesImpact;
use self::rbac::RbacImpact;
use self::remap::Remap;

/// Who gains and who loses access between two snapshots of one model, family by family.
///
/// Built by [`Impact::between`] or [`Engine::preview`](crate::Engine::preview). It holds both
/// snapshots (their compiled parts are shared, not copied) and, per change, the sets that
/// changed: memory proportional to what changed. Gained users are sets of the
/// [`after`](Impact::after) snapshot, lost users sets of the [`before`](Impact::before) one
/// (a lost user may have left the org). The rule that grants a gained access is the after
/// snapshot's explanation, the rule that granted a lost one the before snapshot's:
/// `impact.after().explain(viewer, domain, owner)` and `impact.before().explain(…)`.
///
/// What it lists, exactly the pairs whose forward check differs between the snapshots:
///
/// | family | entry | forward check |
/// |---|---|---|
/// | profiles | [`reach`](Impact::reach): (workspace, domain, viewer) → owners | [`Profiles::can_access`](crate::Profiles::can_access) |
/// | profiles | [`capabilities`](Impact::capabilities): (workspace, user) → capabilities | [`Profiles::has_capability`](crate::Profiles::has_capability) |
/// | profiles | [`folders`](Impact::folders): (workspace, user) → library folders | [`Profiles::can_access_folder`](crate::Profiles::can_access_folder) |
/// | roles | [`permissions`](Impact::permissions): (permission, no division) → users | [`Rbac::has_permission`](crate::Rbac::has_permission) |
/// | roles | [`permissions`](Impact::permissions): (division-aware permission, division) → users | [`Rbac::has_permission_on`](crate::Rbac::has_permission_on) without attributes |
/// | roles | [`actions`](Impact::actions): action → users | [`Rbac::has_action`](crate::Rbac::has_action) |
/// | calls | [`calls`](Impact::calls): (workspace, viewer) → calls | [`Calls::can_open`](crate::Calls::can_open) |
/// | items | [`items`](Impact::items): (item, verb) → users | [`Items::can`](crate::Items::can) |
/// | networks | [`networks`](Impact::networks): (network, permission) → advisors | [`Networks::has_permission`](crate::Networks::has_permission) |
///
/// Conditional role policies are checked per request against its attributes, so they are
/// not enumerated: a permission granted only under a condition counts as not held, as
/// `has_permission_on` without attributes answers.
///
/// # Examples
///
/// ```
/// use orgperm::{Domain, Impact, Level, Model, ProfileSpec};
/// let mut model = Model::new();
/// model.add_user("ceo", None)?;
/// model.add_user("vp", Some("ceo"))?;
/// model.add_user("rep", Some("vp"))?;
/// model.create_profile(ProfileSpec::new("m", "Managers").with_level(Domain::Calls, Level::ReportToThem))?;
/// model.assign_profile("vp", "m")?;
/// let before = model.compile();
/// model.update_profile(ProfileSpec::new("m", "Managers").with_level(Domain::Calls, Level::All))?;
/// let after = model.compile();
///
/// let impact = Impact::between(&before, &after);
/// let change = impact.reach().find(|c| c.domain == Domain::Calls).unwrap();
/// assert_eq!(change.viewer, "vp");
/// assert_eq!(change.gained.external_ids().collect::<Vec<_>>(), ["ceo"]);
/// assert!(change.lost.is_empty());
/// // Why vp now sees the ceo's calls: the after snapshot's rule.
/// assert!(impact.after().explain("vp", Domain::Calls, "ceo").allowed);
/// # Ok::<(), orgperm::ModelError>(())
/// ```
#[derive(Clone, Debug)]
pub struct Impact {
    before: Snapshot,
    after: Snapshot,
    profiles: ProfilesImpact,
    rbac: RbacImpact,
    calls: Vec<CallDelta>,
    items: Vec<ItemDelta>,
    networks: Vec<NetworkDelta>,
}

/// A viewer's change of reach in one (workspace, domain): the owners whose data they may now
/// access, and those they no longer may.
#[derive(Clone, Debug)]
pub struct ReachChange<'i> {
    /// The workspace's external id.
    pub workspace: &'i str,
    /// The domain.
    pub domain: Domain,
    /// The viewer's external id.
    pub viewer: &'i str,
    /// The viewer's dense id (the same in both snapshots).
    pub viewer_id: UserId,
    /// Owners gained (a set of the after snapshot).
    pub gained: UserSet<'i>,
    /// Owners lost (a set of the before snapshot).
    pub lost: UserSet<'i>,
}

/// A user's change of capabilities or library folders in one workspace.
#[derive(Clone, Debug)]
pub struct GrantChange<'i, T> {
    /// The workspace's external id.
    pub workspace: &'i str,
    /// The user's external id.
    pub user: &'i str,
    /// The user's dense id.
    pub user_id: UserId,
    /// Gained (named by the after snapshot).
    pub gained: T,
    /// Lost (named by the before snapshot).
    pub lost: T,
}

/// A change of the users holding one permission: anywhere (`division` is `None`) or, for a
/// division-aware permission, in one division.
#[derive(Clone, Debug)]
pub struct PermissionChange<'i> {
    /// The permission's name.
    pub permission: &'i str,
    /// The division's external id, for a per-division entry.
    pub division: Option<&'i str>,
    /// Users gained (after snapshot).
    pub gained: UserSet<'i>,
    /// Users lost (before snapshot).
    pub lost: UserSet<'i>,
}

/// A change of the users holding one action.
#[derive(Clone, Debug)]
pub struct ActionChange<'i> {
    /// The action's name.
    pub action: &'i str,
    /// Users gained (after snapshot).
    pub gained: UserSet<'i>,
    /// Users lost (before snapshot).
    pub lost: UserSet<'i>,
}

/// A viewer's change of the calls they may open in one workspace.
///
/// A viewer who gains (or loses) level `all` gains nearly every call of the workspace; the
/// impact keeps that as the workspace's shared set and the exceptions, so the counts cost
/// nothing and the sets are built only when asked for.
#[derive(Clone, Copy, Debug)]
pub struct CallChange<'i> {
    /// The workspace's external id.
    pub workspace: &'i str,
    /// The viewer's external id.
    pub viewer: &'i str,
    /// The viewer's dense id.
    pub viewer_id: UserId,
    impact: &'i Impact,
    delta: &'i CallDelta,
}

impl<'i> CallChange<'i> {
    /// How many calls were gained.
    pub fn gained_len(&self) -> u64 {
        let i = self.impact;
        self.delta
            .gained
            .len(&i.before, &i.after, self.delta.workspace)
    }

    /// How many calls were lost.
    pub fn lost_len(&self) -> u64 {
        let i = self.impact;
        self.delta
            .lost
            .len(&i.before, &i.after, self.delta.workspace)
    }

    /// The calls gained (named by the after snapshot).
    pub fn gained(&self) -> CallSet<'i> {
        let i = self.impact;
        let set = self
            .delta
            .gained
            .to_bitmap(&i.before, &i.after, self.delta.workspace);
        CallSet::new(set, &i.after.calls.ids)
    }

    /// The calls lost (named by the before snapshot).
    pub fn lost(&self) -> CallSet<'i> {
        let i = self.impact;
        let set = self
            .delta
            .lost
            .to_bitmap(&i.before, &i.after, self.delta.workspace);
        CallSet::new(set, &i.before.calls.ids)
    }
}

/// A change of the users who may perform one verb on one item.
#[derive(Clone, Debug)]
pub struct ItemChange<'i> {
    /// The item's external id.
    pub item: &'i str,
    /// The item's dense id.
    pub item_id: ItemId,
    /// The verb.
    pub verb: Verb,
    /// Users gained (after snapshot).
    pub gained: UserSet<'i>,
    /// Users lost (before snapshot).
    pub lost: UserSet<'i>,
}

/// A change of the advisors holding one permission on one network.
#[derive(Clone, Debug)]
pub struct NetworkChange<'i> {
    /// The network's name.
    pub network: &'i str,
    /// The permission's name.
    pub permission: &'i str,
    /// Advisors gained (after snapshot).
    pub gained: UserSet<'i>,
    /// Advisors lost (before snapshot).
    pub lost: UserSet<'i>,
}

/// One line of [`Impact::summary`]: what changed for one subject, with counts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SummaryLine {
    /// `reach`, `capabilities`, `folders`, `permission`, `action`, `calls`, `item` or
    /// `network`.
    pub kind: &'static str,
    /// Who or what changed, e.g. `vp callsAccess` or `routing:queue:view in emea`.
    pub subject: String,
    /// How many were gained.
    pub gained: u64,
    /// How many were lost.
    pub lost: u64,
}

fn name<I: crate::id::key::DenseKey>(interner: &crate::id::Interner<I>, id: I) -> &str {
    interner.name(id).unwrap_or("")
}

impl Impact {
    /// Compares two snapshots of one model lineage (the second compiled from the first's
    /// model after edits; dense ids are append-only, so both name the same objects the
    /// same way). The order decides the direction: gained is what `after` allows and
    /// `before` did not.
    ///
    /// Cost: nothing for a family whose stores neither snapshot changed (compared by the
    /// store versions they were compiled from); otherwise linear scans of per-user and
    /// per-object tables (profile assignments, user words, item records) to find what
    /// differs, then reverse queries for the profiles, roles, items and calls found, and
    /// O(users) to renumber positions when the org tree changed. The sets built are the
    /// ones that changed.
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{Impact, Model};
    /// let mut model = Model::new();
    /// model.add_user("ada", None)?;
    /// let snap = model.compile();
    /// assert!(Impact::between(&snap, &snap).is_empty());
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    pub fn between(before: &Snapshot, after: &Snapshot) -> Impact {
        let same = before.sources.compare(&after.sources);
        let org_same = std::sync::Arc::ptr_eq(&before.org, &after.org);
        let remap = Remap::new(&before.org, &after.org, org_same);
        let presence = if org_same {
            Vec::new()
        } else {
            remap::presence_changes(&before.org, &after.org)
        };
        let presence_changed = !presence.is_empty();

        let profiles = if org_same && same.profiles {
            ProfilesImpact::default()
        } else {
            let roots = (!org_same).then(|| profiles::changed_roots(&before.org, &after.org));
            profiles::diff(
                before,
                after,
                &remap,
                roots.as_ref(),
                presence_changed,
                !same.workspaces,
            )
        };
        let rbac = if same.rbac && !presence_changed {
            RbacImpact::default()
        } else {
            rbac::diff(before, after, &remap)
        };
        let calls = if org_same && same.calls && same.profiles {
            Vec::new()
        } else {
            let reach: Vec<_> = profiles
                .reach
                .iter()
                .map(|r| (r.workspace, r.domain, r.viewer))
                .collect();
            let folders: Vec<_> = profiles
                .folders
                .iter()
                .map(|f| (f.workspace, f.user))
                .collect();
            calls::diff(
                before,
                after,
                &remap,
                !same.calls,
                calls::ViewerSide {
                    reach: &reach,
                    reassigned: &profiles.reassigned,
                    folders: &folders,
                    presence: &presence,
                },
            )
        };
        let items = if same.items && same.teams && same.rbac && !presence_changed {
            Vec::new()
        } else {
            items::diff(before, after, &remap, !same.teams, !same.rbac)
        };
        let networks = if same.networks && !presence_changed {
            Vec::new()
        } else {
            networks::diff(before, after, &remap)
        };
        Impact {
            before: before.clone(),
            after: after.clone(),
            profiles,
            rbac,
            calls,
            items,
            networks,
        }
    }

    /// Checks that two snapshots are of one lineage, as [`between`](Impact::between)
    /// assumes: every id table of one is a prefix of the other's. Needed only for
    /// snapshots compiled from separately loaded documents; snapshots of one
    /// [`Model`](crate::Model) or [`Engine`](crate::Engine) always are.
    ///
    /// Cost: O(ids) string comparisons over the compiled parts the snapshots do not share.
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{Impact, Model};
    /// let mut model = Model::new();
    /// model.add_user("a", None)?;
    /// let before = model.compile();
    /// model.add_user("b", Some("a"))?;
    /// assert_eq!(Impact::check_lineage(&before, &model.compile()), Ok(()));
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    pub fn check_lineage(before: &Snapshot, after: &Snapshot) -> Result<(), LineageConflict> {
        lineage::check(before, after)
    }

    /// [`between`](Impact::between) after [`check_lineage`](Impact::check_lineage): the
    /// form for snapshots of separately loaded documents.
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{Impact, Model};
    /// let old = Model::from_json(r#"{"version": 1, "users": [{"id": "a"}]}"#)?;
    /// let new = Model::from_json(r#"{"version": 1, "users": [{"id": "a"}, {"id": "b", "managerId": "a"}]}"#)?;
    /// let impact = Impact::try_between(&old.compile(), &new.compile()).unwrap();
    /// assert!(impact.is_empty());
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    pub fn try_between(before: &Snapshot, after: &Snapshot) -> Result<Impact, LineageConflict> {
        lineage::check(before, after)?;
        Ok(Impact::between(before, after))
    }

    /// The snapshot before the change: where lost access is explained.
    pub fn before(&self) -> &Snapshot {
        &self.before
    }

    /// The snapshot after the change: where gained access is explained.
    pub fn after(&self) -> &Snapshot {
        &self.after
    }

    /// Whether nothing changed for anyone.
    pub fn is_empty(&self) -> bool {
        self.profiles.reach.is_empty()
            && self.profiles.capabilities.is_empty()
            && self.profiles.folders.is_empty()
            && self.rbac.permissions.is_empty()
            && self.rbac.actions.is_empty()
            && self.calls.is_empty()
            && self.items.is_empty()
            && self.networks.is_empty()
    }

    fn users<'i>(
        &'i self,
        gained: &RoaringBitmap,
        lost: &RoaringBitmap,
    ) -> (UserSet<'i>, UserSet<'i>) {
        (
            UserSet::from_positions(gained.clone(), &self.after.org),
            UserSet::from_positions(lost.clone(), &self.before.org),
        )
    }

    fn ws_name(&self, w: WorkspaceId) -> &str {
        self.after
            .org
            .workspace_name(w)
            .or_else(|| self.before.org.workspace_name(w))
            .unwrap_or("")
    }

    fn user_name(&self, u: UserId) -> &str {
        self.after
            .org
            .users
            .name(u)
            .or_else(|| self.before.org.users.name(u))
            .unwrap_or("")
    }

    /// Each viewer's change of reach, per (workspace, domain), in workspace, viewer and
    /// domain order.
    pub fn reach(&self) -> impl Iterator<Item = ReachChange<'_>> + '_ {
        self.profiles.reach.iter().map(move |d| {
            let (gained, lost) = self.users(&d.gained, &d.lost);
            ReachChange {
                workspace: self.ws_name(d.workspace),
                domain: d.domain,
                viewer: self.user_name(d.viewer),
                viewer_id: d.viewer,
                gained,
                lost,
            }
        })
    }

    /// Each user's change of capabilities, per workspace.
    pub fn capabilities(
        &self,
    ) -> impl Iterator<Item = GrantChange<'_, IdSet<'_, Capability>>> + '_ {
        self.profiles.capabilities.iter().map(move |d| GrantChange {
            workspace: self.ws_name(d.workspace),
            user: self.user_name(d.user),
            user_id: d.user,
            gained: IdSet::new(d.gained.clone(), &self.after.profiles.capabilities),
            lost: IdSet::new(d.lost.clone(), &self.before.profiles.capabilities),
        })
    }

    /// Each user's change of library folders, per workspace.
    pub fn folders(&self) -> impl Iterator<Item = GrantChange<'_, IdSet<'_, FolderId>>> + '_ {
        self.profiles.folders.iter().map(move |d| GrantChange {
            workspace: self.ws_name(d.workspace),
            user: self.user_name(d.user),
            user_id: d.user,
            gained: IdSet::new(d.gained.clone(), &self.after.org.folders),
            lost: IdSet::new(d.lost.clone(), &self.before.org.folders),
        })
    }

    /// Each permission's change of holders, anywhere and per division, in permission order.
    pub fn permissions(&self) -> impl Iterator<Item = PermissionChange<'_>> + '_ {
        self.rbac.permissions.iter().map(move |d| {
            let (gained, lost) = self.users(&d.gained, &d.lost);
            PermissionChange {
                permission: self.permission_name(d.permission),
                division: d.division.map(|v| self.division_name(v)),
                gained,
                lost,
            }
        })
    }

    fn permission_name(&self, p: PermissionId) -> &str {
        let n = name(&self.after.rbac.permissions, p);
        if n.is_empty() {
            name(&self.before.rbac.permissions, p)
        } else {
            n
        }
    }

    fn division_name(&self, d: DivisionId) -> &str {
        let n = name(&self.after.rbac.division_ids, d);
        if n.is_empty() {
            name(&self.before.rbac.division_ids, d)
        } else {
            n
        }
    }

    fn action_name(&self, a: ActionId) -> &str {
        let n = name(&self.after.rbac.action_ids, a);
        if n.is_empty() {
            name(&self.before.rbac.action_ids, a)
        } else {
            n
        }
    }

    fn item_name(&self, i: ItemId) -> &str {
        let n = name(&self.after.items.ids, i);
        if n.is_empty() {
            name(&self.before.items.ids, i)
        } else {
            n
        }
    }

    fn network_names(&self, n: NetworkId, p: NetworkPermissionId) -> (&str, &str) {
        let pick = |a: &'_ str, b: &'_ str| -> bool { a.is_empty() && !b.is_empty() };
        let (na, pa) = (
            self.after.networks.network_name(n),
            self.after.networks.permission_name(p),
        );
        let (nb, pb) = (
            self.before.networks.network_name(n),
            self.before.networks.permission_name(p),
        );
        (
            if pick(na, nb) { nb } else { na },
            if pick(pa, pb) { pb } else { pa },
        )
    }

    /// Each action's change of holders.
    pub fn actions(&self) -> impl Iterator<Item = ActionChange<'_>> + '_ {
        self.rbac.actions.iter().map(move |d| {
            let (gained, lost) = self.users(&d.gained, &d.lost);
            ActionChange {
                action: self.action_name(d.action),
                gained,
                lost,
            }
        })
    }

    /// Each viewer's change of the calls they may open, per workspace.
    pub fn calls(&self) -> impl Iterator<Item = CallChange<'_>> + '_ {
        self.calls.iter().map(move |d| CallChange {
            workspace: self.ws_name(d.workspace),
            viewer: self.user_name(d.viewer),
            viewer_id: d.viewer,
            impact: self,
            delta: d,
        })
    }

    /// Each (item, verb)'s change of the users who may perform it, in item and verb order.
    pub fn items(&self) -> impl Iterator<Item = ItemChange<'_>> + '_ {
        self.items.iter().map(move |d| {
            let (gained, lost) = self.users(&d.gained, &d.lost);
            ItemChange {
                item: self.item_name(d.item),
                item_id: d.item,
                verb: d.verb,
                gained,
                lost,
            }
        })
    }

    /// Each (network, permission)'s change of advisors.
    pub fn networks(&self) -> impl Iterator<Item = NetworkChange<'_>> + '_ {
        self.networks.iter().map(move |d| {
            let (gained, lost) = self.users(&d.gained, &d.lost);
            let (network, permission) = self.network_names(d.network, d.permission);
            NetworkChange {
                network,
                permission,
                gained,
                lost,
            }
        })
    }

    /// Every change as one line with its counts, largest (gained + lost) first, ties in
    /// the order of the families above.
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{Impact, Model, ProfileSpec};
    /// let mut model = Model::new();
    /// model.add_user("ada", None)?;
    /// let before = model.compile();
    /// model.create_profile(ProfileSpec::new("p", "P").with_capability("deals", true))?;
    /// model.assign_profile("ada", "p")?;
    /// let impact = Impact::between(&before, &model.compile());
    /// let lines = impact.summary();
    /// assert_eq!(lines[0].kind, "capabilities");
    /// assert_eq!((lines[0].subject.as_str(), lines[0].gained), ("ada in default", 1));
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    pub fn summary(&self) -> Vec<SummaryLine> {
        let mut lines = Vec::new();
        let line = |kind, subject: String, gained: u64, lost: u64| SummaryLine {
            kind,
            subject,
            gained,
            lost,
        };
        for c in self.reach() {
            lines.push(line(
                "reach",
                format!("{} {} in {}", c.viewer, c.domain.field(), c.workspace),
                c.gained.len(),
                c.lost.len(),
            ));
        }
        for c in self.capabilities() {
            lines.push(line(
                "capabilities",
                format!("{} in {}", c.user, c.workspace),
                c.gained.len(),
                c.lost.len(),
            ));
        }
        for c in self.folders() {
            lines.push(line(
                "folders",
                format!("{} in {}", c.user, c.workspace),
                c.gained.len(),
                c.lost.len(),
            ));
        }
        for c in self.permissions() {
            let subject = match c.division {
                Some(d) => format!("{} in {d}", c.permission),
                None => c.permission.to_string(),
            };
            lines.push(line("permission", subject, c.gained.len(), c.lost.len()));
        }
        for c in self.actions() {
            lines.push(line(
                "action",
                c.action.to_string(),
                c.gained.len(),
                c.lost.len(),
            ));
        }
        for c in self.calls() {
            lines.push(line(
                "calls",
                format!("{} in {}", c.viewer, c.workspace),
                c.gained_len(),
                c.lost_len(),
            ));
        }
        for c in self.items() {
            lines.push(line(
                "item",
                format!("{} {}", c.item, c.verb),
                c.gained.len(),
                c.lost.len(),
            ));
        }
        for c in self.networks() {
            lines.push(line(
                "network",
                format!("{} {}", c.network, c.permission),
                c.gained.len(),
                c.lost.len(),
            ));
        }
        // Stable: equal sizes keep the family order.
        lines.sort_by_key(|l| core::cmp::Reverse(l.gained + l.lost));
        lines
    }

    /// The whole impact as JSON for tools: one array per kind of change, each entry with
    /// its subject and the external ids gained and lost, and the counts per kind.
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{Impact, Model};
    /// let mut model = Model::new();
    /// model.add_user("ada", None)?;
    /// let snap = model.compile();
    /// let json: serde_json::Value = serde_json::from_str(&Impact::between(&snap, &snap).to_json()).unwrap();
    /// assert_eq!(json["reach"], serde_json::json!([]));
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    pub fn to_json(&self) -> String {
        self.to_value().to_string()
    }

    /// [`to_json`](Impact::to_json) as a `serde_json::Value`.
    pub fn to_value(&self) -> Value {
        fn ids<'a>(it: impl Iterator<Item = &'a str>) -> Value {
            Value::from(it.collect::<Vec<_>>())
        }
        let reach: Vec<Value> = self
            .reach()
            .map(|c| {
                json!({"workspace": c.workspace, "domain": c.domain.field(), "viewer": c.viewer,
                       "gained": ids(c.gained.external_ids()), "lost": ids(c.lost.external_ids())})
            })
            .collect();
        let grants = |it: &mut dyn Iterator<Item = (&str, &str, Value, Value)>| -> Vec<Value> {
            it.map(|(w, u, g, l)| json!({"workspace": w, "user": u, "gained": g, "lost": l}))
                .collect()
        };
        let capabilities = grants(&mut self.capabilities().map(|c| {
            (
                c.workspace,
                c.user,
                ids(c.gained.external_ids()),
                ids(c.lost.external_ids()),
            )
        }));
        let folders = grants(&mut self.folders().map(|c| {
            (
                c.workspace,
                c.user,
                ids(c.gained.external_ids()),
                ids(c.lost.external_ids()),
            )
        }));
        let permissions: Vec<Value> = self
            .permissions()
            .map(|c| {
                json!({"permission": c.permission, "division": c.division,
                       "gained": ids(c.gained.external_ids()), "lost": ids(c.lost.external_ids())})
            })
            .collect();
        let actions: Vec<Value> = self
            .actions()
            .map(|c| {
                json!({"action": c.action,
                       "gained": ids(c.gained.external_ids()), "lost": ids(c.lost.external_ids())})
            })
            .collect();
        let calls: Vec<Value> = self
            .calls()
            .map(|c| {
                json!({"workspace": c.workspace, "viewer": c.viewer,
                       "gained": ids(c.gained().external_ids()), "lost": ids(c.lost().external_ids())})
            })
            .collect();
        let items: Vec<Value> = self
            .items()
            .map(|c| {
                json!({"item": c.item, "verb": c.verb.to_string(),
                       "gained": ids(c.gained.external_ids()), "lost": ids(c.lost.external_ids())})
            })
            .collect();
        let networks: Vec<Value> = self
            .networks()
            .map(|c| {
                json!({"network": c.network, "permission": c.permission,
                       "gained": ids(c.gained.external_ids()), "lost": ids(c.lost.external_ids())})
            })
            .collect();
        let counts = json!({
            "reach": reach.len(), "capabilities": capabilities.len(), "folders": folders.len(),
            "permissions": permissions.len(), "actions": actions.len(), "calls": calls.len(),
            "items": items.len(), "networks": networks.len(),
        });
        json!({
            "counts": counts, "reach": reach, "capabilities": capabilities, "folders": folders,
            "permissions": permissions, "actions": actions, "calls": calls, "items": items,
            "networks": networks,
        })
    }

    /// Heap bytes of the changes themselves (the sets and entries; the two snapshots are
    /// shared with their owners and not counted).
    pub fn heap_bytes(&self) -> usize {
        let set = |b: &RoaringBitmap| b.serialized_size();
        let pair = |g: &RoaringBitmap, l: &RoaringBitmap| set(g) + set(l);
        let p = &self.profiles;
        p.reach
            .iter()
            .map(|d| 48 + pair(&d.gained, &d.lost))
            .sum::<usize>()
            + p.capabilities
                .iter()
                .chain(&p.folders)
                .map(|d| 40 + pair(&d.gained, &d.lost))
                .sum::<usize>()
            + p.reassigned.len() * 8
            + self
                .rbac
                .permissions
                .iter()
                .map(|d| 40 + pair(&d.gained, &d.lost))
                .sum::<usize>()
            + self
                .rbac
                .actions
                .iter()
                .map(|d| 32 + pair(&d.gained, &d.lost))
                .sum::<usize>()
            + self
                .calls
                .iter()
                .map(|d| 48 + d.gained.heap_bytes() + d.lost.heap_bytes())
                .sum::<usize>()
            + self
                .items
                .iter()
                .map(|d| 40 + pair(&d.gained, &d.lost))
                .sum::<usize>()
            + self
                .networks
                .iter()
                .map(|d| 40 + pair(&d.gained, &d.lost))
                .sum::<usize>()
    }
}

impl fmt::Display for Impact {
    /// The summary as a table, largest changes first.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let lines = self.summary();
        if lines.is_empty() {
            return writeln!(f, "no access changes");
        }
        writeln!(f, "{:<13} {:>9} {:>9}  subject", "kind", "gained", "lost")?;
        for l in &lines {
            writeln!(
                f,
                "{:<13} {:>9} {:>9}  {}",
                l.kind, l.gained, l.lost, l.subject
            )?;
        }
        Ok(())
    }
}
