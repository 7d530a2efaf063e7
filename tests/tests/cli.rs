//! The command line: exit codes, thresholds, JSON/SARIF output, rule docs, fixes.

use devops_intel_e2e::*;
use serde_json::Value;
use std::collections::BTreeMap;

const CLEAN: &str = "import requests\n\n\ndef f(u):\n    return requests.get(u, timeout=5)\n";
const MEDIUM_ONLY: &str = "import requests\n\n\ndef f(u):\n    return requests.get(u)\n";
const HIGH: &str =
    "import subprocess\n\n\ndef f(c):\n    subprocess.run(c, shell=True, check=True)\n";
const CRITICAL: &str = "KEY = \"AKIA2E3A7F3B244CQ6X5\"\n";

fn json_findings(out: &ProcessOutput) -> Vec<Value> {
    let v: Value = serde_json::from_str(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}\nstderr: {}", out.stdout, out.stderr));
    v.as_array()
        .unwrap_or_else(|| panic!("not an array: {v}"))
        .clone()
}

fn parses_cleanly(text: &str) -> bool {
    let mut parser = tree_sitter::Parser::new();
    parser
        .set_language(&tree_sitter_python::LANGUAGE.into())
        .expect("python grammar");
    let tree = parser.parse(text, None).expect("parse");
    !tree.root_node().has_error()
}

#[test]
fn exit_codes() {
    let ws = TempWorkspace::with_files(&[("clean.py", CLEAN), ("bad.py", MEDIUM_ONLY)]);
    let out = run_cli(&["check", "clean.py"], ws.root());
    assert_eq!(out.code(), Some(0), "clean: {out:?}");
    let out = run_cli(&["check", "bad.py"], ws.root());
    assert_eq!(out.code(), Some(1), "findings: {out:?}");
    let out = run_cli(&["check", "."], ws.root());
    assert_eq!(out.code(), Some(1), "folder with findings: {out:?}");
    let out = run_cli(&["check", "does-not-exist.py"], ws.root());
    assert_eq!(out.code(), Some(2), "missing path: {out:?}");
    assert!(!out.stderr.is_empty(), "an error message is expected");
    let out = run_cli(&["check", "clean.py", "--format", "json"], ws.root());
    assert_eq!(out.code(), Some(0));
    assert_eq!(json_findings(&out), Vec::<Value>::new());
}

#[test]
fn fail_on_threshold() {
    let ws = TempWorkspace::with_files(&[
        ("medium.py", MEDIUM_ONLY),
        ("high.py", HIGH),
        ("critical.py", CRITICAL),
    ]);
    let code = |args: &[&str]| run_cli(args, ws.root()).code();
    assert_eq!(code(&["check", "medium.py", "--fail-on", "high"]), Some(0));
    assert_eq!(
        code(&["check", "medium.py", "--fail-on", "medium"]),
        Some(1)
    );
    assert_eq!(code(&["check", "medium.py", "--fail-on", "low"]), Some(1));
    assert_eq!(code(&["check", "high.py", "--fail-on", "high"]), Some(1));
    assert_eq!(
        code(&["check", "high.py", "--fail-on", "critical"]),
        Some(0)
    );
    assert_eq!(
        code(&["check", "critical.py", "--fail-on", "critical"]),
        Some(1)
    );
    assert_eq!(code(&["check", ".", "--fail-on", "critical"]), Some(1));
    assert_eq!(code(&["check", "medium.py", "--fail-on", "bogus"]), Some(2));
}

#[test]
fn json_output_has_one_based_code_point_columns() {
    let ws = TempWorkspace::with_files(&[(
        "emoji.py",
        "import requests\nx = \"😀漢字\"; requests.get(url)\n",
    )]);
    let out = run_cli(
        &[
            "check", "emoji.py", "--format", "json", "--select", "REL001",
        ],
        ws.root(),
    );
    assert_eq!(out.code(), Some(1), "{out:?}");
    let f = json_findings(&out);
    assert_eq!(f.len(), 1, "{f:?}");
    let f = &f[0];
    assert_eq!(f["path"], "emoji.py");
    assert_eq!(f["rule"], "REL001");
    assert_eq!(f["name"], "http-no-timeout");
    assert_eq!(f["severity"], "medium");
    assert!(f["message"].as_str().is_some_and(|m| !m.is_empty()));
    // 1-based, code points: x = "(5) 😀(1) 漢字(2) "; (3) -> column 12.
    assert_eq!(
        (f["line"].as_u64(), f["column"].as_u64()),
        (Some(2), Some(12)),
        "{f}"
    );
    assert_eq!(
        (f["end_line"].as_u64(), f["end_column"].as_u64()),
        (Some(2), Some(24)),
        "{f}"
    );
    assert!(f.get("fix").is_some(), "fix key expected: {f}");
}

