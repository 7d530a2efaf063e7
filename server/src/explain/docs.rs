//! `devops-intel docs`: Markdown documentation of a workspace. An index page
//! (modules table, Mermaid module graph, the IaC resource graph when the IaC
//! model provides one, architecture smells) and one page per module (its
//! docstring, imports, and every function with its intent, signature,
//! effects, raises and callers).

use super::counts::IndexedCounts;
use super::facts::{explain, Explanation};
use super::render::{effect_lines, footer, md_code, md_text};
use super::resolve::Target;
use crate::graph::export::to_mermaid;
use crate::graph::{Graph, ModuleLayer};
use crate::index::{DefKind, FileSummary};
use std::collections::BTreeMap;
use std::fmt::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub struct DocsInput<'a> {
    pub root: &'a Path,
    /// Every workspace summary, sorted by path.
    pub summaries: &'a [Arc<FileSummary>],
    pub modules: &'a ModuleLayer,
    /// Seam: the IaC resource graph (the iac area builds it), when available.
    pub resources: Option<&'a Graph>,
    /// The current text of a file (for module docstrings and body facts).
    pub text_of: &'a dyn Fn(&Path) -> Option<String>,
}

/// One generated file: a name relative to the output folder, and its text.
#[derive(Debug, Clone, PartialEq)]
pub struct DocFile {
    pub name: String,
    pub content: String,
}

struct ModuleDoc {
    name: String,
    page: String,
    file: String,
    summary: Option<String>,
    functions: Vec<Explanation>,
}

/// How many rows the smell tables show.
const TOP: usize = 5;

pub fn generate(input: &DocsInput) -> Vec<DocFile> {
    let counts = IndexedCounts::new(input.summaries.to_vec());
    let mut modules: Vec<ModuleDoc> = Vec::new();
    for (fi, s) in input.summaries.iter().enumerate() {
        let name = module_of(input, fi, &s.path);
        let text = (input.text_of)(&s.path);
        let summary = text.as_deref().and_then(module_docstring);
        let functions = s
            .defs
            .iter()
            .enumerate()
            .filter(|(_, d)| d.kind != DefKind::Class && is_documented_scope(s, d.parent))
            .filter_map(|(i, _)| {
                let t = Target {
                    file: s.clone(),
                    def: i as u32,
                };
                explain(
                    &t,
                    input.summaries,
                    text.as_deref(),
                    Some(input.root),
                    &counts,
                )
            })
            .collect();
        let file = s
            .path
            .strip_prefix(input.root)
            .unwrap_or(&s.path)
            .to_string_lossy()
            .replace('\\', "/");
        modules.push(ModuleDoc {
            page: format!("{}.md", page_name(&name)),
            name,
            file,
            summary,
            functions,
        });
    }
    let mut out = vec![DocFile {
        name: "index.md".to_string(),
        content: index_page(input, &modules),
    }];
    let pages: BTreeMap<&str, &str> = modules
        .iter()
        .map(|m| (m.name.as_str(), m.page.as_str()))
        .collect();
    for m in &modules {
        out.push(DocFile {
            name: m.page.clone(),
            content: module_page(input, m, &pages),
        });
    }
    out
}

/// Functions at module level and methods of module-level classes.
fn is_documented_scope(s: &FileSummary, parent: Option<u32>) -> bool {
    match parent {
        None => true,
        Some(p) => s
            .defs
            .get(p as usize)
            .is_some_and(|d| d.kind == DefKind::Class && d.parent.is_none()),
    }
}

fn module_of(input: &DocsInput, fi: usize, path: &Path) -> String {
    if let Some(m) = input
        .modules
        .files
        .get(fi)
        .filter(|f| f.path == path)
        .and_then(|f| f.module.clone())
    {
        return m;
    }
    let rel: PathBuf = path.strip_prefix(input.root).unwrap_or(path).to_path_buf();
    rel.with_extension("")
        .to_string_lossy()
        .replace(['/', '\\'], ".")
}

