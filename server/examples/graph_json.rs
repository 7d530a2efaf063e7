//! Times the steps of a whole-workspace module graph answer:
//! `cargo run --release -p devops-intel --example graph_json -- DIR`.
use devops_intel::config::Config;
use devops_intel::graph::{query, search_roots, GraphState};
use devops_intel::index::{discover, Workspace};
use std::time::Instant;

fn main() {
    let root = std::path::PathBuf::from(std::env::args().nth(1).expect("dir"));
    let config = Config::default();
    let roots = vec![root];
    let ws = Workspace::new();
    ws.index(&discover(&roots, &config), &config);
    let search = search_roots(&roots, &config.src_dirs());
    let state = GraphState::new();
    let (snap, _) = state.refresh(ws.summaries(), &search);
    for _ in 0..5 {
        let t0 = Instant::now();
        let (snap2, _) = state.refresh(ws.summaries(), &search);
        let t1 = Instant::now();
        let g = snap2.modules.graph(&snap2.summaries, None, None);
        let t2 = Instant::now();
        let v = g.into_json(devops_intel::text::Encoding::Utf16, |p| {
            query::file_index(&snap, p).map(|i| &snap.summaries[i as usize].line_index)
        });
        let t3 = Instant::now();
        let s = serde_json::to_string(&v).expect("json");
        let t4 = Instant::now();
        drop(v);
        let t5 = Instant::now();
        let back: serde_json::Value = serde_json::from_str(&s).expect("parse");
        let t6 = Instant::now();
        println!(
            "refresh {:?} graph {:?} into_json {:?} to_string {:?} drop {:?} parse {:?} ({} KB, {} nodes)",
            t1 - t0, t2 - t1, t3 - t2, t4 - t3, t5 - t4, t6 - t5, s.len() / 1024,
            back["nodes"].as_array().map_or(0, |n| n.len())
        );
    }
}
