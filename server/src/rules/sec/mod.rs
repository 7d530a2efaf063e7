//! SEC: security anti-patterns.

pub mod sec001_subprocess_shell_true;
pub mod sec002_os_system_dynamic;
pub mod sec003_os_exec_spawn_dynamic;
pub mod sec004_tainted_command;
pub mod sec005_eval_exec_dynamic;
pub mod sec006_yaml_unsafe_load;
pub mod sec007_unsafe_deserialization;
pub mod sec008_tls_verify_disabled;
pub mod sec009_unverified_ssl_context;
pub mod sec010_weak_tls_version;
pub mod sec011_ssh_auto_add_host_key;
pub mod sec012_ssh_exec_dynamic;
pub mod sec013_hardcoded_cloud_credentials;
pub mod sec014_hardcoded_secret;
pub mod sec015_insecure_tempfile;
pub mod sec016_hardcoded_tmp_path;
pub mod sec017_permissive_chmod;
pub mod sec018_jinja2_autoescape_off;
pub mod sec019_flask_debug_true;
pub mod sec020_bind_all_interfaces;
pub mod sec021_tarfile_extractall_unfiltered;
pub mod sec022_cleartext_protocol;
pub mod sec023_weak_hash_for_security;

/// This category's rules (the registry sorts all rules by id).
pub static RULES: &[&super::RuleMeta] = &[
    &sec001_subprocess_shell_true::RULE,
    &sec002_os_system_dynamic::RULE,
    &sec003_os_exec_spawn_dynamic::RULE,
    &sec004_tainted_command::RULE,
    &sec005_eval_exec_dynamic::RULE,
    &sec006_yaml_unsafe_load::RULE,
    &sec007_unsafe_deserialization::RULE,
    &sec008_tls_verify_disabled::RULE,
    &sec009_unverified_ssl_context::RULE,
    &sec010_weak_tls_version::RULE,
    &sec011_ssh_auto_add_host_key::RULE,
    &sec012_ssh_exec_dynamic::RULE,
    &sec013_hardcoded_cloud_credentials::RULE,
    &sec014_hardcoded_secret::RULE,
    &sec015_insecure_tempfile::RULE,
    &sec016_hardcoded_tmp_path::RULE,
    &sec017_permissive_chmod::RULE,
    &sec018_jinja2_autoescape_off::RULE,
    &sec019_flask_debug_true::RULE,
    &sec020_bind_all_interfaces::RULE,
    &sec021_tarfile_extractall_unfiltered::RULE,
    &sec022_cleartext_protocol::RULE,
    &sec023_weak_hash_for_security::RULE,
];
