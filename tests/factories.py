"""factory-boy factories, bound to the test's session at run time (never a global session)."""
from __future__ import annotations

import factory
from argon2 import PasswordHasher

from coordination.models import Agency, User

PASSWORD = "correct-horse-battery-staple"
_PASSWORD_HASH = PasswordHasher().hash(PASSWORD)  # hashed once: argon2 is slow on purpose

_session_factory = None
_session = None


def bind(session_factory) -> None:
    global _session_factory, _session
    _session_factory = session_factory
    _session = None


def current_session():
    global _session
    if _session is None and _session_factory is not None:
        _session = _session_factory()
    return _session


class Base(factory.alchemy.SQLAlchemyModelFactory):
    class Meta:
        abstract = True
        sqlalchemy_session_factory = current_session
        sqlalchemy_session_persistence = "commit"


class AgencyFactory(Base):
    class Meta:
        model = Agency

    name = factory.Sequence(lambda n: f"Fictional Agency {n}")
    type = "council_early_help"


class UserFactory(Base):
    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"staff{n}@example.org")
    name = factory.Sequence(lambda n: f"Staff Member {n}")
    password_hash = _PASSWORD_HASH
    role = "practitioner"
    agency = factory.SubFactory(AgencyFactory)
    active = True
