//! Networks, compiled: one permission bitset per entitled (advisor, network).
//!
//! The bitsets are a [`Bitsets`] table over the cells `advisor * networks + network`, in
//! shared chunks, a bitset being `u32` words over the interned permission names (the usual
//! catalogs of at most 31 names: the cell's entry itself). A check is two loads (the chunk's
//! pointer, the cell's entry), three for wider bitsets, and a bit test. An entitlement
//! edit patches the chunks of the advisors it names and shares the rest.

use std::sync::Arc;

use roaring::RoaringBitmap;

use crate::decision::Decision;
use crate::id::key::Key;
use crate::id::{DenseId, Interner, NONE, UserId};
use crate::network::reason::NetworkReason;
use crate::network::store::NetworkStore;
use crate::network::table::{Bits, Bitsets};
use crate::network::{ContactId, NetworkFeature, NetworkId, NetworkPermissionId};
use crate::org::compiled::CompiledOrg;
use crate::org::user_set::UserSet;

/// Networks, compiled.
#[derive(Clone, Debug, Default)]
pub(crate) struct CompiledNetworks {
    ids: Interner<NetworkId>,
    perms: Interner<NetworkPermissionId>,
    contacts: Interner<ContactId>,
    n_networks: usize,
    /// The bitset of each entitled (advisor, network), by cell `advisor * n_networks +
    /// network`.
    sets: Bitsets,
    /// Everything but the entitlements, shared by the snapshots an entitlement edit patches.
    defs: Arc<NetworkDefs>,
}

/// The compiled networks' catalogs, contacts and features: what an entitlement edit does
/// not change.
#[derive(Clone, Debug, Default)]
struct NetworkDefs {
    /// Catalog of each network, in catalog order.
    catalogs: Vec<Vec<NetworkPermissionId>>,
    /// By dense network id: whether the network is live (a removed one keeps its id).
    live: Vec<bool>,
    /// Network and company of each contact (company interned per snapshot, `NONE` for none).
    contact_network: Vec<NetworkId>,
    contact_company: Vec<u32>,
    /// Features defined as data, sorted by name: the permissions each needs.
    features: Vec<(String, Vec<String>)>,
}

impl CompiledNetworks {
    /// Dense network ids handed out (live or removed) and permission names interned: the
    /// ranges a what-if impact walks.
    pub(crate) fn id_counts(&self) -> (u32, u32) {
        (self.ids.len() as u32, self.perms.len() as u32)
    }

    /// The network, permission and contact id tables, for the lineage check of an impact.
    pub(crate) fn id_tables(
        &self,
    ) -> (
        &Interner<NetworkId>,
        &Interner<NetworkPermissionId>,
        &Interner<ContactId>,
    ) {
        (&self.ids, &self.perms, &self.contacts)
    }

    pub(crate) fn network_name(&self, n: NetworkId) -> &str {
        self.ids.name(n).unwrap_or("")
    }

    pub(crate) fn permission_name(&self, p: NetworkPermissionId) -> &str {
        self.perms.name(p).unwrap_or("")
    }

    pub(crate) fn compile(nets: &NetworkStore, org: &CompiledOrg) -> CompiledNetworks {
        let n_networks = nets.catalogs.len();
        let cells = org.n_users.saturating_mul(n_networks);
        let entitled = nets.held.iter().filter_map(|(&(a, n), held)| {
            // A removed advisor holds nothing.
            org.tree.node(a)?;
            Some((cell(a, n, n_networks)?, held.as_slice()))
        });
        let mut companies: Vec<&str> = nets
            .contacts
            .iter()
            .filter_map(|(_, (_, c))| c.as_deref())
            .collect();
        companies.sort_unstable();
        companies.dedup();
        let defs = NetworkDefs {
            // By dense id, so that a removed network's (empty) slot keeps the others in place.
            catalogs: (0..n_networks)
                .map(|i| {
                    nets.catalogs
                        .get(NetworkId::from_index(i as u32))
                        .map(|c| c.iter().map(|&(p, _)| p).collect())
                        .unwrap_or_default()
                })
                .collect(),
            live: (0..n_networks)
                .map(|i| nets.catalogs.get(NetworkId::from_index(i as u32)).is_some())
                .collect(),
            contact_network: nets.contacts.iter().map(|(_, (n, _))| *n).collect(),
            contact_company: nets
                .contacts
                .iter()
                .map(|(_, (_, c))| {
                    c.as_deref()
                        .and_then(|c| companies.binary_search(&c).ok())
                        .map_or(NONE, |i| i as u32)
                })
                .collect(),
            features: nets
                .features
                .iter()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
        };
        CompiledNetworks {
            ids: nets.catalogs.ids().clone(),
            perms: nets.perms.clone(),
            contacts: nets.contacts.ids().clone(),
            n_networks,
            sets: Bitsets::build(cells, nets.perms.len(), entitled),
            defs: Arc::new(defs),
        }
    }

