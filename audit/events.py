"""What an audit event says. No sensitive content: ids, keys of sections, actions and reasons only."""
from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class AuditAction(StrEnum):
    SIGN_IN = "sign_in"
    SIGN_IN_FAILED = "sign_in_failed"
    SIGN_OUT = "sign_out"
    CREATE = "create"
    UPDATE = "update"
    READ = "read"
    DISCLOSE = "disclose"          # data left the service to a partner
    WITHDRAW = "withdraw"
    REVOKE = "revoke"
    ISSUE_CREDENTIAL = "issue_credential"
    KEY_ROTATION = "key_rotation"
    BLIND_REINDEX = "blind_reindex"
    DECISION = "decision"
    TRANSITION = "transition"
    EXPORT = "export"


@dataclass
class NewEvent:
    action: str
    record_type: str
    record_id: str | None = None
    family_id: str | None = None
    sections: list[str] = field(default_factory=list)
    actor_kind: str = "system"
    actor_user_id: str | None = None
    actor_key_id: str | None = None
    actor_agency_id: str | None = None
    authority: dict | None = None   # e.g. {"kind": "consent", "id": "..."}
    reason: str | None = None
    details: dict = field(default_factory=dict)
    request_id: str | None = None
