//! Suppression comments: native, bandit `# nosec` and ruff `# noqa` codes.

use devops_intel::index::analyze;
use devops_intel::rules::RuleSettings;
use std::path::Path;

fn rules_flagged(src: &str) -> Vec<(&'static str, u32)> {
    let s = analyze(Path::new("t.py"), src, &RuleSettings::default());
    s.findings
        .iter()
        .map(|f| (f.rule, s.line_index.line_of(f.range.start) + 1))
        .collect()
}

#[test]
fn each_comment_form_silences_what_it_names() {
    let src = r#"import subprocess, requests, yaml
def f(cmd, url, text):
    subprocess.run(cmd, shell=True, check=True)  # devops-intel: ignore[SEC001]
    subprocess.run(cmd, shell=True, check=True)  # nosec
    subprocess.run(cmd, shell=True, check=True)  # nosec B602
    subprocess.run(cmd, shell=True, check=True)  # noqa: S602
    subprocess.run(cmd, shell=True, check=True)  # noqa
    subprocess.run(cmd, shell=True, check=True)  # nosec B506
    requests.get(url)  # noqa: S113
    requests.get(url)  # nosec
    subprocess.run(["ls"])  # noqa: PLW1510
    yaml.load(text)  # devops-intel: ignore
    subprocess.run(  # devops-intel: ignore[REL002]
        ["make"],
    )
    subprocess.run(
        ["make"],
    )  # devops-intel: ignore[REL002]
"#;
    assert_eq!(
        rules_flagged(src),
        vec![
            ("SEC001", 7),  // bare noqa is not honoured
            ("SEC001", 8),  // nosec for another bandit test
            ("REL001", 10), // nosec covers SEC rules only
        ]
    );
}

#[test]
fn used_and_unused_suppressions_are_recorded() {
    let src = "import requests\nrequests.get(u)  # devops-intel: ignore[REL001]\nx = 1  # devops-intel: ignore[SEC001]\n";
    let s = analyze(Path::new("t.py"), src, &RuleSettings::default());
    let used: Vec<bool> = s.suppressions.iter().map(|x| x.used).collect();
    assert_eq!(used, vec![true, false]);
    assert!(s.findings.is_empty());
}