    /// The networks compiled again after edits that changed only the entitlements of
    /// `advisors` (entitling, removing an entitlement, granting, revoking) in `nets`, from
    /// `self`, compiled over the same org before them: those advisors' cells are read again
    /// from the store (one chunk copied per chunk they fall in), every other part is shared.
    /// `None` when `nets` differs from what `self` was compiled from in more than
    /// entitlements that can be told cheaply (networks or permission names added): the
    /// caller compiles whole. O(advisors × networks + the chunks' records).
    pub(crate) fn patch(
        &self,
        nets: &NetworkStore,
        org: &CompiledOrg,
        advisors: &[UserId],
    ) -> Option<CompiledNetworks> {
        let nn = self.n_networks;
        if nets.catalogs.len() != nn
            || nets.perms.len() != self.perms.len()
            || nets.contacts.ids().len() != self.contacts.len()
            || org.n_users.saturating_mul(nn) != self.sets.cells()
        {
            return None;
        }
        let mut touched: Vec<usize> = advisors
            .iter()
            .flat_map(|&a| {
                (0..nn).filter_map(move |n| cell(a, NetworkId::from_index(n as u32), nn))
            })
            .filter(|&c| c < self.sets.cells())
            .collect();
        touched.sort_unstable();
        touched.dedup();
        let sets = self.sets.patch(&touched, |c| {
            let a = UserId::from_index(u32::try_from(c.checked_div(nn)?).ok()?);
            let n = NetworkId::from_index(u32::try_from(c.checked_rem(nn)?).ok()?);
            // As the compile: a removed advisor holds nothing.
            org.tree.node(a)?;
            nets.held.get(&(a, n)).map(Vec::as_slice)
        });
        Some(CompiledNetworks {
            ids: self.ids.clone(),
            perms: self.perms.clone(),
            contacts: self.contacts.clone(),
            n_networks: nn,
            sets,
            defs: Arc::clone(&self.defs),
        })
    }

    /// Whether the network exists (was added and not removed).
    fn is_live(&self, n: NetworkId) -> bool {
        self.defs
            .live
            .get(n.index() as usize)
            .copied()
            .unwrap_or(false)
    }

    /// The bitset of an entitled (advisor, network).
    #[inline]
    fn set(&self, a: UserId, n: NetworkId) -> Option<Bits<'_>> {
        self.sets.get(cell(a, n, self.n_networks)?)
    }

    /// Heap bytes held, split into (id text, everything else).
    pub(crate) fn heap_bytes(&self) -> (usize, usize) {
        let (mut text, mut index) = (0, 0);
        for (t, i) in [
            self.ids.heap_bytes(),
            self.perms.heap_bytes(),
            self.contacts.heap_bytes(),
        ] {
            text += t;
            index += i;
        }
        let defs = &*self.defs;
        index += self.sets.heap_bytes()
            + defs
                .catalogs
                .iter()
                .map(|c| c.capacity() * 4 + 24)
                .sum::<usize>()
            + defs.live.capacity()
            + defs.contact_network.capacity() * 4
            + defs.contact_company.capacity() * 4;
        for (name, requires) in &defs.features {
            text += name.capacity() + requires.iter().map(String::capacity).sum::<usize>();
            index += 48 + requires.capacity() * 24;
        }
        (text, index)
    }
}

/// The cell of `(a, n)` among `n_networks` networks (`None` for a network out of range).
#[inline(always)]
fn cell(a: UserId, n: NetworkId, n_networks: usize) -> Option<usize> {
    let n = n.index() as usize;
    if n >= n_networks {
        return None;
    }
    (a.index() as usize).checked_mul(n_networks)?.checked_add(n)
}

