//! Impact: what depends on a symbol, a file or a module, transitively, with
//! distances, and which tests are affected.
//!
//! Dependents of a **definition**: its callers (transitively, through the call
//! graph) and the modules that import it by name; a class's or function's
//! nested definitions count as the definition itself. Dependents of a
//! **module** (or file): the modules importing it, transitively (reverse
//! imports), plus the callers of any of its definitions. A module reached
//! while following a definition is not followed further through imports:
//! importing a module that uses a function does not make you depend on it.
//!
//! Tests follow pytest's default discovery: files `test_*.py` or `*_test.py`;
//! functions named `test*` at module level or in classes named `Test*`.
//! Affected tests are nodes of kind `test` (`data.scope` is `function` or
//! `module`).

use super::calls::{CallLayer, NodeRef};
use super::query::{def_node, Focus};
use super::schema::{Edge, Graph, GraphKind, Location, Node};
use super::state::Snapshot;
use crate::index::{DefKind, FileSummary};
use crate::text::TextRange;
use serde_json::json;
use std::collections::{HashMap, VecDeque};
use std::path::Path;

#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Item {
    Def(u32),
    Module(String),
}

/// `test_*.py` or `*_test.py`.
pub fn is_test_file(path: &Path) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    (name.starts_with("test_") && name.ends_with(".py")) || name.ends_with("_test.py")
}

/// A test function pytest would collect (in a test file).
pub fn is_test_def(s: &FileSummary, def: u32) -> bool {
    let Some(d) = s.defs.get(def as usize) else {
        return false;
    };
    if !is_test_file(&s.path) || d.kind == DefKind::Class || !d.name.starts_with("test") {
        return false;
    }
    match d.parent.and_then(|p| s.defs.get(p as usize)) {
        None => true,
        Some(p) => p.kind == DefKind::Class && p.name.starts_with("Test") && p.parent.is_none(),
    }
}

/// Everything depending on `target`, as a graph of kind `impact`.
pub fn impact(snap: &Snapshot, calls: &CallLayer, target: &Focus) -> Graph {
    let (dist, via) = reach(snap, calls, target);
    let mut items: Vec<(&Item, &u32)> = dist.iter().collect();
    items.sort_by(|a, b| (a.1, a.0).cmp(&(b.1, b.0)));
    let mut g = Graph::new(GraphKind::Impact);
    let mut tests = 0;
    for (item, &d) in items {
        let (mut node, test) = match item {
            Item::Def(x) => {
                let dn = &calls.defs[*x as usize];
                let test = is_test_def(&snap.summaries[dn.file as usize], dn.def);
                (def_node(snap, calls, *x), test)
            }
            Item::Module(m) => module_node(snap, m),
        };
        if test {
            node.data["scope"] = json!(if matches!(item, Item::Def(_)) {
                "function"
            } else {
                "module"
            });
            node.data["definitionKind"] = json!(node.kind);
            node.kind = "test".into();
            tests += 1;
        }
        node.data["distance"] = json!(d);
        node.data["root"] = json!(d == 0);
        g.nodes.push(node);
    }
    let id = |i: &Item| match i {
        Item::Def(x) => calls.defs[*x as usize].id.clone(),
        Item::Module(m) => m.clone(),
    };
    let mut edges: Vec<(&Item, &(Item, &'static str))> = via.iter().collect();
    edges.sort();
    for (dependent, (dependency, kind)) in edges {
        g.edges.push(Edge {
            from: id(dependent),
            to: id(dependency),
            kind: (*kind).into(),
            data: json!({}),
        });
    }
    let _ = tests;
    g
}

fn module_node(snap: &Snapshot, m: &str) -> (Node, bool) {
    let file = snap.modules.file_of_module.get(m).copied();
    let path = file.map(|f| snap.summaries[f as usize].path.clone());
    let test = path.as_deref().is_some_and(is_test_file);
    (
        Node {
            id: m.to_string(),
            label: m.rsplit('.').next().unwrap_or(m).to_string(),
            kind: "module".into(),
            location: path.map(|p| Location {
                path: p,
                range: TextRange::default(),
            }),
            data: json!({}),
        },
        test,
    )
}

type Via = HashMap<Item, (Item, &'static str)>;

fn reach(snap: &Snapshot, calls: &CallLayer, target: &Focus) -> (HashMap<Item, u32>, Via) {
    let mut dist: HashMap<Item, u32> = HashMap::new();
    let mut via: Via = HashMap::new();
    let mut queue: VecDeque<Item> = VecDeque::new();
    let module_mode = matches!(target, Focus::Module(_));
    let seeds: Vec<Item> = match target {
        Focus::Def(g) => calls
            .with_children(&snap.summaries, *g)
            .into_iter()
            .map(Item::Def)
            .collect(),
        Focus::Module(m) => {
            let mut v = vec![Item::Module(m.clone())];
            if let Some(&fi) = snap.modules.file_of_module.get(m) {
                let n = snap.summaries[fi as usize].defs.len() as u32;
                v.extend((0..n).map(|d| Item::Def(calls.global(fi, d))));
            }
            v
        }
    };
    for s in seeds {
        dist.insert(s.clone(), 0);
        queue.push_back(s);
    }
    while let Some(item) = queue.pop_front() {
        let d = dist[&item];
        let mut next: Vec<(Item, &'static str)> = Vec::new();
        match &item {
            Item::Def(x) => {
                for e in calls.incoming(NodeRef::Def(*x)) {
                    match e.caller {
                        NodeRef::Def(c) => next.push((Item::Def(c), "call")),
                        NodeRef::Module(f) => {
                            if let Some(m) = &snap.modules.files[f as usize].module {
                                next.push((Item::Module(m.clone()), "call"));
                            }
                        }
                        NodeRef::External(_) => {}
                    }
                }
                for &f in calls.name_importers.get(x).into_iter().flatten() {
                    if let Some(m) = &snap.modules.files[f as usize].module {
                        next.push((Item::Module(m.clone()), "import"));
                    }
                }
            }
            Item::Module(m) if module_mode => {
                for importer in snap.modules.importers_of(m) {
                    next.push((Item::Module(importer.clone()), "import"));
                }
            }
            Item::Module(_) => {}
        }
        for (n, kind) in next {
            if !dist.contains_key(&n) {
                dist.insert(n.clone(), d + 1);
                via.insert(n.clone(), (item.clone(), kind));
                queue.push_back(n);
            }
        }
    }
    (dist, via)
}
