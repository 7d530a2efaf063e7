//! Builds a file's [`IacFile`] from the extraction: which calls construct
//! resources (by their qualified names), what they are bound to (the
//! extraction's assignments), their keyword arguments (evaluated here from the
//! call's syntax node, keeping structure), the methods called on them later,
//! and the references between them.

use super::catalog::{self, Recognized};
use super::expr::{Arg, Expr, V};
use super::{IacFile, MethodCall, RegionHint, Resource};
use crate::index::extract::{Assignment, Extraction};
use crate::index::{dotted_text, eval_value, node_text, DynKind, Scope, Taint, Value};
use crate::syntax::kinds;
use crate::text::TextRange;
use smol_str::SmolStr;
use std::collections::HashMap;
use tree_sitter::{Node, Tree};

const MAX_DEPTH: u32 = 24;

/// The resource model of one file, or `None` when the file imports no IaC
/// framework (the common case costs one scan of the imports).
pub fn build(src: &str, tree: &Tree, ex: &Extraction) -> Option<Box<IacFile>> {
    if !ex.imports.iter().any(|i| catalog::is_iac_module(&i.module)) {
        return None;
    }
    let mut cx = Ctx::new(src, tree, ex);
    cx.recognize();
    cx.bind_vars();
    let mut resources = Vec::with_capacity(cx.found.len());
    for i in 0..cx.found.len() {
        resources.push(cx.resource(i));
    }
    cx.attach_methods(&mut resources);
    for r in &mut resources {
        r.refs = collect_refs(r);
    }
    let region = cx.region_hint();
    Some(Box::new(IacFile { resources, region }))
}

/// (bound at byte offset, resource index)
type Binding = (u32, u32);

struct Found {
    call: usize,
    rec: Recognized,
}

struct Ctx<'a> {
    src: &'a str,
    tree: &'a Tree,
    ex: &'a Extraction,
    imports: HashMap<&'a str, String>,
    /// call range -> index in `ex.calls`
    calls: HashMap<(u32, u32), usize>,
    found: Vec<Found>,
    /// call range -> resource index
    res_at: HashMap<(u32, u32), u32>,
    /// (scope def, variable) -> (bound at, resource index)
    vars: HashMap<(Option<u32>, SmolStr), Vec<Binding>>,
    /// resource call range -> the variable it is assigned to
    targets: HashMap<(u32, u32), SmolStr>,
}

fn key(r: TextRange) -> (u32, u32) {
    (r.start, r.end)
}

impl<'a> Ctx<'a> {
    fn new(src: &'a str, tree: &'a Tree, ex: &'a Extraction) -> Self {
        let imports = ex
            .imports
            .iter()
            .map(|i| (i.bound_name(), i.target()))
            .collect();
        let calls = ex
            .calls
            .iter()
            .enumerate()
            .map(|(i, c)| (key(c.range), i))
            .collect();
        Ctx {
            src,
            tree,
            ex,
            imports,
            calls,
            found: Vec::new(),
            res_at: HashMap::new(),
            vars: HashMap::new(),
            targets: HashMap::new(),
        }
    }

    fn recognize(&mut self) {
        for (i, call) in self.ex.calls.iter().enumerate() {
            let positional = call.args.iter().filter(|a| a.keyword.is_none()).count();
            let has_id = call.keyword("id").is_some() || call.keyword("resource_name").is_some();
            if let Some(rec) = catalog::classify(&call.qualified, positional, has_id) {
                self.res_at.insert(key(call.range), self.found.len() as u32);
                self.found.push(Found { call: i, rec });
            }
        }
    }

    /// The scope a binding lives in: `self.x` belongs to the enclosing class.
    fn binding_scope(&self, target: &str, def: Option<u32>) -> Option<u32> {
        if target.starts_with("self.") {
            let d = def.and_then(|d| self.ex.defs.get(d as usize))?;
            return d.parent;
        }
        def
    }

    fn bind_vars(&mut self) {
        for a in &self.ex.assignments {
            if let Some(&res) = self.res_at.get(&key(a.value_range)) {
                self.targets
                    .entry(key(a.value_range))
                    .or_insert_with(|| a.target.clone());
                let scope = self.binding_scope(&a.target, a.enclosing);
                self.vars
                    .entry((scope, a.target.clone()))
                    .or_default()
                    .push((a.range.start, res));
            }
        }
    }

