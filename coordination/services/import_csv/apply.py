"""`apply()`: a checked plan written in the caller's transaction. Families for children not yet recorded (through
services.families, the one way a family is made), each referral with its history as the live service records it
(events at their real dates, pauses, exceptions, the clocks from the same recompute_clocks), an audit event per
referral and per family (ids and codes only, `source: import`) and one summary event. No outbox messages:
history notifies no one. When the nightly timeliness summary exists it is rebuilt in the same transaction."""
from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable

from coordination.db import UnitOfWork
from coordination.domain.actors import Actor
from coordination.domain.calendar import england_date
from coordination.domain.people import age_on
from coordination.domain.referrals import Event, is_re_referral
from coordination.errors import Invalid
from coordination.models import (
    Referral,
    ReferralEvent,
    ReferralException,
    ReferralPause,
)
from coordination.repositories import assessment as assessment_repo
from coordination.repositories import metrics as metrics_repo
from coordination.repositories import referral_import as repo
from coordination.services import ehc_details, families
from coordination.services.referrals import recompute_clocks
from coordination.services.reporting import metrics

from .match import Child
from .plan import ImportPlan, check, check_operator, scope_for
from .report import ImportReport
from .rows import ParsedRow

SOURCE = "import"


def apply(uow: UnitOfWork, actor: Actor, plan: ImportPlan, progress: Callable[[int], None] | None = None
          ) -> ImportReport:
    """Write a checked plan in the caller's transaction (the caller commits). Rows are written in the order
    they were received, so each re-referral flag sees the child's earlier closures."""
    report = plan.report
    if not report.ok or plan.agency_id is None:
        raise Invalid("The file has problems: nothing can be imported", {"file": report.lines()})
    check_operator(actor)
    session = uow.session
    agency_id = plan.agency_id
    scope = scope_for(agency_id)
    now = uow.now()
    definitions = [d.key for d in assessment_repo.list_definitions(session)]
    closures: dict[tuple[uuid.UUID, str], list[dt.date]] = {}
    for row, child in sorted(plan.rows, key=lambda planned: (planned[0].received_at, planned[0].line)):
        if child.person_id is None:
            _create_family(uow, actor, agency_id, child, definitions)
            report.families_created += 1
        assert child.person_id is not None and child.family_id is not None
        known = closures.get((child.person_id, row.pathway.key))
        if known is None:
            known = [england_date(at) for at in repo.closures(session, child.person_id, row.pathway.key) if at] \
                if child.existing else []
            closures[(child.person_id, row.pathway.key)] = known
        earlier = [day for day in known if day <= row.received_on]
        _write_referral(uow, actor, row, child, scope, now, re_referral=is_re_referral(
            row.received_on, max(earlier) if earlier else None))
        if row.closed_at is not None:
            known.append(england_date(row.closed_at))
        report.referrals_created += 1
        if progress is not None:
            progress(1)
    if report.referrals_created and metrics_repo.summary_state(session) is not None:
        metrics.refresh_summary(uow, actor)  # whole past months come from the summary: include the history now
    uow.audit(actor, "create", "referral_import", None, source=SOURCE, agency_id=str(agency_id),
              file_sha256=report.file_sha256, rows=report.rows, referrals_created=report.referrals_created,
              families_created=report.families_created, children_matched=report.children_matched,
              already_imported=len(report.already_imported))
    report.written = True
    return report


def _create_family(uow: UnitOfWork, actor: Actor, agency_id: uuid.UUID, child: Child,
                   definitions: list[str]) -> None:
    """A family held by the importing agency with the one child, made the one way families are made."""
    family, (person,) = families.add_family(
        uow, actor, [child.as_new_person()], owning_agency_id=agency_id, lead_practitioner_id=None,
        created_by_id=None, ward=child.ward, section_keys=definitions,
        audit_details={"source": SOURCE, "owning_agency_id": str(agency_id)})
    child.person_id, child.family_id, child.family_ward = person.id, family.id, family.ward
    child.owning_agency_id = agency_id


def _write_referral(uow: UnitOfWork, actor: Actor, row: ParsedRow, child: Child, scope: str, now: dt.datetime, *,
                    re_referral: bool) -> Referral:
    session = uow.session
    assert child.person_id is not None and child.family_id is not None
    stage = row.stages[-1][0] if row.stages else row.pathway.first_stage
    referral = Referral(
        family_id=child.family_id, child_id=child.person_id, pathway=row.pathway.key,
        from_agency_id=row.from_agency_id, to_agency_id=row.to_agency_id, owning_agency_id=child.owning_agency_id,
        referred_by_user_id=None,
        referred_by_key_id=None, urgency=row.urgency, status=row.status, stage=stage, received_on=row.received_on,
        received_at=row.received_at, decision=row.decision, decided_at=row.decided_at,
        referral_nfa=None if row.decision is None else row.decision == "decline",
        primary_need=row.primary_need, reason_for_closure=row.reason_for_closure,
        signposted_to=row.signposted_to, closed_at=row.closed_at, outcome=row.outcome, re_referral=re_referral,
        sections_shared=[], child_age_at_referral=age_on(child.date_of_birth, row.received_on),
        ward=row.ward or child.family_ward, idempotency_scope=scope, idempotency_key=row.record_id, created_at=now)
    referral.seal(uow.keys, "reason", "Imported from the previous case system")
    session.add(referral)
    for kind, at, details in row.events():
        by = row.from_agency_id if kind == Event.RECEIVED else row.to_agency_id  # the sender, then the receiver
        session.add(ReferralEvent(referral_id=referral.id, kind=kind, occurred_at=at, recorded_at=now,
                                  by_agency_id=by, details={"source": SOURCE, **details}))
    for reason, first, last in row.pauses:
        session.add(ReferralPause(referral_id=referral.id, reason=reason, from_on=first, to_on=last,
                                  recorded_by_id=None, created_at=now))
    for code in row.exceptions:
        session.add(ReferralException(referral_id=referral.id, code=code, from_on=None, to_on=None,
                                      recorded_by_id=None, created_at=now))
    session.flush()
    recompute_clocks(uow, referral)
    if row.ehc:  # checked with the same rules when the file was read
        ehc_details.record_ehc_details(uow, actor, referral.id, **row.ehc)
    uow.audit(actor, "create", "referral", referral.id, family_id=child.family_id, source=SOURCE,
              pathway=row.pathway.key, to_agency_id=str(row.to_agency_id),
              from_agency_id=str(row.from_agency_id) if row.from_agency_id else None, urgency=row.urgency,
              received_on=row.received_on.isoformat(), status=row.status, re_referral=re_referral,
              matched_existing_child=child.existing)
    return referral


def import_referrals(uow: UnitOfWork, actor: Actor, agency: str, data: bytes, *, dry_run: bool = False,
                     progress: Callable[[int], None] | None = None) -> ImportReport:
    """check() then, when the file has no problems and this is not a dry run, apply(). The caller commits."""
    plan = check(uow, actor, agency, data)
    plan.report.dry_run = dry_run
    if plan.report.ok and not dry_run:
        apply(uow, actor, plan, progress)
    return plan.report
