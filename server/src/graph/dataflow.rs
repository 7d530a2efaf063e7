//! Data flow of one function: inputs (parameters, environment variables,
//! configuration and files read, command-line arguments, stdin) → the calls
//! it makes → outputs (return value, files written, network, subprocesses,
//! cloud calls and resources created), from the summary's effects and
//! evaluated call arguments.
//!
//! Nodes: the function (`function`), `input`, `call` and `output` (with
//! `data.source` / `data.sink`). Edges: `flow` from an input to the function
//! and to each call whose arguments use it, `call` from the function to each
//! call, `flow` from a call (or the function) to each output it produces.

use super::calls::{CallLayer, NodeRef};
use super::query::{call_node, def_node};
use super::schema::{Edge, Graph, GraphKind, Location, Node};
use super::state::Snapshot;
use crate::index::{EffectKind, Taint, Value};
use crate::text::TextRange;
use serde_json::{json, Value as Json};
use std::collections::BTreeSet;

/// Calls that read configuration.
const CONFIG_READS: &[&str] = &[
    "json.load",
    "yaml.safe_load",
    "yaml.load",
    "yaml.full_load",
    "toml.load",
    "tomllib.load",
    "configparser.ConfigParser.read",
    "configparser.ConfigParser",
    "dotenv.load_dotenv",
    "dotenv.dotenv_values",
];

const ARGV_READS: &[&str] = &[
    "argparse.ArgumentParser.parse_args",
    "argparse.ArgumentParser.parse_known_args",
    "click.argument",
    "click.option",
    "typer.Argument",
    "typer.Option",
];

/// Cloud operations that create or change resources.
const CREATES: &[&str] = &[
    "create_",
    "put_",
    "run_instances",
    "start_",
    "update_",
    "delete_",
];

struct Builder<'a> {
    g: Graph,
    path: &'a std::path::Path,
    fn_id: String,
    ids: BTreeSet<String>,
}

impl Builder<'_> {
    fn node(
        &mut self,
        id: String,
        label: String,
        kind: &str,
        range: Option<TextRange>,
        data: Json,
    ) {
        if self.ids.insert(id.clone()) {
            self.g.nodes.push(Node {
                id,
                label,
                kind: kind.into(),
                location: range.map(|r| Location {
                    path: self.path.to_path_buf(),
                    range: r,
                }),
                data,
            });
        }
    }

    fn edge(&mut self, from: &str, to: &str, kind: &str) {
        if !self
            .g
            .edges
            .iter()
            .any(|e| e.from == from && e.to == to && e.kind == kind)
        {
            self.g.edges.push(Edge {
                from: from.into(),
                to: to.into(),
                kind: kind.into(),
                data: json!({}),
            });
        }
    }
}

/// Whether `text` uses the identifier `name`.
fn mentions(text: &str, name: &str) -> bool {
    text.match_indices(name).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i + name.len()..].chars().next();
        let ident = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
        !ident(before) && !ident(after) && before != Some('.')
    })
}

fn value_text(v: &Value) -> String {
    match v {
        Value::Dynamic { text, .. } => text.to_string(),
        Value::List(items) => items.iter().map(value_text).collect::<Vec<_>>().join(" "),
        _ => String::new(),
    }
}

