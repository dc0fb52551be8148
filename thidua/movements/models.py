"""Emulation movements (phong trào thi đua): launched by a deciding authority for a list of target units,
with quantitative criteria and targets (Chỉ thị 02/CT-UBND, item 2: "tiêu chí cụ thể, rõ ràng, mang tính
định lượng"), and the units' progress reports per period, accepted or returned by the authority.

A movement's and a report's `state` are protected django-fsm fields that only services change, each
change written to its transition log in the same transaction (as for dossiers).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition
from simple_history.models import HistoricalRecords

from thidua.movements.workflow import (
    MOVEMENT_MOVES,
    REPORT_MOVES,
    MovementState,
    ReportState,
    sources,
    target,
)


class MovementKind(models.TextChoices):
    REGULAR = "regular", _("Thường xuyên")
    THEMATIC = "thematic", _("Chuyên đề")


class TargetMode(models.TextChoices):
    """How the launching form chose the target units; at launch the choice becomes the explicit list
    (`MovementTarget`), so a unit created later is not silently added to a running movement."""

    LIST = "list", _("Danh sách đơn vị")
    KIND = "kind", _("Mọi đơn vị thuộc một loại")
    ALL_COMMUNES = "all_communes", _("Mọi xã, phường")


# A report is due this many working days after its period ends, unless the movement's plan sets its own
# (`Movement.report_due_days`). No text we hold (the law, its decrees, the provincial regulation, the seed
# directive) sets this time; one working week after the period is the product's default, to be confirmed
# by the province, and it is counted in working days so that Tết and holidays never eat into it.
DEFAULT_REPORT_DUE_WORKING_DAYS = 5


class Movement(ConcurrentTransitionMixin, models.Model):
    code = models.CharField(_("số phong trào"), max_length=30, unique=True)
    authority = models.ForeignKey(
        "organisation.Authority",
        on_delete=models.PROTECT,
        related_name="movements",
        verbose_name=_("cấp phát động"),
    )
    title = models.CharField(_("tên phong trào"), max_length=300)
    kind = models.CharField(_("loại phong trào"), max_length=10, choices=MovementKind.choices)
    start_date = models.DateField(_("từ ngày"))
    end_date = models.DateField(_("đến ngày"))
    description = models.TextField(_("nội dung, kế hoạch"), blank=True)
    report_due_days = models.PositiveSmallIntegerField(
        _("hạn báo cáo (số ngày làm việc sau khi hết kỳ)"), default=DEFAULT_REPORT_DUE_WORKING_DAYS
    )
    target_mode = models.CharField(
        _("cách chọn đơn vị tham gia"), max_length=14, choices=TargetMode.choices, default=TargetMode.LIST
    )
    target_kind = models.CharField(_("loại đơn vị tham gia"), max_length=32, blank=True)
    state = FSMField(
        _("trạng thái"), default=MovementState.DRAFT, choices=MovementState.choices, protected=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("người lập")
    )
    created_at = models.DateTimeField(_("ngày lập"), auto_now_add=True)
    launched_at = models.DateTimeField(_("ngày phát động"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("phong trào thi đua")
        verbose_name_plural = _("phong trào thi đua")
        ordering = ["-start_date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")), name="movement_dates_ordered"
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_editable(self) -> bool:
        return self.state == MovementState.DRAFT

    @property
    def is_running(self) -> bool:
        return self.state in (MovementState.LAUNCHED, MovementState.MIDTERM_REVIEWED)

    @transition(
        field=state, source=sources(MOVEMENT_MOVES, "launch"), target=target(MOVEMENT_MOVES, "launch")
    )
    def launch(self) -> None:
        pass

    @transition(
        field=state,
        source=sources(MOVEMENT_MOVES, "review_midterm"),
        target=target(MOVEMENT_MOVES, "review_midterm"),
    )
    def review_midterm(self) -> None:
        pass

    @transition(
        field=state, source=sources(MOVEMENT_MOVES, "conclude"), target=target(MOVEMENT_MOVES, "conclude")
    )
    def conclude(self) -> None:
        pass

    @transition(
        field=state, source=sources(MOVEMENT_MOVES, "archive"), target=target(MOVEMENT_MOVES, "archive")
    )
    def archive(self) -> None:
        pass


class MovementTarget(models.Model):
    """A unit the movement is launched for: it is told, it reports, its progress is measured."""

    movement = models.ForeignKey(Movement, on_delete=models.PROTECT, related_name="targets")
    unit = models.ForeignKey(
        "organisation.Unit",
        on_delete=models.PROTECT,
        related_name="movement_targets",
        verbose_name=_("đơn vị"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("đơn vị tham gia phong trào")
        verbose_name_plural = _("đơn vị tham gia phong trào")
        ordering = ["movement", "unit__sort_key"]
        constraints = [models.UniqueConstraint(fields=["movement", "unit"], name="movement_target_once")]

    def __str__(self) -> str:
        return f"{self.movement_id}: {self.unit_id}"


class MovementTransition(models.Model):
    movement = models.ForeignKey(Movement, on_delete=models.PROTECT, related_name="transitions")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    source = models.CharField(max_length=20, choices=MovementState.choices)
    target = models.CharField(max_length=20, choices=MovementState.choices)
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["movement", "at", "id"]

    def __str__(self) -> str:
        return f"{self.movement_id}: {self.source} → {self.target}"


class StoredFile(models.Model):
    """A file checked by content (proposals.uploads), never deleted: a removed one is only marked so."""

    original_name = models.CharField(_("tên tệp"), max_length=255)
    content_type = models.CharField(_("định dạng"), max_length=100)
    size = models.PositiveBigIntegerField(_("dung lượng"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)
    is_active = models.BooleanField(_("còn hiệu lực"), default=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.original_name


class MovementDocument(StoredFile):
    """The plan (kế hoạch), the launching document and other papers of the movement."""

    movement = models.ForeignKey(Movement, on_delete=models.PROTECT, related_name="documents")
    file = models.FileField(_("tệp"), upload_to="movements/%Y/%m/")

    class Meta:
        verbose_name = _("văn bản của phong trào")
        verbose_name_plural = _("văn bản của phong trào")
        ordering = ["movement", "id"]


class Direction(models.TextChoices):
    AT_LEAST = "at_least", _("Tối thiểu (đạt từ chỉ tiêu trở lên)")
    AT_MOST = "at_most", _("Tối đa (không vượt chỉ tiêu)")


class Period(models.TextChoices):
    MONTH = "month", _("Hằng tháng")
    QUARTER = "quarter", _("Hằng quý")
    HALF_YEAR = "half_year", _("6 tháng")
    YEAR = "year", _("Hằng năm")


class Criterion(models.Model):
    """A quantitative criterion: a unit of measure, a target, a direction, a weight in the overall
    progress, the evidence it needs and how often it is reported. The value reported is cumulative
    since the movement began (the figure at the end of the period)."""

    movement = models.ForeignKey(Movement, on_delete=models.PROTECT, related_name="criteria")
    position = models.PositiveSmallIntegerField(_("số thứ tự"), default=0)
    name = models.CharField(_("tiêu chí"), max_length=300)
    unit_of_measure = models.CharField(_("đơn vị tính"), max_length=50)
    direction = models.CharField(
        _("chiều"), max_length=8, choices=Direction.choices, default=Direction.AT_LEAST
    )
    weight = models.DecimalField(_("trọng số"), max_digits=6, decimal_places=2, default=Decimal(1))
    evidence_required = models.CharField(_("minh chứng cần có"), max_length=300, blank=True)
    period = models.CharField(_("kỳ báo cáo"), max_length=10, choices=Period.choices, default=Period.QUARTER)
    target = models.DecimalField(_("chỉ tiêu chung"), max_digits=14, decimal_places=2)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("tiêu chí")
        verbose_name_plural = _("tiêu chí")
        ordering = ["movement", "position", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(weight__gt=0), name="criterion_weight_positive"),
            models.CheckConstraint(condition=models.Q(target__gte=0), name="criterion_target_not_negative"),
        ]

    def __str__(self) -> str:
        return self.name


class CriterionTarget(models.Model):
    """A target set for one unit instead of the criterion's common one."""

    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="unit_targets")
    unit = models.ForeignKey("organisation.Unit", on_delete=models.PROTECT, related_name="+")
    target = models.DecimalField(_("chỉ tiêu của đơn vị"), max_digits=14, decimal_places=2)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("chỉ tiêu giao riêng")
        verbose_name_plural = _("chỉ tiêu giao riêng")
        constraints = [
            models.UniqueConstraint(fields=["criterion", "unit"], name="criterion_target_once"),
            models.CheckConstraint(condition=models.Q(target__gte=0), name="unit_target_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.criterion_id}/{self.unit_id}: {self.target}"


class ProgressReport(ConcurrentTransitionMixin, models.Model):
    """One target unit's report for one period: a value for each criterion reported in that period,
    evidence and a narrative. The period is the one that ends on `period_end`."""

    movement = models.ForeignKey(Movement, on_delete=models.PROTECT, related_name="reports")
    unit = models.ForeignKey(
        "organisation.Unit",
        on_delete=models.PROTECT,
        related_name="progress_reports",
        verbose_name=_("đơn vị"),
    )
    period_start = models.DateField(_("kỳ từ ngày"))
    period_end = models.DateField(_("kỳ đến ngày"))
    label = models.CharField(_("kỳ báo cáo"), max_length=60)
    due_date = models.DateField(_("hạn gửi"))
    narrative = models.TextField(_("tóm tắt kết quả"), blank=True)
    state = FSMField(_("trạng thái"), default=ReportState.DRAFT, choices=ReportState.choices, protected=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    # The first submission decides lateness: a report returned and corrected after the due date was
    # still sent on time.
    first_submitted_at = models.DateTimeField(_("ngày gửi lần đầu"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("ngày gửi"), null=True, blank=True)
    reviewed_at = models.DateTimeField(_("ngày xem xét"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("báo cáo tiến độ")
        verbose_name_plural = _("báo cáo tiến độ")
        ordering = ["movement", "-period_end", "unit__sort_key"]
        constraints = [
            models.UniqueConstraint(fields=["movement", "unit", "period_end"], name="report_once_a_period")
        ]
        indexes = [models.Index(fields=["movement", "state"]), models.Index(fields=["unit", "state"])]

    def __str__(self) -> str:
        return f"{self.label} – {self.unit_id}"

    @property
    def is_editable(self) -> bool:
        return self.state in (ReportState.DRAFT, ReportState.RETURNED)

    @property
    def submitted_on(self) -> dt.date | None:
        from django.utils import timezone

        return timezone.localdate(self.first_submitted_at) if self.first_submitted_at else None

    @property
    def is_late(self) -> bool:
        on = self.submitted_on
        return on is not None and on > self.due_date

    @transition(field=state, source=sources(REPORT_MOVES, "submit"), target=target(REPORT_MOVES, "submit"))
    def submit(self) -> None:
        pass

    @transition(field=state, source=sources(REPORT_MOVES, "accept"), target=target(REPORT_MOVES, "accept"))
    def accept(self) -> None:
        pass

    @transition(
        field=state,
        source=sources(REPORT_MOVES, "return_for_correction"),
        target=target(REPORT_MOVES, "return_for_correction"),
    )
    def return_for_correction(self) -> None:
        pass


class ReportValue(models.Model):
    report = models.ForeignKey(ProgressReport, on_delete=models.PROTECT, related_name="values")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="values")
    value = models.DecimalField(_("kết quả lũy kế"), max_digits=14, decimal_places=2)
    note = models.CharField(_("ghi chú"), max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("kết quả theo tiêu chí")
        verbose_name_plural = _("kết quả theo tiêu chí")
        constraints = [
            models.UniqueConstraint(fields=["report", "criterion"], name="report_value_once"),
            models.CheckConstraint(condition=models.Q(value__gte=0), name="report_value_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.report_id}/{self.criterion_id}: {self.value}"


class ReportEvidence(StoredFile):
    report = models.ForeignKey(ProgressReport, on_delete=models.PROTECT, related_name="evidence")
    criterion = models.ForeignKey(
        Criterion,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("tiêu chí"),
    )
    file = models.FileField(_("tệp"), upload_to="movement-reports/%Y/%m/")

    class Meta:
        verbose_name = _("minh chứng")
        verbose_name_plural = _("minh chứng")
        ordering = ["report", "id"]


class ReportTransition(models.Model):
    report = models.ForeignKey(ProgressReport, on_delete=models.PROTECT, related_name="transitions")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    source = models.CharField(max_length=12, choices=ReportState.choices)
    target = models.CharField(max_length=12, choices=ReportState.choices)
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["report", "at", "id"]

    def __str__(self) -> str:
        return f"{self.report_id}: {self.source} → {self.target}"


class ReviewKind(models.TextChoices):
    MIDTERM = "midterm", _("Sơ kết")
    FINAL = "final", _("Tổng kết")


class MovementReview(models.Model):
    """A sơ kết (mid-term) or tổng kết (final) review of a movement: the day it was held and the Board's
    own assessment, the parts of the report that no figure can give. The figures of the report are read
    from the accepted progress reports when it is generated (`movements.documents`). Recording it takes
    the movement's step (reviewed at mid-term, or concluded), in the same transaction."""

    movement = models.ForeignKey(Movement, on_delete=models.PROTECT, related_name="reviews")
    kind = models.CharField(_("loại"), max_length=8, choices=ReviewKind.choices)
    held_on = models.DateField(_("ngày sơ kết, tổng kết"))
    place = models.CharField(_("địa điểm"), max_length=200, blank=True)
    chaired_by = models.CharField(_("người chủ trì"), max_length=200, blank=True)
    situation = models.TextField(_("đặc điểm tình hình"), blank=True)
    strengths = models.TextField(_("ưu điểm"), blank=True)
    weaknesses = models.TextField(_("hạn chế và nguyên nhân"), blank=True)
    lessons = models.TextField(_("bài học kinh nghiệm"), blank=True)
    directions = models.TextField(_("phương hướng, nhiệm vụ"), blank=True)
    recommendations = models.TextField(_("đề xuất, kiến nghị"), blank=True)
    # Who signs the report (Decree 30/2020, Phụ lục I, the signature block); blank: the authority's head.
    signer_title = models.CharField(_("chức vụ người ký"), max_length=100, blank=True)
    signer_name = models.CharField(_("họ tên người ký"), max_length=100, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("người ghi")
    )
    created_at = models.DateTimeField(_("ngày ghi"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("sơ kết, tổng kết phong trào")
        verbose_name_plural = _("sơ kết, tổng kết phong trào")
        ordering = ["movement", "held_on", "id"]
        constraints = [models.UniqueConstraint(fields=["movement", "kind"], name="movement_review_once")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.movement_id} ({self.held_on:%d/%m/%Y})"


class UnitStanding(models.Model):
    """Derived, never the record: a target unit's latest accepted value of each criterion, its
    achievement and its overall progress (`progress.unit_progress` over `selectors.accepted_values`),
    kept up to date by the services that change them (a report accepted, the unit's own target set or
    cleared) so that a movement of a thousand units is read, not recomputed, on every page
    (docs/movements.md, "Tiến độ"). The accepted reports stay the record; `thidua movements_standing`
    rebuilds every row from them. Decimals are kept as their exact text, so a stored figure equals the
    computed one digit for digit.
    """

    movement = models.ForeignKey(Movement, on_delete=models.PROTECT, related_name="standings")
    unit = models.ForeignKey("organisation.Unit", on_delete=models.PROTECT, related_name="+")
    # {"v": {criterion id: value}, "a": {criterion id: achievement}, "o": overall}, numbers as text.
    figures = models.JSONField(default=dict)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("tiến độ đơn vị (tính sẵn)")
        verbose_name_plural = _("tiến độ đơn vị (tính sẵn)")
        constraints = [models.UniqueConstraint(fields=["movement", "unit"], name="unit_standing_once")]

    def __str__(self) -> str:
        return f"{self.movement_id}: {self.unit_id}"
