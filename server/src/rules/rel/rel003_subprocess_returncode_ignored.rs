use crate::rules::{fix, Applicability, Category, Checker, Fix, RuleMeta, Severity};

pub static RULE: RuleMeta = RuleMeta {
    id: "REL003",
    name: "subprocess-returncode-ignored",
    category: Category::Reliability,
    severity: Severity::Medium,
    summary: "`subprocess.call` / `Popen` result thrown away: failures and exit codes are lost",
    peers: &["semgrep:unchecked-returns"],
    fixable: true,
    check,
    docs: r#"
## What it does
Flags `subprocess.call(...)` and `subprocess.Popen(...)` used as a bare
statement (through any alias), so the exit status is never looked at and,
for `Popen`, the process is never waited for.

## Why is this bad?
`subprocess.call(["docker", "push", image])` returns 1 when the push fails
and the script carries on to deploy an image that is not in the registry. A
discarded `Popen` also leaves a zombie and races with the next step.

## Example
```python
subprocess.call(["docker", "push", image])
```

Use instead:
```python
subprocess.check_call(["docker", "push", image])
```

## How to fix
Use `subprocess.run(..., check=True)` or `check_call`, or keep the result
and check `returncode` (`Popen(...).wait()`). The fix turns `call` into
`check_call`; it is unsafe because the script now stops on failure.
"#,
};

fn check(cx: &mut Checker) {
    for (i, call) in cx.indexed_calls() {
        let q = call.qualified.as_str();
        if !matches!(q, "subprocess.call" | "subprocess.Popen") || !cx.structure().ctx(i).discarded
        {
            continue;
        }
        let edit = (q == "subprocess.call")
            .then(|| fix::rename_method(cx.src, call, "check_call"))
            .flatten();
        let what = if q == "subprocess.Popen" {
            "`subprocess.Popen` is never waited for: its exit status is lost"
        } else {
            "`subprocess.call` result is ignored: a non-zero exit status goes unnoticed"
        };
        let f = cx.report(call.callee_range, what);
        f.fix = edit.map(|e| Fix {
            title: "Use `subprocess.check_call`".into(),
            applicability: Applicability::Unsafe,
            edits: vec![e],
        });
    }
}
