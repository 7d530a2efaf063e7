//! Text synchronisation. State changes happen synchronously, in arrival order,
//! before the first `.await`; analysis runs on the blocking pool afterwards and
//! its result is published only if its version is still the latest.

use super::server::Server;
use super::state::{lock, read, uri_to_path, write, DocEntry, State};
use crate::graph::state::{call_key, import_key};
use crate::index::FileSummary;
use crate::index::{reparse_and_analyze, OpenDocument};
use crate::text::{ContentChange, LineCol};
use std::path::PathBuf;
use std::sync::{Arc, Mutex, RwLock};
use std::time::Instant;
use tower_lsp_server::ls_types::*;

impl Server {
    pub(super) fn open(
        &self,
        params: DidOpenTextDocumentParams,
    ) -> Option<(Uri, Arc<DocEntry>, i32)> {
        let td = params.text_document;
        let path = uri_to_path(&td.uri).unwrap_or_else(|| PathBuf::from(td.uri.as_str()));
        let entry = Arc::new(DocEntry {
            path,
            doc: Mutex::new(OpenDocument::new(&td.text, td.version)),
            summary: RwLock::new(None),
            published: tokio::sync::Mutex::new(None),
        });
        self.state.docs.insert(td.uri.clone(), entry.clone());
        Some((td.uri, entry, td.version))
    }

    pub(super) fn change(
        &self,
        params: DidChangeTextDocumentParams,
    ) -> Option<(Uri, Arc<DocEntry>, i32)> {
        let uri = params.text_document.uri;
        let version = params.text_document.version;
        let Some(entry) = self.state.docs.get(&uri).map(|e| e.value().clone()) else {
            tracing::warn!(
                uri = uri.as_str(),
                "didChange for a document that is not open; ignored"
            );
            return None;
        };
        let changes: Vec<ContentChange> = params
            .content_changes
            .into_iter()
            .map(|c| ContentChange {
                range: c.range.map(|r| {
                    (
                        LineCol {
                            line: r.start.line,
                            col: r.start.character,
                        },
                        LineCol {
                            line: r.end.line,
                            col: r.end.character,
                        },
                    )
                }),
                text: c.text,
            })
            .collect();
        let enc = self.state.encoding();
        let result = lock(&entry.doc).apply_changes(version, &changes, enc);
        if let Err(e) = result {
            tracing::error!(uri = uri.as_str(), error = %e, "rejected content change; document left at its previous text");
            return None;
        }
        Some((uri, entry, version))
    }

    pub(super) fn close(&self, params: DidCloseTextDocumentParams) -> Option<PathBuf> {
        let (_, entry) = self.state.docs.remove(&params.text_document.uri)?;
        Some(entry.path.clone())
    }

    /// Analyses the document's current text off the event loop and publishes
    /// the result if `version` is still current.
    pub(super) async fn analyze_and_publish(&self, uri: Uri, entry: Arc<DocEntry>, version: i32) {
        let state = self.state.clone();
        let job_entry = entry.clone();
        let previous = read(&entry.summary).as_ref().map(|(_, s)| s.clone());
        let started = Instant::now();
        let result =
            tokio::task::spawn_blocking(move || analyze_latest(&state, &job_entry, Some(version)))
                .await;
        let summary = match result {
            Ok(Some((_, s))) => s,
            Ok(None) => return,
            Err(e) => {
                tracing::error!(uri = uri.as_str(), error = %e, "analysis failed");
                return;
            }
        };
        let elapsed = started.elapsed();
        if elapsed.as_millis() > 50 {
            tracing::info!(
                uri = uri.as_str(),
                ms = elapsed.as_millis() as u64,
                "slow analysis"
            );
        }
        if !self.state.in_workspace(&entry.path) {
            self.publish_open(uri, &entry, version, &summary).await;
        } else if imports_changed(previous.as_deref(), &summary) {
            // This file's workspace findings (ARC…) may change with its imports:
            // refresh first so its diagnostics are right the first time.
            self.refresh_graph(Some(entry.path.clone())).await;
            self.publish_open(uri, &entry, version, &summary).await;
        } else if previous
            .as_deref()
            .is_some_and(|p| call_key(p) == call_key(&summary))
        {
            // Same imports, definitions and calls: nothing another file or
            // the workspace rules see has changed. Graph requests refresh
            // the snapshot (ranges, texts) themselves when they come.
            self.publish_open(uri, &entry, version, &summary).await;
        } else {
            // Definitions may matter to other files: refresh after publishing,
            // so typing never waits on the graph.
            self.publish_open(uri, &entry, version, &summary).await;
            self.refresh_graph(Some(entry.path.clone())).await;
        }
    }

