"""The REST API of the movements: movements with their criteria and progress, and the units' progress
reports (read, write the values, submit, accept or return).

Each handler finds its objects through the same scoped selectors as the pages (outside the scope: 404),
calls one service, and returns a schema; the services refuse with a Vietnamese `ValidationError` (400,
nothing written) or `Forbidden` (403), turned into `{detail, code}` by thidua/api.py.
"""

import datetime as dt
from decimal import Decimal
from typing import Any, cast

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.urls import reverse
from ninja import Field, Query, Router, Schema
from ninja.pagination import PageNumberPagination, paginate

from thidua.accounts.models import User
from thidua.movements import reviews, selectors, services
from thidua.movements.models import Movement, MovementReview, ProgressReport, ReviewKind
from thidua.movements.workflow import MovementState, ReportState

PAGE_SIZE = 50

router = Router(tags=["Phong trào thi đua"])


def _user(request: HttpRequest) -> User:
    return cast(User, request.auth)  # type: ignore[attr-defined]


def _require_view(user: User) -> None:
    if not user.has_perm("movements.view_movements"):
        raise PermissionDenied


class ErrorOut(Schema):
    detail: str = Field(description="Thông báo lỗi bằng tiếng Việt")
    code: str = Field(description="Mã lỗi ổn định cho phần mềm")


ERRORS: dict[int, Any] = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut}


class MovementFilterIn(Schema):
    state: MovementState | None = Field(None, description="Trạng thái phong trào")
    year: int | None = Field(None, ge=1945, le=2100, description="Năm phong trào diễn ra")


class MovementBase(Schema):
    id: int
    code: str = Field(description="Số phong trào")
    title: str
    authority: str = Field(description="Cấp phát động")
    kind: str = Field(description="regular (thường xuyên) hoặc thematic (chuyên đề)")
    start_date: dt.date
    end_date: dt.date
    state: str
    state_label: str
    target_count: int = Field(description="Số đơn vị tham gia")


class MovementOut(MovementBase):
    @staticmethod
    def resolve_authority(obj: Movement) -> str:
        return obj.authority.name

    @staticmethod
    def resolve_state_label(obj: Movement) -> str:
        return str(MovementState(obj.state).label)

    @staticmethod
    def resolve_target_count(obj: Movement) -> int:
        return int(obj.target_count)  # type: ignore[attr-defined]


class CriterionOut(Schema):
    id: int
    name: str
    unit_of_measure: str
    direction: str = Field(description="at_least (tối thiểu) hoặc at_most (tối đa)")
    weight: Decimal
    period: str = Field(description="month, quarter, half_year, year")
    target: Decimal = Field(description="Chỉ tiêu chung")
    evidence_required: str
    progress: Decimal = Field(description="Mức đạt bình quân của các đơn vị (0–1), từ báo cáo đã chấp nhận")


class CriterionProgressOut(Schema):
    criterion_id: int
    value: Decimal | None = Field(description="Kết quả lũy kế của báo cáo được chấp nhận gần nhất")
    target: Decimal = Field(description="Chỉ tiêu của đơn vị")
    achievement: Decimal = Field(description="Mức đạt (0–1)")


class PeriodOut(Schema):
    label: str
    period_end: dt.date
    due_date: dt.date
    report_id: int | None
    state: str = Field(description="Trạng thái báo cáo; rỗng nếu chưa lập")
    late: bool = Field(description="Gửi lần đầu sau hạn")
    missing: bool = Field(description="Đã quá hạn mà chưa gửi")


class UnitProgressOut(Schema):
    unit_id: int
    unit: str
    progress: Decimal = Field(description="Tiến độ chung của đơn vị (0–1): bình quân có trọng số")
    criteria: list[CriterionProgressOut]
    periods: list[PeriodOut]


