//! Questions asked of a snapshot: what a focus string or a position names,
//! and the call graph around it.

use super::calls::{CallLayer, NodeRef};
use super::schema::{Edge, Graph, GraphKind, Location, Node};
use super::state::Snapshot;
use crate::index::DefKind;
use crate::text::TextRange;
use serde_json::json;
use std::collections::{BTreeMap, HashMap, VecDeque};
use std::path::Path;

/// Largest graph returned without a focus; larger ones come back truncated.
pub const MAX_NODES: usize = 5000;

/// What a request or `--focus` points at.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Focus {
    /// A definition (`CallLayer::defs` index).
    Def(u32),
    /// A module, by dotted name.
    Module(String),
}

/// Resolves `--focus` / `focus`: a definition id (`pkg.mod.func`,
/// `pkg.mod.Class.method`), a module name, or a file path.
pub fn resolve_focus(snap: &Snapshot, calls: &CallLayer, text: &str) -> Option<Focus> {
    if let Some(g) = calls.find(text) {
        return Some(Focus::Def(g));
    }
    if snap.modules.index.contains(text) {
        return Some(Focus::Module(text.to_string()));
    }
    let p = Path::new(text);
    let abs = if p.is_absolute() {
        p.to_path_buf()
    } else {
        std::env::current_dir().ok()?.join(p)
    };
    let abs = abs.canonicalize().unwrap_or(abs);
    snap.modules
        .index
        .name_of(&abs)
        .map(|m| Focus::Module(m.to_string()))
}

/// The innermost definition at `offset` in `path`, else the file's module.
pub fn focus_at(
    snap: &Snapshot,
    calls: &CallLayer,
    path: &Path,
    offset: Option<u32>,
) -> Option<Focus> {
    let fi = file_index(snap, path)?;
    if let Some(off) = offset {
        let s = &snap.summaries[fi as usize];
        if let Some((di, _)) = s
            .defs
            .iter()
            .enumerate()
            .filter(|(_, d)| d.range.contains(off) || d.name_range.contains(off))
            .min_by_key(|(_, d)| d.range.len())
        {
            return calls.def_of(fi, di as u32).map(Focus::Def);
        }
    }
    snap.modules.files[fi as usize]
        .module
        .clone()
        .map(Focus::Module)
}

pub fn file_index(snap: &Snapshot, path: &Path) -> Option<u32> {
    snap.summaries
        .binary_search_by(|s| s.path.as_path().cmp(path))
        .ok()
        .map(|i| i as u32)
}

/// A call-graph node in the shared schema.
pub fn call_node(snap: &Snapshot, calls: &CallLayer, n: NodeRef) -> Node {
    match n {
        NodeRef::Def(g) => def_node(snap, calls, g),
        NodeRef::Module(f) => {
            let m = snap.modules.files[f as usize]
                .module
                .clone()
                .unwrap_or_else(|| snap.summaries[f as usize].path.display().to_string());
            Node {
                label: m.rsplit('.').next().unwrap_or(&m).to_string(),
                id: m,
                kind: "module".into(),
                location: Some(Location {
                    path: snap.summaries[f as usize].path.clone(),
                    range: TextRange::default(),
                }),
                data: json!({}),
            }
        }
        NodeRef::External(e) => {
            let name = calls.externals[e as usize].clone();
            Node {
                label: name.clone(),
                kind: "external".into(),
                location: None,
                data: json!({ "package": name.split('.').next().unwrap_or(&name) }),
                id: name,
            }
        }
    }
}

pub fn def_node(snap: &Snapshot, calls: &CallLayer, g: u32) -> Node {
    let d = &calls.defs[g as usize];
    let s = &snap.summaries[d.file as usize];
    let def = &s.defs[d.def as usize];
    let module = snap.modules.files[d.file as usize].module.clone();
    Node {
        id: d.id.clone(),
        label: def.qualname.to_string(),
        kind: kind_name(def.kind).into(),
        location: Some(Location {
            path: s.path.clone(),
            range: def.name_range,
        }),
        data: json!({ "module": module, "async": def.is_async }),
    }
}

pub fn kind_name(k: DefKind) -> &'static str {
    match k {
        DefKind::Function => "function",
        DefKind::Method => "method",
        DefKind::Class => "class",
    }
}

