//! The module layer: every file's imports resolved, the internal import graph,
//! its cycles (ARC001) and unresolved imports (ARC002), and the module graph
//! rendered in the shared schema.

use super::modules::{ModuleIndex, Target};
use super::schema::{Edge, Graph, GraphKind, Location, Node};
use crate::index::FileSummary;
use crate::text::TextRange;
use petgraph::graph::{DiGraph, NodeIndex};
use serde_json::json;
use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};
use std::path::PathBuf;
use std::sync::Arc;

/// One file's place in the module layer.
#[derive(Debug)]
pub struct FileEntry {
    pub path: PathBuf,
    pub module: Option<String>,
    /// Resolution of each import, in `FileSummary::imports` order.
    pub imports: Vec<Target>,
}

/// An internal import: `from` imports `to` (both dotted module names).
#[derive(Clone, Debug)]
pub struct Dep {
    pub to: String,
    pub file: u32,
    pub import: u32,
    pub in_function: bool,
    pub type_checking: bool,
}

impl Dep {
    /// Executed when the module is imported (not deferred, not typing-only).
    pub fn at_import_time(&self) -> bool {
        !self.in_function && !self.type_checking
    }
}

/// An import cycle (a strongly connected component of import-time imports).
#[derive(Clone, Debug)]
pub struct Cycle {
    /// Members, sorted.
    pub members: Vec<String>,
    /// Per member: the file, the import that closes the cycle and the
    /// shortest cycle through the member (`a -> b -> a`).
    pub links: Vec<CycleLink>,
}

#[derive(Clone, Debug)]
pub struct CycleLink {
    pub module: String,
    pub file: u32,
    pub import: u32,
    pub path: Vec<String>,
}

#[derive(Debug, Default)]
pub struct ModuleLayer {
    pub index: ModuleIndex,
    /// Sorted by path, parallel to the snapshot's summaries.
    pub files: Vec<FileEntry>,
    pub file_of_module: HashMap<String, u32>,
    /// Internal imports by importer.
    pub deps: HashMap<String, Vec<Dep>>,
    /// Importers by imported module.
    pub rdeps: HashMap<String, Vec<String>>,
    /// External top-level packages by importer, with the first import seen.
    pub external: BTreeMap<String, Vec<(String, u32, u32)>>,
    pub cycles: Vec<Cycle>,
}

impl ModuleLayer {
    /// Builds the layer from summaries sorted by path.
    pub fn build(summaries: &[Arc<FileSummary>], roots: &[PathBuf]) -> Self {
        Self::build_with(summaries, roots, &[])
    }

    /// Like [`build`](Self::build), also knowing `other_files` exist (modules
    /// that can be imported but were not analysed).
    pub fn build_with(
        summaries: &[Arc<FileSummary>],
        roots: &[PathBuf],
        other_files: &[PathBuf],
    ) -> Self {
        let index = ModuleIndex::build(
            summaries
                .iter()
                .map(|s| s.path.as_path())
                .chain(other_files.iter().map(PathBuf::as_path)),
            roots,
        );
        let mut layer = ModuleLayer::default();
        for (fi, s) in summaries.iter().enumerate() {
            let fi = fi as u32;
            let module = index.name_of(&s.path).map(str::to_string);
            let imports: Vec<Target> = match &module {
                Some(m) => s.imports.iter().map(|i| index.resolve(m, i)).collect(),
                None => Vec::new(),
            };
            if let Some(m) = &module {
                // a stub never replaces the implementation as the module's file
                let is_impl = index.get(m).and_then(|i| i.path.as_ref()) == Some(&s.path);
                if is_impl {
                    layer.file_of_module.insert(m.clone(), fi);
                }
                for (ii, (imp, t)) in s.imports.iter().zip(&imports).enumerate() {
                    match t {
                        Target::Internal { module: to, .. } => {
                            layer.deps.entry(m.clone()).or_default().push(Dep {
                                to: to.clone(),
                                file: fi,
                                import: ii as u32,
                                in_function: imp.in_function,
                                type_checking: imp.type_checking,
                            });
                        }
                        Target::External { top, .. } => {
                            let list = layer.external.entry(top.clone()).or_default();
                            if !list.iter().any(|(from, _, _)| from == m) {
                                list.push((m.clone(), fi, ii as u32));
                            }
                        }
                        Target::Unresolved { .. } => {}
                    }
                }
            }
            layer.files.push(FileEntry {
                path: s.path.clone(),
                module,
                imports,
            });
        }
        for (from, deps) in &layer.deps {
            for d in deps {
                let r = layer.rdeps.entry(d.to.clone()).or_default();
                if !r.contains(from) {
                    r.push(from.clone());
                }
            }
        }
        for r in layer.rdeps.values_mut() {
            r.sort();
        }
        layer.index = index;
        layer.cycles = layer.find_cycles();
        layer
    }

