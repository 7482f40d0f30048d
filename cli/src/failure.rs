//! What makes a command fail (exit status 2), and the closest known ids of an unknown one.

use std::fmt;

use orgperm::ModelError;
use serde_json::{Value, json};

/// A failed command.
#[derive(Debug)]
pub enum Failure {
    /// The file could not be read or written.
    Io { file: String, message: String },
    /// The document or change set is invalid, or the change does not apply.
    Input {
        file: String,
        error: Box<ModelError>,
    },
    /// `validate` found errors: every one, in the order found.
    Invalid {
        file: String,
        /// `"model"` or `"changeSet"`.
        kind: &'static str,
        errors: Vec<ModelError>,
        /// Whether the validation stopped at its limit with more errors left.
        truncated: bool,
    },
    /// An id names nothing in the model.
    Unknown {
        kind: &'static str,
        id: String,
        closest: Vec<String>,
    },
    /// An argument is not one of the accepted words.
    Argument(String),
    /// Two documents compared by `diff` number their objects differently.
    Lineage {
        old: String,
        new: String,
        message: String,
    },
}

impl Failure {
    /// An unknown id of `kind`, with up to three known ids closest to it.
    pub fn unknown<'a>(
        kind: &'static str,
        id: &str,
        known: impl IntoIterator<Item = &'a str>,
    ) -> Failure {
        Failure::Unknown {
            kind,
            id: id.to_owned(),
            closest: closest(id, known),
        }
    }

    /// The failure as the JSON object printed with `--json`.
    pub fn to_json(&self) -> Value {
        match self {
            Failure::Io { file, message } => {
                json!({"error": {"code": "io", "file": file, "message": message}})
            }
            Failure::Input { file, error } => json!({"error": error_json(file, error)}),
            Failure::Invalid {
                file,
                kind,
                errors,
                truncated,
            } => {
                let list: Vec<Value> = errors.iter().map(|e| error_json(file, e)).collect();
                json!({
                    "valid": false,
                    "kind": kind,
                    "file": file,
                    "count": errors.len(),
                    "truncated": truncated,
                    "errors": list,
                    "error": list.first(),
                })
            }
            Failure::Unknown { kind, id, closest } => json!({"error": {
                "code": "unknown-id",
                "kind": kind,
                "id": id,
                "closest": closest,
                "message": self.to_string(),
            }}),
            Failure::Argument(message) => {
                json!({"error": {"code": "bad-argument", "message": message}})
            }
            Failure::Lineage { old, new, .. } => json!({"error": {
                "code": "not-one-lineage",
                "file": new,
                "against": old,
                "message": self.to_string(),
            }}),
        }
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::Io { file, message } => write!(f, "{file}: {message}"),
            Failure::Input { file, error } => write!(f, "{file}: {error}"),
            // One line per error (the caller prefixes the first with `error: `), then the
            // count.
            Failure::Invalid {
                file,
                errors,
                truncated,
                ..
            } => {
                for e in errors {
                    write!(f, "{file}: {e}\nerror: ")?;
                }
                let s = if errors.len() == 1 { "" } else { "s" };
                write!(f, "{file}: {} error{s}", errors.len())?;
                if *truncated {
                    write!(f, " (stopped there; there are more)")?;
                }
                Ok(())
            }
            Failure::Unknown { kind, id, closest } => {
                write!(f, "unknown {kind} {id:?}")?;
                if !closest.is_empty() {
                    let names: Vec<String> = closest.iter().map(|c| format!("{c:?}")).collect();
                    write!(f, "; closest known: {}", names.join(", "))?;
                }
                Ok(())
            }
            Failure::Argument(message) => f.write_str(message),
            Failure::Lineage { old, new, message } => write!(
                f,
                "{new} does not extend {old}: {message}; run `orgperm preview {old} CHANGES` instead"
            ),
        }
    }
}

/// One error of a file as JSON: its code, path, record id and message.
fn error_json(file: &str, error: &ModelError) -> Value {
    json!({
        "code": error.kind().code(),
        "file": file,
        "path": error.path(),
        "record": error.record_id(),
        "message": error.to_string(),
    })
}

/// The (up to three) known ids nearest to `id` by edit distance, nearest first, among those
/// within half of `id`'s length (so a wild guess gets no suggestion).
pub fn closest<'a>(id: &str, known: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let limit = id.chars().count().div_ceil(2).max(1);
    let mut scored: Vec<(usize, &str)> = known
        .into_iter()
        .map(|k| (distance(id, k), k))
        .filter(|&(d, _)| d <= limit)
        .collect();
    scored.sort_unstable();
    scored.dedup();
    scored
        .into_iter()
        .take(3)
        .map(|(_, k)| k.to_owned())
        .collect()
}

/// Levenshtein distance over characters, with one row of memory.
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row.first().copied().unwrap_or(0);
        if let Some(first) = row.first_mut() {
            *first = i + 1;
        }
        for (j, &cb) in b.iter().enumerate() {
            let above = row.get(j + 1).copied().unwrap_or(0);
            let left = row.get(j).copied().unwrap_or(0);
            let best = (diagonal + usize::from(ca != cb))
                .min(above + 1)
                .min(left + 1);
            diagonal = above;
            if let Some(cell) = row.get_mut(j + 1) {
                *cell = best;
            }
        }
    }
    row.last().copied().unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distance_counts_edits() {
        assert_eq!(distance("kitten", "sitting"), 3);
        assert_eq!(distance("", "abc"), 3);
        assert_eq!(distance("lee", "lee"), 0);
    }

    #[test]
    fn closest_ranks_near_ids_and_drops_far_ones() {
        let known = ["lee", "leo", "dana", "maria"];
        assert_eq!(closest("le", known), ["lee", "leo"]);
        assert_eq!(closest("dnaa", known), ["dana"]);
        assert!(closest("zzzzzz", known).is_empty());
    }
}
