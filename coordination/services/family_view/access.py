"""Who in a family may use the family's own view: a practitioner invites a parent or carer with parental
responsibility or a young person (domain.family_access), a manager excludes a person with a reason, and a
practitioner releases the `safety` section to the family. Each is audited; emails carry no case content.
"""
from __future__ import annotations

import datetime as dt
import secrets
import uuid
from dataclasses import dataclass

from coordination.db import UnitOfWork
from coordination.domain.actors import Actor, ActorKind
from coordination.domain.family_access import (
    CAPACITY_LABELS,
    HIDDEN_UNLESS_RELEASED,
    capacity_for,
    email_problem,
    invitation_expires,
    normalise_email,
)
from coordination.domain.permissions import Action, may
from coordination.errors import Conflict, Invalid, NotFound, NotPermitted, required_text
from coordination.models import FamilyAccess, FamilySectionRelease
from coordination.repositories import family_access as repo
from coordination.repositories import people as people_repo
from coordination.repositories import users as users_repo
from coordination.services.families import family_for, person_view
from coordination.services.mail import Email

MAX_REASON = 2000
INVITATION_PATH = "/my-family/invitation/"


@dataclass
class Invitation:
    access_id: uuid.UUID
    person_id: uuid.UUID
    link: str
    email: Email


@dataclass
class AccessView:
    id: uuid.UUID
    person_id: uuid.UUID
    name: str
    capacity: str
    capacity_label: str
    email: str
    invited_at: dt.datetime
    invitation_expires_at: dt.datetime | None
    signed_up: bool
    last_sign_in_at: dt.datetime | None
    excluded_at: dt.datetime | None
    excluded_reason: str | None

    @property
    def state(self) -> str:
        if self.excluded_at is not None:
            return "excluded"
        return "signed_up" if self.signed_up else "invited"


def invitation_digest(uow: UnitOfWork, token: str) -> str:
    return uow.blind("family_invitation", token)


def email_index(uow: UnitOfWork, email: str) -> str:
    return uow.blind("family_email", normalise_email(email))


def family_actor(row: FamilyAccess) -> Actor:
    return Actor(kind=ActorKind.FAMILY, agency_id=None, agency_type=None, person_id=row.person_id,
                 family_id=row.family_id, family_capacity=row.capacity, display="family member")


@dataclass
class Competence:
    """Who assessed a child under 13 as competent, and when: the web form records the inviting practitioner today;
    the command line names them (a staff user's email) and the date."""
    by_email: str
    on: dt.date


