"""Schemathesis runs every operation of the OpenAPI document against the live API, once with a staff token and
once with a partner key, over a committed database holding a family with a live consent, a live safeguarding
disclosure, a referral and a contribution (so the ids in paths reach real records, not only 404s).

All checks, all phases (examples, coverage, fuzzing, stateful), bounded by examples and time (50 s a run,
on PostgreSQL: about 2 minutes for both credentials on a 2-core machine). It fails on any
5xx and on any response that breaks its documented schema; every recorded response is also validated with
jsonschema's Draft 2020-12 validator (schemathesis's own check was seen to let null through an enum).

Positive data may meet a 422: rules JSON Schema cannot state (NHS number check digits, "a child of this
family", the stage a pathway allows next, dates relative to today) are the services' and are documented in
words; every 422 is still checked against the Problem schema.
"""
from __future__ import annotations

import datetime as dt
import json
import logging
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from coordination import create_app
from coordination.domain.actors import Actor
from coordination.extensions import state
from coordination.services import auth as auth_service
from coordination.services import contacts
from coordination.services import contributions as contributions_service
from coordination.services import referrals as referrals_service
from coordination.services.families import NewPerson, create_family
from coordination.services.sharing import consent as consent_service
from coordination.services.sharing import safeguarding

from .. import factories
from ..browser.conftest import serve
from ..conftest import actor_of, make_settings
from .openapi_support import find_operation, response_errors

MAX_EXAMPLES = int(os.environ.get("SCHEMATHESIS_MAX_EXAMPLES", "12"))
MAX_SECONDS = int(os.environ.get("SCHEMATHESIS_MAX_SECONDS", "50"))
SCHEMATHESIS = Path(sys.executable).with_name("schemathesis")


def seed(app) -> dict[str, str]:
    """The fixture family set, committed; the credentials and the ids schemathesis puts in paths."""
    st = state(app)
    factories.bind(st.sessions)
    hub = factories.AgencyFactory(name="Riverside Early Help Hub", type="council_early_help")
    camhs = factories.AgencyFactory(name="Riverside CAMHS", type="mental_health")
    practitioner = factories.UserFactory(agency=hub, role="manager", email="ava.manager@example.org")
    factories.bind(None)
    uow = st.unit_of_work(request_id="seed")
    actor = actor_of(practitioner)
    family = create_family(uow, actor, [
        NewPerson("parent_carer", "Morgan", "Testfamily", dt.date(1988, 4, 2)),
        NewPerson("child", "Rowan", "Testfamily", dt.date(2014, 6, 1), nhs_number="9990000018")])
    parent = next(p for p in family.people if p.role == "parent_carer")
    child = next(p for p in family.people if p.role == "child")
    consent = consent_service.record_consent(
        uow, actor, family.id, given_by=parent.id, capacity="parent_with_pr", sections=["family_story", "health"],
        recipients={"agencies": [camhs.id]}, purpose="So CAMHS reads the family's story once")
    disclosure = safeguarding.record_disclosure(
        uow, actor, family.id, agency_id=camhs.id, sections=["safety"], lawful_basis="public_task",
        justification="Fictional: a risk of harm", expires_on=dt.date.today() + dt.timedelta(days=30))
    referral = referrals_service.create_referral(uow, actor, family.id, child.id, "camhs", camhs.id,
                                                 "Fictional: low mood")
    professional = contacts.add_professional(uow, actor, family.id, name="Jo Reed", role="School nurse",
                                             organisation="Eastmere Community Health (fictional)")
    token = auth_service.issue_token(uow, Actor.system("test"), practitioner)
    key, secret = auth_service.issue_api_key(uow, Actor.system("test"), camhs.id, "CAMHS system",
                                             list(auth_service.API_SCOPES))
    uow.commit()
    contribution = contributions_service.add_contribution(uow, auth_service.actor_for_key(key), family.id,
                                                          "health", "Fictional: seen in clinic")
    uow.commit()
    uow.session.close()
    return {"staff": token, "partner": secret, "family_id": str(family.id), "referral_id": str(referral.id),
            "consent_id": str(consent.id), "disclosure_id": str(disclosure.id),
            "contribution_id": str(contribution.id), "key": "health", "person_id": str(child.id),
            "professional_id": str(professional.id)}


