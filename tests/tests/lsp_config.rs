//! Configuration (file and initializationOptions) and suppression comments.

use devops_intel_e2e::*;
use serde_json::json;

const MIXED: &str = "import requests\nimport subprocess\n\n\ndef f(url):\n    requests.get(url)\n    subprocess.run(['make'])\n";

fn codes(p: &serde_json::Value) -> Vec<String> {
    diags(p).into_iter().map(|d| d.code).collect()
}

#[test]
fn config_file_ignore_suppresses_rule_for_open_and_closed_files() {
    let ws = TempWorkspace::with_files(&[
        ("devops-intel.toml", "ignore = [\"REL002\"]\n"),
        ("pkg/closed.py", MIXED),
    ]);
    let (mut c, _) = LspClient::start_initialized(&InitOptions::root(ws.root()).progress());
    c.wait_index_end(DEFAULT_TIMEOUT);
    let p = c.wait_diagnostics(
        &ws.uri("pkg/closed.py"),
        |p| p["diagnostics"].as_array().is_some_and(|a| !a.is_empty()),
        DEFAULT_TIMEOUT,
    );
    assert_eq!(codes(&p), vec!["REL001"], "closed file: {p}");
    let uri = ws.uri("open.py");
    c.did_open(&uri, MIXED, 1);
    let p = c.wait_diagnostics_version(&uri, 1);
    assert_eq!(codes(&p), vec!["REL001"], "open file: {p}");
}

#[test]
fn config_file_severity_override() {
    let ws = TempWorkspace::with_files(&[(
        "devops-intel.toml",
        "[severity]\nREL001 = \"critical\"\nREL002 = \"info\"\n",
    )]);
    let (mut c, _) = LspClient::start_initialized(&InitOptions::root(ws.root()));
    let uri = ws.uri("sev.py");
    c.did_open(&uri, MIXED, 1);
    let p = c.wait_diagnostics_version(&uri, 1);
    let sev: Vec<(String, Option<i64>)> = diags(&p)
        .into_iter()
        .map(|d| (d.code, d.severity))
        .collect();
    assert_eq!(
        sev,
        vec![
            ("REL001".to_string(), Some(1)),
            ("REL002".to_string(), Some(4))
        ],
        "{p}"
    );
}

#[test]
fn initialization_options_ignore_and_select() {
    let ws = TempWorkspace::new();
    let (mut c, _) = LspClient::start_initialized(
        &InitOptions::root(ws.root()).options(json!({"ignore": ["REL001"]})),
    );
    let uri = ws.uri("a.py");
    c.did_open(&uri, MIXED, 1);
    let p = c.wait_diagnostics_version(&uri, 1);
    assert_eq!(codes(&p), vec!["REL002"], "ignore REL001: {p}");

    let (mut c, _) = LspClient::start_initialized(
        &InitOptions::root(ws.root()).options(json!({"select": ["REL001"]})),
    );
    c.did_open(&uri, MIXED, 1);
    let p = c.wait_diagnostics_version(&uri, 1);
    assert_eq!(codes(&p), vec!["REL001"], "select REL001: {p}");
}

#[test]
fn invalid_initialization_options_do_not_break_the_server() {
    let ws = TempWorkspace::new();
    let (mut c, _) = LspClient::start_initialized(
        &InitOptions::root(ws.root()).options(json!({"ignore": 5, "no-such-key": true})),
    );
    let uri = ws.uri("a.py");
    c.did_open(&uri, MIXED, 1);
    let p = c.wait_diagnostics_version(&uri, 1);
    // Falls back to the defaults: both rules.
    assert_eq!(codes(&p), vec!["REL001", "REL002"], "{p}");
}

#[test]
fn suppression_comments() {
    let ws = TempWorkspace::new();
    let (mut c, _) = LspClient::start_initialized(&InitOptions::root(ws.root()));
    let text = "\
import subprocess


def a(cmd):
    subprocess.run(cmd, shell=True, check=True)  # devops-intel: ignore[SEC001]
    subprocess.run(cmd, shell=True, check=True)  # nosec
    subprocess.run(cmd, shell=True, check=True)
    subprocess.run(cmd, shell=True, check=True)  # devops-intel: ignore[REL001]
    subprocess.run(cmd, shell=True)  # devops-intel: ignore
    subprocess.run(cmd, shell=True)  # nosec
";
    let uri = ws.uri("sup.py");
    c.did_open(&uri, text, 1);
    let p = c.wait_diagnostics_version(&uri, 1);
    assert_eq!(
        diag_keys(&p),
        vec![
            ("REL002".to_string(), (9, 4, 9, 18)),
            ("SEC001".to_string(), (6, 4, 6, 18)),
            ("SEC001".to_string(), (7, 4, 7, 18)),
        ],
        "{p}"
    );
    // Removing a suppression comment brings the finding back.
    let line4 = "    subprocess.run(cmd, shell=True, check=True)  # devops-intel: ignore[SEC001]";
    let (s, _) = span_of(line4, "  #", Enc::Utf16);
    c.did_change(&uri, 2, vec![change(4, s, 4, line4.len() as u32, "")]);
    let p = c.wait_diagnostics_version(&uri, 2);
    assert!(
        diag_keys(&p).contains(&("SEC001".to_string(), (4, 4, 4, 18))),
        "{p}"
    );
}
