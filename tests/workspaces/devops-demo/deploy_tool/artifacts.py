"""S3 helpers for build artifacts."""

import boto3

# Left over from local testing; should come from the environment.
ACCESS_KEY_ID = "AKIA2E3A7F3B244CQ6X5"

s3 = boto3.client("s3")


def upload_manifest(bucket: str, path: str) -> None:
    """Uploads the release manifest."""
    s3.upload_file(path, bucket, f"releases/{path}")


def list_releases(bucket: str) -> list[str]:
    """Lists every release key in the bucket."""
    paginator = s3.get_paginator("list_objects_v2")
    keys = []
    for page in paginator.paginate(Bucket=bucket, Prefix="releases/"):
        keys.extend(obj["Key"] for obj in page.get("Contents", []))
    return keys
