//! Explain: hover Markdown and plain text for fixture functions covering every
//! effect kind (insta snapshots), call-site resolution across files, caller
//! counts, and the "Generate docstring" edit (parses, idempotent).

use devops_intel::explain::{
    self, docstring::docstring_edit, render_markdown, render_plain, SummariesOnly, Target,
};
use devops_intel::index::{analyze, DefKind, EffectKind, FileSummary};
use devops_intel::rules::RuleSettings;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("resources/test/fixtures/explain")
}

fn load(name: &str) -> (Arc<FileSummary>, String) {
    let path = dir().join(name);
    let text = std::fs::read_to_string(&path).expect("fixture readable");
    (
        Arc::new(analyze(&path, &text, &RuleSettings::default())),
        text,
    )
}

fn workspace() -> (Vec<Arc<FileSummary>>, String, String) {
    let (effects, effects_text) = load("effects.py");
    let (other, other_text) = load("other.py");
    (vec![effects, other], effects_text, other_text)
}

fn explain_def(
    all: &[Arc<FileSummary>],
    file: usize,
    def: usize,
    text: &str,
) -> explain::Explanation {
    let t = Target {
        file: all[file].clone(),
        def: def as u32,
    };
    explain::explain(&t, all, Some(text), Some(&dir()), &SummariesOnly).expect("explanation")
}

#[test]
fn fixture_covers_every_effect_kind() {
    let (all, _, _) = workspace();
    let kinds: BTreeSet<EffectKind> = all[0].effects.iter().map(|e| e.kind).collect();
    let every = [
        EffectKind::EnvRead,
        EffectKind::Subprocess,
        EffectKind::Network,
        EffectKind::FileRead,
        EffectKind::FileWrite,
        EffectKind::CloudClient,
        EffectKind::CloudCall,
    ];
    for k in every {
        assert!(
            kinds.contains(&k),
            "effects.py has no {k:?} effect: {kinds:?}"
        );
    }
}

#[test]
fn hover_markdown_for_every_definition() {
    let (all, text, _) = workspace();
    let mut out = String::new();
    for (i, d) in all[0].defs.iter().enumerate() {
        let x = explain_def(&all, 0, i, &text);
        out.push_str(&format!("===== {} ({:?})\n", d.qualname, d.kind));
        out.push_str(&render_markdown(&x));
    }
    insta::assert_snapshot!("hover_markdown", out);
}

#[test]
fn hover_plain_text_for_every_definition() {
    let (all, text, _) = workspace();
    let mut out = String::new();
    for (i, d) in all[0].defs.iter().enumerate() {
        let x = explain_def(&all, 0, i, &text);
        out.push_str(&format!("===== {}\n", d.qualname));
        let plain = render_plain(&x);
        assert!(!plain.contains("**") && !plain.contains("```"), "{plain}");
        out.push_str(&plain);
    }
    insta::assert_snapshot!("hover_plain", out);
}

#[test]
fn explain_json_has_the_grouped_facts() {
    let (all, text, _) = workspace();
    let i = all[0]
        .defs
        .iter()
        .position(|d| d.name == "upload_artifact")
        .unwrap();
    let x = explain_def(&all, 0, i, &text);
    let v = serde_json::to_value(&x).unwrap();
    assert_eq!(
        v["signature"],
        "def upload_artifact(bucket: str, path: str) -> str"
    );
    assert_eq!(v["intentSource"], "derived");
    assert_eq!(v["effects"]["cloud"][0]["service"], "s3");
    assert_eq!(v["effects"]["cloud"][0]["operations"][0], "upload_file");
    assert_eq!(v["effects"]["cloud"][0]["clients"], 1);
    assert_eq!(v["raises"][0], "FileNotFoundError");
    assert_eq!(v["calls"]["callers"], 1, "{v}");
}

fn hover_at(all: &[Arc<FileSummary>], text: &str, needle: &str) -> Option<(String, String)> {
    let off = text.find(needle).expect("needle in other.py") + needle.len() - 1;
    let (t, _) = explain::target_at(&all[1], off as u32, all)?;
    let d = t.def()?;
    Some((
        t.file.path.file_name()?.to_string_lossy().into_owned(),
        d.qualname.to_string(),
    ))
}

