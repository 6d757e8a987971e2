"""Where the one assessment has got to: sections marked complete (or back to in progress) by the agency holding
the case, the agreement with the family (who in the family, on what day) and a manager's sign-off. Every change
is one transaction: the status, an append-only AssessmentStatusEvent (the chronology shows it) and its audit event,
written last. The rules (what is required, who may agree, what a later change undoes) are in
domain/assessment_status.py.

Locks: a section's head, then the assessment's row (save_section takes them in the same order), so a save, a
completion, an agreement and a sign-off of one family's assessment queue instead of racing.
"""
from __future__ import annotations

import datetime as dt
import uuid

from coordination.db import UnitOfWork
from coordination.domain.actors import Actor
from coordination.domain.assessment_status import (
    AssessmentState,
    SectionStatus,
    after_change,
    agreement_date_problem,
    assessment_state,
    is_required,
    may_agree_for_family,
    section_status,
)
from coordination.domain.calendar import england_date
from coordination.domain.identifiers import uuid_or_none
from coordination.domain.permissions import Action
from coordination.errors import Conflict, Invalid, NotFound
from coordination.models import Assessment, AssessmentSection, AssessmentStatusEvent
from coordination.repositories import assessment as repo
from coordination.services.families import family_for, person_view
from coordination.services.views import (
    AgreementView,
    AssessmentStatusView,
    AssessmentView,
    CaseAssessmentView,
    CaseSectionView,
    SectionView,
    SignOffView,
)

CHOOSE_WHO = "Choose who in the family agreed the assessment"


def case_section(view: SectionView, section: AssessmentSection) -> CaseSectionView:
    """`view` with the section's status, for the agency holding the case."""
    return CaseSectionView(**vars(view), status=section_status(section.version, section.completed_at is not None),
                           required=is_required(section.key), completed_at=section.completed_at,
                           completed_by=section.completed_by_id, confidential_to=section.confidential_to_person_id)


def _agreement(assessment: Assessment) -> AgreementView | None:
    if assessment.agreed_on is None:
        return None
    return AgreementView(agreed_on=assessment.agreed_on, agreed_by=assessment.agreed_by_person_id,
                         recorded_at=assessment.agreement_recorded_at, recorded_by=assessment.agreement_recorded_by_id)


def _sign_off(assessment: Assessment) -> SignOffView | None:
    if assessment.signed_off_at is None:
        return None
    return SignOffView(signed_off_at=assessment.signed_off_at, signed_off_by=assessment.signed_off_by_id,
                       changed_at=assessment.changed_since_sign_off_at)


def _state(assessment: Assessment, sections: list[CaseSectionView]) -> AssessmentState:
    return assessment_state({s.key: SectionStatus(s.status) for s in sections},
                            agreed=assessment.agreed_on is not None, signed_off=assessment.signed_off_at is not None,
                            changed_since_sign_off=assessment.changed_since_sign_off_at is not None)


def with_status(uow: UnitOfWork, view: AssessmentView) -> CaseAssessmentView:
    """The case holder's assessment `view` (already read and audited) with each section's status and the
    agreement and sign-off."""
    assessment = repo.get_assessment(uow.session, view.family_id)
    assert assessment is not None
    heads = {s.key: s for s, _d, _v in repo.list_sections(uow.session, assessment.id)}
    sections: list[SectionView] = [case_section(s, heads[s.key]) for s in view.sections]
    # The state is the whole assessment's, even when `view` holds only some sections (the family's copy).
    every = _status_view(uow, assessment).sections
    return CaseAssessmentView(family_id=view.family_id, status=view.status, sections=sections,
                              state=_state(assessment, every), agreement=_agreement(assessment),
                              sign_off=_sign_off(assessment))


def _status_view(uow: UnitOfWork, assessment: Assessment) -> AssessmentStatusView:
    sections = [
        CaseSectionView(key=s.key, title=d.title, hint=d.hint, sensitivity=d.sensitivity, content="", version=s.version,
                        updated_at=s.updated_at, updated_by=s.updated_by_id, updated_by_agency=s.updated_by_agency_id,
                        status=section_status(s.version, s.completed_at is not None), required=is_required(s.key),
                        completed_at=s.completed_at, completed_by=s.completed_by_id,
                        confidential_to=s.confidential_to_person_id)
        for s, d, _v in repo.list_sections(uow.session, assessment.id)
    ]
    return AssessmentStatusView(family_id=assessment.family_id, state=_state(assessment, sections), sections=sections,
                                agreement=_agreement(assessment), sign_off=_sign_off(assessment))


