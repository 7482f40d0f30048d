//! [`SymphonyReader`]: Symphony Connect permission bodies, one after another, into a model
//! and the change set that leads there.

use hashbrown::HashSet;

use crate::change::{CHANGE_SET_VERSION, ChangeSet, Op};
use crate::document::reader::Node;
use crate::error::{InputError, InputErrorKind};
use crate::model::Model;
use crate::model_error::ModelError;
use crate::network::BulkGrantResult;
use crate::network::error::NetworkErrorKind;
use crate::vendor::Imported;
use crate::vendor::strict::{
    At, Reader, Strictness, array, boolean, check, id, object, parse, required, string,
};

/// The informational fields of a permission object (skipped).
pub(crate) const PERMISSION_INFORMATIONAL: &[&str] = &["description"];

/// The fields of a permission object of the tenant-wide list and of an advisor's list.
const PERMISSION_FIELDS: &[&str] = &["permissionId", "permissionName"];

/// The fields of a catalog entry.
const CATALOG_FIELDS: &[&str] = &["permissionId", "permissionName", "isDefault"];

/// A permission as a body names it: by name, by the vendor's id, or both.
struct Named<'a> {
    name: Option<&'a str>,
    permission_id: Option<&'a str>,
    at: String,
}

/// Reads Symphony Connect's permission bodies, one after another, into a model, and records
/// the change set that leads from the base model there.
///
/// Each `read_*` call reads one body completely or not at all; an error names the field's
/// path in the body (`permissions[3].permissionName`), or the path parameter
/// (`advisorSymphonyId`, `externalNetwork`) a body was read for. What each body means:
///
/// - **permissions** (`GET /api/v1/customer/permissions`: `{permissions: [{permissionId,
///   permissionName}]}` or the bare array): each permission is put on the tenant-wide list
///   with its id.
/// - **catalog** (`GET /api/v1/customer/externalNetwork/{externalNetwork}/permissions`:
///   `{externalNetwork, permissions: [{permissionId, permissionName, isDefault}]}` or the bare
///   array): the network is added if the model lacks it (networks are data); afterwards its
///   catalog holds exactly the listed permissions with their `isDefault` (new ones appended
///   in the listed order, removed ones taken out, which is refused while an advisor holds
///   them).
/// - **advisor permissions** (`GET /api/v2/customer/advisors/{advisorSymphonyId}/externalNetwork/{externalNetwork}/permissions`:
///   `{advisorSymphonyId, externalNetwork, permissions: [{permissionId, permissionName}]}`
///   or the bare array): the advisor is entitled on the network if not yet (added to the
///   directory first if it lacks them, see [`Model::onboard_advisor`]), and afterwards
///   holds exactly the listed permissions there.
/// - **add a permission** (`POST .../advisors/{id}/externalNetwork/{network}/permissions`:
///   `{permissionName}`): one grant, with the vendor's errors (already assigned, not
///   found).
/// - **bulk add** (`POST /api/v2/customer/advisors/permissions`: `{advisorSymphonyIds,
///   externalNetwork, permissionName}`): one grant per advisor, each succeeding or failing
///   on its own; the per-advisor results are returned (answer with
///   [`bulk_add_response`](super::bulk_add_response)).
/// - **bulk add result** (the body [`bulk_add_response`](super::bulk_add_response) writes):
///   the grants reported with status 200 are held afterwards.
///
/// A permission may be named by `permissionName`, by `permissionId` (resolved through the
/// tenant-wide list) or both (which must agree with what the model knows).
///
/// # Examples
///
/// ```
/// use orgperm::vendor::symphony::SymphonyReader;
/// let mut reader = SymphonyReader::new();
/// reader.read_catalog(r#"{"externalNetwork": "WHATSAPP", "permissions": [
///     {"permissionId": "1", "permissionName": "create:room", "isDefault": true},
///     {"permissionId": "2", "permissionName": "admin:list-customers", "isDefault": false}]}"#, "WHATSAPP")?;
/// // The advisor need not be a directory user: reading their permissions onboards them.
/// reader.read_advisor_permissions(r#"{"advisorSymphonyId": "1234567890", "externalNetwork": "WHATSAPP",
///     "permissions": [{"permissionId": "2"}]}"#, "1234567890", "WHATSAPP")?;
/// let import = reader.finish()?;
/// let snap = import.model.compile();
/// assert!(snap.networks().has_permission("1234567890", "WHATSAPP", "admin:list-customers"));
/// assert!(!snap.networks().has_permission("1234567890", "WHATSAPP", "create:room"));
/// let mut again = orgperm::Model::new();
/// import.changes.apply_to(&mut again)?;
/// assert_eq!(again.to_json(), import.model.to_json());
/// # Ok::<(), orgperm::ModelError>(())
/// ```
#[derive(Clone, Debug)]
pub struct SymphonyReader {
    draft: Model,
    ops: Vec<Op>,
    strictness: Strictness,
    warnings: Vec<InputError>,
}

