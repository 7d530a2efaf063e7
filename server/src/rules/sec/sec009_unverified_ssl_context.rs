use crate::index::last_segment;
use crate::index::Value;
use crate::rules::{fix, Applicability, Category, Checker, Fix, RuleMeta, Severity};

pub static RULE: RuleMeta = RuleMeta {
    id: "SEC009",
    name: "unverified-ssl-context",
    category: Category::Security,
    severity: Severity::High,
    summary:
        "SSL context that does not verify certificates (`_create_unverified_context`, `CERT_NONE`)",
    peers: &["B323", "S323"],
    fixable: true,
    check,
    docs: r#"
## What it does
Flags `ssl._create_unverified_context()`, replacing the default HTTPS context
with it (`ssl._create_default_https_context = ssl._create_unverified_context`),
`cert_reqs=ssl.CERT_NONE` arguments (ssl, urllib3), and assignments of
`CERT_NONE` to `verify_mode` or `False` to `check_hostname`.

## Why is this bad?
An unverified TLS connection accepts any certificate: anyone between the
script and the server can read and change the traffic, tokens included.

## Example
```python
ctx = ssl._create_unverified_context()
urllib.request.urlopen(url, context=ctx)
```

Use instead:
```python
ctx = ssl.create_default_context(cafile="/etc/ssl/internal-ca.pem")
urllib.request.urlopen(url, context=ctx)
```

## How to fix
Use `ssl.create_default_context()` (optionally with the internal CA's
`cafile`). The fix replaces `_create_unverified_context` with
`create_default_context`; it is unsafe because hosts with self-signed
certificates will be rejected.
"#,
};

fn is_cert_none(v: &Value) -> bool {
    match v {
        Value::Str(s) => s.eq_ignore_ascii_case("CERT_NONE") || s.eq_ignore_ascii_case("none"),
        Value::Dynamic { text, .. } => last_segment(text) == "CERT_NONE",
        _ => false,
    }
}

fn check(cx: &mut Checker) {
    for call in cx.calls() {
        let q = call.qualified.as_str();
        if q == "ssl._create_unverified_context" {
            let edit = fix::rename_method(cx.src, call, "create_default_context");
            let f = cx.report(
                call.callee_range,
                "`ssl._create_unverified_context()` accepts any certificate",
            );
            f.fix = edit.map(|e| Fix {
                title: "Use `ssl.create_default_context()`".into(),
                applicability: Applicability::Unsafe,
                edits: vec![e],
            });
            continue;
        }
        if let Some(arg) = call.keyword("cert_reqs") {
            if is_cert_none(&arg.value) {
                cx.report(
                    arg.range,
                    format!("`{q}` with cert_reqs=CERT_NONE does not verify certificates"),
                );
            }
        }
    }
    for a in &cx.ex.assignments {
        let attr = last_segment(&a.target);
        let text = a.value_range.slice(cx.src);
        let hit = match attr {
            "verify_mode" => is_cert_none(&a.value),
            "check_hostname" => matches!(a.value, Value::Bool(false)),
            "_create_default_https_context" => text.ends_with("_create_unverified_context"),
            _ => false,
        };
        if hit {
            cx.report(
                a.range,
                format!("`{} = {text}` turns certificate verification off", a.target),
            );
        }
    }
}
