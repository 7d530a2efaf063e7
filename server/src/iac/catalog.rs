//! Which calls construct resources, in which framework and cloud, and what
//! normalized [`Kind`] and provider type name they have. Works on qualified
//! callee names, so every import style and alias is covered.

use serde::Serialize;
use smol_str::SmolStr;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Framework {
    Pulumi,
    Cdk,
    Cdktf,
}

impl Framework {
    pub fn as_str(self) -> &'static str {
        match self {
            Framework::Pulumi => "pulumi",
            Framework::Cdk => "cdk",
            Framework::Cdktf => "cdktf",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Cloud {
    Aws,
    Gcp,
    Azure,
}

impl Cloud {
    pub fn as_str(self) -> &'static str {
        match self {
            Cloud::Aws => "aws",
            Cloud::Gcp => "gcp",
            Cloud::Azure => "azure",
        }
    }
}

/// What a resource is, across frameworks (rules and pricing match on this).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    S3Bucket,
    S3PublicAccessBlock,
    S3BucketAcl,
    S3BucketPolicy,
    S3Encryption,
    S3Versioning,
    S3Logging,
    SecurityGroup,
    /// `SecurityGroupRule(type="ingress"|"egress")`.
    SgRule,
    /// A standalone ingress rule (`vpc.SecurityGroupIngressRule`, `CfnSecurityGroupIngress`).
    SgIngressRule,
    GcpFirewall,
    AzureNsg,
    AzureSecurityRule,
    Instance,
    LaunchTemplate,
    EbsVolume,
    EbsDefaultEncryption,
    DbInstance,
    DbCluster,
    DbClusterInstance,
    /// A managed or inline policy resource with a `policy` document.
    IamPolicy,
    IamRole,
    IamPolicyAttachment,
    /// CDKTF `DataAwsIamPolicyDocument`.
    IamPolicyDocument,
    KmsKey,
    Trail,
    LambdaFunction,
    EcsTaskDefinition,
    EksCluster,
    Vpc,
    NatGateway,
    Eip,
    LoadBalancer,
    ElastiCache,
    DynamoTable,
    ApiGateway,
    Queue,
    Topic,
    LogGroup,
    Secret,
    GcsBucket,
    GcsIamMember,
    GcpInstance,
    GkeCluster,
    CloudSql,
    GcpDisk,
    GcpAddress,
    GcpRedis,
    AzureStorageAccount,
    AzureBlobContainer,
    AzureVm,
    AksCluster,
    AzureNatGateway,
    AzurePublicIp,
    Other,
}

/// A recognised constructor.
pub struct Recognized {
    pub framework: Framework,
    pub cloud: Cloud,
    pub kind: Kind,
    pub type_name: SmolStr,
    /// Index of the positional argument holding the logical name.
    pub name_index: usize,
    pub name_keyword: &'static str,
}

