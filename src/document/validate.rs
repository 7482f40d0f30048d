//! Validation that reports every error of a model document or a change set, not the first.
//!
//! A load stops at the first error (it has no model to give back past it). A validation
//! goes on, in three steps:
//!
//! 1. the JSON syntax: a syntax error ends the text, so it is the one error;
//! 2. the shape, record by record: each record of each section is read on its own, so an
//!    unknown field, a repeated field or a value of the wrong type in one record does not
//!    hide the next record's. Within a record, the field named by an error is left out and
//!    the record read again, so every bad field of it is reported; a record that still
//!    cannot be read (a required field missing, not an object) is left out;
//! 3. the references and rules, against the records that read: the model is built the way a
//!    load builds it, but each record whose edit fails is reported and skipped, and the
//!    build goes on. Records built all at once (users, teams, actions) are built again
//!    without what an error names (a manager link, a member, or the record).
//!
//! A record with shape errors is still built, without its bad fields, so that references to
//! its id resolve; its own errors in step 3 are not reported (they would follow from the
//! fields left out). A record left out in step 2 can make references to it fail in step 3;
//! those are reported, as they would be by a load once the record is fixed or removed.
//!
//! Every walk here is a loop over a record list: nothing recurses over the input (the parser
//! bounds nesting, and the typed readers are serde's).

use std::borrow::Cow;

use serde::Deserialize;
use serde::de::DeserializeOwned;

use super::reader::{self, Node, NodeDeserializer, ReadError};
use super::sink::Collector;
use super::{DocumentFields, ModelDocument, VERSION};
use crate::change::{CHANGE_SET_VERSION, ChangeSet, Op};
use crate::error::InputErrorKind;
use crate::model::Model;
use crate::model_error::ModelError;

/// Every error of a model document or a change set, each with its path and the id of the
/// record it sits in, as [`Model::validate_json`] and [`ChangeSet::validate_json`] find them:
/// shape errors in document order, then reference and rule errors in the order a load
/// checks them. At most [`Validation::LIMIT`] errors are kept; past that,
/// [`is_truncated`](Validation::is_truncated) says there were more.
#[derive(Clone, Debug, PartialEq)]
pub struct Validation {
    errors: Vec<ModelError>,
    truncated: bool,
}

impl Validation {
    /// The most errors one validation reports.
    pub const LIMIT: usize = 1_000;

    /// The errors found (empty for valid input).
    pub fn errors(&self) -> &[ModelError] {
        &self.errors
    }

    /// Whether no error was found.
    pub fn is_valid(&self) -> bool {
        self.errors.is_empty()
    }

    /// Whether the validation stopped at [`LIMIT`](Validation::LIMIT) errors with more left.
    pub fn is_truncated(&self) -> bool {
        self.truncated
    }

    /// The errors, taken.
    pub fn into_errors(self) -> Vec<ModelError> {
        self.errors
    }

    fn new(mut errors: Vec<ModelError>, mut truncated: bool) -> Validation {
        if errors.len() > Self::LIMIT {
            errors.truncate(Self::LIMIT);
            truncated = true;
        }
        Validation { errors, truncated }
    }
}

/// The records of one section that read, with their document indices, and the indices of
/// those that read only once their bad fields were left out.
struct Section<T> {
    records: Vec<T>,
    index: Vec<usize>,
    salvaged: Vec<usize>,
}

impl<T> Default for Section<T> {
    fn default() -> Self {
        Section {
            records: Vec::new(),
            index: Vec::new(),
            salvaged: Vec::new(),
        }
    }
}

/// The most times one record is read again without a bad field.
const FIELD_RETRIES: usize = 64;

/// The first field of `path` after `prefix` (`users[3]`): `managr` of `users[3].managr.x`.
fn first_field<'p>(path: &'p str, prefix: &str) -> Option<&'p str> {
    let rest = path.strip_prefix(prefix)?.strip_prefix('.')?;
    let end = rest.find(['.', '[']).unwrap_or(rest.len());
    rest.get(..end)
}