    fn scope_chain(&self, def: Option<u32>) -> Vec<Option<u32>> {
        let mut out = Vec::new();
        let mut cur = def;
        let mut guard = 0;
        while let Some(d) = cur {
            out.push(Some(d));
            cur = self.ex.defs.get(d as usize).and_then(|x| x.parent);
            guard += 1;
            if guard > 64 {
                break;
            }
        }
        out.push(None);
        out
    }

    /// The resource bound to `name` (`bucket`, `self.bucket`) seen from `def`:
    /// the latest binding before the use in the same scope, else the last one
    /// (a function may run after module code that binds later).
    fn resource_var(&self, name: &str, def: Option<u32>) -> Option<u32> {
        self.resource_var_at(name, def, u32::MAX)
    }

    fn resource_var_at(&self, name: &str, def: Option<u32>, at: u32) -> Option<u32> {
        for scope in self.scope_chain(def) {
            if let Some(list) = self.vars.get(&(scope, SmolStr::new(name))) {
                let before = list.iter().rev().find(|(bound, _)| *bound < at);
                if let Some(&(_, res)) = before.or(list.last()) {
                    return Some(res);
                }
            }
        }
        None
    }

    /// Longest dotted prefix of `dotted` naming a resource: (resource, rest).
    fn resource_prefix<'d>(&self, dotted: &'d str, def: Option<u32>) -> Option<(u32, &'d str)> {
        let mut end = dotted.len();
        loop {
            let head = &dotted[..end];
            if !head.contains("()") {
                if let Some(r) = self.resource_var(head, def) {
                    let rest = dotted[end..].trim_start_matches('.');
                    return Some((r, rest));
                }
            }
            end = head.rfind('.')?;
        }
    }

    fn assignment(&self, name: &str, def: Option<u32>, at: u32) -> Option<&'a Assignment> {
        for scope in self.scope_chain(def) {
            let hit = self
                .ex
                .assignments
                .iter()
                .rev()
                .find(|a| a.enclosing == scope && a.target == name && a.range.end <= at);
            if hit.is_some() {
                return hit;
            }
            if scope.is_some() && self.is_param_of(scope, name) {
                return None;
            }
        }
        None
    }

    fn is_param_of(&self, def: Option<u32>, name: &str) -> bool {
        def.and_then(|d| self.ex.defs.get(d as usize))
            .is_some_and(|d| d.params.iter().any(|p| p.name == name))
    }

    fn qualify(&self, dotted: &str) -> Option<String> {
        let split = dotted.find('.').unwrap_or(dotted.len());
        let (head, rest) = dotted.split_at(split);
        self.imports.get(head).map(|t| format!("{t}{rest}"))
    }

    fn node_at(&self, r: TextRange) -> Option<Node<'a>> {
        let mut n = self
            .tree
            .root_node()
            .descendant_for_byte_range(r.start as usize, r.end as usize)?;
        while (n.start_byte() as u32, n.end_byte() as u32) != (r.start, r.end) {
            n = n.parent()?;
        }
        Some(n)
    }

    fn resource(&self, i: usize) -> Resource {
        let f = &self.found[i];
        let call = &self.ex.calls[f.call];
        let def = call.enclosing;
        let args = self
            .node_at(call.range)
            .and_then(|n| n.child_by_field_id(crate::syntax::fields::ARGUMENTS))
            .map(|a| self.args(a, def, 0))
            .unwrap_or_default();
        let name = args
            .iter()
            .find(|a| a.name.as_deref() == Some(f.rec.name_keyword))
            .or_else(|| {
                args.iter()
                    .filter(|a| a.name.is_none())
                    .nth(f.rec.name_index)
            })
            .map(|a| a.value.clone())
            .unwrap_or_else(|| Expr::unknown(call.callee_range, "?"));
        let mut props: Vec<Arg> = Vec::new();
        let mut positional = 0;
        for a in args {
            if a.name.is_some() {
                props.push(a);
                continue;
            }
            // Pulumi's `Bucket("b", BucketArgs(...))`: the args object's keywords.
            if positional > f.rec.name_index
                && a.value.callee().is_some_and(|c| c.ends_with("Args"))
            {
                props.extend(
                    a.value
                        .call_args()
                        .iter()
                        .filter(|x| x.name.is_some())
                        .cloned(),
                );
            }
            positional += 1;
        }
        let var = self.targets.get(&key(call.range)).cloned();
        Resource {
            framework: f.rec.framework,
            cloud: f.rec.cloud,
            kind: f.rec.kind,
            constructor: call.qualified.clone(),
            type_name: f.rec.type_name.clone(),
            name,
            var,
            range: call.range,
            callee_range: call.callee_range,
            args_range: call.args_range,
            props,
            methods: Vec::new(),
            refs: Vec::new(),
            has_star_kwargs: call.has_star_kwargs,
        }
    }

    fn attach_methods(&self, resources: &mut [Resource]) {
        for call in &self.ex.calls {
            if self.res_at.contains_key(&key(call.range)) || !call.callee.contains('.') {
                continue;
            }
            let Some((res, rest)) = self.resource_prefix(&call.callee, call.enclosing) else {
                continue;
            };
            if rest.is_empty() {
                continue;
            }
            let args = self
                .node_at(call.range)
                .and_then(|n| n.child_by_field_id(crate::syntax::fields::ARGUMENTS))
                .map(|a| self.args(a, call.enclosing, 0))
                .unwrap_or_default();
            if let Some(r) = resources.get_mut(res as usize) {
                r.methods.push(MethodCall {
                    name: SmolStr::new(rest),
                    args,
                    range: call.range,
                    callee_range: call.callee_range,
                });
            }
        }
    }

    fn args(&self, list: Node, def: Option<u32>, depth: u32) -> Vec<Arg> {
        let mut out = Vec::new();
        let mut c = list.walk();
        for a in list.named_children(&mut c) {
            let range = TextRange::new(a.start_byte(), a.end_byte());
            match kinds::name(a) {
                "keyword_argument" => {
                    let name = a
                        .child_by_field_id(crate::syntax::fields::NAME)
                        .map(|n| SmolStr::new(node_text(n, self.src)));
                    let value = match a.child_by_field_id(crate::syntax::fields::VALUE) {
                        Some(v) => self.eval(v, def, depth + 1),
                        None => Expr::unknown(range, ""),
                    };
                    out.push(Arg { name, value, range });
                }
                "comment" | "list_splat" | "dictionary_splat" => {}
                _ => out.push(Arg {
                    name: None,
                    value: self.eval(a, def, depth + 1),
                    range,
                }),
            }
        }
        out
    }

    fn eval(&self, node: Node, def: Option<u32>, depth: u32) -> Expr {
        let range = TextRange::new(node.start_byte(), node.end_byte());
        let text = node_text(node, self.src);
        if depth > MAX_DEPTH {
            return Expr::unknown(range, text);
        }
        let v = match kinds::name(node) {
            "parenthesized_expression" => {
                return match node.named_child(0) {
                    Some(inner) => self.eval(inner, def, depth + 1),
                    None => Expr::unknown(range, text),
                }
            }
            "list" | "tuple" => {
                let mut c = node.walk();
                V::List(
                    node.named_children(&mut c)
                        .filter(|n| kinds::name(n) != "comment")
                        .map(|n| self.eval(n, def, depth + 1))
                        .collect(),
                )
            }
            "dictionary" => {
                let mut c = node.walk();
                let mut pairs = Vec::new();
                for p in node.named_children(&mut c) {
                    if kinds::name(p) != "pair" {
                        continue;
                    }
                    let (Some(k), Some(v)) = (
                        p.child_by_field_id(crate::syntax::fields::KEY),
                        p.child_by_field_id(crate::syntax::fields::VALUE),
                    ) else {
                        continue;
                    };
                    let key = self.eval(k, def, depth + 1);
                    let key = match key.as_str() {
                        Some(s) => SmolStr::new(s),
                        None => SmolStr::new(node_text(k, self.src)),
                    };
                    pairs.push((key, self.eval(v, def, depth + 1)));
                }
                V::Dict(pairs)
            }
            "identifier" => return self.eval_name(node, text, def, depth),
            "attribute" => {
                if let Some(doc) = self.policy_document(node, def, depth) {
                    return doc;
                }
                self.eval_attribute(node, def)
            }
            "call" => return self.eval_call(node, def, depth),
            _ => {
                let scope = EvalScope { cx: self, def };
                from_value(eval_value(node, self.src, &scope), range)
            }
        };
        Expr { range, v }
    }

    fn eval_name(&self, node: Node, text: &str, def: Option<u32>, depth: u32) -> Expr {
        let range = TextRange::new(node.start_byte(), node.end_byte());
        if let Some(res) = self.resource_var_at(text, def, node.start_byte() as u32) {
            return Expr {
                range,
                v: V::Ref {
                    resource: res,
                    attr: SmolStr::default(),
                },
            };
        }
        if let Some(a) = self.assignment(text, def, node.start_byte() as u32) {
            if a.value.is_constant() {
                return Expr {
                    range,
                    v: from_value(a.value.clone(), range),
                };
            }
            if let Some(value_node) = self.node_at(a.value_range) {
                let mut e = self.eval(value_node, a.enclosing, depth + 1);
                e.range = range;
                return e;
            }
        }
        if let Some(q) = self.qualify(text) {
            return Expr {
                range,
                v: V::Enum(q.into()),
            };
        }
        Expr::unknown(range, text)
    }

    fn eval_attribute(&self, node: Node, def: Option<u32>) -> V {
        let dotted = dotted_text(node, self.src);
        if let Some((res, rest)) = self.resource_prefix(&dotted, def) {
            return V::Ref {
                resource: res,
                attr: SmolStr::new(rest),
            };
        }
        if !dotted.contains("()") {
            if let Some(q) = self.qualify(&dotted) {
                return V::Enum(q.into());
            }
        }
        V::Unknown(crate::index::truncate_text(node_text(node, self.src)))
    }

    /// `doc.json` where `doc = aws.iam.get_policy_document(...)`: the document call.
    fn policy_document(&self, node: Node, def: Option<u32>, depth: u32) -> Option<Expr> {
        let object = node.child_by_field_id(crate::syntax::fields::OBJECT)?;
        if kinds::name(object) != "identifier" {
            return None;
        }
        let a = self.assignment(node_text(object, self.src), def, node.start_byte() as u32)?;
        let value = self.node_at(a.value_range)?;
        if kinds::name(value) != "call" {
            return None;
        }
        let callee = self
            .calls
            .get(&key(a.value_range))
            .map(|&i| self.ex.calls[i].qualified.as_str())?;
        if !callee.contains("get_policy_document") {
            return None;
        }
        Some(self.eval(value, a.enclosing, depth + 1))
    }

    fn eval_call(&self, node: Node, def: Option<u32>, depth: u32) -> Expr {
        let range = TextRange::new(node.start_byte(), node.end_byte());
        if let Some(&res) = self.res_at.get(&key(range)) {
            return Expr {
                range,
                v: V::Ref {
                    resource: res,
                    attr: SmolStr::default(),
                },
            };
        }
        let func = node.child_by_field_id(crate::syntax::fields::FUNCTION);
        let callee_text = func.map(|f| dotted_text(f, self.src)).unwrap_or_default();
        let qualified = match self.calls.get(&key(range)) {
            Some(&i) => self.ex.calls[i].qualified.to_string(),
            None => self
                .qualify(&callee_text)
                .unwrap_or_else(|| callee_text.to_string()),
        };
        let args = node
            .child_by_field_id(crate::syntax::fields::ARGUMENTS)
            .map(|a| self.args(a, def, depth + 1))
            .unwrap_or_default();
        if let Some(config) = config_read(&qualified, &args, func, self.src) {
            return Expr { range, v: config };
        }
        if let Some((res, rest)) = self.resource_prefix(&callee_text, def) {
            return Expr {
                range,
                v: V::Ref {
                    resource: res,
                    attr: SmolStr::new(format!("{rest}()")),
                },
            };
        }
        Expr {
            range,
            v: V::Call {
                callee: qualified.into(),
                args,
            },
        }
    }

    fn region_hint(&self) -> Option<RegionHint> {
        for call in &self.ex.calls {
            let (cloud, kw) = if let Some(cloud) = catalog::is_provider(&call.qualified) {
                let kw = match cloud {
                    catalog::Cloud::Azure => "location",
                    _ => "region",
                };
                (cloud, kw)
            } else if call.qualified == "aws_cdk.Environment" {
                (catalog::Cloud::Aws, "region")
            } else {
                continue;
            };
            let Some(node) = self.node_at(call.range) else {
                continue;
            };
            let args = node
                .child_by_field_id(crate::syntax::fields::ARGUMENTS)
                .map(|a| self.args(a, call.enclosing, 0))
                .unwrap_or_default();
            if let Some(a) = args.iter().find(|a| a.name.as_deref() == Some(kw)) {
                let class = call.qualified.rsplit('.').next().unwrap_or("");
                return Some(RegionHint {
                    cloud,
                    value: a.value.clone(),
                    source: SmolStr::new(format!("{class}({kw}=…)")),
                });
            }
        }
        None
    }
}

