"""Family Help over the API: the lead practitioner (any agency, a change needs a reason, kept as a handover), the
team around the family (membership is no key to the record), and the one plan (goals, actions, statuses), each
change a new plan version with its audit event; partners read the plan only through the disclosure engine."""
from __future__ import annotations

import datetime as dt

import pytest

from coordination.services.sharing import consent as consent_service
from schemas.plan import PlanResponseSchema

from .. import factories
from ..conftest import actor_of
from .conftest import assert_problem, audit_events, parent_consent, partner_key, staff_api

DUE = (dt.date.today() + dt.timedelta(days=21)).isoformat()


@pytest.fixture
def teacher(school):
    """A school's member of staff: not a case-holding agency."""
    return factories.UserFactory(agency=school, role="practitioner", name="Tess Teacher",
                                 email="tess.teacher@example.org")


@pytest.fixture
def family(make_family, practitioner):
    return make_family(practitioner)


def plan_of(api, family):
    response = api.get(f"/families/{family.id}/plan")
    assert response.status_code == 200, response.get_data(as_text=True)
    return PlanResponseSchema().load(response.get_json())


def goal(api, family, title="We want mornings to be calm so Rowan gets to school on time", area="education"):
    response = api.post(f"/families/{family.id}/plan/goals", json={"title": title, "outcome_area": area})
    assert response.status_code == 201, response.get_data(as_text=True)
    return response.get_json()["id"]


def action(api, family, goal_id, owner, description="Walking bus from the corner shop, Monday to Friday"):
    response = api.post(f"/families/{family.id}/plan/goals/{goal_id}/actions",
                        json={"description": description, "owner": owner, "due_on": DUE})
    assert response.status_code == 201, response.get_data(as_text=True)
    return response.get_json()["id"]


def test_the_case_holder_builds_the_plan_and_each_change_is_a_version_with_its_audit_event(
        client, uow, practitioner, family, school):
    api = staff_api(client, uow, practitioner)
    assert plan_of(api, family)["version"] == 0
    goal_id = goal(api, family)
    parent = next(p for p in family.people if p.role == "parent_carer")
    action(api, family, goal_id, {"agency_id": str(school.id)})
    by_parent = action(api, family, goal_id, {"person_id": str(parent.id)}, "Morgan sets two alarms")
    done = api.post(f"/families/{family.id}/plan/goals/{goal_id}/actions/{by_parent}/status",
                    json={"status": "in_progress"})
    assert done.status_code == 200 and done.get_json()["status"] == "in_progress"

    plan = plan_of(api, family)

    # The first goal starts the early help plan clock: the first review is due 6 weeks on (pathways.toml taf_review)
    assert plan["version"] == 4 and plan["status"] == "open"
    assert plan["next_review_due_on"] == dt.date.today() + dt.timedelta(weeks=6)
    assert plan["lead"] == {"user_id": practitioner.id, "agency_id": practitioner.agency_id,
                            "chosen_with_family": None}
    [g] = plan["goals"]
    assert (g["title"], g["outcome_area"], g["status"], g["progress"]) == (
        "We want mornings to be calm so Rowan gets to school on time", "education", "open", [])
    assert [(a["owner"], a["status"]) for a in g["actions"]] == [
        ({"agency_id": school.id, "user_id": None, "person_id": None}, "not_started"),
        ({"agency_id": None, "user_id": None, "person_id": parent.id}, "in_progress")]
    events = audit_events(uow, family_id=str(family.id))
    changes = [(e.action, e.record_type, e.details.get("version")) for e in events
               if e.record_type in ("plan_goal", "plan_action")]
    assert changes == [("create", "plan_goal", 1), ("create", "plan_action", 2), ("create", "plan_action", 3),
                       ("update", "plan_action", 4)]
    reads = [e for e in events if e.record_type == "family_plan"]
    assert [(e.action, e.authority, e.sections) for e in reads] == [
        ("read", {"kind": "case_holder"}, ["family_plan"])] * 2
    assert "mornings" not in str([e.details for e in events])  # the family's words are not in the audit trail


