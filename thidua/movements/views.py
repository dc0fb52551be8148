"""Pages of the movements. Each view parses the request, finds its objects through the scoped selectors
(outside the user's scope: 404), calls one service and renders; a refusal comes back as a Vietnamese
message on the same page with nothing written."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from thidua.core.charts import table_xlsx
from thidua.core.http import attempt as _attempt
from thidua.core.http import paginate, parse_choice, parse_int, require_perm, stored_file_response
from thidua.core.http import parse_date as _parse_date
from thidua.movements import access, charts, documents, reviews, selectors, services, workflow
from thidua.movements.models import Direction, MovementKind, Period, ReviewKind, TargetMode
from thidua.movements.workflow import MovementState, ReportState
from thidua.organisation.models import UnitKind


def _movement_for(request: HttpRequest, pk: int) -> tuple[Any, Any]:
    user = require_perm(request, "movements.view_movements")
    return user, selectors.get_movement(user=user, pk=pk)


def _report_for(request: HttpRequest, pk: int) -> tuple[Any, Any]:
    user = require_perm(request, "movements.view_movements")
    return user, selectors.get_report(user=user, pk=pk)


@login_required
def movement_list(request: HttpRequest) -> HttpResponseBase:
    user = require_perm(request, "movements.view_movements")
    state = parse_choice(request.GET.get("state"), MovementState.choices)
    year = parse_int(request.GET.get("year"))
    movements = selectors.movement_list(user=user, state=state, year=year)
    return render(
        request,
        "movements/movement_list.html",
        {
            "page": paginate(request, movements),
            "states": MovementState.choices,
            "state": state,
            "year": year,
            "can_create": user.has_perm("movements.create_movement"),
        },
    )


@login_required
def movement_create(request: HttpRequest) -> HttpResponseBase:
    user = require_perm(request, "movements.create_movement")
    offer = selectors.form_units(user=user)
    if offer["authority"] is None:
        raise Http404
    this_year = timezone.localdate().year
    form: dict[str, Any] = {
        "title": request.POST.get("title", ""),
        "kind": request.POST.get("kind", MovementKind.REGULAR),
        "year": request.POST.get("year", str(this_year)),
        "start_date": request.POST.get("start_date", ""),
        "end_date": request.POST.get("end_date", ""),
        "description": request.POST.get("description", ""),
        "report_due_days": request.POST.get("report_due_days", "5"),
        "target_mode": request.POST.get("target_mode", TargetMode.LIST),
        "target_kind": request.POST.get("target_kind", ""),
        "units": {parse_int(v) for v in request.POST.getlist("units")} - {None},
    }
    if request.method == "POST":
        kind = parse_choice(form["kind"], MovementKind.choices)
        if kind == MovementKind.REGULAR:
            year = parse_int(form["year"])
            start = dt.date(year, 1, 1) if year and 1945 <= year <= 2100 else None
            end = dt.date(year, 12, 31) if start and year else None
        else:
            start, end = _parse_date(form["start_date"]), _parse_date(form["end_date"])
        due_days = parse_int(form["report_due_days"])
        units = [u for u in offer["units"] if u.pk in form["units"]]
        if not kind or start is None or end is None or due_days is None:
            messages.error(
                request,
                _("Cần chọn loại phong trào, thời gian (năm, hoặc từ ngày đến ngày) và hạn báo cáo hợp lệ."),
            )
        else:
            created: list[Any] = []
            ok = _attempt(
                request,
                lambda: created.append(
                    services.movement_create(
                        actor=user,
                        authority=offer["authority"],
                        title=form["title"],
                        kind=kind,
                        start_date=start,
                        end_date=end,
                        description=form["description"],
                        report_due_days=due_days,
                        target_mode=parse_choice(form["target_mode"], TargetMode.choices) or TargetMode.LIST,
                        target_kind=form["target_kind"],
                        units=units,
                    )
                ),
                _("Đã lập phong trào. Hãy thêm tiêu chí, chỉ tiêu và kế hoạch rồi phát động."),
            )
            if ok:
                return redirect("movements:detail", created[0].pk)
    return render(
        request,
        "movements/movement_form.html",
        {
            **offer,
            "form": form,
            "kinds": MovementKind.choices,
            "modes": TargetMode.choices,
            "unit_kinds": UnitKind.choices,
        },
    )


@login_required
def movement_detail(request: HttpRequest, pk: int) -> HttpResponseBase:
    user = require_perm(request, "movements.view_movements")
    page = selectors.movement_page(user=user, pk=pk, unit_page=request.GET.get("page"))
    drawn = page.movement.state != MovementState.DRAFT
    return render(
        request,
        "movements/movement_detail.html",
        {
            "page": page,
            # A province-wide movement has a thousand units, each with its periods: a page of them at a
            # time (the totals above are over all of them).
            "unit_rows": page.unit_rows,
            "criteria_chart": charts.criteria_chart(page) if drawn else None,
            "units_chart": charts.units_chart(page) if drawn and page.units else None,
            "m": page.movement,
            "today": timezone.localdate(),
            "directions": Direction.choices,
            "periods": Period.choices,
            "movement_steps": [s for s in workflow.MOVEMENT_STEPS if page.perms.get(f"step_{s.name}")],
            "reviews": reviews.reviews_of(movement=page.movement),
        },
    )


@login_required
@require_POST
def criterion_add(request: HttpRequest, pk: int) -> HttpResponseBase:
    user, movement = _movement_for(request, pk)
    p = request.POST
    _attempt(
        request,
        lambda: services.criterion_add(
            actor=user,
            movement=movement,
            name=p.get("name", ""),
            unit_of_measure=p.get("unit_of_measure", ""),
            target=p.get("target", ""),
            direction=p.get("direction", Direction.AT_LEAST),
            weight=p.get("weight", "1") or "1",
            period=p.get("period", Period.QUARTER),
            evidence_required=p.get("evidence_required", ""),
        ),
        _("Đã thêm tiêu chí."),
    )
    return redirect(reverse("movements:detail", args=[pk]) + "#tieu-chi")


@login_required
@require_POST
def criterion_remove(request: HttpRequest, pk: int, cid: int) -> HttpResponseBase:
    user, movement = _movement_for(request, pk)
    criterion = selectors.get_movement_criterion(movement, cid)
    _attempt(
        request, lambda: services.criterion_remove(actor=user, criterion=criterion), _("Đã bỏ tiêu chí.")
    )
    return redirect(reverse("movements:detail", args=[pk]) + "#tieu-chi")


@login_required
@require_POST
def unit_target_set(request: HttpRequest, pk: int) -> HttpResponseBase:
    user, movement = _movement_for(request, pk)
    unit_id, cid = parse_int(request.POST.get("unit")), parse_int(request.POST.get("criterion"))
    if unit_id is None or cid is None:
        raise Http404
    criterion = selectors.get_movement_criterion(movement, cid)
    unit = selectors.target_unit(movement, unit_id)
    _attempt(
        request,
        lambda: services.unit_target_set(
            actor=user, criterion=criterion, unit=unit, target=request.POST.get("target", "")
        ),
        _("Đã giao chỉ tiêu cho {unit}.").format(unit=unit.name),
    )
    return redirect(reverse("movements:detail", args=[pk]) + "#don-vi")


@login_required
@require_POST
def document_add(request: HttpRequest, pk: int) -> HttpResponseBase:
    user, movement = _movement_for(request, pk)
    uploads = request.FILES.getlist("file")
    _attempt(
        request,
        lambda: services.documents_add(actor=user, movement=movement, uploads=uploads),
        _("Đã đính kèm văn bản."),
    )
    return redirect(reverse("movements:detail", args=[pk]) + "#van-ban")


@login_required
def document_download(request: HttpRequest, pk: int, file_id: int) -> HttpResponseBase:
    user, movement = _movement_for(request, pk)
    document = selectors.get_document(user=user, movement=movement, pk=file_id)
    return stored_file_response(document)


@login_required
@require_POST
def movement_step(request: HttpRequest, pk: int, action: str) -> HttpResponseBase:
    user, movement = _movement_for(request, pk)
    step = workflow.MOVEMENT_BY_SLUG.get(action)
    if step is None:
        raise Http404
    _attempt(
        request,
        lambda: services.movement_step(
            actor=user, movement=movement, action=step.name, text=request.POST.get("text", "")
        ),
        str(step.success),
    )
    return redirect("movements:detail", pk)


@login_required
@require_POST
def report_open(request: HttpRequest, pk: int) -> HttpResponseBase:
    user, movement = _movement_for(request, pk)
    unit_id = parse_int(request.POST.get("unit"))
    period_end = _parse_date(request.POST.get("period"))
    if unit_id is None or period_end is None:
        raise Http404
    unit = selectors.target_unit(movement, unit_id)
    opened: list[Any] = []
    if _attempt(
        request,
        lambda: opened.append(
            services.report_open(actor=user, movement=movement, unit=unit, period_end=period_end)
        ),
        "",
    ):
        return redirect("movements:report", opened[0].pk)
    return redirect("movements:detail", pk)


# ---------------------------------------------------------------------------------------------------
# Reports


@login_required
def report_list(request: HttpRequest) -> HttpResponseBase:
    user = require_perm(request, "movements.view_movements")
    state = parse_choice(request.GET.get("state"), ReportState.choices)
    if "state" not in request.GET and user.role == "board_specialist":
        state = ReportState.SUBMITTED
    return render(
        request,
        "movements/report_list.html",
        {
            "page": paginate(request, selectors.report_list(user=user, state=state)),
            "states": ReportState.choices,
            "state": state,
        },
    )


@login_required
def report_detail(request: HttpRequest, pk: int) -> HttpResponseBase:
    user = require_perm(request, "movements.view_movements")
    page = selectors.report_page(user=user, pk=pk)
    return render(
        request,
        "movements/report_detail.html",
        {
            "page": page,
            "r": page.report,
            "steps": [s for s in workflow.REPORT_STEPS if page.perms.get(f"step_{s.name}")],
        },
    )


@login_required
@require_POST
def report_save(request: HttpRequest, pk: int) -> HttpResponseBase:
    user, report = _report_for(request, pk)
    values: dict[int, tuple[Any, str]] = {}
    for key, raw in request.POST.items():
        if key.startswith("value-"):
            cid = parse_int(key.removeprefix("value-"))
            if cid is not None:
                values[cid] = (raw, request.POST.get(f"note-{cid}", ""))
    _attempt(
        request,
        lambda: services.report_save(
            actor=user, report=report, values=values, narrative=request.POST.get("narrative", "")
        ),
        _("Đã lưu báo cáo."),
    )
    return redirect("movements:report", pk)


@login_required
@require_POST
def evidence_add(request: HttpRequest, pk: int) -> HttpResponseBase:
    user, report = _report_for(request, pk)
    criterion = None
    cid = parse_int(request.POST.get("criterion"))
    if cid is not None:
        criterion = selectors.get_movement_criterion(report.movement, cid)
    uploads = request.FILES.getlist("file")
    _attempt(
        request,
        lambda: services.evidence_add_many(actor=user, report=report, uploads=uploads, criterion=criterion),
        _("Đã đính kèm minh chứng."),
    )
    return redirect(reverse("movements:report", args=[pk]) + "#minh-chung")


@login_required
def evidence_download(request: HttpRequest, pk: int, file_id: int) -> HttpResponseBase:
    user, report = _report_for(request, pk)
    evidence = selectors.get_evidence(user=user, report=report, pk=file_id)
    return stored_file_response(evidence)


@login_required
@require_POST
def evidence_remove(request: HttpRequest, pk: int, file_id: int) -> HttpResponseBase:
    user, report = _report_for(request, pk)
    evidence = selectors.get_evidence(user=user, report=report, pk=file_id)
    _attempt(request, lambda: services.evidence_remove(actor=user, evidence=evidence), _("Đã bỏ tệp."))
    return redirect(reverse("movements:report", args=[pk]) + "#minh-chung")


@login_required
@require_POST
def report_step(request: HttpRequest, pk: int, action: str) -> HttpResponseBase:
    user, report = _report_for(request, pk)
    step = workflow.REPORT_BY_SLUG.get(action)
    if step is None:
        raise Http404
    _attempt(
        request,
        lambda: services.report_step(
            actor=user, report=report, action=step.name, text=request.POST.get("text", "")
        ),
        str(step.success),
    )
    return redirect("movements:report", pk)


# ---------------------------------------------------------------------------------------------------
# Reviews (sơ kết, tổng kết)

REVIEW_FIELDS = (*services.REVIEW_TEXT_FIELDS, *services.REVIEW_DETAIL_FIELDS)


def _review_form(request: HttpRequest, review: Any = None) -> dict[str, str]:
    if request.method == "POST":
        return {name: request.POST.get(name, "") for name in ("held_on", *REVIEW_FIELDS)}
    if review is None:
        return {"held_on": timezone.localdate().isoformat(), **dict.fromkeys(REVIEW_FIELDS, "")}
    return {"held_on": review.held_on.isoformat(), **{name: getattr(review, name) for name in REVIEW_FIELDS}}


def _render_review_form(
    request: HttpRequest, movement: Any, kind: str, form: dict[str, str], review: Any = None
) -> HttpResponseBase:
    return render(
        request,
        "movements/review_form.html",
        {"m": movement, "kind": kind, "kind_label": ReviewKind(kind).label, "form": form, "review": review},
    )


def _held_on(request: HttpRequest, kind: str) -> dt.date | None:
    held_on = _parse_date(request.POST.get("held_on"))
    if held_on is None:
        messages.error(
            request,
            _("Cần nhập ngày {kind} hợp lệ (ngày/tháng/năm).").format(
                kind=str(ReviewKind(kind).label).lower()
            ),
        )
    return held_on


@login_required
def review_create(request: HttpRequest, pk: int, kind_slug: str) -> HttpResponseBase:
    user, movement = _movement_for(request, pk)
    kind = reviews.review_kind_for(kind_slug)
    if not access.manages(user, movement):
        raise Http404
    form = _review_form(request)
    if request.method == "POST":
        held_on = _held_on(request, kind)
        created: list[Any] = []
        if held_on is not None and _attempt(
            request,
            lambda: created.append(
                services.review_record(
                    actor=user,
                    movement=movement,
                    kind=kind,
                    held_on=held_on,
                    **{name: form[name] for name in REVIEW_FIELDS},
                )
            ),
            _("Đã ghi {kind} phong trào.").format(kind=str(ReviewKind(kind).label).lower()),
        ):
            return redirect("movements:review", pk, created[0].pk)
    return _render_review_form(request, movement, kind, form)


@login_required
def review_edit(request: HttpRequest, pk: int, rid: int) -> HttpResponseBase:
    user = require_perm(request, "movements.view_movements")
    review = reviews.get_review(user=user, movement_pk=pk, pk=rid)
    if not access.manages(user, review.movement):
        raise Http404
    form = _review_form(request, review)
    if request.method == "POST":
        held_on = _held_on(request, review.kind)
        if held_on is not None and _attempt(
            request,
            lambda: services.review_update(
                actor=user, review=review, held_on=held_on, **{name: form[name] for name in REVIEW_FIELDS}
            ),
            _("Đã lưu nội dung đánh giá."),
        ):
            return redirect("movements:review", pk, rid)
    return _render_review_form(request, review.movement, review.kind, form, review)


@login_required
def review_detail(request: HttpRequest, pk: int, rid: int) -> HttpResponseBase:
    user = require_perm(request, "movements.view_movements")
    page = reviews.review_page(user=user, movement_pk=pk, pk=rid)
    return render(
        request,
        "movements/review_detail.html",
        {"page": page, "r": page.review, "m": page.movement},
    )


# ---------------------------------------------------------------------------------------------------
# Progress charts: their pages and their tables in Excel


@login_required
def progress_periods(request: HttpRequest, pk: int) -> HttpResponseBase:
    user = require_perm(request, "movements.view_movements")
    series = selectors.progress_series(user=user, pk=pk)
    if series.movement.state == MovementState.DRAFT:
        raise Http404
    with_criteria = request.GET.get("tieu-chi") == "1"
    return render(
        request,
        "movements/progress_periods.html",
        {
            "series": series,
            "m": series.movement,
            "chart": charts.series_chart(series, with_criteria=with_criteria),
            "with_criteria": with_criteria,
        },
    )


PROGRESS_TABLES = {"tieu-chi", "don-vi", "theo-ky"}


@login_required
def progress_export(request: HttpRequest, pk: int, table: str) -> HttpResponseBase:
    """A progress chart's table as Excel, over the same units as the page: by criterion, every unit
    (not only those charted), or by period."""
    user = require_perm(request, "movements.view_movements")
    if table not in PROGRESS_TABLES:
        raise Http404
    if table == "theo-ky":
        series = selectors.progress_series(user=user, pk=pk)
        movement, data = series.movement, charts.series_table(series)
    else:
        page = selectors.movement_page(user=user, pk=pk)
        movement = page.movement
        data = charts.criteria_table(page) if table == "tieu-chi" else charts.all_units_table(page)
    if movement.state == MovementState.DRAFT:
        raise Http404
    return table_xlsx(
        data,
        filename=f"tien-do-{table}-{movement.code}.xlsx".replace("/", "-"),
        title=_("Tiến độ"),
    )


@login_required
def review_document(request: HttpRequest, pk: int, rid: int, fmt: str) -> HttpResponseBase:
    user = require_perm(request, "movements.view_movements")
    if fmt not in ("docx", "pdf"):
        raise Http404
    review = reviews.get_review_for_report(user=user, movement_pk=pk, pk=rid)
    return documents.document_response(review, reviews.figures_of(review), fmt)


@login_required
def running_export(request: HttpRequest) -> HttpResponseBase:
    """The dashboard's chart of the running movements as Excel, over the units in the user's scope."""
    user = require_perm(request, "movements.view_movements")
    return table_xlsx(
        charts.running_table(selectors.running_progress(user=user)),
        filename="tien-do-phong-trao-dang-dien-ra.xlsx",
        title=_("Phong trào đang diễn ra"),
    )
