//! One pass of the summary query over a parsed file, producing the parts of a
//! [`FileSummary`](super::FileSummary) plus the temporaries rules need while the
//! tree is still at hand (assignments, dict pairs, comments).

use super::chunks::{self, Chunk, ChunkCache, Mark};
use super::effects;
use super::structure::{self, Structure};
use super::summary::*;
use super::value::{self, dotted_text, eval, node_text, DynKind, Scope, Taint, Value};
use crate::syntax::{fields, kinds};
use crate::syntax::{summary_query, SummaryQuery};
use crate::text::TextRange;
use rustc_hash::FxHashMap as HashMap;
use smol_str::SmolStr;
use tree_sitter::{Node, Tree};

/// A simple assignment `target = value` (also annotated), kept for rules.
#[derive(Clone, Debug)]
pub struct Assignment {
    /// `name` or a dotted target such as `self.password`.
    pub target: SmolStr,
    pub value: Value,
    pub range: TextRange,
    pub value_range: TextRange,
    pub enclosing: Option<u32>,
}

/// A dict entry with a string key and a value that may be a constant string
/// (a string, a name, a concatenation), kept for the secret rules (the only
/// readers, which need a string value); other values (lists, calls, nested
/// dicts) are not evaluated.
#[derive(Clone, Debug)]
pub struct DictPair {
    pub key: SmolStr,
    pub value: Value,
    pub range: TextRange,
    pub value_range: TextRange,
}

/// Everything one pass collects. `defs`…`effects` move into the summary; the
/// rest lives only while rules run.
#[derive(Debug, Default)]
pub struct Extraction {
    pub defs: Vec<Def>,
    pub imports: Vec<Import>,
    pub calls: Vec<CallSite>,
    pub constants: Vec<Constant>,
    pub effects: Vec<Effect>,
    pub assignments: Vec<Assignment>,
    pub pairs: Vec<DictPair>,
    pub comments: Vec<TextRange>,
    /// IaC resource model (only for files importing an IaC framework).
    pub iac: Option<Box<crate::iac::IacFile>>,
    /// Loops, handlers, asserts, call contexts… (see `structure.rs`).
    pub structure: Structure,
}

/// A local bound to the result of a constructor-like call.
struct Instance {
    /// Where the binding ends (uses after it see it).
    at: u32,
    ty: SmolStr,
    /// For cloud SDK clients, the service named in the call (`boto3.client("s3")`).
    service: Option<SmolStr>,
}

struct LocalValue {
    at: u32,
    value: Value,
}

struct Extractor<'a> {
    src: &'a str,
    q: &'static SummaryQuery,
    out: Extraction,
    def_stack: Vec<(u32, u32)>, // (def index, end byte)
    /// local name -> dotted target, from imports anywhere in the file
    imports: HashMap<SmolStr, SmolStr>,
    /// enclosing def -> name -> values assigned, in order
    locals: HashMap<Option<u32>, HashMap<SmolStr, Vec<LocalValue>>>,
    /// enclosing def -> name -> qualified type of the object bound (`requests.Session`)
    instances: HashMap<Option<u32>, HashMap<SmolStr, Vec<Instance>>>,
    module_constants: HashMap<SmolStr, Value>,
    /// Fingerprint of the module-level state a top-level definition reads
    /// (module constants, then every import and module-level binding so far).
    ctx: u64,
    /// Decorators of the last `decorated_definition` walked into, with the
    /// start of the definition they belong to (the walk reaches it next;
    /// cheaper than `Node::parent`, which searches down from the root).
    decorators: Option<(usize, Vec<SmolStr>)>,
    /// Skips the children of subtrees that cannot hold a dispatched node
    /// (see `nothing_below`); off only to check that it changes nothing.
    prune: bool,
}

pub fn extract(src: &str, tree: &Tree) -> Extraction {
    extract_cached(src, tree, None)
}

/// [`extract`], reusing and refreshing `cache`'s per-definition results (see
/// `chunks.rs`): what an open document's analysis calls on every change.
pub fn extract_cached(src: &str, tree: &Tree, cache: Option<&mut ChunkCache>) -> Extraction {
    extract_with(src, tree, cache, true)
}

/// [`extract`] visiting every node: what pruning the walk must not change.
#[doc(hidden)]
pub fn extract_unpruned(src: &str, tree: &Tree) -> Extraction {
    extract_with(src, tree, None, false)
}

