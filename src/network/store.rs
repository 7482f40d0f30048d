//! Networks, catalogs, entitlements, held permissions and contacts, with the vendor's edit
//! operations.
//!
//! The tenant-wide permission list (`GET /api/v1/customer/permissions`) is every permission
//! name the store knows, each with the vendor's `permissionId` when one was given
//! ([`NetworksMut::define_permission`]); a network's catalog lists some of them. Composite
//! features may be defined as data ([`NetworksMut::define_feature`]) besides the built-in
//! [`NetworkFeature`](crate::NetworkFeature) constants.
//!
//! Choices where the vendor document is silent: an advisor is any active directory user;
//! granting on a network where the advisor is not entitled is a [`NotEntitled`] error;
//! entitling twice is a no-op (it does not re-add defaults); changing a catalog later does
//! not change what entitled advisors hold.
//!
//! [`NotEntitled`]: crate::NetworkErrorKind::NotEntitled

use std::collections::BTreeMap;

use crate::error::{InputErrorKind, bounded};
use crate::id::registry::Registry;
use crate::id::{DenseId, Interner, UserId, dense_id};
use crate::network::error::{NetworkError, NetworkErrorKind};

dense_id!(
    /// An external network (`WHATSAPP`, `WECHAT`, …), interned from its name.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut model = orgperm::Model::new();
    /// let wa = model.networks_mut().add_network("WHATSAPP").unwrap();
    /// assert_eq!(model.networks().network_id("WHATSAPP"), Some(wa));
    /// ```
    NetworkId, "network"
);
dense_id!(
    /// A network permission name (`create:room`, …), interned once for every network whose
    /// catalog lists it.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut model = orgperm::Model::new();
    /// model.networks_mut().add_network("SMS").unwrap();
    /// model.networks_mut().add_network_permission("SMS", "create:room", true).unwrap();
    /// let snap = model.compile();
    /// assert!(snap.networks().permission_id("create:room").is_some());
    /// ```
    NetworkPermissionId, "network permission"
);
dense_id!(
    /// An external contact (a customer on one network).
    ///
    /// # Examples
    ///
    /// ```
    /// let mut model = orgperm::Model::new();
    /// model.networks_mut().add_network("LINE").unwrap();
    /// let c = model.networks_mut().add_contact("cust-1", "LINE", Some("acme")).unwrap();
    /// assert_eq!(model.compile().networks().contact_id("cust-1"), Some(c));
    /// ```
    ContactId, "contact"
);

/// The outcome of a bulk grant for one advisor, from [`NetworksMut::grant_network_permission_bulk`](crate::NetworksMut::grant_network_permission_bulk).
///
/// # Examples
///
/// ```
/// use orgperm::{ErrorKind, Model, NetworkErrorKind};
/// let mut model = Model::new();
/// model.add_user("a", None)?;
/// model.networks_mut().add_network("SMS")?;
/// model.networks_mut().add_network_permission("SMS", "create:room", false)?;
/// model.networks_mut().entitle_advisor("a", "SMS")?;
/// let results = model.networks_mut().grant_network_permission_bulk(&["a", "zz"], "SMS", "create:room")?;
/// assert!(results[0].result.is_ok());
/// assert_eq!(results[1].advisor, "zz");
/// assert!(matches!(results[1].result.as_ref().unwrap_err().kind(), NetworkErrorKind::UnknownAdvisor { .. }));
/// # Ok::<(), orgperm::ModelError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BulkGrantResult {
    /// The advisor id as given.
    pub advisor: String,
    /// `Ok` when granted; the same error a single grant would give otherwise.
    pub result: Result<(), NetworkError>,
}

/// All network state of a model.
#[derive(Clone, Debug, Default)]
pub(crate) struct NetworkStore {
    /// The networks, each with its catalog: entries `(permission, isDefault)` in the order
    /// added. A removed network keeps its dense id for a later re-add.
    pub(crate) catalogs: Registry<NetworkId, Vec<(NetworkPermissionId, bool)>>,
    /// Permission names of every catalog.
    pub(crate) perms: Interner<NetworkPermissionId>,
    /// Entitlements: `(advisor, network)` → permissions held, sorted.
    pub(crate) held: BTreeMap<(UserId, NetworkId), Vec<NetworkPermissionId>>,
    /// The contacts, each with its network and company (append-only).
    pub(crate) contacts: Registry<ContactId, (NetworkId, Option<String>)>,
    /// The vendor's id (`permissionId`) of each permission of the tenant-wide list, by dense
    /// id: every interned name is on that list, with or without an id.
    pub(crate) vendor_ids: Vec<Option<String>>,
    /// The permission each vendor id names.
    pub(crate) by_vendor_id: hashbrown::HashMap<String, NetworkPermissionId>,
    /// Composite features defined as data: name -> the permissions they need, in the order
    /// given.
    pub(crate) features: BTreeMap<String, Vec<String>>,
}

