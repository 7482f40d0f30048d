//! The item sections of the model document, all optional (a version 1 document without
//! them still reads):
//!
//! ```json
//! {
//!   "items": [
//!     { "id": "q1", "type": "session", "ownerIds": ["ada"], "creatorId": "ada",
//!       "defaultAccess": { "permissions": [{ "principalKind": "account", "principalId": "acme", "grant": ["read"] }] } },
//!     { "id": "g1", "type": "goal", "parentId": "q1",
//!       "access": { "inherits": false, "permissions": [
//!         { "principalKind": "team", "principalId": "sales", "includeSubteams": true, "grant": ["read", "update"] },
//!         { "principalKind": "role", "principalId": "r1", "grant": ["read"] } ] } },
//!     { "id": "m1", "type": "metric", "parentId": "g1", "access": { "inherits": true } }
//!   ],
//!   "defaultAccess": [{ "itemType": "dashboard", "permissions": [{ "principalKind": "account", "grant": ["read"] }] }],
//!   "itemGates": [{ "itemType": "goal", "access": "view_goals", "manage": "edit_goals" }]
//! }
//! ```
//!
//! Items may be listed in any order (parents are added first). `itemGates` lists only the
//! types whose gate differs from the default. A default list has no `inherits` field (the
//! vendor's `default-access` endpoints return one; this document refuses it). Export is
//! sorted by id.

use serde::{Deserialize, Serialize};

use crate::error::InputErrorKind;
use crate::error::sink::Sink;
use crate::items::access::{AccessEntry, AccessSpec, ItemGate, PrincipalKind};
use crate::items::error::{ItemError, ItemErrorKind};
use crate::items::store::ItemSpec;
use crate::items::store::{ItemsMut, ItemsRef};
use crate::items::verbs::{ItemType, ItemVerbs, Verb};

fn is_false(b: &bool) -> bool {
    !*b
}

/// One access entry: `{"principalKind", "principalId", "includeSubteams", "grant"}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct EntryDoc {
    principal_kind: String,
    #[serde(default)]
    principal_id: String,
    #[serde(default, skip_serializing_if = "is_false")]
    include_subteams: bool,
    #[serde(default)]
    grant: Vec<String>,
}

/// An item's access list: `{"inherits", "permissions"}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct AccessDoc {
    #[serde(default)]
    inherits: bool,
    #[serde(default)]
    permissions: Vec<EntryDoc>,
}

/// A default list: `{"permissions"}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct DefaultDoc {
    #[serde(default)]
    permissions: Vec<EntryDoc>,
}

/// One item.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct ItemDoc {
    id: String,
    #[serde(rename = "type")]
    item_type: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    parent_id: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    owner_ids: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    creator_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    access: Option<AccessDoc>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    default_access: Option<DefaultDoc>,
}

/// The default list of an item type.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct TypeDefaultDoc {
    item_type: String,
    #[serde(default)]
    permissions: Vec<EntryDoc>,
}

/// The gate of an item type.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct GateDoc {
    item_type: String,
    access: String,
    manage: String,
}

/// The item sections, flattened into [`ModelDocument`](crate::ModelDocument).
#[derive(Clone, Debug, PartialEq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ItemsDoc {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(crate) items: Vec<ItemDoc>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(crate) default_access: Vec<TypeDefaultDoc>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(crate) item_gates: Vec<GateDoc>,
}

pub(crate) fn entry_doc(e: &AccessEntry) -> EntryDoc {
    EntryDoc {
        principal_kind: e.kind.as_str().to_owned(),
        principal_id: e.principal_id.clone(),
        include_subteams: e.include_subteams,
        grant: e.grant.names().map(str::to_owned).collect(),
    }
}

impl DefaultDoc {
    /// The default list of these entries.
    pub(crate) fn from_entries(entries: &[AccessEntry]) -> DefaultDoc {
        DefaultDoc {
            permissions: entries.iter().map(entry_doc).collect(),
        }
    }
}

