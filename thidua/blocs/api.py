"""The REST API of the blocs' scoring: score sheets (drafted, approved, amended, copied), each member's
self-scoring and evidence, the cross-review, the bloc meeting, the published ranking and its dossier.

Each handler finds its objects through the same scoped selectors as the pages (outside what the user may
see: 404), calls one service, and returns a schema; the services refuse with a Vietnamese
`ValidationError` (400, nothing written) or `Forbidden` (403), turned into `{detail, code}` by thidua/api.py.
"""

import datetime as dt
from decimal import Decimal
from typing import Any, cast

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from ninja import Field, File, Form, Query, Router, Schema
from ninja.files import UploadedFile
from ninja.pagination import PageNumberPagination, paginate

from thidua.accounts.models import User
from thidua.blocs import selectors, services
from thidua.blocs.models import ScoreSheet, SheetItem
from thidua.blocs.workflow import Approver, ItemKind, SheetState, Succession
from thidua.core.http import stored_file_response

PAGE_SIZE = 50
PERM = "blocs.view_scoring"

router = Router(tags=["Chấm điểm khối, cụm thi đua"])


def _user(request: HttpRequest) -> User:
    return cast(User, request.auth)  # type: ignore[attr-defined]


def _require_view(user: User) -> None:
    if not user.has_perm(PERM):
        raise PermissionDenied


class ErrorOut(Schema):
    detail: str = Field(description="Thông báo lỗi bằng tiếng Việt")
    code: str = Field(description="Mã lỗi ổn định cho phần mềm")


ERRORS: dict[int, Any] = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut}


class SheetBase(Schema):
    id: int
    bloc_id: int
    bloc: str
    year: int
    state: str
    state_label: str
    approver: str = Field(description="board (Ban TĐKT tỉnh) hoặc bloc (khối)")


class SheetOut(SheetBase):
    @staticmethod
    def resolve_bloc(obj: ScoreSheet) -> str:
        return obj.bloc.name

    @staticmethod
    def resolve_state_label(obj: ScoreSheet) -> str:
        return str(SheetState(obj.state).label)


class ItemOut(Schema):
    id: int
    kind: str = Field(description="base (tiêu chí), bonus (điểm thưởng), penalty (điểm trừ)")
    group: str
    parent_id: int | None
    name: str
    max_points: Decimal
    guidance: str
    evidence_required: str
    scored: bool = Field(description="Đơn vị chấm trực tiếp (không chia tiêu chí con)")


class RowOut(Schema):
    unit_id: int
    unit: str
    role: str = Field(description="leader (khối trưởng), deputy (khối phó), member")
    state: str = Field(description="Trạng thái bảng tự chấm; rỗng nếu chưa lập")
    points: dict[str, Decimal | None] = Field(description="Điểm đang tính theo mã tiêu chí")
    total: Decimal | None


class RankOut(Schema):
    rank: int
    unit_id: int
    unit: str
    base: Decimal
    bonus: Decimal
    penalty: Decimal
    total: Decimal
    criteria_at_max: int
    votes: int
    reason: str = Field(description="Lý do xếp trên/dưới đơn vị liền trước")


class SheetDetailOut(SheetBase):
    rules_text: str
    bonus_cap: Decimal
    penalty_cap: Decimal
    tie_break: list[str] = Field(description="Thứ tự phân định khi bằng tổng điểm")
    vote_required: bool
    commendation_count: int
    succession: str = Field(description="rotation (luân phiên) hoặc ranking (theo xếp hạng)")
    criteria: list[ItemOut] = Field(description="Nhóm, tiêu chí, tiêu chí con, điểm thưởng, điểm trừ")
    rows: list[RowOut] = Field(description="Bảng điểm các đơn vị người dùng được xem")
    hidden_rows: int = Field(description="Số đơn vị chưa được xem (trước khi công bố)")
    ranking: list[RankOut] = Field(description="Xếp hạng đã chốt hoặc đã công bố")
    published: bool
    dossier_id: int | None
    amendments: list[dict[str, Any]]
    problems: list[str] = Field(description="Những gì cản việc duyệt bảng")
    permissions: dict[str, bool]


