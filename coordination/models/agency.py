"""Agencies: the council's teams and partner organisations."""
from __future__ import annotations

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, CreatedMixin, IdMixin


class Agency(IdMixin, CreatedMixin, Base):
    __tablename__ = "agency"

    name: Mapped[str] = mapped_column(String(200), unique=True)
    type: Mapped[str] = mapped_column(String(40), index=True)
    # How another team reaches this one (a team inbox or phone line), shown with "known to another team" answers.
    contact: Mapped[str | None] = mapped_column(String(254))
    # The CIN census ReferralSource for referrals this team makes, when finer than its type gives
    # (domain.cin_census.REFERRAL_SOURCE_BY_AGENCY_TYPE): 3B health visiting, 3C school nursing, 3F CAMHS, 5B ….
    census_referral_source: Mapped[str | None] = mapped_column(String(3))
