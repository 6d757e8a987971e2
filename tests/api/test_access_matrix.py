"""Every API route × every kind of caller, with the status each must get.

Another agency's practitioner gets 404 for a family, never 403 (existence must not leak); admins run
the service but do not read cases (403); partner keys cannot use staff endpoints (403); a partner whose
agency has no live consent or disclosure for the family gets 404 for it, as if it did not exist; a key
without the route's scope gets 403; revoked, expired, unknown or missing credentials are 401. Managers
alone share without consent and see timeliness. The OpenAPI document is public.
"""
from __future__ import annotations

import datetime as dt

import pytest

from coordination.domain.actors import Actor
from coordination.extensions import state
from coordination.services import auth as auth_service
from coordination.services import contacts
from coordination.services import contributions as contributions_service
from coordination.services import referrals as referrals_service
from coordination.services.family_help import feedback as feedback_service
from coordination.services.family_help import fgdm as fgdm_service
from coordination.services.family_help import plan as plan_service
from coordination.services.family_help import team as team_service
from coordination.services.sharing import consent as consent_service
from coordination.services.sharing import safeguarding

from .. import factories
from ..conftest import actor_of, family_maker, make_settings, rolled_back_app
from .conftest import Api, assert_problem, new_family_body

PRINCIPALS = ("practitioner", "manager", "admin", "outsider", "partner_key", "covered_partner", "scopeless_key",
              "revoked_key", "expired_key", "revoked_token", "unknown_token", "no_credentials")
NOT_SIGNED_IN = {"revoked_token": 401, "unknown_token": 401, "no_credentials": 401, "revoked_key": 401,
                 "expired_key": 401}
PARTNERS = ("partner_key", "covered_partner", "scopeless_key")


def case(ok: int, outsider: int, *, manager: int | None = None, practitioner: int | None = None,
         partner: int = 403, covered: int | None = None, scopeless: int = 403) -> dict[str, int]:
    """Staff routes by default: admins 403 (no case access), partner keys 403 (not a staff credential)."""
    return {"practitioner": ok if practitioner is None else practitioner, "manager": ok if manager is None else manager,
            "admin": 403, "outsider": outsider, "partner_key": partner,
            "covered_partner": partner if covered is None else covered, "scopeless_key": scopeless, **NOT_SIGNED_IN}


def managers_only(ok: int) -> dict[str, int]:
    return case(ok, outsider=403, practitioner=403)


