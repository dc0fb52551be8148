"""Pages of the proposal workflow. Each view parses the request, checks the permission and the data
scope, calls one service or selector, and renders; a refused step comes back as a Vietnamese message
on the same page with nothing written."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_ratelimit.core import is_ratelimited

from thidua.accounts import two_factor
from thidua.awards.models import AwardType, CommendationKind, Initiative
from thidua.core.batches import in_batches
from thidua.core.client_address import client_ip
from thidua.core.http import attempt as _attempt
from thidua.core.http import (
    current_user,
    export_filename,
    paginate,
    parse_choice,
    parse_flag,
    parse_int,
    require_perm,
    stored_file_response,
    wants_export,
)
from thidua.core.http import parse_date as _parse_date
from thidua.core.text import fold
from thidua.core.xlsx import xlsx_response
from thidua.movements import access as movement_access
from thidua.movements.models import Movement, MovementKind
from thidua.movements.workflow import MovementState
from thidua.organisation import authorities
from thidua.proposals import documents_build, procedure, selectors, services, workflow
from thidua.proposals.access import handles_for_authority, headed_authority
from thidua.proposals.models import (
    CouncilRole,
    CouncilSession,
    Dossier,
    DossierState,
)


def _errors(exc: ValidationError) -> str:
    return " ".join(str(m) for m in exc.messages)


# ---------------------------------------------------------------------------------------------------
# Dossier list, creation, detail


@login_required
def dossier_list(request: HttpRequest) -> HttpResponseBase:
    user = require_perm(request, "proposals.view_dossiers")
    filters = selectors.DossierFilters(
        q=request.GET.get("q", "").strip()[:200],
        state=parse_choice(request.GET.get("state"), DossierState.choices),
        kind=parse_choice(request.GET.get("kind"), CommendationKind.choices),
        year=parse_int(request.GET.get("year")),
        overdue=parse_flag(request.GET.get("overdue")),
    )
    dossiers = selectors.dossier_list(user=user, filters=filters)
    if wants_export(request):
        return _dossier_export(dossiers)
    return render(
        request,
        "proposals/dossier_list.html",
        {
            "page": paginate(request, dossiers),
            "filters": filters,
            "filtered": filters.active,
            "states": DossierState.choices,
            "kinds": CommendationKind.choices,
            "today": timezone.localdate(),
            "can_create": user.has_perm("proposals.create_dossier"),
        },
    )


def _dossier_export(dossiers: QuerySet[Dossier]) -> HttpResponseBase:
    def rows() -> Iterator[list[Any]]:
        for i, d in enumerate(in_batches(dossiers), start=1):
            yield [
                i,
                d.code,
                d.unit.name,
                d.get_kind_display(),
                d.year,
                d.title,
                getattr(d, "nominee_count", None),
                d.get_state_display(),
                d.submitted_at.date() if d.submitted_at else None,
                d.due_date,
            ]

    return xlsx_response(
        filename=export_filename("ho-so-de-nghi"),
        title=_("Hồ sơ đề nghị khen thưởng"),
        headers=[
            _("STT"),
            _("Số hồ sơ"),
            _("Đơn vị đề nghị"),
            _("Loại hình"),
            _("Năm thành tích"),
            _("Trích yếu"),
            _("Số đề nghị"),
            _("Trạng thái"),
            _("Ngày trình"),
            _("Hạn xử lý"),
        ],
        rows=rows(),
    )


@login_required
def dossier_create(request: HttpRequest) -> HttpResponseBase:
    user = require_perm(request, "proposals.create_dossier")
    units = list(selectors.proposing_units(user=user).order_by("sort_key")[:500])
    form: dict[str, Any] = {
        "unit": parse_int(request.POST.get("unit")) or (user.unit_id if user.unit_id else None),
        "kind": request.POST.get("kind", CommendationKind.MERIT),
        "year": request.POST.get("year", str(procedure.review_year(timezone.localdate()))),
        "title": request.POST.get("title", ""),
        "summary": request.POST.get("summary", ""),
        "movement": request.POST.get("movement", ""),
        "proposal_number": request.POST.get("proposal_number", ""),
        "authority": parse_int(request.POST.get("authority")),
        "linked_movement": parse_int(request.POST.get("linked_movement")),
    }
    choices = authorities.authorities_for_user(user)
    movements = _movement_choices(user)
    if request.method == "GET" and (chosen := parse_int(request.GET.get("phong_trao"))) is not None:
        # Opened from a movement's sơ kết or tổng kết ("Lập hồ sơ đề nghị khen thưởng"): the movement
        # chosen, and a thematic movement's awards are chuyên đề ones.
        preset = next((m for m in movements if m.pk == chosen), None)
        if preset is not None:
            form["linked_movement"] = preset.pk
            if preset.kind == MovementKind.THEMATIC:
                form["kind"] = CommendationKind.THEMATIC
    if request.method == "POST":
        unit = next((u for u in units if u.pk == form["unit"]), None)
        authority = next((a for a in choices if a.pk == form["authority"]), None)
        linked = next((m for m in movements if m.pk == form["linked_movement"]), None)
        kind = parse_choice(form["kind"], CommendationKind.choices)
        year = parse_int(form["year"])
        if unit is None or not kind or year is None:
            messages.error(request, _("Cần chọn đơn vị, loại hình khen thưởng và năm thành tích hợp lệ."))
        else:
            created: list[Dossier] = []
            ok = _attempt(
                request,
                lambda: created.append(
                    services.dossier_create(
                        actor=user,
                        unit=unit,
                        kind=kind,
                        year=year,
                        title=form["title"],
                        summary=form["summary"],
                        movement=form["movement"],
                        proposal_number=form["proposal_number"],
                        authority=authority,
                        linked_movement=linked,
                    )
                ),
                _("Đã lập hồ sơ. Hãy thêm người được đề nghị và tệp đính kèm."),
            )
            if ok:
                return redirect("proposals:detail", created[0].pk)
    return render(
        request,
        "proposals/dossier_form.html",
        {
            "units": units,
            "kinds": CommendationKind.choices,
            "form": form,
            "authorities": choices,
            "movements": movements,
        },
    )


def _movement_choices(user: Any) -> list[Movement]:
    """The launched movements the user sees (the service checks the chosen one against the unit)."""
    # movement_list()'s rows and order without its target count and authority join, which no choice
    # shows: the GROUP BY they cost was most of this query's time.
    return list(
        Movement.objects.filter(movement_access.visible_movements_q(user))
        .exclude(state=MovementState.DRAFT)
        .order_by("-start_date", "-id")[:200]
    )


@login_required
def dossier_detail(request: HttpRequest, pk: int) -> HttpResponseBase:
    user = require_perm(request, "proposals.view_dossiers")
    page = selectors.dossier_page(user=user, pk=pk)
    handles = handles_for_authority(user, page.dossier)
    comments = selectors.public_comments(dossier=page.dossier) if handles else {}
    for line in page.nominees:
        line.comments = comments.get(line.pk, [])  # type: ignore[attr-defined]
    award_types = (
        AwardType.objects.filter(is_active=True).order_by("order") if page.perms["edit_dossier"] else []
    )
    return render(
        request,
        "proposals/dossier_detail.html",
        {
            "p": page,
            "d": page.dossier,
            "award_types": award_types,
            "today": timezone.localdate(),
            "user_conflicted": services.conflicted(user, page.dossier),
            # The authority's own people see its notes and reports: the specialist, the Council, the head.
            "handles": handles,
            "movement_choices": _movement_choices(user) if page.perms["edit_dossier"] else [],
        },
    )


def _dossier_for(request: HttpRequest, pk: int) -> tuple[Any, Dossier]:
    user = current_user(request)
    return user, selectors.get_dossier(user=user, pk=pk)


@login_required
@require_POST
def dossier_edit(request: HttpRequest, pk: int) -> HttpResponseBase:
    user, dossier = _dossier_for(request, pk)
    data: dict[str, Any] = {
        k: request.POST.get(k, "") for k in ("title", "summary", "movement", "proposal_number")
    }
    if "linked_movement" in request.POST:
        chosen = parse_int(request.POST.get("linked_movement"))
        data["linked_movement"] = next((m for m in _movement_choices(user) if m.pk == chosen), None)
    _attempt(request, lambda: services.dossier_update(actor=user, dossier=dossier, data=data), _("Đã lưu."))
    return redirect("proposals:detail", pk)


# ---------------------------------------------------------------------------------------------------
# Nominees


_RECIPIENT_KINDS = [(kind, kind) for kind in selectors.RECIPIENT_MODELS]


@login_required
def recipient_search(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The people, collectives or households of the user's scope matching what is typed (htmx)."""
    user, _dossier = _dossier_for(request, pk)
    kind = parse_choice(request.GET.get("kind"), _RECIPIENT_KINDS) or "individual"
    query = fold(request.GET.get("q", "").strip()[:100])
    rows: list[Any] = []
    if len(query) >= 2:
        qs = selectors.recipients_in_scope(user=user, kind=kind)
        # Offered while typing: people still at work, units that still exist.
        if kind == "individual":
            qs = qs.filter(is_active=True).select_related("unit")
        elif kind == "household":
            qs = qs.select_related("unit")
        else:
            qs = qs.filter(valid_to__isnull=True)
        for word in query.split():
            qs = qs.filter(search_text__contains=word)
        rows = list(qs.order_by("sort_key")[:20])
    return render(
        request, "proposals/includes/recipient_choices.html", {"rows": rows, "kind": kind, "query": query}
    )


