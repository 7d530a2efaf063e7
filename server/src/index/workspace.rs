//! The workspace: every indexed file's summary, keyed by path, plus discovery
//! and the parallel cold index.

use super::{analyze_source, read_source, FileProblem, FileSummary};
use crate::config::Config;
use dashmap::DashMap;
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::sync::Arc;

#[derive(Default)]
pub struct Workspace {
    files: DashMap<PathBuf, Arc<FileSummary>>,
}

/// Finds `.py` files under `roots`, honouring `.gitignore`, hidden folders and
/// the configured `exclude` globs. Paths given as files are taken as they are.
pub fn discover(roots: &[PathBuf], config: &Config) -> Vec<PathBuf> {
    let excludes = config.exclude_set();
    let (files, dirs): (Vec<&PathBuf>, Vec<&PathBuf>) = roots.iter().partition(|r| r.is_file());
    let found = std::sync::Mutex::new(files.into_iter().cloned().collect::<Vec<_>>());
    for root in dirs {
        // Excluded folders are pruned as the walk reaches them, so a file
        // only needs its own path checked. Parallel: the walk is syscalls
        // and ignore-file matching, and halves on two cores.
        let prune = {
            let (root, excludes) = (root.clone(), excludes.clone());
            move |e: &ignore::DirEntry| {
                let rel = e.path().strip_prefix(&root).unwrap_or(e.path());
                let is_dir = e.file_type().is_some_and(|t| t.is_dir());
                rel.as_os_str().is_empty()
                    || !(excludes.is_match(rel) || is_dir && crate::config::is_output_dir(e.path()))
            }
        };
        ignore::WalkBuilder::new(root)
            .hidden(true)
            .git_ignore(true)
            .git_global(false)
            .require_git(false)
            .filter_entry(prune)
            .build_parallel()
            .run(|| {
                let found = &found;
                Box::new(move |entry| {
                    if let Ok(entry) = entry {
                        let python = matches!(
                            entry.path().extension().and_then(|e| e.to_str()),
                            Some("py" | "pyi")
                        );
                        if python && entry.file_type().is_some_and(|t| t.is_file()) {
                            found
                                .lock()
                                .unwrap_or_else(|p| p.into_inner())
                                .push(entry.into_path());
                        }
                    }
                    ignore::WalkState::Continue
                })
            });
    }
    let mut out = found.into_inner().unwrap_or_else(|p| p.into_inner());
    out.sort();
    out.dedup();
    out
}

/// Whether discovery under `roots` skips the file `path` for the
/// configuration: an `exclude` glob matching it or a folder on its way down
/// from its root, or a build output folder there (watched-file events for
/// such files are ignored, as discovery ignored them).
pub fn is_excluded(path: &Path, roots: &[PathBuf], config: &Config) -> bool {
    let excludes = config.exclude_set();
    let root = roots
        .iter()
        .filter(|r| path.starts_with(r))
        .max_by_key(|r| r.components().count());
    let Some(root) = root else {
        return excludes.is_match(path);
    };
    let rel = path.strip_prefix(root).unwrap_or(path);
    rel.ancestors()
        .filter(|a| !a.as_os_str().is_empty())
        .any(|a| excludes.is_match(a) || (a != rel && crate::config::is_output_dir(&root.join(a))))
}

impl Workspace {
    pub fn new() -> Self {
        Self::default()
    }

    /// Reads and analyses `paths` in parallel, replacing their summaries.
    /// Unreadable files get a summary with a `Skipped` problem.
    pub fn index(&self, paths: &[PathBuf], config: &Config) {
        let settings = config.rule_settings();
        let max = config.max_file_size();
        paths.par_iter().for_each(|path| {
            let summary = index_one(path, max, &settings);
            self.files.insert(path.clone(), Arc::new(summary));
        });
    }

    pub fn get(&self, path: &Path) -> Option<Arc<FileSummary>> {
        self.files.get(path).map(|e| e.value().clone())
    }

    /// Takes a summary or a shared one (the server shares an open document's
    /// summary with the workspace instead of copying it on every keystroke).
    pub fn insert(&self, summary: impl Into<Arc<FileSummary>>) -> Option<Arc<FileSummary>> {
        let summary = summary.into();
        self.files.insert(summary.path.clone(), summary)
    }

    pub fn remove(&self, path: &Path) -> Option<Arc<FileSummary>> {
        self.files.remove(path).map(|(_, v)| v)
    }

    /// Removes every file under `dir`; returns the removed paths.
    pub fn remove_under(&self, dir: &Path) -> Vec<PathBuf> {
        let gone: Vec<PathBuf> = self
            .files
            .iter()
            .filter(|e| e.key().starts_with(dir))
            .map(|e| e.key().clone())
            .collect();
        for p in &gone {
            self.files.remove(p);
        }
        gone
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    pub fn paths(&self) -> Vec<PathBuf> {
        let mut v: Vec<PathBuf> = self.files.iter().map(|e| e.key().clone()).collect();
        v.sort();
        v
    }

    /// All summaries, sorted by path.
    pub fn summaries(&self) -> Vec<Arc<FileSummary>> {
        let mut v: Vec<Arc<FileSummary>> = self.files.iter().map(|e| e.value().clone()).collect();
        v.sort_by(|a, b| a.path.cmp(&b.path));
        v
    }

    /// All summaries in no particular order: for per-request work (hovers)
    /// where sorting thousands of paths would cost more than the work itself.
    pub fn summaries_unordered(&self) -> Vec<Arc<FileSummary>> {
        self.files.iter().map(|e| e.value().clone()).collect()
    }

    /// Approximate heap held by all summaries.
    pub fn heap_size(&self) -> usize {
        self.files.iter().map(|e| e.value().heap_size()).sum()
    }
}

pub fn index_one(path: &Path, max_size: u64, settings: &crate::rules::RuleSettings) -> FileSummary {
    match read_source(path, max_size) {
        Ok(source) => analyze_source(path, &source, settings),
        Err(e) => {
            tracing::warn!(path = %path.display(), error = %e, "cannot read file");
            let mut s = super::analyze(path, "", settings);
            s.problems.push(FileProblem::Skipped {
                reason: format!("cannot read file: {e}"),
            });
            s
        }
    }
}
