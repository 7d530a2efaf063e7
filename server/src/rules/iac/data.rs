//! IAC023 (destroy-on-delete for stateful data) and IAC024 (public GCS
//! buckets / Azure blob containers, HTTPS off).

use super::{is_true, model, replace};
use crate::iac::{Cloud, Expr, Kind, V};
use crate::rules::{Applicability, Category, Checker, RuleMeta, Severity};

pub static IAC023: RuleMeta = RuleMeta {
    id: "IAC023",
    name: "destroy-stateful-data",
    category: Category::Iac,
    severity: Severity::Medium,
    summary: "Stateful data deleted with the stack (RemovalPolicy.DESTROY, auto_delete_objects, force_destroy)",
    peers: &[],
    fixable: true,
    check: check_destroy,
    docs: r#"
## What it does
Flags buckets, databases, tables, file systems and log groups that are deleted
together with their data when the stack is destroyed or the resource replaced:
CDK `removal_policy=RemovalPolicy.DESTROY` (or `apply_removal_policy(...)`),
`auto_delete_objects=True`; Pulumi / CDKTF / GCP `force_destroy=True`.

## Why is this bad?
Convenient in a throwaway dev stack, but the same code deployed to production
turns `cdk destroy`, a renamed construct or a replaced resource into data loss.

## Example
```python
s3.Bucket(self, "Uploads", removal_policy=RemovalPolicy.DESTROY, auto_delete_objects=True)
```

Use instead:
```python
s3.Bucket(self, "Uploads", removal_policy=RemovalPolicy.RETAIN)
```

## How to fix
Retain (or snapshot) stateful resources, or gate the setting on a dev-only
config value. The fix sets `RETAIN` / `False` (unsafe: destroys leave data behind).
"#,
};

pub static IAC024: RuleMeta = RuleMeta {
    id: "IAC024",
    name: "public-gcs-or-azure-blob",
    category: Category::Iac,
    severity: Severity::Critical,
    summary: "Public GCS bucket / Azure blob container, or storage account allowing HTTP",
    peers: &[
        "CKV_GCP_28",
        "CKV_GCP_114",
        "CKV_AZURE_59",
        "CKV_AZURE_190",
        "CKV_AZURE_3",
    ],
    fixable: true,
    check: check_public_storage,
    docs: r#"
## What it does
Flags GCS bucket IAM members/bindings granting `allUsers` or
`allAuthenticatedUsers`, GCS buckets with `public_access_prevention="inherited"`,
Azure blob containers with public access (`public_access="Blob"|"Container"`,
`container_access_type="blob"|"container"`), storage accounts with
`allow_blob_public_access=True` / `allow_nested_items_to_be_public=True`, and
storage accounts that allow plain HTTP (`enable_https_traffic_only=False`,
`https_traffic_only_enabled=False`).

## Why is this bad?
Public containers and buckets leak whatever is stored in them; HTTP exposes
data and shared keys in transit.

## Example
```python
gcp.storage.BucketIAMMember("public", bucket=bucket.name, role="roles/storage.objectViewer", member="allUsers")
```

Use instead:
```python
gcp.storage.BucketIAMMember("reader", bucket=bucket.name, role="roles/storage.objectViewer",
                            member="serviceAccount:app@proj.iam.gserviceaccount.com")
```

## How to fix
Grant specific principals; serve public content through a CDN with signed
URLs; keep HTTPS-only on. Fixes set `"None"`/`"private"`/`True`/`False` (unsafe).
"#,
};

const STATEFUL: &[Kind] = &[
    Kind::S3Bucket,
    Kind::DbInstance,
    Kind::DbCluster,
    Kind::DynamoTable,
    Kind::LogGroup,
    Kind::EbsVolume,
    Kind::GcsBucket,
    Kind::CloudSql,
    Kind::Queue,
];