SECTION = "/families/{family}/assessment/sections/health"
PERIOD = "from=2026-01-01&to=2026-03-31"
# (method, path template, body) → expected status per principal
ROUTES: dict[tuple[str, str], tuple[object, dict[str, int]]] = {
    ("POST", "/families"): (new_family_body(), case(201, outsider=201)),
    ("GET", "/families?reference={reference}"): (None, case(200, outsider=200)),
    ("POST", "/families/search"): ("search", case(200, outsider=200)),
    # Is this child known: any case-holding staff may ask (the answer names teams, never content).
    ("POST", "/known"): ({"nhs_number": "943 476 5919"}, case(200, outsider=200)),
    ("GET", "/families/{family}"): (None, case(200, outsider=404)),
    # Partners see only what consent covers: an uncovered agency is told the family does not exist.
    ("GET", "/families/{family}/assessment"): (None, case(200, outsider=404, partner=404, covered=200)),
    ("GET", SECTION): (None, case(200, outsider=404)),
    ("PUT", SECTION): ({"content": "Asthma, uses an inhaler."}, case(200, outsider=404)),
    ("GET", SECTION + "/history"): (None, case(200, outsider=404)),
    # Assessment status: the case holder marks sections and records the family's agreement (here refused with 422:
    # no section is complete yet); only its managers sign off (403 for practitioners, at the role check).
    ("GET", "/families/{family}/assessment/status"): (None, case(200, outsider=404)),
    ("PUT", SECTION + "/status"): ({"status": "in_progress"}, case(200, outsider=404)),
    ("POST", "/families/{family}/assessment/agreement"): ("agreement", case(422, outsider=404)),
    ("POST", "/families/{family}/assessment/sign-off"): (None, managers_only(422)),
    ("POST", "/families/{family}/voice"): ("voice", case(201, outsider=404)),
    ("GET", "/families/{family}/voice"): (None, case(200, outsider=404)),
    ("POST", "/families/{family}/notes"): ("note", case(201, outsider=404)),
    ("GET", "/families/{family}/notes"): (None, case(200, outsider=404)),
    ("GET", "/families/{family}/chronology"): (None, case(200, outsider=404)),
    ("GET", "/families/{family}/chronology?kind=note,referral"): (None, case(200, outsider=404)),
    ("GET", "/families/{family}/people"): (None, case(200, outsider=404)),
    ("POST", "/families/{family}/people"): ("newborn", case(201, outsider=404)),
    ("GET", "/people/{person}"): (None, case(200, outsider=404)),
    ("PATCH", "/people/{person}"): ({"given_name": "Rowen", "reason": "Misspelt at referral"},
                                    case(200, outsider=404)),
    ("POST", "/people/{person}/left"): ("left", case(200, outsider=404)),
    ("PUT", "/people/{person}/contact"): ({"phone": "01632 960 001", "language": "Polish",
                                           "interpreter_needed": True}, case(200, outsider=404)),
    ("POST", "/families/{family}/addresses"): ({"line_1": "4 Larch Row", "town": "Eastmere", "postcode": "EM1 4AB",
                                                "moved_in_on": "2024-05-01"}, case(201, outsider=404)),
    ("POST", "/families/{family}/professionals"): ({"name": "Jo Health", "role": "Health visitor",
                                                    "organisation": "Eastmere Community Health"},
                                                   case(201, outsider=404)),
    ("POST", "/professionals/{professional}/end"): (None, case(200, outsider=404)),
    ("POST", "/families/{family}/consents"): ("consent", case(201, outsider=404)),
    ("GET", "/families/{family}/consents"): (None, case(200, outsider=404)),
    ("POST", "/consents/{consent}/withdraw"): ({"reason": "Family asked"}, case(200, outsider=404)),
    ("POST", "/families/{family}/disclosures"): ("disclosure", managers_only(201)),
    ("GET", "/families/{family}/disclosures"): (None, case(200, outsider=404)),
    ("POST", "/disclosures/{disclosure}/withhold"): ({"reason": "Risk to the child"}, managers_only(200)),
    ("POST", "/disclosures/{disclosure}/revoke"): ({"reason": "No longer needed"}, managers_only(200)),
    ("GET", "/families/{family}/access-log"): (None, case(200, outsider=404)),
    ("POST", "/families/{family}/contributions"): (
        {"section": "education_send", "content": "Attendance 82% this term."},
        {**dict.fromkeys(("practitioner", "manager", "admin", "outsider"), 403), "partner_key": 404,
         "covered_partner": 201, "scopeless_key": 403, **NOT_SIGNED_IN}),
    ("GET", "/families/{family}/contributions"): (None, case(200, outsider=404)),
    ("POST", "/contributions/{contribution}/incorporated"): (None, case(200, outsider=404)),
    ("GET", "/metrics/timeliness?" + PERIOD): (None, managers_only(200)),
    ("GET", "/metrics/timeliness/children?" + PERIOD + "&pathway=social_care&stage=decision&which=late"): (
        None, managers_only(200)),
    # Referrals: seen by the case holder, the sender and the receiver (here the case holder's own agency).
    ("POST", "/referrals"): ("referral", case(201, outsider=404, partner=404, covered=201)),
    ("GET", "/referrals"): (None, case(200, outsider=200, partner=200, covered=200)),
    ("GET", "/referrals/{referral}"): (None, case(200, outsider=404, partner=404, covered=404)),
    ("GET", "/referrals/{referral}/assessment"): (None, case(200, outsider=404, partner=404, covered=404)),
    ("POST", "/referrals/{referral}/decision"): ({"decision": "accept", "reason": "Threshold met"},
                                                 case(200, outsider=404, partner=404, covered=404)),
    ("POST", "/referrals/{accepted}/transitions"): ({"to_stage": "assessment"},
                                                    case(200, outsider=404, partner=404, covered=404)),
    ("POST", "/referrals/{accepted}/close"): ({"outcome": "needs_met"},
                                              case(200, outsider=404, partner=404, covered=404)),
    ("POST", "/referrals/{accepted}/pauses"): ("pause", case(200, outsider=404, partner=404, covered=404)),
    # Early help has no clock with exceptions: the receiving team is let in and told so (422).
    ("POST", "/referrals/{accepted}/exceptions"): ({"code": "10_4_a"},
                                                   case(422, outsider=404, partner=404, covered=404)),
    ("POST", "/referrals/{referral}/redirect"): ("redirect", case(200, outsider=404, partner=404, covered=404)),
    # Family Help: the case holder (and the lead practitioner, any agency) work on the plan; partners read it only
    # under cover for family_plan (the covered partner's consent includes it).
    ("PUT", "/families/{family}/lead"): ("lead", case(200, outsider=404)),
    ("POST", "/families/{family}/team"): ("member", case(201, outsider=404)),
    ("DELETE", "/families/{family}/team/{member}"): (None, case(200, outsider=404)),
    ("GET", "/families/{family}/plan"): (None, case(200, outsider=404, partner=404, covered=200)),
    ("POST", "/families/{family}/plan/goals"): ({"title": "Calmer mornings", "outcome_area": "education"},
                                               case(201, outsider=404)),
    ("POST", "/families/{family}/plan/goals/{goal}/actions"): ("action", case(201, outsider=404)),
    ("POST", "/families/{family}/plan/goals/{goal}/actions/{action}/status"): (
        {"status": "dropped", "reason": "No longer needed"}, case(200, outsider=404)),
    # Reviews, closure (a step-up keeps the plan open), re-opening (open already: 409), feedback and FGDM.
    ("POST", "/families/{family}/reviews"): ("review", case(201, outsider=404)),
    ("POST", "/families/{family}/close"): ("close", case(200, outsider=404)),
    ("POST", "/families/{family}/reopen"): ({"reason": "The family asked for help again"}, case(409, outsider=404)),
    ("POST", "/families/{family}/feedback"): ({"said": "Meetings clash with my shifts"}, case(201, outsider=404)),
    ("POST", "/feedback/{feedback}/response"): ({"we_did": "Moved the meetings"}, case(200, outsider=404)),
    ("POST", "/families/{family}/fgdm"): ("fgdm", case(201, outsider=404)),
    ("PUT", "/families/{family}/fgdm/{fgdm}"): ("fgdm", case(200, outsider=404)),
    ("GET", "/metrics/family-help?" + PERIOD): (None, managers_only(200)),
    # The statutory returns: managers of the council's own teams (the whole authority's children), as XML.
    ("GET", "/returns/cin-census?year=2026"): (None, managers_only(200)),
    ("GET", "/people/{person}/census"): (None, case(200, outsider=404)),
    ("PUT", "/people/{person}/census"): ({"sex": "F", "ethnicity": "WBRI", "disabilities": ["NONE"]},
                                         case(200, outsider=404)),
    # An early help referral is not in the census: its receiving team is let in and told so (422).
    ("PUT", "/referrals/{referral}/census"): ({"primary_need": "N4"}, case(422, outsider=404)),
    ("GET", "/returns/sen2?year=2027"): (None, managers_only(200)),
    # An early help referral has no EHC details: those who may see it are let in and told so (422).
    ("GET", "/referrals/{referral}/ehc-details"): (None, case(422, outsider=404)),
    ("PATCH", "/referrals/{referral}/ehc-details"): ({"request_outcome": "A"}, case(422, outsider=404)),
    ("GET", "/api/openapi.json"): (None, dict.fromkeys(PRINCIPALS, 200)),
}
CASES = [(method, path, who) for (method, path) in ROUTES for who in PRINCIPALS]


