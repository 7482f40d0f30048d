//! Condition trees on permission policies (Genesys `resourceConditionNode`): leaves compare a
//! resource attribute with operands (EQ, IN, GE, GT, LE, LT), inner nodes join terms with AND
//! or OR, to any depth up to [`MAX_DEPTH`].
//!
//! Attributes are given at check time as `(name, value)` pairs. A name may repeat (a
//! multi-valued attribute); a leaf holds when some value of its variable satisfies it. A
//! missing attribute makes a leaf false, so with no attributes every condition is false: a
//! conditional grant never counts without an object to evaluate it on. EQ and IN compare
//! strings exactly; GE, GT, LE and LT compare numbers, and an attribute value that is not a
//! number makes them false.
//!
//! An operand ([`Operand`], Genesys `DomainResourceConditionValue.type`) is one of:
//!
//! - `SCALAR`: a literal value;
//! - `QUEUE`: a queue, by id, compared as that id;
//! - `USER`: the user the check is for, compared as their external id; a check that is not
//!   for a directory user (an OAuth client's) has no such id, and the operand matches
//!   nothing;
//! - `VARIABLE`: a variable of the check, by name, read from the variable map the check is
//!   given ([`ConditionContext`], [`Rbac::has_permission_on_with`](crate::Rbac::has_permission_on_with));
//!   a variable given several times stands for each of its values. A check without the
//!   map, or without that variable, gives the operand no value, so it matches nothing: the
//!   condition fails closed (no operator negates, so an operand without a value can only
//!   make a tree false).
//!
//! GE, GT, LE and LT take a SCALAR number or a VARIABLE (whose value must then be a
//! number); a QUEUE or USER operand is refused there, since ids are not numbers.

use core::fmt;

use crate::error::InputErrorKind;
use crate::rbac::error::{RbacError, RbacErrorKind};

/// How deep condition trees may nest (a leaf alone has depth 1).
///
/// # Examples
///
/// ```
/// use orgperm::{Condition, MAX_DEPTH};
/// let mut c = Condition::eq("x", "1");
/// for _ in 0..MAX_DEPTH {
///     c = Condition::all([c]);
/// }
/// assert!(!c.evaluate(&[("x", "1")])); // too deep: false
/// ```
pub const MAX_DEPTH: usize = 16;

/// A leaf operator.
///
/// # Examples
///
/// ```
/// use orgperm::Operator;
/// assert_eq!(Operator::parse("GE"), Some(Operator::Ge));
/// assert_eq!(Operator::In.as_str(), "IN");
/// assert_eq!(Operator::parse("NE"), None);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Operator {
    /// The attribute equals the operand.
    Eq,
    /// The attribute equals one of the operands.
    In,
    /// The attribute is a number ≥ the operand.
    Ge,
    /// The attribute is a number > the operand.
    Gt,
    /// The attribute is a number ≤ the operand.
    Le,
    /// The attribute is a number < the operand.
    Lt,
}

impl Operator {
    /// The six operators.
    pub const ALL: [Operator; 6] = [
        Operator::Eq,
        Operator::In,
        Operator::Ge,
        Operator::Gt,
        Operator::Le,
        Operator::Lt,
    ];

    /// The wire name.
    pub const fn as_str(self) -> &'static str {
        match self {
            Operator::Eq => "EQ",
            Operator::In => "IN",
            Operator::Ge => "GE",
            Operator::Gt => "GT",
            Operator::Le => "LE",
            Operator::Lt => "LT",
        }
    }

    /// Parses a wire name (exact, upper case).
    pub fn parse(s: &str) -> Option<Operator> {
        Operator::ALL.into_iter().find(|o| o.as_str() == s)
    }

    fn numeric(self) -> bool {
        matches!(
            self,
            Operator::Ge | Operator::Gt | Operator::Le | Operator::Lt
        )
    }
}

/// How a group joins its terms.
///
/// # Examples
///
/// ```
/// use orgperm::Conjunction;
/// assert_eq!(Conjunction::parse("OR"), Some(Conjunction::Or));
/// assert_eq!(Conjunction::And.as_str(), "AND");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Conjunction {
    /// Every term holds.
    And,
    /// Some term holds.
    Or,
}

