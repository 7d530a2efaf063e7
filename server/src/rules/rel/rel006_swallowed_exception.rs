use crate::index::structure::HandlerBody;
use crate::rules::{Category, Checker, RuleMeta, Severity};

pub static RULE: RuleMeta = RuleMeta {
    id: "REL006",
    name: "swallowed-exception",
    category: Category::Reliability,
    severity: Severity::Low,
    summary: "`except Exception: pass` / `continue`: every error silently ignored",
    peers: &["B110", "B112", "S110", "S112"],
    fixable: false,
    check,
    docs: r#"
## What it does
Flags handlers that catch everything (bare `except:`, `Exception`,
`BaseException`) and whose whole body is `pass`, `continue` or `...`.
Handlers for specific exceptions (`except FileNotFoundError: pass`) are a
deliberate choice and are not flagged.

## Why is this bad?
Typos, permission errors, expired credentials and network failures all
disappear: the script reports success, and the one log line that would have
explained the broken deploy never gets written.

## Example
```python
for host in hosts:
    try:
        drain(host)
    except Exception:
        continue
```

Use instead:
```python
for host in hosts:
    try:
        drain(host)
    except (TimeoutError, ConnectionError) as exc:
        log.warning("could not drain %s: %s", host, exc)
        continue
```

## How to fix
Catch the specific exceptions you expect, and log what was skipped.
"#,
};

fn check(cx: &mut Checker) {
    for e in &cx.structure().excepts {
        if !e.catches_all() {
            continue;
        }
        let what = match e.body {
            HandlerBody::Pass => "pass",
            HandlerBody::Continue => "continue",
            HandlerBody::Ellipsis => "...",
            HandlerBody::Other => continue,
        };
        let clause = match e.types.as_deref() {
            Some(t) => format!("except {t}: {what}"),
            None => format!("except: {what}"),
        };
        cx.report(
            e.header,
            format!("`{clause}` silently swallows every error"),
        );
    }
}
