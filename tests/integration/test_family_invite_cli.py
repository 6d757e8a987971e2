"""`flask family invite` as the staff invitation form: a parent or carer only with parental responsibility, a young
person from 13, a younger child only when assessed competent (who and when recorded on the invitation). Refusals
exit with code 2 and say why; the link is the last line printed."""
from __future__ import annotations

import datetime as dt

from coordination.repositories import family_access as repo

from ..family_support import mails
from .consent_support import household


def _invite(app, *args):
    return app.test_cli_runner().invoke(args=["family", "invite", *map(str, args)])


def test_a_parent_without_parental_responsibility_is_refused(app, uow, practitioner):
    home = household(uow, practitioner)
    result = _invite(app, home.parent, "--email", "morgan@example.com", "--no-parental-responsibility")
    assert result.exit_code == 2
    assert "Only a parent or carer with parental responsibility can be invited" in result.output
    assert repo.get_by_person(uow.session, home.parent) is None and mails(app) == []


def test_a_young_person_of_13_or_over_is_invited_as_a_young_person(app, uow, practitioner):
    home = household(uow, practitioner)
    result = _invite(app, home.child, "--email", "cody@example.com", "--young-person")
    assert result.exit_code == 0, result.output
    assert "/my-family/invitation/" in result.output.strip().splitlines()[-1]
    row = repo.get_by_person(uow.session, home.child)
    assert (row.capacity, row.competence_assessed_by_id, row.competence_assessed_on) == ("young_person", None, None)


def test_a_parent_is_not_a_young_person(app, uow, practitioner):
    home = household(uow, practitioner)
    result = _invite(app, home.parent, "--email", "morgan@example.com", "--young-person")
    assert result.exit_code == 2 and "Only a child can be invited as a young person" in result.output


def test_a_child_under_13_needs_who_assessed_them_and_when_recorded_on_the_invitation(app, uow, practitioner):
    home = household(uow, practitioner)
    result = _invite(app, home.little, "--email", "pip@example.com", "--young-person")
    assert result.exit_code == 2 and "competent" in result.output
    result = _invite(app, home.little, "--email", "pip@example.com", "--young-person",
                     "--competence-assessed-by", practitioner.email)
    assert result.exit_code == 2 and "--competence-assessed-on" in result.output
    result = _invite(app, home.little, "--email", "pip@example.com", "--young-person",
                     "--competence-assessed-by", "nobody@example.org", "--competence-assessed-on", "2026-11-30")
    assert result.exit_code == 2 and "staff email address" in result.output
    tomorrow = uow.today() + dt.timedelta(days=1)
    result = _invite(app, home.little, "--email", "pip@example.com", "--young-person",
                     "--competence-assessed-by", practitioner.email, "--competence-assessed-on", tomorrow.isoformat())
    assert result.exit_code == 2 and "today or in the past" in result.output
    on = uow.today() - dt.timedelta(days=3)
    result = _invite(app, home.little, "--email", "pip@example.com", "--young-person",
                     "--competence-assessed-by", practitioner.email, "--competence-assessed-on", on.isoformat())
    assert result.exit_code == 0, result.output
    assert result.output.strip().splitlines()[-1].split("/my-family/invitation/")[1]
    uow.session.expire_all()
    row = repo.get_by_person(uow.session, home.little)
    assert (row.capacity, row.competence_assessed_by_id, row.competence_assessed_on) == (
        "competent_child", practitioner.id, on)
