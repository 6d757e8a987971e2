"""Referrals: a child referred from the one assessment to another service, and the journey across pathways.

The use cases, re-exported here so callers say `referrals.create_referral(...)`; by what changes together:
- create: making a referral (who may refer, the checks, the Idempotency-Key, the write), and checking the
  answers without writing (check_referral, for the check-answers page);
- commands: the receiving team's decide, transition, close, add_pause, add_exception;
- redirect: the receiving team sends an undecided referral to the right team (no wrong door), and the history
  entries a team keeps of the referrals it sent on;
- queries: get_referral, list_referrals, journey, shared_assessment;
- details: what a receiving team reads of the people behind a referral (the child's date of birth, parents,
  address) as far as consent or a disclosure allows, on the check page and the referral page;
- queue: what is due and overdue, and the names of referred children, for the web pages;
- clocks: recompute_clocks; views: what the service hands back; access: who may act on a referral.

Lifecycle (domain.referrals.Lifecycle): received → accepted | declined; accepted → in progress (the first stage
move) → closed with an outcome. Every change is a `ReferralEvent` (timestamped, attributed), an audit event (ids
and codes only: never the reason text) and a recomputation of the referral's clocks
(domain.pathways.compute_clocks over the first occurrence of each event kind, on the one WorkingCalendar),
all in the caller's transaction. Creation and decisions publish outbox messages (ids only) for the
notification jobs.

Who may do what:
- create: staff of the agency holding the family's case; or a partner key (scope `referrals`) or staff of
  another agency whose agency has live consent or disclosure cover for the family (the disclosure engine
  answers); anyone else is told the family does not exist.
- decide, redirect, move on, close, record pauses and exceptions: the receiving agency only.
- read: the case-holding, sending and receiving agencies (repositories.referrals.visible, in the SQL).

A retried create with the same Idempotency-Key (per credential) returns the first referral, never a second,
even when two retries race: the unique (scope, key) constraint decides and the loser reads the winner's row.
"""

from .access import check_principal
from .clocks import recompute_clocks
from .commands import MAX_NOTE_CHARS, MAX_REASON_CHARS, add_exception, add_pause, close, decide, transition
from .create import LINK_KINDS, ReferralCheck, check_referral, create_referral, idempotency_scope
from .details import AgencyWillSee, ReferralDetailsView, referral_details
from .queries import get_referral, journey, list_referrals, shared_assessment
from .queue import DueClock, DueList, child_names, due
from .redirect import NoCover, RedirectedByUs, redirect, redirected_by_us
from .views import ClockView, EventView, ReferralView

__all__ = [
    "AgencyWillSee", "ReferralDetailsView", "referral_details",
    "LINK_KINDS", "MAX_NOTE_CHARS", "MAX_REASON_CHARS", "ClockView", "NoCover", "DueClock", "DueList", "EventView",
    "RedirectedByUs", "ReferralCheck", "ReferralView", "add_exception", "add_pause", "check_principal",
    "check_referral",
    "child_names", "close", "create_referral", "decide", "due", "get_referral", "idempotency_scope", "journey",
    "list_referrals", "recompute_clocks", "redirect", "redirected_by_us", "shared_assessment", "transition",
]
