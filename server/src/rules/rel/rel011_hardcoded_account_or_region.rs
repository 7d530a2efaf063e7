use crate::index::last_segment;
use crate::rules::helpers::{node_range, string_node_at};
use crate::rules::{Category, Checker, RuleMeta, Severity};
use crate::text::TextRange;
use regex::Regex;
use std::sync::OnceLock;

pub static RULE: RuleMeta = RuleMeta {
    id: "REL011",
    name: "hardcoded-account-or-region",
    category: Category::Reliability,
    severity: Severity::Low,
    summary: "AWS account id or region written into a call or ARN",
    peers: &["semgrep:detected-aws-account-id"],
    fixable: false,
    check,
    docs: r#"
## What it does
Flags 12-digit AWS account ids inside ARN literals
(`arn:aws:iam::493817265011:role/deploy`), 12-digit strings passed as or
assigned to an `account`/`owner` name, and region literals
(`"eu-west-1"`) passed directly as `region_name=` / `region=`. AWS's
documentation placeholders (`123456789012`, `000000000000`,
`111111111111`) are not flagged; neither are named constants
(`region_name=DEFAULT_REGION`) or defaults of an environment lookup
(`os.environ.get("AWS_REGION", "us-east-1")`).

## Why is this bad?
The script only works in one account and one region: running it against
staging, a new region or a disaster-recovery account silently touches
production instead, or fails with access errors far from the cause.

## Example
```python
s3 = boto3.client("s3", region_name="eu-west-1")
role = "arn:aws:iam::493817265011:role/deployer"
```

Use instead:
```python
s3 = boto3.client("s3")  # region from AWS_REGION / the profile
account = boto3.client("sts").get_caller_identity()["Account"]
role = f"arn:aws:iam::{account}:role/deployer"
```

## How to fix
Take the region from the environment or profile, the account from
`sts.get_caller_identity()`, or pass both as configuration.
"#,
};

const PLACEHOLDERS: &[&str] = &[
    "123456789012",
    "000000000000",
    "111111111111",
    "999999999999",
];

fn arn_regex() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"arn:aws[a-z-]*:[a-z0-9-]*:[a-z0-9-]*:(\d{12}):").expect("valid regex")
    })
}

fn region_regex() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"^(us|eu|ap|sa|ca|me|af|il|mx|cn|us-gov|us-iso)-(north|south|east|west|central|northeast|northwest|southeast|southwest)-\d$")
            .expect("valid regex")
    })
}

fn account_like(name: &str) -> bool {
    let n = last_segment(name).to_ascii_lowercase();
    n.contains("account") || n.contains("owner")
}

fn is_account_id(s: &str) -> bool {
    s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit()) && !PLACEHOLDERS.contains(&s)
}

fn check(cx: &mut Checker) {
    let mut hits: Vec<(TextRange, String)> = Vec::new();
    for m in arn_regex().captures_iter(cx.src) {
        let Some(id) = m.get(1) else { continue };
        if PLACEHOLDERS.contains(&id.as_str()) {
            continue;
        }
        if let Some(s) = string_node_at(cx.tree, id.start(), id.end()) {
            hits.push((
                node_range(s),
                format!("ARN hard-codes AWS account {}", id.as_str()),
            ));
        }
    }
    for call in cx.calls() {
        for arg in &call.args {
            let Some(kw) = arg.keyword.as_deref() else {
                continue;
            };
            let Some(v) = arg.value.as_str() else {
                continue;
            };
            let region = matches!(kw, "region_name" | "region");
            if !region && !is_account_id(v) {
                continue;
            }
            let literal = arg
                .range
                .slice(cx.src)
                .split_once('=')
                .is_some_and(|(_, r)| r.trim_start().starts_with(['"', '\'']));
            if !literal {
                continue;
            }
            if region && region_regex().is_match(v) {
                hits.push((
                    arg.range,
                    format!("`{}` hard-codes region {v}", call.callee),
                ));
            } else if account_like(kw) && is_account_id(v) {
                hits.push((
                    arg.range,
                    format!("`{}` hard-codes AWS account {v}", call.callee),
                ));
            }
        }
    }
    for a in &cx.ex.assignments {
        if a.value.as_str().is_some_and(is_account_id) && account_like(&a.target) {
            hits.push((
                a.range,
                format!("`{}` hard-codes an AWS account id", a.target),
            ));
        }
    }
    hits.sort_by_key(|h| h.0.start);
    hits.dedup_by_key(|h| h.0.start);
    for (range, message) in hits {
        cx.report(range, message);
    }
}
