"""How long one account waits after failed sign-ins (pure; the counting lives in coordination.auth.backoff).

The first four failures for an email address within WINDOW_SECONDS (15 minutes) cost nothing. From the fifth,
each failure makes that account wait before its next attempt is even tried: 30 s, then 60, 120, 240 and at
most 300 s (5 minutes). A success clears it. So a guesser gets about ten tries per account per quarter hour,
and someone who types a real user's email address wrongly on purpose can hold them off for 5 minutes at most
after their last failure.
"""
from __future__ import annotations

FREE_FAILURES = 4            # failures before the back-off starts (the 5th failure starts it)
FIRST_DELAY_SECONDS = 30
MAX_DELAY_SECONDS = 300
WINDOW_SECONDS = 15 * 60     # failures are counted over this long, from the first


def delay_after(failures: int) -> int:
    """Seconds the account waits after its `failures`-th failure in the window (0: no wait)."""
    if failures <= FREE_FAILURES:
        return 0
    return min(FIRST_DELAY_SECONDS * 2 ** (failures - FREE_FAILURES - 1), MAX_DELAY_SECONDS)