impl Conjunction {
    /// The wire name.
    pub const fn as_str(self) -> &'static str {
        match self {
            Conjunction::And => "AND",
            Conjunction::Or => "OR",
        }
    }

    /// Parses a wire name (exact, upper case).
    pub fn parse(s: &str) -> Option<Conjunction> {
        [Conjunction::And, Conjunction::Or]
            .into_iter()
            .find(|c| c.as_str() == s)
    }
}

/// One operand of a condition leaf (see the module docs for what each kind compares with).
///
/// # Examples
///
/// ```
/// use orgperm::Operand;
/// assert_eq!(Operand::from("q1"), Operand::Scalar("q1".into()));
/// assert_eq!(Operand::User.kind(), "USER");
/// assert_eq!(Operand::Variable("team".into()).value(), Some("team"));
/// assert_eq!(Operand::parse_kind("QUEUE", "q1"), Some(Operand::Queue("q1".into())));
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Operand {
    /// `SCALAR`: a literal.
    Scalar(String),
    /// `QUEUE`: a queue id.
    Queue(String),
    /// `USER`: the user the check is for.
    User,
    /// `VARIABLE`: a variable of the check, by name.
    Variable(String),
}

impl Operand {
    /// The wire name of the kind: `SCALAR`, `QUEUE`, `USER` or `VARIABLE`.
    pub const fn kind(&self) -> &'static str {
        match self {
            Operand::Scalar(_) => "SCALAR",
            Operand::Queue(_) => "QUEUE",
            Operand::User => "USER",
            Operand::Variable(_) => "VARIABLE",
        }
    }

    /// The literal, queue id or variable name; `None` for `USER`.
    pub fn value(&self) -> Option<&str> {
        match self {
            Operand::Scalar(v) | Operand::Queue(v) | Operand::Variable(v) => Some(v),
            Operand::User => None,
        }
    }

    /// The operand of a kind with a value (`SCALAR`, `QUEUE`, `VARIABLE`); `None` for
    /// another name (`USER` takes no value: use [`Operand::User`]).
    pub fn parse_kind(kind: &str, value: &str) -> Option<Operand> {
        match kind {
            "SCALAR" => Some(Operand::Scalar(value.to_owned())),
            "QUEUE" => Some(Operand::Queue(value.to_owned())),
            "VARIABLE" => Some(Operand::Variable(value.to_owned())),
            _ => None,
        }
    }

    /// The values the operand stands for in a check: one for a literal or a queue, the
    /// checking user's id (none for a check without one), each value of a variable (none
    /// without the variable).
    fn candidates<'a>(&'a self, ctx: &ConditionContext<'a>) -> impl Iterator<Item = &'a str> + 'a {
        let (one, variable): (Option<&'a str>, Option<&'a str>) = match self {
            Operand::Scalar(v) | Operand::Queue(v) => (Some(v.as_str()), None),
            Operand::User => (ctx.user, None),
            Operand::Variable(name) => (None, Some(name.as_str())),
        };
        let vars = ctx.variables.unwrap_or(&[]);
        one.into_iter().chain(
            vars.iter()
                .filter(move |(n, _)| Some(*n) == variable)
                .map(|&(_, v)| v),
        )
    }
}

impl From<&str> for Operand {
    fn from(v: &str) -> Self {
        Operand::Scalar(v.to_owned())
    }
}

impl From<String> for Operand {
    fn from(v: String) -> Self {
        Operand::Scalar(v)
    }
}

