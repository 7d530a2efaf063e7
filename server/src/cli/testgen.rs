//! `devops-intel testgen PATH[:FUNCTION] [--stdout]`: generate pytest tests
//! into the conventional test file (or print them).

use crate::testgen::{self, layout, Target};
use clap::Args;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Args, Debug)]
pub struct TestgenArgs {
    /// `path/to/module.py` (every untested function) or
    /// `path/to/module.py:function` / `:Class.method`.
    pub target: String,
    /// Print the test file's new content instead of writing it.
    #[arg(long)]
    pub stdout: bool,
    /// Write to this test file instead of the conventional one.
    #[arg(long)]
    pub output: Option<PathBuf>,
}

fn split_target(t: &str) -> (PathBuf, Target) {
    if let Some((path, func)) = t.rsplit_once(':') {
        if path.ends_with(".py") && !func.is_empty() && !func.contains(['/', '\\']) {
            return (PathBuf::from(path), Target::Function(func.to_string()));
        }
    }
    (PathBuf::from(t), Target::Untested)
}

pub fn run(args: TestgenArgs) -> ExitCode {
    let (path, target) = split_target(&args.target);
    match generate(&path, &target, args.output.as_deref(), args.stdout) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}

fn generate(
    path: &Path,
    target: &Target,
    output: Option<&Path>,
    stdout: bool,
) -> Result<(), String> {
    let path = std::path::absolute(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let (config, _) = crate::config::Config::discover(&path).map_err(|e| e.to_string())?;
    let src = crate::index::read_source(&path, config.max_file_size())
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let summary = crate::index::analyze_source(&path, &src, &config.rule_settings());
    let test_path = match output {
        Some(o) => o.to_path_buf(),
        None => layout::test_file_for(&path)
            .ok_or_else(|| format!("no test file location for {}", path.display()))?,
    };
    let existing = std::fs::read_to_string(&test_path).ok();
    let plan = testgen::plan(
        &path,
        &src.text,
        &summary,
        target,
        &test_path,
        existing.as_deref(),
    )
    .map_err(|e| e.to_string())?;
    let skipped = plan.tests.iter().filter(|t| t.skipped).count();
    if stdout {
        print!("{}", plan.new_text);
    } else if !plan.tests.is_empty() {
        if let Some(dir) = test_path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        }
        std::fs::write(&test_path, &plan.new_text)
            .map_err(|e| format!("cannot write {}: {e}", test_path.display()))?;
    }
    if plan.tests.is_empty() {
        eprintln!("{}: nothing to add (already tested)", test_path.display());
    } else {
        eprintln!(
            "{}: {} test(s) added ({skipped} skipped: fill in expected values)",
            test_path.display(),
            plan.tests.len()
        );
    }
    Ok(())
}
