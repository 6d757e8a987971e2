"""The tamper-evident audit trail. Imports nothing of `coordination`: it sits below everything.

Use `record(session, events, key)` inside the transaction that makes the change; `verify(session, key)`
walks the keyed chain to its head; `write_checkpoint(...)` signs the head outside the database.
"""
from .chain import VerifyResult, event_id_at, extend, hash_at, head, head_keyed_from, link, record, verify
from .checkpoint import is_signed, latest_checkpoint, verify_checkpoint, write_checkpoint
from .events import AuditAction, NewEvent
from .models import AuditBase, AuditChainHead, AuditEvent

__all__ = [
    "AuditAction", "AuditBase", "AuditChainHead", "AuditEvent", "NewEvent", "VerifyResult", "event_id_at", "extend",
    "hash_at", "head", "head_keyed_from", "is_signed", "latest_checkpoint", "link", "record", "verify",
    "verify_checkpoint", "write_checkpoint",
]
