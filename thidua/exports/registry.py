"""The lists that can be exported in the background: kind -> a builder rebuilding the list's scoped query.

A builder takes the acting user and the list's GET parameters and answers an ExportSpec; the view and the
background task call the same builder, so the file holds exactly what the page would, for the owner's scope.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.module_loading import import_string


@dataclass
class ExportSpec:
    filename: str
    title: str
    headers: Sequence[str]
    rows: Iterable[Sequence[Any]]
    widths: Sequence[int] | None
    total: int


Builder = Callable[[Any, Any], ExportSpec]

# Dotted paths, imported when used: the apps import this module, not the other way round.
BUILDERS: dict[str, str] = {
    "quyet-dinh": "thidua.awards.views.decision_export_spec",
    "ca-nhan": "thidua.organisation.views.person_export_spec",
    "don-vi": "thidua.organisation.views.unit_export_spec",
    "ho-gia-dinh": "thidua.organisation.views.household_export_spec",
}


def builder(kind: str) -> Builder:
    return import_string(BUILDERS[kind])  # type: ignore[no-any-return]
