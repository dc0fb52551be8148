from __future__ import annotations

from typing import Any

from django import template

from thidua.blocs.ranking import number

register = template.Library()


@register.filter
def points(value: Any) -> str:
    """Points as officials write them: 87,5; nothing yet: —."""
    if value is None or value == "":
        return "—"
    return number(value)


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    return mapping.get(key) if mapping else None