def _assessment(uow: UnitOfWork, family_id: uuid.UUID, *, for_update: bool = False) -> Assessment:
    assessment = repo.get_assessment(uow.session, family_id, for_update=for_update)
    if assessment is None:
        raise NotFound("Family not found")
    return assessment


def status_of(uow: UnitOfWork, actor: Actor, family_id: uuid.UUID) -> AssessmentStatusView:
    """Each section's status (no content), the agreement and the sign-off, for staff of the agency holding the case.

    :raise NotFound: the family does not exist or the actor may not know it exists.
    """
    family_for(uow, actor, family_id, Action.READ_CASE, "You cannot read this family's record")
    return _status_view(uow, _assessment(uow, family_id))


def _event(uow: UnitOfWork, actor: Actor, assessment: Assessment, kind: str, **fields) -> None:
    uow.session.add(AssessmentStatusEvent(assessment_id=assessment.id, family_id=assessment.family_id, kind=kind,
                                          at=uow.now(), by_id=actor.user_id, **fields))


def _audit(uow: UnitOfWork, actor: Actor, assessment: Assessment, change: str, key: str | None = None,
           **details) -> None:
    uow.audit(actor, "update", "assessment_status", assessment.id, family_id=assessment.family_id,
              sections=[key] if key else [], change=change, **details)


def _consequences(uow: UnitOfWork, actor: Actor, assessment: Assessment, key: str, *, reopen: AssessmentSection
                  | None) -> None:
    """What a change to section `key` undoes (domain.assessment_status.after_change): its completion (when
    `reopen` is the section), the agreement, and the sign-off's standing. Each with its event and audit."""
    rule = after_change(section_completed=reopen is not None and reopen.completed_at is not None,
                        agreed=assessment.agreed_on is not None, signed_off=assessment.signed_off_at is not None,
                        already_changed_since_sign_off=assessment.changed_since_sign_off_at is not None)
    if rule.reopen_section and reopen is not None:
        reopen.completed_at = reopen.completed_by_id = None
        _event(uow, actor, assessment, "section_reopened", section_key=key)
    if rule.set_aside_agreement:
        assessment.agreed_on = assessment.agreed_by_person_id = None
        assessment.agreement_recorded_at = assessment.agreement_recorded_by_id = None
        _event(uow, actor, assessment, "agreement_set_aside", section_key=key)
    if rule.changed_since_sign_off:
        assessment.changed_since_sign_off_at = uow.now()
        _event(uow, actor, assessment, "changed_since_sign_off", section_key=key)
    uow.session.flush()
    for change, happened in (("section_reopened", rule.reopen_section), ("agreement_set_aside",
                                                                         rule.set_aside_agreement),
                             ("changed_since_sign_off", rule.changed_since_sign_off)):
        if happened:
            _audit(uow, actor, assessment, change, key, because="section_changed")


def section_changed(uow: UnitOfWork, actor: Actor, family_id: uuid.UUID, section: AssessmentSection) -> None:
    """Called by save_section after a new version (the section head already locked): a completed section is
    in progress again; an agreement is set aside; a signed-off assessment is changed since sign-off."""
    assessment = _assessment(uow, family_id, for_update=True)
    _consequences(uow, actor, assessment, section.key, reopen=section)


def mark_section(uow: UnitOfWork, actor: Actor, family_id: uuid.UUID, key: str, status: str) -> AssessmentStatusView:
    """Mark a section `completed` or back to `in_progress`. Marking it as it already is changes nothing.

    :raise NotFound: the family or the section is not there for the actor.
    :raise NotPermitted: the actor's role may not write to a case.
    :raise Invalid: an unknown status, or completing a section nobody has written.
    """
    family_for(uow, actor, family_id, Action.WRITE_CASE, "You cannot change this family's record")
    if status not in (SectionStatus.COMPLETED, SectionStatus.IN_PROGRESS):
        raise Invalid("Choose a status", {"status": ["Select whether you have completed this section"]})
    head = _assessment(uow, family_id)
    section = repo.get_section(uow.session, head.id, key, for_update=True)
    if section is None:
        raise NotFound("No such section")
    assessment = _assessment(uow, family_id, for_update=True)
    if status == SectionStatus.COMPLETED:
        if section.version == 0:
            raise Invalid("Nothing written", {"status": ["Write something in this section before you mark it as "
                                                         "complete"]})
        if section.completed_at is None:
            section.completed_at, section.completed_by_id = uow.now(), actor.user_id
            _event(uow, actor, assessment, "section_completed", section_key=key)
            uow.session.flush()
            _audit(uow, actor, assessment, "section_completed", key)
    elif section.completed_at is not None:
        section.completed_at = section.completed_by_id = None
        _event(uow, actor, assessment, "section_reopened", section_key=key)
        uow.session.flush()
        _audit(uow, actor, assessment, "section_reopened", key)
        _consequences(uow, actor, assessment, key, reopen=None)
    return _status_view(uow, assessment)


