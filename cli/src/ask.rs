//! The questions: one check of any family (with or without its explanation), the reverse
//! queries, and the listings. Every id is looked up first, so an unknown one is an error
//! naming the closest known ids rather than a silent deny.

use orgperm::{Domain, ItemType, Model, Profiles, Snapshot, UserId, Verb};

use crate::args::{Objects, Query, Target, Workspace};
use crate::failure::Failure;

/// The answer to one check; `reason` when explained.
pub struct Answer {
    pub allowed: bool,
    pub reason: Option<String>,
}

/// A listing: the ids in the query's order.
pub struct Listing {
    pub kind: &'static str,
    pub ids: Vec<String>,
}

/// The model and its snapshot, for lookups.
pub struct Ctx<'a> {
    pub model: &'a Model,
    pub snap: &'a Snapshot,
}

impl<'a> Ctx<'a> {
    fn user(&self, id: &str) -> Result<UserId, Failure> {
        self.snap
            .user_id(id)
            .filter(|&u| self.snap.user_name(u).is_some())
            .ok_or_else(|| Failure::unknown("user", id, self.model.user_ids()))
    }

    fn profiles(&self, ws: &Workspace) -> Result<Profiles<'a>, Failure> {
        match &ws.workspace {
            None => Ok(self.snap.profiles()),
            Some(w) => match self.snap.workspace_id(w) {
                Some(id) => Ok(self.snap.in_workspace(id)),
                None => Err(Failure::unknown("workspace", w, self.model.workspace_ids())),
            },
        }
    }

    fn call(&self, id: &str) -> Result<orgperm::CallId, Failure> {
        self.snap
            .calls()
            .call_id(id)
            .ok_or_else(|| Failure::unknown("call", id, self.model.calls().call_ids()))
    }

    fn item(&self, id: &str) -> Result<orgperm::ItemId, Failure> {
        self.snap
            .items()
            .item_id(id)
            .ok_or_else(|| Failure::unknown("item", id, self.model.items().item_ids()))
    }

    fn team(&self, id: &str) -> Result<orgperm::TeamId, Failure> {
        self.snap
            .teams()
            .team_id(id)
            .ok_or_else(|| Failure::unknown("team", id, self.model.teams().team_ids()))
    }

    fn network(&self, id: &str) -> Result<orgperm::NetworkId, Failure> {
        self.snap
            .networks()
            .network_id(id)
            .ok_or_else(|| Failure::unknown("network", id, self.model.networks().network_ids()))
    }

    fn network_permission(&self, id: &str) -> Result<orgperm::NetworkPermissionId, Failure> {
        self.snap
            .networks()
            .permission_id(id)
            .ok_or_else(|| Failure::unknown("network permission", id, []))
    }

    fn permission(&self, id: &str) -> Result<orgperm::PermissionId, Failure> {
        self.snap
            .rbac()
            .permission_id(id)
            .ok_or_else(|| Failure::unknown("permission", id, []))
    }

    fn division(&self, id: &str) -> Result<orgperm::DivisionId, Failure> {
        self.snap
            .rbac()
            .division_id(id)
            .ok_or_else(|| Failure::unknown("division", id, self.model.rbac().division_ids()))
    }

    fn resource(&self, id: &str) -> Result<orgperm::ResourceId, Failure> {
        self.snap
            .rbac()
            .resource_id(id)
            .ok_or_else(|| Failure::unknown("resource", id, []))
    }

    fn action(&self, id: &str) -> Result<orgperm::ActionId, Failure> {
        self.snap
            .rbac()
            .action_id(id)
            .ok_or_else(|| Failure::unknown("action", id, []))
    }

    fn folder(&self, id: &str) -> Result<orgperm::FolderId, Failure> {
        self.snap
            .folder_id(id)
            .ok_or_else(|| Failure::unknown("folder", id, []))
    }

    fn capability(&self, id: &str) -> Result<orgperm::Capability, Failure> {
        self.snap
            .capability_id(id)
            .ok_or_else(|| Failure::unknown("capability", id, []))
    }
}

/// The domain named `name`: its field (`callsAccess`) or that without `Access` (`calls`).
pub fn domain(name: &str) -> Result<Domain, Failure> {
    Domain::ALL
        .into_iter()
        .find(|d| d.field() == name || d.field().strip_suffix("Access") == Some(name))
        .ok_or_else(|| {
            let names: Vec<&str> = Domain::ALL
                .iter()
                .map(|d| d.field().strip_suffix("Access").unwrap_or(d.field()))
                .collect();
            Failure::unknown("domain", name, names)
        })
}