impl Default for SymphonyReader {
    fn default() -> Self {
        Self::new()
    }
}

impl SymphonyReader {
    /// A strict reader onto an empty model.
    pub fn new() -> Self {
        Self::onto(Model::new())
    }

    /// A strict reader that adds into `model`; the change set leads from it to the result.
    pub fn onto(model: Model) -> Self {
        SymphonyReader {
            draft: model,
            ops: Vec::new(),
            strictness: Strictness::Strict,
            warnings: Vec::new(),
        }
    }

    /// The same reader in `strictness` mode.
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::vendor::{Strictness, symphony::SymphonyReader};
    /// let mut reader = SymphonyReader::new().with_strictness(Strictness::Lenient);
    /// reader.read_permissions(r#"[{"permissionId": "1", "permissionName": "create:room", "scope": "x"}]"#)?;
    /// assert_eq!(reader.warnings()[0].path(), "[0].scope");
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    pub fn with_strictness(mut self, strictness: Strictness) -> Self {
        self.strictness = strictness;
        self
    }

    /// The model as read so far.
    pub fn model(&self) -> &Model {
        &self.draft
    }

    /// The warnings so far (lenient mode).
    pub fn warnings(&self) -> &[InputError] {
        &self.warnings
    }

    /// Runs one body's reading on a copy of the draft, keeping the result only on success.
    fn body<T>(
        &mut self,
        read: impl FnOnce(&mut Model, &mut Vec<Op>, &mut Reader) -> Result<T, ModelError>,
    ) -> Result<T, ModelError> {
        let mut draft = self.draft.clone();
        let mut ops = Vec::new();
        let mut reader = Reader::new(self.strictness);
        let out = read(&mut draft, &mut ops, &mut reader)?;
        self.draft = draft;
        self.ops.extend(ops);
        self.warnings.extend(reader.warnings);
        Ok(out)
    }

    /// Reads the tenant-wide list (`GET /api/v1/customer/permissions`). Returns the number of
    /// permissions listed.
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::vendor::symphony::SymphonyReader;
    /// let mut reader = SymphonyReader::new();
    /// reader.read_permissions(r#"{"permissions": [{"permissionId": "7", "permissionName": "create:room",
    ///     "description": "Create a room"}]}"#)?;
    /// assert_eq!(reader.model().networks().vendor_permission_id("create:room"), Some("7"));
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    pub fn read_permissions(&mut self, json: &str) -> Result<usize, ModelError> {
        let node = parse(json)?;
        self.body(|draft, ops, reader| {
            let (items, list_at) = listing(&node, &[], reader)?;
            let mut seen: HashSet<&str> = HashSet::with_capacity(items.len());
            for (i, n) in items.iter().enumerate() {
                let at = list_at.index(i);
                let f = check(
                    object(n, &at)?,
                    &at,
                    PERMISSION_FIELDS,
                    PERMISSION_INFORMATIONAL,
                    reader,
                )?;
                let name_at = at.key("permissionName");
                let name = id(required(&f, 1, &at, "permissionName")?, &name_at)?;
                if !seen.insert(name) {
                    return Err(name_at.error(InputErrorKind::DuplicateId {
                        id: name.to_owned(),
                    }));
                }
                let pid = optional_id(f.value(0), &at.key("permissionId"))?;
                define(draft, name, pid, &at, ops)?;
            }
            Ok(items.len())
        })
    }

