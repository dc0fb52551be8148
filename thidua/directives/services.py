"""Writes of directive tracking: a directive, plan or inspection plan with its documents and tasks, the
inspected units with their findings and the recommendations that become tasks, issuing and closing, the
units' reports with their files, and the reminders.

Each service is atomic, checks the actor's role, authority and scope again, writes the audit row (and the
transition log for a change of state) and the notifications in the same transaction. A refusal is a
`ValidationError` (or `Forbidden`) with a Vietnamese message and a stable code, and nothing written.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Max, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import ConcurrentTransition, TransitionNotAllowed

from thidua.accounts.models import Role, User
from thidua.core.audit import audit_record, with_history_user
from thidua.core.errors import Forbidden
from thidua.core.errors import require as _require
from thidua.directives import access, schedule, workflow
from thidua.directives.models import (
    DEFAULT_REMINDER_WORKING_DAYS,
    Directive,
    DirectiveDocument,
    DirectiveKind,
    DirectiveTransition,
    InspectedUnit,
    Recurrence,
    ReminderSent,
    Task,
    TaskReport,
    TaskReportFile,
)
from thidua.movements.services import STALE, eligible_targets, store_upload
from thidua.organisation.models import Authority, Unit
from thidua.proposals import notify
from thidua.proposals.access import require_serves
from thidua.proposals.uploads import all_or_none

MAX_TEXT = 5000


def directive_link(directive: Directive) -> str:
    return reverse("directives:detail", args=[directive.pk])


def task_link(task: Task) -> str:
    return reverse("directives:task", args=[task.pk])


def _unit_staff(units: Sequence[Unit]) -> list[User]:
    return list(
        User.objects.filter(unit__in=units, role__in=[Role.UNIT_OFFICER, Role.UNIT_HEAD], is_active=True)
    )


def _locked(directive: Directive, *, same_state: bool = True) -> Directive:
    fresh = (
        Directive.objects.select_for_update(of=("self",))
        .select_related("authority", "authority__unit")
        .get(pk=directive.pk)
    )
    if same_state and fresh.state != directive.state:
        raise ValidationError(str(STALE).format(state=fresh.get_state_display()), code="state_conflict")
    return fresh


def _editable(actor: User, directive: Directive) -> Directive:
    fresh = _locked(directive, same_state=False)
    require_serves(actor, fresh.authority, Role.BOARD_SPECIALIST)
    _require(
        fresh.state in workflow.EDITABLE_STATES,
        _("Văn bản đã kết thúc theo dõi: không thay đổi được nữa."),
        "directive_closed",
    )
    return fresh


@transaction.atomic
def directive_create(
    *,
    actor: User,
    authority: Authority,
    kind: str,
    number: str,
    issued_on: dt.date,
    title: str,
    summary: str = "",
    reminder_days: int | None = None,
) -> Directive:
    require_serves(actor, authority, Role.BOARD_SPECIALIST)
    number, title = number.strip(), title.strip()
    _require(
        kind in DirectiveKind.values, _("Cần chọn loại văn bản: chỉ thị, kế hoạch hoặc kế hoạch kiểm tra.")
    )
    _require(bool(number), _("Cần nhập số, ký hiệu văn bản."), "number_required")
    _require(bool(title), _("Cần nhập trích yếu văn bản."), "title_required")
    days = DEFAULT_REMINDER_WORKING_DAYS if reminder_days is None else reminder_days
    _require(0 <= days <= 30, _("Số ngày làm việc nhắc trước hạn phải từ 0 đến 30."), "reminder_days")
    directive = Directive(
        authority=authority,
        kind=kind,
        number=number[:60],
        issued_on=issued_on,
        title=title[:400],
        summary=summary.strip(),
        reminder_days=days,
        created_by=actor,
    )
    with_history_user(directive, actor)
    directive.save()
    DirectiveTransition.objects.create(
        directive=directive, actor=actor, source=directive.state, target=directive.state, comment=_("Lập mới")
    )
    audit_record(actor=actor, action="directive_create", target=directive, summary=f"{number} {title}")
    return directive


@transaction.atomic
def document_add(*, actor: User, directive: Directive, upload: UploadedFile) -> DirectiveDocument:
    fresh = _editable(actor, directive)
    document = store_upload(DirectiveDocument(directive=fresh), upload, actor, f"vb-{fresh.pk}")
    audit_record(
        actor=actor,
        action="directive_document_add",
        target=document,
        summary=f"{fresh.number}: {document.original_name}",
        extra={"sha256": document.sha256, "size": document.size},
    )
    return document  # type: ignore[return-value]


def documents_add(*, actor: User, directive: Directive, uploads: list[UploadedFile]) -> list[Any]:
    return all_or_none(uploads, lambda upload: document_add(actor=actor, directive=directive, upload=upload))


def _require_units(authority: Authority, units: Sequence[Unit]) -> None:
    """A task goes to a unit below the issuing authority, or to the authority's own unit (the Board)."""
    allowed = set(
        eligible_targets(authority).filter(pk__in=[u.pk for u in units]).values_list("pk", flat=True)
    )
    allowed.add(authority.unit_id)
    outside = [u.name for u in units if u.pk not in allowed]
    _require(
        not outside,
        _("Không giao được nhiệm vụ cho đơn vị ngoài phạm vi của {name}: {units}.").format(
            name=authority.name, units=", ".join(outside)
        ),
        "unit_out_of_scope",
    )


