"""Access rules declared on every view, enforced once per blueprint (deny by default).

Each view function carries an `AccessRule`; the web and API blueprints' `before_request` hooks look it
up and refuse the request when there is none. tests/test_architecture.py walks every route to check
that each declares one.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from coordination.domain.actors import Actor
from coordination.domain.permissions import Action, key_lacks_scope, may
from coordination.errors import NotPermitted

Audience = Literal["public", "staff", "partner", "staff_or_partner", "family"]


@dataclass(frozen=True)
class AccessRule:
    audience: Audience
    action: Action | None = None   # for staff: the role-level permission needed
    scope: str | None = None       # for partners: the API key scope needed


def access(audience: Audience, action: Action | None = None, scope: str | None = None) -> Callable:
    rule = AccessRule(audience, action, scope)

    def decorate(view: Callable) -> Callable:
        view.access_rule = rule  # type: ignore[attr-defined]
        return view

    return decorate


def rule_of(view: Callable | None) -> AccessRule | None:
    return getattr(view, "access_rule", None)


def check(actor: Actor, rule: AccessRule) -> None:
    """:raise NotPermitted: the actor is the wrong kind, lacks the role permission or the scope."""
    if rule.audience == "public":
        return
    if rule.audience == "family" and not actor.is_family:
        raise NotPermitted("Only a family member signed in to their own view can use this")
    if actor.is_staff:
        if rule.audience not in ("staff", "staff_or_partner"):
            raise NotPermitted("Staff cannot use this")
        if rule.action is not None and not may(actor, rule.action):
            raise NotPermitted("Your role cannot do this")
        return
    if actor.is_partner:
        if rule.audience not in ("partner", "staff_or_partner"):
            raise NotPermitted("Partner keys cannot use this")
        if rule.scope is not None and key_lacks_scope(actor, rule.scope):
            raise NotPermitted(f"This key lacks the '{rule.scope}' scope")
        return
    if actor.is_family:
        if rule.audience != "family":
            raise NotPermitted("A family member cannot use this")
        return
    raise NotPermitted("Not allowed")
