"""The one referral lifecycle (domain.referrals.Lifecycle) that the live service and the import both follow."""
import pytest

from coordination.domain.pathways import default_pathways
from coordination.domain.referrals import Decision, Event, Lifecycle, Status


def test_each_event_moves_the_status_as_the_lifecycle_says():
    assert Lifecycle.replay([Event.RECEIVED]) == Status.RECEIVED
    assert Lifecycle.replay(["received", "decided", "accepted"]) == Status.ACCEPTED
    assert Lifecycle.replay(["received", "decided", "accepted", "entered:assessment", "entered:plan"]) == \
        Status.IN_PROGRESS
    assert Lifecycle.replay(["received", "decided", "accepted", "entered:assessment", "closed"]) == Status.CLOSED
    assert Lifecycle.replay(["received", "decided", "declined"]) == Status.DECLINED


@pytest.mark.parametrize("status,event", [
    (Status.DECLINED, "accepted"), (Status.ACCEPTED, "declined"), (Status.RECEIVED, "entered:assessment"),
    (Status.RECEIVED, "closed"), (Status.DECLINED, "closed"), (Status.CLOSED, "entered:plan"),
])
def test_an_event_the_status_does_not_allow_is_refused(status, event):
    assert not Lifecycle.may(status, event)
    with pytest.raises(ValueError):
        Lifecycle.after(status, event)


def test_a_decision_records_two_events_and_an_ended_referral_waits_for_nothing():
    assert Lifecycle.decision_events(Decision.ACCEPT) == (Event.DECIDED, Event.ACCEPTED)
    assert Lifecycle.decision_events(Decision.DECLINE) == (Event.DECIDED, Event.DECLINED)
    assert Lifecycle.has_ended(["received", "decided", "declined"])
    assert not Lifecycle.has_ended(["received", "decided", "accepted", "entered:plan"])


def test_the_first_stage_may_be_entered_once_then_only_the_pathways_moves():
    early_help = default_pathways()["early_help"]
    first = early_help.first_stage
    assert Lifecycle.may_enter(early_help, first, first, entered_first=False)
    assert not Lifecycle.may_enter(early_help, first, first, entered_first=True)
    following = early_help.transitions[first][0]
    assert Lifecycle.may_enter(early_help, first, following, entered_first=True)
    assert not Lifecycle.may_enter(early_help, first, early_help.stages[-1], entered_first=False)