/// The networks family's read view, from [`Snapshot::networks`](crate::Snapshot::networks):
/// advisors' per-network permissions, features and rooms with external contacts.
///
/// # Examples
///
/// ```
/// let mut model = orgperm::Model::new();
/// model.add_user("a", None)?;
/// let mut nets = model.networks_mut();
/// nets.add_network("WHATSAPP")?;
/// nets.add_network_permission("WHATSAPP", "create:room", true)?;
/// nets.entitle_advisor("a", "WHATSAPP")?;
/// let snap = model.compile();
/// assert!(snap.networks().has_permission("a", "WHATSAPP", "create:room"));
/// # Ok::<(), orgperm::ModelError>(())
/// ```
#[derive(Clone, Copy, Debug)]
pub struct Networks<'s> {
    org: &'s CompiledOrg,
    networks: &'s CompiledNetworks,
}

impl<'s> Networks<'s> {
    pub(crate) fn new(org: &'s CompiledOrg, networks: &'s CompiledNetworks) -> Self {
        Networks { org, networks }
    }

    /// The dense id of a network.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut model = orgperm::Model::new();
    /// let n = model.networks_mut().add_network("SMS").unwrap();
    /// assert_eq!(model.compile().networks().network_id("SMS"), Some(n));
    /// ```
    pub fn network_id(&self, id: &str) -> Option<NetworkId> {
        self.networks
            .ids
            .get(id)
            .filter(|&n| self.networks.is_live(n))
    }

    /// The dense id of a network permission name (listed in at least one catalog).
    ///
    /// # Examples
    ///
    /// ```
    /// let model = orgperm::Model::new();
    /// assert_eq!(model.compile().networks().permission_id("create:room"), None);
    /// ```
    pub fn permission_id(&self, name: &str) -> Option<NetworkPermissionId> {
        self.networks.perms.get(name)
    }

    /// The dense id of an external contact.
    ///
    /// # Examples
    ///
    /// ```
    /// let model = orgperm::Model::new();
    /// assert_eq!(model.compile().networks().contact_id("k1"), None);
    /// ```
    pub fn contact_id(&self, id: &str) -> Option<ContactId> {
        self.networks.contacts.get(id)
    }

    /// Whether `advisor` holds `permission` on `network`: they are an active user, entitled
    /// on the network, and hold the permission there.
    ///
    /// O(1): two loads and a bit test with dense ids. Anything unknown: `false`.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut model = orgperm::Model::new();
    /// model.add_user("a", None)?;
    /// model.networks_mut().add_network("WHATSAPP")?;
    /// model.networks_mut().add_network("WECHAT")?;
    /// model.networks_mut().add_network_permission("WHATSAPP", "create:room", true)?;
    /// model.networks_mut().add_network_permission("WECHAT", "create:room", true)?;
    /// model.networks_mut().entitle_advisor("a", "WHATSAPP")?;
    /// let snap = model.compile();
    /// assert!(snap.networks().has_permission("a", "WHATSAPP", "create:room"));
    /// assert!(!snap.networks().has_permission("a", "WECHAT", "create:room")); // not entitled
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    #[inline]
    pub fn has_permission(
        &self,
        advisor: impl Key<UserId>,
        network: impl Key<NetworkId>,
        permission: impl Key<NetworkPermissionId>,
    ) -> bool {
        let (Some(a), Some(n), Some(p)) = (
            advisor.resolve(&self.org.users),
            network.resolve(&self.networks.ids),
            permission.resolve(&self.networks.perms),
        ) else {
            return false;
        };
        cell(a, n, self.networks.n_networks).is_some_and(|c| self.networks.sets.holds(c, p))
    }

    /// Why `advisor` does or does not hold `permission` on `network`; always agrees with
    /// [`has_permission`](Networks::has_permission), and explains the members of
    /// [`advisors_with_permission`](Networks::advisors_with_permission). An allow is
    /// [`NetworkReason::NetworkPermissions`] with nothing missing; a deny names the missing
    /// permission, the missing entitlement, or what is unknown.
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::NetworkReason;
    /// let mut model = orgperm::Model::new();
    /// model.add_user("a", None)?;
    /// model.networks_mut().add_network("SMS")?;
    /// model.networks_mut().add_network_permission("SMS", "create:room", true)?;
    /// model.networks_mut().add_network_permission("SMS", "send:file", false)?;
    /// model.networks_mut().entitle_advisor("a", "SMS")?;
    /// let snap = model.compile();
    /// assert!(snap.networks().explain_permission("a", "SMS", "create:room").allowed);
    /// let d = snap.networks().explain_permission("a", "SMS", "send:file");
    /// assert_eq!(d.reason, NetworkReason::NetworkPermissions {
    ///     advisor: "a".into(), network: "SMS".into(), missing: vec!["send:file".into()],
    /// });
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    pub fn explain_permission(
        &self,
        advisor: impl Key<UserId>,
        network: impl Key<NetworkId>,
        permission: impl Key<NetworkPermissionId>,
    ) -> Decision<NetworkReason> {
        let (a, n) = match self.explained_pair(&advisor, &network) {
            Ok(pair) => pair,
            Err(deny) => return deny,
        };
        let Some(name) = permission
            .resolve(&self.networks.perms)
            .and_then(|p| self.networks.perms.name(p))
        else {
            return Decision::deny(NetworkReason::UnknownNetworkItem {
                kind: "permission",
                id: permission.describe(),
            });
        };
        self.explain_requirements(a, n, &[name])
    }

