use crate::index::last_segment;
use crate::rules::{fix, Applicability, Category, Checker, Fix, RuleMeta, Severity};

pub static RULE: RuleMeta = RuleMeta {
    id: "SEC021",
    name: "tarfile-extractall-unfiltered",
    category: Category::Security,
    severity: Severity::Medium,
    summary: "`tarfile` extraction without a safe `filter=` (path traversal, links, device files)",
    peers: &["B202", "S202"],
    fixable: true,
    check,
    docs: r#"
## What it does
Flags `extractall(...)` / `extract(...)` on tar archives (`tarfile.open(...)`
results, with or without `with`, or any `.extractall` in a file that imports
tarfile) without `filter=` or with `filter="fully_trusted"`. `members=`
does not make extraction safe and is not taken into account.

## Why is this bad?
A tar member named `../../home/deploy/.ssh/authorized_keys`, an absolute
path, or a symlink followed by a file through it writes outside the target
directory. Release tarballs, build artifacts and backups downloaded in CI are
exactly the archives nobody inspects.

## Example
```python
with tarfile.open(artifact) as tar:
    tar.extractall(dest)
```

Use instead:
```python
with tarfile.open(artifact) as tar:
    tar.extractall(dest, filter="data")
```

## How to fix
Pass `filter="data"` (Python 3.12, and security releases of 3.8–3.11) or
validate every member's path yourself. The fix adds `filter="data"`; it is
unsafe because archives with links or special files outside the target now
fail to extract.
"#,
};

fn check(cx: &mut Checker) {
    let imports_tarfile = cx.imports_module("tarfile");
    for call in cx.calls() {
        let q = call.qualified.as_str();
        let method = last_segment(q);
        if !matches!(method, "extractall" | "extract") {
            continue;
        }
        let on_tar =
            q.starts_with("tarfile.") || (imports_tarfile && q == call.callee && q.contains('.'));
        if !on_tar || (method == "extract" && !q.starts_with("tarfile.")) {
            continue;
        }
        let edit = match call.keyword("filter") {
            None if call.has_star_kwargs => continue,
            None => Some(fix::add_keyword(call, "filter", "\"data\"")),
            Some(a) if a.value.as_str() == Some("fully_trusted") => {
                fix::replace_keyword_value(cx.src, a, "\"data\"")
            }
            Some(_) => continue,
        };
        let f = cx.report(
            call.callee_range,
            format!("`{method}` without a safe filter can write outside the target directory"),
        );
        f.fix = edit.map(|e| Fix {
            title: "Use `filter=\"data\"`".into(),
            applicability: Applicability::Unsafe,
            edits: vec![e],
        });
    }
}
