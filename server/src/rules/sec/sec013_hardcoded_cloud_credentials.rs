use crate::index::last_segment;
use crate::index::Value;
use crate::rules::{Category, Checker, RuleMeta, Severity};
use crate::text::TextRange;
use regex::Regex;
use std::sync::OnceLock;

pub static RULE: RuleMeta = RuleMeta {
    id: "SEC013",
    name: "hardcoded-cloud-credentials",
    category: Category::Security,
    severity: Severity::Critical,
    summary: "AWS access key id or secret access key written in the code",
    peers: &["CKV_SECRET_2", "semgrep:detected-aws-access-key-id-value"],
    fixable: false,
    check,
    docs: r#"
## What it does
Flags AWS access key ids (`AKIA…`, `ASIA…`, `ABIA…`, `ACCA…`, `A3T…` followed
by 16 base-32 characters) inside string literals, and 40-character secret access
keys assigned to, passed as, or used as a dict key named
`aws_secret_access_key` / `secret_access_key`. AWS's documented example keys
(containing `EXAMPLE`) and placeholders are not flagged.

## Why is this bad?
A key in the source ends up in git history, CI logs, wheels and container
images. Leaked keys are found by scanners within minutes of a push.

## Example
```python
s3 = boto3.client("s3", aws_access_key_id="AKIA2E0A8F3B244C9986",
                  aws_secret_access_key="wJalrXUtnFEMI/K7MDENG/bPxRfiCY0123456789")
```

Use instead:
```python
s3 = boto3.client("s3")  # credentials from the environment, profile or role
```

## How to fix
Remove the key, rotate it in IAM (it is compromised once committed), and let
boto3 find credentials through its chain: environment, profile, SSO, or the
instance/task role.
"#,
};

fn key_id_regex() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"\b(?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}\b").expect("valid regex")
    })
}

const SECRET_NAMES: &[&str] = &[
    "aws_secret_access_key",
    "secret_access_key",
    "awssecretaccesskey",
];

fn looks_like_secret_key(s: &str) -> bool {
    s.len() == 40
        && !s.contains("EXAMPLE")
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'/' || b == b'+' || b == b'=')
        && s.bytes().any(|b| b.is_ascii_digit())
}

pub fn is_aws_secret_name(name: &str) -> bool {
    let last = last_segment(name);
    SECRET_NAMES.iter().any(|n| n.eq_ignore_ascii_case(last))
}

fn check(cx: &mut Checker) {
    let root = cx.tree.root_node();
    for m in key_id_regex().find_iter(cx.src) {
        if m.as_str().contains("EXAMPLE") {
            continue;
        }
        let in_string = root
            .descendant_for_byte_range(m.start(), m.end())
            .is_some_and(|n| matches!(n.kind(), "string_content" | "string"));
        if in_string {
            cx.report(
                TextRange::new(m.start(), m.end()),
                format!("AWS access key id `{}…` is hard-coded", &m.as_str()[..8]),
            );
        }
    }
    let mut hits: Vec<(TextRange, String)> = Vec::new();
    let secret = |v: &Value| v.as_str().is_some_and(looks_like_secret_key);
    for a in &cx.ex.assignments {
        if secret(&a.value) && is_aws_secret_name(&a.target) {
            hits.push((a.value_range, format!("`{}`", a.target)));
        }
    }
    for call in cx.calls() {
        for arg in &call.args {
            if let Some(kw) = &arg.keyword {
                if secret(&arg.value) && is_aws_secret_name(kw) {
                    hits.push((arg.range, format!("argument `{kw}` of `{}`", call.callee)));
                }
            }
        }
    }
    for p in &cx.ex.pairs {
        if secret(&p.value) && is_aws_secret_name(&p.key) {
            hits.push((p.value_range, format!("key `{}`", p.key)));
        }
    }
    for (range, what) in hits {
        cx.report(range, format!("AWS secret access key hard-coded in {what}"));
    }
}