/// Typed entries; paths are `permissions[i].field`.
pub(crate) fn entries<'a>(
    docs: impl IntoIterator<Item = &'a EntryDoc>,
) -> Result<Vec<AccessEntry>, ItemError> {
    let mut out = Vec::new();
    for (i, d) in docs.into_iter().enumerate() {
        let kind = PrincipalKind::parse(&d.principal_kind).ok_or_else(|| {
            ItemError::at(
                format!("permissions[{i}].principalKind"),
                ItemErrorKind::UnknownPrincipalKind {
                    value: d.principal_kind.clone(),
                },
            )
        })?;
        let mut grant = ItemVerbs::EMPTY;
        for (j, v) in d.grant.iter().enumerate() {
            let verb = Verb::parse(v).ok_or_else(|| {
                ItemError::at(
                    format!("permissions[{i}].grant[{j}]"),
                    ItemErrorKind::UnknownVerb { value: v.clone() },
                )
            })?;
            grant = grant.with(verb);
        }
        out.push(AccessEntry {
            kind,
            principal_id: d.principal_id.clone(),
            include_subteams: d.include_subteams,
            grant,
        });
    }
    Ok(out)
}

pub(crate) fn item_type(value: &str, field: &str) -> Result<ItemType, ItemError> {
    ItemType::parse(value).ok_or_else(|| {
        ItemError::at(
            field,
            ItemErrorKind::UnknownItemType {
                value: value.to_owned(),
            },
        )
    })
}

impl AccessDoc {
    /// The typed access list; paths relative to the list (`permissions[1].grant[0]`).
    pub(crate) fn to_spec(&self) -> Result<AccessSpec, ItemError> {
        Ok(AccessSpec {
            inherits: self.inherits,
            permissions: entries(&self.permissions)?,
        })
    }
}

impl DefaultDoc {
    /// The typed default list; paths relative to the list (`permissions[1].grant[0]`).
    pub(crate) fn to_entries(&self) -> Result<Vec<AccessEntry>, ItemError> {
        entries(&self.permissions)
    }
}

/// The typed spec of an item document; paths relative to the item.
pub(crate) fn spec(d: &ItemDoc) -> Result<ItemSpec, ItemError> {
    into_spec(d.clone())
}

/// [`spec`], taking the document's strings (a load moves them into the model).
fn into_spec(d: ItemDoc) -> Result<ItemSpec, ItemError> {
    let t = item_type(&d.item_type, "type")?;
    let access = match &d.access {
        Some(a) => Some(a.to_spec().map_err(|e| e.within("access"))?),
        None => None,
    };
    let default_access = match &d.default_access {
        Some(a) => Some(a.to_entries().map_err(|e| e.within("defaultAccess"))?),
        None => None,
    };
    Ok(ItemSpec {
        id: d.id,
        item_type: t,
        parent: d.parent_id,
        owners: d.owner_ids,
        creator: d.creator_id,
        access,
        default_access,
    })
}

/// The layer an item type is added in: parents before children.
fn layer(t: ItemType) -> u8 {
    match t {
        ItemType::Goal => 1,
        ItemType::Metric => 2,
        _ => 0,
    }
}

impl ItemsDoc {
    /// The item sections of a model: items sorted by id, type defaults and non-default
    /// gates in the order of [`ItemType::ALL`].
    pub(crate) fn from_model(model: ItemsRef<'_>) -> ItemsDoc {
        let mut items: Vec<ItemDoc> = model
            .item_ids()
            .filter_map(|id| model.item(id))
            .map(|s| ItemDoc {
                id: s.id,
                item_type: s.item_type.as_str().to_owned(),
                parent_id: s.parent,
                owner_ids: s.owners,
                creator_id: s.creator,
                access: s.access.map(|a| AccessDoc {
                    inherits: a.inherits,
                    permissions: a.permissions.iter().map(entry_doc).collect(),
                }),
                default_access: s.default_access.map(|d| DefaultDoc {
                    permissions: d.iter().map(entry_doc).collect(),
                }),
            })
            .collect();
        items.sort_by(|a, b| a.id.cmp(&b.id));
        let default_access = ItemType::ALL
            .into_iter()
            .filter_map(|t| {
                Some(TypeDefaultDoc {
                    item_type: t.as_str().to_owned(),
                    permissions: model.default_access(t)?.iter().map(entry_doc).collect(),
                })
            })
            .collect();
        let item_gates = ItemType::ALL
            .into_iter()
            .filter(|&t| *model.item_gate(t) != ItemGate::default_for(t))
            .map(|t| {
                let g = model.item_gate(t);
                GateDoc {
                    item_type: t.as_str().to_owned(),
                    access: g.access.clone(),
                    manage: g.manage.clone(),
                }
            })
            .collect();
        ItemsDoc {
            items,
            default_access,
            item_gates,
        }
    }

