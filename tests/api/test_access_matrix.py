"""Every API route × every kind of caller, with the status each must get.

Another agency's practitioner gets 404 for a family, never 403 (existence must not leak); admins run
the service but do not read cases (403); partner keys cannot use staff endpoints (403); revoked,
unknown or missing credentials are 401. The OpenAPI document is public.
"""
from __future__ import annotations

import datetime as dt

import pytest

from .conftest import PROBLEM_JSON, Api, assert_problem, new_family_body

PRINCIPALS = ("practitioner", "manager", "admin", "outsider", "partner_key", "revoked_token", "unknown_token",
              "no_credentials")
NOT_SIGNED_IN = {"revoked_token": 401, "unknown_token": 401, "no_credentials": 401}


def case(ok: int, outsider: int) -> dict[str, int]:
    return {"practitioner": ok, "manager": ok, "admin": 403, "outsider": outsider, "partner_key": 403,
            **NOT_SIGNED_IN}


SECTION = "/families/{family}/assessment/sections/health"
# (method, path template, body) → expected status per principal
ROUTES: dict[tuple[str, str], tuple[object, dict[str, int]]] = {
    ("POST", "/families"): (new_family_body(), case(201, outsider=201)),
    ("GET", "/families?reference={reference}"): (None, case(200, outsider=200)),
    ("POST", "/families/search"): ("search", case(200, outsider=200)),
    ("GET", "/families/{family}"): (None, case(200, outsider=404)),
    ("GET", "/families/{family}/assessment"): (None, case(200, outsider=404)),
    ("GET", SECTION): (None, case(200, outsider=404)),
    ("PUT", SECTION): ({"content": "Asthma, uses an inhaler."}, case(200, outsider=404)),
    ("GET", SECTION + "/history"): (None, case(200, outsider=404)),
    ("POST", "/families/{family}/voice"): ("voice", case(201, outsider=404)),
    ("GET", "/families/{family}/voice"): (None, case(200, outsider=404)),
    ("GET", "/api/openapi.json"): (None, dict.fromkeys(PRINCIPALS, 200)),
}
CASES = [(method, path, who) for (method, path) in ROUTES for who in PRINCIPALS]


@pytest.fixture
def caller(request, client, api_as, revoke, token_for):
    def _caller(who: str) -> Api:
        if who in ("practitioner", "manager", "outsider"):
            return api_as(request.getfixturevalue(who))
        if who == "admin":
            return api_as(request.getfixturevalue("admin_user"))
        if who == "partner_key":
            return request.getfixturevalue("partner_api")
        if who == "revoked_token":
            secret = token_for(request.getfixturevalue("practitioner"))
            revoke(secret)
            return Api(client, secret)
        if who == "unknown_token":
            return Api(client, "pat_" + "A" * 43)
        return Api(client)
    return _caller


@pytest.mark.parametrize(("method", "path", "who"), CASES, ids=[f"{m} {p} as {w}" for m, p, w in CASES])
def test_route_answers_each_principal_with_the_expected_status(method, path, who, caller, practitioner,
                                                               make_family):
    family = make_family(practitioner)
    body, expected = ROUTES[(method, path)]
    if body == "voice":
        body = {"child_id": str(family.children[0].id), "words": "I like the park.", "method": "own_words",
                "recorded_on": dt.date.today().isoformat()}
    if body == "search":
        body = {"family_name": "Testfamily", "date_of_birth": "2014-06-01"}
    url = path.format(family=family.id, reference=family.reference)
    headers = {"If-Match": '"0"'} if method == "PUT" else None

    response = caller(who).call(method, url, json=body, headers=headers)

    assert response.status_code == expected[who], response.get_data(as_text=True)
    if response.status_code >= 400:
        assert_problem(response, expected[who])
    else:
        assert response.mimetype == "application/json" and response.mimetype != PROBLEM_JSON
    if who == "outsider" and path.startswith(("/families?", "/families/search")):
        assert response.get_json() == {"items": []}  # another agency's family is simply absent


def test_the_table_covers_every_api_route(app):
    routes = {
        (method, rule.rule) for rule in app.url_map.iter_rules() if rule.rule.startswith("/api/")
        for method in (rule.methods or set()) - {"HEAD", "OPTIONS"}
    }
    covered = set()
    for method, path in ROUTES:
        template = path.split("?")[0].replace("{family}", "<uuid:family_id>").replace("health", "<key>")
        covered.add((method, template if template.startswith("/api/") else "/api/v1" + template))
    assert routes == covered
