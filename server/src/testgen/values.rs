//! Concrete sample values for parameters, and a small evaluator for guard
//! conditions (`env not in ENVIRONMENTS`, `port < 1 or port > 65535`,
//! `not version.startswith("v")`) over them.

use super::render::{py_str, string_literal};
use crate::index::{Param, Value};
use std::collections::HashMap;
use tree_sitter::Node;

#[derive(Clone, Debug, PartialEq)]
pub enum PyVal {
    Str(String),
    Int(i64),
    Float(f64),
    Bool(bool),
    None,
    List(Vec<PyVal>),
    Dict(Vec<(String, PyVal)>),
    /// A value the test builds (`str(tmp_path / "out.json")`): known text,
    /// unknown value.
    Expr(String),
}

impl PyVal {
    pub fn python(&self) -> String {
        match self {
            PyVal::Str(s) => py_str(s),
            PyVal::Int(i) => i.to_string(),
            PyVal::Float(f) => format!("{f:?}"),
            PyVal::Bool(true) => "True".into(),
            PyVal::Bool(false) => "False".into(),
            PyVal::None => "None".into(),
            PyVal::List(items) => format!(
                "[{}]",
                items
                    .iter()
                    .map(PyVal::python)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            PyVal::Dict(items) => format!(
                "{{{}}}",
                items
                    .iter()
                    .map(|(k, v)| format!("{}: {}", py_str(k), v.python()))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            PyVal::Expr(e) => e.clone(),
        }
    }

    pub fn truthy(&self) -> Option<bool> {
        Some(match self {
            PyVal::Str(s) => !s.is_empty(),
            PyVal::Int(i) => *i != 0,
            PyVal::Float(f) => *f != 0.0,
            PyVal::Bool(b) => *b,
            PyVal::None => false,
            PyVal::List(l) => !l.is_empty(),
            PyVal::Dict(d) => !d.is_empty(),
            PyVal::Expr(_) => return None,
        })
    }

    pub fn from_value(v: &Value) -> Option<PyVal> {
        Some(match v {
            Value::Str(s) => PyVal::Str(s.to_string()),
            Value::Int(i) => PyVal::Int(*i),
            Value::Float(f) => PyVal::Float(*f),
            Value::Bool(b) => PyVal::Bool(*b),
            Value::None => PyVal::None,
            Value::List(items) => {
                PyVal::List(items.iter().map(PyVal::from_value).collect::<Option<_>>()?)
            }
            _ => return None,
        })
    }

    /// A literal as written in source (a default value).
    pub fn from_literal(text: &str) -> Option<PyVal> {
        let t = text.trim();
        match t {
            "None" => return Some(PyVal::None),
            "True" => return Some(PyVal::Bool(true)),
            "False" => return Some(PyVal::Bool(false)),
            "[]" => return Some(PyVal::List(Vec::new())),
            "{}" => return Some(PyVal::Dict(Vec::new())),
            _ => {}
        }
        if let Ok(i) = t.parse::<i64>() {
            return Some(PyVal::Int(i));
        }
        if let Ok(f) = t.parse::<f64>() {
            return Some(PyVal::Float(f));
        }
        let quoted = |q: char| t.len() >= 2 && t.starts_with(q) && t.ends_with(q);
        if (quoted('"') || quoted('\'')) && !t[1..t.len() - 1].contains(['\\', '"', '\'']) {
            return Some(PyVal::Str(t[1..t.len() - 1].to_string()));
        }
        None
    }
}

/// The annotation without `Optional[...]` / `| None`.
fn base_type(annotation: &str) -> &str {
    let a = annotation.trim();
    if let Some(inner) = a
        .strip_prefix("Optional[")
        .or_else(|| a.strip_prefix("typing.Optional["))
        .and_then(|r| r.strip_suffix(']'))
    {
        return inner.trim();
    }
    if let Some((l, r)) = a.split_once('|') {
        if r.trim() == "None" {
            return l.trim();
        }
        if l.trim() == "None" {
            return r.trim();
        }
    }
    a
}

fn is_path_name(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    [
        "path",
        "file",
        "src",
        "dst",
        "source",
        "destination",
        "fname",
        "folder",
        "directory",
        "filename",
        "dest",
        "output",
        "outfile",
        "target_dir",
        "dir",
    ]
    .iter()
    .any(|p| n == *p || n.ends_with(&format!("_{p}")) || n.starts_with(&format!("{p}_")))
}

/// A sample value for a parameter, from its annotation, then its name.
/// Returns the value and whether it needs `tmp_path`.
pub fn sample(p: &Param) -> (PyVal, bool) {
    let name = p.name.as_str();
    let ann = p.annotation.as_deref().map(base_type).unwrap_or("");
    let lower = name.to_ascii_lowercase();
    let tmp = |as_str: bool| {
        let e = format!("tmp_path / {}", py_str(name));
        (
            PyVal::Expr(if as_str { format!("str({e})") } else { e }),
            true,
        )
    };
    match ann {
        "Path" | "pathlib.Path" | "os.PathLike" => return tmp(false),
        "int" => {
            return (
                PyVal::Int(if lower.contains("port") { 8080 } else { 3 }),
                false,
            )
        }
        "float" => return (PyVal::Float(1.5), false),
        "bool" => return (PyVal::Bool(false), false),
        "bytes" => return (PyVal::Expr("b\"data\"".into()), false),
        _ => {}
    }
    if ann.starts_with("list") || ann.starts_with("List") || ann.starts_with("Sequence") {
        let inner = if ann.contains("int") {
            PyVal::Int(1)
        } else {
            PyVal::Str(format!("{name}-1"))
        };
        return (PyVal::List(vec![inner]), false);
    }
    if ann.starts_with("dict") || ann.starts_with("Dict") || ann.starts_with("Mapping") {
        return (
            PyVal::Dict(vec![("key".into(), PyVal::Str("value".into()))]),
            false,
        );
    }
    if is_path_name(name) {
        return tmp(ann != "Path");
    }
    if ann.is_empty()
        && [
            "count", "retries", "timeout", "attempts", "port", "limit", "size",
        ]
        .iter()
        .any(|w| lower.contains(w))
    {
        return (PyVal::Int(3), false);
    }
    if lower.contains("url") || lower.contains("endpoint") {
        return (PyVal::Str(format!("https://example.test/{name}")), false);
    }
    (
        PyVal::Str(format!("test-{}", name.replace('_', "-"))),
        false,
    )
}

/// A value for an environment variable read by the code.
pub fn env_sample(var: &str, default: Option<&str>) -> String {
    let lower = var.to_ascii_lowercase();
    if let Some(d) = default {
        if let Ok(i) = d.parse::<i64>() {
            return (i + 2).to_string();
        }
        if matches!(d, "true" | "false" | "True" | "False" | "0" | "1") {
            return if d.eq_ignore_ascii_case("true") || d == "1" {
                "false".into()
            } else {
                "true".into()
            };
        }
    }
    if [
        "port", "retries", "timeout", "count", "max_", "limit", "size", "workers",
    ]
    .iter()
    .any(|w| lower.contains(w))
    {
        return "5".into();
    }
    if lower.contains("url") || lower.contains("endpoint") {
        return format!("https://example.test/{}", lower.replace('_', "-"));
    }
    format!("test-{}", lower.replace('_', "-"))
}

/// Evaluates a condition over known parameter values; `None` when it depends
/// on anything else.
pub struct Eval<'a> {
    pub src: &'a str,
    pub vals: &'a HashMap<String, PyVal>,
    pub constants: &'a HashMap<String, PyVal>,
}

impl Eval<'_> {
    pub fn eval(&self, n: Node) -> Option<PyVal> {
        let text = self.src.get(n.byte_range())?;
        match n.kind() {
            "identifier" => self
                .vals
                .get(text)
                .or_else(|| self.constants.get(text))
                .cloned()
                .filter(|v| !matches!(v, PyVal::Expr(_))),
            "integer" | "float" | "true" | "false" | "none" => PyVal::from_literal(text),
            "string" => string_literal(n, self.src).map(PyVal::Str),
            "unary_operator" => {
                match self.eval(n.child_by_field_id(crate::syntax::fields::ARGUMENT)?)? {
                    PyVal::Int(i) if text.starts_with('-') => Some(PyVal::Int(-i)),
                    _ => None,
                }
            }
            "parenthesized_expression" => self.eval(n.named_child(0)?),
            "tuple" | "list" => {
                let mut c = n.walk();
                let items: Option<Vec<PyVal>> =
                    n.named_children(&mut c).map(|x| self.eval(x)).collect();
                Some(PyVal::List(items?))
            }
            "not_operator" => Some(PyVal::Bool(
                !self
                    .eval(n.child_by_field_id(crate::syntax::fields::ARGUMENT)?)?
                    .truthy()?,
            )),
            "boolean_operator" => {
                let l = self.eval(n.child_by_field_id(crate::syntax::fields::LEFT)?)?;
                let op = n.child_by_field_id(crate::syntax::fields::OPERATOR)?.kind();
                let lt = l.truthy()?;
                match (op, lt) {
                    ("and", false) | ("or", true) => Some(l),
                    _ => self.eval(n.child_by_field_id(crate::syntax::fields::RIGHT)?),
                }
            }
            "comparison_operator" => self.compare(n),
            "call" => self.call(n),
            _ => None,
        }
    }

