"""The reports' pages: the dashboard with its charts, the targets, the report builder and saved reports.
Each parses, checks the permission and scope, calls one selector or service, renders."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from thidua.core.charts import table_xlsx
from thidua.core.http import attempt, parse_flag, parse_int, require_perm
from thidua.reports import builder, charts, selectors, services
from thidua.reports.models import Measure

PERM = "reports.view_reports"


def _year(request: HttpRequest) -> int | None:
    year = parse_int(request.GET.get("nam"))
    return year if year is not None and builder.FIRST_YEAR <= year <= builder.LAST_YEAR else None


def _dashboard(request: HttpRequest) -> tuple[Any, selectors.Dashboard]:
    user = require_perm(request, PERM)
    root = parse_int(request.GET.get("don-vi"))
    return user, selectors.dashboard(user=user, year=_year(request), root_pk=root)


def _query(d: selectors.Dashboard, request: HttpRequest, **extra: Any) -> str:
    params: dict[str, Any] = {"nam": d.year}
    root = parse_int(request.GET.get("don-vi"))
    if root is not None:
        params["don-vi"] = root
    params.update(extra)
    return urlencode(params)


def _export_url(name: str, d: selectors.Dashboard, request: HttpRequest) -> str:
    return reverse("reports:dashboard_export", args=[name]) + "?" + _query(d, request)


@login_required
def dashboard(request: HttpRequest) -> HttpResponseBase:
    user, d = _dashboard(request)
    asked = request.GET.get("ty-le", "")
    measure = Measure(asked) if asked in Measure.values else Measure.DIRECT_WORKER

    def drill(pk: int) -> str:
        return (
            reverse("reports:dashboard")
            + "?"
            + urlencode({"nam": d.year, "don-vi": pk, "ty-le": measure.value})
        )

    context = {
        "d": d,
        "measure": measure,
        "measures": list(Measure),
        "can_edit_targets": user.has_perm("reports.edit_targets"),
        "by_year_chart": charts.by_year_chart(d, _export_url("nam", d, request)) if d.by_year else None,
        "level_chart": charts.count_chart(
            charts.by_level_table(d), _("Theo cấp khen thưởng"), _export_url("cap", d, request)
        ),
        "category_chart": charts.count_chart(
            charts.by_category_table(d),
            _("Danh hiệu thi đua và hình thức khen thưởng"),
            _export_url("loai", d, request),
        ),
        "type_chart": charts.count_chart(
            charts.by_type_table(d), _("Theo danh hiệu, hình thức"), _export_url("danh-hieu", d, request)
        ),
        "kind_chart": charts.count_chart(
            charts.by_kind_table(d), _("Theo loại hình khen thưởng"), _export_url("loai-hinh", d, request)
        ),
        "shares_chart": charts.shares_chart(d, _export_url("ty-le", d, request)),
        "units_chart": charts.units_chart(d, measure, _export_url("don-vi", d, request), drill)
        if d.units
        else None,
        "stages_chart": charts.stages_chart(d, _export_url("ho-so", d, request)) if d.throughput else None,
        "running_chart": None,
        "blocs_chart": charts.blocs_chart(d, _export_url("khoi", d, request)) if d.blocs else None,
        "query": _query(d, request),
        "drilled": parse_int(request.GET.get("don-vi")) is not None,
    }
    if d.running:
        from thidua.movements.charts import running_chart

        context["running_chart"] = running_chart(d.running)
    return render(request, "reports/dashboard.html", context)


EXPORTS = {
    "nam": (charts.by_year_table, "khen-thuong-theo-nam"),
    "cap": (charts.by_level_table, "khen-thuong-theo-cap"),
    "loai": (charts.by_category_table, "danh-hieu-hinh-thuc"),
    "loai-hinh": (charts.by_kind_table, "khen-thuong-theo-loai-hinh"),
    "danh-hieu": (charts.by_type_table, "khen-thuong-theo-danh-hieu"),
    "ty-le": (charts.shares_table, "ty-le-doi-tuong"),
    "don-vi": (charts.units_table, "khen-thuong-theo-don-vi"),
    "ho-so": (charts.stages_table, "thoi-gian-xu-ly-ho-so"),
    "khoi": (charts.blocs_table, "ket-qua-khoi-thi-dua"),
}


@login_required
def dashboard_export(request: HttpRequest, table: str) -> HttpResponseBase:
    """A dashboard chart's table as Excel, over the same scope, unit and year as the page."""
    if table not in EXPORTS:
        raise Http404
    _user, d = _dashboard(request)
    if table == "ho-so" and d.throughput is None:
        raise Http404
    make, stem = EXPORTS[table]
    data = make(d)
    # A sheet's name takes no ":" and at most 31 characters: the year, not the caption.
    return table_xlsx(data, filename=f"{stem}-{d.year}.xlsx", title=_("Năm {year}").format(year=d.year))


