//! The editable items of a model, the default access lists and the gates, with their
//! validated edits.

use std::collections::BTreeSet;

use smallvec::SmallVec;

use crate::error::{InputErrorKind, bounded};
use crate::id::registry::Registry;
use crate::id::{DenseId, NONE, UserId, dense_id};
use crate::items::access::{
    AccessEntry, AccessSpec, ItemGate, PrincipalKind, StoredAccess, StoredEntry, StoredPrincipal,
};
use crate::items::error::{ItemError, ItemErrorKind};
use crate::items::verbs::ItemType;
use crate::rbac::RoleReferrers;
use crate::rbac::error::RbacErrorKind;
use crate::rbac::ids::RoleId;
use crate::teams::error::TeamErrorKind;
use crate::teams::store::{TeamId, TeamReferrers};

dense_id!(
    /// A Quantive item (session, goal, metric, insight board or dashboard), interned from
    /// its external id. All item types share one id space.
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{ItemSpec, Model};
    /// let mut model = Model::new();
    /// let s = model.items_mut().add_item(ItemSpec::session("q1"))?;
    /// assert_eq!(model.items().item_id("q1"), Some(s));
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    ItemId, "item"
);

/// An item in external ids: what [`ItemsMut::add_item`](crate::ItemsMut::add_item) takes and [`ItemsRef::item`](crate::ItemsRef::item) returns.
///
/// - `parent` is required for goals (a session) and metrics (a goal), and refused for the
///   other types.
/// - `owners` are directory users (possibly none); owners get read, update and delete on the
///   item whatever its list, the role layer or a view-only role say.
/// - `creator` is the user who created it; on a session without any access configured it is
///   the one user, besides admins, with `modifyPermissions`.
/// - `access` is the item's own list (see [`AccessSpec`]); `None` means not configured.
/// - `default_access` is the per-item default list, only for sessions and dashboards.
///
/// # Examples
///
/// ```
/// use orgperm::{AccessEntry, AccessSpec, ItemSpec, ItemType, ItemVerbs};
/// let goal = ItemSpec::goal("g1", "q1")
///     .owned_by(["ada"])
///     .created_by("bob")
///     .with_access(AccessSpec::new([AccessEntry::account(ItemVerbs::READ)]));
/// assert_eq!(goal.item_type, ItemType::Goal);
/// assert_eq!(goal.parent.as_deref(), Some("q1"));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ItemSpec {
    /// External id, unique over all item types.
    pub id: String,
    /// The type.
    pub item_type: ItemType,
    /// The parent item's id (a session for a goal, a goal for a metric).
    pub parent: Option<String>,
    /// Owners, as directory user ids. A set: order and repetitions do not matter.
    pub owners: Vec<String>,
    /// The creator, a directory user id.
    pub creator: Option<String>,
    /// The item's own access list, `None` when not configured.
    pub access: Option<AccessSpec>,
    /// The per-item default access list (sessions and dashboards only).
    pub default_access: Option<Vec<AccessEntry>>,
}

impl ItemSpec {
    /// An item of any type, with nothing else set.
    pub fn new(id: impl Into<String>, item_type: ItemType) -> Self {
        Self {
            id: id.into(),
            item_type,
            parent: None,
            owners: Vec::new(),
            creator: None,
            access: None,
            default_access: None,
        }
    }

    /// A session.
    pub fn session(id: impl Into<String>) -> Self {
        Self::new(id, ItemType::Session)
    }

    /// A goal in a session.
    pub fn goal(id: impl Into<String>, session: impl Into<String>) -> Self {
        Self::new(id, ItemType::Goal).with_parent(session)
    }

    /// A metric in a goal.
    pub fn metric(id: impl Into<String>, goal: impl Into<String>) -> Self {
        Self::new(id, ItemType::Metric).with_parent(goal)
    }

    /// The same item with a parent.
    pub fn with_parent(mut self, parent: impl Into<String>) -> Self {
        self.parent = Some(parent.into());
        self
    }

    /// The same item with more owners.
    pub fn owned_by<S: Into<String>>(mut self, users: impl IntoIterator<Item = S>) -> Self {
        self.owners.extend(users.into_iter().map(Into::into));
        self
    }

    /// The same item with a creator.
    pub fn created_by(mut self, user: impl Into<String>) -> Self {
        self.creator = Some(user.into());
        self
    }

    /// The same item with its own access list.
    pub fn with_access(mut self, access: AccessSpec) -> Self {
        self.access = Some(access);
        self
    }

    /// The same item with a per-item default access list.
    pub fn with_default_access(mut self, entries: impl IntoIterator<Item = AccessEntry>) -> Self {
        self.default_access = Some(entries.into_iter().collect());
        self
    }
}

