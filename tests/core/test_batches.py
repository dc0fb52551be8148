"""Long lists read in batches: the queryset's order and annotations kept, and, on SQLite, a write by the
reader between batches succeeds after another connection has committed (the export's progress)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import OperationalError, connection, connections
from django.db.backends.sqlite3.base import DatabaseWrapper
from django.db.models import F, Value
from django.db.models.functions import Concat

from thidua.core.batches import in_batches
from thidua.organisation.models import Unit


@pytest.mark.django_db
def test_every_object_comes_once_in_the_querysets_order_with_its_annotations(province: dict) -> None:
    units = Unit.objects.annotate(label=Concat(F("name"), Value("!"))).order_by("-name", "id")
    expected = [(u.pk, u.label) for u in units]
    assert len(expected) == 4
    assert [(u.pk, u.label) for u in in_batches(units, size=3)] == expected


@pytest.fixture
def file_database(tmp_path: Path, django_db_blocker: Any) -> Iterator[str]:
    """A second alias on a SQLite file with the product's settings (the test database lives in memory,
    where two connections do not behave as on a server). Outside the test database's transaction, so
    that each connection commits."""
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's locking")
    alias = "batches_file"
    settings_dict = {**connection.settings_dict, "NAME": str(tmp_path / "batches.sqlite3")}
    with django_db_blocker.unblock():
        connections.settings[alias] = settings_dict
        connections[alias] = DatabaseWrapper(settings_dict, alias=alias)
        try:
            with connections[alias].schema_editor() as editor:
                editor.create_model(ContentType)
            ContentType.objects.using(alias).bulk_create(
                ContentType(app_label="batch", model=f"m{i:02d}") for i in range(7)
            )
            yield alias
        finally:
            connections[alias].close()
            del connections[alias]
            del connections.settings[alias]


def _read_and_write(alias: str, rows: Iterator[ContentType]) -> list[str]:
    """Read the rows; after the first, another connection commits a write, then the reader writes."""
    other = DatabaseWrapper(connections.settings[alias], alias=alias + "_other")
    seen = []
    try:
        for index, row in enumerate(rows):
            seen.append(row.model)
            if index == 2:
                with other.cursor() as cursor:
                    cursor.execute("UPDATE django_content_type SET app_label = 'other' WHERE model = 'm06'")
                ContentType.objects.using(alias).filter(model="m00").update(app_label="progress")
    finally:
        other.close()
    return seen


def test_the_reader_can_write_between_batches_after_another_commit(file_database: str) -> None:
    queryset = ContentType.objects.using(file_database).order_by("model")
    assert _read_and_write(file_database, in_batches(queryset, size=3)) == [f"m{i:02d}" for i in range(7)]
    assert ContentType.objects.using(file_database).get(model="m00").app_label == "progress"


def test_a_cursor_held_open_fails_that_write(file_database: str) -> None:
    # Why in_batches exists: the plain iterator keeps its SELECT open, and the write is refused at once.
    queryset = ContentType.objects.using(file_database).order_by("model")
    with pytest.raises(OperationalError, match="locked"):
        _read_and_write(file_database, queryset.iterator(chunk_size=3))
