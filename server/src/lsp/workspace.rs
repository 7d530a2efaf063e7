//! Workspace-level events: roots and configuration, the cold index with
//! `$/progress`, watched files and workspace folders.

use super::server::Server;
use super::state::{uri_to_path, write};
use crate::config::Config;
use crate::index::{discover, index_one};
use std::path::PathBuf;
use std::sync::atomic::Ordering;
use std::time::Instant;
use tower_lsp_server::ls_types::notification::Progress;
use tower_lsp_server::ls_types::*;

const PROGRESS_TOKEN: &str = "devops-intel/index";

pub fn roots_from(params: &InitializeParams) -> Vec<PathBuf> {
    let mut roots: Vec<PathBuf> = params
        .workspace_folders
        .iter()
        .flatten()
        .filter_map(|f| uri_to_path(&f.uri))
        .collect();
    #[allow(deprecated)]
    if roots.is_empty() {
        if let Some(p) = params.root_uri.as_ref().and_then(uri_to_path) {
            roots.push(p);
        }
    }
    roots
}

impl Server {
    /// Reads the configuration file of the first root; a broken file is shown
    /// to the user and the defaults are used.
    pub(super) async fn load_file_config(&self) {
        let roots = self.state.roots();
        let Some(root) = roots.first() else { return };
        match Config::discover(root) {
            Ok((config, path)) => {
                if let Err(e) = config.validate() {
                    self.show_error(format!(
                        "devops-intel: {}: {e}",
                        path.map(|p| p.display().to_string()).unwrap_or_default()
                    ))
                    .await;
                }
                *write(&self.state.file_config) = config;
            }
            Err(e) => {
                self.show_error(format!("devops-intel: {e}; using defaults"))
                    .await;
                *write(&self.state.file_config) = Config::default();
            }
        }
    }

    pub(super) async fn show_error(&self, message: String) {
        tracing::error!("{message}");
        self.client.show_message(MessageType::ERROR, message).await;
    }

    /// Indexes every root in the background, reporting progress; open
    /// documents already have their own diagnostics and are not touched.
    pub(super) async fn cold_index(&self) {
        self.state.indexing.store(true, Ordering::SeqCst);
        let progress = self.state.caps().work_done_progress;
        let token = NumberOrString::String(PROGRESS_TOKEN.into());
        if progress {
            let created = self
                .client
                .create_work_done_progress(token.clone())
                .await
                .is_ok();
            if created {
                self.progress(
                    &token,
                    WorkDoneProgress::Begin(WorkDoneProgressBegin {
                        title: "devops-intel: indexing".into(),
                        cancellable: Some(false),
                        message: Some("discovering files".into()),
                        percentage: Some(0),
                    }),
                )
                .await;
            }
        }
        let started = Instant::now();
        let state = self.state.clone();
        let files = tokio::task::spawn_blocking(move || {
            let config = state.config();
            let paths: Vec<PathBuf> = discover(&state.roots(), &config)
                .into_iter()
                .filter(|p| !state.is_open(p))
                .collect();
            state.workspace.index(&paths, &config);
            // the trees are gone; hand their pages back before the graphs
            crate::syntax::release_tree_memory();
            // module layer + ARC findings now; the call layer too, so the
            // first call-graph or impact request does not pay for it
            let (snap, _) = state.graph_refresh();
            state.graph.calls(&snap);
            paths.len()
        })
        .await
        .unwrap_or(0);
        self.state.indexing.store(false, Ordering::SeqCst);
        tracing::info!(
            files,
            ms = started.elapsed().as_millis() as u64,
            "workspace indexed"
        );
        if progress {
            self.progress(
                &token,
                WorkDoneProgress::End(WorkDoneProgressEnd {
                    message: Some(format!("{files} files indexed")),
                }),
            )
            .await;
        }
        self.republish_all().await;
    }

    async fn progress(&self, token: &NumberOrString, value: WorkDoneProgress) {
        self.client
            .send_notification::<Progress>(ProgressParams {
                token: token.clone(),
                value: ProgressParamsValue::WorkDone(value),
            })
            .await;
    }