/// The model's networks, their permission catalogs, advisors' entitlements and contacts, for editing: from [`Model::networks_mut`](crate::Model::networks_mut).
///
/// Every edit validates first and then applies completely, or returns a
/// [`ModelError`](crate::ModelError) that names the field and changes nothing.
#[derive(Debug)]
pub struct NetworksMut<'m> {
    pub(crate) networks: &'m mut NetworkStore,
    pub(crate) dir: &'m crate::org::directory::Directory,
}

/// The model's networks, their permission catalogs, advisors' entitlements and contacts, for reading: from [`Model::networks`](crate::Model::networks).
#[derive(Clone, Copy, Debug)]
pub struct NetworksRef<'m> {
    pub(crate) networks: &'m NetworkStore,
    pub(crate) dir: &'m crate::org::directory::Directory,
}

impl NetworksMut<'_> {
    /// The same state, for reading.
    pub fn read(&self) -> NetworksRef<'_> {
        NetworksRef {
            networks: self.networks,
            dir: self.dir,
        }
    }
}

impl NetworkStore {
    /// Drops a removed user's entitlements, and with them every network permission they
    /// held. O(k log n) for their k entitlements.
    pub(crate) fn forget_user(&mut self, u: UserId) {
        let held: Vec<(UserId, NetworkId)> = self
            .held
            .range((u, NetworkId::new(0))..=(u, NetworkId::new(u32::MAX)))
            .map(|(&k, _)| k)
            .collect();
        for k in held {
            self.held.remove(&k);
        }
    }

    /// The vendor's id of a permission, if one was given.
    pub(crate) fn vendor_id(&self, p: NetworkPermissionId) -> Option<&str> {
        self.vendor_ids
            .get(p.index() as usize)
            .and_then(|v| v.as_deref())
    }

    pub(crate) fn catalog(&self, n: NetworkId) -> &[(NetworkPermissionId, bool)] {
        self.catalogs.get(n).map_or(&[], Vec::as_slice)
    }

    fn network(&self, id: &str, field: &str) -> Result<NetworkId, NetworkError> {
        self.catalogs.live_id(id).ok_or_else(|| {
            NetworkError::at(
                field,
                NetworkErrorKind::UnknownNetwork { id: id.to_owned() },
            )
        })
    }

    /// The permission `name` of network `n`'s catalog.
    fn permission(
        &self,
        n: NetworkId,
        name: &str,
        field: &str,
    ) -> Result<NetworkPermissionId, NetworkError> {
        self.perms
            .get(name)
            .filter(|p| self.catalog(n).iter().any(|(q, _)| q == p))
            .ok_or_else(|| {
                NetworkError::at(
                    field,
                    NetworkErrorKind::UnknownNetworkPermission {
                        network: self.catalogs.name(n).to_owned(),
                        permission: name.to_owned(),
                    },
                )
            })
    }
}

impl<'m> NetworksMut<'m> {
    /// Adds an external network with an empty catalog.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut model = orgperm::Model::new();
    /// model.networks_mut().add_network("WECHAT").unwrap();
    /// assert!(model.networks_mut().add_network("WECHAT").is_err());
    /// ```
    pub fn add_network(&mut self, id: &str) -> Result<NetworkId, NetworkError> {
        if id.is_empty() {
            return Err(NetworkError::at("id", InputErrorKind::EmptyId));
        }
        if self.networks.catalogs.live_id(id).is_some() {
            return Err(NetworkError::at(
                "id",
                InputErrorKind::DuplicateId { id: id.to_owned() },
            ));
        }
        let (n, _) = self.networks.catalogs.insert(id, Vec::new())?;
        Ok(n)
    }

    /// Adds a permission to a network's catalog; `is_default` permissions are granted on
    /// entitlement.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut model = orgperm::Model::new();
    /// model.networks_mut().add_network("SMS")?;
    /// model.networks_mut().add_network_permission("SMS", "create:room", true)?;
    /// assert_eq!(model.networks().network_catalog("SMS")?, [("create:room", true)]);
    /// assert!(model.networks_mut().add_network_permission("SMS", "create:room", false).is_err());
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    pub fn add_network_permission(
        &mut self,
        network: &str,
        name: &str,
        is_default: bool,
    ) -> Result<NetworkPermissionId, NetworkError> {
        let n = self.networks.network(network, "externalNetwork")?;
        if name.is_empty() {
            return Err(NetworkError::at("name", InputErrorKind::EmptyId));
        }
        if self.networks.permission(n, name, "name").is_ok() {
            return Err(NetworkError::at(
                "name",
                InputErrorKind::DuplicateId {
                    id: name.to_owned(),
                },
            ));
        }
        let (p, _) = self.networks.perms.intern(name)?;
        if let Some(c) = self.networks.catalogs.get_mut(n) {
            c.push((p, is_default));
        }
        Ok(p)
    }

