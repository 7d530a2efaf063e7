use crate::rules::{Category, Checker, RuleMeta, Severity};

pub static RULE: RuleMeta = RuleMeta {
    id: "SEC005",
    name: "eval-exec-dynamic",
    category: Category::Security,
    severity: Severity::High,
    summary: "`eval` / `exec` of a non-constant string",
    peers: &["B307", "B102", "S307", "S102"],
    fixable: false,
    check,
    docs: r#"
## What it does
Flags the builtins `eval` and `exec` (also through `builtins.`) when the code
they run is not a constant. `eval("1 + 1")` is not flagged; methods that
happen to be called `eval` (`model.eval()`) are not builtins and are ignored,
and so is a module that defines its own `eval`.

## Why is this bad?
Evaluating text that comes from a file, a request, the environment or a
parameter runs arbitrary Python in the deploy process, with its credentials.

## Example
```python
def parse_limit(text):
    return eval(text)
```

Use instead:
```python
def parse_limit(text):
    return ast.literal_eval(text)
```

## How to fix
Use `ast.literal_eval` for Python literals, `json.loads` for data, or a
dispatch table of allowed operations instead of building code.
"#,
};

fn check(cx: &mut Checker) {
    let shadowed = |name: &str| {
        cx.ex
            .defs
            .iter()
            .any(|d| d.parent.is_none() && d.name == name)
    };
    let shadow_eval = shadowed("eval");
    let shadow_exec = shadowed("exec");
    for call in cx.calls() {
        let name = match call.qualified.as_str() {
            "eval" | "builtins.eval" if !shadow_eval => "eval",
            "exec" | "builtins.exec" if !shadow_exec => "exec",
            _ => continue,
        };
        let Some(code) = call.arg(0, "source") else {
            continue;
        };
        if code.value.is_constant() {
            continue;
        }
        cx.report(
            call.callee_range,
            format!(
                "`{name}` runs the non-constant code `{}`",
                code.value.display()
            ),
        );
    }
}
