"""Pages of the registry about people, collectives, households and blocs.

Every list takes `?export=xlsx` on its own URL and then downloads the same filtered list, all rows,
as an Excel file instead of the page.
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
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from thidua.accounts.models import User
from thidua.core.batches import in_batches
from thidua.core.http import (
    current_user,
    export_filename,
    paginate,
    parse_choice,
    parse_flag,
    parse_int,
    require_perm,
    wants_export,
)
from thidua.core.xlsx import choice_labels, xlsx_response
from thidua.exports.registry import ExportSpec
from thidua.exports.views import export_or_queue
from thidua.organisation import selectors
from thidua.organisation.models import BlocKind, Gender, PersonCategory, UnitKind


def _yes_no(value: bool) -> str:
    return _("Có") if value else _("Không")


# ---------------------------------------------------------------------------------------------------
# People

ETHNICITY_CHOICES = [
    (selectors.ETHNICITY_KINH, gettext_lazy("Dân tộc Kinh")),
    (selectors.ETHNICITY_MINORITY, gettext_lazy("Dân tộc thiểu số")),
]


@login_required
def person_list(request: HttpRequest) -> HttpResponseBase:
    user = require_perm(request, "awards.view_registry")
    filters = _person_filters(request.GET)
    if wants_export(request):
        return export_or_queue(request, user, "ca-nhan", person_export_spec(user, request.GET))
    listing = selectors.person_list(user=user, filters=filters)
    return render(
        request,
        "organisation/person_list.html",
        {
            "page": paginate(request, listing.people),
            "filters": filters,
            "unit": listing.unit,
            "unit_choices": listing.unit_choices,
            "gender_choices": Gender.choices,
            "category_choices": PersonCategory.choices,
            "ethnicity_choices": ETHNICITY_CHOICES,
            "filtered": any(
                (filters.q, filters.unit_id, filters.gender, filters.category, filters.ethnicity)
            ),
        },
    )


def _person_filters(params: Any) -> selectors.PersonFilters:
    return selectors.PersonFilters(
        q=params.get("q", "").strip()[:200],
        unit_id=parse_int(params.get("unit")),
        gender=parse_choice(params.get("gender"), Gender.choices),
        category=parse_choice(params.get("category"), PersonCategory.choices),
        ethnicity=parse_choice(params.get("ethnicity"), ETHNICITY_CHOICES),
    )


def _registry_reader(user: User) -> None:
    if not user.has_perm("awards.view_registry"):
        raise PermissionDenied


def person_export_spec(user: User, params: Any) -> ExportSpec:
    """The people list as a file, for the user's own scope (the view and the background export call it)."""
    _registry_reader(user)
    people: QuerySet[Any] = selectors.person_list(user=user, filters=_person_filters(params)).people
    gender, category = choice_labels(people.model, "gender"), choice_labels(people.model, "category")

    def rows() -> Iterator[list[Any]]:
        for index, p in enumerate(in_batches(people), start=1):
            can_see_id = user.has_perm("organisation.view_identity_number", p)
            yield [
                index,
                p.full_name,
                p.family_name,
                p.middle_name,
                p.given_name,
                gender(p.gender),
                p.birth_date,
                p.ethnicity,
                (p.identity_number if can_see_id else p.masked_identity_number) or "",
                p.unit.name,
                p.position,
                category(p.category),
                _yes_no(p.is_active),
                p.award_count,
            ]

    return ExportSpec(
        total=people.count(),
        filename=export_filename("ca-nhan"),
        title=_("Cá nhân"),
        headers=[
            _("STT"),
            _("Họ và tên"),
            _("Họ"),
            _("Tên đệm"),
            _("Tên"),
            _("Giới tính"),
            _("Ngày sinh"),
            _("Dân tộc"),
            _("Số CCCD"),
            _("Đơn vị công tác"),
            _("Chức vụ"),
            _("Thành phần"),
            _("Đang công tác"),
            _("Số lần khen thưởng"),
        ],
        rows=rows(),
        widths=[6, 28, 12, 14, 10, 9, 12, 12, 16, 36, 24, 24, 12, 12],
    )


