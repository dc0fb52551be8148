"""Writes of the movements: drafting and launching a movement, its criteria, targets and documents, its
reviews; the units' progress reports, their evidence, submission, acceptance and return.

Each service is atomic, checks the actor's role, authority and data scope again (a page's button is a
convenience, the service is the guard), locks the row it moves, writes its transition log, the audit row
and the notifications in the same transaction. A refusal is a `ValidationError` (or `Forbidden`) with a
Vietnamese message and a stable code, and nothing written.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_fsm import ConcurrentTransition, TransitionNotAllowed

from thidua.accounts.models import Role, User
from thidua.accounts.scope import require_unit_staff as _require_unit_staff
from thidua.accounts.scope import unit_in_scope
from thidua.core.audit import audit_record, with_history_user
from thidua.core.errors import Forbidden
from thidua.core.errors import require as _require
from thidua.core.errors import require_role as _require_role
from thidua.movements import periods as period_rules
from thidua.movements import standing, workflow
from thidua.movements.access import conflicted
from thidua.movements.models import (
    DEFAULT_REPORT_DUE_WORKING_DAYS,
    Criterion,
    CriterionTarget,
    Direction,
    Movement,
    MovementDocument,
    MovementKind,
    MovementReview,
    MovementTarget,
    MovementTransition,
    Period,
    ProgressReport,
    ReportEvidence,
    ReportTransition,
    ReportValue,
    ReviewKind,
    StoredFile,
    TargetMode,
)
from thidua.movements.workflow import MovementState, ReportState
from thidua.organisation.models import Authority, Unit, UnitKind
from thidua.proposals import notify
from thidua.proposals.access import require_serves
from thidua.proposals.uploads import all_or_none, sniff_upload

STALE = gettext_lazy("Vừa có người khác xử lý ({state}). Hãy tải lại trang để xem trạng thái mới nhất.")
COMMUNE_KINDS = (UnitKind.COMMUNE, UnitKind.WARD)
MAX_VALUE = Decimal("999999999999.99")


def _require_specialist(actor: User, authority: Authority) -> None:
    require_serves(actor, authority, Role.BOARD_SPECIALIST)


def eligible_targets(authority: Authority, on: dt.date | None = None) -> QuerySet[Unit]:
    """The units an authority may launch a movement for: those below it, not dissolved."""
    on = on or timezone.localdate()
    return (
        Unit.objects.filter(path__startswith=authority.unit.path)
        .exclude(pk=authority.unit_id)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
    )


def resolve_targets(movement: Movement, units: Sequence[Unit] = ()) -> list[Unit]:
    """The explicit list a target choice stands for on the day it is resolved."""
    eligible = eligible_targets(movement.authority)
    if movement.target_mode == TargetMode.KIND:
        return list(eligible.filter(kind=movement.target_kind))
    if movement.target_mode == TargetMode.ALL_COMMUNES:
        return list(eligible.filter(kind__in=COMMUNE_KINDS))
    return list(units)


def store_upload(record: StoredFile, upload: UploadedFile, actor: User, stem: str) -> StoredFile:
    """Check a file by its content (the dossiers' checks) and save it with `record`."""
    sniffed = sniff_upload(upload)
    upload.seek(0)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    record.original_name = sniffed.name
    record.content_type = sniffed.content_type
    record.size = sniffed.size
    record.sha256 = digest.hexdigest()
    record.uploaded_by = actor
    record.file.save(f"{stem}-{sniffed.safe_stem}{sniffed.extension}", upload, save=False)  # type: ignore[attr-defined]
    record.save()
    return record


# ---------------------------------------------------------------------------------------------------
# Movements


def _locked_movement(movement: Movement, *, same_state: bool = True) -> Movement:
    fresh = (
        Movement.objects.select_for_update(of=("self",))
        .select_related("authority", "authority__unit")
        .get(pk=movement.pk)
    )
    if same_state and fresh.state != movement.state:
        raise ValidationError(str(STALE).format(state=fresh.get_state_display()), code="state_conflict")
    return fresh


def _move_movement(movement: Movement, actor: User, method: Any, comment: str = "") -> MovementTransition:
    source = movement.state
    try:
        method()
    except TransitionNotAllowed as exc:
        raise ValidationError(
            _("Không thể thực hiện thao tác này khi phong trào đang ở trạng thái “{state}”.").format(
                state=movement.get_state_display()
            ),
            code="state_not_allowed",
        ) from exc
    with_history_user(movement, actor)
    try:
        movement.save()
    except ConcurrentTransition as exc:
        raise ValidationError(str(STALE).format(state="?"), code="state_conflict") from exc
    entry = MovementTransition.objects.create(
        movement=movement, actor=actor, source=source, target=movement.state, comment=comment
    )
    audit_record(
        actor=actor,
        action=f"movement_{movement.state}",
        target=movement,
        summary=f"{movement.code}: {source} → {movement.state}",
        extra={"comment": comment},
    )
    return entry


def _check_dates(kind: str, start: dt.date, end: dt.date) -> None:
    _require(end >= start, _("Ngày kết thúc không được trước ngày bắt đầu."), "date_order")
    if kind == MovementKind.REGULAR:
        # A regular movement runs the calendar year (the yearly cycle of review and commendation).
        _require(
            start == dt.date(start.year, 1, 1) and end == dt.date(start.year, 12, 31),
            _("Phong trào thường xuyên kéo dài đúng một năm, từ 01/01 đến 31/12."),
            "regular_is_a_year",
        )


@transaction.atomic
def movement_create(
    *,
    actor: User,
    authority: Authority,
    title: str,
    kind: str,
    start_date: dt.date,
    end_date: dt.date,
    description: str = "",
    report_due_days: int | None = None,
    target_mode: str = TargetMode.LIST,
    target_kind: str = "",
    units: Sequence[Unit] = (),
) -> Movement:
    """A draft movement of `authority`, with its choice of target units (a list now; a kind of unit or
    all communes, resolved to the list when launched)."""
    _require_specialist(actor, authority)
    title = title.strip()
    _require(bool(title), _("Cần nhập tên phong trào."), "title_required")
    _require(kind in MovementKind.values, _("Cần chọn loại phong trào: thường xuyên hoặc chuyên đề."))
    _check_dates(kind, start_date, end_date)
    _require(target_mode in TargetMode.values, _("Cần chọn cách xác định đơn vị tham gia."))
    if target_mode == TargetMode.KIND:
        _require(target_kind in UnitKind.values, _("Cần chọn loại đơn vị tham gia."), "target_kind_required")
    else:
        target_kind = ""
    if target_mode == TargetMode.LIST:
        _require(bool(units), _("Cần chọn ít nhất một đơn vị tham gia."), "targets_required")
        _require_targets(authority, units)
    due_days = DEFAULT_REPORT_DUE_WORKING_DAYS if report_due_days is None else report_due_days
    _require(0 < due_days <= 60, _("Hạn báo cáo phải từ 1 đến 60 ngày làm việc sau khi hết kỳ."))
    movement = Movement(
        code=f"tmp-{timezone.now().timestamp()}-{actor.pk}",
        authority=authority,
        title=title,
        kind=kind,
        start_date=start_date,
        end_date=end_date,
        description=description.strip(),
        report_due_days=due_days,
        target_mode=target_mode,
        target_kind=target_kind,
        created_by=actor,
    )
    with_history_user(movement, actor)
    movement.save()
    movement.code = f"PT{start_date.year % 100:02d}-{movement.pk:05d}"
    movement.save(update_fields=["code"])
    if target_mode == TargetMode.LIST:
        MovementTarget.objects.bulk_create([MovementTarget(movement=movement, unit=u) for u in set(units)])
    MovementTransition.objects.create(
        movement=movement,
        actor=actor,
        source=movement.state,
        target=movement.state,
        comment=_("Lập phong trào"),
    )
    audit_record(actor=actor, action="movement_create", target=movement, summary=f"{movement.code} {title}")
    return movement


def _require_targets(authority: Authority, units: Sequence[Unit]) -> None:
    allowed = set(
        eligible_targets(authority).filter(pk__in=[u.pk for u in units]).values_list("pk", flat=True)
    )
    outside = [u.name for u in units if u.pk not in allowed]
    _require(
        not outside,
        _("Không phát động được cho đơn vị ngoài phạm vi của {name}: {units}.").format(
            name=authority.name, units=", ".join(outside)
        ),
        "target_out_of_scope",
    )


def _editable_movement(actor: User, movement: Movement) -> Movement:
    fresh = _locked_movement(movement, same_state=False)
    _require_specialist(actor, fresh.authority)
    _require(
        fresh.state in workflow.EDITABLE_STATES,
        _("Phong trào đã phát động: tiêu chí không thay đổi được nữa."),
        "movement_not_editable",
    )
    return fresh


def _decimal(value: Any, label: str, *, positive: bool = False) -> Decimal:
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, ValueError) as exc:
        raise ValidationError(_("{label} phải là một số.").format(label=label), code="not_a_number") from exc
    _require(number.is_finite(), _("{label} phải là một số.").format(label=label), "not_a_number")
    _require(
        number > 0 if positive else number >= 0,
        _("{label} phải lớn hơn 0.").format(label=label)
        if positive
        else _("{label} không được âm.").format(label=label),
        "out_of_range",
    )
    _require(number <= MAX_VALUE, _("{label} quá lớn.").format(label=label), "out_of_range")
    return number.quantize(Decimal("0.01"))