    /// Removes a network and its catalog. Refused while anything names it: an advisor
    /// entitled on it ([`NetworkInUse`](crate::NetworkErrorKind::NetworkInUse) naming
    /// `advisor "a" networks`) or a contact on it (`contact "k1" externalNetwork`); remove
    /// the entitlements (which drops what they held) and the contacts first. The Symphony API
    /// exposes no network removal, so nothing cascades. Adding the id again gives a network
    /// with an empty catalog. Cost: O(entitlements + contacts).
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{Model, NetworkErrorKind};
    /// let mut model = Model::new();
    /// model.add_user("a", None)?;
    /// model.networks_mut().add_network("SMS")?;
    /// model.networks_mut().add_network_permission("SMS", "create:room", true)?;
    /// model.networks_mut().entitle_advisor("a", "SMS")?;
    /// let err = model.networks_mut().remove_network("SMS").unwrap_err();
    /// assert_eq!(err.kind(), &NetworkErrorKind::NetworkInUse { id: "SMS".into(), referrer: "advisor \"a\" networks".into() });
    /// model.networks_mut().remove_entitlement("a", "SMS")?;
    /// model.networks_mut().remove_network("SMS")?;
    /// assert_eq!(model.networks().network_id("SMS"), None);
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    pub fn remove_network(&mut self, id: &str) -> Result<(), NetworkError> {
        let n = self.networks.network(id, "id")?;
        let in_use = |referrer: String| {
            NetworkError::at(
                "id",
                NetworkErrorKind::NetworkInUse {
                    id: id.to_owned(),
                    referrer,
                },
            )
        };
        if let Some(&(a, _)) = self.networks.held.keys().find(|&&(_, m)| m == n) {
            return Err(in_use(format!(
                "advisor {:?} networks",
                bounded(self.dir.name(a))
            )));
        }
        let contacts = &self.networks.contacts;
        if let Some((c, _)) = contacts.iter().find(|(_, (m, _))| *m == n) {
            return Err(in_use(format!(
                "contact {:?} externalNetwork",
                bounded(contacts.name(c))
            )));
        }
        self.networks.catalogs.remove(n);
        Ok(())
    }

    /// Removes a permission from a network's catalog. Refused while an advisor holds it on
    /// that network ([`NetworkPermissionInUse`](crate::NetworkErrorKind::NetworkPermissionInUse)
    /// naming `advisor "a" networks["SMS"].permissions`): revoke it first. The catalog is
    /// the vendor's (Symphony lists it, `GET .../externalNetwork/{externalNetwork}/permissions`,
    /// and offers no way to delete an entry), so removal does not cascade to advisors. The
    /// other networks' catalogs keep the name. Errors name `externalNetwork` and `name`.
    /// Cost: O(entitlements + the catalog).
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{Model, NetworkErrorKind};
    /// let mut model = Model::new();
    /// model.add_user("a", None)?;
    /// model.networks_mut().add_network("SMS")?;
    /// model.networks_mut().add_network_permission("SMS", "create:room", true)?;
    /// model.networks_mut().add_network_permission("SMS", "send", false)?;
    /// model.networks_mut().entitle_advisor("a", "SMS")?;
    /// let err = model.networks_mut().remove_network_permission("SMS", "create:room").unwrap_err();
    /// assert_eq!(err.to_string(), "name: permission \"create:room\" of network \"SMS\" is still held: advisor \"a\" networks[\"SMS\"].permissions");
    /// model.networks_mut().remove_network_permission("SMS", "send")?;
    /// assert_eq!(model.networks().network_catalog("SMS")?, [("create:room", true)]);
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    pub fn remove_network_permission(
        &mut self,
        network: &str,
        name: &str,
    ) -> Result<(), NetworkError> {
        let n = self.networks.network(network, "externalNetwork")?;
        let p = self.networks.permission(n, name, "name")?;
        let holder = self
            .networks
            .held
            .iter()
            .find(|&(&(_, m), held)| m == n && held.binary_search(&p).is_ok())
            .map(|(&(a, _), _)| a);
        if let Some(a) = holder {
            return Err(NetworkError::at(
                "name",
                NetworkErrorKind::NetworkPermissionInUse {
                    network: network.to_owned(),
                    permission: name.to_owned(),
                    referrer: format!(
                        "advisor {:?} networks[{:?}].permissions",
                        bounded(self.dir.name(a)),
                        bounded(network)
                    ),
                },
            ));
        }
        if let Some(c) = self.networks.catalogs.get_mut(n) {
            c.retain(|&(q, _)| q != p);
        }
        Ok(())
    }

