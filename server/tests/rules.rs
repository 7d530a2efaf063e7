//! Every rule's fixtures: `bad.py` must produce findings of that rule on exactly
//! the lines marked `# expect: ID`, `ok.py` must produce none, and applying the
//! rule's fixes to `bad.py` must leave parseable code that no longer triggers
//! the fixed findings.

use devops_intel::index::analyze;
use devops_intel::rules::workspace::{is_workspace_rule, WorkspaceFindings, WorkspaceInput};
use devops_intel::rules::{fix, RuleSettings, RULES};
use std::path::{Path, PathBuf};

/// `(file relative to the fixture folder, 1-based line)`.
type Marks = Vec<(String, u32)>;

/// Workspace rules (ARC…) have folder fixtures, `bad/` and `ok/`, each a small
/// workspace whose files mark lines with `# expect: ID`. Returns the expected
/// and the reported `(file, line)` pairs, and the rendered messages.
fn workspace_fixture(id: &str, name: &str) -> (Marks, Marks, Vec<String>) {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("resources/test/fixtures/rules")
        .join(id)
        .join(name);
    assert!(
        dir.is_dir(),
        "workspace rule {id} needs fixture folder {}",
        dir.display()
    );
    let config = devops_intel::config::Config::default();
    let files = devops_intel::index::discover(std::slice::from_ref(&dir), &config);
    let ws = devops_intel::index::Workspace::new();
    ws.index(&files, &config);
    let summaries = ws.summaries();
    let roots = devops_intel::graph::search_roots(std::slice::from_ref(&dir), &config.src_dirs());
    let modules = devops_intel::graph::ModuleLayer::build(&summaries, &roots);
    // COV rules read the fixture's coverage.json, as `check` would
    let coverage = devops_intel::coverage::locate(&dir, None)
        .map(|p| devops_intel::coverage::read(&p).expect("fixture coverage data"));
    let found = WorkspaceFindings::compute(&WorkspaceInput {
        summaries: &summaries,
        modules: &modules,
        coverage: coverage.as_ref(),
    });
    let rel = |p: &Path| {
        p.strip_prefix(&dir)
            .unwrap_or(p)
            .to_string_lossy()
            .replace('\\', "/")
    };
    let mut expected = Vec::new();
    let mut actual = Vec::new();
    let mut rendered = Vec::new();
    for s in &summaries {
        let text = std::fs::read_to_string(&s.path).unwrap();
        expected.extend(
            expected_lines(id, &text)
                .into_iter()
                .map(|l| (rel(&s.path), l)),
        );
        for (f, _) in found.enabled(s, &config) {
            if f.rule == id {
                let lc = s
                    .line_index
                    .line_col(f.range.start, devops_intel::text::Encoding::Utf32);
                actual.push((rel(&s.path), lc.line + 1));
                rendered.push(format!(
                    "{}:{}:{}: {}",
                    rel(&s.path),
                    lc.line + 1,
                    lc.col + 1,
                    f.message
                ));
            }
        }
    }
    expected.sort();
    actual.sort();
    rendered.sort();
    (expected, actual, rendered)
}

fn fixture(id: &str, name: &str) -> (PathBuf, String) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("resources/test/fixtures/rules")
        .join(id)
        .join(name);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("rule {id} needs fixture {}: {e}", path.display()));
    (path, text)
}

fn expected_lines(id: &str, text: &str) -> Vec<u32> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| {
            l.split("# expect:")
                .nth(1)
                .is_some_and(|ids| ids.split(',').any(|x| x.trim() == id))
        })
        .map(|(i, _)| i as u32 + 1)
        .collect()
}

fn finding_lines(id: &str, path: &std::path::Path, text: &str) -> Vec<u32> {
    let s = analyze(path, text, &RuleSettings::default());
    s.findings
        .iter()
        .filter(|f| f.rule == id)
        .map(|f| s.line_index.line_of(f.range.start) + 1)
        .collect()
}

