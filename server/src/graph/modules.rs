//! Module names from paths, and import resolution.
//!
//! A file's module name is its path relative to the deepest *search root* that
//! contains it (`src = ["src", "."]` in config; default `[".", "src"]`, like
//! ruff), with `/` turned into `.`, the extension dropped and `__init__` naming
//! the package. Every folder between a root and a module is a package: a
//! regular one when it has an `__init__.py`, a namespace package otherwise.

use crate::index::{FileSummary, Import};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Default search roots, relative to each workspace root.
pub const DEFAULT_SRC: &[&str] = &[".", "src"];

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ModuleInfo {
    /// The module's file (`pkg/__init__.py` for a regular package); `None` for
    /// a namespace package.
    pub path: Option<PathBuf>,
    pub is_package: bool,
}

/// Where an import points.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    /// A workspace module; `name` is `Some` when the import binds a name
    /// defined in (or re-exported by) that module rather than a submodule.
    Internal {
        module: String,
        name: Option<String>,
    },
    /// Not in the workspace: grouped by top-level package.
    External { top: String, dotted: String },
    /// Looks like a workspace import (relative, or its top-level package is in
    /// the workspace) but the module does not exist: ARC002.
    Unresolved { dotted: String },
}

/// The workspace's modules by dotted name, and each file's name.
#[derive(Debug, Default)]
pub struct ModuleIndex {
    modules: HashMap<String, ModuleInfo>,
    by_path: HashMap<PathBuf, String>,
}

/// Search roots: each workspace root joined with each `src` entry, keeping
/// existing folders. A folder that is itself a regular package (has an
/// `__init__.py`) is not a root unless it is the workspace root: its modules
/// are imported through it.
pub fn search_roots(workspace_roots: &[PathBuf], src: &[String]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for root in workspace_roots {
        let base = if root.is_file() {
            root.parent().unwrap_or(root)
        } else {
            root.as_path()
        };
        for s in src {
            let dir = if s == "." || s.is_empty() {
                base.to_path_buf()
            } else {
                base.join(s)
            };
            let is_package_dir = dir != base && dir.join("__init__.py").is_file();
            if dir.is_dir() && !is_package_dir && !out.contains(&dir) {
                out.push(dir);
            }
        }
    }
    out
}

/// The dotted module name of `path` under the deepest root containing it.
pub fn module_name(path: &Path, roots: &[PathBuf]) -> Option<(String, bool)> {
    let root = roots
        .iter()
        .filter(|r| path.starts_with(r))
        .max_by_key(|r| r.components().count())?;
    let rel = path.strip_prefix(root).ok()?;
    let mut parts: Vec<&str> = rel
        .components()
        .filter_map(|c| c.as_os_str().to_str())
        .collect();
    let file = parts.pop()?;
    let stem = file
        .strip_suffix(".py")
        .or_else(|| file.strip_suffix(".pyi"))?;
    let is_package = stem == "__init__";
    if !is_package {
        parts.push(stem);
    }
    if parts.is_empty() {
        return None; // `__init__.py` directly in a root
    }
    Some((parts.join("."), is_package))
}

