use crate::index::Value;
use crate::rules::{fix, Applicability, Category, Checker, Fix, RuleMeta, Severity};

pub static RULE: RuleMeta = RuleMeta {
    id: "SEC018",
    name: "jinja2-autoescape-off",
    category: Category::Security,
    severity: Severity::Medium,
    summary: "jinja2 `Environment` without autoescaping",
    peers: &["B701", "S701"],
    fixable: true,
    check,
    docs: r#"
## What it does
Flags `jinja2.Environment(...)` (any alias) created without `autoescape=`
or with a false constant (`False`, `None`, `0`, `""`, or a name bound to
one). `autoescape=True` and `autoescape=select_autoescape(...)` are accepted;
a value computed at run time is not flagged.

## Why is this bad?
Without autoescaping, any value rendered into an HTML template (a commit
message, a branch name in a deploy report, a user name) can inject script
into the page that displays it.

## Example
```python
env = jinja2.Environment(loader=jinja2.FileSystemLoader("templates"))
```

Use instead:
```python
env = jinja2.Environment(
    loader=jinja2.FileSystemLoader("templates"),
    autoescape=jinja2.select_autoescape(["html", "xml"]),
)
```

## How to fix
Pass `autoescape=True` or `select_autoescape(...)`. For templates that
render non-HTML text (config files), keep autoescape off deliberately and
suppress the finding. The fix sets `autoescape=True`; it is unsafe because
templates that emit HTML on purpose must then mark it `|safe`.
"#,
};

/// A constant that is false in a boolean context (`False`, `None`, `0`, `""`, `[]`),
/// directly or through a constant name.
fn is_falsy(v: &Value) -> bool {
    match v {
        Value::Bool(b) => !b,
        Value::None => true,
        Value::Int(i) => *i == 0,
        Value::Str(s) => s.is_empty(),
        Value::List(items) => items.is_empty(),
        _ => false,
    }
}

fn check(cx: &mut Checker) {
    for call in cx.calls() {
        let q = call.qualified.as_str();
        if !matches!(
            q,
            "jinja2.Environment" | "jinja2.environment.Environment" | "jinja2.Template"
        ) {
            continue;
        }
        let fixed = match call.keyword("autoescape") {
            None if call.has_star_kwargs => continue,
            None => Some(fix::add_keyword(call, "autoescape", "True")),
            Some(arg) if is_falsy(&arg.value) => fix::replace_keyword_value(cx.src, arg, "True"),
            Some(_) => continue,
        };
        let f = cx.report(
            call.callee_range,
            format!("`{q}` renders templates without HTML autoescaping"),
        );
        f.fix = fixed.map(|e| Fix {
            title: "Set `autoescape=True`".into(),
            applicability: Applicability::Unsafe,
            edits: vec![e],
        });
    }
}