    fn call(&self, n: Node) -> Option<PyVal> {
        let func = n.child_by_field_id(crate::syntax::fields::FUNCTION)?;
        let args = n.child_by_field_id(crate::syntax::fields::ARGUMENTS)?;
        let first = args.named_child(0);
        if func.kind() == "identifier" && self.src.get(func.byte_range())? == "len" {
            return match self.eval(first?)? {
                PyVal::Str(s) => Some(PyVal::Int(s.chars().count() as i64)),
                PyVal::List(l) => Some(PyVal::Int(l.len() as i64)),
                _ => None,
            };
        }
        if func.kind() != "attribute" {
            return None;
        }
        let method = self.src.get(
            func.child_by_field_id(crate::syntax::fields::ATTRIBUTE)?
                .byte_range(),
        )?;
        let PyVal::Str(recv) = self.eval(func.child_by_field_id(crate::syntax::fields::OBJECT)?)?
        else {
            return None;
        };
        let arg = match self.eval(first?)? {
            PyVal::Str(s) => vec![s],
            PyVal::List(items) => items
                .into_iter()
                .map(|i| match i {
                    PyVal::Str(s) => Some(s),
                    _ => None,
                })
                .collect::<Option<Vec<_>>>()?,
            _ => return None,
        };
        match method {
            "startswith" => Some(PyVal::Bool(
                arg.iter().any(|a| recv.starts_with(a.as_str())),
            )),
            "endswith" => Some(PyVal::Bool(arg.iter().any(|a| recv.ends_with(a.as_str())))),
            _ => None,
        }
    }