def test_every_problem_is_reported_at_once_and_dropping_needs_a_reason(client, uow, practitioner, family):
    api = staff_api(client, uow, practitioner)
    body = assert_problem(api.post(f"/families/{family.id}/plan/goals", json={"title": " ",
                                                                              "outcome_area": "education"}), 422)
    assert body["errors"] == {"title": ["Enter the goal, in the family's own words"]}
    unknown = assert_problem(api.post(f"/families/{family.id}/plan/goals", json={"title": "x",
                                                                                 "outcome_area": "happiness"}), 422)
    assert list(unknown["errors"]) == ["outcome_area"]
    goal_id = goal(api, family)
    two = assert_problem(api.post(f"/families/{family.id}/plan/goals/{goal_id}/actions", json={
        "description": "", "owner": {"agency_id": str(practitioner.agency_id), "user_id": str(practitioner.id)},
        "due_on": "2099-01-01"}), 422)
    assert set(two["errors"]) == {"description", "owner", "due_on"}
    action_id = action(api, family, goal_id, {"user_id": str(practitioner.id)})
    url = f"/families/{family.id}/plan/goals/{goal_id}/actions/{action_id}/status"
    dropped = assert_problem(api.post(url, json={"status": "dropped"}), 422)
    assert dropped["errors"] == {"reason": ["Enter why the action was dropped"]}
    ok = api.post(url, json={"status": "dropped", "reason": "The family found a lift with a neighbour"})
    assert ok.status_code == 200 and ok.get_json()["status_reason"] == "The family found a lift with a neighbour"
    assert plan_of(api, family)["version"] == 3


def test_a_lead_from_a_school_reads_and_changes_the_plan_and_a_change_of_lead_needs_a_reason(
        client, uow, practitioner, family, teacher, school):
    holder = staff_api(client, uow, practitioner)
    missing = assert_problem(holder.put(f"/families/{family.id}/lead", json={
        "user_id": str(teacher.id), "chosen_with_family": False}), 422)
    assert missing["errors"] == {"reason": ["Enter why the lead practitioner is changing"]}
    response = holder.put(f"/families/{family.id}/lead", json={
        "user_id": str(teacher.id), "chosen_with_family": True, "reason": "Morgan asked for Rowan's teacher"})
    assert response.status_code == 200
    assert response.get_json() == {"user_id": str(teacher.id), "agency_id": str(school.id),
                                   "chosen_with_family": True}
    [event] = audit_events(uow, record_type="family_lead", action="update")
    assert event.details["from_user_id"] == str(practitioner.id) and event.details["handover"] is True
    assert "Morgan" not in str(event.details)

    lead = staff_api(client, uow, teacher)
    goal_id = goal(lead, family, "Rowan wants to join the football club", "health")
    plan = plan_of(lead, family)
    assert plan["version"] == 2 and plan["lead"]["agency_id"] == school.id
    assert [str(g["id"]) for g in plan["goals"]] == [goal_id]
    reads = audit_events(uow, record_type="family_plan", actor_user_id=str(teacher.id))
    assert [e.authority for e in reads] == [{"kind": "lead_practitioner"}]
    # The lead reads the plan, not the rest of the record (that still goes through the engine).
    assert lead.get(f"/families/{family.id}").status_code == 403
    # Another school's staff are no lead: the family is absent.
    other = factories.UserFactory(agency=school, role="practitioner", email="omar.other@example.org")
    assert_problem(staff_api(client, uow, other).post(f"/families/{family.id}/plan/goals",
                                                      json={"title": "x", "outcome_area": "health"}), 404)


def test_another_agency_and_roles_without_case_access(client, uow, practitioner, outsider, admin_user, family):
    assert_problem(staff_api(client, uow, outsider).get(f"/families/{family.id}/plan"), 404)
    assert_problem(staff_api(client, uow, outsider).post(f"/families/{family.id}/plan/goals", json={
        "title": "x", "outcome_area": "health"}), 404)
    assert_problem(staff_api(client, uow, admin_user).get(f"/families/{family.id}/plan"), 403)
    assert_problem(staff_api(client, uow, admin_user).put(f"/families/{family.id}/lead", json={
        "user_id": str(practitioner.id), "chosen_with_family": True}), 403)


