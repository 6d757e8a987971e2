"""API test helpers: a bearer client, each kind of principal, and a problem+json check."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from audit.models import AuditEvent
from coordination.crypto import token_digest
from coordination.domain.actors import Actor
from coordination.models import PersonalAccessToken
from coordination.services import auth as auth_service
from coordination.services.sharing import consent as consent_service
from schemas.problem import ProblemSchema

from .. import factories
from ..conftest import actor_of

PROBLEM_JSON = "application/problem+json"
API = "/api/v1"


class Api:
    """A test client that speaks JSON with a bearer credential (or none)."""

    def __init__(self, client, secret: str | None = None):
        self.client, self.secret = client, secret

    def call(self, method: str, path: str, json=None, headers: dict | None = None):
        sent = dict(headers or {})
        if self.secret is not None:
            sent.setdefault("Authorization", f"Bearer {self.secret}")
        url = path if path.startswith("/api/") else API + path
        return self.client.open(url, method=method, json=json, headers=sent)

    def get(self, path, **kw):
        return self.call("GET", path, **kw)

    def post(self, path, json=None, **kw):
        return self.call("POST", path, json=json, **kw)

    def put(self, path, json=None, **kw):
        return self.call("PUT", path, json=json, **kw)

    def patch(self, path, json=None, **kw):
        return self.call("PATCH", path, json=json, **kw)


def assert_problem(response, status: int) -> dict:
    """The response is RFC 9457 problem+json with exactly the documented fields."""
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == PROBLEM_JSON
    body = response.get_json()
    ProblemSchema().load(body)  # unknown fields would raise: the document and the body agree
    assert body["status"] == status and body["title"] and body["detail"]
    return body


def audit_events(uow, **where) -> list[AuditEvent]:
    query = select(AuditEvent).order_by(AuditEvent.seq)
    for name, value in where.items():
        query = query.where(getattr(AuditEvent, name) == value)
    return list(uow.session.execute(query).scalars())


@pytest.fixture
def api_as(client, token_for):
    """`api_as(user)` → an Api with a fresh personal access token for that staff user."""
    def _api(user) -> Api:
        return Api(client, token_for(user))
    return _api


@pytest.fixture
def anonymous(client):
    return Api(client)


@pytest.fixture
def school(uow):
    return factories.AgencyFactory(name="Meadow Primary School", type="school")


@pytest.fixture
def partner_api(client, uow, school):
    """A partner agency's API key with every scope: still not a staff credential."""
    _key, secret = auth_service.issue_api_key(uow, Actor.system("test"), school.id, "School MIS",
                                              list(auth_service.API_SCOPES))
    uow.commit()
    return Api(client, secret)


@pytest.fixture
def revoke(uow):
    """Revoke a personal access token by its secret, as `token revoke` would, and commit."""
    def _revoke(secret: str) -> None:
        token = uow.session.execute(
            select(PersonalAccessToken).where(PersonalAccessToken.digest == token_digest(secret))).scalar_one()
        token.revoked_at = dt.datetime.now(dt.UTC)
        uow.commit()
    return _revoke


def new_family_body(surname: str = "Newfamily", **child) -> dict:
    """A fictional family not created by `make_family`, so it is no duplicate of one."""
    return {"people": [
        {"role": "child", "given_name": "Robin", "family_name": surname, "date_of_birth": "2015-06-01", **child},
        {"role": "parent_carer", "given_name": "Sam", "family_name": surname, "date_of_birth": "1987-03-15"},
    ]}


def partner_key(client, uow, agency, scopes=("read:assessment",), *, name: str = "Partner MIS") -> Api:
    """An Api speaking with a fresh API key of `agency` holding `scopes`, committed."""
    _key, secret = auth_service.issue_api_key(uow, Actor.system("test"), agency.id, name, list(scopes))
    uow.commit()
    return Api(client, secret)


def staff_api(client, uow, user) -> Api:
    """An Api speaking with a fresh personal access token of a staff user, committed."""
    secret = auth_service.issue_token(uow, Actor.system("test"), user)
    uow.commit()
    return Api(client, secret)


def parent_consent(uow, user, family, sections, recipients, **kw):
    """The family's parent consents (recorded by `user` through the service), committed."""
    parent = next(p for p in family.people if p.role == "parent_carer")
    view = consent_service.record_consent(uow, actor_of(user), family.id, given_by=parent.id,
                                          capacity="parent_with_pr", sections=sections, recipients=recipients,
                                          purpose=kw.pop("purpose", "Support"), **kw)
    uow.commit()
    return view
