//! `devops-intel check`.

use super::Format;
use crate::config::Config;
use crate::index::{discover, index_one, Workspace};
use crate::report::{self, describe_problem, Reported};
use crate::rules::{fix, Applicability, Severity};
use clap::Args;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Args, Debug)]
pub struct CheckArgs {
    /// Files or folders to check (default: the current folder).
    pub paths: Vec<PathBuf>,
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
    /// Only these rule ids or prefixes (comma-separated), replacing the config's.
    #[arg(long, value_delimiter = ',')]
    pub select: Option<Vec<String>>,
    /// Also ignore these rule ids or prefixes (comma-separated).
    #[arg(long, value_delimiter = ',')]
    pub ignore: Vec<String>,
    /// Exit 1 only for findings at or above this severity.
    #[arg(long, default_value = "info")]
    pub fail_on: Severity,
    /// Apply safe fixes to the files.
    #[arg(long)]
    pub fix: bool,
    /// With --fix, also apply unsafe fixes.
    #[arg(long)]
    pub unsafe_fixes: bool,
    /// Report suppression comments that silence nothing.
    #[arg(long)]
    pub report_unused_ignores: bool,
    /// Use this configuration file instead of discovering one.
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// Write the report to this file instead of stdout.
    #[arg(long, short)]
    pub output: Option<PathBuf>,
}