@pytest.fixture
def live_api(request, database, tmp_path):
    if database.name != "postgresql":
        pytest.skip("schemathesis runs once per credential, on PostgreSQL (where NUL bytes fail), to stay within "
                    "its time budget; the API tests cover SQLite")
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # one line per request is noise here
    fresh = request.getfixturevalue("fresh_database")
    app = create_app(make_settings(fresh.url, tmp_path))
    seeded = seed(app)
    with serve(app) as base:
        yield base, seeded
    state(app).engine.dispose()


def _config(tmp_path: Path, seeded: dict[str, str]) -> Path:
    path_ids = {k: v for k, v in seeded.items() if k not in ("staff", "partner")}
    lines = ["[checks.positive_data_acceptance]",
             'expected-statuses = ["2xx", "401", "403", "404", "409", "412", "422", "428"]',
             # 428 Precondition Required (RFC 6585) is the answer to a missing If-Match; 412 to a stale one.
             "[checks.missing_required_header]",
             'expected-statuses = ["400", "401", "403", "406", "415", "422", "428"]',
             "", "[parameters]"] + [f'"path.{name}" = "{value}"' for name, value in path_ids.items()]
    config = tmp_path / "schemathesis.toml"
    config.write_text("\n".join(lines) + "\n")
    return config


def _recorded(har: Path) -> list[dict]:
    return json.loads(har.read_text())["log"]["entries"] if har.exists() else []


@pytest.mark.parametrize("credential", ["staff", "partner"])
def test_every_operation_keeps_its_documented_contract(live_api, tmp_path, credential):
    base, seeded = live_api
    har = tmp_path / f"{credential}.har"
    started = time.monotonic()
    run = subprocess.run(  # noqa: S603 - our own venv's schemathesis against our own loopback server
        [str(SCHEMATHESIS), "--config-file", str(_config(tmp_path, seeded)), "run", f"{base}/api/openapi.json",
         "--url", base, "-H", f"Authorization: Bearer {seeded[credential]}", "--checks", "all",
         "--phases", "examples,coverage,fuzzing,stateful", "--max-examples", str(MAX_EXAMPLES),
         "--max-time", str(MAX_SECONDS), "--seed", "20261202", "--workers", "1", "--no-color",
         "--generation-allow-x00", "true", "--report", "har", "--report-har-path", str(har)],
        capture_output=True, text=True, timeout=MAX_SECONDS * 4 + 60, cwd=tmp_path)
    elapsed = time.monotonic() - started
    with urllib.request.urlopen(f"{base}/api/openapi.json") as answer:  # noqa: S310 - our loopback server
        spec = json.load(answer)
    broken = []
    entries = _recorded(har)
    for entry in entries:
        request, response = entry["request"], entry["response"]
        path = "/" + request["url"].split("/", 3)[3].split("?")[0]
        operation = find_operation(spec, request["method"], path)
        if response["status"] >= 500:
            broken.append(f"{request['method']} {path} → {response['status']}")
        if operation is None:  # schemathesis's probes of undocumented methods (405; it checks those itself)
            continue
        mimetype = response["content"].get("mimeType", "").split(";")[0]
        text = response["content"].get("text")
        if not text or not mimetype.endswith("json"):
            continue
        for error in response_errors(spec, operation, response["status"], mimetype, json.loads(text)):
            broken.append(f"{request['method']} {path} → {response['status']}: {error}")
    out = run.stdout.splitlines()
    start = next((i for i, line in enumerate(out) if "SUMMARY" in line), max(0, len(out) - 30))
    phases = [line for line in out[:start] if "(in " in line or "passed" in line or "Scenarios" in line]
    summary = phases + [line for line in out[start:] if line.strip() and "Dropped" not in line]
    print(f"\nschemathesis ({credential}): {len(entries)} requests recorded in {elapsed:.0f} s; "
          f"exit {run.returncode}\n" + "\n".join(summary))
    assert run.returncode == 0, run.stdout[-8000:] + run.stderr[-2000:]
    assert entries, "schemathesis recorded no requests"
    assert broken == [], "\n".join(broken[:40])
