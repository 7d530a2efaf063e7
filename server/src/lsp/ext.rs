//! `devopsIntel/*` requests. Documented in `docs/lsp-extensions.md`; a test
//! checks that the documented methods and `EXTENSION_METHODS` agree.

use super::server::Server;
use super::state::lock;
use serde::{Deserialize, Serialize};
use tower_lsp_server::jsonrpc::{Error, ErrorCode, Result};
use tower_lsp_server::ls_types::{TextDocumentIdentifier, Uri};

pub const STATUS: &str = "devopsIntel/status";
pub const DOCUMENT_STATE: &str = "devopsIntel/documentState";
/// Implemented in `lsp/iac.rs`.
pub const RESOURCE_GRAPH: &str = "devopsIntel/resourceGraph";

/// Every custom method the server implements.
pub const EXTENSION_METHODS: &[&str] = &[
    STATUS,
    DOCUMENT_STATE,
    super::graph::MODULE_GRAPH,
    super::graph::CALL_GRAPH,
    super::graph::IMPACT,
    super::graph::DATA_FLOW,
    RESOURCE_GRAPH,
    super::explain::EXPLAIN,
];

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StatusResult {
    pub indexing: bool,
    pub files: usize,
    pub open_documents: usize,
    pub heap_bytes: usize,
    pub position_encoding: crate::text::Encoding,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DocumentStateParams {
    pub text_document: TextDocumentIdentifier,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DocumentStateResult {
    pub uri: Uri,
    pub version: i32,
    pub text: String,
    /// Version of the latest analysis (may trail `version` briefly).
    pub analyzed_version: Option<i32>,
}

impl Server {
    pub async fn status(&self) -> Result<StatusResult> {
        Ok(StatusResult {
            indexing: self.state.is_indexing(),
            files: self.state.workspace.len(),
            open_documents: self.state.docs.len(),
            heap_bytes: self.state.workspace.heap_size(),
            position_encoding: self.state.encoding(),
        })
    }

    pub async fn document_state(&self, params: DocumentStateParams) -> Result<DocumentStateResult> {
        let uri = params.text_document.uri;
        let Some(entry) = self.state.docs.get(&uri).map(|e| e.value().clone()) else {
            return Err(Error {
                code: ErrorCode::InvalidParams,
                message: format!("document is not open: {}", uri.as_str()).into(),
                data: None,
            });
        };
        let (text, version) = {
            let d = lock(&entry.doc);
            (d.doc.text(), d.doc.version)
        };
        Ok(DocumentStateResult {
            analyzed_version: self.latest_version(&uri),
            uri,
            version,
            text,
        })
    }
}
