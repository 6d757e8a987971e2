"""What a partner agency adds to the one assessment (POST /families/{id}/contributions).

A contribution is attached to a section of the family's assessment and attributed to the agency and key
that sent it, so no partner keeps its own copy of the story. Staff see it on the section page and fold it
into the section text; the partner never sees the section through this route (it only writes).
"""
from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, CreatedMixin, EncryptedFields, IdMixin, UtcDateTime


class Contribution(IdMixin, CreatedMixin, EncryptedFields, Base):
    __tablename__ = "contribution"
    __encrypted__ = ("content",)

    family_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("family.id"), index=True)
    section_key: Mapped[str] = mapped_column(ForeignKey("section_definition.key"))
    agency_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("agency.id"), index=True)
    api_key_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("api_key.id"))
    user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff_user.id"))
    content_ct: Mapped[str] = mapped_column(Text)
    acknowledged_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    acknowledged_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff_user.id"))
    status: Mapped[str] = mapped_column(String(20), default="new")  # new | incorporated
