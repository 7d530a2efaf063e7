//! Workspace indexing, progress, closed-file diagnostics and watched files.

use devops_intel_e2e::*;
use serde_json::Value;
use std::time::Duration;

const BAD: &str = "import subprocess\n\n\ndef go():\n    subprocess.run(['make'])\n";
const CLEAN: &str = "import subprocess\n\n\ndef go():\n    subprocess.run(['make'], check=True)\n";

fn non_empty(p: &Value) -> bool {
    p["diagnostics"].as_array().is_some_and(|a| !a.is_empty())
}

fn empty(p: &Value) -> bool {
    p["diagnostics"].as_array().is_some_and(Vec::is_empty)
}

#[test]
fn index_reports_progress_and_publishes_closed_files() {
    let ws = TempWorkspace::with_files(&[
        ("app/deploy.py", BAD),
        ("app/clean.py", CLEAN),
        ("lib/keys.py", "KEY = \"AKIA2E3A7F3B244CQ6X5\"\n"),
        ("notes.txt", "subprocess.run(['make'])\n"),
    ]);
    let (mut c, _) = LspClient::start_initialized(&InitOptions::root(ws.root()).progress());
    // The server must create its progress token, then begin ... end.
    let create = c.wait_server_request("window/workDoneProgress/create", DEFAULT_TIMEOUT);
    assert_eq!(create["params"]["token"], INDEX_PROGRESS_TOKEN, "{create}");
    c.wait_index_end(DEFAULT_TIMEOUT);
    let kinds: Vec<String> = c
        .history
        .iter()
        .filter(|n| n.method == "$/progress" && n.params["token"] == INDEX_PROGRESS_TOKEN)
        .map(|n| {
            n.params["value"]["kind"]
                .as_str()
                .unwrap_or("?")
                .to_string()
        })
        .collect();
    assert_eq!(
        kinds.first().map(String::as_str),
        Some("begin"),
        "{kinds:?}"
    );
    assert_eq!(kinds.last().map(String::as_str), Some("end"), "{kinds:?}");
    assert!(
        kinds[1..kinds.len() - 1].iter().all(|k| k == "report"),
        "{kinds:?}"
    );

    let p = c.wait_diagnostics(&ws.uri("app/deploy.py"), non_empty, DEFAULT_TIMEOUT);
    assert_eq!(
        diag_keys(&p),
        vec![("REL002".to_string(), (4, 4, 4, 18))],
        "{p}"
    );
    assert!(
        p.get("version").is_none_or(Value::is_null),
        "closed files have no version: {p}"
    );
    let p = c.wait_diagnostics(&ws.uri("lib/keys.py"), non_empty, DEFAULT_TIMEOUT);
    assert_eq!(
        diag_keys(&p),
        vec![("SEC013".to_string(), (0, 7, 0, 27))],
        "{p}"
    );

    let st = c.status();
    assert_eq!(st["indexing"], false, "{st}");
    assert_eq!(st["files"], 3, "three .py files: {st}");
    // A clean closed file must not get findings.
    c.drain_for(Duration::from_millis(200));
    for p in c.published(&ws.uri("app/clean.py")) {
        assert!(empty(&p), "clean.py got findings: {p}");
    }
}

#[test]
fn gitignored_and_excluded_folders_are_not_indexed() {
    let ws = TempWorkspace::with_files(&[
        (".gitignore", "generated/\n"),
        ("main.py", BAD),
        ("generated/out.py", BAD),
        ("node_modules/pkg/x.py", BAD),
        (".hidden/y.py", BAD),
        // setuptools output: skipped
        ("build/lib/app/x.py", BAD),
        ("dist/app/x.py", BAD),
        // a package that happens to be called `build`: indexed
        ("app/build/__init__.py", ""),
        ("app/build/steps.py", BAD),
    ]);
    let (mut c, _) = LspClient::start_initialized(&InitOptions::root(ws.root()).progress());
    c.wait_index_end(DEFAULT_TIMEOUT);
    c.wait_diagnostics(&ws.uri("main.py"), non_empty, DEFAULT_TIMEOUT);
    c.wait_diagnostics(&ws.uri("app/build/steps.py"), non_empty, DEFAULT_TIMEOUT);
    let st = c.status();
    assert_eq!(st["files"], 3, "main.py and the build package: {st}");
    // a file created in an output folder is ignored like the others there
    ws.write("build/lib/app/y.py", BAD);
    c.did_change_watched(&[(&ws.uri("build/lib/app/y.py"), 1)]);
    c.drain_for(Duration::from_millis(300));
    assert_eq!(c.status()["files"], 3, "build/lib/app/y.py got indexed");
    for rel in [
        "generated/out.py",
        "node_modules/pkg/x.py",
        ".hidden/y.py",
        "build/lib/app/x.py",
        "build/lib/app/y.py",
        "dist/app/x.py",
    ] {
        let got: Vec<Value> = c
            .published(&ws.uri(rel))
            .into_iter()
            .filter(non_empty)
            .collect();
        assert!(got.is_empty(), "{rel} must not be indexed: {got:?}");
    }
}

