"""Pages of the blocs' scoring. Each view parses the request, finds its objects through the scoped
selectors (outside what the user may see: 404), calls one service and renders; a refusal comes back as a
Vietnamese message on the same page with nothing written."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from thidua.blocs import ranking, selectors, services
from thidua.blocs.models import SheetItem
from thidua.blocs.workflow import Approver, ItemKind, Succession
from thidua.core.http import attempt as _attempt
from thidua.core.http import paginate, parse_date, parse_flag, parse_int, require_perm, stored_file_response

PERM = "blocs.view_scoring"


# Every unit's every criterion could be changed at a meeting; past that a page is the wrong tool.
MAX_MEETING_ROWS = 500


def _sheet_for(request: HttpRequest, pk: int) -> tuple[Any, Any]:
    user = require_perm(request, PERM)
    return user, selectors.get_sheet(user=user, pk=pk)


def _back(pk: int, anchor: str = "") -> HttpResponseBase:
    return redirect(reverse("blocs:sheet", args=[pk]) + anchor)


def _unit_back(pk: int, unit_id: int, anchor: str = "") -> HttpResponseBase:
    return redirect(reverse("blocs:unit_sheet", args=[pk, unit_id]) + anchor)


def _item(sheet: Any, item_id: int | None) -> SheetItem:
    item = SheetItem.objects.filter(sheet=sheet, pk=item_id).first() if item_id else None
    if item is None:
        raise Http404
    return item


@login_required
def sheet_list(request: HttpRequest) -> HttpResponseBase:
    user = require_perm(request, PERM)
    year = parse_int(request.GET.get("year"))
    return render(
        request,
        "blocs/sheet_list.html",
        {
            "page": paginate(request, selectors.sheet_list(user=user, year=year)),
            "year": year,
            "blocs": selectors.blocs_to_create(user=user),
            "this_year": timezone.localdate().year,
            "approvers": Approver.choices,
        },
    )


@login_required
@require_POST
def sheet_create(request: HttpRequest) -> HttpResponseBase:
    user = require_perm(request, PERM)
    allowed = {b.pk: b for b in selectors.blocs_to_create(user=user)}
    bloc = allowed.get(parse_int(request.POST.get("bloc")) or 0)
    year = parse_int(request.POST.get("year"))
    if bloc is None or year is None:
        messages.error(request, _("Cần chọn khối và năm."))
        return redirect("blocs:list")
    created: list[Any] = []
    if _attempt(
        request,
        lambda: created.append(
            services.sheet_create(
                actor=user,
                bloc=bloc,
                year=year,
                approver=request.POST.get("approver") or Approver.BOARD,
            )
        ),
        _("Đã lập bảng tiêu chí. Hãy thêm nhóm, tiêu chí, điểm thưởng, điểm trừ rồi trình duyệt."),
    ):
        return redirect("blocs:sheet", created[0].pk)
    return redirect("blocs:list")


@login_required
def sheet_detail(request: HttpRequest, pk: int) -> HttpResponseBase:
    user, sheet = _sheet_for(request, pk)
    page = selectors.sheet_page(user=user, sheet=sheet)
    return render(
        request,
        "blocs/sheet_detail.html",
        {
            "page": page,
            "s": sheet,
            "kinds": ItemKind.choices,
            "approvers": Approver.choices,
            "successions": Succession.choices,
            "tie_keys": [(k, ranking.KEYS[k].label) for k in sheet.tie_break],
            "all_keys": [(k.name, k.label) for k in ranking.KEYS.values()],
            "today": timezone.localdate(),
        },
    )


@login_required
@require_POST
def sheet_copy(request: HttpRequest, pk: int) -> HttpResponseBase:
    user, sheet = _sheet_for(request, pk)
    created: list[Any] = []
    if _attempt(
        request,
        lambda: created.append(services.sheet_copy(actor=user, source=sheet)),
        _("Đã sao bảng tiêu chí sang năm {year}.").format(year=sheet.year + 1),
    ):
        return redirect("blocs:sheet", created[0].pk)
    return _back(pk)


@login_required
@require_POST
def sheet_settings(request: HttpRequest, pk: int) -> HttpResponseBase:
    user, sheet = _sheet_for(request, pk)
    p = request.POST
    keys = [k for k in p.get("tie_break", "").replace(" ", "").split(",") if k]
    _attempt(
        request,
        lambda: services.sheet_update(
            actor=user,
            sheet=sheet,
            reason=p.get("reason", ""),
            approver=p.get("approver") or None,
            succession=p.get("succession") or None,
            bonus_cap=p.get("bonus_cap") or None,
            penalty_cap=p.get("penalty_cap") or None,
            vote_required=parse_flag(p.get("vote_required")),
            commendation_count=parse_int(p.get("commendation_count"))
            if p.get("commendation_count")
            else None,
            tie_break=keys or None,
            rules_text=p.get("rules_text"),
        ),
        _("Đã lưu thiết lập của bảng tiêu chí."),
    )
    return _back(pk, "#thiet-lap")


@login_required
@require_POST
def group_add(request: HttpRequest, pk: int) -> HttpResponseBase:
    user, sheet = _sheet_for(request, pk)
    _attempt(
        request,
        lambda: services.group_add(
            actor=user, sheet=sheet, name=request.POST.get("name", ""), reason=request.POST.get("reason", "")
        ),
        _("Đã thêm nhóm tiêu chí."),
    )
    return _back(pk, "#tieu-chi")


@login_required
@require_POST
def item_add(request: HttpRequest, pk: int) -> HttpResponseBase:
    user, sheet = _sheet_for(request, pk)
    p = request.POST
    group_id, parent_id = parse_int(p.get("group")), parse_int(p.get("parent"))
    group = sheet.groups.filter(pk=group_id).first() if group_id else None
    parent = sheet.items.filter(pk=parent_id).first() if parent_id else None
    _attempt(
        request,
        lambda: services.item_add(
            actor=user,
            sheet=sheet,
            name=p.get("name", ""),
            max_points=p.get("max_points", ""),
            kind=p.get("kind", ItemKind.BASE),
            group=group,
            parent=parent,
            guidance=p.get("guidance", ""),
            evidence_required=p.get("evidence_required", ""),
            reason=p.get("reason", ""),
        ),
        _("Đã thêm tiêu chí."),
    )
    return _back(pk, "#tieu-chi")


@login_required
@require_POST
def item_update(request: HttpRequest, pk: int, item_id: int) -> HttpResponseBase:
    user, sheet = _sheet_for(request, pk)
    item = _item(sheet, item_id)
    p = request.POST
    _attempt(
        request,
        lambda: services.item_update(
            actor=user,
            item=item,
            name=p.get("name"),
            max_points=p.get("max_points"),
            guidance=p.get("guidance"),
            evidence_required=p.get("evidence_required"),
            reason=p.get("reason", ""),
        ),
        _("Đã sửa tiêu chí."),
    )
    return _back(pk, "#tieu-chi")


@login_required
@require_POST
def item_remove(request: HttpRequest, pk: int, item_id: int) -> HttpResponseBase:
    user, sheet = _sheet_for(request, pk)
    item = _item(sheet, item_id)
    _attempt(request, lambda: services.item_remove(actor=user, item=item), _("Đã bỏ tiêu chí."))
    return _back(pk, "#tieu-chi")


@login_required
@require_POST
def sheet_approve(request: HttpRequest, pk: int) -> HttpResponseBase:
    user, sheet = _sheet_for(request, pk)
    _attempt(
        request,
        lambda: services.sheet_approve(actor=user, sheet=sheet, comment=request.POST.get("text", "")),
        _("Đã duyệt bảng tiêu chí: các đơn vị thành viên được báo để tự chấm."),
    )
    return _back(pk)


@login_required
@require_POST
def reviewer_assign(request: HttpRequest, pk: int) -> HttpResponseBase:
    user, sheet = _sheet_for(request, pk)
    unit = selectors.member_unit(sheet, parse_int(request.POST.get("unit")) or 0)
    reviewer_id = parse_int(request.POST.get("reviewer"))
    reviewer = selectors.member_unit(sheet, reviewer_id) if reviewer_id else None
    _attempt(
        request,
        lambda: services.reviewer_assign(actor=user, sheet=sheet, unit=unit, reviewer=reviewer),
        _("Đã phân công chấm chéo."),
    )
    return _back(pk, "#thanh-vien")


@login_required
@require_POST
def meeting_settle(request: HttpRequest, pk: int) -> HttpResponseBase:
    user, sheet = _sheet_for(request, pk)
    p = request.POST
    day = parse_date(p.get("meeting_date"))
    if day is None:
        messages.error(request, _("Cần nhập ngày họp hợp lệ."))
        return _back(pk, "#hoi-nghi")
    finals: dict[tuple[int, int], tuple[Any, str]] = {}
    # As many rows as the meeting changed ("+ Thêm dòng" adds one at a time).
    for key in p:
        index = key.removeprefix("final-target-")
        if index == key:
            continue
        unit_id, _sep, item_id = p.get(key, "").partition("-")
        uid, iid = parse_int(unit_id), parse_int(item_id)
        if uid and iid and p.get(f"final-points-{index}", "").strip():
            finals[(uid, iid)] = (p.get(f"final-points-{index}"), p.get(f"final-reason-{index}", ""))
    votes = {
        uid: p.get(key, "")
        for key in p
        if key.startswith("votes-") and (uid := parse_int(key.removeprefix("votes-"))) is not None
    }
    upload = request.FILES.get("file")
    _attempt(
        request,
        lambda: services.meeting_settle(
            actor=user,
            sheet=sheet,
            meeting_date=day,
            minutes=p.get("minutes", ""),
            finals=finals,
            votes=votes,
            upload=upload,
        ),
        _("Đã ghi kết quả hội nghị khối và chốt điểm."),
    )
    return _back(pk, "#xep-hang")


@login_required
def meeting_row(request: HttpRequest, pk: int) -> HttpResponseBase:
    """One more row of the meeting's changed scores (htmx), with the button for the next."""
    user, sheet = _sheet_for(request, pk)
    rows, scored = selectors.meeting_choices(user=user, sheet=sheet)
    n = parse_int(request.GET.get("n"))
    if n is None or not 1 <= n <= MAX_MEETING_ROWS:
        raise Http404
    context = {"n": n, "rows": rows, "scored": scored, "sheet_pk": sheet.pk}
    row = render_to_string("blocs/includes/meeting_row.html", context, request=request)
    more = render_to_string("blocs/includes/meeting_more.html", {**context, "n": n + 1}, request=request)
    return HttpResponse(row + (more if n < MAX_MEETING_ROWS else ""))


