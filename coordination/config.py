"""Settings: every setting the service reads, typed, loaded and checked here and nowhere else.

`load_settings(environ)` reads `environ` (default: `os.environ`) and nothing else. Keyword overrides name
`Settings` fields and win over the environment (tests build their settings that way); an override of None
counts as not given. README's configuration table lists the variables with their meaning and default.

`COORDINATION_ENV` is `production` unless said otherwise. Development generates missing keys once into
`instance/keys/` and reuses them; production refuses to start on a missing or default secret and names it
(see `ConfigError`).
"""
from __future__ import annotations

import base64
import os
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from .domain.family_help import REVIEW_WEEKS_DEFAULT, REVIEW_WEEKS_RANGE, check_review_weeks

ENVIRONMENTS = ("production", "development", "test")
MAIL_SENDERS = ("log", "smtp")
# Values that appear in docs and examples: never acceptable as a real secret.
KNOWN_DEFAULTS = {"", "changeme", "change-me", "secret", "dev", "development", "default", "insecure"}


class ConfigError(RuntimeError):
    """The service cannot start safely with these settings."""


@dataclass(frozen=True)
class Settings:
    env: str  # COORDINATION_ENV: production | development | test
    instance_path: Path  # INSTANCE_PATH
    database_url: str  # DATABASE_URL
    redis_url: str | None  # REDIS_URL; None: outbox messages are handled inline
    secret_key: str = field(repr=False)  # SECRET_KEY (or SECRET_KEY_FILE)
    encryption_keys: tuple[tuple[str, bytes], ...] = field(repr=False)  # ENCRYPTION_KEYS: (key id, key), newest last
    blind_index_key: bytes = field(repr=False)  # BLIND_INDEX_KEY
    audit_signing_key: bytes = field(repr=False)  # AUDIT_SIGNING_KEY: Ed25519 private key, raw 32 bytes
    audit_chain_key: bytes = field(repr=False)  # AUDIT_CHAIN_KEY: audit chain HMAC key (not on the DB host)
    checkpoint_dir: Path  # AUDIT_CHECKPOINT_DIR
    ratelimit_storage: str  # RATELIMIT_STORAGE_URI, else REDIS_URL, else memory://
    ratelimit_enabled: bool  # no variable: on, except under COORDINATION_ENV=test unless a test turns it on
    announce_instances: bool  # no variable: web processes announce their key ids, except under test unless asked
    outbox_queue: str  # OUTBOX_QUEUE: the rq queue outbox messages go to
    outbox_lease_seconds: int  # OUTBOX_LEASE_SECONDS (default 120): unhandled this long after dispatch, Redis is asked
    outbox_job_timeout: int  # OUTBOX_JOB_TIMEOUT (default 60): rq's time limit for one outbox job
    public_base_url: str  # PUBLIC_BASE_URL: the service's address in emails, without a trailing slash
    mail_log: Path  # MAIL_LOG: where the log sender appends
    mail_sender: str  # MAIL_SENDER: log | smtp
    mail_smtp_host: str | None  # MAIL_SMTP_HOST
    mail_smtp_port: int  # MAIL_SMTP_PORT
    mail_smtp_user: str | None  # MAIL_SMTP_USER
    mail_smtp_password: str | None = field(repr=False)  # MAIL_SMTP_PASSWORD
    mail_from: str  # MAIL_FROM
    demo_password: str | None = field(repr=False)  # DEMO_PASSWORD: the demo staff password (development only)
    council_name: str  # COUNCIL_NAME: the wordmark in every page's header; unset, the demo's fictional Eastmere
    api_key_cache_seconds: float = 5.0  # API_KEY_CACHE_SECONDS (0 = off): see coordination/key_cache.py
    review_interval_weeks: int = 6  # REVIEW_INTERVAL_WEEKS (4-12): team-around-the-family reviews at most this apart
    la_code: str = "999"  # LA_CODE: the council's three-digit DfE local authority number (the demo's 999: none has it)
    # SEN2_DMO / SEN2_DCO: SEN2's header items DMO and DCO (Y, N or R), the council's answer for the year about its
    # Designated Medical Officer and Designated Clinical Officer for SEND; unset in production (the SEN2 page then
    # says so and the file lacks them), the demo's Y in development and test.
    sen2_dmo: str | None = None
    sen2_dco: str | None = None

    @property
    def is_production(self) -> bool:
        return self.env == "production"


FIELDS = frozenset(f.name for f in fields(Settings))


