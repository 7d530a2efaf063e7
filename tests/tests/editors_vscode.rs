//! The VS Code extension: `npm test` in editors/vscode (type check, the
//! extension logic's unit tests on Node's test runner, and the graph panel
//! driven in Debian's Chromium), then `vsce package` building the .vsix.
//! Fails, never skips, when node, npm or chromium is missing.

mod editors_common;

use devops_intel_e2e::{
    path_to_uri, target_dir, workspace_root, InitOptions, LspClient, DEFAULT_TIMEOUT,
};
use editors_common::*;
use serde_json::{json, Value};
use std::process::Command;
use std::time::{Duration, Instant};

fn chromium() -> String {
    std::env::var("CHROMIUM_PATH").unwrap_or_else(|_| "/usr/bin/chromium".to_string())
}

#[test]
fn vscode_unit_and_chromium_panel_tests_pass() {
    let _guard = npm_lock();
    prepare_npm();
    let chromium = chromium();
    assert!(
        std::path::Path::new(&chromium).is_file(),
        "Chromium not found at {chromium}: the panel test drives it; {SETUP_HINT}"
    );
    let shot = target_dir().join("editors-panel-screenshot.png");
    let t0 = Instant::now();
    let out = npm(
        &["test"],
        &vscode_dir(),
        &[
            ("CHROMIUM_PATH", chromium.as_str()),
            ("PANEL_SCREENSHOT", &shot.to_string_lossy()),
        ],
        Duration::from_secs(600),
    );
    assert_success("npm test in editors/vscode", &out);
    // node --test prints "# pass N" / "# fail N" per run (unit, then panel)
    let passes: Vec<u32> = out
        .stdout
        .lines()
        .filter_map(|l| l.strip_prefix("# pass ")?.trim().parse().ok())
        .collect();
    assert_eq!(
        passes.len(),
        2,
        "expected a unit run and a panel run:\n{}",
        tail(&out.stdout, 4000)
    );
    assert!(passes[0] >= 20, "unit tests ran: {passes:?}");
    assert!(passes[1] >= 8, "panel tests ran: {passes:?}");
    assert!(
        !out.stdout
            .lines()
            .any(|l| l.starts_with("# fail ") && l.trim() != "# fail 0"),
        "a node test failed:\n{}",
        tail(&out.stdout, 8000)
    );
    let figure = out
        .stdout
        .lines()
        .find(|l| l.contains("PANEL_2000_NODES_MS="))
        .unwrap_or_else(|| {
            panic!(
                "the 2,000-node measurement is missing:\n{}",
                tail(&out.stdout, 4000)
            )
        });
    eprintln!("{}", figure.trim_start_matches("# ").trim());
    let png = std::fs::read(&shot).expect("panel screenshot written");
    assert!(png.starts_with(b"\x89PNG"), "screenshot is not a PNG");
    eprintln!("npm test: {:.1}s", t0.elapsed().as_secs_f64());

    // the panel on graphs the real server answers (same params as the
    // extension's buildRequest)
    let graphs = server_graphs();
    let file = target_dir().join("editors-server-graphs.json");
    std::fs::write(&file, serde_json::to_vec(&graphs).expect("json")).expect("write server graphs");
    let out = run(
        Command::new("node")
            .args(["--test", "test/panel/server-graph.mjs"])
            .current_dir(vscode_dir())
            .env("CHROMIUM_PATH", &chromium)
            .env("PANEL_SERVER_GRAPHS", &file),
        Duration::from_secs(300),
    );
    assert_success("panel on the server's graphs", &out);
    assert!(
        out.stdout.contains("# pass 4") && out.stdout.contains("# fail 0"),
        "{}",
        tail(&out.stdout, 4000)
    );
}

