"""Reads the deploy configuration."""

import os

import yaml


def load(path: str) -> dict:
    """Loads deploy.yml and overlays environment overrides."""
    with open(path) as fh:
        data = yaml.load(fh)
    data["version"] = os.environ.get("DEPLOY_VERSION", data.get("version", "latest"))
    data["registry"] = os.getenv("REGISTRY", "registry.example.com")
    return data
