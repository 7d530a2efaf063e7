use crate::rules::{fix, Applicability, Category, Checker, Fix, RuleMeta, Severity};

pub static RULE: RuleMeta = RuleMeta {
    id: "REL018",
    name: "exit-builtin",
    category: Category::Reliability,
    severity: Severity::Low,
    summary: "`exit()` / `quit()` instead of `sys.exit()`",
    peers: &["PLR1722"],
    fixable: true,
    check,
    docs: r#"
## What it does
Flags calls to the builtins `exit()` and `quit()` (not `sys.exit`, and not a
function of that name defined or imported in the module).

## Why is this bad?
`exit` and `quit` are added by the `site` module for the interactive shell.
Under `python -S`, in some embedded interpreters and frozen executables
(PyInstaller) they do not exist, and the script dies with `NameError`
instead of the intended exit status.

## Example
```python
if not os.environ.get("KUBECONFIG"):
    print("KUBECONFIG is not set")
    exit(2)
```

Use instead:
```python
if not os.environ.get("KUBECONFIG"):
    sys.exit("KUBECONFIG is not set")
```

## How to fix
Use `sys.exit(...)`. The fix rewrites the call and adds `import sys` when
the module does not import it; it is safe.
"#,
};

fn check(cx: &mut Checker) {
    let defined = |n: &str| {
        cx.ex.defs.iter().any(|d| d.name == n) || cx.ex.imports.iter().any(|i| i.bound_name() == n)
    };
    let (shadow_exit, shadow_quit) = (defined("exit"), defined("quit"));
    for call in cx.calls() {
        let name = call.callee.as_str();
        let hit = match name {
            "exit" => !shadow_exit,
            "quit" => !shadow_quit,
            _ => false,
        };
        if !hit || call.qualified != name {
            continue;
        }
        let (sys, import) = fix::ensure_import(cx.src, cx.tree, &cx.ex.imports, "sys");
        let mut edits = vec![fix::replace(call.callee_range, format!("{sys}.exit"))];
        edits.extend(import);
        let f = cx.report(
            call.callee_range,
            format!("`{name}()` is meant for the interactive shell; use `sys.exit()`"),
        );
        f.fix = Some(Fix {
            title: "Use `sys.exit()`".into(),
            applicability: Applicability::Safe,
            edits,
        });
    }
}
