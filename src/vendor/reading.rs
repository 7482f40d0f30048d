//! Strict reading of vendor bodies with string paths, used by the Genesys and Gtmhub
//! adapters (the Gong and Symphony ones walk with [`At`](super::strict) chains instead).
//!
//! A body is parsed into the path-keeping JSON tree of the document reader (repeated keys
//! kept, so a field given twice is an error naming it), then walked object by object: each
//! object says which fields it reads and which fields its vendor documents as read-only or
//! informational (ignored, and listed in the adapter's docs). Any other field is an error
//! naming its path (`entities[2].permissionPolicies[0].actionSett`), or, in the opt-in
//! [`Strictness::Lenient`] mode, a warning (the error strict mode would have returned)
//! returned with the result. `null` reads as an
//! absent field, as the vendors' SDKs send it.

use crate::change::{ChangeSet, Op};
use crate::document::reader::Node;
use crate::error::{InputError, InputErrorKind};
use crate::model::Model;
use crate::model_error::ModelError;

pub(crate) use super::strict::{Imported, Strictness, parse};

/// `path.key`, or `key` at the root.
pub(crate) fn field_path(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_owned()
    } else {
        format!("{path}.{key}")
    }
}

/// `path[i]`.
pub(crate) fn index_path(path: &str, i: usize) -> String {
    format!("{path}[{i}]")
}

/// What a node is, in JSON's words.
fn found(node: &Node<'_>) -> String {
    match node {
        Node::Null => "null".to_owned(),
        Node::Bool(b) => b.to_string(),
        Node::Unsigned(n) => n.to_string(),
        Node::Signed(n) => n.to_string(),
        Node::Float(x) => x.to_string(),
        Node::Str(s) => format!("{:?}", crate::error::bounded(s).to_string()),
        Node::Array(_) => "an array".to_owned(),
        Node::Object(_) => "an object".to_owned(),
    }
}

pub(crate) fn wrong(path: &str, expected: &str, node: &Node<'_>) -> ModelError {
    ModelError::at(
        path,
        InputErrorKind::WrongType {
            expected: expected.to_owned(),
            found: found(node),
        },
    )
}

/// A string node.
pub(crate) fn as_str<'a>(node: &'a Node<'_>, path: &str) -> Result<&'a str, ModelError> {
    match node {
        Node::Str(s) => Ok(s),
        other => Err(wrong(path, "a string", other)),
    }
}

/// An array node.
pub(crate) fn as_array<'a, 'j>(
    node: &'a Node<'j>,
    path: &str,
) -> Result<&'a [Node<'j>], ModelError> {
    match node {
        Node::Array(items) => Ok(items),
        other => Err(wrong(path, "an array", other)),
    }
}

/// The reading state of one body: the mode and the warnings so far.
#[derive(Debug)]
pub(crate) struct Reader {
    pub(crate) strictness: Strictness,
    pub(crate) warnings: Vec<InputError>,
}

impl Reader {
    pub(crate) fn new(strictness: Strictness) -> Self {
        Reader {
            strictness,
            warnings: Vec::new(),
        }
    }

    /// The fields of an object at `path`: `known` are read by the caller, `ignored` are
    /// documented by the vendor as read-only or informational. A repeated field is an
    /// error; an unknown one an error or, when lenient, a warning.
    pub(crate) fn object<'a, 'j>(
        &mut self,
        node: &'a Node<'j>,
        path: &str,
        known: &'static [&'static str],
        ignored: &'static [&'static str],
    ) -> Result<Obj<'a, 'j>, ModelError> {
        let Node::Object(entries) = node else {
            return Err(wrong(path, "an object", node));
        };
        let mut fields: Vec<(&'a str, &'a Node<'j>)> = Vec::with_capacity(entries.len());
        for (i, (key, value)) in entries.iter().enumerate() {
            let key: &str = key;
            if entries.iter().take(i).any(|(k, _)| k == key) {
                return Err(ModelError::at(
                    field_path(path, key),
                    InputErrorKind::DuplicateField,
                ));
            }
            if known.contains(&key) {
                if !matches!(value, Node::Null) {
                    fields.push((key, value));
                }
            } else if ignored.contains(&key) {
                continue;
            } else {
                match self.strictness {
                    Strictness::Strict => {
                        return Err(ModelError::at(
                            field_path(path, key),
                            InputErrorKind::UnknownField { expected: known },
                        ));
                    }
                    Strictness::Lenient => self.warnings.push(InputError::at(
                        field_path(path, key),
                        InputErrorKind::UnknownField { expected: known },
                    )),
                }
            }
        }
        Ok(Obj {
            fields,
            path: path.to_owned(),
        })
    }
}

