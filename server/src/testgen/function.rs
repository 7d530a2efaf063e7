//! Tests for one function or method: inputs from annotations, defaults and
//! guards; a mock for every external effect, patched where the module looks
//! it up; assertions for what the code determines.

use super::render::{py_str, string_literal, Env, Renderer};
use super::values::{candidates, env_sample, names_in, sample, Eval, PyVal};
use crate::index::{CallSite, Def, DefKind, EffectKind, FileSummary, Import, ParamKind};
use std::collections::{BTreeSet, HashMap};
use tree_sitter::Node;

/// One generated pytest function.
#[derive(Clone, Debug)]
pub struct TestCase {
    pub name: String,
    /// `module.qualname` of the function under test.
    pub target: String,
    pub code: String,
    pub skipped: bool,
    /// Standard modules the code uses (`os`, `json`, `pathlib`, `re`, `asyncio`).
    pub needs: BTreeSet<&'static str>,
    /// Name imported from the module under test.
    pub import_name: String,
}

pub struct Ctx<'a> {
    pub src: &'a str,
    pub root: Node<'a>,
    pub summary: &'a FileSummary,
    pub module: &'a str,
    pub alias: &'a str,
}

const BUILTIN_EXCEPTIONS: &[&str] = &[
    "Exception",
    "ValueError",
    "TypeError",
    "KeyError",
    "RuntimeError",
    "FileNotFoundError",
    "PermissionError",
    "OSError",
    "IOError",
    "LookupError",
    "IndexError",
    "NotImplementedError",
    "TimeoutError",
    "ConnectionError",
    "AssertionError",
    "AttributeError",
    "SystemExit",
];

/// Calls that are not effects but must never really run in a unit test.
const ALSO_MOCKED: &[&str] = &["time.sleep", "getpass.getpass"];

const MUTATORS: &[&str] = &[
    "append",
    "extend",
    "insert",
    "update",
    "pop",
    "remove",
    "add",
    "clear",
    "setdefault",
    "discard",
];

pub fn snake(s: &str) -> String {
    let mut out = String::new();
    let mut prev_lower = false;
    for c in s.chars() {
        if c == '.' || c == '-' {
            out.push('_');
            prev_lower = false;
        } else if c.is_ascii_uppercase() {
            if prev_lower {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
            prev_lower = false;
        } else {
            out.push(c);
            prev_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        }
    }
    out.trim_matches('_').to_string()
}

fn node_for<'t>(root: Node<'t>, start: u32, end: u32, kind: &str) -> Option<Node<'t>> {
    let mut n = root.descendant_for_byte_range(start as usize, end as usize)?;
    loop {
        if n.kind() == kind && n.start_byte() == start as usize && n.end_byte() == end as usize {
            return Some(n);
        }
        n = n.parent()?;
    }
}

struct Guard<'t> {
    cond: Node<'t>,
    exc: String,
    message: Option<String>,
}

struct Patch {
    object: String,
    attr: String,
    var: String,
    kind: PatchKind,
    /// The qualified name the mock stands for (`requests.post`, `boto3`).
    stands_for: String,
}

#[derive(PartialEq)]
enum PatchKind {
    Mock,
    MockOpen,
    /// A builtin the module does not define (`input`): patched with
    /// `raising=False`.
    Builtin,
}

struct Inputs<'a> {
    vals: HashMap<String, PyVal>,
    passed: Vec<&'a crate::index::Param>,
    happy_ok: bool,
    variants: Vec<(String, Vec<PyVal>)>,
}

struct Mocks<'t> {
    patches: Vec<Patch>,
    asserted: Vec<Asserted<'t>>,
    files: Vec<FileCheck<'t>>,
    precreate: Vec<String>,
}

struct Asserted<'t> {
    mock: String,
    node: Node<'t>,
}

struct FileCheck<'t> {
    path: String,
    with_body: Option<Node<'t>>,
    alias: Option<String>,
}

pub fn generate(ctx: &Ctx, def_idx: usize) -> Vec<TestCase> {
    let Some(def) = ctx.summary.defs.get(def_idx) else {
        return Vec::new();
    };
    let Some(func) = node_for(
        ctx.root,
        def.range.start,
        def.range.end,
        "function_definition",
    ) else {
        return Vec::new();
    };
    let Some(body) = func.child_by_field_id(crate::syntax::fields::BODY) else {
        return Vec::new();
    };
    if !at_module_level(func) {
        return Vec::new(); // under `if`/`try`: may not exist on this platform
    }
    let g = Gen::new(ctx, def_idx, def, func, body);
    g.tests()
}

struct Gen<'a, 't> {
    ctx: &'a Ctx<'t>,
    def_idx: usize,
    def: &'a Def,
    body: Node<'t>,
    /// For methods: the class and its `__init__`.
    class: Option<&'a Def>,
    init: Option<(usize, Node<'t>)>,
    constants: HashMap<String, PyVal>,
    imports: Vec<&'a Import>,
}

impl<'a, 't> Gen<'a, 't> {
    fn new(
        ctx: &'a Ctx<'t>,
        def_idx: usize,
        def: &'a Def,
        _func: Node<'t>,
        body: Node<'t>,
    ) -> Self {
        let s = ctx.summary;
        let class = (def.kind == DefKind::Method)
            .then(|| def.parent.and_then(|p| s.defs.get(p as usize)))
            .flatten();
        let init = class.and_then(|_| {
            let (i, d) = s
                .defs
                .iter()
                .enumerate()
                .find(|(_, d)| d.parent == def.parent && d.name == "__init__")?;
            let n = node_for(ctx.root, d.range.start, d.range.end, "function_definition")?;
            Some((i, n.child_by_field_id(crate::syntax::fields::BODY)?))
        });
        let constants = s
            .constants
            .iter()
            .filter_map(|c| Some((c.name.to_string(), PyVal::from_value(&c.value)?)))
            .collect();
        let imports = s.imports.iter().filter(|i| !i.in_function).collect();
        Gen {
            ctx,
            def_idx,
            def,
            body,
            class,
            init,
            constants,
            imports,
        }
    }

