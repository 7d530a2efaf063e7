use crate::coverage::{self, Coverage, FileCoverage};
use crate::index::{DefKind, FileSummary};
use crate::rules::workspace::{Anchor, WorkspaceFinding, WorkspaceInput};
use crate::rules::{Category, Checker, RuleMeta, Severity};
use std::collections::BTreeSet;

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

/// Detection is a workspace pass ([`detect`]): it needs the coverage data.
fn check(_: &mut Checker) {}

/// COV001 over the workspace, when there is coverage data.
pub fn detect(input: &WorkspaceInput) -> Vec<WorkspaceFinding> {
    let Some(cov) = input.coverage else {
        return Vec::new();
    };
    input
        .summaries
        .iter()
        .filter_map(|s| Some((s, cov.file(&s.path)?)))
        .flat_map(|(s, fc)| {
            findings(s, fc, cov)
                .into_iter()
                .map(|(def, message)| WorkspaceFinding {
                    path: s.path.clone(),
                    rule: RULE.id,
                    anchor: Anchor::Def(def as u32),
                    message,
                })
        })
        .collect()
}

/// The untested functions with external effects of one file (`fc`, its part
/// of `cov`): each definition's index and the message. Test files have none;
/// whether a file is one is read from its path below the coverage data's
/// folder (a project under `~/test/` is not all tests).
pub fn findings(summary: &FileSummary, fc: &FileCoverage, cov: &Coverage) -> Vec<(usize, String)> {
    if coverage::is_test_file_below(&summary.path, cov.base()) {
        return Vec::new();
    }
    coverage::untested_risky(summary, fc)
        .into_iter()
        .filter(|(d, _, _)| d.kind != DefKind::Class)
        .map(|(d, f, effects)| {
            let kinds: BTreeSet<String> = summary
                .effects
                .iter()
                .filter(|e| e.enclosing == Some(f.def as u32))
                .map(|e| format!("{:?}", e.kind).to_lowercase())
                .collect();
            let message = format!(
                "`{}` is untested ({}) and has {effects} external effect(s): {}",
                d.qualname,
                f.label(),
                kinds.into_iter().collect::<Vec<_>>().join(", ")
            );
            (f.def, message)
        })
        .collect()
}
