//! IaC in the editor: cost on hover, code lenses (per resource and the file's
//! stack total), and the `devopsIntel/resourceGraph` request.

use super::convert;
use super::server::Server;
use crate::iac::pricing::{estimate_file, totals, trim_price, PriceTable};
use crate::index::FileSummary;
use crate::text::TextRange;
use serde::Deserialize;
use std::sync::Arc;
use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::*;

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct ResourceGraphParams {
    pub text_document: Option<TextDocumentIdentifier>,
}

impl Server {
    /// Markdown describing the resource whose constructor is at `offset`.
    pub(super) fn iac_hover(
        &self,
        summary: &FileSummary,
        offset: u32,
    ) -> Option<(String, TextRange)> {
        let iac = summary.iac.as_deref()?;
        let (idx, r) = iac
            .resources
            .iter()
            .enumerate()
            .filter(|(_, r)| r.range.start <= offset && offset <= r.range.end)
            .min_by_key(|(_, r)| r.range.len())?;
        let settings = self.state.config().price_settings();
        let table = PriceTable::embedded();
        let est = estimate_file(iac, &summary.path, table, &settings)
            .into_iter()
            .find(|e| e.resource as usize == idx);
        let mut md = format!(
            "**{}** `{}`  \n{} · {} · `{}`",
            r.short_type(),
            r.label(),
            r.framework.as_str(),
            r.cloud.as_str(),
            r.type_name
        );
        if let Some(e) = est {
            md.push_str(&format!(
                "\n\n**Cost** ({}, region {} from {}): {}",
                table.currency,
                e.region.name,
                e.region.source,
                e.headline()
            ));
            for l in &e.lines {
                md.push_str(&format!(
                    "\n- {}: {} × ${}/{} = ${:.2}/month",
                    l.what,
                    l.quantity,
                    trim_price(l.unit_price),
                    l.unit,
                    l.monthly
                ));
            }
            for u in &e.usage {
                md.push_str(&format!(
                    "\n- usage: ${} per {}",
                    trim_price(u.price),
                    u.unit
                ));
            }
            for n in &e.notes {
                md.push_str(&format!("\n- note: {n}"));
            }
        }
        let refs: Vec<String> = r
            .refs
            .iter()
            .filter_map(|(t, via)| {
                iac.resources
                    .get(*t as usize)
                    .map(|x| format!("`{}` ({via})", x.label()))
            })
            .collect();
        if !refs.is_empty() {
            md.push_str(&format!("\n\nReferences: {}", refs.join(", ")));
        }
        Some((md, r.callee_range))
    }

    pub(super) fn code_lenses(&self, params: &CodeLensParams) -> Vec<CodeLens> {
        let Some(summary) = self.state.summary(&params.text_document.uri) else {
            return Vec::new();
        };
        let Some(iac) = summary.iac.as_deref() else {
            return Vec::new();
        };
        let settings = self.state.config().price_settings();
        let est = estimate_file(iac, &summary.path, PriceTable::embedded(), &settings);
        if est.is_empty() {
            return Vec::new();
        }
        let enc = self.state.encoding();
        let lens = |range: TextRange, title: String| CodeLens {
            range: convert::range(&summary.line_index, range, enc),
            command: Some(Command {
                title,
                command: String::new(),
                arguments: None,
            }),
            data: None,
        };
        let t = totals(est.iter());
        let mut out = vec![lens(
            TextRange::default(),
            format!(
                "Stack: ${:.2}/month fixed ({} priced, {} usage-priced, {} unpriced)",
                t.monthly, t.priced, t.usage_only, t.unpriced
            ),
        )];
        for e in &est {
            if let Some(r) = iac.resources.get(e.resource as usize) {
                out.push(lens(r.callee_range, e.headline()));
            }
        }
        out
    }

    pub async fn resource_graph(
        &self,
        params: Option<ResourceGraphParams>,
    ) -> Result<serde_json::Value> {
        let params = params.unwrap_or_default();
        let summaries: Vec<Arc<FileSummary>> = match params.text_document {
            Some(td) => self.state.summary(&td.uri).into_iter().collect(),
            None => {
                let mut all = self.state.workspace.summaries();
                for e in self.state.docs.iter() {
                    if let Some(s) = self.state.summary(e.key()) {
                        all.retain(|x| x.path != s.path);
                        all.push(s);
                    }
                }
                all
            }
        };
        let settings = self.state.config().price_settings();
        let graph = crate::iac::resource_graph(&summaries, &settings);
        let enc = self.state.encoding();
        Ok(graph.to_json(enc, |p| {
            summaries
                .iter()
                .find(|s| s.path == p)
                .map(|s| &s.line_index)
        }))
    }
}
