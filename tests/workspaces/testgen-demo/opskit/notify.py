"""Webhooks and SNS notifications."""
import os
import time

import boto3
import requests


def post_with_retry(url: str, payload: dict, retries: int = 3) -> requests.Response:
    """POST JSON, retrying with exponential backoff on request errors."""
    for attempt in range(retries):
        try:
            resp = requests.post(url, json=payload, timeout=10)
            resp.raise_for_status()
            return resp
        except requests.RequestException:
            if attempt == retries - 1:
                raise
            time.sleep(2**attempt)
    raise RuntimeError("retries must be at least 1")


def send_slack_message(text: str) -> None:
    """Send a message to the channel behind SLACK_WEBHOOK_URL."""
    url = os.environ["SLACK_WEBHOOK_URL"]
    resp = requests.post(url, json={"text": text}, timeout=5)
    resp.raise_for_status()


class ReleaseNotifier:
    """Publishes release events to an SNS topic."""

    def __init__(self, topic_arn: str, region: str = "us-east-1"):
        self.topic_arn = topic_arn
        self.sns = boto3.client("sns", region_name=region)

    def publish(self, version: str) -> str:
        resp = self.sns.publish(
            TopicArn=self.topic_arn,
            Subject="release",
            Message=f"released {version}",
        )
        return resp["MessageId"]

    def publish_failure(self, version: str, reason: str) -> None:
        self.sns.publish(
            TopicArn=self.topic_arn,
            Subject="release-failed",
            Message=f"{version} failed: {reason}",
        )