impl ModuleIndex {
    pub fn build<'a>(paths: impl Iterator<Item = &'a Path>, roots: &[PathBuf]) -> Self {
        let mut ix = ModuleIndex::default();
        let mut paths: Vec<&Path> = paths.collect();
        // `.py` before `.pyi`, so the implementation names the module.
        paths.sort_by_key(|p| (p.extension().is_some_and(|e| e == "pyi"), *p));
        for path in paths {
            let Some((name, is_package)) = module_name(path, roots) else {
                continue;
            };
            ix.by_path.insert(path.to_path_buf(), name.clone());
            let mut prefix = String::new();
            for part in name.split('.').take(name.matches('.').count()) {
                if !prefix.is_empty() {
                    prefix.push('.');
                }
                prefix.push_str(part);
                ix.modules.entry(prefix.clone()).or_insert(ModuleInfo {
                    path: None,
                    is_package: true,
                });
            }
            let slot = ix.modules.entry(name).or_insert(ModuleInfo {
                path: None,
                is_package,
            });
            if slot.path.is_none() {
                slot.path = Some(path.to_path_buf());
                slot.is_package |= is_package;
            }
        }
        ix
    }

    pub fn from_summaries(summaries: &[Arc<FileSummary>], roots: &[PathBuf]) -> Self {
        Self::build(summaries.iter().map(|s| s.path.as_path()), roots)
    }

    pub fn get(&self, module: &str) -> Option<&ModuleInfo> {
        self.modules.get(module)
    }

    pub fn contains(&self, module: &str) -> bool {
        self.modules.contains_key(module)
    }

    pub fn name_of(&self, path: &Path) -> Option<&str> {
        self.by_path.get(path).map(String::as_str)
    }

    pub fn len(&self) -> usize {
        self.modules.len()
    }

    pub fn is_empty(&self) -> bool {
        self.modules.is_empty()
    }

    /// All module names (packages included), sorted.
    pub fn names(&self) -> Vec<&str> {
        let mut v: Vec<&str> = self.modules.keys().map(String::as_str).collect();
        v.sort_unstable();
        v
    }

    /// The package a relative import in `importer` starts from, `level` dots up.
    fn relative_base(&self, importer: &str, level: u8) -> Option<String> {
        let is_package = self.modules.get(importer).is_some_and(|m| m.is_package);
        let mut base: Vec<&str> = importer.split('.').collect();
        if !is_package {
            base.pop();
        }
        for _ in 1..level {
            base.pop()?;
        }
        if base.is_empty() {
            return None;
        }
        Some(base.join("."))
    }

    /// Resolves one import of `importer` (a dotted module name).
    pub fn resolve(&self, importer: &str, imp: &Import) -> Target {
        let module = if imp.level > 0 {
            let Some(base) = self.relative_base(importer, imp.level) else {
                return Target::Unresolved {
                    dotted: format!("{}{}", ".".repeat(imp.level as usize), imp.module),
                };
            };
            if imp.module.is_empty() {
                base
            } else {
                format!("{base}.{}", imp.module)
            }
        } else {
            imp.module.to_string()
        };
        let top = module.split('.').next().unwrap_or(&module);
        if imp.level == 0 && !self.modules.contains_key(top) {
            return Target::External {
                top: top.to_string(),
                dotted: match &imp.name {
                    Some(n) if n != "*" => format!("{module}.{n}"),
                    _ => module.clone(),
                },
            };
        }
        if !self.modules.contains_key(&module) {
            // A folder without `__init__.py` is a namespace package: an
            // installed regular package of the same name comes first on
            // import (`packaging.version` next to a `packaging/` scripts
            // folder), so a module missing from it may well exist.
            let namespace_top =
                imp.level == 0 && self.modules.get(top).is_some_and(|m| m.path.is_none());
            if namespace_top {
                return Target::External {
                    top: top.to_string(),
                    dotted: module.clone(),
                };
            }
            return Target::Unresolved { dotted: module };
        }
        match imp.name.as_deref() {
            Some("*") | None => Target::Internal { module, name: None },
            Some(n) => {
                let sub = format!("{module}.{n}");
                if self.modules.contains_key(&sub) {
                    Target::Internal {
                        module: sub,
                        name: None,
                    }
                } else {
                    Target::Internal {
                        module,
                        name: Some(n.to_string()),
                    }
                }
            }
        }
    }

    /// Splits a dotted reference (`pkg.mod.Class.method`, relative dots
    /// allowed, resolved from `importer`) into the longest workspace module
    /// prefix and the rest.
    pub fn split_reference<'a>(
        &self,
        importer: &str,
        dotted: &'a str,
    ) -> Option<(String, &'a str)> {
        let level = dotted.bytes().take_while(|&b| b == b'.').count();
        let rest = &dotted[level..];
        let base = if level > 0 {
            Some(self.relative_base(importer, level.min(255) as u8)?)
        } else {
            None
        };
        let full = |upto: &str| match &base {
            Some(b) if upto.is_empty() => b.clone(),
            Some(b) => format!("{b}.{upto}"),
            None => upto.to_string(),
        };
        // candidate split points: after each dot-separated part, longest first
        let mut ends: Vec<usize> = rest.match_indices('.').map(|(i, _)| i).collect();
        ends.push(rest.len());
        for &end in ends.iter().rev() {
            let candidate = full(&rest[..end]);
            if self.modules.contains_key(&candidate) {
                let tail = rest.get(end + 1..).unwrap_or("");
                return Some((candidate, tail));
            }
        }
        if base.is_some() {
            let b = full("");
            if self.modules.contains_key(&b) {
                return Some((b, rest));
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use smol_str::SmolStr;

    fn imp(module: &str, name: Option<&str>, level: u8) -> Import {
        Import {
            module: SmolStr::new(module),
            name: name.map(SmolStr::new),
            alias: None,
            level,
            range: Default::default(),
            in_function: false,
            type_checking: false,
        }
    }

    fn index() -> ModuleIndex {
        let roots = vec![PathBuf::from("/w"), PathBuf::from("/w/src")];
        let files = [
            "/w/src/app/__init__.py",
            "/w/src/app/core.py",
            "/w/src/app/sub/__init__.py",
            "/w/src/app/sub/leaf.py",
            "/w/ns/part.py",
            "/w/tool.py",
        ];
        let paths: Vec<PathBuf> = files.iter().map(PathBuf::from).collect();
        ModuleIndex::build(paths.iter().map(PathBuf::as_path), &roots)
    }

    #[test]
    fn names_from_deepest_root() {
        let ix = index();
        assert_eq!(
            ix.name_of(Path::new("/w/src/app/core.py")),
            Some("app.core")
        );
        assert_eq!(ix.name_of(Path::new("/w/src/app/__init__.py")), Some("app"));
        assert_eq!(ix.name_of(Path::new("/w/tool.py")), Some("tool"));
        assert!(ix
            .get("ns")
            .is_some_and(|m| m.path.is_none() && m.is_package));
    }

    #[test]
    fn resolves_relative_absolute_and_external() {
        let ix = index();
        let t = ix.resolve("app.sub.leaf", &imp("", Some("core"), 2));
        assert_eq!(
            t,
            Target::Internal {
                module: "app.core".into(),
                name: None
            }
        );
        let t = ix.resolve("app.sub", &imp("leaf", Some("x"), 1));
        assert_eq!(
            t,
            Target::Internal {
                module: "app.sub.leaf".into(),
                name: Some("x".into())
            }
        );
        assert!(matches!(
            ix.resolve("tool", &imp("boto3.session", None, 0)),
            Target::External { top, .. } if top == "boto3"
        ));
        assert!(matches!(
            ix.resolve("tool", &imp("app.missing", None, 0)),
            Target::Unresolved { .. }
        ));
        assert!(matches!(
            ix.resolve("tool", &imp("", Some("x"), 3)),
            Target::Unresolved { .. }
        ));
        // `ns/` has no `__init__.py`: an installed `ns` package wins
        assert!(matches!(
            ix.resolve("tool", &imp("ns.missing", None, 0)),
            Target::External { top, .. } if top == "ns"
        ));
    }

    #[test]
    fn splits_references() {
        let ix = index();
        assert_eq!(
            ix.split_reference("tool", "app.core.Deployer.run"),
            Some(("app.core".to_string(), "Deployer.run"))
        );
        assert_eq!(
            ix.split_reference("app.sub.leaf", "..core.helper"),
            Some(("app.core".to_string(), "helper"))
        );
        assert_eq!(ix.split_reference("tool", "os.path.join"), None);
    }
}
