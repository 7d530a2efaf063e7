//! Workspace-level findings: rules that need more than one file (ARC import
//! cycles and unresolved imports; COV coverage gaps).
//!
//! Such a rule registers its metadata in the normal registry (so `rules`,
//! `rule ID`, hovers, config `select`/`ignore`/`severity` work unchanged) with
//! a no-op per-file `check`, and its detection in [`PASSES`]: a function from a
//! [`WorkspaceInput`] (every summary plus the resolved module layer) to
//! [`WorkspaceFinding`]s. The passes run after the index (CLI `check`, the
//! server's cold index) and again whenever a file's imports or definitions
//! change (the server's graph cache, `graph::GraphState`). Findings anchor to
//! an import or a definition by index rather than a byte range, so text edits
//! that shift lines never leave a stale position: the range is read from the
//! file's current summary when reported. Suppression comments (`#
//! devops-intel: ignore[ARC001]`) on any line of the anchored statement apply.

use super::{Finding, Severity};
use crate::config::Config;
use crate::graph::ModuleLayer;
use crate::index::{FileSummary, SuppressionKind};
use crate::text::TextRange;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// What workspace passes read.
pub struct WorkspaceInput<'a> {
    /// Every summary, sorted by path (parallel to `modules.files`).
    pub summaries: &'a [Arc<FileSummary>],
    pub modules: &'a ModuleLayer,
    /// The project's coverage data, when there is some (COV rules). The
    /// server passes none here: it publishes COV001 from its own reloadable
    /// copy (`lsp/coverage.rs`), with the same [`cov001`] findings.
    ///
    /// [`cov001`]: crate::rules::cov::cov001_untested_risky_function::findings
    pub coverage: Option<&'a crate::coverage::Coverage>,
}

/// Where a workspace finding sits in its file.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Anchor {
    /// `FileSummary::imports[i]`.
    Import(u32),
    /// `FileSummary::defs[i]` (its name).
    Def(u32),
    Range(TextRange),
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct WorkspaceFinding {
    pub path: PathBuf,
    pub rule: &'static str,
    pub anchor: Anchor,
    pub message: String,
}

impl WorkspaceFinding {
    /// The finding with its range read from `summary` (the file's current one).
    pub fn to_finding(&self, summary: &FileSummary) -> Option<Finding> {
        let range = match self.anchor {
            Anchor::Import(i) => summary.imports.get(i as usize)?.range,
            Anchor::Def(i) => summary.defs.get(i as usize)?.name_range,
            Anchor::Range(r) => r,
        };
        let rule = super::rule(self.rule)?.id;
        Some(Finding {
            rule,
            range,
            message: self.message.clone(),
            fix: None,
        })
    }
}

/// A workspace-level detection producing findings of `rules`.
pub struct WorkspacePass {
    pub rules: &'static [&'static str],
    pub run: fn(&WorkspaceInput) -> Vec<WorkspaceFinding>,
}

/// Every workspace pass.
pub static PASSES: &[&WorkspacePass] = &[&super::arc::PASS, &super::cov::PASS];

/// Whether `id` is detected by a workspace pass rather than per file.
pub fn is_workspace_rule(id: &str) -> bool {
    PASSES
        .iter()
        .any(|p| p.rules.iter().any(|r| r.eq_ignore_ascii_case(id)))
}

/// Workspace findings by file.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct WorkspaceFindings {
    by_path: HashMap<PathBuf, Vec<WorkspaceFinding>>,
}

impl WorkspaceFindings {
    pub fn compute(input: &WorkspaceInput) -> Self {
        let mut by_path: HashMap<PathBuf, Vec<WorkspaceFinding>> = HashMap::new();
        for pass in PASSES {
            for f in (pass.run)(input) {
                by_path.entry(f.path.clone()).or_default().push(f);
            }
        }
        Self { by_path }
    }

    pub fn for_path(&self, path: &Path) -> &[WorkspaceFinding] {
        self.by_path.get(path).map(Vec::as_slice).unwrap_or(&[])
    }

    pub fn paths(&self) -> impl Iterator<Item = &PathBuf> {
        self.by_path.keys()
    }

    pub fn len(&self) -> usize {
        self.by_path.values().map(Vec::len).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.by_path.is_empty()
    }

    /// Files whose findings differ between `self` and `other`.
    pub fn changed_paths(&self, other: &WorkspaceFindings) -> Vec<PathBuf> {
        let mut out: Vec<PathBuf> = self
            .by_path
            .keys()
            .chain(other.by_path.keys())
            .filter(|p| self.by_path.get(*p) != other.by_path.get(*p))
            .cloned()
            .collect();
        out.sort();
        out.dedup();
        out
    }

    /// The findings of `summary`'s file that `config` enables and no
    /// suppression comment silences, with their effective severity.
    pub fn enabled(&self, summary: &FileSummary, config: &Config) -> Vec<(Finding, Severity)> {
        self.for_path(&summary.path)
            .iter()
            .filter(|w| config.rule_enabled(w.rule))
            .filter_map(|w| w.to_finding(summary))
            .filter(|f| !suppressed(f, summary))
            .map(|f| {
                let sev = config.severity_of(f.meta());
                (f, sev)
            })
            .collect()
    }

    /// Lines (0-based) of suppression comments these findings use, so
    /// `--report-unused-ignores` does not report them.
    pub fn used_suppression_lines(&self, summary: &FileSummary) -> Vec<u32> {
        let mut lines = Vec::new();
        for w in self.for_path(&summary.path) {
            let Some(f) = w.to_finding(summary) else {
                continue;
            };
            lines.extend(
                summary
                    .suppressions
                    .iter()
                    .filter(|s| covers(s, &f, summary))
                    .map(|s| s.line),
            );
        }
        lines
    }
}

fn covers(s: &crate::index::Suppression, f: &Finding, summary: &FileSummary) -> bool {
    let first = summary.line_index.line_of(f.range.start);
    let last = summary
        .line_index
        .line_of(f.range.end.saturating_sub(1).max(f.range.start));
    if s.line < first || s.line > last {
        return false;
    }
    match (&s.kind, &s.codes) {
        (SuppressionKind::Native, None) => true,
        (SuppressionKind::Native | SuppressionKind::Noqa, Some(codes)) => {
            codes.iter().any(|c| f.rule.starts_with(c.as_str()))
        }
        _ => false,
    }
}

fn suppressed(f: &Finding, summary: &FileSummary) -> bool {
    summary.suppressions.iter().any(|s| covers(s, f, summary))
}
