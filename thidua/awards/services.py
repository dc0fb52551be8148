from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from thidua.awards.models import (
    AwardRecord,
    AwardType,
    CommendationKind,
    Decision,
    Discipline,
    Initiative,
    Investigation,
    RecordSource,
    YearlyRating,
)
from thidua.core import tallies
from thidua.core.audit import audit_record, with_history_user
from thidua.organisation.models import Household, Person, Unit, recipient_kind

Recipient = Person | Unit | Household


def _recipient_fields(recipient: Recipient) -> dict[str, Any]:
    if isinstance(recipient, Person):
        return {"person": recipient, "unit": None, "household": None}
    if isinstance(recipient, Household):
        return {"person": None, "unit": None, "household": recipient}
    return {"person": None, "unit": recipient, "household": None}


@transaction.atomic
def decision_get_or_create(
    *,
    actor: Any,
    number: str,
    date: dt.date,
    issuing_authority: str,
    issuer_unit: Unit | None = None,
    signer_name: str = "",
    signer_title: str = "",
    summary: str = "",
    source: str = RecordSource.MANUAL,
) -> tuple[Decision, bool]:
    """A decision is identified by its number, date and issuer; a second call returns the same row."""
    existing = Decision.objects.filter(
        number=number.strip(), date=date, issuing_authority=issuing_authority.strip()
    ).first()
    if existing:
        return existing, False
    decision = Decision(
        number=number.strip(),
        date=date,
        issuing_authority=issuing_authority.strip(),
        issuer_unit=issuer_unit,
        signer_name=signer_name.strip(),
        signer_title=signer_title.strip(),
        summary=summary,
        source=source,
    )
    decision.refresh_derived()
    decision.full_clean()
    with_history_user(decision, actor)
    decision.save()
    audit_record(actor=actor, action="decision_create", target=decision, summary=number)
    return decision, True


@transaction.atomic
def award_record_create(
    *,
    actor: Any,
    award_type: AwardType,
    recipient: Recipient,
    year: int,
    decision: Decision,
    kind: str = CommendationKind.MERIT,
    reason: str = "",
    bonus_amount: int | None = None,
    initiatives: Iterable[Initiative] = (),
    source: str = RecordSource.MANUAL,
    import_batch: Any = None,
) -> AwardRecord:
    who = recipient_kind(recipient)
    if who not in award_type.recipients:
        raise ValidationError(
            _("{award} không dành cho {kind}.").format(
                award=award_type.name,
                kind={"individual": _("cá nhân"), "collective": _("tập thể"), "household": _("hộ gia đình")}[
                    who
                ],
            )
        )
    record = AwardRecord(
        award_type=award_type,
        year=year,
        decision=decision,
        kind=kind,
        reason=reason,
        bonus_amount=bonus_amount,
        source=source,
        import_batch=import_batch,
        **_recipient_fields(recipient),
    )
    record.full_clean()
    with_history_user(record, actor)
    record.save()
    tallies.add_one(
        unit_id=recipient.pk if isinstance(recipient, Unit) else recipient.unit_id,
        decision_id=decision.pk,
        award_type_id=award_type.pk,
        year=year,
    )
    initiative_list = list(initiatives)
    if initiative_list:
        record.initiatives.set(initiative_list)
    audit_record(
        actor=actor,
        action="award_record_create",
        target=record,
        summary=f"{award_type.code} {year} {recipient}",
    )
    return record


@transaction.atomic
def rating_set(
    *, actor: Any, subject: Person | Unit, year: int, rating: str, source: str = RecordSource.MANUAL
) -> tuple[YearlyRating, bool]:
    """Record the yearly rating; an existing rating for that year is changed, with history kept."""
    lookup: dict[str, Person | Unit] = (
        {"person": subject} if isinstance(subject, Person) else {"unit": subject}
    )
    existing = YearlyRating.objects.filter(year=year, **lookup).first()
    if existing:
        if existing.rating == rating:
            return existing, False
        old = existing.rating
        existing.rating = rating
        with_history_user(existing, actor)
        existing.full_clean()
        existing.save(update_fields=["rating"])
        audit_record(
            actor=actor,
            action="rating_update",
            target=existing,
            summary=f"{year}: {old} → {rating}",
            changes={"rating": [old, rating]},
        )
        return existing, True
    created = YearlyRating(year=year, rating=rating, source=source, **lookup)
    created.full_clean()
    with_history_user(created, actor)
    created.save()
    audit_record(actor=actor, action="rating_create", target=created, summary=f"{year}: {rating}")
    return created, True


@transaction.atomic
def initiative_create(
    *,
    actor: Any,
    title: str,
    year: int,
    scope: str,
    person: Person | None = None,
    unit: Unit | None = None,
    type: str = "sang_kien",
    recognised_by: str = "",
    recognition_number: str = "",
) -> Initiative:
    initiative = Initiative(
        title=title,
        year=year,
        scope=scope,
        person=person,
        unit=unit,
        type=type,
        recognised_by=recognised_by,
        recognition_number=recognition_number,
    )
    initiative.full_clean()
    with_history_user(initiative, actor)
    initiative.save()
    audit_record(actor=actor, action="initiative_create", target=initiative, summary=title)
    return initiative


@transaction.atomic
def discipline_create(
    *,
    actor: Any,
    person: Person,
    level: str,
    start_date: dt.date,
    end_date: dt.date | None = None,
    decision_number: str = "",
    reason: str = "",
) -> Discipline:
    if end_date and end_date < start_date:
        raise ValidationError({"end_date": _("Ngày kết thúc không được trước ngày bắt đầu.")})
    discipline = Discipline(
        person=person,
        level=level,
        start_date=start_date,
        end_date=end_date,
        decision_number=decision_number,
        reason=reason,
    )
    discipline.full_clean()
    with_history_user(discipline, actor)
    discipline.save()
    audit_record(actor=actor, action="discipline_create", target=discipline, summary=str(discipline))
    return discipline


@transaction.atomic
def investigation_open(*, actor: Any, person: Person, reason: str, since: dt.date) -> Investigation:
    investigation = Investigation(person=person, reason=reason, since=since)
    investigation.full_clean()
    with_history_user(investigation, actor)
    investigation.save()
    audit_record(actor=actor, action="investigation_open", target=investigation, summary=reason)
    return investigation
