"""The base of every JSON schema: unknown fields are refused, dates and times are ISO 8601, and every string
(values and field names, at any depth, in bodies and query strings) keeps the service's one text rule
(coordination.domain.text): no lone surrogates, no control characters but tab, line feed and carriage return.

Schemas validate shapes and types only. Rules that need the database or the clock (check digits,
dates in the future, who may see what) stay in the services and come back as a field map.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from marshmallow import RAISE, Schema, ValidationError, fields, pre_load

from coordination.domain.text import API_MESSAGE, MAX_DEPTH, NOT_BLANK_PATTERN, is_plain_text

TOO_DEEP = f"The JSON is nested too deeply (more than {MAX_DEPTH} levels)"


def text_doc(description: str | None = None, *, max_length: int | None = None, not_blank: bool = False,
             **doc: Any) -> dict[str, Any]:
    """OpenAPI metadata for a text field: the limits its service enforces (with its own messages, 422), so
    the document says what the server does. Every other string is documented with the text rule's pattern."""
    meta: dict[str, Any] = dict(doc)
    if description:
        meta["description"] = description
    if not_blank:
        meta.update(minLength=1, pattern=NOT_BLANK_PATTERN)
    if max_length:
        meta["maxLength"] = max_length
    return meta


def text_errors(data: Any) -> dict[str, list[str]]:
    """Every string in `data` that breaks the text rule, by dotted path ("people.0.given_name"); a field
    name that breaks it is reported on the object holding it. Walks without recursion, and stops past
    MAX_DEPTH levels, so no body can exhaust the stack."""
    errors: dict[str, list[str]] = {}
    pending: list[tuple[str, Any, int]] = [("", data, 0)]
    while pending:
        path, value, depth = pending.pop()
        if depth > MAX_DEPTH:
            return {"_schema": [TOO_DEEP]}
        if isinstance(value, str):
            if not is_plain_text(value):
                errors[path or "_schema"] = [API_MESSAGE]
        elif isinstance(value, Mapping):
            # A query string (a MultiDict) is read with every repeat of each name.
            items = value.items(multi=True) if hasattr(value, "lists") else value.items()  # type: ignore[call-arg]
            for key, item in items:
                if isinstance(key, str) and not is_plain_text(key):
                    errors.setdefault(path or "_schema", []).append("Field names: " + API_MESSAGE)
                    continue
                pending.append((f"{path}.{key}" if path else str(key), item, depth + 1))
        elif isinstance(value, list | tuple):
            pending.extend((f"{path}.{i}" if path else str(i), item, depth + 1) for i, item in enumerate(value))
    return errors


class BaseSchema(Schema):
    class Meta:
        unknown = RAISE
        dateformat = "iso"
        datetimeformat = "iso"

    @pre_load
    def _plain_text_only(self, data: Any, **_kwargs: Any) -> Any:
        if errors := text_errors(data):
            raise ValidationError(errors)
        return data


class UtcDateTime(fields.DateTime):
    """An ISO 8601 timestamp that always carries its offset (SQLite hands back naive UTC values)."""

    def _serialize(self, value, attr, obj, **kwargs):
        if isinstance(value, dt.datetime) and value.tzinfo is None:
            value = value.replace(tzinfo=dt.UTC)
        return super()._serialize(value, attr, obj, **kwargs)


class StrictBoolean(fields.Boolean):
    """JSON `true` or `false` only: marshmallow's Boolean would also take "yes", "on", 1 or "1", which the
    document (type boolean) does not allow."""

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, bool):
            raise self.make_error("invalid", input=value)
        return value


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