/// The data-flow graph of definition `g`.
pub fn dataflow(snap: &Snapshot, calls: &CallLayer, g: u32) -> Graph {
    let dn = &calls.defs[g as usize];
    let s = &snap.summaries[dn.file as usize];
    let def = &s.defs[dn.def as usize];
    let mut b = Builder {
        g: Graph::new(GraphKind::Dataflow),
        path: &s.path,
        fn_id: dn.id.clone(),
        ids: BTreeSet::new(),
    };
    let fnode = def_node(snap, calls, g);
    b.ids.insert(fnode.id.clone());
    b.g.nodes.push(fnode);
    let fn_id = b.fn_id.clone();
    let mut params: Vec<(String, String)> = Vec::new();
    for p in &def.params {
        if matches!(p.name.as_str(), "self" | "cls") || p.name.is_empty() {
            continue;
        }
        let id = format!("param:{}", p.name);
        b.node(
            id.clone(),
            p.name.to_string(),
            "input",
            Some(def.name_range),
            json!({ "source": "parameter", "annotation": p.annotation, "default": p.default }),
        );
        b.edge(&id, &fn_id, "flow");
        params.push((p.name.to_string(), id));
    }
    let mine = |e: Option<u32>| e == Some(dn.def);
    for (ci, c) in s
        .calls
        .iter()
        .enumerate()
        .filter(|(_, c)| mine(c.enclosing))
    {
        let q = c.qualified.as_str();
        let source = if CONFIG_READS.contains(&q) {
            Some("config")
        } else if ARGV_READS.contains(&q) {
            Some("argv")
        } else if q == "input" {
            Some("stdin")
        } else {
            None
        };
        if let Some(src) = source {
            let id = format!("{src}:{q}");
            b.node(
                id.clone(),
                q.to_string(),
                "input",
                Some(c.range),
                json!({ "source": src, "api": q }),
            );
            b.edge(&id, &fn_id, "flow");
            continue;
        }
        let target = calls
            .outgoing(NodeRef::Def(g))
            .find(|e| e.file == dn.file && e.call == ci as u32)
            .map(|e| e.callee);
        let (id, label, data) = match target {
            Some(n) => {
                let node = call_node(snap, calls, n);
                let mut data = node.data.clone();
                data["target"] = json!(node.id);
                data["targetKind"] = json!(node.kind);
                (format!("call:{}", node.id), node.id, data)
            }
            None => (format!("call:{q}"), q.to_string(), json!({ "target": q })),
        };
        b.node(id.clone(), label, "call", Some(c.range), data);
        b.edge(&fn_id, &id, "call");
        for a in &c.args {
            let text = value_text(&a.value);
            for (name, pid) in &params {
                if mentions(&text, name) {
                    b.edge(pid, &id, "flow");
                }
            }
            let t = a.value.taint();
            if t.has(Taint::ARGV) {
                b.node(
                    "argv:sys.argv".into(),
                    "sys.argv".into(),
                    "input",
                    None,
                    json!({ "source": "argv" }),
                );
                b.edge("argv:sys.argv", &id, "flow");
            }
            if t.has(Taint::INPUT) {
                b.node(
                    "stdin:input".into(),
                    "input()".into(),
                    "input",
                    None,
                    json!({ "source": "stdin" }),
                );
                b.edge("stdin:input", &id, "flow");
            }
        }
    }
    for e in s.effects.iter().filter(|e| mine(e.enclosing)) {
        let target = e.target.as_deref().unwrap_or(e.api.as_str());
        let producer = s
            .calls
            .iter()
            .filter(|c| mine(c.enclosing) && c.range.contains_range(e.range))
            .min_by_key(|c| c.range.len())
            .map(|c| {
                let id = b
                    .g
                    .nodes
                    .iter()
                    .find(|n| {
                        n.kind == "call" && n.location.as_ref().is_some_and(|l| l.range == c.range)
                    })
                    .map(|n| n.id.clone());
                id.unwrap_or_else(|| fn_id.clone())
            })
            .unwrap_or_else(|| fn_id.clone());
        let (kind, role) = match e.kind {
            EffectKind::EnvRead => ("input", "env"),
            EffectKind::FileRead => ("input", "file"),
            EffectKind::FileWrite => ("output", "file"),
            EffectKind::Network => ("output", "network"),
            EffectKind::Subprocess => ("output", "subprocess"),
            EffectKind::CloudCall => {
                let op = target.rsplit('.').next().unwrap_or(target);
                if CREATES.iter().any(|p| op.starts_with(p)) {
                    ("output", "resource")
                } else {
                    ("output", "cloud")
                }
            }
            EffectKind::CloudClient => continue,
        };
        let id = format!("{role}:{target}");
        let data = if kind == "input" {
            json!({ "source": role, "api": e.api })
        } else {
            json!({ "sink": role, "api": e.api })
        };
        b.node(id.clone(), target.to_string(), kind, Some(e.range), data);
        if kind == "input" {
            b.edge(&id, &producer, "flow");
            if producer != fn_id {
                b.edge(&id, &fn_id, "flow");
            }
        } else {
            b.edge(&producer, &id, "flow");
        }
    }
    if let Some(r) = def.returns.as_deref().filter(|r| *r != "None") {
        b.node(
            "return".into(),
            format!("return: {r}"),
            "output",
            None,
            json!({ "sink": "return", "annotation": r }),
        );
        b.edge(&fn_id, "return", "flow");
    }
    b.g
}
