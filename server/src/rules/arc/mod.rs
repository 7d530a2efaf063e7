//! ARC: architecture rules over the whole workspace (import cycles, unresolved
//! workspace imports). Their per-file `check` does nothing: detection is the
//! workspace pass [`PASS`] (see `rules::workspace`), run on the module layer.

pub mod arc001_import_cycle;
pub mod arc002_unresolved_import;

use super::workspace::{WorkspaceFinding, WorkspaceInput, WorkspacePass};

/// This category's rules (the registry sorts all rules by id).
pub static RULES: &[&super::RuleMeta] =
    &[&arc001_import_cycle::RULE, &arc002_unresolved_import::RULE];

pub static PASS: WorkspacePass = WorkspacePass {
    rules: &["ARC001", "ARC002"],
    run,
};

fn run(input: &WorkspaceInput) -> Vec<WorkspaceFinding> {
    let mut out = arc001_import_cycle::detect(input);
    out.extend(arc002_unresolved_import::detect(input));
    out
}

/// Per-file check of workspace rules: nothing to do per file.
pub(crate) fn no_op(_: &mut super::Checker) {}
