"""Pages of the registrations. Each view parses the request, finds its objects through the scoped
selectors (outside the user's scope: 404), calls one service and renders; a refusal comes back as a
Vietnamese message on the same page with nothing written."""

from __future__ import annotations

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
from thidua.core.http import paginate, parse_choice, parse_int, require_perm
from thidua.core.xlsx import xlsx_response
from thidua.registrations import charts, selectors, services, workflow
from thidua.registrations.deadline import deadline_for, open_year
from thidua.registrations.workflow import RegistrationState

PERM = "registrations.view_registrations"


def _text(value: Any) -> str:
    """A cell of user data written as text: never a number, a date or a formula Excel would evaluate."""
    return "" if value is None else str(value)


def _registration_for(request: HttpRequest, pk: int) -> tuple[Any, Any]:
    user = require_perm(request, PERM)
    return user, selectors.get_registration(user=user, pk=pk)


def _year(request: HttpRequest, default: int) -> int:
    year = parse_int(request.GET.get("year"))
    return year if year and 1945 <= year <= 2100 else default


@login_required
def registration_list(request: HttpRequest) -> HttpResponseBase:
    user = require_perm(request, PERM)
    today = timezone.localdate()
    year = parse_int(request.GET.get("year"))
    state = parse_choice(request.GET.get("state"), RegistrationState.choices)
    if "state" not in request.GET and user.role == "board_specialist":
        state = RegistrationState.SUBMITTED
    start_year = year if year and today.year - 1 <= year <= today.year + 1 else open_year(today)
    return render(
        request,
        "registrations/registration_list.html",
        {
            "page": paginate(request, selectors.registration_list(user=user, year=year, state=state)),
            "states": RegistrationState.choices,
            "state": state,
            "year": year,
            "units": selectors.units_to_register(user=user),
            "start_year": start_year,
            "years": [today.year - 1, today.year, today.year + 1],
            "deadline": deadline_for(start_year),
            "today": today,
        },
    )


@login_required
@require_POST
def registration_open(request: HttpRequest) -> HttpResponseBase:
    user = require_perm(request, PERM)
    unit_id = parse_int(request.POST.get("unit"))
    unit = next((u for u in selectors.units_to_register(user=user) if u.pk == unit_id), None)
    year = parse_int(request.POST.get("year"))
    if unit is None or year is None:
        raise Http404
    opened: list[Any] = []
    ok = _attempt(
        request, lambda: opened.append(services.registration_open(actor=user, unit=unit, year=year)), ""
    )
    if ok:
        return redirect("registrations:detail", opened[0].pk)
    return redirect(reverse("registrations:list") + f"?year={year}")


@login_required
def registration_detail(request: HttpRequest, pk: int) -> HttpResponseBase:
    user = require_perm(request, PERM)
    page = selectors.registration_page(user=user, pk=pk)
    return render(
        request,
        "registrations/registration_detail.html",
        {
            "page": page,
            "r": page.registration,
            "steps": [s for s in workflow.STEPS if page.perms.get(f"step_{s.name}")],
            "default_title": services.DEFAULT_PERSON_TITLE,
        },
    )


@login_required
@require_POST
def collective_add(request: HttpRequest, pk: int) -> HttpResponseBase:
    user, registration = _registration_for(request, pk)
    unit_id = parse_int(request.POST.get("collective"))
    collective = selectors.get_unit_in_registration(registration, unit_id) if unit_id else None
    _attempt(
        request,
        lambda: services.collective_add(
            actor=user,
            registration=registration,
            award_code=request.POST.get("award", ""),
            collective=collective,
        ),
        _("Đã thêm danh hiệu tập thể."),
    )
    return redirect(reverse("registrations:detail", args=[pk]) + "#tap-the")


@login_required
@require_POST
def collective_remove(request: HttpRequest, pk: int, line_id: int) -> HttpResponseBase:
    user, registration = _registration_for(request, pk)
    line = selectors.get_collective_line(registration, line_id)
    _attempt(request, lambda: services.collective_remove(actor=user, line=line), _("Đã bỏ danh hiệu."))
    return redirect(reverse("registrations:detail", args=[pk]) + "#tap-the")


