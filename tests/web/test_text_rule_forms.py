"""One input rule for all text (coordination.domain.text), in the web forms: a control character (a NUL
byte, an escape) in any field is a GOV.UK error message on that field, never a 500 (PostgreSQL cannot store
NUL), and nothing is written. Browsers cannot send a lone surrogate (form bodies are UTF-8 and decode with
replacement), so the forms see only control characters."""
from __future__ import annotations

import importlib
import inspect
import pkgutil

import pytest
from wtforms import Form

import coordination.web
from coordination.domain.text import FORM_MESSAGE
from coordination.web.forms import ServiceForm, ServiceSubForm

from .conftest import error_summary, person_rows
from .test_referral_pages import (  # noqa: F401  (fixtures)
    answers,
    as_user,
    family,
    refer,
    referrals_in,
    social_care,
    social_worker,
)

BAD = pytest.mark.parametrize("bad", ["\x00", "\x1b"], ids=["nul", "escape"])
NUL = pytest.mark.parametrize("bad", ["\x00"], ids=["nul"])


def _summary(response) -> dict[str, str]:
    assert response.status_code in (200, 400), response.status_code
    return error_summary(response.get_data(as_text=True))


def test_every_form_of_the_web_ui_carries_the_text_rule():
    forms = []
    for info in pkgutil.walk_packages(coordination.web.__path__, "coordination.web."):
        module = importlib.import_module(info.name)
        forms += [cls for _name, cls in inspect.getmembers(module, inspect.isclass)
                  if issubclass(cls, Form) and cls.__module__ == module.__name__]
    assert len(forms) >= 20
    assert [f.__name__ for f in forms if not issubclass(f, ServiceForm | ServiceSubForm)] == []


@BAD
def test_control_characters_in_search_and_create_family_are_field_errors(signed_in, uow, bad):
    assert _summary(signed_in.submit("/families/find", {"reference": "EH-" + bad})) == {"#reference": FORM_MESSAGE}
    data = person_rows(children=[("Ro" + bad + "wan", "Testfamily", ("1", "6", "2015"))])
    response = signed_in.submit("/families/new", data)
    assert _summary(response) == {"#children-0-given_name": FORM_MESSAGE}


@NUL
def test_control_characters_in_a_section_and_a_consent_purpose_are_field_errors(signed_in, practitioner,
                                                                                make_family, bad):
    made = make_family(practitioner)
    section = f"/families/{made.id}/assessment/health"
    response = signed_in.submit(section, {"content": "Asthma" + bad, "version": "0"})
    assert _summary(response) == {"#content": FORM_MESSAGE}
    assert "Asthma" not in signed_in.get(f"/families/{made.id}/assessment").get_data(as_text=True)
    parent = next(p for p in made.people if p.role == "parent_carer")
    response = signed_in.submit(f"/families/{made.id}/consents/new", {
        "given_by": str(parent.id), "capacity": "parent_with_pr", "decision": "permit", "sections": ["health"],
        "agency_types": ["school"], "purpose": "Support" + bad, "method": "written"})
    assert FORM_MESSAGE in _summary(response).values()


@NUL
def test_control_characters_in_a_referral_its_key_its_decision_and_its_closing_are_field_errors(
        app, uow, practitioner, social_worker, social_care, family, bad):  # noqa: F811
    lead = as_user(app, practitioner)
    url = f"/families/{family.id}/referrals/new"
    summary = _summary(lead.submit(url, answers(family, social_care, reason="Withdrawn" + bad)))
    assert summary == {"#reason": FORM_MESSAGE}
    summary = _summary(lead.submit(url, {**answers(family, social_care), "idempotency_key": "k" + bad}))
    assert FORM_MESSAGE in summary.values()
    assert referrals_in(uow) == []

    refer(lead, family, social_care)
    (made,) = referrals_in(uow)
    worker = as_user(app, social_worker)
    page = f"/referrals/{made.id}"
    summary = _summary(worker.submit(page + "/decision", {"decision": "decline", "reason": "Below the threshold",
                                                          "signposted_to": "Family Hub" + bad}, form_url=page))
    assert summary == {"#signposted_to": FORM_MESSAGE}
    assert referrals_in(uow)[0].status == "received"
    assert worker.submit(page + "/decision", {"decision": "accept", "reason": "Assess"}, form_url=page
                         ).status_code == 302
    assert _summary(worker.submit(page + "/close", {"outcome": "done" + bad}, form_url=page)) == {
        "#outcome": FORM_MESSAGE}
    assert referrals_in(uow)[0].status == "accepted"


def test_a_nul_in_the_sign_in_email_is_a_field_error(browser):
    response = browser.submit("/sign-in", {"email": "ava\x00@example.org", "password": "x" * 12})
    assert _summary(response) == {"#email": FORM_MESSAGE}