/// What a condition reads of the check besides the resource's attributes: the checking
/// user's id (for `USER` operands) and the check's variables (for `VARIABLE` operands).
///
/// # Examples
///
/// ```
/// use orgperm::{Condition, ConditionContext, Operand, Operator};
/// let mine = Condition::leaf("queue.ownerId", Operator::Eq, [Operand::User]);
/// let ctx = ConditionContext { user: Some("ada"), variables: None };
/// assert!(mine.evaluate_with(&[("queue.ownerId", "ada")], &ctx));
/// assert!(!mine.evaluate(&[("queue.ownerId", "ada")])); // no user: fails closed
/// let team = Condition::leaf("queue.team", Operator::Eq, [Operand::Variable("team".into())]);
/// let vars = [("team", "billing")];
/// let ctx = ConditionContext { user: None, variables: Some(&vars) };
/// assert!(team.evaluate_with(&[("queue.team", "billing")], &ctx));
/// assert!(!team.evaluate(&[("queue.team", "billing")])); // no variables: fails closed
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ConditionContext<'a> {
    /// The external id of the user the check is for.
    pub user: Option<&'a str>,
    /// The check's variables, `(name, value)`; a name may repeat.
    pub variables: Option<&'a [(&'a str, &'a str)]>,
}

/// A condition tree on a permission policy.
///
/// # Examples
///
/// ```
/// use orgperm::Condition;
/// // queue in (q1, q2) and (priority >= 5 or vip = true)
/// let c = Condition::all([
///     Condition::is_in("queue.id", ["q1", "q2"]),
///     Condition::any([Condition::ge("priority", "5"), Condition::eq("vip", "true")]),
/// ]);
/// assert!(c.evaluate(&[("queue.id", "q2"), ("priority", "7")]));
/// assert!(c.evaluate(&[("queue.id", "q1"), ("vip", "true")]));
/// assert!(!c.evaluate(&[("queue.id", "q3"), ("priority", "9")]));
/// assert!(!c.evaluate(&[])); // no attributes: false
/// ```
///
/// A tree may be built to any depth; `Clone`, `PartialEq` and `Drop` work without recursion,
/// and `Debug` and `Display` print at most [`MAX_DEPTH`] levels (deeper groups print as `…`),
/// so no tree, however deep, can overflow the stack.
pub enum Condition {
    /// `variableName operator operands`.
    Leaf {
        /// The attribute compared.
        variable_name: String,
        /// The operator.
        operator: Operator,
        /// One operand, or one or more for IN; a SCALAR number or a VARIABLE for GE, GT,
        /// LE, LT.
        operands: Vec<Operand>,
    },
    /// Terms joined by a conjunction.
    Group {
        /// AND or OR.
        conjunction: Conjunction,
        /// At least one term.
        terms: Vec<Condition>,
    },
}

impl Condition {
    /// `variable EQ value`.
    pub fn eq(variable: impl Into<String>, value: impl Into<String>) -> Self {
        Self::compare(variable, Operator::Eq, value)
    }

    /// `variable IN values`.
    pub fn is_in<S: Into<String>>(
        variable: impl Into<String>,
        values: impl IntoIterator<Item = S>,
    ) -> Self {
        Condition::Leaf {
            variable_name: variable.into(),
            operator: Operator::In,
            operands: values
                .into_iter()
                .map(|v| Operand::Scalar(v.into()))
                .collect(),
        }
    }

    /// A leaf with typed operands.
    pub fn leaf(
        variable: impl Into<String>,
        operator: Operator,
        operands: impl IntoIterator<Item = Operand>,
    ) -> Self {
        Condition::Leaf {
            variable_name: variable.into(),
            operator,
            operands: operands.into_iter().collect(),
        }
    }

    /// `variable GE value`.
    pub fn ge(variable: impl Into<String>, value: impl Into<String>) -> Self {
        Self::compare(variable, Operator::Ge, value)
    }

    /// `variable GT value`.
    pub fn gt(variable: impl Into<String>, value: impl Into<String>) -> Self {
        Self::compare(variable, Operator::Gt, value)
    }

    /// `variable LE value`.
    pub fn le(variable: impl Into<String>, value: impl Into<String>) -> Self {
        Self::compare(variable, Operator::Le, value)
    }

    /// `variable LT value`.
    pub fn lt(variable: impl Into<String>, value: impl Into<String>) -> Self {
        Self::compare(variable, Operator::Lt, value)
    }

    /// A leaf with one operand.
    pub fn compare(
        variable: impl Into<String>,
        operator: Operator,
        value: impl Into<String>,
    ) -> Self {
        Condition::Leaf {
            variable_name: variable.into(),
            operator,
            operands: vec![Operand::Scalar(value.into())],
        }
    }

