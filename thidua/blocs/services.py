"""Writes of the blocs' scoring: the score sheet (drafted, approved, amended with a reason, copied from
last year's), each member unit's self-scoring and evidence, the cross-review, the bloc meeting that
settles the final scores and the votes, and the publication of the ranking.

Each service is atomic, checks the actor's role and scope again (a page's button is a convenience, the
service is the guard), writes the audit row, and every change of a score also an append-only
`ScoreChange` row. A refusal is a `ValidationError` (or `Forbidden`) with a Vietnamese message and a
stable code, and nothing is written.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_fsm import ConcurrentTransition, TransitionNotAllowed

from thidua.accounts.models import Role, User
from thidua.accounts.scope import require_unit_staff
from thidua.blocs import access, ranking
from thidua.blocs.models import (
    LeadershipDecision,
    MinutesFile,
    RankingEntry,
    ReviewAssignment,
    Score,
    ScoreChange,
    ScoreEvidence,
    ScoreSheet,
    SheetAmendment,
    SheetGroup,
    SheetItem,
    UnitSheet,
    VoteCount,
)
from thidua.blocs.workflow import Approver, ItemKind, SheetState, Stage, Succession, UnitSheetState
from thidua.core.audit import audit_record, with_history_user
from thidua.core.errors import Forbidden
from thidua.core.errors import require as _require
from thidua.core.errors import require_role as _require_role
from thidua.movements.services import store_upload
from thidua.organisation.models import Authority, AuthorityLevel, Bloc, BlocMembership, BlocRole, Unit
from thidua.proposals import notify
from thidua.proposals.uploads import all_or_none

STALE = gettext_lazy("Vừa có người khác xử lý ({state}). Hãy tải lại trang để xem trạng thái mới nhất.")
MAX_POINTS = Decimal("99999.99")
CENT = Decimal("0.01")


def sheet_link(sheet: ScoreSheet) -> str:
    return reverse("blocs:sheet", args=[sheet.pk])


def unit_sheet_link(unit_sheet: UnitSheet) -> str:
    return reverse("blocs:unit_sheet", args=[unit_sheet.sheet_id, unit_sheet.unit_id])


def _points(value: Any, label: str, *, positive: bool = False) -> Decimal:
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, ValueError) as exc:
        raise ValidationError(_("{label} phải là một số.").format(label=label), code="not_a_number") from exc
    _require(number.is_finite(), _("{label} phải là một số.").format(label=label), "not_a_number")
    if positive:
        _require(number > 0, _("{label} phải lớn hơn 0.").format(label=label), "out_of_range")
    else:
        _require(number >= 0, _("{label} không được âm.").format(label=label), "out_of_range")
    _require(number <= MAX_POINTS, _("{label} quá lớn.").format(label=label), "out_of_range")
    _require(
        number == number.quantize(CENT),
        _("{label} chỉ lấy đến hai chữ số thập phân.").format(label=label),
        "too_precise",
    )
    return number.quantize(CENT)


def _fmt(value: Decimal | None) -> str:
    return "—" if value is None else ranking.number(value)


def _locked_sheet(sheet: ScoreSheet, *, same_state: bool = True) -> ScoreSheet:
    fresh = (
        ScoreSheet.objects.select_for_update(of=("self",))
        .select_related("bloc", "authority", "authority__unit")
        .get(pk=sheet.pk)
    )
    if same_state and fresh.state != sheet.state:
        raise ValidationError(str(STALE).format(state=fresh.get_state_display()), code="state_conflict")
    return fresh


def _move(obj: Any, actor: User, method: Any, label: str) -> None:
    try:
        method()
    except TransitionNotAllowed as exc:
        raise ValidationError(
            _("Không thể thực hiện thao tác này khi {what} đang ở trạng thái “{state}”.").format(
                what=label, state=obj.get_state_display()
            ),
            code="state_not_allowed",
        ) from exc
    with_history_user(obj, actor)
    try:
        obj.save()
    except ConcurrentTransition as exc:
        raise ValidationError(str(STALE).format(state="?"), code="state_conflict") from exc


def _member_staff(sheet: ScoreSheet, units: Sequence[Unit] | None = None) -> list[User]:
    chosen = units if units is not None else access.member_units(sheet)
    return list(
        User.objects.filter(
            unit__in=chosen,
            role__in=[Role.UNIT_OFFICER, Role.UNIT_HEAD, Role.BLOC_LEADER],
            is_active=True,
        )
    )


def _tell_members(sheet: ScoreSheet, actor: User, text: str) -> int:
    return notify.send([u for u in _member_staff(sheet) if u.pk != actor.pk], text, link=sheet_link(sheet))


# ---------------------------------------------------------------------------------------------------
# The score sheet


def province_authority() -> Authority | None:
    return Authority.objects.filter(level=AuthorityLevel.PROVINCE).select_related("unit").first()


def _require_editor(actor: User, sheet: ScoreSheet) -> None:
    if not access.may_edit(actor, sheet):
        raise Forbidden(
            _("Chỉ Ban Thi đua – Khen thưởng hoặc khối trưởng được soạn bảng tiêu chí của khối."),
            "not_sheet_editor",
        )


@transaction.atomic
def sheet_create(
    *,
    actor: User,
    bloc: Bloc,
    year: int,
    authority: Authority | None = None,
    approver: str = Approver.BOARD,
    bonus_cap: Any = 0,
    penalty_cap: Any = 0,
    vote_required: bool = False,
    commendation_count: int = 2,
    tie_break: Sequence[str] | None = None,
    rules_text: str = "",
    succession: str = Succession.ROTATION,
) -> ScoreSheet:
    """A draft sheet for `bloc` and `year`, overseen by the province's Board unless told otherwise."""
    authority = authority or province_authority()
    _require(authority is not None, _("Chưa có cấp quản lý (UBND tỉnh) để giao bảng tiêu chí."))
    assert authority is not None
    _require(1945 <= year <= 2100, _("Năm không hợp lệ."), "bad_year")
    _require(
        BlocMembership.objects.filter(bloc=bloc, year=year).exists(),
        _("Khối {bloc} chưa có thành viên năm {year}.").format(bloc=bloc.name, year=year),
        "no_members",
    )
    _require(
        not ScoreSheet.objects.filter(bloc=bloc, year=year).exists(),
        _("Khối {bloc} đã có bảng tiêu chí năm {year}.").format(bloc=bloc.name, year=year),
        "sheet_exists",
    )
    sheet = ScoreSheet(bloc=bloc, year=year, authority=authority, created_by=actor)
    _require_editor(actor, sheet)
    _apply_settings(
        sheet,
        approver=approver,
        bonus_cap=bonus_cap,
        penalty_cap=penalty_cap,
        vote_required=vote_required,
        commendation_count=commendation_count,
        tie_break=tie_break,
        rules_text=rules_text,
        succession=succession,
    )
    with_history_user(sheet, actor)
    sheet.save()
    audit_record(actor=actor, action="bloc_sheet_create", target=sheet, summary=f"{bloc.name} {year}")
    return sheet