    /// Entitles an advisor on a network, granting the network's default permissions.
    /// Returns `false` (and changes nothing) if they already were entitled.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut model = orgperm::Model::new();
    /// model.add_user("a", None)?;
    /// model.networks_mut().add_network("SMS")?;
    /// model.networks_mut().add_network_permission("SMS", "create:room", true)?;
    /// model.networks_mut().add_network_permission("SMS", "admin:list-customers", false)?;
    /// assert!(model.networks_mut().entitle_advisor("a", "SMS")?);
    /// assert_eq!(model.networks().network_permissions_of("a", "SMS")?, ["create:room"]);
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    pub fn entitle_advisor(&mut self, advisor: &str, network: &str) -> Result<bool, NetworkError> {
        let a = self.read().advisor(advisor, "advisorSymphonyId")?;
        let n = self.networks.network(network, "externalNetwork")?;
        if self.networks.held.contains_key(&(a, n)) {
            return Ok(false);
        }
        let mut defaults: Vec<NetworkPermissionId> = self
            .networks
            .catalog(n)
            .iter()
            .filter(|&&(_, d)| d)
            .map(|&(p, _)| p)
            .collect();
        defaults.sort_unstable();
        self.networks.held.insert((a, n), defaults);
        Ok(true)
    }

    /// Removes an advisor's entitlement on a network, and with it every permission they held
    /// there. Returns whether they were entitled.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut model = orgperm::Model::new();
    /// model.add_user("a", None)?;
    /// model.networks_mut().add_network("SMS")?;
    /// model.networks_mut().entitle_advisor("a", "SMS")?;
    /// assert!(model.networks_mut().remove_entitlement("a", "SMS")?);
    /// assert!(!model.networks_mut().remove_entitlement("a", "SMS")?);
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    pub fn remove_entitlement(
        &mut self,
        advisor: &str,
        network: &str,
    ) -> Result<bool, NetworkError> {
        let a = self.read().advisor(advisor, "advisorSymphonyId")?;
        let n = self.networks.network(network, "externalNetwork")?;
        Ok(self.networks.held.remove(&(a, n)).is_some())
    }

    /// Grants one permission to one advisor on one network.
    ///
    /// Errors, checked in this order: [`UnknownAdvisor`], [`UnknownNetwork`],
    /// [`UnknownNetworkPermission`] (not in that network's catalog), [`NotEntitled`],
    /// [`AlreadyAssigned`] (a duplicate grant is an error, not a no-op).
    ///
    /// [`UnknownAdvisor`]: crate::NetworkErrorKind::UnknownAdvisor
    /// [`UnknownNetwork`]: crate::NetworkErrorKind::UnknownNetwork
    /// [`UnknownNetworkPermission`]: crate::NetworkErrorKind::UnknownNetworkPermission
    /// [`NotEntitled`]: crate::NetworkErrorKind::NotEntitled
    /// [`AlreadyAssigned`]: crate::NetworkErrorKind::AlreadyAssigned
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{ErrorKind, Model, NetworkErrorKind};
    /// let mut model = Model::new();
    /// model.add_user("a", None)?;
    /// model.networks_mut().add_network("WHATSAPP")?;
    /// model.networks_mut().add_network_permission("WHATSAPP", "create:room", false)?;
    /// model.networks_mut().entitle_advisor("a", "WHATSAPP")?;
    /// model.networks_mut().grant_network_permission("a", "WHATSAPP", "create:room")?;
    /// let err = model.networks_mut().grant_network_permission("a", "WHATSAPP", "create:room").unwrap_err();
    /// assert!(matches!(err.kind(), NetworkErrorKind::AlreadyAssigned { .. }));
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    pub fn grant_network_permission(
        &mut self,
        advisor: &str,
        network: &str,
        permission: &str,
    ) -> Result<(), NetworkError> {
        let a = self.read().advisor(advisor, "advisorSymphonyId")?;
        let n = self.networks.network(network, "externalNetwork")?;
        let p = self.networks.permission(n, permission, "permissionName")?;
        self.grant_checked(a, n, p, advisor, "advisorSymphonyId")
    }