@pytest.fixture(scope="module")
def world(uow, practitioner, manager, make_family, school):
    """A family with a parent's consent to the school (health, education), a manager's disclosure to the
    school, and a contribution from the school: the ids the routes need. Built once per database; each case
    runs in a savepoint rolled back after it (see `_each_case_rolled_back` at the end of this module)."""
    family = make_family(practitioner)
    parent = next(p for p in family.people if p.role == "parent_carer")
    consent = consent_service.record_consent(
        uow, actor_of(practitioner), family.id, given_by=parent.id, capacity="parent_with_pr",
        sections=["health", "education_send", "family_plan"], recipients={"agencies": [school.id]},
        purpose="Support at school")
    disclosure = safeguarding.record_disclosure(
        uow, actor_of(manager), family.id, agency_id=school.id, sections=["safety"], lawful_basis="public_task",
        justification="Risk of harm at home", expires_on=dt.date.today() + dt.timedelta(days=30))
    uow.commit()
    key, _ = auth_service.issue_api_key(uow, Actor.system("test"), school.id, "School", ["write:contributions"])
    uow.commit()
    contribution = contributions_service.add_contribution(uow, auth_service.actor_for_key(key), family.id,
                                                          "education_send", "Attendance is improving.")
    uow.commit()
    child_id, hub = family.children[0].id, practitioner.agency_id
    referral = referrals_service.create_referral(uow, actor_of(practitioner), family.id, child_id, "early_help", hub,
                                                 "Fictional reason")
    # The hub receives early help referrals (pathways.toml `receives`): it is the receiving team of both.
    accepted = referrals_service.create_referral(uow, actor_of(practitioner), family.id, child_id, "early_help", hub,
                                                 "Fictional reason")
    referrals_service.decide(uow, actor_of(practitioner), accepted.id, "accept", "Needs assessment agreed")
    right_team = factories.AgencyFactory(name="Valley Early Help Hub", type="council_early_help")  # a redirect's
    professional = contacts.add_professional(uow, actor_of(practitioner), family.id, name="Kit Carer",
                                             role="Social worker", organisation="Eastmere Children's Services")
    uow.commit()
    member = team_service.add_member(uow, actor_of(practitioner), family.id, person_id=parent.id, role="Mum")
    goal = plan_service.add_goal(uow, actor_of(practitioner), family.id, title="Calmer mornings",
                                 outcome_area="education")
    action = plan_service.add_action(uow, actor_of(practitioner), family.id, goal.id, description="Walking bus",
                                     owner={"agency_id": school.id}, due_on=dt.date.today() + dt.timedelta(days=7))
    feedback = feedback_service.add_feedback(uow, actor_of(practitioner), family.id, said="Fictional feedback")
    fgdm = fgdm_service.record_fgdm(uow, actor_of(practitioner), family.id, offered_on=dt.date.today(),
                                    offered_to_id=parent.id)
    uow.commit()
    return {"professional": professional, "family": family, "consent": consent, "feedback": feedback, "fgdm": fgdm,
            "disclosure": disclosure, "contribution": contribution, "referral": referral, "accepted": accepted,
            "right_team": right_team, "member": member, "goal": goal, "action": action}


