//! Strict, path-tracking reading of vendor payloads, shared by the Gong and Symphony readers.
//!
//! A payload is parsed into the crate's [`Node`] tree (serde_json's parser, which keeps
//! repeated keys so they can be refused) and walked by hand: every object's keys are checked
//! against the fields the vendor defines for it. A field the vendor documents as read-only or
//! informational is skipped; any other unknown field is an
//! [`InputErrorKind::UnknownField`] error naming its path, or, in [`Strictness::Lenient`]
//! mode, the same error returned as a warning while the field is skipped. A repeated field
//! and a value of the wrong JSON type are errors in both modes. Paths are built only when
//! something is reported.

use std::borrow::Cow;

use crate::change::ChangeSet;
use crate::document::reader::Node;
use crate::error::{InputError, InputErrorKind, bounded, cut_after};
use crate::model::Model;
use crate::model_error::ModelError;

/// How a vendor reader treats a field the vendor does not define.
///
/// Fields the vendor documents as read-only or informational (listed in each reader's
/// module docs) are skipped in both modes.
///
/// # Examples
///
/// ```
/// use orgperm::vendor::Strictness;
/// assert_eq!(Strictness::default(), Strictness::Strict);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Strictness {
    /// An unknown field is an error naming its path; nothing of the payload is applied.
    #[default]
    Strict,
    /// An unknown field is skipped and reported as a warning: the
    /// [`InputErrorKind::UnknownField`] error strict mode would have returned, with the same
    /// path. Wrong types, repeated fields and rule violations stay errors.
    Lenient,
}

/// What a vendor reader read: the model, the change set that turns the reader's base model
/// into it, and the warnings of lenient mode. Every adapter's `finish` returns one.
///
/// # Examples
///
/// ```
/// use orgperm::vendor::gong::GongReader;
///
/// let mut reader = GongReader::new();
/// reader.read_users_page(r#"{"requestId": "r1", "users": [{"id": "1", "managerId": null}]}"#)?;
/// let import = reader.finish()?;
/// assert_eq!(import.model.user_count(), 1);
/// assert_eq!(import.changes.ops.len(), 1);
/// assert!(import.warnings.is_empty());
/// # Ok::<(), orgperm::ModelError>(())
/// ```
#[derive(Clone, Debug)]
pub struct Imported {
    /// The model: the base with everything read applied.
    pub model: Model,
    /// The delta: applied to the base model ([`ChangeSet::apply_to`]) it gives
    /// [`model`](Self::model) exactly. It holds only what differs, so a sync job can apply
    /// it to a live engine.
    pub changes: ChangeSet,
    /// The unknown fields skipped in [`Strictness::Lenient`] mode, each the error strict
    /// mode would have returned (empty in strict mode), and values the model kept
    /// ([`InputErrorKind::ValueKept`]).
    pub warnings: Vec<InputError>,
}

/// An object's entries as the tree keeps them.
pub(crate) type Entries<'j> = [(Cow<'j, str>, Node<'j>)];

/// Where a value sits in a payload, as a chain of steps back to the root; rendered only for
/// a report.
#[derive(Clone, Copy, Debug)]
pub(crate) enum At<'a> {
    /// The payload itself.
    Root,
    /// A field of an object.
    Key(&'a At<'a>, &'a str),
    /// An element of an array.
    Index(&'a At<'a>, usize),
}

impl<'a> At<'a> {
    /// The field `key` of the object here.
    pub(crate) fn key(&'a self, key: &'a str) -> At<'a> {
        At::Key(self, key)
    }

    /// The element `i` of the array here.
    pub(crate) fn index(&'a self, i: usize) -> At<'a> {
        At::Index(self, i)
    }

    /// The path as the library writes it: `profiles[2].callsAccess.permissionLevel`.
    pub(crate) fn render(&self) -> String {
        let mut steps: Vec<&At<'_>> = Vec::new();
        let mut here = self;
        loop {
            match here {
                At::Root => break,
                At::Key(up, _) | At::Index(up, _) => {
                    steps.push(here);
                    here = up;
                }
            }
        }
        let mut out = String::new();
        for step in steps.into_iter().rev() {
            match step {
                At::Root => {}
                At::Key(_, k) => {
                    if !out.is_empty() {
                        out.push('.');
                    }
                    out.push_str(&bounded(k).to_string());
                }
                At::Index(_, i) => {
                    out.push('[');
                    out.push_str(&i.to_string());
                    out.push(']');
                }
            }
        }
        out
    }

    /// An error of `kind` here.
    pub(crate) fn error(&self, kind: impl Into<crate::model_error::ErrorKind>) -> ModelError {
        ModelError::at(self.render(), kind)
    }
}

/// The reader's mode and the warnings collected so far.
#[derive(Debug, Default)]
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

    /// An unknown field at `at`: an error in strict mode, a warning otherwise.
    pub(crate) fn unknown(
        &mut self,
        at: &At<'_>,
        expected: &'static [&'static str],
    ) -> Result<(), ModelError> {
        let kind = InputErrorKind::UnknownField { expected };
        match self.strictness {
            Strictness::Strict => Err(at.error(kind)),
            Strictness::Lenient => {
                self.warnings.push(InputError::at(at.render(), kind));
                Ok(())
            }
        }
    }
}

/// Parses a payload; a syntax error names no path.
pub(crate) fn parse(json: &str) -> Result<Node<'_>, ModelError> {
    serde_json::from_str(json).map_err(|e| {
        ModelError::new(InputErrorKind::Syntax {
            message: cut_after(&e.to_string(), 240).to_string(),
        })
    })
}

