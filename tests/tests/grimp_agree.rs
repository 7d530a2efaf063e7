//! Agreement with grimp on a real corpus: the internal import edges of the
//! `django` package (Django 5.1.4 sdist) from `devops-intel graph --kind
//! modules` and from `grimp.build_graph("django")` must agree on at least
//! 98% of edges in both directions. Prints every disagreement.
//!
//! Needs python3 with grimp (`pip install grimp`; `.ci/setup.d/30-graph.sh`)
//! and the Django sources (downloaded once into `.bench-cache/`). Fails with
//! a clear message when either is missing.
//!
//! Deliberate differences (none observed on Django 5.1.4; README "Graphs"):
//! - a module importing itself is not an edge for us (grimp drops it too);
//! - `import a.b.c` is an edge to `a.b.c` only, as in grimp (not to `a`, `a.b`).

use devops_intel_e2e::*;
use serde_json::Value;
use std::collections::BTreeSet;
use std::process::Command;
use std::time::Duration;

const PACKAGE: &str = "django";
const MIN_AGREEMENT: f64 = 0.98;

type EdgeSet = BTreeSet<(String, String)>;

fn internal(m: &str) -> bool {
    m == PACKAGE || m.starts_with(&format!("{PACKAGE}."))
}

fn ours(corpus: &std::path::Path) -> EdgeSet {
    let out = run_with_timeout(
        Command::new(binary())
            .args(["graph", "--kind", "modules", "--format", "json"])
            .arg(corpus),
        Duration::from_secs(900),
    )
    .expect("run devops-intel graph");
    assert_eq!(
        out.code(),
        Some(0),
        "devops-intel graph failed:\n{}",
        out.stderr
    );
    let v: Value = serde_json::from_str(&out.stdout).expect("graph JSON");
    v["edges"]
        .as_array()
        .expect("edges")
        .iter()
        .filter(|e| e["kind"] == "import")
        .filter_map(|e| {
            Some((
                e["from"].as_str()?.to_string(),
                e["to"].as_str()?.to_string(),
            ))
        })
        .filter(|(a, b)| internal(a) && internal(b) && a != b)
        .collect()
}

fn grimp(corpus: &std::path::Path) -> EdgeSet {
    let script = workspace_root().join("tests/scripts/grimp_edges.py");
    let out = run_with_timeout(
        Command::new("python3")
            .arg(&script)
            .arg(corpus)
            .arg(PACKAGE),
        Duration::from_secs(900),
    )
    .unwrap_or_else(|e| panic!("python3 is required for the grimp agreement test: {e}"));
    assert!(
        out.status.success(),
        "grimp failed (install it with `pip install grimp`, see .ci/setup.d/30-graph.sh):\n{}",
        out.stderr
    );
    let v: Value = serde_json::from_str(&out.stdout).expect("grimp JSON");
    v["edges"]
        .as_array()
        .expect("edges")
        .iter()
        .filter_map(|e| Some((e[0].as_str()?.to_string(), e[1].as_str()?.to_string())))
        .filter(|(a, b)| a != b)
        .collect()
}

#[test]
fn module_graph_agrees_with_grimp_on_django() {
    let corpus = corpus::django_dir();
    let mine = ours(&corpus);
    let theirs = grimp(&corpus);
    assert!(
        theirs.len() > 1000,
        "grimp found only {} edges",
        theirs.len()
    );
    let both = mine.intersection(&theirs).count();
    let only_ours: Vec<_> = mine.difference(&theirs).collect();
    let only_grimp: Vec<_> = theirs.difference(&mine).collect();
    println!(
        "edges: ours {}, grimp {}, common {both}; only ours {}, only grimp {}",
        mine.len(),
        theirs.len(),
        only_ours.len(),
        only_grimp.len()
    );
    for (a, b) in &only_ours {
        println!("only ours:  {a} -> {b}");
    }
    for (a, b) in &only_grimp {
        println!("only grimp: {a} -> {b}");
    }
    let recall = both as f64 / theirs.len() as f64;
    let precision = both as f64 / mine.len().max(1) as f64;
    println!(
        "agreement: {:.4} of grimp's edges, {:.4} of ours",
        recall, precision
    );
    assert!(
        recall >= MIN_AGREEMENT && precision >= MIN_AGREEMENT,
        "agreement below {MIN_AGREEMENT}: {recall:.4} / {precision:.4}"
    );
}