/// One item, validated, in dense ids.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct StoredItem {
    pub(crate) item_type: ItemType,
    /// Parent item, `NONE` for none.
    pub(crate) parent: u32,
    /// Sorted, without duplicates.
    pub(crate) owners: SmallVec<[UserId; 2]>,
    /// Creator, `NONE` for none.
    pub(crate) creator: u32,
    pub(crate) access: Option<Box<StoredAccess>>,
    pub(crate) default_access: Option<Box<[StoredEntry]>>,
}

impl StoredItem {
    pub(crate) fn parent(&self) -> Option<ItemId> {
        (self.parent != NONE).then(|| ItemId::from_index(self.parent))
    }

    /// Every user the item names: owners, creator, user entries of its lists (with repeats).
    fn users(&self) -> impl Iterator<Item = UserId> + '_ {
        let entries = self
            .access
            .iter()
            .flat_map(|a| a.entries.iter())
            .chain(self.default_access.iter().flat_map(|d| d.iter()));
        self.owners
            .iter()
            .copied()
            .chain((self.creator != NONE).then(|| UserId::from_index(self.creator)))
            .chain(entries.filter_map(|e| match e.principal {
                StoredPrincipal::User(u) => Some(u),
                _ => None,
            }))
    }

    /// Takes `u` off the item: ownership, creator rights and the entries naming them.
    fn forget(&mut self, u: UserId) {
        self.owners.retain(|o| *o != u);
        if self.creator == u.index() {
            self.creator = NONE;
        }
        let names = |e: &StoredEntry| e.principal == StoredPrincipal::User(u);
        if let Some(a) = self.access.as_mut() {
            a.entries.retain(|e| !names(e));
        }
        if let Some(d) = self.default_access.as_mut() {
            if d.iter().any(names) {
                *d = d.iter().filter(|e| !names(e)).cloned().collect();
            }
        }
    }
}

/// Items, per-type default access lists and the gates of a model.
///
/// Invariants: a live item's parent is live and of the type [`ItemType::parent_type`]
/// names; `children[i]` counts the live items whose parent is `i`. A parent is set at
/// creation to an item that already exists, and a move refuses a parent that is the item
/// or lies under it, so the parent links cannot form a cycle.
#[derive(Clone, Debug)]
pub(crate) struct ItemStore {
    pub(crate) items: Registry<ItemId, StoredItem>,
    children: Vec<u32>,
    /// Per-type default lists, by [`ItemType::index`].
    pub(crate) type_defaults: [Option<Vec<StoredEntry>>; ItemType::COUNT],
    /// Gates, by [`ItemType::index`].
    pub(crate) gates: [ItemGate; ItemType::COUNT],
    /// `(u, i)` exactly when live item `i` names user `u` (owner, creator, list entry), so
    /// that forgetting a user costs what they were named on.
    by_user: BTreeSet<(UserId, ItemId)>,
}

/// The model's items, their access lists, default lists and gates, for editing: from [`Model::items_mut`](crate::Model::items_mut).
///
/// Every edit validates first and then applies completely, or returns a
/// [`ModelError`](crate::ModelError) that names the field and changes nothing.
#[derive(Debug)]
pub struct ItemsMut<'m> {
    pub(crate) items: &'m mut ItemStore,
    pub(crate) dir: &'m crate::org::directory::Directory,
    pub(crate) teams: &'m crate::teams::store::TeamStore,
    pub(crate) rbac: &'m crate::rbac::RbacStore,
}

/// The model's items, their access lists, default lists and gates, for reading: from [`Model::items`](crate::Model::items).
#[derive(Clone, Copy, Debug)]
pub struct ItemsRef<'m> {
    pub(crate) items: &'m ItemStore,
    pub(crate) dir: &'m crate::org::directory::Directory,
    pub(crate) teams: &'m crate::teams::store::TeamStore,
    pub(crate) rbac: &'m crate::rbac::RbacStore,
}

impl ItemsMut<'_> {
    /// The same state, for reading.
    pub fn read(&self) -> ItemsRef<'_> {
        ItemsRef {
            items: self.items,
            dir: self.dir,
            teams: self.teams,
            rbac: self.rbac,
        }
    }
}

impl Default for ItemStore {
    fn default() -> Self {
        Self {
            items: Registry::default(),
            children: Vec::new(),
            type_defaults: Default::default(),
            gates: ItemType::ALL.map(ItemGate::default_for),
            by_user: BTreeSet::new(),
        }
    }
}

impl ItemStore {
    /// The gate of an item type.
    pub(crate) fn gate(&self, item_type: ItemType) -> &ItemGate {
        let [session, goal, metric, board, dashboard] = &self.gates;
        match item_type {
            ItemType::Session => session,
            ItemType::Goal => goal,
            ItemType::Metric => metric,
            ItemType::InsightBoard => board,
            ItemType::Dashboard => dashboard,
        }
    }

