//! Static evaluation of expressions into [`Value`]s: the one definition of what
//! "constant" and "dynamic" mean for every rule.
//!
//! **Constant**: literals (strings, bytes, numbers incl. `0o755`/`0x1ff`,
//! booleans, `None`), lists and tuples of constants, module-level constants
//! (a module-level `NAME = <constant>` assigned once), names assigned a constant
//! earlier in the same function (simple intra-function assignment tracking:
//! the latest assignment before the use wins), and f-strings / `+` / `%` /
//! `.format()` / `.join()` whose parts are all constant.
//!
//! **Dynamic** (non-constant): everything else: parameters, calls, attributes,
//! subscripts, env reads (`os.environ[...]`, `os.getenv`), `sys.argv`,
//! `input()`, and any f-string / concatenation / format with a dynamic part.
//! A dynamic value carries the [`Taint`] sources it came from, propagated
//! through assignments, f-strings, concatenation, `%`/`.format`, wrapping calls
//! (`str(x)`, `os.path.join(...)`) and attribute/method access on a tainted
//! object (`resp.text`, `args.target`). `shlex.quote(x)` clears the taint.
//! Taint sources: `sys.argv` and `argparse` results (ARGV), `os.environ` /
//! `os.getenv` (ENV), `input()` / `sys.stdin` (INPUT), parameters (PARAM),
//! HTTP responses and `urlopen` (NETWORK).

use crate::syntax::{fields, kinds};
use serde::Serialize;
use smol_str::SmolStr;
use tree_sitter::Node;

/// Where a dynamic value may come from; a small bit set.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize)]
pub struct Taint(pub u8);

impl Taint {
    pub const ARGV: Taint = Taint(1);
    pub const ENV: Taint = Taint(2);
    pub const INPUT: Taint = Taint(4);
    pub const PARAM: Taint = Taint(8);
    pub const NETWORK: Taint = Taint(16);

    pub fn union(self, other: Taint) -> Taint {
        Taint(self.0 | other.0)
    }

    pub fn has(self, other: Taint) -> bool {
        self.0 & other.0 != 0
    }

