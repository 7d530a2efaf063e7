//! REL: reliability of scripts and glue code.

pub mod rel001_http_no_timeout;
pub mod rel002_subprocess_run_without_check;