    /// After close: the file on disk is the truth again.
    pub(super) async fn after_close(&self, path: PathBuf) {
        if self.state.in_workspace(&path) && path.is_file() {
            let state = self.state.clone();
            let p = path.clone();
            let _ = tokio::task::spawn_blocking(move || {
                let config = state.config();
                state.workspace.insert(crate::index::index_one(
                    &p,
                    config.max_file_size(),
                    &config.rule_settings(),
                ));
            })
            .await;
            self.refresh_graph(Some(path.clone())).await;
            self.publish_closed(&path).await;
        } else {
            self.clear(&path).await;
        }
    }

    /// Makes sure an open document's latest version has been analysed (a pull
    /// right after a change must not answer from the previous version).
    pub(super) async fn ensure_analyzed(&self, uri: &Uri) {
        let Some(entry) = self.state.docs.get(uri).map(|e| e.value().clone()) else {
            return;
        };
        let version = lock(&entry.doc).doc.version;
        if read(&entry.summary)
            .as_ref()
            .is_some_and(|(v, _)| *v >= version)
        {
            return;
        }
        let state = self.state.clone();
        let _ = tokio::task::spawn_blocking(move || analyze_latest(&state, &entry, None)).await;
    }

    pub(super) fn latest_version(&self, uri: &Uri) -> Option<i32> {
        let entry = self.state.docs.get(uri)?;
        let v = read(&entry.summary).as_ref().map(|(v, _)| *v);
        v
    }
}

/// Re-parses and analyses an open document's current text (blocking; run it
/// on the blocking pool). With `only`, does nothing unless that version is
/// still the document's latest (a newer change has its own job queued).
/// Keeps the new tree if no change arrived meanwhile, stores the summary
/// unless a newer one is already there, and shares it with the workspace.
fn analyze_latest(
    state: &State,
    entry: &DocEntry,
    only: Option<i32>,
) -> Option<(i32, Arc<FileSummary>)> {
    let mut doc = lock(&entry.doc);
    let (text, old_tree, version) = doc.snapshot();
    if only.is_some_and(|v| v != version) {
        return None;
    }
    // a concurrent analysis of the same document runs without the cache
    let mut chunks = doc.chunks.take();
    drop(doc);
    let config = state.config();
    let (tree, summary) = reparse_and_analyze(
        &entry.path,
        &text,
        old_tree.as_ref(),
        &config.rule_settings(),
        chunks.as_mut(),
    );
    let mut doc = lock(&entry.doc);
    let replaced = if doc.doc.version == version {
        std::mem::replace(&mut doc.tree, tree)
    } else {
        tree
    };
    if chunks.is_some() {
        doc.chunks = chunks;
    }
    drop(doc);
    // Freeing a tree walks every node the re-parse replaced (~5% of a
    // keystroke's work): done on the rayon pool, off the publish path.
    rayon::spawn(move || drop((replaced, old_tree)));
    let summary = Arc::new(summary);
    let mut slot = write(&entry.summary);
    if slot.as_ref().is_none_or(|(v, _)| *v <= version) {
        *slot = Some((version, summary.clone()));
        // still under the slot lock, so an older result never replaces a newer one
        if state.in_workspace(&entry.path) {
            state.workspace.insert(summary.clone());
        }
    }
    drop(slot);
    Some((version, summary))
}

fn imports_changed(before: Option<&FileSummary>, after: &FileSummary) -> bool {
    before.is_none_or(|b| import_key(b) != import_key(after))
}
