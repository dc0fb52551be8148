"""The public portal (no login: home, role models, published decisions, movements, search) and the staff
pages of the role models' life cycle.

Public pages are cached whole for visitors without an account (`portal.cache`); they render only public
fields, never the registry's personal data, and their templates carry no form token, message or
anything else that belongs to one visitor, so one cached copy serves everyone.
"""

from __future__ import annotations

import re
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from thidua.core.http import attempt, parse_choice, parse_date, parse_int, require_perm
from thidua.core.text import fold
from thidua.organisation.models import Person, Unit
from thidua.portal import selectors, services
from thidua.portal.cache import cached_page
from thidua.portal.models import RoleModel, RoleModelState

PUBLIC_PAGE_SIZE = 24


def decision_slug(number: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold(number)).strip("-")[:80] or "quyet-dinh"


def _meta(
    request: HttpRequest, title: str, description: str, image: str = "", section: str = ""
) -> dict[str, Any]:
    """What the page's <head> says when it is shared: title, description, canonical address, Open Graph."""
    return {
        "portal_section": section,
        "meta_title": title,
        "meta_description": " ".join(description.split())[:300],
        "meta_url": request.build_absolute_uri(request.path),
        "meta_image": request.build_absolute_uri(image) if image else "",
    }


def _photo_url(role_model: RoleModel) -> str:
    return reverse("portal:photo", args=[role_model.slug]) if role_model.photo else ""


# Public ------------------------------------------------------------------------------------------------


def home(request: HttpRequest) -> HttpResponse:
    def build() -> HttpResponse:
        context = selectors.home()
        context.update(
            _meta(
                request,
                _("Điển hình tiên tiến, quyết định khen thưởng"),
                _(
                    "Gương điển hình tiên tiến, quyết định khen thưởng đã công bố và các phong trào thi "
                    "đua đang phát động."
                ),
                section="home",
            )
        )
        return render(request, "portal/home.html", context)

    return cached_page(request, build)


def role_model_list(request: HttpRequest) -> HttpResponse:
    def build() -> HttpResponse:
        page = Paginator(selectors.public_role_models(), PUBLIC_PAGE_SIZE).get_page(request.GET.get("trang"))
        context: dict[str, Any] = {"page": page}
        context.update(
            _meta(
                request,
                _("Điển hình tiên tiến"),
                _("Những cá nhân, tập thể tiêu biểu trong phong trào thi đua yêu nước."),
                section="role_models",
            )
        )
        return render(request, "portal/role_model_list.html", context)

    return cached_page(request, build)


def role_model_detail(request: HttpRequest, slug: str) -> HttpResponse:
    def build() -> HttpResponse:
        role_model = selectors.public_role_model(slug)
        if role_model is None:
            raise Http404
        context: dict[str, Any] = {
            "role_model": role_model,
            "awards": selectors.role_model_awards(role_model),
            "photo_url": _photo_url(role_model),
        }
        context.update(
            _meta(
                request,
                role_model.name,
                f"{role_model.headline}. {role_model.story[:200]}",
                _photo_url(role_model),
                section="role_models",
            )
        )
        return render(request, "portal/role_model_detail.html", context)

    return cached_page(request, build)


def role_model_photo(request: HttpRequest, slug: str) -> HttpResponseBase:
    """The photo of a published profile with a consent in force, and of nothing else."""
    role_model = selectors.public_role_model(slug)
    if role_model is None or not role_model.photo:
        raise Http404
    full = RoleModel.objects.only("photo", "photo_content_type").get(pk=role_model.pk)
    return FileResponse(full.photo.open("rb"), content_type=full.photo_content_type)


def decision_list(request: HttpRequest) -> HttpResponse:
    def build() -> HttpResponse:
        query = request.GET.get("q", "").strip()[:200]
        year = parse_int(request.GET.get("nam"))
        decisions = selectors.public_decisions(query, year)
        page = Paginator(decisions, PUBLIC_PAGE_SIZE).get_page(request.GET.get("trang"))
        context: dict[str, Any] = {
            "page": page,
            "query": query,
            "year": year,
            "years": selectors.public_decision_years(),
        }
        context.update(
            _meta(
                request,
                _("Quyết định khen thưởng đã công bố"),
                _(
                    "Các quyết định khen thưởng đã công bố: số, ngày ký, cơ quan ban hành và danh sách "
                    "được khen."
                ),
                section="decisions",
            )
        )
        return render(request, "portal/decision_list.html", context)

    return cached_page(request, build)


