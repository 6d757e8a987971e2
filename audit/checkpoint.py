"""Signed checkpoints of the chain head, kept outside the database.

The chain's head row shows where the chain ended, but someone with database write access who kept an old copy
of that row could put it back over a cut tail. A checkpoint (event count, head seq and hash, where the keyed
chain starts, time) signed with Ed25519 and appended to a file outside the database lets `verify` notice a
truncated or rewritten tail even then, and that the keyed start was not moved.
"""
from __future__ import annotations

import base64
import datetime as dt
import json
import os
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

FILE_NAME = "audit-checkpoints.jsonl"


def _payload(body: dict) -> bytes:
    return json.dumps(body, sort_keys=True, separators=(",", ":")).encode()


def _key_id(public: Ed25519PublicKey) -> str:
    raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")[:16]


def write_checkpoint(directory: Path, private_key: bytes, count: int, head_seq: int, head_hash: str,
                     keyed_from: int | None = None) -> dict:
    key = Ed25519PrivateKey.from_private_bytes(private_key)
    body = {
        "count": count,
        "head_seq": head_seq,
        "head_hash": head_hash,
        "keyed_from": keyed_from,
        "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "key_id": _key_id(key.public_key()),
    }
    signature = base64.urlsafe_b64encode(key.sign(_payload(body))).decode()
    record = {**body, "signature": signature}
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / FILE_NAME
    # Append-only file; one JSON object a line.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    with os.fdopen(fd, "a") as fh:
        fh.write(json.dumps(record, sort_keys=True) + "\n")
    return record


def latest_checkpoint(directory: Path) -> dict | None:
    """The last line of the file. Reads only its end: checkpoints every few minutes make a long file."""
    path = directory / FILE_NAME
    if not path.exists():
        return None
    with path.open("rb") as fh:
        size = fh.seek(0, os.SEEK_END)
        chunk = 4096
        while True:
            fh.seek(max(0, size - chunk))
            lines = [line for line in fh.read().splitlines() if line.strip()]
            if len(lines) > 1 or chunk >= size:
                break
            chunk *= 4
    return json.loads(lines[-1]) if lines else None


def is_signed(record: dict, private_or_public_key: bytes) -> bool:
    """Whether `record` carries a valid signature by this key (the private key, or its public half)."""
    try:
        public = Ed25519PrivateKey.from_private_bytes(private_or_public_key).public_key()
    except ValueError:
        public = Ed25519PublicKey.from_public_bytes(private_or_public_key)
    body = {k: v for k, v in record.items() if k != "signature"}
    try:
        public.verify(base64.urlsafe_b64decode(record["signature"]), _payload(body))
    except (InvalidSignature, KeyError, ValueError):
        return False
    return True


def verify_checkpoint(record: dict, private_or_public_key: bytes, seq_hash: str | None, count: int,
                      keyed_from: int | None = None) -> str | None:
    """None when the chain agrees with the checkpoint; otherwise what is wrong.

    `seq_hash` is the chain's hash at the checkpoint's head_seq (None when that event is missing);
    `count` is how many events the chain holds now; `keyed_from` is where the head says the keyed chain starts.
    """
    if not is_signed(record, private_or_public_key):
        return "the latest checkpoint's signature is not valid"
    if count < record["count"]:
        return (f"the chain holds {count} events but the checkpoint of {record['created_at']} "
                f"counted {record['count']}: events were removed")
    if seq_hash is None and record["head_seq"] > 0:
        return (f"event {record['head_seq']}, the newest at the checkpoint of {record['created_at']}, is gone: "
                "events were removed")
    if seq_hash != record["head_hash"] and record["head_seq"] > 0:
        return f"event {record['head_seq']} no longer matches the checkpoint of {record['created_at']}"
    if record.get("keyed_from") is not None and record["keyed_from"] != keyed_from:
        return (f"the keyed chain started at event {record['keyed_from']} at the checkpoint of "
                f"{record['created_at']}, but the head row now says {keyed_from}: it was altered")
    return None
