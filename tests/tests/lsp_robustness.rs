//! Hostile input: each case must leave the server answering requests.

use devops_intel_e2e::*;
use serde_json::{json, Value};
use std::time::Duration;

/// Generous bound for huge inputs in a debug build (a hang still fails).
const BIG_TIMEOUT: Duration = Duration::from_secs(180);

fn start(ws: &TempWorkspace) -> LspClient {
    LspClient::start_initialized(&InitOptions::root(ws.root())).0
}

/// The server still answers, with a well-formed status.
fn assert_alive(c: &mut LspClient) {
    let st = c.status();
    assert!(
        st["files"].as_u64().is_some(),
        "bad status after the event: {st}"
    );
}

#[test]
fn malformed_json_body_is_survived() {
    let ws = TempWorkspace::new();
    let mut c = start(&ws);
    c.send_raw_body(b"{\"jsonrpc\": \"2.0\", \"id\": 99, \"method\": ");
    c.send_raw_body(b"this is not json at all");
    c.send_raw_body("{\"jsonrpc\":\"2.0\",\"method\":\"x\",\"params\":\"\u{00e9}".as_bytes());
    assert_alive(&mut c);
    // If the server answered, it must be a parse error (-32700) with id null.
    for r in &c.orphan_responses {
        assert_eq!(
            r["error"]["code"], -32700,
            "unexpected answer to garbage: {r}"
        );
    }
    assert!(
        c.garbage.is_empty(),
        "server wrote non-JSON frames: {:?}",
        c.garbage
    );
}

#[test]
fn valid_json_that_is_not_a_message_is_survived() {
    let ws = TempWorkspace::new();
    let mut c = start(&ws);
    c.send_raw_body(b"[]");
    c.send_raw_body(b"42");
    c.send_raw_body(
        b"{\"jsonrpc\":\"2.0\",\"id\":{\"weird\":true},\"method\":\"devopsIntel/status\"}",
    );
    c.send_raw_body(b"{\"jsonrpc\":\"2.0\",\"method\":\"textDocument/didOpen\",\"params\":{\"textDocument\":42}}");
    c.send_raw_body(b"{\"jsonrpc\":\"2.0\",\"method\":\"textDocument/didChange\",\"params\":null}");
    assert_alive(&mut c);
}

#[test]
fn unknown_request_gets_method_not_found() {
    let ws = TempWorkspace::new();
    let mut c = start(&ws);
    let r = c.request("devopsIntel/noSuchThing", json!({"a": 1}));
    match r {
        Err(e) => assert_eq!(e.code, -32601, "{e:?}"),
        Ok(v) => panic!("unknown method answered with a result: {v}"),
    }
    // Unknown notifications are ignored silently.
    c.notify("$/unknownNotification", json!({}));
    c.notify("custom/whatever", json!([1, 2, 3]));
    assert_alive(&mut c);
}

#[test]
fn request_with_invalid_params_gets_an_error_not_a_crash() {
    let ws = TempWorkspace::new();
    let mut c = start(&ws);
    let r = c.request("textDocument/hover", json!({"nope": true}));
    assert!(r.is_err() || r == Ok(Value::Null), "{r:?}");
    let r = c.request("devopsIntel/documentState", json!(17));
    assert!(r.is_err(), "{r:?}");
    assert_alive(&mut c);
}

#[test]
fn out_of_range_positions_do_not_crash() {
    let ws = TempWorkspace::new();
    let mut c = start(&ws);
    let uri = ws.uri("small.py");
    c.did_open(&uri, "import requests\nrequests.get('u')\n", 1);
    c.wait_diagnostics_version(&uri, 1);
    let far = json!({"line": 10_000, "character": 10_000});
    let in_line = json!({"line": 1, "character": 10_000});
    for (method, params) in [
        (
            "textDocument/hover",
            json!({"textDocument": {"uri": uri}, "position": far}),
        ),
        (
            "textDocument/hover",
            json!({"textDocument": {"uri": uri}, "position": in_line}),
        ),
        (
            "textDocument/definition",
            json!({"textDocument": {"uri": uri}, "position": far}),
        ),
        (
            "textDocument/completion",
            json!({"textDocument": {"uri": uri}, "position": far}),
        ),
        (
            "textDocument/codeAction",
            json!({
                "textDocument": {"uri": uri},
                "range": {"start": far, "end": far},
                "context": {"diagnostics": []},
            }),
        ),
        (
            "textDocument/hover",
            json!({"textDocument": {"uri": ws.uri("not-open.py")}, "position": far}),
        ),
    ] {
        let r = c.request(method, params);
        if let Err(e) = &r {
            assert_ne!(e.code, -32603, "{method} failed internally: {e:?}");
        }
        assert_alive(&mut c);
    }
}

#[test]
fn out_of_range_incremental_change_does_not_crash() {
    let ws = TempWorkspace::new();
    let mut c = start(&ws);
    let uri = ws.uri("edit.py");
    c.did_open(&uri, "x = 1\n", 1);
    c.wait_diagnostics_version(&uri, 1);
    c.did_change(&uri, 2, vec![change(500, 3, 900, 1, "y = 2\n")]);
    c.did_change(&uri, 3, vec![change(0, 4, 0, 2, "")]); // end before start
    c.did_change(&uri, 4, vec![change(0, 100, 0, 200, "z")]);
    assert_alive(&mut c);
    // The document is still usable: a full replacement works.
    c.did_change(
        &uri,
        5,
        vec![json!({"text": "import requests\nrequests.get('u')\n"})],
    );
    let p = c.wait_diagnostics_version(&uri, 5);
    assert_eq!(
        diag_keys(&p),
        vec![("REL001".to_string(), (1, 0, 1, 12))],
        "{p}"
    );
}

