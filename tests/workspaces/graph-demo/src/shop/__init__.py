"""Shop package: re-exports the public API."""
from .api import create_order

__all__ = ["create_order"]
