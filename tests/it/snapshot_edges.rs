//! Edge cases of the snapshot composition that the mutation run found untested: the memory
//! report's per-user figures.

use orgperm::MemoryReport;

/// The per-user figures divide the byte counts by the users, and by one for an empty org.
#[test]
fn memory_report_per_user_figures_divide_by_the_users() {
    let mem = MemoryReport {
        users: 4,
        id_text_bytes: 1_000,
        org_bytes: 10,
        profile_bytes: 30,
        rbac_bytes: 5,
        object_bytes: 7,
    };
    assert_eq!(mem.index_bytes(), 52);
    assert_eq!(mem.per_user(), 13.0);
    assert_eq!(mem.core_per_user(), 10.0);
    let empty = MemoryReport { users: 0, ..mem };
    assert_eq!(empty.per_user(), 52.0);
    assert_eq!(empty.core_per_user(), 40.0);
}
