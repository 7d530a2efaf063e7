//! Graph requests (`devopsIntel/moduleGraph`, `callGraph`, `impact`,
//! `dataFlow`) and keeping the graph layers and workspace findings (ARC…)
//! current as files change. Answers come from `graph::GraphState`, which
//! rebuilds only when imports or definitions changed.

use super::convert;
use super::server::Server;
use super::state::{path_to_uri, uri_to_path, State};
use crate::graph::query::{self, Focus};
use crate::graph::schema::Rendered;
use crate::graph::{search_roots, CallLayer, Graph, Refresh, Snapshot};
use crate::index::FileSummary;
use serde::Deserialize;
use std::path::PathBuf;
use std::sync::Arc;
use tower_lsp_server::jsonrpc::{Error, ErrorCode, Result};
use tower_lsp_server::ls_types::*;

pub const MODULE_GRAPH: &str = "devopsIntel/moduleGraph";
pub const CALL_GRAPH: &str = "devopsIntel/callGraph";
pub const IMPACT: &str = "devopsIntel/impact";
pub const DATA_FLOW: &str = "devopsIntel/dataFlow";

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct GraphParams {
    pub text_document: Option<TextDocumentIdentifier>,
    pub position: Option<Position>,
    pub focus: Option<String>,
    pub depth: Option<u32>,
}

fn invalid(message: String) -> Error {
    Error {
        code: ErrorCode::InvalidParams,
        message: message.into(),
        data: None,
    }
}

impl State {
    /// Brings the graph cache up to date with the workspace (blocking).
    pub fn graph_refresh(&self) -> (Snapshot, Refresh) {
        let roots = search_roots(&self.roots(), &self.config().src_dirs());
        // refresh sorts by path itself
        self.graph
            .refresh(self.workspace.summaries_unordered(), &roots)
    }
}

impl Server {
    /// Refreshes the graph off the event loop; republishes the files whose
    /// workspace findings changed (except `skip`, published by the caller).
    pub(super) async fn refresh_graph(&self, skip: Option<PathBuf>) -> Option<Snapshot> {
        if self.state.is_indexing() {
            // A half-indexed workspace would report imports of files not read
            // yet as unresolved (ARC002); the cold index refreshes when done.
            return None;
        }
        let state = self.state.clone();
        let (snap, refresh) = tokio::task::spawn_blocking(move || state.graph_refresh())
            .await
            .ok()?;
        if !refresh.findings_changed.is_empty() {
            if self.state.caps().pull_diagnostics {
                if self.state.caps().workspace_diagnostic_refresh {
                    let _ = self.client.workspace_diagnostic_refresh().await;
                }
            } else {
                for path in refresh.findings_changed {
                    if Some(&path) != skip.as_ref() {
                        self.republish(&path).await;
                    }
                }
            }
        }
        Some(snap)
    }

    /// Publishes one file again (open: its latest analysis; closed: the index).
    async fn republish(&self, path: &std::path::Path) {
        let open = self
            .state
            .docs
            .iter()
            .find(|e| e.value().path == path)
            .map(|e| (e.key().clone(), e.value().clone()));
        match open {
            Some((uri, entry)) => {
                let latest = super::state::read(&entry.summary).clone();
                if let Some((version, summary)) = latest {
                    *entry.published.lock().await = None;
                    self.publish_open(uri, &entry, version, &summary).await;
                }
            }
            None => self.publish_closed(path).await,
        }
    }

    /// Diagnostics of workspace rules (ARC…) for a file.
    pub(super) fn workspace_diagnostics(&self, summary: &FileSummary) -> Vec<Diagnostic> {
        let config = self.state.config();
        let enc = self.state.encoding();
        self.state
            .graph
            .findings()
            .enabled(summary, &config)
            .iter()
            .map(|(f, sev)| convert::diagnostic(summary, f, *sev, enc))
            .collect()
    }

    async fn graph_context(&self) -> Result<(Snapshot, Arc<CallLayer>)> {
        let state = self.state.clone();
        tokio::task::spawn_blocking(move || {
            let (snap, _) = state.graph_refresh();
            let calls = state.graph.calls(&snap);
            (snap, calls)
        })
        .await
        .map_err(|e| Error {
            code: ErrorCode::InternalError,
            message: format!("graph computation failed: {e}").into(),
            data: None,
        })
    }