def _sheet(user: User, pk: int) -> dict[str, Any]:
    sheet = selectors.get_sheet(user=user, pk=pk)
    page = selectors.sheet_page(user=user, sheet=sheet)
    scored = {i.pk for i in page.scored}
    ranked: list[dict[str, Any]] = []
    if page.published:
        ranked = [
            {
                "rank": e.rank,
                "unit_id": e.unit_id,
                "unit": e.unit.name,
                "base": e.base,
                "bonus": e.bonus,
                "penalty": e.penalty,
                "total": e.total,
                "criteria_at_max": e.criteria_at_max,
                "votes": e.votes,
                "reason": e.reason,
            }
            for e in page.published
        ]
    else:
        ranked = [
            {
                "rank": r.rank,
                "unit_id": r.figures.unit_id,
                "unit": r.figures.name,
                "base": r.figures.base,
                "bonus": r.figures.bonus,
                "penalty": r.figures.penalty,
                "total": r.figures.total,
                "criteria_at_max": r.figures.criteria_at_max,
                "votes": r.figures.votes,
                "reason": r.reason,
            }
            for r in page.ranking
        ]
    return {
        "id": sheet.pk,
        "bloc_id": sheet.bloc_id,
        "bloc": sheet.bloc.name,
        "year": sheet.year,
        "state": sheet.state,
        "state_label": sheet.get_state_display(),
        "approver": sheet.approver,
        "rules_text": sheet.rules_text,
        "bonus_cap": sheet.bonus_cap,
        "penalty_cap": sheet.penalty_cap,
        "tie_break": list(sheet.tie_break),
        "vote_required": sheet.vote_required,
        "commendation_count": sheet.commendation_count,
        "succession": sheet.succession,
        "criteria": [
            {
                "id": row.item.pk,
                "kind": row.item.kind,
                "group": block.group.name if block.group else "",
                "parent_id": row.item.parent_id,
                "name": row.item.name,
                "max_points": row.item.max_points,
                "guidance": row.item.guidance,
                "evidence_required": row.item.evidence_required,
                "scored": row.item.pk in scored,
            }
            for block in page.blocks
            for row in block.rows
        ],
        "rows": [
            {
                "unit_id": row.unit.pk,
                "unit": row.unit.name,
                "role": row.role,
                "state": row.unit_sheet.state if row.unit_sheet else "",
                "points": {str(i.pk): c for i, c in zip(page.scored, row.cells, strict=True)},
                "total": row.figures.total if row.figures else None,
            }
            for row in page.grid
        ],
        "hidden_rows": page.hidden_rows,
        "ranking": ranked,
        "published": sheet.state == SheetState.PUBLISHED,
        "dossier_id": sheet.dossier_id,
        "amendments": [
            {"at": a.at, "actor": str(a.actor), "summary": a.summary, "reason": a.reason}
            for a in page.amendments
        ],
        "problems": page.problems,
        "permissions": page.perms,
    }


class SheetFilterIn(Schema):
    year: int | None = Field(None, ge=1945, le=2100)


@router.get(
    "/bloc-sheets", response={200: list[SheetOut], **ERRORS}, summary="Bảng tiêu chí chấm điểm của các khối"
)
@paginate(PageNumberPagination, page_size=PAGE_SIZE, max_page_size=PAGE_SIZE)
def sheet_list(request: HttpRequest, filters: Query[SheetFilterIn]) -> Any:
    user = _user(request)
    _require_view(user)
    return selectors.sheet_list(user=user, year=filters.year)


class SheetCreateIn(Schema):
    bloc_id: int
    year: int = Field(ge=1945, le=2100)
    approver: Approver = Approver.BOARD
    bonus_cap: Decimal = Decimal(0)
    penalty_cap: Decimal = Decimal(0)
    vote_required: bool = False
    commendation_count: int = Field(2, ge=0, le=50)
    tie_break: list[str] | None = None
    rules_text: str = ""
    succession: Succession = Succession.ROTATION


@router.post(
    "/bloc-sheets", response={200: SheetDetailOut, **ERRORS}, summary="Lập bảng tiêu chí của khối, năm"
)
def sheet_create(request: HttpRequest, payload: SheetCreateIn) -> Any:
    user = _user(request)
    _require_view(user)
    bloc = next((b for b in selectors.blocs_to_create(user=user) if b.pk == payload.bloc_id), None)
    if bloc is None:
        raise Http404
    sheet = services.sheet_create(
        actor=user,
        bloc=bloc,
        year=payload.year,
        approver=payload.approver.value,
        bonus_cap=payload.bonus_cap,
        penalty_cap=payload.penalty_cap,
        vote_required=payload.vote_required,
        commendation_count=payload.commendation_count,
        tie_break=payload.tie_break,
        rules_text=payload.rules_text,
        succession=payload.succession.value,
    )
    return _sheet(user, sheet.pk)


