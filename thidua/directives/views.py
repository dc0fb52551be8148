"""Pages of directive tracking. Each view parses the request, finds its objects through the scoped
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
from thidua.core.http import paginate, parse_choice, parse_int, require_perm, stored_file_response
from thidua.core.http import parse_date as _parse_date
from thidua.directives import access, charts, documents, selectors, services, workflow
from thidua.directives.models import DEFAULT_REMINDER_WORKING_DAYS, DirectiveKind, Recurrence
from thidua.directives.workflow import DirectiveState
from thidua.organisation.models import Unit


def _directive_for(request: HttpRequest, pk: int) -> tuple[Any, Any]:
    user = require_perm(request, "directives.view_directives")
    return user, selectors.get_directive(user=user, pk=pk)


@login_required
def directive_list(request: HttpRequest) -> HttpResponseBase:
    user = require_perm(request, "directives.view_directives")
    kind = parse_choice(request.GET.get("kind"), DirectiveKind.choices)
    state = parse_choice(request.GET.get("state"), DirectiveState.choices)
    return render(
        request,
        "directives/directive_list.html",
        {
            "page": paginate(request, selectors.directive_list(user=user, kind=kind, state=state)),
            "kinds": DirectiveKind.choices,
            "states": DirectiveState.choices,
            "kind": kind,
            "state": state,
            "can_create": user.has_perm("directives.create_directive"),
        },
    )


@login_required
def directive_create(request: HttpRequest) -> HttpResponseBase:
    user = require_perm(request, "directives.create_directive")
    offer = selectors.form_units(user=user)
    if offer["authority"] is None:
        raise Http404
    form = {
        "kind": request.POST.get("kind", DirectiveKind.DIRECTIVE),
        "number": request.POST.get("number", ""),
        "issued_on": request.POST.get("issued_on", ""),
        "title": request.POST.get("title", ""),
        "summary": request.POST.get("summary", ""),
        "reminder_days": request.POST.get("reminder_days", str(DEFAULT_REMINDER_WORKING_DAYS)),
    }
    if request.method == "POST":
        issued_on = _parse_date(form["issued_on"])
        days = parse_int(form["reminder_days"])
        if issued_on is None or days is None:
            messages.error(request, _("Cần nhập ngày ban hành và số ngày nhắc trước hạn hợp lệ."))
        else:
            created: list[Any] = []
            if _attempt(
                request,
                lambda: created.append(
                    services.directive_create(
                        actor=user,
                        authority=offer["authority"],
                        kind=form["kind"],
                        number=form["number"],
                        issued_on=issued_on,
                        title=form["title"],
                        summary=form["summary"],
                        reminder_days=days,
                    )
                ),
                _("Đã lập văn bản. Hãy thêm nhiệm vụ rồi đưa vào theo dõi."),
            ):
                return redirect("directives:detail", created[0].pk)
    return render(
        request, "directives/directive_form.html", {**offer, "form": form, "kinds": DirectiveKind.choices}
    )


@login_required
def directive_detail(request: HttpRequest, pk: int) -> HttpResponseBase:
    user = require_perm(request, "directives.view_directives")
    page = selectors.directive_page(user=user, pk=pk)
    offer = selectors.form_units(user=user) if page.perms["edit"] else {"units": []}
    return render(
        request,
        "directives/directive_detail.html",
        {
            "page": page,
            "d": page.directive,
            "units": offer["units"],
            "today": timezone.localdate(),
            "years": selectors.summary_years(page.directive) if page.perms["export"] else [],
            "status_chart": charts.status_chart(page),
            "recurrences": Recurrence.choices,
            "steps": [s for s in workflow.STEPS if page.perms.get(f"step_{s.name}")],
        },
    )


def _unit(user: Any, raw: str | None) -> Unit:
    unit_id = parse_int(raw)
    units = {u.pk: u for u in selectors.form_units(user=user)["units"]}
    if unit_id is None or unit_id not in units:
        raise Http404
    return units[unit_id]


@login_required
@require_POST
def task_add(request: HttpRequest, pk: int) -> HttpResponseBase:
    user, directive = _directive_for(request, pk)
    p = request.POST
    offer = {u.pk: u for u in selectors.form_units(user=user)["units"]}
    lead = offer.get(parse_int(p.get("lead_unit")) or 0)
    coordinating = [offer[i] for i in (parse_int(v) for v in p.getlist("coordinating_units")) if i in offer]
    if lead is None:
        messages.error(request, _("Cần chọn đơn vị chủ trì."))
        return redirect(reverse("directives:detail", args=[pk]) + "#nhiem-vu")
    _attempt(
        request,
        lambda: services.task_add(
            actor=user,
            directive=directive,
            item=p.get("item", ""),
            text=p.get("text", ""),
            lead_unit=lead,
            coordinating_units=coordinating,
            recurrence=p.get("recurrence", Recurrence.ONCE),
            due_date=_parse_date(p.get("due_date")),
            due_day=parse_int(p.get("due_day")),
            due_month=parse_int(p.get("due_month")),
            start_year=parse_int(p.get("start_year")),
            end_year=parse_int(p.get("end_year")),
            expected_report=p.get("expected_report", ""),
        ),
        _("Đã thêm nhiệm vụ."),
    )
    return redirect(reverse("directives:detail", args=[pk]) + "#nhiem-vu")


@login_required
@require_POST
def task_remove(request: HttpRequest, pk: int, tid: int) -> HttpResponseBase:
    user, directive = _directive_for(request, pk)
    task = selectors.get_own_task(directive=directive, pk=tid)
    _attempt(request, lambda: services.task_remove(actor=user, task=task), _("Đã bỏ nhiệm vụ."))
    return redirect(reverse("directives:detail", args=[pk]) + "#nhiem-vu")


@login_required
@require_POST
def document_add(request: HttpRequest, pk: int) -> HttpResponseBase:
    user, directive = _directive_for(request, pk)
    uploads = request.FILES.getlist("file")
    _attempt(
        request,
        lambda: services.documents_add(actor=user, directive=directive, uploads=uploads),
        _("Đã đính kèm văn bản."),
    )
    return redirect(reverse("directives:detail", args=[pk]) + "#van-ban")


@login_required
def document_download(request: HttpRequest, pk: int, file_id: int) -> HttpResponseBase:
    _user, directive = _directive_for(request, pk)
    document = selectors.get_document(directive=directive, pk=file_id)
    return stored_file_response(document)


@login_required
@require_POST
def directive_step(request: HttpRequest, pk: int, action: str) -> HttpResponseBase:
    user, directive = _directive_for(request, pk)
    step = workflow.BY_SLUG.get(action)
    if step is None:
        raise Http404
    _attempt(
        request,
        lambda: services.directive_step(
            actor=user, directive=directive, action=step.name, comment=request.POST.get("text", "")
        ),
        str(step.success),
    )
    return redirect("directives:detail", pk)


@login_required
@require_POST
def inspected_set(request: HttpRequest, pk: int) -> HttpResponseBase:
    user, directive = _directive_for(request, pk)
    unit = _unit(user, request.POST.get("unit"))
    findings = request.POST.get("findings")
    _attempt(
        request,
        lambda: services.inspected_unit_set(
            actor=user,
            directive=directive,
            unit=unit,
            inspected_on=_parse_date(request.POST.get("inspected_on")),
            findings=findings,
        ),
        _("Đã ghi đơn vị được kiểm tra."),
    )
    return redirect(reverse("directives:detail", args=[pk]) + "#kiem-tra")


@login_required
@require_POST
def recommendation_add(request: HttpRequest, pk: int, iid: int) -> HttpResponseBase:
    user, directive = _directive_for(request, pk)
    inspected = selectors.get_inspected(directive=directive, pk=iid)
    due = _parse_date(request.POST.get("due_date"))
    if due is None:
        messages.error(request, _("Cần nhập hạn báo cáo thực hiện kiến nghị."))
    else:
        _attempt(
            request,
            lambda: services.recommendation_add(
                actor=user,
                inspected=inspected,
                text=request.POST.get("text", ""),
                due_date=due,
                expected_report=request.POST.get("expected_report", ""),
            ),
            _("Đã giao kiến nghị thành nhiệm vụ theo dõi."),
        )
    return redirect(reverse("directives:detail", args=[pk]) + "#kiem-tra")


@login_required
def summary_export(request: HttpRequest, pk: int, year: int, fmt: str) -> HttpResponseBase:
    user = require_perm(request, "directives.view_directives")
    if fmt not in ("xlsx", "docx", "pdf") or not 1945 <= year <= 2100:
        raise Http404
    summary = selectors.summary(user=user, pk=pk, year=year)
    if fmt == "xlsx":
        return documents.xlsx(summary)
    return documents.document_response(summary, user, fmt)


# ---------------------------------------------------------------------------------------------------
# A task and its reports


@login_required
def task_detail(request: HttpRequest, pk: int) -> HttpResponseBase:
    user = require_perm(request, "directives.view_directives")
    page = selectors.task_page(user=user, pk=pk)
    return render(request, "directives/task_detail.html", {"page": page, "t": page.task})


@login_required
@require_POST
def report_submit(request: HttpRequest, pk: int) -> HttpResponseBase:
    user = require_perm(request, "directives.view_directives")
    task = selectors.get_task(user=user, pk=pk)
    # The form's one choice "unit id|due date", or the two fields apart.
    unit_raw, _sep, due_raw = request.POST.get("choice", "").partition("|")
    unit_id = parse_int(request.POST.get("unit", unit_raw))
    due = _parse_date(request.POST.get("due_date", due_raw))
    unit = next((u for u in access.task_units(task) if u.pk == unit_id), None)
    if unit is None or due is None:
        raise Http404
    _attempt(
        request,
        lambda: services.report_submit(
            actor=user,
            task=task,
            unit=unit,
            due_date=due,
            text=request.POST.get("text", ""),
            uploads=request.FILES.getlist("file"),
        ),
        _("Đã gửi báo cáo."),
    )
    return redirect("directives:task", pk)


@login_required
def report_file(request: HttpRequest, pk: int, file_id: int) -> HttpResponseBase:
    user = require_perm(request, "directives.view_directives")
    task = selectors.get_task(user=user, pk=pk)
    found = selectors.get_report_file(user=user, task=task, pk=file_id)
    return stored_file_response(found)


@login_required
def status_export(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The chart of the tasks by status as Excel, over the units the directive page shows the user."""
    user = require_perm(request, "directives.view_directives")
    page = selectors.directive_page(user=user, pk=pk)
    return table_xlsx(
        charts.status_table(page),
        filename=f"tinh-hinh-bao-cao-{page.directive.pk}.xlsx",
        title=_("Tình hình báo cáo"),
    )
