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
        let lazy = self.state.caps().resolve_edits;
        let mut out = Vec::new();
        let module = layout::module_path(&path).unwrap_or_default();
        let others: Vec<&str> = testgen::testable(summary)
            .map(|i| summary.defs[i].qualname.as_str())
            .collect();
        let existing_text = existing.as_deref().unwrap_or("");
        let untested: Vec<&str> = others
            .iter()
            .copied()
            .filter(|q| !testgen::is_tested(existing_text, &module, q, &others))
            .collect();
        let mut make = |title: String, target: Target| {
            let wanted = match &target {
                Target::Function(q) => untested.contains(&q.as_str()),
                Target::Untested => !untested.is_empty(),
            };
            if !wanted {
                return;
            }
            if lazy {
                // the edit is computed on codeAction/resolve
                out.push(CodeActionOrCommand::CodeAction(CodeAction {
                    title,
                    kind: Some(CodeActionKind::REFACTOR),
                    data: Some(serde_json::json!({
                        "testgen": {
                            "uri": uri.as_str(),
                            "function": match &target {
                                Target::Function(q) => Some(q.clone()),
                                Target::Untested => None,
                            },
                        }
                    })),
                    ..Default::default()
                }));
                return;
            }
            match testgen::plan(
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
                        edit: Some(self.plan_edit(
                            &test_uri,
                            &plan,
                            existing.as_deref(),
                            version,
                            enc,
                        )),
                        ..Default::default()
                    }));
                }
                Ok(_) => {}
                Err(e) => tracing::debug!(error = %e, "no tests generated"),
            }
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

    /// Fills in the edit of a test generation action offered without one.
    pub(super) fn resolve_testgen_action(&self, mut action: CodeAction) -> CodeAction {
        let Some(data) = action.data.as_ref().and_then(|d| d.get("testgen")) else {
            return action;
        };
        let target = match data.get("function").and_then(|f| f.as_str()) {
            Some(f) => Target::Function(f.to_string()),
            None => Target::Untested,
        };
        let Some(uri) = data
            .get("uri")
            .and_then(|u| u.as_str())
            .and_then(|u| u.parse::<Uri>().ok())
        else {
            return action;
        };
        let (Some(path), Some(summary)) = (uri_to_path(&uri), self.state.summary(&uri)) else {
            return action;
        };
        let Some((text, _)) = self.current_text(&uri, &summary) else {
            return action;
        };
        let Some(test_path) = layout::test_file_for(&path) else {
            return action;
        };
        let Some(test_uri) = path_to_uri(&test_path) else {
            return action;
        };
        let (existing, version) = self.test_file_text(&test_uri, &test_path);
        match testgen::plan(
            &path,
            &text,
            &summary,
            &target,
            &test_path,
            existing.as_deref(),
        ) {
            Ok(plan) => {
                let enc = self.state.encoding();
                action.edit =
                    Some(self.plan_edit(&test_uri, &plan, existing.as_deref(), version, enc));
            }
            Err(e) => tracing::warn!(error = %e, "test generation failed on resolve"),
        }
        action
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
