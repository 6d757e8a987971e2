"""The shape cannot quietly rot: every route declares an access rule, and the layer contracts hold."""
import subprocess
import sys
import tomllib
from pathlib import Path

from coordination.auth.decorators import rule_of

ROOT = Path(__file__).resolve().parent.parent


def test_every_route_declares_an_access_rule(app):
    missing = [
        rule.rule for rule in app.url_map.iter_rules()
        if rule.endpoint != "static" and rule_of(app.view_functions[rule.endpoint]) is None
    ]
    assert missing == []


def test_import_layers_hold():
    result = subprocess.run([str(Path(sys.executable).parent / "lint-imports")], cwd=ROOT, capture_output=True,
                            text=True, check=False)
    assert result.returncode == 0, result.stdout[-3000:]


def test_the_contracts_stay_as_strict_as_the_layering_they_claim():
    contracts = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]["contracts"]
    layers = next(c for c in contracts if c["type"] == "layers")
    assert "coordination.web | coordination.api | coordination.jobs | coordination.demo" in layers["layers"]
    assert layers.get("ignore_imports", []) == ["coordination.jobs.runtime -> coordination"]  # the worker's app
    below_views = [c for c in contracts if set(c.get("source_modules", [])) & {"coordination.services",
                                                                               "coordination.domain"}]
    assert below_views and not any(c.get("allow_indirect_imports") for c in below_views)
    forbidden = {m for c in below_views for m in c["forbidden_modules"]}
    assert {"flask", "flask_login", "werkzeug", "coordination.extensions", "sqlalchemy"} <= forbidden
    views = next(c for c in contracts if "coordination.web" in c.get("source_modules", []))
    assert {"coordination.api", "coordination.auth"} <= set(views["source_modules"])
    assert {"coordination.models", "coordination.repositories", "sqlalchemy"} <= set(views["forbidden_modules"])
