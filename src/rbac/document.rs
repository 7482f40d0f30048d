//! The roles-and-permissions sections of the JSON model document, in the vendors' field
//! names. Every section is optional, so a version 1 document without them still reads.
//!
//! ```json
//! {
//!   "version": 1,
//!   "users": [{ "id": "ada" }],
//!   "enabledProducts": ["engage"],
//!   "permissionCatalog": [
//!     { "permission": "admin", "label": "Administrator" },
//!     { "permission": "routing:queue:view", "label": "View queues", "divisionAware": true,
//!       "allowsConditions": true, "product": "engage" }
//!   ],
//!   "divisions": [{ "id": "home", "name": "Home", "home": true }, { "id": "emea", "name": "EMEA" }],
//!   "divisionResources": [{ "id": "queue-1", "divisionId": "emea" }],
//!   "groups": [{ "id": "g1", "name": "Support", "memberIds": ["ada"] }],
//!   "defaultRoles": [{ "defaultRoleId": "employee", "base": true, "id": "r-emp", "name": "Employee" }],
//!   "roles": [{ "id": "r1", "name": "Queue viewers", "permissionPolicies": [
//!     { "domain": "routing", "entityName": "queue", "actionSet": ["view"],
//!       "resourceConditionNode": { "variableName": "queue.id", "operator": "IN",
//!         "operands": [{ "type": "SCALAR", "value": "queue-1" }] } } ] }],
//!   "grants": [{ "groupId": "g1", "roleId": "r1", "divisionId": "*" },
//!              { "clientId": "crm-sync", "roleId": "r1", "divisionId": "emea" }],
//!   "actions": [{ "name": "access_goals", "title": "Access goals" },
//!               { "name": "manage_goals", "title": "Manage goals", "requires": "access_goals" }],
//!   "globalPermissions": [{ "id": "p1", "action": "manage_goals",
//!                           "principals": [{ "kind": "role", "id": "r1" }] }]
//! }
//! ```
//!
//! A global permission's principals carry their kind, `{"kind": "user", "id": ...}` or
//! `{"kind": "role", "id": ...}`, so that a user and a role sharing an id never collide
//! (Gtmhub's API sends bare id strings; this document does not accept them). They are
//! exported users first, each kind sorted by id.
//!
//! Import order follows the dependencies (products, catalog, divisions, resources, groups,
//! default roles, roles, grants, actions, global permissions), so a document may list each
//! section's entries in any order. A grant without `divisionId` goes to the home division;
//! the first division is home unless one says `"home": true`. Roles are imported as they
//! are: a role may hold a permission whose product is disabled (it never evaluates true).

use serde::{Deserialize, Serialize};

use crate::error::sink::Sink;

use crate::error::InputErrorKind;
use crate::rbac::actions::{ActionSpec, GlobalPermissionSpec, Principal};
use crate::rbac::catalog::PermissionSpec;
use crate::rbac::condition::{Condition, Conjunction, Operand, Operator};
use crate::rbac::defaults::DefaultRoleTemplate;
use crate::rbac::error::{RbacError, RbacErrorKind};
use crate::rbac::grants::{Grant, Subject};
use crate::rbac::ids::SCOPE_NONE;
use crate::rbac::role::{PolicySpec, RoleSpec};
use crate::rbac::{RbacMut, RbacRef};

fn is_false(b: &bool) -> bool {
    !*b
}