    pub(crate) fn get(&self, i: ItemId) -> Option<&StoredItem> {
        self.items.get(i)
    }

    /// Applies `edit` to live item `i`, keeping `by_user` exact.
    fn edit(&mut self, i: ItemId, edit: impl FnOnce(&mut StoredItem)) {
        let Some(item) = self.items.get_mut(i) else {
            return;
        };
        for u in item.users() {
            self.by_user.remove(&(u, i));
        }
        edit(item);
        self.by_user.extend(item.users().map(|u| (u, i)));
    }

    /// Erases a removed user from every item (ownership, creator rights, entries of its own
    /// and default lists) and from the per-type default lists. The items stay. O(k log n)
    /// for the k items naming them, plus the five per-type lists.
    pub(crate) fn forget_user(&mut self, u: UserId) {
        let items: Vec<ItemId> = self
            .by_user
            .range((u, ItemId::new(0))..=(u, ItemId::new(u32::MAX)))
            .map(|&(_, i)| i)
            .collect();
        for i in items {
            self.edit(i, |item| item.forget(u));
        }
        for list in self.type_defaults.iter_mut().flatten() {
            list.retain(|e| e.principal != StoredPrincipal::User(u));
        }
    }

    /// Whether `i` is `ancestor` or lies under it: a walk up the parent links from `i`,
    /// bounded by the number of items so that even a corrupt link cannot loop.
    fn is_under(&self, i: ItemId, ancestor: ItemId) -> bool {
        let mut at = Some(i);
        for _ in 0..=self.items.len() {
            match at {
                Some(a) if a == ancestor => return true,
                Some(a) => at = self.items.get(a).and_then(StoredItem::parent),
                None => return false,
            }
        }
        // A walk longer than the number of items went round a cycle: refuse the move.
        true
    }

    pub(crate) fn live_id(&self, id: &str) -> Option<ItemId> {
        self.items.live_id(id)
    }

    fn live(&self, id: &str, field: &str) -> Result<ItemId, ItemError> {
        self.live_id(id)
            .ok_or_else(|| ItemError::at(field, ItemErrorKind::UnknownItem { id: id.to_owned() }))
    }
}

impl ItemStore {
    /// The first entry whose principal `names` matches: items in dense-id order (their own
    /// list, then their default list), then the per-type default lists, in the document's
    /// terms. O(items + entries).
    fn referrer(&self, names: impl Fn(&StoredPrincipal) -> bool) -> Option<String> {
        let at = |entries: &[StoredEntry]| entries.iter().position(|e| names(&e.principal));
        for (i, item) in self.items.iter() {
            let who = || format!("item {:?}", bounded(self.items.name(i)));
            if let Some(at) = item.access.as_ref().and_then(|a| at(&a.entries)) {
                return Some(format!("{} access.permissions[{at}]", who()));
            }
            if let Some(at) = item.default_access.as_deref().and_then(at) {
                return Some(format!("{} defaultAccess.permissions[{at}]", who()));
            }
        }
        for (item_type, list) in ItemType::ALL.iter().zip(&self.type_defaults) {
            if let Some(at) = list.as_deref().and_then(at) {
                return Some(format!(
                    "defaultAccess {:?} permissions[{at}]",
                    item_type.as_str()
                ));
            }
        }
        None
    }
}

impl TeamReferrers for ItemStore {
    fn team_referrer(&self, t: TeamId) -> Option<String> {
        self.referrer(|p| matches!(p, StoredPrincipal::Team { team, .. } if *team == t))
    }
}

impl RoleReferrers for ItemStore {
    fn role_referrer(&self, r: RoleId) -> Option<String> {
        self.referrer(|p| matches!(p, StoredPrincipal::Role(role) if *role == r))
    }
}

