//! Hover: on a finding, the rule's documentation; elsewhere, the explanation
//! of the definition or call under the cursor (`crate::explain`).

use super::convert;
use super::server::Server;
use crate::rules::render_docs;
use tower_lsp_server::ls_types::*;

impl Server {
    pub(super) fn hover_at(&self, params: &HoverParams) -> Option<Hover> {
        let uri = &params.text_document_position_params.text_document.uri;
        let pos = params.text_document_position_params.position;
        let summary = self.state.summary(uri)?;
        let enc = self.state.encoding();
        let offset = convert::offset(&summary.line_index, pos, enc)?;
        let config = self.state.config();
        // workspace rules (ARC…) too
        let workspace = self.state.graph.findings().enabled(&summary, &config);
        let mut docs: Vec<(String, &crate::rules::Finding)> =
            crate::report::enabled_findings(&summary, &config)
                .chain(workspace.iter().map(|(f, s)| (f, *s)))
                .filter(|(f, _)| f.range.start <= offset && offset <= f.range.end)
                .map(|(f, _)| (render_docs(f.meta()), f))
                .collect();
        docs.dedup_by(|a, b| a.1.rule == b.1.rule);
        // IaC: the resource under the cursor (type, cost, references).
        let iac = self.iac_hover(&summary, offset);
        let first = match (docs.first(), &iac) {
            (Some(d), _) => d.1.range,
            (None, Some((_, r))) => *r,
            // not on a finding or a resource: explain the definition or call under the cursor
            (None, None) => return self.explain_hover(params),
        };
        let markdown = self.state.caps().markdown_hover;
        let text = docs
            .iter()
            .map(|(d, f)| format!("**{}**: {}\n\n{}", f.rule, f.message, d))
            .chain(iac.map(|(md, _)| md))
            .collect::<Vec<_>>()
            .join("\n---\n");
        Some(Hover {
            contents: HoverContents::Markup(MarkupContent {
                kind: if markdown {
                    MarkupKind::Markdown
                } else {
                    MarkupKind::PlainText
                },
                value: text,
            }),
            range: Some(convert::range(&summary.line_index, first, enc)),
        })
    }
}