#[test]
fn watched_file_delete_create_change() {
    let ws = TempWorkspace::with_files(&[("a.py", BAD), ("b.py", BAD)]);
    let (mut c, _) = LspClient::start_initialized(&InitOptions::root(ws.root()).progress());
    c.wait_index_end(DEFAULT_TIMEOUT);
    let a = ws.uri("a.py");
    let b = ws.uri("b.py");
    c.wait_diagnostics(&a, non_empty, DEFAULT_TIMEOUT);
    c.wait_diagnostics(&b, non_empty, DEFAULT_TIMEOUT);

    // Deleted on disk -> empty diagnostics.
    ws.remove("a.py");
    c.did_change_watched(&[(&a, 3)]);
    c.wait_diagnostics(&a, empty, DEFAULT_TIMEOUT);
    let st = c.status();
    assert_eq!(st["files"], 1, "after delete: {st}");

    // Created -> diagnostics.
    let n = ws.uri("sub/new.py");
    ws.write("sub/new.py", "import requests\nrequests.get('https://x')\n");
    c.did_change_watched(&[(&n, 1)]);
    let p = c.wait_diagnostics(&n, non_empty, DEFAULT_TIMEOUT);
    assert_eq!(
        diag_keys(&p),
        vec![("REL001".to_string(), (1, 0, 1, 12))],
        "{p}"
    );
    let st = c.status();
    assert_eq!(st["files"], 2, "after create: {st}");

    // Changed to clean -> empty diagnostics.
    ws.write("b.py", CLEAN);
    c.did_change_watched(&[(&b, 2)]);
    c.wait_diagnostics(&b, empty, DEFAULT_TIMEOUT);

    // Changed to bad again -> findings again.
    ws.write("b.py", BAD);
    c.did_change_watched(&[(&b, 2)]);
    c.wait_diagnostics(&b, non_empty, DEFAULT_TIMEOUT);
}

#[test]
fn open_document_wins_over_disk_and_close_restores_disk() {
    let ws = TempWorkspace::with_files(&[("a.py", BAD)]);
    let (mut c, _) = LspClient::start_initialized(&InitOptions::root(ws.root()).progress());
    c.wait_index_end(DEFAULT_TIMEOUT);
    let a = ws.uri("a.py");
    c.wait_diagnostics(&a, non_empty, DEFAULT_TIMEOUT);
    // The editor buffer is clean while the disk is not.
    c.did_open(&a, CLEAN, 1);
    let p = c.wait_diagnostics_version(&a, 1);
    assert!(empty(&p), "open buffer is clean: {p}");
    // A watched-file change for an open document must not override the buffer.
    ws.write("a.py", BAD);
    c.did_change_watched(&[(&a, 2)]);
    c.drain_for(Duration::from_millis(300));
    let last = c.published(&a).last().cloned().unwrap();
    assert!(empty(&last), "disk change overrode the open buffer: {last}");
    // After close, the file on disk (bad) is what counts again.
    c.did_close(&a);
    let p = c.wait_diagnostics(&a, non_empty, DEFAULT_TIMEOUT);
    assert_eq!(
        diag_keys(&p),
        vec![("REL002".to_string(), (4, 4, 4, 18))],
        "{p}"
    );
}

#[test]
fn two_workspace_folders_are_both_indexed() {
    let one = TempWorkspace::with_files(&[("one.py", BAD)]);
    let two = TempWorkspace::with_files(&[("two.py", BAD)]);
    let mut opts = InitOptions::root(one.root()).progress();
    opts.extra_folders.push(two.root().to_path_buf());
    let (mut c, _) = LspClient::start_initialized(&opts);
    c.wait_index_end(DEFAULT_TIMEOUT);
    c.wait_diagnostics(&one.uri("one.py"), non_empty, DEFAULT_TIMEOUT);
    c.wait_diagnostics(&two.uri("two.py"), non_empty, DEFAULT_TIMEOUT);
    assert_eq!(c.status()["files"], 2);
}