impl<'m> ItemsMut<'m> {
    /// Adds an item. Errors name the field: `id` (empty or taken by a live item of any
    /// type), `parentId` (missing for a goal or metric, given for another type, unknown, or
    /// of the wrong type), `ownerIds[i]` and `creatorId` (unknown users),
    /// `access.permissions[i].principalId` (unknown user, team or role),
    /// `access.permissions[i].includeSubteams` (on a principal that is not a team),
    /// `defaultAccess` (on a type other than session and dashboard).
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{AccessEntry, AccessSpec, ErrorKind, ItemSpec, ItemType, ItemVerbs, Model};
    /// let mut model = Model::new();
    /// model.add_user("ada", None)?;
    /// model.items_mut().add_item(ItemSpec::session("q1").created_by("ada"))?;
    /// model.items_mut().add_item(ItemSpec::goal("g1", "q1").owned_by(["ada"]))?;
    /// let err = model.items_mut().add_item(ItemSpec::metric("m1", "q1")).unwrap_err();
    /// assert_eq!(err.to_string(), "parentId: item \"q1\" is a session, a metric's parent must be a goal");
    /// let bad = ItemSpec::goal("g2", "q1")
    ///     .with_access(AccessSpec::new([AccessEntry::team("ghosts", ItemVerbs::READ)]));
    /// let err = model.items_mut().add_item(bad).unwrap_err();
    /// assert_eq!(err.to_string(), "access.permissions[0].principalId: unknown team \"ghosts\"");
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    pub fn add_item(&mut self, spec: ItemSpec) -> Result<ItemId, ItemError> {
        self.add_item_ref(&spec)
    }

    /// [`add_item`](ItemsMut::add_item) without taking the spec (the document import keeps
    /// it to name the record in an error).
    pub(crate) fn add_item_ref(&mut self, spec: &ItemSpec) -> Result<ItemId, ItemError> {
        if spec.id.is_empty() {
            return Err(ItemError::at("id", InputErrorKind::EmptyId));
        }
        if self.items.live_id(&spec.id).is_some() {
            return Err(ItemError::at(
                "id",
                InputErrorKind::DuplicateId {
                    id: spec.id.clone(),
                },
            ));
        }
        let stored = self.read().validate_item(spec)?;
        let parent = stored.parent();
        let store = &mut *self.items;
        let (i, _) = store.items.insert(&spec.id, stored)?;
        store.children.resize(store.items.len(), 0);
        if let Some(c) = parent.and_then(|p| store.children.get_mut(p.index() as usize)) {
            *c += 1;
        }
        if let Some(s) = store.items.get(i) {
            store.by_user.extend(s.users().map(|u| (u, i)));
        }
        Ok(i)
    }

    /// Removes an item. An item that still has children (goals of a session, metrics of a
    /// goal) is refused: remove them first.
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{ErrorKind, ItemErrorKind, ItemSpec, Model};
    /// let mut model = Model::new();
    /// model.items_mut().add_item(ItemSpec::session("q1"))?;
    /// model.items_mut().add_item(ItemSpec::goal("g1", "q1"))?;
    /// let err = model.items_mut().remove_item("q1").unwrap_err();
    /// assert_eq!(err.kind(), &ItemErrorKind::HasChildItems { id: "q1".into(), children: 1 });
    /// model.items_mut().remove_item("g1")?;
    /// model.items_mut().remove_item("q1")?;
    /// assert!(model.items().item("q1").is_none());
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    pub fn remove_item(&mut self, id: &str) -> Result<(), ItemError> {
        let i = self.items.live(id, "id")?;
        let children = self
            .items
            .children
            .get(i.index() as usize)
            .copied()
            .unwrap_or(0) as usize;
        if children > 0 {
            return Err(ItemError::at(
                "id",
                ItemErrorKind::HasChildItems {
                    id: id.to_owned(),
                    children,
                },
            ));
        }
        let parent = self.items.get(i).and_then(StoredItem::parent);
        if let Some(p) = parent {
            if let Some(c) = self.items.children.get_mut(p.index() as usize) {
                *c = c.saturating_sub(1);
            }
        }
        if let Some(old) = self.items.items.remove(i) {
            for u in old.users() {
                self.items.by_user.remove(&(u, i));
            }
        }
        Ok(())
    }

