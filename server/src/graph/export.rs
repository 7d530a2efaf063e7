//! DOT (Graphviz) and Mermaid renderings of a [`Graph`]. Every id and label
//! is escaped (DOT: a quoted ID with `\` and `"` escaped and newlines as
//! `\n`; Mermaid: generated node ids `n0, n1…` and labels with quotes, `<`,
//! `>`, `#` and brackets as entity codes), so any name produces valid output.

use super::schema::Graph;
use std::collections::HashMap;
use std::fmt::Write;

fn dot_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn dot_shape(kind: &str) -> &'static str {
    match kind {
        "module" => "box",
        "external-module" | "external" => "box\", style=\"dashed",
        "class" => "component",
        "test" => "note",
        "input" => "invhouse",
        "output" => "house",
        "resource" => "cylinder",
        _ => "ellipse",
    }
}

/// Graphviz DOT.
pub fn to_dot(g: &Graph) -> String {
    let kind = serde_json::to_value(g.kind)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default();
    let mut out = String::new();
    let _ = writeln!(out, "digraph {} {{", dot_quote(&kind));
    out.push_str("  rankdir=LR;\n  node [fontname=\"Helvetica\", fontsize=10];\n");
    for n in &g.nodes {
        let _ = writeln!(
            out,
            "  {} [label={}, shape=\"{}\"];",
            dot_quote(&n.id),
            dot_quote(&n.label),
            dot_shape(&n.kind)
        );
    }
    for e in &g.edges {
        let dashed = e.data.get("exact").and_then(|x| x.as_bool()) == Some(false)
            || e.data.get("typeChecking").and_then(|x| x.as_bool()) == Some(true);
        let _ = writeln!(
            out,
            "  {} -> {} [label={}{}];",
            dot_quote(&e.from),
            dot_quote(&e.to),
            dot_quote(&e.kind),
            if dashed { ", style=\"dashed\"" } else { "" }
        );
    }
    out.push_str("}\n");
    out
}

fn mermaid_label(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '"' => out.push_str("#quot;"),
            '<' => out.push_str("#lt;"),
            '>' => out.push_str("#gt;"),
            '#' => out.push_str("#35;"),
            '[' => out.push_str("#91;"),
            ']' => out.push_str("#93;"),
            '{' => out.push_str("#123;"),
            '}' => out.push_str("#125;"),
            '|' => out.push_str("#124;"),
            '`' => out.push_str("#96;"),
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// Mermaid `flowchart`.
pub fn to_mermaid(g: &Graph) -> String {
    let mut out = String::from("flowchart LR\n");
    let mut ids: HashMap<&str, String> = HashMap::new();
    for (i, n) in g.nodes.iter().enumerate() {
        let id = format!("n{i}");
        let label = mermaid_label(&n.label);
        let shape = match n.kind.as_str() {
            "module" | "external-module" => format!("[\"{label}\"]"),
            "input" => format!("[/\"{label}\"/]"),
            "output" => format!("[\\\"{label}\"\\]"),
            "test" => format!("{{{{\"{label}\"}}}}"),
            "external" => format!("([\"{label}\"])"),
            _ => format!("(\"{label}\")"),
        };
        let _ = writeln!(out, "  {id}{shape}");
        ids.insert(n.id.as_str(), id);
    }
    let mut extra = 0usize;
    for e in &g.edges {
        let mut endpoint = |name: &str, out: &mut String| -> String {
            if let Some(id) = ids.get(name) {
                return id.clone();
            }
            // an edge to a node not in the list: declare it so the chart parses
            let id = format!("x{extra}");
            extra += 1;
            let _ = writeln!(out, "  {id}[\"{}\"]", mermaid_label(name));
            id
        };
        let from = endpoint(&e.from, &mut out);
        let to = endpoint(&e.to, &mut out);
        let dashed = e.data.get("exact").and_then(|x| x.as_bool()) == Some(false)
            || e.data.get("typeChecking").and_then(|x| x.as_bool()) == Some(true);
        let arrow = if dashed { "-.->" } else { "-->" };
        let _ = writeln!(out, "  {from} {arrow} {to}");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::schema::{Edge, GraphKind, Node};
    use serde_json::json;

    fn nasty() -> Graph {
        let mut g = Graph::new(GraphKind::Calls);
        for (id, kind) in [("a\"b\\c", "function"), ("x<y>[z]{w}|#`", "external")] {
            g.nodes.push(Node {
                id: id.into(),
                label: format!("{id}\nline"),
                kind: kind.into(),
                location: None,
                data: json!({}),
            });
        }
        g.edges.push(Edge {
            from: "a\"b\\c".into(),
            to: "x<y>[z]{w}|#`".into(),
            kind: "call".into(),
            data: json!({ "exact": false }),
        });
        g
    }

    #[test]
    fn dot_escapes_quotes_and_backslashes() {
        let dot = to_dot(&nasty());
        assert!(dot.contains(r#""a\"b\\c" -> "x<y>[z]{w}|#`""#), "{dot}");
        assert!(dot.contains(r#"label="a\"b\\c\nline""#), "{dot}");
        assert!(dot.contains("style=\"dashed\""));
        // every quote outside escapes pairs up on each line
        for line in dot.lines() {
            let unescaped = line.replace("\\\\", "").replace("\\\"", "");
            assert_eq!(unescaped.matches('"').count() % 2, 0, "{line}");
        }
    }

    #[test]
    fn mermaid_uses_generated_ids_and_entities() {
        let m = to_mermaid(&nasty());
        assert!(m.starts_with("flowchart LR\n"));
        assert!(m.contains("n0(\"a#quot;b\\c line\")"), "{m}");
        assert!(
            m.contains("#lt;y#gt;#91;z#93;#123;w#125;#124;#35;#96;"),
            "{m}"
        );
        assert!(m.contains("n0 -.-> n1"), "{m}");
    }
}
