//! Explain in the editor (logic in `crate::explain`): the hover on a
//! definition or a call site, `devopsIntel/explain`, and the "Generate
//! docstring" edits offered as `refactor.rewrite` code actions.

use super::convert;
use super::server::Server;
use super::state::{lock, path_to_uri, uri_to_path};
use crate::explain::{self, docstring, Explanation, IndexedCounts};
use crate::index::{DefKind, FileSummary};
use crate::rules::Edit;
use crate::text::TextRange;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::*;

pub const EXPLAIN: &str = "devopsIntel/explain";

/// Caller counts for hovers, rebuilt only when a summary changed.
static COUNTS: std::sync::Mutex<Option<Arc<IndexedCounts>>> = std::sync::Mutex::new(None);

fn counts_for(all: &[Arc<FileSummary>]) -> Arc<IndexedCounts> {
    let mut slot = lock(&COUNTS);
    if let Some(c) = slot.as_ref().filter(|c| c.is_for(all)) {
        return c.clone();
    }
    let fresh = Arc::new(IndexedCounts::new(all.to_vec()));
    *slot = Some(fresh.clone());
    fresh
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ExplainParams {
    pub text_document: TextDocumentIdentifier,
    pub position: Position,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ExplainResult {
    #[serde(flatten)]
    pub facts: Explanation,
    /// Where the definition is: its file and the range of its name.
    pub uri: Option<Uri>,
    pub range: Range,
    /// The hover's Markdown, for panels that show it as is.
    pub markdown: String,
}

impl Server {
    /// The text of `path` as the server sees it: the open buffer, else disk.
    fn text_of(&self, path: &Path) -> Option<String> {
        let open = self
            .state
            .docs
            .iter()
            .find(|e| e.value().path == path)
            .map(|e| e.value().clone());
        match open {
            Some(entry) => Some(lock(&entry.doc).doc.text()),
            None => std::fs::read_to_string(path).ok(),
        }
    }

    fn root_for(&self, path: &Path) -> Option<PathBuf> {
        self.state
            .roots()
            .into_iter()
            .filter(|r| path.starts_with(r))
            .max_by_key(|r| r.components().count())
    }

    /// The explanation of what `pos` names, and the range hovered there.
    fn explain_at(&self, uri: &Uri, pos: Position) -> Option<(Explanation, TextRange)> {
        let summary = self.state.summary(uri)?;
        let enc = self.state.encoding();
        let offset = convert::offset(&summary.line_index, pos, enc)?;
        let all = self.state.workspace.summaries_unordered();
        let (target, hovered) = explain::target_at(&summary, offset, &all)?;
        let text = self.text_of(&target.file.path);
        let root = self.root_for(&target.file.path);
        let seams = ServerSeams {
            counts: counts_for(&all),
            server: self,
        };
        let x = explain::explain(&target, &all, text.as_deref(), root.as_deref(), &seams)?;
        Some((x, hovered))
    }

    /// Hover on a definition or a call site of a workspace definition.
    pub(super) fn explain_hover(&self, params: &HoverParams) -> Option<Hover> {
        let uri = &params.text_document_position_params.text_document.uri;
        let pos = params.text_document_position_params.position;
        let (x, hovered) = self.explain_at(uri, pos)?;
        let summary = self.state.summary(uri)?;
        let markdown = self.state.caps().markdown_hover;
        let (kind, value) = if markdown {
            (MarkupKind::Markdown, explain::render_markdown(&x))
        } else {
            (MarkupKind::PlainText, explain::render_plain(&x))
        };
        Some(Hover {
            contents: HoverContents::Markup(MarkupContent { kind, value }),
            range: Some(convert::range(
                &summary.line_index,
                hovered,
                self.state.encoding(),
            )),
        })
    }

    /// `devopsIntel/explain`: the hover's facts as JSON; `null` where the
    /// position names no workspace definition.
    pub async fn explain(&self, params: ExplainParams) -> Result<Option<ExplainResult>> {
        let Some((x, _)) = self.explain_at(&params.text_document.uri, params.position) else {
            return Ok(None);
        };
        let enc = self.state.encoding();
        let range = self
            .state
            .workspace
            .get(&x.path)
            .or_else(|| self.state.summary(&params.text_document.uri))
            .map(|s| convert::range(&s.line_index, x.name_range, enc))
            .unwrap_or_default();
        Ok(Some(ExplainResult {
            uri: path_to_uri(&x.path),
            range,
            markdown: explain::render_markdown(&x),
            facts: x,
        }))
    }

    /// "Generate docstring" for the innermost function or method around
    /// `wanted`, when it has none. `text` must be the text `summary` was
    /// built from.
    pub(super) fn docstring_edits(
        &self,
        uri: &Uri,
        summary: &Arc<FileSummary>,
        text: &str,
        wanted: TextRange,
    ) -> Vec<(String, Edit)> {
        let Some(i) = summary
            .defs
            .iter()
            .enumerate()
            .filter(|(_, d)| d.kind != DefKind::Class && d.range.contains(wanted.start))
            .min_by_key(|(_, d)| d.range.len())
            .map(|(i, _)| i)
        else {
            return Vec::new();
        };
        if summary.defs[i].docstring.is_some() {
            return Vec::new();
        }
        let target = explain::Target {
            file: summary.clone(),
            def: i as u32,
        };
        let all = self.state.workspace.summaries_unordered();
        let root = uri_to_path(uri).and_then(|p| self.root_for(&p));
        let Some(x) = explain::explain(
            &target,
            &all,
            Some(text),
            root.as_deref(),
            &*counts_for(&all),
        ) else {
            return Vec::new();
        };
        match docstring::docstring_edit(&x) {
            Some(edit) => vec![(format!("Generate docstring for `{}`", x.name), edit)],
            None => Vec::new(),
        }
    }
}

/// What the server adds to an explanation: call counts from the cached
/// index, coverage from the loaded coverage data, and the IaC resources the
/// function creates with their monthly cost.
struct ServerSeams<'s> {
    counts: Arc<IndexedCounts>,
    server: &'s Server,
}

impl explain::Seams for ServerSeams<'_> {
    fn call_counts(
        &self,
        target: &explain::Target,
        all: &[Arc<FileSummary>],
    ) -> Option<explain::CallCounts> {
        self.counts.call_counts(target, all)
    }

    fn coverage(&self, target: &explain::Target) -> Option<explain::Coverage> {
        let loaded = self.server.loaded_coverage()?;
        let file = loaded.data.file(&target.file.path)?;
        crate::coverage::functions(&target.file, file)
            .into_iter()
            .find(|f| f.def == target.def as usize)
            .map(|f| explain::Coverage {
                covered_lines: f.covered,
                total_lines: f.total,
            })
    }

    fn resources(&self, target: &explain::Target) -> Vec<explain::ResourceFact> {
        let (Some(def), Some(iac)) = (target.def(), target.file.iac.as_deref()) else {
            return Vec::new();
        };
        let settings = self.server.state.config().price_settings();
        let estimates = crate::iac::pricing::estimate_file(
            iac,
            &target.file.path,
            crate::iac::pricing::PriceTable::embedded(),
            &settings,
        );
        iac.resources
            .iter()
            .enumerate()
            .filter(|(_, r)| def.range.contains_range(r.range))
            .map(|(i, r)| {
                let est = estimates.iter().find(|e| e.resource as usize == i);
                explain::ResourceFact {
                    type_name: r.type_name.to_string(),
                    logical_name: r.name.as_str().map(str::to_string),
                    monthly_cost: est.and_then(|e| e.monthly),
                    note: est.filter(|e| e.monthly.is_none()).map(|e| e.headline()),
                }
            })
            .collect()
    }
}