/// What a qualified constructor call is, if it is a resource. `positional`
/// is the number of positional arguments (CDK/CDKTF constructs take `scope, id`).
pub fn classify(qualified: &str, positional: usize, has_id_kw: bool) -> Option<Recognized> {
    let parts: Vec<&str> = qualified.split('.').collect();
    let class = *parts.last()?;
    if !class.starts_with(|c: char| c.is_ascii_uppercase()) {
        return None;
    }
    let root = parts[0];
    if let Some((cloud, provider)) = pulumi_provider(root) {
        if parts.len() < 3 || class.ends_with("Args") || class.ends_with("ArgsDict") {
            return None;
        }
        let module = parts[1..parts.len() - 1].join(".");
        let kind = pulumi_kind(cloud, &module, class);
        let type_name = if provider == "azure-native" {
            format!("{provider}:{}:{class}", module.replace('.', "/"))
        } else {
            format!(
                "{provider}:{}/{}:{class}",
                module.trim_end_matches('_').replace('.', "/"),
                lower_first(class)
            )
        };
        return Some(Recognized {
            framework: Framework::Pulumi,
            cloud,
            kind,
            type_name: type_name.into(),
            name_index: 0,
            name_keyword: "resource_name",
        });
    }
    if root == "aws_cdk" {
        if positional < 2 && !(positional == 1 && has_id_kw) {
            return None;
        }
        let module = if parts.len() >= 3 && parts[1].starts_with("aws_") {
            parts[1]
        } else if parts.len() == 2 {
            "core"
        } else {
            return None;
        };
        if module == "core" && NOT_RESOURCES_CORE.contains(&class) {
            return None;
        }
        let kind = cdk_kind(module, class);
        return Some(Recognized {
            framework: Framework::Cdk,
            cloud: Cloud::Aws,
            kind,
            type_name: cfn_type(module, class).into(),
            name_index: 1,
            name_keyword: "id",
        });
    }
    let (cloud, module) = cdktf_module(&parts)?;
    if positional < 2 && !(positional == 1 && has_id_kw) {
        return None;
    }
    let prefix = match cloud {
        Cloud::Aws => "aws",
        Cloud::Gcp => "google",
        Cloud::Azure => "azurerm",
    };
    if module == "provider" {
        return None;
    }
    Some(Recognized {
        framework: Framework::Cdktf,
        cloud,
        kind: cdktf_kind(cloud, module),
        type_name: format!("{prefix}_{module}").into(),
        name_index: 1,
        name_keyword: "id",
    })
}

const NOT_RESOURCES_CORE: &[&str] = &[
    "App",
    "Stack",
    "Stage",
    "NestedStack",
    "CfnOutput",
    "CfnParameter",
    "CfnCondition",
    "CfnMapping",
    "Tags",
    "Environment",
];

fn pulumi_provider(root: &str) -> Option<(Cloud, &'static str)> {
    match root {
        "pulumi_aws" => Some((Cloud::Aws, "aws")),
        "pulumi_gcp" => Some((Cloud::Gcp, "gcp")),
        "pulumi_azure_native" => Some((Cloud::Azure, "azure-native")),
        "pulumi_azure" => Some((Cloud::Azure, "azure")),
        _ => None,
    }
}

/// `imports.aws.s3_bucket.S3Bucket`, `cdktf_cdktf_provider_aws.s3_bucket.S3Bucket`.
fn cdktf_module<'a>(parts: &[&'a str]) -> Option<(Cloud, &'a str)> {
    let (cloud, rest) = match parts {
        ["imports", p, rest @ ..] => (provider_cloud(p)?, rest),
        [root, rest @ ..] if root.starts_with("cdktf_cdktf_provider_") => (
            provider_cloud(root.trim_start_matches("cdktf_cdktf_provider_"))?,
            rest,
        ),
        _ => return None,
    };
    match rest {
        [module, _class] => Some((cloud, module)),
        _ => None,
    }
}

fn provider_cloud(p: &str) -> Option<Cloud> {
    match p {
        "aws" => Some(Cloud::Aws),
        "google" | "google_beta" => Some(Cloud::Gcp),
        "azurerm" => Some(Cloud::Azure),
        _ => None,
    }
}

/// Is this qualified name a provider (region source) rather than a resource?
pub fn is_provider(qualified: &str) -> Option<Cloud> {
    let parts: Vec<&str> = qualified.split('.').collect();
    match parts.as_slice() {
        [root, "Provider"] => pulumi_provider(root).map(|(c, _)| c),
        _ => {
            let (cloud, module) = cdktf_module(&parts)?;
            (module == "provider").then_some(cloud)
        }
    }
}

fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_ascii_lowercase().to_string() + c.as_str(),
        None => String::new(),
    }
}

