from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    UNIT_OFFICER = "unit_officer", _("Cán bộ thi đua, khen thưởng đơn vị")
    UNIT_HEAD = "unit_head", _("Thủ trưởng đơn vị")
    BOARD_SPECIALIST = "board_specialist", _("Chuyên viên Ban Thi đua – Khen thưởng")
    COUNCIL_MEMBER = "council_member", _("Ủy viên Hội đồng Thi đua – Khen thưởng")
    CHAIRMAN = "chairman", _("Chủ tịch UBND tỉnh")
    BLOC_LEADER = "bloc_leader", _("Khối trưởng khối thi đua")
    ADMINISTRATOR = "administrator", _("Quản trị hệ thống")


# Roles whose work spans the whole province rather than one unit (product brief, "Who uses it").
PROVINCE_WIDE_ROLES = frozenset(
    {Role.BOARD_SPECIALIST, Role.COUNCIL_MEMBER, Role.CHAIRMAN, Role.ADMINISTRATOR}
)


class User(AbstractUser):
    role = models.CharField(_("vai trò"), max_length=32, choices=Role.choices, default=Role.UNIT_OFFICER)
    unit = models.ForeignKey(
        "organisation.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("đơn vị"),
    )
    full_name = models.CharField(_("họ và tên"), max_length=150, blank=True)

    class Meta:
        verbose_name = _("người dùng")
        verbose_name_plural = _("người dùng")

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def is_province_wide(self) -> bool:
        return self.is_superuser or self.role in PROVINCE_WIDE_ROLES


class ApiToken(models.Model):
    """A key for the REST API. Only its SHA-256 is kept: the key itself is shown once, when created, so a
    copy of the database gives no one access."""

    user = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="api_tokens", verbose_name=_("người dùng")
    )
    name = models.CharField(_("tên khóa"), max_length=100)
    key_hash = models.CharField(_("mã băm của khóa"), max_length=64, unique=True, editable=False)
    # Enough of the key to tell keys apart in a list, far too little to guess the rest.
    prefix = models.CharField(_("tiền tố"), max_length=8, editable=False)
    created_at = models.DateTimeField(_("ngày tạo"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("lần dùng gần nhất"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("ngày thu hồi"), null=True, blank=True)

    class Meta:
        verbose_name = _("khóa truy cập API")
        verbose_name_plural = _("khóa truy cập API")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
