"""A family and the people in it. Names, dates of birth and identifiers are encrypted; blind indexes
(keyed HMACs) make exact-match search and duplicate detection possible without the plaintext."""
from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Text, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coordination.domain.cin_census import new_la_child_id

from .base import Base, CreatedMixin, EncryptedFields, IdMixin, UtcDateTime, utcnow


class Family(IdMixin, CreatedMixin, Base):
    __tablename__ = "family"

    reference: Mapped[str] = mapped_column(String(20), unique=True)
    owning_agency_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("agency.id"), index=True)
    lead_practitioner_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff_user.id"), index=True)
    # Whether the family chose its lead practitioner (None: not recorded); each change is a LeadHandover.
    lead_chosen_with_family: Mapped[bool | None] = mapped_column(Boolean)
    created_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff_user.id"))
    # Electoral ward of the family's home (coarse, for "where do families wait longest"; no address here).
    ward: Mapped[str | None] = mapped_column(String(60), index=True)
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow)

    people: Mapped[list[Person]] = relationship(back_populates="family", order_by="Person.position")


class Person(IdMixin, CreatedMixin, EncryptedFields, Base):
    __tablename__ = "person"
    __encrypted__ = ("given_name", "family_name", "date_of_birth", "nhs_number", "upn", "left_reason", "phone",
                     "email", "language", "gp_practice", "school_name", "school_urn", "sex", "ethnicity",
                     "disabilities", "upn_unknown", "former_upn", "uln")

    family_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("family.id"), index=True)
    role: Mapped[str] = mapped_column(String(20))
    position: Mapped[int] = mapped_column(Integer, default=0)
    given_name_ct: Mapped[str] = mapped_column(Text)
    family_name_ct: Mapped[str] = mapped_column(Text)
    date_of_birth_ct: Mapped[str | None] = mapped_column(Text)
    nhs_number_ct: Mapped[str | None] = mapped_column(Text)
    upn_ct: Mapped[str | None] = mapped_column(Text)
    nhs_number_bidx: Mapped[str | None] = mapped_column(String(64), index=True)
    upn_bidx: Mapped[str | None] = mapped_column(String(64), index=True)
    name_dob_bidx: Mapped[str | None] = mapped_column(String(64), index=True)
    surname_dob_bidx: Mapped[str | None] = mapped_column(String(64), index=True)
    # Every change to the row (a correction, contact details, leaving) makes a new version: If-Match.
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    # Left the household: kept, with the day and why (history, not deletion).
    left_on: Mapped[dt.date | None] = mapped_column(Date)
    left_reason_ct: Mapped[str | None] = mapped_column(Text)
    # How to reach them and who else knows them (domain/contacts.py).
    phone_ct: Mapped[str | None] = mapped_column(Text)
    email_ct: Mapped[str | None] = mapped_column(Text)
    language_ct: Mapped[str | None] = mapped_column(Text)
    interpreter_needed: Mapped[bool | None] = mapped_column(Boolean)
    gp_practice_ct: Mapped[str | None] = mapped_column(Text)
    school_name_ct: Mapped[str | None] = mapped_column(Text)
    school_urn_ct: Mapped[str | None] = mapped_column(Text)
    # The child's id in the statutory returns (CIN census LAchildID): random, short, unique, never reused
    # (domain.cin_census.new_la_child_id); given when the person is recorded.
    la_child_id: Mapped[str] = mapped_column(String(20), unique=True, default=new_la_child_id)
    # What the returns record about a child, as the DfE codes them (domain/cin_census.py), each sealed: sex
    # (M/F/U), ethnicity (WBRI … NOBT), disabilities (codes joined by ","), why there is no UPN (UN1–UN7), and a
    # former UPN.
    sex_ct: Mapped[str | None] = mapped_column(Text)
    ethnicity_ct: Mapped[str | None] = mapped_column(Text)
    disabilities_ct: Mapped[str | None] = mapped_column(Text)
    upn_unknown_ct: Mapped[str | None] = mapped_column(Text)
    former_upn_ct: Mapped[str | None] = mapped_column(Text)
    # The Unique Learner Number (10 digits; SEN2 UniqueLearnerNumber), for young people in further education.
    uln_ct: Mapped[str | None] = mapped_column(Text)

    family: Mapped[Family] = relationship(back_populates="people")
    # The starts of the names, blind-indexed for partial search within the holding agency (services.families).
    # Read only when names are written (about 16 rows a person): not loaded with every family read.
    name_prefixes: Mapped[list[PersonNamePrefix]] = relationship(cascade="all, delete-orphan")


class PersonNamePrefix(Base):
    """A keyed digest (HMAC under BLIND_INDEX_KEY and the holding agency's id) of the first 3 to 10 characters of
    one of a person's name match keys: partial name search within that agency's own families, never another's.
    Recomputed with the other blind indexes (`flask keys reindex`)."""

    __tablename__ = "person_name_prefix"

    person_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), primary_key=True)
    digest: Mapped[str] = mapped_column(String(64), primary_key=True, index=True)


@event.listens_for(Person, "init")
def _give_la_child_id(target: Person, args: tuple, kwargs: dict) -> None:
    """Every person has their LAchildID from the moment they are made (the column default covers bulk inserts)."""
    if not kwargs.get("la_child_id"):
        kwargs["la_child_id"] = new_la_child_id()