@transaction.atomic
def criterion_add(
    *,
    actor: User,
    movement: Movement,
    name: str,
    unit_of_measure: str,
    target: Any,
    direction: str = Direction.AT_LEAST,
    weight: Any = 1,
    period: str = Period.QUARTER,
    evidence_required: str = "",
) -> Criterion:
    fresh = _editable_movement(actor, movement)
    name, unit_of_measure = name.strip(), unit_of_measure.strip()
    _require(bool(name), _("Cần nhập tên tiêu chí."), "name_required")
    _require(bool(unit_of_measure), _("Cần nhập đơn vị tính của tiêu chí."), "unit_required")
    _require(direction in Direction.values, _("Cần chọn chiều của chỉ tiêu: tối thiểu hoặc tối đa."))
    _require(period in Period.values, _("Cần chọn kỳ báo cáo của tiêu chí."))
    position = (fresh.criteria.aggregate(n=Max("position"))["n"] or 0) + 1
    criterion = Criterion(
        movement=fresh,
        position=position,
        name=name,
        unit_of_measure=unit_of_measure,
        direction=direction,
        weight=_decimal(weight, _("Trọng số"), positive=True),
        period=period,
        target=_decimal(target, _("Chỉ tiêu")),
        evidence_required=evidence_required.strip(),
    )
    criterion.full_clean()
    with_history_user(criterion, actor)
    criterion.save()
    audit_record(actor=actor, action="criterion_add", target=criterion, summary=f"{fresh.code}: {name}")
    return criterion


