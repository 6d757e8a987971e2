"""The set-up commands the README promises (`make run PORT=…`, serving installs only what serving needs), read
from what make would run (`make -n -B`: every step printed, nothing run)."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _steps(*args: str) -> str:
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    done = subprocess.run(["make", "-n", "-B", *args], cwd=ROOT, capture_output=True, text=True, check=True,
                          timeout=30)
    return done.stdout


def test_make_run_serves_on_the_port_given_and_installs_only_what_serving_needs():
    steps = _steps("run", "PORT=5077")
    assert "flask --app wsgi run --host 127.0.0.1 --port 5077" in steps
    assert "pip install --quiet -e ." in steps
    assert ".[test]" not in steps  # pytest, playwright, linters: only for make test and make lint
    assert "--port 5000" in _steps("run")
