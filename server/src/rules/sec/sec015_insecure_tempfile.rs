use crate::rules::{fix, Applicability, Category, Checker, Fix, RuleMeta, Severity};
use crate::text::TextRange;

pub static RULE: RuleMeta = RuleMeta {
    id: "SEC015",
    name: "insecure-tempfile",
    category: Category::Security,
    severity: Severity::Medium,
    summary: "`tempfile.mktemp` returns a name another process can create first",
    peers: &["B306", "S306"],
    fixable: true,
    check,
    docs: r#"
## What it does
Flags `tempfile.mktemp(...)` through any alias (`from tempfile import mktemp`).

## Why is this bad?
`mktemp` only returns a name; the file is created later by the caller.
In between, another user on the machine (a shared CI runner, `/tmp`) can
create a symlink with that name and make the script overwrite or leak a file
of its choosing.

## Example
```python
path = tempfile.mktemp(suffix=".tfplan")
subprocess.run(["terraform", "plan", "-out", path], check=True)
```

Use instead:
```python
fd, path = tempfile.mkstemp(suffix=".tfplan")
os.close(fd)
subprocess.run(["terraform", "plan", "-out", path], check=True)
```

## How to fix
Use `tempfile.mkstemp()` (creates the file atomically and returns
`(fd, path)`), `NamedTemporaryFile` or `TemporaryDirectory`. The fix rewrites
`tempfile.mktemp(...)` to `tempfile.mkstemp(...)[1]`, which keeps the
arguments and the string result; it is unsafe because the file now exists
(and its descriptor stays open until exit).
"#,
};

fn check(cx: &mut Checker) {
    for call in cx.calls() {
        if call.qualified != "tempfile.mktemp" {
            continue;
        }
        let edits = fix::rename_method(cx.src, call, "mkstemp").map(|rename| {
            vec![
                rename,
                fix::replace(
                    TextRange {
                        start: call.range.end,
                        end: call.range.end,
                    },
                    "[1]",
                ),
            ]
        });
        let f = cx.report(
            call.callee_range,
            "`tempfile.mktemp` is race-prone: the name can be taken before the file is created",
        );
        f.fix = edits.map(|edits| Fix {
            title: "Use `tempfile.mkstemp(...)[1]`".into(),
            applicability: Applicability::Unsafe,
            edits,
        });
    }
}
