//! Test generation code actions (kind `refactor`): "Generate pytest test for
//! `f`" on a function or method and "Generate tests for untested functions in
//! this file". The plan comes from `crate::testgen`; this file only turns it
//! into a WorkspaceEdit (CreateFile when the client supports it).

use super::convert;
use super::server::Server;
use super::state::{lock, path_to_uri, uri_to_path};
use crate::index::{DefKind, FileSummary};
use crate::testgen::{self, layout, Plan, Target};
use crate::text::{Encoding, LineIndex, TextRange};
use std::collections::HashMap;
use tower_lsp_server::ls_types::*;

impl Server {
    pub(super) fn testgen_actions(
        &self,
        uri: &Uri,
        summary: &FileSummary,
        text: &str,
        at: TextRange,
    ) -> Vec<CodeActionOrCommand> {
        let Some(path) = uri_to_path(uri) else {
            return Vec::new();
        };
        if layout::is_test_file(&path) {
            return Vec::new();
        }
        let Some(test_path) = layout::test_file_for(&path) else {
            return Vec::new();
        };
        let Some(test_uri) = path_to_uri(&test_path) else {
            return Vec::new();
        };
        let (existing, version) = self.test_file_text(&test_uri, &test_path);
        let enc = self.state.encoding();
        let mut out = Vec::new();
        let mut make = |title: String, target: Target| match testgen::plan(
            &path,
            text,
            summary,
            &target,
            &test_path,
            existing.as_deref(),
        ) {
            Ok(plan) if !plan.tests.is_empty() => {
                out.push(CodeActionOrCommand::CodeAction(CodeAction {
                    title,
                    kind: Some(CodeActionKind::REFACTOR),
                    edit: Some(self.plan_edit(&test_uri, &plan, existing.as_deref(), version, enc)),
                    ..Default::default()
                }));
            }
            Ok(_) => {}
            Err(e) => tracing::debug!(error = %e, "no tests generated"),
        };
        let testable: Vec<usize> = testgen::testable(summary).collect();
        let here = summary
            .defs
            .iter()
            .enumerate()
            .filter(|(i, d)| {
                d.kind != DefKind::Class && testable.contains(i) && d.range.contains(at.start)
            })
            .min_by_key(|(_, d)| d.range.len());
        if let Some((_, d)) = here {
            make(
                format!("Generate pytest test for `{}`", d.qualname),
                Target::Function(d.qualname.to_string()),
            );
        }
        make(
            "Generate tests for untested functions in this file".to_string(),
            Target::Untested,
        );
        out
    }

    /// The test file's text: the editor's buffer when open, else the disk.
    fn test_file_text(&self, uri: &Uri, path: &std::path::Path) -> (Option<String>, Option<i32>) {
        if let Some(e) = self.state.docs.get(uri) {
            let d = lock(&e.doc);
            return (Some(d.doc.text()), Some(d.doc.version));
        }
        (std::fs::read_to_string(path).ok(), None)
    }

    fn plan_edit(
        &self,
        uri: &Uri,
        plan: &Plan,
        existing: Option<&str>,
        version: Option<i32>,
        enc: Encoding,
    ) -> WorkspaceEdit {
        let caps = self.state.caps();
        let idx = LineIndex::new(existing.unwrap_or(""));
        let edits: Vec<TextEdit> = plan
            .inserts
            .iter()
            .map(|ins| TextEdit {
                range: convert::range(
                    &idx,
                    TextRange::new(ins.offset as usize, ins.offset as usize),
                    enc,
                ),
                new_text: ins.text.clone(),
            })
            .collect();
        let doc_edit = |version| TextDocumentEdit {
            text_document: OptionalVersionedTextDocumentIdentifier {
                uri: uri.clone(),
                version,
            },
            edits: edits.iter().cloned().map(OneOf::Left).collect(),
        };
        if !plan.exists && caps.create_files {
            return WorkspaceEdit {
                document_changes: Some(DocumentChanges::Operations(vec![
                    DocumentChangeOperation::Op(ResourceOp::Create(CreateFile {
                        uri: uri.clone(),
                        options: Some(CreateFileOptions {
                            overwrite: Some(false),
                            ignore_if_exists: Some(true),
                        }),
                        annotation_id: None,
                    })),
                    DocumentChangeOperation::Edit(doc_edit(None)),
                ])),
                ..Default::default()
            };
        }
        if plan.exists && caps.document_changes && version.is_some() {
            return WorkspaceEdit {
                document_changes: Some(DocumentChanges::Edits(vec![doc_edit(version)])),
                ..Default::default()
            };
        }
        // fallback: plain changes (most clients create a missing file for them)
        WorkspaceEdit {
            changes: Some(HashMap::from([(uri.clone(), edits)])),
            ..Default::default()
        }
    }
}