@login_required
@require_POST
def nominee_add(request: HttpRequest, pk: int) -> HttpResponseBase:
    user, dossier = _dossier_for(request, pk)
    kind = parse_choice(request.POST.get("kind"), _RECIPIENT_KINDS)
    recipient_id = parse_int(request.POST.get("recipient"))
    award_id = parse_int(request.POST.get("award_type"))
    award = AwardType.objects.filter(pk=award_id, is_active=True).first() if award_id else None
    if not kind or recipient_id is None or award is None:
        messages.error(request, _("Cần chọn người (tập thể, hộ) được đề nghị và danh hiệu, hình thức."))
        return redirect(reverse("proposals:detail", args=[pk]) + "#de-nghi")
    recipient = selectors.get_recipient(user=user, kind=kind, pk=recipient_id)
    initiative_ids = [i for i in (parse_int(v) for v in request.POST.getlist("initiatives")) if i]
    initiatives = list(Initiative.objects.filter(pk__in=initiative_ids)) if initiative_ids else []
    _attempt(
        request,
        lambda: services.nominee_add(
            actor=user,
            dossier=dossier,
            recipient=recipient,  # type: ignore[arg-type]
            award_type=award,
            achievement=request.POST.get("achievement", ""),
            initiatives=initiatives,
        ),
        _("Đã thêm {name}.").format(name=recipient),
    )
    return redirect(reverse("proposals:detail", args=[pk]) + "#de-nghi")