fn verb(name: &str) -> Result<Verb, Failure> {
    Verb::parse(name).ok_or_else(|| {
        Failure::unknown(
            "verb",
            name,
            ["read", "update", "delete", "modifyPermissions"],
        )
    })
}

fn item_type(name: &str) -> Result<ItemType, Failure> {
    ItemType::parse(name).ok_or_else(|| {
        Failure::unknown(
            "item type",
            name,
            ["session", "goal", "metric", "insightBoard", "dashboard"],
        )
    })
}

/// A decision: the fast check, or the explanation (which always agrees with it).
macro_rules! decide {
    ($explain:expr, $check:expr, $why:expr) => {
        if $explain {
            let d = $why;
            Answer {
                allowed: d.allowed,
                reason: Some(d.reason.to_string()),
            }
        } else {
            Answer {
                allowed: $check,
                reason: None,
            }
        }
    };
}

/// Answers one check.
pub fn check(cx: &Ctx<'_>, query: &Query, explain: bool) -> Result<Answer, Failure> {
    let snap = cx.snap;
    Ok(match query {
        Query::Access {
            viewer,
            domain: d,
            owner,
            ws,
        } => {
            let (v, o, d, view) = (
                cx.user(viewer)?,
                cx.user(owner)?,
                domain(d)?,
                cx.profiles(ws)?,
            );
            decide!(explain, view.can_access(v, d, o), view.explain(v, d, o))
        }
        Query::Capability {
            user,
            capability,
            ws,
        } => {
            let (u, c, view) = (cx.user(user)?, cx.capability(capability)?, cx.profiles(ws)?);
            decide!(
                explain,
                view.has_capability(u, c),
                view.explain_capability(u, c)
            )
        }
        Query::Folder { user, folder, ws } => {
            let (u, f, view) = (cx.user(user)?, cx.folder(folder)?, cx.profiles(ws)?);
            decide!(
                explain,
                view.can_access_folder(u, f),
                view.explain_folder(u, f)
            )
        }
        Query::Permission {
            user,
            permission,
            division,
            resource,
            attributes,
        } => {
            let (u, p) = (cx.user(user)?, cx.permission(permission)?);
            let attrs: Vec<(&str, &str)> = attributes
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect();
            let rbac = snap.rbac();
            match (division, resource) {
                (Some(d), _) => {
                    let d = cx.division(d)?;
                    decide!(
                        explain,
                        rbac.has_permission_on(u, p, d, &attrs),
                        rbac.explain_permission_on(u, p, d, &attrs)
                    )
                }
                (None, Some(r)) => {
                    let r = cx.resource(r)?;
                    decide!(
                        explain,
                        rbac.has_permission_on_resource(u, p, r, &attrs),
                        rbac.explain_permission_on_resource(u, p, r, &attrs)
                    )
                }
                (None, None) => decide!(
                    explain,
                    rbac.has_permission(u, p),
                    rbac.explain_permission(u, p)
                ),
            }
        }
        Query::Action { user, action } => {
            let (u, a) = (cx.user(user)?, cx.action(action)?);
            decide!(
                explain,
                snap.rbac().has_action(u, a),
                snap.rbac().explain_action(u, a)
            )
        }
        Query::Call { viewer, call } => {
            let (v, c) = (cx.user(viewer)?, cx.call(call)?);
            decide!(
                explain,
                snap.calls().can_open(v, c),
                snap.calls().explain(v, c)
            )
        }
        Query::Item {
            user,
            item,
            verb: v,
        } => {
            let (u, i, v) = (cx.user(user)?, cx.item(item)?, verb(v)?);
            decide!(
                explain,
                snap.items().can(u, i, v),
                snap.items().explain(u, i, v)
            )
        }
        Query::Network {
            advisor,
            network,
            permission,
        } => {
            let (a, n, p) = (
                cx.user(advisor)?,
                cx.network(network)?,
                cx.network_permission(permission)?,
            );
            decide!(
                explain,
                snap.networks().has_permission(a, n, p),
                snap.networks().explain_permission(a, n, p)
            )
        }
        Query::Team {
            user,
            team,
            sub_teams,
        } => {
            let (u, t) = (cx.user(user)?, cx.team(team)?);
            decide!(
                explain,
                snap.teams().is_member(u, t, *sub_teams),
                snap.teams().explain_member(u, t, *sub_teams)
            )
        }
    })
}

