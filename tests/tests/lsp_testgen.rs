//! The test generation code actions over real LSP: the action on a function
//! returns an edit creating the test file (CreateFile when the client supports
//! it, plain changes otherwise); once applied, asking again adds nothing.

mod testgen_support;

use devops_intel_e2e::*;
use serde_json::{json, Value};
use testgen_support::*;

fn start(ws: &TempWorkspace, create_files: bool) -> LspClient {
    let mut c = LspClient::start();
    let mut params = InitOptions::root(ws.root()).to_params();
    if create_files {
        params["capabilities"]["workspace"]["workspaceEdit"] = json!({
            "documentChanges": true,
            "resourceOperations": ["create", "rename", "delete"],
        });
    }
    c.request("initialize", params)
        .unwrap_or_else(|e| panic!("initialize failed: {e:?}"));
    c.notify("initialized", json!({}));
    c
}

fn actions(c: &mut LspClient, uri: &str, line: u32) -> Vec<Value> {
    let r = c
        .request(
            "textDocument/codeAction",
            json!({
                "textDocument": {"uri": uri},
                "range": {"start": {"line": line, "character": 4}, "end": {"line": line, "character": 4}},
                "context": {"diagnostics": [], "only": ["refactor"]},
            }),
        )
        .unwrap_or_else(|e| panic!("codeAction failed: {e:?}"));
    r.as_array().cloned().unwrap_or_default()
}

fn titled<'a>(actions: &'a [Value], title: &str) -> Option<&'a Value> {
    actions.iter().find(|a| a["title"] == title)
}

fn line_of(text: &str, needle: &str) -> u32 {
    text.lines()
        .position(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("{needle} not in fixture")) as u32
}

/// Applies inserts (positions in the file's current text, utf-16 = ASCII here).
fn apply_edits(text: &str, edits: &[Value]) -> String {
    let mut out = text.to_string();
    let mut edits: Vec<&Value> = edits.iter().collect();
    edits.sort_by_key(|e| {
        std::cmp::Reverse((
            e["range"]["start"]["line"].as_u64().unwrap_or(0),
            e["range"]["start"]["character"].as_u64().unwrap_or(0),
        ))
    });
    for e in edits {
        let s = offset_of(
            &out,
            e["range"]["start"]["line"].as_u64().unwrap_or(0) as u32,
            e["range"]["start"]["character"].as_u64().unwrap_or(0) as u32,
            Enc::Utf16,
        );
        let end = offset_of(
            &out,
            e["range"]["end"]["line"].as_u64().unwrap_or(0) as u32,
            e["range"]["end"]["character"].as_u64().unwrap_or(0) as u32,
            Enc::Utf16,
        );
        out.replace_range(s..end, e["newText"].as_str().unwrap_or(""));
    }
    out
}

