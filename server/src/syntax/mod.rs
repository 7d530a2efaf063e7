//! Parsing and queries: one parser per thread, queries compiled once at start
//! from the `.scm` files under `queries/python/` (embedded at compile time).

/// `NAME = id, "name";` lines become `pub const NAME: u16 = id;` plus an
/// `ALL` table of (id, name) that a test checks against the grammar.
macro_rules! grammar_ids {
    ($($konst:ident = $id:literal, $name:literal;)*) => {
        $(pub const $konst: u16 = $id;)*
        /// (id, name) of every constant here, for the grammar check.
        pub const ALL: &[(u16, &str)] = &[$(($id, $name)),*];
    };
}

pub mod fields;
pub mod kinds;

use std::cell::RefCell;
use std::sync::OnceLock;
use tree_sitter::{Language, Parser, Query, Tree};

/// The summary query's source, embedded from `queries/python/summary.scm`.
pub const SUMMARY_QUERY: &str = include_str!("../../../queries/python/summary.scm");

pub fn language() -> Language {
    tree_sitter_python::LANGUAGE.into()
}

thread_local! {
    static PARSER: RefCell<Option<Parser>> = const { RefCell::new(None) };
}

/// Routes tree-sitter's own allocations (parse stacks, subtrees, trees,
/// cursors) to mimalloc, keeping Rust's allocations (the summaries) on the
/// system allocator.
///
/// Why: a cold index parses thousands of files on every core, frees each tree
/// at once and keeps a small summary. On glibc, tree nodes and summaries share
/// one heap; freeing the trees fragments it around the summaries, and
/// `malloc_consolidate`/`unlink_chunk` took ~20% of the indexing profile.
/// Giving the short-lived trees their own per-thread heaps removes that while
/// the long-lived summaries stay compact (mimalloc for everything cost ~60 MB
/// of RSS more after indexing). Measured in `tests/benches/corpus.rs`.
///
/// # Safety
/// Call it before any tree-sitter object exists in the process (the binary
/// does so first thing in `main`): memory tree-sitter allocated before the
/// switch would be freed by the wrong allocator.
pub unsafe fn use_mimalloc_for_trees() {
    // SAFETY: the caller guarantees no tree-sitter allocation exists yet, and
    // the four functions are a matching malloc family.
    unsafe {
        tree_sitter::set_allocator(
            Some(libmimalloc_sys::mi_malloc),
            Some(libmimalloc_sys::mi_calloc),
            Some(libmimalloc_sys::mi_realloc),
            Some(libmimalloc_sys::mi_free),
        );
    }
}

/// Returns memory that mimalloc holds for freed trees on every rayon worker
/// (and this thread) to the system; the server calls it after a cold index.
pub fn release_tree_memory() {
    // SAFETY: mi_collect only walks the calling thread's own heap.
    rayon::broadcast(|_| unsafe { libmimalloc_sys::mi_collect(true) });
    // SAFETY: as above, for this thread.
    unsafe { libmimalloc_sys::mi_collect(true) };
}

/// Parses `text`, reusing `old` (already `edit()`ed) for an incremental parse.
/// Returns `None` only if tree-sitter gives up, which it does not without a
/// timeout or cancellation flag; callers treat that as an empty file.
pub fn parse(text: &str, old: Option<&Tree>) -> Option<Tree> {
    PARSER.with(|cell| {
        let mut slot = cell.borrow_mut();
        let parser = slot.get_or_insert_with(|| {
            let mut p = Parser::new();
            p.set_language(&language())
                .expect("the bundled grammar's ABI is supported by the linked tree-sitter");
            p
        });
        parser.parse(text, old)
    })
}

/// The summary query, compiled once: the tree-sitter `Query` (which validates
/// the `.scm` against the grammar) and a dispatch table from node kind id to
/// capture index. All patterns in summary.scm are single-node patterns, so the
/// extractor runs them as one pre-order cursor walk over the tree — the same
/// captures in the same document order as `QueryCursor::captures`, at a
/// fraction of the cost (measured on Django: the query engine cost ~40% of
/// the parse time, the walk ~10%).
pub struct SummaryQuery {
    pub query: Query,
    /// `dispatch[kind_id]` = capture index for nodes of that kind.
    pub dispatch: Vec<Option<u32>>,
    pub function: u32,
    pub class: u32,
    pub decorated: u32,
    pub import: u32,
    pub import_from: u32,
    pub call: u32,
    pub assignment: u32,
    pub subscript: u32,
    pub pair: u32,
    pub with_item: u32,
    pub comment: u32,
}

pub fn summary_query() -> &'static SummaryQuery {
    static Q: OnceLock<SummaryQuery> = OnceLock::new();
    Q.get_or_init(|| {
        let query = Query::new(&language(), SUMMARY_QUERY)
            .expect("queries/python/summary.scm compiles (checked by a unit test)");
        let idx = |name: &str| {
            query
                .capture_index_for_name(name)
                .unwrap_or_else(|| panic!("capture @{name} missing from summary.scm"))
        };
        let lang = language();
        let mut dispatch = vec![None; lang.node_kind_count()];
        for line in SUMMARY_QUERY.lines().map(str::trim) {
            let Some(rest) = line.strip_prefix('(') else {
                continue;
            };
            let Some((kind, capture)) = rest.split_once(") @") else {
                panic!("summary.scm: only `(kind) @capture` patterns are supported, got `{line}`");
            };
            let cap = idx(capture.trim());
            for id in 0..lang.node_kind_count() as u16 {
                if lang.node_kind_is_named(id) && lang.node_kind_for_id(id) == Some(kind) {
                    dispatch[id as usize] = Some(cap);
                }
            }
        }
        SummaryQuery {
            dispatch,
            function: idx("function"),
            class: idx("class"),
            decorated: idx("decorated"),
            import: idx("import"),
            import_from: idx("import_from"),
            call: idx("call"),
            assignment: idx("assignment"),
            subscript: idx("subscript"),
            pair: idx("pair"),
            with_item: idx("with_item"),
            comment: idx("comment"),
            query,
        }
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn summary_query_compiles_with_all_captures() {
        let q = super::summary_query();
        // 11 summary captures + 10 structure captures (index/structure.rs)
        assert_eq!(q.query.capture_names().len(), 21);
    }

    #[test]
    fn parses_python() {
        let tree = super::parse("def f():\n    return 1\n", None).unwrap();
        assert!(!tree.root_node().has_error());
    }
}