/// The roles-and-permissions sections, flattened into [`ModelDocument`](crate::ModelDocument).
#[derive(Clone, Debug, PartialEq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct RbacDoc {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(crate) enabled_products: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(crate) permission_catalog: Vec<PermissionDoc>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(crate) divisions: Vec<DivisionDoc>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(crate) division_resources: Vec<ResourceDoc>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(crate) groups: Vec<GroupDoc>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(crate) default_roles: Vec<RoleDoc>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(crate) roles: Vec<RoleDoc>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(crate) grants: Vec<GrantDoc>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(crate) actions: Vec<ActionDoc>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(crate) global_permissions: Vec<GlobalPermissionDoc>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct PermissionDoc {
    permission: String,
    #[serde(default)]
    label: String,
    #[serde(default, skip_serializing_if = "is_false")]
    division_aware: bool,
    #[serde(default, skip_serializing_if = "is_false")]
    allows_conditions: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    product: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct DivisionDoc {
    id: String,
    #[serde(default)]
    name: Option<String>,
    #[serde(default, skip_serializing_if = "is_false")]
    home: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct ResourceDoc {
    id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    division_id: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct GroupDoc {
    id: String,
    #[serde(default)]
    name: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    member_ids: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct OperandDoc {
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    kind: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    value: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct ConditionDoc {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    variable_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    operator: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    operands: Option<Vec<OperandDoc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    conjunction: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    terms: Option<Vec<ConditionDoc>>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct PolicyDoc {
    #[serde(default)]
    domain: String,
    #[serde(default)]
    entity_name: String,
    #[serde(default)]
    action_set: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    resource_condition_node: Option<ConditionDoc>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct RoleDoc {
    /// Only in `defaultRoles`: the template of the base role every user holds.
    #[serde(default, skip_serializing_if = "is_false")]
    base: bool,
    id: String,
    #[serde(default)]
    name: Option<String>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    description: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    default_role_id: Option<String>,
    #[serde(default, skip_serializing_if = "is_false")]
    view_only: bool,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    permissions: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    permission_policies: Vec<PolicyDoc>,
    /// Only in `roles`: the `needsUpdate` a PATCH set (absent: computed from the template).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    needs_update: Option<bool>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct GrantDoc {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    user_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    group_id: Option<String>,
    /// An OAuth client's grant.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    client_id: Option<String>,
    role_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    division_id: Option<String>,
    /// A grant in no division (`grant_role_undivided`).
    #[serde(default, skip_serializing_if = "is_false")]
    undivided: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct ActionDoc {
    name: String,
    #[serde(default)]
    title: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    description: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    requires: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct GlobalPermissionDoc {
    id: String,
    action: String,
    #[serde(default)]
    principals: Vec<PrincipalDoc>,
}

/// The kind of a global permission's principal.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
#[serde(rename_all = "lowercase")]
enum PrincipalKindDoc {
    User,
    Role,
}

/// A string only (`"user"`, `"role"`), read the same way by every deserializer: serde's
/// derived enum reader would also take serde_json's `{"user": null}`, which the strict
/// path-tracking reader refuses, and the two readers must agree (see
/// `document::reader::from_json_fast`).
impl<'de> Deserialize<'de> for PrincipalKindDoc {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<PrincipalKindDoc, D::Error> {
        struct KindVisitor;
        impl serde::de::Visitor<'_> for KindVisitor {
            type Value = PrincipalKindDoc;
            fn expecting(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                f.write_str("enum PrincipalKindDoc")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<PrincipalKindDoc, E> {
                match v {
                    "user" => Ok(PrincipalKindDoc::User),
                    "role" => Ok(PrincipalKindDoc::Role),
                    other => Err(E::unknown_variant(other, &["user", "role"])),
                }
            }
        }
        d.deserialize_str(KindVisitor)
    }
}

/// One principal: `{"kind": "user", "id": "u5"}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct PrincipalDoc {
    kind: PrincipalKindDoc,
    id: String,
}

impl PrincipalDoc {
    /// `None` for a bare id, which the model never returns.
    pub(crate) fn from_principal(p: Principal) -> Option<Self> {
        match p {
            Principal::User(id) => Some(PrincipalDoc {
                kind: PrincipalKindDoc::User,
                id,
            }),
            Principal::Role(id) => Some(PrincipalDoc {
                kind: PrincipalKindDoc::Role,
                id,
            }),
            Principal::Id(_) => None,
        }
    }

    pub(crate) fn to_principal(&self) -> Principal {
        match self.kind {
            PrincipalKindDoc::User => Principal::User(self.id.clone()),
            PrincipalKindDoc::Role => Principal::Role(self.id.clone()),
        }
    }
}

impl OperandDoc {
    /// The typed operand: `SCALAR` (the default), `QUEUE` and `VARIABLE` need a value, `USER`
    /// takes none. Paths relative to the operand.
    fn to_operand(&self) -> Result<Operand, RbacError> {
        let kind = self.kind.as_deref().unwrap_or("SCALAR");
        match (kind, &self.value) {
            ("USER", None) => Ok(Operand::User),
            ("USER", Some(_)) => Err(RbacError::at(
                "value",
                InputErrorKind::Conflict {
                    reason: "a USER operand stands for the checking user and takes no value",
                },
            )),
            (k, value) => {
                let Some(value) = value else {
                    return Err(RbacError::at("value", InputErrorKind::Required));
                };
                Operand::parse_kind(k, value).ok_or_else(|| {
                    RbacError::at(
                        "type",
                        RbacErrorKind::InvalidCondition {
                            reason: "the operand types are SCALAR, QUEUE, USER and VARIABLE",
                        },
                    )
                })
            }
        }
    }
}

impl ConditionDoc {
    /// The first operand, in document order, whose kind needs a value it lacks: reported
    /// before the tree's structure, as a missing field is where it is missing. Walks the
    /// tree with an explicit stack.
    fn missing_operand_value(&self) -> Option<RbacError> {
        let mut stack: Vec<(&ConditionDoc, String)> = vec![(self, String::new())];
        while let Some((node, at)) = stack.pop() {
            for (i, o) in node.operands.iter().flatten().enumerate() {
                if o.value.is_none() && o.kind.as_deref() != Some("USER") {
                    let path = format!("operands[{i}].value");
                    let path = if at.is_empty() {
                        path
                    } else {
                        format!("{at}.{path}")
                    };
                    return Some(RbacError::at(path, InputErrorKind::Required));
                }
            }
            let terms = node.terms.as_deref().unwrap_or(&[]);
            for (i, t) in terms.iter().enumerate().rev() {
                let path = format!("terms[{i}]");
                let path = if at.is_empty() {
                    path
                } else {
                    format!("{at}.{path}")
                };
                stack.push((t, path));
            }
        }
        None
    }

    fn from_condition(c: &Condition) -> Self {
        match c {
            Condition::Leaf {
                variable_name,
                operator,
                operands,
            } => ConditionDoc {
                variable_name: Some(variable_name.clone()),
                operator: Some(operator.as_str().to_owned()),
                operands: Some(
                    operands
                        .iter()
                        .map(|o| OperandDoc {
                            kind: Some(o.kind().to_owned()),
                            value: o.value().map(str::to_owned),
                        })
                        .collect(),
                ),
                ..ConditionDoc::default()
            },
            Condition::Group { conjunction, terms } => ConditionDoc {
                conjunction: Some(conjunction.as_str().to_owned()),
                terms: Some(terms.iter().map(ConditionDoc::from_condition).collect()),
                ..ConditionDoc::default()
            },
        }
    }

    /// The typed condition; paths relative to the node. Depth is checked by the role's
    /// validation, the recursion here by serde's own limit.
    fn to_condition(&self) -> Result<Condition, RbacError> {
        let leaf =
            self.variable_name.is_some() || self.operator.is_some() || self.operands.is_some();
        let group = self.conjunction.is_some() || self.terms.is_some();
        match (leaf, group) {
            (true, true) => Err(RbacError::new(InputErrorKind::Conflict {
                reason: "a condition node is either a leaf (variableName, operator, operands) or a group (conjunction, terms)",
            })),
            (false, false) => Err(RbacError::new(RbacErrorKind::InvalidCondition {
                reason: "an empty condition node",
            })),
            (true, false) => {
                let variable_name = self
                    .variable_name
                    .clone()
                    .ok_or_else(|| RbacError::at("variableName", InputErrorKind::Required))?;
                let op = self
                    .operator
                    .as_deref()
                    .ok_or_else(|| RbacError::at("operator", InputErrorKind::Required))?;
                let operator = Operator::parse(op).ok_or_else(|| {
                    RbacError::at(
                        "operator",
                        RbacErrorKind::InvalidOperator {
                            value: op.to_owned(),
                        },
                    )
                })?;
                let mut operands = Vec::new();
                for (i, o) in self.operands.iter().flatten().enumerate() {
                    operands.push(
                        o.to_operand()
                            .map_err(|e| e.within(&format!("operands[{i}]")))?,
                    );
                }
                Ok(Condition::Leaf {
                    variable_name,
                    operator,
                    operands,
                })
            }
            (false, true) => {
                let c = self
                    .conjunction
                    .as_deref()
                    .ok_or_else(|| RbacError::at("conjunction", InputErrorKind::Required))?;
                let conjunction = Conjunction::parse(c).ok_or_else(|| {
                    RbacError::at(
                        "conjunction",
                        RbacErrorKind::InvalidConjunction {
                            value: c.to_owned(),
                        },
                    )
                })?;
                let mut terms = Vec::new();
                for (i, t) in self.terms.iter().flatten().enumerate() {
                    terms.push(
                        t.to_condition()
                            .map_err(|e| e.within(&format!("terms[{i}]")))?,
                    );
                }
                Ok(Condition::Group { conjunction, terms })
            }
        }
    }
}

impl RoleDoc {
    /// The role's id, as written.
    pub(crate) fn id(&self) -> &str {
        &self.id
    }

    /// A default role template's entry: the role body and the base flag.
    pub(crate) fn template(spec: &RoleSpec, base: bool) -> Self {
        RoleDoc {
            base,
            ..RoleDoc::from_spec(spec)
        }
    }

    pub(crate) fn from_spec(spec: &RoleSpec) -> Self {
        RoleDoc {
            base: false,
            id: spec.id.clone(),
            name: Some(spec.name.clone()),
            description: spec.description.clone(),
            default_role_id: spec.default_role_id.clone(),
            view_only: spec.view_only,
            permissions: spec.permissions.clone(),
            permission_policies: spec
                .permission_policies
                .iter()
                .map(|p| PolicyDoc {
                    domain: p.domain.clone(),
                    entity_name: p.entity_name.clone(),
                    action_set: p.action_set.clone(),
                    resource_condition_node: p.condition.as_ref().map(ConditionDoc::from_condition),
                })
                .collect(),
            needs_update: None,
        }
    }

    /// The typed role; paths relative to the role.
    pub(crate) fn to_spec(&self) -> Result<RoleSpec, RbacError> {
        let mut policies = Vec::with_capacity(self.permission_policies.len());
        for (i, p) in self.permission_policies.iter().enumerate() {
            let condition = match &p.resource_condition_node {
                Some(c) => {
                    let at = format!("permissionPolicies[{i}].resourceConditionNode");
                    if let Some(e) = c.missing_operand_value() {
                        return Err(e.within(&at));
                    }
                    Some(c.to_condition().map_err(|e| e.within(&at))?)
                }
                None => None,
            };
            policies.push(PolicySpec {
                domain: p.domain.clone(),
                entity_name: p.entity_name.clone(),
                action_set: p.action_set.clone(),
                condition,
            });
        }
        Ok(RoleSpec {
            id: self.id.clone(),
            name: self.name.clone().unwrap_or_default(),
            description: self.description.clone(),
            default_role_id: self.default_role_id.clone(),
            view_only: self.view_only,
            permissions: self.permissions.clone(),
            permission_policies: policies,
        })
    }
}

impl RoleDoc {
    /// The typed role of a `roles` entry, which cannot be the base role (only a template in
    /// `defaultRoles` can); paths relative to the role.
    pub(crate) fn to_role_spec(&self) -> Result<RoleSpec, RbacError> {
        if self.needs_update.is_some() {
            return Err(RbacError::at(
                "needsUpdate",
                InputErrorKind::Conflict {
                    reason: "needsUpdate is set with setRoleNeedsUpdate, or in the document's roles",
                },
            ));
        }
        self.role_spec_and_mark().map(|(spec, _)| spec)
    }

    /// The typed role of a document's `roles` entry and its `needsUpdate` mark.
    pub(crate) fn role_spec_and_mark(&self) -> Result<(RoleSpec, Option<bool>), RbacError> {
        if self.base {
            return Err(RbacError::at(
                "base",
                InputErrorKind::Conflict {
                    reason: "only a template in defaultRoles can be the base role",
                },
            ));
        }
        Ok((self.to_spec()?, self.needs_update))
    }

    /// The template of a `defaultRoles` entry whose typed role ([`to_spec`](Self::to_spec))
    /// is `role`, keyed by its `defaultRoleId`; paths relative to the role.
    pub(crate) fn to_template(&self, role: RoleSpec) -> Result<DefaultRoleTemplate, RbacError> {
        if self.needs_update.is_some() {
            return Err(RbacError::at(
                "needsUpdate",
                InputErrorKind::Conflict {
                    reason: "a template has no needsUpdate",
                },
            ));
        }
        let key = role
            .default_role_id
            .clone()
            .ok_or_else(|| RbacError::at("defaultRoleId", InputErrorKind::Required))?;
        Ok(DefaultRoleTemplate {
            default_role_id: key,
            base: self.base,
            role,
        })
    }
}

impl PermissionDoc {
    /// The entry of a catalog permission.
    pub(crate) fn from_spec(p: &PermissionSpec) -> Self {
        PermissionDoc {
            permission: p.permission.clone(),
            label: p.label.clone(),
            division_aware: p.division_aware,
            allows_conditions: p.allows_conditions,
            product: p.product.clone(),
        }
    }

    /// The typed catalog entry.
    pub(crate) fn to_spec(&self) -> PermissionSpec {
        PermissionSpec {
            permission: self.permission.clone(),
            label: self.label.clone(),
            division_aware: self.division_aware,
            allows_conditions: self.allows_conditions,
            product: self.product.clone(),
        }
    }
}

impl ActionDoc {
    /// The entry of an action.
    pub(crate) fn from_spec(a: &ActionSpec) -> Self {
        ActionDoc {
            name: a.name.clone(),
            title: a.title.clone(),
            description: a.description.clone(),
            requires: a.requires.clone(),
        }
    }

    /// The typed action.
    pub(crate) fn to_spec(&self) -> ActionSpec {
        ActionSpec {
            name: self.name.clone(),
            title: self.title.clone(),
            description: self.description.clone(),
            requires: self.requires.clone(),
        }
    }
}

impl GlobalPermissionDoc {
    /// The entry of a permission object whose principals carry their kinds (a bare
    /// [`Principal::Id`] has none and is left out: resolve it first).
    pub(crate) fn from_spec(spec: &GlobalPermissionSpec) -> Self {
        GlobalPermissionDoc {
            id: spec.id.clone(),
            action: spec.action.clone(),
            principals: spec
                .principals
                .iter()
                .cloned()
                .filter_map(PrincipalDoc::from_principal)
                .collect(),
        }
    }

    /// The typed permission object (principals with their kinds).
    pub(crate) fn to_spec(&self) -> GlobalPermissionSpec {
        GlobalPermissionSpec {
            id: self.id.clone(),
            action: self.action.clone(),
            principals: self
                .principals
                .iter()
                .map(PrincipalDoc::to_principal)
                .collect(),
        }
    }
}

impl RbacDoc {
    /// The sections of a model, each sorted by id.
    pub(crate) fn from_model(model: RbacRef<'_>) -> RbacDoc {
        let rbac = &model.rbac;
        let mut permission_catalog: Vec<PermissionDoc> = rbac
            .catalog
            .entries
            .iter()
            .map(|(_, p)| PermissionDoc {
                permission: p.permission.clone(),
                label: p.label.clone(),
                division_aware: p.division_aware,
                allows_conditions: p.allows_conditions,
                product: p.product.clone(),
            })
            .collect();
        permission_catalog.sort_by(|a, b| a.permission.cmp(&b.permission));

        let mut divisions: Vec<DivisionDoc> = model
            .division_ids()
            .map(|id| DivisionDoc {
                id: id.to_owned(),
                name: model.division_name(id).map(str::to_owned),
                home: model.home_division() == Some(id),
            })
            .collect();
        divisions.sort_by(|a, b| a.id.cmp(&b.id));

        let d = &rbac.divisions;
        let mut division_resources: Vec<ResourceDoc> = d
            .resources
            .iter()
            .filter_map(|(_, id)| {
                Some(ResourceDoc {
                    id: id.to_owned(),
                    division_id: Some(model.resource_division(id)?.to_owned()),
                })
            })
            .collect();
        division_resources.sort_by(|a, b| a.id.cmp(&b.id));

        let mut groups: Vec<GroupDoc> = model
            .group_ids()
            .map(|id| GroupDoc {
                id: id.to_owned(),
                name: model.group_name(id).map(str::to_owned),
                member_ids: model
                    .group_members(id)
                    .map(|m| m.into_iter().map(str::to_owned).collect())
                    .unwrap_or_default(),
            })
            .collect();
        groups.sort_by(|a, b| a.id.cmp(&b.id));

        let default_roles = rbac
            .templates
            .values()
            .map(|t| RoleDoc {
                base: t.base,
                ..RoleDoc::from_spec(&t.role)
            })
            .collect();

        let mut roles: Vec<RoleDoc> = rbac
            .roles
            .iter()
            .map(|(r, s)| RoleDoc {
                needs_update: rbac.roles.mark(r),
                ..RoleDoc::from_spec(s)
            })
            .collect();
        roles.sort_by(|a, b| a.id.cmp(&b.id));

        let scope = |g: &Grant| (g.scope != SCOPE_NONE).then(|| d.scope_name(g.scope).to_owned());
        let mut grants: Vec<GrantDoc> = Vec::new();
        for (u, list) in rbac.grants.users() {
            if !model.dir.is_active(u) {
                continue;
            }
            grants.extend(list.iter().map(|g| GrantDoc {
                user_id: Some(model.dir.name(u).to_owned()),
                group_id: None,
                client_id: None,
                role_id: rbac.roles.name(g.role).to_owned(),
                division_id: scope(g),
                undivided: g.scope == SCOPE_NONE,
            }));
        }
        for (g, list) in rbac.grants.groups() {
            if rbac.groups.group(g).is_none() {
                continue;
            }
            grants.extend(list.iter().map(|x| GrantDoc {
                user_id: None,
                group_id: Some(rbac.groups.name(g).to_owned()),
                client_id: None,
                role_id: rbac.roles.name(x.role).to_owned(),
                division_id: scope(x),
                undivided: x.scope == SCOPE_NONE,
            }));
        }
        for (c, list) in rbac.grants.clients() {
            grants.extend(list.iter().map(|x| GrantDoc {
                user_id: None,
                group_id: None,
                client_id: Some(c.to_owned()),
                role_id: rbac.roles.name(x.role).to_owned(),
                division_id: scope(x),
                undivided: x.scope == SCOPE_NONE,
            }));
        }
        grants.sort_by(|a, b| {
            let key = |x: &GrantDoc| {
                (
                    (x.user_id.is_none(), x.group_id.is_none()),
                    x.user_id
                        .clone()
                        .or_else(|| x.group_id.clone())
                        .or_else(|| x.client_id.clone()),
                    x.role_id.clone(),
                    x.undivided,
                    x.division_id.clone(),
                )
            };
            key(a).cmp(&key(b))
        });

        let actions = model
            .actions()
            .into_iter()
            .map(|a| ActionDoc {
                name: a.name.clone(),
                title: a.title.clone(),
                description: a.description.clone(),
                requires: a.requires.clone(),
            })
            .collect();
        let global_permissions = model
            .global_permissions()
            .into_iter()
            .map(|g| GlobalPermissionDoc {
                id: g.id,
                action: g.action,
                principals: g
                    .principals
                    .into_iter()
                    .filter_map(PrincipalDoc::from_principal)
                    .collect(),
            })
            .collect();

        RbacDoc {
            enabled_products: model.enabled_products().map(str::to_owned).collect(),
            permission_catalog,
            divisions,
            division_resources,
            groups,
            default_roles,
            roles,
            grants,
            actions,
            global_permissions,
        }
    }

    /// Validates the sections and adds them to `model` (whose users are already there).
    /// Each record's error goes to `sink`; a collecting one skips the record and goes on.
    pub(crate) fn apply(
        &self,
        mut model: RbacMut<'_>,
        sink: &mut impl Sink<RbacErrorKind>,
    ) -> Result<(), RbacError> {
        let at = |section: &str, i: usize| format!("{section}[{i}]");
        for (i, p) in self.enabled_products.iter().enumerate() {
            if let Err(e) = model.enable_product(p) {
                sink.skip(RbacError::at(at("enabledProducts", i), e.kind().clone()))?;
            }
        }
        for (i, p) in self.permission_catalog.iter().enumerate() {
            if let Err(e) = model.add_permission(p.to_spec()) {
                sink.skip(e.within(&at("permissionCatalog", i)))?;
            }
        }
        let mut home = None;
        for (i, d) in self.divisions.iter().enumerate() {
            let here = || at("divisions", i);
            if let Err(e) = model.add_division(&d.id, d.name.as_deref().unwrap_or("")) {
                sink.skip(e.within_record(&here(), &d.id))?;
                continue;
            }
            if d.home {
                if home.is_some() {
                    sink.skip(RbacError::at(
                        format!("{}.home", here()),
                        InputErrorKind::Conflict {
                            reason: "only one division can be the home division",
                        },
                    ))?;
                    continue;
                }
                home = Some(d.id.as_str());
            }
        }
        if let Some(h) = home {
            model.set_home_division(h)?;
        }
        for (i, r) in self.division_resources.iter().enumerate() {
            if let Err(e) = model.assign_resource(&r.id, r.division_id.as_deref()) {
                sink.skip(e.within(&at("divisionResources", i)))?;
            }
        }
        for (i, g) in self.groups.iter().enumerate() {
            let here = || at("groups", i);
            if let Err(e) = model.add_group(&g.id, g.name.as_deref().unwrap_or("")) {
                sink.skip(e.within_record(&here(), &g.id))?;
                continue;
            }
            let members: Vec<&str> = g.member_ids.iter().map(String::as_str).collect();
            if let Err(e) = model.add_group_members(&g.id, &members) {
                sink.skip(e.within("memberIds").within_record(&here(), &g.id))?;
            }
        }
        for (i, t) in self.default_roles.iter().enumerate() {
            let here = || at("defaultRoles", i);
            let role = match t.to_spec() {
                Ok(role) => role,
                Err(e) => {
                    sink.skip(e.within_record(&here(), &t.id))?;
                    continue;
                }
            };
            let template = match t.to_template(role) {
                Ok(template) => template,
                Err(e) => {
                    sink.skip(e.within(&here()))?;
                    continue;
                }
            };
            if let Err(e) = model.set_default_role_template(template) {
                sink.skip(e.within_record(&here(), &t.id))?;
            }
        }
        for (i, r) in self.roles.iter().enumerate() {
            let here = || at("roles", i);
            let (spec, mark) = match r.role_spec_and_mark() {
                Ok(read) => read,
                Err(e) => {
                    sink.skip(e.within_record(&here(), &r.id))?;
                    continue;
                }
            };
            if let Err(e) = model.import_role(spec) {
                sink.skip(e.within_record(&here(), &r.id))?;
                continue;
            }
            if let Some(mark) = mark {
                if let Err(e) = model.set_needs_update(&r.id, mark) {
                    sink.skip(
                        RbacError::at("needsUpdate", e.kind().clone())
                            .within_record(&here(), &r.id),
                    )?;
                }
            }
        }
        for (i, g) in self.grants.iter().enumerate() {
            let here = || at("grants", i);
            let subject = match (&g.user_id, &g.group_id, &g.client_id) {
                (Some(u), None, None) => Subject::User(u),
                (None, Some(x), None) => Subject::Group(x),
                (None, None, Some(c)) => Subject::Client(c),
                (None, None, None) => {
                    sink.skip(RbacError::at(
                        format!("{}.userId", here()),
                        InputErrorKind::Required,
                    ))?;
                    continue;
                }
                (Some(_), Some(_), None) => {
                    sink.skip(RbacError::at(
                        here(),
                        InputErrorKind::Conflict {
                            reason: "a grant names either userId or groupId, not both",
                        },
                    ))?;
                    continue;
                }
                _ => {
                    sink.skip(RbacError::at(
                        here(),
                        InputErrorKind::Conflict {
                            reason: "a grant names one of userId, groupId and clientId",
                        },
                    ))?;
                    continue;
                }
            };
            let granted = if g.undivided {
                if g.division_id.is_some() {
                    sink.skip(RbacError::at(
                        format!("{}.undivided", here()),
                        InputErrorKind::Conflict {
                            reason: "an undivided grant has no divisionId",
                        },
                    ))?;
                    continue;
                }
                model.grant_role_undivided(subject, &g.role_id)
            } else {
                model.grant_role(subject, &g.role_id, g.division_id.as_deref())
            };
            if let Err(e) = granted {
                sink.skip(e.within(&here()))?;
            }
        }
        self.apply_actions(&mut model, sink)?;
        for (i, g) in self.global_permissions.iter().enumerate() {
            if let Err(e) = model.create_global_permission(g.to_spec()) {
                sink.skip(e.within(&at("globalPermissions", i)))?;
            }
        }
        Ok(())
    }

    /// The actions, added together (an action may name another listed after it). A
    /// collecting sink takes the error of the action named in it and tries again without
    /// that action, as often as it keeps errors.
    fn apply_actions(
        &self,
        model: &mut RbacMut<'_>,
        sink: &mut impl Sink<RbacErrorKind>,
    ) -> Result<(), RbacError> {
        let mut left: Vec<usize> = (0..self.actions.len()).collect();
        loop {
            let actions = left
                .iter()
                .filter_map(|&i| self.actions.get(i).map(ActionDoc::to_spec))
                .collect();
            let Err(e) = model.add_actions(actions) else {
                return Ok(());
            };
            // Name the action in the document's numbering, not the retry's.
            let (e, at) = e.reindexed("", |n| left.get(n).copied());
            let e = e.within("actions");
            match at {
                Some(original) if sink.is_collecting() => {
                    sink.skip(e)?;
                    left.retain(|&i| i != original);
                }
                _ => return Err(e),
            }
        }
    }
}