@router.get(
    "/bloc-sheets/{sheet_id}", response={200: SheetDetailOut, **ERRORS}, summary="Chi tiết bảng tiêu chí"
)
def sheet_detail(request: HttpRequest, sheet_id: int) -> Any:
    user = _user(request)
    _require_view(user)
    return _sheet(user, sheet_id)


class SheetUpdateIn(Schema):
    reason: str = Field("", description="Bắt buộc khi bảng đã duyệt")
    bonus_cap: Decimal | None = None
    penalty_cap: Decimal | None = None
    vote_required: bool | None = None
    commendation_count: int | None = Field(None, ge=0, le=50)
    tie_break: list[str] | None = None
    rules_text: str | None = None
    succession: Succession | None = None


@router.patch(
    "/bloc-sheets/{sheet_id}",
    response={200: SheetDetailOut, **ERRORS},
    summary="Sửa thiết lập của bảng (sau khi duyệt: cần lý do, các đơn vị được báo)",
)
def sheet_update(request: HttpRequest, sheet_id: int, payload: SheetUpdateIn) -> Any:
    user = _user(request)
    _require_view(user)
    sheet = selectors.get_sheet(user=user, pk=sheet_id)
    fields = payload.dict(exclude={"reason"}, exclude_none=True)
    if payload.succession is not None:
        fields["succession"] = payload.succession.value
    services.sheet_update(actor=user, sheet=sheet, reason=payload.reason, **fields)
    return _sheet(user, sheet_id)


class GroupIn(Schema):
    name: str
    reason: str = ""


@router.post(
    "/bloc-sheets/{sheet_id}/groups", response={200: SheetDetailOut, **ERRORS}, summary="Thêm nhóm tiêu chí"
)
def group_add(request: HttpRequest, sheet_id: int, payload: GroupIn) -> Any:
    user = _user(request)
    _require_view(user)
    sheet = selectors.get_sheet(user=user, pk=sheet_id)
    services.group_add(actor=user, sheet=sheet, name=payload.name, reason=payload.reason)
    return _sheet(user, sheet_id)


class ItemIn(Schema):
    name: str
    max_points: Decimal
    kind: ItemKind = ItemKind.BASE
    group_id: int | None = None
    parent_id: int | None = None
    guidance: str = ""
    evidence_required: str = ""
    reason: str = ""


@router.post(
    "/bloc-sheets/{sheet_id}/items",
    response={200: SheetDetailOut, **ERRORS},
    summary="Thêm tiêu chí, tiêu chí con, mục điểm thưởng hoặc điểm trừ",
)
def item_add(request: HttpRequest, sheet_id: int, payload: ItemIn) -> Any:
    user = _user(request)
    _require_view(user)
    sheet = selectors.get_sheet(user=user, pk=sheet_id)
    group = sheet.groups.filter(pk=payload.group_id).first() if payload.group_id else None
    parent = sheet.items.filter(pk=payload.parent_id).first() if payload.parent_id else None
    services.item_add(
        actor=user,
        sheet=sheet,
        name=payload.name,
        max_points=payload.max_points,
        kind=payload.kind.value,
        group=group,
        parent=parent,
        guidance=payload.guidance,
        evidence_required=payload.evidence_required,
        reason=payload.reason,
    )
    return _sheet(user, sheet_id)


class ItemUpdateIn(Schema):
    name: str | None = None
    max_points: Decimal | None = None
    guidance: str | None = None
    evidence_required: str | None = None
    reason: str = ""


def _item(sheet: ScoreSheet, item_id: int) -> SheetItem:
    item = SheetItem.objects.filter(sheet=sheet, pk=item_id).first()
    if item is None:
        raise Http404
    return item


@router.patch(
    "/bloc-sheets/{sheet_id}/items/{item_id}",
    response={200: SheetDetailOut, **ERRORS},
    summary="Sửa tiêu chí",
)
def item_update(request: HttpRequest, sheet_id: int, item_id: int, payload: ItemUpdateIn) -> Any:
    user = _user(request)
    _require_view(user)
    sheet = selectors.get_sheet(user=user, pk=sheet_id)
    services.item_update(actor=user, item=_item(sheet, item_id), **payload.dict())
    return _sheet(user, sheet_id)


@router.delete(
    "/bloc-sheets/{sheet_id}/items/{item_id}",
    response={200: SheetDetailOut, **ERRORS},
    summary="Bỏ tiêu chí (chỉ khi bảng đang soạn)",
)
def item_remove(request: HttpRequest, sheet_id: int, item_id: int) -> Any:
    user = _user(request)
    _require_view(user)
    sheet = selectors.get_sheet(user=user, pk=sheet_id)
    services.item_remove(actor=user, item=_item(sheet, item_id))
    return _sheet(user, sheet_id)