    /// Every term holds (AND).
    pub fn all(terms: impl IntoIterator<Item = Condition>) -> Self {
        Condition::Group {
            conjunction: Conjunction::And,
            terms: terms.into_iter().collect(),
        }
    }

    /// Some term holds (OR).
    pub fn any(terms: impl IntoIterator<Item = Condition>) -> Self {
        Condition::Group {
            conjunction: Conjunction::Or,
            terms: terms.into_iter().collect(),
        }
    }

    /// Evaluates the tree against resource attributes, with no checking user and no
    /// variables (so `USER` and `VARIABLE` operands match nothing; see the module docs). A
    /// tree deeper than [`MAX_DEPTH`] is false.
    pub fn evaluate(&self, attributes: &[(&str, &str)]) -> bool {
        self.evaluate_with(attributes, &ConditionContext::default())
    }

    /// Evaluates the tree against resource attributes in a check's context (the checking
    /// user, the variables). A tree deeper than [`MAX_DEPTH`] is false.
    pub fn evaluate_with(&self, attributes: &[(&str, &str)], ctx: &ConditionContext<'_>) -> bool {
        // The root is at depth 1, as in validation.
        self.eval_at(attributes, ctx, 1)
    }

    fn eval_at(
        &self,
        attributes: &[(&str, &str)],
        ctx: &ConditionContext<'_>,
        depth: usize,
    ) -> bool {
        if depth > MAX_DEPTH {
            return false;
        }
        match self {
            Condition::Leaf {
                variable_name,
                operator,
                operands,
            } => attributes
                .iter()
                .filter(|(name, _)| name == variable_name)
                .any(|&(_, value)| leaf_holds(*operator, operands, value, ctx)),
            Condition::Group { conjunction, terms } => match conjunction {
                Conjunction::And => {
                    !terms.is_empty() && terms.iter().all(|t| t.eval_at(attributes, ctx, depth + 1))
                }
                Conjunction::Or => terms.iter().any(|t| t.eval_at(attributes, ctx, depth + 1)),
            },
        }
    }

    /// Checks the shape of the tree. Paths are relative to the node, in the document's
    /// field names (`terms[1].operands`).
    pub(crate) fn validate(&self) -> Result<(), RbacError> {
        self.validate_at(1)
    }

    fn validate_at(&self, depth: usize) -> Result<(), RbacError> {
        let invalid =
            |path: &str, reason| RbacError::at(path, RbacErrorKind::InvalidCondition { reason });
        if depth > MAX_DEPTH {
            return Err(invalid("", "conditions nest at most 16 deep"));
        }
        match self {
            Condition::Leaf {
                variable_name,
                operator,
                operands,
            } => {
                if variable_name.is_empty() {
                    return Err(RbacError::at("variableName", InputErrorKind::Required));
                }
                match operator {
                    Operator::In if operands.is_empty() => {
                        return Err(invalid("operands", "IN needs at least one operand"));
                    }
                    Operator::In => {}
                    _ if operands.len() != 1 => {
                        return Err(invalid(
                            "operands",
                            "EQ, GE, GT, LE and LT take exactly one operand",
                        ));
                    }
                    _ => {}
                }
                for (i, o) in operands.iter().enumerate() {
                    let at = format!("operands[{i}]");
                    match o {
                        Operand::Queue(v) | Operand::Variable(v) if v.is_empty() => {
                            return Err(RbacError::at(
                                format!("{at}.value"),
                                InputErrorKind::Required,
                            ));
                        }
                        Operand::Queue(_) | Operand::User if operator.numeric() => {
                            return Err(invalid(
                                &at,
                                "GE, GT, LE and LT compare numbers: a SCALAR number or a VARIABLE",
                            ));
                        }
                        Operand::Scalar(v) if operator.numeric() && parse_number(v).is_none() => {
                            return Err(invalid(&at, "GE, GT, LE and LT compare numbers"));
                        }
                        _ => {}
                    }
                }
                Ok(())
            }
            Condition::Group { terms, .. } => {
                if terms.is_empty() {
                    return Err(invalid("terms", "a conjunction needs at least one term"));
                }
                for (i, t) in terms.iter().enumerate() {
                    t.validate_at(depth + 1)
                        .map_err(|e| e.within(&format!("terms[{i}]")))?;
                }
                Ok(())
            }
        }
    }
}

