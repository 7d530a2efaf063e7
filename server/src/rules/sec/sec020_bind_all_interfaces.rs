use crate::rules::helpers::{
    is_compared, is_docstring, node_range, string_content, string_node_at,
};
use crate::rules::{Category, Checker, RuleMeta, Severity};

pub static RULE: RuleMeta = RuleMeta {
    id: "SEC020",
    name: "bind-all-interfaces",
    category: Category::Security,
    severity: Severity::Medium,
    summary: "Server bound to all interfaces (`0.0.0.0`)",
    peers: &["B104", "S104"],
    fixable: false,
    check,
    docs: r#"
## What it does
Flags the string literal `"0.0.0.0"` (exactly; CIDR blocks such as
`"0.0.0.0/0"` are IaC rules' business) outside comparisons and docstrings:
`app.run(host="0.0.0.0")`, `sock.bind(("0.0.0.0", 8080))`.

## Why is this bad?
A debug server, metrics endpoint or webhook receiver bound to every
interface is reachable from the whole network, not just from the machine or
the container's sidecar.

## Example
```python
server = HTTPServer(("0.0.0.0", 9100), MetricsHandler)
```

Use instead:
```python
server = HTTPServer((os.environ.get("BIND_ADDR", "127.0.0.1"), 9100), MetricsHandler)
```

## How to fix
Bind to `127.0.0.1` or to the one interface that must serve, and make it
configurable. Inside a container where `0.0.0.0` is intended, suppress the
finding with a comment saying so.
"#,
};

fn check(cx: &mut Checker) {
    let mut hits = Vec::new();
    let mut from = 0;
    // memmem: a SIMD scan of the whole file, several times faster than `str::find`
    while let Some(pos) = memchr::memmem::find(&cx.src.as_bytes()[from..], b"0.0.0.0") {
        let start = from + pos;
        from = start + 7;
        let before = cx.src[..start].chars().next_back();
        let after = cx.src[start + 7..].chars().next();
        if !matches!(before, Some('"' | '\'')) || before != after {
            continue;
        }
        let Some(string) = string_node_at(cx.tree, start, start + 7) else {
            continue;
        };
        // the whole literal is the address: `"0.0.0.0"` quoted inside a
        // longer text (docs, a JSON blob) binds nothing
        if string_content(string) != (start, start + 7)
            || is_docstring(string)
            || is_compared(string, cx.src)
        {
            continue;
        }
        hits.push(node_range(string));
    }
    for range in hits {
        cx.report(range, "binds to all interfaces (0.0.0.0)");
    }
}
