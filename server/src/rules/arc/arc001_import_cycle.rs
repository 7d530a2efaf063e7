use crate::rules::workspace::{Anchor, WorkspaceFinding, WorkspaceInput};
use crate::rules::{Category, RuleMeta, Severity};

pub static RULE: RuleMeta = RuleMeta {
    id: "ARC001",
    name: "import-cycle",
    category: Category::Architecture,
    severity: Severity::Medium,
    summary: "modules import each other in a cycle at import time",
    peers: &["R0401"],
    fixable: false,
    check: super::no_op,
    docs: r#"
## What it does
Finds cycles among the workspace's modules through imports that run when a
module is imported. Each cycle is reported once, on one import line of each
of its members: the import that starts the shortest cycle through that
member, with the cycle in the message (`a -> b -> a`). Imports inside
functions and under `if TYPE_CHECKING:` are the usual ways to break a cycle
and do not count. This is a workspace rule: it is computed from all files'
imports after indexing and again whenever an import changes.

## Why is this bad?
A cycle makes import order matter: whichever module is imported first sees
the other half-initialised, and `ImportError: cannot import name` (or an
`AttributeError` on a partially initialised module) appears depending on
the entry point. Cycles also tie modules together so that neither can be
tested, reused or deployed alone.

## Example
```python
# app/models.py
from app.services import notify

# app/services.py
from app.models import User
```

## How to fix
Move what both modules need into a third module, import inside the function
that needs it, or import only for type checking:

```python
from typing import TYPE_CHECKING
if TYPE_CHECKING:
    from app.models import User
```
"#,
};

/// The longest cycle written out in a message before it is shortened.
const MAX_SHOWN: usize = 8;

pub fn detect(input: &WorkspaceInput) -> Vec<WorkspaceFinding> {
    let mut out = Vec::new();
    for cycle in &input.modules.cycles {
        for link in &cycle.links {
            let Some(s) = input.summaries.get(link.file as usize) else {
                continue;
            };
            let shown = if link.path.len() > MAX_SHOWN {
                let mut p = link.path[..MAX_SHOWN - 1].join(" -> ");
                p.push_str(&format!(" -> … -> {}", link.module));
                p
            } else {
                link.path.join(" -> ")
            };
            let distinct = link.path.len().saturating_sub(1);
            let size = if cycle.members.len() > distinct {
                format!(" (part of a cycle of {} modules)", cycle.members.len())
            } else {
                String::new()
            };
            out.push(WorkspaceFinding {
                path: s.path.clone(),
                rule: RULE.id,
                anchor: Anchor::Import(link.import),
                message: format!("import cycle: {shown}{size}"),
            });
        }
    }
    out
}
