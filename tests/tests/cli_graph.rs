//! `devops-intel graph` and the ARC rules in `devops-intel check`, on
//! `tests/workspaces/graph-demo`.

use devops_intel_e2e::*;
use serde_json::Value;

fn demo() -> std::path::PathBuf {
    workspace_root().join("tests/workspaces/graph-demo")
}

#[test]
fn graph_json_dot_and_mermaid() {
    let out = run_cli(&["graph", "--kind", "modules"], &demo());
    assert_eq!(out.code(), Some(0), "{}", out.stderr);
    let v: Value = serde_json::from_str(&out.stdout).expect("JSON");
    assert_eq!(v["kind"], "modules");
    assert!(v["edges"]
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["from"] == "shop.api" && e["to"] == "shop.models"));

    let out = run_cli(
        &[
            "graph",
            ".",
            "--kind",
            "calls",
            "--format",
            "dot",
            "--focus",
            "shop.api.create_order",
            "--depth",
            "1",
        ],
        &demo(),
    );
    assert_eq!(out.code(), Some(0), "{}", out.stderr);
    assert!(
        out.stdout.starts_with("digraph \"calls\" {"),
        "{}",
        out.stdout
    );
    assert!(out
        .stdout
        .contains("\"shop.api.create_order\" -> \"shop.util.slugify\" [label=\"call\"];"));
    assert!(!out.stdout.contains("scripts.deploy.main"), "depth 1 only");
    assert!(out.stdout.trim_end().ends_with('}'));

    let out = run_cli(
        &[
            "graph",
            "--kind",
            "impact",
            "--format",
            "mermaid",
            "--focus",
            "src/shop/pricing.py",
        ],
        &demo(),
    );
    assert_eq!(out.code(), Some(0), "{}", out.stderr);
    assert!(out.stdout.starts_with("flowchart LR\n"));
    assert!(out.stdout.contains("(\"compute\")"), "{}", out.stdout);
    assert!(out.stdout.contains("{{\"test_api\"}}"), "{}", out.stdout);

    let out = run_cli(
        &[
            "graph",
            "--kind",
            "dataflow",
            "--focus",
            "scripts.deploy.main",
        ],
        &demo(),
    );
    assert_eq!(out.code(), Some(0), "{}", out.stderr);
    let v: Value = serde_json::from_str(&out.stdout).expect("JSON");
    assert_eq!(v["kind"], "dataflow");
}

#[test]
fn graph_errors_are_clear() {
    let out = run_cli(&["graph", "--kind", "impact"], &demo());
    assert_eq!(out.code(), Some(2));
    assert!(out.stderr.contains("needs --focus"), "{}", out.stderr);
    let out = run_cli(&["graph", "--kind", "calls", "--focus", "no.such"], &demo());
    assert_eq!(out.code(), Some(2));
    assert!(out.stderr.contains("no.such"), "{}", out.stderr);
    let out = run_cli(
        &["graph", "--kind", "dataflow", "--focus", "shop.api"],
        &demo(),
    );
    assert_eq!(out.code(), Some(2));
    let out = run_cli(&["graph", "--kind", "resources"], &demo());
    assert_eq!(out.code(), Some(2));
    assert!(out.stderr.contains("not available"), "{}", out.stderr);
}

#[test]
fn check_reports_arc_rules_with_config_and_suppressions() {
    let out = run_cli(&["check", "--format", "json", "--select", "ARC"], &demo());
    assert_eq!(out.code(), Some(1), "{}", out.stderr);
    let v: Value = serde_json::from_str(&out.stdout).expect("JSON");
    let got: Vec<(String, String, u64)> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_string(),
                f["path"].as_str().unwrap().to_string(),
                f["line"].as_u64().unwrap(),
            )
        })
        .collect();
    let want: Vec<(String, String, u64)> = [
        ("ARC002", "src/shop/broken.py", 1),
        ("ARC002", "src/shop/broken.py", 2),
        ("ARC002", "src/shop/broken.py", 3),
        ("ARC001", "src/shop/cycle_a.py", 1),
        ("ARC001", "src/shop/cycle_b.py", 2),
    ]
    .into_iter()
    .map(|(a, b, c)| (a.to_string(), b.to_string(), c))
    .collect();
    assert_eq!(got, want);
    // ignore and severity apply to workspace rules too
    let out = run_cli(
        &[
            "check", "--format", "json", "--select", "ARC", "--ignore", "ARC002",
        ],
        &demo(),
    );
    let v: Value = serde_json::from_str(&out.stdout).expect("JSON");
    assert_eq!(v.as_array().unwrap().len(), 2);
    assert!(v.as_array().unwrap().iter().all(|f| f["rule"] == "ARC001"));
    // a single file: imports still resolve against the package around it
    let out = run_cli(&["check", "--select", "ARC", "src/shop/api.py"], &demo());
    assert_eq!(out.code(), Some(0), "{}\n{}", out.stdout, out.stderr);
    let out = run_cli(
        &["check", "--select", "ARC002", "src/shop/broken.py"],
        &demo(),
    );
    assert_eq!(out.code(), Some(1), "{}", out.stdout);
    assert_eq!(out.stdout.matches("ARC002").count(), 3, "{}", out.stdout);
}
