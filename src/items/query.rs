//! What a user may do on an item: the check, its vendor-shaped form, and the readable items
//! (the other reverse queries are in [`reverse`](crate::items::reverse)).
//!
//! The verbs of user `u` on item `x`, in layers:
//!
//! 1. the verbs `x`'s effective list grants `u` (see the crate docs, "Items");
//! 2. **role layer**: each verb also needs the matching global action of `x`'s type
//!    ([`ItemGate`](crate::ItemGate): `read` needs `access`, the other verbs `manage`); an
//!    action missing from the catalog gates its verbs off;
//! 3. **view-only**: a user holding a view-only role keeps at most `read`;
//! 4. **ownership**: an owner of `x` gets read, update and delete on it, whatever the list,
//!    the role layer or the view-only cap say. So a view-only owner may update and delete
//!    what they own (the "except what ownership gives" of the contract), and an owner
//!    without the type's actions still reads, updates and deletes their item.
//!
//! Unknown or removed users and items get no verb.

use crate::id::key::Key;
use crate::id::{DenseId, UserId};
use crate::items::compiled::CompiledItems;
use crate::items::compiled::{ACTIVE, ItemRec, gate_of};
use crate::items::error::{ItemError, ItemErrorKind};
use crate::items::item_set::ItemSet;
use crate::items::store::ItemId;
use crate::items::verbs::{ItemType, ItemVerbs, Verb};
use crate::org::compiled::CompiledOrg;
use crate::rbac::compiled::CompiledRbac;
use crate::teams::compiled::CompiledTeams;

/// The items family's read view, from [`Snapshot::items`](crate::Snapshot::items): the verbs
/// a user may use on an item, readable items, explanations.
///
/// # Examples
///
/// ```
/// use orgperm::{ItemSpec, ItemType, Model, Verb};
/// let mut model = Model::new();
/// model.add_user("ada", None)?;
/// model.items_mut().add_item(ItemSpec::new("s1", ItemType::Session).owned_by(["ada"]))?;
/// let snap = model.compile();
/// assert!(snap.items().can("ada", "s1", Verb::Read));
/// # Ok::<(), orgperm::ModelError>(())
/// ```
#[derive(Clone, Copy, Debug)]
pub struct Items<'s> {
    pub(crate) org: &'s CompiledOrg,
    pub(crate) teams: &'s CompiledTeams,
    pub(crate) rbac: &'s CompiledRbac,
    pub(crate) items: &'s CompiledItems,
}

impl<'s> Items<'s> {
    pub(crate) fn new(
        org: &'s CompiledOrg,
        teams: &'s CompiledTeams,
        rbac: &'s CompiledRbac,
        items: &'s CompiledItems,
    ) -> Self {
        Items {
            org,
            teams,
            rbac,
            items,
        }
    }

    /// The dense id of a live item.
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{ItemSpec, Model};
    /// let mut model = Model::new();
    /// let q = model.items_mut().add_item(ItemSpec::session("q1"))?;
    /// let snap = model.compile();
    /// assert_eq!(snap.items().item_id("q1"), Some(q));
    /// assert_eq!(snap.items().item_id("q2"), None);
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    #[inline]
    pub fn item_id(&self, id: &str) -> Option<ItemId> {
        self.items
            .ids
            .get(id)
            .filter(|&i| self.items.get(i).is_some())
    }

