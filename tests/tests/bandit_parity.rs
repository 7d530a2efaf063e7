//! Bandit parity: bandit 1.9.4's own `examples/` are the corpus and bandit
//! itself gives the answer key (file, line, test id). Each of our rules whose
//! `peers` name bandit ids is compared line by line; the test fails if a rule
//! is below 90% recall or 85% precision, except for the deliberate
//! differences listed (with their reasons) in `tests/parity/bandit-deviations.toml`:
//! single lines, or a whole rule's recall (precision is always enforced).
//!
//! Needs `bandit` (python3 -m bandit) and the unpacked sdist in
//! `<target>/parity/bandit-1.9.4/`, both installed by `.ci/setup.d/20-bandit.sh`;
//! the sdist is downloaded here with pip if missing. Fails loudly otherwise.

use devops_intel::rules::RULES;
use devops_intel_e2e::*;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

const BANDIT_VERSION: &str = "1.9.4";
const MIN_RECALL: f64 = 0.90;
const MIN_PRECISION: f64 = 0.85;

type Key = (String, u32);

fn corpus() -> PathBuf {
    let dest = target_dir().join("parity");
    let root = dest.join(format!("bandit-{BANDIT_VERSION}"));
    if root.join("examples").is_dir() {
        return root;
    }
    std::fs::create_dir_all(&dest).expect("create target/parity");
    let status = Command::new("python3")
        .args([
            "-m",
            "pip",
            "download",
            "--quiet",
            "--no-deps",
            "--no-binary",
            ":all:",
        ])
        .arg(format!("bandit=={BANDIT_VERSION}"))
        .arg("-d")
        .arg(&dest)
        .status()
        .expect("python3 is required to download the bandit sdist (run .ci/setup.d/20-bandit.sh)");
    assert!(
        status.success(),
        "pip download of the bandit {BANDIT_VERSION} sdist failed"
    );
    let status = Command::new("tar")
        .arg("-xzf")
        .arg(dest.join(format!("bandit-{BANDIT_VERSION}.tar.gz")))
        .arg("-C")
        .arg(&dest)
        .status()
        .expect("tar is required to unpack the bandit sdist");
    assert!(status.success(), "unpacking the bandit sdist failed");
    assert!(
        root.join("examples").is_dir(),
        "no examples/ in {}",
        root.display()
    );
    root
}

/// bandit's findings: test id -> {(file, line)}.
fn bandit_key(root: &Path) -> BTreeMap<String, BTreeSet<Key>> {
    let out = Command::new("python3")
        .args(["-m", "bandit", "--version"])
        .output()
        .expect("python3 is required to run bandit");
    let version = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && version.contains(BANDIT_VERSION),
        "bandit {BANDIT_VERSION} is required (run .ci/setup.d/20-bandit.sh); got: {version}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = Command::new("python3")
        .args(["-m", "bandit", "-r", "examples", "-f", "json", "-q"])
        .current_dir(root)
        .output()
        .expect("run bandit");
    let v: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "bandit output is not JSON ({e}): {}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    let mut key: BTreeMap<String, BTreeSet<Key>> = BTreeMap::new();
    for r in v["results"].as_array().expect("bandit results") {
        let file = r["filename"]
            .as_str()
            .expect("filename")
            .trim_start_matches("./")
            .to_string();
        let line = r["line_number"].as_u64().expect("line_number") as u32;
        let id = r["test_id"].as_str().expect("test_id").to_string();
        key.entry(id).or_default().insert((file, line));
    }
    key
}

/// Our findings: rule id -> {(file, line)}.
fn our_findings(root: &Path) -> BTreeMap<String, BTreeSet<Key>> {
    let out = run_cli(&["check", "examples", "--format", "json"], root);
    assert!(matches!(out.code(), Some(0 | 1)), "check failed: {out:?}");
    let v: Value = serde_json::from_str(&out.stdout).expect("check --format json");
    let mut ours: BTreeMap<String, BTreeSet<Key>> = BTreeMap::new();
    for f in v.as_array().expect("array") {
        let rule = f["rule"].as_str().expect("rule").to_string();
        let path = f["path"].as_str().expect("path").to_string();
        let line = f["line"].as_u64().expect("line") as u32;
        ours.entry(rule).or_default().insert((path, line));
    }
    ours
}

#[derive(Default)]
struct Deviations {
    /// Rules exempt from the thresholds, with the reason.
    rules: BTreeMap<String, String>,
    /// (rule, file, line) bandit flags and we deliberately do not.
    missed: BTreeSet<(String, String, u32)>,
    /// (rule, file, line) we flag and bandit deliberately does not.
    extra: BTreeSet<(String, String, u32)>,
}

