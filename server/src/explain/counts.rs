//! What other areas add to an explanation, behind one seam ([`Seams`]):
//! callers/callees (by name here; the graph area's call layer can answer
//! instead), coverage (the testgen/coverage area) and IaC resources with cost
//! (the iac area). Each has a default so explain works on summaries alone.

use super::facts::{Coverage, ResourceFact};
use super::resolve::{enclosing_class, Target};
use crate::index::{CallSite, DefKind, FileSummary};
use serde::Serialize;
use smol_str::SmolStr;
use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CallCounts {
    /// Call sites in the workspace that call the definition.
    pub callers: usize,
    /// Distinct callees called from inside the definition.
    pub callees: usize,
    /// How the counts were computed: `"name"` (by name and import path) or
    /// `"graph"` (the call graph's resolver).
    pub method: &'static str,
}

/// Inputs other areas provide. Override what you have; the defaults compute
/// call counts by name and know no coverage or resources.
pub trait Seams {
    fn call_counts(&self, target: &Target, all: &[Arc<FileSummary>]) -> Option<CallCounts> {
        Some(by_name(target, all))
    }
    fn coverage(&self, _target: &Target) -> Option<Coverage> {
        None
    }
    fn resources(&self, _target: &Target) -> Vec<ResourceFact> {
        Vec::new()
    }
}

/// Summaries only: no coverage, no IaC model, call counts by name.
pub struct SummariesOnly;

impl Seams for SummariesOnly {}

/// Callers and callees by name: a call counts when its resolved callee ends
/// with the definition's qualified name and the rest names the definition's
/// module (by path suffix), or when it is a bare or `self.` call in the same
/// file (and class). Approximate where names are shadowed.
pub fn by_name(target: &Target, all: &[Arc<FileSummary>]) -> CallCounts {
    if target.def().is_none() {
        return CallCounts::default();
    }
    let file = &target.file;
    let mut callers = 0;
    for s in all {
        let same_file = s.path == file.path;
        for c in &s.calls {
            if calls_def(c, s, same_file, file, target.def) {
                callers += 1;
            }
        }
    }
    // the open document's summary may be newer than the workspace's copy
    if !all.iter().any(|s| s.path == file.path) {
        callers += file
            .calls
            .iter()
            .filter(|c| calls_def(c, file, true, file, target.def))
            .count();
    }
    CallCounts {
        callers,
        callees: callees(target),
        method: "name",
    }
}

/// Distinct callees called from inside the target (nested definitions included).
fn callees(target: &Target) -> usize {
    let file = &target.file;
    let set: BTreeSet<&str> = file
        .calls
        .iter()
        .filter(|c| within(file, c.enclosing, target.def))
        .map(|c| c.qualified.as_str())
        .collect();
    set.len()
}

/// The same counts from call sites indexed by the last segment of their
/// resolved callee, built once for a set of summaries: for the docs command
/// (many targets) and for hovers (reused until a summary changes; see
/// [`IndexedCounts::fingerprint`]). Scanning every call site of a large
/// workspace per hover costs tens of milliseconds; a lookup costs micro-
/// seconds.
pub struct IndexedCounts {
    all: Vec<Arc<FileSummary>>,
    by_last: HashMap<SmolStr, Vec<(u32, u32)>>,
    fingerprint: u64,
}

impl IndexedCounts {
    pub fn new(all: Vec<Arc<FileSummary>>) -> Self {
        let mut by_last: HashMap<SmolStr, Vec<(u32, u32)>> = HashMap::new();
        for (fi, s) in all.iter().enumerate() {
            for (ci, c) in s.calls.iter().enumerate() {
                let last = c.qualified.rsplit('.').next().unwrap_or(&c.qualified);
                by_last
                    .entry(SmolStr::new(last))
                    .or_default()
                    .push((fi as u32, ci as u32));
            }
        }
        let fingerprint = Self::fingerprint(&all);
        Self {
            all,
            by_last,
            fingerprint,
        }
    }

    /// Identifies a set of summaries, in any order: summaries are immutable
    /// and replaced (a new `Arc`) when their file changes.
    pub fn fingerprint(all: &[Arc<FileSummary>]) -> u64 {
        all.iter().fold(all.len() as u64, |acc, s| {
            let p = Arc::as_ptr(s) as usize as u64;
            acc.wrapping_add(p.wrapping_mul(0x9E37_79B9_7F4A_7C15).rotate_left(29))
        })
    }

    /// Whether this index was built from exactly `all`.
    pub fn is_for(&self, all: &[Arc<FileSummary>]) -> bool {
        self.all.len() == all.len() && self.fingerprint == Self::fingerprint(all)
    }
}

impl Seams for IndexedCounts {
    fn call_counts(&self, target: &Target, _all: &[Arc<FileSummary>]) -> Option<CallCounts> {
        let def = target.def()?;
        let callers = self
            .by_last
            .get(def.name.as_str())
            .into_iter()
            .flatten()
            .filter(|(fi, ci)| {
                let s = &self.all[*fi as usize];
                s.calls.get(*ci as usize).is_some_and(|c| {
                    calls_def(c, s, s.path == target.file.path, &target.file, target.def)
                })
            })
            .count();
        Some(CallCounts {
            callers,
            callees: callees(target),
            method: "name",
        })
    }
}

fn calls_def(
    c: &CallSite,
    s: &FileSummary,
    same_file: bool,
    file: &FileSummary,
    def_index: u32,
) -> bool {
    let Some(def) = file.defs.get(def_index as usize) else {
        return false;
    };
    let q = c.qualified.as_str();
    if !q.ends_with(def.name.as_str()) {
        return false;
    }
    let callee = c.callee.as_str();
    if let Some(m) = callee
        .strip_prefix("self.")
        .or_else(|| callee.strip_prefix("cls."))
    {
        return same_file
            && def.kind == DefKind::Method
            && m == def.name
            && enclosing_class(s, c.enclosing) == def.parent;
    }
    if q == def.qualname {
        return same_file;
    }
    let Some(prefix) = q
        .strip_suffix(def.qualname.as_str())
        .and_then(|p| p.strip_suffix('.'))
    else {
        return false;
    };
    module_is(prefix, &s.path, &file.path)
}

/// Does the dotted module `prefix` (leading dots = relative to `importer`)
/// name the file at `path`?
fn module_is(prefix: &str, importer: &Path, path: &Path) -> bool {
    let dots = prefix.len() - prefix.trim_start_matches('.').len();
    let mut rel = PathBuf::new();
    for p in prefix[dots..].split('.').filter(|p| !p.is_empty()) {
        rel.push(p);
    }
    let stem_matches = |p: &Path| {
        if rel.as_os_str().is_empty() {
            p.file_name().is_some_and(|f| f == "__init__.py")
        } else {
            p.ends_with(rel.with_extension("py")) || p.ends_with(rel.join("__init__.py"))
        }
    };
    if dots == 0 {
        return !rel.as_os_str().is_empty() && stem_matches(path);
    }
    let mut base = importer.parent();
    for _ in 1..dots {
        base = base.and_then(Path::parent);
    }
    match base {
        Some(b) => path.starts_with(b) && stem_matches(path),
        None => false,
    }
}

/// Is a call enclosed by `enclosing` inside definition `def` (or nested in it)?
pub fn within(file: &FileSummary, mut enclosing: Option<u32>, def: u32) -> bool {
    let mut steps = 0;
    while let Some(i) = enclosing {
        if i == def {
            return true;
        }
        enclosing = file.defs.get(i as usize).and_then(|d| d.parent);
        steps += 1;
        if steps > 64 {
            break;
        }
    }
    false
}
