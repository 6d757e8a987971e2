"""Plain read models returned by services (decrypted, for the actor who asked)."""
from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field

from coordination.domain.people import age_on


@dataclass
class PersonView:
    id: uuid.UUID
    role: str
    given_name: str
    family_name: str
    date_of_birth: dt.date | None
    nhs_number: str | None = None
    upn: str | None = None
    version: int = 1
    left_on: dt.date | None = None
    left_reason: str | None = None
    la_child_id: str | None = None  # the statutory returns' LAchildID

    @property
    def in_household(self) -> bool:
        return self.left_on is None

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}"

    def age_on(self, day: dt.date) -> int | None:
        if not self.date_of_birth:
            return None
        return age_on(self.date_of_birth, day)


@dataclass
class FamilyView:
    id: uuid.UUID
    reference: str
    owning_agency_id: uuid.UUID
    lead_practitioner_id: uuid.UUID | None
    created_at: dt.datetime
    updated_at: dt.datetime
    people: list[PersonView] = field(default_factory=list)
    lead_chosen_with_family: bool | None = None  # whether the family chose their lead (None: not recorded)

    @property
    def children(self) -> list[PersonView]:
        return [p for p in self.people if p.role == "child"]

    @property
    def name(self) -> str:
        surnames = sorted({p.family_name for p in self.people})
        return " / ".join(surnames) + " family" if surnames else self.reference


@dataclass
class SectionView:
    key: str
    title: str
    hint: str
    sensitivity: str
    content: str
    version: int
    updated_at: dt.datetime | None
    updated_by: uuid.UUID | None
    updated_by_agency: uuid.UUID | None = None
    source: str | None = None

    @property
    def started(self) -> bool:
        return self.version > 0


@dataclass
class VersionView:
    version: int
    content: str
    created_at: dt.datetime
    created_by: uuid.UUID | None
    created_by_agency: uuid.UUID | None
    source: str


@dataclass
class VoiceView:
    id: uuid.UUID
    child_id: uuid.UUID
    words: str
    method: str
    recorded_on: dt.date
    recorded_by: uuid.UUID | None
    section_key: str | None
    corrects_id: uuid.UUID | None
    created_at: dt.datetime
    corrected_by_id: uuid.UUID | None = None
    confidential: bool = False  # confidential to the young person: never shown to a parent
    by_person: uuid.UUID | None = None  # added by the young person themself, in the family's own view


@dataclass
class AssessmentView:
    family_id: uuid.UUID
    status: str
    sections: list[SectionView]


@dataclass
class CaseSectionView(SectionView):
    """A section as the agency holding the case reads it: with its status (partners never get these fields)."""

    status: str = "not_started"
    required: bool = True
    completed_at: dt.datetime | None = None
    completed_by: uuid.UUID | None = None
    confidential_to: uuid.UUID | None = None  # the young person it is kept to in the family's own view


@dataclass
class AgreementView:
    agreed_on: dt.date
    agreed_by: uuid.UUID | None
    recorded_at: dt.datetime | None
    recorded_by: uuid.UUID | None


@dataclass
class SignOffView:
    signed_off_at: dt.datetime
    signed_off_by: uuid.UUID | None
    changed_at: dt.datetime | None  # when the assessment first changed after this sign-off (None: not since)


@dataclass
class AssessmentStatusView:
    family_id: uuid.UUID
    state: str
    sections: list[CaseSectionView]
    agreement: AgreementView | None
    sign_off: SignOffView | None

    @property
    def outstanding(self) -> list[CaseSectionView]:
        """Required sections not yet completed."""
        return [s for s in self.sections if s.required and s.status != "completed"]


@dataclass
class CaseAssessmentView(AssessmentView):
    """The whole assessment for the agency holding the case, with where it has got to."""

    state: str = "not_started"
    agreement: AgreementView | None = None
    sign_off: SignOffView | None = None
