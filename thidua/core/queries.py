"""Query pieces the lists of several apps share."""

from __future__ import annotations

from typing import Any

from django.db import connections, models
from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce


def count_of(model: type[models.Model], owner: str, **filters: Any) -> Coalesce:
    """How many `model` rows (matching `filters`) point at each listed row, as a correlated subquery.

    A list shows 20 or 50 rows of thousands: `annotate(Count(...))` joined and grouped the whole table
    before paging (and again inside the paginator's count), where this runs once per row shown and the
    count of the list drops it altogether (docs/benchmarks.md).
    """
    rows = (
        model._default_manager.filter(**{owner: OuterRef("pk")}, **filters)
        .order_by()
        .values(owner)
        .annotate(n=Count("*"))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), Value(0))


def counts(**querysets: QuerySet[Any]) -> dict[str, int]:
    """The number of rows of each queryset, all in one query (a scalar subquery each).

    A page showing several totals paid a round trip, and Django's compiling of a query, for each; the
    database counts them as fast together as apart.
    """
    if not querysets:
        return {}
    selects: list[str] = []
    params: list[Any] = []
    alias = next(iter(querysets.values())).db
    for qs in querysets.values():
        if qs.db != alias:
            raise ValueError("counts() reads one database")
        # Not elided when empty (a user without scope): "WHERE 0 = 1" counts nothing.
        query = qs.order_by().values("pk").query
        sql, qs_params = query.get_compiler(using=alias, elide_empty=False).as_sql()
        selects.append(f"(SELECT COUNT(*) FROM ({sql}) counted)")
        params.extend(qs_params)
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(selects), params)
        row = cursor.fetchone()
    return {name: int(n) for name, n in zip(querysets, row, strict=True)}
