"""Field encryption (AES-256-GCM under a key ring) and keyed blind indexes (HMAC-SHA256).

Ciphertext format: ``v1.<key id>.<base64url(nonce || ciphertext+tag)>``. The associated data binds a
ciphertext to its table, field and row id, so a value copied to another row or column fails to
decrypt. New writes use the newest key; `flask keys rotate` re-encrypts older ones.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import os
from collections.abc import Sequence

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

PREFIX = "v1"


class DecryptionError(Exception):
    """A ciphertext could not be opened: wrong key, unknown key id, or moved/edited data."""


def _b64e(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _b64d(text: str) -> bytes:
    return base64.urlsafe_b64decode(text.encode() + b"=" * (-len(text) % 4))


def associated_data(table: str, field: str, row_id: object) -> bytes:
    return f"{table}|{field}|{row_id}".encode()


class KeyRing:
    """Holds every known key by id; encrypts with the newest."""

    def __init__(self, keys: Sequence[tuple[str, bytes]]):
        if not keys:
            raise ValueError("a key ring needs at least one key")
        self._keys = {kid: AESGCM(key) for kid, key in keys}
        self.current_id = keys[-1][0]

    def encrypt(self, plaintext: str, aad: bytes) -> str:
        nonce = os.urandom(12)
        ct = self._keys[self.current_id].encrypt(nonce, plaintext.encode("utf-8"), aad)
        return f"{PREFIX}.{self.current_id}.{_b64e(nonce + ct)}"

    def decrypt(self, token: str, aad: bytes) -> str:
        try:
            prefix, kid, body = token.split(".", 2)
        except ValueError as exc:
            raise DecryptionError("malformed ciphertext") from exc
        if prefix != PREFIX or kid not in self._keys:
            raise DecryptionError(f"unknown key id {kid!r}")
        raw = _b64d(body)
        try:
            return self._keys[kid].decrypt(raw[:12], raw[12:], aad).decode("utf-8")
        except InvalidTag as exc:
            raise DecryptionError("ciphertext does not open for this row and field") from exc

    @staticmethod
    def key_id_of(token: str) -> str:
        return token.split(".", 2)[1]

    def needs_rotation(self, token: str) -> bool:
        return self.key_id_of(token) != self.current_id


class BlindIndex:
    """Keyed HMAC for exact-match search over encrypted values. `purpose` separates index spaces.

    Parts are hashed exactly as given: callers pass the matching form (`domain.identifiers.name_match_key`,
    a cleaned NHS number or UPN), so one function decides what counts as the same name.
    """

    def __init__(self, key: bytes):
        self._key = key

    def __call__(self, purpose: str, *parts: str) -> str:
        message = "\x1f".join([purpose, *parts]).encode()
        return hmac.new(self._key, message, hashlib.sha256).hexdigest()


def token_digest(secret: str) -> str:
    """Digest for API keys and tokens (high-entropy secrets, so a fast hash is right here)."""
    return hashlib.sha256(secret.encode()).hexdigest()
