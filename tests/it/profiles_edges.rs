//! Edge cases of the compiled profile checks that the mutation run found untested: capability
//! rows past the dense table, live profile lookup on the snapshot.

use orgperm::{Model, ProfileSpec};

/// Custom capability names `c000 … c{n-1}`, interned in that order after the 42 documented ones.
fn custom(n: usize) -> Vec<String> {
    (0..n).map(|i| format!("c{i:03}")).collect()
}

/// §1: unknown boolean names are kept. With more than 128 names, names past the dense rows
/// live in a per-profile list; every name, dense or not, answers exactly what the profile set.
#[test]
fn custom_capabilities_past_the_dense_rows_answer_exactly() {
    let mut m = Model::new();
    m.add_user("ada", None).unwrap();
    m.add_user("bob", None).unwrap();
    let names = custom(150);
    let mut all = ProfileSpec::new("all", "All custom");
    for n in &names {
        all = all.with_capability(n.clone(), true);
    }
    // Every other name on, the rest explicitly off.
    let mut half = ProfileSpec::new("half", "Half custom");
    for (i, n) in names.iter().enumerate() {
        half = half.with_capability(n.clone(), i % 2 == 0);
    }
    m.create_profile(all).unwrap();
    m.create_profile(half).unwrap();
    m.assign_profile("ada", "all").unwrap();
    m.assign_profile("bob", "half").unwrap();
    let snap = m.compile();
    for (i, n) in names.iter().enumerate() {
        assert!(snap.capability_id(n).is_some(), "{n} is known");
        assert!(snap.has_capability("ada", n.as_str()), "ada holds {n}");
        assert_eq!(
            snap.has_capability("bob", n.as_str()),
            i % 2 == 0,
            "bob holds {n} only when even"
        );
    }
    assert!(!snap.has_capability("ada", "never-seen"));
}

/// §1: a name just past a full dense row (index 64 of a two-word row, index 128 past both
/// words) is held by exactly the profile that set it.
#[test]
fn capability_rows_split_at_word_and_table_boundaries() {
    for n in [22, 23, 85, 86, 87, 88, 120] {
        let mut m = Model::new();
        m.add_user("ada", None).unwrap();
        m.add_user("bob", None).unwrap();
        let names = custom(n);
        let last = names.last().unwrap().clone();
        let mut on = ProfileSpec::new("on", "On");
        for c in &names {
            on = on.with_capability(c.clone(), c == &last);
        }
        m.create_profile(on).unwrap();
        m.create_profile(ProfileSpec::new("off", "Off")).unwrap();
        m.assign_profile("ada", "on").unwrap();
        m.assign_profile("bob", "off").unwrap();
        let snap = m.compile();
        let held: Vec<&String> = names
            .iter()
            .filter(|c| snap.has_capability("ada", c.as_str()))
            .collect();
        assert_eq!(held, [&last], "{n} custom names");
        assert!(
            names
                .iter()
                .all(|c| !snap.has_capability("bob", c.as_str()))
        );
    }
}

/// §5: the snapshot names live profiles only; a deleted profile's id no longer resolves.
#[test]
fn snapshot_profile_id_names_live_profiles_only() {
    let mut m = Model::new();
    let p = m.create_profile(ProfileSpec::new("p", "P")).unwrap();
    let q = m.create_profile(ProfileSpec::new("q", "Q")).unwrap();
    m.delete_profile("p").unwrap();
    let snap = m.compile();
    assert_ne!(p, q);
    assert_eq!(snap.profile_id("p"), None);
    assert_eq!(snap.profile_id("q"), Some(q));
    assert_eq!(snap.profile_id("nope"), None);
}
