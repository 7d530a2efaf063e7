//! `devops-intel coverage gaps [PATH] [--coverage FILE]`: untested functions
//! ranked by missing lines × (1 + external effects) × (1 + fan-in).

use crate::config::Config;
use crate::coverage;
use crate::index::{discover, Workspace};
use clap::{Args, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Subcommand, Debug)]
pub enum CoverageCommand {
    /// Rank functions with missing lines, riskiest first.
    Gaps(GapsArgs),
}

#[derive(Args, Debug)]
pub struct GapsArgs {
    /// Project root (default: the current folder).
    #[arg(default_value = ".")]
    pub path: PathBuf,
    /// coverage.py JSON or lcov file (default: config `coverage`, then
    /// coverage.json, coverage.lcov, lcov.info in PATH).
    #[arg(long)]
    pub coverage: Option<PathBuf>,
    #[arg(long, value_enum, default_value = "text")]
    pub format: super::Format,
    /// Show at most N functions.
    #[arg(long)]
    pub limit: Option<usize>,
}

pub fn run(cmd: CoverageCommand) -> ExitCode {
    match cmd {
        CoverageCommand::Gaps(args) => match gaps(args) {
            Ok(code) => code,
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::from(2)
            }
        },
    }
}

fn gaps(args: GapsArgs) -> Result<ExitCode, String> {
    let root = std::path::absolute(&args.path).map_err(|e| e.to_string())?;
    let root = root.canonicalize().unwrap_or(root);
    let (config, _) = Config::discover(&root).map_err(|e| e.to_string())?;
    let data = match args.coverage {
        Some(c) => std::path::absolute(&c).map_err(|e| e.to_string())?,
        None => coverage::locate(&root, config.coverage.as_deref()).ok_or_else(|| {
            format!(
                "no coverage data in {} (looked for {}); run `pytest --cov --cov-report=json` or pass --coverage",
                root.display(),
                coverage::DEFAULT_FILES.join(", ")
            )
        })?,
    };
    let cov = coverage::read(&data).map_err(|e| e.to_string())?;
    let ws = Workspace::new();
    ws.index(&discover(std::slice::from_ref(&root), &config), &config);
    let mut gaps = coverage::gaps(&ws.summaries(), &cov);
    if let Some(n) = args.limit {
        gaps.truncate(n);
    }
    if args.format == super::Format::Json {
        println!(
            "{}",
            serde_json::to_string_pretty(&gaps).map_err(|e| e.to_string())?
        );
        return Ok(ExitCode::SUCCESS);
    }
    if gaps.is_empty() {
        println!("no coverage gaps ({})", data.display());
        return Ok(ExitCode::SUCCESS);
    }
    println!(
        "{:>6}  {:<48} {:>9} {:>7} {:>6}  effects",
        "score", "function", "covered", "missing", "fan-in"
    );
    for g in &gaps {
        let rel = g.path.strip_prefix(&root).unwrap_or(&g.path);
        let name = format!("{}:{} {}", rel.display(), g.line, g.function);
        println!(
            "{:>6}  {:<48} {:>9} {:>7} {:>6}  {}{}",
            g.score,
            name,
            format!("{}/{}", g.covered, g.total),
            g.missing,
            g.fan_in,
            if g.effect_kinds.is_empty() {
                "-".to_string()
            } else {
                g.effect_kinds.join(",")
            },
            if g.untested { "  [untested]" } else { "" }
        );
    }
    Ok(ExitCode::SUCCESS)
}