@transaction.atomic
def criterion_remove(*, actor: User, criterion: Criterion) -> None:
    """Only a draft's criterion, which no unit has reported on or was given a target for."""
    _editable_movement(actor, criterion.movement)
    _require(
        not criterion.unit_targets.exists(),
        _("Hãy bỏ chỉ tiêu giao riêng của tiêu chí trước."),
        "criterion_in_use",
    )
    audit_record(actor=actor, action="criterion_remove", target=criterion, summary=criterion.name)
    with_history_user(criterion, actor)
    criterion.delete()


@transaction.atomic
def unit_target_set(*, actor: User, criterion: Criterion, unit: Unit, target: Any | None) -> None:
    """Give one unit its own target (None: back to the common one). Possible until the movement is
    concluded: units chosen by kind are only known at launch."""
    fresh = _locked_movement(criterion.movement, same_state=False)
    _require_specialist(actor, fresh.authority)
    _require(
        fresh.state in (MovementState.DRAFT, *workflow.RUNNING_STATES),
        _("Phong trào đã tổng kết: chỉ tiêu không thay đổi được nữa."),
        "movement_not_editable",
    )
    _require(
        fresh.targets.filter(unit=unit).exists(),
        _("{unit} không phải đơn vị tham gia phong trào.").format(unit=unit.name),
        "not_a_target",
    )
    existing = CriterionTarget.objects.filter(criterion=criterion, unit=unit).first()
    if target is None or str(target).strip() == "":
        if existing is not None:
            with_history_user(existing, actor)
            existing.delete()
        audit_record(actor=actor, action="unit_target_clear", target=criterion, summary=unit.name)
        standing.refresh(fresh, [unit.pk])
        return
    value = _decimal(target, _("Chỉ tiêu"))
    row = existing or CriterionTarget(criterion=criterion, unit=unit)
    row.target = value
    with_history_user(row, actor)
    row.save()
    audit_record(actor=actor, action="unit_target_set", target=criterion, summary=f"{unit.name}: {value}")
    standing.refresh(fresh, [unit.pk])


@transaction.atomic
def document_add(*, actor: User, movement: Movement, upload: UploadedFile) -> MovementDocument:
    fresh = _locked_movement(movement, same_state=False)
    _require_specialist(actor, fresh.authority)
    _require(fresh.state != MovementState.ARCHIVED, _("Phong trào đã lưu trữ."), "movement_archived")
    document = store_upload(MovementDocument(movement=fresh), upload, actor, fresh.code)
    audit_record(
        actor=actor,
        action="movement_document_add",
        target=document,
        summary=f"{fresh.code}: {document.original_name}",
        extra={"sha256": document.sha256, "size": document.size},
    )
    return document  # type: ignore[return-value]


