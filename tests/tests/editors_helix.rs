//! Helix: only standard LSP, exactly the messages Helix sends. `initialize`
//! with Helix's client capabilities (positionEncodings utf-8/utf-32/utf-16,
//! push diagnostics only, documentChanges + resource operations, markdown
//! hover), the `config` table of languages.toml as initializationOptions and
//! `workspace/didChangeConfiguration`, then didOpen/didChange,
//! publishDiagnostics, codeAction, hover, documentSymbol, shutdown/exit.
//! Helix refuses custom requests, so none is sent.

use devops_intel_e2e::*;
use serde_json::{json, Value};
use std::time::Duration;

const FIXTURE: &str = r#"import subprocess
import requests


class Deployer:
    def run(self, cmd, *args, **kw):
        subprocess.run(cmd, shell=True, check=True)


def release(tag):
    subprocess.run(["git", "tag", tag])
    return requests.get("https://example.invalid/ping")


def main():
    release("v1")
"#;

/// What Helix 24.x/25.x puts in `capabilities` (helix-lsp/src/client.rs),
/// trimmed of completion/signature details that the server does not use.
fn helix_initialize(root: &std::path::Path, config: &Value) -> Value {
    json!({
        "processId": std::process::id(),
        "workspaceFolders": [{ "name": "ws", "uri": path_to_uri(root) }],
        "rootPath": root,
        "rootUri": path_to_uri(root),
        "initializationOptions": config,
        "capabilities": {
            "workspace": {
                "configuration": true,
                "didChangeConfiguration": { "dynamicRegistration": false },
                "workspaceFolders": true,
                "applyEdit": true,
                "symbol": { "dynamicRegistration": false },
                "executeCommand": { "dynamicRegistration": false },
                "inlayHint": { "refreshSupport": false },
                "workspaceEdit": {
                    "documentChanges": true,
                    "resourceOperations": ["create", "rename", "delete"],
                    "failureHandling": "abort",
                    "normalizesLineEndings": false
                },
                "didChangeWatchedFiles": { "dynamicRegistration": true, "relativePatternSupport": false },
                "fileOperations": { "willRename": true, "didRename": true }
            },
            "textDocument": {
                "completion": { "completionItem": { "snippetSupport": true, "insertReplaceSupport": true }, "completionItemKind": {} },
                "hover": { "contentFormat": ["markdown"] },
                "signatureHelp": { "signatureInformation": { "activeParameterSupport": true } },
                "rename": { "dynamicRegistration": false, "prepareSupport": true, "prepareSupportDefaultBehavior": 1 },
                "codeAction": {
                    "codeActionLiteralSupport": { "codeActionKind": { "valueSet": [
                        "", "quickfix", "refactor", "refactor.extract", "refactor.inline",
                        "refactor.rewrite", "source", "source.organizeImports"
                    ] } },
                    "isPreferredSupport": true,
                    "disabledSupport": true,
                    "dataSupport": true,
                    "resolveSupport": { "properties": ["edit", "command"] }
                },
                "publishDiagnostics": { "versionSupport": true, "tagSupport": { "valueSet": [1, 2] } },
                "inlayHint": { "dynamicRegistration": false }
            },
            "window": { "workDoneProgress": true, "showDocument": { "support": true } },
            "general": { "positionEncodings": ["utf-8", "utf-32", "utf-16"] }
        },
        "trace": null,
        "clientInfo": { "name": "helix", "version": "25.1" },
        "locale": null
    })
}

fn line_of(text: &str, needle: &str) -> u32 {
    text.lines()
        .position(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("{needle:?} not in fixture")) as u32
}

