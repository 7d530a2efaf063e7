//! The call layer: call sites resolved to workspace definitions.
//!
//! Resolution, in order: `self.m()` / `cls.m()` / `super().m()` through the
//! enclosing class and its workspace bases; a nested function, then a
//! module-level definition of the same file; a dotted name qualified through
//! the file's imports (`from .util import helper as h; h()`), following
//! `__init__.py` re-exports; a class call goes to its `__init__`. All of these
//! are *exact*. An attribute call on an unknown object whose method name is
//! defined exactly once in the workspace is a *heuristic* edge. Calls through
//! an imported external name become external nodes (`subprocess.run`).

use super::module_graph::ModuleLayer;
use crate::index::{DefKind, FileSummary};
use smol_str::SmolStr;
use std::collections::HashMap;
use std::sync::Arc;

/// A node of the call graph.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum NodeRef {
    /// `defs[i]`.
    Def(u32),
    /// Module-level code of `files[i]`.
    Module(u32),
    /// `externals[i]`.
    External(u32),
}

#[derive(Clone, Debug)]
pub struct DefNode {
    /// `module.qualname`.
    pub id: String,
    pub file: u32,
    pub def: u32,
    pub kind: DefKind,
}

#[derive(Clone, Copy, Debug)]
pub struct CallEdge {
    pub caller: NodeRef,
    pub callee: NodeRef,
    pub file: u32,
    pub call: u32,
    pub exact: bool,
}

#[derive(Debug, Default)]
pub struct CallLayer {
    pub defs: Vec<DefNode>,
    pub def_by_id: HashMap<String, u32>,
    pub externals: Vec<String>,
    ext_by_name: HashMap<String, u32>,
    pub edges: Vec<CallEdge>,
    /// Edge indexes by caller / by callee.
    pub out: HashMap<NodeRef, Vec<u32>>,
    pub inc: HashMap<NodeRef, Vec<u32>>,
    /// Modules importing a definition by name (`from m import f`): def -> files.
    pub name_importers: HashMap<u32, Vec<u32>>,
    /// First global def index of each file.
    file_base: Vec<u32>,
}

struct Resolver<'a> {
    summaries: &'a [Arc<FileSummary>],
    modules: &'a ModuleLayer,
    /// Per file: qualname -> def index in the file.
    by_qualname: Vec<HashMap<&'a str, u32>>,
    /// Method name -> the only global def with that name (`None`: several).
    unique_methods: HashMap<&'a str, Option<(u32, u32)>>,
}

impl<'a> Resolver<'a> {
    fn new(summaries: &'a [Arc<FileSummary>], modules: &'a ModuleLayer) -> Self {
        let mut unique_methods: HashMap<&str, Option<(u32, u32)>> = HashMap::new();
        let by_qualname = summaries
            .iter()
            .enumerate()
            .map(|(fi, s)| {
                for (di, d) in s.defs.iter().enumerate() {
                    if d.kind == DefKind::Method && !d.name.starts_with("__") {
                        unique_methods
                            .entry(d.name.as_str())
                            .and_modify(|e| *e = None)
                            .or_insert(Some((fi as u32, di as u32)));
                    }
                }
                s.defs
                    .iter()
                    .enumerate()
                    .map(|(i, d)| (d.qualname.as_str(), i as u32))
                    .collect()
            })
            .collect();
        Self {
            summaries,
            modules,
            by_qualname,
            unique_methods,
        }
    }

