"""The REST API of the proposal workflow: dossiers, their lines, attachments, workflow steps, the
chairman's decision, Council sessions and notifications.

Each handler parses, finds the objects through the same scoped selectors and the same permission rules
as the pages (so an object outside the user's scope is a 404, a role that may not act is a 403), calls
one service, and returns a schema. Services refuse with a Vietnamese `ValidationError` (400, nothing
written); thidua/api.py turns each exception into its status code.
"""

import datetime as dt
from enum import StrEnum
from typing import Any, Literal, cast

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Query, Router, Schema, Status, UploadedFile
from ninja.pagination import PageNumberPagination, paginate

from thidua.accounts import two_factor
from thidua.accounts.models import User
from thidua.awards import selectors as award_selectors
from thidua.awards.models import AwardRecord, AwardType, CommendationKind, Initiative
from thidua.core.errors import Forbidden
from thidua.core.http import stored_file_response
from thidua.movements import selectors as movement_reads
from thidua.movements.models import Movement
from thidua.organisation.authorities import authorities_for_user
from thidua.proposals import selectors, services, workflow
from thidua.proposals.models import (
    OPEN_STATES,
    Attachment,
    Attendance,
    BallotTally,
    CouncilMember,
    CouncilSession,
    Dossier,
    DossierState,
    DossierTransition,
    LineOutcome,
    Nominee,
)

PAGE_SIZE = 50

router = Router()
dossiers = Router(tags=["Hồ sơ đề nghị"])
decisions = Router(tags=["Quyết định khen thưởng"])
council = Router(tags=["Hội đồng Thi đua – Khen thưởng"])
notifications = Router(tags=["Thông báo"])
registry = Router(tags=["Sổ khen thưởng, đối tượng, danh mục"])
router.add_router("/dossiers", dossiers)
router.add_router("/decisions", decisions)
router.add_router("/council", council)
router.add_router("/notifications", notifications)
router.add_router("", registry)


def _user(request: HttpRequest) -> User:
    # The token authentication has run: request.auth is the token's active user.
    return cast(User, request.auth)  # type: ignore[attr-defined]


def _reauthenticate(user: User, code: str) -> None:
    # A token alone does not issue or revoke a decision (issue 13, item 6): the person is asked again.
    if not two_factor.reauth_check(user, code):
        raise Forbidden(two_factor.reauth_message(user), "reauth_required")


def _require_perm(user: User, perm: str, obj: Any = None) -> None:
    if not user.has_perm(perm, obj):
        raise PermissionDenied


# ---------------------------------------------------------------------------------------------------
# Schemas


class ErrorOut(Schema):
    detail: str = Field(description="Thông báo lỗi bằng tiếng Việt")
    code: str = Field(description="Mã lỗi ổn định cho phần mềm (not_found, forbidden, invalid_input…)")


class MessageOut(Schema):
    detail: str = Field(description="Thông báo kết quả")


ERRORS: dict[int, Any] = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut}


class UnitRef(Schema):
    id: int
    name: str = Field(description="Tên đơn vị")


class DossierFilterIn(Schema):
    q: str = Field("", max_length=200, description="Tìm theo số hồ sơ, trích yếu, tên đơn vị, số tờ trình")
    state: DossierState | None = Field(None, description="Trạng thái hồ sơ")
    kind: CommendationKind | None = Field(None, description="Loại hình khen thưởng")
    year: int | None = Field(None, ge=1945, le=2100, description="Năm thành tích")
    overdue: bool = Field(False, description="Chỉ hồ sơ đã quá hạn xử lý")


class AuthorityRef(Schema):
    id: int
    name: str = Field(description="Tên cơ quan ban hành")
    level: str = Field(description="Cấp: province, department, commune, enterprise, district")
    abbreviation: str = Field(description="Ký hiệu văn bản (…/QĐ-ký hiệu)")
    head_title: str


def _authority_ref(authority: Any) -> dict[str, Any] | None:
    if authority is None:
        return None
    return {
        "id": authority.pk,
        "name": authority.name,
        "level": authority.level,
        "abbreviation": authority.abbreviation,
        "head_title": authority.head_title,
    }


class DossierBase(Schema):
    id: int
    code: str = Field(description="Số hồ sơ")
    unit: UnitRef = Field(description="Đơn vị đề nghị")
    kind: str = Field(description="Loại hình khen thưởng (mã)")
    year: int = Field(description="Năm thành tích")
    title: str = Field(description="Trích yếu")
    state: str = Field(description="Trạng thái (mã)")
    state_label: str = Field(description="Trạng thái")
    line_count: int = Field(description="Số dòng: người, tập thể, hộ được đề nghị (còn trong hồ sơ)")
    submitted_at: dt.datetime | None = Field(description="Ngày trình")
    due_date: dt.date | None = Field(description="Hạn xử lý của Ban Thi đua – Khen thưởng")
    overdue: bool = Field(description="Đã quá hạn xử lý")


def _overdue(dossier: Dossier, today: dt.date) -> bool:
    return bool(dossier.due_date and dossier.state in OPEN_STATES and dossier.due_date < today)


class DossierOut(DossierBase):
    @staticmethod
    def resolve_state_label(obj: Dossier) -> str:
        return str(DossierState(obj.state).label)

    @staticmethod
    def resolve_overdue(obj: Dossier) -> bool:
        return _overdue(obj, timezone.localdate())

    @staticmethod
    def resolve_line_count(obj: Dossier) -> int:
        return int(obj.nominee_count)  # type: ignore[attr-defined]


class DossierIn(Schema):
    unit_id: int = Field(description="Đơn vị đề nghị (trong phạm vi của người dùng)")
    kind: CommendationKind = Field(description="Loại hình khen thưởng")
    year: int = Field(description="Năm thành tích")
    title: str = Field(max_length=300, description="Trích yếu")
    summary: str = Field("", description="Tóm tắt thành tích")
    movement: str = Field("", max_length=300, description="Phong trào thi đua (bắt buộc với khen chuyên đề)")
    proposal_number: str = Field("", max_length=60, description="Số tờ trình")
    movement_id: int | None = Field(
        None, description="Phong trào thi đua đã phát động trong hệ thống mà hồ sơ đề nghị khen thưởng"
    )
    authority_id: int | None = Field(
        None,
        description=(
            "Cấp xét, quyết định (một cấp có thẩm quyền từ đơn vị của người dùng trở lên); mặc định là cấp "
            "gần nhất của đơn vị đề nghị"
        ),
    )


class DossierPatchIn(Schema):
    title: str | None = Field(None, max_length=300, description="Trích yếu")
    summary: str | None = Field(None, description="Tóm tắt thành tích")
    movement: str | None = Field(None, max_length=300, description="Phong trào thi đua")
    movement_id: int | None = Field(
        None, description="Phong trào thi đua trong hệ thống; gửi 0 để bỏ liên kết"
    )
    proposal_number: str | None = Field(None, max_length=60, description="Số tờ trình")


class RecipientOut(Schema):
    kind: Literal["individual", "collective", "household"] = Field(
        description="Cá nhân (individual), tập thể (collective) hoặc hộ gia đình (household)"
    )
    id: int
    name: str


