//! An open document: its rope, its tree, and incremental re-parsing.

use crate::rules::RuleSettings;
use crate::syntax;
use crate::text::{ContentChange, Document, EditError, Encoding};
use std::path::Path;
use tree_sitter::{InputEdit, Point, Tree};

use super::chunks::ChunkCache;
use super::{analyze_tree_cached, FileSummary};

pub struct OpenDocument {
    pub doc: Document,
    /// The last tree, with every edit since it was parsed applied via `edit()`.
    pub tree: Option<Tree>,
    /// Per-definition extraction results of the last analysis, taken by the
    /// analysis that runs and put back after (`None` while one runs).
    pub chunks: Option<ChunkCache>,
}

impl OpenDocument {
    pub fn new(text: &str, version: i32) -> Self {
        Self {
            doc: Document::new(text, version),
            tree: syntax::parse(text, None),
            chunks: Some(ChunkCache::new()),
        }
    }

    /// Applies LSP content changes to the rope and the tree (not yet re-parsed).
    pub fn apply_changes(
        &mut self,
        version: i32,
        changes: &[ContentChange],
        enc: Encoding,
    ) -> Result<(), EditError> {
        let edits = self.doc.apply_changes(changes, enc)?;
        self.doc.version = version;
        for edit in edits {
            match (edit, self.tree.as_mut()) {
                (Some(e), Some(tree)) => tree.edit(&InputEdit {
                    start_byte: e.start_byte,
                    old_end_byte: e.old_end_byte,
                    new_end_byte: e.new_end_byte,
                    start_position: point(e.start_point),
                    old_end_position: point(e.old_end_point),
                    new_end_position: point(e.new_end_point),
                }),
                // a full replacement: the old tree says nothing about the new text
                (None, _) => self.tree = None,
                (Some(_), None) => {}
            }
        }
        Ok(())
    }

    /// A consistent snapshot to analyse off the event loop.
    pub fn snapshot(&self) -> (String, Option<Tree>, i32) {
        (self.doc.text(), self.tree.clone(), self.doc.version)
    }
}

fn point((row, column): (usize, usize)) -> Point {
    Point { row, column }
}

/// Re-parses `text` using the edited `old` tree, then analyses it, reusing
/// the unchanged definitions' extraction from `chunks`.
pub fn reparse_and_analyze(
    path: &Path,
    text: &str,
    old: Option<&Tree>,
    settings: &RuleSettings,
    chunks: Option<&mut ChunkCache>,
) -> (Option<Tree>, FileSummary) {
    let tree = syntax::parse(text, old);
    let summary = analyze_tree_cached(path, text, tree.as_ref(), settings, chunks);
    (tree, summary)
}
