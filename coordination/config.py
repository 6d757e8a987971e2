"""Settings from the environment.

`COORDINATION_ENV` is `production` unless said otherwise. Development generates missing keys once
into `instance/` and reuses them; production refuses to start on a missing or default secret and
names it (see `ConfigError`).
"""
from __future__ import annotations

import base64
import os
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

ENVIRONMENTS = ("production", "development", "test")
# Values that appear in docs and examples: never acceptable as a real secret.
KNOWN_DEFAULTS = {"", "changeme", "change-me", "secret", "dev", "development", "default", "insecure"}


class ConfigError(RuntimeError):
    """The service cannot start safely with these settings."""


@dataclass
class Settings:
    env: str
    instance_path: Path
    database_url: str
    redis_url: str | None
    secret_key: str
    encryption_keys: list[tuple[str, bytes]]  # (key id, 32-byte key), newest last
    blind_index_key: bytes
    audit_signing_key: bytes  # Ed25519 private key, raw 32 bytes
    checkpoint_dir: Path
    mail_log: Path
    ratelimit_storage: str
    extra: dict = field(default_factory=dict)

    @property
    def is_production(self) -> bool:
        return self.env == "production"


def _default_instance() -> Path:
    return Path(os.environ.get("INSTANCE_PATH") or Path.cwd() / "instance")


def _read_or_generate(path: Path, make: Callable[[], str], generate: bool, name: str) -> str:
    if path.exists():
        return path.read_text().strip()
    if not generate:
        raise ConfigError(f"{name} is not set")
    path.parent.mkdir(parents=True, exist_ok=True)
    value = make()
    # Keys are written readable by the owner only.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(value + "\n")
    return value


def parse_encryption_keys(raw: str) -> list[tuple[str, bytes]]:
    """`kid:base64key[,kid:base64key...]`, oldest first; the last is used for new writes."""
    keys: list[tuple[str, bytes]] = []
    for part in (p.strip() for p in raw.replace("\n", ",").split(",")):
        if not part:
            continue
        kid, _, b64 = part.partition(":")
        try:
            key = base64.urlsafe_b64decode(b64.encode() + b"==")
        except ValueError as exc:
            raise ConfigError(f"ENCRYPTION_KEYS entry {kid!r} is not base64") from exc
        if not kid or len(key) != 32:
            raise ConfigError(f"ENCRYPTION_KEYS entry {kid!r} must be 'id:base64 of 32 bytes'")
        keys.append((kid, key))
    if not keys:
        raise ConfigError("ENCRYPTION_KEYS is empty")
    return keys


def _new_encryption_key() -> str:
    return "k1:" + base64.urlsafe_b64encode(secrets.token_bytes(32)).decode().rstrip("=")


def _new_signing_key() -> str:
    raw = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _b64(value: str) -> bytes:
    return base64.urlsafe_b64decode(value.encode() + b"==")


def load_settings(environ: dict[str, str] | None = None, **overrides) -> Settings:
    """Build settings from `environ` (default: os.environ); overrides win (tests use them)."""
    env = dict(os.environ if environ is None else environ)
    mode = overrides.pop("env", None) or env.get("COORDINATION_ENV", "production")
    if mode not in ENVIRONMENTS:
        raise ConfigError(f"COORDINATION_ENV must be one of {', '.join(ENVIRONMENTS)}, not {mode!r}")
    instance = Path(overrides.pop("instance_path", None) or env.get("INSTANCE_PATH") or _default_instance())
    generate = mode != "production"

    def secret(name: str, file_name: str, make) -> str:
        value = env.get(name)
        file_var = env.get(f"{name}_FILE")
        if not value and file_var:
            value = Path(file_var).read_text().strip()
        if value:
            if mode == "production" and value.strip().lower() in KNOWN_DEFAULTS:
                raise ConfigError(f"{name} is set to a default value; set a real secret")
            return value
        if mode == "production":
            raise ConfigError(f"{name} is not set (production refuses to start without it)")
        return _read_or_generate(instance / "keys" / file_name, make, generate, name)

    def token() -> str:
        return secrets.token_urlsafe(48)

    secret_key = overrides.pop("secret_key", None) or secret("SECRET_KEY", "secret_key", token)
    if mode == "production" and len(secret_key) < 32:
        raise ConfigError("SECRET_KEY is too short: use at least 32 random characters")
    enc_raw = overrides.pop("encryption_keys", None) or secret(
        "ENCRYPTION_KEYS", "encryption_keys", _new_encryption_key
    )
    blind_raw = overrides.pop("blind_index_key", None) or secret(
        "BLIND_INDEX_KEY", "blind_index_key", lambda: base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()
    )
    signing_raw = overrides.pop("audit_signing_key", None) or secret(
        "AUDIT_SIGNING_KEY", "audit_signing_key", _new_signing_key
    )
    signing = _b64(signing_raw)
    if len(signing) != 32:
        raise ConfigError("AUDIT_SIGNING_KEY must be base64 of a raw 32-byte Ed25519 private key")
    blind = _b64(blind_raw)
    if len(blind) < 32:
        raise ConfigError("BLIND_INDEX_KEY must be base64 of at least 32 bytes")

    database_url = overrides.pop("database_url", None) or env.get("DATABASE_URL")
    if not database_url:
        if mode == "production":
            raise ConfigError("DATABASE_URL is not set (production refuses to start without it)")
        database_url = f"sqlite:///{instance / 'coordination.sqlite3'}"
    redis_url = overrides.pop("redis_url", env.get("REDIS_URL")) or None

    settings = Settings(
        env=mode,
        instance_path=instance,
        database_url=database_url,
        redis_url=redis_url,
        secret_key=secret_key,
        encryption_keys=parse_encryption_keys(enc_raw),
        blind_index_key=blind,
        audit_signing_key=signing,
        checkpoint_dir=Path(
            overrides.pop("checkpoint_dir", None) or env.get("AUDIT_CHECKPOINT_DIR") or instance / "checkpoints"
        ),
        mail_log=Path(overrides.pop("mail_log", None) or env.get("MAIL_LOG") or instance / "mail.log"),
        ratelimit_storage=overrides.pop("ratelimit_storage", None)
        or env.get("RATELIMIT_STORAGE_URI")
        or (redis_url if redis_url else "memory://"),
        extra=overrides,
    )
    if mode == "production" and settings.ratelimit_storage.startswith("memory://"):
        raise ConfigError("REDIS_URL (or RATELIMIT_STORAGE_URI) is not set: rate limits must be shared")
    return settings