fn extract_with(
    src: &str,
    tree: &Tree,
    mut cache: Option<&mut ChunkCache>,
    prune: bool,
) -> Extraction {
    let q = summary_query();
    let mut ex = Extractor {
        src,
        q,
        out: Extraction::default(),
        def_stack: Vec::new(),
        imports: HashMap::default(),
        locals: HashMap::default(),
        instances: HashMap::default(),
        module_constants: HashMap::default(),
        ctx: 0,
        decorators: None,
        prune,
    };
    let root = tree.root_node();
    ex.collect_module_constants(root);
    ex.out.structure.collect_main_guards(root, src);
    let mut old = cache
        .as_deref_mut()
        .map(|c| std::mem::take(&mut c.entries))
        .unwrap_or_default();
    let mut reused = 0;
    // Pre-order walk = the captures of summary.scm in document order, one
    // top-level statement at a time so that cached definitions can be skipped.
    ex.dispatch(root);
    let mut top = root.walk();
    let mut more = top.goto_first_child();
    while more {
        let node = top.node();
        match cache.as_deref_mut().filter(|_| is_chunk(node)) {
            None => ex.walk(node),
            Some(cache) => {
                let text = &src[node.byte_range()];
                let key = chunks::key(text, ex.ctx);
                let start = node.start_byte() as u32;
                match old.remove(&key).filter(|c| c.matches(text, ex.ctx)) {
                    Some(mut chunk) => {
                        chunk.splice_into(&mut ex.out, start);
                        cache.entries.insert(key, chunk);
                        reused += 1;
                    }
                    None => {
                        let (base, ctx) = (Mark::of(&ex.out), ex.ctx);
                        ex.walk(node);
                        // a chunk that changed shared state is not replayable
                        if ex.ctx == ctx && base.no_imports_until(&Mark::of(&ex.out)) {
                            let chunk = Chunk::record(&ex.out, base, text, start, ctx);
                            cache.entries.insert(key, chunk);
                        }
                    }
                }
            }
        }
        more = top.goto_next_sibling();
    }
    ex.out.structure.finish();
    if let Some(cache) = cache {
        cache.reused = reused;
    }
    // IaC: resources built from the calls and assignments just extracted.
    ex.out.iac = crate::iac::model::build(src, tree, &ex.out);
    ex.out
}

/// Longest node text [`text_may_dispatch`] reads: larger nodes almost always
/// hold something, and a long scan per level would make the walk quadratic.
const PRUNE_TEXT_MAX: usize = 384;

/// Bytes [`text_may_dispatch`] looks at: 1 for a mark, 2 for the first letter
/// of `in`/`is`, 3 for that of `await`.
static MARKS: [u8; 256] = {
    let mut t = [0u8; 256];
    let marks = b"([{:<>=#";
    let mut i = 0;
    while i < marks.len() {
        t[marks[i] as usize] = 1;
        i += 1;
    }
    t[b'i' as usize] = 2;
    t[b'a' as usize] = 3;
    t
};

/// Whether a node with this text may have a dispatched node strictly below
/// it. Each dispatched kind leaves a mark in its text: a call its `(`, a
/// subscript `[`, a pair `:`, an assignment `=`, a comparison `<`, `>`, `=`,
/// `in` or `is`, `await` its keyword, a comment `#`; statements, `with`
/// items and `except` clauses only sit under nodes whose text has a `:`
/// (blocks, the module and with clauses are never pruned). Conservative: a
/// mark inside a string literal counts too.
///
/// Two marks are the node's own and are not counted. A bracket that opens
/// the text (no node below starts there: calls and subscripts start with
/// their callee or value), so `(a, b.c)` holds nothing. And the first
/// occurrence of `own`, the mark of the node's own kind (`(` for a call):
/// any node below of that kind adds a second one.
pub(crate) fn text_may_dispatch(text: &[u8], own: u8) -> bool {
    let inner = match text {
        [b'(' | b'[' | b'{', inner @ .., b')' | b']' | b'}'] => inner,
        _ => text,
    };
    let ident = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80;
    let mut own_seen = own == 0;
    for (i, &b) in inner.iter().enumerate() {
        match MARKS[b as usize] {
            0 => {}
            1 if !own_seen && b == own => own_seen = true,
            1 => return true,
            2 if matches!(inner.get(i + 1), Some(b'n' | b's')) => {
                // a keyword, not part of a name (a digit before counts as a
                // boundary: `1in x`)
                let before = i.checked_sub(1).map(|j| inner[j]);
                let after = inner.get(i + 2).copied();
                let glued = |c: Option<u8>| c.is_some_and(|c| ident(c) && !c.is_ascii_digit());
                if !glued(before) && !after.is_some_and(ident) {
                    return true;
                }
            }
            3 if inner[i..].starts_with(b"await") => return true,
            _ => {}
        }
    }
    false
}