class AwardRef(Schema):
    code: str = Field(description="Mã danh hiệu, hình thức khen thưởng")
    name: str
    level: str = Field(description="Cấp khen thưởng")


class ConditionOut(Schema):
    code: str
    met: bool | None = Field(
        description="Đạt (true), không đạt (false) hoặc chưa xác định, cần người xem xét (null)"
    )
    text: str
    basis: str = Field("", description="Căn cứ pháp lý")
    mechanical: bool = Field(False, description="Hệ thống tự kiểm tra được")


class CheckResultOut(Schema):
    verdict: str
    regime: str = Field("", description="Bộ quy định áp dụng")
    as_of: str = ""
    conditions: list[ConditionOut]


class FlagOut(Schema):
    code: str
    text: str
    basis: str = ""


class LineOut(Schema):
    id: int
    position: int = Field(description="Số thứ tự trong hồ sơ")
    recipient: RecipientOut
    award: AwardRef = Field(description="Danh hiệu, hình thức được đề nghị")
    achievement: str = Field(description="Thành tích")
    initiative_ids: list[int] = Field(description="Sáng kiến làm căn cứ")
    verdict: str = Field(
        description="Kết quả kiểm tra tự động: eligible, ineligible, needs_review (rỗng: chưa kiểm tra)"
    )
    check_result: CheckResultOut | None = Field(description="Chi tiết kiểm tra từng điều kiện")
    checked_at: dt.datetime | None
    flags: list[FlagOut] = Field(description="Cảnh báo: trùng đề nghị, đã được khen, vượt tỷ lệ")
    specialist_decision: str = Field(
        description="Ý kiến chuyên viên: confirmed, overridden (rỗng: chưa thẩm định)"
    )
    recommend: bool | None = Field(description="Chuyên viên đề nghị khen thưởng (null: chưa thẩm định)")
    override_reason: str = Field(description="Lý do khi ý kiến khác kết quả kiểm tra")
    council_passed: bool | None = Field(description="Hội đồng thông qua (null: chưa bỏ phiếu)")
    outcome: str = Field(description="Kết quả: pending, approved, not_approved, forwarded, revoked")
    outcome_label: str
    bonus_amount: int | None = Field(description="Tiền thưởng (đồng)")
    award_record_id: int | None = Field(description="Bản ghi trong sổ khen thưởng")
    public_comment_until: dt.date | None = Field(description="Lấy ý kiến nhân dân đến ngày")


class AttachmentOut(Schema):
    id: int
    component: str = Field(description="Mã thành phần hồ sơ (xem components của hồ sơ)")
    component_label: str = Field(description="Tên thành phần hồ sơ")
    original_name: str
    size: int = Field(description="Dung lượng (byte)")
    content_type: str
    uploaded_at: dt.datetime


class TransitionOut(Schema):
    at: dt.datetime
    actor: str = Field(description="Người thực hiện")
    source: str = Field(description="Trạng thái trước")
    target: str = Field(description="Trạng thái sau")
    target_label: str
    comment: str = Field(description="Ý kiến, lý do")


class ComponentOut(Schema):
    code: str = Field(description="Mã thành phần, gửi kèm khi đính kèm tệp")
    text: str = Field(description="Thành phần hồ sơ theo quy định")
    basis: str = Field(description="Căn cứ")
    attached: bool = Field(description="Đã có tệp đính kèm")


class DecisionRef(Schema):
    id: int
    number: str
    date: dt.date


class DossierDetailOut(DossierBase):
    authority: AuthorityRef = Field(description="Cấp xét, quyết định hồ sơ")
    sent_up_from_id: int | None = Field(description="Hồ sơ của cấp dưới mà hồ sơ này trình lên")
    kind_label: str
    summary: str
    movement: str
    movement_id: int | None = Field(description="Phong trào thi đua trong hệ thống (nếu có)")
    proposal_number: str
    created_at: dt.datetime
    received_at: dt.datetime | None
    due_basis: str = Field(description="Căn cứ thời hạn xử lý")
    working_days_left: int | None = Field(description="Số ngày làm việc còn lại đến hạn")
    outcome_reason: str
    decision: DecisionRef | None
    lines: list[LineOut] = Field(description="Các dòng của hồ sơ: người, tập thể, hộ được đề nghị")
    attachments: list[AttachmentOut]
    transitions: list[TransitionOut] = Field(description="Nhật ký xử lý hồ sơ")
    components: list[ComponentOut] = Field(description="Thành phần hồ sơ bắt buộc")
    missing: list[str] = Field(description="Những gì hồ sơ còn thiếu trước khi trình")
    permissions: dict[str, bool] = Field(description="Người dùng được làm gì với hồ sơ này")


def _line(line: Nominee, initiatives: Any = None) -> dict[str, Any]:
    """A line as the API gives it; `initiatives`, the line's when already read (the dossier's page)."""
    recipient = line.recipient
    check = line.check_result or {}
    return {
        "id": line.pk,
        "position": line.position,
        "recipient": {"kind": line.recipient_kind, "id": recipient.pk, "name": str(recipient)},  # type: ignore[attr-defined]
        "award": {"code": line.award_type.code, "name": line.award_type.name, "level": line.award_type.level},
        "achievement": line.achievement,
        "initiative_ids": [i.pk for i in (line.initiatives.all() if initiatives is None else initiatives)],
        "verdict": line.verdict,
        "check_result": (
            {
                "verdict": check.get("verdict", line.verdict),
                "regime": check.get("regime") or "",
                "as_of": check.get("as_of") or "",
                "conditions": check.get("conditions", []),
            }
            if check
            else None
        ),
        "checked_at": line.checked_at,
        "flags": line.flags or [],
        "specialist_decision": line.specialist_decision,
        "recommend": line.recommend,
        "override_reason": line.override_reason,
        "council_passed": line.council_passed,
        "outcome": line.outcome,
        "outcome_label": str(LineOutcome(line.outcome).label),
        "bonus_amount": line.bonus_amount,
        "award_record_id": line.award_record_id,
        "public_comment_until": line.public_comment_until,
    }


def _attachment(a: Attachment) -> dict[str, Any]:
    return {
        "id": a.pk,
        "component": a.component,
        "component_label": a.component_label,
        "original_name": a.original_name,
        "size": a.size,
        "content_type": a.content_type,
        "uploaded_at": a.uploaded_at,
    }