/// A file name safe on every platform.
fn page_name(module: &str) -> String {
    module
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || matches!(c, '.' | '_' | '-') {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// The module docstring's first paragraph.
pub fn module_docstring(text: &str) -> Option<String> {
    let tree = crate::syntax::parse(text, None)?;
    let root = tree.root_node();
    let mut cursor = root.walk();
    let first = root
        .named_children(&mut cursor)
        .find(|n| n.kind() != "comment")?;
    if first.kind() != "expression_statement" {
        return None;
    }
    let s = first.named_child(0).filter(|n| n.kind() == "string")?;
    let mut c = s.walk();
    let body: String = s
        .named_children(&mut c)
        .filter(|n| n.kind() == "string_content")
        .filter_map(|n| text.get(n.byte_range()))
        .collect();
    let para: Vec<&str> = body
        .trim()
        .lines()
        .map(str::trim)
        .take_while(|l| !l.is_empty())
        .collect();
    (!para.is_empty()).then(|| para.join(" "))
}

fn cell(s: &str) -> String {
    md_text(s).replace('\n', " ")
}

fn effect_kinds(x: &Explanation) -> Vec<&'static str> {
    let e = &x.effects;
    let mut v = Vec::new();
    for (on, name) in [
        (!e.cloud.is_empty(), "cloud"),
        (!e.http.is_empty(), "http"),
        (!e.processes.is_empty(), "subprocess"),
        (!e.files_written.is_empty(), "file write"),
        (!e.files_read.is_empty(), "file read"),
        (!e.env.is_empty(), "env"),
    ] {
        if on {
            v.push(name);
        }
    }
    v
}

fn index_page(input: &DocsInput, modules: &[ModuleDoc]) -> String {
    let mut s = String::new();
    let title = input
        .root
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "workspace".to_string());
    let functions: usize = modules.iter().map(|m| m.functions.len()).sum();
    let _ = writeln!(s, "# {} documentation\n", md_text(&title));
    let _ = writeln!(
        s,
        "Generated by `devops-intel docs` from {} modules and {} functions.\n",
        modules.len(),
        functions
    );
    s.push_str("## Modules\n\n| module | summary | functions | effects |\n|---|---|---|---|\n");
    for m in modules {
        let mut kinds: Vec<&str> = m.functions.iter().flat_map(effect_kinds).collect();
        kinds.sort_unstable();
        kinds.dedup();
        let _ = writeln!(
            s,
            "| [{}]({}) | {} | {} | {} |",
            md_code(&m.name),
            m.page,
            cell(m.summary.as_deref().unwrap_or("")),
            m.functions.len(),
            kinds.join(", ")
        );
    }
    let mut graph = input.modules.graph(input.summaries, None, None);
    // the workspace's own modules, named in full; external ones are listed per page
    graph.nodes.retain(|n| n.kind == "module");
    for n in &mut graph.nodes {
        n.label = n.id.clone();
    }
    let ids: std::collections::HashSet<String> = graph.nodes.iter().map(|n| n.id.clone()).collect();
    graph
        .edges
        .retain(|e| ids.contains(&e.from) && ids.contains(&e.to));
    s.push_str("\n## Module graph\n\n");
    if graph.nodes.is_empty() {
        s.push_str("No workspace modules.\n");
    } else {
        let _ = writeln!(s, "```mermaid\n{}```", to_mermaid(&graph));
    }
    if let Some(res) = input.resources.filter(|g| !g.nodes.is_empty()) {
        s.push_str("\n## Resource graph\n\n");
        let _ = writeln!(s, "```mermaid\n{}```", to_mermaid(res));
    }
    s.push_str("\n## Architecture smells\n");
    smells(&mut s, input, modules);
    s
}

