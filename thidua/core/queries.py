"""Query pieces the lists of several apps share."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
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
