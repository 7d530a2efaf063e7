//! Corpus benchmark: `cargo bench -p devops-intel-e2e --bench corpus`.
//!
//! On the Django 5.1.4 sources (downloaded once into `<root>/.bench-cache/`, or
//! `DEVOPS_INTEL_CORPUS`), measures bare tree-sitter parsing against our cold
//! index, the summaries' memory, indexing through the real server (time and
//! peak RSS), and edit-to-diagnostics latency on a 2,000-line file. Prints
//! `key: value` lines and writes them as JSON to `target/bench-results.json`.

use devops_intel::config::Config;
use devops_intel::index::{discover, Workspace};
use devops_intel_e2e::*;
use rayon::prelude::*;
use serde_json::{json, Map, Value};
use std::path::PathBuf;
use std::time::{Duration, Instant};

const RUNS: usize = 15;
const EDITS: usize = 200;
const FILE_LINES: usize = 2000;

fn main() {
    // As in the binary's `main`: tree-sitter allocates from mimalloc. Set
    // before any parser exists, so the bare parse below uses it too and the
    // ratio compares like with like.
    // SAFETY: no tree-sitter object exists yet.
    unsafe { devops_intel::syntax::use_mimalloc_for_trees() };
    // `cargo bench` passes `--bench`; arguments are ignored.
    let corpus = corpus_dir();
    println!("corpus: {}", corpus.display());
    let mut results: Vec<(String, Value)> = Vec::new();
    let mut put = |k: &str, v: Value| {
        println!("{k}: {v}");
        results.push((k.to_string(), v));
    };

    let config = Config::default();
    let roots = vec![corpus.clone()];
    let paths = discover(&roots, &config);
    assert!(!paths.is_empty(), "no .py files under {}", corpus.display());
    let contents: Vec<Vec<u8>> = paths
        .iter()
        .map(|p| std::fs::read(p).unwrap_or_default())
        .collect();
    let total_bytes: usize = contents.iter().map(Vec::len).sum();
    let lines: usize = contents
        .iter()
        .map(|c| c.iter().filter(|&&b| b == b'\n').count())
        .sum();
    put("py_files", json!(paths.len()));
    put("total_mb", json!(round(total_bytes as f64 / 1e6, 2)));
    put("total_lines", json!(lines));
    put("threads", json!(rayon::current_num_threads()));

    // The four measurements run interleaved, RUNS rounds, so that a noisy
    // stretch on a shared machine hits each of them alike; best and median
    // are per measurement.
    let mut kept: Vec<Workspace> = Vec::new();
    let mut times: [Samples; 4] = Default::default();
    for _ in 0..RUNS {
        // (a) bare parse, files already in memory.
        times[0].time(|| {
            let n: usize = contents
                .par_iter()
                .map_init(new_parser, |p, src| {
                    let tree = p.parse(src, None);
                    usize::from(tree.is_some())
                })
                .sum();
            assert_eq!(n, contents.len());
        });
        // (a') bare parse including reading the files.
        times[1].time(|| {
            let n: usize = paths
                .par_iter()
                .map_init(new_parser, |p, path| {
                    let src = std::fs::read(path).unwrap_or_default();
                    usize::from(p.parse(&src, None).is_some())
                })
                .sum();
            assert_eq!(n, paths.len());
        });
        // Discovery alone, for reference.
        times[2].time(|| {
            let found = discover(&roots, &config);
            assert_eq!(found.len(), paths.len());
        });
        // (b) our cold index: discover + read + parse + extract + rules.
        // Dropping the index is not part of building it: each run hands its
        // workspace out of the timed closure; the previous one is dropped
        // (untimed) first, as a server holds one index, not two.
        kept.clear();
        times[3].time(|| {
            let found = discover(&roots, &config);
            let ws = Workspace::new();
            ws.index(&found, &config);
            kept.push(ws);
        });
    }
    // Paired ratios: each round's index over the same round's parse (taken
    // seconds apart), median over rounds: robust to a slow stretch that
    // makes one "best" lucky or unlucky.
    let paired = |i: usize, j: usize, pick: fn(&Samples) -> &Vec<Duration>| {
        let mut r: Vec<f64> = pick(&times[i])
            .iter()
            .zip(pick(&times[j]))
            .map(|(b, a)| b.as_secs_f64() / a.as_secs_f64())
            .collect();
        r.sort_by(f64::total_cmp);
        r
    };
    let paired_wall = paired(3, 0, |s| &s.wall);
    let paired_cpu = paired(3, 0, |s| &s.cpu);
    let median = |r: &[f64]| r[r.len() / 2];
    let cpu_best = |i: usize| times[i].cpu.iter().min().copied().unwrap_or_default();
    let (cpu_parse, cpu_index) = (cpu_best(0), cpu_best(3));
    let [a, a_read, disc, b] = times.map(|s| Timing::of(s.wall));
    let ws = kept.pop().expect("measured at least once");
    assert_eq!(ws.len(), paths.len());
    let heap = ws.heap_size();
    let findings: usize = ws.summaries().iter().map(|s| s.findings.len()).sum();
    drop(ws);
    drop(kept);
    put("parse_in_memory_best_ms", json!(ms(a.best)));
    put("parse_in_memory_median_ms", json!(ms(a.median)));
    put("parse_with_reads_best_ms", json!(ms(a_read.best)));
    put("parse_with_reads_median_ms", json!(ms(a_read.median)));
    put("discover_best_ms", json!(ms(disc.best)));
    put("cold_index_best_ms", json!(ms(b.best)));
    put("cold_index_median_ms", json!(ms(b.median)));
    put(
        "ratio_index_vs_parse",
        json!(round(b.best.as_secs_f64() / a.best.as_secs_f64(), 2)),
    );
    put(
        "ratio_index_vs_parse_paired_median",
        json!(round(median(&paired_wall), 2)),
    );
    put(
        "ratio_index_vs_parse_paired_all",
        json!(paired_wall.iter().map(|r| round(*r, 2)).collect::<Vec<_>>()),
    );
    // CPU time (all threads, user + system) of the same runs: what the work
    // costs, whatever the machine's other tenants did meanwhile.
    put("parse_in_memory_cpu_best_ms", json!(ms(cpu_parse)));
    put("cold_index_cpu_best_ms", json!(ms(cpu_index)));
    put(
        "ratio_cpu_index_vs_parse",
        json!(round(cpu_index.as_secs_f64() / cpu_parse.as_secs_f64(), 2)),
    );
    put(
        "ratio_cpu_index_vs_parse_paired_median",
        json!(round(median(&paired_cpu), 2)),
    );
    put(
        "ratio_cpu_index_vs_parse_paired_all",
        json!(paired_cpu.iter().map(|r| round(*r, 2)).collect::<Vec<_>>()),
    );
    put(
        "ratio_index_vs_parse_with_reads",
        json!(round(b.best.as_secs_f64() / a_read.best.as_secs_f64(), 2)),
    );
    put("index_findings", json!(findings));
    put("summaries_heap_mb", json!(round(heap as f64 / 1e6, 2)));

    // The server.
    let bin = binary_for(Profile::Release);
    let mut c = LspClient::start_with(&bin);
    c.timeout = Duration::from_secs(60);
    let init = c
        .request(
            "initialize",
            InitOptions::root(&corpus).progress().to_params(),
        )
        .unwrap_or_else(|e| c.fail(&format!("initialize failed: {e:?}")));
    assert!(init["capabilities"].is_object(), "{init}");
    let t0 = Instant::now();
    c.notify("initialized", json!({}));
    c.wait_index_end(Duration::from_secs(600));
    let server_index = t0.elapsed();
    let st = c.status();
    put("server_index_ms", json!(ms(server_index)));
    put("server_files", st["files"].clone());
    put(
        "server_heap_mb",
        json!(round(st["heapBytes"].as_f64().unwrap_or(0.0) / 1e6, 2)),
    );
    let (rss, hwm) = proc_memory(c.pid()).unwrap_or((0, 0));
    put("server_rss_mb", json!(round(rss as f64 / 1e6, 1)));
    put("server_peak_rss_mb", json!(round(hwm as f64 / 1e6, 1)));

    // Edit latency on a 2,000-line file inside the workspace folder.
    let dir = TempWorkspace::new_in(&corpus);
    let mut text = generate_file(FILE_LINES);
    let rel = "bench_edits.py";
    dir.write(rel, &text);
    let uri = dir.uri(rel);
    // Flush what the index published, then start from a clean inbox.
    c.status();
    c.clear_inbox();
    c.clear_history();
    c.did_open(&uri, &text, 1);
    let first = c.wait_diagnostics_version(&uri, 1);
    let initial_findings = diags(&first).len();
    assert!(
        initial_findings > 0,
        "the generated file should have findings"
    );
    let targets: Vec<u32> = text
        .lines()
        .enumerate()
        .filter(|(_, l)| l.contains("requests.get(url, timeout="))
        .map(|(i, _)| i as u32)
        .collect();
    assert!(targets.len() > 10);
    // DEVOPS_INTEL_BENCH_EDITS: more edits, e.g. to profile the server.
    let edits = std::env::var("DEVOPS_INTEL_BENCH_EDITS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(EDITS);
    let mut latencies = Vec::with_capacity(edits);
    for i in 0..edits {
        let line_no = targets[(i * 7) % targets.len()];
        let old = text.lines().nth(line_no as usize).unwrap().to_string();
        let new = if old.contains("timeout=10") {
            old.replace("timeout=10", "timeout=None")
        } else {
            old.replace("timeout=None", "timeout=10")
        };
        let ch = change(line_no, 0, line_no, old.encode_utf16().count() as u32, &new);
        apply_change(&mut text, &ch, Enc::Utf16);
        let version = i as i64 + 2;
        let t = Instant::now();
        c.did_change(&uri, version, vec![ch]);
        let p = c.wait_diagnostics_version(&uri, version);
        latencies.push(t.elapsed());
        // Each toggle to None adds a REL001 on that line; check it once in a while.
        if i % 50 == 0 {
            let has = diags(&p)
                .iter()
                .any(|d| d.code == "REL001" && d.range.0 == line_no);
            assert_eq!(has, new.contains("timeout=None"), "edit {i}: {new}");
        }
        c.clear_inbox();
    }
    let st = c.document_state(&uri).expect("documentState");
    assert_eq!(
        st["text"].as_str(),
        Some(text.as_str()),
        "server text drifted"
    );
    latencies.sort();
    let pct = |p: f64| {
        let idx = ((p * latencies.len() as f64).ceil() as usize).clamp(1, latencies.len()) - 1;
        latencies[idx]
    };
    put("edit_file_lines", json!(text.lines().count()));
    put("edit_count", json!(edits));
    put("edit_latency_p50_ms", json!(ms(pct(0.50))));
    put("edit_latency_p99_ms", json!(ms(pct(0.99))));
    put("edit_latency_max_ms", json!(ms(*latencies.last().unwrap())));
    let (rss, hwm) = proc_memory(c.pid()).unwrap_or((0, 0));
    put(
        "server_rss_after_edits_mb",
        json!(round(rss as f64 / 1e6, 1)),
    );
    put(
        "server_peak_rss_after_edits_mb",
        json!(round(hwm as f64 / 1e6, 1)),
    );
    let status = c.shutdown_and_exit();
    assert!(status.success(), "server exit status {status:?}");
    drop(dir);

    println!("\n--- results ---");
    for (k, v) in &results {
        println!("{k}: {v}");
    }
    let out = target_dir().join("bench-results.json");
    let _ = std::fs::create_dir_all(out.parent().unwrap());
    let map: Map<String, Value> = results.into_iter().collect();
    std::fs::write(
        &out,
        serde_json::to_string_pretty(&Value::Object(map)).unwrap(),
    )
    .unwrap_or_else(|e| panic!("cannot write {}: {e}", out.display()));
    println!("written: {}", out.display());
}

struct Timing {
    best: Duration,
    median: Duration,
}

impl Timing {
    fn of(mut v: Vec<Duration>) -> Timing {
        v.sort();
        Timing {
            best: v[0],
            median: v[v.len() / 2],
        }
    }
}

/// Wall and process CPU time of each run of one measurement.
#[derive(Default)]
struct Samples {
    wall: Vec<Duration>,
    cpu: Vec<Duration>,
}

impl Samples {
    fn time(&mut self, f: impl FnOnce()) {
        let (t, c) = (Instant::now(), process_cpu_time());
        f();
        self.wall.push(t.elapsed());
        self.cpu.push(process_cpu_time().saturating_sub(c));
    }
}

fn ms(d: Duration) -> f64 {
    round(d.as_secs_f64() * 1000.0, 2)
}

fn round(x: f64, digits: i32) -> f64 {
    let m = 10f64.powi(digits);
    (x * m).round() / m
}

fn new_parser() -> tree_sitter::Parser {
    let mut p = tree_sitter::Parser::new();
    p.set_language(&tree_sitter_python::LANGUAGE.into())
        .expect("python grammar");
    p
}

/// `DEVOPS_INTEL_CORPUS`, or Django's sdist downloaded and extracted once
/// into `<root>/.bench-cache/` (shared with the grimp agreement test).
/// Django's sdist, or the folder named by `DEVOPS_INTEL_BENCH_CORPUS` (to
/// measure on your own code).
fn corpus_dir() -> PathBuf {
    match std::env::var_os("DEVOPS_INTEL_BENCH_CORPUS") {
        Some(dir) => PathBuf::from(dir),
        None => devops_intel_e2e::corpus::django_dir(),
    }
}

/// A realistic deployment module of exactly `n` lines: HTTP calls (some
/// without timeout), subprocess calls (some with shell=True), YAML loading.
fn generate_file(n: usize) -> String {
    let mut lines: Vec<String> = vec![
        "\"\"\"Deployment helpers (generated for the edit-latency benchmark).\"\"\"".into(),
        "import json".into(),
        "import logging".into(),
        "import os".into(),
        "import subprocess".into(),
        "".into(),
        "import requests".into(),
        "import yaml".into(),
        "".into(),
        "log = logging.getLogger(__name__)".into(),
        "API = os.environ.get(\"DEPLOY_API\", \"https://deploy.example.com\")".into(),
        "".into(),
    ];
    let mut i = 0;
    while lines.len() + 16 <= n {
        let timeout = if i % 5 == 0 { "None" } else { "10" };
        lines.push("".into());
        lines.push("".into());
        lines.push(format!(
            "def deploy_service_{i}(host, branch, manifest_path):"
        ));
        lines.push(format!(
            "    \"\"\"Deploy service {i} to `host` from `branch`.\"\"\""
        ));
        lines.push(format!(
            "    url = f\"{{API}}/hosts/{{host}}/services/{i}\""
        ));
        lines.push(format!("    resp = requests.get(url, timeout={timeout})"));
        lines.push("    resp.raise_for_status()".into());
        lines.push("    with open(manifest_path) as fh:".into());
        if i % 6 == 0 {
            lines.push("        manifest = yaml.load(fh)".into());
        } else {
            lines.push("        manifest = yaml.safe_load(fh)".into());
        }
        lines.push("    subprocess.run([\"git\", \"checkout\", branch], check=True)".into());
        if i % 7 == 0 {
            lines.push(format!(
                "    subprocess.run(f\"systemctl restart svc{i}-{{branch}}\", shell=True, check=True)"
            ));
        } else {
            lines.push(format!(
                "    subprocess.run([\"systemctl\", \"restart\", \"svc{i}\"], check=True)"
            ));
        }
        lines.push(format!(
            "    log.info(\"deployed %s on %s\", {i}, json.dumps(manifest.get(\"name\")))"
        ));
        if i % 4 == 0 {
            lines.push("    requests.post(url + \"/done\", json={\"ok\": True})".into());
        } else {
            lines.push("    requests.post(url + \"/done\", json={\"ok\": True}, timeout=5)".into());
        }
        lines.push("    return resp.json()".into());
        i += 1;
    }
    while lines.len() < n {
        lines.push(format!("# padding line {}", lines.len()));
    }
    let mut s = lines.join("\n");
    s.push('\n');
    s
}