class MovementDetailOut(MovementBase):
    description: str
    report_due_days: int = Field(description="Hạn báo cáo: số ngày làm việc sau khi hết kỳ")
    progress: Decimal = Field(description="Tiến độ chung của phong trào (0–1)")
    criteria: list[CriterionOut]
    units: list[UnitProgressOut] = Field(description="Đơn vị tham gia trong phạm vi của người dùng")


def _detail(user: User, pk: int) -> dict[str, Any]:
    page = selectors.movement_page(user=user, pk=pk)
    m = page.movement
    return {
        "id": m.pk,
        "code": m.code,
        "title": m.title,
        "authority": m.authority.name,
        "kind": m.kind,
        "start_date": m.start_date,
        "end_date": m.end_date,
        "state": m.state,
        "state_label": m.get_state_display(),
        "target_count": len(page.units) + page.targets_hidden,
        "description": m.description,
        "report_due_days": m.report_due_days,
        "progress": page.overall,
        "criteria": [
            {
                "id": row.criterion.pk,
                "name": row.criterion.name,
                "unit_of_measure": row.criterion.unit_of_measure,
                "direction": row.criterion.direction,
                "weight": row.criterion.weight,
                "period": row.criterion.period,
                "target": row.criterion.target,
                "evidence_required": row.criterion.evidence_required,
                "progress": row.average,
            }
            for row in page.criteria
        ],
        "units": [
            {
                "unit_id": row.unit.pk,
                "unit": row.unit.name,
                "progress": row.progress.overall,
                "criteria": [
                    {"criterion_id": cid, "value": value, "target": target, "achievement": share}
                    for cid, (value, target, share) in row.progress.by_criterion.items()
                ],
                "periods": [
                    {
                        "label": s.period.label,
                        "period_end": s.period.end,
                        "due_date": s.period.due,
                        "report_id": s.report.pk if s.report else None,
                        "state": s.report.state if s.report else "",
                        "late": s.late,
                        "missing": s.missing,
                    }
                    for s in row.periods
                ],
            }
            for row in page.units
        ],
    }


@router.get(
    "/movements",
    response={200: list[MovementOut], **ERRORS},
    summary="Danh sách phong trào thi đua",
    description="Phong trào của cấp người dùng làm việc, và phong trào có đơn vị tham gia trong phạm vi.",
)
@paginate(PageNumberPagination, page_size=PAGE_SIZE, max_page_size=PAGE_SIZE)
def movement_list(request: HttpRequest, filters: Query[MovementFilterIn]) -> Any:
    user = _user(request)
    _require_view(user)
    return selectors.movement_list(
        user=user, state=filters.state.value if filters.state else "", year=filters.year
    )


@router.get(
    "/movements/{movement_id}",
    response={200: MovementDetailOut, **ERRORS},
    summary="Chi tiết phong trào, tiêu chí và tiến độ",
    description="Tiến độ tính từ các báo cáo đã được chấp nhận (docs/movements.md).",
)
def movement_detail(request: HttpRequest, movement_id: int) -> Any:
    user = _user(request)
    _require_view(user)
    return _detail(user, movement_id)


class ReportBase(Schema):
    id: int
    movement_id: int
    unit_id: int
    unit: str
    label: str = Field(description="Kỳ báo cáo")
    period_start: dt.date
    period_end: dt.date
    due_date: dt.date
    state: str
    state_label: str
    first_submitted_at: dt.datetime | None
    late: bool = Field(description="Gửi lần đầu sau hạn")


class ReportOut(ReportBase):
    @staticmethod
    def resolve_unit(obj: ProgressReport) -> str:
        return obj.unit.name

    @staticmethod
    def resolve_state_label(obj: ProgressReport) -> str:
        return str(ReportState(obj.state).label)

    @staticmethod
    def resolve_late(obj: ProgressReport) -> bool:
        return obj.is_late


class ValueOut(Schema):
    criterion_id: int
    criterion: str
    target: Decimal
    value: Decimal | None
    note: str


