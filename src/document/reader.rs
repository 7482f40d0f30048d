//! Strict, path-tracking reading of JSON documents.
//!
//! serde_json reports where in the *text* a problem is (`line 1 column 40`) and its derived
//! readers ignore unknown fields; a host needs to know where in the *document* it is
//! (`users[0].managerId`) and needs misspelt fields refused, because a dropped field fails
//! open (a lost `teamLeadIds` widens a profile). So a document is read in two steps: the JSON
//! text into a [`Node`] tree (serde_json's parser: syntax errors, its nesting limit of 128),
//! then the tree into the document types through [`NodeDeserializer`], which knows the path
//! of every value and attaches it, with the id of the nearest record that has one, to every
//! error on the way out. The document types themselves say `deny_unknown_fields`.

use core::fmt;
use std::borrow::Cow;

use serde::de::{
    self, DeserializeOwned, DeserializeSeed, Deserializer, IntoDeserializer, MapAccess, SeqAccess,
    Unexpected, Visitor, value::BorrowedStrDeserializer,
};
use serde::{Deserialize, forward_to_deserialize_any};

use crate::error::{InputErrorKind, bounded, cut_after};
use crate::model_error::ModelError;

/// Reads a whole document strictly: JSON syntax first, then shape, with paths.
pub(crate) fn from_json<T: DeserializeOwned>(json: &str) -> Result<T, ModelError> {
    let node = parse(json)?;
    T::deserialize(NodeDeserializer(&node)).map_err(ReadError::into_model_error)
}

/// Reads a whole document strictly, straight from the text when it is valid: serde_json's
/// reader feeds the same derived (strict) readers the tree does, so a valid document reads to
/// the same value without building the tree (about a third of a large load's time and most
/// of its memory). On any error the text is read again through the tree, for the error with
/// its path; a valid document never pays for that.
///
/// The two readers agree on what they accept because every document type reads only through
/// struct, sequence, option, string, number and boolean requests, plus `deserialize_any`
/// (capabilities, tagged operations); no document type is an externally tagged enum, which
/// serde_json would also take in its `{"variant": …}` form.
pub(crate) fn from_json_fast<T: DeserializeOwned>(json: &str) -> Result<T, ModelError> {
    match serde_json::from_str::<T>(json) {
        Ok(value) => Ok(value),
        Err(_) => from_json(json),
    }
}

/// The text's tree, or its syntax error.
pub(crate) fn parse(json: &str) -> Result<Node<'_>, ModelError> {
    serde_json::from_str(json).map_err(|e| {
        ModelError::new(InputErrorKind::Syntax {
            message: bounded_message(&e.to_string()),
        })
    })
}

/// A parsed JSON value that keeps every object's keys in order, duplicates included, so that
/// the typed reader (not the parser) sees a repeated field and names it. Strings without
/// escapes borrow from the text, so the tree costs little beyond its vectors.
#[derive(Clone, Debug)]
pub(crate) enum Node<'j> {
    Null,
    Bool(bool),
    Unsigned(u64),
    Signed(i64),
    Float(f64),
    Str(Cow<'j, str>),
    Array(Vec<Node<'j>>),
    Object(Vec<(Cow<'j, str>, Node<'j>)>),
}

impl Node<'_> {
    /// The `id` of an object that has a string one: names the record in error messages.
    fn record_id(&self) -> Option<&str> {
        match self {
            Node::Object(entries) => entries.iter().find_map(|(k, v)| match v {
                Node::Str(s) if k == "id" => Some(&**s),
                _ => None,
            }),
            _ => None,
        }
    }
}

impl<'de> Deserialize<'de> for Node<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Node<'de>, D::Error> {
        d.deserialize_any(NodeVisitor)
    }
}

struct NodeVisitor;