/// How many levels `Debug` and `Display` print; deeper groups print as `…`.
const PRINT_DEPTH: usize = MAX_DEPTH;

impl Condition {
    /// The terms of a group, empty for a leaf.
    fn children(&self) -> &[Condition] {
        match self {
            Condition::Leaf { .. } => &[],
            Condition::Group { terms, .. } => terms,
        }
    }

    /// A copy of this node with no terms (a leaf is copied whole).
    fn shallow_clone(&self) -> Condition {
        match self {
            Condition::Leaf {
                variable_name,
                operator,
                operands,
            } => Condition::Leaf {
                variable_name: variable_name.clone(),
                operator: *operator,
                operands: operands.clone(),
            },
            Condition::Group { conjunction, terms } => Condition::Group {
                conjunction: *conjunction,
                terms: Vec::with_capacity(terms.len()),
            },
        }
    }

    /// Whether the two nodes are equal, terms aside (their counts included).
    fn shallow_eq(&self, other: &Condition) -> bool {
        match (self, other) {
            (
                Condition::Leaf {
                    variable_name: a,
                    operator: o,
                    operands: x,
                },
                Condition::Leaf {
                    variable_name: b,
                    operator: p,
                    operands: y,
                },
            ) => a == b && o == p && x == y,
            (
                Condition::Group {
                    conjunction: a,
                    terms: x,
                },
                Condition::Group {
                    conjunction: b,
                    terms: y,
                },
            ) => a == b && x.len() == y.len(),
            _ => false,
        }
    }
}

impl Drop for Condition {
    /// Drops the tree iteratively: the terms of every group are moved to an explicit stack
    /// before the group itself is dropped, so each node drops with no terms left.
    fn drop(&mut self) {
        let Condition::Group { terms, .. } = self else {
            return;
        };
        if terms.iter().all(|t| t.children().is_empty()) {
            return; // one level: the ordinary drop recurses once
        }
        let mut stack = core::mem::take(terms);
        while let Some(mut node) = stack.pop() {
            if let Condition::Group { terms, .. } = &mut node {
                stack.append(terms);
            }
        }
    }
}

impl Clone for Condition {
    /// Copies the tree iteratively (an explicit stack of groups being filled).
    fn clone(&self) -> Self {
        let mut root = self.shallow_clone();
        if self.children().is_empty() {
            return root;
        }
        // Each frame: the source group's remaining terms and the copy being filled.
        let mut stack: Vec<(core::slice::Iter<'_, Condition>, Condition)> = Vec::new();
        stack.push((
            self.children().iter(),
            core::mem::replace(&mut root, Condition::all([])),
        ));
        while let Some((iter, _)) = stack.last_mut() {
            match iter.next() {
                Some(src) if src.children().is_empty() => {
                    let copy = src.shallow_clone();
                    if let Some((_, Condition::Group { terms, .. })) = stack.last_mut() {
                        terms.push(copy);
                    }
                }
                Some(src) => stack.push((src.children().iter(), src.shallow_clone())),
                None => {
                    let Some((_, done)) = stack.pop() else { break };
                    match stack.last_mut() {
                        Some((_, Condition::Group { terms, .. })) => terms.push(done),
                        _ => return done,
                    }
                }
            }
        }
        root
    }
}

impl PartialEq for Condition {
    /// Compares the trees iteratively, node by node in preorder.
    fn eq(&self, other: &Self) -> bool {
        let mut stack: Vec<(&Condition, &Condition)> = vec![(self, other)];
        while let Some((a, b)) = stack.pop() {
            if !a.shallow_eq(b) {
                return false;
            }
            stack.extend(a.children().iter().zip(b.children()).rev());
        }
        true
    }
}

impl Eq for Condition {}

/// `Debug` of a node at a bounded depth.
struct DebugAt<'a>(&'a Condition, usize);