class TransitionOut(Schema):
    at: dt.datetime
    actor: str
    source: str
    target: str
    comment: str


class ReportDetailOut(ReportBase):
    narrative: str
    values: list[ValueOut]
    missing: list[str] = Field(description="Những gì báo cáo còn thiếu trước khi gửi")
    transitions: list[TransitionOut]
    permissions: dict[str, bool]


def _report(user: User, pk: int) -> dict[str, Any]:
    page = selectors.report_page(user=user, pk=pk)
    r = page.report
    return {
        "id": r.pk,
        "movement_id": r.movement_id,
        "unit_id": r.unit_id,
        "unit": r.unit.name,
        "label": r.label,
        "period_start": r.period_start,
        "period_end": r.period_end,
        "due_date": r.due_date,
        "state": r.state,
        "state_label": r.get_state_display(),
        "first_submitted_at": r.first_submitted_at,
        "late": page.late,
        "narrative": r.narrative,
        "values": [
            {
                "criterion_id": line.criterion.pk,
                "criterion": line.criterion.name,
                "target": line.target,
                "value": line.value.value if line.value else None,
                "note": line.value.note if line.value else "",
            }
            for line in page.lines
        ],
        "missing": page.missing,
        "transitions": [
            {"at": t.at, "actor": str(t.actor), "source": t.source, "target": t.target, "comment": t.comment}
            for t in page.transitions
        ],
        "permissions": page.perms,
    }


class ReportFilterIn(Schema):
    state: ReportState | None = Field(None, description="Trạng thái báo cáo")


@router.get(
    "/movements/{movement_id}/reports",
    response={200: list[ReportOut], **ERRORS},
    summary="Báo cáo tiến độ của một phong trào",
    description="Báo cáo của mọi đơn vị với cấp phát động; của đơn vị mình với đơn vị tham gia.",
)
@paginate(PageNumberPagination, page_size=PAGE_SIZE, max_page_size=PAGE_SIZE)
def report_list(request: HttpRequest, movement_id: int, filters: Query[ReportFilterIn]) -> Any:
    user = _user(request)
    _require_view(user)
    movement = selectors.get_movement(user=user, pk=movement_id)
    return selectors.report_list(user=user, state=filters.state.value if filters.state else "").filter(
        movement=movement
    )


class ReportOpenIn(Schema):
    unit_id: int = Field(description="Đơn vị tham gia (trong phạm vi của người dùng)")
    period_end: dt.date = Field(description="Ngày kết thúc kỳ báo cáo (xem periods của phong trào)")


@router.post(
    "/movements/{movement_id}/reports",
    response={200: ReportDetailOut, **ERRORS},
    summary="Lập (hoặc mở) báo cáo của đơn vị cho một kỳ",
)
def report_open(request: HttpRequest, movement_id: int, payload: ReportOpenIn) -> Any:
    user = _user(request)
    _require_view(user)
    movement = selectors.get_movement(user=user, pk=movement_id)
    unit = selectors.target_unit(movement, payload.unit_id)
    report = services.report_open(actor=user, movement=movement, unit=unit, period_end=payload.period_end)
    return _report(user, report.pk)


@router.get(
    "/movement-reports/{report_id}", response={200: ReportDetailOut, **ERRORS}, summary="Chi tiết báo cáo"
)
def report_detail(request: HttpRequest, report_id: int) -> Any:
    user = _user(request)
    _require_view(user)
    return _report(user, report_id)


class ValueIn(Schema):
    criterion_id: int
    value: Decimal | None = Field(description="Kết quả lũy kế; null để xóa")
    note: str = Field("", max_length=300)


class ReportSaveIn(Schema):
    values: list[ValueIn] = Field(default_factory=list)
    narrative: str | None = Field(None, description="Tóm tắt kết quả; không gửi thì giữ nguyên")