def _apply_settings(sheet: ScoreSheet, **fields: Any) -> list[str]:
    """Check and set the sheet's own settings; return the names of those that changed."""
    changed = []
    if "approver" in fields and fields["approver"] is not None:
        _require(fields["approver"] in Approver.values, _("Cần chọn bên duyệt bảng tiêu chí."))
    if fields.get("succession") is not None:
        _require(fields["succession"] in Succession.values, _("Cần chọn cách chọn khối trưởng năm sau."))
    for name, label in (("bonus_cap", _("Điểm thưởng tối đa")), ("penalty_cap", _("Điểm trừ tối đa"))):
        if fields.get(name) is not None:
            fields[name] = _points(fields[name], label)
    if fields.get("commendation_count") is not None:
        count = fields["commendation_count"]
        _require(
            isinstance(count, int) and 0 <= count <= 50,
            _("Số đơn vị đề nghị Bằng khen phải từ 0 đến 50."),
            "out_of_range",
        )
    if fields.get("tie_break") is not None:
        try:
            fields["tie_break"] = list(ranking.check_keys(fields["tie_break"]))
        except ValueError as exc:
            raise ValidationError(
                _("Thứ tự phân định có tiêu chí không hợp lệ hoặc lặp lại."), code="bad_tie_break"
            ) from exc
    if fields.get("rules_text") is not None:
        fields["rules_text"] = fields["rules_text"].strip()
    for name, value in fields.items():
        if value is None:
            continue
        if getattr(sheet, name) != value:
            changed.append(name)
            setattr(sheet, name, value)
    return changed


def _editable_sheet(actor: User, sheet: ScoreSheet, reason: str) -> tuple[ScoreSheet, str]:
    """The sheet locked for a change of its content: a draft freely; an approved one with a reason."""
    fresh = _locked_sheet(sheet, same_state=False)
    _require_editor(actor, fresh)
    _require(
        fresh.state in (SheetState.DRAFT, SheetState.APPROVED),
        _("Hội nghị khối đã chốt điểm: bảng tiêu chí không thay đổi được nữa."),
        "sheet_closed",
    )
    reason = reason.strip()
    if fresh.state == SheetState.APPROVED:
        _require(
            bool(reason),
            _("Bảng tiêu chí đã được duyệt: cần ghi lý do thay đổi (các đơn vị thành viên sẽ được báo)."),
            "reason_required",
        )
    return fresh, reason


def _amended(actor: User, sheet: ScoreSheet, summary: str, reason: str) -> None:
    if sheet.state != SheetState.APPROVED:
        return
    SheetAmendment.objects.create(sheet=sheet, actor=actor, summary=summary[:500], reason=reason)
    _tell_members(
        sheet,
        actor,
        _("Bảng tiêu chí chấm điểm {bloc} năm {year} đã thay đổi: {summary}. Lý do: {reason}").format(
            bloc=sheet.bloc.name, year=sheet.year, summary=summary, reason=reason
        ),
    )


@transaction.atomic
def sheet_update(*, actor: User, sheet: ScoreSheet, reason: str = "", **settings: Any) -> ScoreSheet:
    """Change the caps, the tie-break, the vote, the number proposed, who approves, the rules' text."""
    fresh, reason = _editable_sheet(actor, sheet, reason)
    allowed = {
        "succession",
        "approver",
        "bonus_cap",
        "penalty_cap",
        "vote_required",
        "commendation_count",
        "tie_break",
        "rules_text",
    }
    _require(set(settings) <= allowed, _("Có trường không sửa được."))
    if fresh.state != SheetState.DRAFT:
        _require(
            "approver" not in settings or settings["approver"] == fresh.approver,
            _("Bảng đã duyệt: không đổi được bên duyệt."),
            "sheet_closed",
        )
    changed = _apply_settings(fresh, **settings)
    for kind, cap in ((ItemKind.BONUS, fresh.bonus_cap), (ItemKind.PENALTY, fresh.penalty_cap)):
        largest = fresh.items.filter(kind=kind).aggregate(m=Max("max_points"))["m"]
        _require(
            largest is None or largest <= cap,
            _("Mức tối đa {kind} ({cap}) thấp hơn điểm tối đa của một mục ({largest}).").format(
                kind=ItemKind(kind).label.lower(), cap=_fmt(cap), largest=_fmt(largest)
            ),
            "over_cap",
        )
    if not changed:
        return fresh
    with_history_user(fresh, actor)
    fresh.save()
    summary = _("sửa {fields}").format(
        fields=", ".join(str(ScoreSheet._meta.get_field(f).verbose_name) for f in changed)
    )
    audit_record(
        actor=actor,
        action="bloc_sheet_update",
        target=fresh,
        summary=summary,
        extra={"reason": reason, "fields": {f: str(getattr(fresh, f)) for f in changed}},
    )
    _amended(actor, fresh, summary, reason)
    return fresh


@transaction.atomic
def group_add(*, actor: User, sheet: ScoreSheet, name: str, reason: str = "") -> SheetGroup:
    fresh, reason = _editable_sheet(actor, sheet, reason)
    name = name.strip()
    _require(bool(name), _("Cần nhập tên nhóm tiêu chí."), "name_required")
    position = (fresh.groups.aggregate(n=Max("position"))["n"] or 0) + 1
    group = SheetGroup(sheet=fresh, position=position, name=name[:300])
    with_history_user(group, actor)
    group.save()
    audit_record(actor=actor, action="bloc_group_add", target=group, summary=name, extra={"reason": reason})
    _amended(actor, fresh, _("thêm nhóm tiêu chí “{name}”").format(name=name), reason)
    return group


@transaction.atomic
def item_add(
    *,
    actor: User,
    sheet: ScoreSheet,
    name: str,
    max_points: Any,
    kind: str = ItemKind.BASE,
    group: SheetGroup | None = None,
    parent: SheetItem | None = None,
    guidance: str = "",
    evidence_required: str = "",
    reason: str = "",
) -> SheetItem:
    """A criterion of a group, a sub-criterion of a criterion, or a bonus or penalty item."""
    fresh, reason = _editable_sheet(actor, sheet, reason)
    name = name.strip()
    _require(bool(name), _("Cần nhập tên tiêu chí."), "name_required")
    _require(kind in ItemKind.values, _("Cần chọn loại: tiêu chí, điểm thưởng hoặc điểm trừ."))
    points = _points(max_points, _("Điểm tối đa"), positive=True)
    if parent is not None:
        _require(
            parent.sheet_id == fresh.pk and parent.parent_id is None and parent.kind == ItemKind.BASE,
            _("Tiêu chí con chỉ thuộc một tiêu chí (không thuộc tiêu chí con khác) của cùng bảng."),
            "bad_parent",
        )
        _require(
            not parent.scores.exists(),
            _("Tiêu chí “{name}” đã được chấm: không chia thêm tiêu chí con.").format(name=parent.name),
            "item_in_use",
        )
        kind, group = ItemKind.BASE, parent.group
    if kind == ItemKind.BASE:
        _require(
            group is not None and group.sheet_id == fresh.pk,
            _("Tiêu chí phải thuộc một nhóm tiêu chí của bảng."),
            "group_required",
        )
    else:
        group = None
        _check_within_cap(fresh, kind, points)
    siblings = SheetItem.objects.filter(sheet=fresh, kind=kind, group=group, parent=parent)
    position = (siblings.aggregate(n=Max("position"))["n"] or 0) + 1
    item = SheetItem(
        sheet=fresh,
        kind=kind,
        group=group,
        parent=parent,
        position=position,
        name=name[:500],
        max_points=points,
        guidance=guidance.strip(),
        evidence_required=evidence_required.strip()[:300],
    )
    with_history_user(item, actor)
    item.save()
    audit_record(
        actor=actor,
        action="bloc_item_add",
        target=item,
        summary=f"{name} ({points})",
        extra={"reason": reason, "kind": kind},
    )
    _amended(
        actor,
        fresh,
        _("thêm tiêu chí “{name}” ({points} điểm)").format(name=name, points=_fmt(points)),
        reason,
    )
    return item


