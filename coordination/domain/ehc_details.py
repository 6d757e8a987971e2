"""An EHC needs assessment request's SEN2 items as given (a form, the API, an import row): each value cleaned to
what is stored, then the whole checked against domain/sen2.py's rules. The one check services/ehc_details.py
(recording them) and services/import_csv (reading them from a file, before anything is written) both make.

Pure: plain values in, plain values and problems out; no database, no Flask.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from . import sen2

Problems = dict[str, list[str]]  # field → its messages

CODES: dict[str, dict[str, str]] = {
    "request_outcome": sen2.REQUEST_OUTCOME, "assessment_outcome": sen2.ASSESSMENT_OUTCOME,
    "sen_setting": sen2.SEN_SETTING, "cease_reason": sen2.CEASE_REASON, "review_outcome": sen2.REVIEW_OUTCOME,
}
BOOLEANS = ("request_by_young_person", "request_mediation", "request_tribunal", "sen_unit", "resourced_provision")
DATES = ("request_outcome_on", "assessment_outcome_on", "plan_start_on", "placement_entry_on", "plan_ceased_on",
         "review_meeting_on", "last_review_on")
SEALED = ("placement_urn", "placement_ukprn")
FIELDS = sen2.ITEM_NAMES  # the recorded items, in the order the forms and the audit name them


def clean(errors: Problems, name: str, value: Any) -> Any:
    """One field's value as stored, or the value unchanged with an error added."""
    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if name in CODES:
        code = (value or "").strip().upper() or None
        if code is not None and code not in CODES[name]:
            add(name, "Choose from the list")
        return code
    if name in DATES:
        if value is None or isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(str(value))
        except ValueError:
            add(name, "Enter a real date")
            return None
    if name in BOOLEANS:
        if value is not None and not isinstance(value, bool):
            add(name, "Choose yes or no")
        return value
    if name == "placement_rank":
        if value in (None, ""):
            return None
        if not str(value).isdigit():
            add(name, "Choose the placement's rank, 1 or 2")
            return None
        return int(value)
    if name == "sen_needs":
        return tuple(n.strip().upper() for n in (value or ()) if n and n.strip())
    return "".join((value or "").split()) or None  # URN / UKPRN


def check(received_on: dt.date, before: Mapping[str, Any], changes: Mapping[str, Any], today: dt.date
          ) -> tuple[dict[str, Any], Problems]:
    """(`changes` cleaned, every problem by field): each value's own, then the SEN2 rules over `before` (the
    fields as recorded, FIELDS' names) with the changes made. A field with its own problem is not reported twice."""
    errors: Problems = {}
    cleaned = {name: clean(errors, name, value) for name, value in changes.items()}
    after = {**{name: before.get(name) for name in FIELDS}, **cleaned}
    after["sen_needs"] = tuple(after["sen_needs"] or ())
    facts = sen2.RequestFacts(received_on=received_on, **{name: after[name] for name in FIELDS})
    for _rule, name, message in sen2.problems(facts, today):
        if name not in errors:
            errors[name] = [message]
    return cleaned, errors
