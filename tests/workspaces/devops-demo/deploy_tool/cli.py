"""Command line entry point: `python -m deploy_tool.cli deploy --env staging`."""

import argparse
import subprocess
import sys

from deploy_tool import artifacts, config, notify

DEFAULT_REGION = "eu-west-1"


def build_image(tag: str) -> None:
    """Builds and pushes the container image."""
    subprocess.run(["docker", "build", "-t", tag, "."], check=True)
    subprocess.run(["docker", "push", tag])


def rollout(env: str, tag: str) -> None:
    """Rolls the new image out with kubectl."""
    cmd = f"kubectl -n {env} set image deploy/web web={tag}"
    subprocess.run(cmd, shell=True, check=True)
    subprocess.run("kubectl get pods -A", shell=True, check=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="deploy")
    parser.add_argument("action", choices=["deploy", "rollback"])
    parser.add_argument("--env", default="staging")
    args = parser.parse_args(argv)
    settings = config.load("deploy.yml")
    tag = f"{settings['registry']}/web:{settings['version']}"
    build_image(tag)
    rollout(args.env, tag)
    artifacts.upload_manifest(settings["bucket"], "manifest.json")
    notify.slack(f"Deployed {tag} to {args.env}")
    if args.action == "rollback":
        subprocess.run("helm rollback web " + sys.argv[2], shell=True)  # devops-intel: ignore[SEC001]
    return 0


if __name__ == "__main__":
    sys.exit(main())
