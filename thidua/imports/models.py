from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportKind(models.TextChoices):
    PEOPLE = "people", _("Danh sách cá nhân")
    AWARDS = "awards", _("Khen thưởng đã có")


class ImportStatus(models.TextChoices):
    CHECKING = "checking", _("Đang kiểm tra")
    REJECTED = "rejected", _("Có lỗi, không nhận")
    VALIDATED = "validated", _("Đã kiểm tra, chờ xác nhận")
    COMMITTING = "committing", _("Đang ghi vào sổ")
    COMMITTED = "committed", _("Đã ghi vào sổ")
    FAILED = "failed", _("Gặp sự cố")
    CANCELLED = "cancelled", _("Đã hủy")


# The states a background task is working on: the batch page shows a progress bar and asks again.
IN_PROGRESS = (ImportStatus.CHECKING, ImportStatus.COMMITTING)


class ImportStep(models.TextChoices):
    CHECK = "check", _("kiểm tra tệp")
    COMMIT = "commit", _("ghi vào sổ")


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
    # Rows read so far by the background task, of progress_total (the file's declared rows until all are
    # read).
    progress_done = models.PositiveIntegerField(_("số dòng đã xử lý"), default=0)
    progress_total = models.PositiveIntegerField(_("tổng số dòng cần xử lý"), default=0)
    # What the check found wrong: the message about the file as a whole, or the row errors (the first ones
    # only when there are very many; then every one is in errors_file, a gzip JSON list in the default
    # storage).
    file_error = models.TextField(_("lỗi của tệp"), blank=True)
    errors = models.JSONField(_("lỗi"), default=list, blank=True)
    error_count = models.PositiveIntegerField(_("số lỗi"), default=0)
    error_row_count = models.PositiveIntegerField(_("số dòng có lỗi"), default=0)
    errors_file = models.CharField(max_length=500, blank=True, editable=False)
    # The first rows of a validated file, as the result page shows them before the user confirms.
    preview = models.JSONField(_("xem trước"), default=list, blank=True)
    failed_step = models.CharField(_("bước gặp sự cố"), max_length=10, choices=ImportStep.choices, blank=True)
    failure_message = models.TextField(_("sự cố"), blank=True)
    created_at = models.DateTimeField(_("tải lên lúc"), auto_now_add=True)
    committed_at = models.DateTimeField(_("ghi lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("lần nhập dữ liệu")
        verbose_name_plural = _("các lần nhập dữ liệu")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_status_display()})"
