"""An independent count of the awards a report stands for: every record read one by one in Python, its
recipient's unit found by hand, each dimension worked out from the objects (the ethnic minority through
the fold of Person.is_ethnic_minority), never through the reports' own query expressions."""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Iterable
from typing import Any

from thidua.accounts.models import User
from thidua.awards.models import AwardRecord
from thidua.organisation.models import PersonCategory, Unit


def recipient_unit(record: AwardRecord) -> Unit:
    if record.person is not None:
        return record.person.unit
    if record.unit is not None:
        return record.unit
    assert record.household is not None
    return record.household.unit


def in_area(unit: Unit | None) -> bool:
    """Marked border or highland, itself or any unit above it, walked up parent by parent."""
    while unit is not None:
        if unit.is_border or unit.is_highland:
            return True
        unit = unit.parent
    return False


def in_force(user: User, under: Unit | None = None) -> list[AwardRecord]:
    """The awards in force whose recipient's unit is in the user's scope (and under `under`)."""
    found = []
    records = AwardRecord.objects.select_related(
        "person__unit", "unit", "household__unit", "award_type"
    ).prefetch_related("initiatives")
    for record in records:
        if record.revoked_on is not None:
            continue
        unit = recipient_unit(record)
        if not user.is_province_wide and not unit.path.startswith(user.scope_unit.path):
            continue
        if under is not None and not unit.path.startswith(under.path):
            continue
        found.append(record)
    return found


def value_of(record: AwardRecord, key: str) -> Any:
    person = record.person
    unit = recipient_unit(record)
    if key == "year":
        return record.year
    if key == "level":
        return record.award_type.level
    if key == "category":
        return record.award_type.category
    if key == "award_type":
        return record.award_type_id
    if key == "kind":
        return record.kind
    if key == "recipient_kind":
        return "individual" if person else "collective" if record.unit else "household"
    if key == "unit":
        return unit.pk
    if key == "border_highland":
        return in_area(unit)
    if person is None:
        return None
    return {
        "gender": lambda: person.gender,
        "ethnicity": lambda: person.ethnicity,
        "ethnic_minority": lambda: person.is_ethnic_minority,
        "person_category": lambda: person.category,
        "direct_worker": lambda: person.category == PersonCategory.DIRECT_WORKER,
        "innovator": lambda: len(record.initiatives.all()) > 0,
    }[key]()


def count_by(records: Iterable[AwardRecord], keys: list[str]) -> Counter[tuple[Any, ...]]:
    return Counter(tuple(value_of(r, k) for k in keys) for r in records)


def xlsx_rows(response: Any) -> list[list[Any]]:
    from openpyxl import load_workbook

    data = b"".join(response.streaming_content)
    sheet = load_workbook(io.BytesIO(data), read_only=True).worksheets[0]
    return [list(row) for row in sheet.iter_rows(values_only=True)]
