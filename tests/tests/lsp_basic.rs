//! Lifecycle, capabilities and pushed diagnostics with exact ranges.

use devops_intel_e2e::*;
use serde_json::Value;

const DEPLOY: &str = r#"import requests
import subprocess
import yaml

KEY = "AKIA2E3A7F3B244CQ6X5"


def deploy(branch, url, text):
    subprocess.run(f"git checkout {branch}", shell=True, check=True)
    requests.get(url, verify=False, timeout=10)
    requests.post(url)
    data = yaml.load(text)
    subprocess.run(["make"])
    return data
"#;

/// `(code, (start line, start char, end line, end char), severity)`.
type Expected = (String, (u32, u32, u32, u32), i64);

/// What DEPLOY must produce, sorted by code then range.
fn expected_deploy() -> Vec<Expected> {
    let mut v: Vec<Expected> = [
        // The key literal's text, without quotes.
        ("SEC013", (4, 7, 4, 27), 1),
        // Callee `subprocess.run`.
        ("SEC001", (8, 4, 8, 18), 1),
        // The `verify=False` argument.
        ("SEC008", (9, 22, 9, 34), 1),
        // Callee `requests.post`.
        ("REL001", (10, 4, 10, 17), 2),
        // Callee `yaml.load`.
        ("SEC006", (11, 11, 11, 20), 1),
        // Callee `subprocess.run`.
        ("REL002", (12, 4, 12, 18), 2),
    ]
    .into_iter()
    .map(|(c, r, s)| (c.to_string(), r, s))
    .collect();
    v.sort();
    v
}

#[test]
fn initialize_advertises_sync_and_utf16_by_default() {
    let ws = TempWorkspace::new();
    let (_c, init) = LspClient::start_initialized(&InitOptions::root(ws.root()));
    let caps = &init["capabilities"];
    assert_eq!(caps["positionEncoding"], "utf-16", "capabilities: {caps}");
    let sync = &caps["textDocumentSync"];
    assert_eq!(sync["change"], 2, "incremental sync expected: {sync}");
    assert_eq!(sync["openClose"], true, "openClose expected: {sync}");
    assert!(
        sync["save"] == true || sync["save"].is_object(),
        "save expected: {sync}"
    );
    assert!(
        caps.get("diagnosticProvider").is_none_or(Value::is_null),
        "no pull capability declared, so no diagnosticProvider expected: {caps}"
    );
}

#[test]
fn did_open_publishes_exact_ranges_codes_and_severities() {
    let ws = TempWorkspace::new();
    let (mut c, _) = LspClient::start_initialized(&InitOptions::root(ws.root()));
    let uri = ws.uri("deploy.py");
    c.did_open(&uri, DEPLOY, 1);
    let p = c.wait_diagnostics_version(&uri, 1);
    let mut got: Vec<Expected> = diags(&p)
        .into_iter()
        .map(|d| (d.code, d.range, d.severity.unwrap_or(-1)))
        .collect();
    got.sort();
    let want = expected_deploy();
    assert_eq!(got, want, "publishDiagnostics: {p}");
    for d in diags(&p) {
        assert_eq!(d.source.as_deref(), Some("devops-intel"), "{d:?}");
        assert!(!d.message.is_empty(), "{d:?}");
    }
}

#[test]
fn clean_document_publishes_empty_list() {
    let ws = TempWorkspace::new();
    let (mut c, _) = LspClient::start_initialized(&InitOptions::root(ws.root()));
    let uri = ws.uri("clean.py");
    c.did_open(
        &uri,
        "import requests\n\n\ndef f(u):\n    return requests.get(u, timeout=5)\n",
        7,
    );
    let p = c.wait_diagnostics_version(&uri, 7);
    assert_eq!(diags(&p), vec![], "{p}");
}

