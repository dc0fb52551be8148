"""Reading a long list in batches without holding a statement open while the reader writes.

A background export reads tens of thousands of rows and records its progress as it goes. On SQLite an open
SELECT keeps its read transaction, and a write from the same connection after another process has committed
fails at once with "database is locked" (the snapshot is stale; the busy timeout does not apply), which
failed the export on a busy server. So on SQLite the keys are read first, then each batch is read whole by
key, and nothing is open between batches. PostgreSQL reads through a server-side cursor as before.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db import connections
from django.db.models import QuerySet

BATCH_SIZE = 2000


def in_batches(queryset: QuerySet[Any], size: int = BATCH_SIZE) -> Iterator[Any]:
    """Every object of `queryset`, in its order, `size` at a time."""
    if connections[queryset.db].vendor != "sqlite":
        yield from queryset.iterator(chunk_size=size)
        return
    keys = list(queryset.values_list("pk", flat=True))
    for start in range(0, len(keys), size):
        batch = keys[start : start + size]
        found = {obj.pk: obj for obj in queryset.filter(pk__in=batch).order_by()}
        # A row deleted since the keys were read is left out, not reported as missing.
        yield from (found[pk] for pk in batch if pk in found)