    /// Internal modules `module` imports (deduplicated, sorted).
    pub fn imports_of(&self, module: &str) -> Vec<&str> {
        let mut v: Vec<&str> = self
            .deps
            .get(module)
            .into_iter()
            .flatten()
            .map(|d| d.to.as_str())
            .collect();
        v.sort_unstable();
        v.dedup();
        v
    }

    pub fn importers_of(&self, module: &str) -> &[String] {
        self.rdeps.get(module).map(Vec::as_slice).unwrap_or(&[])
    }

    /// Every internal edge as `(importer, imported)`, deduplicated.
    pub fn internal_edges(&self) -> Vec<(&str, &str)> {
        let mut v: Vec<(&str, &str)> = self
            .deps
            .iter()
            .flat_map(|(from, deps)| deps.iter().map(move |d| (from.as_str(), d.to.as_str())))
            .filter(|(a, b)| a != b)
            .collect();
        v.sort_unstable();
        v.dedup();
        v
    }

    fn find_cycles(&self) -> Vec<Cycle> {
        let mut g: DiGraph<&str, ()> = DiGraph::new();
        let mut ids: HashMap<&str, NodeIndex> = HashMap::new();
        let mut names: Vec<&str> = self.deps.keys().map(String::as_str).collect();
        names.sort_unstable();
        for from in names {
            let a = *ids.entry(from).or_insert_with(|| g.add_node(from));
            for d in self.deps[from].iter().filter(|d| d.at_import_time()) {
                if d.to == from {
                    continue;
                }
                let to = d.to.as_str();
                let b = *ids.entry(to).or_insert_with(|| g.add_node(to));
                g.update_edge(a, b, ());
            }
        }
        let mut cycles = Vec::new();
        for scc in petgraph::algo::tarjan_scc(&g) {
            if scc.len() < 2 {
                continue;
            }
            let set: HashSet<&str> = scc.iter().map(|&n| g[n]).collect();
            let mut members: Vec<String> = set.iter().map(|s| s.to_string()).collect();
            members.sort();
            let links = members
                .iter()
                .filter_map(|m| self.cycle_link(m, &set))
                .collect();
            cycles.push(Cycle { members, links });
        }
        cycles.sort_by(|a, b| a.members.cmp(&b.members));
        cycles
    }