#[test]
fn sarif_output() {
    let ws = TempWorkspace::with_files(&[("svc/high.py", HIGH), ("svc/medium.py", MEDIUM_ONLY)]);
    let out = run_cli(&["check", ".", "--format", "sarif"], ws.root());
    assert_eq!(out.code(), Some(1), "{out:?}");
    let v: Value = serde_json::from_str(&out.stdout).expect("SARIF is JSON");
    assert_eq!(v["version"], "2.1.0");
    let run = &v["runs"][0];
    let rules = run["tool"]["driver"]["rules"]
        .as_array()
        .expect("driver.rules");
    let ids: Vec<&str> = rules.iter().filter_map(|r| r["id"].as_str()).collect();
    assert!(!ids.is_empty(), "{rules:?}");
    let results = run["results"].as_array().expect("results");
    assert_eq!(results.len(), 2, "{results:?}");
    let mut seen = BTreeMap::new();
    for r in results {
        let id = r["ruleId"].as_str().expect("ruleId");
        assert!(ids.contains(&id), "{id} not in driver.rules {ids:?}");
        if let Some(i) = r["ruleIndex"].as_u64() {
            assert_eq!(
                rules[i as usize]["id"], id,
                "ruleIndex must point at the rule"
            );
        }
        let level = r["level"].as_str().expect("level");
        assert!(
            ["error", "warning", "note", "none"].contains(&level),
            "{level}"
        );
        let loc = &r["locations"][0]["physicalLocation"];
        let uri = loc["artifactLocation"]["uri"].as_str().expect("uri");
        assert!(!uri.starts_with('/'), "uri must be relative: {uri}");
        assert!(!uri.contains('\\'), "{uri}");
        let region = &loc["region"];
        seen.insert(
            id.to_string(),
            (
                uri.to_string(),
                level.to_string(),
                region["startLine"].as_u64(),
                region["startColumn"].as_u64(),
            ),
        );
    }
    assert_eq!(
        seen["SEC001"],
        (
            "svc/high.py".to_string(),
            "error".to_string(),
            Some(5),
            Some(5)
        ),
        "{seen:?}"
    );
    assert_eq!(
        seen["REL001"],
        (
            "svc/medium.py".to_string(),
            "warning".to_string(),
            Some(5),
            Some(12)
        ),
        "{seen:?}"
    );
}

#[test]
fn rules_lists_every_rule() {
    let out = run_cli(&["rules"], &workspace_root());
    assert_eq!(out.code(), Some(0));
    for id in RULE_IDS {
        assert!(
            out.stdout.contains(id),
            "{id} missing from:\n{}",
            out.stdout
        );
    }
    let out = run_cli(&["rules", "--format", "json"], &workspace_root());
    assert_eq!(out.code(), Some(0));
    let v: Value = serde_json::from_str(&out.stdout).expect("JSON");
    let mut ids: Vec<&str> = v
        .as_array()
        .expect("array")
        .iter()
        .filter_map(|r| r["id"].as_str())
        .collect();
    ids.sort();
    let mut want = RULE_IDS.to_vec();
    want.sort();
    assert_eq!(ids, want);
}

#[test]
fn rule_prints_docs() {
    let out = run_cli(&["rule", "SEC001"], &workspace_root());
    assert_eq!(out.code(), Some(0), "{out:?}");
    assert!(out.stdout.contains("SEC001"), "{}", out.stdout);
    assert!(out.stdout.contains("shell=True"), "{}", out.stdout);
    assert!(
        out.stdout.lines().count() > 5,
        "docs too short:\n{}",
        out.stdout
    );
    let out = run_cli(&["rule", "NOPE999"], &workspace_root());
    assert_eq!(out.code(), Some(2), "{out:?}");
}

#[test]
fn select_ignore_and_config_discovery() {
    let ws = TempWorkspace::with_files(&[("a.py", HIGH), ("b.py", MEDIUM_ONLY)]);
    let rules_of = |args: &[&str], cwd: &std::path::Path| -> Vec<String> {
        let out = run_cli(args, cwd);
        let mut v: Vec<String> = json_findings(&out)
            .iter()
            .map(|f| f["rule"].as_str().unwrap().to_string())
            .collect();
        v.sort();
        v
    };
    let base = ["check", ".", "--format", "json"];
    assert_eq!(rules_of(&base, ws.root()), vec!["REL001", "SEC001"]);
    fn with<'a>(base: &[&'a str], extra: &[&'a str]) -> Vec<&'a str> {
        [base, extra].concat()
    }
    assert_eq!(
        rules_of(&with(&base, &["--select", "SEC"]), ws.root()),
        vec!["SEC001"]
    );
    assert_eq!(
        rules_of(&with(&base, &["--ignore", "SEC001"]), ws.root()),
        vec!["REL001"]
    );
    ws.write("devops-intel.toml", "ignore = [\"REL001\"]\n");
    assert_eq!(rules_of(&base, ws.root()), vec!["SEC001"]);
    std::fs::remove_file(ws.path("devops-intel.toml")).unwrap();
    ws.write(
        "pyproject.toml",
        "[tool.devops-intel]\nselect = [\"REL\"]\n",
    );
    assert_eq!(rules_of(&base, ws.root()), vec!["REL001"]);
    ws.write(
        "pyproject.toml",
        "[tool.devops-intel]\nno-such-option = 1\n",
    );
    let out = run_cli(&base, ws.root());
    assert_eq!(out.code(), Some(2), "invalid config is an error: {out:?}");
}

