//! Per-definition reuse of extraction results for open documents.
//!
//! A keystroke changes one top-level definition; the others keep their text
//! and, as long as the module-level state they read is the same, extract to
//! the same items — only at other byte offsets and list indices. The extractor
//! keeps, per open document, what each top-level `def`/`class` produced, keyed
//! by the definition's exact text and a fingerprint of that state, and on the
//! next analysis splices those items in (shifted and renumbered) instead of
//! walking the subtree again. `server/tests/incremental.rs` checks the result
//! equals a fresh extraction, field by field, after random edits.
//!
//! What a top-level definition reads besides its own subtree: the import map,
//! module-level locals and instances (decorators are evaluated at module
//! scope), and the module constants. The extractor folds every write to the
//! first three into `ctx` and all module constants into `consts`; a chunk that
//! writes any of them itself (an import inside a function) is never cached, so
//! replaying a cached chunk never has state effects to replay.

use super::extract::{Assignment, DictPair, Extraction};
use super::structure::{Assert, CallCtx, Comparison, Except, KeyedAssignment, Loop};
use super::summary::{CallSite, Def, Effect};
use crate::text::TextRange;
use rustc_hash::FxHashMap;
use std::hash::{Hash, Hasher};

/// One open document's reusable chunks, rebuilt by every extraction that is
/// given it (entries not seen in the latest text are dropped).
#[derive(Default)]
pub struct ChunkCache {
    pub(super) entries: FxHashMap<u64, Chunk>,
    /// Definitions the last run spliced in instead of walking (for tests).
    pub reused: u32,
}

impl ChunkCache {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

/// Lengths of the extraction's lists at a point of the walk.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(super) struct Mark {
    defs: u32,
    imports: u32,
    calls: u32,
    effects: u32,
    assignments: u32,
    pairs: u32,
    comments: u32,
    loops: u32,
    excepts: u32,
    asserts: u32,
    comparisons: u32,
    call_ctx: u32,
    keyed: u32,
}

impl Mark {
    pub(super) fn of(ex: &Extraction) -> Self {
        let s = &ex.structure;
        let n = |len: usize| len as u32;
        Self {
            defs: n(ex.defs.len()),
            imports: n(ex.imports.len()),
            calls: n(ex.calls.len()),
            effects: n(ex.effects.len()),
            assignments: n(ex.assignments.len()),
            pairs: n(ex.pairs.len()),
            comments: n(ex.comments.len()),
            loops: n(s.loops.len()),
            excepts: n(s.excepts.len()),
            asserts: n(s.asserts.len()),
            comparisons: n(s.comparisons.len()),
            call_ctx: n(s.call_ctx.len()),
            keyed: n(s.keyed_assignments.len()),
        }
    }

    /// Whether the chunk between `self` and `after` added no imports: the
    /// one kind of item that also writes shared state.
    pub(super) fn no_imports_until(&self, after: &Mark) -> bool {
        self.imports == after.imports
    }
}

/// What one top-level definition produced, at the offsets and indices where
/// it was last placed.
pub(super) struct Chunk {
    text: Box<str>,
    ctx: u64,
    start: u32,
    base: Mark,
    defs: Vec<Def>,
    calls: Vec<CallSite>,
    effects: Vec<Effect>,
    assignments: Vec<Assignment>,
    pairs: Vec<DictPair>,
    comments: Vec<TextRange>,
    loops: Vec<Loop>,
    excepts: Vec<Except>,
    asserts: Vec<Assert>,
    comparisons: Vec<Comparison>,
    call_ctx: Vec<CallCtx>,
    keyed: Vec<KeyedAssignment>,
}

/// The cache key of a chunk: its text and the state it reads.
pub(super) fn key(text: &str, ctx: u64) -> u64 {
    let mut h = rustc_hash::FxHasher::default();
    text.hash(&mut h);
    ctx.hash(&mut h);
    h.finish()
}

/// Folds one event into a fingerprint (order-sensitive).
pub(super) fn fold(fp: u64, tag: u8, text: &str) -> u64 {
    let mut h = rustc_hash::FxHasher::default();
    fp.hash(&mut h);
    tag.hash(&mut h);
    text.hash(&mut h);
    h.finish()
}

fn tail<T: Clone>(v: &[T], from: u32) -> Vec<T> {
    v[from as usize..].to_vec()
}

