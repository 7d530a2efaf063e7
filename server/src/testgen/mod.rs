//! pytest generation. For a function (or every untested one in a file):
//! inputs from type hints, defaults and guards; a mock for each external
//! effect, patched where the module looks it up; assertions on what the code
//! determines (mock calls with the literal arguments, files written, return
//! values, `pytest.raises` for guarded raises). A test with nothing to assert
//! is emitted skipped (`fill in expected value`), never as a test that passes
//! while checking nothing.
//!
//! The result is a [`Plan`]: the conventional test file and the insertions
//! that create or extend it. Generation is idempotent: a function whose
//! marker (`# devops-intel: generated test for m.f`) or `test_<name>` is
//! already in the file gets nothing new, and new names never collide.

mod function;
pub mod layout;
mod render;
mod values;

pub use function::{snake, TestCase};

use crate::index::{DefKind, FileSummary};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

pub const MARKER: &str = "# devops-intel: generated test for ";

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    /// A function or method by name or qualname (`publish`, `Notifier.publish`).
    Function(String),
    /// Every public function and method without a test.
    Untested,
}

/// Text inserted into the test file at a byte offset of its current text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Insert {
    pub offset: u32,
    pub text: String,
}

#[derive(Clone, Debug)]
pub struct Plan {
    pub test_path: PathBuf,
    /// Whether the test file exists (else the inserts create it).
    pub exists: bool,
    pub inserts: Vec<Insert>,
    /// The test file after the inserts.
    pub new_text: String,
    /// Tests added (empty: nothing to do).
    pub tests: Vec<TestCase>,
}

#[derive(Debug, thiserror::Error)]
pub enum TestgenError {
    #[error("{0} is a test file")]
    TestFile(PathBuf),
    #[error("cannot tell the module path of {0}")]
    NoModule(PathBuf),
    #[error("no function `{0}` in this file")]
    NoFunction(String),
    #[error("the file could not be parsed")]
    Parse,
}

/// Functions and methods tests are generated for (no classes, nested or
/// private functions, dunders).
pub fn testable(summary: &FileSummary) -> impl Iterator<Item = usize> + '_ {
    summary.defs.iter().enumerate().filter_map(|(i, d)| {
        let top = match d.kind {
            DefKind::Function => d.parent.is_none(),
            DefKind::Method => d
                .parent
                .and_then(|p| summary.defs.get(p as usize))
                .is_some_and(|c| c.parent.is_none() && !c.name.starts_with('_')),
            DefKind::Class => false,
        };
        let accessor = d
            .decorators
            .iter()
            .any(|x| x.ends_with("property") || x.ends_with(".setter") || x.ends_with(".deleter"));
        (top && !accessor && !d.name.starts_with('_')).then_some(i)
    })
}

/// Is `qualname` of `module` already tested in `test_text`?
/// `others` are the module's other functions: `test_deploy_all` belongs to
/// `deploy_all`, not to `deploy`.
pub fn is_tested(test_text: &str, module: &str, qualname: &str, others: &[&str]) -> bool {
    let marker = format!("{MARKER}{module}.{qualname}\n");
    let own = snake(qualname);
    let longer: Vec<String> = others
        .iter()
        .map(|o| snake(o))
        .filter(|o| o.len() > own.len() && o.starts_with(&format!("{own}_")))
        .collect();
    let name = format!("def test_{own}");
    test_text.contains(&marker)
        || test_text.lines().any(|l| {
            let l = l.trim_start();
            let Some(rest) = l.strip_prefix(&name) else {
                return false;
            };
            let test = l["def test_".len()..].split('(').next().unwrap_or("");
            rest.starts_with(['(', '_'])
                && !longer
                    .iter()
                    .any(|o| test == o || test.starts_with(&format!("{o}_")))
        })
}