@dataclass(frozen=True)
class _Source:
    """Where values come from: an override (by field name), else the environment variable."""

    environ: Mapping[str, str]
    overrides: Mapping[str, Any]

    def get(self, name: str, variable: str | None = None) -> Any:
        given = self.overrides.get(name)
        if given is not None and given != "":
            return given
        return (self.environ.get(variable) or None) if variable else None


def load_settings(environ: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
    """Build settings from `environ` (default: os.environ); overrides, named as `Settings` fields, win."""
    unknown = sorted(set(overrides) - FIELDS)
    if unknown:
        raise TypeError(f"load_settings() got unknown settings: {', '.join(unknown)}")
    source = _Source(dict(os.environ if environ is None else environ), overrides)
    mode = source.get("env", "COORDINATION_ENV") or "production"
    if mode not in ENVIRONMENTS:
        raise ConfigError(f"COORDINATION_ENV must be one of {', '.join(ENVIRONMENTS)}, not {mode!r}")
    instance = Path(source.get("instance_path", "INSTANCE_PATH") or Path.cwd() / "instance")
    keys = _keys(source, mode, instance)
    database_url = source.get("database_url", "DATABASE_URL")
    if not database_url:
        if mode == "production":
            raise ConfigError("DATABASE_URL is not set (production refuses to start without it)")
        database_url = f"sqlite:///{instance / 'coordination.sqlite3'}"
    redis_url = source.get("redis_url", "REDIS_URL")
    ratelimit_storage = source.get("ratelimit_storage", "RATELIMIT_STORAGE_URI") or redis_url or "memory://"
    if mode == "production" and ratelimit_storage.startswith("memory://"):
        raise ConfigError("REDIS_URL (or RATELIMIT_STORAGE_URI) is not set: rate limits must be shared")
    enabled = source.get("ratelimit_enabled")
    announce = source.get("announce_instances")
    return Settings(
        env=mode,
        instance_path=instance,
        database_url=database_url,
        redis_url=redis_url,
        **keys,
        checkpoint_dir=Path(source.get("checkpoint_dir", "AUDIT_CHECKPOINT_DIR") or instance / "checkpoints"),
        ratelimit_storage=ratelimit_storage,
        ratelimit_enabled=bool(enabled) if enabled is not None else mode != "test",
        announce_instances=bool(announce) if announce is not None else mode != "test",
        outbox_queue=source.get("outbox_queue", "OUTBOX_QUEUE") or "default",
        outbox_lease_seconds=_seconds(source, "outbox_lease_seconds", "OUTBOX_LEASE_SECONDS", 120),
        outbox_job_timeout=_seconds(source, "outbox_job_timeout", "OUTBOX_JOB_TIMEOUT", 60),
        public_base_url=(source.get("public_base_url", "PUBLIC_BASE_URL") or "http://localhost:5000").rstrip("/"),
        mail_log=Path(source.get("mail_log", "MAIL_LOG") or instance / "mail.log"),
        **_mail(source, mode),
        demo_password=source.get("demo_password", "DEMO_PASSWORD"),
        council_name=(source.get("council_name", "COUNCIL_NAME") or "").strip() or "Eastmere",
        review_interval_weeks=_review_weeks(source),
        api_key_cache_seconds=_key_cache_seconds(source),
        la_code=_la_code(source),
        sen2_dmo=_sen2_header(source, mode, "sen2_dmo", "SEN2_DMO"),
        sen2_dco=_sen2_header(source, mode, "sen2_dco", "SEN2_DCO"),
    )


def _la_code(source: _Source) -> str:
    value = (source.get("la_code", "LA_CODE") or "999").strip()
    if not (len(value) == 3 and value.isdigit()):
        raise ConfigError("LA_CODE must be the council's three-digit DfE local authority number, like 330")
    return value


SEN2_HEADER_CODES = ("Y", "N", "R")


def _sen2_header(source: _Source, mode: str, name: str, variable: str) -> str | None:
    value = (source.get(name, variable) or "").strip().upper() or (None if mode == "production" else "Y")
    if value is not None and value not in SEN2_HEADER_CODES:
        raise ConfigError(f"{variable} must be Y, N or R (SEN2's header item), not {value!r}")
    return value


# ---- secrets ---------------------------------------------------------------------------------------

def _keys(source: _Source, mode: str, instance: Path) -> dict[str, Any]:
    """The five secrets, each from its variable, else its `_FILE`, else (outside production) generated once."""
    def secret(name: str, make: Callable[[], str]) -> str:
        variable = name.upper()
        value = source.get(name, variable)
        file_name = source.environ.get(f"{variable}_FILE")
        if not value and file_name:
            value = Path(file_name).read_text().strip()
        if value:
            if mode == "production" and value.strip().lower() in KNOWN_DEFAULTS:
                raise ConfigError(f"{variable} is set to a default value; set a real secret")
            return value
        if mode == "production":
            raise ConfigError(f"{variable} is not set (production refuses to start without it)")
        return _read_or_generate(instance / "keys" / name, make)

    secret_key = secret("secret_key", lambda: secrets.token_urlsafe(48))
    if mode == "production" and len(secret_key) < 32:
        raise ConfigError("SECRET_KEY is too short: use at least 32 random characters")
    encryption_raw = secret("encryption_keys", _new_encryption_key)
    blind_raw = secret("blind_index_key", lambda: base64.urlsafe_b64encode(secrets.token_bytes(32)).decode())
    signing = _b64(secret("audit_signing_key", _new_signing_key))
    if len(signing) != 32:
        raise ConfigError("AUDIT_SIGNING_KEY must be base64 of a raw 32-byte Ed25519 private key")
    blind = _b64(blind_raw)
    if len(blind) < 32:
        raise ConfigError("BLIND_INDEX_KEY must be base64 of at least 32 bytes")
    chain = _b64(secret("audit_chain_key", lambda: base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()))
    if len(chain) < 32:
        raise ConfigError("AUDIT_CHAIN_KEY must be base64 of at least 32 bytes")
    return {"secret_key": secret_key, "encryption_keys": tuple(parse_encryption_keys(encryption_raw)),
            "blind_index_key": blind, "audit_signing_key": signing, "audit_chain_key": chain}


def _read_or_generate(path: Path, make: Callable[[], str]) -> str:
    if path.exists():
        return path.read_text().strip()
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


# ---- mail ------------------------------------------------------------------------------------------

def _mail(source: _Source, mode: str) -> dict[str, Any]:
    sender = source.get("mail_sender", "MAIL_SENDER") or ("smtp" if mode == "production" else "log")
    if sender not in MAIL_SENDERS:
        raise ConfigError(f"MAIL_SENDER must be one of {', '.join(MAIL_SENDERS)}, not {sender!r}")
    port = source.get("mail_smtp_port", "MAIL_SMTP_PORT") or 587
    try:
        port = int(port)
    except ValueError:
        raise ConfigError(f"MAIL_SMTP_PORT must be a port number, not {port!r}") from None
    return {"mail_sender": sender, "mail_smtp_host": source.get("mail_smtp_host", "MAIL_SMTP_HOST"),
            "mail_smtp_port": port, "mail_smtp_user": source.get("mail_smtp_user", "MAIL_SMTP_USER"),
            "mail_smtp_password": source.get("mail_smtp_password", "MAIL_SMTP_PASSWORD"),
            "mail_from": source.get("mail_from", "MAIL_FROM") or "no-reply@localhost"}


def _seconds(source: _Source, name: str, variable: str, default: int) -> int:
    value = source.get(name, variable) or default
    try:
        seconds = int(value)
    except ValueError:
        raise ConfigError(f"{variable} must be a whole number of seconds, not {value!r}") from None
    if seconds < 1:
        raise ConfigError(f"{variable} must be at least 1 second, not {seconds}")
    return seconds


def _key_cache_seconds(source: _Source) -> float:
    value = source.get("api_key_cache_seconds", "API_KEY_CACHE_SECONDS")
    if value is None or value == "":
        return 5.0
    try:
        seconds = float(value)
    except (TypeError, ValueError):
        raise ConfigError(f"API_KEY_CACHE_SECONDS must be a number of seconds, not {value!r}") from None
    if not 0 <= seconds <= 60:
        raise ConfigError(f"API_KEY_CACHE_SECONDS must be between 0 (off) and 60, not {seconds}")
    return seconds


def _review_weeks(source: _Source) -> int:
    value = source.get("review_interval_weeks", "REVIEW_INTERVAL_WEEKS") or REVIEW_WEEKS_DEFAULT
    try:
        return check_review_weeks(int(value))
    except ValueError:
        low, high = REVIEW_WEEKS_RANGE
        raise ConfigError(f"REVIEW_INTERVAL_WEEKS must be a whole number of weeks from {low} to {high}, "
                          f"not {value!r}") from None
