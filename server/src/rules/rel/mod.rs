//! REL: reliability of scripts and glue code.

pub mod rel001_http_no_timeout;
pub mod rel002_subprocess_run_without_check;

/// This category's rules (the registry sorts all rules by id).
pub static RULES: &[&super::RuleMeta] = &[
    &rel001_http_no_timeout::RULE,
    &rel002_subprocess_run_without_check::RULE,
];
