//! Hover text for an [`Explanation`]: Markdown (what VS Code and most clients
//! ask for) and plain text (for clients whose hover `contentFormat` lacks
//! markdown). Both show the same facts in the same order.

use super::facts::{CloudFact, EffectFact, Explanation};
use super::intent::service_name;
use std::fmt::Write;

const MAX_TARGET: usize = 80;

/// One line per effect group: `(label, items)`, items already in the markup
/// `code` asks for.
pub(crate) fn effect_lines(
    x: &Explanation,
    code: &dyn Fn(&str) -> String,
) -> Vec<(&'static str, String)> {
    let e = &x.effects;
    let facts = |list: &[EffectFact], missing: &str| -> String {
        list.iter()
            .map(|f| {
                let mut s = match &f.target {
                    Some(t) => code(&short(t)),
                    None => format!("{} ({missing})", code(&f.api)),
                };
                if f.count > 1 {
                    let _ = write!(s, " ×{}", f.count);
                }
                s
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut out = Vec::new();
    if !e.cloud.is_empty() {
        out.push(("Cloud", cloud(&e.cloud, code)));
    }
    if !e.http.is_empty() {
        out.push(("HTTP", facts(&e.http, "URL not literal")));
    }
    if !e.processes.is_empty() {
        out.push(("Runs", facts(&e.processes, "command not literal")));
    }
    if !e.files_written.is_empty() {
        out.push(("Writes", facts(&e.files_written, "path not literal")));
    }
    if !e.files_read.is_empty() {
        out.push(("Reads", facts(&e.files_read, "path not literal")));
    }
    if !e.env.is_empty() {
        out.push(("Env", facts(&e.env, "name not literal")));
    }
    out
}

fn cloud(list: &[CloudFact], code: &dyn Fn(&str) -> String) -> String {
    list.iter()
        .map(|c| {
            let svc = c
                .service
                .as_deref()
                .map(|s| service_name(s).replace('`', ""))
                .unwrap_or_else(|| "client".to_string());
            if c.operations.is_empty() {
                format!("{svc} client")
            } else {
                let ops: Vec<String> = c.operations.iter().map(|o| code(o)).collect();
                format!("{svc} {}", ops.join(", "))
            }
        })
        .collect::<Vec<_>>()
        .join("; ")
}

fn short(s: &str) -> String {
    let one_line = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.len() <= MAX_TARGET {
        return one_line;
    }
    let mut end = MAX_TARGET;
    while !one_line.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &one_line[..end])
}

/// Inline code that survives backticks in the text.
pub(crate) fn md_code(s: &str) -> String {
    if s.contains('`') {
        format!("`` {s} ``")
    } else {
        format!("`{s}`")
    }
}

/// Escapes characters Markdown would interpret in running text.
pub(crate) fn md_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut in_code = false;
    for c in s.chars() {
        if c == '`' {
            in_code = !in_code;
        }
        if !in_code && matches!(c, '*' | '_' | '<' | '>' | '[' | ']' | '#' | '|' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

pub(crate) fn footer(x: &Explanation) -> Vec<String> {
    let mut parts = Vec::new();
    if let Some(c) = &x.calls {
        let plural = |n: usize, w: &str| format!("{n} {w}{}", if n == 1 { "" } else { "s" });
        parts.push(plural(c.callers, "caller"));
        parts.push(plural(c.callees, "callee"));
    }
    if let Some(cov) = &x.coverage {
        parts.push(format!(
            "coverage {:.0}% ({}/{} lines)",
            cov.percent(),
            cov.covered_lines,
            cov.total_lines
        ));
    }
    parts
}

fn resources(x: &Explanation) -> Vec<String> {
    x.resources
        .iter()
        .map(|r| {
            let name = r
                .logical_name
                .as_deref()
                .map(|n| format!(" \"{n}\""))
                .unwrap_or_default();
            let cost = match (r.monthly_cost, &r.note) {
                (Some(c), _) => format!(" ~${c:.2}/month"),
                (None, Some(n)) => format!(" ({n})"),
                (None, None) => String::new(),
            };
            format!("{}{name}{cost}", r.type_name)
        })
        .collect()
}

pub fn render_markdown(x: &Explanation) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "```python\n{}\n```", x.signature);
    let _ = writeln!(s, "{}", md_text(&x.intent));
    let effects = effect_lines(x, &md_code);
    if !effects.is_empty() {
        s.push_str("\n**Effects**\n");
        for (label, items) in effects {
            let _ = writeln!(s, "- {label}: {items}");
        }
    }
    if !x.via.is_empty() {
        s.push_str("\n**Via calls**\n");
        for v in &x.via {
            let _ = writeln!(s, "- {}: {}", md_code(&v.qualname), v.effects.join(", "));
        }
    }
    if !x.raises.is_empty() {
        let r: Vec<String> = x.raises.iter().map(|r| md_code(r)).collect();
        let _ = writeln!(s, "\n**Raises** {}", r.join(", "));
    }
    let res = resources(x);
    if !res.is_empty() {
        s.push_str("\n**Resources**\n");
        for r in res {
            let _ = writeln!(s, "- {}", md_text(&r));
        }
    }
    let mut foot = footer(x);
    foot.push(md_code(&format!("{}:{}", x.file, x.line)));
    let _ = writeln!(s, "\n---\n{}", foot.join(" · "));
    s
}

pub fn render_plain(x: &Explanation) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "{}", x.signature);
    // derived intents mark names as code; plain text has no markup
    let _ = writeln!(s, "{}", x.intent.replace('`', ""));
    let plain = |t: &str| t.to_string();
    let effects = effect_lines(x, &plain);
    if !effects.is_empty() {
        s.push_str("\nEffects:\n");
        for (label, items) in effects {
            let _ = writeln!(s, "  {label}: {items}");
        }
    }
    if !x.via.is_empty() {
        s.push_str("\nVia calls:\n");
        for v in &x.via {
            let _ = writeln!(
                s,
                "  {}: {}",
                v.qualname,
                v.effects.join(", ").replace('`', "")
            );
        }
    }
    if !x.raises.is_empty() {
        let _ = writeln!(s, "\nRaises: {}", x.raises.join(", "));
    }
    let res = resources(x);
    if !res.is_empty() {
        s.push_str("\nResources:\n");
        for r in res {
            let _ = writeln!(s, "  {r}");
        }
    }
    let mut foot = footer(x);
    foot.push(format!("{}:{}", x.file, x.line));
    let _ = writeln!(s, "\n{}", foot.join(" | "));
    s
}
