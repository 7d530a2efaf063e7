use crate::rules::{fix, Applicability, Category, Checker, Fix, RuleMeta, Severity};

pub static RULE: RuleMeta = RuleMeta {
    id: "REL009",
    name: "blocking-sleep-in-async",
    category: Category::Reliability,
    severity: Severity::Medium,
    summary: "`time.sleep` inside an `async def` blocks the event loop",
    peers: &["ASYNC251"],
    fixable: true,
    check,
    docs: r#"
## What it does
Flags `time.sleep(...)` (any alias, `from time import sleep`) called directly
inside an `async def`. A synchronous function nested in the coroutine is not
flagged.

## Why is this bad?
`time.sleep` stops the whole event loop: every other task (health checks,
other deployments, heartbeats) freezes for the duration.

## Example
```python
async def wait_ready(client, name):
    while not await client.is_ready(name):
        time.sleep(5)
```

Use instead:
```python
async def wait_ready(client, name):
    while not await client.is_ready(name):
        await asyncio.sleep(5)
```

## How to fix
Use `await asyncio.sleep(...)`. The fix does that (adding `import asyncio`
if needed); it is unsafe because other tasks now run during the pause.
"#,
};

fn check(cx: &mut Checker) {
    for (i, call) in cx.indexed_calls() {
        if call.qualified != "time.sleep" || !cx.def(call.enclosing).is_some_and(|d| d.is_async) {
            continue;
        }
        let edits = cx.structure().ctx(i).discarded.then(|| {
            let (asyncio, import) = fix::ensure_import(cx.src, cx.tree, &cx.ex.imports, "asyncio");
            let mut edits = vec![fix::replace(
                call.callee_range,
                format!("await {asyncio}.sleep"),
            )];
            edits.extend(import);
            edits
        });
        let f = cx.report(
            call.callee_range,
            "`time.sleep` in a coroutine blocks the event loop",
        );
        f.fix = edits.map(|edits| Fix {
            title: "Use `await asyncio.sleep(...)`".into(),
            applicability: Applicability::Unsafe,
            edits,
        });
    }
}