def movement_link(movement: Movement) -> str:
    return reverse("movements:detail", args=[movement.pk])


def _unit_staff(units: Sequence[Unit] | QuerySet[Unit]) -> list[User]:
    return list(
        User.objects.filter(unit__in=units, role__in=[Role.UNIT_OFFICER, Role.UNIT_HEAD], is_active=True)
    )


@transaction.atomic
def movement_launch(*, actor: User, movement: Movement, comment: str = "") -> Movement:
    """Launch: the target choice becomes the explicit list, and every target unit's staff are told."""
    _require_role(actor, *workflow.MOVEMENT_BY_NAME["launch"].roles)
    fresh = _locked_movement(movement)
    _require_specialist(actor, fresh.authority)
    _require(
        fresh.criteria.exists(), _("Phong trào cần ít nhất một tiêu chí trước khi phát động."), "no_criteria"
    )
    if fresh.target_mode != TargetMode.LIST:
        units = resolve_targets(fresh)
        MovementTarget.objects.bulk_create(
            [MovementTarget(movement=fresh, unit=u) for u in units], ignore_conflicts=True
        )
    targets = list(Unit.objects.filter(movement_targets__movement=fresh))
    _require(bool(targets), _("Không có đơn vị nào để phát động phong trào."), "targets_required")
    fresh.launched_at = timezone.now()
    _move_movement(fresh, actor, fresh.launch, comment)
    # Every target unit starts at nothing done: its standing row exists from the launch on.
    standing.refresh(fresh)
    text = _(
        "{authority} phát động phong trào “{title}” ({start} – {end}); đơn vị báo cáo tiến độ theo kỳ."
    ).format(
        authority=fresh.authority.name,
        title=fresh.title,
        start=f"{fresh.start_date:%d/%m/%Y}",
        end=f"{fresh.end_date:%d/%m/%Y}",
    )
    notify.send([u for u in _unit_staff(targets) if u.pk != actor.pk], text, link=movement_link(fresh))
    return fresh


@transaction.atomic
def movement_advance(*, actor: User, movement: Movement, action: str, comment: str = "") -> Movement:
    """Sơ kết, tổng kết, lưu trữ: the authority's specialist records the step."""
    step = workflow.MOVEMENT_BY_NAME[action]
    kind = next((k for k, move in workflow.REVIEW_MOVES.items() if move == step.move), None)
    if kind is not None:
        # A sơ kết or tổng kết is always a review record: the step taken without the review form (the
        # API, an older page) records a review held today, whose assessment can be written afterwards.
        return review_record(
            actor=actor, movement=movement, kind=kind, held_on=timezone.localdate(), comment=comment
        ).movement
    _require_role(actor, *step.roles)
    fresh = _locked_movement(movement)
    _require_specialist(actor, fresh.authority)
    _move_movement(fresh, actor, getattr(fresh, step.move), comment.strip())
    return fresh


# ---------------------------------------------------------------------------------------------------
# Reviews (sơ kết, tổng kết)

# The Board's own assessment: the parts of the report that no figure gives (docs/movements.md).
REVIEW_TEXT_FIELDS = ("situation", "strengths", "weaknesses", "lessons", "directions", "recommendations")
REVIEW_DETAIL_FIELDS = ("place", "chaired_by", "signer_title", "signer_name")


def _review_fields(fields: Mapping[str, str | None]) -> dict[str, str]:
    unknown = set(fields) - set(REVIEW_TEXT_FIELDS) - set(REVIEW_DETAIL_FIELDS)
    _require(not unknown, _("Có mục không thuộc báo cáo sơ kết, tổng kết."), "unknown_field")
    return {name: (value or "").strip() for name, value in fields.items()}


