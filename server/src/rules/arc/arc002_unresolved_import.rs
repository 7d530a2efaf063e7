use crate::graph::Target;
use crate::rules::workspace::{Anchor, WorkspaceFinding, WorkspaceInput};
use crate::rules::{Category, RuleMeta, Severity};

pub static RULE: RuleMeta = RuleMeta {
    id: "ARC002",
    name: "unresolved-local-import",
    category: Category::Architecture,
    severity: Severity::High,
    summary: "import of a workspace module that does not exist",
    peers: &["E0401", "reportMissingImports"],
    fixable: false,
    check: super::no_op,
    docs: r#"
## What it does
Flags imports that must come from the workspace but name no module in it:
relative imports (`from .utils import x`) whose module is missing or that go
above the top-level package, and absolute imports whose top-level package is
one of the workspace's own regular packages (`import myapp.missing` when
`myapp/__init__.py` exists) but whose module does not exist. Imports of other
packages (installed or not) are not checked, nor those under a top-level
folder without `__init__.py` (a namespace package: an installed package of
the same name is found first, as `packaging` next to a `packaging/` folder of
release scripts). Module names come from the search roots (`src = [".",
"src"]` by default; set `src` in the configuration for other layouts). This
is a workspace rule, recomputed whenever imports or files change.

## Why is this bad?
The import fails with `ModuleNotFoundError` when that code runs: after a
rename or a move the script breaks in production, often only on the code path
that imports lazily.

## Example
```python
# deploy/run.py, next to deploy/steps.py
from .step import apply   # the module is `steps`
```

## How to fix
Correct the module path, restore the moved module, or add the folder that
holds the package to `src` in `[tool.devops-intel]`.
"#,
};

pub fn detect(input: &WorkspaceInput) -> Vec<WorkspaceFinding> {
    let mut out = Vec::new();
    for (fi, entry) in input.modules.files.iter().enumerate() {
        let Some(s) = input.summaries.get(fi) else {
            continue;
        };
        let mut last_range = None;
        for (ii, t) in entry.imports.iter().enumerate() {
            if let Target::Unresolved { dotted } = t {
                // `from .missing import a, b` is one statement: one finding
                let range = s.imports.get(ii).map(|i| i.range);
                if range.is_some() && range == last_range {
                    continue;
                }
                last_range = range;
                out.push(WorkspaceFinding {
                    path: s.path.clone(),
                    rule: RULE.id,
                    anchor: Anchor::Import(ii as u32),
                    message: if dotted.starts_with('.') {
                        format!("unresolved import: relative import `{dotted}` goes above the top-level package")
                    } else {
                        format!("unresolved import: no module `{dotted}` in the workspace")
                    },
                });
            }
        }
    }
    out
}