    /// Moves an item under another parent: a goal to another session, a metric to another
    /// goal (`None` only for the types without a parent, where it changes nothing). The
    /// item keeps its own lists, owners and creator; what it inherits (`inherits = true`, or
    /// no list of its own) is resolved against the new parent at the next compile, so a
    /// snapshot after the move answers as a model built with the item at its new place.
    ///
    /// Errors, in this order, all at `parentId` but the first: `id` (unknown item),
    /// [`ParentNotAllowed`](crate::ItemErrorKind::ParentNotAllowed) and
    /// [`ParentRequired`](crate::ItemErrorKind::ParentRequired) (as in
    /// [`add_item`](crate::ItemsMut::add_item)), an unknown parent,
    /// [`ItemCycle`](crate::ItemErrorKind::ItemCycle) (the parent is the item or lies under
    /// it, found by walking up from the parent, without recursion) and
    /// [`WrongParentType`](crate::ItemErrorKind::WrongParentType). A refused move changes
    /// nothing. Cost: O(depth of the parent + log items).
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{ItemErrorKind, ItemSpec, Model};
    /// let mut model = Model::new();
    /// model.items_mut().add_item(ItemSpec::session("q1"))?;
    /// model.items_mut().add_item(ItemSpec::session("q2"))?;
    /// model.items_mut().add_item(ItemSpec::goal("g1", "q1"))?;
    /// model.items_mut().add_item(ItemSpec::metric("m1", "g1"))?;
    ///
    /// model.items_mut().move_item("g1", Some("q2"))?;
    /// assert_eq!(model.items().item("g1").unwrap().parent.as_deref(), Some("q2"));
    /// model.items_mut().remove_item("q1")?; // q1 has no child left
    ///
    /// let err = model.items_mut().move_item("g1", Some("m1")).unwrap_err();
    /// assert_eq!(err.kind(), &ItemErrorKind::ItemCycle { id: "g1".into(), parent: "m1".into() });
    /// let err = model.items_mut().move_item("m1", Some("q2")).unwrap_err();
    /// assert_eq!(err.to_string(), "parentId: item \"q2\" is a session, a metric's parent must be a goal");
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    pub fn move_item(&mut self, id: &str, parent: Option<&str>) -> Result<(), ItemError> {
        let i = self.items.live(id, "id")?;
        let Some(item) = self.items.get(i) else {
            return Err(ItemError::at(
                "id",
                ItemErrorKind::UnknownItem { id: id.to_owned() },
            ));
        };
        let item_type = item.item_type;
        let old = item.parent();
        let new = match (item_type.parent_type(), parent) {
            (None, None) => return Ok(()),
            (None, Some(_)) => {
                return Err(ItemError::at(
                    "parentId",
                    ItemErrorKind::ParentNotAllowed { item_type },
                ));
            }
            (Some(_), None) => {
                return Err(ItemError::at(
                    "parentId",
                    ItemErrorKind::ParentRequired { item_type },
                ));
            }
            (Some(expected), Some(p)) => {
                let pid = self.items.live(p, "parentId")?;
                if self.items.is_under(pid, i) {
                    return Err(ItemError::at(
                        "parentId",
                        ItemErrorKind::ItemCycle {
                            id: id.to_owned(),
                            parent: p.to_owned(),
                        },
                    ));
                }
                let found = self.items.get(pid).map_or(expected, |s| s.item_type);
                if found != expected {
                    return Err(ItemError::at(
                        "parentId",
                        ItemErrorKind::WrongParentType {
                            item_type,
                            parent: p.to_owned(),
                            found,
                            expected,
                        },
                    ));
                }
                pid
            }
        };
        if old == Some(new) {
            return Ok(());
        }
        let store = &mut *self.items;
        if let Some(c) = old.and_then(|o| store.children.get_mut(o.index() as usize)) {
            *c = c.saturating_sub(1);
        }
        if let Some(c) = store.children.get_mut(new.index() as usize) {
            *c += 1;
        }
        if let Some(s) = store.items.get_mut(i) {
            s.parent = new.index();
        }
        Ok(())
    }

    /// Replaces an item's own access list (`None`: not configured). Error paths start with
    /// `access.`, as in [`add_item`](crate::ItemsMut::add_item).
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{AccessEntry, AccessSpec, ItemSpec, ItemVerbs, Model};
    /// let mut model = Model::new();
    /// model.add_user("ada", None)?;
    /// model.items_mut().add_item(ItemSpec::session("q1"))?;
    /// model.items_mut().set_item_access("q1", Some(AccessSpec::new([AccessEntry::user("ada", ItemVerbs::ALL)])))?;
    /// assert_eq!(model.items().item("q1").unwrap().access.unwrap().permissions.len(), 1);
    /// let err = model.items_mut().set_item_access("q1", Some(AccessSpec::new([AccessEntry::user("bob", ItemVerbs::READ)])));
    /// assert_eq!(err.unwrap_err().path(), "access.permissions[0].principalId");
    /// model.items_mut().set_item_access("q1", None)?;
    /// assert!(model.items().item("q1").unwrap().access.is_none());
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    pub fn set_item_access(
        &mut self,
        id: &str,
        access: Option<AccessSpec>,
    ) -> Result<(), ItemError> {
        let i = self.items.live(id, "id")?;
        let stored = access
            .as_ref()
            .map(|a| self.read().item_access(a))
            .transpose()?;
        self.items.edit(i, |item| item.access = stored);
        Ok(())
    }