def _check_held_on(movement: Movement, kind: str, held_on: dt.date, exclude: int | None = None) -> None:
    label = ReviewKind(kind).label
    launched_on = timezone.localdate(movement.launched_at) if movement.launched_at else movement.start_date
    _require(
        held_on >= launched_on,
        _("Ngày {kind} không được trước ngày phát động phong trào ({day}).").format(
            kind=str(label).lower(), day=f"{launched_on:%d/%m/%Y}"
        ),
        "review_before_launch",
    )
    # Recording a review takes the movement's step: it has been held.
    _require(
        held_on <= timezone.localdate(),
        _("Ngày {kind} không được sau ngày hôm nay.").format(kind=str(label).lower()),
        "review_in_future",
    )
    others = MovementReview.objects.filter(movement=movement)
    if exclude is not None:
        others = others.exclude(pk=exclude)
    if kind == ReviewKind.FINAL:
        midterm = others.filter(kind=ReviewKind.MIDTERM).first()
        _require(
            midterm is None or held_on >= midterm.held_on,
            _("Ngày tổng kết không được trước ngày sơ kết ({day}).").format(
                day=f"{midterm.held_on:%d/%m/%Y}" if midterm else ""
            ),
            "review_order",
        )
    else:
        final = others.filter(kind=ReviewKind.FINAL).first()
        _require(
            final is None or held_on <= final.held_on,
            _("Ngày sơ kết không được sau ngày tổng kết ({day}).").format(
                day=f"{final.held_on:%d/%m/%Y}" if final else ""
            ),
            "review_order",
        )


def review_link(review: MovementReview) -> str:
    return reverse("movements:review", args=[review.movement_id, review.pk])


@transaction.atomic
def review_record(
    *,
    actor: User,
    movement: Movement,
    kind: str,
    held_on: dt.date,
    comment: str = "",
    **fields: str,
) -> MovementReview:
    """Record the sơ kết or tổng kết held on `held_on` and take the movement's step with it (launched →
    reviewed at mid-term; launched or reviewed → concluded), logged like every step. At most one of each
    kind; `fields` are the Board's assessment and the report's details (REVIEW_TEXT_FIELDS,
    REVIEW_DETAIL_FIELDS), all optional."""
    _require(kind in ReviewKind.values, _("Cần chọn sơ kết hoặc tổng kết."), "review_kind")
    step = workflow.MOVEMENT_BY_NAME[workflow.REVIEW_MOVES[kind]]
    _require_role(actor, *step.roles)
    values = _review_fields(fields)
    fresh = _locked_movement(movement)
    _require_specialist(actor, fresh.authority)
    _require(
        fresh.state in workflow.MOVEMENT_MOVES[step.move].sources,
        _("Không thể ghi {kind} khi phong trào đang ở trạng thái “{state}”.").format(
            kind=str(ReviewKind(kind).label).lower(), state=fresh.get_state_display()
        ),
        "state_not_allowed",
    )
    existing = MovementReview.objects.filter(movement=fresh, kind=kind).first()
    _require(
        existing is None,
        _("Phong trào đã có {kind} (ngày {day}).").format(
            kind=str(ReviewKind(kind).label).lower(), day=f"{existing.held_on:%d/%m/%Y}" if existing else ""
        ),
        "review_exists",
    )
    _check_held_on(fresh, kind, held_on)
    review = MovementReview(movement=fresh, kind=kind, held_on=held_on, created_by=actor, **values)
    review.full_clean(exclude=["movement", "created_by"])
    with_history_user(review, actor)
    review.save()
    note = _("{kind} ngày {day}").format(kind=ReviewKind(kind).label, day=f"{held_on:%d/%m/%Y}")
    _move_movement(fresh, actor, getattr(fresh, step.move), f"{note}. {comment.strip()}".strip())
    audit_record(
        actor=actor,
        action=f"movement_review_{kind}",
        target=review,
        summary=f"{fresh.code}: {note}",
        extra={"held_on": held_on.isoformat()},
    )
    return review


@transaction.atomic
def review_update(
    *, actor: User, review: MovementReview, held_on: dt.date | None = None, **fields: str
) -> MovementReview:
    """Write or correct the Board's assessment (and the day) of a recorded review; the movement's state
    does not move again. Until the movement is archived."""
    values = _review_fields(fields)
    fresh_movement = _locked_movement(review.movement, same_state=False)
    _require_specialist(actor, fresh_movement.authority)
    _require(fresh_movement.state != MovementState.ARCHIVED, _("Phong trào đã lưu trữ."), "movement_archived")
    fresh = MovementReview.objects.select_for_update().get(pk=review.pk)
    if held_on is not None and held_on != fresh.held_on:
        _check_held_on(fresh_movement, fresh.kind, held_on, exclude=fresh.pk)
        fresh.held_on = held_on
    for name, value in values.items():
        setattr(fresh, name, value)
    fresh.full_clean(exclude=["movement", "created_by"])
    with_history_user(fresh, actor)
    fresh.save()
    audit_record(
        actor=actor,
        action="movement_review_update",
        target=fresh,
        summary=f"{fresh_movement.code}: {fresh.get_kind_display()} {fresh.held_on:%d/%m/%Y}",
        extra={"fields": sorted(values) + (["held_on"] if held_on is not None else [])},
    )
    return fresh