    fn module_name(&self, file: u32) -> Option<&'a str> {
        self.modules.files.get(file as usize)?.module.as_deref()
    }

    /// A definition `rest` (`Class.method`, `func`) in `module`, following
    /// re-exports (`from .impl import func` in a package `__init__`).
    fn symbol(&self, module: &str, rest: &str, hops: u8) -> Option<(u32, u32)> {
        let &file = self.modules.file_of_module.get(module)?;
        if rest.is_empty() {
            return None;
        }
        if let Some(&d) = self.by_qualname[file as usize].get(rest) {
            return Some((file, d));
        }
        // `Class.method` inherited from a base class
        if let Some((class, method)) = rest.rsplit_once('.') {
            if let Some(&c) = self.by_qualname[file as usize].get(class) {
                if self.summaries[file as usize].defs[c as usize].kind == DefKind::Class {
                    return self.method(file, c, method, 4);
                }
            }
        }
        if hops == 0 {
            return None;
        }
        let (head, tail) = rest.split_once('.').unwrap_or((rest, ""));
        let s = &self.summaries[file as usize];
        let imp = s
            .imports
            .iter()
            .rev()
            .find(|i| i.bound_name() == head && i.name.as_deref() != Some("*"))?;
        let target = imp.target();
        let dotted = if tail.is_empty() {
            target
        } else {
            format!("{target}.{tail}")
        };
        let (m, r) = self.modules.index.split_reference(module, &dotted)?;
        self.symbol(&m, r, hops - 1)
    }

    /// The enclosing class (file-local def index) of a def, if it is a method.
    fn enclosing_class(&self, file: u32, def: Option<u32>) -> Option<u32> {
        let defs = &self.summaries[file as usize].defs;
        let mut cur = def?;
        loop {
            let d = defs.get(cur as usize)?;
            if d.kind == DefKind::Class {
                return Some(cur);
            }
            cur = d.parent?;
        }
    }

    /// `method` on class `class` of `file`, or on its workspace bases.
    fn method(&self, file: u32, class: u32, method: &str, depth: u8) -> Option<(u32, u32)> {
        let s = &self.summaries[file as usize];
        let c = s.defs.get(class as usize)?;
        let q = format!("{}.{method}", c.qualname);
        if let Some(&d) = self.by_qualname[file as usize].get(q.as_str()) {
            return Some((file, d));
        }
        if depth == 0 {
            return None;
        }
        c.bases
            .iter()
            .find_map(|b| self.base_method(file, b, method, depth - 1))
    }

    fn base_method(&self, file: u32, base: &str, method: &str, depth: u8) -> Option<(u32, u32)> {
        let (bf, bd) = self.reference(file, base)?;
        if self.summaries[bf as usize].defs.get(bd as usize)?.kind != DefKind::Class {
            return None;
        }
        self.method(bf, bd, method, depth)
    }

    /// A name as written in `file` (`helper`, `mod.Class`, `Base`) to a def.
    fn reference(&self, file: u32, written: &str) -> Option<(u32, u32)> {
        if let Some(&d) = self.by_qualname[file as usize].get(written) {
            return Some((file, d));
        }
        let s = &self.summaries[file as usize];
        let (head, tail) = written.split_once('.').unwrap_or((written, ""));
        let imp = s.imports.iter().rev().find(|i| i.bound_name() == head)?;
        let target = imp.target();
        let dotted = if tail.is_empty() {
            target
        } else {
            format!("{target}.{tail}")
        };
        let module = self.module_name(file)?;
        let (m, r) = self.modules.index.split_reference(module, &dotted)?;
        self.symbol(&m, r, 3)
    }

    /// Resolves call `ci` of `file`: `(target, exact)` or an external name.
    fn call(&self, file: u32, ci: usize) -> Option<Resolution> {
        let s = &self.summaries[file as usize];
        let c = s.calls.get(ci)?;
        let callee = c.callee.as_str();
        if let Some(m) = callee
            .strip_prefix("self.")
            .or_else(|| callee.strip_prefix("cls."))
        {
            if m.contains(['.', '(']) {
                return self.heuristic(callee);
            }
            let class = self.enclosing_class(file, c.enclosing)?;
            return self
                .method(file, class, m, 4)
                .map(|d| Resolution::Def(d, true))
                .or_else(|| self.heuristic(callee));
        }
        if let Some(m) = callee.strip_prefix("super().") {
            let class = self.enclosing_class(file, c.enclosing)?;
            let cd = s.defs.get(class as usize)?;
            return cd
                .bases
                .iter()
                .find_map(|b| self.base_method(file, b, m, 4))
                .map(|d| Resolution::Def(d, true));
        }
        // `Order("a").total` / `boto3.client("s3").put_object`: drop the
        // argument lists, keep the dotted path
        let stripped = strip_calls(&c.qualified);
        let q = stripped.as_str();
        let callee_owned = strip_calls(callee);
        let callee = callee_owned.as_str();
        // a nested function of the enclosing def, then a module-level def
        if let Some(e) = c.enclosing.and_then(|e| s.defs.get(e as usize)) {
            let nested = format!("{}.{callee}", e.qualname);
            if let Some(&d) = self.by_qualname[file as usize].get(nested.as_str()) {
                return Some(Resolution::Def((file, d), true));
            }
        }
        if let Some(&d) = self.by_qualname[file as usize].get(callee) {
            return Some(Resolution::Def((file, d), true));
        }
        let module = self.module_name(file)?;
        if let Some((m, rest)) = self.modules.index.split_reference(module, q) {
            if let Some(d) = self.symbol(&m, rest, 4) {
                return Some(Resolution::Def(d, true));
            }
        }
        let head = callee.split('.').next().unwrap_or(callee);
        let imported = s.imports.iter().any(|i| i.bound_name() == head);
        if imported || q != callee {
            if q.starts_with('.') || self.modules.index.split_reference(module, q).is_some() {
                return None; // a workspace name we could not find: ARC002's business
            }
            return Some(Resolution::External(q.into()));
        }
        if callee.contains('.') {
            return self.heuristic(callee);
        }
        None
    }

    fn heuristic(&self, callee: &str) -> Option<Resolution> {
        let name = callee.rsplit('.').next()?;
        match self.unique_methods.get(name) {
            Some(Some(d)) => Some(Resolution::Def(*d, false)),
            _ => None,
        }
    }
}