@router.put(
    "/movement-reports/{report_id}",
    response={200: ReportDetailOut, **ERRORS},
    summary="Ghi kết quả, tóm tắt của báo cáo (khi đang soạn hoặc bị trả lại)",
)
def report_save(request: HttpRequest, report_id: int, payload: ReportSaveIn) -> Any:
    user = _user(request)
    _require_view(user)
    report = selectors.get_report(user=user, pk=report_id)
    services.report_save(
        actor=user,
        report=report,
        values={v.criterion_id: (v.value, v.note) for v in payload.values},
        narrative=payload.narrative,
    )
    return _report(user, report_id)


class StepIn(Schema):
    text: str = Field("", description="Ghi chú; với trả lại (return) là lý do, bắt buộc")


@router.post(
    "/movement-reports/{report_id}/transitions/{action}",
    response={200: ReportDetailOut, **ERRORS},
    summary="Gửi, chấp nhận hoặc trả lại báo cáo",
    description=(
        "action: submit (thủ trưởng đơn vị gửi), accept (chuyên viên cấp phát động chấp nhận), return "
        "(chuyên viên cấp phát động trả lại, cần lý do)."
    ),
)
def report_transition(request: HttpRequest, report_id: int, action: str, payload: StepIn) -> Any:
    user = _user(request)
    _require_view(user)
    report = selectors.get_report(user=user, pk=report_id)
    if action not in ("submit", "accept", "return"):
        raise Http404
    services.report_step(actor=user, report=report, action=action, text=payload.text)
    return _report(user, report_id)


# ---------------------------------------------------------------------------------------------------
# Reviews (sơ kết, tổng kết)


class ReviewFieldsIn(Schema):
    place: str = Field("", max_length=200, description="Địa điểm")
    chaired_by: str = Field("", max_length=200, description="Người chủ trì")
    situation: str = Field("", description="Đặc điểm tình hình")
    strengths: str = Field("", description="Ưu điểm")
    weaknesses: str = Field("", description="Hạn chế và nguyên nhân")
    lessons: str = Field("", description="Bài học kinh nghiệm")
    directions: str = Field("", description="Phương hướng, nhiệm vụ")
    recommendations: str = Field("", description="Đề xuất, kiến nghị")
    signer_title: str = Field("", max_length=100, description="Chức vụ người ký; để trống: người đứng đầu")
    signer_name: str = Field("", max_length=100, description="Họ tên người ký")


class ReviewIn(ReviewFieldsIn):
    kind: ReviewKind = Field(description="midterm (sơ kết) hoặc final (tổng kết)")
    held_on: dt.date = Field(description="Ngày sơ kết, tổng kết: từ ngày phát động đến hôm nay")


class ReviewUpdateIn(ReviewFieldsIn):
    held_on: dt.date | None = Field(None, description="Ngày sơ kết, tổng kết; không gửi thì giữ nguyên")


class ReviewBase(Schema):
    id: int
    movement_id: int
    kind: str = Field(description="midterm (sơ kết) hoặc final (tổng kết)")
    kind_label: str
    held_on: dt.date
    place: str
    chaired_by: str
    situation: str
    strengths: str
    weaknesses: str
    lessons: str
    directions: str
    recommendations: str
    signer_title: str
    signer_name: str
    created_by: str
    created_at: dt.datetime


class ReviewOut(ReviewBase):
    @staticmethod
    def resolve_kind_label(obj: MovementReview) -> str:
        return str(ReviewKind(obj.kind).label)

    @staticmethod
    def resolve_created_by(obj: MovementReview) -> str:
        return str(obj.created_by)


class AwardLineOut(Schema):
    name: str = Field(description="Cá nhân, tập thể được đề nghị")
    award: str = Field(description="Hình thức đề nghị")
    outcome: str = Field(description="pending, approved, not_approved, forwarded, revoked")


class ReviewDossierOut(Schema):
    id: int
    code: str
    unit: str
    state: str
    lines: list[AwardLineOut]


