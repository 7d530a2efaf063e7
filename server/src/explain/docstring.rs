//! "Generate docstring": a Google-style docstring (summary, Args with types,
//! Returns/Yields, Raises, Side effects) for a function or method that has
//! none, inserted as the body's first statement with the body's indentation.
//! Not offered once a docstring (even an empty string) is there, so applying
//! it twice is impossible.

use super::facts::Explanation;
use super::intent::words;
use super::render::effect_lines;
use crate::index::{DefKind, ParamKind};
use crate::rules::Edit;
use crate::text::TextRange;

/// The edit inserting a docstring, or `None` when the definition already has
/// one, is a class, or its body shares the `def` line.
pub fn docstring_edit(x: &Explanation) -> Option<Edit> {
    if x.kind == DefKind::Class || x.docstring.is_some() {
        return None;
    }
    let body = x.body.as_ref()?;
    if body.has_docstring {
        return None;
    }
    let (at, indent) = body.body_start.clone()?;
    let lines = docstring_lines(x, body.yields);
    let mut text = String::new();
    for (i, l) in lines.iter().enumerate() {
        if l.is_empty() {
            text.push('\n');
            continue;
        }
        text.push_str(&indent);
        if i == 0 {
            text.push_str("\"\"\"");
        }
        text.push_str(&escape(l));
        text.push('\n');
    }
    text.push_str(&indent);
    text.push_str("\"\"\"\n");
    Some(Edit {
        range: TextRange { start: at, end: at },
        new_text: text,
    })
}

/// The docstring's lines, without indentation or quotes (nested lines carry
/// their own four spaces).
pub fn docstring_lines(x: &Explanation, yields: bool) -> Vec<String> {
    let mut out = Vec::new();
    let mut summary = x.intent.trim().to_string();
    if !summary.ends_with(['.', '!', '?']) {
        summary.push('.');
    }
    out.push(summary);
    let args: Vec<String> = x
        .params
        .iter()
        .enumerate()
        .filter(|(i, p)| {
            !(*i == 0 && x.kind == DefKind::Method && (p.name == "self" || p.name == "cls"))
                && p.kind != ParamKind::PositionalOnlyMarker
        })
        .map(|(_, p)| {
            let stars = match p.kind {
                ParamKind::VarArgs => "*",
                ParamKind::VarKeyword => "**",
                _ => "",
            };
            let ty = p
                .annotation
                .as_deref()
                .map(|a| format!(" ({a})"))
                .unwrap_or_default();
            let what = words(&p.name).join(" ");
            let default = p
                .default
                .as_deref()
                .map(|d| format!(" Defaults to `{d}`."))
                .unwrap_or_default();
            format!("    {stars}{}{ty}: The {what}.{default}", p.name)
        })
        .collect();
    if !args.is_empty() {
        out.push(String::new());
        out.push("Args:".to_string());
        out.extend(args);
    }
    let annotated = x.returns.as_deref().filter(|r| *r != "None");
    let returns = x.returns_value.unwrap_or(false) || annotated.is_some();
    if returns && x.returns.as_deref() != Some("None") {
        out.push(String::new());
        out.push(if yields { "Yields:" } else { "Returns:" }.to_string());
        out.push(match annotated {
            Some(r) => format!("    {r}: The result."),
            None => "    The result.".to_string(),
        });
    }
    let raises: Vec<&String> = x.raises.iter().filter(|r| !r.starts_with('(')).collect();
    if !raises.is_empty() {
        out.push(String::new());
        out.push("Raises:".to_string());
        for r in raises {
            out.push(format!("    {r}: Raised directly in this function."));
        }
    }
    let plain = |t: &str| format!("`{t}`");
    let effects = effect_lines(x, &plain);
    if !effects.is_empty() || !x.via.is_empty() {
        out.push(String::new());
        out.push("Side effects:".to_string());
        for (label, items) in effects {
            out.push(format!("    {label}: {items}."));
        }
        for v in &x.via {
            out.push(format!(
                "    Via `{}`: {}.",
                v.qualname,
                v.effects.join(", ")
            ));
        }
    }
    out
}

/// Keeps the docstring a valid, warning-free string literal.
fn escape(s: &str) -> String {
    s.replace('\\', "\\\\").replace("\"\"\"", "\\\"\\\"\\\"")
}