# ---------------------------------------------------------------------------------------------------
# Targets


@login_required
def targets(request: HttpRequest) -> HttpResponseBase:
    user = require_perm(request, PERM)
    year = _year(request) or timezone.localdate().year
    authority = selectors.authority_for(selectors.default_root(user))
    if request.method == "POST":
        if authority is None:
            raise Http404
        require_perm(request, "reports.edit_targets")
        if attempt(
            request,
            lambda: services.targets_set(actor=user, authority=authority, year=year, values=request.POST),
            _("Đã lưu chỉ tiêu năm {year}.").format(year=year),
        ):
            return redirect(reverse("reports:targets") + f"?nam={year}")
    current = selectors.targets_of(authority, year)
    rows = [
        {
            "measure": m,
            "value": request.POST.get(m.value, "") if request.method == "POST" else current.get(m.value, ""),
        }
        for m in Measure
    ]
    may_edit = authority is not None and services.may_set_targets(user, authority)
    return render(
        request,
        "reports/targets.html",
        {"year": year, "authority": authority, "rows": rows, "may_edit": may_edit},
    )


# ---------------------------------------------------------------------------------------------------
# The builder


def _builder_context(user: Any, definition: builder.Definition | None, title: str) -> dict[str, Any]:
    context: dict[str, Any] = {
        "dimensions": list(builder.DIMENSIONS.values()),
        "filters": [
            {"spec": f, "choices": f.choices() if f.choices else None}
            for f in builder.FILTERS.values()
            if f.key not in builder.NUMBER_FILTERS
        ],
        "units": [],
        "definition": definition,
        "chosen": (definition.dimensions if definition else []) + [""] * builder.MAX_DIMENSIONS,
        "title": title,
    }
    from thidua.accounts.scope import scope_q
    from thidua.organisation.models import Unit

    context["units"] = list(
        Unit.objects.filter(scope_q(user, None), valid_to__isnull=True)
        .order_by("path")
        .values_list("pk", "name", "path")[:500]
    )
    return context


def _report_title(definition: builder.Definition) -> str:
    labels = [str(builder.DIMENSIONS[k].label).lower() for k in definition.dimensions]
    title = _("Khen thưởng theo {dims}").format(dims=", ".join(labels))
    if "year" in definition.filters:
        title += " " + _("năm {year}").format(year=definition.filters["year"])
    return title


def _run(
    request: HttpRequest, user: Any, definition: builder.Definition, title: str, export_url: str
) -> dict[str, Any]:
    context = _builder_context(user, definition, title)
    try:
        report = selectors.run_report(user=user, definition=definition)
    except ValidationError as exc:
        messages.error(request, " ".join(str(m) for m in exc.messages))
        return context
    context["report"] = report
    context["chart"] = charts.report_chart(report, title, export_url)
    return context


@login_required
def builder_page(request: HttpRequest) -> HttpResponseBase:
    user = require_perm(request, PERM)
    if not request.GET:
        return render(request, "reports/builder.html", _builder_context(user, None, ""))
    try:
        definition = builder.from_query(request.GET)
    except ValidationError as exc:
        messages.error(request, " ".join(str(m) for m in exc.messages))
        return render(request, "reports/builder.html", _builder_context(user, None, ""), status=400)
    query = urlencode(definition.query_items())
    title = _report_title(definition)
    context = _run(request, user, definition, title, reverse("reports:builder_export") + "?" + query)
    context["query"] = query
    return render(request, "reports/builder.html", context)