impl Chunk {
    /// Copies what the walk added to `ex` since `base` (the chunk `text`
    /// starting at byte `start`, extracted under `ctx`).
    pub(super) fn record(ex: &Extraction, base: Mark, text: &str, start: u32, ctx: u64) -> Self {
        let s = &ex.structure;
        Self {
            text: text.into(),
            ctx,
            start,
            base,
            defs: tail(&ex.defs, base.defs),
            calls: tail(&ex.calls, base.calls),
            effects: tail(&ex.effects, base.effects),
            assignments: tail(&ex.assignments, base.assignments),
            pairs: tail(&ex.pairs, base.pairs),
            comments: tail(&ex.comments, base.comments),
            loops: tail(&s.loops, base.loops),
            excepts: tail(&s.excepts, base.excepts),
            asserts: tail(&s.asserts, base.asserts),
            comparisons: tail(&s.comparisons, base.comparisons),
            call_ctx: tail(&s.call_ctx, base.call_ctx),
            keyed: tail(&s.keyed_assignments, base.keyed),
        }
    }

    pub(super) fn matches(&self, text: &str, ctx: u64) -> bool {
        self.ctx == ctx && &*self.text == text
    }

    /// Moves the chunk to byte `start` and list positions `base`, then
    /// appends copies of its items to `ex`.
    pub(super) fn splice_into(&mut self, ex: &mut Extraction, start: u32) {
        let base = Mark::of(ex);
        self.relocate(start, base);
        ex.defs.extend_from_slice(&self.defs);
        ex.calls.extend_from_slice(&self.calls);
        ex.effects.extend_from_slice(&self.effects);
        ex.assignments.extend_from_slice(&self.assignments);
        ex.pairs.extend_from_slice(&self.pairs);
        ex.comments.extend_from_slice(&self.comments);
        let s = &mut ex.structure;
        s.loops.extend_from_slice(&self.loops);
        s.excepts.extend_from_slice(&self.excepts);
        s.asserts.extend_from_slice(&self.asserts);
        s.comparisons.extend_from_slice(&self.comparisons);
        s.call_ctx.extend_from_slice(&self.call_ctx);
        s.keyed_assignments.extend_from_slice(&self.keyed);
    }

    /// Rewrites every byte offset and every cross-reference (definition,
    /// call and handler indices) for a move to `start` / `base`.
    fn relocate(&mut self, start: u32, base: Mark) {
        if start == self.start && base == self.base {
            return;
        }
        let shift = Shift {
            by: start.wrapping_sub(self.start),
        };
        let def = Renumber {
            from: self.base.defs,
            to: base.defs,
        };
        let call = Renumber {
            from: self.base.calls,
            to: base.calls,
        };
        let except = Renumber {
            from: self.base.excepts,
            to: base.excepts,
        };
        for d in &mut self.defs {
            shift.all([&mut d.range, &mut d.name_range]);
            def.opt(&mut d.parent);
        }
        for c in &mut self.calls {
            shift.all([&mut c.range, &mut c.callee_range, &mut c.args_range]);
            for a in &mut c.args {
                shift.one(&mut a.range);
            }
            def.opt(&mut c.enclosing);
        }
        for e in &mut self.effects {
            shift.one(&mut e.range);
            def.opt(&mut e.enclosing);
        }
        for a in &mut self.assignments {
            shift.all([&mut a.range, &mut a.value_range]);
            def.opt(&mut a.enclosing);
        }
        for p in &mut self.pairs {
            shift.all([&mut p.range, &mut p.value_range]);
        }
        for c in &mut self.comments {
            shift.one(c);
        }
        for l in &mut self.loops {
            shift.all([&mut l.range, &mut l.header]);
            def.opt(&mut l.enclosing);
            l.retrying_handlers.iter_mut().for_each(|h| except.one(h));
            l.sleeps.iter_mut().for_each(|c| call.one(c));
        }
        for e in &mut self.excepts {
            shift.all([&mut e.range, &mut e.header]);
            def.opt(&mut e.enclosing);
        }
        for a in &mut self.asserts {
            shift.all([&mut a.range, &mut a.test]);
            if let Some(m) = &mut a.msg {
                shift.one(m);
            }
            def.opt(&mut a.enclosing);
        }
        for c in &mut self.comparisons {
            shift.one(&mut c.range);
        }
        for k in &mut self.keyed {
            shift.one(&mut k.range);
        }
        self.start = start;
        self.base = base;
    }
}

/// A byte-offset move (wrapping: a move towards the start is a wrapped add).
struct Shift {
    by: u32,
}

impl Shift {
    fn one(&self, r: &mut TextRange) {
        r.start = r.start.wrapping_add(self.by);
        r.end = r.end.wrapping_add(self.by);
    }

    fn all<const N: usize>(&self, rs: [&mut TextRange; N]) {
        for r in rs {
            self.one(r);
        }
    }
}

/// A list-index move: indices at or after `from` in the old list are the
/// chunk's own and move to `to`.
struct Renumber {
    from: u32,
    to: u32,
}

impl Renumber {
    fn one(&self, i: &mut u32) {
        *i = i.wrapping_sub(self.from).wrapping_add(self.to);
    }

    fn opt(&self, i: &mut Option<u32>) {
        if let Some(i) = i {
            self.one(i);
        }
    }
}
