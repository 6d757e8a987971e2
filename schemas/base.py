"""The base of every JSON schema: unknown fields are refused, dates and times are ISO 8601.

Schemas validate shapes and types only. Rules that need the database or the clock (check digits,
dates in the future, who may see what) stay in the services and come back as a field map.
"""
from __future__ import annotations

import datetime as dt

from marshmallow import RAISE, Schema, fields


class BaseSchema(Schema):
    class Meta:
        unknown = RAISE
        dateformat = "iso"
        datetimeformat = "iso"


class UtcDateTime(fields.DateTime):
    """An ISO 8601 timestamp that always carries its offset (SQLite hands back naive UTC values)."""

    def _serialize(self, value, attr, obj, **kwargs):
        if isinstance(value, dt.datetime) and value.tzinfo is None:
            value = value.replace(tzinfo=dt.UTC)
        return super()._serialize(value, attr, obj, **kwargs)


def flatten_errors(messages: object, prefix: str = "") -> dict[str, list[str]]:
    """marshmallow's nested error map → the API's flat field map, e.g. {"people.0.nhs_number": [...]}.

    The same dotted keys the services use in `Invalid.errors`, so a client reads one shape whatever
    layer refused the input. Errors about the body as a whole are under "_schema".
    """
    if isinstance(messages, dict):
        flat: dict[str, list[str]] = {}
        for key, value in messages.items():
            for name, items in flatten_errors(value, f"{prefix}.{key}" if prefix else str(key)).items():
                flat.setdefault(name, []).extend(items)
        return flat
    if isinstance(messages, list | tuple):
        if all(isinstance(m, str) for m in messages):
            return {prefix or "_schema": [str(m) for m in messages]}
        flat = {}
        for item in messages:
            for name, items in flatten_errors(item, prefix).items():
                flat.setdefault(name, []).extend(items)
        return flat
    return {prefix or "_schema": [str(messages)]}
