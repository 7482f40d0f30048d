//! Edge cases of the item checks that the mutation run found untested: access lists built
//! entry by entry.

use orgperm::{AccessEntry, AccessSpec, ItemVerbs};

/// §3: `with` appends one entry and keeps whether the list inherits.
#[test]
fn access_spec_with_appends_one_entry_and_keeps_inheritance() {
    let read = AccessEntry::account(ItemVerbs::READ);
    let update = AccessEntry::user("ada", ItemVerbs::UPDATE);
    let own = AccessSpec::new([read.clone()]).with(update.clone());
    assert_eq!(
        own,
        AccessSpec {
            inherits: false,
            permissions: vec![read.clone(), update.clone()],
        }
    );
    let inheriting = AccessSpec::inheriting().with(read.clone());
    assert_eq!(
        inheriting,
        AccessSpec {
            inherits: true,
            permissions: vec![read],
        }
    );
}
