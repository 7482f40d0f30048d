//! Symphony Connect's response bodies and problem objects, built from a model.

use serde::Serialize;

use crate::error::ErrorClass;
use crate::model::Model;
use crate::model_error::{ErrorKind, ModelError};
use crate::network::BulkGrantResult;
use crate::network::error::NetworkErrorKind;

macro_rules! to_json {
    ($($ty:ty),*) => {$(
        impl $ty {
            /// The body as compact JSON.
            pub fn to_json(&self) -> String {
                serde_json::to_string(self).unwrap_or_default()
            }

            /// The body as a JSON value.
            pub fn to_value(&self) -> serde_json::Value {
                serde_json::to_value(self).unwrap_or_default()
            }
        }
    )*};
}

/// A permission as the tenant-wide list and an advisor's list name it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PermissionDto {
    /// The vendor's id, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub permission_id: Option<String>,
    /// The name (`create:room`).
    pub permission_name: String,
}

/// A catalog entry of one network.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CatalogEntryDto {
    /// The vendor's id, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub permission_id: Option<String>,
    /// The name.
    pub permission_name: String,
    /// Whether an entitlement grants it.
    pub is_default: bool,
}

/// The tenant-wide list (`GET /api/v1/customer/permissions`): `{permissions}`, sorted by
/// name.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PermissionsResponse {
    /// The permissions.
    pub permissions: Vec<PermissionDto>,
}

/// A network's catalog (`GET /api/v1/customer/externalNetwork/{externalNetwork}/permissions`):
/// `{externalNetwork, permissions}`, in catalog order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CatalogResponse {
    /// The network.
    pub external_network: String,
    /// The catalog.
    pub permissions: Vec<CatalogEntryDto>,
}

/// What an advisor holds on a network
/// (`GET /api/v2/customer/advisors/{advisorSymphonyId}/externalNetwork/{externalNetwork}/permissions`):
/// `{advisorSymphonyId, externalNetwork, permissions}`, in catalog order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AdvisorPermissionsResponse {
    /// The advisor.
    pub advisor_symphony_id: String,
    /// The network.
    pub external_network: String,
    /// The permissions held.
    pub permissions: Vec<PermissionDto>,
}

/// The outcome of a bulk add for one advisor: HTTP status 200, or the status and the
/// problem title and detail of the error a single add would have answered.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BulkAddResult {
    /// The advisor, as given.
    pub advisor_symphony_id: String,
    /// 200, or the error's status.
    pub status: u16,
    /// The problem title (`permission.already.assigned`), absent on success.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// The error's message, absent on success.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

/// The response of `POST /api/v2/customer/advisors/permissions`: `{externalNetwork,
/// permissionName, results}`, a result per advisor in the order asked.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BulkAddResponse {
    /// The network.
    pub external_network: String,
    /// The permission.
    pub permission_name: String,
    /// One result per advisor.
    pub results: Vec<BulkAddResult>,
}

/// A problem object (RFC 7807) as Symphony answers errors: `{type, title, status, detail}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Problem {
    /// Always `about:blank`: the title says what went wrong.
    #[serde(rename = "type")]
    pub kind: String,
    /// The machine-readable title (see [`problem`]).
    pub title: String,
    /// The HTTP status.
    pub status: u16,
    /// The error's message, with its path.
    pub detail: String,
}

to_json!(
    PermissionsResponse,
    CatalogResponse,
    AdvisorPermissionsResponse,
    BulkAddResponse,
    Problem
);

/// The tenant-wide permission list.
///
/// # Examples
///
/// ```
/// use orgperm::vendor::symphony::permissions_response;
/// let mut model = orgperm::Model::new();
/// model.networks_mut().define_permission("create:room", Some("1"))?;
/// assert_eq!(permissions_response(&model).to_json(),
///     r#"{"permissions":[{"permissionId":"1","permissionName":"create:room"}]}"#);
/// # Ok::<(), orgperm::ModelError>(())
/// ```
pub fn permissions_response(model: &Model) -> PermissionsResponse {
    PermissionsResponse {
        permissions: model
            .networks()
            .tenant_permissions()
            .into_iter()
            .map(|(name, id)| PermissionDto {
                permission_id: id.map(str::to_owned),
                permission_name: name.to_owned(),
            })
            .collect(),
    }
}

