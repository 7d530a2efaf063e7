//! Coverage gaps: coverage.py `coverage json` (format 3, with per-function
//! regions when present) and lcov readers, line-to-function mapping (the
//! `def` line and decorators run at import time and do not count), a per
//! function "covered 3/10 lines" figure, the COV001 check (untested function
//! with external effects) and the gap ranking: missing lines × (1 + external
//! effects) × (1 + fan-in).

mod read;

pub use read::{read, ReadError};

use crate::index::{DefKind, EffectKind, FileSummary};
use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

/// Where the server and CLI look for coverage data when not told.
pub const DEFAULT_FILES: &[&str] = &["coverage.json", "coverage.lcov", "lcov.info"];

/// Line data of one source file (1-based line numbers).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FileCoverage {
    pub executed: BTreeSet<u32>,
    pub missing: BTreeSet<u32>,
    /// coverage.py's own per-function regions (qualname -> executed, missing).
    pub functions: HashMap<String, (BTreeSet<u32>, BTreeSet<u32>)>,
}

/// Coverage data for a set of files, keyed by absolute path.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Coverage {
    pub source: PathBuf,
    pub files: HashMap<PathBuf, FileCoverage>,
}

impl Coverage {
    /// The folder the data describes: the coverage file's.
    pub fn base(&self) -> &Path {
        self.source.parent().unwrap_or(Path::new(""))
    }

    pub fn file(&self, path: &Path) -> Option<&FileCoverage> {
        self.files.get(path).or_else(|| {
            let canon = path.canonicalize().ok()?;
            self.files.get(&canon)
        })
    }
}

/// Finds the coverage file for a workspace root: the configured one, else the
/// first default location that exists.
pub fn locate(root: &Path, configured: Option<&str>) -> Option<PathBuf> {
    if let Some(c) = configured {
        let p = root.join(c);
        return Some(p);
    }
    DEFAULT_FILES
        .iter()
        .map(|f| root.join(f))
        .find(|p| p.is_file())
}

/// Is `path` a coverage data file the server should reload?
pub fn is_coverage_file(path: &Path, configured: Option<&str>) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    DEFAULT_FILES.contains(&name) || configured.is_some_and(|c| path.ends_with(c))
}

/// Coverage of one function.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FunctionCoverage {
    pub def: usize,
    pub qualname: String,
    pub covered: u32,
    pub total: u32,
    pub missing: Vec<u32>,
}

impl FunctionCoverage {
    pub fn label(&self) -> String {
        format!("covered {}/{} lines", self.covered, self.total)
    }
}

/// Per-function coverage for every function and method of `summary`.
pub fn functions(summary: &FileSummary, cov: &FileCoverage) -> Vec<FunctionCoverage> {
    let statements: BTreeSet<u32> = cov.executed.union(&cov.missing).copied().collect();
    let idx = &summary.line_index;
    let mut out = Vec::new();
    for (i, d) in summary.defs.iter().enumerate() {
        if d.kind == DefKind::Class {
            continue;
        }
        let (executed, missing) = match cov.functions.get(d.qualname.as_str()) {
            Some((e, m)) => (e.clone(), m.clone()),
            None => {
                // the def line (where decorators are reported too) runs at import
                let first = idx.line_of(d.range.start) + 1;
                let last = idx.line_of(d.range.end.saturating_sub(1)) + 1;
                let nested: Vec<(u32, u32)> = summary
                    .defs
                    .iter()
                    .filter(|n| n.parent == Some(i as u32))
                    .map(|n| {
                        (
                            idx.line_of(n.range.start) + 1,
                            idx.line_of(n.range.end.saturating_sub(1)) + 1,
                        )
                    })
                    .collect();
                let own = |l: &u32| {
                    *l > first && *l <= last && !nested.iter().any(|(s, e)| *l > *s && *l <= *e)
                };
                let lines: BTreeSet<u32> = statements.iter().filter(|l| own(l)).copied().collect();
                (
                    lines.intersection(&cov.executed).copied().collect(),
                    lines.intersection(&cov.missing).copied().collect(),
                )
            }
        };
        out.push(FunctionCoverage {
            def: i,
            qualname: d.qualname.to_string(),
            covered: executed.len() as u32,
            total: (executed.len() + missing.len()) as u32,
            missing: missing.into_iter().collect(),
        });
    }
    out
}

/// External effects of a definition (env, processes, network, files, cloud),
/// plus, for a method, calls through an attribute of `self` when the class
/// creates a cloud or HTTP client (`self.sns.publish(...)` after
/// `self.sns = boto3.client("sns")` in `__init__`).
pub fn effect_count(summary: &FileSummary, def: usize) -> u32 {
    let direct = summary
        .effects
        .iter()
        .filter(|e| e.enclosing == Some(def as u32))
        .count() as u32;
    direct + client_calls(summary, def)
}

