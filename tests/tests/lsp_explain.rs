//! Explain over real LSP: hover on a definition and on a call site (Markdown
//! and plain text), `devopsIntel/explain`, and the "Generate docstring" code
//! action (its edit parses, and it is not offered again once applied).

use devops_intel_e2e::*;
use serde_json::{json, Value};
use std::time::Duration;

fn fixture_workspace() -> TempWorkspace {
    let dir = workspace_root().join("server/resources/test/fixtures/explain");
    let ws = TempWorkspace::new();
    for name in ["effects.py", "other.py"] {
        let text = std::fs::read_to_string(dir.join(name)).expect("explain fixture");
        ws.write(name, text);
    }
    ws
}

/// `(line, character)` of the last character of `needle` in `text` (UTF-16,
/// ASCII fixtures).
fn pos_of(text: &str, needle: &str) -> (u32, u32) {
    let at = text
        .find(needle)
        .unwrap_or_else(|| panic!("{needle:?} not found"))
        + needle.len()
        - 1;
    let line = text[..at].matches('\n').count() as u32;
    let col = at - text[..at].rfind('\n').map_or(0, |i| i + 1);
    (line, col as u32)
}

fn at(uri: &str, (line, character): (u32, u32)) -> Value {
    json!({ "textDocument": { "uri": uri }, "position": { "line": line, "character": character } })
}

fn start(ws: &TempWorkspace, plain: bool) -> LspClient {
    let opts = InitOptions::root(ws.root());
    let mut c = if plain {
        let mut c = LspClient::start();
        let mut p = opts.to_params();
        p["capabilities"]["textDocument"]["hover"]["contentFormat"] = json!(["plaintext"]);
        c.request("initialize", p).expect("initialize");
        c.notify("initialized", json!({}));
        c
    } else {
        LspClient::start_initialized(&opts).0
    };
    c.wait_indexed(2, Duration::from_secs(30));
    c
}

#[test]
fn hover_on_a_call_site_explains_the_imported_definition() {
    let ws = fixture_workspace();
    let mut c = start(&ws, false);
    let uri = ws.uri("other.py");
    let text = ws.read("other.py");
    c.did_open(&uri, &text, 1);
    c.wait_diagnostics_version(&uri, 1);
    let (line, col) = pos_of(&text, "    do_release");
    let h = c
        .request("textDocument/hover", at(&uri, (line, col)))
        .expect("hover");
    assert_eq!(h["contents"]["kind"], "markdown", "{h}");
    let md = h["contents"]["value"].as_str().unwrap_or_default();
    assert!(
        md.starts_with("```python\ndef release(tag: str, bucket: str) -> None\n```\nBuilds, uploads and announces a release."),
        "{md}"
    );
    assert!(md.contains("**Raises** `ValueError`"), "{md}");
    assert!(
        md.contains("1 caller · 4 callees · `effects.py:56`"),
        "{md}"
    );
    // the range is the callee as written
    assert_eq!(
        h["range"]["start"],
        json!({"line": line, "character": 4}),
        "{h}"
    );
    assert_eq!(
        h["range"]["end"],
        json!({"line": line, "character": 14}),
        "{h}"
    );
    // an attribute call through a module alias
    let h = c
        .request(
            "textDocument/hover",
            at(&uri, pos_of(&text, "fx.notify_slack")),
        )
        .expect("hover");
    let md = h["contents"]["value"].as_str().unwrap_or_default();
    assert!(
        md.contains("def notify_slack(text: str, *, timeout: float = 10.0) -> bool"),
        "{md}"
    );
    assert!(
        md.contains("- HTTP: `POST https://hooks.slack.com/services/T000/B000/XXXX`"),
        "{md}"
    );
}