def movement_step(*, actor: User, movement: Movement, action: str, text: str = "") -> Movement:
    if action == "launch":
        return movement_launch(actor=actor, movement=movement, comment=text)
    if action in workflow.MOVEMENT_BY_NAME:
        return movement_advance(actor=actor, movement=movement, action=action, comment=text)
    raise ValidationError(_("Không có thao tác này."), code="unknown_action")


# ---------------------------------------------------------------------------------------------------
# Progress reports


def report_link(report: ProgressReport) -> str:
    return reverse("movements:report", args=[report.pk])


def movement_periods(movement: Movement) -> list[period_rules.ReportPeriod]:
    criteria = movement.criteria.values_list("id", "period")
    return period_rules.schedule(
        start=movement.start_date, end=movement.end_date, criteria=criteria, due_days=movement.report_due_days
    )


@transaction.atomic
def report_open(*, actor: User, movement: Movement, unit: Unit, period_end: dt.date) -> ProgressReport:
    """The unit's report for the period ending on `period_end`: the one already begun, else a new draft.
    A period may be reported once it has begun."""
    _require_unit_staff(actor, unit)
    fresh = Movement.objects.select_related("authority__unit").get(pk=movement.pk)
    _require(
        fresh.state in workflow.RUNNING_STATES,
        _("Phong trào không còn nhận báo cáo ({state}).").format(state=fresh.get_state_display()),
        "movement_not_running",
    )
    _require(
        fresh.targets.filter(unit=unit).exists(),
        _("{unit} không phải đơn vị tham gia phong trào.").format(unit=unit.name),
        "not_a_target",
    )
    period = next((p for p in movement_periods(fresh) if p.end == period_end), None)
    _require(
        period is not None,
        _("Phong trào không có kỳ báo cáo kết thúc ngày {day}.").format(day=f"{period_end:%d/%m/%Y}"),
        "unknown_period",
    )
    assert period is not None
    _require(
        period.start <= timezone.localdate(),
        _("Kỳ {label} chưa bắt đầu.").format(label=period.label),
        "period_not_started",
    )
    existing = ProgressReport.objects.filter(movement=fresh, unit=unit, period_end=period.end).first()
    if existing is not None:
        return existing
    report = ProgressReport(
        movement=fresh,
        unit=unit,
        period_start=period.start,
        period_end=period.end,
        label=period.label,
        due_date=period.due,
        created_by=actor,
    )
    with_history_user(report, actor)
    report.save()
    ReportTransition.objects.create(
        report=report, actor=actor, source=report.state, target=report.state, comment=_("Lập báo cáo")
    )
    audit_record(
        actor=actor, action="report_create", target=report, summary=f"{fresh.code} {unit.name} {period.label}"
    )
    return report


def _locked_report(report: ProgressReport, *, same_state: bool = True) -> ProgressReport:
    fresh = (
        ProgressReport.objects.select_for_update(of=("self",))
        .select_related("unit", "movement", "movement__authority", "movement__authority__unit")
        .get(pk=report.pk)
    )
    if same_state and fresh.state != report.state:
        raise ValidationError(str(STALE).format(state=fresh.get_state_display()), code="state_conflict")
    return fresh


def period_criteria(report: ProgressReport) -> list[Criterion]:
    """The criteria reported in this report's period."""
    periods = movement_periods(report.movement)
    ids = next((p.criteria for p in periods if p.end == report.period_end), ())
    return list(Criterion.objects.filter(pk__in=ids).order_by("position", "id"))


def _editable_report(actor: User, report: ProgressReport) -> ProgressReport:
    _require_unit_staff(actor, report.unit)
    fresh = _locked_report(report, same_state=False)
    _require(
        fresh.state in workflow.REPORT_EDITABLE_STATES,
        _("Báo cáo đã gửi ({state}): không sửa được.").format(state=fresh.get_state_display()),
        "report_not_editable",
    )
    _require(
        fresh.movement.state in workflow.RUNNING_STATES,
        _("Phong trào không còn nhận báo cáo."),
        "movement_not_running",
    )
    return fresh


