from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    UNIT_OFFICER = "unit_officer", _("Cán bộ thi đua, khen thưởng đơn vị")
    UNIT_HEAD = "unit_head", _("Thủ trưởng đơn vị")
    BOARD_SPECIALIST = "board_specialist", _("Chuyên viên thẩm định thi đua, khen thưởng")
    COUNCIL_MEMBER = "council_member", _("Ủy viên Hội đồng Thi đua – Khen thưởng")
    CHAIRMAN = "chairman", _("Chủ tịch UBND (người đứng đầu cấp quyết định)")
    BLOC_LEADER = "bloc_leader", _("Khối trưởng khối thi đua")
    ADMINISTRATOR = "administrator", _("Quản trị hệ thống")


# Roles held within a deciding authority (the province, a department, a commune...): their data scope is
# the authority's units, and their steps act only on what is addressed to that authority.
AUTHORITY_ROLES = frozenset({Role.BOARD_SPECIALIST, Role.COUNCIL_MEMBER, Role.CHAIRMAN})
# The staff of a unit who write its reports and registrations: its officer drafts, its head sends.
UNIT_STAFF = (Role.UNIT_OFFICER, Role.UNIT_HEAD)


class _Manager(UserManager["User"]):
    # Every request reads the user's unit and authority for its data scope: one query, not three.
    def get_queryset(self) -> models.QuerySet[User]:
        return super().get_queryset().select_related("unit", "authority__unit")


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
    # Where the role is held: the specialist, Council member or chairman of this authority. Unset, it is
    # the nearest authority at or above the user's unit when the account is saved.
    authority = models.ForeignKey(
        "organisation.Authority",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("cấp có thẩm quyền"),
    )

    objects = _Manager()  # type: ignore[misc]

    class Meta:
        verbose_name = _("người dùng")
        verbose_name_plural = _("người dùng")

    def __str__(self) -> str:
        return self.full_name or self.username

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.role in AUTHORITY_ROLES and self.authority_id is None and self.unit_id is not None:
            from thidua.organisation.authorities import authority_of

            assert self.unit is not None
            found = authority_of(self.unit)
            if found is not None:
                self.authority = found
        # Set by set_password until the save: a new password ends the API keys handed out under the old.
        password_changed = self.pk is not None and getattr(self, "_password", None) is not None
        super().save(*args, **kwargs)
        if password_changed:
            from thidua.accounts.tokens import tokens_revoke_all

            tokens_revoke_all(actor=None, user=self, reason="password_change")

    @property
    def role_authority(self) -> Any:
        """The authority in which the user's role acts, or None for unit staff and administrators."""
        return self.authority if self.role in AUTHORITY_ROLES else None

    @property
    def is_province_wide(self) -> bool:
        # Not `is_superuser`: the account's Django powers are for the admin site, never a wider scope.
        if self.role == Role.ADMINISTRATOR:
            return True
        authority = self.role_authority
        return authority is not None and authority.level == "province"

    @property
    def scope_unit(self) -> Any:
        """The root of the units whose records the user sees: the authority's unit for its specialists,
        Council members and chairman, else the user's own unit."""
        authority = self.role_authority
        return authority.unit if authority is not None else self.unit

    def has_perm(self, perm: str, obj: Any = None) -> bool:
        # A superuser passes every check of Django's own model permissions (the admin site), but the
        # product's permissions are rules over role and scope that no account flag bypasses.
        import rules

        if rules.perm_exists(perm):
            return self.is_active and rules.has_perm(perm, self, obj)
        return super().has_perm(perm, obj)


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
    # A key forgotten in a script stops working on its own (THIDUA_API_TOKEN_DAYS after creation).
    expires_at = models.DateTimeField(_("ngày hết hạn"), null=True, blank=True)

    class Meta:
        verbose_name = _("khóa truy cập API")
        verbose_name_plural = _("khóa truy cập API")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        from django.utils import timezone

        return self.revoked_at is None and (self.expires_at is None or self.expires_at > timezone.now())