@login_required
@require_POST
def nominee_initiatives(request: HttpRequest, pk: int, line: int) -> HttpResponseBase:
    user, dossier = _dossier_for(request, pk)
    nominee = selectors.get_nominee(user=user, dossier=dossier, pk=line)
    ids = [i for i in (parse_int(v) for v in request.POST.getlist("initiatives")) if i]
    chosen = list(Initiative.objects.filter(pk__in=ids)) if ids else []
    _attempt(
        request,
        lambda: services.nominee_set_initiatives(actor=user, nominee=nominee, initiatives=chosen),
        _("Đã ghi sáng kiến làm căn cứ cho {name}.").format(name=nominee.recipient),
    )
    return redirect(reverse("proposals:detail", args=[pk]) + f"#dong-{line}")


@login_required
@require_POST
def nominee_remove(request: HttpRequest, pk: int, line: int) -> HttpResponseBase:
    user, dossier = _dossier_for(request, pk)
    nominee = selectors.get_nominee(user=user, dossier=dossier, pk=line)
    _attempt(request, lambda: services.nominee_remove(actor=user, nominee=nominee), _("Đã bỏ khỏi hồ sơ."))
    return redirect(reverse("proposals:detail", args=[pk]) + "#de-nghi")


@login_required
@require_POST
def nominee_review(request: HttpRequest, pk: int, line: int) -> HttpResponseBase:
    user, dossier = _dossier_for(request, pk)
    nominee = selectors.get_nominee(user=user, dossier=dossier, pk=line)
    choice = request.POST.get("recommend")
    if choice not in ("yes", "no"):
        messages.error(request, _("Cần chọn đề nghị hoặc không đề nghị khen thưởng."))
    else:
        _attempt(
            request,
            lambda: services.nominee_review(
                actor=user, nominee=nominee, recommend=choice == "yes", reason=request.POST.get("reason", "")
            ),
            _("Đã ghi ý kiến thẩm định cho {name}.").format(name=nominee.recipient),
        )
    return redirect(reverse("proposals:detail", args=[pk]) + f"#dong-{line}")


