"""Deployments through kubectl, helm and git."""
import subprocess

ENVIRONMENTS = ("dev", "staging", "prod")


def deploy_service(service: str, env: str, image_tag: str = "latest") -> None:
    """Roll a service's deployment to a new image in one environment."""
    if env not in ENVIRONMENTS:
        raise ValueError(f"unknown environment: {env}")
    subprocess.run(
        [
            "kubectl",
            "--context",
            env,
            "set",
            "image",
            f"deployment/{service}",
            f"{service}=registry.example.com/{service}:{image_tag}",
        ],
        check=True,
    )


def rollback(service: str, revision: int) -> None:
    """Roll a helm release back to an earlier revision."""
    if revision < 1:
        raise ValueError("revision must be positive")
    subprocess.check_call(["helm", "rollback", service, str(revision), "--wait"])


def current_commit() -> str:
    """The commit checked out in the working directory."""
    result = subprocess.run(
        ["git", "rev-parse", "HEAD"], capture_output=True, text=True, check=True
    )
    return result.stdout.strip()