@router.post(
    "/bloc-sheets/{sheet_id}/copy",
    response={200: SheetDetailOut, **ERRORS},
    summary="Sao bảng tiêu chí sang năm sau",
)
def sheet_copy(request: HttpRequest, sheet_id: int) -> Any:
    user = _user(request)
    _require_view(user)
    sheet = selectors.get_sheet(user=user, pk=sheet_id)
    copy = services.sheet_copy(actor=user, source=sheet)
    return _sheet(user, copy.pk)


class StepIn(Schema):
    text: str = Field("", description="Ghi chú")


@router.post(
    "/bloc-sheets/{sheet_id}/transitions/{action}",
    response={200: SheetDetailOut, **ERRORS},
    summary="Duyệt bảng, công bố xếp hạng, lập hồ sơ đề nghị từ xếp hạng",
    description=(
        "action: approve (bên duyệt ghi trên bảng), publish (bên duyệt, sau khi hội nghị khối chốt điểm), "
        "propose (chuyên viên Ban TĐKT: hồ sơ với Cờ thi đua cho đơn vị dẫn đầu, "
        "Bằng khen cho các đơn vị sau)."
    ),
)
def sheet_transition(request: HttpRequest, sheet_id: int, action: str, payload: StepIn) -> Any:
    user = _user(request)
    _require_view(user)
    sheet = selectors.get_sheet(user=user, pk=sheet_id)
    if action == "approve":
        services.sheet_approve(actor=user, sheet=sheet, comment=payload.text)
    elif action == "publish":
        services.ranking_publish(actor=user, sheet=sheet)
    elif action == "propose":
        services.proposals_create(actor=user, sheet=sheet)
    else:
        raise Http404
    return _sheet(user, sheet_id)


class LeadershipIn(Schema):
    decision_number: str
    decision_date: dt.date


@router.post(
    "/bloc-sheets/{sheet_id}/leadership",
    response={200: SheetDetailOut, **ERRORS},
    summary="Ghi quyết định khối trưởng, khối phó năm sau (theo cách chọn ghi trên bảng)",
)
def leadership_decide(request: HttpRequest, sheet_id: int, payload: LeadershipIn) -> Any:
    user = _user(request)
    _require_view(user)
    sheet = selectors.get_sheet(user=user, pk=sheet_id)
    services.leadership_decide(
        actor=user, sheet=sheet, decision_number=payload.decision_number, decision_date=payload.decision_date
    )
    return _sheet(user, sheet_id)


class AssignIn(Schema):
    unit_id: int
    reviewer_id: int | None = Field(None, description="Đơn vị chấm chéo; null: trở về khối trưởng")


@router.post(
    "/bloc-sheets/{sheet_id}/assignments",
    response={200: SheetDetailOut, **ERRORS},
    summary="Phân công chấm chéo",
)
def reviewer_assign(request: HttpRequest, sheet_id: int, payload: AssignIn) -> Any:
    user = _user(request)
    _require_view(user)
    sheet = selectors.get_sheet(user=user, pk=sheet_id)
    unit = selectors.member_unit(sheet, payload.unit_id)
    reviewer = selectors.member_unit(sheet, payload.reviewer_id) if payload.reviewer_id else None
    services.reviewer_assign(actor=user, sheet=sheet, unit=unit, reviewer=reviewer)
    return _sheet(user, sheet_id)


class FinalIn(Schema):
    unit_id: int
    item_id: int
    points: Decimal
    reason: str = ""


class VoteIn(Schema):
    unit_id: int
    votes: int = Field(ge=0, le=1000, description="Số phiếu đơn vị nhận được, theo biên bản")


class MeetingIn(Schema):
    meeting_date: dt.date
    minutes: str
    finals: list[FinalIn] = Field(default_factory=list, description="Điểm hội nghị chốt khác điểm chấm chéo")
    votes: list[VoteIn] = Field(default_factory=list, description="Chỉ số phiếu, không ghi ai bầu ai")


