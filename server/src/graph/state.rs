//! The graph cache: layers rebuilt from summaries only when the structure
//! they depend on changed. The module layer (and the workspace findings,
//! ARC…) depends on each file's imports and the set of files; the call layer
//! on definitions and call sites too. A text edit that changes neither reuses
//! both (positions are always read from the current summaries), so typing in
//! a function body costs a pointer comparison and a hash of one file.

use super::calls::CallLayer;
use super::module_graph::ModuleLayer;
use crate::index::FileSummary;
use crate::rules::workspace::{WorkspaceFindings, WorkspaceInput};
use rustc_hash::FxHasher;
use std::hash::{Hash, Hasher};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

/// A consistent view: summaries (sorted by path) and the layers built on them.
#[derive(Clone)]
pub struct Snapshot {
    pub summaries: Arc<Vec<Arc<FileSummary>>>,
    pub modules: Arc<ModuleLayer>,
    pub findings: Arc<WorkspaceFindings>,
    /// Generation of the call structure this snapshot saw.
    calls_generation: u64,
}

/// What a refresh changed.
#[derive(Debug, Default)]
pub struct Refresh {
    pub modules_rebuilt: bool,
    /// Files whose workspace findings changed.
    pub findings_changed: Vec<PathBuf>,
}

#[derive(Default)]
pub struct GraphState {
    cache: Mutex<Cache>,
}

#[derive(Default)]
struct Cache {
    roots: Vec<PathBuf>,
    summaries: Arc<Vec<Arc<FileSummary>>>,
    import_keys: Vec<u64>,
    call_keys: Vec<u64>,
    modules: Option<Arc<ModuleLayer>>,
    calls: Option<Arc<CallLayer>>,
    findings: Arc<WorkspaceFindings>,
    calls_generation: u64,
}

/// Hash of what the module layer reads from a file.
pub fn import_key(s: &FileSummary) -> u64 {
    let mut h = FxHasher::default();
    s.path.hash(&mut h);
    for i in &s.imports {
        (
            &i.module,
            &i.name,
            &i.alias,
            i.level,
            i.in_function,
            i.type_checking,
        )
            .hash(&mut h);
    }
    h.finish()
}

/// Hash of what the call layer reads from a file (besides imports).
pub fn call_key(s: &FileSummary) -> u64 {
    let mut h = FxHasher::default();
    for d in &s.defs {
        (&d.qualname, d.kind as u8, d.parent, &d.bases).hash(&mut h);
    }
    for c in &s.calls {
        (&c.callee, &c.qualified, c.enclosing).hash(&mut h);
    }
    h.finish()
}

impl GraphState {
    pub fn new() -> Self {
        Self::default()
    }

    /// Brings the cache up to date with `summaries` (any order) under search
    /// `roots`, rebuilding only what changed.
    pub fn refresh(
        &self,
        mut summaries: Vec<Arc<FileSummary>>,
        roots: &[PathBuf],
    ) -> (Snapshot, Refresh) {
        summaries.sort_by(|a, b| a.path.cmp(&b.path));
        let mut c = self.cache.lock().unwrap_or_else(|p| p.into_inner());
        let same_files = c.summaries.len() == summaries.len()
            && c.roots == roots
            && c.summaries
                .iter()
                .zip(&summaries)
                .all(|(a, b)| a.path == b.path);
        let mut imports_changed = !same_files || c.modules.is_none();
        let mut calls_changed = imports_changed;
        let (import_keys, call_keys): (Vec<u64>, Vec<u64>) = if same_files {
            summaries
                .iter()
                .enumerate()
                .map(|(i, s)| {
                    if Arc::ptr_eq(s, &c.summaries[i]) {
                        (c.import_keys[i], c.call_keys[i])
                    } else {
                        (import_key(s), call_key(s))
                    }
                })
                .unzip()
        } else {
            summaries
                .iter()
                .map(|s| (import_key(s), call_key(s)))
                .unzip()
        };
        if same_files {
            imports_changed |= import_keys != c.import_keys;
            calls_changed |= imports_changed || call_keys != c.call_keys;
        }
        let summaries = Arc::new(summaries);
        let mut refresh = Refresh::default();
        if imports_changed {
            let modules = Arc::new(ModuleLayer::build(&summaries, roots));
            let findings = Arc::new(WorkspaceFindings::compute(&WorkspaceInput {
                summaries: &summaries,
                modules: &modules,
                coverage: None,
            }));
            refresh.modules_rebuilt = true;
            refresh.findings_changed = findings.changed_paths(&c.findings);
            c.modules = Some(modules);
            c.findings = findings;
        }
        if calls_changed {
            c.calls = None;
            c.calls_generation += 1;
        }
        c.summaries = summaries.clone();
        c.import_keys = import_keys;
        c.call_keys = call_keys;
        c.roots = roots.to_vec();
        let modules = c.modules.clone().unwrap_or_default();
        let snap = Snapshot {
            summaries,
            modules,
            findings: c.findings.clone(),
            calls_generation: c.calls_generation,
        };
        (snap, refresh)
    }

    /// The call layer for `snap` (built on first use after a change).
    pub fn calls(&self, snap: &Snapshot) -> Arc<CallLayer> {
        let mut c = self.cache.lock().unwrap_or_else(|p| p.into_inner());
        let current = c.calls_generation == snap.calls_generation;
        if let (Some(calls), true) = (&c.calls, current) {
            return calls.clone();
        }
        let calls = Arc::new(CallLayer::build(&snap.summaries, &snap.modules));
        if current {
            c.calls = Some(calls.clone());
        }
        calls
    }

    /// The latest workspace findings (empty before the first refresh).
    pub fn findings(&self) -> Arc<WorkspaceFindings> {
        self.cache
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .findings
            .clone()
    }
}