    /// Reads the catalog of `network` (`GET /api/v1/customer/externalNetwork/{network}/permissions`).
    /// Returns the number of permissions listed.
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::vendor::symphony::SymphonyReader;
    /// let mut reader = SymphonyReader::new();
    /// reader.read_catalog(r#"[{"permissionName": "create:room", "isDefault": true}]"#, "LINE")?;
    /// assert_eq!(reader.model().networks().network_catalog("LINE")?, [("create:room", true)]);
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    pub fn read_catalog(&mut self, json: &str, network: &str) -> Result<usize, ModelError> {
        let node = parse(json)?;
        self.body(|draft, ops, reader| {
            let (items, list_at) = listing(&node, &["externalNetwork"], reader)?;
            body_network(&node, network)?;
            if network.is_empty() {
                return Err(ModelError::at("externalNetwork", InputErrorKind::EmptyId));
            }
            if draft.networks().network_id(network).is_none() {
                draft
                    .networks_mut()
                    .add_network(network)
                    .map_err(|e| ModelError::from(e.renamed("id", "externalNetwork")))?;
                ops.push(Op::AddNetwork {
                    id: network.to_owned(),
                });
            }
            let current: Vec<(String, bool)> = draft
                .networks()
                .network_catalog(network)?
                .into_iter()
                .map(|(n, d)| (n.to_owned(), d))
                .collect();
            let mut listed: HashSet<&str> = HashSet::with_capacity(items.len());
            for (i, n) in items.iter().enumerate() {
                let at = list_at.index(i);
                let f = check(
                    object(n, &at)?,
                    &at,
                    CATALOG_FIELDS,
                    PERMISSION_INFORMATIONAL,
                    reader,
                )?;
                let name_at = at.key("permissionName");
                let name = id(required(&f, 1, &at, "permissionName")?, &name_at)?;
                if !listed.insert(name) {
                    return Err(name_at.error(InputErrorKind::DuplicateId {
                        id: name.to_owned(),
                    }));
                }
                let pid = optional_id(f.value(0), &at.key("permissionId"))?;
                let is_default = match f.value(2) {
                    Some(v) => boolean(v, &at.key("isDefault"))?,
                    None => false,
                };
                define(draft, name, pid, &at, ops)?;
                match current.iter().find(|(c, _)| c == name) {
                    Some((_, d)) if *d == is_default => {}
                    Some(_) => {
                        draft
                            .networks_mut()
                            .set_permission_default(network, name, is_default)?;
                        ops.push(Op::SetNetworkPermissionDefault {
                            network_id: network.to_owned(),
                            name: name.to_owned(),
                            is_default,
                        });
                    }
                    None => {
                        draft
                            .networks_mut()
                            .add_network_permission(network, name, is_default)
                            .map_err(|e| {
                                ModelError::from(e.renamed("name", "permissionName"))
                                    .within(&at.render())
                            })?;
                        ops.push(Op::AddNetworkPermission {
                            network_id: network.to_owned(),
                            name: name.to_owned(),
                            is_default,
                        });
                    }
                }
            }
            // The listing is the whole catalog: what it leaves out goes.
            for (name, _) in &current {
                if !listed.contains(name.as_str()) {
                    draft
                        .networks_mut()
                        .remove_network_permission(network, name)
                        .map_err(|e| ModelError::from(e.renamed("name", "permissionName")))?;
                    ops.push(Op::RemoveNetworkPermission {
                        network_id: network.to_owned(),
                        name: name.clone(),
                    });
                }
            }
            Ok(items.len())
        })
    }