/// The known, non-null fields of one object, with its path.
#[derive(Debug)]
pub(crate) struct Obj<'a, 'j> {
    fields: Vec<(&'a str, &'a Node<'j>)>,
    pub(crate) path: String,
}

impl<'a, 'j> Obj<'a, 'j> {
    /// A field's value, absent or `null` as `None`.
    pub(crate) fn get(&self, key: &str) -> Option<&'a Node<'j>> {
        self.fields.iter().find(|(k, _)| *k == key).map(|(_, v)| *v)
    }

    /// Whether the field is present and not `null`.
    pub(crate) fn has(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    /// The path of a field.
    pub(crate) fn at(&self, key: &str) -> String {
        field_path(&self.path, key)
    }

    /// An optional string field.
    pub(crate) fn str(&self, key: &str) -> Result<Option<&'a str>, ModelError> {
        match self.get(key) {
            None => Ok(None),
            Some(Node::Str(s)) => Ok(Some(s)),
            Some(other) => Err(wrong(&self.at(key), "a string", other)),
        }
    }

    /// A required string field (absent, `null` or empty: [`InputErrorKind::Required`]).
    pub(crate) fn req_str(&self, key: &str) -> Result<&'a str, ModelError> {
        match self.str(key)? {
            Some(s) if !s.is_empty() => Ok(s),
            _ => Err(ModelError::at(self.at(key), InputErrorKind::Required)),
        }
    }

    /// An optional boolean field.
    pub(crate) fn bool(&self, key: &str) -> Result<Option<bool>, ModelError> {
        match self.get(key) {
            None => Ok(None),
            Some(Node::Bool(b)) => Ok(Some(*b)),
            Some(other) => Err(wrong(&self.at(key), "a boolean", other)),
        }
    }

    /// An optional non-negative integer field.
    pub(crate) fn u64(&self, key: &str) -> Result<Option<u64>, ModelError> {
        match self.get(key) {
            None => Ok(None),
            Some(Node::Unsigned(n)) => Ok(Some(*n)),
            Some(other) => Err(wrong(&self.at(key), "a non-negative integer", other)),
        }
    }

    /// An optional array field.
    pub(crate) fn array(&self, key: &str) -> Result<Option<&'a [Node<'j>]>, ModelError> {
        match self.get(key) {
            None => Ok(None),
            Some(Node::Array(items)) => Ok(Some(items)),
            Some(other) => Err(wrong(&self.at(key), "an array", other)),
        }
    }

    /// An optional array of strings.
    pub(crate) fn strings(&self, key: &str) -> Result<Vec<&'a str>, ModelError> {
        let mut out = Vec::new();
        for (i, n) in self.array(key)?.unwrap_or(&[]).iter().enumerate() {
            out.push(as_str(n, &index_path(&self.at(key), i))?);
        }
        Ok(out)
    }
}

/// A model being read into, and the operations that brought it there.
///
/// Every edit goes through a one-operation change set applied in place, so the change set
/// a reader returns replays to exactly the model it built. A body is read as a whole or
/// not at all: [`Draft::body`] puts the model back when the body fails.
///
/// The model is edited in place, without a copy per body (a copy would make each body
/// cost the size of every store it writes to). Undoing a failed body that had applied
/// operations rebuilds the model from the base and the operations kept, which the rule
/// above makes exact; a body that fails before its first edit (most errors: a wrong field,
/// an unknown role) has nothing to undo, since an edit that fails changes nothing.
#[derive(Clone, Debug)]
pub(crate) struct Draft {
    /// The model the reading started from. It shares the model's stores until the first
    /// edit of each, which then copies that store once.
    base: Model,
    pub(crate) model: Model,
    pub(crate) ops: Vec<Op>,
}

