//! IAC004–IAC009: S3 buckets (public ACLs and policies, public access block,
//! encryption, versioning, access logging, TLS-only policy). Pulumi and CDKTF
//! configure a bucket through separate resources that reference it
//! (`BucketPublicAccessBlock(bucket=b.id)`); those count.

use super::{add_keyword, is_false, is_true, model, replace};
use crate::iac::{Cloud, Expr, Framework, IacFile, Kind, Resource, V};
use crate::rules::{Applicability, Category, Checker, RuleMeta, Severity};

pub static IAC004: RuleMeta = RuleMeta {
    id: "IAC004",
    name: "s3-public-acl-or-policy",
    category: Category::Iac,
    severity: Severity::Critical,
    summary: "S3 bucket with a public ACL or a policy allowing Principal \"*\"",
    peers: &[
        "CKV_AWS_20",
        "CKV_AWS_57",
        "AwsSolutions-S2",
        "AVD-AWS-0092",
    ],
    fixable: true,
    check: check_public,
    docs: r#"
## What it does
Flags buckets made public: canned ACLs `public-read`, `public-read-write`,
`authenticated-read` (Pulumi/CDKTF `acl=`, `BucketAclV2`, CDK
`access_control=BucketAccessControl.PUBLIC_READ`), CDK `public_read_access=True`
and `grant_public_access()`, and bucket policies that `Allow` Principal `"*"`
without a condition.

## Why is this bad?
Public buckets are the most common source of cloud data leaks: anything put
there, now or later, is readable by anyone.

## Example
```python
s3.Bucket(self, "Site", public_read_access=True)
```

Use instead:
```python
s3.Bucket(self, "Site", public_read_access=False)  # serve through CloudFront + OAC
```

## How to fix
Keep the bucket private and serve content through CloudFront with origin
access control, or presigned URLs. The fix sets the ACL to `private` /
`public_read_access=False` (unsafe: public readers lose access).
"#,
};

pub static IAC005: RuleMeta = RuleMeta {
    id: "IAC005",
    name: "s3-public-access-block",
    category: Category::Iac,
    severity: Severity::High,
    summary: "S3 public access block missing or partly disabled",
    peers: &[
        "CKV2_AWS_6",
        "CKV_AWS_53",
        "CKV_AWS_54",
        "CKV_AWS_55",
        "CKV_AWS_56",
        "AwsSolutions-S2",
        "AVD-AWS-0086",
    ],
    fixable: true,
    check: check_pab,
    docs: r#"
## What it does
Pulumi / CDKTF: flags buckets that no `BucketPublicAccessBlock` in the same
file references, and public access blocks with any of `block_public_acls`,
`block_public_policy`, `ignore_public_acls`, `restrict_public_buckets` unset
(they default to false) or false. CDK: flags `block_public_access` set to a
partial setting (`BLOCK_ACLS`) or a `BlockPublicAccess(...)` with a false flag.

## Why is this bad?
The public access block is the guard rail that keeps a later ACL or policy
change from publishing the bucket.

## Example
```python
aws.s3.BucketPublicAccessBlock("b", bucket=b.id, block_public_acls=True)
```

Use instead:
```python
aws.s3.BucketPublicAccessBlock("b", bucket=b.id, block_public_acls=True,
    block_public_policy=True, ignore_public_acls=True, restrict_public_buckets=True)
```

## How to fix
Set all four flags to `True` (the fix does it for each flag; unsafe if the
bucket is meant to be public).
"#,
};

pub static IAC006: RuleMeta = RuleMeta {
    id: "IAC006",
    name: "s3-no-encryption-config",
    category: Category::Iac,
    severity: Severity::Medium,
    summary: "S3 bucket without an encryption configuration (or explicitly unencrypted)",
    peers: &["CKV_AWS_19", "CKV_AWS_145", "AVD-AWS-0088"],
    fixable: true,
    check: check_encryption,
    docs: r#"
## What it does
Pulumi / CDKTF: flags buckets with neither `server_side_encryption_configuration`
nor a `BucketServerSideEncryptionConfigurationV2` referencing them. CDK: flags
`encryption=BucketEncryption.UNENCRYPTED`.

## Why is this bad?
S3 applies SSE-S3 to new objects by default, but without an explicit
configuration there is no customer-managed KMS key: no key policy, no
CloudTrail record of decrypts, no way to revoke access by disabling the key.

## Example
```python
aws.s3.BucketV2("data")
```

Use instead:
```python
data = aws.s3.BucketV2("data")
aws.s3.BucketServerSideEncryptionConfigurationV2("data", bucket=data.id, rules=[{
    "apply_server_side_encryption_by_default": {"sse_algorithm": "aws:kms"}}])
```

## How to fix
Configure SSE-KMS (or at least an explicit SSE-S3). The CDK fix replaces
`UNENCRYPTED` with `S3_MANAGED`.
"#,
};

