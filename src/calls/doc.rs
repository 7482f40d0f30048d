//! The `calls` section of the model document.

use serde::{Deserialize, Serialize};

use crate::calls::CallSpec;
use crate::calls::error::{CallError, CallErrorKind};
use crate::calls::store::{CallsMut, CallsRef};
use crate::error::sink::Sink;

fn is_false(b: &bool) -> bool {
    !*b
}

fn is_zero(t: &i64) -> bool {
    *t == 0
}

/// One call:
/// `{"id": "c1", "ownerId": "u1", "workspaceId": "emea", "started": 1700000000,
///   "isPrivate": false, "participants": ["u2"], "sharedWith": [], "folderIds": [],
///   "userGrants": []}`. Only `id` is required: a call whose owner was removed is exported
/// without `ownerId` (removal takes the user off every call but the call stays), and a call
/// without `ownerId` is imported as ownerless, so the round trip is exact.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct CallDoc {
    id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    owner_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    workspace_id: Option<String>,
    #[serde(default, skip_serializing_if = "is_zero")]
    started: i64,
    #[serde(default, skip_serializing_if = "is_false")]
    is_private: bool,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    participants: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    shared_with: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    folder_ids: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    user_grants: Vec<String>,
}

impl CallDoc {
    /// The call's external id.
    pub(crate) fn id(&self) -> &str {
        &self.id
    }

    /// The call's spec, taking the document's strings.
    pub(crate) fn into_spec(self) -> CallSpec {
        CallSpec {
            id: self.id,
            owner: self.owner_id,
            workspace: self.workspace_id,
            started: self.started,
            private: self.is_private,
            participants: self.participants,
            shared_with: self.shared_with,
            folders: self.folder_ids,
            grants: self.user_grants,
        }
    }

    /// The call's spec, as the document import and the `addCall` change read it.
    pub(crate) fn to_spec(&self) -> CallSpec {
        CallSpec {
            id: self.id.clone(),
            owner: self.owner_id.clone(),
            workspace: self.workspace_id.clone(),
            started: self.started,
            private: self.is_private,
            participants: self.participants.clone(),
            shared_with: self.shared_with.clone(),
            folders: self.folder_ids.clone(),
            grants: self.user_grants.clone(),
        }
    }
}

/// The live calls, sorted by id; a call whose owner was removed has no `ownerId`.
pub(crate) fn export(model: CallsRef<'_>) -> Vec<CallDoc> {
    let mut out: Vec<CallDoc> = model
        .call_ids()
        .filter_map(|id| model.call(id))
        .map(|s| CallDoc {
            id: s.id,
            owner_id: s.owner,
            workspace_id: s.workspace,
            started: s.started,
            is_private: s.private,
            participants: s.participants,
            shared_with: s.shared_with,
            folder_ids: s.folders,
            user_grants: s.grants,
        })
        .collect();
    out.sort_by(|a, b| a.id.cmp(&b.id));
    out
}

/// Validates and adds every call; errors point into the section (`calls[5].participants[1]`).
/// The documents are consumed: their strings move into the specs, nothing is copied.
pub(crate) fn import(
    docs: Vec<CallDoc>,
    mut model: CallsMut<'_>,
    sink: &mut impl Sink<CallErrorKind>,
) -> Result<(), CallError> {
    for (i, d) in docs.into_iter().enumerate() {
        let spec = d.into_spec();
        if let Err(e) = model.add_call_ref(&spec) {
            sink.skip(e.within_record(&format!("calls[{i}]"), &spec.id))?;
        }
    }
    Ok(())
}
