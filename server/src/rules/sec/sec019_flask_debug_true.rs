use crate::index::Value;
use crate::rules::{fix, Applicability, Category, Checker, Fix, RuleMeta, Severity};

pub static RULE: RuleMeta = RuleMeta {
    id: "SEC019",
    name: "flask-debug-true",
    category: Category::Security,
    severity: Severity::High,
    summary: "Flask app run with `debug=True` (interactive debugger = remote code execution)",
    peers: &["B201", "S201"],
    fixable: true,
    check,
    docs: r#"
## What it does
Flags `.run(..., debug=True)` on a `flask.Flask` application (a local bound
to `Flask(...)`, or any `.run(debug=True)` in a file that imports flask).

## Why is this bad?
The Werkzeug debugger serves an interactive Python console on every error
page. Anyone who can reach the port (`host="0.0.0.0"` in a container) can
run code as the app.

## Example
```python
app.run(host="0.0.0.0", port=8080, debug=True)
```

Use instead:
```python
app.run(host="0.0.0.0", port=8080, debug=os.environ.get("FLASK_DEBUG") == "1")
```

## How to fix
Turn debug off outside local development (`flask --debug run` locally). The
fix sets `debug=False`; it is unsafe because auto-reload and the debugger
stop working.
"#,
};

fn check(cx: &mut Checker) {
    let imports_flask = cx.imports_module("flask");
    for call in cx.calls() {
        let q = call.qualified.as_str();
        let is_app_run =
            q == "flask.Flask.run" || (imports_flask && q == call.callee && q.ends_with(".run"));
        if !is_app_run {
            continue;
        }
        let Some(arg) = call.keyword("debug") else {
            continue;
        };
        if !matches!(arg.value, Value::Bool(true) | Value::Int(1)) {
            continue;
        }
        let edit = fix::replace_keyword_value(cx.src, arg, "False");
        let f = cx.report(
            arg.range,
            "Flask runs with debug=True: the debugger allows remote code execution",
        );
        f.fix = edit.map(|e| Fix {
            title: "Set `debug=False`".into(),
            applicability: Applicability::Unsafe,
            edits: vec![e],
        });
    }
}