impl fmt::Debug for DebugAt<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Condition::Leaf {
                variable_name,
                operator,
                operands,
            } => f
                .debug_struct("Leaf")
                .field("variable_name", variable_name)
                .field("operator", operator)
                .field("operands", operands)
                .finish(),
            Condition::Group { conjunction, terms } => {
                let mut d = f.debug_struct("Group");
                d.field("conjunction", conjunction);
                if self.1 >= PRINT_DEPTH {
                    return d.finish_non_exhaustive();
                }
                d.field("terms", &DebugTerms(terms, self.1 + 1)).finish()
            }
        }
    }
}

struct DebugTerms<'a>(&'a [Condition], usize);

impl fmt::Debug for DebugTerms<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list()
            .entries(self.0.iter().map(|t| DebugAt(t, self.1)))
            .finish()
    }
}

impl fmt::Debug for Condition {
    /// As derived, but groups deeper than [`MAX_DEPTH`] print as `Group { conjunction, .. }`
    /// (the recursion is bounded).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        DebugAt(self, 1).fmt(f)
    }
}

/// `Display` of a node at a bounded depth.
struct DisplayAt<'a>(&'a Condition, usize);

impl fmt::Display for DisplayAt<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Condition::Leaf {
                variable_name,
                operator,
                operands,
            } => {
                write!(f, "{variable_name} {} [", operator.as_str())?;
                for (i, o) in operands.iter().enumerate() {
                    if i > 0 {
                        write!(f, ", ")?;
                    }
                    match o {
                        Operand::Scalar(v) => write!(f, "{v:?}")?,
                        Operand::Queue(v) => write!(f, "QUEUE {v:?}")?,
                        Operand::User => write!(f, "USER")?,
                        Operand::Variable(v) => write!(f, "VARIABLE {v:?}")?,
                    }
                }
                write!(f, "]")
            }
            Condition::Group { .. } if self.1 > PRINT_DEPTH => write!(f, "(…)"),
            Condition::Group { conjunction, terms } => {
                write!(f, "(")?;
                for (i, t) in terms.iter().enumerate() {
                    if i > 0 {
                        write!(f, " {} ", conjunction.as_str())?;
                    }
                    write!(f, "{}", DisplayAt(t, self.1 + 1))?;
                }
                write!(f, ")")
            }
        }
    }
}

impl fmt::Display for Condition {
    /// Groups deeper than [`MAX_DEPTH`] print as `(…)` (the recursion is bounded).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        DisplayAt(self, 1).fmt(f)
    }
}

/// A finite number, or `None`.
fn parse_number(s: &str) -> Option<f64> {
    s.trim().parse::<f64>().ok().filter(|x| x.is_finite())
}

/// Whether one attribute value satisfies a leaf: some value an operand stands for (see
/// [`Operand::candidates`]) compares as the operator says.
#[inline]
fn leaf_holds(op: Operator, operands: &[Operand], value: &str, ctx: &ConditionContext<'_>) -> bool {
    match op {
        Operator::Eq => operands
            .first()
            .is_some_and(|o| o.candidates(ctx).any(|c| c == value)),
        Operator::In => operands
            .iter()
            .any(|o| o.candidates(ctx).any(|c| c == value)),
        _ => {
            let (Some(v), Some(o)) = (parse_number(value), operands.first()) else {
                return false;
            };
            o.candidates(ctx)
                .filter_map(parse_number)
                .any(|number| match op {
                    Operator::Ge => v >= number,
                    Operator::Gt => v > number,
                    Operator::Le => v <= number,
                    Operator::Lt => v < number,
                    Operator::Eq | Operator::In => false,
                })
        }
    }
}

/// The validated condition trees of a snapshot; evaluating one allocates nothing.
#[derive(Clone, Debug, Default)]
pub(crate) struct ConditionArena {
    trees: Vec<Condition>,
}

impl ConditionArena {
    /// Stores a tree; returns its index.
    pub(crate) fn push(&mut self, c: &Condition) -> u32 {
        self.trees.push(c.clone());
        (self.trees.len() - 1) as u32
    }