/// A top-level statement whose extraction can be cached: a definition that
/// parsed cleanly (an incremental re-parse may recover from errors
/// differently from a fresh one).
fn is_chunk(node: Node) -> bool {
    matches!(
        node.kind_id(),
        kinds::FUNCTION_DEFINITION | kinds::CLASS_DEFINITION | kinds::DECORATED_DEFINITION
    ) && !node.has_error()
}

fn range(node: Node) -> TextRange {
    TextRange::new(node.start_byte(), node.end_byte())
}

fn node_text_range(r: TextRange, src: &str) -> &str {
    src.get(r.start as usize..r.end as usize).unwrap_or("")
}

impl<'a> Extractor<'a> {
    fn text(&self, node: Node) -> &'a str {
        node_text(node, self.src)
    }

    fn enclosing(&mut self, at: u32) -> Option<u32> {
        while let Some(&(_, end)) = self.def_stack.last() {
            if at >= end {
                self.def_stack.pop();
            } else {
                break;
            }
        }
        self.def_stack.last().map(|&(i, _)| i)
    }

    fn dispatch(&mut self, node: Node) {
        if let Some(Some(capture)) = self.q.dispatch.get(node.kind_id() as usize) {
            self.visit(*capture, node);
        }
    }

    /// Pre-order walk of `node`'s subtree.
    ///
    /// Counts children instead of asking the cursor for a next sibling until
    /// it fails: a failed `goto_next_sibling` climbs and re-descends the
    /// hidden nodes above (Python's grammar has many: repetitions, supertypes)
    /// and happens once per inner node; `child_count` is O(1).
    fn walk(&mut self, node: Node) {
        let mut cursor = node.walk();
        let mut left: Vec<usize> = Vec::new();
        loop {
            let node = cursor.node();
            self.dispatch(node);
            let children = node.child_count();
            if children > 0 && !self.nothing_below(node, children) && cursor.goto_first_child() {
                left.push(children - 1);
                continue;
            }
            loop {
                match left.last_mut() {
                    None => return,
                    Some(0) => {
                        left.pop();
                        cursor.goto_parent();
                    }
                    Some(n) => {
                        *n -= 1;
                        cursor.goto_next_sibling();
                        break;
                    }
                }
            }
        }
    }

    /// Whether no node under `node` can be one the walk dispatches on, so
    /// that its children need not be visited (most of them are leaves).
    ///
    /// The smallest dispatched nodes are statements of two nodes (`break`,
    /// `return`, `x` as an expression statement) and `with x` items, which
    /// only sit directly in a block, the module or a with clause (never
    /// skipped), then `await x` (three nodes). Any other node holding a
    /// dispatched node of `d` nodes has at least `d + children - 1` nodes
    /// below it, so one with fewer than `children + 2` below holds none
    /// (`descendant_count` counts the node itself). Comments can sit
    /// anywhere, so a node whose text has a `#` is always descended; so is a
    /// node with a syntax error, whose children obey no grammar.
    ///
    /// Larger subtrees are skipped by their text (see [`text_may_dispatch`]):
    /// every dispatched node has a mark in its text, and every node that can
    /// hold a statement has a `:`.
    fn nothing_below(&self, node: Node, children: usize) -> bool {
        if !self.prune
            || matches!(
                node.kind_id(),
                kinds::BLOCK | kinds::MODULE | kinds::WITH_CLAUSE
            )
            || node.has_error()
        {
            return false;
        }
        let text = &self.src.as_bytes()[node.byte_range()];
        if node.descendant_count() < children + 3 {
            return !text.contains(&b'#');
        }
        let own = match node.kind_id() {
            kinds::CALL => b'(',
            kinds::SUBSCRIPT => b'[',
            kinds::PAIR => b':',
            kinds::ASSIGNMENT | kinds::KEYWORD_ARGUMENT => b'=',
            _ => 0,
        };
        text.len() <= PRUNE_TEXT_MAX && !text_may_dispatch(text, own)
    }

    fn visit(&mut self, capture: u32, node: Node) {
        let q = self.q;
        let enclosing = self.enclosing(node.start_byte() as u32);
        if capture == q.call {
            self.visit_call(node, enclosing);
        } else if capture == q.assignment {
            self.visit_assignment_and_structure(node, enclosing);
        } else if capture == q.decorated {
            self.visit_decorated(node);
        } else if capture == q.function || capture == q.class {
            self.visit_def(node, enclosing, capture == q.class);
        } else if capture == q.import || capture == q.import_from {
            self.visit_import(node, enclosing, capture == q.import_from);
        } else if capture == q.subscript {
            self.visit_subscript(node, enclosing);
        } else if capture == q.pair {
            self.visit_pair(node, enclosing);
        } else if capture == q.with_item {
            self.visit_with_item(node, enclosing);
        } else if capture == q.comment {
            self.out.comments.push(range(node));
        } else if let Some(kind) = structure::kind_of(capture) {
            self.out.structure.visit(kind, node, self.src, enclosing);
        }
        self.visit_structure_extras(capture, node, enclosing);
    }

    /// Structure facts attached to calls (kept apart from their extractor;
    /// assignments get theirs in `visit_assignment_and_structure`).
    fn visit_structure_extras(&mut self, capture: u32, node: Node, enclosing: Option<u32>) {
        let q = self.q;
        if capture == q.call {
            let n = self.out.calls.len();
            if n > self.out.structure.call_ctx.len() {
                if let Some(call) = self.out.calls.last() {
                    self.out
                        .structure
                        .visit_call(node, call, (n - 1) as u32, enclosing);
                }
            }
        }
    }

    /// Module-level `NAME = literal` assignments, known before any function body
    /// that uses them is visited. A name assigned twice is not a constant.
    fn collect_module_constants(&mut self, root: Node) {
        let mut seen: HashMap<SmolStr, u32> = HashMap::default();
        let mut cursor = root.walk();
        let scope = ModuleScope(self);
        let mut found = Vec::new();
        for stmt in root.named_children(&mut cursor) {
            if kinds::name(stmt) != "expression_statement" {
                continue;
            }
            let Some(assign) = stmt
                .named_child(0)
                .filter(|n| kinds::name(n) == "assignment")
            else {
                continue;
            };
            let (Some(left), Some(right)) = (
                assign.child_by_field_id(fields::LEFT),
                assign.child_by_field_id(fields::RIGHT),
            ) else {
                continue;
            };
            if kinds::name(left) != "identifier" {
                continue;
            }
            let name = SmolStr::new(node_text(left, scope.0.src));
            *seen.entry(name.clone()).or_default() += 1;
            let value = eval(right, scope.0.src, &scope);
            if value.is_constant() {
                found.push(Constant {
                    name,
                    value,
                    range: range(assign),
                });
            }
        }
        for c in found {
            if seen.get(&c.name) == Some(&1) {
                let text = node_text_range(c.range, self.src);
                self.ctx = chunks::fold(self.ctx, b'c', text);
                self.module_constants
                    .insert(c.name.clone(), c.value.clone());
                self.out.constants.push(c);
            }
        }
    }

    fn visit_def(&mut self, node: Node, parent: Option<u32>, is_class: bool) {
        let Some(name_node) = node.child_by_field_id(fields::NAME) else {
            return;
        };
        let decorators = match self.decorators.take() {
            Some((at, list)) if at == node.start_byte() => list,
            other => {
                self.decorators = other;
                Vec::new()
            }
        };
        let name = SmolStr::new(self.text(name_node));
        let parent_def = parent.map(|p| &self.out.defs[p as usize]);
        let qualname = match parent_def {
            Some(p) => SmolStr::new(format!("{}.{}", p.qualname, name)),
            None => name.clone(),
        };
        let kind = match (is_class, parent_def.map(|p| p.kind)) {
            (true, _) => DefKind::Class,
            (false, Some(DefKind::Class)) => DefKind::Method,
            _ => DefKind::Function,
        };
        let bases = if is_class {
            node.child_by_field_id(fields::SUPERCLASSES)
                .map(|args| {
                    let mut c = args.walk();
                    args.named_children(&mut c)
                        .map(|b| value::truncate(self.text(b)))
                        .collect()
                })
                .unwrap_or_default()
        } else {
            Vec::new()
        };
        let params = if is_class {
            Vec::new()
        } else {
            node.child_by_field_id(fields::PARAMETERS)
                .map(|p| self.params(p))
                .unwrap_or_default()
        };
        let def = Def {
            name,
            qualname,
            kind,
            is_async: node.child(0).is_some_and(|c| kinds::name(c) == "async"),
            range: range(node),
            name_range: range(name_node),
            params,
            decorators,
            bases,
            returns: node
                .child_by_field_id(fields::RETURN_TYPE)
                .map(|r| value::truncate(self.text(r))),
            docstring: node
                .child_by_field_id(fields::BODY)
                .and_then(|b| self.docstring(b)),
            parent,
        };
        let idx = self.out.defs.len() as u32;
        self.out.defs.push(def);
        self.def_stack.push((idx, node.end_byte() as u32));
    }

    fn visit_decorated(&mut self, node: Node) {
        let Some(def) = node.child_by_field_id(fields::DEFINITION) else {
            return;
        };
        let mut c = node.walk();
        let list = node
            .named_children(&mut c)
            .filter(|d| kinds::name(d) == "decorator")
            .map(|d| SmolStr::new(self.text(d).trim_start_matches('@').trim()))
            .collect();
        self.decorators = Some((def.start_byte(), list));
    }

    fn params(&self, params: Node) -> Vec<Param> {
        let mut out = Vec::new();
        let mut keyword_only = false;
        let mut c = params.walk();
        for p in params.named_children(&mut c) {
            let field = |id: u16| p.child_by_field_id(id);
            let (name, kind, annotation, default) = match kinds::name(p) {
                "identifier" => (Some(p), ParamKind::Positional, None, None),
                "typed_parameter" => {
                    let inner = p.named_child(0);
                    let kind = match inner.map(kinds::name) {
                        Some("list_splat_pattern") => ParamKind::VarArgs,
                        Some("dictionary_splat_pattern") => ParamKind::VarKeyword,
                        _ => ParamKind::Positional,
                    };
                    let name = inner.map(|i| {
                        if kinds::name(i) == "identifier" {
                            i
                        } else {
                            i.named_child(0).unwrap_or(i)
                        }
                    });
                    (name, kind, field(fields::TYPE), None)
                }
                "default_parameter" => (
                    field(fields::NAME),
                    ParamKind::Positional,
                    None,
                    field(fields::VALUE),
                ),
                "typed_default_parameter" => (
                    field(fields::NAME),
                    ParamKind::Positional,
                    field(fields::TYPE),
                    field(fields::VALUE),
                ),
                "list_splat_pattern" => (p.named_child(0), ParamKind::VarArgs, None, None),
                "dictionary_splat_pattern" => (p.named_child(0), ParamKind::VarKeyword, None, None),
                "keyword_separator" => {
                    keyword_only = true;
                    continue;
                }
                "positional_separator" => {
                    out.push(Param {
                        name: SmolStr::new("/"),
                        kind: ParamKind::PositionalOnlyMarker,
                        annotation: None,
                        default: None,
                    });
                    continue;
                }
                _ => continue,
            };
            let Some(name) = name else { continue };
            let kind = match kind {
                ParamKind::VarArgs => {
                    keyword_only = true;
                    kind
                }
                ParamKind::Positional if keyword_only => ParamKind::KeywordOnly,
                k => k,
            };
            out.push(Param {
                name: SmolStr::new(self.text(name)),
                kind,
                annotation: annotation.map(|a| value::truncate(self.text(a))),
                default: default.map(|d| value::truncate(self.text(d))),
            });
        }
        out
    }

    fn docstring(&self, body: Node) -> Option<Box<str>> {
        let first = body.named_child(0)?;
        if kinds::name(first) != "expression_statement" {
            return None;
        }
        let s = first
            .named_child(0)
            .filter(|n| kinds::name(n) == "string")?;
        let mut c = s.walk();
        let text: String = s
            .named_children(&mut c)
            .filter(|n| kinds::name(n) == "string_content" || kinds::name(n) == "escape_sequence")
            .map(|n| self.text(n))
            .collect();
        let text = text.trim();
        (!text.is_empty()).then(|| text.into())
    }

    fn visit_import(&mut self, node: Node, enclosing: Option<u32>, from: bool) {
        let type_checking = under_type_checking(node, self.src);
        let in_function = enclosing.is_some();
        let push =
            |ex: &mut Self, module: &str, level: u8, name: Option<&str>, alias: Option<&str>| {
                let import = Import {
                    module: SmolStr::new(module),
                    name: name.map(SmolStr::new),
                    alias: alias.map(SmolStr::new),
                    level,
                    range: range(node),
                    in_function,
                    type_checking,
                };
                let (bound, target) = (import.bound_name(), import.target());
                ex.ctx = chunks::fold(chunks::fold(ex.ctx, b'i', bound), b'=', &target);
                ex.imports.insert(SmolStr::new(bound), SmolStr::new(target));
                ex.out.imports.push(import);
            };
        let mut c = node.walk();
        if !from {
            for child in node.children_by_field_name("name", &mut c) {
                match kinds::name(child) {
                    "aliased_import" => {
                        let name = child
                            .child_by_field_id(fields::NAME)
                            .map(|n| self.text(n))
                            .unwrap_or("");
                        let alias = child.child_by_field_id(fields::ALIAS).map(|n| self.text(n));
                        push(self, name, 0, None, alias);
                    }
                    _ => push(self, self.text(child), 0, None, None),
                }
            }
            return;
        }
        let (module, level) = match node.child_by_field_id(fields::MODULE_NAME) {
            Some(m) if kinds::name(m) == "relative_import" => {
                let mut mc = m.walk();
                let mut level = 0u8;
                let mut name = "";
                for part in m.named_children(&mut mc) {
                    match kinds::name(part) {
                        "import_prefix" => level = self.text(part).len().min(255) as u8,
                        _ => name = self.text(part),
                    }
                }
                (name, level)
            }
            Some(m) => (self.text(m), 0),
            None => ("", 0),
        };
        let mut any = false;
        for child in node.children_by_field_name("name", &mut c) {
            any = true;
            match kinds::name(child) {
                "aliased_import" => {
                    let name = child.child_by_field_id(fields::NAME).map(|n| self.text(n));
                    let alias = child.child_by_field_id(fields::ALIAS).map(|n| self.text(n));
                    push(self, module, level, name, alias);
                }
                _ => push(self, module, level, Some(self.text(child)), None),
            }
        }
        if !any {
            // `from m import *`
            let mut wc = node.walk();
            if node
                .named_children(&mut wc)
                .any(|n| kinds::name(n) == "wildcard_import")
            {
                self.out.imports.push(Import {
                    module: SmolStr::new(module),
                    name: Some(SmolStr::new("*")),
                    alias: None,
                    level,
                    range: range(node),
                    in_function,
                    type_checking,
                });
            }
        }
    }

    fn visit_call(&mut self, node: Node, enclosing: Option<u32>) {
        let (func, args_node) = fields::outer(node, fields::FUNCTION, fields::ARGUMENTS);
        let Some(func) = func else {
            return;
        };
        let callee = dotted_text(func, self.src);
        let scope = DefScope {
            ex: self,
            def: enclosing,
        };
        let at = func.start_byte() as u32;
        let qualified = scope.qualify(&callee, at);
        // exact size: the summary keeps it, and shrinking would reallocate
        let mut args = Vec::with_capacity(args_node.map_or(0, |a| a.named_child_count()));
        let mut has_star_args = false;
        let mut has_star_kwargs = false;
        if let Some(list) = args_node {
            let mut c = list.walk();
            for a in list.named_children(&mut c) {
                match a.kind_id() {
                    kinds::KEYWORD_ARGUMENT => {
                        let (name, value) = fields::outer(a, fields::NAME, fields::VALUE);
                        let name = name.map(|n| SmolStr::new(self.text(n)));
                        let value = value
                            .map(|v| eval(v, self.src, &scope))
                            .unwrap_or(Value::None);
                        args.push(Arg {
                            keyword: name,
                            value,
                            range: range(a),
                        });
                    }
                    kinds::LIST_SPLAT => has_star_args = true,
                    kinds::DICTIONARY_SPLAT => has_star_kwargs = true,
                    kinds::COMMENT => {}
                    _ => args.push(Arg {
                        keyword: None,
                        value: eval(a, self.src, &scope),
                        range: range(a),
                    }),
                }
            }
        }
        let service = scope.service_of(&callee, at);
        let call = CallSite {
            callee: SmolStr::new(&callee),
            qualified,
            range: range(node),
            callee_range: range(func),
            args_range: args_node.map(range).unwrap_or_default(),
            args,
            has_star_args,
            has_star_kwargs,
            enclosing,
        };
        if let Some(effect) = effects::classify(&call, service.as_deref()) {
            self.out.effects.push(effect);
        }
        self.out.calls.push(call);
    }

    /// An assignment, and the structure facts rules read from it; its two
    /// sides are looked up once (`child_by_field_id` is not cheap).
    fn visit_assignment_and_structure(&mut self, node: Node, enclosing: Option<u32>) {
        let (left, right) = fields::assignment_sides(node);
        if let (Some(left), Some(right)) = (left, right) {
            self.visit_assignment(node, left, right, enclosing);
            self.out
                .structure
                .visit_keyed_assignment(node, left, right, self.src);
        }
        if let Some(left) = left.filter(|l| l.kind_id() == kinds::IDENTIFIER) {
            let target = SmolStr::new(self.text(left));
            self.out
                .structure
                .visit_assignment(node, &target, enclosing);
        }
    }

    fn visit_assignment(&mut self, node: Node, left: Node, right: Node, enclosing: Option<u32>) {
        let left_is_name = left.kind_id() == kinds::IDENTIFIER;
        if !left_is_name && left.kind_id() != kinds::ATTRIBUTE {
            return;
        }
        let target = SmolStr::new(dotted_text(left, self.src));
        let scope = DefScope {
            ex: self,
            def: enclosing,
        };
        let value = eval(right, self.src, &scope);
        let at = node.end_byte() as u32;
        let instance = (right.kind_id() == kinds::CALL)
            .then(|| scope.instance_of(right, at))
            .flatten();
        if left_is_name {
            if enclosing.is_none() {
                // module-level bindings are read by decorators of later defs
                self.ctx = chunks::fold(self.ctx, b'a', self.text(node));
            }
            if let Some(inst) = instance {
                self.instances
                    .entry(enclosing)
                    .or_default()
                    .entry(target.clone())
                    .or_default()
                    .push(inst);
            }
            self.locals
                .entry(enclosing)
                .or_default()
                .entry(target.clone())
                .or_default()
                .push(LocalValue {
                    at,
                    value: value.clone(),
                });
        }
        self.out.assignments.push(Assignment {
            target,
            value,
            range: range(node),
            value_range: range(right),
            enclosing,
        });
    }

    fn visit_with_item(&mut self, node: Node, enclosing: Option<u32>) {
        // `with requests.Session() as s:` binds `s` to the session.
        let Some(value) = node
            .child_by_field_id(fields::VALUE)
            .filter(|v| kinds::name(v) == "as_pattern")
        else {
            return;
        };
        let (Some(expr), Some(alias)) =
            (value.named_child(0), value.child_by_field_id(fields::ALIAS))
        else {
            return;
        };
        let Some(name) = alias
            .named_child(0)
            .filter(|n| kinds::name(n) == "identifier")
        else {
            return;
        };
        if kinds::name(expr) != "call" {
            return;
        }
        let scope = DefScope {
            ex: self,
            def: enclosing,
        };
        if let Some(inst) = scope.instance_of(expr, node.end_byte() as u32) {
            if enclosing.is_none() {
                self.ctx = chunks::fold(self.ctx, b'w', self.text(node));
            }
            let name = SmolStr::new(self.text(name));
            self.instances
                .entry(enclosing)
                .or_default()
                .entry(name)
                .or_default()
                .push(inst);
        }
    }

    fn visit_subscript(&mut self, node: Node, enclosing: Option<u32>) {
        let Some(base) = node.child_by_field_id(fields::VALUE) else {
            return;
        };
        if !matches!(kinds::name(base), "attribute" | "identifier") {
            return;
        }
        let scope = DefScope {
            ex: self,
            def: enclosing,
        };
        if scope.qualify(&dotted_text(base, self.src), base.start_byte() as u32) != "os.environ" {
            return;
        }
        let key = node
            .child_by_field_id(fields::SUBSCRIPT)
            .map(|k| eval(k, self.src, &scope));
        // `os.environ["X"] = v` writes the environment; only reads are effects.
        if node.parent().is_some_and(|p| {
            kinds::name(p) == "assignment" && p.child_by_field_id(fields::LEFT) == Some(node)
        }) {
            return;
        }
        self.out.effects.push(Effect {
            kind: EffectKind::EnvRead,
            api: SmolStr::new("os.environ"),
            target: key.and_then(|k| k.as_str().map(SmolStr::new)),
            range: range(node),
            enclosing,
        });
    }

    fn visit_pair(&mut self, node: Node, enclosing: Option<u32>) {
        let (Some(key), Some(value)) = fields::outer(node, fields::KEY, fields::VALUE) else {
            return;
        };
        if key.kind_id() != kinds::STRING
            || !matches!(
                value.kind_id(),
                kinds::STRING
                    | kinds::CONCATENATED_STRING
                    | kinds::IDENTIFIER
                    | kinds::BINARY_OPERATOR
                    | kinds::PARENTHESIZED_EXPRESSION
            )
        {
            return;
        }
        let scope = DefScope {
            ex: self,
            def: enclosing,
        };
        let Value::Str(key_text) = eval(key, self.src, &scope) else {
            return;
        };
        let value_node = value;
        let value = eval(value, self.src, &scope);
        self.out.pairs.push(DictPair {
            key: SmolStr::new(&*key_text),
            value,
            range: range(node),
            value_range: TextRange::new(value_node.start_byte(), node.end_byte()),
        });
    }
}

