"""The REST API of the registrations: list, read, begin a unit's registration of a year, set its
collective and personal titles, submit, approve or return, and the summary by unit and title.

Each handler finds its objects through the same scoped selectors as the pages (outside the scope: 404),
calls one service, and returns a schema; the services refuse with a Vietnamese `ValidationError` (400,
nothing written) or `Forbidden` (403), turned into `{detail, code}` by thidua/api.py.
"""

import datetime as dt
from decimal import Decimal
from typing import Any, cast

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.pagination import PageNumberPagination, paginate

from thidua.accounts.models import User
from thidua.accounts.scope import unit_in_scope
from thidua.organisation.models import Unit
from thidua.registrations import selectors, services
from thidua.registrations.deadline import open_year
from thidua.registrations.models import Registration
from thidua.registrations.workflow import RegistrationState

PAGE_SIZE = 50

router = Router(tags=["Đăng ký thi đua"])


def _user(request: HttpRequest) -> User:
    return cast(User, request.auth)  # type: ignore[attr-defined]


def _require_view(user: User) -> None:
    if not user.has_perm("registrations.view_registrations"):
        raise PermissionDenied


class ErrorOut(Schema):
    detail: str = Field(description="Thông báo lỗi bằng tiếng Việt")
    code: str = Field(description="Mã lỗi ổn định cho phần mềm")


ERRORS: dict[int, Any] = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut}


class RegistrationFilterIn(Schema):
    year: int | None = Field(None, ge=1945, le=2100, description="Năm đăng ký")
    state: RegistrationState | None = Field(None, description="Trạng thái")


class RegistrationBase(Schema):
    id: int
    unit_id: int
    unit: str
    year: int
    authority: str = Field(description="Cấp duyệt: cấp có thẩm quyền phía trên đơn vị")
    due_date: dt.date = Field(description="Hạn đăng ký")
    state: str
    state_label: str
    first_submitted_at: dt.datetime | None
    late: bool = Field(description="Gửi lần đầu sau hạn")


class RegistrationOut(RegistrationBase):
    collective_count: int
    person_count: int
    pledge_count: int

    @staticmethod
    def resolve_unit(obj: Registration) -> str:
        return obj.unit.name

    @staticmethod
    def resolve_authority(obj: Registration) -> str:
        return obj.authority.name

    @staticmethod
    def resolve_state_label(obj: Registration) -> str:
        return str(RegistrationState(obj.state).label)

    @staticmethod
    def resolve_late(obj: Registration) -> bool:
        return obj.is_late


class CollectiveOut(Schema):
    id: int
    collective_id: int
    collective: str
    award_code: str
    award: str


class PersonOut(Schema):
    person_id: int
    person: str
    unit: str
    award_code: str
    award: str


class PledgeTargetOut(Schema):
    criterion_id: int
    criterion: str
    target: Decimal


class PledgeOut(Schema):
    movement_id: int
    movement: str
    text: str
    targets: list[PledgeTargetOut]


class TransitionOut(Schema):
    at: dt.datetime
    actor: str
    source: str
    target: str
    comment: str


class RegistrationDetailOut(RegistrationBase):
    note: str
    deadline_confirmed: bool = Field(
        description="Hạn có căn cứ trong quy định (false: mặc định của hệ thống)"
    )
    deadline_basis: str
    overdue: bool = Field(description="Đã quá hạn mà chưa gửi")
    collectives: list[CollectiveOut]
    people: list[PersonOut]
    pledges: list[PledgeOut]
    missing: list[str] = Field(description="Những gì bản đăng ký còn thiếu trước khi gửi")
    transitions: list[TransitionOut]
    permissions: dict[str, bool]


def _detail(user: User, pk: int) -> dict[str, Any]:
    page = selectors.registration_page(user=user, pk=pk)
    r = page.registration
    return {
        "id": r.pk,
        "unit_id": r.unit_id,
        "unit": r.unit.name,
        "year": r.year,
        "authority": r.authority.name,
        "due_date": r.due_date,
        "state": r.state,
        "state_label": r.get_state_display(),
        "first_submitted_at": r.first_submitted_at,
        "late": page.late,
        "overdue": page.overdue,
        "note": r.note,
        "deadline_confirmed": page.deadline.confirmed,
        "deadline_basis": page.deadline.basis,
        "collectives": [
            {
                "id": line.pk,
                "collective_id": line.collective_id,
                "collective": line.collective.name,
                "award_code": line.award_type.code,
                "award": line.award_type.name,
            }
            for line in page.collectives
        ],
        "people": [
            {
                "person_id": line.person_id,
                "person": line.person.full_name,
                "unit": line.person.unit.name,
                "award_code": line.award_type.code,
                "award": line.award_type.name,
            }
            for line in page.people
        ],
        "pledges": [
            {
                "movement_id": row.movement.pk,
                "movement": row.movement.title,
                "text": row.pledge.text,
                "targets": [
                    {"criterion_id": c.pk, "criterion": c.name, "target": row.targets[c.pk].target}
                    for c in row.criteria
                    if c.pk in row.targets
                ],
            }
            for row in page.pledges
            if row.pledge is not None
        ],
        "missing": page.missing,
        "transitions": [
            {"at": t.at, "actor": str(t.actor), "source": t.source, "target": t.target, "comment": t.comment}
            for t in page.transitions
        ],
        "permissions": page.perms,
    }


@router.get(
    "/registrations",
    response={200: list[RegistrationOut], **ERRORS},
    summary="Danh sách bản đăng ký thi đua",
    description="Bản đăng ký của các đơn vị trong phạm vi, và bản gửi đến cấp người dùng làm việc.",
)
@paginate(PageNumberPagination, page_size=PAGE_SIZE, max_page_size=PAGE_SIZE)
def registration_list(request: HttpRequest, filters: Query[RegistrationFilterIn]) -> Any:
    user = _user(request)
    _require_view(user)
    return selectors.registration_list(
        user=user, year=filters.year, state=filters.state.value if filters.state else ""
    )


