//! What the server tells the client it can do, and what it learns of the client.

use super::state::ClientCaps;
use crate::text::Encoding;
use tower_lsp_server::ls_types::*;

/// utf-16 unless the client does not offer it (then the first of utf-8/utf-32
/// it lists): utf-16 keeps us consistent with pyright/pylsp in the same editor.
pub fn negotiate_encoding(params: &InitializeParams) -> Encoding {
    let offered = params
        .capabilities
        .general
        .as_ref()
        .and_then(|g| g.position_encodings.as_ref());
    let Some(list) = offered else {
        return Encoding::Utf16;
    };
    if list.is_empty() || list.iter().any(|e| e.as_str() == "utf-16") {
        return Encoding::Utf16;
    }
    for e in list {
        match e.as_str() {
            "utf-8" => return Encoding::Utf8,
            "utf-32" => return Encoding::Utf32,
            _ => {}
        }
    }
    Encoding::Utf16
}

pub fn encoding_kind(e: Encoding) -> PositionEncodingKind {
    match e {
        Encoding::Utf8 => PositionEncodingKind::UTF8,
        Encoding::Utf16 => PositionEncodingKind::UTF16,
        Encoding::Utf32 => PositionEncodingKind::UTF32,
    }
}

pub fn client_caps(params: &InitializeParams) -> ClientCaps {
    let c = &params.capabilities;
    let td = c.text_document.as_ref();
    ClientCaps {
        pull_diagnostics: td.and_then(|t| t.diagnostic.as_ref()).is_some(),
        work_done_progress: c
            .window
            .as_ref()
            .and_then(|w| w.work_done_progress)
            .unwrap_or(false),
        watched_files_dynamic: c
            .workspace
            .as_ref()
            .and_then(|w| w.did_change_watched_files.as_ref())
            .and_then(|d| d.dynamic_registration)
            .unwrap_or(false),
        workspace_diagnostic_refresh: c
            .workspace
            .as_ref()
            .and_then(|w| w.diagnostics.as_ref())
            .and_then(|d| d.refresh_support)
            .unwrap_or(false),
        markdown_hover: td
            .and_then(|t| t.hover.as_ref())
            .and_then(|h| h.content_format.as_ref())
            .is_none_or(|f| f.contains(&MarkupKind::Markdown)),
        resolve_edits: td
            .and_then(|t| t.code_action.as_ref())
            .and_then(|a| a.resolve_support.as_ref())
            .is_some_and(|r| r.properties.iter().any(|p| p == "edit")),
        document_changes: workspace_edit(c).and_then(|w| w.document_changes) == Some(true),
        create_files: workspace_edit(c)
            .and_then(|w| w.resource_operations.as_ref())
            .is_some_and(|ops| ops.contains(&ResourceOperationKind::Create))
            && workspace_edit(c).and_then(|w| w.document_changes) == Some(true),
    }
}

fn workspace_edit(c: &ClientCapabilities) -> Option<&WorkspaceEditClientCapabilities> {
    c.workspace.as_ref().and_then(|w| w.workspace_edit.as_ref())
}

pub fn server_capabilities(enc: Encoding, caps: &ClientCaps) -> ServerCapabilities {
    ServerCapabilities {
        position_encoding: Some(encoding_kind(enc)),
        text_document_sync: Some(TextDocumentSyncCapability::Options(
            TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(TextDocumentSyncKind::INCREMENTAL),
                save: Some(TextDocumentSyncSaveOptions::Supported(true)),
                ..Default::default()
            },
        )),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        code_lens_provider: Some(CodeLensOptions {
            resolve_provider: Some(false),
        }),
        code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
            code_action_kinds: Some(vec![
                CodeActionKind::QUICKFIX,
                CodeActionKind::new(super::code_action::FIX_ALL_KIND),
                CodeActionKind::REFACTOR,
                CodeActionKind::REFACTOR_REWRITE,
            ]),
            resolve_provider: Some(caps.resolve_edits),
            ..Default::default()
        })),
        document_symbol_provider: Some(OneOf::Left(true)),
        workspace_symbol_provider: Some(OneOf::Left(true)),
        definition_provider: Some(OneOf::Left(true)),
        references_provider: Some(OneOf::Left(true)),
        call_hierarchy_provider: Some(CallHierarchyServerCapability::Simple(true)),
        diagnostic_provider: caps.pull_diagnostics.then(|| {
            DiagnosticServerCapabilities::Options(DiagnosticOptions {
                identifier: Some("devops-intel".into()),
                // workspace rules (ARC001 cycles, ARC002) depend on other files
                inter_file_dependencies: true,
                workspace_diagnostics: true,
                ..Default::default()
            })
        }),
        workspace: Some(WorkspaceServerCapabilities {
            workspace_folders: Some(WorkspaceFoldersServerCapabilities {
                supported: Some(true),
                change_notifications: Some(OneOf::Left(true)),
            }),
            file_operations: None,
        }),
        ..Default::default()
    }
}