def _check_within_cap(sheet: ScoreSheet, kind: str, points: Decimal) -> None:
    """A bonus or penalty item is worth at most the sheet's cap for its kind."""
    limit = sheet.bonus_cap if kind == ItemKind.BONUS else sheet.penalty_cap
    _require(
        points <= limit,
        _("Điểm tối đa của mục {kind} ({points}) vượt mức tối đa của bảng ({limit}).").format(
            kind=ItemKind(kind).label.lower(), points=_fmt(points), limit=_fmt(limit)
        ),
        "over_cap",
    )


@transaction.atomic
def item_update(
    *,
    actor: User,
    item: SheetItem,
    name: str | None = None,
    max_points: Any = None,
    guidance: str | None = None,
    evidence_required: str | None = None,
    reason: str = "",
) -> SheetItem:
    """Change a criterion. After approval: with a reason, and never a maximum below a score given."""
    fresh, reason = _editable_sheet(actor, item.sheet, reason)
    row = SheetItem.objects.select_for_update().get(pk=item.pk, sheet=fresh)
    old_max = row.max_points
    if name is not None:
        _require(bool(name.strip()), _("Cần nhập tên tiêu chí."), "name_required")
        row.name = name.strip()[:500]
    if max_points is not None and str(max_points).strip() != "":
        points = _points(max_points, _("Điểm tối đa"), positive=True)
        over = [
            s
            for s in row.scores.select_related("unit_sheet__unit")
            if any(v is not None and v > points for v in (s.self_points, s.review_points, s.final_points))
        ]
        _require(
            not over,
            _("Không hạ điểm tối đa của “{name}” xuống {points}: {units} đã được chấm cao hơn.").format(
                name=row.name, points=_fmt(points), units=", ".join(s.unit_sheet.unit.name for s in over)
            ),
            "below_given_score",
        )
        if row.kind != ItemKind.BASE:
            _check_within_cap(fresh, row.kind, points)
        row.max_points = points
    if guidance is not None:
        row.guidance = guidance.strip()
    if evidence_required is not None:
        row.evidence_required = evidence_required.strip()[:300]
    with_history_user(row, actor)
    row.save()
    summary = _("sửa tiêu chí “{name}” (điểm tối đa {old} → {new})").format(
        name=row.name, old=_fmt(old_max), new=_fmt(row.max_points)
    )
    audit_record(
        actor=actor, action="bloc_item_update", target=row, summary=summary, extra={"reason": reason}
    )
    _amended(actor, fresh, summary, reason)
    return row


@transaction.atomic
def item_remove(*, actor: User, item: SheetItem) -> None:
    """Only a draft sheet's item with no sub-criteria (nothing is scored on a draft)."""
    fresh = _locked_sheet(item.sheet, same_state=False)
    _require_editor(actor, fresh)
    _require(
        fresh.state == SheetState.DRAFT,
        _("Bảng tiêu chí đã duyệt: không bỏ tiêu chí được, chỉ sửa (có lý do)."),
        "sheet_not_draft",
    )
    _require(not item.children.exists(), _("Hãy bỏ các tiêu chí con trước."), "item_in_use")
    audit_record(actor=actor, action="bloc_item_remove", target=item, summary=item.name)
    with_history_user(item, actor)
    item.delete()


def structure_problems(sheet: ScoreSheet) -> list[str]:
    """What keeps a sheet from being approved."""
    items = list(sheet.items.all())
    problems = []
    if not any(i.kind == ItemKind.BASE for i in items):
        problems.append(_("bảng chưa có tiêu chí nào"))
    children: dict[int, list[SheetItem]] = {}
    for i in items:
        if i.parent_id:
            children.setdefault(i.parent_id, []).append(i)
    for i in items:
        subs = children.get(i.pk)
        if subs and sum((s.max_points for s in subs), Decimal(0)) != i.max_points:
            problems.append(
                _("điểm tối đa của “{name}” ({points}) khác tổng các tiêu chí con ({sum})").format(
                    name=i.name,
                    points=_fmt(i.max_points),
                    sum=_fmt(sum((s.max_points for s in subs), Decimal(0))),
                )
            )
    leader = access.holder(sheet, BlocRole.LEADER)
    if leader is None:
        problems.append(_("khối chưa có khối trưởng năm {year}").format(year=sheet.year))
    elif access.reviewer_of(sheet, leader) is None:
        # The leader does not review its own sheet: the deputy does, or a member the bloc assigns.
        problems.append(_("khối chưa có khối phó: cần phân công đơn vị chấm chéo bảng điểm của khối trưởng"))
    if sheet.vote_required and "votes" not in sheet.tie_break:
        problems.append(_("khối bỏ phiếu suy tôn nhưng số phiếu không có trong thứ tự phân định"))
    return problems


@transaction.atomic
def sheet_approve(*, actor: User, sheet: ScoreSheet, comment: str = "") -> ScoreSheet:
    """Scoring opens: every member unit's staff are told."""
    fresh = _locked_sheet(sheet)
    if not access.may_approve(actor, fresh):
        raise Forbidden(
            _("Bảng tiêu chí này do {who} duyệt.").format(who=fresh.get_approver_display()), "not_approver"
        )
    problems = structure_problems(fresh)
    _require(
        not problems,
        _("Chưa duyệt được bảng tiêu chí: {items}.").format(items="; ".join(problems)),
        "sheet_incomplete",
    )
    fresh.approved_by, fresh.approved_at = actor, timezone.now()
    _move(fresh, actor, fresh.approve, _("bảng tiêu chí"))
    audit_record(
        actor=actor,
        action="bloc_sheet_approve",
        target=fresh,
        summary=f"{fresh.bloc.name} {fresh.year}",
        extra={"comment": comment.strip()},
    )
    _tell_members(
        fresh,
        actor,
        _("Bảng tiêu chí chấm điểm {bloc} năm {year} đã được duyệt: các đơn vị tự chấm điểm.").format(
            bloc=fresh.bloc.name, year=fresh.year
        ),
    )
    return fresh


