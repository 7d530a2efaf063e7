//! IAC010–IAC012: RDS / Aurora exposure, encryption and data protection.

use super::{add_keyword, is_false, is_true, model, replace};
use crate::iac::{Expr, Framework, Kind, Resource};
use crate::rules::{Applicability, Category, Checker, RuleMeta, Severity};

pub static IAC010: RuleMeta = RuleMeta {
    id: "IAC010",
    name: "rds-publicly-accessible",
    category: Category::Iac,
    severity: Severity::Critical,
    summary: "RDS instance publicly accessible",
    peers: &["CKV_AWS_17", "AwsSolutions-RDS", "AVD-AWS-0180"],
    fixable: true,
    check: check_public,
    docs: r#"
## What it does
Flags `publicly_accessible=True` on RDS instances and cluster instances
(Pulumi, CDK, CDKTF), and CDK database instances placed in public subnets
(`vpc_subnets=SubnetSelection(subnet_type=SubnetType.PUBLIC)`) without
`publicly_accessible=False` (CDK then makes them public).

## Why is this bad?
A public database endpoint is reachable by anyone who can reach its security
group; database ports are scanned constantly.

## Example
```python
aws.rds.Instance("db", instance_class="db.t4g.small", engine="postgres",
                 allocated_storage=20, publicly_accessible=True)
```

Use instead:
```python
aws.rds.Instance("db", instance_class="db.t4g.small", engine="postgres",
                 allocated_storage=20, publicly_accessible=False)
```

## How to fix
Keep databases in private subnets; connect through a bastion, SSM port
forwarding or a VPN. The fix sets `publicly_accessible=False` (unsafe: clients
outside the VPC lose access).
"#,
};

pub static IAC011: RuleMeta = RuleMeta {
    id: "IAC011",
    name: "rds-storage-unencrypted",
    category: Category::Iac,
    severity: Severity::High,
    summary: "RDS / Aurora storage not encrypted",
    peers: &[
        "CKV_AWS_16",
        "CKV_AWS_96",
        "AwsSolutions-RDS2",
        "AVD-AWS-0080",
    ],
    fixable: true,
    check: check_encrypted,
    docs: r#"
## What it does
Flags RDS instances and clusters whose `storage_encrypted` is false or unset
where the default is unencrypted (Pulumi and CDKTF instances and clusters, CDK
`DatabaseInstance` without a `storage_encryption_key`; CDK `DatabaseCluster`
encrypts by default and is flagged only for an explicit `False`).

## Why is this bad?
Unencrypted storage, snapshots and replicas expose the data to anyone who gets
a snapshot shared or copied; encryption cannot be turned on later without a
restore into a new instance.

## Example
```python
rds.DatabaseInstance(self, "Db", engine=rds.DatabaseInstanceEngine.POSTGRES, vpc=vpc)
```

Use instead:
```python
rds.DatabaseInstance(self, "Db", engine=rds.DatabaseInstanceEngine.POSTGRES, vpc=vpc,
                     storage_encrypted=True)
```

## How to fix
Set `storage_encrypted=True` (optionally with a KMS key). The fix is unsafe: on
an existing database it forces a replacement.
"#,
};

pub static IAC012: RuleMeta = RuleMeta {
    id: "IAC012",
    name: "rds-data-protection",
    category: Category::Iac,
    severity: Severity::Medium,
    summary: "RDS without deletion protection or backups, or skip_final_snapshot=True",
    peers: &[
        "CKV_AWS_293",
        "CKV_AWS_133",
        "AwsSolutions-RDS10",
        "AwsSolutions-RDS13",
    ],
    fixable: true,
    check: check_protection,
    docs: r#"
## What it does
Flags RDS instances and clusters with `deletion_protection` unset or false,
`skip_final_snapshot=True`, or `backup_retention_period=0`
(CDK `backup_retention=Duration.days(0)`).

## Why is this bad?
One `pulumi destroy`, `cdk destroy` or a replacement caused by a changed
argument deletes the database, and without a final snapshot or backups the
data is gone.

## Example
```python
aws.rds.Instance("db", ..., skip_final_snapshot=True)
```

Use instead:
```python
aws.rds.Instance("db", ..., deletion_protection=True, skip_final_snapshot=False,
                 final_snapshot_identifier="db-final")
```

## How to fix
Enable deletion protection, keep final snapshots and a backup retention of at
least 7 days. Fixes add `deletion_protection=True` / set
`skip_final_snapshot=False` (unsafe).
"#,
};