    fn grant_checked(
        &mut self,
        a: UserId,
        n: NetworkId,
        p: NetworkPermissionId,
        advisor: &str,
        field: &str,
    ) -> Result<(), NetworkError> {
        let network = self.networks.catalogs.name(n).to_owned();
        let permission = self.networks.perms.name(p).unwrap_or("").to_owned();
        let Some(held) = self.networks.held.get_mut(&(a, n)) else {
            return Err(NetworkError::at(
                field,
                NetworkErrorKind::NotEntitled {
                    advisor: advisor.to_owned(),
                    network,
                },
            ));
        };
        match held.binary_search(&p) {
            Ok(_) => Err(NetworkError::at(
                "permissionName",
                NetworkErrorKind::AlreadyAssigned {
                    advisor: advisor.to_owned(),
                    network,
                    permission,
                },
            )),
            Err(at) => {
                held.insert(at, p);
                Ok(())
            }
        }
    }

    /// Grants one permission on one network to many advisors, each independently: returns
    /// one result per advisor, in input order (partial success). An unknown network or
    /// permission fails the whole request.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut model = orgperm::Model::new();
    /// model.add_user("a", None)?;
    /// model.add_user("b", None)?;
    /// model.networks_mut().add_network("SMS")?;
    /// model.networks_mut().add_network_permission("SMS", "create:room", false)?;
    /// model.networks_mut().entitle_advisor("a", "SMS")?;
    /// let r = model.networks_mut().grant_network_permission_bulk(&["a", "b"], "SMS", "create:room")?;
    /// assert!(r[0].result.is_ok());
    /// assert!(r[1].result.is_err()); // b is not entitled on SMS
    /// assert!(model.networks_mut().grant_network_permission_bulk(&["a"], "ICQ", "create:room").is_err());
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    pub fn grant_network_permission_bulk(
        &mut self,
        advisors: &[&str],
        network: &str,
        permission: &str,
    ) -> Result<Vec<BulkGrantResult>, NetworkError> {
        let n = self.networks.network(network, "externalNetwork")?;
        let p = self.networks.permission(n, permission, "permissionName")?;
        let mut out = Vec::with_capacity(advisors.len());
        for (i, &advisor) in advisors.iter().enumerate() {
            let field = format!("advisorSymphonyIds[{i}]");
            let result = self
                .read()
                .advisor(advisor, &field)
                .and_then(|a| self.grant_checked(a, n, p, advisor, &field));
            out.push(BulkGrantResult {
                advisor: advisor.to_owned(),
                result,
            });
        }
        Ok(out)
    }

    /// Removes one permission from one advisor on one network. Not holding it is a
    /// not-found error ([`PermissionNotHeld`](crate::NetworkErrorKind::PermissionNotHeld)).
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{ErrorKind, Model};
    /// let mut model = Model::new();
    /// model.add_user("a", None)?;
    /// model.networks_mut().add_network("SMS")?;
    /// model.networks_mut().add_network_permission("SMS", "create:room", true)?;
    /// model.networks_mut().entitle_advisor("a", "SMS")?;
    /// model.networks_mut().revoke_network_permission("a", "SMS", "create:room")?;
    /// let err = model.networks_mut().revoke_network_permission("a", "SMS", "create:room").unwrap_err();
    /// assert!(err.kind().is_not_found());
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    pub fn revoke_network_permission(
        &mut self,
        advisor: &str,
        network: &str,
        permission: &str,
    ) -> Result<(), NetworkError> {
        let a = self.read().advisor(advisor, "advisorSymphonyId")?;
        let n = self.networks.network(network, "externalNetwork")?;
        let p = self.networks.permission(n, permission, "permissionName")?;
        let not_held = || {
            NetworkError::at(
                "permissionName",
                NetworkErrorKind::PermissionNotHeld {
                    advisor: advisor.to_owned(),
                    network: network.to_owned(),
                    permission: permission.to_owned(),
                },
            )
        };
        let held = self.networks.held.get_mut(&(a, n)).ok_or_else(not_held)?;
        let at = held.binary_search(&p).map_err(|_| not_held())?;
        held.remove(at);
        Ok(())
    }

    /// Changes whether a permission of a network's catalog is a default one (granted on later
    /// entitlements; advisors entitled already keep what they hold). Returns whether the flag
    /// changed. Errors name `externalNetwork` and `permissionName`.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut model = orgperm::Model::new();
    /// model.networks_mut().add_network("SMS")?;
    /// model.networks_mut().add_network_permission("SMS", "create:room", false)?;
    /// assert!(model.networks_mut().set_permission_default("SMS", "create:room", true)?);
    /// assert_eq!(model.networks().network_catalog("SMS")?, [("create:room", true)]);
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    pub fn set_permission_default(
        &mut self,
        network: &str,
        name: &str,
        is_default: bool,
    ) -> Result<bool, NetworkError> {
        let n = self.networks.network(network, "externalNetwork")?;
        let p = self.networks.permission(n, name, "permissionName")?;
        let Some(entry) = self
            .networks
            .catalogs
            .get_mut(n)
            .and_then(|c| c.iter_mut().find(|(q, _)| *q == p))
        else {
            return Ok(false);
        };
        let changed = entry.1 != is_default;
        entry.1 = is_default;
        Ok(changed)
    }