@transaction.atomic
def sheet_copy(*, actor: User, source: ScoreSheet, year: int | None = None) -> ScoreSheet:
    """Next year's draft with the same groups, criteria, sub-criteria, items and settings."""
    year = year or source.year + 1
    copy = sheet_create(
        actor=actor,
        bloc=source.bloc,
        year=year,
        authority=source.authority,
        approver=source.approver,
        bonus_cap=source.bonus_cap,
        penalty_cap=source.penalty_cap,
        vote_required=source.vote_required,
        commendation_count=source.commendation_count,
        tie_break=source.tie_break,
        rules_text=source.rules_text,
        succession=source.succession,
    )
    copy.copied_from = source
    copy.save(update_fields=["copied_from"])
    groups = {}
    for g in source.groups.all():
        groups[g.pk] = SheetGroup.objects.create(sheet=copy, position=g.position, name=g.name)
    items: dict[int, SheetItem] = {}
    # Parents before their sub-criteria, whatever the depth (the databases sort NULL parents differently:
    # first on SQLite, last on PostgreSQL, so the order is worked out here, not asked of the database).
    pending = list(source.items.order_by("position", "id"))
    ordered: list[SheetItem] = []
    placed: set[int] = set()
    while pending:
        ready = [i for i in pending if i.parent_id is None or i.parent_id in placed]
        if not ready:
            raise ValidationError(
                _("Bảng tiêu chí có tiêu chí con không tìm thấy tiêu chí cha."), "broken_tree"
            )
        ordered.extend(ready)
        placed.update(i.pk for i in ready)
        pending = [i for i in pending if i.pk not in placed]
    for i in ordered:
        items[i.pk] = SheetItem.objects.create(
            sheet=copy,
            kind=i.kind,
            group=groups.get(i.group_id) if i.group_id else None,
            parent=items[i.parent_id] if i.parent_id else None,
            position=i.position,
            name=i.name,
            max_points=i.max_points,
            guidance=i.guidance,
            evidence_required=i.evidence_required,
        )
    audit_record(
        actor=actor,
        action="bloc_sheet_copy",
        target=copy,
        summary=f"{source.year} → {year}",
        extra={"source": source.pk, "items": len(items)},
    )
    return copy


# ---------------------------------------------------------------------------------------------------
# Self-scoring


def scored_items(sheet: ScoreSheet) -> list[SheetItem]:
    """The items a unit gives points to: those without sub-criteria."""
    items = list(sheet.items.select_related("group").order_by("kind", "group__position", "position", "id"))
    parents = {i.parent_id for i in items if i.parent_id}
    return [i for i in items if i.pk not in parents]


def _record(
    actor: User, unit_sheet: UnitSheet, item: SheetItem | None, stage: str, old: Any, new: Any, reason: str
) -> ScoreChange:
    return ScoreChange.objects.create(
        unit_sheet=unit_sheet, item=item, stage=stage, old=old, new=new, reason=reason, actor=actor
    )


def _require_member(sheet: ScoreSheet, unit: Unit) -> None:
    _require(
        any(u.pk == unit.pk for u in access.member_units(sheet)),
        _("{unit} không phải thành viên {bloc} năm {year}.").format(
            unit=unit.name, bloc=sheet.bloc.name, year=sheet.year
        ),
        "not_a_member",
    )


def _require_unit_staff(actor: User, unit: Unit, roles: tuple[str, ...]) -> None:
    """The unit's own officer or head (a report, a registration, a scoring is the unit's own)."""
    require_unit_staff(actor, unit)
    _require_role(actor, *roles)


@transaction.atomic
def unit_sheet_open(*, actor: User, sheet: ScoreSheet, unit: Unit) -> UnitSheet:
    """The unit's scoring on an approved sheet: the one begun, else a new draft."""
    _require_unit_staff(actor, unit, (Role.UNIT_OFFICER, Role.UNIT_HEAD))
    fresh = ScoreSheet.objects.select_related("bloc").get(pk=sheet.pk)
    _require_member(fresh, unit)
    _require(
        fresh.state == SheetState.APPROVED,
        _("Bảng tiêu chí chưa được duyệt hoặc đã chốt: không tự chấm được ({state}).").format(
            state=fresh.get_state_display()
        ),
        "sheet_not_open",
    )
    existing = UnitSheet.objects.filter(sheet=fresh, unit=unit).first()
    if existing is not None:
        return existing
    unit_sheet = UnitSheet(sheet=fresh, unit=unit)
    with_history_user(unit_sheet, actor)
    unit_sheet.save()
    audit_record(actor=actor, action="bloc_unit_sheet_open", target=unit_sheet, summary=unit.name)
    return unit_sheet


def _locked_unit_sheet(unit_sheet: UnitSheet, *, same_state: bool = True) -> UnitSheet:
    fresh = (
        UnitSheet.objects.select_for_update(of=("self",))
        .select_related("unit", "sheet", "sheet__bloc", "sheet__authority")
        .get(pk=unit_sheet.pk)
    )
    if same_state and fresh.state != unit_sheet.state:
        raise ValidationError(str(STALE).format(state=fresh.get_state_display()), code="state_conflict")
    return fresh


def _self_editable(actor: User, unit_sheet: UnitSheet) -> UnitSheet:
    _require_unit_staff(actor, unit_sheet.unit, (Role.UNIT_OFFICER, Role.UNIT_HEAD))
    fresh = _locked_unit_sheet(unit_sheet, same_state=False)
    _require(
        fresh.state == UnitSheetState.DRAFT,
        _("Đơn vị đã gửi bảng tự chấm ({state}): không sửa được.").format(state=fresh.get_state_display()),
        "unit_sheet_not_editable",
    )
    _require(
        fresh.sheet.state == SheetState.APPROVED, _("Bảng tiêu chí không còn nhận điểm."), "sheet_not_open"
    )
    return fresh


def _parse_scores(
    items: dict[int, SheetItem], values: Mapping[int, Any], *, field_label: str
) -> dict[int, Decimal | None]:
    """Every value checked against its item's maximum before anything is written."""
    unknown = [k for k in values if k not in items]
    _require(not unknown, _("Có tiêu chí không thuộc bảng chấm điểm này."), "unknown_item")
    parsed: dict[int, Decimal | None] = {}
    for item_id, raw in values.items():
        text = "" if raw is None else str(raw).strip()
        if not text:
            parsed[item_id] = None
            continue
        item = items[item_id]
        points = _points(text, _("{what} của “{name}”").format(what=field_label, name=item.name))
        _require(
            points <= item.max_points,
            _("{what} của “{name}” ({points}) vượt điểm tối đa {max}.").format(
                what=field_label, name=item.name, points=_fmt(points), max=_fmt(item.max_points)
            ),
            "over_max",
        )
        parsed[item_id] = points
    return parsed


