//! The document's collecting sink: every family's errors, kept as model errors.

use crate::calls::error::CallErrorKind;
use crate::error::Error;
use crate::error::sink::Sink;
use crate::items::error::ItemErrorKind;
use crate::model_error::{ErrorKind, ModelError};
use crate::network::error::NetworkErrorKind;
use crate::rbac::error::RbacErrorKind;
use crate::teams::error::TeamErrorKind;

/// A sink for every error kind the document's build hands over.
pub(crate) trait DocumentSink:
    Sink<ErrorKind>
    + Sink<TeamErrorKind>
    + Sink<CallErrorKind>
    + Sink<NetworkErrorKind>
    + Sink<RbacErrorKind>
    + Sink<ItemErrorKind>
{
}

impl<T> DocumentSink for T where
    T: Sink<ErrorKind>
        + Sink<TeamErrorKind>
        + Sink<CallErrorKind>
        + Sink<NetworkErrorKind>
        + Sink<RbacErrorKind>
        + Sink<ItemErrorKind>
{
}

/// Keeps up to `limit` errors, of any family, as model errors.
pub(crate) struct Collector {
    kept: Vec<ModelError>,
    limit: usize,
}

impl Collector {
    /// A collector of up to `limit` errors.
    pub(crate) fn new(limit: usize) -> Collector {
        Collector {
            kept: Vec::new(),
            limit,
        }
    }

    /// Whether it holds as many errors as it keeps.
    pub(crate) fn is_full(&self) -> bool {
        self.kept.len() >= self.limit
    }

    /// The errors kept, in the order found.
    pub(crate) fn into_errors(self) -> Vec<ModelError> {
        self.kept
    }
}

impl<K> Sink<K> for Collector
where
    ModelError: From<Error<K>>,
{
    fn skip(&mut self, err: Error<K>) -> Result<(), Error<K>> {
        if self.is_full() {
            return Err(err);
        }
        self.kept.push(ModelError::from(err));
        Ok(())
    }

    fn is_collecting(&self) -> bool {
        true
    }
}