def _detail(user: User, pk: int) -> dict[str, Any]:
    page = selectors.dossier_page(user=user, pk=pk)
    d = page.dossier
    # The page's timeline has no source state; the log of this (already scoped) dossier has.
    transitions = DossierTransition.objects.filter(dossier=d).select_related("actor").order_by("at", "id")
    return {
        "id": d.pk,
        "code": d.code,
        "unit": {"id": d.unit.pk, "name": d.unit.name},
        "authority": _authority_ref(d.authority),
        "sent_up_from_id": d.sent_up_from_id,
        "kind": d.kind,
        "kind_label": d.get_kind_display(),
        "year": d.year,
        "title": d.title,
        "state": d.state,
        "state_label": d.get_state_display(),
        "line_count": len(page.nominees),
        "submitted_at": d.submitted_at,
        "due_date": d.due_date,
        "overdue": page.overdue,
        "summary": d.summary,
        "movement": d.movement,
        "movement_id": d.linked_movement_id,
        "proposal_number": d.proposal_number,
        "created_at": d.created_at,
        "received_at": d.received_at,
        "due_basis": d.due_basis,
        "working_days_left": page.working_days_left,
        "outcome_reason": d.outcome_reason,
        "decision": (
            {"id": d.decision.pk, "number": d.decision.number, "date": d.decision.date}
            if d.decision
            else None
        ),
        "lines": [_line(n, n.initiative_list) for n in page.nominees],  # type: ignore[attr-defined]
        "attachments": [_attachment(a) for a in page.attachments],
        "transitions": [
            {
                "at": t.at,
                "actor": str(t.actor),
                "source": t.source,
                "target": t.target,
                "target_label": t.get_target_display(),
                "comment": t.comment,
            }
            for t in transitions
        ],
        "components": [
            {"code": code, "text": t, "basis": b, "attached": a} for code, t, b, a, _c in page.components
        ],
        "missing": page.missing,
        "permissions": page.perms,
    }


# ---------------------------------------------------------------------------------------------------
# Dossiers


@dossiers.get(
    "",
    response={200: list[DossierOut], **ERRORS},
    summary="Danh sách hồ sơ đề nghị",
    description="Hồ sơ trong phạm vi dữ liệu của người dùng, mới nhất trước; 50 hồ sơ mỗi trang.",
)
@paginate(PageNumberPagination, page_size=PAGE_SIZE, max_page_size=PAGE_SIZE)
def dossier_list(request: HttpRequest, filters: Query[DossierFilterIn]) -> Any:
    user = _user(request)
    return selectors.dossier_list(
        user=user,
        filters=selectors.DossierFilters(
            q=filters.q.strip(),
            state=filters.state.value if filters.state else "",
            kind=filters.kind.value if filters.kind else "",
            year=filters.year,
            overdue=filters.overdue,
        ),
    )


@dossiers.post(
    "",
    response={201: DossierDetailOut, **ERRORS},
    summary="Lập hồ sơ đề nghị",
    description=(
        "Cán bộ, thủ trưởng đơn vị (hoặc chuyên viên Ban) lập hồ sơ cho một đơn vị trong phạm vi của mình."
    ),
)
def dossier_create(request: HttpRequest, payload: DossierIn) -> Any:
    user = _user(request)
    _require_perm(user, "proposals.create_dossier")
    unit = selectors.proposing_units(user=user).filter(pk=payload.unit_id).first()
    if unit is None:
        raise Http404
    authority = None
    if payload.authority_id is not None:
        authority = next((a for a in authorities_for_user(user) if a.pk == payload.authority_id), None)
        if authority is None:
            raise Http404
    dossier = services.dossier_create(
        actor=user,
        unit=unit,
        kind=payload.kind.value,
        year=payload.year,
        title=payload.title,
        summary=payload.summary,
        movement=payload.movement,
        proposal_number=payload.proposal_number,
        authority=authority,
        linked_movement=_visible_movement(user, payload.movement_id),
    )
    return Status(201, _detail(user, dossier.pk))


@dossiers.get(
    "/{dossier_id}",
    response={200: DossierDetailOut, **ERRORS},
    summary="Chi tiết hồ sơ",
    description=(
        "Hồ sơ với danh sách đề nghị, kết quả kiểm tra, tệp đính kèm, nhật ký xử lý và phần còn thiếu."
    ),
)
def dossier_detail(request: HttpRequest, dossier_id: int) -> Any:
    user = _user(request)
    _require_perm(user, "proposals.view_dossiers")
    return _detail(user, dossier_id)


@dossiers.patch(
    "/{dossier_id}",
    response={200: DossierDetailOut, **ERRORS},
    summary="Sửa hồ sơ",
    description="Chỉ sửa được khi hồ sơ đang soạn hoặc bị trả lại. Trường không gửi thì giữ nguyên.",
)
def dossier_update(request: HttpRequest, dossier_id: int, payload: DossierPatchIn) -> Any:
    user = _user(request)
    dossier = selectors.get_dossier(user=user, pk=dossier_id)
    data = {k: v for k, v in payload.model_dump(exclude_unset=True).items() if v is not None}
    if "movement_id" in data:
        chosen = data.pop("movement_id")
        data["linked_movement"] = _visible_movement(user, chosen) if chosen else None
    services.dossier_update(actor=user, dossier=dossier, data=data)
    return _detail(user, dossier_id)


def _visible_movement(user: User, movement_id: int | None) -> Movement | None:
    """A movement the caller sees, or 404 (an unseen movement is not named in the answer)."""
    if movement_id is None:
        return None
    return movement_reads.get_movement(user=user, pk=movement_id)


# --- Lines


class LineIn(Schema):
    recipient_kind: Literal["individual", "collective", "household"] = Field(
        description="Cá nhân (individual), tập thể (collective) hoặc hộ gia đình (household)"
    )
    recipient_id: int = Field(description="Mã cá nhân, đơn vị hoặc hộ (trong phạm vi của người dùng)")
    award_code: str = Field(
        max_length=20, description="Mã danh hiệu, hình thức đề nghị (ví dụ LDTT, CSTDCS, BK_TINH)"
    )
    achievement: str = Field("", description="Thành tích")
    initiative_ids: list[int] = Field(default_factory=list, description="Sáng kiến làm căn cứ")


@dossiers.post(
    "/{dossier_id}/lines",
    response={201: LineOut, **ERRORS},
    summary="Thêm người, tập thể, hộ được đề nghị",
)
def line_add(request: HttpRequest, dossier_id: int, payload: LineIn) -> Any:
    user = _user(request)
    dossier = selectors.get_dossier(user=user, pk=dossier_id)
    recipient = selectors.get_recipient(user=user, kind=payload.recipient_kind, pk=payload.recipient_id)
    award = AwardType.objects.filter(code=payload.award_code, is_active=True).first()
    if award is None:
        raise ValidationError(
            _("Không có danh hiệu, hình thức khen thưởng mã “{code}” đang áp dụng.").format(
                code=payload.award_code
            )
        )
    wanted = set(payload.initiative_ids)
    initiatives = list(Initiative.objects.filter(pk__in=wanted)) if wanted else []
    if len(initiatives) != len(wanted):
        raise ValidationError(_("Có sáng kiến được chọn không tồn tại."))
    line = services.nominee_add(
        actor=user,
        dossier=dossier,
        recipient=recipient,
        award_type=award,
        achievement=payload.achievement,
        initiatives=initiatives,
    )
    return Status(201, _line(line))


@dossiers.delete(
    "/{dossier_id}/lines/{line_id}",
    response={204: None, **ERRORS},
    summary="Bỏ một dòng khỏi hồ sơ",
    description="Dòng được đánh dấu không còn trong hồ sơ (vẫn lưu trong lịch sử).",
)
def line_remove(request: HttpRequest, dossier_id: int, line_id: int) -> Any:
    user = _user(request)
    dossier = selectors.get_dossier(user=user, pk=dossier_id)
    line = selectors.get_nominee(user=user, dossier=dossier, pk=line_id)
    services.nominee_remove(actor=user, nominee=line)
    return Status(204, None)