class ReviewDetailOut(ReviewBase):
    dossiers: list[ReviewDossierOut] = Field(
        description="Hồ sơ đề nghị khen thưởng gắn với phong trào, trong phạm vi của người dùng"
    )
    report: dict[str, str] = Field(
        description="Đường dẫn tải báo cáo (docx, pdf): chỉ cấp phát động và tài khoản toàn tỉnh"
    )


def _review(user: User, movement_id: int, review_id: int) -> Any:
    page = reviews.review_page(user=user, movement_pk=movement_id, pk=review_id)
    r = page.review
    out: dict[str, Any] = {name: getattr(r, name) for name in ReviewBase.model_fields if hasattr(r, name)}
    out.update(
        {
            "movement_id": r.movement_id,
            "kind_label": str(ReviewKind(r.kind).label),
            "created_by": str(r.created_by),
            "dossiers": [
                {
                    "id": row.dossier.pk,
                    "code": row.dossier.code,
                    "unit": row.dossier.unit.name,
                    "state": row.dossier.state,
                    "lines": [{"name": x.name, "award": x.award, "outcome": x.outcome} for x in row.lines],
                }
                for row in page.dossiers
            ],
            "report": {
                fmt: reverse("movements:review_document", args=[r.movement_id, r.pk, fmt])
                for fmt in ("docx", "pdf")
            }
            if page.perms["download"]
            else {},
        }
    )
    return out


@router.get(
    "/movements/{movement_id}/reviews",
    response={200: list[ReviewOut], **ERRORS},
    summary="Sơ kết, tổng kết của một phong trào",
)
@paginate(PageNumberPagination, page_size=PAGE_SIZE, max_page_size=PAGE_SIZE)
def review_list(request: HttpRequest, movement_id: int) -> Any:
    user = _user(request)
    _require_view(user)
    movement = selectors.get_movement(user=user, pk=movement_id)
    return MovementReview.objects.filter(movement=movement).select_related("created_by").order_by("held_on")


@router.post(
    "/movements/{movement_id}/reviews",
    response={200: ReviewDetailOut, **ERRORS},
    summary="Ghi sơ kết hoặc tổng kết (chuyển trạng thái phong trào)",
    description=(
        "Chuyên viên của cấp phát động ghi; sơ kết chuyển phong trào sang “Đã sơ kết”, tổng kết sang "
        "“Đã tổng kết”. Mỗi phong trào có nhiều nhất một sơ kết và một tổng kết."
    ),
)
def review_create(request: HttpRequest, movement_id: int, payload: ReviewIn) -> Any:
    user = _user(request)
    _require_view(user)
    movement = selectors.get_movement(user=user, pk=movement_id)
    fields = payload.dict(exclude={"kind", "held_on"})
    review = services.review_record(
        actor=user, movement=movement, kind=payload.kind.value, held_on=payload.held_on, **fields
    )
    return _review(user, movement_id, review.pk)


@router.get(
    "/movements/{movement_id}/reviews/{review_id}",
    response={200: ReviewDetailOut, **ERRORS},
    summary="Chi tiết sơ kết, tổng kết và khen thưởng đề nghị",
)
def review_detail(request: HttpRequest, movement_id: int, review_id: int) -> Any:
    user = _user(request)
    _require_view(user)
    return _review(user, movement_id, review_id)


@router.put(
    "/movements/{movement_id}/reviews/{review_id}",
    response={200: ReviewDetailOut, **ERRORS},
    summary="Sửa ngày, nội dung đánh giá của sơ kết, tổng kết",
)
def review_update(request: HttpRequest, movement_id: int, review_id: int, payload: ReviewUpdateIn) -> Any:
    user = _user(request)
    _require_view(user)
    review = reviews.get_review(user=user, movement_pk=movement_id, pk=review_id)
    services.review_update(
        actor=user, review=review, held_on=payload.held_on, **payload.dict(exclude={"held_on"})
    )
    return _review(user, movement_id, review_id)
