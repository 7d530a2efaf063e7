use crate::index::CallSite;
use crate::rules::{fix, Applicability, Category, Checker, Fix, RuleMeta, Severity};

pub static RULE: RuleMeta = RuleMeta {
    id: "REL002",
    name: "subprocess-run-without-check",
    category: Category::Reliability,
    severity: Severity::Medium,
    summary: "`subprocess.run` without `check=`: a failing command goes unnoticed",
    peers: &["PLW1510"],
    fixable: true,
    check,
    docs: r#"
## What it does
Flags `subprocess.run(...)` calls (through any alias) that do not pass
`check=`. Calls forwarding `**kwargs` are not flagged; an explicit
`check=False` is accepted as a deliberate choice, and so is a result bound to
a name whose `returncode` (or `check_returncode()`) is read later in the same
function, or read on the spot: the status is inspected by hand
(`p = run(cmd)` then `if p.returncode: ...`; `code = run(cmd).returncode`).

## Why is this bad?
Without `check=True` a failing `terraform apply`, `kubectl rollout` or
`docker push` returns normally and the script carries on as if it had
succeeded — the classic "green pipeline, broken deploy".

## Example
```python
subprocess.run(["terraform", "apply", "-auto-approve"])
```

Use instead:
```python
subprocess.run(["terraform", "apply", "-auto-approve"], check=True)
```

## How to fix
Add `check=True` (raises `CalledProcessError` on a non-zero exit), or pass
`check=False` and inspect `returncode` yourself. The fix adds `check=True`; it
is unsafe because the call may now raise.
"#,
};

fn check(cx: &mut Checker) {
    for call in cx.calls() {
        if call.qualified != "subprocess.run"
            || call.has_star_kwargs
            || call.keyword("check").is_some()
            || status_inspected(cx, call)
        {
            continue;
        }
        let edit = fix::add_keyword(call, "check", "True");
        cx.report(
            call.callee_range,
            "`subprocess.run` without `check=`: a non-zero exit status is ignored",
        )
        .fix = Some(Fix {
            title: "Add `check=True`".into(),
            applicability: Applicability::Unsafe,
            edits: vec![edit],
        });
    }
}

/// `name = subprocess.run(...)` (or `name: T = ...`) and `name.returncode` or
/// `name.check_returncode` read after the call, before the enclosing
/// function (or the module) ends.
fn status_inspected(cx: &Checker, call: &CallSite) -> bool {
    // `subprocess.run(cmd).returncode`: read on the spot
    let after = cx.src.get(call.range.end as usize..).unwrap_or("");
    if starts_with_status(after.trim_start()) {
        return true;
    }
    let start = call.range.start as usize;
    let Some(before) = cx.src.get(..start) else {
        return false;
    };
    let line = &before[before.rfind('\n').map_or(0, |i| i + 1)..];
    let Some(target) = line.trim().strip_suffix('=') else {
        return false;
    };
    let name = target.split(':').next().unwrap_or("").trim();
    if !is_name(name) {
        // `x == run(...)`, `a, b = ...`, `self.p = ...`, `x += ...`
        return false;
    }
    let end = cx
        .def(call.enclosing)
        .map_or(cx.src.len(), |d| d.range.end as usize);
    cx.src
        .get(call.range.end as usize..end)
        .is_some_and(|after| reads_status(after, name))
}

fn is_name(s: &str) -> bool {
    let mut bytes = s.bytes();
    bytes
        .next()
        .is_some_and(|b| b.is_ascii_alphabetic() || b == b'_')
        && bytes.all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

/// `text` reads `name.returncode` or `name.check_returncode` (`name` not the
/// tail of a longer name or attribute chain).
fn reads_status(text: &str, name: &str) -> bool {
    let ident = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || b == b'.';
    text.match_indices(name).any(|(i, _)| {
        let free = i == 0 || !ident(text.as_bytes()[i - 1]);
        free && starts_with_status(&text[i + name.len()..])
    })
}

/// `rest` starts with the attribute `.returncode` or `.check_returncode`.
fn starts_with_status(rest: &str) -> bool {
    [".returncode", ".check_returncode"].iter().any(|attr| {
        rest.strip_prefix(attr).is_some_and(|r| {
            !r.bytes()
                .next()
                .is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_')
        })
    })
}