#[test]
fn document_state_reflects_open_and_errors_when_not_open() {
    let ws = TempWorkspace::new();
    let (mut c, _) = LspClient::start_initialized(&InitOptions::root(ws.root()));
    let uri = ws.uri("a.py");
    c.did_open(&uri, "x = 1\n", 3);
    let st = c
        .document_state(&uri)
        .expect("documentState of an open doc");
    assert!(same_uri(st["uri"].as_str().unwrap_or(""), &uri), "{st}");
    assert_eq!(st["version"], 3, "{st}");
    assert_eq!(st["text"], "x = 1\n", "{st}");
    c.did_close(&uri);
    let err = c.document_state(&uri);
    assert!(err.is_err(), "documentState after didClose: {err:?}");
    let err = c.document_state(&ws.uri("never-opened.py"));
    assert!(err.is_err(), "documentState of a never opened doc: {err:?}");
}

#[test]
fn status_reports_counts() {
    let ws = TempWorkspace::with_files(&[("a.py", "x = 1\n"), ("pkg/b.py", "y = 2\n")]);
    let (mut c, _) = LspClient::start_initialized(&InitOptions::root(ws.root()).progress());
    c.wait_index_end(DEFAULT_TIMEOUT);
    let st = c.status();
    assert_eq!(st["indexing"], false, "{st}");
    assert_eq!(st["files"], 2, "{st}");
    assert!(st["heapBytes"].as_u64().is_some(), "{st}");
}

#[test]
fn shutdown_then_exit_right_after_initialized_ends_with_status_zero() {
    // Repeated: an early shutdown races the work `initialized` starts.
    for round in 0..10 {
        let ws = TempWorkspace::with_files(&[("a.py", "x = 1\n")]);
        let (mut c, _) = LspClient::start_initialized(&InitOptions::root(ws.root()));
        let status = c.shutdown_and_exit();
        assert_eq!(
            status.code(),
            Some(0),
            "round {round}: exit status {status:?}"
        );
    }
}

#[test]
fn shutdown_then_exit_after_work_ends_with_status_zero() {
    let ws = TempWorkspace::with_files(&[("a.py", "import requests\nrequests.get('u')\n")]);
    let (mut c, _) = LspClient::start_initialized(&InitOptions::root(ws.root()).progress());
    c.wait_index_end(DEFAULT_TIMEOUT);
    let uri = ws.uri("b.py");
    c.did_open(&uri, "import subprocess\nsubprocess.run(['ls'])\n", 1);
    c.wait_diagnostics_version(&uri, 1);
    c.status();
    let status = c.shutdown_and_exit();
    assert_eq!(status.code(), Some(0), "exit status {status:?}");
}

#[test]
fn requests_after_shutdown_are_rejected() {
    let ws = TempWorkspace::new();
    let (mut c, _) = LspClient::start_initialized(&InitOptions::root(ws.root()));
    c.status();
    c.request("shutdown", Value::Null).expect("shutdown");
    let r = c.request("devopsIntel/status", Value::Null);
    assert_eq!(
        r.map_err(|e| e.code),
        Err(-32600),
        "InvalidRequest after shutdown"
    );
}

#[test]
fn initialize_without_root_works() {
    let (mut c, init) = LspClient::start_initialized(&InitOptions::default());
    assert!(init["capabilities"].is_object(), "{init}");
    let uri = path_to_uri(&std::env::temp_dir().join("di-e2e-rootless.py"));
    c.did_open(&uri, "import requests\nrequests.get('u')\n", 1);
    let p = c.wait_diagnostics_version(&uri, 1);
    assert_eq!(
        diag_keys(&p),
        vec![("REL001".to_string(), (1, 0, 1, 12))],
        "{p}"
    );
}

#[test]
fn root_uri_only_is_a_workspace_too() {
    let ws = TempWorkspace::with_files(&[("svc.py", "import requests\nrequests.get('u')\n")]);
    let mut opts = InitOptions::root(ws.root()).progress();
    opts.root_uri_only = true;
    let (mut c, _) = LspClient::start_initialized(&opts);
    let p = c.wait_diagnostics(
        &ws.uri("svc.py"),
        |p| !p["diagnostics"].as_array().is_none_or(Vec::is_empty),
        DEFAULT_TIMEOUT,
    );
    assert_eq!(
        diag_keys(&p),
        vec![("REL001".to_string(), (1, 0, 1, 12))],
        "{p}"
    );
}