@transaction.atomic
def self_score_save(
    *,
    actor: User,
    unit_sheet: UnitSheet,
    scores: Mapping[int, Any],
    notes: Mapping[int, str] | None = None,
    explanation: str | None = None,
) -> UnitSheet:
    """The unit's own points (item id → points; empty clears), its notes per item and its explanation."""
    fresh = _self_editable(actor, unit_sheet)
    items = {i.pk: i for i in scored_items(fresh.sheet)}
    parsed = _parse_scores(items, scores, field_label=_("Điểm tự chấm"))
    notes = notes or {}
    _require(all(k in items for k in notes), _("Có tiêu chí không thuộc bảng chấm điểm này."), "unknown_item")
    existing = {s.item_id: s for s in fresh.scores.all()}
    for item_id in set(parsed) | set(notes):
        row = existing.get(item_id) or Score(unit_sheet=fresh, item_id=item_id)
        if item_id in parsed and row.self_points != parsed[item_id]:
            _record(actor, fresh, items[item_id], Stage.SELF, row.self_points, parsed[item_id], "")
            row.self_points = parsed[item_id]
        if item_id in notes:
            row.note = (notes[item_id] or "").strip()[:500]
        row.save()
    if explanation is not None:
        fresh.explanation = explanation.strip()
        with_history_user(fresh, actor)
        fresh.save(update_fields=["explanation"])
    audit_record(
        actor=actor,
        action="bloc_self_score",
        target=fresh,
        summary=f"{fresh.unit.name} {fresh.sheet}",
        extra={"scores": {str(k): None if v is None else str(v) for k, v in parsed.items()}},
    )
    return fresh


@transaction.atomic
def evidence_add(
    *, actor: User, unit_sheet: UnitSheet, item: SheetItem, upload: UploadedFile
) -> ScoreEvidence:
    fresh = _self_editable(actor, unit_sheet)
    _require(
        item.pk in {i.pk for i in scored_items(fresh.sheet)},
        _("Tiêu chí này không thuộc bảng chấm điểm."),
        "unknown_item",
    )
    evidence = store_upload(
        ScoreEvidence(unit_sheet=fresh, item=item), upload, actor, f"khoi{fresh.sheet_id}-{fresh.unit_id}"
    )
    audit_record(
        actor=actor,
        action="bloc_evidence_add",
        target=evidence,
        summary=f"{fresh.unit.name} · {item.name}: {evidence.original_name}",
        extra={"sha256": evidence.sha256, "size": evidence.size, "item": item.pk},
    )
    return evidence  # type: ignore[return-value]


def evidence_add_many(
    *, actor: User, unit_sheet: UnitSheet, item: SheetItem, uploads: Sequence[UploadedFile]
) -> list[ScoreEvidence]:
    return all_or_none(
        uploads, lambda upload: evidence_add(actor=actor, unit_sheet=unit_sheet, item=item, upload=upload)
    )


@transaction.atomic
def evidence_remove(*, actor: User, evidence: ScoreEvidence) -> None:
    """A file is never deleted: it is marked removed, and the audit keeps it."""
    _self_editable(actor, evidence.unit_sheet)
    evidence.is_active = False
    evidence.save(update_fields=["is_active"])
    audit_record(actor=actor, action="bloc_evidence_remove", target=evidence, summary=evidence.original_name)


def missing_items(unit_sheet: UnitSheet) -> list[str]:
    """What the unit lacks before its head may submit: a score for every item (zero counts) and a file
    for every item that asks for evidence and was given points."""
    items = scored_items(unit_sheet.sheet)
    scores = {s.item_id: s for s in unit_sheet.scores.all()}
    evidenced = set(unit_sheet.evidence.filter(is_active=True).values_list("item_id", flat=True))
    missing = []
    for item in items:
        score = scores.get(item.pk)
        if score is None or score.self_points is None:
            missing.append(_("điểm tiêu chí “{name}”").format(name=item.name))
        elif item.evidence_required and score.self_points > 0 and item.pk not in evidenced:
            missing.append(
                _("minh chứng của “{name}” ({evidence})").format(
                    name=item.name, evidence=item.evidence_required
                )
            )
    return missing


@transaction.atomic
def unit_sheet_submit(*, actor: User, unit_sheet: UnitSheet) -> UnitSheet:
    """The head sends the unit's scoring for cross-review."""
    _require_unit_staff(actor, unit_sheet.unit, (Role.UNIT_HEAD,))
    fresh = _locked_unit_sheet(unit_sheet)
    _require(
        fresh.sheet.state == SheetState.APPROVED, _("Bảng tiêu chí không còn nhận điểm."), "sheet_not_open"
    )
    missing = missing_items(fresh)
    _require(
        not missing,
        _("Chưa gửi được: còn thiếu {items}.").format(items="; ".join(missing)),
        "unit_sheet_incomplete",
    )
    fresh.submitted_by, fresh.submitted_at = actor, timezone.now()
    _move(fresh, actor, fresh.submit, _("bảng tự chấm"))
    audit_record(actor=actor, action="bloc_unit_sheet_submit", target=fresh, summary=fresh.unit.name)
    reviewer = access.reviewer_of(fresh.sheet, fresh.unit)
    if reviewer is not None:
        notify.send(
            [u for u in _member_staff(fresh.sheet, [reviewer]) if u.pk != actor.pk],
            _("{unit} đã gửi bảng tự chấm điểm {bloc} năm {year}, chờ chấm chéo").format(
                unit=fresh.unit.name, bloc=fresh.sheet.bloc.name, year=fresh.sheet.year
            ),
            link=unit_sheet_link(fresh),
        )
    return fresh


# ---------------------------------------------------------------------------------------------------
# Cross-review and the bloc meeting


def _require_bloc(actor: User, sheet: ScoreSheet, roles: tuple[str, ...] = access.BLOC_SIGNERS) -> None:
    if not access.acts_for_bloc(actor, sheet, roles):
        raise Forbidden(
            _("Chỉ khối trưởng của khối năm {year} được làm việc này.").format(year=sheet.year), "not_bloc"
        )


@transaction.atomic
def reviewer_assign(*, actor: User, sheet: ScoreSheet, unit: Unit, reviewer: Unit | None) -> None:
    """The bloc names the member that cross-reviews `unit` (None: back to the leader)."""
    fresh = _locked_sheet(sheet, same_state=False)
    _require_bloc(actor, fresh, access.BLOC_STAFF)
    _require(
        fresh.state in (SheetState.DRAFT, SheetState.APPROVED),
        _("Hội nghị khối đã chốt điểm."),
        "sheet_closed",
    )
    _require_member(fresh, unit)
    existing = ReviewAssignment.objects.filter(sheet=fresh, unit=unit).first()
    if reviewer is None:
        if existing is not None:
            existing.delete()
    else:
        _require_member(fresh, reviewer)
        _require(reviewer.pk != unit.pk, _("Đơn vị không tự chấm chéo bảng của mình."), "self_review")
        row = existing or ReviewAssignment(sheet=fresh, unit=unit)
        row.reviewer = reviewer
        row.save()
    audit_record(
        actor=actor,
        action="bloc_reviewer_assign",
        target=fresh,
        summary=f"{unit.name} ← {reviewer.name if reviewer else '-'}",
    )


