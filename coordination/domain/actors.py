"""The principal behind every service call: a staff user (session or token) or a partner API key."""
from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from enum import StrEnum


class Role(StrEnum):
    PRACTITIONER = "practitioner"
    MANAGER = "manager"
    ADMIN = "admin"


class AgencyType(StrEnum):
    COUNCIL_EARLY_HELP = "council_early_help"
    SOCIAL_CARE = "social_care"
    SCHOOL = "school"
    HEALTH = "health"
    MENTAL_HEALTH = "mental_health"
    POLICE = "police"
    VOLUNTARY = "voluntary"
    SEND_SERVICE = "send_service"


class ActorKind(StrEnum):
    USER = "user"
    API_KEY = "api_key"
    SYSTEM = "system"
    FAMILY = "family"  # a parent/carer or young person signed in to the family's own view; never staff


@dataclass(frozen=True)
class Actor:
    kind: ActorKind
    agency_id: uuid.UUID | None
    agency_type: AgencyType | None
    role: Role | None = None
    user_id: uuid.UUID | None = None
    api_key_id: uuid.UUID | None = None
    token_id: uuid.UUID | None = None
    scopes: frozenset[str] = field(default_factory=frozenset)
    display: str = ""
    # A family member (kind FAMILY): who they are, their family and the capacity they were invited in.
    person_id: uuid.UUID | None = None
    family_id: uuid.UUID | None = None
    family_capacity: str | None = None

    @property
    def is_staff(self) -> bool:
        return self.kind == ActorKind.USER

    @property
    def is_partner(self) -> bool:
        return self.kind == ActorKind.API_KEY

    @property
    def is_family(self) -> bool:
        return self.kind == ActorKind.FAMILY

    @classmethod
    def system(cls, display: str = "system") -> Actor:
        return cls(kind=ActorKind.SYSTEM, agency_id=None, agency_type=None, display=display)

    def audit_fields(self) -> dict:
        if self.kind == ActorKind.FAMILY:  # the family member acting is named by their person id
            return {"actor_kind": self.kind.value, "actor_user_id": None,
                    "actor_key_id": str(self.person_id) if self.person_id else None, "actor_agency_id": None}
        return {
            "actor_kind": self.kind.value,
            "actor_user_id": str(self.user_id) if self.user_id else None,
            "actor_key_id": str(self.api_key_id or self.token_id) if (self.api_key_id or self.token_id) else None,
            "actor_agency_id": str(self.agency_id) if self.agency_id else None,
        }