#[test]
fn change_for_unopened_document_does_not_crash() {
    let ws = TempWorkspace::new();
    let mut c = start(&ws);
    c.did_change(&ws.uri("ghost.py"), 2, vec![change(0, 0, 0, 0, "x")]);
    c.did_close(&ws.uri("ghost.py"));
    c.did_open(
        "untitled:Untitled-1",
        "import requests\nrequests.get('u')\n",
        1,
    );
    assert_alive(&mut c);
}

#[test]
fn invalid_utf8_file_on_disk_is_survived() {
    let ws = TempWorkspace::new();
    let mut bytes = b"import subprocess\nname = '".to_vec();
    bytes.extend_from_slice(&[0xff, 0xfe, 0xc3, 0x28, 0x80]);
    bytes.extend_from_slice(b"'\nsubprocess.run(['ls'])\n");
    ws.write("broken.py", &bytes);
    ws.write("good.py", "import requests\nrequests.get('u')\n");
    let (mut c, _) = LspClient::start_initialized(&InitOptions::root(ws.root()).progress());
    c.wait_index_end(DEFAULT_TIMEOUT);
    let p = c.wait_diagnostics(
        &ws.uri("good.py"),
        |p| p["diagnostics"].as_array().is_some_and(|a| !a.is_empty()),
        DEFAULT_TIMEOUT,
    );
    assert_eq!(diag_keys(&p), vec![("REL001".to_string(), (1, 0, 1, 12))]);
    assert_alive(&mut c);
    // Touching it again through the watcher is survived too.
    c.did_change_watched(&[(&ws.uri("broken.py"), 2)]);
    assert_alive(&mut c);
}

#[test]
fn five_megabyte_document_is_survived() {
    let ws = TempWorkspace::new();
    let mut c = start(&ws);
    c.timeout = BIG_TIMEOUT;
    let mut text = String::from("import requests\nimport subprocess\n\n");
    let mut i = 0;
    while text.len() < 5 * 1024 * 1024 {
        text.push_str(&format!(
            "\ndef handler_{i}(url, payload):\n    \"\"\"Post the payload.\"\"\"\n    data = {{'id': {i}, 'name': 'service-{i}'}}\n    return requests.post(url, json=data, timeout=10)\n"
        ));
        i += 1;
    }
    text.push_str("\nrequests.get('https://last')\n");
    let last_line = text.matches('\n').count() as u32 - 1;
    let uri = ws.uri("huge.py");
    c.did_open(&uri, &text, 1);
    let p = c.wait_diagnostics_version(&uri, 1);
    // The module-level request also runs at import time (REL017).
    assert_eq!(
        diag_keys(&p),
        vec![
            ("REL001".to_string(), (last_line, 0, last_line, 12)),
            ("REL017".to_string(), (last_line, 0, last_line, 28)),
        ],
        "the only findings are on the last line"
    );
    // An edit at the very end is applied to the right place.
    let close = "requests.get('https://last'".len() as u32;
    c.did_change(
        &uri,
        2,
        vec![change(last_line, close, last_line, close, ", timeout=1")],
    );
    let p = c.wait_diagnostics_version(&uri, 2);
    assert_eq!(
        diag_keys(&p),
        vec![("REL017".to_string(), (last_line, 0, last_line, 39))],
        "only the import-time call is left: {}",
        truncate_json(&p)
    );
    assert_alive(&mut c);
}

fn truncate_json(v: &Value) -> String {
    let s = v.to_string();
    s.chars().take(1000).collect()
}

#[test]
fn deeply_nested_parentheses_are_survived() {
    let ws = TempWorkspace::new();
    let mut c = start(&ws);
    c.timeout = BIG_TIMEOUT;
    let depth = 10_000;
    let text = format!(
        "import requests\nx = {}1{}\nrequests.get('u')\n",
        "(".repeat(depth),
        ")".repeat(depth)
    );
    let uri = ws.uri("deep.py");
    c.did_open(&uri, &text, 1);
    c.wait_diagnostics_version(&uri, 1);
    assert_alive(&mut c);
}

#[test]
fn deeply_nested_calls_and_lists_are_survived() {
    let ws = TempWorkspace::new();
    let mut c = start(&ws);
    c.timeout = BIG_TIMEOUT;
    let depth = 10_000;
    let calls = format!(
        "import requests\ny = {}0{}\n",
        "requests.get(".repeat(depth),
        ")".repeat(depth)
    );
    let uri = ws.uri("deep_calls.py");
    c.did_open(&uri, &calls, 1);
    c.wait_diagnostics_version(&uri, 1);
    assert_alive(&mut c);
    let lists = format!("z = {}1{}\n", "[".repeat(depth), "]".repeat(depth));
    let uri2 = ws.uri("deep_lists.py");
    c.did_open(&uri2, &lists, 1);
    c.wait_diagnostics_version(&uri2, 1);
    assert_alive(&mut c);
    let text = format!(
        "a = {}b\nc = {}d\n",
        "-".repeat(depth),
        "not ".repeat(depth)
    );
    let uri3 = ws.uri("deep_unary.py");
    c.did_open(&uri3, &text, 1);
    c.wait_diagnostics_version(&uri3, 1);
    assert_alive(&mut c);
}

#[test]
fn closing_stdin_ends_the_server() {
    // Repeated, as the failure to notice end of input can be intermittent.
    for round in 0..10 {
        let ws = TempWorkspace::new();
        let mut c = start(&ws);
        assert_alive(&mut c);
        c.close_stdin();
        let status = c.wait_exit(DEFAULT_TIMEOUT);
        assert!(
            status.is_some(),
            "round {round}: server kept running {DEFAULT_TIMEOUT:?} after its stdin closed"
        );
    }
}
