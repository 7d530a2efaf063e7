//! The server and the CLI report the same findings for every rule fixture.

use devops_intel_e2e::*;
use serde_json::Value;
use std::collections::BTreeSet;
use std::time::Duration;

/// (rule, start line, start col, end line, end col, LSP severity), 0-based,
/// columns in code points.
type Key = (String, u32, u32, u32, u32, i64);

fn copy_fixtures() -> (TempWorkspace, Vec<String>) {
    let ws = TempWorkspace::new();
    let mut rels = Vec::new();
    for (rule, file, text) in rule_fixtures() {
        let rel = format!("{rule}/{file}");
        ws.write(&rel, &text);
        rels.push(rel);
    }
    (ws, rels)
}

fn cli_findings(ws: &TempWorkspace) -> Vec<Value> {
    let out = run_cli(&["check", ".", "--format", "json"], ws.root());
    assert_eq!(
        out.code(),
        Some(1),
        "findings expected; stderr: {}",
        out.stderr
    );
    let v: Value = serde_json::from_str(&out.stdout)
        .unwrap_or_else(|e| panic!("CLI JSON: {e}\n{}", out.stdout));
    v.as_array().expect("array").clone()
}

fn cli_keys(findings: &[Value], rel: &str) -> BTreeSet<Key> {
    let n = |v: &Value| v.as_u64().expect("number") as u32;
    findings
        .iter()
        .filter(|f| f["path"] == rel)
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_string(),
                n(&f["line"]) - 1,
                n(&f["column"]) - 1,
                n(&f["end_line"]) - 1,
                n(&f["end_column"]) - 1,
                lsp_severity(f["severity"].as_str().unwrap()),
            )
        })
        .collect()
}

fn lsp_keys(p: &Value) -> BTreeSet<Key> {
    diags(p)
        .into_iter()
        .map(|d| {
            (
                d.code,
                d.range.0,
                d.range.1,
                d.range.2,
                d.range.3,
                d.severity.unwrap_or(-1),
            )
        })
        .collect()
}

#[test]
fn fixtures_match_their_expect_comments_in_the_cli() {
    let (ws, _) = copy_fixtures();
    let findings = cli_findings(&ws);
    for (rule, file, text) in rule_fixtures() {
        let rel = format!("{rule}/{file}");
        let mut got: Vec<u32> = findings
            .iter()
            .filter(|f| f["path"] == rel.as_str() && f["rule"] == rule.as_str())
            .map(|f| f["line"].as_u64().unwrap() as u32)
            .collect();
        got.sort();
        assert_eq!(got, expected_lines(&text, &rule), "{rel}");
        if file == "ok.py" {
            assert!(
                !findings.iter().any(|f| f["path"] == rel.as_str()),
                "{rel} must be clean"
            );
        }
    }
}

#[test]
fn server_closed_file_diagnostics_equal_cli_findings() {
    let (ws, rels) = copy_fixtures();
    let findings = cli_findings(&ws);
    let (mut c, init) = LspClient::start_initialized(
        &InitOptions::root(ws.root())
            .encodings(&["utf-32"])
            .progress(),
    );
    assert_eq!(init["capabilities"]["positionEncoding"], "utf-32", "{init}");
    c.wait_index_end(DEFAULT_TIMEOUT);
    let mut mismatches = Vec::new();
    for rel in &rels {
        let want = cli_keys(&findings, rel);
        if want.is_empty() {
            continue;
        }
        let p = c.wait_diagnostics(
            &ws.uri(rel),
            |p| p["diagnostics"].as_array().is_some_and(|a| !a.is_empty()),
            DEFAULT_TIMEOUT,
        );
        let got = lsp_keys(&p);
        if got != want {
            mismatches.push(format!(
                "{rel}:\n  only CLI: {:?}\n  only server: {:?}",
                want.difference(&got).collect::<Vec<_>>(),
                got.difference(&want).collect::<Vec<_>>()
            ));
        }
    }
    c.drain_for(Duration::from_millis(200));
    for rel in &rels {
        if cli_keys(&findings, rel).is_empty() {
            for p in c.published(&ws.uri(rel)) {
                if !lsp_keys(&p).is_empty() {
                    mismatches.push(format!("{rel}: clean for the CLI, server says {p}"));
                }
            }
        }
    }
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
}

#[test]
fn server_open_document_diagnostics_equal_cli_findings() {
    let (ws, rels) = copy_fixtures();
    let findings = cli_findings(&ws);
    let (mut c, _) =
        LspClient::start_initialized(&InitOptions::root(ws.root()).encodings(&["utf-32"]));
    let mut mismatches = Vec::new();
    for rel in &rels {
        let uri = ws.uri(rel);
        c.did_open(&uri, &ws.read(rel), 1);
        let p = c.wait_diagnostics_version(&uri, 1);
        let want = cli_keys(&findings, rel);
        let got = lsp_keys(&p);
        if got != want {
            mismatches.push(format!(
                "{rel}:\n  only CLI: {:?}\n  only server: {:?}",
                want.difference(&got).collect::<Vec<_>>(),
                got.difference(&want).collect::<Vec<_>>()
            ));
        }
    }
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
}
