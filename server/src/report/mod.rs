//! Turning summaries into reports: the findings a configuration keeps, and
//! their text, JSON and SARIF 2.1.0 renderings.

mod sarif;

pub use sarif::to_sarif;

use crate::config::Config;
use crate::index::FileSummary;
use crate::rules::{Finding, Severity};
use crate::text::{Encoding, LineCol};
use serde::Serialize;
use std::path::Path;

/// A finding as reported: position in 1-based lines and character columns.
#[derive(Clone, Debug, Serialize)]
pub struct Reported {
    /// Path relative to the report root, with `/` separators.
    pub path: String,
    pub rule: &'static str,
    pub name: &'static str,
    pub severity: Severity,
    pub message: String,
    pub line: u32,
    pub column: u32,
    pub end_line: u32,
    pub end_column: u32,
    pub fix: Option<ReportedFix>,
}

#[derive(Clone, Debug, Serialize)]
pub struct ReportedFix {
    pub title: String,
    pub applicability: crate::rules::Applicability,
}

/// Findings of `summary` that `config` enables, with effective severities.
pub fn enabled_findings<'a>(
    summary: &'a FileSummary,
    config: &'a Config,
) -> impl Iterator<Item = (&'a Finding, Severity)> + 'a {
    summary
        .findings
        .iter()
        .filter(|f| config.rule_enabled(f.rule))
        .map(|f| (f, config.severity_of(f.meta())))
}

pub fn relative_path(path: &Path, root: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    rel.to_string_lossy().replace('\\', "/")
}

pub fn collect(
    summaries: &[std::sync::Arc<FileSummary>],
    config: &Config,
    root: &Path,
) -> Vec<Reported> {
    let mut out = Vec::new();
    for s in summaries {
        let path = relative_path(&s.path, root);
        for (f, severity) in enabled_findings(s, config) {
            out.push(reported(s, f, severity, &path));
        }
    }
    out
}

/// One finding of `s` as reported under `path` (relative).
pub fn reported(s: &FileSummary, f: &Finding, severity: Severity, path: &str) -> Reported {
    let start = s.line_index.line_col(f.range.start, Encoding::Utf32);
    let end = s.line_index.line_col(f.range.end, Encoding::Utf32);
    Reported {
        path: path.to_string(),
        rule: f.rule,
        name: f.meta().name,
        severity,
        message: f.message.clone(),
        line: start.line + 1,
        column: start.col + 1,
        end_line: end.line + 1,
        end_column: end.col + 1,
        fix: f.fix.as_ref().map(|x| ReportedFix {
            title: x.title.clone(),
            applicability: x.applicability,
        }),
    }
}

/// `path:line:col: ID [severity] message`, one per line, then a summary line.
pub fn to_text(findings: &[Reported], files: usize, problems: &[(String, String)]) -> String {
    let mut out = String::new();
    for f in findings {
        let fix = match &f.fix {
            Some(x) => format!(
                " (fix: {}, {})",
                x.title,
                match x.applicability {
                    crate::rules::Applicability::Safe => "safe",
                    crate::rules::Applicability::Unsafe => "unsafe",
                }
            ),
            None => String::new(),
        };
        out.push_str(&format!(
            "{}:{}:{}: {} [{}] {}{}\n",
            f.path,
            f.line,
            f.column,
            f.rule,
            f.severity.as_str(),
            f.message,
            fix
        ));
    }
    for (path, problem) in problems {
        out.push_str(&format!("{path}: warning: {problem}\n"));
    }
    let n = findings.len();
    out.push_str(&format!(
        "Found {n} finding{} in {files} file{}.\n",
        if n == 1 { "" } else { "s" },
        if files == 1 { "" } else { "s" }
    ));
    out
}

pub fn to_json(findings: &[Reported]) -> String {
    serde_json::to_string_pretty(findings).unwrap_or_else(|_| "[]".into())
}

/// Human text for a file problem, or `None` if it is not worth a warning.
pub fn describe_problem(p: &crate::index::FileProblem, s: &FileSummary) -> Option<String> {
    use crate::index::FileProblem::*;
    match p {
        InvalidUtf8 => Some("file is not valid UTF-8; analysed with replacement characters".into()),
        Skipped { reason } => Some(format!("not analysed: {reason}")),
        SyntaxErrors { count, first } => {
            let LineCol { line, col } = s.line_index.line_col(first.start, Encoding::Utf32);
            Some(format!(
                "{count} syntax error{} (first at {}:{}); results may be incomplete",
                if *count == 1 { "" } else { "s" },
                line + 1,
                col + 1
            ))
        }
    }
}
