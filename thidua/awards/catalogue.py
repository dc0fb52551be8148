"""The catalogue of titles and forms is data (data/award_types.json), loaded by a migration."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

CATALOGUE_FILE = Path(__file__).resolve().parent / "data" / "award_types.json"


def catalogue_entries() -> list[dict[str, Any]]:
    return json.loads(CATALOGUE_FILE.read_text(encoding="utf-8"))


def catalogue_sync(award_type_model: Any) -> int:
    """Create or update every catalogue entry by its code; entries are never deleted."""
    count = 0
    for entry in catalogue_entries():
        award_type_model.objects.update_or_create(
            code=entry["code"],
            defaults={
                k: entry[k] for k in ("name", "category", "level", "recipients", "legal_basis", "order")
            },
        )
        count += 1
    return count
