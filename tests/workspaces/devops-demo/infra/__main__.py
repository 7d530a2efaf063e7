"""Pulumi stack for the web service."""

import pulumi
import pulumi_aws as aws

config = pulumi.Config()
env = config.require("env")

bucket = aws.s3.BucketV2("artifacts", force_destroy=True)

web_sg = aws.ec2.SecurityGroup(
    "web",
    ingress=[{"protocol": "tcp", "from_port": 443, "to_port": 443, "cidr_blocks": ["0.0.0.0/0"]}],
)

web = aws.ec2.Instance(
    "web",
    instance_type="t3.medium",
    ami="ami-0c55b159cbfafe1f0",
    vpc_security_group_ids=[web_sg.id],
    tags={"env": env},
)

pulumi.export("bucket", bucket.id)
