use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    // SAFETY: first statement of the process; no tree-sitter object exists yet.
    unsafe { devops_intel::syntax::use_mimalloc_for_trees() };
    // Logs go to stderr: stdout is the LSP channel. Quiet unless RUST_LOG says otherwise.
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_ansi(false)
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("DEVOPS_INTEL_LOG")
                .or_else(|_| tracing_subscriber::EnvFilter::try_from_default_env())
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
        )
        .init();
    devops_intel::cli::run(devops_intel::cli::Cli::parse())
}