@login_required
@require_POST
def nominees_confirm_all(request: HttpRequest, pk: int) -> HttpResponseBase:
    user, dossier = _dossier_for(request, pk)
    counts: list[tuple[int, int]] = []
    if _attempt(
        request, lambda: counts.append(services.nominees_confirm_all(actor=user, dossier=dossier)), ""
    ):
        confirmed, left = counts[0]
        text = _("Đã đồng ý với kết quả kiểm tra tự động cho {n} dòng.").format(n=confirmed)
        if left:
            text += " " + _("Còn {n} dòng cần ý kiến riêng (có lý do).").format(n=left)
        messages.success(request, text)
    return redirect(reverse("proposals:detail", args=[pk]) + "#de-nghi")


@login_required
@require_POST
def nominee_revoke(request: HttpRequest, pk: int, line: int) -> HttpResponseBase:
    user, dossier = _dossier_for(request, pk)
    nominee = selectors.get_nominee(user=user, dossier=dossier, pk=line)
    if not two_factor.reauth_web(request, request.POST.get("reauth_code", "")):
        messages.error(request, two_factor.reauth_message(user))
        return redirect(reverse("proposals:detail", args=[pk]) + f"#dong-{line}")
    _attempt(
        request,
        lambda: services.award_revoke(
            actor=user,
            nominee=nominee,
            reason=request.POST.get("reason", ""),
            basis=request.POST.get("basis", ""),
        ),
        _("Đã hủy bỏ khen thưởng của {name}; sổ khen thưởng đã ghi nhận.").format(name=nominee.recipient),
    )
    return redirect(reverse("proposals:detail", args=[pk]) + f"#dong-{line}")


# ---------------------------------------------------------------------------------------------------
# Attachments


@login_required
@require_POST
def attachment_add(request: HttpRequest, pk: int) -> HttpResponseBase:
    user, dossier = _dossier_for(request, pk)
    uploads = request.FILES.getlist("file")
    _attempt(
        request,
        lambda: services.attachments_add(
            actor=user, dossier=dossier, component=request.POST.get("component", ""), uploads=uploads
        ),
        _("Đã đính kèm {names}.").format(names=", ".join(u.name or "" for u in uploads)),
    )
    return redirect(reverse("proposals:detail", args=[pk]) + "#tep")