/// The body fields of the operations, which an edit's error path starts with.
const OP_BODIES: &[&str] = &[
    "role",
    "defaultRole",
    "permission",
    "globalPermission",
    "action",
    "actions",
    "access",
];

impl Draft {
    pub(crate) fn new(model: Model) -> Self {
        Draft {
            base: model.clone(),
            model,
            ops: Vec::new(),
        }
    }

    /// Applies `op` to the model and records it. An error's path is put at `at` in the
    /// body being read, the operation's first field renamed by `renames` (`roleId` to
    /// `role.id`).
    pub(crate) fn apply(
        &mut self,
        op: Op,
        at: &str,
        renames: &[(&str, &str)],
    ) -> Result<(), ModelError> {
        self.apply_at(op, || at.to_owned(), renames)
    }

    /// [`apply`](Self::apply) with the path `at` built only for an error.
    pub(crate) fn apply_at(
        &mut self,
        op: Op,
        at: impl FnOnce() -> String,
        renames: &[(&str, &str)],
    ) -> Result<(), ModelError> {
        let one = ChangeSet::new();
        if let Err(e) = one.apply_single_in_place(&op, &mut self.model) {
            // An edit that fails changes nothing; an operation of several edits may have
            // applied some.
            if !op.is_one_edit() {
                self.model = rebuild(&self.base, &self.ops);
            }
            return Err(relocate(e, &at(), renames));
        }
        self.ops.push(op);
        Ok(())
    }

    /// Runs `read` over one body: on an error the model and the operations are as before.
    pub(crate) fn body<T>(
        &mut self,
        read: impl FnOnce(&mut Draft) -> Result<T, ModelError>,
    ) -> Result<T, ModelError> {
        let n = self.ops.len();
        read(self).inspect_err(|_| {
            if self.ops.len() > n {
                self.ops.truncate(n);
                self.model = rebuild(&self.base, &self.ops);
            }
        })
    }
}

/// `base` with `ops` applied: the model those operations built from it. Each of them
/// applied once already in this order, so none fails (were one to, the model would keep
/// the ones before it).
pub(crate) fn rebuild(base: &Model, ops: &[Op]) -> Model {
    let mut model = base.clone();
    let _ = crate::change::replay_ops(ops, &mut model);
    model
}

/// An edit's error, moved from the operation's path (`ops[0].role.name`) to `at` in the
/// body (`entities[3].name`).
pub(crate) fn relocate(e: ModelError, at: &str, renames: &[(&str, &str)]) -> ModelError {
    let path = e.path();
    let path = path.strip_prefix("ops[0]").unwrap_or(path);
    let mut path = path.strip_prefix('.').unwrap_or(path).to_owned();
    for body in OP_BODIES {
        if let Some(rest) = path.strip_prefix(body) {
            if rest.is_empty() || rest.starts_with('.') || rest.starts_with('[') {
                path = rest.strip_prefix('.').unwrap_or(rest).to_owned();
                break;
            }
        }
    }
    let mut err = ModelError::at(path, e.kind().clone());
    for (from, to) in renames {
        err = err.renamed(from, to);
    }
    if at.is_empty() { err } else { err.within(at) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_repeated_and_null_fields() {
        let node = parse(r#"{"a": "x", "b": null, "selfUri": "/x", "zz": 1}"#).unwrap();
        let mut strict = Reader::new(Strictness::Strict);
        let err = strict
            .object(&node, "e[0]", &["a", "b"], &["selfUri"])
            .unwrap_err();
        assert_eq!(err.path(), "e[0].zz");
        let mut lenient = Reader::new(Strictness::Lenient);
        let obj = lenient
            .object(&node, "", &["a", "b"], &["selfUri"])
            .unwrap();
        assert_eq!(obj.str("a").unwrap(), Some("x"));
        assert!(!obj.has("b"));
        assert_eq!(lenient.warnings.len(), 1);
        let twice = parse(r#"{"a": "x", "a": "y"}"#).unwrap();
        let err = strict.object(&twice, "", &["a"], &[]).unwrap_err();
        assert_eq!(
            (err.path(), err.kind()),
            ("a", &InputErrorKind::DuplicateField.into())
        );
    }
}