    /// Replaces an item's per-item default access list (`None`: none). Only sessions and
    /// dashboards have one.
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{AccessEntry, ErrorKind, ItemErrorKind, ItemSpec, ItemType, ItemVerbs, Model};
    /// let mut model = Model::new();
    /// model.items_mut().add_item(ItemSpec::session("q1"))?;
    /// model.items_mut().add_item(ItemSpec::goal("g1", "q1"))?;
    /// model.items_mut().set_item_default_access("q1", Some(vec![AccessEntry::account(ItemVerbs::READ)]))?;
    /// let err = model.items_mut().set_item_default_access("g1", Some(vec![])).unwrap_err();
    /// assert_eq!(err.kind(), &ItemErrorKind::ItemDefaultNotAllowed { item_type: ItemType::Goal });
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    pub fn set_item_default_access(
        &mut self,
        id: &str,
        entries: Option<Vec<AccessEntry>>,
    ) -> Result<(), ItemError> {
        let i = self.items.live(id, "id")?;
        let item_type = self.items.get(i).map_or(ItemType::Goal, |s| s.item_type);
        let stored = entries
            .as_deref()
            .map(|e| self.read().item_default(item_type, e))
            .transpose()?;
        self.items.edit(i, |item| item.default_access = stored);
        Ok(())
    }

    /// Replaces an item's owners (possibly with none).
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{ItemSpec, Model};
    /// let mut model = Model::new();
    /// model.add_user("ada", None)?;
    /// model.items_mut().add_item(ItemSpec::session("q1"))?;
    /// model.items_mut().set_item_owners("q1", &["ada", "ada"])?;
    /// assert_eq!(model.items().item("q1").unwrap().owners, ["ada"]);
    /// assert_eq!(model.items_mut().set_item_owners("q1", &["ghost"]).unwrap_err().path(), "ownerIds[0]");
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    pub fn set_item_owners(&mut self, id: &str, owners: &[&str]) -> Result<(), ItemError> {
        let i = self.items.live(id, "id")?;
        let owned: Vec<String> = owners.iter().map(|&o| o.to_owned()).collect();
        let owners = self.read().item_users(&owned, "ownerIds")?;
        self.items.edit(i, |item| item.owners = owners);
        Ok(())
    }

    /// Sets or clears an item's creator.
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{ItemSpec, Model};
    /// let mut model = Model::new();
    /// model.add_user("ada", None)?;
    /// model.items_mut().add_item(ItemSpec::session("q1"))?;
    /// model.items_mut().set_item_creator("q1", Some("ada"))?;
    /// assert_eq!(model.items().item("q1").unwrap().creator.as_deref(), Some("ada"));
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    pub fn set_item_creator(&mut self, id: &str, creator: Option<&str>) -> Result<(), ItemError> {
        let i = self.items.live(id, "id")?;
        let c = match creator {
            Some(c) => self.dir.active_or_err(c, "creatorId")?.index(),
            None => NONE,
        };
        self.items.edit(i, |item| item.creator = c);
        Ok(())
    }

    /// Sets (`Some`) or clears (`None`) the default access list of an item type: the list
    /// of every item of that type without a list of its own (and, for sessions and
    /// dashboards, without a per-item default). The vendor exposes it for sessions and
    /// dashboards; every type may have one here. Error paths start with `permissions[i]`.
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{AccessEntry, ItemType, ItemVerbs, Model};
    /// let mut model = Model::new();
    /// model.items_mut().set_default_access(ItemType::Dashboard, Some(vec![AccessEntry::account(ItemVerbs::READ)]))?;
    /// assert_eq!(model.items().default_access(ItemType::Dashboard).unwrap().len(), 1);
    /// assert!(model.items().default_access(ItemType::Session).is_none());
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    pub fn set_default_access(
        &mut self,
        item_type: ItemType,
        entries: Option<Vec<AccessEntry>>,
    ) -> Result<(), ItemError> {
        let stored = entries
            .as_deref()
            .map(|e| self.read().validate_entries(e))
            .transpose()?;
        if let Some(slot) = self.items.type_defaults.get_mut(item_type.index()) {
            *slot = stored;
        }
        Ok(())
    }

    /// Sets the global actions gating an item type (see [`ItemGate`]). Names are not
    /// checked against the action catalog: a missing action gates its verbs off.
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{ItemGate, ItemType, Model};
    /// let mut model = Model::new();
    /// model.items_mut().set_item_gate(ItemType::Goal, ItemGate::new("view_goals", "edit_goals"))?;
    /// assert_eq!(model.items().item_gate(ItemType::Goal).manage, "edit_goals");
    /// assert!(model.items_mut().set_item_gate(ItemType::Goal, ItemGate::new("", "x")).is_err());
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    pub fn set_item_gate(&mut self, item_type: ItemType, gate: ItemGate) -> Result<(), ItemError> {
        if gate.access.is_empty() {
            return Err(ItemError::at("access", InputErrorKind::EmptyId));
        }
        if gate.manage.is_empty() {
            return Err(ItemError::at("manage", InputErrorKind::EmptyId));
        }
        if let Some(slot) = self.items.gates.get_mut(item_type.index()) {
            *slot = gate;
        }
        Ok(())
    }
}

