"""Emulation blocs' scoring (issue 11): a score sheet (bảng tiêu chí chấm điểm) for a bloc and a year,
each member unit's self-scoring with evidence, the cross-review (chấm chéo), the bloc meeting that
settles the final scores, and the published ranking.

Every score ever given is kept: `Score` holds the current self, review and final points, and
`ScoreChange` is the append-only log of each change (who, when, old, new, reason), from which the final
scores and the ranking can be rebuilt alone (`tests/blocs/test_audit.py`).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition
from simple_history.models import HistoricalRecords

from thidua.blocs.ranking import DEFAULT_TIE_BREAK
from thidua.blocs.workflow import (
    SHEET_MOVES,
    UNIT_MOVES,
    Approver,
    ItemKind,
    SheetState,
    Stage,
    Succession,
    UnitSheetState,
    sources,
    target,
)
from thidua.movements.models import StoredFile


def default_tie_break() -> list[str]:
    return list(DEFAULT_TIE_BREAK)


class ScoreSheet(ConcurrentTransitionMixin, models.Model):
    bloc = models.ForeignKey(
        "organisation.Bloc", on_delete=models.PROTECT, related_name="score_sheets", verbose_name=_("khối")
    )
    year = models.PositiveSmallIntegerField(_("năm"))
    # The authority whose Board of emulation and commendation oversees the bloc (the province).
    authority = models.ForeignKey(
        "organisation.Authority", on_delete=models.PROTECT, related_name="+", verbose_name=_("cấp quản lý")
    )
    approver = models.CharField(
        _("bên duyệt bảng tiêu chí"), max_length=8, choices=Approver.choices, default=Approver.BOARD
    )
    rules_text = models.TextField(_("căn cứ, quy chế chấm điểm"), blank=True)
    bonus_cap = models.DecimalField(
        _("điểm thưởng tối đa"), max_digits=7, decimal_places=2, default=Decimal(0)
    )
    penalty_cap = models.DecimalField(
        _("điểm trừ tối đa"), max_digits=7, decimal_places=2, default=Decimal(0)
    )
    tie_break = models.JSONField(_("thứ tự phân định khi bằng điểm"), default=default_tie_break)
    vote_required = models.BooleanField(_("hội nghị khối bỏ phiếu suy tôn"), default=False)
    succession = models.CharField(
        _("cách chọn khối trưởng, khối phó năm sau"),
        max_length=10,
        choices=Succession.choices,
        default=Succession.ROTATION,
    )
    commendation_count = models.PositiveSmallIntegerField(
        _("số đơn vị đề nghị Bằng khen sau đơn vị dẫn đầu"), default=2
    )
    copied_from = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("sao từ")
    )
    state = FSMField(_("trạng thái"), default=SheetState.DRAFT, choices=SheetState.choices, protected=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(_("ngày duyệt"), null=True, blank=True)
    meeting_date = models.DateField(_("ngày họp khối"), null=True, blank=True)
    minutes = models.TextField(_("biên bản hội nghị khối"), blank=True)
    settled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    settled_at = models.DateTimeField(_("ngày chốt điểm"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    published_at = models.DateTimeField(_("ngày công bố"), null=True, blank=True)
    # The dossier the published ranking became (Cờ thi đua tỉnh for the leading unit, Bằng khen tỉnh for
    # the next ones): created once, through the proposals' services.
    dossier = models.ForeignKey(
        "proposals.Dossier",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("hồ sơ đề nghị"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("bảng tiêu chí chấm điểm")
        verbose_name_plural = _("bảng tiêu chí chấm điểm")
        ordering = ["-year", "bloc__sort_key"]
        constraints = [
            models.UniqueConstraint(fields=["bloc", "year"], name="score_sheet_once_a_year"),
            models.CheckConstraint(condition=models.Q(bonus_cap__gte=0), name="bonus_cap_not_negative"),
            models.CheckConstraint(condition=models.Q(penalty_cap__gte=0), name="penalty_cap_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.bloc} – {self.year}"

    @property
    def is_editable(self) -> bool:
        return self.state == SheetState.DRAFT

    @transition(field=state, source=sources(SHEET_MOVES, "approve"), target=target(SHEET_MOVES, "approve"))
    def approve(self) -> None:
        pass

    @transition(field=state, source=sources(SHEET_MOVES, "settle"), target=target(SHEET_MOVES, "settle"))
    def settle(self) -> None:
        pass

    @transition(field=state, source=sources(SHEET_MOVES, "publish"), target=target(SHEET_MOVES, "publish"))
    def publish(self) -> None:
        pass


class SheetGroup(models.Model):
    sheet = models.ForeignKey(ScoreSheet, on_delete=models.PROTECT, related_name="groups")
    position = models.PositiveSmallIntegerField(_("số thứ tự"), default=0)
    name = models.CharField(_("nhóm tiêu chí"), max_length=300)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("nhóm tiêu chí")
        verbose_name_plural = _("nhóm tiêu chí")
        ordering = ["sheet", "position", "id"]

    def __str__(self) -> str:
        return self.name


class SheetItem(models.Model):
    """A criterion of a group (optionally divided into sub-criteria), or a bonus or penalty item.

    Units score the items that have no sub-criteria; a criterion with sub-criteria scores their sum,
    and its maximum is theirs (checked when the sheet is approved)."""

    sheet = models.ForeignKey(ScoreSheet, on_delete=models.PROTECT, related_name="items")
    kind = models.CharField(_("loại"), max_length=8, choices=ItemKind.choices, default=ItemKind.BASE)
    group = models.ForeignKey(
        SheetGroup, on_delete=models.PROTECT, null=True, blank=True, related_name="items"
    )
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    position = models.PositiveSmallIntegerField(_("số thứ tự"), default=0)
    name = models.CharField(_("tiêu chí"), max_length=500)
    max_points = models.DecimalField(_("điểm tối đa"), max_digits=7, decimal_places=2)
    guidance = models.TextField(_("hướng dẫn chấm"), blank=True)
    evidence_required = models.CharField(_("minh chứng cần có"), max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("tiêu chí chấm điểm")
        verbose_name_plural = _("tiêu chí chấm điểm")
        ordering = ["sheet", "kind", "group__position", "position", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(max_points__gt=0), name="sheet_item_max_positive"),
        ]

    def __str__(self) -> str:
        return self.name


class SheetAmendment(models.Model):
    """A change to an approved sheet, with its reason (every member unit was told)."""

    sheet = models.ForeignKey(ScoreSheet, on_delete=models.PROTECT, related_name="amendments")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    summary = models.CharField(_("nội dung thay đổi"), max_length=500)
    reason = models.TextField(_("lý do"))

    class Meta:
        ordering = ["sheet", "at", "id"]

    def __str__(self) -> str:
        return self.summary


class ReviewAssignment(models.Model):
    """A member unit the bloc assigns to cross-review another's sheet (by default, the leader)."""

    sheet = models.ForeignKey(ScoreSheet, on_delete=models.PROTECT, related_name="assignments")
    unit = models.ForeignKey("organisation.Unit", on_delete=models.PROTECT, related_name="+")
    reviewer = models.ForeignKey("organisation.Unit", on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["sheet", "unit"], name="one_reviewer_per_unit"),
            models.CheckConstraint(condition=~models.Q(unit=models.F("reviewer")), name="no_self_review"),
        ]

    def __str__(self) -> str:
        return f"{self.reviewer_id} → {self.unit_id}"