fn deviations() -> Deviations {
    let path = workspace_root().join("tests/parity/bandit-deviations.toml");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let doc: toml::Table = text
        .parse()
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut d = Deviations::default();
    let str_of = |t: &toml::Table, k: &str| -> String {
        t.get(k)
            .and_then(|v| v.as_str())
            .unwrap_or_else(|| panic!("{}: entry without `{k}`: {t:?}", path.display()))
            .to_string()
    };
    for r in doc
        .get("rule")
        .and_then(|v| v.as_array())
        .into_iter()
        .flatten()
    {
        let t = r.as_table().expect("[[rule]] table");
        let reason = str_of(t, "reason");
        assert!(reason.len() > 20, "deviation for {t:?} needs a real reason");
        d.rules.insert(str_of(t, "id"), reason);
    }
    for l in doc
        .get("line")
        .and_then(|v| v.as_array())
        .into_iter()
        .flatten()
    {
        let t = l.as_table().expect("[[line]] table");
        let reason = str_of(t, "reason");
        assert!(reason.len() > 20, "deviation for {t:?} needs a real reason");
        let line = t.get("line").and_then(|v| v.as_integer()).expect("line") as u32;
        let entry = (str_of(t, "rule"), str_of(t, "file"), line);
        match str_of(t, "kind").as_str() {
            "missed" => d.missed.insert(entry),
            "extra" => d.extra.insert(entry),
            other => panic!("kind must be `missed` or `extra`, got {other}"),
        };
    }
    d
}

#[test]
fn bandit_parity_per_rule() {
    let root = corpus();
    let key = bandit_key(&root);
    let ours = our_findings(&root);
    let dev = deviations();
    let mut table = String::from(
        "| rule | bandit | bandit lines | our lines | matched | recall | precision | status |\n|---|---|---|---|---|---|---|---|\n",
    );
    let mut failures = Vec::new();
    let mut stale = Vec::new();
    for rule in RULES.iter() {
        let bandit_ids: Vec<&str> = rule
            .peers
            .iter()
            .copied()
            .filter(|p| p.starts_with('B') && p[1..].chars().all(|c| c.is_ascii_digit()))
            .collect();
        if bandit_ids.is_empty() {
            continue;
        }
        let id = rule.id.to_string();
        let mut expected: BTreeSet<Key> = BTreeSet::new();
        for b in &bandit_ids {
            expected.extend(key.get(*b).cloned().unwrap_or_default());
        }
        let found = ours.get(&id).cloned().unwrap_or_default();
        // Listed deviations must still be real, or the list goes stale.
        for (r, f, l) in dev.missed.iter().filter(|(r, _, _)| *r == id) {
            if !expected.contains(&(f.clone(), *l)) || found.contains(&(f.clone(), *l)) {
                stale.push(format!("{r} missed {f}:{l} is not a miss any more"));
            }
        }
        for (r, f, l) in dev.extra.iter().filter(|(r, _, _)| *r == id) {
            if expected.contains(&(f.clone(), *l)) || !found.contains(&(f.clone(), *l)) {
                stale.push(format!(
                    "{r} extra {f}:{l} is not an extra finding any more"
                ));
            }
        }
        let key_lines: BTreeSet<Key> = expected
            .iter()
            .filter(|(f, l)| !dev.missed.contains(&(id.clone(), f.clone(), *l)))
            .cloned()
            .collect();
        let our_lines: BTreeSet<Key> = found
            .iter()
            .filter(|(f, l)| !dev.extra.contains(&(id.clone(), f.clone(), *l)))
            .cloned()
            .collect();
        let matched = key_lines.intersection(&our_lines).count();
        let recall = if key_lines.is_empty() {
            1.0
        } else {
            matched as f64 / key_lines.len() as f64
        };
        let precision = if our_lines.is_empty() {
            1.0
        } else {
            matched as f64 / our_lines.len() as f64
        };
        let listed = dev
            .missed
            .iter()
            .chain(&dev.extra)
            .filter(|(r, _, _)| *r == id)
            .count();
        let below_recall = recall < MIN_RECALL && !dev.rules.contains_key(&id);
        let status = if precision < MIN_PRECISION || below_recall {
            failures.push(format!(
                "{id}: recall {:.0}% precision {:.0}%\n  missed: {:?}\n  extra: {:?}",
                recall * 100.0,
                precision * 100.0,
                key_lines.difference(&our_lines).collect::<Vec<_>>(),
                our_lines.difference(&key_lines).collect::<Vec<_>>()
            ));
            "FAIL".to_string()
        } else if let Some(reason) = dev.rules.get(&id) {
            format!("recall exempt: {reason}")
        } else if listed > 0 {
            format!("ok ({listed} listed line deviations)")
        } else {
            "ok".to_string()
        };
        table.push_str(&format!(
            "| {id} | {} | {} | {} | {matched} | {:.0}% | {:.0}% | {status} |\n",
            bandit_ids.join(", "),
            expected.len(),
            found.len(),
            recall * 100.0,
            precision * 100.0,
        ));
    }
    println!("{table}");
    let report = target_dir().join("parity/bandit-parity.md");
    std::fs::write(&report, &table).expect("write parity report");
    assert!(stale.is_empty(), "stale deviations:\n{}", stale.join("\n"));
    assert!(
        failures.is_empty(),
        "below the parity thresholds:\n{}\n\n{table}",
        failures.join("\n")
    );
}