@login_required
def attachment_download(request: HttpRequest, pk: int, file_id: int) -> HttpResponseBase:
    user, dossier = _dossier_for(request, pk)
    attachment = selectors.get_attachment(user=user, dossier=dossier, pk=file_id)
    return stored_file_response(attachment)


@login_required
@require_POST
def attachment_remove(request: HttpRequest, pk: int, file_id: int) -> HttpResponseBase:
    user, dossier = _dossier_for(request, pk)
    attachment = selectors.get_attachment(user=user, dossier=dossier, pk=file_id)
    _attempt(request, lambda: services.attachment_remove(actor=user, attachment=attachment), _("Đã bỏ tệp."))
    return redirect(reverse("proposals:detail", args=[pk]) + "#tep")


# ---------------------------------------------------------------------------------------------------
# Workflow steps


@login_required
@require_POST
def dossier_step(request: HttpRequest, pk: int, action: str) -> HttpResponseBase:
    user, dossier = _dossier_for(request, pk)
    step = workflow.BY_SLUG.get(action)
    if step is None:
        raise Http404
    text = request.POST.get("comment", "")
    _attempt(
        request,
        lambda: services.dossier_step(actor=user, dossier=dossier, action=step.name, text=text),
        str(step.success),
    )
    return redirect("proposals:detail", pk)


@login_required
def appraisal_report(request: HttpRequest, pk: int, fmt: str) -> HttpResponseBase:
    user, dossier = _dossier_for(request, pk)
    if not handles_for_authority(user, dossier):
        raise PermissionDenied
    return documents_build.appraisal_report_response(dossier, fmt)


@login_required
def central_answer(request: HttpRequest, pk: int) -> HttpResponseBase:
    user, dossier = _dossier_for(request, pk)
    if not user.has_perm("proposals.handle_dossier", dossier):
        raise PermissionDenied
    if dossier.state != DossierState.FORWARDED:
        raise Http404
    lines = selectors.forwarded_lines(dossier=dossier)
    if request.method == "POST":
        chosen = {parse_int(v) for v in request.POST.getlist("approved")}
        date = _parse_date(request.POST.get("date"))
        if date is None:
            messages.error(request, _("Ngày quyết định không hợp lệ (dd/mm/yyyy)."))
        elif _attempt(
            request,
            lambda: services.central_answer_record(
                actor=user,
                dossier=dossier,
                approved=[n for n in lines if n.pk in chosen],
                number=request.POST.get("number", ""),
                date=date,
                issuing_authority=request.POST.get("authority", ""),
                signer_name=request.POST.get("signer_name", ""),
                signer_title=request.POST.get("signer_title", ""),
            ),
            _("Đã ghi kết quả của cấp trên."),
        ):
            return redirect("proposals:detail", pk)
    return render(
        request, "proposals/central_answer.html", {"d": dossier, "lines": lines, "post": request.POST}
    )


# ---------------------------------------------------------------------------------------------------
# Decision (chairman)