impl<'m> ItemsRef<'m> {
    fn item_users(&self, ids: &[String], field: &str) -> Result<SmallVec<[UserId; 2]>, ItemError> {
        let mut out = SmallVec::with_capacity(ids.len());
        for (i, id) in ids.iter().enumerate() {
            // The path is written only for an error (a large import reads many ids).
            match self.dir.active_id(id) {
                Some(u) => out.push(u),
                None => out.push(self.dir.active_or_err(id, &format!("{field}[{i}]"))?),
            }
        }
        out.sort_unstable();
        out.dedup();
        Ok(out)
    }

    fn item_access(&self, access: &AccessSpec) -> Result<Box<StoredAccess>, ItemError> {
        let entries = self
            .validate_entries(&access.permissions)
            .map_err(|e| e.within("access"))?;
        Ok(Box::new(StoredAccess {
            inherits: access.inherits,
            entries,
        }))
    }

    fn item_default(
        &self,
        item_type: ItemType,
        entries: &[AccessEntry],
    ) -> Result<Box<[StoredEntry]>, ItemError> {
        if !item_type.has_item_default() {
            return Err(ItemError::at(
                "defaultAccess",
                ItemErrorKind::ItemDefaultNotAllowed { item_type },
            ));
        }
        Ok(self
            .validate_entries(entries)
            .map_err(|e| e.within("defaultAccess"))?
            .into_boxed_slice())
    }

    /// Validates a spec into dense ids; paths are the document's field names.
    fn validate_item(&self, spec: &ItemSpec) -> Result<StoredItem, ItemError> {
        let parent = match (spec.item_type.parent_type(), spec.parent.as_deref()) {
            (None, None) => NONE,
            (None, Some(_)) => {
                return Err(ItemError::at(
                    "parentId",
                    ItemErrorKind::ParentNotAllowed {
                        item_type: spec.item_type,
                    },
                ));
            }
            (Some(_), None) => {
                return Err(ItemError::at(
                    "parentId",
                    ItemErrorKind::ParentRequired {
                        item_type: spec.item_type,
                    },
                ));
            }
            (Some(expected), Some(p)) => {
                let pid = self.items.live(p, "parentId")?;
                let found = self.items.get(pid).map_or(expected, |s| s.item_type);
                if found != expected {
                    return Err(ItemError::at(
                        "parentId",
                        ItemErrorKind::WrongParentType {
                            item_type: spec.item_type,
                            parent: p.to_owned(),
                            found,
                            expected,
                        },
                    ));
                }
                pid.index()
            }
        };
        let owners = self.item_users(&spec.owners, "ownerIds")?;
        let creator = match &spec.creator {
            Some(c) => self.dir.active_or_err(c, "creatorId")?.index(),
            None => NONE,
        };
        let access = spec
            .access
            .as_ref()
            .map(|a| self.item_access(a))
            .transpose()?;
        let default_access = spec
            .default_access
            .as_ref()
            .map(|d| self.item_default(spec.item_type, d))
            .transpose()?;
        Ok(StoredItem {
            item_type: spec.item_type,
            parent,
            owners,
            creator,
            access,
            default_access,
        })
    }

    /// The default access list of an item type, if set (entries naming a principal removed
    /// since are left out).
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(orgperm::Model::new().items().default_access(orgperm::ItemType::Goal).is_none());
    /// ```
    pub fn default_access(&self, item_type: ItemType) -> Option<Vec<AccessEntry>> {
        let stored = self.items.type_defaults.get(item_type.index())?.as_ref()?;
        Some(self.entry_specs(stored))
    }

