"""The tamper-evident audit trail. Imports nothing of `coordination`: it sits below everything.

Use `record(session, events)` inside the transaction that makes the change; `verify(session, ...)`
walks the chain; `write_checkpoint(...)` signs the head outside the database.
"""
from .chain import VerifyResult, hash_at, head, record, verify
from .checkpoint import latest_checkpoint, verify_checkpoint, write_checkpoint
from .events import AuditAction, NewEvent
from .models import AuditBase, AuditChainHead, AuditEvent

__all__ = [
    "AuditAction", "AuditBase", "AuditChainHead", "AuditEvent", "NewEvent", "VerifyResult", "hash_at", "head",
    "latest_checkpoint", "record", "verify", "verify_checkpoint", "write_checkpoint",
]
