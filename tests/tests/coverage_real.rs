//! Coverage readers against real coverage.py output: generated tests for two
//! modules run under `pytest --cov` (JSON and lcov reports), then our line to
//! function mapping must agree with coverage.py's own per-function regions,
//! the two formats must agree, and `coverage gaps` must rank the untested
//! effectful functions first.

mod testgen_support;

use devops_intel::coverage;
use devops_intel::index::analyze;
use devops_intel::rules::RuleSettings;
use devops_intel_e2e::*;
use testgen_support::*;

#[test]
fn readers_and_gaps_on_real_coverage_py_output() {
    require_python("pytest, pytest_cov, coverage, boto3, requests");
    let ws = project();
    for m in ["opskit/storage.py", "opskit/deploy.py"] {
        let out = run_cli(&["testgen", m], ws.root());
        assert_eq!(out.code(), Some(0), "{}", out.stderr);
    }
    let out = pytest(
        ws.root(),
        &[
            "-q",
            "--cov=opskit",
            "--cov-report=json:coverage.json",
            "--cov-report=lcov:coverage.lcov",
            "tests",
        ],
    );
    assert!(
        out.status.success(),
        "pytest --cov failed:\n{}\n{}",
        out.stdout,
        out.stderr
    );
    let json = coverage::read(&ws.path("coverage.json")).expect("read coverage.json");
    let lcov = coverage::read(&ws.path("coverage.lcov")).expect("read coverage.lcov");

    let mut compared = 0;
    for m in MODULES {
        let path = ws.path(m);
        let text = ws.read(m);
        let summary = analyze(&path, &text, &RuleSettings::default());
        let from_json = json
            .file(&path)
            .unwrap_or_else(|| panic!("{m} not in coverage.json"));
        let from_lcov = lcov
            .file(&path)
            .unwrap_or_else(|| panic!("{m} not in coverage.lcov"));
        // the formats differ only outside functions (the JSON report counts
        // the module docstring); inside functions they must agree
        assert!(
            from_lcov.executed.is_subset(&from_json.executed),
            "{m}: executed lines differ"
        );
        let mut json_lines = from_json.clone();
        json_lines.functions.clear();
        assert_eq!(
            coverage::functions(&summary, &json_lines),
            coverage::functions(&summary, from_lcov),
            "{m}: per-function coverage differs between JSON and lcov"
        );
        assert_eq!(
            from_json.missing, from_lcov.missing,
            "{m}: missing lines differ"
        );
        assert!(
            !from_json.functions.is_empty(),
            "coverage.py 7.6 reports regions"
        );
        // our mapping (lines only) vs coverage.py's regions
        let mut lines_only = from_json.clone();
        lines_only.functions.clear();
        let ours = coverage::functions(&summary, &lines_only);
        let theirs = coverage::functions(&summary, from_json);
        for (a, b) in ours.iter().zip(&theirs) {
            assert_eq!(
                (a.covered, a.total, &a.missing),
                (b.covered, b.total, &b.missing),
                "{m}: {} differs from coverage.py's region",
                a.qualname
            );
            compared += 1;
        }
    }
    assert!(compared >= 17, "compared {compared} functions");

    // tested module: full coverage except the paginated loop body
    let storage = analyze(
        &ws.path("opskit/storage.py"),
        &ws.read("opskit/storage.py"),
        &RuleSettings::default(),
    );
    let fc = coverage::functions(&storage, json.file(&ws.path("opskit/storage.py")).unwrap());
    let by = |q: &str| {
        fc.iter()
            .find(|f| f.qualname == q)
            .unwrap_or_else(|| panic!("{q}"))
    };
    assert_eq!(by("upload_artifact").label(), "covered 4/4 lines");
    assert_eq!(by("list_keys").label(), "covered 5/7 lines");
    // decorated function: the decorator and def lines ran at import, the body did not
    let config = analyze(
        &ws.path("opskit/config.py"),
        &ws.read("opskit/config.py"),
        &RuleSettings::default(),
    );
    let fc = coverage::functions(&config, &{
        let mut c = json.file(&ws.path("opskit/config.py")).unwrap().clone();
        c.functions.clear();
        c
    });
    let cluster = fc
        .iter()
        .find(|f| f.qualname == "cluster_name")
        .expect("cluster_name");
    assert_eq!(cluster.label(), "covered 0/1 lines");

    // ranking through the CLI
    let out = run_cli(&["coverage", "gaps", "--format", "json"], ws.root());
    assert_eq!(out.code(), Some(0), "{}", out.stderr);
    let gaps: serde_json::Value = serde_json::from_str(&out.stdout).expect("json");
    let gaps = gaps.as_array().expect("array");
    let names: Vec<&str> = gaps.iter().filter_map(|g| g["function"].as_str()).collect();
    assert_eq!(names.first(), Some(&"post_with_retry"), "{names:?}");
    for untested in [
        "send_slack_message",
        "write_env_file",
        "load_settings",
        "ReleaseNotifier.publish",
    ] {
        assert!(
            names.contains(&untested),
            "{untested} missing from {names:?}"
        );
    }
    assert!(
        !names.contains(&"upload_artifact"),
        "fully covered: {names:?}"
    );
    let scores: Vec<u64> = gaps.iter().filter_map(|g| g["score"].as_u64()).collect();
    assert!(
        scores.windows(2).all(|w| w[0] >= w[1]),
        "ranked: {scores:?}"
    );
    // lcov gives the same ranking
    let out2 = run_cli(
        &[
            "coverage",
            "gaps",
            "--format",
            "json",
            "--coverage",
            "coverage.lcov",
        ],
        ws.root(),
    );
    let gaps2: serde_json::Value = serde_json::from_str(&out2.stdout).expect("json");
    let names2: Vec<&str> = gaps2
        .as_array()
        .expect("array")
        .iter()
        .filter_map(|g| g["function"].as_str())
        .collect();
    assert_eq!(names, names2);
}
