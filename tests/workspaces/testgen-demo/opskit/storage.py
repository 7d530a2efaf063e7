"""S3 helpers for build artifacts."""
import os

import boto3

ARTIFACT_BUCKET = "acme-build-artifacts"


def upload_artifact(path: str, version: str) -> str:
    """Upload a build artifact to the artifact bucket under its version."""
    key = f"releases/{version}/{os.path.basename(path)}"
    s3 = boto3.client("s3")
    s3.upload_file(path, ARTIFACT_BUCKET, key)
    return key


def list_keys(bucket: str, prefix: str = "") -> list[str]:
    """Every key under `prefix`, following pagination."""
    s3 = boto3.client("s3")
    paginator = s3.get_paginator("list_objects_v2")
    keys = []
    for page in paginator.paginate(Bucket=bucket, Prefix=prefix):
        for obj in page.get("Contents", []):
            keys.append(obj["Key"])
    return keys


def delete_release(bucket: str, version: str) -> None:
    """Remove the release marker of a version."""
    s3 = boto3.client("s3", region_name="eu-west-1")
    s3.delete_object(Bucket=bucket, Key=f"releases/{version}/RELEASED")
