//! Publishing (push) and answering (pull) diagnostics.

use super::convert;
use super::server::Server;
use super::state::{path_to_uri, read, DocEntry};
use crate::index::FileSummary;
use std::path::Path;
use std::sync::Arc;
use tower_lsp_server::ls_types::*;

impl Server {
    /// Every diagnostic of one file: its own findings and problems, the
    /// workspace rules' findings (ARC…) and coverage gaps (COV001).
    pub(super) fn file_diagnostics(&self, summary: &FileSummary) -> Vec<Diagnostic> {
        let mut d = convert::diagnostics(summary, &self.state.config(), self.state.encoding());
        d.extend(self.workspace_diagnostics(summary));
        d.extend(self.coverage_diagnostics(summary));
        d
    }

    /// Publishes an open document's diagnostics for `version`, unless a newer
    /// version exists or was already published.
    pub(super) async fn publish_open(
        &self,
        uri: Uri,
        entry: &Arc<DocEntry>,
        version: i32,
        summary: &FileSummary,
    ) {
        if self.state.caps().pull_diagnostics {
            return;
        }
        let mut published = entry.published.lock().await;
        let current = super::state::lock(&entry.doc).doc.version;
        if current != version || published.is_some_and(|p| p >= version) {
            return;
        }
        let diags = self.file_diagnostics(summary);
        self.client
            .publish_diagnostics(uri, diags, Some(version))
            .await;
        *published = Some(version);
    }

    /// Publishes a closed file's diagnostics (no version).
    pub(super) async fn publish_closed(&self, path: &Path) {
        if self.state.caps().pull_diagnostics || self.state.is_open(path) {
            return;
        }
        let Some(uri) = path_to_uri(path) else { return };
        let diags = match self.state.workspace.get(path) {
            Some(s) => self.file_diagnostics(&s),
            None => Vec::new(),
        };
        self.client.publish_diagnostics(uri, diags, None).await;
    }

    pub(super) async fn clear(&self, path: &Path) {
        if self.state.caps().pull_diagnostics {
            return;
        }
        if let Some(uri) = path_to_uri(path) {
            self.client.publish_diagnostics(uri, Vec::new(), None).await;
        }
    }

    /// After a change that affects every file (config, the cold index).
    pub(super) async fn republish_all(&self) {
        if self.state.caps().pull_diagnostics {
            if self.state.caps().workspace_diagnostic_refresh {
                let _ = self.client.workspace_diagnostic_refresh().await;
            }
            return;
        }
        let workspace_findings = self.state.graph.findings();
        for summary in self.state.workspace.summaries() {
            if !self.state.is_open(&summary.path)
                && (!summary.findings.is_empty()
                    || !summary.problems.is_empty()
                    || !workspace_findings.for_path(&summary.path).is_empty()
                    || !self.coverage_diagnostics(&summary).is_empty())
            {
                self.publish_closed(&summary.path).await;
            }
        }
        let open: Vec<(Uri, Arc<DocEntry>)> = self
            .state
            .docs
            .iter()
            .map(|e| (e.key().clone(), e.value().clone()))
            .collect();
        for (uri, entry) in open {
            let latest = read(&entry.summary).clone();
            if let Some((version, summary)) = latest {
                // re-send even if this version was published: the config changed
                *entry.published.lock().await = None;
                self.publish_open(uri, &entry, version, &summary).await;
            }
        }
    }

    pub(super) fn pull_report(&self, uri: &Uri) -> Vec<Diagnostic> {
        match self.state.summary(uri) {
            Some(s) => self.file_diagnostics(&s),
            None => Vec::new(),
        }
    }

    pub(super) fn workspace_report(&self) -> WorkspaceDiagnosticReport {
        let mut items = Vec::new();
        for s in self.state.workspace.summaries() {
            if self.state.is_open(&s.path) {
                continue;
            }
            let Some(uri) = path_to_uri(&s.path) else {
                continue;
            };
            items.push(WorkspaceDocumentDiagnosticReport::Full(
                WorkspaceFullDocumentDiagnosticReport {
                    uri,
                    version: None,
                    full_document_diagnostic_report: FullDocumentDiagnosticReport {
                        result_id: None,
                        items: self.file_diagnostics(&s),
                    },
                },
            ));
        }
        WorkspaceDiagnosticReport { items }
    }
}
