//! Times each step of the per-keystroke path on one file:
//! `cargo run --release -p devops-intel --example edit_path -- FILE [EDITS]`.
//! Each edit inserts and removes a character in the middle of the file.
use devops_intel::index::OpenDocument;
use devops_intel::rules::RuleSettings;
use devops_intel::text::{ContentChange, Encoding, LineCol};
use std::time::{Duration, Instant};

fn main() {
    let path = std::path::PathBuf::from(std::env::args().nth(1).expect("file"));
    let edits: usize = std::env::args()
        .nth(2)
        .and_then(|s| s.parse().ok())
        .unwrap_or(200);
    let text = std::fs::read_to_string(&path).expect("read");
    let lines = text.lines().count() as u32;
    let settings = RuleSettings::default();
    let mut doc = OpenDocument::new(&text, 1);
    let mut cur: Vec<String> = text.lines().map(str::to_string).collect();
    let targets: Vec<u32> = (0..cur.len() as u32)
        .filter(|&l| cur[l as usize].contains("requests.get(url, timeout="))
        .collect();
    let mut t = [Duration::ZERO; 4];
    let mut worst = Duration::ZERO;
    let mut parse_t = Duration::ZERO;
    for i in 0..edits {
        // Toggle `timeout=10` <-> `timeout=None` on a `requests.get` line (as
        // the corpus benchmark does), else insert/remove `#` at a line start.
        let change = if targets.is_empty() {
            let line = (i as u32 * 37) % lines;
            ContentChange {
                range: Some((LineCol { line, col: 0 }, LineCol { line, col: 0 })),
                text: if i % 2 == 0 {
                    "#".into()
                } else {
                    String::new()
                },
            }
        } else {
            let line = targets[(i * 7) % targets.len()];
            let old = &mut cur[line as usize];
            let new = if old.contains("timeout=10") {
                old.replace("timeout=10", "timeout=None")
            } else {
                old.replace("timeout=None", "timeout=10")
            };
            let end = old.encode_utf16().count() as u32;
            *old = new.clone();
            ContentChange {
                range: Some((LineCol { line, col: 0 }, LineCol { line, col: end })),
                text: new,
            }
        };
        let t0 = Instant::now();
        doc.apply_changes(i as i32 + 2, &[change], Encoding::Utf16)
            .expect("edit");
        let t1 = Instant::now();
        let (src, old, _) = doc.snapshot();
        let t2 = Instant::now();
        let tree = devops_intel::syntax::parse(
            &src,
            if std::env::var_os("FULL").is_some() {
                None
            } else {
                old.as_ref()
            },
        );
        let tp = Instant::now();
        let summary = devops_intel::index::analyze_tree_cached(
            &path,
            &src,
            tree.as_ref(),
            &settings,
            doc.chunks
                .as_mut()
                .filter(|_| std::env::var_os("NO_CHUNKS").is_none()),
        );
        let t3 = Instant::now();
        parse_t += tp - t2;
        doc.tree = tree;
        let copy = summary.clone();
        let t4 = Instant::now();
        std::hint::black_box(copy);
        for (slot, d) in t.iter_mut().zip([t1 - t0, t2 - t1, t3 - t2, t4 - t3]) {
            *slot += d;
        }
        worst = worst.max(t4 - t0);
    }
    let n = edits as u32;
    println!("of which incremental parse {:?}", parse_t / edits as u32);
    println!(
        "{} lines: apply {:?}  snapshot {:?}  reparse+analyze {:?}  clone summary {:?}  (means); worst total {worst:?}",
        lines, t[0] / n, t[1] / n, t[2] / n, t[3] / n
    );
}