/// moduleGraph, callGraph and impact from `devops-intel serve` on
/// tests/workspaces/graph-demo, as `[{title, graph}]`.
fn server_graphs() -> Vec<Value> {
    let root = workspace_root().join("tests/workspaces/graph-demo");
    let api = root.join("src/shop/api.py");
    let api_text = std::fs::read_to_string(&api).expect("graph-demo api.py");
    let at = api_text
        .find("create_order(name)")
        .expect("create_order call in api.py");
    let line = api_text[..at].matches('\n').count();
    let character = at - api_text[..at].rfind('\n').map_or(0, |i| i + 1);
    let (mut c, _) = LspClient::start_initialized(&InitOptions::root(&root).progress());
    c.wait_index_end(DEFAULT_TIMEOUT);
    let mut out = Vec::new();
    for (title, method, params) in [
        ("Module graph", "devopsIntel/moduleGraph", json!({})),
        (
            "Call graph",
            "devopsIntel/callGraph",
            json!({ "textDocument": { "uri": path_to_uri(&api) }, "position": { "line": line, "character": character }, "depth": 2 }),
        ),
        (
            "Impact",
            "devopsIntel/impact",
            json!({ "textDocument": { "uri": path_to_uri(&root.join("src/shop/util.py")) }, "focus": "shop.util.normalize" }),
        ),
    ] {
        let graph = c
            .request(method, params)
            .unwrap_or_else(|e| c.fail(&format!("{method}: {e:?}")));
        assert!(
            graph["nodes"].as_array().is_some_and(|n| !n.is_empty()),
            "{method} answered no nodes: {graph}"
        );
        out.push(json!({ "title": title, "graph": graph }));
    }
    c.shutdown_and_exit();
    out
}

#[test]
fn vsix_packages_with_bundled_panel() {
    let _guard = npm_lock();
    prepare_npm();
    let dir = vscode_dir();
    let vsix = dir.join("devops-intel.vsix");
    let _ = std::fs::remove_file(&vsix);
    let out = npm(&["run", "package"], &dir, &[], Duration::from_secs(300));
    assert_success("vsce package", &out);
    assert!(
        vsix.is_file(),
        "vsce package did not write {}",
        vsix.display()
    );
    // list the archive with Python's zipfile (always on the CI machine)
    let python =
        find_on_path("python3").unwrap_or_else(|| panic!("python3 not found: {SETUP_HINT}"));
    let listing = run(
        Command::new(python)
            .args(["-m", "zipfile", "-l"])
            .arg(&vsix),
        Duration::from_secs(60),
    );
    assert_success("listing the .vsix", &listing);
    for f in [
        "extension/package.json",
        "extension/dist/extension.js",
        "extension/dist/webview.js",
        "extension/dist/panel.css",
        "extension/media/icon.svg",
        "extension.vsixmanifest",
    ] {
        assert!(
            listing.stdout.contains(f),
            "{f} missing from the .vsix:\n{}",
            listing.stdout
        );
    }
    for f in ["node_modules/", "src/", "test/", ".map", "standalone.html"] {
        assert!(
            !listing.stdout.contains(f),
            "{f} should not ship in the .vsix:\n{}",
            listing.stdout
        );
    }
    // the webview bundle carries cytoscape and ELK itself: no CDN
    let bundle = std::fs::read_to_string(dir.join("dist/webview.js")).expect("dist/webview.js");
    assert!(
        bundle.contains("cytoscape") && bundle.contains("org.eclipse.elk"),
        "graph libraries not bundled"
    );
    assert!(
        !bundle.contains("cdn.jsdelivr") && !bundle.contains("unpkg.com"),
        "bundle refers to a CDN"
    );
}

#[test]
fn extension_manifest_declares_commands_views_and_settings() {
    let text = std::fs::read_to_string(vscode_dir().join("package.json")).expect("package.json");
    let pkg: serde_json::Value = serde_json::from_str(&text).expect("package.json is JSON");
    let commands: Vec<&str> = pkg["contributes"]["commands"]
        .as_array()
        .expect("commands")
        .iter()
        .filter_map(|c| c["command"].as_str())
        .collect();
    for kind in ["modules", "calls", "impact", "dataflow", "resources"] {
        assert!(
            commands.contains(&format!("devopsIntel.show.{kind}").as_str()),
            "{commands:?}"
        );
    }
    assert_eq!(
        pkg["contributes"]["views"]["devopsIntel"][0]["id"],
        "devopsIntel.graphs"
    );
    let props = &pkg["contributes"]["configuration"]["properties"];
    for key in [
        "server.path",
        "select",
        "ignore",
        "severity",
        "exclude",
        "httpTimeout",
        "maxFileSize",
    ] {
        assert!(
            props.get(format!("devopsIntel.{key}")).is_some(),
            "setting devopsIntel.{key} missing"
        );
    }
    assert_eq!(pkg["main"], "./dist/extension.js");
    assert!(
        vscode_dir().join("package-lock.json").is_file(),
        "package-lock.json must be committed"
    );
}