fn check_destroy(cx: &mut Checker) {
    let Some(m) = model(cx) else { return };
    for r in m.resources.iter().filter(|r| {
        STATEFUL.contains(&r.kind) || r.type_name.contains("EFS") || r.type_name.contains("efs")
    }) {
        if let Some(p) = r
            .get("removal_policy")
            .filter(|p| p.member() == Some("DESTROY"))
        {
            let text = cx.text(p.range);
            let fixed = text
                .rsplit_once('.')
                .map(|(pre, _)| format!("{pre}.RETAIN"));
            let f = cx.report(
                p.range,
                format!(
                    "{}: `removal_policy=RemovalPolicy.DESTROY` deletes its data with the stack",
                    r.describe()
                ),
            );
            f.fix = fixed.and_then(|t| replace(p, &t, Applicability::Unsafe));
        }
        for flag in ["auto_delete_objects", "force_destroy"] {
            if let Some(p) = r.get(flag).filter(|p| is_true(Some(p))) {
                let f = cx.report(
                    p.range,
                    format!(
                        "{}: `{flag}=True` deletes every object when the resource is destroyed",
                        r.describe()
                    ),
                );
                f.fix = replace(p, "False", Applicability::Unsafe);
            }
        }
        for mc in r
            .methods
            .iter()
            .filter(|mc| mc.name == "apply_removal_policy")
        {
            if mc.args.first().and_then(|a| a.value.member()) == Some("DESTROY") {
                cx.report(mc.range, format!("{}: `apply_removal_policy(RemovalPolicy.DESTROY)` deletes its data with the stack", r.describe()));
            }
        }
    }
}

fn str_or_member(e: &Expr) -> Option<&str> {
    e.as_str().or_else(|| e.member())
}

fn check_public_storage(cx: &mut Checker) {
    let Some(m) = model(cx) else { return };
    for r in &m.resources {
        match (r.cloud, r.kind) {
            (Cloud::Gcp, Kind::GcsIamMember) => {
                for key in ["member", "members", "entity"] {
                    let Some(v) = r.get(key) else { continue };
                    for item in v.items() {
                        if let Some(s) = item
                            .as_str()
                            .filter(|s| matches!(*s, "allUsers" | "allAuthenticatedUsers"))
                        {
                            cx.report(
                                item.range,
                                format!("{} grants `{s}` access to the bucket", r.describe()),
                            );
                        }
                    }
                }
            }
            (Cloud::Gcp, Kind::GcsBucket) => {
                if let Some(p) = r
                    .get("public_access_prevention")
                    .filter(|p| p.as_str() == Some("inherited"))
                {
                    let f = cx.report(
                        p.range,
                        format!(
                            "{}: `public_access_prevention=\"inherited\"` lets IAM make it public",
                            r.describe()
                        ),
                    );
                    f.fix = replace(p, "\"enforced\"", Applicability::Unsafe);
                }
            }
            (Cloud::Azure, Kind::AzureBlobContainer) => {
                for key in ["public_access", "container_access_type"] {
                    let Some(p) = r.get(key) else { continue };
                    let Some(s) = str_or_member(p) else { continue };
                    if matches!(s.to_ascii_lowercase().as_str(), "blob" | "container") {
                        let fixed = if key == "container_access_type" {
                            "\"private\"".to_string()
                        } else if matches!(p.v, V::Str(_)) {
                            "\"None\"".to_string()
                        } else {
                            let text = cx.text(p.range);
                            match text.rsplit_once('.') {
                                Some((pre, _)) => format!("{pre}.NONE"),
                                None => continue,
                            }
                        };
                        let f = cx.report(
                            p.range,
                            format!(
                                "{} allows anonymous public access (`{key}={}`)",
                                r.describe(),
                                p.display()
                            ),
                        );
                        f.fix = replace(p, &fixed, Applicability::Unsafe);
                    }
                }
            }
            (Cloud::Azure, Kind::AzureStorageAccount) => {
                for key in [
                    "allow_blob_public_access",
                    "allow_nested_items_to_be_public",
                ] {
                    if let Some(p) = r.get(key).filter(|p| is_true(Some(p))) {
                        let f = cx.report(
                            p.range,
                            format!(
                                "{} sets `{key}=True`: containers can be made public",
                                r.describe()
                            ),
                        );
                        f.fix = replace(p, "False", Applicability::Unsafe);
                    }
                }
                for key in ["enable_https_traffic_only", "https_traffic_only_enabled"] {
                    if let Some(p) = r.get(key).filter(|p| p.as_bool() == Some(false)) {
                        let f = cx.report(
                            p.range,
                            format!("{} sets `{key}=False`: plain HTTP allowed", r.describe()),
                        );
                        f.fix = replace(p, "True", Applicability::Unsafe);
                    }
                }
            }
            _ => {}
        }
    }
}