    fn compare(&self, n: Node) -> Option<PyVal> {
        let mut c = n.walk();
        let operands: Vec<Node> = n.named_children(&mut c).collect();
        let mut c2 = n.walk();
        let ops: Vec<&str> = n
            .children_by_field_name("operators", &mut c2)
            .map(|o| o.kind())
            .collect();
        if operands.len() != ops.len() + 1 {
            return None;
        }
        let mut left = self.eval(operands[0])?;
        for (i, op) in ops.iter().enumerate() {
            let right = self.eval(operands[i + 1])?;
            if !compare_pair(&left, op, &right)? {
                return Some(PyVal::Bool(false));
            }
            left = right;
        }
        Some(PyVal::Bool(true))
    }
}

fn num(v: &PyVal) -> Option<f64> {
    match v {
        PyVal::Int(i) => Some(*i as f64),
        PyVal::Float(f) => Some(*f),
        PyVal::Bool(b) => Some(f64::from(u8::from(*b))),
        _ => None,
    }
}

fn compare_pair(l: &PyVal, op: &str, r: &PyVal) -> Option<bool> {
    let contains = |hay: &PyVal| -> Option<bool> {
        match hay {
            PyVal::List(items) => Some(items.contains(l)),
            PyVal::Str(s) => match l {
                PyVal::Str(x) => Some(s.contains(x.as_str())),
                _ => None,
            },
            PyVal::Dict(d) => match l {
                PyVal::Str(x) => Some(d.iter().any(|(k, _)| k == x)),
                _ => None,
            },
            _ => None,
        }
    };
    match op {
        "in" => contains(r),
        "not in" => contains(r).map(|b| !b),
        "is" => Some(matches!((l, r), (PyVal::None, PyVal::None)) || l == r),
        "is not" => Some(!(matches!((l, r), (PyVal::None, PyVal::None)) || l == r)),
        "==" => Some(l == r),
        "!=" | "<>" => Some(l != r),
        _ => {
            if let (PyVal::Str(a), PyVal::Str(b)) = (l, r) {
                return Some(match op {
                    "<" => a < b,
                    "<=" => a <= b,
                    ">" => a > b,
                    ">=" => a >= b,
                    _ => return None,
                });
            }
            let (a, b) = (num(l)?, num(r)?);
            Some(match op {
                "<" => a < b,
                "<=" => a <= b,
                ">" => a > b,
                ">=" => a >= b,
                _ => return None,
            })
        }
    }
}

