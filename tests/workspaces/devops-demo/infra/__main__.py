"""Pulumi stack for the web service: a VPC with a NAT gateway, an ALB in front
of two web instances, a Postgres database and an artifacts bucket."""

import json

import pulumi
import pulumi_aws as aws

config = pulumi.Config()
env = config.require("env")
db_password = config.require_secret("db_password")

AMI = "ami-0c55b159cbfafe1f0"
ROOT_VOLUME = {"volume_size": 20, "volume_type": "gp3", "encrypted": True}

# --- network -----------------------------------------------------------------
vpc = aws.ec2.Vpc("main", cidr_block="10.0.0.0/16", enable_dns_hostnames=True)
public_a = aws.ec2.Subnet("public-a", vpc_id=vpc.id, cidr_block="10.0.1.0/24", map_public_ip_on_launch=True)
private_a = aws.ec2.Subnet("private-a", vpc_id=vpc.id, cidr_block="10.0.2.0/24")
nat_ip = aws.ec2.Eip("nat", domain="vpc")
nat = aws.ec2.NatGateway("nat", allocation_id=nat_ip.id, subnet_id=public_a.id)
private_rt = aws.ec2.RouteTable("private", vpc_id=vpc.id)
# A default route through the NAT gateway: 0.0.0.0/0 here is not ingress.
aws.ec2.Route("private-default", route_table_id=private_rt.id, destination_cidr_block="0.0.0.0/0", nat_gateway_id=nat.id)

lb_sg = aws.ec2.SecurityGroup(
    "lb",
    vpc_id=vpc.id,
    ingress=[{"protocol": "tcp", "from_port": 443, "to_port": 443, "cidr_blocks": ["0.0.0.0/0"]}],
    egress=[{"protocol": "-1", "from_port": 0, "to_port": 0, "cidr_blocks": ["0.0.0.0/0"]}],
)
web_sg = aws.ec2.SecurityGroup(
    "web",
    vpc_id=vpc.id,
    ingress=[
        {"protocol": "tcp", "from_port": 8080, "to_port": 8080, "security_groups": [lb_sg.id]},
        {"protocol": "tcp", "from_port": 22, "to_port": 22, "cidr_blocks": ["0.0.0.0/0"]},
    ],
)

# --- compute -----------------------------------------------------------------
web_a = aws.ec2.Instance(
    "web-a",
    instance_type="t3.medium",
    ami=AMI,
    subnet_id=private_a.id,
    vpc_security_group_ids=[web_sg.id],
    root_block_device=ROOT_VOLUME,
    metadata_options={"http_tokens": "required"},
    tags={"env": env},
)
web_b = aws.ec2.Instance(
    "web-b",
    instance_type="t3.medium",
    ami=AMI,
    subnet_id=private_a.id,
    vpc_security_group_ids=[web_sg.id],
    root_block_device=ROOT_VOLUME,
    tags={"env": env},
)
alb = aws.lb.LoadBalancer("web", load_balancer_type="application", subnets=[public_a.id], security_groups=[lb_sg.id])

# --- data --------------------------------------------------------------------
db = aws.rds.Instance(
    "db",
    engine="postgres",
    engine_version="16.3",
    instance_class="db.t4g.small",
    allocated_storage=20,
    storage_type="gp3",
    vpc_security_group_ids=[web_sg.id],
    username="app",
    password=db_password,
    storage_encrypted=True,
    deletion_protection=True,
    skip_final_snapshot=True,
)

bucket = aws.s3.BucketV2("artifacts", force_destroy=True)
aws.s3.BucketPublicAccessBlock(
    "artifacts",
    bucket=bucket.id,
    block_public_acls=True,
    block_public_policy=True,
    ignore_public_acls=True,
    restrict_public_buckets=True,
)
aws.s3.BucketServerSideEncryptionConfigurationV2(
    "artifacts",
    bucket=bucket.id,
    rules=[{"apply_server_side_encryption_by_default": {"sse_algorithm": "aws:kms"}}],
)
aws.s3.BucketVersioningV2("artifacts", bucket=bucket.id, versioning_configuration={"status": "Enabled"})
aws.s3.BucketPolicy(
    "artifacts-tls-only",
    bucket=bucket.id,
    policy=bucket.arn.apply(lambda arn: json.dumps({"Version": "2012-10-17", "Statement": [{
        "Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": [arn, f"{arn}/*"],
        "Condition": {"Bool": {"aws:SecureTransport": "false"}},
    }]})),
)

# --- CI deploy permissions -----------------------------------------------------
deploy_policy = aws.iam.Policy(
    "deploy",
    policy=json.dumps({
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": ["s3:PutObject", "s3:GetObject"], "Resource": "*"}],
    }),
)

pulumi.export("bucket", bucket.id)
pulumi.export("url", alb.dns_name)