/// A network's catalog; an unknown network is an error at `externalNetwork`.
///
/// # Examples
///
/// ```
/// use orgperm::vendor::symphony::catalog_response;
/// let mut model = orgperm::Model::new();
/// model.networks_mut().add_network("SMS")?;
/// model.networks_mut().add_network_permission("SMS", "create:room", true)?;
/// assert_eq!(catalog_response(&model, "SMS")?.to_json(),
///     r#"{"externalNetwork":"SMS","permissions":[{"permissionName":"create:room","isDefault":true}]}"#);
/// # Ok::<(), orgperm::ModelError>(())
/// ```
pub fn catalog_response(model: &Model, network: &str) -> Result<CatalogResponse, ModelError> {
    let nets = model.networks();
    Ok(CatalogResponse {
        external_network: network.to_owned(),
        permissions: nets
            .network_catalog(network)?
            .into_iter()
            .map(|(name, is_default)| CatalogEntryDto {
                permission_id: nets.vendor_permission_id(name).map(str::to_owned),
                permission_name: name.to_owned(),
                is_default,
            })
            .collect(),
    })
}

/// What an advisor holds on a network. An unknown advisor or network is a not-found error;
/// an advisor not entitled there is [`NotEntitled`](crate::NetworkErrorKind::NotEntitled)
/// (an empty list would read back as an entitlement).
///
/// # Examples
///
/// ```
/// use orgperm::vendor::symphony::advisor_permissions_response;
/// let mut model = orgperm::Model::new();
/// model.networks_mut().add_network("SMS")?;
/// model.networks_mut().add_network_permission("SMS", "create:room", true)?;
/// model.onboard_advisor("42", "SMS")?;
/// assert_eq!(advisor_permissions_response(&model, "42", "SMS")?.to_json(),
///     r#"{"advisorSymphonyId":"42","externalNetwork":"SMS","permissions":[{"permissionName":"create:room"}]}"#);
/// assert!(advisor_permissions_response(&model, "43", "SMS").unwrap_err().kind().is_not_found());
/// # Ok::<(), orgperm::ModelError>(())
/// ```
pub fn advisor_permissions_response(
    model: &Model,
    advisor: &str,
    network: &str,
) -> Result<AdvisorPermissionsResponse, ModelError> {
    let nets = model.networks();
    let held = nets.network_permissions_of(advisor, network)?;
    if !nets.is_entitled(advisor, network) {
        return Err(ModelError::at(
            "advisorSymphonyId",
            NetworkErrorKind::NotEntitled {
                advisor: advisor.to_owned(),
                network: network.to_owned(),
            },
        ));
    }
    Ok(AdvisorPermissionsResponse {
        advisor_symphony_id: advisor.to_owned(),
        external_network: network.to_owned(),
        permissions: held
            .into_iter()
            .map(|name| PermissionDto {
                permission_id: nets.vendor_permission_id(name).map(str::to_owned),
                permission_name: name.to_owned(),
            })
            .collect(),
    })
}

/// The bulk-add response for the results of
/// [`NetworksMut::grant_network_permission_bulk`](crate::NetworksMut::grant_network_permission_bulk)
/// or [`SymphonyReader::read_bulk_add`](super::SymphonyReader::read_bulk_add).
pub fn bulk_add_response(
    network: &str,
    permission: &str,
    results: &[BulkGrantResult],
) -> BulkAddResponse {
    BulkAddResponse {
        external_network: network.to_owned(),
        permission_name: permission.to_owned(),
        results: results
            .iter()
            .map(|r| match &r.result {
                Ok(()) => BulkAddResult {
                    advisor_symphony_id: r.advisor.clone(),
                    status: 200,
                    title: None,
                    detail: None,
                },
                Err(e) => {
                    let p = problem(&ModelError::from(e.clone()));
                    BulkAddResult {
                        advisor_symphony_id: r.advisor.clone(),
                        status: p.status,
                        title: Some(p.title),
                        detail: Some(p.detail),
                    }
                }
            })
            .collect(),
    }
}