pub static IAC007: RuleMeta = RuleMeta {
    id: "IAC007",
    name: "s3-versioning-off",
    category: Category::Iac,
    severity: Severity::Low,
    summary: "S3 bucket without versioning",
    peers: &["CKV_AWS_21", "AVD-AWS-0090"],
    fixable: true,
    check: check_versioning,
    docs: r#"
## What it does
Flags buckets without versioning: CDK `versioned` unset or false, Pulumi
`versioning={"enabled": ...}` not true and no `BucketVersioningV2` with status
`Enabled` referencing the bucket.

## Why is this bad?
Without versioning an overwrite or a delete (a bug, a compromised key,
ransomware) destroys the only copy.

## Example
```python
s3.Bucket(self, "State")
```

Use instead:
```python
s3.Bucket(self, "State", versioned=True)
```

## How to fix
Enable versioning (with a lifecycle rule expiring old versions to bound the
cost). The CDK fix adds or sets `versioned=True` (unsafe: storage grows).
"#,
};

pub static IAC008: RuleMeta = RuleMeta {
    id: "IAC008",
    name: "s3-access-logging-off",
    category: Category::Iac,
    severity: Severity::Low,
    summary: "S3 bucket without server access logging",
    peers: &["CKV_AWS_18", "AwsSolutions-S1", "AVD-AWS-0089"],
    fixable: false,
    check: check_logging,
    docs: r#"
## What it does
Flags buckets without access logging (CDK `server_access_logs_bucket` /
`server_access_logs_prefix`, Pulumi `loggings=` or a `BucketLoggingV2`
referencing the bucket). Buckets that receive other buckets' logs are skipped.

## Why is this bad?
Without access logs there is no record of who read or changed which object
when investigating a leak.

## Example
```python
s3.Bucket(self, "Data")
```

Use instead:
```python
s3.Bucket(self, "Data", server_access_logs_bucket=logs, server_access_logs_prefix="data/")
```

## How to fix
Send access logs to a dedicated log bucket (or enable CloudTrail data events).
"#,
};

pub static IAC009: RuleMeta = RuleMeta {
    id: "IAC009",
    name: "s3-ssl-not-enforced",
    category: Category::Iac,
    severity: Severity::Medium,
    summary: "S3 bucket policy does not deny non-TLS requests",
    peers: &["CKV_AWS_379", "AwsSolutions-S10"],
    fixable: true,
    check: check_ssl,
    docs: r#"
## What it does
CDK: flags buckets without `enforce_ssl=True`. Pulumi / CDKTF: flags buckets
that no bucket policy in the file restricts with `aws:SecureTransport`.

## Why is this bad?
Without the condition, clients may talk to the bucket over plain HTTP, and
credentials-signed requests and data travel unencrypted.

## Example
```python
s3.Bucket(self, "Data")
```

Use instead:
```python
s3.Bucket(self, "Data", enforce_ssl=True)
```

## How to fix
CDK: `enforce_ssl=True` (the fix adds it; unsafe: plain-HTTP clients break).
Pulumi: a `BucketPolicy` denying `s3:*` when `aws:SecureTransport` is false.
"#,
};

fn buckets(m: &IacFile) -> impl Iterator<Item = (usize, &Resource)> {
    m.resources
        .iter()
        .enumerate()
        .filter(|(_, r)| r.kind == Kind::S3Bucket && r.cloud == Cloud::Aws)
}