def _check_rule(
    recurrence: str,
    due_date: dt.date | None,
    due_day: int | None,
    due_month: int | None,
    start_year: int | None,
    end_year: int | None,
) -> None:
    _require(recurrence in Recurrence.values, _("Cần chọn thời hạn: một lần hoặc hằng năm."), "recurrence")
    if recurrence == Recurrence.ONCE:
        _require(due_date is not None, _("Cần nhập hạn báo cáo."), "due_required")
        return
    _require(
        due_day is not None and due_month is not None and schedule.valid_day_month(due_day, due_month),
        _("Cần nhập ngày và tháng báo cáo hằng năm hợp lệ (ví dụ 15/11)."),
        "due_required",
    )
    _require(
        start_year is not None and 1945 <= start_year <= 2100,
        _("Cần nhập năm bắt đầu báo cáo hằng năm."),
        "start_year_required",
    )
    assert start_year is not None
    _require(
        end_year is None or start_year <= end_year <= 2100,
        _("Năm kết thúc không được trước năm bắt đầu."),
        "year_order",
    )


@transaction.atomic
def task_add(
    *,
    actor: User,
    directive: Directive,
    text: str,
    lead_unit: Unit,
    coordinating_units: Sequence[Unit] = (),
    recurrence: str = Recurrence.ONCE,
    due_date: dt.date | None = None,
    due_day: int | None = None,
    due_month: int | None = None,
    start_year: int | None = None,
    end_year: int | None = None,
    expected_report: str = "",
    item: str = "",
    inspection: InspectedUnit | None = None,
) -> Task:
    fresh = _editable(actor, directive)
    text = text.strip()
    _require(bool(text), _("Cần nhập nội dung nhiệm vụ."), "text_required")
    _require(len(text) <= MAX_TEXT, _("Nội dung nhiệm vụ quá dài."), "text_too_long")
    coordinating = [u for u in dict.fromkeys(coordinating_units) if u.pk != lead_unit.pk]
    _require_units(fresh.authority, [lead_unit, *coordinating])
    _check_rule(recurrence, due_date, due_day, due_month, start_year, end_year)
    position = (fresh.tasks.aggregate(n=Max("position"))["n"] or 0) + 1
    once = recurrence == Recurrence.ONCE
    task = Task(
        directive=fresh,
        item=(item.strip() or str(position))[:20],
        position=position,
        text=text,
        lead_unit=lead_unit,
        recurrence=recurrence,
        due_date=due_date if once else None,
        due_day=None if once else due_day,
        due_month=None if once else due_month,
        start_year=None if once else start_year,
        end_year=None if once else end_year,
        expected_report=expected_report.strip(),
        inspection=inspection,
        created_by=actor,
    )
    with_history_user(task, actor)
    task.save()
    task.coordinating_units.set(coordinating)
    audit_record(
        actor=actor,
        action="directive_task_add",
        target=task,
        summary=f"{fresh.number} {task.item}: {text[:200]}",
    )
    if fresh.state in workflow.RUNNING_STATES:
        _tell_assigned(fresh, [task], actor)
    return task


@transaction.atomic
def task_remove(*, actor: User, task: Task) -> None:
    """Only a task no unit has reported on and no reminder went out for."""
    _editable(actor, task.directive)
    _require(
        not task.reports.exists() and not task.reminders.exists(),
        _("Nhiệm vụ đã có báo cáo hoặc nhắc hạn: không bỏ được."),
        "task_in_use",
    )
    audit_record(actor=actor, action="directive_task_remove", target=task, summary=task.text[:200])
    task.coordinating_units.clear()
    with_history_user(task, actor)
    task.delete()


