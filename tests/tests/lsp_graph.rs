//! Graph requests and standard navigation over the real server, on a copy of
//! `tests/workspaces/graph-demo`; ARC diagnostics pushed and pulled, and
//! updated incrementally when an import changes in an open file.

use devops_intel_e2e::*;
use serde_json::{json, Value};
use std::collections::BTreeSet;
use std::path::Path;

fn copy_demo() -> TempWorkspace {
    let src = workspace_root().join("tests/workspaces/graph-demo");
    let ws = TempWorkspace::new();
    fn walk(dir: &Path, base: &Path, ws: &TempWorkspace) {
        for e in std::fs::read_dir(dir).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(&p, base, ws);
            } else {
                let rel = p.strip_prefix(base).unwrap().to_string_lossy().into_owned();
                ws.write(&rel, std::fs::read(&p).unwrap());
            }
        }
    }
    walk(&src, &src, &ws);
    ws
}

fn start(ws: &TempWorkspace, opts: InitOptions) -> LspClient {
    let (mut c, _) = LspClient::start_initialized(&opts.progress());
    c.wait_index_end(DEFAULT_TIMEOUT);
    let _ = ws;
    c
}

/// (line, utf-16 column) of the first `needle` in `text` (ASCII fixtures).
fn pos(text: &str, needle: &str) -> Value {
    let at = text
        .find(needle)
        .unwrap_or_else(|| panic!("{needle} not in text"));
    let line = text[..at].matches('\n').count();
    let col = at - text[..at].rfind('\n').map_or(0, |i| i + 1);
    json!({ "line": line, "character": col })
}

fn ids(v: &Value, key: &str) -> BTreeSet<String> {
    v[key]
        .as_array()
        .unwrap_or_else(|| panic!("no {key} in {v}"))
        .iter()
        .map(|n| n["id"].as_str().unwrap_or_default().to_string())
        .collect()
}

fn edge_set(v: &Value) -> BTreeSet<(String, String)> {
    v["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["from"].as_str().unwrap().into(),
                e["to"].as_str().unwrap().into(),
            )
        })
        .collect()
}

fn has_edge(v: &Value, from: &str, to: &str) -> bool {
    edge_set(v).contains(&(from.to_string(), to.to_string()))
}

fn codes(p: &Value) -> Vec<String> {
    diags(p).into_iter().map(|d| d.code).collect()
}

