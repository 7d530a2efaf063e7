//! COV: coverage rules, detected from the project's coverage data and every
//! summary (a workspace pass, like ARC): `check` runs them on the coverage
//! file it finds; the server publishes the same findings from its own
//! reloadable copy of the data (`lsp/coverage.rs`).

use super::workspace::{WorkspaceFinding, WorkspaceInput, WorkspacePass};

pub mod cov001_untested_risky_function;

/// This category's rules.
pub static RULES: &[&super::RuleMeta] = &[&cov001_untested_risky_function::RULE];

pub static PASS: WorkspacePass = WorkspacePass {
    rules: &["COV001"],
    run,
};

fn run(input: &WorkspaceInput) -> Vec<WorkspaceFinding> {
    cov001_untested_risky_function::detect(input)
}