impl<'de> Visitor<'de> for NodeVisitor {
    type Value = Node<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_unit<E>(self) -> Result<Node<'de>, E> {
        Ok(Node::Null)
    }
    fn visit_none<E>(self) -> Result<Node<'de>, E> {
        Ok(Node::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Node<'de>, D::Error> {
        Node::deserialize(d)
    }
    fn visit_bool<E>(self, v: bool) -> Result<Node<'de>, E> {
        Ok(Node::Bool(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Node<'de>, E> {
        Ok(Node::Unsigned(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Node<'de>, E> {
        Ok(Node::Signed(v))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Node<'de>, E> {
        Ok(Node::Float(v))
    }
    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Node<'de>, E> {
        Ok(Node::Str(Cow::Borrowed(v)))
    }
    fn visit_str<E>(self, v: &str) -> Result<Node<'de>, E> {
        Ok(Node::Str(Cow::Owned(v.to_owned())))
    }
    fn visit_string<E>(self, v: String) -> Result<Node<'de>, E> {
        Ok(Node::Str(Cow::Owned(v)))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Node<'de>, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Node::Array(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Node<'de>, A::Error> {
        let mut entries = Vec::new();
        while let Some(k) = map.next_key_seed(KeySeed)? {
            let v: Node<'de> = map.next_value()?;
            entries.push((k, v));
        }
        Ok(Node::Object(entries))
    }
}

/// Reads an object key, borrowing it from the text when it has no escapes.
struct KeySeed;

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = Cow<'de, str>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Cow<'de, str>, D::Error> {
        d.deserialize_str(KeyVisitor)
    }
}

struct KeyVisitor;

