"""Whose figures a referral counts in: the receiving agency's, the sending agency's and the agency holding the
family's case — each through the clock rows the referral services write (migration 0006 copies the referral's
agencies onto its clocks so that a manager's figures never scan the referral table)."""
import datetime as dt

from sqlalchemy import select

from coordination.models import ReferralClock
from coordination.services.reporting import metrics

from .. import factories
from ..conftest import actor_of
from .test_referrals import consent_to, key_for, refer


def _open_first_contacts(uow, user) -> int:
    today = uow.today()
    report = metrics.timeliness(uow, actor_of(user), today - dt.timedelta(days=30), today, pathway="camhs")
    figure = report.figure("camhs", "first_contact")
    return figure.open if figure else 0


def test_a_schools_referral_counts_for_the_school_the_receiving_team_and_the_case_holder_only(
        uow, practitioner, manager, other_council_team, make_family):
    family = make_family(practitioner)
    school = factories.AgencyFactory(name="Eastmere Primary", type="school")
    camhs = factories.AgencyFactory(name="Riverside CAMHS", type="mental_health")
    consent_to(uow, practitioner, family, school)
    view = refer(uow, key_for(uow, school), family, camhs)

    clock = uow.session.execute(select(ReferralClock).where(ReferralClock.referral_id == view.id,
                                                            ReferralClock.name == "first_contact")).scalar_one()
    assert (clock.to_agency_id, clock.from_agency_id, clock.owning_agency_id) == (camhs.id, school.id,
                                                                                  practitioner.agency_id)
    assert (clock.urgency, clock.child_age_at_referral) == ("routine", view.child_age_at_referral)

    school_head = factories.UserFactory(agency=school, role="manager", email="head@eastmere-primary.example.org")
    camhs_lead = factories.UserFactory(agency=camhs, role="manager", email="lead@riverside-camhs.example.org")
    elsewhere = factories.UserFactory(agency=other_council_team, role="manager", email="mgr@elsewhere.example.org")
    uow.commit()
    assert _open_first_contacts(uow, manager) == 1      # holds the family's case
    assert _open_first_contacts(uow, school_head) == 1  # sent it
    assert _open_first_contacts(uow, camhs_lead) == 1   # received it
    assert _open_first_contacts(uow, elsewhere) == 0
