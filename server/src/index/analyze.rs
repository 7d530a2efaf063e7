//! `analyze(path, text, settings) -> FileSummary`: the pure per-file function
//! shared by the server and the CLI.

use super::chunks::ChunkCache;
use super::extract::extract_cached;
use super::source::SourceText;
use super::{FileProblem, FileSummary};
use crate::rules::{check_file, RuleSettings};
use crate::syntax;
use crate::text::{LineIndex, TextRange};
use std::path::Path;
use tree_sitter::Tree;

pub fn analyze(path: &Path, text: &str, settings: &RuleSettings) -> FileSummary {
    let tree = syntax::parse(text, None);
    analyze_tree(path, text, tree.as_ref(), settings)
}

/// Analyses text read from disk, carrying its read problem into the summary.
pub fn analyze_source(path: &Path, source: &SourceText, settings: &RuleSettings) -> FileSummary {
    let mut summary = analyze(path, &source.text, settings);
    if let Some(p) = &source.problem {
        summary.problems.insert(0, p.clone());
    }
    summary
}

/// Analyses `text` given its (possibly incrementally re-parsed) tree.
pub fn analyze_tree(
    path: &Path,
    text: &str,
    tree: Option<&Tree>,
    settings: &RuleSettings,
) -> FileSummary {
    analyze_tree_cached(path, text, tree, settings, None)
}

/// [`analyze_tree`] for an open document: extraction reuses `chunks`.
pub fn analyze_tree_cached(
    path: &Path,
    text: &str,
    tree: Option<&Tree>,
    settings: &RuleSettings,
    chunks: Option<&mut ChunkCache>,
) -> FileSummary {
    let line_index = LineIndex::new(text);
    let mut summary = FileSummary {
        path: path.to_path_buf(),
        hash: text_hash(text.as_bytes()),
        line_index,
        defs: Vec::new(),
        imports: Vec::new(),
        calls: Vec::new(),
        constants: Vec::new(),
        effects: Vec::new(),
        findings: Vec::new(),
        suppressions: Vec::new(),
        problems: Vec::new(),
        iac: None,
    };
    let Some(tree) = tree else {
        return summary;
    };
    let mut ex = extract_cached(text, tree, chunks);
    let (findings, suppressions) = check_file(path, text, tree, &ex, &summary.line_index, settings);
    if let Some(p) = syntax_errors(tree) {
        summary.problems.push(p);
    }
    summary.defs = ex.defs;
    summary.imports = ex.imports;
    summary.calls = ex.calls;
    summary.constants = ex.constants;
    summary.effects = ex.effects;
    summary.findings = findings;
    summary.suppressions = suppressions;
    summary.iac = ex.iac.take();
    shrink(&mut summary);
    summary
}

fn shrink(s: &mut FileSummary) {
    s.defs.shrink_to_fit();
    s.imports.shrink_to_fit();
    s.calls.shrink_to_fit();
    s.constants.shrink_to_fit();
    s.effects.shrink_to_fit();
    for c in &mut s.calls {
        c.args.shrink_to_fit();
    }
}

/// Counts ERROR / MISSING nodes (descending only into subtrees with errors).
fn syntax_errors(tree: &Tree) -> Option<FileProblem> {
    let root = tree.root_node();
    if !root.has_error() {
        return None;
    }
    let mut count = 0u32;
    let mut first: Option<TextRange> = None;
    let mut stack = vec![root];
    while let Some(node) = stack.pop() {
        if node.is_error() || node.is_missing() {
            count += 1;
            let r = TextRange::new(node.start_byte(), node.end_byte());
            if first.is_none_or(|f| r.start < f.start) {
                first = Some(r);
            }
            continue;
        }
        let mut cursor = node.walk();
        for child in node.children(&mut cursor) {
            if child.has_error() {
                stack.push(child);
            }
        }
    }
    // tree-sitter may flag an error it recovered from without leaving an
    // ERROR or MISSING node where we look; still one error, at the root.
    Some(FileProblem::SyntaxErrors {
        count: count.max(1),
        first: first.unwrap_or_default(),
    })
}

/// Hash of a file's text, to tell whether a summary is of the text at hand.
/// (FxHasher reads eight bytes at a time; a byte-wise FNV cost more than
/// building the line index.)
pub(crate) fn text_hash(bytes: &[u8]) -> u64 {
    use std::hash::Hasher;
    let mut h = rustc_hash::FxHasher::default();
    h.write(bytes);
    h.write_usize(bytes.len());
    h.finish()
}