#[test]
fn bad_fixtures_flag_exactly_the_marked_lines() {
    let mut failures = Vec::new();
    for rule in RULES.iter() {
        if is_workspace_rule(rule.id) {
            let (expected, actual, _) = workspace_fixture(rule.id, "bad");
            assert!(!expected.is_empty(), "{}: bad/ marks no line", rule.id);
            if actual != expected {
                failures.push(format!(
                    "{}: expected {expected:?}, got {actual:?}",
                    rule.id
                ));
            }
            continue;
        }
        let (path, text) = fixture(rule.id, "bad.py");
        let expected = expected_lines(rule.id, &text);
        assert!(!expected.is_empty(), "{}: bad.py marks no line", rule.id);
        let actual = finding_lines(rule.id, &path, &text);
        if actual != expected {
            failures.push(format!(
                "{}: expected lines {expected:?}, got {actual:?}",
                rule.id
            ));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn ok_fixtures_flag_nothing() {
    let mut failures = Vec::new();
    for rule in RULES.iter() {
        if is_workspace_rule(rule.id) {
            let (_, actual, _) = workspace_fixture(rule.id, "ok");
            if !actual.is_empty() {
                failures.push(format!("{}: near-misses flagged at {actual:?}", rule.id));
            }
            continue;
        }
        let (path, text) = fixture(rule.id, "ok.py");
        let actual = finding_lines(rule.id, &path, &text);
        if !actual.is_empty() {
            failures.push(format!(
                "{}: near-misses flagged on lines {actual:?}",
                rule.id
            ));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn bad_fixture_messages_snapshot() {
    for rule in RULES.iter() {
        if is_workspace_rule(rule.id) {
            let (_, _, rendered) = workspace_fixture(rule.id, "bad");
            insta::assert_snapshot!(format!("{}_bad", rule.id), rendered.join("\n"));
            continue;
        }
        let (path, text) = fixture(rule.id, "bad.py");
        let s = analyze(&path, &text, &RuleSettings::default());
        let rendered: Vec<String> = s
            .findings
            .iter()
            .filter(|f| f.rule == rule.id)
            .map(|f| {
                let lc = s
                    .line_index
                    .line_col(f.range.start, devops_intel::text::Encoding::Utf32);
                let fix = f
                    .fix
                    .as_ref()
                    .map(|x| format!(" [fix ({:?}): {}]", x.applicability, x.title))
                    .unwrap_or_default();
                format!("{}:{}: {}{}", lc.line + 1, lc.col + 1, f.message, fix)
            })
            .collect();
        insta::assert_snapshot!(format!("{}_bad", rule.id), rendered.join("\n"));
    }
}

#[test]
fn fixes_leave_valid_code_that_no_longer_triggers() {
    for rule in RULES.iter().filter(|r| r.fixable) {
        let (path, text) = fixture(rule.id, "bad.py");
        let before = analyze(&path, &text, &RuleSettings::default());
        let mine: Vec<_> = before
            .findings
            .iter()
            .filter(|f| f.rule == rule.id)
            .collect();
        let with_fix = mine.iter().filter(|f| f.fix.is_some()).count();
        assert!(
            with_fix > 0,
            "{}: fixable rule offers no fix on bad.py",
            rule.id
        );
        let (fixed, applied) = fix::apply(&text, mine.iter().filter_map(|f| f.fix.as_ref()));
        assert_eq!(applied, with_fix, "{}: some fixes overlapped", rule.id);
        let after = analyze(&path, &fixed, &RuleSettings::default());
        assert!(
            !after
                .problems
                .iter()
                .any(|p| matches!(p, devops_intel::index::FileProblem::SyntaxErrors { .. })),
            "{}: fixed code does not parse:\n{fixed}",
            rule.id
        );
        let remaining = after.findings.iter().filter(|f| f.rule == rule.id).count();
        assert_eq!(
            remaining,
            mine.len() - with_fix,
            "{}: fixed code still triggers:\n{fixed}",
            rule.id
        );
    }
}

#[test]
fn every_rule_has_docs_with_the_four_sections() {
    for rule in RULES.iter() {
        for section in [
            "## What it does",
            "## Why is this bad?",
            "## Example",
            "## How to fix",
        ] {
            assert!(
                rule.docs.contains(section),
                "{} docs lack `{section}`",
                rule.id
            );
        }
    }
}
