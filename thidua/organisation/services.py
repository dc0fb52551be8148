from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from thidua.core.audit import audit_record, with_history_user
from thidua.organisation.models import Household, Person, PersonCategory, Unit


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
) -> Person:
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
    audit_record(actor=actor, action="person_create", target=person, summary=person.full_name)
    return person


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
