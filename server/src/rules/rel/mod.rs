//! REL: reliability of scripts and glue code.

pub mod rel001_http_no_timeout;
pub mod rel002_subprocess_run_without_check;
pub mod rel003_subprocess_returncode_ignored;
pub mod rel004_string_command_without_shell;
pub mod rel005_bare_except;
pub mod rel006_swallowed_exception;
pub mod rel007_retry_without_backoff;
pub mod rel008_unbounded_polling;
pub mod rel009_blocking_sleep_in_async;
pub mod rel010_http_status_unchecked;
pub mod rel011_hardcoded_account_or_region;
pub mod rel012_unpinned_install_in_script;
pub mod rel013_download_and_execute;
pub mod rel014_secret_logged;
pub mod rel015_unpaginated_aws_list;
pub mod rel016_assert_for_validation;
pub mod rel017_import_time_side_effects;
pub mod rel018_exit_builtin;

/// This category's rules (the registry sorts all rules by id).
pub static RULES: &[&super::RuleMeta] = &[
    &rel001_http_no_timeout::RULE,
    &rel002_subprocess_run_without_check::RULE,
    &rel003_subprocess_returncode_ignored::RULE,
    &rel004_string_command_without_shell::RULE,
    &rel005_bare_except::RULE,
    &rel006_swallowed_exception::RULE,
    &rel007_retry_without_backoff::RULE,
    &rel008_unbounded_polling::RULE,
    &rel009_blocking_sleep_in_async::RULE,
    &rel010_http_status_unchecked::RULE,
    &rel011_hardcoded_account_or_region::RULE,
    &rel012_unpinned_install_in_script::RULE,
    &rel013_download_and_execute::RULE,
    &rel014_secret_logged::RULE,
    &rel015_unpaginated_aws_list::RULE,
    &rel016_assert_for_validation::RULE,
    &rel017_import_time_side_effects::RULE,
    &rel018_exit_builtin::RULE,
];
