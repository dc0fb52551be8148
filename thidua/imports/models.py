from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportKind(models.TextChoices):
    PEOPLE = "people", _("Danh sách cá nhân")
    AWARDS = "awards", _("Khen thưởng đã có")


class ImportStatus(models.TextChoices):
    VALIDATED = "validated", _("Đã kiểm tra, chờ xác nhận")
    COMMITTED = "committed", _("Đã ghi vào sổ")
    CANCELLED = "cancelled", _("Đã hủy")


class ImportBatch(models.Model):
    """One uploaded file: validated whole first, written only when the user confirms."""

    kind = models.CharField(_("loại dữ liệu"), max_length=10, choices=ImportKind.choices)
    file_name = models.CharField(_("tên tệp"), max_length=255)
    file_sha256 = models.CharField(_("mã băm tệp"), max_length=64, db_index=True)
    stored_file = models.CharField(max_length=500, editable=False)
    row_count = models.PositiveIntegerField(_("số dòng"), default=0)
    created_count = models.PositiveIntegerField(_("số bản ghi tạo mới"), default=0)
    unchanged_count = models.PositiveIntegerField(_("số bản ghi đã có"), default=0)
    moved_count = models.PositiveIntegerField(_("số cá nhân chuyển đơn vị"), default=0)
    status = models.CharField(_("trạng thái"), max_length=10, choices=ImportStatus.choices)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="import_batches",
        verbose_name=_("người tải lên"),
    )
    unit = models.ForeignKey(
        "organisation.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="import_batches",
        verbose_name=_("đơn vị"),
    )
    created_at = models.DateTimeField(_("tải lên lúc"), auto_now_add=True)
    committed_at = models.DateTimeField(_("ghi lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("lần nhập dữ liệu")
        verbose_name_plural = _("các lần nhập dữ liệu")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_status_display()})"