@login_required
def minutes_download(request: HttpRequest, pk: int, file_id: int) -> HttpResponseBase:
    user, sheet = _sheet_for(request, pk)
    found = selectors.get_minutes_file(user=user, sheet=sheet, pk=file_id)
    return stored_file_response(found)


@login_required
@require_POST
def ranking_publish(request: HttpRequest, pk: int) -> HttpResponseBase:
    user, sheet = _sheet_for(request, pk)
    _attempt(
        request, lambda: services.ranking_publish(actor=user, sheet=sheet), _("Đã công bố xếp hạng của khối.")
    )
    return _back(pk, "#xep-hang")


@login_required
@require_POST
def proposals_create(request: HttpRequest, pk: int) -> HttpResponseBase:
    user, sheet = _sheet_for(request, pk)
    created: list[Any] = []
    if _attempt(
        request,
        lambda: created.append(services.proposals_create(actor=user, sheet=sheet)),
        _("Đã lập hồ sơ đề nghị từ xếp hạng: Cờ thi đua cho đơn vị dẫn đầu, Bằng khen cho các đơn vị sau."),
    ):
        return redirect("proposals:detail", created[0].pk)
    return _back(pk, "#xep-hang")


@login_required
@require_POST
def leadership_decide(request: HttpRequest, pk: int) -> HttpResponseBase:
    user, sheet = _sheet_for(request, pk)
    day = parse_date(request.POST.get("decision_date"))
    if day is None:
        messages.error(request, _("Cần nhập ngày quyết định hợp lệ."))
        return _back(pk, "#khoi-truong")
    _attempt(
        request,
        lambda: services.leadership_decide(
            actor=user,
            sheet=sheet,
            decision_number=request.POST.get("decision_number", ""),
            decision_date=day,
        ),
        _("Đã ghi quyết định khối trưởng, khối phó năm {year}.").format(year=sheet.year + 1),
    )
    return _back(pk, "#khoi-truong")


