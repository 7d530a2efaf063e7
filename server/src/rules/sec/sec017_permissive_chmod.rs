use crate::index::last_segment;
use crate::index::Value;
use crate::rules::{fix, Applicability, Category, Checker, Fix, RuleMeta, Severity};

pub static RULE: RuleMeta = RuleMeta {
    id: "SEC017",
    name: "permissive-chmod",
    category: Category::Security,
    severity: Severity::Medium,
    summary: "`chmod` to a world- or group-writable mode",
    peers: &["B103", "S103"],
    fixable: true,
    check,
    docs: r#"
## What it does
Flags `os.chmod`, `os.fchmod`, `os.lchmod` and `Path.chmod` when the mode
(a literal such as `0o777`, `511`, `0x1ff`, or `stat.S_I*` flags joined with
`|`) lets the group or others write. Modes like `0o755`, `0o750`, `0o644`,
`0o600` are not flagged (bandit also flags group-execute, e.g. `0o750`).

## Why is this bad?
A world-writable script, key or config lets any local user change what the
next deploy runs or reads; group-writable files widen that to everyone in the
group (often `docker` or `users`).

## Example
```python
os.chmod("/opt/deploy/run.sh", 0o777)
```

Use instead:
```python
os.chmod("/opt/deploy/run.sh", 0o755)
```

## How to fix
Drop the group/other write bits (`0o755` for executables, `0o644` for
files, `0o600` for secrets). The fix clears the group-write and other-write
bits of a literal mode; it is unsafe because another user or
service may have relied on that access.
"#,
};

fn stat_bit(name: &str) -> Option<i64> {
    Some(match last_segment(name) {
        "S_IRWXU" => 0o700,
        "S_IRUSR" | "S_IREAD" => 0o400,
        "S_IWUSR" | "S_IWRITE" => 0o200,
        "S_IXUSR" | "S_IEXEC" => 0o100,
        "S_IRWXG" => 0o070,
        "S_IRGRP" => 0o040,
        "S_IWGRP" => 0o020,
        "S_IXGRP" => 0o010,
        "S_IRWXO" => 0o007,
        "S_IROTH" => 0o004,
        "S_IWOTH" => 0o002,
        "S_IXOTH" => 0o001,
        "S_ISUID" => 0o4000,
        "S_ISGID" => 0o2000,
        "S_ISVTX" => 0o1000,
        _ => return None,
    })
}

fn mode_of(v: &Value, text: &str) -> Option<i64> {
    match v {
        Value::Int(i) => Some(*i),
        _ => text
            .split('|')
            .map(|p| stat_bit(p.trim().trim_matches(|c| c == '(' || c == ')')))
            .try_fold(0, |acc, b| b.map(|b| acc | b)),
    }
}

const RISKY: i64 = 0o002 | 0o020;

fn check(cx: &mut Checker) {
    for call in cx.calls() {
        let q = call.qualified.as_str();
        let arg = match q {
            "os.chmod" | "os.fchmod" | "os.lchmod" => call.arg(1, "mode"),
            _ if q.ends_with("Path.chmod") || q == "pathlib.Path.chmod" => call.arg(0, "mode"),
            _ => None,
        };
        let Some(arg) = arg else { continue };
        let Some(mode) = mode_of(&arg.value, arg.range.slice(cx.src)) else {
            continue;
        };
        if mode & RISKY == 0 {
            continue;
        }
        let who = if mode & 0o002 != 0 {
            "world-writable"
        } else {
            "group-writable"
        };
        let safer = mode & !RISKY;
        let value_range = match arg.keyword {
            Some(_) => fix::replace_keyword_value(cx.src, arg, "").map(|e| e.range),
            None => Some(arg.range),
        };
        let f = cx.report(arg.range, format!("`{q}` sets mode {mode:#o}: {who}"));
        f.fix = value_range.map(|r| Fix {
            title: format!("Use mode `{safer:#o}`"),
            applicability: Applicability::Unsafe,
            edits: vec![fix::replace(r, format!("{safer:#o}"))],
        });
    }
}