def invite(uow: UnitOfWork, actor: Actor, person_id: uuid.UUID, email: str, *, base_url: str,
           has_parental_responsibility: bool = True, competence_assessed: bool = False,
           young_person: bool = False, competence: Competence | None = None) -> Invitation:
    """Invite a person to their family's own view: a single-use link (7 days), sent to `email` with no case content.

    `young_person` says the invitation is meant for a young person (refused for anyone but a child);
    `competence` records who assessed a child under 13 as competent and when (else the actor, today).
    Inviting someone already invited gives them a new link (the old one stops working) and the new address; if they
    had signed up, their sessions end and they start again with the new link.
    :raise NotFound: no such person in a family the actor may see.
    :raise NotPermitted: the actor may not change the family's record.
    :raise Invalid: the address, who assessed competence, or who may be invited (domain.family_access.capacity_for).
    :raise Conflict: a manager excluded this person.
    """
    person, family = _person(uow, actor, person_id)
    errors: dict[str, list[str]] = {}
    if problem := email_problem(email or ""):
        errors["email"] = [problem]
    view = person_view(uow.keys, person)
    assessed = _assessed(uow, actor, competence, view.date_of_birth, errors)
    capacity, why_not = capacity_for(person.role, view.date_of_birth, uow.today(),
                                     has_parental_responsibility=has_parental_responsibility,
                                     competence_assessed=competence_assessed or competence is not None,
                                     as_young_person=young_person)
    if capacity is None:
        errors["person_id"] = [why_not or "This person cannot be invited"]
    if errors:
        raise Invalid("Check the invitation", errors)
    assert capacity is not None
    row = repo.get_by_person(uow.session, person.id, for_update=True)
    if row is not None and row.excluded_at is not None:
        raise Conflict("A manager has excluded this person from the family's own view")
    token = secrets.token_urlsafe(32)
    now = uow.now()
    if row is None:
        row = FamilyAccess(family_id=family.id, person_id=person.id, capacity=capacity.value, email_ct="",
                           email_bidx="", invited_at=now)
    row.capacity = capacity.value
    row.seal(uow.keys, "email", email.strip())
    row.email_bidx = email_index(uow, email)
    row.invited_by_id = actor.user_id
    row.invited_at = now
    row.invitation_digest = invitation_digest(uow, token)
    row.invitation_expires_at = invitation_expires(now)
    if row.invitation_used_at is not None:  # invited again (a new address, say): the new link starts afresh
        row.invitation_used_at = None
        row.session_epoch = (row.session_epoch or 0) + 1
    if capacity.value == "competent_child":
        row.competence_assessed_by_id, row.competence_assessed_on = assessed
    repo.add(uow.session, row)
    uow.audit(actor, "family_invite", "family_access", row.id, family_id=family.id, person_id=str(person.id),
              capacity=capacity.value, competence_assessed=capacity.value == "competent_child")
    link = f"{base_url.rstrip('/')}{INVITATION_PATH}{token}"
    message = Email(to=(email.strip(),), subject="You are invited to see your family's early help record",
                    body=("Hello,\n\nYour early help practitioner has invited you to see your family's record.\n\n"
                          f"Open this link to start (it works once, for 7 days):\n{link}\n\n"
                          "We will then send you a code to sign in. If you were not expecting this, ignore it.\n"))
    return Invitation(row.id, person.id, link, message)


def _assessed(uow: UnitOfWork, actor: Actor, competence: Competence | None, born: dt.date | None,
              errors: dict[str, list[str]]) -> tuple[uuid.UUID | None, dt.date]:
    """Who assessed competence and when: the named staff user on the given date, or the actor today."""
    if competence is None:
        return actor.user_id, uow.today()
    user = users_repo.get_user_by_email(uow.session, competence.by_email.strip())
    if user is None or not user.active:
        errors["competence_assessed_by"] = ["Name who assessed them by their staff email address"]
    if competence.on > uow.today():
        errors["competence_assessed_on"] = ["The date they were assessed must be today or in the past"]
    elif born is not None and competence.on < born:
        errors["competence_assessed_on"] = ["The date they were assessed must be after their date of birth"]
    return (user.id if user else None), competence.on


def _person(uow: UnitOfWork, actor: Actor, person_id: uuid.UUID):
    person = people_repo.get_person(uow.session, actor, person_id)
    if person is None or actor.is_family:
        raise NotFound("Person not found")
    family = family_for(uow, actor, person.family_id, Action.WRITE_CASE, "You cannot change this family's record")
    return person, family


def exclude(uow: UnitOfWork, actor: Actor, person_id: uuid.UUID, reason: str) -> AccessView:
    """A manager excludes a person (restricted parental responsibility, or subject of a safeguarding concern):
    their invitation and every session end at once. Audited with the reason.

    :raise NotFound: no such person in a family the actor may see. :raise NotPermitted: not a manager.
    :raise Invalid: no reason. :raise Conflict: already excluded.
    """
    person, family = _person(uow, actor, person_id)
    if not may(actor, Action.EXCLUDE_FROM_FAMILY_VIEW):
        raise NotPermitted("Only a manager can exclude someone from the family's own view")
    reason = required_text(reason, "reason", MAX_REASON, ("Enter a reason", "Enter why this person is excluded"))
    row = repo.get_by_person(uow.session, person.id, for_update=True)
    if row is None:  # excluded before ever being invited: the row records it, so no invitation can be made
        capacity = "young_person" if person.role == "child" else "parent_with_pr"
        row = FamilyAccess(family_id=family.id, person_id=person.id, capacity=capacity, email_ct="",
                           email_bidx="", invited_at=uow.now())
        row.seal(uow.keys, "email", "")
    if row.excluded_at is not None:
        raise Conflict("This person is already excluded")
    row.excluded_at = uow.now()
    row.excluded_by_id = actor.user_id
    row.seal(uow.keys, "excluded_reason", reason)
    row.invitation_digest = None
    row.invitation_expires_at = None
    row.session_epoch = (row.session_epoch or 0) + 1
    for code in repo.unused_codes(uow.session, row.id) if row.id else []:
        code.used_at = uow.now()
    repo.add(uow.session, row)
    uow.audit(actor, "family_exclude", "family_access", row.id, family_id=family.id, person_id=str(person.id),
              reason=reason)
    return _view(uow, row, person)