@pytest.fixture
def caller(request, client, api_as, revoke, token_for, uow, school, other_school):
    def _key(agency, scopes, *, revoked=False, expired=False) -> Api:
        key, secret = auth_service.issue_api_key(uow, Actor.system("test"), agency.id, "Key", scopes)
        if revoked:
            key.revoked_at = dt.datetime.now(dt.UTC)
        if expired:
            key.expires_at = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)
        uow.commit()
        return Api(client, secret)

    def _caller(who: str) -> Api:
        if who in ("practitioner", "manager", "outsider"):
            return api_as(request.getfixturevalue(who))
        if who == "admin":
            return api_as(request.getfixturevalue("admin_user"))
        if who == "partner_key":  # every scope, but its agency has no cover for the family
            return _key(other_school, list(auth_service.API_SCOPES))
        if who == "covered_partner":
            return _key(school, list(auth_service.API_SCOPES))
        if who == "scopeless_key":  # the covered agency, but a key with no scopes
            return _key(school, [])
        if who == "revoked_key":
            return _key(school, list(auth_service.API_SCOPES), revoked=True)
        if who == "expired_key":
            return _key(school, list(auth_service.API_SCOPES), expired=True)
        if who == "revoked_token":
            secret = token_for(request.getfixturevalue("practitioner"))
            revoke(secret)
            return Api(client, secret)
        if who == "unknown_token":
            return Api(client, "pat_" + "A" * 43)
        return Api(client)
    return _caller


@pytest.fixture(scope="module")
def other_school(uow):
    return factories.AgencyFactory(name="Hilltop Academy", type="school")


