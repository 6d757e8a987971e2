"""The gate both web blueprints put before every view: deny by default, then the view's access rule.

A view without a rule is 404, whoever asks; a public view is open; otherwise the blueprint's own visitor
(a staff user, or a family member) must be signed in (else `signed_out` answers) and fit the rule (else
`refused`: 403 for staff, 404 in the family's view, where nothing they may not see is admitted to exist).
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import abort, current_app, request

from coordination.auth.decorators import check, rule_of
from coordination.domain.actors import Actor
from coordination.errors import NotPermitted


def gate(visitor: Callable[[], Actor | None], signed_out: Callable[[Any], Any], refused: int) -> Callable[[], Any]:
    def _gate():
        view = current_app.view_functions.get(request.endpoint or "")
        rule = rule_of(view)
        if rule is None:
            abort(404)
        if rule.audience == "public":
            return None
        actor = visitor()
        if actor is None:
            return signed_out(view)
        try:
            check(actor, rule)
        except NotPermitted:
            abort(refused)
        return None

    return _gate
