//! Small detection helpers shared by several SEC/REL rules: command sinks,
//! secret-looking names, string literals found by a text scan.

use crate::index::CallSite;
use crate::syntax::kinds;
use crate::text::TextRange;
use regex::Regex;
use std::sync::OnceLock;
use tree_sitter::{Node, Tree};

/// Calls that run a command, with how the command is passed.
pub fn command_arg(call: &CallSite) -> Option<&crate::index::Arg> {
    let q = call.qualified.as_str();
    match q {
        "subprocess.run"
        | "subprocess.call"
        | "subprocess.check_call"
        | "subprocess.check_output"
        | "subprocess.Popen" => call.arg(0, "args"),
        "subprocess.getoutput" | "subprocess.getstatusoutput" => call.arg(0, "cmd"),
        "os.system" | "os.popen" | "os.popen2" | "os.popen3" | "os.popen4" => {
            call.arg(0, "command").or_else(|| call.arg(0, "cmd"))
        }
        "asyncio.create_subprocess_shell" => call.arg(0, "cmd"),
        "asyncio.create_subprocess_exec" => call.arg(0, "program"),
        _ if q.ends_with(".exec_command") && q.starts_with("paramiko") => call.arg(0, "command"),
        _ if is_exec_or_spawn(q) => {
            let skip = usize::from(q.starts_with("os.spawn"));
            call.positional(skip)
        }
        _ => None,
    }
}

/// `os.exec*`, `os.spawn*`, `os.posix_spawn*`, `os.startfile`.
pub fn is_exec_or_spawn(q: &str) -> bool {
    q.strip_prefix("os.").is_some_and(|m| {
        m.starts_with("exec") && m.len() <= 7
            || m.starts_with("spawn")
            || m.starts_with("posix_spawn")
            || m == "startfile"
    })
}

/// All positional arguments that make up the command of an exec/spawn call
/// (skips the spawn `mode` and the trailing `env` of the `*e` variants).
pub fn exec_args(call: &CallSite) -> impl Iterator<Item = &crate::index::Arg> {
    let q = call.qualified.as_str();
    let skip = usize::from(q.starts_with("os.spawn"));
    let positional: Vec<&crate::index::Arg> =
        call.args.iter().filter(|a| a.keyword.is_none()).collect();
    let n = positional.len();
    let takes_env = q.ends_with('e') && !q.ends_with("startfile");
    let end = if takes_env { n.saturating_sub(1) } else { n };
    positional
        .into_iter()
        .enumerate()
        .filter(move |(i, _)| *i >= skip && *i < end.max(skip + 1))
        .map(|(_, a)| a)
}

fn secret_regex() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    // bandit's candidates: the word alone, or between underscores.
    RE.get_or_init(|| {
        let words = r"(pas+wo?r?d|pass(phrase)?|pwd|token|secrete?|api_?key|apikey|private_?key|client_secret|access_key)";
        Regex::new(&format!(r"(?i)(^{words}$|_{words}_|^{words}_|_{words}$)"))
            .expect("valid regex")
    })
}

/// Suffixes that make a secret-looking name something else (`token_url`,
/// `password_file`, `secret_name`).
const NOT_SECRET_SUFFIXES: &[&str] = &[
    "url",
    "uri",
    "file",
    "path",
    "dir",
    "name",
    "names",
    "field",
    "type",
    "prefix",
    "suffix",
    "header",
    "env",
    "var",
    "id",
    "ids",
    "len",
    "length",
    "count",
    "expiry",
    "expires",
    "expiration",
    "endpoint",
    "regex",
    "re",
    "pattern",
    "policy",
    "template",
    "label",
    "hint",
    "prompt",
    "message",
    "msg",
    "arn",
    "ttl",
    "timeout",
    "param",
    "key_name",
    "class",
    "cls",
    "format",
    "fmt",
    "set",
    "reset",
    "changed",
    "required",
    "enabled",
    "validator",
    "provider",
];

/// A variable, attribute, keyword or dict key name that holds a secret:
/// `password`, `db_password`, `api_key`, `token`, `EMAIL_PWD`… but not
/// `token_url`, `password_file`, `secret_name`.
pub fn is_secret_name(name: &str) -> bool {
    let last = crate::index::last_segment(name);
    if !secret_regex().is_match(last) {
        return false;
    }
    let lower = last.to_ascii_lowercase();
    let suffix = lower.rsplit('_').next().unwrap_or("");
    !(lower.contains('_') && NOT_SECRET_SUFFIXES.contains(&suffix))
}

/// A literal that is a placeholder rather than a secret: empty, all one
/// character (`***`, `xxx`), a template (`${DB_PASSWORD}`, `{{ token }}`,
/// `<token>`), or a documentation example (`…EXAMPLEKEY`).
pub fn is_placeholder(value: &str) -> bool {
    let v = value.trim();
    v.is_empty()
        || v.chars().all(|c| c == v.chars().next().unwrap_or(' '))
        || (v.starts_with("${") && v.ends_with('}'))
        || (v.starts_with("{{") && v.ends_with("}}"))
        || (v.starts_with('<') && v.ends_with('>'))
        || (v.starts_with('%') && v.ends_with('%'))
        || v.contains("EXAMPLE")
}

/// The `string` node whose content covers `start..end`, if any.
pub fn string_node_at(tree: &Tree, start: usize, end: usize) -> Option<Node<'_>> {
    let n = tree.root_node().descendant_for_byte_range(start, end)?;
    match kinds::name(n) {
        "string" => Some(n),
        "string_content" => n.parent().filter(|p| kinds::name(p) == "string"),
        _ => None,
    }
}

/// Byte range of a string's content: between its opening quote(s) (after
/// any `r`/`b`/`f` prefix) and its closing ones.
pub fn string_content(string: Node) -> (usize, usize) {
    let last = string.child_count().saturating_sub(1);
    let (first, last) = (string.child(0), string.child(last as u32));
    let start = first
        .filter(|c| kinds::name(*c) == "string_start")
        .map_or(string.start_byte(), |c| c.end_byte());
    let end = last
        .filter(|c| kinds::name(*c) == "string_end")
        .map_or(string.end_byte(), |c| c.start_byte());
    (start, end.max(start))
}

/// A docstring: a string that is a whole expression statement.
pub fn is_docstring(string: Node) -> bool {
    string
        .parent()
        .is_some_and(|p| kinds::name(p) == "expression_statement" && p.named_child_count() == 1)
}

/// Inside a comparison (`host == "0.0.0.0"`) or a `startswith`/`endswith`/`in` test.
pub fn is_compared(string: Node, src: &str) -> bool {
    let mut cur = string.parent();
    for _ in 0..3 {
        let Some(n) = cur else { return false };
        match kinds::name(n) {
            "comparison_operator" => return true,
            "argument_list" => {
                let f = n
                    .parent()
                    .and_then(|c| c.child_by_field_id(crate::syntax::fields::FUNCTION))
                    .map(|f| crate::index::value::node_text(f, src))
                    .unwrap_or("");
                return f.ends_with("startswith") || f.ends_with("endswith");
            }
            "tuple" | "list" | "set" | "parenthesized_expression" => cur = n.parent(),
            _ => return false,
        }
    }
    false
}

pub fn node_range(n: Node) -> TextRange {
    TextRange::new(n.start_byte(), n.end_byte())
}