/// Resources of `kind` that reference bucket `idx` through `bucket=`.
fn companions(m: &IacFile, idx: usize, kind: Kind) -> impl Iterator<Item = &Resource> {
    m.referrers(idx)
        .filter(move |(_, r)| r.kind == kind)
        .filter(move |(_, r)| {
            r.refs
                .iter()
                .any(|(t, via)| *t as usize == idx && via == "bucket")
        })
        .map(|(_, r)| r)
}

const PUBLIC_ACLS: &[&str] = &["public-read", "public-read-write", "authenticated-read"];

fn check_public(cx: &mut Checker) {
    let Some(m) = model(cx) else { return };
    for r in &m.resources {
        if r.cloud != Cloud::Aws {
            continue;
        }
        if matches!(r.kind, Kind::S3Bucket | Kind::S3BucketAcl) {
            if let Some(acl) = r.get("acl") {
                if let Some(s) = acl.as_str().filter(|s| PUBLIC_ACLS.contains(s)) {
                    let f = cx.report(
                        acl.range,
                        format!("{} has the public canned ACL `acl=\"{s}\"`", r.describe()),
                    );
                    f.fix = replace(acl, "\"private\"", Applicability::Unsafe);
                }
            }
            if let Some(ac) = r.get("access_control") {
                if let Some(m) = ac
                    .member()
                    .filter(|m| m.starts_with("PUBLIC") || *m == "AUTHENTICATED_READ")
                {
                    let text = cx.text(ac.range);
                    let fixed = text.rsplit_once('.').map(|(p, _)| format!("{p}.PRIVATE"));
                    let f = cx.report(
                        ac.range,
                        format!(
                            "{} has `access_control=BucketAccessControl.{m}`",
                            r.describe()
                        ),
                    );
                    f.fix = fixed.and_then(|t| replace(ac, &t, Applicability::Unsafe));
                }
            }
            if let Some(p) = r.get("public_read_access").filter(|p| is_true(Some(p))) {
                let f = cx.report(
                    p.range,
                    format!(
                        "{} sets `public_read_access=True`: every object is readable by anyone",
                        r.describe()
                    ),
                );
                f.fix = replace(p, "False", Applicability::Unsafe);
            }
            for mc in r
                .methods
                .iter()
                .filter(|mc| mc.name == "grant_public_access")
            {
                cx.report(
                    mc.range,
                    format!(
                        "{}: `grant_public_access()` makes objects readable by anyone",
                        r.describe()
                    ),
                );
            }
        }
        let policy_props: Vec<&Expr> = match r.kind {
            Kind::S3BucketPolicy => r.props.iter().map(|a| &a.value).collect(),
            Kind::S3Bucket => r
                .methods
                .iter()
                .filter(|mc| mc.name == "add_to_resource_policy")
                .flat_map(|mc| mc.args.iter().map(|a| &a.value))
                .collect(),
            _ => Vec::new(),
        };
        for e in policy_props {
            for s in super::iam::statements(e) {
                if s.allow && s.principal_any && !s.has_condition {
                    cx.report(
                        s.range,
                        format!(
                            "{}: policy allows Principal \"*\" without a condition",
                            r.describe()
                        ),
                    );
                }
            }
        }
    }
}

const PAB_FLAGS: &[&str] = &[
    "block_public_acls",
    "block_public_policy",
    "ignore_public_acls",
    "restrict_public_buckets",
];

fn check_pab(cx: &mut Checker) {
    let Some(m) = model(cx) else { return };
    for (i, b) in buckets(m) {
        if b.framework == Framework::Cdk {
            check_cdk_pab(cx, b);
            continue;
        }
        if companions(m, i, Kind::S3PublicAccessBlock).next().is_none() {
            let fix = add_public_access_block(cx, b);
            cx.report(
                b.callee_range,
                format!(
                    "{} has no BucketPublicAccessBlock in this file referencing it",
                    b.describe()
                ),
            )
            .fix = fix;
        }
    }
    for r in m
        .resources
        .iter()
        .filter(|r| r.kind == Kind::S3PublicAccessBlock)
    {
        for flag in PAB_FLAGS {
            match r.get(flag) {
                Some(v) if is_false(Some(v)) => {
                    let f = cx.report(v.range, format!("{} sets `{flag}=False`", r.describe()));
                    f.fix = replace(v, "True", Applicability::Unsafe);
                }
                None if !r.has_star_kwargs => {
                    let fix = add_keyword(cx, r, flag, "True", Applicability::Unsafe);
                    let f = cx.report(
                        r.callee_range,
                        format!("{} does not set `{flag}` (defaults to false)", r.describe()),
                    );
                    f.fix = fix;
                }
                _ => {}
            }
        }
    }
}