/// `a(x).b(y, z).c` -> `a.b.c`.
fn strip_calls(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut depth = 0u32;
    for ch in s.chars() {
        match ch {
            '(' | '[' => depth += 1,
            ')' | ']' => depth = depth.saturating_sub(1),
            _ if depth == 0 => out.push(ch),
            _ => {}
        }
    }
    out
}

enum Resolution {
    Def((u32, u32), bool),
    External(SmolStr),
}

impl CallLayer {
    pub fn build(summaries: &[Arc<FileSummary>], modules: &ModuleLayer) -> Self {
        let r = Resolver::new(summaries, modules);
        let mut layer = CallLayer::default();
        for (fi, s) in summaries.iter().enumerate() {
            layer.file_base.push(layer.defs.len() as u32);
            let module = modules.files.get(fi).and_then(|f| f.module.as_deref());
            for (di, d) in s.defs.iter().enumerate() {
                let id = match module {
                    Some(m) => format!("{m}.{}", d.qualname),
                    None => d.qualname.to_string(),
                };
                layer
                    .def_by_id
                    .entry(id.clone())
                    .or_insert(layer.defs.len() as u32);
                layer.defs.push(DefNode {
                    id,
                    file: fi as u32,
                    def: di as u32,
                    kind: d.kind,
                });
            }
        }
        for (fi, s) in summaries.iter().enumerate() {
            let fi = fi as u32;
            for (ci, c) in s.calls.iter().enumerate() {
                let Some(res) = r.call(fi, ci) else { continue };
                let caller = match c.enclosing {
                    Some(e) => NodeRef::Def(layer.file_base[fi as usize] + e),
                    None => NodeRef::Module(fi),
                };
                let (callee, exact) = match res {
                    Resolution::Def((f, d), exact) => {
                        let g = layer.global(f, d);
                        (NodeRef::Def(layer.constructor(g)), exact)
                    }
                    Resolution::External(name) => (NodeRef::External(layer.external(&name)), true),
                };
                let e = layer.edges.len() as u32;
                layer.edges.push(CallEdge {
                    caller,
                    callee,
                    file: fi,
                    call: ci as u32,
                    exact,
                });
                layer.out.entry(caller).or_default().push(e);
                layer.inc.entry(callee).or_default().push(e);
            }
            // `from m import name` where name is a workspace def
            let Some(entry) = modules.files.get(fi as usize) else {
                continue;
            };
            for t in &entry.imports {
                if let super::modules::Target::Internal {
                    module: m,
                    name: Some(n),
                } = t
                {
                    if let Some((f, d)) = r.symbol(m, n, 4) {
                        let g = layer.global(f, d);
                        let list = layer.name_importers.entry(g).or_default();
                        if !list.contains(&fi) {
                            list.push(fi);
                        }
                    }
                }
            }
        }
        layer
    }

