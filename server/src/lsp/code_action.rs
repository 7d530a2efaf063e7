//! Code actions: each finding's fix (safe or unsafe), "ignore this rule on
//! this line", and `source.fixAll.devops-intel` for every safe fix.

use super::convert;
use super::server::Server;
use super::state::lock;
use crate::index::FileSummary;
use crate::rules::{fix, Applicability, Edit, Finding};
use crate::text::{Encoding, TextRange};
use std::collections::HashMap;
use tower_lsp_server::ls_types::*;

pub const FIX_ALL_KIND: &str = "source.fixAll.devops-intel";

impl Server {
    /// The text the summary was built from, when it is still the current one.
    pub(super) fn current_text(
        &self,
        uri: &Uri,
        summary: &FileSummary,
    ) -> Option<(String, Option<i32>)> {
        let (text, version) = match self.state.docs.get(uri) {
            Some(e) => {
                let d = lock(&e.doc);
                (d.doc.text(), Some(d.doc.version))
            }
            None => (std::fs::read_to_string(&summary.path).ok()?, None),
        };
        (crate::index::analyze::text_hash(text.as_bytes()) == summary.hash)
            .then_some((text, version))
    }

    pub(super) fn code_actions(&self, params: &CodeActionParams) -> Vec<CodeActionOrCommand> {
        let uri = &params.text_document.uri;
        let Some(summary) = self.state.summary(uri) else {
            return Vec::new();
        };
        let Some((text, version)) = self.current_text(uri, &summary) else {
            return Vec::new(); // analysis is behind the buffer; the client will ask again
        };
        let enc = self.state.encoding();
        let idx = &summary.line_index;
        let (Some(start), Some(end)) = (
            convert::offset(idx, params.range.start, enc),
            convert::offset(idx, params.range.end, enc),
        ) else {
            return Vec::new();
        };
        let wanted = TextRange { start, end };
        let only = params.context.only.as_ref();
        let wants =
            |kind: &str| only.is_none_or(|o| o.iter().any(|k| kind.starts_with(k.as_str())));
        let config = self.state.config();
        let mut out = Vec::new();
        let edit_for = |edits: &[Edit]| workspace_edit(uri, version, &summary, edits, enc);
        if wants("quickfix") {
            for (f, sev) in crate::report::enabled_findings(&summary, &config) {
                if !f.range.intersects(wanted) {
                    continue;
                }
                let diag = convert::diagnostic(&summary, f, sev, enc);
                if let Some(fx) = &f.fix {
                    let unsafe_note = if fx.applicability == Applicability::Unsafe {
                        " (unsafe fix)"
                    } else {
                        ""
                    };
                    out.push(action(
                        format!("{}{unsafe_note}", fx.title),
                        CodeActionKind::QUICKFIX,
                        edit_for(&fx.edits),
                        vec![diag.clone()],
                        fx.applicability == Applicability::Safe,
                    ));
                }
                out.push(action(
                    format!("Ignore {} on this line", f.rule),
                    CodeActionKind::QUICKFIX,
                    edit_for(&[ignore_edit(&text, &summary, f)]),
                    vec![diag],
                    false,
                ));
            }
        }
        if wants(CodeActionKind::REFACTOR.as_str()) {
            out.extend(self.testgen_actions(uri, &summary, &text, wanted));
        }
        if wants(FIX_ALL_KIND) {
            let safe = crate::report::enabled_findings(&summary, &config)
                .filter_map(|(f, _)| f.fix.as_ref())
                .filter(|f| f.applicability == Applicability::Safe);
            let chosen = fix::select(&text, safe);
            if !chosen.is_empty() {
                let edits: Vec<Edit> = chosen
                    .iter()
                    .flat_map(|f| f.edits.iter().cloned())
                    .collect();
                out.push(action(
                    "devops-intel: fix all safe findings".into(),
                    CodeActionKind::new(FIX_ALL_KIND),
                    edit_for(&edits),
                    Vec::new(),
                    false,
                ));
            }
        }
        if wants(CodeActionKind::REFACTOR_REWRITE.as_str()) {
            for (title, edit) in self.docstring_edits(uri, &summary, &text, wanted) {
                out.push(action(
                    title,
                    CodeActionKind::REFACTOR_REWRITE,
                    edit_for(&[edit]),
                    Vec::new(),
                    false,
                ));
            }
        }
        out
    }
}

fn action(
    title: String,
    kind: CodeActionKind,
    edit: WorkspaceEdit,
    diagnostics: Vec<Diagnostic>,
    preferred: bool,
) -> CodeActionOrCommand {
    CodeActionOrCommand::CodeAction(CodeAction {
        title,
        kind: Some(kind),
        diagnostics: (!diagnostics.is_empty()).then_some(diagnostics),
        edit: Some(edit),
        is_preferred: preferred.then_some(true),
        ..Default::default()
    })
}

fn workspace_edit(
    uri: &Uri,
    version: Option<i32>,
    s: &FileSummary,
    edits: &[Edit],
    enc: Encoding,
) -> WorkspaceEdit {
    let text_edits: Vec<OneOf<TextEdit, AnnotatedTextEdit>> = edits
        .iter()
        .map(|e| {
            OneOf::Left(TextEdit {
                range: convert::range(&s.line_index, e.range, enc),
                new_text: e.new_text.clone(),
            })
        })
        .collect();
    if version.is_some() {
        WorkspaceEdit {
            document_changes: Some(DocumentChanges::Edits(vec![TextDocumentEdit {
                text_document: OptionalVersionedTextDocumentIdentifier {
                    uri: uri.clone(),
                    version,
                },
                edits: text_edits,
            }])),
            ..Default::default()
        }
    } else {
        let plain = text_edits
            .into_iter()
            .map(|e| match e {
                OneOf::Left(t) => t,
                OneOf::Right(a) => a.text_edit,
            })
            .collect();
        WorkspaceEdit {
            changes: Some(HashMap::from([(uri.clone(), plain)])),
            ..Default::default()
        }
    }
}

/// Adds the rule to an existing `# devops-intel: ignore[...]` on the finding's
/// line, or appends a new comment at the end of the line.
fn ignore_edit(text: &str, s: &FileSummary, f: &Finding) -> Edit {
    let line = s.line_index.line_of(f.range.start);
    let range = s.line_index.line_range(line).unwrap_or_default();
    let line_text = range.slice(text);
    if let Some(pos) = line_text.find("devops-intel: ignore[") {
        if let Some(close) = line_text[pos..].find(']') {
            let at = range.start + (pos + close) as u32;
            return Edit {
                range: TextRange { start: at, end: at },
                new_text: format!(", {}", f.rule),
            };
        }
    }
    Edit {
        range: TextRange {
            start: range.end,
            end: range.end,
        },
        new_text: format!("  # devops-intel: ignore[{}]", f.rule),
    }
}