    fn text(&self, n: Node) -> &'t str {
        self.ctx.src.get(n.byte_range()).unwrap_or("")
    }

    fn target(&self) -> String {
        format!("{}.{}", self.ctx.module, self.def.qualname)
    }

    /// Parameters the test passes or binds (no self/cls, no */**).
    fn params(&self, def: &'a Def) -> Vec<&'a crate::index::Param> {
        let mut ps: Vec<_> = def
            .params
            .iter()
            .filter(|p| matches!(p.kind, ParamKind::Positional | ParamKind::KeywordOnly))
            .collect();
        if def.kind == DefKind::Method
            && !def.decorators.iter().any(|d| d == "staticmethod")
            && !ps.is_empty()
        {
            ps.remove(0);
        }
        ps
    }

    fn guards(&self) -> Vec<Guard<'t>> {
        let mut out = Vec::new();
        let mut c = self.body.walk();
        for stmt in self.body.named_children(&mut c) {
            if stmt.kind() != "if_statement" {
                continue;
            }
            let (Some(cond), Some(block)) = (
                stmt.child_by_field_id(crate::syntax::fields::CONDITION),
                stmt.child_by_field_id(crate::syntax::fields::CONSEQUENCE),
            ) else {
                continue;
            };
            let mut bc = block.walk();
            let Some(raise) = block
                .named_children(&mut bc)
                .find(|s| s.kind() == "raise_statement")
            else {
                continue;
            };
            let Some(expr) = raise.named_child(0) else {
                continue;
            };
            let (exc_node, message) = if expr.kind() == "call" {
                let msg = expr
                    .child_by_field_id(crate::syntax::fields::ARGUMENTS)
                    .and_then(|a| a.named_child(0))
                    .and_then(|m| string_literal(m, self.ctx.src));
                (expr.child_by_field_id(crate::syntax::fields::FUNCTION), msg)
            } else {
                (Some(expr), None)
            };
            let Some(exc_node) = exc_node else { continue };
            let exc = self.text(exc_node);
            let exc = if BUILTIN_EXCEPTIONS.contains(&exc) {
                exc.to_string()
            } else {
                format!("{}.{exc}", self.ctx.alias)
            };
            out.push(Guard { cond, exc, message });
        }
        out
    }

    fn all_false(&self, guards: &[Guard], upto: usize, vals: &HashMap<String, PyVal>) -> bool {
        let ev = Eval {
            src: self.ctx.src,
            vals,
            constants: &self.constants,
        };
        guards[..upto]
            .iter()
            .all(|g| ev.eval(g.cond).and_then(|v| v.truthy()) == Some(false))
    }

    /// Values making `guards[idx]` true and every earlier guard false.
    fn trigger(
        &self,
        guards: &[Guard],
        idx: usize,
        happy: &HashMap<String, PyVal>,
        params: &[String],
    ) -> Option<HashMap<String, PyVal>> {
        let g = &guards[idx];
        let mut names = Vec::new();
        names_in(g.cond, self.ctx.src, &mut names);
        for name in names.iter().filter(|n| params.contains(n)) {
            let ev = Eval {
                src: self.ctx.src,
                vals: happy,
                constants: &self.constants,
            };
            let mut cands = Vec::new();
            candidates(g.cond, name, &ev, &mut cands);
            for cand in cands {
                let mut vals = happy.clone();
                vals.insert(name.clone(), cand);
                let ev = Eval {
                    src: self.ctx.src,
                    vals: &vals,
                    constants: &self.constants,
                };
                if ev.eval(g.cond).and_then(|v| v.truthy()) == Some(true)
                    && self.all_false(guards, idx, &vals)
                {
                    return Some(vals);
                }
            }
        }
        None
    }