/// Plans the tests for `target` in `path` (source `src`, its `summary`),
/// given the test file's current text (`None` when it does not exist).
pub fn plan(
    path: &Path,
    src: &str,
    summary: &FileSummary,
    target: &Target,
    test_path: &Path,
    existing: Option<&str>,
) -> Result<Plan, TestgenError> {
    if layout::is_test_file(path) {
        return Err(TestgenError::TestFile(path.to_path_buf()));
    }
    let module = layout::module_path(path).ok_or_else(|| TestgenError::NoModule(path.into()))?;
    let tree = crate::syntax::parse(src, None).ok_or(TestgenError::Parse)?;
    let stem = module.rsplit('.').next().unwrap_or(&module);
    let alias = format!("{stem}_module");
    let ctx = function::Ctx {
        src,
        root: tree.root_node(),
        summary,
        module: &module,
        alias: &alias,
    };
    let text = existing.unwrap_or("");
    let defs: Vec<usize> = match target {
        Target::Function(name) => {
            let i = summary
                .defs
                .iter()
                .position(|d| d.kind != DefKind::Class && (d.qualname == name || d.name == name))
                .ok_or_else(|| TestgenError::NoFunction(name.clone()))?;
            vec![i]
        }
        Target::Untested => testable(summary).collect(),
    };
    let mut taken: BTreeSet<String> = existing_test_names(text);
    let mut tests = Vec::new();
    let others: Vec<&str> = testable(summary)
        .map(|i| summary.defs[i].qualname.as_str())
        .collect();
    for i in defs {
        let d = &summary.defs[i];
        if is_tested(text, &module, &d.qualname, &others) {
            continue;
        }
        for mut t in function::generate(&ctx, i) {
            t.name = unique(&t.name, &mut taken);
            if let Some(def_at) = t.code.find("def ") {
                let end = t.code[def_at..].find('(').map_or(def_at, |e| def_at + e);
                t.code.replace_range(def_at + 4..end, &t.name);
            }
            tests.push(t);
        }
    }
    let (inserts, new_text) = assemble(text, existing.is_some(), &module, &alias, &tests);
    Ok(Plan {
        test_path: test_path.to_path_buf(),
        exists: existing.is_some(),
        inserts,
        new_text,
        tests,
    })
}

fn existing_test_names(text: &str) -> BTreeSet<String> {
    text.lines()
        .filter_map(|l| l.trim_start().strip_prefix("def "))
        .filter_map(|l| l.split('(').next())
        .map(|n| n.trim().to_string())
        .collect()
}

fn unique(name: &str, taken: &mut BTreeSet<String>) -> String {
    let mut candidate = name.to_string();
    let mut n = 2;
    while taken.contains(&candidate) {
        candidate = format!("{name}_{n}");
        n += 1;
    }
    taken.insert(candidate.clone());
    candidate
}

fn import_lines(module: &str, alias: &str, tests: &[TestCase]) -> Vec<String> {
    let needs: BTreeSet<&str> = tests.iter().flat_map(|t| t.needs.iter().copied()).collect();
    let mut std_lines: Vec<String> = needs.iter().map(|n| format!("import {n}")).collect();
    std_lines.push("from unittest import mock".into());
    let mut lines = std_lines;
    lines.push(String::new());
    lines.push("import pytest".into());
    lines.push(String::new());
    lines.push(format!("import {module} as {alias}"));
    let names: BTreeSet<&str> = tests.iter().map(|t| t.import_name.as_str()).collect();
    lines.push(format!(
        "from {module} import {}",
        names.into_iter().collect::<Vec<_>>().join(", ")
    ));
    lines
}

/// Is `line` (an import) already satisfied by `text`?
fn has_import(text: &str, line: &str) -> bool {
    if let Some(rest) = line.strip_prefix("from ") {
        let Some((module, names)) = rest.split_once(" import ") else {
            return false;
        };
        let prefix = format!("from {module} import ");
        return names.split(", ").all(|name| {
            text.lines().any(|l| {
                l.starts_with(&prefix)
                    && l[prefix.len()..]
                        .split(|c: char| c == ',' || c.is_whitespace() || c == '(' || c == ')')
                        .any(|n| n == name)
            })
        });
    }
    text.lines().any(|l| l.trim_end() == line)
}

