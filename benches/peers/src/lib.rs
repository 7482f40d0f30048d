//! One question, four engines: "may viewer V see O's calls", where V holds `report-to-them`
//! on calls, so the answer is "O is V or reports to V, directly or not". The fourth is the
//! naive baseline, [`NaiveProfiles`]: the viewer's profile, its calls level, then a walk up
//! the manager chain, the same steps as orgperm's `can_access`.
//!
//! Everything is built from the same `orgperm_synth` org (same seed), and the bench asks
//! every engine the same (viewer, owner) pairs. [`Peers::check_agreement`] runs before any
//! timing: all engines must give the same answer on every pair.

use std::collections::{HashMap, HashSet};
use std::str::FromStr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use casbin::prelude::*;
use casbin::{Adapter, DefaultRoleManager};
use cedar_policy::{
    Authorizer, Context, Decision, Entities, Entity, EntityId, EntityTypeName, EntityUid,
    PolicySet, Request,
};
use orgperm_synth::baseline::NaiveProfiles;
use orgperm_synth::{generate, Rng, SynthConfig};
use orgperm::{Domain, Snapshot, UserId};

/// No manager (the root) in [`Org::manager`].
pub const NONE: u32 = u32::MAX;

/// The org as plain vectors, plus the orgperm snapshot.
pub struct Org {
    /// External ids; the index is the dense id of the naive baseline.
    pub ids: Vec<String>,
    /// Manager index of each user, [`NONE`] for the root.
    pub manager: Vec<u32>,
    /// Users with the manager profile (`report-to-them` on calls), as indices.
    pub viewers: Vec<u32>,
    /// Longest management chain, in edges (root = 0).
    pub depth: usize,
    /// The compiled orgperm snapshot.
    pub snap: Snapshot,
    /// orgperm's dense id of each index.
    pub dense: Vec<UserId>,
    /// The naive baseline over the same indices, calls domain, default workspace.
    pub naive: NaiveProfiles,
}

impl Org {
    /// Generates `users` users with `seed` and compiles the snapshot.
    pub fn generate(users: usize, seed: u64) -> (Org, Duration, Duration) {
        let t = Instant::now();
        let synth = generate(&SynthConfig::new(users).seed(seed));
        let gen_time = t.elapsed();
        let model = &synth.model;
        let ids: Vec<String> = model.user_ids().map(str::to_owned).collect();
        let index: HashMap<&str, u32> = ids
            .iter()
            .enumerate()
            .map(|(i, id)| (id.as_str(), i as u32))
            .collect();
        let manager: Vec<u32> = ids
            .iter()
            .map(|id| {
                model
                    .manager_of(id)
                    .map_or(NONE, |m| *index.get(m).expect("manager is a user"))
            })
            .collect();
        let viewers: Vec<u32> = synth
            .managers
            .iter()
            .map(|m| *index.get(m.as_str()).expect("manager is a user"))
            .collect();
        let depth = (0..manager.len())
            .map(|i| {
                let mut d = 0;
                let mut x = manager[i];
                while x != NONE {
                    d += 1;
                    x = manager[x as usize];
                }
                d
            })
            .max()
            .unwrap_or(0);
        let t = Instant::now();
        let snap = model.compile();
        let compile_time = t.elapsed();
        let dense = ids
            .iter()
            .map(|id| snap.user_id(id).expect("compiled user"))
            .collect();
        let naive = NaiveProfiles::new(model, &ids, Domain::Calls);
        (
            Org {
                ids,
                manager,
                viewers,
                depth,
                snap,
                dense,
                naive,
            },
            gen_time,
            compile_time,
        )
    }

    /// `n` (viewer, owner) index pairs, from `seed`: half are built true (the owner is a
    /// random user and the viewer a random manager-profile ancestor of it, or itself), half
    /// are a random manager-profile viewer and a random owner (almost always false).
    pub fn pairs(&self, n: usize, seed: u64) -> Vec<(u32, u32)> {
        let mut rng = Rng::new(seed);
        let is_viewer: HashSet<u32> = self.viewers.iter().copied().collect();
        let users = self.ids.len() as u64;
        let mut out = Vec::with_capacity(n);
        while out.len() < n {
            let owner = rng.range(0, users - 1) as u32;
            if out.len() % 2 == 0 {
                let mut chain = vec![owner];
                let mut x = self.manager[owner as usize];
                while x != NONE {
                    chain.push(x);
                    x = self.manager[x as usize];
                }
                chain.retain(|c| is_viewer.contains(c));
                if chain.is_empty() {
                    continue;
                }
                let v = chain[rng.range(0, chain.len() as u64 - 1) as usize];
                out.push((v, owner));
            } else {
                let v = self.viewers[rng.range(0, self.viewers.len() as u64 - 1) as usize];
                out.push((v, owner));
            }
        }
        out
    }
}

