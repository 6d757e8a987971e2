"""`flask token issue`: a personal access token for a staff user, printed once; an unknown email is refused."""
from coordination.services import auth


def test_the_token_printed_authenticates_as_that_user(app, uow, practitioner):
    result = app.test_cli_runner().invoke(args=["token", "issue", "--user", practitioner.email])
    assert result.exit_code == 0, result.output
    actor = auth.authenticate_bearer(uow, result.output.strip().splitlines()[-1])
    assert actor.user_id == practitioner.id


def test_an_unknown_email_is_refused_by_name(app):
    result = app.test_cli_runner().invoke(args=["token", "issue", "--user", "nobody@example.org"])
    assert result.exit_code == 2
    assert "error: no user nobody@example.org" in result.output
