//! Server state shared by handlers: documents, workspace, configuration.

use crate::config::Config;
use crate::index::{FileSummary, OpenDocument, Workspace};
use crate::text::Encoding;
use dashmap::DashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use tower_lsp_server::ls_types::Uri;

/// An open document and the latest analysis of it.
pub struct DocEntry {
    pub path: PathBuf,
    pub doc: Mutex<OpenDocument>,
    /// Latest summary for this document (any version), for hovers and actions.
    pub summary: RwLock<Option<(i32, Arc<FileSummary>)>>,
    /// Highest version published, so an older result is never sent after it.
    pub published: tokio::sync::Mutex<Option<i32>>,
}

#[derive(Clone, Copy, Debug, Default)]
pub struct ClientCaps {
    pub pull_diagnostics: bool,
    pub work_done_progress: bool,
    pub watched_files_dynamic: bool,
    pub workspace_diagnostic_refresh: bool,
    pub markdown_hover: bool,
    /// workspaceEdit.documentChanges and resourceOperations "create".
    pub document_changes: bool,
    pub create_files: bool,
    /// codeAction resolveSupport covers `edit`: edits are computed on resolve.
    pub resolve_edits: bool,
}

#[derive(Default)]
pub struct State {
    pub docs: DashMap<Uri, Arc<DocEntry>>,
    pub workspace: Workspace,
    pub roots: RwLock<Vec<PathBuf>>,
    /// Configuration from the file found in the first root.
    pub file_config: RwLock<Config>,
    /// Configuration from initializationOptions / didChangeConfiguration.
    pub client_config: RwLock<Config>,
    pub encoding: RwLock<Encoding>,
    pub caps: RwLock<ClientCaps>,
    pub indexing: AtomicBool,
    /// Module/call layers and workspace findings (ARC…), rebuilt from the
    /// summaries when imports or definitions change.
    pub graph: crate::graph::GraphState,
    /// Coverage data for lenses and COV001 (see `lsp/coverage.rs`).
    pub coverage: RwLock<Option<Arc<super::coverage::LoadedCoverage>>>,
}

impl State {
    pub fn config(&self) -> Config {
        let file = read(&self.file_config).clone();
        file.merged(&read(&self.client_config))
    }

    pub fn encoding(&self) -> Encoding {
        *read(&self.encoding)
    }

    pub fn caps(&self) -> ClientCaps {
        *read(&self.caps)
    }

    pub fn roots(&self) -> Vec<PathBuf> {
        read(&self.roots).clone()
    }

    pub fn is_indexing(&self) -> bool {
        self.indexing.load(Ordering::SeqCst)
    }

    pub fn in_workspace(&self, path: &Path) -> bool {
        read(&self.roots).iter().any(|r| path.starts_with(r))
    }

    pub fn is_open(&self, path: &Path) -> bool {
        self.docs.iter().any(|e| e.value().path == path)
    }

    /// The freshest summary for a path: the open document's, else the index's.
    pub fn summary(&self, uri: &Uri) -> Option<Arc<FileSummary>> {
        if let Some(entry) = self.docs.get(uri) {
            if let Some((_, s)) = read(&entry.summary).as_ref() {
                return Some(s.clone());
            }
        }
        let path = uri_to_path(uri)?;
        self.workspace.get(&path)
    }
}

/// Reads a lock, recovering the data if a panicking thread poisoned it.
pub fn read<T>(lock: &RwLock<T>) -> std::sync::RwLockReadGuard<'_, T> {
    lock.read().unwrap_or_else(|p| p.into_inner())
}

pub fn write<T>(lock: &RwLock<T>) -> std::sync::RwLockWriteGuard<'_, T> {
    lock.write().unwrap_or_else(|p| p.into_inner())
}

pub fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

pub fn uri_to_path(uri: &Uri) -> Option<PathBuf> {
    if uri.scheme().as_str() != "file" {
        return None;
    }
    uri.to_file_path().map(|p| p.into_owned())
}

pub fn path_to_uri(path: &Path) -> Option<Uri> {
    Uri::from_file_path(path)
}
