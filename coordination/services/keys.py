"""Key rotation: re-encrypt every protected field under the newest key, in batches, but only once every running
instance holds that key. Re-indexing: recompute the blind indexes people are found by (`reindex`).

Each web and rq worker process announces the key ids it loaded (`announce`, at start and every minute). Rotating
to a key that a running instance lacks would leave that instance unable to read anything rotated, so
`authorise_rotation` refuses unless every instance seen in the last few minutes holds it; a forced rotation
needs a reason and is audited.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from coordination.db import UnitOfWork
from coordination.domain.actors import Actor
from coordination.domain.people import NewPerson
from coordination.errors import Conflict, Invalid
from coordination.models import ENCRYPTED_MODELS, AppInstance, Person
from coordination.repositories import encrypted_rows, instances
from coordination.services.families import person_digests, person_view, prefix_digests, set_prefixes

ANNOUNCE_EVERY = dt.timedelta(seconds=60)
SEEN_WITHIN = dt.timedelta(minutes=5)  # an instance silent for longer is taken to have stopped
FORGET_AFTER = dt.timedelta(days=7)


@dataclass(frozen=True)
class InstanceInfo:
    """What a running process says about itself."""

    id: str  # host:pid
    host: str
    kind: str  # web | worker
    pid: int
    key_ids: tuple[str, ...]
    current_key_id: str


def announce(uow: UnitOfWork, info: InstanceInfo) -> None:
    """Record (or refresh) this instance and the key ids it holds; forget instances silent for a week.
    Housekeeping, not a change to case data: not audited. The caller commits."""
    now = uow.now()
    row = instances.get(uow.session, info.id)
    if row is None:
        instances.add(uow.session, AppInstance(id=info.id, host=info.host, kind=info.kind, pid=info.pid,
                                               key_ids=list(info.key_ids), current_key_id=info.current_key_id,
                                               started_at=now, last_seen=now))
    else:
        row.key_ids, row.current_key_id, row.kind, row.last_seen = (
            list(info.key_ids), info.current_key_id, info.kind, now)
    instances.forget_older_than(uow.session, now - FORGET_AFTER)


@dataclass
class Readiness:
    key_id: str
    within: dt.timedelta
    seen: list[AppInstance]
    lacking: list[AppInstance]

    @property
    def ok(self) -> bool:
        return bool(self.seen) and not self.lacking

    def problem(self) -> str:
        minutes = int(self.within.total_seconds() // 60)
        if not self.seen:
            return f"no running instance has announced key {self.key_id} (none seen in the last {minutes} minutes)"
        lacking = ", ".join(f"{i.id} ({i.kind}, holds {', '.join(i.key_ids)})" for i in self.lacking)
        return (f"{len(self.lacking)} of {len(self.seen)} instances seen in the last {minutes} minutes do not hold "
                f"key {self.key_id}: {lacking}")


def rotation_readiness(uow: UnitOfWork, key_id: str, within: dt.timedelta = SEEN_WITHIN) -> Readiness:
    seen = instances.seen_since(uow.session, uow.now() - within)
    return Readiness(key_id, within, seen, [i for i in seen if key_id not in (i.key_ids or [])])


def authorise_rotation(uow: UnitOfWork, actor: Actor, within: dt.timedelta = SEEN_WITHIN,
                       force_reason: str | None = None) -> Readiness:
    """Whether `rotate` may move everything to this process's newest key.

    :raise Conflict: an instance seen within `within` lacks the key, or none was seen, and no `force_reason`.
    :raise Invalid: `force_reason` is given but blank.
    A forced rotation is audited with its reason and the instances that lacked the key; the caller commits.
    """
    readiness = rotation_readiness(uow, uow.keys.current_id, within)
    if force_reason is not None and not force_reason.strip():
        raise Invalid("a forced rotation needs a reason", {"reason": ["Say why the rotation is forced"]})
    if readiness.ok:
        return readiness
    if force_reason is None:
        raise Conflict(f"refusing to rotate to key {readiness.key_id}: {readiness.problem()}. Restart every web "
                       "host and worker with the new ENCRYPTION_KEYS (deploy/README.md, Rotating the encryption "
                       "key), or pass --force with --reason", key_id=readiness.key_id)
    uow.audit(actor, "key_rotation", "encryption_key", None, reason=force_reason.strip(), forced=True,
              key_id=readiness.key_id, instances_seen=len(readiness.seen),
              instances_lacking=[i.id for i in readiness.lacking])
    return readiness


def count_rows(uow: UnitOfWork) -> int:
    return sum(encrypted_rows.count(uow.session, m) for m in ENCRYPTED_MODELS)


def rotate(uow: UnitOfWork, actor: Actor, batch_size: int = 500,
           progress: Callable[[int], None] = lambda n: None) -> dict[str, int]:
    """Re-encrypt in batches of `batch_size` rows, committing each batch with an audit event; returns
    counts of fields re-encrypted per table. Safe to interrupt and run again."""
    counts: dict[str, int] = {}
    for model in ENCRYPTED_MODELS:
        changed = 0
        for batch in encrypted_rows.batches(uow.session, model, batch_size):
            for row in batch:
                for field in model.__encrypted__:
                    ct = getattr(row, f"{field}_ct")
                    if ct is not None and uow.keys.needs_rotation(ct):
                        row.seal(uow.keys, field, row.unseal(uow.keys, field))
                        changed += 1
            uow.audit(actor, "key_rotation", model.__tablename__, None, rows=len(batch), key_id=uow.keys.current_id)
            uow.commit()
            uow.session.expunge_all()
            progress(len(batch))
        counts[model.__tablename__] = changed
    return counts


def count_people(uow: UnitOfWork) -> int:
    return encrypted_rows.count(uow.session, Person)


def reindex(uow: UnitOfWork, actor: Actor, batch_size: int = 500,
            progress: Callable[[int], None] = lambda n: None) -> dict[str, int]:
    """Recompute every person's blind indexes from their decrypted details, under today's matching rules
    (`person_digests`) and BLIND_INDEX_KEY, in batches committed each with an audit event. Returns the people
    whose indexes changed. Idempotent: a second run changes nothing; safe to interrupt and run again."""
    changed = 0
    for batch in encrypted_rows.batches(uow.session, Person, batch_size, load=(Person.name_prefixes,)):
        in_batch = 0
        for person in batch:
            view = person_view(uow.keys, person)
            digests = person_digests(uow.blind, NewPerson(view.role, view.given_name, view.family_name,
                                                          view.date_of_birth, view.nhs_number, view.upn))
            differs = any(getattr(person, column) != digest for column, digest in digests.items())
            for column, digest in digests.items():
                setattr(person, column, digest)
            prefixes = prefix_digests(uow.blind, person.family.owning_agency_id, view.given_name, view.family_name)
            if set_prefixes(person, prefixes) or differs:
                in_batch += 1
        uow.audit(actor, "blind_reindex", "person", None, rows=len(batch), changed=in_batch)
        uow.commit()
        uow.session.expunge_all()
        changed += in_batch
        progress(len(batch))
    return {"person": changed}
