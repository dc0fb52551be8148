"""The province's targets for the groups the commendation must reach, and the report builder's saved
reports (a named definition: dimensions and filters from an allowed list, never field names)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Measure(models.TextChoices):
    """The shares of the awards a directive asks the commendation to reach (Chỉ thị 02/CT-UBND ngày
    06/3/2014 of Lai Châu, point 6: "người trực tiếp lao động sản xuất, công tác"; Luật Thi đua, khen
    thưởng 2022, Điều 5 khoản 5: attention to women, ethnic minorities, border and highland areas)."""

    DIRECT_WORKER = "direct_worker", _("Người trực tiếp lao động, sản xuất, công tác")
    WOMEN = "women", _("Nữ")
    ETHNIC_MINORITY = "ethnic_minority", _("Người dân tộc thiểu số")
    BORDER_HIGHLAND = "border_highland", _("Vùng biên giới, vùng cao")
    INNOVATOR = "innovator", _("Có sáng kiến, đề tài")


class Target(models.Model):
    """What share of its awards of a year an authority aims to give to one group (chỉ tiêu tỷ lệ)."""

    authority = models.ForeignKey(
        "organisation.Authority",
        on_delete=models.PROTECT,
        related_name="report_targets",
        verbose_name=_("cấp có thẩm quyền"),
    )
    year = models.PositiveSmallIntegerField(_("năm"))
    measure = models.CharField(_("chỉ tiêu"), max_length=20, choices=Measure.choices)
    percent = models.DecimalField(_("tỷ lệ tối thiểu (%)"), max_digits=5, decimal_places=1)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("chỉ tiêu tỷ lệ khen thưởng")
        verbose_name_plural = _("chỉ tiêu tỷ lệ khen thưởng")
        ordering = ["-year", "authority", "measure"]
        constraints = [
            models.UniqueConstraint(fields=["authority", "year", "measure"], name="target_once_per_year"),
            models.CheckConstraint(
                condition=models.Q(percent__gte=0, percent__lte=100), name="target_percent_0_100"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.get_measure_display()}: {self.percent}%"


class SavedReport(models.Model):
    """A report of the builder kept under a name: its definition is validated against the allowed
    dimensions and filters (reports.builder) when saved and again whenever it runs."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="saved_reports",
        verbose_name=_("người tạo"),
    )
    name = models.CharField(_("tên báo cáo"), max_length=200)
    definition = models.JSONField(_("định nghĩa"), default=dict)
    # Shared with the owner's colleagues of the same authority; each of them runs it over their own scope.
    authority = models.ForeignKey(
        "organisation.Authority",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cấp có thẩm quyền"),
    )
    shared = models.BooleanField(_("chia sẻ trong cấp"), default=False)
    created_at = models.DateTimeField(_("ngày tạo"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("báo cáo đã lưu")
        verbose_name_plural = _("báo cáo đã lưu")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name
