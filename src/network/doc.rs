//! The `networks`, `contacts` and `advisors` sections of the model document.
//!
//! ```json
//! "networks": [{"id": "WHATSAPP", "permissions": [{"name": "create:room", "isDefault": true}]}],
//! "contacts": [{"id": "k1", "externalNetwork": "WHATSAPP", "companyId": "acme"}],
//! "advisors": [{"advisorSymphonyId": "u1",
//!               "networks": [{"externalNetwork": "WHATSAPP", "permissions": ["create:room"]}]}]
//! ```
//!
//! An advisor's `permissions` list is exactly what they hold (defaults are not added again on
//! import), so export and import round-trip.
//!
//! The tenant-wide permission list and the features defined as data have their own sections:
//!
//! ```json
//! "networkPermissions": [{"name": "create:room", "permissionId": "17"}],
//! "networkFeatures": [{"name": "offboard", "requires": ["admin:list-customers", "on-behalf:simple-offboard"]}]
//! ```
//!
//! `networkPermissions` lists, sorted by name, the permissions that have a vendor id and
//! those no catalog lists (a permission a catalog lists is on the tenant-wide list
//! already); it is read before `networks`.

use serde::{Deserialize, Serialize};

use crate::error::sink::Sink;

use crate::error::InputErrorKind;
use crate::id::DenseId;
use crate::network::NetworkPermissionId;
use crate::network::error::{NetworkError, NetworkErrorKind};
use crate::network::store::{NetworksMut, NetworksRef};