    /// Reads what `advisor` holds on `network`
    /// (`GET /api/v2/customer/advisors/{advisor}/externalNetwork/{network}/permissions`).
    /// Returns the number of permissions listed.
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::Model;
    /// use orgperm::vendor::symphony::SymphonyReader;
    /// let mut model = Model::new();
    /// model.networks_mut().add_network("SMS")?;
    /// model.networks_mut().add_network_permission("SMS", "create:room", true)?;
    /// model.networks_mut().add_network_permission("SMS", "create:contact", false)?;
    /// let mut reader = SymphonyReader::onto(model);
    /// reader.read_advisor_permissions(r#"[{"permissionName": "create:contact"}]"#, "42", "SMS")?;
    /// let import = reader.finish()?;
    /// assert_eq!(import.model.networks().network_permissions_of("42", "SMS")?, ["create:contact"]);
    /// assert_eq!(import.changes.ops.len(), 3); // onboard, grant create:contact, revoke the default
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    pub fn read_advisor_permissions(
        &mut self,
        json: &str,
        advisor: &str,
        network: &str,
    ) -> Result<usize, ModelError> {
        let node = parse(json)?;
        self.body(|draft, ops, reader| {
            let (items, list_at) =
                listing(&node, &["advisorSymphonyId", "externalNetwork"], reader)?;
            body_network(&node, network)?;
            if let Some(named) = body_field(&node, "advisorSymphonyId")? {
                if named != advisor {
                    return Err(ModelError::at(
                        "advisorSymphonyId",
                        InputErrorKind::Conflict {
                            reason: "the body names another advisor than the path",
                        },
                    ));
                }
            }
            let mut names = Vec::with_capacity(items.len());
            for (i, n) in items.iter().enumerate() {
                names.push(permission_ref(n, &list_at.index(i), reader)?);
            }
            let mut wanted: Vec<String> = Vec::with_capacity(names.len());
            for named in &names {
                let name = resolve(draft, named, network, ops)?;
                if wanted.contains(&name) {
                    return Err(ModelError::at(
                        named.at.clone(),
                        InputErrorKind::DuplicateId { id: name },
                    ));
                }
                wanted.push(name);
            }
            // Every permission must be in the network's catalog before anything changes.
            let catalog: Vec<String> = draft
                .networks()
                .network_catalog(network)?
                .into_iter()
                .map(|(n, _)| n.to_owned())
                .collect();
            for (name, named) in wanted.iter().zip(&names) {
                if !catalog.contains(name) {
                    return Err(ModelError::at(
                        named.at.clone(),
                        NetworkErrorKind::UnknownNetworkPermission {
                            network: network.to_owned(),
                            permission: name.clone(),
                        },
                    ));
                }
            }
            entitle(draft, advisor, network, ops)?;
            let held: Vec<String> = draft
                .networks()
                .network_permissions_of(advisor, network)?
                .into_iter()
                .map(str::to_owned)
                .collect();
            for name in &wanted {
                if !held.contains(name) {
                    draft
                        .networks_mut()
                        .grant_network_permission(advisor, network, name)?;
                    ops.push(grant_op(advisor, network, name));
                }
            }
            for name in held {
                if !wanted.contains(&name) {
                    draft
                        .networks_mut()
                        .revoke_network_permission(advisor, network, &name)?;
                    ops.push(Op::RevokeNetworkPermission {
                        advisor_id: advisor.to_owned(),
                        network_id: network.to_owned(),
                        permission_id: name,
                    });
                }
            }
            Ok(items.len())
        })
    }

