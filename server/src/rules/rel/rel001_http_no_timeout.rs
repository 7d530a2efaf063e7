use crate::index::effects;
use crate::rules::{fix, Applicability, Category, Checker, Fix, RuleMeta, Severity};

pub static RULE: RuleMeta = RuleMeta {
    id: "REL001",
    name: "http-no-timeout",
    category: Category::Reliability,
    severity: Severity::Medium,
    summary: "HTTP request that can hang forever (no timeout, or timeout=None)",
    peers: &["B113", "S113"],
    fixable: true,
    check,
    docs: r#"
## What it does
Flags `requests` calls (module functions and `Session` methods) made without a
`timeout=` argument, and `requests` or `httpx` calls with `timeout=None`.
`httpx` has a default timeout of 5 seconds, so only an explicit `None` is
flagged there (on requests and on `httpx.Client` / `AsyncClient`). Calls that forward `**kwargs` are not flagged.

## Why is this bad?
`requests` waits forever by default. A deploy script or a CI job stuck on a
half-open connection hangs until the runner's global timeout kills it, with no
error that says why.

## Example
```python
resp = requests.post(WEBHOOK_URL, json=payload)
```

Use instead:
```python
resp = requests.post(WEBHOOK_URL, json=payload, timeout=30)
```

## How to fix
Pass `timeout=` (seconds, or a `(connect, read)` tuple). The fix adds the
configured default (`http-timeout`, 30 s); it is unsafe because a slow server
that used to answer may now raise `Timeout`.
"#,
};

const REQUESTS: &[&str] = &[
    "requests",
    "requests.Session",
    "requests.session",
    "requests.sessions.Session",
];

fn check(cx: &mut Checker) {
    let default = cx.settings.http_timeout.to_string();
    for call in cx.calls() {
        // httpx clients carry the timeout of every request they make.
        let client = match effects::http_call(&call.qualified) {
            Some((client, _)) => client,
            None if matches!(
                call.qualified.as_str(),
                "httpx.Client" | "httpx.AsyncClient"
            ) =>
            {
                "httpx"
            }
            None => continue,
        };
        let is_requests = REQUESTS.contains(&client);
        if !is_requests && !client.starts_with("httpx") {
            continue;
        }
        match call.keyword("timeout") {
            Some(arg) if arg.value.is_none() => {
                let edit = fix::replace_keyword_value(cx.src, arg, &default);
                let f = cx.report(
                    arg.range,
                    format!("`{}` with timeout=None can hang forever", call.qualified),
                );
                f.fix = edit.map(|e| Fix {
                    title: format!("Set `timeout={default}`"),
                    applicability: Applicability::Unsafe,
                    edits: vec![e],
                });
            }
            None if is_requests && !call.has_star_kwargs => {
                let edit = fix::add_keyword(call, "timeout", &default);
                cx.report(
                    call.callee_range,
                    format!("`{}` has no timeout and can hang forever", call.qualified),
                )
                .fix = Some(Fix {
                    title: format!("Add `timeout={default}`"),
                    applicability: Applicability::Unsafe,
                    edits: vec![edit],
                });
            }
            _ => {}
        }
    }
}