@router.post(
    "/bloc-sheets/{sheet_id}/meeting",
    response={200: SheetDetailOut, **ERRORS},
    summary="Hội nghị khối: biên bản, điểm chốt, số phiếu",
)
def meeting_settle(request: HttpRequest, sheet_id: int, payload: MeetingIn) -> Any:
    user = _user(request)
    _require_view(user)
    sheet = selectors.get_sheet(user=user, pk=sheet_id)
    services.meeting_settle(
        actor=user,
        sheet=sheet,
        meeting_date=payload.meeting_date,
        minutes=payload.minutes,
        finals={(f.unit_id, f.item_id): (f.points, f.reason) for f in payload.finals},
        votes={v.unit_id: v.votes for v in payload.votes},
    )
    return _sheet(user, sheet_id)


# ---------------------------------------------------------------------------------------------------
# A member's scoring


class ScoreLineOut(Schema):
    item_id: int
    item: str
    kind: str
    max_points: Decimal
    self_points: Decimal | None
    note: str
    review_points: Decimal | None
    review_reason: str
    final_points: Decimal | None
    final_reason: str
    points: Decimal | None = Field(description="Điểm đang tính: hội nghị chốt, chấm chéo, hoặc tự chấm")
    evidence: list[dict[str, Any]]


class ChangeOut(Schema):
    at: dt.datetime
    actor: str
    stage: str = Field(description="self, review, final, vote")
    item_id: int | None
    old: Decimal | None
    new: Decimal | None
    reason: str


class UnitSheetOut(Schema):
    sheet_id: int
    unit_id: int
    unit: str
    state: str = Field(description="Rỗng nếu đơn vị chưa lập bảng tự chấm")
    explanation: str
    review_note: str
    reviewer: str
    total: Decimal | None
    lines: list[ScoreLineOut]
    missing: list[str]
    changes: list[ChangeOut]
    permissions: dict[str, bool]


def _unit_sheet(user: User, sheet_id: int, unit_id: int) -> dict[str, Any]:
    sheet = selectors.get_sheet(user=user, pk=sheet_id)
    page = selectors.unit_sheet_page(user=user, sheet=sheet, unit_id=unit_id)
    us = page.unit_sheet
    return {
        "sheet_id": sheet.pk,
        "unit_id": page.unit.pk,
        "unit": page.unit.name,
        "state": us.state if us else "",
        "explanation": us.explanation if us else "",
        "review_note": us.review_note if us else "",
        "reviewer": page.reviewer.name if page.reviewer else "",
        "total": page.totals.total if page.totals else None,
        "lines": [
            {
                "item_id": line.item.pk,
                "item": line.item.name,
                "kind": line.item.kind,
                "max_points": line.item.max_points,
                "self_points": line.score.self_points if line.score else None,
                "note": line.score.note if line.score else "",
                "review_points": line.score.review_points if line.score else None,
                "review_reason": line.score.review_reason if line.score else "",
                "final_points": line.score.final_points if line.score else None,
                "final_reason": line.score.final_reason if line.score else "",
                "points": line.score.points if line.score else None,
                "evidence": [
                    {"id": e.pk, "name": e.original_name, "size": e.size, "sha256": e.sha256}
                    for e in line.evidence
                ],
            }
            for line in page.lines
            if line.scored
        ],
        "missing": page.missing,
        "changes": [
            {
                "at": c.at,
                "actor": str(c.actor),
                "stage": c.stage,
                "item_id": c.item_id,
                "old": c.old,
                "new": c.new,
                "reason": c.reason,
            }
            for c in page.changes
        ],
        "permissions": page.perms,
    }


def _found(user: User, sheet_id: int, unit_id: int) -> Any:
    sheet = selectors.get_sheet(user=user, pk=sheet_id)
    page = selectors.unit_sheet_page(user=user, sheet=sheet, unit_id=unit_id)
    if page.unit_sheet is None:
        raise Http404
    return page.unit_sheet


@router.get(
    "/bloc-sheets/{sheet_id}/units/{unit_id}",
    response={200: UnitSheetOut, **ERRORS},
    summary="Bảng chấm điểm của một đơn vị",
    description=(
        "Trước khi công bố: chỉ đơn vị, đơn vị chấm chéo, khối trưởng (khi đã gửi) và Ban TĐKT xem được."
    ),
)
def unit_sheet_detail(request: HttpRequest, sheet_id: int, unit_id: int) -> Any:
    user = _user(request)
    _require_view(user)
    return _unit_sheet(user, sheet_id, unit_id)


