//! Statement structure facts for rules, collected during the one extraction
//! walk (no second pass over the tree): loops (with the sleeps, clock reads,
//! counters and exits inside them), `except` handlers, asserts, comparisons
//! with string literals, per-call context (result discarded / awaited) and the
//! `if __name__ == "__main__":` guards. Rules such as REL005–REL009, REL016 and
//! REL017 read these instead of walking the tree again.

use super::summary::CallSite;
use super::value::node_text;
use crate::syntax::kinds;
use crate::text::TextRange;
use smol_str::SmolStr;
use tree_sitter::Node;

/// A `for` or `while` loop.
#[derive(Clone, Debug, Default)]
pub struct Loop {
    pub range: TextRange,
    /// The header: from `for`/`while` to the end of its first line.
    pub header: TextRange,
    pub is_while: bool,
    /// `for … in range(…)`: a counted loop (attempts).
    pub over_range: bool,
    /// `while True:` / `while 1:`.
    pub while_true: bool,
    pub enclosing: Option<u32>,
    /// A `break`, `return` or `raise` inside (not in a nested loop's scope for break).
    pub exits: bool,
    /// `except` handlers inside the loop (innermost loop only).
    pub handlers: u32,
    /// Of those, handlers with no `return`/`break`: the loop goes on (a retry).
    pub retrying_handlers: Vec<u32>,
    /// Indices into `calls` of `time.sleep` / `asyncio.sleep` calls inside.
    pub sleeps: Vec<u32>,
    /// The loop (or its condition) reads a clock: `time.time()`, `monotonic()`…
    pub clock: bool,
    /// An augmented assignment (`attempt += 1`) inside: a counter.
    pub counter: bool,
    /// Names (re)assigned inside the loop.
    pub assigned: Vec<SmolStr>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HandlerBody {
    Pass,
    Continue,
    Ellipsis,
    Other,
}

/// An `except` clause.
#[derive(Clone, Debug)]
pub struct Except {
    /// The whole clause, header and body.
    pub range: TextRange,
    /// `except …:` up to the colon.
    pub header: TextRange,
    pub enclosing: Option<u32>,
    /// The exception expression as written (`Exception`, `(A, B)`); `None` when bare.
    pub types: Option<SmolStr>,
    pub body: HandlerBody,
    /// A `raise` statement somewhere in the handler.
    pub reraises: bool,
    /// A `return` or `break` somewhere in the handler.
    pub exits: bool,
}

impl Except {
    /// Catches everything: bare, `Exception` or `BaseException` (also in a tuple).
    pub fn catches_all(&self) -> bool {
        match &self.types {
            None => true,
            Some(t) => t
                .split(|c: char| !(c.is_alphanumeric() || c == '_' || c == '.'))
                .any(|n| matches!(n, "Exception" | "BaseException" | "builtins.Exception")),
        }
    }

    pub fn is_bare_or_base(&self) -> bool {
        match &self.types {
            None => true,
            Some(t) => t
                .split(|c: char| !(c.is_alphanumeric() || c == '_' || c == '.'))
                .any(|n| n == "BaseException" || n == "builtins.BaseException"),
        }
    }
}

#[derive(Clone, Debug)]
pub struct Assert {
    pub range: TextRange,
    pub test: TextRange,
    pub msg: Option<TextRange>,
    pub enclosing: Option<u32>,
    pub single_line: bool,
}

/// `x == "literal"` (either side), for hard-coded secret checks.
#[derive(Clone, Debug)]
pub struct Comparison {
    /// The non-literal operand as written (`password`, `obj.password`).
    pub operand: SmolStr,
    pub literal: Box<str>,
    pub range: TextRange,
}

/// `target["key"] = "literal"`.
#[derive(Clone, Debug)]
pub struct KeyedAssignment {
    pub key: Box<str>,
    pub literal: Box<str>,
    pub range: TextRange,
}

/// Where a call sits; parallel to `Extraction::calls`.
#[derive(Clone, Copy, Debug, Default)]
pub struct CallCtx {
    /// The call is a whole expression statement: its result is thrown away.
    pub discarded: bool,
    /// The call is the operand of `await`.
    pub awaited: bool,
}

#[derive(Debug, Default)]
pub struct Structure {
    pub loops: Vec<Loop>,
    pub excepts: Vec<Except>,
    pub asserts: Vec<Assert>,
    pub comparisons: Vec<Comparison>,
    pub call_ctx: Vec<CallCtx>,
    /// `x["key"] = "literal"` assignments.
    pub keyed_assignments: Vec<KeyedAssignment>,
    /// Bodies of module-level `if __name__ == "__main__":` blocks.
    pub main_guards: Vec<TextRange>,
    loop_stack: Vec<(u32, u32)>,
    except_stack: Vec<(u32, u32)>,
    /// Span of the call that is a whole expression statement (set when the
    /// statement is visited, just before its call: no `parent()` walks, which
    /// cost O(depth) each in tree-sitter).
    discarded_call: Option<(usize, usize)>,
    /// Span of the call that is the operand of the `await` just visited.
    awaited_call: Option<(usize, usize)>,
}

/// What kind of structural node the walk met (summary.scm captures).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Loop,
    Except,
    Break,
    Return,
    Raise,
    AugAssign,
    Assert,
    Comparison,
    Statement,
    Await,
}