/// Values worth trying for `param` to make a guard true or false: the
/// boundaries and members the condition itself names.
pub fn candidates(cond: Node, param: &str, ev: &Eval, out: &mut Vec<PyVal>) {
    let src = ev.src;
    let text = |n: Node| src.get(n.byte_range()).unwrap_or("");
    match cond.kind() {
        "boolean_operator" | "parenthesized_expression" => {
            let mut c = cond.walk();
            for child in cond.named_children(&mut c) {
                candidates(child, param, ev, out);
            }
        }
        "not_operator" => {
            if let Some(arg) = cond.child_by_field_id(crate::syntax::fields::ARGUMENT) {
                if arg.kind() == "identifier" && text(arg) == param {
                    out.extend([
                        PyVal::Str(String::new()),
                        PyVal::None,
                        PyVal::Int(0),
                        PyVal::List(Vec::new()),
                    ]);
                }
                candidates(arg, param, ev, out);
            }
        }
        "identifier" if text(cond) == param => {
            out.extend([PyVal::Bool(true), PyVal::Bool(false)]);
        }
        "call" => {
            // param.startswith("v") / endswith
            let Some(func) = cond.child_by_field_id(crate::syntax::fields::FUNCTION) else {
                return;
            };
            let Some(obj) = func.child_by_field_id(crate::syntax::fields::OBJECT) else {
                return;
            };
            if text(obj) != param {
                return;
            }
            let method = func
                .child_by_field_id(crate::syntax::fields::ATTRIBUTE)
                .map(text)
                .unwrap_or("");
            let lit = cond
                .child_by_field_id(crate::syntax::fields::ARGUMENTS)
                .and_then(|a| a.named_child(0))
                .and_then(|a| string_literal(a, src));
            if let Some(lit) = lit {
                let good = match method {
                    "startswith" => format!("{lit}1.2.3"),
                    "endswith" => format!("test{lit}"),
                    _ => return,
                };
                out.push(PyVal::Str(good));
                out.push(PyVal::Str(format!("invalid-{param}")));
            }
        }
        "comparison_operator" => {
            let mut c = cond.walk();
            let operands: Vec<Node> = cond.named_children(&mut c).collect();
            let mut c2 = cond.walk();
            let ops: Vec<&str> = cond
                .children_by_field_name("operators", &mut c2)
                .map(|o| o.kind())
                .collect();
            for (i, op) in ops.iter().enumerate() {
                let (Some(l), Some(r)) = (operands.get(i), operands.get(i + 1)) else {
                    continue;
                };
                let (other, param_left) = if text(*l) == param {
                    (*r, true)
                } else if text(*r) == param {
                    (*l, false)
                } else {
                    continue;
                };
                let Some(v) = ev.eval(other) else { continue };
                match (op, &v) {
                    (&("in" | "not in"), PyVal::List(items)) if param_left => {
                        out.extend(items.iter().cloned());
                        out.push(PyVal::Str(format!("invalid-{param}")));
                    }
                    (&("==" | "!=" | "is" | "is not"), _) => {
                        out.push(v.clone());
                        if let PyVal::Str(s) = &v {
                            out.push(PyVal::Str(format!("{s}-other")));
                        }
                    }
                    (_, PyVal::Int(n)) => {
                        out.extend([PyVal::Int(n - 1), PyVal::Int(*n), PyVal::Int(n + 1)])
                    }
                    _ => {}
                }
            }
        }
        _ => {}
    }
}

/// Identifiers a condition mentions.
pub fn names_in(n: Node, src: &str, out: &mut Vec<String>) {
    if n.kind() == "identifier" {
        if let Some(t) = src.get(n.byte_range()) {
            if !out.iter().any(|o| o == t) {
                out.push(t.to_string());
            }
        }
        return;
    }
    if n.kind() == "attribute" {
        if let Some(obj) = n.child_by_field_id(crate::syntax::fields::OBJECT) {
            names_in(obj, src, out);
        }
        return;
    }
    let mut c = n.walk();
    for child in n.named_children(&mut c) {
        names_in(child, src, out);
    }
}