/// Reads every record of `section` (the node of its value) on its own.
fn read_section<T: DeserializeOwned>(
    section: &str,
    node: &Node<'_>,
    errors: &mut Vec<ModelError>,
) -> Section<T> {
    let mut out = Section::default();
    let Node::Array(items) = node else {
        // Not a list: the reader of the list says what it is.
        if let Err(e) = Vec::<T>::deserialize(NodeDeserializer(node)) {
            errors.push(e.in_key(section).into_model_error());
        }
        return out;
    };
    for (i, item) in items.iter().enumerate() {
        let prefix = format!("{section}[{i}]");
        let mut current = Cow::Borrowed(item);
        let mut bad = false;
        for _ in 0..FIELD_RETRIES {
            match T::deserialize(NodeDeserializer(&current)) {
                Ok(record) => {
                    out.records.push(record);
                    out.index.push(i);
                    if bad {
                        out.salvaged.push(i);
                    }
                    break;
                }
                Err(e) => {
                    let err = e.in_element(i, &current).in_key(section).into_model_error();
                    let field = first_field(err.path(), &prefix).map(str::to_owned);
                    let missing = matches!(
                        err.kind(),
                        crate::ErrorKind::Input(InputErrorKind::Required)
                    );
                    errors.push(err);
                    bad = true;
                    // Leave the field out and read the record again, if it is there to leave.
                    let Some(field) = field.filter(|_| !missing) else {
                        break;
                    };
                    let Node::Object(entries) = current.to_mut() else {
                        break;
                    };
                    let Some(at) = entries.iter().rposition(|(k, _)| *k == field) else {
                        break;
                    };
                    entries.remove(at);
                }
            }
        }
    }
    out
}

/// A top-level field's error, as the strict reader gives it (unknown field with the list
/// of known ones, or the field's own error): read an object holding only that field.
fn field_error<'j, T: DeserializeOwned>(key: &'j str, value: &Node<'j>) -> Option<ModelError> {
    let single = Node::Object(vec![(Cow::Borrowed(key), value.clone())]);
    T::deserialize(NodeDeserializer(&single))
        .err()
        .map(ReadError::into_model_error)
}

/// Remembers for each section read which document indices its records have.
#[derive(Default)]
struct Indices {
    sections: Vec<(&'static str, Vec<usize>, Vec<usize>)>,
}

/// The one error of a root that is not an object: what reading it as `T` says.
fn shape_of_root<T: DeserializeOwned>(root: &Node<'_>) -> Validation {
    let errors = T::deserialize(NodeDeserializer(root))
        .err()
        .map(ReadError::into_model_error)
        .into_iter()
        .collect();
    Validation::new(errors, false)
}

impl Indices {
    fn add<T>(&mut self, name: &'static str, section: Section<T>) -> Vec<T> {
        self.sections.push((name, section.index, section.salvaged));
        section.records
    }