class ReviewIn(Schema):
    recommend: bool = Field(description="Đề nghị (true) hoặc không đề nghị (false) khen thưởng")
    reason: str = Field("", description="Lý do; bắt buộc khi ý kiến khác kết quả kiểm tra tự động")


@dossiers.post(
    "/{dossier_id}/lines/{line_id}/review",
    response={200: LineOut, **ERRORS},
    summary="Ý kiến thẩm định của chuyên viên cho một dòng",
)
def line_review(request: HttpRequest, dossier_id: int, line_id: int, payload: ReviewIn) -> Any:
    user = _user(request)
    dossier = selectors.get_dossier(user=user, pk=dossier_id)
    line = selectors.get_nominee(user=user, dossier=dossier, pk=line_id)
    reviewed = services.nominee_review(
        actor=user, nominee=line, recommend=payload.recommend, reason=payload.reason
    )
    return _line(reviewed)


@dossiers.post(
    "/{dossier_id}/review-all",
    response={200: DossierDetailOut, **ERRORS},
    summary="Đồng ý kết quả kiểm tra tự động cho mọi dòng chưa xem xét",
    description=(
        "Dòng đủ điều kiện: đề nghị; dòng không đủ điều kiện: không đề nghị. Dòng cần xem xét và dòng đã "
        "có ý kiến giữ nguyên, để chuyên viên cho ý kiến từng dòng (có lý do)."
    ),
)
def lines_review_all(request: HttpRequest, dossier_id: int) -> Any:
    user = _user(request)
    dossier = selectors.get_dossier(user=user, pk=dossier_id)
    services.nominees_confirm_all(actor=user, dossier=dossier)
    return _detail(user, dossier_id)


class RevokeIn(Schema):
    reason: str = Field(description="Lý do hủy bỏ quyết định khen thưởng")
    basis: str = Field(
        max_length=300, description="Căn cứ pháp lý (ví dụ: Luật Thi đua, khen thưởng 2022, Điều 93)"
    )
    code: str = Field(
        max_length=200,
        description=(
            "Xác thực lại: mã hiện tại của ứng dụng xác thực của tài khoản, hoặc mật khẩu nếu tài khoản chưa "
            "bật xác thực hai lớp. Mỗi mã chỉ dùng một lần."
        ),
    )


@dossiers.post(
    "/{dossier_id}/lines/{line_id}/revoke",
    response={200: LineOut, **ERRORS},
    summary="Hủy bỏ khen thưởng đã quyết định của một dòng",
    description="Chủ tịch UBND tỉnh; sổ khen thưởng giữ bản ghi, đánh dấu đã hủy bỏ với lý do và căn cứ.",
)
def line_revoke(request: HttpRequest, dossier_id: int, line_id: int, payload: RevokeIn) -> Any:
    user = _user(request)
    dossier = selectors.get_dossier(user=user, pk=dossier_id)
    line = selectors.get_nominee(user=user, dossier=dossier, pk=line_id)
    _reauthenticate(user, payload.code)
    services.award_revoke(actor=user, nominee=line, reason=payload.reason, basis=payload.basis)
    return _line(selectors.get_nominee(user=user, dossier=dossier, pk=line_id))


# --- Attachments


@dossiers.post(
    "/{dossier_id}/attachments",
    response={201: AttachmentOut, **ERRORS},
    summary="Đính kèm tệp",
    description=(
        "Gửi dạng multipart: `component` (mã thành phần hồ sơ: một mã trong components của hồ sơ, hoặc "
        "minh_chung_khac cho tài liệu minh chứng khác; mã khác bị từ chối) và `file`. Nhận PDF, Word, "
        "Excel, ảnh PNG, JPEG."
    ),
)
def attachment_add(
    request: HttpRequest,
    dossier_id: int,
    component: Form[str],
    file: File[UploadedFile],
) -> Any:
    user = _user(request)
    dossier = selectors.get_dossier(user=user, pk=dossier_id)
    attachment = services.attachment_add(actor=user, dossier=dossier, component=component, upload=file)
    return Status(201, _attachment(attachment))


@dossiers.get(
    "/{dossier_id}/attachments/{file_id}",
    response={200: None, **ERRORS},
    summary="Tải tệp đính kèm",
)
def attachment_download(request: HttpRequest, dossier_id: int, file_id: int) -> Any:
    user = _user(request)
    dossier = selectors.get_dossier(user=user, pk=dossier_id)
    attachment = selectors.get_attachment(user=user, dossier=dossier, pk=file_id)
    return stored_file_response(attachment)


# --- Workflow steps


# The actions are the workflow table's steps (workflow.STEPS), by name.
Action = StrEnum("Action", {step.name.upper(): step.name for step in workflow.STEPS})  # type: ignore[misc]


class TransitionIn(Schema):
    comment: str = Field("", max_length=4000, description="Ý kiến kèm theo")
    reason: str = Field(
        "", max_length=4000, description="Lý do (bắt buộc khi trả lại, rút hoặc không chấp thuận hồ sơ)"
    )


@dossiers.post(
    "/{dossier_id}/transitions/{action}",
    response={200: DossierDetailOut, **ERRORS},
    summary="Chuyển bước xử lý hồ sơ",
    description="; ".join(f"{step.name}: {step.help}" for step in workflow.STEPS) + ".",
)
def dossier_transition(
    request: HttpRequest, dossier_id: int, action: Action, payload: TransitionIn | None = None
) -> Any:
    user = _user(request)
    dossier = selectors.get_dossier(user=user, pk=dossier_id)
    body = payload or TransitionIn(comment="", reason="")
    if workflow.BY_NAME[action].text == "reason":
        text = body.reason or body.comment
    else:
        text = body.comment or body.reason
    services.dossier_step(actor=user, dossier=dossier, action=action, text=text)
    return _detail(user, dossier_id)


# ---------------------------------------------------------------------------------------------------
# Decision (chairman)


class DecideIn(Schema):
    dossier_ids: list[int] = Field(min_length=1, description="Các hồ sơ được quyết định")
    number: str = Field(max_length=60, description="Số, ký hiệu quyết định")
    date: dt.date = Field(description="Ngày ký")
    summary: str = Field("", max_length=500, description="Trích yếu quyết định")
    proposal_number: str = Field(
        "",
        max_length=60,
        description="Số tờ trình gửi cấp trên, khi có dòng vượt thẩm quyền của cấp quyết định",
    )
    code: str = Field(
        max_length=200,
        description=(
            "Xác thực lại: mã hiện tại của ứng dụng xác thực của tài khoản, hoặc mật khẩu nếu tài khoản chưa "
            "bật xác thực hai lớp. Mỗi mã chỉ dùng một lần."
        ),
    )


class DecisionOut(Schema):
    id: int
    number: str
    date: dt.date
    issuing_authority: str
    signer_name: str
    signer_title: str
    summary: str
    award_record_ids: list[int] = Field(description="Các bản ghi khen thưởng đã vào sổ")


class DossierStateOut(Schema):
    id: int
    code: str
    state: str
    state_label: str


class DecideOut(Schema):
    decision: DecisionOut | None = Field(
        description="Quyết định của cấp có thẩm quyền (null khi mọi dòng được thông qua đều trình cấp trên)"
    )
    dossiers: list[DossierStateOut]


