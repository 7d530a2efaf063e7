//! Building blocks for fixes: edits expressed on call sites and arguments.

use super::Edit;
use crate::index::{Arg, CallSite};
use crate::text::TextRange;

/// Adds `keyword=value` as the last argument of `call`.
pub fn add_keyword(call: &CallSite, keyword: &str, value: &str) -> Edit {
    match call.args.last() {
        Some(last) => Edit {
            range: TextRange {
                start: last.range.end,
                end: last.range.end,
            },
            new_text: format!(", {keyword}={value}"),
        },
        None => {
            let at = call.args_range.start + 1;
            Edit {
                range: TextRange { start: at, end: at },
                new_text: format!("{keyword}={value}"),
            }
        }
    }
}

/// Removes `arg` and the comma that separates it from its neighbour.
pub fn remove_arg(call: &CallSite, arg: &Arg) -> Edit {
    let pos = call.args.iter().position(|a| a.range == arg.range);
    let range = match pos {
        Some(i) if i > 0 => TextRange {
            start: call.args[i - 1].range.end,
            end: arg.range.end,
        },
        Some(i) if i + 1 < call.args.len() => TextRange {
            start: arg.range.start,
            end: call.args[i + 1].range.start,
        },
        _ => arg.range,
    };
    Edit {
        range,
        new_text: String::new(),
    }
}

/// Replaces the value of keyword argument `arg` (`timeout=None` -> `timeout=30`).
pub fn replace_keyword_value(src: &str, arg: &Arg, value: &str) -> Option<Edit> {
    let text = arg.range.slice(src);
    let eq = text.find('=')?;
    let start = arg.range.start + eq as u32 + 1;
    Some(Edit {
        range: TextRange {
            start,
            end: arg.range.end,
        },
        new_text: value.to_string(),
    })
}

/// Renames the last attribute of a dotted callee (`yaml.load` -> `yaml.safe_load`);
/// `None` for a bare-name callee, whose new name would need an import.
pub fn rename_method(src: &str, call: &CallSite, new_name: &str) -> Option<Edit> {
    let text = call.callee_range.slice(src);
    let dot = text.rfind('.')?;
    Some(Edit {
        range: TextRange {
            start: call.callee_range.start + dot as u32 + 1,
            end: call.callee_range.end,
        },
        new_text: new_name.to_string(),
    })
}

/// The fixes that can be applied together: sorted by position, skipping any
/// that overlaps an earlier one or falls outside `text`.
pub fn select<'f>(
    text: &str,
    fixes: impl IntoIterator<Item = &'f super::Fix>,
) -> Vec<&'f super::Fix> {
    let mut fixes: Vec<&super::Fix> = fixes.into_iter().filter(|f| !f.edits.is_empty()).collect();
    fixes.sort_by_key(|f| f.edits.iter().map(|e| e.range.start).min().unwrap_or(0));
    let mut taken: Vec<&Edit> = Vec::new();
    let mut out = Vec::new();
    for fix in fixes {
        // An edit identical to one already taken (two fixes adding the same
        // `import sys`) is shared, not a conflict.
        let overlaps = fix.edits.iter().filter(|e| !taken.contains(e)).any(|e| {
            taken.iter().any(|t| {
                e.range.start < t.range.end.max(t.range.start + 1)
                    && t.range.start < e.range.end.max(e.range.start + 1)
            })
        });
        let in_bounds = fix.edits.iter().all(|e| {
            (e.range.end as usize) <= text.len()
                && text.is_char_boundary(e.range.start as usize)
                && text.is_char_boundary(e.range.end as usize)
        });
        if overlaps || !in_bounds {
            continue;
        }
        taken.extend(fix.edits.iter());
        out.push(fix);
    }
    out
}

/// Applies non-overlapping fixes to `text` (earlier fixes win an overlap).
/// Returns the new text and how many fixes were applied.
pub fn apply<'f>(text: &str, fixes: impl IntoIterator<Item = &'f super::Fix>) -> (String, usize) {
    let chosen = select(text, fixes);
    let mut edits: Vec<&Edit> = chosen.iter().flat_map(|f| f.edits.iter()).collect();
    edits.sort_by_key(|e| (e.range.start, e.range.end));
    edits.dedup();
    let mut out = String::with_capacity(text.len());
    let mut pos = 0usize;
    for e in edits {
        out.push_str(&text[pos..e.range.start as usize]);
        out.push_str(&e.new_text);
        pos = e.range.end as usize;
    }
    out.push_str(&text[pos..]);
    (out, chosen.len())
}

/// Replaces `range` with `text`.
pub fn replace(range: TextRange, text: impl Into<String>) -> Edit {
    Edit {
        range,
        new_text: text.into(),
    }
}

/// Inserts `line` (without indentation or newline) as a new statement after
/// the statement `stmt`, indented like the statement's first line.
pub fn insert_line_after(src: &str, stmt: TextRange, line: &str) -> Edit {
    let first = (stmt.start as usize).min(src.len());
    let last = (stmt.end as usize).min(src.len());
    let start = src[..first].rfind('\n').map_or(0, |i| i + 1);
    let indent: String = src[start..]
        .chars()
        .take_while(|c| *c == ' ' || *c == '\t')
        .collect();
    let end = src[last..].find('\n').map_or(src.len(), |i| last + i);
    let (at, newline) = if end == src.len() {
        (end, "\n")
    } else {
        (end + 1, "")
    };
    Edit {
        range: TextRange::new(at, at),
        new_text: format!("{newline}{indent}{line}\n"),
    }
}

/// The name under which `module` is usable, adding `import module` when the
/// file does not import it at top level. The import goes after the module
/// docstring and any `from __future__` imports, before the first other import
/// (or statement). Identical edits from several fixes are applied once.
pub fn ensure_import(
    src: &str,
    tree: &tree_sitter::Tree,
    imports: &[crate::index::Import],
    module: &str,
) -> (String, Option<Edit>) {
    if let Some(i) = imports
        .iter()
        .find(|i| i.name.is_none() && i.level == 0 && i.module == module && !i.in_function)
    {
        return (
            i.alias.as_deref().unwrap_or(i.module.as_str()).to_string(),
            None,
        );
    }
    let root = tree.root_node();
    let mut at = 0usize;
    let mut cursor = root.walk();
    for (n, stmt) in root.named_children(&mut cursor).enumerate() {
        let text = &src[stmt.byte_range()];
        let is_docstring = n == 0
            && stmt.kind() == "expression_statement"
            && stmt.named_child(0).is_some_and(|c| c.kind() == "string");
        let is_future = stmt.kind() == "future_import_statement";
        if stmt.kind() == "comment" || is_docstring || is_future || text.starts_with("#") {
            at = stmt.end_byte();
            continue;
        }
        at = stmt.start_byte();
        break;
    }
    // Insert at the start of a line.
    let edit = if at == 0 {
        Edit {
            range: TextRange::new(0, 0),
            new_text: format!("import {module}\n"),
        }
    } else if src[..at].ends_with('\n') || at == src.len() && src.ends_with('\n') {
        Edit {
            range: TextRange::new(at, at),
            new_text: format!("import {module}\n"),
        }
    } else {
        // after a docstring/comment: go to the end of its line
        let eol = src[at..].find('\n').map_or(src.len(), |i| at + i);
        let (pos, text) = if eol == src.len() {
            (eol, format!("\nimport {module}\n"))
        } else {
            (eol + 1, format!("import {module}\n"))
        };
        Edit {
            range: TextRange::new(pos, pos),
            new_text: text,
        }
    };
    (module.to_string(), Some(edit))
}