#[test]
fn function_action_creates_test_file_and_is_idempotent() {
    let ws = project();
    let mut c = start(&ws, true);
    let src = ws.read("opskit/storage.py");
    let uri = ws.uri("opskit/storage.py");
    c.did_open(&uri, &src, 1);
    c.wait_diagnostics_version(&uri, 1);
    let line = line_of(&src, "s3.upload_file(");
    let got = actions(&mut c, &uri, line);
    let action = titled(&got, "Generate pytest test for `upload_artifact`")
        .unwrap_or_else(|| panic!("no testgen action: {got:#?}"));
    assert_eq!(action["kind"], "refactor");
    let changes = action["edit"]["documentChanges"]
        .as_array()
        .unwrap_or_else(|| panic!("documentChanges expected: {action}"));
    let test_uri = ws.uri("tests/test_storage.py");
    assert_eq!(changes[0]["kind"], "create", "{action}");
    assert!(same_uri(
        changes[0]["uri"].as_str().unwrap_or(""),
        &test_uri
    ));
    assert!(same_uri(
        changes[1]["textDocument"]["uri"].as_str().unwrap_or(""),
        &test_uri
    ));
    let edits = changes[1]["edits"].as_array().cloned().unwrap_or_default();
    let created = apply_edits("", &edits);
    assert!(
        created.contains("def test_upload_artifact(monkeypatch, tmp_path):"),
        "{created}"
    );
    assert!(
        created.contains("boto3_mock.client.return_value.upload_file.assert_any_call(path, \"acme-build-artifacts\""),
        "{created}"
    );
    assert!(
        created.contains("from opskit.storage import upload_artifact\n"),
        "{created}"
    );
    assert!(
        !created.contains("def test_list_keys"),
        "only the chosen function: {created}"
    );
    ws.write("tests/test_storage.py", &created);

    // applied once: the same action is no longer offered
    let again = actions(&mut c, &uri, line);
    assert!(
        titled(&again, "Generate pytest test for `upload_artifact`").is_none(),
        "generating twice must add nothing: {again:#?}"
    );
    // the file action now appends the other functions to the existing file
    let file_action = titled(&again, "Generate tests for untested functions in this file")
        .unwrap_or_else(|| panic!("file action expected: {again:#?}"));
    let doc = &file_action["edit"]["documentChanges"];
    let edits = if doc.is_array() {
        assert!(
            doc[0].get("kind").is_none(),
            "file exists: no create: {doc}"
        );
        doc[0]["edits"].as_array().cloned().unwrap_or_default()
    } else {
        file_action["edit"]["changes"][&test_uri]
            .as_array()
            .cloned()
            .unwrap_or_default()
    };
    let extended = apply_edits(&created, &edits);
    assert_eq!(
        extended.matches("def test_upload_artifact(").count(),
        1,
        "{extended}"
    );
    assert!(extended.contains("def test_list_keys("), "{extended}");
    assert!(extended.contains("def test_delete_release("), "{extended}");
    assert!(
        extended.contains("from opskit.storage import list_keys"),
        "{extended}"
    );
    ws.write("tests/test_storage.py", &extended);
    let last = actions(&mut c, &uri, line);
    assert!(
        last.iter()
            .all(|a| !a["title"].as_str().unwrap_or("").starts_with("Generate")),
        "everything is tested now: {last:#?}"
    );
    c.shutdown_and_exit();
}

#[test]
fn without_create_support_the_edit_falls_back_to_changes() {
    let ws = project();
    let mut c = start(&ws, false);
    let src = ws.read("opskit/deploy.py");
    let uri = ws.uri("opskit/deploy.py");
    c.did_open(&uri, &src, 1);
    c.wait_diagnostics_version(&uri, 1);
    let got = actions(&mut c, &uri, line_of(&src, "raise ValueError(\"revision"));
    let action = titled(&got, "Generate pytest test for `rollback`")
        .unwrap_or_else(|| panic!("no testgen action: {got:#?}"));
    let test_uri = ws.uri("tests/test_deploy.py");
    let changes = action["edit"]["changes"]
        .as_object()
        .unwrap_or_else(|| panic!("changes expected: {action}"));
    let (k, edits) = changes.iter().next().expect("one file");
    assert!(same_uri(k, &test_uri), "{k}");
    let text = apply_edits("", edits.as_array().map(Vec::as_slice).unwrap_or(&[]));
    assert!(text.contains("def test_rollback(monkeypatch):"), "{text}");
    assert!(
        text.contains("def test_rollback_raises_value_error(monkeypatch):"),
        "{text}"
    );
    assert!(
        text.contains(
            "monkeypatch.setattr(deploy_module.subprocess, \"check_call\", check_call_mock)"
        ),
        "{text}"
    );
    c.shutdown_and_exit();
}

fn cov001(p: &Value) -> Vec<(String, u64)> {
    diags(p)
        .into_iter()
        .filter(|d| d.code == "COV001")
        .map(|d| (d.message.clone(), d.range.0 as u64))
        .collect()
}