impl<'de> Visitor<'de> for KeyVisitor {
    type Value = Cow<'de, str>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string key")
    }
    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Cow<'de, str>, E> {
        Ok(Cow::Borrowed(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Cow<'de, str>, E> {
        Ok(Cow::Owned(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<Cow<'de, str>, E> {
        Ok(Cow::Owned(v))
    }
}

/// One step of a path, innermost first while an error travels outwards.
#[derive(Clone, Debug)]
enum Step {
    Key(String),
    Index(usize, Option<String>),
}

/// The steps from `node` to the field named `key` of the object the error came from: of the
/// objects holding such a field, the first (in document order) whose other fields are all
/// among `expected`, else the first. Walks with an explicit stack (the parser bounds the
/// depth, but nothing here recurses).
fn path_to_key(node: &Node<'_>, key: &str, expected: &[&str]) -> Option<Vec<Step>> {
    let mut first = None;
    let mut stack: Vec<(&Node<'_>, Vec<Step>)> = vec![(node, Vec::new())];
    while let Some((at, path)) = stack.pop() {
        match at {
            Node::Object(entries) => {
                if entries.iter().any(|(k, _)| k == key) {
                    let mut found = path.clone();
                    found.push(Step::Key(bounded(key).to_string()));
                    let fits = entries
                        .iter()
                        .all(|(k, _)| k == key || expected.contains(&&**k));
                    if fits {
                        return Some(found);
                    }
                    first.get_or_insert(found);
                }
                for (k, v) in entries.iter().rev() {
                    let mut inner = path.clone();
                    inner.push(Step::Key(bounded(k).to_string()));
                    stack.push((v, inner));
                }
            }
            Node::Array(items) => {
                for (i, v) in items.iter().enumerate().rev() {
                    let mut inner = path.clone();
                    inner.push(Step::Index(
                        i,
                        v.record_id().map(|s| bounded(s).to_string()),
                    ));
                    stack.push((v, inner));
                }
            }
            _ => {}
        }
    }
    first
}

/// An error raised while reading a [`Node`] tree: what, and the steps back to the root.
#[derive(Debug)]
pub(crate) struct ReadError {
    kind: InputErrorKind,
    /// Innermost first; reversed once at the end.
    steps: Vec<Step>,
    /// An unknown field not yet on the path. Read from our own tree, the field's key step
    /// places it; read from serde's buffer (an internally tagged enum, such as a change
    /// set's operations) no key step comes, and the field is put innermost at the end.
    unplaced_field: Option<String>,
}

impl ReadError {
    fn kind(kind: InputErrorKind) -> ReadError {
        ReadError {
            kind,
            steps: Vec::new(),
            unplaced_field: None,
        }
    }

    pub(crate) fn in_key(mut self, key: &str) -> ReadError {
        if self.unplaced_field.as_deref() == Some(key) {
            self.unplaced_field = None;
        }
        self.steps.push(Step::Key(bounded(key).to_string()));
        self
    }

    pub(crate) fn in_element(mut self, index: usize, node: &Node<'_>) -> ReadError {
        // An unknown field from serde's buffer (see `unplaced_field`): find it in the element
        // this error came out of, so the path reaches it (`ops[0].profile.callsAccess.x`).
        if self.steps.is_empty() {
            let expected = match &self.kind {
                InputErrorKind::UnknownField { expected } => *expected,
                _ => &[],
            };
            if let Some(inner) = self
                .unplaced_field
                .as_deref()
                .and_then(|f| path_to_key(node, f, expected))
            {
                self.unplaced_field = None;
                self.steps.extend(inner.into_iter().rev());
            }
        }
        let id = node.record_id().map(|s| bounded(s).to_string());
        self.steps.push(Step::Index(index, id));
        self
    }

    /// The path as written in the document and the innermost record id, if any.
    pub(crate) fn into_model_error(mut self) -> ModelError {
        if let Some(field) = self.unplaced_field.take() {
            self.steps.insert(0, Step::Key(bounded(&field).to_string()));
        }
        let mut path = String::new();
        let mut record: Option<(usize, String)> = None;
        for step in self.steps.into_iter().rev() {
            match step {
                Step::Key(k) => {
                    if !path.is_empty() {
                        path.push('.');
                    }
                    path.push_str(&k);
                }
                Step::Index(i, id) => {
                    path.push_str(&format!("[{i}]"));
                    if let Some(id) = id {
                        // The innermost record wins: later (inner) steps overwrite.
                        record = Some((path.len(), id));
                    }
                }
            }
        }
        let mut err = ModelError::at(path, self.kind);
        if let Some((at, id)) = record {
            err = err.with_record(at, id);
        }
        err
    }
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.kind.fmt(f)
    }
}

impl std::error::Error for ReadError {}

impl de::Error for ReadError {
    fn custom<T: fmt::Display>(msg: T) -> ReadError {
        ReadError::kind(InputErrorKind::Syntax {
            message: bounded_message(&msg.to_string()),
        })
    }

    fn invalid_type(unexp: Unexpected<'_>, exp: &dyn de::Expected) -> ReadError {
        ReadError::kind(InputErrorKind::WrongType {
            expected: plain_expected(&exp.to_string()),
            found: plain_unexpected(unexp),
        })
    }

    fn invalid_value(unexp: Unexpected<'_>, exp: &dyn de::Expected) -> ReadError {
        ReadError::kind(InputErrorKind::WrongType {
            expected: plain_expected(&exp.to_string()),
            found: plain_unexpected(unexp),
        })
    }

    fn unknown_field(field: &str, expected: &'static [&'static str]) -> ReadError {
        let mut err = ReadError::kind(InputErrorKind::UnknownField { expected });
        err.unplaced_field = Some(field.to_owned());
        err
    }

    fn unknown_variant(variant: &str, expected: &'static [&'static str]) -> ReadError {
        ReadError::kind(InputErrorKind::WrongType {
            expected: format!("one of {}", expected.join(", ")),
            found: format!("{:?}", bounded(variant)),
        })
    }

    fn missing_field(field: &'static str) -> ReadError {
        ReadError::kind(InputErrorKind::Required).in_key(field)
    }

    fn duplicate_field(_field: &'static str) -> ReadError {
        ReadError::kind(InputErrorKind::DuplicateField)
    }
}

/// serde's names for what it expected, in JSON's words.
fn plain_expected(exp: &str) -> String {
    if exp.starts_with("struct ") || exp == "a map" {
        return "an object".to_owned();
    }
    match exp {
        "a sequence" => "an array".to_owned(),
        "u32" | "u64" | "usize" | "u16" | "u8" => "a non-negative integer".to_owned(),
        "i32" | "i64" => "an integer".to_owned(),
        other => bounded_message(other),
    }
}

