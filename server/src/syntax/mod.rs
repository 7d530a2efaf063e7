//! Parsing and queries: one parser per thread, queries compiled once at start
//! from the `.scm` files under `queries/python/` (embedded at compile time).

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

/// Capture indices of the summary query, resolved once.
pub struct SummaryQuery {
    pub query: Query,
    pub function: u32,
    pub class: u32,
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
        SummaryQuery {
            function: idx("function"),
            class: idx("class"),
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
        assert_eq!(q.query.capture_names().len(), 10);
    }

    #[test]
    fn parses_python() {
        let tree = super::parse("def f():\n    return 1\n", None).unwrap();
        assert!(!tree.root_node().has_error());
    }
}
