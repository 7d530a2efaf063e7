//! COV: coverage rules. Detection needs coverage data and the workspace, so it
//! lives in `crate::coverage` (the server publishes COV001 next to per-file
//! findings); this module holds the metadata and docs.

pub mod cov001_untested_risky_function;

/// This category's rules.
pub static RULES: &[&super::RuleMeta] = &[&cov001_untested_risky_function::RULE];