/// The plain parent walk: whether `owner` is `viewer` or reports to it. The answer every
/// engine must agree with; not timed (the timed baseline is [`NaiveProfiles::can_access`],
/// which looks the viewer's profile and level up first, as orgperm does).
pub fn parent_walk(manager: &[u32], viewer: u32, owner: u32) -> bool {
    let mut x = owner;
    loop {
        if x == viewer {
            return true;
        }
        match manager.get(x as usize) {
            Some(&m) if m != NONE => x = m,
            _ => return false,
        }
    }
}

/// The Cedar policy: `in` is reflexive and transitive over entity parents.
pub const CEDAR_POLICY: &str = r#"permit(principal, action == Action::"viewCalls", resource) when { resource in principal };"#;

/// Cedar: one `User` entity per user, whose parent is its manager; the owner is the resource.
pub struct Cedar {
    pub authorizer: Authorizer,
    pub policies: PolicySet,
    pub entities: Entities,
    pub user_type: EntityTypeName,
    pub action: EntityUid,
}

impl Cedar {
    /// Builds the 1-policy set and the entity store (Cedar computes the transitive closure
    /// of parents here, once).
    pub fn build(org: &Org) -> Cedar {
        let user_type = EntityTypeName::from_str("User").expect("type name");
        let uid = |i: u32| {
            EntityUid::from_type_name_and_id(user_type.clone(), EntityId::new(&org.ids[i as usize]))
        };
        let entities = (0..org.ids.len() as u32).map(|i| {
            let parents: HashSet<EntityUid> = match org.manager[i as usize] {
                NONE => HashSet::new(),
                m => HashSet::from([uid(m)]),
            };
            Entity::new_no_attrs(uid(i), parents)
        });
        let entities = Entities::from_entities(entities, None).expect("entities");
        let policies = PolicySet::from_str(CEDAR_POLICY).expect("policy");
        let action = EntityUid::from_str(r#"Action::"viewCalls""#).expect("action");
        Cedar {
            authorizer: Authorizer::new(),
            policies,
            entities,
            user_type,
            action,
        }
    }

    /// The request for (viewer, owner), from external ids.
    pub fn request(&self, viewer: &str, owner: &str) -> Request {
        let uid = |id: &str| EntityUid::from_type_name_and_id(self.user_type.clone(), EntityId::new(id));
        Request::new(uid(viewer), self.action.clone(), uid(owner), Context::empty(), None)
            .expect("request")
    }

    /// `is_authorized` on a prebuilt request.
    #[inline]
    pub fn allowed(&self, request: &Request) -> bool {
        self.authorizer
            .is_authorized(request, &self.policies, &self.entities)
            .decision()
            == Decision::Allow
    }

    /// Builds the request from external ids, then `is_authorized`.
    #[inline]
    pub fn allowed_ids(&self, viewer: &str, owner: &str) -> bool {
        self.allowed(&self.request(viewer, owner))
    }
}

/// The casbin model: one policy line (`view`), and `g` links "user, manager".
/// `g(owner, viewer)` is true when the owner reaches the viewer through links; casbin's
/// default role manager already answers true for equal names, the `r.sub == r.obj` test just
/// makes it explicit.
pub const CASBIN_MODEL: &str = r#"
[request_definition]
r = sub, obj, act

[policy_definition]
p = act

[role_definition]
g = _, _

[policy_effect]
e = some(where (p.eft == allow))

[matchers]
m = r.act == p.act && (r.sub == r.obj || g(r.obj, r.sub))
"#;

/// casbin-rs: an in-memory enforcer with a `DefaultRoleManager` whose hierarchy limit is set
/// above the org depth.
pub struct Casbin {
    pub enforcer: Enforcer,
    /// The role manager's `max_hierarchy_level`.
    pub max_level: usize,
}

impl Casbin {
    /// Loads 1 policy and `users - 1` grouping links through a `MemoryAdapter`.
    pub fn build(org: &Org) -> Casbin {
        let max_level = (org.depth + 2).max(10);
        let mut adapter = MemoryAdapter::default();
        pollster::block_on(adapter.add_policies("p", "p", vec![vec!["view".to_owned()]]))
            .expect("policy");
        let links: Vec<Vec<String>> = (0..org.ids.len())
            .filter(|&i| org.manager[i] != NONE)
            .map(|i| vec![org.ids[i].clone(), org.ids[org.manager[i] as usize].clone()])
            .collect();
        pollster::block_on(adapter.add_policies("g", "g", links)).expect("links");
        let model = pollster::block_on(DefaultModel::from_str(CASBIN_MODEL)).expect("model");
        let mut enforcer = pollster::block_on(Enforcer::new(model, adapter)).expect("enforcer");
        // The default is 10; set it explicitly so a deeper org is still answered exactly.
        enforcer
            .set_role_manager(Arc::new(parking_lot::RwLock::new(DefaultRoleManager::new(
                max_level,
            ))))
            .expect("role manager");
        Casbin {
            enforcer,
            max_level,
        }
    }

