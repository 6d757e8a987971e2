"""The JSON API at /api/v1 (staff tokens and partner keys). Filled in by the API work."""
from __future__ import annotations

from flask import Flask


def init_api(app: Flask) -> None:
    """Register the API blueprint, problem+json errors and the OpenAPI document."""
