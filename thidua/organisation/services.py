from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from thidua.awards.models import AwardRecord
from thidua.core import tallies
from thidua.core.audit import audit_record, with_history_user
from thidua.organisation.models import Household, Person, PersonCategory, PositionHistory, Unit


def _unit_path(unit: Unit) -> str:
    return f"{unit.parent.path if unit.parent else '/'}{unit.pk}/"


@transaction.atomic
def unit_create(
    *,
    actor: Any,
    code: str,
    name: str,
    kind: str,
    parent: Unit | None = None,
    is_border: bool = False,
    is_highland: bool = False,
    is_especially_difficult: bool = False,
    valid_from: dt.date | None = None,
    valid_to: dt.date | None = None,
    address: str = "",
) -> Unit:
    unit = Unit(
        code=code,
        name=name,
        kind=kind,
        parent=parent,
        is_border=is_border,
        is_highland=is_highland,
        is_especially_difficult=is_especially_difficult,
        valid_from=valid_from,
        valid_to=valid_to,
        address=address,
    )
    unit.refresh_derived()
    unit.full_clean(exclude=["path"])
    with_history_user(unit, actor)
    unit.save()
    unit.path = _unit_path(unit)
    unit.save(update_fields=["path"])
    audit_record(actor=actor, action="unit_create", target=unit, summary=name)
    return unit


@transaction.atomic
def person_create(
    *,
    actor: Any,
    family_name: str,
    middle_name: str = "",
    given_name: str,
    gender: str,
    unit: Unit,
    birth_date: dt.date | None = None,
    ethnicity: str = "Kinh",
    identity_number: str | None = None,
    position: str = "",
    category: str = PersonCategory.OTHER,
    start_date: dt.date | None = None,
) -> Person:
    """A person and their first position at `unit` since `start_date` ("từ ngày"; None: not known, so
    the position covers every earlier year of the member statistics)."""
    person = Person(
        family_name=family_name.strip(),
        middle_name=middle_name.strip(),
        given_name=given_name.strip(),
        gender=gender,
        unit=unit,
        birth_date=birth_date,
        ethnicity=ethnicity.strip() or "Kinh",
        identity_number=identity_number or None,
        position=position,
        category=category,
    )
    person.refresh_derived()
    person.full_clean()
    with_history_user(person, actor)
    person.save()
    _open_position(actor=actor, person=person, unit=unit, position=position, start_date=start_date)
    audit_record(actor=actor, action="person_create", target=person, summary=person.full_name)
    return person


def _save_position(*, actor: Any, row: PositionHistory) -> PositionHistory:
    row.full_clean()
    with_history_user(row, actor)
    row.save()
    return row


def _open_position(
    *, actor: Any, person: Person, unit: Unit, position: str, start_date: dt.date | None
) -> PositionHistory:
    row = PositionHistory(person=person, unit=unit, position=position, start_date=start_date)
    return _save_position(actor=actor, row=row)


def _checked_move(
    *,
    person: Person,
    positions: list[PositionHistory],
    unit: Unit,
    start_date: dt.date | None,
    position: str | None,
) -> tuple[dt.date, str]:
    today = timezone.localdate()
    start = start_date or today
    if start > today:
        raise ValidationError({"start_date": _("Ngày chuyển công tác không được ở tương lai.")})
    title = person.position if position is None else position.strip()
    if unit.pk == person.unit_id and title == person.position:
        raise ValidationError(
            {"unit": _("Cá nhân đang công tác tại đơn vị này với chức vụ này; không có gì thay đổi.")}
        )
    recorded = [d for p in positions for d in (p.start_date, p.end_date) if d is not None]
    if recorded and max(recorded) >= start:
        raise ValidationError(
            {
                "start_date": _(
                    "Quá trình công tác đã ghi đến ngày {date}; ngày chuyển công tác phải sau ngày đó."
                ).format(date=max(recorded).strftime("%d/%m/%Y"))
            }
        )
    return start, title


def person_move_check(
    *, person: Person, unit: Unit, start_date: dt.date | None = None, position: str | None = None
) -> None:
    """Raise the ValidationError `person_move` would raise, for a form to show before saving anything.
    The person is read again: a form has often already changed the instance it holds."""
    _checked_move(
        person=Person.objects.get(pk=person.pk),
        positions=list(PositionHistory.objects.filter(person=person)),
        unit=unit,
        start_date=start_date,
        position=position,
    )


@transaction.atomic
def person_move(
    *,
    actor: Any,
    person: Person,
    unit: Unit,
    start_date: dt.date | None = None,
    position: str | None = None,
) -> PositionHistory:
    """Move a person to `unit`, or to a new position in the same unit, from `start_date` (default today):
    the open position closes the day before, a new one opens, the person's unit and position follow, and
    their awards move in the dashboard's totals. Returns the new position.

    A person whose current position was never recorded (entered before the registry kept positions)
    first gets it recorded, closed the day before, so the years before the move keep counting them at
    the unit they left. The new position's `person` is the person as saved."""
    person = Person.objects.select_for_update().select_related("unit").get(pk=person.pk)
    positions = list(PositionHistory.objects.select_for_update().filter(person=person))
    start, title = _checked_move(
        person=person, positions=positions, unit=unit, start_date=start_date, position=position
    )
    end = start - dt.timedelta(days=1)
    open_rows = [p for p in positions if p.end_date is None]
    for row in open_rows:
        row.end_date = end
        _save_position(actor=actor, row=row)
    if not open_rows:
        ends = [p.end_date for p in positions if p.end_date is not None]
        _save_position(
            actor=actor,
            row=PositionHistory(
                person=person,
                unit=person.unit,
                position=person.position,
                start_date=max(ends) + dt.timedelta(days=1) if ends else None,
                end_date=end,
            ),
        )
    before = person.unit
    moved = unit.pk != before.pk
    records = AwardRecord.objects.filter(person=person)
    if moved:
        tallies.remove(records)
    person.unit = unit
    person.position = title
    with_history_user(person, actor)
    person.save(update_fields=["unit", "position"])
    if moved:
        tallies.add(records)
    opened = _open_position(actor=actor, person=person, unit=unit, position=title, start_date=start)
    audit_record(
        actor=actor,
        action="person_move",
        target=person,
        summary=f"{person.full_name}: {before.name} → {unit.name}",
        extra={
            "from_unit": before.pk,
            "to_unit": unit.pk,
            "start_date": start.isoformat(),
            "position": title,
        },
    )
    return opened


@transaction.atomic
def household_create(
    *, actor: Any, code: str, head_name: str, unit: Unit, village: str = "", ethnicity: str = ""
) -> Household:
    household = Household(code=code, head_name=head_name, unit=unit, village=village, ethnicity=ethnicity)
    household.refresh_derived()
    household.full_clean()
    with_history_user(household, actor)
    household.save()
    audit_record(actor=actor, action="household_create", target=household, summary=head_name)
    return household
