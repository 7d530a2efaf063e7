//! Facts about one definition's body that the summary does not keep: the
//! exceptions it raises, whether it returns or yields a value, and where a
//! docstring would go. Parsed on demand from the definition's byte range only
//! (tree-sitter's included ranges), so a hover costs a parse of one function,
//! not of its file.

use crate::text::{LineIndex, TextRange};
use std::cell::RefCell;
use tree_sitter::{Node, Parser, Point, Range};

#[derive(Clone, Debug, Default, PartialEq)]
pub struct BodyFacts {
    /// Exception types raised directly in the body (not in nested defs), as
    /// written, deduplicated in order; `raise` alone is `(re-raise)`.
    pub raises: Vec<String>,
    pub returns_value: bool,
    pub yields: bool,
    /// Start of the body's first statement when it is on its own line, and
    /// that line's indentation.
    pub body_start: Option<(u32, String)>,
    /// The first statement is a string literal (a docstring, possibly empty).
    pub has_docstring: bool,
}

thread_local! {
    static PARSER: RefCell<Option<Parser>> = const { RefCell::new(None) };
}

const MAX_DEPTH: usize = 200;

/// Body facts of the definition spanning `range` in `text` (whose line index
/// is `idx`). `None` when the range does not hold a definition.
pub fn body_facts(text: &str, idx: &LineIndex, range: TextRange) -> Option<BodyFacts> {
    if range.end as usize > text.len() || range.is_empty() {
        return None;
    }
    let point = |off: u32| {
        let line = idx.line_of(off);
        let start = idx.line_start(line).unwrap_or(0);
        Point {
            row: line as usize,
            column: (off - start.min(off)) as usize,
        }
    };
    let ts_range = Range {
        start_byte: range.start as usize,
        end_byte: range.end as usize,
        start_point: point(range.start),
        end_point: point(range.end),
    };
    let tree = PARSER.with(|cell| {
        let mut slot = cell.borrow_mut();
        let parser = slot.get_or_insert_with(|| {
            let mut p = Parser::new();
            // same grammar as syntax::parse; a failure leaves the parser unusable
            // and parse() below returns None
            let _ = p.set_language(&crate::syntax::language());
            p
        });
        parser.set_included_ranges(&[ts_range]).ok()?;
        let tree = parser.parse(text, None);
        let _ = parser.set_included_ranges(&[]);
        tree
    })?;
    let root = tree.root_node();
    let def = find_def(root, range)?;
    let body = def.child_by_field_name("body")?;
    let mut facts = BodyFacts::default();
    if let Some(first) = body.named_child(0) {
        facts.has_docstring = first.kind() == "expression_statement"
            && first.named_child(0).is_some_and(|n| n.kind() == "string");
        let header_line = idx.line_of(def.start_byte() as u32);
        let first_line = idx.line_of(first.start_byte() as u32);
        if first_line > header_line && first.kind() != "comment" {
            let line_start = idx.line_start(first_line).unwrap_or(0) as usize;
            let indent = text
                .get(line_start..first.start_byte())
                .filter(|s| s.chars().all(|c| c == ' ' || c == '\t'))
                .map(str::to_string);
            if let Some(indent) = indent {
                facts.body_start = Some((line_start as u32, indent));
            }
        }
    }
    scan(body, text, &mut facts, 0);
    Some(facts)
}

/// The function or class definition node exactly spanning `range`.
fn find_def(root: Node, range: TextRange) -> Option<Node> {
    let mut node = root.descendant_for_byte_range(range.start as usize, range.end as usize)?;
    loop {
        if matches!(node.kind(), "function_definition" | "class_definition")
            && node.start_byte() == range.start as usize
        {
            return Some(node);
        }
        node = node.parent()?;
    }
}

fn scan(node: Node, text: &str, facts: &mut BodyFacts, depth: usize) {
    if depth > MAX_DEPTH {
        return;
    }
    let mut cursor = node.walk();
    for child in node.named_children(&mut cursor) {
        match child.kind() {
            // a nested scope's raises and returns are its own
            "function_definition" | "class_definition" | "lambda" => continue,
            "decorated_definition" => continue,
            "raise_statement" => {
                let name = child
                    .named_child(0)
                    .filter(|n| n.kind() != "comment")
                    .map(|e| exception_name(e, text))
                    .unwrap_or_else(|| "(re-raise)".to_string());
                if !facts.raises.contains(&name) {
                    facts.raises.push(name);
                }
            }
            "return_statement" if child.named_child_count() > 0 => facts.returns_value = true,
            "yield" => facts.yields = true,
            _ => {}
        }
        scan(child, text, facts, depth + 1);
    }
}

/// `ValueError("x")` -> `ValueError`; `errors.Bad(...)` -> `errors.Bad`.
fn exception_name(expr: Node, text: &str) -> String {
    let e = if expr.kind() == "call" {
        expr.child_by_field_name("function").unwrap_or(expr)
    } else {
        expr
    };
    let s = text.get(e.byte_range()).unwrap_or("");
    let mut s: String = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if s.len() > 60 {
        let mut end = 60;
        while !s.is_char_boundary(end) {
            end -= 1;
        }
        s.truncate(end);
        s.push('…');
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(src: &str, needle: &str) -> BodyFacts {
        let idx = LineIndex::new(src);
        let start = src.find(needle).unwrap() as u32;
        let tree = crate::syntax::parse(src, None).unwrap();
        let node = tree
            .root_node()
            .descendant_for_byte_range(start as usize, start as usize + 3)
            .unwrap();
        let mut n = node;
        while n.kind() != "function_definition" && n.kind() != "class_definition" {
            n = n.parent().unwrap();
        }
        body_facts(src, &idx, TextRange::new(n.start_byte(), n.end_byte())).unwrap()
    }

    #[test]
    fn raises_returns_and_docstring_slot_of_a_method() {
        let src = "class A:\n    def f(self, x):\n        if x:\n            raise ValueError(\"bad\")\n        try:\n            pass\n        except KeyError:\n            raise\n        def inner():\n            raise OSError\n        return x\n";
        let f = facts(src, "def f");
        assert_eq!(f.raises, vec!["ValueError", "(re-raise)"]);
        assert!(f.returns_value);
        assert!(!f.yields);
        assert!(!f.has_docstring);
        let (at, indent) = f.body_start.unwrap();
        assert_eq!(indent, "        ");
        assert_eq!(&src[at as usize..at as usize + 10], "        if");
    }

    #[test]
    fn docstring_and_one_line_body() {
        let src = "def g():\n    \"\"\"\"\"\"\n    yield 1\n\ndef h(): return 1\n";
        let g = facts(src, "def g");
        assert!(g.has_docstring && g.yields && !g.returns_value);
        let h = facts(src, "def h");
        assert!(h.body_start.is_none() && h.returns_value);
    }
}
