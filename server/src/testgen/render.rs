//! Turning the code's own expressions into test code: a parameter becomes the
//! test's local of the same name, a local or `self.x` its (rendered) value, an
//! env read the value the test sets, a module constant its literal. Anything
//! that depends on runtime state renders to `None` (the caller uses `mock.ANY`).

use std::collections::{BTreeSet, HashMap};
use tree_sitter::Node;

/// Pure callables whose result the test can recompute.
const PURE_CALLS: &[&str] = &[
    "str",
    "int",
    "float",
    "len",
    "sorted",
    "tuple",
    "list",
    "os.path.basename",
    "os.path.dirname",
    "os.path.join",
];

/// String methods that are deterministic on a rendered receiver.
const STR_METHODS: &[&str] = &[
    "lower",
    "upper",
    "strip",
    "lstrip",
    "rstrip",
    "replace",
    "split",
    "format",
    "join",
    "startswith",
    "endswith",
    "title",
];

/// Nodes rebuilt from their rendered children.
const COMPOSITE: &[&str] = &[
    "list",
    "tuple",
    "dictionary",
    "pair",
    "parenthesized_expression",
    "binary_operator",
    "unary_operator",
    "boolean_operator",
    "comparison_operator",
    "not_operator",
    "expression_list",
    "keyword_argument",
    "argument_list",
    "subscript",
    "conditional_expression",
    "concatenated_string",
];

const LEAVES: &[&str] = &[
    "integer",
    "float",
    "true",
    "false",
    "none",
    "string_start",
    "string_content",
    "string_end",
    "escape_sequence",
    "format_specifier",
    "type_conversion",
    "comment",
];

/// What names mean in the test.
#[derive(Default)]
pub struct Env {
    /// name (or `self.attr`) -> Python text valid in the test
    pub names: HashMap<String, String>,
    /// env var -> value the test sets
    pub env_vars: HashMap<String, String>,
    /// imports the rendered text needs (`os`, `json`)
    pub needs: std::cell::RefCell<BTreeSet<&'static str>>,
}

pub struct Renderer<'a> {
    pub src: &'a str,
    pub env: &'a Env,
}

