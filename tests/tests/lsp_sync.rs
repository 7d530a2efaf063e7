//! Incremental document sync under load, and version ordering of diagnostics.

use devops_intel_e2e::*;
use serde_json::Value;
use std::time::Duration;

/// REL001 findings the engine must report for `text`: every line that starts
/// with `requests.get(` and has no `timeout`, at the callee `requests.get`.
fn expected_rel001(text: &str) -> Vec<(String, (u32, u32, u32, u32))> {
    let mut v: Vec<_> = text
        .lines()
        .enumerate()
        .filter(|(_, l)| l.starts_with("requests.get(") && !l.contains("timeout"))
        .map(|(i, _)| ("REL001".to_string(), (i as u32, 0, i as u32, 12)))
        .collect();
    v.sort();
    v
}

/// Number of `\n` in `text` = index of the last (possibly empty) line.
fn last_line(text: &str) -> u32 {
    text.matches('\n').count() as u32
}

fn line_len(text: &str, line: u32) -> u32 {
    text.split('\n').nth(line as usize).unwrap().len() as u32
}

/// Where to insert an argument in line `k` if it is a `requests.get(...)` call:
/// just before the first `,` or `)`.
fn mid_line_spot(text: &str, k: u32) -> Option<(u32, u32)> {
    let line = text.split('\n').nth(k as usize)?;
    if !line.starts_with("requests.get(") {
        return None;
    }
    let col = line.find([',', ')'])?;
    Some((k, col as u32))
}

/// The changes for edit number `i` (1-based) against the current `text`.
fn edit(i: u32, text: &str) -> Vec<Value> {
    let n = last_line(text);
    if i % 10 == 0 && n >= 2 {
        // Delete the last complete line.
        vec![change(n - 1, 0, n, 0, "")]
    } else if i % 7 == 0 && n >= 2 {
        // Rewrite a line in the middle (never the import on line 0).
        let k = (i * 31) % (n - 1) + 1;
        let new = if i % 2 == 0 {
            format!("requests.get(url{i})")
        } else {
            format!("requests.get(url{i}, timeout=3)")
        };
        vec![change(k, 0, k, line_len(text, k), &new)]
    } else if i % 5 == 0 {
        // Two changes in one notification; the second is relative to the
        // text after the first.
        vec![
            change(n, 0, n, 0, &format!("a{i} = 1\n")),
            change(n + 1, 0, n + 1, 0, &format!("requests.get(url{i})\n")),
        ]
    } else if let Some((k, col)) = (i % 4 == 1 && n >= 2)
        .then(|| mid_line_spot(text, n - 1))
        .flatten()
    {
        // Type in the middle of the previous line: add a positional argument
        // after the first one.
        vec![change(k, col, k, col, ", x")]
    } else {
        let line = if i % 3 == 0 {
            format!("requests.get(url{i})\n")
        } else {
            format!("requests.get(url{i}, timeout=1)\n")
        };
        vec![change(n, 0, n, 0, &line)]
    }
}

#[test]
fn two_hundred_rapid_incremental_changes_converge() {
    let ws = TempWorkspace::new();
    let (mut c, _) = LspClient::start_initialized(&InitOptions::root(ws.root()));
    let uri = ws.uri("rapid.py");
    let mut text = String::from("import requests\n");
    c.did_open(&uri, &text, 1);
    let mut version = 1;
    for i in 1..=200u32 {
        let changes = edit(i, &text);
        for ch in &changes {
            apply_change(&mut text, ch, Enc::Utf16);
        }
        version += 1;
        c.did_change(&uri, version, changes);
    }
    assert_eq!(version, 201);
    // The oracle must be non-trivial for the test to mean something.
    let want = expected_rel001(&text);
    assert!(want.len() > 10, "oracle too weak: {want:?}");
    assert!(
        text.contains(", x"),
        "mid-line edits missing from the model"
    );

    let st = c
        .document_state(&uri)
        .unwrap_or_else(|e| c.fail(&format!("documentState failed: {e:?}")));
    assert_eq!(st["version"], 201, "documentState version");
    let got_text = st["text"].as_str().unwrap_or_default();
    if got_text != text {
        let first_diff = got_text.lines().zip(text.lines()).position(|(a, b)| a != b);
        panic!(
            "documentState text differs from the client's model (first differing line: {first_diff:?})\n--- server ---\n{got_text}\n--- expected ---\n{text}"
        );
    }

    let p = c.wait_diagnostics_version(&uri, 201);
    assert_eq!(diag_keys(&p), want, "diagnostics for the final text");
    // Settling window: anything still in flight arrives now and is checked below.
    c.drain_for(Duration::from_millis(500));
    let published = c.published(&uri);
    let versions: Vec<i64> = published
        .iter()
        .map(|p| p["version"].as_i64().unwrap_or(-1))
        .collect();
    assert!(
        versions.windows(2).all(|w| w[0] <= w[1]),
        "a stale version was published after a newer one: {versions:?}"
    );
    assert_eq!(
        versions.last(),
        Some(&201),
        "the last publish must be for the final version: {versions:?}"
    );
    let last = published.last().unwrap();
    assert_eq!(diag_keys(last), want, "last publish: {last}");
}

