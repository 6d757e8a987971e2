"""The case note form: when (a GOV.UK date input and a time), what kind, with whom, what was said, and whether
the child was seen (and seen alone). The services hold the rules; this parses what was typed."""
from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovTextArea, GovTextInput
from wtforms import HiddenField, RadioField, StringField, TextAreaField

from coordination.domain.notes import NOTE_KIND_LABELS

from .forms import DatePartsField, ServiceForm

ENGLAND = ZoneInfo("Europe/London")
_TIME = re.compile(r"^(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm)?$", re.IGNORECASE)
YES_NO_NA = [("yes", "Yes"), ("no", "No"), ("na", "Does not apply")]
ALONE = [("yes", "Yes"), ("no", "No"), ("na", "Does not apply: the child was not seen")]


def parse_time(value: str | None) -> dt.time | None:
    """"14:15", "2:15pm", "2.15pm", "9am" → a time; None when it is not one."""
    match = _TIME.match((value or "").strip())
    if match is None:
        return None
    hour, minute, half = int(match.group(1)), int(match.group(2) or 0), (match.group(3) or "").lower()
    if half:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if half == "pm" else 0)
    if hour > 23 or minute > 59:
        return None
    return dt.time(hour, minute)


def answer(value: str | None) -> bool | None:
    return {"yes": True, "no": False}.get(value or "")


class NoteForm(ServiceForm):
    kind = RadioField("What kind of contact was it?", widget=GovRadioInput(), validate_choice=False,
                      choices=[(str(k), label) for k, label in NOTE_KIND_LABELS.items()])
    occurred_on = DatePartsField("Date it happened", description="For example, 3 3 2026")
    occurred_time = StringField("Time it happened", widget=GovTextInput(),
                                description="Use the 12-hour or 24-hour clock, for example 9:30am or 14:15")
    with_whom = StringField("Who was it with?", widget=GovTextInput(),
                            description="Names and roles, for example Morgan (mother) and Rowan")
    text = TextAreaField("What happened and what was said", widget=GovTextArea(),
                         description="Record what people said in their own words where you can.")
    child_seen = RadioField("Was the child seen?", widget=GovRadioInput(), choices=YES_NO_NA, validate_choice=False)
    seen_alone = RadioField("Was the child seen alone?", widget=GovRadioInput(), choices=ALONE,
                            validate_choice=False)
    corrects_id = HiddenField()

    def moment(self) -> tuple[dt.datetime | None, dict[str, str]]:
        """The moment typed, in England time, and the form's own errors by field (date, time, radios)."""
        problems: dict[str, str] = {}
        if self.occurred_on.errors:
            problems["occurred_on"] = self.occurred_on.errors[0]
        elif self.occurred_on.data is None:
            problems["occurred_on"] = "Enter the date it happened"
        time = parse_time(self.occurred_time.data)
        if not (self.occurred_time.data or "").strip():
            problems["occurred_time"] = "Enter the time it happened"
        elif time is None:
            problems["occurred_time"] = "Time it happened must be a real time, like 9:30am or 14:15"
        if self.child_seen.data not in ("yes", "no", "na"):
            problems["child_seen"] = "Select whether the child was seen"
        if self.child_seen.data == "yes" and self.seen_alone.data not in ("yes", "no"):
            problems["seen_alone"] = "Select whether the child was seen alone"
        if self.occurred_on.data is None or time is None:
            return None, problems
        return dt.datetime.combine(self.occurred_on.data, time, tzinfo=ENGLAND), problems
