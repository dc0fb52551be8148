"""Pages of the award registry: search, decisions and the catalogue.

Lists take `?export=xlsx` on their own URL to download the same filtered list, all rows, as Excel.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _

from thidua.awards import selectors
from thidua.awards.models import AwardCategory, AwardLevel, AwardType, RecipientKind
from thidua.core.batches import in_batches
from thidua.core.http import (
    current_user,
    export_filename,
    paginate,
    parse_choice,
    parse_int,
    require_perm,
    wants_export,
)
from thidua.core.xlsx import choice_labels, xlsx_response
from thidua.exports.registry import ExportSpec
from thidua.exports.views import export_or_queue


@login_required
def search(request: HttpRequest) -> HttpResponseBase:
    user = require_perm(request, "awards.view_registry")
    query = request.GET.get("q", "").strip()[:200]
    results = selectors.search(user=user, query=query)
    htmx = getattr(request, "htmx", None)
    # A history restore after a cache miss needs the whole page, not the fragment.
    partial = bool(htmx) and not htmx.history_restore_request  # type: ignore[union-attr]
    template = "awards/search.html#results" if partial else "awards/search.html"
    response = render(request, template, {"query": query, "results": results})
    patch_vary_headers(response, ["HX-Request"])
    return response


@login_required
def decision_list(request: HttpRequest) -> HttpResponseBase:
    user = require_perm(request, "awards.view_decision")
    filters = _decision_filters(request.GET)
    if wants_export(request):
        return export_or_queue(request, user, "quyet-dinh", decision_export_spec(user, request.GET))
    listing = selectors.decision_list(user=user, filters=filters)
    return render(
        request,
        "awards/decision_list.html",
        {
            "page": paginate(request, listing.decisions, count=listing.matching.count),
            "filters": filters,
            "years": listing.years,
            "filtered": bool(filters.q or filters.year),
        },
    )


def _decision_filters(params: Any) -> selectors.DecisionFilters:
    return selectors.DecisionFilters(q=params.get("q", "").strip()[:200], year=parse_int(params.get("year")))


def decision_export_spec(user: Any, params: Any) -> ExportSpec:
    """The decisions list as a file, for the user's own scope (the view and the background export call it)."""
    if not user.has_perm("awards.view_decision"):
        raise PermissionDenied
    listing = selectors.decision_list(user=user, filters=_decision_filters(params))
    decisions: QuerySet[Any] = listing.decisions
    source = choice_labels(decisions.model, "source")

    def rows() -> Iterator[list[Any]]:
        for index, d in enumerate(in_batches(decisions), start=1):
            yield [
                index,
                d.number,
                d.date,
                d.issuing_authority,
                d.signer_name,
                d.signer_title,
                d.summary,
                d.record_count,
                source(d.source),
            ]

    return ExportSpec(
        total=listing.matching.count(),
        filename=export_filename("quyet-dinh-khen-thuong"),
        title=_("Quyết định khen thưởng"),
        headers=[
            _("STT"),
            _("Số, ký hiệu"),
            _("Ngày ký"),
            _("Cơ quan ban hành"),
            _("Người ký"),
            _("Chức vụ người ký"),
            _("Trích yếu"),
            _("Số lượt khen thưởng"),
            _("Nguồn"),
        ],
        rows=rows(),
        widths=[6, 18, 12, 30, 24, 24, 60, 12, 20],
    )


@login_required
def decision_detail(request: HttpRequest, pk: int) -> HttpResponseBase:
    user = current_user(request)
    if not user.has_perm("awards.view_decision"):
        raise Http404
    detail = selectors.decision_detail(user=user, decision_id=pk)
    # 404 rather than 403: unit staff must not learn which decisions exist outside their scope.
    if detail is None:
        raise Http404
    return render(request, "awards/decision_detail.html", {"detail": detail, "decision": detail.decision})


@login_required
def catalogue(request: HttpRequest) -> HttpResponseBase:
    require_perm(request, "awards.view_registry")
    filters = selectors.CatalogueFilters(
        q=request.GET.get("q", "").strip()[:200],
        category=parse_choice(request.GET.get("category"), AwardCategory.choices),
        level=parse_choice(request.GET.get("level"), AwardLevel.choices),
        recipient=parse_choice(request.GET.get("recipient"), RecipientKind.choices),
    )
    award_types = selectors.catalogue(filters=filters)
    if wants_export(request):
        return _catalogue_export(award_types)
    return render(
        request,
        "awards/catalogue.html",
        {
            "page": paginate(request, award_types),
            "filters": filters,
            "category_choices": AwardCategory.choices,
            "level_choices": AwardLevel.choices,
            "recipient_choices": RecipientKind.choices,
            "filtered": any((filters.q, filters.category, filters.level, filters.recipient)),
        },
    )


def _catalogue_export(award_types: list[AwardType]) -> HttpResponseBase:
    rows = [
        [
            index,
            t.code,
            t.name,
            t.get_category_display(),
            t.get_level_display(),
            t.recipients_display(),
            t.legal_basis,
            _("Có") if t.is_active else _("Không"),
        ]
        for index, t in enumerate(award_types, start=1)
    ]
    return xlsx_response(
        filename=export_filename("danh-muc-khen-thuong"),
        title=_("Danh mục khen thưởng"),
        headers=[
            _("STT"),
            _("Mã"),
            _("Tên danh hiệu, hình thức"),
            _("Loại"),
            _("Cấp"),
            _("Đối tượng"),
            _("Căn cứ pháp lý"),
            _("Đang áp dụng"),
        ],
        rows=rows,
        widths=[6, 14, 40, 24, 12, 30, 50, 12],
    )