@transaction.atomic
def inspected_unit_set(
    *,
    actor: User,
    directive: Directive,
    unit: Unit,
    inspected_on: dt.date | None = None,
    findings: str | None = None,
) -> InspectedUnit:
    """Add a unit to an inspection plan, or record its inspection day and findings."""
    fresh = _editable(actor, directive)
    _require(
        fresh.kind == DirectiveKind.INSPECTION,
        _("Chỉ kế hoạch kiểm tra mới có đơn vị được kiểm tra."),
        "not_an_inspection",
    )
    _require_units(fresh.authority, [unit])
    row = InspectedUnit.objects.filter(directive=fresh, unit=unit).first() or InspectedUnit(
        directive=fresh, unit=unit
    )
    if inspected_on is not None:
        row.inspected_on = inspected_on
    if findings is not None:
        _require(len(findings) <= MAX_TEXT * 4, _("Kết quả kiểm tra quá dài."), "text_too_long")
        row.findings = findings.strip()
    with_history_user(row, actor)
    row.save()
    audit_record(
        actor=actor, action="inspection_unit_set", target=row, summary=f"{fresh.number}: {unit.name}"
    )
    return row


def recommendation_add(
    *,
    actor: User,
    inspected: InspectedUnit,
    text: str,
    due_date: dt.date,
    expected_report: str = "",
) -> Task:
    """A recommendation of the inspection becomes a task of the plan, led by the inspected unit, with the
    date by which it reports what it has done."""
    return task_add(
        actor=actor,
        directive=inspected.directive,
        text=text,
        lead_unit=inspected.unit,
        recurrence=Recurrence.ONCE,
        due_date=due_date,
        expected_report=expected_report or _("Báo cáo kết quả thực hiện kiến nghị sau kiểm tra."),
        item=_("KN{n}").format(n=inspected.recommendations.count() + 1),
        inspection=inspected,
    )


def _move(directive: Directive, actor: User, method: Any, comment: str = "") -> DirectiveTransition:
    source = directive.state
    try:
        method()
    except TransitionNotAllowed as exc:
        raise ValidationError(
            _("Không thể thực hiện thao tác này khi văn bản đang ở trạng thái “{state}”.").format(
                state=directive.get_state_display()
            ),
            code="state_not_allowed",
        ) from exc
    with_history_user(directive, actor)
    try:
        directive.save()
    except ConcurrentTransition as exc:
        raise ValidationError(str(STALE).format(state="?"), code="state_conflict") from exc
    entry = DirectiveTransition.objects.create(
        directive=directive, actor=actor, source=source, target=directive.state, comment=comment
    )
    audit_record(
        actor=actor,
        action=f"directive_{directive.state}",
        target=directive,
        summary=f"{directive.number}: {source} → {directive.state}",
        extra={"comment": comment},
    )
    return entry


def _tell_assigned(directive: Directive, tasks: Sequence[Task], actor: User) -> int:
    sent = 0
    for task in tasks:
        units = access.task_units(task)
        text = _("{authority} giao nhiệm vụ theo {number}: {text} (hạn: {due})").format(
            authority=directive.authority.name,
            number=directive.number,
            text=task.text[:200],
            due=task.due_label,
        )
        sent += notify.send([u for u in _unit_staff(units) if u.pk != actor.pk], text, link=task_link(task))
    return sent


@transaction.atomic
def directive_step(*, actor: User, directive: Directive, action: str, comment: str = "") -> Directive:
    step = workflow.BY_NAME.get(action)
    _require(step is not None, _("Không có thao tác này."), "unknown_action")
    assert step is not None
    if actor.role not in step.roles:
        raise Forbidden(_("Vai trò của bạn không được thực hiện thao tác này."), "role_not_allowed")
    fresh = _locked(directive)
    require_serves(actor, fresh.authority, Role.BOARD_SPECIALIST)
    if action == "issue":
        _require(
            fresh.tasks.exists() or fresh.kind == DirectiveKind.INSPECTION,
            _("Văn bản cần ít nhất một nhiệm vụ trước khi đưa vào theo dõi."),
            "no_tasks",
        )
        fresh.issued_at = timezone.now()
    _move(fresh, actor, getattr(fresh, step.move), comment.strip())
    if action == "issue":
        tasks = list(fresh.tasks.select_related("lead_unit").prefetch_related("coordinating_units"))
        _tell_assigned(fresh, tasks, actor)
    return fresh


# ---------------------------------------------------------------------------------------------------
# Reports