    /// Puts a permission on the tenant-wide list, with the vendor's `permissionId` if given;
    /// gives an id to a permission listed without one. Returns whether anything changed
    /// (naming a listed permission again with its own id, or without one, changes nothing).
    ///
    /// Errors: an empty name or id ([`EmptyId`] at `permissionName` / `permissionId`); the
    /// id already naming another permission ([`DuplicateId`] at `permissionId`); the
    /// permission already listed with another id ([`Conflict`] at `permissionId`: an id,
    /// once known, does not change).
    ///
    /// [`EmptyId`]: crate::InputErrorKind::EmptyId
    /// [`DuplicateId`]: crate::InputErrorKind::DuplicateId
    /// [`Conflict`]: crate::InputErrorKind::Conflict
    ///
    /// # Examples
    ///
    /// ```
    /// let mut model = orgperm::Model::new();
    /// let mut nets = model.networks_mut();
    /// assert!(nets.define_permission("create:room", Some("17"))?);
    /// assert!(!nets.define_permission("create:room", Some("17"))?);
    /// assert!(nets.define_permission("create:contact", None)?);
    /// assert_eq!(nets.define_permission("edit:contact", Some("17")).unwrap_err().path(), "permissionId");
    /// assert_eq!(
    ///     model.networks().tenant_permissions(),
    ///     [("create:contact", None), ("create:room", Some("17"))]
    /// );
    /// assert_eq!(model.networks().permission_named_by("17"), Some("create:room"));
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    pub fn define_permission(
        &mut self,
        name: &str,
        permission_id: Option<&str>,
    ) -> Result<bool, NetworkError> {
        if name.is_empty() {
            return Err(NetworkError::at("permissionName", InputErrorKind::EmptyId));
        }
        if permission_id == Some("") {
            return Err(NetworkError::at("permissionId", InputErrorKind::EmptyId));
        }
        let known = self.networks.perms.get(name);
        let current = known
            .and_then(|p| self.networks.vendor_id(p))
            .map(str::to_owned);
        if let Some(id) = permission_id {
            if let Some(&other) = self.networks.by_vendor_id.get(id) {
                if Some(other) != known {
                    return Err(NetworkError::at(
                        "permissionId",
                        InputErrorKind::DuplicateId { id: id.to_owned() },
                    ));
                }
            }
            if current.as_deref().is_some_and(|c| c != id) {
                return Err(NetworkError::at(
                    "permissionId",
                    InputErrorKind::Conflict {
                        reason: "the permission already has another permissionId",
                    },
                ));
            }
        }
        let (p, new) = self.networks.perms.intern(name)?;
        let Some(id) = permission_id.filter(|_| current.is_none()) else {
            return Ok(new);
        };
        let slot = p.index() as usize;
        if self.networks.vendor_ids.len() <= slot {
            self.networks.vendor_ids.resize(slot + 1, None);
        }
        if let Some(cell) = self.networks.vendor_ids.get_mut(slot) {
            *cell = Some(id.to_owned());
        }
        self.networks.by_vendor_id.insert(id.to_owned(), p);
        Ok(true)
    }

    /// Defines a composite feature as data: the permissions it needs, all of them on one
    /// network (the names need not be in any catalog yet; a permission no catalog lists is
    /// never held, so the feature is then never available). Replaces an existing definition
    /// of the same name; returns whether the name is new.
    ///
    /// Errors: an empty name ([`EmptyId`](crate::InputErrorKind::EmptyId) at `name`), no
    /// permission ([`Required`](crate::InputErrorKind::Required) at `requires`), an empty or
    /// repeated permission (at `requires[i]`).
    ///
    /// # Examples
    ///
    /// ```
    /// let mut model = orgperm::Model::new();
    /// model.add_user("a", None)?;
    /// let mut nets = model.networks_mut();
    /// nets.add_network("SMS")?;
    /// nets.add_network_permission("SMS", "create:room", true)?;
    /// nets.add_network_permission("SMS", "send:broadcast", false)?;
    /// nets.entitle_advisor("a", "SMS")?;
    /// assert!(nets.define_feature("broadcast-room", &["create:room", "send:broadcast"])?);
    /// assert!(!model.compile().networks().has_named_feature("a", "SMS", "broadcast-room"));
    /// model.networks_mut().grant_network_permission("a", "SMS", "send:broadcast")?;
    /// assert!(model.compile().networks().has_named_feature("a", "SMS", "broadcast-room"));
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    pub fn define_feature(&mut self, name: &str, requires: &[&str]) -> Result<bool, NetworkError> {
        if name.is_empty() {
            return Err(NetworkError::at("name", InputErrorKind::EmptyId));
        }
        if requires.is_empty() {
            return Err(NetworkError::at("requires", InputErrorKind::Required));
        }
        for (i, p) in requires.iter().enumerate() {
            if p.is_empty() {
                return Err(NetworkError::at(
                    format!("requires[{i}]"),
                    InputErrorKind::EmptyId,
                ));
            }
            if requires.get(..i).is_some_and(|before| before.contains(p)) {
                return Err(NetworkError::at(
                    format!("requires[{i}]"),
                    InputErrorKind::DuplicateId {
                        id: (*p).to_owned(),
                    },
                ));
            }
        }
        let list = requires.iter().map(|p| (*p).to_owned()).collect();
        Ok(self
            .networks
            .features
            .insert(name.to_owned(), list)
            .is_none())
    }