@login_required
def summary_export(request: HttpRequest, pk: int) -> HttpResponseBase:
    from thidua.blocs import documents

    user, sheet = _sheet_for(request, pk)
    return documents.xlsx(sheet, selectors.visible_unit_sheets(user=user, sheet=sheet))


@login_required
def ranking_document(request: HttpRequest, pk: int, fmt: str) -> HttpResponseBase:
    from thidua.blocs import documents

    if fmt not in ("docx", "pdf"):
        raise Http404
    user, sheet = _sheet_for(request, pk)
    selectors.ranking_document_allowed(user=user, sheet=sheet)
    return documents.document_response(sheet, user, fmt)


# ---------------------------------------------------------------------------------------------------
# A member's scoring


@login_required
def unit_sheet(request: HttpRequest, pk: int, unit_id: int) -> HttpResponseBase:
    user, sheet = _sheet_for(request, pk)
    page = selectors.unit_sheet_page(user=user, sheet=sheet, unit_id=unit_id)
    return render(request, "blocs/unit_sheet.html", {"page": page, "s": sheet, "us": page.unit_sheet})


def _unit_sheet_for(request: HttpRequest, pk: int, unit_id: int) -> tuple[Any, Any]:
    user, sheet = _sheet_for(request, pk)
    page = selectors.unit_sheet_page(user=user, sheet=sheet, unit_id=unit_id)
    if page.unit_sheet is None:
        raise Http404
    return user, page.unit_sheet


