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
        let lenses = self.code_lenses(&params);
        Ok((!lenses.is_empty()).then_some(lenses))
    }

    async fn code_action(&self, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
        let actions = self.code_actions(&params);
        Ok((!actions.is_empty()).then_some(actions))
    }

    async fn diagnostic(
        &self,
        params: DocumentDiagnosticParams,
    ) -> Result<DocumentDiagnosticReportResult> {
        self.ensure_analyzed(&params.text_document.uri).await;
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