    /// Removes a feature defined as data; an unknown name is a not-found error
    /// ([`UnknownFeature`](crate::NetworkErrorKind::UnknownFeature) at `name`).
    ///
    /// # Examples
    ///
    /// ```
    /// let mut model = orgperm::Model::new();
    /// model.networks_mut().define_feature("f", &["create:room"])?;
    /// model.networks_mut().remove_feature("f")?;
    /// assert!(model.networks_mut().remove_feature("f").unwrap_err().kind().is_not_found());
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    pub fn remove_feature(&mut self, name: &str) -> Result<(), NetworkError> {
        match self.networks.features.remove(name) {
            Some(_) => Ok(()),
            None => Err(NetworkError::at(
                "name",
                NetworkErrorKind::UnknownFeature {
                    id: name.to_owned(),
                },
            )),
        }
    }

    /// Adds an external contact on a network, optionally of a company (rooms with contacts
    /// of several companies are multi-company rooms).
    ///
    /// # Examples
    ///
    /// ```
    /// let mut model = orgperm::Model::new();
    /// model.networks_mut().add_network("WECHAT")?;
    /// model.networks_mut().add_contact("k1", "WECHAT", Some("acme"))?;
    /// assert!(model.networks_mut().add_contact("k2", "LINE", None).is_err());
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    pub fn add_contact(
        &mut self,
        id: &str,
        network: &str,
        company: Option<&str>,
    ) -> Result<ContactId, NetworkError> {
        if id.is_empty() {
            return Err(NetworkError::at("id", InputErrorKind::EmptyId));
        }
        if self.networks.contacts.live_id(id).is_some() {
            return Err(NetworkError::at(
                "id",
                InputErrorKind::DuplicateId { id: id.to_owned() },
            ));
        }
        let n = self.networks.network(network, "externalNetwork")?;
        let (c, _) = self
            .networks
            .contacts
            .insert(id, (n, company.map(str::to_owned)))?;
        Ok(c)
    }
}

impl<'m> NetworksRef<'m> {
    fn advisor(&self, id: &str, field: &str) -> Result<UserId, NetworkError> {
        self.dir.active_id(id).ok_or_else(|| {
            NetworkError::at(
                field,
                NetworkErrorKind::UnknownAdvisor { id: id.to_owned() },
            )
        })
    }

    /// A network's catalog: `(permission, isDefault)` in the order added.
    ///
    /// # Examples
    ///
    /// ```
    /// let model = orgperm::Model::new();
    /// assert!(model.networks().network_catalog("ICQ").is_err());
    /// ```
    pub fn network_catalog(&self, network: &str) -> Result<Vec<(&'m str, bool)>, NetworkError> {
        let n = self.networks.network(network, "externalNetwork")?;
        Ok(self
            .networks
            .catalog(n)
            .iter()
            .map(|&(p, d)| (self.networks.perms.name(p).unwrap_or(""), d))
            .collect())
    }

    /// The dense id of a network.
    ///
    /// # Examples
    ///
    /// ```
    /// let model = orgperm::Model::new();
    /// assert_eq!(model.networks().network_id("SMS"), None);
    /// ```
    pub fn network_id(&self, id: &str) -> Option<NetworkId> {
        self.networks.catalogs.live_id(id)
    }

    /// External ids of the networks, in the order added.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut model = orgperm::Model::new();
    /// model.networks_mut().add_network("SMS").unwrap();
    /// assert_eq!(model.networks().network_ids().collect::<Vec<_>>(), ["SMS"]);
    /// ```
    pub fn network_ids(&self) -> impl Iterator<Item = &'m str> + 'm {
        let catalogs = &self.networks.catalogs;
        catalogs.iter().map(move |(n, _)| catalogs.name(n))
    }

