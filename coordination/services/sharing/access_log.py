"""Who has seen this family's information: the answer to a subject access request's "who has my data
been shared with", in one place (GET /families/{id}/access-log and the family record's page).

It is built from the audit trail, so it cannot disagree with it: every "disclose" event for the family
(written by services.sharing.disclosure, one per disclosure, and by services.known, one per "is this child
known?" answer naming this family's team: `fact` "known", no sections) gives when, the recipient agency, the user or API
key that received it, the sections and, per section, the consent(s) or safeguarding disclosure(s) used.
The safeguarding disclosures themselves (the managers' decisions) are listed too.

Staff holding the case see everything, with disclosures withheld from the family marked. The family's
view (`for_family=True`) leaves out disclosures a manager recorded as withheld (telling the family would
increase risk): a read whose sections were all covered only by withheld disclosures is left out, and
from other reads the withheld authority and the sections only it covered are removed.
"""
from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field

from coordination.db import UnitOfWork
from coordination.domain.access_groups import Group, group
from coordination.domain.actors import Actor
from coordination.domain.identifiers import uuid_or_none
from coordination.domain.permissions import Action, may
from coordination.errors import NotFound, NotPermitted
from coordination.repositories import consent as repo
from coordination.repositories import families as families_repo
from coordination.repositories import users as users_repo
from coordination.services.sharing.safeguarding import DisclosureView, disclosure_views


@dataclass
class AuthorityView:
    kind: str                          # consent | disclosure
    id: str
    lawful_basis: str | None = None
    sections: list[str] = field(default_factory=list)
    withheld_from_family: bool = False


@dataclass
class AccessEntry:
    at: dt.datetime
    agency_id: str | None
    agency_name: str
    user_id: str | None
    user_name: str | None
    api_key_id: str | None
    api_key_name: str | None
    channel: str | None
    sections: list[str]
    authorities: list[AuthorityView]
    withheld_from_family: bool = False
    event_id: str | None = None
    fact: str | None = None  # a fact disclosed instead of sections ("known": asked whether the child is known)
    details: list[str] = field(default_factory=list)  # fact "referral_details": which (date_of_birth, parents, …)


@dataclass
class AccessLog:
    family_id: uuid.UUID
    for_family: bool
    entries: list[AccessEntry]
    disclosures: list[DisclosureView]


def access_log(uow: UnitOfWork, actor: Actor, family_id: uuid.UUID, *, for_family: bool = False) -> AccessLog:
    """Every disclosure of this family's record, newest first.

    :raise NotFound: the family is not one the actor may see.
    :raise NotPermitted: the actor may not read the case.
    """
    family = families_repo.get_for(uow.session, actor, family_id)
    if family is None:
        raise NotFound("Family not found")
    if not may(actor, Action.READ_CASE):
        raise NotPermitted("You cannot see this family's record")
    log = _log(uow, family.id, for_family=for_family)
    uow.audit(actor, "read", "access_log", None, family_id=family.id, authority={"kind": "case_holder"},
              for_family=for_family, entries=len(log.entries))
    return log


def own_access_log(uow: UnitOfWork, actor: Actor) -> AccessLog:
    """The family's own view of who has seen their information: the family's version of the log (nothing a
    manager withheld for risk, no staff-only reasons), for a signed-in family member. Audited, channel family.

    :raise NotFound: not a family member.
    """
    family = families_repo.get_for(uow.session, actor, actor.family_id) if actor.is_family and actor.family_id \
        else None
    if family is None:
        raise NotFound("Family not found")
    log = _log(uow, family.id, for_family=True)
    uow.audit(actor, "read", "access_log", None, family_id=family.id,
              authority={"kind": "family", "channel": "family"}, for_family=True, entries=len(log.entries))
    return log


def _log(uow: UnitOfWork, family_id: uuid.UUID, *, for_family: bool) -> AccessLog:
    """The log itself, for a family already found for the caller (no audit: the callers write it)."""
    disclosures = repo.list_disclosures(uow.session, [family_id])
    withheld = {str(d.id) for d in disclosures if d.withheld_from_family}
    events = repo.disclosure_events(uow.session, family_id)

    def recipient_of(e) -> str | None:
        return (e.authority or {}).get("recipient_agency_id") or e.actor_agency_id

    agencies = users_repo.agencies_by_id(uow.session, {i for e in events if (i := uuid_or_none(recipient_of(e)))})
    users = users_repo.users_by_id(uow.session, {i for e in events if (i := uuid_or_none(e.actor_user_id))})
    keys = repo.api_keys_by_id(uow.session, {i for e in events if e.actor_kind == "api_key"
                                             and (i := uuid_or_none(e.actor_key_id))})
    entries = []
    for e in events:
        authority = e.authority or {}
        by_section: dict[str, list[dict]] = authority.get("sections") or {}
        sections = list(e.sections or [])
        found: dict[tuple[str, str], AuthorityView] = {}
        # A fact read under sections' cover (referral_details) names the sections in its authority only.
        for key in sections or (list(by_section) if authority.get("fact") else []):
            for a in by_section.get(key, []):
                view = found.setdefault((a["kind"], a["id"]), AuthorityView(
                    a["kind"], a["id"], a.get("lawful_basis"),
                    withheld_from_family=a["kind"] == "disclosure" and a["id"] in withheld))
                view.sections.append(key)
        auths = list(found.values())
        hidden = any(a.withheld_from_family for a in auths)
        if for_family and hidden:
            auths = [a for a in auths if not a.withheld_from_family]
            if not auths:
                continue
            sections = [s for s in sections if any(s in a.sections for a in auths)]
        agency = agencies.get(uuid_or_none(recipient_of(e)))  # type: ignore[arg-type]
        user = users.get(uuid_or_none(e.actor_user_id))  # type: ignore[arg-type]
        key = keys.get(uuid_or_none(e.actor_key_id)) if e.actor_kind == "api_key" else None  # type: ignore[arg-type]
        entries.append(AccessEntry(
            at=e.occurred_at, agency_id=recipient_of(e), agency_name=agency.name if agency else "Unknown agency",
            user_id=e.actor_user_id, user_name=user.name if user else None,
            api_key_id=str(key.id) if key else None, api_key_name=key.name if key else None,
            channel=authority.get("channel"), sections=sections, authorities=auths,
            withheld_from_family=hidden and not for_family, event_id=e.id, fact=authority.get("fact"),
            details=list(authority.get("details") or []),
        ))
    decisions = disclosure_views(uow, [d for d in disclosures if not (for_family and d.withheld_from_family)])
    if for_family:
        for d in decisions:  # the family's view carries no staff-only reasons
            d.withheld_reason = None
    return AccessLog(family_id, for_family, entries, decisions)


def _same_view(entry: AccessEntry) -> tuple:
    return (entry.agency_id, entry.user_id, entry.api_key_id, entry.fact, tuple(entry.details),
            tuple(sorted(entry.sections)),
            tuple(sorted((a.kind, a.id) for a in entry.authorities)), entry.withheld_from_family)


def grouped(log: AccessLog) -> list[Group[AccessEntry]]:
    """The log's entries with repeated views folded: same recipient, sections and authorities on the same day in
    England is one group with a count (domain.access_groups), newest first."""
    return group(log.entries, at=lambda e: e.at, key=_same_view)
