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

    pub fn def(&self, idx: Option<u32>) -> Option<&'a Def> {
        idx.and_then(|i| self.ex.defs.get(i as usize))
    }

    pub fn text(&self, range: TextRange) -> &'a str {
        range.slice(self.src)
    }
}

/// Runs every rule, then drops findings silenced by suppression comments
/// (marking those comments used). Findings come back sorted by position.
pub fn check_file(
    src: &str,
    tree: &Tree,
    ex: &Extraction,
    line_index: &LineIndex,
    settings: &RuleSettings,
) -> (Vec<Finding>, Vec<Suppression>) {
    let mut findings = Vec::new();
    for rule in RULES.iter() {
        let mut checker = Checker {
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
