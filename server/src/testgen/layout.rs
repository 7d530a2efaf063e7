//! Where things live: a file's importable module path and the conventional
//! test file for it, following the project's existing layout.

use std::path::{Path, PathBuf};

/// Files whose presence marks a project root.
const PROJECT_MARKERS: &[&str] = &[
    "pyproject.toml",
    "setup.py",
    "setup.cfg",
    "pytest.ini",
    "tox.ini",
    ".git",
];

/// The dotted module path of `file`: its folders up to the nearest one
/// without `__init__.py` (the import root), e.g. `opskit.storage`.
pub fn module_path(file: &Path) -> Option<String> {
    let stem = file.file_stem()?.to_str()?;
    let mut parts = Vec::new();
    if stem != "__init__" {
        parts.push(stem.to_string());
    }
    let mut dir = file.parent();
    while let Some(d) = dir {
        if !d.join("__init__.py").is_file() {
            break;
        }
        parts.push(d.file_name()?.to_str()?.to_string());
        dir = d.parent();
    }
    parts.reverse();
    (!parts.is_empty()).then(|| parts.join("."))
}

/// The folder `module_path` is importable from (the first ancestor without
/// `__init__.py`).
pub fn import_root(file: &Path) -> Option<PathBuf> {
    let mut dir = file.parent()?;
    while dir.join("__init__.py").is_file() {
        dir = dir.parent()?;
    }
    Some(dir.to_path_buf())
}

/// The project root: the nearest ancestor of `file` holding a project marker,
/// else the import root.
pub fn project_root(file: &Path) -> Option<PathBuf> {
    let start = file.parent()?;
    for dir in start.ancestors() {
        if PROJECT_MARKERS.iter().any(|m| dir.join(m).exists()) {
            return Some(dir.to_path_buf());
        }
    }
    import_root(file)
}

/// Is `file` itself a test module (so no tests are generated for it)?
pub fn is_test_file(file: &Path) -> bool {
    let name = file.file_name().and_then(|n| n.to_str()).unwrap_or("");
    name.starts_with("test_")
        || name.ends_with("_test.py")
        || name == "conftest.py"
        || file
            .components()
            .any(|c| matches!(c.as_os_str().to_str(), Some("tests" | "test")))
}

/// The test file for `file`: an existing `test_<stem>.py` in the project's
/// test folder (searched recursively, so `tests/unit/test_x.py` layouts are
/// followed), else `<tests dir>/test_<stem>.py` where the tests dir is an
/// existing `tests/` or `test/` folder, defaulting to `tests/`.
pub fn test_file_for(file: &Path) -> Option<PathBuf> {
    let stem = file.file_stem()?.to_str()?;
    let stem = if stem == "__init__" {
        file.parent()?.file_name()?.to_str()?
    } else {
        stem
    };
    let root = project_root(file)?;
    let name = format!("test_{stem}.py");
    let dirs = ["tests", "test"].map(|d| root.join(d));
    for dir in dirs.iter().filter(|d| d.is_dir()) {
        if let Some(found) = find_named(dir, &name, 3) {
            return Some(found);
        }
    }
    let dir = dirs
        .iter()
        .find(|d| d.is_dir())
        .cloned()
        .unwrap_or_else(|| root.join("tests"));
    Some(dir.join(name))
}

fn find_named(dir: &Path, name: &str, depth: u32) -> Option<PathBuf> {
    let direct = dir.join(name);
    if direct.is_file() {
        return Some(direct);
    }
    if depth == 0 {
        return None;
    }
    let mut subdirs: Vec<PathBuf> = std::fs::read_dir(dir)
        .ok()?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    subdirs.sort();
    subdirs.iter().find_map(|d| find_named(d, name, depth - 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn module_path_walks_packages_and_default_test_file_is_under_tests() {
        let dir = std::env::temp_dir().join(format!("di-layout-{}", std::process::id()));
        let pkg = dir.join("src/acme/ops");
        std::fs::create_dir_all(&pkg).unwrap();
        std::fs::write(dir.join("pyproject.toml"), "").unwrap();
        std::fs::write(dir.join("src/acme/__init__.py"), "").unwrap();
        std::fs::write(pkg.join("__init__.py"), "").unwrap();
        let file = pkg.join("deploy.py");
        std::fs::write(&file, "").unwrap();
        assert_eq!(module_path(&file).as_deref(), Some("acme.ops.deploy"));
        assert_eq!(import_root(&file), Some(dir.join("src")));
        assert_eq!(test_file_for(&file), Some(dir.join("tests/test_deploy.py")));
        // an existing nested test file is followed
        std::fs::create_dir_all(dir.join("tests/unit")).unwrap();
        std::fs::write(dir.join("tests/unit/test_deploy.py"), "").unwrap();
        assert_eq!(
            test_file_for(&file),
            Some(dir.join("tests/unit/test_deploy.py"))
        );
        let _ = std::fs::remove_dir_all(&dir);
    }
}