@login_required
def decide(request: HttpRequest) -> HttpResponseBase:
    user = current_user(request)
    today = timezone.localdate()
    signing = selectors.signing_authorities(user=user, on=today)
    if not signing:
        raise PermissionDenied
    candidates = selectors.decidable_dossiers(user=user, on=today)
    post = request.POST if request.method == "POST" else {}
    status = 200
    if request.method == "POST":
        chosen = {parse_int(v) for v in request.POST.getlist("dossiers")}
        picked = [d for d in candidates if d.pk in chosen]
        date = _parse_date(request.POST.get("date"))
        decisions: list[Any] = []
        if date is None:
            messages.error(request, _("Ngày ký không hợp lệ (dd/mm/yyyy)."))
        elif not two_factor.reauth_web(request, request.POST.get("reauth_code", "")):
            # Issuing a decision is asked again for (issue 13, item 6): a session left open is not enough.
            messages.error(request, two_factor.reauth_message(user))
            status = 403
        elif _attempt(
            request,
            lambda: decisions.append(
                services.dossiers_decide(
                    actor=user,
                    dossiers=picked,
                    number=request.POST.get("number", ""),
                    date=date,
                    summary=request.POST.get("summary", ""),
                    proposal_number=request.POST.get("proposal_number", ""),
                )
            ),
            _("Đã ban hành; các khen thưởng đã vào sổ, các đề nghị vượt thẩm quyền đã trình cấp trên."),
        ):
            decision = decisions[0]
            if decision is not None:
                return redirect("awards:decision_detail", decision.pk)
            return redirect("proposals:list")
    headed = headed_authority(user)
    # One form per authority the user signs for: a decision is one authority's.
    groups = [
        (
            authority,
            signer,
            [d for d in candidates if d.authority_id == authority.pk],
            authorities.authority_above(authority),
        )
        for authority, signer in signing
    ]
    return render(
        request,
        "proposals/decide.html",
        {
            "candidates": candidates,
            "post": post,
            "today": today,
            "groups": groups,
            "headed": headed,
            "designations": selectors.signer_designations(headed),
            "vice_chairmen": selectors.vice_chairmen(headed),
            "reauth_fresh": two_factor.reauth_is_fresh(request),
            "reauth_device": two_factor.has_device(user),
        },
        status=status,
    )


@login_required
@require_POST
def signer_designate(request: HttpRequest) -> HttpResponseBase:
    user = current_user(request)
    headed = headed_authority(user)
    if headed is None:
        raise PermissionDenied
    chosen = parse_int(request.POST.get("user"))
    named = selectors.vice_chairmen(headed).filter(pk=chosen).first() if chosen else None
    valid_from = _parse_date(request.POST.get("valid_from"))
    valid_to = _parse_date(request.POST.get("valid_to"))
    if named is None or valid_from is None or (request.POST.get("valid_to", "").strip() and valid_to is None):
        messages.error(request, _("Cần chọn người được giao ký thay và ngày hợp lệ (dd/mm/yyyy)."))
    else:
        _attempt(
            request,
            lambda: services.signer_designate(
                actor=user,
                user=named,
                valid_from=valid_from,
                valid_to=valid_to,
                title=request.POST.get("title", ""),
            ),
            _("Đã giao {name} ký thay quyết định khen thưởng.").format(name=named),
        )
    return redirect(reverse("proposals:decide") + "#ky-thay")


@login_required
def decision_document(request: HttpRequest, pk: int, fmt: str) -> HttpResponseBase:
    require_perm(request, "awards.view_decision")
    return documents_build.decision_response(current_user(request), pk, fmt)


# ---------------------------------------------------------------------------------------------------
# Council


@login_required
def session_list(request: HttpRequest) -> HttpResponseBase:
    user = require_perm(request, "proposals.view_council")
    sessions = selectors.session_list(user=user)
    ready = selectors.ready_for_council(user.authority) if user.has_perm("proposals.manage_council") else []
    if request.method == "POST":
        if not user.has_perm("proposals.manage_council"):
            raise PermissionDenied
        chosen = {parse_int(v) for v in request.POST.getlist("dossiers")}
        date = _parse_date(request.POST.get("date"))
        created: list[CouncilSession] = []
        if date is None:
            messages.error(request, _("Ngày họp không hợp lệ (dd/mm/yyyy)."))
        elif _attempt(
            request,
            lambda: created.append(
                services.council_session_create(
                    actor=user,
                    title=request.POST.get("title", ""),
                    date=date,
                    location=request.POST.get("location", ""),
                    dossiers=[d for d in ready if d.pk in chosen],
                )
            ),
            _("Đã lập phiên họp; thành viên Hội đồng đã được mời."),
        ):
            return redirect("proposals:session", created[0].pk)
    return render(
        request,
        "proposals/session_list.html",
        {
            "page": paginate(request, sessions),
            "ready": ready,
            "today": timezone.localdate(),
            "post": request.POST,
        },
    )