    /// Tainted by user-controlled input (argv, environment, stdin).
    pub fn is_external(self) -> bool {
        self.has(Taint(Self::ARGV.0 | Self::ENV.0 | Self::INPUT.0))
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DynKind {
    Name,
    Param,
    Attribute,
    Call,
    FString,
    BinOp,
    Subscript,
    Other,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum Value {
    Str(Box<str>),
    Int(i64),
    Float(f64),
    Bool(bool),
    None,
    List(Box<[Value]>),
    /// Constant, but not worth representing (`60 * 5`, `"%s" % X`): its source text.
    ConstExpr(SmolStr),
    Dynamic {
        kind: DynKind,
        /// Source text, truncated to 80 bytes.
        text: SmolStr,
        taint: Taint,
    },
}

impl Value {
    pub fn is_constant(&self) -> bool {
        match self {
            Value::Dynamic { .. } => false,
            Value::List(items) => items.iter().all(Value::is_constant),
            _ => true,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }

    pub fn is_none(&self) -> bool {
        matches!(self, Value::None)
    }

    pub fn taint(&self) -> Taint {
        match self {
            Value::Dynamic { taint, .. } => *taint,
            Value::List(items) => items
                .iter()
                .fold(Taint::default(), |t, v| t.union(v.taint())),
            _ => Taint::default(),
        }
    }

    /// A short human rendering for messages and hovers.
    pub fn display(&self) -> String {
        match self {
            Value::Str(s) => format!("{s:?}"),
            Value::Int(i) => i.to_string(),
            Value::Float(f) => f.to_string(),
            Value::Bool(b) => if *b { "True" } else { "False" }.to_string(),
            Value::None => "None".to_string(),
            Value::List(items) => {
                let parts: Vec<String> = items.iter().map(Value::display).collect();
                format!("[{}]", parts.join(", "))
            }
            Value::ConstExpr(t) => t.to_string(),
            Value::Dynamic { text, .. } => text.to_string(),
        }
    }

    /// The value as a string when it is a constant string or a list of them
    /// joined by spaces (how a command line reads).
    pub fn command_text(&self) -> Option<String> {
        match self {
            Value::Str(s) => Some(s.to_string()),
            Value::List(items) => {
                let parts: Option<Vec<&str>> = items.iter().map(Value::as_str).collect();
                parts.map(|p| p.join(" "))
            }
            _ => None,
        }
    }

    pub fn heap_size(&self) -> usize {
        match self {
            Value::Str(s) => s.len(),
            Value::List(items) => {
                items.len() * std::mem::size_of::<Value>()
                    + items.iter().map(Value::heap_size).sum::<usize>()
            }
            Value::ConstExpr(t) | Value::Dynamic { text: t, .. } if t.is_heap_allocated() => {
                t.len()
            }
            _ => 0,
        }
    }
}

/// What the evaluator needs from its surroundings.
pub trait Scope {
    /// Value bound to `name` at byte offset `at`, if known (local constant,
    /// parameter, module constant).
    fn lookup(&self, name: &str, at: u32) -> Option<Value>;
    /// A dotted name read at byte offset `at`, resolved through imports
    /// (`sp.run` -> `subprocess.run`) and the objects bound before `at`
    /// (`s.get` -> `requests.Session.get`).
    fn qualify(&self, dotted: &str, at: u32) -> SmolStr;
}

const MAX_DEPTH: u32 = 48;
const MAX_TEXT: usize = 80;

pub fn truncate(text: &str) -> SmolStr {
    if text.len() <= MAX_TEXT {
        return SmolStr::new(text);
    }
    let mut end = MAX_TEXT;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    SmolStr::new(format!("{}…", &text[..end]))
}

pub fn eval(node: Node, src: &str, scope: &dyn Scope) -> Value {
    eval_depth(node, src, scope, 0)
}

fn dynamic(kind: DynKind, node: Node, src: &str, taint: Taint) -> Value {
    Value::Dynamic {
        kind,
        text: truncate(node_text(node, src)),
        taint,
    }
}

pub fn node_text<'a>(node: Node, src: &'a str) -> &'a str {
    src.get(node.byte_range()).unwrap_or("")
}

fn eval_depth(node: Node, src: &str, scope: &dyn Scope, depth: u32) -> Value {
    if depth > MAX_DEPTH {
        return dynamic(DynKind::Other, node, src, Taint::default());
    }
    let d = depth + 1;
    match node.kind_id() {
        kinds::STRING => eval_string(node, src, scope, d),
        kinds::CONCATENATED_STRING => {
            let mut out = String::new();
            let mut taint = Taint::default();
            let mut constant = true;
            let mut cursor = node.walk();
            for part in node.named_children(&mut cursor) {
                match eval_depth(part, src, scope, d) {
                    Value::Str(s) => out.push_str(&s),
                    other => {
                        constant &= other.is_constant();
                        taint = taint.union(other.taint());
                    }
                }
            }
            if constant {
                Value::Str(out.into())
            } else {
                dynamic(DynKind::FString, node, src, taint)
            }
        }
        kinds::INTEGER => parse_int(node_text(node, src))
            .map(Value::Int)
            .unwrap_or_else(|| Value::ConstExpr(truncate(node_text(node, src)))),
        kinds::FLOAT => node_text(node, src)
            .replace('_', "")
            .parse::<f64>()
            .map(Value::Float)
            .unwrap_or_else(|_| Value::ConstExpr(truncate(node_text(node, src)))),
        kinds::TRUE => Value::Bool(true),
        kinds::FALSE => Value::Bool(false),
        kinds::NONE => Value::None,
        kinds::PARENTHESIZED_EXPRESSION => match node.named_child(0) {
            Some(inner) => eval_depth(inner, src, scope, d),
            None => dynamic(DynKind::Other, node, src, Taint::default()),
        },
        kinds::LIST | kinds::TUPLE => {
            let mut cursor = node.walk();
            let items: Vec<Value> = node
                .named_children(&mut cursor)
                .filter(|c| c.kind_id() != kinds::COMMENT)
                .map(|c| eval_depth(c, src, scope, d))
                .collect();
            Value::List(items.into_boxed_slice())
        }
        kinds::IDENTIFIER => scope
            .lookup(node_text(node, src), node.start_byte() as u32)
            .unwrap_or_else(|| dynamic(DynKind::Name, node, src, Taint::default())),
        kinds::UNARY_OPERATOR => {
            let arg = node.child_by_field_id(fields::ARGUMENT);
            match arg.map(|a| eval_depth(a, src, scope, d)) {
                Some(Value::Int(i)) if node_text(node, src).starts_with('-') => Value::Int(-i),
                Some(v) if v.is_constant() => Value::ConstExpr(truncate(node_text(node, src))),
                Some(v) => dynamic(DynKind::BinOp, node, src, v.taint()),
                None => dynamic(DynKind::Other, node, src, Taint::default()),
            }
        }
        kinds::BINARY_OPERATOR => eval_binop(node, src, scope, d),
        kinds::CALL => eval_call(node, src, scope, d),
        kinds::SUBSCRIPT => {
            let value = node.child_by_field_id(fields::VALUE);
            let base = value.map(|v| scope.qualify(&dotted_text(v, src), v.start_byte() as u32));
            let taint = match base.as_deref() {
                Some("sys.argv") => Taint::ARGV,
                Some("os.environ") => Taint::ENV,
                _ => value
                    .map(|v| eval_depth(v, src, scope, d).taint())
                    .unwrap_or_default(),
            };
            dynamic(DynKind::Subscript, node, src, taint)
        }
        kinds::ATTRIBUTE => {
            let q = scope.qualify(&dotted_text(node, src), node.start_byte() as u32);
            let taint = if q == "sys.argv" {
                Taint::ARGV
            } else if q == "os.environ" {
                Taint::ENV
            } else {
                fields::outer(node, fields::OBJECT, fields::ATTRIBUTE)
                    .0
                    .map(|o| match o.kind_id() {
                        kinds::IDENTIFIER => scope
                            .lookup(node_text(o, src), o.start_byte() as u32)
                            .map(|v| v.taint())
                            .unwrap_or_default(),
                        kinds::CALL | kinds::ATTRIBUTE | kinds::SUBSCRIPT => {
                            eval_depth(o, src, scope, d).taint()
                        }
                        _ => Taint::default(),
                    })
                    .unwrap_or_default()
            };
            dynamic(DynKind::Attribute, node, src, taint)
        }
        _ => dynamic(DynKind::Other, node, src, Taint::default()),
    }
}

fn eval_string(node: Node, src: &str, scope: &dyn Scope, d: u32) -> Value {
    let mut out = String::new();
    let mut taint = Taint::default();
    let mut constant = true;
    let mut cursor = node.walk();
    for child in node.named_children(&mut cursor) {
        match child.kind_id() {
            kinds::STRING_CONTENT | kinds::ESCAPE_SEQUENCE => out.push_str(node_text(child, src)),
            kinds::INTERPOLATION => {
                let v = child
                    .child_by_field_id(fields::EXPRESSION)
                    .map(|e| eval_depth(e, src, scope, d));
                match v {
                    Some(Value::Str(s)) => out.push_str(&s),
                    Some(v) if v.is_constant() => out.push_str(&v.display()),
                    Some(v) => {
                        constant = false;
                        taint = taint.union(v.taint());
                    }
                    None => constant = false,
                }
            }
            _ => {}
        }
    }
    if constant {
        Value::Str(out.into())
    } else {
        dynamic(DynKind::FString, node, src, taint)
    }
}

fn eval_binop(node: Node, src: &str, scope: &dyn Scope, d: u32) -> Value {
    let (left, right) = fields::outer(node, fields::LEFT, fields::RIGHT);
    let left = left.map(|n| eval_depth(n, src, scope, d));
    let right = right.map(|n| eval_depth(n, src, scope, d));
    let op = node
        .child_by_field_id(fields::OPERATOR)
        .map(|o| node_text(o, src))
        .unwrap_or("");
    match (left, right) {
        (Some(Value::Str(a)), Some(Value::Str(b))) if op == "+" => {
            Value::Str(format!("{a}{b}").into())
        }
        (Some(Value::Int(a)), Some(Value::Int(b))) if op == "*" => a
            .checked_mul(b)
            .map(Value::Int)
            .unwrap_or_else(|| Value::ConstExpr(truncate(node_text(node, src)))),
        (Some(Value::Int(a)), Some(Value::Int(b))) if op == "+" => a
            .checked_add(b)
            .map(Value::Int)
            .unwrap_or_else(|| Value::ConstExpr(truncate(node_text(node, src)))),
        (Some(l), Some(r)) if l.is_constant() && r.is_constant() => {
            Value::ConstExpr(truncate(node_text(node, src)))
        }
        (l, r) => {
            let taint = l
                .map(|v| v.taint())
                .unwrap_or_default()
                .union(r.map(|v| v.taint()).unwrap_or_default());
            dynamic(DynKind::BinOp, node, src, taint)
        }
    }
}

fn eval_call(node: Node, src: &str, scope: &dyn Scope, d: u32) -> Value {
    let (func, args) = fields::outer(node, fields::FUNCTION, fields::ARGUMENTS);
    let Some(func) = func else {
        return dynamic(DynKind::Call, node, src, Taint::default());
    };
    // "...".format(CONST) and "sep".join([CONST, ...]) stay constant.
    let (object, method) = if func.kind_id() == kinds::ATTRIBUTE {
        fields::outer(func, fields::OBJECT, fields::ATTRIBUTE)
    } else {
        (None, None)
    };
    if object.is_some() {
        let method = method.map(|a| node_text(a, src)).unwrap_or("");
        if matches!(method, "format" | "join" | "strip" | "lower" | "upper") {
            if let Some(obj) = object {
                let base = eval_depth(obj, src, scope, d);
                let mut taint = base.taint();
                let mut constant = base.is_constant();
                if let Some(args) = args {
                    let mut cursor = args.walk();
                    for a in args.named_children(&mut cursor) {
                        let v = match a.kind_id() {
                            kinds::KEYWORD_ARGUMENT => {
                                fields::outer(a, fields::NAME, fields::VALUE)
                                    .1
                                    .map(|v| eval_depth(v, src, scope, d))
                            }
                            _ => Some(eval_depth(a, src, scope, d)),
                        };
                        if let Some(v) = v {
                            constant &= v.is_constant();
                            taint = taint.union(v.taint());
                        }
                    }
                }
                if constant {
                    return Value::ConstExpr(truncate(node_text(node, src)));
                }
                return dynamic(DynKind::Call, node, src, taint);
            }
        }
    }
    let q = scope.qualify(&dotted_text(func, src), func.start_byte() as u32);
    let taint = match q.as_str() {
        "os.getenv" | "os.environ.get" | "os.environ.setdefault" | "os.getenvb" => Taint::ENV,
        "input" | "raw_input" | "sys.stdin.read" | "sys.stdin.readline" => Taint::INPUT,
        _ if is_network_read(&q) => Taint::NETWORK,
        _ if q.ends_with(".parse_args") || q.ends_with(".parse_known_args") => Taint::ARGV,
        _ => {
            // str(x), shlex.quote(x), os.path.join(...) pass their argument's taint on.
            let mut t = Taint::default();
            if let Some(args) = args {
                let mut cursor = args.walk();
                for a in args.named_children(&mut cursor).take(8) {
                    if a.kind_id() != kinds::KEYWORD_ARGUMENT {
                        t = t.union(eval_depth(a, src, scope, d).taint());
                    }
                }
            }
            // Methods on a tainted object (`resp.read()`, `r.json()`) keep its taint.
            if let Some(obj) = object {
                if matches!(
                    obj.kind_id(),
                    kinds::IDENTIFIER | kinds::CALL | kinds::ATTRIBUTE
                ) {
                    t = t.union(eval_depth(obj, src, scope, d).taint());
                }
            }
            if q == "shlex.quote" || q == "shlex.join" {
                Taint::default()
            } else {
                t
            }
        }
    };
    dynamic(DynKind::Call, node, src, taint)
}

/// Python integer literal text (`1_000`, `0o755`, `0x1FF`, `0b11`, legacy `0755`).
fn parse_int(text: &str) -> Option<i64> {
    // the common case, `0` or `42`, without the copies below
    if text.len() < 19
        && text.bytes().all(|b| b.is_ascii_digit())
        && (text.len() == 1 || !text.starts_with('0'))
    {
        return text.parse().ok();
    }
    let t = text.replace('_', "");
    let t = t.trim_end_matches(['l', 'L']);
    let lower = t.to_ascii_lowercase();
    let (digits, radix) = if let Some(r) = lower.strip_prefix("0o") {
        (r, 8)
    } else if let Some(r) = lower.strip_prefix("0x") {
        (r, 16)
    } else if let Some(r) = lower.strip_prefix("0b") {
        (r, 2)
    } else if lower.len() > 1 && lower.starts_with('0') {
        (&lower[1..], 8)
    } else {
        (lower.as_str(), 10)
    };
    i64::from_str_radix(digits, radix).ok()
}

/// Calls whose result is data read from the network.
pub fn is_network_read(q: &str) -> bool {
    matches!(
        q,
        "urllib.request.urlopen" | "urllib2.urlopen" | "urllib.urlopen" | "urllib3.request"
    ) || q.ends_with("PoolManager.request")
        || super::effects::http_call(q).is_some()
}

/// `a.b.c` -> (`a.b`, `c`), as `str::rsplit_once('.')` but by a plain byte
/// loop: on the short dotted names it gets (every call site's, several
/// times: HTTP, logging and status checks) the generic char searcher costs
/// several times more.
pub fn split_last_dot(dotted: &str) -> Option<(&str, &str)> {
    // `.` is ASCII, so both sides are on char boundaries
    let i = dotted.bytes().rposition(|b| b == b'.')?;
    Some((&dotted[..i], &dotted[i + 1..]))
}

/// `a.b.c` -> `c`; a name without a dot is its own last segment.
pub fn last_segment(dotted: &str) -> &str {
    split_last_dot(dotted).map_or(dotted, |(_, last)| last)
}

/// `a.b.c` for identifier/attribute chains; for other receivers the text with
/// calls collapsed (`boto3.client(...).get` -> `boto3.client().get`).
pub fn dotted_text<'s>(node: Node, src: &'s str) -> std::borrow::Cow<'s, str> {
    // Fast path: a plain `a.b.c` chain is its own source text.
    if matches!(node.kind_id(), kinds::IDENTIFIER | kinds::ATTRIBUTE) {
        let text = node_text(node, src);
        if is_plain_dotted(text) {
            return std::borrow::Cow::Borrowed(text);
        }
    }
    std::borrow::Cow::Owned(dotted_slow(node, src))
}