#[test]
fn fix_with_unsafe_fixes_removes_fixable_findings() {
    for (rule, file, text) in rule_fixtures() {
        if file != "bad.py" {
            continue;
        }
        let ws = TempWorkspace::with_files(&[("bad.py", &text)]);
        // Only this rule's fixes: other rules may fix the same fixture too.
        let select = rule.as_str();
        let before = json_findings(&run_cli(
            &["check", "bad.py", "--format", "json", "--select", select],
            ws.root(),
        ));
        let of_rule = |v: &[Value]| v.iter().filter(|f| f["rule"] == rule.as_str()).count();
        let unfixable = before
            .iter()
            .filter(|f| f["rule"] == rule.as_str() && f["fix"].is_null())
            .count();
        let fixable = of_rule(&before) - unfixable;
        let out = run_cli(
            &[
                "check",
                "bad.py",
                "--fix",
                "--unsafe-fixes",
                "--select",
                select,
            ],
            ws.root(),
        );
        assert!(
            out.code() == Some(0) || out.code() == Some(1),
            "{rule}: --fix failed: {out:?}"
        );
        let fixed = ws.read("bad.py");
        assert!(
            parses_cleanly(&fixed),
            "{rule}: fixed file has syntax errors:\n{fixed}"
        );
        let after = json_findings(&run_cli(
            &["check", "bad.py", "--format", "json", "--select", select],
            ws.root(),
        ));
        assert_eq!(
            of_rule(&after),
            unfixable,
            "{rule}: {fixable} fixable findings should be gone, {unfixable} should remain; after: {after:?}\n{fixed}"
        );
        if fixable > 0 {
            assert_ne!(fixed, text, "{rule}: file unchanged");
        } else {
            assert_eq!(fixed, text, "{rule}: no fixes, yet the file changed");
        }
        // Nothing left to fix: a second run is a no-op.
        run_cli(
            &[
                "check",
                "bad.py",
                "--fix",
                "--unsafe-fixes",
                "--select",
                select,
            ],
            ws.root(),
        );
        assert_eq!(ws.read("bad.py"), fixed, "{rule}: --fix is not idempotent");
    }
}

#[test]
fn fix_without_unsafe_applies_only_safe_fixes() {
    let text = std::fs::read_to_string(rule_fixtures_dir().join("SEC006/bad.py")).unwrap();
    let ws = TempWorkspace::with_files(&[("bad.py", &text)]);
    let before = json_findings(&run_cli(
        &["check", "bad.py", "--format", "json"],
        ws.root(),
    ));
    let safe = before
        .iter()
        .filter(|f| f["fix"]["applicability"] == "safe")
        .count();
    assert!(safe >= 1, "fixture has a safe fix: {before:?}");
    run_cli(&["check", "bad.py", "--fix"], ws.root());
    let after = json_findings(&run_cli(
        &["check", "bad.py", "--format", "json"],
        ws.root(),
    ));
    assert_eq!(after.len(), before.len() - safe, "{after:?}");
    assert!(
        after.iter().all(|f| f["fix"]["applicability"] != "safe"),
        "{after:?}"
    );
    let fixed = ws.read("bad.py");
    assert!(fixed.contains("yaml.safe_load(fh)"), "{fixed}");
    assert!(parses_cleanly(&fixed), "{fixed}");
}