@login_required
def person_detail(request: HttpRequest, pk: int) -> HttpResponseBase:
    user = current_user(request)
    profile = selectors.person_profile(user=user, person_id=pk)
    # 404 rather than 403: a guessed URL must not reveal that the person exists.
    if profile is None or not user.has_perm("organisation.view_person", profile.person):
        raise Http404
    person = profile.person
    can_see_id = user.has_perm("organisation.view_identity_number", person)
    return render(
        request,
        "organisation/person_detail.html",
        {
            "profile": profile,
            "person": person,
            "identity_number": person.identity_number if can_see_id else person.masked_identity_number,
            "identity_masked": not can_see_id,
        },
    )


# ---------------------------------------------------------------------------------------------------
# Units


@login_required
def unit_list(request: HttpRequest) -> HttpResponseBase:
    user = require_perm(request, "awards.view_registry")
    filters = _unit_filters(request.GET)
    if wants_export(request):
        return export_or_queue(request, user, "don-vi", unit_export_spec(user, request.GET))
    units = selectors.unit_list(user=user, filters=filters)
    return render(
        request,
        "organisation/unit_list.html",
        {
            "page": paginate(request, units),
            "filters": filters,
            "kind_choices": UnitKind.choices,
            "today": timezone.localdate(),
            "filtered": any(
                (
                    filters.q,
                    filters.kind,
                    filters.border,
                    filters.highland,
                    filters.difficult,
                    filters.include_dissolved,
                )
            ),
        },
    )


def _unit_filters(params: Any) -> selectors.UnitFilters:
    return selectors.UnitFilters(
        q=params.get("q", "").strip()[:200],
        kind=parse_choice(params.get("kind"), UnitKind.choices),
        border=parse_flag(params.get("border")),
        highland=parse_flag(params.get("highland")),
        difficult=parse_flag(params.get("difficult")),
        include_dissolved=parse_flag(params.get("dissolved")),
    )


def unit_export_spec(user: User, params: Any) -> ExportSpec:
    _registry_reader(user)
    units: QuerySet[Any] = selectors.unit_list(user=user, filters=_unit_filters(params))
    kind = choice_labels(units.model, "kind")

    def rows() -> Iterator[list[Any]]:
        for index, u in enumerate(in_batches(units), start=1):
            yield [
                index,
                u.code,
                u.name,
                kind(u.kind),
                u.parent.name if u.parent else "",
                _yes_no(u.is_border),
                _yes_no(u.is_highland),
                _yes_no(u.is_especially_difficult),
                u.valid_from,
                u.valid_to,
                u.people_count,
                u.address,
            ]

    return ExportSpec(
        total=units.count(),
        filename=export_filename("tap-the-don-vi"),
        title=_("Tập thể, đơn vị"),
        headers=[
            _("STT"),
            _("Mã đơn vị"),
            _("Tên đơn vị"),
            _("Loại đơn vị"),
            _("Đơn vị cấp trên"),
            _("Biên giới"),
            _("Vùng cao"),
            _("Vùng đặc biệt khó khăn"),
            _("Hiệu lực từ"),
            _("Hiệu lực đến"),
            _("Số cá nhân"),
            _("Địa chỉ"),
        ],
        rows=rows(),
        widths=[6, 12, 40, 22, 34, 10, 10, 12, 12, 12, 10, 36],
    )


@login_required
def unit_detail(request: HttpRequest, pk: int) -> HttpResponseBase:
    user = current_user(request)
    profile = selectors.unit_profile(user=user, unit_id=pk)
    if profile is None or not user.has_perm("organisation.view_unit", profile.unit):
        raise Http404
    return render(request, "organisation/unit_detail.html", {"profile": profile, "unit": profile.unit})


# ---------------------------------------------------------------------------------------------------
# Households