/// What a value is, in JSON's words, for a type error.
fn found(node: &Node<'_>) -> String {
    match node {
        Node::Null => "null".to_owned(),
        Node::Bool(b) => b.to_string(),
        Node::Unsigned(n) => n.to_string(),
        Node::Signed(n) => n.to_string(),
        Node::Float(x) => x.to_string(),
        Node::Str(s) => format!("{:?}", bounded(s)),
        Node::Array(_) => "an array".to_owned(),
        Node::Object(_) => "an object".to_owned(),
    }
}

/// A type error at `at`: `expected a string, found 5`.
pub(crate) fn wrong_type(at: &At<'_>, expected: &str, node: &Node<'_>) -> ModelError {
    at.error(InputErrorKind::WrongType {
        expected: expected.to_owned(),
        found: found(node),
    })
}

/// The entries of an object.
pub(crate) fn object<'a, 'j>(
    node: &'a Node<'j>,
    at: &At<'_>,
) -> Result<&'a Entries<'j>, ModelError> {
    match node {
        Node::Object(entries) => Ok(entries),
        other => Err(wrong_type(at, "an object", other)),
    }
}

/// A string.
pub(crate) fn string<'a>(node: &'a Node<'_>, at: &At<'_>) -> Result<&'a str, ModelError> {
    match node {
        Node::Str(s) => Ok(s),
        other => Err(wrong_type(at, "a string", other)),
    }
}

/// A non-empty string (an id).
pub(crate) fn id<'a>(node: &'a Node<'_>, at: &At<'_>) -> Result<&'a str, ModelError> {
    let s = string(node, at)?;
    if s.is_empty() {
        return Err(at.error(InputErrorKind::EmptyId));
    }
    Ok(s)
}

/// A boolean.
pub(crate) fn boolean(node: &Node<'_>, at: &At<'_>) -> Result<bool, ModelError> {
    match node {
        Node::Bool(b) => Ok(*b),
        other => Err(wrong_type(at, "a boolean", other)),
    }
}

/// A non-negative integer.
pub(crate) fn unsigned(node: &Node<'_>, at: &At<'_>) -> Result<u64, ModelError> {
    match node {
        Node::Unsigned(n) => Ok(*n),
        other => Err(wrong_type(at, "a non-negative integer", other)),
    }
}

/// The elements of an array.
pub(crate) fn array<'a, 'j>(node: &'a Node<'j>, at: &At<'_>) -> Result<&'a [Node<'j>], ModelError> {
    match node {
        Node::Array(items) => Ok(items),
        other => Err(wrong_type(at, "an array", other)),
    }
}

/// `None` for an absent or `null` field, the value otherwise.
pub(crate) fn present<'a, 'j>(node: Option<&'a Node<'j>>) -> Option<&'a Node<'j>> {
    node.filter(|n| !matches!(n, Node::Null))
}

/// An array of ids; an absent or `null` field is empty.
pub(crate) fn id_list<'a>(
    node: Option<&'a Node<'_>>,
    at: &At<'_>,
) -> Result<Vec<&'a str>, ModelError> {
    let Some(node) = present(node) else {
        return Ok(Vec::new());
    };
    array(node, at)?
        .iter()
        .enumerate()
        .map(|(i, n)| id(n, &at.index(i)))
        .collect()
}

/// The checked fields of one object: the value of each known field (the first and only
/// occurrence), by its index in the known list.
pub(crate) struct Fields<'a, 'j> {
    values: Vec<Option<&'a Node<'j>>>,
}

impl<'a, 'j> Fields<'a, 'j> {
    /// The value of known field `i` (its index in the list given to [`check`]), if present.
    pub(crate) fn get(&self, i: usize) -> Option<&'a Node<'j>> {
        self.values.get(i).copied().flatten()
    }

    /// The value of known field `i`, unless absent or `null`.
    pub(crate) fn value(&self, i: usize) -> Option<&'a Node<'j>> {
        present(self.get(i))
    }
}

/// Checks the keys of an object: each known field at most once, informational fields
/// skipped (at most once too), any other field unknown (an error, or a warning in lenient
/// mode). `known` and `informational` together hold at most 128 names.
pub(crate) fn check<'a, 'j>(
    entries: &'a Entries<'j>,
    at: &At<'_>,
    known: &'static [&'static str],
    informational: &'static [&'static str],
    reader: &mut Reader,
) -> Result<Fields<'a, 'j>, ModelError> {
    let mut values: Vec<Option<&'a Node<'j>>> = vec![None; known.len()];
    let mut seen: u128 = 0;
    for (key, value) in entries {
        let key: &str = key;
        let slot = known.iter().position(|k| *k == key).or_else(|| {
            informational
                .iter()
                .position(|k| *k == key)
                .map(|i| i + known.len())
        });
        let Some(slot) = slot.filter(|&s| s < 128) else {
            reader.unknown(&at.key(key), known)?;
            continue;
        };
        if seen >> slot & 1 == 1 {
            return Err(at.key(key).error(InputErrorKind::DuplicateField));
        }
        seen |= 1 << slot;
        if let Some(v) = values.get_mut(slot) {
            *v = Some(value);
        }
    }
    Ok(Fields { values })
}

/// A required field: present and not `null`.
pub(crate) fn required<'a, 'j>(
    fields: &Fields<'a, 'j>,
    i: usize,
    at: &At<'_>,
    name: &str,
) -> Result<&'a Node<'j>, ModelError> {
    fields
        .value(i)
        .ok_or_else(|| at.key(name).error(InputErrorKind::Required))
}