    /// The global actions gating an item type.
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{ItemType, Model};
    /// assert_eq!(Model::new().items().item_gate(ItemType::Session).access, "access-sessions");
    /// ```
    pub fn item_gate(&self, item_type: ItemType) -> &'m ItemGate {
        let [session, goal, metric, board, dashboard] = &self.items.gates;
        match item_type {
            ItemType::Session => session,
            ItemType::Goal => goal,
            ItemType::Metric => metric,
            ItemType::InsightBoard => board,
            ItemType::Dashboard => dashboard,
        }
    }

    /// The dense id of a live item.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(orgperm::Model::new().items().item_id("q1"), None);
    /// ```
    pub fn item_id(&self, id: &str) -> Option<ItemId> {
        self.items.live_id(id)
    }

    /// An item in external ids: owners sorted; owners, creator and entries naming a user,
    /// team or role removed since are left out.
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{ItemSpec, ItemType, Model};
    /// let mut model = Model::new();
    /// model.items_mut().add_item(ItemSpec::session("q1"))?;
    /// model.items_mut().add_item(ItemSpec::goal("g1", "q1"))?;
    /// let g = model.items().item("g1").unwrap();
    /// assert_eq!((g.item_type, g.parent.as_deref()), (ItemType::Goal, Some("q1")));
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    pub fn item(&self, id: &str) -> Option<ItemSpec> {
        let i = self.items.live_id(id)?;
        let s = self.items.get(i)?;
        let mut owners: Vec<String> = s
            .owners
            .iter()
            .filter(|&&u| self.dir.is_active(u))
            .map(|&u| self.dir.name(u).to_owned())
            .collect();
        owners.sort_unstable();
        let creator = UserId::from_index(s.creator);
        Some(ItemSpec {
            id: id.to_owned(),
            item_type: s.item_type,
            parent: s
                .parent()
                .map(|p| self.items.items.name(p))
                .map(str::to_owned),
            owners,
            creator: (s.creator != NONE && self.dir.is_active(creator))
                .then(|| self.dir.name(creator).to_owned()),
            access: s.access.as_ref().map(|a| AccessSpec {
                inherits: a.inherits,
                permissions: self.entry_specs(&a.entries),
            }),
            default_access: s.default_access.as_ref().map(|d| self.entry_specs(d)),
        })
    }

    /// External ids of the live items, in dense-id order.
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{ItemSpec, Model};
    /// let mut model = Model::new();
    /// model.items_mut().add_item(ItemSpec::session("q1"))?;
    /// assert_eq!(model.items().item_ids().collect::<Vec<_>>(), ["q1"]);
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    pub fn item_ids(&self) -> impl Iterator<Item = &'m str> + 'm {
        let items = &self.items.items;
        items.iter().map(move |(i, _)| items.name(i))
    }
}

impl<'m> ItemsRef<'m> {
    /// Validates entries; paths are `permissions[i].field`, relative to the list.
    pub(crate) fn validate_entries(
        &self,
        entries: &[AccessEntry],
    ) -> Result<Vec<StoredEntry>, ItemError> {
        let mut out = Vec::with_capacity(entries.len());
        for (i, e) in entries.iter().enumerate() {
            let at = |field: &str| format!("permissions[{i}].{field}");
            if e.include_subteams && e.kind != PrincipalKind::Team {
                return Err(ItemError::at(
                    at("includeSubteams"),
                    InputErrorKind::Conflict {
                        reason: "includeSubteams applies to team principals only",
                    },
                ));
            }
            let id = e.principal_id.as_str();
            let principal = match e.kind {
                PrincipalKind::User => {
                    StoredPrincipal::User(self.dir.active_or_err(id, &at("principalId"))?)
                }
                PrincipalKind::Team => StoredPrincipal::Team {
                    team: self.teams.live_id(id).ok_or_else(|| {
                        ItemError::at(
                            at("principalId"),
                            TeamErrorKind::UnknownTeam { id: id.to_owned() },
                        )
                    })?,
                    sub_teams: e.include_subteams,
                },
                PrincipalKind::Role => StoredPrincipal::Role(
                    crate::items::rbac_link::model_role(self.rbac, id).ok_or_else(|| {
                        ItemError::at(
                            at("principalId"),
                            RbacErrorKind::UnknownRole { id: id.to_owned() },
                        )
                    })?,
                ),
                PrincipalKind::Account => StoredPrincipal::Account(id.into()),
            };
            out.push(StoredEntry {
                principal,
                grant: e.grant,
            });
        }
        Ok(out)
    }

    /// The entries in external ids; entries naming a principal removed since are left out.
    pub(crate) fn entry_specs(&self, entries: &[StoredEntry]) -> Vec<AccessEntry> {
        entries
            .iter()
            .filter_map(|e| {
                let (kind, id, sub) = match &e.principal {
                    StoredPrincipal::User(u) => {
                        if !self.dir.is_active(*u) {
                            return None;
                        }
                        (PrincipalKind::User, self.dir.name(*u).to_owned(), false)
                    }
                    StoredPrincipal::Team { team, sub_teams } => {
                        if !self.teams.is_live(*team) {
                            return None;
                        }
                        (
                            PrincipalKind::Team,
                            self.teams.name(*team).to_owned(),
                            *sub_teams,
                        )
                    }
                    StoredPrincipal::Role(r) => (
                        PrincipalKind::Role,
                        crate::items::rbac_link::model_role_name(self.rbac, *r)?.to_owned(),
                        false,
                    ),
                    StoredPrincipal::Account(a) => (PrincipalKind::Account, a.to_string(), false),
                };
                Some(AccessEntry {
                    kind,
                    principal_id: id,
                    include_subteams: sub,
                    grant: e.grant,
                })
            })
            .collect()
    }
}
