"""Case notes and the chronology: the kinds of contact a note records, the kinds of entry a chronology
lists, and the limits on a note (docs/domain.md, "Case notes and chronology").

A note is never edited: a correction is a new note that names the note it corrects.
"""
from __future__ import annotations

import datetime as dt
from enum import StrEnum

from .calendar import england_date


class NoteKind(StrEnum):
    VISIT = "visit"
    CALL = "call"
    MEETING = "meeting"
    MESSAGE = "message"
    OTHER = "other"


NOTE_KIND_LABELS: dict[str, str] = {
    NoteKind.VISIT: "Visit",
    NoteKind.CALL: "Phone or video call",
    NoteKind.MEETING: "Meeting",
    NoteKind.MESSAGE: "Message (email, text or letter)",
    NoteKind.OTHER: "Other",
}


# A manager's management oversight note: a case note of its own kind, recorded only by managers of the agency
# holding the case (never through the contact-note form or API), listed with the notes and on the chronology.
OVERSIGHT_KIND = "oversight"
OVERSIGHT_LABEL = "Management oversight"
RECORDED_KIND_LABELS: dict[str, str] = {**NOTE_KIND_LABELS, OVERSIGHT_KIND: OVERSIGHT_LABEL}


class EntryKind(StrEnum):
    """What a chronology entry is about: the `?kind=` filter."""

    NOTE = "note"
    ASSESSMENT = "assessment"
    REFERRAL = "referral"
    CONSENT = "consent"
    DISCLOSURE = "disclosure"
    PLAN = "plan"  # family plan changes, closure, step-up and step-down, re-opening, FGDM
    REVIEW = "review"
    LEAD = "lead"
    FEEDBACK = "feedback"


ENTRY_KIND_LABELS: dict[str, str] = {
    EntryKind.NOTE: "Case notes",
    EntryKind.ASSESSMENT: "Assessment changes",
    EntryKind.REFERRAL: "Referrals",
    EntryKind.CONSENT: "Consent",
    EntryKind.DISCLOSURE: "Safeguarding disclosures",
    EntryKind.PLAN: "Family plan changes",
    EntryKind.REVIEW: "Reviews",
    EntryKind.LEAD: "Lead practitioner changes",
    EntryKind.FEEDBACK: "Feedback (you said, we did)",
}
ENTRY_KINDS: tuple[str, ...] = tuple(k.value for k in EntryKind)

MAX_WITH_WHOM = 200
MAX_NOTE_TEXT = 20_000
SUMMARY_CHARS = 200
# A note records something that happened to a family this service could have known: not before this.
EARLIEST = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)


def occurred_at_problem(occurred_at: dt.datetime | None, now: dt.datetime) -> str | None:
    """Why a note's moment cannot be taken, or None: required, not in the future, not implausibly old."""
    if occurred_at is None:
        return "Enter the date and time it happened"
    if occurred_at.tzinfo is None:
        return "Send the time with its offset from UTC, like 2026-03-03T14:15:00+00:00"
    if occurred_at > now:
        return "The date and time it happened must be now or in the past"
    if occurred_at < EARLIEST:
        return "The date it happened must be after 1 January 2000"
    return None


def seen_problem(child_seen: bool | None, seen_alone: bool | None) -> str | None:
    """A child not seen (or not said to be seen) cannot have been seen alone."""
    if seen_alone and child_seen is not True:
        return "Say the child was seen before saying they were seen alone"
    return None


def shorten(text: str, limit: int = SUMMARY_CHARS) -> str:
    """The first `limit` characters of `text` on one line, with an ellipsis when cut."""
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"


def day_text(moment: dt.datetime) -> str:
    """The England date of `moment` as GOV.UK writes it: "3 March 2026"."""
    day = england_date(moment)
    return f"{day.day} {day:%B %Y}"


def seen_text(child_seen: bool | None, seen_alone: bool | None) -> str | None:
    """"Child seen alone", "Child seen, not alone", "Child not seen", or None when not said."""
    if child_seen is None:
        return None
    if not child_seen:
        return "Child not seen"
    return {True: "Child seen alone", False: "Child seen, not alone"}.get(seen_alone, "Child seen")  # type: ignore[arg-type]