fn assemble(
    text: &str,
    exists: bool,
    module: &str,
    alias: &str,
    tests: &[TestCase],
) -> (Vec<Insert>, String) {
    if tests.is_empty() {
        return (Vec::new(), text.to_string());
    }
    let bodies: Vec<&str> = tests.iter().map(|t| t.code.as_str()).collect();
    let imports = import_lines(module, alias, tests);
    if !exists || text.trim().is_empty() {
        let mut out = format!(
            "\"\"\"Tests for {module} (generated by devops-intel; edit freely).\"\"\"\n{}\n\n\n{}",
            imports.join("\n"),
            bodies.join("\n\n")
        );
        if !out.ends_with('\n') {
            out.push('\n');
        }
        return (
            vec![Insert {
                offset: text.len() as u32,
                text: out.clone(),
            }],
            out,
        );
    }
    let mut inserts = Vec::new();
    // missing imports go after the last top-level import of the header
    let mut missing: Vec<String> = Vec::new();
    for line in imports.iter().filter(|l| !l.is_empty()) {
        if line.starts_with("from ") && line.contains(" import ") {
            let (head, names) = line.split_once(" import ").unwrap_or((line, ""));
            for n in names.split(", ") {
                let single = format!("{head} import {n}");
                if !has_import(text, &single) {
                    missing.push(single);
                }
            }
        } else if !has_import(text, line) {
            missing.push(line.clone());
        }
    }
    if !missing.is_empty() {
        let mut at = 0usize;
        let mut offset = 0usize;
        for line in text.split_inclusive('\n') {
            let l = line.trim_end();
            if l.starts_with("def ") || l.starts_with("class ") || l.starts_with('@') {
                break;
            }
            offset += line.len();
            if l.starts_with("import ") || l.starts_with("from ") {
                at = offset;
            }
        }
        let block = format!("{}\n", missing.join("\n"));
        inserts.push(Insert {
            offset: at as u32,
            text: block,
        });
    }
    let mut tail = String::new();
    if !text.ends_with('\n') {
        tail.push('\n');
    }
    tail.push_str("\n\n");
    tail.push_str(&bodies.join("\n\n"));
    inserts.push(Insert {
        offset: text.len() as u32,
        text: tail,
    });
    let mut new_text = text.to_string();
    for ins in inserts.iter().rev() {
        new_text.insert_str(ins.offset as usize, &ins.text);
    }
    (inserts, new_text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::RuleSettings;

    const SRC: &str = r#"import subprocess


def restart(service: str, mode: str) -> None:
    if not service:
        raise ValueError("service is required")
    if mode not in ("soft", "hard"):
        raise ValueError(f"bad mode {mode}")
    subprocess.run(["systemctl", "restart", service], check=True)


def slug(name: str) -> str:
    out = []
    for part in name.split("/"):
        out.append(part.strip())
    return "-".join(out)


class Deploy:
    def run(self, tag: str) -> None:
        subprocess.run(["deploy", tag], check=True)


def deploy_run(tag: str) -> None:
    subprocess.run(["deploy", "--fast", tag], check=True)
"#;

    fn setup(tag: &str) -> (PathBuf, PathBuf) {
        let dir = std::env::temp_dir().join(format!("di-testgen-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("pkg")).unwrap();
        std::fs::write(dir.join("pkg/__init__.py"), "").unwrap();
        let file = dir.join("pkg/ops.py");
        std::fs::write(&file, SRC).unwrap();
        (dir, file)
    }

    fn run(file: &Path, target: Target, existing: Option<&str>) -> Plan {
        let summary = crate::index::analyze(file, SRC, &RuleSettings::default());
        let test_path = file.with_file_name("test_ops.py");
        plan(file, SRC, &summary, &target, &test_path, existing).unwrap()
    }

    #[test]
    fn guards_give_inputs_distinct_names_and_pure_functions_are_skipped() {
        let (dir, file) = setup("guards");
        let p = run(&file, Target::Untested, None);
        let names: Vec<&str> = p.tests.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(
            names[..4],
            [
                "test_restart",
                "test_restart_raises_value_error",
                "test_restart_raises_value_error_2",
                "test_slug"
            ]
        );
        let text = &p.new_text;
        assert!(text.contains("@pytest.mark.parametrize(\"mode\", [\"soft\", \"hard\"])"));
        assert!(text.contains(
            "run_mock.assert_any_call([\"systemctl\", \"restart\", service], check=True)"
        ));
        // first guard: empty service; second: a mode outside the allowed set
        assert!(text.contains("    service = \"\"\n    mode = \"soft\"\n    with pytest.raises(ValueError, match=re.escape(\"service is required\")):"));
        assert!(text.contains("    mode = \"invalid-mode\"\n    with pytest.raises(ValueError):"));
        assert!(
            text.contains("@pytest.mark.skip(reason=\"fill in expected value\")\ndef test_slug():")
        );
        assert!(p.tests.iter().filter(|t| t.skipped).count() == 1);
        let _ = std::fs::remove_dir_all(dir);
    }

    #[test]
    fn appends_to_existing_file_once() {
        let (dir, file) = setup("append");
        let existing = "import pytest\n\n\ndef test_other():\n    assert 1 + 1 == 2\n";
        let p = run(&file, Target::Function("restart".into()), Some(existing));
        assert!(p.exists);
        assert_eq!(p.tests.len(), 3);
        let text = &p.new_text;
        assert!(text.starts_with("import pytest\nimport re\nfrom unittest import mock\nimport pkg.ops as ops_module\nfrom pkg.ops import restart\n"), "{text}");
        assert!(text.contains("def test_other():\n    assert 1 + 1 == 2\n\n\n# devops-intel: generated test for pkg.ops.restart\n"));
        assert_eq!(text.matches("import pytest").count(), 1);
        // a second run adds nothing; the file action adds only the rest
        let again = run(&file, Target::Function("restart".into()), Some(text));
        assert!(again.tests.is_empty() && again.inserts.is_empty());
        let rest = run(&file, Target::Untested, Some(text));
        assert_eq!(
            rest.tests
                .iter()
                .map(|t| t.name.as_str())
                .collect::<Vec<_>>(),
            ["test_slug", "test_deploy_run", "test_deploy_run_2"]
        );
        assert!(rest.new_text.contains("from pkg.ops import slug\n"));
        let _ = std::fs::remove_dir_all(dir);
    }

    #[test]
    fn a_user_test_counts_as_tested_and_names_never_collide() {
        let (dir, file) = setup("names");
        let others = ["restart", "slug", "Deploy.run", "deploy_run"];
        let existing =
            "def test_slug():\n    assert True\n\n\ndef test_restart_when_down():\n    pass\n";
        assert!(is_tested(existing, "pkg.ops", "slug", &others));
        assert!(is_tested(existing, "pkg.ops", "restart", &others));
        // `test_deploy_run...` is the test of `deploy_run`, not of a `deploy` function
        assert!(!is_tested(
            "def test_deploy_run():\n",
            "pkg.ops",
            "deploy",
            &["deploy", "deploy_run"]
        ));
        let p = run(&file, Target::Untested, Some(existing));
        let names: Vec<&str> = p.tests.iter().map(|t| t.name.as_str()).collect();
        // `Deploy.run` and `deploy_run` both snake to test_deploy_run
        assert_eq!(names, ["test_deploy_run", "test_deploy_run_2"]);
        assert!(p
            .new_text
            .contains("run_mock.assert_any_call([\"deploy\", tag], check=True)"));
        assert!(p
            .new_text
            .contains("run_mock.assert_any_call([\"deploy\", \"--fast\", tag], check=True)"));
        let _ = std::fs::remove_dir_all(dir);
    }
}