fn pulumi_kind(cloud: Cloud, module: &str, class: &str) -> Kind {
    use Kind::*;
    match cloud {
        Cloud::Aws => match (module, class) {
            ("s3", "Bucket" | "BucketV2") => S3Bucket,
            ("s3", "BucketPublicAccessBlock") => S3PublicAccessBlock,
            ("s3", "BucketAcl" | "BucketAclV2") => S3BucketAcl,
            ("s3", "BucketPolicy") => S3BucketPolicy,
            (
                "s3",
                "BucketServerSideEncryptionConfiguration"
                | "BucketServerSideEncryptionConfigurationV2",
            ) => S3Encryption,
            ("s3", "BucketVersioning" | "BucketVersioningV2") => S3Versioning,
            ("s3", "BucketLogging" | "BucketLoggingV2") => S3Logging,
            ("ec2", "SecurityGroup") => SecurityGroup,
            ("ec2", "SecurityGroupRule") => SgRule,
            ("vpc", "SecurityGroupIngressRule") => SgIngressRule,
            ("ec2", "Instance") => Instance,
            ("ec2", "LaunchTemplate") => LaunchTemplate,
            ("ec2", "NatGateway") => NatGateway,
            ("ec2", "Eip") => Eip,
            ("ec2", "Vpc") => Vpc,
            ("ebs", "Volume") => EbsVolume,
            ("ebs", "EncryptionByDefault") => EbsDefaultEncryption,
            ("rds", "Instance") => DbInstance,
            ("rds", "Cluster") => DbCluster,
            ("rds", "ClusterInstance") => DbClusterInstance,
            ("iam", "Policy" | "RolePolicy" | "UserPolicy" | "GroupPolicy") => IamPolicy,
            ("iam", "Role") => IamRole,
            (
                "iam",
                "RolePolicyAttachment"
                | "UserPolicyAttachment"
                | "GroupPolicyAttachment"
                | "PolicyAttachment",
            ) => IamPolicyAttachment,
            ("kms", "Key") => KmsKey,
            ("cloudtrail", "Trail") => Trail,
            ("lambda_", "Function") => LambdaFunction,
            ("ecs", "TaskDefinition") => EcsTaskDefinition,
            ("eks", "Cluster") => EksCluster,
            ("lb" | "alb", "LoadBalancer") => LoadBalancer,
            ("elasticache", "Cluster" | "ReplicationGroup") => ElastiCache,
            ("dynamodb", "Table") => DynamoTable,
            ("apigateway", "RestApi") | ("apigatewayv2", "Api") => ApiGateway,
            ("sqs", "Queue") => Queue,
            ("sns", "Topic") => Topic,
            ("cloudwatch", "LogGroup") => LogGroup,
            ("secretsmanager", "Secret") => Secret,
            _ => Other,
        },
        Cloud::Gcp => match (module, class) {
            ("storage", "Bucket") => GcsBucket,
            ("storage", "BucketIAMMember" | "BucketIAMBinding" | "BucketAccessControl") => {
                GcsIamMember
            }
            ("compute", "Firewall") => GcpFirewall,
            ("compute", "Instance") => GcpInstance,
            ("compute", "Disk") => GcpDisk,
            ("compute", "Address" | "GlobalAddress") => GcpAddress,
            ("container", "Cluster") => GkeCluster,
            ("sql", "DatabaseInstance") => CloudSql,
            ("redis", "Instance") => GcpRedis,
            _ => Other,
        },
        Cloud::Azure => match (module, class) {
            ("storage", "StorageAccount" | "Account") => AzureStorageAccount,
            ("storage", "BlobContainer" | "Container") => AzureBlobContainer,
            ("network", "NetworkSecurityGroup") => AzureNsg,
            ("network", "SecurityRule" | "NetworkSecurityRule") => AzureSecurityRule,
            ("compute", "VirtualMachine" | "LinuxVirtualMachine" | "WindowsVirtualMachine") => {
                AzureVm
            }
            ("containerservice", "ManagedCluster" | "KubernetesCluster") => AksCluster,
            ("network", "NatGateway") => AzureNatGateway,
            ("network", "PublicIPAddress" | "PublicIp") => AzurePublicIp,
            _ => Other,
        },
    }
}