@transaction.atomic
def report_save(
    *,
    actor: User,
    report: ProgressReport,
    values: Mapping[int, tuple[Any, str]],
    narrative: str | None = None,
) -> ProgressReport:
    """Write the cumulative values (criterion id → (value, note); an empty value clears it) and the
    narrative. Every value is checked before anything is written."""
    fresh = _editable_report(actor, report)
    criteria = {c.pk: c for c in period_criteria(fresh)}
    unknown = [cid for cid in values if cid not in criteria]
    _require(not unknown, _("Có tiêu chí không thuộc kỳ báo cáo này."), "unknown_criterion")
    parsed: dict[int, tuple[Decimal | None, str]] = {}
    for cid, (raw, note) in values.items():
        text = "" if raw is None else str(raw).strip()
        parsed[cid] = (_decimal(text, criteria[cid].name) if text else None, (note or "").strip()[:300])
    existing = {v.criterion_id: v for v in fresh.values.all()}
    for cid, (number, note) in parsed.items():
        row = existing.get(cid)
        if number is None:
            if row is not None:
                with_history_user(row, actor)
                row.delete()
            continue
        row = row or ReportValue(report=fresh, criterion_id=cid)
        row.value, row.note = number, note
        with_history_user(row, actor)
        row.save()
    if narrative is not None:
        fresh.narrative = narrative.strip()
        with_history_user(fresh, actor)
        fresh.save(update_fields=["narrative"])
    audit_record(
        actor=actor,
        action="report_save",
        target=fresh,
        summary=f"{fresh.movement.code} {fresh.unit.name} {fresh.label}",
        extra={"values": {str(k): str(v[0]) for k, v in parsed.items()}},
    )
    return fresh


@transaction.atomic
def evidence_add(
    *, actor: User, report: ProgressReport, upload: UploadedFile, criterion: Criterion | None = None
) -> ReportEvidence:
    fresh = _editable_report(actor, report)
    if criterion is not None:
        _require(
            criterion.pk in {c.pk for c in period_criteria(fresh)},
            _("Tiêu chí này không thuộc kỳ báo cáo."),
            "unknown_criterion",
        )
    evidence = store_upload(
        ReportEvidence(report=fresh, criterion=criterion), upload, actor, f"{fresh.movement.code}-{fresh.pk}"
    )
    audit_record(
        actor=actor,
        action="report_evidence_add",
        target=evidence,
        summary=f"{fresh.label}: {evidence.original_name}",
        extra={"sha256": evidence.sha256, "size": evidence.size},
    )
    return evidence  # type: ignore[return-value]


@transaction.atomic
def evidence_remove(*, actor: User, evidence: ReportEvidence) -> None:
    _editable_report(actor, evidence.report)
    evidence.is_active = False
    evidence.save(update_fields=["is_active"])
    audit_record(
        actor=actor, action="report_evidence_remove", target=evidence, summary=evidence.original_name
    )


def missing_items(report: ProgressReport) -> list[str]:
    """What the report lacks before the head may send it."""
    criteria = period_criteria(report)
    have = set(report.values.values_list("criterion_id", flat=True))
    evidenced = set(report.evidence.filter(is_active=True).values_list("criterion_id", flat=True))
    missing = []
    for c in criteria:
        if c.pk not in have:
            missing.append(_("kết quả của tiêu chí “{name}”").format(name=c.name))
        elif c.evidence_required and c.pk not in evidenced:
            missing.append(
                _("minh chứng của tiêu chí “{name}” ({evidence})").format(
                    name=c.name, evidence=c.evidence_required
                )
            )
    return missing


def _move_report(report: ProgressReport, actor: User, method: Any, comment: str = "") -> ReportTransition:
    source = report.state
    try:
        method()
    except TransitionNotAllowed as exc:
        raise ValidationError(
            _("Không thể thực hiện thao tác này khi báo cáo đang ở trạng thái “{state}”.").format(
                state=report.get_state_display()
            ),
            code="state_not_allowed",
        ) from exc
    with_history_user(report, actor)
    try:
        report.save()
    except ConcurrentTransition as exc:
        raise ValidationError(str(STALE).format(state="?"), code="state_conflict") from exc
    entry = ReportTransition.objects.create(
        report=report, actor=actor, source=source, target=report.state, comment=comment
    )
    audit_record(
        actor=actor,
        action=f"report_{report.state}",
        target=report,
        summary=f"{report.movement.code} {report.unit.name} {report.label}: {source} → {report.state}",
        extra={"comment": comment},
    )
    _tell(report, entry)
    return entry


def _specialists(authority: Authority, report: ProgressReport) -> list[User]:
    users = User.objects.filter(role=Role.BOARD_SPECIALIST, authority=authority, is_active=True)
    return [u for u in users.select_related("unit") if not conflicted(u, report)]


