use crate::index::{effects, Value};
use crate::rules::{fix, Applicability, Category, Checker, Fix, RuleMeta, Severity};

pub static RULE: RuleMeta = RuleMeta {
    id: "SEC008",
    name: "tls-verify-disabled",
    category: Category::Security,
    severity: Severity::High,
    summary: "TLS certificate verification disabled (`verify=False`)",
    peers: &["B501", "S501"],
    fixable: true,
    check,
    docs: r#"
## What it does
Flags HTTP requests made through `requests` (module functions and sessions),
`httpx` (functions, `Client`, `AsyncClient`) and `aiohttp` sessions with
`verify=False` or `ssl=False`, through any import alias.

## Why is this bad?
Without certificate verification anyone on the path (a proxy, a compromised
CI runner network, a coffee-shop Wi-Fi) can read and modify the traffic,
including the tokens the script sends.

## Example
```python
requests.get("https://internal.example.com/api", verify=False, timeout=10)
```

Use instead:
```python
requests.get("https://internal.example.com/api", verify="/etc/ssl/internal-ca.pem", timeout=10)
```

## How to fix
Remove `verify=False`, or point `verify` at the CA bundle that signs the
internal certificate. The fix removes the argument; it is unsafe because
requests to hosts with self-signed certificates will start to fail.
"#,
};

fn check(cx: &mut Checker) {
    for call in cx.calls() {
        let q = call.qualified.as_str();
        let is_http = effects::http_call(q).is_some()
            || matches!(
                q,
                "httpx.Client" | "httpx.AsyncClient" | "aiohttp.TCPConnector"
            );
        if !is_http {
            continue;
        }
        for kw in ["verify", "ssl"] {
            let Some(arg) = call.keyword(kw) else {
                continue;
            };
            let disabled = matches!(arg.value, Value::Bool(false) | Value::Int(0));
            if !disabled {
                continue;
            }
            let edit = fix::remove_arg(call, arg);
            cx.report(
                arg.range,
                format!("`{q}` is called with {kw}=False: TLS certificates are not verified"),
            )
            .fix = Some(Fix {
                title: format!("Remove `{kw}=False`"),
                applicability: Applicability::Unsafe,
                edits: vec![edit],
            });
        }
    }
}
