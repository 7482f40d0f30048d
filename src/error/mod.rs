//! The shared error type of every edit and import: what is wrong, and where.
//!
//! [`Error<K>`] carries the path and the record; the kind `K` is the family's own
//! (`TeamErrorKind`, `RbacErrorKind`, …) inside a family, and the composed
//! [`ErrorKind`](crate::ErrorKind) at the top, where every family's kind meets.

use core::fmt;

pub(crate) mod input;
pub(crate) mod sink;

pub use input::{InputError, InputErrorKind};

/// A rejected edit or import. Nothing of the edit was applied.
///
/// [`path`](Error::path) points at the offending field, in the document's field names
/// (`profiles[3].callsAccess.teamLeadIds[0]`) for imports and relative to the edited object
/// (`callsAccess.teamLeadIds[0]`) for edits made through [`Model`](crate::Model) methods.
/// `K` is what is wrong: a family's own kind for the edits of a family view
/// ([`TeamError`](crate::TeamError) from `model.teams_mut()`, …), and the composed
/// [`ErrorKind`](crate::ErrorKind) in a [`ModelError`](crate::ModelError), which every
/// family error converts into with `?` or `From`.
///
/// # Examples
///
/// ```
/// use orgperm::{ErrorKind, Model, OrgErrorKind};
/// let mut model = Model::new();
/// let err = model.add_user("ada", Some("nobody")).unwrap_err();
/// assert_eq!(err.path(), "managerId");
/// assert_eq!(err.kind(), &ErrorKind::Org(OrgErrorKind::UnknownUser { id: "nobody".into() }));
/// assert_eq!(err.to_string(), "managerId: unknown user \"nobody\"");
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error<K> {
    path: String,
    kind: K,
    /// The id of the innermost record on the path that has one, and the byte length of the
    /// path up to that record (`profiles[3]`), where the id is shown.
    record: Option<Box<(usize, String)>>,
}

/// How a host answers an error: the HTTP status class the vendors' APIs use for it.
///
/// # Examples
///
/// ```
/// use orgperm::{ErrorClass, InputErrorKind, ProfileErrorKind, RbacErrorKind};
/// assert_eq!(RbacErrorKind::UnknownRole { id: "r".into() }.class(), ErrorClass::NotFound);
/// assert_eq!(InputErrorKind::DuplicateId { id: "r".into() }.class(), ErrorClass::Conflict);
/// assert_eq!(ProfileErrorKind::MissingName.class(), ErrorClass::Invalid);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ErrorClass {
    /// Something named does not exist (HTTP 404).
    NotFound,
    /// The request contradicts the current state: a duplicate, a reference that is still in
    /// use, something already held (HTTP 409).
    Conflict,
    /// The input itself is malformed or breaks a rule of the format (HTTP 400).
    Invalid,
    /// The durable log could not be read or written (HTTP 500): the request may be fine.
    Storage,
}

impl<K> Error<K> {
    /// An error with an empty path.
    pub(crate) fn new(kind: impl Into<K>) -> Self {
        Self {
            path: String::new(),
            kind: kind.into(),
            record: None,
        }
    }

    /// An error at `path`.
    pub(crate) fn at(path: impl Into<String>, kind: impl Into<K>) -> Self {
        Self {
            path: path.into(),
            kind: kind.into(),
            record: None,
        }
    }

    /// Prefixes the path with `outer`, as in `profiles[3]` + `callsAccess` =
    /// `profiles[3].callsAccess`.
    pub(crate) fn within(mut self, outer: &str) -> Self {
        let old = self.path.len();
        self.path = if self.path.is_empty() {
            outer.to_owned()
        } else if self.path.starts_with('[') {
            format!("{outer}{}", self.path)
        } else {
            format!("{outer}.{}", self.path)
        };
        if let Some(record) = &mut self.record {
            record.0 += self.path.len() - old;
        }
        self
    }

