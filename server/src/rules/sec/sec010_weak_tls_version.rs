use crate::index::last_segment;
use crate::index::Value;
use crate::rules::{Category, Checker, RuleMeta, Severity};

pub static RULE: RuleMeta = RuleMeta {
    id: "SEC010",
    name: "weak-tls-version",
    category: Category::Security,
    severity: Severity::Medium,
    summary:
        "SSLv2/SSLv3/TLS 1.0/TLS 1.1 protocol selected, or `ssl.wrap_socket` without a version",
    peers: &["B502", "B503", "B504", "S502", "S503", "S504"],
    fixable: false,
    check,
    docs: r#"
## What it does
Flags `ssl.PROTOCOL_SSLv2/SSLv3/TLSv1/TLSv1_1` and pyOpenSSL
`SSLv2_METHOD`/`SSLv23_METHOD`/`SSLv3_METHOD`/`TLSv1_METHOD`/`TLSv1_1_METHOD`
passed to any call (`ssl_version=`, `method=`, `protocol=` or as the first
argument of `ssl.SSLContext` / `SSL.Context`), used as a parameter default,
or assigned to `minimum_version` (`ssl.TLSVersion.TLSv1`…); and
`ssl.wrap_socket(...)` without `ssl_version`.

## Why is this bad?
These protocol versions have practical attacks (POODLE, BEAST, downgrade)
and are disabled by every current server and browser; a client pinned to
them either fails or talks to something that should not be trusted.

## Example
```python
ctx = ssl.SSLContext(ssl.PROTOCOL_TLSv1)
```

Use instead:
```python
ctx = ssl.create_default_context()
ctx.minimum_version = ssl.TLSVersion.TLSv1_2
```

## How to fix
Use `ssl.create_default_context()` (TLS 1.2+ negotiated) and set
`minimum_version = ssl.TLSVersion.TLSv1_2` if you must constrain it.
"#,
};

const WEAK: &[&str] = &[
    "PROTOCOL_SSLv2",
    "PROTOCOL_SSLv3",
    "PROTOCOL_TLSv1",
    "PROTOCOL_TLSv1_1",
    "SSLv2_METHOD",
    "SSLv23_METHOD",
    "SSLv3_METHOD",
    "TLSv1_METHOD",
    "TLSv1_1_METHOD",
];

fn weak_name(text: &str) -> Option<&'static str> {
    let last = last_segment(text);
    WEAK.iter().copied().find(|w| *w == last)
}

fn weak(v: &Value) -> Option<&'static str> {
    match v {
        Value::Dynamic { text, .. } => weak_name(text),
        _ => None,
    }
}

fn check(cx: &mut Checker) {
    for call in cx.calls() {
        let q = call.qualified.as_str();
        let mut hit = None;
        for arg in &call.args {
            let by_keyword = matches!(
                arg.keyword.as_deref(),
                Some("ssl_version" | "method" | "protocol" | "version")
            );
            let context_positional = arg.keyword.is_none()
                && matches!(q, "ssl.SSLContext" | "OpenSSL.SSL.Context")
                && call.positional(0).is_some_and(|p| p.range == arg.range);
            if by_keyword || context_positional {
                if let Some(w) = weak(&arg.value) {
                    hit = Some(w);
                }
            }
        }
        if let Some(w) = hit {
            cx.report(
                call.callee_range,
                format!("`{q}` selects the broken protocol {w}"),
            );
        } else if q == "ssl.wrap_socket"
            && call.keyword("ssl_version").is_none()
            && !call.has_star_kwargs
        {
            cx.report(
                call.callee_range,
                "`ssl.wrap_socket` without `ssl_version` (deprecated, removed in Python 3.12); use an `SSLContext`",
            );
        }
    }
    let mut defaults = Vec::new();
    for d in &cx.ex.defs {
        for p in &d.params {
            if let Some(w) = p.default.as_deref().and_then(weak_name) {
                defaults.push((d.name_range, d.name.clone(), p.name.clone(), w));
            }
        }
    }
    for (range, def, param, w) in defaults {
        cx.report(
            range,
            format!("`{def}` defaults `{param}` to the broken protocol {w}"),
        );
    }
    for a in &cx.ex.assignments {
        if a.target.ends_with("minimum_version") {
            let text = a.value_range.slice(cx.src);
            let last = last_segment(text);
            if matches!(last, "SSLv3" | "TLSv1" | "TLSv1_1") {
                cx.report(
                    a.range,
                    format!("`minimum_version` allows the broken protocol {last}"),
                );
            }
        }
    }
}
