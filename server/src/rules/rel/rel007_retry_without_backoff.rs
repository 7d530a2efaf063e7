use crate::index::structure::Loop;
use crate::index::EffectKind;
use crate::rules::{Category, Checker, RuleMeta, Severity};

pub static RULE: RuleMeta = RuleMeta {
    id: "REL007",
    name: "retry-without-backoff",
    category: Category::Reliability,
    severity: Severity::Medium,
    summary: "Retry loop that retries immediately or after a fixed delay (no backoff)",
    peers: &[],
    fixable: false,
    check,
    docs: r#"
## What it does
Flags retry loops — a `while` loop or a `for … in range(…)` loop that
contains an `except` handler which lets the loop go on (no `return`/`break`
in it) and leaves on success (`break`, `return`) — that either never sleep
while retrying a network, subprocess or cloud call, or sleep a constant time (`time.sleep(5)`, or a
name that is not changed inside the loop). A delay that grows
(`time.sleep(2 ** attempt)`, `delay *= 2`) is backoff and is not flagged.
Loops over a list of hosts (fail-over) are not retry loops.

## Why is this bad?
When an API throttles or a service restarts, every client retrying at the
same fixed rate keeps it overloaded (the "thundering herd"); without any
sleep the loop burns its attempts in milliseconds and gives up before the
service is back.

## Example
```python
for attempt in range(5):
    try:
        return client.describe_stacks(StackName=name)
    except ClientError:
        time.sleep(5)
```

Use instead:
```python
for attempt in range(5):
    try:
        return client.describe_stacks(StackName=name)
    except ClientError:
        time.sleep(min(30, 2 ** attempt) + random.random())
```

## How to fix
Sleep an exponentially growing delay with jitter, bounded in both delay and
attempts (or use `tenacity` / `backoff`, or botocore's retry config).
"#,
};

/// `Some(None)`: no sleep; `Some(Some(text))`: only constant sleeps (the
/// first one's text); `None`: some sleep grows (backoff).
fn fixed_delay(cx: &Checker, l: &Loop) -> Option<Option<String>> {
    let mut first = None;
    for &i in &l.sleeps {
        let call = &cx.calls()[i as usize];
        let text = match call.arg(0, "secs").or_else(|| call.arg(0, "delay")) {
            None => "0".to_string(),
            Some(arg) => {
                let text = arg.range.slice(cx.src);
                let mutated = l.assigned.iter().any(|n| {
                    text.split(|c: char| !(c.is_alphanumeric() || c == '_'))
                        .any(|w| w == n.as_str())
                });
                if !arg.value.is_constant() || mutated {
                    return None;
                }
                text.to_string()
            }
        };
        first.get_or_insert(text);
    }
    Some(first)
}

fn check(cx: &mut Checker) {
    let mut hits = Vec::new();
    for l in &cx.structure().loops {
        let retry_shaped = l.is_while || l.over_range;
        if !retry_shaped || l.retrying_handlers.is_empty() || !l.exits {
            continue;
        }
        // Retrying local work (a key collision) needs no delay; retrying a
        // network, subprocess or cloud call does.
        let external = cx.ex.effects.iter().any(|e| {
            l.range.contains(e.range.start)
                && matches!(
                    e.kind,
                    EffectKind::Network | EffectKind::Subprocess | EffectKind::CloudCall
                )
        });
        match fixed_delay(cx, l) {
            Some(None) if !external => {}
            Some(None) => hits.push((
                l.header,
                "retry loop retries immediately, without any delay".to_string(),
            )),
            Some(Some(d)) => hits.push((
                l.header,
                format!("retry loop waits a fixed `{d}` between attempts: no backoff"),
            )),
            None => {}
        }
    }
    for (range, message) in hits {
        cx.report(range, message);
    }
}