pub fn py_str(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

impl<'a> Renderer<'a> {
    fn text(&self, n: Node) -> &'a str {
        self.src.get(n.byte_range()).unwrap_or("")
    }

    pub fn render(&self, n: Node) -> Option<String> {
        let out = self.render_depth(n, 0)?;
        if !out.contains('\n') || out.contains("\"\"\"") || out.contains("\'\'\'") {
            return Some(out);
        }
        // one line: the code's own layout means nothing in an assertion
        let joined = out.lines().map(str::trim).collect::<Vec<_>>().join(" ");
        Some(
            joined
                .replace("( ", "(")
                .replace("[ ", "[")
                .replace("{ ", "{")
                .replace(", )", ")")
                .replace(", ]", "]")
                .replace(", }", "}"),
        )
    }

    fn render_depth(&self, n: Node, depth: u32) -> Option<String> {
        if depth > 24 {
            return None;
        }
        let kind = n.kind();
        if LEAVES.contains(&kind) {
            return Some(self.text(n).to_string());
        }
        match kind {
            "identifier" => self.env.names.get(self.text(n)).cloned(),
            "attribute" => {
                let t = self.text(n);
                if let Some(v) = self.env.names.get(t) {
                    return Some(v.clone());
                }
                None
            }
            "call" => self.render_call(n, depth),
            "subscript" if self.is_environ(n) => {
                let key = n.child_by_field_id(crate::syntax::fields::SUBSCRIPT)?;
                let name = string_literal(key, self.src)?;
                self.env.env_vars.get(&name).map(|v| py_str(v))
            }
            "string" => self.rebuild(n, depth, true),
            "interpolation" => {
                let inner = self.rebuild(n, depth, false)?;
                Some(inner)
            }
            k if COMPOSITE.contains(&k) => self.rebuild(n, depth, false),
            _ => None,
        }
    }

    fn is_environ(&self, n: Node) -> bool {
        n.child_by_field_id(crate::syntax::fields::VALUE)
            .is_some_and(|v| self.text(v) == "os.environ")
    }

    /// The node's text with every named child replaced by its rendering.
    fn rebuild(&self, n: Node, depth: u32, in_string: bool) -> Option<String> {
        let mut out = String::new();
        let mut at = n.start_byte();
        let mut c = n.walk();
        for child in n.named_children(&mut c) {
            if n.kind() == "keyword_argument"
                && n.child_by_field_id(crate::syntax::fields::NAME) == Some(child)
            {
                continue;
            }
            if n.kind() == "pair" && child.kind() == "comment" {
                continue;
            }
            out.push_str(self.src.get(at..child.start_byte())?);
            let r = self.render_depth(child, depth + 1)?;
            if in_string && child.kind() == "interpolation" && (r.contains('"') || r.contains('\''))
            {
                return None; // would clash with the f-string's quotes
            }
            out.push_str(&r);
            at = child.end_byte();
        }
        out.push_str(self.src.get(at..n.end_byte())?);
        Some(out)
    }

    fn render_call(&self, n: Node, depth: u32) -> Option<String> {
        let func = n.child_by_field_id(crate::syntax::fields::FUNCTION)?;
        let args = n.child_by_field_id(crate::syntax::fields::ARGUMENTS)?;
        let callee = self.text(func);
        if let Some(v) = self.env_read(callee, args) {
            return Some(v);
        }
        if PURE_CALLS.contains(&callee) {
            if callee.starts_with("os.") {
                self.env.needs.borrow_mut().insert("os");
            }
            return Some(format!("{callee}{}", self.render_depth(args, depth + 1)?));
        }
        if func.kind() == "attribute" {
            let method = func
                .child_by_field_id(crate::syntax::fields::ATTRIBUTE)
                .map(|a| self.text(a))?;
            let object = func.child_by_field_id(crate::syntax::fields::OBJECT)?;
            if STR_METHODS.contains(&method) {
                let obj = self.render_depth(object, depth + 1)?;
                let obj = if object.kind() == "identifier" || object.kind() == "string" {
                    obj
                } else {
                    format!("({obj})")
                };
                return Some(format!(
                    "{obj}.{method}{}",
                    self.render_depth(args, depth + 1)?
                ));
            }
        }
        None
    }

    /// `os.environ.get("X", d)` / `os.getenv("X", d)`: the value the test sets.
    fn env_read(&self, callee: &str, args: Node) -> Option<String> {
        if !matches!(callee, "os.environ.get" | "os.getenv") {
            return None;
        }
        let first = args.named_child(0)?;
        let name = string_literal(first, self.src)?;
        self.env.env_vars.get(&name).map(|v| py_str(v))
    }
}

/// The value of a plain string literal (no interpolation, no prefix tricks).
pub fn string_literal(n: Node, src: &str) -> Option<String> {
    if n.kind() != "string" {
        return None;
    }
    let mut c = n.walk();
    let mut out = String::new();
    for child in n.named_children(&mut c) {
        match child.kind() {
            "string_start" => {
                let t = src.get(child.byte_range())?;
                if t.contains(['f', 'F', 'b', 'B', 'r', 'R']) {
                    return None;
                }
            }
            "string_content" => out.push_str(src.get(child.byte_range())?),
            "escape_sequence" => match src.get(child.byte_range())? {
                "\\n" => out.push('\n'),
                "\\t" => out.push('\t'),
                "\\\\" => out.push('\\'),
                "\\\"" => out.push('"'),
                "\\'" => out.push('\''),
                _ => return None,
            },
            "string_end" => {}
            _ => return None,
        }
    }
    Some(out)
}