    /// `enforce((viewer, owner, "view"))`.
    #[inline]
    pub fn allowed(&self, viewer: &str, owner: &str) -> bool {
        self.enforcer
            .enforce((viewer, owner, "view"))
            .expect("enforce")
    }
}

/// Wall-clock time of each load step.
#[derive(Debug)]
pub struct LoadTimes {
    pub generate: Duration,
    pub orgperm_compile: Duration,
    pub cedar_entities: Duration,
    pub casbin_enforcer: Duration,
}

/// Every engine over the same org.
pub struct Peers {
    pub org: Org,
    pub cedar: Cedar,
    pub casbin: Casbin,
    pub load: LoadTimes,
}

impl Peers {
    /// Generates the org and loads every engine.
    pub fn build(users: usize, seed: u64) -> Peers {
        let (org, generate, orgperm_compile) = Org::generate(users, seed);
        let t = Instant::now();
        let cedar = Cedar::build(&org);
        let cedar_entities = t.elapsed();
        let t = Instant::now();
        let casbin = Casbin::build(&org);
        let casbin_enforcer = t.elapsed();
        Peers {
            org,
            cedar,
            casbin,
            load: LoadTimes {
                generate,
                orgperm_compile,
                cedar_entities,
                casbin_enforcer,
            },
        }
    }

    /// Asks every engine about every pair; panics on the first disagreement. Returns how
    /// many pairs are allowed.
    pub fn check_agreement(&self, pairs: &[(u32, u32)]) -> usize {
        let org = &self.org;
        let mut allowed = 0;
        for &(v, o) in pairs {
            let (vs, os) = (org.ids[v as usize].as_str(), org.ids[o as usize].as_str());
            let expected = parent_walk(&org.manager, v, o);
            let answers = [
                ("naive profiles", org.naive.can_access(v, o)),
                (
                    "orgperm dense",
                    org.snap
                        .can_access(org.dense[v as usize], Domain::Calls, org.dense[o as usize]),
                ),
                ("orgperm external ids", org.snap.can_access(vs, Domain::Calls, os)),
                ("cedar", self.cedar.allowed_ids(vs, os)),
                ("casbin", self.casbin.allowed(vs, os)),
            ];
            for (engine, got) in answers {
                assert_eq!(
                    got, expected,
                    "{engine} says {got} for viewer {vs} owner {os}, the parent walk says {expected}"
                );
            }
            allowed += usize::from(expected);
        }
        allowed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn engines_agree_on_a_small_org() {
        let peers = Peers::build(3_000, 42);
        let pairs = peers.org.pairs(512, 7);
        let allowed = peers.check_agreement(&pairs);
        assert!(allowed > 0 && allowed < pairs.len(), "{allowed} of {}", pairs.len());
        // A manager sees itself, not its own manager.
        let v = peers.org.viewers[1];
        let up = peers.org.manager[v as usize];
        let extra = [(v, v), (v, up)];
        assert_eq!(peers.check_agreement(&extra), 1);
    }
}
