"""Pages of the central statistical forms (biểu 0601–0605.N/BNV-TĐKT, Thông tư 02/2023/TT-BNV): choose
the form, the authority (within the user's scope: another authority answers 404) and the period; the
table links each cell to the records behind it; the records that cannot be classified are listed for
correction; the table downloads as Excel and PDF."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils import timezone

from thidua.core.http import paginate, parse_int, require_perm
from thidua.core.xlsx import XLSX_CONTENT_TYPE
from thidua.statistics import exports, selectors
from thidua.statistics.definitions import FORMS
from thidua.statistics.layout import grid, report_heading
from thidua.statistics.selectors import Period

PERM = "statistics.view_statistics"


def _default_year() -> int:
    # Reports are due on 15 December of the report year: from December on, the current year; before,
    # the last complete one.
    today = timezone.localdate()
    return today.year if today.month == 12 else today.year - 1


def _choice(request: HttpRequest, form_slug: str | None = None) -> tuple[Any, Any, Any, Period]:
    user = require_perm(request, PERM)
    form = selectors.get_form(form_slug) if form_slug else None
    authority = selectors.get_authority(user=user, pk=parse_int(request.GET.get("co_quan")))
    period = selectors.parse_period(request.GET.get("nam"), request.GET.get("den_nam"), _default_year())
    return user, form, authority, period


def _context(user: Any, authority: Any, period: Period) -> dict[str, Any]:
    this_year = timezone.localdate().year
    return {
        "forms": list(FORMS.values()),
        "authorities": selectors.authorities_for(user),
        "authority": authority,
        "period": period,
        "years": list(range(this_year, this_year - 12, -1)),
        "query": f"co_quan={authority.pk}&{period.query()}",
    }


@login_required
def index(request: HttpRequest) -> HttpResponseBase:
    user, _form, authority, period = _choice(request)
    return render(request, "statistics/index.html", _context(user, authority, period))


@login_required
def form_table(request: HttpRequest, form: str) -> HttpResponseBase:
    user, stat_form, authority, period = _choice(request, form)
    table = selectors.build_table(form=stat_form, authority=authority, period=period)
    ctx = _context(user, authority, period)
    ctx.update({"t": table, "g": grid(table), "heading": report_heading(table), "form": stat_form})
    return render(request, "statistics/form.html", ctx)


def _page(request: HttpRequest, form: Any, records: Any) -> Any:
    page = paginate(request, records.values_list("pk", flat=True))
    page.object_list = selectors.with_related(form, page.object_list)
    return page


@login_required
def cell(request: HttpRequest, form: str) -> HttpResponseBase:
    user, stat_form, authority, period = _choice(request, form)
    row_key = request.GET.get("dong", "")
    column_key = request.GET.get("cot", "")
    records = selectors.cell_records(
        form=stat_form, authority=authority, period=period, row=row_key, column=column_key
    )
    ctx = _context(user, authority, period)
    ctx.update(
        {
            "form": stat_form,
            "row": stat_form.row(row_key),
            "column": stat_form.column(column_key),
            "page": _page(request, stat_form, records),
        }
    )
    return render(request, "statistics/records.html", ctx)


@login_required
def unclassified(request: HttpRequest, form: str) -> HttpResponseBase:
    user, stat_form, authority, period = _choice(request, form)
    reasons = {key: label for key, label, _n in selectors.unclassified_counts(stat_form, authority, period)}
    reason = request.GET.get("ly_do", "")
    if reason not in reasons:
        reason = ""
    records = selectors.unclassified_records(
        form=stat_form, authority=authority, period=period, reason=reason
    )
    ctx = _context(user, authority, period)
    ctx.update(
        {
            "form": stat_form,
            "reason": reasons.get(reason, ""),
            "page": _page(request, stat_form, records),
            "unclassified": True,
        }
    )
    return render(request, "statistics/records.html", ctx)


def _filename(table: Any, ext: str) -> str:
    return (
        f"bieu-{table.form.code}-{table.authority.unit.code}-{table.period.first}-{table.period.last}.{ext}"
    )


@login_required
def form_xlsx(request: HttpRequest, form: str) -> HttpResponseBase:
    _user, stat_form, authority, period = _choice(request, form)
    table = selectors.build_table(form=stat_form, authority=authority, period=period)
    response = HttpResponse(exports.xlsx_bytes(table), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{_filename(table, "xlsx")}"'
    return response


@login_required
def form_pdf(request: HttpRequest, form: str) -> HttpResponseBase:
    _user, stat_form, authority, period = _choice(request, form)
    table = selectors.build_table(form=stat_form, authority=authority, period=period)
    response = HttpResponse(exports.pdf_bytes(table), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{_filename(table, "pdf")}"'
    return response