@pytest.mark.parametrize(("method", "path", "who"), CASES, ids=[f"{m} {p} as {w}" for m, p, w in CASES])
def test_route_answers_each_principal_with_the_expected_status(method, path, who, caller, world, school):
    family = world["family"]
    body, expected = ROUTES[(method, path)]
    if body == "voice":
        body = {"child_id": str(family.children[0].id), "words": "I like the park.", "method": "own_words",
                "recorded_on": dt.date.today().isoformat()}
    elif body == "note":
        body = {"kind": "call", "occurred_at": dt.datetime.now(dt.UTC).isoformat(), "with_whom": "Morgan (parent)",
                "text": "Fictional call about the school run."}
    elif body == "newborn":
        body = {"role": "child", "given_name": "Wren", "family_name": "Testfamily",
                "date_of_birth": dt.date.today().isoformat()}
    elif body == "left":
        body = {"left_on": dt.date.today().isoformat(), "reason": "Moved to live with a grandparent"}
    elif body == "search":
        body = {"family_name": "Testfamily", "date_of_birth": "2014-06-01"}
    elif body == "consent":
        parent = next(p for p in family.people if p.role == "parent_carer")
        body = {"given_by": str(parent.id), "capacity": "parent_with_pr", "sections": ["strengths"],
                "recipients": {"agency_types": ["health"]}, "purpose": "GP support"}
    elif body == "disclosure":
        body = {"agency_id": str(school.id), "sections": ["worries"], "lawful_basis": "public_task",
                "justification": "Child disclosed harm",
                "expires_on": (dt.date.today() + dt.timedelta(days=7)).isoformat()}
    elif body == "referral":
        body = {"family_id": str(family.id), "child_id": str(family.children[0].id), "pathway": "early_help",
                "to_agency_id": str(world["referral"].to_agency_id), "reason": "Fictional reason"}
    elif body == "redirect":
        body = {"to_agency_id": str(world["right_team"].id), "reason": "The family lives in the valley's area"}
    elif body == "lead":  # the lead they have, now recorded as chosen with the family: no reason needed
        body = {"user_id": str(family.lead_practitioner_id), "chosen_with_family": True}
    elif body == "member":
        body = {"agency_id": str(school.id), "role": "School"}
    elif body == "action":
        body = {"description": "School nurse sees Rowan", "owner": {"agency_id": str(school.id)},
                "due_on": dt.date.today().isoformat()}
    elif body == "review":
        body = {"held_on": dt.date.today().isoformat(), "attendees": ["Morgan (mum)"], "family_view": "Calmer",
                "child_views": [{"child_id": str(c.id), "method": "own_words", "words": "Good"}
                                for c in family.children],
                "progress": [{"goal_id": str(world["goal"].id), "score": 5}]}
    elif body == "close":
        body = {"closed_on": dt.date.today().isoformat(), "reason": "step_up", "feedback_sought": False}
    elif body == "fgdm":
        parent = next(p for p in family.people if p.role == "parent_carer")
        body = {"offered_on": dt.date.today().isoformat(), "offered_to_id": str(parent.id)}
    elif body == "agreement":
        parent = next(p for p in family.people if p.role == "parent_carer")
        body = {"agreed_by": str(parent.id), "agreed_on": dt.date.today().isoformat()}
    elif body == "pause":
        body = {"reason": "family_request", "from_on": (dt.date.today() - dt.timedelta(days=1)).isoformat()}
    url = path.format(family=family.id, reference=family.reference, consent=world["consent"].id,
                      disclosure=world["disclosure"].id, contribution=world["contribution"].id,
                      referral=world["referral"].id, accepted=world["accepted"].id, member=world["member"].id,
                      goal=world["goal"].id, action=world["action"].id, feedback=world["feedback"].id,
                      fgdm=world["fgdm"].id, person=family.children[0].id, professional=world["professional"].id)
    headers = {"If-Match": '"0"'} if method == "PUT" and "sections" in path else None
    if method == "PATCH":
        headers = {"If-Match": '"1"'}

    response = caller(who).call(method, url, json=body, headers=headers)

    assert response.status_code == expected[who], response.get_data(as_text=True)
    if response.status_code >= 400:
        assert_problem(response, expected[who])
    else:
        assert response.mimetype == ("application/xml" if path.startswith("/returns/") else "application/json")
    if who == "outsider" and path.startswith(("/families?", "/families/search")):
        assert response.get_json() == {"items": []}  # another agency's family is simply absent


