//! Pull diagnostics (`textDocument/diagnostic`) for clients that declare them.

use devops_intel_e2e::*;
use serde_json::{json, Value};
use std::time::Duration;

const TEXT: &str = "import requests\nimport yaml\n\n\ndef f(url, t):\n    requests.get(url)\n    return yaml.load(t)\n";

fn pull(c: &mut LspClient, uri: &str) -> Value {
    c.request(
        "textDocument/diagnostic",
        json!({"textDocument": {"uri": uri}}),
    )
    .unwrap_or_else(|e| c.fail(&format!("textDocument/diagnostic failed: {e:?}")))
}

#[test]
fn pull_client_gets_diagnostic_provider_and_full_reports() {
    let ws = TempWorkspace::new();
    let (mut c, init) = LspClient::start_initialized(&InitOptions::root(ws.root()).pull());
    let dp = &init["capabilities"]["diagnosticProvider"];
    assert!(dp.is_object(), "diagnosticProvider expected: {init}");
    let uri = ws.uri("pull.py");
    c.did_open(&uri, TEXT, 1);
    let r = pull(&mut c, &uri);
    assert_eq!(r["kind"], "full", "{r}");
    assert_eq!(
        diag_keys(&r),
        vec![
            ("REL001".to_string(), (5, 4, 5, 16)),
            ("SEC006".to_string(), (6, 11, 6, 20)),
        ],
        "{r}"
    );
    for d in diags(&r) {
        assert_eq!(d.source.as_deref(), Some("devops-intel"));
    }

    // After an edit the pull reflects the new text.
    c.did_change(&uri, 2, vec![change(5, 20, 5, 20, ", timeout=3")]);
    let r = pull(&mut c, &uri);
    assert_eq!(
        diag_keys(&r),
        vec![("SEC006".to_string(), (6, 11, 6, 20))],
        "after edit: {r}"
    );

    // Nothing is pushed to a pull client.
    c.drain_for(Duration::from_millis(300));
    let pushed: Vec<&Notification> = c
        .history
        .iter()
        .filter(|n| n.method == "textDocument/publishDiagnostics")
        .collect();
    assert!(
        pushed.is_empty(),
        "pull client got pushed diagnostics: {pushed:?}"
    );
}

#[test]
fn pull_for_closed_indexed_file() {
    let ws = TempWorkspace::with_files(&[("svc/api.py", TEXT)]);
    let (mut c, _) = LspClient::start_initialized(&InitOptions::root(ws.root()).pull().progress());
    c.wait_index_end(DEFAULT_TIMEOUT);
    let r = pull(&mut c, &ws.uri("svc/api.py"));
    assert_eq!(r["kind"], "full", "{r}");
    assert_eq!(diag_keys(&r).len(), 2, "{r}");
}
