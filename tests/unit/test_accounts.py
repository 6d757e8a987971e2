"""A reset link's state, and an admin's own account."""
import datetime as dt
import uuid

from coordination.domain.accounts import LinkState, is_own_account, link_state
from coordination.domain.actors import Actor, ActorKind, AgencyType, Role

NOW = dt.datetime(2026, 12, 3, 12, 0, tzinfo=dt.UTC)


def test_a_link_is_open_until_it_expires_and_used_beats_revoked_beats_expired():
    later, earlier = NOW + dt.timedelta(hours=1), NOW - dt.timedelta(hours=1)
    assert link_state(later, None, None, NOW) is LinkState.OPEN
    assert link_state(NOW, None, None, NOW) is LinkState.EXPIRED  # the expiry moment itself is too late
    assert link_state(earlier, None, earlier, NOW) is LinkState.REVOKED
    assert link_state(earlier, earlier, earlier, NOW) is LinkState.USED


def test_only_a_staff_actor_on_their_own_id_is_acting_on_their_own_account():
    me = uuid.uuid4()
    admin = Actor(kind=ActorKind.USER, agency_id=uuid.uuid4(), agency_type=AgencyType.COUNCIL_EARLY_HELP,
                  role=Role.ADMIN, user_id=me)
    assert is_own_account(admin, me) and not is_own_account(admin, uuid.uuid4())
    assert not is_own_account(Actor.system("cli"), me)
