"""One condition of a verdict as a list item, written in Python: a panel shows forty or more of them,
and the template include they were (its translations, conditions and context per line) was most of
the panel's rendering time. The markup is the include's, character for character."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

register = template.Library()

_MISSING = object()


def _field(condition: Any, name: str) -> Any:
    """A condition's field as the template language read it: from a result object, or from a dossier
    line's stored dict; a missing one reads as ""."""
    if isinstance(condition, dict):
        return condition.get(name, _MISSING)
    return getattr(condition, name, _MISSING)


def _text(value: Any) -> str:
    return "" if value is _MISSING else str(conditional_escape(value))


def _icon(css: str, label: str, mark: str) -> str:
    label = str(conditional_escape(label))
    return (
        f'<span class="{css} fw-bold flex-shrink-0" style="width:1.2em" role="img" aria-label="{label}"'
        f' title="{label}">{mark}</span>'
    )


@register.simple_tag
def condition_line(condition: Any) -> SafeString:
    """✓ met, ✗ not met, ? undecided (data missing or left to a person), with its text and basis."""
    met = _field(condition, "met")
    if met is True:
        icon = _icon("text-success", gettext("đáp ứng"), "✓") + "\n  "
    elif met is False:
        icon = _icon("text-danger", gettext("chưa đáp ứng"), "✗") + "\n  "
    else:
        icon = _icon("text-warning-emphasis", gettext("chưa xác định"), "?")
    mechanical = _field(condition, "mechanical")
    review = ""
    if not (mechanical is not _MISSING and mechanical):
        label = conditional_escape(gettext("cần người thẩm định đánh giá"))
        review = f'<span class="badge text-bg-info fw-normal">{label}</span>'
    confirmed = _field(condition, "confirmed")
    unconfirmed = ""
    if not (confirmed is not _MISSING and confirmed):
        note = _text(_field(condition, "note"))
        label = conditional_escape(gettext("chưa xác nhận nguồn"))
        unconfirmed = (
            f'<span class="badge rounded-pill text-bg-light border fw-normal" title="{note}">{label}</span>'
        )
    # Every value in it is escaped above.
    return mark_safe(
        '\n<li class="d-flex gap-2 py-1 border-bottom">\n'
        f"  {icon}\n"
        '  <div class="flex-grow-1">\n'
        f"    <div>{_text(_field(condition, 'text'))}</div>\n"
        f'    <div class="small text-muted">{_text(_field(condition, "basis"))}\n'
        f"      {review}\n"
        f"      {unconfirmed}\n"
        "    </div>\n"
        "  </div>\n"
        "</li>\n"
    )
