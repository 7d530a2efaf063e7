use crate::rules::{fix, Applicability, Category, Checker, Fix, RuleMeta, Severity};
use crate::text::TextRange;

pub static RULE: RuleMeta = RuleMeta {
    id: "REL005",
    name: "bare-except",
    category: Category::Reliability,
    severity: Severity::Medium,
    summary: "`except:` / `except BaseException:` that does not re-raise",
    peers: &["E722"],
    fixable: true,
    check,
    docs: r#"
## What it does
Flags bare `except:` clauses and `except BaseException` (also in a tuple)
whose handler contains no `raise`. Handlers that clean up and re-raise are
fine.

## Why is this bad?
These catch `KeyboardInterrupt` and `SystemExit` too: Ctrl-C no longer stops
a runaway deploy loop, `sys.exit(1)` in a helper is silently turned into
success, and a CI job's cancellation signal is swallowed.

## Example
```python
try:
    rollout(release)
except:
    log.warning("rollout failed")
```

Use instead:
```python
try:
    rollout(release)
except Exception:
    log.warning("rollout failed")
    raise
```

## How to fix
Catch `Exception` (or the specific errors you expect), or re-raise. The fix
turns a bare `except:` into `except Exception:`; it is unsafe because Ctrl-C
and `sys.exit()` now propagate.
"#,
};

fn check(cx: &mut Checker) {
    for e in &cx.structure().excepts {
        if !e.is_bare_or_base() || e.reraises {
            continue;
        }
        let bare = e.types.is_none();
        let header = cx.text(e.header);
        let edit =
            (bare && header.starts_with("except") && !header.starts_with("except*")).then(|| {
                let at = e.header.start + "except".len() as u32;
                fix::replace(TextRange { start: at, end: at }, " Exception")
            });
        let what = if bare {
            "bare `except:`"
        } else {
            "`except BaseException`"
        };
        let f = cx.report(
            e.header,
            format!("{what} also catches KeyboardInterrupt and SystemExit and does not re-raise"),
        );
        f.fix = edit.map(|e| Fix {
            title: "Catch `Exception` instead".into(),
            applicability: Applicability::Unsafe,
            edits: vec![e],
        });
    }
}