#[test]
fn graph_requests_answer_in_the_shared_schema() {
    let ws = copy_demo();
    let mut c = start(&ws, InitOptions::root(ws.root()));

    let g = c
        .request("devopsIntel/moduleGraph", json!({}))
        .expect("moduleGraph");
    assert_eq!(g["kind"], "modules");
    assert!(has_edge(&g, "shop.api", "shop.models"), "{g}");
    assert!(has_edge(&g, "scripts.deploy", "boto3"));
    let api = g["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["id"] == "shop.api")
        .unwrap();
    assert!(
        same_uri(api["uri"].as_str().unwrap(), &ws.uri("src/shop/api.py")),
        "{api}"
    );
    assert_eq!(api["range"]["start"]["line"], 0);

    let focused = c
        .request(
            "devopsIntel/moduleGraph",
            json!({ "textDocument": { "uri": ws.uri("src/shop/util.py") }, "depth": 1 }),
        )
        .expect("focused moduleGraph");
    assert!(ids(&focused, "nodes").contains("tests.test_util"));
    assert!(!ids(&focused, "nodes").contains("scripts.deploy"));

    let api_text = ws.read("src/shop/api.py");
    let cg = c
        .request(
            "devopsIntel/callGraph",
            json!({ "textDocument": { "uri": ws.uri("src/shop/api.py") },
                    "position": pos(&api_text, "create_order(name)"), "depth": 1 }),
        )
        .expect("callGraph");
    assert_eq!(cg["kind"], "calls");
    assert!(
        has_edge(&cg, "shop.api.create_order", "shop.models.Order.__init__"),
        "{cg}"
    );
    assert!(has_edge(
        &cg,
        "nsp.plugins.hello.run",
        "shop.api.create_order"
    ));
    let heuristic = cg["edges"]
        .as_array()
        .unwrap()
        .iter()
        .all(|e| e["data"]["resolution"] == "exact" || e["data"]["resolution"] == "heuristic");
    assert!(heuristic);

    let imp = c
        .request(
            "devopsIntel/impact",
            json!({ "textDocument": { "uri": ws.uri("src/shop/util.py") }, "focus": "shop.util.normalize" }),
        )
        .expect("impact");
    let tests: BTreeSet<String> = imp["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["kind"] == "test")
        .map(|n| n["id"].as_str().unwrap().to_string())
        .collect();
    let want: BTreeSet<String> = [
        "tests.test_util",
        "tests.test_util.test_normalize",
        "tests.test_api",
        "tests.test_api.test_create",
    ]
    .into_iter()
    .map(String::from)
    .collect();
    assert_eq!(tests, want, "{imp}");
    assert!(imp["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .all(|n| n["data"]["distance"].is_u64()));

    let deploy = ws.read("scripts/deploy.py");
    let df = c
        .request(
            "devopsIntel/dataFlow",
            json!({ "textDocument": { "uri": ws.uri("scripts/deploy.py") },
                    "position": pos(&deploy, "subprocess.run([") }),
        )
        .expect("dataFlow");
    assert_eq!(df["kind"], "dataflow");
    assert!(ids(&df, "nodes").contains("env:API_URL"), "{df}");
    assert!(ids(&df, "nodes").contains("subprocess:ls"), "{df}");

    let err = c
        .request(
            "devopsIntel/dataFlow",
            json!({ "textDocument": { "uri": ws.uri("scripts/deploy.py") },
                    "position": { "line": 0, "character": 0 } }),
        )
        .expect_err("dataFlow outside a function");
    assert_eq!(err.code, -32602, "{err:?}");
    let err = c
        .request("devopsIntel/impact", json!({ "focus": "no.such.thing" }))
        .expect_err("unknown focus");
    assert_eq!(err.code, -32602);
    c.shutdown_and_exit();
}

#[test]
fn standard_navigation_over_workspace_symbols() {
    let ws = copy_demo();
    let mut c = start(&ws, InitOptions::root(ws.root()));
    let models = ws.read("src/shop/models.py");
    c.did_open(&ws.uri("src/shop/models.py"), &models, 1);
    let syms = c
        .request(
            "textDocument/documentSymbol",
            json!({ "textDocument": { "uri": ws.uri("src/shop/models.py") } }),
        )
        .expect("documentSymbol");
    let names: Vec<&str> = syms
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, vec!["Base", "Order", "compute"], "{syms}");
    let order_children: Vec<&str> = syms[1]["children"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        order_children,
        vec!["__init__", "validate", "create", "make", "total"]
    );

    let found = c
        .request("workspace/symbol", json!({ "query": "normal" }))
        .expect("workspace/symbol");
    let first = &found[0];
    assert_eq!(first["name"], "normalize", "{found}");
    assert_eq!(first["containerName"], "shop.util");
    assert!(same_uri(
        first["location"]["uri"].as_str().unwrap(),
        &ws.uri("src/shop/util.py")
    ));

    let api = ws.read("src/shop/api.py");
    let def = c
        .request(
            "textDocument/definition",
            json!({ "textDocument": { "uri": ws.uri("src/shop/api.py") }, "position": pos(&api, "slug(util") }),
        )
        .expect("definition");
    assert!(
        same_uri(def["uri"].as_str().unwrap(), &ws.uri("src/shop/util.py")),
        "{def}"
    );
    assert_eq!(def["range"]["start"]["line"], 4);
    let def = c
        .request(
            "textDocument/definition",
            json!({ "textDocument": { "uri": ws.uri("src/shop/api.py") }, "position": pos(&api, "from shop.models") }),
        )
        .expect("definition of an import");
    assert!(
        same_uri(def["uri"].as_str().unwrap(), &ws.uri("src/shop/models.py")),
        "{def}"
    );

    let util = ws.read("src/shop/util.py");
    let refs = c
        .request(
            "textDocument/references",
            json!({ "textDocument": { "uri": ws.uri("src/shop/util.py") },
                    "position": pos(&util, "normalize"), "context": { "includeDeclaration": false } }),
        )
        .expect("references");
    let mut files: Vec<String> = refs
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            uri_to_path(l["uri"].as_str().unwrap())
                .strip_prefix(ws.root())
                .unwrap()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    files.sort();
    assert_eq!(
        files,
        vec![
            "src/shop/api.py",
            "tests/test_util.py",
            "tests/test_util.py"
        ],
        "{refs}"
    );

    let items = c
        .request(
            "textDocument/prepareCallHierarchy",
            json!({ "textDocument": { "uri": ws.uri("src/shop/api.py") }, "position": pos(&api, "create_order(name)") }),
        )
        .expect("prepareCallHierarchy");
    let item = items[0].clone();
    assert_eq!(item["name"], "create_order");
    let incoming = c
        .request("callHierarchy/incomingCalls", json!({ "item": item }))
        .expect("incomingCalls");
    let callers: BTreeSet<&str> = incoming
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["from"]["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        callers,
        ["run", "reorder", "test_create"].into_iter().collect(),
        "{incoming}"
    );
    let outgoing = c
        .request("callHierarchy/outgoingCalls", json!({ "item": item }))
        .expect("outgoingCalls");
    let callees: BTreeSet<&str> = outgoing
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["to"]["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        callees,
        ["__init__", "save", "normalize", "slugify"]
            .into_iter()
            .collect()
    );
    c.shutdown_and_exit();
}

#[test]
fn arc_diagnostics_follow_import_edits_without_reindexing() {
    let ws = copy_demo();
    let mut c = start(&ws, InitOptions::root(ws.root()));
    let a = ws.uri("src/shop/cycle_a.py");
    let b = ws.uri("src/shop/cycle_b.py");
    let p = c.wait_diagnostics(&a, |p| !diags(p).is_empty(), DEFAULT_TIMEOUT);
    assert_eq!(codes(&p), vec!["ARC001"], "{p}");
    // the hover on a workspace finding shows the rule's docs
    c.did_open(&a, &ws.read("src/shop/cycle_a.py"), 1);
    c.wait_diagnostics_version(&a, 1);
    let h = c
        .request(
            "textDocument/hover",
            json!({ "textDocument": { "uri": a }, "position": { "line": 0, "character": 3 } }),
        )
        .expect("hover");
    let text = h["contents"]["value"].as_str().unwrap_or_default();
    assert!(
        text.contains("ARC001") && text.contains("import-cycle"),
        "{h}"
    );
    c.did_close(&a);
    let broken = c.wait_diagnostics(
        &ws.uri("src/shop/broken.py"),
        |p| !diags(p).is_empty(),
        DEFAULT_TIMEOUT,
    );
    assert_eq!(
        codes(&broken),
        vec!["ARC002", "ARC002", "ARC002"],
        "{broken}"
    );

    let text = ws.read("src/shop/cycle_b.py");
    c.did_open(&b, &text, 1);
    let p = c.wait_diagnostics_version(&b, 1);
    assert_eq!(codes(&p), vec!["ARC001"], "{p}");
    c.clear_inbox();
    // remove the import that closes the cycle (line 1)
    let line = text.lines().nth(1).unwrap();
    c.did_change(&b, 2, vec![change(1, 0, 1, line.len() as u32, "THING = 2")]);
    let p = c.wait_diagnostics_version(&b, 2);
    assert!(codes(&p).is_empty(), "{p}");
    let p = c.wait_diagnostics(&a, |p| diags(p).is_empty(), DEFAULT_TIMEOUT);
    assert!(codes(&p).is_empty());
    let g = c
        .request("devopsIntel/moduleGraph", json!({}))
        .expect("moduleGraph");
    assert!(!has_edge(&g, "shop.cycle_b", "shop.cycle_a"));
    let st = c.status();
    assert_eq!(st["indexing"], false);
    // and back: the cycle returns on both files
    c.clear_inbox();
    c.did_change(
        &b,
        3,
        vec![change(1, 0, 1, 9, "from .cycle_a import THING")],
    );
    let p = c.wait_diagnostics_version(&b, 3);
    assert_eq!(codes(&p), vec!["ARC001"], "{p}");
    let p = c.wait_diagnostics(&a, |p| !diags(p).is_empty(), DEFAULT_TIMEOUT);
    assert_eq!(codes(&p), vec!["ARC001"]);
    c.shutdown_and_exit();
}

#[test]
fn arc_diagnostics_are_pulled_too() {
    let ws = copy_demo();
    let mut c = start(&ws, InitOptions::root(ws.root()).pull());
    let r = c
        .request(
            "textDocument/diagnostic",
            json!({ "textDocument": { "uri": ws.uri("src/shop/cycle_a.py") } }),
        )
        .expect("pull");
    let codes: Vec<&str> = r["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, vec!["ARC001"], "{r}");
    c.shutdown_and_exit();
}