@decisions.post(
    "",
    response={201: DecideOut, **ERRORS},
    summary="Người đứng đầu cấp có thẩm quyền quyết định khen thưởng",
    description=(
        "Các dòng trong thẩm quyền của cấp nhận hồ sơ được đề nghị (và được Hội đồng thông qua nếu phải "
        "bỏ phiếu) thành một quyết định của cấp đó (cơ quan ban hành, số hiệu theo cấp) và các bản ghi "
        "trong sổ khen thưởng; các dòng vượt thẩm quyền được trình cấp trên bằng hồ sơ mới kèm tờ trình "
        "`proposal_number`, các dòng cấp Nhà nước được tỉnh trình Trung ương. Chỉ người đứng đầu (Chủ "
        "tịch UBND, thủ trưởng đơn vị) hoặc cấp phó được giao ký thay được ban hành; người ký ghi trên "
        "quyết định là người dùng của khóa."
    ),
)
def decide(request: HttpRequest, payload: DecideIn) -> Any:
    user = _user(request)
    if selectors.signer_for(user=user, on=timezone.localdate()) is None:
        raise PermissionDenied
    _reauthenticate(user, payload.code)
    wanted = list(dict.fromkeys(payload.dossier_ids))
    candidates = {d.pk: d for d in selectors.decidable_dossiers(user=user)}
    not_ready = [pk for pk in wanted if pk not in candidates]
    if not_ready:
        raise ValidationError(
            _(
                "Hồ sơ chưa sẵn sàng để quyết định (chưa thẩm định xong hoặc phiên họp Hội đồng "
                "chưa kết thúc): {ids}."
            ).format(ids=", ".join(str(pk) for pk in not_ready))
        )
    decision = services.dossiers_decide(
        actor=user,
        dossiers=[candidates[pk] for pk in wanted],
        number=payload.number,
        date=payload.date,
        summary=payload.summary,
        proposal_number=payload.proposal_number,
    )
    states = []
    for pk in wanted:
        d = selectors.get_dossier(user=user, pk=pk)
        states.append({"id": d.pk, "code": d.code, "state": d.state, "state_label": d.get_state_display()})
    out: dict[str, Any] = {"decision": None, "dossiers": states}
    if decision is not None:
        out["decision"] = {
            "id": decision.pk,
            "number": decision.number,
            "date": decision.date,
            "issuing_authority": decision.issuing_authority,
            "signer_name": decision.signer_name,
            "signer_title": decision.signer_title,
            "summary": decision.summary,
            "award_record_ids": list(
                AwardRecord.objects.filter(decision=decision).order_by("id").values_list("id", flat=True)
            ),
        }
    return Status(201, out)


# ---------------------------------------------------------------------------------------------------
# Council


class SessionOut(Schema):
    id: int
    title: str = Field(description="Tên phiên họp")
    date: dt.date = Field(description="Ngày họp")
    location: str
    state: str = Field(description="open: đang họp; closed: đã kết thúc")
    total_members: int = Field(description="Tổng số thành viên Hội đồng")
    dossier_count: int


class AttendanceOut(Schema):
    member_id: int
    name: str
    council_role: str = Field(description="Chức danh trong Hội đồng")
    present: bool
    written_vote: bool = Field(description="Vắng mặt, có ý kiến bằng văn bản")


class QuorumOut(Schema):
    total: int
    present: int
    written: int
    required: int = Field(description="Số thành viên có mặt tối thiểu")
    met: bool
    text: str
    basis: str


class DossierRef(Schema):
    id: int
    code: str
    title: str
    unit: UnitRef


class ResultOut(Schema):
    line_id: int
    dossier_id: int
    recipient: RecipientOut
    award: AwardRef
    recommend: bool | None = Field(description="Ý kiến thẩm định của Ban")
    agree: int | None = Field(description="Số phiếu đồng ý (null khi phiên họp chưa kết thúc)")
    disagree: int | None = Field(description="Số phiếu không đồng ý (null khi phiên họp chưa kết thúc)")
    invalid: int | None = Field(description="Số phiếu không hợp lệ (null khi phiên họp chưa kết thúc)")
    required: int = Field(description="Số phiếu đồng ý cần có")
    threshold_text: str
    basis: str
    passed: bool | None = Field(description="Đạt số phiếu cần có (null khi phiên họp chưa kết thúc)")
    voted: bool = Field(description="Người dùng đã bỏ phiếu cho dòng này")
    conflicted: bool = Field(description="Người dùng công tác tại đơn vị đề nghị nên không biểu quyết")


class SessionDetailOut(SessionOut):
    dossiers: list[DossierRef]
    attendance: list[AttendanceOut]
    quorum: QuorumOut
    results: list[ResultOut] = Field(
        description=(
            "Kết quả từng dòng: số phiếu chỉ có sau khi phiên họp kết thúc, không bao giờ có ai bỏ phiếu "
            "gì (phiếu kín)"
        )
    )
    my_member_id: int | None = Field(description="Ghế Hội đồng của người dùng trong phiên họp")


def _session_detail(user: User, pk: int) -> dict[str, Any]:
    page = selectors.session_page(user=user, pk=pk)
    s = page.session
    included = list(s.dossiers.select_related("unit").order_by("id"))
    return {
        "id": s.pk,
        "title": s.title,
        "date": s.date,
        "location": s.location,
        "state": s.state,
        "total_members": s.total_members,
        "dossier_count": len(included),
        "dossiers": [
            {"id": d.pk, "code": d.code, "title": d.title, "unit": {"id": d.unit.pk, "name": d.unit.name}}
            for d in included
        ],
        "attendance": [
            {
                "member_id": a.member.pk,
                "name": str(a.member.user),
                "council_role": a.member.get_role_display(),
                "present": a.present,
                "written_vote": a.written_vote,
            }
            for a in page.attendance
        ],
        "quorum": {
            "total": page.quorum.total,
            "present": page.quorum.present,
            "written": page.quorum.written,
            "required": page.quorum.required,
            "met": page.quorum.met,
            "text": page.quorum.text,
            "basis": page.quorum.basis,
        },
        "results": [
            {
                "line_id": r.nominee.pk,
                "dossier_id": r.nominee.dossier_id,
                "recipient": {
                    "kind": r.nominee.recipient_kind,
                    "id": r.nominee.recipient.pk,  # type: ignore[attr-defined]
                    "name": str(r.nominee.recipient),
                },
                "award": {
                    "code": r.nominee.award_type.code,
                    "name": r.nominee.award_type.name,
                    "level": r.nominee.award_type.level,
                },
                "recommend": r.nominee.recommend,
                "agree": r.agree,
                "disagree": r.disagree,
                "invalid": r.invalid,
                "required": r.required,
                "threshold_text": r.threshold_text,
                "basis": r.basis,
                "passed": r.passed,
                "voted": r.nominee.pk in page.my_votes,
                "conflicted": r.nominee.pk in page.conflicted_lines,
            }
            for r in page.results
        ],
        "my_member_id": page.my_member.pk if page.my_member else None,
    }


class CouncilMemberOut(Schema):
    id: int
    user_id: int
    name: str
    unit: str | None
    role: str = Field(description="chair, vice_chair, secretary, member")
    role_label: str
    title: str
    valid_from: dt.date
    valid_to: dt.date | None