    /// Renames the first field of the path from `from` to `to` (`externalNetwork[…]` to
    /// `networkId[…]`), when the path starts with that field; for edits whose callers name
    /// an argument differently from the edit.
    pub(crate) fn renamed(mut self, from: &str, to: &str) -> Self {
        let Some(rest) = self.path.strip_prefix(from) else {
            return self;
        };
        if !(rest.is_empty() || rest.starts_with('.') || rest.starts_with('[')) {
            return self;
        }
        let path = format!("{to}{rest}");
        if let Some(record) = &mut self.record {
            record.0 = (record.0 + path.len()).saturating_sub(self.path.len());
        }
        self.path = path;
        self
    }

    /// Like [`within`](Self::within) for a record with an id (`profiles[3]`, id `"p9"`): the
    /// id is shown in the message unless an inner record is already named.
    pub(crate) fn within_record(self, outer: &str, id: &str) -> Self {
        let named = self.record.is_some() || id.is_empty();
        let mut err = self.within(outer);
        if !named {
            err.record = Some(Box::new((outer.len(), bounded(id).to_string())));
        }
        err
    }

    /// Names the record of a section when the path points into one (`users[3]…`) and no
    /// inner record is named yet: for errors built by a section's bulk import, which knows
    /// the index but not the document's ids.
    pub(crate) fn in_section<'a>(
        self,
        section: &str,
        id_of: impl Fn(usize) -> Option<&'a str>,
    ) -> Self {
        if self.record.is_some() {
            return self;
        }
        let Some(rest) = self
            .path
            .strip_prefix(section)
            .and_then(|r| r.strip_prefix('['))
        else {
            return self;
        };
        let Some(close) = rest.find(']') else {
            return self;
        };
        let Some(id) = rest
            .get(..close)
            .and_then(|n| n.parse().ok())
            .and_then(&id_of)
        else {
            return self;
        };
        let at = section.len() + close + 2;
        let id = bounded(id).to_string();
        self.with_record(at, id)
    }

    /// Names the record whose path ends at byte `at` of the path.
    /// Renumbers the record of `section` the path starts with (`section[n]…`, or `[n]…` for
    /// an empty `section`): `n` becomes `map(n)`. Returns the error and the new number, or
    /// the error unchanged and `None` when the path does not start so or `map` has no number.
    /// For paths counted in a filtered list that must name the document's records.
    pub(crate) fn reindexed(
        mut self,
        section: &str,
        map: impl Fn(usize) -> Option<usize>,
    ) -> (Self, Option<usize>) {
        let Some(rest) = self
            .path
            .strip_prefix(section)
            .and_then(|r| r.strip_prefix('['))
        else {
            return (self, None);
        };
        let Some(close) = rest.find(']') else {
            return (self, None);
        };
        let Some(to) = rest
            .get(..close)
            .and_then(|n| n.parse::<usize>().ok())
            .and_then(map)
        else {
            return (self, None);
        };
        let tail = rest.get(close..).unwrap_or("");
        let path = format!("{section}[{to}{tail}");
        if let Some(record) = &mut self.record {
            // The record mark sits at or after the number (it names this record or an inner one).
            if record.0 > section.len() {
                record.0 = (record.0 + path.len()).saturating_sub(self.path.len());
            }
        }
        self.path = path;
        (self, Some(to))
    }

    pub(crate) fn with_record(mut self, at: usize, id: String) -> Self {
        if !id.is_empty() && self.path.is_char_boundary(at) {
            self.record = Some(Box::new((at, id)));
        }
        self
    }

    /// The id of the innermost record on the path that has one (cut to 64 characters), as
    /// in `"p9"` for `profiles[3] (id "p9").callsAccess.permissionLevel`.
    ///
    /// # Examples
    ///
    /// ```
    /// let doc = r#"{"version": 1, "profiles": [{"id": "p9", "name": "x", "callsAccess": {"permissionLevel": "most"}}]}"#;
    /// let err = orgperm::Model::from_json(doc).unwrap_err();
    /// assert_eq!(err.path(), "profiles[0].callsAccess.permissionLevel");
    /// assert_eq!(err.record_id(), Some("p9"));
    /// assert!(err.to_string().starts_with("profiles[0] (id \"p9\").callsAccess.permissionLevel: "));
    /// ```
    pub fn record_id(&self) -> Option<&str> {
        self.record.as_ref().map(|r| r.1.as_str())
    }

    /// The field the error is about, empty when it is about the whole input.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// What is wrong.
    pub fn kind(&self) -> &K {
        &self.kind
    }

    /// The same error with its kind converted: a lower layer's error raised inside a
    /// family, or a family's error at the top.
    pub(crate) fn lift<L: From<K>>(self) -> Error<L> {
        Error {
            path: self.path,
            kind: L::from(self.kind),
            record: self.record,
        }
    }

    /// The kind, taken out of the error.
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{ErrorKind, InputErrorKind, Model};
    /// let err = Model::new().add_user("", None).unwrap_err();
    /// assert_eq!(err.into_kind(), ErrorKind::Input(InputErrorKind::EmptyId));
    /// ```
    pub fn into_kind(self) -> K {
        self.kind
    }
}