@router.post(
    "/bloc-sheets/{sheet_id}/units/{unit_id}",
    response={200: UnitSheetOut, **ERRORS},
    summary="Lập (hoặc mở) bảng tự chấm của đơn vị",
)
def unit_sheet_open(request: HttpRequest, sheet_id: int, unit_id: int) -> Any:
    user = _user(request)
    _require_view(user)
    sheet = selectors.get_sheet(user=user, pk=sheet_id)
    services.unit_sheet_open(actor=user, sheet=sheet, unit=selectors.member_unit(sheet, unit_id))
    return _unit_sheet(user, sheet_id, unit_id)


class SelfScoreIn(Schema):
    item_id: int
    points: Decimal | None = Field(description="Điểm tự chấm (0 đến điểm tối đa); null để xóa")
    note: str = Field("", max_length=500)


class SelfSaveIn(Schema):
    scores: list[SelfScoreIn] = Field(default_factory=list)
    explanation: str | None = None


@router.put(
    "/bloc-sheets/{sheet_id}/units/{unit_id}/self-scores",
    response={200: UnitSheetOut, **ERRORS},
    summary="Ghi điểm tự chấm, giải trình",
)
def self_score_save(request: HttpRequest, sheet_id: int, unit_id: int, payload: SelfSaveIn) -> Any:
    user = _user(request)
    _require_view(user)
    found = _found(user, sheet_id, unit_id)
    services.self_score_save(
        actor=user,
        unit_sheet=found,
        scores={s.item_id: s.points for s in payload.scores},
        notes={s.item_id: s.note for s in payload.scores},
        explanation=payload.explanation,
    )
    return _unit_sheet(user, sheet_id, unit_id)


@router.post(
    "/bloc-sheets/{sheet_id}/units/{unit_id}/evidence",
    response={200: UnitSheetOut, **ERRORS},
    summary="Đính kèm minh chứng cho một tiêu chí (multipart: item_id, file)",
)
def evidence_add(
    request: HttpRequest, sheet_id: int, unit_id: int, item_id: Form[int], file: File[UploadedFile]
) -> Any:
    user = _user(request)
    _require_view(user)
    found = _found(user, sheet_id, unit_id)
    services.evidence_add(actor=user, unit_sheet=found, item=_item(found.sheet, item_id), upload=file)
    return _unit_sheet(user, sheet_id, unit_id)


@router.get(
    "/bloc-evidence/{evidence_id}",
    response={200: None, **ERRORS},
    summary="Tải tệp minh chứng chấm điểm (trước khi công bố: chỉ đơn vị mình và đơn vị chấm chéo)",
)
def evidence_download(request: HttpRequest, evidence_id: int) -> Any:
    user = _user(request)
    _require_view(user)
    return stored_file_response(selectors.get_evidence(user=user, pk=evidence_id))


class ReviewScoreIn(Schema):
    item_id: int
    points: Decimal | None = Field(description="Điểm chấm chéo; null hoặc bằng điểm tự chấm: đồng ý")
    reason: str = Field("", max_length=500, description="Bắt buộc khi khác điểm tự chấm")


class ReviewSaveIn(Schema):
    scores: list[ReviewScoreIn] = Field(default_factory=list)
    note: str | None = None


@router.put(
    "/bloc-sheets/{sheet_id}/units/{unit_id}/review",
    response={200: UnitSheetOut, **ERRORS},
    summary="Ghi điểm chấm chéo (điểm khác cần lý do)",
)
def review_save(request: HttpRequest, sheet_id: int, unit_id: int, payload: ReviewSaveIn) -> Any:
    user = _user(request)
    _require_view(user)
    found = _found(user, sheet_id, unit_id)
    services.review_save(
        actor=user,
        unit_sheet=found,
        scores={s.item_id: s.points for s in payload.scores},
        reasons={s.item_id: s.reason for s in payload.scores},
        note=payload.note,
    )
    return _unit_sheet(user, sheet_id, unit_id)


@router.post(
    "/bloc-sheets/{sheet_id}/units/{unit_id}/transitions/{action}",
    response={200: UnitSheetOut, **ERRORS},
    summary="Gửi bảng tự chấm, chấm chéo xong",
    description="action: submit (thủ trưởng đơn vị gửi), finish_review (đơn vị chấm chéo chấm xong).",
)
def unit_transition(request: HttpRequest, sheet_id: int, unit_id: int, action: str) -> Any:
    user = _user(request)
    _require_view(user)
    found = _found(user, sheet_id, unit_id)
    if action == "submit":
        services.unit_sheet_submit(actor=user, unit_sheet=found)
    elif action == "finish_review":
        services.review_finish(actor=user, unit_sheet=found)
    else:
        raise Http404
    return _unit_sheet(user, sheet_id, unit_id)