#[test]
fn hover_on_a_definition_shows_effects_and_raises() {
    let ws = fixture_workspace();
    let mut c = start(&ws, false);
    let uri = ws.uri("effects.py");
    let text = ws.read("effects.py");
    c.did_open(&uri, &text, 1);
    c.wait_diagnostics_version(&uri, 1);
    let h = c
        .request(
            "textDocument/hover",
            at(&uri, pos_of(&text, "def upload_artifact")),
        )
        .expect("hover");
    let md = h["contents"]["value"].as_str().unwrap_or_default();
    assert!(
        md.contains("Uploads artifact: calls S3 `upload_file`"),
        "{md}"
    );
    assert!(md.contains("- Cloud: S3 `upload_file`"), "{md}");
    assert!(md.contains("**Raises** `FileNotFoundError`"), "{md}");
    // whitespace explains nothing
    let none = c
        .request("textDocument/hover", at(&uri, (13, 0)))
        .expect("hover");
    assert!(none.is_null(), "{none}");
}

#[test]
fn plain_text_hover_for_clients_without_markdown() {
    let ws = fixture_workspace();
    let mut c = start(&ws, true);
    let uri = ws.uri("effects.py");
    let text = ws.read("effects.py");
    c.did_open(&uri, &text, 1);
    c.wait_diagnostics_version(&uri, 1);
    let h = c
        .request(
            "textDocument/hover",
            at(&uri, pos_of(&text, "def build_image")),
        )
        .expect("hover");
    assert_eq!(h["contents"]["kind"], "plaintext", "{h}");
    let t = h["contents"]["value"].as_str().unwrap_or_default();
    assert!(
        t.starts_with("def build_image(tag: str, push: bool = False) -> None\n"),
        "{t}"
    );
    assert!(
        t.contains("Runs: docker build -t {tag} ., docker push {tag}, git rev-parse HEAD"),
        "{t}"
    );
    assert!(!t.contains('`') && !t.contains("**"), "{t}");
}

#[test]
fn explain_request_returns_structured_facts() {
    let ws = fixture_workspace();
    let mut c = start(&ws, false);
    let uri = ws.uri("other.py");
    let text = ws.read("other.py");
    c.did_open(&uri, &text, 1);
    c.wait_diagnostics_version(&uri, 1);
    let x = c
        .request("devopsIntel/explain", at(&uri, pos_of(&text, ").rollout")))
        .expect("explain");
    assert_eq!(x["qualname"], "Deployer.rollout", "{x}");
    assert_eq!(x["kind"], "method", "{x}");
    assert_eq!(
        x["signature"],
        "def rollout(self, env: str, image: str) -> None"
    );
    assert_eq!(x["intentSource"], "derived");
    let cmd = &x["effects"]["processes"][0];
    assert_eq!(
        cmd["target"], "kubectl --context {self.cluster} -n {env} set image deploy/web web={image}",
        "{x}"
    );
    assert_eq!(cmd["literal"], false);
    assert_eq!(x["calls"]["callers"], 1, "{x}");
    assert!(
        same_uri(x["uri"].as_str().unwrap_or(""), &ws.uri("effects.py")),
        "{x}"
    );
    let def_line = pos_of(&ws.read("effects.py"), "def rollout").0;
    assert_eq!(x["range"]["start"]["line"], def_line, "{x}");
    assert!(
        x["markdown"]
            .as_str()
            .unwrap_or("")
            .starts_with("```python"),
        "{x}"
    );
    // `fx` is a module, not a workspace definition
    let none = c
        .request("devopsIntel/explain", at(&uri, pos_of(&text, "    fx")))
        .expect("explain");
    assert!(none.is_null(), "{none}");
}

/// The edits of a code action's WorkspaceEdit for `uri` (either form).
fn edits_of(action: &Value) -> Vec<Value> {
    let edit = &action["edit"];
    if let Some(dc) = edit["documentChanges"].as_array() {
        return dc
            .iter()
            .flat_map(|d| d["edits"].as_array().cloned().unwrap_or_default())
            .collect();
    }
    edit["changes"]
        .as_object()
        .map(|m| {
            m.values()
                .flat_map(|v| v.as_array().cloned().unwrap_or_default())
                .collect()
        })
        .unwrap_or_default()
}

