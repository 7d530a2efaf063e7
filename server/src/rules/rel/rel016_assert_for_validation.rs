use crate::rules::{fix, Applicability, Category, Checker, Fix, RuleMeta, Severity};

pub static RULE: RuleMeta = RuleMeta {
    id: "REL016",
    name: "assert-for-validation",
    category: Category::Reliability,
    severity: Severity::Low,
    summary: "`assert` used for run-time checks in non-test code (removed by `python -O`)",
    peers: &["B101", "S101"],
    fixable: true,
    check,
    docs: r#"
## What it does
Flags `assert` statements outside test code. Test files (`test_*.py`,
`*_test.py`, `conftest.py`, anything under `tests/`) and functions named
`test_*` are not flagged.

## Why is this bad?
`python -O` (and `PYTHONOPTIMIZE`, set in some container images) removes
asserts: the check that the target environment is not production, or that
the artifact checksum matches, silently disappears.

## Example
```python
assert env in ("staging", "production"), f"unknown env {env}"
```

Use instead:
```python
if env not in ("staging", "production"):
    raise ValueError(f"unknown env {env}")
```

## How to fix
Raise a real exception. The fix rewrites a one-line `assert cond, msg` as
`if not (cond): raise AssertionError(msg)`; it is unsafe only in that the
check now also runs under `-O`.
"#,
};

fn check(cx: &mut Checker) {
    if cx.is_test_file() {
        return;
    }
    let mut hits = Vec::new();
    for a in &cx.structure().asserts {
        if cx
            .def(a.enclosing)
            .is_some_and(|d| d.name.starts_with("test"))
        {
            continue;
        }
        let edit = a.single_line.then(|| {
            let line_start = cx.src[..a.range.start as usize]
                .rfind('\n')
                .map_or(0, |i| i + 1);
            let indent: String = cx.src[line_start..]
                .chars()
                .take_while(|c| *c == ' ' || *c == '\t')
                .collect();
            let msg = a.msg.map(|m| cx.text(m)).unwrap_or("");
            fix::replace(
                a.range,
                format!(
                    "if not ({}):\n{indent}    raise AssertionError({msg})",
                    cx.text(a.test)
                ),
            )
        });
        hits.push((a.range, edit));
    }
    for (range, edit) in hits {
        let f = cx.report(
            range,
            "`assert` is removed under `python -O`; raise an exception instead",
        );
        f.fix = edit.map(|e| Fix {
            title: "Replace with `if not …: raise AssertionError`".into(),
            applicability: Applicability::Unsafe,
            edits: vec![e],
        });
    }
}
