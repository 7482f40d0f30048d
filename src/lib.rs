//! # orgperm
//!
//! Exact, fail-closed, explainable authorization for SaaS-style permission models, answered
//! in nanoseconds from a compiled snapshot.
//!
//! A host application keeps a [`Model`] (the org directory, workspaces, permission profiles
//! and their assignments), edits it through validated operations, and compiles it into a
//! [`Snapshot`]: an immutable, `Send + Sync` evaluator whose checks are a handful of loads and
//! comparisons.
//!
//! ```
//! use orgperm::{Capability, Domain, Level, Model, ProfileSpec};
//!
//! let mut model = Model::new();
//! model.add_user("ceo", None)?;
//! model.add_user("vp-sales", Some("ceo"))?;
//! model.add_user("rep-1", Some("vp-sales"))?;
//! model.add_user("rep-2", Some("vp-sales"))?;
//!
//! model.create_profile(
//!     ProfileSpec::new("mgr", "Managers")
//!         .with_level(Domain::Calls, Level::ReportToThem)
//!         .with_level(Domain::Deals, Level::All)
//!         .with_capability("scoreCalls", true),
//! )?;
//! model.create_profile(ProfileSpec::new("rep", "Reps").with_level(Domain::Calls, Level::ManagersTeam))?;
//! model.assign_profile("vp-sales", "mgr")?;
//! model.assign_profile("rep-1", "rep")?;
//!
//! let snap = model.compile();
//! assert!(snap.can_access("vp-sales", Domain::Calls, "rep-2"));   // her report
//! assert!(!snap.can_access("vp-sales", Domain::Calls, "ceo"));    // her manager
//! assert!(snap.can_access("rep-1", Domain::Calls, "rep-2"));      // same manager's team
//! assert!(!snap.can_access("rep-2", Domain::Calls, "rep-2"));     // no profile: deny
//! assert!(snap.has_capability("vp-sales", Capability::SCORE_CALLS));
//!
//! // Reverse queries return roaring-backed sets of users.
//! assert_eq!(snap.profiles().visible_owners("vp-sales", Domain::Calls).len(), 3);
//! assert_eq!(snap.profiles().who_can_access("rep-2", Domain::Calls).len(), 2); // vp-sales and rep-1
//!
//! // Every answer can be explained.
//! let why = snap.explain("vp-sales", Domain::Calls, "ceo");
//! assert_eq!(why.to_string(), "deny: owner is outside the reach of profile \"mgr\" at level report-to-them");
//! # Ok::<(), orgperm::ModelError>(())
//! ```
//!
//! ## Concepts
//!
//! The rules themselves, one by one, are on the [semantics] page.
//!
//! - **Directory.** Users have external string ids and an optional manager; the links form a
//!   forest (cycles are rejected with the users in them named). `subtree(x)` is `x` and
//!   everyone reporting to `x`, directly or not. Removing a user erases them from every
//!   relation of every family (assignments, grants, memberships, bindings, entitlements,
//!   calls, items); every later check about them is a Deny, and an id added again starts with
//!   nothing. Ids of different kinds never collide (a user and a role may share one).
//! - **Families and views.** Each family is read through a view of the snapshot named after
//!   it — [`Snapshot::profiles`] / [`Snapshot::in_workspace`], [`Snapshot::teams`],
//!   [`Snapshot::rbac`], [`Snapshot::calls`], [`Snapshot::networks`], [`Snapshot::items`] —
//!   and edited through the model's views ([`Model::rbac_mut`], [`Model::calls_mut`], …;
//!   [`Model::rbac`] and the like read the model). The directory, workspaces, folders and
//!   profiles stay flat on [`Model`], and [`Snapshot::can_access`],
//!   [`Snapshot::has_capability`] and [`Snapshot::explain`] stay flat on the snapshot.
//!   Names: `x_id(name)` is the dense id, `x_name(id)` the external id, and the model's
//!   `x(name)` the record. Every `explain*` returns a [`Decision`] with the family's reason
//!   type; [`Reason`] wraps them all.
//! - **Workspaces.** A model starts with the workspace `"default"`. Profiles belong to one
//!   workspace and a user holds at most one profile per workspace. Queries without a
//!   workspace use the default one; [`Snapshot::in_workspace`] (and
//!   [`Calls::in_workspace`] for call listings) read another.
//! - **Profiles.** Nine data domains ([`Domain`]) each have a [`Level`] (`all`,
//!   `managers-team`, `report-to-them`, `own`, `none`) with optional team leads; library
//!   folder access ([`LibraryAccess`]); boolean [`Capability`] flags, documented and unknown
//!   names alike.
//! - **Ids.** External ids are interned into dense `u32` ids ([`UserId`], …) that stay valid
//!   for the life of the model. Queries accept either form (see [`Key`]).
//! - **Deny by default.** Anything unknown at check time is a Deny with a reason; anything
//!   malformed at edit or import time is a [`ModelError`] naming the field, and nothing is
//!   half-applied.
//! - **Model documents.** [`ModelDocument`] is the versioned JSON form of a whole model, in the
//!   vendor's field names. It is strict: an unknown or misspelt field, a repeated field or a
//!   value of the wrong type is an error naming its path and the id of its record
//!   (`users[0] (id "b").managerId: expected a string, found 5`); only a profile's extra
//!   boolean fields are kept, as capabilities. Round trips are exact.
//! - **Live state.** An [`Engine`] owns a model and publishes its snapshot behind an atomic
//!   pointer: readers never wait, writers apply a [`ChangeSet`] (versioned JSON, one [`Op`]
//!   per edit) all or nothing, each commit gets a version and a [`Token`], and
//!   [`Engine::snapshot_at_least`] waits for a token's version. A commit recompiles only the
//!   families it wrote to and those compiled over them. A durable engine
//!   ([`Engine::create`], [`Engine::open`]) appends each commit to a checksummed change log
//!   before publishing it, checkpoints periodically and recovers after a crash (cutting off
//!   a torn tail, see [`Recovery`]); [`Engine::digest`] lets replicas fed the same
//!   change sets check that they agree.
//! - **Errors per family, composed.** A family view's edits return its own error
//!   ([`TeamError`], [`RbacError`], …: an [`Error`] over [`TeamErrorKind`], [`RbacErrorKind`],
//!   …), each keeping the kinds of the layers below it ([`InputErrorKind`], [`OrgErrorKind`]);
//!   `?` lifts any of them into a [`ModelError`], whose [`ErrorKind`] files every kind under
//!   the family that owns it. Every kind has a stable [`code`](ErrorKind::code) and an
//!   [`ErrorClass`] (not found, conflict, invalid: the vendors' 404, 409 and 400; storage
//!   for the engine's log).
//! - **Roles and permissions (Genesys).** A catalog of atoms `domain:entity:action` and flat
//!   permissions (`admin` grants every available check), each with `divisionAware`,
//!   `allowsConditions` and a product ([`PermissionSpec`]); roles of policies with `*`
//!   entity or actions (atoms added later too) and optional condition trees ([`RoleSpec`]);
//!   default-role templates (restore, `needsUpdate`, compare); divisions with a home division
//!   and resources; groups; grants of a role to a user or group in a division or `*`
//!   ([`Rbac::has_permission`], [`Rbac::has_permission_on`],
//!   [`Rbac::divisions_permitted`], [`Rbac::users_with_permission`]).
//! - **Actions (Quantive).** An action catalog where granting "manage" implies "access" and
//!   revoking "access" removes "manage"; global permissions binding actions to users and
//!   roles; effective actions of a role or user; view-only roles that combine with nothing
//!   ([`Rbac::has_action`]).
//! - **Teams.** A tree of teams (sub-teams at any depth) with directory users as members,
//!   compiled with the same preorder intervals as the org chart:
//!   [`Teams::is_member`] answers "directly" or "in the team or any sub-team", and the
//!   latter follows every change of the tree once recompiled.
//! - **Calls.** Gong calls ([`CallSpec`]) have an owner, internal participants, a workspace, a
//!   private flag, sharees, library folders and individual grants.
//!   [`Calls::can_open`]: a private call opens only for its owner, participants and
//!   sharees; another call opens when the viewer's `callsAccess` scope reaches any
//!   participant (owner included), or the viewer takes part, was shared the call, may access
//!   one of its folders, or holds a grant. The viewer needs a profile in the call's
//!   workspace. Listing a call's existence ([`Calls::can_list`]) is separate from
//!   opening it, and capabilities such as `callsAndSearch` are never consulted.
//! - **Networks.** Symphony Connect external networks are data, each with a permission
//!   catalog flagged `isDefault`. Advisors (directory users) are entitled per network, which
//!   grants the defaults; removing the entitlement drops everything held there.
//!   [`Networks::has_permission`] is one bit test; [`NetworkFeature`]s need several
//!   permissions; [`Networks::check_room`] refuses rooms mixing networks.
//! - **Items.** Quantive sessions, goals (in a session), metrics (in a goal), insight boards
//!   and dashboards ([`ItemSpec`]) have owners, a creator and an optional access list
//!   ([`AccessSpec`]) granting [`Verb`]s to users, teams (optionally with sub-teams), roles
//!   or the whole account. Each item's *effective list* is resolved at compile time: its own
//!   list; with `inherits = true` its parent's effective list (its own entries are then
//!   ignored); without a list, its per-item default (sessions, dashboards), its type's
//!   default, then the unconfigured-session default (everyone reads, updates, creates and
//!   deletes; the creator and admins also modify permissions), the parent's list (goals,
//!   metrics) or nobody (boards, dashboards). A verb from the list also needs the type's
//!   global action ([`ItemGate`]: read needs `access-*`, the rest `manage-*`); view-only
//!   users keep only read; owners get read, update and delete whatever the rest says.
//!   [`Items::allowed_actions`] answers the vendor's `currentUser-allowedActions`;
//!   The reverse queries: [`Items::who_can`] (the users who may do a verb on an item, from
//!   roaring sets, never a loop over users), [`Items::with_verb`] (the items of a type a
//!   user may do a verb on; [`Items::readable`] is the read case); [`Items::explain`] says
//!   why a user or an item is in either answer.
//! - **Both directions.** Every check has its reverse, as a roaring-backed set that is built
//!   from the compiled indexes, never by testing every subject: who may access an owner's
//!   data ([`Profiles::who_can_access`]), who holds a capability
//!   ([`Profiles::who_has_capability`]), who may open a folder
//!   ([`Profiles::who_can_access_folder`]), who holds a permission
//!   ([`Rbac::users_with_permission`]) or an action ([`Rbac::users_with_action`]), who may
//!   open a call ([`Calls::who_can_open`]), who may do a verb on an item ([`Items::who_can`]),
//!   who holds a network permission ([`Networks::advisors_with_permission`]), a team's
//!   members ([`Teams::members`]); and the objects of a subject: owners, calls, items by verb,
//!   folders ([`Profiles::folders_of`]), capabilities ([`Profiles::capabilities_of`]) and
//!   actions ([`Rbac::actions_of`]). Why a member is in a set is the family's forward
//!   `explain*` for it ([`Teams::explain_member`] names the sub-team chain,
//!   [`Networks::explain_permission`] the entitlement), which always agrees with membership.
//! - **Vendor payloads.** [`vendor`] reads what Gong, Genesys Cloud, Quantive and Symphony
//!   Connect send, page by page and strictly (an undocumented field is an error naming its
//!   path, or a warning in [`vendor::Strictness::Lenient`] mode), into a model and the
//!   change set that leads there, and answers in the vendors' shapes; [`vendor::export`]
//!   reads a saved export folder. Reading costs O(body size · log model size) per body.
//! - **What-if.** [`Engine::preview`] answers, before a change set is applied, who would
//!   gain and who would lose access: an [`Impact`] lists, per family, exactly the forward
//!   checks whose answer changes (owners per viewer and domain, capabilities and folders,
//!   permissions per division, actions, calls per viewer, verbs per item, network
//!   permissions), as sets with counts, a summary and JSON. [`Impact::between`] compares
//!   any two snapshots of one lineage. The cost follows the change: untouched families cost
//!   nothing, and a touched one compares only the reverse-query sets of what differs.
//!
//! ## Complexity
//!
//! With `n` users, `d` the depth of an owner in the org tree and `k` the size of an answer:
//!
//! | query | cost |
//! |---|---|
//! | [`Snapshot::can_access`] | O(1); O(log leads) for `managers-team` with leads; + O(log assigned) in a sparsely assigned non-default workspace |
//! | [`Snapshot::has_capability`] | O(1): one bit test (the first 128 names); O(log k) for a profile with k names beyond |
//! | [`Profiles::can_access_folder`] | O(log folders of the profile) |
//! | [`Snapshot::explain`] | O(leads), allocates the names it reports |
//! | [`Profiles::visible_owners`] | O(lead intervals) to build the set, O(k) to iterate |
//! | [`Profiles::who_can_access`] | O(d + k) plus one test per `managers-team`-with-leads profile |
//! | [`Profiles::filter_owners`] | O(owners) |
//! | [`Profiles::who_has_capability`], [`Profiles::who_can_access_folder`] | O(profiles of the workspace) + a roaring union of their holders |
//! | [`Profiles::capabilities_of`], [`Profiles::folders_of`] | O(names the profile holds); O(folders of the workspace) for library level `all` |
//! | [`Rbac::has_permission`] | O(1): a role-set load and a bit test |
//! | [`Rbac::has_permission_on`] | O(1) plus the user's few grant divisions; conditions only when the policy has one |
//! | [`Rbac::divisions_permitted`] | O(divisions the user holds grants in) |
//! | [`Rbac::users_with_permission`] | one bit test per role + a roaring union of the granting roles' holders |
//! | [`Rbac::has_action`] | O(1): an action-set load and a bit test |
//! | [`Rbac::users_with_action`] | one bit test per role + a roaring union of the granting roles' holders + the users the action is bound to directly |
//! | [`Rbac::actions_of`] | O(actions / 64) |
//! | [`Teams::is_member`] | O(log t) for a user in t teams |
//! | [`Teams::members`] | O(k log k), k memberships in the team and its sub-teams |
//! | [`Teams::explain_member`] | O(log t + depth of the team tree) |
//! | [`Calls::can_open`] | O(participants + log of the call's other lists) |
//! | [`Calls::visible`] | O(k) for k (participant, call) entries in reach, plus the workspace's sets |
//! | [`Calls::filter`] | O(calls) |
//! | [`Calls::who_can_open`] | O(participants · d + profiles of the workspace + k) |
//! | [`Networks::has_permission`] | O(1): two loads and a bit test |
//! | [`Networks::has_feature`] | O(permissions of the feature) |
//! | [`Items::allowed_actions`] | O(log u + t + r + o): u user, t team and r role entries of the item's compiled list, o owners |
//! | [`Items::explain`] | as `allowed_actions`, allocates the names it reports |
//! | [`Items::readable`], [`Items::with_verb`] | O(items of the type + distinct lists among them) |
//! | [`Items::who_can`] | O(u log u + t + r + o) roaring unions and one intersection (u user, t team, r role entries granting the verb, o owners), each costing containers, not users; O(k) to iterate |
//! | [`Items::who_can_each`] | five [`Items::who_can`] |
//! | [`Impact::between`] | nothing per untouched family; linear scans of a touched family's per-user or per-object tables, reverse queries for what differs, O(n) to renumber a changed tree; memory proportional to what changed |
//! | [`Engine::preview`] | the draft's apply and compile, then [`Impact::between`] |
//! | [`Model::compile`] | O(n + workspaces + assignments + profiles · leads + n · grants + roles · policies · atoms named + calls · participants + entitlements + items · entries + members of the distinct team entries of the item lists) |
//!
//! External-id forms add one hash lookup per id. Checks allocate nothing.
//!
//! ## Crate features
//!
//! None: the crate always builds the same. The synthetic-org generator used by the demo,
//! the benches and the tests is a separate workspace crate, `orgperm-synth` (not published),
//! so it adds nothing to this crate's API and can only use what a host can.