    /// Reads the body of `POST .../advisors/{advisor}/externalNetwork/{network}/permissions`
    /// (`{permissionName}`) and grants it, with the vendor's errors: an already held
    /// permission is [`AlreadyAssigned`](crate::NetworkErrorKind::AlreadyAssigned); an
    /// unknown advisor, network or permission are distinct not-found errors.
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{ErrorKind, Model, NetworkErrorKind};
    /// use orgperm::vendor::symphony::SymphonyReader;
    /// let mut model = Model::new();
    /// model.networks_mut().add_network("SMS")?;
    /// model.networks_mut().add_network_permission("SMS", "create:room", true)?;
    /// model.onboard_advisor("42", "SMS")?;
    /// let mut reader = SymphonyReader::onto(model);
    /// let err = reader.read_add_permission(r#"{"permissionName": "create:room"}"#, "42", "SMS").unwrap_err();
    /// assert!(matches!(err.kind(), ErrorKind::Network(NetworkErrorKind::AlreadyAssigned { .. })));
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    pub fn read_add_permission(
        &mut self,
        json: &str,
        advisor: &str,
        network: &str,
    ) -> Result<(), ModelError> {
        let node = parse(json)?;
        self.body(|draft, ops, reader| {
            let root = At::Root;
            let f = check(
                object(&node, &root)?,
                &root,
                &["permissionName"],
                &[],
                reader,
            )?;
            let name = id(
                required(&f, 0, &root, "permissionName")?,
                &root.key("permissionName"),
            )?;
            draft
                .networks_mut()
                .grant_network_permission(advisor, network, name)?;
            ops.push(grant_op(advisor, network, name));
            Ok(())
        })
    }

    /// Reads the body of `POST /api/v2/customer/advisors/permissions`
    /// (`{advisorSymphonyIds, externalNetwork, permissionName}`) and grants the permission to
    /// each advisor on their own: returns one result per advisor, in the listed order (the
    /// grants that succeeded are applied and recorded). A malformed body, an unknown network
    /// or permission fail the whole request.
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::Model;
    /// use orgperm::vendor::symphony::{SymphonyReader, bulk_add_response};
    /// let mut model = Model::new();
    /// model.networks_mut().add_network("SMS")?;
    /// model.networks_mut().add_network_permission("SMS", "create:room", false)?;
    /// model.onboard_advisor("a", "SMS")?;
    /// let mut reader = SymphonyReader::onto(model);
    /// let results = reader.read_bulk_add(r#"{"advisorSymphonyIds": ["a", "zz"],
    ///     "externalNetwork": "SMS", "permissionName": "create:room"}"#)?;
    /// let body = bulk_add_response("SMS", "create:room", &results);
    /// assert_eq!(body.results[0].status, 200);
    /// assert_eq!(body.results[1].title.as_deref(), Some("advisor.not.found"));
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    pub fn read_bulk_add(&mut self, json: &str) -> Result<Vec<BulkGrantResult>, ModelError> {
        let node = parse(json)?;
        self.body(|draft, ops, reader| {
            let root = At::Root;
            let f = check(
                object(&node, &root)?,
                &root,
                &["advisorSymphonyIds", "externalNetwork", "permissionName"],
                &[],
                reader,
            )?;
            let ids_at = root.key("advisorSymphonyIds");
            let advisors: Vec<&str> =
                array(required(&f, 0, &root, "advisorSymphonyIds")?, &ids_at)?
                    .iter()
                    .enumerate()
                    .map(|(i, n)| string(n, &ids_at.index(i)))
                    .collect::<Result<_, _>>()?;
            let network = id(
                required(&f, 1, &root, "externalNetwork")?,
                &root.key("externalNetwork"),
            )?;
            let name = id(
                required(&f, 2, &root, "permissionName")?,
                &root.key("permissionName"),
            )?;
            let results = draft
                .networks_mut()
                .grant_network_permission_bulk(&advisors, network, name)?;
            for r in &results {
                if r.result.is_ok() {
                    ops.push(grant_op(&r.advisor, network, name));
                }
            }
            Ok(results)
        })
    }

