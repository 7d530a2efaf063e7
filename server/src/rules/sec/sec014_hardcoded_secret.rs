use crate::index::Value;
use crate::rules::helpers::{is_placeholder, is_secret_name};
use crate::rules::{Category, Checker, RuleMeta, Severity};
use crate::text::TextRange;

pub static RULE: RuleMeta = RuleMeta {
    id: "SEC014",
    name: "hardcoded-secret",
    category: Category::Security,
    severity: Severity::High,
    summary: "Password, token or API key written as a string literal",
    peers: &["B105", "B106", "B107", "S105", "S106", "S107"],
    fixable: false,
    check,
    docs: r#"
## What it does
Flags non-empty string literals assigned to, passed as, defaulted for,
stored under or compared with a secret-looking name: `password`, `passwd`,
`pwd`, `passphrase`, `token`, `secret`, `api_key`, `private_key`,
`client_secret`… alone or as a `_`-separated part (`db_password`,
`GITHUB_TOKEN`). Names that describe something else (`token_url`,
`password_file`, `secret_name`, `api_key_header`) and placeholders (`""`,
`"***"`, `"${DB_PASSWORD}"`, `"<token>"`) are not flagged. AWS secret access
keys are left to SEC013.

## Why is this bad?
A secret in the source is in every clone, fork, wheel, container image and
CI log of the repository, and it cannot be rotated without a code change.

## Example
```python
def connect():
    return psycopg.connect(host=DB_HOST, user="deploy", password="s3cr3t-pr0d")
```

Use instead:
```python
def connect():
    return psycopg.connect(host=DB_HOST, user="deploy", password=os.environ["DB_PASSWORD"])
```

## How to fix
Read secrets from the environment, a secrets manager (AWS Secrets Manager,
Vault, SOPS) or a file outside the repository, and rotate the one that was
committed.
"#,
};

fn literal(v: &Value) -> Option<&str> {
    v.as_str().filter(|s| !is_placeholder(s))
}

/// The value is written as a string literal here (not a name bound to one:
/// that name's own assignment is the finding).
fn written_literal(text: &str) -> bool {
    let t = text
        .trim_start()
        .trim_start_matches(['r', 'R', 'b', 'B', 'u', 'U']);
    t.starts_with(['"', '\''])
}

fn flagged_name(name: &str) -> bool {
    is_secret_name(name) && !super::sec013_hardcoded_cloud_credentials::is_aws_secret_name(name)
}

fn check(cx: &mut Checker) {
    let mut hits: Vec<(TextRange, String)> = Vec::new();
    for a in &cx.ex.assignments {
        // cheapest test first: most assignments are not of strings
        if a.value.as_str().is_some()
            && flagged_name(&a.target)
            && literal(&a.value).is_some()
            && written_literal(cx.text(a.value_range))
        {
            hits.push((
                a.range,
                format!("`{}` is assigned a hard-coded secret", a.target),
            ));
        }
    }
    for k in &cx.structure().keyed_assignments {
        if flagged_name(&k.key) && !is_placeholder(&k.literal) {
            hits.push((
                k.range,
                format!("`[\"{}\"]` is assigned a hard-coded secret", k.key),
            ));
        }
    }
    for call in cx.calls() {
        for arg in &call.args {
            let Some(kw) = &arg.keyword else { continue };
            if arg.value.as_str().is_none() || !flagged_name(kw) || literal(&arg.value).is_none() {
                continue;
            }
            let value_text = arg
                .range
                .slice(cx.src)
                .split_once('=')
                .map_or("", |(_, v)| v);
            if written_literal(value_text) {
                hits.push((
                    arg.range,
                    format!("`{}` receives a hard-coded `{kw}`", call.callee),
                ));
            }
        }
    }
    for p in &cx.ex.pairs {
        if p.value.as_str().is_some()
            && flagged_name(&p.key)
            && literal(&p.value).is_some()
            && written_literal(cx.text(p.value_range))
        {
            hits.push((
                p.range,
                format!("dict key `{}` holds a hard-coded secret", p.key),
            ));
        }
    }
    for c in &cx.structure().comparisons {
        if flagged_name(&c.operand) && !is_placeholder(&c.literal) {
            hits.push((
                c.range,
                format!("`{}` is compared with a hard-coded secret", c.operand),
            ));
        }
    }
    for d in &cx.ex.defs {
        for p in &d.params {
            let Some(default) = p.default.as_deref() else {
                continue;
            };
            let quoted = default.len() >= 2
                && (default.starts_with('"') || default.starts_with('\''))
                && default.ends_with(&default[..1]);
            if quoted && flagged_name(&p.name) && !is_placeholder(&default[1..default.len() - 1]) {
                hits.push((
                    d.name_range,
                    format!(
                        "parameter `{}` of `{}` defaults to a hard-coded secret",
                        p.name, d.name
                    ),
                ));
            }
        }
    }
    for (range, message) in hits {
        cx.report(range, message);
    }
}
