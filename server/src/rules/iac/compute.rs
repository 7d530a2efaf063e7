//! IAC013 (unencrypted EBS / root volumes) and IAC014 (IMDSv1 allowed).

use super::{add_keyword, is_true, model, replace};
use crate::iac::{Cloud, Expr, Framework, Kind, Resource, V};
use crate::rules::{Applicability, Category, Checker, RuleMeta, Severity};

pub static IAC013: RuleMeta = RuleMeta {
    id: "IAC013",
    name: "ebs-unencrypted",
    category: Category::Iac,
    severity: Severity::High,
    summary: "EBS volume or instance root/block device not encrypted",
    peers: &[
        "CKV_AWS_3",
        "CKV_AWS_8",
        "AwsSolutions-EC26",
        "AVD-AWS-0026",
    ],
    fixable: true,
    check: check_ebs,
    docs: r#"
## What it does
Flags EBS volumes without `encrypted=True`, Pulumi/CDKTF instances whose
`root_block_device` is missing or not encrypted, block devices in
`ebs_block_devices` / launch template `block_device_mappings` not encrypted,
and CDK `BlockDeviceVolume.ebs(...)` without `encrypted=True`. Nothing is
flagged when the file enables `ebs.EncryptionByDefault(enabled=True)`.

## Why is this bad?
Unencrypted volumes and their snapshots can be read by anyone a snapshot is
shared with; encryption cannot be added in place later.

## Example
```python
aws.ebs.Volume("data", availability_zone="us-east-1a", size=100)
```

Use instead:
```python
aws.ebs.Volume("data", availability_zone="us-east-1a", size=100, encrypted=True)
```

## How to fix
Set `encrypted=True` (or enable EBS encryption by default for the account).
The fix is unsafe on existing volumes (replacement).
"#,
};

pub static IAC014: RuleMeta = RuleMeta {
    id: "IAC014",
    name: "imdsv1-allowed",
    category: Category::Iac,
    severity: Severity::Medium,
    summary: "EC2 instance metadata allows IMDSv1 (http_tokens not \"required\")",
    peers: &["CKV_AWS_79", "AwsSolutions-EC2", "AVD-AWS-0028"],
    fixable: true,
    check: check_imds,
    docs: r#"
## What it does
Flags instances and launch templates whose `metadata_options` do not set
`http_tokens="required"` (Pulumi, CDKTF), and CDK `Instance` / `LaunchTemplate`
without `require_imdsv2=True`.

## Why is this bad?
IMDSv1 answers plain GET requests, so any SSRF bug in an application on the
instance can read the instance role's credentials (the Capital One breach).

## Example
```python
aws.ec2.Instance("web", ami=AMI, instance_type="t3.micro")
```

Use instead:
```python
aws.ec2.Instance("web", ami=AMI, instance_type="t3.micro",
                 metadata_options={"http_tokens": "required"})
```

## How to fix
Require session tokens. The fix adds `metadata_options={"http_tokens": "required"}`,
sets `http_tokens="required"`, or adds `require_imdsv2=True` (unsafe: old SDKs
that only speak IMDSv1 stop getting credentials).
"#,
};