class SummaryTitleOut(Schema):
    award_code: str
    award: str
    total: int


class SummaryRowOut(Schema):
    registration_id: int
    unit_id: int
    unit: str
    state: str
    late: bool
    counts: dict[str, int] = Field(description="Mã danh hiệu → số tập thể, cá nhân đăng ký")
    total: int


class SummaryOut(Schema):
    year: int
    approved_only: bool
    due_date: dt.date
    titles: list[SummaryTitleOut]
    units: list[SummaryRowOut]
    total: int


class SummaryIn(Schema):
    year: int | None = Field(None, ge=1945, le=2100, description="Năm; mặc định năm đang đăng ký")
    approved_only: bool = Field(False, description="Chỉ tính bản đã duyệt")


@router.get(
    "/registrations/summary",
    response={200: SummaryOut, **ERRORS},
    summary="Tổng hợp đăng ký theo đơn vị và danh hiệu",
    description="Bản đã gửi (chờ duyệt, đã duyệt) trong phạm vi người dùng; cấp tỉnh thấy mọi đơn vị.",
)
def registration_summary(request: HttpRequest, filters: Query[SummaryIn]) -> Any:
    user = _user(request)
    _require_view(user)
    year = filters.year or open_year(timezone.localdate())
    data = selectors.summary(user=user, year=year, approved_only=filters.approved_only)
    codes = {a.pk: a.code for a in data.titles}
    return {
        "year": data.year,
        "approved_only": data.approved_only,
        "due_date": data.deadline.day,
        "titles": [{"award_code": a.code, "award": a.name, "total": data.totals[a.pk]} for a in data.titles],
        "units": [
            {
                "registration_id": row.registration.pk,
                "unit_id": row.unit.pk,
                "unit": row.unit.name,
                "state": row.registration.state,
                "late": row.registration.is_late,
                "counts": {codes[a]: n for a, n in row.counts.items()},
                "total": row.total,
            }
            for row in data.rows
        ],
        "total": data.total,
    }


class OpenIn(Schema):
    unit_id: int = Field(description="Đơn vị đăng ký (trong phạm vi của người dùng)")
    year: int = Field(ge=1945, le=2100)


@router.post(
    "/registrations",
    response={200: RegistrationDetailOut, **ERRORS},
    summary="Lập (hoặc mở) bản đăng ký của đơn vị cho một năm",
)
def registration_open(request: HttpRequest, payload: OpenIn) -> Any:
    user = _user(request)
    _require_view(user)
    unit = Unit.objects.filter(pk=payload.unit_id).first()
    if unit is None or not unit_in_scope(user, unit):
        raise Http404
    registration = services.registration_open(actor=user, unit=unit, year=payload.year)
    return _detail(user, registration.pk)


@router.get(
    "/registrations/{registration_id}",
    response={200: RegistrationDetailOut, **ERRORS},
    summary="Chi tiết bản đăng ký",
)
def registration_detail(request: HttpRequest, registration_id: int) -> Any:
    user = _user(request)
    _require_view(user)
    return _detail(user, registration_id)


class PersonIn(Schema):
    person_id: int
    award_code: str = Field(description="Mã danh hiệu cá nhân (LDTT, CSTDCS...); rỗng để bỏ người này")


class CollectiveIn(Schema):
    collective_id: int | None = Field(
        None, description="Tập thể (đơn vị hoặc đơn vị trực thuộc); mặc định đơn vị"
    )
    award_code: str


class LinesIn(Schema):
    people: list[PersonIn] = Field(default_factory=list)
    collectives: list[CollectiveIn] = Field(default_factory=list, description="Danh hiệu tập thể thêm vào")


@router.post(
    "/registrations/{registration_id}/lines",
    response={200: RegistrationDetailOut, **ERRORS},
    summary="Ghi danh hiệu cá nhân, thêm danh hiệu tập thể (khi đang soạn hoặc bị trả lại)",
)
def registration_lines(request: HttpRequest, registration_id: int, payload: LinesIn) -> Any:
    user = _user(request)
    _require_view(user)
    registration = selectors.get_registration(user=user, pk=registration_id)
    if payload.people:
        services.people_set(
            actor=user,
            registration=registration,
            titles={p.person_id: p.award_code for p in payload.people},
        )
    for c in payload.collectives:
        collective = (
            selectors.get_unit_in_registration(registration, c.collective_id) if c.collective_id else None
        )
        services.collective_add(
            actor=user, registration=registration, award_code=c.award_code, collective=collective
        )
    return _detail(user, registration_id)


class StepIn(Schema):
    text: str = Field("", description="Ghi chú; với trả lại (return) là lý do, bắt buộc")


@router.post(
    "/registrations/{registration_id}/transitions/{action}",
    response={200: RegistrationDetailOut, **ERRORS},
    summary="Gửi, duyệt hoặc trả lại bản đăng ký",
    description=(
        "action: submit (thủ trưởng đơn vị gửi), approve (chuyên viên cấp trên duyệt), return "
        "(chuyên viên cấp trên trả lại, cần lý do)."
    ),
)
def registration_transition(request: HttpRequest, registration_id: int, action: str, payload: StepIn) -> Any:
    user = _user(request)
    _require_view(user)
    registration = selectors.get_registration(user=user, pk=registration_id)
    if action not in ("submit", "approve", "return"):
        raise Http404
    services.registration_step(actor=user, registration=registration, action=action, text=payload.text)
    return _detail(user, registration_id)