fn smells(s: &mut String, input: &DocsInput, modules: &[ModuleDoc]) {
    let layer = input.modules;
    s.push_str("\n### Import cycles\n\n");
    if layer.cycles.is_empty() {
        s.push_str("None found.\n");
    }
    for c in &layer.cycles {
        let mut members: Vec<String> = c.members.iter().map(|m| md_code(m)).collect();
        if let Some(first) = members.first().cloned() {
            members.push(first);
        }
        let _ = writeln!(s, "- {}", members.join(" → "));
    }
    let internal = |m: &str| layer.file_of_module.contains_key(m);
    let mut fan_in: Vec<(usize, &str)> = modules
        .iter()
        .map(|m| {
            let n = layer
                .importers_of(&m.name)
                .iter()
                .filter(|i| internal(i))
                .count();
            (n, m.name.as_str())
        })
        .filter(|(n, _)| *n > 0)
        .collect();
    let mut fan_out: Vec<(usize, &str)> = modules
        .iter()
        .map(|m| {
            let n = layer
                .imports_of(&m.name)
                .into_iter()
                .filter(|i| internal(i) && *i != m.name)
                .count();
            (n, m.name.as_str())
        })
        .filter(|(n, _)| *n > 0)
        .collect();
    for (list, title, what) in [
        (&mut fan_in, "Highest fan-in (most imported)", "imported by"),
        (&mut fan_out, "Highest fan-out (imports most)", "imports"),
    ] {
        list.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(b.1)));
        let _ = writeln!(s, "\n### {title}\n");
        if list.is_empty() {
            s.push_str("No internal imports.\n");
            continue;
        }
        let _ = writeln!(s, "| module | {what} (modules) |\n|---|---|");
        for (n, m) in list.iter().take(TOP) {
            let _ = writeln!(s, "| {} | {n} |", md_code(m));
        }
    }
    let mut hubs: Vec<(usize, String)> = modules
        .iter()
        .flat_map(|m| {
            m.functions
                .iter()
                .map(move |f| (effect_kinds(f).len(), format!("{}.{}", m.name, f.qualname)))
        })
        .filter(|(n, _)| *n >= 3)
        .collect();
    hubs.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    s.push_str("\n### Effect hubs (functions with three or more kinds of effects)\n\n");
    if hubs.is_empty() {
        s.push_str("None found.\n");
    }
    for (n, f) in hubs.iter().take(TOP) {
        let _ = writeln!(s, "- {} ({n} kinds)", md_code(f));
    }
}

fn module_page(input: &DocsInput, m: &ModuleDoc, pages: &BTreeMap<&str, &str>) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "# {}\n", md_code(&m.name));
    if let Some(sum) = &m.summary {
        let _ = writeln!(s, "{}\n", md_text(sum));
    }
    let link = |name: &str| match pages.get(name) {
        Some(p) => format!("[{}]({p})", md_code(name)),
        None => md_code(name),
    };
    let _ = writeln!(s, "Source: {}\n", md_code(&m.file));
    let imports: Vec<String> = input
        .modules
        .imports_of(&m.name)
        .into_iter()
        .filter(|i| *i != m.name && input.modules.file_of_module.contains_key(*i))
        .map(link)
        .collect();
    if !imports.is_empty() {
        let _ = writeln!(s, "Imports: {}\n", imports.join(", "));
    }
    let external: Vec<String> = input
        .modules
        .external
        .iter()
        .filter(|(_, importers)| importers.iter().any(|(i, _, _)| *i == m.name))
        .map(|(package, _)| md_code(package))
        .collect();
    if !external.is_empty() {
        let _ = writeln!(s, "External imports: {}\n", external.join(", "));
    }
    let importers: Vec<String> = input
        .modules
        .importers_of(&m.name)
        .iter()
        .map(|i| link(i))
        .collect();
    if !importers.is_empty() {
        let _ = writeln!(s, "Imported by: {}\n", importers.join(", "));
    }
    if m.functions.is_empty() {
        s.push_str("No functions.\n");
        return s;
    }
    s.push_str("## Functions\n");
    for f in &m.functions {
        let _ = writeln!(s, "\n### {}\n", md_code(&f.qualname));
        let _ = writeln!(s, "```python\n{}\n```\n", f.signature);
        let _ = writeln!(s, "{}\n", md_text(&f.intent));
        for (label, items) in effect_lines(f, &md_code) {
            let _ = writeln!(s, "- {label}: {items}");
        }
        for v in &f.via {
            let _ = writeln!(
                s,
                "- Via {}: {}",
                md_code(&v.qualname),
                v.effects.join(", ")
            );
        }
        if !f.raises.is_empty() {
            let r: Vec<String> = f.raises.iter().map(|r| md_code(r)).collect();
            let _ = writeln!(s, "- Raises: {}", r.join(", "));
        }
        let mut foot = footer(f);
        foot.push(format!("line {}", f.line));
        let _ = writeln!(s, "- {}", foot.join(" · "));
    }
    s
}
