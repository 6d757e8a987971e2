"""Domain errors raised by services. They carry no HTTP codes: the web and API layers map them."""
from __future__ import annotations


class DomainError(Exception):
    """Base class. `message` is safe to show to the person who caused it."""

    def __init__(self, message: str = "", **details):
        super().__init__(message)
        self.message = message
        self.details = details


class NotFound(DomainError):
    """The thing does not exist, or the actor may not know it exists."""


class NotPermitted(DomainError):
    """The actor is known but may not do this."""


class Conflict(DomainError):
    """The change was based on stale state (e.g. an old version) or would duplicate something."""


class Invalid(DomainError):
    """Input breaks a rule. `errors` maps field names to messages."""

    def __init__(self, message: str = "", errors: dict[str, list[str]] | None = None, **details):
        super().__init__(message, **details)
        self.errors = errors or {}


def required_text(value: str | None, field: str, limit: int, missing: tuple[str, str], verb: str = "Enter") -> str:
    """`value` without the spaces around it, for a `field` that must hold some text.

    :raise Invalid: none (`missing`: the summary and the field's message), or over `limit` characters ("Too long",
        "`verb` N characters or fewer").
    """
    text = (value or "").strip()
    if not text:
        raise Invalid(missing[0], {field: [missing[1]]})
    if len(text) > limit:
        raise Invalid("Too long", {field: [f"{verb} {limit:,} characters or fewer"]})
    return text


class Unauthenticated(DomainError):
    """Missing, unknown, expired or revoked credentials."""


class TooManyAttempts(DomainError):
    """Refused without being tried: too many recent failures. `retry_after` is in seconds."""

    def __init__(self, message: str = "", retry_after: int = 60, **details):
        super().__init__(message, **details)
        self.retry_after = retry_after


class FieldErrors:
    """Collects every problem with a piece of input, by field, so that one `Invalid` names them all.

    `add(field, None)` is no problem, so checks that answer None when all is well can be passed straight in.
    """

    def __init__(self) -> None:
        self.errors: dict[str, list[str]] = {}

    def add(self, field: str, message: str | None) -> None:
        if message:
            self.errors.setdefault(field, []).append(message)

    def require_text(self, field: str, value: str | None, what: str, limit: int) -> None:
        """Some text (not only spaces), at most `limit` characters; `what` completes "Enter …"."""
        if not (value or "").strip():
            self.add(field, f"Enter {what}")
        elif len(value or "") > limit:
            self.add(field, f"Enter {limit:,} characters or fewer")

    def __contains__(self, field: str) -> bool:
        return field in self.errors

    def __bool__(self) -> bool:
        return bool(self.errors)

    def raise_if_any(self, summary: str) -> None:
        """:raise Invalid: with `summary` and every problem noted, when there is one."""
        if self.errors:
            raise Invalid(summary, self.errors)