#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing
    )
)]

mod calls;
mod change;
mod decision;
mod document;
mod engine;

/// The contract: every rule the evaluator implements, family by family (`docs/semantics.md`
/// in the repository). The code's comments cite its sections (§1 profiles and calls, §2 roles,
/// §3 actions and items, §4 networks, §5 lifecycle, identity and documents).
#[doc = include_str!("../docs/semantics.md")]
pub mod semantics {}

/// The model document, section by section, with a complete example (`docs/document.md` and
/// `examples/data/complete.json` in the repository); read and written by
/// [`Model::from_json`] and [`Model::to_json`].
#[doc = concat!(
    include_str!("../docs/document.md"),
    "```json\n",
    include_str!("../examples/data/complete.json"),
    "\n```\n"
)]
pub mod document_format {}
mod error;
mod id;
mod impact;
mod item_type;
mod items;
mod model;
mod model_error;
mod network;
mod org;
mod profile;
mod rbac;
mod snapshot;
mod teams;
pub mod vendor;

pub use change::{
    AccessDocument, AccessEntryDocument, ActionDocument, CHANGE_SET_VERSION, CallDocument,
    ChangeSet, DefaultAccessDocument, GlobalPermissionDocument, ItemDocument, Op,
    PermissionDocument, PrincipalDocument, ProfileDocument, RoleDocument,
};
pub use decision::Decision;
pub use document::ModelDocument;
pub use document::digest::Digest;
pub use document::validate::Validation;
pub use engine::error::{EngineError, EngineErrorKind};
pub use engine::log::{LogOptions, Recovery};
pub use engine::{Engine, LiveSnapshot, ReadGuard, Token};
pub use error::{Error, ErrorClass, InputError, InputErrorKind};
pub use id::id_set::IdSet;
pub use id::key::Key;
pub use id::{FolderId, ProfileId, UserId, WorkspaceId};
pub use impact::{
    ActionChange, CallChange, GrantChange, Impact, ItemChange, LineageConflict, NetworkChange,
    PermissionChange, ReachChange, SummaryLine,
};
pub use model::Model;
pub use model_error::{ErrorKind, ModelError};
pub use org::error::{OrgError, OrgErrorKind};
pub use org::user_set::UserSet;
pub use profile::capability::Capability;
pub use profile::error::{ProfileError, ProfileErrorKind};
pub use profile::query::{CapabilitySet, FolderSet, OwnerFilter, Profiles};
pub use profile::{
    Domain, Level, LibraryAccess, LibraryFlag, LibraryLevel, ProfileReason, ProfileSpec,
    ScopedAccess,
};
pub use rbac::actions::{ActionSpec, GlobalPermissionSpec, Principal};
pub use rbac::catalog::{ADMIN, PermissionFilter, PermissionQuery, PermissionSpec};
pub use rbac::compiled::RbacMemoryReport;
pub use rbac::condition::{Condition, ConditionContext, Conjunction, MAX_DEPTH, Operand, Operator};
pub use rbac::defaults::{DefaultRoleTemplate, RoleComparison};
pub use rbac::error::{RbacError, RbacErrorKind};
pub use rbac::grants::{GrantSource, GrantView, Subject, UserAuthorization};
pub use rbac::ids::{ActionId, DivisionId, GroupId, PermissionId, ResourceId, RoleId};
pub use rbac::listing::Page;
pub use rbac::query::PermittedDivisions;
pub use rbac::role::{
    CursorPage, PolicySpec, RoleCursor, RoleQuery, RoleSort, RoleSpec, RoleSummary, WILDCARD,
};
pub use rbac::{ActionSet, Rbac, RbacMut, RbacReason, RbacRef};
pub use snapshot::{MemoryReport, Reason, Snapshot};

pub use calls::error::{CallError, CallErrorKind};
pub use calls::query::CallInfo;
pub use calls::store::{CallsMut, CallsRef};
pub use calls::{CallId, CallReason, CallSet, CallSpec, Calls};
pub use network::error::{NetworkError, NetworkErrorKind};
pub use network::store::{NetworksMut, NetworksRef};
pub use network::{
    BulkGrantResult, ContactId, NetworkFeature, NetworkId, NetworkPermissionId, NetworkReason,
    Networks,
};
pub use teams::error::{TeamError, TeamErrorKind};
pub use teams::store::{TeamsMut, TeamsRef};
pub use teams::{TeamId, TeamReason, Teams};

pub use items::error::{ItemError, ItemErrorKind};
pub use items::store::{ItemsMut, ItemsRef};
pub use items::{
    AccessEntry, AccessSpec, ItemGate, ItemId, ItemPrincipal, ItemReason, ItemSet, ItemSpec,
    ItemType, ItemVerbs, ItemVerbsIter, Items, ListOrigin, PrincipalKind, Verb,
};

/// The README's code samples, compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
