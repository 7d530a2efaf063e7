//! Which definition a position names: a definition's name, or a call site
//! whose callee resolves (by name in the file, `self.`/`cls.` methods, and
//! through the file's imports) to a definition in a workspace file.

use crate::index::{last_segment, CallSite, DefKind, FileSummary};
use crate::text::TextRange;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// A definition: the summary of its file and its index in `defs`.
#[derive(Clone, Debug)]
pub struct Target {
    pub file: Arc<FileSummary>,
    pub def: u32,
}

impl Target {
    pub fn def(&self) -> Option<&crate::index::Def> {
        self.file.defs.get(self.def as usize)
    }
}

/// The definition named at `offset` in `file`, and the range hovered (the
/// definition's name or the callee expression). `all` is every workspace
/// summary (any order), used to follow imports into other files.
pub fn target_at(
    file: &Arc<FileSummary>,
    offset: u32,
    all: &[Arc<FileSummary>],
) -> Option<(Target, TextRange)> {
    let touches = |r: TextRange| r.start <= offset && offset <= r.end;
    if let Some(i) = file.defs.iter().position(|d| touches(d.name_range)) {
        let target = Target {
            file: file.clone(),
            def: i as u32,
        };
        return Some((target, file.defs[i].name_range));
    }
    let call = file
        .calls
        .iter()
        .filter(|c| touches(c.callee_range))
        .min_by_key(|c| c.callee_range.len())?;
    // only the last segment of `a.b.c` names the callee
    let last_start = call.callee_range.end - last_segment(&call.callee).len() as u32;
    if offset < last_start && call.callee.contains('.') {
        return None;
    }
    let target = resolve_call(file, call, all)?;
    Some((target, call.callee_range))
}

/// The workspace definition a call site calls, when it can be told.
pub fn resolve_call(
    file: &Arc<FileSummary>,
    call: &CallSite,
    all: &[Arc<FileSummary>],
) -> Option<Target> {
    let local = |def: usize| Target {
        file: file.clone(),
        def: def as u32,
    };
    let callee = call.callee.as_str();
    // self.method() / cls.method(): a method of the enclosing class
    if let Some(method) = callee
        .strip_prefix("self.")
        .or_else(|| callee.strip_prefix("cls."))
        .filter(|m| !m.contains('.'))
    {
        let class = enclosing_class(file, call.enclosing)?;
        return file
            .defs
            .iter()
            .position(|d| d.parent == Some(class) && d.name == method)
            .map(local);
    }
    let q = call.qualified.trim_start_matches("self.");
    // a name defined in this file (functions and classes, or `Class.method`)
    if let Some(i) = file.defs.iter().position(|d| d.qualname == q) {
        return Some(local(i));
    }
    if !q.contains('.') {
        return None;
    }
    // through the imports: `pkg.mod.func`, `pkg.mod.Class.method`, `.mod.func`
    let dots = q.len() - q.trim_start_matches('.').len();
    let parts: Vec<&str> = q[dots..].split('.').collect();
    for split in (1..parts.len()).rev() {
        let module = &parts[..split];
        let qualname = parts[split..].join(".");
        if let Some(other) = module_file(all, dots, module, &file.path) {
            if let Some(i) = other.defs.iter().position(|d| d.qualname == qualname) {
                return Some(Target {
                    file: other.clone(),
                    def: i as u32,
                });
            }
        }
    }
    None
}

/// The class enclosing definition `def` (itself, a method's class, …).
pub fn enclosing_class(file: &FileSummary, mut def: Option<u32>) -> Option<u32> {
    let mut steps = 0;
    while let Some(i) = def {
        let d = file.defs.get(i as usize)?;
        if d.kind == DefKind::Class {
            return Some(i);
        }
        def = d.parent;
        steps += 1;
        if steps > 64 {
            break;
        }
    }
    None
}

/// The workspace file of a module given as its dotted parts, relative to
/// `from`'s package when `dots > 0`. Absolute names match by path suffix
/// (`a/b.py` or `a/b/__init__.py`); the candidate sharing most of `from`'s
/// folders wins. (Seam: the graph area's module resolver can replace this.)
pub fn module_file<'a>(
    all: &'a [Arc<FileSummary>],
    dots: usize,
    module: &[&str],
    from: &Path,
) -> Option<&'a Arc<FileSummary>> {
    let mut rel = PathBuf::new();
    for p in module {
        rel.push(p);
    }
    let as_file = rel.with_extension("py");
    let as_pkg = rel.join("__init__.py");
    if dots > 0 {
        let mut base = from.parent()?.to_path_buf();
        for _ in 1..dots {
            base = base.parent()?.to_path_buf();
        }
        let (f, p) = (base.join(&as_file), base.join(&as_pkg));
        return all.iter().find(|s| s.path == f || s.path == p);
    }
    // byte suffixes (`/a/b.py`, `/a/b/__init__.py`): one cheap comparison per file
    let sep = std::path::MAIN_SEPARATOR_STR;
    let file_suffix = format!("{sep}{}", as_file.to_string_lossy());
    let pkg_suffix = format!("{sep}{}", as_pkg.to_string_lossy());
    all.iter()
        .filter(|s| {
            let p = s.path.as_os_str().as_encoded_bytes();
            p.ends_with(file_suffix.as_bytes()) || p.ends_with(pkg_suffix.as_bytes())
        })
        // deterministic whatever the order of `all`: most shared folders, then path
        .max_by(|a, b| {
            common_prefix(&a.path, from)
                .cmp(&common_prefix(&b.path, from))
                .then_with(|| b.path.cmp(&a.path))
        })
}

fn common_prefix(a: &Path, b: &Path) -> usize {
    a.components()
        .zip(b.components())
        .take_while(|(x, y)| x == y)
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::RuleSettings;

    fn summary(path: &str, src: &str) -> Arc<FileSummary> {
        Arc::new(crate::index::analyze(
            Path::new(path),
            src,
            &RuleSettings::default(),
        ))
    }

    #[test]
    fn resolves_defs_methods_and_imports() {
        let util = summary(
            "/ws/pkg/util.py",
            "def helper():\n    pass\n\nclass Box:\n    def open(self):\n        pass\n",
        );
        let main_src = "from pkg import util\nfrom pkg.util import helper as h\n\nclass C:\n    def a(self):\n        self.b()\n    def b(self):\n        util.helper()\n        h()\n        util.Box().open()\n";
        let main = summary("/ws/pkg/main.py", main_src);
        let all = vec![main.clone(), util.clone()];
        let at = |needle: &str| {
            let off = main_src.find(needle).unwrap() as u32 + needle.len() as u32 - 1;
            target_at(&main, off, &all).map(|(t, _)| {
                let d = t.def().unwrap();
                (
                    t.file
                        .path
                        .file_name()
                        .unwrap()
                        .to_string_lossy()
                        .into_owned(),
                    d.qualname.to_string(),
                )
            })
        };
        assert_eq!(at("self.b"), Some(("main.py".into(), "C.b".into())));
        assert_eq!(at("util.helper"), Some(("util.py".into(), "helper".into())));
        assert_eq!(at("\n        h"), Some(("util.py".into(), "helper".into())));
        assert_eq!(
            at("Box().open"),
            Some(("util.py".into(), "Box.open".into()))
        );
        assert_eq!(at("def a"), Some(("main.py".into(), "C.a".into())));
        // the `util` part of `util.helper` is a module, not the function
        let off = main_src.find("util.helper()").unwrap() as u32 + 1;
        assert!(target_at(&main, off, &all).is_none());
    }
}
