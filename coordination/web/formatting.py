"""Dates and times as GOV.UK writes them ("1 June 2014", "23 November 2026 at 2:05pm"), in UK time."""
from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from flask import Flask

from coordination.domain.calendar import england_date
from coordination.domain.referral_details import TITLES as DETAIL_TITLES

UK = ZoneInfo("Europe/London")


def govuk_date(value: dt.date | dt.datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = _uk(value)
    return f"{value.day} {value:%B %Y}"


def govuk_time(value: dt.datetime | None) -> str:
    if value is None:
        return ""
    local = _uk(value)
    hour = local.hour % 12 or 12
    suffix = "am" if local.hour < 12 else "pm"
    return f"{hour}:{local:%M}{suffix}"


def govuk_datetime(value: dt.datetime | None) -> str:
    if value is None:
        return ""
    return f"{govuk_date(value)} at {govuk_time(value)}"


def today() -> dt.date:
    """Today in England, as the services judge "not in the future", so a default date is never refused."""
    return england_date(dt.datetime.now(dt.UTC))


def _uk(value: dt.datetime) -> dt.datetime:
    return value.astimezone(UK)


def detail_title(key: str) -> str:
    """A detail of the people behind a referral, in words ("The child's date of birth")."""
    return DETAIL_TITLES.get(key, key)


def register(app: Flask) -> None:
    app.add_template_filter(govuk_date, "govuk_date")
    app.add_template_filter(govuk_time, "govuk_time")
    app.add_template_filter(govuk_datetime, "govuk_datetime")
    app.add_template_global(today, "today")
    app.add_template_filter(detail_title, "detail_title")
