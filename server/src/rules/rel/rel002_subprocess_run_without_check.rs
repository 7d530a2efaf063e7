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
`check=False` is accepted as a deliberate choice.

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
