from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditLog(models.Model):
    """One row per business action, written by the service that performed it (who did what, when), or
    per change made in the Django admin (thidua.core.admin.AuditedAdmin), with the fields' old and new
    values in `changes`.

    The rows form a hash chain (docs/security.md): each keeps the previous row's `hash` in `prev_hash`,
    and its own `hash` is SHA-256 over its fields and `prev_hash` (thidua.core.audit.row_hash), so a row
    changed, removed or slipped in afterwards breaks the chain at that row (`thidua audit verify`). On
    PostgreSQL a trigger also refuses UPDATE and DELETE on the table (migration 0004)."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="audit_entries",
        verbose_name=_("người thực hiện"),
    )
    action = models.CharField(_("thao tác"), max_length=64, db_index=True)
    target_type = models.CharField(_("loại đối tượng"), max_length=64)
    target_id = models.CharField(_("mã đối tượng"), max_length=64)
    summary = models.CharField(_("tóm tắt"), max_length=500, blank=True)
    extra = models.JSONField(_("chi tiết"), default=dict, blank=True)
    # {field: [old, new]}; a secret field (a password) records only that it changed.
    changes = models.JSONField(_("giá trị cũ, mới"), default=dict, blank=True)
    # Set before the insert, not by auto_now_add at save time: the time is part of the row's hash.
    at = models.DateTimeField(_("thời điểm"), default=timezone.now, db_index=True)
    prev_hash = models.CharField(_("mã băm dòng trước"), max_length=64, default="", editable=False)
    hash = models.CharField(_("mã băm"), max_length=64, default="", editable=False)

    class Meta:
        verbose_name = _("nhật ký thao tác")
        verbose_name_plural = _("nhật ký thao tác")
        ordering = ["-at"]
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self) -> str:
        return f"{self.at:%d/%m/%Y %H:%M} {self.action} {self.target_type}#{self.target_id}"


class AwardTally(models.Model):
    """Award records counted by the unit of their recipient (the person's unit, the collective itself, the
    household's commune), decision, award type and year: the dashboard reads its registry totals and the
    latest decisions of a user's scope from these rows (about one per unit and decision, some 27,000 for
    1.3 million records) instead of reading the records on every request.

    Kept in step by the code that writes award records (thidua.core.tallies, called in the same
    transaction); `thidua tally_rebuild` recounts it from the records.
    """

    unit = models.ForeignKey("organisation.Unit", on_delete=models.CASCADE, related_name="+")
    decision = models.ForeignKey("awards.Decision", on_delete=models.CASCADE, related_name="+")
    award_type = models.ForeignKey("awards.AwardType", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    records = models.IntegerField(default=0)
    revoked = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("số lượt khen thưởng theo đơn vị")
        verbose_name_plural = _("số lượt khen thưởng theo đơn vị")
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "decision", "award_type", "year"], name="award_tally_unique_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit_id}/{self.decision_id}/{self.award_type_id}/{self.year}: {self.records}"


class VersionToken(models.Model):
    """A one-row table whose random token is part of a cache's keys; read and replaced by
    thidua.core.dataversion.token_of and token_replace."""

    token = models.CharField(max_length=32)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.token


class DataVersion(VersionToken):
    """One row: the token in the key of every staff dashboard kept in the cache. Every change written to the
    audit log replaces it in the same transaction (thidua.core.dataversion), so no dashboard computed before
    a change is shown after it commits. Kept in the database, not the cache, so a cache that outlives the
    database (a file cache, a restored backup, a new test database) never serves another state's figures."""

    class Meta:
        verbose_name = _("phiên bản dữ liệu")
        verbose_name_plural = _("phiên bản dữ liệu")