pub fn run(args: CheckArgs) -> ExitCode {
    match check(&args) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn check(args: &CheckArgs) -> anyhow::Result<ExitCode> {
    use anyhow::Context;
    let cwd = std::env::current_dir().context("cannot read the current directory")?;
    let paths: Vec<PathBuf> = if args.paths.is_empty() {
        vec![cwd.clone()]
    } else {
        args.paths.iter().map(|p| cwd.join(p)).collect()
    };
    for p in &paths {
        if !p.exists() {
            anyhow::bail!("{}: no such file or directory", p.display());
        }
    }
    let (file_config, config_file) = match &args.config {
        Some(path) => (Config::from_file(path)?, Some(path.clone())),
        None => Config::discover(&paths[0])?,
    };
    let cli_config = Config {
        select: args.select.clone(),
        ignore: args.ignore.clone(),
        ..Config::default()
    };
    let config = file_config.merged(&cli_config);
    config
        .validate()
        .map_err(|e| anyhow::anyhow!("invalid configuration: {e}"))?;
    let files = discover(&paths, &config);
    let ws = Workspace::new();
    ws.index(&files, &config);
    if args.fix {
        let applied = apply_fixes(&ws, &config, args.unsafe_fixes)?;
        if applied > 0 {
            eprintln!(
                "Fixed {applied} finding{}.",
                if applied == 1 { "" } else { "s" }
            );
        }
    }
    let root = if cwd.is_dir() {
        cwd
    } else {
        PathBuf::from(".")
    };
    let summaries = ws.summaries();
    let mut findings = report::collect(&summaries, &config, &root);
    // workspace rules (ARC…, COV…): computed from every summary at once
    let mut coverage_dirs: Vec<PathBuf> = config_file
        .iter()
        .filter_map(|f| f.parent().map(Path::to_path_buf))
        .collect();
    coverage_dirs.extend(paths.iter().filter(|p| p.is_dir()).cloned());
    coverage_dirs.push(root.clone());
    let coverage = load_coverage(&coverage_dirs, &config);
    let workspace_findings = workspace_findings(&paths, &summaries, &config, coverage.as_ref());
    for s in &summaries {
        let rel = report::relative_path(&s.path, &root);
        for (f, sev) in workspace_findings.enabled(s, &config) {
            findings.push(report::reported(s, &f, sev, &rel));
        }
    }
    findings.sort_by(|a, b| (&a.path, a.line, a.column).cmp(&(&b.path, b.line, b.column)));
    let mut problems = Vec::new();
    for s in &summaries {
        for p in &s.problems {
            if let Some(text) = describe_problem(p, s) {
                problems.push((report::relative_path(&s.path, &root), text));
            }
        }
        if args.report_unused_ignores {
            let used_by_workspace = workspace_findings.used_suppression_lines(s);
            for sup in s
                .suppressions
                .iter()
                .filter(|x| !x.used && !used_by_workspace.contains(&x.line))
                // without coverage data COV rules did not run: their
                // suppressions cannot be judged
                .filter(|x| coverage.is_some() || !only_coverage_codes(x))
            {
                let lc = s
                    .line_index
                    .line_col(sup.range.start, crate::text::Encoding::Utf32);
                findings.push(Reported {
                    path: report::relative_path(&s.path, &root),
                    rule: "unused-ignore",
                    name: "unused-ignore",
                    severity: Severity::Low,
                    message: match &sup.codes {
                        Some(codes) => format!(
                            "suppression comment for {} silences nothing",
                            codes.join(", ")
                        ),
                        None => "suppression comment silences nothing".to_string(),
                    },
                    line: lc.line + 1,
                    column: lc.col + 1,
                    end_line: lc.line + 1,
                    end_column: lc.col + 1,
                    fix: None,
                });
            }
        }
    }
    let out = match args.format {
        Format::Text => report::to_text(&findings, summaries.len(), &problems),
        Format::Json => report::to_json(&findings),
        Format::Sarif => report::to_sarif(&findings),
    };
    match &args.output {
        Some(path) => {
            std::fs::write(path, out).with_context(|| format!("cannot write {}", path.display()))?
        }
        None => print!("{out}"),
    }
    if args.format != Format::Text {
        for (path, p) in &problems {
            eprintln!("{path}: warning: {p}");
        }
    }
    let failing = findings
        .iter()
        .any(|f| f.severity >= args.fail_on && f.rule != "unused-ignore")
        || (args.report_unused_ignores && findings.iter().any(|f| f.rule == "unused-ignore"));
    Ok(if failing {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// Findings of workspace rules (ARC…). Module names start at the first
/// folder above each checked path that is not a package, so checking one file
/// or one package still resolves its relative and absolute imports against
/// the modules around it (those are listed, not analysed).
fn workspace_findings(
    paths: &[PathBuf],
    summaries: &[std::sync::Arc<crate::index::FileSummary>],
    config: &Config,
    coverage: Option<&crate::coverage::Coverage>,
) -> crate::rules::workspace::WorkspaceFindings {
    let roots: Vec<PathBuf> = paths.iter().map(|p| import_root(p)).collect();
    let search = crate::graph::search_roots(&roots, &config.src_dirs());
    let known = if roots.as_slice() == paths {
        Vec::new()
    } else {
        discover(&roots, config)
    };
    let modules = crate::graph::ModuleLayer::build_with(summaries, &search, &known);
    crate::rules::workspace::WorkspaceFindings::compute(&crate::rules::workspace::WorkspaceInput {
        summaries,
        modules: &modules,
        coverage,
    })
}

/// The coverage data COV001 reads: the configured file (`coverage`, relative
/// to a folder below), else `coverage.json`, `coverage.lcov` or `lcov.info`,
/// looked up in the configuration file's folder, the checked folders, then
/// the current one. Unreadable data is a warning, not an error: the other
/// rules still run.
fn load_coverage(dirs: &[PathBuf], config: &Config) -> Option<crate::coverage::Coverage> {
    if !config.rule_enabled(crate::rules::cov::cov001_untested_risky_function::RULE.id) {
        return None;
    }
    let configured = config.coverage.as_deref();
    let found = dirs
        .iter()
        .filter_map(|d| crate::coverage::locate(d, configured))
        .find(|p| p.is_file());
    let Some(path) = found else {
        if let Some(c) = configured {
            eprintln!("warning: coverage data `{c}` not found; COV001 skipped");
        }
        return None;
    };
    match crate::coverage::read(&path) {
        Ok(data) => Some(data),
        Err(e) => {
            eprintln!("warning: {e}; COV001 skipped");
            None
        }
    }
}

/// `# devops-intel: ignore[COV001]`: a suppression naming only COV rules.
fn only_coverage_codes(s: &crate::index::Suppression) -> bool {
    s.codes
        .as_ref()
        .is_some_and(|codes| codes.iter().all(|c| c.starts_with("COV")))
}

fn import_root(path: &Path) -> PathBuf {
    let mut dir = if path.is_file() {
        path.parent().unwrap_or(path).to_path_buf()
    } else {
        path.to_path_buf()
    };
    while dir.join("__init__.py").is_file() {
        match dir.parent() {
            Some(p) => dir = p.to_path_buf(),
            None => break,
        }
    }
    dir
}

/// Applies fixes file by file, re-analysing until nothing more applies (at
/// most 10 rounds, as a later fix may only become possible after an earlier one).
fn apply_fixes(ws: &Workspace, config: &Config, unsafe_fixes: bool) -> anyhow::Result<usize> {
    use anyhow::Context;
    let mut total = 0;
    for path in ws.paths() {
        for _round in 0..10 {
            let Some(summary) = ws.get(&path) else { break };
            if summary.problems.iter().any(|p| {
                matches!(
                    p,
                    crate::index::FileProblem::InvalidUtf8
                        | crate::index::FileProblem::Skipped { .. }
                )
            }) {
                // analysed with replacement characters, or not at all: an
                // edit computed on that text would corrupt the bytes
                break;
            }
            let text = std::fs::read_to_string(&path)
                .with_context(|| format!("cannot read {}", path.display()))?;
            if crate::index::text_hash(text.as_bytes()) != summary.hash {
                // changed since it was analysed (the same file was fixed
                // through another path, a symlink): fix what is there now
                ws.insert(index_one(
                    &path,
                    config.max_file_size(),
                    &config.rule_settings(),
                ));
                continue;
            }
            let fixes = report::enabled_findings(&summary, config)
                .filter_map(|(f, _)| f.fix.as_ref())
                .filter(|f| unsafe_fixes || f.applicability == Applicability::Safe);
            let (new_text, applied) = fix::apply(&text, fixes);
            if applied == 0 {
                break;
            }
            write_atomically(&path, &new_text)?;
            total += applied;
            ws.insert(index_one(
                &path,
                config.max_file_size(),
                &config.rule_settings(),
            ));
        }
    }
    Ok(total)
}

/// Replaces the file's text through a temporary file and a rename, so a
/// crash never leaves it half written. The file keeps its permissions (a
/// deploy script stays executable), and a symlink stays a symlink: its
/// target is what gets rewritten.
fn write_atomically(path: &Path, text: &str) -> anyhow::Result<()> {
    use anyhow::Context;
    let target = std::fs::canonicalize(path)
        .with_context(|| format!("cannot resolve {}", path.display()))?;
    let permissions = std::fs::metadata(&target)
        .with_context(|| format!("cannot read {}", target.display()))?
        .permissions();
    let tmp = target.with_extension("py.devops-intel.tmp");
    std::fs::write(&tmp, text).with_context(|| format!("cannot write {}", tmp.display()))?;
    let replaced = std::fs::set_permissions(&tmp, permissions)
        .with_context(|| format!("cannot set the permissions of {}", tmp.display()))
        .and_then(|()| {
            std::fs::rename(&tmp, &target)
                .with_context(|| format!("cannot replace {}", target.display()))
        });
    if replaced.is_err() {
        // never leave the temporary file behind
        let _ = std::fs::remove_file(&tmp);
    }
    replaced
}
