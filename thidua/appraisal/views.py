"""Appraisal pages: the eligibility panel of a profile, the discovery of people who have become eligible,
and the rulebook in force on a date with what changed between two regimes.

The panel answers an htmx request with the fragment alone and a plain request with a full page, so it
works inside the profile and without JavaScript alike.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _

from thidua.appraisal import comparison as comparison_reads
from thidua.appraisal import discovery as discovery_reads
from thidua.appraisal import panel
from thidua.appraisal import rulebook as rulebook_reads
from thidua.core.http import (
    current_user,
    export_filename,
    paginate,
    parse_flag,
    parse_int,
    require_perm,
    wants_export,
)
from thidua.core.http import parse_date as _date
from thidua.core.xlsx import xlsx_response

# Achievement years before this are outside any registry the province keeps.
FIRST_YEAR = 1990


def _year(value: str | None, today: dt.date) -> int | None:
    year = parse_int(value)
    # The engine refuses an achievement year later than the appraisal date's year.
    return year if year is not None and FIRST_YEAR <= year <= today.year else None


# ---------------------------------------------------------------------------------------------------
# The panel


def _render_check(
    request: HttpRequest, report: panel.EligibilityReport, check_url: str, detail_url: str
) -> HttpResponseBase:
    context = {"report": report, "check_url": check_url, "detail_url": detail_url}
    template = "appraisal/includes/panel.html" if getattr(request, "htmx", False) else "appraisal/check.html"
    response = render(request, template, context)
    # The same URL answers a fragment or a page: caches must keep them apart.
    patch_vary_headers(response, ("HX-Request",))
    return response


@login_required
def person_check(request: HttpRequest, pk: int) -> HttpResponseBase:
    user = current_user(request)
    today = timezone.localdate()
    report = panel.person_eligibility(
        user=user, person_id=pk, year=_year(request.GET.get("year"), today), as_of=today
    )
    # 404 rather than 403, as on the profile: a guessed URL must not reveal that the person exists.
    if report is None:
        raise Http404
    return _render_check(
        request,
        report,
        reverse("appraisal:person_check", args=[pk]),
        reverse("organisation:person_detail", args=[pk]),
    )


@login_required
def unit_check(request: HttpRequest, pk: int) -> HttpResponseBase:
    user = current_user(request)
    today = timezone.localdate()
    report = panel.unit_eligibility(
        user=user, unit_id=pk, year=_year(request.GET.get("year"), today), as_of=today
    )
    if report is None:
        raise Http404
    return _render_check(
        request,
        report,
        reverse("appraisal:unit_check", args=[pk]),
        reverse("organisation:unit_detail", args=[pk]),
    )


@login_required
def household_check(request: HttpRequest, pk: int) -> HttpResponseBase:
    user = current_user(request)
    today = timezone.localdate()
    report = panel.household_eligibility(
        user=user, household_id=pk, year=_year(request.GET.get("year"), today), as_of=today
    )
    if report is None:
        raise Http404
    return _render_check(
        request,
        report,
        reverse("appraisal:household_check", args=[pk]),
        reverse("organisation:household_detail", args=[pk]),
    )


# ---------------------------------------------------------------------------------------------------
# Discovery


@login_required
def discovery(request: HttpRequest) -> HttpResponseBase:
    user = require_perm(request, "appraisal.view_discovery")
    today = timezone.localdate()
    award = request.GET.get("award", "").strip()
    filters = discovery_reads.DiscoveryFilters(
        year=_year(request.GET.get("year"), today) or panel.review_year(today),
        unit_id=parse_int(request.GET.get("unit")),
        award=award if award in discovery_reads.discovery_codes() else "",
        direct_worker=parse_flag(request.GET.get("direct")),
        women=parse_flag(request.GET.get("women")),
        minority=parse_flag(request.GET.get("minority")),
        remote_area=parse_flag(request.GET.get("area")),
    )
    result = discovery_reads.discovery(user=user, filters=filters, as_of=today)
    if wants_export(request):
        return _discovery_export(result)
    return render(
        request,
        "appraisal/discovery.html",
        {"result": result, "filters": filters, "page": paginate(request, result.rows), "user": user},
    )


def _discovery_export(result: discovery_reads.Discovery) -> HttpResponseBase:
    def rows() -> Iterator[list[Any]]:
        for index, row in enumerate(result.rows, start=1):
            person = row.person
            yield [
                index,
                person.full_name,
                person.unit.name,
                person.get_category_display(),
                person.get_gender_display(),
                person.ethnicity,
                ", ".join(row.area_flags),
                row.award_name,
                result.filters.year,
                row.reason,
                row.judgments,
                _("Có") if row.confirmed else _("Chưa xác nhận"),
            ]

    return xlsx_response(
        filename=export_filename(f"phat-hien-{result.filters.year}"),
        title=_("Phát hiện {year}").format(year=result.filters.year),
        headers=[
            _("STT"),
            _("Họ và tên"),
            _("Đơn vị"),
            _("Thành phần"),
            _("Giới tính"),
            _("Dân tộc"),
            _("Vùng"),
            _("Có thể đề nghị"),
            _("Năm thành tích"),
            _("Điều kiện đã đáp ứng"),
            _("Số điều kiện cần thẩm định"),
            _("Nguồn quy định đã xác nhận"),
        ],
        rows=rows(),
        widths=[6, 28, 34, 24, 9, 12, 18, 30, 10, 80, 12, 14],
    )


# ---------------------------------------------------------------------------------------------------
# The rulebook


@login_required
def rulebook(request: HttpRequest) -> HttpResponseBase:
    require_perm(request, "awards.view_registry")
    today = timezone.localdate()
    if request.GET.get("view") == "compare":
        comparison = comparison_reads.compare_regimes(
            old_id=request.GET.get("from", "").strip(), new_id=request.GET.get("to", "").strip(), day=today
        )
        return render(request, "appraisal/rulebook_compare.html", {"comparison": comparison, "today": today})
    raw = request.GET.get("date")
    day = _date(raw)
    book = rulebook_reads.rulebook(day=day or today)
    return render(
        request,
        "appraisal/rulebook.html",
        {"book": book, "today": today, "bad_date": bool(raw) and day is None},
    )
