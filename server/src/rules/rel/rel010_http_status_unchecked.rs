use crate::index::{effects, split_last_dot};
use crate::rules::{fix, Applicability, Category, Checker, Fix, RuleMeta, Severity};
use crate::text::TextRange;

pub static RULE: RuleMeta = RuleMeta {
    id: "REL010",
    name: "http-status-unchecked",
    category: Category::Reliability,
    severity: Severity::Low,
    summary: "HTTP response body used without checking the status",
    peers: &["semgrep:use-raise-for-status"],
    fixable: true,
    check,
    docs: r#"
## What it does
Flags `requests` / `httpx` responses whose body is used (`.json()`,
`.text`, `.content`, `.iter_content()`…) in the same function without any
status check: no `raise_for_status()`, `.status_code`, `.ok`,
`.is_success`/`.is_error`, and the response is not passed on, returned or
tested (`if resp:`). `requests.get(url).json()` in one expression is flagged
too.

## Why is this bad?
A 403 or 502 page parses as garbage (or as a JSON error object), and the
script continues with it: an empty list of hosts to deploy to, a `KeyError`
three functions later, a release note made of an HTML error page.

## Example
```python
resp = requests.get(f"{API}/releases/latest", timeout=10)
version = resp.json()["tag_name"]
```

Use instead:
```python
resp = requests.get(f"{API}/releases/latest", timeout=10)
resp.raise_for_status()
version = resp.json()["tag_name"]
```

## How to fix
Call `resp.raise_for_status()` (or check `resp.status_code`) before using
the body. The fix inserts `raise_for_status()` after the assignment; it is
unsafe because the code now raises on error responses.
"#,
};

const BODY: &[&str] = &[
    "json",
    "text",
    "content",
    "iter_content",
    "iter_lines",
    "raw",
    "headers",
    "read",
    "aread",
    "links",
];
const CHECKS: &[&str] = &[
    "raise_for_status",
    "status_code",
    "ok",
    "status",
    "is_success",
    "is_error",
    "reason",
];

/// How `name` is used in `text`: `(body_used, checked_or_escaped)`.
fn uses(text: &str, name: &str) -> (bool, bool) {
    let mut body = false;
    let mut from = 0;
    while let Some(pos) = text[from..].find(name) {
        let start = from + pos;
        let end = start + name.len();
        from = end;
        let before = text[..start].chars().next_back();
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '.') {
            continue;
        }
        let rest = &text[end..];
        if rest.starts_with(|c: char| c.is_alphanumeric() || c == '_') {
            continue;
        }
        let Some(attr) = rest.strip_prefix('.') else {
            // `return resp`, `handle(resp)`, `if resp:`, `resp = ...` again
            return (body, true);
        };
        let attr: String = attr
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        if CHECKS.contains(&attr.as_str()) {
            return (body, true);
        }
        body |= BODY.contains(&attr.as_str());
    }
    (body, false)
}

fn check(cx: &mut Checker) {
    // (where, message, the assignment statement and name for the fix)
    type Hit = (TextRange, String, Option<(TextRange, String)>);
    let mut hits: Vec<Hit> = Vec::new();
    for a in &cx.ex.assignments {
        if a.target.contains('.') {
            continue;
        }
        let Some(call) = cx.call_at(a.value_range) else {
            continue;
        };
        if effects::http_call(&call.qualified).is_none() {
            continue;
        }
        let scope_end = cx
            .def(a.enclosing)
            .map_or(cx.src.len() as u32, |d| d.range.end);
        let after = cx.text(TextRange {
            start: a.range.end,
            end: scope_end,
        });
        let (body, checked) = uses(after, &a.target);
        if body && !checked {
            hits.push((
                a.range,
                format!(
                    "`{}` from `{}` is used without checking its status",
                    a.target, call.qualified
                ),
                Some((a.range, a.target.to_string())),
            ));
        }
    }
    for call in cx.calls() {
        let Some((head, method)) = split_last_dot(&call.qualified) else {
            continue;
        };
        if matches!(method, "json" | "iter_content" | "iter_lines")
            && call.callee.contains("()")
            && effects::http_call(head).is_some()
        {
            hits.push((
                call.callee_range,
                format!("`{head}(...).{method}()` ignores the response status"),
                None,
            ));
        }
    }
    for (range, message, stmt) in hits {
        let edit = stmt.map(|(s, name)| {
            fix::insert_line_after(cx.src, s, &format!("{name}.raise_for_status()"))
        });
        let f = cx.report(range, message);
        f.fix = edit.map(|e| Fix {
            title: "Call `raise_for_status()`".into(),
            applicability: Applicability::Unsafe,
            edits: vec![e],
        });
    }
}
