"""PostgreSQL-only additions made by migrations; on SQLite they do nothing."""

from __future__ import annotations

from typing import Any

from django.db import migrations


def trigram_index_operation(table: str, column: str = "search_text") -> migrations.RunPython:
    """A GIN trigram index so `LIKE '%term%'` on the folded search text uses an index on PostgreSQL."""
    name = f"{table}_{column}_trgm"

    def forwards(apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor != "postgresql":
            return
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" USING gin ("{column}" gin_trgm_ops)'
        )

    def backwards(apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')

    return migrations.RunPython(forwards, backwards)


def covering_search_index_operation(table: str, column: str = "search_text") -> migrations.RunPython:
    """A btree on the folded search text that also holds the id, so that PostgreSQL answers a search
    word the trigram index cannot serve (one or two letters: "lo", "y") with an index-only scan of a few
    megabytes instead of reading every row of the table (SQLite's index on the column already holds the
    rowid)."""
    name = f"{table}_{column}_with_id"

    def forwards(apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor != "postgresql":
            return
        schema_editor.execute(f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" ("{column}") INCLUDE ("id")')

    def backwards(apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')

    return migrations.RunPython(forwards, backwards)
