//! Runs the registered rules over one file and applies suppression comments.

use super::{suppression, Finding, RuleMeta, RULES};
use crate::index::extract::Extraction;
use crate::index::{CallSite, Def, Suppression};
use crate::text::{LineIndex, TextRange};
use tree_sitter::Tree;

/// Options that change what rules report or how they fix.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuleSettings {
    /// Seconds used by the "add timeout" fix.
    pub http_timeout: u32,
}

impl Default for RuleSettings {
    fn default() -> Self {
        Self { http_timeout: 30 }
    }
}

/// What a rule sees: the file's text and tree and everything extracted.
pub struct Checker<'a> {
    /// The file's path (rules such as REL016 treat test files differently).
    pub path: &'a std::path::Path,
    pub src: &'a str,
    pub tree: &'a Tree,
    pub ex: &'a Extraction,
    pub settings: &'a RuleSettings,
    rule: &'static RuleMeta,
    findings: Vec<Finding>,
}

impl<'a> Checker<'a> {
    /// Reports a finding of the running rule; returns it so a fix can be added.
    pub fn report(&mut self, range: TextRange, message: impl Into<String>) -> &mut Finding {
        self.findings.push(Finding {
            rule: self.rule.id,
            range,
            message: message.into(),
            fix: None,
        });
        self.findings.last_mut().expect("just pushed")
    }

    pub fn calls(&self) -> &'a [CallSite] {
        &self.ex.calls
    }

    /// The call spanning exactly `range` (calls are in document order, so
    /// this is a binary search).
    pub fn call_at(&self, range: TextRange) -> Option<&'a CallSite> {
        let calls = &self.ex.calls;
        let from = calls.partition_point(|c| c.range.start < range.start);
        calls[from..]
            .iter()
            .take_while(|c| c.range.start == range.start)
            .find(|c| c.range == range)
    }

    pub fn def(&self, idx: Option<u32>) -> Option<&'a Def> {
        idx.and_then(|i| self.ex.defs.get(i as usize))
    }

    pub fn text(&self, range: TextRange) -> &'a str {
        range.slice(self.src)
    }

    /// Statement structure facts (loops, handlers, call contexts…).
    pub fn structure(&self) -> &'a crate::index::structure::Structure {
        &self.ex.structure
    }

    /// Calls with their index, for rules that need the call context.
    pub fn indexed_calls(&self) -> impl Iterator<Item = (usize, &'a CallSite)> {
        self.ex.calls.iter().enumerate()
    }

    /// Whether the file is a test file: `test_*.py`, `*_test.py`,
    /// `conftest.py`, or a file whose parent or grandparent folder is
    /// `tests`/`test` (only those two: paths are absolute).
    pub fn is_test_file(&self) -> bool {
        let name = self.path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        let dir_is_test = |p: Option<&std::path::Path>| {
            p.and_then(|d| d.file_name())
                .and_then(|n| n.to_str())
                .is_some_and(|n| matches!(n, "tests" | "test"))
        };
        let parent = self.path.parent();
        name.starts_with("test_")
            || name.ends_with("_test.py")
            || name == "conftest.py"
            || dir_is_test(parent)
            || dir_is_test(parent.and_then(|p| p.parent()))
    }

    /// The local name bound to `import module` (aliases included), if imported.
    pub fn module_binding(&self, module: &str) -> Option<&'a str> {
        self.ex
            .imports
            .iter()
            .find(|i| i.name.is_none() && i.level == 0 && i.module == module)
            .map(|i| i.alias.as_deref().unwrap_or(i.module.as_str()))
    }

    /// Whether the file imports `module` or anything under it, or a name
    /// `module` re-exported by another module (a compat shim:
    /// `from ansible.module_utils.compat.paramiko import paramiko`).
    pub fn imports_module(&self, module: &str) -> bool {
        self.ex.imports.iter().any(|i| {
            i.module == module
                || i.module
                    .strip_prefix(module)
                    .is_some_and(|r| r.starts_with('.'))
                || i.name.as_deref() == Some(module)
        })
    }
}

/// Runs every rule, then drops findings silenced by suppression comments
/// (marking those comments used). Findings come back sorted by position.
pub fn check_file(
    path: &std::path::Path,
    src: &str,
    tree: &Tree,
    ex: &Extraction,
    line_index: &LineIndex,
    settings: &RuleSettings,
) -> (Vec<Finding>, Vec<Suppression>) {
    let mut findings = Vec::new();
    for rule in RULES.iter() {
        let mut checker = Checker {
            path,
            src,
            tree,
            ex,
            settings,
            rule,
            findings: Vec::new(),
        };
        (rule.check)(&mut checker);
        findings.append(&mut checker.findings);
    }
    let mut suppressions = suppression::parse(src, &ex.comments, line_index);
    if !suppressions.is_empty() {
        findings.retain(|f| !suppression::silences(f, &mut suppressions, tree, line_index));
    }
    findings.sort_by(|a, b| (a.range.start, a.rule).cmp(&(b.range.start, b.rule)));
    (findings, suppressions)
}
