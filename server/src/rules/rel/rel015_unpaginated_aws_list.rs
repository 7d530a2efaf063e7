use crate::rules::{Category, Checker, RuleMeta, Severity};
use crate::text::TextRange;

pub static RULE: RuleMeta = RuleMeta {
    id: "REL015",
    name: "unpaginated-aws-list",
    category: Category::Reliability,
    severity: Severity::Medium,
    summary: "boto3 `list_*` / `describe_*` call that reads only the first page",
    peers: &[],
    fixable: false,
    check,
    docs: r#"
## What it does
Flags `list_*` and `describe_*` calls on boto3 clients (any alias, with or
without the service known) when the enclosing function shows no pagination:
no `get_paginator`, no `NextToken` / `Marker` / `ContinuationToken` /
`IsTruncated` handling. Calls that ask for specific resources (a keyword
ending in `Id`, `Ids`, `Name`, `Names`, `Arn`, `Arns`, `Identifier`) or set
`MaxResults`/`MaxKeys`/`MaxItems`, and the few unpaginated operations
(`describe_regions`, `describe_availability_zones`, `list_buckets`…) are not
flagged.

## Why is this bad?
AWS returns one page (often 50–1000 items): the cleanup script deletes only
the first 1,000 objects, the audit sees only the first 100 roles, and nothing
says the result was truncated.

## Example
```python
resp = s3.list_objects_v2(Bucket=bucket, Prefix="releases/")
keys = [o["Key"] for o in resp.get("Contents", [])]
```

Use instead:
```python
pages = s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix="releases/")
keys = [o["Key"] for page in pages for o in page.get("Contents", [])]
```

## How to fix
Use `client.get_paginator("<operation>").paginate(...)`, or loop on the
`NextToken`/`Marker` the response returns.
"#,
};

const UNPAGINATED: &[&str] = &[
    "describe_regions",
    "describe_availability_zones",
    "describe_account_attributes",
    "describe_limits",
    "list_buckets",
    "describe_stack_resource",
    "describe_table",
    "describe_cluster",
    "describe_key",
    "describe_secret",
];

const TOKEN_WORDS: &[&str] = &[
    "NextToken",
    "Marker",
    "ContinuationToken",
    "IsTruncated",
    "get_paginator",
    "nextToken",
    "PaginationToken",
    "NextPageToken",
];

fn bounded(kw: &str) -> bool {
    [
        "Id",
        "Ids",
        "Name",
        "Names",
        "Arn",
        "Arns",
        "Identifier",
        "Identifiers",
        "ARN",
    ]
    .iter()
    .any(|s| kw.ends_with(s))
        || matches!(
            kw,
            "MaxResults" | "MaxKeys" | "MaxItems" | "MaxRecords" | "Limit"
        )
}

fn check(cx: &mut Checker) {
    let mut hits = Vec::new();
    for call in cx.calls() {
        let q = call.qualified.as_str();
        let Some(op) = q
            .strip_prefix("boto3.client.")
            .or_else(|| q.strip_prefix("boto3.Session.client."))
            .or_else(|| q.strip_prefix("boto3.session.Session.client."))
        else {
            continue;
        };
        if op.contains('.')
            || !(op.starts_with("list_") || op.starts_with("describe_"))
            || UNPAGINATED.contains(&op)
        {
            continue;
        }
        if call.has_star_kwargs
            || call
                .args
                .iter()
                .any(|a| a.keyword.as_deref().is_some_and(bounded))
        {
            continue;
        }
        let scope = cx.def(call.enclosing).map_or(
            TextRange {
                start: 0,
                end: cx.src.len() as u32,
            },
            |d| d.range,
        );
        let body = cx.text(scope);
        if TOKEN_WORDS.iter().any(|w| body.contains(w)) {
            continue;
        }
        hits.push((call.callee_range, op.to_string()));
    }
    for (range, op) in hits {
        cx.report(
            range,
            format!("`{op}` returns only the first page; use `get_paginator(\"{op}\")`"),
        );
    }
}