    /// Evaluates tree `i` in a check's context; an unknown index is false.
    #[inline]
    pub(crate) fn eval(
        &self,
        i: u32,
        attributes: &[(&str, &str)],
        ctx: &ConditionContext<'_>,
    ) -> bool {
        self.trees
            .get(i as usize)
            .is_some_and(|c| c.evaluate_with(attributes, ctx))
    }

    pub(crate) fn heap_bytes(&self) -> usize {
        let mut total = self.trees.capacity() * core::mem::size_of::<Condition>();
        let mut stack: Vec<&Condition> = self.trees.iter().collect();
        while let Some(c) = stack.pop() {
            total += match c {
                Condition::Leaf {
                    variable_name,
                    operands,
                    ..
                } => {
                    variable_name.capacity()
                        + operands.capacity() * core::mem::size_of::<Operand>()
                        + operands
                            .iter()
                            .map(|o| match o {
                                Operand::Scalar(v) | Operand::Queue(v) | Operand::Variable(v) => {
                                    v.capacity()
                                }
                                Operand::User => 0,
                            })
                            .sum::<usize>()
                }
                Condition::Group { terms, .. } => {
                    stack.extend(terms);
                    terms.capacity() * core::mem::size_of::<Condition>()
                }
            };
        }
        total
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn evaluation_and_validation_agree_on_depth() {
        let mut c = Condition::eq("x", "1");
        for _ in 1..MAX_DEPTH {
            c = Condition::all([c]);
        }
        assert!(c.validate().is_ok());
        assert!(c.evaluate(&[("x", "1")]));
        let c = Condition::all([c]);
        assert!(c.validate().is_err());
        assert!(!c.evaluate(&[("x", "1")]));
    }

    #[test]
    fn hand_written_clone_eq_and_debug_match_the_tree() {
        let leaf = |i: usize| Condition::is_in(format!("v{i}"), [format!("{i}"), "x".into()]);
        let c = Condition::all([
            leaf(1),
            Condition::any([leaf(2), Condition::all([leaf(3)]), leaf(4)]),
            Condition::any([]),
            leaf(5),
        ]);
        let copy = c.clone();
        assert_eq!(format!("{copy:?}"), format!("{c:?}"));
        assert_eq!(copy.to_string(), c.to_string());
        assert_eq!(
            c.to_string(),
            r#"(v1 IN ["1", "x"] AND (v2 IN ["2", "x"] OR (v3 IN ["3", "x"]) OR v4 IN ["4", "x"]) AND () AND v5 IN ["5", "x"])"#
        );
        assert!(
            format!("{c:?}")
                .starts_with("Group { conjunction: And, terms: [Leaf { variable_name: \"v1\"")
        );
        assert_eq!(copy, c);
        let mut other = c.clone();
        if let Condition::Group { terms, .. } = &mut other {
            terms.pop();
        }
        assert_ne!(other, c);
        assert_ne!(Condition::all([leaf(1)]), Condition::any([leaf(1)]));
        assert_ne!(Condition::all([leaf(1)]), Condition::all([leaf(2)]));
        assert_ne!(leaf(1), Condition::all([leaf(1)]));
    }

    #[test]
    fn numbers_and_strings() {
        assert!(Condition::gt("x", "1.5").evaluate(&[("x", "2")]));
        assert!(!Condition::gt("x", "1.5").evaluate(&[("x", "abc")]));
        assert!(Condition::le("x", "2").evaluate(&[("x", "2.0")]));
        assert!(!Condition::eq("x", "2").evaluate(&[("x", "2.0")]));
        assert!(Condition::eq("x", "b").evaluate(&[("x", "a"), ("x", "b")]));
        let mut arena = ConditionArena::default();
        let i = arena.push(&Condition::lt("x", "3"));
        let ctx = ConditionContext::default();
        assert!(arena.eval(i, &[("x", "2")], &ctx));
        assert!(!arena.eval(i, &[("x", "3")], &ctx));
        assert!(!arena.eval(i + 1, &[("x", "2")], &ctx));
    }
}