    /// The permissions an advisor holds on a network, in catalog order (empty when not
    /// entitled).
    ///
    /// # Examples
    ///
    /// ```
    /// let mut model = orgperm::Model::new();
    /// model.add_user("a", None)?;
    /// model.networks_mut().add_network("SMS")?;
    /// assert!(model.networks().network_permissions_of("a", "SMS")?.is_empty());
    /// assert!(model.networks().network_permissions_of("zz", "SMS").is_err());
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    pub fn network_permissions_of(
        &self,
        advisor: &str,
        network: &str,
    ) -> Result<Vec<&'m str>, NetworkError> {
        let a = self.advisor(advisor, "advisorSymphonyId")?;
        let n = self.networks.network(network, "externalNetwork")?;
        let held = self
            .networks
            .held
            .get(&(a, n))
            .map_or(&[][..], Vec::as_slice);
        Ok(self
            .networks
            .catalog(n)
            .iter()
            .filter(|(p, _)| held.binary_search(p).is_ok())
            .filter_map(|&(p, _)| self.networks.perms.name(p))
            .collect())
    }

    /// The tenant-wide permission list: every permission name known (defined, or listed by
    /// a network's catalog now or before), with the vendor's `permissionId` when known,
    /// sorted by name.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut model = orgperm::Model::new();
    /// model.networks_mut().add_network("SMS")?;
    /// model.networks_mut().add_network_permission("SMS", "create:room", true)?;
    /// model.networks_mut().define_permission("admin:list-customers", Some("9"))?;
    /// assert_eq!(
    ///     model.networks().tenant_permissions(),
    ///     [("admin:list-customers", Some("9")), ("create:room", None)]
    /// );
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    pub fn tenant_permissions(&self) -> Vec<(&'m str, Option<&'m str>)> {
        let nets: &'m NetworkStore = self.networks;
        let mut out: Vec<(&'m str, Option<&'m str>)> = nets
            .perms
            .iter()
            .map(|(p, name)| (name, nets.vendor_id(p)))
            .collect();
        out.sort_unstable();
        out
    }

    /// The vendor's `permissionId` of a permission, if known.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut model = orgperm::Model::new();
    /// model.networks_mut().define_permission("create:room", Some("17"))?;
    /// assert_eq!(model.networks().vendor_permission_id("create:room"), Some("17"));
    /// assert_eq!(model.networks().vendor_permission_id("nope"), None);
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    pub fn vendor_permission_id(&self, name: &str) -> Option<&'m str> {
        let nets: &'m NetworkStore = self.networks;
        nets.perms.get(name).and_then(|p| nets.vendor_id(p))
    }

    /// The permission a vendor `permissionId` names.
    ///
    /// # Examples
    ///
    /// ```
    /// let model = orgperm::Model::new();
    /// assert_eq!(model.networks().permission_named_by("17"), None);
    /// ```
    pub fn permission_named_by(&self, permission_id: &str) -> Option<&'m str> {
        let nets: &'m NetworkStore = self.networks;
        nets.by_vendor_id
            .get(permission_id)
            .and_then(|&p| nets.perms.name(p))
    }

    /// The composite features defined as data, sorted by name, each with the permissions
    /// it needs in the order given.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut model = orgperm::Model::new();
    /// model.networks_mut().define_feature("offboard", &["admin:list-customers", "on-behalf:simple-offboard"])?;
    /// assert_eq!(
    ///     model.networks().features(),
    ///     [("offboard", vec!["admin:list-customers", "on-behalf:simple-offboard"])]
    /// );
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    pub fn features(&self) -> Vec<(&'m str, Vec<&'m str>)> {
        let nets: &'m NetworkStore = self.networks;
        nets.features
            .iter()
            .map(|(name, req)| (name.as_str(), req.iter().map(String::as_str).collect()))
            .collect()
    }

    /// Whether an advisor is entitled on a network.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut model = orgperm::Model::new();
    /// model.add_user("a", None)?;
    /// model.networks_mut().add_network("SMS")?;
    /// assert!(!model.networks().is_entitled("a", "SMS"));
    /// model.networks_mut().entitle_advisor("a", "SMS")?;
    /// assert!(model.networks().is_entitled("a", "SMS"));
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    pub fn is_entitled(&self, advisor: &str, network: &str) -> bool {
        match (
            self.dir.active_id(advisor),
            self.networks.catalogs.live_id(network),
        ) {
            (Some(a), Some(n)) => self.networks.held.contains_key(&(a, n)),
            _ => false,
        }
    }
}