/// Applies a WorkspaceEdit (documentChanges or changes) for `uri` to `text`.
fn apply_workspace_edit(text: &mut String, uri: &str, edit: &Value) {
    let mut edits: Vec<Value> = Vec::new();
    if let Some(dc) = edit["documentChanges"].as_array() {
        for d in dc {
            if d["textDocument"]["uri"]
                .as_str()
                .is_some_and(|u| same_uri(u, uri))
            {
                edits.extend(d["edits"].as_array().cloned().unwrap_or_default());
            }
        }
    } else if let Some(ch) = edit["changes"].as_object() {
        for (u, list) in ch {
            if same_uri(u, uri) {
                edits.extend(list.as_array().cloned().unwrap_or_default());
            }
        }
    }
    assert!(!edits.is_empty(), "edit has nothing for {uri}: {edit}");
    // last first, so earlier offsets stay valid
    edits.sort_by_key(|e| {
        std::cmp::Reverse((
            e["range"]["start"]["line"].as_u64(),
            e["range"]["start"]["character"].as_u64(),
        ))
    });
    for e in edits {
        apply_change(
            text,
            &json!({ "range": e["range"], "text": e["newText"] }),
            Enc::Utf16,
        );
    }
}

#[test]
fn languages_toml_runs_devops_intel_next_to_pylsp_and_ruff() {
    let text = std::fs::read_to_string(workspace_root().join("editors/helix/languages.toml"))
        .expect("editors/helix/languages.toml");
    assert!(text.contains("[language-server.devops-intel]"), "{text}");
    assert!(text.contains("command = \"devops-intel\""), "{text}");
    assert!(text.contains("args = [\"serve\"]"), "{text}");
    let servers = text
        .lines()
        .find(|l| l.trim_start().starts_with("language-servers"))
        .expect("language-servers line");
    for s in ["pylsp", "ruff", "devops-intel"] {
        assert!(servers.contains(&format!("\"{s}\"")), "{servers}");
    }
}