/// Is `node` inside `if TYPE_CHECKING:` (or `typing.TYPE_CHECKING`)?
fn under_type_checking(node: Node, src: &str) -> bool {
    let mut cur = node.parent();
    let mut depth = 0;
    while let Some(n) = cur {
        depth += 1;
        if depth > 6 {
            break;
        }
        if kinds::name(n) == "if_statement" {
            let cond = n
                .child_by_field_id(fields::CONDITION)
                .map(|c| node_text(c, src));
            return matches!(cond, Some("TYPE_CHECKING") | Some("typing.TYPE_CHECKING"));
        }
        cur = n.parent();
    }
    false
}

/// The evaluator's view from inside a definition (or the module, `def: None`).
struct DefScope<'e, 'a> {
    ex: &'e Extractor<'a>,
    def: Option<u32>,
}

impl DefScope<'_, '_> {
    fn is_param(&self, name: &str) -> bool {
        let mut cur = self.def;
        while let Some(i) = cur {
            let d = &self.ex.out.defs[i as usize];
            if d.params.iter().any(|p| p.name == name) {
                return true;
            }
            cur = d.parent;
        }
        false
    }

    /// The object `name` is bound to at byte offset `at`: the last binding
    /// that ends before it, in this definition or else at module level.
    fn instance(&self, name: &str, at: u32) -> Option<&Instance> {
        for def in [self.def, None] {
            if let Some(list) = self.ex.instances.get(&def).and_then(|m| m.get(name)) {
                if let Some(inst) = list.iter().rev().find(|i| i.at <= at) {
                    return Some(inst);
                }
            }
            if self.def.is_none() {
                break;
            }
        }
        None
    }