fn node_id(snap: &Snapshot, calls: &CallLayer, n: NodeRef) -> String {
    match n {
        NodeRef::Def(g) => calls.defs[g as usize].id.clone(),
        NodeRef::Module(f) => snap.modules.files[f as usize]
            .module
            .clone()
            .unwrap_or_else(|| snap.summaries[f as usize].path.display().to_string()),
        NodeRef::External(e) => calls.externals[e as usize].clone(),
    }
}

/// The call graph: around a focus (`depth` call steps both ways, default 2;
/// a module focus starts from all its definitions), or the whole workspace
/// (truncated at [`MAX_NODES`]).
pub fn call_graph(
    snap: &Snapshot,
    calls: &CallLayer,
    focus: Option<&Focus>,
    depth: Option<u32>,
) -> Graph {
    let mut dist: HashMap<NodeRef, u32> = HashMap::new();
    let mut order: Vec<NodeRef> = Vec::new();
    let mut truncated = false;
    match focus {
        Some(f) => {
            let seeds: Vec<NodeRef> = match f {
                Focus::Def(g) => vec![NodeRef::Def(*g)],
                Focus::Module(m) => match snap.modules.file_of_module.get(m) {
                    Some(&fi) => {
                        let n = snap.summaries[fi as usize].defs.len() as u32;
                        let mut v: Vec<NodeRef> =
                            (0..n).map(|d| NodeRef::Def(calls.global(fi, d))).collect();
                        v.push(NodeRef::Module(fi));
                        v
                    }
                    None => Vec::new(),
                },
            };
            let depth = depth.unwrap_or(2);
            let mut queue = VecDeque::new();
            for s in seeds {
                dist.insert(s, 0);
                order.push(s);
                queue.push_back(s);
            }
            while let Some(n) = queue.pop_front() {
                let d = dist[&n];
                if d >= depth {
                    continue;
                }
                let next: Vec<NodeRef> = calls
                    .outgoing(n)
                    .map(|e| e.callee)
                    .chain(calls.incoming(n).map(|e| e.caller))
                    .collect();
                for x in next {
                    if let std::collections::hash_map::Entry::Vacant(slot) = dist.entry(x) {
                        if order.len() >= MAX_NODES {
                            truncated = true;
                            break;
                        }
                        slot.insert(d + 1);
                        order.push(x);
                        queue.push_back(x);
                    }
                }
            }
        }
        None => {
            for e in &calls.edges {
                for x in [e.caller, e.callee] {
                    if let std::collections::hash_map::Entry::Vacant(slot) = dist.entry(x) {
                        if order.len() >= MAX_NODES {
                            truncated = true;
                            continue;
                        }
                        slot.insert(0);
                        order.push(x);
                    }
                }
            }
        }
    }
    let mut g = Graph::new(GraphKind::Calls);
    g.truncated = truncated;
    for &n in &order {
        let mut node = call_node(snap, calls, n);
        if focus.is_some() {
            if let Some(obj) = node.data.as_object_mut() {
                obj.insert("distance".into(), json!(dist[&n]));
            }
        }
        g.nodes.push(node);
    }
    // one edge per (caller, callee): exact if any call is, with every line
    let mut edges: BTreeMap<(NodeRef, NodeRef), (bool, Vec<u32>)> = BTreeMap::new();
    for &n in &order {
        for e in calls.outgoing(n) {
            if !dist.contains_key(&e.callee) {
                continue;
            }
            let line = snap.summaries[e.file as usize]
                .calls
                .get(e.call as usize)
                .map(|c| {
                    snap.summaries[e.file as usize]
                        .line_index
                        .line_of(c.range.start)
                })
                .unwrap_or(0);
            let entry = edges
                .entry((e.caller, e.callee))
                .or_insert((false, Vec::new()));
            entry.0 |= e.exact;
            entry.1.push(line);
        }
    }
    for ((from, to), (exact, lines)) in edges {
        g.edges.push(Edge {
            from: node_id(snap, calls, from),
            to: node_id(snap, calls, to),
            kind: "call".into(),
            data: json!({
                "exact": exact,
                "resolution": if exact { "exact" } else { "heuristic" },
                "lines": lines,
            }),
        });
    }
    g
}
