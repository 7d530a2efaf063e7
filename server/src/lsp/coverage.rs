//! Coverage in the editor: the data file is loaded at start and reloaded when
//! it changes on disk; a code lens per function ("covered 3/10 lines") and
//! COV001 diagnostics (untested function with external effects).

use super::convert;
use super::server::Server;
use super::state::{read, uri_to_path, write};
use crate::coverage::{self, Coverage};
use crate::index::{FileSummary, SuppressionKind};
use crate::rules::cov::cov001_untested_risky_function::{self as cov001, RULE as COV001};
use std::sync::Arc;
use std::time::SystemTime;
use tower_lsp_server::ls_types::*;

/// Loaded coverage data and when its file was written.
pub struct LoadedCoverage {
    pub data: Coverage,
    pub modified: Option<SystemTime>,
}

impl Server {
    /// (Re)reads the coverage file of the first root; returns whether the
    /// data changed.
    pub(super) fn load_coverage(&self) -> bool {
        let config = self.state.config();
        let roots = self.state.roots();
        let found = roots
            .first()
            .and_then(|r| coverage::locate(r, config.coverage.as_deref()));
        let loaded = found.and_then(|path| match coverage::read(&path) {
            Ok(data) => Some(Arc::new(LoadedCoverage {
                data,
                modified: std::fs::metadata(&path).and_then(|m| m.modified()).ok(),
            })),
            Err(e) => {
                tracing::warn!(error = %e, "coverage data not loaded");
                None
            }
        });
        let mut slot = write(&self.state.coverage);
        let changed = match (&*slot, &loaded) {
            (None, None) => false,
            (Some(a), Some(b)) => a.data != b.data,
            _ => true,
        };
        if let Some(c) = &loaded {
            tracing::info!(
                files = c.data.files.len(),
                source = %c.data.source.display(),
                "coverage loaded"
            );
        }
        *slot = loaded;
        changed
    }

    pub(super) fn loaded_coverage(&self) -> Option<Arc<LoadedCoverage>> {
        read(&self.state.coverage).clone()
    }

    /// One lens per function of the file with coverage data.
    pub(super) fn coverage_lenses(&self, params: &CodeLensParams) -> Vec<CodeLens> {
        let uri = &params.text_document.uri;
        let (Some(cov), Some(summary), Some(path)) = (
            self.loaded_coverage(),
            self.state.summary(uri),
            uri_to_path(uri),
        ) else {
            return Vec::new();
        };
        let Some(fc) = cov.data.file(&path) else {
            return Vec::new();
        };
        let stale = match (
            cov.modified,
            std::fs::metadata(&path).and_then(|m| m.modified()).ok(),
        ) {
            (Some(c), Some(f)) => f > c,
            _ => false,
        };
        let enc = self.state.encoding();
        coverage::functions(&summary, fc)
            .into_iter()
            .filter(|f| f.total > 0)
            .map(|f| {
                let d = &summary.defs[f.def];
                let mut title = f.label();
                if stale {
                    title.push_str(" (coverage older than the file)");
                }
                CodeLens {
                    range: convert::range(&summary.line_index, d.name_range, enc),
                    command: Some(Command {
                        title,
                        command: String::new(),
                        arguments: None,
                    }),
                    data: None,
                }
            })
            .collect()
    }

    /// COV001 findings of a file as diagnostics.
    pub(super) fn coverage_diagnostics(&self, summary: &FileSummary) -> Vec<Diagnostic> {
        let config = self.state.config();
        if !config.rule_enabled(COV001.id) {
            return Vec::new();
        }
        let Some(cov) = self.loaded_coverage() else {
            return Vec::new();
        };
        let Some(fc) = cov.data.file(&summary.path) else {
            return Vec::new();
        };
        let severity = convert::severity(config.severity_of(&COV001));
        let enc = self.state.encoding();
        cov001::findings(summary, fc, &cov.data)
            .into_iter()
            .filter_map(|(i, message)| Some((summary.defs.get(i)?, message)))
            .filter(|(d, _)| !suppressed(summary, d))
            .map(|(d, message)| Diagnostic {
                range: convert::range(&summary.line_index, d.name_range, enc),
                severity: Some(severity),
                code: Some(NumberOrString::String(COV001.id.into())),
                source: Some("devops-intel".into()),
                message,
                ..Default::default()
            })
            .collect()
    }
}

fn suppressed(summary: &FileSummary, d: &crate::index::Def) -> bool {
    let line = summary.line_index.line_of(d.range.start);
    summary.suppressions.iter().any(|s| {
        s.line == line
            && match (&s.kind, &s.codes) {
                (SuppressionKind::Native, None) => true,
                (SuppressionKind::Native | SuppressionKind::Noqa, Some(codes)) => {
                    codes.iter().any(|c| COV001.id.starts_with(c.as_str()))
                }
                _ => false,
            }
    })
}