const SLEEPS: &[&str] = &["time.sleep", "asyncio.sleep", "trio.sleep", "anyio.sleep"];
const CLOCKS: &[&str] = &[
    "time.time",
    "time.monotonic",
    "time.perf_counter",
    "time.time_ns",
    "time.monotonic_ns",
    "datetime.datetime.now",
    "datetime.datetime.utcnow",
    "datetime.now",
    "datetime.utcnow",
];

fn range(node: Node) -> TextRange {
    TextRange::new(node.start_byte(), node.end_byte())
}

/// The first line of `node` up to its block's colon.
fn header(node: Node) -> TextRange {
    let end = node
        .child_by_field_id(crate::syntax::fields::BODY)
        .or_else(|| {
            let mut c = node.walk();
            let found = node
                .named_children(&mut c)
                .find(|n| kinds::name(n) == "block");
            found
        })
        .map_or(node.end_byte(), |b| b.start_byte());
    TextRange::new(node.start_byte(), end.max(node.start_byte()))
}

impl Structure {
    fn pop(&mut self, at: u32) {
        while self.loop_stack.last().is_some_and(|&(_, end)| at >= end) {
            self.loop_stack.pop();
        }
        while self.except_stack.last().is_some_and(|&(_, end)| at >= end) {
            self.except_stack.pop();
        }
    }

