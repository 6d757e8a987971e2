"""The one family-led assessment: read it, save a section (optimistic concurrency), see its history,
and record each child's voice. Every read of the content is audited, with the sections read."""
from __future__ import annotations

import datetime as dt
import uuid

from coordination.db import UnitOfWork
from coordination.domain.actors import Actor
from coordination.domain.family_access import is_young_person
from coordination.domain.permissions import Action
from coordination.domain.sections import PersonRole, VoiceMethod
from coordination.errors import Conflict, Invalid, NotFound, NotPermitted
from coordination.models import Family, Person, SectionVersion, VoiceEntry
from coordination.repositories import assessment as repo
from coordination.repositories import families as families_repo
from coordination.services import assessment_status
from coordination.services.families import family_for, require_family
from coordination.services.views import (
    AssessmentView,
    CaseAssessmentView,
    CaseSectionView,
    SectionView,
    VersionView,
    VoiceView,
)

MAX_SECTION_CHARS = 50_000
MAX_VOICE_CHARS = 10_000


REFUSAL = "You cannot change this family's record"


def _family(uow: UnitOfWork, actor: Actor, family_id: uuid.UUID, action: Action) -> Family:
    return family_for(uow, actor, family_id, action, REFUSAL)


def _check(uow: UnitOfWork, actor: Actor, family_id: uuid.UUID, action: Action) -> None:
    require_family(uow, actor, family_id, action, REFUSAL)


def _section_view(uow: UnitOfWork, section, definition, version: SectionVersion | None) -> SectionView:
    return SectionView(
        key=section.key, title=definition.title, hint=definition.hint, sensitivity=definition.sensitivity,
        content=version.unseal(uow.keys, "content") or "" if version else "",
        version=section.version, updated_at=section.updated_at, updated_by=section.updated_by_id,
        updated_by_agency=section.updated_by_agency_id, source=version.source if version else None,
    )


def section_view_of(uow: UnitOfWork, row) -> SectionView:
    """`_section_view` for a section read as columns (repositories.consent.SECTION_COLUMNS)."""
    content = SectionVersion.unseal_value(uow.keys, "content", row.version_id, row.content_ct) \
        if row.version_id is not None else None
    return SectionView(
        key=row.key, title=row.title, hint=row.hint, sensitivity=row.sensitivity, content=content or "",
        version=row.version, updated_at=row.updated_at, updated_by=row.updated_by_id,
        updated_by_agency=row.updated_by_agency_id, source=row.source,
    )


def read_sections(uow: UnitOfWork, actor: Actor, family_id: uuid.UUID, keys: list[str] | None = None,
                  *, audit_action: str = "read", authority: dict | None = None) -> AssessmentView:
    """Sections of the family's assessment, narrowed to `keys` in the query. Audited as one read."""
    assessment = repo.get_assessment(uow.session, family_id)
    if assessment is None:
        raise NotFound("Family not found")
    rows = repo.list_sections(uow.session, assessment.id, keys)
    return show_sections(uow, actor, family_id, assessment.id, assessment.status, rows,
                         audit_action=audit_action, authority=authority)


def show_sections(uow: UnitOfWork, actor: Actor, family_id: uuid.UUID, assessment_id: uuid.UUID, status: str,
                  rows, *, audit_action: str = "read", authority: dict | None = None) -> AssessmentView:
    """The view of sections already read as (section, definition, newest version or None) in template
    order, decrypted, and the one audit event for the read."""
    return show_section_views(uow, actor, family_id, assessment_id, status, [_section_view(uow, s, d, v)
                                                                              for s, d, v in rows],
                              audit_action=audit_action, authority=authority)


def show_section_views(uow: UnitOfWork, actor: Actor, family_id: uuid.UUID, assessment_id: uuid.UUID, status: str,
                       sections: list[SectionView], *, audit_action: str = "read",
                       authority: dict | None = None) -> AssessmentView:
    """The view of sections already decrypted, in template order, and the one audit event for the read."""
    uow.audit(actor, audit_action, "assessment", assessment_id, family_id=family_id,
              sections=[s.key for s in sections if s.started], authority=authority)
    return AssessmentView(family_id=family_id, status=status, sections=sections)


def get_assessment(uow: UnitOfWork, actor: Actor, family_id: uuid.UUID) -> CaseAssessmentView:
    """The whole assessment for staff of the agency holding the case, with each section's status, the agreement
    with the family and the sign-off.

    :raise NotFound: the family does not exist or the actor may not know it exists.
    """
    _check(uow, actor, family_id, Action.READ_CASE)
    return assessment_status.with_status(uow, read_sections(uow, actor, family_id, authority={"kind": "case_holder"}))


