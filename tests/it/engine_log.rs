//! The durable change log: recovery after clean stops, torn writes, flipped bits and crashes
//! around checkpoints; idempotency across restarts; the digest replicas compare.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};

use orgperm::{
    ChangeSet, Domain, Engine, EngineErrorKind, ErrorClass, LogOptions, Model, ProfileSpec,
};
use proptest::prelude::*;

use crate::engine::{answers, base, op};

/// A fresh directory under the system's temporary one, removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> TempDir {
        static NEXT: AtomicU32 = AtomicU32::new(0);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let dir =
            std::env::temp_dir().join(format!("orgperm-it-{name}-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        TempDir(dir)
    }

    fn path(&self) -> &Path {
        &self.0
    }

    /// The names of the files in the directory, sorted.
    fn files(&self) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(&self.0)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        names.sort();
        names
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn quick() -> LogOptions {
    LogOptions::default().fsync(false).checkpoint_every(None)
}

fn changes(json_ops: &str) -> ChangeSet {
    ChangeSet::from_json(&format!(r#"{{"version": 1, "ops": {json_ops}}}"#)).unwrap()
}

fn with_id(id: &str, json_ops: &str) -> ChangeSet {
    let mut c = changes(json_ops);
    c.id = Some(id.into());
    c
}

/// Three commits of different families.
fn three_commits() -> [ChangeSet; 3] {
    [
        changes(r#"[{"op": "addUser", "id": "u8", "managerId": "u1"}]"#),
        changes(r#"[{"op": "assignProfile", "userId": "u1", "profileId": "mgr"}]"#),
        changes(
            r#"[{"op": "assignProfile", "userId": "u8", "profileId": "own"},
                {"op": "shareCall", "callId": "c0", "userId": "u8"}]"#,
        ),
    ]
}

fn segment(dir: &TempDir, base: u64) -> PathBuf {
    dir.path().join(format!("log-{base:020}.log"))
}

/// The state after each of the three commits, as JSON, from an engine without a log.
fn states_after_each() -> Vec<String> {
    let engine = Engine::new(base());
    let mut states = vec![engine.model().to_json()];
    for c in three_commits() {
        engine.apply(&c).unwrap();
        states.push(engine.model().to_json());
    }
    states
}

/// A log of the three commits; returns the bytes of its segment and the length of the
/// last record.
fn log_of_three(dir: &TempDir) -> (Vec<u8>, usize) {
    let engine = Engine::create_with(dir.path(), base(), quick()).unwrap();
    let mut lens = Vec::new();
    for c in three_commits() {
        let before = std::fs::metadata(segment(dir, 0)).unwrap().len();
        engine.apply(&c).unwrap();
        lens.push((std::fs::metadata(segment(dir, 0)).unwrap().len() - before) as usize);
    }
    drop(engine);
    (std::fs::read(segment(dir, 0)).unwrap(), lens[2])
}

#[test]
fn a_reopened_engine_holds_every_confirmed_commit() {
    let dir = TempDir::new("reopen");
    let (_, _) = log_of_three(&dir);
    let engine = Engine::open_with(dir.path(), quick()).unwrap();
    assert_eq!(engine.version(), 3);
    assert_eq!(engine.model().to_json(), states_after_each()[3]);
    let recovery = engine.recovery().unwrap();
    assert_eq!(recovery.checkpoint_version, 0);
    assert_eq!(recovery.records_replayed, 3);
    assert_eq!(recovery.dropped_tail, None);
    let snap = engine.snapshot();
    assert!(snap.can_access("u1", Domain::Calls, "u8"));
    assert!(snap.calls().can_open("u8", "c0"));
    assert_eq!(
        answers(&snap),
        answers(&Model::from_json(&states_after_each()[3]).unwrap().compile())
    );
    assert_eq!(
        dir.files(),
        [
            "checkpoint-00000000000000000000.ckpt",
            "log-00000000000000000000.log"
        ]
    );
}

#[test]
fn every_cut_inside_the_last_record_reopens_to_the_commit_before() {
    let states = states_after_each();
    let dir = TempDir::new("cut");
    let (bytes, last) = log_of_three(&dir);
    let start = bytes.len() - last;
    for cut in start..bytes.len() {
        std::fs::write(segment(&dir, 0), &bytes[..cut]).unwrap();
        let engine = Engine::open_with(dir.path(), quick()).unwrap();
        assert_eq!(engine.version(), 2, "cut at {cut}");
        assert_eq!(engine.model().to_json(), states[2], "cut at {cut}");
        let dropped = engine.recovery().unwrap().dropped_tail.clone();
        if cut == start {
            assert_eq!(dropped, None);
        } else {
            let dropped = dropped.expect("a torn tail");
            assert_eq!(
                (dropped.offset, dropped.bytes),
                (start as u64, (cut - start) as u64)
            );
            assert_eq!(dropped.file, segment(&dir, 0));
        }
        // The tail was cut off: the file ends at the last complete record.
        assert_eq!(
            std::fs::metadata(segment(&dir, 0)).unwrap().len(),
            start as u64
        );
    }
    // After a cut, commits append cleanly and survive the next reopen.
    let engine = Engine::open_with(dir.path(), quick()).unwrap();
    engine
        .apply(&changes(r#"[{"op": "addUser", "id": "u9"}]"#))
        .unwrap();
    drop(engine);
    let engine = Engine::open_with(dir.path(), quick()).unwrap();
    assert_eq!(engine.version(), 3);
    let expected = Engine::new(base());
    let [first, second, _] = three_commits();
    for c in [first, second, changes(r#"[{"op": "addUser", "id": "u9"}]"#)] {
        expected.apply(&c).unwrap();
    }
    assert_eq!(engine.model().to_json(), expected.model().to_json());
}

#[test]
fn every_flipped_bit_of_the_last_record_reopens_to_the_commit_before() {
    let states = states_after_each();
    let dir = TempDir::new("flip");
    let (bytes, last) = log_of_three(&dir);
    let start = bytes.len() - last;
    for at in start..bytes.len() {
        for bit in [0u8, 3, 7] {
            let mut bad = bytes.clone();
            bad[at] ^= 1 << bit;
            std::fs::write(segment(&dir, 0), &bad).unwrap();
            let engine = Engine::open_with(dir.path(), quick()).unwrap();
            assert_eq!(engine.version(), 2, "byte {at} bit {bit}");
            assert_eq!(engine.model().to_json(), states[2]);
            let dropped = engine.recovery().unwrap().dropped_tail.clone().unwrap();
            assert_eq!(dropped.offset, start as u64);
        }
    }
}

#[test]
fn bad_bytes_before_good_records_refuse_to_open_and_change_nothing() {
    let dir = TempDir::new("middle");
    let (mut bytes, _) = log_of_three(&dir);
    bytes[25] ^= 0x04; // inside the first record's payload
    std::fs::write(segment(&dir, 0), &bytes).unwrap();
    let err = Engine::open_with(dir.path(), quick()).unwrap_err();
    assert_eq!(err.path(), segment(&dir, 0).display().to_string());
    match err.kind() {
        EngineErrorKind::Corrupt { offset, reason } => {
            assert_eq!(*offset, 0);
            assert_eq!(reason, "the record's payload fails its checksum");
        }
        other => panic!("expected a corrupt log, got {other:?}"),
    }
    assert_eq!(err.kind().class(), ErrorClass::Storage);
    // Nothing was cut: the records after the bad one are still there for an operator.
    assert_eq!(std::fs::read(segment(&dir, 0)).unwrap(), bytes);
}

#[test]
fn a_refused_change_set_writes_nothing_to_the_log() {
    let dir = TempDir::new("refused");
    let engine = Engine::create_with(dir.path(), base(), quick()).unwrap();
    let err = engine
        .apply(&changes(
            r#"[{"op": "addUser", "id": "u8"}, {"op": "assignProfile", "userId": "u8", "profileId": "9"}]"#,
        ))
        .unwrap_err();
    assert_eq!(err.path(), "ops[1].profileId");
    assert_eq!(std::fs::metadata(segment(&dir, 0)).unwrap().len(), 0);
    drop(engine);
    let engine = Engine::open_with(dir.path(), quick()).unwrap();
    assert_eq!(engine.version(), 0);
    assert_eq!(engine.model().user_id("u8"), None);
}

#[test]
fn a_crash_while_checkpointing_loses_nothing_confirmed() {
    let states = states_after_each();
    let dir = TempDir::new("crash");
    log_of_three(&dir);
    // The process stopped after rotating to a new segment and while writing the
    // checkpoint of version 3: a half-written temporary file and an empty segment.
    std::fs::write(
        dir.path().join("checkpoint-00000000000000000003.ckpt.tmp"),
        b"\x10\x00\x00\x00 half a header",
    )
    .unwrap();
    std::fs::write(segment(&dir, 3), b"").unwrap();
    let engine = Engine::open_with(dir.path(), quick()).unwrap();
    assert_eq!(engine.version(), 3);
    assert_eq!(engine.model().to_json(), states[3]);
    assert_eq!(engine.recovery().unwrap().records_replayed, 3);
    // The temporary file is gone; the next commit goes to the newest segment.
    engine
        .apply(&changes(r#"[{"op": "addUser", "id": "u9"}]"#))
        .unwrap();
    drop(engine);
    assert_eq!(
        dir.files(),
        [
            "checkpoint-00000000000000000000.ckpt",
            "log-00000000000000000000.log",
            "log-00000000000000000003.log"
        ]
    );
    let engine = Engine::open_with(dir.path(), quick()).unwrap();
    assert_eq!(engine.version(), 4);
    assert!(engine.model().user_id("u9").is_some());
}

#[test]
fn a_crash_after_the_checkpoint_but_before_compaction_loses_nothing() {
    let states = states_after_each();
    let dir = TempDir::new("compaction");
    log_of_three(&dir);
    let old_checkpoint = dir.path().join("checkpoint-00000000000000000000.ckpt");
    let saved = (
        std::fs::read(&old_checkpoint).unwrap(),
        std::fs::read(segment(&dir, 0)).unwrap(),
    );
    let engine = Engine::open_with(dir.path(), quick()).unwrap();
    assert_eq!(engine.checkpoint().unwrap(), 3);
    drop(engine);
    assert_eq!(
        dir.files(),
        [
            "checkpoint-00000000000000000003.ckpt",
            "log-00000000000000000003.log"
        ]
    );
    // Put back what compaction removed, as if the process stopped before it ran.
    std::fs::write(&old_checkpoint, &saved.0).unwrap();
    std::fs::write(segment(&dir, 0), &saved.1).unwrap();
    let engine = Engine::open_with(dir.path(), quick()).unwrap();
    assert_eq!(engine.version(), 3);
    assert_eq!(engine.model().to_json(), states[3]);
    let recovery = engine.recovery().unwrap();
    assert_eq!(
        (recovery.checkpoint_version, recovery.records_replayed),
        (3, 0)
    );
}

#[test]
fn periodic_checkpoints_compact_the_log() {
    let dir = TempDir::new("periodic");
    let options = quick().checkpoint_every(Some(3));
    let engine = Engine::create_with(dir.path(), base(), options).unwrap();
    for i in 0..7 {
        engine
            .apply(&changes(&format!(
                r#"[{{"op": "addWorkspace", "id": "w{i}"}}]"#
            )))
            .unwrap();
    }
    drop(engine);
    assert_eq!(
        dir.files(),
        [
            "checkpoint-00000000000000000006.ckpt",
            "log-00000000000000000006.log"
        ]
    );
    let engine = Engine::open_with(dir.path(), options).unwrap();
    assert_eq!(engine.version(), 7);
    let recovery = engine.recovery().unwrap();
    assert_eq!(
        (recovery.checkpoint_version, recovery.records_replayed),
        (6, 1)
    );
    assert_eq!(engine.model().workspace_ids().count(), 8);
}

#[test]
fn applied_ids_survive_a_restart_and_a_checkpoint() {
    let dir = TempDir::new("ids");
    let engine = Engine::create_with(dir.path(), base(), quick()).unwrap();
    let once = with_id("cs-1", r#"[{"op": "addUser", "id": "u8"}]"#);
    engine.apply(&once).unwrap();
    drop(engine);
    let engine = Engine::open_with(dir.path(), quick()).unwrap();
    assert_eq!(engine.apply(&once).unwrap().version(), 1);
    assert_eq!(engine.version(), 1);
    engine.checkpoint().unwrap();
    drop(engine);
    let engine = Engine::open_with(dir.path(), quick()).unwrap();
    assert_eq!(engine.apply(&once).unwrap().version(), 1);
    let other = with_id("cs-2", r#"[{"op": "addUser", "id": "u9"}]"#);
    assert_eq!(engine.apply(&other).unwrap().version(), 2);
}

#[test]
fn creating_over_a_log_is_refused_and_opening_an_empty_directory_finds_no_log() {
    let dir = TempDir::new("exists");
    assert_eq!(
        Engine::open(dir.path()).unwrap_err().kind(),
        &EngineErrorKind::NoLog
    );
    Engine::create_with(dir.path(), Model::new(), quick()).unwrap();
    let err = Engine::create_with(dir.path(), base(), quick()).unwrap_err();
    assert_eq!(err.kind(), &EngineErrorKind::LogExists);
    assert_eq!(err.path(), dir.path().display().to_string());
    // The first log is untouched.
    assert_eq!(Engine::open(dir.path()).unwrap().model().user_count(), 0);
    assert_eq!(
        Engine::new(Model::new()).checkpoint().unwrap_err().kind(),
        &EngineErrorKind::NotDurable
    );
}

#[test]
fn a_corrupt_checkpoint_refuses_to_open() {
    let dir = TempDir::new("badckpt");
    Engine::create_with(dir.path(), base(), quick()).unwrap();
    let path = dir.path().join("checkpoint-00000000000000000000.ckpt");
    let mut bytes = std::fs::read(&path).unwrap();
    let mid = bytes.len() / 2;
    bytes[mid] ^= 0x01;
    std::fs::write(&path, &bytes).unwrap();
    let err = Engine::open(dir.path()).unwrap_err();
    assert_eq!(err.path(), path.display().to_string());
    assert_eq!(err.kind().code(), "log_corrupt");
}

// ---- digests ------------------------------------------------------------------------------

#[test]
fn the_digest_does_not_depend_on_the_order_a_model_was_built_in() {
    let mut a = Model::new();
    a.add_user("lee", None).unwrap();
    a.add_user("dana", Some("lee")).unwrap();
    a.add_user("kim", None).unwrap();
    a.create_profile(ProfileSpec::new("p", "P")).unwrap();
    a.create_profile(ProfileSpec::new("q", "Q")).unwrap();
    let mut b = Model::new();
    b.create_profile(ProfileSpec::new("q", "Q")).unwrap();
    b.add_user("kim", None).unwrap();
    b.add_user("lee", None).unwrap();
    b.create_profile(ProfileSpec::new("p", "P")).unwrap();
    b.add_user("dana", Some("lee")).unwrap();
    assert_eq!(a.digest(), b.digest());
    b.move_user("dana", Some("kim")).unwrap();
    assert_ne!(a.digest(), b.digest());
}

#[test]
fn the_digest_of_a_known_model_is_the_same_on_every_build() {
    // Pinned: a change of this value is a change of the document's canonical form, which
    // replicas on different builds would disagree on.
    let mut m = Model::new();
    m.add_user("lee", None).unwrap();
    m.add_user("dana", Some("lee")).unwrap();
    assert_eq!(
        Model::new().digest().to_string(),
        PINNED_EMPTY,
        "empty model"
    );
    assert_eq!(m.digest().to_string(), PINNED_TWO_USERS, "two users");
}

const PINNED_EMPTY: &str = "092e09296e414d1d7af345909742d616";
const PINNED_TWO_USERS: &str = "f93b6fa1db4e3731807efd6b37e05e16";

#[test]
fn replicas_fed_the_same_change_sets_agree_on_version_and_digest() {
    let dir = TempDir::new("replica");
    let durable = Engine::create_with(dir.path(), base(), quick()).unwrap();
    let memory = Engine::new(base());
    let start = memory.digest();
    assert_eq!(start.0.version(), 0);
    for (i, c) in three_commits().into_iter().enumerate() {
        durable.apply(&c).unwrap();
        memory.apply(&c).unwrap();
        let (d, m) = (durable.digest(), memory.digest());
        assert_eq!(d, m);
        assert_eq!(d.0.version(), i as u64 + 1);
        assert_eq!(d.1, memory.model().digest());
    }
    assert_ne!(memory.digest().1, start.1);
    drop(durable);
    let reopened = Engine::open_with(dir.path(), quick()).unwrap();
    assert_eq!(reopened.digest(), memory.digest());
}

proptest! {
    #![proptest_config(crate::common::config(24))]

    /// Random commits (some refused) with checkpoints at random points: the reopened engine
    /// has the version, model, digest and answers of an engine that never stopped.
    #[test]
    fn a_reopened_log_answers_as_an_engine_that_never_stopped(
        sets in proptest::collection::vec(
            (proptest::collection::vec(op(), 1..4), any::<bool>()), 1..10),
        every in proptest::option::of(1u64..4),
    ) {
        let dir = TempDir::new("prop");
        let options = quick().checkpoint_every(every);
        let durable = Engine::create_with(dir.path(), base(), options).unwrap();
        let memory = Engine::new(base());
        for (ops, checkpoint) in sets {
            let mut c = ChangeSet::new();
            c.ops = ops;
            let (a, b) = (durable.apply(&c), memory.apply(&c));
            prop_assert_eq!(a.is_ok(), b.is_ok());
            if checkpoint {
                durable.checkpoint().unwrap();
            }
        }
        drop(durable);
        let reopened = Engine::open_with(dir.path(), options).unwrap();
        let (r, m) = (reopened.snapshot(), memory.snapshot());
        prop_assert_eq!(r.version(), m.version());
        prop_assert_eq!(reopened.model().to_json(), memory.model().to_json());
        prop_assert_eq!(reopened.digest(), memory.digest());
        prop_assert_eq!(answers(&r), answers(&m));
    }
}

#[test]
fn an_op_list_is_logged_as_the_change_set_itself() {
    // The record holds the change set's own JSON: a replica reading the log applies what the
    // writer applied, operation by operation.
    let dir = TempDir::new("payload");
    let engine = Engine::create_with(dir.path(), base(), quick()).unwrap();
    let c = with_id("x", r#"[{"op": "removeUser", "id": "u7"}]"#);
    engine.apply(&c).unwrap();
    let bytes = std::fs::read(segment(&dir, 0)).unwrap();
    let payload = std::str::from_utf8(&bytes[20..]).unwrap();
    assert_eq!(ChangeSet::from_json(payload).unwrap(), c);
    // The header: the payload's length, then the commit's version.
    assert_eq!(
        u32::from_le_bytes(bytes[0..4].try_into().unwrap()) as usize,
        payload.len()
    );
    assert_eq!(u64::from_le_bytes(bytes[4..12].try_into().unwrap()), 1);
}

// ---- the binary checkpoint ----------------------------------------------------------------

/// A synthetic org of every family (calls, networks, rbac, items), small.
fn synthetic(users: usize, seed: u64) -> Model {
    use orgperm_synth::items::{ItemsConfig, add_items};
    use orgperm_synth::rbac::{RbacConfig, add_rbac};
    use orgperm_synth::{ObjectsConfig, SynthConfig, add_objects, generate};
    let mut org = generate(&SynthConfig::new(users).seed(seed));
    add_objects(&mut org, &ObjectsConfig::new().calls_per_user(2));
    let rbac = RbacConfig {
        roles: 8,
        atoms: 60,
        divisions: 3,
        groups: 2,
        personas: 5,
        ..RbacConfig::new()
    };
    add_rbac(&mut org, &rbac);
    add_items(&mut org, &ItemsConfig::small());
    org.model
}

/// Checkpoints `model` (the engine's first checkpoint), reopens it and checks that the model
/// read back is the one written: the same document and the same digest.
fn round_trips(model: Model) -> Result<(), TestCaseError> {
    let dir = TempDir::new("binckpt");
    let written = Engine::create_with(dir.path(), model, quick()).unwrap();
    let path = dir.path().join("checkpoint-00000000000000000000.ckpt");
    let bytes = std::fs::read(&path).unwrap();
    // Format 2: the payload (after the 20-byte record header) opens with the magic byte that
    // no JSON text starts with.
    prop_assert_eq!(bytes.get(20).copied(), Some(0xFF));
    let reopened = Engine::open_with(dir.path(), quick()).unwrap();
    prop_assert_eq!(reopened.model().to_json(), written.model().to_json());
    prop_assert_eq!(reopened.model().digest(), written.model().digest());
    prop_assert_eq!(reopened.digest(), written.digest());
    Ok(())
}

proptest! {
    #![proptest_config(crate::common::config(16))]

    /// Random models of every family (the roles reference's worlds with conditions and
    /// divisions, the items reference's worlds with teams and access lists, synthetic orgs
    /// with calls and networks) read back from a binary checkpoint exactly as written.
    #[test]
    fn random_models_round_trip_through_a_binary_checkpoint(
        model in prop_oneof![
            crate::rbac_reference::world_strategy().prop_map(|w| w.build()),
            crate::items_reference::world().prop_map(|d| crate::items_reference::build(&d).0),
            (20usize..200, any::<u64>()).prop_map(|(n, seed)| synthetic(n, seed)),
        ],
    ) {
        round_trips(model)?;
    }
}