#[test]
fn every_change_gets_a_publish_even_if_unchanged() {
    let ws = TempWorkspace::new();
    let (mut c, _) = LspClient::start_initialized(&InitOptions::root(ws.root()));
    let uri = ws.uri("steady.py");
    let mut text = String::from("import requests\nrequests.get(u)\n# c\n");
    c.did_open(&uri, &text, 1);
    let p = c.wait_diagnostics_version(&uri, 1);
    let want = expected_rel001(&text);
    assert_eq!(diag_keys(&p), want);
    for v in 2..=6i64 {
        // Edit only the comment: the findings do not change.
        let ch = change(2, 3, 2, 3, "x");
        apply_change(&mut text, &ch, Enc::Utf16);
        c.did_change(&uri, v, vec![ch]);
        let p = c.wait_diagnostics_version(&uri, v);
        assert_eq!(diag_keys(&p), want, "version {v}: {p}");
    }
    let st = c.document_state(&uri).expect("documentState");
    assert_eq!(st["text"], text.as_str());
    assert_eq!(st["version"], 6);
}

#[test]
fn full_text_change_replaces_document() {
    let ws = TempWorkspace::new();
    let (mut c, _) = LspClient::start_initialized(&InitOptions::root(ws.root()));
    let uri = ws.uri("full.py");
    c.did_open(&uri, "import requests\nrequests.get(u)\n", 1);
    c.wait_diagnostics_version(&uri, 1);
    let new = "import subprocess\n\nsubprocess.run(['ls'])\n";
    c.did_change(&uri, 2, vec![serde_json::json!({"text": new})]);
    let p = c.wait_diagnostics_version(&uri, 2);
    assert_eq!(
        diag_keys(&p),
        vec![("REL002".to_string(), (2, 0, 2, 14))],
        "{p}"
    );
    let st = c.document_state(&uri).expect("documentState");
    assert_eq!(st["text"], new);
}

#[test]
fn edits_that_fix_and_reintroduce_a_finding() {
    let ws = TempWorkspace::new();
    let (mut c, _) = LspClient::start_initialized(&InitOptions::root(ws.root()));
    let uri = ws.uri("toggle.py");
    let text = "import requests\nrequests.get(u)\n";
    c.did_open(&uri, text, 1);
    let p = c.wait_diagnostics_version(&uri, 1);
    assert_eq!(diag_keys(&p).len(), 1, "{p}");
    // requests.get(u) -> requests.get(u, timeout=5)
    c.did_change(&uri, 2, vec![change(1, 14, 1, 14, ", timeout=5")]);
    let p = c.wait_diagnostics_version(&uri, 2);
    assert_eq!(diag_keys(&p), vec![], "fixed: {p}");
    // Undo.
    c.did_change(&uri, 3, vec![change(1, 14, 1, 25, "")]);
    let p = c.wait_diagnostics_version(&uri, 3);
    assert_eq!(
        diag_keys(&p),
        vec![("REL001".to_string(), (1, 0, 1, 12))],
        "reintroduced: {p}"
    );
}
