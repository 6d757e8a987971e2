"""The shape cannot quietly rot: every route declares an access rule, and the layer contracts hold."""
import subprocess
import sys
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