def record_agreement(uow: UnitOfWork, actor: Actor, family_id: uuid.UUID, agreed_by: object,
                     agreed_on: dt.date | None) -> AssessmentStatusView:
    """Record that the family agreed the assessment: who (a parent or carer, or a young person aged 13 or over)
    and on what day (not in the future, not before the assessment began). Every required section must be complete.

    :raise Invalid: every problem at once (`agreed_by`, `agreed_on`, `assessment` for sections not complete).
    :raise Conflict: the assessment is already agreed, or signed off and unchanged since.
    """
    family = family_for(uow, actor, family_id, Action.WRITE_CASE, "You cannot change this family's record")
    assessment = _assessment(uow, family_id, for_update=True)
    view = _status_view(uow, assessment)
    if view.state in (AssessmentState.AGREED, AssessmentState.SIGNED_OFF) or view.agreement is not None:
        raise Conflict("The family's agreement is already recorded")
    errors: dict[str, list[str]] = {}
    person = next((p for p in family.people if p.id == uuid_or_none(agreed_by)), None) if agreed_by else None
    problem = agreement_date_problem(agreed_on, uow.today(), england_date(assessment.created_at))
    if person is None:
        errors["agreed_by"] = [CHOOSE_WHO]
    elif agreed_on is not None and not problem:
        p = person_view(uow.keys, person)
        if not may_agree_for_family(p.role, p.date_of_birth, agreed_on, p.in_household):
            errors["agreed_by"] = ["Choose a parent or carer, or a young person aged 13 or over, who lives with "
                                   "the family"]
    if problem:
        errors["agreed_on"] = [problem]
    if view.outstanding:
        titles = ", ".join(s.title for s in view.outstanding)
        errors["assessment"] = [f"Complete every required section before the family agrees the assessment. Not "
                                f"complete: {titles}"]
    if errors:
        raise Invalid("Check the agreement", errors)
    assert person is not None and agreed_on is not None
    assessment.agreed_on, assessment.agreed_by_person_id = agreed_on, person.id
    assessment.agreement_recorded_at, assessment.agreement_recorded_by_id = uow.now(), actor.user_id
    _event(uow, actor, assessment, "agreed", person_id=person.id, agreed_on=agreed_on)
    uow.session.flush()
    _audit(uow, actor, assessment, "agreed", agreed_by=str(person.id), agreed_on=agreed_on.isoformat())
    return _status_view(uow, assessment)


def sign_off(uow: UnitOfWork, actor: Actor, family_id: uuid.UUID) -> AssessmentStatusView:
    """A manager of the agency holding the case signs off the agreed assessment.

    :raise NotFound: not the agency holding the case (as for a family that does not exist).
    :raise NotPermitted: not a manager.
    :raise Invalid: the family has not agreed it (or a required section is not complete): `assessment`.
    :raise Conflict: already signed off, and not changed since.
    """
    family_for(uow, actor, family_id, Action.SIGN_OFF_ASSESSMENT,
               "Only a manager of the team holding the case can sign off the assessment")
    assessment = _assessment(uow, family_id, for_update=True)
    view = _status_view(uow, assessment)
    if view.state == AssessmentState.SIGNED_OFF:
        raise Conflict("The assessment is already signed off")
    if view.outstanding or view.agreement is None:
        raise Invalid("Not agreed", {"assessment": ["The family must agree the assessment before a manager signs "
                                                    "it off"]})
    assessment.signed_off_at, assessment.signed_off_by_id = uow.now(), actor.user_id
    assessment.changed_since_sign_off_at = None
    _event(uow, actor, assessment, "signed_off")
    uow.session.flush()
    _audit(uow, actor, assessment, "signed_off", agreed_on=assessment.agreed_on.isoformat()
           if assessment.agreed_on else None)
    return _status_view(uow, assessment)


def status_events(uow: UnitOfWork, actor: Actor, family_id: uuid.UUID) -> list[AssessmentStatusEvent]:
    """The family's status history, oldest first (for the chronology; the caller checked the family)."""
    family_for(uow, actor, family_id, Action.READ_CASE, "You cannot read this family's record")
    return repo.list_status_events(uow.session, family_id)