/// `a.b.c`: non-empty identifier segments of ASCII letters, digits and `_`
/// (none starting with a digit), not headed by `True`, `False` or `None`.
/// One pass over the bytes (this runs for every callee and attribute).
fn is_plain_dotted(text: &str) -> bool {
    let mut head_end = None;
    let mut segment_start = true;
    for (i, b) in text.bytes().enumerate() {
        match b {
            b'.' if segment_start => return false,
            b'.' => {
                head_end.get_or_insert(i);
                segment_start = true;
            }
            b'0'..=b'9' if segment_start && i == 0 => return false,
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'_' => segment_start = false,
            _ => return false,
        }
    }
    !segment_start
        && !matches!(
            &text[..head_end.unwrap_or(text.len())],
            "True" | "False" | "None"
        )
}

fn dotted_slow(node: Node, src: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    let mut cur = node;
    let mut depth = 0;
    loop {
        depth += 1;
        if depth > MAX_DEPTH {
            return node_text(node, src).to_string();
        }
        match cur.kind_id() {
            kinds::IDENTIFIER => {
                parts.push(node_text(cur, src));
                break;
            }
            kinds::ATTRIBUTE => {
                let (obj, attr) = fields::outer(cur, fields::OBJECT, fields::ATTRIBUTE);
                if let Some(attr) = attr {
                    parts.push(node_text(attr, src));
                }
                match obj {
                    Some(obj) => cur = obj,
                    None => break,
                }
            }
            kinds::CALL => {
                parts.push("()");
                match fields::outer(cur, fields::FUNCTION, fields::ARGUMENTS).0 {
                    Some(f) => cur = f,
                    None => break,
                }
            }
            _ => {
                parts.push("?");
                break;
            }
        }
    }
    let mut out = String::new();
    for p in parts.iter().rev() {
        if *p == "()" {
            out.push_str("()");
        } else {
            if !out.is_empty() {
                out.push('.');
            }
            out.push_str(p);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dotted_names_split_like_rsplit_once() {
        for s in [
            "a.b.c",
            "a",
            "",
            ".",
            "a.",
            ".b",
            "é.ü.名",
            "requests.Session.get",
        ] {
            assert_eq!(split_last_dot(s), s.rsplit_once('.'), "{s:?}");
            assert_eq!(Some(last_segment(s)), s.rsplit('.').next(), "{s:?}");
        }
    }

    #[test]
    fn integer_literals() {
        for (text, want) in [
            ("0", Some(0)),
            ("42", Some(42)),
            ("007", Some(7)),
            ("0755", Some(0o755)),
            ("1_000", Some(1000)),
            ("0x1F", Some(31)),
            ("0o17", Some(15)),
            ("0b11", Some(3)),
            ("10L", Some(10)),
            ("123456789012345678", Some(123_456_789_012_345_678)),
            ("9223372036854775807", Some(i64::MAX)),
            ("99999999999999999999", None),
            ("", None),
        ] {
            assert_eq!(parse_int(text), want, "{text:?}");
        }
    }

    #[test]
    fn plain_dotted_names() {
        let spelled_out = |t: &str| {
            let head = t.split('.').next().unwrap_or("");
            t.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'.')
                && !t.starts_with(|c: char| c.is_ascii_digit())
                && !matches!(head, "True" | "False" | "None" | "")
                && !t.ends_with('.')
                && !t.contains("..")
        };
        for t in [
            "a", "a.b.c", "_x.y_1", "", ".", "a.", ".a", "a..b", "1a", "a.1", "True", "True.x",
            "x.True", "Nonex", "None", "False.y", "a b", "a(b)", "é", "a.é", "A9._", "__",
        ] {
            assert_eq!(is_plain_dotted(t), spelled_out(t), "{t:?}");
        }
    }
}