#[test]
fn coverage_lenses_and_cov001_follow_the_coverage_file() {
    let ws = project();
    // rollback and current_commit never ran; deploy_service did
    ws.write(
        "coverage.json",
        r#"{"meta": {"format": 3}, "files": {"opskit/deploy.py": {
            "executed_lines": [1, 2, 4, 7, 9, 10, 11, 25, 32],
            "missing_lines": [27, 28, 29, 34, 37]}}}"#,
    );
    let mut c = LspClient::start_initialized(&InitOptions::root(ws.root())).0;
    let src = ws.read("opskit/deploy.py");
    let uri = ws.uri("opskit/deploy.py");
    c.did_open(&uri, &src, 1);
    let t = std::time::Duration::from_secs(20);
    let p = c.wait_diagnostics(&uri, |p| !cov001(p).is_empty(), t);
    let found = cov001(&p);
    let lines: Vec<u64> = found.iter().map(|(_, l)| *l).collect();
    assert_eq!(
        lines,
        vec![
            line_of(&src, "def rollback") as u64,
            line_of(&src, "def current_commit") as u64
        ],
        "{found:?}"
    );
    assert!(
        found[0]
            .0
            .contains("`rollback` is untested (covered 0/3 lines)"),
        "{found:?}"
    );
    assert!(found[0].0.contains("subprocess"), "{found:?}");

    let lenses = c
        .request(
            "textDocument/codeLens",
            json!({"textDocument": {"uri": uri}}),
        )
        .unwrap_or_else(|e| panic!("codeLens failed: {e:?}"));
    let titles: Vec<(u64, String)> = lenses
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .map(|l| {
            (
                l["range"]["start"]["line"].as_u64().unwrap_or(0),
                l["command"]["title"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    assert!(
        titles.contains(&(
            line_of(&src, "def deploy_service") as u64,
            "covered 3/3 lines".into()
        )),
        "{titles:?}"
    );
    assert!(
        titles
            .iter()
            .any(|(l, t)| *l == line_of(&src, "def current_commit") as u64
                && t.starts_with("covered 0/2 lines")),
        "{titles:?}"
    );

    // the tests now cover everything: COV001 goes away on the watched change
    ws.write(
        "coverage.json",
        r#"{"meta": {"format": 3}, "files": {"opskit/deploy.py": {
            "executed_lines": [1, 2, 4, 7, 9, 10, 11, 25, 27, 28, 29, 32, 34, 37],
            "missing_lines": []}}}"#,
    );
    c.did_change_watched(&[(&ws.uri("coverage.json"), 2)]);
    let p = c.wait_diagnostics(&uri, |p| cov001(p).is_empty(), t);
    assert!(cov001(&p).is_empty(), "{p}");
    let lenses = c
        .request(
            "textDocument/codeLens",
            json!({"textDocument": {"uri": uri}}),
        )
        .unwrap_or_else(|e| panic!("codeLens failed: {e:?}"));
    assert!(
        lenses.to_string().contains("covered 2/2 lines"),
        "lens after reload: {lenses}"
    );
    c.shutdown_and_exit();
}

#[test]
fn with_resolve_support_the_edit_comes_on_resolve() {
    let ws = project();
    let mut c = LspClient::start();
    let mut params = InitOptions::root(ws.root()).to_params();
    params["capabilities"]["workspace"]["workspaceEdit"] =
        json!({"documentChanges": true, "resourceOperations": ["create"]});
    params["capabilities"]["textDocument"]["codeAction"] = json!({
        "codeActionLiteralSupport": {"codeActionKind": {"valueSet": ["quickfix", "refactor", "source"]}},
        "resolveSupport": {"properties": ["edit"]},
        "dataSupport": true,
    });
    let init = c
        .request("initialize", params)
        .unwrap_or_else(|e| panic!("initialize failed: {e:?}"));
    assert_eq!(
        init["capabilities"]["codeActionProvider"]["resolveProvider"], true,
        "{init}"
    );
    c.notify("initialized", json!({}));
    let src = ws.read("opskit/notify.py");
    let uri = ws.uri("opskit/notify.py");
    c.did_open(&uri, &src, 1);
    c.wait_diagnostics_version(&uri, 1);
    let got = actions(&mut c, &uri, line_of(&src, "Subject=\"release\""));
    let action = titled(&got, "Generate pytest test for `ReleaseNotifier.publish`")
        .unwrap_or_else(|| panic!("no testgen action: {got:#?}"))
        .clone();
    assert!(
        action.get("edit").is_none_or(Value::is_null),
        "lazy: {action}"
    );
    let resolved = c
        .request("codeAction/resolve", action)
        .unwrap_or_else(|e| panic!("resolve failed: {e:?}"));
    let changes = resolved["edit"]["documentChanges"]
        .as_array()
        .unwrap_or_else(|| panic!("documentChanges expected: {resolved}"));
    assert_eq!(changes[0]["kind"], "create");
    let text = apply_edits(
        "",
        changes[1]["edits"]
            .as_array()
            .map(Vec::as_slice)
            .unwrap_or(&[]),
    );
    assert!(
        text.contains("instance = ReleaseNotifier(\"test-topic-arn\")"),
        "{text}"
    );
    assert!(
        text.contains("boto3_mock.client.assert_any_call(\"sns\", region_name=\"us-east-1\")"),
        "{text}"
    );
    c.shutdown_and_exit();
}
