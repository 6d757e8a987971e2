"""The tamper-evident audit trail. Imports nothing of `coordination`: it sits below everything.

Use `record(session, events, key)` (SQLite) or `append(session, events)` then, later, `seal(session, key)`
(PostgreSQL) in the transaction that makes the change; `verify(session, key)`
walks the keyed chain to its head; `write_checkpoint(...)` signs the head outside the database.
"""
from .chain import (
    VerifyResult,
    append,
    event_id_at,
    extend,
    hash_at,
    head,
    head_keyed_from,
    link,
    pending,
    record,
    seal,
    verify,
)
from .checkpoint import is_signed, latest_checkpoint, verify_checkpoint, write_checkpoint
from .events import AuditAction, NewEvent
from .models import AuditBase, AuditChainHead, AuditEvent, AuditPending

__all__ = [
    "AuditAction", "AuditBase", "AuditChainHead", "AuditEvent", "AuditPending", "NewEvent", "VerifyResult", "append",
    "event_id_at", "extend", "hash_at", "head", "head_keyed_from", "is_signed", "latest_checkpoint", "link", "pending",
    "record", "seal", "verify", "verify_checkpoint", "write_checkpoint",
]