fn is_false(b: &bool) -> bool {
    !*b
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct NetworkDoc {
    id: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    permissions: Vec<CatalogEntryDoc>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct CatalogEntryDoc {
    name: String,
    #[serde(default, skip_serializing_if = "is_false")]
    is_default: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct ContactDoc {
    id: String,
    external_network: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    company_id: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct AdvisorDoc {
    advisor_symphony_id: String,
    #[serde(default)]
    networks: Vec<EntitlementDoc>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct EntitlementDoc {
    external_network: String,
    #[serde(default)]
    permissions: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct TenantPermissionDoc {
    name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    permission_id: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct FeatureDoc {
    name: String,
    requires: Vec<String>,
}

/// The tenant-wide permissions a catalog does not imply: those with a vendor id and those no
/// catalog lists, sorted by name.
pub(crate) fn export_tenant_permissions(model: NetworksRef<'_>) -> Vec<TenantPermissionDoc> {
    let nets = &model.networks;
    let mut listed = vec![false; nets.perms.len()];
    for (_, catalog) in nets.catalogs.iter() {
        for &(p, _) in catalog {
            if let Some(l) = listed.get_mut(p.index() as usize) {
                *l = true;
            }
        }
    }
    let mut out: Vec<TenantPermissionDoc> = nets
        .perms
        .iter()
        .filter(|&(p, _)| {
            nets.vendor_id(p).is_some() || !listed.get(p.index() as usize).copied().unwrap_or(false)
        })
        .map(|(p, name)| TenantPermissionDoc {
            name: name.to_owned(),
            permission_id: nets.vendor_id(p).map(str::to_owned),
        })
        .collect();
    out.sort_by(|a, b| a.name.cmp(&b.name));
    out
}

/// The features defined as data, sorted by name.
pub(crate) fn export_features(model: NetworksRef<'_>) -> Vec<FeatureDoc> {
    model
        .networks
        .features
        .iter()
        .map(|(name, requires)| FeatureDoc {
            name: name.clone(),
            requires: requires.clone(),
        })
        .collect()
}

/// Installs the tenant-wide permissions and the features; errors point into
/// `networkPermissions[i]` / `networkFeatures[i]`.
pub(crate) fn import_tenant(
    permissions: &[TenantPermissionDoc],
    features: &[FeatureDoc],
    mut model: NetworksMut<'_>,
    sink: &mut impl Sink<NetworkErrorKind>,
) -> Result<(), NetworkError> {
    for (i, p) in permissions.iter().enumerate() {
        if let Err(e) = model.define_permission(&p.name, p.permission_id.as_deref()) {
            sink.skip(
                e.renamed("permissionName", "name")
                    .within(&format!("networkPermissions[{i}]")),
            )?;
        }
    }
    for (i, f) in features.iter().enumerate() {
        let at = || format!("networkFeatures[{i}]");
        if model.networks.features.contains_key(&f.name) {
            sink.skip(NetworkError::at(
                format!("{}.name", at()),
                InputErrorKind::DuplicateId { id: f.name.clone() },
            ))?;
            continue;
        }
        let requires: Vec<&str> = f.requires.iter().map(String::as_str).collect();
        if let Err(e) = model.define_feature(&f.name, &requires) {
            sink.skip(e.within(&at()))?;
        }
    }
    Ok(())
}

/// Networks in the order added (catalog order is meaningful), contacts sorted by id.
pub(crate) fn export_networks(model: NetworksRef<'_>) -> (Vec<NetworkDoc>, Vec<ContactDoc>) {
    let nets = &model.networks;
    let networks = nets
        .catalogs
        .iter()
        .map(|(n, _)| NetworkDoc {
            id: nets.catalogs.name(n).to_owned(),
            permissions: nets
                .catalog(n)
                .iter()
                .map(|&(p, d)| CatalogEntryDoc {
                    name: nets.perms.name(p).unwrap_or("").to_owned(),
                    is_default: d,
                })
                .collect(),
        })
        .collect();
    let mut contacts: Vec<ContactDoc> = nets
        .contacts
        .iter()
        .map(|(c, (n, company))| ContactDoc {
            id: nets.contacts.name(c).to_owned(),
            external_network: nets.catalogs.name(*n).to_owned(),
            company_id: company.clone(),
        })
        .collect();
    contacts.sort_by(|a, b| a.id.cmp(&b.id));
    (networks, contacts)
}

/// Active advisors sorted by id, their networks in network order, permissions in catalog
/// order.
pub(crate) fn export_advisors(model: NetworksRef<'_>) -> Vec<AdvisorDoc> {
    let nets = &model.networks;
    let mut out: Vec<AdvisorDoc> = Vec::new();
    for (&(a, n), held) in &nets.held {
        if !model.dir.is_active(a) {
            continue;
        }
        let entitlement = EntitlementDoc {
            external_network: nets.catalogs.name(n).to_owned(),
            permissions: nets
                .catalog(n)
                .iter()
                .filter(|(p, _)| held.binary_search(p).is_ok())
                .filter_map(|&(p, _)| nets.perms.name(p).map(str::to_owned))
                .collect(),
        };
        // `held` is ordered by (advisor, network): an advisor's entries are adjacent.
        match out.last_mut() {
            Some(last) if last.advisor_symphony_id == model.dir.name(a) => {
                last.networks.push(entitlement);
            }
            _ => out.push(AdvisorDoc {
                advisor_symphony_id: model.dir.name(a).to_owned(),
                networks: vec![entitlement],
            }),
        }
    }
    out.sort_by(|a, b| a.advisor_symphony_id.cmp(&b.advisor_symphony_id));
    out
}

/// Installs networks and contacts; errors point into `networks[i]` / `contacts[i]`.
pub(crate) fn import_networks(
    networks: &[NetworkDoc],
    contacts: &[ContactDoc],
    mut model: NetworksMut<'_>,
    sink: &mut impl Sink<NetworkErrorKind>,
) -> Result<(), NetworkError> {
    for (i, n) in networks.iter().enumerate() {
        let at = || format!("networks[{i}]");
        if let Err(e) = model.add_network(&n.id) {
            sink.skip(e.within_record(&at(), &n.id))?;
            continue;
        }
        for (j, p) in n.permissions.iter().enumerate() {
            if let Err(e) = model.add_network_permission(&n.id, &p.name, p.is_default) {
                sink.skip(
                    e.within(&format!("permissions[{j}]"))
                        .within_record(&at(), &n.id),
                )?;
            }
        }
    }
    for (i, c) in contacts.iter().enumerate() {
        if let Err(e) = model.add_contact(&c.id, &c.external_network, c.company_id.as_deref()) {
            sink.skip(e.within_record(&format!("contacts[{i}]"), &c.id))?;
        }
    }
    Ok(())
}

/// Installs the advisors' entitlements and exact permission sets.
pub(crate) fn import_advisors(
    docs: &[AdvisorDoc],
    model: NetworksMut<'_>,
    sink: &mut impl Sink<NetworkErrorKind>,
) -> Result<(), NetworkError> {
    for (i, a) in docs.iter().enumerate() {
        let at = format!("advisors[{i}]");
        let Some(advisor) = model.dir.active_id(&a.advisor_symphony_id) else {
            sink.skip(NetworkError::at(
                format!("{at}.advisorSymphonyId"),
                NetworkErrorKind::UnknownAdvisor {
                    id: a.advisor_symphony_id.clone(),
                },
            ))?;
            continue;
        };
        'entitlement: for (j, e) in a.networks.iter().enumerate() {
            let at = format!("{at}.networks[{j}]");
            let Some(n) = model.networks.catalogs.live_id(&e.external_network) else {
                sink.skip(NetworkError::at(
                    format!("{at}.externalNetwork"),
                    NetworkErrorKind::UnknownNetwork {
                        id: e.external_network.clone(),
                    },
                ))?;
                continue;
            };
            if model.networks.held.contains_key(&(advisor, n)) {
                sink.skip(NetworkError::at(
                    format!("{at}.externalNetwork"),
                    InputErrorKind::DuplicateId {
                        id: e.external_network.clone(),
                    },
                ))?;
                continue;
            }
            let mut held: Vec<NetworkPermissionId> = Vec::with_capacity(e.permissions.len());
            for (k, name) in e.permissions.iter().enumerate() {
                let p = model
                    .networks
                    .perms
                    .get(name)
                    .filter(|p| model.networks.catalog(n).iter().any(|(q, _)| q == p));
                let Some(p) = p else {
                    sink.skip(NetworkError::at(
                        format!("{at}.permissions[{k}]"),
                        NetworkErrorKind::UnknownNetworkPermission {
                            network: e.external_network.clone(),
                            permission: name.clone(),
                        },
                    ))?;
                    continue 'entitlement;
                };
                if held.contains(&p) {
                    sink.skip(NetworkError::at(
                        format!("{at}.permissions[{k}]"),
                        NetworkErrorKind::AlreadyAssigned {
                            advisor: a.advisor_symphony_id.clone(),
                            network: e.external_network.clone(),
                            permission: name.clone(),
                        },
                    ))?;
                    continue 'entitlement;
                }
                held.push(p);
            }
            held.sort_unstable();
            model.networks.held.insert((advisor, n), held);
        }
    }
    Ok(())
}
