use crate::rules::{Category, Checker, RuleMeta, Severity};

pub static RULE: RuleMeta = RuleMeta {
    id: "SEC002",
    name: "os-system-dynamic",
    category: Category::Security,
    severity: Severity::High,
    summary: "Non-constant command passed to `os.system` / `os.popen` (always a shell)",
    peers: &["B605", "S605"],
    fixable: false,
    check,
    docs: r#"
## What it does
Flags `os.system`, `os.popen` (and `popen2`–`popen4`), `subprocess.getoutput`,
`subprocess.getstatusoutput` and the Python 2 `commands`/`popen2` helpers when
the command is not a constant (see "dynamic" in the README: f-strings,
concatenations, parameters, env reads, `sys.argv`…). Constant commands such as
`os.system("clear")` are not flagged. Aliases (`import os as o`,
`from os import popen`) are resolved.

## Why is this bad?
These functions always run the command through `/bin/sh`. A file name, branch
or host name containing `;`, `$(...)` or a backtick runs arbitrary commands.

## Example
```python
def backup(db):
    os.system(f"pg_dump {db} > /backups/{db}.sql")
```

Use instead:
```python
def backup(db):
    with open(f"/backups/{db}.sql", "wb") as out:
        subprocess.run(["pg_dump", db], stdout=out, check=True)
```

## How to fix
Use `subprocess.run` with an argument list (no shell). If a shell is really
needed, quote every dynamic part with `shlex.quote`.
"#,
};

const SHELL_FUNCTIONS: &[&str] = &[
    "os.system",
    "os.popen",
    "os.popen2",
    "os.popen3",
    "os.popen4",
    "popen2.popen2",
    "popen2.popen3",
    "popen2.popen4",
    "popen2.Popen3",
    "popen2.Popen4",
    "commands.getoutput",
    "commands.getstatusoutput",
    "subprocess.getoutput",
    "subprocess.getstatusoutput",
];

fn check(cx: &mut Checker) {
    for call in cx.calls() {
        let q = call.qualified.as_str();
        if !SHELL_FUNCTIONS.contains(&q) {
            continue;
        }
        let Some(cmd) = call.positional(0).or_else(|| call.args.first()) else {
            continue;
        };
        if cmd.value.is_constant() {
            continue;
        }
        cx.report(
            call.callee_range,
            format!(
                "`{q}` runs the non-constant command `{}` through a shell",
                cmd.value.display()
            ),
        );
    }
}
