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
    requests.get(url)  # nosec (REL001 has a bandit peer, B113)
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
            ("SEC001", 7), // bare noqa is not honoured
            ("SEC001", 8), // nosec for another bandit test
        ]
    );
}

#[test]
fn used_and_unused_suppressions_are_recorded() {
    let src = "import requests\ndef f(u):\n    requests.get(u)  # devops-intel: ignore[REL001]\nx = 1  # devops-intel: ignore[SEC001]\n";
    let s = analyze(Path::new("t.py"), src, &RuleSettings::default());
    let used: Vec<bool> = s.suppressions.iter().map(|x| x.used).collect();
    assert_eq!(used, vec![true, false]);
    assert!(s.findings.is_empty());
}

#[test]
fn new_rules_honour_their_mapped_peer_ids() {
    let src = r#"import os, hashlib, time, tempfile, logging
log = logging.getLogger(__name__)
password = "hunter2"  # noqa: S105
token = "abc123def"  # nosec B105
api_key = "abc123def"  # nosec B602
def run(cmd, data):
    os.system(cmd)  # nosec B605
    os.system(cmd)  # noqa: S605
    os.system(cmd)  # nosec B602
    hashlib.md5(data)  # noqa: S324
    hashlib.md5(data)  # nosec
    tempfile.mktemp()  # nosec B306
    assert data  # nosec
    assert data  # noqa: S101
    try:
        pass
    except:  # noqa: E722
        raise
    try:
        pass
    except Exception:  # nosec B110
        pass
    log.info("token %s", token)  # devops-intel: ignore[REL014]
    log.info("token %s", token)  # nosec
    exit(1)  # noqa: PLR1722
async def wait():
    time.sleep(1)  # noqa: ASYNC251
    time.sleep(1)  # nosec
"#;
    assert_eq!(
        rules_flagged(src),
        vec![
            ("SEC014", 5),  // B602 is not one of SEC014's peers (B105-B107)
            ("SEC002", 9),  // B602 is subprocess, not os.system
            ("REL014", 24), // no bandit peer: nosec does not cover it
            ("REL009", 28), // no bandit peer: nosec does not cover it
        ]
    );
}

#[test]
fn unused_nosec_and_noqa_are_reported() {
    let src = "import os\ndef f(cmd):\n    os.system(\"ls\")  # nosec B605\n    os.system(cmd)  # noqa: S605\n";
    let s = analyze(Path::new("t.py"), src, &RuleSettings::default());
    let used: Vec<bool> = s.suppressions.iter().map(|x| x.used).collect();
    // a constant command is not flagged, so the first comment silences nothing
    assert_eq!(used, vec![false, true]);
    assert!(s.findings.is_empty(), "{:?}", s.findings);
}