    /// The shortest cycle through `module` inside its component, and the
    /// import (in `module`'s file) that starts it.
    fn cycle_link(&self, module: &str, scc: &HashSet<&str>) -> Option<CycleLink> {
        let mut prev: HashMap<&str, &str> = HashMap::new();
        let mut queue = VecDeque::new();
        queue.push_back(module);
        let mut found = None;
        'bfs: while let Some(cur) = queue.pop_front() {
            let mut next: Vec<&str> = self
                .deps
                .get(cur)
                .into_iter()
                .flatten()
                .filter(|d| d.at_import_time() && scc.contains(d.to.as_str()))
                .map(|d| d.to.as_str())
                .collect();
            next.sort_unstable();
            next.dedup();
            for n in next {
                if n == module {
                    found = Some(cur);
                    break 'bfs;
                }
                if n != cur && !prev.contains_key(n) {
                    prev.insert(n, cur);
                    queue.push_back(n);
                }
            }
        }
        let last = found?;
        let mut path = vec![module.to_string()];
        let mut chain = vec![last];
        let mut cur = last;
        while cur != module {
            cur = prev.get(cur)?;
            chain.push(cur);
        }
        chain.pop(); // `module` itself
        path.extend(chain.into_iter().rev().map(str::to_string));
        path.push(module.to_string());
        let first_hop = path.get(1)?;
        let dep = self
            .deps
            .get(module)?
            .iter()
            .filter(|d| d.at_import_time() && &d.to == first_hop)
            .min_by_key(|d| d.import)?;
        Some(CycleLink {
            module: module.to_string(),
            file: dep.file,
            import: dep.import,
            path,
        })
    }

    /// Modules in the cycles, for marking nodes.
    fn in_cycle(&self) -> HashSet<&str> {
        self.cycles
            .iter()
            .flat_map(|c| c.members.iter().map(String::as_str))
            .collect()
    }

    /// The module graph in the shared schema. With `focus` (a module name),
    /// only modules within `depth` import steps of it, both directions.
    pub fn graph(
        &self,
        summaries: &[Arc<FileSummary>],
        focus: Option<&str>,
        depth: Option<u32>,
    ) -> Graph {
        let mut g = Graph::new(GraphKind::Modules);
        let keep: Option<HashMap<String, u32>> =
            focus.map(|f| self.neighbourhood(f, depth.unwrap_or(1)));
        let kept = |m: &str| keep.as_ref().is_none_or(|k| k.contains_key(m));
        let cycles = self.in_cycle();
        let mut nodes: Vec<&str> = self
            .index
            .names()
            .into_iter()
            .filter(|m| self.file_of_module.contains_key(*m) || self.rdeps.contains_key(*m))
            .filter(|m| kept(m))
            .collect();
        nodes.sort_unstable();
        let node_set: HashSet<&str> = nodes.iter().copied().collect();
        for m in &nodes {
            let info = self.index.get(m);
            let file = self.file_of_module.get(*m);
            let mut data = json!({
                "package": info.is_some_and(|i| i.is_package),
                "namespace": info.is_some_and(|i| i.path.is_none()),
                "inCycle": cycles.contains(m),
                "importedBy": self.importers_of(m).len(),
            });
            if let (Some(k), Some(obj)) = (&keep, data.as_object_mut()) {
                obj.insert("distance".into(), json!(k.get(*m).copied().unwrap_or(0)));
            }
            g.nodes.push(Node {
                id: m.to_string(),
                label: m.rsplit('.').next().unwrap_or(m).to_string(),
                kind: "module".into(),
                location: file
                    .and_then(|&f| summaries.get(f as usize))
                    .map(|s| Location {
                        path: s.path.clone(),
                        range: TextRange::default(),
                    }),
                data,
            });
        }
        for from in &nodes {
            let mut by_target: BTreeMap<&str, Vec<&Dep>> = BTreeMap::new();
            for d in self.deps.get(*from).into_iter().flatten() {
                if node_set.contains(d.to.as_str()) && d.to != *from {
                    by_target.entry(&d.to).or_default().push(d);
                }
            }
            for (to, deps) in by_target {
                let lines: Vec<u32> = deps
                    .iter()
                    .filter_map(|d| {
                        let s = summaries.get(d.file as usize)?;
                        let imp = s.imports.get(d.import as usize)?;
                        Some(s.line_index.line_of(imp.range.start))
                    })
                    .collect();
                g.edges.push(Edge {
                    from: from.to_string(),
                    to: to.to_string(),
                    kind: "import".into(),
                    data: json!({
                        "typeChecking": deps.iter().all(|d| d.type_checking),
                        "inFunction": deps.iter().all(|d| d.in_function),
                        "lines": lines,
                    }),
                });
            }
        }
        for (top, importers) in &self.external {
            let from: Vec<&(String, u32, u32)> = importers
                .iter()
                .filter(|(m, _, _)| node_set.contains(m.as_str()))
                .collect();
            if from.is_empty() {
                continue;
            }
            g.nodes.push(Node {
                id: top.clone(),
                label: top.clone(),
                kind: "external-module".into(),
                location: None,
                data: json!({ "importedBy": importers.len() }),
            });
            for (m, _, _) in from {
                g.edges.push(Edge {
                    from: m.clone(),
                    to: top.clone(),
                    kind: "import".into(),
                    data: json!({ "external": true }),
                });
            }
        }
        g.truncated = keep.is_some() && nodes.len() < self.file_of_module.len();
        g
    }

    /// Modules within `depth` steps of `focus` (imports and importers), with
    /// their distance.
    fn neighbourhood(&self, focus: &str, depth: u32) -> HashMap<String, u32> {
        let mut dist = HashMap::new();
        if !self.index.contains(focus) {
            return dist;
        }
        dist.insert(focus.to_string(), 0);
        let mut queue = VecDeque::from([(focus.to_string(), 0u32)]);
        while let Some((m, d)) = queue.pop_front() {
            if d >= depth {
                continue;
            }
            let out = self.imports_of(&m).into_iter().map(str::to_string);
            let inc = self.importers_of(&m).iter().cloned();
            for n in out.chain(inc).collect::<Vec<_>>() {
                if !dist.contains_key(&n) {
                    dist.insert(n.clone(), d + 1);
                    queue.push_back((n, d + 1));
                }
            }
        }
        dist
    }
}