    /// Whether `advisor` is entitled on `network`.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut model = orgperm::Model::new();
    /// model.add_user("a", None)?;
    /// model.networks_mut().add_network("SMS")?;
    /// model.networks_mut().entitle_advisor("a", "SMS")?;
    /// assert!(model.compile().networks().is_entitled("a", "SMS"));
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    pub fn is_entitled(&self, advisor: impl Key<UserId>, network: impl Key<NetworkId>) -> bool {
        match (
            advisor.resolve(&self.org.users),
            network.resolve(&self.networks.ids),
        ) {
            (Some(a), Some(n)) => self.networks.set(a, n).is_some(),
            _ => false,
        }
    }

    /// The permissions `advisor` holds on `network`, in catalog order.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut model = orgperm::Model::new();
    /// model.add_user("a", None)?;
    /// model.networks_mut().add_network("SMS")?;
    /// model.networks_mut().add_network_permission("SMS", "create:room", true)?;
    /// model.networks_mut().entitle_advisor("a", "SMS")?;
    /// assert_eq!(model.compile().networks().permissions_of("a", "SMS"), ["create:room"]);
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    pub fn permissions_of(
        &self,
        advisor: impl Key<UserId>,
        network: impl Key<NetworkId>,
    ) -> Vec<&'s str> {
        let (Some(a), Some(n)) = (
            advisor.resolve(&self.org.users),
            network.resolve(&self.networks.ids),
        ) else {
            return Vec::new();
        };
        let (Some(set), Some(catalog)) = (
            self.networks.set(a, n),
            self.networks.defs.catalogs.get(n.index() as usize),
        ) else {
            return Vec::new();
        };
        catalog
            .iter()
            .filter(|&&p| set.holds(p))
            .filter_map(|&p| self.networks.perms.name(p))
            .collect()
    }

    /// The advisors holding `permission` on `network`. O(entitlements). Why an advisor is
    /// in the set: [`explain_feature`](Networks::explain_feature) names the rule for a
    /// feature; the permission itself comes from the entitlement and the network's defaults.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut model = orgperm::Model::new();
    /// model.add_user("a", None)?;
    /// model.add_user("b", None)?;
    /// model.networks_mut().add_network("SMS")?;
    /// model.networks_mut().add_network_permission("SMS", "create:room", true)?;
    /// model.networks_mut().entitle_advisor("b", "SMS")?;
    /// let who = model.compile();
    /// assert_eq!(who.networks().advisors_with_permission("SMS", "create:room").external_ids().collect::<Vec<_>>(), ["b"]);
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    pub fn advisors_with_permission(
        &self,
        network: impl Key<NetworkId>,
        permission: impl Key<NetworkPermissionId>,
    ) -> UserSet<'s> {
        let mut positions = Vec::new();
        if let (Some(n), Some(p)) = (
            network.resolve(&self.networks.ids),
            permission.resolve(&self.networks.perms),
        ) {
            let nn = self.networks.n_networks;
            for (c, set) in self.networks.sets.iter() {
                if c.checked_rem(nn) != Some(n.index() as usize) || !set.holds(p) {
                    continue;
                }
                let Some(a) = c
                    .checked_div(nn)
                    .and_then(|a| u32::try_from(a).ok())
                    .map(UserId::from_index)
                else {
                    continue;
                };
                if let Some(node) = self.org.tree.node(a) {
                    positions.push(node.pos);
                }
            }
        }
        positions.sort_unstable();
        positions.dedup();
        UserSet::from_positions(
            RoaringBitmap::from_sorted_iter(positions).unwrap_or_default(),
            self.org,
        )
    }

    /// Whether `advisor` holds every permission `feature` needs on `network`.
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{Model, NetworkFeature};
    /// let mut model = Model::new();
    /// model.add_user("a", None)?;
    /// model.networks_mut().add_network("WHATSAPP")?;
    /// model.networks_mut().add_network_permission("WHATSAPP", "admin:list-customers", true)?;
    /// model.networks_mut().add_network_permission("WHATSAPP", "on-behalf:simple-offboard", false)?;
    /// model.networks_mut().entitle_advisor("a", "WHATSAPP")?;
    /// let f = NetworkFeature::ADMIN_TAB_OFFBOARDING;
    /// assert!(!model.compile().networks().has_feature("a", "WHATSAPP", f));
    /// model.networks_mut().grant_network_permission("a", "WHATSAPP", "on-behalf:simple-offboard")?;
    /// assert!(model.compile().networks().has_feature("a", "WHATSAPP", f));
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    pub fn has_feature(
        &self,
        advisor: impl Key<UserId>,
        network: impl Key<NetworkId>,
        feature: NetworkFeature,
    ) -> bool {
        self.holds_all(&advisor, &network, feature.requires())
    }

    /// Why `advisor` does or does not have `feature` on `network`: the missing permissions.
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{Model, NetworkFeature, NetworkReason};
    /// let mut model = Model::new();
    /// model.add_user("a", None)?;
    /// model.networks_mut().add_network("SMS")?;
    /// model.networks_mut().add_network_permission("SMS", "create:room", true)?;
    /// model.networks_mut().entitle_advisor("a", "SMS")?;
    /// let d = model.compile().networks().explain_feature("a", "SMS", NetworkFeature::MULTI_COMPANY_CONTACT);
    /// assert!(!d.allowed);
    /// assert_eq!(d.reason, NetworkReason::NetworkPermissions {
    ///     advisor: "a".into(), network: "SMS".into(), missing: vec!["add:multi-company-contact".into()],
    /// });
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    pub fn explain_feature(
        &self,
        advisor: impl Key<UserId>,
        network: impl Key<NetworkId>,
        feature: NetworkFeature,
    ) -> Decision<NetworkReason> {
        match self.explained_pair(&advisor, &network) {
            Ok((a, n)) => self.explain_requirements(a, n, feature.requires()),
            Err(deny) => deny,
        }
    }

    /// Whether `advisor` holds, on `network`, every permission of the feature defined as
    /// data under `name` ([`NetworksMut::define_feature`](crate::NetworksMut::define_feature));
    /// an unknown feature is a deny.
    ///
    /// O(log features + permissions of the feature).
    ///
    /// # Examples
    ///
    /// ```
    /// let mut model = orgperm::Model::new();
    /// model.add_user("a", None)?;
    /// model.networks_mut().add_network("SMS")?;
    /// model.networks_mut().add_network_permission("SMS", "create:room", true)?;
    /// model.networks_mut().entitle_advisor("a", "SMS")?;
    /// model.networks_mut().define_feature("rooms", &["create:room"])?;
    /// let snap = model.compile();
    /// assert!(snap.networks().has_named_feature("a", "SMS", "rooms"));
    /// assert!(!snap.networks().has_named_feature("a", "SMS", "unknown"));
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    pub fn has_named_feature(
        &self,
        advisor: impl Key<UserId>,
        network: impl Key<NetworkId>,
        name: &str,
    ) -> bool {
        self.feature(name)
            .is_some_and(|requires| self.holds_all(&advisor, &network, requires))
    }

    /// Whether `advisor` holds every permission of `requires` on `network` (false for an
    /// unknown advisor or network, or one without the entitlement).
    fn holds_all<S: AsRef<str>>(
        &self,
        advisor: &impl Key<UserId>,
        network: &impl Key<NetworkId>,
        requires: &[S],
    ) -> bool {
        let (Some(a), Some(n)) = (
            advisor.resolve(&self.org.users),
            network.resolve(&self.networks.ids),
        ) else {
            return false;
        };
        let Some(set) = self.networks.set(a, n) else {
            return false;
        };
        requires.iter().all(|name| {
            self.networks
                .perms
                .get(name.as_ref())
                .is_some_and(|p| set.holds(p))
        })
    }

    /// Why `advisor` does or does not have the feature defined as data under `name` on
    /// `network`: the missing permissions, or that the feature is unknown.
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{Model, NetworkReason};
    /// let mut model = Model::new();
    /// model.add_user("a", None)?;
    /// model.networks_mut().add_network("SMS")?;
    /// model.networks_mut().entitle_advisor("a", "SMS")?;
    /// let d = model.compile().networks().explain_named_feature("a", "SMS", "nope");
    /// assert_eq!(d.reason, NetworkReason::UnknownNetworkItem { kind: "feature", id: "nope".into() });
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    pub fn explain_named_feature(
        &self,
        advisor: impl Key<UserId>,
        network: impl Key<NetworkId>,
        name: &str,
    ) -> Decision<NetworkReason> {
        let Some(requires) = self.feature(name) else {
            return Decision::deny(NetworkReason::UnknownNetworkItem {
                kind: "feature",
                id: name.to_owned(),
            });
        };
        match self.explained_pair(&advisor, &network) {
            Ok((a, n)) => {
                let names: Vec<&str> = requires.iter().map(String::as_str).collect();
                self.explain_requirements(a, n, &names)
            }
            Err(deny) => deny,
        }
    }

    /// The permissions of a feature defined as data.
    fn feature(&self, name: &str) -> Option<&'s [String]> {
        let features: &'s [(String, Vec<String>)] = &self.networks.defs.features;
        features
            .binary_search_by(|(k, _)| k.as_str().cmp(name))
            .ok()
            .and_then(|i| features.get(i))
            .map(|(_, v)| v.as_slice())
    }

    /// The active advisor and live network an explanation is about, or the deny naming
    /// the one that is unknown.
    fn explained_pair(
        &self,
        advisor: &impl Key<UserId>,
        network: &impl Key<NetworkId>,
    ) -> Result<(UserId, NetworkId), Decision<NetworkReason>> {
        let Some(a) = advisor
            .resolve(&self.org.users)
            .filter(|&a| self.org.tree.node(a).is_some())
        else {
            return Err(Decision::deny(NetworkReason::UnknownUser {
                user: advisor.describe(),
            }));
        };
        let Some(n) = network
            .resolve(&self.networks.ids)
            .filter(|&n| self.networks.is_live(n))
        else {
            return Err(Decision::deny(NetworkReason::UnknownNetworkItem {
                kind: "network",
                id: network.describe(),
            }));
        };
        Ok((a, n))
    }

    fn explain_requirements(
        &self,
        a: UserId,
        n: NetworkId,
        requires: &[&str],
    ) -> Decision<NetworkReason> {
        let advisor = self.org.any_user_name(a).to_owned();
        let network = self.networks.ids.name(n).unwrap_or("").to_owned();
        let Some(set) = self.networks.set(a, n) else {
            return Decision::deny(NetworkReason::NotEntitled { advisor, network });
        };
        let missing: Vec<String> = requires
            .iter()
            .filter(|name| !self.networks.perms.get(name).is_some_and(|p| set.holds(p)))
            .map(|s| (*s).to_owned())
            .collect();
        Decision {
            allowed: missing.is_empty(),
            reason: NetworkReason::NetworkPermissions {
                advisor,
                network,
                missing,
            },
        }
    }

    /// Whether `advisor` may open a room with `contacts`; see
    /// [`check_room`](Networks::check_room).
    ///
    /// # Examples
    ///
    /// ```
    /// let mut model = orgperm::Model::new();
    /// model.add_user("a", None)?;
    /// model.networks_mut().add_network("WHATSAPP")?;
    /// model.networks_mut().add_network_permission("WHATSAPP", "create:room", true)?;
    /// model.networks_mut().entitle_advisor("a", "WHATSAPP")?;
    /// model.networks_mut().add_contact("k1", "WHATSAPP", Some("acme"))?;
    /// assert!(model.compile().networks().can_create_room("a", &["k1"]));
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    pub fn can_create_room(&self, advisor: impl Key<UserId>, contacts: &[&str]) -> bool {
        self.check_room(advisor, contacts).allowed
    }

    /// Whether `advisor` may open a room with `contacts`, and why:
    ///
    /// 1. at least one contact, every contact known;
    /// 2. all contacts on one network (a room may not mix networks);
    /// 3. the advisor entitled on that network and holding `create:room` there;
    /// 4. contacts of more than one company (a contact without company counts as its own
    ///    company) also need `add:multi-company-contact`.
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{Model, NetworkReason};
    /// let mut model = Model::new();
    /// model.add_user("a", None)?;
    /// for n in ["WHATSAPP", "WECHAT"] {
    ///     model.networks_mut().add_network(n)?;
    ///     model.networks_mut().add_network_permission(n, "create:room", true)?;
    ///     model.networks_mut().entitle_advisor("a", n)?;
    /// }
    /// model.networks_mut().add_contact("k1", "WHATSAPP", None)?;
    /// model.networks_mut().add_contact("k2", "WECHAT", None)?;
    /// let d = model.compile().networks().check_room("a", &["k1", "k2"]);
    /// assert_eq!(d.reason, NetworkReason::CrossNetworkRoom { networks: vec!["WECHAT".into(), "WHATSAPP".into()] });
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    pub fn check_room(
        &self,
        advisor: impl Key<UserId>,
        contacts: &[&str],
    ) -> Decision<NetworkReason> {
        let Some(a) = advisor
            .resolve(&self.org.users)
            .filter(|&a| self.org.tree.node(a).is_some())
        else {
            return Decision::deny(NetworkReason::UnknownUser {
                user: advisor.describe(),
            });
        };
        let nets = &self.networks;
        let mut network: Option<NetworkId> = None;
        let mut mixed: Vec<String> = Vec::new();
        let mut first_company: Option<u64> = None;
        let mut multi_company = false;
        for &id in contacts {
            let Some(c) = nets.contacts.get(id) else {
                return Decision::deny(NetworkReason::UnknownNetworkItem {
                    kind: "contact",
                    id: format!("{id:?}"),
                });
            };
            let i = c.index() as usize;
            let (Some(&n), Some(&company)) = (
                nets.defs.contact_network.get(i),
                nets.defs.contact_company.get(i),
            ) else {
                return Decision::deny(NetworkReason::UnknownNetworkItem {
                    kind: "contact",
                    id: format!("{id:?}"),
                });
            };
            // A contact without company (NONE) is its own company.
            let company = if company == NONE {
                (1u64 << 32) + u64::from(c.index())
            } else {
                u64::from(company)
            };
            match first_company {
                None => first_company = Some(company),
                Some(f) if f != company => multi_company = true,
                Some(_) => {}
            }
            match network {
                None => network = Some(n),
                Some(m) if m != n => {
                    mixed.push(nets.ids.name(n).unwrap_or("").to_owned());
                    mixed.push(nets.ids.name(m).unwrap_or("").to_owned());
                }
                Some(_) => {}
            }
        }
        if !mixed.is_empty() {
            mixed.sort_unstable();
            mixed.dedup();
            return Decision::deny(NetworkReason::CrossNetworkRoom { networks: mixed });
        }
        let Some(n) = network else {
            return Decision::deny(NetworkReason::EmptyRoom);
        };
        let feature = if multi_company {
            NetworkFeature::MULTI_COMPANY_CONTACT
        } else {
            NetworkFeature::CREATE_ROOM
        };
        self.explain_requirements(a, n, feature.requires())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::network::store::NetworksMut;
    use crate::org::directory::Directory;
    use crate::org::workspace::Workspaces;

    /// Every answer of the networks view on the model's ids, forward and reverse.
    fn answers(org: &CompiledOrg, nets: &CompiledNetworks, users: &[String]) -> Vec<String> {
        let view = Networks::new(org, nets);
        let mut out = Vec::new();
        for n in ["WA", "SMS", "LINE"] {
            for p in ["send", "room", "file"] {
                let who: Vec<&str> = view.advisors_with_permission(n, p).external_ids().collect();
                out.push(format!("{n} {p} {who:?}"));
            }
            for a in users {
                out.push(format!(
                    "{a} {n} {} {:?} {:?}",
                    view.is_entitled(a.as_str(), n),
                    view.permissions_of(a.as_str(), n),
                    view.explain_feature(a.as_str(), n, NetworkFeature::CREATE_ROOM)
                ));
            }
        }
        out
    }

    #[test]
    fn a_patched_compile_equals_a_fresh_one_after_entitlement_edits() {
        patched_equals_fresh(false);
        // Past 31 permission names the bitsets are records of their own.
        patched_equals_fresh(true);
    }

    fn patched_equals_fresh(wide: bool) {
        // 1,400 users on three networks: 4,200 cells, two chunks, advisor 1365's cells
        // (4095..4098) straddling them.
        let mut dir = Directory::default();
        let mut store = NetworkStore::default();
        let users: Vec<String> = (0..1400).map(|i| format!("u{i}")).collect();
        for u in &users {
            dir.add(u, None).unwrap();
        }
        {
            let mut nets = NetworksMut {
                networks: &mut store,
                dir: &dir,
            };
            for i in 0..if wide { 40 } else { 0 } {
                nets.define_permission(&format!("p{i}"), None).unwrap();
            }
            for n in ["WA", "SMS", "LINE"] {
                nets.add_network(n).unwrap();
                nets.add_network_permission(n, "send", true).unwrap();
                nets.add_network_permission(n, "room", false).unwrap();
            }
            nets.add_network_permission("WA", "create:room", true)
                .unwrap();
            nets.entitle_advisor("u7", "SMS").unwrap();
            nets.entitle_advisor("u1399", "LINE").unwrap();
        }
        let org = CompiledOrg::compile(&dir, &Workspaces::new("default").unwrap());
        let mut live = CompiledNetworks::compile(&store, &org);
        let u7 = live
            .sets
            .get(cell(UserId::new(7), NetworkId::new(1), 3).unwrap());
        assert_eq!(matches!(u7, Some(Bits::Words(w)) if w.len() == 2), wide);
        assert_eq!(matches!(u7, Some(Bits::Inline(_))), !wide);
        type Edit = fn(&mut NetworksMut<'_>);
        let edits: [(&str, Edit); 12] = [
            ("u1365", |n| {
                n.entitle_advisor("u1365", "WA").unwrap();
            }),
            ("u1365", |n| {
                n.entitle_advisor("u1365", "LINE").unwrap();
            }),
            ("u1365", |n| {
                n.grant_network_permission("u1365", "LINE", "room").unwrap()
            }),
            ("u1365", |n| {
                n.revoke_network_permission("u1365", "WA", "send").unwrap()
            }),
            ("u3", |n| {
                n.entitle_advisor("u3", "WA").unwrap();
            }),
            ("u3", |n| {
                n.grant_network_permission("u3", "WA", "room").unwrap()
            }),
            ("u1365", |n| {
                n.remove_entitlement("u1365", "WA").unwrap();
            }),
            ("u3", |n| {
                n.remove_entitlement("u3", "WA").unwrap();
            }),
            // Re-entitled: the defaults again, not what they held before.
            ("u3", |n| {
                n.entitle_advisor("u3", "WA").unwrap();
            }),
            ("u1365", |n| {
                n.entitle_advisor("u1365", "WA").unwrap();
            }),
            ("u7", |n| {
                n.revoke_network_permission("u7", "SMS", "send").unwrap()
            }),
            // Nothing changes: a patch of an advisor still reads the store.
            ("u1399", |n| {
                n.remove_entitlement("u1399", "SMS").unwrap();
            }),
        ];
        for (advisor, edit) in edits {
            edit(&mut NetworksMut {
                networks: &mut store,
                dir: &dir,
            });
            let a = dir.ids.get(advisor).unwrap();
            let patched = live.patch(&store, &org, &[a, a]).unwrap();
            let fresh = CompiledNetworks::compile(&store, &org);
            assert_eq!(patched.sets, fresh.sets, "after {advisor}'s edit");
            assert!(Arc::ptr_eq(&patched.defs, &live.defs));
            assert_eq!(patched.heap_bytes(), fresh.heap_bytes());
            assert_eq!(
                answers(&org, &patched, &users[..8]),
                answers(&org, &fresh, &users[..8])
            );
            let far = ["u1364", "u1365", "u1366", "u1399"].map(str::to_owned);
            assert_eq!(answers(&org, &patched, &far), answers(&org, &fresh, &far));
            live = patched;
        }
        let view = Networks::new(&org, &live);
        assert_eq!(view.permissions_of("u3", "WA"), ["send", "create:room"]);
        assert_eq!(view.permissions_of("u1365", "LINE"), ["send", "room"]);
        let who: Vec<&str> = view
            .advisors_with_permission("WA", "send")
            .external_ids()
            .collect();
        assert_eq!(who, ["u3", "u1365"]);
        // A new permission name changes the bitsets' width: no patch.
        NetworksMut {
            networks: &mut store,
            dir: &dir,
        }
        .add_network_permission("SMS", "file", false)
        .unwrap();
        let a = dir.ids.get("u7").unwrap();
        assert!(live.patch(&store, &org, &[a]).is_none());
    }
}