    /// Reads a bulk-add result as [`bulk_add_response`](super::bulk_add_response) writes it
    /// (`{externalNetwork, permissionName, results: [{advisorSymphonyId, status, title,
    /// detail}]}`): every advisor reported with status 200 holds the permission afterwards
    /// (the others are left as they are). Returns the number of advisors granted by the
    /// reading.
    pub fn read_bulk_add_response(&mut self, json: &str) -> Result<usize, ModelError> {
        let node = parse(json)?;
        self.body(|draft, ops, reader| {
            let root = At::Root;
            let f = check(
                object(&node, &root)?,
                &root,
                &["externalNetwork", "permissionName", "results"],
                &[],
                reader,
            )?;
            let network = id(
                required(&f, 0, &root, "externalNetwork")?,
                &root.key("externalNetwork"),
            )?;
            let name = id(
                required(&f, 1, &root, "permissionName")?,
                &root.key("permissionName"),
            )?;
            let rat = root.key("results");
            let mut granted = 0;
            for (i, n) in array(required(&f, 2, &root, "results")?, &rat)?
                .iter()
                .enumerate()
            {
                let at = rat.index(i);
                let g = check(
                    object(n, &at)?,
                    &at,
                    &["advisorSymphonyId", "status"],
                    &["title", "detail"],
                    reader,
                )?;
                let advisor = id(
                    required(&g, 0, &at, "advisorSymphonyId")?,
                    &at.key("advisorSymphonyId"),
                )?;
                let status = crate::vendor::strict::unsigned(
                    required(&g, 1, &at, "status")?,
                    &at.key("status"),
                )?;
                if status != 200 {
                    continue;
                }
                let held = draft
                    .networks()
                    .network_permissions_of(advisor, network)
                    .map_err(|e| ModelError::from(e).within(&at.render()))?;
                if !held.contains(&name) {
                    draft
                        .networks_mut()
                        .grant_network_permission(advisor, network, name)
                        .map_err(|e| ModelError::from(e).within(&at.render()))?;
                    ops.push(grant_op(advisor, network, name));
                    granted += 1;
                }
            }
            Ok(granted)
        })
    }

    /// Ends the reading: the model, the change set from the base model to it, and the
    /// warnings.
    pub fn finish(self) -> Result<Imported, ModelError> {
        Ok(Imported {
            model: self.draft,
            changes: ChangeSet {
                version: CHANGE_SET_VERSION,
                id: None,
                ops: self.ops,
            },
            warnings: self.warnings,
        })
    }
}

fn grant_op(advisor: &str, network: &str, name: &str) -> Op {
    Op::GrantNetworkPermission {
        advisor_id: advisor.to_owned(),
        network_id: network.to_owned(),
        permission_id: name.to_owned(),
    }
}

/// The elements of a listing: the bare array, or the `permissions` field of an object whose
/// other fields are `extra` (checked there).
fn listing<'a, 'j>(
    node: &'a Node<'j>,
    extra: &'static [&'static str],
    reader: &mut Reader,
) -> Result<(&'a [Node<'j>], At<'static>), ModelError> {
    let root = At::Root;
    match node {
        Node::Array(items) => Ok((items, At::Root)),
        _ => {
            let known: &'static [&'static str] = match extra {
                [] => &["permissions"],
                ["externalNetwork"] => &["permissions", "externalNetwork"],
                _ => &["permissions", "advisorSymphonyId", "externalNetwork"],
            };
            let f = check(object(node, &root)?, &root, known, &[], reader)?;
            let list = array(
                required(&f, 0, &root, "permissions")?,
                &root.key("permissions"),
            )?;
            Ok((list, At::Key(&At::Root, "permissions")))
        }
    }
}

/// A string field of the body's top-level object, if the body is an object that has it.
fn body_field<'a>(node: &'a Node<'_>, key: &str) -> Result<Option<&'a str>, ModelError> {
    let Node::Object(entries) = node else {
        return Ok(None);
    };
    match entries.iter().find(|(k, _)| k == key) {
        Some((_, Node::Null)) | None => Ok(None),
        Some((k, v)) => Ok(Some(string(v, &At::Root.key(k))?)),
    }
}

/// Refuses a body whose `externalNetwork` is not the path's.
fn body_network(node: &Node<'_>, network: &str) -> Result<(), ModelError> {
    match body_field(node, "externalNetwork")? {
        Some(named) if named != network => Err(ModelError::at(
            "externalNetwork",
            InputErrorKind::Conflict {
                reason: "the body names another network than the path",
            },
        )),
        _ => Ok(()),
    }
}