@login_required
@require_POST
def unit_sheet_open(request: HttpRequest, pk: int, unit_id: int) -> HttpResponseBase:
    user, sheet = _sheet_for(request, pk)
    unit = selectors.member_unit(sheet, unit_id)
    _attempt(request, lambda: services.unit_sheet_open(actor=user, sheet=sheet, unit=unit), "")
    return _unit_back(pk, unit_id)


def _values(request: HttpRequest, prefix: str) -> dict[int, str]:
    return {
        item_id: request.POST.get(key, "")
        for key in request.POST
        if key.startswith(prefix) and (item_id := parse_int(key.removeprefix(prefix))) is not None
    }


@login_required
@require_POST
def self_score_save(request: HttpRequest, pk: int, unit_id: int) -> HttpResponseBase:
    user, found = _unit_sheet_for(request, pk, unit_id)
    _attempt(
        request,
        lambda: services.self_score_save(
            actor=user,
            unit_sheet=found,
            scores=_values(request, "points-"),
            notes=_values(request, "note-"),
            explanation=request.POST.get("explanation"),
        ),
        _("Đã lưu điểm tự chấm."),
    )
    return _unit_back(pk, unit_id)


@login_required
@require_POST
def evidence_add(request: HttpRequest, pk: int, unit_id: int) -> HttpResponseBase:
    user, found = _unit_sheet_for(request, pk, unit_id)
    item = _item(found.sheet, parse_int(request.POST.get("item")))
    uploads = request.FILES.getlist("file")
    if not uploads:
        messages.error(request, _("Cần chọn tệp để tải lên."))
        return _unit_back(pk, unit_id, "#minh-chung")
    _attempt(
        request,
        lambda: services.evidence_add_many(actor=user, unit_sheet=found, item=item, uploads=uploads),
        _("Đã đính kèm minh chứng."),
    )
    return _unit_back(pk, unit_id, "#minh-chung")


@login_required
@require_POST
def unit_sheet_submit(request: HttpRequest, pk: int, unit_id: int) -> HttpResponseBase:
    user, found = _unit_sheet_for(request, pk, unit_id)
    _attempt(
        request,
        lambda: services.unit_sheet_submit(actor=user, unit_sheet=found),
        _("Đã gửi bảng tự chấm để chấm chéo."),
    )
    return _unit_back(pk, unit_id)


@login_required
@require_POST
def review_save(request: HttpRequest, pk: int, unit_id: int) -> HttpResponseBase:
    user, found = _unit_sheet_for(request, pk, unit_id)
    _attempt(
        request,
        lambda: services.review_save(
            actor=user,
            unit_sheet=found,
            scores=_values(request, "review-"),
            reasons=_values(request, "reason-"),
            note=request.POST.get("review_note"),
        ),
        _("Đã lưu điểm chấm chéo."),
    )
    return _unit_back(pk, unit_id)


@login_required
@require_POST
def review_finish(request: HttpRequest, pk: int, unit_id: int) -> HttpResponseBase:
    user, found = _unit_sheet_for(request, pk, unit_id)
    _attempt(
        request,
        lambda: services.review_finish(actor=user, unit_sheet=found),
        _("Đã chấm chéo xong bảng điểm."),
    )
    return _unit_back(pk, unit_id)


@login_required
def evidence_download(request: HttpRequest, file_id: int) -> HttpResponseBase:
    user = require_perm(request, PERM)
    evidence = selectors.get_evidence(user=user, pk=file_id)
    return stored_file_response(evidence)


@login_required
@require_POST
def evidence_remove(request: HttpRequest, file_id: int) -> HttpResponseBase:
    user = require_perm(request, PERM)
    evidence = selectors.get_evidence(user=user, pk=file_id)
    found = evidence.unit_sheet
    _attempt(request, lambda: services.evidence_remove(actor=user, evidence=evidence), _("Đã bỏ tệp."))
    return _unit_back(found.sheet_id, found.unit_id, "#minh-chung")
