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
        let overlaps = fix.edits.iter().any(|e| {
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