fn client_calls(summary: &FileSummary, def: usize) -> u32 {
    let Some(d) = summary.defs.get(def).filter(|d| d.kind == DefKind::Method) else {
        return 0;
    };
    let class = d.parent;
    let in_class = |i: Option<u32>| {
        i.and_then(|i| summary.defs.get(i as usize))
            .is_some_and(|m| m.parent == class)
    };
    let makes_client = summary.effects.iter().any(|e| {
        in_class(e.enclosing)
            && (e.kind == EffectKind::CloudClient
                || crate::index::effects::http_call(&format!("{}.get", e.api)).is_some())
    }) || summary.calls.iter().any(|c| {
        in_class(c.enclosing)
            && (crate::index::effects::is_cloud_factory(&c.qualified)
                || matches!(c.qualified.as_str(), "requests.Session" | "httpx.Client"))
    });
    if !makes_client {
        return 0;
    }
    let methods: Vec<&str> = summary
        .defs
        .iter()
        .filter(|m| m.parent == class)
        .map(|m| m.name.as_str())
        .collect();
    summary
        .calls
        .iter()
        .filter(|c| c.enclosing == Some(def as u32))
        .filter(|c| {
            let mut parts = c.callee.split('.');
            parts.next() == Some("self")
                && parts.next().is_some_and(|attr| !methods.contains(&attr))
                && parts.next().is_some()
        })
        .count() as u32
}

/// Call sites across the workspace that name `name` (`name(...)`,
/// `x.name(...)`), outside the function itself. Name-based: the graph's
/// resolved call edges are finer, this needs only summaries.
pub fn fan_in(summaries: &[std::sync::Arc<FileSummary>], base: &Path) -> HashMap<String, u32> {
    let mut out: HashMap<String, u32> = HashMap::new();
    for s in summaries {
        if is_test_file_below(&s.path, base) {
            continue; // tests calling a function are not production fan-in
        }
        for c in &s.calls {
            let name = c
                .callee
                .rsplit('.')
                .next()
                .unwrap_or(&c.callee)
                .trim_end_matches("()");
            let own = c
                .enclosing
                .and_then(|e| s.defs.get(e as usize))
                .is_some_and(|d| d.name == name);
            if !own {
                *out.entry(name.to_string()).or_default() += 1;
            }
        }
    }
    out
}

/// One ranked gap.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Gap {
    pub path: PathBuf,
    pub function: String,
    pub line: u32,
    pub covered: u32,
    pub total: u32,
    pub missing: u32,
    pub effects: u32,
    pub effect_kinds: Vec<String>,
    pub fan_in: u32,
    pub untested: bool,
    pub score: u64,
}

/// Every function with missing lines, riskiest first.
pub fn gaps(summaries: &[std::sync::Arc<FileSummary>], cov: &Coverage) -> Vec<Gap> {
    let base = cov.base();
    let fan = fan_in(summaries, base);
    let mut out = Vec::new();
    for s in summaries {
        if is_test_file_below(&s.path, base) {
            continue;
        }
        let Some(fc) = cov.file(&s.path) else {
            continue;
        };
        for f in functions(s, fc) {
            let missing = f.missing.len() as u32;
            if missing == 0 {
                continue;
            }
            let d = &s.defs[f.def];
            let effects = effect_count(s, f.def);
            let mut kinds: BTreeSet<String> = s
                .effects
                .iter()
                .filter(|e| e.enclosing == Some(f.def as u32))
                .map(|e| format!("{:?}", e.kind))
                .collect();
            if client_calls(s, f.def) > 0 {
                kinds.insert("ClientCall".into());
            }
            let fan_in = fan.get(d.name.as_str()).copied().unwrap_or(0);
            let score = u64::from(missing) * u64::from(1 + effects) * u64::from(1 + fan_in);
            out.push(Gap {
                path: s.path.clone(),
                function: f.qualname.clone(),
                line: s.line_index.line_of(d.range.start) + 1,
                covered: f.covered,
                total: f.total,
                missing,
                effects,
                effect_kinds: kinds.into_iter().collect(),
                fan_in,
                untested: f.covered == 0,
                score,
            });
        }
    }
    out.sort_by(|a, b| {
        b.score
            .cmp(&a.score)
            .then_with(|| a.path.cmp(&b.path))
            .then_with(|| a.line.cmp(&b.line))
    });
    out
}

/// A test file, judged by its path below `base` (the project's folder: a
/// project kept under `~/test/` is not all tests).
pub fn is_test_file_below(path: &Path, base: &Path) -> bool {
    crate::testgen::layout::is_test_file(path.strip_prefix(base).unwrap_or(path))
}

/// COV001: functions with external effects and no covered line.
pub fn untested_risky<'s>(
    summary: &'s FileSummary,
    cov: &FileCoverage,
) -> Vec<(&'s crate::index::Def, FunctionCoverage, u32)> {
    functions(summary, cov)
        .into_iter()
        .filter(|f| f.covered == 0 && f.total > 0)
        .filter_map(|f| {
            let effects = effect_count(summary, f.def);
            (effects > 0).then(|| (&summary.defs[f.def], f, effects))
        })
        .collect()
}
