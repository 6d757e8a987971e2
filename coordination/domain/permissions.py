"""Who may do what. Deny by default: an action not listed for a role is refused.

Visibility of families is a query concern (repositories scope every read by the actor); this module
answers the role-level questions: may this kind of actor attempt this action at all?
"""
from __future__ import annotations

import uuid
from enum import StrEnum

from .actors import Actor, ActorKind, AgencyType, Role


class Scope(StrEnum):
    """What a partner API key may do; staff tokens carry their user's role instead."""

    READ_ASSESSMENT = "read:assessment"
    WRITE_CONTRIBUTIONS = "write:contributions"
    REFERRALS = "referrals"


API_SCOPES: tuple[str, ...] = tuple(s.value for s in Scope)


class Action(StrEnum):
    READ_CASE = "read_case"            # families, assessment, voice
    WRITE_CASE = "write_case"          # create families, edit sections, record voice
    DISCLOSE_WITHOUT_CONSENT = "disclose_without_consent"
    SIGN_OFF_ASSESSMENT = "sign_off_assessment"  # a manager of the agency holding the case
    MANAGE_USERS = "manage_users"
    MANAGE_KEYS = "manage_keys"        # request, revoke and set the expiry of partner API keys
    VIEW_KEYS = "view_keys"            # see the partner API keys (scoped) and confirm a pending one
    VIEW_METRICS = "view_metrics"
    VIEW_AUDIT = "view_audit"
    MANAGE_TEAM = "manage_team"        # the team view: the agency's open families, allocation, oversight notes
    RUN_RETURNS = "run_returns"        # the statutory returns (CIN census): the whole council's children
    EXCLUDE_FROM_FAMILY_VIEW = "exclude_from_family_view"  # end a family member's own access, with a reason


# Agencies whose staff hold early help cases in this service.
CASE_HOLDING_AGENCY_TYPES = frozenset({AgencyType.COUNCIL_EARLY_HELP, AgencyType.SOCIAL_CARE})

# Actions on the cases an agency holds: only staff of case-holding agencies have any.
CASE_ACTIONS = frozenset({Action.READ_CASE, Action.WRITE_CASE, Action.SIGN_OFF_ASSESSMENT, Action.MANAGE_TEAM,
                          Action.EXCLUDE_FROM_FAMILY_VIEW})

ROLE_ACTIONS: dict[Role, frozenset[Action]] = {
    Role.PRACTITIONER: frozenset({Action.READ_CASE, Action.WRITE_CASE}),
    Role.MANAGER: frozenset(
        {Action.READ_CASE, Action.WRITE_CASE, Action.DISCLOSE_WITHOUT_CONSENT, Action.SIGN_OFF_ASSESSMENT,
         Action.VIEW_METRICS, Action.VIEW_AUDIT, Action.VIEW_KEYS, Action.MANAGE_TEAM, Action.RUN_RETURNS,
         Action.EXCLUDE_FROM_FAMILY_VIEW}
    ),
    # Admins run the service; they do not read case content (least privilege).
    Role.ADMIN: frozenset({Action.MANAGE_USERS, Action.MANAGE_KEYS, Action.VIEW_KEYS, Action.VIEW_AUDIT}),
}


def may(actor: Actor, action: Action) -> bool:
    if actor.kind == ActorKind.SYSTEM:
        return True
    if actor.kind != ActorKind.USER or actor.role is None:
        return False
    # Case work, and the returns (which see every child the council holds), are for the council's own teams.
    if (action in CASE_ACTIONS or action == Action.RUN_RETURNS) and actor.agency_type not in CASE_HOLDING_AGENCY_TYPES:
        return False
    return action in ROLE_ACTIONS.get(actor.role, frozenset())


def key_lacks_scope(actor: Actor, scope: str) -> bool:
    """A partner key without `scope`. Staff and system actors carry their role's permissions instead."""
    return actor.kind == ActorKind.API_KEY and scope not in actor.scopes


# Staff roles that make, decide and follow referrals (admins run the service and read no cases).
REFERRAL_ROLES = frozenset({Role.PRACTITIONER, Role.MANAGER})


def may_work_with_referrals(actor: Actor) -> bool:
    """Staff in a referral role, a partner key with the `referrals` scope, or the system."""
    if actor.kind == ActorKind.USER:
        return actor.role in REFERRAL_ROLES
    if actor.kind == ActorKind.API_KEY:
        return not key_lacks_scope(actor, Scope.REFERRALS)
    return actor.kind == ActorKind.SYSTEM


def may_hold_api_key(agency_type: AgencyType) -> bool:
    """Keys staff issue are for partner agencies: case-holding teams' staff use their own accounts, and a key
    for one would be a credential an admin could read that team's cases with."""
    return agency_type not in CASE_HOLDING_AGENCY_TYPES


def may_confirm_api_key(actor: Actor, key_agency_id: uuid.UUID, issued_by_id: uuid.UUID | None) -> bool:
    """A key an admin asked for works only once a second person confirms it: another admin, or a manager of
    the agency that receives it. Never its issuer."""
    if actor.kind != ActorKind.USER or actor.user_id is None or actor.user_id == issued_by_id:
        return False
    if may(actor, Action.MANAGE_KEYS):
        return True
    return actor.role == Role.MANAGER and actor.agency_id == key_agency_id