class CouncilMemberIn(Schema):
    user_id: int = Field(description="Tài khoản của thành viên")
    role: Literal["chair", "vice_chair", "secretary", "member"] = "member"
    title: str = Field("", max_length=200, description="Chức vụ, ví dụ: Giám đốc Sở Y tế")
    valid_from: dt.date


class CouncilMemberEndIn(Schema):
    valid_to: dt.date = Field(description="Ngày cuối của nhiệm kỳ")


def _member(m: CouncilMember) -> dict[str, Any]:
    return {
        "id": m.pk,
        "user_id": m.user_id,
        "name": str(m.user),
        "unit": m.user.unit.name if m.user.unit else None,
        "role": m.role,
        "role_label": m.get_role_display(),
        "title": m.title,
        "valid_from": m.valid_from,
        "valid_to": m.valid_to,
    }


@council.get(
    "/members",
    response={200: list[CouncilMemberOut], **ERRORS},
    summary="Thành viên Hội đồng đang trong nhiệm kỳ",
)
@paginate(PageNumberPagination, page_size=PAGE_SIZE, max_page_size=PAGE_SIZE)
def council_members(request: HttpRequest) -> Any:
    roster = selectors.council_roster(user=_user(request))
    return [_member(m) for m in roster.current]


@council.post(
    "/members",
    response={201: CouncilMemberOut, **ERRORS},
    summary="Thêm thành viên Hội đồng",
)
def council_member_add(request: HttpRequest, payload: CouncilMemberIn) -> Any:
    user = _user(request)
    _require_perm(user, "proposals.manage_council")
    member = services.council_member_add(
        actor=user,
        user=selectors.get_active_user(pk=payload.user_id),
        role=payload.role,
        title=payload.title,
        valid_from=payload.valid_from,
    )
    return Status(201, _member(member))


@council.post(
    "/members/{member_id}/end",
    response={200: CouncilMemberOut, **ERRORS},
    summary="Ghi ngày kết thúc nhiệm kỳ của một thành viên",
)
def council_member_end(request: HttpRequest, member_id: int, payload: CouncilMemberEndIn) -> Any:
    user = _user(request)
    _require_perm(user, "proposals.manage_council")
    member = services.council_member_end(
        actor=user, member=selectors.get_council_member(user=user, pk=member_id), valid_to=payload.valid_to
    )
    return _member(member)


def _session(user: User, pk: int) -> CouncilSession:
    # As the pages do: the Council's sessions are province-wide, seen by whoever may see the Council.
    _require_perm(user, "proposals.view_council")
    session = CouncilSession.objects.filter(pk=pk).first()
    if session is None:
        raise Http404
    return session


def _session_line(session: CouncilSession, line_id: int) -> Nominee:
    return selectors.get_session_line(session=session, pk=line_id)


@council.get(
    "/sessions",
    response={200: list[SessionOut], **ERRORS},
    summary="Danh sách phiên họp Hội đồng",
)
@paginate(PageNumberPagination, page_size=PAGE_SIZE, max_page_size=PAGE_SIZE)
def session_list(request: HttpRequest) -> Any:
    return selectors.session_list(user=_user(request))


class SessionIn(Schema):
    title: str = Field(max_length=300, description="Tên phiên họp")
    date: dt.date = Field(description="Ngày họp")
    location: str = Field("", max_length=200, description="Địa điểm")
    dossier_ids: list[int] = Field(min_length=1, description="Các hồ sơ đã thẩm định đưa ra phiên họp")


@council.post(
    "/sessions",
    response={201: SessionDetailOut, **ERRORS},
    summary="Lập phiên họp Hội đồng",
    description="Chuyên viên Ban lập phiên họp với các hồ sơ đã thẩm định; thành viên Hội đồng được mời.",
)
def session_create(request: HttpRequest, payload: SessionIn) -> Any:
    user = _user(request)
    _require_perm(user, "proposals.manage_council")
    wanted = list(dict.fromkeys(payload.dossier_ids))
    ready = {d.pk: d for d in selectors.ready_for_council(user.authority)}
    not_ready = [pk for pk in wanted if pk not in ready]
    if not_ready:
        raise ValidationError(
            _("Hồ sơ chưa thẩm định xong, chưa đưa ra Hội đồng được: {ids}.").format(
                ids=", ".join(str(pk) for pk in not_ready)
            )
        )
    session = services.council_session_create(
        actor=user,
        title=payload.title,
        date=payload.date,
        location=payload.location,
        dossiers=[ready[pk] for pk in wanted],
    )
    return Status(201, _session_detail(user, session.pk))


@council.get(
    "/sessions/{session_id}",
    response={200: SessionDetailOut, **ERRORS},
    summary="Chi tiết phiên họp",
    description=(
        "Điểm danh, số thành viên tham dự tối thiểu và kết quả bỏ phiếu từng dòng (không có ai bỏ phiếu gì)."
    ),
)
def session_detail(request: HttpRequest, session_id: int) -> Any:
    return _session_detail(_user(request), session_id)


class AttendanceIn(Schema):
    member_id: int = Field(description="Thành viên Hội đồng của phiên họp")
    status: Literal["present", "absent", "written"] = Field(
        description="present: có mặt; absent: vắng; written: vắng mặt, có ý kiến bằng văn bản"
    )


@council.post(
    "/sessions/{session_id}/attendance",
    response={200: AttendanceOut, **ERRORS},
    summary="Điểm danh thành viên",
)
def session_attendance(request: HttpRequest, session_id: int, payload: AttendanceIn) -> Any:
    user = _user(request)
    session = _session(user, session_id)
    member = selectors.get_session_member(session=session, pk=payload.member_id)
    row: Attendance = services.attendance_set(
        actor=user,
        session=session,
        member=member,
        present=payload.status == "present",
        written_vote=payload.status == "written",
    )
    return {
        "member_id": member.pk,
        "name": str(member.user),
        "council_role": member.get_role_display(),
        "present": row.present,
        "written_vote": row.written_vote,
    }


@council.post(
    "/sessions/{session_id}/attendance/all-present",
    response={200: SessionDetailOut, **ERRORS},
    summary="Ghi có mặt cho mọi thành viên chưa được ghi nhận",
)
def session_all_present(request: HttpRequest, session_id: int) -> Any:
    user = _user(request)
    session = _session(user, session_id)
    services.attendance_all_present(actor=user, session=session)
    return _session_detail(user, session_id)


class BallotIn(Schema):
    line_id: int = Field(description="Dòng được bỏ phiếu")
    agree: bool = Field(description="Đồng ý (true) hoặc không đồng ý (false)")


@council.post(
    "/sessions/{session_id}/ballots",
    response={200: MessageOut, **ERRORS},
    summary="Thành viên bỏ phiếu kín",
    description=(
        "Phiếu được cộng vào kết quả; hệ thống chỉ ghi nhận thành viên đã bỏ phiếu, không lưu chọn gì."
    ),
)
def session_ballot(request: HttpRequest, session_id: int, payload: BallotIn) -> Any:
    user = _user(request)
    session = _session(user, session_id)
    line = _session_line(session, payload.line_id)
    services.ballot_cast(actor=user, session=session, nominee=line, agree=payload.agree)
    return {"detail": _("Đã ghi phiếu của bạn (phiếu kín: hệ thống không lưu bạn chọn gì).")}


