"""Display filters: money, dates and search highlights the way Vietnamese officials read them."""

from __future__ import annotations

import datetime as dt
import functools
import unicodedata
from typing import Any

from django import template
from django.utils import timezone
from django.utils.html import conditional_escape, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from thidua.core.text import fold

register = template.Library()


@register.filter
def vnd(value: Any) -> str:
    """2340000 -> "2.340.000 đ"; nothing for an empty amount, so tables show a blank cell."""
    if value is None or value == "":
        return ""
    try:
        amount = int(value)
    except (TypeError, ValueError):
        return str(value)
    return f"{amount:,}".replace(",", ".") + " đ"


@register.filter
def regime_title(regime_id: Any) -> str:
    """The legal regime an appraisal applied, as its title ("Luật Thi đua, khen thưởng 2022 và Nghị định
    152/2025/NĐ-CP"), not its internal id; an id no longer in the rulebooks is shown as it was stored."""
    from thidua.eligibility.rulebook import load_library

    for regime in load_library().regimes:
        if regime.id == regime_id:
            return regime.title
    return str(regime_id or "")


@register.filter
def vndate(value: Any) -> str:
    """dd/mm/yyyy whatever the active language, as on every official paper."""
    if not value:
        return ""
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    return str(value)


@register.filter
def year(value: Any) -> str:
    """A year without the thousands separator the Vietnamese number format would add (2.024)."""
    if value is None or value == "":
        return ""
    return str(value)


@functools.lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    # A search page highlights some hundred names and places: the same few dozen letters, folded once.
    return " " if char.isspace() else fold(char)


@functools.lru_cache(maxsize=256)
def _query_tokens(query: str) -> tuple[str, ...]:
    return tuple(t for t in fold(query).split() if t)


def _folded_with_origin(text: str) -> tuple[str, list[int]]:
    # fold() may change a string's length (NFD marks, whitespace runs), so fold character by character
    # and remember where each folded character came from.
    folded: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        for piece in _fold_char(char):
            folded.append(piece)
            origin.append(index)
    return "".join(folded), origin


@register.filter
def highlight(text: Any, query: Any) -> SafeString:
    """Mark the words of the query in the text, ignoring tones: "duc" marks "Đức"."""
    text = "" if text is None else str(text)
    tokens = _query_tokens(str(query or ""))
    if not text or not tokens:
        return conditional_escape(text)
    folded, origin = _folded_with_origin(text)
    marked = [False] * len(text)
    for token in tokens:
        start = folded.find(token)
        while start != -1:
            first = origin[start]
            last = origin[start + len(token) - 1]
            # Combining marks stored after a base letter belong to the marked letter.
            while last + 1 < len(text) and unicodedata.category(text[last + 1]) == "Mn":
                last += 1
            for i in range(first, last + 1):
                marked[i] = True
            start = folded.find(token, start + len(token))
    out: list[str] = []
    i = 0
    while i < len(text):
        j = i
        while j < len(text) and marked[j] == marked[i]:
            j += 1
        chunk = conditional_escape(text[i:j])
        out.append(f"<mark>{chunk}</mark>" if marked[i] else str(chunk))
        i = j
    # Every chunk was escaped above, so the joined text is safe.
    return mark_safe("".join(out))


@register.simple_tag
def page_numbers(page: Any) -> list[Any]:
    """Page numbers around the current one, with "…" gaps, for long lists."""
    return list(page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1))


# A filter bar's <select> can list every unit of the province (330 in the demo, more in a real one); one
# template node per option and per `{% if %}` made it a third of a list page's time. The options are built
# here instead, escaped the same way.
@register.simple_tag
def choice_options(choices: Any, selected: Any = None) -> SafeString:
    """`<option>`s of (value, text) pairs, the one equal to `selected` marked."""
    return format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        ((value, _SELECTED if value == selected else "", text) for value, text in choices),
    )


@register.simple_tag
def unit_options(units: Any, selected: Any = None) -> SafeString:
    """`<option>`s of units by primary key, a dissolved unit marked so, the one whose key is `selected`
    marked selected."""
    dissolved = " (" + str(_("đã giải thể")) + ")"
    return format_html_join(
        "",
        '<option value="{}"{}>{}{}</option>',
        (
            (unit.pk, _SELECTED if unit.pk == selected else "", unit.name, dissolved if unit.valid_to else "")
            for unit in units
        ),
    )


_SELECTED = mark_safe(" selected")