@transaction.atomic
def review_save(
    *,
    actor: User,
    unit_sheet: UnitSheet,
    scores: Mapping[int, Any],
    reasons: Mapping[int, str] | None = None,
    note: str | None = None,
) -> UnitSheet:
    """The reviewer's points: a score different from the unit's own needs its reason; an empty value
    goes back to agreeing with the unit."""
    fresh = _locked_unit_sheet(unit_sheet, same_state=False)
    if not access.may_review(actor, fresh):
        raise Forbidden(
            _("Bạn không được giao chấm chéo bảng điểm của {unit}.").format(unit=fresh.unit.name),
            "not_reviewer",
        )
    _require(
        fresh.state == UnitSheetState.SUBMITTED,
        _("Chỉ chấm chéo bảng đã gửi và chưa chấm xong ({state}).").format(state=fresh.get_state_display()),
        "not_reviewable",
    )
    _require(fresh.sheet.state == SheetState.APPROVED, _("Hội nghị khối đã chốt điểm."), "sheet_closed")
    items = {i.pk: i for i in scored_items(fresh.sheet)}
    parsed = _parse_scores(items, scores, field_label=_("Điểm chấm chéo"))
    reasons = reasons or {}
    existing = {s.item_id: s for s in fresh.scores.all()}
    for item_id, points in parsed.items():
        row = existing[item_id]
        reason = (reasons.get(item_id) or "").strip()
        if points is not None and points != row.self_points:
            _require(
                bool(reason),
                _("Chấm “{name}” khác điểm tự chấm ({own} → {new}) cần ghi lý do.").format(
                    name=items[item_id].name, own=_fmt(row.self_points), new=_fmt(points)
                ),
                "reason_required",
            )
        if points == row.self_points:
            # Agreeing with the unit is the same as no review score.
            points, reason = None, ""
        if points != row.review_points:
            _record(actor, fresh, items[item_id], Stage.REVIEW, row.review_points, points, reason)
            row.review_points, row.review_reason = points, reason[:500]
            row.save(update_fields=["review_points", "review_reason"])
    if note is not None:
        fresh.review_note = note.strip()
        with_history_user(fresh, actor)
        fresh.save(update_fields=["review_note"])
    audit_record(
        actor=actor,
        action="bloc_review",
        target=fresh,
        summary=fresh.unit.name,
        extra={"scores": {str(k): None if v is None else str(v) for k, v in parsed.items()}},
    )
    return fresh


@transaction.atomic
def review_finish(*, actor: User, unit_sheet: UnitSheet) -> UnitSheet:
    fresh = _locked_unit_sheet(unit_sheet)
    if not access.may_review(actor, fresh):
        raise Forbidden(
            _("Bạn không được giao chấm chéo bảng điểm của {unit}.").format(unit=fresh.unit.name),
            "not_reviewer",
        )
    fresh.reviewed_by, fresh.reviewed_at = actor, timezone.now()
    _move(fresh, actor, fresh.finish_review, _("bảng tự chấm"))
    audit_record(actor=actor, action="bloc_review_finish", target=fresh, summary=fresh.unit.name)
    changed = fresh.scores.filter(review_points__isnull=False).count()
    notify.send(
        [u for u in _member_staff(fresh.sheet, [fresh.unit]) if u.pk != actor.pk],
        _("Bảng điểm của {unit} đã được chấm chéo ({n} tiêu chí chấm khác, có lý do)").format(
            unit=fresh.unit.name, n=changed
        ),
        link=unit_sheet_link(fresh),
    )
    return fresh


@transaction.atomic
def meeting_settle(
    *,
    actor: User,
    sheet: ScoreSheet,
    meeting_date: dt.date,
    minutes: str,
    finals: Mapping[tuple[int, int], tuple[Any, str]] | None = None,
    votes: Mapping[int, Any] | None = None,
    upload: UploadedFile | None = None,
) -> ScoreSheet:
    """The bloc meeting: its minutes, the scores it changes ((unit id, item id) → (points, reason)), the
    vote counts copied from its minutes where the sheet asks for a vote. Every member must have been
    cross-reviewed. What it does not change stays as reviewed."""
    fresh = _locked_sheet(sheet)
    _require_bloc(actor, fresh)
    minutes = minutes.strip()
    _require(bool(minutes), _("Cần nhập nội dung biên bản hội nghị khối."), "minutes_required")
    _require(meeting_date <= timezone.localdate(), _("Ngày họp không được sau hôm nay."), "future_meeting")
    units = access.member_units(fresh)
    unit_sheets = {
        us.unit_id: us
        for us in UnitSheet.objects.filter(sheet=fresh).select_related("unit").prefetch_related("scores")
    }
    pending = [
        u.name
        for u in units
        if unit_sheets.get(u.pk) is None or unit_sheets[u.pk].state != UnitSheetState.REVIEWED
    ]
    _require(
        not pending,
        _("Chưa chốt được: bảng điểm của {units} chưa được chấm chéo xong.").format(units=", ".join(pending)),
        "not_all_reviewed",
    )
    items = {i.pk: i for i in scored_items(fresh)}
    finals = finals or {}
    for (unit_id, item_id), (raw, reason) in finals.items():
        _require(
            unit_id in unit_sheets and item_id in items, _("Có điểm không thuộc bảng này."), "unknown_item"
        )
        text = "" if raw is None else str(raw).strip()
        if not text:
            continue
        points = _parse_scores(items, {item_id: text}, field_label=_("Điểm hội nghị chốt"))[item_id]
        us = unit_sheets[unit_id]
        score = next(s for s in us.scores.all() if s.item_id == item_id)
        if points == score.points:
            continue
        reason = (reason or "").strip()
        _require(
            bool(reason),
            _("Hội nghị chốt “{name}” của {unit} khác điểm chấm chéo ({old} → {new}) cần ghi lý do.").format(
                name=items[item_id].name, unit=us.unit.name, old=_fmt(score.points), new=_fmt(points)
            ),
            "reason_required",
        )
        _record(actor, us, items[item_id], Stage.FINAL, score.points, points, reason)
        score.final_points, score.final_reason = points, reason[:500]
        score.save(update_fields=["final_points", "final_reason"])
    counts: dict[int, int] = {}
    if fresh.vote_required:
        votes = votes or {}
        for u in units:
            raw = votes.get(u.pk)
            try:
                count = int(str(raw).strip())
            except (TypeError, ValueError):
                count = -1
            _require(
                0 <= count <= 1000,
                _("Cần nhập số phiếu bầu (theo biên bản) của {unit}.").format(unit=u.name),
                "votes_required",
            )
            counts[u.pk] = count
        for unit_id, count in counts.items():
            old = VoteCount.objects.filter(sheet=fresh, unit_id=unit_id).first()
            if old is None or old.votes != count:
                _record(
                    actor,
                    unit_sheets[unit_id],
                    None,
                    Stage.VOTE,
                    old.votes if old else None,
                    Decimal(count),
                    "",
                )
                VoteCount.objects.update_or_create(sheet=fresh, unit_id=unit_id, defaults={"votes": count})
    if upload is not None:
        store_upload(MinutesFile(sheet=fresh), upload, actor, f"bien-ban-khoi{fresh.pk}")
    fresh.meeting_date, fresh.minutes = meeting_date, minutes
    fresh.settled_by, fresh.settled_at = actor, timezone.now()
    _move(fresh, actor, fresh.settle, _("bảng tiêu chí"))
    audit_record(
        actor=actor,
        action="bloc_meeting_settle",
        target=fresh,
        summary=f"{fresh.bloc.name} {fresh.year}: {meeting_date:%d/%m/%Y}",
        extra={"votes": {str(k): v for k, v in counts.items()}, "finals": len(finals)},
    )
    return fresh