    fn focus(&self, snap: &Snapshot, calls: &CallLayer, p: &GraphParams) -> Result<Option<Focus>> {
        if let Some(f) = &p.focus {
            return query::resolve_focus(snap, calls, f)
                .map(Some)
                .ok_or_else(|| invalid(format!("focus `{f}`: no such module or definition")));
        }
        let Some(td) = &p.text_document else {
            return Ok(None);
        };
        let path = uri_to_path(&td.uri)
            .ok_or_else(|| invalid(format!("not a file URI: {}", td.uri.as_str())))?;
        let fi = query::file_index(snap, &path).ok_or_else(|| {
            invalid(format!(
                "file is not in the workspace index: {}",
                td.uri.as_str()
            ))
        })?;
        let s = &snap.summaries[fi as usize];
        let offset = p
            .position
            .and_then(|pos| convert::offset(&s.line_index, pos, self.state.encoding()));
        Ok(query::focus_at(snap, calls, &path, offset))
    }

    fn render(&self, g: Graph, snap: &Snapshot) -> Rendered {
        g.render(self.state.encoding(), |p| {
            query::file_index(snap, p).map(|i| &snap.summaries[i as usize].line_index)
        })
    }

    pub async fn module_graph(&self, p: GraphParams) -> Result<Rendered> {
        if p.focus.is_none() && p.text_document.is_none() {
            // the whole graph needs only the module layer
            let state = self.state.clone();
            let snap = tokio::task::spawn_blocking(move || state.graph_refresh().0)
                .await
                .map_err(|e| Error {
                    code: ErrorCode::InternalError,
                    message: format!("graph computation failed: {e}").into(),
                    data: None,
                })?;
            let g = snap.modules.graph(&snap.summaries, None, p.depth);
            return Ok(self.render(g, &snap));
        }
        let (snap, calls) = self.graph_context().await?;
        let focus = match self.focus(&snap, &calls, &p)? {
            Some(Focus::Module(m)) => Some(m),
            Some(Focus::Def(g)) => calls
                .defs
                .get(g as usize)
                .and_then(|d| snap.modules.files.get(d.file as usize))
                .and_then(|f| f.module.clone()),
            None => None,
        };
        let g = snap
            .modules
            .graph(&snap.summaries, focus.as_deref(), p.depth);
        Ok(self.render(g, &snap))
    }

    pub async fn call_graph(&self, p: GraphParams) -> Result<Rendered> {
        let (snap, calls) = self.graph_context().await?;
        let focus = self.focus(&snap, &calls, &p)?;
        let g = query::call_graph(&snap, &calls, focus.as_ref(), p.depth);
        Ok(self.render(g, &snap))
    }

    pub async fn impact(&self, p: GraphParams) -> Result<Rendered> {
        let (snap, calls) = self.graph_context().await?;
        let focus = self
            .focus(&snap, &calls, &p)?
            .ok_or_else(|| invalid("impact needs textDocument or focus".into()))?;
        let g = crate::graph::impact::impact(&snap, &calls, &focus);
        Ok(self.render(g, &snap))
    }

    pub async fn data_flow(&self, p: GraphParams) -> Result<Rendered> {
        let (snap, calls) = self.graph_context().await?;
        match self.focus(&snap, &calls, &p)? {
            Some(Focus::Def(g)) => {
                let g = crate::graph::dataflow::dataflow(&snap, &calls, g);
                Ok(self.render(g, &snap))
            }
            _ => Err(invalid(
                "dataFlow needs a position inside a function (or focus naming one)".into(),
            )),
        }
    }
}

/// `Location` of a node's definition.
pub(super) fn location(
    snap: &Snapshot,
    path: &std::path::Path,
    range: crate::text::TextRange,
    enc: crate::text::Encoding,
) -> Option<Location> {
    let fi = query::file_index(snap, path)?;
    Some(Location {
        uri: path_to_uri(path)?,
        range: convert::range(&snap.summaries[fi as usize].line_index, range, enc),
    })
}