fn check_ebs(cx: &mut Checker) {
    let Some(m) = model(cx) else { return };
    let by_default = m.resources.iter().any(|r| {
        r.kind == Kind::EbsDefaultEncryption && r.get("enabled").is_none_or(|e| is_true(Some(e)))
    });
    if by_default {
        return;
    }
    for r in m.resources.iter().filter(|r| r.cloud == Cloud::Aws) {
        match r.kind {
            Kind::EbsVolume => match r.get("encrypted") {
                Some(e) if is_true(Some(e)) || !e.is_known() => {}
                Some(e) => {
                    let f = cx.report(
                        e.range,
                        format!("{} sets `encrypted={}`", r.describe(), e.display()),
                    );
                    f.fix = replace(e, "True", Applicability::Unsafe);
                }
                None if r.has_star_kwargs || r.get("kms_key_id").is_some() => {}
                None => {
                    let fix = add_keyword(cx, r, "encrypted", "True", Applicability::Unsafe);
                    cx.report(
                        r.callee_range,
                        format!("{} is not encrypted (`encrypted` not set)", r.describe()),
                    )
                    .fix = fix;
                }
            },
            Kind::Instance if r.framework != Framework::Cdk => {
                match r.get("root_block_device") {
                    None if !r.has_star_kwargs => {
                        let fix = add_keyword(
                            cx,
                            r,
                            "root_block_device",
                            "{\"encrypted\": True}",
                            Applicability::Unsafe,
                        );
                        cx.report(
                            r.callee_range,
                            format!(
                                "{}: root volume is not encrypted (`root_block_device` not set)",
                                r.describe()
                            ),
                        )
                        .fix = fix;
                    }
                    Some(d) => device(cx, r, d, "root_block_device"),
                    _ => {}
                }
                for d in r
                    .get("ebs_block_devices")
                    .map(Expr::items)
                    .unwrap_or_default()
                {
                    device(cx, r, d, "ebs_block_devices");
                }
            }
            Kind::LaunchTemplate if r.framework != Framework::Cdk => {
                for d in r
                    .get("block_device_mappings")
                    .map(Expr::items)
                    .unwrap_or_default()
                {
                    if let Some(ebs) = d.get("ebs") {
                        device(cx, r, ebs, "block_device_mappings");
                    }
                }
            }
            Kind::Instance | Kind::LaunchTemplate => {
                // CDK: block_devices=[ec2.BlockDevice(volume=ec2.BlockDeviceVolume.ebs(50))]
                let mut pending = Vec::new();
                for a in &r.props {
                    a.value.walk(&mut |x| {
                        if x.callee()
                            .is_some_and(|c| c.ends_with("BlockDeviceVolume.ebs"))
                        {
                            let enc = x.get("encrypted");
                            if !is_true(enc) && enc.is_none_or(Expr::is_known) {
                                pending.push(x.range);
                            }
                        }
                    });
                }
                for range in pending {
                    cx.report(
                        range,
                        format!(
                            "{}: block device volume is not encrypted (`encrypted=True` missing)",
                            r.describe()
                        ),
                    );
                }
            }
            _ => {}
        }
    }
}

fn device(cx: &mut Checker, r: &Resource, d: &Expr, what: &str) {
    match d.get("encrypted") {
        Some(e) if is_true(Some(e)) || !e.is_known() => {}
        Some(e) => {
            let f = cx.report(
                e.range,
                format!(
                    "{}: `{what}` sets `encrypted={}`",
                    r.describe(),
                    e.display()
                ),
            );
            f.fix = replace(e, "True", Applicability::Unsafe);
        }
        None if d.get("kms_key_id").is_some() || !matches!(d.v, V::Dict(_) | V::Call { .. }) => {}
        None => {
            cx.report(
                d.range,
                format!(
                    "{}: `{what}` is not encrypted (`encrypted` not set)",
                    r.describe()
                ),
            );
        }
    }
}

fn check_imds(cx: &mut Checker) {
    let Some(m) = model(cx) else { return };
    for r in m.resources.iter().filter(|r| {
        r.cloud == Cloud::Aws && matches!(r.kind, Kind::Instance | Kind::LaunchTemplate)
    }) {
        if r.has_star_kwargs {
            continue;
        }
        if r.framework == Framework::Cdk && !r.class().starts_with("Cfn") {
            match r.get("require_imdsv2") {
                None => {
                    let fix = add_keyword(cx, r, "require_imdsv2", "True", Applicability::Unsafe);
                    cx.report(
                        r.callee_range,
                        format!("{} allows IMDSv1 (`require_imdsv2` not set)", r.describe()),
                    )
                    .fix = fix;
                }
                Some(v) if v.as_bool() == Some(false) => {
                    let f = cx.report(
                        v.range,
                        format!("{} sets `require_imdsv2=False`", r.describe()),
                    );
                    f.fix = replace(v, "True", Applicability::Unsafe);
                }
                _ => {}
            }
            continue;
        }
        let opts = r.get("metadata_options");
        match opts.map(|o| (o, o.get("http_tokens"))) {
            None => {
                let fix = add_keyword(
                    cx,
                    r,
                    "metadata_options",
                    "{\"http_tokens\": \"required\"}",
                    Applicability::Unsafe,
                );
                cx.report(
                    r.callee_range,
                    format!(
                        "{} allows IMDSv1 (`metadata_options` not set)",
                        r.describe()
                    ),
                )
                .fix = fix;
            }
            Some((_, Some(t))) if t.as_str().is_some_and(|s| s != "required") => {
                let f = cx.report(
                    t.range,
                    format!(
                        "{} sets `http_tokens={}`: IMDSv1 allowed",
                        r.describe(),
                        t.display()
                    ),
                );
                f.fix = replace(t, "\"required\"", Applicability::Unsafe);
            }
            Some((o, None)) if matches!(o.v, V::Dict(_) | V::Call { .. }) => {
                cx.report(
                    o.range,
                    format!(
                        "{}: `metadata_options` does not set `http_tokens=\"required\"`",
                        r.describe()
                    ),
                );
            }
            _ => {}
        }
    }
}