fn users<'s>(ids: impl Iterator<Item = &'s str>) -> Listing {
    Listing {
        kind: "users",
        ids: ids.map(str::to_owned).collect(),
    }
}

/// Answers a reverse query: the subjects.
pub fn who_can(cx: &Ctx<'_>, target: &Target) -> Result<Listing, Failure> {
    let snap = cx.snap;
    Ok(match target {
        Target::Access {
            owner,
            domain: d,
            ws,
        } => {
            let (o, d, view) = (cx.user(owner)?, domain(d)?, cx.profiles(ws)?);
            users(view.who_can_access(o, d).external_ids())
        }
        Target::Capability { capability, ws } => {
            let (c, view) = (cx.capability(capability)?, cx.profiles(ws)?);
            users(view.who_has_capability(c).external_ids())
        }
        Target::Folder { folder, ws } => {
            let (f, view) = (cx.folder(folder)?, cx.profiles(ws)?);
            users(view.who_can_access_folder(f).external_ids())
        }
        Target::Permission {
            permission,
            division,
        } => {
            let p = cx.permission(permission)?;
            match division {
                Some(d) => {
                    let d = cx.division(d)?;
                    users(snap.rbac().users_with_permission(p, d).external_ids())
                }
                None => users(snap.rbac().users_holding_permission(p).external_ids()),
            }
        }
        Target::Action { action } => {
            let a = cx.action(action)?;
            users(snap.rbac().users_with_action(a).external_ids())
        }
        Target::Call { call } => {
            let c = cx.call(call)?;
            users(snap.calls().who_can_open(c).external_ids())
        }
        Target::Item { item, verb: v } => {
            let (i, v) = (cx.item(item)?, verb(v)?);
            users(snap.items().who_can(i, v).external_ids())
        }
        Target::Network {
            network,
            permission,
        } => {
            let (n, p) = (cx.network(network)?, cx.network_permission(permission)?);
            users(
                snap.networks()
                    .advisors_with_permission(n, p)
                    .external_ids(),
            )
        }
        Target::Team { team, sub_teams } => {
            let t = cx.team(team)?;
            users(snap.teams().members(t, *sub_teams).external_ids())
        }
        Target::Profile { profile } => {
            let p = snap
                .profile_id(profile)
                .ok_or_else(|| Failure::unknown("profile", profile, []))?;
            users(snap.profiles().users_with_profile(p).external_ids())
        }
    })
}

/// Answers a listing: the objects of a subject.
pub fn visible(cx: &Ctx<'_>, objects: &Objects) -> Result<Listing, Failure> {
    let snap = cx.snap;
    let list = |kind: &'static str, ids: Vec<&str>| Listing {
        kind,
        ids: ids.into_iter().map(str::to_owned).collect(),
    };
    Ok(match objects {
        Objects::Owners {
            viewer,
            domain: d,
            ws,
        } => {
            let (v, d, view) = (cx.user(viewer)?, domain(d)?, cx.profiles(ws)?);
            users(view.visible_owners(v, d).external_ids())
        }
        Objects::Calls { viewer, ws } => {
            let v = cx.user(viewer)?;
            let calls = match &ws.workspace {
                None => snap.calls(),
                Some(w) => {
                    cx.profiles(ws)?;
                    snap.calls().in_workspace(w.as_str())
                }
            };
            list("calls", calls.visible(v).external_ids().collect())
        }
        Objects::Folders { user, ws } => {
            let (u, view) = (cx.user(user)?, cx.profiles(ws)?);
            list("folders", view.folders_of(u).external_ids().collect())
        }
        Objects::Capabilities { user, ws } => {
            let (u, view) = (cx.user(user)?, cx.profiles(ws)?);
            list(
                "capabilities",
                view.capabilities_of(u).external_ids().collect(),
            )
        }
        Objects::Actions { user } => {
            let u = cx.user(user)?;
            list(
                "actions",
                snap.rbac().actions_of(u).external_ids().collect(),
            )
        }
        Objects::Permissions { user } => {
            let u = cx.user(user)?;
            list("permissions", snap.rbac().user_permissions(u))
        }
        Objects::Roles { user } => {
            let u = cx.user(user)?;
            list("roles", snap.rbac().user_roles(u))
        }
        Objects::Items {
            user,
            item_type: t,
            verb: v,
        } => {
            let (u, t, v) = (cx.user(user)?, item_type(t)?, verb(v)?);
            list(
                "items",
                snap.items().with_verb(u, t, v).external_ids().collect(),
            )
        }
    })
}
