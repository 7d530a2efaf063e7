//! Hover benchmark: `cargo bench -p devops-intel-e2e --bench explain`.
//!
//! On the Django 5.1.4 sources (see `corpus::django_dir`), after the index is
//! built: the explain hover (resolve the position, collect the facts, count
//! callers by name over every summary, parse the target's body, render
//! Markdown) at definition names and call sites spread over the corpus, in
//! process and then through the real server (`textDocument/hover` round
//! trips). Prints p50/p99/max; writes them to `target/bench-explain.json`.

use devops_intel::config::Config;
use devops_intel::explain::{self, IndexedCounts};
use devops_intel::index::{discover, FileSummary, Workspace};
use devops_intel::text::Encoding;
use devops_intel_e2e::*;
use serde_json::{json, Map, Value};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Every `STRIDE`-th file of the corpus provides positions.
const STRIDE: usize = 10;
/// Positions per file: definition names and call sites, each.
const PER_FILE: usize = 3;
/// Files opened in the server for the round-trip measurement.
const LSP_FILES: usize = 40;

fn main() {
    let corpus = corpus::django_dir();
    println!("corpus: {}", corpus.display());
    let mut results: Vec<(String, Value)> = Vec::new();
    let mut put = |k: &str, v: Value| {
        println!("{k}: {v}");
        results.push((k.to_string(), v));
    };
    let config = Config::default();
    let files = discover(std::slice::from_ref(&corpus), &config);
    let ws = Workspace::new();
    let t = Instant::now();
    ws.index(&files, &config);
    put("index_ms", json!(ms(t.elapsed())));
    put("files", json!(ws.len()));
    let all = ws.summaries();
    let positions = positions(&all);
    put("positions", json!(positions.len()));

    // In process: what the hover handler does per request (the caller index
    // is built once, as the server does until a summary changes).
    let t = Instant::now();
    let counts = IndexedCounts::new(ws.summaries_unordered());
    put("caller_index_build_ms", json!(ms(t.elapsed())));
    let mut lat = Vec::with_capacity(positions.len());
    let mut explained = 0;
    for (fi, offset) in &positions {
        let file = &all[*fi];
        let t = Instant::now();
        let summaries = ws.summaries_unordered();
        if let Some((target, _)) = explain::target_at(file, *offset, &summaries) {
            let text = std::fs::read_to_string(&target.file.path).ok();
            if let Some(x) =
                explain::explain(&target, &summaries, text.as_deref(), Some(&corpus), &counts)
            {
                std::hint::black_box(explain::render_markdown(&x));
                explained += 1;
            }
        }
        lat.push(t.elapsed());
    }
    put("in_process_explained", json!(explained));
    report(&mut put, "in_process", &mut lat);

    // Through the server (release binary).
    let bin = binary_for(Profile::Release);
    let mut c = LspClient::start_with(&bin);
    c.timeout = Duration::from_secs(120);
    c.request(
        "initialize",
        InitOptions::root(&corpus).progress().to_params(),
    )
    .unwrap_or_else(|e| c.fail(&format!("initialize failed: {e:?}")));
    c.notify("initialized", json!({}));
    c.wait_index_end(Duration::from_secs(600));
    let mut opened: Vec<usize> = positions.iter().map(|(f, _)| *f).collect();
    opened.dedup();
    opened.truncate(LSP_FILES);
    for (n, fi) in opened.iter().enumerate() {
        let s = &all[*fi];
        let text = std::fs::read_to_string(&s.path).expect("corpus file");
        let uri = path_to_uri(&s.path);
        c.did_open(&uri, &text, 1);
        c.wait_diagnostics_version(&uri, 1);
        if n == 0 {
            // warm-up
            let _ = c.request("textDocument/hover", hover_params(s, &uri, 0));
        }
    }
    let mut lat = Vec::new();
    let mut answered = 0;
    for (fi, offset) in positions.iter().filter(|(f, _)| opened.contains(f)) {
        let s = &all[*fi];
        let uri = path_to_uri(&s.path);
        let t = Instant::now();
        let h = c
            .request("textDocument/hover", hover_params(s, &uri, *offset))
            .expect("hover");
        lat.push(t.elapsed());
        if !h.is_null() {
            answered += 1;
        }
    }
    put("lsp_hovers_answered", json!(answered));
    report(&mut put, "lsp_hover", &mut lat);
    c.shutdown_and_exit();

    println!("\n--- results ---");
    for (k, v) in &results {
        println!("{k}: {v}");
    }
    let out = target_dir().join("bench-explain.json");
    let map: Map<String, Value> = results.into_iter().collect();
    let _ = std::fs::write(
        &out,
        serde_json::to_string_pretty(&Value::Object(map)).unwrap(),
    );
    println!("written: {}", out.display());
}

/// Definition names and callee ends in every `STRIDE`-th file.
fn positions(all: &[Arc<FileSummary>]) -> Vec<(usize, u32)> {
    let mut out = Vec::new();
    for (fi, s) in all.iter().enumerate().step_by(STRIDE) {
        for d in s.defs.iter().take(PER_FILE) {
            out.push((fi, d.name_range.start));
        }
        for c in s.calls.iter().take(PER_FILE) {
            out.push((fi, c.callee_range.end.saturating_sub(1)));
        }
    }
    out
}

fn hover_params(s: &FileSummary, uri: &str, offset: u32) -> Value {
    let lc = s.line_index.line_col(offset, Encoding::Utf16);
    json!({ "textDocument": { "uri": uri }, "position": { "line": lc.line, "character": lc.col } })
}

fn report(put: &mut impl FnMut(&str, Value), name: &str, lat: &mut [Duration]) {
    if lat.is_empty() {
        return;
    }
    lat.sort();
    let pct = |p: f64| lat[((lat.len() as f64 * p) as usize).min(lat.len() - 1)];
    put(&format!("{name}_samples"), json!(lat.len()));
    put(&format!("{name}_p50_ms"), json!(ms(pct(0.50))));
    put(&format!("{name}_p99_ms"), json!(ms(pct(0.99))));
    put(&format!("{name}_max_ms"), json!(ms(lat[lat.len() - 1])));
}

fn ms(d: Duration) -> f64 {
    (d.as_secs_f64() * 1e5).round() / 100.0
}