impl<K: fmt::Display> fmt::Display for Error<K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            return write!(f, "{}", self.kind);
        }
        match &self.record {
            Some(record) => {
                let (at, id) = &**record;
                match (self.path.get(..*at), self.path.get(*at..)) {
                    (Some(head), Some(tail)) => {
                        write!(f, "{head} (id {id:?}){tail}: {}", self.kind)
                    }
                    _ => write!(f, "{}: {}", self.path, self.kind),
                }
            }
            None => write!(f, "{}: {}", self.path, self.kind),
        }
    }
}

impl<K: fmt::Debug + fmt::Display> std::error::Error for Error<K> {}

/// `impl From<Error<Lower>> for Error<Upper>`, given `Upper: From<Lower>`: so that `?` lifts a
/// lower layer's error into the family's (or a family's into the composed one).
macro_rules! lift_error {
    ($lower:ty => $upper:ty) => {
        impl From<$crate::error::Error<$lower>> for $crate::error::Error<$upper> {
            fn from(err: $crate::error::Error<$lower>) -> Self {
                err.lift()
            }
        }
    };
}
pub(crate) use lift_error;

/// "a" or "an" before a word.
pub(crate) fn article(word: &str) -> &'static str {
    match word.chars().next() {
        Some('a' | 'e' | 'i' | 'o' | 'u') => "an",
        _ => "a",
    }
}

/// The most characters of an id that a message echoes.
pub(crate) const ECHO_LIMIT: usize = 64;

/// The most members of a cycle that a message lists.
pub(crate) const CYCLE_LIMIT: usize = 16;

/// An id as a message echoes it: cut after [`ECHO_LIMIT`] characters, so that a message
/// stays small whatever the input (`Debug` quotes it, `Display` does not).
pub(crate) fn bounded(s: &str) -> Bounded<'_> {
    cut_after(s, ECHO_LIMIT)
}

/// `s` cut after `limit` characters (see [`bounded`]).
pub(crate) fn cut_after(s: &str, limit: usize) -> Bounded<'_> {
    match s.char_indices().nth(limit) {
        Some((cut, _)) => Bounded {
            text: s.get(..cut).unwrap_or(s),
            cut: true,
        },
        None => Bounded {
            text: s,
            cut: false,
        },
    }
}

/// See [`bounded`].
#[derive(Clone, Copy)]
pub(crate) struct Bounded<'a> {
    text: &'a str,
    cut: bool,
}

impl fmt::Display for Bounded<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.text)?;
        if self.cut {
            f.write_str("…")?;
        }
        Ok(())
    }
}

impl fmt::Debug for Bounded<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "\"{}", self.text.escape_debug())?;
        if self.cut {
            f.write_str("…")?;
        }
        f.write_str("\"")
    }
}

/// Writes a cycle as `"a" -> "b" -> "a"`, listing at most [`CYCLE_LIMIT`] members.
pub(crate) fn write_cycle(
    f: &mut fmt::Formatter<'_>,
    members: &[String],
    noun: &str,
) -> fmt::Result {
    for m in members.iter().take(CYCLE_LIMIT) {
        write!(f, "{:?} -> ", bounded(m))?;
    }
    if members.len() > CYCLE_LIMIT {
        write!(f, "… ({} {noun} in all)", members.len())
    } else {
        match members.first() {
            Some(first) => write!(f, "{:?}", bounded(first)),
            None => Ok(()),
        }
    }
}