    /// Makes every guard false, trying the values the guards name.
    fn settle(&self, guards: &[Guard], vals: &mut HashMap<String, PyVal>, params: &[String]) {
        for i in 0..guards.len() {
            if self.all_false(guards, i + 1, vals) {
                continue;
            }
            let mut names = Vec::new();
            names_in(guards[i].cond, self.ctx.src, &mut names);
            'names: for name in names.iter().filter(|n| params.contains(n)) {
                let ev = Eval {
                    src: self.ctx.src,
                    vals,
                    constants: &self.constants,
                };
                let mut cands = Vec::new();
                candidates(guards[i].cond, name, &ev, &mut cands);
                for cand in cands {
                    let mut trial = vals.clone();
                    trial.insert(name.clone(), cand);
                    if self.all_false(guards, i + 1, &trial) {
                        *vals = trial;
                        break 'names;
                    }
                }
            }
        }
    }

    /// Does `node` run whenever the function runs with `vals` (and reaches
    /// its end)?
    fn certain(&self, node: Node, vals: &HashMap<String, PyVal>) -> bool {
        let ev = Eval {
            src: self.ctx.src,
            vals,
            constants: &self.constants,
        };
        let mut child = node;
        let mut cur = node.parent();
        while let Some(n) = cur {
            if n == self.body || self.init.is_some_and(|(_, b)| b == n) {
                break;
            }
            match n.kind() {
                "if_statement" => {
                    let cond = n.child_by_field_id(crate::syntax::fields::CONDITION);
                    if cond != Some(child) {
                        let truth = cond.and_then(|c| ev.eval(c)).and_then(|v| v.truthy());
                        let in_consequence =
                            n.child_by_field_id(crate::syntax::fields::CONSEQUENCE) == Some(child);
                        if !(in_consequence && truth == Some(true)) {
                            return false;
                        }
                    }
                }
                "elif_clause"
                | "else_clause"
                | "except_clause"
                | "while_statement"
                | "conditional_expression"
                | "lambda"
                | "function_definition"
                | "class_definition"
                | "list_comprehension"
                | "dictionary_comprehension"
                | "set_comprehension"
                | "generator_expression" => return false,
                // in a `try` with handlers, only the first statement surely runs:
                // an earlier one may raise into an `except` that returns
                "block"
                    if n.parent().is_some_and(|t| {
                        t.kind() == "try_statement"
                            && t.child_by_field_id(crate::syntax::fields::BODY) == Some(n)
                    }) && n.named_child(0) != Some(child) =>
                {
                    return false;
                }
                "for_statement"
                    if n.child_by_field_id(crate::syntax::fields::RIGHT) != Some(child)
                        && !self.runs_once(n, &ev) =>
                {
                    return false;
                }
                "boolean_operator"
                    if n.child_by_field_id(crate::syntax::fields::RIGHT) == Some(child) =>
                {
                    return false;
                }
                _ => {}
            }
            child = n;
            cur = n.parent();
        }
        // an earlier top-level `if` that may return or raise makes the rest uncertain
        let top = child;
        let block = if self.init.is_some_and(|(_, b)| top.parent() == Some(b)) {
            self.init.map(|(_, b)| b)
        } else {
            Some(self.body)
        };
        let Some(block) = block else { return true };
        let mut c = block.walk();
        for stmt in block.named_children(&mut c) {
            if stmt.start_byte() >= top.start_byte() {
                break;
            }
            if stmt.kind() == "if_statement" && contains_exit(stmt) {
                // fine only when the branch that exits is known not to run
                let truth = stmt
                    .child_by_field_id(crate::syntax::fields::CONDITION)
                    .and_then(|c| ev.eval(c))
                    .and_then(|v| v.truthy());
                let mut c = stmt.walk();
                let alternative_exits = stmt
                    .children_by_field_name("alternative", &mut c)
                    .any(contains_exit);
                if truth != Some(false) || alternative_exits {
                    return false;
                }
            }
            if stmt.kind() != "if_statement" && contains_exit(stmt) {
                return false; // `try: return ...`, a loop that may return
            }
        }
        true
    }

    /// `for _ in range(N)` with a known N >= 1.
    fn runs_once(&self, for_stmt: Node, ev: &Eval) -> bool {
        let Some(right) = for_stmt.child_by_field_id(crate::syntax::fields::RIGHT) else {
            return false;
        };
        if right.kind() != "call" {
            return false;
        }
        let is_range = right
            .child_by_field_id(crate::syntax::fields::FUNCTION)
            .is_some_and(|f| self.text(f) == "range");
        let arg = right
            .child_by_field_id(crate::syntax::fields::ARGUMENTS)
            .and_then(|a| a.named_child(0))
            .and_then(|a| ev.eval(a));
        is_range && matches!(arg, Some(PyVal::Int(n)) if n >= 1) && {
            right
                .child_by_field_id(crate::syntax::fields::ARGUMENTS)
                .is_some_and(|a| a.named_child_count() == 1)
        }
    }

    fn import_of(&self, bound: &str) -> Option<&'a Import> {
        self.imports
            .iter()
            .copied()
            .find(|i| i.bound_name() == bound && i.name.as_deref() != Some("*"))
    }

    /// `self.x = boto3.client(...)` in `__init__`: x -> qualified name.
    fn self_instances(&self) -> HashMap<String, String> {
        let mut out = HashMap::new();
        let Some((init_idx, _)) = self.init else {
            return out;
        };
        for a in self.ctx.summary.calls.iter() {
            if a.enclosing != Some(init_idx as u32) {
                continue;
            }
            let Some(call) = node_for(self.ctx.root, a.range.start, a.range.end, "call") else {
                continue;
            };
            let Some(assign) = call.parent().filter(|p| p.kind() == "assignment") else {
                continue;
            };
            if assign.child_by_field_id(crate::syntax::fields::RIGHT) != Some(call) {
                continue;
            }
            if let Some(attr) = assign
                .child_by_field_id(crate::syntax::fields::LEFT)
                .map(|l| self.text(l))
                .and_then(|t| t.strip_prefix("self."))
            {
                out.insert(attr.to_string(), a.qualified.to_string());
            }
        }
        out
    }

    /// The qualified name of a call, resolving `self.x.m` through `__init__`.
    fn qualified(&self, call: &CallSite, selfs: &HashMap<String, String>) -> String {
        if let Some(rest) = call.callee.strip_prefix("self.") {
            if let Some((attr, tail)) = rest.split_once('.') {
                if let Some(q) = selfs.get(attr) {
                    return format!("{q}.{tail}");
                }
            }
        }
        call.qualified.to_string()
    }

    /// How to patch the callee where the module looks it up, and the mock
    /// expression standing for the called object.
    fn patch_for(&self, call: &CallSite, qualified: &str) -> Option<(Patch, String)> {
        let alias = self.ctx.alias;
        let callee = call.callee.as_str();
        let head = qualified.split('.').next()?;
        if head == "boto3" || head == "botocore" {
            let imp = self.imports.iter().find(|i| {
                let t = i.target();
                qualified == t || qualified.starts_with(&format!("{t}."))
            })?;
            let bound = imp.bound_name();
            let rest = qualified
                .strip_prefix(&imp.target())?
                .trim_start_matches('.');
            let var = format!("{bound}_mock");
            let expr = if rest.is_empty() {
                var.clone()
            } else {
                format!(
                    "{var}.{}",
                    rest.split('.').collect::<Vec<_>>().join(".return_value.")
                )
            };
            return Some((
                Patch {
                    object: alias.to_string(),
                    attr: bound.to_string(),
                    var,
                    kind: PatchKind::Mock,
                    stands_for: imp.target(),
                },
                expr,
            ));
        }
        // direct call through an import: `subprocess.run`, `run`, `requests.post`
        if !callee.contains('(') {
            let first = callee.split('.').next()?;
            if let Some(imp) = self.import_of(first) {
                let resolved = format!("{}{}", imp.target(), &callee[first.len()..]);
                if resolved == qualified {
                    let (object, attr) = match callee.rsplit_once('.') {
                        Some((obj, attr)) => (format!("{alias}.{obj}"), attr),
                        None => (alias.to_string(), callee),
                    };
                    let var = format!("{attr}_mock");
                    return Some((
                        Patch {
                            object,
                            attr: attr.to_string(),
                            var: var.clone(),
                            kind: PatchKind::Mock,
                            stands_for: qualified.to_string(),
                        },
                        var,
                    ));
                }
            }
        }
        // an instance chain: `requests.Session.post` -> patch `requests.Session`
        let imp = self.imports.iter().find(|i| {
            let t = i.target();
            qualified.starts_with(&format!("{t}."))
        })?;
        let rest: Vec<&str> = qualified[imp.target().len() + 1..].split('.').collect();
        let (first, tail) = rest.split_first()?;
        let var = format!("{first}_mock");
        let mut expr = var.clone();
        for seg in tail {
            expr.push_str(".return_value.");
            expr.push_str(seg);
        }
        Some((
            Patch {
                object: format!("{alias}.{}", imp.bound_name()),
                attr: first.to_string(),
                var,
                kind: PatchKind::Mock,
                stands_for: format!("{}.{first}", imp.target()),
            },
            expr,
        ))
    }

    fn tests(&self) -> Vec<TestCase> {
        let params = self.params(self.def);
        let param_names: Vec<String> = params.iter().map(|p| p.name.to_string()).collect();
        let guards = self.guards();
        let Inputs {
            vals,
            passed,
            happy_ok,
            variants,
        } = self.inputs(&params, &guards, &param_names);
        let scopes: Vec<u32> = std::iter::once(self.def_idx as u32)
            .chain(self.init.map(|(i, _)| i as u32))
            .collect();
        let (mut env, env_order) = self.environment(&scopes);
        let (init_call_args, init_env) = self.names(&params, &vals, &mut env);
        let renderer = Renderer {
            src: self.ctx.src,
            env: &env,
        };
        let Mocks {
            patches,
            asserted,
            files,
            precreate,
        } = self.mocks(&scopes, &vals, &renderer);
        let mut out = Vec::new();
        let base = format!("test_{}", snake(&self.def.qualname));
        let setup = Setup {
            patches: &patches,
            env_order: &env_order,
            env: &env,
            precreate: &precreate,
        };

        // happy path
        let variant_sets: Vec<HashMap<String, PyVal>> = match variants.first() {
            Some((name, values)) => values
                .iter()
                .map(|v| {
                    let mut t = vals.clone();
                    t.insert(name.clone(), v.clone());
                    t
                })
                .collect(),
            None => vec![vals.clone()],
        };
        let init_renderer = Renderer {
            src: self.ctx.src,
            env: &init_env,
        };
        let certain_all = |n: Node| happy_ok && variant_sets.iter().all(|v| self.certain(n, v));
        let mut checks: Vec<String> = Vec::new();
        for a in &asserted {
            if !certain_all(a.node) {
                continue;
            }
            let in_init = self.init.is_some_and(|(_, b)| {
                b.start_byte() <= a.node.start_byte() && a.node.end_byte() <= b.end_byte()
            });
            let r = if in_init { &init_renderer } else { &renderer };
            let line = self.assert_call(&a.mock, a.node, r);
            if !checks.contains(&line) {
                checks.push(line);
            }
        }
        for f in &files {
            env.needs.borrow_mut().insert("os");
            checks.push(format!("assert os.path.exists({})", f.path));
            if let (Some(body), Some(alias)) = (f.with_body, &f.alias) {
                self.content_checks(body, alias, &f.path, &renderer, &certain_all, &mut checks);
            }
        }
        let ret = self.return_check(&renderer, &certain_all);
        let has_ret = ret.is_some();
        if let Some(r) = ret {
            checks.push(r);
        }
        let parametrized = variants.first().filter(|_| happy_ok);
        let mut t = self.emit(
            &base,
            &setup,
            &vals,
            &passed,
            &init_call_args,
            parametrized,
            None,
            &checks,
            has_ret,
        );
        if !happy_ok {
            t.skipped = true;
            let at = t.code.find('\n').map_or(0, |i| i + 1);
            t.code.insert_str(
                at,
                "@pytest.mark.skip(reason=\"fill in inputs that pass the guards\")\n",
            );
        }
        out.push(t);

        // one test per guarded raise
        for (i, g) in guards.iter().enumerate() {
            let Some(trigger) = self.trigger(&guards, i, &vals, &param_names) else {
                continue;
            };
            let name = format!(
                "{base}_raises_{}",
                snake(g.exc.rsplit('.').next().unwrap_or("error"))
            );
            let t = self.emit(
                &name,
                &setup,
                &trigger,
                &passed,
                &init_call_args,
                None,
                Some(g),
                &[],
                false,
            );
            out.push(t);
        }
        for t in &mut out {
            t.needs.extend(env.needs.borrow().iter().copied());
        }
        out
    }

    /// Inputs for the happy path (every guard false), and the values a
    /// guard-checked parameter is parametrized over.
    fn inputs(
        &self,
        params: &[&'a crate::index::Param],
        guards: &[Guard<'t>],
        param_names: &[String],
    ) -> Inputs<'a> {
        // inputs
        let mut vals: HashMap<String, PyVal> = HashMap::new();
        let mut passed: Vec<&crate::index::Param> = Vec::new();
        for p in params {
            match &p.default {
                Some(d) => {
                    if let Some(v) = PyVal::from_literal(d) {
                        vals.insert(p.name.to_string(), v);
                    }
                }
                None => {
                    vals.insert(p.name.to_string(), sample(p).0);
                    passed.push(p);
                }
            }
        }
        self.settle(guards, &mut vals, param_names);
        let happy_ok = self.all_false(guards, guards.len(), &vals);
        // parametrize a parameter over the members a guard allows
        let mut variants: Vec<(String, Vec<PyVal>)> = Vec::new();
        for g in guards {
            let mut names = Vec::new();
            names_in(g.cond, self.ctx.src, &mut names);
            for name in names
                .iter()
                .filter(|n| passed.iter().any(|p| p.name == n.as_str()))
            {
                let ev = Eval {
                    src: self.ctx.src,
                    vals: &vals,
                    constants: &self.constants,
                };
                let mut cands = Vec::new();
                candidates(g.cond, name, &ev, &mut cands);
                let ok: Vec<PyVal> = cands
                    .into_iter()
                    .filter(|c| matches!(c, PyVal::Str(_)))
                    .filter(|c| {
                        let mut t = vals.clone();
                        t.insert(name.clone(), c.clone());
                        self.all_false(guards, guards.len(), &t)
                    })
                    .collect();
                if ok.len() > 1 && !variants.iter().any(|(n, _)| n == name) {
                    variants.push((name.clone(), ok));
                }
            }
        }

        Inputs {
            vals,
            passed,
            happy_ok,
            variants,
        }
    }

    /// Literal env vars read by the function (and `__init__`), with the values
    /// the test sets, in reading order.
    fn environment(&self, scopes: &[u32]) -> (Env, Vec<String>) {
        let s = self.ctx.summary;
        // environment
        let mut env = Env::default();
        let mut env_order = Vec::new();
        for e in s.effects.iter().filter(|e| e.kind == EffectKind::EnvRead) {
            if !e.enclosing.is_some_and(|i| scopes.contains(&i)) {
                continue;
            }
            let Some(var) = &e.target else { continue };
            let default = s
                .calls
                .iter()
                .find(|c| c.range == e.range)
                .and_then(|c| c.arg(1, "default"))
                .and_then(|a| a.value.as_str().map(str::to_string));
            if !env.env_vars.contains_key(var.as_str()) {
                env.env_vars
                    .insert(var.to_string(), env_sample(var, default.as_deref()));
                env_order.push(var.to_string());
            }
        }

        (env, env_order)
    }

    /// What names mean in the test: parameters, constants, `self.x` from
    /// `__init__`, locals. Returns `__init__`'s call arguments and its view.
    fn names(
        &self,
        params: &[&'a crate::index::Param],
        vals: &HashMap<String, PyVal>,
        env: &mut Env,
    ) -> (Vec<String>, Env) {
        let s = self.ctx.summary;
        // names: parameters are the test's locals; `self.x` from __init__
        for p in params {
            if vals.contains_key(p.name.as_str()) {
                env.names.insert(p.name.to_string(), p.name.to_string());
            }
        }
        for (name, v) in &self.constants {
            env.names.entry(name.clone()).or_insert_with(|| v.python());
        }
        let mut init_call_args = Vec::new();
        let mut init_env = Env::default();
        if let (Some(_), Some((init_idx, init_body))) = (self.class, self.init) {
            let init_def = &s.defs[init_idx];
            init_env.env_vars = env.env_vars.clone();
            for (name, v) in &self.constants {
                init_env.names.insert(name.clone(), v.python());
            }
            for p in self.params(init_def) {
                let v = match &p.default {
                    Some(d) => match PyVal::from_literal(d) {
                        Some(v) => v,
                        None => continue,
                    },
                    None => {
                        let v = sample(p).0;
                        init_call_args.push(v.python());
                        v
                    }
                };
                init_env.names.insert(p.name.to_string(), v.python());
            }
            let r = Renderer {
                src: self.ctx.src,
                env: &init_env,
            };
            for (l, rhs) in top_assignments(init_body) {
                if let Some(text) = r.render(rhs) {
                    env.names.insert(self.text(l).to_string(), text);
                }
            }
            env.needs
                .borrow_mut()
                .extend(init_env.needs.borrow().iter().copied());
        }
        self.bind_locals(env);
        for p in params {
            if self.assigned_count(self.body, &p.name) > 0 {
                env.names.remove(p.name.as_str()); // its value changes in the body
            }
        }

        (init_call_args, init_env)
    }

    /// A patch for every external effect and the calls to assert on them.
    fn mocks(
        &self,
        scopes: &[u32],
        vals: &HashMap<String, PyVal>,
        renderer: &Renderer,
    ) -> Mocks<'t> {
        let s = self.ctx.summary;
        // mocks
        let selfs = self.self_instances();
        let mut patches: Vec<Patch> = Vec::new();
        let mut asserted: Vec<Asserted> = Vec::new();
        let mut files: Vec<FileCheck> = Vec::new();
        let mut precreate: Vec<String> = Vec::new();
        let calls: Vec<&CallSite> = s
            .calls
            .iter()
            .filter(|c| c.enclosing.is_some_and(|i| scopes.contains(&i)))
            .collect();
        let mut later: Vec<(&CallSite, String)> = Vec::new();
        let local_effectful = effectful_functions(s);
        for call in &calls {
            let Some(node) = node_for(self.ctx.root, call.range.start, call.range.end, "call")
            else {
                continue;
            };
            let q = self.qualified(call, &selfs);
            let effect = s.effects.iter().find(|e| e.range == call.range);
            if effect.is_some_and(|e| e.kind == EffectKind::EnvRead) {
                continue;
            }
            if q == "input" {
                if !patches.iter().any(|p| p.var == "input_mock") {
                    patches.push(Patch {
                        object: self.ctx.alias.to_string(),
                        attr: "input".into(),
                        var: "input_mock".into(),
                        kind: PatchKind::Builtin,
                        stands_for: "input".into(),
                    });
                }
                continue;
            }
            if matches!(q.as_str(), "open" | "io.open") {
                let path_node = node
                    .child_by_field_id(crate::syntax::fields::ARGUMENTS)
                    .and_then(|a| a.named_child(0));
                let writes = effect.is_some_and(|e| e.kind == EffectKind::FileWrite);
                let tmp_based = |p: &String| {
                    p.contains("tmp_path")
                        || matches!(vals.get(p.as_str()), Some(PyVal::Expr(e)) if e.contains("tmp_path"))
                };
                if let Some(p) = path_node.and_then(|n| renderer.render(n)).filter(tmp_based) {
                    if writes {
                        let (with_body, alias) = with_alias(node, self.ctx.src);
                        files.push(FileCheck {
                            path: p,
                            with_body,
                            alias,
                        });
                    } else {
                        precreate.push(p);
                    }
                    continue;
                }
                let var = "open_mock".to_string();
                if !patches.iter().any(|p| p.var == var) {
                    patches.push(Patch {
                        object: self.ctx.alias.to_string(),
                        attr: "open".into(),
                        var: var.clone(),
                        kind: PatchKind::MockOpen,
                        stands_for: "open".into(),
                    });
                }
                asserted.push(Asserted { mock: var, node });
                continue;
            }
            let result_unused = node
                .parent()
                .is_some_and(|p| p.kind() == "expression_statement");
            if local_effectful.contains(call.callee.as_str())
                && call.callee != self.def.name
                && result_unused
            {
                let var = self.add_patch(
                    &mut patches,
                    Patch {
                        object: self.ctx.alias.to_string(),
                        attr: call.callee.to_string(),
                        var: format!("{}_mock", call.callee),
                        kind: PatchKind::Mock,
                        stands_for: call.callee.to_string(),
                    },
                );
                asserted.push(Asserted { mock: var, node });
                continue;
            }
            let mockable =
                effect.is_some() || ALSO_MOCKED.contains(&q.as_str()) || q.starts_with("boto3.");
            if !mockable {
                later.push((call, q));
                continue;
            }
            let Some((patch, expr)) = self.patch_for(call, &q) else {
                continue;
            };
            let var = self.add_patch(&mut patches, patch);
            let expr = if expr.starts_with(&format!("{var}.")) || expr == var {
                expr
            } else {
                // renamed on collision
                match expr.split_once('.') {
                    Some((_, rest)) => format!("{var}.{rest}"),
                    None => var.clone(),
                }
            };
            if !ALSO_MOCKED.contains(&q.as_str()) {
                asserted.push(Asserted { mock: expr, node });
            }
        }
        // calls on what a mock returned (`resp.raise_for_status()`)
        for (call, q) in later {
            let Some(p) = patches
                .iter()
                .filter(|p| p.kind == PatchKind::Mock)
                .find(|p| q.starts_with(&format!("{}.", p.stands_for)))
            else {
                continue;
            };
            let Some(node) = node_for(self.ctx.root, call.range.start, call.range.end, "call")
            else {
                continue;
            };
            // `resp.raise_for_status()` where `resp = requests.post(...)`:
            // the attributes as written, on what the mock returned
            let Some((head, attrs)) = call.callee.split_once('.') else {
                continue;
            };
            if head == "self" || self.import_of(head).is_some() || attrs.contains('(') {
                continue;
            }
            let rest = &q[p.stands_for.len() + 1..];
            if rest != attrs {
                continue;
            }
            let expr = format!("{}.return_value.{attrs}", p.var);
            asserted.push(Asserted { mock: expr, node });
        }

        Mocks {
            patches,
            asserted,
            files,
            precreate,
        }
    }

    fn add_patch(&self, patches: &mut Vec<Patch>, mut p: Patch) -> String {
        if let Some(existing) = patches
            .iter()
            .find(|x| x.object == p.object && x.attr == p.attr)
        {
            return existing.var.clone();
        }
        if patches.iter().any(|x| x.var == p.var) {
            let obj = p.object.rsplit('.').next().unwrap_or("m").to_string();
            p.var = format!("{obj}_{}", p.var);
        }
        let var = p.var.clone();
        patches.push(p);
        var
    }

    /// Locals assigned once at the top of the body, never mutated.
    fn bind_locals(&self, env: &mut Env) {
        for (l, rhs) in top_assignments(self.body) {
            if l.kind() != "identifier" {
                continue;
            }
            let name = self.text(l);
            if self.assigned_count(self.body, name) != 1 || self.mutated(self.body, name) {
                env.names.remove(name);
                continue;
            }
            let r = Renderer {
                src: self.ctx.src,
                env,
            };
            match r.render(rhs) {
                Some(t) => {
                    let t = if matches!(
                        rhs.kind(),
                        "binary_operator" | "boolean_operator" | "conditional_expression"
                    ) {
                        format!("({t})")
                    } else {
                        t
                    };
                    env.names.insert(name.to_string(), t);
                }
                None => {
                    env.names.remove(name);
                }
            }
        }
    }

    fn assigned_count(&self, n: Node, name: &str) -> usize {
        let mut count = 0;
        let mut stack = vec![n];
        while let Some(x) = stack.pop() {
            match x.kind() {
                "assignment" | "augmented_assignment" | "for_statement" => {
                    let left = x.child_by_field_id(crate::syntax::fields::LEFT);
                    if left.is_some_and(|l| {
                        let mut names = Vec::new();
                        names_in(l, self.ctx.src, &mut names);
                        l.kind() != "attribute" && names.iter().any(|n| n == name)
                    }) {
                        count += 1;
                    }
                }
                "as_pattern_target" if self.text(x) == name => count += 1,
                _ => {}
            }
            let mut c = x.walk();
            stack.extend(x.named_children(&mut c));
        }
        count
    }

    fn mutated(&self, n: Node, name: &str) -> bool {
        let mut stack = vec![n];
        while let Some(x) = stack.pop() {
            if x.kind() == "call" {
                if let Some(f) = x
                    .child_by_field_id(crate::syntax::fields::FUNCTION)
                    .filter(|f| f.kind() == "attribute")
                {
                    let obj = f
                        .child_by_field_id(crate::syntax::fields::OBJECT)
                        .map(|o| self.text(o));
                    let attr = f
                        .child_by_field_id(crate::syntax::fields::ATTRIBUTE)
                        .map(|a| self.text(a));
                    if obj == Some(name) && attr.is_some_and(|a| MUTATORS.contains(&a)) {
                        return true;
                    }
                }
            }
            let mut c = x.walk();
            stack.extend(x.named_children(&mut c));
        }
        false
    }

    fn assert_call(&self, mock: &str, node: Node, r: &Renderer) -> String {
        let Some(args) = node.child_by_field_id(crate::syntax::fields::ARGUMENTS) else {
            return format!("assert {mock}.called");
        };
        let mut parts = Vec::new();
        let mut c = args.walk();
        for a in args.named_children(&mut c) {
            match a.kind() {
                "comment" => {}
                "list_splat" | "dictionary_splat" => return format!("assert {mock}.called"),
                "keyword_argument" => {
                    let name = a
                        .child_by_field_id(crate::syntax::fields::NAME)
                        .map(|n| self.text(n));
                    let value = a
                        .child_by_field_id(crate::syntax::fields::VALUE)
                        .and_then(|v| r.render(v))
                        .unwrap_or_else(|| "mock.ANY".into());
                    parts.push(format!("{}={value}", name.unwrap_or("_")));
                }
                _ => parts.push(r.render(a).unwrap_or_else(|| "mock.ANY".into())),
            }
        }
        format!("{mock}.assert_any_call({})", parts.join(", "))
    }

    fn content_checks(
        &self,
        body: Node,
        alias: &str,
        path: &str,
        r: &Renderer,
        certain: &dyn Fn(Node) -> bool,
        checks: &mut Vec<String>,
    ) {
        let mut stack = vec![body];
        while let Some(x) = stack.pop() {
            if x.kind() == "call" && certain(x) {
                let func = x
                    .child_by_field_id(crate::syntax::fields::FUNCTION)
                    .map(|f| self.text(f));
                let args = x.child_by_field_id(crate::syntax::fields::ARGUMENTS);
                let first = args.and_then(|a| a.named_child(0));
                let second = args.and_then(|a| a.named_child(1));
                if func == Some(&format!("{alias}.write")) {
                    if let Some(v) = first.and_then(|f| r.render(f)) {
                        r.env.needs.borrow_mut().insert("pathlib");
                        checks.push(format!("assert {v} in pathlib.Path({path}).read_text()"));
                    }
                } else if func == Some("json.dump") && second.is_some_and(|s| self.text(s) == alias)
                {
                    if let Some(v) = first.and_then(|f| r.render(f)) {
                        r.env.needs.borrow_mut().extend(["pathlib", "json"]);
                        checks.push(format!(
                            "assert json.loads(pathlib.Path({path}).read_text()) == {v}"
                        ));
                    }
                }
            }
            let mut c = x.walk();
            stack.extend(x.named_children(&mut c));
        }
    }

    fn return_check(&self, r: &Renderer, certain: &dyn Fn(Node) -> bool) -> Option<String> {
        let mut c = self.body.walk();
        let ret = self
            .body
            .named_children(&mut c)
            .find(|s| s.kind() == "return_statement")?;
        let expr = ret.named_child(0)?;
        if !certain(ret) {
            return None;
        }
        let v = r.render(expr)?;
        let v = if matches!(
            expr.kind(),
            "boolean_operator" | "not_operator" | "comparison_operator" | "conditional_expression"
        ) {
            format!("({v})")
        } else {
            v
        };
        Some(format!("assert result == {v}"))
    }

    #[allow(clippy::too_many_arguments)]
    fn emit(
        &self,
        name: &str,
        setup: &Setup,
        vals: &HashMap<String, PyVal>,
        passed: &[&crate::index::Param],
        init_args: &[String],
        parametrize: Option<&(String, Vec<PyVal>)>,
        raises: Option<&Guard>,
        checks: &[String],
        has_ret: bool,
    ) -> TestCase {
        let mut needs: BTreeSet<&'static str> = BTreeSet::new();
        let mut body: Vec<String> = Vec::new();
        let mut fixtures: Vec<&str> = Vec::new();
        for p in setup.patches {
            let ctor = match p.kind {
                PatchKind::Mock => "mock.MagicMock()",
                PatchKind::MockOpen => "mock.mock_open()",
                PatchKind::Builtin => "mock.MagicMock(return_value=\"y\")",
            };
            body.push(format!("{} = {ctor}", p.var));
            let raising = if p.kind != PatchKind::Mock {
                ", raising=False"
            } else {
                ""
            };
            body.push(format!(
                "monkeypatch.setattr({}, {}, {}{raising})",
                p.object,
                py_str(&p.attr),
                p.var
            ));
        }
        for var in setup.env_order {
            if let Some(v) = setup.env.env_vars.get(var) {
                body.push(format!(
                    "monkeypatch.setenv({}, {})",
                    py_str(var),
                    py_str(v)
                ));
            }
        }
        if !body.is_empty() {
            fixtures.push("monkeypatch");
        }
        let params = self.params(self.def);
        let param_name = parametrize.map(|(n, _)| n.as_str());
        for p in &params {
            if Some(p.name.as_str()) == param_name {
                continue;
            }
            if let Some(v) = vals.get(p.name.as_str()) {
                body.push(format!("{} = {}", p.name, v.python()));
            }
        }
        for pre in setup.precreate {
            needs.insert("pathlib");
            body.push(format!("pathlib.Path({pre}).write_text(\"\")"));
        }
        let args: Vec<String> = passed
            .iter()
            .map(|p| match p.kind {
                ParamKind::KeywordOnly => format!("{0}={0}", p.name),
                _ => p.name.to_string(),
            })
            .collect();
        let callee = match self.class {
            Some(class) => {
                body.push(format!(
                    "instance = {}({})",
                    class.name,
                    init_args.join(", ")
                ));
                format!("instance.{}", self.def.name)
            }
            None => self.def.name.to_string(),
        };
        let mut call = format!("{callee}({})", args.join(", "));
        if self.def.is_async {
            needs.insert("asyncio");
            call = format!("asyncio.run({call})");
        }
        let skipped = raises.is_none() && checks.is_empty();
        match raises {
            Some(g) => {
                let m = match &g.message {
                    Some(m) => {
                        needs.insert("re");
                        format!(", match=re.escape({})", py_str(m))
                    }
                    None => String::new(),
                };
                body.push(format!("with pytest.raises({}{m}):", g.exc));
                body.push(format!("    {call}"));
            }
            None if skipped => {
                body.push(format!("result = {call}"));
                body.push("assert result == ...  # the value the function should return".into());
            }
            None => {
                body.push(String::new());
                body.push(if has_ret {
                    format!("result = {call}")
                } else {
                    call
                });
                body.push(String::new());
                body.extend(checks.iter().cloned());
            }
        }
        let text = body.join("\n");
        if text.contains("tmp_path") {
            fixtures.push("tmp_path");
        }
        for n in ["os", "json", "pathlib", "re", "asyncio"] {
            if text.contains(&format!("{n}.")) {
                needs.insert(n);
            }
        }
        if let Some((p, _)) = parametrize {
            fixtures.push(p.as_str());
        }
        let mut code = format!("# devops-intel: generated test for {}\n", self.target());
        if skipped {
            code.push_str("@pytest.mark.skip(reason=\"fill in expected value\")\n");
        }
        if let Some((p, values)) = parametrize {
            code.push_str(&format!(
                "@pytest.mark.parametrize({}, [{}])\n",
                py_str(p),
                values
                    .iter()
                    .map(PyVal::python)
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        code.push_str(&format!("def {name}({}):\n", fixtures.join(", ")));
        for line in text.lines() {
            if line.is_empty() {
                code.push('\n');
            } else {
                code.push_str("    ");
                code.push_str(line);
                code.push('\n');
            }
        }
        let import_name = match self.class {
            Some(c) => c.name.to_string(),
            None => self.def.name.to_string(),
        };
        TestCase {
            name: name.to_string(),
            target: self.target(),
            code,
            skipped,
            needs,
            import_name,
        }
    }
}

struct Setup<'s> {
    patches: &'s [Patch],
    env_order: &'s [String],
    env: &'s Env,
    precreate: &'s [String],
}

/// For `with open(...) as fh:`, the with body and `fh`.
fn with_alias<'t>(call: Node<'t>, src: &str) -> (Option<Node<'t>>, Option<String>) {
    let Some(item) = call
        .parent()
        .filter(|p| p.kind() == "as_pattern")
        .and_then(|p| p.parent())
        .filter(|p| p.kind() == "with_item")
    else {
        return (None, None);
    };
    let alias = call
        .parent()
        .and_then(|p| p.child_by_field_id(crate::syntax::fields::ALIAS))
        .and_then(|a| src.get(a.byte_range()))
        .map(str::to_string);
    let body = item
        .parent()
        .and_then(|c| c.parent())
        .filter(|w| w.kind() == "with_statement")
        .and_then(|w| w.child_by_field_id(crate::syntax::fields::BODY));
    (body, alias)
}

/// `(target, value)` of the plain assignments directly in `block`.
fn top_assignments(block: Node) -> Vec<(Node, Node)> {
    let mut c = block.walk();
    block
        .named_children(&mut c)
        .filter_map(|stmt| stmt.named_child(0).filter(|a| a.kind() == "assignment"))
        .filter_map(|a| {
            Some((
                a.child_by_field_id(crate::syntax::fields::LEFT)?,
                a.child_by_field_id(crate::syntax::fields::RIGHT)?,
            ))
        })
        .collect()
}

/// Does `stmt` hold a `return` or `raise` (outside nested functions)?
fn contains_exit(stmt: Node) -> bool {
    let mut stack = vec![stmt];
    while let Some(n) = stack.pop() {
        match n.kind() {
            "return_statement" | "raise_statement" => return true,
            "function_definition" | "class_definition" | "lambda" => continue,
            _ => {}
        }
        let mut c = n.walk();
        stack.extend(n.named_children(&mut c));
    }
    false
}

/// A function (or a method's class) defined directly in the module, not under
/// `if sys.platform ...` or `try:`.
fn at_module_level(func: Node) -> bool {
    let mut n = func;
    loop {
        let Some(p) = n.parent() else { return false };
        match p.kind() {
            "module" => return true,
            "decorated_definition" => n = p,
            "block" => {
                let Some(owner) = p.parent().filter(|o| o.kind() == "class_definition") else {
                    return false;
                };
                n = owner;
            }
            _ => return false,
        }
    }
}

/// Module-level functions with external effects, directly or through other
/// module-level functions they call: a test of their caller mocks them.
fn effectful_functions(s: &FileSummary) -> std::collections::HashSet<&str> {
    let top = |i: u32| {
        s.defs
            .get(i as usize)
            .filter(|d| d.kind == DefKind::Function && d.parent.is_none())
    };
    let mut set: std::collections::HashSet<&str> = s
        .effects
        .iter()
        .filter_map(|e| e.enclosing.and_then(top))
        .map(|d| d.name.as_str())
        .collect();
    loop {
        let before = set.len();
        for c in &s.calls {
            if set.contains(c.callee.as_str()) {
                if let Some(d) = c.enclosing.and_then(top) {
                    set.insert(d.name.as_str());
                }
            }
        }
        if set.len() == before {
            return set;
        }
    }
}
