"""Outgoing email: a `Sender` protocol and two senders.

`LogSender` (development and tests) appends one JSON line per email to `settings.mail_log`; `SmtpSender`
sends through MAIL_SMTP_HOST / MAIL_SMTP_PORT / MAIL_SMTP_USER / MAIL_SMTP_PASSWORD / MAIL_FROM.
MAIL_SENDER=log|smtp chooses; the default is `log` outside production and `smtp` in production.
Callers pass bodies that carry references and links only, never case content.
"""
from __future__ import annotations

import json
import os
import smtplib
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path
from typing import Protocol


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


def sender_for(mail_log: Path, production: bool, environ: dict[str, str] | None = None) -> Sender:
    env = os.environ if environ is None else environ
    kind = env.get("MAIL_SENDER") or ("smtp" if production else "log")
    if kind == "smtp":
        return SmtpSender(host=env["MAIL_SMTP_HOST"], port=int(env.get("MAIL_SMTP_PORT", "587")),
                          user=env.get("MAIL_SMTP_USER"), password=env.get("MAIL_SMTP_PASSWORD"),
                          sender=env.get("MAIL_FROM", "no-reply@localhost"))
    return LogSender(mail_log)