#[test]
fn call_sites_resolve_through_imports_and_aliases() {
    let (all, _, other) = workspace();
    let want = |f: &str, q: &str| Some((f.to_string(), q.to_string()));
    // right after the name (where editors put the cursor) still counts
    assert_eq!(
        hover_at(&all, &other, "do_release("),
        want("effects.py", "release")
    );
    assert_eq!(
        hover_at(&all, &other, "    do_release"),
        want("effects.py", "release")
    );
    assert_eq!(
        hover_at(&all, &other, "fx.notify_slack"),
        want("effects.py", "notify_slack")
    );
    assert_eq!(
        hover_at(&all, &other, ").rollout"),
        want("effects.py", "Deployer.rollout")
    );
    assert_eq!(
        hover_at(&all, &other, "    Deployer"),
        want("effects.py", "Deployer")
    );
    assert_eq!(hover_at(&all, &other, "def main"), want("other.py", "main"));
    // a call of a library function is not a workspace definition
    assert_eq!(hover_at(&all, &other, "fx"), None);
}

#[test]
fn callers_and_callees_are_counted_across_files() {
    let (all, text, _) = workspace();
    let count = |name: &str| {
        let i = all[0].defs.iter().position(|d| d.qualname == name).unwrap();
        explain_def(&all, 0, i, &text).calls.unwrap()
    };
    // release() is called from other.py; notify_slack from release and other.py
    assert_eq!(count("release").callers, 1);
    assert_eq!(count("notify_slack").callers, 2);
    // self.wait_ready() in rollout
    assert_eq!(count("Deployer.wait_ready").callers, 1);
    assert_eq!(count("build_image").callers, 1);
    // release calls build_image, upload_artifact, notify_slack and raises ValueError
    assert_eq!(count("release").callees, 4);
}

/// Applies every docstring edit offered for `text` (bottom-up).
fn with_docstrings(path: &Path, text: &str) -> (String, Vec<String>) {
    let s = Arc::new(analyze(path, text, &RuleSettings::default()));
    let all = vec![s.clone()];
    let mut edits = Vec::new();
    let mut names = Vec::new();
    for (i, d) in s.defs.iter().enumerate() {
        let t = Target {
            file: s.clone(),
            def: i as u32,
        };
        let x = explain::explain(&t, &all, Some(text), None, &SummariesOnly).unwrap();
        if let Some(e) = docstring_edit(&x) {
            assert!(
                d.docstring.is_none() && d.kind != DefKind::Class,
                "{}",
                d.qualname
            );
            names.push(d.qualname.to_string());
            edits.push(e);
        }
    }
    edits.sort_by_key(|e| std::cmp::Reverse(e.range.start));
    let mut out = text.to_string();
    for e in edits {
        out.replace_range(e.range.start as usize..e.range.end as usize, &e.new_text);
    }
    (out, names)
}

fn assert_parses(text: &str) {
    let tree = devops_intel::syntax::parse(text, None).expect("parse");
    assert!(
        !tree.root_node().has_error(),
        "generated code has syntax errors:\n{text}"
    );
}

#[test]
fn generated_docstrings_parse_and_are_idempotent() {
    let (_, text) = load("effects.py");
    let path = dir().join("effects.py");
    let (once, names) = with_docstrings(&path, &text);
    assert!(names.contains(&"build_image".to_string()), "{names:?}");
    assert!(
        !names.contains(&"release".to_string()),
        "release has a docstring"
    );
    assert!(names.contains(&"Deployer.rollout".to_string()), "{names:?}");
    assert_parses(&once);
    // every function now has a docstring, and none is offered again
    let s = analyze(&path, &once, &RuleSettings::default());
    for d in s.defs.iter().filter(|d| d.kind != DefKind::Class) {
        assert!(
            d.docstring.is_some(),
            "{} has no docstring:\n{once}",
            d.qualname
        );
    }
    let (twice, again) = with_docstrings(&path, &once);
    assert!(again.is_empty(), "offered again for {again:?}");
    assert_eq!(once, twice);
    insta::assert_snapshot!("docstrings_applied", once);
}

#[test]
fn docstring_escapes_and_skips_empty_string_docstrings() {
    let path = Path::new("/ws/t.py");
    let text = "def run_cmd():\n    os.system(\"echo \\\\\\\"\\\"\\\"hi\")\n\n\ndef f():\n    \"\"\"\"\"\"\n    return 1\n\n\ndef g(): return 2\n";
    let (out, names) = with_docstrings(path, text);
    assert_eq!(names, vec!["run_cmd"], "{out}");
    assert_parses(&out);
}

#[test]
fn derived_intent_uses_what_the_callees_do() {
    let (all, _, other) = workspace();
    let i = all[1].defs.iter().position(|d| d.name == "main").unwrap();
    let x = explain_def(&all, 1, i, &other);
    assert_eq!(
        x.intent,
        "Entry point: sends POST to `hooks.slack.com` and runs `kubectl`"
    );
    let via: Vec<&str> = x.via.iter().map(|v| v.qualname.as_str()).collect();
    assert_eq!(via, vec!["notify_slack", "Deployer.rollout", "Deployer"]);
}
