"""Outgoing email: a `Sender` protocol and two senders.

`LogSender` (development and tests) appends one JSON line per email to `settings.mail_log`; `SmtpSender`
sends through `settings.mail_smtp_host` / `_port` / `_user` / `_password`, from `settings.mail_from`.
`settings.mail_sender` (MAIL_SENDER=log|smtp) chooses; the default is `log` outside production and `smtp` in
production (see coordination/config.py).
Callers pass bodies that carry references and links only, never case content.
"""
from __future__ import annotations

import json
import smtplib
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path
from typing import Protocol

from coordination.config import ConfigError, Settings


@dataclass(frozen=True)
class Email:
    to: tuple[str, ...]
    subject: str
    body: str


class Sender(Protocol):
    def send(self, email: Email) -> None: ...


@dataclass
class LogSender:
    path: Path

    def send(self, email: Email) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.path.open("a", encoding="utf-8") as fh:
            fh.write(json.dumps({"to": list(email.to), "subject": email.subject, "body": email.body}) + "\n")


@dataclass
class SmtpSender:
    host: str
    port: int = 587
    user: str | None = None
    password: str | None = None
    sender: str = "no-reply@localhost"

    def send(self, email: Email) -> None:
        message = EmailMessage()
        message["From"] = self.sender
        message["To"] = ", ".join(email.to)
        message["Subject"] = email.subject
        message.set_content(email.body)
        with smtplib.SMTP(self.host, self.port, timeout=30) as smtp:
            smtp.starttls()
            if self.user:
                smtp.login(self.user, self.password or "")
            smtp.send_message(message)


def sender_for(settings: Settings) -> Sender:
    if settings.mail_sender == "smtp":
        if not settings.mail_smtp_host:
            raise ConfigError("MAIL_SMTP_HOST is not set: MAIL_SENDER is smtp")
        return SmtpSender(host=settings.mail_smtp_host, port=settings.mail_smtp_port, user=settings.mail_smtp_user,
                          password=settings.mail_smtp_password, sender=settings.mail_from)
    return LogSender(settings.mail_log)