fn optional_id<'a>(node: Option<&'a Node<'_>>, at: &At<'_>) -> Result<Option<&'a str>, ModelError> {
    node.map(|n| id(n, at)).transpose()
}

/// Puts a permission on the tenant-wide list (with its id) if that changes anything.
fn define(
    draft: &mut Model,
    name: &str,
    permission_id: Option<&str>,
    at: &At<'_>,
    ops: &mut Vec<Op>,
) -> Result<(), ModelError> {
    let changed = draft
        .networks_mut()
        .define_permission(name, permission_id)
        .map_err(|e| ModelError::from(e).within(&at.render()))?;
    if changed {
        ops.push(Op::DefineNetworkPermission {
            name: name.to_owned(),
            permission_id: permission_id.map(str::to_owned),
        });
    }
    Ok(())
}

/// A permission object of an advisor's list: `{permissionId?, permissionName?}` (at least
/// one), or a bare name.
fn permission_ref<'a>(
    node: &'a Node<'_>,
    at: &At<'_>,
    reader: &mut Reader,
) -> Result<Named<'a>, ModelError> {
    if let Node::Str(s) = node {
        return Ok(Named {
            name: Some(id(node, at).map(|_| &**s)?),
            permission_id: None,
            at: at.render(),
        });
    }
    let f = check(
        object(node, at)?,
        at,
        PERMISSION_FIELDS,
        PERMISSION_INFORMATIONAL,
        reader,
    )?;
    let permission_id = optional_id(f.value(0), &at.key("permissionId"))?;
    let name = optional_id(f.value(1), &at.key("permissionName"))?;
    if name.is_none() && permission_id.is_none() {
        return Err(at.key("permissionName").error(InputErrorKind::Required));
    }
    let field = if name.is_some() {
        "permissionName"
    } else {
        "permissionId"
    };
    Ok(Named {
        name,
        permission_id,
        at: at.key(field).render(),
    })
}

/// The name of a permission a body names, checking a given id against the tenant-wide list
/// (recording the id when the name had none).
fn resolve(
    draft: &mut Model,
    named: &Named<'_>,
    network: &str,
    ops: &mut Vec<Op>,
) -> Result<String, ModelError> {
    match (named.name, named.permission_id) {
        (Some(name), pid) => {
            if pid.is_some() || draft.networks().vendor_permission_id(name).is_some() {
                let prefix = named.at.rsplit_once('.').map_or("", |(p, _)| p).to_owned();
                let changed = draft
                    .networks_mut()
                    .define_permission(name, pid)
                    .map_err(|e| ModelError::from(e).within(&prefix))?;
                if changed {
                    ops.push(Op::DefineNetworkPermission {
                        name: name.to_owned(),
                        permission_id: pid.map(str::to_owned),
                    });
                }
            }
            Ok(name.to_owned())
        }
        (None, Some(pid)) => draft
            .networks()
            .permission_named_by(pid)
            .map(str::to_owned)
            .ok_or_else(|| {
                ModelError::at(
                    named.at.clone(),
                    NetworkErrorKind::UnknownNetworkPermission {
                        network: network.to_owned(),
                        permission: pid.to_owned(),
                    },
                )
            }),
        (None, None) => Err(ModelError::at(named.at.clone(), InputErrorKind::Required)),
    }
}

/// Entitles the advisor on the network unless they are; onboards them into the directory
/// when it lacks them.
fn entitle(
    draft: &mut Model,
    advisor: &str,
    network: &str,
    ops: &mut Vec<Op>,
) -> Result<(), ModelError> {
    if draft.user_id(advisor).is_none() {
        draft.onboard_advisor(advisor, network)?;
        ops.push(Op::OnboardAdvisor {
            advisor_id: advisor.to_owned(),
            network_id: network.to_owned(),
        });
    } else if draft.networks_mut().entitle_advisor(advisor, network)? {
        ops.push(Op::EntitleAdvisor {
            advisor_id: advisor.to_owned(),
            network_id: network.to_owned(),
        });
    }
    Ok(())
}