/// `config.get("KEY")` / `pulumi.Config("ns").require_secret("KEY")`.
fn config_read(qualified: &str, args: &[Arg], func: Option<Node>, src: &str) -> Option<V> {
    let (head, method) = qualified.rsplit_once('.')?;
    if !(head == "pulumi.Config" || head.ends_with(".Config") && head.starts_with("pulumi")) {
        return None;
    }
    if !(method.starts_with("get") || method.starts_with("require")) {
        return None;
    }
    let key = args.first().and_then(|a| a.value.as_str())?;
    // A namespace given to the Config constructor: `pulumi.Config("aws")`.
    let ns = func
        .and_then(|f| f.child_by_field_id(crate::syntax::fields::OBJECT))
        .filter(|o| kinds::name(o) == "call")
        .and_then(|o| o.child_by_field_id(crate::syntax::fields::ARGUMENTS))
        .and_then(|a| a.named_child(0))
        .filter(|a| kinds::name(a) == "string")
        .map(|a| node_text(a, src).trim_matches(['"', '\'']).to_string());
    let key = match ns {
        Some(ns) if !ns.is_empty() => format!("{ns}:{key}"),
        _ => key.to_string(),
    };
    Some(V::Config {
        key: key.into(),
        secret: method.contains("secret"),
    })
}

