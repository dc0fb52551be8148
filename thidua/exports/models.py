"""A large list exported to Excel by a background task (issue 13): the request only queues the job."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ExportStatus(models.TextChoices):
    QUEUED = "queued", _("Đang chờ")
    RUNNING = "running", _("Đang xuất")
    DONE = "done", _("Đã xong")
    FAILED = "failed", _("Không thành công")
    # The file was deleted after THIDUA_EXPORT_KEEP_DAYS; the job stays as the record of the export.
    EXPIRED = "expired", _("Đã hết hạn, tệp đã xóa")


class ExportJob(models.Model):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="export_jobs",
        verbose_name=_("Người xuất"),
    )
    kind = models.SlugField(_("Danh sách"), max_length=40)
    # The list's GET parameters as the user gave them; the data scope is always the owner's, never these.
    params = models.JSONField(_("Bộ lọc"), default=dict, blank=True)
    status = models.CharField(
        _("Trạng thái"), max_length=10, choices=ExportStatus.choices, default=ExportStatus.QUEUED
    )
    rows_done = models.PositiveIntegerField(_("Số dòng đã ghi"), default=0)
    rows_total = models.PositiveIntegerField(_("Tổng số dòng"), null=True, blank=True)
    file = models.FileField(_("Tệp"), upload_to="exports/", blank=True)
    filename = models.CharField(_("Tên tệp"), max_length=200, blank=True)
    title = models.CharField(_("Tiêu đề"), max_length=200, blank=True)
    message = models.TextField(_("Thông báo"), blank=True)
    created_at = models.DateTimeField(_("Thời điểm tạo"), auto_now_add=True)
    finished_at = models.DateTimeField(_("Thời điểm xong"), null=True, blank=True)

    class Meta:
        verbose_name = _("Tệp xuất")
        verbose_name_plural = _("Tệp xuất")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["owner", "-created_at"])]

    def __str__(self) -> str:
        return self.filename or self.kind

    @property
    def in_progress(self) -> bool:
        return self.status in (ExportStatus.QUEUED, ExportStatus.RUNNING)

    @property
    def percent(self) -> int | None:
        if not self.rows_total:
            return 100 if self.status == ExportStatus.DONE else None
        return min(100, self.rows_done * 100 // self.rows_total)
