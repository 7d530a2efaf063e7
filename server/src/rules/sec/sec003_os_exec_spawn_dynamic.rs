use crate::rules::helpers::{exec_args, is_exec_or_spawn};
use crate::rules::{Category, Checker, RuleMeta, Severity};

pub static RULE: RuleMeta = RuleMeta {
    id: "SEC003",
    name: "os-exec-spawn-dynamic",
    category: Category::Security,
    severity: Severity::Medium,
    summary: "`os.exec*` / `os.spawn*` / `os.startfile` with a non-constant program or arguments",
    peers: &["B606", "S606"],
    fixable: false,
    check,
    docs: r#"
## What it does
Flags `os.execl`…`os.execvpe`, `os.spawnl`…`os.spawnvpe`, `os.posix_spawn(p)`
and `os.startfile` when the program or any argument is not a constant (the
spawn `mode` and the `env` mapping are not considered). Constant invocations
such as `os.execvp("git", ["git", "status"])` are not flagged.

## Why is this bad?
No shell is involved, but the caller chooses which program runs: a program
path or an option (`--upload-pack=…`, `-oProxyCommand=…`) taken from the
environment or the command line can run something else entirely.

## Example
```python
def open_report(path):
    os.startfile(path)
```

Use instead:
```python
def open_report(path):
    resolved = Path(path).resolve()
    if resolved.parent != REPORTS_DIR:
        raise ValueError(f"not a report: {path}")
    os.startfile(resolved)
```

## How to fix
Run a fixed program, validate dynamic arguments against an allow-list, and
end options with `--` before user-provided operands.
"#,
};

fn check(cx: &mut Checker) {
    for call in cx.calls() {
        let q = call.qualified.as_str();
        if !is_exec_or_spawn(q) {
            continue;
        }
        let Some(dynamic) = exec_args(call).find(|a| !a.value.is_constant()) else {
            continue;
        };
        cx.report(
            call.callee_range,
            format!(
                "`{q}` runs a program chosen at run time: `{}` is not constant",
                dynamic.value.display()
            ),
        );
    }
}
