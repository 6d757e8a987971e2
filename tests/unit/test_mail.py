"""Which sender the settings choose: the log outside production, SMTP when MAIL_SENDER says so."""
import pytest

from coordination.config import ConfigError
from coordination.services.mail import LogSender, SmtpSender, sender_for

from ..conftest import make_settings


def test_outside_production_mail_goes_to_the_log(tmp_path):
    sender = sender_for(make_settings("sqlite://", tmp_path))
    assert isinstance(sender, LogSender) and sender.path == tmp_path / "mail.log"


def test_smtp_is_configured_from_the_settings(tmp_path):
    settings = make_settings("sqlite://", tmp_path, mail_sender="smtp", mail_smtp_host="smtp.eastmere.example",
                             mail_smtp_port=2525, mail_smtp_user="coordination", mail_from="help@eastmere.example")
    assert sender_for(settings) == SmtpSender(host="smtp.eastmere.example", port=2525, user="coordination",
                                              password=None, sender="help@eastmere.example")


def test_smtp_without_a_host_names_the_missing_setting(tmp_path):
    with pytest.raises(ConfigError, match="MAIL_SMTP_HOST"):
        sender_for(make_settings("sqlite://", tmp_path, mail_sender="smtp"))