def decision_detail(request: HttpRequest, pk: int, slug: str = "") -> HttpResponseBase:
    def build() -> HttpResponse:
        found = selectors.public_decision(pk)
        if found is None:
            raise Http404
        decision, lines = found
        canonical = decision_slug(decision.number)
        if slug != canonical:
            return redirect("portal:decision_detail", pk=pk, slug=canonical, permanent=True)
        context: dict[str, Any] = {"decision": decision, "lines": lines}
        context.update(
            _meta(
                request,
                str(decision),
                f"{decision.issuing_authority}. {decision.summary}",
                section="decisions",
            )
        )
        return render(request, "portal/decision_detail.html", context)

    return cached_page(request, build)


def movement_list(request: HttpRequest) -> HttpResponse:
    def build() -> HttpResponse:
        context: dict[str, Any] = {"movements": list(selectors.public_movements()[:100])}
        context.update(
            _meta(
                request,
                _("Phong trào thi đua"),
                _("Các phong trào thi đua đã phát động và kết quả sơ kết, tổng kết."),
                section="movements",
            )
        )
        return render(request, "portal/movement_list.html", context)

    return cached_page(request, build)


def search(request: HttpRequest) -> HttpResponse:
    def build() -> HttpResponse:
        query = request.GET.get("q", "").strip()[:200]
        context: dict[str, Any] = {"query": query, **selectors.search(query)}
        context.update(
            _meta(
                request,
                _("Tìm kiếm"),
                _("Tìm điển hình tiên tiến và quyết định khen thưởng, gõ có dấu hay không dấu đều được."),
            )
        )
        return render(request, "portal/search.html", context)

    return cached_page(request, build)


# Staff -------------------------------------------------------------------------------------------------


def _staff_role_model(request: HttpRequest, pk: int) -> tuple[Any, RoleModel]:
    user = require_perm(request, "portal.view_role_models")
    role_model = selectors.staff_role_model(user=user, pk=pk)
    # Outside the scope: 404, so guessing numbers tells nothing.
    if role_model is None:
        raise Http404
    return user, role_model


@login_required
def staff_list(request: HttpRequest) -> HttpResponse:
    user = require_perm(request, "portal.view_role_models")
    state = parse_choice(request.GET.get("state"), RoleModelState.choices)
    rows = selectors.staff_role_models(user=user, state=state)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "portal/staff_list.html",
        {"page": page, "state": state, "states": RoleModelState.choices},
    )


@login_required
def staff_nominate(request: HttpRequest) -> HttpResponseBase:
    user = require_perm(request, "portal.nominate_role_model")
    form = {
        k: request.POST.get(k, "")
        for k in (
            "subject",
            "person",
            "collective",
            "headline",
            "story",
            "year",
            "photo_alt",
            "contact_phone",
            "contact_email",
            "internal_note",
        )
    }
    if request.method == "POST":
        person = collective = None
        if form["subject"] == "collective":
            unit_id = parse_int(form["collective"])
            collective = Unit.objects.filter(pk=unit_id).first() if unit_id else None
        else:
            person_id = parse_int(form["person"])
            person = Person.objects.select_related("unit").filter(pk=person_id).first() if person_id else None
        created: list[RoleModel] = []
        ok = attempt(
            request,
            lambda: created.append(
                services.role_model_nominate(
                    actor=user,
                    person=person,
                    collective=collective,
                    headline=form["headline"],
                    story=form["story"],
                    year=parse_int(form["year"]) or 0,
                    photo=request.FILES.get("photo"),
                    photo_alt=form["photo_alt"],
                    contact_phone=form["contact_phone"],
                    contact_email=form["contact_email"],
                    internal_note=form["internal_note"],
                )
            ),
            _("Đã đề cử điển hình tiên tiến."),
        )
        if ok:
            return redirect("portal:staff_detail", pk=created[0].pk)
    context: dict[str, Any] = {"form": form, **selectors.nominable(user=user)}
    return render(request, "portal/staff_nominate.html", context)