@login_required
def builder_export(request: HttpRequest) -> HttpResponseBase:
    user = require_perm(request, PERM)
    try:
        definition = builder.from_query(request.GET)
        report = selectors.run_report(user=user, definition=definition)
    except ValidationError as exc:
        messages.error(request, " ".join(str(m) for m in exc.messages))
        return redirect("reports:builder")
    title = _report_title(definition)
    return table_xlsx(charts.report_table(report, title), filename="bao-cao-tu-chon.xlsx", title=_("Báo cáo"))


@login_required
@require_POST
def builder_save(request: HttpRequest) -> HttpResponseBase:
    user = require_perm(request, PERM)
    saved: list[Any] = []

    def save() -> None:
        definition = builder.from_query(request.POST)
        saved.append(
            services.saved_report_create(
                actor=user,
                name=request.POST.get("name", ""),
                definition=definition.as_json(),
                shared=parse_flag(request.POST.get("shared")),
            )
        )

    if attempt(request, save, _("Đã lưu báo cáo.")):
        return redirect("reports:saved", saved[0].pk)
    keep = [(k, v) for k, v in request.POST.items() if k not in ("csrfmiddlewaretoken", "name", "shared")]
    keep = [("dim", d) for d in request.POST.getlist("dim")] + [(k, v) for k, v in keep if k != "dim"]
    return redirect(reverse("reports:builder") + "?" + urlencode(keep))


# ---------------------------------------------------------------------------------------------------
# Saved reports


@login_required
def saved_list(request: HttpRequest) -> HttpResponseBase:
    user = require_perm(request, PERM)
    reports = list(selectors.visible_reports(user).order_by("name", "id"))
    return render(request, "reports/saved_list.html", {"reports": reports})


def _saved_definition(request: HttpRequest, user: Any, pk: int) -> tuple[Any, builder.Definition]:
    report = selectors.get_report(user=user, pk=pk)
    try:
        definition = builder.parse(report.definition)
    except ValidationError:
        # Checked when saved; a choice since withdrawn from the lists makes it unreadable, not an error page.
        messages.error(request, _("Báo cáo đã lưu này dùng một chiều hoặc bộ lọc không còn được phép."))
        definition = builder.Definition(dimensions=[])
    year = _year(request)
    if year is not None:
        definition = definition.for_year(year)
    return report, definition


@login_required
def saved(request: HttpRequest, pk: int) -> HttpResponseBase:
    user = require_perm(request, PERM)
    report, definition = _saved_definition(request, user, pk)
    export_url = reverse("reports:saved_export", args=[pk])
    if _year(request) is not None:
        export_url += f"?nam={_year(request)}"
    if not definition.dimensions:
        context = _builder_context(user, None, report.name)
    else:
        context = _run(request, user, definition, f"{report.name} – {_report_title(definition)}", export_url)
    context.update(
        {
            "saved": report,
            "query": urlencode(definition.query_items()),
            "year_choices": list(range(timezone.localdate().year, timezone.localdate().year - 10, -1)),
        }
    )
    return render(request, "reports/builder.html", context)


@login_required
def saved_export(request: HttpRequest, pk: int) -> HttpResponseBase:
    user = require_perm(request, PERM)
    report, definition = _saved_definition(request, user, pk)
    if not definition.dimensions:
        return redirect("reports:saved", pk)
    try:
        result = selectors.run_report(user=user, definition=definition)
    except ValidationError as exc:
        messages.error(request, " ".join(str(m) for m in exc.messages))
        return redirect("reports:saved", pk)
    title = f"{report.name} – {_report_title(definition)}"
    return table_xlsx(charts.report_table(result, title), filename="bao-cao-da-luu.xlsx", title=_("Báo cáo"))


@login_required
@require_POST
def saved_delete(request: HttpRequest, pk: int) -> HttpResponseBase:
    user = require_perm(request, PERM)
    report = selectors.get_report(user=user, pk=pk)
    if report.owner_id != user.pk:
        raise Http404
    attempt(request, lambda: services.saved_report_delete(actor=user, report=report), _("Đã xóa báo cáo."))
    return redirect("reports:saved_list")
