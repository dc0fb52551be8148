"""Yearly registrations (đăng ký thi đua): each unit registers, by the deadline of the year, the titles
its collectives aim for, the title each of its people aims for, and its pledges to the movements it is a
target of (Chỉ thị 02/CT-UBND, item 2). The unit's head submits; the specialist of the authority above
the unit approves or returns it with a reason.

`Registration.state` is a protected django-fsm field that only services change, each change written to
the transition log in the same transaction (as for dossiers and progress reports).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition
from simple_history.models import HistoricalRecords

from thidua.movements.workflow import sources, target
from thidua.registrations.workflow import MOVES, RegistrationState


class Registration(ConcurrentTransitionMixin, models.Model):
    unit = models.ForeignKey(
        "organisation.Unit", on_delete=models.PROTECT, related_name="registrations", verbose_name=_("đơn vị")
    )
    year = models.PositiveSmallIntegerField(_("năm"))
    # The authority above the unit on the day the registration was begun: who approves it.
    authority = models.ForeignKey(
        "organisation.Authority",
        on_delete=models.PROTECT,
        related_name="registrations",
        verbose_name=_("cấp duyệt"),
    )
    due_date = models.DateField(_("hạn đăng ký"))
    note = models.TextField(_("ghi chú"), blank=True)
    state = FSMField(
        _("trạng thái"), default=RegistrationState.DRAFT, choices=RegistrationState.choices, protected=True
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    # The first submission decides lateness: a registration returned and corrected after the deadline was
    # still sent on time.
    first_submitted_at = models.DateTimeField(_("ngày gửi lần đầu"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("ngày gửi"), null=True, blank=True)
    reviewed_at = models.DateTimeField(_("ngày duyệt"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("bản đăng ký thi đua")
        verbose_name_plural = _("bản đăng ký thi đua")
        ordering = ["-year", "unit__sort_key"]
        constraints = [models.UniqueConstraint(fields=["unit", "year"], name="registration_once_a_year")]
        indexes = [models.Index(fields=["authority", "state"]), models.Index(fields=["year", "state"])]

    def __str__(self) -> str:
        return f"{self.year} – {self.unit_id}"

    @property
    def is_editable(self) -> bool:
        return self.state in (RegistrationState.DRAFT, RegistrationState.RETURNED)

    @property
    def submitted_on(self) -> dt.date | None:
        from django.utils import timezone

        return timezone.localdate(self.first_submitted_at) if self.first_submitted_at else None

    @property
    def is_late(self) -> bool:
        on = self.submitted_on
        return on is not None and on > self.due_date

    def is_overdue(self, today: dt.date) -> bool:
        return self.first_submitted_at is None and self.due_date < today

    @transition(field=state, source=sources(MOVES, "submit"), target=target(MOVES, "submit"))
    def submit(self) -> None:
        pass

    @transition(field=state, source=sources(MOVES, "approve"), target=target(MOVES, "approve"))
    def approve(self) -> None:
        pass

    @transition(
        field=state,
        source=sources(MOVES, "return_for_correction"),
        target=target(MOVES, "return_for_correction"),
    )
    def return_for_correction(self) -> None:
        pass


class CollectiveLine(models.Model):
    """A title a collective aims for: the unit itself, or one of its sub-units (a department's office)."""

    registration = models.ForeignKey(Registration, on_delete=models.PROTECT, related_name="collectives")
    collective = models.ForeignKey(
        "organisation.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("tập thể")
    )
    award_type = models.ForeignKey(
        "awards.AwardType", on_delete=models.PROTECT, related_name="+", verbose_name=_("danh hiệu đăng ký")
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("danh hiệu tập thể đăng ký")
        verbose_name_plural = _("danh hiệu tập thể đăng ký")
        ordering = ["registration", "collective__sort_key", "award_type__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "collective", "award_type"], name="registration_collective_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.registration_id}: {self.collective_id} {self.award_type_id}"


class PersonLine(models.Model):
    """The title one person aims for (the highest one: a person registers one title a year)."""

    registration = models.ForeignKey(Registration, on_delete=models.PROTECT, related_name="people")
    person = models.ForeignKey(
        "organisation.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("cá nhân")
    )
    award_type = models.ForeignKey(
        "awards.AwardType", on_delete=models.PROTECT, related_name="+", verbose_name=_("danh hiệu đăng ký")
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("danh hiệu cá nhân đăng ký")
        verbose_name_plural = _("danh hiệu cá nhân đăng ký")
        ordering = ["registration", "person__sort_key"]
        constraints = [
            models.UniqueConstraint(fields=["registration", "person"], name="registration_person_once")
        ]
        indexes = [models.Index(fields=["person", "award_type"])]

    def __str__(self) -> str:
        return f"{self.registration_id}: {self.person_id} {self.award_type_id}"


class Pledge(models.Model):
    """The unit's pledge to a launched movement it is a target of: what it undertakes, in words, and
    optionally a figure for some of the movement's criteria."""

    registration = models.ForeignKey(Registration, on_delete=models.PROTECT, related_name="pledges")
    movement = models.ForeignKey(
        "movements.Movement", on_delete=models.PROTECT, related_name="pledges", verbose_name=_("phong trào")
    )
    text = models.TextField(_("nội dung đăng ký, cam kết"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("đăng ký tham gia phong trào")
        verbose_name_plural = _("đăng ký tham gia phong trào")
        ordering = ["registration", "movement_id"]
        constraints = [models.UniqueConstraint(fields=["registration", "movement"], name="pledge_once")]

    def __str__(self) -> str:
        return f"{self.registration_id}: {self.movement_id}"


class PledgeTarget(models.Model):
    pledge = models.ForeignKey(Pledge, on_delete=models.PROTECT, related_name="targets")
    criterion = models.ForeignKey(
        "movements.Criterion", on_delete=models.PROTECT, related_name="+", verbose_name=_("tiêu chí")
    )
    target = models.DecimalField(_("chỉ tiêu đăng ký"), max_digits=14, decimal_places=2)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("chỉ tiêu đăng ký")
        verbose_name_plural = _("chỉ tiêu đăng ký")
        constraints = [
            models.UniqueConstraint(fields=["pledge", "criterion"], name="pledge_target_once"),
            models.CheckConstraint(condition=models.Q(target__gte=0), name="pledge_target_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.pledge_id}/{self.criterion_id}: {self.target}"


class RegistrationTransition(models.Model):
    registration = models.ForeignKey(Registration, on_delete=models.PROTECT, related_name="transitions")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    source = models.CharField(max_length=12, choices=RegistrationState.choices)
    target = models.CharField(max_length=12, choices=RegistrationState.choices)
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["registration", "at", "id"]

    def __str__(self) -> str:
        return f"{self.registration_id}: {self.source} → {self.target}"
