"""The practitioner web UI (GOV.UK Design System). Filled in by the web UI work."""
from __future__ import annotations

from flask import Flask


def init_web(app: Flask) -> None:
    """Register the web blueprint, templates and error pages."""
