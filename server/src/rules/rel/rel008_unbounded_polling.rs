use crate::rules::{Category, Checker, RuleMeta, Severity};

pub static RULE: RuleMeta = RuleMeta {
    id: "REL008",
    name: "unbounded-polling",
    category: Category::Reliability,
    severity: Severity::Medium,
    summary: "`while True` polling loop with a sleep but no deadline or attempt limit",
    peers: &[],
    fixable: false,
    check,
    docs: r#"
## What it does
Flags `while True:` loops that sleep, wait for a condition (`break` /
`return` / `raise`), and have neither a deadline (no clock read such as
`time.monotonic()` in the loop) nor a counter (no `attempts += 1`). Service
loops that never exit (a daemon's main loop) and retry loops (REL007) are not
flagged.

## Why is this bad?
If the condition never comes true — the stack stays in
`UPDATE_ROLLBACK_FAILED`, the pod never becomes ready — the job hangs until
the CI runner's global timeout kills it, with no message saying what it was
waiting for.

## Example
```python
while True:
    status = cfn.describe_stacks(StackName=name)["Stacks"][0]["StackStatus"]
    if status.endswith("_COMPLETE"):
        break
    time.sleep(10)
```

Use instead:
```python
deadline = time.monotonic() + 30 * 60
while True:
    status = cfn.describe_stacks(StackName=name)["Stacks"][0]["StackStatus"]
    if status.endswith("_COMPLETE"):
        break
    if time.monotonic() > deadline:
        raise TimeoutError(f"{name} still {status} after 30 min")
    time.sleep(10)
```

## How to fix
Add a deadline (`time.monotonic()`) or a maximum number of attempts, and
fail with a message saying what did not happen. Prefer the SDK's waiters
(`cfn.get_waiter("stack_create_complete")`) where they exist.
"#,
};

fn check(cx: &mut Checker) {
    let mut hits = Vec::new();
    for l in &cx.structure().loops {
        if l.while_true
            && !l.sleeps.is_empty()
            && l.exits
            && !l.clock
            && !l.counter
            && l.handlers == 0
        {
            hits.push(l.header);
        }
    }
    for range in hits {
        cx.report(
            range,
            "polling loop has no deadline or attempt limit: it can wait forever",
        );
    }
}