def test_a_partner_reads_the_plan_only_under_cover_for_family_plan_and_the_read_is_in_the_access_log(
        client, uow, practitioner, family, school):
    holder = staff_api(client, uow, practitioner)
    goal_id = goal(holder, family)
    mine = action(holder, family, goal_id, {"agency_id": str(school.id)})
    action(holder, family, goal_id, {"user_id": str(practitioner.id)}, "Ava phones the housing officer")
    partner = partner_key(client, uow, school, name="Meadow MIS")
    assert_problem(partner.get(f"/families/{family.id}/plan"), 404)  # no cover at all
    parent_consent(uow, practitioner, family, ["health"], {"agencies": [school.id]})
    assert_problem(partner.get(f"/families/{family.id}/plan"), 404)  # cover, but not for the plan
    given = parent_consent(uow, practitioner, family, ["family_plan"], {"agencies": [school.id]})

    plan = plan_of(partner, family)

    assert [(str(a["id"]), a["owned_by_caller"]) for a in plan["goals"][0]["actions"]] == [
        (mine, True), (str(plan["goals"][0]["actions"][1]["id"]), False)]
    [event] = audit_events(uow, record_type="family_plan", action="disclose")
    assert event.sections == ["family_plan"] and event.authority["consents"] == [str(given.id)]
    log = holder.get(f"/families/{family.id}/access-log").get_json()["items"]
    assert [(e["agency_id"], e["api_key_name"], e["sections"]) for e in log] == [
        (str(school.id), "Meadow MIS", ["family_plan"])]

    consent_service.withdraw_consent(uow, actor_of(practitioner), given.id, "Family asked")
    uow.commit()
    assert_problem(partner.get(f"/families/{family.id}/plan"), 404)  # the very next read
    assert_problem(partner_key(client, uow, school, scopes=()).get(f"/families/{family.id}/plan"), 403)


def test_the_team_keeps_history_and_membership_gives_no_access(client, uow, practitioner, family, school):
    holder = staff_api(client, uow, practitioner)
    parent = next(p for p in family.people if p.role == "parent_carer")
    joined = holder.post(f"/families/{family.id}/team", json={"agency_id": str(school.id), "role": "School"})
    assert joined.status_code == 201
    assert holder.post(f"/families/{family.id}/team", json={"person_id": str(parent.id),
                                                            "role": "Mum"}).status_code == 201
    again = assert_problem(holder.post(f"/families/{family.id}/team", json={"agency_id": str(school.id),
                                                                           "role": "School"}), 409)
    assert again["detail"] == "They are already in the team around the family"
    both = assert_problem(holder.post(f"/families/{family.id}/team", json={
        "agency_id": str(school.id), "user_id": str(practitioner.id), "role": ""}), 422)
    assert set(both["errors"]) == {"member", "role"}
    # A member agency still reads nothing without cover.
    assert_problem(partner_key(client, uow, school).get(f"/families/{family.id}/plan"), 404)

    left = holder.call("DELETE", f"/families/{family.id}/team/{joined.get_json()['id']}")

    assert left.status_code == 200 and left.get_json()["left_on"] == dt.date.today().isoformat()
    assert_problem(holder.call("DELETE", f"/families/{family.id}/team/{joined.get_json()['id']}"), 409)
    team = plan_of(holder, family)["team"]
    assert [(m["role"], m["left_on"]) for m in team] == [("Mum", None), ("School", dt.date.today())]
    assert plan_of(holder, family)["version"] == 3
    assert [e.action for e in audit_events(uow, record_type="team_member") if e.record_id] == [
        "create", "create", "update"]


def test_a_new_lead_the_family_chose_needs_no_other_reason_and_the_handover_says_so(
        client, uow, practitioner, family, teacher):
    from coordination.models import LeadHandover

    holder = staff_api(client, uow, practitioner)
    response = holder.put(f"/families/{family.id}/lead", json={"user_id": str(teacher.id), "chosen_with_family": True})
    assert response.status_code == 200 and response.get_json()["chosen_with_family"] is True
    uow.session.expire_all()
    [handover] = uow.session.query(LeadHandover).filter(LeadHandover.family_id == family.id).all()
    assert handover.unseal(uow.keys, "reason") == "The family chose their new lead practitioner"