/// Pulumi: a `BucketPublicAccessBlock` blocking everything, inserted after
/// the bucket's statement (same module alias, same indentation).
fn add_public_access_block(cx: &Checker, b: &Resource) -> Option<crate::rules::Fix> {
    if b.framework != Framework::Pulumi {
        return None;
    }
    let var = b.var.as_deref()?;
    let callee = cx.text(b.callee_range);
    let (prefix, _) = callee.rsplit_once('.')?;
    let name = b.name.as_str()?;
    let src = cx.src;
    let line_start = src
        .get(..b.range.start as usize)?
        .rfind('\n')
        .map_or(0, |i| i + 1);
    let indent: String = src[line_start..]
        .chars()
        .take_while(|c| *c == ' ' || *c == '\t')
        .collect();
    let at = src
        .get(b.range.end as usize..)?
        .find('\n')
        .map_or(src.len(), |i| b.range.end as usize + i);
    let logical = format!("{:?}", format!("{name}-public-access"));
    let text = format!(
        "\n{indent}{prefix}.BucketPublicAccessBlock({logical}, bucket={var}.id, \
         block_public_acls=True, block_public_policy=True, ignore_public_acls=True, \
         restrict_public_buckets=True)"
    );
    Some(crate::rules::Fix {
        title: "Add a BucketPublicAccessBlock blocking all public access".into(),
        applicability: Applicability::Unsafe,
        edits: vec![crate::rules::Edit {
            range: crate::text::TextRange::new(at, at),
            new_text: text,
        }],
    })
}

fn check_cdk_pab(cx: &mut Checker, b: &Resource) {
    let Some(v) = b
        .get("block_public_access")
        .or_else(|| b.get("public_access_block_configuration"))
    else {
        return;
    };
    match &v.v {
        V::Enum(e) if !e.ends_with("BLOCK_ALL") => {
            cx.report(
                v.range,
                format!(
                    "{}: `block_public_access={}` leaves public access partly open",
                    b.describe(),
                    v.display()
                ),
            );
        }
        V::Call { .. } | V::Dict(_) => {
            for flag in PAB_FLAGS {
                if let Some(x) = v.get(flag).filter(|x| is_false(Some(x))) {
                    let f = cx.report(
                        x.range,
                        format!("{}: `{flag}=False` in block_public_access", b.describe()),
                    );
                    f.fix = replace(x, "True", Applicability::Unsafe);
                }
            }
        }
        _ => {}
    }
}

fn check_encryption(cx: &mut Checker) {
    let Some(m) = model(cx) else { return };
    for (i, b) in buckets(m) {
        if b.framework == Framework::Cdk {
            if let Some(e) = b
                .get("encryption")
                .filter(|e| e.member() == Some("UNENCRYPTED"))
            {
                let text = cx.text(e.range);
                let fixed = text
                    .rsplit_once('.')
                    .map(|(p, _)| format!("{p}.S3_MANAGED"));
                let f = cx.report(
                    e.range,
                    format!(
                        "{} sets `encryption=BucketEncryption.UNENCRYPTED`",
                        b.describe()
                    ),
                );
                f.fix = fixed.and_then(|t| replace(e, &t, Applicability::Unsafe));
            }
            continue;
        }
        if b.has_star_kwargs || b.get("server_side_encryption_configuration").is_some() {
            continue;
        }
        if companions(m, i, Kind::S3Encryption).next().is_none() {
            cx.report(
                b.callee_range,
                format!("{} has no server-side encryption configuration (no KMS key); add BucketServerSideEncryptionConfigurationV2", b.describe()),
            );
        }
    }
}

