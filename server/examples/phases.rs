//! Times each phase of the cold index on a corpus, single-threaded and in
//! parallel: `cargo run --release -p devops-intel --example phases -- DIR`.
//! Each tree is dropped as soon as it is used, as in the real index.
use rayon::prelude::*;
use std::time::{Duration, Instant};

/// Process CPU time (user + system) from /proc/self/stat, in seconds.
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let after = stat.rsplit(')').next().unwrap_or("");
    let f: Vec<&str> = after.split_whitespace().collect();
    // fields 14 and 15 of stat(5) (utime, stime) are the 12th and 13th after `)`
    let tick = |i: usize| f.get(i).and_then(|x| x.parse::<f64>().ok()).unwrap_or(0.0);
    (tick(11) + tick(12)) / 100.0
}

/// System CPU time alone.
fn sys_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let after = stat.rsplit(')').next().unwrap_or("");
    let f: Vec<&str> = after.split_whitespace().collect();
    f.get(12).and_then(|x| x.parse::<f64>().ok()).unwrap_or(0.0) / 100.0
}

/// Best wall time over `runs`, printing the CPU time of that best run too.
fn best<T>(runs: usize, mut f: impl FnMut() -> T) -> Duration {
    let mut best = (Duration::MAX, 0.0, 0.0);
    for _ in 0..runs {
        let (c, sy) = (cpu_seconds(), sys_seconds());
        let t = Instant::now();
        let out = f();
        let wall = t.elapsed();
        if wall < best.0 {
            best = (wall, cpu_seconds() - c, sys_seconds() - sy);
        }
        drop(std::hint::black_box(out));
    }
    eprint!("[cpu {:.2}s sys {:.2}s] ", best.1, best.2);
    best.0
}

fn rss_mb() -> f64 {
    let st = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    st.lines()
        .find(|l| l.starts_with("VmRSS:"))
        .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        .unwrap_or(0.0)
        / 1024.0
}

fn main() {
    if std::env::var_os("SYSTEM_ALLOC").is_none() {
        // SAFETY: no tree-sitter object exists yet (as in the binary's main).
        unsafe { devops_intel::syntax::use_mimalloc_for_trees() };
    }
    let root = std::path::PathBuf::from(std::env::args().nth(1).expect("corpus dir"));
    let runs: usize = std::env::args()
        .nth(2)
        .and_then(|s| s.parse().ok())
        .unwrap_or(3);
    let config = devops_intel::config::Config::default();
    let paths = devops_intel::index::discover(std::slice::from_ref(&root), &config);
    let texts: Vec<String> = paths
        .iter()
        .map(|p| std::fs::read_to_string(p).unwrap_or_default())
        .collect();
    let settings = devops_intel::rules::RuleSettings::default();
    let parse = |s: &String| devops_intel::syntax::parse(s, None).map(|t| t.root_node().end_byte());
    let extract = |s: &String| {
        let t = devops_intel::syntax::parse(s, None).expect("parse");
        devops_intel::index::extract::extract(s, &t).calls.len()
    };
    let analyze = |(p, s): (&std::path::PathBuf, &String)| {
        devops_intel::index::analyze(p, s, &settings).findings.len()
    };
    if std::env::var("PHASES_PROFILE").is_ok_and(|v| v == "parse") {
        let n: usize = texts.iter().filter_map(parse).sum();
        println!("parse pass: {n} bytes");
        return;
    }
    if std::env::var_os("PHASES_CHECK_WALK").is_some() {
        // The pruned walk against a walk over every node, on the corpus.
        let differ: Vec<_> = paths
            .par_iter()
            .zip(&texts)
            .filter(|(_, s)| {
                let t = devops_intel::syntax::parse(s, None).expect("parse");
                let pruned = format!("{:?}", devops_intel::index::extract::extract(s, &t));
                pruned
                    != format!(
                        "{:?}",
                        devops_intel::index::extract::extract_unpruned(s, &t)
                    )
            })
            .map(|(p, _)| p.display().to_string())
            .collect();
        println!(
            "pruned walk differs on {} of {} files {differ:?}",
            differ.len(),
            paths.len()
        );
        return;
    }
    if std::env::var_os("PHASES_PROFILE").is_some() {
        // One single-threaded analysis pass, for callgrind.
        let n: usize = paths.iter().zip(&texts).map(analyze).sum();
        println!("profile pass: {n} findings");
        return;
    }
    if std::env::var_os("PHASES_INDEX").is_some() {
        // Only the parallel index, repeated: for `perf record -e cpu-clock`.
        for _ in 0..runs {
            let t = Instant::now();
            let ws = devops_intel::index::Workspace::new();
            ws.index(&paths, &config);
            let took = t.elapsed();
            let before = rss_mb();
            devops_intel::syntax::release_tree_memory();
            println!(
                "indexed {} in {took:?} rss {before:.0} MB, {:.0} MB after release",
                ws.len(),
                rss_mb()
            );
        }
        return;
    }
    let p1 = best(runs, || texts.iter().filter_map(parse).sum::<usize>());
    let e1 = best(runs, || texts.iter().map(extract).sum::<usize>());
    let a1 = best(runs, || {
        paths.iter().zip(&texts).map(analyze).sum::<usize>()
    });
    println!(
        "1 thread : parse {p1:?}  +extract {e1:?}  +rules {a1:?}  ratio {:.2}",
        a1.as_secs_f64() / p1.as_secs_f64()
    );
    let pn = best(runs, || texts.par_iter().filter_map(parse).sum::<usize>());
    let en = best(runs, || texts.par_iter().map(extract).sum::<usize>());
    let an = best(runs, || {
        paths.par_iter().zip(&texts).map(analyze).sum::<usize>()
    });
    println!(
        "{} threads: parse {pn:?}  +extract {en:?}  +rules {an:?}  ratio {:.2}",
        rayon::current_num_threads(),
        an.as_secs_f64() / pn.as_secs_f64()
    );
    let keep = best(runs, || {
        let v: Vec<_> = paths
            .par_iter()
            .zip(&texts)
            .map(|(p, s)| devops_intel::index::analyze(p, s, &settings))
            .collect();
        v
    });
    let reads = best(runs, || {
        paths
            .par_iter()
            .map(|p| {
                devops_intel::index::read_source(p, u64::MAX)
                    .map(|s| s.text.len())
                    .unwrap_or(0)
            })
            .sum::<usize>()
    });
    println!("analyze keeping summaries {keep:?}; reading files {reads:?}");
    let disc = best(runs, || {
        devops_intel::index::discover(std::slice::from_ref(&root), &config).len()
    });
    let idx = best(runs, || {
        let ws = devops_intel::index::Workspace::new();
        ws.index(&paths, &config);
        ws.len()
    });
    let t = Instant::now();
    let ws = devops_intel::index::Workspace::new();
    ws.index(&paths, &config);
    let built = t.elapsed();
    let t = Instant::now();
    drop(ws);
    println!("index once {built:?}, dropping it {:?}", t.elapsed());
    println!("discover {disc:?}  Workspace::index (read+analyze+insert) {idx:?}  ratio incl. discover {:.2}", (disc + idx).as_secs_f64() / pn.as_secs_f64());
}