@transaction.atomic
def report_submit(
    *,
    actor: User,
    task: Task,
    unit: Unit,
    due_date: dt.date,
    text: str,
    uploads: Sequence[UploadedFile] = (),
) -> TaskReport:
    """The unit's report for one due date of the task, with its files (all or none), sent once; made after
    the deadline it stands as late."""
    if not access.reports_for(actor, unit):
        raise Forbidden(_("Đơn vị này không thuộc phạm vi của bạn."), "out_of_scope")
    directive = _locked(task.directive, same_state=False)
    _require(
        directive.state in workflow.RUNNING_STATES,
        _("Văn bản không còn nhận báo cáo ({state}).").format(state=directive.get_state_display()),
        "directive_not_running",
    )
    _require(
        unit in access.task_units(task),
        _("{unit} không được giao nhiệm vụ này.").format(unit=unit.name),
        "not_assigned",
    )
    today = timezone.localdate()
    _require(
        # The due dates passed and the next one: a yearly report is not sent years ahead.
        due_date in task.rule.occurrences(until=today),
        _("Nhiệm vụ không có hạn báo cáo ngày {day}.").format(day=f"{due_date:%d/%m/%Y}"),
        "unknown_due_date",
    )
    text = text.strip()
    _require(bool(text), _("Cần nhập nội dung báo cáo."), "text_required")
    _require(len(text) <= MAX_TEXT * 4, _("Nội dung báo cáo quá dài."), "text_too_long")
    _require(
        not TaskReport.objects.filter(task=task, due_date=due_date, unit=unit).exists(),
        _("{unit} đã báo cáo nhiệm vụ này cho hạn {day}.").format(unit=unit.name, day=f"{due_date:%d/%m/%Y}"),
        "already_reported",
    )
    report = TaskReport(
        task=task, due_date=due_date, unit=unit, text=text, submitted_at=timezone.now(), submitted_by=actor
    )
    with_history_user(report, actor)
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError as exc:
        raise ValidationError(_("Báo cáo vừa được gửi."), code="already_reported") from exc
    if uploads:
        all_or_none(
            list(uploads),
            lambda upload: store_upload(
                TaskReportFile(report=report), upload, actor, f"nv-{task.pk}-{report.pk}"
            ),
        )
    status = schedule.status(due_date, report.submitted_on, today)
    audit_record(
        actor=actor,
        action="directive_report_submit",
        target=report,
        summary=f"{directive.number} {task.item} {unit.name} {due_date:%d/%m/%Y}: {status}",
    )
    notify.clear(link=task_link(task))
    specialists = User.objects.filter(
        role=Role.BOARD_SPECIALIST, authority=directive.authority, is_active=True
    ).exclude(pk=actor.pk)
    notify.send(
        specialists,
        _("{unit} đã báo cáo nhiệm vụ {item} ({number}), hạn {day}").format(
            unit=unit.name, item=task.item, number=directive.number, day=f"{due_date:%d/%m/%Y}"
        ),
        link=task_link(task),
    )
    return report


# ---------------------------------------------------------------------------------------------------
# Reminders


def running_tasks() -> QuerySet[Task]:
    return (
        Task.objects.filter(directive__state__in=workflow.RUNNING_STATES)
        .select_related("directive", "directive__authority", "lead_unit")
        .prefetch_related("coordinating_units")
    )


@transaction.atomic
def send_reminders(*, today: dt.date | None = None) -> int:
    """Tell each unit that owes a report, once per (task, due date, unit), from N working days before the
    due date until its deadline (`schedule`). Returns the number of reminders recorded. Run it daily
    (`thidua remind`); a second run the same day, or the next, sends nothing more."""
    today = today or timezone.localdate()
    tasks = list(running_tasks())
    if not tasks:
        return 0
    reported = set(TaskReport.objects.filter(task__in=tasks).values_list("task_id", "due_date", "unit_id"))
    reminded = set(ReminderSent.objects.filter(task__in=tasks).values_list("task_id", "due_date", "unit_id"))
    count = 0
    for task in tasks:
        days = task.directive.reminder_days
        for due in task.rule.occurrences(until=today):
            if not schedule.remind_from(due, days) <= today <= schedule.deadline(due):
                continue
            for unit in access.task_units(task):
                key = (task.pk, due, unit.pk)
                if key in reported or key in reminded:
                    continue
                staff = _unit_staff([unit])
                text = _(
                    "Nhắc hạn: {unit} báo cáo nhiệm vụ {item} của {number} trước hạn {day}: {text}"
                ).format(
                    unit=unit.name,
                    item=task.item,
                    number=task.directive.number,
                    day=f"{due:%d/%m/%Y}",
                    text=task.text[:150],
                )
                try:
                    with transaction.atomic():
                        row = ReminderSent.objects.create(
                            task=task, due_date=due, unit=unit, recipients=len(staff)
                        )
                except IntegrityError:
                    continue
                notify.send(staff, text, link=task_link(task))
                audit_record(
                    actor=None,
                    action="directive_reminder",
                    target=row,
                    summary=f"{task.directive.number} {task.item} {unit.name} {due:%d/%m/%Y}",
                )
                reminded.add(key)
                count += 1
    return count


def units_below(authority: Authority) -> QuerySet[Unit]:
    return eligible_targets(authority).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=timezone.localdate())
    )