# ---------------------------------------------------------------------------------------------------
# Ranking and publication


def current_points(sheet: ScoreSheet) -> dict[int, dict[int, Decimal]]:
    """unit id → item id → the points that count now (the meeting's, else the review's, else the unit's
    own), read as tuples: a bloc of 15 units × 60 criteria is 900 rows, 40 blocs 36,000."""
    out: dict[int, dict[int, Decimal]] = {}
    rows = Score.objects.filter(unit_sheet__sheet=sheet).values_list(
        "unit_sheet__unit_id", "item_id", "final_points", "review_points", "self_points"
    )
    for unit_id, item_id, final, review, own in rows:
        points = final if final is not None else review if review is not None else own
        if points is not None:
            out.setdefault(unit_id, {})[item_id] = points
    return out


def current_figures(
    sheet: ScoreSheet, points: dict[int, dict[int, Decimal]] | None = None
) -> list[ranking.UnitFigures]:
    """Each member's figures from the current points (the meeting's, else the review's, else its own)."""
    items = {i.pk: i for i in scored_items(sheet)}
    votes = dict(VoteCount.objects.filter(sheet=sheet).values_list("unit_id", "votes"))
    points = current_points(sheet) if points is None else points
    figures = []
    for unit_id, name, key in UnitSheet.objects.filter(sheet=sheet).values_list(
        "unit_id", "unit__name", "unit__sort_key"
    ):
        row: dict[str, Any] = {"base": Decimal(0), "bonus": Decimal(0), "penalty": Decimal(0), "at_max": 0}
        for item_id, value in points.get(unit_id, {}).items():
            item = items.get(item_id)
            if item is None:
                continue
            row[item.kind] += value
            if item.kind == ItemKind.BASE and value == item.max_points:
                row["at_max"] += 1
        figures.append(figures_of(sheet, unit_id, name, key, row, votes.get(unit_id, 0)))
    return figures


def figures_of(
    sheet: ScoreSheet, unit_id: int, name: str, sort_key: str, sums: Mapping[str, Any], votes: int
) -> ranking.UnitFigures:
    return ranking.figures(
        unit_id=unit_id,
        name=name,
        base=sums["base"],
        bonus=sums["bonus"],
        penalty=sums["penalty"],
        bonus_cap=sheet.bonus_cap,
        penalty_cap=sheet.penalty_cap,
        criteria_at_max=sums["at_max"],
        votes=votes,
        sort_key=sort_key,
    )


def current_ranking(sheet: ScoreSheet) -> ranking.Ranking:
    return ranking.rank(current_figures(sheet), sheet.tie_break)


@transaction.atomic
def ranking_publish(*, actor: User, sheet: ScoreSheet) -> ScoreSheet:
    """Publish the settled ranking: it is frozen (`RankingEntry`), every member sees every unit's scores
    and evidence, and is told."""
    fresh = _locked_sheet(sheet)
    if not access.may_approve(actor, fresh):
        raise Forbidden(
            _("Xếp hạng của khối này do {who} công bố.").format(who=fresh.get_approver_display()),
            "not_approver",
        )
    result = current_ranking(fresh)
    RankingEntry.objects.bulk_create(
        [
            RankingEntry(
                sheet=fresh,
                unit_id=row.figures.unit_id,
                position=index,
                rank=row.rank,
                base=row.figures.base,
                bonus=row.figures.bonus,
                penalty=row.figures.penalty,
                total=row.figures.total,
                criteria_at_max=row.figures.criteria_at_max,
                votes=row.figures.votes,
                reason=row.reason,
            )
            for index, row in enumerate(result.rows, start=1)
        ]
    )
    fresh.published_by, fresh.published_at = actor, timezone.now()
    _move(fresh, actor, fresh.publish, _("bảng tiêu chí"))
    audit_record(
        actor=actor,
        action="bloc_ranking_publish",
        target=fresh,
        summary=f"{fresh.bloc.name} {fresh.year}",
        extra={"ranking": [[r.rank, r.figures.unit_id, str(r.figures.total)] for r in result.rows]},
    )
    first = result.rows[0].figures.name if result.rows else "-"
    _tell_members(
        fresh,
        actor,
        _("Đã công bố xếp hạng {bloc} năm {year}: dẫn đầu là {first}").format(
            bloc=fresh.bloc.name, year=fresh.year, first=first
        ),
    )
    return fresh


def published_leaders(years: Sequence[int] | None = None) -> dict[tuple[int, int], int]:
    """(bloc id, year) → the unit ranked first in a published ranking (the first of equals is not a
    sole leader: a shared first place names no leader)."""
    rows = RankingEntry.objects.filter(sheet__state=SheetState.PUBLISHED, rank=1)
    if years is not None:
        rows = rows.filter(sheet__year__in=years)
    firsts: dict[tuple[int, int], list[int]] = {}
    for bloc_id, year, unit_id in rows.values_list("sheet__bloc_id", "sheet__year", "unit_id"):
        firsts.setdefault((bloc_id, year), []).append(unit_id)
    return {key: units[0] for key, units in firsts.items() if len(units) == 1}


# ---------------------------------------------------------------------------------------------------
# From the ranking to proposals (issue 11, item 5)

FLAG_CODE = "CO_TINH"
COMMENDATION_CODE = "BK_TINH"


def proposal_lines(sheet: ScoreSheet) -> list[tuple[RankingEntry, str]]:
    """The published ranking's lines: Cờ thi đua tỉnh for the sole leading unit, Bằng khen tỉnh for the
    next `commendation_count` (the number the provincial rulebook gives the bloc). A tie across either
    boundary is refused: the rulebook's number is a ceiling, and the tie-break is the bloc's to apply."""
    entries = list(RankingEntry.objects.filter(sheet=sheet).select_related("unit").order_by("position"))
    _require(bool(entries), _("Khối chưa công bố xếp hạng."), "not_published")
    _require(
        len(entries) == 1 or entries[1].rank != 1,
        _("{a} và {b} đồng hạng nhất: khối chưa có đơn vị dẫn đầu để đề nghị Cờ thi đua.").format(
            a=entries[0].unit.name, b=entries[1].unit.name if len(entries) > 1 else ""
        ),
        "shared_first",
    )
    count = min(sheet.commendation_count, len(entries) - 1)
    if 0 < count < len(entries) - 1:
        last, following = entries[count], entries[count + 1]
        _require(
            last.rank != following.rank,
            _(
                "{a} và {b} đồng hạng {rank}, ở ranh giới {n} đơn vị được đề nghị Bằng khen: "
                "không vượt số đơn vị quy chế cho phép."
            ).format(a=last.unit.name, b=following.unit.name, rank=last.rank, n=count),
            "tie_at_boundary",
        )
    return [(entries[0], FLAG_CODE)] + [(e, COMMENDATION_CODE) for e in entries[1 : count + 1]]