@login_required
def session_detail(request: HttpRequest, pk: int) -> HttpResponseBase:
    user = current_user(request)
    page = selectors.session_page(user=user, pk=pk)
    return render(
        request,
        "proposals/session_detail.html",
        {
            "s": page.session,
            "p": page,
            # The session's own authority's specialist keeps its attendance and closes it.
            "can_manage": user.has_perm("proposals.manage_council")
            and user.authority_id == page.session.authority_id,
        },
    )


def _session(request: HttpRequest, pk: int) -> tuple[Any, CouncilSession]:
    user = current_user(request)
    return user, selectors.get_session(user=user, pk=pk)


@login_required
@require_POST
def session_attendance(request: HttpRequest, pk: int) -> HttpResponseBase:
    user, session = _session(request, pk)
    member = selectors.get_session_member(session=session, pk=parse_int(request.POST.get("member")))
    status = request.POST.get("status", "")
    _attempt(
        request,
        lambda: services.attendance_set(
            actor=user,
            session=session,
            member=member,
            present=status == "present",
            written_vote=status == "written",
        ),
        "",
    )
    return redirect(reverse("proposals:session", args=[pk]) + "#du-hop")


@login_required
def council_members(request: HttpRequest) -> HttpResponseBase:
    """The Council's members: who sits, in which role, from when to when; the Board adds and ends terms."""
    user = require_perm(request, "proposals.view_council")
    if request.method == "POST":
        if not user.has_perm("proposals.manage_council"):
            raise PermissionDenied
        if request.POST.get("action") == "end":
            member = selectors.get_council_member(user=user, pk=parse_int(request.POST.get("member")))
            end = _parse_date(request.POST.get("valid_to"))
            if end is None:
                messages.error(request, _("Ngày kết thúc không hợp lệ (dd/mm/yyyy)."))
            else:
                _attempt(
                    request,
                    lambda: services.council_member_end(actor=user, member=member, valid_to=end),
                    _("Đã ghi ngày kết thúc nhiệm kỳ của {name}.").format(name=member.user),
                )
        else:
            chosen = selectors.get_active_user(pk=parse_int(request.POST.get("user")))
            start = _parse_date(request.POST.get("valid_from"))
            if start is None:
                messages.error(request, _("Ngày bắt đầu không hợp lệ (dd/mm/yyyy)."))
            else:
                _attempt(
                    request,
                    lambda: services.council_member_add(
                        actor=user,
                        user=chosen,
                        role=request.POST.get("role", ""),
                        title=request.POST.get("title", ""),
                        valid_from=start,
                    ),
                    _("Đã thêm {name} vào Hội đồng.").format(name=chosen),
                )
        return redirect("proposals:council_members")
    return render(
        request,
        "proposals/council_members.html",
        {"roster": selectors.council_roster(user=user), "roles": CouncilRole.choices},
    )


@login_required
@require_POST
def session_all_present(request: HttpRequest, pk: int) -> HttpResponseBase:
    user, session = _session(request, pk)
    _attempt(request, lambda: services.attendance_all_present(actor=user, session=session), "")
    return redirect(reverse("proposals:session", args=[pk]) + "#du-hop")


@login_required
@require_POST
def session_vote(request: HttpRequest, pk: int, line: int) -> HttpResponseBase:
    user, session = _session(request, pk)
    nominee = selectors.get_session_line(session=session, pk=line)
    choice = request.POST.get("vote")
    if choice not in ("agree", "disagree"):
        messages.error(request, _("Cần chọn đồng ý hoặc không đồng ý."))
    else:
        _attempt(
            request,
            lambda: services.ballot_cast(
                actor=user, session=session, nominee=nominee, agree=choice == "agree"
            ),
            _("Đã ghi phiếu của bạn (phiếu kín: hệ thống không lưu bạn chọn gì)."),
        )
    return redirect(reverse("proposals:session", args=[pk]) + f"#phieu-{line}")