def get_section(uow: UnitOfWork, actor: Actor, family_id: uuid.UUID, key: str) -> CaseSectionView:
    _check(uow, actor, family_id, Action.READ_CASE)
    view = read_sections(uow, actor, family_id, [key], authority={"kind": "case_holder"})
    if not view.sections:
        raise NotFound("No such section")
    return assessment_status.with_status(uow, view).sections[0]  # type: ignore[return-value]


def section_history(uow: UnitOfWork, actor: Actor, family_id: uuid.UUID, key: str) -> tuple[SectionView,
                                                                                          list[VersionView]]:
    _check(uow, actor, family_id, Action.READ_CASE)
    assessment = repo.get_assessment(uow.session, family_id)
    assert assessment is not None
    rows = repo.list_sections(uow.session, assessment.id, [key])
    if not rows:
        raise NotFound("No such section")
    section, definition, newest = rows[0]
    versions = [
        VersionView(version=v.version, content=v.unseal(uow.keys, "content") or "", created_at=v.created_at,
                    created_by=v.created_by_id, created_by_agency=v.created_by_agency_id, source=v.source)
        for v in repo.list_versions(uow.session, section.id)
    ]
    uow.audit(actor, "read", "section_history", section.id, family_id=family_id, sections=[key],
              authority={"kind": "case_holder"}, versions=len(versions))
    return _section_view(uow, section, definition, newest), versions


def save_section(uow: UnitOfWork, actor: Actor, family_id: uuid.UUID, key: str, content: str,
                 expected_version: int, *, source: str = "staff") -> CaseSectionView:
    """Append a new version of a section, if `expected_version` is still the newest. A section marked complete
    is in progress again, an agreement with the family is set aside and a signed-off assessment is changed since
    sign-off (services.assessment_status.section_changed).

    :raise NotFound: the actor cannot see the family.
    :raise NotPermitted: the actor's role may not write to a case.
    :raise Conflict: someone saved a newer version first (`details["current"]` holds it).
    :raise Invalid: content empty or too long.
    """
    _check(uow, actor, family_id, Action.WRITE_CASE)
    if not content.strip():
        raise Invalid("Enter some text", {"content": ["Enter some text for this section"]})
    if len(content) > MAX_SECTION_CHARS:
        raise Invalid("Too long", {"content": [f"Section text must be {MAX_SECTION_CHARS:,} characters or fewer"]})
    assessment = repo.get_assessment(uow.session, family_id)
    if assessment is None:
        raise NotFound("Family not found")
    # Lock the section head: concurrent savers queue here and the second sees a newer version.
    section = repo.get_section(uow.session, assessment.id, key, for_update=True)
    if section is None:
        raise NotFound("No such section")
    if section.version != expected_version:
        rows = repo.list_sections(uow.session, assessment.id, [key])
        current = assessment_status.case_section(_section_view(uow, *rows[0]), rows[0][0])
        raise Conflict(f"This section was changed (now version {section.version}) since you opened it",
                       current=current)
    version = SectionVersion(section_id=section.id, version=section.version + 1, created_by_id=actor.user_id,
                             created_by_agency_id=actor.agency_id, source=source, created_at=uow.now())
    version.seal(uow.keys, "content", content)
    uow.session.add(version)
    section.version = version.version
    section.updated_at = version.created_at
    section.updated_by_id = actor.user_id
    section.updated_by_agency_id = actor.agency_id
    uow.session.flush()
    assessment_status.section_changed(uow, actor, family_id, section)
    uow.audit(actor, "update", "assessment_section", section.id, family_id=family_id, sections=[key],
              version=version.version, source=source)
    # The answer from what was just written (the section head, its definition, the new version): no re-read.
    return assessment_status.case_section(_section_view(uow, section, section.definition, version), section)


def voice_view(uow: UnitOfWork, entry: VoiceEntry) -> VoiceView:
    return VoiceView(id=entry.id, child_id=entry.child_id, words=entry.unseal(uow.keys, "words") or "",
                     method=entry.method, recorded_on=entry.recorded_on, recorded_by=entry.recorded_by_id,
                     section_key=entry.section_key, corrects_id=entry.corrects_id, created_at=entry.created_at,
                     confidential=bool(entry.confidential), by_person=entry.recorded_by_person_id)


def _born_on(uow: UnitOfWork, person: Person) -> dt.date | None:
    text = person.unseal(uow.keys, "date_of_birth")
    return dt.date.fromisoformat(text) if text else None