def test_the_table_covers_every_api_route(app):
    routes = {
        (method, rule.rule) for rule in app.url_map.iter_rules() if rule.rule.startswith("/api/")
        for method in (rule.methods or set()) - {"HEAD", "OPTIONS"}
    }
    covered = set()
    for method, path in ROUTES:
        template = (path.split("?")[0].replace("{family}", "<uuid:family_id>").replace("health", "<key>")
                    .replace("{consent}", "<uuid:consent_id>").replace("{disclosure}", "<uuid:disclosure_id>")
                    .replace("{contribution}", "<uuid:contribution_id>").replace("{person}", "<uuid:person_id>")
                    .replace("{professional}", "<uuid:professional_id>")
                    .replace("{referral}", "<uuid:referral_id>").replace("{accepted}", "<uuid:referral_id>")
                    .replace("{member}", "<uuid:member_id>").replace("{goal}", "<uuid:goal_id>")
                    .replace("{action}", "<uuid:action_id>").replace("{feedback}", "<uuid:feedback_id>")
                    .replace("{fgdm}", "<uuid:fgdm_id>"))
        covered.add((method, template if template.startswith("/api/") else "/api/v1" + template))
    assert routes == covered


# ---- one world per database, one savepoint per case ----------------------------------------------------------
# Building `world` for each of the ~760 cases was most of this module's time. Here the app, its outer transaction
# and every fixture `world` and `caller` use are module-scoped (these override tests/conftest.py's function-scoped
# ones for this module only), and each case runs inside a SAVEPOINT that is rolled back after it, so no case sees
# another's writes. A fixture added to `world`'s arguments must be module-scoped too (pytest says ScopeMismatch
# otherwise): add it below and to `_each_case_rolled_back`'s arguments, so it exists before the first savepoint.


@pytest.fixture(scope="module")
def app(database, tmp_path_factory):
    with rolled_back_app(database, make_settings(database.url, tmp_path_factory.mktemp("matrix"))) as application:
        yield application


@pytest.fixture(scope="module")
def uow(app):
    unit = state(app).unit_of_work(request_id="test")
    yield unit
    unit.session.close()


@pytest.fixture(scope="module")
def make_family(uow):
    return family_maker(uow)


@pytest.fixture(scope="module")
def early_help(uow):
    return factories.AgencyFactory(name="Riverside Early Help Hub", type="council_early_help")


@pytest.fixture(scope="module")
def other_council_team(uow):
    return factories.AgencyFactory(name="Hillside Early Help Hub", type="council_early_help")


@pytest.fixture(scope="module")
def practitioner(early_help):
    return factories.UserFactory(agency=early_help, role="practitioner", email="ava.practitioner@example.org")


@pytest.fixture(scope="module")
def manager(early_help):
    return factories.UserFactory(agency=early_help, role="manager", email="max.manager@example.org")


@pytest.fixture(scope="module")
def admin_user(early_help):
    return factories.UserFactory(agency=early_help, role="admin", email="ada.admin@example.org")


@pytest.fixture(scope="module")
def outsider(other_council_team):
    return factories.UserFactory(agency=other_council_team, role="practitioner", email="olu.outsider@example.org")


@pytest.fixture(scope="module")
def school(uow):
    return factories.AgencyFactory(name="Meadow Primary School", type="school")


@pytest.fixture(autouse=True)
def _each_case_rolled_back(app, uow, world, practitioner, manager, admin_user, outsider, school, other_school):
    """Every module-scoped row exists before the case's savepoint opens; everything the case writes (its keys and
    tokens, what its request changed) is rolled back after it, and the sessions held across cases forget it."""
    held = (uow.session, factories.current_session())
    for session in held:
        if session.in_transaction():
            session.commit()  # a module fixture's unflushed work belongs to the world, not to this case
    savepoint = state(app).sessions.kw["bind"].begin_nested()
    yield
    for session in held:
        session.rollback()
    savepoint.rollback()
    for session in held:
        session.expire_all()  # e.g. the audit chain head this case moved on: reload it as the world left it
