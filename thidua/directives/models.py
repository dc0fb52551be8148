"""Directive and plan tracking (Chỉ thị 02/CT-UBND, item 9: "hướng dẫn, đôn đốc, theo dõi việc thực hiện")
and inspection (item 5): a directive, plan or inspection plan of an authority is broken into tasks, each
with a lead unit, coordinating units, a due rule (one date, or a day and month every year) and the report
expected; the units report per task and due date; reminders sent are stored so each goes once.

An inspection plan lists the units inspected with the findings per unit; its recommendations become tasks
of the plan led by the inspected unit (`Task.inspection`).

When tasks fall due is computed (`schedule.Recurrence`), not stored; docs/directives.md gives the readings.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition
from simple_history.models import HistoricalRecords

from thidua.directives.schedule import Recurrence as DueRule
from thidua.directives.workflow import DirectiveState, sources, target
from thidua.movements.models import StoredFile


class DirectiveKind(models.TextChoices):
    DIRECTIVE = "directive", _("Chỉ thị")
    PLAN = "plan", _("Kế hoạch")
    INSPECTION = "inspection", _("Kế hoạch kiểm tra")


# Reminders go this many working days before a task's due date unless the directive sets its own. No text
# we hold sets it; three working days (most of a working week's notice) is the product's default, to be
# confirmed by the province.
DEFAULT_REMINDER_WORKING_DAYS = 3


class Directive(ConcurrentTransitionMixin, models.Model):
    authority = models.ForeignKey(
        "organisation.Authority",
        on_delete=models.PROTECT,
        related_name="directives",
        verbose_name=_("cơ quan ban hành"),
    )
    kind = models.CharField(_("loại văn bản"), max_length=12, choices=DirectiveKind.choices)
    number = models.CharField(_("số, ký hiệu"), max_length=60)
    issued_on = models.DateField(_("ngày ban hành"))
    title = models.CharField(_("trích yếu"), max_length=400)
    summary = models.TextField(_("tóm tắt nội dung"), blank=True)
    reminder_days = models.PositiveSmallIntegerField(
        _("nhắc trước hạn (số ngày làm việc)"), default=DEFAULT_REMINDER_WORKING_DAYS
    )
    state = FSMField(
        _("trạng thái"), default=DirectiveState.DRAFT, choices=DirectiveState.choices, protected=True
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    issued_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("chỉ thị, kế hoạch")
        verbose_name_plural = _("chỉ thị, kế hoạch")
        ordering = ["-issued_on", "-id"]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @transition(field=state, source=sources("issue"), target=target("issue"))
    def issue(self) -> None:
        pass

    @transition(field=state, source=sources("close"), target=target("close"))
    def close(self) -> None:
        pass


class DirectiveTransition(models.Model):
    directive = models.ForeignKey(Directive, on_delete=models.PROTECT, related_name="transitions")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    source = models.CharField(max_length=10, choices=DirectiveState.choices)
    target = models.CharField(max_length=10, choices=DirectiveState.choices)
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["directive", "at", "id"]

    def __str__(self) -> str:
        return f"{self.directive_id}: {self.source} → {self.target}"


class DirectiveDocument(StoredFile):
    """The text of the directive or plan, and its annexes."""

    directive = models.ForeignKey(Directive, on_delete=models.PROTECT, related_name="documents")
    file = models.FileField(_("tệp"), upload_to="directives/%Y/%m/")

    class Meta:
        verbose_name = _("văn bản đính kèm")
        verbose_name_plural = _("văn bản đính kèm")
        ordering = ["directive", "id"]


class InspectedUnit(models.Model):
    """A unit an inspection plan inspects, with what was found there."""

    directive = models.ForeignKey(Directive, on_delete=models.PROTECT, related_name="inspected")
    unit = models.ForeignKey(
        "organisation.Unit",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("đơn vị được kiểm tra"),
    )
    inspected_on = models.DateField(_("ngày kiểm tra"), null=True, blank=True)
    findings = models.TextField(_("kết quả kiểm tra"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("đơn vị được kiểm tra")
        verbose_name_plural = _("đơn vị được kiểm tra")
        ordering = ["directive", "unit__sort_key"]
        constraints = [models.UniqueConstraint(fields=["directive", "unit"], name="inspected_once")]

    def __str__(self) -> str:
        return f"{self.directive_id}: {self.unit_id}"


class Recurrence(models.TextChoices):
    ONCE = "once", _("Một lần")
    YEARLY = "yearly", _("Hằng năm")


class Task(models.Model):
    directive = models.ForeignKey(Directive, on_delete=models.PROTECT, related_name="tasks")
    item = models.CharField(_("mục"), max_length=20)
    position = models.PositiveSmallIntegerField(default=0)
    text = models.TextField(_("nhiệm vụ"))
    lead_unit = models.ForeignKey(
        "organisation.Unit",
        on_delete=models.PROTECT,
        related_name="led_tasks",
        verbose_name=_("đơn vị chủ trì"),
    )
    coordinating_units = models.ManyToManyField(
        "organisation.Unit", related_name="coordinated_tasks", blank=True, verbose_name=_("đơn vị phối hợp")
    )
    recurrence = models.CharField(_("thời hạn"), max_length=8, choices=Recurrence.choices)
    due_date = models.DateField(_("hạn báo cáo"), null=True, blank=True)
    due_day = models.PositiveSmallIntegerField(_("ngày"), null=True, blank=True)
    due_month = models.PositiveSmallIntegerField(_("tháng"), null=True, blank=True)
    start_year = models.PositiveSmallIntegerField(_("từ năm"), null=True, blank=True)
    end_year = models.PositiveSmallIntegerField(_("đến năm"), null=True, blank=True)
    expected_report = models.TextField(_("nội dung báo cáo"), blank=True)
    # A recommendation of an inspection: the inspected unit's row it comes from.
    inspection = models.ForeignKey(
        InspectedUnit, on_delete=models.PROTECT, null=True, blank=True, related_name="recommendations"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("nhiệm vụ")
        verbose_name_plural = _("nhiệm vụ")
        ordering = ["directive", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(recurrence="once", due_date__isnull=False)
                    | models.Q(
                        recurrence="yearly",
                        due_day__isnull=False,
                        due_month__isnull=False,
                        start_year__isnull=False,
                    )
                ),
                name="task_due_rule_complete",
            )
        ]

    def __str__(self) -> str:
        return f"{self.item}. {self.text[:60]}"

    @property
    def rule(self) -> DueRule:
        if self.recurrence == Recurrence.ONCE:
            return DueRule(once=self.due_date)
        return DueRule(
            day=self.due_day, month=self.due_month, start_year=self.start_year, end_year=self.end_year
        )

    @property
    def due_label(self) -> str:
        if self.recurrence == Recurrence.ONCE and self.due_date:
            return f"{self.due_date:%d/%m/%Y}"
        years = f"{self.start_year}–{self.end_year}" if self.end_year else f"từ {self.start_year}"
        return f"{self.due_day:02d}/{self.due_month:02d} hằng năm ({years})"


class TaskReport(models.Model):
    """What a unit reported for one due date of a task. Sent once; made after the deadline it is late."""

    task = models.ForeignKey(Task, on_delete=models.PROTECT, related_name="reports")
    due_date = models.DateField(_("hạn báo cáo"))
    unit = models.ForeignKey(
        "organisation.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("đơn vị")
    )
    text = models.TextField(_("nội dung báo cáo"))
    submitted_at = models.DateTimeField(_("ngày báo cáo"))
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("báo cáo thực hiện nhiệm vụ")
        verbose_name_plural = _("báo cáo thực hiện nhiệm vụ")
        ordering = ["task", "due_date", "unit__sort_key"]
        constraints = [models.UniqueConstraint(fields=["task", "due_date", "unit"], name="task_report_once")]

    def __str__(self) -> str:
        return f"{self.task_id} {self.due_date} {self.unit_id}"

    @property
    def submitted_on(self) -> dt.date:
        return timezone.localdate(self.submitted_at)


class TaskReportFile(StoredFile):
    report = models.ForeignKey(TaskReport, on_delete=models.PROTECT, related_name="files")
    file = models.FileField(_("tệp"), upload_to="directive-reports/%Y/%m/")

    class Meta:
        verbose_name = _("tệp báo cáo")
        verbose_name_plural = _("tệp báo cáo")
        ordering = ["report", "id"]


class ReminderSent(models.Model):
    """A reminder sent to a unit for one due date of a task: at most one (the constraint is the guard
    against two runs at once)."""

    task = models.ForeignKey(Task, on_delete=models.PROTECT, related_name="reminders")
    due_date = models.DateField()
    unit = models.ForeignKey("organisation.Unit", on_delete=models.PROTECT, related_name="+")
    sent_at = models.DateTimeField(auto_now_add=True)
    recipients = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["task", "due_date", "unit"], name="reminder_once")]

    def __str__(self) -> str:
        return f"{self.task_id} {self.due_date} {self.unit_id}"