class TallyIn(Schema):
    line_id: int = Field(description="Dòng được kiểm phiếu")
    agree: int = Field(ge=0, description="Số phiếu đồng ý")
    disagree: int = Field(ge=0, description="Số phiếu không đồng ý")
    invalid: int = Field(0, ge=0, description="Số phiếu không hợp lệ")


class TallyOut(Schema):
    line_id: int
    method: str = Field(description="electronic: bỏ phiếu trên hệ thống; paper: kiểm phiếu giấy")
    agree: int
    disagree: int
    invalid: int


@council.post(
    "/sessions/{session_id}/tallies",
    response={200: TallyOut, **ERRORS},
    summary="Nhập kết quả kiểm phiếu giấy",
)
def session_tally(request: HttpRequest, session_id: int, payload: TallyIn) -> Any:
    user = _user(request)
    session = _session(user, session_id)
    line = _session_line(session, payload.line_id)
    tally: BallotTally = services.tally_enter(
        actor=user,
        session=session,
        nominee=line,
        agree=payload.agree,
        disagree=payload.disagree,
        invalid=payload.invalid,
    )
    return {
        "line_id": line.pk,
        "method": tally.method,
        "agree": tally.agree,
        "disagree": tally.disagree,
        "invalid": tally.invalid,
    }


@council.post(
    "/sessions/{session_id}/close",
    response={200: SessionDetailOut, **ERRORS},
    summary="Kết thúc phiên họp",
    description="Khóa kết quả: mỗi dòng được ghi Hội đồng thông qua hay không.",
)
def session_close(request: HttpRequest, session_id: int) -> Any:
    user = _user(request)
    session = _session(user, session_id)
    services.session_close(actor=user, session=session)
    return _session_detail(user, session_id)


# ---------------------------------------------------------------------------------------------------
# Notifications


class NotificationOut(Schema):
    id: int
    text: str
    dossier_id: int | None
    link: str = Field(
        description="Trang của đối tượng khác hồ sơ (phong trào, báo cáo tiến độ); rỗng nếu không có"
    )
    created_at: dt.datetime
    read_at: dt.datetime | None


@notifications.get(
    "",
    response={200: list[NotificationOut], **ERRORS},
    summary="Thông báo của tôi",
    description="Thông báo của người dùng, mới nhất trước; 50 thông báo mỗi trang.",
)
@paginate(PageNumberPagination, page_size=PAGE_SIZE, max_page_size=PAGE_SIZE)
def notification_list(request: HttpRequest) -> Any:
    return selectors.notification_list(user=_user(request))


# ---------------------------------------------------------------------------------------------------
# What the flow produces: decisions, the registry, recipients, the catalogue, and the caller


class DecisionFilterIn(Schema):
    q: str = Field("", max_length=200, description="Tìm theo số, trích yếu, cơ quan ban hành")
    year: int | None = Field(None, ge=1945, le=2100, description="Năm ký quyết định")


class DecisionSummaryOut(Schema):
    id: int
    number: str = Field(description="Số, ký hiệu")
    date: dt.date = Field(description="Ngày ký")
    issuing_authority: str
    signer_name: str
    signer_title: str
    summary: str = Field(description="Trích yếu")
    line_count: int = Field(description="Số dòng (bản ghi khen thưởng) trong phạm vi của người dùng")


class RecordLineOut(Schema):
    id: int = Field(description="Bản ghi trong sổ khen thưởng")
    recipient: RecipientOut
    award: AwardRef
    year: int = Field(description="Năm thành tích")
    kind: str = Field(description="Loại hình khen thưởng (mã)")
    achievement: str = Field(description="Thành tích")
    bonus_amount: int | None = Field(description="Tiền thưởng (đồng)")
    revoked_on: dt.date | None = Field(description="Ngày hủy bỏ (null: còn hiệu lực)")
    revocation_reason: str


class DecisionDetailOut(DecisionSummaryOut):
    lines: list[RecordLineOut] = Field(description="Các dòng của quyết định trong phạm vi của người dùng")
    hidden_count: int = Field(description="Số dòng ngoài phạm vi của người dùng (không liệt kê)")
    total_bonus: int = Field(description="Tổng tiền thưởng của các dòng được liệt kê (đồng)")


class AwardRecordOut(RecordLineOut):
    decision: DecisionRef


def _record_recipient(record: AwardRecord) -> dict[str, Any]:
    if record.person_id is not None:
        return {"kind": "individual", "id": record.person_id, "name": str(record.person)}
    if record.unit_id is not None:
        return {"kind": "collective", "id": record.unit_id, "name": str(record.unit)}
    return {"kind": "household", "id": record.household_id, "name": str(record.household)}


def _record(record: AwardRecord) -> dict[str, Any]:
    return {
        "id": record.pk,
        "recipient": _record_recipient(record),
        "award": {
            "code": record.award_type.code,
            "name": record.award_type.name,
            "level": record.award_type.level,
        },
        "year": record.year,
        "kind": record.kind,
        "achievement": record.reason,
        "bonus_amount": record.bonus_amount,
        "revoked_on": record.revoked_on,
        "revocation_reason": record.revocation_reason,
    }


def _decision_summary(decision: Any, line_count: int) -> dict[str, Any]:
    return {
        "id": decision.pk,
        "number": decision.number,
        "date": decision.date,
        "issuing_authority": decision.issuing_authority,
        "signer_name": decision.signer_name,
        "signer_title": decision.signer_title,
        "summary": decision.summary,
        "line_count": line_count,
    }


@decisions.get(
    "",
    response={200: list[DecisionSummaryOut], **ERRORS},
    summary="Danh sách quyết định khen thưởng",
    description=(
        "Quyết định có dòng trong phạm vi dữ liệu của người dùng (như trang Quyết định), mới nhất trước; "
        "50 quyết định mỗi trang."
    ),
)
@paginate(PageNumberPagination, page_size=PAGE_SIZE, max_page_size=PAGE_SIZE)
def decision_list(request: HttpRequest, filters: Query[DecisionFilterIn]) -> Any:
    user = _user(request)
    _require_perm(user, "awards.view_decision")
    listing = award_selectors.decision_list(
        user=user, filters=award_selectors.DecisionFilters(q=filters.q.strip(), year=filters.year)
    )
    return listing.decisions.annotate(line_count=F("record_count"))


@decisions.get(
    "/{decision_id}",
    response={200: DecisionDetailOut, **ERRORS},
    summary="Chi tiết quyết định với các dòng",
    description=(
        "404 khi không dòng nào của quyết định thuộc phạm vi của người dùng; các dòng ngoài phạm vi không "
        "được liệt kê, chỉ được đếm (hidden_count)."
    ),
)
def decision_detail(request: HttpRequest, decision_id: int) -> Any:
    user = _user(request)
    if not user.has_perm("awards.view_decision"):
        raise Http404
    detail = award_selectors.decision_detail(user=user, decision_id=decision_id)
    if detail is None:
        raise Http404
    return {
        **_decision_summary(detail.decision, len(detail.records)),
        "lines": [_record(r) for r in detail.records],
        "hidden_count": detail.hidden_count,
        "total_bonus": detail.total_bonus,
    }


