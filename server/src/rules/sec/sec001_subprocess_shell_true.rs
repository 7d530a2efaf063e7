use crate::index::Value;
use crate::rules::{Category, Checker, RuleMeta, Severity};

pub static RULE: RuleMeta = RuleMeta {
    id: "SEC001",
    name: "subprocess-shell-true",
    category: Category::Security,
    severity: Severity::High,
    summary: "Non-constant command run through a shell (`shell=True`)",
    peers: &["B602", "B604", "S602", "S604"],
    fixable: false,
    check,
    docs: r#"
## What it does
Flags calls that pass `shell=True` together with a command that is not a
constant: an f-string, a concatenation, a parameter, an environment variable,
anything built at run time. `subprocess.run("ls -l", shell=True)` is not flagged.

Constant means: a string literal, a module-level constant, a name assigned a
constant earlier in the same function, or an f-string / `+` / `%` / `.format()`
whose parts are all constant.

## Why is this bad?
With `shell=True` the command string is parsed by `/bin/sh`. Any part of it
that comes from outside (a branch name, a file name, a CLI argument) can inject
`; rm -rf ~` or `$(curl … | sh)`.

## Example
```python
def deploy(branch):
    subprocess.run(f"git checkout {branch} && make deploy", shell=True)
```

Use instead:
```python
def deploy(branch):
    subprocess.run(["git", "checkout", branch], check=True)
    subprocess.run(["make", "deploy"], check=True)
```

## How to fix
Pass an argument list and drop `shell=True`. If a shell is really needed,
quote every dynamic part with `shlex.quote`.
"#,
};

const POPEN_FAMILY: &[&str] = &[
    "subprocess.run",
    "subprocess.call",
    "subprocess.check_call",
    "subprocess.check_output",
    "subprocess.Popen",
];

fn check(cx: &mut Checker) {
    for call in cx.calls() {
        let Some(shell) = call.keyword("shell") else {
            continue;
        };
        let truthy = match &shell.value {
            Value::Bool(b) => *b,
            Value::Int(i) => *i != 0,
            _ => false,
        };
        if !truthy {
            continue;
        }
        let Some(cmd) = call.arg(0, "args") else {
            continue;
        };
        if cmd.value.is_constant() {
            continue;
        }
        let what = if POPEN_FAMILY.contains(&call.qualified.as_str()) {
            format!("`{}`", call.qualified)
        } else {
            format!("`{}` (called with shell=True)", call.callee)
        };
        cx.report(
            call.callee_range,
            format!(
                "{what} runs the non-constant command `{}` through a shell; pass an argument list without shell=True",
                cmd.value.display()
            ),
        );
    }
}
