"""The registry totals of the dashboard (core.AwardTally), kept in step with the award records.

Every write of award records calls one of these in its own transaction: `award_record_create` and the
decision step through it, the Excel import, revocation, the demo loader, and the admin pages that change a
record or move a person or household to another unit. Each change is applied as an increment
(`records = records + n`), so two transactions adding records under the same key both count; PostgreSQL
serialises them on the row. `rebuild()` (the `thidua tally_rebuild` command) recounts everything.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import connections, router
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Coalesce

from thidua.core.models import AwardTally

# (unit id, decision id, award type id, year) -> (records, revoked)
Key = tuple[int, int, int, int]
COLUMNS = ("unit_id", "decision_id", "award_type_id", "year")
Deltas = dict[Key, tuple[int, int]]

_ROWS_PER_STATEMENT = 200


def counted(records: QuerySet[Any]) -> Deltas:
    """The records of a queryset, counted by the unit of their recipient, decision, award type and year."""
    rows = (
        records.order_by()
        .annotate(recipient_unit=Coalesce("person__unit", "unit", "household__unit"))
        .values_list("recipient_unit", "decision_id", "award_type_id", "year")
        .annotate(n=Count("id"), revoked=Count("id", filter=Q(revoked_on__isnull=False)))
    )
    return {
        (unit, decision, award_type, year): (n, revoked)
        for unit, decision, award_type, year, n, revoked in rows
    }


def _apply(deltas: Deltas, *, sign: int = 1) -> None:
    # A fixed order, so two transactions lock the rows they share in the same order (no deadlock).
    rows = sorted((key, value) for key, value in deltas.items() if value != (0, 0))
    if not rows:
        return
    alias = router.db_for_write(AwardTally)
    connection = connections[alias]
    quote = connection.ops.quote_name
    table = quote(AwardTally._meta.db_table)
    columns = ", ".join(quote(c) for c in (*COLUMNS, "records", "revoked"))
    # The same statement on SQLite (3.24+) and PostgreSQL: add to the row of the key, or create it.
    update = (
        f"ON CONFLICT ({', '.join(quote(c) for c in COLUMNS)}) DO UPDATE SET "
        f"{quote('records')} = {table}.{quote('records')} + excluded.{quote('records')}, "
        f"{quote('revoked')} = {table}.{quote('revoked')} + excluded.{quote('revoked')}"
    )
    with connection.cursor() as cursor:
        for start in range(0, len(rows), _ROWS_PER_STATEMENT):
            chunk = rows[start : start + _ROWS_PER_STATEMENT]
            values = ", ".join(["(%s, %s, %s, %s, %s, %s)"] * len(chunk))
            params: list[int] = []
            for key, (n, revoked) in chunk:
                params += [*key, sign * n, sign * revoked]
            cursor.execute(f"INSERT INTO {table} ({columns}) VALUES {values} {update}", params)


def add(records: QuerySet[Any]) -> None:
    """Count records just written (or just moved to their new unit)."""
    _apply(counted(records))


def remove(records: QuerySet[Any]) -> None:
    """Uncount records about to be deleted or moved; call before the change."""
    _apply(counted(records), sign=-1)


def add_one(*, unit_id: int, decision_id: int, award_type_id: int, year: int) -> None:
    """Count one new, standing record whose recipient's unit is already known (no query to find it)."""
    _apply({(unit_id, decision_id, award_type_id, year): (1, 0)})


def revoked(records: QuerySet[Any]) -> None:
    """Count records just marked revoked as revoked (they stay counted as records)."""
    _apply({key: (0, n) for key, (n, _revoked) in counted(records).items()})


def rebuild() -> int:
    """Recount every tally from the award records; returns the number of tally rows."""
    from thidua.awards.models import AwardRecord

    deltas = counted(AwardRecord.objects.all())
    AwardTally.objects.all().delete()
    AwardTally.objects.bulk_create(
        (
            AwardTally(
                unit_id=unit,
                decision_id=decision,
                award_type_id=award_type,
                year=year,
                records=n,
                revoked=revoked,
            )
            for (unit, decision, award_type, year), (n, revoked) in sorted(deltas.items())
        ),
        batch_size=500,
    )
    return len(deltas)


def differences() -> list[tuple[Key, tuple[int, int], tuple[int, int]]]:
    """Keys whose tally differs from a count of the records: (key, kept, counted). Empty when in step."""
    from thidua.awards.models import AwardRecord

    actual = counted(AwardRecord.objects.all())
    kept: Deltas = {
        (unit, decision, award_type, year): (n, revoked)
        for unit, decision, award_type, year, n, revoked in AwardTally.objects.values_list(
            *COLUMNS, "records", "revoked"
        )
    }
    keys: Iterable[Key] = sorted(set(actual) | set(kept))
    return [
        (key, kept.get(key, (0, 0)), actual.get(key, (0, 0)))
        for key in keys
        if kept.get(key, (0, 0)) != actual.get(key, (0, 0))
    ]
