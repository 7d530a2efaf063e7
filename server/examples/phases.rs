//! Times each phase of the cold index on a corpus: `cargo run --release --example phases -- DIR`.
use std::time::Instant;
fn main() {
    let root = std::path::PathBuf::from(std::env::args().nth(1).expect("corpus dir"));
    let config = devops_intel::config::Config::default();
    let t = Instant::now();
    let paths = devops_intel::index::discover(&[root], &config);
    println!("discover {:?} ({} files)", t.elapsed(), paths.len());
    let t = Instant::now();
    let texts: Vec<String> = paths
        .iter()
        .map(|p| std::fs::read_to_string(p).unwrap_or_default())
        .collect();
    println!("read {:?}", t.elapsed());
    let t = Instant::now();
    let trees: Vec<_> = texts
        .iter()
        .map(|s| devops_intel::syntax::parse(s, None).unwrap())
        .collect();
    println!("parse (1 thread) {:?}", t.elapsed());
    let t = Instant::now();
    let mut n = 0;
    for (s, tree) in texts.iter().zip(&trees) {
        n += devops_intel::index::extract::extract(s, tree).calls.len();
    }
    println!("extract (1 thread) {:?} ({n} calls)", t.elapsed());
    let settings = devops_intel::rules::RuleSettings::default();
    let t = Instant::now();
    let mut findings = 0;
    for ((p, s), tree) in paths.iter().zip(&texts).zip(&trees) {
        let ex = devops_intel::index::extract::extract(s, tree);
        let li = devops_intel::text::LineIndex::new(s);
        findings += devops_intel::rules::check_file(p, s, tree, &ex, &li, &settings)
            .0
            .len();
    }
    println!(
        "extract+rules (1 thread) {:?} ({findings} findings)",
        t.elapsed()
    );
    let t = Instant::now();
    for (p, s) in paths.iter().zip(&texts) {
        let _ = devops_intel::index::analyze(p, s, &settings);
    }
    println!("analyze (1 thread, parse+extract+rules) {:?}", t.elapsed());
}