    /// The instance a call expression creates, if it reads like a constructor
    /// or client factory: `requests.Session()`, `boto3.client("s3")`, `Deployer()`;
    /// bound from `at` on.
    fn instance_of(&self, call: Node, at: u32) -> Option<Instance> {
        let (func, args) = fields::outer(call, fields::FUNCTION, fields::ARGUMENTS);
        let func = func?;
        let ty = self.qualify(&dotted_text(func, self.ex.src), func.start_byte() as u32);
        let service = effects::is_cloud_factory(&ty)
            .then(|| {
                let first = args?.named_child(0)?;
                match eval(first, self.ex.src, self) {
                    Value::Str(s) => Some(SmolStr::new(&*s)),
                    _ => None,
                }
            })
            .flatten();
        Some(Instance { at, ty, service })
    }

    /// The cloud service of the object a callee is called on (`s3.put_object`
    /// where `s3 = boto3.client("s3")`).
    fn service_of(&self, callee: &str, at: u32) -> Option<SmolStr> {
        let head = callee.split(['.', '(']).next()?;
        self.instance(head, at).and_then(|i| i.service.clone())
    }
}

impl Scope for DefScope<'_, '_> {
    fn lookup(&self, name: &str, at: u32) -> Option<Value> {
        if let Some(list) = self.ex.locals.get(&self.def).and_then(|m| m.get(name)) {
            if let Some(v) = list.iter().rev().find(|v| v.at <= at) {
                return Some(v.value.clone());
            }
        }
        if self.is_param(name) {
            return Some(Value::Dynamic {
                kind: DynKind::Param,
                text: SmolStr::new(name),
                taint: Taint::PARAM,
            });
        }
        self.ex.module_constants.get(name).cloned()
    }

