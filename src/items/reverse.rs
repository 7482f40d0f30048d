//! The reverse item queries: who may do a verb on an item ([`Items::who_can`]) and on which
//! items of a type a user may do a verb ([`Items::with_verb`]). Both answer exactly what
//! [`Items::can`] answers, pair by pair; the explanation of a member is the forward
//! [`Items::explain`].
//!
//! `who_can` never tests users one by one: the item's compiled list is a union of roaring
//! sets built at compile time (the members of each team entry with its sub-teams, the
//! holders of each role from the roles layer, the active users for `account`, the admins),
//! plus the few user entries; the role layer and the view-only cap are one intersection with
//! the type's gate set; owners are added last, as ownership bypasses both.

use roaring::{MultiOps, RoaringBitmap};
use smallvec::SmallVec;

use crate::id::key::Key;
use crate::id::{DenseId, UserId};
use crate::items::compiled::{ACTIVE, ItemRec, gate_of};
use crate::items::item_set::ItemSet;
use crate::items::query::Items;
use crate::items::rbac_link;
use crate::items::store::ItemId;
use crate::items::verbs::{ItemType, ItemVerbs, Verb};
use crate::org::user_set::UserSet;

impl<'s> Items<'s> {
    /// The users who may perform `verb` on `item`: exactly the users `u` for which
    /// [`can`](Items::can)`(u, item, verb)` is true. Unknown or removed items: the empty set.
    ///
    /// The layers are those of [`actions`](Items::actions): the members of the item's
    /// effective list granted `verb` (user entries, teams with or without their sub-teams,
    /// role holders, every active user for `account`, admins for the unconfigured-session
    /// default), of whom those the role layer lets `verb` through (view-only users keep only
    /// `read`), plus the item's active owners for read, update and delete. Inactive and
    /// removed users are never in the set.
    ///
    /// Why a given user is (or is not) in the set: [`explain`](Items::explain)`(user, item,
    /// verb)`, whose `allowed` is exactly membership; it names the granting entry, ownership,
    /// or the layer that denies.
    ///
    /// O(u log u + t + r + o) roaring operations for u user, t team and r role entries of the
    /// compiled list granting `verb` and o owners, each union or intersection costing the
    /// containers of its sets (at most n / 65,536 dense containers per set for n users), not
    /// the users one by one; inheritance and defaults were resolved at compile time, so an
    /// item's depth costs nothing. Then O(k) to iterate k members.
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{AccessEntry, AccessSpec, ActionSpec, GlobalPermissionSpec, ItemSpec, ItemVerbs, Model, Principal, RoleSpec, Subject, Verb};
    /// let mut model = Model::new();
    /// for u in ["ada", "bob", "cy", "dee"] { model.add_user(u, None)?; }
    /// model.rbac_mut().add_division("home", "Home")?;
    /// model.rbac_mut().create_role(RoleSpec::new("editor", "Editor"))?;
    /// for u in ["ada", "bob", "cy"] { model.rbac_mut().grant_role(Subject::User(u), "editor", None)?; }
    /// model.rbac_mut().add_actions(vec![
    ///     ActionSpec::new("access-goals", "Access goals"),
    ///     ActionSpec::new("manage-goals", "Manage goals").requiring("access-goals"),
    /// ])?;
    /// model.rbac_mut().create_global_permission(GlobalPermissionSpec::new("p1", "manage-goals", [Principal::role("editor")]))?;
    /// model.teams_mut().add_team("sales", None)?;
    /// model.teams_mut().add_team("emea", Some("sales"))?;
    /// model.teams_mut().add_team_member("emea", "bob")?;
    /// model.items_mut().add_item(ItemSpec::session("q1"))?;
    /// model.items_mut().add_item(ItemSpec::goal("g1", "q1").owned_by(["dee"]).with_access(AccessSpec::new([
    ///     AccessEntry::user("ada", ItemVerbs::READ | ItemVerbs::UPDATE),
    ///     AccessEntry::team("sales", ItemVerbs::UPDATE).including_subteams(),
    /// ])))?;
    /// let snap = model.compile();
    /// // ada by her entry, bob through the sub-team, dee as the owner (cy has no entry).
    /// let who: Vec<_> = snap.items().who_can("g1", Verb::Update).external_ids().collect();
    /// assert_eq!(who, ["ada", "bob", "dee"]);
    /// assert!(snap.items().explain("bob", "g1", Verb::Update).allowed);
    /// assert!(snap.items().who_can("nope", Verb::Read).is_empty());
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    pub fn who_can(&self, item: impl Key<ItemId>, verb: Verb) -> UserSet<'s> {
        let set = item
            .resolve(&self.items.ids)
            .and_then(|i| self.items.get(i))
            .map(|rec| self.holders(rec, verb))
            .unwrap_or_default();
        UserSet::from_positions(set, self.org)
    }

    /// [`who_can`](Items::who_can) for every verb at once, in [`Verb::ALL`] order: the item
    /// is resolved once, then each verb costs what `who_can` costs. Unknown or removed
    /// items: five empty sets.
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{ItemSpec, ItemType, Model, Verb};
    /// let mut model = Model::new();
    /// model.add_user("ada", None)?;
    /// model.items_mut().add_item(ItemSpec::new("d1", ItemType::Dashboard).owned_by(["ada"]))?;
    /// let snap = model.compile();
    /// let sizes: Vec<(Verb, u64)> = snap.items().who_can_each("d1").iter().map(|(v, s)| (*v, s.len())).collect();
    /// assert_eq!(sizes, [(Verb::Read, 1), (Verb::Update, 1), (Verb::Create, 0), (Verb::Delete, 1), (Verb::ModifyPermissions, 0)]);
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    pub fn who_can_each(&self, item: impl Key<ItemId>) -> [(Verb, UserSet<'s>); 5] {
        let rec = item
            .resolve(&self.items.ids)
            .and_then(|i| self.items.get(i));
        Verb::ALL.map(|verb| {
            let set = rec.map(|rec| self.holders(rec, verb)).unwrap_or_default();
            (verb, UserSet::from_positions(set, self.org))
        })
    }

    /// The org-tree positions of the users who may perform `verb` on the item of `rec`.
    fn holders(&self, rec: &ItemRec, verb: Verb) -> RoaringBitmap {
        let items = self.items;
        let reverse = &items.reverse;
        let bit = ItemVerbs::of(verb).bits();
        let tree = &self.org.tree;
        let mut set = match (
            items.lists.get(rec.list as usize),
            reverse.gate(rec.kind, verb),
        ) {
            // Every active user, so the gate set itself.
            (Some(l), Some(gate)) if l.account & bit != 0 => gate.clone(),
            (Some(l), Some(gate)) if l.any & bit != 0 => {
                let mut parts: SmallVec<[&RoaringBitmap; 8]> = SmallVec::new();
                if l.admins & bit != 0 {
                    parts.push(&reverse.admins);
                }
                for (e, members) in items.list_team_sets(l) {
                    if e.verbs & bit != 0 {
                        parts.push(members);
                    }
                }
                for e in items.list_roles(l) {
                    if e.verbs & bit != 0 {
                        parts.extend(rbac_link::role_holders(self.rbac, e.role));
                    }
                }
                let mut users: Vec<u32> = items
                    .list_users(l)
                    .iter()
                    .filter(|e| e.verbs & bit != 0)
                    .filter_map(|e| tree.node(UserId::from_index(e.user)).map(|n| n.pos))
                    .collect();
                users.sort_unstable();
                let mut granted = parts.into_iter().union();
                granted |= RoaringBitmap::from_sorted_iter(users).unwrap_or_default();
                granted &= gate;
                granted
            }
            _ => RoaringBitmap::new(),
        };
        if ItemVerbs::OWNER.contains(verb) {
            for &o in items.owners_of(rec) {
                if let Some(n) = tree.node(UserId::from_index(o)) {
                    if reverse.active.contains(n.pos) {
                        set.insert(n.pos);
                    }
                }
            }
        }
        set
    }

    /// The items of `item_type` on which `user` may perform `verb`, as a roaring-backed set:
    /// exactly the items `x` of that type for which [`can`](Items::can)`(user, x, verb)` is
    /// true. [`readable`](Items::readable) is the `read` case. Unknown or removed users: the
    /// empty set.
    ///
    /// Why a given item is (or is not) in the set: [`explain`](Items::explain)`(user, item,
    /// verb)`, whose `allowed` is exactly membership.
    ///
    /// O(items of the type + distinct lists among them): each distinct compiled list is
    /// evaluated once for the user; a user whose role layer does not let `verb` through for
    /// the type (or a view-only user, for any verb but `read`) costs only the items they own.
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{AccessEntry, AccessSpec, ActionSpec, GlobalPermissionSpec, ItemSpec, ItemVerbs, ItemType, Model, Verb};
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
    /// model.items_mut().add_item(ItemSpec::goal("g2", "q1").with_access(AccessSpec::new([
    ///     AccessEntry::user("ada", ItemVerbs::READ),
    /// ])))?;
    /// let snap = model.compile();
    /// let items = snap.items();
    /// assert_eq!(items.with_verb("ada", ItemType::Goal, Verb::Update).external_ids().collect::<Vec<_>>(), ["g1"]);
    /// assert_eq!(items.with_verb("ada", ItemType::Goal, Verb::Read).len(), 2);
    /// assert!(items.with_verb("nobody", ItemType::Goal, Verb::Read).is_empty());
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    pub fn with_verb(
        &self,
        user: impl Key<UserId>,
        item_type: ItemType,
        verb: Verb,
    ) -> ItemSet<'s> {
        let items = self.items;
        let empty = || ItemSet::new(RoaringBitmap::new(), &self.items.ids);
        let Some(u) = user.resolve(&self.org.users) else {
            return empty();
        };
        let word = items.word(u);
        if word & ACTIVE == 0 {
            return empty();
        }
        let bit = ItemVerbs::of(verb).bits();
        let kind = item_type.index() as u8;
        let mut set = if gate_of(word, kind) & bit != 0 {
            // 0: not evaluated yet, 1: grants the verb, 2: does not.
            let mut memo = vec![0u8; items.lists.len()];
            let mut ids: Vec<u32> = Vec::new();
            for &i in items
                .by_type
                .get(item_type.index())
                .map_or(&[][..], Vec::as_slice)
            {
                let Some(rec) = items.recs.get(i as usize) else {
                    continue;
                };
                let Some(m) = memo.get_mut(rec.list as usize) else {
                    continue;
                };
                if *m == 0 {
                    let v = items.list_verbs(rec.list, u, word, self.teams, self.rbac);
                    *m = if v & bit != 0 { 1 } else { 2 };
                }
                if *m == 1 {
                    ids.push(i);
                }
            }
            RoaringBitmap::from_sorted_iter(ids).unwrap_or_default()
        } else {
            RoaringBitmap::new()
        };
        if ItemVerbs::OWNER.contains(verb) {
            for &i in items.owned_by(u) {
                if items.recs.get(i as usize).is_some_and(|r| r.kind == kind) {
                    set.insert(i);
                }
            }
        }
        ItemSet::new(set, &self.items.ids)
    }
}