/// The problem object for an error. Titles, by kind:
///
/// | kind | title | status |
/// |---|---|---|
/// | [`AlreadyAssigned`](crate::NetworkErrorKind::AlreadyAssigned) | `permission.already.assigned` | 409 |
/// | [`UnknownAdvisor`](crate::NetworkErrorKind::UnknownAdvisor) | `advisor.not.found` | 404 |
/// | [`UnknownNetwork`](crate::NetworkErrorKind::UnknownNetwork) | `external.network.not.found` | 400 |
/// | [`UnknownNetworkPermission`](crate::NetworkErrorKind::UnknownNetworkPermission) | `permission.not.found` | 404 |
/// | [`PermissionNotHeld`](crate::NetworkErrorKind::PermissionNotHeld) | `permission.not.assigned` | 404 |
/// | [`NotEntitled`](crate::NetworkErrorKind::NotEntitled) | `advisor.not.entitled` | 409 |
/// | [`UnknownContact`](crate::NetworkErrorKind::UnknownContact) | `contact.not.found` | 404 |
/// | [`UnknownFeature`](crate::NetworkErrorKind::UnknownFeature) | `feature.not.found` | 404 |
/// | any other | `not.found`, `conflict`, `bad.request` or `internal.error` by [`ErrorClass`] | 404, 409, 400, 500 |
///
/// # Examples
///
/// ```
/// use orgperm::vendor::symphony::problem;
/// let mut model = orgperm::Model::new();
/// model.networks_mut().add_network("SMS")?;
/// let err = model.networks_mut().grant_network_permission("zz", "SMS", "create:room").unwrap_err();
/// let p = problem(&err.into());
/// assert_eq!(p.to_json(), r#"{"type":"about:blank","title":"advisor.not.found","status":404,"detail":"advisorSymphonyId: advisor \"zz\" not found"}"#);
/// # Ok::<(), orgperm::ModelError>(())
/// ```
pub fn problem(error: &ModelError) -> Problem {
    let named = match error.kind() {
        ErrorKind::Network(kind) => match kind {
            NetworkErrorKind::AlreadyAssigned { .. } => Some("permission.already.assigned"),
            NetworkErrorKind::UnknownAdvisor { .. } => Some("advisor.not.found"),
            NetworkErrorKind::UnknownNetwork { .. } => Some("external.network.not.found"),
            NetworkErrorKind::UnknownNetworkPermission { .. } => Some("permission.not.found"),
            NetworkErrorKind::PermissionNotHeld { .. } => Some("permission.not.assigned"),
            NetworkErrorKind::NotEntitled { .. } => Some("advisor.not.entitled"),
            NetworkErrorKind::UnknownContact { .. } => Some("contact.not.found"),
            NetworkErrorKind::UnknownFeature { .. } => Some("feature.not.found"),
            _ => None,
        },
        _ => None,
    };
    let class = error.kind().class();
    let status = match class {
        ErrorClass::NotFound => 404,
        ErrorClass::Conflict => 409,
        ErrorClass::Invalid => 400,
        ErrorClass::Storage => 500,
    };
    let title = named.unwrap_or(match class {
        ErrorClass::NotFound => "not.found",
        ErrorClass::Conflict => "conflict",
        ErrorClass::Invalid => "bad.request",
        ErrorClass::Storage => "internal.error",
    });
    Problem {
        kind: "about:blank".to_owned(),
        title: title.to_owned(),
        status,
        detail: error.to_string(),
    }
}