    pub(super) async fn register_watchers(&self) {
        if !self.state.caps().watched_files_dynamic {
            return;
        }
        let watchers = [
            "**/*.py",
            "**/devops-intel.toml",
            "**/pyproject.toml",
            "**/coverage.json",
            "**/coverage.lcov",
            "**/lcov.info",
        ]
        .iter()
        .map(|g| FileSystemWatcher {
            glob_pattern: GlobPattern::String(g.to_string()),
            kind: None,
        })
        .collect();
        let registration = Registration {
            id: "devops-intel-watch".into(),
            method: "workspace/didChangeWatchedFiles".into(),
            register_options: serde_json::to_value(DidChangeWatchedFilesRegistrationOptions {
                watchers,
            })
            .ok(),
        };
        if let Err(e) = self.client.register_capability(vec![registration]).await {
            tracing::warn!(error = %e, "client refused file watcher registration");
        }
    }

    pub(super) async fn watched_files(&self, params: DidChangeWatchedFilesParams) {
        let mut config_changed = false;
        let mut coverage_changed = false;
        let configured_coverage = self.state.config().coverage;
        for change in params.changes {
            let Some(path) = uri_to_path(&change.uri) else {
                continue;
            };
            if crate::coverage::is_coverage_file(&path, configured_coverage.as_deref()) {
                coverage_changed = true;
                continue;
            }
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
            if name == "devops-intel.toml" || name == "pyproject.toml" {
                config_changed = true;
                continue;
            }
            if path.extension().and_then(|e| e.to_str()) != Some("py")
                || !self.state.in_workspace(&path)
            {
                continue;
            }
            if change.typ == FileChangeType::DELETED || !path.is_file() {
                self.state.workspace.remove(&path);
                if !self.state.is_open(&path) {
                    self.clear(&path).await;
                }
                continue;
            }
            if self.state.is_open(&path) {
                continue; // the editor's buffer is the truth while it is open
            }
            let config = self.state.config();
            if crate::index::is_excluded(&path, &self.state.roots(), &config) {
                continue;
            }
            let state = self.state.clone();
            let p = path.clone();
            let _ = tokio::task::spawn_blocking(move || {
                state.workspace.insert(index_one(
                    &p,
                    config.max_file_size(),
                    &config.rule_settings(),
                ));
            })
            .await;
            self.publish_closed(&path).await;
        }
        self.refresh_graph(None).await;
        if coverage_changed && !config_changed && self.load_coverage() {
            self.republish_all().await;
            let _ = self.client.code_lens_refresh().await;
        }
        if config_changed {
            self.load_file_config().await;
            self.load_coverage();
            self.reanalyze_everything().await;
        }
    }

    pub(super) async fn folders_changed(&self, params: DidChangeWorkspaceFoldersParams) {
        for removed in &params.event.removed {
            if let Some(path) = uri_to_path(&removed.uri) {
                write(&self.state.roots).retain(|r| r != &path);
                for gone in self.state.workspace.remove_under(&path) {
                    self.clear(&gone).await;
                }
            }
        }
        if !params.event.removed.is_empty() {
            self.refresh_graph(None).await;
        }
        let added: Vec<PathBuf> = params
            .event
            .added
            .iter()
            .filter_map(|f| uri_to_path(&f.uri))
            .collect();
        if !added.is_empty() {
            write(&self.state.roots).extend(added);
            self.cold_index().await;
        }
    }

    pub(super) async fn configuration_changed(&self, params: DidChangeConfigurationParams) {
        let settings = params
            .settings
            .get("devops-intel")
            .or_else(|| params.settings.get("devopsIntel"))
            .cloned()
            .unwrap_or(params.settings);
        if settings.is_object() {
            match Config::from_json(&settings).and_then(|c| c.validate().map(|_| c)) {
                Ok(c) => *write(&self.state.client_config) = c,
                Err(e) => {
                    self.show_error(format!("devops-intel: invalid settings: {e}"))
                        .await;
                    return;
                }
            }
        }
        self.reanalyze_everything().await;
    }

    /// Config changed: re-analyse open documents and the index, then republish.
    pub(super) async fn reanalyze_everything(&self) {
        let open: Vec<_> = self
            .state
            .docs
            .iter()
            .map(|e| (e.key().clone(), e.value().clone()))
            .collect();
        for (uri, entry) in open {
            let version = super::state::lock(&entry.doc).doc.version;
            *entry.published.lock().await = None;
            self.analyze_and_publish(uri, entry, version).await;
        }
        self.cold_index().await;
    }
}
