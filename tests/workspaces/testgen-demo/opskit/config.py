"""Settings from the environment."""
import functools
import os


def load_settings() -> dict:
    """The pipeline's settings, from environment variables."""
    return {
        "region": os.environ.get("AWS_REGION", "us-east-1"),
        "cluster": os.environ["CLUSTER_NAME"],
        "max_retries": int(os.getenv("MAX_RETRIES", "3")),
    }


def validate_version(version: str) -> str:
    """A release version without its leading `v`."""
    if not version.startswith("v"):
        raise ValueError("version must start with 'v'")
    return version.lstrip("v")


def check_port(port: int) -> int:
    if port < 1 or port > 65535:
        raise ValueError(f"port out of range: {port}")
    return port


def parse_image_ref(ref: str) -> tuple:
    """Split `name:tag` (tag defaults to latest)."""
    name, _, tag = ref.partition(":")
    return name, tag or "latest"


@functools.lru_cache(maxsize=None)
def cluster_name() -> str:
    """The EKS cluster the pipeline deploys to."""
    return os.environ["EKS_CLUSTER_NAME"]