class RecordFilterIn(Schema):
    recipient_kind: Literal["individual", "collective", "household"] | None = Field(
        None, description="Loại đối tượng (cùng với recipient_id)"
    )
    recipient_id: int | None = Field(None, description="Mã cá nhân, đơn vị hoặc hộ")
    year: int | None = Field(None, ge=1945, le=2100, description="Năm thành tích")
    award_code: str = Field("", max_length=20, description="Mã danh hiệu, hình thức khen thưởng")
    decision_id: int | None = Field(None, description="Quyết định")


@registry.get(
    "/award-records",
    response={200: list[AwardRecordOut], **ERRORS},
    summary="Sổ khen thưởng",
    description=(
        "Bản ghi khen thưởng của người, tập thể, hộ trong phạm vi dữ liệu của người dùng; 50 bản ghi mỗi "
        "trang. recipient_kind và recipient_id đi cùng nhau."
    ),
)
@paginate(PageNumberPagination, page_size=PAGE_SIZE, max_page_size=PAGE_SIZE)
def award_record_list(request: HttpRequest, filters: Query[RecordFilterIn]) -> Any:
    user = _user(request)
    _require_perm(user, "awards.view_registry")
    if (filters.recipient_kind is None) != (filters.recipient_id is None):
        raise ValidationError(_("Cần gửi cùng lúc recipient_kind và recipient_id."), code="invalid_input")
    records = award_selectors.record_list(
        user=user,
        filters=award_selectors.RecordFilters(
            recipient_kind=filters.recipient_kind or "",
            recipient_id=filters.recipient_id,
            year=filters.year,
            award_code=filters.award_code.strip(),
            decision_id=filters.decision_id,
        ),
    )
    return _RecordRows(records)


class _RecordRows:
    """A queryset rendered row by row after the page is cut: the pagination counts and slices the
    queryset, and only the page's rows are turned into dictionaries."""

    def __init__(self, records: Any) -> None:
        self.records = records

    def count(self) -> int:
        return int(self.records.count())

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, page: slice) -> list[dict[str, Any]]:
        return [
            {
                **_record(r),
                "decision": {"id": r.decision.pk, "number": r.decision.number, "date": r.decision.date},
            }
            for r in self.records[page]
        ]


class RecipientFilterIn(Schema):
    kind: Literal["individual", "collective", "household"] = Field(
        "individual", description="Cá nhân (individual), tập thể (collective) hoặc hộ gia đình (household)"
    )
    q: str = Field("", max_length=200, description="Tìm theo tên, mã (không cần dấu)")


class RecipientListOut(RecipientOut):
    unit: UnitRef | None = Field(description="Đơn vị của cá nhân, hộ; đơn vị cấp trên của tập thể")


@registry.get(
    "/recipients",
    response={200: list[RecipientListOut], **ERRORS},
    summary="Người, tập thể, hộ trong phạm vi của người dùng",
    description="Những đối tượng người dùng được đề nghị khen thưởng, theo thứ tự tên; 50 mỗi trang.",
)
@paginate(PageNumberPagination, page_size=PAGE_SIZE, max_page_size=PAGE_SIZE)
def recipient_list(request: HttpRequest, filters: Query[RecipientFilterIn]) -> Any:
    user = _user(request)
    _require_perm(user, "awards.view_registry")
    return _RecipientRows(selectors.recipient_search(user=user, kind=filters.kind, q=filters.q), filters.kind)


class _RecipientRows(_RecordRows):
    def __init__(self, records: Any, kind: str) -> None:
        super().__init__(records)
        self.kind = kind

    def __getitem__(self, page: slice) -> list[dict[str, Any]]:  # type: ignore[override]
        out = []
        for r in self.records[page]:
            above = r.parent if self.kind == "collective" else r.unit
            out.append(
                {
                    "kind": self.kind,
                    "id": r.pk,
                    "name": str(r),
                    "unit": {"id": above.pk, "name": above.name} if above else None,
                }
            )
        return out


class AwardTypeOut(Schema):
    code: str = Field(description="Mã")
    name: str
    level: str = Field(description="Cấp khen thưởng (mã)")
    level_label: str
    category: str = Field(description="Danh hiệu (title) hoặc hình thức (form)")
    category_label: str
    recipients: list[str] = Field(description="Đối tượng: individual, collective, household")
    legal_basis: str
    is_active: bool = Field(description="Đang áp dụng")

    @staticmethod
    def resolve_level_label(obj: AwardType) -> str:
        return str(obj.get_level_display())

    @staticmethod
    def resolve_category_label(obj: AwardType) -> str:
        return str(obj.get_category_display())


@registry.get(
    "/award-types",
    response={200: list[AwardTypeOut], **ERRORS},
    summary="Danh mục danh hiệu, hình thức khen thưởng",
    description="Theo thứ tự của Luật; 50 mỗi trang.",
)
@paginate(PageNumberPagination, page_size=PAGE_SIZE, max_page_size=PAGE_SIZE)
def award_type_list(request: HttpRequest) -> Any:
    user = _user(request)
    _require_perm(user, "awards.view_registry")
    return award_selectors.catalogue(filters=award_selectors.CatalogueFilters())


class MeOut(Schema):
    id: int
    username: str
    full_name: str
    role: str = Field(description="Vai trò (mã)")
    role_label: str
    unit: UnitRef | None
    province_wide: bool = Field(description="Phạm vi dữ liệu toàn tỉnh")
    scope: str = Field(description="Phạm vi dữ liệu")
    authority: AuthorityRef | None = Field(description="Cấp có thẩm quyền nơi người dùng giữ vai trò")
    may_sign_decisions: bool = Field(description="Được ký quyết định khen thưởng hôm nay")
    signer_title: str | None = Field(description="Chức vụ ghi trên quyết định khi người dùng ký")
    signs_for: list[AuthorityRef] = Field(description="Các cấp mà người dùng ký quyết định hôm nay")


@registry.get("/me", response={200: MeOut, **ERRORS}, summary="Người dùng của khóa và thẩm quyền")
def me(request: HttpRequest) -> Any:
    user = _user(request)
    signing = selectors.signing_authorities(user=user, on=timezone.localdate())
    signer = signing[0][1] if signing else None
    root = user.scope_unit
    if user.is_province_wide:
        scope = _("Toàn tỉnh")
    elif root is not None:
        scope = _("{unit} và các đơn vị trực thuộc").format(unit=root.name)
    else:
        scope = _("Không có (tài khoản chưa gắn với đơn vị)")
    return {
        "id": user.pk,
        "username": user.username,
        "full_name": user.full_name,
        "role": user.role,
        "role_label": user.get_role_display(),
        "unit": {"id": user.unit.pk, "name": user.unit.name} if user.unit else None,
        "province_wide": user.is_province_wide,
        "scope": scope,
        "authority": _authority_ref(user.role_authority),
        "may_sign_decisions": signer is not None,
        "signer_title": signer.title if signer else None,
        "signs_for": [_authority_ref(a) for a, _s in signing],
    }