/// What was found, as it would look in the document (strings cut to a bounded length).
fn plain_unexpected(unexp: Unexpected<'_>) -> String {
    match unexp {
        Unexpected::Bool(b) => b.to_string(),
        Unexpected::Unsigned(n) => n.to_string(),
        Unexpected::Signed(n) => n.to_string(),
        Unexpected::Float(x) => x.to_string(),
        Unexpected::Str(s) => format!("{:?}", bounded(s)),
        Unexpected::Char(c) => format!("{:?}", c.to_string()),
        Unexpected::Unit | Unexpected::Option => "null".to_owned(),
        Unexpected::Seq => "an array".to_owned(),
        Unexpected::Map => "an object".to_owned(),
        other => bounded_message(&other.to_string()),
    }
}

/// A key as a path names it (cut to a bounded length).
pub(crate) fn bounded_key(key: &str) -> String {
    bounded(key).to_string()
}

/// A message cut to a bounded length (parser messages may echo input).
fn bounded_message(msg: &str) -> String {
    cut_after(msg, 240).to_string()
}

/// Reads one [`Node`], attaching the path of every error that comes out of it.
pub(crate) struct NodeDeserializer<'a, 'j>(pub(crate) &'a Node<'j>);

impl<'de> Deserializer<'de> for NodeDeserializer<'de, '_> {
    type Error = ReadError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ReadError> {
        match self.0 {
            Node::Null => visitor.visit_unit(),
            Node::Bool(b) => visitor.visit_bool(*b),
            Node::Unsigned(n) => visitor.visit_u64(*n),
            Node::Signed(n) => visitor.visit_i64(*n),
            Node::Float(x) => visitor.visit_f64(*x),
            Node::Str(s) => visitor.visit_borrowed_str(s),
            Node::Array(items) => visitor.visit_seq(Elements {
                items: items.iter().enumerate(),
            }),
            Node::Object(entries) => {
                let mut access = Entries {
                    entries: entries.iter(),
                    pending: None,
                    last_key: None,
                };
                visitor
                    .visit_map(&mut access)
                    .map_err(|e| match access.last_key {
                        // serde's derive refuses a repeated field after reading its key, outside
                        // `next_key_seed`: point at the field.
                        Some(key)
                            if e.steps.is_empty() && e.kind == InputErrorKind::DuplicateField =>
                        {
                            e.in_key(key)
                        }
                        _ => e,
                    })
            }
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ReadError> {
        match self.0 {
            Node::Null => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, ReadError> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, ReadError> {
        match self.0 {
            Node::Str(s) => visitor.visit_enum((&**s).into_deserializer()),
            _ => self.deserialize_any(visitor),
        }
    }

    forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct seq tuple tuple_struct map struct identifier
        ignored_any
    }
}

struct Elements<'a, 'j> {
    items: core::iter::Enumerate<core::slice::Iter<'a, Node<'j>>>,
}

impl<'de> SeqAccess<'de> for Elements<'de, '_> {
    type Error = ReadError;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, ReadError> {
        match self.items.next() {
            Some((i, node)) => seed
                .deserialize(NodeDeserializer(node))
                .map(Some)
                .map_err(|e| e.in_element(i, node)),
            None => Ok(None),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.items.len())
    }
}

struct Entries<'a, 'j> {
    entries: core::slice::Iter<'a, (Cow<'j, str>, Node<'j>)>,
    pending: Option<&'a (Cow<'j, str>, Node<'j>)>,
    /// The key read last, named when the visitor refuses it as a repeat.
    last_key: Option<&'a str>,
}

impl<'de> MapAccess<'de> for Entries<'de, '_> {
    type Error = ReadError;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, ReadError> {
        match self.entries.next() {
            Some(entry) => {
                self.pending = Some(entry);
                self.last_key = Some(&entry.0);
                seed.deserialize(BorrowedStrDeserializer::<ReadError>::new(&entry.0))
                    .map(Some)
                    .map_err(|e| e.in_key(&entry.0))
            }
            None => Ok(None),
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, ReadError> {
        match self.pending.take() {
            Some((key, node)) => seed
                .deserialize(NodeDeserializer(node))
                .map_err(|e| e.in_key(key)),
            None => Err(de::Error::custom("a value was read before its key")),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.entries.len())
    }
}
