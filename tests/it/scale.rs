//! Inputs that break naive code by their size: trees deep enough to overflow a recursive
//! walk, and shapes whose naive handling is quadratic (checked for behaviour at a large size;
//! the times are in the `scale` bench group).

use orgperm::{Condition, ErrorKind, Model, PermissionSpec, PolicySpec, RoleSpec, MAX_DEPTH};

/// Runs `f` on a thread with a 2 MB stack.
fn on_small_stack(f: impl FnOnce() + Send + 'static) {
    std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(f)
        .unwrap()
        .join()
        .unwrap();
}

fn nested(depth: usize) -> Condition {
    let mut c = Condition::eq("queue.id", "q1");
    for i in 1..depth {
        c = if i % 2 == 0 {
            Condition::all([c])
        } else {
            Condition::any([c, Condition::eq("x", "y")])
        };
    }
    c
}

#[test]
fn a_million_deep_condition_is_rejected_and_dropped_without_recursion() {
    on_small_stack(|| {
        let mut m = Model::new();
        m.add_permission(
            PermissionSpec::new("routing:queue:view", "View queues").allowing_conditions(),
        )
        .unwrap();
        let c = nested(1_000_000);
        // Clone, compare, print: none of them recurses over the depth.
        let copy = c.clone();
        assert!(copy == c);
        assert!(copy != nested(999_999));
        assert!(!format!("{c:?}").is_empty());
        assert!(format!("{c}").contains('…'));
        drop(copy);
        let spec = RoleSpec::new("r", "R")
            .with_policy(PolicySpec::new("routing", "queue", ["view"]).with_condition(c));
        let err = m.create_role(spec).unwrap_err();
        let mut path = "permissionPolicies[0].resourceConditionNode".to_owned();
        for _ in 1..=MAX_DEPTH {
            path.push_str(".terms[0]");
        }
        assert_eq!(err.path(), path, "{err}");
        assert_eq!(
            err.kind(),
            &ErrorKind::InvalidCondition {
                reason: "conditions nest at most 16 deep"
            }
        );
        assert!(m.role("r").is_none());
        // The rejected spec was dropped inside create_role; drop one more explicitly.
        drop(nested(1_000_000));
    });
}
