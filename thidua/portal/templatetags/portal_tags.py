from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def decision_slug(number: str) -> str:
    """The readable part of a published decision's address: "15/QĐ-UBND" -> "15-qd-ubnd"."""
    from thidua.portal.views import decision_slug as slug

    return slug(str(number))
