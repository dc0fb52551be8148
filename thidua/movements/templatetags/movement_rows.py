"""The movement page's units table written in Python: fifty rows × twelve periods are six hundred cells,
and the template language spent more on them than the whole progress computation (docs/benchmarks.md).
The HTML is the same as the template wrote; every text goes through format_html."""

from __future__ import annotations

from typing import Any

from django import template
from django.middleware.csrf import get_token
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

register = template.Library()


@register.simple_tag(takes_context=True)
def period_cells(context: Any, row: Any) -> SafeString:
    """A unit's periods: each with its report and state, or the button to open it, and its flags."""
    page = context["page"]
    cache = context.render_context.setdefault("movement_rows", {})
    if not cache:
        cache["late"] = format_html(' <span class="badge text-bg-warning">{}</span>', _("Trễ hạn"))
        cache["missing"] = format_html(
            ' <span class="badge text-bg-danger">{}</span>', _("Quá hạn chưa báo cáo")
        )
        cache["due"] = _("hạn")
        cache["open"] = reverse("movements:report_open", args=[page.movement.pk])
        request = context.get("request")
        cache["csrf"] = get_token(request) if request is not None else ""
    statuses = row.periods
    if not statuses:
        return format_html('<span class="text-muted">{}</span>', _("Chưa đến kỳ báo cáo."))
    cells = []
    for s in statuses:
        if s.report is not None:
            head = format_html(
                '<a href="{}">{}</a> <span class="badge fw-normal {}">{}</span>',
                s.report.url,
                s.period.label,
                s.report.badge,
                s.report.get_state_display(),
            )
        elif page.perms.get("report"):
            head = format_html(
                '<form method="post" action="{}" class="d-inline">'
                '<input type="hidden" name="csrfmiddlewaretoken" value="{}">'
                '<input type="hidden" name="unit" value="{}"><input type="hidden" name="period" value="{}">'
                '<button class="btn btn-link btn-sm p-0 align-baseline" type="submit">{}</button></form>',
                cache["open"],
                cache["csrf"],
                row.unit.pk,
                s.period.end.isoformat(),
                _("Lập báo cáo {label}").format(label=s.period.label),
            )
        else:
            head = format_html("{}", s.period.label)
        flags = format_html("{}{}", cache["late"] if s.late else "", cache["missing"] if s.missing else "")
        cells.append(
            (
                head,
                flags,
                cache["due"],
                s.period.due.strftime("%d/%m/%Y"),
            )
        )
    return format_html_join(
        "",
        '<span class="d-inline-block me-2 mb-1 text-nowrap">{}{}'
        ' <span class="text-muted">· {} {}</span></span>',
        cells,
    )


@register.simple_tag
def unit_options(rows: Any) -> SafeString:
    """The options of the per-unit target form: every target unit (a thousand on a province-wide
    movement)."""
    return format_html_join("", '<option value="{}">{}</option>', ((r.unit.pk, r.unit.name) for r in rows))
