use crate::rules::helpers::{
    is_compared, is_docstring, node_range, string_content, string_node_at,
};
use crate::rules::{Category, Checker, RuleMeta, Severity};
use regex::Regex;
use std::sync::OnceLock;

pub static RULE: RuleMeta = RuleMeta {
    id: "SEC016",
    name: "hardcoded-tmp-path",
    category: Category::Security,
    severity: Severity::Low,
    summary: "Hard-coded path under /tmp, /var/tmp or /dev/shm",
    peers: &["B108", "S108"],
    fixable: false,
    check,
    docs: r#"
## What it does
Flags string literals (f-strings too) that start with `/tmp`, `/var/tmp` or
`/dev/shm`. Docstrings, comparisons (`path.startswith("/tmp/")`,
`d == "/tmp"`) and the `dir=` of `tempfile` functions (which create unique
names inside it) are not flagged.

## Why is this bad?
Everyone on the machine can write to these directories. A predictable name
such as `/tmp/deploy.lock` or `/tmp/kubeconfig` can be pre-created or
symlinked by another user (shared CI runners, jump hosts) to hijack or leak
what the script writes.

## Example
```python
with open("/tmp/kubeconfig", "w") as f:
    f.write(kubeconfig)
```

Use instead:
```python
with tempfile.NamedTemporaryFile("w", suffix=".kubeconfig", delete=False) as f:
    f.write(kubeconfig)
```

## How to fix
Use `tempfile.mkstemp`, `NamedTemporaryFile` or `TemporaryDirectory`, or a
directory only the current user can write (`$XDG_RUNTIME_DIR`).
"#,
};

fn tmp_regex() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r#"["'](/tmp|/var/tmp|/dev/shm)(["'/{]|$)"#).expect("valid regex"))
}

fn check(cx: &mut Checker) {
    let mut hits = Vec::new();
    // every match holds `/tmp` or `/dev/shm`: most files have neither, and
    // memmem rules that out faster than the regex (whose first byte is a quote)
    let src = cx.src.as_bytes();
    if memchr::memmem::find(src, b"/tmp").is_none()
        && memchr::memmem::find(src, b"/dev/shm").is_none()
    {
        return;
    }
    for m in tmp_regex().captures_iter(cx.src) {
        let Some(dir) = m.get(1) else { continue };
        let Some(string) = string_node_at(cx.tree, dir.start(), dir.end()) else {
            continue;
        };
        // the path must open the literal: a quote inside a longer text (a
        // JSON blob, a message quoting a path) is not a path literal
        if string_content(string).0 != dir.start()
            || is_docstring(string)
            || is_compared(string, cx.src)
        {
            continue;
        }
        // tempfile.mkstemp(dir="/tmp") picks a unique, safely created name.
        let in_tempfile_dir = string.parent().is_some_and(|p| {
            p.kind() == "keyword_argument"
                && p.child_by_field_id(crate::syntax::fields::NAME)
                    .map(|n| &cx.src[n.byte_range()])
                    == Some("dir")
        });
        if in_tempfile_dir {
            continue;
        }
        hits.push((node_range(string), dir.as_str().to_string()));
    }
    for (range, dir) in hits {
        cx.report(
            range,
            format!("hard-coded path under `{dir}`: a world-writable directory"),
        );
    }
}