_TEXTS = {
    ReportState.SUBMITTED: gettext_lazy(
        "{unit} đã gửi báo cáo {label} của phong trào “{title}”, chờ xem xét"
    ),
    ReportState.ACCEPTED: gettext_lazy("Báo cáo {label} của {unit} (phong trào “{title}”) đã được chấp nhận"),
    ReportState.RETURNED: gettext_lazy(
        "Báo cáo {label} của {unit} (phong trào “{title}”) bị trả lại để sửa: {comment}"
    ),
}


def _tell(report: ProgressReport, entry: ReportTransition) -> int:
    link = report_link(report)
    notify.clear(link=link)
    text = str(_TEXTS[ReportState(entry.target)]).format(
        unit=report.unit.name, label=report.label, title=report.movement.title, comment=entry.comment
    )
    if entry.target == ReportState.SUBMITTED:
        audience = _specialists(report.movement.authority, report)
    else:
        audience = _unit_staff([report.unit])
        audience += list(User.objects.filter(pk=report.created_by_id, is_active=True))
    return notify.send([u for u in audience if u.pk != entry.actor_id], text, link=link)


@transaction.atomic
def report_submit(*, actor: User, report: ProgressReport, comment: str = "") -> ProgressReport:
    _require_role(actor, *workflow.REPORT_BY_NAME["submit"].roles)
    if not unit_in_scope(actor, report.unit):
        raise Forbidden(_("Báo cáo này không thuộc phạm vi đơn vị của bạn."), "out_of_scope")
    fresh = _locked_report(report)
    _require(
        fresh.movement.state in workflow.RUNNING_STATES,
        _("Phong trào không còn nhận báo cáo."),
        "movement_not_running",
    )
    missing = missing_items(fresh)
    _require(
        not missing,
        _("Báo cáo chưa đủ để gửi: còn thiếu {items}.").format(items="; ".join(missing)),
        "report_incomplete",
    )
    now = timezone.now()
    fresh.submitted_at = now
    if fresh.first_submitted_at is None:
        fresh.first_submitted_at = now
    _move_report(fresh, actor, fresh.submit, comment.strip())
    return fresh


def _reviewable(actor: User, report: ProgressReport, step: str) -> ProgressReport:
    _require_role(actor, *workflow.REPORT_BY_NAME[step].roles)
    fresh = _locked_report(report)
    _require_specialist(actor, fresh.movement.authority)
    if conflicted(actor, fresh):
        raise Forbidden(
            _(
                "Bạn công tác tại {unit} nên không xem xét báo cáo của đơn vị mình; "
                "hãy chuyển cho chuyên viên khác."
            ).format(unit=fresh.unit.name),
            "conflict_of_interest",
        )
    return fresh


@transaction.atomic
def report_accept(*, actor: User, report: ProgressReport, comment: str = "") -> ProgressReport:
    fresh = _reviewable(actor, report, "accept")
    fresh.reviewed_at = timezone.now()
    _move_report(fresh, actor, fresh.accept, comment.strip())
    standing.refresh(fresh.movement, [fresh.unit_id])
    return fresh


@transaction.atomic
def report_return(*, actor: User, report: ProgressReport, reason: str) -> ProgressReport:
    reason = reason.strip()
    _require(bool(reason), _("Cần ghi rõ lý do trả lại báo cáo và nội dung cần sửa."), "reason_required")
    fresh = _reviewable(actor, report, "return")
    fresh.reviewed_at = timezone.now()
    _move_report(fresh, actor, fresh.return_for_correction, reason)
    return fresh


def report_step(*, actor: User, report: ProgressReport, action: str, text: str = "") -> ProgressReport:
    if action == "submit":
        return report_submit(actor=actor, report=report, comment=text)
    if action == "accept":
        return report_accept(actor=actor, report=report, comment=text)
    if action == "return":
        return report_return(actor=actor, report=report, reason=text)
    raise ValidationError(_("Không có thao tác này."), code="unknown_action")


def evidence_add_many(
    *, actor: User, report: ProgressReport, uploads: list[UploadedFile], criterion: Criterion | None = None
) -> list[ReportEvidence]:
    return all_or_none(
        uploads, lambda upload: evidence_add(actor=actor, report=report, upload=upload, criterion=criterion)
    )


def documents_add(*, actor: User, movement: Movement, uploads: list[UploadedFile]) -> list[MovementDocument]:
    return all_or_none(uploads, lambda upload: document_add(actor=actor, movement=movement, upload=upload))