@login_required
@require_POST
def session_tally(request: HttpRequest, pk: int, line: int) -> HttpResponseBase:
    user, session = _session(request, pk)
    nominee = selectors.get_session_line(session=session, pk=line)
    numbers = [parse_int(request.POST.get(k)) or 0 for k in ("agree", "disagree", "invalid")]
    if any(
        (request.POST.get(k) or "0").strip() not in ("", "0") and n == 0
        for k, n in zip(("agree", "disagree", "invalid"), numbers, strict=True)
    ):
        messages.error(request, _("Số phiếu phải là số nguyên không âm."))
    else:
        _attempt(
            request,
            lambda: services.tally_enter(
                actor=user,
                session=session,
                nominee=nominee,
                agree=numbers[0],
                disagree=numbers[1],
                invalid=numbers[2],
            ),
            _("Đã ghi kết quả kiểm phiếu."),
        )
    return redirect(reverse("proposals:session", args=[pk]) + f"#phieu-{line}")


@login_required
@require_POST
def session_close(request: HttpRequest, pk: int) -> HttpResponseBase:
    user, session = _session(request, pk)
    _attempt(
        request,
        lambda: services.session_close(actor=user, session=session),
        _("Đã kết thúc phiên họp; kết quả đã khóa."),
    )
    return redirect("proposals:session", pk)


@login_required
def session_document(request: HttpRequest, pk: int, which: str, fmt: str) -> HttpResponseBase:
    _user, session = _session(request, pk)
    return documents_build.session_response(session, which, fmt)


# ---------------------------------------------------------------------------------------------------
# Notifications


@login_required
def notification_list(request: HttpRequest) -> HttpResponseBase:
    user = current_user(request)
    if request.method == "POST":
        services.notifications_mark_read(actor=user)
        return redirect("proposals:notifications")
    return render(request, "proposals/notifications.html", {"items": selectors.notifications(user=user)})


@login_required
def notification_open(request: HttpRequest, pk: int) -> HttpResponseBase:
    """Opening a notice marks it read and goes to its object; another user's notice does not exist here."""
    notification = services.notification_open(actor=current_user(request), pk=pk)
    if notification is None:
        raise Http404
    return redirect(notification.target_url or reverse("proposals:notifications"))


# ---------------------------------------------------------------------------------------------------
# Public comment (no login)


def public_list(request: HttpRequest) -> HttpResponseBase:
    return render(request, "proposals/public_list.html", {"lines": selectors.open_for_comment()[:200]})


def public_comment(request: HttpRequest, line: int) -> HttpResponseBase:
    nominee = selectors.open_for_comment().filter(pk=line).first()
    if nominee is None:
        raise Http404
    sent = False
    form = {k: request.POST.get(k, "") for k in ("author_name", "contact", "text")}
    if request.method == "POST":
        # A hidden field people never fill in: a bot that fills every field is turned away.
        if request.POST.get("website"):
            raise PermissionDenied
        limited = is_ratelimited(
            request, group="public_comment", key="ip", rate="5/h", method="POST", increment=True
        )
        if limited:
            messages.error(request, _("Bạn đã gửi nhiều ý kiến trong một giờ. Hãy thử lại sau."))
            return render(request, "proposals/public_comment.html", {"n": nominee, "form": form}, status=429)
        try:
            services.public_comment_add(
                nominee=nominee,
                author_name=form["author_name"],
                contact=form["contact"],
                text=form["text"],
                ip=client_ip(request),
            )
        except ValidationError as exc:
            messages.error(request, _errors(exc))
        else:
            sent = True
    return render(request, "proposals/public_comment.html", {"n": nominee, "form": form, "sent": sent})


def download_bytes(data: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
