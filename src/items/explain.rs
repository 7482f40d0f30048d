//! Why a user may or may not perform a verb on an item.

use crate::decision::Decision;
use crate::id::key::Key;
use crate::id::{DenseId, UserId};
use crate::items::compiled::{ACTIVE, ADMIN, CompiledItems, Origin, VIEW_ONLY};
use crate::items::query::Items;
use crate::items::rbac_link;
use crate::items::reason::{ItemPrincipal, ItemReason, ListOrigin};
use crate::items::store::ItemId;
use crate::items::verbs::{ItemVerbs, Verb};

impl<'s> Items<'s> {
    fn origin_of(&self, o: Origin) -> ListOrigin {
        let name = |i: ItemId| self.items.ids.name(i).unwrap_or("").to_owned();
        match o {
            Origin::Nothing => ListOrigin::Nothing,
            Origin::Own(i) => ListOrigin::AccessList { item: name(i) },
            Origin::ItemDefault(i) => ListOrigin::ItemDefault { item: name(i) },
            Origin::TypeDefault(t) => ListOrigin::TypeDefault { item_type: t },
            Origin::Unconfigured(i) => ListOrigin::UnconfiguredSession { session: name(i) },
        }
    }

    /// The entry of list `list` that grants `verb` to `u`, if any.
    fn granting_entry(
        &self,
        list: u32,
        u: UserId,
        word: u32,
        verb: Verb,
        unconfigured: bool,
    ) -> Option<ItemPrincipal> {
        let items: &CompiledItems = self.items;
        let l = items.lists.get(list as usize)?;
        let bit = ItemVerbs::of(verb).bits();
        if l.account & bit != 0 {
            return Some(if unconfigured {
                ItemPrincipal::AllUsers
            } else {
                ItemPrincipal::Account
            });
        }
        if l.admins & bit != 0 && word & ADMIN != 0 {
            return Some(ItemPrincipal::Admin);
        }
        let users = items.list_users(l);
        if let Ok(i) = users.binary_search_by_key(&u.index(), |e| e.user) {
            if users.get(i).is_some_and(|e| e.verbs & bit != 0) {
                let id = self.org.any_user_name(u).to_owned();
                return Some(if unconfigured {
                    ItemPrincipal::Creator { id }
                } else {
                    ItemPrincipal::User { id }
                });
            }
        }
        for e in items.list_teams(l) {
            let node = crate::org::tree::Node {
                pos: e.pos,
                end: e.end,
            };
            if e.verbs & bit != 0 && self.teams.contains(u, &node, true) {
                let team = CompiledItems::entry_team(e);
                return Some(ItemPrincipal::Team {
                    id: self.teams.ids.name(team).unwrap_or("").to_owned(),
                    sub_teams: e.sub_teams,
                });
            }
        }
        for e in items.list_roles(l) {
            if e.verbs & bit != 0 && rbac_link::holds_role(self.rbac, u, e.role) {
                return Some(ItemPrincipal::Role {
                    id: rbac_link::role_name(self.rbac, e.role).to_owned(),
                });
            }
        }
        None
    }

    /// Why `user` may or may not perform `verb` on `item`. Always agrees with
    /// [`actions`](Items::actions): allowed exactly when the verb is in
    /// `actions(user, item)`.
    ///
    /// Reported, in order: an unknown user or item; ownership (for read, update, delete);
    /// no entry of the effective list grants the verb (naming the list: the item's own,
    /// an ancestor's it inherits, a default, the unconfigured-session default, or none);
    /// the role layer (the gate action missing from the catalog, or not held); the
    /// view-only cap; else the entry that grants it, with the list it belongs to.
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{ItemSpec, ItemType, Model, ItemReason, Verb};
    /// let mut model = Model::new();
    /// model.add_user("ada", None)?;
    /// model.items_mut().add_item(ItemSpec::session("q1").created_by("ada"))?;
    /// let snap = model.compile();
    /// let d = snap.items().explain("ada", "q1", Verb::Read);
    /// assert!(!d.allowed); // the role layer: no action catalog at all
    /// assert_eq!(d.to_string(), "deny: read on item \"q1\" needs action \"access-sessions\", which is not in the action catalog");
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    pub fn explain(
        &self,
        user: impl Key<UserId>,
        item: impl Key<ItemId>,
        verb: Verb,
    ) -> Decision<ItemReason> {
        let items = self.items;
        let Some((u, word)) = user
            .resolve(&self.org.users)
            .map(|u| (u, items.word(u)))
            .filter(|&(_, w)| w & ACTIVE != 0)
        else {
            return Decision::deny(ItemReason::UnknownUser {
                user: user.describe(),
            });
        };
        let Some((i, rec)) = item
            .resolve(&self.items.ids)
            .and_then(|i| Some((i, items.get(i)?)))
        else {
            return Decision::deny(ItemReason::UnknownItem {
                item: item.describe(),
            });
        };
        let name = items.ids.name(i).unwrap_or("").to_owned();
        if ItemVerbs::OWNER.contains(verb) && items.owners_of(rec).contains(&u.index()) {
            return Decision::allow(ItemReason::ItemOwner { item: name, verb });
        }
        let origin = items
            .origins
            .get(i.index() as usize)
            .copied()
            .unwrap_or(Origin::Nothing);
        let unconfigured = matches!(origin, Origin::Unconfigured(_));
        let Some(principal) = self.granting_entry(rec.list, u, word, verb, unconfigured) else {
            return Decision::deny(ItemReason::ItemNoEntry {
                item: name,
                verb,
                origin: self.origin_of(origin),
            });
        };
        let Some((gate, access, manage)) = items.gates.get(rec.kind as usize) else {
            return Decision::deny(ItemReason::UnknownItem {
                item: item.describe(),
            });
        };
        let (action_name, action) = if verb == Verb::Read {
            (&gate.access, access)
        } else {
            (&gate.manage, manage)
        };
        // The gate bit before the view-only cap, recomputed from the roles layer.
        let held = action.is_some_and(|a| {
            rbac_link::user_facts(self.rbac, u)
                .is_some_and(|f| rbac_link::set_has_action(self.rbac, f.action_set, a))
        });
        if !held {
            return Decision::deny(ItemReason::ItemGated {
                item: name,
                verb,
                action: action_name.clone(),
                in_catalog: action.is_some(),
            });
        }
        if word & VIEW_ONLY != 0 && verb != Verb::Read {
            return Decision::deny(ItemReason::ItemViewOnly { item: name, verb });
        }
        Decision::allow(ItemReason::ItemEntry {
            item: name,
            verb,
            origin: self.origin_of(origin),
            principal,
        })
    }
}
