"""An `ehc_needs_assessment` row's EHC details (SEN2's items, the columns named as the API's fields): each cell
read (codes, dates, yes/no, digits), then the whole checked by domain.ehc_details.check, the one check
services.ehc_details.record_ehc_details makes, so a row that passes here is recorded as it stands. Free of the
database, like parse and rows.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from coordination.domain import ehc_details as rules

from .parse import BadCell, date_of

PATHWAY = "ehc_needs_assessment"
# The columns, in the order docs/import.md lists them (each an EHC details field of the same name).
COLUMNS = ("request_outcome", "request_outcome_on", "request_mediation", "request_tribunal", "assessment_outcome",
           "assessment_outcome_on", "plan_start_on", "placement_urn", "placement_ukprn", "sen_setting",
           "placement_rank", "sen_unit", "resourced_provision", "placement_entry_on", "plan_ceased_on",
           "cease_reason")
PLACEMENT = ("placement_urn", "placement_ukprn", "sen_setting")
YES = {"y", "yes", "true", "1"}
NO = {"n", "no", "false", "0"}


def _cell(get: Callable[[str], str], add: Callable[[str | None, str], None], name: str) -> Any:
    """One cell as a value for the rules; None (with the problem added) when it does not read."""
    value = get(name)
    if name in rules.DATES:
        try:
            return date_of(value)
        except BadCell as exc:
            add(name, str(exc))
            return None
    if name in rules.BOOLEANS:
        if value.lower() not in YES | NO:
            add(name, f"'{value}' is not yes or no: use Y or N")
            return None
        return value.lower() in YES
    return value


def ehc_details(get: Callable[[str], str], add: Callable[[str | None, str], None], pathway: str | None,
                received_on: dt.date | None, today: dt.date) -> dict[str, Any]:
    """The row's EHC details (only the columns filled in), every problem added by column; {} when none."""
    given = [name for name in COLUMNS if get(name)]
    if not given:
        return {}
    if pathway is not None and pathway != PATHWAY:
        for name in given:
            add(name, f"Only an {PATHWAY} referral has EHC details")
        return {}
    values = {name: _cell(get, add, name) for name in given}
    if any(values.get(name) for name in PLACEMENT) and "placement_rank" not in values:
        values["placement_rank"] = 1  # one placement per plan (docs/import.md): the main one unless said
    unread = {name for name in given if values[name] is None}
    if received_on is None or unread:
        return {}  # the rules need the received date and every cell; the cells' own problems are reported
    cleaned, errors = rules.check(received_on, {}, values, today)
    for name, messages in errors.items():
        for message in messages:
            add(name, message)
    return {} if errors else cleaned