@login_required
@require_POST
def people_set(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The people table: `title-<person id>` for each listed person (empty: remove), and `add-person` with
    `add-title` for one more."""
    user, registration = _registration_for(request, pk)
    titles: dict[int, str] = {}
    for key in request.POST:
        if key.startswith("title-"):
            pid = parse_int(key.removeprefix("title-"))
            if pid is not None:
                titles[pid] = request.POST.get(key, "").strip()
    for raw in request.POST.getlist("remove"):
        number = parse_int(raw)
        if number is not None:
            titles[number] = ""
    added = parse_int(request.POST.get("add-person"))
    if added is not None:
        titles[added] = request.POST.get("add-title", services.DEFAULT_PERSON_TITLE).strip()
    _attempt(
        request,
        lambda: services.people_set(actor=user, registration=registration, titles=titles),
        _("Đã lưu danh sách cá nhân đăng ký."),
    )
    return redirect(reverse("registrations:detail", args=[pk]) + "#ca-nhan")


@login_required
@require_POST
def people_add_all(request: HttpRequest, pk: int) -> HttpResponseBase:
    user, registration = _registration_for(request, pk)
    added: list[int] = []
    ok = _attempt(
        request,
        lambda: added.append(
            services.people_add_all(
                actor=user,
                registration=registration,
                award_code=request.POST.get("award", services.DEFAULT_PERSON_TITLE),
                include_subunits=request.POST.get("subunits") == "1",
            )
        ),
        "",
    )
    if ok:
        messages.success(
            request,
            _("Đã thêm {n} người; sửa danh hiệu của người đăng ký cao hơn rồi lưu.").format(n=added[0]),
        )
    return redirect(reverse("registrations:detail", args=[pk]) + "#ca-nhan")


@login_required
@require_POST
def pledge_save(request: HttpRequest, pk: int, movement_id: int) -> HttpResponseBase:
    user, registration = _registration_for(request, pk)
    movement = selectors.get_pledge_movement(registration, movement_id)
    targets: dict[int, Any] = {}
    for key in request.POST:
        if key.startswith("target-"):
            cid = parse_int(key.removeprefix("target-"))
            if cid is not None:
                targets[cid] = request.POST.get(key, "")
    _attempt(
        request,
        lambda: services.pledge_save(
            actor=user,
            registration=registration,
            movement=movement,
            text=request.POST.get("text", ""),
            targets=targets,
        ),
        _("Đã lưu đăng ký tham gia phong trào."),
    )
    return redirect(reverse("registrations:detail", args=[pk]) + f"#phong-trao-{movement_id}")


@login_required
@require_POST
def pledge_remove(request: HttpRequest, pk: int, movement_id: int) -> HttpResponseBase:
    user, registration = _registration_for(request, pk)
    pledge = registration.pledges.filter(movement_id=movement_id).first()
    if pledge is None:
        raise Http404
    _attempt(request, lambda: services.pledge_remove(actor=user, pledge=pledge), _("Đã bỏ đăng ký."))
    return redirect(reverse("registrations:detail", args=[pk]) + "#phong-trao")


@login_required
@require_POST
def note_save(request: HttpRequest, pk: int) -> HttpResponseBase:
    user, registration = _registration_for(request, pk)
    _attempt(
        request,
        lambda: services.note_save(actor=user, registration=registration, note=request.POST.get("note", "")),
        _("Đã lưu ghi chú."),
    )
    return redirect("registrations:detail", pk)


@login_required
@require_POST
def registration_step(request: HttpRequest, pk: int, action: str) -> HttpResponseBase:
    user, registration = _registration_for(request, pk)
    step = workflow.BY_SLUG.get(action)
    if step is None:
        raise Http404
    _attempt(
        request,
        lambda: services.registration_step(
            actor=user, registration=registration, action=step.name, text=request.POST.get("text", "")
        ),
        str(step.success),
    )
    return redirect("registrations:detail", pk)


@login_required
def registration_export(request: HttpRequest, pk: int) -> HttpResponseBase:
    user = require_perm(request, PERM)
    page = selectors.registration_page(user=user, pk=pk)
    r = page.registration
    rows: list[list[Any]] = []
    for line in page.collectives:
        rows.append([_("Tập thể"), _text(line.collective.name), "", _text(line.award_type.name)])
    for p in page.people:
        rows.append(
            [_("Cá nhân"), _text(p.person.full_name), _text(p.person.unit.name), _text(p.award_type.name)]
        )
    for row in page.pledges:
        if row.pledge is not None:
            figures = "; ".join(
                f"{c.name}: {row.targets[c.pk].target} {c.unit_of_measure}"
                for c in row.criteria
                if c.pk in row.targets
            )
            rows.append([_("Phong trào"), _text(row.movement.title), _text(figures), _text(row.pledge.text)])
    return xlsx_response(
        filename=f"dang-ky-thi-dua-{r.year}-{r.unit.code}.xlsx",
        title=_("Đăng ký {year}").format(year=r.year),
        headers=[_("Loại"), _("Tập thể, cá nhân, phong trào"), _("Đơn vị công tác, chỉ tiêu"), _("Đăng ký")],
        rows=rows,
        widths=[12, 40, 40, 50],
    )


@login_required
def summary(request: HttpRequest) -> HttpResponseBase:
    user = require_perm(request, PERM)
    year = _year(request, open_year(timezone.localdate()))
    approved_only = request.GET.get("approved") == "1"
    data = selectors.summary(user=user, year=year, approved_only=approved_only)
    today = timezone.localdate()
    return render(
        request,
        "registrations/summary.html",
        {
            "s": data,
            "years": list(range(today.year + 1, today.year - 5, -1)),
            "today": today,
            "titles_chart": charts.titles_chart(data) if data.titles else None,
        },
    )


@login_required
def summary_export(request: HttpRequest) -> HttpResponseBase:
    user = require_perm(request, PERM)
    year = _year(request, open_year(timezone.localdate()))
    data = selectors.summary(user=user, year=year, approved_only=request.GET.get("approved") == "1")
    headers = [_("Đơn vị"), _("Trạng thái"), _("Gửi trễ hạn")] + [a.name for a in data.titles] + [_("Tổng")]
    rows: list[list[Any]] = []
    for row in data.rows:
        rows.append(
            [
                _text(row.unit.name),
                _text(row.registration.get_state_display()),
                _("Có") if row.registration.is_late else "",
                *[row.counts.get(a.pk, 0) for a in data.titles],
                row.total,
            ]
        )
    rows.append([_("Tổng cộng"), "", "", *[data.totals[a.pk] for a in data.titles], data.total])
    return xlsx_response(
        filename=f"tong-hop-dang-ky-thi-dua-{year}.xlsx",
        title=_("Tổng hợp đăng ký {year}").format(year=year),
        headers=headers,
        rows=rows,
    )


@login_required
def titles_export(request: HttpRequest) -> HttpResponseBase:
    """The chart of registrations by title as Excel: the summary's scope, year and states."""
    user = require_perm(request, PERM)
    year = _year(request, open_year(timezone.localdate()))
    data = selectors.summary(user=user, year=year, approved_only=request.GET.get("approved") == "1")
    return table_xlsx(
        charts.titles_table(data),
        filename=f"dang-ky-theo-danh-hieu-{year}.xlsx",
        title=_("Theo danh hiệu {year}").format(year=year),
    )
