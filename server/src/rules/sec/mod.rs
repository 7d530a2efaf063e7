//! SEC: security anti-patterns.

pub mod sec001_subprocess_shell_true;
pub mod sec006_yaml_unsafe_load;
pub mod sec008_tls_verify_disabled;
pub mod sec013_hardcoded_cloud_credentials;

/// This category's rules (the registry sorts all rules by id).
pub static RULES: &[&super::RuleMeta] = &[
    &sec001_subprocess_shell_true::RULE,
    &sec006_yaml_unsafe_load::RULE,
    &sec008_tls_verify_disabled::RULE,
    &sec013_hardcoded_cloud_credentials::RULE,
];