    /// Loops on the stack that belong to `def` (a nested function's statements
    /// do not exit or count for the loops around its definition).
    fn loops_in(&self, def: Option<u32>) -> impl Iterator<Item = u32> + '_ {
        self.loop_stack
            .iter()
            .rev()
            .map(|&(i, _)| i)
            .filter(move |&i| self.loops[i as usize].enclosing == def)
    }

    fn innermost_loop(&self, def: Option<u32>) -> Option<u32> {
        self.loop_stack
            .last()
            .map(|&(i, _)| i)
            .filter(|&i| self.loops[i as usize].enclosing == def)
    }

    /// A `return`/`break` inside the innermost handler: it leaves the loop.
    fn handler_exits(&mut self, def: Option<u32>) {
        if let Some(&(e, _)) = self.except_stack.last() {
            if self.excepts[e as usize].enclosing == def {
                self.excepts[e as usize].exits = true;
                for l in &mut self.loops {
                    l.retrying_handlers.retain(|&h| h != e);
                }
            }
        }
    }

    pub fn visit(&mut self, kind: Kind, node: Node, src: &str, def: Option<u32>) {
        self.pop(node.start_byte() as u32);
        match kind {
            Kind::Loop => {
                let is_while = kinds::name(node) == "while_statement";
                let while_true = is_while
                    && node
                        .child_by_field_id(crate::syntax::fields::CONDITION)
                        .is_some_and(|c| kinds::name(c) == "true" || node_text(c, src) == "1");
                let over_range = !is_while
                    && node
                        .child_by_field_id(crate::syntax::fields::RIGHT)
                        .filter(|r| kinds::name(r) == "call")
                        .and_then(|r| r.child_by_field_id(crate::syntax::fields::FUNCTION))
                        .is_some_and(|f| matches!(node_text(f, src), "range" | "xrange"));
                let idx = self.loops.len() as u32;
                self.loops.push(Loop {
                    range: range(node),
                    header: header(node),
                    is_while,
                    over_range,
                    while_true,
                    enclosing: def,
                    ..Loop::default()
                });
                self.loop_stack.push((idx, node.end_byte() as u32));
            }
            Kind::Except => {
                let idx = self.excepts.len() as u32;
                if let Some(l) = self.innermost_loop(def) {
                    self.loops[l as usize].handlers += 1;
                    self.loops[l as usize].retrying_handlers.push(idx);
                }
                let mut c = node.walk();
                let mut types = None;
                let mut body = HandlerBody::Other;
                for child in node.named_children(&mut c) {
                    match kinds::name(child) {
                        "block" => body = handler_body(child, src),
                        "comment" => {}
                        _ if types.is_none() => {
                            let t = match kinds::name(child) {
                                "as_pattern" => child.named_child(0).unwrap_or(child),
                                _ => child,
                            };
                            types = Some(super::value::truncate(node_text(t, src)));
                        }
                        _ => {}
                    }
                }
                self.excepts.push(Except {
                    range: range(node),
                    header: header(node),
                    enclosing: def,
                    types,
                    body,
                    reraises: false,
                    exits: false,
                });
                self.except_stack.push((idx, node.end_byte() as u32));
            }
            Kind::Break => {
                if let Some(l) = self.innermost_loop(def) {
                    self.loops[l as usize].exits = true;
                }
                self.handler_exits(def);
            }
            Kind::Return | Kind::Raise => {
                let loops: Vec<u32> = self.loops_in(def).collect();
                for l in loops {
                    self.loops[l as usize].exits = true;
                }
                if kind == Kind::Return {
                    self.handler_exits(def);
                }
                if kind == Kind::Raise {
                    if let Some(&(e, _)) = self.except_stack.last() {
                        if self.excepts[e as usize].enclosing == def {
                            self.excepts[e as usize].reraises = true;
                        }
                    }
                }
            }
            Kind::AugAssign => {
                let target = node
                    .child_by_field_id(crate::syntax::fields::LEFT)
                    .map(|l| SmolStr::new(node_text(l, src)));
                let loops: Vec<u32> = self.loops_in(def).collect();
                for l in loops {
                    let lp = &mut self.loops[l as usize];
                    lp.counter = true;
                    if let Some(t) = &target {
                        lp.assigned.push(t.clone());
                    }
                }
            }
            Kind::Assert => {
                let test = node.named_child(0).map(range).unwrap_or(range(node));
                let msg = node.named_child(1).map(range);
                let text = node_text(node, src);
                self.asserts.push(Assert {
                    range: range(node),
                    test,
                    msg,
                    enclosing: def,
                    single_line: !text.contains('\n'),
                });
            }
            Kind::Comparison => self.visit_comparison(node, src),
            Kind::Statement => {
                let Some(child) = node.named_child(0) else {
                    return;
                };
                let call = match kinds::name(child) {
                    "call" => Some(child),
                    "await" => child.named_child(0).filter(|c| kinds::name(c) == "call"),
                    _ => None,
                };
                self.discarded_call = call.map(|c| (c.start_byte(), c.end_byte()));
            }
            Kind::Await => {
                self.awaited_call = node
                    .named_child(0)
                    .filter(|c| kinds::name(c) == "call")
                    .map(|c| (c.start_byte(), c.end_byte()));
            }
        }
    }

    fn visit_comparison(&mut self, node: Node, src: &str) {
        if node.named_child_count() != 2 {
            return;
        }
        let (Some(a), Some(b)) = (node.named_child(0), node.named_child(1)) else {
            return;
        };
        let op = node.child(1).map(|o| node_text(o, src)).unwrap_or("");
        if !matches!(op, "==" | "!=" | "is" | "is not") {
            return;
        }
        let (operand, lit) = match (plain_string(a, src), plain_string(b, src)) {
            (None, Some(s)) => (a, s),
            (Some(s), None) => (b, s),
            _ => return,
        };
        if !matches!(
            kinds::name(operand),
            "identifier" | "attribute" | "subscript"
        ) {
            return;
        }
        self.comparisons.push(Comparison {
            operand: super::value::truncate(node_text(operand, src)),
            literal: lit.into(),
            range: range(node),
        });
    }

    /// Records the context of the call just extracted (`call` is its site).
    pub fn visit_call(&mut self, node: Node, call: &CallSite, call_idx: u32, def: Option<u32>) {
        self.pop(node.start_byte() as u32);
        let span = Some((node.start_byte(), node.end_byte()));
        let discarded = self.discarded_call == span;
        let awaited = self.awaited_call == span;
        self.call_ctx.push(CallCtx { discarded, awaited });
        let q = call.qualified.as_str();
        let sleep = SLEEPS.contains(&q);
        let clock = CLOCKS.contains(&q) || q.ends_with("loop.time");
        if sleep || clock {
            let loops: Vec<u32> = self.loops_in(def).collect();
            for l in loops {
                let lp = &mut self.loops[l as usize];
                if sleep {
                    lp.sleeps.push(call_idx);
                }
                lp.clock |= clock;
            }
        }
    }

    /// Records a simple assignment's target for the loops around it.
    pub fn visit_assignment(&mut self, node: Node, target: &SmolStr, def: Option<u32>) {
        self.pop(node.start_byte() as u32);
        let loops: Vec<u32> = self.loops_in(def).collect();
        for l in loops {
            self.loops[l as usize].assigned.push(target.clone());
        }
    }

    /// Records `x["key"] = "literal"` (plain string key and value).
    pub fn visit_keyed_assignment(&mut self, node: Node, left: Node, right: Node, src: &str) {
        if left.kind_id() != crate::syntax::kinds::SUBSCRIPT {
            return;
        }
        let key = left
            .child_by_field_id(crate::syntax::fields::SUBSCRIPT)
            .and_then(|k| plain_string(k, src));
        if let (Some(key), Some(lit)) = (key, plain_string(right, src)) {
            self.keyed_assignments.push(KeyedAssignment {
                key: key.into(),
                literal: lit.into(),
                range: range(node),
            });
        }
    }

    /// Drops the walk's transient state (stacks, pending call spans).
    pub fn finish(&mut self) {
        self.loop_stack = Vec::new();
        self.except_stack = Vec::new();
        self.discarded_call = None;
        self.awaited_call = None;
    }

    /// Module-level `if __name__ == "__main__":` bodies.
    pub fn collect_main_guards(&mut self, root: Node, src: &str) {
        let mut c = root.walk();
        for stmt in root.named_children(&mut c) {
            if kinds::name(stmt) != "if_statement" {
                continue;
            }
            let cond = stmt
                .child_by_field_id(crate::syntax::fields::CONDITION)
                .map(|n| node_text(n, src))
                .unwrap_or("");
            if cond.contains("__name__") && cond.contains("__main__") {
                self.main_guards.push(range(stmt));
            }
        }
    }

    /// Whether `offset` lies in a `__main__` guard.
    pub fn in_main_guard(&self, offset: u32) -> bool {
        self.main_guards.iter().any(|g| g.contains(offset))
    }

    /// The call context of call `idx` (default when unknown).
    pub fn ctx(&self, idx: usize) -> CallCtx {
        self.call_ctx.get(idx).copied().unwrap_or_default()
    }
}