@transaction.atomic
def proposals_create(*, actor: User, sheet: ScoreSheet) -> Any:
    """A draft dossier of the leading unit, addressed to the sheet's authority, with one line per unit
    proposed, through the proposals' own services (their checks of scope, power and duplicates)."""
    from thidua.awards.models import AwardType
    from thidua.proposals import services as proposals

    fresh = _locked_sheet(sheet)
    if not access.is_board(actor, fresh):
        raise Forbidden(
            _("Chuyên viên Ban Thi đua – Khen thưởng lập hồ sơ đề nghị từ xếp hạng của khối."), "not_board"
        )
    _require(fresh.state == SheetState.PUBLISHED, _("Khối chưa công bố xếp hạng."), "not_published")
    _require(fresh.dossier_id is None, _("Xếp hạng này đã được lập hồ sơ đề nghị."), "already_proposed")
    lines = proposal_lines(fresh)
    leader = lines[0][0].unit
    dossier = proposals.dossier_create(
        actor=actor,
        unit=leader,
        kind="cong_trang",
        year=fresh.year,
        authority=fresh.authority,
        title=_("Đề nghị khen thưởng theo kết quả chấm điểm, xếp hạng {bloc} năm {year}").format(
            bloc=fresh.bloc.name, year=fresh.year
        ),
        summary=_("Hội nghị khối ngày {day}; xếp hạng công bố ngày {published}.").format(
            day=f"{fresh.meeting_date:%d/%m/%Y}" if fresh.meeting_date else "—",
            published=f"{timezone.localtime(fresh.published_at):%d/%m/%Y}" if fresh.published_at else "—",
        ),
    )
    awards = {a.code: a for a in AwardType.objects.filter(code__in=[FLAG_CODE, COMMENDATION_CODE])}
    for entry, code in lines:
        proposals.nominee_add(
            actor=actor,
            dossier=dossier,
            recipient=entry.unit,
            award_type=awards[code],
            achievement=_("Xếp thứ {rank} {bloc} năm {year}, tổng {total} điểm").format(
                rank=entry.rank, bloc=fresh.bloc.name, year=fresh.year, total=_fmt(entry.total)
            ),
        )
    fresh.dossier = dossier
    with_history_user(fresh, actor)
    fresh.save(update_fields=["dossier"])
    audit_record(
        actor=actor,
        action="bloc_proposals_create",
        target=fresh,
        summary=f"{fresh.bloc.name} {fresh.year} → {dossier.code}",
        extra={"lines": [[e.unit_id, code] for e, code in lines]},
    )
    return dossier


# ---------------------------------------------------------------------------------------------------
# Next year's leader and deputy (issue 11, item 6)


def successors(sheet: ScoreSheet) -> tuple[Unit, Unit]:
    """Next year's leader and deputy by the sheet's rule. Rotation: the member after this year's leader
    in the members' list (by name) leads, the one after it is deputy. Ranking: the published first leads,
    the second is deputy; a shared first or second place is the bloc's to settle, so it is refused."""
    members = access.member_units(sheet)
    _require(
        len(members) >= 2, _("Khối cần ít nhất hai thành viên để có khối trưởng và khối phó."), "too_few"
    )
    if sheet.succession == Succession.RANKING:
        entries = list(RankingEntry.objects.filter(sheet=sheet).select_related("unit").order_by("position"))
        _require(bool(entries), _("Khối chưa công bố xếp hạng."), "not_published")
        _require(
            len(entries) >= 2
            and entries[0].rank == 1
            and entries[1].rank == 2
            and (len(entries) == 2 or entries[2].rank != 2),
            _(
                "Xếp hạng có đồng hạng nhất hoặc nhì: khối cần phân định trước khi chọn khối trưởng, "
                "khối phó."
            ),
            "tie_at_top",
        )
        return entries[0].unit, entries[1].unit
    leader = access.holder(sheet, BlocRole.LEADER)
    index = next((i for i, u in enumerate(members) if leader is not None and u.pk == leader.pk), -1)
    return members[(index + 1) % len(members)], members[(index + 2) % len(members)]


@transaction.atomic
def leadership_decide(
    *, actor: User, sheet: ScoreSheet, decision_number: str, decision_date: dt.date
) -> LeadershipDecision:
    """Record the decision naming next year's leader and deputy; the members of this year become next
    year's members (those already listed for next year keep their place, with the new roles)."""
    fresh = _locked_sheet(sheet, same_state=False)
    if not access.is_board(actor, fresh):
        raise Forbidden(
            _("Chuyên viên Ban Thi đua – Khen thưởng ghi quyết định khối trưởng, khối phó."), "not_board"
        )
    number = decision_number.strip()
    _require(bool(number), _("Cần nhập số quyết định."), "number_required")
    _require(decision_date <= timezone.localdate(), _("Ngày quyết định không được sau hôm nay."), "future")
    _require(
        not LeadershipDecision.objects.filter(sheet=fresh).exists(),
        _("Đã ghi quyết định khối trưởng, khối phó năm {year}.").format(year=fresh.year + 1),
        "already_decided",
    )
    if fresh.succession == Succession.RANKING:
        _require(fresh.state == SheetState.PUBLISHED, _("Khối chưa công bố xếp hạng."), "not_published")
    leader, deputy = successors(fresh)
    year = fresh.year + 1
    existing = {m.unit_id: m for m in BlocMembership.objects.filter(bloc=fresh.bloc, year=year)}
    # Free the two seats first: one leader and one deputy a year is a constraint of the table.
    BlocMembership.objects.filter(bloc=fresh.bloc, year=year).exclude(role=BlocRole.MEMBER).update(
        role=BlocRole.MEMBER
    )
    for unit in access.member_units(fresh):
        if unit.pk not in existing:
            existing[unit.pk] = BlocMembership.objects.create(bloc=fresh.bloc, unit=unit, year=year)
    for unit, role in ((leader, BlocRole.LEADER), (deputy, BlocRole.DEPUTY)):
        row = existing.get(unit.pk) or BlocMembership.objects.create(bloc=fresh.bloc, unit=unit, year=year)
        row.role = role
        with_history_user(row, actor)
        row.save(update_fields=["role"])
    decision = LeadershipDecision.objects.create(
        sheet=fresh,
        year=year,
        rule=fresh.succession,
        leader=leader,
        deputy=deputy,
        decision_number=number,
        decision_date=decision_date,
        actor=actor,
    )
    audit_record(
        actor=actor,
        action="bloc_leadership_decide",
        target=fresh,
        summary=f"{fresh.bloc.name} {year}: {leader.name} / {deputy.name} ({number})",
        extra={"rule": fresh.succession},
    )
    _tell_members(
        fresh,
        actor,
        _("Quyết định {number}: năm {year}, khối trưởng {bloc} là {leader}, khối phó là {deputy}").format(
            number=number, year=year, bloc=fresh.bloc.name, leader=leader.name, deputy=deputy.name
        ),
    )
    return decision