def _view(uow: UnitOfWork, row: FamilyAccess, person) -> AccessView:
    return AccessView(
        id=row.id, person_id=row.person_id, name=person_view(uow.keys, person).full_name, capacity=row.capacity,
        capacity_label=CAPACITY_LABELS.get(row.capacity, row.capacity),  # type: ignore[call-overload]
        email=row.unseal(uow.keys, "email") or "", invited_at=row.invited_at,
        invitation_expires_at=row.invitation_expires_at, signed_up=row.invitation_used_at is not None,
        last_sign_in_at=row.last_sign_in_at, excluded_at=row.excluded_at,
        excluded_reason=row.unseal(uow.keys, "excluded_reason"))


def list_access(uow: UnitOfWork, actor: Actor, family_id: uuid.UUID) -> tuple[list[AccessView], set[str]]:
    """For the staff page: who in the family is invited, signed up or excluded, and which hidden sections are
    released to the family.

    :raise NotFound: a family the actor may not see. :raise NotPermitted: the actor may not read the case.
    """
    family = family_for(uow, actor, family_id, Action.READ_CASE, "You cannot see this family's record")
    people = {p.id: p for p in family.people}
    views = [_view(uow, r, people[r.person_id]) for r in repo.list_for_family(uow.session, family.id)
             if r.person_id in people]
    uow.audit(actor, "read", "family_access", None, family_id=family.id, authority={"kind": "case_holder"},
              entries=len(views))
    return views, repo.released_sections(uow.session, family.id)


def release_section(uow: UnitOfWork, actor: Actor, family_id: uuid.UUID, key: str, *, released: bool) -> None:
    """Release (or take back) a section the family does not see by default (`safety`). Audited.

    :raise NotFound: a family the actor may not see. :raise NotPermitted: the actor may not change the record.
    :raise Invalid: not a section hidden by default.
    """
    family = family_for(uow, actor, family_id, Action.WRITE_CASE, "You cannot change this family's record")
    if key not in HIDDEN_UNLESS_RELEASED:
        raise Invalid("Not a hidden section", {"key": ["The family already sees this section"]})
    row = repo.get_release(uow.session, family.id, key)
    if released and row is None:
        repo.add(uow.session, FamilySectionRelease(id=uuid.uuid4(), family_id=family.id, section_key=key,
                                                   released_by_id=actor.user_id, released_at=uow.now()))
    elif not released and row is not None:
        repo.delete(uow.session, row)
    uow.audit(actor, "release_to_family" if released else "withhold_from_family", "assessment_section", None,
              family_id=family.id, sections=[key])


def load_session(uow: UnitOfWork, person_id: str, epoch: str) -> Actor | None:
    """The family member a session names, while they are not excluded and the session's epoch is current."""
    try:
        row = repo.get_by_person(uow.session, uuid.UUID(person_id))
    except ValueError:
        return None
    if row is None or row.excluded_at is not None or row.invitation_used_at is None:
        return None
    if epoch != str(row.session_epoch or 0):
        return None
    return family_actor(row)


def sign_out(uow: UnitOfWork, actor: Actor) -> None:
    """Ends every session of this family member (copies of the cookie included)."""
    if actor.person_id is None:
        return
    row = repo.get_by_person(uow.session, actor.person_id, for_update=True)
    if row is not None:
        row.session_epoch = (row.session_epoch or 0) + 1
    uow.audit(actor, "family_sign_out", "family_access", row.id if row else None, family_id=actor.family_id)


def staff_names(uow: UnitOfWork, ids) -> dict[uuid.UUID, str]:
    return {i: u.name for i, u in users_repo.users_by_id(uow.session, ids).items()}
