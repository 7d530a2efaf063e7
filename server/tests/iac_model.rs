//! The resource model: recognition through every import style, types,
//! logical names, evaluated arguments, references, methods, and no model for
//! files without IaC imports.

use devops_intel::iac::{Framework, Kind, V};
use devops_intel::index::{analyze, FileSummary};
use devops_intel::rules::RuleSettings;
use std::path::Path;

fn model(text: &str) -> FileSummary {
    analyze(Path::new("/w/stack.py"), text, &RuleSettings::default())
}

#[test]
fn import_styles_and_types() {
    let s = model(
        r#"
import pulumi_aws as aws
from pulumi_aws import s3
from pulumi_aws.ec2 import SecurityGroup as SG
import aws_cdk as cdk
from aws_cdk import aws_s3
from aws_cdk.aws_rds import DatabaseInstance
from imports.aws.s3_bucket import S3Bucket
from cdktf_cdktf_provider_aws import instance

a = aws.s3.BucketV2("a")
b = s3.Bucket("b")
c = SG("c")
class St(cdk.Stack):
    def __init__(self, scope, id):
        super().__init__(scope, id)
        self.d = cdk.aws_s3.Bucket(self, "D")
        aws_s3.Bucket(self, "E")
        DatabaseInstance(self, "F", engine=None)
        S3Bucket(self, "G")
        instance.Instance(self, "H", ami="x")
        aws_s3.BucketEncryption.KMS
"#,
    );
    let iac = s.iac.as_deref().expect("model");
    let got: Vec<(String, &str, Framework, Kind)> = iac
        .resources
        .iter()
        .map(|r| (r.label(), r.type_name.as_str(), r.framework, r.kind))
        .collect();
    assert_eq!(
        got,
        vec![
            (
                "a".into(),
                "aws:s3/bucketV2:BucketV2",
                Framework::Pulumi,
                Kind::S3Bucket
            ),
            (
                "b".into(),
                "aws:s3/bucket:Bucket",
                Framework::Pulumi,
                Kind::S3Bucket
            ),
            (
                "c".into(),
                "aws:ec2/securityGroup:SecurityGroup",
                Framework::Pulumi,
                Kind::SecurityGroup
            ),
            (
                "D".into(),
                "AWS::S3::Bucket",
                Framework::Cdk,
                Kind::S3Bucket
            ),
            (
                "E".into(),
                "AWS::S3::Bucket",
                Framework::Cdk,
                Kind::S3Bucket
            ),
            (
                "F".into(),
                "AWS::RDS::DBInstance",
                Framework::Cdk,
                Kind::DbInstance
            ),
            (
                "G".into(),
                "aws_s3_bucket",
                Framework::Cdktf,
                Kind::S3Bucket
            ),
            ("H".into(), "aws_instance", Framework::Cdktf, Kind::Instance),
        ]
    );
    assert_eq!(iac.resources[3].var.as_deref(), Some("self.d"));
}

#[test]
fn arguments_are_evaluated_or_unknown_never_guessed() {
    let s = model(
        r#"
import pulumi
import pulumi_aws as aws
from aws_cdk import Stack, aws_s3 as s3

PREFIX = "acme"
cfg = pulumi.Config()
tags = {"team": "core", "env": cfg.require("env")}
bucket = aws.s3.BucketV2(f"{PREFIX}-data", tags=tags, bucket=cfg.get_secret("name"))
policy = aws.s3.BucketPolicy("p", bucket=bucket.id, policy=bucket.arn.apply(lambda a: a))
def f(x):
    return aws.s3.BucketV2("dyn", bucket=x, force_destroy=x is None)
class St(Stack):
    def __init__(self, scope, id):
        super().__init__(scope, id)
        b = s3.Bucket(self, "B", encryption=s3.BucketEncryption.KMS, versioned=True)
        b.grant_read(bucket)
        b.add_lifecycle_rule(expiration=None)
"#,
    );
    let iac = s.iac.as_deref().expect("model");
    let bucket = &iac.resources[0];
    assert_eq!(bucket.name.as_str(), Some("acme-data"));
    let tags = bucket.get("tags").expect("tags");
    assert_eq!(tags.get("team").and_then(|v| v.as_str()), Some("core"));
    assert!(
        matches!(&tags.get("env").expect("env").v, V::Config { key, secret: false } if key == "env")
    );
    assert!(matches!(
        &bucket.get("bucket").expect("bucket").v,
        V::Config { secret: true, .. }
    ));
    let policy = &iac.resources[1];
    assert_eq!(
        policy
            .refs
            .iter()
            .map(|(t, v)| (*t, v.as_str()))
            .collect::<Vec<_>>(),
        vec![(0, "bucket"), (0, "policy")]
    );
    let dyn_ = &iac.resources[2];
    assert!(matches!(
        dyn_.get("bucket").expect("bucket").v,
        V::Unknown(_)
    ));
    assert!(matches!(
        dyn_.get("force_destroy").expect("fd").v,
        V::Unknown(_)
    ));
    let b = &iac.resources[3];
    assert_eq!(
        b.get("encryption").and_then(|e| e.as_enum()),
        Some("aws_cdk.aws_s3.BucketEncryption.KMS")
    );
    let methods: Vec<&str> = b.methods.iter().map(|m| m.name.as_str()).collect();
    assert_eq!(methods, vec!["grant_read", "add_lifecycle_rule"]);
    assert_eq!(
        b.refs
            .iter()
            .map(|(t, v)| (*t, v.as_str()))
            .collect::<Vec<_>>(),
        vec![(0, "grant_read")]
    );
}

#[test]
fn files_without_iac_imports_have_no_model() {
    let s = model("import boto3\nimport pulumi\ns3 = boto3.client('s3')\nBucket('x')\n");
    assert!(s.iac.is_none());
}
