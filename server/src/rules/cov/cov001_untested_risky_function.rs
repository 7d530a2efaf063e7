use crate::rules::{Category, Checker, RuleMeta, Severity};

pub static RULE: RuleMeta = RuleMeta {
    id: "COV001",
    name: "untested-risky-function",
    category: Category::Coverage,
    severity: Severity::Info,
    summary: "function with external effects and no test coverage",
    peers: &[],
    fixable: false,
    check,
    docs: r#"
## What it does
Using the project's coverage data (coverage.py `coverage json`, or lcov: the
`coverage` setting, else `coverage.json`, `coverage.lcov` or `lcov.info` in the
workspace root), flags functions none of whose lines ran under the tests and
that have external effects: environment reads, subprocesses, network calls,
file writes or cloud SDK calls. The `def` and decorator lines run at import
time and do not count as tested.

## Why is this bad?
Untested code that deploys, deletes, uploads or calls other services is where
a typo turns into an outage: nothing notices until the pipeline runs for real.
`devops-intel coverage gaps` ranks these functions by missing lines × effects
× callers.

## Example
```python
def rollback(service: str, revision: int) -> None:   # covered 0/3 lines
    subprocess.check_call(["helm", "rollback", service, str(revision)])
```

## How to fix
Use the code action "Generate pytest test for `rollback`" (or
`devops-intel testgen path.py:rollback`): it writes a test that mocks the
effects and asserts the exact calls, then run `pytest --cov` again.
"#,
};

/// Detection runs in `crate::coverage` with the coverage data at hand.
fn check(_: &mut Checker) {}