    pub fn global(&self, file: u32, def: u32) -> u32 {
        self.file_base.get(file as usize).copied().unwrap_or(0) + def
    }

    /// The def index of `file`'s local def `def`, if in range.
    pub fn def_of(&self, file: u32, def: u32) -> Option<u32> {
        let g = self.global(file, def);
        self.defs
            .get(g as usize)
            .filter(|d| d.file == file && d.def == def)
            .map(|_| g)
    }

    /// Calling a class runs its `__init__` when it defines one.
    fn constructor(&self, g: u32) -> u32 {
        let Some(d) = self.defs.get(g as usize) else {
            return g;
        };
        if d.kind != DefKind::Class {
            return g;
        }
        let init = format!("{}.__init__", d.id);
        self.def_by_id.get(&init).copied().unwrap_or(g)
    }

    fn external(&mut self, name: &str) -> u32 {
        if let Some(&i) = self.ext_by_name.get(name) {
            return i;
        }
        let i = self.externals.len() as u32;
        self.externals.push(name.to_string());
        self.ext_by_name.insert(name.to_string(), i);
        i
    }

    pub fn outgoing(&self, n: NodeRef) -> impl Iterator<Item = &CallEdge> {
        self.out
            .get(&n)
            .into_iter()
            .flatten()
            .filter_map(|&e| self.edges.get(e as usize))
    }

    pub fn incoming(&self, n: NodeRef) -> impl Iterator<Item = &CallEdge> {
        self.inc
            .get(&n)
            .into_iter()
            .flatten()
            .filter_map(|&e| self.edges.get(e as usize))
    }

    /// Where call `call` of `file` goes, if it was resolved.
    pub fn outgoing_of_call(&self, file: u32, call: u32) -> Option<NodeRef> {
        // edges are built file by file, call by call: sorted by (file, call)
        self.edges
            .binary_search_by_key(&(file, call), |e| (e.file, e.call))
            .ok()
            .map(|i| self.edges[i].callee)
    }

    /// Resolves a user-given symbol: a def id (`pkg.mod.Class.method`).
    pub fn find(&self, id: &str) -> Option<u32> {
        self.def_by_id.get(id).copied()
    }

    /// Nested defs of `g` (methods of a class, inner functions), `g` included.
    pub fn with_children(&self, summaries: &[Arc<FileSummary>], g: u32) -> Vec<u32> {
        let Some(d) = self.defs.get(g as usize) else {
            return Vec::new();
        };
        let Some(s) = summaries.get(d.file as usize) else {
            return vec![g];
        };
        let mut out = vec![g];
        let mut i = 0;
        while i < out.len() {
            let parent = self.defs[out[i] as usize].def;
            for (di, x) in s.defs.iter().enumerate() {
                if x.parent == Some(parent) {
                    out.push(self.global(d.file, di as u32));
                }
            }
            i += 1;
        }
        out
    }
}
