//! The `LanguageServer` implementation: routes each method to its handler.

use super::capabilities::{client_caps, negotiate_encoding, server_capabilities};
use super::state::{write, State};
use super::workspace::roots_from;
use crate::config::Config;
use std::sync::Arc;
use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::*;
use tower_lsp_server::{Client, LanguageServer};

#[derive(Clone)]
pub struct Server {
    pub(super) client: Client,
    pub(super) state: Arc<State>,
}

impl Server {
    pub fn new(client: Client) -> Self {
        Self {
            client,
            state: Arc::new(State::default()),
        }
    }
}

impl LanguageServer for Server {
    async fn initialize(&self, params: InitializeParams) -> Result<InitializeResult> {
        let enc = negotiate_encoding(&params);
        let caps = client_caps(&params);
        *write(&self.state.encoding) = enc;
        *write(&self.state.caps) = caps;
        *write(&self.state.roots) = roots_from(&params);
        if let Some(opts) = params
            .initialization_options
            .as_ref()
            .filter(|o| o.is_object())
        {
            match Config::from_json(opts).and_then(|c| c.validate().map(|_| c)) {
                Ok(c) => *write(&self.state.client_config) = c,
                Err(e) => {
                    // one bad setting must not disable the server: say so, use defaults
                    self.show_error(format!(
                        "devops-intel: invalid initializationOptions ({e}); using defaults"
                    ))
                    .await;
                }
            }
        }
        tracing::info!(?enc, roots = ?self.state.roots(), "initialize");
        Ok(InitializeResult {
            capabilities: server_capabilities(enc, &caps),
            server_info: Some(ServerInfo {
                name: "devops-intel".into(),
                version: Some(env!("CARGO_PKG_VERSION").into()),
            }),
            offset_encoding: None,
        })
    }

    async fn initialized(&self, _: InitializedParams) {
        self.load_file_config().await;
        // Background work: a handler that awaits the client (registration,
        // progress tokens) must not hold up shutdown.
        let this = self.clone();
        tokio::spawn(async move {
            this.register_watchers().await;
            this.load_coverage();
            this.cold_index().await;
        });
    }

    async fn shutdown(&self) -> Result<()> {
        Ok(())
    }

    async fn did_open(&self, params: DidOpenTextDocumentParams) {
        if let Some((uri, entry, version)) = self.open(params) {
            self.analyze_and_publish(uri, entry, version).await;
        }
    }

    async fn did_change(&self, params: DidChangeTextDocumentParams) {
        if let Some((uri, entry, version)) = self.change(params) {
            self.analyze_and_publish(uri, entry, version).await;
        }
    }

    async fn did_save(&self, _: DidSaveTextDocumentParams) {}

    async fn did_close(&self, params: DidCloseTextDocumentParams) {
        if let Some(path) = self.close(params) {
            self.after_close(path).await;
        }
    }

    async fn did_change_watched_files(&self, params: DidChangeWatchedFilesParams) {
        self.watched_files(params).await;
    }

    async fn did_change_workspace_folders(&self, params: DidChangeWorkspaceFoldersParams) {
        self.folders_changed(params).await;
    }

    async fn did_change_configuration(&self, params: DidChangeConfigurationParams) {
        self.configuration_changed(params).await;
    }

    async fn hover(&self, params: HoverParams) -> Result<Option<Hover>> {
        Ok(self.hover_at(&params))
    }

    async fn code_lens(&self, params: CodeLensParams) -> Result<Option<Vec<CodeLens>>> {
        // IaC cost lenses, then per-function coverage lenses
        let mut lenses = self.code_lenses(&params);
        lenses.extend(self.coverage_lenses(&params));
        Ok((!lenses.is_empty()).then_some(lenses))
    }

    async fn code_action(&self, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
        let actions = self.code_actions(&params);
        Ok((!actions.is_empty()).then_some(actions))
    }

    async fn document_symbol(
        &self,
        params: DocumentSymbolParams,
    ) -> Result<Option<DocumentSymbolResponse>> {
        Ok(self.document_symbols(&params))
    }

    async fn symbol(
        &self,
        params: WorkspaceSymbolParams,
    ) -> Result<Option<WorkspaceSymbolResponse>> {
        Ok(self.workspace_symbols(&params).await)
    }

    async fn goto_definition(
        &self,
        params: GotoDefinitionParams,
    ) -> Result<Option<GotoDefinitionResponse>> {
        Ok(self.definition(&params).await)
    }

    async fn references(&self, params: ReferenceParams) -> Result<Option<Vec<Location>>> {
        Ok(self.find_references(&params).await)
    }

    async fn prepare_call_hierarchy(
        &self,
        params: CallHierarchyPrepareParams,
    ) -> Result<Option<Vec<CallHierarchyItem>>> {
        Ok(self.prepare_hierarchy(&params).await)
    }

    async fn incoming_calls(
        &self,
        params: CallHierarchyIncomingCallsParams,
    ) -> Result<Option<Vec<CallHierarchyIncomingCall>>> {
        Ok(self.incoming(&params).await)
    }

    async fn outgoing_calls(
        &self,
        params: CallHierarchyOutgoingCallsParams,
    ) -> Result<Option<Vec<CallHierarchyOutgoingCall>>> {
        Ok(self.outgoing(&params).await)
    }

    async fn code_action_resolve(&self, action: CodeAction) -> Result<CodeAction> {
        Ok(self.resolve_testgen_action(action))
    }

    async fn diagnostic(
        &self,
        params: DocumentDiagnosticParams,
    ) -> Result<DocumentDiagnosticReportResult> {
        self.ensure_analyzed(&params.text_document.uri).await;
        self.refresh_graph(None).await;
        let items = self.pull_report(&params.text_document.uri);
        Ok(DocumentDiagnosticReportResult::Report(
            DocumentDiagnosticReport::Full(RelatedFullDocumentDiagnosticReport {
                related_documents: None,
                full_document_diagnostic_report: FullDocumentDiagnosticReport {
                    result_id: None,
                    items,
                },
            }),
        ))
    }

    async fn workspace_diagnostic(
        &self,
        _: WorkspaceDiagnosticParams,
    ) -> Result<WorkspaceDiagnosticReportResult> {
        Ok(WorkspaceDiagnosticReportResult::Report(
            self.workspace_report(),
        ))
    }
}