/// COV001 from the coverage data `check` finds (coverage.py JSON next to the
/// configuration), with the same message as the server's diagnostic; rule
/// docs and `--ignore` know it; unreadable data is a warning, not a failure.
#[test]
fn check_reports_untested_risky_functions_from_coverage_data() {
    const DEPLOY: &str = "import subprocess\n\n\ndef rollback(service):\n    subprocess.check_call([\"helm\", \"rollback\", service])\n\n\ndef restart(service):\n    subprocess.check_call([\"systemctl\", \"restart\", service])\n";
    let ws = TempWorkspace::with_files(&[
        ("pyproject.toml", "[tool.devops-intel]\n"),
        ("ops/deploy.py", DEPLOY),
        (
            "coverage.json",
            r#"{"meta": {"format": 3}, "files": {"ops/deploy.py": {
                "executed_lines": [1, 4, 8, 9], "missing_lines": [5]}}}"#,
        ),
    ]);
    let out = run_cli(&["check", "ops", "--format", "json"], ws.root());
    let cov: Vec<Value> = json_findings(&out)
        .into_iter()
        .filter(|f| f["rule"] == "COV001")
        .collect();
    assert_eq!(cov.len(), 1, "{out:?}");
    assert_eq!(cov[0]["line"], 4, "{cov:?}");
    assert_eq!(
        cov[0]["message"],
        "`rollback` is untested (covered 0/1 lines) and has 1 external effect(s): subprocess"
    );
    let out = run_cli(
        &["check", "ops", "--format", "json", "--ignore", "COV001"],
        ws.root(),
    );
    assert!(
        json_findings(&out).iter().all(|f| f["rule"] != "COV001"),
        "{out:?}"
    );
    let out = run_cli(&["rule", "COV001"], ws.root());
    assert_eq!(out.code(), Some(0), "{out:?}");
    assert!(out.stdout.contains("untested-risky-function"), "{out:?}");

    // a suppression COV001 uses is not unused; without data it is not judged
    let suppressed = DEPLOY.replace(
        "def rollback(service):",
        "def rollback(service):  # devops-intel: ignore[COV001]",
    );
    ws.write("ops/deploy.py", &suppressed);
    let unused = |ws: &TempWorkspace| {
        let out = run_cli(
            &[
                "check",
                "ops",
                "--format",
                "json",
                "--report-unused-ignores",
            ],
            ws.root(),
        );
        json_findings(&out)
            .into_iter()
            .filter(|f| f["rule"] == "unused-ignore" || f["rule"] == "COV001")
            .count()
    };
    assert_eq!(unused(&ws), 0);

    ws.write("coverage.json", "{not json");
    assert_eq!(unused(&ws), 0);
    let out = run_cli(&["check", "ops", "--format", "json"], ws.root());
    assert_eq!(out.code(), Some(0), "{out:?}");
    assert!(out.stderr.contains("COV001 skipped"), "{out:?}");
}

/// `--fix` rewrites a file's text only: an executable script stays
/// executable, and a symlinked file is fixed at its target, the link kept.
#[cfg(unix)]
#[test]
fn fix_keeps_permissions_and_symlinks() {
    use std::os::unix::fs::PermissionsExt;
    const SCRIPT: &str =
        "#!/usr/bin/env python3\nimport yaml\n\n\ndef load(f):\n    return yaml.load(f)\n";
    let ws = TempWorkspace::with_files(&[("deploy.py", SCRIPT), ("real/helper.py", SCRIPT)]);
    let script = ws.path("deploy.py");
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o750)).unwrap();
    let link = ws.path("helper.py");
    std::os::unix::fs::symlink(ws.path("real/helper.py"), &link).unwrap();

    let out = run_cli(&["check", "deploy.py", "helper.py", "--fix"], ws.root());
    assert!(out.stderr.contains("Fixed 2 findings"), "{out:?}");
    assert!(ws.read("deploy.py").contains("yaml.safe_load(f)"));
    let mode = std::fs::metadata(&script).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o750, "the script lost its mode");
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink(),
        "the symlink was replaced by a file"
    );
    assert!(ws.read("real/helper.py").contains("yaml.safe_load(f)"));
    // no temporary file left behind
    let leftovers: Vec<_> = std::fs::read_dir(ws.root())
        .unwrap()
        .chain(std::fs::read_dir(ws.path("real")).unwrap())
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().contains("devops-intel.tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

/// A file that is not UTF-8 is analysed with replacement characters; `--fix`
/// leaves its bytes alone (an edit on that text would corrupt them) and
/// still fixes the other files.
#[test]
fn fix_leaves_invalid_utf8_files_untouched() {
    const FIXABLE: &str = "import yaml\n\n\ndef load(f):\n    return yaml.load(f)\n";
    let ws = TempWorkspace::with_files(&[("good.py", FIXABLE)]);
    let latin1: &[u8] = b"# caf\xe9\nimport yaml\n\n\ndef load(f):\n    return yaml.load(f)\n";
    ws.write("latin1.py", latin1);
    let out = run_cli(&["check", ".", "--fix"], ws.root());
    assert!(matches!(out.code(), Some(0 | 1)), "{out:?}");
    assert!(out.stderr.contains("Fixed 1 finding"), "{out:?}");
    assert!(ws.read("good.py").contains("yaml.safe_load(f)"));
    assert_eq!(std::fs::read(ws.path("latin1.py")).unwrap(), latin1);
}