    /// Validates the sections and adds them to `model` (after the directory, teams and
    /// roles), consuming them. Errors point into the document:
    /// `items[7].access.permissions[1].principalId`.
    pub(crate) fn apply(
        self,
        mut model: ItemsMut<'_>,
        sink: &mut impl Sink<ItemErrorKind>,
    ) -> Result<(), ItemError> {
        for (k, g) in self.item_gates.iter().enumerate() {
            let at = || format!("itemGates[{k}]");
            let t = match item_type(&g.item_type, "itemType") {
                Ok(t) => t,
                Err(e) => {
                    sink.skip(e.within(&at()))?;
                    continue;
                }
            };
            if let Err(e) =
                model.set_item_gate(t, ItemGate::new(g.access.clone(), g.manage.clone()))
            {
                sink.skip(e.within(&at()))?;
            }
        }
        for (k, d) in self.default_access.iter().enumerate() {
            let at = || format!("defaultAccess[{k}]");
            let set = item_type(&d.item_type, "itemType").and_then(|t| {
                let list = entries(&d.permissions)?;
                model.set_default_access(t, Some(list))
            });
            if let Err(e) = set {
                sink.skip(e.within(&at()))?;
            }
        }
        let mut specs = Vec::with_capacity(self.items.len());
        for (k, d) in self.items.into_iter().enumerate() {
            let at = || format!("items[{k}]");
            let id = d.id.clone();
            match into_spec(d) {
                Ok(s) => specs.push((k, s)),
                Err(e) => sink.skip(e.within_record(&at(), &id))?,
            }
        }
        // Items are added parents first, not in document order: report a duplicate id at
        // its second occurrence in the document, and a parent of the wrong type as such even
        // when it would be added later.
        let mut types: hashbrown::HashMap<&str, ItemType> =
            hashbrown::HashMap::with_capacity(specs.len());
        let mut refused = Vec::new();
        for (n, (k, s)) in specs.iter().enumerate() {
            if types.insert(s.id.as_str(), s.item_type).is_some() {
                sink.skip(
                    ItemError::at("id", InputErrorKind::DuplicateId { id: s.id.clone() })
                        .within_record(&format!("items[{k}]"), &s.id),
                )?;
                refused.push(n);
            }
        }
        for (n, (k, s)) in specs.iter().enumerate() {
            let (Some(expected), Some(p)) = (s.item_type.parent_type(), s.parent.as_deref()) else {
                continue;
            };
            if let Some(&found) = types.get(p) {
                if found != expected {
                    sink.skip(
                        ItemError::at(
                            "parentId",
                            ItemErrorKind::WrongParentType {
                                item_type: s.item_type,
                                parent: p.to_owned(),
                                found,
                                expected,
                            },
                        )
                        .within_record(&format!("items[{k}]"), &s.id),
                    )?;
                    refused.push(n);
                }
            }
        }
        drop(types);
        if !refused.is_empty() {
            // Only a collecting sink gets here: skip the refused records.
            refused.sort_unstable();
            let mut n = 0;
            specs.retain(|_| {
                n += 1;
                refused.binary_search(&(n - 1)).is_err()
            });
        }
        specs.sort_by_key(|(k, s)| (layer(s.item_type), *k));
        for (k, s) in specs {
            if let Err(e) = model.add_item_ref(&s) {
                sink.skip(e.within_record(&format!("items[{k}]"), &s.id))?;
            }
        }
        Ok(())
    }
}
