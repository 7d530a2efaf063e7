use crate::index::{DynKind, Value};
use crate::rules::{fix, Applicability, Category, Checker, Fix, RuleMeta, Severity};

pub static RULE: RuleMeta = RuleMeta {
    id: "REL004",
    name: "string-command-without-shell",
    category: Category::Reliability,
    severity: Severity::High,
    summary: "A command string with spaces passed as the program (no shell): it cannot run",
    peers: &[],
    fixable: true,
    check,
    docs: r#"
## What it does
Flags `subprocess.run` / `call` / `check_call` / `check_output` / `Popen`
and `asyncio.create_subprocess_exec` whose command is a single string (or
f-string) containing spaces while `shell` is not true. Without a shell the
whole string is taken as the program name: `"git pull"` looks for an
executable called `git pull`.

## Why is this bad?
The call raises `FileNotFoundError` every time. Such lines usually hide in a
rarely taken branch (rollback, cleanup) and fail exactly when needed.

## Example
```python
subprocess.run("git pull --ff-only", check=True)
```

Use instead:
```python
subprocess.run(["git", "pull", "--ff-only"], check=True)
```

## How to fix
Split the command into an argument list. The fix does that for constant
strings made only of plain words (no quotes or shell syntax); it is safe, as
the original call could only fail.
"#,
};

const RUNNERS: &[&str] = &[
    "subprocess.run",
    "subprocess.call",
    "subprocess.check_call",
    "subprocess.check_output",
    "subprocess.Popen",
    "asyncio.create_subprocess_exec",
];

fn plain_words(s: &str) -> Option<Vec<&str>> {
    let plain = s
        .chars()
        .all(|c| c.is_alphanumeric() || c == ' ' || "-_./=:,+@%".contains(c));
    plain.then(|| s.split_whitespace().collect())
}

/// The literal parts of an f-string's source contain whitespace.
fn fstring_has_space(text: &str) -> bool {
    let mut depth = 0;
    for c in text.chars() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ' ' if depth == 0 => return true,
            _ => {}
        }
    }
    false
}

fn check(cx: &mut Checker) {
    for call in cx.calls() {
        let q = call.qualified.as_str();
        if !RUNNERS.contains(&q) {
            continue;
        }
        let shell = call.keyword("shell").map(|a| &a.value);
        let shell_off = match shell {
            None => !call.has_star_kwargs,
            Some(Value::Bool(false)) | Some(Value::Int(0)) | Some(Value::None) => true,
            _ => false,
        };
        if !shell_off {
            continue;
        }
        let Some(cmd) = call.arg(0, "args").or_else(|| call.arg(0, "program")) else {
            continue;
        };
        let written = cmd.range.slice(cx.src);
        let (hit, words) = match &cmd.value {
            Value::Str(s) if s.trim().contains(char::is_whitespace) => {
                (true, plain_words(s.trim()))
            }
            Value::Dynamic {
                kind: DynKind::FString,
                ..
            } if written.starts_with(['f', 'F']) => (fstring_has_space(written), None),
            _ => (false, None),
        };
        if !hit {
            continue;
        }
        // Only rewrite the literal itself, not a name bound to it.
        let literal_here = written.starts_with(['"', '\'']);
        let edit = words
            .filter(|_| literal_here && cmd.keyword.is_none())
            .map(|w| {
                let list: Vec<String> = w.iter().map(|x| format!("{x:?}")).collect();
                fix::replace(cmd.range, format!("[{}]", list.join(", ")))
            });
        let f = cx.report(
            cmd.range,
            match cmd.value.as_str() {
                Some(s) => format!("`{q}` gets the command as one string without a shell: it looks for a program named `{s}`"),
                None => format!("`{q}` gets the command as one f-string without a shell: the whole string is taken as the program name"),
            },
        );
        f.fix = edit.map(|e| Fix {
            title: "Split into an argument list".into(),
            applicability: Applicability::Safe,
            edits: vec![e],
        });
    }
}