def record_voice(uow: UnitOfWork, actor: Actor, family_id: uuid.UUID, child_id: uuid.UUID, words: str,
                 method: str, recorded_on: dt.date, *, section_key: str | None = None,
                 corrects_id: uuid.UUID | None = None, confidential: bool = False) -> VoiceView:
    """Record a child's voice, verbatim. A correction is a new entry that refers to the old one.

    A young person signed in to the family's own view records their own words here too (method `own_words`,
    about themself, attributed to them); `confidential` keeps an entry from their parents' view.
    :raise Invalid: unknown child, method, section or a future date (field map in `errors`).
    :raise NotPermitted: a family member who is not a young person, or writing about someone else.
    """
    if actor.is_family:
        family = _own_family_for_own_words(uow, actor, family_id, child_id, method)
    else:
        family = _family(uow, actor, family_id, Action.WRITE_CASE)
    errors: dict[str, list[str]] = {}
    children = {p.id: p for p in family.people if p.role == PersonRole.CHILD}
    if child_id not in children:
        errors["child_id"] = ["Choose a child in this family"]
    if not (words or "").strip():
        errors["words"] = ["Enter what the child said, drew or showed"]
    elif len(words) > MAX_VOICE_CHARS:
        errors["words"] = [f"Enter {MAX_VOICE_CHARS:,} characters or fewer"]
    if method not in {m.value for m in VoiceMethod}:
        errors["method"] = ["Choose how the child's voice was captured"]
    if recorded_on is None:
        errors["recorded_on"] = ["Enter the date it was recorded"]
    elif recorded_on > uow.today():
        errors["recorded_on"] = ["The date it was recorded must be today or in the past"]
    elif child_id in children and (born := _born_on(uow, children[child_id])) and recorded_on < born:
        errors["recorded_on"] = ["The date it was recorded must be on or after the child's date of birth"]
    if section_key and section_key not in {d.key for d in repo.list_definitions(uow.session)}:
        errors["section_key"] = ["Choose a section of the assessment"]
    corrected = next((e for e in repo.list_voice(uow.session, family_id) if e.id == corrects_id), None) \
        if corrects_id else None
    if corrects_id and corrected is None:
        errors["corrects_id"] = ["The entry being corrected is not in this family's record"]
    confidential = confidential or bool(corrected and corrected.confidential)  # a correction stays as private
    if errors:
        raise Invalid("Check the child's voice entry", errors)
    entry = VoiceEntry(family_id=family_id, child_id=child_id, method=method, recorded_on=recorded_on,
                       recorded_by_id=actor.user_id, section_key=section_key or None, corrects_id=corrects_id,
                       created_at=uow.now(), confidential=confidential,
                       recorded_by_person_id=actor.person_id if actor.is_family else None)
    entry.seal(uow.keys, "words", words)
    uow.session.add(entry)
    uow.session.flush()
    uow.audit(actor, "create", "voice_entry", entry.id, family_id=family_id, sections=["child_voice"],
              child_id=str(child_id), method=method, corrects=str(corrects_id) if corrects_id else None,
              authority={"kind": "family", "channel": "family"} if actor.is_family else None,
              confidential=confidential)
    return voice_view(uow, entry)


def _own_family_for_own_words(uow: UnitOfWork, actor: Actor, family_id: uuid.UUID, child_id: uuid.UUID,
                              method: str) -> Family:
    """A young person's own family, when they add their own words about themself."""
    family = families_repo.get_for(uow.session, actor, family_id)
    if family is None:
        raise NotFound("Family not found")
    if not is_young_person(actor.family_capacity or "") or child_id != actor.person_id \
            or method != VoiceMethod.OWN_WORDS:
        raise NotPermitted("Only a young person adds their own words, about themself")
    return family


def list_voice(uow: UnitOfWork, actor: Actor, family_id: uuid.UUID) -> list[VoiceView]:
    """Every voice entry, newest first; each corrected entry says which entry corrects it."""
    _check(uow, actor, family_id, Action.READ_CASE)
    entries = [voice_view(uow, e) for e in repo.list_voice(uow.session, family_id)]
    corrected_by = {e.corrects_id: e.id for e in entries if e.corrects_id}
    for e in entries:
        e.corrected_by_id = corrected_by.get(e.id)
    uow.audit(actor, "read", "voice_entry", None, family_id=family_id, sections=["child_voice"],
              authority={"kind": "case_holder"}, entries=len(entries))
    return entries