/// A constant from the extraction; nested items get `range` (the use site).
fn from_value(v: Value, range: TextRange) -> V {
    match v {
        Value::Str(s) => V::Str(s),
        Value::Int(i) => V::Int(i),
        Value::Float(f) => V::Float(f),
        Value::Bool(b) => V::Bool(b),
        Value::None => V::None,
        Value::List(items) => V::List(
            items
                .into_vec()
                .into_iter()
                .map(|i| Expr {
                    range,
                    v: from_value(i, range),
                })
                .collect(),
        ),
        Value::ConstExpr(t) => V::Unknown(t),
        Value::Dynamic { text, .. } => V::Unknown(text),
    }
}

fn collect_refs(r: &Resource) -> Vec<(u32, SmolStr)> {
    let mut out: Vec<(u32, SmolStr)> = Vec::new();
    let mut push = |via: &SmolStr, e: &Expr| {
        e.walk(&mut |x| {
            if let V::Ref { resource, .. } = &x.v {
                if !out.iter().any(|(t, v)| t == resource && v == via) {
                    out.push((*resource, via.clone()));
                }
            }
        })
    };
    for a in &r.props {
        if let Some(n) = &a.name {
            push(n, &a.value);
        }
    }
    for m in &r.methods {
        for a in &m.args {
            push(&m.name, &a.value);
        }
    }
    out
}

/// The evaluator's scope for leaves (strings, f-strings, arithmetic).
struct EvalScope<'c, 'a> {
    cx: &'c Ctx<'a>,
    def: Option<u32>,
}

impl Scope for EvalScope<'_, '_> {
    fn lookup(&self, name: &str, at: u32) -> Option<Value> {
        if let Some(a) = self.cx.assignment(name, self.def, at) {
            return Some(a.value.clone());
        }
        if self
            .cx
            .scope_chain(self.def)
            .iter()
            .any(|d| self.cx.is_param_of(*d, name))
        {
            return Some(Value::Dynamic {
                kind: DynKind::Param,
                text: SmolStr::new(name),
                taint: Taint::PARAM,
            });
        }
        None
    }

    fn qualify(&self, dotted: &str, _at: u32) -> SmolStr {
        SmolStr::new(
            self.cx
                .qualify(dotted)
                .unwrap_or_else(|| dotted.to_string()),
        )
    }
}