    fn qualify(&self, dotted: &str, at: u32) -> SmolStr {
        let split = dotted
            .bytes()
            .position(|b| b == b'.' || b == b'(')
            .unwrap_or(dotted.len());
        let (head, rest) = dotted.split_at(split);
        let base = if let Some(inst) = self.instance(head, at).filter(|_| !rest.is_empty()) {
            // a local bound to `requests.Session()`: `s.get` -> `requests.Session.get`
            inst.ty.clone()
        } else if let Some(target) = self.ex.imports.get(head) {
            target.clone()
        } else {
            return normalize_calls(dotted);
        };
        if rest.is_empty() {
            return base;
        }
        if rest.contains('(') {
            return normalize_calls(&format!("{base}{rest}"));
        }
        // `base` is already normalized: join in place (short names stay
        // inline, with no temporary string)
        let mut joined = smol_str::SmolStrBuilder::with_capacity(base.len() + rest.len());
        joined.push_str(&base);
        joined.push_str(rest);
        joined.finish()
    }
}

/// `boto3.client().put_object` -> `boto3.client.put_object`. A trailing
/// `()` stays: the callee of `eval(x)(y)` is what `eval` returned, not
/// `eval`.
fn normalize_calls(s: &str) -> SmolStr {
    if !s.contains('(') {
        return SmolStr::new(s);
    }
    SmolStr::new(s.replace("().", "."))
}

/// Scope for module-level constant folding: only literals and earlier constants.
struct ModuleScope<'e, 'a>(&'e Extractor<'a>);

impl Scope for ModuleScope<'_, '_> {
    fn lookup(&self, name: &str, _at: u32) -> Option<Value> {
        self.0.module_constants.get(name).cloned()
    }
    fn qualify(&self, dotted: &str, _at: u32) -> SmolStr {
        SmolStr::new(dotted)
    }
}