fn cdk_kind(module: &str, class: &str) -> Kind {
    use Kind::*;
    match (module, class) {
        ("aws_s3", "Bucket" | "CfnBucket") => S3Bucket,
        ("aws_s3", "BucketPolicy" | "CfnBucketPolicy") => S3BucketPolicy,
        ("aws_ec2", "SecurityGroup" | "CfnSecurityGroup") => SecurityGroup,
        ("aws_ec2", "CfnSecurityGroupIngress") => SgIngressRule,
        ("aws_ec2", "Instance" | "CfnInstance") => Instance,
        ("aws_ec2", "LaunchTemplate" | "CfnLaunchTemplate") => LaunchTemplate,
        ("aws_ec2", "Volume" | "CfnVolume") => EbsVolume,
        ("aws_ec2", "CfnNatGateway") => NatGateway,
        ("aws_ec2", "CfnEIP") => Eip,
        ("aws_ec2", "Vpc" | "CfnVPC") => Vpc,
        ("aws_rds", "DatabaseInstance" | "DatabaseInstanceFromSnapshot" | "CfnDBInstance") => {
            DbInstance
        }
        ("aws_rds", "DatabaseCluster" | "ServerlessCluster" | "CfnDBCluster") => DbCluster,
        ("aws_iam", "Role" | "CfnRole") => IamRole,
        ("aws_iam", "Policy" | "ManagedPolicy" | "CfnPolicy" | "CfnManagedPolicy") => IamPolicy,
        ("aws_kms", "Key" | "CfnKey") => KmsKey,
        ("aws_cloudtrail", "Trail" | "CfnTrail") => Trail,
        ("aws_lambda", "Function" | "CfnFunction") => LambdaFunction,
        (
            "aws_ecs",
            "TaskDefinition" | "FargateTaskDefinition" | "Ec2TaskDefinition" | "CfnTaskDefinition",
        ) => EcsTaskDefinition,
        ("aws_eks", "Cluster" | "FargateCluster" | "CfnCluster") => EksCluster,
        (
            "aws_elasticloadbalancingv2",
            "ApplicationLoadBalancer" | "NetworkLoadBalancer" | "CfnLoadBalancer",
        ) => LoadBalancer,
        ("aws_elasticache", "CfnCacheCluster" | "CfnReplicationGroup") => ElastiCache,
        ("aws_dynamodb", "Table" | "TableV2" | "CfnTable") => DynamoTable,
        ("aws_apigateway", "RestApi" | "LambdaRestApi" | "CfnRestApi")
        | ("aws_apigatewayv2", "HttpApi" | "CfnApi") => ApiGateway,
        ("aws_sqs", "Queue" | "CfnQueue") => Queue,
        ("aws_sns", "Topic" | "CfnTopic") => Topic,
        ("aws_logs", "LogGroup" | "CfnLogGroup") => LogGroup,
        ("aws_secretsmanager", "Secret" | "CfnSecret") => Secret,
        _ => Other,
    }
}

