//! `devops-intel docs` on the example workspace: pages for every module, the
//! functions with their effects, and Mermaid blocks that mermaid's own parser
//! accepts (node + tests/mermaid-check, installed by .ci/setup.d/45-mermaid.sh).

use devops_intel_e2e::*;
use std::process::Command;
use std::time::Duration;

#[test]
fn docs_for_the_example_workspace_with_valid_mermaid() {
    let demo = workspace_root().join("tests/workspaces/devops-demo");
    let out = TempWorkspace::new();
    let dir = out.path("docs");
    let r = run_cli(
        &[
            "docs",
            demo.to_str().unwrap(),
            "--out",
            dir.to_str().unwrap(),
        ],
        &workspace_root(),
    );
    assert_eq!(r.code(), Some(0), "docs failed: {}{}", r.stdout, r.stderr);
    let index = std::fs::read_to_string(dir.join("index.md")).expect("index.md");
    for m in [
        "deploy_tool.cli",
        "deploy_tool.artifacts",
        "deploy_tool.config",
        "deploy_tool.notify",
    ] {
        assert!(
            index.contains(&format!("[`{m}`]({m}.md)")),
            "{m} missing:\n{index}"
        );
        assert!(dir.join(format!("{m}.md")).is_file(), "{m}.md missing");
    }
    assert!(index.contains("```mermaid\nflowchart LR\n"), "{index}");
    assert!(index.contains("## Architecture smells"), "{index}");
    assert!(
        index.contains("| `deploy_tool.cli` | 3 |"),
        "fan-out table:\n{index}"
    );
    let notify = std::fs::read_to_string(dir.join("deploy_tool.notify.md")).unwrap();
    assert!(notify.contains("### `slack`"), "{notify}");
    assert!(notify.contains("- Env: `SLACK_WEBHOOK_URL`"), "{notify}");
    // the URL comes from the environment: the template says so
    assert!(
        notify.contains("- HTTP: `POST {os.environ[\"SLACK_WEBHOOK_URL\"]}`"),
        "{notify}"
    );
    assert!(
        notify.contains("External imports: `os`, `requests`"),
        "{notify}"
    );
    let cli = std::fs::read_to_string(dir.join("deploy_tool.cli.md")).unwrap();
    assert!(
        cli.contains("- Runs: `docker build -t {tag} .`, `docker push {tag}`"),
        "{cli}"
    );

    // every Mermaid block through mermaid's parser
    let checker = workspace_root().join("tests/mermaid-check");
    let node = Command::new("node").arg("--version").output();
    assert!(
        node.is_ok_and(|o| o.status.success()),
        "node is required for the Mermaid check (install Node 20+)"
    );
    assert!(
        checker.join("node_modules/mermaid").is_dir(),
        "tests/mermaid-check is not installed: run `bash .ci/setup.d/45-mermaid.sh`"
    );
    let mut pages: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| e.path().to_string_lossy().into_owned())
        .filter(|p| p.ends_with(".md"))
        .collect();
    pages.sort();
    let mut cmd = Command::new("node");
    cmd.arg(checker.join("check.mjs")).args(&pages);
    let r = run_with_timeout(&mut cmd, Duration::from_secs(120)).expect("run node");
    assert_eq!(
        r.code(),
        Some(0),
        "mermaid rejected a block:\n{}{}",
        r.stdout,
        r.stderr
    );
    assert!(
        r.stdout.contains("1 mermaid blocks, 0 failures"),
        "{}",
        r.stdout
    );
}

#[test]
fn mermaid_checker_rejects_a_broken_block() {
    // the check must be able to fail
    let out = TempWorkspace::new();
    let bad = out.write(
        "bad.md",
        "# x\n\n```mermaid\nflowchart LR\n  a[\"open --> b\n```\n",
    );
    let checker = workspace_root().join("tests/mermaid-check");
    assert!(
        checker.join("node_modules/mermaid").is_dir(),
        "tests/mermaid-check is not installed: run `bash .ci/setup.d/45-mermaid.sh`"
    );
    let mut cmd = Command::new("node");
    cmd.arg(checker.join("check.mjs")).arg(&bad);
    let r = run_with_timeout(&mut cmd, Duration::from_secs(120))
        .expect("node is required for the Mermaid check");
    assert_eq!(r.code(), Some(1), "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("FAIL"), "{}", r.stdout);
}