    /// The external id of a live item.
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{ItemSpec, Model};
    /// let mut model = Model::new();
    /// let q = model.items_mut().add_item(ItemSpec::session("q1"))?;
    /// assert_eq!(model.compile().items().item_name(q), Some("q1"));
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    pub fn item_name(&self, item: ItemId) -> Option<&'s str> {
        self.items.get(item)?;
        self.items.ids.name(item)
    }

    /// The type of a live item.
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{ItemSpec, ItemType, Model};
    /// let mut model = Model::new();
    /// model.items_mut().add_item(ItemSpec::session("q1"))?;
    /// assert_eq!(model.compile().items().item_type("q1"), Some(ItemType::Session));
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    pub fn item_type(&self, item: impl Key<ItemId>) -> Option<ItemType> {
        let i = item.resolve(&self.items.ids)?;
        self.items.get(i)?.item_type()
    }

    /// The verbs of active user `u` on the item of `rec` (see the module docs).
    #[inline]
    fn verbs_on(&self, u: UserId, rec: &ItemRec) -> ItemVerbs {
        let items = self.items;
        let word = items.word(u);
        if word & ACTIVE == 0 {
            return ItemVerbs::EMPTY;
        }
        let gate = gate_of(word, rec.kind);
        let mut v = 0;
        if gate != 0 {
            v = items.list_verbs(rec.list, u, word, self.teams, self.rbac) & gate;
        }
        if items.owners_of(rec).contains(&u.index()) {
            v |= ItemVerbs::OWNER.bits();
        }
        ItemVerbs::from_bits(v)
    }

    /// The verbs `user` may perform on the item `target_id` of type `target_type`: the
    /// answer of the vendor's `GET /permissions/currentUser-allowedActions/{targetId}?targetType=`.
    ///
    /// `target_type` is one of `metric`, `goal`, `session` and `insightBoard`; any other
    /// string, `dashboard` included (the endpoint does not list it; use
    /// [`actions`](Items::actions)), is an [`ItemErrorKind::UnknownTargetType`]
    /// error at `targetType`. An unknown or removed item, an item of another type than
    /// `target_type`, and an unknown or removed user get the empty set.
    ///
    /// O(log of the list's user entries + its team and role entries + owners): all
    /// inheritance and defaults were resolved at compile time. Allocates nothing.
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{AccessEntry, AccessSpec, ActionSpec, GlobalPermissionSpec, ItemSpec, ItemVerbs, Model, Verb};
    /// let mut model = Model::new();
    /// model.add_user("ada", None)?;
    /// model.rbac_mut().add_actions(vec![
    ///     ActionSpec::new("access-goals", "Access goals"),
    ///     ActionSpec::new("manage-goals", "Manage goals").requiring("access-goals"),
    /// ])?;
    /// model.rbac_mut().create_global_permission(GlobalPermissionSpec::new("p1", "manage-goals", ["ada"]))?;
    /// model.items_mut().add_item(ItemSpec::session("q1"))?;
    /// model.items_mut().add_item(ItemSpec::goal("g1", "q1").with_access(AccessSpec::new([
    ///     AccessEntry::user("ada", ItemVerbs::READ | ItemVerbs::UPDATE),
    /// ])))?;
    /// let snap = model.compile();
    /// let verbs = snap.items().allowed_actions("ada", "goal", "g1")?;
    /// assert_eq!(verbs.names().collect::<Vec<_>>(), ["read", "update"]);
    /// assert!(snap.items().allowed_actions("ada", "metric", "g1")?.is_empty()); // type mismatch
    /// let err = snap.items().allowed_actions("ada", "dashboard", "g1").unwrap_err();
    /// assert_eq!(err.to_string(), "targetType: unknown target type \"dashboard\" (expected metric, goal, session or insightBoard)");
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    #[inline]
    pub fn allowed_actions(
        &self,
        user: impl Key<UserId>,
        target_type: &str,
        target_id: impl Key<ItemId>,
    ) -> Result<ItemVerbs, ItemError> {
        let Some(t) = ItemType::parse_target(target_type) else {
            return Err(ItemError::at(
                "targetType",
                ItemErrorKind::UnknownTargetType {
                    value: target_type.to_owned(),
                },
            ));
        };
        let (Some(u), Some(i)) = (
            user.resolve(&self.org.users),
            target_id.resolve(&self.items.ids),
        ) else {
            return Ok(ItemVerbs::EMPTY);
        };
        match self.items.get(i) {
            Some(rec) if rec.kind as usize == t.index() => Ok(self.verbs_on(u, rec)),
            _ => Ok(ItemVerbs::EMPTY),
        }
    }

    /// The verbs `user` may perform on `item`, of any type (dashboards included). Unknown or
    /// removed users and items: the empty set.
    ///
    /// In layers: the verbs the item's effective list grants the user (after inheritance and
    /// defaults, see the crate docs); of those, the ones the role layer lets through (`read`
    /// needs the type's `access` action, the other verbs its `manage` action, see
    /// [`ItemGate`](crate::ItemGate); an action missing from the catalog lets nothing
    /// through); capped at `read` for a user holding a view-only role; plus read, update and
    /// delete for an owner of the item, whatever the list, the role layer or the cap say (so
    /// a view-only owner still updates and deletes what they own).
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{ItemSpec, ItemType, ItemVerbs, Model};
    /// let mut model = Model::new();
    /// model.add_user("ada", None)?;
    /// model.items_mut().add_item(ItemSpec::new("d1", ItemType::Dashboard).owned_by(["ada"]))?;
    /// let snap = model.compile();
    /// assert_eq!(snap.items().actions("ada", "d1"), ItemVerbs::OWNER);
    /// assert!(snap.items().actions("ada", "nope").is_empty());
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    #[inline]
    pub fn actions(&self, user: impl Key<UserId>, item: impl Key<ItemId>) -> ItemVerbs {
        let (Some(u), Some(i)) = (user.resolve(&self.org.users), item.resolve(&self.items.ids))
        else {
            return ItemVerbs::EMPTY;
        };
        match self.items.get(i) {
            Some(rec) => self.verbs_on(u, rec),
            None => ItemVerbs::EMPTY,
        }
    }

    /// Whether `user` may perform `verb` on `item`: `actions(user, item).contains(verb)`.
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{ItemSpec, ItemType, Model, Verb};
    /// let mut model = Model::new();
    /// model.add_user("ada", None)?;
    /// model.items_mut().add_item(ItemSpec::new("d1", ItemType::Dashboard).owned_by(["ada"]))?;
    /// let snap = model.compile();
    /// assert!(snap.items().can("ada", "d1", Verb::Delete));
    /// assert!(!snap.items().can("ada", "d1", Verb::ModifyPermissions));
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    #[inline]
    pub fn can(&self, user: impl Key<UserId>, item: impl Key<ItemId>, verb: Verb) -> bool {
        self.actions(user, item).contains(verb)
    }

    /// The items of `item_type` that `user` may read, as a roaring-backed set: exactly the
    /// items `x` of that type for which [`actions`](Items::actions)`(user, x)`
    /// holds `read`. The `read` case of [`with_verb`](Items::with_verb), for any verb;
    /// [`who_can`](Items::who_can) is the other direction.
    ///
    /// O(items of the type + distinct lists among them): each distinct compiled list is
    /// evaluated once; a user whose role layer does not let `read` through for the type
    /// costs only the items they own.
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{AccessEntry, AccessSpec, ActionSpec, GlobalPermissionSpec, ItemSpec, ItemType, ItemVerbs, Model};
    /// let mut model = Model::new();
    /// model.add_user("ada", None)?;
    /// model.rbac_mut().add_actions(vec![ActionSpec::new("access-sessions", "Access sessions")])?;
    /// model.rbac_mut().create_global_permission(GlobalPermissionSpec::new("p1", "access-sessions", ["ada"]))?;
    /// model.items_mut().add_item(ItemSpec::session("q1"))?; // unconfigured: every user reads
    /// model.items_mut().add_item(ItemSpec::session("q2").with_access(AccessSpec::new([])))?; // nobody
    /// let snap = model.compile();
    /// let seen: Vec<_> = snap.items().readable("ada", ItemType::Session).external_ids().collect();
    /// assert_eq!(seen, ["q1"]);
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    pub fn readable(&self, user: impl Key<UserId>, item_type: ItemType) -> ItemSet<'s> {
        self.with_verb(user, item_type, Verb::Read)
    }
}