    /// An error of the build named in the document's numbering, or `None` for an error of
    /// a record with shape errors (already reported).
    fn place(&self, err: ModelError) -> Option<ModelError> {
        let section = err.path().split(['[', '.']).next().unwrap_or("");
        let Some((name, index, salvaged)) = self.sections.iter().find(|(n, _, _)| *n == section)
        else {
            return Some(err);
        };
        let (err, at) = err.reindexed(name, |n| index.get(n).copied());
        match at {
            Some(i) if salvaged.binary_search(&i).is_ok() => None,
            _ => Some(err),
        }
    }
}

impl Model {
    /// Validates a JSON model document and reports every error, each with its path and
    /// record id, where [`from_json`](Model::from_json) stops at the first: an unknown
    /// field, a wrong type, a dangling reference in each record, up to
    /// [`Validation::LIMIT`] errors. A JSON syntax error is the one error of its text.
    ///
    /// Records are checked on their own, so one bad record does not hide the next; see the
    /// [`Validation`] type for the order. A document is valid here exactly when
    /// `from_json` accepts it, and then the first error of `from_json` is among these.
    ///
    /// # Examples
    ///
    /// ```
    /// let json = r#"{
    ///   "version": 1,
    ///   "users": [{"id": "1"}, {"id": "2", "managr": "1"}, {"id": "3", "managerId": "9"}],
    ///   "teams": [{"id": "t", "members": ["1", "ghost"]}]
    /// }"#;
    /// let report = orgperm::Model::validate_json(json);
    /// let errors: Vec<String> = report.errors().iter().map(|e| e.to_string()).collect();
    /// assert_eq!(errors.len(), 3);
    /// assert!(errors[0].starts_with(r#"users[1] (id "2").managr: unknown field"#));
    /// assert_eq!(errors[1], r#"users[2] (id "3").managerId: unknown user "9""#);
    /// assert_eq!(errors[2], r#"teams[0] (id "t").members[1]: unknown user "ghost""#);
    /// assert!(!report.is_truncated());
    /// assert!(orgperm::Model::validate_json(r#"{"version": 1}"#).is_valid());
    /// ```
    pub fn validate_json(json: &str) -> Validation {
        let root = match reader::parse(json) {
            Ok(root) => root,
            Err(e) => return Validation::new(vec![e], false),
        };
        let Node::Object(entries) = &root else {
            return shape_of_root::<DocumentFields>(&root);
        };
        let mut errors = Vec::new();
        let mut fields = DocumentFields {
            version: VERSION,
            ..DocumentFields::default()
        };
        let mut seen: Vec<&str> = Vec::with_capacity(entries.len());
        let mut has_version = false;
        let mut at = Indices::default();
        for (key, value) in entries {
            if seen.contains(&&**key) {
                errors.push(ModelError::at(
                    reader::bounded_key(key),
                    InputErrorKind::DuplicateField,
                ));
                continue;
            }
            seen.push(key);
            let e = &mut errors;
            macro_rules! sections {
                ($($name:literal => $field:ident),* $(,)?) => {
                    match &**key {
                        "version" => {
                            has_version = true;
                            match u32::deserialize(NodeDeserializer(value)) {
                                Ok(v) if v == VERSION => {}
                                Ok(found) => e.push(ModelError::at(
                                    "version",
                                    InputErrorKind::UnsupportedVersion { found },
                                )),
                                Err(err) => e.push(err.in_key("version").into_model_error()),
                            }
                        }
                        $($name => {
                            let section = read_section($name, value, e);
                            fields.$field = at.add($name, section);
                        })*
                        _ => e.extend(field_error::<DocumentFields>(key, value)),
                    }
                };
            }
            sections! {
                "workspaces" => workspaces,
                "users" => users,
                "folders" => folders,
                "profiles" => profiles,
                "assignments" => assignments,
                "teams" => teams,
                "calls" => calls,
                "networks" => networks,
                "contacts" => contacts,
                "advisors" => advisors,
                "networkPermissions" => network_permissions,
                "networkFeatures" => network_features,
                "enabledProducts" => enabled_products,
                "permissionCatalog" => permission_catalog,
                "divisions" => divisions,
                "divisionResources" => division_resources,
                "groups" => groups,
                "defaultRoles" => default_roles,
                "roles" => roles,
                "grants" => grants,
                "actions" => actions,
                "globalPermissions" => global_permissions,
                "items" => items,
                "defaultAccess" => default_access,
                "itemGates" => item_gates,
            }
        }
        if !has_version {
            errors.push(ModelError::at("version", InputErrorKind::Required));
        }
        if errors.len() >= Validation::LIMIT {
            return Validation::new(errors, true);
        }
        let mut sink = Collector::new(Validation::LIMIT - errors.len());
        let stopped = ModelDocument::from(fields).build(&mut sink).err();
        let full = sink.is_full();
        let mut found = sink.into_errors();
        // An error the build stopped at without keeping it: the last one when not full.
        found.extend(stopped.filter(|_| !full));
        errors.extend(found.into_iter().filter_map(|e| at.place(e)));
        Validation::new(errors, full)
    }
}

impl ChangeSet {
    /// Validates a JSON change set and reports every error, each with its path
    /// (`ops[3].profileId`), where [`from_json`](ChangeSet::from_json) stops at the first,
    /// up to [`Validation::LIMIT`] errors.
    ///
    /// Each operation is read on its own, so every operation's shape error is reported.
    /// With a `model`, the operations that read are then applied in order to a copy of it
    /// (the model itself is not changed), and each one that fails is reported and skipped:
    /// an operation is checked against the model as the operations before it that
    /// succeeded left it, so an operation that depends on a failed (or unreadable) earlier
    /// one reports its own error too (an `assignProfile` of a user whose `addUser` failed
    /// reports the unknown user). A bulk network grant applies as far as it goes before its
    /// error, as it does in [`apply_to`](ChangeSet::apply_to)'s draft.
    ///
    /// # Examples
    ///
    /// ```
    /// let json = r#"{"version": 1, "ops": [
    ///   {"op": "addUser", "idd": "kim"},
    ///   {"op": "addUser", "id": "lee"},
    ///   {"op": "assignProfile", "userId": "lee", "profileId": "9"}
    /// ]}"#;
    /// let model = orgperm::Model::new();
    /// let report = orgperm::ChangeSet::validate_json(json, Some(&model));
    /// let paths: Vec<&str> = report.errors().iter().map(|e| e.path()).collect();
    /// assert_eq!(paths, ["ops[0].idd", "ops[2].profileId"]);
    /// ```
    pub fn validate_json(json: &str, model: Option<&Model>) -> Validation {
        let root = match reader::parse(json) {
            Ok(root) => root,
            Err(e) => return Validation::new(vec![e], false),
        };
        let Node::Object(entries) = &root else {
            return shape_of_root::<ChangeSet>(&root);
        };
        let mut errors = Vec::new();
        let mut seen: Vec<&str> = Vec::with_capacity(entries.len());
        let mut ops: Vec<(usize, Op)> = Vec::new();
        let (mut has_version, mut has_ops) = (false, false);
        for (key, value) in entries {
            if seen.contains(&&**key) {
                errors.push(ModelError::at(
                    reader::bounded_key(key),
                    InputErrorKind::DuplicateField,
                ));
                continue;
            }
            seen.push(key);
            match &**key {
                "version" => {
                    has_version = true;
                    match u32::deserialize(NodeDeserializer(value)) {
                        Ok(v) if v == CHANGE_SET_VERSION => {}
                        Ok(found) => errors.push(ModelError::at(
                            "version",
                            InputErrorKind::UnsupportedVersion { found },
                        )),
                        Err(err) => errors.push(err.in_key("version").into_model_error()),
                    }
                }
                "ops" => {
                    has_ops = true;
                    let Node::Array(items) = value else {
                        errors.extend(field_error::<ChangeSet>(key, value));
                        continue;
                    };
                    for (i, item) in items.iter().enumerate() {
                        match Op::deserialize(NodeDeserializer(item)) {
                            Ok(op) => ops.push((i, op)),
                            Err(e) => {
                                errors.push(e.in_element(i, item).in_key("ops").into_model_error())
                            }
                        }
                    }
                }
                "id" => {
                    if let Err(e) = Option::<String>::deserialize(NodeDeserializer(value)) {
                        errors.push(e.in_key("id").into_model_error());
                    }
                }
                _ => errors.extend(field_error::<ChangeSet>(key, value)),
            }
        }
        if !has_version {
            errors.push(ModelError::at("version", InputErrorKind::Required));
        }
        if !has_ops {
            errors.push(ModelError::at("ops", InputErrorKind::Required));
        }
        if let Some(model) = model {
            let mut draft = model.clone();
            for (i, op) in &ops {
                if errors.len() > Validation::LIMIT {
                    break;
                }
                if let Err(e) = crate::change::apply_op(&mut draft, op) {
                    errors.push(e.within(&format!("ops[{i}]")));
                }
            }
        }
        Validation::new(errors, false)
    }
}
