"""The public portal's records: role models (điển hình tiên tiến) with their consents, and the version
token of the portal's cached pages.

A role model is shown to the public only while it is published AND one of its consents is in force
(Nghị định 13/2023/NĐ-CP on personal data: publishing a person's story and photo needs their consent,
which they may withdraw at any time).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from thidua.core.models import VersionToken
from thidua.core.text import fold


class RoleModelState(models.TextChoices):
    NOMINATED = "nominated", _("Đã đề cử")
    APPROVED = "approved", _("Đã duyệt")
    PUBLISHED = "published", _("Đã công bố")
    RETIRED = "retired", _("Đã thôi đăng")


class RoleModel(models.Model):
    """A person or a collective held up as an example, with a story and a photo."""

    person = models.ForeignKey(
        "organisation.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="role_models",
        verbose_name=_("cá nhân"),
    )
    collective = models.ForeignKey(
        "organisation.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="role_models_as_collective",
        verbose_name=_("tập thể"),
    )
    # The unit whose staff nominated it: the person's unit or the collective itself. Its path decides
    # who may see and act on the record (accounts.scope).
    unit = models.ForeignKey(
        "organisation.Unit", on_delete=models.PROTECT, related_name="role_models", verbose_name=_("đơn vị")
    )
    slug = models.SlugField(_("đường dẫn"), max_length=120, unique=True)
    name = models.CharField(_("tên"), max_length=255)
    headline = models.CharField(_("danh xưng"), max_length=200)
    story = models.TextField(_("câu chuyện"))
    year = models.PositiveSmallIntegerField(_("năm"))
    photo = models.FileField(_("ảnh"), upload_to="role-models/%Y/", blank=True)
    photo_content_type = models.CharField(max_length=50, blank=True)
    photo_alt = models.CharField(_("mô tả ảnh"), max_length=200, blank=True)
    # Kept for the staff only: never on a public page.
    contact_phone = models.CharField(_("điện thoại liên hệ"), max_length=30, blank=True)
    contact_email = models.EmailField(_("thư điện tử liên hệ"), blank=True)
    internal_note = models.TextField(_("ghi chú nội bộ"), blank=True)
    state = models.CharField(
        _("trạng thái"), max_length=12, choices=RoleModelState.choices, default=RoleModelState.NOMINATED
    )
    featured = models.BooleanField(_("nổi bật"), default=False)
    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("người đề cử")
    )
    nominated_at = models.DateTimeField(_("ngày đề cử"), auto_now_add=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(_("ngày duyệt"), null=True, blank=True)
    published_at = models.DateTimeField(_("ngày công bố"), null=True, blank=True)
    retired_at = models.DateTimeField(_("ngày thôi đăng"), null=True, blank=True)
    search_text = models.CharField(max_length=600, editable=False, default="", db_index=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("điển hình tiên tiến")
        verbose_name_plural = _("điển hình tiên tiến")
        ordering = ["-year", "name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(person__isnull=False, collective__isnull=True)
                | models.Q(person__isnull=True, collective__isnull=False),
                name="role_model_person_or_collective",
            )
        ]
        indexes = [models.Index(fields=["state", "featured"], name="role_model_state_featured")]

    def __str__(self) -> str:
        return self.name

    @property
    def is_collective(self) -> bool:
        return self.collective_id is not None

    def refresh_derived(self) -> None:
        self.search_text = fold(f"{self.name} {self.headline} {self.unit.name}")[:600]


class Consent(models.Model):
    """The consent of the person (or of the collective's representative) to have the profile published,
    for a stated purpose; withdrawn, it is kept with the moment of withdrawal."""

    role_model = models.ForeignKey(
        RoleModel, on_delete=models.PROTECT, related_name="consents", verbose_name=_("điển hình")
    )
    given_by = models.CharField(_("người đồng ý"), max_length=200)
    # "bản thân" for a person; for a collective, the representative's position.
    capacity = models.CharField(_("tư cách"), max_length=200)
    given_on = models.DateField(_("ngày đồng ý"))
    purpose = models.TextField(_("mục đích, phạm vi sử dụng"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("người ghi")
    )
    recorded_at = models.DateTimeField(_("ngày ghi"), auto_now_add=True)
    withdrawn_at = models.DateTimeField(_("ngày rút lại"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    withdrawal_note = models.CharField(_("lý do rút lại"), max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("sự đồng ý công bố")
        verbose_name_plural = _("sự đồng ý công bố")
        ordering = ["role_model", "-given_on", "-id"]

    def __str__(self) -> str:
        return f"{self.given_by} ({self.given_on:%d/%m/%Y})"

    @property
    def in_force(self) -> bool:
        return self.withdrawn_at is None


class PortalVersion(VersionToken):
    """One row: the token in every cached public page's key. A change that the public may see replaces
    it in the same transaction, so no page cached before the change is served after it commits."""

    class Meta:
        verbose_name = _("phiên bản trang công khai")
        verbose_name_plural = _("phiên bản trang công khai")
