//! The answer of a reverse call query.

use crate::calls::CallId;
use crate::id::id_set::IdSet;

/// A set of calls answering a reverse query ([`Calls::visible`](crate::Calls::visible),
/// [`Calls::listable`](crate::Calls::listable)); see [`IdSet`] for its methods.
///
/// # Examples
///
/// ```
/// use orgperm::{CallSpec, Domain, Level, Model, ProfileSpec};
/// let mut model = Model::new();
/// model.add_user("ada", None)?;
/// model.create_profile(ProfileSpec::new("p", "P").with_level(Domain::Calls, Level::Own))?;
/// model.assign_profile("ada", "p")?;
/// model.calls_mut().add_call(CallSpec::new("c1", "ada"))?;
/// let snap = model.compile();
/// let calls: orgperm::CallSet<'_> = snap.calls().visible("ada");
/// assert_eq!(calls.external_ids().collect::<Vec<_>>(), ["c1"]);
/// # Ok::<(), orgperm::ModelError>(())
/// ```
pub type CallSet<'s> = IdSet<'s, CallId>;