fn docstring_actions(c: &mut LspClient, uri: &str, line: u32) -> Vec<Value> {
    let r = c
        .request(
            "textDocument/codeAction",
            json!({
                "textDocument": { "uri": uri },
                "range": { "start": { "line": line, "character": 4 }, "end": { "line": line, "character": 4 } },
                "context": { "diagnostics": [], "only": ["refactor"] },
            }),
        )
        .expect("codeAction");
    r.as_array()
        .cloned()
        .unwrap_or_default()
        .into_iter()
        .filter(|a| a["kind"] == "refactor.rewrite")
        .collect()
}

#[test]
fn generate_docstring_action_parses_and_is_idempotent() {
    let ws = fixture_workspace();
    let mut c = start(&ws, false);
    let uri = ws.uri("effects.py");
    let mut text = ws.read("effects.py");
    c.did_open(&uri, &text, 1);
    c.wait_diagnostics_version(&uri, 1);
    // inside the body of Deployer.wait_ready (a method, indented twice)
    let line = pos_of(&text, "        try:").0;
    let actions = docstring_actions(&mut c, &uri, line);
    assert_eq!(actions.len(), 1, "{actions:?}");
    assert_eq!(actions[0]["title"], "Generate docstring for `wait_ready`");
    let edits = edits_of(&actions[0]);
    assert_eq!(edits.len(), 1, "{actions:?}");
    for e in &edits {
        apply_change(
            &mut text,
            e.get("range")
                .map(|_| json!({"range": e["range"], "text": e["newText"]}))
                .as_ref()
                .unwrap(),
            Enc::Utf16,
        );
    }
    assert!(
        text.contains("    def wait_ready(self, env):\n        \"\"\"Waits for ready: runs `kubectl`.\n\n        Args:\n            env: The env.\n\n        Raises:\n            RuntimeError: Raised directly in this function.\n"),
        "{text}"
    );
    let mut parser = tree_sitter::Parser::new();
    parser
        .set_language(&tree_sitter_python::LANGUAGE.into())
        .expect("python grammar");
    let tree = parser.parse(&text, None).expect("parse");
    assert!(
        !tree.root_node().has_error(),
        "edit broke the syntax:\n{text}"
    );
    // apply it as the editor would; the action is gone
    c.did_change(&uri, 2, vec![json!({"text": text})]);
    c.wait_diagnostics_version(&uri, 2);
    let line = pos_of(&text, "        try:").0;
    assert!(docstring_actions(&mut c, &uri, line).is_empty());
    // a function with a docstring never gets one
    let line = pos_of(&text, "    if not tag:").0;
    assert!(docstring_actions(&mut c, &uri, line).is_empty());
}

#[test]
fn hover_shows_iac_resources_with_cost_and_coverage() {
    let ws = TempWorkspace::new();
    let text = "import pulumi_aws as aws\n\n\ndef make_web():\n    return aws.ec2.Instance(\"web\", instance_type=\"t3.medium\", ami=\"ami-123\")\n";
    ws.write("stack.py", text);
    ws.write("util.py", "def helper():\n    return 1\n");
    // coverage.py JSON (format 3): lines 4 and 5 executed, 5 of them in make_web
    let cov = json!({
        "meta": { "format": 3, "version": "7.6.1" },
        "files": { "stack.py": {
            "executed_lines": [1, 4, 5], "missing_lines": [],
            "summary": { "covered_lines": 3, "num_statements": 3 }
        } }
    });
    ws.write("coverage.json", cov.to_string());
    let mut c = start(&ws, false);
    let uri = ws.uri("stack.py");
    c.did_open(&uri, text, 1);
    c.wait_diagnostics_version(&uri, 1);
    let h = c
        .request("textDocument/hover", at(&uri, pos_of(text, "def make_web")))
        .expect("hover");
    let md = h["contents"]["value"].as_str().unwrap_or_default();
    // t3.medium in us-east-1: $0.0416/h x 730 h
    assert!(md.contains("\"web\" ~$30.37/month"), "{md}");
    assert!(md.contains("aws:ec2/instance:Instance"), "{md}");
    let x = c
        .request(
            "devopsIntel/explain",
            at(&uri, pos_of(text, "def make_web")),
        )
        .expect("explain");
    assert_eq!(x["coverage"]["coveredLines"], 1, "{x}");
    assert_eq!(x["coverage"]["totalLines"], 1, "{x}");
}
