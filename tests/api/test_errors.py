"""Errors the API's callers hit, all as RFC 9457 problem+json that leak nothing."""
from __future__ import annotations

import datetime as dt
import logging

import pytest
from sqlalchemy import select
from sqlalchemy.orm import sessionmaker

from coordination import create_app
from coordination.crypto import token_digest
from coordination.extensions import state
from coordination.models import PersonalAccessToken
from coordination.services import families as family_service

from .. import factories
from ..conftest import make_settings
from .conftest import Api, assert_problem


@pytest.mark.parametrize("header", [None, "", "Bearer", "Bearer   ", "Basic dXNlcjpwYXNz", "Token pat_x"])
def test_missing_or_malformed_credentials_are_401(anonymous, header):
    headers = {"Authorization": header} if header is not None else {}
    response = anonymous.get("/families?reference=EH-AAAAAA", headers=headers)
    assert_problem(response, 401)
    assert response.headers["WWW-Authenticate"] == "Bearer"


def test_unknown_token_is_401(client):
    assert_problem(Api(client, "pat_not-a-real-token").get("/families?reference=EH-AAAAAA"), 401)
    assert_problem(Api(client, "cck_not-a-real-key").get("/families?reference=EH-AAAAAA"), 401)


def test_revoked_token_is_401(client, practitioner, token_for, revoke):
    secret = token_for(practitioner)
    api = Api(client, secret)
    assert api.get("/families?reference=EH-AAAAAA").status_code == 200

    revoke(secret)

    assert_problem(api.get("/families?reference=EH-AAAAAA"), 401)


def test_expired_token_is_401(client, practitioner, token_for, uow):
    secret = token_for(practitioner)
    token = uow.session.execute(
        select(PersonalAccessToken).where(PersonalAccessToken.digest == token_digest(secret))).scalar_one()
    token.expires_at = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)
    uow.commit()

    assert_problem(Api(client, secret).get("/families?reference=EH-AAAAAA"), 401)


def test_admin_token_on_case_endpoints_is_403(api_as, admin_user):
    problem = assert_problem(api_as(admin_user).get("/families?reference=EH-AAAAAA"), 403)
    assert problem["detail"] == "Your role cannot do this"


def test_partner_key_on_staff_endpoints_is_403(partner_api, practitioner, make_family):
    family = make_family(practitioner)
    assert_problem(partner_api.get(f"/families/{family.id}"), 403)
    assert_problem(partner_api.post("/families", json={"people": []}), 403)
    # The assessment is a partner route too: with no consent for this agency the family does not exist.
    assert_problem(partner_api.get(f"/families/{family.id}/assessment"), 404)


def test_unknown_api_path_is_a_404_problem(api_as, practitioner, anonymous):
    assert_problem(api_as(practitioner).get("/nowhere"), 404)
    assert_problem(anonymous.get("/api/nowhere"), 404)
    assert_problem(anonymous.get("/api/v1/families/"), 404)


def test_wrong_method_is_a_405_problem_with_allow(anonymous):
    response = anonymous.call("DELETE", "/families")
    assert_problem(response, 405)
    assert {"GET", "POST"} <= {m.strip() for m in response.headers["Allow"].split(",")}


def test_paths_outside_the_api_are_left_to_the_web_ui(client):
    assert client.get("/no-such-page").mimetype != "application/problem+json"


def test_unexpected_error_is_a_generic_500_that_leaks_nothing(api_as, practitioner, make_family, monkeypatch,
                                                              caplog):
    family = make_family(practitioner)

    def broken(*_args, **_kwargs):
        raise RuntimeError("Rowan Testfamily, NHS 943 476 5919")

    monkeypatch.setattr(family_service, "get_family", broken)
    with caplog.at_level(logging.ERROR, logger="coordination.api"):
        response = api_as(practitioner).get(f"/families/{family.id}")

    problem = assert_problem(response, 500)
    assert "Rowan" not in response.get_data(as_text=True) and problem["request_id"]
    assert "RuntimeError" in caplog.text and "Rowan" not in caplog.text and "5919" not in caplog.text


def test_request_id_is_echoed_in_problems(anonymous):
    problem = assert_problem(anonymous.get("/families", headers={"X-Request-Id": "abc-123"}), 401)
    assert problem["request_id"] == "abc-123" and problem["instance"] == "/api/v1/families"


@pytest.fixture
def limited_app(database, tmp_path):
    """An app with rate limiting on and a small API limit (the test app usually runs without)."""
    application = create_app(make_settings(database.url, tmp_path, ratelimit_enabled=True), engine=database.engine)
    application.config["API_RATE_LIMIT"] = "3 per minute"
    connection = database.engine.connect()
    outer = connection.begin()
    state(application).sessions = sessionmaker(bind=connection, join_transaction_mode="create_savepoint",
                                               expire_on_commit=False)
    factories.bind(state(application).sessions)
    with application.app_context():
        yield application
    factories.bind(None)
    outer.rollback()
    connection.close()


def test_rate_limit_is_per_credential_and_answers_429_problems(limited_app):
    from coordination.domain.actors import Actor
    from coordination.services import auth as auth_service

    unit = state(limited_app).unit_of_work()
    team = factories.AgencyFactory(name="Riverside Early Help Hub", type="council_early_help")
    first, second = (factories.UserFactory(agency=team, role="practitioner") for _ in range(2))
    secrets = [auth_service.issue_token(unit, Actor.system("test"), user) for user in (first, second)]
    unit.commit()
    client = limited_app.test_client()
    busy, calm = Api(client, secrets[0]), Api(client, secrets[1])

    statuses = [busy.get("/families?reference=EH-AAAAAA").status_code for _ in range(4)]

    assert statuses == [200, 200, 200, 429]
    assert_problem(busy.get("/families?reference=EH-AAAAAA"), 429)
    assert calm.get("/families?reference=EH-AAAAAA").status_code == 200
    unit.session.close()


def test_api_errors_stay_problem_json_when_the_app_has_html_handlers_for_the_same_codes(app, api_as,
                                                                                         practitioner, make_family):
    """The web UI registers app-wide error pages; API requests must still get problem+json."""
    for code in (400, 404, 413, 428):
        app.register_error_handler(code, lambda _e: ("<h1>Sorry</h1>", 500))
    family = make_family(practitioner)
    api = api_as(practitioner)
    section = f"/families/{family.id}/assessment/sections/health"
    assert_problem(api.put(section, json={"content": "Text"}, headers={"If-Match": "abc"}), 400)
    assert_problem(api.put(section, json={"content": "Text"}), 428)
    assert_problem(api.get("/nowhere"), 404)
    assert_problem(api.post("/families", json={"people": ["x" * (3 * 1024 * 1024)]}), 413)


def test_api_responses_set_no_cookies_and_are_not_cached(api_as, practitioner, make_family):
    family = make_family(practitioner)
    response = api_as(practitioner).get(f"/families/{family.id}/assessment")
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers
    assert response.headers["Cache-Control"] == "no-store"
