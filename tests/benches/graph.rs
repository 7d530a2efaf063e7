//! Graph benchmark: `cargo bench -p devops-intel-e2e --bench graph`.
//!
//! On the Django 5.1.4 sources (see `corpus::django_dir`), after the index is
//! built: the module layer (resolution + cycles + ARC findings), the full
//! module graph rendered to JSON, the no-change refresh, the call layer, and
//! impact queries — in process, then through the real server
//! (`devopsIntel/moduleGraph` and `devopsIntel/impact` round trips). Prints
//! `key: value` lines; writes them to `target/bench-graph.json`.

use devops_intel::config::Config;
use devops_intel::graph::query::{self, Focus};
use devops_intel::graph::{impact, search_roots, GraphState};
use devops_intel::index::{discover, Workspace};
use devops_intel_e2e::*;
use serde_json::{json, Map, Value};
use std::time::{Duration, Instant};

const RUNS: usize = 10;
const SYMBOLS: &[&str] = &[
    "django.utils.encoding.force_str",
    "django.db.models.query.QuerySet.filter",
    "django.utils.functional",
];

fn main() {
    let corpus = corpus::django_dir();
    println!("corpus: {}", corpus.display());
    let mut results: Vec<(String, Value)> = Vec::new();
    let mut put = |k: &str, v: Value| {
        println!("{k}: {v}");
        results.push((k.to_string(), v));
    };
    let config = Config::default();
    let roots = vec![corpus.clone()];
    let files = discover(&roots, &config);
    let ws = Workspace::new();
    let t = Instant::now();
    ws.index(&files, &config);
    put("index_ms", json!(ms(t.elapsed())));
    put("files", json!(ws.len()));
    let search = search_roots(&roots, &config.src_dirs());
    let summaries = ws.summaries();

    let (wall, cpu) = best2(|| {
        let state = GraphState::new();
        let _ = state.refresh(summaries.clone(), &search);
    });
    put("module_layer_build_ms", json!(ms(wall)));
    put("module_layer_build_cpu_ms", json!(ms(cpu)));

    let state = GraphState::new();
    let (snap, _) = state.refresh(summaries.clone(), &search);
    put("modules", json!(snap.modules.index.len()));
    put("internal_edges", json!(snap.modules.internal_edges().len()));
    put("cycles", json!(snap.modules.cycles.len()));
    put("workspace_findings", json!(snap.findings.len()));
    let (wall, cpu) = best2(|| {
        let _ = state.refresh(ws.summaries(), &search);
    });
    put("refresh_unchanged_ms", json!(ms(wall)));
    put("refresh_unchanged_cpu_ms", json!(ms(cpu)));

    let mut bytes = 0;
    let (wall, cpu) = best2(|| {
        let g = snap.modules.graph(&snap.summaries, None, None);
        let v = g.into_json(devops_intel::text::Encoding::Utf16, |p| {
            query::file_index(&snap, p).map(|i| &snap.summaries[i as usize].line_index)
        });
        bytes = serde_json::to_string(&v).map(|s| s.len()).unwrap_or(0);
    });
    put("module_graph_json_ms", json!(ms(wall)));
    put("module_graph_json_cpu_ms", json!(ms(cpu)));
    put("module_graph_json_kb", json!(bytes / 1024));

    let (c0, t) = (thread_cpu_time(), Instant::now());
    let calls = state.calls(&snap);
    put("call_layer_build_ms", json!(ms(t.elapsed())));
    put(
        "call_layer_build_cpu_ms",
        json!(ms(thread_cpu_time().saturating_sub(c0))),
    );
    put("call_edges", json!(calls.edges.len()));
    put(
        "call_edges_heuristic",
        json!(calls.edges.iter().filter(|e| !e.exact).count()),
    );
    for sym in SYMBOLS {
        let focus = query::resolve_focus(&snap, &calls, sym)
            .unwrap_or_else(|| panic!("{sym} not found in the corpus"));
        let mut nodes = 0;
        let (d, cpu) = best2(|| {
            let g = impact::impact(&snap, &calls, &focus);
            nodes = g.nodes.len();
        });
        let kind = if matches!(focus, Focus::Def(_)) {
            "symbol"
        } else {
            "module"
        };
        put(&format!("impact_{kind}_{sym}_ms"), json!(ms(d)));
        put(&format!("impact_{kind}_{sym}_cpu_ms"), json!(ms(cpu)));
        put(&format!("impact_{kind}_{sym}_nodes"), json!(nodes));
    }

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
    let mut lat = Vec::new();
    for _ in 0..RUNS {
        let t = Instant::now();
        let g = c
            .request("devopsIntel/moduleGraph", json!({}))
            .expect("moduleGraph");
        lat.push(t.elapsed());
        assert!(g["nodes"].as_array().is_some_and(|n| n.len() > 1000));
    }
    lat.sort();
    put("lsp_module_graph_best_ms", json!(ms(lat[0])));
    put("lsp_module_graph_median_ms", json!(ms(lat[lat.len() / 2])));
    let mut lat = Vec::new();
    for i in 0..RUNS {
        let t = Instant::now();
        let g = c
            .request("devopsIntel/impact", json!({ "focus": SYMBOLS[0] }))
            .expect("impact");
        let d = t.elapsed();
        if i == 0 {
            put("lsp_impact_first_ms (builds the call layer)", json!(ms(d)));
        } else {
            lat.push(d);
        }
        assert!(g["nodes"].as_array().is_some_and(|n| n.len() > 1));
    }
    lat.sort();
    put("lsp_impact_best_ms", json!(ms(lat[0])));
    put("lsp_impact_median_ms", json!(ms(lat[lat.len() / 2])));
    c.shutdown_and_exit();

    println!("\n--- results ---");
    for (k, v) in &results {
        println!("{k}: {v}");
    }
    let out = target_dir().join("bench-graph.json");
    let map: Map<String, Value> = results.into_iter().collect();
    let _ = std::fs::write(
        &out,
        serde_json::to_string_pretty(&Value::Object(map)).unwrap(),
    );
    println!("written: {}", out.display());
}

/// Best wall time and best thread CPU time over `RUNS` runs.
fn best2(mut f: impl FnMut()) -> (Duration, Duration) {
    let mut wall = Duration::MAX;
    let mut cpu = Duration::MAX;
    for _ in 0..RUNS {
        let c = thread_cpu_time();
        let t = Instant::now();
        f();
        wall = wall.min(t.elapsed());
        cpu = cpu.min(thread_cpu_time().saturating_sub(c));
    }
    (wall, cpu)
}

fn ms(d: Duration) -> f64 {
    (d.as_secs_f64() * 1e5).round() / 100.0
}