@login_required
def staff_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user, role_model = _staff_role_model(request, pk)
    return render(
        request,
        "portal/staff_detail.html",
        {
            "role_model": role_model,
            "consents": list(role_model.consents.all()),
            "can_decide": user.has_perm("portal.decide_role_model"),
            "can_consent": user.has_perm("portal.record_consent"),
            "public": selectors.public_role_model(role_model.slug) is not None,
        },
    )


@login_required
def staff_photo(request: HttpRequest, pk: int) -> HttpResponseBase:
    _user, role_model = _staff_role_model(request, pk)
    if not role_model.photo:
        raise Http404
    return FileResponse(role_model.photo.open("rb"), content_type=role_model.photo_content_type)


_ACTIONS = {
    "duyet": ("approve", _("Đã duyệt điển hình.")),
    "cong-bo": ("publish", _("Đã công bố điển hình trên cổng thông tin.")),
    "noi-bat": ("feature", _("Đã đưa điển hình lên mục nổi bật.")),
    "bo-noi-bat": ("unfeature", _("Đã bỏ điển hình khỏi mục nổi bật.")),
    "thoi-dang": ("retire", _("Đã thôi đăng điển hình.")),
}


@login_required
@require_POST
def staff_step(request: HttpRequest, pk: int, action: str) -> HttpResponseBase:
    if action not in _ACTIONS:
        raise Http404
    user, role_model = _staff_role_model(request, pk)
    if not user.has_perm("portal.decide_role_model"):
        raise PermissionDenied
    step, message = _ACTIONS[action]
    calls = {
        "approve": lambda: services.role_model_approve(actor=user, role_model=role_model),
        "publish": lambda: services.role_model_publish(actor=user, role_model=role_model),
        "feature": lambda: services.role_model_feature(actor=user, role_model=role_model, featured=True),
        "unfeature": lambda: services.role_model_feature(actor=user, role_model=role_model, featured=False),
        "retire": lambda: services.role_model_retire(
            actor=user, role_model=role_model, reason=request.POST.get("reason", "")
        ),
    }
    attempt(request, calls[step], str(message))
    return redirect("portal:staff_detail", pk=pk)


@login_required
@require_POST
def staff_consent_record(request: HttpRequest, pk: int) -> HttpResponseBase:
    user, role_model = _staff_role_model(request, pk)
    if not user.has_perm("portal.record_consent"):
        raise PermissionDenied
    attempt(
        request,
        lambda: services.consent_record(
            actor=user,
            role_model=role_model,
            given_by=request.POST.get("given_by", ""),
            capacity=request.POST.get("capacity", ""),
            given_on=parse_date(request.POST.get("given_on")),
            purpose=request.POST.get("purpose", ""),
        ),
        _("Đã ghi nhận sự đồng ý công bố."),
    )
    return redirect(reverse("portal:staff_detail", args=[pk]) + "#dong-y")


@login_required
@require_POST
def staff_consent_withdraw(request: HttpRequest, pk: int, consent: int) -> HttpResponseBase:
    user, role_model = _staff_role_model(request, pk)
    if not user.has_perm("portal.record_consent"):
        raise PermissionDenied
    found = selectors.staff_consent(user=user, role_model=role_model, pk=consent)
    if found is None:
        raise Http404
    attempt(
        request,
        lambda: services.consent_withdraw(actor=user, consent=found, note=request.POST.get("note", "")),
        _("Đã ghi nhận việc rút lại sự đồng ý; hồ sơ không còn trên cổng thông tin."),
    )
    return redirect(reverse("portal:staff_detail", args=[pk]) + "#dong-y")


@login_required
@require_POST
def staff_decision_publish(request: HttpRequest, pk: int, action: str) -> HttpResponseBase:
    user = require_perm(request, "portal.publish_decision")
    decision = selectors.staff_decision(user=user, pk=pk)
    if decision is None or action not in ("cong-bo", "go"):
        raise Http404
    if action == "cong-bo":
        attempt(
            request,
            lambda: services.decision_publish(actor=user, decision=decision),
            _("Đã công bố quyết định trên cổng thông tin."),
        )
    else:
        attempt(
            request,
            lambda: services.decision_unpublish(
                actor=user, decision=decision, reason=request.POST.get("reason", "")
            ),
            _("Đã gỡ quyết định khỏi cổng thông tin."),
        )
    return redirect("awards:decision_detail", pk=pk)