fn cdktf_kind(cloud: Cloud, module: &str) -> Kind {
    use Kind::*;
    match cloud {
        Cloud::Aws => match module {
            "s3_bucket" => S3Bucket,
            "s3_bucket_public_access_block" => S3PublicAccessBlock,
            "s3_bucket_acl" => S3BucketAcl,
            "s3_bucket_policy" => S3BucketPolicy,
            "s3_bucket_server_side_encryption_configuration" => S3Encryption,
            "s3_bucket_versioning" => S3Versioning,
            "s3_bucket_logging" => S3Logging,
            "security_group" => SecurityGroup,
            "security_group_rule" => SgRule,
            "vpc_security_group_ingress_rule" => SgIngressRule,
            "instance" => Instance,
            "launch_template" => LaunchTemplate,
            "ebs_volume" => EbsVolume,
            "ebs_encryption_by_default" => EbsDefaultEncryption,
            "db_instance" => DbInstance,
            "rds_cluster" => DbCluster,
            "rds_cluster_instance" => DbClusterInstance,
            "iam_policy" | "iam_role_policy" | "iam_user_policy" | "iam_group_policy" => IamPolicy,
            "iam_role" => IamRole,
            "iam_role_policy_attachment"
            | "iam_user_policy_attachment"
            | "iam_group_policy_attachment"
            | "iam_policy_attachment" => IamPolicyAttachment,
            "data_aws_iam_policy_document" => IamPolicyDocument,
            "kms_key" => KmsKey,
            "cloudtrail" => Trail,
            "lambda_function" => LambdaFunction,
            "ecs_task_definition" => EcsTaskDefinition,
            "eks_cluster" => EksCluster,
            "vpc" => Vpc,
            "nat_gateway" => NatGateway,
            "eip" => Eip,
            "lb" | "alb" => LoadBalancer,
            "elasticache_cluster" | "elasticache_replication_group" => ElastiCache,
            "dynamodb_table" => DynamoTable,
            "sqs_queue" => Queue,
            "sns_topic" => Topic,
            "secretsmanager_secret" => Secret,
            _ => Other,
        },
        Cloud::Gcp => match module {
            "storage_bucket" => GcsBucket,
            "storage_bucket_iam_member" | "storage_bucket_iam_binding" => GcsIamMember,
            "compute_firewall" => GcpFirewall,
            "compute_instance" => GcpInstance,
            "container_cluster" => GkeCluster,
            "sql_database_instance" => CloudSql,
            _ => Other,
        },
        Cloud::Azure => match module {
            "storage_account" => AzureStorageAccount,
            "storage_container" => AzureBlobContainer,
            "network_security_rule" => AzureSecurityRule,
            "network_security_group" => AzureNsg,
            _ => Other,
        },
    }
}

/// CloudFormation type of a CDK construct (`aws_s3.Bucket` -> `AWS::S3::Bucket`).
fn cfn_type(module: &str, class: &str) -> String {
    let svc = match module {
        "aws_s3" => "S3",
        "aws_ec2" => "EC2",
        "aws_rds" => "RDS",
        "aws_iam" => "IAM",
        "aws_kms" => "KMS",
        "aws_cloudtrail" => "CloudTrail",
        "aws_lambda" => "Lambda",
        "aws_ecs" => "ECS",
        "aws_eks" => "EKS",
        "aws_elasticloadbalancingv2" => "ElasticLoadBalancingV2",
        "aws_elasticache" => "ElastiCache",
        "aws_dynamodb" => "DynamoDB",
        "aws_apigateway" => "ApiGateway",
        "aws_apigatewayv2" => "ApiGatewayV2",
        "aws_sqs" => "SQS",
        "aws_sns" => "SNS",
        "aws_logs" => "Logs",
        "aws_secretsmanager" => "SecretsManager",
        "core" => "CDK",
        other => {
            let s = other.trim_start_matches("aws_");
            return format!(
                "AWS::{}::{}",
                upper_first(s),
                class.trim_start_matches("Cfn")
            );
        }
    };
    let res = match class.trim_start_matches("Cfn") {
        "DatabaseInstance" | "DatabaseInstanceFromSnapshot" => "DBInstance",
        "DatabaseCluster" | "ServerlessCluster" => "DBCluster",
        "ApplicationLoadBalancer" | "NetworkLoadBalancer" => "LoadBalancer",
        "FargateTaskDefinition" | "Ec2TaskDefinition" => "TaskDefinition",
        "FargateCluster" => "Cluster",
        "LambdaRestApi" => "RestApi",
        "HttpApi" => "Api",
        "TableV2" => "GlobalTable",
        "Vpc" => "VPC",
        other => other,
    };
    format!("AWS::{svc}::{res}")
}

fn upper_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_ascii_uppercase().to_string() + c.as_str(),
        None => String::new(),
    }
}

/// Modules whose import makes a file worth modelling.
pub fn is_iac_module(module: &str) -> bool {
    let root = module.split('.').next().unwrap_or(module);
    matches!(
        root,
        "pulumi_aws"
            | "pulumi_gcp"
            | "pulumi_azure_native"
            | "pulumi_azure"
            | "aws_cdk"
            | "imports"
    ) || root.starts_with("cdktf_cdktf_provider_")
}