fn databases(rs: &[Resource]) -> impl Iterator<Item = &Resource> {
    rs.iter().filter(|r| {
        matches!(
            r.kind,
            Kind::DbInstance | Kind::DbCluster | Kind::DbClusterInstance
        )
    })
}

fn check_public(cx: &mut Checker) {
    let Some(m) = model(cx) else { return };
    for r in databases(&m.resources) {
        let public = r.get("publicly_accessible");
        if let Some(p) = public.filter(|p| is_true(Some(p))) {
            let f = cx.report(
                p.range,
                format!("{} sets `publicly_accessible=True`", r.describe()),
            );
            f.fix = replace(p, "False", Applicability::Unsafe);
            continue;
        }
        if r.framework == Framework::Cdk && public.is_none() {
            let subnet = r
                .get("vpc_subnets")
                .and_then(|s| s.get("subnet_type"))
                .and_then(Expr::member);
            if subnet == Some("PUBLIC") {
                let fix = add_keyword(cx, r, "publicly_accessible", "False", Applicability::Unsafe);
                cx.report(
                    r.callee_range,
                    format!(
                        "{} is placed in public subnets and CDK then makes it publicly accessible",
                        r.describe()
                    ),
                )
                .fix = fix;
            }
        }
    }
}

fn check_encrypted(cx: &mut Checker) {
    let Some(m) = model(cx) else { return };
    for r in databases(&m.resources) {
        if r.kind == Kind::DbClusterInstance || r.has_star_kwargs {
            continue;
        }
        match r.get("storage_encrypted") {
            Some(v) if is_false(Some(v)) => {
                let f = cx.report(
                    v.range,
                    format!("{} sets `storage_encrypted=False`", r.describe()),
                );
                f.fix = replace(v, "True", Applicability::Unsafe);
            }
            None => {
                let default_encrypted = match r.framework {
                    Framework::Cdk => {
                        r.kind == Kind::DbCluster
                            || r.get("storage_encryption_key").is_some()
                            || r.class().starts_with("Cfn") && r.get("kms_key_id").is_some()
                    }
                    _ => r.get("kms_key_id").is_some(),
                };
                // Aurora Serverless v1 clusters are always encrypted.
                let serverless = r.get("engine_mode").and_then(Expr::as_str) == Some("serverless");
                if !default_encrypted && !serverless {
                    let fix =
                        add_keyword(cx, r, "storage_encrypted", "True", Applicability::Unsafe);
                    cx.report(
                        r.callee_range,
                        format!(
                            "{} does not set `storage_encrypted` (defaults to unencrypted)",
                            r.describe()
                        ),
                    )
                    .fix = fix;
                }
            }
            _ => {}
        }
    }
}

fn check_protection(cx: &mut Checker) {
    let Some(m) = model(cx) else { return };
    for r in databases(&m.resources) {
        if r.kind == Kind::DbClusterInstance || r.has_star_kwargs {
            continue;
        }
        match r.get("deletion_protection") {
            Some(v) if is_false(Some(v)) => {
                let f = cx.report(
                    v.range,
                    format!("{} sets `deletion_protection=False`", r.describe()),
                );
                f.fix = replace(v, "True", Applicability::Unsafe);
            }
            None => {
                let fix = add_keyword(cx, r, "deletion_protection", "True", Applicability::Unsafe);
                cx.report(
                    r.callee_range,
                    format!("{} has no deletion protection", r.describe()),
                )
                .fix = fix;
            }
            _ => {}
        }
        if let Some(v) = r.get("skip_final_snapshot").filter(|v| is_true(Some(v))) {
            let f = cx.report(
                v.range,
                format!(
                    "{} sets `skip_final_snapshot=True`: destroying it loses the data",
                    r.describe()
                ),
            );
            f.fix = replace(v, "False", Applicability::Unsafe);
        }
        if let Some(v) = r
            .get("backup_retention_period")
            .filter(|v| v.as_int() == Some(0))
        {
            cx.report(
                v.range,
                format!(
                    "{} sets `backup_retention_period=0`: automated backups are off",
                    r.describe()
                ),
            );
        }
        if let Some(v) = r.get("backup_retention") {
            let zero = v.callee().is_some_and(|c| c.ends_with("Duration.days"))
                && v.positional(0).and_then(Expr::as_int) == Some(0);
            if zero {
                cx.report(
                    v.range,
                    format!(
                        "{} sets `backup_retention=Duration.days(0)`: automated backups are off",
                        r.describe()
                    ),
                );
            }
        }
    }
}