@login_required
def household_list(request: HttpRequest) -> HttpResponseBase:
    user = require_perm(request, "awards.view_registry")
    filters = _household_filters(request.GET)
    if wants_export(request):
        return export_or_queue(request, user, "ho-gia-dinh", household_export_spec(user, request.GET))
    listing = selectors.household_list(user=user, filters=filters)
    return render(
        request,
        "organisation/household_list.html",
        {
            "page": paginate(request, listing.households),
            "filters": filters,
            "unit": listing.unit,
            "unit_choices": listing.unit_choices,
            "filtered": bool(filters.q or filters.unit_id),
        },
    )


def _household_filters(params: Any) -> selectors.HouseholdFilters:
    return selectors.HouseholdFilters(
        q=params.get("q", "").strip()[:200], unit_id=parse_int(params.get("unit"))
    )


def household_export_spec(user: User, params: Any) -> ExportSpec:
    _registry_reader(user)
    households: QuerySet[Any] = selectors.household_list(
        user=user, filters=_household_filters(params)
    ).households

    def rows() -> Iterator[list[Any]]:
        for index, h in enumerate(in_batches(households), start=1):
            yield [index, h.code, h.head_name, h.village, h.unit.name, h.ethnicity, h.award_count]

    return ExportSpec(
        total=households.count(),
        filename=export_filename("ho-gia-dinh"),
        title=_("Hộ gia đình"),
        headers=[
            _("STT"),
            _("Mã hộ"),
            _("Chủ hộ"),
            _("Thôn, bản, tổ dân phố"),
            _("Xã, phường"),
            _("Dân tộc"),
            _("Số lần khen thưởng"),
        ],
        rows=rows(),
        widths=[6, 14, 28, 28, 32, 12, 12],
    )


@login_required
def household_detail(request: HttpRequest, pk: int) -> HttpResponseBase:
    user = current_user(request)
    profile = selectors.household_profile(user=user, household_id=pk)
    if profile is None or not user.has_perm("organisation.view_household", profile.household):
        raise Http404
    return render(
        request,
        "organisation/household_detail.html",
        {"profile": profile, "household": profile.household},
    )


# ---------------------------------------------------------------------------------------------------
# Blocs


@login_required
def bloc_list(request: HttpRequest) -> HttpResponseBase:
    user = require_perm(request, "organisation.view_bloc")
    filters = selectors.BlocFilters(
        q=request.GET.get("q", "").strip()[:200],
        kind=parse_choice(request.GET.get("kind"), BlocKind.choices),
        year=parse_int(request.GET.get("year")),
    )
    if wants_export(request):
        return _bloc_export(selectors.bloc_export_rows(user=user, filters=filters))
    listing = selectors.bloc_list(user=user, filters=filters)
    return render(
        request,
        "organisation/bloc_list.html",
        {
            "page": paginate(request, listing.blocs),
            "filters": filters,
            "year": listing.year,
            "years": listing.years,
            "kind_choices": BlocKind.choices,
            "filtered": bool(filters.q or filters.kind),
        },
    )


def _bloc_export(memberships: QuerySet[Any]) -> HttpResponseBase:
    def rows() -> Iterator[list[Any]]:
        for index, m in enumerate(in_batches(memberships), start=1):
            yield [
                index,
                m.bloc.code,
                m.bloc.name,
                m.bloc.get_kind_display(),
                m.year,
                m.unit.name,
                m.get_role_display(),
            ]

    return xlsx_response(
        filename=export_filename("khoi-thi-dua"),
        title=_("Khối thi đua"),
        headers=[_("STT"), _("Mã khối"), _("Tên khối, cụm"), _("Loại"), _("Năm"), _("Đơn vị"), _("Vai trò")],
        rows=rows(),
        widths=[6, 12, 36, 14, 8, 40, 14],
    )


@login_required
def bloc_detail(request: HttpRequest, pk: int) -> HttpResponseBase:
    user = require_perm(request, "organisation.view_bloc")
    profile = selectors.bloc_detail(user=user, bloc_id=pk)
    if profile is None:
        raise Http404
    return render(request, "organisation/bloc_detail.html", {"profile": profile, "bloc": profile.bloc})