fn check_versioning(cx: &mut Checker) {
    let Some(m) = model(cx) else { return };
    for (i, b) in buckets(m) {
        if b.has_star_kwargs {
            continue;
        }
        if b.framework == Framework::Cdk {
            match b.get("versioned") {
                None => {
                    let fix = add_keyword(cx, b, "versioned", "True", Applicability::Unsafe);
                    cx.report(b.callee_range, format!("{} is not versioned", b.describe()))
                        .fix = fix;
                }
                Some(v) if is_false(Some(v)) => {
                    let f = cx.report(v.range, format!("{} sets `versioned=False`", b.describe()));
                    f.fix = replace(v, "True", Applicability::Unsafe);
                }
                _ => {}
            }
            continue;
        }
        if let Some(v) = b.get("versioning") {
            let enabled = v.get("enabled");
            if is_false(enabled) {
                let e = enabled.unwrap_or(v);
                cx.report(
                    e.range,
                    format!("{} sets versioning `enabled=False`", b.describe()),
                );
            }
            if enabled.is_some() {
                continue;
            }
        }
        let mut configured = false;
        for c in companions(m, i, Kind::S3Versioning) {
            configured = true;
            let status = c
                .get("versioning_configuration")
                .and_then(|v| v.get("status"));
            if let Some(s) = status.filter(|s| s.as_str().is_some_and(|x| x != "Enabled")) {
                cx.report(
                    s.range,
                    format!("{}: versioning status is {}", c.describe(), s.display()),
                );
            }
        }
        if !configured {
            cx.report(
                b.callee_range,
                format!(
                    "{} is not versioned (no BucketVersioningV2 references it)",
                    b.describe()
                ),
            );
        }
    }
}

const LOG_TARGET_VIA: &[&str] = &[
    "target_bucket",
    "loggings",
    "logging",
    "server_access_logs_bucket",
];

fn check_logging(cx: &mut Checker) {
    let Some(m) = model(cx) else { return };
    for (i, b) in buckets(m) {
        if b.has_star_kwargs {
            continue;
        }
        let is_log_target = m.referrers(i).any(|(_, r)| {
            r.refs
                .iter()
                .any(|(t, via)| *t as usize == i && LOG_TARGET_VIA.contains(&via.as_str()))
        });
        if is_log_target {
            continue;
        }
        let logged = if b.framework == Framework::Cdk {
            b.get("server_access_logs_bucket").is_some()
                || b.get("server_access_logs_prefix").is_some()
        } else {
            b.get("loggings").is_some()
                || b.get("logging").is_some()
                || companions(m, i, Kind::S3Logging).next().is_some()
        };
        if !logged {
            cx.report(
                b.callee_range,
                format!("{} has no server access logging", b.describe()),
            );
        }
    }
}

fn check_ssl(cx: &mut Checker) {
    let Some(m) = model(cx) else { return };
    for (i, b) in buckets(m) {
        if b.has_star_kwargs {
            continue;
        }
        if b.framework == Framework::Cdk {
            match b.get("enforce_ssl") {
                None => {
                    let fix = add_keyword(cx, b, "enforce_ssl", "True", Applicability::Unsafe);
                    cx.report(
                        b.callee_range,
                        format!(
                            "{} does not enforce TLS (`enforce_ssl` not set)",
                            b.describe()
                        ),
                    )
                    .fix = fix;
                }
                Some(v) if is_false(Some(v)) => {
                    let f = cx.report(
                        v.range,
                        format!("{} sets `enforce_ssl=False`", b.describe()),
                    );
                    f.fix = replace(v, "True", Applicability::Unsafe);
                }
                _ => {}
            }
            continue;
        }
        let mut policies = companions(m, i, Kind::S3BucketPolicy).peekable();
        if policies.peek().is_none() {
            cx.report(
                b.callee_range,
                format!(
                    "{} has no bucket policy denying non-TLS requests (aws:SecureTransport)",
                    b.describe()
                ),
            );
            continue;
        }
        let enforced = policies.any(|p| {
            p.props.iter().any(|a| {
                a.value.mentions("aws:SecureTransport")
                    || a.name.as_deref() == Some("policy") && !a.value.is_known()
            })
        });
        if !enforced {
            cx.report(
                b.callee_range,
                format!(
                    "{}: its bucket policy does not deny non-TLS requests (aws:SecureTransport)",
                    b.describe()
                ),
            );
        }
    }
}