class UnitSheet(ConcurrentTransitionMixin, models.Model):
    """A member unit's scoring on the sheet: self-scored, submitted by its head, cross-reviewed."""

    sheet = models.ForeignKey(ScoreSheet, on_delete=models.PROTECT, related_name="unit_sheets")
    unit = models.ForeignKey(
        "organisation.Unit", on_delete=models.PROTECT, related_name="bloc_scorings", verbose_name=_("đơn vị")
    )
    explanation = models.TextField(_("giải trình"), blank=True)
    state = FSMField(
        _("trạng thái"), default=UnitSheetState.DRAFT, choices=UnitSheetState.choices, protected=True
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(_("ngày gửi"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("ngày chấm chéo"), null=True, blank=True)
    review_note = models.TextField(_("nhận xét chấm chéo"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("bảng tự chấm của đơn vị")
        verbose_name_plural = _("bảng tự chấm của đơn vị")
        ordering = ["sheet", "unit__sort_key"]
        constraints = [models.UniqueConstraint(fields=["sheet", "unit"], name="unit_sheet_once")]

    def __str__(self) -> str:
        return f"{self.sheet_id}/{self.unit_id}"

    @transition(field=state, source=sources(UNIT_MOVES, "submit"), target=target(UNIT_MOVES, "submit"))
    def submit(self) -> None:
        pass

    @transition(
        field=state, source=sources(UNIT_MOVES, "finish_review"), target=target(UNIT_MOVES, "finish_review")
    )
    def finish_review(self) -> None:
        pass


class Score(models.Model):
    """The current points of one item for one unit at each stage; their history is in `ScoreChange`."""

    unit_sheet = models.ForeignKey(UnitSheet, on_delete=models.PROTECT, related_name="scores")
    item = models.ForeignKey(SheetItem, on_delete=models.PROTECT, related_name="scores")
    self_points = models.DecimalField(
        _("điểm tự chấm"), max_digits=7, decimal_places=2, null=True, blank=True
    )
    note = models.CharField(_("giải trình"), max_length=500, blank=True)
    review_points = models.DecimalField(
        _("điểm chấm chéo"), max_digits=7, decimal_places=2, null=True, blank=True
    )
    review_reason = models.CharField(_("lý do chấm khác"), max_length=500, blank=True)
    final_points = models.DecimalField(_("điểm chốt"), max_digits=7, decimal_places=2, null=True, blank=True)
    final_reason = models.CharField(_("lý do hội nghị chốt khác"), max_length=500, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["unit_sheet", "item"], name="score_once"),
            models.CheckConstraint(
                condition=models.Q(self_points__gte=0) | models.Q(self_points__isnull=True),
                name="self_points_not_negative",
            ),
            models.CheckConstraint(
                condition=models.Q(review_points__gte=0) | models.Q(review_points__isnull=True),
                name="review_points_not_negative",
            ),
            models.CheckConstraint(
                condition=models.Q(final_points__gte=0) | models.Q(final_points__isnull=True),
                name="final_points_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit_sheet_id}/{self.item_id}"

    @property
    def points(self) -> Decimal | None:
        """The points that count now: the meeting's, else the reviewer's, else the unit's own."""
        for value in (self.final_points, self.review_points, self.self_points):
            if value is not None:
                return value
        return None


class AppendOnly(Exception):
    pass


class ScoreChange(models.Model):
    """One change of one score (or of a unit's votes), never updated nor deleted."""

    unit_sheet = models.ForeignKey(UnitSheet, on_delete=models.PROTECT, related_name="changes")
    item = models.ForeignKey(SheetItem, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    stage = models.CharField(_("bước"), max_length=8, choices=Stage.choices)
    old = models.DecimalField(_("giá trị cũ"), max_digits=7, decimal_places=2, null=True, blank=True)
    new = models.DecimalField(_("giá trị mới"), max_digits=7, decimal_places=2, null=True, blank=True)
    reason = models.TextField(_("lý do"), blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("thay đổi điểm")
        verbose_name_plural = _("thay đổi điểm")
        ordering = ["unit_sheet", "id"]

    def __str__(self) -> str:
        return f"{self.unit_sheet_id}/{self.item_id} {self.stage}: {self.old} → {self.new}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Nothing is overwritten (issue 11, item 7): a correction is a new row.
        if self.pk is not None:
            raise AppendOnly("ScoreChange rows are never updated")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise AppendOnly("ScoreChange rows are never deleted")


class ScoreEvidence(StoredFile):
    unit_sheet = models.ForeignKey(UnitSheet, on_delete=models.PROTECT, related_name="evidence")
    item = models.ForeignKey(
        SheetItem, on_delete=models.PROTECT, related_name="+", verbose_name=_("tiêu chí")
    )
    file = models.FileField(_("tệp"), upload_to="bloc-scores/%Y/%m/")

    class Meta:
        verbose_name = _("minh chứng chấm điểm")
        verbose_name_plural = _("minh chứng chấm điểm")
        ordering = ["unit_sheet", "item", "id"]


class MinutesFile(StoredFile):
    """The signed minutes of the bloc meeting (biên bản hội nghị khối)."""

    sheet = models.ForeignKey(ScoreSheet, on_delete=models.PROTECT, related_name="minutes_files")
    file = models.FileField(_("tệp"), upload_to="bloc-minutes/%Y/%m/")

    class Meta:
        verbose_name = _("biên bản hội nghị khối")
        verbose_name_plural = _("biên bản hội nghị khối")
        ordering = ["sheet", "id"]


class VoteCount(models.Model):
    """How many votes a unit received at the bloc meeting, copied from the minutes. Only the count:
    nothing records who voted for whom."""

    sheet = models.ForeignKey(ScoreSheet, on_delete=models.PROTECT, related_name="votes")
    unit = models.ForeignKey("organisation.Unit", on_delete=models.PROTECT, related_name="+")
    votes = models.PositiveSmallIntegerField(_("số phiếu"), default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["sheet", "unit"], name="vote_count_once")]

    def __str__(self) -> str:
        return f"{self.unit_id}: {self.votes}"


class RankingEntry(models.Model):
    """The published ranking, frozen when published: what the flag rule and the proposals read."""

    sheet = models.ForeignKey(ScoreSheet, on_delete=models.PROTECT, related_name="ranking")
    unit = models.ForeignKey("organisation.Unit", on_delete=models.PROTECT, related_name="bloc_rankings")
    position = models.PositiveSmallIntegerField(_("thứ tự"))
    rank = models.PositiveSmallIntegerField(_("xếp hạng"))
    base = models.DecimalField(_("điểm tiêu chí"), max_digits=7, decimal_places=2)
    bonus = models.DecimalField(_("điểm thưởng (trong mức tối đa)"), max_digits=7, decimal_places=2)
    penalty = models.DecimalField(_("điểm trừ (trong mức tối đa)"), max_digits=7, decimal_places=2)
    total = models.DecimalField(_("tổng điểm"), max_digits=7, decimal_places=2)
    criteria_at_max = models.PositiveSmallIntegerField(_("số tiêu chí đạt tối đa"), default=0)
    votes = models.PositiveSmallIntegerField(_("số phiếu"), default=0)
    reason = models.TextField(_("lý do xếp hạng"), blank=True)

    class Meta:
        ordering = ["sheet", "position"]
        constraints = [
            models.UniqueConstraint(fields=["sheet", "unit"], name="ranked_once"),
            models.UniqueConstraint(fields=["sheet", "position"], name="ranking_position_once"),
        ]

    def __str__(self) -> str:
        return f"{self.sheet_id}: {self.rank}. {self.unit_id}"


class LeadershipDecision(models.Model):
    """Next year's leader and deputy of the bloc, named by a decision, following the sheet's rule."""

    sheet = models.OneToOneField(ScoreSheet, on_delete=models.PROTECT, related_name="succession_decision")
    year = models.PositiveSmallIntegerField(_("năm đảm nhiệm"))
    rule = models.CharField(_("cách chọn"), max_length=10, choices=Succession.choices)
    leader = models.ForeignKey("organisation.Unit", on_delete=models.PROTECT, related_name="+")
    deputy = models.ForeignKey("organisation.Unit", on_delete=models.PROTECT, related_name="+")
    decision_number = models.CharField(_("số quyết định"), max_length=50)
    decision_date = models.DateField(_("ngày quyết định"))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("quyết định khối trưởng, khối phó")
        verbose_name_plural = _("quyết định khối trưởng, khối phó")

    def __str__(self) -> str:
        return f"{self.decision_number}: {self.leader_id}/{self.deputy_id}"
