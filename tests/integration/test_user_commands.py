"""The operator's user commands: set a password, change a role, deactivate; each audited, each ending the user's
sessions (their epoch goes up); the key command prints a working key, once."""
from __future__ import annotations

from sqlalchemy import select

from audit.models import AuditEvent
from coordination.extensions import state
from coordination.models import User
from coordination.services import auth as auth_service

from .. import factories
from ..factories import PASSWORD


def _user(uow, user_id) -> User:
    uow.session.expire_all()
    return uow.session.get(User, user_id)


def test_each_user_command_changes_the_user_audits_it_and_ends_their_sessions(app, uow, practitioner):
    runner = app.test_cli_runner()
    epoch = practitioner.session_epoch
    done = runner.invoke(args=["user", "set-password", practitioner.email], input="a-fresh-long-passphrase\n")
    assert done.exit_code == 0, done.output
    assert auth_service.sign_in(uow, practitioner.email, PASSWORD) is None
    assert auth_service.sign_in(uow, practitioner.email, "a-fresh-long-passphrase") is not None
    uow.rollback()
    assert runner.invoke(args=["user", "set-role", practitioner.email, "manager"]).exit_code == 0
    assert _user(uow, practitioner.id).role == "manager"
    assert runner.invoke(args=["user", "set-role", practitioner.email, "overlord"]).exit_code == 2
    assert runner.invoke(args=["user", "deactivate", practitioner.email]).exit_code == 0
    user = _user(uow, practitioner.id)
    assert not user.active and user.session_epoch == epoch + 3
    changes = uow.session.execute(select(AuditEvent.details).where(
        AuditEvent.record_id == str(practitioner.id), AuditEvent.action == "update").order_by(AuditEvent.seq))
    assert [d["change"] for d in changes.scalars()] == ["password", "role", "deactivated"]
    assert runner.invoke(args=["user", "deactivate", "nobody@example.org"]).exit_code == 2


def test_apikey_issue_prints_a_key_that_works_at_once(app, uow):
    school = factories.AgencyFactory(name="Oak Hill School", type="school")
    printed = app.test_cli_runner().invoke(args=["apikey", "issue", "--agency", str(school.id)])
    assert printed.exit_code == 0, printed.output
    actor = auth_service.authenticate_bearer(uow, printed.output.strip().splitlines()[-1])
    assert actor.agency_id == school.id


def test_an_operator_adds_a_user_who_chooses_their_own_password_and_can_reactivate_one(app, uow, early_help):
    runner = app.test_cli_runner()
    done = runner.invoke(args=["user", "add", "new.starter@example.org", "--agency", str(early_help.id),
                               "--role", "practitioner", "--name", "New Starter", "--send-link"])
    assert done.exit_code == 0, done.output
    mail = state(app).settings.mail_log.read_text()
    assert "new.starter@example.org" in mail and "/password-reset?link=rst_" in mail
    assert runner.invoke(args=["user", "deactivate", "new.starter@example.org"]).exit_code == 0
    assert runner.invoke(args=["user", "send-reset-link", "new.starter@example.org"]).exit_code == 2  # inactive
    assert runner.invoke(args=["user", "reactivate", "new.starter@example.org"]).exit_code == 0
    assert runner.invoke(args=["user", "send-reset-link", "new.starter@example.org"]).exit_code == 0
    uow.session.expire_all()
    user = uow.session.execute(select(User).where(User.email == "new.starter@example.org")).scalar_one()
    assert user.active and state(app).settings.mail_log.read_text().count("new.starter@example.org") == 2