fn handler_body(block: Node, src: &str) -> HandlerBody {
    let mut c = block.walk();
    let stmts: Vec<Node> = block
        .named_children(&mut c)
        .filter(|n| kinds::name(n) != "comment")
        .collect();
    if stmts.len() != 1 {
        return HandlerBody::Other;
    }
    match kinds::name(stmts[0]) {
        "pass_statement" => HandlerBody::Pass,
        "continue_statement" => HandlerBody::Continue,
        "expression_statement" if node_text(stmts[0], src).trim() == "..." => HandlerBody::Ellipsis,
        _ => HandlerBody::Other,
    }
}

/// The content of a string literal without interpolations.
fn plain_string<'a>(node: Node, src: &'a str) -> Option<&'a str> {
    if kinds::name(node) != "string" {
        return None;
    }
    let mut c = node.walk();
    let mut content = "";
    for ch in node.named_children(&mut c) {
        match kinds::name(ch) {
            "string_content" => content = node_text(ch, src),
            "string_start" | "string_end" => {}
            _ => return None,
        }
    }
    Some(content)
}

/// Capture index -> structural kind, from summary.scm's capture names (once).
pub fn kind_of(capture: u32) -> Option<Kind> {
    use std::sync::OnceLock;
    static TABLE: OnceLock<Vec<Option<Kind>>> = OnceLock::new();
    let table = TABLE.get_or_init(|| {
        crate::syntax::summary_query()
            .query
            .capture_names()
            .iter()
            .map(|name| match *name {
                "loop" => Some(Kind::Loop),
                "except" => Some(Kind::Except),
                "break" => Some(Kind::Break),
                "return" => Some(Kind::Return),
                "raise" => Some(Kind::Raise),
                "aug_assign" => Some(Kind::AugAssign),
                "assert" => Some(Kind::Assert),
                "comparison" => Some(Kind::Comparison),
                "statement" => Some(Kind::Statement),
                "await" => Some(Kind::Await),
                _ => None,
            })
            .collect()
    });
    table.get(capture as usize).copied().flatten()
}
