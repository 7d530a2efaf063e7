//! Command line: `check`, `rules`, `rule`, `summary`, `serve`. The only module
//! that knows argv; it calls the same engine the server uses.

mod check;
mod coverage;
mod docs;
mod graph;
mod iac;
mod testgen;

use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser, Debug)]
#[command(
    name = "devops-intel",
    version,
    about = "Understand and harden Python DevOps code: language server and CLI"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Json,
    Sarif,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Check files and folders for findings (exit 0 clean, 1 findings, 2 error).
    Check(check::CheckArgs),
    /// Module, call, impact, data-flow or resource graph as JSON, DOT or Mermaid.
    Graph(graph::GraphArgs),
    /// Markdown documentation of a workspace: modules, functions and their effects, graphs, smells.
    Docs(docs::DocsArgs),
    /// List every rule.
    Rules {
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
    },
    /// Print a rule's documentation.
    Rule { id: String },
    /// Infrastructure as code: cost estimates and IaC-only validation.
    #[command(subcommand)]
    Iac(iac::IacCommand),
    /// Print a file's summary (definitions, imports, calls, effects, findings) as JSON.
    Summary { path: PathBuf },
    /// Generate pytest tests for a function (`PATH:FUNCTION`) or every untested one.
    Testgen(testgen::TestgenArgs),
    /// Coverage gaps: untested functions ranked by risk.
    #[command(subcommand)]
    Coverage(coverage::CoverageCommand),
    /// Run the language server over stdio.
    Serve {
        /// Accepted for clients that pass it; stdio is the only transport.
        #[arg(long)]
        stdio: bool,
    },
}

pub fn run(cli: Cli) -> ExitCode {
    match cli.command {
        Command::Check(args) => check::run(args),
        Command::Graph(args) => graph::run(args),
        Command::Docs(args) => docs::run(args),
        Command::Rules { format } => {
            print_rules(format);
            ExitCode::SUCCESS
        }
        Command::Rule { id } => match crate::rules::rule(&id) {
            Some(r) => {
                print!("{}", crate::rules::render_docs(r));
                ExitCode::SUCCESS
            }
            None => {
                eprintln!("error: unknown rule `{id}` (see `devops-intel rules`)");
                ExitCode::from(2)
            }
        },
        Command::Summary { path } => summary(&path),
        Command::Testgen(args) => testgen::run(args),
        Command::Coverage(cmd) => coverage::run(cmd),
        Command::Iac(cmd) => iac::run(cmd),
        Command::Serve { .. } => {
            crate::lsp::run_stdio();
            ExitCode::SUCCESS
        }
    }
}

fn print_rules(format: Format) {
    use crate::rules::RULES;
    if format == Format::Json {
        let list: Vec<serde_json::Value> = RULES
            .iter()
            .map(|r| {
                serde_json::json!({
                    "id": r.id, "name": r.name, "category": r.category,
                    "severity": r.severity, "summary": r.summary,
                    "peers": r.peers, "fixable": r.fixable,
                })
            })
            .collect();
        println!(
            "{}",
            serde_json::to_string_pretty(&list).unwrap_or_default()
        );
        return;
    }
    for r in RULES.iter() {
        println!(
            "{:<7} {:<32} {:<8} {}{}",
            r.id,
            r.name,
            r.severity.as_str(),
            r.summary,
            if r.fixable { " [fix]" } else { "" }
        );
    }
}

fn summary(path: &std::path::Path) -> ExitCode {
    let (config, _) = match crate::config::Config::discover(path) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    match crate::index::read_source(path, config.max_file_size()) {
        Ok(src) => {
            let s = crate::index::analyze_source(path, &src, &config.rule_settings());
            println!("{}", serde_json::to_string_pretty(&s).unwrap_or_default());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: cannot read {}: {e}", path.display());
            ExitCode::from(2)
        }
    }
}

/// Loads the configuration for `root` (or `--config`), validates it and
/// indexes the workspace: the start of every whole-workspace command.
fn index_workspace(
    root: &std::path::Path,
    config_path: Option<&std::path::Path>,
) -> anyhow::Result<(crate::config::Config, crate::index::Workspace)> {
    use crate::config::Config;
    let config = match config_path {
        Some(p) => Config::from_file(p)?,
        None => Config::discover(root)?.0,
    };
    config
        .validate()
        .map_err(|e| anyhow::anyhow!("invalid configuration: {e}"))?;
    let files = crate::index::discover(&[root.to_path_buf()], &config);
    let ws = crate::index::Workspace::new();
    ws.index(&files, &config);
    Ok((config, ws))
}