#[test]
fn helix_session_diagnostics_code_action_hover_symbols() {
    let ws = TempWorkspace::with_files(&[
        ("pyproject.toml", "[project]\nname = \"x\"\n"),
        ("deploy.py", FIXTURE),
    ]);
    let uri = ws.uri("deploy.py");
    // [language-server.devops-intel.config] in languages.toml
    let config = json!({ "ignore": ["REL001"] });
    let mut c = LspClient::start();
    let init = c
        .request("initialize", helix_initialize(ws.root(), &config))
        .unwrap_or_else(|e| c.fail(&format!("initialize: {e:?}")));
    let caps = &init["capabilities"];
    assert_eq!(
        caps["positionEncoding"], "utf-16",
        "Helix offers utf-16 among others: the server keeps utf-16"
    );
    assert_eq!(caps["textDocumentSync"]["change"], 2, "incremental sync");
    assert!(caps["hoverProvider"] == true, "{caps}");
    assert!(caps["codeActionProvider"].is_object(), "{caps}");
    assert!(caps["documentSymbolProvider"] == true, "{caps}");
    assert!(
        caps.get("diagnosticProvider").is_none(),
        "no pull diagnostics offered to a push-only client: {caps}"
    );
    c.notify("initialized", json!({}));
    c.notify(
        "workspace/didChangeConfiguration",
        json!({ "settings": config }),
    );

    let mut text = FIXTURE.to_string();
    c.notify(
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": uri, "languageId": "python", "version": 0, "text": text } }),
    );
    let rel002 = line_of(&text, "\"git\", \"tag\"");
    let sec001 = line_of(&text, "shell=True");
    let want = |p: &Value, rules: &[(&str, u32)]| {
        let mut got: Vec<(String, u32)> = p["diagnostics"]
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|d| {
                        (
                            d["code"].as_str().unwrap_or("").to_string(),
                            d["range"]["start"]["line"].as_u64().unwrap_or(0) as u32,
                        )
                    })
                    .collect()
            })
            .unwrap_or_default();
        got.sort();
        let mut want: Vec<(String, u32)> = rules.iter().map(|(r, l)| (r.to_string(), *l)).collect();
        want.sort();
        got == want
    };
    // REL001 (requests.get without timeout) is ignored by the languages.toml config
    let expected = [("SEC001", sec001), ("REL002", rel002)];
    let published = c.wait_diagnostics(&uri, |p| want(p, &expected), Duration::from_secs(20));
    assert_eq!(
        published["version"], 0,
        "diagnostics carry the document version (versionSupport)"
    );
    let diags = published["diagnostics"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    for d in &diags {
        assert_eq!(d["source"], "devops-intel");
        assert!(d["severity"].is_number() && d["message"].is_string(), "{d}");
    }
    let rel_diag = diags
        .iter()
        .find(|d| d["code"] == "REL002")
        .cloned()
        .expect("REL002");
    let sec_diag = diags
        .iter()
        .find(|d| d["code"] == "SEC001")
        .cloned()
        .expect("SEC001");

    // hover on a finding: the rule's docs, markdown
    let hover = c
        .request(
            "textDocument/hover",
            json!({ "textDocument": { "uri": uri }, "position": sec_diag["range"]["start"] }),
        )
        .unwrap_or_else(|e| c.fail(&format!("hover: {e:?}")));
    assert_eq!(hover["contents"]["kind"], "markdown", "{hover}");
    let md = hover["contents"]["value"].as_str().unwrap_or("");
    assert!(
        md.contains("SEC001") && md.contains("## What it does"),
        "{md}"
    );

    // documentSymbol: Helix's symbol picker (space s)
    let symbols = c
        .request(
            "textDocument/documentSymbol",
            json!({ "textDocument": { "uri": uri } }),
        )
        .unwrap_or_else(|e| c.fail(&format!("documentSymbol: {e:?}")));
    let names: Vec<(&str, u64)> = symbols
        .as_array()
        .expect("nested symbols")
        .iter()
        .map(|s| {
            (
                s["name"].as_str().unwrap_or(""),
                s["kind"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    assert_eq!(
        names,
        vec![("Deployer", 5), ("release", 12), ("main", 12)],
        "{symbols}"
    );
    let run = &symbols[0]["children"][0];
    assert_eq!(
        (run["name"].as_str(), run["kind"].as_u64()),
        (Some("run"), Some(6)),
        "{symbols}"
    );
    assert!(
        run["detail"]
            .as_str()
            .is_some_and(|d| d.starts_with("(self, cmd")),
        "{run}"
    );
    assert_eq!(
        run["selectionRange"]["start"],
        json!({ "line": line_of(FIXTURE, "def run"), "character": 8 })
    );
    assert_eq!(
        symbols[1]["range"]["start"]["line"],
        line_of(FIXTURE, "def release")
    );

    // goto definition (gd), references (gr), workspace symbols (space S)
    let call = json!({ "line": line_of(FIXTURE, "release(\"v1\")"), "character": 4 });
    let def = c
        .request(
            "textDocument/definition",
            json!({ "textDocument": { "uri": uri }, "position": call }),
        )
        .unwrap_or_else(|e| c.fail(&format!("definition: {e:?}")));
    let def = if def.is_array() { def[0].clone() } else { def };
    assert_eq!(
        def["range"]["start"]["line"],
        line_of(FIXTURE, "def release"),
        "{def}"
    );
    let refs = c
        .request(
            "textDocument/references",
            json!({ "textDocument": { "uri": uri }, "position": symbols[1]["selectionRange"]["start"], "context": { "includeDeclaration": false } }),
        )
        .unwrap_or_else(|e| c.fail(&format!("references: {e:?}")));
    let ref_lines: Vec<u64> = refs
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|r| r["range"]["start"]["line"].as_u64())
                .collect()
        })
        .unwrap_or_default();
    assert!(
        ref_lines.contains(&(call["line"].as_u64().unwrap_or(0))),
        "references of release: {refs}"
    );
    let ws_syms = c
        .request("workspace/symbol", json!({ "query": "deployer" }))
        .unwrap_or_else(|e| c.fail(&format!("workspace/symbol: {e:?}")));
    assert!(
        ws_syms
            .as_array()
            .is_some_and(|a| a.iter().any(|s| s["name"] == "Deployer")),
        "{ws_syms}"
    );

    // codeAction as Helix sends it: the cursor's range, its diagnostics, no `only`
    let actions = c
        .request(
            "textDocument/codeAction",
            json!({
                "textDocument": { "uri": uri },
                "range": rel_diag["range"],
                "context": { "diagnostics": [rel_diag], "triggerKind": 1 }
            }),
        )
        .unwrap_or_else(|e| c.fail(&format!("codeAction: {e:?}")));
    let actions = actions.as_array().cloned().unwrap_or_default();
    let titles: Vec<&str> = actions.iter().filter_map(|a| a["title"].as_str()).collect();
    assert!(
        titles.contains(&"Add `check=True` (unsafe fix)"),
        "{titles:?}"
    );
    assert!(titles.contains(&"Ignore REL002 on this line"), "{titles:?}");
    for a in &actions {
        assert!(a["kind"].is_string(), "{a}");
        if a["edit"].is_object() {
            continue;
        }
        // Helix declares resolveSupport for `edit`: an action may carry only
        // `data`, and Helix asks codeAction/resolve for its edit
        assert!(
            !a["data"].is_null(),
            "action with neither edit nor data: {a}"
        );
        let resolved = c
            .request("codeAction/resolve", a.clone())
            .unwrap_or_else(|e| c.fail(&format!("codeAction/resolve: {e:?}")));
        assert!(
            resolved["edit"].is_object(),
            "resolve gave no edit: {resolved}"
        );
    }
    // test generation (the testgen area's refactor action) once it is in the tree
    if workspace_root().join("server/src/testgen").is_dir() {
        let gen = actions
            .iter()
            .find(|a| a["title"] == "Generate pytest test for `release`")
            .unwrap_or_else(|| panic!("no generate-test action in Helix: {titles:?}"));
        let gen = if gen["edit"].is_object() {
            gen.clone()
        } else {
            c.request("codeAction/resolve", gen.clone())
                .unwrap_or_else(|e| c.fail(&format!("codeAction/resolve: {e:?}")))
        };
        let changes = gen["edit"]["documentChanges"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        assert!(
            changes.iter().any(|d| d["kind"] == "create"
                && d["uri"].as_str().is_some_and(|u| u.contains("/tests/test_"))),
            "generate-test edit creates tests/test_*.py with documentChanges (Helix resourceOperations): {gen}"
        );
    }
    let fix = actions
        .iter()
        .find(|a| a["title"] == "Add `check=True` (unsafe fix)")
        .expect("fix");
    assert_eq!(fix["kind"], "quickfix");
    assert_ne!(
        fix["isPreferred"], true,
        "an unsafe fix is never preferred (Helix would apply it first)"
    );
    apply_workspace_edit(&mut text, &uri, &fix["edit"]);
    assert!(
        text.contains("subprocess.run([\"git\", \"tag\", tag], check=True)"),
        "{text}"
    );

    // Helix sends the edit back as an incremental change
    let line = text.lines().nth(rel002 as usize).unwrap_or("").to_string();
    c.notify(
        "textDocument/didChange",
        json!({
            "textDocument": { "uri": uri, "version": 1 },
            "contentChanges": [{
                "range": { "start": { "line": rel002, "character": 0 }, "end": { "line": rel002, "character": 99 } },
                "text": line
            }]
        }),
    );
    let after = c.wait_diagnostics(&uri, |p| p["version"] == 1, Duration::from_secs(20));
    assert!(
        want(&after, &[("SEC001", sec001)]),
        "after the fix only SEC001 remains: {after}"
    );

    // a source action from the picker: fix all
    let all = c
        .request(
            "textDocument/codeAction",
            json!({
                "textDocument": { "uri": uri },
                "range": { "start": { "line": 0, "character": 0 }, "end": { "line": 0, "character": 0 } },
                "context": { "diagnostics": [], "only": ["source"], "triggerKind": 1 }
            }),
        )
        .unwrap_or_else(|e| c.fail(&format!("codeAction source: {e:?}")));
    let kinds: Vec<&str> = all
        .as_array()
        .map(|a| a.iter().filter_map(|x| x["kind"].as_str()).collect())
        .unwrap_or_default();
    assert!(
        kinds.iter().all(|k| k.starts_with("source")),
        "only source actions when asked: {kinds:?}"
    );

    let status = c.shutdown_and_exit();
    assert!(status.success(), "server exit status {status:?}");
}
